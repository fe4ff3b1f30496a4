//! The event loop: keys in, `update`, effects through the executor, draw when something changed.
//!
//! The loop itself does no database work: every query is an [`Effect`] run by the [`Executor`],
//! and drawing only reads the app state.

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};

use super::terminal::{Signals, Tui};
use super::worker::Worker;
use crate::app::{App, Effect, Msg, update};
use crate::clock::Clock;
use crate::ui;

/// How long one wait for input lasts; signals and the idle lock are checked at least this often.
const POLL: Duration = Duration::from_millis(250);

/// How long one wait for input lasts while the executor is working: its answers are drawn
/// this soon after they arrive.
const POLL_BUSY: Duration = Duration::from_millis(5);

/// The most input events handled before the screen is drawn again.
const BURST: usize = 64;

/// Why the loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The user quit.
    Quit,
    /// A signal arrived (its number).
    Signal(i32),
}

/// Runs the app until the user quits or a signal arrives. `idle_lock` is the time without a key
/// press after which the screen locks.
pub fn event_loop(
    terminal: &mut Tui,
    app: &mut App,
    executor: &mut Worker,
    clock: &dyn Clock,
    signals: &Signals,
    idle_lock: chrono::Duration,
) -> io::Result<Ending> {
    app.idle = crate::app::session::IdleClock::new(idle_lock);
    let size = terminal.size()?;
    dispatch(app, executor, Msg::Resize(size.width, size.height));
    let mut dirty = true;
    loop {
        if let Some(signal) = signals.received() {
            return Ok(Ending::Signal(signal));
        }
        for answer in executor.answers() {
            dirty = true;
            if dispatch(app, executor, answer) {
                return Ok(Ending::Quit);
            }
        }
        if dirty {
            terminal.draw(|frame| ui::view(app, frame))?;
            dirty = false;
        }
        let mut wait = if executor.pending() > 0 {
            POLL_BUSY
        } else {
            POLL
        };
        for _ in 0..BURST {
            if !event::poll(wait)? {
                break;
            }
            wait = Duration::ZERO;
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    super::terminal::test_panic_on(&key);
                    dirty = true;
                    if dispatch(app, executor, Msg::Key(key)) {
                        return Ok(Ending::Quit);
                    }
                }
                Event::Resize(width, height) => {
                    dirty = true;
                    dispatch(app, executor, Msg::Resize(width, height));
                }
                Event::Paste(text) => {
                    dirty = true;
                    if dispatch(app, executor, Msg::Paste(text)) {
                        return Ok(Ending::Quit);
                    }
                }
                _ => {}
            }
            if signals.received().is_some() {
                break;
            }
        }
        let today = clock.today();
        if today != app.today {
            dirty = true;
            if dispatch(app, executor, Msg::Today(today)) {
                return Ok(Ending::Quit);
            }
        }
        let fired_before = app.idle.fired();
        if dispatch(app, executor, Msg::Tick(clock.now())) {
            return Ok(Ending::Quit);
        }
        dirty |= app.idle.fired() != fired_before;
    }
}

/// Feeds `msg` into `update` and hands its effects to the executor's thread; their answers
/// come back through [`Worker::answers`]. Returns whether the app should end.
pub fn dispatch(app: &mut App, executor: &mut Worker, msg: Msg) -> bool {
    let queue: VecDeque<Effect> = update(app, msg).into();
    for effect in queue {
        if effect == Effect::Quit {
            return true;
        }
        executor.send(effect);
    }
    app.quit
}

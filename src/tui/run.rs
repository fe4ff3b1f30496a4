//! The event loop: keys in, `update`, effects through the executor, draw when something changed.
//!
//! The loop itself does no database work: every query is an [`Effect`] run by the [`Executor`],
//! and drawing only reads the app state.

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{self, Event, KeyEventKind};

use super::executor::Executor;
use super::terminal::{Signals, Tui};
use crate::app::{App, Effect, Msg, update};
use crate::ui;

/// How long one wait for input lasts; signals and the idle lock are checked at least this often.
const POLL: Duration = Duration::from_millis(250);

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
    executor: &mut Executor,
    signals: &Signals,
    idle_lock: chrono::Duration,
) -> io::Result<Ending> {
    let mut idle = IdleTimer::new(executor.clock().now(), idle_lock);
    let mut dirty = true;
    loop {
        if let Some(signal) = signals.received() {
            return Ok(Ending::Signal(signal));
        }
        if dirty {
            terminal.draw(|frame| ui::view(app, frame))?;
            dirty = false;
        }
        let mut wait = POLL;
        for _ in 0..BURST {
            if !event::poll(wait)? {
                break;
            }
            wait = Duration::ZERO;
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    super::terminal::test_panic_on(&key);
                    idle.touch(executor.clock().now());
                    dirty = true;
                    if dispatch(app, executor, Msg::Key(key)) {
                        return Ok(Ending::Quit);
                    }
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
            if signals.received().is_some() {
                break;
            }
        }
        let today = executor.clock().today();
        if today != app.today {
            dirty = true;
            if dispatch(app, executor, Msg::Today(today)) {
                return Ok(Ending::Quit);
            }
        }
        if idle.expired(executor.clock().now()) {
            dirty = true;
            if dispatch(app, executor, Msg::IdleTimeout) {
                return Ok(Ending::Quit);
            }
        }
    }
}

/// Feeds `msg` into `update` and runs the effects, feeding their answers back in, until none
/// are left. Returns whether the app should end.
pub fn dispatch(app: &mut App, executor: &mut Executor, msg: Msg) -> bool {
    let mut queue: VecDeque<Effect> = update(app, msg).into();
    while let Some(effect) = queue.pop_front() {
        if effect == Effect::Quit {
            return true;
        }
        if let Some(answer) = executor.run(effect) {
            queue.extend(update(app, answer));
        }
    }
    app.quit
}

/// Tracks the time since the last key press; fires once per idle period.
#[derive(Clone, Debug)]
struct IdleTimer {
    last_key: DateTime<Utc>,
    limit: chrono::Duration,
    fired: bool,
}

impl IdleTimer {
    fn new(now: DateTime<Utc>, limit: chrono::Duration) -> IdleTimer {
        IdleTimer {
            last_key: now,
            limit,
            fired: false,
        }
    }

    /// A key was pressed at `now`.
    fn touch(&mut self, now: DateTime<Utc>) {
        self.last_key = now;
        self.fired = false;
    }

    /// True once when the limit has passed since the last key press.
    fn expired(&mut self, now: DateTime<Utc>) -> bool {
        if self.fired || now - self.last_key < self.limit {
            return false;
        }
        self.fired = true;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_timer_fires_once_per_idle_period() {
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let mut timer = IdleTimer::new(start, chrono::Duration::minutes(15));
        assert!(!timer.expired(start + chrono::Duration::minutes(14)));
        assert!(timer.expired(start + chrono::Duration::minutes(15)));
        assert!(
            !timer.expired(start + chrono::Duration::minutes(40)),
            "only once"
        );
        timer.touch(start + chrono::Duration::minutes(41));
        assert!(!timer.expired(start + chrono::Duration::minutes(50)));
        assert!(timer.expired(start + chrono::Duration::minutes(56)));
    }
}

//! The executor on a thread of its own, so that the thread that reads keys never waits for the
//! database: a slow answer (a server far away, a colleague's long save) never swallows,
//! delays or reorders a keystroke. Effects run in the order they were sent; their answers come
//! back in that order and go into `update` like any other message. An answer that no longer
//! fits (a finder answer older than the text in the field) is dropped there.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::executor::Executor;
use crate::app::{Effect, Msg};

/// The running executor thread.
pub struct Worker {
    effects: Option<Sender<Effect>>,
    answers: Receiver<Option<Msg>>,
    thread: Option<JoinHandle<Executor>>,
    pending: usize,
}

impl Worker {
    /// Starts `executor` on its own thread.
    pub fn spawn(mut executor: Executor) -> std::io::Result<Worker> {
        let (effects, inbox) = channel::<Effect>();
        let (reply, answers) = channel::<Option<Msg>>();
        let thread = std::thread::Builder::new()
            .name("keukentafel-store".into())
            .spawn(move || {
                for effect in inbox {
                    if reply.send(executor.run(effect)).is_err() {
                        break;
                    }
                }
                executor
            })?;
        Ok(Worker {
            effects: Some(effects),
            answers,
            thread: Some(thread),
            pending: 0,
        })
    }

    /// Hands `effect` to the executor.
    pub fn send(&mut self, effect: Effect) {
        if let Some(effects) = &self.effects
            && effects.send(effect).is_ok()
        {
            self.pending += 1;
        }
    }

    /// Effects sent whose answer has not come back yet.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// The answers that have arrived, in order, without waiting.
    pub fn answers(&mut self) -> Vec<Msg> {
        let mut out = Vec::new();
        while let Ok(answer) = self.answers.try_recv() {
            self.pending = self.pending.saturating_sub(1);
            out.extend(answer);
        }
        out
    }

    /// Waits until every effect sent has run (a save just before quitting is finished, not
    /// cut off) and gives the executor back. `None` if its thread died.
    pub fn finish(mut self) -> Option<Executor> {
        self.effects = None;
        self.thread.take().and_then(|t| t.join().ok())
    }
}

//! The executor on a thread of its own, so that the thread that reads keys never waits for the
//! database: a slow answer (a server far away, a colleague's long save) never swallows,
//! delays or reorders a keystroke. Effects run in the order they were sent; their answers come
//! back in that order and go into `update` like any other message. An answer that no longer
//! fits (a finder answer older than the text in the field) is dropped there.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::executor::Executor;
use crate::app::{Effect, Msg};

/// The running executor thread.
pub struct Worker {
    effects: Option<Sender<Effect>>,
    answers: Receiver<Option<Msg>>,
    /// How far a long effect is: messages on the way, not answers (they count for nothing in
    /// `pending`).
    progress: Receiver<Msg>,
    thread: Option<JoinHandle<Executor>>,
    pending: usize,
}

impl Worker {
    /// Starts `executor` on its own thread.
    pub fn spawn(mut executor: Executor) -> std::io::Result<Worker> {
        let (effects, inbox) = channel::<Effect>();
        let (reply, answers) = channel::<Option<Msg>>();
        let (report, progress) = channel::<Msg>();
        executor.report_progress_to(report);
        let thread = std::thread::Builder::new()
            .name("keukentafel-store".into())
            .spawn(move || {
                // What has arrived and not run yet: a query that a newer one of the same
                // screen has replaced is answered with nothing instead of being run, so fast
                // typing never queues up work whose answer would be dropped anyway.
                let mut waiting: VecDeque<Effect> = VecDeque::new();
                loop {
                    let effect = match waiting.pop_front() {
                        Some(effect) => effect,
                        None => match inbox.recv() {
                            Ok(effect) => effect,
                            Err(_) => break,
                        },
                    };
                    waiting.extend(inbox.try_iter());
                    let answer = if superseded(&effect, &waiting) {
                        None
                    } else {
                        executor.run(effect)
                    };
                    if reply.send(answer).is_err() {
                        break;
                    }
                }
                executor
            })?;
        Ok(Worker {
            effects: Some(effects),
            answers,
            progress,
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

    /// The answers that have arrived, in order, without waiting; first what long effects said
    /// of their progress (sent before their answer).
    pub fn answers(&mut self) -> Vec<Msg> {
        let mut out: Vec<Msg> = self.progress.try_iter().collect();
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

/// Whether `effect` is a query whose answer would be dropped because a newer query of the same
/// kind waits behind it: a finder search before a newer search, a worklist page or selection
/// before the first page of a newer query of the same list.
fn superseded(effect: &Effect, later: &VecDeque<Effect>) -> bool {
    match effect {
        Effect::Search { seq, .. } => later
            .iter()
            .any(|e| matches!(e, Effect::Search { seq: newer, .. } if newer > seq)),
        Effect::LoadWorklist { seq, list, .. } | Effect::SelectWorklist { seq, list, .. } => {
            later.iter().any(|e| {
                matches!(e, Effect::LoadWorklist { seq: newer, list: other, offset: 0, .. }
                    if newer > seq && other == list)
            })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::worklists::{Worklist, WorklistQuery};

    fn page(seq: u64, list: Worklist, offset: usize) -> Effect {
        Effect::LoadWorklist {
            seq,
            list,
            query: WorklistQuery::default(),
            offset,
        }
    }

    #[test]
    fn only_a_query_with_a_newer_one_of_its_screen_behind_it_is_skipped() {
        let list = Worklist::AwaitingBeschikking;
        let later: VecDeque<Effect> = [page(5, list, 0)].into();
        assert!(superseded(&page(4, list, 0), &later));
        assert!(superseded(&page(4, list, 200), &later));
        assert!(
            !superseded(&page(5, list, 200), &later),
            "its own next page"
        );
        assert!(!superseded(&page(4, Worklist::PgbToSvb, 0), &later));
        let pages: VecDeque<Effect> = [page(5, list, 400)].into();
        assert!(
            !superseded(&page(4, list, 0), &pages),
            "a later page is no new query"
        );
        let search = |seq| Effect::Search {
            seq,
            query: "jan".into(),
        };
        assert!(superseded(&search(1), &[search(2)].into()));
        assert!(!superseded(&search(2), &[search(1)].into()));
        assert!(!superseded(&Effect::LoadHome, &later));
    }
}

//! The ZRM scoring grid: one row per domain, prefilled with the member's previous scores. A digit
//! 1–5 sets the score and moves on, `.` keeps the previous score and moves on, `0` or `-` marks
//! "niet gescoord"; `Enter` saves. Thirteen domains take at most fifteen keys.

use chrono::NaiveDate;

use crate::domain::reference::ZrmCatalogue;
use crate::domain::zrm::{Assessment, Score, Scores};
use crate::model::changes::Change;

/// The grid for one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZrmGrid {
    /// The member scored.
    pub person_id: i64,
    /// The member's name (the title).
    pub person_name: String,
    /// Domain keys, in catalogue order.
    pub domains: Vec<String>,
    /// The previous assessment's score per domain (`None`: never scored).
    pub previous: Vec<Option<Score>>,
    /// The score per domain as it will be saved.
    pub scores: Vec<Score>,
    /// The domain with the cursor.
    pub cursor: usize,
    /// The date of the previous assessment.
    pub previous_on: Option<NaiveDate>,
    /// A problem with saving.
    pub error: Option<String>,
    /// `Esc` on a changed grid: ask before throwing it away.
    pub confirm_discard: bool,
    /// Waiting for the save.
    pub saving: bool,
}

/// What a key did to the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridKey {
    /// Nothing to do for the caller.
    Handled,
    /// Not a grid key.
    Ignored,
}

impl ZrmGrid {
    /// A grid for `person_id`, prefilled with the latest of `history` (oldest first).
    pub fn new(
        catalogue: &ZrmCatalogue,
        person_id: i64,
        person_name: &str,
        history: &[&Assessment],
    ) -> ZrmGrid {
        let last = history.last();
        let domains: Vec<String> = catalogue.domains.iter().map(|d| d.key.clone()).collect();
        let previous: Vec<Option<Score>> = domains
            .iter()
            .map(|k| last.and_then(|a| a.scores.get(k).copied()))
            .collect();
        let scores = previous
            .iter()
            .map(|p| p.unwrap_or(Score::NotScored))
            .collect();
        ZrmGrid {
            person_id,
            person_name: person_name.to_string(),
            domains,
            previous,
            scores,
            cursor: 0,
            previous_on: last.map(|a| a.assessed_on),
            error: None,
            confirm_discard: false,
            saving: false,
        }
    }

    /// Applies a scoring key: a digit, `.`, `0`/`-`, or Backspace (back one domain).
    pub fn key(&mut self, c: Option<char>, backspace: bool) -> GridKey {
        let last = self.domains.len().saturating_sub(1);
        if backspace {
            self.cursor = self.cursor.saturating_sub(1);
            return GridKey::Handled;
        }
        let score = match c {
            Some(d @ '1'..='5') => Some(Score::Level(d as u8 - b'0')),
            Some('0' | '-') => Some(Score::NotScored),
            Some('.') => None,
            _ => return GridKey::Ignored,
        };
        if let Some(slot) = self.scores.get_mut(self.cursor) {
            match score {
                Some(s) => *slot = s,
                None => {
                    *slot = self
                        .previous
                        .get(self.cursor)
                        .copied()
                        .flatten()
                        .unwrap_or(Score::NotScored)
                }
            }
        }
        self.error = None;
        self.cursor = (self.cursor + 1).min(last);
        GridKey::Handled
    }

    /// Moves the cursor.
    pub fn move_cursor(&mut self, down: bool) {
        let last = self.domains.len().saturating_sub(1);
        self.cursor = if down {
            (self.cursor + 1).min(last)
        } else {
            self.cursor.saturating_sub(1)
        };
    }

    /// Whether any score differs from how the grid opened.
    pub fn changed(&self) -> bool {
        self.scores
            .iter()
            .zip(&self.previous)
            .any(|(s, p)| *s != p.unwrap_or(Score::NotScored))
    }

    /// The change to save: every domain's score, dated `today`.
    pub fn change(&self, today: NaiveDate) -> Change {
        let scores: Scores = self
            .domains
            .iter()
            .cloned()
            .zip(self.scores.iter().copied())
            .collect();
        Change::Zrm {
            person_id: self.person_id,
            on: today,
            scores,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reference::ReferenceData;

    fn grid() -> ZrmGrid {
        let reference = ReferenceData::embedded();
        let mut scores = Scores::new();
        scores.insert("financien".into(), Score::Level(2));
        scores.insert("huisvesting".into(), Score::Level(4));
        let before = Assessment {
            id: 1,
            person_id: 7,
            assessed_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
            assessed_by: 1,
            scores,
        };
        ZrmGrid::new(&reference.zrm, 7, "Fatima", &[&before])
    }

    #[test]
    fn digits_score_and_advance_dot_keeps_zero_clears() {
        let mut g = grid();
        assert_eq!(
            g.scores[0],
            Score::Level(2),
            "prefilled with the previous score"
        );
        g.key(Some('3'), false);
        assert_eq!((g.scores[0], g.cursor), (Score::Level(3), 1));
        g.key(Some('.'), false);
        g.key(Some('0'), false);
        assert_eq!(g.scores[2], Score::NotScored);
        g.key(None, true);
        assert_eq!(g.cursor, 2, "backspace goes back one domain");
        assert_eq!(g.key(Some('x'), false), GridKey::Ignored);
        assert!(g.changed());
    }

    #[test]
    fn the_cursor_stays_on_the_last_domain() {
        let mut g = grid();
        for _ in 0..20 {
            g.key(Some('.'), false);
        }
        assert_eq!(g.cursor, g.domains.len() - 1);
        assert!(!g.changed(), "keeping every score changes nothing");
    }
}

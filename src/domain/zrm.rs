//! ZRM: the zelfredzaamheidsmatrix (self-sufficiency matrix), scored per person per domain.
//!
//! Each of the 13 domains (Financiën, Huisvesting, …; the catalogue lives in `data/zrm.toml`)
//! gets a level 1 (acute problematiek) to 5 (volledig zelfredzaam), or is not scored.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::invalid::Invalid;

/// One domain's score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum Score {
    /// Not scored ("niet gescoord").
    NotScored,
    /// A level 1..=5.
    Level(u8),
}

impl Score {
    /// A level, rejected unless 1..=5.
    pub fn level(n: u8) -> Result<Score, Invalid> {
        if (1..=5).contains(&n) {
            Ok(Score::Level(n))
        } else {
            Err(Invalid::new(
                "zrm_score",
                format!("Een ZRM-score is 1 t/m 5 (of niet gescoord), niet {n}."),
                format!("A ZRM score is 1 to 5 (or not scored), not {n}."),
            ))
        }
    }

    /// The level, when scored.
    pub fn value(self) -> Option<u8> {
        match self {
            Score::NotScored => None,
            Score::Level(n) => Some(n),
        }
    }

    /// The stored code: `1`..`5`, or `-` for not scored.
    pub fn code(self) -> char {
        match self {
            Score::NotScored => '-',
            Score::Level(n) => char::from(b'0' + n),
        }
    }

    /// Parses a stored code.
    pub fn from_code(c: char) -> Option<Score> {
        match c {
            '-' => Some(Score::NotScored),
            '1'..='5' => Some(Score::Level(c as u8 - b'0')),
            _ => None,
        }
    }
}

/// Scores per domain key.
pub type Scores = BTreeMap<String, Score>;

/// Encodes scores as `key=3;key2=-` (the stored form, sorted by key).
pub fn encode_scores(scores: &Scores) -> String {
    let mut out = String::new();
    for (i, (key, score)) in scores.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(key);
        out.push('=');
        out.push(score.code());
    }
    out
}

/// Decodes the stored form; `None` when it is not well formed.
pub fn decode_scores(text: &str) -> Option<Scores> {
    let mut scores = Scores::new();
    if text.is_empty() {
        return Some(scores);
    }
    for part in text.split(';') {
        let (key, code) = part.split_once('=')?;
        let mut chars = code.chars();
        let score = Score::from_code(chars.next()?)?;
        if chars.next().is_some() || key.is_empty() {
            return None;
        }
        scores.insert(key.to_string(), score);
    }
    Some(scores)
}

/// One dated ZRM assessment of one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Database id.
    pub id: i64,
    /// Whom it is about.
    pub person_id: i64,
    /// The date of the assessment.
    pub assessed_on: NaiveDate,
    /// Who scored it (user id).
    pub assessed_by: i64,
    /// Scores per domain key.
    pub scores: Scores,
}

/// The change of one domain between two assessments: `Some(+1)` means one level up.
pub fn change(previous: Option<Score>, current: Score) -> Option<i8> {
    match (previous?.value(), current.value()) {
        (Some(p), Some(c)) => Some(c as i8 - p as i8),
        _ => None,
    }
}

/// Checks that every key is a known domain key.
pub fn validate_scores(scores: &Scores, known_keys: &[&str]) -> Result<(), Invalid> {
    if let Some(unknown) = scores.keys().find(|k| !known_keys.contains(&k.as_str())) {
        return Err(Invalid::new(
            "zrm_domain",
            format!("Onbekend ZRM-domein '{unknown}'."),
            format!("Unknown ZRM domain '{unknown}'."),
        ));
    }
    if scores.values().all(|s| *s == Score::NotScored) {
        return Err(Invalid::new(
            "zrm_score",
            "Geef minstens één domein een score.",
            "Score at least one domain.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_round_trip_through_the_stored_form() {
        let mut s = Scores::new();
        s.insert("financien".into(), Score::Level(2));
        s.insert("huisvesting".into(), Score::NotScored);
        let text = encode_scores(&s);
        assert_eq!(text, "financien=2;huisvesting=-");
        assert_eq!(decode_scores(&text), Some(s));
        assert_eq!(decode_scores("financien=7"), None);
        assert_eq!(decode_scores("financien"), None);
    }

    #[test]
    fn change_needs_two_scored_levels() {
        assert_eq!(change(Some(Score::Level(2)), Score::Level(3)), Some(1));
        assert_eq!(change(Some(Score::Level(4)), Score::Level(2)), Some(-2));
        assert_eq!(change(Some(Score::NotScored), Score::Level(2)), None);
        assert_eq!(change(None, Score::Level(2)), None);
    }

    #[test]
    fn level_outside_one_to_five_is_rejected() {
        assert!(Score::level(0).is_err());
        assert!(Score::level(6).is_err());
        assert_eq!(Score::level(5), Ok(Score::Level(5)));
    }

    #[test]
    fn unknown_domain_and_all_unscored_are_rejected() {
        let mut s = Scores::new();
        s.insert("financien".into(), Score::NotScored);
        assert!(validate_scores(&s, &["financien"]).is_err());
        s.insert("financien".into(), Score::Level(3));
        assert!(validate_scores(&s, &["financien"]).is_ok());
        s.insert("ruimtevaart".into(), Score::Level(3));
        assert_eq!(
            validate_scores(&s, &["financien"]).unwrap_err().field,
            "zrm_domain"
        );
    }
}

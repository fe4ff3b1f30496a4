//! Agreements (afspraken): who does what, and when.

use chrono::NaiveDate;
use serde::Serialize;

use super::invalid::{Invalid, required_text};

/// Who carries out an agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The client (a household member).
    Client,
    /// The client's network (family, neighbours, friends).
    Netwerk,
    /// The professional.
    Professional,
    /// A provider (aanbieder).
    Aanbieder,
}

impl Actor {
    /// Every actor, in display order.
    pub const ALL: [Actor; 4] = [
        Actor::Client,
        Actor::Netwerk,
        Actor::Professional,
        Actor::Aanbieder,
    ];

    /// Stored code and Dutch word.
    pub fn code(self) -> &'static str {
        match self {
            Actor::Client => "client",
            Actor::Netwerk => "netwerk",
            Actor::Professional => "professional",
            Actor::Aanbieder => "aanbieder",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Result<Actor, Invalid> {
        let w = s.trim().to_lowercase();
        Actor::ALL.into_iter().find(|a| a.code() == w).ok_or_else(|| {
            Invalid::new(
                "who",
                format!("Onbekend wie '{}'. Kies uit: client, netwerk, professional, aanbieder.", s.trim()),
                format!("Unknown who '{}'. Choose one of: client, netwerk, professional, aanbieder.", s.trim()),
            )
        })
    }
}

/// The state of an agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum AgreementStatus {
    /// Still to be done.
    Open,
    /// Done on a date.
    Done {
        /// The date it was marked done.
        on: NaiveDate,
    },
    /// Cancelled, with a reason.
    Cancelled {
        /// The date of cancelling.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl AgreementStatus {
    /// Stored code.
    pub fn code(&self) -> &'static str {
        match self {
            AgreementStatus::Open => "open",
            AgreementStatus::Done { .. } => "done",
            AgreementStatus::Cancelled { .. } => "cancelled",
        }
    }
}

/// An agreement as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Database id.
    pub id: i64,
    /// The household.
    pub household_id: i64,
    /// What will be done, in the household's words.
    pub what: String,
    /// Who does it.
    pub who: Actor,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// Formal (part of the plan with the municipality) or informal.
    pub formal: bool,
    /// The ZRM domain it serves, if any.
    pub zrm_domain: Option<String>,
    /// Open, done or cancelled.
    pub status: AgreementStatus,
    /// Counts the changes to this agreement: an edit names the version it was shown, and is
    /// refused when a colleague changed the agreement since.
    pub version: i64,
}

impl Agreement {
    /// Open and due before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == AgreementStatus::Open && self.due_on.is_some_and(|d| d < today)
    }
}

/// The values of a new or edited agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementFields {
    /// What.
    pub what: String,
    /// Who.
    pub who: Actor,
    /// When.
    pub due_on: Option<NaiveDate>,
    /// Formal or informal.
    pub formal: bool,
    /// Optional ZRM domain key.
    pub zrm_domain: Option<String>,
}

impl AgreementFields {
    /// Validates the text; the rest is typed already.
    pub fn new(
        what: &str,
        who: Actor,
        due_on: Option<NaiveDate>,
        formal: bool,
        zrm_domain: Option<String>,
    ) -> Result<AgreementFields, Invalid> {
        Ok(AgreementFields {
            what: required_text("what", "Wat er gebeurt", "What happens", what, 200)?,
            who,
            due_on,
            formal,
            zrm_domain,
        })
    }

    /// A warning (not an error) for a new agreement whose due date lies in the past.
    pub fn due_date_warning(&self, today: NaiveDate) -> Option<Invalid> {
        match self.due_on {
            Some(d) if d < today => Some(Invalid::new(
                "due_on",
                "Let op: deze datum ligt in het verleden.",
                "Note: this date lies in the past.",
            )),
            _ => None,
        }
    }
}

/// Validates a cancel reason.
pub fn validate_cancel_reason(reason: &str) -> Result<String, Invalid> {
    required_text("cancel_reason", "De reden", "The reason", reason, 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn overdue_only_when_open_and_past_due() {
        let mut a = Agreement {
            id: 1,
            household_id: 1,
            what: "Fatima belt het budgetteam".into(),
            who: Actor::Client,
            due_on: Some(d(2026, 11, 20)),
            formal: false,
            zrm_domain: None,
            status: AgreementStatus::Open,
            version: 1,
        };
        assert!(a.is_overdue(d(2026, 11, 23)));
        assert!(!a.is_overdue(d(2026, 11, 20)));
        a.status = AgreementStatus::Done {
            on: d(2026, 11, 21),
        };
        assert!(!a.is_overdue(d(2026, 11, 23)));
    }

    #[test]
    fn past_due_date_warns_and_empty_text_is_rejected() {
        let f = AgreementFields::new("bellen", Actor::Client, Some(d(2026, 1, 1)), false, None)
            .unwrap();
        assert!(f.due_date_warning(d(2026, 11, 23)).is_some());
        assert!(AgreementFields::new(" ", Actor::Client, None, false, None).is_err());
        assert_eq!(Actor::parse("Netwerk"), Ok(Actor::Netwerk));
    }
}

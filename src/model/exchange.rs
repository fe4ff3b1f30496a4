//! Toewijzingen leaving the app: what a 301 message is made of.

use chrono::NaiveDate;

use crate::domain::provision::{Law, Provision};
use crate::exchange::toewijzing::ChangeReason;
use crate::model::providers::Provider;

/// The client of a message, with the household's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageClient {
    /// The member.
    pub person_id: i64,
    /// The household.
    pub household_id: i64,
    /// The member's BSN.
    pub bsn: Option<String>,
    /// The member's name.
    pub name: String,
    /// The member's birth date.
    pub birth_date: Option<NaiveDate>,
    /// The household's street, house number, postcode and city.
    pub address: (String, String, String, String),
}

/// One toewijzing in a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToewijzingItem {
    /// The provision.
    pub provision: Provision,
    /// The last day as sent: the granted end, or the day it ended when that is earlier.
    pub end_on: Option<NaiveDate>,
    /// Why it is sent again, when it was sent before and has changed.
    pub change: Option<ChangeReason>,
    /// Whether it was never sent before.
    pub new: bool,
}

/// One message to deliver: a provider, a law, a client, an identification and its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToewijzingBatch {
    /// The receiving provider.
    pub provider: Provider,
    /// Wmo or Jeugdwet.
    pub law: Law,
    /// The client.
    pub client: MessageClient,
    /// The message identification (unique, at most 12 characters).
    pub identification: String,
    /// The message date.
    pub dagtekening: NaiveDate,
    /// The toewijzingen, by start.
    pub items: Vec<ToewijzingItem>,
}

/// Which messages to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Only for clients with a toewijzing that is new or changed since the last message (the default).
    New,
    /// For every client with a current toewijzing, also when nothing changed.
    All,
}

/// Whose toewijzingen to export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// One provider (AGB code); all providers when `None`.
    pub provider: Option<String>,
    /// One law.
    pub law: Option<Law>,
    /// One member.
    pub person: Option<i64>,
}

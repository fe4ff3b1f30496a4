//! Toewijzingen leaving the app: what a 301 message is made of.

use crate::domain::provision::{Law, Provision};
use crate::model::providers::Provider;
use chrono::NaiveDate;

/// One assigned provision with the member's data the message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToewijzingItem {
    /// The provision (status toegewezen).
    pub provision: Provision,
    /// The member's BSN.
    pub bsn: Option<String>,
    /// The member's name.
    pub name: String,
    /// The member's birth date.
    pub birth_date: Option<NaiveDate>,
}

/// One message to deliver: a provider, a law, an identification and its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToewijzingBatch {
    /// The receiving provider.
    pub provider: Provider,
    /// Wmo or Jeugdwet.
    pub law: Law,
    /// The message identification (unique, at most 12 characters).
    pub identification: String,
    /// The message date.
    pub dagtekening: NaiveDate,
    /// The provisions, by member and start.
    pub items: Vec<ToewijzingItem>,
}

/// Which toewijzingen to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Only those not yet in a message (the default).
    New,
    /// Every provision still toegewezen to the provider, also those sent before.
    All,
}

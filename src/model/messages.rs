//! Messages from and to providers (iWmo/iJw 3.2): what an applied message did, the requests of
//! providers on their worklist, and the answers and grants the backoffice gives them.

use chrono::NaiveDate;

use crate::domain::provision::{Frequency, Law, Unit};
use crate::model::providers::Provider;

/// What one applied message did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// `WMO305`, `JW317`, ….
    pub message: String,
    /// The provider's identification of the message.
    pub identification: String,
    /// The client's household.
    pub household_id: i64,
    /// A Dutch summary without client data ("2 start(s) vastgelegd").
    pub summary: String,
}

/// What a request asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// A verzoek om toewijzing (315).
    Toewijzing,
    /// A verzoek om wijziging (317).
    Wijziging,
}

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    /// Waiting for the backoffice.
    Open,
    /// Granted.
    Granted,
    /// Refused (a 319 was sent).
    Refused,
}

/// One product line of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLine {
    /// `nieuw`, `wijzig` or `ongewijzigd`.
    pub action: String,
    /// The toewijzing it is about (`wijzig`, `ongewijzigd`).
    pub provision_id: Option<i64>,
    /// Category and product code (`nieuw`).
    pub product: Option<(String, String)>,
    /// From when.
    pub start_on: Option<NaiveDate>,
    /// Until when.
    pub end_on: Option<NaiveDate>,
    /// Volume, unit, frequency.
    pub volume: Option<(u32, Unit, Frequency)>,
    /// The referrer (type code, name, AGB code).
    pub referrer: Option<(String, Option<String>, Option<String>)>,
}

/// A request of a provider on the worklist "Verzoeken van aanbieders".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderRequest {
    /// Its number.
    pub id: i64,
    /// What it asks.
    pub kind: RequestKind,
    /// The law.
    pub law: Law,
    /// Where it is.
    pub status: RequestStatus,
    /// The provider.
    pub provider: Provider,
    /// The household and member.
    pub household_id: i64,
    /// The member.
    pub person_id: i64,
    /// The household's label.
    pub household: String,
    /// The member's name.
    pub person: String,
    /// The provider's reference.
    pub reference: String,
    /// `RedenVerzoek` (317).
    pub reason: Option<String>,
    /// The provider's comment.
    pub comment: Option<String>,
    /// The day it came in.
    pub received_on: NaiveDate,
    /// The refusal reason code, when refused.
    pub refusal: Option<String>,
    /// The products.
    pub lines: Vec<RequestLine>,
}

/// A 319 to deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerBatch {
    /// The provider.
    pub provider: Provider,
    /// The law.
    pub law: Law,
    /// The identification.
    pub identification: String,
    /// The date.
    pub dagtekening: NaiveDate,
    /// The provider's reference of the request.
    pub reference: String,
    /// The refusal reason code.
    pub reason: String,
}

/// What granting a request did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The request.
    pub request: ProviderRequest,
    /// The provisions created or changed.
    pub provisions: Vec<i64>,
}

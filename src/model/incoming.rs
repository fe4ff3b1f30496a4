//! A provider's message as the exchange parser reads it and the store applies it: start and
//! stop of care (305, 307), a verzoek om toewijzing (315) and a verzoek om wijziging (317).

use chrono::NaiveDate;

use crate::domain::provision::{Frequency, Law, Unit};

/// What a provider's message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 305 start zorg.
    Start,
    /// 307 stop zorg.
    Stop,
    /// 315 verzoek om toewijzing.
    Request,
    /// 317 verzoek om wijziging.
    Change,
}

impl Kind {
    /// Every kind keukentafel reads.
    pub const ALL: [Kind; 4] = [Kind::Start, Kind::Stop, Kind::Request, Kind::Change];

    /// The message number (305, 307, 315, 317).
    pub fn number(self) -> u16 {
        match self {
            Kind::Start => 305,
            Kind::Stop => 307,
            Kind::Request => 315,
            Kind::Change => 317,
        }
    }

    /// The berichtcode of the kind under `law`.
    pub fn code(self, law: Law) -> &'static str {
        match (self, law) {
            (Kind::Start, Law::Wmo) => "418",
            (Kind::Stop, Law::Wmo) => "420",
            (Kind::Request, Law::Wmo) => "444",
            (Kind::Change, Law::Wmo) => "480",
            (Kind::Start, Law::Jeugdwet) => "438",
            (Kind::Stop, Law::Jeugdwet) => "440",
            (Kind::Request, Law::Jeugdwet) => "446",
            (Kind::Change, Law::Jeugdwet) => "486",
        }
    }

    /// Dutch words for the kind.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Start => "start zorg",
            Kind::Stop => "stop zorg",
            Kind::Request => "verzoek om toewijzing",
            Kind::Change => "verzoek om wijziging",
        }
    }
}

/// The message name (`WMO305`, `JW317`).
pub fn name(law: Law, kind: Kind) -> String {
    crate::domain::istandaard::message_name(law, kind.number())
}

/// The header of a provider's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingHeader {
    /// The law (from the namespace).
    pub law: Law,
    /// What it is.
    pub kind: Kind,
    /// The sending provider's AGB code.
    pub sender: String,
    /// The receiving municipality's code.
    pub receiver: String,
    /// The provider's identification of the message.
    pub identification: String,
    /// Its date.
    pub dagtekening: NaiveDate,
}

/// How a start or stop is delivered (`StatusAanlevering`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// 1: first delivery.
    First,
    /// 3: withdraws the earlier delivery of this start or stop.
    Withdraw,
}

/// A volume as the messages write it (`Omvang`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Volume {
    /// Volume.
    pub volume: u32,
    /// Unit.
    pub unit: Unit,
    /// Frequency.
    pub frequency: Frequency,
}

/// One started product (305).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartLine {
    /// Where it is in the message.
    pub location: String,
    /// The toewijzingnummer.
    pub number: u64,
    /// The first day of care.
    pub begin: NaiveDate,
    /// First delivery or withdrawal.
    pub delivery: Delivery,
}

/// One stopped product (307).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopLine {
    /// Where it is in the message.
    pub location: String,
    /// The toewijzingnummer.
    pub number: u64,
    /// The first day of care, as the provider recorded it.
    pub begin: NaiveDate,
    /// The last day of care.
    pub end: NaiveDate,
    /// The reason (code list `RedenBeeindiging`).
    pub reason: String,
    /// First delivery or withdrawal.
    pub delivery: Delivery,
}

/// Who referred the client (Jeugdwet and Wmo `Verwijzer`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referrer {
    /// Code list `TypeVerwijzer`: 01 gemeente, 02 huisarts, 03 jeugdarts, ….
    pub kind: String,
    /// Name, when given.
    pub name: Option<String>,
    /// The referrer's AGB code, when given.
    pub agb: Option<String>,
}

/// One requested product (315) or new product in a change request (317).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestedProduct {
    /// Where it is in the message.
    pub location: String,
    /// The provider's reference (315; the request's reference for a 317).
    pub reference: String,
    /// Product category.
    pub category: String,
    /// Product code.
    pub code: String,
    /// First day wanted.
    pub start: NaiveDate,
    /// Last day wanted.
    pub end: Option<NaiveDate>,
    /// The volume.
    pub volume: Volume,
    /// The referrer (315).
    pub referrer: Option<Referrer>,
    /// The provider's comment.
    pub comment: Option<String>,
}

/// One toewijzing the provider asks to change (317).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedProduct {
    /// Where it is in the message.
    pub location: String,
    /// The toewijzingnummer.
    pub number: u64,
    /// From when.
    pub from: NaiveDate,
    /// The new end, when asked.
    pub end: Option<NaiveDate>,
    /// The new volume, when asked.
    pub volume: Option<Volume>,
}

/// What the message says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// 305.
    Start(Vec<StartLine>),
    /// 307.
    Stop(Vec<StopLine>),
    /// 315: one request per product.
    Request(Vec<RequestedProduct>),
    /// 317.
    Change {
        /// The provider's reference.
        reference: String,
        /// `RedenVerzoek`: 1 verandering cliëntsituatie, 2 wijziging zorgplan.
        reason: String,
        /// Toewijzingen that stay as they are.
        unchanged: Vec<(String, u64)>,
        /// Toewijzingen to change.
        changes: Vec<ChangedProduct>,
        /// Products to add.
        new: Vec<RequestedProduct>,
    },
}

/// A provider's message, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// The header.
    pub header: IncomingHeader,
    /// The client's BSN.
    pub bsn: String,
    /// The content.
    pub body: Body,
}

//! The code lists and message names of the iWmo/iJw 3.2 standards that the store, the
//! messages and the screens share: which message a law's toewijzing is, why a toewijzing is
//! sent again (`RedenWijziging`), why care ended (`RedenBeeindiging`), why a request is refused
//! (`RedenAfwijzingVerzoek`).

use crate::domain::Invalid;
use crate::domain::provision::Law;

/// The message kind of a law: (berichtcode, name, namespace).
pub fn kind(law: Law) -> (&'static str, &'static str, &'static str) {
    match law {
        Law::Wmo => (
            "414",
            "WMO301",
            "http://www.istandaarden.nl/iwmo/3_2/wmo301/schema",
        ),
        Law::Jeugdwet => (
            "436",
            "JW301",
            "http://www.istandaarden.nl/ijw/3_2/jw301/schema",
        ),
    }
}

/// Why a toewijzing that was sent before is sent again (code list `RedenWijziging`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeReason {
    /// 04 Herbeoordeling: verlenging toewijzing (a later end, or none).
    Extended,
    /// 05 Herbeoordeling: verkorting toewijzing (an earlier end, or ended).
    Shortened,
    /// 12 Geïnitieerd door de aanbieder (after a stop message or a verzoek om wijziging).
    ByProvider,
    /// 13 Verwijderd: ended before it started; Einddatum equals Ingangsdatum (rule CS335).
    Removed,
    /// 14 Administratieve correctie (volume, unit or frequency changed).
    Correction,
}

impl ChangeReason {
    /// The code in the message.
    pub fn code(self) -> &'static str {
        match self {
            ChangeReason::Extended => "04",
            ChangeReason::Shortened => "05",
            ChangeReason::ByProvider => "12",
            ChangeReason::Removed => "13",
            ChangeReason::Correction => "14",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<ChangeReason> {
        [
            ChangeReason::Extended,
            ChangeReason::Shortened,
            ChangeReason::ByProvider,
            ChangeReason::Removed,
            ChangeReason::Correction,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

/// The end reasons of a stop message (code list `RedenBeeindiging`).
pub const END_REASONS: [(&str, &str); 11] = [
    ("02", "Overlijden"),
    ("19", "Levering volgens plan beëindigd"),
    ("20", "Levering is tijdelijk beëindigd"),
    ("21", "Levering is eenzijdig door cliënt beëindigd"),
    ("22", "Levering is eenzijdig door aanbieder beëindigd"),
    ("23", "Levering is in overeenstemming voortijdig beëindigd"),
    ("31", "Verhuizing naar een andere gemeente"),
    ("36", "Geïnitieerd door de gemeente"),
    ("37", "In verband met wijzigingsverzoek"),
    ("38", "Overstap naar andere aanbieder"),
    ("39", "Uitstroom naar ander domein"),
];

/// The words of an end reason code.
pub fn end_reason_label(code: &str) -> &'static str {
    END_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("onbekende reden", |(_, l)| *l)
}

/// Why a request is refused (code list `RedenAfwijzingVerzoek`).
pub const REFUSAL_REASONS: [(&str, &str); 9] = [
    ("1", "Geen wijziging, maar nieuwe aanvraag"),
    ("2", "Past niet binnen budget"),
    ("3", "Geen contract"),
    ("4", "Past niet binnen contract"),
    ("5", "Andere gemeente"),
    ("6", "Stapeling"),
    ("7", "Zorginhoudelijke afkeur"),
    ("8", "Woonplaatsbeginsel"),
    ("9", "Leeftijdsgrens is bereikt"),
];

/// Checks a refusal reason typed as its code ("3") or its words ("geen contract").
pub fn parse_reason(input: &str) -> Result<&'static str, Invalid> {
    let w = input.trim().to_lowercase();
    REFUSAL_REASONS
        .iter()
        .find(|(code, label)| *code == w || label.to_lowercase() == w)
        .map(|(code, _)| *code)
        .ok_or_else(|| {
            let list: Vec<String> = REFUSAL_REASONS
                .iter()
                .map(|(c, l)| format!("{c} {l}"))
                .collect();
            Invalid::new(
                "reden",
                format!(
                    "Onbekende reden van afwijzing '{}'. Kies uit: {}.",
                    input.trim(),
                    list.join(", ")
                ),
                format!(
                    "Unknown refusal reason '{}'. Choose one of: {}.",
                    input.trim(),
                    list.join(", ")
                ),
            )
        })
}

/// The message name of a law and number: `WMO301`, `JW319`, ….
pub fn message_name(law: Law, number: u16) -> String {
    match law {
        Law::Wmo => format!("WMO{number}"),
        Law::Jeugdwet => format!("JW{number}"),
    }
}

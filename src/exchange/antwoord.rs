//! The antwoordbericht to a provider: iWmo 3.2 WMO319 (berichtcode 482) or iJw 3.2 JW319
//! (488). keukentafel sends it when the backoffice refuses a verzoek om toewijzing (315) or a
//! verzoek om wijziging (317): `VerzoekAntwoord` 1 (verzoek afgewezen) with the reason from the
//! code list `RedenAfwijzingVerzoek` (rule CD085: a refusal names its reason). A granted
//! request is answered with a 301 instead.

use chrono::NaiveDate;

use super::xml::{OutgoingHeader, Writer};
use crate::domain::Invalid;
pub use crate::domain::istandaard::{REFUSAL_REASONS, parse_reason};
use crate::domain::provision::Law;

/// The words of a refusal reason code.
pub fn reason_label(code: &str) -> &'static str {
    REFUSAL_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("onbekende reden", |(_, l)| *l)
}

/// One antwoordbericht.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Wmo (WMO319) or Jeugdwet (JW319).
    pub law: Law,
    /// The sending municipality's CBS code.
    pub gemeente: String,
    /// The provider's AGB code.
    pub agb: String,
    /// The message identification.
    pub identification: String,
    /// The message date.
    pub dagtekening: NaiveDate,
    /// The provider's reference of the request (`ReferentieAanbieder`, at most 36 characters).
    pub reference: String,
    /// The refusal reason code (1–9).
    pub reason: String,
}

/// Renders the 319.
pub fn render(a: &Answer) -> Result<String, Invalid> {
    if a.reference.trim().is_empty() || a.reference.chars().count() > 36 {
        return Err(Invalid::new(
            "referentie",
            "De referentie van de aanbieder moet 1 tot 36 tekens zijn.",
            "The provider's reference must be 1 to 36 characters.",
        ));
    }
    let reason = parse_reason(&a.reason)?;
    let code = match a.law {
        Law::Wmo => "482",
        Law::Jeugdwet => "488",
    };
    let mut w = Writer::new(a.law, 319);
    w.header_to_provider(&OutgoingHeader {
        code,
        gemeente: a.gemeente.clone(),
        agb: a.agb.clone(),
        identification: a.identification.clone(),
        dagtekening: a.dagtekening,
    });
    w.open("Antwoord");
    w.leaf("ReferentieAanbieder", &a.reference);
    w.leaf("VerzoekAntwoord", "1");
    w.leaf("RedenAfwijzingVerzoek", reason);
    w.close("Antwoord");
    Ok(w.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_taken_by_code_or_words() {
        assert_eq!(parse_reason("3"), Ok("3"));
        assert_eq!(parse_reason(" Geen contract "), Ok("3"));
        assert!(
            parse_reason("10")
                .unwrap_err()
                .nl
                .contains("Kies uit: 1 Geen wijziging")
        );
    }
}

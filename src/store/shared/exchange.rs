//! The pure rules of the message cycle that both backends share: a provision's effective end,
//! its terms as the messages carry them, the reason of a change, message numbers, and the
//! checks and errors of requests and answers.

use chrono::NaiveDate;

use super::codec::date_text;
use crate::domain::Invalid;
use crate::domain::istandaard::ChangeReason;
use crate::domain::provision::*;
use crate::model::incoming::RequestedProduct;
use crate::store::audit::{Action, AuditEvent};
use crate::store::{Result, StoreError};

/// The last day of a toewijzing as the provider should know it.
pub fn effective_end(p: &Provision) -> Option<NaiveDate> {
    match (p.status, &p.ended) {
        (ProvisionStatus::Beeindigd, Some((on, _))) => Some(p.end_on.map_or(*on, |e| e.min(*on))),
        _ => p.end_on,
    }
}

/// The terms the provider was told, as stored in `provision.sent_terms`.
pub fn terms(p: &Provision, end: Option<NaiveDate>) -> String {
    format!(
        "{}|{}|{}|{}",
        end.map(date_text).unwrap_or_default(),
        p.volume,
        p.unit.code(),
        p.frequency.code()
    )
}

/// Why a sent toewijzing is sent again: `None` when it did not change.
pub fn change_reason(
    p: &Provision,
    end: Option<NaiveDate>,
    sent: &str,
    stored: Option<&str>,
) -> Option<ChangeReason> {
    let now = terms(p, end);
    if now == sent {
        return None;
    }
    if end.is_some_and(|e| e < p.start_on) {
        return Some(ChangeReason::Removed);
    }
    if let Some(reason) = stored.and_then(ChangeReason::parse) {
        return Some(reason);
    }
    let (old_end, old_rest) = sent.split_once('|').unwrap_or(("", sent));
    let (_, new_rest) = now.split_once('|').unwrap_or(("", ""));
    if old_rest != new_rest {
        return Some(ChangeReason::Correction);
    }
    let old_end = NaiveDate::parse_from_str(old_end, "%Y-%m-%d").ok();
    match (old_end, end) {
        (Some(old), Some(new)) if new > old => Some(ChangeReason::Extended),
        (Some(_), None) => Some(ChangeReason::Extended),
        _ => Some(ChangeReason::Shortened),
    }
}

/// The identification of outgoing message `number`: `KT` and ten digits.
pub fn identification(number: i64) -> String {
    format!("KT{number:010}")
}

/// A refusal at `location` (an element of the message).
pub(crate) fn refuse(location: &str, nl: impl Into<String>, en: impl Into<String>) -> StoreError {
    let (nl, en) = (nl.into(), en.into());
    Invalid::new(
        "bericht",
        format!("{location}: {nl}"),
        format!("{location}: {en}"),
    )
    .into()
}

pub(crate) fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// Checks a requested product against what keukentafel can assign.
pub(crate) fn check_requested(law: Law, p: &RequestedProduct) -> Result<()> {
    let category: u32 = p.category.parse().unwrap_or(0);
    let fits = match law {
        Law::Wmo => (1..=18).contains(&category),
        Law::Jeugdwet => (40..=59).contains(&category),
    };
    if !fits {
        return Err(refuse(
            &format!("{}/Product/Categorie", p.location),
            format!(
                "productcategorie {} hoort niet bij de {}.",
                p.category,
                law.name()
            ),
            format!(
                "product category {} does not belong to the {}.",
                p.category,
                law.name()
            ),
        ));
    }
    Ok(())
}

pub(crate) trait MapCode {
    fn map_invalid_code(self, code: &str) -> StoreError;
}

/// The audit event of a new provider (no household).
pub(crate) fn provider_event(id: i64, detail: Option<String>) -> AuditEvent {
    AuditEvent {
        action: Action::Create,
        object: "provider",
        object_id: Some(id),
        household_id: None,
        person_id: None,
        detail,
    }
}

/// The audit event of a new contract (no household).
pub(crate) fn contract_event(id: i64, detail: String) -> AuditEvent {
    AuditEvent {
        action: Action::Create,
        object: "contract",
        object_id: Some(id),
        household_id: None,
        person_id: None,
        detail: Some(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::provision::{Financing, Frequency, Unit};

    fn provision() -> Provision {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        Provision {
            id: 1,
            household_id: 1,
            person_id: 1,
            law: Law::Wmo,
            category: "02".into(),
            product: "02A05".into(),
            provider_id: Some(1),
            start_on: d(1, 1),
            end_on: Some(d(12, 31)),
            volume: 3,
            unit: Unit::Uur,
            frequency: Frequency::PerWeek,
            financing: Financing::Zin,
            eigen_bijdrage: false,
            motivation: None,
            status: ProvisionStatus::Toegewezen,
            beschikking: None,
            toewijzing: None,
            svb_reported_on: None,
            cak_notified_on: None,
            ended: None,
            care: Default::default(),
        }
    }

    #[test]
    fn a_change_is_named_by_what_changed() {
        let p = provision();
        let sent = terms(&p, p.end_on);
        assert_eq!(change_reason(&p, p.end_on, &sent, None), None);
        let mut ended = p.clone();
        ended.status = ProvisionStatus::Beeindigd;
        ended.ended = Some((
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
            "x".into(),
        ));
        let end = effective_end(&ended);
        assert_eq!(end, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(
            change_reason(&ended, end, &sent, None),
            Some(ChangeReason::Shortened)
        );
        assert_eq!(
            change_reason(&ended, end, &sent, Some("12")),
            Some(ChangeReason::ByProvider)
        );
        let mut longer = p.clone();
        longer.end_on = NaiveDate::from_ymd_opt(2027, 6, 30);
        assert_eq!(
            change_reason(&longer, longer.end_on, &sent, None),
            Some(ChangeReason::Extended)
        );
        let mut more = p.clone();
        more.volume = 4;
        assert_eq!(
            change_reason(&more, more.end_on, &sent, None),
            Some(ChangeReason::Correction)
        );
        let before = NaiveDate::from_ymd_opt(2025, 12, 1);
        assert_eq!(
            change_reason(&p, before, &sent, None),
            Some(ChangeReason::Removed)
        );
    }
}

//! The backoffice worklists: provisions waiting for a beschikking (the formal decision), for a
//! toewijzing (the assignment to a provider), for the SVB (PGB) or the CAK (eigen bijdrage), and
//! those ending soon; and the bulk actions on a selection of them. A bulk action is all or
//! nothing: one transaction, one audit row per provision (with its household), and the first
//! refused provision names itself and changes nothing.

use chrono::{Duration, NaiveDate};
use rusqlite::params;
use serde::Serialize;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::date_text;
use super::provisions::{PROVISION_COLUMNS, provision_row, require_contract};
use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::invalid::required_text;
use crate::domain::provision::{Financing, Provision, ProvisionStatus};

/// How far ahead "ending soon" looks.
pub const ENDING_WITHIN_DAYS: i64 = 56;

/// A backoffice worklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Worklist {
    /// Requested, waiting for a beschikking.
    AwaitingBeschikking,
    /// Granted (zorg in natura), not yet assigned to a provider.
    AwaitingToewijzing,
    /// PGB granted or running, not yet reported to the SVB.
    PgbToSvb,
    /// With an eigen bijdrage, granted or running, not yet notified to the CAK.
    EigenBijdrageToCak,
    /// Running and ending within eight weeks.
    EndingSoon,
    /// Toegewezen more than N days ago (`zonder_startbericht_dagen`, default 14) and no start
    /// message (305) from the provider yet.
    WithoutStart,
}

impl Worklist {
    /// Every worklist, in screen order.
    pub const ALL: [Worklist; 6] = [
        Worklist::AwaitingBeschikking,
        Worklist::AwaitingToewijzing,
        Worklist::WithoutStart,
        Worklist::PgbToSvb,
        Worklist::EigenBijdrageToCak,
        Worklist::EndingSoon,
    ];

    /// Its name on screen and in exports.
    pub fn title(self) -> &'static str {
        match self {
            Worklist::AwaitingBeschikking => "Wacht op beschikking",
            Worklist::AwaitingToewijzing => "Toegekend, nog niet toegewezen",
            Worklist::PgbToSvb => "PGB naar de SVB",
            Worklist::EigenBijdrageToCak => "Eigen bijdrage naar het CAK",
            Worklist::EndingSoon => "Eindigt binnen 8 weken",
            Worklist::WithoutStart => "Zonder startbericht",
        }
    }

    /// A stable code (command line, file names).
    pub fn code(self) -> &'static str {
        match self {
            Worklist::AwaitingBeschikking => "beschikking",
            Worklist::AwaitingToewijzing => "toewijzing",
            Worklist::PgbToSvb => "svb",
            Worklist::EigenBijdrageToCak => "cak",
            Worklist::EndingSoon => "einde",
            Worklist::WithoutStart => "zonder-start",
        }
    }

    fn condition(self) -> &'static str {
        match self {
            Worklist::AwaitingBeschikking => "v.status = 'aangevraagd'",
            Worklist::AwaitingToewijzing => "v.status = 'toegekend' AND v.financing = 'zin'",
            Worklist::PgbToSvb => {
                "v.financing = 'pgb' AND v.status IN ('toegekend', 'gestart') AND v.svb_reported_on IS NULL"
            }
            Worklist::EigenBijdrageToCak => {
                "v.eigen_bijdrage = 1 AND v.status IN ('toegekend', 'toegewezen', 'gestart') AND v.cak_notified_on IS NULL"
            }
            Worklist::EndingSoon => {
                "v.status IN ('toegekend', 'toegewezen', 'gestart') AND v.end_on IS NOT NULL AND v.end_on >= ?1 AND v.end_on <= ?2"
            }
            Worklist::WithoutStart => {
                "v.status = 'toegewezen' AND v.care_started_on IS NULL AND v.assigned_on <= ?3"
            }
        }
    }
}

/// One row of a worklist: the provision with what the backoffice needs to act on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    /// The provision.
    pub provision: Provision,
    /// The household's label.
    pub household: String,
    /// The member's name.
    pub person: String,
    /// The member's BSN, when recorded.
    pub bsn: Option<String>,
    /// The provider's name, when assigned.
    pub provider: Option<String>,
}

/// What a bulk action does to each selected provision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Grant in a beschikking of this date; numbers are `number` (one) or `number-1`, `number-2`, ….
    Grant {
        /// Date of the beschikking.
        on: NaiveDate,
        /// Its number.
        number: String,
    },
    /// Refuse in a beschikking of this date.
    Refuse {
        /// Date of the beschikking.
        on: NaiveDate,
        /// Its number.
        number: String,
    },
    /// Assign to a provider (sends the toewijzing).
    Assign {
        /// The provider.
        provider_id: i64,
        /// Date of the toewijzing.
        on: NaiveDate,
    },
    /// Reported to the SVB.
    ReportSvb {
        /// The date.
        on: NaiveDate,
    },
    /// Notified to the CAK.
    NotifyCak {
        /// The date.
        on: NaiveDate,
    },
    /// The provider (or the PGB) started.
    Start {
        /// The date.
        on: NaiveDate,
    },
    /// Ended, with a reason.
    End {
        /// The date.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl BulkAction {
    /// A one-line summary of what the action will do to `n` provisions, shown before it runs.
    pub fn summary(&self, n: usize) -> String {
        let what = match self {
            BulkAction::Grant { on, number } if n > 1 => format!(
                "toekennen met beschikking {number}-1 t/m {number}-{n} van {}",
                on.format("%d-%m-%Y")
            ),
            BulkAction::Grant { on, number } => format!(
                "toekennen met beschikking {number} van {}",
                on.format("%d-%m-%Y")
            ),
            BulkAction::Refuse { number, .. } => format!("afwijzen met beschikking {number}"),
            BulkAction::Assign { .. } => "toewijzen aan de gekozen aanbieder".to_string(),
            BulkAction::ReportSvb { .. } => "als gemeld bij de SVB markeren".to_string(),
            BulkAction::NotifyCak { .. } => "als gemeld bij het CAK markeren".to_string(),
            BulkAction::Start { .. } => "als gestart markeren".to_string(),
            BulkAction::End { reason, .. } => format!("beëindigen ({reason})"),
        };
        let noun = if n == 1 {
            "voorziening"
        } else {
            "voorzieningen"
        };
        format!("{n} {noun} {what}.")
    }
}

impl Store {
    /// The provisions on `list`, oldest start first, with household, member and provider.
    /// Backoffice only; the listing is audited as one row (which list, how many).
    pub fn worklist(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<Vec<WorkItem>> {
        authorize(session, Operation::DecideProvision, None)?;
        let columns = PROVISION_COLUMNS
            .split(',')
            .map(|c| format!("v.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        // Every list binds today (?1), the end of the "ending soon" window (?2) and the last
        // toewijzing day of "zonder startbericht" (?3); the lists that do not compare dates still
        // name them, so the statement takes the same parameters.
        let sql = format!(
            "SELECT {columns}, h.label, p.name, p.bsn, a.name
             FROM provision v JOIN household h ON h.id = v.household_id
             JOIN person p ON p.id = v.person_id
             LEFT JOIN provider a ON a.id = v.provider_id
             WHERE {} AND (?1 IS NOT NULL OR ?2 IS NOT NULL OR ?3 IS NOT NULL) AND h.erased_on IS NULL
             ORDER BY v.start_on, v.id",
            list.condition()
        );
        let until = today + Duration::days(ENDING_WITHIN_DAYS);
        let assigned_by = today - Duration::days(i64::from(self.days_without_start()));
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![
                date_text(today),
                date_text(until),
                date_text(assigned_by)
            ])?;
            let n = PROVISION_COLUMNS.split(',').count();
            let mut items = Vec::new();
            while let Some(row) = rows.next()? {
                items.push(WorkItem {
                    provision: provision_row(row)?,
                    household: row.get(n)?,
                    person: row.get(n + 1)?,
                    bsn: row.get(n + 2)?,
                    provider: row.get(n + 3)?,
                });
            }
            let event = AuditEvent {
                action: Action::Read,
                object: "worklist",
                object_id: None,
                household_id: None,
                person_id: None,
                detail: Some(format!("{}: {}", list.code(), items.len())),
            };
            audit::append(tx, now, &actor, &event)?;
            Ok(items)
        })
    }

    /// Applies `action` to every provision in `ids`, or to none: the first one that cannot take
    /// it is named in the error. Returns how many changed. Backoffice only.
    pub fn bulk(&mut self, session: &Session, ids: &[i64], action: &BulkAction) -> Result<usize> {
        authorize(session, Operation::DecideProvision, None)?;
        if let BulkAction::End { reason, .. } = action {
            required_text("reason", "De reden", "The reason", reason, 200)?;
        }
        // The same provision twice in a selection is done once.
        let mut unique: Vec<i64> = Vec::with_capacity(ids.len());
        for id in ids {
            if !unique.contains(id) {
                unique.push(*id);
            }
        }
        let ids = unique;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            // Provisions of erased households are out of reach, as they are off the worklists.
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {PROVISION_COLUMNS} FROM provision
                 WHERE id = ?1 AND household_id IN (SELECT id FROM household WHERE erased_on IS NULL)"
            ))?;
            for (n, id) in ids.iter().enumerate() {
                let provision = stmt
                    .query([id])?
                    .next()?
                    .map(provision_row)
                    .transpose()?
                    .ok_or_else(|| StoreError::NotFound(format!("Voorziening {id}")))?;
                let detail = decide(tx, &provision, action, n, ids.len())
                    .map_err(|e| named(e, &provision))?;
                let event = AuditEvent::household(
                    Action::Update,
                    "provision",
                    provision.id,
                    provision.household_id,
                )
                .with_person(provision.person_id)
                .with_detail(detail);
                audit::append(tx, now, &actor, &event)?;
            }
            Ok(ids.len())
        })
    }
}

/// Prefixes a refusal with the provision it is about.
fn named(e: StoreError, p: &Provision) -> StoreError {
    match e {
        StoreError::Invalid(i) => Invalid::new(
            i.field,
            format!("Voorziening {} (product {}): {}", p.id, p.product, i.nl),
            format!("Provision {} (product {}): {}", p.id, p.product, i.en),
        )
        .into(),
        other => other,
    }
}

/// Writes one provision's step; returns the audit detail.
fn decide(
    tx: &rusqlite::Connection,
    p: &Provision,
    action: &BulkAction,
    index: usize,
    count: usize,
) -> Result<String> {
    use ProvisionStatus::*;
    let step = |to: ProvisionStatus| -> Result<()> {
        if p.status.may_become(to, p.financing) {
            Ok(())
        } else {
            Err(p.status.refusal(to).into())
        }
    };
    let set = |sql: &str, values: &[&dyn rusqlite::ToSql]| -> Result<()> {
        tx.execute(sql, values)?;
        Ok(())
    };
    match action {
        BulkAction::Grant { on, number } | BulkAction::Refuse { on, number } => {
            let granted = matches!(action, BulkAction::Grant { .. });
            let to = if granted { Toegekend } else { Afgewezen };
            step(to)?;
            let number =
                required_text("number", "Het beschikkingsnummer", "The number", number, 40)?;
            let number = if count > 1 {
                format!("{number}-{}", index + 1)
            } else {
                number
            };
            if granted {
                let bsn: Option<String> =
                    tx.query_row("SELECT bsn FROM person WHERE id = ?1", [p.person_id], |r| {
                        r.get(0)
                    })?;
                if bsn.is_none() {
                    return Err(Invalid::new(
                        "bsn",
                        "voor een beschikking is het BSN van het gezinslid nodig.",
                        "a beschikking needs the member's BSN.",
                    )
                    .into());
                }
            }
            set(
                "UPDATE provision SET status = ?1, beschikking_on = ?2, beschikking_number = ?3 WHERE id = ?4",
                &[&to.code(), &date_text(*on), &number, &p.id],
            )?;
            Ok(format!("{} {number}", to.code()))
        }
        BulkAction::Assign { provider_id, on } => {
            step(Toegewezen)?;
            require_contract(tx, *provider_id, &p.product, p.start_on)?;
            // The 301 message allows at most 9 digits: the provision's id, zero-padded.
            let number = format!("{:09}", p.id);
            set(
                "UPDATE provision SET status = 'toegewezen', provider_id = ?1, toewijzing_number = ?2,
                 assigned_on = ?3 WHERE id = ?4",
                &[provider_id, &number, &date_text(*on), &p.id],
            )?;
            Ok(format!("toegewezen {number}"))
        }
        BulkAction::ReportSvb { on } => {
            if p.svb_reported_on.is_some() {
                return Err(Invalid::new(
                    "svb",
                    "deze is al bij de SVB gemeld.",
                    "this one was reported to the SVB already.",
                )
                .into());
            }
            if p.financing != Financing::Pgb || !matches!(p.status, Toegekend | Gestart) {
                return Err(Invalid::new(
                    "svb",
                    "alleen een toegekend of lopend PGB gaat naar de SVB.",
                    "only a granted or running PGB goes to the SVB.",
                )
                .into());
            }
            set(
                "UPDATE provision SET svb_reported_on = ?1 WHERE id = ?2",
                &[&date_text(*on), &p.id],
            )?;
            Ok("svb".into())
        }
        BulkAction::NotifyCak { on } => {
            if p.cak_notified_on.is_some() {
                return Err(Invalid::new(
                    "cak",
                    "deze is al bij het CAK gemeld.",
                    "this one was notified to the CAK already.",
                )
                .into());
            }
            if !p.eigen_bijdrage || !matches!(p.status, Toegekend | Toegewezen | Gestart) {
                return Err(Invalid::new(
                    "cak",
                    "alleen een toegekende of lopende voorziening met eigen bijdrage gaat naar het CAK.",
                    "only a granted or running provision with an eigen bijdrage goes to the CAK.",
                )
                .into());
            }
            set(
                "UPDATE provision SET cak_notified_on = ?1 WHERE id = ?2",
                &[&date_text(*on), &p.id],
            )?;
            Ok("cak".into())
        }
        BulkAction::Start { .. } => {
            step(Gestart)?;
            set(
                "UPDATE provision SET status = 'gestart' WHERE id = ?1",
                &[&p.id],
            )?;
            Ok("gestart".into())
        }
        BulkAction::End { on, reason } => {
            step(Beeindigd)?;
            set(
                // An end by the backoffice speaks for itself in the next 301 (RedenWijziging 05).
                "UPDATE provision SET status = 'beeindigd', ended_on = ?1, end_reason = ?2, change_reason = NULL WHERE id = ?3",
                &[&date_text(*on), reason, &p.id],
            )?;
            Ok("beeindigd".into())
        }
    }
}

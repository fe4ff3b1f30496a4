//! The CSV imports into the database: providers with their contracts, and "dat"-flags from
//! municipal systems. Each import is one `BEGIN IMMEDIATE` transaction: all rows or none,
//! unless the caller asks to skip bad rows; every change is audited (flags with their
//! household and the source system as detail). Running the same file twice changes nothing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{date_text, parse_date};
use super::provisions::{contract_event, insert_contract, insert_provider, provider_event};
use super::{Result, Store, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;

use crate::model::imports::*;
use crate::model::providers::ContractFields;
pub(crate) use crate::store::shared::records::refused;

impl Store {
    /// Imports providers (created once per AGB code) and one contract per row. A contract
    /// that exists with the same product, start, tariff, unit and end is left alone; one with
    /// the same product and start but other terms refuses the row. With `skip_bad` such rows
    /// are reported and the rest imported; without it, nothing is.
    pub fn import_providers(
        &mut self,
        session: &Session,
        rows: &[ProviderRow],
        skip_bad: bool,
    ) -> Result<ProviderImport> {
        authorize(session, Operation::ManageProviders, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let mut report = ProviderImport::default();
            for row in rows {
                let existing: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM provider WHERE agb_code = ?1",
                        [row.agb.as_str()],
                        |r| r.get(0),
                    )
                    .optional()?;
                let contract: Option<(i64, String, Option<String>)> = match existing {
                    Some(provider) => tx
                        .query_row(
                            "SELECT tariff_cents, unit, valid_to FROM contract
                             WHERE provider_id = ?1 AND product_code = ?2 AND valid_from = ?3",
                            params![provider, row.product, date_text(row.valid_from)],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .optional()?,
                    None => None,
                };
                if let Some((tariff, unit, valid_to)) = contract {
                    if tariff == row.tariff_cents
                        && unit == row.unit.code()
                        && valid_to == row.valid_to.map(date_text)
                    {
                        report.unchanged += 1;
                    } else {
                        report.rejected.push(RowError {
                            line: row.line,
                            column: "tarief",
                            nl: format!(
                                "er is al een contract voor product {} vanaf {} met andere voorwaarden; pas het in de app aan.",
                                row.product,
                                row.valid_from.format("%d-%m-%Y")
                            ),
                            en: format!(
                                "a contract for product {} from {} exists with other terms; change it in the app.",
                                row.product,
                                row.valid_from.format("%d-%m-%Y")
                            ),
                        });
                    }
                    continue;
                }
                let provider = match existing {
                    Some(id) => id,
                    None => {
                        let id = insert_provider(
                            tx,
                            &row.name,
                            row.agb.as_str(),
                            row.contact.as_deref(),
                            &now.to_rfc3339(),
                        )?;
                        let event = provider_event(id, Some(format!("import, regel {}", row.line)));
                        audit::append(tx, now, &actor, &event)?;
                        report.providers_created += 1;
                        id
                    }
                };
                let fields = ContractFields {
                    product: row.product.clone(),
                    tariff_cents: row.tariff_cents,
                    unit: row.unit,
                    valid_from: row.valid_from,
                    valid_to: row.valid_to,
                };
                let id = insert_contract(tx, provider, &fields)?;
                let event = contract_event(
                    id,
                    format!(
                        "import, regel {}: aanbieder {provider}, product {}",
                        row.line, row.product
                    ),
                );
                audit::append(tx, now, &actor, &event)?;
                report.contracts_created += 1;
            }
            if !skip_bad && !report.rejected.is_empty() {
                return Err(refused(&report.rejected));
            }
            Ok(report)
        })
    }

    /// Imports flags by BSN: a row without `einde` says the flag is on, a row with `einde`
    /// that it ended. Per household and flag type the file's rows together decide: on when any
    /// row says on, else ended. A flag already so is left alone, so the same file twice
    /// changes nothing. Only persons in households that are not erased are matched; nothing
    /// but the flag (type, since, import as source) is written. One audit row per change, with
    /// the source system and the file line as detail.
    pub fn import_flags(&mut self, session: &Session, rows: &[FlagRow]) -> Result<FlagImport> {
        authorize(session, Operation::ImportFlags, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        self.write(|tx| {
            let mut report = FlagImport::default();
            // (household, kind) -> (on?, since, end, source, line, person)
            type Want = (bool, NaiveDate, Option<NaiveDate>, String, usize, i64);
            let mut wanted: BTreeMap<(i64, String), Want> = BTreeMap::new();
            {
                let mut find = tx.prepare_cached(
                    "SELECT p.id, p.household_id FROM person p JOIN household h ON h.id = p.household_id
                     WHERE p.bsn = ?1 AND h.erased_on IS NULL ORDER BY p.id",
                )?;
                for row in rows {
                    let people = find
                        .query_map([row.bsn.as_str()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    if people.is_empty() {
                        report.unmatched.push(row.line);
                        continue;
                    }
                    report.matched += 1;
                    for (person, household) in people {
                        let on = row.end.is_none();
                        let entry = wanted
                            .entry((household, row.kind.clone()))
                            .or_insert((on, row.since, row.end, row.source.clone(), row.line, person));
                        if on && !entry.0 {
                            *entry = (true, row.since, None, row.source.clone(), row.line, person);
                        } else if on == entry.0 && row.since < entry.1 {
                            entry.1 = row.since;
                        }
                    }
                }
            }
            for ((household, kind), (on, since, end, source, line, person)) in wanted {
                let active: Option<(i64, String)> = tx
                    .query_row(
                        "SELECT id, since FROM flag WHERE household_id = ?1 AND kind = ?2 AND ended_on IS NULL",
                        params![household, kind],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match (on, active) {
                    (true, None) => {
                        tx.execute(
                            "INSERT INTO flag (household_id, kind, since, source, set_by) VALUES (?1, ?2, ?3, 'import', NULL)",
                            params![household, kind, date_text(since)],
                        )?;
                        let id = tx.last_insert_rowid();
                        let event = AuditEvent::household(Action::Create, "flag", id, household)
                            .with_person(person)
                            .with_detail(format!(
                                "import uit {source} (regel {line}): {kind} sinds {}",
                                since.format("%d-%m-%Y")
                            ));
                        audit::append(tx, now, &actor, &event)?;
                        report.set += 1;
                    }
                    (false, Some((id, active_since))) => {
                        let end = end.unwrap_or(since);
                        let active_since = parse_date("flag", "since", &active_since)?;
                        let end = end.max(active_since);
                        tx.execute(
                            "UPDATE flag SET ended_on = ?1, end_reason = ?2, ended_by = ?3 WHERE id = ?4",
                            params![date_text(end), format!("beëindigd volgens {source}"), user, id],
                        )?;
                        let event = AuditEvent::household(Action::End, "flag", id, household)
                            .with_person(person)
                            .with_detail(format!(
                                "import uit {source} (regel {line}): {kind} beëindigd op {}",
                                end.format("%d-%m-%Y")
                            ));
                        audit::append(tx, now, &actor, &event)?;
                        report.ended += 1;
                    }
                    _ => report.unchanged += 1,
                }
            }
            Ok(report)
        })
    }
}

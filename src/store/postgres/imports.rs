//! The CSV imports on PostgreSQL (see `sqlite::imports`): providers with their contracts, and
//! "dat"-flags from municipal systems. Each import is one write transaction: all rows or none,
//! unless the caller asks to skip bad rows; every change is audited. Running the same file
//! twice changes nothing. What the import compares against is loaded in one query per table
//! (`= ANY($1)`), not one per row.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::{Result, Store, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::model::imports::*;
use crate::store::shared::exchange::{contract_event, provider_event};
use crate::store::shared::records::refused;

/// The terms of a stored contract: tariff, unit code, end.
type Terms = (i64, String, Option<NaiveDate>);

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
        let agbs: Vec<&str> = rows.iter().map(|r| r.agb.as_str()).collect();
        self.write(|tx| {
            let mut report = ProviderImport::default();
            let mut providers: HashMap<String, i64> = HashMap::new();
            for r in tx.query(
                "SELECT agb_code, id FROM provider WHERE agb_code = ANY($1)",
                &[&agbs],
            )? {
                providers.insert(r.try_get(0)?, r.try_get(1)?);
            }
            let mut contracts: HashMap<(i64, String, NaiveDate), Terms> = HashMap::new();
            for r in tx.query(
                "SELECT c.provider_id, c.product_code, c.valid_from, c.tariff_cents, c.unit,
                        c.valid_to
                 FROM contract c JOIN provider p ON p.id = c.provider_id
                 WHERE p.agb_code = ANY($1)",
                &[&agbs],
            )? {
                contracts.insert(
                    (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?),
                    (r.try_get(3)?, r.try_get(4)?, r.try_get(5)?),
                );
            }
            for row in rows {
                let existing = providers.get(row.agb.as_str()).copied();
                let contract = existing.and_then(|provider| {
                    contracts.get(&(provider, row.product.clone(), row.valid_from))
                });
                if let Some((tariff, unit, valid_to)) = contract {
                    if *tariff == row.tariff_cents
                        && unit == row.unit.code()
                        && *valid_to == row.valid_to
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
                        let id: i64 = tx
                            .query_one(
                                "INSERT INTO provider (name, agb_code, contact, created_at)
                                 VALUES ($1, $2, $3, $4) RETURNING id",
                                &[&row.name, &row.agb.as_str(), &row.contact, &now],
                            )?
                            .try_get(0)?;
                        let event = provider_event(id, Some(format!("import, regel {}", row.line)));
                        audit::append(tx, now, &actor, &event)?;
                        report.providers_created += 1;
                        providers.insert(row.agb.as_str().to_string(), id);
                        id
                    }
                };
                let id: i64 = tx
                    .query_one(
                        "INSERT INTO contract
                             (provider_id, product_code, tariff_cents, unit, valid_from, valid_to)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                        &[
                            &provider,
                            &row.product,
                            &row.tariff_cents,
                            &row.unit.code(),
                            &row.valid_from,
                            &row.valid_to,
                        ],
                    )?
                    .try_get(0)?;
                contracts.insert(
                    (provider, row.product.clone(), row.valid_from),
                    (row.tariff_cents, row.unit.code().to_string(), row.valid_to),
                );
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

    /// Imports flags by BSN (see `sqlite::Store::import_flags`): a row without `einde` says
    /// the flag is on, a row with `einde` that it ended; per household and flag type the
    /// file's rows together decide. A flag already so is left alone. Only persons in
    /// households that are not erased are matched. One audit row per change, with the source
    /// system and the file line as detail.
    pub fn import_flags(&mut self, session: &Session, rows: &[FlagRow]) -> Result<FlagImport> {
        authorize(session, Operation::ImportFlags, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        let bsns: Vec<&str> = rows.iter().map(|r| r.bsn.as_str()).collect();
        self.write(|tx| {
            let mut report = FlagImport::default();
            // Every matching person per BSN, by id.
            let mut people: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
            for r in tx.query(
                "SELECT p.bsn, p.id, p.household_id
                 FROM person p JOIN household h ON h.id = p.household_id
                 WHERE p.bsn = ANY($1) AND h.erased_on IS NULL ORDER BY p.id",
                &[&bsns],
            )? {
                people
                    .entry(r.try_get(0)?)
                    .or_default()
                    .push((r.try_get(1)?, r.try_get(2)?));
            }
            // (household, kind) -> (on?, since, end, source, line, person)
            type Want = (bool, NaiveDate, Option<NaiveDate>, String, usize, i64);
            let mut wanted: BTreeMap<(i64, String), Want> = BTreeMap::new();
            for row in rows {
                let Some(found) = people.get(row.bsn.as_str()) else {
                    report.unmatched.push(row.line);
                    continue;
                };
                report.matched += 1;
                for &(person, household) in found {
                    let on = row.end.is_none();
                    let entry = wanted.entry((household, row.kind.clone())).or_insert((
                        on,
                        row.since,
                        row.end,
                        row.source.clone(),
                        row.line,
                        person,
                    ));
                    if on && !entry.0 {
                        *entry = (true, row.since, None, row.source.clone(), row.line, person);
                    } else if on == entry.0 && row.since < entry.1 {
                        entry.1 = row.since;
                    }
                }
            }
            let households: Vec<i64> = wanted.keys().map(|(h, _)| *h).collect();
            // The active flag per (household, kind), the first by id.
            let mut active: HashMap<(i64, String), (i64, NaiveDate)> = HashMap::new();
            for r in tx.query(
                "SELECT household_id, kind, id, since FROM flag
                 WHERE household_id = ANY($1) AND ended_on IS NULL ORDER BY id",
                &[&households],
            )? {
                active
                    .entry((r.try_get(0)?, r.try_get(1)?))
                    .or_insert((r.try_get(2)?, r.try_get(3)?));
            }
            for ((household, kind), (on, since, end, source, line, person)) in wanted {
                match (on, active.get(&(household, kind.clone())).copied()) {
                    (true, None) => {
                        let id: i64 = tx
                            .query_one(
                                "INSERT INTO flag (household_id, kind, since, source, set_by)
                                 VALUES ($1, $2, $3, 'import', NULL) RETURNING id",
                                &[&household, &kind, &since],
                            )?
                            .try_get(0)?;
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
                        let end = end.unwrap_or(since).max(active_since);
                        tx.execute(
                            "UPDATE flag SET ended_on = $1, end_reason = $2, ended_by = $3
                             WHERE id = $4",
                            &[&end, &format!("beëindigd volgens {source}"), &user, &id],
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

//! The backoffice worklists on PostgreSQL (see `sqlite::worklists` for the rules, which are the
//! same): the lists, their counts, the bulk actions with their undo, and the export's audit.
//!
//! A bulk action is all or nothing and costs the same few statements whatever the selection:
//! one read of every selected provision (`= ANY($1)`), the checks in Rust (the first refused
//! provision names itself), one update for the whole batch, and the audit rows appended in
//! one insert.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use postgres::Row;

use super::audit::{self, Action, AuditActor, AuditEvent, AuditRow, GENESIS};
use super::provisions::{
    no_contract, provision_column_count, provision_columns_of_v, provision_row,
};
use super::{Result, Store, StoreError, Tx, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::invalid::required_text;
use crate::domain::provision::{Financing, Provision, ProvisionStatus};
use crate::model::worklists::*;
use crate::store::Missing;
use crate::store::shared::records::named;
use crate::store::shared::worklist_filter::{FilterIndex, FilterKey, FilterRow};

impl Store {
    /// The provisions on `list`, oldest start first, with household, member and provider.
    /// Backoffice only; the listing is audited as one row (which list, how many).
    pub fn worklist(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<Vec<WorkItem>> {
        self.worklist_rows(session, list, today, &WorklistQuery::default(), &[])
    }

    /// Every row of `list` that matches `query`, in its order (the export of what the
    /// worklist screen shows). Backoffice only; audited as one row (which list, how many).
    pub fn worklist_rows(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &WorklistQuery,
        words: &[FilterWord],
    ) -> Result<Vec<WorkItem>> {
        authorize(session, Operation::DecideProvision, None)?;
        let sql = format!(
            "SELECT {}, h.label, p.name, p.bsn, a.name {} ORDER BY {}",
            provision_columns_of_v(),
            list_from(list, words),
            order_by(query)
        );
        let (until, assigned_by) = self.windows(today);
        let values = ListValues::new([today, until, assigned_by], words, None);
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let items = work_items(&tx.query(&sql, &values.refs())?)?;
            let event = list_read(format!("{}: {}", list.code(), items.len()));
            audit::append(tx, now, &actor, &event)?;
            Ok(items)
        })
    }

    /// One page of `list` as `query` filters and sorts it (see `sqlite::worklists`): at most
    /// `limit` rows from `offset` on, with how many rows match and how many the list has. A
    /// filter is matched in the list's filter index (see
    /// [`crate::store::shared::worklist_filter`]). Backoffice only; audited as one row.
    #[allow(clippy::too_many_arguments)]
    pub fn worklist_page(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &WorklistQuery,
        words: &[FilterWord],
        offset: usize,
        limit: usize,
    ) -> Result<WorklistPage> {
        authorize(session, Operation::DecideProvision, None)?;
        let page_sql = format!(
            "SELECT {}, h.label, p.name, p.bsn, a.name {} ORDER BY {} LIMIT $4::bigint OFFSET $5::bigint",
            provision_columns_of_v(),
            list_from(list, &[]),
            order_by(query),
        );
        let total_sql = format!("SELECT {}", count_expression(list));
        let rows_sql = format!(
            "SELECT {}, h.label, p.name, p.bsn, a.name {} AND v.id = ANY($4::bigint[]) ORDER BY {}",
            provision_columns_of_v(),
            list_from(list, &[]),
            order_by(query)
        );
        let (until, assigned_by) = self.windows(today);
        let dates = [today, until, assigned_by];
        let key = FilterKey::new(session.user_id, list, dates);
        let plain = ListValues::new(dates, &[], None);
        let paged = ListValues::new(dates, &[], Some((limit, offset)));
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let mut cached = self.filter_index.take();
        let page = self.write(|tx| {
            let n: i64 = tx.query_one(&total_sql, &plain.refs())?.try_get(0)?;
            let total = usize::try_from(n).unwrap_or(0);
            // The default order walks the list's own index; a filter or another order is
            // answered from the filter index.
            let (matching, items) = if words.is_empty() && query.sort == SortKey::Start {
                (total, work_items(&tx.query(&page_sql, &paged.refs())?)?)
            } else {
                let mut index = match cached.take() {
                    Some(index) if index.fits(&key, total, now) => index,
                    _ => build_filter_index(tx, list, &plain, key.clone(), now)?,
                };
                let page = index.page(words, query, offset, limit);
                let read = if page.ids.is_empty() {
                    Vec::new()
                } else {
                    let mut values = plain.refs();
                    values.push(&page.ids);
                    work_items(&tx.query(&rows_sql, &values)?)?
                };
                let (items, matching, holds) = page.settle(read, words);
                cached = holds.then_some(index);
                (matching, items)
            };
            let event = list_read(format!(
                "{}: {} van {matching} vanaf {offset}",
                list.code(),
                items.len()
            ));
            audit::append(tx, now, &actor, &event)?;
            Ok(WorklistPage {
                offset,
                items,
                matching,
                total,
            })
        });
        self.filter_index = cached;
        page
    }

    /// Builds `list`'s filter index now (see `sqlite::worklists`), so the first keystroke of
    /// a filter (or another order) need not. Reads no household's data out (nothing is
    /// audited); backoffice only.
    pub fn prepare_worklist_filter(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<()> {
        authorize(session, Operation::DecideProvision, None)?;
        let (until, assigned_by) = self.windows(today);
        let dates = [today, until, assigned_by];
        let key = FilterKey::new(session.user_id, list, dates);
        let plain = ListValues::new(dates, &[], None);
        let now = self.clock().now();
        let total_sql = format!("SELECT {}", count_expression(list));
        let cached = self.filter_index.take();
        let index = self.read(|tx| {
            let n: i64 = tx.query_one(&total_sql, &plain.refs())?.try_get(0)?;
            let total = usize::try_from(n).unwrap_or(0);
            match cached {
                Some(index) if index.fits(&key, total, now) => Ok(index),
                _ => build_filter_index(tx, list, &plain, key.clone(), now),
            }
        })?;
        self.filter_index = Some(index);
        Ok(())
    }

    /// The provisions (id and product) of every row of `list` that matches `query`, in its
    /// order: what "select all" selects. Backoffice only; audited as one row.
    pub fn worklist_selection(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &WorklistQuery,
        words: &[FilterWord],
    ) -> Result<Vec<(i64, String)>> {
        authorize(session, Operation::DecideProvision, None)?;
        let sql = format!(
            "SELECT v.id, v.product_code {} ORDER BY {}",
            list_from(list, words),
            order_by(query)
        );
        let (until, assigned_by) = self.windows(today);
        let values = ListValues::new([today, until, assigned_by], words, None);
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let ids = tx
                .query(&sql, &values.refs())?
                .iter()
                .map(|r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, String>(1)?)))
                .collect::<Result<Vec<_>>>()?;
            let event = list_read(format!("{}: selectie {}", list.code(), ids.len()));
            audit::append(tx, now, &actor, &event)?;
            Ok(ids)
        })
    }

    /// Records that the rows of worklist `list` left the app in an export: one audit row per
    /// household in `households` (each once), so that every resident's access log lists it.
    /// Backoffice only.
    pub fn record_worklist_export(
        &mut self,
        session: &Session,
        list: Worklist,
        households: &[i64],
    ) -> Result<()> {
        authorize(session, Operation::DecideProvision, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let mut once: Vec<i64> = households.to_vec();
        once.sort_unstable();
        once.dedup();
        let events: Vec<AuditEvent> = once
            .iter()
            .map(|household| AuditEvent {
                action: Action::Export,
                object: "worklist",
                object_id: None,
                household_id: Some(*household),
                person_id: None,
                detail: Some(format!("werklijst {}", list.code())),
            })
            .collect();
        self.write(|tx| append_all(tx, now, &actor, &events))
    }

    /// How many provisions wait on each list, for the backoffice's home. Backoffice only;
    /// audited as one read (no household data, only counts). One statement for all lists.
    pub fn worklist_counts(
        &mut self,
        session: &Session,
        today: NaiveDate,
    ) -> Result<Vec<(Worklist, usize)>> {
        authorize(session, Operation::DecideProvision, None)?;
        // Each list from its own partial index, in one statement (one round trip).
        let sql = format!(
            "SELECT {}",
            Worklist::ALL
                .iter()
                .map(|list| format!("({})", count_expression(*list)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let (until, assigned_by) = self.windows(today);
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let row = tx.query_one(&sql, &[&today, &until, &assigned_by])?;
            let mut counts = Vec::with_capacity(Worklist::ALL.len());
            for (i, list) in Worklist::ALL.into_iter().enumerate() {
                let n: i64 = row.try_get(i)?;
                counts.push((list, usize::try_from(n).unwrap_or(0)));
            }
            let event = AuditEvent {
                action: Action::Read,
                object: "worklist",
                object_id: None,
                household_id: None,
                person_id: None,
                detail: Some("aantallen".to_string()),
            };
            audit::append(tx, now, &actor, &event)?;
            Ok(counts)
        })
    }

    /// Applies `action` to every provision in `ids`, or to none: the first one that cannot take
    /// it is named in the error. Returns how many changed. Backoffice only.
    pub fn bulk(&mut self, session: &Session, ids: &[i64], action: &BulkAction) -> Result<usize> {
        self.bulk_undoable(session, ids, action).map(|(n, _)| n)
    }

    /// As [`Store::bulk`], and also what [`Store::undo_bulk`] needs to take it back.
    pub fn bulk_undoable(
        &mut self,
        session: &Session,
        ids: &[i64],
        action: &BulkAction,
    ) -> Result<(usize, BulkUndo)> {
        authorize(session, Operation::DecideProvision, None)?;
        if let BulkAction::End { reason, .. } = action {
            required_text("reason", "De reden", "The reason", reason, 200)?;
        }
        // The same provision twice in a selection is done once, in the order first selected.
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        let ids: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            // Provisions of erased households are out of reach, as they are off the worklists.
            let n = provision_column_count();
            let rows = tx.query(
                &format!(
                    "SELECT {}, p.bsn, {DECIDED}
                     FROM provision v JOIN household h ON h.id = v.household_id
                     JOIN person p ON p.id = v.person_id
                     WHERE v.id = ANY($1) AND h.erased_on IS NULL",
                    provision_columns_of_v()
                ),
                &[&ids],
            )?;
            let mut found = std::collections::HashMap::with_capacity(rows.len());
            for row in &rows {
                let provision = provision_row(row)?;
                let bsn: Option<String> = row.try_get(n)?;
                let before = decided_at(row, n + 1)?;
                found.insert(provision.id, (provision, bsn, before));
            }
            let contracts = match action {
                BulkAction::Assign { provider_id, .. } => tx
                    .query(
                        "SELECT product_code, valid_from, valid_to FROM contract
                         WHERE provider_id = $1",
                        &[provider_id],
                    )?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
                    .collect::<Result<Vec<(String, NaiveDate, Option<NaiveDate>)>>>()?,
                _ => Vec::new(),
            };
            let mut steps = Vec::with_capacity(ids.len());
            for (index, id) in ids.iter().enumerate() {
                let (provision, bsn, before) = found
                    .get(id)
                    .ok_or(StoreError::NotFound(Missing::Provision(*id)))?;
                let step = decide(
                    provision,
                    bsn.is_some(),
                    action,
                    index,
                    ids.len(),
                    &contracts,
                )
                .map_err(|e| named(e, provision))?;
                steps.push((provision, before, step));
            }
            let numbers: Vec<String> = steps.iter().map(|(_, _, s)| s.number.clone()).collect();
            let after = update(tx, action, &ids, &numbers)?;
            let events: Vec<AuditEvent> = steps
                .iter()
                .map(|(p, _, step)| {
                    AuditEvent::household(Action::Update, "provision", p.id, p.household_id)
                        .with_person(p.person_id)
                        .with_detail(step.detail.clone())
                })
                .collect();
            append_all(tx, now, &actor, &events)?;
            let mut undo = BulkUndo {
                rows: Vec::with_capacity(ids.len()),
            };
            for (p, before, _) in steps {
                undo.rows.push(BulkUndoRow {
                    id: p.id,
                    household_id: p.household_id,
                    person_id: p.person_id,
                    before: before.clone(),
                    after: after
                        .get(&p.id)
                        .cloned()
                        .ok_or(StoreError::NotFound(Missing::Provision(p.id)))?,
                });
            }
            Ok((ids.len(), undo))
        })
    }

    /// Takes a bulk action back as one step: every provision gets the values it had before, in
    /// one transaction with one audit row each ("ongedaan"). Refused, changing nothing, when any
    /// of them changed since (another decision, an exported toewijzing). Backoffice only.
    pub fn undo_bulk(&mut self, session: &Session, undo: &BulkUndo) -> Result<usize> {
        authorize(session, Operation::DecideProvision, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let ids: Vec<i64> = undo.rows.iter().map(|r| r.id).collect();
            let mut current = std::collections::HashMap::with_capacity(ids.len());
            for row in tx.query(
                &format!("SELECT id, {DECIDED} FROM provision v WHERE v.id = ANY($1)"),
                &[&ids],
            )? {
                current.insert(row.try_get::<_, i64>(0)?, decided_at(&row, 1)?);
            }
            for row in &undo.rows {
                let now = current
                    .get(&row.id)
                    .ok_or(StoreError::NotFound(Missing::Provision(row.id)))?;
                if *now != row.after {
                    return Err(Invalid::new(
                        "undo",
                        format!(
                            "Voorziening {} is na de bulkactie nog gewijzigd; ongedaan maken kan niet meer.",
                            row.id
                        ),
                        format!(
                            "Provision {} changed after the bulk action; it can no longer be undone.",
                            row.id
                        ),
                    )
                    .into());
                }
            }
            // Column by column over the rows, in the order of `DECIDED`.
            let text = |i: usize| -> Vec<Option<String>> {
                undo.rows.iter().map(|r| as_text(r.before.get(i))).collect()
            };
            let int = |i: usize| -> Result<Vec<Option<i64>>> {
                undo.rows.iter().map(|r| as_int(r.before.get(i))).collect()
            };
            let (status, beschikking_on, beschikking_number) = (text(0), text(1), text(2));
            let provider = int(3)?;
            let (toewijzing_number, assigned_on, svb, cak) = (text(4), text(5), text(6), text(7));
            let (ended_on, end_reason) = (text(8), text(9));
            let message = int(10)?;
            tx.execute(
                "UPDATE provision v SET status = u.status, beschikking_on = u.beschikking_on::date,
                     beschikking_number = u.beschikking_number, provider_id = u.provider_id,
                     toewijzing_number = u.toewijzing_number, assigned_on = u.assigned_on::date,
                     svb_reported_on = u.svb::date, cak_notified_on = u.cak::date,
                     ended_on = u.ended_on::date, end_reason = u.end_reason,
                     toewijzing_message_id = u.message
                 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                             $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                             $11::text[], $12::bigint[])
                      AS u(id, status, beschikking_on, beschikking_number, provider_id,
                           toewijzing_number, assigned_on, svb, cak, ended_on, end_reason, message)
                 WHERE v.id = u.id",
                &[
                    &ids,
                    &status,
                    &beschikking_on,
                    &beschikking_number,
                    &provider,
                    &toewijzing_number,
                    &assigned_on,
                    &svb,
                    &cak,
                    &ended_on,
                    &end_reason,
                    &message,
                ],
            )?;
            let events: Vec<AuditEvent> = undo
                .rows
                .iter()
                .map(|row| {
                    AuditEvent::household(Action::Update, "provision", row.id, row.household_id)
                        .with_person(row.person_id)
                        .with_detail("ongedaan: bulkactie")
                })
                .collect();
            append_all(tx, now, &actor, &events)?;
            Ok(undo.rows.len())
        })
    }

    /// The end of the "ending soon" window and the last toewijzing day of "zonder
    /// startbericht", seen from `today`.
    fn windows(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        (
            today + Duration::days(ENDING_WITHIN_DAYS),
            today - Duration::days(i64::from(self.days_without_start())),
        )
    }
}

/// Appends one audit row per event, in order, in one insert (the chain head is read once).
pub(crate) fn append_all(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    actor: &AuditActor,
    events: &[AuditEvent],
) -> Result<()> {
    match events {
        [] => return Ok(()),
        [one] => {
            audit::append(tx, now, actor, one)?;
            return Ok(());
        }
        _ => {}
    }
    if tx.connected() != super::Connected::Owner {
        return audit::append_all_by_server(tx, now, actor, events);
    }
    let (mut last_id, mut prev_hash) = match tx.query_opt(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
        &[],
    )? {
        Some(r) => (r.try_get::<_, i64>(0)?, r.try_get::<_, String>(1)?),
        None => (0, GENESIS.to_string()),
    };
    let mut rows: Vec<AuditRow> = Vec::with_capacity(events.len());
    for event in events {
        let row = AuditRow::next(last_id, prev_hash, now, actor, event);
        last_id = row.id;
        prev_hash = row.hash.clone();
        rows.push(row);
    }
    let head = rows.last().map(AuditRow::head_text).unwrap_or_default();
    let ints = |f: fn(&AuditRow) -> Option<i64>| rows.iter().map(f).collect::<Vec<_>>();
    let texts = |f: fn(&AuditRow) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    tx.execute(
        &format!(
            "WITH appended AS (
                 INSERT INTO audit_log ({})
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[],
                                      $5::text[], $6::text[], $7::text[], $8::bigint[],
                                      $9::bigint[], $10::bigint[], $11::text[], $12::text[],
                                      $13::text[], $14::text[], $15::text[])
             )
             INSERT INTO meta (key, value) VALUES ('audit_head', $16)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            audit::COLUMNS
        ),
        &[
            &ints(|r| Some(r.id)),
            &texts(|r| Some(r.at.clone())),
            &ints(|r| r.user_id),
            &texts(|r| Some(r.username.clone())),
            &texts(|r| Some(r.role.clone())),
            &texts(|r| Some(r.action.clone())),
            &texts(|r| Some(r.object.clone())),
            &ints(|r| r.object_id),
            &ints(|r| r.household_id),
            &ints(|r| r.person_id),
            &texts(|r| Some(r.workstation.clone())),
            &texts(|r| r.on_behalf_of.clone()),
            &texts(|r| r.detail.clone()),
            &texts(|r| Some(r.prev_hash.clone())),
            &texts(|r| Some(r.hash.clone())),
            &head,
        ],
    )?;
    Ok(())
}

/// Names the three dates every list statement binds (today, the end of the "ending soon"
/// window, the last toewijzing day of "zonder startbericht"), so that each statement takes
/// the same typed parameters whichever of them its condition compares.
const DATES_BOUND: &str = "($1::date IS NOT NULL OR $2::date IS NOT NULL OR $3::date IS NOT NULL)";

/// How many rows `list` has, binding the dates as [`list_from`] does: the list's partial index
/// counted (an index-only scan), less its rows of erased households, found from their own
/// small index; no household row is read per provision.
fn count_expression(list: Worklist) -> String {
    let condition = condition(list);
    format!(
        "(SELECT count(*) FROM provision v WHERE {condition} AND {DATES_BOUND})
         - (SELECT count(*) FROM household h JOIN provision v ON v.household_id = h.id
            WHERE h.erased_on IS NOT NULL AND {condition} AND {DATES_BOUND})"
    )
}

/// The SQL condition that selects a worklist's provisions (`v` is the provision).
fn condition(list: Worklist) -> &'static str {
    match list {
        Worklist::AwaitingBeschikking => "v.status = 'aangevraagd'",
        Worklist::AwaitingToewijzing => "v.status = 'toegekend' AND v.financing = 'zin'",
        Worklist::PgbToSvb => {
            "v.financing = 'pgb' AND v.status IN ('toegekend', 'gestart') AND v.svb_reported_on IS NULL"
        }
        Worklist::EigenBijdrageToCak => {
            "v.eigen_bijdrage AND v.status IN ('toegekend', 'toegewezen', 'gestart') AND v.cak_notified_on IS NULL"
        }
        Worklist::EndingSoon => {
            "v.status IN ('toegekend', 'toegewezen', 'gestart') AND v.end_on IS NOT NULL AND v.end_on >= $1 AND v.end_on <= $2"
        }
        Worklist::WithoutStart => {
            "v.status = 'toegewezen' AND v.care_started_on IS NULL AND v.assigned_on <= $3"
        }
    }
}

/// The columns a bulk action may change, in the order `undo_bulk` writes them back; dates as
/// `YYYY-MM-DD` text, as the SQLite backend holds them.
const DECIDED: &str = "v.status, to_char(v.beschikking_on, 'YYYY-MM-DD'), v.beschikking_number,
    v.provider_id, v.toewijzing_number, to_char(v.assigned_on, 'YYYY-MM-DD'),
    to_char(v.svb_reported_on, 'YYYY-MM-DD'), to_char(v.cak_notified_on, 'YYYY-MM-DD'),
    to_char(v.ended_on, 'YYYY-MM-DD'), v.end_reason, v.toewijzing_message_id";

/// Which of the [`DECIDED`] columns are integers.
const DECIDED_INTS: [usize; 2] = [3, 10];

/// The [`DECIDED`] columns of `row` from column `at` on.
fn decided_at(row: &Row, at: usize) -> Result<Vec<Decided>> {
    (0..11)
        .map(|i| {
            Ok(if DECIDED_INTS.contains(&i) {
                row.try_get::<_, Option<i64>>(at + i)?
                    .map_or(Decided::Null, Decided::Int)
            } else {
                row.try_get::<_, Option<String>>(at + i)?
                    .map_or(Decided::Null, Decided::Text)
            })
        })
        .collect()
}

fn as_text(v: Option<&Decided>) -> Option<String> {
    match v {
        Some(Decided::Text(t)) => Some(t.clone()),
        Some(Decided::Int(i)) => Some(i.to_string()),
        Some(Decided::Null) | None => None,
    }
}

fn as_int(v: Option<&Decided>) -> Result<Option<i64>> {
    match v {
        Some(Decided::Int(i)) => Ok(Some(*i)),
        Some(Decided::Text(t)) => t
            .parse()
            .map(Some)
            .map_err(|_| crate::store::shared::codec::corrupt("provision", "bulk undo", t.clone())),
        Some(Decided::Null) | None => Ok(None),
    }
}

/// One provision's step of a bulk action: the number it gets (beschikking or toewijzing, when
/// the action gives one) and the audit detail.
struct Step {
    number: String,
    detail: String,
}

/// Checks one provision's step (the same checks, in the same order, as the SQLite backend).
fn decide(
    p: &Provision,
    has_bsn: bool,
    action: &BulkAction,
    index: usize,
    count: usize,
    contracts: &[(String, NaiveDate, Option<NaiveDate>)],
) -> Result<Step> {
    use ProvisionStatus::*;
    let step = |to: ProvisionStatus| -> Result<()> {
        if p.status.may_become(to, p.financing) {
            Ok(())
        } else {
            Err(p.status.refusal(to).into())
        }
    };
    let plain = |detail: &str| Step {
        number: String::new(),
        detail: detail.to_string(),
    };
    match action {
        BulkAction::Grant { number, .. } | BulkAction::Refuse { number, .. } => {
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
            if granted && !has_bsn {
                return Err(Invalid::new(
                    "bsn",
                    "voor een beschikking is het BSN van het gezinslid nodig.",
                    "a beschikking needs the member's BSN.",
                )
                .into());
            }
            Ok(Step {
                detail: format!("{} {number}", to.code()),
                number,
            })
        }
        BulkAction::Assign { .. } => {
            step(Toegewezen)?;
            let on = p.start_on;
            let contracted = contracts.iter().any(|(product, from, to)| {
                *product == p.product && *from <= on && to.is_none_or(|to| to >= on)
            });
            if !contracted {
                return Err(no_contract(&p.product, on));
            }
            // The 301 message allows at most 9 digits: the provision's id, zero-padded.
            let number = format!("{:09}", p.id);
            Ok(Step {
                detail: format!("toegewezen {number}"),
                number,
            })
        }
        BulkAction::ReportSvb { .. } => {
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
            Ok(plain("svb"))
        }
        BulkAction::NotifyCak { .. } => {
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
            Ok(plain("cak"))
        }
        BulkAction::Start { .. } => {
            step(Gestart)?;
            Ok(plain("gestart"))
        }
        BulkAction::End { .. } => {
            step(Beeindigd)?;
            Ok(plain("beeindigd"))
        }
    }
}

/// Writes the whole batch in one statement; returns each provision's [`DECIDED`] columns after.
fn update(
    tx: &mut Tx<'_>,
    action: &BulkAction,
    ids: &[i64],
    numbers: &[String],
) -> Result<std::collections::HashMap<i64, Vec<Decided>>> {
    let ids = ids.to_vec();
    let numbers = numbers.to_vec();
    let returning = format!("RETURNING v.id, {DECIDED}");
    let rows = match action {
        BulkAction::Grant { on, .. } | BulkAction::Refuse { on, .. } => {
            let to = if matches!(action, BulkAction::Grant { .. }) {
                ProvisionStatus::Toegekend
            } else {
                ProvisionStatus::Afgewezen
            };
            tx.query(
                &format!(
                    "UPDATE provision v SET status = $1, beschikking_on = $2,
                         beschikking_number = u.number
                     FROM unnest($3::bigint[], $4::text[]) AS u(id, number)
                     WHERE v.id = u.id {returning}"
                ),
                &[&to.code(), on, &ids, &numbers],
            )?
        }
        BulkAction::Assign { provider_id, on } => tx.query(
            &format!(
                "UPDATE provision v SET status = 'toegewezen', provider_id = $1,
                     toewijzing_number = u.number, assigned_on = $2
                 FROM unnest($3::bigint[], $4::text[]) AS u(id, number)
                 WHERE v.id = u.id {returning}"
            ),
            &[provider_id, on, &ids, &numbers],
        )?,
        BulkAction::ReportSvb { on } => tx.query(
            &format!(
                "UPDATE provision v SET svb_reported_on = $1 WHERE v.id = ANY($2) {returning}"
            ),
            &[on, &ids],
        )?,
        BulkAction::NotifyCak { on } => tx.query(
            &format!(
                "UPDATE provision v SET cak_notified_on = $1 WHERE v.id = ANY($2) {returning}"
            ),
            &[on, &ids],
        )?,
        BulkAction::Start { .. } => tx.query(
            &format!("UPDATE provision v SET status = 'gestart' WHERE v.id = ANY($1) {returning}"),
            &[&ids],
        )?,
        // An end by the backoffice speaks for itself in the next 301 (RedenWijziging 05).
        BulkAction::End { on, reason } => tx.query(
            &format!(
                "UPDATE provision v SET status = 'beeindigd', ended_on = $1, end_reason = $2,
                     change_reason = NULL
                 WHERE v.id = ANY($3) {returning}"
            ),
            &[on, reason, &ids],
        )?,
    };
    let mut after = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        after.insert(row.try_get::<_, i64>(0)?, decided_at(row, 1)?);
    }
    Ok(after)
}

/// The audit row of one read of a worklist (the list, no household's data on its own).
fn list_read(detail: String) -> AuditEvent {
    AuditEvent {
        action: Action::Read,
        object: "worklist",
        object_id: None,
        household_id: None,
        person_id: None,
        detail: Some(detail),
    }
}

/// The `FROM … WHERE …` of `list` with `words` filter words: $1–$3 the dates (see
/// [`DATES_BOUND`]), then filter word `i` its folded word at $(4+2i) and its codes at $(5+2i)
/// (see [`FilterWord`]). The erased households are left out (their count:
/// [`count_expression`]).
fn list_from(list: Worklist, words: &[FilterWord]) -> String {
    let mut sql = format!(
        "FROM provision v JOIN household h ON h.id = v.household_id JOIN person p ON p.id = v.person_id
         LEFT JOIN provider a ON a.id = v.provider_id
         WHERE {} AND {DATES_BOUND} AND h.erased_on IS NULL",
        condition(list)
    );
    // Dates as the screen writes them (dd-mm-jjjj); the cheap tests first, the folds last.
    for (i, word) in words.iter().enumerate() {
        let (w, c) = (4 + 2 * i, 5 + 2 * i);
        // Only the tests the word can pass: the codes when some name holds it, the dates and
        // the BSN when it is digits; the folded names always.
        let mut tests = Vec::new();
        if word.has_codes() {
            tests.extend([
                format!("strpos(${c}::text, '|s:' || v.status || '|') > 0"),
                format!("strpos(${c}::text, '|f:' || v.financing || '|') > 0"),
                format!("strpos(${c}::text, '|l:' || v.law || '|') > 0"),
                format!("strpos(${c}::text, '|p:' || v.product_code || '|') > 0"),
            ]);
        } else {
            // Named all the same, so every word binds the same parameters.
            tests.push(format!("${c}::text = ''"));
        }
        tests.push(format!("strpos(lower(v.product_code), ${w}::text) > 0"));
        if word.may_be_digits() {
            tests.extend([
                format!("strpos(coalesce(p.bsn, ''), ${w}::text) > 0"),
                format!("strpos(to_char(v.start_on, 'DD-MM-YYYY'), ${w}::text) > 0"),
                format!("strpos(coalesce(to_char(v.end_on, 'DD-MM-YYYY'), ''), ${w}::text) > 0"),
            ]);
        }
        tests.extend([
            format!("strpos(kt_fold(h.label), ${w}::text) > 0"),
            format!("strpos(kt_fold(p.name), ${w}::text) > 0"),
            format!("strpos(coalesce(kt_fold(a.name), ''), ${w}::text) > 0"),
        ]);
        sql.push_str(&format!(" AND ({})", tests.join(" OR ")));
    }
    sql
}

/// The values [`list_from`] binds, and after them a page's limit and offset.
struct ListValues {
    dates: [NaiveDate; 3],
    texts: Vec<String>,
    page: Option<(i64, i64)>,
}

impl ListValues {
    fn new(dates: [NaiveDate; 3], words: &[FilterWord], page: Option<(usize, usize)>) -> Self {
        let big = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        ListValues {
            dates,
            texts: words
                .iter()
                .flat_map(|w| [w.needle.clone(), w.codes.clone()])
                .collect(),
            page: page.map(|(limit, offset)| (big(limit), big(offset))),
        }
    }

    fn refs(&self) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
        let mut refs: Vec<&(dyn postgres::types::ToSql + Sync)> = Vec::new();
        for d in &self.dates {
            refs.push(d);
        }
        for t in &self.texts {
            refs.push(t);
        }
        if let Some((limit, offset)) = &self.page {
            refs.push(limit);
            refs.push(offset);
        }
        refs
    }
}

/// The filter index of `list`: one scan of the list, in any order (see
/// [`crate::store::shared::worklist_filter`]).
fn build_filter_index(
    tx: &mut Tx<'_>,
    list: Worklist,
    values: &ListValues,
    key: FilterKey,
    now: DateTime<Utc>,
) -> Result<FilterIndex> {
    let sql = format!(
        "SELECT v.id, v.status, v.financing, v.law, v.product_code, h.label, p.name, p.bsn, a.name,
                v.start_on, v.end_on {}",
        list_from(list, &[])
    );
    let rows = tx.query(&sql, &values.refs())?;
    let mut read = Vec::with_capacity(rows.len());
    for r in &rows {
        read.push(FilterRow {
            id: r.try_get(0)?,
            status: r.try_get(1)?,
            financing: r.try_get(2)?,
            law: r.try_get(3)?,
            product: r.try_get(4)?,
            household: r.try_get(5)?,
            person: r.try_get(6)?,
            bsn: r.try_get(7)?,
            provider: r.try_get(8)?,
            start_on: r.try_get(9)?,
            end_on: r.try_get(10)?,
        });
    }
    Ok(FilterIndex::build(key, now, read))
}

/// The `ORDER BY` of `query`: its column, then start and id, so the order is total; text in
/// byte order as on SQLite; descending reverses every key.
fn order_by(query: &WorklistQuery) -> String {
    let keys: &[&str] = match query.sort {
        SortKey::Start => &["v.start_on", "v.id"],
        SortKey::End => &["v.end_on IS NULL", "v.end_on", "v.id"],
        SortKey::Household => &[
            "kt_fold(h.label) COLLATE \"C\"",
            "h.label COLLATE \"C\"",
            "v.start_on",
            "v.id",
        ],
        SortKey::Product => &["v.product_code COLLATE \"C\"", "v.start_on", "v.id"],
    };
    let direction = if query.descending { " DESC" } else { "" };
    keys.iter()
        .map(|k| format!("{k}{direction}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The worklist rows of a query (the provision's columns, then household, member, BSN and
/// provider).
fn work_items(rows: &[Row]) -> Result<Vec<WorkItem>> {
    let n = provision_column_count();
    rows.iter()
        .map(|row| {
            Ok(WorkItem {
                provision: provision_row(row)?,
                household: row.try_get(n)?,
                person: row.try_get(n + 1)?,
                bsn: row.try_get(n + 2)?,
                provider: row.try_get(n + 3)?,
            })
        })
        .collect()
}

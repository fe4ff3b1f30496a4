//! Steering figures: aggregates over households, contacts, agreements, ZRM, flags. Never a
//! single household: the counts leave the store only through small-cell suppression
//! ([`crate::model::report::build`]), and the request is audited as one row without a household.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::date_text;
use super::{Result, Store, StoreError};
use crate::auth::Session;
use crate::auth::policy::{ReportScope, report_scope};
use crate::domain::provision::{Financing, Law};
use crate::domain::reference::ReferenceData;
use crate::i18n::Lang;
use crate::model::report::tally::{
    ContactTally, DomainTally, HouseholdSet, Levels, Packed, Slots, add_packed, decode_levels,
    domain_changes, pack,
};
use crate::model::report::*;
use crate::store::Missing;

impl Store {
    /// The steering report for `request`, suppressed and laid out in `lang`. The access
    /// decision is the policy's ([`report_scope`]); the request is audited as one row.
    pub fn steering_report(
        &mut self,
        session: &Session,
        request: &ReportRequest,
        reference: &ReferenceData,
        lang: Lang,
    ) -> Result<Report> {
        let raw = self.steering_figures(session, request, reference)?;
        Ok(build(&raw, lang))
    }

    /// The raw counts behind [`Store::steering_report`]; crate-internal so that nothing shows
    /// them unsuppressed.
    pub(crate) fn steering_figures(
        &mut self,
        session: &Session,
        request: &ReportRequest,
        reference: &ReferenceData,
    ) -> Result<RawFigures> {
        check_period(request.from, request.to)?;
        // Whole months only, so that two reports cannot be subtracted to one household's day.
        let (from, to) = crate::domain::suppression::snap_period(request.from, request.to);
        let requested = match &request.team {
            None => None,
            Some(name) => Some(self.team_by_name(name)?),
        };
        let scope = report_scope(session, requested.as_ref().map(|(id, _)| *id)).ok_or({
            StoreError::Denied {
                role: session.role,
                refused: crate::store::Refused::OtherTeamReport,
            }
        })?;
        let (team_id, provisions_only) = match scope {
            ReportScope::AllTeams => (None, false),
            ReportScope::Team(id) => (Some(id), false),
            ReportScope::ProvisionsOnly(team) => (team, true),
        };
        let team_name = match (team_id, &requested) {
            (Some(id), Some((rid, name))) if *rid == id => Some(name.clone()),
            (Some(id), _) => Some(self.team_name(id)?),
            (None, _) => None,
        };
        let today = self.clock().today();
        let mut raw = RawFigures {
            from,
            to,
            team: team_name.clone(),
            provisions_only,
            ..RawFigures::default()
        };
        {
            // One read transaction: every section sees the same moment.
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Deferred)?;
            let q = Query {
                conn: &tx,
                team: team_id,
                from: date_text(from),
                to: date_text(to),
            };
            if !provisions_only {
                q.fill(&mut raw, today, reference)?;
            }
            raw.provisions = q.provisions(reference)?;
            raw.care = q.care()?;
            drop(q);
            tx.commit()?;
        }
        // The audit row is written after the reads, in its own short write, so that a long
        // report never holds the write lock; the figures are returned only once it is stored.
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let detail = format!(
            "stuurcijfers {}..{} {}{}",
            date_text(from),
            date_text(to),
            team_name.map_or("alle teams".to_string(), |t| format!("team={t}")),
            if provisions_only {
                " (alleen voorzieningen)"
            } else {
                ""
            }
        );
        self.write(|tx| {
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Read,
                    object: "report",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(detail),
                },
            )?;
            Ok(())
        })?;
        Ok(raw)
    }

    /// The headline figures of a one-team-or-all report as plain SQL over all teams: contacts
    /// per kind (count, minutes, distinct households), households with a contact, agreements
    /// made, done and overdue (count, distinct households). No access check, no audit row, no
    /// suppression: the baseline `steering_report` is measured against in the benchmarks. Not
    /// for screens.
    #[cfg(feature = "bench-baselines")]
    pub fn report_headline_baseline(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<i64> {
        let (from, to, today) = (date_text(from), date_text(to), date_text(today));
        let conn = self.conn();
        let mut total = 0i64;
        let mut stmt = conn.prepare_cached(
            "SELECT kind, count(*), sum(minutes), count(DISTINCT household_id) FROM contact
             WHERE contact_on BETWEEN ?1 AND ?2 GROUP BY kind",
        )?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            total += r.get::<_, i64>(1)? + r.get::<_, i64>(2)? + r.get::<_, i64>(3)?;
        }
        for sql in [
            "SELECT count(DISTINCT household_id), 0 FROM contact WHERE contact_on BETWEEN ?1 AND ?2",
            "SELECT count(*), count(DISTINCT household_id) FROM agreement
             WHERE substr(created_at, 1, 10) BETWEEN ?1 AND ?2",
            "SELECT count(*), count(DISTINCT household_id) FROM agreement
             WHERE status = 'done' AND status_on BETWEEN ?1 AND ?2",
        ] {
            total += conn
                .prepare_cached(sql)?
                .query_row(params![from, to], |r| {
                    Ok(r.get::<_, i64>(0)? + r.get::<_, i64>(1)?)
                })?;
        }
        total += conn
            .prepare_cached(
                "SELECT count(*), count(DISTINCT household_id) FROM agreement
                 WHERE status = 'open' AND due_on BETWEEN ?1 AND ?2 AND due_on < ?3",
            )?
            .query_row(params![from, to, today], |r| {
                Ok(r.get::<_, i64>(0)? + r.get::<_, i64>(1)?)
            })?;
        Ok(total)
    }

    fn team_by_name(&self, name: &str) -> Result<(i64, String)> {
        self.conn()
            .query_row(
                "SELECT id, name FROM team WHERE name = ?1",
                [name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(Missing::TeamName(name.trim().to_string())))
    }

    fn team_name(&self, id: i64) -> Result<String> {
        self.conn()
            .query_row("SELECT name FROM team WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound(Missing::Team(id)))
    }
}

/// Column `i` of `r` as text, borrowed from the row.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

struct Query<'a> {
    conn: &'a rusqlite::Connection,
    team: Option<i64>,
    from: String,
    to: String,
}

/// The team condition as the queries are written; [`Query::prepare`] replaces it.
const TEAM_SCOPE: &str = "(?1 IS NULL OR h.team_id = ?1)";

impl Query<'_> {
    /// Prepares `sql` with the team condition made plain: `h.team_id = ?1` for one team, so
    /// that SQLite drives the query from the household team index, or `?1 IS NULL` for all
    /// teams. Only these two fixed texts are ever spliced in; values stay bound parameters.
    fn prepare(&self, sql: &str) -> Result<rusqlite::CachedStatement<'_>> {
        let scope = if self.team.is_some() {
            "h.team_id = ?1"
        } else {
            "?1 IS NULL"
        };
        Ok(self.conn.prepare_cached(&sql.replace(TEAM_SCOPE, scope))?)
    }

    fn fill(
        &self,
        raw: &mut RawFigures,
        today: NaiveDate,
        reference: &ReferenceData,
    ) -> Result<()> {
        raw.teams = self.teams()?;
        let (contacts, households, months) = self.contacts(raw.from, raw.to, reference)?;
        raw.contacts = contacts;
        raw.contact_households = households;
        raw.months = months;
        // Made on a day of the period: `created_at` starts with its day (RFC 3339), so the
        // range from the first day up to the day after the last is exactly the days between.
        raw.made = self.count(
            "x.created_at >= ?2 AND x.created_at < ?4",
            Some(date_text(raw.to + chrono::Duration::days(1))),
        )?;
        raw.done = self.count("x.status = 'done' AND x.status_on BETWEEN ?2 AND ?3", None)?;
        raw.overdue = self.count(
            "x.status = 'open' AND x.due_on BETWEEN ?2 AND ?3 AND x.due_on < ?4",
            Some(date_text(today)),
        )?;
        raw.zrm = self.zrm(reference)?;
        raw.flags = self.flags(reference)?;
        raw.duration = self.duration()?;
        Ok(())
    }

    /// `SELECT {columns} FROM {table} x WHERE {condition}` over the report's scope, as fixed
    /// texts only (values stay bound: ?1 the team, ?2 and ?3 the period). For all teams the
    /// table is read alone, through the date index `condition` names; for one team the query
    /// is driven from the team's households (`household_team`) into the table's household
    /// index, so that a team's report reads that team's rows only.
    fn scoped(&self, columns: &str, table: &str, condition: &str) -> String {
        if self.team.is_some() {
            // Each of these tables has its household index named `{table}_household` (the ZRM
            // one `zrm_household`); naming it keeps SQLite from running a date index's whole
            // range once per household.
            let index = match table {
                "zrm_assessment" => "zrm_household",
                "contact" => "contact_household",
                "agreement" => "agreement_household",
                _ => "flag_household",
            };
            format!(
                "SELECT {columns} FROM household h CROSS JOIN {table} x INDEXED BY {index}
                 ON x.household_id = h.id WHERE h.team_id = ?1 AND {condition}"
            )
        } else {
            format!("SELECT {columns} FROM {table} x WHERE ?1 IS NULL AND {condition}")
        }
    }

    fn teams(&self) -> Result<Vec<TeamFlow>> {
        let mut stmt = self.prepare(
            "SELECT t.name,
                    (SELECT count(*) FROM household h WHERE h.team_id = t.id AND h.opened_on BETWEEN ?2 AND ?3),
                    (SELECT count(*) FROM household h WHERE h.team_id = t.id AND h.closed_on BETWEEN ?2 AND ?3)
             FROM team t WHERE (?1 IS NULL OR t.id = ?1) ORDER BY t.name",
        )?;
        let rows = stmt
            .query_map(params![self.team, self.from, self.to], |r| {
                Ok(TeamFlow {
                    team: r.get(0)?,
                    opened: r.get(1)?,
                    closed: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Contacts per kind, the households with any, and per calendar month: one pass over the
    /// period's contacts (the covering index `contact_on`, or a team's households).
    fn contacts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        reference: &ReferenceData,
    ) -> Result<(Vec<KindContacts>, i64, Vec<MonthContacts>)> {
        let mut tally = ContactTally::new(from, to, reference);
        let sql = self.scoped(
            "x.contact_on, x.household_id, x.kind, x.minutes",
            "contact",
            "x.contact_on BETWEEN ?2 AND ?3",
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![self.team, self.from, self.to])?;
        while let Some(r) = rows.next()? {
            let household: i64 = r.get(1)?;
            let minutes: i64 = r.get(3)?;
            // The month as `substr(contact_on, 1, 7)` names it; a date that does not parse
            // counts in no month.
            let day = text(r, 0)?;
            let year = day.get(0..4).and_then(|y| y.parse::<i32>().ok());
            let month = day.get(5..7).and_then(|m| m.parse::<u32>().ok());
            let month = match (year, month, day.get(4..5)) {
                (Some(y), Some(m), Some("-")) => Some((y, m)),
                _ => None,
            };
            tally.add(month, household, text(r, 2)?, minutes);
        }
        Ok(tally.finish(reference))
    }

    /// Agreements matching `condition` (on `x`): how many, and their distinct households.
    fn count(&self, condition: &str, today: Option<String>) -> Result<CountFigure> {
        let sql = self.scoped("x.household_id", "agreement", condition);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = match &today {
            Some(today) => stmt.query(params![self.team, self.from, self.to, today])?,
            None => stmt.query(params![self.team, self.from, self.to])?,
        };
        let mut count = 0;
        let mut households = HouseholdSet::default();
        while let Some(r) = rows.next()? {
            count += 1;
            households.insert(r.get(0)?);
        }
        Ok(CountFigure {
            count,
            households: households.len(),
        })
    }

    fn zrm(&self, reference: &ReferenceData) -> Result<Vec<DomainChange>> {
        // One pass over the period's assessments in (date, id) order (the covering index
        // `zrm_assessed_on`, which holds the id after the date): each person's first and last assessment in the period, kept
        // packed by domain slot. Only the persons assessed in the period are held.
        struct Span {
            household: i64,
            first: Packed,
            last: Option<Packed>,
        }
        let mut domains: Slots<DomainTally> =
            Slots::new(reference.zrm.domains.iter().map(|d| d.key.as_str()));
        let mut persons: HashMap<i64, Span> = HashMap::new();
        // Texts that do not decode, by person and place (first or last); an error only when
        // such a text stays a person's first or last, as when the two were decoded at the end.
        let mut broken: BTreeMap<(i64, bool), String> = BTreeMap::new();
        let mut levels = Levels::new();
        let sql = self.scoped(
            "x.person_id, x.household_id, x.scores",
            "zrm_assessment",
            "x.assessed_on BETWEEN ?2 AND ?3 ORDER BY x.assessed_on, x.id",
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![self.team, self.from, self.to])?;
        while let Some(r) = rows.next()? {
            let (person, household): (i64, i64) = (r.get(0)?, r.get(1)?);
            let text = text(r, 2)?;
            let packed = match decode_levels(text, &mut domains, &mut levels) {
                Some(()) => Some(pack(&levels).ok_or_else(|| {
                    super::codec::corrupt("zrm_assessment", "scores", text.to_string())
                })?),
                None => None,
            };
            match persons.get_mut(&person) {
                Some(span) => {
                    span.last = Some(packed.unwrap_or(0));
                    match packed {
                        Some(_) => broken.remove(&(person, true)),
                        None => broken.insert((person, true), text.to_string()),
                    };
                }
                None => {
                    if packed.is_none() {
                        broken.insert((person, false), text.to_string());
                    }
                    persons.insert(
                        person,
                        Span {
                            household,
                            first: packed.unwrap_or(0),
                            last: None,
                        },
                    );
                }
            }
        }
        // A person assessed once has no change; the first broken text of a person with two
        // (in person order, the first assessment before the last) is the error.
        if let Some(((_, _), text)) = broken
            .into_iter()
            .find(|((person, _), _)| persons.get(person).is_some_and(|s| s.last.is_some()))
        {
            return Err(super::codec::corrupt("zrm_assessment", "scores", text));
        }
        for span in persons.values() {
            if let Some(last) = span.last {
                add_packed(&mut domains, span.household, span.first, last);
            }
        }
        Ok(domain_changes(domains, reference))
    }

    fn flags(&self, reference: &ReferenceData) -> Result<Vec<FlagFigure>> {
        let mut kinds: Slots<HouseholdSet> =
            Slots::new(reference.flags.flags().iter().map(|k| k.key.as_str()));
        let sql = self.scoped(
            "x.kind, x.household_id",
            "flag",
            "x.since <= ?3 AND (x.ended_on IS NULL OR x.ended_on >= ?2)",
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![self.team, self.from, self.to])?;
        while let Some(r) = rows.next()? {
            let household: i64 = r.get(1)?;
            kinds.get(text(r, 0)?).insert(household);
        }
        let names = reference.flags.flags();
        Ok(kinds
            .into_ordered()
            .into_iter()
            .filter(|(_, _, h)| !h.is_empty())
            .map(|(known, key, h)| FlagFigure {
                kind: known
                    .and_then(|i| names.get(i))
                    .map_or(key, |n| n.name.clone()),
                households: h.len(),
            })
            .collect())
    }

    /// Provisions in force in the period (granted, assigned, started or ended), by law,
    /// category and financing.
    fn provisions(&self, reference: &ReferenceData) -> Result<Vec<ProvisionFigure>> {
        let mut stmt = self.prepare(
            "SELECT v.law, v.category, v.financing, count(*), count(DISTINCT v.household_id)
             FROM provision v JOIN household h ON h.id = v.household_id
             WHERE v.status IN ('toegekend', 'toegewezen', 'gestart', 'beeindigd')
               AND v.start_on <= ?3 AND (v.end_on IS NULL OR v.end_on >= ?2)
               AND (v.ended_on IS NULL OR v.ended_on >= ?2) AND (?1 IS NULL OR h.team_id = ?1)
             GROUP BY v.law, v.category, v.financing ORDER BY v.law, v.category, v.financing",
        )?;
        let rows = stmt
            .query_map(params![self.team, self.from, self.to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .map(|(law, category, financing, count, households)| {
                let law = Law::parse(&law).map_or(law, |l| l.name().to_string());
                let category = reference
                    .products
                    .category(&category)
                    .map_or(category.clone(), |c| format!("{category} {}", c.name));
                let financing =
                    Financing::parse(&financing).map_or(financing, |f| f.name().to_string());
                ProvisionFigure {
                    law,
                    category,
                    financing,
                    count,
                    households,
                }
            })
            .collect())
    }

    /// Provisions whose actual care started, or ended (per reason), in the period.
    fn care(&self) -> Result<Vec<CareFigure>> {
        let mut stmt = self.prepare(
            "SELECT v.law, NULL, count(*), count(DISTINCT v.household_id)
             FROM provision v JOIN household h ON h.id = v.household_id
             WHERE v.care_started_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)
             GROUP BY v.law
             UNION ALL
             SELECT v.law, v.care_end_reason, count(*), count(DISTINCT v.household_id)
             FROM provision v JOIN household h ON h.id = v.household_id
             WHERE v.care_ended_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)
             GROUP BY v.law, v.care_end_reason
             ORDER BY 1, 2",
        )?;
        let rows = stmt
            .query_map(params![self.team, self.from, self.to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .map(|(law, reason, count, households)| CareFigure {
                law: Law::parse(&law).map_or(law, |l| l.name().to_string()),
                ended: reason.map(|code| {
                    format!(
                        "{code} {}",
                        crate::domain::istandaard::end_reason_label(&code)
                    )
                }),
                count,
                households,
            })
            .collect())
    }

    fn duration(&self) -> Result<DurationFigure> {
        let (households, days): (i64, Option<i64>) = self.prepare(
            "SELECT count(*), CAST(round(sum(julianday(closed_on) - julianday(opened_on))) AS INTEGER)
             FROM household h WHERE h.closed_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)",
        )?
        .query_row(params![self.team, self.from, self.to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(DurationFigure {
            households,
            total_days: days.unwrap_or(0),
        })
    }
}

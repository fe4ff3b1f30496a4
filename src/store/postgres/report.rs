//! Steering figures on PostgreSQL (see `sqlite::report`): the same aggregates, the same
//! whole-month periods and the same small-cell suppression ([`crate::model::report::build`]);
//! the request is audited as one row without a household.
//!
//! Every section is read in one repeatable-read snapshot; the audit row is written after, in
//! its own short write, so a long report never holds the chain lock.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::{Result, Store, StoreError, Tx};
use crate::auth::Session;
use crate::auth::policy::{ReportScope, report_scope};
use crate::domain::provision::{Financing, Law};
use crate::domain::reference::ReferenceData;
use crate::i18n::Lang;
use crate::model::report::tally::{
    ContactTally, DomainTally, Levels, Packed, Slots, add_packed, decode_levels, domain_changes,
    pack,
};
use crate::model::report::*;
use crate::store::Missing;
use crate::store::shared::codec::{corrupt, date_text};

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
        let today = self.clock().today();
        let raw = self.read(|tx| {
            let requested = match &request.team {
                None => None,
                Some(name) => Some(team_by_name(tx, name)?),
            };
            let scope = report_scope(session, requested.as_ref().map(|(id, _)| *id)).ok_or(
                StoreError::Denied {
                    role: session.role,
                    refused: crate::store::Refused::OtherTeamReport,
                },
            )?;
            let (team_id, provisions_only) = match scope {
                ReportScope::AllTeams => (None, false),
                ReportScope::Team(id) => (Some(id), false),
                ReportScope::ProvisionsOnly(team) => (team, true),
            };
            let team_name = match (team_id, &requested) {
                (Some(id), Some((rid, name))) if *rid == id => Some(name.clone()),
                (Some(id), _) => Some(team_name(tx, id)?),
                (None, _) => None,
            };
            let mut raw = RawFigures {
                from,
                to,
                team: team_name,
                provisions_only,
                ..RawFigures::default()
            };
            let mut q = Query {
                tx,
                team: team_id,
                from,
                to,
            };
            if !provisions_only {
                q.fill(&mut raw, today, reference)?;
            }
            raw.provisions = q.provisions(reference)?;
            raw.care = q.care()?;
            Ok(raw)
        })?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let detail = format!(
            "stuurcijfers {}..{} {}{}",
            date_text(from),
            date_text(to),
            raw.team
                .as_ref()
                .map_or("alle teams".to_string(), |t| format!("team={t}")),
            if raw.provisions_only {
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
}

/// The team named `name` (as SQLite's `NOCASE` team names: case does not matter).
fn team_by_name(tx: &mut Tx<'_>, name: &str) -> Result<(i64, String)> {
    match tx.query_opt(
        "SELECT id, name FROM team WHERE lower(name) = lower($1)",
        &[&name.trim()],
    )? {
        Some(r) => Ok((r.try_get(0)?, r.try_get(1)?)),
        None => Err(StoreError::NotFound(Missing::TeamName(
            name.trim().to_string(),
        ))),
    }
}

fn team_name(tx: &mut Tx<'_>, id: i64) -> Result<String> {
    match tx.query_opt("SELECT name FROM team WHERE id = $1", &[&id])? {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::NotFound(Missing::Team(id))),
    }
}

struct Query<'q, 't> {
    tx: &'q mut Tx<'t>,
    team: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
}

/// The team condition as the queries are written; [`Query::sql`] replaces it.
const TEAM_SCOPE: &str = "{team}";

impl Query<'_, '_> {
    /// `sql` with the team condition made plain: `h.team_id = $1` for one team, so that the
    /// planner drives the query from the household team index, or `$1::bigint IS NULL` for
    /// all teams. Only these two fixed texts are ever spliced in; values stay bound parameters.
    fn sql(&self, sql: &str) -> String {
        let scope = if self.team.is_some() {
            "h.team_id = $1"
        } else {
            "$1::bigint IS NULL"
        };
        sql.replace(TEAM_SCOPE, scope)
    }

    /// Every row of `sql` (team scope spliced) with the team, from and to bound.
    fn rows(&mut self, sql: &str) -> Result<Vec<postgres::Row>> {
        let sql = self.sql(sql);
        let (team, from, to) = (self.team, self.from, self.to);
        self.tx.query(&sql, &[&team, &from, &to])
    }

    /// `FROM … WHERE` of a section over `table` (alias `x`) in the report's scope, as fixed
    /// texts only (values stay bound: $1 the team, $2 and $3 the period), to be followed by
    /// the section's condition. For all teams the table is read alone, through the date index
    /// its condition names; for one team the query is driven from the team's households into
    /// the table's household index, so that a team's report reads that team's rows only.
    fn scoped(&self, table: &str) -> String {
        if self.team.is_some() {
            format!(
                "FROM household h JOIN {table} x ON x.household_id = h.id WHERE h.team_id = $1 AND"
            )
        } else {
            format!("FROM {table} x WHERE $1::bigint IS NULL AND")
        }
    }

    fn fill(
        &mut self,
        raw: &mut RawFigures,
        today: NaiveDate,
        reference: &ReferenceData,
    ) -> Result<()> {
        raw.teams = self.teams()?;
        let (contacts, households, months) = self.contacts(raw.from, raw.to, reference)?;
        raw.contacts = contacts;
        raw.contact_households = households;
        raw.months = months;
        (raw.made, raw.done, raw.overdue) = self.agreements(today)?;
        raw.zrm = self.zrm(reference)?;
        raw.flags = self.flags(reference)?;
        raw.duration = self.duration()?;
        Ok(())
    }

    fn teams(&mut self) -> Result<Vec<TeamFlow>> {
        let (team, from, to) = (self.team, self.from, self.to);
        self.tx
            .query(
                "SELECT t.name,
                        (SELECT count(*) FROM household h WHERE h.team_id = t.id AND h.opened_on BETWEEN $2 AND $3),
                        (SELECT count(*) FROM household h WHERE h.team_id = t.id AND h.closed_on BETWEEN $2 AND $3)
                 FROM team t WHERE ($1::bigint IS NULL OR t.id = $1) ORDER BY t.name COLLATE \"C\"",
                &[&team, &from, &to],
            )?
            .iter()
            .map(|r| {
                Ok(TeamFlow {
                    team: r.try_get(0)?,
                    opened: r.try_get(1)?,
                    closed: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// Every row of `sql` (team, from and to bound) to `each` as it arrives: a section's
    /// rows are counted, not held.
    fn each_row(
        &mut self,
        sql: &str,
        mut each: impl FnMut(&postgres::Row) -> Result<()>,
    ) -> Result<()> {
        let (team, from, to) = (self.team, self.from, self.to);
        self.tx
            .for_each_row_with(sql, &[&team, &from, &to], |row| each(&row).map(|()| true))
    }

    /// Contacts per kind, the households with any, and per calendar month: one pass over the
    /// period's contacts (the covering index `contact_on`, or a team's households), streamed
    /// into slots per kind and month with households in bitmaps (as `sqlite::report`).
    fn contacts(
        &mut self,
        from: NaiveDate,
        to: NaiveDate,
        reference: &ReferenceData,
    ) -> Result<(Vec<KindContacts>, i64, Vec<MonthContacts>)> {
        let mut tally = ContactTally::new(from, to, reference);
        let sql = format!(
            "SELECT x.contact_on, x.household_id, x.kind, x.minutes {}
                 x.contact_on BETWEEN $2 AND $3",
            self.scoped("contact")
        );
        self.each_row(&sql, |r| {
            let day: NaiveDate = r.try_get(0)?;
            let household: i64 = r.try_get(1)?;
            tally.add(
                Some((day.year(), day.month())),
                household,
                r.try_get::<_, &str>(2)?,
                r.try_get::<_, i64>(3)?,
            );
            Ok(())
        })?;
        Ok(tally.finish(reference))
    }

    /// Agreements made, done and overdue in the period, in one statement: three ranges of
    /// the date indexes (`agreement_created`, `agreement_status_on`, `agreement_status_due`),
    /// not every agreement ever made.
    fn agreements(&mut self, today: NaiveDate) -> Result<(CountFigure, CountFigure, CountFigure)> {
        let scope = self.scoped("agreement");
        // Made on a day of the period (in UTC, as `created_at` is stored): from the first day's
        // midnight up to the midnight after the last day.
        let sql = format!(
            "SELECT w.section, count(*), count(DISTINCT w.household_id) FROM (
                 SELECT 0 AS section, x.household_id {scope}
                     x.created_at >= $2::date::timestamp AT TIME ZONE 'UTC'
                     AND x.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'
                 UNION ALL
                 SELECT 1, x.household_id {scope}
                     x.status = 'done' AND x.status_on BETWEEN $2::date AND $3::date
                 UNION ALL
                 SELECT 2, x.household_id {scope}
                     x.status = 'open' AND x.due_on BETWEEN $2::date AND $3::date
                     AND x.due_on < $4::date
             ) w GROUP BY w.section"
        );
        let (team, from, to) = (self.team, self.from, self.to);
        let rows = self.tx.query(&sql, &[&team, &from, &to, &today])?;
        let mut figures = [
            CountFigure::default(),
            CountFigure::default(),
            CountFigure::default(),
        ];
        for r in &rows {
            let section: i32 = r.try_get(0)?;
            if let Some(f) = usize::try_from(section)
                .ok()
                .and_then(|i| figures.get_mut(i))
            {
                *f = CountFigure {
                    count: r.try_get(1)?,
                    households: r.try_get(2)?,
                };
            }
        }
        let [made, done, overdue] = figures;
        Ok((made, done, overdue))
    }

    fn zrm(&mut self, reference: &ReferenceData) -> Result<Vec<DomainChange>> {
        // One pass over the period's assessments in (date, id) order (the covering index
        // `zrm_assessed_on`): each person's first and last assessment in the period, kept
        // packed by domain slot, tallied in slots per domain with households in bitmaps (as
        // `sqlite::report`). Only the persons assessed in the period are held.
        struct Span {
            household: i64,
            first: Packed,
            last: Option<Packed>,
        }
        let sql = format!(
            "SELECT x.person_id, x.household_id, x.scores {}
                 x.assessed_on BETWEEN $2 AND $3 ORDER BY x.assessed_on, x.id",
            self.scoped("zrm_assessment")
        );
        let mut domains: Slots<DomainTally> =
            Slots::new(reference.zrm.domains.iter().map(|d| d.key.as_str()));
        let mut persons: HashMap<i64, Span> = HashMap::new();
        // Texts that do not decode, by person and place (first or last); an error only when
        // such a text stays a person's first or last.
        let mut broken: BTreeMap<(i64, bool), String> = BTreeMap::new();
        let mut levels = Levels::new();
        self.each_row(&sql, |r| {
            let (person, household): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            let text: &str = r.try_get(2)?;
            let packed = match decode_levels(text, &mut domains, &mut levels) {
                Some(()) => Some(
                    pack(&levels)
                        .ok_or_else(|| corrupt("zrm_assessment", "scores", text.to_string()))?,
                ),
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
            Ok(())
        })?;
        // A person assessed once has no change; the first broken text of a person with two
        // (in person order, the first assessment before the last) is the error.
        if let Some((_, text)) = broken
            .into_iter()
            .find(|((person, _), _)| persons.get(person).is_some_and(|s| s.last.is_some()))
        {
            return Err(corrupt("zrm_assessment", "scores", text));
        }
        for span in persons.values() {
            if let Some(last) = span.last {
                add_packed(&mut domains, span.household, span.first, last);
            }
        }
        Ok(domain_changes(domains, reference))
    }

    fn flags(&mut self, reference: &ReferenceData) -> Result<Vec<FlagFigure>> {
        let mut by_kind: BTreeMap<String, i64> = self
            .rows(
                "SELECT f.kind, count(DISTINCT f.household_id) FROM flag f
                 JOIN household h ON h.id = f.household_id
                 WHERE f.since <= $3 AND (f.ended_on IS NULL OR f.ended_on >= $2) AND {team}
                 GROUP BY f.kind",
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_>>()?;
        let mut out = Vec::new();
        for kind in reference.flags.flags() {
            if let Some(households) = by_kind.remove(&kind.key) {
                out.push(FlagFigure {
                    kind: kind.name.clone(),
                    households,
                });
            }
        }
        out.extend(
            by_kind
                .into_iter()
                .map(|(kind, households)| FlagFigure { kind, households }),
        );
        Ok(out)
    }

    /// Provisions in force in the period (granted, assigned, started or ended), by law,
    /// category and financing.
    fn provisions(&mut self, reference: &ReferenceData) -> Result<Vec<ProvisionFigure>> {
        let rows = self.rows(
            "SELECT v.law, v.category, v.financing, count(*), count(DISTINCT v.household_id)
             FROM provision v JOIN household h ON h.id = v.household_id
             WHERE v.status IN ('toegekend', 'toegewezen', 'gestart', 'beeindigd')
               AND v.start_on <= $3 AND (v.end_on IS NULL OR v.end_on >= $2)
               AND (v.ended_on IS NULL OR v.ended_on >= $2) AND {team}
             GROUP BY v.law, v.category, v.financing
             ORDER BY v.law COLLATE \"C\", v.category COLLATE \"C\", v.financing COLLATE \"C\"",
        )?;
        rows.iter()
            .map(|r| {
                let law: String = r.try_get(0)?;
                let category: String = r.try_get(1)?;
                let financing: String = r.try_get(2)?;
                let law = Law::parse(&law).map_or(law, |l| l.name().to_string());
                let category = reference
                    .products
                    .category(&category)
                    .map_or(category.clone(), |c| format!("{category} {}", c.name));
                let financing =
                    Financing::parse(&financing).map_or(financing, |f| f.name().to_string());
                Ok(ProvisionFigure {
                    law,
                    category,
                    financing,
                    count: r.try_get(3)?,
                    households: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Provisions whose actual care started, or ended (per reason), in the period.
    fn care(&mut self) -> Result<Vec<CareFigure>> {
        // SQLite sorts NULL first and text bytewise; so does this.
        let rows = self.rows(
            "SELECT law, reason, n, households FROM (
                 SELECT v.law AS law, NULL::text AS reason, count(*) AS n,
                        count(DISTINCT v.household_id) AS households
                 FROM provision v JOIN household h ON h.id = v.household_id
                 WHERE v.care_started_on BETWEEN $2 AND $3 AND {team}
                 GROUP BY v.law
                 UNION ALL
                 SELECT v.law, v.care_end_reason, count(*), count(DISTINCT v.household_id)
                 FROM provision v JOIN household h ON h.id = v.household_id
                 WHERE v.care_ended_on BETWEEN $2 AND $3 AND {team}
                 GROUP BY v.law, v.care_end_reason
             ) c
             ORDER BY law COLLATE \"C\", reason COLLATE \"C\" NULLS FIRST",
        )?;
        rows.iter()
            .map(|r| {
                let law: String = r.try_get(0)?;
                let reason: Option<String> = r.try_get(1)?;
                Ok(CareFigure {
                    law: Law::parse(&law).map_or(law, |l| l.name().to_string()),
                    ended: reason.map(|code| {
                        format!(
                            "{code} {}",
                            crate::domain::istandaard::end_reason_label(&code)
                        )
                    }),
                    count: r.try_get(2)?,
                    households: r.try_get(3)?,
                })
            })
            .collect()
    }

    fn duration(&mut self) -> Result<DurationFigure> {
        let rows = self.rows(
            "SELECT count(*), sum(h.closed_on - h.opened_on)::bigint
             FROM household h WHERE h.closed_on BETWEEN $2 AND $3 AND {team}",
        )?;
        let (households, days): (i64, Option<i64>) = match rows.first() {
            Some(r) => (r.try_get(0)?, r.try_get(1)?),
            None => (0, None),
        };
        Ok(DurationFigure {
            households,
            total_days: days.unwrap_or(0),
        })
    }
}

//! Steering figures on PostgreSQL (see `sqlite::report`): the same aggregates, the same
//! whole-month periods and the same small-cell suppression ([`crate::model::report::build`]);
//! the request is audited as one row without a household.
//!
//! Every section is read in one repeatable-read snapshot; the audit row is written after, in
//! its own short write, so a long report never holds the chain lock.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::{Result, Store, StoreError, Tx};
use crate::auth::Session;
use crate::auth::policy::{ReportScope, report_scope};
use crate::domain::provision::{Financing, Law};
use crate::domain::reference::ReferenceData;
use crate::domain::zrm::decode_scores;
use crate::i18n::Lang;
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

    fn fill(
        &mut self,
        raw: &mut RawFigures,
        today: NaiveDate,
        reference: &ReferenceData,
    ) -> Result<()> {
        raw.teams = self.teams()?;
        let (contacts, households) = self.contacts(reference)?;
        raw.contacts = contacts;
        raw.contact_households = households;
        raw.months = self.months(raw.from, raw.to)?;
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

    /// Contacts per kind, and the households with any contact, in one statement (the grouping
    /// set `()` is the total).
    fn contacts(&mut self, reference: &ReferenceData) -> Result<(Vec<KindContacts>, i64)> {
        let rows = self.rows(
            "SELECT c.kind, count(*), coalesce(sum(c.minutes), 0)::bigint,
                    count(DISTINCT c.household_id), GROUPING(c.kind)
             FROM contact c JOIN household h ON h.id = c.household_id
             WHERE c.contact_on BETWEEN $2 AND $3 AND {team}
             GROUP BY GROUPING SETS ((c.kind), ())",
        )?;
        let mut households = 0;
        let mut by_kind: BTreeMap<String, KindContacts> = BTreeMap::new();
        for r in &rows {
            if r.try_get::<_, i32>(4)? == 1 {
                households = r.try_get(3)?;
                continue;
            }
            let k = KindContacts {
                kind: r.try_get(0)?,
                contacts: r.try_get(1)?,
                minutes: r.try_get(2)?,
                households: r.try_get(3)?,
            };
            by_kind.insert(k.kind.clone(), k);
        }
        // Catalogue order and names first, then kinds the catalogue no longer has.
        let mut out = Vec::new();
        for kind in reference.contact_kinds.kinds() {
            if let Some(mut k) = by_kind.remove(&kind.key) {
                k.kind = kind.name.clone();
                out.push(k);
            }
        }
        out.extend(by_kind.into_values());
        Ok((out, households))
    }

    fn months(&mut self, from: NaiveDate, to: NaiveDate) -> Result<Vec<MonthContacts>> {
        let mut found: BTreeMap<String, (i64, i64)> = self
            .rows(
                "SELECT to_char(c.contact_on, 'YYYY-MM'), count(*), count(DISTINCT c.household_id)
                 FROM contact c JOIN household h ON h.id = c.household_id
                 WHERE c.contact_on BETWEEN $2 AND $3 AND {team}
                 GROUP BY 1",
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?))))
            .collect::<Result<_>>()?;
        let mut out = Vec::new();
        let (mut year, mut month) = (from.year(), from.month());
        while (year, month) <= (to.year(), to.month()) {
            let key = format!("{year:04}-{month:02}");
            let (contacts, households) = found.remove(&key).unwrap_or((0, 0));
            out.push(MonthContacts {
                month: key,
                contacts,
                households,
            });
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        Ok(out)
    }

    /// Agreements made, done and overdue in the period, in one statement.
    fn agreements(&mut self, today: NaiveDate) -> Result<(CountFigure, CountFigure, CountFigure)> {
        let sql = self.sql(
            "SELECT count(*) FILTER (WHERE made),
                    count(DISTINCT a.household_id) FILTER (WHERE made),
                    count(*) FILTER (WHERE done),
                    count(DISTINCT a.household_id) FILTER (WHERE done),
                    count(*) FILTER (WHERE overdue),
                    count(DISTINCT a.household_id) FILTER (WHERE overdue)
             FROM agreement a
             JOIN household h ON h.id = a.household_id,
             LATERAL (SELECT (a.created_at AT TIME ZONE 'UTC')::date BETWEEN $2 AND $3 AS made,
                             a.status = 'done' AND a.status_on BETWEEN $2 AND $3 AS done,
                             a.status = 'open' AND a.due_on BETWEEN $2 AND $3 AND a.due_on < $4
                                 AS overdue) f
             WHERE {team}",
        );
        let (team, from, to) = (self.team, self.from, self.to);
        let r = self.tx.query_one(&sql, &[&team, &from, &to, &today])?;
        let figure = |i: usize| -> Result<CountFigure> {
            Ok(CountFigure {
                count: r.try_get(i)?,
                households: r.try_get(i + 1)?,
            })
        };
        Ok((figure(0)?, figure(2)?, figure(4)?))
    }

    fn zrm(&mut self, reference: &ReferenceData) -> Result<Vec<DomainChange>> {
        // One ordered pass: the first and the last assessment of each person in the period;
        // only those two are decoded.
        let rows = self.rows(
            "SELECT z.person_id, z.household_id, z.scores
             FROM zrm_assessment z JOIN household h ON h.id = z.household_id
             WHERE z.assessed_on BETWEEN $2 AND $3 AND {team}
             ORDER BY z.person_id, z.assessed_on, z.id",
        )?;
        #[derive(Default)]
        struct Acc {
            persons: i64,
            change_sum: i64,
            households: HashSet<i64>,
            parts: [(i64, HashSet<i64>); 3],
        }
        /// One person's first and last assessment in the period.
        struct Span {
            person: i64,
            household: i64,
            first: String,
            last: Option<String>,
        }
        let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
        let mut add = |span: Span| -> Result<()> {
            let Some(last) = span.last else {
                return Ok(());
            };
            let decode = |text: String| {
                decode_scores(&text).ok_or_else(|| corrupt("zrm_assessment", "scores", text))
            };
            let (first, last) = (decode(span.first)?, decode(last)?);
            for (key, score) in &last {
                let (Some(before), Some(after)) =
                    (first.get(key).and_then(|s| s.value()), score.value())
                else {
                    continue;
                };
                let change = i64::from(after) - i64::from(before);
                let a = acc.entry(key.clone()).or_default();
                a.persons += 1;
                a.change_sum += change;
                a.households.insert(span.household);
                let part = match change.signum() {
                    1 => 0,
                    0 => 1,
                    _ => 2,
                };
                a.parts[part].0 += 1;
                a.parts[part].1.insert(span.household);
            }
            Ok(())
        };
        let mut current: Option<Span> = None;
        for r in &rows {
            let (person, household, scores): (i64, i64, String) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            match current.as_mut() {
                Some(span) if span.person == person => span.last = Some(scores),
                _ => {
                    if let Some(done) = current.take() {
                        add(done)?;
                    }
                    current = Some(Span {
                        person,
                        household,
                        first: scores,
                        last: None,
                    });
                }
            }
        }
        if let Some(done) = current.take() {
            add(done)?;
        }
        let count = |set: &HashSet<i64>| i64::try_from(set.len()).unwrap_or(i64::MAX);
        let figure = |p: &(i64, HashSet<i64>)| CountFigure {
            count: p.0,
            households: count(&p.1),
        };
        let to_change = |name: String, a: &Acc| DomainChange {
            domain: name,
            persons: a.persons,
            households: count(&a.households),
            change_sum: a.change_sum,
            improved: figure(&a.parts[0]),
            stable: figure(&a.parts[1]),
            worsened: figure(&a.parts[2]),
        };
        let mut out = Vec::new();
        for domain in &reference.zrm.domains {
            if let Some(a) = acc.remove(&domain.key) {
                out.push(to_change(domain.name.clone(), &a));
            }
        }
        for (key, a) in &acc {
            out.push(to_change(key.clone(), a));
        }
        Ok(out)
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

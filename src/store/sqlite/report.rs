//! Steering figures: aggregates over households, contacts, agreements, ZRM, flags. Never a
//! single household: the counts leave the store only through small-cell suppression
//! ([`crate::model::report::build`]), and the request is audited as one row without a household.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::date_text;
use super::{Result, Store, StoreError};
use crate::auth::Session;
use crate::auth::policy::{ReportScope, report_scope};
use crate::domain::provision::{Financing, Law};
use crate::domain::reference::ReferenceData;
use crate::domain::zrm::decode_scores;
use crate::i18n::Lang;
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
        let (contacts, households) = self.contacts(reference)?;
        raw.contacts = contacts;
        raw.contact_households = households;
        raw.months = self.months(raw.from, raw.to)?;
        raw.made = self.count(
            "SELECT count(*), count(DISTINCT a.household_id) FROM agreement a
             JOIN household h ON h.id = a.household_id
             WHERE substr(a.created_at, 1, 10) BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)",
            None,
        )?;
        raw.done = self.count(
            "SELECT count(*), count(DISTINCT a.household_id) FROM agreement a
             JOIN household h ON h.id = a.household_id
             WHERE a.status = 'done' AND a.status_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)",
            None,
        )?;
        raw.overdue = self.count(
            "SELECT count(*), count(DISTINCT a.household_id) FROM agreement a
             JOIN household h ON h.id = a.household_id
             WHERE a.status = 'open' AND a.due_on BETWEEN ?2 AND ?3 AND a.due_on < ?4
               AND (?1 IS NULL OR h.team_id = ?1)",
            Some(date_text(today)),
        )?;
        raw.zrm = self.zrm(reference)?;
        raw.flags = self.flags(reference)?;
        raw.duration = self.duration()?;
        Ok(())
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

    fn contacts(&self, reference: &ReferenceData) -> Result<(Vec<KindContacts>, i64)> {
        let mut stmt = self.prepare(
            "SELECT c.kind, count(*), coalesce(sum(c.minutes), 0), count(DISTINCT c.household_id)
             FROM contact c JOIN household h ON h.id = c.household_id
             WHERE c.contact_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)
             GROUP BY c.kind",
        )?;
        let mut by_kind: BTreeMap<String, KindContacts> = stmt
            .query_map(params![self.team, self.from, self.to], |r| {
                Ok(KindContacts {
                    kind: r.get(0)?,
                    contacts: r.get(1)?,
                    minutes: r.get(2)?,
                    households: r.get(3)?,
                })
            })?
            .map(|k| k.map(|k| (k.kind.clone(), k)))
            .collect::<rusqlite::Result<_>>()?;
        // Catalogue order and names first, then kinds the catalogue no longer has.
        let mut out = Vec::new();
        for kind in reference.contact_kinds.kinds() {
            if let Some(mut k) = by_kind.remove(&kind.key) {
                k.kind = kind.name.clone();
                out.push(k);
            }
        }
        out.extend(by_kind.into_values());
        let households: i64 = self.prepare(
            "SELECT count(DISTINCT c.household_id) FROM contact c JOIN household h ON h.id = c.household_id
             WHERE c.contact_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)",
        )?
        .query_row(params![self.team, self.from, self.to], |r| r.get(0))?;
        Ok((out, households))
    }

    fn months(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<MonthContacts>> {
        let mut stmt = self.prepare(
            "SELECT substr(c.contact_on, 1, 7), count(*), count(DISTINCT c.household_id)
             FROM contact c JOIN household h ON h.id = c.household_id
             WHERE c.contact_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)
             GROUP BY 1",
        )?;
        let mut found: BTreeMap<String, (i64, i64)> = stmt
            .query_map(params![self.team, self.from, self.to], |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
            })?
            .collect::<rusqlite::Result<_>>()?;
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

    fn count(&self, sql: &str, today: Option<String>) -> Result<CountFigure> {
        let mut stmt = self.prepare(sql)?;
        let map = |r: &rusqlite::Row<'_>| {
            Ok(CountFigure {
                count: r.get(0)?,
                households: r.get(1)?,
            })
        };
        Ok(match today {
            Some(today) => stmt.query_row(params![self.team, self.from, self.to, today], map)?,
            None => stmt.query_row(params![self.team, self.from, self.to], map)?,
        })
    }

    fn zrm(&self, reference: &ReferenceData) -> Result<Vec<DomainChange>> {
        // One ordered pass over the person index: the first and the last assessment of each
        // person in the period; only those two are decoded.
        let mut stmt = self.prepare(
            "SELECT z.person_id, z.household_id, z.scores
             FROM zrm_assessment z JOIN household h ON h.id = z.household_id
             WHERE z.assessed_on BETWEEN ?2 AND ?3 AND (?1 IS NULL OR h.team_id = ?1)
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
                decode_scores(&text)
                    .ok_or_else(|| super::codec::corrupt("zrm_assessment", "scores", text))
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
        let mut rows = stmt.query(params![self.team, self.from, self.to])?;
        while let Some(r) = rows.next()? {
            let (person, household, scores): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
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
        let figure = |p: &(i64, HashSet<i64>)| CountFigure {
            count: p.0,
            households: p.1.len() as i64,
        };
        let to_change = |name: String, a: &Acc| DomainChange {
            domain: name,
            persons: a.persons,
            households: a.households.len() as i64,
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

    fn flags(&self, reference: &ReferenceData) -> Result<Vec<FlagFigure>> {
        let mut stmt = self.prepare(
            "SELECT f.kind, count(DISTINCT f.household_id) FROM flag f JOIN household h ON h.id = f.household_id
             WHERE f.since <= ?3 AND (f.ended_on IS NULL OR f.ended_on >= ?2) AND (?1 IS NULL OR h.team_id = ?1)
             GROUP BY f.kind",
        )?;
        let mut by_kind: BTreeMap<String, i64> = stmt
            .query_map(params![self.team, self.from, self.to], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
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
                        crate::exchange::berichten::end_reason_label(&code)
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

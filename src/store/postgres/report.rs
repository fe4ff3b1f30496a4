//! Steering figures on PostgreSQL: made on the server. `kt_steering` (migration 7) applies the
//! caller's scope, snaps the period to whole months, counts, applies the small-cell
//! suppression and writes the request's audit row; what reaches the workstation are the
//! figures as they may be shown ([`ShownFigures`]), never a count under five. The rules are
//! those of [`crate::model::report::decide`]; the suite runs the same reports on both backends.
//!
//! The counting reads every section in the one snapshot of the call; the audit row is appended
//! after it, so a long report never holds the chain lock.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{Result, Store, StoreError, Tx};
use crate::auth::Session;
use crate::auth::policy::{ReportScope, report_scope};
use crate::domain::provision::{Financing, Law};
use crate::domain::reference::ReferenceData;
use crate::i18n::Lang;
use crate::model::report::*;
use crate::store::Missing;
use crate::store::shared::codec::corrupt;

impl Store {
    /// The steering report for `request`, suppressed on the server and laid out in `lang`. The
    /// access decision is the policy's ([`report_scope`]), and the server's again; the request
    /// is audited as one row.
    pub fn steering_report(
        &mut self,
        session: &Session,
        request: &ReportRequest,
        reference: &ReferenceData,
        lang: Lang,
    ) -> Result<Report> {
        check_period(request.from, request.to)?;
        let requested = match &request.team {
            None => None,
            Some(name) => Some(self.read(|tx| team_by_name(tx, name))?),
        };
        let scope =
            report_scope(session, requested.map(|(id, _)| id)).ok_or(StoreError::Denied {
                role: session.role,
                refused: crate::store::Refused::OtherTeamReport,
            })?;
        let team = match scope {
            ReportScope::AllTeams => None,
            ReportScope::Team(id) => Some(id),
            ReportScope::ProvisionsOnly(team) => team,
        };
        let today = self.clock().today();
        let at = self
            .clock()
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let keys = |keys: Vec<&str>| keys.into_iter().map(str::to_string).collect::<Vec<_>>();
        let kinds = keys(
            reference
                .contact_kinds
                .kinds()
                .iter()
                .map(|k| k.key.as_str())
                .collect(),
        );
        let flags = keys(
            reference
                .flags
                .flags()
                .iter()
                .map(|k| k.key.as_str())
                .collect(),
        );
        let domains = keys(
            reference
                .zrm
                .domains
                .iter()
                .map(|d| d.key.as_str())
                .collect(),
        );
        let json: String = self.single(|tx| {
            tx.query_one(
                "SELECT kt_steering($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)::text",
                &[
                    &team,
                    &request.from,
                    &request.to,
                    &today,
                    &kinds,
                    &flags,
                    &domains,
                    &at,
                    &session.workstation,
                    &session.on_behalf_of,
                ],
            )?
            .try_get(0)
            .map_err(StoreError::from)
        })?;
        let figures: ServerFigures = serde_json::from_str(&json)
            .map_err(|e| corrupt("kt_steering", "figures", e.to_string()))?;
        Ok(layout(&figures.shown(reference), lang))
    }
}

/// A row as `kt_steering` sends it: what it is about, and its cells (null where hidden).
type Cells = Vec<Shown>;

/// The figures as `kt_steering` sends them: rows keyed by the catalogue's keys and the stored
/// codes, which [`ServerFigures::shown`] names as the app does.
#[derive(Deserialize)]
struct ServerFigures {
    from: NaiveDate,
    to: NaiveDate,
    team: Option<String>,
    provisions_only: bool,
    #[serde(default)]
    teams: Vec<(String, Cells)>,
    #[serde(default)]
    teams_total: Option<Cells>,
    #[serde(default)]
    contacts: Vec<(String, Cells)>,
    #[serde(default)]
    contacts_total: Option<Cells>,
    #[serde(default)]
    months: Vec<(String, Cells)>,
    #[serde(default)]
    agreements: Vec<Cells>,
    #[serde(default)]
    zrm: Vec<(String, Cells)>,
    #[serde(default)]
    flags: Vec<(String, Cells)>,
    #[serde(default)]
    duration: Cells,
    provisions: Vec<((String, String, String), Cells)>,
    care: Vec<((String, Option<String>), Cells)>,
}

impl ServerFigures {
    /// The figures with the names the screen shows: a catalogue's name for a key it knows (a
    /// key it no longer has stays as it is), a law's and a financing's name, a product
    /// category's code with its name, an end reason's code with its words.
    fn shown(self, reference: &ReferenceData) -> ShownFigures {
        let rows = |rows: Vec<(String, Cells)>, name: &dyn Fn(&str) -> Option<String>| {
            rows.into_iter()
                .map(|(key, cells)| ShownRow {
                    label: name(&key).unwrap_or(key),
                    cells,
                })
                .collect::<Vec<_>>()
        };
        let kinds = reference.contact_kinds.kinds();
        let flags = reference.flags.flags();
        let domains = &reference.zrm.domains;
        let law = |law: String| Law::parse(&law).map_or(law, |l| l.name().to_string());
        ShownFigures {
            from: self.from,
            to: self.to,
            team: self.team,
            provisions_only: self.provisions_only,
            teams: rows(self.teams, &|_| None),
            teams_total: self.teams_total,
            contacts: rows(self.contacts, &|key| {
                kinds.iter().find(|k| k.key == key).map(|k| k.name.clone())
            }),
            contacts_total: self.contacts_total,
            months: rows(self.months, &|_| None),
            agreements: self.agreements,
            zrm: rows(self.zrm, &|key| {
                domains
                    .iter()
                    .find(|d| d.key == key)
                    .map(|d| d.name.clone())
            }),
            flags: rows(self.flags, &|key| {
                flags.iter().find(|f| f.key == key).map(|f| f.name.clone())
            }),
            duration: self.duration,
            provisions: self
                .provisions
                .into_iter()
                .map(|((law_code, category, financing), cells)| {
                    let category = reference
                        .products
                        .category(&category)
                        .map_or(category.clone(), |c| format!("{category} {}", c.name));
                    let financing =
                        Financing::parse(&financing).map_or(financing, |f| f.name().to_string());
                    ShownRow {
                        label: format!("{} / {category} / {financing}", law(law_code)),
                        cells,
                    }
                })
                .collect(),
            care: self
                .care
                .into_iter()
                .map(|((law_code, reason), cells)| ShownCare {
                    law: law(law_code),
                    ended: reason.map(|code| {
                        format!(
                            "{code} {}",
                            crate::domain::istandaard::end_reason_label(&code)
                        )
                    }),
                    cells,
                })
                .collect(),
        }
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

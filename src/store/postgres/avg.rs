//! The resident's rights under the AVG (GDPR) on PostgreSQL (see `sqlite::avg`): everything
//! about one household in one export (inzage, portability), and erasure of a closed household
//! once its retention period is over.

use chrono::{NaiveDate, SecondsFormat};
use postgres::Row;

use super::access_log::access_entries;
use super::audit::{self, Action, AuditActor, AuditEvent};
use super::households::live_household_team;
use super::{Result, Store, StoreError, Tx, authorize};
use crate::auth::Session;
use crate::auth::policy::{self, Operation, Refusal};
use crate::domain::Invalid;
use crate::domain::address::HouseNumber;
use crate::domain::agreement::{Actor, Agreement, AgreementStatus};
use crate::domain::bsn::Bsn;
use crate::domain::contact::Contact;
use crate::domain::flag::{Flag, FlagSource};
use crate::domain::goal::{Consent, GoalStatus, PlanGoal};
use crate::domain::household::{Address, Household, HouseholdStatus, MemberRole, Person};
use crate::domain::invalid::required_text;
use crate::domain::phone::Phone;
use crate::domain::postcode::Postcode;
use crate::domain::provision::{Care, Financing, Frequency, Law, Provision, ProvisionStatus, Unit};
use crate::domain::retention::RetentionPolicy;
use crate::domain::zrm::{Assessment, decode_scores};
use crate::model::avg::*;
use crate::store::shared::records::{denied, not_found, refused_event};

impl Store {
    /// Everything about one household, for inzage and portability; a professional of its team
    /// only. Audited as an export; a refusal is audited too.
    pub fn export_household(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<HouseholdExport> {
        let by = session.username.clone();
        self.household_access(
            session,
            household_id,
            Operation::ExportHousehold,
            |tx, now| {
                let (household, team, regisseur) = household_of(tx, household_id)?;
                let export = HouseholdExport {
                    format: EXPORT_FORMAT,
                    exported_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
                    exported_by: by,
                    team,
                    regisseur,
                    members: members_of(tx, household_id)?,
                    assessments: assessments_of(tx, household_id)?,
                    agreements: agreements_of(tx, household_id)?,
                    flags: flags_of(tx, household_id)?,
                    goals: goals_of(tx, household_id)?,
                    contacts: contacts_of(tx, household_id)?,
                    consents: consents_of(tx, household_id)?,
                    provisions: provisions_of(tx, household_id)?,
                    access_log: access_entries(tx, household_id)?,
                    household,
                };
                let event =
                    AuditEvent::household(Action::Export, "household", household_id, household_id)
                        .with_detail("json");
                Ok((export, event))
            },
        )
    }

    /// Closed, not yet erased households whose retention period is over on `today`, longest
    /// overdue first; beheerder only. Shows ids, teams and dates, no content. Audited as one
    /// read of the list.
    pub fn retention_due(
        &mut self,
        session: &Session,
        policy: &RetentionPolicy,
        today: NaiveDate,
    ) -> Result<Vec<DueHousehold>> {
        authorize(session, Operation::ManageRetention, None)?;
        let shortest = policy.years.min(policy.youth_care_years);
        let Some(cutoff) = today.checked_sub_months(chrono::Months::new(12 * shortest)) else {
            return Ok(Vec::new());
        };
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let youth = &policy.youth_care_flags;
        self.write(|tx| {
            // Through the server's function: a beheerder's connection reads no household.
            let rows = tx.query(
                "SELECT id, team, closed_on, youth_care FROM kt_retention_candidates($1, $2)",
                &[&cutoff, youth],
            )?;
            let mut due = Vec::new();
            for r in &rows {
                let (id, team, closed_on, youth_care): (i64, String, NaiveDate, bool) =
                    (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
                if let Some(due_on) = policy
                    .due_on(closed_on, youth_care)
                    .filter(|due_on| *due_on <= today)
                {
                    due.push(DueHousehold {
                        id,
                        team,
                        closed_on,
                        youth_care,
                        due_on,
                    });
                }
            }
            due.sort_by_key(|d| (d.due_on, d.id));
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Read,
                    object: "retention",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("{} te wissen", due.len())),
                },
            )?;
            Ok(due)
        })
    }

    /// Erases a closed household whose retention period is over on `today` (see
    /// `sqlite::Store::erase_household`): names, addresses, birth dates, BSN, phone numbers,
    /// notes and every free text go, and its finder index row is blanked; ids, team, dates,
    /// ZRM scores, kinds and counts stay for the figures, and the audit chain stays intact.
    /// Beheerder only. A refusal changes nothing but one audit row; without `apply` nothing
    /// is erased and the answer counts what would be.
    ///
    /// On a server the old row versions stay on disk until PostgreSQL vacuums the tables;
    /// making them unreadable there is the database administrator's (VACUUM, encrypted
    /// storage), as is the server's write-ahead log.
    pub fn erase_household(
        &mut self,
        session: &Session,
        household_id: i64,
        reason: &str,
        policy: &RetentionPolicy,
        today: NaiveDate,
        apply: bool,
    ) -> Result<Erased> {
        let reason = required_text("reason", "De reden", "The reason", reason, 200)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let youth = &policy.youth_care_flags;
        let outcome = self.write(|tx| {
            let team = live_household_team(tx, household_id)?;
            let refuse = |tx: &mut Tx<'_>, why: &str, error: StoreError| -> Result<Result<Erased>> {
                let event = refused_event(Operation::ManageRetention, household_id)
                    .with_detail(format!("retention: {why}"));
                audit::append(tx, now, &actor, &event)?;
                Ok(Err(error))
            };
            if let Err(refusal) = policy::check(session, Operation::ManageRetention, team) {
                let error = match refusal {
                    Refusal::Hidden => not_found(household_id),
                    Refusal::Denied => denied(session, Operation::ManageRetention),
                };
                return refuse(tx, "rol", error);
            }
            let row = tx
                .query_opt(
                    "SELECT closed_on, youth_care FROM kt_retention_facts($1, $2)",
                    &[&household_id, youth],
                )?
                .ok_or_else(|| not_found(household_id))?;
            let closed: Option<NaiveDate> = row.try_get(0)?;
            let youth_care: bool = row.try_get(1)?;
            let Some(closed_on) = closed else {
                return refuse(
                    tx,
                    "open",
                    Invalid::new(
                        "household",
                        format!(
                            "Huishouden {household_id} is nog open; alleen een afgesloten huishouden kan gewist worden. Er is niets gewist."
                        ),
                        format!(
                            "Household {household_id} is still open; only a closed household can be erased. Nothing was erased."
                        ),
                    )
                    .into(),
                );
            };
            let due_on = policy.due_on(closed_on, youth_care);
            if due_on.is_none_or(|due| due > today) {
                let years = policy.years_for(youth_care);
                let until = due_on.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default();
                let closed_nl = closed_on.format("%d-%m-%Y");
                let kind_nl = if youth_care { " (jeugdhulp)" } else { "" };
                let kind_en = if youth_care { " (youth care)" } else { "" };
                return refuse(
                    tx,
                    "bewaartermijn loopt",
                    Invalid::new(
                        "household",
                        format!(
                            "Huishouden {household_id} is afgesloten op {closed_nl}; de bewaartermijn{kind_nl} van {years} jaar loopt tot {until}. Er is niets gewist."
                        ),
                        format!(
                            "Household {household_id} was closed on {closed_nl}; the retention period{kind_en} of {years} years runs until {until}. Nothing was erased."
                        ),
                    )
                    .into(),
                );
            }
            if !apply {
                // What it would erase, counted by doing it and taking it back.
                tx.batch("SAVEPOINT preview")?;
                let erased = erase(tx, household_id, &reason, today);
                tx.batch("ROLLBACK TO SAVEPOINT preview; RELEASE SAVEPOINT preview")?;
                return Ok(Ok(erased?));
            }
            let erased = erase(tx, household_id, &reason, today)?;
            let event = AuditEvent::household(Action::Erase, "household", household_id, household_id)
                .with_detail(format!("{} personen, {} teksten", erased.persons, erased.texts));
            audit::append(tx, now, &actor, &event)?;
            Ok(Ok(erased))
        });
        outcome?
    }
}

fn count(changed: u64) -> usize {
    usize::try_from(changed).unwrap_or(usize::MAX)
}

/// The erasure itself, inside the caller's transaction: the server's `kt_erase_household`
/// (migration 5), since a beheerder's role may change these texts but not read them.
fn erase(tx: &mut Tx<'_>, household_id: i64, reason: &str, today: NaiveDate) -> Result<Erased> {
    let row = tx.query_one(
        "SELECT persons, texts FROM kt_erase_household($1, $2, $3, $4)",
        &[&household_id, &ERASED, &today, &reason],
    )?;
    Ok(Erased {
        id: household_id,
        persons: count(u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0)),
        texts: count(u64::try_from(row.try_get::<_, i64>(1)?).unwrap_or(0)),
    })
}

// The reads of the export: the same rows, in the same order, as the SQLite backend's
// dashboard reads (`sqlite::dashboard::read_administration` and the `*_of` functions).

fn corrupt(table: &'static str, column: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        table,
        column,
        value: value.into(),
    }
}

/// The household with its team's name and its regisseur's display name.
fn household_of(tx: &mut Tx<'_>, id: i64) -> Result<(Household, String, String)> {
    let r = tx
        .query_opt(
            "SELECT h.label, h.street, h.house_number, h.postcode, h.city, h.team_id,
                    h.regisseur_id, h.opened_on, h.closed_on, h.close_reason, t.name,
                    u.display_name
             FROM household h JOIN team t ON t.id = h.team_id
             JOIN app_user u ON u.id = h.regisseur_id
             WHERE h.id = $1",
            &[&id],
        )?
        .ok_or_else(|| not_found(id))?;
    let number: String = r.try_get(2)?;
    let postcode: String = r.try_get(3)?;
    let closed_on: Option<NaiveDate> = r.try_get(8)?;
    let close_reason: Option<String> = r.try_get(9)?;
    let status = match (closed_on, close_reason) {
        (Some(on), Some(reason)) => HouseholdStatus::Closed { on, reason },
        _ => HouseholdStatus::Open,
    };
    let household = Household {
        id,
        label: r.try_get(0)?,
        address: Address {
            street: r.try_get(1)?,
            house_number: HouseNumber::parse(&number)
                .map_err(|_| corrupt("household", "house_number", number.clone()))?,
            postcode: Postcode::parse(&postcode)
                .map_err(|_| corrupt("household", "postcode", postcode.clone()))?,
            city: r.try_get(4)?,
        },
        team_id: r.try_get(5)?,
        regisseur_id: r.try_get(6)?,
        opened_on: r.try_get(7)?,
        status,
    };
    Ok((household, r.try_get(10)?, r.try_get(11)?))
}

fn person_from_row(r: &Row) -> Result<Person> {
    let role: String = r.try_get(4)?;
    let bsn: Option<String> = r.try_get(5)?;
    let phone: Option<String> = r.try_get(6)?;
    Ok(Person {
        id: r.try_get(0)?,
        household_id: r.try_get(1)?,
        name: r.try_get(2)?,
        birth_date: r.try_get(3)?,
        role: MemberRole::parse(&role).map_err(|_| corrupt("person", "role", role.clone()))?,
        bsn: bsn
            .map(|b| Bsn::parse(&b).map_err(|_| corrupt("person", "bsn", b.clone())))
            .transpose()?,
        phone: phone
            .map(|p| Phone::parse(&p).map_err(|_| corrupt("person", "phone", p.clone())))
            .transpose()?,
        version: r.try_get(7)?,
    })
}

/// Members, oldest first.
fn members_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Person>> {
    tx.query(
        "SELECT id, household_id, name, birth_date, role, bsn, phone, version FROM person
         WHERE household_id = $1 ORDER BY birth_date IS NULL, birth_date, id",
        &[&household_id],
    )?
    .iter()
    .map(person_from_row)
    .collect()
}

fn assessments_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Assessment>> {
    tx.query(
        "SELECT id, person_id, assessed_on, assessed_by, scores FROM zrm_assessment
         WHERE household_id = $1 ORDER BY person_id, assessed_on, id",
        &[&household_id],
    )?
    .iter()
    .map(|r| {
        let scores: String = r.try_get(4)?;
        Ok(Assessment {
            id: r.try_get(0)?,
            person_id: r.try_get(1)?,
            assessed_on: r.try_get(2)?,
            assessed_by: r.try_get(3)?,
            scores: decode_scores(&scores)
                .ok_or_else(|| corrupt("zrm_assessment", "scores", scores.clone()))?,
        })
    })
    .collect()
}

fn agreements_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Agreement>> {
    tx.query(
        "SELECT id, what, who, due_on, formal, zrm_domain, status, status_on, cancel_reason,
                version
         FROM agreement WHERE household_id = $1
         ORDER BY status <> 'open', due_on IS NULL, due_on, id",
        &[&household_id],
    )?
    .iter()
    .map(|r| {
        let who: String = r.try_get(2)?;
        let status: String = r.try_get(6)?;
        let on: Option<NaiveDate> = r.try_get(7)?;
        let reason: Option<String> = r.try_get(8)?;
        let status = match (status.as_str(), on) {
            ("open", _) => AgreementStatus::Open,
            ("done", Some(on)) => AgreementStatus::Done { on },
            ("cancelled", Some(on)) => AgreementStatus::Cancelled {
                on,
                reason: reason.unwrap_or_default(),
            },
            _ => return Err(corrupt("agreement", "status", status)),
        };
        Ok(Agreement {
            id: r.try_get(0)?,
            household_id,
            what: r.try_get(1)?,
            who: Actor::parse(&who).map_err(|_| corrupt("agreement", "who", who.clone()))?,
            due_on: r.try_get(3)?,
            formal: r.try_get(4)?,
            zrm_domain: r.try_get(5)?,
            status,
            version: r.try_get(9)?,
        })
    })
    .collect()
}

fn flags_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Flag>> {
    tx.query(
        "SELECT id, kind, since, source, set_by, ended_on, end_reason FROM flag
         WHERE household_id = $1 ORDER BY ended_on IS NOT NULL, since, id",
        &[&household_id],
    )?
    .iter()
    .map(|r| {
        let source: String = r.try_get(3)?;
        let ended_on: Option<NaiveDate> = r.try_get(5)?;
        let reason: Option<String> = r.try_get(6)?;
        Ok(Flag {
            id: r.try_get(0)?,
            household_id,
            kind: r.try_get(1)?,
            since: r.try_get(2)?,
            source: FlagSource::from_code(&source)
                .ok_or_else(|| corrupt("flag", "source", source.clone()))?,
            set_by: r.try_get(4)?,
            ended: ended_on.map(|on| (on, reason.unwrap_or_default())),
        })
    })
    .collect()
}

fn goals_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<PlanGoal>> {
    tx.query(
        "SELECT id, goal, zrm_domain, status, version FROM plan_goal WHERE household_id = $1
         ORDER BY status <> 'lopend', id",
        &[&household_id],
    )?
    .iter()
    .map(|r| {
        let status: String = r.try_get(3)?;
        Ok(PlanGoal {
            id: r.try_get(0)?,
            household_id,
            goal: r.try_get(1)?,
            zrm_domain: r.try_get(2)?,
            status: GoalStatus::parse(&status)
                .map_err(|_| corrupt("plan_goal", "status", status.clone()))?,
            version: r.try_get(4)?,
        })
    })
    .collect()
}

/// Every contact, newest first.
fn contacts_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Contact>> {
    tx.query(
        "SELECT id, contact_on, kind, minutes, note, recorded_by FROM contact
         WHERE household_id = $1 ORDER BY contact_on DESC, id DESC",
        &[&household_id],
    )?
    .iter()
    .map(|r| {
        let minutes: i64 = r.try_get(3)?;
        Ok(Contact {
            id: r.try_get(0)?,
            household_id,
            contact_on: r.try_get(1)?,
            kind: r.try_get(2)?,
            minutes: u32::try_from(minutes)
                .map_err(|_| corrupt("contact", "minutes", minutes.to_string()))?,
            note: r.try_get(4)?,
            recorded_by: r.try_get(5)?,
        })
    })
    .collect()
}

fn consents_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Consent>> {
    tx.query(
        "SELECT id, person_id, purpose, given_on, withdrawn_on FROM consent
         WHERE household_id = $1 ORDER BY id",
        &[&household_id],
    )?
    .iter()
    .map(|r| {
        Ok(Consent {
            id: r.try_get(0)?,
            household_id,
            person_id: r.try_get(1)?,
            purpose: r.try_get(2)?,
            given_on: r.try_get(3)?,
            withdrawn_on: r.try_get(4)?,
        })
    })
    .collect()
}

/// Provisions, newest start first.
fn provisions_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Provision>> {
    tx.query(
        "SELECT id, household_id, person_id, law, category, product_code, provider_id,
                start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation,
                status, beschikking_on, beschikking_number, toewijzing_number, assigned_on,
                svb_reported_on, cak_notified_on, ended_on, end_reason, care_started_on,
                care_ended_on, care_end_reason
         FROM provision WHERE household_id = $1 ORDER BY start_on DESC, id DESC",
        &[&household_id],
    )?
    .iter()
    .map(provision_from_row)
    .collect()
}

fn provision_from_row(r: &Row) -> Result<Provision> {
    let law: String = r.try_get(3)?;
    let volume: i64 = r.try_get(9)?;
    let unit: String = r.try_get(10)?;
    let frequency: String = r.try_get(11)?;
    let financing: String = r.try_get(12)?;
    let status: String = r.try_get(15)?;
    let beschikking = match (r.try_get(16)?, r.try_get::<_, Option<String>>(17)?) {
        (Some(on), Some(number)) => Some((on, number)),
        _ => None,
    };
    let toewijzing = match (r.try_get::<_, Option<String>>(18)?, r.try_get(19)?) {
        (Some(number), Some(on)) => Some((number, on)),
        _ => None,
    };
    let ended_on: Option<NaiveDate> = r.try_get(22)?;
    let end_reason: Option<String> = r.try_get(23)?;
    Ok(Provision {
        id: r.try_get(0)?,
        household_id: r.try_get(1)?,
        person_id: r.try_get(2)?,
        law: Law::parse(&law).map_err(|_| corrupt("provision", "law", law.clone()))?,
        category: r.try_get(4)?,
        product: r.try_get(5)?,
        provider_id: r.try_get(6)?,
        start_on: r.try_get(7)?,
        end_on: r.try_get(8)?,
        volume: u32::try_from(volume)
            .map_err(|_| corrupt("provision", "volume", volume.to_string()))?,
        unit: Unit::parse(&unit).map_err(|_| corrupt("provision", "unit", unit.clone()))?,
        frequency: Frequency::parse(&frequency)
            .map_err(|_| corrupt("provision", "frequency", frequency.clone()))?,
        financing: Financing::parse(&financing)
            .map_err(|_| corrupt("provision", "financing", financing.clone()))?,
        eigen_bijdrage: r.try_get(13)?,
        motivation: r.try_get(14)?,
        status: ProvisionStatus::parse(&status)
            .ok_or_else(|| corrupt("provision", "status", status.clone()))?,
        beschikking,
        toewijzing,
        svb_reported_on: r.try_get(20)?,
        cak_notified_on: r.try_get(21)?,
        ended: ended_on.map(|on| (on, end_reason.unwrap_or_default())),
        care: Care {
            started_on: r.try_get(24)?,
            ended_on: r.try_get(25)?,
            end_reason: r.try_get(26)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::clock::{Clock, FixedClock};
    use crate::demo::{DemoCatalogue, demo_teams, demo_users, household};
    use crate::model::admin::DatabaseKind;

    #[test]
    fn an_erased_household_keeps_no_finder_words() {
        let Some(server) = super::super::testing::server() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "KEUKENTAFEL_TEST_PG is not set: CI must run this on PostgreSQL"
            );
            eprintln!("skipped: no PostgreSQL test server (KEUKENTAFEL_TEST_PG)");
            return;
        };
        let url = super::super::testing::fresh_database(&server).unwrap();
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
        ));
        let today = clock.today();
        let mut store = Store::create(&url, DatabaseKind::Demo, clock).unwrap();
        store
            .ensure_demo_accounts(&demo_teams(), &demo_users(), "test")
            .unwrap();
        let reference = crate::config::load_reference_data(None).unwrap();
        let catalogue = DemoCatalogue::from_reference(&reference);
        let batch: Vec<_> = (0..2)
            .map(|i| {
                let mut h = household(3, i, today, &catalogue);
                h.closed = Some((
                    NaiveDate::from_ymd_opt(2009, 2, 1).unwrap(),
                    "verhuisd".into(),
                ));
                h.flags.clear();
                h.provisions.clear();
                h
            })
            .collect();
        store.insert_demo_batch(&batch, "test").unwrap();
        let admin = store.authenticate("beheer", "demo", "test").unwrap();
        // The words as the owner sees them (a beheerder's role may not read them).
        let words = |store: &Store, id: i64| -> (i64, i64) {
            store.as_owner().unwrap();
            store
                .read(|tx| {
                    let r = tx.query_one(
                        "SELECT coalesce(array_length(tsvector_to_array(label_words), 1), 0),
                                coalesce(array_length(tsvector_to_array(all_words), 1), 0)
                         FROM household_search WHERE household_id = $1",
                        &[&id],
                    )?;
                    Ok((
                        r.try_get::<_, i32>(0)?.into(),
                        r.try_get::<_, i32>(1)?.into(),
                    ))
                })
                .unwrap()
        };
        let (label, all) = words(&store, 1);
        assert!(label > 0 && all > label, "{label} {all}");
        let policy = RetentionPolicy::default();
        store
            .erase_household(&admin, 1, "termijn verstreken", &policy, today, false)
            .unwrap();
        assert_eq!(words(&store, 1), (label, all), "a preview keeps the words");
        store
            .erase_household(&admin, 1, "termijn verstreken", &policy, today, true)
            .unwrap();
        assert_eq!(words(&store, 1), (0, 0));
        assert!(
            words(&store, 2).1 > 0,
            "the other household keeps its words"
        );
    }
}

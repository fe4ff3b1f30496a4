//! Bulk insertion of generated demo data on PostgreSQL (see `sqlite::demo`). Only ever runs on
//! a database marked as demo; each batch is one write transaction with one audit row, and
//! every table of a batch is one `INSERT … SELECT FROM unnest(…)` statement: a batch costs
//! the same dozen round trips however many households it holds.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::users::team_id_by_name;
use super::{Result, Store, StoreError};
use crate::domain::Invalid;
use crate::model::admin::DatabaseKind;
use crate::model::demo::*;
use crate::model::users::NewUser;
use crate::store::Missing;
use crate::store::shared::codec::date_text;
use crate::store::shared::login::PasswordRule;
use crate::store::shared::search::{index_columns, words};

/// The longest word a `tsvector` holds (in bytes); the finder leaves longer words out.
const MAX_WORD: usize = 2046;

/// The finder's words of one household, space separated (no word holds a space): those of
/// its label, and all of them. Built from `sqlite::search::index_columns`, so they are the
/// words the SQLite index holds, split and kept as the PostgreSQL finder keeps them.
fn search_words(h: &DemoHousehold) -> (String, String) {
    let people: Vec<(String, Option<String>)> = h
        .members
        .iter()
        .map(|p| (p.name.clone(), Some(date_text(p.birth_date))))
        .collect();
    let columns = index_columns(
        &h.label,
        &h.street,
        &h.house_number,
        &h.postcode,
        0,
        &people,
    );
    let keep = |w: &&str| w.len() <= MAX_WORD;
    let label: Vec<&str> = words(&columns.label).filter(keep).collect();
    let mut all = label.clone();
    all.extend(words(&columns.terms).filter(keep));
    (label.join(" "), all.join(" "))
}

impl Store {
    /// Refuses unless this database is marked as demo.
    pub fn require_demo(&self) -> Result<()> {
        if self.kind()? == DatabaseKind::Demo {
            Ok(())
        } else {
            Err(StoreError::Invalid(Invalid::new(
                "database",
                format!(
                    "{} is geen demodatabase; `demo` voegt alleen gegevens toe aan een demodatabase.",
                    self.location()
                ),
                format!(
                    "{} is not a demo database; `demo` only adds data to a demo database.",
                    self.location()
                ),
            )))
        }
    }

    /// Number of households.
    pub fn household_count(&self) -> Result<i64> {
        self.read(|tx| {
            Ok(tx
                .query_one("SELECT count(*) FROM household", &[])?
                .try_get(0)?)
        })
    }

    /// Creates the demo teams and accounts that do not exist yet (password `demo`).
    pub fn ensure_demo_accounts(
        &mut self,
        teams: &[&str],
        users: &[DemoUser],
        workstation: &str,
    ) -> Result<()> {
        self.require_demo()?;
        let actor = AuditActor::system(workstation);
        let names: Vec<&str> = users.iter().map(|u| u.username.as_ref()).collect();
        let (known_teams, known_users) = self.read(|tx| {
            let mut known_teams = HashSet::new();
            for team in teams {
                if team_id_by_name(tx, team)?.is_some() {
                    known_teams.insert(team.to_string());
                }
            }
            let mut known_users = HashSet::new();
            for r in tx.query(
                "SELECT lower(username) FROM app_user WHERE lower(username) = ANY(
                     SELECT lower(n) FROM unnest($1::text[]) AS n)",
                &[&names],
            )? {
                known_users.insert(r.try_get::<_, String>(0)?);
            }
            Ok((known_teams, known_users))
        })?;
        for team in teams {
            if !known_teams.contains(*team) {
                self.insert_team(&actor, team)?;
            }
        }
        let mut hash: Option<String> = None;
        for u in users {
            if known_users.contains(&u.username.to_lowercase()) {
                continue;
            }
            let new = NewUser {
                username: &u.username,
                display_name: &u.display_name,
                role: u.role,
                team: u.team.as_deref(),
                phone: u.phone.as_deref(),
                password: "demo",
            };
            // One verifier for the public password, made once: a salt protects nothing there.
            let hash = hash.get_or_insert_with(|| super::scram::verifier("demo"));
            self.insert_user(&actor, &new, PasswordRule::DemoHash(hash))?;
        }
        Ok(())
    }

    /// A server needs no switch for bulk loading (its WAL and checks stay on); this only
    /// refuses, as on SQLite, a database that is not an empty demo database.
    pub fn begin_bulk_load(&mut self) -> Result<()> {
        self.require_demo()?;
        if self.household_count()? != 0 {
            return Err(StoreError::Invalid(Invalid::new(
                "database",
                "Snel laden kan alleen in een lege demodatabase.",
                "Bulk loading only works on an empty demo database.",
            )));
        }
        Ok(())
    }

    /// Nothing to restore on a server.
    pub fn end_bulk_load(&mut self) -> Result<()> {
        Ok(())
    }

    /// Inserts a batch of generated households in one transaction, with their finder index
    /// rows.
    pub fn insert_demo_batch(&mut self, batch: &[DemoHousehold], workstation: &str) -> Result<()> {
        self.require_demo()?;
        let now = self.clock().now();
        let actor = AuditActor::system(workstation);
        let missing = |what: &str| StoreError::NotFound(Missing::DemoReference(what.to_string()));
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let person_count: usize = batch.iter().map(|h| h.members.len()).sum();
        let provision_count: usize = batch.iter().map(|h| h.provisions.len()).sum();
        self.write(|tx| {
            // Only the teams and regisseurs this batch names: the number of accounts grows
            // with the demo, a batch's work must not.
            let team_names: Vec<&str> = batch
                .iter()
                .map(|h| h.team.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let user_names: Vec<&str> = batch
                .iter()
                .map(|h| h.regisseur.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut teams: HashMap<String, i64> = HashMap::new();
            for r in tx.query(
                "SELECT id, name FROM team WHERE lower(name) = ANY(
                     SELECT lower(n) FROM unnest($1::text[]) AS n)",
                &[&team_names],
            )? {
                teams.insert(r.try_get(1)?, r.try_get(0)?);
            }
            let mut users: HashMap<String, i64> = HashMap::new();
            for r in tx.query(
                "SELECT id, username FROM app_user WHERE lower(username) = ANY($1)",
                &[&user_names],
            )? {
                users.insert(r.try_get(1)?, r.try_get(0)?);
            }
            // Ids from the tables' own sequences, so rows can refer to each other before they
            // are written and later single inserts go on after them.
            let ids = tx.query_one(
                "SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('household', 'id'))
                              FROM generate_series(1, $1::bigint)),
                        ARRAY(SELECT nextval(pg_get_serial_sequence('person', 'id'))
                              FROM generate_series(1, $2::bigint)),
                        ARRAY(SELECT nextval(pg_get_serial_sequence('provision', 'id'))
                              FROM generate_series(1, $3::bigint))",
                &[&count(batch.len()), &count(person_count), &count(provision_count)],
            )?;
            let household_ids: Vec<i64> = ids.try_get(0)?;
            let person_ids: Vec<i64> = ids.try_get(1)?;
            let provision_ids: Vec<i64> = ids.try_get(2)?;
            let (mut person_ids, mut provision_ids) = (person_ids.into_iter(), provision_ids.into_iter());

            // The demo providers of this batch, created when not there yet.
            let mut wanted: Vec<(&str, &str)> = Vec::new();
            for v in batch.iter().flat_map(|h| &h.provisions) {
                if let Some((name, agb)) = v.provider
                    && !wanted.iter().any(|(_, a)| *a == agb)
                {
                    wanted.push((name, agb));
                }
            }
            let agbs: Vec<&str> = wanted.iter().map(|(_, agb)| *agb).collect();
            let mut providers: HashMap<String, i64> = HashMap::new();
            for r in tx.query(
                "SELECT agb_code, id FROM provider WHERE agb_code = ANY($1)",
                &[&agbs],
            )? {
                providers.insert(r.try_get(0)?, r.try_get(1)?);
            }
            let new: Vec<(&str, &str)> = wanted
                .iter()
                .filter(|(_, agb)| !providers.contains_key(*agb))
                .copied()
                .collect();
            if !new.is_empty() {
                let names: Vec<&str> = new.iter().map(|(n, _)| *n).collect();
                let codes: Vec<&str> = new.iter().map(|(_, a)| *a).collect();
                for r in tx.query(
                    "INSERT INTO provider (name, agb_code, contact, created_at)
                     SELECT n, a, NULL, $3 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY
                         AS x(n, a, i) ORDER BY i
                     RETURNING agb_code, id",
                    &[&names, &codes, &now],
                )? {
                    providers.insert(r.try_get(0)?, r.try_get(1)?);
                }
            }

            let mut hh = Households::default();
            let mut pp = Persons::default();
            let mut zz = Assessments::default();
            let mut aa = Agreements::default();
            let mut ff = Flags::default();
            let mut cc = Contacts::default();
            let mut gg = Goals::default();
            let mut vv = Provisions::default();
            let mut ss = Search::default();
            for (&hid, h) in household_ids.iter().zip(batch) {
                let team = *teams.get(&h.team).ok_or_else(|| missing(&h.team))?;
                let reg = *users.get(&h.regisseur).ok_or_else(|| missing(&h.regisseur))?;
                hh.id.push(hid);
                hh.label.push(&h.label);
                hh.street.push(&h.street);
                hh.number.push(&h.house_number);
                hh.postcode.push(&h.postcode);
                hh.city.push(&h.city);
                hh.team.push(team);
                hh.regisseur.push(reg);
                hh.opened.push(h.opened_on);
                hh.closed.push(h.closed.as_ref().map(|(d, _)| *d));
                hh.reason.push(h.closed.as_ref().map(|(_, r)| r.as_str()));
                let mut people = Vec::with_capacity(h.members.len());
                for p in &h.members {
                    let pid = person_ids.next().ok_or_else(|| missing("demo member"))?;
                    pp.id.push(pid);
                    pp.household.push(hid);
                    pp.name.push(&p.name);
                    pp.birth.push(p.birth_date);
                    pp.role.push(p.role);
                    pp.bsn.push(p.bsn.as_deref());
                    pp.phone.push(p.phone.as_deref());
                    people.push(pid);
                }
                for (member, on, scores) in &h.assessments {
                    let person = *people.get(*member).ok_or_else(|| missing("demo member"))?;
                    zz.household.push(hid);
                    zz.person.push(person);
                    zz.on.push(*on);
                    zz.by.push(reg);
                    zz.scores.push(scores);
                }
                for a in &h.agreements {
                    aa.household.push(hid);
                    aa.what.push(&a.what);
                    aa.who.push(a.who);
                    aa.due.push(a.due_on);
                    aa.formal.push(a.formal);
                    aa.status.push(a.status.0);
                    aa.status_on.push(a.status.1);
                    aa.reason
                        .push((a.status.0 == "cancelled").then_some("niet meer nodig"));
                    aa.by.push(reg);
                    aa.at.push(a.created_on);
                }
                for DemoFlag { kind, since, ended } in &h.flags {
                    ff.household.push(hid);
                    ff.kind.push(kind);
                    ff.since.push(*since);
                    ff.set_by.push(reg);
                    ff.ended_on.push(ended.as_ref().map(|(d, _)| *d));
                    ff.reason.push(ended.as_ref().map(|(_, r)| r.as_str()));
                    ff.ended_by.push(ended.as_ref().map(|_| reg));
                }
                for (on, kind, minutes, note) in &h.contacts {
                    cc.household.push(hid);
                    cc.on.push(*on);
                    cc.kind.push(kind);
                    cc.minutes.push(i64::from(*minutes));
                    cc.note.push(note.as_deref());
                    cc.by.push(reg);
                }
                for (goal, domain, status) in &h.goals {
                    gg.household.push(hid);
                    gg.goal.push(goal);
                    gg.domain.push(domain.as_deref());
                    gg.status.push(status);
                    gg.by.push(reg);
                    gg.at.push(h.opened_on);
                }
                for v in &h.provisions {
                    let person = *people.get(v.member).ok_or_else(|| missing("demo member"))?;
                    let provider = match v.provider {
                        Some((_, agb)) => {
                            Some(*providers.get(agb).ok_or_else(|| missing(agb))?)
                        }
                        None => None,
                    };
                    let vid = provision_ids.next().ok_or_else(|| missing("demo provision"))?;
                    vv.id.push(vid);
                    vv.household.push(hid);
                    vv.person.push(person);
                    vv.law.push(v.law);
                    vv.category.push(&v.category);
                    vv.product.push(&v.product);
                    vv.provider.push(provider);
                    vv.start.push(v.start_on);
                    vv.end.push(v.end_on);
                    vv.volume.push(i64::from(v.volume));
                    vv.unit.push(v.unit);
                    vv.frequency.push(v.frequency);
                    vv.financing.push(v.financing);
                    vv.eigen_bijdrage.push(v.eigen_bijdrage);
                    vv.status.push(v.status);
                    vv.beschikking_on.push(v.beschikking);
                    vv.beschikking_number
                        .push(v.beschikking.map(|on| format!("B-{}-{vid}", on.format("%Y"))));
                    vv.toewijzing.push(provider.map(|_| format!("{vid:09}")));
                    vv.assigned_on.push(provider.and(v.beschikking));
                    vv.ended_on.push(v.ended_on);
                    vv.end_reason.push(v.ended_on.map(|_| "doel bereikt"));
                    vv.by.push(reg);
                    vv.at.push(v.start_on - chrono::Duration::days(30));
                }
                let (label_words, all_words) = search_words(h);
                ss.household.push(hid);
                ss.team.push(team);
                ss.label.push(label_words);
                ss.all.push(all_words);
            }
            // Every demo provider of this batch is contracted for every product the batch
            // requests, so a selection of mixed products can go to one provider.
            let products: BTreeSet<(&str, &str)> = batch
                .iter()
                .flat_map(|h| &h.provisions)
                .map(|v| (v.product.as_str(), v.unit))
                .collect();
            let mut contracted: HashSet<(i64, &str)> = HashSet::new();
            let (mut c_provider, mut c_product, mut c_unit) = (Vec::new(), Vec::new(), Vec::new());
            for (_, agb) in &wanted {
                let Some(provider) = providers.get(*agb).copied() else {
                    continue;
                };
                for (product, unit) in &products {
                    if contracted.insert((provider, product)) {
                        c_provider.push(provider);
                        c_product.push(*product);
                        c_unit.push(*unit);
                    }
                }
            }
            if !c_provider.is_empty() {
                tx.execute(
                    "INSERT INTO contract (provider_id, product_code, tariff_cents, unit, valid_from)
                     SELECT p, c, 6250, u, DATE '2020-01-01'
                     FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(p, c, u)
                     ON CONFLICT DO NOTHING",
                    &[&c_provider, &c_product, &c_unit],
                )?;
            }
            if !hh.id.is_empty() {
                tx.execute(
                    "INSERT INTO household (id, label, street, house_number, postcode, city,
                                            team_id, regisseur_id, opened_on, closed_on,
                                            close_reason)
                     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],
                                          $5::text[], $6::text[], $7::bigint[], $8::bigint[],
                                          $9::date[], $10::date[], $11::text[])",
                    &[
                        &hh.id, &hh.label, &hh.street, &hh.number, &hh.postcode, &hh.city,
                        &hh.team, &hh.regisseur, &hh.opened, &hh.closed, &hh.reason,
                    ],
                )?;
            }
            if !pp.id.is_empty() {
                tx.execute(
                    "INSERT INTO person (id, household_id, name, birth_date, role, bsn, phone)
                     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[],
                                          $5::text[], $6::text[], $7::text[])",
                    &[&pp.id, &pp.household, &pp.name, &pp.birth, &pp.role, &pp.bsn, &pp.phone],
                )?;
            }
            if !zz.household.is_empty() {
                tx.execute(
                    "INSERT INTO zrm_assessment (household_id, person_id, assessed_on, assessed_by,
                                                 scores)
                     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::bigint[],
                                          $5::text[])",
                    &[&zz.household, &zz.person, &zz.on, &zz.by, &zz.scores],
                )?;
            }
            if !aa.household.is_empty() {
                tx.execute(
                    "INSERT INTO agreement (household_id, what, who, due_on, formal, status,
                                            status_on, cancel_reason, created_by, created_at)
                     SELECT h, w, o, d, f, s, so, r, b, a::timestamp AT TIME ZONE 'UTC'
                     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::date[],
                                 $5::boolean[], $6::text[], $7::date[], $8::text[],
                                 $9::bigint[], $10::date[]) AS x(h, w, o, d, f, s, so, r, b, a)",
                    &[
                        &aa.household, &aa.what, &aa.who, &aa.due, &aa.formal, &aa.status,
                        &aa.status_on, &aa.reason, &aa.by, &aa.at,
                    ],
                )?;
            }
            if !ff.household.is_empty() {
                tx.execute(
                    "INSERT INTO flag (household_id, kind, since, source, set_by, ended_on,
                                       end_reason, ended_by)
                     SELECT h, k, s, 'manual', b, e, r, eb
                     FROM unnest($1::bigint[], $2::text[], $3::date[], $4::bigint[], $5::date[],
                                 $6::text[], $7::bigint[]) AS x(h, k, s, b, e, r, eb)",
                    &[
                        &ff.household, &ff.kind, &ff.since, &ff.set_by, &ff.ended_on, &ff.reason,
                        &ff.ended_by,
                    ],
                )?;
            }
            if !cc.household.is_empty() {
                tx.execute(
                    "INSERT INTO contact (household_id, contact_on, kind, minutes, note,
                                          recorded_by, recorded_at)
                     SELECT h, d, k, m, n, b, d::timestamp AT TIME ZONE 'UTC'
                     FROM unnest($1::bigint[], $2::date[], $3::text[], $4::bigint[], $5::text[],
                                 $6::bigint[]) AS x(h, d, k, m, n, b)",
                    &[&cc.household, &cc.on, &cc.kind, &cc.minutes, &cc.note, &cc.by],
                )?;
            }
            if !gg.household.is_empty() {
                tx.execute(
                    "INSERT INTO plan_goal (household_id, goal, zrm_domain, status, created_by,
                                            created_at)
                     SELECT h, g, z, s, b, a::timestamp AT TIME ZONE 'UTC'
                     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                                 $6::date[]) AS x(h, g, z, s, b, a)",
                    &[&gg.household, &gg.goal, &gg.domain, &gg.status, &gg.by, &gg.at],
                )?;
            }
            if !vv.id.is_empty() {
                tx.execute(
                    "INSERT INTO provision (id, household_id, person_id, law, category,
                         product_code, provider_id, start_on, end_on, volume, unit, frequency,
                         financing, eigen_bijdrage, status, beschikking_on, beschikking_number,
                         toewijzing_number, assigned_on, ended_on, end_reason, requested_by,
                         requested_at)
                     SELECT i, h, p, l, c, pc, pr, s, e, v, u, f, fi, eb, st, bo, bn, tn, ao,
                            eo, er, rb, ra::timestamp AT TIME ZONE 'UTC'
                     FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[],
                                 $5::text[], $6::text[], $7::bigint[], $8::date[], $9::date[],
                                 $10::bigint[], $11::text[], $12::text[], $13::text[],
                                 $14::boolean[], $15::text[], $16::date[], $17::text[],
                                 $18::text[], $19::date[], $20::date[], $21::text[],
                                 $22::bigint[], $23::date[])
                          AS x(i, h, p, l, c, pc, pr, s, e, v, u, f, fi, eb, st, bo, bn, tn, ao,
                               eo, er, rb, ra)",
                    &[
                        &vv.id, &vv.household, &vv.person, &vv.law, &vv.category, &vv.product,
                        &vv.provider, &vv.start, &vv.end, &vv.volume, &vv.unit, &vv.frequency,
                        &vv.financing, &vv.eigen_bijdrage, &vv.status, &vv.beschikking_on,
                        &vv.beschikking_number, &vv.toewijzing, &vv.assigned_on, &vv.ended_on,
                        &vv.end_reason, &vv.by, &vv.at,
                    ],
                )?;
            }
            if !ss.household.is_empty() {
                tx.execute(
                    "INSERT INTO household_search (household_id, team_id, label_words, all_words)
                     SELECT h, t, array_to_tsvector(string_to_array(l, ' ')),
                            array_to_tsvector(string_to_array(a, ' '))
                     FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])
                          AS x(h, t, l, a)",
                    &[&ss.household, &ss.team, &ss.label, &ss.all],
                )?;
            }
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Create,
                    object: "demo",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("{} demohuishoudens", batch.len())),
                },
            )?;
            Ok(())
        })
    }
}

// One batch's rows per table, as columns (the arrays `unnest` takes).

#[derive(Default)]
struct Households<'a> {
    id: Vec<i64>,
    label: Vec<&'a str>,
    street: Vec<&'a str>,
    number: Vec<&'a str>,
    postcode: Vec<&'a str>,
    city: Vec<&'a str>,
    team: Vec<i64>,
    regisseur: Vec<i64>,
    opened: Vec<NaiveDate>,
    closed: Vec<Option<NaiveDate>>,
    reason: Vec<Option<&'a str>>,
}

#[derive(Default)]
struct Persons<'a> {
    id: Vec<i64>,
    household: Vec<i64>,
    name: Vec<&'a str>,
    birth: Vec<NaiveDate>,
    role: Vec<&'a str>,
    bsn: Vec<Option<&'a str>>,
    phone: Vec<Option<&'a str>>,
}

#[derive(Default)]
struct Assessments<'a> {
    household: Vec<i64>,
    person: Vec<i64>,
    on: Vec<NaiveDate>,
    by: Vec<i64>,
    scores: Vec<&'a str>,
}

#[derive(Default)]
struct Agreements<'a> {
    household: Vec<i64>,
    what: Vec<&'a str>,
    who: Vec<&'a str>,
    due: Vec<Option<NaiveDate>>,
    formal: Vec<bool>,
    status: Vec<&'a str>,
    status_on: Vec<Option<NaiveDate>>,
    reason: Vec<Option<&'a str>>,
    by: Vec<i64>,
    at: Vec<NaiveDate>,
}

#[derive(Default)]
struct Flags<'a> {
    household: Vec<i64>,
    kind: Vec<&'a str>,
    since: Vec<NaiveDate>,
    set_by: Vec<i64>,
    ended_on: Vec<Option<NaiveDate>>,
    reason: Vec<Option<&'a str>>,
    ended_by: Vec<Option<i64>>,
}

#[derive(Default)]
struct Contacts<'a> {
    household: Vec<i64>,
    on: Vec<NaiveDate>,
    kind: Vec<&'a str>,
    minutes: Vec<i64>,
    note: Vec<Option<&'a str>>,
    by: Vec<i64>,
}

#[derive(Default)]
struct Goals<'a> {
    household: Vec<i64>,
    goal: Vec<&'a str>,
    domain: Vec<Option<&'a str>>,
    status: Vec<&'a str>,
    by: Vec<i64>,
    at: Vec<NaiveDate>,
}

#[derive(Default)]
struct Provisions<'a> {
    id: Vec<i64>,
    household: Vec<i64>,
    person: Vec<i64>,
    law: Vec<&'a str>,
    category: Vec<&'a str>,
    product: Vec<&'a str>,
    provider: Vec<Option<i64>>,
    start: Vec<NaiveDate>,
    end: Vec<Option<NaiveDate>>,
    volume: Vec<i64>,
    unit: Vec<&'a str>,
    frequency: Vec<&'a str>,
    financing: Vec<&'a str>,
    eigen_bijdrage: Vec<bool>,
    status: Vec<&'a str>,
    beschikking_on: Vec<Option<NaiveDate>>,
    beschikking_number: Vec<Option<String>>,
    toewijzing: Vec<Option<String>>,
    assigned_on: Vec<Option<NaiveDate>>,
    ended_on: Vec<Option<NaiveDate>>,
    end_reason: Vec<Option<&'a str>>,
    by: Vec<i64>,
    at: Vec<NaiveDate>,
}

#[derive(Default)]
struct Search {
    household: Vec<i64>,
    team: Vec<i64>,
    label: Vec<String>,
    all: Vec<String>,
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::clock::{Clock, FixedClock};
    use crate::demo::{DemoCatalogue, demo_teams, demo_users, household};

    #[test]
    fn a_demo_batch_costs_the_same_few_round_trips_however_many_households_it_holds() {
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
        let mut next = 0;
        let mut trips = Vec::new();
        for size in [50, 20, 200] {
            let batch: Vec<DemoHousehold> = (next..next + size)
                .map(|i| household(7, i, today, &catalogue))
                .collect();
            next += size;
            let before = store.round_trips();
            store.insert_demo_batch(&batch, "test").unwrap();
            trips.push(store.round_trips() - before);
        }
        eprintln!("round trips per batch of 50, 20, 200 households: {trips:?}");
        assert_eq!(store.household_count().unwrap(), 270);
        // The first batch prepares the statements; after that a batch is one transaction of
        // about two dozen statements (one per table), whatever its size.
        assert!(trips[1] <= 25, "{trips:?}");
        assert_eq!(
            trips[2], trips[1],
            "ten times the households, the same round trips"
        );
        // Every household has its finder words.
        let indexed: i64 = store
            .read(|tx| {
                Ok(tx
                    .query_one(
                        "SELECT count(*) FROM household_search
                         WHERE array_length(tsvector_to_array(all_words), 1) > 0",
                        &[],
                    )?
                    .try_get(0)?)
            })
            .unwrap();
        assert_eq!(indexed, 270);
    }

    #[test]
    fn the_finder_words_are_the_sqlite_index_words_label_apart_and_all_together() {
        let reference = crate::config::load_reference_data(None).unwrap();
        let catalogue = DemoCatalogue::from_reference(&reference);
        let mut h = household(
            7,
            0,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            &catalogue,
        );
        h.label = "Fam. Eénhoorn".into();
        h.street = "Kanaalweg".into();
        h.house_number = "12A".into();
        h.postcode = "3521 AB".into();
        h.members.truncate(1);
        h.members[0].name = "Jan Eénhoorn".into();
        h.members[0].birth_date = chrono::NaiveDate::from_ymd_opt(1985, 4, 1).unwrap();
        let (label, all) = search_words(&h);
        assert_eq!(label, "fam eenhoorn");
        assert_eq!(
            all,
            "fam eenhoorn kanaalweg 12a 3521 ab 3521ab jan eenhoorn 01041985"
        );
    }
}

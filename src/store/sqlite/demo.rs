//! Bulk insertion of generated demo data (`keukentafel demo`). Only ever runs on a database
//! marked as demo; each batch is one immediate transaction with one audit row.

use std::collections::HashMap;

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{OptionalExtension, params_from_iter};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::date_text;
use super::search::index_columns;
use super::users::{PasswordRule, team_id_by_name};
use super::{DatabaseKind, Result, Store, StoreError};
use crate::domain::Invalid;
use crate::model::demo::*;
use crate::model::users::NewUser;
use crate::store::Missing;

/// Rows for one table, inserted [`Rows::PER_STATEMENT`] to a statement.
struct Rows<'a> {
    target: &'static str,
    columns: usize,
    values: Vec<ToSqlOutput<'a>>,
}

impl<'a> Rows<'a> {
    /// Rows per `INSERT` statement.
    const PER_STATEMENT: usize = 100;

    fn new(target: &'static str, columns: usize) -> Rows<'a> {
        Rows {
            target,
            columns,
            values: Vec::new(),
        }
    }

    fn push<const N: usize>(&mut self, row: [ToSqlOutput<'a>; N]) {
        debug_assert_eq!(N, self.columns);
        self.values.extend(row);
    }

    /// Inserts everything pushed, many rows per statement.
    fn flush(&mut self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        for chunk in self.values.chunks(Self::PER_STATEMENT * self.columns) {
            let row = format!("({})", vec!["?"; self.columns].join(", "));
            let rows = vec![row; chunk.len() / self.columns].join(", ");
            let mut stmt =
                tx.prepare_cached(&format!("INSERT INTO {} VALUES {rows}", self.target))?;
            stmt.execute(params_from_iter(chunk.iter()))?;
        }
        self.values.clear();
        Ok(())
    }
}

fn int(v: i64) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(Value::Integer(v))
}

/// Borrowed text: no copy on the Rust side.
fn text(v: &str) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes()))
}

fn owned(v: String) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(Value::Text(v))
}

fn opt(v: Option<&str>) -> ToSqlOutput<'_> {
    v.map_or(ToSqlOutput::Owned(Value::Null), text)
}

fn opt_owned(v: Option<String>) -> ToSqlOutput<'static> {
    v.map_or(ToSqlOutput::Owned(Value::Null), owned)
}

impl Store {
    /// Appends `reads_per_year` audited reads per household, spread evenly over the year
    /// before now: dashboard opens by the household's regisseur, logged as the app logs them.
    /// An audit log of realistic length (a team reads each household about ten times a year)
    /// for the benches of `check` and `backup`, which walk the whole log. Demo databases
    /// only; 100,000 rows to a transaction. Returns the rows appended.
    pub fn insert_demo_reads(
        &mut self,
        reads_per_year: u32,
        seed: u64,
        workstation: &str,
    ) -> Result<u64> {
        self.require_demo()?;
        let households: Vec<(i64, i64)> = self
            .conn()
            .prepare(
                "SELECT id, regisseur_id FROM household WHERE regisseur_id IS NOT NULL ORDER BY id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let users: HashMap<i64, (String, String)> = self
            .conn()
            .prepare("SELECT id, username, role FROM user")?
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        let total = households.len() as u64 * u64::from(reads_per_year);
        if total == 0 {
            return Ok(0);
        }
        let end = self.clock().now();
        let span_ms = chrono::Duration::days(365).num_milliseconds();
        let start = end - chrono::Duration::days(365);
        // A small xorshift: which household each read is of, the same for the same seed.
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        const PER_TRANSACTION: u64 = 100_000;
        let mut done = 0u64;
        while done < total {
            let upto = (done + PER_TRANSACTION).min(total);
            let mut picks = Vec::with_capacity((upto - done) as usize);
            for i in done..upto {
                let (household, regisseur) =
                    households[(next() % households.len() as u64) as usize];
                let offset = i128::from(span_ms) * i128::from(i) / i128::from(total);
                let at = start + chrono::Duration::milliseconds(i64::try_from(offset).unwrap_or(0));
                picks.push((household, regisseur, at));
            }
            self.write(|tx| {
                let mut chain = audit::Appender::start(tx)?;
                for (household, regisseur, at) in &picks {
                    let Some((username, role)) = users.get(regisseur) else {
                        return Err(StoreError::NotFound(Missing::DemoReference(format!(
                            "gebruiker {regisseur}"
                        ))));
                    };
                    let actor = AuditActor {
                        user_id: Some(*regisseur),
                        username: username.clone(),
                        role: role.clone(),
                        workstation: workstation.to_string(),
                        on_behalf_of: None,
                    };
                    let event =
                        AuditEvent::household(Action::Read, "household", *household, *household);
                    chain.append(tx, *at, &actor, &event)?;
                }
                chain.finish(tx)
            })?;
            done = upto;
        }
        Ok(total)
    }

    /// Refuses unless this database is marked as demo.
    pub fn require_demo(&self) -> Result<()> {
        if self.kind()? == DatabaseKind::Demo {
            Ok(())
        } else {
            Err(StoreError::Invalid(Invalid::new(
                "database",
                format!(
                    "{} is geen demodatabase; `demo` voegt alleen gegevens toe aan een demodatabase.",
                    self.path().display()
                ),
                format!(
                    "{} is not a demo database; `demo` only adds data to a demo database.",
                    self.path().display()
                ),
            )))
        }
    }

    /// Number of households.
    pub fn household_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM household", [], |r| r.get(0))?)
    }

    /// Creates the demo teams and accounts that do not exist yet (password `demo`).
    pub fn ensure_demo_accounts(
        &mut self,
        teams: &[&str],
        users: &[DemoUser],
        workstation: &str,
    ) -> Result<()> {
        self.require_demo()?;
        self.refuse_other_accounts(users)?;
        let actor = AuditActor::system(workstation);
        for team in teams {
            if team_id_by_name(self.conn(), team)?.is_none() {
                self.insert_team(&actor, team)?;
            }
        }
        let mut hash: Option<String> = None;
        for u in users {
            let exists: Option<i64> = self
                .conn()
                .query_row(
                    "SELECT id FROM user WHERE username = ?1",
                    [u.username.as_ref()],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_none() {
                let new = NewUser {
                    username: &u.username,
                    display_name: &u.display_name,
                    role: u.role,
                    team: u.team.as_deref(),
                    phone: u.phone.as_deref(),
                    password: "demo",
                };
                let hash = match &mut hash {
                    Some(hash) => hash,
                    none => {
                        none.insert(crate::auth::password::hash_password("demo").map_err(|e| {
                            Invalid::new(
                                "password",
                                format!("Wachtwoord versleutelen mislukt: {e}"),
                                e,
                            )
                        })?)
                    }
                };
                self.insert_user(&actor, &new, PasswordRule::DemoHash(hash))?;
            }
        }
        Ok(())
    }

    /// Refuses when the database holds an account that is not one of the demo accounts: the
    /// demo accounts (password `demo`) never go into a database that real people log in to,
    /// whatever its `meta` says.
    fn refuse_other_accounts(&self, users: &[DemoUser]) -> Result<()> {
        let mut stmt = self
            .conn()
            .prepare("SELECT username, password_hash FROM user ORDER BY id")?;
        let accounts = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // A real account: a name that is not a demo account's, or a demo account's name with
        // a password that is not `demo`. Every demo run hashes `demo` once for all the accounts
        // it makes, so each distinct hash is verified once (a large demo has thousands).
        let names: std::collections::HashSet<&str> =
            users.iter().map(|u| u.username.as_ref()).collect();
        let mut verified: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
        if let Some((other, _)) = accounts.iter().find(|(name, hash)| {
            !names.contains(name.as_str())
                || !*verified
                    .entry(hash.as_str())
                    .or_insert_with(|| crate::auth::password::verify_password("demo", hash))
        }) {
            return Err(StoreError::Invalid(Invalid::new(
                "database",
                format!(
                    "{} heeft een account dat geen demo-account is ({other}); `demo` maakt daar geen demo-accounts met wachtwoord `demo` in.",
                    self.path().display()
                ),
                format!(
                    "{} holds an account that is not a demo account ({other}); `demo` creates no demo accounts with password `demo` there.",
                    self.path().display()
                ),
            )));
        }
        Ok(())
    }

    /// Switches a new, empty demo database to bulk loading: no rollback journal, no fsync, no
    /// per-row foreign-key lookups, a large page cache. Only for a file that is thrown away
    /// when the load does not finish (see `demo::build`); [`Store::end_bulk_load`] restores
    /// WAL, `synchronous=FULL` and foreign keys.
    pub fn begin_bulk_load(&mut self) -> Result<()> {
        self.require_demo()?;
        if self.household_count()? != 0 {
            return Err(StoreError::Invalid(Invalid::new(
                "database",
                "Snel laden kan alleen in een lege demodatabase.",
                "Bulk loading only works on an empty demo database.",
            )));
        }
        let _: String = self
            .conn()
            .query_row("PRAGMA journal_mode = OFF", [], |r| r.get(0))?;
        self.conn().pragma_update(None, "synchronous", "OFF")?;
        self.conn().pragma_update(None, "foreign_keys", "OFF")?;
        self.conn().pragma_update(None, "cache_size", -262_144)?;
        // The secondary indexes are built once at the end, from sorted data, instead of row by
        // row into trees that outgrow the cache: that made a million households take 15 to 20
        // times as long as 100,000. Unique indexes stay, they keep the data right.
        self.conn().execute_batch(
            "CREATE TEMP TABLE bulk_load_index AS
                 SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%';",
        )?;
        let names: Vec<String> = self
            .conn()
            .prepare("SELECT name FROM temp.bulk_load_index")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for name in names {
            self.conn()
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(())
    }

    /// Ends a bulk load: WAL, full sync and foreign keys again; checks the foreign keys.
    pub fn end_bulk_load(&mut self) -> Result<()> {
        // The indexes that `begin_bulk_load` set aside, as the migrations made them.
        let indexes: Vec<String> = self
            .conn()
            .prepare("SELECT sql FROM temp.bulk_load_index ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for sql in indexes {
            self.conn().execute_batch(&sql)?;
        }
        self.conn()
            .execute_batch("DROP TABLE temp.bulk_load_index")?;
        self.conn().pragma_update(None, "cache_size", -2_000)?;
        self.conn().pragma_update(None, "foreign_keys", "ON")?;
        self.conn().pragma_update(None, "synchronous", "FULL")?;
        let mode: String = self
            .conn()
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        let broken: Option<String> = self
            .conn()
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        match (mode.as_str(), broken) {
            ("wal", None) => Ok(()),
            (_, Some(table)) => Err(super::codec::corrupt("demo", "foreign_key", table)),
            (other, None) => Err(super::codec::corrupt("demo", "journal_mode", other)),
        }
    }

    /// Inserts a batch of generated households in one transaction.
    pub fn insert_demo_batch(&mut self, batch: &[DemoHousehold], workstation: &str) -> Result<()> {
        self.require_demo()?;
        let now = self.clock().now();
        let actor = AuditActor::system(workstation);
        self.write(|tx| {
            // Only the teams and regisseurs this batch names, each looked up once: the number
            // of accounts grows with the demo, a batch's work must not.
            let mut teams: HashMap<&str, i64> = HashMap::new();
            let mut users: HashMap<&str, i64> = HashMap::new();
            {
                let mut team = tx.prepare_cached("SELECT id FROM team WHERE name = ?1")?;
                let mut user = tx.prepare_cached("SELECT id FROM user WHERE username = ?1")?;
                for h in batch {
                    if !teams.contains_key(h.team.as_str())
                        && let Some(id) = team.query_row([&h.team], |r| r.get(0)).optional()?
                    {
                        teams.insert(&h.team, id);
                    }
                    if !users.contains_key(h.regisseur.as_str())
                        && let Some(id) = user.query_row([&h.regisseur], |r| r.get(0)).optional()?
                    {
                        users.insert(&h.regisseur, id);
                    }
                }
            }
            let missing = |what: &str| StoreError::NotFound(Missing::DemoReference(what.to_string()));
            let next_id = |sql: &str| -> Result<i64> { Ok(tx.query_row(sql, [], |r| r.get(0))?) };
            // Ids are given here (the write lock is held), so rows of one table can go in many
            // to a statement: per-statement overhead dominated the bulk load.
            let first_household = next_id("SELECT coalesce(max(id), 0) + 1 FROM household")?;
            let mut pid = next_id("SELECT coalesce(max(id), 0) + 1 FROM person")?;
            let mut households = Rows::new(
                "household (id, label, street, house_number, postcode, city, team_id, regisseur_id, opened_on, closed_on, close_reason)",
                11,
            );
            let mut persons = Rows::new("person (id, household_id, name, birth_date, role, bsn, phone)", 7);
            let mut zrm = Rows::new("zrm_assessment (household_id, person_id, assessed_on, assessed_by, scores)", 5);
            let mut agreements = Rows::new(
                "agreement (household_id, what, who, due_on, formal, status, status_on, cancel_reason, created_by, created_at)",
                10,
            );
            let mut flags = Rows::new("flag (household_id, kind, since, source, set_by, ended_on, end_reason, ended_by)", 8);
            let mut contacts = Rows::new("contact (household_id, contact_on, kind, minutes, note, recorded_by, recorded_at)", 7);
            let mut goals = Rows::new("plan_goal (household_id, goal, zrm_domain, status, created_by, created_at)", 6);
            let mut search = Rows::new("household_search (rowid, label, terms, team)", 4);
            let mut provisions = Rows::new(
                "provision (household_id, person_id, law, category, product_code, provider_id, start_on, end_on,
                 volume, unit, frequency, financing, eigen_bijdrage, status, beschikking_on, beschikking_number,
                 toewijzing_number, assigned_on, ended_on, end_reason, requested_by, requested_at)",
                22,
            );
            let mut providers: HashMap<&str, i64> = HashMap::new();
            let mut contracted: std::collections::HashSet<(i64, String)> =
                std::collections::HashSet::new();
            let mut next_provision = next_id("SELECT coalesce(max(id), 0) + 1 FROM provision")?;
            for (hid, h) in (first_household..).zip(batch) {
                let team = *teams.get(h.team.as_str()).ok_or_else(|| missing(&h.team))?;
                let reg = *users.get(h.regisseur.as_str()).ok_or_else(|| missing(&h.regisseur))?;
                let (closed_on, reason) = match &h.closed {
                    Some((d, r)) => (Some(date_text(*d)), Some(r.as_str())),
                    None => (None, None),
                };
                households.push([
                    int(hid),
                    text(&h.label),
                    text(&h.street),
                    text(&h.house_number),
                    text(&h.postcode),
                    text(&h.city),
                    int(team),
                    int(reg),
                    owned(date_text(h.opened_on)),
                    opt_owned(closed_on),
                    opt(reason),
                ]);
                let first_person = pid;
                let mut people = Vec::with_capacity(h.members.len());
                for p in &h.members {
                    let birth = date_text(p.birth_date);
                    persons.push([
                        int(pid),
                        int(hid),
                        text(&p.name),
                        owned(birth.clone()),
                        text(p.role),
                        opt(p.bsn.as_deref()),
                        opt(p.phone.as_deref()),
                    ]);
                    people.push((p.name.clone(), Some(birth)));
                    pid += 1;
                }
                for (member, on, scores) in &h.assessments {
                    let member = i64::try_from(*member).ok().filter(|m| *m < pid - first_person);
                    let person = first_person + member.ok_or_else(|| missing("demo member"))?;
                    zrm.push([int(hid), int(person), owned(date_text(*on)), int(reg), text(scores)]);
                }
                for a in &h.agreements {
                    let reason = (a.status.0 == "cancelled").then_some("niet meer nodig");
                    agreements.push([
                        int(hid),
                        text(&a.what),
                        text(a.who),
                        opt_owned(a.due_on.map(date_text)),
                        int(i64::from(a.formal)),
                        text(a.status.0),
                        opt_owned(a.status.1.map(date_text)),
                        opt(reason),
                        int(reg),
                        owned(date_text(a.created_on)),
                    ]);
                }
                for DemoFlag { kind, since, ended } in &h.flags {
                    let (ended_on, end_reason, ended_by) = match ended {
                        Some((d, r)) => (Some(date_text(*d)), Some(r.as_str()), int(reg)),
                        None => (None, None, ToSqlOutput::Owned(Value::Null)),
                    };
                    flags.push([
                        int(hid),
                        text(kind),
                        owned(date_text(*since)),
                        text("manual"),
                        int(reg),
                        opt_owned(ended_on),
                        opt(end_reason),
                        ended_by,
                    ]);
                }
                for (on, kind, minutes, note) in &h.contacts {
                    let day = date_text(*on);
                    contacts.push([
                        int(hid),
                        owned(day.clone()),
                        text(kind),
                        int(i64::from(*minutes)),
                        opt(note.as_deref()),
                        int(reg),
                        owned(day),
                    ]);
                }
                for (goal, domain, status) in &h.goals {
                    goals.push([
                        int(hid),
                        text(goal),
                        opt(domain.as_deref()),
                        text(status),
                        int(reg),
                        owned(date_text(h.opened_on)),
                    ]);
                }
                for v in &h.provisions {
                    let member = i64::try_from(v.member).ok().filter(|m| *m < pid - first_person);
                    let person = first_person + member.ok_or_else(|| missing("demo member"))?;
                    let provider = match v.provider {
                        Some((name, agb)) => {
                            Some(demo_provider(tx, &mut providers, name, agb, &now.to_rfc3339())?)
                        }
                        None => None,
                    };
                    let vid = next_provision;
                    next_provision += 1;
                    let number = v.beschikking.map(|on| format!("B-{}-{vid}", on.format("%Y")));
                    let toewijzing = provider.map(|_| format!("{vid:09}"));
                    provisions.push([
                        int(hid),
                        int(person),
                        text(v.law),
                        text(&v.category),
                        text(&v.product),
                        provider.map_or(ToSqlOutput::Owned(Value::Null), int),
                        owned(date_text(v.start_on)),
                        opt_owned(v.end_on.map(date_text)),
                        int(i64::from(v.volume)),
                        text(v.unit),
                        text(v.frequency),
                        text(v.financing),
                        int(i64::from(v.eigen_bijdrage)),
                        text(v.status),
                        opt_owned(v.beschikking.map(date_text)),
                        opt_owned(number),
                        opt_owned(toewijzing),
                        opt_owned(provider.and(v.beschikking).map(date_text)),
                        opt_owned(v.ended_on.map(date_text)),
                        opt(v.ended_on.map(|_| "doel bereikt")),
                        int(reg),
                        owned(date_text(v.start_on - chrono::Duration::days(30))),
                    ]);
                }
                let columns = index_columns(&h.label, &h.street, &h.house_number, &h.postcode, team, &people);
                search.push([int(hid), owned(columns.label), owned(columns.terms), owned(columns.team)]);
            }
            // Every demo provider is contracted for every product this batch requests, so a
            // selection of mixed products can go to one provider.
            let products: std::collections::BTreeSet<(&str, &str)> = batch
                .iter()
                .flat_map(|h| &h.provisions)
                .map(|v| (v.product.as_str(), v.unit))
                .collect();
            for provider in providers.values() {
                for (product, unit) in &products {
                    if contracted.insert((*provider, (*product).to_string())) {
                        tx.execute(
                            "INSERT OR IGNORE INTO contract (provider_id, product_code, tariff_cents, unit, valid_from)
                             VALUES (?1, ?2, 6250, ?3, '2020-01-01')",
                            rusqlite::params![provider, product, unit],
                        )?;
                    }
                }
            }
            for rows in [
                &mut households,
                &mut persons,
                &mut zrm,
                &mut agreements,
                &mut flags,
                &mut contacts,
                &mut goals,
                &mut provisions,
                &mut search,
            ] {
                rows.flush(tx)?;
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

/// The id of the demo provider with `agb`, created when it is not there yet.
fn demo_provider<'a>(
    tx: &rusqlite::Connection,
    known: &mut HashMap<&'a str, i64>,
    name: &str,
    agb: &'a str,
    at: &str,
) -> Result<i64> {
    if let Some(id) = known.get(agb) {
        return Ok(*id);
    }
    let found: Option<i64> = tx
        .query_row("SELECT id FROM provider WHERE agb_code = ?1", [agb], |r| {
            r.get(0)
        })
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO provider (name, agb_code, contact, created_at) VALUES (?1, ?2, NULL, ?3)",
                rusqlite::params![name, agb, at],
            )?;
            tx.last_insert_rowid()
        }
    };
    known.insert(agb, id);
    Ok(id)
}

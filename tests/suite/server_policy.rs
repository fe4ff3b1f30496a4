//! The policy in the PostgreSQL server (issue 13): every demo user, connected with `postgres`
//! directly (not through keukentafel) as their own role with their own password, tries what
//! the matrix forbids them. Each try must be refused by the server or answer no rows; the
//! suite counts the leaks and asserts there are none, and prints the table of tries.
#![cfg(feature = "postgres")]

use keukentafel::store::location::Location;
use postgres::{Client, NoTls};

use crate::common::*;

/// What one forbidden try got.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// The server refused it (an error, such as "permission denied").
    Refused,
    /// It ran and found nothing.
    NoRows,
    /// It read or changed something: a leak.
    Leak(String),
}

/// The database named by a test server URL (the roles are named after it).
fn database_name(url: &str) -> String {
    url.split('?')
        .next()
        .and_then(|b| b.rsplit('/').next())
        .unwrap()
        .to_string()
}

/// A fresh database on the test server, and its admin URL.
fn server_database() -> (Db, String) {
    let db = databases()
        .into_iter()
        .find(|d| d.backend == "postgres")
        .unwrap();
    let url = match &db.location {
        Location::Server(url) => url.secret().to_string(),
        Location::File(_) => unreachable!(),
    };
    (db, url)
}

fn connect(url: &str, role: &str, password: &str) -> Client {
    let mut config: postgres::Config = url.parse().unwrap();
    config.user(role).password(password);
    config
        .connect(NoTls)
        .unwrap_or_else(|e| panic!("{role}: {e}"))
}

/// A try whose answer is a count: refused, 0, or a leak of that many.
fn count(client: &mut Client, sql: &str) -> Outcome {
    match client.query_one(sql, &[]) {
        Err(_) => Outcome::Refused,
        Ok(row) => match row.try_get::<_, i64>(0) {
            Ok(0) => Outcome::NoRows,
            Ok(n) => Outcome::Leak(format!("{n} rows")),
            Err(e) => Outcome::Leak(e.to_string()),
        },
    }
}

/// A try that must be refused outright (it changes something when it runs).
fn refused(client: &mut Client, sql: &str) -> Outcome {
    // Inside a transaction that is rolled back, so a leak does no harm to the next tries.
    let mut tx = match client.transaction() {
        Ok(tx) => tx,
        Err(e) => return Outcome::Leak(e.to_string()),
    };
    let outcome = match tx.batch_execute(sql) {
        Err(_) => Outcome::Refused,
        Ok(()) => Outcome::Leak("ran".into()),
    };
    let _ = tx.rollback();
    outcome
}

#[test]
fn no_demo_user_gets_past_the_servers_policy_with_a_database_client() {
    let Some(_) = pg_server() else {
        return;
    };
    let (db, url) = server_database();
    drop(demo_on(&db, 120));
    let name = database_name(&url);
    let mut owner = Client::connect(&url, NoTls).unwrap();
    let users: Vec<(String, String, Option<i64>)> = owner
        .query(
            "SELECT username, role, team_id FROM app_user ORDER BY role, username",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert!(users.len() >= 4, "{users:?}");
    let audit_rows = |owner: &mut Client| -> i64 {
        owner
            .query_one("SELECT count(*) FROM audit_log", &[])
            .unwrap()
            .get(0)
    };

    let mut table: Vec<(String, String, String, Outcome)> = Vec::new();
    let mut tried_roles = std::collections::BTreeSet::new();
    for (username, role, team) in &users {
        let role_name = format!("{name}_{username}");
        let mut me = connect(&url, &role_name, "demo");
        tried_roles.insert(role.clone());
        let mut tries: Vec<(&str, Outcome)> = Vec::new();
        let others = team.map_or_else(|| "true".to_string(), |t| format!("h.team_id <> {t}"));
        // Everyone: the audit log cannot be changed, forged or written in another's name.
        tries.push((
            "UPDATE audit_log",
            refused(&mut me, "UPDATE audit_log SET detail = 'x'"),
        ));
        tries.push((
            "DELETE FROM audit_log",
            refused(&mut me, "DELETE FROM audit_log"),
        ));
        tries.push(("TRUNCATE audit_log", refused(&mut me, "TRUNCATE audit_log")));
        tries.push((
            "INSERT a forged audit row",
            refused(
                &mut me,
                "INSERT INTO audit_log (id, at, username, role, action, object, workstation, prev_hash, hash)
                 VALUES (999999, '2026-01-01T00:00:00.000Z', 'piet', 'beheerder', 'read', 'household', 'ws', '0', '0')",
            ),
        ));
        tries.push((
            "kt_audit_write as another user",
            refused(
                &mut me,
                "SELECT kt_audit_write('2026-01-01T00:00:00.000Z', 1, 'piet', 'beheerder', 'read',
                     'household', NULL, NULL, NULL, 'ws', NULL, 'vals')",
            ),
        ));
        let before = audit_rows(&mut owner);
        let appended = me.query_one(
            "SELECT kt_audit_append('2026-01-01T00:00:00.000Z', 'read', 'household', NULL, NULL,
                 NULL, 'ws', 'piet', 'ik ben piet')",
            &[],
        );
        let stamped = owner
            .query_one(
                "SELECT username FROM audit_log ORDER BY id DESC LIMIT 1",
                &[],
            )
            .unwrap()
            .get::<_, String>(0);
        tries.push((
            "kt_audit_append in another's name",
            match appended {
                Err(_) => Outcome::Refused,
                Ok(_) if stamped == *username && audit_rows(&mut owner) == before + 1 => {
                    // The row names the connected role's own account: nothing forged.
                    Outcome::NoRows
                }
                Ok(_) => Outcome::Leak(format!("stamped as {stamped}")),
            },
        ));
        tries.push((
            "read password hashes",
            count(&mut me, "SELECT count(password_hash) FROM app_user"),
        ));
        tries.push((
            "SET ROLE to the owner",
            refused(&mut me, &format!("SET ROLE {name}__owner")),
        ));
        tries.push((
            "switch row-level security off",
            refused(&mut me, "ALTER TABLE household DISABLE ROW LEVEL SECURITY"),
        ));
        if role != "beheerder" {
            tries.push((
                "make a beheerder account",
                refused(
                    &mut me,
                    "SELECT kt_role_create('indringer', 'SCRAM-SHA-256$4096:AAAA$BBBB:CCCC', 'beheerder')",
                ),
            ));
            tries.push((
                "set another user's password",
                refused(
                    &mut me,
                    &format!(
                        "SELECT kt_role_password('{}', 'SCRAM-SHA-256$4096:AAAA$BBBB:CCCC')",
                        users
                            .iter()
                            .find(|u| u.0 != *username)
                            .map(|u| u.0.as_str())
                            .unwrap_or("beheer")
                    ),
                ),
            ));
        }
        // Everyone: the figures before suppression are the server's own.
        tries.push((
            "figures before suppression",
            refused(
                &mut me,
                "SELECT kt_steering_figures(NULL, '2026-01-01', '2026-12-31', '2026-12-01', false, '{}', '{}', '{}')",
            ),
        ));
        if role != "beheerder" {
            tries.push((
                "the retention list",
                refused(
                    &mut me,
                    "SELECT count(*) FROM kt_retention_candidates('2100-01-01', '{}')",
                ),
            ));
        }
        if role == "backoffice" || role == "beheerder" {
            tries.push((
                "change a household's regisseur",
                refused(&mut me, "SELECT kt_set_regisseur(1, NULL)"),
            ));
        }
        match role.as_str() {
            "professional" => {
                // Another team's households and everything of them: not there.
                tries.push((
                    "another team's households",
                    count(
                        &mut me,
                        &format!("SELECT count(*) FROM household h WHERE {others}"),
                    ),
                ));
                for table in [
                    "person",
                    "zrm_assessment",
                    "agreement",
                    "contact",
                    "flag",
                    "plan_goal",
                    "consent",
                    "provision",
                ] {
                    let owner_sees: i64 = owner
                        .query_one(
                            &format!(
                                "SELECT count(*) FROM {table} x JOIN household h ON h.id = x.household_id WHERE {others}"
                            ),
                            &[],
                        )
                        .unwrap()
                        .get(0);
                    let mine: i64 = me
                        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                        .map(|r| r.get(0))
                        .unwrap_or(0);
                    let own_team: i64 = owner
                        .query_one(
                            &format!(
                                "SELECT count(*) FROM {table} x JOIN household h ON h.id = x.household_id WHERE NOT ({others})"
                            ),
                            &[],
                        )
                        .unwrap()
                        .get(0);
                    tries.push((
                        match table {
                            "person" => "another team's members",
                            "zrm_assessment" => "another team's ZRM",
                            "agreement" => "another team's agreements",
                            "contact" => "another team's contacts",
                            "flag" => "another team's flags",
                            "plan_goal" => "another team's plan",
                            "consent" => "another team's consents",
                            _ => "another team's provisions",
                        },
                        if mine > own_team {
                            Outcome::Leak(format!("{} of {owner_sees} rows", mine - own_team))
                        } else {
                            Outcome::NoRows
                        },
                    ));
                }
                tries.push((
                    "own team's content without opening a household",
                    count(
                        &mut me,
                        "SELECT (SELECT count(*) FROM contact) + (SELECT count(*) FROM agreement)
                              + (SELECT count(*) FROM zrm_assessment) + (SELECT count(*) FROM plan_goal)",
                    ),
                ));
                tries.push((
                    "change another team's household",
                    match me.execute(
                        &format!("UPDATE household h SET label = 'x' WHERE {others}"),
                        &[],
                    ) {
                        Err(_) => Outcome::Refused,
                        Ok(0) => Outcome::NoRows,
                        Ok(n) => Outcome::Leak(format!("{n} rows")),
                    },
                ));
                tries.push((
                    "move a household into the own team",
                    refused(
                        &mut me,
                        &format!(
                            "UPDATE household SET team_id = {} WHERE id = (SELECT min(id) FROM household)",
                            team.unwrap_or(0) + 1
                        ),
                    ),
                ));
            }
            "backoffice" => {
                // Administrative data of every team, but no content.
                for table in ["contact", "agreement", "zrm_assessment", "plan_goal"] {
                    tries.push((
                        match table {
                            "contact" => "content: contacts",
                            "agreement" => "content: agreements",
                            "zrm_assessment" => "content: ZRM",
                            _ => "content: plan",
                        },
                        count(&mut me, &format!("SELECT count(*) FROM {table}")),
                    ));
                }
            }
            "teamleider" | "beheerder" => {
                // No household row at all, not even the figures' columns: the figures come
                // from the server's function, suppressed.
                for (what, sql) in [
                    ("any household", "SELECT count(id) FROM household"),
                    (
                        "households' names and addresses",
                        "SELECT count(label) + count(street) FROM household",
                    ),
                    ("members", "SELECT count(*) FROM person"),
                    (
                        "contacts (even their dates)",
                        "SELECT count(contact_on) FROM contact",
                    ),
                    (
                        "agreements (even their status)",
                        "SELECT count(status) FROM agreement",
                    ),
                    ("ZRM scores", "SELECT count(scores) FROM zrm_assessment"),
                    ("flags", "SELECT count(kind) FROM flag"),
                    ("provisions", "SELECT count(law) FROM provision"),
                    ("plan", "SELECT count(*) FROM plan_goal"),
                    ("consents", "SELECT count(*) FROM consent"),
                    ("finder words", "SELECT count(*) FROM household_search"),
                ] {
                    tries.push((what, count(&mut me, sql)));
                }
                if role == "teamleider" {
                    tries.push((
                        "another team's figures",
                        refused(
                            &mut me,
                            &format!(
                                "SELECT kt_steering({}, '2026-01-01', '2026-12-31', '2026-12-01', '{{}}', '{{}}', '{{}}', '2026-12-01T00:00:00.000Z', 'ws', NULL)",
                                team.unwrap_or(0) + 1
                            ),
                        ),
                    ));
                    tries.push((
                        "change a household's regisseur",
                        refused(&mut me, "UPDATE household SET regisseur_id = NULL"),
                    ));
                }
            }
            _ => {}
        }
        for (what, outcome) in tries {
            table.push((username.clone(), role.clone(), what.to_string(), outcome));
        }
    }
    // The gate's well-known password opens the login functions only.
    let mut gate = connect(&url, &format!("{name}__gate"), &format!("{name}__gate"));
    for (what, sql) in [
        ("households", "SELECT count(*) FROM household"),
        ("members", "SELECT count(*) FROM person"),
        ("users", "SELECT count(*) FROM app_user"),
        ("audit log", "SELECT count(*) FROM audit_log"),
    ] {
        table.push((
            format!("{name}__gate"),
            "gate".into(),
            what.to_string(),
            count(&mut gate, sql),
        ));
    }

    eprintln!("| user | role | forbidden operation | result |\n|---|---|---|---|");
    for (user, role, what, outcome) in &table {
        eprintln!("| {user} | {role} | {what} | {outcome:?} |");
    }
    let leaks: Vec<_> = table
        .iter()
        .filter(|row| matches!(row.3, Outcome::Leak(_)))
        .collect();
    eprintln!("{} tries, {} leaks", table.len(), leaks.len());
    assert!(
        ["professional", "backoffice", "teamleider", "beheerder"]
            .iter()
            .all(|r| tried_roles.contains(*r)),
        "{tried_roles:?}"
    );
    assert!(leaks.is_empty(), "{leaks:#?}");
}

#[test]
fn a_wrong_password_a_disabled_account_and_a_role_that_is_no_user_get_no_connection_or_one_answer()
{
    let Some(server) = pg_server() else {
        return;
    };
    each_backend(|db| {
        if db.backend != "postgres" {
            return;
        }
        let (mut store, admin) = staffed(db);
        let url = db.arg();
        let name = database_name(&url);
        // A role of the server that is no keukentafel account, with a password of its own.
        let mut owner = Client::connect(&url, NoTls).unwrap();
        owner
            .batch_execute(&format!(
                "CREATE ROLE {name}_spook LOGIN PASSWORD 'spook-wachtwoord'"
            ))
            .unwrap();
        let answers: Vec<String> = [
            ("anna", "fout-wachtwoord"),
            ("niemand", "wachtwoord-123"),
            ("spook", "spook-wachtwoord"),
        ]
        .iter()
        .map(|(user, password)| {
            store
                .authenticate(user, password, "ws")
                .map(|_| "ingelogd".to_string())
                .unwrap_or_else(|e| e.to_string())
        })
        .collect();
        assert_eq!(
            answers, ["Onbekende gebruiker of onjuist wachtwoord."; 3],
            "{server}"
        );
        // A disabled account's role may not log in at all, not even with a database client.
        store.set_disabled(&admin, "anna", true).unwrap();
        let mut config: postgres::Config = url.parse().unwrap();
        config
            .user(&format!("{name}_anna"))
            .password("wachtwoord-123");
        let err = config.connect(NoTls).map(|_| ()).unwrap_err();
        assert!(
            err.to_string().contains("not permitted")
                || format!("{err:?}").contains("not permitted"),
            "{err:?}"
        );
    });
}

#[test]
fn a_database_owner_with_createrole_sets_up_the_server_with_the_password_in_pgpassword() {
    let Some(server) = pg_server() else {
        return;
    };
    // A DBA who is no superuser: a role with CREATEROLE that owns an empty database.
    let scratch = keukentafel::store::postgres::testing::Scratch::new(&server).unwrap();
    let url = scratch.url().secret().to_string();
    let name = database_name(&url);
    let dba = format!("{name}_dba_x");
    let mut admin = Client::connect(&server, NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "CREATE ROLE {dba} LOGIN CREATEROLE PASSWORD 'dba-wachtwoord';
             ALTER DATABASE {name} OWNER TO {dba}"
        ))
        .unwrap();
    let as_dba = url.replacen("postgres@", &format!("{dba}@"), 1);
    let without_user = url.replacen("postgres@", "", 1);
    let root = tempfile::TempDir::new().unwrap();
    let init = |password: Option<&str>| {
        let mut cmd = keukentafel(root.path());
        cmd.args([
            "init",
            "--server",
            &as_dba,
            "--admin",
            "beheer",
            "--password-stdin",
        ])
        .write_stdin(stdin_lines(&["Beheer-wachtwoord-1"]))
        .env_remove("PGPASSWORD");
        if let Some(p) = password {
            cmd.env("PGPASSWORD", p);
        }
        cmd
    };
    // Without the owner's password: told where it goes, nothing made.
    let said = fail(init(None));
    assert!(
        said.contains("vraagt een wachtwoord") && said.contains("PGPASSWORD"),
        "{said}"
    );
    let said = succeed(init(Some("dba-wachtwoord")));
    assert!(said.contains("Database gemaakt"), "{said}");
    // The beheerder logs in with their own role through a URL without a user.
    let mut cmd = keukentafel(root.path());
    cmd.args([
        "--db",
        &without_user,
        "--user",
        "beheer",
        "--password-stdin",
        "team",
        "add",
        "Noord",
    ])
    .write_stdin(stdin_lines(&["Beheer-wachtwoord-1"]));
    succeed(cmd);
    // `check` is the owner's: through the gate it says so; with the owner's URL it checks.
    let mut cmd = keukentafel(root.path());
    cmd.args(["--db", &without_user, "check"]);
    let said = fail(cmd);
    assert!(said.contains("doet de eigenaar van de database"), "{said}");
    let mut cmd = keukentafel(root.path());
    cmd.args(["--db", &as_dba, "check"])
        .env("PGPASSWORD", "dba-wachtwoord");
    let said = succeed(cmd);
    assert!(said.contains("keten ongebroken"), "{said}");
    drop(scratch);
    keukentafel::store::postgres::testing::drop_roles(&mut admin, &name);
}

#[test]
fn the_lock_closes_the_users_own_connection_to_the_server() {
    let Some(_) = pg_server() else {
        return;
    };
    each_backend(|db| {
        if db.backend != "postgres" {
            return;
        }
        let (store, _admin) = staffed(db);
        let url = db.arg();
        let role = format!("{}_anna", database_name(&url));
        let mut owner = Client::connect(&url, NoTls).unwrap();
        let connections = |owner: &mut Client| -> i64 {
            owner
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = $1",
                    &[&role],
                )
                .unwrap()
                .get(0)
        };
        let anna = store.login("anna", "wachtwoord-123", "ws").unwrap().session;
        assert_eq!(
            connections(&mut owner),
            1,
            "anna works through her own role"
        );
        store.logout(&anna).unwrap();
        let mut left = connections(&mut owner);
        for _ in 0..50 {
            if left == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            left = connections(&mut owner);
        }
        assert_eq!(left, 0, "the lock closed anna's connection");
        // The next user at the lock screen gets a connection of their own.
        let bram = store.login("bram", "wachtwoord-123", "ws").unwrap().session;
        assert_eq!(bram.username, "bram");
    });
}

/// The counting cells of a row of `kt_steering`'s answer, by section: (column, step). Every such
/// cell must be null (hidden) or a multiple of its step (rounded down).
fn counting_cells(section: &str) -> &'static [(usize, i64)] {
    match section {
        "teams" | "months" | "agreements" | "provisions" | "care" => &[(0, 5), (1, 5)],
        "contacts" => &[(0, 5), (1, 60), (2, 5)],
        "zrm" => &[(0, 5), (1, 5)],
        "flags" | "duration" => &[(0, 5)],
        _ => &[],
    }
}

#[test]
fn a_teamleider_asking_the_server_directly_gets_suppressed_figures_and_leaves_one_audit_row() {
    let Some(_) = pg_server() else {
        return;
    };
    let (db, url) = server_database();
    drop(demo_on(&db, 800));
    let name = database_name(&url);
    let mut owner = Client::connect(&url, NoTls).unwrap();
    let (username, team): (String, i64) = owner
        .query_one(
            "SELECT username, team_id FROM app_user WHERE role = 'teamleider' ORDER BY username LIMIT 1",
            &[],
        )
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    let reference = keukentafel::domain::reference::ReferenceData::embedded();
    let flag_keys: Vec<String> = reference
        .flags
        .flags()
        .iter()
        .map(|f| f.key.clone())
        .collect();
    let before: i64 = owner
        .query_one("SELECT coalesce(max(id), 0) FROM audit_log", &[])
        .unwrap()
        .get(0);

    let mut me = connect(&url, &format!("{name}_{username}"), "demo");
    let text: String = me
        .query_one(
            "SELECT kt_steering(NULL, '2026-01-01', '2026-12-31', '2026-12-01', '{}', $1, '{}',
                                '2026-12-01T09:00:00.000Z', 'ws-direct', NULL)::text",
            &[&flag_keys],
        )
        .unwrap()
        .get(0);
    let figures: serde_json::Value = serde_json::from_str(&text).unwrap();

    // Every counting cell is hidden or rounded down; none counts under five households.
    let mut cells = 0;
    for (section, rows) in figures.as_object().unwrap() {
        let Some(rows) = rows.as_array() else {
            continue;
        };
        // A total line or the duration is one list of cells; a section a list of rows, each
        // a label and its cells (the agreements: cells only).
        let lines: Vec<&Vec<serde_json::Value>> = match section.as_str() {
            "teams_total" | "contacts_total" | "duration" => vec![rows],
            "agreements" => rows.iter().map(|r| r.as_array().unwrap()).collect(),
            _ => rows.iter().map(|r| r[1].as_array().unwrap()).collect(),
        };
        let counting = counting_cells(section.trim_end_matches("_total"));
        for (row, values) in lines.into_iter().enumerate() {
            for (column, step) in counting {
                let cell = &values[*column];
                cells += 1;
                assert!(
                    cell.is_null() || cell.as_i64().unwrap() % step == 0,
                    "{section} row {row}: {cell}"
                );
            }
        }
    }
    assert!(cells > 20, "{text}");
    // The flags, counted by the owner from the rows: under five households is hidden, the
    // rest shown rounded down to five.
    let raw: Vec<(String, i64)> = owner
        .query(
            "SELECT f.kind, count(DISTINCT f.household_id) FROM flag f
             JOIN household h ON h.id = f.household_id
             WHERE h.team_id = $1 AND f.since <= '2026-12-31'
               AND (f.ended_on IS NULL OR f.ended_on >= '2026-01-01')
             GROUP BY f.kind",
            &[&team],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let shown = figures["flags"].as_array().unwrap();
    assert_eq!(shown.len(), raw.len(), "{text}");
    assert!(
        raw.iter().any(|(_, n)| *n < 5),
        "the demo has a rare flag: {raw:?}"
    );
    assert!(raw.iter().any(|(_, n)| *n >= 5), "{raw:?}");
    for (kind, households) in &raw {
        let cell = &shown
            .iter()
            .find(|row| row[0] == kind.as_str())
            .unwrap_or_else(|| panic!("{kind}: {text}"))[1][0];
        if *households < 5 {
            assert!(
                cell.is_null(),
                "{kind}: {households} households shown as {cell}"
            );
        } else {
            assert_eq!(cell.as_i64(), Some(households - households % 5), "{kind}");
        }
    }

    // The call is one audit row, naming the teamleider and the scope.
    let rows = owner
        .query(
            "SELECT username, role, object, household_id, workstation, detail FROM audit_log
             WHERE id > $1 ORDER BY id",
            &[&before],
        )
        .unwrap();
    assert_eq!(rows.len(), 1, "one audit row for the direct call");
    let row = &rows[0];
    assert_eq!(row.get::<_, String>(0), username);
    assert_eq!(row.get::<_, String>(1), "teamleider");
    assert_eq!(row.get::<_, String>(2), "report");
    assert_eq!(row.get::<_, Option<i64>>(3), None);
    assert_eq!(row.get::<_, String>(4), "ws-direct");
    let team_name: String = owner
        .query_one("SELECT name FROM team WHERE id = $1", &[&team])
        .unwrap()
        .get(0);
    assert_eq!(
        row.get::<_, String>(5),
        format!("stuurcijfers 2026-01-01..2026-12-31 team={team_name}")
    );
}

#[test]
fn the_servers_suppression_hides_exactly_the_cells_the_app_hides() {
    let Some(_) = pg_server() else {
        return;
    };
    let (db, url) = server_database();
    drop(db.create(keukentafel::model::admin::DatabaseKind::Production));
    let mut owner = Client::connect(&url, NoTls).unwrap();
    // Groups of every size up to six, with and without a total line, from a fixed generator:
    // small counts around the threshold, where the rules differ.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % bound
    };
    for case in 0..400 {
        let len = usize::try_from(next(7)).unwrap();
        let cells: Vec<i64> = (0..len).map(|_| i64::try_from(next(12)).unwrap()).collect();
        let sum: i64 = cells.iter().sum();
        let total = match next(3) {
            0 => None,
            1 => Some(sum),
            _ => Some(sum + i64::try_from(next(4)).unwrap()),
        };
        let (hidden, hide_total) = keukentafel::domain::suppression::suppress_group(&cells, total);
        let server: Vec<bool> = owner
            .query_one("SELECT kt_suppress($1, $2)", &[&cells, &total])
            .unwrap()
            .get(0);
        let mut app = hidden.clone();
        app.push(hide_total);
        assert_eq!(server, app, "case {case}: {cells:?} total {total:?}");
    }
}

#[test]
fn a_direct_read_of_a_household_leaves_exactly_one_audit_row_naming_the_role() {
    let Some(_) = pg_server() else {
        return;
    };
    let (db, url) = server_database();
    let store = demo_on(&db, 120);
    let name = database_name(&url);
    let mut owner = Client::connect(&url, NoTls).unwrap();
    // A professional and a household of their team with contacts; one of another team.
    let (username, household, other): (String, i64, i64) = owner
        .query_one(
            "SELECT u.username, h.id,
                    (SELECT o.id FROM household o JOIN contact c ON c.household_id = o.id
                     WHERE o.team_id <> u.team_id LIMIT 1)
             FROM app_user u JOIN household h ON h.team_id = u.team_id
             WHERE u.role = 'professional' AND h.erased_on IS NULL
               AND EXISTS (SELECT 1 FROM contact c WHERE c.household_id = h.id)
             ORDER BY u.username, h.id LIMIT 1",
            &[],
        )
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .unwrap();
    let head = |owner: &mut Client| -> i64 {
        owner
            .query_one("SELECT coalesce(max(id), 0) FROM audit_log", &[])
            .unwrap()
            .get(0)
    };
    let contacts = |client: &mut Client, h: i64| -> i64 {
        client
            .query_one(
                "SELECT count(*) FROM contact WHERE household_id = $1",
                &[&h],
            )
            .unwrap()
            .get(0)
    };
    let mut me = connect(&url, &format!("{name}_{username}"), "demo");
    me.batch_execute("SET application_name = 'psql op ws-12'")
        .unwrap();

    // Without opening the household, its content is not there, and nothing is logged.
    let before = head(&mut owner);
    assert_eq!(contacts(&mut me, household), 0);
    assert_eq!(
        me.query_one("SELECT count(*) FROM agreement", &[])
            .unwrap()
            .get::<_, i64>(0),
        0
    );
    assert_eq!(
        head(&mut owner),
        before,
        "a read that shows nothing logs nothing"
    );

    // Opened in a transaction, it is read, and the commit leaves one row naming the role.
    let mut tx = me.transaction().unwrap();
    tx.query("SELECT * FROM kt_open($1)", &[&household])
        .unwrap();
    let seen: i64 = tx
        .query_one(
            "SELECT count(*) FROM contact WHERE household_id = $1",
            &[&household],
        )
        .unwrap()
        .get(0);
    // A second table of the same household in the same transaction: still one opening.
    tx.query(
        "SELECT * FROM zrm_assessment WHERE household_id = $1",
        &[&household],
    )
    .unwrap();
    tx.commit().unwrap();
    assert!(seen > 0, "the opened household's contacts are read");
    let rows = owner
        .query(
            "SELECT username, role, action, object, household_id, workstation, detail
             FROM audit_log WHERE id > $1 ORDER BY id",
            &[&before],
        )
        .unwrap();
    assert_eq!(rows.len(), 1, "exactly one audit row for the direct read");
    let row = &rows[0];
    assert_eq!(row.get::<_, String>(0), username);
    assert_eq!(row.get::<_, String>(1), "professional");
    assert_eq!(row.get::<_, String>(2), "read");
    assert_eq!(row.get::<_, String>(3), "household");
    assert_eq!(row.get::<_, Option<i64>>(4), Some(household));
    assert_eq!(row.get::<_, String>(5), "psql op ws-12");
    assert_eq!(
        row.get::<_, String>(6),
        "rechtstreeks gelezen, buiten keukentafel om"
    );

    // The opening lasts only as long as its transaction.
    assert_eq!(contacts(&mut me, household), 0);
    // Another team's household cannot be opened: no content, no row.
    let before = head(&mut owner);
    let mut tx = me.transaction().unwrap();
    tx.query("SELECT * FROM kt_open($1)", &[&other]).unwrap();
    let theirs: i64 = tx
        .query_one(
            "SELECT count(*) FROM contact WHERE household_id = $1",
            &[&other],
        )
        .unwrap()
        .get(0);
    tx.commit().unwrap();
    assert_eq!(theirs, 0);
    assert_eq!(head(&mut owner), before);

    // Through keukentafel the same household's dashboard is its own audit row and no other.
    let session = store.authenticate(&username, "demo", "ws-13").unwrap();
    let mut store = store;
    let before = head(&mut owner);
    store.load_dashboard(&session, household).unwrap();
    let details: Vec<Option<String>> = owner
        .query(
            "SELECT detail FROM audit_log WHERE id > $1 AND household_id = $2 ORDER BY id",
            &[&before, &household],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(details.len(), 1, "{details:?}");
    assert_ne!(
        details[0].as_deref(),
        Some("rechtstreeks gelezen, buiten keukentafel om")
    );
}

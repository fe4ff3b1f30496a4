//! Encryption at rest (the `encryption` build feature): `keukentafel encrypt` turns a demo
//! database into an SQLCipher file whose bytes, WAL included, hold no resident's name; every
//! user opens it with their own password, a wrong one is refused at once, a password change
//! rewraps one entry of the key file and never rekeys the database, and a backup is
//! encrypted too.

use std::path::{Path, PathBuf};

use keukentafel::store::location::Location;
use predicates::str::contains;

use crate::common::{Cli, clock, household_with_member, sqlite, today};

/// Whether `needle` occurs anywhere in the bytes of `path` (a missing file holds nothing).
fn file_holds(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The first demo resident's name, read from the plain file.
fn a_resident(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT name FROM person ORDER BY id LIMIT 1", [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// A demo database (accounts anna, bram, carla, dirk, beheer; password `demo`), encrypted
/// by the beheerder; the name of a resident in it.
fn encrypted_demo(cli: &Cli<'_>) -> String {
    cli.demo(20, 1);
    let name = a_resident(cli.db.file());
    assert!(
        file_holds(cli.db.file(), &name),
        "the plain file holds {name:?}: the search for it works"
    );
    cli.as_user("beheer", &["demo"], &["encrypt"])
        .assert()
        .success()
        .stdout(contains("Versleuteld:"))
        .stdout(contains("sleutels"));
    name
}

#[test]
fn an_encrypted_database_holds_no_name_in_its_file_or_wal_and_opens_for_two_users() {
    let db = sqlite();
    let cli = Cli::on(&db);
    let resident = encrypted_demo(&cli);
    let file = db.file();
    assert!(!file_holds(file, "SQLite format 3"), "no plain header");
    assert!(
        !file_holds(file, &resident),
        "{resident:?} in the encrypted file"
    );
    let keys = with_suffix(file, ".sleutels");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keys).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
    assert!(!file_holds(&keys, &resident));

    // A save while the database is open: the WAL holds it, encrypted as well.
    let mut store = keukentafel::store::open(&Location::File(file.to_path_buf()), clock()).unwrap();
    let anna = store.authenticate("anna", "demo", "test").unwrap();
    household_with_member(store.as_mut(), &anna, 7, None);
    let wal = with_suffix(file, "-wal");
    assert!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0,
        "the save is in the WAL"
    );
    for path in [file, wal.as_path()] {
        for name in [resident.as_str(), "Fam. Test 7", "Teststraat", "Persoon 7"] {
            assert!(!file_holds(path, name), "{name:?} in {}", path.display());
        }
    }
    drop(store);

    // Two users, each with their own password, open it and read what the other saved.
    for user in ["anna", "dirk"] {
        cli.run(user, &["demo"], &["check"]);
    }
    let mut store = keukentafel::store::open(&Location::File(file.to_path_buf()), clock()).unwrap();
    let anna = store.authenticate("anna", "demo", "test").unwrap();
    let hits = store.find_households(&anna, "Fam. Test 7", 10).unwrap();
    assert_eq!(hits.len(), 1, "the save is there after reopening");
}

#[test]
fn a_wrong_password_is_refused_and_a_password_change_keeps_the_others_working() {
    let db = sqlite();
    let cli = Cli::on(&db);
    encrypted_demo(&cli);
    // A wrong password, and a name that is no account, read the same and open nothing.
    for user in ["anna", "niemand"] {
        cli.as_user(user, &["fout"], &["check"])
            .assert()
            .failure()
            .stderr(contains("Onbekende gebruiker of onjuist wachtwoord."));
    }
    // Without a login the file says what it needs.
    let mut cmd = cli.cmd();
    cmd.arg("check")
        .assert()
        .failure()
        .stderr(contains("is versleuteld: log eerst in"));

    let header = std::fs::read(db.file()).unwrap()[..16].to_vec();
    let keys = with_suffix(db.file(), ".sleutels");
    let entry = |user: &str| {
        std::fs::read_to_string(&keys)
            .unwrap()
            .lines()
            .find(|l| l.starts_with(&format!("{user}\t")))
            .map(str::to_string)
    };
    let dirk_before = entry("dirk");
    let anna_before = entry("anna");
    cli.run(
        "anna",
        &["demo", "nieuw-wachtwoord"],
        &["user", "passwd", "anna"],
    );
    assert_ne!(entry("anna"), anna_before, "anna's entry is rewrapped");
    assert_eq!(entry("dirk"), dirk_before, "dirk's entry is untouched");
    assert_eq!(
        std::fs::read(db.file()).unwrap()[..16].to_vec(),
        header,
        "the database is not rekeyed"
    );
    cli.run("anna", &["nieuw-wachtwoord"], &["check"]);
    cli.refused("anna", &["demo"], &["check"]);
    cli.run("dirk", &["demo"], &["check"]);

    // A new user gets an entry of their own.
    cli.run(
        "beheer",
        &["demo", "wachtwoord-van-eva"],
        &[
            "user",
            "add",
            "eva",
            "--role",
            "professional",
            "--team",
            "Overvecht",
        ],
    );
    assert!(entry("eva").is_some());
    cli.run("eva", &["wachtwoord-van-eva"], &["check"]);
}

#[test]
fn the_login_screen_opens_an_encrypted_database_with_the_login() {
    let db = sqlite();
    let cli = Cli::on(&db);
    encrypted_demo(&cli);
    let store =
        keukentafel::store::open(&Location::File(db.file().to_path_buf()), clock()).unwrap();
    // Before the login nothing can be read, and the login screen still shows.
    assert!(store.kind().is_err());
    let options = keukentafel::tui::Options {
        lang: keukentafel::i18n::Lang::Nl,
        theme: "standaard".into(),
        no_color: true,
        idle_lock_minutes: 10,
        config_dir: cli.config_dir(),
        workstation: "test".into(),
        output_dir: cli.data_dir(),
        gemeentecode: "0344".into(),
        istandaarden: cli.path("istandaarden"),
    };
    keukentafel::tui::prepare(store.as_ref(), &options).unwrap();
    let login = store.login("carla", "demo", "test").unwrap();
    assert_eq!(login.user.username, "carla");
    assert_eq!(
        store.kind().unwrap(),
        keukentafel::model::admin::DatabaseKind::Demo
    );
}

#[test]
fn a_backup_of_an_encrypted_database_is_encrypted_and_takes_its_key_file() {
    let db = sqlite();
    let cli = Cli::on(&db);
    let resident = encrypted_demo(&cli);
    let backup = cli.path("kopie.db");
    cli.run("beheer", &["demo"], &["backup", backup.to_str().unwrap()]);
    assert!(!file_holds(&backup, "SQLite format 3"));
    assert!(!file_holds(&backup, &resident));
    assert!(with_suffix(&backup, ".sleutels").exists());
    let out = cli.run(
        "bram",
        &["demo"],
        &["check", "--db", backup.to_str().unwrap()],
    );
    assert!(out.contains("In orde"), "{out}");
    // Without its key file the backup says what is missing.
    std::fs::remove_file(with_suffix(&backup, ".sleutels")).unwrap();
    let said = cli.refused(
        "bram",
        &["demo"],
        &["check", "--db", backup.to_str().unwrap()],
    );
    assert!(said.contains("sleutelbestand"), "{said}");
}

#[test]
fn a_sealed_key_opens_with_its_own_users_password_only() {
    use keukentafel::store::sqlite::cipher::{DbKey, KeyFile};
    let key = DbKey::random();
    let phc = keukentafel::auth::password::hash_password("lang genoeg wachtwoord").unwrap();
    let mut keys = KeyFile::default();
    keys.wrap(&key, "anna", &phc).unwrap();
    assert!(keys.unwrap("anna", "lang genoeg wachtwoord").is_some());
    assert!(keys.unwrap("anna", "lang genoeg wachtwoorD").is_none());
    // A name without an entry opens nothing.
    assert!(keys.unwrap("bram", "lang genoeg wachtwoord").is_none());
    assert_eq!(keys.usernames(), vec!["anna"]);
}

#[test]
fn an_encrypted_backup_is_restored_with_a_users_password_and_stays_encrypted() {
    let db = sqlite();
    let cli = Cli::on(&db);
    let resident = encrypted_demo(&cli);
    let backup = cli.path("kopie.db");
    cli.run("beheer", &["demo"], &["backup", backup.to_str().unwrap()]);
    // After the backup: a household the restore must take away again.
    let count = |cli: &Cli<'_>| -> usize {
        let mut store =
            keukentafel::store::open(&Location::File(cli.db.file().to_path_buf()), clock())
                .unwrap();
        let anna = store.authenticate("anna", "demo", "test").unwrap();
        store.load_home(&anna, today()).unwrap().household_total as usize
    };
    let before = count(&cli);
    {
        let mut store =
            keukentafel::store::open(&Location::File(db.file().to_path_buf()), clock()).unwrap();
        let anna = store.authenticate("anna", "demo", "test").unwrap();
        household_with_member(store.as_mut(), &anna, 7, None);
    }
    assert_eq!(count(&cli), before + 1);

    // A wrong password unlocks nothing and changes nothing.
    let unchanged = std::fs::read(db.file()).unwrap();
    let said = cli.refused(
        "beheer",
        &["niet-het-wachtwoord"],
        &["restore", backup.to_str().unwrap(), "--force"],
    );
    assert!(said.contains("ontgrendelt deze back-up niet"), "{said}");
    assert_eq!(std::fs::read(db.file()).unwrap(), unchanged);

    cli.run(
        "beheer",
        &["demo"],
        &["restore", backup.to_str().unwrap(), "--force"],
    );
    assert_eq!(
        count(&cli),
        before,
        "the household made after the backup is gone"
    );
    let file = db.file();
    assert!(!file_holds(file, "SQLite format 3"), "still encrypted");
    assert!(
        !file_holds(file, &resident),
        "{resident:?} in the restored file"
    );
    assert!(with_suffix(file, ".sleutels").exists());
    // Every user of the backup opens it with their own password; check is clean.
    cli.run("anna", &["demo"], &["check"]);
    cli.run("bram", &["demo"], &["check"]);
    // Nothing of the restore is left beside it.
    let tmp = file.parent().unwrap().join(".keukentafel-tmp");
    assert!(!tmp.exists(), "temporary copies left in {}", tmp.display());
}

#[test]
fn a_key_file_of_another_database_is_refused_at_once_and_sqlcipher_stays_quiet() {
    let (one, other) = (sqlite(), sqlite());
    let (cli, other_cli) = (Cli::on(&one), Cli::on(&other));
    encrypted_demo(&cli);
    encrypted_demo(&other_cli);
    std::fs::copy(
        with_suffix(other.file(), ".sleutels"),
        with_suffix(one.file(), ".sleutels"),
    )
    .unwrap();
    let said = cli.refused("anna", &["demo"], &["check"]);
    assert!(
        said.contains("De sleutel past niet op de database"),
        "{said}"
    );
    // One line of our own: SQLCipher's log (`PRAGMA cipher_log_level = NONE`) writes nothing.
    assert_eq!(said.trim_end().lines().count(), 1, "{said}");
    assert!(!said.to_lowercase().contains("hmac"), "{said}");
}

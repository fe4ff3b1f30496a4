//! What the benchmarks share: the generated demo database (100k households, or as many as
//! `KEUKENTAFEL_BENCH_HOUSEHOLDS` says: `1000000` or `1m` for the municipality scale; built once
//! per size, reused) and working copies of it.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use keukentafel::auth::Session;
use keukentafel::clock::FixedClock;
use keukentafel::demo::{self, DemoCatalogue};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::store::Store;

/// Households in the bench database when `KEUKENTAFEL_BENCH_HOUSEHOLDS` is not set.
pub const DEFAULT_HOUSEHOLDS: u64 = 100_000;

/// Households in the bench database: `KEUKENTAFEL_BENCH_HOUSEHOLDS` (a number, or with `k` or
/// `m`: `100k`, `1m`), 100k without it.
pub fn households() -> u64 {
    let Some(text) = std::env::var_os("KEUKENTAFEL_BENCH_HOUSEHOLDS") else {
        return DEFAULT_HOUSEHOLDS;
    };
    let text = text.to_string_lossy().trim().to_ascii_lowercase();
    let (digits, factor) = match text.strip_suffix('m') {
        Some(d) => (d, 1_000_000),
        None => match text.strip_suffix('k') {
            Some(d) => (d, 1_000),
            None => (text.as_str(), 1),
        },
    };
    match digits.parse::<u64>() {
        Ok(n) if n > 0 => n * factor,
        _ => panic!(
            "KEUKENTAFEL_BENCH_HOUSEHOLDS must be a number of households such as 100000, 100k or 1m, not {text:?}"
        ),
    }
}

/// The size as the bench files and tables name it: `100k`, `1m`, or the number.
pub fn size_label() -> String {
    match households() {
        n if n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// The bench database's file name for this size.
fn db_name() -> String {
    format!("demo-{}-seed1.db", size_label())
}
/// Demo generator seed (the CLI default).
pub const SEED: u64 = 1;
/// Households per insert transaction, as `keukentafel demo` does.
pub const BATCH: u64 = 2_000;
/// Workstation name in the audit log.
pub const WORKSTATION: &str = "bench";
/// Audited reads per household in the year before [`NOW`], added to the bench database after
/// the demo data: about what a team's use leaves in the log, so `check` and `backup` (which
/// walk the whole log) are measured on a log of realistic length.
pub const AUDIT_READS_PER_YEAR: u32 = 10;
/// The fixed "now" of every run, so generated data is identical between runs.
pub const NOW: &str = "2026-11-23T09:00:00Z";
/// How many of anna's households the dashboard and save benches cycle through.
pub const CYCLE: usize = 100;
/// Finder result limit, as the finder screen uses.
pub const FINDER_LIMIT: usize = 50;

pub fn clock() -> Arc<FixedClock> {
    let now: DateTime<Utc> = NOW.parse().expect("NOW is a valid RFC 3339 timestamp");
    Arc::new(FixedClock::new(now))
}

/// `$CARGO_TARGET_DIR/bench-data`, or `target/bench-data` in the crate.
pub fn bench_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
            }
        }
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    };
    target.join("bench-data")
}

/// `path` with `suffix` appended to the file name (`x.db` + `-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The files beside a database that anchor its audit chain: the key and the witness.
pub const ANCHOR_SUFFIXES: [&str; 2] = [
    keukentafel::store::sqlite::anchor::KEY_SUFFIX,
    keukentafel::store::sqlite::anchor::WITNESS_SUFFIX,
];

/// Removes a database file with its WAL, shared-memory and anchor files, if present.
pub fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"]
        .into_iter()
        .chain(ANCHOR_SUFFIXES)
    {
        let file = with_suffix(path, suffix);
        if file.exists() {
            fs::remove_file(&file)
                .unwrap_or_else(|e| panic!("cannot remove {}: {e}", file.display()));
        }
    }
}

/// Removes what an interrupted run left behind (a half-built database, a working copy, the
/// fsync file): files in `dir` named after a process that no longer runs. Files of runs still
/// going (the target dir is shared) are left alone. Only where `/proc` tells which run.
pub fn remove_leftovers(dir: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id().to_string();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = ["run-", "fsync-"]
            .iter()
            .find_map(|prefix| name.strip_prefix(prefix))
            .or_else(|| {
                name.strip_prefix("demo-")
                    .and_then(|rest| rest.split_once(".db.tmp-"))
                    .map(|(_, pid)| pid)
            })
            .map(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            });
        if let Some(pid) = pid.filter(|p| !p.is_empty() && *p != own)
            && !proc.join(&pid).exists()
        {
            let path = entry.path();
            fs::remove_file(&path)
                .unwrap_or_else(|e| panic!("cannot remove {}: {e}", path.display()));
        }
    }
}

pub fn catalogue() -> DemoCatalogue {
    DemoCatalogue::from_reference(&ReferenceData::embedded())
}

/// Source files whose content decides what the generated database holds: the schema, the
/// demo generator and the demo/search insertion code. Directories are taken whole.
pub const DATA_SOURCES: &[&str] = &[
    "src/store/sqlite/migrations",
    "src/store/sqlite/migrations.rs",
    "src/demo",
    "src/model/demo.rs",
    "src/store/sqlite/demo.rs",
    "src/store/sqlite/search.rs",
];

/// A fingerprint of everything the generated database depends on, so that a schema or
/// generator change (the schema is still edited in place before the first release) makes the
/// next run regenerate instead of silently measuring a stale file.
pub fn fingerprint() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for source in DATA_SOURCES {
        let path = root.join(source);
        if path.is_dir() {
            let entries = fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()));
            for entry in entries {
                files.push(entry.expect("read a directory entry").path());
            }
        } else if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "households={} seed={SEED} batch={BATCH} now={NOW} reads={AUDIT_READS_PER_YEAR}\n",
        households()
    ));
    for file in files.iter().filter(|f| f.is_file()) {
        let bytes =
            fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        hasher.update(
            file.strip_prefix(root)
                .unwrap_or(file)
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(u64::try_from(bytes.len()).unwrap_or(u64::MAX).to_le_bytes());
        hasher.update(&bytes);
    }
    hex::encode(hasher.finalize())
}

/// The pristine bench database of [`households`], generated on first use and whenever its
/// fingerprint changed.
///
/// It is built under a temporary name and renamed into place only when complete and closed,
/// so an interrupted run never leaves a half database behind.
pub fn pristine_db(dir: &Path) -> PathBuf {
    let path = dir.join(db_name());
    let stamp = with_suffix(&path, ".fingerprint");
    let wanted = fingerprint();
    if path.exists() {
        if fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == wanted) {
            return path;
        }
        eprintln!(
            "{} was made from another schema or generator; generating it again",
            path.display()
        );
        remove_db(&path);
    }
    fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let tmp = dir.join(format!("{}.tmp-{}", db_name(), std::process::id()));
    remove_db(&tmp);
    let households = households();
    eprintln!(
        "generating {households} demo households into {} ...",
        path.display()
    );

    let started = Instant::now();
    let catalogue = catalogue();
    let location = keukentafel::store::location::Location::File(tmp.clone());
    let plan = demo::build::Plan {
        location: &location,
        households,
        seed: SEED,
        catalogue: &catalogue,
        workstation: WORKSTATION,
    };
    let built =
        demo::build::build(&plan, clock(), &mut |_| {}).expect("generate the bench database");
    assert_eq!(
        built.total, households,
        "household count of the generated database"
    );
    let elapsed = started.elapsed();
    let started = Instant::now();
    let reads = Store::open_with_clock(&tmp, clock())
        .and_then(|mut store| store.insert_demo_reads(AUDIT_READS_PER_YEAR, SEED, WORKSTATION))
        .expect("add the year's audited reads");
    eprintln!(
        "{reads} audited reads added in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    fs::write(&stamp, format!("{wanted}\n"))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", stamp.display()));
    // The chain's key and witness go with the file, so `check` on a copy verifies the anchor.
    for suffix in ANCHOR_SUFFIXES {
        let (from, to) = (with_suffix(&tmp, suffix), with_suffix(&path, suffix));
        if from.exists() {
            fs::rename(&from, &to)
                .unwrap_or_else(|e| panic!("cannot rename {}: {e}", from.display()));
        }
    }
    fs::rename(&tmp, &path)
        .unwrap_or_else(|e| panic!("cannot rename {} to {}: {e}", tmp.display(), path.display()));
    let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "demo generation time for {households} households: {:.1} s, {:.0} MiB",
        elapsed.as_secs_f64(),
        size as f64 / (1024.0 * 1024.0)
    );
    path
}

/// A working copy of the pristine database for one run; removed again when dropped.
pub struct WorkingCopy {
    pub path: PathBuf,
}

impl WorkingCopy {
    pub fn new(pristine: &Path, dir: &Path) -> WorkingCopy {
        let path = dir.join(format!("run-{}.db", std::process::id()));
        remove_db(&path);
        for suffix in std::iter::once("").chain(ANCHOR_SUFFIXES) {
            let from = with_suffix(pristine, suffix);
            if suffix.is_empty() || from.exists() {
                fs::copy(&from, with_suffix(&path, suffix)).unwrap_or_else(|e| {
                    panic!("cannot copy {} to {}: {e}", from.display(), path.display())
                });
            }
        }
        WorkingCopy { path }
    }
}

impl Drop for WorkingCopy {
    fn drop(&mut self) {
        remove_db(&self.path);
    }
}

/// Ids of households anna (team Overvecht) can open, for the dashboard and save benches.
pub fn anna_households(store: &mut Store, anna: &Session) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for query in ["jan", "de", "el", "van", "fam"] {
        for hit in store
            .find_households(anna, query, CYCLE)
            .expect("find anna's households")
        {
            if !ids.contains(&hit.id) {
                ids.push(hit.id);
            }
        }
        if ids.len() >= CYCLE {
            break;
        }
    }
    ids.truncate(CYCLE);
    assert!(!ids.is_empty(), "anna finds no households");
    ids
}

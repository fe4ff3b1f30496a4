//! Building a demo database: generation on one thread, insertion on another.
//!
//! A new demo database is built in a `.part` file with the journal and fsyncs off (nothing in
//! it is precious until it is complete), switched to WAL and renamed into place only when
//! complete, so an interrupted build never leaves a half database behind. Extending an existing
//! demo database uses the normal durable path.

use std::path::{Path, PathBuf};

use crate::store::DemoStore;
use crate::store::location::Location;
use std::sync::Arc;
use std::sync::mpsc::sync_channel;

use super::{DemoCatalogue, household, roster};
use crate::clock::Clock;
use crate::model::admin::DatabaseKind;
use crate::model::demo::DemoHousehold;
use crate::store::{Result, Store, StoreError, remove_database_files};

/// How many households go into one transaction.
pub const BATCH: u64 = 2_000;

/// What a build did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Built {
    /// Households added.
    pub added: u64,
    /// Households in the database now.
    pub total: u64,
}

/// What to build.
pub struct Plan<'a> {
    /// The demo database: a file, or a database on a server.
    pub location: &'a Location,
    /// Households to add.
    pub households: u64,
    /// The generator's seed.
    pub seed: u64,
    /// The reference keys to draw from.
    pub catalogue: &'a DemoCatalogue,
    /// The workstation for the audit log.
    pub workstation: &'a str,
}

/// Creates the demo database at `plan.path`, or extends it when it exists (and is a demo
/// database). `progress` is called with the number of households added so far.
pub fn build(
    plan: &Plan<'_>,
    clock: Arc<dyn Clock>,
    progress: &mut dyn FnMut(u64),
) -> Result<Built> {
    let path = match plan.location {
        Location::File(path) => path,
        Location::Server(_) => return build_on_server(plan, clock, progress),
    };
    if path.exists() {
        let mut store = Store::open_with_clock(path, clock.clone())?;
        store.require_demo()?;
        return fill(&mut store, plan, clock.as_ref(), progress);
    }
    let part = part_path(path);
    let key = crate::store::sqlite::anchor::key_path(path);
    if key.exists() {
        return Err(StoreError::Io {
            path: key,
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "er staat al een sleutelbestand van een eerdere database; verplaats het (of zet die database terug) voordat u een nieuwe maakt",
            ),
        });
    }
    remove_database_files(&part);
    let result = (|| {
        let mut store = Store::create(&part, DatabaseKind::Demo, clock.clone())?;
        store.begin_bulk_load()?;
        let built = fill(&mut store, plan, clock.as_ref(), progress)?;
        store.end_bulk_load()?;
        drop(store);
        // The key and the witness go with the file: the key by a link, which never replaces
        // a key that appeared meanwhile, before the database itself is renamed into place.
        for suffix in [
            crate::store::sqlite::anchor::KEY_SUFFIX,
            crate::store::sqlite::anchor::WITNESS_SUFFIX,
        ] {
            let (from, to) = (with_suffix(&part, suffix), with_suffix(path, suffix));
            std::fs::hard_link(&from, &to).map_err(|source| StoreError::Io {
                path: to.clone(),
                source,
            })?;
            let _ = std::fs::remove_file(&from);
        }
        std::fs::rename(&part, path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(built)
    })();
    if result.is_err() {
        remove_database_files(&part);
        if !path.exists() {
            // What this build linked beside a database that never came.
            for suffix in [
                crate::store::sqlite::anchor::KEY_SUFFIX,
                crate::store::sqlite::anchor::WITNESS_SUFFIX,
            ] {
                let _ = std::fs::remove_file(with_suffix(path, suffix));
            }
        }
    }
    result
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// A demo on a server: made in the empty database, or added to the demo database there. A
/// server's database cannot be renamed into place, so an interrupted build keeps the batches
/// it committed (each whole); running `demo` again adds to them.
fn build_on_server(
    plan: &Plan<'_>,
    clock: Arc<dyn Clock>,
    progress: &mut dyn FnMut(u64),
) -> Result<Built> {
    let mut store = match crate::store::open(plan.location, clock.clone()) {
        Ok(store) => store,
        Err(StoreError::Server {
            problem: crate::store::ServerProblem::NotInitialised,
            ..
        }) => crate::store::create(plan.location, DatabaseKind::Demo, clock.clone())?,
        Err(e) => return Err(e),
    };
    store.require_demo()?;
    fill(store.as_mut(), plan, clock.as_ref(), progress)
}

fn fill(
    store: &mut dyn DemoStore,
    plan: &Plan<'_>,
    clock: &dyn Clock,
    progress: &mut dyn FnMut(u64),
) -> Result<Built> {
    let first = u64::try_from(store.household_count()?).unwrap_or(0);
    // The teams and colleagues the households after the named ones need (see `roster`).
    let (teams, users) = roster(first.saturating_add(plan.households));
    let teams: Vec<&str> = teams.iter().map(String::as_str).collect();
    store.ensure_demo_accounts(&teams, &users, plan.workstation)?;
    let today = clock.today();
    let (seed, households, catalogue) = (plan.seed, plan.households, plan.catalogue);
    std::thread::scope(|scope| {
        // Two batches in flight: the generator stays one step ahead of the inserts.
        let (tx, rx) = sync_channel::<Vec<DemoHousehold>>(2);
        scope.spawn(move || {
            let mut start = 0;
            while start < households {
                let n = BATCH.min(households - start);
                let batch = (first + start..first + start + n)
                    .map(|i| household(seed, i, today, catalogue))
                    .collect();
                if tx.send(batch).is_err() {
                    return;
                }
                start += n;
            }
        });
        let mut done = 0;
        for batch in rx {
            store.insert_demo_batch(&batch, plan.workstation)?;
            done += batch.len() as u64;
            progress(done);
        }
        Ok(Built {
            added: done,
            total: first + done,
        })
    })
}

fn part_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".part");
    PathBuf::from(name)
}

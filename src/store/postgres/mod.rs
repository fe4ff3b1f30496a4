//! The PostgreSQL backend: one server that a team's (or a municipality's) workstations share.
//!
//! The same promises as the SQLite backend: every write runs in one transaction; every write
//! and every read of one household's data appends an audit row in that same transaction;
//! queries use bound parameters only. Writing transactions take the audit chain's advisory
//! lock first ([`audit::CHAIN_LOCK`]), so saves from many workstations are serialised exactly
//! where the chain needs it and a lock wait beyond the busy limit is reported, never forked.
//!
//! Every statement goes through [`Tx`], which prepares each SQL text once per connection and
//! counts round trips to the server (a budget the tests assert).

mod access_log;
mod agreements;
mod app;
pub mod audit;
mod avg;
mod changes;
mod consents;
mod contacts;
mod dashboard;
mod demo;
mod error;
mod exchange;
mod flags;
mod goals;
mod home;
mod households;
mod imports;
mod login;
mod messages;
pub mod migrate;
pub mod migrations;
mod plan;
mod provision_rows;
mod provisions;
mod records;
mod regisseur;
mod report;
mod search;
#[doc(hidden)]
pub mod testing;
mod tls;
mod users;
mod worklists;
mod zrm;

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use crate::clock::Clock;
use crate::model::admin::{CheckReport, DatabaseKind};
#[allow(unused_imports)]
pub(crate) use crate::store::authorize;
use crate::store::location::ServerUrl;
pub use crate::store::{Result, ServerProblem, StoreError};

/// How long a write waits for other workstations' saves before giving up.
pub const BUSY_TIMEOUT: Duration = crate::store::BUSY_TIMEOUT;

/// A parameter list for [`Tx`].
pub type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

/// An open keukentafel database on a PostgreSQL server.
pub struct Store {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// The audit chain's head as this connection last wrote or read it (see
    /// [`audit::append`]): a save from this workstation appends without reading it again.
    head: RefCell<Option<(i64, String)>>,
    trips: Arc<Trips>,
    location: String,
    clock: Arc<dyn Clock>,
    busy_limit: Duration,
    /// Days after the toewijzing before one without a start message is on the worklist
    /// "Zonder startbericht" (`zonder_startbericht_dagen` in config.toml).
    days_without_start: u32,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .finish()
    }
}

/// The round trips to the server since a connection was opened (the connection itself counts
/// as one): a counter the tests and benchmarks read per act.
#[derive(Debug, Default)]
pub struct Trips(std::sync::atomic::AtomicU64);

impl Trips {
    /// The count so far.
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn add(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// One transaction on the server, with the store's statement cache and round-trip count.
///
/// The transaction is begun and ended by hand (`BEGIN` with its first statement in one round
/// trip), so that a save costs as few round trips as the work needs; [`Store::write`] and
/// [`Store::read`] roll back on every error.
pub struct Tx<'a> {
    inner: &'a mut Client,
    statements: &'a RefCell<HashMap<String, Statement>>,
    head: &'a RefCell<Option<(i64, String)>>,
    trips: &'a Trips,
}

impl Tx<'_> {
    fn trip(&self) {
        self.trips.add();
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self
            .statements
            .try_borrow()
            .ok()
            .and_then(|m| m.get(sql).cloned())
        {
            return Ok(s);
        }
        self.trip();
        let s = self.inner.prepare(sql)?;
        if let Ok(mut m) = self.statements.try_borrow_mut() {
            m.insert(sql.to_string(), s.clone());
        }
        Ok(s)
    }

    /// Every row of a query.
    pub fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        self.trip();
        Ok(self.inner.query(&s, params)?)
    }

    /// The one row of a query.
    pub fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row> {
        let s = self.statement(sql)?;
        self.trip();
        Ok(self.inner.query_one(&s, params)?)
    }

    /// The row of a query, if any (more than one is an error).
    pub fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let s = self.statement(sql)?;
        self.trip();
        Ok(self.inner.query_opt(&s, params)?)
    }

    /// Runs a statement; the number of rows it changed.
    pub fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64> {
        let s = self.statement(sql)?;
        self.trip();
        Ok(self.inner.execute(&s, params)?)
    }

    /// The chain head this connection last saw.
    pub(crate) fn cached_head(&self) -> Option<(i64, String)> {
        self.head.try_borrow().ok().and_then(|h| h.clone())
    }

    /// Remembers the chain head after an append.
    pub(crate) fn remember_head(&self, id: i64, hash: &str) {
        if let Ok(mut head) = self.head.try_borrow_mut() {
            *head = Some((id, hash.to_string()));
        }
    }

    /// Runs statements without parameters in one round trip.
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        self.trip();
        Ok(self.inner.batch_execute(sql)?)
    }

    /// The driver's connection inside this transaction, for what the wrapper does not offer
    /// (streaming, COPY). Never commit or roll back through it.
    pub fn raw(&mut self) -> &mut Client {
        self.trip();
        self.inner
    }
}

impl Store {
    /// Opens an existing keukentafel database on a server, migrating it forward when it is
    /// older than this build.
    pub fn open_with_clock(url: &ServerUrl, clock: Arc<dyn Clock>) -> Result<Store> {
        let store = Store::connect(url, clock)?;
        let contents = {
            let mut client = store.client_mut()?;
            migrations::contents(&mut *client)?
        };
        match contents {
            migrations::Contents::Empty => Err(store.problem(ServerProblem::NotInitialised)),
            migrations::Contents::Foreign => Err(store.problem(ServerProblem::NotOurs)),
            migrations::Contents::Ours(found) => {
                migrations::check_not_newer(found, &store.location)?;
                let location = store.location.clone();
                migrations::migrate(&mut *store.client_mut()?, &location)?;
                Ok(store)
            }
        }
    }

    /// Prepares an empty database on a server (`init`, `demo`): the schema, the kind and the
    /// first audit row, in one transaction. Refuses a database that holds any table.
    pub fn create(url: &ServerUrl, kind: DatabaseKind, clock: Arc<dyn Clock>) -> Result<Store> {
        let store = Store::connect(url, clock)?;
        let contents = {
            let mut client = store.client_mut()?;
            migrations::contents(&mut *client)?
        };
        match contents {
            migrations::Contents::Empty => {}
            migrations::Contents::Ours(_) => {
                return Err(store.problem(ServerProblem::AlreadyInitialised));
            }
            migrations::Contents::Foreign => return Err(store.problem(ServerProblem::NotOurs)),
        }
        let location = store.location.clone();
        migrations::migrate(&mut *store.client_mut()?, &location)?;
        let now = store.clock.now();
        let workstation = crate::auth::workstation_name();
        let made = store.write(|tx| {
            // Two workstations running `init` at once: the second finds the first's row.
            if tx
                .query_opt("SELECT 1 FROM meta WHERE key = 'kind'", &[])?
                .is_some()
            {
                return Err(StoreError::Server {
                    location: location.clone(),
                    problem: ServerProblem::AlreadyInitialised,
                });
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('kind', $1), ('created_at', $2)",
                &[&kind.code(), &now.to_rfc3339()],
            )?;
            audit::append(
                tx,
                now,
                &audit::AuditActor::system(&workstation),
                &audit::AuditEvent {
                    action: audit::Action::Create,
                    object: "database",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(kind.code().to_string()),
                },
            )?;
            Ok(())
        });
        made.map(|()| store)
    }

    fn connect(url: &ServerUrl, clock: Arc<dyn Clock>) -> Result<Store> {
        let location = url.shown();
        let mut config =
            postgres::Config::from_str(url.secret()).map_err(|e| StoreError::Server {
                location: location.clone(),
                problem: ServerProblem::Unreachable(e.to_string()),
            })?;
        if config.get_application_name().is_none() {
            config.application_name("keukentafel");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        // A lock wait beyond the busy limit ends the statement; a transaction left open by a
        // crashed workstation cannot hold the chain lock for more than a minute.
        let options = format!(
            "-c lock_timeout={} -c idle_in_transaction_session_timeout=60000 -c TimeZone=UTC",
            BUSY_TIMEOUT.as_millis()
        );
        let options = match config.get_options() {
            Some(given) => format!("{given} {options}"),
            None => options,
        };
        config.options(&options);
        let client = match config.get_ssl_mode() {
            postgres::config::SslMode::Disable => config.connect(NoTls),
            _ => config.connect(tls::connector(&location)?),
        }
        .map_err(|e| error::connect_error(&location, &e))?;
        Ok(Store {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            head: RefCell::new(None),
            trips: Arc::new(Trips(std::sync::atomic::AtomicU64::new(1))),
            location,
            clock,
            busy_limit: BUSY_TIMEOUT,
            days_without_start: crate::config::DEFAULT_DAYS_WITHOUT_START,
        })
    }

    fn problem(&self, problem: ServerProblem) -> StoreError {
        StoreError::Server {
            location: self.location.clone(),
            problem,
        }
    }

    fn client_mut(&self) -> Result<std::cell::RefMut<'_, Client>> {
        self.client.try_borrow_mut().map_err(|_| {
            StoreError::Backend(crate::store::BackendError {
                kind: crate::store::BackendErrorKind::Other,
                detail: "connection already in use".into(),
            })
        })
    }

    /// The server and database, without password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The injected clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Round trips to the server since the connection was opened (the connection itself
    /// counts as one).
    pub fn round_trips(&self) -> u64 {
        self.trips.get()
    }

    /// The round-trip counter itself, to read while the store is borrowed elsewhere.
    pub fn round_trips_handle(&self) -> Arc<Trips> {
        Arc::clone(&self.trips)
    }

    /// Sets after how many days a toewijzing without a start message goes on the worklist
    /// "Zonder startbericht".
    pub fn set_days_without_start(&mut self, days: u32) {
        self.days_without_start = days;
    }

    /// The days of [`Store::set_days_without_start`].
    pub fn days_without_start(&self) -> u32 {
        self.days_without_start
    }

    /// How long a save waits for other workstations' saves before it gives up with
    /// [`StoreError::Busy`].
    pub fn set_busy_limit(&mut self, limit: Duration) -> Result<()> {
        self.busy_limit = limit;
        let millis = i64::try_from(limit.as_millis()).unwrap_or(i64::MAX);
        self.client_mut()?
            .batch_execute(&format!("SET lock_timeout = {millis}"))?;
        Ok(())
    }

    /// Whether this is a demo or a production database.
    pub fn kind(&self) -> Result<DatabaseKind> {
        self.read(|tx| {
            let kind: Option<String> = tx
                .query_opt("SELECT value FROM meta WHERE key = 'kind'", &[])?
                .map(|r| r.try_get(0))
                .transpose()?;
            Ok(match kind.as_deref() {
                Some("demo") => DatabaseKind::Demo,
                _ => DatabaseKind::Production,
            })
        })
    }

    /// Runs `f` in a transaction that holds the audit chain's lock, and commits when it
    /// returns `Ok`; nothing is written when it fails. Waiting for the lock longer than the
    /// busy limit fails with [`StoreError::Busy`], with nothing written.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        // The lock's key is a constant of this program, not input: one round trip begins the
        // transaction and takes the lock.
        let begin = format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({})",
            audit::CHAIN_LOCK
        );
        self.transaction(&begin, f)
    }

    /// Runs `f` in a read-only transaction that sees one snapshot of the database (for reads
    /// that write no audit row, and for `check`).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", f)
    }

    /// Runs `f`, which makes one statement, without a transaction around it: one statement
    /// sees one snapshot by itself, and a finder keystroke costs one round trip, not three.
    pub(crate) fn single<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut client = self.client_mut()?;
        let mut tx = Tx {
            inner: &mut client,
            statements: &self.statements,
            head: &self.head,
            trips: self.trips.as_ref(),
        };
        f(&mut tx)
    }

    fn transaction<T>(&self, begin: &str, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut client = self.client_mut()?;
        self.trips.add();
        if let Err(e) = client.batch_execute(begin) {
            // A lock wait beyond the busy limit ends the statement after BEGIN.
            let _ = client.batch_execute("ROLLBACK");
            return Err(e.into());
        }
        let mut tx = Tx {
            inner: &mut client,
            statements: &self.statements,
            head: &self.head,
            trips: self.trips.as_ref(),
        };
        let outcome = f(&mut tx).and_then(|value| {
            tx.trip();
            tx.inner.batch_execute("COMMIT")?;
            Ok(value)
        });
        if outcome.is_err() {
            // After a failed statement or commit; on a lost connection this fails too and
            // the server rolls back by itself. A row appended in it is gone again.
            let _ = client.batch_execute("ROLLBACK");
            if let Ok(mut head) = self.head.try_borrow_mut() {
                *head = None;
            }
        }
        outcome
    }

    /// Verifies the whole audit chain, with its head, in one snapshot. A server has no
    /// `integrity_check`; its own checksums and `amcheck` are the DBA's.
    pub fn check(&self) -> Result<CheckReport> {
        self.read(|tx| {
            let chain = audit::verify(tx.raw())?;
            let schema_version = migrations::version(tx.raw())?;
            Ok(CheckReport {
                integrity_problems: Vec::new(),
                chain,
                schema_version,
            })
        })
    }
}

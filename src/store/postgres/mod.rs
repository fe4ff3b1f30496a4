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
mod conn;
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
mod scram;
mod search;
#[doc(hidden)]
pub mod testing;
mod tls;
mod users;
mod worklists;
mod zrm;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row, Statement};

use crate::auth::Session;
use crate::clock::Clock;
use crate::model::admin::{CheckReport, DatabaseKind};
#[allow(unused_imports)]
pub(crate) use crate::store::authorize;
use crate::store::location::ServerUrl;
pub use crate::store::{Result, ServerProblem, StoreError};

/// How long a write waits for other workstations' saves before giving up.
pub const BUSY_TIMEOUT: Duration = crate::store::BUSY_TIMEOUT;

/// A parameter list for [`Tx`].
pub type Params<'p> = conn::Params<'p>;

/// Whom the store's connection is logged in as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Connected {
    /// The role the URL names: the database's owner (`init`, `demo`, `migrate`, the DBA), which
    /// writes audit rows itself.
    Owner,
    /// The login gate (a URL without a user): the login functions only.
    Gate,
    /// A keukentafel user's own role: audit rows through the server's append function.
    Personal,
}

/// A connection of the store that is not the current one.
struct Parked {
    client: conn::Conn,
    statements: HashMap<String, Statement>,
    connected: Connected,
}

/// An open keukentafel database on a PostgreSQL server.
pub struct Store {
    client: RefCell<conn::Conn>,
    /// How to connect again (as another role, at a login).
    config: tokio_postgres::Config,
    connected: Cell<Connected>,
    /// The user whose own connection `client` is (`None`: the owner's or the gate's).
    active: Cell<Option<i64>>,
    /// The other connections this store opened, by user, until their session acts again: a
    /// session acts through its own role only (see [`Store::act_as`]).
    parked: RefCell<HashMap<Option<i64>, Parked>>,
    statements: RefCell<HashMap<String, Statement>>,
    trips: Arc<Trips>,
    location: String,
    clock: Arc<dyn Clock>,
    busy_limit: Duration,
    /// Days after the toewijzing before one without a start message is on the worklist
    /// "Zonder startbericht" (`zonder_startbericht_dagen` in config.toml).
    days_without_start: u32,
    /// The last worklist's filter index (see [`crate::store::shared::worklist_filter`]).
    filter_index: Option<crate::store::shared::worklist_filter::FilterIndex>,
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

/// A statement whose answer nobody waits for: it travels with the transaction's next request.
struct Deferred {
    statement: Statement,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
}

/// The chain head's query, run right after the lock in a writing transaction.
const HEAD: &str = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";

/// One transaction on the server, with the store's statement cache and round-trip count.
///
/// Nothing is sent until an answer is needed: the opening (`BEGIN`, the chain's lock and its
/// head) travels with the transaction's first query, statements whose answer is not needed
/// ([`Tx::defer`], such as the audit row) travel with the next query or with the `COMMIT`, and
/// [`Tx::queries`] sends several reads at once. So a dashboard costs three round trips and a
/// save four, however many statements they run; [`Store::write`] and [`Store::read`] roll back
/// on every error.
pub struct Tx<'a> {
    conn: &'a mut conn::Conn,
    statements: &'a RefCell<HashMap<String, Statement>>,
    trips: &'a Trips,
    /// The opening statements not sent yet.
    opening: Option<String>,
    /// Whether the chain head must still be read (after the lock).
    read_head: bool,
    deferred: Vec<Deferred>,
    /// The chain head: the newest audit row's id and hash, as read under the lock and moved
    /// by every append.
    head: Option<(i64, String)>,
    /// Whether [`Tx::queries_then_commit`] ended the transaction.
    committed: bool,
    /// Whom the connection is logged in as.
    connected: Connected,
}

/// One query of [`Tx::queries`].
pub type Query<'q> = (&'q str, Params<'q>);

impl Tx<'_> {
    fn trip(&self) {
        self.trips.add();
    }

    /// The prepared statements for `sqls`, preparing the ones this connection has not seen in
    /// one round trip.
    fn statements_for(&mut self, sqls: &[&str]) -> Result<Vec<Statement>> {
        let missing: Vec<&str> = {
            let known = self.statements.try_borrow().map_err(|_| in_use())?;
            let mut missing: Vec<&str> = sqls
                .iter()
                .copied()
                .filter(|sql| !known.contains_key(*sql))
                .collect();
            missing.sort_unstable();
            missing.dedup();
            missing
        };
        if !missing.is_empty() {
            self.trip();
            let prepared = self.conn.prepare_all(&missing)?;
            let mut known = self.statements.try_borrow_mut().map_err(|_| in_use())?;
            for (sql, statement) in missing.iter().zip(prepared) {
                known.insert((*sql).to_string(), statement);
            }
        }
        let known = self.statements.try_borrow().map_err(|_| in_use())?;
        sqls.iter()
            .map(|sql| known.get(*sql).cloned().ok_or_else(in_use))
            .collect()
    }

    /// Prepares `sqls` that this connection has not seen, all in one round trip (a fresh
    /// connection, such as a login's, would otherwise prepare each on its first use).
    pub(crate) fn prepare_ahead(&mut self, sqls: &[&str]) -> Result<()> {
        self.statements_for(sqls).map(drop)
    }

    /// Sends what is pending and `queries` (each with whether its rows or its count is
    /// wanted) in one round trip; the answers to `queries`.
    fn send(&mut self, queries: &[(&str, Params<'_>, bool)]) -> Result<Vec<conn::Answer>> {
        self.send_then(queries, None)
    }

    /// Like [`Tx::send`], with `last` (`COMMIT`) after the queries in the same round trip.
    fn send_then(
        &mut self,
        queries: &[(&str, Params<'_>, bool)],
        last: Option<&str>,
    ) -> Result<Vec<conn::Answer>> {
        let read_head = self.read_head && last.is_none();
        let mut sqls: Vec<&str> = Vec::with_capacity(queries.len() + 1);
        if read_head {
            sqls.push(HEAD);
        }
        sqls.extend(queries.iter().map(|q| q.0));
        let prepared = self.statements_for(&sqls)?;
        let (head_statement, prepared) = match prepared.split_first() {
            Some((head, rest)) if read_head => (Some(head), rest),
            _ => (None, prepared.as_slice()),
        };
        let opening = self.opening.take();
        let deferred = std::mem::take(&mut self.deferred);
        let deferred_params: Vec<Vec<&(dyn ToSql + Sync)>> = deferred
            .iter()
            .map(|d| {
                d.params
                    .iter()
                    .map(|p| p.as_ref() as &(dyn ToSql + Sync))
                    .collect()
            })
            .collect();
        let mut steps = Vec::with_capacity(queries.len() + deferred.len() + 3);
        if let Some(opening) = &opening {
            steps.push(conn::Step::Simple(opening));
        }
        let head_at = steps.len();
        if let Some(statement) = head_statement {
            steps.push(conn::Step::Query(statement, &[]));
        }
        for (d, params) in deferred.iter().zip(&deferred_params) {
            steps.push(conn::Step::Execute(&d.statement, params));
        }
        let first_query = steps.len();
        for (statement, (_, params, rows)) in prepared.iter().zip(queries) {
            steps.push(if *rows {
                conn::Step::Query(statement, params)
            } else {
                conn::Step::Execute(statement, params)
            });
        }
        if let Some(last) = last {
            steps.push(conn::Step::Simple(last));
        }
        if steps.is_empty() {
            return Ok(Vec::new());
        }
        self.trip();
        let mut answers = Vec::with_capacity(queries.len());
        for (i, answer) in self.conn.pipeline(&steps)?.into_iter().enumerate() {
            // The first failure is the cause; the later ones only say that the transaction
            // was aborted.
            let answer = answer?;
            if head_statement.is_some() && i == head_at {
                self.head = Some(match answer.rows.first() {
                    Some(r) => (r.try_get(0)?, r.try_get(1)?),
                    None => (0, crate::store::audit::GENESIS.to_string()),
                });
                self.read_head = false;
            } else if i >= first_query && answers.len() < queries.len() {
                answers.push(answer);
            }
        }
        Ok(answers)
    }

    /// Commits: what is still pending travels with the `COMMIT`. A transaction that never
    /// sent anything has nothing to commit.
    fn commit(&mut self) -> Result<()> {
        if self.opening.is_some() && self.deferred.is_empty() {
            return Ok(());
        }
        self.committed = true;
        self.send_then(&[], Some("COMMIT")).map(|_| ())
    }

    /// The rows of the last queries of a transaction, sent with what is pending and the
    /// `COMMIT` in one round trip. Nothing may follow in this transaction.
    pub fn queries_then_commit(&mut self, queries: &[Query<'_>]) -> Result<Vec<Vec<Row>>> {
        let queries: Vec<(&str, Params<'_>, bool)> =
            queries.iter().map(|(sql, p)| (*sql, *p, true)).collect();
        self.committed = true;
        Ok(self
            .send_then(&queries, Some("COMMIT"))?
            .into_iter()
            .map(|a| a.rows)
            .collect())
    }

    /// Every row of a query.
    pub fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let mut answers = self.send(&[(sql, params, true)])?;
        Ok(answers.pop().map(|a| a.rows).unwrap_or_default())
    }

    /// The rows of several queries, sent at once: one round trip for all of them.
    pub fn queries(&mut self, queries: &[Query<'_>]) -> Result<Vec<Vec<Row>>> {
        let queries: Vec<(&str, Params<'_>, bool)> =
            queries.iter().map(|(sql, p)| (*sql, *p, true)).collect();
        Ok(self.send(&queries)?.into_iter().map(|a| a.rows).collect())
    }

    /// Every row of a query run with planner settings of its own: `settings` (`SET …`) before
    /// it and `reset` (`RESET …`) after it travel with it, one round trip (after the query's
    /// first use on this connection, which prepares it). `reset` runs whether or not the query
    /// succeeded. Outside a transaction only.
    pub fn query_with_settings(
        &mut self,
        (settings, reset): (&str, &str),
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<Row>> {
        self.send(&[])?;
        let statement = self.statements_for(&[sql])?.pop().ok_or_else(in_use)?;
        self.trip();
        let steps = [
            conn::Step::Simple(settings),
            conn::Step::Query(&statement, params),
            conn::Step::Simple(reset),
        ];
        let mut answers = self.conn.pipeline(&steps)?.into_iter();
        let (Some(set), Some(query), Some(reset)) =
            (answers.next(), answers.next(), answers.next())
        else {
            return Err(in_use());
        };
        set?;
        let rows = query?.rows;
        reset?;
        Ok(rows)
    }

    /// The one row of a query.
    pub fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row> {
        let mut rows = self.query(sql, params)?;
        match (rows.pop(), rows.is_empty()) {
            (Some(row), true) => Ok(row),
            _ => Err(row_count(sql)),
        }
    }

    /// The row of a query, if any (more than one is an error).
    pub fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let mut rows = self.query(sql, params)?;
        let row = rows.pop();
        if rows.is_empty() {
            Ok(row)
        } else {
            Err(row_count(sql))
        }
    }

    /// Runs a statement; the number of rows it changed.
    pub fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64> {
        let mut answers = self.send(&[(sql, params, false)])?;
        Ok(answers.pop().map(|a| a.count).unwrap_or_default())
    }

    /// Queues a statement whose answer the caller does not need: it is sent with the
    /// transaction's next request (or its `COMMIT`), and its failure fails that request and
    /// the transaction.
    pub fn defer(&mut self, sql: &str, params: Vec<Box<dyn ToSql + Sync + Send>>) -> Result<()> {
        let statement = self.statements_for(&[sql])?.pop().ok_or_else(in_use)?;
        self.deferred.push(Deferred { statement, params });
        Ok(())
    }

    /// The chain head under this transaction's lock (read with the first request).
    pub(crate) fn head(&mut self) -> Result<(i64, String)> {
        if self.head.is_none() {
            self.read_head = true;
            self.send(&[])?;
        }
        self.head.clone().ok_or_else(in_use)
    }

    /// Whom the transaction's connection is logged in as.
    pub(crate) fn connected(&self) -> Connected {
        self.connected
    }

    /// Moves the chain head after an append.
    pub(crate) fn set_head(&mut self, id: i64, hash: &str) {
        self.head = Some((id, hash.to_string()));
    }

    /// Runs statements without parameters in one round trip.
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        // With what is pending, in the same round trip.
        self.send_then(&[], Some(sql)).map(|_| ())
    }

    /// Feeds the rows of a query without parameters to `each` as they arrive; `each` returns
    /// `false` to stop.
    pub fn for_each_row(&mut self, sql: &str, each: impl FnMut(Row) -> Result<bool>) -> Result<()> {
        self.for_each_row_with(sql, &[], each)
    }

    /// As [`Tx::for_each_row`], with the query's parameters.
    pub fn for_each_row_with(
        &mut self,
        sql: &str,
        params: Params<'_>,
        each: impl FnMut(Row) -> Result<bool>,
    ) -> Result<()> {
        self.send(&[])?;
        let statement = self.statements_for(&[sql])?.pop().ok_or_else(in_use)?;
        self.trip();
        self.conn.for_each_row_with(&statement, params, each)
    }
}

/// A query that should have answered one row answered none or several.
fn row_count(sql: &str) -> StoreError {
    StoreError::Backend(crate::store::BackendError {
        kind: crate::store::BackendErrorKind::Other,
        detail: format!(
            "unexpected number of rows: {}",
            sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
        ),
    })
}

fn in_use() -> StoreError {
    StoreError::Backend(crate::store::BackendError {
        kind: crate::store::BackendErrorKind::Other,
        detail: "connection already in use".into(),
    })
}

impl Store {
    /// Opens an existing keukentafel database on a server, migrating it forward when it is
    /// older than this build.
    pub fn open_with_clock(url: &ServerUrl, clock: Arc<dyn Clock>) -> Result<Store> {
        let store = Store::connect(url, clock)?;
        let contents = migrations::contents(&store)?;
        match contents {
            migrations::Contents::Empty => Err(store.problem(ServerProblem::NotInitialised)),
            migrations::Contents::Foreign => Err(store.problem(ServerProblem::NotOurs)),
            migrations::Contents::Ours(found) => {
                migrations::check_not_newer(found, &store.location)?;
                if found < migrations::LATEST {
                    if store.connected() != Connected::Owner {
                        return Err(store.problem(ServerProblem::OwnerMustMigrate {
                            found,
                            latest: migrations::LATEST,
                        }));
                    }
                    let location = store.location.clone();
                    migrations::migrate(&store, &location)?;
                }
                Ok(store)
            }
        }
    }

    /// Prepares an empty database on a server (`init`, `demo`): the schema, the kind and the
    /// first audit row, in one transaction. Refuses a database that holds any table.
    pub fn create(url: &ServerUrl, kind: DatabaseKind, clock: Arc<dyn Clock>) -> Result<Store> {
        let store = Store::connect(url, clock)?;
        let contents = migrations::contents(&store)?;
        match contents {
            migrations::Contents::Empty => {}
            migrations::Contents::Ours(_) => {
                return Err(store.problem(ServerProblem::AlreadyInitialised));
            }
            migrations::Contents::Foreign => return Err(store.problem(ServerProblem::NotOurs)),
        }
        let location = store.location.clone();
        let now = store.clock.now();
        let workstation = crate::auth::workstation_name();
        // The schema, the kind and the first audit row in one transaction: a failure leaves
        // the database empty, and two workstations running `init` at once wait for each other
        // on the lock, the second finding the first's schema.
        let made = store.write_new_schema(|tx| {
            if tx
                .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
                .try_get::<_, bool>(0)?
            {
                return Err(StoreError::Server {
                    location: location.clone(),
                    problem: ServerProblem::AlreadyInitialised,
                });
            }
            migrations::apply_all(tx)?;
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
            tokio_postgres::Config::from_str(url.secret()).map_err(|e| StoreError::Server {
                location: location.clone(),
                problem: ServerProblem::Unreachable(e.to_string()),
            })?;
        // A URL without a user (as config.toml holds it) opens the login gate; the users log
        // in with their own roles (see `login.rs`).
        let connected = if config.get_user().is_some() {
            // The owner's password, as libpq takes it: in the URL or in PGPASSWORD.
            if config.get_password().is_none()
                && let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty())
            {
                config.password(password.as_encoded_bytes());
            }
            Connected::Owner
        } else {
            let gate = format!("{}__gate", database_name(&config, &location)?);
            config.user(&gate);
            config.password(gate.as_bytes());
            Connected::Gate
        };
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
        let client = open_connection(&config, &location).map_err(|e| match e {
            conn::ConnectError::Driver(e) => error::connect_error(&location, &e),
            conn::ConnectError::Setup(e) => e,
            conn::ConnectError::Runtime(e) => StoreError::Server {
                location: location.clone(),
                problem: ServerProblem::Unreachable(e.to_string()),
            },
        })?;
        Ok(Store {
            client: RefCell::new(client),
            config,
            connected: Cell::new(connected),
            active: Cell::new(None),
            parked: RefCell::new(HashMap::new()),
            statements: RefCell::new(HashMap::new()),
            trips: Arc::new(Trips(std::sync::atomic::AtomicU64::new(1))),
            location,
            clock,
            busy_limit: BUSY_TIMEOUT,
            days_without_start: crate::config::DEFAULT_DAYS_WITHOUT_START,
            filter_index: None,
        })
    }

    /// Opens a connection as `role` with `password` to the same server and database (a
    /// personal login). The store keeps its connection until [`Store::use_connection`].
    pub(crate) fn connect_as(
        &self,
        role: &str,
        password: &str,
    ) -> std::result::Result<conn::Conn, conn::ConnectError> {
        let mut config = self.config.clone();
        config.user(role);
        config.password(password.as_bytes());
        open_connection(&config, &self.location)
    }

    /// Makes `client` (logged in as `connected`, for `user`) the store's connection; the one it
    /// had is parked under its user, and that key is answered (for [`Store::resume`]).
    pub(crate) fn use_connection(
        &self,
        client: conn::Conn,
        prepared: HashMap<String, Statement>,
        connected: Connected,
        user: Option<i64>,
    ) -> Result<Option<i64>> {
        // A user logging in again gets their new connection; the old one closes.
        self.parked
            .try_borrow_mut()
            .map_err(|_| in_use())?
            .remove(&user);
        let mut current = self.client_mut()?;
        let mut statements = self.statements.try_borrow_mut().map_err(|_| in_use())?;
        let previous = self.active.replace(user);
        let parked = Parked {
            client: std::mem::replace(&mut *current, client),
            statements: std::mem::replace(&mut *statements, prepared),
            connected: self.connected.replace(connected),
        };
        self.parked
            .try_borrow_mut()
            .map_err(|_| in_use())?
            .insert(previous, parked);
        self.trips.add();
        Ok(previous)
    }

    /// Makes the parked connection of `user` the current one again (the current one is
    /// parked). False when there is none.
    fn resume(&self, user: Option<i64>) -> Result<bool> {
        if self.active.get() == user {
            return Ok(true);
        }
        let Some(parked) = self
            .parked
            .try_borrow_mut()
            .map_err(|_| in_use())?
            .remove(&user)
        else {
            return Ok(false);
        };
        let mut current = self.client_mut()?;
        let mut statements = self.statements.try_borrow_mut().map_err(|_| in_use())?;
        let previous = self.active.replace(user);
        let old = Parked {
            client: std::mem::replace(&mut *current, parked.client),
            statements: std::mem::replace(&mut *statements, parked.statements),
            connected: self.connected.replace(parked.connected),
        };
        self.parked
            .try_borrow_mut()
            .map_err(|_| in_use())?
            .insert(previous, old);
        Ok(true)
    }

    /// Makes the session's own connection the current one: on a server each user acts through
    /// their own role, so the server's grants and row-level security apply to what they do. A
    /// session that did not log in on this store has no connection here.
    pub(crate) fn act_as(&self, session: &Session) -> Result<()> {
        if self.connected.get() != Connected::Personal && !self.has_personal_parked()? {
            // Not logged in here at all (the owner's tools): nothing to choose.
            return Ok(());
        }
        if self.resume(Some(session.user_id))? {
            return Ok(());
        }
        Err(StoreError::Server {
            location: self.location.clone(),
            problem: ServerProblem::LoginRefused,
        })
    }

    /// Makes the owner's connection the current one, if this store has one (the owner's
    /// acts: `check`, demo data); otherwise the current connection stays.
    pub(crate) fn as_owner(&self) -> Result<()> {
        if self.connected.get() == Connected::Owner {
            return Ok(());
        }
        let owner = self
            .parked
            .try_borrow()
            .map_err(|_| in_use())?
            .get(&None)
            .is_some_and(|p| p.connected == Connected::Owner);
        if owner {
            self.resume(None)?;
        }
        Ok(())
    }

    /// Closes the connection of the session's user (the lock, quitting, a switch of user at
    /// the lock screen): the store goes back to the connection it had before any login.
    pub fn logout(&self, session: &Session) -> Result<()> {
        let user = Some(session.user_id);
        if self.active.get() == user {
            let before = self
                .parked
                .try_borrow()
                .map_err(|_| in_use())?
                .contains_key(&None);
            if !before {
                return Ok(());
            }
            self.resume(None)?;
        }
        self.parked
            .try_borrow_mut()
            .map_err(|_| in_use())?
            .remove(&user);
        Ok(())
    }

    /// Whether a user's own connection waits among the parked ones.
    fn has_personal_parked(&self) -> Result<bool> {
        Ok(self
            .parked
            .try_borrow()
            .map_err(|_| in_use())?
            .values()
            .any(|p| p.connected == Connected::Personal))
    }

    /// The database's name on the server (the users' roles are named after it).
    pub(crate) fn database_name(&self) -> Result<String> {
        database_name(&self.config, &self.location)
    }

    /// Whom the store's connection is logged in as.
    pub(crate) fn connected(&self) -> Connected {
        self.connected.get()
    }

    fn problem(&self, problem: ServerProblem) -> StoreError {
        StoreError::Server {
            location: self.location.clone(),
            problem,
        }
    }

    fn client_mut(&self) -> Result<std::cell::RefMut<'_, conn::Conn>> {
        self.client.try_borrow_mut().map_err(|_| in_use())
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
        // The lock's key is a constant of this program, not input. The opening travels with
        // the transaction's first query, and the chain head is read right after the lock.
        let begin = format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({})",
            audit::CHAIN_LOCK
        );
        self.transaction(Some(begin), true, f)
    }

    /// Like [`Store::write`] on a database whose tables `f` creates first: the chain head is
    /// read when the first audit row is appended, not with the opening.
    pub(crate) fn write_new_schema<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let begin = format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({})",
            audit::CHAIN_LOCK
        );
        self.transaction(Some(begin), false, f)
    }

    /// Runs `f` in a read-only transaction that sees one snapshot of the database (for reads
    /// that write no audit row, and for `check`).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction(
            Some("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".to_string()),
            false,
            f,
        )
    }

    /// Runs `f`, which makes one statement, without a transaction around it: one statement
    /// sees one snapshot by itself, and a finder keystroke costs one round trip, not three.
    pub(crate) fn single<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction(None, false, f)
    }

    pub(crate) fn transaction<T>(
        &self,
        begin: Option<String>,
        read_head: bool,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.client_mut()?;
        self.transaction_on(
            &mut conn,
            &self.statements,
            self.connected.get(),
            begin,
            read_head,
            f,
        )
    }

    /// [`Store::write`] on a connection that is not the store's (yet): a login's last step.
    pub(crate) fn write_on<T>(
        &self,
        conn: &mut conn::Conn,
        statements: &RefCell<HashMap<String, Statement>>,
        connected: Connected,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let begin = format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({})",
            audit::CHAIN_LOCK
        );
        self.transaction_on(conn, statements, connected, Some(begin), true, f)
    }

    fn transaction_on<T>(
        &self,
        conn: &mut conn::Conn,
        statements: &RefCell<HashMap<String, Statement>>,
        connected: Connected,
        begin: Option<String>,
        read_head: bool,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let in_transaction = begin.is_some();
        // Only the owner reads the chain head: the server's append function does it for the
        // others.
        let read_head = read_head && connected == Connected::Owner;
        let mut tx = Tx {
            conn,
            statements,
            trips: self.trips.as_ref(),
            opening: begin,
            read_head,
            deferred: Vec::new(),
            head: None,
            committed: false,
            connected,
        };
        let outcome = f(&mut tx).and_then(|value| {
            if in_transaction && !tx.committed {
                tx.commit()?;
            } else {
                tx.send(&[])?;
            }
            Ok(value)
        });
        let begun = in_transaction && tx.opening.is_none();
        drop(tx);
        if outcome.is_err() && begun {
            // After a failed statement or commit; on a lost connection this fails too and
            // the server rolls back by itself. A row appended in it is gone again.
            self.trips.add();
            let _ = conn.batch_execute("ROLLBACK");
        }
        outcome
    }

    /// Verifies the whole audit chain, with its head, in one snapshot. A server has no
    /// `integrity_check`; its own checksums and `amcheck` are the DBA's.
    pub fn check(&self) -> Result<CheckReport> {
        // The whole chain: a user's role sees the rows of their own households only (a
        // beheerder's all).
        self.as_owner()?;
        if self.connected.get() == Connected::Gate {
            return Err(self.problem(ServerProblem::OwnerOnly("check")));
        }
        self.read(|tx| {
            let chain = audit::verify(tx)?;
            let schema_version = migrations::version(tx)?;
            Ok(CheckReport {
                integrity_problems: Vec::new(),
                chain,
                schema_version,
                // The server's anchor is issue 13's; nothing is said here.
                anchor: None,
            })
        })
    }
}

/// The database named by `config` (required: the roles are named after it).
fn database_name(config: &tokio_postgres::Config, location: &str) -> Result<String> {
    config
        .get_dbname()
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .ok_or_else(|| StoreError::Server {
            location: location.to_string(),
            problem: ServerProblem::Unreachable(
                "het adres noemt geen database (postgres://server/DATABASE)".into(),
            ),
        })
}

/// Connects with `config`, over TLS unless it says `sslmode=disable`.
fn open_connection(
    config: &tokio_postgres::Config,
    location: &str,
) -> std::result::Result<conn::Conn, conn::ConnectError> {
    match config.get_ssl_mode() {
        tokio_postgres::config::SslMode::Disable => conn::Conn::connect(config, NoTls),
        _ => match tls::connector(location) {
            Ok(tls) => conn::Conn::connect(config, tls),
            Err(e) => Err(conn::ConnectError::Setup(e)),
        },
    }
}

//! One connection to the server, used synchronously, that can send several statements in one
//! round trip.
//!
//! The `postgres` crate is a blocking wrapper around `tokio-postgres` that sends one statement
//! and waits for its answer before the next. Over a network each wait is a round trip, and the
//! store's budget (a dashboard in 3, a save in 4) needs the driver's pipelining: the opening
//! `BEGIN` and lock travel with the first query, a transaction's last writes with its `COMMIT`.
//! This wrapper keeps the synchronous shape (one current-thread runtime per connection, driven
//! only while a call waits) and adds [`Conn::pipeline`].

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use futures_util::Stream;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, Error, Row, Socket, Statement};

use crate::store::{BackendError, BackendErrorKind, Result, StoreError};

/// A parameter list.
pub type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

/// One statement of a [`Conn::pipeline`].
pub enum Step<'a> {
    /// Statements without parameters, in the simple protocol (`BEGIN …`, `COMMIT`).
    Simple(&'a str),
    /// A prepared statement with its parameters; its rows come back.
    Query(&'a Statement, Params<'a>),
    /// A prepared statement with its parameters; the number of rows it changed comes back.
    Execute(&'a Statement, Params<'a>),
}

/// What one step of a pipeline answered.
#[derive(Default)]
pub struct Answer {
    /// The rows of a [`Step::Query`].
    pub rows: Vec<Row>,
    /// The rows a [`Step::Execute`] changed (or a query's row count).
    pub count: u64,
}

/// A synchronous connection that can pipeline.
pub struct Conn {
    runtime: Runtime,
    client: Option<Client>,
    connection: Option<JoinHandle<()>>,
}

type Pending<'a> = Pin<Box<dyn Future<Output = std::result::Result<Answer, Error>> + 'a>>;

impl Conn {
    /// Connects with `config` over `tls`.
    pub fn connect<T>(config: &Config, tls: T) -> std::result::Result<Conn, ConnectError>
    where
        T: MakeTlsConnect<Socket> + 'static + Send,
        T::Stream: Send,
        <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ConnectError::Runtime)?;
        let (client, connection) = runtime
            .block_on(config.connect(tls))
            .map_err(ConnectError::Driver)?;
        // Spawned on this runtime, the connection makes progress whenever a call below waits.
        let connection = runtime.spawn(async move {
            let _ = connection.await;
        });
        Ok(Conn {
            runtime,
            client: Some(client),
            connection: Some(connection),
        })
    }

    fn client(&self) -> Result<&Client> {
        // Only `drop` takes the client out; this answer is never seen.
        self.client.as_ref().ok_or_else(|| {
            StoreError::Backend(BackendError {
                kind: BackendErrorKind::Connection,
                detail: "connection closed".into(),
            })
        })
    }

    /// Prepares several statements in one round trip.
    pub fn prepare_all(&mut self, sqls: &[&str]) -> Result<Vec<Statement>> {
        type Prepared<'a> =
            Pin<Box<dyn Future<Output = std::result::Result<Statement, Error>> + 'a>>;
        let client = self.client()?;
        let answers: Vec<Prepared<'_>> = sqls
            .iter()
            .map(|sql| Box::pin(client.prepare(sql)) as Prepared<'_>)
            .collect();
        self.runtime
            .block_on(in_order(answers))
            .into_iter()
            .map(|r| r.map_err(StoreError::from))
            .collect()
    }

    /// Sends every step before reading any answer: one round trip for all of them. The server
    /// runs them in order; each answer is its own (after a failed step, the later steps of a
    /// transaction fail too, and a pipelined `COMMIT` rolls back).
    pub fn pipeline(&mut self, steps: &[Step<'_>]) -> Result<Vec<Result<Answer>>> {
        let client = self.client()?;
        let answers: Vec<Pending<'_>> =
            steps
                .iter()
                .map(|step| match step {
                    Step::Simple(sql) => Box::pin(async move {
                        client.batch_execute(sql).await.map(|()| Answer::default())
                    }) as Pending<'_>,
                    Step::Query(statement, params) => Box::pin(async move {
                        let rows = client.query(*statement, params).await?;
                        let count = u64::try_from(rows.len()).unwrap_or(u64::MAX);
                        Ok(Answer { rows, count })
                    }),
                    Step::Execute(statement, params) => Box::pin(async move {
                        let count = client.execute(*statement, params).await?;
                        Ok(Answer {
                            rows: Vec::new(),
                            count,
                        })
                    }),
                })
                .collect();
        Ok(self
            .runtime
            .block_on(in_order(answers))
            .into_iter()
            .map(|r| r.map_err(StoreError::from))
            .collect())
    }

    /// Runs statements without parameters.
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        let client = self.client()?;
        Ok(self.runtime.block_on(client.batch_execute(sql))?)
    }

    /// Feeds the rows of a statement with `params` to `each` as they arrive (the whole audit
    /// log, a report's rows are not held in memory); `each` returns `false` to stop early.
    pub fn for_each_row_with(
        &mut self,
        statement: &Statement,
        params: Params<'_>,
        mut each: impl FnMut(Row) -> Result<bool>,
    ) -> Result<()> {
        let client = self.client()?;
        self.runtime.block_on(async {
            let rows = client.query_raw(statement, params.iter().copied()).await?;
            let mut rows = std::pin::pin!(rows);
            while let Some(row) = poll_fn(|cx| rows.as_mut().poll_next(cx)).await {
                if !each(row?)? {
                    break;
                }
            }
            Ok(())
        })
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Without its client the connection says goodbye to the server (instead of the server
        // logging an unexpected end of file) and ends.
        drop(self.client.take());
        if let Some(connection) = self.connection.take() {
            let _ = self
                .runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(1), connection).await });
        }
    }
}

/// Why a connection could not be opened.
#[derive(Debug)]
pub enum ConnectError {
    /// The driver's own error (unreachable, refused login, unknown database, TLS).
    Driver(Error),
    /// No runtime for the connection could be made (out of threads or file descriptors).
    Runtime(std::io::Error),
    /// The TLS set-up failed before connecting (an unusable `PGSSLROOTCERT`).
    Setup(StoreError),
}

/// Polls every future in the order given until all are done, so that each sends its request
/// in that order before any answer is awaited.
async fn in_order<'a, T>(mut futures: Vec<Pin<Box<dyn Future<Output = T> + 'a>>>) -> Vec<T> {
    let mut answers: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut pending = false;
        for (future, answer) in futures.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *answer = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    answers.into_iter().flatten().collect()
}

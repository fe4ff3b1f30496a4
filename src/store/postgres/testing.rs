//! For the tests: fresh databases on a throwaway server (`KEUKENTAFEL_TEST_PG`, the URL that
//! `scripts/pg-test-server start` prints). Not used by the app.

use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, NoTls};

use crate::store::location::{Location, ServerUrl};

/// The test server's URL, when one is given.
pub fn server() -> Option<String> {
    std::env::var("KEUKENTAFEL_TEST_PG")
        .ok()
        .filter(|v| !v.trim().is_empty())
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// Creates a new, empty database on the test server and returns its URL. The name holds the
/// process id and a counter, so parallel tests and test binaries never share one.
pub fn fresh_database(server: &str) -> Result<ServerUrl, String> {
    let mut admin = Client::connect(server, NoTls).map_err(|e| format!("{server}: {e}"))?;
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!("kt_{}_{n}_{nanos}", std::process::id());
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .map_err(|e| format!("CREATE DATABASE {name}: {e}"))?;
    let url = with_database(server, &name);
    match Location::parse(&url) {
        Ok(Location::Server(url)) => Ok(url),
        _ => Err(format!("not a server URL: {url}")),
    }
}

/// `server` with its database name replaced by `name`.
pub fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// A database of the test server that is dropped when this is (every test leaves the server
/// as it found it, so thousands of test runs do not fill the disk).
#[derive(Debug)]
pub struct Scratch {
    server: String,
    name: String,
    url: ServerUrl,
}

impl Scratch {
    /// A fresh database on `server`.
    pub fn new(server: &str) -> Result<Scratch, String> {
        let url = fresh_database(server)?;
        let name = url
            .secret()
            .split('?')
            .next()
            .and_then(|base| base.rsplit('/').next())
            .unwrap_or_default()
            .to_string();
        Ok(Scratch {
            server: server.to_string(),
            name,
            url,
        })
    }

    /// Its URL.
    pub fn url(&self) -> &ServerUrl {
        &self.url
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.name.starts_with("kt_")
            && let Ok(mut admin) = Client::connect(&self.server, NoTls)
        {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
            drop_roles(&mut admin, &self.name);
        }
    }
}

/// Drops the roles named after database `name` (its users' and its own, see PostgreSQL
/// migration 5): roles belong to the whole server, so a test leaves none behind.
pub fn drop_roles(admin: &mut Client, name: &str) {
    let pattern = format!("{}\\_%", name.replace('_', "\\_"));
    let Ok(rows) = admin.query(
        "SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname DESC",
        &[&pattern],
    ) else {
        return;
    };
    for row in rows {
        if let Ok(role) = row.try_get::<_, String>(0) {
            let quoted = format!("\"{}\"", role.replace('"', "\"\""));
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {quoted}"));
        }
    }
}

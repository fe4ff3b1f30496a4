//! Where the data lives: a database file (SQLite) or a PostgreSQL server, chosen by what
//! `--db`, `KEUKENTAFEL_DB` or `database = "…"` in `config.toml` says.
//!
//! A value that starts with `postgres://` or `postgresql://` is a server; anything that looks
//! like an address of another kind (`postgress://…`, `postgres:/x`, `http://…`) is refused, so
//! that a mistyped server address never silently becomes a new SQLite file of that name.

use std::path::{Path, PathBuf};

use crate::domain::Invalid;

/// A database location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file.
    File(PathBuf),
    /// A PostgreSQL server URL (kept whole, password included, for connecting).
    Server(ServerUrl),
}

/// A PostgreSQL connection URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl(String);

impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerUrl({})", self.shown())
    }
}

impl ServerUrl {
    /// The URL as given (with any password), for the driver only.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// The URL as shown in messages and audit details: any password replaced by `***`.
    pub fn shown(&self) -> String {
        hide_password(&self.0)
    }
}

impl Location {
    /// Reads a location; refuses text that looks like an address but is not a PostgreSQL one.
    pub fn parse(text: &str) -> Result<Location, Invalid> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Ok(Location::Server(ServerUrl(trimmed.to_string())));
        }
        let looks_like_address = lower.contains("://")
            || lower.starts_with("postgres")
                && lower
                    .chars()
                    .find(|c| !c.is_ascii_alphanumeric())
                    .is_some_and(|c| c == ':');
        if looks_like_address {
            return Err(Invalid::new(
                "db",
                format!(
                    "\"{}\" is geen databaseadres dat ik ken. Een server begint met postgres:// of postgresql://; een bestand is een pad. Er is niets gemaakt.",
                    hide_password(trimmed)
                ),
                format!(
                    "\"{}\" is not a database address I know. A server starts with postgres:// or postgresql://; a file is a path. Nothing was created.",
                    hide_password(trimmed)
                ),
            ));
        }
        Ok(Location::File(PathBuf::from(text)))
    }

    /// A file location.
    pub fn file(path: &Path) -> Location {
        Location::File(path.to_path_buf())
    }

    /// For messages: the path, or the server URL without password.
    pub fn shown(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Server(url) => url.shown(),
        }
    }
}

/// `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`.
fn hide_password(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = out[rest_start..]
            .find(['/', '?'])
            .map_or(out.len(), |i| rest_start + i);
        if let Some(at) = out[rest_start..authority_end].rfind('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                let from = rest_start + colon + 1;
                let to = rest_start + at;
                out.replace_range(from..to, "***");
            }
        }
    }
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let hidden: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out = format!("{head}{}", hidden.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_and_paths_are_told_apart() {
        assert!(matches!(
            Location::parse("postgres://kt@db.gemeente.nl/keukentafel"),
            Ok(Location::Server(_))
        ));
        assert!(matches!(
            Location::parse("PostgreSQL://kt@db/keukentafel"),
            Ok(Location::Server(_))
        ));
        assert_eq!(
            Location::parse("data/keukentafel.db"),
            Ok(Location::File(PathBuf::from("data/keukentafel.db")))
        );
        assert_eq!(
            Location::parse("postgres-backup.db"),
            Ok(Location::File(PathBuf::from("postgres-backup.db")))
        );
    }

    #[test]
    fn mistyped_addresses_are_refused_not_made_into_files() {
        for typo in [
            "postgress://kt@db/keukentafel",
            "postgres:/kt@db/keukentafel",
            "postgresql:kt@db",
            "mysql://db/keukentafel",
        ] {
            let err = Location::parse(typo).expect_err(typo);
            assert!(err.nl.contains("geen databaseadres"), "{typo}: {}", err.nl);
        }
    }

    #[test]
    fn passwords_never_show() {
        let Ok(Location::Server(url)) =
            Location::parse("postgres://kt:geheim123@db:5432/kt?sslmode=require&password=ook")
        else {
            panic!("server url");
        };
        let shown = url.shown();
        assert!(
            !shown.contains("geheim123") && !shown.contains("ook"),
            "{shown}"
        );
        assert_eq!(
            shown,
            "postgres://kt:***@db:5432/kt?sslmode=require&password=***"
        );
        let err = Location::parse("postgress://kt:geheim123@db/kt").expect_err("typo");
        assert!(!err.nl.contains("geheim123"));
    }
}

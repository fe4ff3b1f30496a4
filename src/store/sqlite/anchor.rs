//! The anchor of the audit chain outside the database file.
//!
//! A copy of the database file alone cannot rewrite the audit log undetected:
//!
//! - **The key** `<db>.ketensleutel` (32 random bytes, hex, mode 0600) is made when the database is
//!   made and never overwritten. Every audit row carries a MAC (HMAC-SHA256 with the key over
//!   the row's hash) in `audit_log.mac`, computed by the SQL function `keukentafel_mac` inside
//!   the transaction that inserts the row. Without the key no row can be forged or rewritten.
//! - **The witness** `<db>.ketenkop` (append-only, mode 0600) gets a line with the chain head
//!   (row id, hash, MAC) after every save that appended to the log. `check` compares: a log
//!   that ends before the witness's head was truncated; a row up to that head whose MAC does
//!   not verify was rewritten; a row after it whose MAC does not verify is a forged tail.
//! - **The kind** (demo or production) is the detail of the first audit row, which is keyed,
//!   so flipping `meta.kind` is detected by `check` and refused by `demo`.
//!
//! A database made before the anchor existed has no key file; it keeps working, and `check`
//! says that its chain is not anchored.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::store::audit::{AnchorBreak, AnchorState};

/// The key file's suffix after the database file name.
pub const KEY_SUFFIX: &str = ".ketensleutel";
/// The witness file's suffix after the database file name.
pub const WITNESS_SUFFIX: &str = ".ketenkop";
/// The SQL function that MACs a row hash: `keukentafel_mac(id, hash)`.
pub const MAC_FUNCTION: &str = "keukentafel_mac";

/// The key file beside `db`.
pub fn key_path(db: &Path) -> PathBuf {
    with_suffix(db, KEY_SUFFIX)
}

/// The witness file beside `db`.
pub fn witness_path(db: &Path) -> PathBuf {
    with_suffix(db, WITNESS_SUFFIX)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// HMAC-SHA256 (RFC 2104) of `message` with `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// The key of one database.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// The MAC of a row hash, hex.
    pub fn mac(&self, hash: &str) -> String {
        hex::encode(hmac_sha256(&self.0, hash.as_bytes()))
    }

    /// Whether `mac` is the MAC of `hash`.
    pub fn verifies(&self, hash: &str, mac: &str) -> bool {
        // Both sides are hex of a fixed length; compare without an early exit.
        let want = self.mac(hash);
        want.len() == mac.len()
            && want
                .bytes()
                .zip(mac.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// Reads the key beside `db`; `None` when there is no key file.
    pub fn load(db: &Path) -> io::Result<Option<Key>> {
        Key::load_file(&key_path(db))
    }

    /// Reads a key file; `None` when it does not exist.
    pub fn load_file(path: &Path) -> io::Result<Option<Key>> {
        let mut text = String::new();
        match File::open(path) {
            Ok(f) => {
                f.take(200).read_to_string(&mut text)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        }
        let bytes = hex::decode(text.trim()).map_err(|_| bad_key())?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| bad_key())?;
        Ok(Some(Key(key)))
    }

    /// Writes this key to `path` as a new file (0600); never replaces an existing file.
    pub fn write_new(&self, path: &Path) -> io::Result<()> {
        write_new_private(path, format!("{}\n", hex::encode(self.0)).as_bytes())
    }

    /// Makes a new random key and writes it beside `db`; refuses when a key file exists.
    pub fn create(db: &Path) -> io::Result<Key> {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        let mut bytes = [0u8; 32];
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| io::Error::other(e.to_string()))?;
        let key = Key(bytes);
        key.write_new(&key_path(db))?;
        Ok(key)
    }
}

fn bad_key() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "het sleutelbestand is beschadigd (geen 64 hexadecimale tekens)",
    )
}

/// Writes `bytes` to a new file at `path` (0600), atomically: a temporary file beside it is
/// written and synced, then hard-linked to `path`, which fails when `path` exists.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.nieuw", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let result = (|| {
        let mut f = open_private(&temp, true)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::hard_link(&temp, path)?;
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    let _ = std::fs::remove_file(&temp);
    result
}

#[cfg(unix)]
fn open_private(path: &Path, new: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = OpenOptions::new();
    if new {
        o.write(true).create_new(true);
    } else {
        o.append(true).create(true);
    }
    o.mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path, new: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    if new {
        o.write(true).create_new(true);
    } else {
        o.append(true).create(true);
    }
    o.open(path)
}

/// A chain head as the witness records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The row id.
    pub id: i64,
    /// Its hash.
    pub hash: String,
    /// Its MAC.
    pub mac: String,
}

/// What a witness file says.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Witness {
    /// Whether it begins at the database's creation (row 1) or at a restore.
    pub begins_well: bool,
    /// The checkpoint of row 1, when recorded.
    pub first: Option<Checkpoint>,
    /// The newest checkpoint since the last restore.
    pub newest: Option<Checkpoint>,
}

/// What a witness line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The head after a save.
    Head,
    /// The head of a restored database: the witness starts again here.
    Restore,
    /// The head of a backup copy: its witness starts here.
    Copy,
}

/// Appends a checkpoint line to the witness of `db`.
pub fn append_checkpoint(db: &Path, cp: &Checkpoint, mark: Mark) -> io::Result<()> {
    let word = match mark {
        Mark::Head => "kop",
        Mark::Restore => "herstel",
        Mark::Copy => "kopie",
    };
    let line = format!("{word} {} {} {}\n", cp.id, cp.hash, cp.mac);
    let mut f = open_private(&witness_path(db), false)?;
    // One write: appends of other processes never interleave within the line.
    f.write_all(line.as_bytes())
}

/// Reads the witness of `db`; `None` when there is none.
pub fn read_witness(db: &Path) -> io::Result<Option<Witness>> {
    let text = match std::fs::read_to_string(witness_path(db)) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut w = Witness::default();
    let mut seen_any = false;
    for line in text.lines() {
        let mut parts = line.split(' ');
        let (Some(word), Some(id), Some(hash), Some(mac), None) = (
            parts.next(),
            parts.next().and_then(|v| v.parse::<i64>().ok()),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            // A line cut short by a crash mid-write.
            continue;
        };
        let cp = Checkpoint {
            id,
            hash: hash.to_string(),
            mac: mac.to_string(),
        };
        match word {
            "kop" => {
                if !seen_any {
                    w.begins_well = id == 1;
                }
                if id == 1 && w.first.is_none() {
                    w.first = Some(cp.clone());
                }
                if w.newest.as_ref().is_none_or(|n| n.id < id) {
                    w.newest = Some(cp);
                }
            }
            // A restore, or the witness of a backup copy: the chain is witnessed from here on.
            "herstel" | "kopie" => {
                if !seen_any {
                    w.begins_well = true;
                }
                w.newest = Some(cp);
            }
            _ => continue,
        }
        seen_any = true;
    }
    Ok(Some(w))
}

/// The key of an open store and the head its last save appended, for the witness.
#[derive(Debug)]
pub(crate) struct Anchor {
    pub(crate) key: Key,
    pending: Mutex<Option<Checkpoint>>,
}

impl Anchor {
    pub(crate) fn new(key: Key) -> Arc<Anchor> {
        Arc::new(Anchor {
            key,
            pending: Mutex::new(None),
        })
    }

    /// The newest row of the log behind `conn`, with its MAC (`None` when it has none).
    pub(crate) fn head_of(conn: &rusqlite::Connection) -> rusqlite::Result<Option<Checkpoint>> {
        use rusqlite::OptionalExtension;
        let head: Option<(i64, String, Option<String>)> = conn
            .query_row(
                "SELECT id, hash, mac FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(head.and_then(|(id, hash, mac)| mac.map(|mac| Checkpoint { id, hash, mac })))
    }

    /// The head appended by the transaction that is running, taken.
    pub(crate) fn take_pending(&self) -> Option<Checkpoint> {
        self.pending.lock().ok().and_then(|mut p| p.take())
    }

    fn set_pending(&self, cp: Checkpoint) {
        if let Ok(mut p) = self.pending.lock() {
            *p = Some(cp);
        }
    }
}

/// Registers `keukentafel_mac(id, hash)` on `conn`: the MAC of `hash` with the key, or NULL
/// when the database has no key. Each call remembers `(id, hash, mac)` as the head to write to
/// the witness once the transaction commits.
pub(crate) fn register(
    conn: &rusqlite::Connection,
    anchor: Option<Arc<Anchor>>,
) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        MAC_FUNCTION,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        move |ctx| {
            let Some(anchor) = &anchor else {
                return Ok(None);
            };
            let id: i64 = ctx.get(0)?;
            let hash: String = ctx.get(1)?;
            let mac = anchor.key.mac(&hash);
            anchor.set_pending(Checkpoint {
                id,
                hash,
                mac: mac.clone(),
            });
            Ok(Some(mac))
        },
    )
}

/// One audit row as the anchor check sees it.
pub(crate) struct AnchorRow<'a> {
    pub(crate) id: i64,
    pub(crate) hash: &'a str,
    pub(crate) mac: Option<&'a str>,
    /// The detail, for the first row (the database's creation names its kind).
    pub(crate) detail: Option<&'a str>,
}

/// What [`AnchorWalk`] is given: the key (if any) and the witness (`None` when there should
/// be none, as for a backup file checked on its own).
pub(crate) struct AnchorInput {
    pub(crate) key: Option<Key>,
    pub(crate) witness: Option<Option<Witness>>,
}

impl AnchorInput {
    /// The MACs only, with `key`: for a file checked on its own (a backup).
    pub(crate) fn file(key: Option<Key>) -> AnchorInput {
        AnchorInput { key, witness: None }
    }
}

/// Checks the rows against the key and the witness, in id order.
pub(crate) struct AnchorWalk {
    input: AnchorInput,
    meta_kind: Option<String>,
    any_mac: bool,
    first_seen: bool,
    first_bad: Option<i64>,
    broken: Option<AnchorBreak>,
    last_id: i64,
    newest_matches: Option<bool>,
}

impl AnchorWalk {
    pub(crate) fn new(input: AnchorInput, meta_kind: Option<String>) -> AnchorWalk {
        AnchorWalk {
            input,
            meta_kind,
            any_mac: false,
            first_seen: false,
            first_bad: None,
            broken: None,
            last_id: 0,
            newest_matches: None,
        }
    }

    pub(crate) fn row(&mut self, row: &AnchorRow<'_>) {
        self.last_id = row.id;
        self.any_mac |= row.mac.is_some();
        let Some(key) = &self.input.key else {
            return;
        };
        let sound = row.mac.is_some_and(|m| key.verifies(row.hash, m));
        if !self.first_seen {
            self.first_seen = true;
            if !sound {
                self.broken.get_or_insert(AnchorBreak::Replaced);
            } else if let (Some(made), Some(meta)) = (row.detail, &self.meta_kind)
                && made != meta
            {
                self.broken.get_or_insert(AnchorBreak::KindFlipped {
                    made: made.to_string(),
                    meta: meta.clone(),
                });
            }
            if let Some(Some(w)) = &self.input.witness
                && let Some(first) = &w.first
                && (first.id != row.id
                    || first.hash != row.hash
                    || Some(first.mac.as_str()) != row.mac)
            {
                self.broken.get_or_insert(AnchorBreak::Replaced);
            }
        }
        if !sound && self.first_bad.is_none() {
            self.first_bad = Some(row.id);
        }
        if let Some(Some(w)) = &self.input.witness
            && let Some(newest) = &w.newest
            && newest.id == row.id
        {
            self.newest_matches =
                Some(newest.hash == row.hash && Some(newest.mac.as_str()) == row.mac);
        }
    }

    pub(crate) fn finish(self) -> AnchorState {
        let Some(_) = &self.input.key else {
            return if self.any_mac {
                AnchorState::Broken(AnchorBreak::KeyMissing)
            } else {
                AnchorState::NotAnchored
            };
        };
        if let Some(b) = self.broken {
            return AnchorState::Broken(b);
        }
        let witness = match self.input.witness {
            // A file checked on its own (a backup): only the MACs.
            None => {
                return match self.first_bad {
                    Some(id) => AnchorState::Broken(AnchorBreak::Rewritten(id)),
                    None => AnchorState::Anchored { witnessed: None },
                };
            }
            Some(None) => return AnchorState::Broken(AnchorBreak::WitnessMissing),
            Some(Some(w)) => w,
        };
        if !witness.begins_well {
            return AnchorState::Broken(AnchorBreak::WitnessMissing);
        }
        let newest = witness.newest.as_ref().map_or(0, |n| n.id);
        if let Some(id) = self.first_bad {
            return AnchorState::Broken(if id <= newest {
                AnchorBreak::Rewritten(id)
            } else {
                AnchorBreak::ForgedTail(id)
            });
        }
        if self.last_id < newest {
            return AnchorState::Broken(AnchorBreak::Truncated {
                witnessed: newest,
                last: self.last_id,
            });
        }
        if self.newest_matches == Some(false) {
            return AnchorState::Broken(AnchorBreak::Rewritten(newest));
        }
        AnchorState::Anchored {
            witnessed: Some(newest),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_test_cases_1_and_2() {
        let mac = hmac_sha256(&[0x0b; 20], b"Hi There");
        assert_eq!(
            hex::encode(mac),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hmac_matches_rfc_4231_test_case_6_with_a_long_key() {
        let mac = hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex::encode(mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_key_file_is_never_overwritten_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let key = Key::create(&db).unwrap();
        assert!(Key::create(&db).is_err());
        assert_eq!(Key::load(&db).unwrap(), Some(key));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key_path(&db))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 1, "no temporary file is left");
    }
}

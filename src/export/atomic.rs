//! Writing an export file: a private temporary file in the target's directory, renamed into
//! place only when complete, so that a failure never leaves a partial file behind.

use std::path::{Path, PathBuf};

use crate::private_file::write_private;

use crate::i18n::{Lang, Localize};

/// An export that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("Kan {path} niet schrijven: {source}. Er is geen bestand achtergelaten.")]
pub struct ExportError {
    /// The file asked for.
    pub path: PathBuf,
    /// The cause.
    pub source: std::io::Error,
}

impl Localize for ExportError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.to_string(),
            Lang::En => format!(
                "Cannot write {}: {}. No file was left behind.",
                self.path.display(),
                self.source
            ),
        }
    }
}

/// Writes `bytes` to `path` (mode 0600 on Unix) through [`write_private`]: a synced temporary
/// file next to it, renamed over `path`. On any failure `path` is left as it was and no
/// temporary file remains.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let fail = |source| ExportError {
        path: path.to_path_buf(),
        source,
    };
    if path.file_name().is_none() {
        return Err(fail(std::io::Error::other("geen bestandsnaam")));
    }
    if path.is_dir() {
        return Err(fail(std::io::Error::other("dat is een map")));
    }
    write_private(path, bytes).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_leaves_nothing_and_says_so() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("nope").join("plan.txt");
        let err = write_atomically(&path, b"x").unwrap_err();
        assert!(err.to_string().contains("Kan "), "{err}");
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_and_complete() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("plan.txt");
        std::fs::write(&path, b"old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

//! Sending a PDF plan to the system's printer through `lp` or `lpr`.

use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Localize};

/// Printing failed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// Neither `lp` nor `lpr` is on the PATH.
    #[error(
        "Er is geen printer op deze computer (lp en lpr ontbreken). Sla het plan op als PDF en print het op een andere computer."
    )]
    NoPrinter,
    /// The temporary file for the printer could not be written.
    #[error(transparent)]
    Write(#[from] crate::export::ExportError),
    /// The print command could not be started.
    #[error("Kon {0} niet starten: {1}. Er is niets geprint.")]
    Start(PathBuf, std::io::Error),
    /// The print command refused.
    #[error("De printer weigerde het plan ({0} gaf {1}). Er is niets geprint.")]
    Refused(PathBuf, std::process::ExitStatus),
}

impl Localize for PrintError {
    fn localize(&self, lang: Lang) -> String {
        if lang == Lang::Nl {
            return self.to_string();
        }
        match self {
            PrintError::NoPrinter => "There is no printer on this computer (lp and lpr are missing). Save the plan as a PDF and print it on another computer.".into(),
            PrintError::Write(e) => e.localize(lang),
            PrintError::Start(p, e) => format!("Could not start {}: {e}. Nothing was printed.", p.display()),
            PrintError::Refused(p, s) => format!("The printer refused the plan ({} returned {s}). Nothing was printed.", p.display()),
        }
    }
}

/// `lp` or `lpr` on the PATH.
pub fn find_printer() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["lp", "lpr"].into_iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Sends `pdf` to `printer` through a private temporary file, removed afterwards.
pub fn send_to_printer(printer: &Path, pdf: &[u8]) -> Result<(), PrintError> {
    let file = std::env::temp_dir().join(format!("keukentafel-plan-{}.pdf", std::process::id()));
    crate::export::write_atomically(&file, pdf)?;
    let status = std::process::Command::new(printer)
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .status();
    let _ = std::fs::remove_file(&file);
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(PrintError::Refused(printer.to_path_buf(), s)),
        Err(e) => Err(PrintError::Start(printer.to_path_buf(), e)),
    }
}

//! Exports: the fridge plan (txt, HTML, PDF) and the steering figures (table, CSV, JSON).
//! Renderers are pure (data in, bytes out); [`write_atomically`] puts bytes in a file without
//! ever leaving a partial one behind.

pub mod atomic;
pub mod plan;
pub mod report;

pub use atomic::{ExportError, write_atomically};

//! Data exchange with the municipality's other systems and with providers: worklists as CSV
//! for Dutch Excel, the iWmo/iJw 3.2 messages (the 301 toewijzing and the 319 antwoord out;
//! the 305 start, 307 stop, 315 verzoek om toewijzing and 317 verzoek om wijziging in), and the
//! imports of providers with their contracts and of "dat"-flags.
//!
//! Everything here is pure (rows to bytes, bytes to checked rows) except [`official`], which
//! runs the Zorginstituut's XSD and rule checks as programs. Reading and writing the database
//! happens in `store` (`exchange.rs`, `imports.rs`, `messages.rs`), writing files in
//! [`crate::private_file`].

pub mod antwoord;
pub mod berichten;
pub mod csv;
pub mod cycle;
pub mod import;
pub mod official;
pub mod toewijzing;
pub mod worklist_csv;
pub mod xml;

//! Data exchange with the municipality's other systems and with providers: worklists as CSV
//! for Dutch Excel, toewijzingen as iWmo/iJw 3.2 301 messages (XML), and the imports of
//! providers with their contracts and of "dat"-flags.
//!
//! Everything here is pure: it turns rows into bytes and bytes into checked rows. Reading and
//! writing the database happens in `store` (`exchange.rs`, `imports.rs`), writing files in
//! [`crate::private_file`].

pub mod csv;
pub mod import;
pub mod toewijzing;
pub mod worklist_csv;

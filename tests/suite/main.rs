//! The behaviour suite: one test binary whose stories run against every backend (see
//! `common`). Each area has its own module.

mod common;

mod accounts;
mod backoffice;
mod conflicts;
mod households;
mod server;

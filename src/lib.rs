//! keukentafel: registration in seconds for Dutch buurtteams.
//!
//! The crate is a library plus a thin binary. `domain` holds pure rules, `store` all SQL,
//! `auth` passwords, sessions and the access policy, `cli` the command line.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod exchange;
pub mod export;
pub mod i18n;
pub mod model;
pub mod private_file;
pub mod store;
pub mod theme;
pub mod tui;
pub mod ui;

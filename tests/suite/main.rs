//! The behaviour suite: the one integration test binary. Its stories run against every
//! backend (see `common`); the shared fixtures are `common` (databases on each backend),
//! `support` (the key-script harness on a demo database), `privacy_world` and
//! `exchange_world` (a small staffed database), and `processes` (child processes of this
//! binary for the crash and concurrency tests). Each area has its own module.

mod common;
mod exchange_world;
mod privacy_world;
mod processes;
mod support;

mod accounts;
mod anchor;
mod app_flow;
mod audit_cli;
mod avg;
mod backoffice;
mod backup;
mod berichten;
mod cli;
mod concurrency;
mod conflicts;
mod contact_habits;
mod contract;
mod crash;
mod demo_scale;
mod e2e;
#[cfg(feature = "encryption")]
mod encryption;
mod entry;
mod entry_screens;
mod exchange_csv;
mod finder;
mod finder_props;
mod help_roles;
mod home_bounds;
mod households;
mod imports;
mod json_words;
mod limits;
mod lock;
mod logins;
mod messages;
mod palette_props;
mod pg_backend;
mod plan;
mod plan_report_cli;
mod provisions;
mod reference_config;
mod report;
mod report_screen;
mod requests_screen;
mod roles;
mod screens;
mod server;
mod server_policy;
mod store;
mod toewijzing_xml;
mod undo_audit;
mod validators_props;
mod worklist_pages;
mod worklists;

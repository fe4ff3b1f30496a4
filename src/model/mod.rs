//! Plain data shared by the app, the ui, export, exchange and every store backend: what a
//! backend returns and what it is asked to write. No SQL and no terminal here.

pub mod access_log;
pub mod admin;
pub mod avg;
pub mod changes;
pub mod dashboard;
pub mod demo;
pub mod exchange;
pub mod finder;
pub mod home;
pub mod imports;
pub mod incoming;
pub mod messages;
pub mod plan;
pub mod providers;
pub mod report;
pub mod users;
pub mod worklists;

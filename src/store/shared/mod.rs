//! What both backends share that is not SQL: how values are stored as text, the rules of
//! logging in, what a change is to the policy, the pure rules of the message cycle. The
//! SQLite and PostgreSQL modules call these, so that the two cannot drift apart.

pub mod codec;
pub mod exchange;
pub mod login;
pub mod records;
pub mod search;
pub mod worklist_filter;

/// How many of my households home lists (most urgent first).
pub const HOME_HOUSEHOLDS: i64 = 500;

/// How many of my due agreements home lists of each group (this week's, the overdue ones),
/// earliest first; the totals count them all.
pub const HOME_AGREEMENTS: i64 = 200;

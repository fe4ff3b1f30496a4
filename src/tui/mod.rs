//! The terminal shell around the pure app: terminal set-up and restore, the event loop and
//! the executor that runs effects.

pub mod executor;

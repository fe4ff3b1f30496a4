//! The terminal app's pure core (The Elm Architecture): state, messages, `update`, key map.
//! No IO happens here; the executor in `tui` runs the effects.

pub mod keymap;
pub mod reports;
pub mod state;
pub mod update;

pub use state::App;
pub use update::{Effect, Msg, update};

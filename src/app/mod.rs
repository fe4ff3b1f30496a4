//! The terminal app's pure core (The Elm Architecture): state, messages, `update`, key map.
//! No IO happens here; the executor in `tui` runs the effects.

mod action;
mod acts;
pub mod effect;
pub mod form;
pub mod forms;
pub mod help;
pub mod keybinding;
pub mod keymap;
pub mod layers;
pub mod msg;
mod navigation;
pub mod palette;
pub mod providers;
pub mod reports;
pub mod requests;
pub mod roles;
pub mod session;
pub mod state;
pub mod text_input;
pub mod update;
pub mod worklist;
pub mod zrm_grid;

pub use state::App;
pub use update::{Effect, Msg, update};

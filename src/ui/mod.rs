//! Rendering: a pure function of the app state. No IO, no queries.

use ratatui::Frame;

use crate::app::App;

/// Draws the whole screen for `app`.
pub fn view(app: &App, frame: &mut Frame) {
    let _ = (app, frame);
}

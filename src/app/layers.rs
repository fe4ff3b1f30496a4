//! The layer stack: every key and every paste goes down the layers from the top until one
//! consumes it. A layer handles what is its own and passes the rest on; nothing depends on the
//! order of `if`s elsewhere.
//!
//! From the top:
//! 1. [`Layer::Session`]: the lock key, over everything once someone is logged in;
//! 2. [`Layer::TooSmall`]: while "Maak het venster groter" shows, only quit passes;
//! 3. [`Layer::Help`], [`Layer::Palette`], [`Layer::Overlay`] (a form, the ZRM grid, the flag
//!    list, samen kijken): each is modal and consumes every key while open;
//! 4. [`Layer::Screen`]: the screen's own keys and its text field (login, finder, worklist
//!    filter);
//! 5. [`Layer::Global`]: help, the finder and the palette from any screen.
//!
//! A paste is text for the topmost layer with a focused text field; it never becomes keys.

use crossterm::event::KeyEvent;

use super::acts;
use super::keymap::{Action, Context, Typing};
use super::session::lock;
use super::state::{App, LoginField, Notice, NoticeKind, Overlay, Screen};
use super::update::{self, Effect};

/// One layer of the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// Locking, over everything.
    Session,
    /// The terminal is too small.
    TooSmall,
    /// The help overlay.
    Help,
    /// The command palette.
    Palette,
    /// A form, grid or view over the screen.
    Overlay,
    /// The current screen.
    Screen,
    /// Keys that work from every screen.
    Global,
}

/// What reaches a layer.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// A key press.
    Key(&'a KeyEvent),
    /// Pasted text.
    Paste(&'a str),
}

/// A layer's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handled {
    /// The layer took the input; run these effects.
    Consumed(Vec<Effect>),
    /// Not this layer's: the next one down gets it.
    Passed,
}

/// The layers present now, topmost first.
pub fn stack(app: &App) -> Vec<Layer> {
    let mut layers = Vec::with_capacity(7);
    if app.user.is_some() && !matches!(app.screen, Screen::Login(_)) {
        layers.push(Layer::Session);
    }
    if app.too_small() {
        layers.push(Layer::TooSmall);
    }
    if app.help.is_some() {
        layers.push(Layer::Help);
    }
    if app.palette.is_some() {
        layers.push(Layer::Palette);
    }
    if app.overlay.is_some() {
        layers.push(Layer::Overlay);
    }
    layers.push(Layer::Screen);
    layers.push(Layer::Global);
    layers
}

/// Sends `input` down the stack.
pub(super) fn dispatch(app: &mut App, input: Input<'_>) -> Vec<Effect> {
    for layer in stack(app) {
        if let Handled::Consumed(effects) = handle(app, layer, input) {
            return effects;
        }
    }
    Vec::new()
}

fn handle(app: &mut App, layer: Layer, input: Input<'_>) -> Handled {
    match (layer, input) {
        (Layer::Session, Input::Key(key)) => {
            let (ctx, _) = update::context(&app.screen);
            let locks = [Context::Global, ctx]
                .iter()
                .any(|c| app.keymap.action(*c, key, Typing::No) == Some(Action::Lock));
            if locks {
                Handled::Consumed(lock(app))
            } else {
                Handled::Passed
            }
        }
        (Layer::Session, Input::Paste(_)) => Handled::Passed,
        (Layer::TooSmall, Input::Key(key)) => {
            let (ctx, typing) = update::context(&app.screen);
            if app.keymap.action(ctx, key, typing) == Some(Action::Quit) {
                Handled::Passed
            } else {
                Handled::Consumed(Vec::new())
            }
        }
        (Layer::TooSmall | Layer::Help, Input::Paste(_)) => Handled::Consumed(Vec::new()),
        (Layer::Help, Input::Key(key)) => Handled::Consumed(update::on_help_key(app, key)),
        (Layer::Palette, Input::Key(key)) => Handled::Consumed(update::on_palette_key(app, key)),
        (Layer::Palette, Input::Paste(text)) => {
            if let Some(palette) = &mut app.palette {
                palette.query.paste(text);
                palette.selected = 0;
            }
            Handled::Consumed(Vec::new())
        }
        (Layer::Overlay, Input::Key(key)) => Handled::Consumed(acts::overlay_key(app, key)),
        (Layer::Overlay, Input::Paste(text)) => Handled::Consumed(overlay_paste(app, text)),
        (Layer::Screen, Input::Key(key)) => {
            let (ctx, typing) = update::context(&app.screen);
            let action = app.keymap.action(ctx, key, typing);
            update::screen_act(app, action, key)
        }
        (Layer::Screen, Input::Paste(text)) => screen_paste(app, text),
        (Layer::Global, Input::Key(key)) => {
            let (ctx, typing) = update::context(&app.screen);
            let action = app.keymap.action(ctx, key, typing);
            Handled::Consumed(update::global_act(app, action, key))
        }
        (Layer::Global, Input::Paste(_)) => {
            say(
                app,
                "Plakken kan alleen in een tekstveld.",
                "Pasting works in a text field only.",
            );
            Handled::Consumed(Vec::new())
        }
    }
}

fn say(app: &mut App, nl: &str, en: &str) {
    let text = app.t(nl, en).to_string();
    app.notice = Some(Notice {
        text,
        kind: NoticeKind::Info,
    });
}

/// A paste into the overlay: the focused text field of a form takes it; nothing else does.
fn overlay_paste(app: &mut App, text: &str) -> Vec<Effect> {
    let lang = app.lang;
    let Some(Overlay::Form(mut form)) = app.overlay.take() else {
        say(
            app,
            "Plakken kan alleen in een tekstveld.",
            "Pasting works in a text field only.",
        );
        return Vec::new();
    };
    if form.confirm_discard || form.saving {
        app.overlay = Some(Overlay::Form(form));
        return Vec::new();
    }
    match form.fields.paste(text, lang) {
        Some(pasted) => {
            if pasted.kept > 0 {
                super::forms::refresh(&mut form, acts::env(app));
            }
        }
        None => say(
            app,
            "Dit veld is een keuze; plakken kan alleen in een tekstveld.",
            "This field is a choice; pasting works in a text field only.",
        ),
    }
    app.overlay = Some(Overlay::Form(form));
    Vec::new()
}

/// A paste into the screen's own text field (login, finder, worklist filter).
fn screen_paste(app: &mut App, text: &str) -> Handled {
    let lang = app.lang;
    let (pasted, effects) = match &mut app.screen {
        Screen::Login(form) => {
            let field = match form.focus {
                LoginField::Username => &mut form.username,
                LoginField::Password => &mut form.password,
            };
            form.error = None;
            (field.paste(text), Vec::new())
        }
        Screen::Finder(finder) => {
            let before = finder.query.as_str().to_string();
            let pasted = finder.query.paste(text);
            let effects = match super::navigation::searched(finder, &before) {
                super::navigation::Step::Stay(effects) => effects,
                _ => Vec::new(),
            };
            (pasted, effects)
        }
        Screen::Worklist { view, .. } => {
            let before = view.filter.as_str().to_string();
            let pasted = view.filter.paste(text);
            let effects = super::worklist::filtered(view, &before);
            (pasted, effects)
        }
        _ => return Handled::Passed,
    };
    if pasted.needs_saying() {
        app.notice = Some(Notice {
            text: pasted.message(lang),
            kind: NoticeKind::Warning,
        });
    }
    Handled::Consumed(effects)
}

//! Fuzzes the command palette with typed command lines: filtering never panics, every match is
//! one of the screen's commands, and the chosen command (Enter) is the first match.

#![no_main]

use keukentafel::app::keymap::{Context, KeyMap};
use keukentafel::app::palette::{Palette, fuzzy_score};
use keukentafel::i18n::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let keymap = KeyMap::default();
    for context in [Context::Dashboard, Context::Home, Context::Finder] {
        let mut palette = Palette::open(&keymap, context, Lang::Nl);
        palette.query = text.chars().take(60).collect();
        let matches = palette.matches();
        for m in &matches {
            assert!(palette.commands.contains(m), "{m:?} is not a command");
        }
        assert_eq!(palette.chosen(), matches.first().map(|c| c.action));
        for c in &palette.commands {
            let _ = fuzzy_score(text, &c.label);
        }
    }
});

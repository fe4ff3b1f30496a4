//! The command palette's properties, as its fuzz target checks them, in the normal test suite.

use keukentafel::app::keymap::{Context, KeyMap};
use keukentafel::app::palette::{Palette, fuzzy_score};
use keukentafel::i18n::Lang;
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_typed_text_filters_to_commands_of_the_screen(text in "\\PC{0,40}") {
        let mut palette = Palette::open(&KeyMap::default(), Context::Dashboard, Lang::Nl);
        palette.query.set(&text);
        let matches = palette.matches();
        for m in &matches {
            prop_assert!(palette.commands.contains(m));
        }
        prop_assert_eq!(palette.chosen(), matches.first().map(|c| c.action));
    }

    #[test]
    fn a_command_is_found_by_its_own_name_in_any_case(i in 0usize..40, upper in any::<bool>()) {
        let mut palette = Palette::open(&KeyMap::default(), Context::Dashboard, Lang::Nl);
        let n = palette.commands.len();
        let command = palette.commands[i % n].clone();
        palette.query.set(&if upper { command.label.to_uppercase() } else { command.label.clone() });
        prop_assert!(palette.matches().contains(&&command), "{} not found", command.label);
    }

    #[test]
    fn the_empty_query_lists_everything_and_scores_never_panic(text in "\\PC{0,30}", label in "\\PC{0,30}") {
        let mut palette = Palette::open(&KeyMap::default(), Context::Home, Lang::En);
        prop_assert_eq!(palette.matches().len(), palette.commands.len());
        palette.query.clear();
        let _ = fuzzy_score(&text, &label);
    }
}

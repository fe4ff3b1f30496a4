//! A keyboard form: a column of fields edited in place. Text fields have a cursor; choice
//! fields cycle with ←/→ or space and jump to an option by its first letter. Nothing here knows
//! what the form is for: `forms.rs` builds each form and turns it into a change.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::text_input::{Pasted, TextInput};
use crate::domain::text::fold;

/// One option of a choice field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The stored code (`""` for "none").
    pub code: String,
    /// What the user sees.
    pub label: String,
}

impl Choice {
    /// An option.
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            code: code.into(),
            label: label.into(),
        }
    }
}

/// What a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text (its maximum length is in the field's [`TextInput`]).
    Text,
    /// One of a list.
    Choice {
        /// The options.
        options: Vec<Choice>,
        /// The chosen one.
        selected: usize,
    },
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// A stable name the form logic uses.
    pub key: &'static str,
    /// The label, in the user's language.
    pub label: String,
    /// The typed text and its cursor (text fields).
    pub input: TextInput,
    /// Text or choice.
    pub kind: FieldKind,
    /// Why the value is refused, shown next to the field.
    pub error: Option<String>,
    /// A warning that does not stop saving (an address already in use, a date in the past).
    pub warning: Option<String>,
    /// A live reading of the value (the date `vr` stands for).
    pub hint: Option<String>,
    /// What the last paste kept ("200 van 5.000 tekens bewaard"), until the next edit.
    pub note: Option<String>,
    /// Whether the user changed this field (so a guessed value no longer follows other fields).
    pub touched: bool,
    /// A prefilled value that the first typed character replaces (the usual minutes).
    pub replace_on_type: bool,
}

impl Field {
    /// A text field with a starting value.
    pub fn text(key: &'static str, label: impl Into<String>, value: &str, max: usize) -> Field {
        Field {
            key,
            label: label.into(),
            input: TextInput::new(value, max),
            kind: FieldKind::Text,
            error: None,
            warning: None,
            hint: None,
            note: None,
            touched: false,
            replace_on_type: false,
        }
    }

    /// The same field, its prefilled value replaced by the first character typed into it
    /// (another key, such as an arrow, keeps it for editing).
    pub fn replaced_by_typing(mut self) -> Field {
        self.replace_on_type = true;
        self
    }

    /// A choice field with the option whose code is `selected` chosen (the first otherwise).
    pub fn choice(
        key: &'static str,
        label: impl Into<String>,
        options: Vec<Choice>,
        selected: &str,
    ) -> Field {
        let selected = options.iter().position(|o| o.code == selected).unwrap_or(0);
        Field {
            key,
            label: label.into(),
            input: TextInput::default(),
            kind: FieldKind::Choice { options, selected },
            error: None,
            warning: None,
            hint: None,
            note: None,
            touched: false,
            replace_on_type: false,
        }
    }

    /// The chosen option's code (choice fields) or the typed text.
    pub fn code(&self) -> &str {
        match &self.kind {
            FieldKind::Text => self.input.as_str(),
            FieldKind::Choice { options, selected } => {
                options.get(*selected).map_or("", |o| o.code.as_str())
            }
        }
    }

    /// What the field shows.
    pub fn shown(&self) -> &str {
        match &self.kind {
            FieldKind::Text => self.input.as_str(),
            FieldKind::Choice { options, selected } => {
                options.get(*selected).map_or("", |o| o.label.as_str())
            }
        }
    }

    /// Chooses the option with `code`, when there is one.
    pub fn select(&mut self, code: &str) {
        if let FieldKind::Choice { options, selected } = &mut self.kind
            && let Some(i) = options.iter().position(|o| o.code == code)
        {
            *selected = i;
        }
    }

    /// Replaces a choice field's options, keeping the chosen code when it is still offered.
    pub fn set_options(&mut self, new: Vec<Choice>) {
        if let FieldKind::Choice { options, selected } = &mut self.kind {
            let code = options.get(*selected).map(|o| o.code.clone());
            *selected = code
                .and_then(|c| new.iter().position(|o| o.code == c))
                .unwrap_or(0);
            *options = new;
        }
    }

    /// Whether this is a choice field.
    pub fn is_choice(&self) -> bool {
        matches!(self.kind, FieldKind::Choice { .. })
    }

    /// Applies an editing key; returns whether the value changed.
    pub fn edit(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match &mut self.kind {
            FieldKind::Choice { options, selected } => {
                let n = options.len().max(1);
                let before = *selected;
                match key.code {
                    KeyCode::Right | KeyCode::Char(' ') => *selected = (*selected + 1) % n,
                    KeyCode::Left => *selected = (*selected + n - 1) % n,
                    KeyCode::Char(c) if !ctrl && !alt => {
                        // The first option starting with this letter; typed again, the next one.
                        let want = fold(&c.to_string());
                        let starts = |i: usize| {
                            options
                                .get(i)
                                .is_some_and(|o| fold(&o.label).starts_with(&want))
                        };
                        let from = if starts(before) { before + 1 } else { 0 };
                        if let Some(i) = (0..n).map(|d| (from + d) % n).find(|i| starts(*i)) {
                            *selected = i;
                        }
                    }
                    _ => {}
                }
                *selected != before
            }
            FieldKind::Text => {
                if std::mem::take(&mut self.replace_on_type)
                    && matches!(key.code, KeyCode::Char(_))
                    && !ctrl
                    && !alt
                {
                    self.input.clear();
                }
                self.input.key(key)
            }
        }
    }

    /// The typed text (empty for a choice field).
    pub fn typed(&self) -> &str {
        self.input.as_str()
    }

    /// Puts pasted text into a text field; a choice field takes no paste (`None`).
    pub fn paste(&mut self, text: &str) -> Option<Pasted> {
        match self.kind {
            FieldKind::Text => {
                if std::mem::take(&mut self.replace_on_type) {
                    self.input.clear();
                }
                Some(self.input.paste(text))
            }
            FieldKind::Choice { .. } => None,
        }
    }
}

/// A column of fields with one focused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    /// The fields, in Tab order.
    pub list: Vec<Field>,
    /// The focused field.
    pub focus: usize,
    /// The values as the form opened, to know whether closing would lose something.
    initial: Vec<String>,
}

impl Fields {
    /// Fields with the first focused.
    pub fn new(list: Vec<Field>) -> Fields {
        let initial = list.iter().map(|f| f.code().to_string()).collect();
        Fields {
            list,
            focus: 0,
            initial,
        }
    }

    /// The field named `key`.
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.list.iter().find(|f| f.key == key)
    }

    /// The field named `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.list.iter_mut().find(|f| f.key == key)
    }

    /// The value (code or text) of field `key`, or `""`.
    pub fn value(&self, key: &str) -> &str {
        self.get(key).map_or("", Field::code)
    }

    /// The focused field.
    pub fn focused(&self) -> Option<&Field> {
        self.list.get(self.focus)
    }

    /// Whether anything differs from how the form opened.
    pub fn changed(&self) -> bool {
        self.list
            .iter()
            .zip(&self.initial)
            .any(|(f, v)| f.code() != v)
    }

    /// Moves the focus by one, wrapping.
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.list.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Edits the focused field; on a change its error is cleared and it counts as touched.
    pub fn edit(&mut self, key: &KeyEvent) -> bool {
        let Some(field) = self.list.get_mut(self.focus) else {
            return false;
        };
        let changed = field.edit(key);
        if changed {
            field.note = None;
            field.error = None;
            field.touched = true;
        }
        changed
    }

    /// Pastes into the focused field. `None` when it takes no paste (a choice); otherwise what
    /// the paste kept, also written next to the field when something did not fit.
    pub fn paste(&mut self, text: &str, lang: crate::i18n::Lang) -> Option<Pasted> {
        let field = self.list.get_mut(self.focus)?;
        let pasted = field.paste(text)?;
        field.note = pasted.needs_saying().then(|| pasted.message(lang));
        if pasted.kept > 0 {
            field.error = None;
            field.touched = true;
        }
        Some(pasted)
    }

    /// Sets the error of field `key`.
    pub fn set_error(&mut self, key: &str, message: String) {
        if let Some(f) = self.get_mut(key) {
            f.error = Some(message);
        }
    }

    /// Clears every error, warning and hint.
    pub fn clear_messages(&mut self) {
        for f in &mut self.list {
            f.error = None;
        }
    }

    /// Whether any field has an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|f| f.error.is_some())
    }

    /// Focuses the first field with an error.
    pub fn focus_first_error(&mut self) {
        if let Some(i) = self.list.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn text_fields_edit_at_the_cursor_and_keep_multibyte_text_whole() {
        let mut f = Field::text("what", "Wat", "café", 20);
        f.edit(&key(KeyCode::Left));
        f.edit(&key(KeyCode::Backspace));
        assert_eq!(f.typed(), "caé");
        f.edit(&key(KeyCode::Char('f')));
        assert_eq!(f.typed(), "café");
        f.edit(&key(KeyCode::End));
        f.edit(&key(KeyCode::Backspace));
        assert_eq!(f.typed(), "caf");
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert!(f.edit(&ctrl_u));
        assert_eq!(f.typed(), "");
    }

    #[test]
    fn text_fields_stop_at_their_maximum() {
        let mut f = Field::text("x", "X", "ab", 2);
        assert!(!f.edit(&key(KeyCode::Char('c'))));
        assert_eq!(f.typed(), "ab");
    }

    #[test]
    fn choices_cycle_and_jump_by_letter_without_diacritics() {
        let options = vec![
            Choice::new("client", "cliënt"),
            Choice::new("netwerk", "netwerk"),
            Choice::new("professional", "professional"),
            Choice::new("aanbieder", "aanbieder"),
        ];
        let mut f = Field::choice("who", "Wie", options, "client");
        f.edit(&key(KeyCode::Left));
        assert_eq!(f.code(), "aanbieder");
        f.edit(&key(KeyCode::Char('p')));
        assert_eq!(f.code(), "professional");
        f.edit(&key(KeyCode::Char('c')));
        assert_eq!(f.shown(), "cliënt");
        f.edit(&key(KeyCode::Char(' ')));
        assert_eq!(f.code(), "netwerk");
    }

    #[test]
    fn a_form_knows_when_it_changed() {
        let mut fields = Fields::new(vec![
            Field::text("a", "A", "", 10),
            Field::text("b", "B", "x", 10),
        ]);
        assert!(!fields.changed());
        fields.move_focus(true);
        fields.edit(&key(KeyCode::Char('y')));
        assert!(fields.changed());
        fields.edit(&key(KeyCode::Backspace));
        assert!(!fields.changed(), "back to how it opened");
    }
}

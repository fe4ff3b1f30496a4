//! The one text-input component: every text field of a form, the finder, the worklist filter,
//! the palette and the login use it, so editing keys and paste behave the same everywhere.
//!
//! Keys: characters insert at the cursor; Backspace and Delete remove one character; ←/→ move;
//! Home/Ctrl-a and End/Ctrl-e jump to the start and the end; Ctrl-u removes everything before
//! the cursor; Ctrl-w removes the word before it. A paste ([`TextInput::paste`]) arrives as
//! text, never as keys: control characters and terminal escape sequences are dropped, a newline
//! becomes a space in a one-line field, and what does not fit is counted so the field can say
//! how much it kept ("200 van 5.000 tekens bewaard").
//!
//! This is written by hand rather than taken from `tui-input`: the fields need a maximum
//! length and a report of what a paste kept, which that crate does not have, and the value
//! must stay a plain `String` the forms can check.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;

/// A line of text being edited, with a cursor (in characters) and a maximum length.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    /// The text.
    pub value: String,
    /// The cursor, in characters from the start (0..=length).
    pub cursor: usize,
    /// The most characters the field takes.
    pub max: usize,
    /// Whether a newline is kept as a newline (otherwise it becomes a space).
    pub multiline: bool,
}

/// What a paste did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pasted {
    /// Characters inserted.
    pub kept: usize,
    /// Characters the paste had after dropping control characters.
    pub offered: usize,
    /// Control characters or escape sequences that were dropped.
    pub dropped_controls: bool,
}

impl Pasted {
    /// Whether the field should say what it kept: something did not fit or was dropped.
    pub fn needs_saying(&self) -> bool {
        self.kept < self.offered || self.dropped_controls
    }

    /// What the field says about the paste, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        let kept = thousands(self.kept, lang);
        let offered = thousands(self.offered, lang);
        let mut text = match lang {
            Lang::Nl => format!("{kept} van {offered} tekens bewaard"),
            Lang::En => format!("{kept} of {offered} characters kept"),
        };
        if self.dropped_controls {
            text.push_str(match lang {
                Lang::Nl => "; stuurtekens weggelaten",
                Lang::En => "; control characters left out",
            });
        }
        text.push('.');
        text
    }
}

/// A number with a thousands separator: `5.000` in Dutch, `5,000` in English.
pub fn thousands(n: usize, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = if lang == Lang::Nl { '.' } else { ',' };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

impl TextInput {
    /// An input holding `value`, the cursor at its end.
    pub fn new(value: &str, max: usize) -> TextInput {
        let value: String = value.chars().take(max).collect();
        TextInput {
            cursor: value.chars().count(),
            value,
            max,
            multiline: false,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The number of characters.
    pub fn len(&self) -> usize {
        self.value.chars().count()
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, value: &str) {
        self.value = value.chars().take(self.max).collect();
        self.cursor = self.len();
    }

    /// Empties the input.
    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    /// Takes the text out, leaving the input empty.
    pub fn take(&mut self) -> String {
        self.cursor = 0;
        std::mem::take(&mut self.value)
    }

    /// Whether `key` is one this component handles (an editing key).
    pub fn is_editing_key(key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('u' | 'a' | 'e' | 'w') if ctrl => true,
            KeyCode::Char(_) => !ctrl && !alt,
            KeyCode::Backspace
            | KeyCode::Delete
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End => true,
            _ => false,
        }
    }

    /// Applies an editing key; returns whether the text changed.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let len = self.len();
        self.cursor = self.cursor.min(len);
        let at = byte_index(&self.value, self.cursor);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                self.value.replace_range(..at, "");
                let changed = self.cursor > 0;
                self.cursor = 0;
                changed
            }
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.value.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let from = byte_index(&self.value, start);
                self.value.replace_range(from..at, "");
                let changed = start < self.cursor;
                self.cursor = start;
                changed
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                false
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = len;
                false
            }
            KeyCode::Char(c) if !ctrl && !alt => {
                if len >= self.max || c.is_control() {
                    return false;
                }
                self.value.insert(at, c);
                self.cursor += 1;
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let prev = byte_index(&self.value, self.cursor - 1);
                self.value.replace_range(prev..at, "");
                self.cursor -= 1;
                true
            }
            KeyCode::Delete if self.cursor < len => {
                let next = byte_index(&self.value, self.cursor + 1);
                self.value.replace_range(at..next, "");
                true
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = len;
                false
            }
            _ => false,
        }
    }

    /// Inserts pasted text at the cursor: cleaned (see [`clean_paste`]), and only as much as
    /// fits. Handles any length at once: the text is read once and at most `max` characters
    /// are kept.
    pub fn paste(&mut self, text: &str) -> Pasted {
        let (clean, dropped_controls) = clean_paste(text, self.multiline);
        let offered = clean.chars().count();
        let room = self.max.saturating_sub(self.len());
        let kept: String = clean.chars().take(room).collect();
        let n = kept.chars().count();
        self.cursor = self.cursor.min(self.len());
        let at = byte_index(&self.value, self.cursor);
        self.value.insert_str(at, &kept);
        self.cursor += n;
        Pasted {
            kept: n,
            offered,
            dropped_controls,
        }
    }

    /// The part of the text to draw in `room` columns around the cursor: the text before the
    /// cursor, the character under it (a space at the end) and the text after it.
    pub fn window(&self, room: usize) -> (String, String, String) {
        let chars: Vec<char> = self.value.chars().collect();
        let cursor = self.cursor.min(chars.len());
        let room = room.max(1);
        let start = (cursor + 1).saturating_sub(room);
        let before: String = chars[start..cursor].iter().collect();
        let at = chars.get(cursor).map_or(" ".to_string(), |c| c.to_string());
        let after: String = chars
            .iter()
            .skip(cursor + 1)
            .take(room.saturating_sub(cursor - start + 1))
            .collect();
        (before, at, after)
    }
}

/// Pasted text made safe for a field: escape sequences (`ESC [ … final`, `ESC ] … BEL`) and
/// other control characters are dropped, including the direction overrides that could reorder
/// what the screen shows; a newline (`\r\n`, `\r`, `\n`) is kept in a multi-line field and a
/// space otherwise; a tab is a space. Returns the text and whether anything was dropped.
pub fn clean_paste(text: &str, multiline: bool) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(1 << 16));
    let mut dropped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                dropped = true;
                match chars.peek() {
                    // CSI: parameters and intermediates, then one final byte.
                    Some('[') => {
                        chars.next();
                        for n in chars.by_ref() {
                            if ('\u{40}'..='\u{7e}').contains(&n) {
                                break;
                            }
                        }
                    }
                    // OSC, DCS, PM, APC: up to BEL or ESC \.
                    Some(']' | 'P' | '^' | '_') => {
                        chars.next();
                        while let Some(n) = chars.next() {
                            if n == '\u{7}' {
                                break;
                            }
                            if n == '\u{1b}' {
                                if chars.peek() == Some(&'\\') {
                                    chars.next();
                                }
                                break;
                            }
                        }
                    }
                    Some(_) => {
                        chars.next();
                    }
                    None => {}
                }
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if multiline { '\n' } else { ' ' });
            }
            '\t' => out.push(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => dropped = true,
            c if c.is_control() => dropped = true,
            c => out.push(c),
        }
    }
    (out, dropped)
}

/// The byte offset of character `chars` in `s` (its end when past it).
fn byte_index(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(input: &mut TextInput, text: &str) {
        for c in text.chars() {
            input.key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn editing_keys_work_at_the_cursor() {
        let mut t = TextInput::new("", 40);
        typed(&mut t, "budget team");
        t.key(&ctrl('w'));
        assert_eq!(t.as_str(), "budget ");
        t.key(&ctrl('a'));
        typed(&mut t, "het ");
        assert_eq!(t.as_str(), "het budget ");
        t.key(&ctrl('e'));
        typed(&mut t, "café");
        t.key(&key(KeyCode::Left));
        t.key(&key(KeyCode::Backspace));
        assert_eq!(t.as_str(), "het budget caé");
        t.key(&key(KeyCode::Home));
        t.key(&key(KeyCode::Delete));
        assert_eq!(t.as_str(), "et budget caé");
        t.key(&key(KeyCode::Right));
        t.key(&key(KeyCode::Right));
        assert!(
            t.key(&ctrl('u')),
            "Ctrl-u removes what is before the cursor"
        );
        assert_eq!(t.as_str(), " budget caé");
        t.key(&key(KeyCode::End));
        t.key(&ctrl('u'));
        assert_eq!(t.as_str(), "");
    }

    #[test]
    fn typing_stops_at_the_maximum() {
        let mut t = TextInput::new("ab", 2);
        assert!(!t.key(&key(KeyCode::Char('c'))));
        assert_eq!(t.as_str(), "ab");
    }

    #[test]
    fn a_paste_is_text_with_newlines_as_spaces_and_says_what_it_kept() {
        let mut t = TextInput::new("", 200);
        let p = t.paste("Fatima\r\nbelt\tmorgen\ns");
        assert_eq!(t.as_str(), "Fatima belt morgen s");
        assert!(!p.needs_saying());

        let mut t = TextInput::new("", 200);
        let long = "x".repeat(5000);
        let p = t.paste(&long);
        assert_eq!(t.len(), 200);
        assert_eq!(p.message(Lang::Nl), "200 van 5.000 tekens bewaard.");
        assert_eq!(p.message(Lang::En), "200 of 5,000 characters kept.");
    }

    #[test]
    fn a_paste_drops_escape_sequences_and_control_characters() {
        let mut t = TextInput::new("", 100);
        let p = t.paste("a\u{1b}[31mrood\u{1b}[0m\u{1b}]0;titel\u{7}b\u{0}\u{8}c\u{202e}d");
        assert_eq!(t.as_str(), "aroodbcd");
        assert!(p.dropped_controls);
        assert!(p.message(Lang::Nl).contains("stuurtekens weggelaten"));
    }

    #[test]
    fn emoji_and_right_to_left_text_stay_whole() {
        let mut t = TextInput::new("", 5);
        let p = t.paste("👨‍👩‍👧 مرحبا");
        assert_eq!(t.len(), 5);
        assert!(t.as_str().starts_with('👨'));
        assert_eq!(p.kept, 5);
        t.key(&key(KeyCode::Backspace));
        assert_eq!(t.len(), 4, "one character at a time, never half of one");
    }

    #[test]
    fn a_multiline_field_keeps_its_newlines() {
        let mut t = TextInput::new("", 50);
        t.multiline = true;
        t.paste("een\r\ntwee");
        assert_eq!(t.as_str(), "een\ntwee");
    }

    #[test]
    fn a_paste_goes_in_at_the_cursor() {
        let mut t = TextInput::new("ab", 10);
        t.key(&key(KeyCode::Left));
        t.paste("XY");
        assert_eq!((t.as_str(), t.cursor), ("aXYb", 3));
    }

    #[test]
    fn thousands_follow_the_language() {
        assert_eq!(thousands(100_000, Lang::Nl), "100.000");
        assert_eq!(thousands(999, Lang::Nl), "999");
        assert_eq!(thousands(1_234_567, Lang::En), "1,234,567");
    }
}

//! The plan as plain text, wrapped within 80 columns.

use super::{Document, Item};

/// The widest line.
pub const WIDTH: usize = 78;

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let rule = "=".repeat(WIDTH);
    out.push_str(&rule);
    out.push('\n');
    for line in wrap(&doc.title.to_uppercase(), WIDTH) {
        out.push_str(&line.replace('\u{a0}', " "));
        out.push('\n');
    }
    out.push_str(&doc.subtitle);
    out.push('\n');
    out.push_str(&rule);
    out.push('\n');
    for section in &doc.sections {
        out.push('\n');
        out.push_str(&section.heading.to_uppercase());
        out.push('\n');
        out.push_str(&"-".repeat(section.heading.chars().count()));
        out.push('\n');
        for item in &section.items {
            match item {
                Item::Text(t) => push_wrapped(&mut out, "", "", t),
                Item::Strong(t) => push_wrapped(&mut out, "", "", &format!("** {t} **")),
                Item::Bullet(t) => push_wrapped(&mut out, "  * ", "    ", t),
                Item::Check { what, detail } => {
                    push_wrapped(&mut out, "  [ ] ", "      ", what);
                    push_wrapped(&mut out, "      ", "      ", detail);
                }
            }
        }
    }
    out.push('\n');
    push_wrapped(&mut out, "", "", &doc.footer);
    out
}

fn push_wrapped(out: &mut String, first: &str, rest: &str, text: &str) {
    let width = WIDTH - first.chars().count().max(rest.chars().count());
    for (i, line) in wrap(text, width).into_iter().enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(&line);
        out.push('\n');
    }
}

/// Greedy word wrap to `width` characters; a word longer than the width is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    // Only ordinary spaces break a line; a no-break space (in a name) keeps its words together.
    for word in text
        .split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .filter(|w| !w.is_empty())
    {
        let mut word: String = word.to_string();
        loop {
            let (lw, ww) = (line.chars().count(), word.chars().count());
            if lw == 0 && ww <= width {
                line = word;
                break;
            }
            if lw > 0 && lw + 1 + ww <= width {
                line.push(' ');
                line.push_str(&word);
                break;
            }
            if lw > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A single word wider than the line.
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_and_the_width() {
        let text = "een twee drie vier vijf zes zeven acht negen tien elf twaalf";
        for line in wrap(text, 15) {
            assert!(line.chars().count() <= 15, "{line}");
        }
        assert_eq!(wrap(text, 15).join(" "), text);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_name_joined_by_no_break_spaces_never_breaks() {
        let title = "HET PLAN VAN FAM.\u{a0}VAN\u{a0}DEN\u{a0}BERG";
        let lines = wrap(title, 22);
        assert_eq!(
            lines,
            vec!["HET PLAN VAN", "FAM.\u{a0}VAN\u{a0}DEN\u{a0}BERG"]
        );
    }
}

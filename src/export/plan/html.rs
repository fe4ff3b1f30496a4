//! The plan as one standalone HTML page, styled to print on one A4 page in large type.

use super::{Document, Item};
use crate::i18n::Lang;

const STYLE: &str = "@page { size: A4; margin: 15mm; }
html { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; font-size: 14pt; line-height: 1.35; color: #000; }
body { margin: 0 auto; max-width: 180mm; }
h1 { font-size: 24pt; margin: 0 0 2pt 0; }
.made { margin: 0 0 10pt 0; color: #333; }
h2 { font-size: 17pt; margin: 12pt 0 4pt 0; border-bottom: 1.5pt solid #000; }
ul { margin: 0; padding-left: 18pt; }
ul.check { list-style: none; padding-left: 0; }
ul.check li { margin-bottom: 5pt; page-break-inside: avoid; }
.box { display: inline-block; width: 12pt; height: 12pt; border: 1.5pt solid #000; margin-right: 6pt; vertical-align: -1pt; }
.detail { display: block; margin-left: 21pt; color: #222; }
p { margin: 0 0 3pt 0; }
.strong { font-size: 18pt; font-weight: bold; }
footer { margin-top: 14pt; font-size: 12pt; color: #333; }
@media print { body { max-width: none; } section, footer { page-break-inside: avoid; } }";

pub fn render(doc: &Document, lang: Lang) -> String {
    let mut out = String::new();
    let code = match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n",
        escape(&doc.title)
    ));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    out.push_str(&format!(
        "<p class=\"made\">{}</p>\n",
        escape(&doc.subtitle)
    ));
    for section in &doc.sections {
        out.push_str(&format!(
            "<section>\n<h2>{}</h2>\n",
            escape(&section.heading)
        ));
        let mut open: Option<&str> = None;
        for item in &section.items {
            let wanted = match item {
                Item::Bullet(_) => Some("<ul>"),
                Item::Check { .. } => Some("<ul class=\"check\">"),
                _ => None,
            };
            if open != wanted {
                if open.is_some() {
                    out.push_str("</ul>\n");
                }
                if let Some(tag) = wanted {
                    out.push_str(tag);
                    out.push('\n');
                }
                open = wanted;
            }
            match item {
                Item::Text(t) => out.push_str(&format!("<p>{}</p>\n", escape(t))),
                Item::Strong(t) => {
                    out.push_str(&format!("<p class=\"strong\">{}</p>\n", escape(t)))
                }
                Item::Bullet(t) => out.push_str(&format!("<li>{}</li>\n", escape(t))),
                Item::Check { what, detail } => out.push_str(&format!(
                    "<li><span class=\"box\"></span>{}<span class=\"detail\">{}</span></li>\n",
                    escape(what),
                    escape(detail)
                )),
            }
        }
        if open.is_some() {
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str(&format!("<footer>{}</footer>\n", escape(&doc.footer)));
    out.push_str("</body>\n</html>\n");
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & co"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"
        );
    }
}

//! The plan as one standalone HTML page, styled to print on one A4 page in large type.

use super::{Document, Item};
use crate::i18n::Lang;

/// The style at type scale 1: 14 pt body text; every other size is relative to it.
const STYLE: &str = "@page { size: A4; margin: 18mm; }
html { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; line-height: 1.3; color: #000; }
body { margin: 0 auto; max-width: 174mm; }
h1 { font-size: 1.7rem; margin: 0 0 0.1rem 0; }
.made { margin: 0 0 0.6rem 0; color: #333; font-size: 0.93rem; }
h2 { font-size: 1.2rem; margin: 0.85rem 0 0.3rem 0; border-bottom: 1.2pt solid #000; }
ul { margin: 0; padding-left: 1.3rem; }
ul.check { list-style: none; padding-left: 0; }
ul.check li { margin-bottom: 0.2rem; page-break-inside: avoid; }
.box { display: inline-block; width: 0.8rem; height: 0.8rem; border: 1.2pt solid #000; margin-right: 0.45rem; vertical-align: -0.05rem; }
.detail { display: block; margin-left: 1.55rem; color: #222; font-size: 0.86rem; }
p { margin: 0; }
.strong { font-size: 1.3rem; font-weight: bold; }
footer { margin-top: 1.1rem; font-size: 0.75rem; color: #333; }
@media print { body { max-width: none; } }";

/// Browsers lay text out a little differently than our PDF layout (and may not have DejaVu
/// Sans): the HTML is set this much smaller than the PDF at the same scale.
const HTML_MARGIN: f32 = 0.9;

/// Body text size at type scale 1, in points.
const BODY_PT: f32 = 14.0;

/// Renders the page with body text at `BODY_PT * scale` points; the PDF layout decides the
/// scale (see `pdf::fit_scale`), so a long plan is set smaller and still prints on one page.
pub fn render(doc: &Document, lang: Lang, scale: f32) -> String {
    let mut out = String::new();
    let code = match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}\nhtml {{ font-size: {:.1}pt; }}\n</style>\n</head>\n<body>\n",
        escape(&doc.title.replace('\u{a0}', " ")),
        BODY_PT * scale * HTML_MARGIN
    ));
    out.push_str(&format!(
        "<h1>{}</h1>\n",
        escape(&doc.title).replace('\u{a0}', "&#160;")
    ));
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

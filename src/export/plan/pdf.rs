//! The plan as a one-page A4 PDF with DejaVu Sans embedded (subset to the glyphs used).
//!
//! Layout is done here with the font's own advance widths: text is wrapped to the column, and
//! when the plan is too long for the page everything is set a little smaller, down to a floor;
//! what still does not fit is left off with a line that says so. The result is always exactly
//! one page.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::{Document, Item, RenderError};

const REGULAR: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.0;
/// Type scales tried in turn until the plan fits; body text is 14 pt at scale 1, 18 pt at
/// the largest.
const SCALES: [f32; 8] = [1.3, 1.2, 1.1, 1.0, 0.92, 0.85, 0.78, 0.72];

struct Font {
    face: ttf_parser::Face<'static>,
    data: &'static [u8],
    upem: f32,
    pdf_name: &'static [u8],
    base_name: &'static [u8],
}

impl Font {
    fn load(
        data: &'static [u8],
        pdf_name: &'static [u8],
        base_name: &'static [u8],
    ) -> Result<Font, RenderError> {
        let face =
            ttf_parser::Face::parse(data, 0).map_err(|e| RenderError::Font(e.to_string()))?;
        let upem = f32::from(face.units_per_em().max(1));
        Ok(Font {
            face,
            data,
            upem,
            pdf_name,
            base_name,
        })
    }

    fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map_or(0, |g| g.0)
    }

    fn advance(&self, glyph: u16) -> f32 {
        f32::from(
            self.face
                .glyph_hor_advance(ttf_parser::GlyphId(glyph))
                .unwrap_or(0),
        )
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
            / self.upem
    }
}

/// One positioned piece of text.
struct Run {
    bold: bool,
    size: f32,
    x: f32,
    y: f32,
    text: String,
}

/// What is drawn on the page.
#[derive(Default)]
struct Page {
    runs: Vec<Run>,
    /// Checkboxes: lower-left corner and side.
    boxes: Vec<(f32, f32, f32)>,
    /// Horizontal rules under headings: y.
    rules: Vec<f32>,
    /// Lowest baseline used.
    bottom: f32,
}

struct Layout<'a> {
    regular: &'a Font,
    bold: &'a Font,
    scale: f32,
    y: f32,
    page: Page,
}

impl Layout<'_> {
    fn font(&self, bold: bool) -> &Font {
        if bold { self.bold } else { self.regular }
    }

    /// Sets `text` wrapped at the column from `x`, each line `size * 1.3` below the previous.
    fn text(&mut self, text: &str, bold: bool, size: f32, x: f32) {
        let size = size * self.scale;
        let width = PAGE_W - MARGIN - x;
        for line in wrap(self.font(bold), text, size, width) {
            self.y -= size * 1.3;
            self.page.runs.push(Run {
                bold,
                size,
                x,
                y: self.y,
                text: line.replace('\u{a0}', " "),
            });
        }
        self.page.bottom = self.y;
    }

    fn gap(&mut self, points: f32) {
        self.y -= points * self.scale;
    }
}

/// Greedy word wrap by measured width.
fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    // Only ordinary spaces break a line; a no-break space (in a name) keeps its words together.
    for word in text
        .split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .filter(|w| !w.is_empty())
    {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || font.width(&candidate, size) <= width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn lay_out(doc: &Document, regular: &Font, bold: &Font, scale: f32) -> Page {
    let mut l = Layout {
        regular,
        bold,
        scale,
        y: PAGE_H - MARGIN,
        page: Page::default(),
    };
    l.text(&doc.title, true, 24.0, MARGIN);
    l.text(&doc.subtitle, false, 13.0, MARGIN);
    for section in &doc.sections {
        l.gap(12.0);
        l.text(&section.heading, true, 17.0, MARGIN);
        l.gap(4.0);
        let y = l.y;
        l.page.rules.push(y);
        l.gap(2.0);
        for item in &section.items {
            match item {
                Item::Text(t) => l.text(t, false, 14.0, MARGIN),
                Item::Strong(t) => l.text(t, true, 18.0, MARGIN),
                Item::Bullet(t) => {
                    let before = l.y;
                    l.text(t, false, 14.0, MARGIN + 18.0 * scale);
                    let first_baseline = before - 14.0 * scale * 1.3;
                    l.page.runs.push(Run {
                        bold: true,
                        size: 14.0 * scale,
                        x: MARGIN + 4.0 * scale,
                        y: first_baseline,
                        text: "•".into(),
                    });
                }
                Item::Check { what, detail } => {
                    let before = l.y;
                    let side = 11.0 * scale;
                    let first_baseline = before - 14.0 * scale * 1.3;
                    l.page
                        .boxes
                        .push((MARGIN + 2.0 * scale, first_baseline - 1.0, side));
                    l.text(what, false, 14.0, MARGIN + 22.0 * scale);
                    l.text(detail, false, 12.0, MARGIN + 22.0 * scale);
                    l.gap(3.0);
                }
            }
        }
    }
    l.gap(16.0);
    l.text(&doc.footer, false, 10.5, MARGIN);
    l.page
}

/// The largest type scale at which the document fits the page, and its layout.
fn fit(doc: &Document, regular: &Font, bold: &Font) -> (f32, Page) {
    let floor = MARGIN * 0.75;
    let mut chosen = (SCALES[SCALES.len() - 1], Page::default());
    for scale in SCALES {
        let candidate = lay_out(doc, regular, bold, scale);
        let fits = candidate.bottom >= floor;
        chosen = (scale, candidate);
        if fits {
            break;
        }
    }
    chosen
}

/// The type scale (1.0 = 14 pt body text) at which the plan fits one A4 page; the HTML plan
/// uses it so that it prints on one page too.
pub fn fit_scale(doc: &Document) -> Result<f32, RenderError> {
    let regular = Font::load(REGULAR, b"F1", b"KTAFAA+DejaVuSans")?;
    let bold = Font::load(BOLD, b"F2", b"KTAFAB+DejaVuSans-Bold")?;
    Ok(fit(doc, &regular, &bold).0)
}

/// Renders the document as a one-page PDF.
pub fn render(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let regular = Font::load(REGULAR, b"F1", b"KTAFAA+DejaVuSans")?;
    let bold = Font::load(BOLD, b"F2", b"KTAFAB+DejaVuSans-Bold")?;
    let floor = MARGIN * 0.75;
    let (_, mut page) = fit(doc, &regular, &bold);
    if page.bottom < floor {
        // Still too long at the smallest type: leave off what falls below the page and say so.
        page.runs.retain(|r| r.y >= floor + 14.0);
        page.boxes.retain(|b| b.1 >= floor + 14.0);
        page.rules.retain(|y| *y >= floor + 14.0);
        page.runs.push(Run {
            bold: true,
            size: 10.0,
            x: MARGIN,
            y: floor,
            text: "Het plan is langer dan één pagina; de rest staat in de app.".into(),
        });
    }
    write_pdf(doc, &page, &regular, &bold)
}

/// The glyphs one font uses, remapped to a compact subset.
struct Subset {
    remapper: subsetter::GlyphRemapper,
    to_unicode: BTreeMap<u16, char>,
}

impl Subset {
    fn new() -> Subset {
        Subset {
            remapper: subsetter::GlyphRemapper::new(),
            to_unicode: BTreeMap::new(),
        }
    }

    /// The text as 2-byte subset glyph ids (Identity-H).
    fn encode(&mut self, font: &Font, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let new = self.remapper.remap(font.glyph(c));
            self.to_unicode.entry(new).or_insert(c);
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }
}

fn write_pdf(
    doc: &Document,
    page: &Page,
    regular: &Font,
    bold: &Font,
) -> Result<Vec<u8>, RenderError> {
    let mut subsets = [Subset::new(), Subset::new()];
    let mut content = Content::new();

    content.set_line_width(1.2);
    content.set_stroke_gray(0.0);
    for (x, y, side) in &page.boxes {
        content.rect(*x, *y, *side, *side);
    }
    for y in &page.rules {
        content.move_to(MARGIN, *y);
        content.line_to(PAGE_W - MARGIN, *y);
    }
    content.stroke();
    content.set_fill_gray(0.0);
    for run in &page.runs {
        let (font, subset) = if run.bold {
            (bold, &mut subsets[1])
        } else {
            (regular, &mut subsets[0])
        };
        let bytes = subset.encode(font, &run.text);
        content
            .begin_text()
            .set_font(Name(font.pdf_name), run.size)
            .next_line(run.x, run.y)
            .show(Str(&bytes))
            .end_text();
    }
    let content = content.finish();

    let mut alloc = Ref::new(1);
    let catalog_id = alloc.bump();
    let pages_id = alloc.bump();
    let page_id = alloc.bump();
    let content_id = alloc.bump();
    let info_id = alloc.bump();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(pages_id);
    pdf.pages(pages_id).kids([page_id]).count(1);
    let font_ids: Vec<Ref> = (0..2).map(|_| alloc.bump()).collect();
    {
        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(pages_id)
            .contents(content_id);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(regular.pdf_name), font_ids[0]);
        fonts.pair(Name(bold.pdf_name), font_ids[1]);
    }
    pdf.stream(content_id, &content);
    let title = doc.title.replace('\u{a0}', " ");
    pdf.document_info(info_id)
        .title(TextStr(&title))
        .producer(TextStr("keukentafel"));

    for (i, (font, subset)) in [regular, bold].into_iter().zip(subsets.iter()).enumerate() {
        embed_font(&mut pdf, &mut alloc, font_ids[i], font, subset)?;
    }
    Ok(pdf.finish())
}

fn embed_font(
    pdf: &mut Pdf,
    alloc: &mut Ref,
    type0_id: Ref,
    font: &Font,
    subset: &Subset,
) -> Result<(), RenderError> {
    let cid_id = alloc.bump();
    let descriptor_id = alloc.bump();
    let file_id = alloc.bump();
    let cmap_id = alloc.bump();
    let data = subsetter::subset(font.data, 0, &subset.remapper)
        .map_err(|e| RenderError::Font(e.to_string()))?;
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let per_mille = |v: f32| v * 1000.0 / font.upem;

    pdf.type0_font(type0_id)
        .base_font(Name(font.base_name))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let widths: Vec<f32> = subset
        .remapper
        .remapped_gids()
        .map(|old| per_mille(font.advance(old)))
        .collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(font.base_name))
        .system_info(system_info)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let b = font.face.global_bounding_box();
    pdf.font_descriptor(descriptor_id)
        .name(Name(font.base_name))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            per_mille(f32::from(b.x_min)),
            per_mille(f32::from(b.y_min)),
            per_mille(f32::from(b.x_max)),
            per_mille(f32::from(b.y_max)),
        ))
        .italic_angle(0.0)
        .ascent(per_mille(f32::from(font.face.ascender())))
        .descent(per_mille(f32::from(font.face.descender())))
        .cap_height(per_mille(f32::from(
            font.face.capital_height().unwrap_or(font.face.ascender()),
        )))
        .stem_v(80.0)
        .font_file2(file_id);

    let length = i32::try_from(data.len()).unwrap_or(i32::MAX);
    pdf.stream(file_id, &data).pair(Name(b"Length1"), length);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (glyph, c) in &subset.to_unicode {
        cmap.pair(*glyph, *c);
    }
    let cmap = cmap.finish();
    pdf.cmap(cmap_id, &cmap);
    Ok(())
}

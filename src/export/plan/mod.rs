//! The fridge plan: one A4 page in plain language (B1), large type, for the household.
//!
//! [`document`] decides what the plan says (the content rules live only there); the three
//! renderers (`txt`, `html`, `pdf`) decide only how it looks. Everything is pure.

mod html;
mod pdf;
mod print;
mod txt;
pub mod words;

use std::path::Path;

use crate::domain::agreement::Actor;
use crate::i18n::Lang;
use crate::model::plan::PlanData;

pub use print::{PrintError, find_printer, send_to_printer};
pub use words::long_date;

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    /// Plain text within 80 columns.
    Txt,
    /// A standalone HTML page that prints on one A4 page.
    Html,
    /// A one-page A4 PDF with an embedded font.
    Pdf,
}

impl PlanFormat {
    /// Parses `txt`, `html` or `pdf`.
    pub fn parse(s: &str) -> Option<PlanFormat> {
        match s.trim().to_lowercase().as_str() {
            "txt" | "tekst" => Some(PlanFormat::Txt),
            "html" => Some(PlanFormat::Html),
            "pdf" => Some(PlanFormat::Pdf),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            PlanFormat::Txt => "txt",
            PlanFormat::Html => "html",
            PlanFormat::Pdf => "pdf",
        }
    }
}

/// What the user asked to add beyond the plain plan. Off by default: the plan never shows
/// flags or ZRM numbers unless asked (BSN and notes are never even loaded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Show the ZRM score next to each domain under "Wat gaat al goed".
    pub show_scores: bool,
    /// Add the active flags (signalen).
    pub show_flags: bool,
}

/// The plan could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The embedded font could not be read or subset.
    #[error("Het lettertype voor de PDF kon niet worden gebruikt: {0}")]
    Font(String),
}

impl crate::i18n::Localize for RenderError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Nl) => self.to_string(),
            (RenderError::Font(e), Lang::En) => {
                format!("The font for the PDF could not be used: {e}")
            }
        }
    }
}

/// Renders the plan in `format` and `lang`.
pub fn render(
    plan: &PlanData,
    format: PlanFormat,
    lang: Lang,
    options: &PlanOptions,
) -> Result<Vec<u8>, RenderError> {
    let doc = document(plan, lang, options);
    match format {
        PlanFormat::Txt => Ok(txt::render(&doc).into_bytes()),
        PlanFormat::Html => Ok(html::render(&doc, lang, pdf::fit_scale(&doc)?).into_bytes()),
        PlanFormat::Pdf => pdf::render(&doc),
    }
}

/// Renders the plan and writes it to `path` atomically (temporary file, then rename; mode
/// 0600; no partial file on failure).
pub fn write_plan(
    path: &Path,
    plan: &PlanData,
    format: PlanFormat,
    lang: Lang,
    options: &PlanOptions,
) -> Result<(), PlanWriteError> {
    let bytes = render(plan, format, lang, options)?;
    crate::export::write_atomically(path, &bytes)?;
    Ok(())
}

/// [`write_plan`] failed.
#[derive(Debug, thiserror::Error)]
pub enum PlanWriteError {
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] crate::export::ExportError),
}

impl crate::i18n::Localize for PlanWriteError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            PlanWriteError::Render(e) => e.localize(lang),
            PlanWriteError::Write(e) => e.localize(lang),
        }
    }
}

/// At most this many goals on the page; the rest is summarised in one line.
pub const MAX_GOALS: usize = 5;
/// At most this many agreements on the page.
pub const MAX_TASKS: usize = 8;

/// The plan as a sequence of blocks, independent of the output format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The household's name, as the title.
    pub title: String,
    /// "Gemaakt op …".
    pub subtitle: String,
    /// The sections in order.
    pub sections: Vec<Section>,
    /// A closing line at the foot of the page.
    pub footer: String,
}

/// One headed section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading, e.g. "Wie doet wat".
    pub heading: String,
    /// Its lines.
    pub items: Vec<Item>,
}

/// One line (or wrapped paragraph) of a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// Plain text.
    Text(String),
    /// A bullet point.
    Bullet(String),
    /// A checklist entry: what, and "who, when" below it.
    Check {
        /// What will be done.
        what: String,
        /// Who and when.
        detail: String,
    },
    /// Text in large, bold type (the regisseur's phone number).
    Strong(String),
}

/// What the plan says, following the content rules: the household's name; "Waar werken we
/// aan" (running goals); "Wie doet wat" (open agreements as a checklist with who and when);
/// "Wat gaat al goed" (only when the household wants it); "Je regisseur" (name and phone); the
/// next contact. Flags and ZRM numbers only when asked.
pub fn document(plan: &PlanData, lang: Lang, options: &PlanOptions) -> Document {
    let t = |nl: &str, en: &str| -> String {
        match lang {
            Lang::Nl => nl.to_string(),
            Lang::En => en.to_string(),
        }
    };
    let first_name = plan
        .regisseur
        .name
        .split_whitespace()
        .next()
        .unwrap_or(&plan.regisseur.name)
        .to_string();
    let mut sections = Vec::new();

    let mut goals: Vec<Item> = plan
        .goals
        .iter()
        .take(MAX_GOALS)
        .map(|g| Item::Bullet(g.clone()))
        .collect();
    if plan.goals.len() > MAX_GOALS {
        let more = plan.goals.len() - MAX_GOALS;
        goals.push(Item::Text(t(
            &format!("En nog {more} doel(en). Vraag {first_name} ernaar."),
            &format!("And {more} more goal(s). Ask {first_name}."),
        )));
    }
    if goals.is_empty() {
        goals.push(Item::Text(t(
            "We kiezen samen nog wat we willen bereiken.",
            "We will choose together what we want to achieve.",
        )));
    }
    sections.push(Section {
        heading: t("Waar werken we aan", "What we are working on"),
        items: goals,
    });

    let mut tasks: Vec<Item> = plan
        .tasks
        .iter()
        .take(MAX_TASKS)
        .map(|task| {
            let who = who_text(task.who, &first_name, lang);
            let when = match task.due_on {
                Some(d) => t(
                    &format!("uiterlijk {}", words::short_date(d, plan.made_on, lang)),
                    &format!("by {}", words::short_date(d, plan.made_on, lang)),
                ),
                None => t("geen vaste datum", "no fixed date"),
            };
            Item::Check {
                what: task.what.clone(),
                detail: t(
                    &format!("Wie: {who}. Wanneer: {when}."),
                    &format!("Who: {who}. When: {when}."),
                ),
            }
        })
        .collect();
    if plan.tasks.len() > MAX_TASKS {
        let more = plan.tasks.len() - MAX_TASKS;
        tasks.push(Item::Text(t(
            &format!("En nog {more} afspraak/afspraken. Vraag {first_name} ernaar."),
            &format!("And {more} more agreement(s). Ask {first_name}."),
        )));
    }
    if tasks.is_empty() {
        tasks.push(Item::Text(t(
            "Er staan nu geen afspraken open.",
            "There are no open agreements now.",
        )));
    }
    sections.push(Section {
        heading: t("Wie doet wat", "Who does what"),
        items: tasks,
    });

    if let Some(strengths) = plan.strengths.as_ref().filter(|s| !s.is_empty()) {
        let items = strengths
            .iter()
            .map(|m| {
                let domains: Vec<String> = m
                    .domains
                    .iter()
                    .map(|(name, score)| {
                        if options.show_scores {
                            format!("{name} ({score})")
                        } else {
                            name.clone()
                        }
                    })
                    .collect();
                Item::Bullet(format!("{}: {}", m.person, domains.join(", ")))
            })
            .collect();
        sections.push(Section {
            heading: t("Wat gaat al goed", "What is already going well"),
            items,
        });
    }

    let mut regisseur = vec![Item::Text(plan.regisseur.name.clone())];
    if let Some(phone) = &plan.regisseur.phone {
        regisseur.push(Item::Strong(t(
            &format!("Bel of app: {phone}"),
            &format!("Call or text: {phone}"),
        )));
    }
    regisseur.push(match &plan.next_contact {
        Some(next) => Item::Text(t(
            &format!(
                "Volgende afspraak: {} ({}).",
                words::short_date(next.on, plan.made_on, lang),
                next.what
            ),
            &format!(
                "Next appointment: {} ({}).",
                words::short_date(next.on, plan.made_on, lang),
                next.what
            ),
        )),
        None => Item::Text(t(
            &format!("Er is nog geen nieuwe afspraak. Bel {first_name} om er een te maken."),
            &format!("There is no new appointment yet. Call {first_name} to make one."),
        )),
    });
    sections.push(Section {
        heading: t("Je regisseur", "Your regisseur"),
        items: regisseur,
    });

    if options.show_flags && !plan.flags.is_empty() {
        sections.push(Section {
            heading: t("Signalen", "Flags"),
            items: plan.flags.iter().map(|f| Item::Bullet(f.clone())).collect(),
        });
    }

    // The household's name stays on one line: its words are joined by no-break spaces, which
    // the line breaking of every format keeps together.
    let name = plan.label.replace(' ', "\u{a0}");
    Document {
        title: t(
            &format!("Het plan van {name}"),
            &format!("The plan of {name}"),
        ),
        subtitle: t(
            &format!("Gemaakt op {}", long_date(plan.made_on, lang)),
            &format!("Made on {}", long_date(plan.made_on, lang)),
        ),
        sections,
        footer: t(
            "Eén gezin, één plan, één regisseur. Klopt er iets niet? Zeg het tegen je regisseur.",
            "One family, one plan, one regisseur. Something wrong? Tell your regisseur.",
        ),
    }
}

/// Who does it, in the household's words (the plan and samen kijken say the same).
pub fn who_text(who: Actor, regisseur_first_name: &str, lang: Lang) -> String {
    match (who, lang) {
        (Actor::Client, Lang::Nl) => "jullie zelf".into(),
        (Actor::Client, Lang::En) => "you".into(),
        (Actor::Netwerk, Lang::Nl) => "familie of vrienden".into(),
        (Actor::Netwerk, Lang::En) => "family or friends".into(),
        (Actor::Professional, _) => regisseur_first_name.to_string(),
        (Actor::Aanbieder, Lang::Nl) => "de hulpverlener".into(),
        (Actor::Aanbieder, Lang::En) => "the care provider".into(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::plan::{MemberStrengths, PlanContact, PlanTask};

    fn plan() -> PlanData {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        PlanData {
            household_id: 1,
            label: "Fam. Test".into(),
            made_on: d(11, 23),
            goals: vec!["Rust in de schulden".into()],
            tasks: vec![PlanTask {
                what: "Fatima belt het budgetteam".into(),
                who: Actor::Client,
                due_on: Some(d(11, 27)),
            }],
            strengths: Some(vec![MemberStrengths {
                person: "Fatima".into(),
                domains: vec![("Woning".into(), 4)],
            }]),
            regisseur: PlanContact {
                name: "Anna de Boer".into(),
                phone: Some("06-11223344".into()),
            },
            next_contact: None,
            flags: vec!["Schuldhulptraject".into()],
        }
    }

    fn all_text(doc: &Document) -> String {
        format!("{doc:?}")
    }

    #[test]
    fn flags_and_scores_only_when_asked() {
        let plain = all_text(&document(&plan(), Lang::Nl, &PlanOptions::default()));
        assert!(!plain.contains("Schuldhulptraject"));
        assert!(!plain.contains("(4)"));
        assert!(plain.contains("Woning"));
        let asked = PlanOptions {
            show_scores: true,
            show_flags: true,
        };
        let full = all_text(&document(&plan(), Lang::Nl, &asked));
        assert!(full.contains("Schuldhulptraject"));
        assert!(full.contains("Woning (4)"));
    }

    #[test]
    fn strengths_only_when_the_household_wants_them() {
        let mut p = plan();
        p.strengths = None;
        let doc = document(&p, Lang::Nl, &PlanOptions::default());
        assert!(doc.sections.iter().all(|s| s.heading != "Wat gaat al goed"));
    }

    #[test]
    fn a_long_list_is_capped_with_a_line_that_says_how_many_more() {
        let mut p = plan();
        p.tasks = (0..12)
            .map(|i| PlanTask {
                what: format!("Taak {i}"),
                who: Actor::Professional,
                due_on: None,
            })
            .collect();
        let doc = document(&p, Lang::Nl, &PlanOptions::default());
        let tasks = &doc.sections[1];
        assert_eq!(tasks.items.len(), MAX_TASKS + 1);
        assert_eq!(
            tasks.items[MAX_TASKS],
            Item::Text("En nog 4 afspraak/afspraken. Vraag Anna ernaar.".into())
        );
    }
}

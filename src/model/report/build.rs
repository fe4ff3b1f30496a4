//! From raw counts to the report that may be shown.

use super::{Cell, CellKind, RawFigures, Report, Row, Section};
use crate::domain::suppression::{THRESHOLD, round_minutes, round_shown, suppress_group};
use crate::i18n::Lang;

/// Applies small-cell suppression to `raw` and lays it out as sections in `lang`.
pub fn build(raw: &RawFigures, lang: Lang) -> Report {
    let t = |nl: &str, en: &str| match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => en.to_string(),
    };
    let scope = raw
        .team
        .clone()
        .unwrap_or_else(|| t("alle teams", "all teams"));
    let mut sections = Vec::new();
    if !raw.provisions_only {
        sections.push(households(raw, lang));
        sections.push(contacts(raw, lang));
        sections.push(months(raw, lang));
        sections.push(agreements(raw, lang));
        sections.push(zrm(raw, lang));
        sections.push(flags(raw, lang));
        sections.push(duration(raw, lang));
    }
    sections.push(provisions(raw, lang));
    sections.push(care(raw, lang));
    Report {
        from: raw.from,
        to: raw.to,
        scope,
        sections,
    }
}

fn t(lang: Lang, nl: &str, en: &str) -> String {
    match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => en.to_string(),
    }
}

/// A count cell: hidden, or shown rounded down to a multiple of five (see
/// [`crate::domain::suppression`]: that is what stops two overlapping reports from being
/// subtracted).
fn count(hide: bool, v: i64) -> Cell {
    Cell::unless(hide, round_shown(v) as f64, CellKind::Count)
}

/// A sum of minutes: hidden, or shown rounded down to whole hours.
fn minutes(hide: bool, v: i64) -> Cell {
    Cell::unless(hide, round_minutes(v) as f64, CellKind::Count)
}

fn households(raw: &RawFigures, lang: Lang) -> Section {
    let with_total = raw.teams.len() > 1;
    let opened: Vec<i64> = raw.teams.iter().map(|f| f.opened).collect();
    let closed: Vec<i64> = raw.teams.iter().map(|f| f.closed).collect();
    let (opened_total, closed_total) = (opened.iter().sum::<i64>(), closed.iter().sum::<i64>());
    let (hide_opened, hide_opened_total) =
        suppress_group(&opened, with_total.then_some(opened_total));
    let (hide_closed, hide_closed_total) =
        suppress_group(&closed, with_total.then_some(closed_total));
    let mut rows: Vec<Row> = raw
        .teams
        .iter()
        .enumerate()
        .map(|(i, f)| Row {
            label: f.team.clone(),
            total: false,
            cells: vec![
                count(hide_opened[i], f.opened),
                count(hide_closed[i], f.closed),
            ],
        })
        .collect();
    if with_total {
        rows.push(Row {
            label: t(lang, "Totaal", "Total"),
            total: true,
            cells: vec![
                count(hide_opened_total, opened_total),
                count(hide_closed_total, closed_total),
            ],
        });
    }
    Section {
        key: "households",
        title: t(
            lang,
            "Huishoudens gestart en afgesloten",
            "Households opened and closed",
        ),
        column_keys: vec!["opened", "closed"],
        columns: vec![
            t(lang, "gestart", "opened"),
            t(lang, "afgesloten", "closed"),
        ],
        rows,
        note: None,
    }
}

fn contacts(raw: &RawFigures, lang: Lang) -> Section {
    let households: Vec<i64> = raw.contacts.iter().map(|k| k.households).collect();
    let with_total = !raw.contacts.is_empty();
    let (hidden, hide_total) =
        suppress_group(&households, with_total.then_some(raw.contact_households));
    let mut rows: Vec<Row> = raw
        .contacts
        .iter()
        .enumerate()
        .map(|(i, k)| Row {
            label: k.kind.clone(),
            total: false,
            cells: vec![
                count(hidden[i], k.contacts),
                minutes(hidden[i], k.minutes),
                count(hidden[i], k.households),
            ],
        })
        .collect();
    if with_total {
        rows.push(Row {
            label: t(lang, "Totaal", "Total"),
            total: true,
            cells: vec![
                count(hide_total, raw.contacts.iter().map(|k| k.contacts).sum()),
                minutes(hide_total, raw.contacts.iter().map(|k| k.minutes).sum()),
                count(hide_total, raw.contact_households),
            ],
        });
    }
    Section {
        key: "contacts",
        title: t(lang, "Contactmomenten per soort", "Contacts by kind"),
        column_keys: vec!["contacts", "minutes", "households"],
        columns: vec![
            t(lang, "aantal", "count"),
            t(lang, "minuten", "minutes"),
            t(lang, "huishoudens", "households"),
        ],
        rows,
        note: None,
    }
}

fn months(raw: &RawFigures, lang: Lang) -> Section {
    // The months add up to the contacts total shown in the contacts section, so they are one
    // group under that total.
    let households: Vec<i64> = raw.months.iter().map(|m| m.households).collect();
    let (hidden, _) = suppress_group(&households, Some(raw.contact_households));
    let rows = raw
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| Row {
            label: m.month.clone(),
            total: false,
            cells: vec![count(hidden[i], m.contacts), count(hidden[i], m.households)],
        })
        .collect();
    Section {
        key: "months",
        title: t(lang, "Contactmomenten per maand", "Contacts per month"),
        column_keys: vec!["contacts", "households"],
        columns: vec![
            t(lang, "aantal", "count"),
            t(lang, "huishoudens", "households"),
        ],
        rows,
        note: None,
    }
}

fn agreements(raw: &RawFigures, lang: Lang) -> Section {
    let rows = [
        (t(lang, "gemaakt", "made"), raw.made),
        (t(lang, "gedaan", "done"), raw.done),
        (t(lang, "te laat", "overdue"), raw.overdue),
    ]
    .into_iter()
    .map(|(label, f)| {
        let hide = f.households < THRESHOLD;
        Row {
            label,
            total: false,
            cells: vec![count(hide, f.count), count(hide, f.households)],
        }
    })
    .collect();
    Section {
        key: "agreements",
        title: t(lang, "Afspraken", "Agreements"),
        column_keys: vec!["count", "households"],
        columns: vec![
            t(lang, "aantal", "count"),
            t(lang, "huishoudens", "households"),
        ],
        rows,
        note: Some(t(
            lang,
            "Te laat: in de periode verlopen, voor vandaag, en nog open.",
            "Overdue: due in the period, before today, and still open.",
        )),
    }
}

fn zrm(raw: &RawFigures, lang: Lang) -> Section {
    let rows = raw
        .zrm
        .iter()
        .map(|d| {
            let hide = d.households < THRESHOLD;
            let parts = [d.improved, d.stable, d.worsened];
            let (hide_parts, _) = if hide {
                (vec![true; 3], true)
            } else {
                suppress_group(&parts.map(|p| p.households), Some(d.households))
            };
            let share = |i: usize, p: super::CountFigure| {
                let value = if d.persons > 0 {
                    100.0 * p.count as f64 / d.persons as f64
                } else {
                    0.0
                };
                Cell::unless(hide_parts[i], value, CellKind::Percent)
            };
            let mean = if d.persons > 0 {
                d.change_sum as f64 / d.persons as f64
            } else {
                0.0
            };
            Row {
                label: d.domain.clone(),
                total: false,
                cells: vec![
                    count(hide, d.households),
                    count(hide, d.persons),
                    Cell::unless(hide, mean, CellKind::Change),
                    share(0, d.improved),
                    share(1, d.stable),
                    share(2, d.worsened),
                ],
            }
        })
        .collect();
    Section {
        key: "zrm",
        title: t(
            lang,
            "ZRM: verandering tussen eerste en laatste meting",
            "ZRM: change between first and last assessment",
        ),
        column_keys: vec![
            "households",
            "persons",
            "mean_change",
            "improved",
            "stable",
            "worsened",
        ],
        columns: vec![
            t(lang, "huishoudens", "households"),
            t(lang, "personen", "persons"),
            t(lang, "gem. verandering", "mean change"),
            t(lang, "beter", "improved"),
            t(lang, "gelijk", "stable"),
            t(lang, "slechter", "worsened"),
        ],
        rows,
        note: Some(t(
            lang,
            "Per persoon met minstens twee metingen in de periode.",
            "Per person with at least two assessments in the period.",
        )),
    }
}

fn flags(raw: &RawFigures, lang: Lang) -> Section {
    let rows = raw
        .flags
        .iter()
        .map(|f| Row {
            label: f.kind.clone(),
            total: false,
            cells: vec![count(f.households < THRESHOLD, f.households)],
        })
        .collect();
    Section {
        key: "flags",
        title: t(lang, "Signalen per soort", "Flags by type"),
        column_keys: vec!["households"],
        columns: vec![t(lang, "huishoudens", "households")],
        rows,
        note: None,
    }
}

fn duration(raw: &RawFigures, lang: Lang) -> Section {
    let d = raw.duration;
    let hide = d.households < THRESHOLD;
    let mean = if d.households > 0 {
        d.total_days as f64 / d.households as f64
    } else {
        0.0
    };
    Section {
        key: "duration",
        title: t(lang, "Duur van de ondersteuning", "Duration of support"),
        column_keys: vec!["households", "mean_days"],
        columns: vec![
            t(lang, "afgesloten huishoudens", "closed households"),
            t(lang, "gem. dagen", "mean days"),
        ],
        rows: vec![Row {
            label: t(lang, "afgesloten in de periode", "closed in the period"),
            total: false,
            cells: vec![
                count(hide, d.households),
                Cell::unless(hide, mean, CellKind::Days),
            ],
        }],
        note: None,
    }
}

fn provisions(raw: &RawFigures, lang: Lang) -> Section {
    let households: Vec<i64> = raw.provisions.iter().map(|p| p.households).collect();
    let (hidden, _) = suppress_group(&households, None);
    let rows = raw
        .provisions
        .iter()
        .enumerate()
        .map(|(i, p)| Row {
            label: format!("{} / {} / {}", p.law, p.category, p.financing),
            total: false,
            cells: vec![count(hidden[i], p.count), count(hidden[i], p.households)],
        })
        .collect::<Vec<_>>();
    let note = rows.is_empty().then(|| {
        t(
            lang,
            "Geen toegekende of lopende voorzieningen in deze periode.",
            "No granted or running provisions in this period.",
        )
    });
    Section {
        key: "provisions",
        title: t(
            lang,
            "Voorzieningen per wet, categorie en financiering",
            "Provisions by law, category and financing",
        ),
        column_keys: vec!["count", "households"],
        columns: vec![
            t(lang, "aantal", "count"),
            t(lang, "huishoudens", "households"),
        ],
        rows,
        note,
    }
}

/// Actual care by law: how many provisions started, and ended per reason, in the period (from
/// the providers' start and stop messages).
fn care(raw: &RawFigures, lang: Lang) -> Section {
    let households: Vec<i64> = raw.care.iter().map(|c| c.households).collect();
    let (hidden, _) = suppress_group(&households, None);
    let rows = raw
        .care
        .iter()
        .enumerate()
        .map(|(i, c)| Row {
            label: match &c.ended {
                None => format!("{} / {}", c.law, t(lang, "zorg gestart", "care started")),
                Some(reason) => format!(
                    "{} / {}: {reason}",
                    c.law,
                    t(lang, "zorg beëindigd", "care ended")
                ),
            },
            total: false,
            cells: vec![count(hidden[i], c.count), count(hidden[i], c.households)],
        })
        .collect::<Vec<_>>();
    let note = rows.is_empty().then(|| {
        t(
            lang,
            "Geen start- of stopberichten van aanbieders in deze periode.",
            "No start or stop messages from providers in this period.",
        )
    });
    Section {
        key: "care",
        title: t(
            lang,
            "Zorg volgens de aanbieders: gestart en beëindigd (met reden)",
            "Care as providers report it: started and ended (with reason)",
        ),
        column_keys: vec!["count", "households"],
        columns: vec![
            t(lang, "aantal", "count"),
            t(lang, "huishoudens", "households"),
        ],
        rows,
        note,
    }
}

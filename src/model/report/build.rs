//! From raw counts to the report that may be shown.

use super::{
    Cell, CellKind, RawFigures, Report, Row, Section, Shown, ShownCare, ShownFigures, ShownRow,
};
use crate::domain::suppression::{THRESHOLD, round_minutes, round_shown, suppress_group};
use crate::i18n::Lang;

/// Applies small-cell suppression to `raw` and lays it out as sections in `lang`.
pub fn build(raw: &RawFigures, lang: Lang) -> Report {
    layout(&decide(raw), lang)
}

/// Decides what of `raw` may be shown: which cells are hidden, and every shown count rounded
/// (see [`crate::domain::suppression`]). The PostgreSQL server's `kt_steering` follows these
/// rules statement for statement (migration 7 there).
pub fn decide(raw: &RawFigures) -> ShownFigures {
    let mut shown = ShownFigures {
        from: raw.from,
        to: raw.to,
        team: raw.team.clone(),
        provisions_only: raw.provisions_only,
        ..ShownFigures::default()
    };
    if !raw.provisions_only {
        (shown.teams, shown.teams_total) = decide_teams(raw);
        (shown.contacts, shown.contacts_total) = decide_contacts(raw);
        shown.months = decide_months(raw);
        shown.agreements = [raw.made, raw.done, raw.overdue]
            .iter()
            .map(|f| {
                let hide = f.households < THRESHOLD;
                vec![count(hide, f.count), count(hide, f.households)]
            })
            .collect();
        shown.zrm = raw.zrm.iter().map(decide_zrm).collect();
        shown.flags = raw
            .flags
            .iter()
            .map(|f| ShownRow {
                label: f.kind.clone(),
                cells: vec![count(f.households < THRESHOLD, f.households)],
            })
            .collect();
        let d = raw.duration;
        let hide = d.households < THRESHOLD;
        shown.duration = vec![
            count(hide, d.households),
            ratio(hide, d.total_days, d.households, 1.0),
        ];
    }
    let households: Vec<i64> = raw.provisions.iter().map(|p| p.households).collect();
    let (hidden, _) = suppress_group(&households, None);
    shown.provisions = raw
        .provisions
        .iter()
        .zip(hidden)
        .map(|(p, hide)| ShownRow {
            label: format!("{} / {} / {}", p.law, p.category, p.financing),
            cells: vec![count(hide, p.count), count(hide, p.households)],
        })
        .collect();
    let households: Vec<i64> = raw.care.iter().map(|c| c.households).collect();
    let (hidden, _) = suppress_group(&households, None);
    shown.care = raw
        .care
        .iter()
        .zip(hidden)
        .map(|(c, hide)| ShownCare {
            law: c.law.clone(),
            ended: c.ended.clone(),
            cells: vec![count(hide, c.count), count(hide, c.households)],
        })
        .collect();
    shown
}

/// A count as it may be shown: hidden, or rounded down to a multiple of five (see
/// [`crate::domain::suppression`]: that is what stops two overlapping reports from being
/// subtracted).
fn count(hide: bool, v: i64) -> Shown {
    (!hide).then(|| round_shown(v) as f64)
}

/// A sum of minutes as it may be shown: hidden, or rounded down to whole hours.
fn minutes(hide: bool, v: i64) -> Shown {
    (!hide).then(|| round_minutes(v) as f64)
}

/// `scale × num / den` as it may be shown (0 without a denominator), or hidden.
fn ratio(hide: bool, num: i64, den: i64, scale: f64) -> Shown {
    (!hide).then(|| {
        if den > 0 {
            scale * num as f64 / den as f64
        } else {
            0.0
        }
    })
}

fn decide_teams(raw: &RawFigures) -> (Vec<ShownRow>, Option<Vec<Shown>>) {
    let with_total = raw.teams.len() > 1;
    let opened: Vec<i64> = raw.teams.iter().map(|f| f.opened).collect();
    let closed: Vec<i64> = raw.teams.iter().map(|f| f.closed).collect();
    let (opened_total, closed_total) = (opened.iter().sum::<i64>(), closed.iter().sum::<i64>());
    let (hide_opened, hide_opened_total) =
        suppress_group(&opened, with_total.then_some(opened_total));
    let (hide_closed, hide_closed_total) =
        suppress_group(&closed, with_total.then_some(closed_total));
    let rows = raw
        .teams
        .iter()
        .enumerate()
        .map(|(i, f)| ShownRow {
            label: f.team.clone(),
            cells: vec![
                count(hide_opened[i], f.opened),
                count(hide_closed[i], f.closed),
            ],
        })
        .collect();
    let total = with_total.then(|| {
        vec![
            count(hide_opened_total, opened_total),
            count(hide_closed_total, closed_total),
        ]
    });
    (rows, total)
}

fn decide_contacts(raw: &RawFigures) -> (Vec<ShownRow>, Option<Vec<Shown>>) {
    let households: Vec<i64> = raw.contacts.iter().map(|k| k.households).collect();
    let with_total = !raw.contacts.is_empty();
    let (hidden, hide_total) =
        suppress_group(&households, with_total.then_some(raw.contact_households));
    let rows = raw
        .contacts
        .iter()
        .enumerate()
        .map(|(i, k)| ShownRow {
            label: k.kind.clone(),
            cells: vec![
                count(hidden[i], k.contacts),
                minutes(hidden[i], k.minutes),
                count(hidden[i], k.households),
            ],
        })
        .collect();
    let total = with_total.then(|| {
        vec![
            count(hide_total, raw.contacts.iter().map(|k| k.contacts).sum()),
            minutes(hide_total, raw.contacts.iter().map(|k| k.minutes).sum()),
            count(hide_total, raw.contact_households),
        ]
    });
    (rows, total)
}

fn decide_months(raw: &RawFigures) -> Vec<ShownRow> {
    // The months add up to the contacts total shown in the contacts section, so they are one
    // group under that total.
    let households: Vec<i64> = raw.months.iter().map(|m| m.households).collect();
    let (hidden, _) = suppress_group(&households, Some(raw.contact_households));
    raw.months
        .iter()
        .enumerate()
        .map(|(i, m)| ShownRow {
            label: m.month.clone(),
            cells: vec![count(hidden[i], m.contacts), count(hidden[i], m.households)],
        })
        .collect()
}

fn decide_zrm(d: &super::DomainChange) -> ShownRow {
    let hide = d.households < THRESHOLD;
    let parts = [d.improved, d.stable, d.worsened];
    let (hide_parts, _) = if hide {
        (vec![true; 3], true)
    } else {
        suppress_group(&parts.map(|p| p.households), Some(d.households))
    };
    let mut cells = vec![
        count(hide, d.households),
        count(hide, d.persons),
        ratio(hide, d.change_sum, d.persons, 1.0),
    ];
    cells.extend(
        parts
            .iter()
            .zip(hide_parts)
            .map(|(p, hide)| ratio(hide, p.count, d.persons, 100.0)),
    );
    ShownRow {
        label: d.domain.clone(),
        cells,
    }
}

/// Lays `shown` out as sections in `lang`.
pub fn layout(shown: &ShownFigures, lang: Lang) -> Report {
    let t = |nl: &str, en: &str| match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => en.to_string(),
    };
    let scope = shown
        .team
        .clone()
        .unwrap_or_else(|| t("alle teams", "all teams"));
    let mut sections = Vec::new();
    if !shown.provisions_only {
        sections.push(households(shown, lang));
        sections.push(contacts(shown, lang));
        sections.push(months(shown, lang));
        sections.push(agreements(shown, lang));
        sections.push(zrm(shown, lang));
        sections.push(flags(shown, lang));
        sections.push(duration(shown, lang));
    }
    sections.push(provisions(shown, lang));
    sections.push(care(shown, lang));
    Report {
        from: shown.from,
        to: shown.to,
        scope,
        sections,
    }
}

/// The cells of `values` as `kinds` say (one per column); a value missing is hidden.
fn cells(values: &[Shown], kinds: &[CellKind]) -> Vec<Cell> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| match values.get(i).copied().flatten() {
            Some(v) => Cell::shown(v, *kind),
            None => Cell::hidden(*kind),
        })
        .collect()
}

/// The rows of `shown` with their cells as `kinds` say.
fn rows(shown: &[ShownRow], kinds: &[CellKind]) -> Vec<Row> {
    shown
        .iter()
        .map(|r| Row {
            label: r.label.clone(),
            total: false,
            cells: cells(&r.cells, kinds),
        })
        .collect()
}

/// A total line, when there is one.
fn total(values: Option<&Vec<Shown>>, kinds: &[CellKind], lang: Lang) -> Option<Row> {
    values.map(|values| Row {
        label: t(lang, "Totaal", "Total"),
        total: true,
        cells: cells(values, kinds),
    })
}

fn t(lang: Lang, nl: &str, en: &str) -> String {
    match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => en.to_string(),
    }
}

const COUNT: CellKind = CellKind::Count;

fn households(shown: &ShownFigures, lang: Lang) -> Section {
    let kinds = [COUNT, COUNT];
    let mut rows = rows(&shown.teams, &kinds);
    rows.extend(total(shown.teams_total.as_ref(), &kinds, lang));
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

fn contacts(shown: &ShownFigures, lang: Lang) -> Section {
    let kinds = [COUNT, COUNT, COUNT];
    let mut rows = rows(&shown.contacts, &kinds);
    rows.extend(total(shown.contacts_total.as_ref(), &kinds, lang));
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

fn months(shown: &ShownFigures, lang: Lang) -> Section {
    Section {
        key: "months",
        title: t(lang, "Contactmomenten per maand", "Contacts per month"),
        column_keys: vec!["contacts", "households"],
        columns: vec![
            t(lang, "aantal", "count"),
            t(lang, "huishoudens", "households"),
        ],
        rows: rows(&shown.months, &[COUNT, COUNT]),
        note: None,
    }
}

fn agreements(shown: &ShownFigures, lang: Lang) -> Section {
    let labels = [
        t(lang, "gemaakt", "made"),
        t(lang, "gedaan", "done"),
        t(lang, "te laat", "overdue"),
    ];
    let rows = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| Row {
            label,
            total: false,
            cells: cells(
                shown.agreements.get(i).map_or(&[][..], Vec::as_slice),
                &[COUNT, COUNT],
            ),
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

fn zrm(shown: &ShownFigures, lang: Lang) -> Section {
    let percent = CellKind::Percent;
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
        rows: rows(
            &shown.zrm,
            &[COUNT, COUNT, CellKind::Change, percent, percent, percent],
        ),
        note: Some(t(
            lang,
            "Per persoon met minstens twee metingen in de periode.",
            "Per person with at least two assessments in the period.",
        )),
    }
}

fn flags(shown: &ShownFigures, lang: Lang) -> Section {
    Section {
        key: "flags",
        title: t(lang, "Signalen per soort", "Flags by type"),
        column_keys: vec!["households"],
        columns: vec![t(lang, "huishoudens", "households")],
        rows: rows(&shown.flags, &[COUNT]),
        note: None,
    }
}

fn duration(shown: &ShownFigures, lang: Lang) -> Section {
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
            cells: cells(&shown.duration, &[COUNT, CellKind::Days]),
        }],
        note: None,
    }
}

fn provisions(shown: &ShownFigures, lang: Lang) -> Section {
    let rows = rows(&shown.provisions, &[COUNT, COUNT]);
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
fn care(shown: &ShownFigures, lang: Lang) -> Section {
    let rows = shown
        .care
        .iter()
        .map(|c| Row {
            label: match &c.ended {
                None => format!("{} / {}", c.law, t(lang, "zorg gestart", "care started")),
                Some(reason) => format!(
                    "{} / {}: {reason}",
                    c.law,
                    t(lang, "zorg beëindigd", "care ended")
                ),
            },
            total: false,
            cells: cells(&c.cells, &[COUNT, COUNT]),
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

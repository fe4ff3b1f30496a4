//! Steering figures (stuurinformatie): aggregated only, with small-cell suppression.
//!
//! The store counts ([`RawFigures`], never shown as they are); [`build`] turns them into a
//! [`Report`] in which every figure counting fewer than five households is hidden, including
//! the figures from which a hidden one could be recomputed. The renderers (`table`, `csv`,
//! `json`) and the reports screen only ever see a [`Report`].

mod build;
pub mod tally;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::Invalid;

pub use build::{build, decide, layout};

/// Counts as the store computes them, before suppression. Every count of households is the
/// number of distinct households behind a figure.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawFigures {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (inclusive).
    pub to: NaiveDate,
    /// The team the figures are about, or `None` for all teams.
    pub team: Option<String>,
    /// Only the provisions part may be shown (backoffice).
    pub provisions_only: bool,
    /// Households opened and closed in the period, per team.
    pub teams: Vec<TeamFlow>,
    /// Contacts in the period per kind.
    pub contacts: Vec<KindContacts>,
    /// Distinct households with any contact in the period.
    pub contact_households: i64,
    /// Contacts per calendar month of the period, every month present (for the sparkline).
    pub months: Vec<MonthContacts>,
    /// Agreements made in the period.
    pub made: CountFigure,
    /// Agreements done in the period.
    pub done: CountFigure,
    /// Agreements due in the period, before today, and still open.
    pub overdue: CountFigure,
    /// ZRM change per domain between each person's first and last assessment in the period.
    pub zrm: Vec<DomainChange>,
    /// Households with a flag of each type active at some time in the period.
    pub flags: Vec<FlagFigure>,
    /// Households closed in the period and the sum of their days of support.
    pub duration: DurationFigure,
    /// Provisions in force in the period by law, category and financing.
    pub provisions: Vec<ProvisionFigure>,
    /// Actual care as the providers reported it: started and ended in the period, by law and
    /// (for an end) the reason.
    pub care: Vec<CareFigure>,
}

/// Provisions of one law whose actual care started, or ended for one reason, in the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CareFigure {
    /// The law.
    pub law: String,
    /// `None` for "started"; the reason's code and words for "ended".
    pub ended: Option<String>,
    /// Provisions.
    pub count: i64,
    /// Distinct households.
    pub households: i64,
}

/// One team's flow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamFlow {
    /// Team name.
    pub team: String,
    /// Households opened in the period.
    pub opened: i64,
    /// Households closed in the period.
    pub closed: i64,
}

/// Contacts of one kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KindContacts {
    /// Display name of the kind.
    pub kind: String,
    /// Number of contacts.
    pub contacts: i64,
    /// Minutes spent.
    pub minutes: i64,
    /// Distinct households.
    pub households: i64,
}

/// Contacts in one calendar month.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthContacts {
    /// `YYYY-MM`.
    pub month: String,
    /// Number of contacts.
    pub contacts: i64,
    /// Distinct households.
    pub households: i64,
}

/// A count with the distinct households behind it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountFigure {
    /// How many.
    pub count: i64,
    /// Distinct households.
    pub households: i64,
}

/// ZRM change in one domain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainChange {
    /// The domain (professional wording).
    pub domain: String,
    /// Persons with a first and a last score in the domain.
    pub persons: i64,
    /// Their distinct households.
    pub households: i64,
    /// The sum of (last - first) over those persons.
    pub change_sum: i64,
    /// Persons whose score went up, and their distinct households.
    pub improved: CountFigure,
    /// Persons whose score stayed the same.
    pub stable: CountFigure,
    /// Persons whose score went down.
    pub worsened: CountFigure,
}

/// One flag type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagFigure {
    /// Display name of the flag type.
    pub kind: String,
    /// Distinct households.
    pub households: i64,
}

/// Duration of support of the households closed in the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DurationFigure {
    /// Households closed in the period.
    pub households: i64,
    /// Sum of their days from opening to closing.
    pub total_days: i64,
}

/// Provisions of one law, category and financing in force in the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProvisionFigure {
    /// The law (Wmo, Jeugdwet, Participatiewet).
    pub law: String,
    /// The product category.
    pub category: String,
    /// Zorg in natura or PGB.
    pub financing: String,
    /// Provisions.
    pub count: i64,
    /// Distinct households.
    pub households: i64,
}

/// A figure as it may be shown: its value (counts already rounded), or `None` where
/// suppression hides it.
pub type Shown = Option<f64>;

/// One row of shown figures: what it is about, and its cells in column order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShownRow {
    /// A team, a contact kind, a month, a domain, a flag type, or law / category / financing.
    pub label: String,
    /// One value per column.
    pub cells: Vec<Shown>,
}

/// One row of actual care as it may be shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShownCare {
    /// The law.
    pub law: String,
    /// `None` for "started"; the reason's code and words for "ended".
    pub ended: Option<String>,
    /// Provisions and households.
    pub cells: Vec<Shown>,
}

/// The steering figures after small-cell suppression, before they are laid out: every value as
/// it may be shown, or hidden. [`decide`] makes them from [`RawFigures`]; the PostgreSQL server
/// makes them itself (`kt_steering`, the same rules), so that no count under the threshold
/// leaves it. [`layout`] turns them into a [`Report`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShownFigures {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (inclusive).
    pub to: NaiveDate,
    /// The team the figures are about, or `None` for all teams.
    pub team: Option<String>,
    /// Only the provisions part is shown (backoffice).
    pub provisions_only: bool,
    /// Per team: opened, closed.
    pub teams: Vec<ShownRow>,
    /// The total of opened and closed, when there is more than one team.
    pub teams_total: Option<Vec<Shown>>,
    /// Per contact kind: contacts, minutes, households.
    pub contacts: Vec<ShownRow>,
    /// The contacts' total line, when there are contacts.
    pub contacts_total: Option<Vec<Shown>>,
    /// Per month (`YYYY-MM`): contacts, households.
    pub months: Vec<ShownRow>,
    /// Agreements made, done and overdue: count, households.
    pub agreements: Vec<Vec<Shown>>,
    /// Per ZRM domain: households, persons, mean change, improved, stable, worsened (percent).
    pub zrm: Vec<ShownRow>,
    /// Per flag type: households.
    pub flags: Vec<ShownRow>,
    /// Households closed in the period, and their mean days of support.
    pub duration: Vec<Shown>,
    /// Per law / category / financing: provisions, households.
    pub provisions: Vec<ShownRow>,
    /// Actual care started, and ended per reason.
    pub care: Vec<ShownCare>,
}

/// The steering report as it may be shown: every small figure hidden.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Whom it is about, e.g. "Overvecht" or "alle teams".
    pub scope: String,
    /// The sections.
    pub sections: Vec<Section>,
}

/// One table of figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    /// Stable key, e.g. `contacts`.
    pub key: &'static str,
    /// Title in the user's language.
    pub title: String,
    /// Column keys (stable, for CSV and JSON).
    pub column_keys: Vec<&'static str>,
    /// Column headers in the user's language.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Row>,
    /// An explanation, e.g. why a section is empty.
    pub note: Option<String>,
}

/// One row of a section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// What the row is about (a team, a contact kind, a domain).
    pub label: String,
    /// Whether this is the total line.
    pub total: bool,
    /// One cell per column.
    pub cells: Vec<Cell>,
}

/// One figure.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cell {
    /// The value; `None` when suppressed or not applicable.
    pub value: Option<f64>,
    /// Hidden because it counts fewer than five households or would reveal one that does.
    pub suppressed: bool,
    /// How to show the value.
    #[serde(skip)]
    pub kind: CellKind,
}

/// How a value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    /// A whole number.
    Count,
    /// A signed mean with one decimal.
    Change,
    /// A share in percent.
    Percent,
    /// A mean number of days.
    Days,
}

impl Cell {
    /// A shown value.
    pub fn shown(value: f64, kind: CellKind) -> Cell {
        Cell {
            value: Some(value),
            suppressed: false,
            kind,
        }
    }

    /// A hidden value.
    pub fn hidden(kind: CellKind) -> Cell {
        Cell {
            value: None,
            suppressed: true,
            kind,
        }
    }

    /// `value` unless `hide`.
    pub fn unless(hide: bool, value: f64, kind: CellKind) -> Cell {
        if hide {
            Cell::hidden(kind)
        } else {
            Cell::shown(value, kind)
        }
    }

    /// The cell as the screen shows it in `lang`: Dutch writes a decimal comma (`+0,3`).
    pub fn display_in(&self, lang: crate::i18n::Lang) -> String {
        let text = self.display();
        match lang {
            crate::i18n::Lang::Nl => text.replace('.', ","),
            crate::i18n::Lang::En => text,
        }
    }

    /// The cell as text: `<5` when suppressed, `-` when there is no value.
    pub fn display(&self) -> String {
        if self.suppressed {
            return format!("<{}", crate::domain::suppression::THRESHOLD);
        }
        match (self.value, self.kind) {
            (None, _) => "-".into(),
            (Some(v), CellKind::Count) | (Some(v), CellKind::Days) => format!("{v:.0}"),
            (Some(v), CellKind::Change) => format!("{v:+.1}"),
            (Some(v), CellKind::Percent) => format!("{v:.0}%"),
        }
    }
}

impl Report {
    /// The section with `key`.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }
}

impl Section {
    /// The cell in the row labelled `row` and the column `column`.
    pub fn cell(&self, row: &str, column: &str) -> Option<&Cell> {
        let c = self.column_keys.iter().position(|k| *k == column)?;
        self.rows.iter().find(|r| r.label == row)?.cells.get(c)
    }
}

/// What a report is asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRequest {
    /// First day (inclusive).
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// A team by name; `None` for the user's own team (or all teams for a beheerder).
    pub team: Option<String>,
}

/// Refuses a period that ends before it starts.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), Invalid> {
    if to < from {
        return Err(Invalid::new(
            "to",
            format!("De einddatum ({to}) ligt vóór de begindatum ({from}). Draai ze om."),
            format!("The end date ({to}) is before the start date ({from}). Swap them."),
        ));
    }
    Ok(())
}

//! The reports screen's state and its pure key handler. The screen shows one section of the
//! steering figures at a time (only ever a suppressed [`Report`]); the executor loads reports
//! and writes exports when the handler asks for it.

use super::keymap::Action;
use chrono::{Datelike, NaiveDate};

use crate::export::report::{ReportFormat, render};
use crate::i18n::Lang;
use crate::model::report::Report;

/// State of the reports screen.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportsView {
    /// First day of the period shown.
    pub from: NaiveDate,
    /// Last day of the period shown.
    pub to: NaiveDate,
    /// The team asked for (`None`: the user's own, or all for a beheerder).
    pub team: Option<String>,
    /// The loaded report; `None` while loading.
    pub report: Option<Report>,
    /// Why loading failed, in the user's language.
    pub error: Option<String>,
    /// The section shown.
    pub section: usize,
    /// First row shown of the section's table.
    pub scroll: usize,
}

/// What the screen asks for after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportsAction {
    /// Nothing beyond the state change.
    None,
    /// Leave the screen.
    Back,
    /// Load the report for the view's (new) period.
    Load {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
        /// Team.
        team: Option<String>,
    },
    /// Export what is shown, in this format (the executor writes it with
    /// [`crate::export::write_atomically`] to [`ReportsView::export_file_name`]).
    Export(ReportFormat),
}

impl ReportsView {
    /// The calendar year of `today`, for the user's default scope; load it with the returned
    /// action.
    pub fn new(today: NaiveDate, team: Option<String>) -> (ReportsView, ReportsAction) {
        let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let to = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
        let view = ReportsView {
            from,
            to,
            team: team.clone(),
            report: None,
            error: None,
            section: 0,
            scroll: 0,
        };
        (view, ReportsAction::Load { from, to, team })
    }

    /// The report arrived (or failed to).
    pub fn loaded(&mut self, result: Result<Report, String>) {
        match result {
            Ok(report) => {
                self.section = self.section.min(report.sections.len().saturating_sub(1));
                self.report = Some(report);
                self.error = None;
            }
            Err(message) => {
                self.report = None;
                self.error = Some(message);
            }
        }
        self.scroll = 0;
    }

    fn sections(&self) -> usize {
        self.report.as_ref().map_or(0, |r| r.sections.len())
    }

    fn rows(&self) -> usize {
        self.report
            .as_ref()
            .and_then(|r| r.sections.get(self.section))
            .map_or(0, |s| s.rows.len())
    }

    /// The same period one year earlier (`-1`) or later (`1`).
    fn shift_year(&mut self, by: i32) -> ReportsAction {
        let shift = |d: NaiveDate| {
            NaiveDate::from_ymd_opt(d.year() + by, d.month(), d.day())
                .or_else(|| NaiveDate::from_ymd_opt(d.year() + by, d.month(), 28))
                .unwrap_or(d)
        };
        self.from = shift(self.from);
        self.to = shift(self.to);
        self.report = None;
        self.error = None;
        ReportsAction::Load {
            from: self.from,
            to: self.to,
            team: self.team.clone(),
        }
    }

    /// The export of what is shown: the whole loaded report in `format`.
    pub fn export_text(&self, format: ReportFormat, lang: Lang) -> Option<String> {
        self.report.as_ref().map(|r| render(r, format, lang))
    }

    /// A file name for the export, e.g. `stuurcijfers-overvecht-2026-01-01-2026-12-31.csv`.
    pub fn export_file_name(&self, format: ReportFormat) -> String {
        let scope: String = self
            .report
            .as_ref()
            .map_or("alle-teams".to_string(), |r| r.scope.clone())
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        let ext = match format {
            ReportFormat::Table => "txt",
            ReportFormat::Csv => "csv",
            ReportFormat::Json => "json",
        };
        format!("stuurcijfers-{scope}-{}-{}.{ext}", self.from, self.to)
    }
}

/// Does what `action` means on the reports screen (keys come from the key map's `reports`
/// table: next/previous section, scroll, a year back or forward, export CSV or JSON, back).
pub fn handle_action(view: &mut ReportsView, action: Action) -> ReportsAction {
    let sections = view.sections();
    match action {
        Action::Back => ReportsAction::Back,
        Action::NextPanel | Action::PrevPanel => {
            if sections > 0 {
                let step = if action == Action::NextPanel {
                    1
                } else {
                    sections - 1
                };
                view.section = (view.section + step) % sections;
                view.scroll = 0;
            }
            ReportsAction::None
        }
        Action::Down => {
            if view.scroll + 1 < view.rows() {
                view.scroll += 1;
            }
            ReportsAction::None
        }
        Action::Up => {
            view.scroll = view.scroll.saturating_sub(1);
            ReportsAction::None
        }
        Action::PrevPeriod => view.shift_year(-1),
        Action::NextPeriod => view.shift_year(1),
        Action::ExportCsv if view.report.is_some() => ReportsAction::Export(ReportFormat::Csv),
        Action::ExportJson if view.report.is_some() => ReportsAction::Export(ReportFormat::Json),
        _ => ReportsAction::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::app::keymap::{Context, KeyMap, Typing};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    /// A key through the default key map, as the app does it.
    fn press(view: &mut ReportsView, code: KeyCode) -> ReportsAction {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        match KeyMap::default().action(Context::Reports, &key, Typing::No) {
            Some(action) => handle_action(view, action),
            None => ReportsAction::None,
        }
    }

    fn report(sections: usize) -> Report {
        let empty = crate::model::report::RawFigures {
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            team: Some("Overvecht".into()),
            ..Default::default()
        };
        let mut r = crate::model::report::build(&empty, Lang::Nl);
        r.sections.truncate(sections);
        r
    }

    #[test]
    fn tab_walks_the_sections_round_and_esc_leaves() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (mut view, load) = ReportsView::new(today, None);
        assert!(matches!(load, ReportsAction::Load { .. }));
        assert_eq!(view.from.to_string(), "2026-01-01");
        view.loaded(Ok(report(3)));
        press(&mut view, KeyCode::Tab);
        press(&mut view, KeyCode::Tab);
        assert_eq!(view.section, 2);
        press(&mut view, KeyCode::Tab);
        assert_eq!(view.section, 0);
        press(&mut view, KeyCode::BackTab);
        assert_eq!(view.section, 2);
        assert_eq!(press(&mut view, KeyCode::Esc), ReportsAction::Back);
    }

    #[test]
    fn brackets_move_a_year_and_ask_for_a_load() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (mut view, _) = ReportsView::new(today, Some("Zuid".into()));
        view.loaded(Ok(report(2)));
        let action = press(&mut view, KeyCode::Char('['));
        assert_eq!(
            action,
            ReportsAction::Load {
                from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
                team: Some("Zuid".into()),
            }
        );
        assert!(view.report.is_none());
    }

    #[test]
    fn export_only_when_something_is_shown() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (mut view, _) = ReportsView::new(today, None);
        assert_eq!(press(&mut view, KeyCode::Char('e')), ReportsAction::None);
        view.loaded(Ok(report(2)));
        assert_eq!(
            press(&mut view, KeyCode::Char('e')),
            ReportsAction::Export(ReportFormat::Csv)
        );
        assert_eq!(
            view.export_file_name(ReportFormat::Csv),
            "stuurcijfers-overvecht-2026-01-01-2026-12-31.csv"
        );
        assert!(
            view.export_text(ReportFormat::Csv, Lang::Nl)
                .unwrap()
                .starts_with("section,")
        );
    }
}

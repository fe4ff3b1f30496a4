//! The report as a text table, CSV or JSON. Only suppressed figures go in; `<5` comes out.

use crate::i18n::Lang;
use crate::model::report::Report;

/// The output formats of `keukentafel report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Aligned text tables.
    Table,
    /// One CSV with a line per figure.
    Csv,
    /// JSON with `suppressed` per figure.
    Json,
}

impl ReportFormat {
    /// Parses `table`, `csv` or `json`.
    pub fn parse(s: &str) -> Option<ReportFormat> {
        match s.trim().to_lowercase().as_str() {
            "table" | "tabel" => Some(ReportFormat::Table),
            "csv" => Some(ReportFormat::Csv),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }
}

/// Renders `report`.
pub fn render(report: &Report, format: ReportFormat, lang: Lang) -> String {
    match format {
        ReportFormat::Table => table(report, lang),
        ReportFormat::Csv => csv(report),
        ReportFormat::Json => json(report),
    }
}

fn table(report: &Report, lang: Lang) -> String {
    let mut out = match lang {
        Lang::Nl => format!(
            "Stuurcijfers {}, {} t/m {}\nFiguren die minder dan 5 huishoudens tellen staan er als <5; aantallen zijn naar beneden afgerond op een veelvoud van 5 (10 is 10 t/m 14), minuten op hele uren.\n",
            report.scope, report.from, report.to
        ),
        Lang::En => format!(
            "Steering figures {}, {} to {}\nFigures counting fewer than 5 households show as <5; counts are rounded down to a multiple of 5 (10 is 10 to 14), minutes to whole hours.\n",
            report.scope, report.from, report.to
        ),
    };
    for section in &report.sections {
        out.push('\n');
        out.push_str(&section.title);
        out.push('\n');
        let label_width = section
            .rows
            .iter()
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(0)
            .max(12);
        let widths: Vec<usize> = section
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                section
                    .rows
                    .iter()
                    .filter_map(|r| r.cells.get(i))
                    .map(|c| c.display().chars().count())
                    .max()
                    .unwrap_or(0)
                    .max(c.chars().count())
            })
            .collect();
        if !section.rows.is_empty() {
            out.push_str(&format!("  {:label_width$}", ""));
            for (c, w) in section.columns.iter().zip(&widths) {
                out.push_str(&format!("  {c:>w$}"));
            }
            out.push('\n');
        }
        for row in &section.rows {
            out.push_str(&format!("  {:label_width$}", row.label));
            for (cell, w) in row.cells.iter().zip(&widths) {
                out.push_str(&format!("  {:>w$}", cell.display()));
            }
            out.push('\n');
        }
        if let Some(note) = &section.note {
            out.push_str(&format!("  ({note})\n"));
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(report: &Report) -> String {
    let mut out = String::from("section,row,column,value,suppressed\n");
    for section in &report.sections {
        for row in &section.rows {
            for (key, cell) in section.column_keys.iter().zip(&row.cells) {
                let value = if cell.suppressed {
                    cell.display()
                } else {
                    cell.value.map_or(String::new(), |_| cell.display())
                };
                out.push_str(&format!(
                    "{},{},{},{},{}\n",
                    section.key,
                    csv_field(&row.label),
                    key,
                    csv_field(value.trim_end_matches('%')),
                    cell.suppressed
                ));
            }
        }
    }
    out
}

fn json(report: &Report) -> String {
    use serde_json::{Map, Value, json};
    let sections: Vec<Value> = report
        .sections
        .iter()
        .map(|s| {
            let rows: Vec<Value> = s
                .rows
                .iter()
                .map(|r| {
                    let mut cells = Map::new();
                    for (key, cell) in s.column_keys.iter().zip(&r.cells) {
                        cells.insert(
                            (*key).to_string(),
                            json!({
                                "value": if cell.suppressed { None } else { cell.value.map(round) },
                                "display": cell.display(),
                                "suppressed": cell.suppressed,
                            }),
                        );
                    }
                    json!({ "label": r.label, "total": r.total, "figures": cells })
                })
                .collect();
            json!({
                "key": s.key,
                "title": s.title,
                "note": s.note,
                "rows": rows,
            })
        })
        .collect();
    let doc = json!({
        "from": report.from.to_string(),
        "to": report.to.to_string(),
        "scope": report.scope,
        "suppression_threshold": crate::domain::suppression::THRESHOLD,
        "sections": sections,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Two decimals are enough for means and shares.
fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

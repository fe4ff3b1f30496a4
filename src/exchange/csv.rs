//! CSV as Dutch Excel opens it: `;` between fields, UTF-8 with a byte-order mark (without it
//! Excel reads the file as Windows-1252 and mangles "ë"), CRLF line ends, dates `dd-mm-jjjj`,
//! and fields with `;`, `"` or a line break in double quotes (a quote doubled).
//!
//! The reader accepts what spreadsheets and other systems write: `;` or `,`, with or without
//! the byte-order mark, CRLF or LF, quoted fields spanning lines.

use std::borrow::Cow;

use chrono::NaiveDate;

/// The byte-order mark that tells Excel the file is UTF-8.
pub const BOM: char = '\u{feff}';

/// The separator Dutch Excel expects (its list separator, since the comma is the decimal sign).
pub const SEPARATOR: char = ';';

/// A date as Dutch users and Excel read it: `dd-mm-jjjj`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// An optional date; empty when absent.
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// One field, quoted when it holds the separator, a quote or a line break, or starts or ends
/// with a space (which a reader would otherwise trim).
pub fn field(value: &str, separator: char) -> Cow<'_, str> {
    if value.contains([separator, '"', '\n', '\r'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
    {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

/// Free text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) gets a
/// leading apostrophe, so opening the file never runs anything (CSV injection).
pub fn text(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The whole file: byte-order mark, header, rows; every line ends in CRLF.
pub fn write(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::with_capacity(64 * (rows.len() + 1));
    out.push(BOM);
    let mut line = |fields: &mut dyn Iterator<Item = &str>| {
        let mut first = true;
        for f in fields {
            if !first {
                out.push(SEPARATOR);
            }
            first = false;
            out.push_str(&field(f, SEPARATOR));
        }
        out.push_str("\r\n");
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// One record read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The line in the file where the record starts (1 is the header).
    pub line: usize,
    /// The fields, trimmed of surrounding spaces.
    pub fields: Vec<String>,
}

/// Why a file cannot be read at all (as opposed to one bad row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// The file is empty.
    Empty,
    /// The file is not UTF-8.
    NotUtf8,
    /// The header splits into the expected columns with another separator (the one found).
    WrongSeparator(char),
    /// The header is not the expected one: what was found when it reads as a header (column
    /// names), `None` when the first line looks like data (digits in it: a BSN, a date), which
    /// is never echoed.
    WrongHeader(Option<String>),
    /// A line (this number, 1 for the header) is longer than any valid line can be.
    LineTooLong(usize),
}

/// The longest line read, in characters: far above the longest valid record (every column at
/// its own limit), so that a file that is no list (one enormous line) is refused at once.
pub const MAX_LINE_CHARS: usize = 2000;

impl FileError {
    /// The message in Dutch and English, naming what was expected.
    pub fn message(&self, expected: &[&str]) -> (String, String) {
        let want = expected.join(";");
        match self {
            FileError::Empty => (
                format!("Het bestand is leeg; verwacht een kopregel `{want}`."),
                format!("The file is empty; expected a header `{want}`."),
            ),
            FileError::NotUtf8 => (
                "Het bestand is geen UTF-8-tekst. Sla het in Excel op als \"CSV UTF-8 (gescheiden door lijstscheidingsteken)\".".into(),
                "The file is not UTF-8 text. Save it from Excel as \"CSV UTF-8 (comma delimited)\".".into(),
            ),
            FileError::WrongSeparator(found) => (
                format!(
                    "Verkeerd scheidingsteken {}: gebruik ; (puntkomma) of , (komma). Verwachte kopregel: `{want}`.",
                    shown(*found)
                ),
                format!(
                    "Wrong separator {}: use ; (semicolon) or , (comma). Expected header: `{want}`.",
                    shown(*found)
                ),
            ),
            FileError::WrongHeader(Some(found)) => (
                format!("Verkeerde kopregel `{found}`; verwacht `{want}`."),
                format!("Wrong header `{found}`; expected `{want}`."),
            ),
            FileError::LineTooLong(line) => (
                format!(
                    "Regel {line} is langer dan {MAX_LINE_CHARS} tekens; zo lang is geen geldige regel. Er is niets ingelezen."
                ),
                format!(
                    "Line {line} is longer than {MAX_LINE_CHARS} characters; no valid line is that long. Nothing was imported."
                ),
            ),
            FileError::WrongHeader(None) => (
                format!(
                    "De eerste regel is geen kopregel maar lijkt een gegevensregel (die toon ik niet: er kan een BSN in staan). Zet bovenaan de kopregel `{want}`."
                ),
                format!(
                    "The first line is not a header but looks like data (not shown: it may hold a BSN). Put the header `{want}` at the top."
                ),
            ),
        }
    }
}

fn shown(c: char) -> String {
    match c {
        '\t' => "(tab)".into(),
        ' ' => "(spatie)".into(),
        c => format!("'{c}'"),
    }
}

/// A file read: its separator and records. A record that cannot be split (an unclosed
/// quote) comes back with `None` fields, so its row can be named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// `;` or `,`.
    pub separator: char,
    /// The data records, without the header and without empty lines.
    pub records: Vec<Result<Record, usize>>,
}

/// Reads `bytes`, whose header must be `required` followed by any prefix of `optional`
/// (case and surrounding spaces do not matter). Returns the table and how many columns the
/// header has.
pub fn read(
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
) -> Result<(Table, usize), FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    // Bytes first: a line of fewer bytes has fewer characters.
    if let Some(n) = text
        .split('\n')
        .position(|l| l.len() > MAX_LINE_CHARS && l.chars().count() > MAX_LINE_CHARS)
    {
        return Err(FileError::LineTooLong(n + 1));
    }
    let header_line = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r');
    let fits = |names: &[String]| -> Option<usize> {
        let n = names.len();
        let ok = n >= required.len()
            && n <= required.len() + optional.len()
            && names
                .iter()
                .zip(required.iter().chain(optional.iter()))
                .all(|(got, want)| got.trim().eq_ignore_ascii_case(want));
        ok.then_some(n)
    };
    let split = |sep: char| -> Vec<String> {
        header_line
            .split(sep)
            .map(|s| s.trim().trim_matches('"').to_string())
            .collect()
    };
    let mut chosen = None;
    for sep in [SEPARATOR, ','] {
        if let Some(n) = fits(&split(sep)) {
            chosen = Some((sep, n));
            break;
        }
    }
    let Some((separator, columns)) = chosen else {
        for other in ['\t', '|', ' ', ':'] {
            if fits(&split(other)).is_some() {
                return Err(FileError::WrongSeparator(other));
            }
        }
        // A header holds names; a first line with digits is data and may hold a BSN.
        if header_line.chars().any(|c| c.is_ascii_digit()) {
            return Err(FileError::WrongHeader(None));
        }
        let found: String = header_line
            .chars()
            .filter(|c| !c.is_control())
            .take(120)
            .collect();
        return Err(FileError::WrongHeader(Some(found)));
    };
    let body_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let records = records(&text[body_start..], separator, 2);
    Ok((Table { separator, records }, columns))
}

/// Splits `body` into records; `first_line` is the line number of its first line.
fn records(body: &str, separator: char, first_line: usize) -> Vec<Result<Record, usize>> {
    let mut out = Vec::new();
    let mut line = first_line;
    let mut chars = body.chars().peekable();
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut current = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        let mut broken = false;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    broken = true;
                }
                break;
            };
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        current.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        line += 1;
                        current.push('\n');
                    }
                    c => current.push(c),
                }
                continue;
            }
            match c {
                '"' if current.trim().is_empty() && !was_quoted => {
                    current.clear();
                    quoted = true;
                    was_quoted = true;
                }
                c if c == separator => {
                    fields.push(finish(&mut current, was_quoted));
                    was_quoted = false;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' => {
                    line += 1;
                    break;
                }
                c => current.push(c),
            }
        }
        fields.push(finish(&mut current, was_quoted));
        if broken {
            out.push(Err(start));
        } else if !(fields.len() == 1 && fields[0].is_empty()) {
            out.push(Ok(Record {
                line: start,
                fields,
            }));
        }
    }
    out
}

fn finish(current: &mut String, quoted: bool) -> String {
    let value = std::mem::take(current);
    if quoted {
        value
    } else {
        value.trim().to_string()
    }
}

/// A date from a file: `dd-mm-jjjj` (also `d-m-jjjj`, `/` or `.` between) or ISO `jjjj-mm-dd`.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.len() == 10 && v.as_bytes().get(4) == Some(&b'-') {
        return NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    }
    let parts: Vec<&str> = v.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            let (d, m, y) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
            NaiveDate::from_ymd_opt(y, m, d)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separator_quote_or_newline_are_quoted() {
        assert_eq!(field("plain", ';'), "plain");
        assert_eq!(field("a;b", ';'), "\"a;b\"");
        assert_eq!(field("zeg \"hoi\"", ';'), "\"zeg \"\"hoi\"\"\"");
        assert_eq!(field("twee\nregels", ';'), "\"twee\nregels\"");
        assert_eq!(text("=SOM(A1)"), "'=SOM(A1)");
        assert_eq!(text("Fam. Jansen"), "Fam. Jansen");
    }

    #[test]
    fn a_written_table_reads_back() {
        let rows = vec![vec!["Fam. \"de\" Vries;".to_string(), "a\r\nb".to_string()]];
        let out = write(&["naam", "notitie"], &rows);
        assert!(out.starts_with('\u{feff}'));
        assert!(out.ends_with("\r\n"));
        let (table, n) = read(out.as_bytes(), &["naam", "notitie"], &[]).unwrap();
        assert_eq!((table.separator, n), (';', 2));
        assert_eq!(
            table.records,
            vec![Ok(Record {
                line: 2,
                fields: rows[0].clone()
            })]
        );
    }

    #[test]
    fn the_header_decides_separator_and_refuses_others() {
        let (t, n) = read(
            b"bsn,signaal,sinds,bron\n1,2,3,4\n",
            &["bsn", "signaal", "sinds", "bron"],
            &["einde"],
        )
        .unwrap();
        assert_eq!((t.separator, n), (',', 4));
        assert_eq!(
            read(
                b"bsn\tsignaal\tsinds\tbron\n",
                &["bsn", "signaal", "sinds", "bron"],
                &[]
            ),
            Err(FileError::WrongSeparator('\t'))
        );
        assert!(matches!(
            read(
                b"bsn;soort;sinds;bron\n",
                &["bsn", "signaal", "sinds", "bron"],
                &[]
            ),
            Err(FileError::WrongHeader(Some(_)))
        ));
        assert_eq!(read(b"\xef\xbb\xbf \n", &["a"], &[]), Err(FileError::Empty));
        assert_eq!(read(b"\xff\xfe", &["a"], &[]), Err(FileError::NotUtf8));
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        let (t, _) = read(b"a;b\n1;2\n\"3;4\n", &["a", "b"], &[]).unwrap();
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[1], Err(3));
    }

    #[test]
    fn dates_in_files() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5);
        assert_eq!(parse_date("05-03-2026"), d);
        assert_eq!(parse_date("5-3-2026"), d);
        assert_eq!(parse_date("2026-03-05"), d);
        assert_eq!(parse_date("31-02-2026"), None);
        assert_eq!(parse_date("05-03-26"), None);
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()),
            "05-03-2026"
        );
    }
}

//! The toewijzing message to a provider: iWmo 3.2 WMO301 (berichtcode 414) or iJw 3.2 JW301
//! (berichtcode 436), built after the Zorginstituut's information model. One message per
//! provider and law; one `Client` per member, with a `ToegewezenProduct` per provision.
//!
//! Filled: the header (code, version 3.2, afzender gemeente, ontvanger AGB, identificatie,
//! dagtekening, XSD versions); the client's BSN, birth date, gender "0" (unknown: the app does
//! not record gender), name (surname with voorvoegsel, first name, initials, NaamGebruik 1);
//! per product the toewijzingnummer, category and code, toewijzingsdatum and -tijd, ingangs-
//! and einddatum and the omvang (volume, eenheid, frequentie). See README "Toewijzingen" for
//! what is simplified.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::domain::Invalid;
use crate::domain::provision::{Frequency, Law, Unit};

/// BerichtVersie and BerichtSubversie: release 3.2.
pub const VERSION: (u8, u8) = (3, 2);

/// The XSD versions written in the header (basisschema, bericht).
pub const XSD_VERSIONS: (&str, &str) = ("1.0.0", "1.0.0");

/// The message kind of a law: (berichtcode, name, namespace).
pub fn kind(law: Law) -> (&'static str, &'static str, &'static str) {
    match law {
        Law::Wmo => (
            "414",
            "WMO301",
            "http://www.istandaarden.nl/iwmo/3_2/wmo301/schema",
        ),
        Law::Jeugdwet => (
            "436",
            "JW301",
            "http://www.istandaarden.nl/ijw/3_2/jw301/schema",
        ),
    }
}

/// The header of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Wmo (WMO301) or Jeugdwet (JW301).
    pub law: Law,
    /// The sending municipality's CBS code (4 digits).
    pub gemeente: String,
    /// The receiving provider's AGB code (8 digits).
    pub agb: String,
    /// The message's identification, unique per sender and kind (at most 12 characters).
    pub identification: String,
    /// The date of the message.
    pub dagtekening: NaiveDate,
}

/// One client in the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// The BSN (9 digits, elfproef).
    pub bsn: String,
    /// The birth date, when known.
    pub birth_date: Option<NaiveDate>,
    /// The name as recorded ("Fatima El Amrani").
    pub name: String,
    /// The assigned products.
    pub products: Vec<AssignedProduct>,
}

/// One toegewezen product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedProduct {
    /// The toewijzingnummer (at most 9 digits).
    pub number: String,
    /// Product category (2 characters).
    pub category: String,
    /// Product code (at most 5 characters).
    pub code: String,
    /// The date of the toewijzing.
    pub assigned_on: NaiveDate,
    /// First day.
    pub start_on: NaiveDate,
    /// Last day.
    pub end_on: Option<NaiveDate>,
    /// Volume per frequency.
    pub volume: u32,
    /// Unit.
    pub unit: Unit,
    /// Frequency.
    pub frequency: Frequency,
}

/// A name split as the message wants it: (voorvoegsel, achternaam, voornamen, voorletters).
/// The app records one name; the first word is taken as the first name, the rest as the
/// surname, with a leading Dutch voorvoegsel ("van der", "de", …) split off.
pub fn split_name(name: &str) -> (Option<String>, String, Option<String>, String) {
    const PREFIXES: [&str; 12] = [
        "van der", "van den", "van de", "van 't", "in 't", "van", "de", "den", "der", "ter", "ten",
        "te",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    let (first, rest) = match words.as_slice() {
        [] => return (None, String::from("-"), None, String::from("X")),
        [only] => return (None, (*only).to_string(), None, initial(only)),
        [first, rest @ ..] => (*first, rest.join(" ")),
    };
    let lower = rest.to_lowercase();
    for p in PREFIXES {
        if lower.starts_with(p) && lower.as_bytes().get(p.len()) == Some(&b' ') {
            let surname = rest[p.len()..].trim().to_string();
            return (
                Some(rest[..p.len()].to_string()),
                surname,
                Some(first.to_string()),
                initial(first),
            );
        }
    }
    (None, rest, Some(first.to_string()), initial(first))
}

fn initial(word: &str) -> String {
    word.chars()
        .find(|c| c.is_alphabetic())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "X".into())
}

/// Escapes text for XML content.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn open(&mut self, name: &str) {
        let _ = writeln!(self.out, "{:w$}<{name}>", "", w = self.depth * 2);
        self.depth += 1;
    }
    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        let _ = writeln!(self.out, "{:w$}</{name}>", "", w = self.depth * 2);
    }
    fn leaf(&mut self, name: &str, value: &str) {
        let _ = writeln!(
            self.out,
            "{:w$}<{name}>{}</{name}>",
            "",
            escape(value),
            w = self.depth * 2
        );
    }
}

fn refuse(bsn: &str, number: &str, nl: String, en: String) -> Invalid {
    let masked = format!("*****{}", bsn.get(5..).unwrap_or(""));
    Invalid::new(
        "toewijzing",
        format!("Toewijzing {number} (BSN {masked}): {nl}"),
        format!("Toewijzing {number} (BSN {masked}): {en}"),
    )
}

/// Checks one product against the message's rules (lengths, CS338, an end date for a total).
fn check(client: &Client, p: &AssignedProduct) -> Result<(), Invalid> {
    let bad = |nl: &str, en: &str| Err(refuse(&client.bsn, &p.number, nl.into(), en.into()));
    if p.number.is_empty() || p.number.len() > 9 || !p.number.chars().all(|c| c.is_ascii_digit()) {
        return bad(
            "het toewijzingnummer moet uit 1 tot 9 cijfers bestaan.",
            "the toewijzing number must have 1 to 9 digits.",
        );
    }
    if p.category.len() != 2 || p.code.is_empty() || p.code.len() > 5 {
        return bad(
            "productcategorie (2 tekens) of productcode (tot 5 tekens) past niet in het bericht.",
            "product category (2 characters) or product code (up to 5) does not fit the message.",
        );
    }
    if p.volume > 99_999_999 {
        return bad("de omvang is te groot.", "the volume is too large.");
    }
    if matches!(p.unit, Unit::Etmaal | Unit::Dagdeel | Unit::Euro)
        && p.frequency == Frequency::PerDag
    {
        return bad(
            "bij eenheid etmaal, dagdeel of euro hoort frequentie per week, per maand of totaal (regel CS338).",
            "with unit etmaal, dagdeel or euro the frequency must be per week, per month or total (rule CS338).",
        );
    }
    if p.frequency == Frequency::Totaal && p.end_on.is_none() {
        return bad(
            "een omvang 'totaal binnen de geldigheidsduur' heeft een einddatum nodig.",
            "a volume 'total within the validity' needs an end date.",
        );
    }
    if p.end_on.is_some_and(|e| e < p.start_on) {
        return bad(
            "de einddatum ligt voor de ingangsdatum.",
            "the end date is before the start date.",
        );
    }
    Ok(())
}

/// Renders the message, or names the first client or product that cannot go in it.
pub fn render(header: &Header, clients: &[Client]) -> Result<String, Invalid> {
    if header.gemeente.len() != 4 || !header.gemeente.chars().all(|c| c.is_ascii_digit()) {
        return Err(Invalid::new(
            "gemeentecode",
            format!(
                "De gemeentecode '{}' moet 4 cijfers zijn (zet gemeentecode in config.toml).",
                header.gemeente
            ),
            format!(
                "The gemeentecode '{}' must be 4 digits (set gemeentecode in config.toml).",
                header.gemeente
            ),
        ));
    }
    if header.identification.is_empty() || header.identification.len() > 12 {
        return Err(Invalid::new(
            "identificatie",
            "De berichtidentificatie moet 1 tot 12 tekens zijn.",
            "The message identification must be 1 to 12 characters.",
        ));
    }
    let (code, _, namespace) = kind(header.law);
    let mut w = Writer {
        out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        depth: 0,
    };
    let _ = writeln!(w.out, "<Bericht xmlns=\"{namespace}\">");
    w.depth = 1;
    w.open("Header");
    w.leaf("BerichtCode", code);
    w.leaf("BerichtVersie", &VERSION.0.to_string());
    w.leaf("BerichtSubversie", &VERSION.1.to_string());
    w.leaf("Afzender", &header.gemeente);
    w.leaf("Ontvanger", &header.agb);
    w.open("BerichtIdentificatie");
    w.leaf("Identificatie", &header.identification);
    w.leaf("Dagtekening", &iso(header.dagtekening));
    w.close("BerichtIdentificatie");
    w.open("XsdVersie");
    w.leaf("BasisschemaXsdVersie", XSD_VERSIONS.0);
    w.leaf("BerichtXsdVersie", XSD_VERSIONS.1);
    w.close("XsdVersie");
    w.close("Header");
    for client in clients {
        if !crate::domain::bsn::is_valid_bsn(&client.bsn) {
            let number = client.products.first().map_or("", |p| p.number.as_str());
            return Err(refuse(
                &client.bsn,
                number,
                "het BSN ontbreekt of klopt niet; een toewijzing heeft een geldig BSN nodig."
                    .into(),
                "the BSN is missing or invalid; a toewijzing needs a valid BSN.".into(),
            ));
        }
        for p in &client.products {
            check(client, p)?;
        }
        w.open("Client");
        w.leaf("Bsn", &client.bsn);
        w.open("Geboortedatum");
        match client.birth_date {
            Some(d) => w.leaf("Datum", &iso(d)),
            None => {
                // Unknown: 1900-01-01 with DatumGebruik 3 (dag, maand en jaar onbekend).
                w.leaf("Datum", "1900-01-01");
                w.leaf("DatumGebruik", "3");
            }
        }
        w.close("Geboortedatum");
        w.leaf("Geslacht", "0");
        let (prefix, surname, first, initials) = split_name(&client.name);
        w.open("Naam");
        w.open("Geslachtsnaam");
        w.leaf("Achternaam", &surname);
        if let Some(prefix) = prefix {
            w.leaf("Voorvoegsel", &prefix);
        }
        w.close("Geslachtsnaam");
        if let Some(first) = first {
            w.leaf("Voornamen", &first);
        }
        w.leaf("Voorletters", &initials);
        w.leaf("NaamGebruik", "1");
        w.close("Naam");
        w.open("ToegewezenProducten");
        for p in &client.products {
            w.open("ToegewezenProduct");
            w.leaf("ToewijzingNummer", &p.number);
            w.open("Product");
            w.leaf("Categorie", &p.category);
            w.leaf("Code", &p.code);
            w.close("Product");
            w.leaf("Toewijzingsdatum", &iso(p.assigned_on));
            w.leaf("Toewijzingstijd", "00:00:00");
            w.leaf("Ingangsdatum", &iso(p.start_on));
            if let Some(end) = p.end_on {
                w.leaf("Einddatum", &iso(end));
            }
            w.open("Omvang");
            w.leaf("Volume", &p.volume.to_string());
            w.leaf("Eenheid", p.unit.istandaard());
            w.leaf("Frequentie", p.frequency.istandaard());
            w.close("Omvang");
            w.close("ToegewezenProduct");
        }
        w.close("ToegewezenProducten");
        w.close("Client");
    }
    w.depth = 0;
    w.out.push_str("</Bericht>\n");
    Ok(w.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_with_dutch_voorvoegsels() {
        assert_eq!(
            split_name("Fatima El Amrani"),
            (None, "El Amrani".into(), Some("Fatima".into()), "F".into())
        );
        assert_eq!(
            split_name("Jan van der Berg"),
            (
                Some("van der".into()),
                "Berg".into(),
                Some("Jan".into()),
                "J".into()
            )
        );
        assert_eq!(split_name("Cher").1, "Cher");
        assert_eq!(split_name("Anne de Vries").0.as_deref(), Some("de"));
        assert_eq!(split_name("Anne Devries").0, None);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }
}

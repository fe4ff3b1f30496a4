//! The toewijzing message to a provider: iWmo 3.2 WMO301 (berichtcode 414) or iJw 3.2 JW301
//! (berichtcode 436), after the Zorginstituut's XSDs. One message per client and provider
//! (the XSD allows exactly one `Client`); rule OP087 decides what it carries (the store picks
//! the toewijzingen, see `store::exchange`).
//!
//! Filled: the header (code, version 3.2, afzender gemeente, ontvanger AGB, identificatie,
//! dagtekening, XSD versions 1.0.0); the client's BSN, birth date, gender "0" (unknown: the app
//! does not record gender), name (surname with voorvoegsel, first name, initials, NaamGebruik
//! 1), `Contactgegevens` with the household's address as BRP-adres (soort 01, land NL); per
//! product the toewijzingnummer, category and code, toewijzingsdatum and -tijd, ingangs- and
//! einddatum, `RedenWijziging` for a toewijzing that was sent before and changed, and the
//! omvang (volume, eenheid, frequentie). See README "Data exchange" for what is simplified.

use chrono::NaiveDate;

use super::xml::{OutgoingHeader, Writer, iso};
use crate::domain::Invalid;
use crate::domain::provision::{Frequency, Law, Unit};

pub use super::xml::escape;
pub use crate::domain::istandaard::{ChangeReason, kind};

/// BerichtVersie and BerichtSubversie: release 3.2.
pub const VERSION: (u8, u8) = (3, 2);

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

/// The client's address as the message writes it (`CDT_Adres`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// Street name, at most 24 characters (the message's limit; longer names are shortened).
    pub street: String,
    /// House number (1 to 99999).
    pub number: u32,
    /// Huisletter (one letter), when the addition starts with one.
    pub letter: Option<String>,
    /// HuisnummerToevoeging (at most 4 characters).
    pub addition: Option<String>,
    /// Postcode without the space ("3531AB").
    pub postcode: String,
    /// Woonplaats.
    pub city: String,
}

impl Address {
    /// The message's address from the household's street, house number text ("12", "12a",
    /// "12-2", "12 bis"), postcode and city.
    pub fn from_household(
        street: &str,
        house_number: &str,
        postcode: &str,
        city: &str,
    ) -> Result<Address, Invalid> {
        let text = house_number.trim();
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let number: u32 = digits.parse().unwrap_or(0);
        let postcode: String = postcode
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let chars: Vec<char> = postcode.chars().collect();
        let postcode_ok = chars.len() == 6
            && chars[..4].iter().all(char::is_ascii_digit)
            && chars[4..].iter().all(char::is_ascii_uppercase);
        if number == 0 || number > 99_999 || !postcode_ok || street.trim().is_empty() {
            return Err(Invalid::new(
                "address",
                "het adres van het huishouden is onvolledig (straat, huisnummer en postcode zijn nodig voor de contactgegevens).",
                "the household's address is incomplete (street, house number and postcode are needed for the contact details).",
            ));
        }
        let rest = text[digits.len()..].trim_start_matches([' ', '-']).trim();
        let mut chars = rest.chars();
        let (letter, addition) = match (chars.next(), chars.clone().next()) {
            (Some(l), next) if l.is_alphabetic() && !next.is_some_and(char::is_alphabetic) => (
                Some(l.to_string()),
                Some(
                    chars
                        .as_str()
                        .trim_start_matches([' ', '-'])
                        .trim()
                        .to_string(),
                ),
            ),
            _ => (None, Some(rest.to_string())),
        };
        let addition = addition
            .filter(|a| !a.is_empty())
            .map(|a| a.chars().take(4).collect::<String>().trim().to_string())
            .filter(|a| !a.is_empty());
        Ok(Address {
            street: street
                .trim()
                .chars()
                .take(24)
                .collect::<String>()
                .trim()
                .to_string(),
            number,
            letter,
            addition,
            postcode,
            city: city.trim().chars().take(80).collect(),
        })
    }
}

/// The client of the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// The BSN (9 digits, elfproef).
    pub bsn: String,
    /// The birth date, when known.
    pub birth_date: Option<NaiveDate>,
    /// The name as recorded ("Fatima El Amrani").
    pub name: String,
    /// The household's address.
    pub address: Address,
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
    /// Set when this toewijzing was sent before and has changed since.
    pub change: Option<ChangeReason>,
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
    for p in PREFIXES {
        // Compared on the name itself (a lower-cased copy can differ in length).
        let (Some(head), Some(tail)) = (rest.get(..p.len()), rest.get(p.len()..)) else {
            continue;
        };
        if head.to_lowercase() == p && tail.starts_with(' ') {
            return (
                Some(head.to_string()),
                tail.trim().to_string(),
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
    if p.frequency == Frequency::PerWeek && p.end_on.is_none() {
        return bad(
            "een omvang per week heeft een einddatum nodig (regel CD076).",
            "a volume per week needs an end date (rule CD076).",
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

/// Whether two products would break rule TR302: the same product (category and code; the
/// aids of categories 11–14 excepted) with overlapping periods, neither removed.
fn overlaps(a: &AssignedProduct, b: &AssignedProduct) -> bool {
    let aid = |p: &AssignedProduct| matches!(p.category.as_str(), "11" | "12" | "13" | "14");
    let removed = |p: &AssignedProduct| p.change == Some(ChangeReason::Removed);
    if a.category != b.category || a.code != b.code || aid(a) || removed(a) || removed(b) {
        return false;
    }
    let before = |end: Option<NaiveDate>, start: NaiveDate| end.is_some_and(|e| e < start);
    !(before(a.end_on, b.start_on) || before(b.end_on, a.start_on))
}

/// Renders the message for one client, or names the first thing that cannot go in it.
pub fn render(header: &Header, client: &Client) -> Result<String, Invalid> {
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
    let first = client.products.first().map_or("", |p| p.number.as_str());
    if !crate::domain::bsn::is_valid_bsn(&client.bsn) {
        return Err(refuse(
            &client.bsn,
            first,
            "het BSN ontbreekt of klopt niet; een toewijzing heeft een geldig BSN nodig.".into(),
            "the BSN is missing or invalid; a toewijzing needs a valid BSN.".into(),
        ));
    }
    if client.products.is_empty() {
        return Err(refuse(
            &client.bsn,
            first,
            "er is geen toewijzing om te sturen.".into(),
            "there is no toewijzing to send.".into(),
        ));
    }
    for (i, p) in client.products.iter().enumerate() {
        check(client, p)?;
        if let Some(other) = client.products[..i].iter().find(|o| overlaps(o, p)) {
            return Err(refuse(
                &client.bsn,
                &p.number,
                format!(
                    "overlapt met toewijzing {} voor hetzelfde product {} (regel TR302); beëindig er één.",
                    other.number, p.code
                ),
                format!(
                    "overlaps toewijzing {} for the same product {} (rule TR302); end one of them.",
                    other.number, p.code
                ),
            ));
        }
    }
    let (code, _, _) = kind(header.law);
    let mut w = Writer::new(header.law, 301);
    w.header_to_provider(&OutgoingHeader {
        code,
        gemeente: header.gemeente.clone(),
        agb: header.agb.clone(),
        identification: header.identification.clone(),
        dagtekening: header.dagtekening,
    });
    w.open("Client");
    w.leaf("Bsn", &client.bsn);
    w.open("Geboortedatum");
    match client.birth_date {
        Some(d) => w.basis("Datum", &iso(d)),
        None => {
            // Unknown: 1900-01-01 with DatumGebruik 3 (dag, maand en jaar onbekend).
            w.basis("Datum", "1900-01-01");
            w.basis("DatumGebruik", "3");
        }
    }
    w.close("Geboortedatum");
    w.leaf("Geslacht", "0");
    let (prefix, surname, first_name, initials) = split_name(&client.name);
    w.open("Naam");
    w.open_basis("Geslachtsnaam");
    w.basis("Achternaam", &surname);
    if let Some(prefix) = prefix {
        w.basis("Voorvoegsel", &prefix);
    }
    w.close_basis("Geslachtsnaam");
    if let Some(first_name) = first_name {
        w.basis("Voornamen", &first_name);
    }
    w.basis("Voorletters", &initials);
    w.basis("NaamGebruik", "1");
    w.close("Naam");
    let a = &client.address;
    w.open("Contactgegevens");
    w.open("Contact");
    w.leaf("Soort", "01");
    w.open("Adres");
    w.open_basis("Huis");
    w.basis("Huisnummer", &a.number.to_string());
    if let Some(letter) = &a.letter {
        w.basis("Huisletter", letter);
    }
    if let Some(addition) = &a.addition {
        w.basis("HuisnummerToevoeging", addition);
    }
    w.close_basis("Huis");
    w.basis("Postcode", &a.postcode);
    w.basis("Straatnaam", &a.street);
    if !a.city.trim().is_empty() {
        w.basis("Plaatsnaam", &a.city);
    }
    w.basis("LandCode", "NL");
    w.close("Adres");
    w.close("Contact");
    w.close("Contactgegevens");
    w.open("ToegewezenProducten");
    for p in &client.products {
        w.open("ToegewezenProduct");
        w.leaf("ToewijzingNummer", &p.number);
        w.open("Product");
        w.basis("Categorie", &p.category);
        w.basis("Code", &p.code);
        w.close("Product");
        w.leaf("Toewijzingsdatum", &iso(p.assigned_on));
        w.leaf("Toewijzingstijd", "00:00:00");
        w.leaf("Ingangsdatum", &iso(p.start_on));
        let end = if p.change == Some(ChangeReason::Removed) {
            Some(p.start_on)
        } else {
            p.end_on
        };
        if let Some(end) = end {
            w.leaf("Einddatum", &iso(end));
        }
        if let Some(change) = p.change {
            w.leaf("RedenWijziging", change.code());
        }
        w.open("Omvang");
        w.basis("Volume", &p.volume.to_string());
        w.basis("Eenheid", p.unit.istandaard());
        w.basis("Frequentie", p.frequency.istandaard());
        w.close("Omvang");
        w.close("ToegewezenProduct");
    }
    w.close("ToegewezenProducten");
    w.close("Client");
    Ok(w.finish())
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
        assert_eq!(split_name("Jan Van Dijk").0.as_deref(), Some("Van"));
        // A name whose lower case is longer than itself does not break the split.
        assert_eq!(split_name("Ayşe İnce").1, "İnce");
    }

    #[test]
    fn house_numbers_split_into_number_letter_and_addition() {
        let a = |n: &str| Address::from_household("Kanaalstraat", n, "3531 ab", "Utrecht").unwrap();
        assert_eq!(
            (a("12").number, a("12").letter, a("12").addition),
            (12, None, None)
        );
        assert_eq!(a("12a").letter.as_deref(), Some("a"));
        assert_eq!(a("12 bis").addition.as_deref(), Some("bis"));
        assert_eq!(a("12-2").addition.as_deref(), Some("2"));
        assert_eq!(
            (a("12A-3").letter.as_deref(), a("12A-3").addition.as_deref()),
            (Some("A"), Some("3"))
        );
        assert_eq!(a("12").postcode, "3531AB");
        assert!(Address::from_household("Kanaalstraat", "x", "3531AB", "Utrecht").is_err());
        assert!(Address::from_household("Kanaalstraat", "1", "abcÄd", "Utrecht").is_err());
        let long = Address::from_household("Burgemeester van Tuyllkade", "1", "3531AB", "Utrecht")
            .unwrap();
        assert_eq!(long.street.chars().count(), 24);
    }
}

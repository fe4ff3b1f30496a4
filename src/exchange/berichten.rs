//! Messages from providers, read into checked values: iWmo/iJw 3.2 start zorg (305), stop zorg
//! (307), verzoek om toewijzing (315) and verzoek om wijziging (317), for both laws.
//!
//! [`identify`] names the message kind from the root element's namespace before anything
//! else (so the right XSD can be used); [`parse`] reads a message that passed the official
//! checks into an [`Incoming`]. Both refuse with a [`MessageError`] that names the element
//! (as a path like `/Bericht/Client/Bsn`) and says in Dutch what is wrong. Pure: bytes in,
//! values out; the official checks themselves run in [`super::official`].

use chrono::NaiveDate;
use roxmltree::{Document, Node};

pub use crate::domain::istandaard::{END_REASONS, end_reason_label};
use crate::domain::provision::{Frequency, Law, Unit};
use crate::i18n::{Lang, Localize};
pub use crate::model::incoming::*;

/// A refused message: where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {nl}")]
pub struct MessageError {
    /// The element (`/Bericht/Header/Ontvanger`) or the line (`regel 3`).
    pub location: String,
    /// Why, in Dutch.
    pub nl: String,
    /// Why, in English.
    pub en: String,
    /// The rule code from the official rules report (`CS002`, `TR018`, `XSD`), when there is one.
    pub code: Option<String>,
}

impl MessageError {
    /// A refusal at `location`.
    pub fn new(location: impl Into<String>, nl: impl Into<String>, en: impl Into<String>) -> Self {
        MessageError {
            location: location.into(),
            nl: nl.into(),
            en: en.into(),
            code: None,
        }
    }

    /// The same refusal with a rule code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
}

impl Localize for MessageError {
    fn localize(&self, lang: Lang) -> String {
        let code = self
            .code
            .as_deref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        match lang {
            Lang::Nl => format!("{}: {}{code}", self.location, self.nl),
            Lang::En => format!("{}: {}{code}", self.location, self.en),
        }
    }
}

fn local<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn all<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The path of a node (`/Bericht/Client/StartProducten/StartProduct[2]`).
pub fn path_of(node: Node<'_, '_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut n = Some(node);
    while let Some(cur) = n {
        if cur.is_element() {
            let name = cur.tag_name().name();
            let same: Vec<Node<'_, '_>> = cur
                .parent()
                .map(|p| {
                    p.children()
                        .filter(|c| c.is_element() && c.tag_name().name() == name)
                        .collect()
                })
                .unwrap_or_default();
            if same.len() > 1 {
                let i = same.iter().position(|s| *s == cur).unwrap_or(0) + 1;
                parts.push(format!("{name}[{i}]"));
            } else {
                parts.push(name.to_string());
            }
        }
        n = cur.parent();
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

fn missing(parent: Node<'_, '_>, name: &str) -> MessageError {
    MessageError::new(
        format!("{}/{name}", path_of(parent)),
        "dit element ontbreekt.",
        "this element is missing.",
    )
}

fn text(parent: Node<'_, '_>, name: &str) -> Result<String, MessageError> {
    local(parent, name)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| missing(parent, name))
}

fn opt_text(parent: Node<'_, '_>, name: &str) -> Option<String> {
    local(parent, name)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn date(parent: Node<'_, '_>, name: &str) -> Result<NaiveDate, MessageError> {
    let t = text(parent, name)?;
    NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|_| {
        MessageError::new(
            format!("{}/{name}", path_of(parent)),
            format!("'{t}' is geen datum (jjjj-mm-dd)."),
            format!("'{t}' is not a date (yyyy-mm-dd)."),
        )
    })
}

fn opt_date(parent: Node<'_, '_>, name: &str) -> Result<Option<NaiveDate>, MessageError> {
    match local(parent, name) {
        Some(_) => date(parent, name).map(Some),
        None => Ok(None),
    }
}

fn number(parent: Node<'_, '_>, name: &str) -> Result<u64, MessageError> {
    let t = text(parent, name)?;
    t.parse().map_err(|_| {
        MessageError::new(
            format!("{}/{name}", path_of(parent)),
            format!("'{t}' is geen nummer."),
            format!("'{t}' is not a number."),
        )
    })
}

fn delivery(parent: Node<'_, '_>) -> Result<Delivery, MessageError> {
    match text(parent, "StatusAanlevering")?.as_str() {
        "1" => Ok(Delivery::First),
        "3" => Ok(Delivery::Withdraw),
        other => Err(MessageError::new(
            format!("{}/StatusAanlevering", path_of(parent)),
            format!("status aanlevering '{other}' kan hier niet (alleen 1 eerste aanlevering of 3 verwijderen)."),
            format!("delivery status '{other}' is not allowed here (only 1 first or 3 withdraw)."),
        )
        .with_code("CS058")),
    }
}

fn volume(omvang: Node<'_, '_>) -> Result<Volume, MessageError> {
    let at = path_of(omvang);
    let v = number(omvang, "Volume")?;
    let unit = match text(omvang, "Eenheid")?.as_str() {
        "01" => Unit::Minuut,
        "04" => Unit::Uur,
        "14" => Unit::Etmaal,
        "16" => Unit::Dagdeel,
        "82" | "84" => Unit::Stuks,
        "83" => Unit::Euro,
        other => {
            return Err(MessageError::new(
                format!("{at}/Eenheid"),
                format!("eenheid '{other}' kent keukentafel niet."),
                format!("unit '{other}' is unknown."),
            ));
        }
    };
    let frequency = match text(omvang, "Frequentie")?.as_str() {
        "1" => Frequency::PerDag,
        "2" => Frequency::PerWeek,
        "4" => Frequency::PerMaand,
        "6" => Frequency::Totaal,
        other => {
            return Err(MessageError::new(
                format!("{at}/Frequentie"),
                format!("frequentie '{other}' kent keukentafel niet."),
                format!("frequency '{other}' is unknown."),
            ));
        }
    };
    let volume = u32::try_from(v).ok().filter(|v| *v > 0).ok_or_else(|| {
        MessageError::new(
            format!("{at}/Volume"),
            "de omvang moet groter dan 0 zijn.",
            "the volume must be more than 0.",
        )
    })?;
    Ok(Volume {
        volume,
        unit,
        frequency,
    })
}

/// A requested product from an `AangevraagdProduct` (315) or `NieuwProduct` (317).
fn requested(
    node: Node<'_, '_>,
    reference: Option<&str>,
    start_name: &str,
    end_name: &str,
) -> Result<RequestedProduct, MessageError> {
    let at = path_of(node);
    let product = local(node, "Product").ok_or_else(|| {
        MessageError::new(
            format!("{at}/Product"),
            "er staat geen product in; keukentafel wijst alleen producten toe (geen budget of productcategorie alleen).",
            "there is no product; keukentafel assigns products only (no budget or bare category).",
        )
    })?;
    let code = opt_text(product, "Code").ok_or_else(|| {
        MessageError::new(
            format!("{at}/Product/Code"),
            "er staat alleen een productcategorie; keukentafel wijst alleen producten met een productcode toe.",
            "there is only a product category; keukentafel assigns products with a product code only.",
        )
    })?;
    let omvang = local(node, "Omvang").ok_or_else(|| {
        MessageError::new(
            format!("{at}/Omvang"),
            "er staat geen omvang in; keukentafel kent geen toewijzing met alleen een budget.",
            "there is no volume; keukentafel has no toewijzing with a budget only.",
        )
    })?;
    let referrer = local(node, "Verwijzer")
        .map(|v| -> Result<Referrer, MessageError> {
            Ok(Referrer {
                kind: text(v, "Type")?,
                name: opt_text(v, "Naam"),
                agb: opt_text(v, "ZorgverlenerCode"),
            })
        })
        .transpose()?;
    let reference = match reference {
        Some(r) => r.to_string(),
        None => text(node, "ReferentieAanbieder")?,
    };
    let start = date(node, start_name)?;
    let end = opt_date(node, end_name)?;
    if end.is_some_and(|e| e < start) {
        return Err(MessageError::new(
            format!("{at}/{end_name}"),
            "de einddatum ligt voor de ingangsdatum.",
            "the end date is before the start date.",
        ));
    }
    Ok(RequestedProduct {
        location: at,
        reference,
        category: text(product, "Categorie")?,
        code,
        start,
        end,
        volume: volume(omvang)?,
        referrer,
        comment: opt_text(node, "Commentaar"),
    })
}

/// Names the kind and law of a message from its root element, or refuses a file that is not
/// XML or not a message keukentafel reads.
pub fn identify(bytes: &[u8]) -> Result<(Law, Kind), MessageError> {
    let source = std::str::from_utf8(bytes).map_err(|e| {
        MessageError::new(
            "het bestand",
            format!(
                "is geen XML in UTF-8 (ongeldig teken na byte {}).",
                e.valid_up_to()
            ),
            format!(
                "is not XML in UTF-8 (invalid character after byte {}).",
                e.valid_up_to()
            ),
        )
    })?;
    let doc = Document::parse(source).map_err(|e| {
        let pos = e.pos();
        MessageError::new(
            format!("regel {}, kolom {}", pos.row, pos.col),
            format!("het bestand is geen (geldige) XML: {e}."),
            format!("the file is not (valid) XML: {e}."),
        )
    })?;
    let root = doc.root_element();
    let namespace = root.tag_name().namespace().unwrap_or("");
    for law in Law::ALL {
        for kind in Kind::ALL {
            if namespace == super::xml::message_namespace(law, kind.number())
                && root.tag_name().name() == "Bericht"
            {
                return Ok((law, kind));
            }
        }
    }
    let what = namespace
        .rsplit('/')
        .nth(1)
        .filter(|s| !s.is_empty())
        .map(|s| s.to_uppercase())
        .unwrap_or_else(|| format!("<{}>", root.tag_name().name()));
    Err(MessageError::new(
        "/".to_string() + root.tag_name().name(),
        format!(
            "verkeerd berichttype: dit is {what}; keukentafel leest alleen WMO305, WMO307, WMO315, WMO317, JW305, JW307, JW315 en JW317 van aanbieders (iStandaarden 3.2)."
        ),
        format!(
            "wrong message type: this is {what}; keukentafel reads only WMO305, WMO307, WMO315, WMO317, JW305, JW307, JW315 and JW317 from providers (iStandaarden 3.2)."
        ),
    ))
}

/// Reads a message (that [`identify`] named and the official checks passed).
pub fn parse(bytes: &[u8]) -> Result<Incoming, MessageError> {
    let (law, kind) = identify(bytes)?;
    let source = std::str::from_utf8(bytes)
        .map_err(|_| MessageError::new("het bestand", "is geen UTF-8.", "is not UTF-8."))?;
    let doc = Document::parse(source).map_err(|e| {
        MessageError::new(
            "het bestand",
            format!("is geen XML: {e}."),
            format!("is not XML: {e}."),
        )
    })?;
    let root = doc.root_element();
    let h = local(root, "Header").ok_or_else(|| missing(root, "Header"))?;
    let code = text(h, "BerichtCode")?;
    if code != kind.code(law) {
        return Err(MessageError::new(
            format!("{}/BerichtCode", path_of(h)),
            format!(
                "berichtcode {code} hoort niet bij een {} (verwacht {}).",
                name(law, kind),
                kind.code(law)
            ),
            format!(
                "message code {code} does not belong to a {} (expected {}).",
                name(law, kind),
                kind.code(law)
            ),
        ));
    }
    let id = local(h, "BerichtIdentificatie").ok_or_else(|| missing(h, "BerichtIdentificatie"))?;
    let header = IncomingHeader {
        law,
        kind,
        sender: text(h, "Afzender")?,
        receiver: text(h, "Ontvanger")?,
        identification: text(id, "Identificatie")?,
        dagtekening: date(id, "Dagtekening")?,
    };
    let client = local(root, "Client").ok_or_else(|| missing(root, "Client"))?;
    let bsn = text(client, "Bsn")?;
    if !crate::domain::bsn::is_valid_bsn(&bsn) {
        return Err(MessageError::new(
            format!("{}/Bsn", path_of(client)),
            "het BSN voldoet niet aan de elfproef.",
            "the BSN fails the elfproef.",
        )
        .with_code("CS002"));
    }
    let body = match kind {
        Kind::Start => {
            let list =
                local(client, "StartProducten").ok_or_else(|| missing(client, "StartProducten"))?;
            let mut lines = Vec::new();
            for p in all(list, "StartProduct") {
                lines.push(StartLine {
                    location: path_of(p),
                    number: number(p, "ToewijzingNummer")?,
                    begin: date(p, "Begindatum")?,
                    delivery: delivery(p)?,
                });
            }
            Body::Start(lines)
        }
        Kind::Stop => {
            let list =
                local(client, "StopProducten").ok_or_else(|| missing(client, "StopProducten"))?;
            let mut lines = Vec::new();
            for p in all(list, "StopProduct") {
                lines.push(StopLine {
                    location: path_of(p),
                    number: number(p, "ToewijzingNummer")?,
                    begin: date(p, "Begindatum")?,
                    end: date(p, "Einddatum")?,
                    reason: text(p, "RedenBeeindiging")?,
                    delivery: delivery(p)?,
                });
            }
            Body::Stop(lines)
        }
        Kind::Request => {
            let list = local(client, "AangevraagdeProducten")
                .ok_or_else(|| missing(client, "AangevraagdeProducten"))?;
            let mut lines = Vec::new();
            for p in all(list, "AangevraagdProduct") {
                lines.push(requested(
                    p,
                    None,
                    "ToewijzingIngangsdatum",
                    "ToewijzingEinddatum",
                )?);
            }
            Body::Request(lines)
        }
        Kind::Change => {
            let v = local(client, "Verzoek").ok_or_else(|| missing(client, "Verzoek"))?;
            let reference = text(v, "ReferentieAanbieder")?;
            let mut unchanged = Vec::new();
            if let Some(list) = local(v, "OngewijzigdeProducten") {
                for p in all(list, "OngewijzigdProduct") {
                    unchanged.push((path_of(p), number(p, "ToewijzingNummer")?));
                }
            }
            let mut changes = Vec::new();
            if let Some(list) = local(v, "TeWijzigenProducten") {
                for p in all(list, "TeWijzigenProduct") {
                    let volume = local(p, "Omvang").map(volume).transpose()?;
                    let end = opt_date(p, "Einddatum")?;
                    if volume.is_none() && end.is_none() {
                        return Err(MessageError::new(
                            path_of(p),
                            "er staat geen nieuwe einddatum of omvang in; keukentafel kent geen budgetwijziging.",
                            "there is no new end date or volume; keukentafel has no budget change.",
                        ));
                    }
                    changes.push(ChangedProduct {
                        location: path_of(p),
                        number: number(p, "ToewijzingNummer")?,
                        from: date(p, "GewensteIngangsdatum")?,
                        end,
                        volume,
                    });
                }
            }
            let mut new = Vec::new();
            if let Some(list) = local(v, "NieuweProducten") {
                for p in all(list, "NieuwProduct") {
                    new.push(requested(
                        p,
                        Some(&reference),
                        "GewensteIngangsdatum",
                        "Einddatum",
                    )?);
                }
            }
            Body::Change {
                reference,
                reason: text(v, "RedenVerzoek")?,
                unchanged,
                changes,
                new,
            }
        }
    };
    Ok(Incoming { header, bsn, body })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const START: &str = r#"<Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo305/schema" xmlns:b="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"><Header><BerichtCode>418</BerichtCode><Afzender>73051234</Afzender><Ontvanger>0344</Ontvanger><BerichtIdentificatie><b:Identificatie>S1</b:Identificatie><b:Dagtekening>2026-12-01</b:Dagtekening></BerichtIdentificatie></Header><Client><Bsn>111222333</Bsn><StartProducten><StartProduct><ToewijzingNummer>7</ToewijzingNummer><Begindatum>2026-12-01</Begindatum><StatusAanlevering>1</StatusAanlevering></StartProduct></StartProducten></Client></Bericht>"#;

    #[test]
    fn a_start_message_reads_into_its_lines() {
        let m = parse(START.as_bytes()).unwrap();
        assert_eq!(m.header.sender, "73051234");
        assert_eq!(m.header.kind, Kind::Start);
        let Body::Start(lines) = m.body else {
            panic!("not a start");
        };
        assert_eq!(lines[0].number, 7);
        assert_eq!(lines[0].delivery, Delivery::First);
        assert_eq!(
            lines[0].location,
            "/Bericht/Client/StartProducten/StartProduct"
        );
    }

    proptest! {
        /// Whatever a file holds, reading it refuses or reads; it never panics.
        #[test]
        fn any_bytes_or_a_cut_message_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200), cut in 0usize..600) {
            let _ = parse(&bytes);
            let end = cut.min(START.len());
            let _ = parse(&START.as_bytes()[..end]);
            let mut changed = START.as_bytes().to_vec();
            if let Some(b) = changed.get_mut(cut % START.len()) {
                *b = bytes.first().copied().unwrap_or(b'x');
            }
            let _ = parse(&changed);
        }
    }

    #[test]
    fn what_is_not_a_provider_message_is_named() {
        let e = identify(b"dit is geen xml").unwrap_err();
        assert!(e.nl.contains("geen (geldige) XML"), "{e:?}");
        let e = identify(b"<Bericht xmlns=\"http://www.istandaarden.nl/iwmo/3_2/wmo301/schema\"/>")
            .unwrap_err();
        assert!(e.nl.contains("dit is WMO301"), "{e:?}");
        assert_eq!(
            identify(b"<Bericht xmlns=\"http://www.istandaarden.nl/ijw/3_2/jw307/schema\"/>"),
            Ok((Law::Jeugdwet, Kind::Stop))
        );
    }
}

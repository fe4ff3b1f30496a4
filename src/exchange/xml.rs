//! A small writer for the iWmo/iJw 3.2 messages: indented elements, text escaped, and the two
//! namespaces the XSDs ask for. The message's own elements are in the default namespace (the
//! message namespace, e.g. `…/iwmo/3_2/wmo301/schema`); the children of the shared complex
//! types (`BerichtIdentificatie`, `Geboortedatum`, `Naam`, `Adres`, `Product`, `Omvang`, …)
//! are in the basisschema namespace, written with the prefix of the standard (`iwmo:` or
//! `ijw:`), as `elementFormDefault="qualified"` demands.

use std::fmt::Write as _;

use chrono::NaiveDate;

pub use crate::domain::istandaard::message_name;
use crate::domain::provision::Law;

/// The iStandaard of a law: (prefix, name space root), e.g. ("iwmo", "http://www.istandaarden.nl/iwmo/3_2").
pub fn standard(law: Law) -> (&'static str, &'static str) {
    match law {
        Law::Wmo => ("iwmo", "http://www.istandaarden.nl/iwmo/3_2"),
        Law::Jeugdwet => ("ijw", "http://www.istandaarden.nl/ijw/3_2"),
    }
}

/// The namespace of a message, e.g. `http://www.istandaarden.nl/ijw/3_2/jw305/schema`.
pub fn message_namespace(law: Law, number: u16) -> String {
    let (_, root) = standard(law);
    format!("{root}/{}/schema", message_name(law, number).to_lowercase())
}

/// The basisschema namespace of a law.
pub fn basis_namespace(law: Law) -> String {
    format!("{}/basisschema/schema", standard(law).1)
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

/// A date as the messages write it (`jjjj-mm-dd`, no time zone).
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes one message.
pub struct Writer {
    out: String,
    depth: usize,
    prefix: &'static str,
}

impl Writer {
    /// Starts message `number` of `law` with its `Bericht` root element.
    pub fn new(law: Law, number: u16) -> Writer {
        let (prefix, _) = standard(law);
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<Bericht xmlns=\"{}\" xmlns:{prefix}=\"{}\">",
            message_namespace(law, number),
            basis_namespace(law)
        );
        Writer {
            out,
            depth: 1,
            prefix,
        }
    }

    /// Opens an element of the message namespace.
    pub fn open(&mut self, name: &str) {
        let _ = writeln!(self.out, "{:w$}<{name}>", "", w = self.depth * 2);
        self.depth += 1;
    }

    /// Closes an element of the message namespace.
    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        let _ = writeln!(self.out, "{:w$}</{name}>", "", w = self.depth * 2);
    }

    /// Opens an element of the basisschema namespace.
    pub fn open_basis(&mut self, name: &str) {
        let p = self.prefix;
        self.open(&format!("{p}:{name}"));
    }

    /// Closes an element of the basisschema namespace.
    pub fn close_basis(&mut self, name: &str) {
        let p = self.prefix;
        self.close(&format!("{p}:{name}"));
    }

    /// An element of the message namespace with text.
    pub fn leaf(&mut self, name: &str, value: &str) {
        let _ = writeln!(
            self.out,
            "{:w$}<{name}>{}</{name}>",
            "",
            escape(value),
            w = self.depth * 2
        );
    }

    /// An element of the basisschema namespace with text.
    pub fn basis(&mut self, name: &str, value: &str) {
        let p = self.prefix;
        self.leaf(&format!("{p}:{name}"), value);
    }

    /// The `Header` of a message from the municipality to a provider (301, 319).
    pub fn header_to_provider(&mut self, h: &OutgoingHeader) {
        self.open("Header");
        self.leaf("BerichtCode", h.code);
        self.leaf("BerichtVersie", "3");
        self.leaf("BerichtSubversie", "2");
        self.leaf("Afzender", &h.gemeente);
        self.leaf("Ontvanger", &h.agb);
        self.open("BerichtIdentificatie");
        self.basis("Identificatie", &h.identification);
        self.basis("Dagtekening", &iso(h.dagtekening));
        self.close("BerichtIdentificatie");
        self.open("XsdVersie");
        self.basis("BasisschemaXsdVersie", XSD_VERSION);
        self.basis("BerichtXsdVersie", XSD_VERSION);
        self.close("XsdVersie");
        self.close("Header");
    }

    /// Closes the root and returns the text.
    pub fn finish(mut self) -> String {
        self.out.push_str("</Bericht>\n");
        self.out
    }
}

/// The basisschema and message XSD version of release 3.2 (both 1.0.0).
pub const XSD_VERSION: &str = "1.0.0";

/// What the header of an outgoing message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingHeader {
    /// BerichtCode (414 for a WMO301, 488 for a JW319, …).
    pub code: &'static str,
    /// The sending municipality's CBS code (4 digits).
    pub gemeente: String,
    /// The receiving provider's AGB code (8 digits).
    pub agb: String,
    /// The identification (at most 12 characters).
    pub identification: String,
    /// The date of the message.
    pub dagtekening: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn namespaces_follow_the_standard() {
        assert_eq!(
            message_namespace(Law::Jeugdwet, 305),
            "http://www.istandaarden.nl/ijw/3_2/jw305/schema"
        );
        assert_eq!(
            basis_namespace(Law::Wmo),
            "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
        );
    }
}

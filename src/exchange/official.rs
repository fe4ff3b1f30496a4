//! The official checks of a message: the Zorginstituut's XSD (structure) and its rule check
//! (XSLT 1.0, the TR/CD/CS rules), run with `xmllint` and `xsltproc` as external programs.
//!
//! Why programs and not a crate: no maintained Rust crate validates XML Schema 1.0 with
//! `xs:import` across namespaces or runs XSLT 1.0; binding libxml2/libxslt would tie the build
//! to system libraries on every platform. The two programs are the reference implementations
//! the standard's own tooling uses, small Debian packages (`libxml2-utils`, `xsltproc`), and
//! they read the message from standard input, so no temporary file holds client data.
//!
//! This is the one part of `exchange` that does IO (it starts programs); it never touches the
//! database. The folder with the schemas is configured (`istandaarden` in `config.toml`) and
//! holds `iwmo-3.2/` and `ijw-3.2/` as the Zorginstituut publishes them.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::berichten::MessageError;
use crate::domain::provision::Law;

/// The folder with the official schemas and rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schemas {
    dir: PathBuf,
}

/// Dutch words for the rules a message is most often refused by.
const RULES: [(&str, &str); 14] = [
    ("CS002", "het BSN voldoet niet aan de elfproef"),
    ("CS003", "de einddatum ligt voor de begindatum"),
    ("CS058", "status aanlevering is niet toegestaan"),
    ("TR002", "de geboortedatum ligt meer dan 120 jaar terug"),
    ("TR018", "de einddatum ligt voor de begindatum"),
    (
        "TR302",
        "twee toewijzingen voor hetzelfde product overlappen",
    ),
    (
        "TR352",
        "een verzoek om wijziging noemt geen bestaande toewijzing",
    ),
    (
        "TR353",
        "een verzoek om wijziging vraagt niets te wijzigen of toe te voegen",
    ),
    ("TR380", "de gewenste ingangsdatum ligt voor de dagtekening"),
    (
        "TR383",
        "twee aangevraagde producten hebben dezelfde referentie",
    ),
    ("TR386", "twee aangevraagde producten overlappen"),
    ("CD005", "postcode en landcode horen samen"),
    ("CD041", "bij een productcode hoort een omvang"),
    ("CD085", "bij een afwijzing hoort een reden"),
];

fn rule_words(code: &str) -> Option<&'static str> {
    RULES.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
}

impl Schemas {
    /// The schemas in `dir` (a folder with `iwmo-3.2/` and `ijw-3.2/`).
    pub fn new(dir: impl Into<PathBuf>) -> Schemas {
        Schemas { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn law_dir(&self, law: Law) -> PathBuf {
        self.dir.join(match law {
            Law::Wmo => "iwmo-3.2",
            Law::Jeugdwet => "ijw-3.2",
        })
    }

    /// The XSD of message `number` under `law`.
    pub fn xsd(&self, law: Law, number: u16) -> PathBuf {
        self.law_dir(law)
            .join(format!("{}.xsd", super::xml::message_name(law, number)))
    }

    /// The rule check of `law`.
    pub fn rules(&self, law: Law) -> PathBuf {
        self.law_dir(law).join(match law {
            Law::Wmo => "regels-iwmo-3.2.xsl",
            Law::Jeugdwet => "regels-ijw-3.2.xsl",
        })
    }

    /// Whether the tools and this folder's files are there; otherwise a Dutch sentence on
    /// what is missing and how to get it.
    pub fn available(&self) -> Result<(), String> {
        for (tool, package) in [("xmllint", "libxml2-utils"), ("xsltproc", "xsltproc")] {
            let found = Command::new(tool)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok();
            if !found {
                return Err(format!(
                    "Het programma {tool} is niet gevonden; installeer het pakket {package} (apt-get install {package})."
                ));
            }
        }
        for law in Law::ALL {
            let xsd = self.xsd(law, 301);
            let rules = self.rules(law);
            for file in [xsd, rules] {
                if !file.is_file() {
                    return Err(format!(
                        "De officiële controlebestanden (XSD's en regels van de iStandaarden 3.2) staan niet in {}: {} ontbreekt. Zet de map in config.toml (istandaarden = \"…\") of in KEUKENTAFEL_ISTANDAARDEN.",
                        self.dir.display(),
                        file.display()
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks message `number` of `law` against its XSD and the rules: every problem found,
    /// none when the message passes both.
    pub fn check(&self, law: Law, number: u16, bytes: &[u8]) -> Vec<MessageError> {
        let name = super::xml::message_name(law, number);
        let xsd = self.xsd(law, number);
        let schema_out = match run(
            "xmllint",
            &[
                "--noout".as_ref(),
                "--nonet".as_ref(),
                "--schema".as_ref(),
                xsd.as_os_str(),
                "-".as_ref(),
            ],
            bytes,
        ) {
            Ok(out) => out,
            Err(e) => return vec![e],
        };
        if !schema_out.0 {
            let mut found: Vec<MessageError> = schema_out
                .2
                .lines()
                .filter(|l| l.contains("error"))
                .take(5)
                .map(|l| xsd_error(l, &name))
                .collect();
            if found.is_empty() {
                found.push(
                    MessageError::new(
                        "het bestand",
                        format!("voldoet niet aan {name}.xsd."),
                        format!("does not validate against {name}.xsd."),
                    )
                    .with_code("XSD"),
                );
            }
            return found;
        }
        let rules = self.rules(law);
        let report = match run(
            "xsltproc",
            &["--nonet".as_ref(), rules.as_os_str(), "-".as_ref()],
            bytes,
        ) {
            Ok(out) if out.0 => out.1,
            Ok(out) => {
                return vec![MessageError::new(
                    "het bestand",
                    format!(
                        "de regelcontrole kon niet draaien: {}",
                        out.2.lines().next().unwrap_or("")
                    ),
                    format!(
                        "the rule check could not run: {}",
                        out.2.lines().next().unwrap_or("")
                    ),
                )];
            }
            Err(e) => return vec![e],
        };
        rule_errors(&report)
    }
}

/// Runs `program` with `bytes` on standard input: (success, stdout, stderr).
fn run(
    program: &str,
    args: &[&std::ffi::OsStr],
    bytes: &[u8],
) -> Result<(bool, String, String), MessageError> {
    let spawn_error = |e: std::io::Error| {
        MessageError::new(
            "controle",
            format!("{program} kon niet starten: {e}. Er is niets ingelezen."),
            format!("{program} could not start: {e}. Nothing was imported."),
        )
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_error)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A program that stops reading early closes the pipe; its exit status tells.
        let _ = stdin.write_all(bytes);
    }
    let out = child.wait_with_output().map_err(spawn_error)?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// One line of xmllint's complaints (`-:14: element Identificatie: Schemas validity error :
/// Element '{ns}Identificatie': This element is not expected. …`) as a refusal.
fn xsd_error(line: &str, name: &str) -> MessageError {
    let mut parts = line.splitn(3, ':');
    let _file = parts.next();
    let row = parts.next().unwrap_or("").trim().to_string();
    let rest = parts.next().unwrap_or("").trim();
    let element = rest
        .strip_prefix("element ")
        .and_then(|r| r.split(':').next())
        .unwrap_or("")
        .trim()
        .to_string();
    let detail = rest
        .split_once("error :")
        .map_or(rest, |(_, d)| d)
        .trim()
        .replace("{http://www.istandaarden.nl/", "{…/");
    let location = match (row.parse::<u32>().ok(), element.is_empty()) {
        (Some(r), false) => format!("regel {r}, element {element}"),
        (Some(r), true) => format!("regel {r}"),
        _ => "het bestand".to_string(),
    };
    MessageError::new(
        location,
        format!("voldoet niet aan {name}.xsd ({detail})"),
        format!("does not validate against {name}.xsd ({detail})"),
    )
    .with_code("XSD")
}

/// The `Fout` elements of a rules report as refusals.
fn rule_errors(report: &str) -> Vec<MessageError> {
    let Ok(doc) = roxmltree::Document::parse(report) else {
        return vec![MessageError::new(
            "controle",
            "het rapport van de regelcontrole is onleesbaar.",
            "the rule check's report is unreadable.",
        )];
    };
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Fout")
        .map(|fout| {
            let field = |name: &str| -> Vec<String> {
                fout.children()
                    .filter(|c| c.is_element() && c.tag_name().name() == name)
                    .filter_map(|c| c.text().map(|t| t.trim().to_string()))
                    .collect()
            };
            let code = field("Code").into_iter().next().unwrap_or_default();
            let locations = field("Locatie");
            let details = field("Details").into_iter().next();
            let words = rule_words(&code).map_or_else(
                || format!("regel {code} van de iStandaard is geschonden"),
                |w| format!("regel {code}: {w}"),
            );
            let extra = details.map(|d| format!(" ({d})")).unwrap_or_default();
            MessageError::new(
                if locations.is_empty() {
                    "het bericht".to_string()
                } else {
                    locations.join(" en ")
                },
                format!("{words}{extra}."),
                format!("rule {code} of the iStandaard is broken{extra}."),
            )
            .with_code(code)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_report_becomes_refusals_with_code_and_location() {
        let report = r#"<n4:Rapport xmlns:n4="http://www.istandaarden.nl/validatie/1_1/rapport/schema">
          <n4:Fouten><n4:Fout><n4:Code>CS002</n4:Code><n4:Locatie>/Bericht/Client/Bsn</n4:Locatie></n4:Fout></n4:Fouten>
        </n4:Rapport>"#;
        let errors = rule_errors(report);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].location, "/Bericht/Client/Bsn");
        assert_eq!(errors[0].code.as_deref(), Some("CS002"));
        assert!(errors[0].nl.contains("elfproef"));
        assert!(rule_errors("<Rapport><Fouten/></Rapport>").is_empty());
    }

    #[test]
    fn an_xmllint_line_names_the_line_and_element() {
        let e = xsd_error(
            "-:14: element Identificatie: Schemas validity error : Element '{http://www.istandaarden.nl/iwmo/3_2/wmo305/schema}Identificatie': This element is not expected.",
            "WMO305",
        );
        assert_eq!(e.location, "regel 14, element Identificatie");
        assert!(e.nl.starts_with("voldoet niet aan WMO305.xsd"));
    }
}

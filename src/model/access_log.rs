//! A household's access log, worded so that a resident can read it.

use crate::i18n::Lang;
use chrono::{DateTime, Local};
use serde::Serialize;

/// One access to a household, as the resident's access log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Login name, or `systeem`.
    pub username: String,
    /// The user's name as colleagues see it.
    pub display_name: String,
    /// Role code at the time.
    pub role: String,
    /// Action code (see [`Action`]).
    pub action: String,
    /// Object type.
    pub object: String,
    /// Detail without client content.
    pub detail: Option<String>,
    /// Workstation.
    pub workstation: String,
    /// On whose behalf, when not the user's own.
    pub on_behalf_of: Option<String>,
}

impl AccessEntry {
    /// The time in local time, `dd-mm-jjjj uu:mm`.
    pub fn local_time(&self) -> String {
        local_time(&self.at)
    }

    /// The role in words a resident understands.
    pub fn role_name(&self, lang: Lang) -> String {
        role_name(&self.role, lang)
    }

    /// Who, as "Anna de Boer (anna)".
    pub fn who(&self) -> String {
        if self.display_name == self.username {
            self.username.clone()
        } else {
            format!("{} ({})", self.display_name, self.username)
        }
    }

    /// What was looked at or changed, as one plain sentence.
    pub fn describe(&self, lang: Lang) -> String {
        let (nl, en) = describe(&self.action, &self.object, self.detail.as_deref());
        let text = match lang {
            Lang::Nl => nl,
            Lang::En => en,
        };
        match (&self.on_behalf_of, lang) {
            (Some(who), Lang::Nl) => format!("{text} (namens {who})"),
            (Some(who), Lang::En) => format!("{text} (on behalf of {who})"),
            (None, _) => text,
        }
    }
}

/// `dd-mm-jjjj uu:mm` in local time for an RFC 3339 stamp (the stamp itself if unreadable).
pub fn local_time(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&Local).format("%d-%m-%Y %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// A role code in words.
pub fn role_name(code: &str, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    match (code, nl) {
        ("professional", true) => "buurtteammedewerker",
        ("professional", false) => "neighbourhood team worker",
        ("backoffice", true) => "administratie (backoffice)",
        ("backoffice", false) => "administration (backoffice)",
        ("teamleider", true) => "teamleider",
        ("teamleider", false) => "team lead",
        ("beheerder", true) => "beheerder",
        ("beheerder", false) => "administrator",
        ("systeem", true) => "systeem",
        ("systeem", false) => "system",
        (other, _) => other,
    }
    .to_string()
}

/// One audit row as a sentence, in Dutch and English.
fn describe(action: &str, object: &str, detail: Option<&str>) -> (String, String) {
    let pair = |nl: &str, en: &str| (nl.to_string(), en.to_string());
    match (action, object, detail) {
        ("read", "household", Some("dashboard administratief")) => pair(
            "heeft de administratieve gegevens bekeken (namen, adres, BSN)",
            "looked at the administrative data (names, address, BSN)",
        ),
        ("read", "household", _) => pair("heeft het dossier bekeken", "looked at the file"),
        ("read", "audit", _) => pair(
            "heeft dit inzageoverzicht opgevraagd",
            "asked for this access log",
        ),
        ("export", "worklist", _) => pair(
            "heeft een werklijst geëxporteerd met gegevens van dit huishouden (naam, BSN, voorziening)",
            "exported a worklist with this household's data (name, BSN, provision)",
        ),
        ("export", _, _) => pair(
            "heeft alle gegevens van het huishouden geëxporteerd",
            "exported all of the household's data",
        ),
        ("search", "bsn", _) => pair("heeft op BSN gezocht", "searched by BSN"),
        ("create", "household", _) => pair("heeft het dossier aangemaakt", "opened the file"),
        ("create", "person", _) => pair("heeft een gezinslid toegevoegd", "added a member"),
        ("update", "person", _) => pair(
            "heeft gegevens van een gezinslid gewijzigd",
            "changed a member's details",
        ),
        ("create", "contact", _) => {
            pair("heeft een contactmoment vastgelegd", "recorded a contact")
        }
        ("create", "zrm", _) => pair(
            "heeft een meting van de zelfredzaamheid (ZRM) vastgelegd",
            "recorded a self-sufficiency assessment (ZRM)",
        ),
        ("create", "agreement", _) => pair("heeft een afspraak toegevoegd", "added an agreement"),
        ("update", "agreement", Some("done")) => {
            pair("heeft een afspraak afgevinkt", "marked an agreement done")
        }
        ("update", "agreement", Some("cancelled")) => {
            pair("heeft een afspraak geschrapt", "cancelled an agreement")
        }
        ("update", "agreement", _) => pair("heeft een afspraak gewijzigd", "changed an agreement"),
        ("create", "flag", _) => pair("heeft een signaal vastgelegd", "set a flag"),
        ("end", "flag", _) => pair("heeft een signaal beëindigd", "ended a flag"),
        ("create", "plan_goal", _) => pair(
            "heeft een doel aan het plan toegevoegd",
            "added a goal to the plan",
        ),
        ("update", "plan_goal", _) => pair("heeft een doel bijgewerkt", "updated a goal"),
        ("create", "consent", _) => pair("heeft een toestemming vastgelegd", "recorded a consent"),
        ("end", "consent", _) => pair(
            "heeft een toestemming als ingetrokken vastgelegd",
            "recorded a consent as withdrawn",
        ),
        ("end", "household", _) => pair("heeft de begeleiding afgesloten", "closed the support"),
        ("update", "household", Some(d)) if d.starts_with("regisseur") => pair(
            "heeft een andere regisseur aangewezen",
            "assigned another regisseur",
        ),
        ("update", "household", Some("heropend")) => {
            pair("heeft de begeleiding heropend", "reopened the support")
        }
        ("update", "household", _) => pair("heeft het dossier gewijzigd", "changed the file"),
        ("delete", _, _) => pair(
            "heeft een vergissing ongedaan gemaakt (een onterecht ingevoerd gegeven verwijderd)",
            "undid a mistake (removed something entered by error)",
        ),
        ("erase", _, _) => pair(
            "heeft de persoonsgegevens gewist (bewaartermijn verstreken)",
            "erased the personal data (retention period over)",
        ),
        ("refused", _, Some(op)) => {
            let (nl, en) = match op {
                "read" | "read_admin" => ("het dossier in te zien", "to look at the file"),
                "export" => ("de gegevens te exporteren", "to export the data"),
                "retention" => ("de gegevens te wissen", "to erase the data"),
                "access_log" => ("dit inzageoverzicht op te vragen", "to see this access log"),
                "reassign" => ("de regisseur te wijzigen", "to change the regisseur"),
                _ => ("het dossier te wijzigen", "to change the file"),
            };
            (
                format!("probeerde {nl}; dat is geweigerd, er is niets getoond of gewijzigd"),
                format!("tried {en}; this was refused, nothing was shown or changed"),
            )
        }
        ("create", "provision", _) => {
            pair("heeft een voorziening aangevraagd", "requested a provision")
        }
        ("update", "provision", Some(d)) if d.starts_with("ongedaan") => pair(
            "heeft een besluit over een voorziening ongedaan gemaakt",
            "undid a decision on a provision",
        ),
        ("update", "provision", Some(d)) if d.starts_with("toegekend") => pair(
            "heeft een voorziening toegekend (beschikking)",
            "granted a provision (beschikking)",
        ),
        ("update", "provision", Some(d)) if d.starts_with("afgewezen") => pair(
            "heeft een voorziening afgewezen (beschikking)",
            "refused a provision (beschikking)",
        ),
        ("update", "provision", Some(d)) if d.starts_with("toegewezen") => pair(
            "heeft een voorziening aan een aanbieder toegewezen",
            "assigned a provision to a provider",
        ),
        ("update", "provision", Some("svb")) => pair(
            "heeft een PGB bij de SVB gemeld",
            "reported a PGB to the SVB",
        ),
        ("update", "provision", Some("cak")) => pair(
            "heeft een eigen bijdrage bij het CAK gemeld",
            "notified an eigen bijdrage to the CAK",
        ),
        ("update", "provision", Some("gestart")) => pair(
            "heeft een voorziening als gestart gemarkeerd",
            "marked a provision started",
        ),
        ("update", "provision", Some("beeindigd")) => {
            pair("heeft een voorziening beëindigd", "ended a provision")
        }
        ("update", "provision", _) => {
            pair("heeft een voorziening bijgewerkt", "updated a provision")
        }
        ("update", "flag", _) => pair("heeft een signaal weer aangezet", "set a flag again"),
        // Anything newer than this list still reads as a sentence, never as codes.
        _ => pair("heeft het dossier gebruikt", "used the file"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisions_and_unknown_actions_read_as_sentences_without_codes() {
        for (action, object, detail) in [
            ("create", "provision", None),
            ("update", "provision", Some("toegekend B-1-1")),
            ("update", "provision", Some("toegewezen 000000012")),
            ("update", "provision", Some("ongedaan: bulkactie")),
            ("update", "provision", Some("svb")),
            ("update", "flag", Some("ongedaan")),
            ("archive", "something_new", None),
        ] {
            let (nl, en) = describe(action, object, detail);
            for text in [&nl, &en] {
                assert!(
                    !text.contains(&format!("{action} {object}")) && !text.contains('_'),
                    "{action} {object}: {text}"
                );
            }
        }
        assert_eq!(
            describe("create", "provision", None).0,
            "heeft een voorziening aangevraagd"
        );
    }

    #[test]
    fn every_household_action_reads_as_a_plain_sentence() {
        let (nl, _) = describe("read", "household", Some("dashboard"));
        assert_eq!(nl, "heeft het dossier bekeken");
        let (nl, en) = describe("refused", "household", Some("export"));
        assert!(
            nl.starts_with("probeerde de gegevens te exporteren"),
            "{nl}"
        );
        assert!(en.contains("refused"), "{en}");
        let (nl, _) = describe("undo", "contact", None);
        assert_eq!(nl, "heeft het dossier gebruikt", "no codes in the sentence");
    }
}

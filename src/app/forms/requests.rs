//! The decisions on a provider's request (grant, refuse with a reason) and reading message
//! files, from the worklist "Verzoeken van aanbieders".

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::{Choice, Field};

/// The form that confirms granting request `id` (`summary` says what it asks).
pub fn grant_request(env: Env<'_>, id: i64, summary: &str) -> Form {
    let mut form = Form::new(
        FormKind::GrantRequest(id),
        format!("{} {id}", env.t("Verzoek toekennen", "Grant request")),
        Vec::new(),
    );
    form.summary = Some(format!(
        "{summary} {}",
        env.t(
            "Enter kent toe en schrijft de 301 naar uitgaand/.",
            "Enter grants and writes the 301 to uitgaand/."
        )
    ));
    form
}

/// The form that refuses request `id` with a reason from the code list.
pub fn refuse_request(env: Env<'_>, id: i64) -> Form {
    let reasons = crate::exchange::antwoord::REFUSAL_REASONS
        .iter()
        .map(|(code, label)| Choice::new(*code, format!("{code} {label}")))
        .collect();
    let mut form = Form::new(
        FormKind::RefuseRequest(id),
        format!("{} {id}", env.t("Verzoek afwijzen", "Refuse request")),
        vec![Field::choice(
            "reason",
            env.t("Reden", "Reason"),
            reasons,
            "3",
        )],
    );
    form.summary = Some(
        env.t(
            "Enter wijst af en schrijft de 319 naar uitgaand/.",
            "Enter refuses and writes the 319 to uitgaand/.",
        )
        .to_string(),
    );
    form
}

/// The form that asks which message files to read.
pub fn import_messages(env: Env<'_>) -> Form {
    Form::new(
        FormKind::ImportMessages,
        env.t(
            "Berichten van aanbieders inlezen",
            "Read providers' messages",
        )
        .to_string(),
        vec![Field::text(
            "files",
            env.t("Bestanden of map", "Files or folder"),
            "",
            1000,
        )],
    )
}

/// Checks a grant: nothing to fill in.
pub(super) fn check_grant(c: Checker<'_>, id: i64) -> Result<Submit, Errors> {
    c.done(Some(Submit::GrantRequest(id)))
}

/// Checks a refusal: the reason chosen.
pub(super) fn check_refuse(form: &Form, c: Checker<'_>, id: i64) -> Result<Submit, Errors> {
    let reason = form.fields.value("reason").to_string();
    c.done(Some(Submit::RefuseRequest { id, reason }))
}

/// Checks the files to read: each must exist; a folder stands for its `.xml` files.
pub(super) fn check_import(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
    let env = c.env;
    let value = match message_files(form.fields.value("files")) {
        Ok(files) => Some(Submit::ImportMessages(files)),
        Err((nl, en)) => {
            c.errors.push(("files", env.t(&nl, &en).to_string()));
            None
        }
    };
    c.done(value)
}

/// The message files typed: paths separated by spaces; a folder stands for its `.xml` files.
fn message_files(text: &str) -> Result<Vec<std::path::PathBuf>, (String, String)> {
    let mut files = Vec::new();
    for word in text.split_whitespace() {
        let path = std::path::PathBuf::from(word);
        if path.is_dir() {
            let mut inside: Vec<std::path::PathBuf> = std::fs::read_dir(&path)
                .map_err(|e| {
                    (
                        format!("De map {word} kan niet gelezen worden: {e}."),
                        format!("The folder {word} cannot be read: {e}."),
                    )
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")))
                .collect();
            inside.sort();
            files.extend(inside);
        } else if path.is_file() {
            files.push(path);
        } else {
            return Err((
                format!("{word} bestaat niet."),
                format!("{word} does not exist."),
            ));
        }
    }
    if files.is_empty() {
        return Err((
            "Geef een of meer berichtbestanden, of een map met .xml-bestanden.".into(),
            "Give one or more message files, or a folder with .xml files.".into(),
        ));
    }
    Ok(files)
}

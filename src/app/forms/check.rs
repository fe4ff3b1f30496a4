//! Checking a form: every field through the domain's own rules, so a message next to a field
//! is the one the store or the CLI would give. On success, the change to ask the store for.

use chrono::NaiveDate;

use super::{Env, Form, FormKind, Submit};
use crate::domain::Invalid;
use crate::domain::dates::{Bare, parse_birth_date, parse_date_as};
use crate::i18n::Localize;

/// Validates the whole form. On success, the change to make; otherwise each refused field gets
/// its message and nothing is returned (the typed values stay as they are).
pub fn submit(form: &mut Form, env: Env<'_>) -> Option<Submit> {
    form.fields.clear_messages();
    match check(form, env) {
        Ok(s) => Some(s),
        Err(errors) => {
            for (key, message) in errors {
                form.fields.set_error(key, message);
            }
            form.fields.focus_first_error();
            None
        }
    }
}

/// Checks only the field `key` (when the user leaves it): its message, if any, is shown.
pub fn check_field(form: &mut Form, env: Env<'_>, key: &str) {
    if let Err(errors) = check(form, env)
        && let Some((_, message)) = errors.into_iter().find(|(k, _)| *k == key)
    {
        form.fields.set_error(key, message);
    }
}

pub(super) type Errors = Vec<(&'static str, String)>;

/// What a day and month without a year mean in the date field `key`: `date` is when something
/// took place (a contact, a decision), so the last such date; every other date field (due,
/// start, end, from, to) lies ahead, so the next such date.
pub(super) fn bare(key: &str) -> Bare {
    if key == "date" {
        Bare::Last
    } else {
        Bare::Next
    }
}

/// Collects results per field: the value, or the field's message.
pub(super) struct Checker<'a> {
    pub(super) env: Env<'a>,
    pub(super) errors: Errors,
}

impl Checker<'_> {
    pub(super) fn take<T>(&mut self, key: &'static str, r: Result<T, Invalid>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push((key, e.localize(self.env.lang)));
                None
            }
        }
    }

    pub(super) fn date(&mut self, key: &'static str, text: &str) -> Option<NaiveDate> {
        let r = parse_date_as(text, self.env.today, bare(key))
            .map_err(|e| Invalid::from_error("date", &e));
        self.take(key, r)
    }

    pub(super) fn optional_date(
        &mut self,
        key: &'static str,
        text: &str,
    ) -> Option<Option<NaiveDate>> {
        if text.trim().is_empty() {
            return Some(None);
        }
        self.date(key, text).map(Some)
    }

    pub(super) fn birth(&mut self, key: &'static str, text: &str) -> Option<Option<NaiveDate>> {
        if text.trim().is_empty() {
            return Some(None);
        }
        let r =
            parse_birth_date(text, self.env.today).map_err(|e| Invalid::from_error("birth", &e));
        self.take(key, r).map(Some)
    }

    pub(super) fn done<T>(self, value: Option<T>) -> Result<T, Errors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

pub(super) fn some_text(s: &str) -> Option<&str> {
    (!s.trim().is_empty()).then_some(s)
}

fn check(form: &Form, env: Env<'_>) -> Result<Submit, Errors> {
    let c = Checker {
        env,
        errors: Vec::new(),
    };
    match &form.kind {
        FormKind::Contact => super::contact::check(form, c),
        FormKind::Agreement(id) => super::agreement::check(form, c, id),
        FormKind::CancelAgreement(id) => super::cancel_agreement::check(form, c, id),
        FormKind::Member(id) => super::member::check(form, c, id),
        FormKind::Goal(id) => super::goal::check(form, c, id),
        FormKind::EndFlag(id) => super::end_flag::check(form, c, id),
        FormKind::Close => super::close::check(form, c),
        FormKind::Regisseur => super::regisseur::check(form, c),
        FormKind::NewHousehold => super::new_household::check(form, c),
        FormKind::Provision(_) => super::provision::check(form, c),
        FormKind::Provider => super::provider::check(form, c),
        FormKind::Contract(provider_id) => super::contract::check(form, c, provider_id),
        FormKind::GrantRequest(id) => super::requests::check_grant(c, *id),
        FormKind::RefuseRequest(id) => super::requests::check_refuse(form, c, *id),
        FormKind::ImportMessages => super::requests::check_import(form, c),
        FormKind::Bulk { ids, .. } => super::bulk::check(form, c, ids),
    }
}

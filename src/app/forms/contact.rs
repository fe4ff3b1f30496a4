//! The contact form: today, and the kind and minutes this user records most often; it records one
//! contact.

use super::check::{Checker, Errors, some_text};
use super::{Env, Form, FormKind, Submit, refresh};
use crate::app::form::{Choice, Field};
use crate::domain::contact::ContactFields;
use crate::domain::dates::format_date;
use crate::model::changes::Change;

/// The minutes a contact of `kind` usually takes for this user, or the kind's own default.
pub(super) fn usual_minutes(env: Env<'_>, kind: &str) -> Option<u32> {
    env.user.and_then(|u| u.usual_minutes(kind)).or_else(|| {
        env.reference
            .contact_kinds
            .by_key(kind)
            .map(|k| k.default_minutes)
    })
}

/// The contact form: today, and the kind and minutes this user records most often.
pub fn contact(env: Env<'_>) -> Form {
    let kinds = &env.reference.contact_kinds;
    let kind = env
        .user
        .and_then(|u| u.usual_kind())
        .and_then(|k| kinds.by_key(k))
        .unwrap_or_else(|| kinds.default());
    let minutes = usual_minutes(env, &kind.key).unwrap_or(kind.default_minutes);
    let options = kinds
        .kinds()
        .iter()
        .map(|k| Choice::new(k.key.clone(), k.name.clone()))
        .collect();
    let mut form = Form::new(
        FormKind::Contact,
        env.t("Contactmoment", "Contact"),
        vec![
            Field::text("date", env.t("Datum", "Date"), &format_date(env.today), 20),
            Field::choice("kind", env.t("Soort", "Kind"), options, &kind.key),
            Field::text(
                "minutes",
                env.t("Minuten", "Minutes"),
                &minutes.to_string(),
                4,
            )
            .replaced_by_typing(),
            Field::text("note", env.t("Notitie (1 regel)", "Note (1 line)"), "", 200),
        ],
    );
    refresh(&mut form, env);
    form
}

/// Checks the form: the change it asks for, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let env = c.env;
    let change = {
        let on = c.date("date", v("date"));
        let minutes = match v("minutes").trim().parse::<u32>() {
            Ok(m) => Some(m),
            Err(_) => {
                c.errors.push((
                    "minutes",
                    env.t(
                        "Vul het aantal minuten in als getal.",
                        "Enter the minutes as a number.",
                    ),
                ));
                None
            }
        };
        let fields = match (on, minutes) {
            (Some(on), Some(m)) => {
                let r = ContactFields::new(on, v("kind"), m, some_text(v("note")));
                let key = match &r {
                    Err(e) if e.field == "note" => "note",
                    _ => "minutes",
                };
                c.take(key, r)
            }
            _ => None,
        };
        fields.map(Change::Contact)
    };
    c.done(change).map(Submit::Change)
}

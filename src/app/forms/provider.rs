//! Registering a provider: name, AGB code and contact.

use super::check::{Checker, Errors, some_text};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::Field;
use crate::domain::invalid::required_text;
use crate::domain::provision::AgbCode;

/// The form registering a provider: name, AGB code (8 digits), contact.
pub fn provider(env: Env<'_>) -> Form {
    Form::new(
        FormKind::Provider,
        env.t("Nieuwe aanbieder", "New provider"),
        vec![
            Field::text("name", env.t("Naam", "Name"), "", 120),
            Field::text("agb", env.t("AGB-code", "AGB code"), "", 12),
            Field::text(
                "contact",
                env.t("Contact (telefoon, e-mail)", "Contact"),
                "",
                120,
            ),
        ],
    )
}

/// Checks the form: what it submits, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let name = c.take(
        "name",
        required_text("name", "De naam", "The name", v("name"), 120),
    );
    let agb = c.take("agb", AgbCode::parse(v("agb")));
    let value = match (name, agb) {
        (Some(name), Some(agb)) => Some(Submit::Provider {
            name,
            agb: agb.as_str().to_string(),
            contact: some_text(v("contact")).map(str::to_string),
        }),
        _ => None,
    };
    c.done(value)
}

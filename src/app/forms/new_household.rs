//! Registering a new household with its address and first member.

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit, refresh};
use crate::app::form::Field;
use crate::domain::Invalid;
use crate::domain::household::{Address, PersonFields, validate_label};

/// The new-household form.
pub fn new_household(env: Env<'_>) -> Form {
    let mut form = Form::new(
        FormKind::NewHousehold,
        env.t("Nieuw huishouden", "New household"),
        vec![
            Field::text("label", env.t("Naam (Fam. …)", "Name (Fam. …)"), "", 80),
            Field::text("postcode", env.t("Postcode", "Postcode"), "", 10),
            Field::text("number", env.t("Huisnummer", "House number"), "", 10),
            Field::text("street", env.t("Straat", "Street"), "", 80),
            Field::text("city", env.t("Woonplaats", "City"), "", 60),
            Field::text("name", env.t("Eerste gezinslid", "First member"), "", 80),
            Field::text("birth", env.t("Geboortedatum", "Birth date"), "", 20),
            Field::choice(
                "role",
                env.t("Rol", "Role"),
                super::member::role_choices(),
                "ouder",
            ),
        ],
    );
    refresh(&mut form, env);
    form
}

pub(super) fn check(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let label = c.take("label", validate_label(v("label")));
    let address = match Address::parse(v("street"), v("number"), v("postcode"), v("city")) {
        Ok(a) => Some(a),
        Err(_) => {
            // Report every wrong part, not only the first.
            let one = |c: &mut Checker<'_>, key: &'static str, r: Result<(), Invalid>| {
                c.take(key, r);
            };
            one(
                &mut c,
                "postcode",
                crate::domain::postcode::Postcode::parse(v("postcode"))
                    .map(drop)
                    .map_err(|e| Invalid::from_error("postcode", &e)),
            );
            one(
                &mut c,
                "number",
                crate::domain::address::HouseNumber::parse(v("number"))
                    .map(drop)
                    .map_err(|e| Invalid::from_error("number", &e)),
            );
            one(
                &mut c,
                "street",
                crate::domain::invalid::required_text(
                    "street",
                    "De straat",
                    "The street",
                    v("street"),
                    80,
                )
                .map(drop),
            );
            one(
                &mut c,
                "city",
                crate::domain::invalid::required_text(
                    "city",
                    "De woonplaats",
                    "The city",
                    v("city"),
                    60,
                )
                .map(drop),
            );
            None
        }
    };
    let birth = c.birth("birth", v("birth"));
    let first = birth.and_then(|b| {
        let r = PersonFields::parse(v("name"), b, v("role"), None, None);
        c.take("name", r)
    });
    let value = match (label, address, first) {
        (Some(label), Some(address), Some(first)) => Some(Submit::NewHousehold {
            label,
            address,
            first,
        }),
        _ => None,
    };
    c.done(value)
}

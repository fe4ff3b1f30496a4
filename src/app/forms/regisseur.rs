//! Choosing another regisseur among the team's colleagues.

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::{Choice, Field};
use crate::domain::user::User;
use crate::model::changes::Change;

/// The regisseur choice among the team's colleagues, the current one selected.
pub fn regisseur(env: Env<'_>, candidates: &[User], current: i64) -> Form {
    let options = candidates
        .iter()
        .map(|u| Choice::new(u.id.to_string(), u.display_name.clone()))
        .collect();
    Form::new(
        FormKind::Regisseur,
        env.t("Regisseur wijzigen", "Change regisseur"),
        vec![Field::choice(
            "regisseur",
            env.t("Regisseur", "Regisseur"),
            options,
            &current.to_string(),
        )],
    )
}

/// Checks the form: the change it asks for, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let env = c.env;
    let change = {
        match v("regisseur").parse::<i64>() {
            Ok(id) => Some(Change::Regisseur(id)),
            Err(_) => {
                c.errors.push((
                    "regisseur",
                    env.t(
                        "Er is geen collega om uit te kiezen.",
                        "There is no colleague to choose.",
                    ),
                ));
                None
            }
        }
    };
    c.done(change).map(Submit::Change)
}

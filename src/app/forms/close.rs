//! Closing the household: the reason is asked for.

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::Field;
use crate::domain::household::validate_close_reason;
use crate::model::changes::Change;

/// The form asking why the household is closed.
pub fn close(env: Env<'_>) -> Form {
    Form::new(
        FormKind::Close,
        env.t("Huishouden afsluiten", "Close household"),
        vec![Field::text("reason", env.t("Reden", "Reason"), "", 200)],
    )
}

/// Checks the form: the change it asks for, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let env = c.env;
    let change = {
        c.take("reason", validate_close_reason(v("reason")))
            .map(|reason| Change::Close {
                on: env.today,
                reason,
            })
    };
    c.done(change).map(Submit::Change)
}

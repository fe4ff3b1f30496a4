//! Cancelling an agreement: the reason is asked for.

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::Field;
use crate::domain::agreement::{Agreement, validate_cancel_reason};
use crate::model::changes::Change;

/// The form asking why an agreement is cancelled.
pub fn cancel_agreement(env: Env<'_>, a: &Agreement) -> Form {
    Form::new(
        FormKind::CancelAgreement(a.id),
        format!(
            "{}: {}",
            env.t("Afspraak annuleren", "Cancel agreement"),
            a.what
        ),
        vec![Field::text("reason", env.t("Reden", "Reason"), "", 200)],
    )
}

/// Checks the form: the change it asks for, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>, id: &i64) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let env = c.env;
    let change = {
        c.take("reason", validate_cancel_reason(v("reason")))
            .map(|reason| Change::CancelAgreement {
                id: *id,
                on: env.today,
                reason,
            })
    };
    c.done(change).map(Submit::Change)
}

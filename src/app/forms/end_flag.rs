//! Ending a flag: the reason is asked for.

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::Field;
use crate::domain::flag::validate_end_reason;
use crate::model::changes::Change;

/// The form asking why a flag ends.
pub fn end_flag(env: Env<'_>, flag_id: i64, name: &str) -> Form {
    Form::new(
        FormKind::EndFlag(flag_id),
        format!("{}: {name}", env.t("Signaal beëindigen", "End flag")),
        vec![Field::text("reason", env.t("Reden", "Reason"), "", 200)],
    )
}

/// Checks the form: the change it asks for, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>, id: &i64) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let env = c.env;
    let change = {
        c.take("reason", validate_end_reason(v("reason")))
            .map(|reason| Change::EndFlag {
                id: *id,
                on: env.today,
                reason,
            })
    };
    c.done(change).map(Submit::Change)
}

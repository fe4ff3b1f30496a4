//! A bulk action on selected provisions of a worklist: its fields per list, its summary and the
//! action it submits (after a second Enter).

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit, refresh};
use crate::app::form::{Choice, Field};
use crate::domain::dates::format_date;
use crate::domain::invalid::required_text;
use crate::model::worklists::{BulkAction, Worklist};

/// The bulk-action form for `ids` on `list`: what the list's next step needs (a beschikking
/// date and number, a provider contracted for every selected product, a date, a reason).
pub fn bulk(env: Env<'_>, list: Worklist, ids: Vec<i64>, providers: Vec<Choice>) -> Form {
    let today = format_date(env.today);
    let mut fields = Vec::new();
    match list {
        Worklist::AwaitingBeschikking => {
            let decisions = vec![
                Choice::new("toekennen", env.t("toekennen", "grant")),
                Choice::new("afwijzen", env.t("afwijzen", "refuse")),
            ];
            fields.push(Field::choice(
                "decision",
                env.t("Besluit", "Decision"),
                decisions,
                "toekennen",
            ));
            fields.push(Field::text(
                "date",
                env.t("Beschikkingsdatum", "Date"),
                &today,
                20,
            ));
            fields.push(Field::text(
                "number",
                env.t("Beschikkingsnummer", "Number"),
                "",
                40,
            ));
        }
        Worklist::AwaitingToewijzing => {
            fields.push(Field::choice(
                "provider",
                env.t("Aanbieder", "Provider"),
                providers,
                "",
            ));
            fields.push(Field::text(
                "date",
                env.t("Toewijzingsdatum", "Date"),
                &today,
                20,
            ));
        }
        Worklist::WithoutStart => {
            fields.push(Field::text(
                "date",
                env.t(
                    "Gestart op (zonder startbericht)",
                    "Started on (no start message)",
                ),
                &today,
                20,
            ));
        }
        Worklist::PgbToSvb | Worklist::EigenBijdrageToCak => {
            fields.push(Field::text(
                "date",
                env.t("Gemeld op", "Reported on"),
                &today,
                20,
            ));
        }
        Worklist::EndingSoon => {
            fields.push(Field::text(
                "date",
                env.t("Einddatum", "End date"),
                &today,
                20,
            ));
            fields.push(Field::text("reason", env.t("Reden", "Reason"), "", 200));
        }
    }
    let title = format!("{} · {}", list.title(), env.t("in één keer", "in one go"));
    let mut form = Form::new(FormKind::Bulk { list, ids }, title, fields);
    refresh(&mut form, env);
    form
}

/// The bulk action the form's fields describe, when they are complete (for the summary line).
pub(super) fn bulk_action(form: &Form, env: Env<'_>) -> Option<BulkAction> {
    let mut c = Checker {
        env,
        errors: Vec::new(),
    };
    bulk_checked(form, &mut c).filter(|_| c.errors.is_empty())
}

fn bulk_checked(form: &Form, c: &mut Checker<'_>) -> Option<BulkAction> {
    let FormKind::Bulk { list, .. } = &form.kind else {
        return None;
    };
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let on = c.date("date", v("date"))?;
    match list {
        Worklist::AwaitingBeschikking => {
            let number = c.take(
                "number",
                required_text(
                    "number",
                    "Het beschikkingsnummer",
                    "The number",
                    v("number"),
                    40,
                ),
            )?;
            Some(if v("decision") == "afwijzen" {
                BulkAction::Refuse { on, number }
            } else {
                BulkAction::Grant { on, number }
            })
        }
        Worklist::AwaitingToewijzing => match v("provider").parse::<i64>() {
            Ok(provider_id) => Some(BulkAction::Assign { provider_id, on }),
            Err(_) => {
                c.errors.push((
                    "provider",
                    c.env.t(
                        "Geen aanbieder heeft een contract voor alle gekozen producten.",
                        "No provider is contracted for every chosen product.",
                    ),
                ));
                None
            }
        },
        Worklist::WithoutStart => Some(BulkAction::Start { on }),
        Worklist::PgbToSvb => Some(BulkAction::ReportSvb { on }),
        Worklist::EigenBijdrageToCak => Some(BulkAction::NotifyCak { on }),
        Worklist::EndingSoon => {
            let reason = c.take(
                "reason",
                required_text("reason", "De reden", "The reason", v("reason"), 200),
            )?;
            Some(BulkAction::End { on, reason })
        }
    }
}

/// Checks the form: what it submits, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>, ids: &[i64]) -> Result<Submit, Errors> {
    let action = bulk_checked(form, &mut c);
    let ids = ids.to_vec();
    c.done(action.map(|action| Submit::Bulk { ids, action }))
}

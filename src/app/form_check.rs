//! Checking a form: every field through the domain's own rules, so a message next to a field
//! is the one the store or the CLI would give. On success, the change to ask the store for.

use chrono::NaiveDate;

use super::forms::{Env, Form, FormKind, Submit};
use crate::domain::Invalid;
use crate::domain::agreement::{Actor, AgreementFields, validate_cancel_reason};
use crate::domain::contact::ContactFields;
use crate::domain::dates::{parse_birth_date, parse_date};
use crate::domain::flag::validate_end_reason;
use crate::domain::goal::{GoalStatus, validate_goal};
use crate::domain::household::{Address, PersonFields, validate_close_reason, validate_label};
use crate::domain::invalid::required_text;
use crate::i18n::Localize;
use crate::store::changes::{Change, GoalFields};

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

type Errors = Vec<(&'static str, String)>;

/// Collects results per field: the value, or the field's message.
struct Checker<'a> {
    env: Env<'a>,
    errors: Errors,
}

impl Checker<'_> {
    fn take<T>(&mut self, key: &'static str, r: Result<T, Invalid>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push((key, e.localize(self.env.lang)));
                None
            }
        }
    }

    fn date(&mut self, key: &'static str, text: &str) -> Option<NaiveDate> {
        let r = parse_date(text, self.env.today).map_err(|e| Invalid::from_error("date", &e));
        self.take(key, r)
    }

    fn optional_date(&mut self, key: &'static str, text: &str) -> Option<Option<NaiveDate>> {
        if text.trim().is_empty() {
            return Some(None);
        }
        self.date(key, text).map(Some)
    }

    fn birth(&mut self, key: &'static str, text: &str) -> Option<Option<NaiveDate>> {
        if text.trim().is_empty() {
            return Some(None);
        }
        let r =
            parse_birth_date(text, self.env.today).map_err(|e| Invalid::from_error("birth", &e));
        self.take(key, r).map(Some)
    }

    fn done<T>(self, value: Option<T>) -> Result<T, Errors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

fn some_text(s: &str) -> Option<&str> {
    (!s.trim().is_empty()).then_some(s)
}

fn check(form: &Form, env: Env<'_>) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let mut c = Checker {
        env,
        errors: Vec::new(),
    };
    let change = match &form.kind {
        FormKind::Contact => {
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
        }
        FormKind::Agreement(id) => {
            // Checked on its own too, so an empty text is named even when the date is wrong.
            let text = c.take(
                "what",
                required_text("what", "Wat er gebeurt", "What happens", v("what"), 200),
            );
            let due = c.optional_date("due", v("due"));
            let who = c.take("who", Actor::parse(v("who")));
            let domain = some_text(v("domain")).map(str::to_string);
            let fields = match (text, due, who) {
                (Some(_), Some(due), Some(who)) => {
                    let r =
                        AgreementFields::new(v("what"), who, due, v("formal") == "formeel", domain);
                    c.take("what", r)
                }
                _ => None,
            };
            fields.map(|fields| match id {
                Some(id) => Change::EditAgreement { id: *id, fields },
                None => Change::AddAgreement(fields),
            })
        }
        FormKind::CancelAgreement(id) => {
            c.take("reason", validate_cancel_reason(v("reason")))
                .map(|reason| Change::CancelAgreement {
                    id: *id,
                    on: env.today,
                    reason,
                })
        }
        FormKind::Member(id) => {
            let birth = c.birth("birth", v("birth"));
            let fields = birth.and_then(|b| {
                let r = PersonFields::parse(
                    v("name"),
                    b,
                    v("role"),
                    some_text(v("bsn")),
                    some_text(v("phone")),
                );
                let key = match &r {
                    Err(e) if e.field == "bsn" => "bsn",
                    Err(e) if e.field == "phone" => "phone",
                    _ => "name",
                };
                c.take(key, r)
            });
            fields.map(|fields| match id {
                Some(id) => Change::EditMember { id: *id, fields },
                None => Change::AddMember(fields),
            })
        }
        FormKind::Goal(id) => {
            let goal = c.take("goal", validate_goal(v("goal")));
            let status = c.take("status", GoalStatus::parse(v("status")));
            match (goal, status) {
                (Some(goal), Some(status)) => {
                    let fields = GoalFields {
                        goal,
                        zrm_domain: some_text(v("domain")).map(str::to_string),
                        status,
                    };
                    Some(match id {
                        Some(id) => Change::EditGoal { id: *id, fields },
                        None => Change::AddGoal(fields),
                    })
                }
                _ => None,
            }
        }
        FormKind::EndFlag(id) => c
            .take("reason", validate_end_reason(v("reason")))
            .map(|reason| Change::EndFlag {
                id: *id,
                on: env.today,
                reason,
            }),
        FormKind::Close => c
            .take("reason", validate_close_reason(v("reason")))
            .map(|reason| Change::Close {
                on: env.today,
                reason,
            }),
        FormKind::Regisseur => match v("regisseur").parse::<i64>() {
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
        },
        FormKind::NewHousehold => return check_new_household(form, c),
    };
    c.done(change).map(Submit::Change)
}

fn check_new_household(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
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

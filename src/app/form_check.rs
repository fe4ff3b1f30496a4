//! Checking a form: every field through the domain's own rules, so a message next to a field
//! is the one the store or the CLI would give. On success, the change to ask the store for.

use chrono::NaiveDate;

use super::forms::{Env, Form, FormKind, Submit};
use crate::domain::Invalid;
use crate::domain::agreement::{Actor, AgreementFields, validate_cancel_reason};
use crate::domain::contact::ContactFields;
use crate::domain::dates::{Bare, parse_birth_date, parse_date_as};
use crate::domain::flag::validate_end_reason;
use crate::domain::goal::{GoalStatus, validate_goal};
use crate::domain::household::{
    Address, MemberRole, PersonFields, validate_close_reason, validate_label,
};
use crate::domain::invalid::required_text;
use crate::domain::provision::{AgbCode, Financing, Frequency, Law, ProvisionFields, Unit};
use crate::i18n::Localize;
use crate::store::changes::{Change, GoalFields};
use crate::store::provisions::ContractFields;
use crate::store::worklists::{BulkAction, Worklist};

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
        let r = parse_date_as(text, self.env.today, bare(key))
            .map_err(|e| Invalid::from_error("date", &e));
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
            // Every field checked on its own, in field order, so all messages show at once;
            // each check is the domain's own, one field at a time.
            let one = |name: &str, bsn: Option<&str>, phone: Option<&str>| {
                PersonFields::parse(name, None, "kind", bsn, phone).map(|_| ())
            };
            let name = c.take("name", one(v("name"), None, None));
            let birth = c.birth("birth", v("birth"));
            let role = c.take("role", MemberRole::parse(v("role")).map(|_| ()));
            let bsn = c.take("bsn", one("x", some_text(v("bsn")), None));
            let phone = c.take("phone", one("x", None, some_text(v("phone"))));
            let fields = match (name, birth, role, bsn, phone) {
                (Some(()), Some(b), Some(()), Some(()), Some(())) => {
                    let r = PersonFields::parse(
                        v("name"),
                        b,
                        v("role"),
                        some_text(v("bsn")),
                        some_text(v("phone")),
                    );
                    c.take("name", r)
                }
                _ => None,
            };
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
        FormKind::Provision(_) => return check_provision(form, c),
        FormKind::Provider => {
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
            return c.done(value);
        }
        FormKind::Contract(provider_id) => {
            let provider_id = *provider_id;
            let tariff = match parse_euros(v("tariff")) {
                Some(cents) => Some(cents),
                None => {
                    c.errors.push((
                        "tariff",
                        c.env.t(
                            "Vul het tarief in euro in, bijvoorbeeld 62,50.",
                            "Enter the tariff in euros, e.g. 62.50.",
                        ),
                    ));
                    None
                }
            };
            let from = c.date("from", v("from"));
            let to = c.optional_date("to", v("to"));
            if let (Some(from), Some(Some(to))) = (from, to)
                && to < from
            {
                c.errors.push((
                    "to",
                    c.env.t(
                        "Het contract eindigt voor het begint.",
                        "The contract ends before it starts.",
                    ),
                ));
            }
            let unit = c.take("unit", Unit::parse(v("unit")));
            let value = match (tariff, from, to, unit) {
                (Some(tariff_cents), Some(valid_from), Some(valid_to), Some(unit)) => {
                    Some(Submit::Contract {
                        provider_id,
                        fields: ContractFields {
                            product: v("product").to_string(),
                            tariff_cents,
                            unit,
                            valid_from,
                            valid_to,
                        },
                    })
                }
                _ => None,
            };
            return c.done(value);
        }
        FormKind::Bulk { ids, .. } => {
            let action = bulk_checked(form, &mut c);
            let ids = ids.clone();
            return c.done(action.map(|action| Submit::Bulk { ids, action }));
        }
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

fn check_provision(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let start = c.date("start", v("start"));
    let end = c.optional_date("end", v("end"));
    // Named even when other fields are still wrong.
    if let (Some(start), Some(Some(end))) = (start, end)
        && end < start
    {
        c.errors.push((
            "end",
            c.env.t(
                "De einddatum ligt voor de ingangsdatum.",
                "The end date is before the start date.",
            ),
        ));
    }
    let volume = match v("volume").trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            c.errors.push((
                "volume",
                c.env.t(
                    "Vul de omvang in als getal.",
                    "Enter the volume as a number.",
                ),
            ));
            None
        }
    };
    let product = c
        .env
        .reference
        .products
        .product(v("product"))
        .map(|p| (p.category.clone(), p.code.clone()));
    if product.is_none() {
        c.errors
            .push(("product", c.env.t("Kies een product.", "Choose a product.")));
    }
    let person_id = v("member").parse::<i64>().ok();
    let law = c.take("law", Law::parse(v("law")));
    let unit = c.take("unit", Unit::parse(v("unit")));
    let frequency = c.take("frequency", Frequency::parse(v("frequency")));
    let financing = c.take("financing", Financing::parse(v("financing")));
    let (
        Some(start),
        Some(end),
        Some(volume),
        Some((category, product)),
        Some(person_id),
        Some(law),
        Some(unit),
        Some(frequency),
        Some(financing),
    ) = (
        start, end, volume, product, person_id, law, unit, frequency, financing,
    )
    else {
        return Err(c.errors);
    };
    let fields = ProvisionFields {
        person_id,
        law,
        category,
        product,
        provider_id: v("provider").parse().ok(),
        start_on: start,
        end_on: end,
        volume,
        unit,
        frequency,
        financing,
        eigen_bijdrage: v("eigen") == "ja",
        motivation: some_text(v("motivation")).map(str::to_string),
    };
    let r = fields.validate();
    let key = match &r {
        Err(e) if e.field == "end_on" => "end",
        Err(e) if e.field == "category" => "product",
        Err(e) if e.field == "motivation" => "motivation",
        _ => "volume",
    };
    let value = c
        .take(key, r)
        .map(|f| Submit::Change(Change::RequestProvision(f)));
    c.done(value)
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

/// "62,50", "62.50", "€ 62" as cents; `None` for anything else or a negative amount.
fn parse_euros(text: &str) -> Option<i64> {
    let t = text.trim().trim_start_matches('€').trim().replace(',', ".");
    let (whole, part) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || part.len() > 2 || !digits(whole) || !digits(part) {
        return None;
    }
    let euros: i64 = whole.parse().ok().filter(|e| *e >= 0)?;
    let cents: i64 = if part.is_empty() {
        0
    } else {
        format!("{part:0<2}").parse().ok()?
    };
    euros.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::parse_euros;

    #[test]
    fn tariffs_are_euros_with_at_most_two_decimals_and_no_signs() {
        assert_eq!(parse_euros("62,50"), Some(6250));
        assert_eq!(parse_euros("€ 62.5"), Some(6250));
        assert_eq!(parse_euros("7"), Some(700));
        for wrong in ["5.-9", "1.+5", "-3", "62,505", "", "abc", "1,2,3"] {
            assert_eq!(parse_euros(wrong), None, "{wrong}");
        }
    }
}

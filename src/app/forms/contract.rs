//! A contract for a provider: product, tariff, unit and period.

use super::check::{Checker, Errors};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::{Choice, Field};
use crate::domain::dates::format_date;
use crate::domain::provision::Unit;
use crate::model::providers::ContractFields;

/// The form adding a contract for `provider_id`: product, tariff per unit, period.
pub fn contract(env: Env<'_>, provider_id: i64, name: &str) -> Form {
    let products = env
        .reference
        .products
        .products()
        .iter()
        .map(|p| Choice::new(p.code.clone(), format!("{} {}", p.code, p.name)))
        .collect();
    let units = Unit::ALL
        .iter()
        .map(|u| Choice::new(u.code(), u.code()))
        .collect();
    Form::new(
        FormKind::Contract(provider_id),
        format!("{}: {name}", env.t("Nieuw contract", "New contract")),
        vec![
            Field::choice("product", env.t("Product", "Product"), products, ""),
            Field::text("tariff", env.t("Tarief (euro)", "Tariff (euro)"), "", 12),
            Field::choice("unit", env.t("Per", "Per"), units, "uur"),
            Field::text("from", env.t("Ingang", "From"), &format_date(env.today), 20),
            Field::text("to", env.t("Einde", "Until"), "", 20),
        ],
    )
}

/// Checks the form: what it submits, or each refused field's message.
pub(super) fn check(form: &Form, mut c: Checker<'_>, provider_id: &i64) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
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
    c.done(value)
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

//! Requesting a provision: law, product, volume, dates, financing and the contracted providers.

use super::check::{Checker, Errors, some_text};
use super::{Env, Form, FormKind, Submit, refresh};
use crate::app::form::{Choice, Field};
use crate::domain::dates::format_date;
use crate::domain::provision::{Financing, Frequency, Law, ProvisionFields, Unit};
use crate::model::changes::Change;
use crate::model::providers::Offer;

/// The provision request form for member `member` (index), prefilled: Wmo, the first product,
/// today, its default unit and frequency, zorg in natura, eigen bijdrage for the Wmo.
pub fn provision(env: Env<'_>, offers: Vec<Offer>, member: usize) -> Form {
    let members: Vec<Choice> = env
        .dashboard
        .map(|d| {
            d.members
                .iter()
                .map(|p| Choice::new(p.id.to_string(), p.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let chosen = members
        .get(member)
        .map(|c| c.code.clone())
        .unwrap_or_default();
    let laws = Law::ALL
        .iter()
        .map(|l| Choice::new(l.code(), l.name()))
        .collect();
    let units = Unit::ALL
        .iter()
        .map(|u| Choice::new(u.code(), u.code()))
        .collect();
    let frequencies = Frequency::ALL
        .iter()
        .map(|f| Choice::new(f.code(), f.name()))
        .collect();
    let financing = Financing::ALL
        .iter()
        .map(|f| Choice::new(f.code(), f.name()))
        .collect();
    let yes_no = vec![
        Choice::new("ja", env.t("ja", "yes")),
        Choice::new("nee", env.t("nee", "no")),
    ];
    let mut form = Form::new(
        FormKind::Provision(offers),
        env.t("Voorziening aanvragen", "Request a provision"),
        vec![
            Field::choice("member", env.t("Voor", "For"), members, &chosen),
            Field::choice("law", env.t("Wet", "Law"), laws, "wmo"),
            Field::choice("product", env.t("Product", "Product"), Vec::new(), ""),
            Field::choice("provider", env.t("Aanbieder", "Provider"), Vec::new(), ""),
            Field::text(
                "start",
                env.t("Ingang", "Start"),
                &format_date(env.today),
                20,
            ),
            Field::text("end", env.t("Einde", "End"), "", 20),
            Field::text("volume", env.t("Omvang", "Volume"), "", 6),
            Field::choice("unit", env.t("Eenheid", "Unit"), units, "uur"),
            Field::choice(
                "frequency",
                env.t("Frequentie", "Frequency"),
                frequencies,
                "per_week",
            ),
            Field::choice(
                "financing",
                env.t("Financiering", "Financing"),
                financing,
                "zin",
            ),
            Field::choice(
                "eigen",
                env.t("Eigen bijdrage", "Own contribution"),
                yes_no,
                "ja",
            ),
            Field::text("motivation", env.t("Motivering", "Motivation"), "", 500),
        ],
    );
    refresh(&mut form, env);
    form
}

/// Keeps a provision form consistent: the products of the chosen law, the providers
/// contracted for the chosen product, and the product's unit and frequency (until chosen).
pub(super) fn refresh_provision(form: &mut Form, env: Env<'_>) {
    let FormKind::Provision(offers) = &form.kind else {
        return;
    };
    let catalogue = &env.reference.products;
    let law = form.fields.value("law").to_string();
    let products: Vec<Choice> = catalogue
        .products()
        .iter()
        .filter(|p| {
            catalogue
                .category(&p.category)
                .is_some_and(|c| c.law.code() == law)
        })
        .map(|p| Choice::new(p.code.clone(), format!("{} {}", p.code, p.name)))
        .collect();
    let before = form.fields.value("product").to_string();
    if let Some(f) = form.fields.get_mut("product") {
        f.set_options(products);
    }
    let product = form.fields.value("product").to_string();
    let mut providers = vec![Choice::new(
        "",
        env.t("— later kiezen —", "— choose later —"),
    )];
    providers.extend(
        offers
            .iter()
            .filter(|o| o.product == product)
            .map(|o| Choice::new(o.provider_id.to_string(), o.name.clone())),
    );
    if let Some(f) = form.fields.get_mut("provider") {
        f.set_options(providers);
    }
    if product != before
        && let Some(p) = catalogue.product(&product)
    {
        let (unit, frequency) = (p.unit.code(), p.frequency.code());
        for (key, code) in [("unit", unit), ("frequency", frequency)] {
            if let Some(f) = form.fields.get_mut(key)
                && !f.touched
            {
                f.select(code);
            }
        }
    }
    let own_contribution = if law == "wmo" { "ja" } else { "nee" };
    if let Some(f) = form.fields.get_mut("eigen")
        && !f.touched
    {
        f.select(own_contribution);
    }
}

pub(super) fn check(form: &Form, mut c: Checker<'_>) -> Result<Submit, Errors> {
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

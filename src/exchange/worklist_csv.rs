//! A backoffice worklist as a CSV file for Dutch Excel: one row per provision, with what the
//! backoffice needs to act on it outside the app (household, member, BSN, what, who, when,
//! how much, how paid, where it stands, and the actual care the provider reported).

use super::csv;
use crate::domain::reference::ProductCatalogue;
use crate::model::worklists::WorkItem;

/// The column names, in order.
pub const HEADER: [&str; 24] = [
    "voorziening",
    "huishouden",
    "gezinslid",
    "bsn",
    "wet",
    "categorie",
    "product",
    "productnaam",
    "aanbieder",
    "begindatum",
    "einddatum",
    "omvang",
    "eenheid",
    "frequentie",
    "financiering",
    "eigen bijdrage",
    "status",
    "beschikkingsdatum",
    "beschikkingsnummer",
    "toewijzingsnummer",
    "toewijzingsdatum",
    "zorg gestart",
    "zorg gestopt",
    "reden einde zorg",
];

/// The rows of `items`; product names come from `products` (empty when unknown).
pub fn rows(items: &[WorkItem], products: &ProductCatalogue) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|item| {
            let p = &item.provision;
            let (beschikking_on, beschikking_number) = match &p.beschikking {
                Some((on, number)) => (csv::date(*on), number.clone()),
                None => (String::new(), String::new()),
            };
            let (toewijzing_number, toewijzing_on) = match &p.toewijzing {
                Some((number, on)) => (number.clone(), csv::date(*on)),
                None => (String::new(), String::new()),
            };
            vec![
                p.id.to_string(),
                csv::text(&item.household).into_owned(),
                csv::text(&item.person).into_owned(),
                item.bsn.clone().unwrap_or_default(),
                p.law.name().to_string(),
                p.category.clone(),
                p.product.clone(),
                products
                    .product(&p.product)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                item.provider
                    .as_deref()
                    .map(|s| csv::text(s).into_owned())
                    .unwrap_or_default(),
                csv::date(p.start_on),
                csv::opt_date(p.end_on),
                p.volume.to_string(),
                p.unit.code().to_string(),
                p.frequency.name().to_string(),
                p.financing.name().to_string(),
                if p.eigen_bijdrage { "ja" } else { "nee" }.to_string(),
                p.status.name().to_string(),
                beschikking_on,
                beschikking_number,
                toewijzing_number,
                toewijzing_on,
                csv::opt_date(p.care.started_on),
                csv::opt_date(p.care.ended_on),
                p.care
                    .end_reason
                    .as_deref()
                    .map(|c| format!("{c} {}", crate::exchange::berichten::end_reason_label(c)))
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

/// The whole file.
pub fn render(items: &[WorkItem], products: &ProductCatalogue) -> String {
    csv::write(&HEADER, &rows(items, products))
}

//! Demo provisions: about a quarter of the households have one, at every stage of its life,
//! with providers contracted for what they deliver (the member gets a BSN: see `household`).

use chrono::{Duration, NaiveDate};

use super::{DemoCatalogue, Rng};
use crate::model::demo::{DemoHousehold, DemoProvision};

/// The demo providers: name and AGB code. Each is contracted for every product in the catalogue.
pub const DEMO_PROVIDERS: [(&str, &str); 6] = [
    ("Buurtzorg Utrecht", "73051234"),
    ("Careyn Thuiszorg", "73059876"),
    ("Lister Begeleid Wonen", "73060011"),
    ("Timon Jeugdhulp", "73061122"),
    ("Dagbesteding De Werkplaats", "73062233"),
    ("Stichting Schuldhulp Utrecht", "73063344"),
];

/// The provisions of a generated household (none for most).
pub fn provisions(
    rng: &mut Rng,
    h: &DemoHousehold,
    today: NaiveDate,
    cat: &DemoCatalogue,
) -> Vec<DemoProvision> {
    if cat.products.is_empty() || !rng.chance(25) {
        return Vec::new();
    }
    let member = rng.below(h.members.len() as u64) as usize;
    let Some(product) = rng.pick(&cat.products) else {
        return Vec::new();
    };
    let start_on = today + Duration::days(rng.range(-300, 40));
    let end_on = start_on + Duration::days(rng.range(90, 365));
    let financing = if rng.chance(15) { "pgb" } else { "zin" };
    let status = match rng.below(20) {
        0..=4 => "aangevraagd",
        5..=7 => "toegekend",
        8 => "afgewezen",
        9..=11 if financing == "zin" => "toegewezen",
        9..=17 => "gestart",
        _ => "beeindigd",
    };
    let decided = status != "aangevraagd";
    let assigned = matches!(status, "toegewezen" | "gestart" | "beeindigd") && financing == "zin";
    let provider = assigned.then(|| *rng.pick(&DEMO_PROVIDERS).unwrap_or(&DEMO_PROVIDERS[0]));
    let beschikking_on = start_on - Duration::days(rng.range(7, 30));
    vec![DemoProvision {
        member,
        law: product.law,
        category: product.category.clone(),
        product: product.code.clone(),
        provider,
        start_on,
        end_on: Some(end_on),
        volume: rng.range(1, 8) as u32,
        unit: product.unit,
        frequency: product.frequency,
        financing,
        eigen_bijdrage: product.law == "wmo",
        status,
        beschikking: decided.then_some(beschikking_on),
        ended_on: (status == "beeindigd").then_some(end_on.min(today)),
    }]
}

//! Synthetic, deterministic demo data: plausible Dutch households in Utrecht wijken, with ZRM
//! histories that move over time, agreements (some overdue, some done), flags, contacts and
//! plan goals. Pure: the same seed, start index and date give the same households.

pub mod build;
pub mod names;
pub mod provisions;

use std::borrow::Cow;

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::reference::ReferenceData;
use crate::domain::user::Role;
use crate::model::demo::{DemoAgreement, DemoFlag, DemoHousehold, DemoPerson, DemoUser};
use names::{
    AGREEMENTS, CLOSE_REASONS, FIRST_NAMES_F, FIRST_NAMES_M, GOALS, NOTES, SURNAMES, WIJKEN, Wijk,
};

/// The demo accounts (password `demo`): anna and bram are professionals in two different teams,
/// carla backoffice, dirk teamleider, beheer beheerder; colleagues fill the other teams. They
/// are the regisseurs of the first [`NAMED_HOUSEHOLDS`] households; the households after those
/// go to generated colleagues ([`roster`]).
pub fn demo_users() -> Vec<DemoUser> {
    let pro = |username, display_name, team, phone| DemoUser {
        username: Cow::Borrowed(username),
        display_name: Cow::Borrowed(display_name),
        role: Role::Professional,
        team: Some(Cow::Borrowed(team)),
        phone: Some(Cow::Borrowed(phone)),
    };
    vec![
        pro("anna", "Anna de Boer", "Overvecht", "06-11223344"),
        pro("bram", "Bram Visser", "Zuid", "06-22334455"),
        pro("fenna", "Fenna Bakker", "Overvecht", "06-33445566"),
        pro("samir", "Samir Benali", "Zuid", "06-44556677"),
        pro("ellen", "Ellen Kok", "Noordoost", "06-55667788"),
        pro("joris", "Joris Smit", "Leidsche Rijn", "06-66778899"),
        pro("ilse", "Ilse van Dijk", "Noordwest", "06-77889900"),
        pro("hakan", "Hakan Kaya", "West", "06-88990011"),
        DemoUser {
            username: Cow::Borrowed("carla"),
            display_name: Cow::Borrowed("Carla Mulder"),
            role: Role::Backoffice,
            team: None,
            phone: None,
        },
        DemoUser {
            username: Cow::Borrowed("dirk"),
            display_name: Cow::Borrowed("Dirk de Groot"),
            role: Role::Teamleider,
            team: Some(Cow::Borrowed("Overvecht")),
            phone: Some(Cow::Borrowed("030-1234567")),
        },
        DemoUser {
            username: Cow::Borrowed("beheer"),
            display_name: Cow::Borrowed("Beheerder"),
            role: Role::Beheerder,
            team: None,
            phone: None,
        },
    ]
}

/// The named demo teams, one per wijk.
pub fn demo_teams() -> Vec<&'static str> {
    WIJKEN.iter().map(|w| w.team).collect()
}

/// The named professionals of each named team, in the order of [`demo_users`].
const NAMED_REGISSEURS: &[(&str, &[&str])] = &[
    ("Overvecht", &["anna", "fenna"]),
    ("Zuid", &["bram", "samir"]),
    ("Noordoost", &["ellen"]),
    ("Leidsche Rijn", &["joris"]),
    ("Noordwest", &["ilse"]),
    ("West", &["hakan"]),
];

/// The named regisseurs of a named team.
fn regisseurs(team: &str) -> &'static [&'static str] {
    NAMED_REGISSEURS
        .iter()
        .find(|(t, _)| *t == team)
        .map_or(&[], |(_, r)| r)
}

/// The households of the named accounts: the default demo (`--demo`), the same whatever size
/// the demo grows to.
pub const NAMED_HOUSEHOLDS: u64 = 2_000;

/// Households per generated professional: a real caseload is 30 to 60.
pub const CASELOAD: u64 = 40;

/// The sizes of the generated teams in turn (10 to 20 professionals).
const TEAM_SIZES: [u64; 11] = [15, 12, 18, 10, 20, 14, 16, 11, 19, 13, 17];

/// Professionals in one turn of [`TEAM_SIZES`].
const TURN_PROFESSIONALS: u64 = 165;

/// Where a household after the named ones belongs: a generated team and one of its
/// professionals, both numbered from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The generated team.
    pub team: u64,
    /// The generated professional (numbered over all teams).
    pub professional: u64,
}

/// The team and regisseur of household `index`, or `None` for one of the named households.
/// Each generated team takes the next [`CASELOAD`] households per professional, spread over
/// its professionals in turn, so every one of them is regisseur of [`CASELOAD`] households
/// and a household's place never depends on how many households the demo has. Constant
/// time.
pub fn slot(index: u64) -> Option<Slot> {
    let i = index.checked_sub(NAMED_HOUSEHOLDS)?;
    let turn_households = TURN_PROFESSIONALS * CASELOAD;
    let (turn, mut rest) = (i / turn_households, i % turn_households);
    let mut first_professional = turn * TURN_PROFESSIONALS;
    for (n, size) in (0u64..).zip(TEAM_SIZES) {
        if rest < size * CASELOAD {
            return Some(Slot {
                team: turn * TEAM_SIZES.len() as u64 + n,
                professional: first_professional + rest % size,
            });
        }
        rest -= size * CASELOAD;
        first_professional += size;
    }
    None
}

/// The generated professionals of generated team `team`: the first one's number and how
/// many.
fn team_professionals(team: u64) -> (u64, u64) {
    let turns = TEAM_SIZES.len() as u64;
    let (turn, n) = (team / turns, (team % turns) as usize);
    let before: u64 = TEAM_SIZES.iter().take(n).sum();
    (
        turn * TURN_PROFESSIONALS + before,
        TEAM_SIZES.get(n).copied().unwrap_or(0),
    )
}

/// The wijk of generated team `team`.
fn team_wijk(team: u64) -> &'static Wijk {
    &WIJKEN[(team % WIJKEN.len() as u64) as usize]
}

/// The name of generated team `team`: its wijk and a number ("Overvecht 2").
pub fn team_name(team: u64) -> String {
    format!(
        "{} {}",
        team_wijk(team).team,
        team / WIJKEN.len() as u64 + 2
    )
}

/// The login of generated professional `professional`.
pub fn professional_name(professional: u64) -> String {
    format!("collega{}", professional + 1)
}

/// A generated colleague's display name and phone, the same for the same number.
fn colleague(salt: u64, number: u64) -> (String, String) {
    let mut rng = Rng::new(salt ^ number.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let first = if rng.chance(70) {
        rng.pick(FIRST_NAMES_F)
    } else {
        rng.pick(FIRST_NAMES_M)
    };
    let name = format!(
        "{} {}",
        first.unwrap_or(&"Sam"),
        capitalise(rng.pick(SURNAMES).unwrap_or(&"Jansen"))
    );
    (name, format!("06-{:08}", rng.below(100_000_000)))
}

/// The generated teams a demo of `households` households needs.
fn generated_teams(households: u64) -> u64 {
    households
        .checked_sub(1)
        .and_then(slot)
        .map_or(0, |s| s.team + 1)
}

/// The teams and accounts a demo of `households` households needs: the named ones, and for
/// the households after [`NAMED_HOUSEHOLDS`] as many generated teams as it takes, each with
/// its professionals (one per [`CASELOAD`] households) and a teamleider.
pub fn roster(households: u64) -> (Vec<String>, Vec<DemoUser>) {
    let mut teams: Vec<String> = demo_teams().into_iter().map(str::to_string).collect();
    let mut users = demo_users();
    for team in 0..generated_teams(households) {
        let name = team_name(team);
        let (first, size) = team_professionals(team);
        for professional in first..first + size {
            let (display_name, phone) = colleague(0x5052_4F46, professional);
            users.push(DemoUser {
                username: Cow::Owned(professional_name(professional)),
                display_name: Cow::Owned(display_name),
                role: Role::Professional,
                team: Some(Cow::Owned(name.clone())),
                phone: Some(Cow::Owned(phone)),
            });
        }
        let (display_name, phone) = colleague(0x5445_414D, team);
        users.push(DemoUser {
            username: Cow::Owned(format!("teamleider{}", team + 1)),
            display_name: Cow::Owned(display_name),
            role: Role::Teamleider,
            team: Some(Cow::Owned(name.clone())),
            phone: Some(Cow::Owned(phone)),
        });
        teams.push(name);
    }
    (teams, users)
}

/// The reference keys the generator draws from (from `data/*.toml`).
#[derive(Clone, Debug)]
pub struct DemoCatalogue {
    /// ZRM domain keys in order.
    pub zrm_keys: Vec<String>,
    /// Flag kind keys.
    pub flag_keys: Vec<String>,
    /// Contact kinds and their default minutes.
    pub contact_kinds: Vec<(String, u32)>,
    /// Products for provisions.
    pub products: Vec<DemoProduct>,
}

/// A product the demo can request: its code, category, law and default unit and frequency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoProduct {
    /// Product code.
    pub code: String,
    /// Category code.
    pub category: String,
    /// Law code.
    pub law: &'static str,
    /// Unit code.
    pub unit: &'static str,
    /// Frequency code.
    pub frequency: &'static str,
}

impl DemoCatalogue {
    /// The keys of the loaded reference data.
    pub fn from_reference(reference: &ReferenceData) -> DemoCatalogue {
        DemoCatalogue {
            zrm_keys: reference
                .zrm
                .domains
                .iter()
                .map(|d| d.key.clone())
                .collect(),
            flag_keys: reference
                .flags
                .flags()
                .iter()
                .map(|f| f.key.clone())
                .collect(),
            contact_kinds: reference
                .contact_kinds
                .kinds()
                .iter()
                .map(|k| (k.key.clone(), k.default_minutes))
                .collect(),
            products: reference
                .products
                .products()
                .iter()
                .filter_map(|p| {
                    let law = reference.products.category(&p.category)?.law;
                    Some(DemoProduct {
                        code: p.code.clone(),
                        category: p.category.clone(),
                        law: law.code(),
                        unit: p.unit.code(),
                        frequency: p.frequency.code(),
                    })
                })
                .collect(),
        }
    }
}

/// A small, fast, portable PRNG (SplitMix64): the same seed gives the same stream on every
/// platform and version, which a library RNG does not promise.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A random element (`None` for an empty slice).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// Generates household number `index` (0-based) for `seed`, anchored at `today`.
/// Household 0 is always the El Amrani family of the design's example visit.
pub fn household(seed: u64, index: u64, today: NaiveDate, cat: &DemoCatalogue) -> DemoHousehold {
    if index == 0 {
        return el_amrani(today, cat);
    }
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
    let wijk = &WIJKEN[rng.below(WIJKEN.len() as u64) as usize];
    let surname = *rng.pick(SURNAMES).unwrap_or(&"Jansen");
    let regs = regisseurs(wijk.team);
    let regisseur = regs
        .get(rng.below(regs.len() as u64) as usize)
        .copied()
        .unwrap_or("anna");
    // After the named households: the generated team and colleague of its slot (the draws
    // above are made all the same, so the rest of the household is drawn alike).
    let (wijk, team, regisseur) = match slot(index) {
        None => (wijk, wijk.team.to_string(), regisseur.to_string()),
        Some(s) => (
            team_wijk(s.team),
            team_name(s.team),
            professional_name(s.professional),
        ),
    };
    let opened_on = today - Duration::days(rng.range(7, 3 * 365));
    let closed = rng.chance(15).then(|| {
        let span = (today - opened_on).num_days().max(1);
        let on = opened_on + Duration::days(rng.range(1, span));
        (
            on,
            (*rng.pick(CLOSE_REASONS).unwrap_or(&"doelen bereikt")).to_string(),
        )
    });
    let members = members(&mut rng, surname, today);
    let last_day = closed.as_ref().map_or(today, |(d, _)| *d);
    let postcode_number = rng.range(i64::from(wijk.postcodes.0), i64::from(wijk.postcodes.1));
    let letters = postcode_letters(&mut rng);
    let mut h = DemoHousehold {
        label: format!("Fam. {}", capitalise(surname)),
        street: (*rng.pick(wijk.streets).unwrap_or(&"Dorpsstraat")).to_string(),
        house_number: house_number(&mut rng),
        postcode: format!("{postcode_number} {letters}"),
        city: "Utrecht".into(),
        team,
        regisseur,
        opened_on,
        closed,
        members,
        assessments: Vec::new(),
        agreements: Vec::new(),
        flags: Vec::new(),
        contacts: Vec::new(),
        goals: Vec::new(),
        provisions: Vec::new(),
    };
    h.assessments = assessments(&mut rng, &h, last_day, cat);
    h.agreements = agreements(&mut rng, &h, today, last_day);
    h.flags = flags(&mut rng, opened_on, last_day, cat);
    h.contacts = contacts(&mut rng, opened_on, last_day, cat);
    h.goals = goals(&mut rng, &h);
    h.provisions = provisions::provisions(&mut rng, &h, today, cat);
    // A provision is requested with the member's BSN: a beschikking needs it.
    for v in &h.provisions {
        if let Some(p) = h.members.get_mut(v.member)
            && p.bsn.is_none()
        {
            p.bsn = Some(bsn(&mut rng));
        }
    }
    h
}

/// The most recent 3 September on or before `today`.
fn last_september_third(today: NaiveDate) -> NaiveDate {
    let this_year = NaiveDate::from_ymd_opt(today.year(), 9, 3).unwrap_or(today);
    if this_year <= today {
        this_year
    } else {
        NaiveDate::from_ymd_opt(today.year() - 1, 9, 3).unwrap_or(today)
    }
}

/// Anna's household from the design's example visit: Fatima (41), Youssef (12) and Sara (9);
/// Financiën 2, up one since September; a schuldhulptraject since 3 September.
fn el_amrani(today: NaiveDate, cat: &DemoCatalogue) -> DemoHousehold {
    let since = last_september_third(today);
    let born = |years: i64, days: i64| today - Duration::days(years * 365 + years / 4 + days);
    let person = |name: &str, birth_date, role, phone: Option<&str>| DemoPerson {
        name: name.to_string(),
        birth_date,
        role,
        bsn: None,
        phone: phone.map(str::to_string),
    };
    let scores = |financien: u8| {
        let mut pairs: Vec<String> = cat
            .zrm_keys
            .iter()
            .map(|k| match k.as_str() {
                "financien" => format!("{k}={financien}"),
                "huisvesting" | "huiselijke_relaties" | "sociaal_netwerk" => format!("{k}=3"),
                "justitie" | "middelengebruik" => format!("{k}=-"),
                _ => format!("{k}=4"),
            })
            .collect();
        pairs.sort();
        pairs.join(";")
    };
    let first_kind = cat
        .contact_kinds
        .first()
        .cloned()
        .unwrap_or(("huisbezoek".into(), 60));
    DemoHousehold {
        label: "Fam. El Amrani".into(),
        street: "Zamenhofdreef".into(),
        house_number: "112".into(),
        postcode: "3562 JT".into(),
        city: "Utrecht".into(),
        team: "Overvecht".into(),
        regisseur: "anna".into(),
        opened_on: since - Duration::days(14),
        closed: None,
        members: vec![
            person(
                "Fatima El Amrani",
                born(41, 40),
                "ouder",
                Some("0612345678"),
            ),
            person("Youssef El Amrani", born(12, 100), "kind", None),
            person("Sara El Amrani", born(9, 200), "kind", None),
        ],
        assessments: vec![
            (0, since, scores(1)),
            (0, today - Duration::days(7), scores(2)),
        ],
        agreements: vec![DemoAgreement {
            what: "Fatima brengt de brieven van de deurwaarder mee".into(),
            who: "client",
            due_on: Some(today - Duration::days(3)),
            formal: false,
            status: ("open", None),
            created_on: today - Duration::days(10),
        }],
        flags: cat
            .flag_keys
            .iter()
            .find(|k| k.as_str() == "schuldhulp")
            .map(|k| DemoFlag {
                kind: k.clone(),
                since,
                ended: None,
            })
            .into_iter()
            .collect(),
        contacts: vec![
            (
                since,
                first_kind.0.clone(),
                first_kind.1,
                Some("Kennismaking, samen de post doorgenomen".into()),
            ),
            (today - Duration::days(7), first_kind.0, first_kind.1, None),
        ],
        goals: vec![(
            "We hebben overzicht over de rekeningen".into(),
            Some("financien".into()),
            "lopend",
        )],
        provisions: Vec::new(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn postcode_letters(rng: &mut Rng) -> String {
    loop {
        let a = char::from(b'A' + rng.below(26) as u8);
        let b = char::from(b'A' + rng.below(26) as u8);
        let pair: String = [a, b].iter().collect();
        if !matches!(pair.as_str(), "SA" | "SD" | "SS") {
            return pair;
        }
    }
}

fn house_number(rng: &mut Rng) -> String {
    let n = rng.range(1, 320);
    match rng.below(10) {
        0 => format!("{n}{}", char::from(b'A' + rng.below(4) as u8)),
        1 => format!("{n}-{}", rng.range(1, 4)),
        _ => n.to_string(),
    }
}

fn members(rng: &mut Rng, surname: &str, today: NaiveDate) -> Vec<DemoPerson> {
    let size = match rng.below(100) {
        0..=29 => 1,
        30..=49 => 2,
        50..=69 => 3,
        70..=84 => 4,
        85..=94 => 5,
        _ => 6,
    };
    let adults = if size == 1 || rng.chance(45) { 1 } else { 2 };
    let mut out = Vec::with_capacity(size);
    let first_age = rng.range(19, 82);
    for i in 0..size {
        let female = rng.chance(55);
        let first = if female {
            rng.pick(FIRST_NAMES_F)
        } else {
            rng.pick(FIRST_NAMES_M)
        };
        let first = *first.unwrap_or(&"Sam");
        let (age, role) = if i == 0 {
            (first_age, if size == 1 { "overig" } else { "ouder" })
        } else if i < adults {
            ((first_age + rng.range(-6, 6)).max(18), "ouder")
        } else {
            (rng.range(0, (first_age - 18).clamp(1, 17)), "kind")
        };
        let birth = today - Duration::days(age * 365 + rng.range(0, 364));
        out.push(DemoPerson {
            name: format!("{first} {surname}"),
            birth_date: birth,
            role,
            bsn: rng.chance(40).then(|| bsn(rng)),
            phone: (role != "kind" && rng.chance(80))
                .then(|| format!("06{:08}", rng.below(100_000_000))),
        });
    }
    out
}

/// A random 9-digit number that passes the elfproef.
fn bsn(rng: &mut Rng) -> String {
    loop {
        let mut digits: Vec<u64> = (0..8).map(|_| rng.below(10)).collect();
        if digits[0] == 0 {
            digits[0] = 1;
        }
        let sum: u64 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let last = sum % 11;
        if last < 10 {
            digits.push(last);
            return digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
        }
    }
}

fn assessments(
    rng: &mut Rng,
    h: &DemoHousehold,
    last_day: NaiveDate,
    cat: &DemoCatalogue,
) -> Vec<(usize, NaiveDate, String)> {
    let mut out = Vec::new();
    for (idx, p) in h.members.iter().enumerate() {
        if p.role == "kind" {
            continue;
        }
        let mut scores: Vec<i64> = cat
            .zrm_keys
            .iter()
            .map(|_| match rng.below(10) {
                0 => 1,
                1..=3 => 2,
                4..=6 => 3,
                7..=8 => 4,
                _ => 5,
            })
            .collect();
        // At most three assessments, about half a year apart, ending near the last day.
        let earliest = last_day - Duration::days(3 * 170);
        let mut on = h.opened_on.max(earliest) + Duration::days(rng.range(0, 21));
        while on <= last_day {
            let text: Vec<String> = cat
                .zrm_keys
                .iter()
                .zip(&scores)
                .enumerate()
                .map(|(i, (k, s))| {
                    // Justitie and middelengebruik are often left unscored.
                    if (i == 7 || i == 12) && *s >= 4 {
                        format!("{k}=-")
                    } else {
                        format!("{k}={s}")
                    }
                })
                .collect();
            let mut sorted = text;
            sorted.sort();
            out.push((idx, on, sorted.join(";")));
            for s in &mut scores {
                // Drift upward: support usually helps, sometimes things get worse.
                *s = (*s
                    + match rng.below(10) {
                        0 => -1,
                        1..=5 => 0,
                        _ => 1,
                    })
                .clamp(1, 5);
            }
            on += Duration::days(rng.range(120, 200));
        }
    }
    out
}

fn agreements(
    rng: &mut Rng,
    h: &DemoHousehold,
    today: NaiveDate,
    last_day: NaiveDate,
) -> Vec<DemoAgreement> {
    let first = h
        .members
        .first()
        .map_or("Iemand", |p| p.name.split(' ').next().unwrap_or("Iemand"));
    let n = rng.range(0, 5);
    (0..n)
        .map(|_| {
            let (text, who) = *rng.pick(AGREEMENTS).unwrap_or(&AGREEMENTS[0]);
            let span = (last_day - h.opened_on).num_days().max(1);
            let created_on = h.opened_on + Duration::days(rng.range(0, span));
            let due_on = created_on + Duration::days(rng.range(2, 45));
            let status = if h.closed.is_some() || (due_on < today && rng.chance(70)) {
                if rng.chance(90) {
                    ("done", Some(due_on.min(last_day)))
                } else {
                    ("cancelled", Some(due_on.min(last_day)))
                }
            } else {
                ("open", None)
            };
            DemoAgreement {
                what: text.replace("{n}", first),
                who,
                due_on: Some(due_on),
                formal: rng.chance(30),
                status,
                created_on,
            }
        })
        .collect()
}

fn flags(
    rng: &mut Rng,
    opened_on: NaiveDate,
    last_day: NaiveDate,
    cat: &DemoCatalogue,
) -> Vec<DemoFlag> {
    let n = match rng.below(10) {
        0..=3 => 0,
        4..=7 => 1,
        8 => 2,
        _ => 3,
    };
    let mut out: Vec<DemoFlag> = Vec::new();
    for _ in 0..n {
        let Some(kind) = rng.pick(&cat.flag_keys) else {
            break;
        };
        if out.iter().any(|f| &f.kind == kind) {
            continue;
        }
        let since = opened_on - Duration::days(rng.range(0, 400));
        let ended = rng.chance(20).then(|| {
            let span = (last_day - opened_on).num_days().max(1);
            (
                opened_on + Duration::days(rng.range(0, span)),
                "traject afgerond".to_string(),
            )
        });
        out.push(DemoFlag {
            kind: kind.clone(),
            since,
            ended,
        });
    }
    out
}

fn contacts(
    rng: &mut Rng,
    opened_on: NaiveDate,
    last_day: NaiveDate,
    cat: &DemoCatalogue,
) -> Vec<(NaiveDate, String, u32, Option<String>)> {
    let mut out = Vec::new();
    // The most recent half year or so: at most five contacts.
    let mut on = opened_on.max(last_day - Duration::days(5 * 50));
    while on <= last_day && out.len() < 5 {
        let (kind, minutes) = if rng.chance(50) {
            cat.contact_kinds
                .first()
                .cloned()
                .unwrap_or(("huisbezoek".into(), 60))
        } else {
            rng.pick(&cat.contact_kinds)
                .cloned()
                .unwrap_or(("telefoon".into(), 15))
        };
        let minutes = (i64::from(minutes.max(5)) + rng.range(-2, 3) * 5).clamp(5, 240) as u32;
        let note = rng
            .chance(30)
            .then(|| (*rng.pick(NOTES).unwrap_or(&NOTES[0])).to_string());
        out.push((on, kind, minutes, note));
        on += Duration::days(rng.range(10, 90));
    }
    out
}

fn goals(rng: &mut Rng, h: &DemoHousehold) -> Vec<(String, Option<String>, &'static str)> {
    let n = rng.range(1, 3);
    let name = h
        .members
        .iter()
        .rev()
        .find(|p| p.role == "kind")
        .or(h.members.first())
        .map_or("Iemand", |p| p.name.split(' ').next().unwrap_or("Iemand"));
    (0..n)
        .map(|_| {
            let (text, domain) = *rng.pick(GOALS).unwrap_or(&GOALS[0]);
            let status = if h.closed.is_some() {
                "bereikt"
            } else {
                match rng.below(10) {
                    0..=6 => "lopend",
                    7..=8 => "bereikt",
                    _ => "gestopt",
                }
            };
            (text.replace("{n}", name), Some(domain.to_string()), status)
        })
        .collect()
}

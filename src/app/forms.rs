//! The dashboard's forms: how each opens (prefilled with the sensible default) and how its
//! fields become a change for the store. Validation uses the domain's rules, so a message next
//! to a field is the same one the store or the CLI would give.

use chrono::{Datelike, NaiveDate};

use super::form::{Choice, Field, Fields};
use super::state::UserInfo;
use crate::domain::agreement::{Actor, Agreement};
use crate::domain::dates::{format_date, parse_birth_date, parse_date_as};
use crate::domain::goal::{GoalStatus, PlanGoal};
use crate::domain::household::{Address, MemberRole, Person, PersonFields};
use crate::domain::provision::{Financing, Frequency, Law, Unit};
use crate::domain::reference::ReferenceData;
use crate::domain::text::fold;
use crate::domain::user::User;
use crate::i18n::Lang;
use crate::store::changes::Change;
use crate::store::dashboard::Dashboard;
use crate::store::provisions::{ContractFields, Offer};
use crate::store::worklists::{BulkAction, Worklist};

/// Which form is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// Record a contact.
    Contact,
    /// Add (`None`) or edit an agreement.
    Agreement(Option<i64>),
    /// Cancel an agreement with a reason.
    CancelAgreement(i64),
    /// Add (`None`) or edit a member.
    Member(Option<i64>),
    /// Add (`None`) or edit a plan goal.
    Goal(Option<i64>),
    /// End a flag with a reason.
    EndFlag(i64),
    /// Close the household with a reason.
    Close,
    /// Choose another regisseur.
    Regisseur,
    /// Register a new household.
    NewHousehold,
    /// Request a provision; the providers contracted per product to choose from.
    Provision(Vec<Offer>),
    /// Register a provider.
    Provider,
    /// A contract for the provider with this id.
    Contract(i64),
    /// A bulk action on selected provisions of a worklist.
    Bulk {
        /// The list they are on.
        list: Worklist,
        /// The provisions.
        ids: Vec<i64>,
    },
}

/// An open form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// What it is for.
    pub kind: FormKind,
    /// Its title.
    pub title: String,
    /// The fields.
    pub fields: Fields,
    /// A problem with the whole form (the database refused the save).
    pub error: Option<String>,
    /// `Esc` was pressed on a changed form: ask before throwing it away.
    pub confirm_discard: bool,
    /// Waiting for the save to finish.
    pub saving: bool,
    /// What saving will do, when that needs saying first (a bulk action).
    pub summary: Option<String>,
    /// The summary is shown and waits for a second Enter (a bulk action).
    pub confirming: bool,
}

impl Form {
    fn new(kind: FormKind, title: String, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title,
            fields: Fields::new(fields),
            error: None,
            confirm_discard: false,
            saving: false,
            summary: None,
            confirming: false,
        }
    }
}

/// What a form asks the store to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submit {
    /// A change to the open household.
    Change(Change),
    /// A bulk action on provisions.
    Bulk {
        /// The provisions.
        ids: Vec<i64>,
        /// The action.
        action: BulkAction,
    },
    /// A new provider.
    Provider {
        /// Name.
        name: String,
        /// AGB code as typed (the store checks it too).
        agb: String,
        /// Contact.
        contact: Option<String>,
    },
    /// A new contract.
    Contract {
        /// The provider.
        provider_id: i64,
        /// Its values.
        fields: ContractFields,
    },
    /// A new household with its first member.
    NewHousehold {
        /// Its label.
        label: String,
        /// Its address.
        address: Address,
        /// The first member.
        first: PersonFields,
    },
}

/// What forms need to know besides their fields.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// Message language.
    pub lang: Lang,
    /// Today.
    pub today: NaiveDate,
    /// Catalogues.
    pub reference: &'a ReferenceData,
    /// The open household, if any.
    pub dashboard: Option<&'a Dashboard>,
    /// The logged-in user.
    pub user: Option<&'a UserInfo>,
}

impl Env<'_> {
    pub(super) fn t(&self, nl: &str, en: &str) -> String {
        match self.lang {
            Lang::Nl => nl.to_string(),
            Lang::En => en.to_string(),
        }
    }

    fn zrm_choices(&self) -> Vec<Choice> {
        let mut options = vec![Choice::new("", self.t("— geen —", "— none —"))];
        options.extend(
            self.reference
                .zrm
                .domains
                .iter()
                .map(|d| Choice::new(d.key.clone(), d.name.clone())),
        );
        options
    }
}

/// The minutes a contact of `kind` usually takes for this user, or the kind's own default.
fn usual_minutes(env: Env<'_>, kind: &str) -> Option<u32> {
    env.user.and_then(|u| u.usual_minutes(kind)).or_else(|| {
        env.reference
            .contact_kinds
            .by_key(kind)
            .map(|k| k.default_minutes)
    })
}

/// The contact form: today, and the kind and minutes this user records most often.
pub fn contact(env: Env<'_>) -> Form {
    let kinds = &env.reference.contact_kinds;
    let kind = env
        .user
        .and_then(|u| u.usual_kind())
        .and_then(|k| kinds.by_key(k))
        .unwrap_or_else(|| kinds.default());
    let minutes = usual_minutes(env, &kind.key).unwrap_or(kind.default_minutes);
    let options = kinds
        .kinds()
        .iter()
        .map(|k| Choice::new(k.key.clone(), k.name.clone()))
        .collect();
    let mut form = Form::new(
        FormKind::Contact,
        env.t("Contactmoment", "Contact"),
        vec![
            Field::text("date", env.t("Datum", "Date"), &format_date(env.today), 20),
            Field::choice("kind", env.t("Soort", "Kind"), options, &kind.key),
            Field::text(
                "minutes",
                env.t("Minuten", "Minutes"),
                &minutes.to_string(),
                4,
            )
            .replaced_by_typing(),
            Field::text("note", env.t("Notitie (1 regel)", "Note (1 line)"), "", 200),
        ],
    );
    refresh(&mut form, env);
    form
}

fn actor_choices(env: Env<'_>) -> Vec<Choice> {
    Actor::ALL
        .iter()
        .map(|a| {
            let label = match a {
                Actor::Client => env.t("cliënt", "client"),
                other => other.code().to_string(),
            };
            Choice::new(a.code(), label)
        })
        .collect()
}

fn formal_choices(env: Env<'_>) -> Vec<Choice> {
    vec![
        Choice::new("informeel", env.t("informeel", "informal")),
        Choice::new("formeel", env.t("formeel", "formal")),
    ]
}

/// The agreement form, empty or with an agreement's values.
pub fn agreement(env: Env<'_>, existing: Option<&Agreement>) -> Form {
    let (title, what, due, who, formal, domain) = match existing {
        Some(a) => (
            env.t("Afspraak wijzigen", "Edit agreement"),
            a.what.clone(),
            a.due_on.map(format_date).unwrap_or_default(),
            a.who.code(),
            if a.formal { "formeel" } else { "informeel" },
            a.zrm_domain.clone().unwrap_or_default(),
        ),
        None => (
            env.t("Nieuwe afspraak", "New agreement"),
            String::new(),
            String::new(),
            Actor::Client.code(),
            "informeel",
            String::new(),
        ),
    };
    let mut fields = vec![
        Field::text("what", env.t("Wat", "What"), &what, 200),
        Field::text("due", env.t("Wanneer", "When"), &due, 20),
        Field::choice("who", env.t("Wie", "Who"), actor_choices(env), who),
        Field::choice(
            "formal",
            env.t("Soort", "Kind"),
            formal_choices(env),
            formal,
        ),
        Field::choice(
            "domain",
            env.t("ZRM-domein", "ZRM domain"),
            env.zrm_choices(),
            &domain,
        ),
    ];
    if existing.is_some() {
        // An edited agreement keeps its "who": no guessing from the text.
        for f in &mut fields {
            f.touched = true;
        }
    }
    let mut form = Form::new(FormKind::Agreement(existing.map(|a| a.id)), title, fields);
    refresh(&mut form, env);
    form
}

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

fn role_choices() -> Vec<Choice> {
    MemberRole::ALL
        .iter()
        .map(|r| Choice::new(r.code(), r.code()))
        .collect()
}

/// The member form, empty or with a member's values.
pub fn member(env: Env<'_>, existing: Option<&Person>) -> Form {
    let title = match existing {
        Some(_) => env.t("Gezinslid wijzigen", "Edit member"),
        None => env.t("Gezinslid toevoegen", "Add member"),
    };
    let p = existing;
    let mut form = Form::new(
        FormKind::Member(p.map(|p| p.id)),
        title,
        vec![
            Field::text("name", env.t("Naam", "Name"), p.map_or("", |p| &p.name), 80),
            Field::text(
                "birth",
                env.t("Geboortedatum", "Birth date"),
                &p.and_then(|p| p.birth_date)
                    .map(format_date)
                    .unwrap_or_default(),
                20,
            ),
            Field::choice(
                "role",
                env.t("Rol", "Role"),
                role_choices(),
                p.map_or("kind", |p| p.role.code()),
            ),
            Field::text(
                "bsn",
                env.t("BSN (alleen als nodig)", "BSN (only when needed)"),
                p.and_then(|p| p.bsn.as_ref()).map_or("", |b| b.as_str()),
                20,
            ),
            Field::text(
                "phone",
                env.t("Telefoon", "Phone"),
                &p.and_then(|p| p.phone.as_ref())
                    .map(|p| p.display())
                    .unwrap_or_default(),
                30,
            ),
        ],
    );
    refresh(&mut form, env);
    form
}

/// The plan-goal form, empty or with a goal's values.
pub fn goal(env: Env<'_>, existing: Option<&PlanGoal>) -> Form {
    let statuses = GoalStatus::ALL
        .iter()
        .map(|s| Choice::new(s.code(), s.code()))
        .collect();
    let title = match existing {
        Some(_) => env.t("Doel wijzigen", "Edit goal"),
        None => env.t("Nieuw doel in het plan", "New plan goal"),
    };
    Form::new(
        FormKind::Goal(existing.map(|g| g.id)),
        title,
        vec![
            Field::text(
                "goal",
                env.t("Doel (in gewone woorden)", "Goal (in plain words)"),
                existing.map_or("", |g| &g.goal),
                200,
            ),
            Field::choice(
                "domain",
                env.t("ZRM-domein", "ZRM domain"),
                env.zrm_choices(),
                existing.and_then(|g| g.zrm_domain.as_deref()).unwrap_or(""),
            ),
            Field::choice(
                "status",
                env.t("Status", "Status"),
                statuses,
                existing.map_or("lopend", |g| g.status.code()),
            ),
        ],
    )
}

/// The form asking why a flag ends.
pub fn end_flag(env: Env<'_>, flag_id: i64, name: &str) -> Form {
    Form::new(
        FormKind::EndFlag(flag_id),
        format!("{}: {name}", env.t("Signaal beëindigen", "End flag")),
        vec![Field::text("reason", env.t("Reden", "Reason"), "", 200)],
    )
}

/// The form asking why the household is closed.
pub fn close(env: Env<'_>) -> Form {
    Form::new(
        FormKind::Close,
        env.t("Huishouden afsluiten", "Close household"),
        vec![Field::text("reason", env.t("Reden", "Reason"), "", 200)],
    )
}

/// The regisseur choice among the team's colleagues, the current one selected.
pub fn regisseur(env: Env<'_>, candidates: &[User], current: i64) -> Form {
    let options = candidates
        .iter()
        .map(|u| Choice::new(u.id.to_string(), u.display_name.clone()))
        .collect();
    Form::new(
        FormKind::Regisseur,
        env.t("Regisseur wijzigen", "Change regisseur"),
        vec![Field::choice(
            "regisseur",
            env.t("Regisseur", "Regisseur"),
            options,
            &current.to_string(),
        )],
    )
}

/// The new-household form.
pub fn new_household(env: Env<'_>) -> Form {
    let mut form = Form::new(
        FormKind::NewHousehold,
        env.t("Nieuw huishouden", "New household"),
        vec![
            Field::text("label", env.t("Naam (Fam. …)", "Name (Fam. …)"), "", 80),
            Field::text("postcode", env.t("Postcode", "Postcode"), "", 10),
            Field::text("number", env.t("Huisnummer", "House number"), "", 10),
            Field::text("street", env.t("Straat", "Street"), "", 80),
            Field::text("city", env.t("Woonplaats", "City"), "", 60),
            Field::text("name", env.t("Eerste gezinslid", "First member"), "", 80),
            Field::text("birth", env.t("Geboortedatum", "Birth date"), "", 20),
            Field::choice("role", env.t("Rol", "Role"), role_choices(), "ouder"),
        ],
    );
    refresh(&mut form, env);
    form
}

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

/// The form registering a provider: name, AGB code (8 digits), contact.
pub fn provider(env: Env<'_>) -> Form {
    Form::new(
        FormKind::Provider,
        env.t("Nieuwe aanbieder", "New provider"),
        vec![
            Field::text("name", env.t("Naam", "Name"), "", 120),
            Field::text("agb", env.t("AGB-code", "AGB code"), "", 12),
            Field::text(
                "contact",
                env.t("Contact (telefoon, e-mail)", "Contact"),
                "",
                120,
            ),
        ],
    )
}

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

/// Keeps a provision form consistent: the products of the chosen law, the providers
/// contracted for the chosen product, and the product's unit and frequency (until chosen).
fn refresh_provision(form: &mut Form, env: Env<'_>) {
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

/// Updates what follows live from the fields: the date a shorthand stands for, a warning for a
/// due date in the past, and the agreement's "who" guessed from its first word until the user
/// chooses it.
pub fn refresh(form: &mut Form, env: Env<'_>) {
    refresh_provision(form, env);
    // Another kind brings its usual minutes, until the user types minutes of their own.
    if form.kind == FormKind::Contact
        && let Some(minutes) = usual_minutes(env, form.fields.value("kind"))
        && let Some(field) = form.fields.get_mut("minutes")
        && !field.touched
    {
        field.input.set(&minutes.to_string());
    }
    if let FormKind::Bulk { ids, .. } = &form.kind {
        let n = ids.len();
        form.summary = super::form_check::bulk_action(form, env).map(|a| a.summary(n));
    }
    let weekday = |d: NaiveDate| {
        const NL: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let i = d.weekday().num_days_from_monday() as usize;
        let names = if env.lang == Lang::Nl { NL } else { EN };
        format!("{} {}", names.get(i).copied().unwrap_or(""), format_date(d))
    };
    let guess = matches!(form.kind, FormKind::Agreement(None))
        .then(|| guess_who(form.fields.value("what"), env))
        .flatten();
    for f in &mut form.fields.list {
        match f.key {
            "date" | "due" | "start" | "end" => {
                let parsed =
                    parse_date_as(f.typed(), env.today, super::form_check::bare(f.key)).ok();
                // A full date needs no repeating, only its day; a shorthand shows its date.
                f.hint = parsed.map(|d| match d == env.today {
                    true => env.t("vandaag", "today"),
                    false if f.typed().trim() == format_date(d) => {
                        weekday(d).split(' ').next().unwrap_or("").to_string()
                    }
                    false => weekday(d),
                });
                f.warning = (f.key == "due")
                    .then_some(parsed)
                    .flatten()
                    .filter(|d| *d < env.today)
                    .map(|_| {
                        env.t(
                            "Deze datum ligt in het verleden.",
                            "This date is in the past.",
                        )
                    });
            }
            "birth" => {
                f.hint = parse_birth_date(f.typed(), env.today)
                    .ok()
                    .and_then(|d| env.today.years_since(d))
                    .map(|age| format!("{age} {}", env.t("jaar", "years")));
            }
            "who" if !f.touched => {
                if let Some(actor) = guess {
                    f.select(actor.code());
                }
            }
            _ => {}
        }
    }
}

/// Who an agreement is for, from its first word: a member's first name means the client, the
/// user's own first name (or "ik") means the professional.
fn guess_who(what: &str, env: Env<'_>) -> Option<Actor> {
    let first = fold(what.split_whitespace().next()?);
    let first_name = |name: &str| name.split_whitespace().next().map(fold);
    if first == "ik"
        || env
            .user
            .and_then(|u| first_name(&u.display_name))
            .is_some_and(|n| n == first)
    {
        return Some(Actor::Professional);
    }
    let member = env.dashboard.is_some_and(|d| {
        d.members
            .iter()
            .any(|p| first_name(&p.name).is_some_and(|n| n == first))
    });
    member.then_some(Actor::Client)
}

pub use super::form_check::{check_field, submit};

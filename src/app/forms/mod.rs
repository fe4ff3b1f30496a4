//! The forms: one file per form, holding how it opens (its fields, prefilled with the sensible
//! default), its checks and what it submits. This module has what they share: the open form,
//! what a form submits, the environment they read, and the live readings of dates, ages and
//! "who" that follow the fields as the user types. Validation uses the domain's rules, so a
//! message next to a field is the same one the store or the CLI would give.

use chrono::{Datelike, NaiveDate};

use super::form::{Choice, Field, Fields};
use super::state::UserInfo;
use crate::domain::dates::{format_date, parse_birth_date, parse_date_as};
use crate::domain::household::{Address, PersonFields};
use crate::domain::reference::ReferenceData;
use crate::i18n::Lang;
use crate::model::changes::Change;
use crate::model::dashboard::Dashboard;
use crate::model::providers::{ContractFields, Offer};
use crate::model::worklists::{BulkAction, Worklist};

/// The record an edit form changes, at the version it was shown: saving is refused when a
/// colleague changed the record since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Editing {
    /// The record's id.
    pub id: i64,
    /// Its version when the form was opened (or when a conflict showed the newer one).
    pub version: i64,
}

/// Which form is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// Record a contact.
    Contact,
    /// Add (`None`) or edit an agreement.
    Agreement(Option<Editing>),
    /// Cancel an agreement with a reason.
    CancelAgreement(i64),
    /// Add (`None`) or edit a member.
    Member(Option<Editing>),
    /// Add (`None`) or edit a plan goal.
    Goal(Option<Editing>),
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
    /// Grant request `0` of a provider (confirmation).
    GrantRequest(i64),
    /// Refuse request `0` with a reason.
    RefuseRequest(i64),
    /// Read providers' message files.
    ImportMessages,
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
    /// How far a long save is (done, of how many), while it runs in batches (a bulk action).
    pub progress: Option<(usize, usize)>,
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
            progress: None,
        }
    }
}

/// What a form asks the store to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submit {
    /// Grant a provider's request.
    GrantRequest(i64),
    /// Refuse a provider's request with a reason code.
    RefuseRequest {
        /// The request.
        id: i64,
        /// The reason (code list RedenAfwijzingVerzoek).
        reason: String,
    },
    /// Read these message files.
    ImportMessages(Vec<std::path::PathBuf>),
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

/// Updates what follows live from the fields: the date a shorthand stands for, a warning for a
/// due date in the past, and the agreement's "who" guessed from its first word until the user
/// chooses it.
pub fn refresh(form: &mut Form, env: Env<'_>) {
    provision::refresh_provision(form, env);
    // Another kind brings its usual minutes, until the user types minutes of their own.
    if form.kind == FormKind::Contact
        && let Some(minutes) = contact::usual_minutes(env, form.fields.value("kind"))
        && let Some(field) = form.fields.get_mut("minutes")
        && !field.touched
    {
        field.input.set(&minutes.to_string());
    }
    if let FormKind::Bulk { ids, .. } = &form.kind {
        let n = ids.len();
        form.summary = bulk::bulk_action(form, env).map(|a| a.summary(n));
    }
    let weekday = |d: NaiveDate| {
        const NL: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let i = d.weekday().num_days_from_monday() as usize;
        let names = if env.lang == Lang::Nl { NL } else { EN };
        format!("{} {}", names.get(i).copied().unwrap_or(""), format_date(d))
    };
    let guess = matches!(form.kind, FormKind::Agreement(None))
        .then(|| agreement::guess_who(form.fields.value("what"), env))
        .flatten();
    for f in &mut form.fields.list {
        match f.key {
            "date" | "due" | "start" | "end" => {
                let parsed = parse_date_as(f.typed(), env.today, check::bare(f.key)).ok();
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

mod agreement;
mod bulk;
mod cancel_agreement;
pub(super) mod check;
mod close;
mod contact;
mod contract;
mod end_flag;
mod goal;
mod member;
mod new_household;
mod provider;
mod provision;
mod regisseur;
mod requests;

pub use agreement::agreement;
pub use bulk::bulk;
pub use cancel_agreement::cancel_agreement;
pub use check::{check_field, submit};
pub use close::close;
pub use contact::contact;
pub use contract::contract;
pub use end_flag::end_flag;
pub use goal::goal;
pub use member::member;
pub use new_household::new_household;
pub use provider::provider;
pub use provision::provision;
pub use regisseur::regisseur;
pub use requests::{grant_request, import_messages, refuse_request};

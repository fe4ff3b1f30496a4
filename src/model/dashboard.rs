//! Everything one household dashboard shows.

use crate::domain::agreement::Agreement;
use crate::domain::contact::Contact;
use crate::domain::flag::Flag;
use crate::domain::goal::{Consent, PlanGoal};
use crate::domain::household::{Household, Person};
use crate::domain::provision::Provision;
use crate::domain::user::User;
use crate::domain::zrm::Assessment;
use serde::Serialize;

/// How many recent contacts the dashboard shows.
pub const RECENT_CONTACTS: i64 = 10;

/// How much of a household a dashboard holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DashboardAccess {
    /// Everything (a professional of the household's team).
    Full,
    /// The administrative part only (backoffice): household, team, regisseur, members with
    /// NAW, BSN and phone, and consents. ZRM, agreements, flags, goals and contacts are left
    /// empty; the screen says "geen toegang tot inhoud" instead of showing empty panels.
    Administrative,
}

impl DashboardAccess {
    /// Whether the content panels were withheld.
    pub fn is_restricted(self) -> bool {
        self == DashboardAccess::Administrative
    }

    /// The line a screen shows in place of withheld panels.
    pub fn notice(self, lang: crate::i18n::Lang) -> Option<&'static str> {
        match (self, lang) {
            (DashboardAccess::Full, _) => None,
            (DashboardAccess::Administrative, crate::i18n::Lang::Nl) => {
                Some("Geen toegang tot inhoud: je rol ziet alleen de administratieve gegevens.")
            }
            (DashboardAccess::Administrative, crate::i18n::Lang::En) => {
                Some("No access to content: your role sees the administrative data only.")
            }
        }
    }
}

/// One household's dashboard data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    /// Whether this is the whole dashboard or the administrative part only.
    pub access: DashboardAccess,
    /// The household.
    pub household: Household,
    /// Its team's name.
    pub team_name: String,
    /// The regisseur.
    pub regisseur: User,
    /// Members, oldest first.
    pub members: Vec<Person>,
    /// Every ZRM assessment, per person, oldest first.
    pub assessments: Vec<Assessment>,
    /// Agreements, open first, by due date.
    pub agreements: Vec<Agreement>,
    /// Flags, active first.
    pub flags: Vec<Flag>,
    /// Plan goals, running first.
    pub goals: Vec<PlanGoal>,
    /// The most recent contacts, newest first.
    pub contacts: Vec<Contact>,
    /// Consents.
    pub consents: Vec<Consent>,
    /// Provisions, newest start first (administrative data).
    pub provisions: Vec<Provision>,
}

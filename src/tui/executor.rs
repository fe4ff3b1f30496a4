//! The executor: the one place where the terminal app's effects touch the database.

use crate::app::state::UserInfo;
use crate::app::{Effect, Msg};
use crate::auth::Session;
use crate::clock::Clock;
use crate::domain::address::HouseNumber;
use crate::domain::household::NewHousehold;
use crate::domain::postcode::Postcode;
use crate::i18n::{Lang, Localize};
use crate::store::Store;
use crate::store::households::HouseholdHit;

/// Runs effects against the store for the session it holds.
pub struct Executor {
    store: Store,
    session: Option<Session>,
    workstation: String,
    lang: Lang,
}

impl Executor {
    /// An executor with no one logged in.
    pub fn new(store: Store, workstation: String, lang: Lang) -> Executor {
        Executor {
            store,
            session: None,
            workstation,
            lang,
        }
    }

    /// The store's clock.
    pub fn clock(&self) -> &dyn Clock {
        self.store.clock()
    }

    /// Runs one effect; the answer, if any, goes back into `update`.
    /// [`Effect::Quit`] is for the event loop and gives no answer here.
    pub fn run(&mut self, effect: Effect) -> Option<Msg> {
        let lang = self.lang;
        let text = |e: crate::store::StoreError| e.localize(lang);
        match effect {
            Effect::Login { username, password } => {
                let result = self
                    .store
                    .authenticate(&username, &password, &self.workstation)
                    .and_then(|session| {
                        let user = self.store.current_user(&session)?;
                        let last_contact = self.store.last_contact_choice(&session)?;
                        self.session = Some(session);
                        Ok(UserInfo {
                            username: user.username,
                            display_name: user.display_name,
                            role: user.role,
                            last_contact,
                        })
                    });
                Some(Msg::LoggedIn(result.map_err(text)))
            }
            Effect::Logout => {
                self.session = None;
                None
            }
            Effect::LoadHome => {
                let session = self.session.as_ref()?;
                let today = self.store.clock().today();
                Some(Msg::HomeLoaded(
                    self.store.load_home(session, today).map_err(text),
                ))
            }
            Effect::Search { seq, query } => {
                let session = self.session.as_ref()?;
                let hits: Result<Vec<HouseholdHit>, _> =
                    self.store
                        .find_households(session, &query, crate::app::update::FINDER_LIMIT);
                Some(Msg::Found {
                    seq,
                    query,
                    hits: hits.map_err(text),
                })
            }
            Effect::OpenHousehold(id) => {
                let session = self.session.as_ref()?;
                Some(Msg::Opened(
                    self.store
                        .load_dashboard(session, id)
                        .map(Box::new)
                        .map_err(text),
                ))
            }
            Effect::Apply {
                household_id,
                change,
            } => {
                let session = self.session.as_ref()?;
                let result = self
                    .store
                    .apply(session, household_id, &change)
                    .map(Box::new)
                    .map_err(text);
                Some(Msg::Applied {
                    household_id,
                    change,
                    result,
                })
            }
            Effect::CreateHousehold {
                label,
                address,
                first,
            } => {
                let session = self.session.as_ref()?;
                let today = self.store.clock().today();
                let result = match session.team_id {
                    None => Err(match lang {
                        Lang::Nl => "Je hoort bij geen team, dus je kunt geen huishouden aanmaken.",
                        Lang::En => "You belong to no team, so you cannot create a household.",
                    }
                    .to_string()),
                    Some(team_id) => {
                        let new = NewHousehold {
                            label,
                            address,
                            team_id,
                            regisseur_id: session.user_id,
                            opened_on: today,
                        };
                        self.store
                            .create_household(session, &new, &first)
                            .and_then(|h| self.store.load_dashboard(session, h.id))
                            .map(Box::new)
                            .map_err(text)
                    }
                };
                Some(Msg::Created(result))
            }
            Effect::CheckAddress { postcode, number } => {
                let session = self.session.as_ref()?;
                let (Ok(p), Ok(n)) = (Postcode::parse(&postcode), HouseNumber::parse(&number))
                else {
                    return None;
                };
                // A failed check only means no warning; saving reports real problems.
                let labels = self
                    .store
                    .open_households_at(session, &p, &n)
                    .unwrap_or_default();
                Some(Msg::AddressChecked {
                    postcode,
                    number,
                    labels,
                })
            }
            Effect::LoadRegisseurs => {
                let session = self.session.as_ref()?;
                Some(Msg::Regisseurs(
                    self.store.regisseur_candidates(session).map_err(text),
                ))
            }
            Effect::RecordTogether(id) => {
                let session = self.session.as_ref()?;
                Some(Msg::TogetherRecorded(
                    self.store.record_together(session, id).map_err(text),
                ))
            }
            Effect::Plan(_) => Some(Msg::PlanWritten(Err(match lang {
                Lang::Nl => "Het koelkastplan is er nog niet in deze versie.",
                Lang::En => "The fridge plan is not in this version yet.",
            }
            .to_string()))),
            Effect::Quit => None,
        }
    }
}

//! The executor: the one place where the terminal app's effects touch the database.

use crate::app::state::UserInfo;
use crate::app::{Effect, Msg};
use crate::auth::Session;
use crate::clock::Clock;
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
                        self.session = Some(session);
                        Ok(UserInfo {
                            username: user.username,
                            display_name: user.display_name,
                            role: user.role,
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
            Effect::Quit => None,
        }
    }
}

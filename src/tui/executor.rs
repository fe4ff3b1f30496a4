//! The executor: the one place where the terminal app's effects touch the database.

use std::sync::Arc;

use crate::app::state::UserInfo;
use crate::app::update::PlanMade;
use crate::app::{Effect, Msg};
use crate::auth::Session;
use crate::clock::Clock;
use crate::domain::address::HouseNumber;
use crate::domain::household::NewHousehold;
use crate::domain::postcode::Postcode;
use crate::domain::reference::ReferenceData;
use crate::export::plan::{self, PlanFormat, PlanOptions};
use crate::i18n::{Lang, Localize};
use crate::model::finder::HouseholdHit;
use crate::model::report::ReportRequest;
use crate::store::AppStore;

/// Runs effects against the store for the session it holds.
pub struct Executor {
    store: Box<dyn AppStore>,
    session: Option<Session>,
    workstation: String,
    lang: Lang,
    reference: Arc<ReferenceData>,
    output_dir: std::path::PathBuf,
    /// Our gemeentecode and the folder with the official iStandaarden checks.
    messages: (String, std::path::PathBuf),
    /// Where a long effect says how far it is ([`Msg::BulkProgress`]), when someone listens.
    progress: Option<std::sync::mpsc::Sender<Msg>>,
}

impl Executor {
    /// An executor with no one logged in; exports and plans go into folders under
    /// `output_dir` (the `output_dir` setting).
    pub fn new(
        store: Box<dyn AppStore>,
        workstation: String,
        lang: Lang,
        output_dir: std::path::PathBuf,
    ) -> Executor {
        Executor {
            store,
            session: None,
            workstation,
            lang,
            reference: Arc::new(ReferenceData::embedded()),
            output_dir,
            messages: (
                crate::config::DEFAULT_GEMEENTECODE.to_string(),
                std::path::PathBuf::from("istandaarden"),
            ),
            progress: None,
        }
    }

    /// Sends how far long effects are to `progress` while they run.
    pub fn report_progress_to(&mut self, progress: std::sync::mpsc::Sender<Msg>) {
        self.progress = Some(progress);
    }

    /// Uses the organisation's reference data (client wording on the plan, product names).
    pub fn with_reference(mut self, reference: Arc<ReferenceData>) -> Executor {
        self.reference = reference;
        self
    }

    /// Uses `gemeente` as our code and the official checks in `schemas`.
    pub fn with_messages(mut self, gemeente: String, schemas: std::path::PathBuf) -> Executor {
        self.messages = (gemeente, schemas);
        self
    }

    /// The message cycle's settings: messages go to `uitgaand/` under the output folder.
    fn message_settings(&self) -> Result<crate::exchange::cycle::Settings, String> {
        let schemas = crate::exchange::official::Schemas::new(self.messages.1.clone());
        Ok(crate::exchange::cycle::Settings {
            gemeente: self.messages.0.clone(),
            checked: schemas.available().is_ok(),
            schemas,
            outgoing: self.folder("uitgaand")?,
        })
    }

    /// Grants request `id` and writes the client's 301.
    fn grant(&mut self, id: i64) -> Result<String, String> {
        let lang = self.lang;
        let settings = self.message_settings()?;
        let session = self.session.as_ref().ok_or_else(String::new)?;
        let today = self.store.clock().today();
        let grant = self
            .store
            .grant_request(session, id, today)
            .map_err(|e| e.localize(lang))?;
        let filter = crate::model::exchange::ExportFilter {
            provider: Some(grant.request.provider.agb_code.clone()),
            law: Some(grant.request.law),
            person: Some(grant.request.person_id),
        };
        let written = crate::exchange::cycle::write_toewijzingen(
            &mut *self.store,
            session,
            &settings,
            &filter,
            crate::model::exchange::Selection::New,
            today,
            lang,
        );
        Ok(match (written, lang) {
            (Ok(w), Lang::Nl) => format!(
                "Verzoek {id} toegekend; {}",
                w.iter()
                    .map(|(b, p)| format!("301 {} in {}", b.identification, p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (Ok(w), Lang::En) => format!(
                "Request {id} granted; {}",
                w.iter()
                    .map(|(b, p)| format!("301 {} in {}", b.identification, p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (Err(e), Lang::Nl) => {
                format!("Verzoek {id} toegekend; de 301 gaat mee met de volgende export ({e})")
            }
            (Err(e), Lang::En) => {
                format!("Request {id} granted; the 301 goes with the next export ({e})")
            }
        })
    }

    /// Refuses request `id` and writes the 319.
    fn refuse(&mut self, id: i64, reason: &str) -> Result<String, String> {
        let lang = self.lang;
        let settings = self.message_settings()?;
        let session = self.session.as_ref().ok_or_else(String::new)?;
        let today = self.store.clock().today();
        let (batch, path) = crate::exchange::cycle::refuse_request(
            &mut *self.store,
            session,
            &settings,
            id,
            reason,
            today,
            lang,
        )?;
        Ok(match lang {
            Lang::Nl => format!(
                "Verzoek {id} afgewezen ({}); 319 {} in {}",
                crate::exchange::antwoord::reason_label(&batch.reason),
                batch.identification,
                path.display()
            ),
            Lang::En => format!(
                "Request {id} refused ({}); 319 {} in {}",
                crate::exchange::antwoord::reason_label(&batch.reason),
                batch.identification,
                path.display()
            ),
        })
    }

    /// A folder under the output folder, created readable by its owner only.
    fn folder(&self, name: &str) -> Result<std::path::PathBuf, String> {
        let dir = self.output_dir.join(name);
        private_dir(&dir).map_err(|e| match self.lang {
            Lang::Nl => format!("Kan de map {} niet maken: {e}", dir.display()),
            Lang::En => format!("Cannot create the folder {}: {e}", dir.display()),
        })?;
        Ok(dir)
    }

    /// Writes an export to `exporten/` under the output folder; returns where.
    fn export(&self, file_name: &str, bytes: &[u8]) -> Result<String, String> {
        // A second export on one day gets its own name: an earlier one is never overwritten.
        let path = unused_path(&self.folder("exporten")?.join(file_name));
        crate::export::write_atomically(&path, bytes).map_err(|e| e.localize(self.lang))?;
        Ok(path.display().to_string())
    }

    /// Makes the household's fridge plan as a PDF, keeps it and prints it when there is a
    /// printer.
    fn plan(&mut self, household_id: i64) -> Result<PlanMade, String> {
        let lang = self.lang;
        let session = self.session.as_ref().ok_or_else(String::new)?;
        let plan = self
            .store
            .load_plan(session, household_id, &self.reference)
            .map_err(|e| e.localize(lang))?;
        let bytes = plan::render(&plan, PlanFormat::Pdf, lang, &PlanOptions::default())
            .map_err(|e| e.localize(lang))?;
        // Plans are kept in `plannen/` under the output folder, named after household and day.
        let today = self.store.clock().today();
        let path = self.folder("plannen")?.join(format!(
            "plan-{household_id}-{}.pdf",
            today.format("%Y-%m-%d")
        ));
        crate::export::write_atomically(&path, &bytes).map_err(|e| e.localize(lang))?;
        let printed = match plan::find_printer() {
            None => Err(plan::PrintError::NoPrinter.localize(lang)),
            Some(printer) => plan::send_to_printer(&printer, &bytes).map_err(|e| e.localize(lang)),
        };
        Ok(PlanMade {
            path: path.display().to_string(),
            printed,
        })
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
                    .login(&username, &password, &self.workstation)
                    .map(|login| {
                        self.session = Some(login.session);
                        UserInfo {
                            username: login.user.username,
                            display_name: login.user.display_name,
                            role: login.user.role,
                            contact_habits: login.contact_habits,
                        }
                    });
                Some(Msg::LoggedIn(result.map_err(text)))
            }
            Effect::Logout => {
                // On a server the user's own connection closes with the session.
                if let Some(session) = self.session.take() {
                    let _ = self.store.logout(&session);
                }
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
                let result = match self.store.apply(session, household_id, &change) {
                    Ok(applied) => Ok(Box::new(applied)),
                    Err(e @ crate::store::StoreError::Conflict { .. }) => {
                        let dashboard = self
                            .store
                            .load_dashboard(session, household_id)
                            .ok()
                            .map(Box::new);
                        return Some(Msg::Conflict {
                            household_id,
                            message: text(e),
                            dashboard,
                        });
                    }
                    Err(e) => Err(text(e)),
                };
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
            Effect::LoadOffers => {
                let session = self.session.as_ref()?;
                let today = self.store.clock().today();
                Some(Msg::Offers(self.store.offers(session, today).map_err(text)))
            }
            Effect::RecordTogether(id) => {
                let session = self.session.as_ref()?;
                Some(Msg::TogetherRecorded(
                    self.store.record_together(session, id).map_err(text),
                ))
            }
            Effect::LoadProviders => {
                let session = self.session.as_ref()?;
                let result = self
                    .store
                    .providers(session)
                    .and_then(|p| Ok((p, self.store.contracts(session)?)))
                    .map_err(text);
                Some(Msg::ProvidersLoaded(result))
            }
            Effect::AddProvider { name, agb, contact } => {
                let session = self.session.as_ref()?;
                let result = self
                    .store
                    .add_provider(session, &name, &agb, contact.as_deref())
                    .map(|p| match lang {
                        Lang::Nl => format!("Aanbieder {} ({}) vastgelegd.", p.name, p.agb_code),
                        Lang::En => format!("Provider {} ({}) registered.", p.name, p.agb_code),
                    })
                    .map_err(text);
                Some(Msg::ProviderSaved(result))
            }
            Effect::AddContract {
                provider_id,
                fields,
            } => {
                let session = self.session.as_ref()?;
                let result = self
                    .store
                    .add_contract(session, provider_id, &fields)
                    .map(|c| match lang {
                        Lang::Nl => format!("Contract voor product {} vastgelegd.", c.product),
                        Lang::En => format!("Contract for product {} registered.", c.product),
                    })
                    .map_err(text);
                Some(Msg::ProviderSaved(result))
            }
            Effect::LoadWorklist {
                seq,
                list,
                query,
                offset,
            } => {
                let session = self.session.as_ref()?;
                let today = self.store.clock().today();
                let result = self
                    .store
                    .worklist_page(
                        session,
                        list,
                        today,
                        &query,
                        &self.reference,
                        offset,
                        crate::model::worklists::PAGE_ROWS,
                    )
                    .map_err(text);
                Some(Msg::WorklistLoaded { seq, list, result })
            }
            Effect::PrepareWorklistFilter { list } => {
                let session = self.session.as_ref()?;
                let today = self.store.clock().today();
                // Best effort: when it fails, the first keystroke builds the index itself.
                let _ = self.store.prepare_worklist_filter(session, list, today);
                None
            }
            Effect::SelectWorklist { seq, list, query } => {
                let session = self.session.as_ref()?;
                let today = self.store.clock().today();
                let result = self
                    .store
                    .worklist_selection(session, list, today, &query, &self.reference)
                    .map_err(text);
                Some(Msg::WorklistSelected { seq, list, result })
            }
            Effect::LoadRequests => {
                let session = self.session.as_ref()?;
                Some(Msg::RequestsLoaded(
                    self.store.provider_requests(session, false).map_err(text),
                ))
            }
            Effect::GrantRequest(id) => Some(Msg::RequestDecided(self.grant(id))),
            Effect::RefuseRequest { id, reason } => {
                Some(Msg::RequestDecided(self.refuse(id, &reason)))
            }
            Effect::ImportMessages(files) => {
                let settings = match self.message_settings() {
                    Ok(s) => s,
                    Err(e) => return Some(Msg::MessagesImported(Err(e))),
                };
                let session = self.session.as_ref()?;
                Some(Msg::MessagesImported(crate::exchange::cycle::import_files(
                    &mut *self.store,
                    session,
                    &settings,
                    &files,
                    lang,
                )))
            }
            Effect::LoadWorklistCounts => {
                let session = self.session.as_ref()?;
                let today = self.store.clock().today();
                Some(Msg::WorklistCounts(
                    self.store.worklist_counts(session, today).map_err(text),
                ))
            }
            Effect::Bulk { ids, action } => {
                let session = self.session.as_ref()?;
                let progress = self.progress.clone();
                let mut report = |done, total| {
                    if let Some(progress) = &progress {
                        // Nobody listening any more is no reason to stop the bulk.
                        let _ = progress.send(Msg::BulkProgress { done, total });
                    }
                };
                Some(Msg::BulkDone(
                    self.store
                        .bulk_with_progress(session, &ids, &action, &mut report)
                        .map_err(text),
                ))
            }
            Effect::UndoBulk(undo) => {
                let session = self.session.as_ref()?;
                Some(Msg::BulkUndone(
                    self.store.undo_bulk(session, &undo).map_err(text),
                ))
            }
            Effect::LoadReport { from, to, team } => {
                let session = self.session.as_ref()?;
                let request = ReportRequest { from, to, team };
                Some(Msg::ReportLoaded(
                    self.store
                        .steering_report(session, &request, &self.reference, lang)
                        .map_err(text),
                ))
            }
            Effect::ExportReport { file_name, text } => {
                self.session.as_ref()?;
                Some(Msg::Exported(self.export(&file_name, text.as_bytes())))
            }
            Effect::ExportWorklist { list, query } => {
                let session = self.session.as_ref()?.clone();
                let today = self.store.clock().today();
                // Every row the filter matches, loaded on screen or not, read (and audited)
                // here; the file stays only once every household's access log records it.
                let items =
                    match self
                        .store
                        .worklist_rows(&session, list, today, &query, &self.reference)
                    {
                        Ok(items) => items,
                        Err(e) => return Some(Msg::Exported(Err(e.localize(lang)))),
                    };
                let (file_name, text, households) =
                    crate::app::worklist::export(list, &items, &self.reference, today);
                let written = self.export(&file_name, text.as_bytes());
                let result = written.and_then(|path| {
                    match self
                        .store
                        .record_worklist_export(&session, list, &households)
                    {
                        Ok(()) => Ok(path),
                        Err(e) => {
                            let _ = std::fs::remove_file(&path);
                            Err(e.localize(lang))
                        }
                    }
                });
                Some(Msg::Exported(result))
            }
            Effect::Plan(id) => {
                self.session.as_ref()?;
                Some(Msg::PlanWritten(self.plan(id)))
            }
            Effect::RecordRefusal {
                household_id,
                operation,
            } => {
                let session = self.session.as_ref()?;
                // The refusal is already on the screen; a failure to write its audit row can
                // only be reported.
                self.store
                    .record_refusal(session, household_id, operation)
                    .err()
                    .map(|e| Msg::Failed(text(e)))
            }
            Effect::Quit => None,
        }
    }
}

/// `path`, or when that file exists the first free `name-2.ext`, `name-3.ext`, ….
pub fn unused_path(path: &std::path::Path) -> std::path::PathBuf {
    if !path.exists() {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Creates `dir` (and its parents) readable by its owner only.
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    crate::private_file::create_private_dir(dir)
}

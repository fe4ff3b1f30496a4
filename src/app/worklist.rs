//! The backoffice worklists: one list at a time, filtered as you type over every column, sorted,
//! with a selection that bulk actions work on. Pure state and key handling; the store filters
//! and sorts (a list may hold a hundred thousand rows), the executor loads the first page with
//! the counts and the further pages as the cursor comes near them, and runs the bulk actions.
//!
//! Every change of the filter or the sort asks for the first page again under a new number;
//! an answer to an older number is dropped, so a slow answer never overwrites a newer one.

use std::collections::{BTreeMap, BTreeSet};

use crossterm::event::KeyEvent;

use super::effect::Effect;
use super::keymap::Action;
use super::text_input::TextInput;
use crate::domain::dates::format_date;
use crate::domain::reference::ReferenceData;
pub use crate::model::worklists::SortKey;
use crate::model::worklists::{PAGE_ROWS, WorkItem, Worklist, WorklistPage, WorklistQuery};

/// How many rows around the cursor are kept loaded: more than a screen shows above or below it.
const AROUND: usize = 60;

/// The last query number handed out. One sequence for every worklist view of the process, so
/// an answer meant for a view since closed (another list, the screen left and opened again)
/// can never carry the number of the view now shown.
static QUERIES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A query number not handed out before.
fn next_query() -> u64 {
    QUERIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
}

/// The worklist screen.
#[derive(Clone, Debug, PartialEq)]
pub struct WorklistView {
    /// The list shown.
    pub list: Worklist,
    /// What was typed to filter.
    pub filter: TextInput,
    /// The sort column.
    pub sort: SortKey,
    /// Sorted descending.
    pub descending: bool,
    /// The number of the last query asked for (filter, sort, reload; 0 before the first);
    /// answers to any other are dropped.
    pub seq: u64,
    /// The number of the query whose rows are shown (`None` before the first answer).
    shown_seq: Option<u64>,
    /// The loaded pages of the rows shown, by page number.
    pages: BTreeMap<usize, Vec<WorkItem>>,
    /// The pages asked for under `seq` and not answered yet.
    pending: BTreeSet<usize>,
    /// How many rows match the filter (`None` while loading).
    pub matching: Option<usize>,
    /// How many rows the list has without the filter.
    pub total: usize,
    /// Selected provision ids.
    pub selected: BTreeSet<i64>,
    /// The product of each selected provision (for the bulk form's providers).
    selected_products: BTreeMap<i64, String>,
    /// "Select all" asked for under `seq` and not answered yet.
    pub selecting: bool,
    /// The row with the cursor, among the matching rows.
    pub cursor: usize,
    /// Why loading failed.
    pub error: Option<String>,
    /// The provisions a bulk form is being opened for (waiting for the providers).
    pub acting: Vec<i64>,
}

/// What the worklist asks for after a key.
#[derive(Clone, Debug, PartialEq)]
pub enum WorklistStep {
    /// Nothing beyond the state change and these effects (pages, a new query, a selection).
    Effects(Vec<Effect>),
    /// Leave the screen.
    Back,
    /// Open the bulk-action form for these provisions.
    Act(Vec<i64>),
    /// Export the rows shown as CSV for Excel (all of them, from the store).
    Export,
    /// Take the last bulk action back.
    Undo,
}

impl WorklistView {
    /// A view of `list`, to be loaded ([`WorklistView::reload`]).
    pub fn new(list: Worklist) -> WorklistView {
        WorklistView {
            list,
            filter: TextInput::new("", FILTER_MAX),
            sort: SortKey::Start,
            descending: false,
            seq: 0,
            shown_seq: None,
            pages: BTreeMap::new(),
            pending: BTreeSet::new(),
            matching: None,
            total: 0,
            selected: BTreeSet::new(),
            selected_products: BTreeMap::new(),
            selecting: false,
            cursor: 0,
            error: None,
            acting: Vec::new(),
        }
    }

    /// The query the rows are asked with.
    pub fn query(&self) -> WorklistQuery {
        WorklistQuery {
            filter: self.filter.as_str().to_string(),
            sort: self.sort,
            descending: self.descending,
        }
    }

    /// Asks for the first page again under a new number (the filter or the sort changed, or
    /// the data did); the rows shown stay until the answer comes.
    pub fn reload(&mut self) -> Effect {
        self.seq = next_query();
        self.pending.clear();
        self.pending.insert(0);
        self.selecting = false;
        Effect::LoadWorklist {
            seq: self.seq,
            list: self.list,
            query: self.query(),
            offset: 0,
        }
    }

    /// Whether the rows shown answer the last query (not still waiting for it).
    pub fn is_current(&self) -> bool {
        self.shown_seq == Some(self.seq)
    }

    /// Whether nothing has arrived yet.
    pub fn is_loading(&self) -> bool {
        self.shown_seq.is_none()
    }

    /// How many rows there are to move over: the matching rows of the answer shown.
    pub fn rows(&self) -> usize {
        self.matching.unwrap_or(0)
    }

    /// Row `i` of the matching rows, when its page is loaded.
    pub fn item(&self, i: usize) -> Option<&WorkItem> {
        self.pages
            .get(&(i / PAGE_ROWS))
            .and_then(|page| page.get(i % PAGE_ROWS))
    }

    /// How many rows are loaded.
    pub fn loaded_rows(&self) -> usize {
        self.pages.values().map(Vec::len).sum()
    }

    /// The products of the provisions `ids` (selected or loaded).
    pub fn products(&self, ids: &[i64]) -> Vec<String> {
        let mut products: Vec<String> = ids
            .iter()
            .filter_map(|id| {
                self.selected_products.get(id).cloned().or_else(|| {
                    self.pages
                        .values()
                        .flatten()
                        .find(|i| i.provision.id == *id)
                        .map(|i| i.provision.product.clone())
                })
            })
            .collect();
        products.sort();
        products.dedup();
        products
    }

    /// A page arrived (or failed to). An answer to an older query is dropped; the first page
    /// of a new query replaces the rows shown. Returns the further pages the cursor needs.
    pub fn loaded(&mut self, seq: u64, result: Result<WorklistPage, String>) -> Vec<Effect> {
        if seq != self.seq {
            return Vec::new();
        }
        let mut prepare = None;
        match result {
            Ok(page) => {
                let number = page.offset / PAGE_ROWS;
                self.pending.remove(&number);
                let first = self.shown_seq != Some(seq);
                if first {
                    self.pages.clear();
                    self.shown_seq = Some(seq);
                }
                // While the user looks at the list, the store gets its filter ready, so the
                // first keystroke of a filter is as quick as the next.
                if first && page.total > 0 && self.filter.as_str().is_empty() {
                    prepare = Some(Effect::PrepareWorklistFilter { list: self.list });
                }
                self.matching = Some(page.matching);
                self.total = page.total;
                self.pages.insert(number, page.items);
                self.error = None;
            }
            Err(e) => {
                self.pending.clear();
                if self.shown_seq != Some(seq) {
                    self.pages.clear();
                    self.shown_seq = Some(seq);
                    self.matching = Some(0);
                }
                self.error = Some(e);
                return Vec::new();
            }
        }
        self.cursor = self.cursor.min(self.rows().saturating_sub(1));
        let mut effects = self.wanted();
        effects.extend(prepare);
        effects
    }

    /// The pages the rows around the cursor lie on that are neither loaded nor asked for,
    /// asked for now. Only for the current query, once its first page is in.
    pub fn wanted(&mut self) -> Vec<Effect> {
        if !self.is_current() || self.error.is_some() || self.rows() == 0 {
            return Vec::new();
        }
        let last = self.rows() - 1;
        let around = [
            self.cursor.saturating_sub(AROUND),
            self.cursor.min(last),
            (self.cursor + AROUND).min(last),
        ];
        let mut effects = Vec::new();
        for row in around {
            let number = row / PAGE_ROWS;
            if !self.pages.contains_key(&number) && self.pending.insert(number) {
                effects.push(Effect::LoadWorklist {
                    seq: self.seq,
                    list: self.list,
                    query: self.query(),
                    offset: number * PAGE_ROWS,
                });
            }
        }
        effects
    }

    /// The answer to "select all": every provision matching the filter, loaded or not. When
    /// all of them were selected already it deselects them, as `*` toggles.
    pub fn selection_loaded(&mut self, seq: u64, result: &[(i64, String)]) {
        if seq != self.seq || !self.selecting {
            return;
        }
        self.selecting = false;
        if result.iter().all(|(id, _)| self.selected.contains(id)) {
            for (id, _) in result {
                self.selected.remove(id);
                self.selected_products.remove(id);
            }
        } else {
            for (id, product) in result {
                self.selected.insert(*id);
                self.selected_products.insert(*id, product.clone());
            }
        }
    }

    /// Forgets the selection (after a bulk action on it).
    pub fn clear_selection(&mut self) {
        self.selected.clear();
        self.selected_products.clear();
    }
}

/// The export of the rows `items` of `list`: its file name, its CSV and the households whose
/// data it holds.
pub fn export(
    list: Worklist,
    items: &[WorkItem],
    reference: &ReferenceData,
    today: chrono::NaiveDate,
) -> (String, String, Vec<i64>) {
    let name = format!("werklijst-{}-{}.csv", list.code(), today.format("%Y%m%d"));
    let households = items.iter().map(|i| i.provision.household_id).collect();
    (
        name,
        crate::exchange::worklist_csv::render(items, &reference.products),
        households,
    )
}

/// Every column of a row as one text, for the filter.
pub fn row_text(item: &WorkItem, reference: &ReferenceData) -> String {
    let p = &item.provision;
    let product = reference
        .products
        .product(&p.product)
        .map_or("", |x| x.name.as_str());
    format!(
        "{} {} {} {} {} {} {} {} {} {} {}",
        item.household,
        item.person,
        item.bsn.as_deref().unwrap_or(""),
        p.law.name(),
        p.product,
        product,
        item.provider.as_deref().unwrap_or(""),
        format_date(p.start_on),
        p.end_on.map(format_date).unwrap_or_default(),
        p.financing.name(),
        p.status.name(),
    )
}

/// The longest worklist filter.
pub const FILTER_MAX: usize = 60;

/// Handles a key on the worklist screen. `action` is the key map's reading (context
/// `worklist`); characters without an action go into the filter.
pub fn handle(view: &mut WorklistView, action: Option<Action>, key: &KeyEvent) -> WorklistStep {
    let rows = view.rows();
    let last = rows.saturating_sub(1);
    let cursor_id = view.item(view.cursor).map(|i| i.provision.id);
    match action {
        Some(Action::Back) => return WorklistStep::Back,
        Some(Action::Undo) => return WorklistStep::Undo,
        Some(action @ (Action::NextPanel | Action::PrevPanel)) => {
            let lists = Worklist::ALL;
            let i = lists.iter().position(|l| *l == view.list).unwrap_or(0);
            let n = lists.len();
            let next = if action == Action::NextPanel {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            *view = WorklistView::new(lists[next]);
            return WorklistStep::Effects(vec![view.reload()]);
        }
        Some(Action::Down) => view.cursor = (view.cursor + 1).min(last),
        Some(Action::Up) => view.cursor = view.cursor.saturating_sub(1),
        Some(Action::PageDown) => view.cursor = (view.cursor + 10).min(last),
        Some(Action::PageUp) => view.cursor = view.cursor.saturating_sub(10),
        Some(Action::Top) => view.cursor = 0,
        Some(Action::Bottom) => view.cursor = last,
        Some(Action::Select) => {
            if let Some(item) = view.item(view.cursor) {
                let (id, product) = (item.provision.id, item.provision.product.clone());
                if view.selected.remove(&id) {
                    view.selected_products.remove(&id);
                } else {
                    view.selected.insert(id);
                    view.selected_products.insert(id, product);
                }
            }
        }
        Some(Action::SelectAll) if view.is_current() && rows > 0 => {
            view.selecting = true;
            return WorklistStep::Effects(vec![Effect::SelectWorklist {
                seq: view.seq,
                list: view.list,
                query: view.query(),
            }]);
        }
        Some(Action::Sort) => {
            view.sort = view.sort.next();
            view.cursor = 0;
            return WorklistStep::Effects(vec![view.reload()]);
        }
        Some(Action::Reverse) => {
            view.descending = !view.descending;
            view.cursor = 0;
            return WorklistStep::Effects(vec![view.reload()]);
        }
        Some(Action::ExportCsv) if view.is_current() && rows > 0 => {
            return WorklistStep::Export;
        }
        Some(Action::Open) => {
            let ids: Vec<i64> = if view.selected.is_empty() {
                cursor_id.into_iter().collect()
            } else {
                view.selected.iter().copied().collect()
            };
            if !ids.is_empty() {
                return WorklistStep::Act(ids);
            }
        }
        _ => {
            if TextInput::is_editing_key(key) {
                let before = view.filter.as_str().to_string();
                view.filter.key(key);
                return WorklistStep::Effects(filtered(view, &before));
            }
        }
    }
    WorklistStep::Effects(view.wanted())
}

/// After an edit of the filter that was `before`: when the text changed, the first page of the
/// new filter is asked for and the cursor goes to the top.
pub fn filtered(view: &mut WorklistView, before: &str) -> Vec<Effect> {
    if view.filter.as_str() == before {
        return Vec::new();
    }
    view.cursor = 0;
    vec![view.reload()]
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::keymap::KeyMap;
    use crate::app::state::{App, HomeView, Screen};
    use crate::app::update::update;
    use crate::app::{Effect, Msg};
    use crate::domain::provision::{
        Care, Financing, Frequency, Law, Provision, ProvisionStatus, Unit,
    };
    use crate::i18n::Lang;
    use crate::theme::Theme;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
    }

    fn item(id: i64) -> WorkItem {
        WorkItem {
            provision: Provision {
                id,
                household_id: id,
                person_id: id,
                law: Law::Wmo,
                category: "02".into(),
                product: "02A05".into(),
                provider_id: None,
                start_on: day(),
                end_on: None,
                volume: 3,
                unit: Unit::Uur,
                frequency: Frequency::PerWeek,
                financing: Financing::Zin,
                eigen_bijdrage: false,
                motivation: None,
                status: ProvisionStatus::Aangevraagd,
                beschikking: None,
                toewijzing: None,
                svb_reported_on: None,
                cak_notified_on: None,
                ended: None,
                care: Care {
                    started_on: None,
                    ended_on: None,
                    end_reason: None,
                },
            },
            household: format!("Huishouden {id}"),
            person: format!("Lid {id}"),
            bsn: None,
            provider: None,
        }
    }

    /// The page of a list of `matching` rows (of `total`) from `offset`, ids from 1.
    fn page(offset: usize, matching: usize, total: usize) -> WorklistPage {
        let end = (offset + PAGE_ROWS).min(matching);
        WorklistPage {
            offset,
            items: (offset..end).map(|i| item(i as i64 + 1)).collect(),
            matching,
            total,
        }
    }

    /// The app on the worklist "wacht op beschikking", its first load asked for.
    fn app() -> (App, Vec<Effect>) {
        let mut app = App::new(
            Lang::Nl,
            KeyMap::default(),
            Arc::new(ReferenceData::embedded()),
            Theme::default(),
            true,
            day(),
        );
        let mut view = WorklistView::new(Worklist::AwaitingBeschikking);
        let load = view.reload();
        app.screen = Screen::Worklist {
            view,
            back: Box::new(Screen::Home(HomeView::loading())),
        };
        (app, vec![load])
    }

    fn view(app: &App) -> &WorklistView {
        match &app.screen {
            Screen::Worklist { view, .. } => view,
            _ => panic!("not on the worklist"),
        }
    }

    fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn loaded(app: &mut App, seq: u64, page: WorklistPage) -> Vec<Effect> {
        update(
            app,
            Msg::WorklistLoaded {
                seq,
                list: Worklist::AwaitingBeschikking,
                result: Ok(page),
            },
        )
    }

    /// The offsets of the page loads among `effects`, with their query numbers.
    fn loads(effects: &[Effect]) -> Vec<(u64, usize, String)> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::LoadWorklist {
                    seq, offset, query, ..
                } => Some((*seq, *offset, query.filter.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn opening_asks_for_the_first_page_and_shows_the_counts() {
        let (mut app, effects) = app();
        let s = view(&app).seq;
        assert_eq!(loads(&effects), vec![(s, 0, String::new())]);
        assert!(view(&app).is_loading());
        let more = loaded(&mut app, s, page(0, 1000, 1000));
        assert!(
            loads(&more).is_empty(),
            "the cursor is on the first page: {more:?}"
        );
        assert!(
            matches!(
                more.as_slice(),
                [Effect::PrepareWorklistFilter {
                    list: Worklist::AwaitingBeschikking
                }]
            ),
            "the store gets the filter ready while the list is looked at: {more:?}"
        );
        let v = view(&app);
        assert_eq!(
            (v.matching, v.total, v.loaded_rows()),
            (Some(1000), 1000, 200)
        );
        // The answer to a filter (the user types) asks for nothing more.
        let typed = loads(&key(&mut app, KeyCode::Char('j')));
        let [(t, 0, _)] = typed.as_slice() else {
            panic!("{typed:?}")
        };
        let after = loaded(&mut app, *t, page(0, 10, 1000));
        assert!(after.is_empty(), "{after:?}");
    }

    #[test]
    fn scrolling_near_the_end_of_the_loaded_rows_asks_for_the_next_page_once() {
        let (mut app, _) = app();
        let s = view(&app).seq;
        loaded(&mut app, s, page(0, 1000, 1000));
        let mut asked = Vec::new();
        for _ in 0..15 {
            asked.extend(loads(&key(&mut app, KeyCode::PageDown)));
        }
        assert_eq!(view(&app).cursor, 150);
        assert_eq!(
            asked,
            vec![(s, 200, String::new())],
            "one request, ahead of the cursor"
        );
        // Further down before the answer: not asked again.
        assert!(loads(&key(&mut app, KeyCode::PageDown)).is_empty());
        loaded(&mut app, s, page(200, 1000, 1000));
        assert!(view(&app).item(399).is_some());
        // End jumps to the last row: its page is asked for.
        let end = loads(&key(&mut app, KeyCode::End));
        assert_eq!(view(&app).cursor, 999);
        assert_eq!(end, vec![(s, 800, String::new())]);
        assert!(
            view(&app).item(999).is_none(),
            "a placeholder until it comes"
        );
        loaded(&mut app, s, page(800, 1000, 1000));
        assert!(view(&app).item(999).is_some());
        // The key thread never loads: every page is an effect.
        assert_eq!(view(&app).loaded_rows(), 600);
    }

    #[test]
    fn each_keystroke_of_the_filter_asks_the_store_and_a_stale_answer_is_dropped() {
        let (mut app, _) = app();
        let first = view(&app).seq;
        loaded(&mut app, first, page(0, 1000, 1000));
        let a = loads(&key(&mut app, KeyCode::Char('j')));
        let b = loads(&key(&mut app, KeyCode::Char('a')));
        let [(sa, 0, fa)] = a.as_slice() else {
            panic!("{a:?}")
        };
        let [(sb, 0, fb)] = b.as_slice() else {
            panic!("{b:?}")
        };
        assert_eq!((fa.as_str(), fb.as_str()), ("j", "ja"));
        assert!(sb > sa && sa > &first, "a new number per keystroke");
        // The answer to "ja" comes first, then the slower one to "j": the older is dropped.
        loaded(&mut app, *sb, page(0, 12, 1000));
        loaded(&mut app, *sa, page(0, 400, 1000));
        let v = view(&app);
        assert_eq!(v.matching, Some(12), "the answer to the text in the field");
        assert_eq!(v.loaded_rows(), 12);
        // A page of an older query is dropped too.
        loaded(&mut app, first, page(200, 1000, 1000));
        assert_eq!(view(&app).loaded_rows(), 12);
        // Until the first answer to a new filter comes, the old rows stay and no further page
        // is asked for under it.
        let c = loads(&key(&mut app, KeyCode::Backspace));
        assert!(
            matches!(c.as_slice(), [(sc, 0, f)] if sc > sb && f == "j"),
            "{c:?}"
        );
        assert!(loads(&key(&mut app, KeyCode::End)).is_empty());
        assert_eq!(view(&app).matching, Some(12));
    }

    #[test]
    fn an_answer_for_a_list_left_and_opened_again_is_not_taken_for_the_new_one() {
        let (mut app, _) = app();
        let old = view(&app).seq;
        // Tab to the next list and back: a new view of the first list, with a new number.
        key(&mut app, KeyCode::Tab);
        let back = update(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        );
        let asked = loads(&back);
        let [(new, 0, _)] = asked.as_slice() else {
            panic!("{back:?}")
        };
        assert_ne!(*new, old);
        loaded(&mut app, old, page(0, 7, 7));
        assert!(view(&app).is_loading(), "the old view's answer is dropped");
        loaded(&mut app, *new, page(0, 9, 9));
        assert_eq!(view(&app).matching, Some(9));
    }

    #[test]
    fn select_all_is_resolved_by_the_store_and_a_stale_selection_is_dropped() {
        let (mut app, _) = app();
        let s = view(&app).seq;
        loaded(&mut app, s, page(0, 1000, 1000));
        let effects = key(&mut app, KeyCode::Char('*'));
        assert!(
            matches!(effects.as_slice(), [Effect::SelectWorklist { seq, .. }] if *seq == s),
            "{effects:?}"
        );
        let all: Vec<(i64, String)> = (1..=1000).map(|i| (i, "02A05".to_string())).collect();
        let selected = |app: &mut App, seq: u64, ids: &[(i64, String)]| {
            update(
                app,
                Msg::WorklistSelected {
                    seq,
                    list: Worklist::AwaitingBeschikking,
                    result: Ok(ids.to_vec()),
                },
            )
        };
        // An answer to another query selects nothing.
        selected(&mut app, 0, &all);
        assert!(view(&app).selected.is_empty());
        selected(&mut app, s, &all);
        assert_eq!(view(&app).selected.len(), 1000, "loaded or not");
        assert_eq!(view(&app).products(&[999]), vec!["02A05".to_string()]);
        key(&mut app, KeyCode::Char('*'));
        selected(&mut app, s, &all);
        assert!(view(&app).selected.is_empty(), "* again deselects them all");
    }

    #[test]
    fn sorting_and_reversing_ask_for_the_first_page_in_the_new_order() {
        let (mut app, _) = app();
        let s = view(&app).seq;
        loaded(&mut app, s, page(0, 1000, 1000));
        key(&mut app, KeyCode::Down);
        let effects = update(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        );
        let [
            Effect::LoadWorklist {
                seq, query, offset, ..
            },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert!(*seq > s);
        assert_eq!((query.sort, *offset), (SortKey::End, 0));
        assert_eq!(view(&app).cursor, 0);
        let effects = update(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        );
        assert!(
            matches!(effects.as_slice(), [Effect::LoadWorklist { query, .. }] if query.descending),
            "{effects:?}"
        );
    }
}

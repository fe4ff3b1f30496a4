//! The backoffice worklists: one list at a time, filtered as you type over every column, sorted,
//! with a selection that bulk actions work on. Pure state and key handling; the executor loads
//! the lists and runs the bulk actions.

use std::collections::BTreeSet;

use crossterm::event::KeyEvent;

use super::keymap::Action;
use super::text_input::TextInput;
use crate::domain::dates::format_date;
use crate::domain::reference::ReferenceData;
use crate::domain::text::fold;
use crate::model::worklists::{WorkItem, Worklist};

/// What a worklist is sorted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Start date (the default: oldest first).
    Start,
    /// End date.
    End,
    /// Household label.
    Household,
    /// Product.
    Product,
}

impl SortKey {
    const ORDER: [SortKey; 4] = [
        SortKey::Start,
        SortKey::End,
        SortKey::Household,
        SortKey::Product,
    ];

    /// Its name in the header.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Start => "ingang",
            SortKey::End => "einde",
            SortKey::Household => "huishouden",
            SortKey::Product => "product",
        }
    }

    fn next(self) -> SortKey {
        let i = SortKey::ORDER.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ORDER[(i + 1) % SortKey::ORDER.len()]
    }
}

/// The worklist screen.
#[derive(Clone, Debug, PartialEq)]
pub struct WorklistView {
    /// The list shown.
    pub list: Worklist,
    /// Its items, as loaded (`None` while loading).
    pub items: Option<Vec<WorkItem>>,
    /// What was typed to filter.
    pub filter: TextInput,
    /// The sort column.
    pub sort: SortKey,
    /// Sorted descending.
    pub descending: bool,
    /// Selected provision ids.
    pub selected: BTreeSet<i64>,
    /// The row with the cursor, among the shown rows.
    pub cursor: usize,
    /// Why loading failed.
    pub error: Option<String>,
    /// The provisions a bulk form is being opened for (waiting for the providers).
    pub acting: Vec<i64>,
    /// Per item, every column folded into one text: made once per load, so a keystroke only
    /// searches.
    haystacks: Vec<String>,
}

/// What the worklist asks for after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorklistStep {
    /// Nothing beyond the state change.
    None,
    /// Leave the screen.
    Back,
    /// Load the (new) list.
    Load(Worklist),
    /// Open the bulk-action form for these provisions.
    Act(Vec<i64>),
    /// Export the rows shown as CSV for Excel.
    Export,
    /// Take the last bulk action back.
    Undo,
}

impl WorklistView {
    /// A view of `list`, to be loaded.
    pub fn new(list: Worklist) -> WorklistView {
        WorklistView {
            list,
            items: None,
            filter: TextInput::new("", FILTER_MAX),
            sort: SortKey::Start,
            descending: false,
            selected: BTreeSet::new(),
            cursor: 0,
            error: None,
            acting: Vec::new(),
            haystacks: Vec::new(),
        }
    }

    /// The products of the provisions `ids`.
    pub fn products(&self, ids: &[i64]) -> Vec<String> {
        let mut products: Vec<String> = self
            .items
            .iter()
            .flatten()
            .filter(|i| ids.contains(&i.provision.id))
            .map(|i| i.provision.product.clone())
            .collect();
        products.sort();
        products.dedup();
        products
    }

    /// The list arrived (or failed to); the selection keeps only what is still on it.
    pub fn loaded(&mut self, result: Result<Vec<WorkItem>, String>, reference: &ReferenceData) {
        match result {
            Ok(items) => {
                self.haystacks = items
                    .iter()
                    .map(|item| fold(&row_text(item, reference)))
                    .collect();
                self.selected
                    .retain(|id| items.iter().any(|i| i.provision.id == *id));
                self.items = Some(items);
                self.error = None;
            }
            Err(e) => {
                self.items = Some(Vec::new());
                self.haystacks.clear();
                self.error = Some(e);
            }
        }
        let shown = self.shown(reference).len();
        self.cursor = self.cursor.min(shown.saturating_sub(1));
    }

    /// The indices into `items` of the rows shown: every filter word must occur in some column
    /// (case and diacritics ignored), in the chosen order.
    pub fn shown(&self, reference: &ReferenceData) -> Vec<usize> {
        let Some(items) = &self.items else {
            return Vec::new();
        };
        let words: Vec<String> = fold(self.filter.as_str())
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let mut rows: Vec<usize> = (0..items.len())
            .filter(|i| {
                words.is_empty()
                    || match self.haystacks.get(*i) {
                        Some(haystack) => words.iter().all(|w| haystack.contains(w.as_str())),
                        // Not prepared (a list set by hand): fold it now.
                        None => {
                            let haystack = fold(&row_text(&items[*i], reference));
                            words.iter().all(|w| haystack.contains(w.as_str()))
                        }
                    }
            })
            .collect();
        let p = |i: &usize| &items[*i].provision;
        match self.sort {
            SortKey::Start => rows.sort_by_key(|i| (p(i).start_on, p(i).id)),
            SortKey::End => rows.sort_by_key(|i| (p(i).end_on.is_none(), p(i).end_on, p(i).id)),
            SortKey::Household => rows.sort_by(|a, b| {
                crate::domain::text::dutch_cmp(&items[*a].household, &items[*b].household)
            }),
            SortKey::Product => rows.sort_by(|a, b| p(a).product.cmp(&p(b).product)),
        }
        if self.descending {
            rows.reverse();
        }
        rows
    }

    /// The shown rows' provision ids.
    pub fn shown_ids(&self, reference: &ReferenceData) -> Vec<i64> {
        let Some(items) = &self.items else {
            return Vec::new();
        };
        self.shown(reference)
            .into_iter()
            .map(|i| items[i].provision.id)
            .collect()
    }
}

/// The rows shown, as CSV for Dutch Excel, and a file name for them.
/// The export of the rows shown: its file name, its CSV and the households whose data it holds.
pub fn export(
    view: &WorklistView,
    reference: &ReferenceData,
    today: chrono::NaiveDate,
) -> (String, String, Vec<i64>) {
    let items: Vec<WorkItem> = match &view.items {
        Some(items) => view
            .shown(reference)
            .into_iter()
            .filter_map(|i| items.get(i).cloned())
            .collect(),
        None => Vec::new(),
    };
    let name = format!(
        "werklijst-{}-{}.csv",
        view.list.code(),
        today.format("%Y%m%d")
    );
    let households = items.iter().map(|i| i.provision.household_id).collect();
    (
        name,
        crate::exchange::worklist_csv::render(&items, &reference.products),
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
pub fn handle(
    view: &mut WorklistView,
    action: Option<Action>,
    key: &KeyEvent,
    reference: &ReferenceData,
) -> WorklistStep {
    let shown = view.shown_ids(reference);
    let cursor_id = shown.get(view.cursor).copied();
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
            return WorklistStep::Load(lists[next]);
        }
        Some(Action::Down) => view.cursor = (view.cursor + 1).min(shown.len().saturating_sub(1)),
        Some(Action::Up) => view.cursor = view.cursor.saturating_sub(1),
        Some(Action::PageDown) => {
            view.cursor = (view.cursor + 10).min(shown.len().saturating_sub(1))
        }
        Some(Action::PageUp) => view.cursor = view.cursor.saturating_sub(10),
        Some(Action::Select) => {
            if let Some(id) = cursor_id
                && !view.selected.remove(&id)
            {
                view.selected.insert(id);
            }
        }
        Some(Action::SelectAll) => {
            if shown.iter().all(|id| view.selected.contains(id)) {
                for id in &shown {
                    view.selected.remove(id);
                }
            } else {
                view.selected.extend(shown.iter().copied());
            }
        }
        Some(Action::Sort) => view.sort = view.sort.next(),
        Some(Action::ExportCsv) if view.items.as_ref().is_some_and(|i| !i.is_empty()) => {
            return WorklistStep::Export;
        }
        Some(Action::Reverse) => view.descending = !view.descending,
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
            if TextInput::is_editing_key(key) && view.filter.key(key) {
                view.cursor = 0;
            }
        }
    }
    WorklistStep::None
}

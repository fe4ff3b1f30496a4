//! The backoffice worklists and the bulk actions on a selection of them.

use crate::domain::provision::Provision;
use chrono::NaiveDate;
use serde::Serialize;

/// How far ahead "ending soon" looks.
pub const ENDING_WITHIN_DAYS: i64 = 56;

/// A backoffice worklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Worklist {
    /// Requested, waiting for a beschikking.
    AwaitingBeschikking,
    /// Granted (zorg in natura), not yet assigned to a provider.
    AwaitingToewijzing,
    /// PGB granted or running, not yet reported to the SVB.
    PgbToSvb,
    /// With an eigen bijdrage, granted or running, not yet notified to the CAK.
    EigenBijdrageToCak,
    /// Running and ending within eight weeks.
    EndingSoon,
    /// Toegewezen more than N days ago (`zonder_startbericht_dagen`, default 14) and no start
    /// message (305) from the provider yet.
    WithoutStart,
}

impl Worklist {
    /// Every worklist, in screen order.
    pub const ALL: [Worklist; 6] = [
        Worklist::AwaitingBeschikking,
        Worklist::AwaitingToewijzing,
        Worklist::WithoutStart,
        Worklist::PgbToSvb,
        Worklist::EigenBijdrageToCak,
        Worklist::EndingSoon,
    ];

    /// Its name on screen and in exports.
    pub fn title(self) -> &'static str {
        match self {
            Worklist::AwaitingBeschikking => "Wacht op beschikking",
            Worklist::AwaitingToewijzing => "Toegekend, nog niet toegewezen",
            Worklist::PgbToSvb => "PGB naar de SVB",
            Worklist::EigenBijdrageToCak => "Eigen bijdrage naar het CAK",
            Worklist::EndingSoon => "Eindigt binnen 8 weken",
            Worklist::WithoutStart => "Zonder startbericht",
        }
    }

    /// A stable code (command line, file names).
    pub fn code(self) -> &'static str {
        match self {
            Worklist::AwaitingBeschikking => "beschikking",
            Worklist::AwaitingToewijzing => "toewijzing",
            Worklist::PgbToSvb => "svb",
            Worklist::EigenBijdrageToCak => "cak",
            Worklist::EndingSoon => "einde",
            Worklist::WithoutStart => "zonder-start",
        }
    }
}

/// One row of a worklist: the provision with what the backoffice needs to act on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    /// The provision.
    pub provision: Provision,
    /// The household's label.
    pub household: String,
    /// The member's name.
    pub person: String,
    /// The member's BSN, when recorded.
    pub bsn: Option<String>,
    /// The provider's name, when assigned.
    pub provider: Option<String>,
}

/// What a bulk action does to each selected provision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Grant in a beschikking of this date; numbers are `number` (one) or `number-1`, `number-2`, ….
    Grant {
        /// Date of the beschikking.
        on: NaiveDate,
        /// Its number.
        number: String,
    },
    /// Refuse in a beschikking of this date.
    Refuse {
        /// Date of the beschikking.
        on: NaiveDate,
        /// Its number.
        number: String,
    },
    /// Assign to a provider (sends the toewijzing).
    Assign {
        /// The provider.
        provider_id: i64,
        /// Date of the toewijzing.
        on: NaiveDate,
    },
    /// Reported to the SVB.
    ReportSvb {
        /// The date.
        on: NaiveDate,
    },
    /// Notified to the CAK.
    NotifyCak {
        /// The date.
        on: NaiveDate,
    },
    /// The provider (or the PGB) started.
    Start {
        /// The date.
        on: NaiveDate,
    },
    /// Ended, with a reason.
    End {
        /// The date.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl BulkAction {
    /// A one-line summary of what the action will do to `n` provisions, shown before it runs.
    pub fn summary(&self, n: usize) -> String {
        let what = match self {
            BulkAction::Grant { on, number } if n > 1 => format!(
                "toekennen met beschikking {number}-1 t/m {number}-{n} van {}",
                on.format("%d-%m-%Y")
            ),
            BulkAction::Grant { on, number } => format!(
                "toekennen met beschikking {number} van {}",
                on.format("%d-%m-%Y")
            ),
            BulkAction::Refuse { number, .. } => format!("afwijzen met beschikking {number}"),
            BulkAction::Assign { .. } => "toewijzen aan de gekozen aanbieder".to_string(),
            BulkAction::ReportSvb { .. } => "als gemeld bij de SVB markeren".to_string(),
            BulkAction::NotifyCak { .. } => "als gemeld bij het CAK markeren".to_string(),
            BulkAction::Start { .. } => "als gestart markeren".to_string(),
            BulkAction::End { reason, .. } => format!("beëindigen ({reason})"),
        };
        let noun = if n == 1 {
            "voorziening"
        } else {
            "voorzieningen"
        };
        format!("{n} {noun} {what}.")
    }
}

/// What undoing a bulk action writes back: per provision the columns a bulk action changes,
/// before and after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkUndo {
    pub(crate) rows: Vec<BulkUndoRow>,
}

impl BulkUndo {
    /// How many provisions it takes back.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it takes nothing back.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One provision of a [`BulkUndo`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BulkUndoRow {
    pub(crate) id: i64,
    pub(crate) household_id: i64,
    pub(crate) person_id: i64,
    pub(crate) before: Vec<Decided>,
    pub(crate) after: Vec<Decided>,
}

/// One column's value, as the database holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decided {
    Null,
    Int(i64),
    Text(String),
}

/// What a worklist is sorted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Start date (the default: oldest first).
    Start,
    /// End date (open-ended last).
    End,
    /// Household label, in Dutch alphabetical order.
    Household,
    /// Product code.
    Product,
}

impl SortKey {
    /// Every sort key, in the order Ctrl-s steps through them.
    pub const ORDER: [SortKey; 4] = [
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

    /// The next one (Ctrl-s).
    pub fn next(self) -> SortKey {
        let i = SortKey::ORDER.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ORDER[(i + 1) % SortKey::ORDER.len()]
    }
}

/// Which rows of a worklist, in which order: the filter as typed and the sort. The store
/// filters and sorts; the app only shows what it hands back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WorklistQuery {
    /// What was typed: every word must occur in some column (case and diacritics ignored).
    pub filter: String,
    /// The sort column.
    pub sort: SortKey,
    /// Sorted descending.
    pub descending: bool,
}

impl Default for WorklistQuery {
    fn default() -> WorklistQuery {
        WorklistQuery {
            filter: String::new(),
            sort: SortKey::Start,
            descending: false,
        }
    }
}

/// How many rows a worklist loads at a time: more than any screen shows.
pub const PAGE_ROWS: usize = 200;

/// One page of a worklist: the rows from `offset` on, and how many rows there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorklistPage {
    /// The position of the first row among the matching rows.
    pub offset: usize,
    /// The rows, at most the page size asked for.
    pub items: Vec<WorkItem>,
    /// How many rows match the filter.
    pub matching: usize,
    /// How many rows the list has without the filter.
    pub total: usize,
}

/// One typed filter word as the store matches it: the folded word to find in the columns the
/// database holds as text (household, member, BSN, provider, product code, dates as
/// `dd-mm-jjjj`), and the codes whose names hold the word (product names from the reference
/// data, law, financing and status names), as `|p:<code>|s:<code>|…|`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterWord {
    /// The folded word.
    pub needle: String,
    /// The codes whose names hold it, each as `|<kind>:<code>|`.
    pub codes: String,
}

impl FilterWord {
    /// Whether some code's name holds the word (else the store skips the code tests).
    pub fn has_codes(&self) -> bool {
        self.codes.len() > 1
    }

    /// Whether the word could be part of a date or a BSN (digits only): a word with a letter
    /// is looked for in the names and the product code only.
    pub fn may_be_digits(&self) -> bool {
        self.needle.chars().all(|c| c.is_ascii_digit())
    }
}

/// The words of a worklist filter (split on everything but letters and digits, folded), each
/// with the codes whose names hold it.
pub fn filter_words(
    filter: &str,
    products: &crate::domain::reference::ProductCatalogue,
) -> Vec<FilterWord> {
    use crate::domain::provision::{Financing, Law, ProvisionStatus};
    use crate::domain::text::fold;
    let mut words: Vec<String> = fold(filter)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // A word that is part of another typed word adds nothing.
    words.sort();
    words.dedup();
    words
        .iter()
        .map(|needle| {
            let holds = |name: &str| fold(name).contains(needle.as_str());
            let mut codes = String::from("|");
            for p in products.products() {
                if holds(&p.name) || holds(&p.code) {
                    codes.push_str(&format!("p:{}|", p.code));
                }
            }
            for law in Law::ALL {
                if holds(law.name()) {
                    codes.push_str(&format!("l:{}|", law.code()));
                }
            }
            for financing in Financing::ALL {
                if holds(financing.name()) {
                    codes.push_str(&format!("f:{}|", financing.code()));
                }
            }
            for status in ProvisionStatus::ALL {
                if holds(status.name()) {
                    codes.push_str(&format!("s:{}|", status.code()));
                }
            }
            FilterWord {
                needle: needle.clone(),
                codes,
            }
        })
        .collect()
}

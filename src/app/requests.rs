//! The worklist "Verzoeken van aanbieders": the providers' requests (verzoek om toewijzing,
//! 315; verzoek om wijziging, 317) waiting for the backoffice, who grants one (`t`: the
//! toewijzingen change and the client's 301 is written) or refuses it with a reason (`a`: a
//! 319 is written); and reading providers' message files (`i`). Pure state; the executor
//! loads, decides and reads.

use crate::model::messages::ProviderRequest;

/// The requests screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestsView {
    /// The open requests, as loaded (`None` while loading).
    pub items: Option<Vec<ProviderRequest>>,
    /// The row with the cursor.
    pub cursor: usize,
    /// Why loading failed.
    pub error: Option<String>,
    /// What the last reading of messages said, one line per file.
    pub report: Vec<String>,
}

impl RequestsView {
    /// A view to be loaded.
    pub fn loading() -> RequestsView {
        RequestsView {
            items: None,
            cursor: 0,
            error: None,
            report: Vec::new(),
        }
    }

    /// The answer of the executor.
    pub fn loaded(&mut self, result: Result<Vec<ProviderRequest>, String>) {
        match result {
            Ok(items) => {
                self.cursor = self.cursor.min(items.len().saturating_sub(1));
                self.items = Some(items);
                self.error = None;
            }
            Err(e) => {
                self.items = Some(Vec::new());
                self.error = Some(e);
            }
        }
    }

    /// The request under the cursor.
    pub fn selected(&self) -> Option<&ProviderRequest> {
        self.items.as_ref().and_then(|i| i.get(self.cursor))
    }

    /// Moves the cursor one row.
    pub fn move_cursor(&mut self, down: bool) {
        let n = self.items.as_ref().map_or(0, Vec::len);
        self.cursor = if down {
            (self.cursor + 1).min(n.saturating_sub(1))
        } else {
            self.cursor.saturating_sub(1)
        };
    }
}

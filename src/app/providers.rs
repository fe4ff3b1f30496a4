//! The providers screen: every provider (aanbieder) with its AGB code and contact, and the
//! contracts of the selected one. `n` registers a provider, `c` adds a contract.

use crate::model::providers::{Contract, Provider};

/// The providers screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvidersView {
    /// The providers, by name (`None` while loading).
    pub providers: Option<Vec<Provider>>,
    /// Every contract.
    pub contracts: Vec<Contract>,
    /// The selected provider.
    pub cursor: usize,
    /// Why loading failed.
    pub error: Option<String>,
}

impl ProvidersView {
    /// A view to be loaded.
    pub fn loading() -> ProvidersView {
        ProvidersView {
            providers: None,
            contracts: Vec::new(),
            cursor: 0,
            error: None,
        }
    }

    /// The lists arrived (or failed to).
    pub fn loaded(&mut self, result: Result<(Vec<Provider>, Vec<Contract>), String>) {
        match result {
            Ok((mut providers, contracts)) => {
                providers.sort_by(|a, b| crate::domain::text::dutch_cmp(&a.name, &b.name));
                self.cursor = self.cursor.min(providers.len().saturating_sub(1));
                self.providers = Some(providers);
                self.contracts = contracts;
                self.error = None;
            }
            Err(e) => {
                self.providers = Some(Vec::new());
                self.error = Some(e);
            }
        }
    }

    /// The selected provider.
    pub fn selected(&self) -> Option<&Provider> {
        self.providers.as_ref().and_then(|p| p.get(self.cursor))
    }

    /// The contracts of the selected provider.
    pub fn selected_contracts(&self) -> Vec<&Contract> {
        let id = self.selected().map(|p| p.id);
        self.contracts
            .iter()
            .filter(|c| Some(c.provider_id) == id)
            .collect()
    }

    /// Moves the selection.
    pub fn move_cursor(&mut self, down: bool) {
        let n = self.providers.as_ref().map_or(0, Vec::len);
        self.cursor = if down {
            (self.cursor + 1).min(n.saturating_sub(1))
        } else {
            self.cursor.saturating_sub(1)
        };
    }
}

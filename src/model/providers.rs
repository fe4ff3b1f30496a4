//! Providers (aanbieders) and their contracts, as the backoffice sees them.

use crate::domain::provision::Unit;
use chrono::NaiveDate;
use serde::Serialize;

/// A provider as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provider {
    /// Database id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// AGB code.
    pub agb_code: String,
    /// Contact (phone or e-mail), optional.
    pub contact: Option<String>,
}

/// A contract of a provider for one product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contract {
    /// Database id.
    pub id: i64,
    /// The provider.
    pub provider_id: i64,
    /// The product code.
    pub product: String,
    /// Tariff in cents per unit.
    pub tariff_cents: i64,
    /// The unit the tariff is per.
    pub unit: Unit,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day, if any.
    pub valid_to: Option<NaiveDate>,
}

/// The values of a new contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractFields {
    /// The product code.
    pub product: String,
    /// Tariff in cents per unit.
    pub tariff_cents: i64,
    /// Unit.
    pub unit: Unit,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day.
    pub valid_to: Option<NaiveDate>,
}

/// A provider contracted for a product: what a request form offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// The provider.
    pub provider_id: i64,
    /// Its name.
    pub name: String,
    /// The product it is contracted for.
    pub product: String,
}

//! Provisions (voorzieningen) and the providers (aanbieders) contracted to deliver them, on
//! PostgreSQL (see `sqlite::provisions` for the rules, which are the same).
//!
//! Providers and their contracts are not household data: their changes are audited without a
//! household. The row helpers here ([`provision_row`], [`insert_provision`], …) are shared by
//! the worklists, the toewijzing export and the message cycle.

use chrono::NaiveDate;
use postgres::Row;

use super::audit::{self, AuditActor};
use super::{Result, Store, StoreError, Tx, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::invalid::{optional_text, required_text};
use crate::domain::provision::{
    AgbCode, Financing, Frequency, Law, Provision, ProvisionFields, ProvisionStatus, Unit,
};
use crate::model::providers::*;
use crate::store::Missing;
use crate::store::shared::codec::corrupt;
use crate::store::shared::exchange::{contract_event, provider_event};

impl Store {
    /// Registers a provider (backoffice).
    pub fn add_provider(
        &mut self,
        session: &Session,
        name: &str,
        agb: &str,
        contact: Option<&str>,
    ) -> Result<Provider> {
        authorize(session, Operation::ManageProviders, None)?;
        let name = required_text("name", "De naam", "The name", name, 120)?;
        let agb = AgbCode::parse(agb)?;
        let contact = optional_text("contact", "Het contact", "The contact", contact, 120)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let taken: Option<String> = tx
                .query_opt(
                    "SELECT name FROM provider WHERE agb_code = $1",
                    &[&agb.as_str()],
                )?
                .map(|r| r.try_get(0))
                .transpose()?;
            if let Some(other) = taken {
                return Err(Invalid::new(
                    "agb",
                    format!("AGB-code {} is al van {other}.", agb.as_str()),
                    format!("AGB code {} already belongs to {other}.", agb.as_str()),
                )
                .into());
            }
            let id = insert_provider(tx, &name, agb.as_str(), contact.as_deref(), now)?;
            audit::append(tx, now, &actor, &provider_event(id, None))?;
            Ok(Provider {
                id,
                name: name.clone(),
                agb_code: agb.as_str().to_string(),
                contact: contact.clone(),
            })
        })
    }

    /// Adds a contract of `provider_id` for a product (backoffice).
    pub fn add_contract(
        &mut self,
        session: &Session,
        provider_id: i64,
        fields: &ContractFields,
    ) -> Result<Contract> {
        authorize(session, Operation::ManageProviders, None)?;
        if fields.valid_to.is_some_and(|to| to < fields.valid_from) {
            return Err(Invalid::new(
                "valid_to",
                "Het contract eindigt voor het begint.",
                "The contract ends before it starts.",
            )
            .into());
        }
        if fields.tariff_cents < 0 {
            return Err(Invalid::new(
                "tariff",
                "Een tarief kan niet negatief zijn.",
                "A tariff cannot be negative.",
            )
            .into());
        }
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            if tx
                .query_opt("SELECT id FROM provider WHERE id = $1", &[&provider_id])?
                .is_none()
            {
                return Err(StoreError::NotFound(Missing::Provider(provider_id)));
            }
            let detail = format!("aanbieder {provider_id}, product {}", fields.product);
            let id = insert_contract(tx, provider_id, fields)?;
            audit::append(tx, now, &actor, &contract_event(id, detail))?;
            Ok(Contract {
                id,
                provider_id,
                product: fields.product.clone(),
                tariff_cents: fields.tariff_cents,
                unit: fields.unit,
                valid_from: fields.valid_from,
                valid_to: fields.valid_to,
            })
        })
    }

    /// Every provider, by name (backoffice and professionals, who choose one in a request).
    pub fn providers(&self, session: &Session) -> Result<Vec<Provider>> {
        authorize(session, Operation::ReadAdministration, None)?;
        self.read(|tx| {
            tx.query(
                // Names in SQLite's order: byte by byte, whatever the server's collation.
                "SELECT id, name, agb_code, contact FROM provider ORDER BY name COLLATE \"C\", id",
                &[],
            )?
            .iter()
            .map(provider_row)
            .collect()
        })
    }

    /// Every contract, by provider and product (backoffice screens).
    pub fn contracts(&self, session: &Session) -> Result<Vec<Contract>> {
        authorize(session, Operation::ReadAdministration, None)?;
        self.read(|tx| {
            tx.query(
                "SELECT id, provider_id, product_code, tariff_cents, unit, valid_from, valid_to
                 FROM contract ORDER BY provider_id, product_code COLLATE \"C\", valid_from",
                &[],
            )?
            .iter()
            .map(|r| {
                let unit: String = r.try_get(4)?;
                Ok(Contract {
                    id: r.try_get(0)?,
                    provider_id: r.try_get(1)?,
                    product: r.try_get(2)?,
                    tariff_cents: r.try_get(3)?,
                    unit: Unit::parse(&unit).map_err(|_| corrupt("contract", "unit", unit))?,
                    valid_from: r.try_get(5)?,
                    valid_to: r.try_get(6)?,
                })
            })
            .collect()
        })
    }

    /// The providers with a contract for `product` in force on `on`.
    pub fn contracted_providers(
        &self,
        session: &Session,
        product: &str,
        on: NaiveDate,
    ) -> Result<Vec<Provider>> {
        authorize(session, Operation::ReadAdministration, None)?;
        self.read(|tx| {
            tx.query(
                "SELECT DISTINCT p.id, p.name COLLATE \"C\", p.agb_code, p.contact FROM provider p
                 JOIN contract c ON c.provider_id = p.id
                 WHERE c.product_code = $1 AND c.valid_from <= $2
                   AND (c.valid_to IS NULL OR c.valid_to >= $2)
                 ORDER BY 2, 1",
                &[&product, &on],
            )?
            .iter()
            .map(provider_row)
            .collect()
        })
    }

    /// Every provider × product with a contract in force on `on`, by provider name.
    pub fn offers(&self, session: &Session, on: NaiveDate) -> Result<Vec<Offer>> {
        authorize(session, Operation::ReadAdministration, None)?;
        self.read(|tx| {
            tx.query(
                "SELECT DISTINCT p.id, p.name COLLATE \"C\", c.product_code COLLATE \"C\"
                 FROM provider p JOIN contract c ON c.provider_id = p.id
                 WHERE c.valid_from <= $1 AND (c.valid_to IS NULL OR c.valid_to >= $1)
                 ORDER BY 2, 1, 3",
                &[&on],
            )?
            .iter()
            .map(|r| {
                Ok(Offer {
                    provider_id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    product: r.try_get(2)?,
                })
            })
            .collect()
        })
    }
}

/// Writes a provider; returns its id. The caller appends the audit row ([`provider_event`]).
pub(crate) fn insert_provider(
    tx: &mut Tx<'_>,
    name: &str,
    agb: &str,
    contact: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    Ok(tx
        .query_one(
            "INSERT INTO provider (name, agb_code, contact, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[&name, &agb, &contact, &at],
        )?
        .try_get(0)?)
}

/// Writes a contract of `provider_id`; returns its id. The caller appends the audit row
/// ([`contract_event`]).
pub(crate) fn insert_contract(
    tx: &mut Tx<'_>,
    provider_id: i64,
    fields: &ContractFields,
) -> Result<i64> {
    Ok(tx
        .query_one(
            "INSERT INTO contract (provider_id, product_code, tariff_cents, unit, valid_from, valid_to)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &provider_id,
                &fields.product,
                &fields.tariff_cents,
                &fields.unit.code(),
                &fields.valid_from,
                &fields.valid_to,
            ],
        )?
        .try_get(0)?)
}

/// A provider from a row of `id, name, agb_code, contact` starting at column `at`.
pub(crate) fn provider_at(r: &Row, at: usize) -> Result<Provider> {
    Ok(Provider {
        id: r.try_get(at)?,
        name: r.try_get(at + 1)?,
        agb_code: r.try_get(at + 2)?,
        contact: r.try_get(at + 3)?,
    })
}

fn provider_row(r: &Row) -> Result<Provider> {
    provider_at(r, 0)
}

/// The refusal of a provider without a contract for `product` on `on`.
pub(crate) fn no_contract(product: &str, on: NaiveDate) -> StoreError {
    Invalid::new(
        "provider",
        format!("Deze aanbieder heeft geen contract voor product {product} op {on}."),
        format!("This provider has no contract for product {product} on {on}."),
    )
    .into()
}

/// Refuses a provider without a contract for the product on the start date.
pub(crate) fn require_contract(
    tx: &mut Tx<'_>,
    provider_id: i64,
    product: &str,
    on: NaiveDate,
) -> Result<()> {
    let found = tx.query_opt(
        "SELECT id FROM contract WHERE provider_id = $1 AND product_code = $2
         AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3) LIMIT 1",
        &[&provider_id, &product, &on],
    )?;
    match found {
        Some(_) => Ok(()),
        None => Err(no_contract(product, on)),
    }
}

/// Writes a requested provision of `household_id`; the member must belong to it and a chosen
/// provider must be contracted for the product.
pub(crate) fn insert_provision(
    tx: &mut Tx<'_>,
    household_id: i64,
    user: i64,
    at: chrono::DateTime<chrono::Utc>,
    fields: &ProvisionFields,
) -> Result<i64> {
    let fields = fields.clone().validate()?;
    if tx
        .query_opt(
            "SELECT id FROM person WHERE id = $1 AND household_id = $2",
            &[&fields.person_id, &household_id],
        )?
        .is_none()
    {
        return Err(StoreError::NotFound(Missing::Person(fields.person_id)));
    }
    if let Some(provider) = fields.provider_id {
        require_contract(tx, provider, &fields.product, fields.start_on)?;
    }
    Ok(tx
        .query_one(
            "INSERT INTO provision (household_id, person_id, law, category, product_code, provider_id,
                 start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation,
                 status, requested_by, requested_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'aangevraagd',
                     $15, $16)
             RETURNING id",
            &[
                &household_id,
                &fields.person_id,
                &fields.law.code(),
                &fields.category,
                &fields.product,
                &fields.provider_id,
                &fields.start_on,
                &fields.end_on,
                &i64::from(fields.volume),
                &fields.unit.code(),
                &fields.frequency.code(),
                &fields.financing.code(),
                &fields.eigen_bijdrage,
                &fields.motivation,
                &user,
                &at,
            ],
        )?
        .try_get(0)?)
}

/// The columns [`provision_row`] reads, in order.
pub(crate) const PROVISION_COLUMNS: &str =
    "id, household_id, person_id, law, category, product_code, provider_id,
    start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation, status,
    beschikking_on, beschikking_number, toewijzing_number, assigned_on, svb_reported_on,
    cak_notified_on, ended_on, end_reason, care_started_on, care_ended_on, care_end_reason";

/// [`PROVISION_COLUMNS`] of the provision aliased `v`.
pub(crate) fn provision_columns_of_v() -> String {
    PROVISION_COLUMNS
        .split(',')
        .map(|c| format!("v.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many columns [`provision_row`] reads.
pub(crate) fn provision_column_count() -> usize {
    PROVISION_COLUMNS.split(',').count()
}

/// A provision from a row of [`PROVISION_COLUMNS`].
pub(crate) fn provision_row(r: &Row) -> Result<Provision> {
    let law: String = r.try_get(3)?;
    let unit: String = r.try_get(10)?;
    let frequency: String = r.try_get(11)?;
    let financing: String = r.try_get(12)?;
    let status: String = r.try_get(15)?;
    let volume: i64 = r.try_get(9)?;
    let beschikking = match (
        r.try_get::<_, Option<NaiveDate>>(16)?,
        r.try_get::<_, Option<String>>(17)?,
    ) {
        (Some(on), Some(number)) => Some((on, number)),
        _ => None,
    };
    let toewijzing = match (
        r.try_get::<_, Option<String>>(18)?,
        r.try_get::<_, Option<NaiveDate>>(19)?,
    ) {
        (Some(number), Some(on)) => Some((number, on)),
        _ => None,
    };
    let ended = match r.try_get::<_, Option<NaiveDate>>(22)? {
        Some(on) => Some((on, r.try_get::<_, Option<String>>(23)?.unwrap_or_default())),
        None => None,
    };
    Ok(Provision {
        id: r.try_get(0)?,
        household_id: r.try_get(1)?,
        person_id: r.try_get(2)?,
        law: Law::parse(&law).map_err(|_| corrupt("provision", "law", law.clone()))?,
        category: r.try_get(4)?,
        product: r.try_get(5)?,
        provider_id: r.try_get(6)?,
        start_on: r.try_get(7)?,
        end_on: r.try_get(8)?,
        volume: u32::try_from(volume)
            .map_err(|_| corrupt("provision", "volume", volume.to_string()))?,
        unit: Unit::parse(&unit).map_err(|_| corrupt("provision", "unit", unit.clone()))?,
        frequency: Frequency::parse(&frequency)
            .map_err(|_| corrupt("provision", "frequency", frequency.clone()))?,
        financing: Financing::parse(&financing)
            .map_err(|_| corrupt("provision", "financing", financing.clone()))?,
        eigen_bijdrage: r.try_get(13)?,
        motivation: r.try_get(14)?,
        status: ProvisionStatus::parse(&status)
            .ok_or_else(|| corrupt("provision", "status", status.clone()))?,
        beschikking,
        toewijzing,
        svb_reported_on: r.try_get(20)?,
        cak_notified_on: r.try_get(21)?,
        ended,
        care: crate::domain::provision::Care {
            started_on: r.try_get(24)?,
            ended_on: r.try_get(25)?,
            end_reason: r.try_get(26)?,
        },
    })
}

/// A household's provisions, newest start first (for the dashboard).
#[allow(dead_code)]
pub(crate) fn provisions_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Provision>> {
    tx.query(
        &format!(
            "SELECT {PROVISION_COLUMNS} FROM provision WHERE household_id = $1
             ORDER BY start_on DESC, id DESC"
        ),
        &[&household_id],
    )?
    .iter()
    .map(provision_row)
    .collect()
}

//! Provisions (voorzieningen) and the providers (aanbieders) contracted to deliver them.
//!
//! A professional requests a provision from the dashboard (a [`Change`](super::changes::Change),
//! so it is audited with the household and can be undone); the backoffice decides on it in the
//! worklists (`worklists.rs`). Providers and their contracts are not household data: their
//! changes are audited without a household.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, AuditActor};
use super::codec::{corrupt, date_text, parse_date, parse_opt_date};
use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::invalid::{optional_text, required_text};
use crate::domain::provision::{
    AgbCode, Financing, Frequency, Law, Provision, ProvisionFields, ProvisionStatus, Unit,
};
use crate::model::providers::*;
use crate::store::Missing;
pub(crate) use crate::store::shared::exchange::{contract_event, provider_event};

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
                .query_row(
                    "SELECT name FROM provider WHERE agb_code = ?1",
                    [agb.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = taken {
                return Err(Invalid::new(
                    "agb",
                    format!("AGB-code {} is al van {other}.", agb.as_str()),
                    format!("AGB code {} already belongs to {other}.", agb.as_str()),
                )
                .into());
            }
            let id = insert_provider(
                tx,
                &name,
                agb.as_str(),
                contact.as_deref(),
                &now.to_rfc3339(),
            )?;
            let event = provider_event(id, None);
            audit::append(tx, now, &actor, &event)?;
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
            let exists: Option<i64> = tx
                .query_row(
                    "SELECT id FROM provider WHERE id = ?1",
                    [provider_id],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::NotFound(Missing::Provider(provider_id)));
            }
            let detail = format!("aanbieder {provider_id}, product {}", fields.product);
            let id = insert_contract(tx, provider_id, fields)?;
            let event = contract_event(id, detail);
            audit::append(tx, now, &actor, &event)?;
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
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name, agb_code, contact FROM provider ORDER BY name, id")?;
        let rows = stmt
            .query_map([], provider_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every contract, by provider and product (backoffice screens).
    pub fn contracts(&self, session: &Session) -> Result<Vec<Contract>> {
        authorize(session, Operation::ReadAdministration, None)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, provider_id, product_code, tariff_cents, unit, valid_from, valid_to
             FROM contract ORDER BY provider_id, product_code, valid_from",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, provider_id, product, tariff_cents, unit, from, to)| {
                Ok(Contract {
                    id,
                    provider_id,
                    product,
                    tariff_cents,
                    unit: Unit::parse(&unit)
                        .map_err(|_| corrupt("contract", "unit", unit.clone()))?,
                    valid_from: parse_date("contract", "valid_from", &from)?,
                    valid_to: parse_opt_date("contract", "valid_to", to)?,
                })
            })
            .collect()
    }

    /// The providers with a contract for `product` in force on `on`.
    pub fn contracted_providers(
        &self,
        session: &Session,
        product: &str,
        on: NaiveDate,
    ) -> Result<Vec<Provider>> {
        authorize(session, Operation::ReadAdministration, None)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT DISTINCT p.id, p.name, p.agb_code, p.contact FROM provider p
             JOIN contract c ON c.provider_id = p.id
             WHERE c.product_code = ?1 AND c.valid_from <= ?2 AND (c.valid_to IS NULL OR c.valid_to >= ?2)
             ORDER BY p.name, p.id",
        )?;
        let rows = stmt
            .query_map(params![product, date_text(on)], provider_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

impl Store {
    /// Every provider × product with a contract in force on `on`, by provider name.
    pub fn offers(&self, session: &Session, on: NaiveDate) -> Result<Vec<Offer>> {
        authorize(session, Operation::ReadAdministration, None)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT DISTINCT p.id, p.name, c.product_code FROM provider p
             JOIN contract c ON c.provider_id = p.id
             WHERE c.valid_from <= ?1 AND (c.valid_to IS NULL OR c.valid_to >= ?1)
             ORDER BY p.name, p.id, c.product_code",
        )?;
        let rows = stmt
            .query_map([date_text(on)], |r| {
                Ok(Offer {
                    provider_id: r.get(0)?,
                    name: r.get(1)?,
                    product: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Writes a provider; returns its id. The caller appends the audit row ([`provider_event`]).
pub(crate) fn insert_provider(
    tx: &rusqlite::Connection,
    name: &str,
    agb: &str,
    contact: Option<&str>,
    at: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO provider (name, agb_code, contact, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, agb, contact, at],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Writes a contract of `provider_id`; returns its id. The caller appends the audit row
/// ([`contract_event`]).
pub(crate) fn insert_contract(
    tx: &rusqlite::Connection,
    provider_id: i64,
    fields: &ContractFields,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO contract (provider_id, product_code, tariff_cents, unit, valid_from, valid_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            provider_id,
            fields.product,
            fields.tariff_cents,
            fields.unit.code(),
            date_text(fields.valid_from),
            fields.valid_to.map(date_text)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn provider_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Provider> {
    Ok(Provider {
        id: r.get(0)?,
        name: r.get(1)?,
        agb_code: r.get(2)?,
        contact: r.get(3)?,
    })
}

/// Refuses a provider without a contract for the product on the start date.
pub(crate) fn require_contract(
    tx: &rusqlite::Connection,
    provider_id: i64,
    product: &str,
    on: NaiveDate,
) -> Result<()> {
    let found: Option<i64> = tx
        .prepare_cached(
            "SELECT id FROM contract WHERE provider_id = ?1 AND product_code = ?2
             AND valid_from <= ?3 AND (valid_to IS NULL OR valid_to >= ?3) LIMIT 1",
        )?
        .query_row(params![provider_id, product, date_text(on)], |r| r.get(0))
        .optional()?;
    if found.is_none() {
        return Err(Invalid::new(
            "provider",
            format!("Deze aanbieder heeft geen contract voor product {product} op {on}."),
            format!("This provider has no contract for product {product} on {on}."),
        )
        .into());
    }
    Ok(())
}

/// Writes a requested provision of `household_id`; the member must belong to it and a chosen
/// provider must be contracted for the product.
pub(crate) fn insert_provision(
    tx: &rusqlite::Connection,
    household_id: i64,
    user: i64,
    at: &str,
    fields: &ProvisionFields,
) -> Result<i64> {
    let fields = fields.clone().validate()?;
    let member: Option<i64> = tx
        .query_row(
            "SELECT id FROM person WHERE id = ?1 AND household_id = ?2",
            params![fields.person_id, household_id],
            |r| r.get(0),
        )
        .optional()?;
    if member.is_none() {
        return Err(StoreError::NotFound(Missing::Person(fields.person_id)));
    }
    if let Some(provider) = fields.provider_id {
        require_contract(tx, provider, &fields.product, fields.start_on)?;
    }
    tx.execute(
        "INSERT INTO provision (household_id, person_id, law, category, product_code, provider_id,
             start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation, status,
             requested_by, requested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'aangevraagd', ?15, ?16)",
        params![
            household_id,
            fields.person_id,
            fields.law.code(),
            fields.category,
            fields.product,
            fields.provider_id,
            date_text(fields.start_on),
            fields.end_on.map(date_text),
            fields.volume,
            fields.unit.code(),
            fields.frequency.code(),
            fields.financing.code(),
            fields.eigen_bijdrage,
            fields.motivation,
            user,
            at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The columns [`provision_row`] reads, in order.
pub(crate) const PROVISION_COLUMNS: &str =
    "id, household_id, person_id, law, category, product_code, provider_id,
    start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation, status,
    beschikking_on, beschikking_number, toewijzing_number, assigned_on, svb_reported_on,
    cak_notified_on, ended_on, end_reason, care_started_on, care_ended_on, care_end_reason";

/// A provision from a row of [`PROVISION_COLUMNS`].
pub(crate) fn provision_row(r: &rusqlite::Row<'_>) -> Result<Provision> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let opt = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
    let law = text(3)?;
    let unit = text(10)?;
    let frequency = text(11)?;
    let financing = text(12)?;
    let status = text(15)?;
    let beschikking = match (
        parse_opt_date("provision", "beschikking_on", opt(16)?)?,
        opt(17)?,
    ) {
        (Some(on), Some(number)) => Some((on, number)),
        _ => None,
    };
    let toewijzing = match (
        opt(18)?,
        parse_opt_date("provision", "assigned_on", opt(19)?)?,
    ) {
        (Some(number), Some(on)) => Some((number, on)),
        _ => None,
    };
    let ended = parse_opt_date("provision", "ended_on", opt(22)?)?
        .map(|on| -> rusqlite::Result<_> { Ok((on, opt(23)?.unwrap_or_default())) })
        .transpose()?;
    Ok(Provision {
        id: r.get(0)?,
        household_id: r.get(1)?,
        person_id: r.get(2)?,
        law: Law::parse(&law).map_err(|_| corrupt("provision", "law", law.clone()))?,
        category: text(4)?,
        product: text(5)?,
        provider_id: r.get(6)?,
        start_on: parse_date("provision", "start_on", &text(7)?)?,
        end_on: parse_opt_date("provision", "end_on", opt(8)?)?,
        volume: r.get(9)?,
        unit: Unit::parse(&unit).map_err(|_| corrupt("provision", "unit", unit.clone()))?,
        frequency: Frequency::parse(&frequency)
            .map_err(|_| corrupt("provision", "frequency", frequency.clone()))?,
        financing: Financing::parse(&financing)
            .map_err(|_| corrupt("provision", "financing", financing.clone()))?,
        eigen_bijdrage: r.get(13)?,
        motivation: opt(14)?,
        status: ProvisionStatus::parse(&status)
            .ok_or_else(|| corrupt("provision", "status", status.clone()))?,
        beschikking,
        toewijzing,
        svb_reported_on: parse_opt_date("provision", "svb_reported_on", opt(20)?)?,
        cak_notified_on: parse_opt_date("provision", "cak_notified_on", opt(21)?)?,
        ended,
        care: crate::domain::provision::Care {
            started_on: parse_opt_date("provision", "care_started_on", opt(24)?)?,
            ended_on: parse_opt_date("provision", "care_ended_on", opt(25)?)?,
            end_reason: opt(26)?,
        },
    })
}

/// A household's provisions, newest start first.
pub(crate) fn provisions_of(
    conn: &rusqlite::Connection,
    household_id: i64,
) -> Result<Vec<Provision>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROVISION_COLUMNS} FROM provision WHERE household_id = ?1 ORDER BY start_on DESC, id DESC"
    ))?;
    let mut rows = stmt.query([household_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(provision_row(row)?);
    }
    Ok(out)
}

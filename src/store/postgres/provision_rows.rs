//! The provision rows a household's dashboard shows and the request a dashboard change
//! writes (the household side of `sqlite::provisions`); providers, contracts and decisions
//! are in the provisions module.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;

use super::{Result, StoreError, Tx};
use crate::domain::Invalid;
use crate::domain::provision::{
    Financing, Frequency, Law, Provision, ProvisionFields, ProvisionStatus, Unit,
};
use crate::store::Missing;
use crate::store::shared::codec::corrupt;

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
    tx: &mut Tx<'_>,
    household_id: i64,
    user: i64,
    at: DateTime<Utc>,
    fields: &ProvisionFields,
) -> Result<i64> {
    let fields = fields.clone().validate()?;
    let member = tx.query_opt(
        "SELECT id FROM person WHERE id = $1 AND household_id = $2",
        &[&fields.person_id, &household_id],
    )?;
    if member.is_none() {
        return Err(StoreError::NotFound(Missing::Person(fields.person_id)));
    }
    if let Some(provider) = fields.provider_id {
        require_contract(tx, provider, &fields.product, fields.start_on)?;
    }
    let row = tx.query_one(
        "INSERT INTO provision (household_id, person_id, law, category, product_code, provider_id,
             start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation, status,
             requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'aangevraagd', $15, $16)
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
    )?;
    Ok(row.try_get(0)?)
}

/// The columns [`provision_row`] reads, in order.
pub(crate) const PROVISION_COLUMNS: &str =
    "id, household_id, person_id, law, category, product_code, provider_id,
    start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation, status,
    beschikking_on, beschikking_number, toewijzing_number, assigned_on, svb_reported_on,
    cak_notified_on, ended_on, end_reason, care_started_on, care_ended_on, care_end_reason";

/// A provision from a row of [`PROVISION_COLUMNS`].
pub(crate) fn provision_row(r: &Row) -> Result<Provision> {
    let law: String = r.try_get(3)?;
    let volume: i64 = r.try_get(9)?;
    let unit: String = r.try_get(10)?;
    let frequency: String = r.try_get(11)?;
    let financing: String = r.try_get(12)?;
    let status: String = r.try_get(15)?;
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

/// The query of [`provisions_of`], for a caller that sends it with others ([`Tx::queries`]).
pub(crate) fn provisions_sql() -> String {
    format!(
        "SELECT {PROVISION_COLUMNS} FROM provision WHERE household_id = $1
         ORDER BY start_on DESC, id DESC"
    )
}

/// The rows of [`provisions_sql`].
pub(crate) fn provisions_rows(rows: &[Row]) -> Result<Vec<Provision>> {
    rows.iter().map(provision_row).collect()
}

//! Toewijzingen leaving the app on PostgreSQL (see `sqlite::exchange` for the rules, which are
//! the same): one 301 message per client, provider and law, delivered and marked as sent in
//! one transaction, so a failed delivery marks nothing.
//!
//! The candidates are read in one statement; once every message is delivered, the messages,
//! the sent marks and the audit rows are each written in one statement.

use chrono::NaiveDate;

use super::audit::{Action, AuditActor, AuditEvent};
use super::provisions::{
    provider_at, provision_column_count, provision_columns_of_v, provision_row,
};
use super::worklists::append_all;
use super::{Result, Store, StoreError, Tx, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::provision::{AgbCode, Law};
use crate::model::exchange::*;
use crate::model::providers::Provider;
use crate::store::Missing;
use crate::store::shared::exchange::{change_reason, effective_end, identification, terms};

/// The next number of an outgoing message (301 or 319): one counter for both.
pub(crate) fn next_message_number(tx: &mut Tx<'_>) -> Result<i64> {
    Ok(tx
        .query_one(
            "SELECT GREATEST(COALESCE((SELECT MAX(id) FROM outgoing_message), 0),
                             COALESCE((SELECT MAX(number) FROM outgoing_answer), 0)) + 1",
            &[],
        )?
        .try_get(0)?)
}

/// The provider with AGB code `agb`.
pub(crate) fn provider_by_agb(tx: &mut Tx<'_>, agb: &AgbCode) -> Result<Provider> {
    match tx.query_opt(
        "SELECT id, name, agb_code, contact FROM provider WHERE agb_code = $1",
        &[&agb.as_str()],
    )? {
        Some(r) => provider_at(&r, 0),
        None => Err(StoreError::NotFound(Missing::ProviderAgb(
            agb.as_str().to_string(),
        ))),
    }
}

struct Candidate {
    provision: crate::domain::provision::Provision,
    provider: Provider,
    client: MessageClient,
    sent: bool,
    sent_terms: Option<String>,
    change_reason: Option<String>,
}

impl Store {
    /// Makes the 301 messages `filter` and `selection` ask for (one per client, provider and
    /// law), hands each to `deliver` and marks its toewijzingen as sent; if `deliver` fails,
    /// nothing is marked. Backoffice only; one audit row per message, on the client's household.
    /// Returns the messages delivered (none when there was nothing new).
    pub fn export_toewijzingen(
        &mut self,
        session: &Session,
        filter: &ExportFilter,
        selection: Selection,
        today: NaiveDate,
        deliver: &mut dyn FnMut(&ToewijzingBatch) -> std::result::Result<(), Invalid>,
    ) -> Result<Vec<ToewijzingBatch>> {
        authorize(session, Operation::DecideProvision, None)?;
        let agb = filter.provider.as_deref().map(AgbCode::parse).transpose()?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        self.write(|tx| {
            let provider_id = match &agb {
                Some(agb) => Some(provider_by_agb(tx, agb)?.id),
                None => None,
            };
            let sql = format!(
                "SELECT {}, v.toewijzing_message_id IS NOT NULL, v.sent_terms, v.change_reason,
                        p.bsn, p.name, p.birth_date, h.street, h.house_number, h.postcode, h.city,
                        a.id, a.name, a.agb_code, a.contact
                 FROM provision v
                 JOIN person p ON p.id = v.person_id JOIN household h ON h.id = v.household_id
                 JOIN provider a ON a.id = v.provider_id
                 WHERE v.status IN ('toegewezen', 'gestart', 'beeindigd')
                   AND v.toewijzing_number IS NOT NULL AND h.erased_on IS NULL
                   AND ($1::bigint IS NULL OR v.provider_id = $1)
                   AND ($2::text IS NULL OR v.law = $2)
                   AND ($3::bigint IS NULL OR v.person_id = $3)
                 ORDER BY a.agb_code COLLATE \"C\", v.law COLLATE \"C\", p.id, v.start_on, v.id",
                provision_columns_of_v()
            );
            let n = provision_column_count();
            let candidates = tx
                .query(
                    &sql,
                    &[&provider_id, &filter.law.map(Law::code), &filter.person],
                )?
                .iter()
                .map(|row| {
                    let provision = provision_row(row)?;
                    Ok(Candidate {
                        client: MessageClient {
                            person_id: provision.person_id,
                            household_id: provision.household_id,
                            bsn: row.try_get(n + 3)?,
                            name: row.try_get(n + 4)?,
                            birth_date: row.try_get(n + 5)?,
                            address: (
                                row.try_get(n + 6)?,
                                row.try_get(n + 7)?,
                                row.try_get(n + 8)?,
                                row.try_get(n + 9)?,
                            ),
                        },
                        provider: provider_at(row, n + 10)?,
                        provision,
                        sent: row.try_get(n)?,
                        sent_terms: row.try_get(n + 1)?,
                        change_reason: row.try_get(n + 2)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let mut batches: Vec<ToewijzingBatch> = Vec::new();
            let mut numbers: Vec<i64> = Vec::new();
            let mut next: Option<i64> = None;
            let mut start = 0;
            while start < candidates.len() {
                let key = |c: &Candidate| (c.provider.id, c.provision.law, c.provision.person_id);
                let mut end = start + 1;
                while end < candidates.len() && key(&candidates[end]) == key(&candidates[start]) {
                    end += 1;
                }
                let group = &candidates[start..end];
                start = end;
                let mut items = Vec::new();
                let mut news = false;
                for c in group {
                    let p = &c.provision;
                    let end_on = effective_end(p);
                    let current = end_on.is_none_or(|e| e >= today);
                    let change = match (&c.sent_terms, c.sent) {
                        (Some(sent), true) => {
                            change_reason(p, end_on, sent, c.change_reason.as_deref())
                        }
                        _ => None,
                    };
                    let new = !c.sent;
                    // Ended before it began and never sent: there is nothing to tell.
                    let void = end_on.is_some_and(|e| e < p.start_on) && new;
                    if void || !(current || change.is_some()) {
                        continue;
                    }
                    news |= new || change.is_some();
                    items.push(ToewijzingItem {
                        provision: p.clone(),
                        end_on,
                        change,
                        new,
                    });
                }
                if items.is_empty() || (selection == Selection::New && !news) {
                    continue;
                }
                // Every write holds the chain lock, so the counter read once stays ours.
                let id = match next {
                    Some(id) => id,
                    None => next_message_number(tx)?,
                };
                next = Some(id + 1);
                let first = &group[0];
                let batch = ToewijzingBatch {
                    provider: first.provider.clone(),
                    law: first.provision.law,
                    client: first.client.clone(),
                    identification: identification(id),
                    dagtekening: today,
                    items,
                };
                deliver(&batch)?;
                numbers.push(id);
                batches.push(batch);
            }
            if batches.is_empty() {
                return Ok(batches);
            }
            let kinds: Vec<&str> = batches
                .iter()
                .map(|b| crate::domain::istandaard::kind(b.law).1)
                .collect();
            let providers: Vec<i64> = batches.iter().map(|b| b.provider.id).collect();
            let identifications: Vec<&str> =
                batches.iter().map(|b| b.identification.as_str()).collect();
            let counts = batches
                .iter()
                .map(|b| i64::try_from(b.items.len()))
                .collect::<std::result::Result<Vec<i64>, _>>()
                .map_err(|_| {
                    crate::store::shared::codec::corrupt("outgoing_message", "items", "")
                })?;
            let persons: Vec<i64> = batches.iter().map(|b| b.client.person_id).collect();
            tx.execute(
                "INSERT INTO outgoing_message (id, kind, provider_id, identification, dagtekening,
                     items, created_by, created_at, person_id)
                 SELECT u.id, u.kind, u.provider_id, u.identification, $6, u.items, $7, $8,
                        u.person_id
                 FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[],
                             $9::bigint[])
                      AS u(id, kind, provider_id, identification, items, person_id)",
                &[
                    &numbers,
                    &kinds,
                    &providers,
                    &identifications,
                    &counts,
                    &today,
                    &user,
                    &now,
                    &persons,
                ],
            )?;
            let mut marked: Vec<i64> = Vec::new();
            let mut message_of: Vec<i64> = Vec::new();
            let mut sent_terms: Vec<String> = Vec::new();
            for (batch, id) in batches.iter().zip(&numbers) {
                for item in &batch.items {
                    marked.push(item.provision.id);
                    message_of.push(*id);
                    sent_terms.push(terms(&item.provision, item.end_on));
                }
            }
            tx.execute(
                "UPDATE provision v SET toewijzing_message_id = u.message, sent_terms = u.terms,
                     change_reason = NULL
                 FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(id, message, terms)
                 WHERE v.id = u.id",
                &[&marked, &message_of, &sent_terms],
            )?;
            let events: Vec<AuditEvent> = batches
                .iter()
                .zip(&numbers)
                .zip(&kinds)
                .map(|((batch, id), kind)| {
                    let changed = batch.items.iter().filter(|i| i.change.is_some()).count();
                    AuditEvent::household(
                        Action::Export,
                        "toewijzing",
                        *id,
                        batch.client.household_id,
                    )
                    .with_person(batch.client.person_id)
                    .with_detail(format!(
                        "{kind} {} aan AGB {}: {} toewijzing(en), {changed} gewijzigd",
                        batch.identification,
                        batch.provider.agb_code,
                        batch.items.len()
                    ))
                })
                .collect();
            append_all(tx, now, &actor, &events)?;
            Ok(batches)
        })
    }
}

//! Toewijzingen leaving the app: one 301 message per client, provider and law, carrying what
//! rule OP087 asks: every toewijzing of that client at that provider that is valid on or after
//! the message date, plus every one that changed since it was last sent (with its
//! `RedenWijziging`). A message goes out when something in it is new or changed (or always,
//! with [`Selection::All`]); each is delivered (written to a file) and marked as sent in one
//! transaction, so a failed delivery marks nothing.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{date_text, parse_opt_date};
use super::provisions::{PROVISION_COLUMNS, provision_row};
use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::provision::{AgbCode, Law, Provision};
use crate::model::exchange::*;
use crate::model::providers::Provider;
use crate::store::Missing;
pub use crate::store::shared::exchange::{change_reason, effective_end, identification, terms};

/// The next number of an outgoing message (301 or 319): one counter for both.
pub(crate) fn next_message_number(tx: &rusqlite::Connection) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM outgoing_message), 0),
                    COALESCE((SELECT MAX(number) FROM outgoing_answer), 0)) + 1",
        [],
        |r| r.get(0),
    )?)
}

pub(crate) fn provider_by_agb(tx: &rusqlite::Connection, agb: &AgbCode) -> Result<Provider> {
    tx.query_row(
        "SELECT id, name, agb_code, contact FROM provider WHERE agb_code = ?1",
        [agb.as_str()],
        |r| {
            Ok(Provider {
                id: r.get(0)?,
                name: r.get(1)?,
                agb_code: r.get(2)?,
                contact: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(Missing::ProviderAgb(agb.as_str().to_string())))
}

struct Candidate {
    provision: Provision,
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
            let columns = PROVISION_COLUMNS
                .split(',')
                .map(|c| format!("v.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT {columns}, v.toewijzing_message_id IS NOT NULL, v.sent_terms, v.change_reason,
                        p.bsn, p.name, p.birth_date, h.street, h.house_number, h.postcode, h.city,
                        a.id, a.name, a.agb_code, a.contact
                 FROM provision v
                 JOIN person p ON p.id = v.person_id JOIN household h ON h.id = v.household_id
                 JOIN provider a ON a.id = v.provider_id
                 WHERE v.status IN ('toegewezen', 'gestart', 'beeindigd') AND v.toewijzing_number IS NOT NULL
                   AND h.erased_on IS NULL
                   AND (?1 IS NULL OR v.provider_id = ?1) AND (?2 IS NULL OR v.law = ?2)
                   AND (?3 IS NULL OR v.person_id = ?3)
                 ORDER BY a.agb_code, v.law, p.id, v.start_on, v.id"
            );
            let n = PROVISION_COLUMNS.split(',').count();
            let mut candidates: Vec<Candidate> = Vec::new();
            {
                let mut stmt = tx.prepare(&sql)?;
                let mut rows = stmt.query(params![
                    provider_id,
                    filter.law.map(Law::code),
                    filter.person
                ])?;
                while let Some(row) = rows.next()? {
                    let provision = provision_row(row)?;
                    candidates.push(Candidate {
                        client: MessageClient {
                            person_id: provision.person_id,
                            household_id: provision.household_id,
                            bsn: row.get(n + 3)?,
                            name: row.get(n + 4)?,
                            birth_date: parse_opt_date("person", "birth_date", row.get(n + 5)?)?,
                            address: (
                                row.get(n + 6)?,
                                row.get(n + 7)?,
                                row.get(n + 8)?,
                                row.get(n + 9)?,
                            ),
                        },
                        provider: Provider {
                            id: row.get(n + 10)?,
                            name: row.get(n + 11)?,
                            agb_code: row.get(n + 12)?,
                            contact: row.get(n + 13)?,
                        },
                        provision,
                        sent: row.get(n)?,
                        sent_terms: row.get(n + 1)?,
                        change_reason: row.get(n + 2)?,
                    });
                }
            }
            let mut batches = Vec::new();
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
                let first = &group[0];
                let law = first.provision.law;
                let kind = crate::domain::istandaard::kind(law).1;
                let id = next_message_number(tx)?;
                let identification = identification(id);
                tx.execute(
                    "INSERT INTO outgoing_message (id, kind, provider_id, identification, dagtekening, items, created_by, created_at, person_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        id,
                        kind,
                        first.provider.id,
                        identification,
                        date_text(today),
                        items.len() as i64,
                        user,
                        now.to_rfc3339(),
                        first.client.person_id
                    ],
                )?;
                let batch = ToewijzingBatch {
                    provider: first.provider.clone(),
                    law,
                    client: first.client.clone(),
                    identification: identification.clone(),
                    dagtekening: today,
                    items,
                };
                deliver(&batch)?;
                for item in &batch.items {
                    tx.execute(
                        "UPDATE provision SET toewijzing_message_id = ?1, sent_terms = ?2, change_reason = NULL WHERE id = ?3",
                        params![id, terms(&item.provision, item.end_on), item.provision.id],
                    )?;
                }
                let changed = batch.items.iter().filter(|i| i.change.is_some()).count();
                let event = AuditEvent::household(
                    Action::Export,
                    "toewijzing",
                    id,
                    batch.client.household_id,
                )
                .with_person(batch.client.person_id)
                .with_detail(format!(
                    "{kind} {identification} aan AGB {}: {} toewijzing(en), {changed} gewijzigd",
                    batch.provider.agb_code,
                    batch.items.len()
                ));
                audit::append(tx, now, &actor, &event)?;
                batches.push(batch);
            }
            Ok(batches)
        })
    }
}

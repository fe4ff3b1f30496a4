//! Toewijzingen leaving the app: the provisions assigned to one provider, gathered per law
//! into a 301 message, delivered (written to a file) and marked as exported in one
//! transaction, so a failed delivery marks nothing and a second export sends only what is new.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{date_text, parse_opt_date};
use super::provisions::{PROVISION_COLUMNS, provision_row};
use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::provision::{AgbCode, Law};
use crate::model::exchange::*;
use crate::model::providers::Provider;
use crate::store::Missing;

impl Store {
    /// Gathers the toewijzingen of the provider with `agb` (optionally of one law) into one
    /// batch per law, hands each to `deliver` and marks the provisions as exported; if
    /// `deliver` fails, nothing is marked. Backoffice only; one audit row per household whose
    /// data leaves the app. Returns the batches delivered (none when there was nothing new).
    pub fn export_toewijzingen(
        &mut self,
        session: &Session,
        agb: &str,
        law: Option<Law>,
        selection: Selection,
        today: NaiveDate,
        deliver: &mut dyn FnMut(&ToewijzingBatch) -> std::result::Result<(), Invalid>,
    ) -> Result<Vec<ToewijzingBatch>> {
        authorize(session, Operation::DecideProvision, None)?;
        let agb = AgbCode::parse(agb)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        self.write(|tx| {
            let provider: Provider = tx
                .query_row(
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
                .ok_or_else(|| StoreError::NotFound(Missing::ProviderAgb(agb.as_str().to_string())))?;
            let columns = PROVISION_COLUMNS
                .split(',')
                .map(|c| format!("v.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT {columns}, p.bsn, p.name, p.birth_date FROM provision v
                 JOIN person p ON p.id = v.person_id JOIN household h ON h.id = v.household_id
                 WHERE v.provider_id = ?1 AND v.status = 'toegewezen' AND h.erased_on IS NULL
                   AND (?2 = 1 OR v.toewijzing_message_id IS NULL)
                 ORDER BY v.law, p.bsn, v.start_on, v.id"
            );
            let n = PROVISION_COLUMNS.split(',').count();
            let mut items: Vec<ToewijzingItem> = Vec::new();
            {
                let mut stmt = tx.prepare(&sql)?;
                let mut rows = stmt.query(params![provider.id, selection == Selection::All])?;
                while let Some(row) = rows.next()? {
                    items.push(ToewijzingItem {
                        provision: provision_row(row)?,
                        bsn: row.get(n)?,
                        name: row.get(n + 1)?,
                        birth_date: parse_opt_date("person", "birth_date", row.get(n + 2)?)?,
                    });
                }
            }
            let mut batches = Vec::new();
            for l in Law::ALL {
                if law.is_some_and(|want| want != l) {
                    continue;
                }
                let of_law: Vec<ToewijzingItem> = items
                    .iter()
                    .filter(|i| i.provision.law == l)
                    .cloned()
                    .collect();
                if of_law.is_empty() {
                    continue;
                }
                let kind = crate::exchange::toewijzing::kind(l).1;
                // Inside this immediate transaction nobody else can take the next id.
                let id: i64 = tx.query_row(
                    "SELECT COALESCE(MAX(id), 0) + 1 FROM outgoing_message",
                    [],
                    |r| r.get(0),
                )?;
                let identification = format!("KT{id:010}");
                tx.execute(
                    "INSERT INTO outgoing_message (id, kind, provider_id, identification, dagtekening, items, created_by, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        id,
                        kind,
                        provider.id,
                        identification,
                        date_text(today),
                        of_law.len() as i64,
                        user,
                        now.to_rfc3339()
                    ],
                )?;
                let batch = ToewijzingBatch {
                    provider: provider.clone(),
                    law: l,
                    identification: identification.clone(),
                    dagtekening: today,
                    items: of_law,
                };
                deliver(&batch)?;
                let mut households: Vec<(i64, i64)> = Vec::new();
                for item in &batch.items {
                    tx.execute(
                        "UPDATE provision SET toewijzing_message_id = ?1 WHERE id = ?2",
                        params![id, item.provision.id],
                    )?;
                    let key = (item.provision.household_id, item.provision.person_id);
                    if !households.iter().any(|(h, _)| *h == key.0) {
                        households.push(key);
                    }
                }
                for (household, _) in households {
                    let count = batch
                        .items
                        .iter()
                        .filter(|i| i.provision.household_id == household)
                        .count();
                    let event = AuditEvent::household(Action::Export, "toewijzing", id, household)
                        .with_detail(format!(
                            "{kind} {identification} aan AGB {}: {count} voorziening(en)",
                            provider.agb_code
                        ));
                    audit::append(tx, now, &actor, &event)?;
                }
                batches.push(batch);
            }
            Ok(batches)
        })
    }
}

//! Messages from providers applied to the database, and the backoffice's decisions on their
//! requests.
//!
//! A start (305) sets the actual start of care, a stop (307) the actual end with its reason
//! (and, unless the stop is temporary, ends the toewijzing, which the next 301 then carries
//! with `RedenWijziging` 12). A verzoek om toewijzing (315) or om wijziging (317) lands on the
//! worklist "Verzoeken van aanbieders", where the backoffice grants it (new or changed
//! toewijzingen, sent with the next 301) or refuses it (a 319 with the reason).
//!
//! Every message is applied in one transaction or not at all; the first problem is named with
//! the element it is about. A message is applied once: the same identification from the same
//! provider is refused the second time. One audit row per message, on the client's household.

use chrono::{Duration, NaiveDate};
use rusqlite::{OptionalExtension, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{date_text, parse_opt_date};
use super::exchange::{effective_end, identification, next_message_number, provider_by_agb};
use super::provisions::{PROVISION_COLUMNS, insert_provision, provision_row, require_contract};
use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::istandaard::end_reason_label;
use crate::domain::provision::{
    AgbCode, Financing, Frequency, Law, Provision, ProvisionFields, ProvisionStatus, Unit,
};
use crate::model::incoming::{self, Body, Delivery, Incoming, RequestedProduct};
use crate::model::providers::Provider;

use crate::model::messages::*;
pub(crate) use crate::store::shared::exchange::{MapCode, check_requested, dmy, refuse};

/// The toewijzing `number` of one of `persons` at `provider` under `law`: the stored number,
/// or the provision's id where the stored number does not fit the message's 9 digits (as the
/// 301 sent it).
fn toewijzing(
    tx: &rusqlite::Connection,
    number: u64,
    persons: &[i64],
    provider: i64,
    law: Law,
    location: &str,
) -> Result<(Provision, Option<NaiveDate>, Option<NaiveDate>)> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {PROVISION_COLUMNS}, care_started_on, care_ended_on FROM provision
         WHERE provider_id = ?2 AND law = ?3 AND toewijzing_number IS NOT NULL
           AND CASE WHEN length(toewijzing_number) <= 9 AND toewijzing_number NOT GLOB '*[^0-9]*'
                    THEN CAST(toewijzing_number AS INTEGER) = ?1
                    -- A stored number that does not fit the message went out as the id.
                    ELSE id = ?1 END"
    ))?;
    let mut rows = stmt.query(params![
        i64::try_from(number).unwrap_or(-1),
        provider,
        law.code()
    ])?;
    let n = PROVISION_COLUMNS.split(',').count();
    while let Some(row) = rows.next()? {
        let p = provision_row(row)?;
        if persons.contains(&p.person_id) {
            let started = parse_opt_date("provision", "care_started_on", row.get(n)?)?;
            let ended = parse_opt_date("provision", "care_ended_on", row.get(n + 1)?)?;
            return Ok((p, started, ended));
        }
    }
    Err(refuse(
        &format!("{location}/ToewijzingNummer"),
        format!(
            "toewijzing {number} is onbekend voor deze cliënt bij deze aanbieder ({}); er is niets gewijzigd.",
            law.name()
        ),
        format!(
            "toewijzing {number} is unknown for this client at this provider ({}); nothing was changed.",
            law.name()
        ),
    ))
}

fn insert_line(
    tx: &rusqlite::Connection,
    request: i64,
    action: &str,
    provision: Option<i64>,
    p: Option<&RequestedProduct>,
) -> Result<()> {
    let referrer = p.and_then(|p| p.referrer.as_ref());
    tx.execute(
        "INSERT INTO provider_request_line (request_id, action, provision_id, category, product_code,
             start_on, end_on, volume, unit, frequency, referrer_type, referrer_name, referrer_agb)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            request,
            action,
            provision,
            p.map(|p| p.category.clone()),
            p.map(|p| p.code.clone()),
            p.map(|p| date_text(p.start)),
            p.and_then(|p| p.end).map(date_text),
            p.map(|p| p.volume.volume),
            p.map(|p| p.volume.unit.code()),
            p.map(|p| p.volume.frequency.code()),
            referrer.map(|r| r.kind.clone()),
            referrer.and_then(|r| r.name.clone()),
            referrer.and_then(|r| r.agb.clone()),
        ],
    )?;
    Ok(())
}

impl Store {
    /// Applies one message from a provider, or refuses it whole, naming the element. `file`
    /// is the file's name (kept with the message); `gemeente` our CBS code, which must be the
    /// message's receiver. Backoffice only.
    pub fn apply_message(
        &mut self,
        session: &Session,
        file: &str,
        message: &Incoming,
        gemeente: &str,
    ) -> Result<Applied> {
        authorize(session, Operation::DecideProvision, None)?;
        let h = &message.header;
        let name = incoming::name(h.law, h.kind);
        if h.receiver != gemeente {
            return Err(refuse(
                "/Bericht/Header/Ontvanger",
                format!(
                    "het bericht is voor gemeente {}, niet voor deze gemeente ({gemeente}); er is niets gewijzigd.",
                    h.receiver
                ),
                format!(
                    "the message is for municipality {}, not for this one ({gemeente}); nothing was changed.",
                    h.receiver
                ),
            ));
        }
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        self.write(|tx| {
            let earlier: Option<(String, String)> = tx
                .query_row(
                    "SELECT received_at, file_name FROM incoming_message WHERE sender_agb = ?1 AND identification = ?2",
                    params![h.sender, h.identification],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((at, earlier_file)) = earlier {
                let day = at.get(..10).unwrap_or(&at).to_string();
                return Err(refuse(
                    "/Bericht/Header/BerichtIdentificatie",
                    format!("bericht {} van AGB {} is al ingelezen ({day}, uit {earlier_file}); er is niets gewijzigd.", h.identification, h.sender),
                    format!("message {} from AGB {} was read before ({day}, from {earlier_file}); nothing was changed.", h.identification, h.sender),
                ));
            }
            let agb = AgbCode::parse(&h.sender).map_err(|e| refuse("/Bericht/Header/Afzender", e.nl, e.en))?;
            let provider: Provider = provider_by_agb(tx, &agb).map_err(|e| match e {
                StoreError::NotFound(_) => refuse(
                    "/Bericht/Header/Afzender",
                    format!("aanbieder met AGB-code {} is onbekend; er is niets gewijzigd.", h.sender),
                    format!("provider with AGB code {} is unknown; nothing was changed.", h.sender),
                ),
                other => other,
            })?;
            let mut persons: Vec<(i64, i64)> = Vec::new();
            {
                let mut stmt = tx.prepare_cached(
                    "SELECT p.id, p.household_id FROM person p JOIN household h ON h.id = p.household_id
                     WHERE p.bsn = ?1 AND h.erased_on IS NULL ORDER BY p.id",
                )?;
                let mut rows = stmt.query([&message.bsn])?;
                while let Some(r) = rows.next()? {
                    persons.push((r.get(0)?, r.get(1)?));
                }
            }
            let Some(&(first_person, first_household)) = persons.first() else {
                let masked = format!("*****{}", message.bsn.get(5..).unwrap_or(""));
                return Err(refuse(
                    "/Bericht/Client/Bsn",
                    format!("er is geen cliënt met BSN {masked}; er is niets gewijzigd."),
                    format!("there is no client with BSN {masked}; nothing was changed."),
                ));
            };
            let person_ids: Vec<i64> = persons.iter().map(|p| p.0).collect();
            tx.execute(
                "INSERT INTO incoming_message (kind, sender_agb, identification, dagtekening, file_name, received_by, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![name, h.sender, h.identification, date_text(h.dagtekening), file, user, now.to_rfc3339()],
            )?;
            let message_id = tx.last_insert_rowid();
            let mut household = first_household;
            let mut person = first_person;
            let summary = match &message.body {
                Body::Start(lines) => {
                    let (mut started, mut withdrawn) = (0, 0);
                    for line in lines {
                        let (p, care_start, care_end) =
                            toewijzing(tx, line.number, &person_ids, provider.id, h.law, &line.location)?;
                        (household, person) = (p.household_id, p.person_id);
                        let at = format!("{}/Begindatum", line.location);
                        match line.delivery {
                            Delivery::First => {
                                if let Some(s) = care_start.filter(|_| care_end.is_none()) {
                                    return Err(refuse(&line.location, format!("toewijzing {} heeft al een startbericht (begindatum {}); stuur eerst een verwijdering (status aanlevering 3).", line.number, dmy(s)), format!("toewijzing {} already has a start message (start {}); withdraw it first (delivery status 3).", line.number, dmy(s))));
                                }
                                if line.begin < p.start_on {
                                    return Err(refuse(&at, format!("de begindatum {} ligt voor de ingangsdatum van toewijzing {} ({}).", dmy(line.begin), line.number, dmy(p.start_on)), format!("the start {} is before the start of toewijzing {} ({}).", dmy(line.begin), line.number, dmy(p.start_on))));
                                }
                                if let Some(end) = effective_end(&p).filter(|e| line.begin > *e) {
                                    return Err(refuse(&at, format!("de begindatum {} ligt na het einde van toewijzing {} ({}).", dmy(line.begin), line.number, dmy(end)), format!("the start {} is after the end of toewijzing {} ({}).", dmy(line.begin), line.number, dmy(end))));
                                }
                                tx.execute(
                                    "UPDATE provision SET care_started_on = ?1, care_ended_on = NULL, care_end_reason = NULL,
                                       status = CASE status WHEN 'toegewezen' THEN 'gestart' ELSE status END WHERE id = ?2",
                                    params![date_text(line.begin), p.id],
                                )?;
                                started += 1;
                            }
                            Delivery::Withdraw => {
                                if care_start != Some(line.begin) || care_end.is_some() {
                                    return Err(refuse(&at, format!("er is geen startbericht met begindatum {} voor toewijzing {} om te verwijderen.", dmy(line.begin), line.number), format!("there is no start message with start {} for toewijzing {} to withdraw.", dmy(line.begin), line.number)));
                                }
                                tx.execute(
                                    "UPDATE provision SET care_started_on = NULL,
                                       status = CASE status WHEN 'gestart' THEN 'toegewezen' ELSE status END WHERE id = ?1",
                                    [p.id],
                                )?;
                                withdrawn += 1;
                            }
                        }
                    }
                    format!("{started} start(s) vastgelegd, {withdrawn} verwijderd")
                }
                Body::Stop(lines) => {
                    let (mut stopped, mut withdrawn) = (0, 0);
                    for line in lines {
                        let (p, care_start, care_end) =
                            toewijzing(tx, line.number, &person_ids, provider.id, h.law, &line.location)?;
                        (household, person) = (p.household_id, p.person_id);
                        match line.delivery {
                            Delivery::First => {
                                let Some(start) = care_start else {
                                    return Err(refuse(&line.location, format!("toewijzing {} is nooit gestart (er is geen startbericht); een stopbericht kan pas na de start.", line.number), format!("toewijzing {} never started (there is no start message); a stop can only follow a start.", line.number)));
                                };
                                if line.begin != start {
                                    return Err(refuse(&format!("{}/Begindatum", line.location), format!("de begindatum {} wijkt af van de start die de aanbieder meldde ({}).", dmy(line.begin), dmy(start)), format!("the start {} differs from the start the provider reported ({}).", dmy(line.begin), dmy(start))));
                                }
                                if let Some(end) = care_end {
                                    return Err(refuse(&line.location, format!("toewijzing {} heeft al een stopbericht (einddatum {}).", line.number, dmy(end)), format!("toewijzing {} already has a stop message (end {}).", line.number, dmy(end))));
                                }
                                let at = format!("{}/Einddatum", line.location);
                                if line.end < start {
                                    return Err(refuse(&at, "de einddatum ligt voor de begindatum.", "the end is before the start.").map_invalid_code("TR018"));
                                }
                                if let Some(end) = effective_end(&p).filter(|e| line.end > *e) {
                                    return Err(refuse(&at, format!("de einddatum {} ligt na het einde van toewijzing {} ({}).", dmy(line.end), line.number, dmy(end)), format!("the end {} is after the end of toewijzing {} ({}).", dmy(line.end), line.number, dmy(end))));
                                }
                                tx.execute(
                                    "UPDATE provision SET care_ended_on = ?1, care_end_reason = ?2 WHERE id = ?3",
                                    params![date_text(line.end), line.reason, p.id],
                                )?;
                                // A temporary stop (20) leaves the toewijzing running.
                                if line.reason != "20" && p.status != ProvisionStatus::Beeindigd {
                                    tx.execute(
                                        "UPDATE provision SET status = 'beeindigd', ended_on = ?1, end_reason = ?2, change_reason = '12' WHERE id = ?3",
                                        params![date_text(line.end), format!("Stopbericht: {}", end_reason_label(&line.reason)), p.id],
                                    )?;
                                }
                                stopped += 1;
                            }
                            Delivery::Withdraw => {
                                if care_end != Some(line.end) {
                                    return Err(refuse(&format!("{}/Einddatum", line.location), format!("er is geen stopbericht met einddatum {} voor toewijzing {} om te verwijderen.", dmy(line.end), line.number), format!("there is no stop message with end {} for toewijzing {} to withdraw.", dmy(line.end), line.number)));
                                }
                                tx.execute(
                                    "UPDATE provision SET care_ended_on = NULL, care_end_reason = NULL WHERE id = ?1",
                                    [p.id],
                                )?;
                                tx.execute(
                                    "UPDATE provision SET status = 'gestart', ended_on = NULL, end_reason = NULL, change_reason = '12'
                                     WHERE id = ?1 AND status = 'beeindigd' AND ended_on = ?2 AND end_reason LIKE 'Stopbericht:%'",
                                    params![p.id, date_text(line.end)],
                                )?;
                                withdrawn += 1;
                            }
                        }
                    }
                    format!("{stopped} stop(s) vastgelegd, {withdrawn} verwijderd")
                }
                Body::Request(products) => {
                    for p in products {
                        check_requested(h.law, p)?;
                        tx.execute(
                            "INSERT INTO provider_request (message_id, kind, law, provider_id, household_id, person_id, reference, comment, received_on)
                             VALUES (?1, 'toewijzing', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            params![message_id, h.law.code(), provider.id, first_household, first_person, p.reference, p.comment, date_text(now.date_naive())],
                        )?;
                        let request = tx.last_insert_rowid();
                        insert_line(tx, request, "nieuw", None, Some(p))?;
                    }
                    format!("{} verzoek(en) om toewijzing op de werklijst", products.len())
                }
                Body::Change { reference, reason, unchanged, changes, new } => {
                    tx.execute(
                        "INSERT INTO provider_request (message_id, kind, law, provider_id, household_id, person_id, reference, reason, received_on)
                         VALUES (?1, 'wijziging', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![message_id, h.law.code(), provider.id, first_household, first_person, reference, reason, date_text(now.date_naive())],
                    )?;
                    let request = tx.last_insert_rowid();
                    let mut owner: Option<(i64, i64)> = None;
                    for (location, number) in unchanged {
                        let (p, _, _) = toewijzing(tx, *number, &person_ids, provider.id, h.law, location)?;
                        owner = Some((p.household_id, p.person_id));
                        insert_line(tx, request, "ongewijzigd", Some(p.id), None)?;
                    }
                    for c in changes {
                        let (p, _, _) = toewijzing(tx, c.number, &person_ids, provider.id, h.law, &c.location)?;
                        owner = Some((p.household_id, p.person_id));
                        if p.status == ProvisionStatus::Beeindigd {
                            return Err(refuse(&c.location, format!("toewijzing {} is beëindigd en kan niet meer wijzigen.", c.number), format!("toewijzing {} has ended and cannot change.", c.number)));
                        }
                        if let Some(end) = c.end.filter(|e| *e < c.from.min(p.start_on)) {
                            return Err(refuse(&format!("{}/Einddatum", c.location), format!("de einddatum {} ligt voor de ingangsdatum.", dmy(end)), format!("the end {} is before the start.", dmy(end))));
                        }
                        tx.execute(
                            "INSERT INTO provider_request_line (request_id, action, provision_id, start_on, end_on, volume, unit, frequency)
                             VALUES (?1, 'wijzig', ?2, ?3, ?4, ?5, ?6, ?7)",
                            params![request, p.id, date_text(c.from), c.end.map(date_text),
                                c.volume.map(|v| v.volume), c.volume.map(|v| v.unit.code()), c.volume.map(|v| v.frequency.code())],
                        )?;
                    }
                    for p in new {
                        check_requested(h.law, p)?;
                        insert_line(tx, request, "nieuw", None, Some(p))?;
                    }
                    if let Some((hh, pp)) = owner {
                        (household, person) = (hh, pp);
                        tx.execute(
                            "UPDATE provider_request SET household_id = ?1, person_id = ?2 WHERE id = ?3",
                            params![hh, pp, request],
                        )?;
                    }
                    format!("verzoek om wijziging op de werklijst ({} te wijzigen, {} nieuw)", changes.len(), new.len())
                }
            };
            let event = AuditEvent::household(Action::Update, "bericht", message_id, household)
                .with_person(person)
                .with_detail(format!("{name} {} van AGB {}: {summary}", h.identification, h.sender));
            audit::append(tx, now, &actor, &event)?;
            Ok(Applied {
                message: name.clone(),
                identification: h.identification.clone(),
                household_id: household,
                summary,
            })
        })
    }
}

impl MapCode for StoreError {
    /// Adds a rule code to a refusal's text.
    fn map_invalid_code(self, code: &str) -> StoreError {
        match self {
            StoreError::Invalid(i) => Invalid::new(
                i.field,
                format!("{} [{code}]", i.nl),
                format!("{} [{code}]", i.en),
            )
            .into(),
            other => other,
        }
    }
}

fn parse_date_opt(v: Option<String>) -> Result<Option<NaiveDate>> {
    parse_opt_date("provider_request_line", "date", v)
}

fn load_request(tx: &rusqlite::Connection, id: i64) -> Result<ProviderRequest> {
    let row = tx
        .query_row(
            "SELECT r.id, r.kind, r.law, r.status, a.id, a.name, a.agb_code, a.contact,
                    r.household_id, r.person_id, h.label, p.name, r.reference, r.reason, r.comment,
                    r.received_on, r.refusal_code
             FROM provider_request r JOIN provider a ON a.id = r.provider_id
             JOIN household h ON h.id = r.household_id JOIN person p ON p.id = r.person_id
             WHERE r.id = ?1 AND h.erased_on IS NULL",
            [id],
            |r| {
                Ok((
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ),
                    Provider {
                        id: r.get(4)?,
                        name: r.get(5)?,
                        agb_code: r.get(6)?,
                        contact: r.get(7)?,
                    },
                    (
                        r.get::<_, i64>(8)?,
                        r.get::<_, i64>(9)?,
                        r.get::<_, String>(10)?,
                        r.get::<_, String>(11)?,
                    ),
                    (
                        r.get::<_, String>(12)?,
                        r.get::<_, Option<String>>(13)?,
                        r.get::<_, Option<String>>(14)?,
                    ),
                    (r.get::<_, String>(15)?, r.get::<_, Option<String>>(16)?),
                ))
            },
        )
        .optional()?
        .ok_or(StoreError::NotFound(crate::store::Missing::Request(id)))?;
    let (
        (id, kind, law, status),
        provider,
        (household_id, person_id, household, person),
        (reference, reason, comment),
        (received, refusal),
    ) = row;
    let mut lines = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT action, provision_id, category, product_code, start_on, end_on, volume, unit, frequency,
                referrer_type, referrer_name, referrer_agb
         FROM provider_request_line WHERE request_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let category: Option<String> = r.get(2)?;
        let code: Option<String> = r.get(3)?;
        let volume: Option<u32> = r.get(6)?;
        let unit: Option<String> = r.get(7)?;
        let frequency: Option<String> = r.get(8)?;
        let volume = match (volume, unit, frequency) {
            (Some(v), Some(u), Some(f)) => Some((
                v,
                Unit::parse(&u)
                    .map_err(|_| super::codec::corrupt("provider_request_line", "unit", u))?,
                Frequency::parse(&f)
                    .map_err(|_| super::codec::corrupt("provider_request_line", "frequency", f))?,
            )),
            _ => None,
        };
        let referrer_type: Option<String> = r.get(9)?;
        lines.push(RequestLine {
            action: r.get(0)?,
            provision_id: r.get(1)?,
            product: category.zip(code),
            start_on: parse_date_opt(r.get(4)?)?,
            end_on: parse_date_opt(r.get(5)?)?,
            volume,
            referrer: referrer_type
                .map(|t| -> rusqlite::Result<_> { Ok((t, r.get(10)?, r.get(11)?)) })
                .transpose()?,
        });
    }
    Ok(ProviderRequest {
        id,
        kind: if kind == "wijziging" {
            RequestKind::Wijziging
        } else {
            RequestKind::Toewijzing
        },
        law: Law::parse(&law)
            .map_err(|_| super::codec::corrupt("provider_request", "law", law.clone()))?,
        status: match status.as_str() {
            "toegekend" => RequestStatus::Granted,
            "afgewezen" => RequestStatus::Refused,
            _ => RequestStatus::Open,
        },
        provider,
        household_id,
        person_id,
        household,
        person,
        reference,
        reason,
        comment,
        received_on: super::codec::parse_date("provider_request", "received_on", &received)?,
        refusal,
        lines,
    })
}

fn open_request(tx: &rusqlite::Connection, id: i64) -> Result<ProviderRequest> {
    let request = load_request(tx, id)?;
    if request.status != RequestStatus::Open {
        let how = if request.status == RequestStatus::Granted {
            "toegekend"
        } else {
            "afgewezen"
        };
        return Err(Invalid::new(
            "verzoek",
            format!("Verzoek {id} is al {how}."),
            format!("Request {id} was decided already ({how})."),
        )
        .into());
    }
    Ok(request)
}

/// Creates a toegewezen provision for a requested product.
fn assign_new(
    tx: &rusqlite::Connection,
    request: &ProviderRequest,
    line: &RequestLine,
    user: i64,
    at: &str,
    today: NaiveDate,
) -> Result<i64> {
    let (Some((category, product)), Some(start), Some((volume, unit, frequency))) =
        (line.product.clone(), line.start_on, line.volume)
    else {
        return Err(super::codec::corrupt(
            "provider_request_line",
            "product",
            "incomplete",
        ));
    };
    require_contract(tx, request.provider.id, &product, start)?;
    // Rule TR302: no two toewijzingen of one product at one provider in overlapping periods.
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {PROVISION_COLUMNS} FROM provision WHERE person_id = ?1 AND provider_id = ?2
           AND product_code = ?3 AND status IN ('toegewezen', 'gestart', 'beeindigd')"
    ))?;
    let mut rows = stmt.query(params![request.person_id, request.provider.id, product])?;
    while let Some(row) = rows.next()? {
        let other = provision_row(row)?;
        let other_end = effective_end(&other);
        let apart = other_end.is_some_and(|e| e < start || e < other.start_on)
            || line.end_on.is_some_and(|e| e < other.start_on);
        let aid = matches!(category.as_str(), "11" | "12" | "13" | "14");
        if !apart && !aid {
            let number = other.toewijzing.map(|t| t.0).unwrap_or_default();
            return Err(Invalid::new(
                "verzoek",
                format!("Verzoek {} overlapt met toewijzing {number} voor hetzelfde product {product} (regel TR302); wijs het af (bijvoorbeeld reden 6 stapeling) of beëindig eerst de lopende toewijzing.", request.id),
                format!("Request {} overlaps toewijzing {number} for the same product {product} (rule TR302); refuse it (for instance reason 6) or end the running toewijzing first.", request.id),
            )
            .into());
        }
    }
    drop(rows);
    let fields = ProvisionFields {
        person_id: request.person_id,
        law: request.law,
        category,
        product,
        provider_id: Some(request.provider.id),
        start_on: start,
        end_on: line.end_on,
        volume,
        unit,
        frequency,
        financing: Financing::Zin,
        eigen_bijdrage: false,
        motivation: Some(format!(
            "Verzoek van {} (referentie {})",
            request.provider.name, request.reference
        )),
    };
    let id = insert_provision(tx, request.household_id, user, at, &fields)?;
    tx.execute(
        "UPDATE provision SET status = 'toegewezen', beschikking_on = ?1, beschikking_number = ?2,
             toewijzing_number = ?3, assigned_on = ?1 WHERE id = ?4",
        params![
            date_text(today),
            format!("V{}", request.id),
            format!("{id:09}"),
            id
        ],
    )?;
    Ok(id)
}

impl Store {
    /// The requests of providers, open ones first by arrival (all with `all`). Backoffice only;
    /// the listing is audited as one row.
    pub fn provider_requests(
        &mut self,
        session: &Session,
        all: bool,
    ) -> Result<Vec<ProviderRequest>> {
        authorize(session, Operation::DecideProvision, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT r.id FROM provider_request r JOIN household h ON h.id = r.household_id
                     WHERE h.erased_on IS NULL AND (?1 OR r.status = 'open')
                     ORDER BY r.status != 'open', r.received_on, r.id",
                )?;
                let rows = stmt.query_map([all], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.push(load_request(tx, id)?);
            }
            let event = AuditEvent {
                action: Action::Read,
                object: "worklist",
                object_id: None,
                household_id: None,
                person_id: None,
                detail: Some(format!("verzoeken: {}", out.len())),
            };
            audit::append(tx, now, &actor, &event)?;
            Ok(out)
        })
    }

    /// Grants request `id`: a verzoek om toewijzing becomes a toegewezen provision; a verzoek
    /// om wijziging changes the toewijzingen it names (a new end in place; a new volume ends the
    /// old toewijzing the day before and starts a new one) and adds its new products. The next
    /// 301 for the client carries it all. Backoffice only; audited on the household.
    pub fn grant_request(&mut self, session: &Session, id: i64, today: NaiveDate) -> Result<Grant> {
        authorize(session, Operation::DecideProvision, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        self.write(|tx| {
            let request = open_request(tx, id)?;
            let at = now.to_rfc3339();
            let mut provisions = Vec::new();
            for line in &request.lines {
                match line.action.as_str() {
                    "nieuw" => provisions.push(assign_new(tx, &request, line, user, &at, today)?),
                    "wijzig" => {
                        let Some(pid) = line.provision_id else { continue };
                        let p = tx.query_row(
                            &format!("SELECT {PROVISION_COLUMNS} FROM provision WHERE id = ?1"),
                            [pid],
                            |r| Ok(provision_row(r)),
                        )??;
                        if p.status == ProvisionStatus::Beeindigd {
                            return Err(Invalid::new("verzoek", format!("Toewijzing {pid} is inmiddels beëindigd; wijs het verzoek af."), format!("Toewijzing {pid} has ended meanwhile; refuse the request.")).into());
                        }
                        let from = line.start_on.unwrap_or(today);
                        let new_volume = line.volume.filter(|(v, u, f)| (*v, *u, *f) != (p.volume, p.unit, p.frequency));
                        match new_volume {
                            Some((volume, unit, frequency)) if from > p.start_on => {
                                tx.execute(
                                    "UPDATE provision SET end_on = ?1, change_reason = '12' WHERE id = ?2",
                                    params![date_text(from - Duration::days(1)), p.id],
                                )?;
                                let fields = ProvisionFields {
                                    person_id: p.person_id,
                                    law: p.law,
                                    category: p.category.clone(),
                                    product: p.product.clone(),
                                    provider_id: p.provider_id,
                                    start_on: from,
                                    end_on: line.end_on.or(p.end_on),
                                    volume,
                                    unit,
                                    frequency,
                                    financing: p.financing,
                                    eigen_bijdrage: p.eigen_bijdrage,
                                    motivation: Some(format!("Wijziging op verzoek van {} (referentie {})", request.provider.name, request.reference)),
                                };
                                let new = insert_provision(tx, p.household_id, user, &at, &fields)?;
                                tx.execute(
                                    "UPDATE provision SET status = 'toegewezen', beschikking_on = ?1, beschikking_number = ?2,
                                         toewijzing_number = ?3, assigned_on = ?4 WHERE id = ?5",
                                    params![
                                        p.beschikking.as_ref().map(|b| date_text(b.0)).unwrap_or_else(|| date_text(today)),
                                        p.beschikking.as_ref().map(|b| b.1.clone()).unwrap_or_else(|| format!("V{}", request.id)),
                                        format!("{new:09}"),
                                        date_text(today),
                                        new
                                    ],
                                )?;
                                provisions.push(p.id);
                                provisions.push(new);
                            }
                            Some((volume, unit, frequency)) => {
                                tx.execute(
                                    "UPDATE provision SET volume = ?1, unit = ?2, frequency = ?3, end_on = COALESCE(?4, end_on), change_reason = '12' WHERE id = ?5",
                                    params![volume, unit.code(), frequency.code(), line.end_on.map(date_text), p.id],
                                )?;
                                provisions.push(p.id);
                            }
                            None => {
                                if let Some(end) = line.end_on {
                                    tx.execute(
                                        "UPDATE provision SET end_on = ?1, change_reason = '12' WHERE id = ?2",
                                        params![date_text(end), p.id],
                                    )?;
                                    provisions.push(p.id);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            tx.execute(
                "UPDATE provider_request SET status = 'toegekend', decided_by = ?1, decided_at = ?2 WHERE id = ?3",
                params![user, at, request.id],
            )?;
            let event = AuditEvent::household(Action::Update, "verzoek", request.id, request.household_id)
                .with_person(request.person_id)
                .with_detail(format!(
                    "toegekend: verzoek {} van AGB {}, {} voorziening(en)",
                    request.reference,
                    request.provider.agb_code,
                    provisions.len()
                ));
            audit::append(tx, now, &actor, &event)?;
            Ok(Grant { request, provisions })
        })
    }

    /// Refuses request `id` with `reason` (code list `RedenAfwijzingVerzoek`), hands the 319
    /// to `deliver` and records both, or nothing when `deliver` fails. Backoffice only;
    /// audited on the household.
    pub fn refuse_request(
        &mut self,
        session: &Session,
        id: i64,
        reason: &str,
        today: NaiveDate,
        deliver: &mut dyn FnMut(&AnswerBatch) -> std::result::Result<(), Invalid>,
    ) -> Result<AnswerBatch> {
        authorize(session, Operation::DecideProvision, None)?;
        let reason = crate::domain::istandaard::parse_reason(reason)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        self.write(|tx| {
            let request = open_request(tx, id)?;
            let number = next_message_number(tx)?;
            let batch = AnswerBatch {
                provider: request.provider.clone(),
                law: request.law,
                identification: identification(number),
                dagtekening: today,
                reference: request.reference.clone(),
                reason: reason.to_string(),
            };
            let kind = crate::domain::istandaard::message_name(request.law, 319);
            tx.execute(
                "INSERT INTO outgoing_answer (number, kind, provider_id, identification, dagtekening, request_id, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![number, kind, request.provider.id, batch.identification, date_text(today), request.id, user, now.to_rfc3339()],
            )?;
            tx.execute(
                "UPDATE provider_request SET status = 'afgewezen', decided_by = ?1, decided_at = ?2, refusal_code = ?3, answer = ?4 WHERE id = ?5",
                params![user, now.to_rfc3339(), reason, batch.identification, request.id],
            )?;
            deliver(&batch)?;
            let event = AuditEvent::household(Action::Export, "verzoek", request.id, request.household_id)
                .with_person(request.person_id)
                .with_detail(format!(
                    "afgewezen (reden {reason}): {kind} {} aan AGB {}",
                    batch.identification, request.provider.agb_code
                ));
            audit::append(tx, now, &actor, &event)?;
            Ok(batch)
        })
    }
}

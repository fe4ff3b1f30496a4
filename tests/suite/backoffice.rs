//! Stories of the backoffice, on every backend (see `common`): providers and contracts, the
//! worklists with their counts, bulk actions and their undo, the worklist export's audit,
//! the toewijzing export, the message cycle with providers, and the steering report.
//! What a story sees on SQLite it must see, value for value, on PostgreSQL too.

use std::cell::RefCell;

use chrono::NaiveDate;
use keukentafel::auth::Session;
use keukentafel::domain::provision::{Financing, Frequency, Law, ProvisionFields, Unit};
use keukentafel::exchange::berichten::{
    Body, Delivery, Incoming, IncomingHeader, Kind, RequestedProduct, StartLine, Volume,
};
use keukentafel::i18n::Lang;
use keukentafel::model::changes::Change;
use keukentafel::model::exchange::{ExportFilter, Selection, ToewijzingBatch};
use keukentafel::model::providers::ContractFields;
use keukentafel::model::report::ReportRequest;
use keukentafel::model::worklists::{BulkAction, Worklist};
use keukentafel::store::{Backend, Missing, Refused, StoreError};

#[allow(unused_imports)]
use crate::common::*;

const AGB: &str = "73051234";
const GEMEENTE: &str = "0344";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// `n` distinct valid BSNs (the eleven test).
fn bsns(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut base = 10_000_000u32;
    while out.len() < n {
        base += 1;
        let digits: Vec<u32> = format!("{base:08}")
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let sum: u32 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let last = sum % 11;
        if last < 10 {
            out.push(format!("{base:08}{last}"));
        }
    }
    out
}

/// Remembers what the first backend showed and asserts every later one shows the same.
#[derive(Default)]
struct Same(RefCell<Vec<String>>);

impl Same {
    fn check(&self, db: &Db, index: usize, what: &impl serde::Serialize) {
        let shown = serde_json::to_string_pretty(what).unwrap();
        let mut seen = self.0.borrow_mut();
        if let Some(first) = seen.get(index) {
            assert_eq!(
                &shown, first,
                "{}: differs from the first backend",
                db.backend
            );
        } else {
            seen.push(shown);
        }
    }
}

/// The staffed database with a provider (AGB 73051234) contracted for 02A05 and 02A07 in 2026
/// and 2027, `n` households of anna (team Noord), each with a member with a BSN, and a
/// requested provision (02A05, 3 hours a week from 1 December 2026) for each.
struct World {
    store: Box<dyn Backend>,
    admin: Session,
    anna: Session,
    bo: Session,
    provider: i64,
    households: Vec<(i64, i64)>,
    provisions: Vec<i64>,
}

fn request(person_id: i64, financing: Financing, eigen_bijdrage: bool) -> ProvisionFields {
    ProvisionFields {
        person_id,
        law: Law::Wmo,
        category: "02".into(),
        product: "02A05".into(),
        provider_id: None,
        start_on: d(2026, 12, 1),
        end_on: Some(d(2027, 5, 31)),
        volume: 3,
        unit: Unit::Uur,
        frequency: Frequency::PerWeek,
        financing,
        eigen_bijdrage,
        motivation: Some("Schulden lopen op".into()),
    }
}

fn world(db: &Db, n: usize) -> World {
    let (mut store, admin) = staffed(db);
    let anna = login(store.as_ref(), "anna");
    let bo = login(store.as_ref(), "bo");
    let provider = store
        .add_provider(&bo, "Buurtzorg Utrecht", AGB, Some("030-1234567"))
        .unwrap()
        .id;
    for product in ["02A05", "02A07"] {
        store
            .add_contract(
                &bo,
                provider,
                &ContractFields {
                    product: product.into(),
                    tariff_cents: 6250,
                    unit: Unit::Uur,
                    valid_from: d(2026, 1, 1),
                    valid_to: Some(d(2027, 12, 31)),
                },
            )
            .unwrap();
    }
    let mut households = Vec::new();
    let mut provisions = Vec::new();
    for (i, bsn) in bsns(n).iter().enumerate() {
        let (h, p) = household_with_member(store.as_mut(), &anna, i, Some(bsn));
        let applied = store
            .apply(
                &anna,
                h,
                &Change::RequestProvision(request(p, Financing::Zin, i == 0)),
            )
            .unwrap_or_else(|e| panic!("{}: request: {e}", db.backend));
        households.push((h, p));
        provisions.push(applied.record_id);
    }
    World {
        store,
        admin,
        anna,
        bo,
        provider,
        households,
        provisions,
    }
}

fn counts(w: &mut World) -> Vec<(Worklist, usize)> {
    w.store.worklist_counts(&w.bo, today()).unwrap()
}

fn count(w: &mut World, list: Worklist) -> usize {
    counts(w)
        .into_iter()
        .find(|(l, _)| *l == list)
        .map_or(0, |(_, n)| n)
}

/// bo's audit rows of `object`, as (action, household, detail).
fn trail(w: &mut World, object: &str) -> Vec<(String, Option<i64>, Option<String>)> {
    w.store
        .user_trail(&w.admin, "bo")
        .unwrap()
        .into_iter()
        .filter(|r| r.object == object)
        .map(|r| (r.action, r.household_id, r.detail))
        .collect()
}

#[test]
fn the_backoffice_registers_providers_and_contracts_and_sees_what_is_offered() {
    let same = Same::default();
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let bo = login(store.as_ref(), "bo");
        let anna = login(store.as_ref(), "anna");
        let b = db.backend;
        let zorg = store
            .add_provider(&bo, "Zorg Oost", "12345678", None)
            .unwrap();
        let buurt = store
            .add_provider(&bo, "Buurtzorg Utrecht", AGB, Some("030-1234567"))
            .unwrap();
        let err = store
            .add_provider(&bo, "Andere naam", AGB, None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "AGB-code 73051234 is al van Buurtzorg Utrecht.",
            "{b}"
        );
        let err = store.add_provider(&anna, "Zorg West", "87654321", None);
        assert!(
            matches!(err, Err(StoreError::Denied { .. })),
            "{b}: a professional registers no providers: {err:?}"
        );
        let contract = |from, to| ContractFields {
            product: "02A05".into(),
            tariff_cents: 6250,
            unit: Unit::Uur,
            valid_from: from,
            valid_to: to,
        };
        store
            .add_contract(&bo, buurt.id, &contract(d(2026, 1, 1), None))
            .unwrap();
        store
            .add_contract(&bo, zorg.id, &contract(d(2026, 1, 1), Some(d(2026, 6, 30))))
            .unwrap();
        let err = store
            .add_contract(&bo, zorg.id, &contract(d(2026, 7, 1), Some(d(2026, 6, 30))))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Het contract eindigt voor het begint.",
            "{b}"
        );
        let err = store
            .add_contract(&bo, 999, &contract(d(2026, 1, 1), None))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Provider(999))),
            "{b}: {err:?}"
        );
        // By name: Buurtzorg before Zorg Oost; professionals may read them to choose one.
        let names: Vec<String> = store
            .providers(&anna)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["Buurtzorg Utrecht", "Zorg Oost"], "{b}");
        assert_eq!(store.contracts(&bo).unwrap().len(), 2, "{b}");
        // In spring both deliver 02A05; in the autumn only Buurtzorg's contract runs.
        let spring = store
            .contracted_providers(&anna, "02A05", d(2026, 3, 1))
            .unwrap();
        assert_eq!(spring.len(), 2, "{b}");
        let autumn = store
            .contracted_providers(&anna, "02A05", d(2026, 11, 1))
            .unwrap();
        assert_eq!(autumn, vec![buurt.clone()], "{b}");
        let offers = store.offers(&anna, d(2026, 11, 1)).unwrap();
        assert_eq!(offers.len(), 1, "{b}");
        assert_eq!(
            (offers[0].provider_id, offers[0].product.as_str()),
            (buurt.id, "02A05")
        );
        let contracts = store.contracts(&bo).unwrap();
        same.check(db, 0, &format!("{contracts:?} {offers:?} {spring:?}"));
    });
}

#[test]
fn the_backoffice_grants_assigns_and_undoes_a_selection_in_one_go() {
    let same = Same::default();
    each_backend(|db| {
        let mut w = world(db, 3);
        let b = db.backend;
        let before = counts(&mut w);
        assert_eq!(
            before
                .iter()
                .find(|(l, _)| *l == Worklist::AwaitingBeschikking),
            Some(&(Worklist::AwaitingBeschikking, 3)),
            "{b}: {before:?}"
        );
        assert_eq!(count(&mut w, Worklist::EigenBijdrageToCak), 0, "{b}");
        let items = w
            .store
            .worklist(&w.bo, Worklist::AwaitingBeschikking, today())
            .unwrap();
        assert_eq!(items.len(), 3, "{b}");
        assert_eq!(items[0].household, "Fam. Test 0", "{b}");
        assert_eq!(items[0].person, "Persoon 0", "{b}");
        assert!(items[0].bsn.is_some(), "{b}");
        same.check(db, 0, &items);
        // A professional has no worklists.
        let err = w
            .store
            .worklist(&w.anna, Worklist::AwaitingBeschikking, today());
        assert!(
            matches!(err, Err(StoreError::Denied { .. })),
            "{b}: {err:?}"
        );

        // Grant all three (one twice in the selection: done once) with numbered beschikkingen.
        let mut ids = w.provisions.clone();
        ids.push(w.provisions[0]);
        let grant = BulkAction::Grant {
            on: today(),
            number: " B-2026-100 ".into(),
        };
        let (n, undo) = w.store.bulk_undoable(&w.bo, &ids, &grant).unwrap();
        assert_eq!((n, undo.len()), (3, 3), "{b}");
        let granted = w
            .store
            .worklist(&w.bo, Worklist::AwaitingToewijzing, today())
            .unwrap();
        let numbers: Vec<String> = granted
            .iter()
            .map(|i| i.provision.beschikking.clone().unwrap().1)
            .collect();
        assert_eq!(
            numbers,
            ["B-2026-100-1", "B-2026-100-2", "B-2026-100-3"],
            "{b}"
        );
        assert_eq!(count(&mut w, Worklist::AwaitingBeschikking), 0, "{b}");
        // The one with an eigen bijdrage now waits for the CAK.
        assert_eq!(count(&mut w, Worklist::EigenBijdrageToCak), 1, "{b}");
        let rows = trail(&mut w, "provision");
        assert_eq!(rows.len(), 3, "{b}: one audit row per provision: {rows:?}");
        assert_eq!(rows[0].1, Some(w.households[0].0), "{b}");
        assert_eq!(rows[0].2.as_deref(), Some("toegekend B-2026-100-1"), "{b}");

        // Undo takes all three back, one audit row each.
        assert_eq!(w.store.undo_bulk(&w.bo, &undo).unwrap(), 3, "{b}");
        assert_eq!(count(&mut w, Worklist::AwaitingBeschikking), 3, "{b}");
        let back = w
            .store
            .worklist(&w.bo, Worklist::AwaitingBeschikking, today())
            .unwrap();
        assert_eq!(back, items, "{b}: the undo restores every column");
        let rows = trail(&mut w, "provision");
        assert_eq!(rows.len(), 6, "{b}");
        assert_eq!(rows[5].2.as_deref(), Some("ongedaan: bulkactie"), "{b}");

        // Grant and assign; an undo of the grant after the assignment is refused whole.
        let (_, undo) = w.store.bulk_undoable(&w.bo, &w.provisions, &grant).unwrap();
        let assign = BulkAction::Assign {
            provider_id: w.provider,
            on: today(),
        };
        assert_eq!(
            w.store.bulk(&w.bo, &w.provisions, &assign).unwrap(),
            3,
            "{b}"
        );
        let err = w.store.undo_bulk(&w.bo, &undo).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Voorziening {} is na de bulkactie nog gewijzigd; ongedaan maken kan niet meer.",
                w.provisions[0]
            ),
            "{b}"
        );
        let assigned = w
            .store
            .worklist(&w.bo, Worklist::WithoutStart, d(2026, 12, 31))
            .unwrap();
        assert_eq!(
            assigned.len(),
            3,
            "{b}: toegewezen, no start message after 14 days"
        );
        let toewijzingen: Vec<String> = assigned
            .iter()
            .map(|i| i.provision.toewijzing.clone().unwrap().0)
            .collect();
        assert_eq!(toewijzingen[0], format!("{:09}", w.provisions[0]), "{b}");
        assert_eq!(
            assigned[0].provider.as_deref(),
            Some("Buurtzorg Utrecht"),
            "{b}"
        );
        assert_eq!(
            count(&mut w, Worklist::WithoutStart),
            0,
            "{b}: assigned today"
        );
        same.check(db, 1, &assigned);
    });
}

#[test]
fn a_bulk_action_the_store_refuses_names_the_provision_and_changes_nothing() {
    each_backend(|db| {
        let mut w = world(db, 2);
        let b = db.backend;
        // A third household whose member has no BSN: no beschikking without one.
        let (h, p) = household_with_member(w.store.as_mut(), &w.anna, 7, None);
        let third = w
            .store
            .apply(
                &w.anna,
                h,
                &Change::RequestProvision(request(p, Financing::Pgb, false)),
            )
            .unwrap()
            .record_id;
        let mut ids = w.provisions.clone();
        ids.push(third);
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-7".into(),
        };
        let audit = trail(&mut w, "provision").len();
        let err = w.store.bulk(&w.bo, &ids, &grant).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Voorziening {third} (product 02A05): voor een beschikking is het BSN van het gezinslid nodig."
            ),
            "{b}"
        );
        assert_eq!(
            count(&mut w, Worklist::AwaitingBeschikking),
            3,
            "{b}: nothing granted"
        );
        assert_eq!(
            trail(&mut w, "provision").len(),
            audit,
            "{b}: nothing audited"
        );
        // An empty number, a provision that does not exist, a step that is not allowed.
        let err = w
            .store
            .bulk(
                &w.bo,
                &w.provisions,
                &BulkAction::Grant {
                    on: today(),
                    number: " ".into(),
                },
            )
            .unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "Voorziening {} (product 02A05): ",
                w.provisions[0]
            )),
            "{b}: {err}"
        );
        let err = w
            .store
            .bulk(&w.bo, &[w.provisions[0], 999], &grant)
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Provision(999))),
            "{b}: {err:?}"
        );
        let err = w
            .store
            .bulk(&w.bo, &w.provisions, &BulkAction::Start { on: today() })
            .unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "Voorziening {} (product 02A05): ",
                w.provisions[0]
            )),
            "{b}: {err}"
        );
        let err = w
            .store
            .bulk(
                &w.bo,
                &w.provisions,
                &BulkAction::End {
                    on: today(),
                    reason: "  ".into(),
                },
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{b}: {err:?}");
        // The PGB goes to the SVB once granted, and only once.
        w.store
            .bulk(
                &w.bo,
                &[third],
                &BulkAction::Refuse {
                    on: today(),
                    number: "A-1".into(),
                },
            )
            .unwrap();
        assert_eq!(count(&mut w, Worklist::AwaitingBeschikking), 2, "{b}");
        let err = w
            .store
            .bulk(&w.bo, &[third], &BulkAction::ReportSvb { on: today() })
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("alleen een toegekend of lopend PGB"),
            "{b}: {err}"
        );
        // The other team's professional and a professional have no bulk actions.
        let err = w.store.bulk(&w.anna, &w.provisions, &grant);
        assert!(
            matches!(err, Err(StoreError::Denied { .. })),
            "{b}: {err:?}"
        );
    });
}

#[test]
fn a_worklist_export_is_in_the_access_log_of_every_household_in_it_once() {
    each_backend(|db| {
        let mut w = world(db, 2);
        let b = db.backend;
        let (h0, h1) = (w.households[0].0, w.households[1].0);
        w.store
            .record_worklist_export(&w.bo, Worklist::AwaitingBeschikking, &[h1, h0, h1])
            .unwrap();
        let rows: Vec<_> = trail(&mut w, "worklist")
            .into_iter()
            .filter(|r| r.0 == "export")
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "export".to_string(),
                    Some(h0),
                    Some("werklijst beschikking".to_string())
                ),
                (
                    "export".to_string(),
                    Some(h1),
                    Some("werklijst beschikking".to_string())
                ),
            ],
            "{b}"
        );
        let log = w.store.household_access_log(&w.admin, h1).unwrap();
        assert_eq!(
            log.iter()
                .filter(|e| e.username == "bo" && e.object == "worklist")
                .count(),
            1,
            "{b}: {log:?}"
        );
        let err = w
            .store
            .record_worklist_export(&w.anna, Worklist::AwaitingBeschikking, &[h0]);
        assert!(
            matches!(err, Err(StoreError::Denied { .. })),
            "{b}: {err:?}"
        );
    });
}

fn assigned_world(db: &Db, n: usize) -> World {
    let mut w = world(db, n);
    let grant = BulkAction::Grant {
        on: today(),
        number: "B-1".into(),
    };
    w.store.bulk(&w.bo, &w.provisions, &grant).unwrap();
    let assign = BulkAction::Assign {
        provider_id: w.provider,
        on: today(),
    };
    w.store.bulk(&w.bo, &w.provisions, &assign).unwrap();
    w
}

fn export(w: &mut World, selection: Selection) -> Vec<ToewijzingBatch> {
    let mut delivered = Vec::new();
    let batches = w
        .store
        .export_toewijzingen(
            &w.bo,
            &ExportFilter::default(),
            selection,
            today(),
            &mut |batch| {
                delivered.push(batch.identification.clone());
                Ok(())
            },
        )
        .unwrap();
    let ids: Vec<String> = batches.iter().map(|b| b.identification.clone()).collect();
    assert_eq!(ids, delivered, "every batch returned was delivered");
    batches
}

#[test]
fn toewijzingen_leave_once_per_client_and_a_failed_delivery_marks_nothing() {
    let same = Same::default();
    each_backend(|db| {
        let mut w = assigned_world(db, 2);
        let b = db.backend;
        // A delivery that fails (the disk is full) marks nothing.
        let err = w
            .store
            .export_toewijzingen(
                &w.bo,
                &ExportFilter::default(),
                Selection::New,
                today(),
                &mut |_| {
                    Err(keukentafel::domain::Invalid::new(
                        "file",
                        "De schijf is vol.",
                        "Disk full.",
                    ))
                },
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "De schijf is vol.", "{b}");
        let batches = export(&mut w, Selection::New);
        assert_eq!(batches.len(), 2, "{b}: one 301 per client");
        assert_eq!(batches[0].identification, "KT0000000001", "{b}");
        assert_eq!(batches[1].identification, "KT0000000002", "{b}");
        assert!(
            batches.iter().all(|b| b.items.len() == 1 && b.items[0].new),
            "{b}"
        );
        assert_eq!(batches[0].client.name, "Persoon 0", "{b}");
        same.check(db, 0, &format!("{batches:?}"));
        assert!(
            export(&mut w, Selection::New).is_empty(),
            "{b}: nothing new"
        );
        let all = export(&mut w, Selection::All);
        assert_eq!(all.len(), 2, "{b}");
        assert!(
            all.iter()
                .all(|b| !b.items[0].new && b.items[0].change.is_none()),
            "{b}"
        );
        // An end by the backoffice is sent again with its reason.
        w.store
            .bulk(
                &w.bo,
                &w.provisions[..1],
                &BulkAction::End {
                    on: d(2027, 2, 28),
                    reason: "Doel bereikt".into(),
                },
            )
            .unwrap();
        let changed = export(&mut w, Selection::New);
        assert_eq!(changed.len(), 1, "{b}");
        assert_eq!(changed[0].items[0].end_on, Some(d(2027, 2, 28)), "{b}");
        assert!(changed[0].items[0].change.is_some(), "{b}");
        let rows = trail(&mut w, "toewijzing");
        assert_eq!(rows.len(), 5, "{b}: one audit row per message: {rows:?}");
        assert_eq!(rows[0].1, Some(w.households[0].0), "{b}");
        assert_eq!(
            rows[0].2.as_deref(),
            Some("WMO301 KT0000000001 aan AGB 73051234: 1 toewijzing(en), 0 gewijzigd"),
            "{b}"
        );
        // Another provider's filter: an unknown AGB code.
        let err = w
            .store
            .export_toewijzingen(
                &w.bo,
                &ExportFilter {
                    provider: Some("99999999".into()),
                    ..ExportFilter::default()
                },
                Selection::All,
                today(),
                &mut |_| Ok(()),
            )
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::ProviderAgb(_))),
            "{b}: {err:?}"
        );
    });
}

fn header(kind: Kind, id: &str) -> IncomingHeader {
    IncomingHeader {
        law: Law::Wmo,
        kind,
        sender: AGB.into(),
        receiver: GEMEENTE.into(),
        identification: id.into(),
        dagtekening: d(2026, 12, 2),
    }
}

fn requested(reference: &str, code: &str) -> RequestedProduct {
    RequestedProduct {
        location: "/Bericht/Client/OngewijzigdProduct[1]".into(),
        reference: reference.into(),
        category: "02".into(),
        code: code.into(),
        start: d(2027, 1, 1),
        end: Some(d(2027, 6, 30)),
        volume: Volume {
            volume: 2,
            unit: Unit::Uur,
            frequency: Frequency::PerWeek,
        },
        referrer: None,
        comment: Some("Graag snel".into()),
    }
}

#[test]
fn a_provider_starts_care_asks_for_more_and_is_answered() {
    let same = Same::default();
    each_backend(|db| {
        let mut w = assigned_world(db, 2);
        let b = db.backend;
        export(&mut w, Selection::New);
        let bsn = bsns(2)[1].clone();
        let number = u64::try_from(w.provisions[1]).unwrap();
        let start = Incoming {
            header: header(Kind::Start, "S-1"),
            bsn: bsn.clone(),
            body: Body::Start(vec![StartLine {
                location: "/Bericht/Client/StartProduct[1]".into(),
                number,
                begin: d(2026, 12, 3),
                delivery: Delivery::First,
            }]),
        };
        let applied = w
            .store
            .apply_message(&w.bo, "s1.xml", &start, GEMEENTE)
            .unwrap();
        assert_eq!(applied.message, "WMO305", "{b}");
        assert_eq!(applied.household_id, w.households[1].0, "{b}");
        assert_eq!(
            applied.summary, "1 start(s) vastgelegd, 0 verwijderd",
            "{b}"
        );
        let again = w
            .store
            .apply_message(&w.bo, "s1-kopie.xml", &start, GEMEENTE)
            .unwrap_err();
        assert!(
            again.to_string().starts_with(
                "/Bericht/Header/BerichtIdentificatie: bericht S-1 van AGB 73051234 is al ingelezen (2026-11-23, uit s1.xml)"
            ),
            "{b}: {again}"
        );
        let elsewhere = w
            .store
            .apply_message(&w.bo, "s1.xml", &start, "0363")
            .unwrap_err();
        assert!(
            elsewhere
                .to_string()
                .starts_with("/Bericht/Header/Ontvanger: "),
            "{b}"
        );
        let mut unknown = start.clone();
        unknown.header.identification = "S-2".into();
        unknown.body = Body::Start(vec![StartLine {
            location: "/Bericht/Client/StartProduct[1]".into(),
            number: 424_242,
            begin: d(2026, 12, 3),
            delivery: Delivery::First,
        }]);
        let err = w
            .store
            .apply_message(&w.bo, "s2.xml", &unknown, GEMEENTE)
            .unwrap_err();
        assert!(
            err.to_string().starts_with(
                "/Bericht/Client/StartProduct[1]/ToewijzingNummer: toewijzing 424242 is onbekend"
            ),
            "{b}: {err}"
        );
        let started = w
            .store
            .worklist(&w.bo, Worklist::WithoutStart, d(2026, 12, 31))
            .unwrap();
        assert_eq!(started.len(), 1, "{b}: the started one left the list");
        assert_eq!(started[0].provision.id, w.provisions[0], "{b}");

        // Two requests: one is granted (a new toewijzing), one refused with a 319.
        let ask = Incoming {
            header: header(Kind::Request, "V-1"),
            bsn,
            body: Body::Request(vec![
                requested("REF-1", "02A07"),
                requested("REF-2", "02A05"),
            ]),
        };
        let applied = w
            .store
            .apply_message(&w.bo, "v1.xml", &ask, GEMEENTE)
            .unwrap();
        assert_eq!(
            applied.summary, "2 verzoek(en) om toewijzing op de werklijst",
            "{b}"
        );
        let open = w.store.provider_requests(&w.bo, false).unwrap();
        assert_eq!(open.len(), 2, "{b}");
        assert_eq!(open[0].reference, "REF-1", "{b}");
        assert_eq!(open[0].household, "Fam. Test 1", "{b}");
        assert_eq!(open[0].lines.len(), 1, "{b}");
        same.check(db, 0, &format!("{open:?}"));
        let grant = w.store.grant_request(&w.bo, open[0].id, today()).unwrap();
        assert_eq!(grant.provisions.len(), 1, "{b}");
        let err = w
            .store
            .grant_request(&w.bo, open[0].id, today())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Verzoek {} is al toegekend.", open[0].id),
            "{b}"
        );
        // The second overlaps the running toewijzing of 02A05 (rule TR302).
        let err = w
            .store
            .grant_request(&w.bo, open[1].id, today())
            .unwrap_err();
        assert!(err.to_string().contains("(regel TR302)"), "{b}: {err}");
        let mut answered = Vec::new();
        let answer = w
            .store
            .refuse_request(&w.bo, open[1].id, "6", today(), &mut |a| {
                answered.push(a.identification.clone());
                Ok(())
            })
            .unwrap();
        assert_eq!(answered, vec![answer.identification.clone()], "{b}");
        assert_eq!(
            answer.identification, "KT0000000003",
            "{b}: after the two 301s"
        );
        assert_eq!(answer.reference, "REF-2", "{b}");
        assert!(
            w.store.provider_requests(&w.bo, false).unwrap().is_empty(),
            "{b}"
        );
        let all = w.store.provider_requests(&w.bo, true).unwrap();
        assert_eq!(all.len(), 2, "{b}");
        assert_eq!(
            all[1].refusal.as_deref(),
            Some(answer.reason.as_str()),
            "{b}"
        );
        let rows = trail(&mut w, "verzoek");
        assert_eq!(rows.len(), 2, "{b}: {rows:?}");
        assert_eq!(rows[0].1, Some(w.households[1].0), "{b}");
        // The granted request goes out with the next 301.
        let next = export(&mut w, Selection::New);
        assert_eq!(next.len(), 1, "{b}");
        assert_eq!(next[0].identification, "KT0000000004", "{b}");
        assert_eq!(next[0].items.iter().filter(|i| i.new).count(), 1, "{b}");
        let err = w.store.provider_requests(&w.anna, true);
        assert!(
            matches!(err, Err(StoreError::Denied { .. })),
            "{b}: {err:?}"
        );
    });
}

#[test]
fn the_steering_report_is_the_same_on_every_backend_and_stays_in_its_scope() {
    let same = Same::default();
    each_backend(|db| {
        let mut w = assigned_world(db, 6);
        let b = db.backend;
        let tl = login(w.store.as_ref(), "tl");
        let bram = login(w.store.as_ref(), "bram");
        let reference = keukentafel::domain::reference::ReferenceData::embedded();
        let year = ReportRequest {
            from: d(2026, 1, 1),
            to: d(2026, 12, 31),
            team: None,
        };
        let report = w
            .store
            .steering_report(&tl, &year, &reference, Lang::Nl)
            .unwrap();
        assert_eq!(report.scope, "Noord", "{b}");
        same.check(db, 0, &report);
        let text = serde_json::to_string(&report).unwrap();
        assert!(
            text.contains("Wmo"),
            "{b}: six provisions in force show: {text}"
        );
        // The backoffice sees provisions only, of every team.
        let backoffice = w
            .store
            .steering_report(&w.bo, &year, &reference, Lang::Nl)
            .unwrap();
        same.check(db, 1, &backoffice);
        // Another team's figures are refused; an unknown team is not found.
        let noord = ReportRequest {
            team: Some("noord".into()),
            ..year.clone()
        };
        let err = w.store.steering_report(&bram, &noord, &reference, Lang::Nl);
        assert!(
            matches!(
                err,
                Err(StoreError::Denied {
                    refused: Refused::OtherTeamReport,
                    ..
                })
            ),
            "{b}: {err:?}"
        );
        let nowhere = ReportRequest {
            team: Some("Oost".into()),
            ..year.clone()
        };
        let err = w.store.steering_report(&tl, &nowhere, &reference, Lang::Nl);
        assert!(
            matches!(err, Err(StoreError::NotFound(Missing::TeamName(_)))),
            "{b}: {err:?}"
        );
        let reports: Vec<_> = w
            .store
            .user_trail(&w.admin, "tl")
            .unwrap()
            .into_iter()
            .filter(|r| r.object == "report")
            .map(|r| r.detail.unwrap_or_default())
            .collect();
        assert_eq!(
            reports,
            ["stuurcijfers 2026-01-01..2026-12-31 team=Noord"],
            "{b}"
        );
    });
}

#[test]
fn a_provider_stops_care_takes_the_stop_back_and_asks_for_more_hours() {
    use keukentafel::domain::provision::ProvisionStatus;
    use keukentafel::exchange::berichten::{ChangedProduct, StopLine};
    use keukentafel::exchange::toewijzing::ChangeReason;
    let same = Same::default();
    each_backend(|db| {
        let mut w = assigned_world(db, 1);
        let b = db.backend;
        export(&mut w, Selection::New);
        let bsn = bsns(1)[0].clone();
        let p0 = w.provisions[0];
        let number = u64::try_from(p0).unwrap();
        let message = |kind, id: &str, body| Incoming {
            header: header(kind, id),
            bsn: bsn.clone(),
            body,
        };
        let start = message(
            Kind::Start,
            "S-1",
            Body::Start(vec![StartLine {
                location: "/Bericht/Client/StartProduct[1]".into(),
                number,
                begin: d(2026, 12, 3),
                delivery: Delivery::First,
            }]),
        );
        w.store
            .apply_message(&w.bo, "s1.xml", &start, GEMEENTE)
            .unwrap();
        let stop = |id: &str, end, delivery| {
            message(
                Kind::Stop,
                id,
                Body::Stop(vec![StopLine {
                    location: "/Bericht/Client/StopProduct[1]".into(),
                    number,
                    begin: d(2026, 12, 3),
                    end,
                    reason: "02".into(),
                    delivery,
                }]),
            )
        };
        // An end before the start is refused with its rule code.
        let err = w
            .store
            .apply_message(
                &w.bo,
                "t0.xml",
                &stop("T-0", d(2026, 12, 1), Delivery::First),
                GEMEENTE,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/Bericht/Client/StopProduct[1]/Einddatum: de einddatum ligt voor de begindatum. [TR018]",
            "{b}"
        );
        let applied = w
            .store
            .apply_message(
                &w.bo,
                "t1.xml",
                &stop("T-1", d(2027, 1, 31), Delivery::First),
                GEMEENTE,
            )
            .unwrap();
        assert_eq!(applied.summary, "1 stop(s) vastgelegd, 0 verwijderd", "{b}");
        let ended = export(&mut w, Selection::All);
        let item = &ended[0].items[0];
        assert_eq!(item.provision.status, ProvisionStatus::Beeindigd, "{b}");
        assert_eq!(item.end_on, Some(d(2027, 1, 31)), "{b}");
        assert_eq!(item.change, Some(ChangeReason::ByProvider), "{b}");
        assert_eq!(item.provision.care.end_reason.as_deref(), Some("02"), "{b}");
        // The provider takes the stop back: the toewijzing runs again.
        let applied = w
            .store
            .apply_message(
                &w.bo,
                "t2.xml",
                &stop("T-2", d(2027, 1, 31), Delivery::Withdraw),
                GEMEENTE,
            )
            .unwrap();
        assert_eq!(applied.summary, "0 stop(s) vastgelegd, 1 verwijderd", "{b}");
        let running = export(&mut w, Selection::All);
        let item = &running[0].items[0];
        assert_eq!(item.provision.status, ProvisionStatus::Gestart, "{b}");
        assert_eq!(item.provision.ended, None, "{b}");
        assert_eq!(item.provision.care.ended_on, None, "{b}");
        assert_eq!(item.end_on, Some(d(2027, 5, 31)), "{b}");
        assert_eq!(item.change, Some(ChangeReason::ByProvider), "{b}");
        // A verzoek om wijziging: five hours a week from February.
        let more = message(
            Kind::Change,
            "W-1",
            Body::Change {
                reference: "WIJZ-1".into(),
                reason: "02".into(),
                unchanged: Vec::new(),
                changes: vec![ChangedProduct {
                    location: "/Bericht/Client/TeWijzigenProduct[1]".into(),
                    number,
                    from: d(2027, 2, 1),
                    end: None,
                    volume: Some(Volume {
                        volume: 5,
                        unit: Unit::Uur,
                        frequency: Frequency::PerWeek,
                    }),
                }],
                new: Vec::new(),
            },
        );
        let applied = w
            .store
            .apply_message(&w.bo, "w1.xml", &more, GEMEENTE)
            .unwrap();
        assert_eq!(
            applied.summary, "verzoek om wijziging op de werklijst (1 te wijzigen, 0 nieuw)",
            "{b}"
        );
        let open = w.store.provider_requests(&w.bo, false).unwrap();
        assert_eq!(open.len(), 1, "{b}");
        assert_eq!(open[0].lines[0].provision_id, Some(p0), "{b}");
        let grant = w.store.grant_request(&w.bo, open[0].id, today()).unwrap();
        assert_eq!(
            grant.provisions.len(),
            2,
            "{b}: the old one ends, a new one starts"
        );
        assert_eq!(grant.provisions[0], p0, "{b}");
        let next = export(&mut w, Selection::New);
        assert_eq!(next.len(), 1, "{b}");
        let items = &next[0].items;
        assert_eq!(items.len(), 2, "{b}: {items:?}");
        assert_eq!(items[0].end_on, Some(d(2027, 1, 31)), "{b}");
        assert_eq!(items[1].provision.volume, 5, "{b}");
        assert_eq!(items[1].provision.start_on, d(2027, 2, 1), "{b}");
        assert!(items[1].new, "{b}");
        same.check(db, 0, &format!("{next:?}"));
    });
}

#[test]
fn the_worklists_follow_a_provision_from_beschikking_to_svb_cak_and_end() {
    let same = Same::default();
    each_backend(|db| {
        let mut w = world(db, 2);
        let b = db.backend;
        let bsn = bsns(3)[2].clone();
        let (h, p) = household_with_member(w.store.as_mut(), &w.anna, 2, Some(&bsn));
        let pgb = w
            .store
            .apply(
                &w.anna,
                h,
                &Change::RequestProvision(request(p, Financing::Pgb, false)),
            )
            .unwrap()
            .record_id;
        let mut all = w.provisions.clone();
        all.push(pgb);
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-9".into(),
        };
        w.store.bulk(&w.bo, &all, &grant).unwrap();
        let shown =
            |w: &mut World| -> Vec<usize> { counts(w).into_iter().map(|(_, n)| n).collect() };
        // Screen order: beschikking, toewijzing, zonder start, SVB, CAK, ending soon.
        assert_eq!(
            shown(&mut w),
            [0, 2, 0, 1, 1, 0],
            "{b}: {:?}",
            counts(&mut w)
        );
        w.store
            .bulk(&w.bo, &[pgb], &BulkAction::ReportSvb { on: today() })
            .unwrap();
        let err = w
            .store
            .bulk(&w.bo, &[pgb], &BulkAction::ReportSvb { on: today() })
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Voorziening {pgb} (product 02A05): deze is al bij de SVB gemeld."),
            "{b}"
        );
        w.store
            .bulk(
                &w.bo,
                &w.provisions[..1],
                &BulkAction::NotifyCak { on: today() },
            )
            .unwrap();
        assert_eq!(shown(&mut w), [0, 2, 0, 0, 0, 0], "{b}");
        // In April all three end within eight weeks (31 May); the ended one leaves the list.
        let april = d(2027, 4, 15);
        let ending = w
            .store
            .worklist(&w.bo, Worklist::EndingSoon, april)
            .unwrap();
        assert_eq!(ending.len(), 3, "{b}");
        assert_eq!(ending[2].provision.svb_reported_on, Some(today()), "{b}");
        w.store
            .bulk(&w.bo, &[pgb], &BulkAction::Start { on: today() })
            .unwrap();
        w.store
            .bulk(
                &w.bo,
                &w.provisions[1..],
                &BulkAction::End {
                    on: d(2027, 3, 31),
                    reason: "Verhuisd".into(),
                },
            )
            .unwrap();
        let ending = w
            .store
            .worklist(&w.bo, Worklist::EndingSoon, april)
            .unwrap();
        let ids: Vec<i64> = ending.iter().map(|i| i.provision.id).collect();
        assert_eq!(ids, [w.provisions[0], pgb], "{b}");
        assert_eq!(shown(&mut w), [0, 1, 0, 0, 0, 0], "{b}");
        same.check(db, 0, &ending);
    });
}

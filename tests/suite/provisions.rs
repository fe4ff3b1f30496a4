//! Provisions through the store: a professional's request from the dashboard, the backoffice's
//! worklists and bulk actions (all or nothing, audited per household), providers and contracts,
//! and every refusal the issue names.

use crate::privacy_world;

use crate::common::{query_row, query_rows};
use keukentafel::domain::household::PersonFields;
use keukentafel::domain::provision::{
    Financing, Frequency, Law, ProvisionFields, ProvisionStatus, Unit,
};
use keukentafel::model::changes::{Change, Undo};
use keukentafel::model::providers::ContractFields;
use keukentafel::model::worklists::{BulkAction, Worklist};
use keukentafel::store::{Missing, StoreError};
use privacy_world::{World, audit_rows, date, each_world, today};

fn request(financing: Financing, person: i64) -> ProvisionFields {
    ProvisionFields {
        person_id: person,
        law: Law::Wmo,
        category: "02".into(),
        product: "02A05".into(),
        provider_id: None,
        start_on: date(2026, 12, 1),
        end_on: Some(date(2027, 5, 31)),
        volume: 3,
        unit: Unit::Uur,
        frequency: Frequency::PerWeek,
        financing,
        eigen_bijdrage: true,
        motivation: Some("Overzicht in de administratie".into()),
    }
}

/// Anna requests a provision for Fatima; returns its id.
fn requested(w: &mut World, financing: Financing) -> i64 {
    let h = w.overvecht_household;
    let change = Change::RequestProvision(request(financing, w.fatima));
    let anna = w.anna.clone();
    w.store.apply(&anna, h, &change).unwrap().record_id
}

/// The status the database holds for provision `id`.
fn status(w: &World, id: i64) -> String {
    let row = query_row(
        &w.db,
        &format!("SELECT status FROM provision WHERE id = {id}"),
    );
    row[0].clone().expect("a status")
}

/// A provider contracted for 02A05 from 2026.
fn contracted_provider(w: &mut World) -> i64 {
    let carla = w.carla.clone();
    let p = w
        .store
        .add_provider(
            &carla,
            "Buurtzorg Utrecht",
            "7305 1234",
            Some("030 123 4567"),
        )
        .unwrap();
    w.store
        .add_contract(
            &carla,
            p.id,
            &ContractFields {
                product: "02A05".into(),
                tariff_cents: 6250,
                unit: Unit::Uur,
                valid_from: date(2026, 1, 1),
                valid_to: None,
            },
        )
        .unwrap();
    p.id
}

#[test]
fn a_request_shows_on_the_dashboard_and_can_be_withdrawn_until_decided() {
    each_world(|mut w| {
        let h = w.overvecht_household;
        let anna = w.anna.clone();
        let applied = w
            .store
            .apply(
                &anna,
                h,
                &Change::RequestProvision(request(Financing::Zin, w.fatima)),
            )
            .unwrap();
        let dashboard = applied
            .dashboard
            .expect("a professional sees the dashboard");
        let p = &dashboard.provisions[0];
        assert_eq!(
            (p.status, p.product.as_str()),
            (ProvisionStatus::Aangevraagd, "02A05")
        );
        assert_eq!(applied.undo, Some(Undo::RemoveProvision(p.id)));
        w.store
            .apply(&anna, h, &Change::Undo(Undo::RemoveProvision(p.id)))
            .unwrap();
        assert_eq!(
            w.store.load_dashboard(&anna, h).unwrap().provisions.len(),
            0
        );

        // Once the backoffice decided, a withdrawal is refused.
        let id = requested(&mut w, Financing::Zin);
        let carla = w.carla.clone();
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-2026-001".into(),
        };
        w.store.bulk(&carla, &[id], &grant).unwrap();
        let e = w
            .store
            .apply(&anna, h, &Change::Undo(Undo::RemoveProvision(id)))
            .unwrap_err();
        assert!(e.to_string().contains("al beslist"), "{e}");
    });
}

#[test]
fn the_worklists_follow_the_status_from_request_to_end() {
    each_world(|mut w| {
        let carla = w.carla.clone();
        let zin = requested(&mut w, Financing::Zin);
        let pgb = requested(&mut w, Financing::Pgb);
        let on = |w: &mut World, list| -> Vec<i64> {
            let carla = w.carla.clone();
            w.store
                .worklist(&carla, list, today())
                .unwrap()
                .into_iter()
                .map(|i| i.provision.id)
                .collect()
        };
        assert_eq!(on(&mut w, Worklist::AwaitingBeschikking), vec![zin, pgb]);
        assert!(on(&mut w, Worklist::AwaitingToewijzing).is_empty());

        let grant = BulkAction::Grant {
            on: today(),
            number: "B-2026-7".into(),
        };
        assert_eq!(w.store.bulk(&carla, &[zin, pgb], &grant).unwrap(), 2);
        assert!(on(&mut w, Worklist::AwaitingBeschikking).is_empty());
        assert_eq!(
            on(&mut w, Worklist::AwaitingToewijzing),
            vec![zin],
            "a PGB is not assigned"
        );
        assert_eq!(on(&mut w, Worklist::PgbToSvb), vec![pgb]);
        assert_eq!(on(&mut w, Worklist::EigenBijdrageToCak), vec![zin, pgb]);
        let numbers: Vec<Option<String>> = query_rows(
            &w.db,
            "SELECT beschikking_number FROM provision ORDER BY id",
        )
        .into_iter()
        .map(|row| row[0].clone())
        .collect();
        assert_eq!(
            numbers,
            [
                Some("B-2026-7-1".to_string()),
                Some("B-2026-7-2".to_string())
            ]
        );

        let provider = contracted_provider(&mut w);
        let assign = BulkAction::Assign {
            provider_id: provider,
            on: today(),
        };
        w.store.bulk(&carla, &[zin], &assign).unwrap();
        assert_eq!(status(&w, zin), "toegewezen");
        assert!(on(&mut w, Worklist::AwaitingToewijzing).is_empty());
        w.store
            .bulk(&carla, &[pgb], &BulkAction::ReportSvb { on: today() })
            .unwrap();
        assert!(on(&mut w, Worklist::PgbToSvb).is_empty());
        w.store
            .bulk(&carla, &[zin, pgb], &BulkAction::NotifyCak { on: today() })
            .unwrap();
        assert!(on(&mut w, Worklist::EigenBijdrageToCak).is_empty());

        // Both end on 31-05-2027: within eight weeks of 15-04-2027, not of today.
        assert!(on(&mut w, Worklist::EndingSoon).is_empty());
        let later: Vec<i64> = w
            .store
            .worklist(&carla, Worklist::EndingSoon, date(2027, 4, 15))
            .unwrap()
            .into_iter()
            .map(|i| i.provision.id)
            .collect();
        assert_eq!(later, vec![zin, pgb]);

        w.store
            .bulk(&carla, &[zin, pgb], &BulkAction::Start { on: today() })
            .unwrap();
        let end = BulkAction::End {
            on: date(2027, 1, 31),
            reason: "Doel bereikt".into(),
        };
        w.store.bulk(&carla, &[zin, pgb], &end).unwrap();
        assert_eq!(
            (status(&w, zin), status(&w, pgb)),
            ("beeindigd".into(), "beeindigd".into())
        );
    });
}

#[test]
fn a_bulk_action_is_all_or_nothing_and_names_the_provision_it_refused() {
    each_world(|mut w| {
        let carla = w.carla.clone();
        let first = requested(&mut w, Financing::Zin);
        let second = requested(&mut w, Financing::Zin);
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-1".into(),
        };
        w.store.bulk(&carla, &[second], &grant).unwrap();
        let before = audit_rows(&w);
        // `second` is granted already: granting both refuses and changes neither.
        let e = w.store.bulk(&carla, &[first, second], &grant).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(&format!("Voorziening {second}")), "{text}");
        assert!(text.contains("'toegekend'"), "{text}");
        assert_eq!(status(&w, first), "aangevraagd");
        assert_eq!(
            audit_rows(&w),
            before,
            "nothing written, not even audit rows"
        );

        // Each changed provision has its own audit row with its household.
        let after = audit_rows(&w);
        w.store.bulk(&carla, &[first], &grant).unwrap();
        assert_eq!(audit_rows(&w), after + 1);
    });
}

#[test]
fn a_bulk_selection_holding_an_erased_household_changes_nothing_and_names_its_provision() {
    each_world(|mut w| {
        let carla = w.carla.clone();
        let bram = w.bram.clone();
        let beheer = w.beheer.clone();
        let live = requested(&mut w, Financing::Zin);
        // Zuid's household requests one too, then closes and is erased after the retention period.
        let zuid = w.zuid_household;
        let member: i64 = query_row(
        &w.db,
        &format!("SELECT CAST(id AS TEXT) FROM person WHERE household_id = {zuid} ORDER BY id LIMIT 1"),
    )[0]
    .as_deref()
    .and_then(|id| id.parse().ok())
    .expect("Zuid's member");
        let gone = w
            .store
            .apply(
                &bram,
                zuid,
                &Change::RequestProvision(request(Financing::Zin, member)),
            )
            .unwrap()
            .record_id;
        let another = requested(&mut w, Financing::Zin);
        w.store
            .close_household(&bram, zuid, today(), "verhuisd")
            .unwrap();
        w.store
            .erase_household(
                &beheer,
                zuid,
                "bewaartermijn verstreken",
                &keukentafel::domain::retention::RetentionPolicy::default(),
                date(2045, 1, 1),
                true,
            )
            .unwrap();
        let on_list: Vec<i64> = w
            .store
            .worklist(&carla, Worklist::AwaitingBeschikking, today())
            .unwrap()
            .iter()
            .map(|i| i.provision.id)
            .collect();
        assert_eq!(
            on_list,
            vec![live, another],
            "the erased one is off the list"
        );

        // A selection made before the erasure still holds it: the whole bulk is refused, names the
        // provision and changes nothing, not even the audit log.
        let before = audit_rows(&w);
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-7".into(),
        };
        let e = w
            .store
            .bulk(&carla, &[live, gone, another], &grant)
            .unwrap_err();
        assert!(
            matches!(e, StoreError::NotFound(Missing::Provision(id)) if id == gone),
            "{e:?}"
        );
        let text = e.to_string();
        assert!(text.contains(&format!("Voorziening {gone}")), "{text}");
        assert_eq!(
            (status(&w, live), status(&w, gone), status(&w, another)),
            (
                "aangevraagd".into(),
                "aangevraagd".into(),
                "aangevraagd".into()
            )
        );
        assert_eq!(audit_rows(&w), before, "nothing written");

        // Without it the same bulk goes through, each once even when selected twice.
        assert_eq!(
            w.store
                .bulk(&carla, &[another, live, another, live], &grant)
                .unwrap(),
            2
        );
        assert_eq!(
            (status(&w, live), status(&w, another)),
            ("toegekend".into(), "toegekend".into())
        );
        assert_eq!(audit_rows(&w), before + 2);
        assert_eq!(status(&w, gone), "aangevraagd");
    });
}

#[test]
fn a_beschikking_needs_the_bsn_and_a_toewijzing_a_contracted_provider() {
    each_world(|mut w| {
        let carla = w.carla.clone();
        let anna = w.anna.clone();
        let h = w.overvecht_household;
        // A member without BSN.
        let child = w
            .store
            .add_person(
                &anna,
                h,
                &PersonFields::parse("Sara El Amrani", Some(date(2017, 3, 1)), "kind", None, None)
                    .unwrap(),
            )
            .unwrap()
            .id;
        let id = w
            .store
            .apply(
                &anna,
                h,
                &Change::RequestProvision(request(Financing::Zin, child)),
            )
            .unwrap()
            .record_id;
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-9".into(),
        };
        let e = w.store.bulk(&carla, &[id], &grant).unwrap_err();
        assert!(e.to_string().contains("BSN"), "{e}");
        assert_eq!(status(&w, id), "aangevraagd");

        let other = requested(&mut w, Financing::Zin);
        w.store.bulk(&carla, &[other], &grant).unwrap();
        let uncontracted = w
            .store
            .add_provider(&carla, "Zonder Contract", "12345678", None)
            .unwrap()
            .id;
        let e = w
            .store
            .bulk(
                &carla,
                &[other],
                &BulkAction::Assign {
                    provider_id: uncontracted,
                    on: today(),
                },
            )
            .unwrap_err();
        assert!(e.to_string().contains("geen contract"), "{e}");

        // A request naming an uncontracted provider is refused at the kitchen table too.
        let mut fields = request(Financing::Zin, w.fatima);
        fields.provider_id = Some(uncontracted);
        let e = w
            .store
            .apply(&anna, h, &Change::RequestProvision(fields))
            .unwrap_err();
        assert!(e.to_string().contains("geen contract"), "{e}");
    });
}

#[test]
fn refusals_name_the_field_and_roles_are_kept_apart() {
    each_world(|mut w| {
        let carla = w.carla.clone();
        let anna = w.anna.clone();
        let e = w
            .store
            .add_provider(&carla, "Kort", "1234567", None)
            .unwrap_err();
        assert!(e.to_string().contains("8 cijfers"), "{e}");

        let mut early = request(Financing::Zin, w.fatima);
        early.end_on = Some(date(2026, 11, 1));
        let h = w.overvecht_household;
        let e = w
            .store
            .apply(&anna, h, &Change::RequestProvision(early))
            .unwrap_err();
        assert!(e.to_string().contains("einddatum"), "{e}");

        // A professional cannot grant; a backoffice user cannot read notes (the dashboard).
        let id = requested(&mut w, Financing::Zin);
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-2".into(),
        };
        assert!(matches!(
            w.store.bulk(&anna, &[id], &grant),
            Err(StoreError::Denied { .. })
        ));
        let d = w.store.load_dashboard(&carla, h).unwrap();
        assert!(d.contacts.is_empty() && d.access.is_restricted());
        assert_eq!(d.provisions.len(), 1, "provisions are administrative data");

        // Allowed steps only: a PGB is never assigned to a provider.
        let pgb = requested(&mut w, Financing::Pgb);
        w.store.bulk(&carla, &[pgb], &grant).unwrap();
        let provider = contracted_provider(&mut w);
        let e = w
            .store
            .bulk(
                &carla,
                &[pgb],
                &BulkAction::Assign {
                    provider_id: provider,
                    on: today(),
                },
            )
            .unwrap_err();
        assert!(e.to_string().contains("'toegewezen'"), "{e}");
    });
}

#[test]
fn the_summary_says_what_a_bulk_action_will_do() {
    let grant = BulkAction::Grant {
        on: today(),
        number: "B-50".into(),
    };
    assert_eq!(
        grant.summary(50),
        "50 voorzieningen toekennen met beschikking B-50-1 t/m B-50-50 van 23-11-2026."
    );
    assert_eq!(
        BulkAction::Start { on: today() }.summary(1),
        "1 voorziening als gestart markeren."
    );
}

#[test]
fn a_report_is_made_once_a_selection_counts_a_provision_once_and_the_export_holds_provisions() {
    each_world(|mut w| {
        let carla = w.carla.clone();
        let pgb = requested(&mut w, Financing::Pgb);
        let grant = BulkAction::Grant {
            on: today(),
            number: "B-7".into(),
        };
        w.store.bulk(&carla, &[pgb], &grant).unwrap();
        let before = audit_rows(&w);
        let svb = BulkAction::ReportSvb { on: today() };
        assert_eq!(w.store.bulk(&carla, &[pgb, pgb], &svb).unwrap(), 1);
        assert_eq!(audit_rows(&w), before + 1, "one row for one provision");
        let again = w.store.bulk(&carla, &[pgb], &svb).unwrap_err();
        assert!(again.to_string().contains("al bij de SVB"), "{again}");

        // The AVG export holds the household's provisions.
        let anna = w.anna.clone();
        let export = w
            .store
            .export_household(&anna, w.overvecht_household)
            .unwrap();
        assert_eq!(export.provisions.len(), 1);

        // A teamleider handing the household over gets no dashboard data back.
        let dirk = w.dirk.clone();
        let beheer = w.beheer.clone();
        let fenna = w
            .store
            .list_users(&beheer)
            .unwrap()
            .into_iter()
            .find(|u| u.username == "fenna")
            .expect("fenna")
            .id;
        let applied = w
            .store
            .apply(&dirk, w.overvecht_household, &Change::Regisseur(fenna))
            .unwrap();
        assert!(
            applied.dashboard.is_none(),
            "no NAW, BSN or provisions for a teamleider"
        );
    });
}

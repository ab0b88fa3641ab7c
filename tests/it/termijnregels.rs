//! Default feedback deadlines over HTTP (hc findings F7 and F9): a working-day term that
//! starts outside working time starts at the next working day
//! (`werkdagen::TERMIJN_BEGINT_OP_WERKDAG`), and the default final outcome is ten calendar
//! weeks (`termijnen::STANDAARD_TERMIJNEN`, DOMAIN.md §3 flow 3).

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::{Db, TestApp, keten};
use ketenregie_common::Klok;
use serde_json::{Value, json};

fn tijd(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn app_op(db: Db, start: &str) -> Option<(TestApp, Klok)> {
    let klok = Klok::vast(tijd(start));
    let app = common::spawn_met(
        db,
        "",
        ketenregie_api::app::Onderdelen {
            klok: klok.clone(),
            ..Default::default()
        },
    )
    .await?;
    keten::opzet(&app).await;
    Some((app, klok))
}

/// The due time of `moment` of melding `id`, as Veilig Thuis Haaglanden reads it.
async fn due(app: &TestApp, id: &str, moment: &str) -> String {
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let m: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &vt)
        .await
        .json()
        .await
        .unwrap();
    m["termijnen"]
        .as_array()
        .unwrap_or_else(|| panic!("{m}"))
        .iter()
        .find(|t| t["moment"] == moment)
        .unwrap_or_else(|| panic!("{moment}: {m}"))["verschuldigdOp"]
        .as_str()
        .unwrap()
        .to_string()
}

/// hc F7 and F9 as reproduced: VT Haaglanden closes Thursday 31 December 2026. Melding A
/// is sent Thursday 24 December 10:03 CET, melding B 38 hours later, Saturday 26
/// December 00:05 CET. A: receipt Monday 28 December 10:03, triage Tuesday 5 January
/// 10:03, final outcome ten weeks on, Thursday 4 March 2027 10:03 (not 9 March, 50
/// working days). B starts Monday 28 December 00:00: receipt at the end of Monday,
/// triage at the end of Tuesday 5 January (Wednesday 00:00), final outcome Monday 8
/// March 00:00: never before A's.
async fn weekend_en_tien_weken(db: Db) {
    let Some((app, klok)) = app_op(db, "2026-12-02T09:00:00Z").await else {
        return;
    };
    let beheer = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    let res = app
        .put(
            "/api/v1/sluitingsdagen/2026-12-31",
            &beheer,
            &json!({"omschrijving": "oudejaarsdag"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    // The README tour: sent Wednesday 2 December 2026, final outcome 10 February 2027.
    let tour = keten::verzonden_melding(&app).await;
    assert_eq!(
        due(&app, &tour, "eindresultaat").await,
        "2027-02-10T09:00:00Z"
    );

    klok.verschuif(tijd("2026-12-24T09:03:00Z") - tijd("2026-12-02T09:00:00Z"));
    let a = keten::verzonden_melding(&app).await;
    assert_eq!(
        due(&app, &a, "ontvangstbevestiging").await,
        "2026-12-28T09:03:00Z"
    );
    assert_eq!(
        due(&app, &a, "na-beoordeling").await,
        "2027-01-05T09:03:00Z"
    );
    assert_eq!(due(&app, &a, "eindresultaat").await, "2027-03-04T09:03:00Z");

    klok.verschuif(Duration::hours(38));
    let b = keten::verzonden_melding(&app).await;
    assert_eq!(
        due(&app, &b, "ontvangstbevestiging").await,
        "2026-12-28T23:00:00Z"
    );
    assert_eq!(
        due(&app, &b, "na-beoordeling").await,
        "2027-01-05T23:00:00Z"
    );
    assert_eq!(due(&app, &b, "eindresultaat").await, "2027-03-07T23:00:00Z");
    for moment in ["ontvangstbevestiging", "na-beoordeling", "eindresultaat"] {
        assert!(
            due(&app, &b, moment).await > due(&app, &a, moment).await,
            "{moment}: sent later, due earlier"
        );
    }
}

op_beide_backends!(weekend_en_tien_weken);

//! The cost of a poisoned log batch (h19halve; benches/load/KETEN.md, "h19halve"): batches
//! of n = 16, 64, 256 concurrent reads held together by the writer's `verzamel` hook,
//! clean and with one read whose audit row a trigger refuses, three runs each, sent past
//! the contract proxy (which answers 502 under 256 concurrent requests). Prints the
//! retry's write attempts, the writer's round trips and the wall time of the whole batch
//! (sending to the last answer); asserts only that the good reads answered 200.
//!
//! Not part of the suite. To run: copy to `tests/it/h19proef.rs`, add `mod h19proef;` to
//! `tests/it/main.rs`, then
//! `KETENREGIE_TEST_PG_URL=... cargo test --locked --test it -- h19proef:: --nocapture --test-threads=1`.
use crate::common::{self, Db, keten};
use std::sync::atomic::Ordering;

async fn proef(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    keten::opzet(&app).await;
    let goed = keten::verzonden_melding(&app).await;
    let slecht = keten::verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let (gp, sp) = (
        format!("/api/v1/zorgmeldingen/{goed}"),
        format!("/api/v1/zorgmeldingen/{slecht}"),
    );
    assert_eq!(app.get(&gp, &vt).await.status(), 200);
    assert_eq!(app.get(&sp, &vt).await.status(), 200);
    app.sql(&match db {
        Db::Sqlite => format!("CREATE TRIGGER weiger_audit BEFORE INSERT ON audittrail WHEN NEW.object_id = '{slecht}' BEGIN SELECT RAISE(ABORT, 'kapot'); END;"),
        Db::Postgres => format!("CREATE OR REPLACE FUNCTION weiger_audit() RETURNS trigger AS $$ BEGIN IF NEW.object_id = '{slecht}' THEN RAISE EXCEPTION 'kapot'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; CREATE TRIGGER weiger_audit BEFORE INSERT ON audittrail FOR EACH ROW EXECUTE FUNCTION weiger_audit();"),
    });
    let c = &app.logschrijver.cijfers;
    for n in [16usize, 64, 256] {
        for slechte in [0usize, 1] {
            let mut ms = vec![];
            let mut pogingen = 0;
            let mut rondes = 0;
            for _ in 0..3 {
                let (p0, r0) = (
                    c.herhaalpogingen.load(Ordering::SeqCst),
                    c.rondes.load(Ordering::SeqCst),
                );
                let paden: Vec<&String> = (0..n)
                    .map(|i| if slechte == 1 && i == n / 3 { &sp } else { &gp })
                    .collect();
                app.logschrijver.verzamel(n);
                let t = std::time::Instant::now();
                let antwoorden = futures_util::future::join_all(paden.iter().map(|p| {
                    let (client, url, vt) =
                        (app.client.clone(), format!("{}{p}", app.direct), vt.clone());
                    async move { client.get(url).bearer_auth(vt).send().await.unwrap() }
                }))
                .await;
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
                let ok = antwoorden.iter().filter(|r| r.status() == 200).count();
                assert_eq!(ok, n - slechte);
                pogingen = c.herhaalpogingen.load(Ordering::SeqCst) - p0;
                rondes = c.rondes.load(Ordering::SeqCst) - r0;
            }
            ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
            eprintln!(
                "PROEF {db:?} n={n} bad={slechte}: retry attempts {pogingen}, writer round trips {rondes}, wall ms (3 runs, sorted) {:.0}/{:.0}/{:.0}",
                ms[0], ms[1], ms[2]
            );
        }
    }
}

op_beide_backends!(proef);

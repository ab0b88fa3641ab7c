//! What the two logs add to an authorised read of one record, measured in the same run:
//! one transaction with the policy decision and the read, with and without writing the
//! audit row and the processing-log row (DESIGN.md §2 step 4).
//!
//!     cargo bench -p ketenregie-privacy --bench logkosten
//!     KETENREGIE_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p ketenregie-privacy --bench logkosten
//!
//! Criterion prints the median per variant; the ratio is printed at the end.

use criterion::{Criterion, criterion_group};
use diesel::Connection;
use diesel::connection::SimpleConnection;
use ketenregie_common::{
    Actie, Actor, Doel, Gegevenscategorie, OrganisatieSoort, Rechtsregime, Rol, Vertrouwelijkheid,
};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::pseudoniem::Pseudonimiseerder;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_privacy::{Aanvraag, Context, toegang};
use ketenregie_store::directory::{self, OrganisatieGegevens};
use ketenregie_store::{DbConnection, DbUrl};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn context() -> Context {
    Context {
        actor: Actor {
            gebruiker: "bench".into(),
            weergavenaam: "Bench".into(),
            organisatie: "politie-bench".into(),
            rollen: vec![Rol::Wijkagent],
            applicatie: "bench".into(),
        },
        trace_id: "0".repeat(32),
        span_id: "0".repeat(16),
        parent_span_id: None,
        toelichting: None,
        doorbraak: false,
        nu: ketenregie_common::time::now_utc(),
        pseudoniemen: Arc::new(Pseudonimiseerder::new(&[1u8; 32])),
        versleuteling: Arc::new(Versleuteling::new(&[2u8; 32])),
        stamgegevens: Default::default(),
        stempel: None,
        groepslog: Default::default(),
    }
}

fn aanvraag() -> Aanvraag {
    Aanvraag {
        actie: Actie::Lezen,
        doel: Doel::Briefing,
        categorieen: vec![Gegevenscategorie::Identificatie],
        optioneel: vec![],
        eigenaren: vec!["politie-bench".into()],
        vertrouwelijkheid: Vertrouwelijkheid::Zaakvertrouwelijk,
    }
}

fn prepare(url: &DbUrl) -> (DbConnection, uuid::Uuid) {
    ketenregie_store::migrate::run(url).expect("migrate");
    let mut c = url.connect().expect("connect");
    let org = match directory::organisatie_op_code(&mut c, "politie-bench").unwrap() {
        Some(o) => o,
        None => directory::maak_organisatie(
            &mut c,
            OrganisatieGegevens {
                code: "politie-bench".into(),
                naam: "Politie (bench)".into(),
                oin: None,
                soort: OrganisatieSoort::Politie,
                rechtsregime: Rechtsregime::Wpg,
                gemeenten: vec!["0518".into()],
            },
        )
        .unwrap(),
    };
    (c, org.id)
}

/// One authorised read; with `log` the two log rows are written in the same transaction;
/// with `snel` that transaction commits without waiting for the disk flush.
fn lees(c: &mut DbConnection, ctx: &Context, id: uuid::Uuid, log: bool) {
    lees_met(c, ctx, id, log, false)
}

fn lees_met(c: &mut DbConnection, ctx: &Context, id: uuid::Uuid, log: bool, snel: bool) {
    ketenregie_store::conn::zet_sqlite_duurzaamheid(c, !snel).unwrap();
    c.transaction::<_, ketenregie_common::Fout, _>(|c| {
        if snel {
            ketenregie_store::conn::snelle_commit(c)?;
        }
        let t = toegang(c, ctx, &aanvraag())?;
        let o = directory::organisatie(c, id)?.expect("record");
        if log {
            logboek::lezing(
                c,
                ctx,
                &t,
                Object {
                    soort: "organisaties",
                    id: o.id.to_string(),
                    eigenaar: o.code.clone(),
                },
                &[o.id],
            )?;
        }
        Ok(())
    })
    .expect("read");
}

fn mediaan(
    c: &mut DbConnection,
    ctx: &Context,
    id: uuid::Uuid,
    log: bool,
    snel: bool,
    n: usize,
) -> Duration {
    let mut t: Vec<Duration> = (0..n)
        .map(|_| {
            let s = Instant::now();
            lees_met(c, ctx, id, log, snel);
            s.elapsed()
        })
        .collect();
    t.sort();
    t[n / 2]
}

fn bench_backend(cr: &mut Criterion, naam: &str, url: DbUrl) {
    let (mut c, id) = prepare(&url);
    let ctx = context();
    let mut g = cr.benchmark_group(format!("enkel-record-lezen/{naam}"));
    g.bench_function("zonder-log", |b| b.iter(|| lees(&mut c, &ctx, id, false)));
    g.bench_function("met-log", |b| b.iter(|| lees(&mut c, &ctx, id, true)));
    g.bench_function("met-log-snelle-commit", |b| {
        b.iter(|| lees_met(&mut c, &ctx, id, true, true))
    });
    g.finish();
    // Interleaved, same run: the headline ratio at p50.
    let (mut zonder, mut met, mut snel) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        zonder.push(mediaan(&mut c, &ctx, id, false, false, 200));
        met.push(mediaan(&mut c, &ctx, id, true, false, 200));
        snel.push(mediaan(&mut c, &ctx, id, true, true, 200));
    }
    zonder.sort();
    met.sort();
    snel.sort();
    let (z, m, s) = (zonder[2], met[2], snel[2]);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{naam}: p50 read without logs {:.3} ms; with logs, durable commit {:.3} ms (ratio {:.2}); with logs, fast commit {:.3} ms (ratio {:.2})",
        ms(z),
        ms(m),
        ms(m) / ms(z),
        ms(s),
        ms(s) / ms(z),
    );
}

fn benches(cr: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("ketenregie-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = DbUrl::parse(&format!("sqlite://{}", dir.join("bench.db").display())).unwrap();
    bench_backend(cr, "sqlite", sqlite);
    match std::env::var("KETENREGIE_BENCH_PG_URL") {
        Ok(base) if !base.is_empty() => {
            let schema = format!("bench_{}", std::process::id());
            let mut c =
                diesel::PgConnection::establish(&base).expect("connect to KETENREGIE_BENCH_PG_URL");
            c.batch_execute(&format!("CREATE SCHEMA {schema}")).unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            let url =
                DbUrl::parse(&format!("{base}{sep}options=-csearch_path%3D{schema}")).unwrap();
            bench_backend(cr, "postgres", url);
            c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                .unwrap();
        }
        _ => println!("postgres: skipped (set KETENREGIE_BENCH_PG_URL)"),
    }
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}

fn main() {
    group();
    Criterion::default().final_summary();
}

//! Load benchmark of the feedback machinery (issue 6 point 6), on SQLite and, when
//! `KETENREGIE_TEST_PG_URL` is set, PostgreSQL (a fresh schema):
//!
//! 1. notifications delivered per second to a local webhook receiver (one dispatcher,
//!    signed CloudEvents over HTTP/1.1 keep-alive, every delivery recorded in the
//!    database as it completes);
//! 2. the deadline scanner's pass time with 100,000 open duties: none due, 1,000 overdue
//!    and 10,000 overdue (each overdue duty: an escalation and a late notice).
//!
//! `cargo bench -p ketenregie-feedback --bench bezorging` (release build). Measures, does
//! not assert. Figures: benches/load/TERUGKOPPELING.md.

use chrono::{DateTime, Duration, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use ketenregie_common::Klok;
use ketenregie_common::time::to_db;
use ketenregie_feedback::bezorging::{BezorgInstelling, Bezorger};
use ketenregie_feedback::email::{Email, EmailInstelling};
use ketenregie_feedback::scanner::{ScanInstelling, Scanner};
use ketenregie_feedback::webhook::{UrlRegels, Webhooks};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::schema::{abonnementen, termijnen, zorgmeldingen};
use ketenregie_store::{DbPool, DbUrl, conn, migrate, outbox};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MELDINGEN: usize = 5_000;
const TERMIJNEN: usize = 100_000;

/// A minimal HTTP/1.1 receiver: reads each request (headers and Content-Length body) and
/// answers 204, keeping the connection open.
async fn ontvanger(teller: Arc<AtomicUsize>) -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let poort = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = l.accept().await.unwrap();
            let teller = teller.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut blok = [0u8; 8192];
                loop {
                    let Some(eind) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match s.read(&mut blok).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&blok[..n]),
                        }
                        continue;
                    };
                    let kop = String::from_utf8_lossy(&buf[..eind]).to_lowercase();
                    let lengte: usize = kop
                        .lines()
                        .find_map(|r| r.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < eind + 4 + lengte {
                        match s.read(&mut blok).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&blok[..n]),
                        }
                    }
                    buf.drain(..eind + 4 + lengte);
                    teller.fetch_add(1, Ordering::Relaxed);
                    if s.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    poort
}

fn database(naam: &str) -> Vec<(&'static str, String)> {
    let mut uit = vec![];
    let dir = std::env::temp_dir().join(format!("ketenregie-bench-{naam}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    uit.push((
        "sqlite",
        format!("sqlite://{}", dir.join("bench.db").display()),
    ));
    if let Ok(base) = std::env::var("KETENREGIE_TEST_PG_URL")
        && !base.is_empty()
    {
        let schema = format!("bench_{naam}_{}", std::process::id());
        let mut c = diesel::PgConnection::establish(&base).unwrap();
        c.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        uit.push((
            "postgres",
            format!("{base}{sep}options=-csearch_path%3D{schema}"),
        ));
    }
    uit
}

fn open(url: &str) -> DbPool {
    let u = DbUrl::parse(url).unwrap();
    migrate::run(&u).unwrap();
    conn::pool(&u, 8).unwrap()
}

fn nu() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-04-02T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn bezorging(backend: &str, url: &str) {
    let pool = open(url);
    let teller = Arc::new(AtomicUsize::new(0));
    let poort = ontvanger(teller.clone()).await;
    let v = Arc::new(Versleuteling::new(&[7u8; 32]));
    {
        let mut c = pool.get().unwrap();
        diesel::insert_into(abonnementen::table)
            .values((
                abonnementen::id.eq(uuid::Uuid::now_v7().to_string()),
                abonnementen::organisatie.eq("bench"),
                abonnementen::url.eq(format!("http://127.0.0.1:{poort}/hook")),
                abonnementen::kanalen.eq("termijnen"),
                abonnementen::geheim.eq(v.versleutel("geheim")),
                abonnementen::aangemaakt_door.eq("bench"),
                abonnementen::aangemaakt_op.eq(to_db(nu())),
            ))
            .execute(&mut c)
            .unwrap();
        c.transaction::<_, diesel::result::Error, _>(|c| {
            for i in 0..MELDINGEN {
                outbox::enqueue(
                    c,
                    &outbox::Gebeurtenis {
                        soort: "termijnen.escalatie".into(),
                        organisatie: "bench".into(),
                        onderwerp: format!("t-{i}"),
                        dataref: format!("/api/v1/zorgmeldingen/{i}"),
                    },
                    nu(),
                )?;
            }
            Ok(())
        })
        .unwrap();
    }
    let b = Bezorger {
        pool: pool.clone(),
        klok: Klok::vast(nu()),
        instantie: "bench".into(),
        instelling: BezorgInstelling {
            batch: 50,
            max_pogingen: 8,
            wachttijd: Duration::seconds(30),
            lease: Duration::seconds(120),
            // The whole batch at once, as the figures in TERUGKOPPELING.md were measured
            // (the service's default, `dispatcher.parallel_sends`, is 1).
            gelijktijdig: 50,
            public_url: "https://ketenregie.example".into(),
        },
        email: Arc::new(
            Email::nieuw(&EmailInstelling {
                transport: "none".into(),
                map: "mail".into(),
                van: "k <k@example.nl>".into(),
                smtp_host: String::new(),
                smtp_port: 25,
                smtp_tls: "none".into(),
                gebruikersnaam: String::new(),
                wachtwoord: String::new(),
                timeout: std::time::Duration::from_secs(5),
            })
            .unwrap(),
        ),
        webhooks: Arc::new(
            Webhooks::nieuw(
                std::time::Duration::from_secs(5),
                UrlRegels {
                    ontwikkeling: true,
                    prive_toegestaan: false,
                },
            )
            .unwrap(),
        ),
        versleuteling: v,
    };
    let start = Instant::now();
    let r = b.ronde().await.unwrap();
    let s = start.elapsed().as_secs_f64();
    assert_eq!(r.afgeleverd, MELDINGEN);
    assert_eq!(teller.load(Ordering::Relaxed), MELDINGEN);
    println!(
        "| {backend} | webhook deliveries | {MELDINGEN} | {s:.2} s | {:.0} /s |",
        MELDINGEN as f64 / s
    );
}

fn zaai_termijnen(pool: &DbPool, te_laat: usize) {
    let mut c = pool.get().unwrap();
    let zid = uuid::Uuid::now_v7().to_string();
    let t = to_db(nu() - Duration::days(20));
    diesel::insert_into(zorgmeldingen::table)
        .values((
            zorgmeldingen::id.eq(&zid),
            zorgmeldingen::groep_id.eq(&zid),
            zorgmeldingen::afzender.eq("politie"),
            zorgmeldingen::ontvanger.eq("vt"),
            zorgmeldingen::meldingstatus.eq("verzonden"),
            zorgmeldingen::taakstatus.eq("requested"),
            zorgmeldingen::acuut.eq(false),
            zorgmeldingen::gemeenten.eq("0518"),
            zorgmeldingen::inhoud.eq("x"),
            zorgmeldingen::vertrouwelijkheid.eq("zaakvertrouwelijk"),
            zorgmeldingen::versie.eq(1i64),
            zorgmeldingen::aangemaakt_door.eq("bench"),
            zorgmeldingen::aangemaakt_op.eq(t),
            zorgmeldingen::ingediend_op.eq(Some(t)),
            zorgmeldingen::gewijzigd_op.eq(t),
        ))
        .execute(&mut c)
        .unwrap();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        let rijen: Vec<_> = (0..TERMIJNEN)
            .map(|i| {
                let due = if i < te_laat {
                    nu() - Duration::hours(2)
                } else {
                    nu() + Duration::days(3 + (i % 60) as i64)
                };
                (
                    termijnen::id.eq(uuid::Uuid::now_v7().to_string()),
                    termijnen::zorgmelding_id.eq(zid.clone()),
                    termijnen::afzender.eq("politie"),
                    termijnen::ontvanger.eq("vt"),
                    termijnen::moment.eq("na-beoordeling"),
                    termijnen::verschuldigd_op.eq(to_db(due)),
                    termijnen::bron.eq("bench"),
                    termijnen::aangemaakt_op.eq(t),
                    termijnen::herinneren_vanaf.eq(t),
                )
            })
            .collect();
        for stuk in rijen.chunks(1000) {
            let q = diesel::insert_into(termijnen::table).values(stuk);
            match &mut **c {
                ketenregie_store::DbConnection::Pg(p) => q.execute(p)?,
                ketenregie_store::DbConnection::Sqlite(s) => q.execute(s)?,
            };
        }
        Ok(())
    })
    .unwrap();
    if let Ok(mut c) = pool.get() {
        let _ = c.batch_execute("ANALYZE");
    }
}

async fn scanner(backend: &str, url: &str, te_laat: usize) {
    let pool = open(url);
    zaai_termijnen(&pool, te_laat);
    let s = Scanner {
        pool,
        klok: Klok::vast(nu()),
        instelling: ScanInstelling::default(),
    };
    let start = Instant::now();
    let r = s.ronde().await.unwrap();
    let eerste = start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let r2 = s.ronde().await.unwrap();
    let tweede = start.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(r.escalaties, te_laat);
    assert_eq!(r2, Default::default());
    println!(
        "| {backend} | scanner, {TERMIJNEN} open, {te_laat} overdue | {} notices | {eerste:.0} ms | next pass (nothing to do) {tweede:.1} ms |",
        r.escalaties + r.laatmeldingen + r.herinneringen
    );
}

/// Remove the benchmark's databases: the SQLite folders and PostgreSQL schemas.
fn opruimen() {
    if let Ok(base) = std::env::var("KETENREGIE_TEST_PG_URL")
        && !base.is_empty()
        && let Ok(mut c) = diesel::PgConnection::establish(&base)
    {
        for naam in ["bezorging", "scan0", "scan1000", "scan10000"] {
            let _ = c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS bench_{naam}_{} CASCADE",
                std::process::id()
            ));
        }
    }
    for naam in ["bezorging", "scan0", "scan1000", "scan10000"] {
        let _ = std::fs::remove_dir_all(
            std::env::temp_dir().join(format!("ketenregie-bench-{naam}-{}", std::process::id())),
        );
    }
}

#[tokio::main]
async fn main() {
    println!("| backend | what | size | time | rate |");
    println!("|---|---|---|---|---|");
    for (backend, url) in database("bezorging") {
        bezorging(backend, &url).await;
    }
    for te_laat in [0, 1_000, 10_000] {
        for (backend, url) in database(&format!("scan{te_laat}")) {
            scanner(backend, &url, te_laat).await;
        }
    }
    opruimen();
}

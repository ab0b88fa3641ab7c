//! Shared by the feedback tests: the organisations and agreement of a Haaglanden chain, a
//! melding with named test persons, a real SMTP sink (aiosmtpd, started per test) and a
//! webhook receiver over real HTTP.

use super::TestApp;
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The test persons' names and BSN: none may appear in any e-mail or webhook.
pub const PERSOONSGEGEVENS: &[&str] = &[
    "Kind0",
    "Jansen",
    "Anna",
    "Bram",
    "de Vries",
    "111222333",
    "Pietersen",
    "voordeur",
];

pub async fn opzet(app: &TestApp) {
    app.organisatie("politie-haaglanden", "politie", &[]).await;
    app.organisatie("vt-haaglanden", "veilig-thuis", &["0518", "0603"])
        .await;
    app.organisatie("wijkteam-den-haag", "wijkteam", &["0518"])
        .await;
    app.organisatie("buitenstaander", "wijkteam", &["0363"])
        .await;
    let regel = |soort: &str, rol: &str, acties: Value, doel: &str, cats: Value| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": acties, "categorieen": cats, "doel": doel,
               "maxVertrouwelijkheid": "vertrouwelijk", "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "terugkoppeling aan de melder"}})
    };
    app.convenant_van_kracht(&json!({
                "titel": "Zorgmeldingen en terugkoppeling Haaglanden",
                "partijen": [{"organisatie": "politie-haaglanden", "rol": "melder"}, {"organisatie": "vt-haaglanden", "rol": "ontvanger"},
                             {"organisatie": "wijkteam-den-haag", "rol": "ontvanger"}],
                "doelen": ["veiligheidsbeoordeling", "coordinatie", "terugkoppeling"],
                "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit", "hulpverlening"],
                "regels": [
                    regel("veilig-thuis", "triagist", json!(["lezen", "wijzigen"]), "veiligheidsbeoordeling", json!(["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"])),
                    regel("wijkteam", "wijkteammedewerker", json!(["lezen", "wijzigen"]), "coordinatie", json!(["identificatie", "gezinssituatie"])),
                    regel("politie", "wijkagent", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"])),
                    regel("veilig-thuis", "triagist", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"]))
                ]
            })).await;
}

/// An agreement in force under which `politie` files zorgmeldingen to the Veilig Thuis
/// organisations `vt` and their triagists read and handle them (ROUTERING_BINNEN_CONVENANT:
/// a melding is routed only within one).
pub async fn zorgmeldingconvenant(app: &TestApp, politie: &str, vt: &[&str]) {
    let mut partijen = vec![json!({"organisatie": politie, "rol": "melder"})];
    partijen.extend(
        vt.iter()
            .map(|v| json!({"organisatie": v, "rol": "ontvanger"})),
    );
    app.convenant_van_kracht(&json!({
        "titel": "Zorgmeldingen",
        "partijen": partijen,
        "doelen": ["veiligheidsbeoordeling"],
        "categorieen": ["identificatie", "gezinssituatie"],
        "regels": [{"organisatieSoort": "veilig-thuis", "rollen": ["triagist"], "acties": ["lezen", "wijzigen"],
                    "categorieen": ["identificatie", "gezinssituatie"], "doel": "veiligheidsbeoordeling",
                    "maxVertrouwelijkheid": "vertrouwelijk",
                    "grondslag": {"code": "Wmo 2015 art. 5.2.6", "omschrijving": "melding aan Veilig Thuis"}}]
    }))
    .await;
}

pub fn melding() -> Value {
    json!({
        "kinderen": [{"voornaam": "Kind0", "achternaam": "Jansen", "geboortedatum": "2016-03-01", "bsn": "111222333", "gemeente": "0518", "eigenWoorden": "Ik wil bij allebei zijn."}],
        "ouders": [{"voornaam": "Anna", "achternaam": "Jansen", "relatie": "moeder", "gezag": true},
                   {"voornaam": "Bram", "achternaam": "de Vries", "relatie": "vader", "gezag": true}],
        "incidentReferentie": "PL1500-2026-123456",
        "incidentDatum": "2026-04-01",
        "omschrijving": "Overdracht van de kinderen mislukt; ruzie bij de voordeur.",
        "zorgen": "Kinderen getuige van herhaalde conflicten.",
        "acuut": false,
        "risiconiveau": "verhoogd",
        "verklaringen": [{"persoon": "Anna Jansen", "rol": "moeder", "tekst": "Hij kwam te laat."}],
        "oudersGeinformeerd": true,
        "terugkoppelingGewenst": true,
        "melder": {"naam": "agent P. Pietersen", "functie": "wijkagent", "identiteitDelen": true}
    })
}

/// File and send a melding as police; returns its id (routed to vt-haaglanden).
pub async fn verzonden_melding(app: &TestApp) -> String {
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = app.post("/api/v1/zorgmeldingen", &agent, &melding()).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let m: Value = res.json().await.unwrap();
    let id = m["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
            &agent,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    id
}

/// The id of a registered organisation.
pub async fn organisatie_id(app: &TestApp, code: &str) -> String {
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let o: Value = app
        .get(&format!("/api/v1/organisaties?code={code}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    o["results"][0]["id"].as_str().unwrap().to_string()
}

/// Add a contact point with an e-mail address.
///
/// The `privacy` contact point is managed only by the organisation's own privacy officer
/// as functional admin (`PRIVACYKANAAL_ALLEEN_FG`); every other by the platform admin.
pub async fn contactpunt(app: &TestApp, code: &str, rol: &str, email: &str) {
    let admin = if rol == "privacy" {
        app.token(code, &["functioneel-beheerder", "privacyfunctionaris"])
    } else {
        app.token("ketenregie-platform", &["platformbeheerder"])
    };
    let id = organisatie_id(app, code).await;
    let res = app
        .post(
            &format!("/api/v1/organisaties/{id}/contactpunten"),
            &admin,
            &json!({"rol": rol, "naam": format!("{rol} {code}"), "email": email}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
}

/// Subscribe `code` to `kanalen` at `url`; returns the secret.
pub async fn abonneer(app: &TestApp, code: &str, url: &str, kanalen: &[&str]) -> String {
    // The privacy channel's subscription is made by a functional admin who is the privacy
    // officer too (`PRIVACYKANAAL_ALLEEN_FG`).
    let fb = if kanalen.contains(&"privacy") {
        app.token(code, &["functioneel-beheerder", "privacyfunctionaris"])
    } else {
        app.token(code, &["functioneel-beheerder"])
    };
    let res = app
        .post(
            "/api/v1/abonnementen",
            &fb,
            &json!({"url": url, "kanalen": kanalen}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let a: Value = res.json().await.unwrap();
    a["geheim"].as_str().unwrap().to_string()
}

/// A free TCP port on 127.0.0.1.
pub fn vrije_poort() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

const SINK: &str = r#"
import asyncio, os, sys, time
from aiosmtpd.controller import Controller

# argv[3] (optional): the 1-based number of the message whose DATA is stored and then never
# answered (once): a sender killed then is mid-send, its message received.
HAPER = int(sys.argv[3]) if len(sys.argv) > 3 else 0

class Opslag:
    def __init__(self):
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        naam = os.path.join(sys.argv[2], "%d.eml" % time.time_ns())
        with open(naam + ".tmp", "wb") as f:
            f.write(b"X-Ontvangers: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            inhoud = envelope.content
            f.write(inhoud if isinstance(inhoud, bytes) else inhoud.encode())
        os.rename(naam + ".tmp", naam)
        if self.n == HAPER:
            await asyncio.sleep(3600)
        return "250 OK"

# A busy CI machine (two cores, the suite's tests in parallel) can take longer than
# aiosmtpd's default 5 s to answer its own readiness probe: "failed to start within
# allotted time ... Try increasing the `ready_timeout` parameter".
c = Controller(Opslag(), hostname="127.0.0.1", port=int(sys.argv[1]), ready_timeout=60)
c.start()
print("klaar", flush=True)
while True:
    time.sleep(3600)
"#;

/// A real SMTP server (aiosmtpd) writing every message it accepts into a folder.
pub struct SmtpSink {
    kind: std::process::Child,
    pub map: PathBuf,
    pub poort: u16,
}

impl SmtpSink {
    /// Is the sink available on this machine? Prints "skipped" when not.
    pub fn beschikbaar() -> bool {
        let ok = std::process::Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipped: python3 with aiosmtpd is not installed (pip install aiosmtpd)");
        }
        ok
    }

    /// Start on `poort`, writing into a new folder under `dir`.
    pub fn start(dir: &Path, poort: u16) -> Self {
        Self::start_met_hapering(dir, poort, 0)
    }

    /// Like `start`, but message number `haper` (1-based; 0: none) is stored and then
    /// never answered, once: a sender killed then dies mid-send.
    pub fn start_met_hapering(dir: &Path, poort: u16, haper: usize) -> Self {
        let map = dir.join(format!("smtp-{poort}"));
        std::fs::create_dir_all(&map).unwrap();
        let script = dir.join("smtp_sink.py");
        std::fs::write(&script, SINK).unwrap();
        let mut kind = std::process::Command::new("python3")
            .arg(&script)
            .arg(poort.to_string())
            .arg(&map)
            .arg(haper.to_string())
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(map.join("sink.stderr")).unwrap())
            .spawn()
            .unwrap();
        let mut regel = String::new();
        std::io::BufReader::new(kind.stdout.take().unwrap())
            .read_line(&mut regel)
            .unwrap();
        if regel.trim() != "klaar" {
            // The sink died before it was ready: show why (its traceback).
            let _ = kind.wait();
            let fout = std::fs::read_to_string(map.join("sink.stderr")).unwrap_or_default();
            panic!("SMTP sink did not start on port {poort}: {fout}");
        }
        Self { kind, map, poort }
    }

    /// Every message received so far (the envelope recipients on the first line).
    pub fn berichten(&self) -> Vec<String> {
        let mut namen: Vec<PathBuf> = std::fs::read_dir(&self.map)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        namen.sort();
        namen
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.kind.kill();
        let _ = self.kind.wait();
    }
}

/// One POST as received, with the Standard Webhooks headers and the status answered.
#[derive(Debug, Clone)]
pub struct Ontvangen {
    pub pad: String,
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp` (unix seconds, as sent).
    pub tijdstip: String,
    /// `webhook-signature`.
    pub handtekening: String,
    pub body: Vec<u8>,
    /// The status the receiver answered (500 while `storing` was set).
    pub status: u16,
}

/// How far a delivery's timestamp may lie from the receiver's clock: 5 minutes, as the
/// README's receiver recipe (and the Standard Webhooks libraries) use.
pub const TOLERANTIE_SECONDEN: i64 = 300;

/// Verify a delivery as a receiver does, written here apart from the service's own code
/// (Standard Webhooks): the HMAC key is the base64-decoded `whsec_` secret (the secret's
/// own bytes for a secret without the prefix); one of the space-separated `v1,<base64>`
/// signatures must be the HMAC-SHA256 of `{id}.{timestamp}.{body}`; the timestamp must be
/// within [`TOLERANTIE_SECONDEN`] of `nu` (unix seconds).
pub fn verifieer(o: &Ontvangen, geheim: &str, nu: i64) -> Result<(), &'static str> {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let b64 = base64::engine::general_purpose::STANDARD;
    let sleutel = match geheim.strip_prefix("whsec_") {
        Some(s) => b64.decode(s).map_err(|_| "geheim")?,
        None => geheim.as_bytes().to_vec(),
    };
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&sleutel).unwrap();
    mac.update(format!("{}.{}.", o.id, o.tijdstip).as_bytes());
    mac.update(&o.body);
    let verwacht = b64.encode(mac.finalize().into_bytes());
    if !o
        .handtekening
        .split(' ')
        .filter_map(|h| h.strip_prefix("v1,"))
        .any(|h| h == verwacht)
    {
        return Err("handtekening");
    }
    let t: i64 = o.tijdstip.parse().map_err(|_| "tijdstip")?;
    if (nu - t).abs() > TOLERANTIE_SECONDEN {
        return Err("buiten tolerantie");
    }
    Ok(())
}

/// A webhook receiver: records every POST (path, Standard Webhooks headers, raw body, the
/// status answered); answers 500 while `storing` is set.
#[derive(Clone, Default)]
pub struct Ontvanger {
    pub ontvangen: Arc<Mutex<Vec<Ontvangen>>>,
    pub storing: Arc<std::sync::atomic::AtomicBool>,
    /// When set to `n`: the `n`-th POST (1-based, counted over all paths) is recorded as
    /// accepted and then never answered, once (a sender killed then dies mid-send).
    pub haper_bij: Arc<Mutex<Option<usize>>>,
}

impl Ontvanger {
    /// Listen on a free port; returns the base URL.
    pub fn start(&self) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let poort = listener.local_addr().unwrap().port();
        let zelf = self.clone();
        let server = actix_web::HttpServer::new(move || {
            let z = zelf.clone();
            actix_web::App::new().default_service(actix_web::web::to(
                move |req: actix_web::HttpRequest, body: actix_web::web::Bytes| {
                    let z = z.clone();
                    async move {
                        let kop = |naam: &str| {
                            req.headers()
                                .get(naam)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_string()
                        };
                        let storing = z.storing.load(std::sync::atomic::Ordering::SeqCst);
                        let n = {
                            let mut lijst = z.ontvangen.lock().unwrap();
                            lijst.push(Ontvangen {
                                pad: req.path().to_string(),
                                id: kop("webhook-id"),
                                tijdstip: kop("webhook-timestamp"),
                                handtekening: kop("webhook-signature"),
                                body: body.to_vec(),
                                status: if storing { 500 } else { 204 },
                            });
                            lijst.len()
                        };
                        let haper = {
                            let mut h = z.haper_bij.lock().unwrap();
                            if *h == Some(n) { h.take() } else { None }
                        };
                        if haper.is_some() {
                            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                        }
                        if storing {
                            actix_web::HttpResponse::InternalServerError().finish()
                        } else {
                            actix_web::HttpResponse::NoContent().finish()
                        }
                    }
                },
            ))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        format!("http://127.0.0.1:{poort}")
    }

    /// Every attempt on `pad`, accepted or not, in arrival order.
    pub fn pogingen(&self, pad: &str) -> Vec<Ontvangen> {
        self.ontvangen
            .lock()
            .unwrap()
            .iter()
            .filter(|o| o.pad == pad)
            .cloned()
            .collect()
    }

    /// The events accepted on `pad`, each checked against its signature with `geheim`
    /// and against its own `webhook-id` (the CloudEvent `id` is the same delivery id).
    /// The timestamp is not compared with a clock here (tests run on a fixed clock);
    /// [`verifieer`] does that where a test is about it.
    pub fn events(&self, pad: &str, geheim: &str) -> Vec<Value> {
        self.pogingen(pad)
            .iter()
            .filter(|o| o.status == 204)
            .map(|o| {
                let t: i64 = o.tijdstip.parse().expect("webhook-timestamp in seconds");
                assert_eq!(verifieer(o, geheim, t), Ok(()), "valid signature");
                let e: Value = serde_json::from_slice(&o.body).unwrap();
                assert_eq!(
                    e["id"].as_str(),
                    Some(o.id.as_str()),
                    "webhook-id is the event id"
                );
                e
            })
            .collect()
    }

    /// Every body received, as text.
    pub fn alles(&self) -> Vec<String> {
        self.ontvangen
            .lock()
            .unwrap()
            .iter()
            .map(|o| String::from_utf8_lossy(&o.body).into_owned())
            .collect()
    }
}

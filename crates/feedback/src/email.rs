//! E-mail with lettre: SMTP (no TLS, STARTTLS or TLS, via rustls) or, with no
//! configuration, a folder of `.eml` files for local development. A message carries the
//! event type in Dutch words, a reference and a link to the resource, never personal
//! data: whoever follows the link reads the content through the API, with its own access
//! check and logging.

use lettre::message::header::ContentTransferEncoding;
use lettre::message::header::ContentType;
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// How to send.
#[derive(Debug, Clone)]
pub struct EmailInstelling {
    /// `file`, `smtp` or `none`.
    pub transport: String,
    /// For `file`: the folder the .eml files go to.
    pub map: PathBuf,
    /// The sender address.
    pub van: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_tls: String,
    pub gebruikersnaam: String,
    pub wachtwoord: String,
    pub timeout: Duration,
}

enum Vervoer {
    Bestand(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Uit,
}

/// The e-mail channel.
pub struct Email {
    vervoer: Vervoer,
    van: Mailbox,
}

impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Email")
    }
}

impl Email {
    pub fn nieuw(i: &EmailInstelling) -> Result<Self, String> {
        let van: Mailbox = i
            .van
            .parse()
            .map_err(|e| format!("email.from `{}`: {e}", i.van))?;
        let vervoer = match i.transport.as_str() {
            "file" => {
                std::fs::create_dir_all(&i.map)
                    .map_err(|e| format!("email.file_dir {}: {e}", i.map.display()))?;
                Vervoer::Bestand(AsyncFileTransport::<Tokio1Executor>::new(&i.map))
            }
            "smtp" => {
                let b = match i.smtp_tls.as_str() {
                    "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&i.smtp_host),
                    "starttls" => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&i.smtp_host)
                            .map_err(|e| format!("email.smtp_host: {e}"))?
                    }
                    "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&i.smtp_host)
                        .map_err(|e| format!("email.smtp_host: {e}"))?,
                    other => {
                        return Err(format!(
                            "email.smtp_tls `{other}`: choose none, starttls or tls"
                        ));
                    }
                };
                let mut b = b.port(i.smtp_port).timeout(Some(i.timeout));
                if !i.gebruikersnaam.is_empty() {
                    b = b.credentials(Credentials::new(
                        i.gebruikersnaam.clone(),
                        i.wachtwoord.clone(),
                    ));
                }
                Vervoer::Smtp(b.build())
            }
            "none" => Vervoer::Uit,
            other => {
                return Err(format!(
                    "email.transport `{other}`: choose file, smtp or none"
                ));
            }
        };
        Ok(Self { vervoer, van })
    }

    /// Send one notification to `aan`. `referentie` is the delivery's id: it is also the
    /// Message-ID, so a receiver can recognise a repeat.
    pub async fn stuur(&self, aan: &str, referentie: &str, b: &Inhoud) -> Result<(), String> {
        let (onderwerp, tekst) = opmaak(b, referentie);
        let aan: Mailbox = aan.parse().map_err(|e| format!("adres: {e}"))?;
        let m = Message::builder()
            .from(self.van.clone())
            .to(aan)
            .subject(onderwerp)
            .message_id(Some(format!("<{referentie}@ketenregie>")))
            .header(ContentType::TEXT_PLAIN)
            // Plain 7-bit text where possible, so a reference or link is never wrapped:
            // lettre's own check wants lines of at most 76 characters, links are longer,
            // and RFC 5322 allows 998.
            .body(zeven_bit(tekst))
            .map_err(|e| e.to_string())?;
        match &self.vervoer {
            Vervoer::Bestand(t) => t.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
            Vervoer::Smtp(t) => t.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
            Vervoer::Uit => Ok(()),
        }
    }

    pub fn staat_aan(&self) -> bool {
        !matches!(self.vervoer, Vervoer::Uit)
    }
}

fn zeven_bit(tekst: String) -> Body {
    let crlf = tekst.replace("\r\n", "\n").replace('\n', "\r\n");
    if crlf.is_ascii() && crlf.split("\r\n").all(|r| r.len() <= 998) && !crlf.contains('\0') {
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::SevenBit)
    } else {
        Body::new(tekst)
    }
}

/// What a notification says: the type, the reference and the link. Nothing else.
#[derive(Debug, Clone)]
pub struct Inhoud {
    /// The full type, `nl.ketenregie.termijnen.escalatie`.
    pub soort: String,
    pub onderwerp: String,
    /// The absolute link.
    pub link: String,
    /// Data that is no personal data, shown as lines `key: value`.
    pub gegevens: Option<serde_json::Value>,
}

/// Every event type the service emits (after `nl.ketenregie.`; the emitters' own
/// constants), with its Dutch words: the subject of a notice, and the values
/// `GET /berichten?soort=` knows.
pub const SOORTEN: &[(&str, &str)] = &[
    (
        ketenregie_referral::indiening::ONTVANGEN,
        "Nieuwe zorgmelding ontvangen",
    ),
    (
        ketenregie_referral::overgang::STATUS_GEWIJZIGD,
        "Status van een zorgmelding gewijzigd",
    ),
    (
        ketenregie_referral::overgang::OVERDRACHT_ONTVANGEN,
        "Overdracht ontvangen",
    ),
    (
        ketenregie_referral::indiening::NIET_ROUTEERBAAR,
        "Zorgmelding niet routeerbaar",
    ),
    (
        crate::terugkoppeling::TERUGKOPPELING_ONTVANGEN,
        "Terugkoppeling ontvangen",
    ),
    (
        ketenregie_case::betrokkenheid::MATCH_GEVONDEN,
        "Coördinatiematch: een andere organisatie is betrokken bij hetzelfde kind",
    ),
    (
        crate::scanner::HERINNERING,
        "Herinnering: een terugkoppeltermijn verloopt binnenkort",
    ),
    (
        crate::scanner::ESCALATIE,
        "Escalatie: een terugkoppeltermijn is verstreken",
    ),
    (
        crate::scanner::TE_LAAT,
        "De terugkoppeling op uw melding is te laat",
    ),
    (
        ketenregie_privacy::verstrekking::SOORT_VERSTREKT,
        "Een andere organisatie las een record van uw organisatie (doorbraak of een convenantregel met eigenaarInformeren)",
    ),
    (
        ketenregie_store::quota::SOORT_OVERSCHREDEN,
        "Dagquotum overschreden: een gebruiker van uw organisatie zocht vandaag meer personen op dan toegestaan",
    ),
];

/// The Dutch words for an event type (after the prefix, or with it).
pub fn omschrijving(soort: &str) -> &'static str {
    let kort = soort.strip_prefix("nl.ketenregie.").unwrap_or(soort);
    SOORTEN
        .iter()
        .find(|(s, _)| *s == kort)
        .map_or("Nieuw bericht", |(_, w)| *w)
}

/// Subject and body.
pub fn opmaak(b: &Inhoud, referentie: &str) -> (String, String) {
    let wat = omschrijving(&b.soort);
    let regels: String = b
        .gegevens
        .as_ref()
        .and_then(|g| g.as_object())
        .map(|o| {
            o.iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(t) => format!("{k}: {t}\n"),
                    anders => format!("{k}: {anders}\n"),
                })
                .collect()
        })
        .unwrap_or_default();
    (
        format!("ketenregie: {wat} [{referentie}]"),
        format!(
            "{wat}.\n\nSoort: {soort}\nReferentie: {referentie}\nBetreft: {onderwerp}\n{regels}Bekijk het in ketenregie: {link}\n\nDit bericht bevat bewust geen persoonsgegevens; u leest de inhoud na aanmelden.\n",
            soort = b.soort,
            onderwerp = b.onderwerp,
            link = b.link,
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instelling(transport: &str, map: PathBuf) -> EmailInstelling {
        EmailInstelling {
            transport: transport.into(),
            map,
            van: "ketenregie <noreply@ketenregie.invalid>".into(),
            smtp_host: "localhost".into(),
            smtp_port: 25,
            smtp_tls: "starttls".into(),
            gebruikersnaam: String::new(),
            wachtwoord: String::new(),
            timeout: Duration::from_secs(1),
        }
    }

    #[tokio::test]
    async fn bestandsvervoer_schrijft_eml_met_link_en_referentie() {
        let map = std::env::temp_dir().join(format!("ketenregie-mail-{}", uuid::Uuid::now_v7()));
        let e = Email::nieuw(&instelling("file", map.clone())).unwrap();
        let link = "https://ketenregie.example/api/v1/zorgmeldingen/01a2c3d4-0000-7000-8000-000000000001/terugkoppelingen";
        e.stuur(
            "meldingen@vt.test",
            "ref-1",
            &Inhoud {
                soort: "nl.ketenregie.termijnen.escalatie".into(),
                onderwerp: "t-1".into(),
                gegevens: None,
                link: link.into(),
            },
        )
        .await
        .unwrap();
        let bestanden: Vec<_> = std::fs::read_dir(&map).unwrap().collect();
        assert_eq!(bestanden.len(), 1);
        let tekst = std::fs::read_to_string(bestanden[0].as_ref().unwrap().path()).unwrap();
        assert!(tekst.contains("Escalatie: een terugkoppeltermijn is verstreken"));
        assert!(tekst.contains(link), "the link unwrapped: {tekst}");
        assert!(tekst.contains("Message-ID: <ref-1@ketenregie>"));
        let _ = std::fs::remove_dir_all(map);
    }

    #[test]
    fn onbekende_instellingen_genoemd() {
        let e = Email::nieuw(&instelling("duif", PathBuf::from("x"))).unwrap_err();
        assert!(e.contains("email.transport"), "{e}");
        let mut i = instelling("smtp", PathBuf::from("x"));
        i.smtp_tls = "ssl".into();
        assert!(Email::nieuw(&i).unwrap_err().contains("email.smtp_tls"));
    }
}

//! Webhooks: events in the CloudEvents NL profile (specversion 1.0, a `dataref` to the
//! resource, no personal data), POSTed to a subscription's callback URL and signed with
//! HMAC-SHA256 over the raw body with the subscription's secret, in the header
//! `Ketenregie-Signatuur: sha256=<hex>`.
//!
//! Callback URLs are checked against SSRF on subscribing and again before each delivery:
//! https only (plain http only for loopback in development mode), and no private,
//! link-local, loopback or otherwise internal address unless configured.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::IpAddr;
use std::time::Duration;

/// The signature header.
pub const HANDTEKENING_HEADER: &str = "Ketenregie-Signatuur";

/// `sha256=<hex HMAC-SHA256(body, secret)>`.
pub fn handtekening(geheim: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(geheim).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The CloudEvent for an outbox row.
pub fn cloudevent(
    id: &str,
    soort: &str,
    onderwerp: &str,
    tijd: chrono::DateTime<chrono::Utc>,
    bron: &str,
    dataref: &str,
) -> serde_json::Value {
    serde_json::json!({
        "specversion": "1.0",
        "id": id,
        "source": bron,
        "type": soort,
        "subject": onderwerp,
        "time": tijd.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "datacontenttype": "application/json",
        "dataref": dataref,
    })
}

/// The SSRF rules in force.
#[derive(Debug, Clone, Copy)]
pub struct UrlRegels {
    /// Development mode: http and loopback addresses allowed for loopback hosts.
    pub ontwikkeling: bool,
    /// `webhooks.allow_private_networks`.
    pub prive_toegestaan: bool,
}

/// A refused URL: the rule (a code) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlFout {
    pub code: &'static str,
    pub reden: String,
}

fn fout(code: &'static str, reden: impl Into<String>) -> UrlFout {
    UrlFout {
        code,
        reden: reden.into(),
    }
}

/// Why `ip` is internal, if it is.
pub fn intern_adres(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v) => {
            let o = v.octets();
            if v.is_loopback() {
                Some("loopback")
            } else if v.is_private() {
                Some("privé-netwerk")
            } else if v.is_link_local() {
                Some("link-local")
            } else if v.is_unspecified() || v.is_broadcast() || v.is_multicast() || o[0] == 0 {
                Some("geen bestemming")
            } else if o[0] == 100 && (64..128).contains(&o[1]) {
                Some("carrier-grade NAT")
            } else {
                None
            }
        }
        IpAddr::V6(v) => {
            if let Some(v4) = v.to_ipv4_mapped() {
                return intern_adres(IpAddr::V4(v4));
            }
            let s = v.segments();
            if v.is_loopback() {
                Some("loopback")
            } else if v.is_unspecified() || v.is_multicast() {
                Some("geen bestemming")
            } else if (s[0] & 0xfe00) == 0xfc00 {
                Some("privé-netwerk")
            } else if (s[0] & 0xffc0) == 0xfe80 {
                Some("link-local")
            } else {
                None
            }
        }
    }
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Check a callback URL: parse, scheme, resolve the host and check every address.
pub async fn controleer_url(url: &str, r: UrlRegels) -> Result<reqwest::Url, UrlFout> {
    let u = reqwest::Url::parse(url)
        .map_err(|e| fout("format", format!("`url` is geen geldige URL: {e}")))?;
    let host = u
        .host_str()
        .ok_or_else(|| fout("format", "`url` heeft geen host"))?
        .to_string();
    let loopback = is_loopback_host(&host);
    match u.scheme() {
        "https" => {}
        "http" if r.ontwikkeling && loopback => {}
        _ => {
            return Err(fout(
                "https",
                "`url` moet https gebruiken (http alleen voor localhost in ontwikkelmodus)",
            ));
        }
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(fout(
            "format",
            "`url` mag geen gebruikersnaam of wachtwoord bevatten",
        ));
    }
    let port = u.port_or_known_default().unwrap_or(443);
    let adressen: Vec<IpAddr> =
        tokio::net::lookup_host((host.trim_start_matches('[').trim_end_matches(']'), port))
            .await
            .map_err(|e| {
                fout(
                    "resolve",
                    format!("de host van `url` is niet op te zoeken: {e}"),
                )
            })?
            .map(|a| a.ip())
            .collect();
    if adressen.is_empty() {
        return Err(fout("resolve", "de host van `url` heeft geen adres"));
    }
    for ip in adressen {
        if let Some(waarom) = intern_adres(ip) {
            let toegestaan =
                r.prive_toegestaan || (waarom == "loopback" && r.ontwikkeling && loopback);
            if !toegestaan {
                return Err(fout(
                    "ssrf",
                    format!(
                        "`url` wijst naar een intern adres ({waarom}); dat mag alleen met webhooks.allow_private_networks = true"
                    ),
                ));
            }
        }
    }
    Ok(u)
}

/// The webhook channel.
#[derive(Debug, Clone)]
pub struct Webhooks {
    client: reqwest::Client,
    pub regels: UrlRegels,
}

impl Webhooks {
    pub fn nieuw(timeout: Duration, regels: UrlRegels) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("ketenregie-webhooks/1")
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { client, regels })
    }

    /// POST the signed body; any answer other than 2xx is a failure (retried).
    pub async fn stuur(&self, url: &str, geheim: &[u8], body: Vec<u8>) -> Result<(), String> {
        let u = controleer_url(url, self.regels)
            .await
            .map_err(|f| format!("{}: {}", f.code, f.reden))?;
        let res = self
            .client
            .post(u)
            .header("content-type", "application/cloudevents+json")
            .header(HANDTEKENING_HEADER, handtekening(geheim, &body))
            .body(body)
            .send()
            .await
            .map_err(|e| format!("verzenden mislukt: {}", e.without_url()))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("ontvanger antwoordde {}", res.status().as_u16()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handtekening_is_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            handtekening(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn interne_adressen() {
        for a in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "127.0.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "0.0.0.0",
            "100.64.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(intern_adres(a.parse().unwrap()).is_some(), "{a}");
        }
        for a in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(intern_adres(a.parse().unwrap()).is_none(), "{a}");
        }
    }

    #[tokio::test]
    async fn url_regels() {
        let prod = UrlRegels {
            ontwikkeling: false,
            prive_toegestaan: false,
        };
        let dev = UrlRegels {
            ontwikkeling: true,
            prive_toegestaan: false,
        };
        assert_eq!(
            controleer_url("http://example.org/x", prod)
                .await
                .unwrap_err()
                .code,
            "https"
        );
        assert_eq!(
            controleer_url("https://127.0.0.1/x", prod)
                .await
                .unwrap_err()
                .code,
            "ssrf"
        );
        assert_eq!(
            controleer_url("https://10.0.0.1/x", dev)
                .await
                .unwrap_err()
                .code,
            "ssrf"
        );
        assert_eq!(
            controleer_url("https://169.254.169.254/", dev)
                .await
                .unwrap_err()
                .code,
            "ssrf"
        );
        assert!(controleer_url("http://127.0.0.1:9000/x", dev).await.is_ok());
        assert_eq!(
            controleer_url("http://10.0.0.1/x", dev)
                .await
                .unwrap_err()
                .code,
            "https"
        );
        assert!(
            controleer_url(
                "https://10.0.0.1/x",
                UrlRegels {
                    ontwikkeling: false,
                    prive_toegestaan: true
                }
            )
            .await
            .is_ok()
        );
        assert_eq!(
            controleer_url("niet een url", dev).await.unwrap_err().code,
            "format"
        );
    }
}

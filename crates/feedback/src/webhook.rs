//! Webhooks: events in the CloudEvents NL profile (specversion 1.0, a `dataref` to the
//! resource, no personal data), POSTed to a subscription's callback URL and signed per
//! Standard Webhooks (standardwebhooks.com, specification v1, "Verifying webhook
//! authenticity"), so a receiver can verify, reject replays and drop repeats:
//!
//! - `webhook-id`: the delivery id (one `bezorgingen` row: one event for one subscription),
//!   also the CloudEvent `id`; the same on every retry and on a re-queued dead letter, so a
//!   receiver de-duplicates on it;
//! - `webhook-timestamp`: this attempt's time in unix seconds (the service clock), new on
//!   every attempt, so a receiver rejects an old delivery replayed later without rejecting
//!   a legitimate retry hours later;
//! - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, the three
//!   signed together.
//!
//! Secrets: new subscriptions get `whsec_<base64 of 32 random bytes>` and the HMAC key is
//! the decoded bytes (the spec's secret format). Secrets made before this scheme (64 hex
//! characters, no prefix) stay valid: their key is the secret's own text as bytes, the key
//! receivers already used; as a Standard Webhooks secret it reads
//! `whsec_` + base64(the hex text). See [`sleutel`].
//!
//! Callback URLs are checked against SSRF on subscribing and again on every delivery:
//! https only (plain http only for loopback in development mode), and no private,
//! link-local, loopback or otherwise internal address unless configured. On delivery the
//! host is resolved once, by the client's own resolver ([`BewakendeResolver`]), every
//! address checked, and the connection made to exactly those addresses: no second lookup
//! the name's owner could answer differently (DNS rebinding). No proxy from the
//! environment is used, so the checked address is the address connected to.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use sha2::Sha256;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// The delivery id header (Standard Webhooks).
pub const ID_HEADER: &str = "webhook-id";
/// The attempt's unix time in seconds (Standard Webhooks).
pub const TIJDSTIP_HEADER: &str = "webhook-timestamp";
/// The signature header (Standard Webhooks): `v1,<base64>`.
pub const HANDTEKENING_HEADER: &str = "webhook-signature";
/// The prefix of a secret in the Standard Webhooks format.
pub const GEHEIM_PREFIX: &str = "whsec_";

/// The HMAC key of a subscription secret: for `whsec_<base64>` the decoded bytes
/// (Standard Webhooks secret format); for a secret made before that format (no prefix)
/// its own UTF-8 bytes. Error: a `whsec_` secret that is not valid base64.
pub fn sleutel(geheim: &str) -> Result<Vec<u8>, String> {
    match geheim.strip_prefix(GEHEIM_PREFIX) {
        Some(b64) => BASE64
            .decode(b64)
            .map_err(|e| format!("geheim is geen geldige base64: {e}")),
        None => Ok(geheim.as_bytes().to_vec()),
    }
}

/// `v1,<base64 HMAC-SHA256(key, "{id}.{tijdstip}.{body}")>` (Standard Webhooks, signature
/// scheme `v1`); `tijdstip` in unix seconds.
pub fn handtekening(sleutel: &[u8], id: &str, tijdstip: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(sleutel).expect("HMAC takes any key");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(tijdstip.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

/// The CloudEvent for an outbox row; `data` when the event carries data that is no
/// personal data (the owner's notice of a disclosure).
pub fn cloudevent(
    id: &str,
    soort: &str,
    onderwerp: &str,
    tijd: chrono::DateTime<chrono::Utc>,
    bron: &str,
    dataref: &str,
    data: Option<&serde_json::Value>,
) -> serde_json::Value {
    let mut e = serde_json::json!({
        "specversion": "1.0",
        "id": id,
        "source": bron,
        "type": soort,
        "subject": onderwerp,
        "time": tijd.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "datacontenttype": "application/json",
        "dataref": dataref,
    });
    if let Some(d) = data {
        e["data"] = d.clone();
    }
    e
}

/// The SSRF rules in force.
#[derive(Debug, Clone, Copy)]
pub struct UrlRegels {
    /// Development mode: http and loopback addresses allowed for loopback hosts.
    pub ontwikkeling: bool,
    /// `webhooks.allow_private_networks`.
    pub prive_toegestaan: bool,
}

/// A refused URL: the rule (a code: `format`, `https`, `resolve`, `ssrf`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlFout {
    pub code: &'static str,
    pub reden: String,
}

impl std::fmt::Display for UrlFout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.reden)
    }
}

impl std::error::Error for UrlFout {}

fn fout(code: &'static str, reden: impl Into<String>) -> UrlFout {
    UrlFout {
        code,
        reden: reden.into(),
    }
}

/// Why `ip` is no destination for a webhook, if it is not: every address that the IANA
/// special-purpose address registries (RFC 6890 and its updates) mark as not globally
/// reachable, or that is no unicast destination at all (the outside test of 2 Dec 2026:
/// `64:ff9b::a9fe:a9fe`, `2002:a9fe:a9fe::`, `::127.0.0.1`, `192.0.0.1`, `198.18.0.1`
/// and `240.0.0.1` were accepted). IPv4 is [`intern_v4`]; IPv6:
/// - an address that carries an IPv4 address is judged by it: IPv4-mapped `::ffff:0:0/96`
///   (RFC 4291 §2.5.5.2), the NAT64 well-known prefix `64:ff9b::/96` (RFC 6052 §2.1: the
///   translator connects to the embedded address) and 6to4 `2002::/16` (RFC 3056 §2, the
///   address in bits 16-47: a relay reaches it);
/// - refused outright: IPv4-compatible `::/96` (deprecated, RFC 4291 §2.5.5.1; `::` and
///   `::1` included), the local-use NAT64 prefix `64:ff9b:1::/48` (RFC 8215: not globally
///   reachable, its embedding depends on the site), the IETF protocol assignments
///   `2001::/23` (RFC 2928), with Teredo `2001::/32` (RFC 4380: it carries the client's
///   obfuscated address and reaches it through a relay) and benchmarking `2001:2::/48`,
///   documentation `2001:db8::/32` (RFC 3849) and `3fff::/20` (RFC 9637), discard-only
///   `100::/64` (RFC 6666), segment routing `5f00::/16` (RFC 9602), unique local
///   `fc00::/7` (RFC 4193), link-local `fe80::/10`, site-local `fec0::/10` (RFC 3879),
///   multicast `ff00::/8`, and everything outside global unicast `2000::/3` (IANA IPv6
///   Address Space registry: the rest is reserved by the IETF).
pub fn intern_adres(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v) => intern_v4(v),
        IpAddr::V6(v) => {
            let s = v.segments();
            let ingebed = |hoog: u16, laag: u16| {
                std::net::Ipv4Addr::from((u32::from(hoog) << 16) | u32::from(laag))
            };
            if let Some(v4) = v.to_ipv4_mapped() {
                return intern_v4(v4);
            }
            if v.is_loopback() {
                return Some("loopback");
            }
            if v.is_unspecified() || v.is_multicast() {
                return Some("geen bestemming");
            }
            if s[..6] == [0, 0, 0, 0, 0, 0] {
                return Some("IPv4-compatibel adres (verouderd)");
            }
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return intern_v4(ingebed(s[6], s[7]));
            }
            if s[0] == 0x2002 {
                return intern_v4(ingebed(s[1], s[2]));
            }
            if s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1 {
                return Some("lokale NAT64-vertaling");
            }
            if s[0] == 0x2001 && s[1] < 0x0200 {
                return Some(if s[1] == 0 {
                    "Teredo-tunnel"
                } else {
                    "IETF-protocoltoewijzing"
                });
            }
            if (s[0] == 0x2001 && s[1] == 0x0db8) || (s[0] & 0xfff0) == 0x3ff0 {
                return Some("documentatie");
            }
            if s[0] == 0x5f00 {
                return Some("segment routing");
            }
            if (s[0] & 0xfe00) == 0xfc00 {
                return Some("privé-netwerk");
            }
            if (s[0] & 0xffc0) == 0xfe80 || (s[0] & 0xffc0) == 0xfec0 {
                return Some("link-local");
            }
            if (s[0] & 0xe000) != 0x2000 {
                return Some("gereserveerd");
            }
            None
        }
    }
}

/// Why the IPv4 address `v` is no destination for a webhook, if it is not: the blocks of
/// the IANA IPv4 Special-Purpose Address Registry (RFC 6890 §2.2.2 and updates) that are
/// not globally reachable, the deprecated 6to4 relay anycast `192.88.99.0/24` (RFC 7526),
/// multicast `224.0.0.0/4` (RFC 5771) and the reserved `240.0.0.0/4` (RFC 1112 §4) with
/// the limited broadcast address.
fn intern_v4(v: std::net::Ipv4Addr) -> Option<&'static str> {
    let o = v.octets();
    let in_blok = |net: [u8; 4], lengte: u32| {
        let masker = u32::MAX.checked_shl(32 - lengte).unwrap_or(0);
        u32::from(v) & masker == u32::from_be_bytes(net) & masker
    };
    if v.is_loopback() {
        Some("loopback")
    } else if v.is_private() {
        Some("privé-netwerk")
    } else if v.is_link_local() {
        Some("link-local")
    } else if o[0] == 0 || v.is_multicast() || o[0] >= 240 {
        // "This network" 0.0.0.0/8 (RFC 791), multicast, reserved and broadcast.
        Some("geen bestemming")
    } else if in_blok([100, 64, 0, 0], 10) {
        Some("carrier-grade NAT")
    } else if in_blok([192, 0, 0, 0], 24) {
        // IETF Protocol Assignments (RFC 6890 §2.1), with DS-Lite 192.0.0.0/29.
        Some("IETF-protocoltoewijzing")
    } else if in_blok([192, 0, 2, 0], 24)
        || in_blok([198, 51, 100, 0], 24)
        || in_blok([203, 0, 113, 0], 24)
    {
        // TEST-NET-1, -2, -3 (RFC 5737).
        Some("documentatie")
    } else if in_blok([198, 18, 0, 0], 15) {
        // Benchmarking (RFC 2544).
        Some("benchmarknetwerk")
    } else if in_blok([192, 88, 99, 0], 24) {
        Some("6to4-relay (verouderd)")
    } else {
        None
    }
}

fn zonder_haken(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || zonder_haken(host)
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Check the addresses `host` resolved to: every one must be outside internal networks,
/// unless `webhooks.allow_private_networks` (or, in development mode, a loopback address
/// for a loopback host). One internal address refuses the whole host: the connection may
/// go to any of them.
pub fn controleer_adressen(host: &str, adressen: &[IpAddr], r: UrlRegels) -> Result<(), UrlFout> {
    if adressen.is_empty() {
        return Err(fout("resolve", "de host van `url` heeft geen adres"));
    }
    let loopback = is_loopback_host(host);
    for ip in adressen {
        if let Some(waarom) = intern_adres(*ip) {
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
    Ok(())
}

/// The checks that need no lookup: parse, scheme, no credentials, and an IP-literal host
/// against the address rules. Returns the URL and, when the host is a name, that name.
pub fn controleer_vorm(url: &str, r: UrlRegels) -> Result<(reqwest::Url, Option<String>), UrlFout> {
    let u = reqwest::Url::parse(url)
        .map_err(|e| fout("format", format!("`url` is geen geldige URL: {e}")))?;
    let host = u
        .host_str()
        .ok_or_else(|| fout("format", "`url` heeft geen host"))?
        .to_string();
    match u.scheme() {
        "https" => {}
        "http" if r.ontwikkeling && is_loopback_host(&host) => {}
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
    // The URL parser has already turned every IPv4 spelling (`2130706433`, `127.1`) into
    // dotted form; an IP literal is connected to as written, without a lookup.
    match zonder_haken(&host).parse::<IpAddr>() {
        Ok(ip) => {
            controleer_adressen(&host, &[ip], r)?;
            Ok((u, None))
        }
        Err(_) => Ok((u, Some(host))),
    }
}

/// Resolve `host` once with `opzoeker` and check every address; the addresses to connect to.
async fn zoek_en_controleer(
    opzoeker: &dyn Resolve,
    host: &str,
    r: UrlRegels,
) -> Result<Vec<SocketAddr>, UrlFout> {
    let naam: Name = host
        .parse()
        .map_err(|_| fout("format", "de host van `url` is geen geldige naam"))?;
    let adressen: Vec<SocketAddr> = opzoeker
        .resolve(naam)
        .await
        .map_err(|e| {
            fout(
                "resolve",
                format!("de host van `url` is niet op te zoeken: {e}"),
            )
        })?
        .collect();
    let ips: Vec<IpAddr> = adressen.iter().map(SocketAddr::ip).collect();
    controleer_adressen(host, &ips, r)?;
    Ok(adressen)
}

/// The operating system's resolver (`getaddrinfo`, through tokio).
#[derive(Debug, Clone, Copy, Default)]
pub struct SysteemOpzoeker;

impl Resolve for SysteemOpzoeker {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let adressen: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            Ok(Box::new(adressen.into_iter()) as Addrs)
        })
    }
}

/// The webhook client's resolver: looks the name up once with `onder`, refuses the
/// host when any address breaks the rules ([`controleer_adressen`]), and hands the
/// checked addresses to the connector, which connects to one of exactly those. The
/// check and the connection therefore share one lookup: a name that resolves to a public
/// address when the subscription is made and to an internal one later is refused at
/// the later connection (DNS rebinding).
pub struct BewakendeResolver {
    pub regels: UrlRegels,
    pub onder: Arc<dyn Resolve>,
}

impl Resolve for BewakendeResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let (regels, onder) = (self.regels, self.onder.clone());
        Box::pin(async move {
            let adressen = zoek_en_controleer(&*onder, name.as_str(), regels).await?;
            Ok(Box::new(adressen.into_iter()) as Addrs)
        })
    }
}

/// Check a callback URL on subscribing: [`controleer_vorm`], then resolve the host with
/// the system resolver and check every address.
pub async fn controleer_url(url: &str, r: UrlRegels) -> Result<reqwest::Url, UrlFout> {
    controleer_url_met(url, r, &SysteemOpzoeker).await
}

/// [`controleer_url`] with a given resolver.
pub async fn controleer_url_met(
    url: &str,
    r: UrlRegels,
    opzoeker: &dyn Resolve,
) -> Result<reqwest::Url, UrlFout> {
    let (u, naam) = controleer_vorm(url, r)?;
    if let Some(naam) = naam {
        zoek_en_controleer(opzoeker, &naam, r).await?;
    }
    Ok(u)
}

/// One delivery attempt's message.
#[derive(Debug, Clone)]
pub struct Bericht<'a> {
    /// The delivery id: `webhook-id`, the same on every attempt.
    pub id: &'a str,
    /// This attempt's time, unix seconds: `webhook-timestamp`.
    pub tijdstip: i64,
    /// The CloudEvent, serialised: signed exactly as sent.
    pub body: Vec<u8>,
}

/// The webhook channel.
#[derive(Debug, Clone)]
pub struct Webhooks {
    client: reqwest::Client,
    pub regels: UrlRegels,
}

impl Webhooks {
    /// A channel resolving with the system resolver.
    pub fn nieuw(timeout: Duration, regels: UrlRegels) -> Result<Self, String> {
        Self::met_opzoeker(timeout, regels, Arc::new(SysteemOpzoeker))
    }

    /// A channel resolving names with `onder` (tests give a resolver they control),
    /// wrapped in the [`BewakendeResolver`].
    pub fn met_opzoeker(
        timeout: Duration,
        regels: UrlRegels,
        onder: Arc<dyn Resolve>,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(BewakendeResolver { regels, onder }))
            .user_agent("ketenregie-webhooks/1")
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { client, regels })
    }

    /// POST the signed message to `url` with the subscription secret `geheim` (either
    /// format, see [`sleutel`]). The URL's form is checked here; a name is resolved and
    /// its addresses checked once, at connection time, by the client's resolver. An
    /// idle connection from an earlier delivery to the same host and port goes on to the
    /// address checked when it was opened. Any answer other than 2xx is a failure
    /// (retried); the error names the broken rule (`ssrf: ...`) when the URL was refused.
    pub async fn stuur(&self, url: &str, geheim: &str, bericht: Bericht<'_>) -> Result<(), String> {
        let (u, _) = controleer_vorm(url, self.regels).map_err(|f| f.to_string())?;
        let handtekening = handtekening(
            &sleutel(geheim)?,
            bericht.id,
            bericht.tijdstip,
            &bericht.body,
        );
        let res = self
            .client
            .post(u)
            .header("content-type", "application/cloudevents+json")
            .header(ID_HEADER, bericht.id)
            .header(TIJDSTIP_HEADER, bericht.tijdstip.to_string())
            .header(HANDTEKENING_HEADER, handtekening)
            .body(bericht.body)
            .send()
            .await
            .map_err(|e| match url_fout_in(&e) {
                Some(f) => f.to_string(),
                None => format!("verzenden mislukt: {}", e.without_url()),
            })?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("ontvanger antwoordde {}", res.status().as_u16()))
        }
    }
}

/// The refused-URL error somewhere in `e`'s chain of causes (our resolver's refusal
/// travels up through hyper's connector).
fn url_fout_in(e: &(dyn std::error::Error + 'static)) -> Option<UrlFout> {
    let mut oorzaak = Some(e);
    while let Some(o) = oorzaak {
        if let Some(f) = o.downcast_ref::<UrlFout>() {
            return Some(f.clone());
        }
        oorzaak = o.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn handtekening_volgt_standard_webhooks() {
        // The test vector of the Standard Webhooks specification.
        let k = sleutel("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            handtekening(
                &k,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        // Id and time are signed: another id or another second is another signature.
        let body = br#"{"id":"x"}"#;
        let s = handtekening(&k, "a", 1000, body);
        assert_ne!(s, handtekening(&k, "b", 1000, body));
        assert_ne!(s, handtekening(&k, "a", 1001, body));
    }

    /// The README's receiver recipe (Python) accepts what this module signs, refuses a
    /// replay and a forgery, and recognises a retry by its id. Needs `python3`: without it
    /// the test says skipped (and fails when `CI=true`).
    #[test]
    fn readme_ontvanger_recept_klopt() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
                .unwrap();
        let kop = "# Receiver check for ketenregie webhooks";
        let begin = readme
            .find(kop)
            .expect("the README has the receiver recipe");
        let recept = &readme[begin..begin + readme[begin..].find("```").unwrap()];
        let geheim = format!("{GEHEIM_PREFIX}{}", BASE64.encode([42u8; 32]));
        let oud_geheim = "0f".repeat(32);
        let body = r#"{"specversion":"1.0","id":"a"}"#;
        let t = 1_775_116_800i64;
        let s = |g: &str, id: &str, tijd: i64| {
            handtekening(&sleutel(g).unwrap(), id, tijd, body.as_bytes())
        };
        let geval = |g: &str, id: &str, tijd: i64, sig: String, nu: i64| serde_json::json!({"geheim": g, "id": id, "tijd": tijd.to_string(), "sig": sig, "nu": nu});
        let gevallen = serde_json::json!([
            // [case, expected]
            [geval(&geheim, "a", t, s(&geheim, "a", t), t + 2), "nieuw"],
            [
                geval(&geheim, "a", t, s(&geheim, "a", t), t + 3),
                "herhaling"
            ],
            // The retry three hours on: fresh timestamp, same id.
            [
                geval(
                    &geheim,
                    "a",
                    t + 10800,
                    s(&geheim, "a", t + 10800),
                    t + 10801
                ),
                "herhaling"
            ],
            // The first attempt replayed three hours on.
            [
                geval(&geheim, "b", t, s(&geheim, "b", t), t + 10800),
                "fout"
            ],
            // A timestamp freshened by the replayer, an id changed, a wrong secret.
            [
                geval(&geheim, "c", t + 10800, s(&geheim, "c", t), t + 10800),
                "fout"
            ],
            [geval(&geheim, "d", t, s(&geheim, "c", t), t), "fout"],
            [geval(&geheim, "e", t, s(&oud_geheim, "e", t), t), "fout"],
            // A secret made before whsec_, and several signatures in one header.
            [
                geval(&oud_geheim, "f", t, s(&oud_geheim, "f", t), t),
                "nieuw"
            ],
            [
                geval(
                    &geheim,
                    "g",
                    t,
                    format!("v1,AAAA {}", s(&geheim, "g", t)),
                    t - 299
                ),
                "nieuw"
            ],
        ]);
        let harnas = format!(
            "{recept}\nimport json, sys\nfor g, verwacht in json.loads(sys.argv[1]):\n    h = {{'webhook-id': g['id'], 'webhook-timestamp': g['tijd'], 'webhook-signature': g['sig']}}\n    try:\n        uit = controleer(h, {body:?}.encode(), g['geheim'], g['nu'])\n    except ValueError:\n        uit = 'fout'\n    assert uit == verwacht, (g, uit, verwacht)\nprint('ok')\n"
        );
        let uit = match std::process::Command::new("python3")
            .arg("-c")
            .arg(&harnas)
            .arg(gevallen.to_string())
            .output()
        {
            Ok(uit) => uit,
            Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
                eprintln!("skipped: python3 not available ({e})");
                return;
            }
            Err(e) => panic!("python3 is needed in CI: {e}"),
        };
        assert!(
            uit.status.success() && uit.stdout == b"ok\n",
            "the README recipe failed:\n{}\n{}",
            String::from_utf8_lossy(&uit.stdout),
            String::from_utf8_lossy(&uit.stderr)
        );
    }

    #[test]
    fn oude_geheimen_houden_hun_sleutel() {
        let oud = "ab".repeat(32);
        assert_eq!(sleutel(&oud).unwrap(), oud.as_bytes());
        // The same key written as a Standard Webhooks secret.
        let als_whsec = format!("{GEHEIM_PREFIX}{}", BASE64.encode(oud.as_bytes()));
        assert_eq!(sleutel(&als_whsec).unwrap(), oud.as_bytes());
        assert!(sleutel("whsec_!!").is_err());
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
            // The outside test of 2 Dec 2026 and the rest of the IANA registries.
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::10.0.0.1",
            "64:ff9b:1::a9fe:a9fe",
            "64:ff9b:1::5db8:d822",
            "2002:a9fe:a9fe::",
            "2002:7f00:1::1",
            "::127.0.0.1",
            "::93.184.216.34",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:2::1",
            "2001:db8::1",
            "3fff::1",
            "100::1",
            "5f00::1",
            "fec0::1",
            "ff02::1",
            "4000::1",
            "192.0.0.1",
            "192.0.0.9",
            "192.0.2.1",
            "198.51.100.1",
            "203.0.113.1",
            "198.18.0.1",
            "198.19.255.255",
            "240.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "239.1.2.3",
            "192.88.99.1",
            "100.127.255.255",
            "0.1.2.3",
        ] {
            assert!(intern_adres(a.parse().unwrap()).is_some(), "{a}");
        }
        for a in [
            "93.184.216.34",
            "2606:2800:220:1::1",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
            "100.63.255.255",
            "100.128.0.1",
            "198.20.0.1",
            "192.0.3.1",
            "223.255.255.254",
        ] {
            assert!(intern_adres(a.parse().unwrap()).is_none(), "{a}");
        }
    }

    const PROD: UrlRegels = UrlRegels {
        ontwikkeling: false,
        prive_toegestaan: false,
    };
    const DEV: UrlRegels = UrlRegels {
        ontwikkeling: true,
        prive_toegestaan: false,
    };

    #[tokio::test]
    async fn url_regels() {
        let code = |r: Result<reqwest::Url, UrlFout>| r.unwrap_err().code;
        assert_eq!(
            code(controleer_url("http://example.org/x", PROD).await),
            "https"
        );
        assert_eq!(
            code(controleer_url("https://127.0.0.1/x", PROD).await),
            "ssrf"
        );
        // Other spellings of loopback, normalised by the URL parser.
        assert_eq!(
            code(controleer_url("https://2130706433/x", PROD).await),
            "ssrf"
        );
        assert_eq!(code(controleer_url("https://127.1/x", PROD).await), "ssrf");
        assert_eq!(
            code(controleer_url("https://[::ffff:127.0.0.1]/x", PROD).await),
            "ssrf"
        );
        assert_eq!(
            code(controleer_url("https://10.0.0.1/x", DEV).await),
            "ssrf"
        );
        assert_eq!(
            code(controleer_url("https://169.254.169.254/", DEV).await),
            "ssrf"
        );
        assert!(controleer_url("http://127.0.0.1:9000/x", DEV).await.is_ok());
        assert_eq!(
            code(controleer_url("http://10.0.0.1/x", DEV).await),
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
        assert_eq!(code(controleer_url("niet een url", DEV).await), "format");
        assert_eq!(
            code(controleer_url("https://u:p@example.org/", DEV).await),
            "format"
        );
    }

    /// A resolver the test controls: each lookup takes the next answer (the last one
    /// repeats) and is counted.
    struct Gestuurd {
        antwoorden: Mutex<VecDeque<Vec<IpAddr>>>,
        vragen: AtomicUsize,
    }

    impl Gestuurd {
        fn nieuw(antwoorden: &[&[&str]]) -> Arc<Self> {
            Arc::new(Self {
                antwoorden: Mutex::new(
                    antwoorden
                        .iter()
                        .map(|a| a.iter().map(|ip| ip.parse().unwrap()).collect())
                        .collect(),
                ),
                vragen: AtomicUsize::new(0),
            })
        }
    }

    impl Resolve for Gestuurd {
        fn resolve(&self, _name: Name) -> Resolving {
            self.vragen.fetch_add(1, Ordering::SeqCst);
            let mut a = self.antwoorden.lock().unwrap();
            let ips = if a.len() > 1 {
                a.pop_front().unwrap()
            } else {
                a[0].clone()
            };
            Box::pin(async move {
                Ok(Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0))) as Addrs)
            })
        }
    }

    fn bericht(body: &[u8]) -> Bericht<'static> {
        Bericht {
            id: "0190f3a2-0000-7000-8000-000000000001",
            tijdstip: 1_775_116_800,
            body: body.to_vec(),
        }
    }

    /// Whether anything connected to `l` (non-blocking).
    fn verbonden(l: &TcpListener) -> bool {
        l.set_nonblocking(true).unwrap();
        l.accept().is_ok()
    }

    #[tokio::test]
    async fn dns_rebinding_bereikt_geen_intern_adres() {
        // A listener on loopback stands for the internal service the attacker is after.
        let intern = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "https://rebind.example:{}/hook",
            intern.local_addr().unwrap().port()
        );
        // The name is public when the subscription is checked, loopback afterwards.
        let dns = Gestuurd::nieuw(&[&["93.184.216.34"], &["127.0.0.1"]]);
        assert!(controleer_url_met(&url, PROD, &*dns).await.is_ok());
        let w = Webhooks::met_opzoeker(Duration::from_secs(5), PROD, dns.clone()).unwrap();
        let fout = w.stuur(&url, "geheim", bericht(b"{}")).await.unwrap_err();
        assert!(fout.starts_with("ssrf:"), "{fout}");
        assert_eq!(dns.vragen.load(Ordering::SeqCst), 2, "one lookup per check");
        assert!(
            !verbonden(&intern),
            "no connection reached the internal address"
        );

        // At delivery too, an internal address carried in an IPv6 one (the outside test
        // of 2 Dec 2026: NAT64 of the metadata address, 6to4 of it, IPv4-compatible
        // loopback) is refused: the resolver checks with `intern_adres`.
        for adres in [
            "64:ff9b::a9fe:a9fe",
            "2002:a9fe:a9fe::",
            "::127.0.0.1",
            "198.18.0.1",
        ] {
            let dns = Gestuurd::nieuw(&[&[adres]]);
            let w = Webhooks::met_opzoeker(Duration::from_secs(5), PROD, dns).unwrap();
            let fout = w.stuur(&url, "geheim", bericht(b"{}")).await.unwrap_err();
            assert!(fout.starts_with("ssrf:"), "{adres}: {fout}");
        }

        // One internal address among public ones refuses the host too.
        let dns = Gestuurd::nieuw(&[&["93.184.216.34", "10.0.0.8"]]);
        let w = Webhooks::met_opzoeker(Duration::from_secs(5), PROD, dns).unwrap();
        assert!(
            w.stuur(&url, "geheim", bericht(b"{}"))
                .await
                .unwrap_err()
                .starts_with("ssrf:")
        );
        assert!(!verbonden(&intern));

        // Control: the client connects to exactly what its resolver answered, so with
        // private networks allowed the same answer does reach the listener.
        let dns = Gestuurd::nieuw(&[&["127.0.0.1"]]);
        let open = UrlRegels {
            ontwikkeling: false,
            prive_toegestaan: true,
        };
        let w = Webhooks::met_opzoeker(Duration::from_secs(2), open, dns).unwrap();
        let intern_kopie = intern.try_clone().unwrap();
        intern_kopie.set_nonblocking(false).unwrap();
        let aanname = std::thread::spawn(move || intern_kopie.accept().is_ok());
        let fout = w.stuur(&url, "geheim", bericht(b"{}")).await.unwrap_err();
        assert!(fout.starts_with("verzenden mislukt"), "{fout}");
        assert!(
            aanname.join().unwrap(),
            "the resolver's address was connected to"
        );
    }

    /// The value of header `naam` in a raw HTTP/1.1 header block.
    fn waarde(kop: &str, naam: &str) -> Option<String> {
        kop.lines().find_map(|r| {
            let (n, w) = r.split_once(':')?;
            n.eq_ignore_ascii_case(naam).then(|| w.trim().to_string())
        })
    }

    #[tokio::test]
    async fn bezorging_ondertekent_id_tijd_en_body() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let poort = l.local_addr().unwrap().port();
        let ontvangen = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            let mut buf = Vec::new();
            let mut stuk = [0u8; 4096];
            let (kop, lengte) = loop {
                let n = s.read(&mut stuk).unwrap();
                buf.extend_from_slice(&stuk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let kop = String::from_utf8_lossy(&buf[..i]).into_owned();
                    let lengte: usize = waarde(&kop, "content-length").unwrap().parse().unwrap();
                    buf.drain(..i + 4);
                    break (kop, lengte);
                }
            };
            while buf.len() < lengte {
                let n = s.read(&mut stuk).unwrap();
                buf.extend_from_slice(&stuk[..n]);
            }
            s.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                .unwrap();
            (kop, buf)
        });
        let dns = Gestuurd::nieuw(&[&["127.0.0.1"]]);
        let w = Webhooks::met_opzoeker(Duration::from_secs(5), DEV, dns.clone()).unwrap();
        let geheim = format!("{GEHEIM_PREFIX}{}", BASE64.encode([7u8; 32]));
        let body = br#"{"specversion":"1.0"}"#;
        w.stuur(
            &format!("http://localhost:{poort}/hook"),
            &geheim,
            bericht(body),
        )
        .await
        .unwrap();
        assert_eq!(dns.vragen.load(Ordering::SeqCst), 1, "resolved once");
        let (kop, ontvangen_body) = ontvangen.join().unwrap();
        let kop_waarde = |naam: &str| waarde(&kop, naam).unwrap();
        assert_eq!(ontvangen_body, body);
        let b = bericht(body);
        assert_eq!(kop_waarde(ID_HEADER), b.id);
        assert_eq!(kop_waarde(TIJDSTIP_HEADER), b.tijdstip.to_string());
        assert_eq!(
            kop_waarde(HANDTEKENING_HEADER),
            handtekening(&[7u8; 32], b.id, b.tijdstip, body)
        );
        assert!(
            waarde(&kop, "ketenregie-signatuur").is_none(),
            "no body-only signature"
        );
    }
}

//! One reader for every JSON request body (issue 13 points 4 and 6; the outside reviews
//! of 1 Dec 2026: every problem named at once).
//!
//! Every route reads its body through `Json<T>` (a required body) or `OptioneleJson<T>` (a
//! body the operation may go without), or, where it needs the bytes too (the
//! `Idempotency-Key` compares them), through `Ruw::lees`. All three apply the same rules:
//!
//! - the route's body limit (`middleware::lichaamsgrens`: 4 MiB for a zorgmelding's
//!   content, `server.body_limit_bytes` elsewhere), also for a chunked body whose length
//!   the head did not state: a 413 problem+json naming the limit. The content type was
//!   checked before (`middleware::lichaamsbeleid`: `application/json` or 415);
//! - no body, or no JSON, is a 400 naming `""` (`required`, `json`);
//! - the body is parsed to a JSON value and the type read from that value strictly
//!   (`streng`): an object only from a JSON object, at any depth, where serde's own
//!   readers take an array for a struct, field by position. No object may hold a key
//!   twice (`dubbel`, found in the same pass that builds the value: `dubbele-sleutel`,
//!   a 400), and no text a NUL;
//! - when that read (or the NUL scan, or a key given twice) refuses, every problem is
//!   named at once
//!   (`lees_voor`): every error of the operation's request schema in the published
//!   document (`schema`, `jsonschema`), by RFC 6901 pointer and JSON Schema keyword
//!   (`unknown` for `additionalProperties: false`); every NUL (`nul-teken`); every key
//!   given twice (`dubbele-sleutel`); and the domain's rules and the registers (`Invoer`)
//!   on what could still be read. Values are never echoed (they may be personal data),
//!   only what was expected.
//!
//! Rules of the domain (an elfproef, a municipality code that does not exist) are checked
//! after reading, by the use case, and are a 422 (`common::validatie::SCHEMAREGELS`);
//! `met_registers` names the registers' problems beside a use case's refusal, and
//! `schema_bij_weigering` the schema's (a body serde reads may still break a `pattern`, a
//! `minLength`, a `format` of the document: then the answer is a 400 naming both kinds).

use crate::middleware::{Lichaamsgrens, lichaamsgrens};
use crate::problem::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use ketenregie_common::InvalidParam;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

mod dubbel;
pub mod regels;
mod schema;
mod streng;

pub use regels::Invoer;
pub use schema::Verzoekschemas;

/// A required JSON body of type `T` (see the module documentation for the rules).
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A JSON body the operation may go without: no body (or an empty one) is `None`; a body
/// that is there is read as strictly as `Json<T>` (a broken one is a 400, never ignored).
#[derive(Debug)]
pub struct OptioneleJson<T>(pub Option<T>);

impl<T> OptioneleJson<T> {
    pub fn into_inner(self) -> Option<T> {
        self.0
    }
}

/// The raw body, for a route that needs its bytes as well as its value (the
/// `Idempotency-Key` compares them): the same limit as `Json<T>`; read the value with
/// `Ruw::lees`.
pub struct Ruw(pub web::Bytes, HttpRequest);

impl std::fmt::Debug for Ruw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Ruw").field(&self.0).finish()
    }
}

impl std::ops::Deref for Ruw {
    type Target = web::Bytes;
    fn deref(&self) -> &web::Bytes {
        &self.0
    }
}

impl Ruw {
    /// The body as `T`, read as `Json<T>` reads it.
    pub async fn lees<T: Invoer>(&self) -> Result<T, AppError> {
        lees_voor(&self.0, Some(&self.1)).await
    }
}

impl FromRequest for Ruw {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let b = bytes(&req, &mut payload).await?;
            Ok(Ruw(b, req))
        })
    }
}

/// The body's bytes, at most the route's limit (a 413 naming it past that).
async fn bytes(req: &HttpRequest, payload: &mut Payload) -> Result<web::Bytes, AppError> {
    let standaard = req
        .app_data::<web::Data<Lichaamsgrens>>()
        .map(|g| g.standaard)
        .unwrap_or(256 * 1024);
    let grens = lichaamsgrens(req.path(), standaard);
    let mut buf = web::BytesMut::new();
    while let Some(deel) = payload.next().await {
        let deel = deel.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => te_groot(grens),
            other => AppError::ongeldig("", "json", format!("De body is onleesbaar: {other}")),
        })?;
        if buf.len() + deel.len() > grens {
            return Err(te_groot(grens));
        }
        buf.extend_from_slice(&deel);
    }
    Ok(buf.freeze())
}

fn te_groot(grens: usize) -> AppError {
    AppError::TeGroot(format!(
        "De body is groter dan de grens van deze route: {grens} bytes ({} KiB)",
        grens / 1024
    ))
}

impl<T: Invoer + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let b = bytes(&req, &mut payload).await?;
            Ok(Json(lees_voor(&b, Some(&req)).await?))
        })
    }
}

impl<T: Invoer + 'static> FromRequest for OptioneleJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let b = bytes(&req, &mut payload).await?;
            if b.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptioneleJson(None));
            }
            Ok(OptioneleJson(Some(lees_voor(&b, Some(&req)).await?)))
        })
    }
}

/// The body as one JSON value, with every key an object of it holds twice (`dubbel`):
/// absent or not JSON at all is refused here (nothing else can be named then).
fn waarde_van(body: &[u8]) -> Result<(serde_json::Value, Vec<InvalidParam>), AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::ongeldig(
            "",
            "required",
            "De body ontbreekt; stuur een JSON-object zoals /api/v1/openapi.json het beschrijft",
        ));
    }
    // Every request body of this API is one JSON object (`openapi::tests`): first whether
    // the body is JSON at all (reading a type straight from the text would name an unknown
    // key met before the text broke off), then the type from the value, strictly (`streng`).
    dubbel::lees(body).map_err(|e| {
        AppError::ongeldig(
            "",
            "json",
            format!(
                "De body is geen geldige JSON (regel {}, kolom {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Read `T` from a JSON body without an operation around it (no published schema to
/// check against): every NUL and serde's refusal named as the module documentation says.
pub fn lees<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let (waarde, dubbel) = waarde_van(body)?;
    let nul = samen(nul_in(&waarde), dubbel);
    match serde_path_to_error::deserialize(streng::Streng(&waarde)) {
        Ok(t) if nul.is_empty() => Ok(t),
        Ok(_) => Err(AppError::validatie(nul)),
        Err(e) => Err(AppError::validatie(samen(nul, probleem(e)))),
    }
}

/// Read `T` from the body of the request `req` (the rules of the module documentation):
/// on the happy path only the strict read and the NUL scan run (the keys given twice are
/// found while the value is built), and the body is kept with the request
/// (`GelezenLichaam`) for `schema_bij_weigering`. When any refuses, every problem is named
/// at once (README "Invalid input: 400 or 422"):
/// 1. every way the body breaks its operation's published schema (`schema`), or serde's
///    one refusal where the document has no schema for it;
/// 2. every text holding a NUL, every key given twice;
/// 3. the domain's rules (`Invoer::regels_bij`, which may read the path) and the registers (`Invoer::gemeenten`,
///    `Invoer::organisaties`) on what can still be read: the body without the fields
///    already named. A rule's problem with a field named in 1 or 2 (or inside or around
///    one) is left out: that field was not read.
pub(crate) async fn lees_voor<T: Invoer>(
    body: &web::Bytes,
    req: Option<&HttpRequest>,
) -> Result<T, AppError> {
    let (waarde, dubbel) = waarde_van(body)?;
    let nul = samen(nul_in(&waarde), dubbel);
    let serdefout = match serde_path_to_error::deserialize(streng::Streng(&waarde)) {
        Ok(t) if nul.is_empty() => {
            if let Some(r) = req {
                r.extensions_mut().insert(GelezenLichaam(body.clone()));
            }
            return Ok(t);
        }
        Ok(_) => None,
        Err(e) => Some(probleem(e)),
    };
    let schema = req.and_then(|r| schemaproblemen(r, &waarde));
    let mut problemen = match (schema, serdefout) {
        // serde is stricter than the document somewhere: its refusal is named too.
        (Some(s), Some(f)) if s.is_empty() => f,
        (Some(s), _) => s,
        (None, f) => f.unwrap_or_default(),
    };
    problemen = samen(problemen, nul);
    if let Some(rest) = rest_van::<T>(&waarde, &problemen) {
        let nu = req
            .and_then(|r| r.app_data::<web::Data<ketenregie_common::Klok>>())
            .map(|k| k.nu())
            .unwrap_or_else(chrono::Utc::now);
        let mut domein = match req {
            Some(r) => rest.regels_bij(nu, r),
            None => rest.regels(nu),
        };
        if let Some(pool) = req.and_then(|r| r.app_data::<web::Data<ketenregie_store::DbPool>>()) {
            domein.extend(registerproblemen(pool, &rest).await);
        }
        problemen = samen(
            problemen.clone(),
            domein
                .into_iter()
                .filter(|d| !raakt(&problemen, &d.name))
                .collect(),
        );
    }
    Err(AppError::validatie(problemen))
}

/// Every way `waarde` breaks the request schema of `req`'s operation (`schema`); `None`
/// when the document has none for it.
fn schemaproblemen(req: &HttpRequest, waarde: &serde_json::Value) -> Option<Vec<InvalidParam>> {
    let doc = req.app_data::<web::Data<crate::app::ApiDocument>>()?;
    doc.verzoekschemas
        .problemen(req.method().as_str(), req.path(), waarde)
}

/// The body a `Json<T>`, `OptioneleJson<T>` or `Ruw::lees` read as its type, kept with the
/// request for `schema_bij_weigering` (the bytes: shared, not copied).
#[derive(Debug, Clone)]
struct GelezenLichaam(web::Bytes);

/// Middleware of the API scope: a handler's refusal of a body its type read
/// (`AppError::Validatie`: a use case's rule, a register, a query rule) with, beside its
/// problems, every way that body breaks its operation's published schema (README "Invalid
/// input: 400 or 422": "With both kinds in one request the answer is a 400 naming all").
/// serde does not check what the document states beyond types (a `pattern`, a
/// `minLength`, a `format`, a `minimum`), and a use case that finds its own rule broken
/// does not say those: before, `{"bsn": "111222333", "postcode": "x"}` to
/// `POST /briefings/_zoek` was a 422 naming only `/bsn` (the outside test of 1 Dec 2026).
/// Every route that reads a body through this module gets it, with nothing to do in the
/// handler. It runs only on that refusal (the body parsed again, the operation's validator
/// compiled the first time): an accepted request costs one extension on the request.
/// Problems named twice (same field, same rule) are named once (`samen`), in the use
/// case's order, the schema's after them.
pub async fn schema_bij_weigering(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(AppError::Validatie { fouten, .. }) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
    else {
        return Ok(res);
    };
    let Some(GelezenLichaam(body)) = res.request().extensions().get::<GelezenLichaam>().cloned()
    else {
        return Ok(res);
    };
    let schema = serde_json::from_slice(&body)
        .ok()
        .and_then(|w| schemaproblemen(res.request(), &w))
        .unwrap_or_default();
    if schema.is_empty() {
        return Ok(res);
    }
    // The use case's problems as it named them, then the schema's it did not.
    let fout = AppError::validatie(samen(fouten.clone(), schema));
    let (req, _) = res.into_parts();
    Ok(ServiceResponse::from_err(fout, req))
}

/// A use case's check of `invoer` (`uitkomst`) with, when it refused the input
/// (`AppError::Validatie`), the registers' rules on it too (`Invoer::gemeenten`,
/// `Invoer::organisaties`): a municipality code that does not exist, an organisation not
/// in the partner directory, each named beside every other problem, where the use case
/// checks them only once every other rule passed (README "Invalid input: 400 or 422").
/// On success nothing extra runs.
pub async fn met_registers<T, I: Invoer, E: Into<AppError>>(
    pool: &ketenregie_store::DbPool,
    invoer: &I,
    uitkomst: Result<T, E>,
) -> Result<T, AppError> {
    match uitkomst.map_err(Into::into) {
        Err(AppError::Validatie { fouten, .. }) => {
            let extra = registerproblemen(pool, invoer).await;
            Err(AppError::validatie(samen(fouten, extra)))
        }
        ander => ander,
    }
}

/// `met_registers` for a check that consumed its input: the registers' fields taken
/// before it (`Invoer::gemeenten`, `Invoer::organisaties`).
pub async fn met_registervelden<T, E: Into<AppError>>(
    pool: &ketenregie_store::DbPool,
    velden: Registervelden,
    uitkomst: Result<T, E>,
) -> Result<T, AppError> {
    met_registers(pool, &velden, uitkomst).await
}

/// The fields of an input that name a register's entry, kept for `met_registervelden`.
#[derive(Debug, serde::Deserialize)]
pub struct Registervelden {
    gemeenten: Vec<(String, String)>,
    organisaties: Vec<(String, String)>,
    #[serde(default)]
    voogdij_instellingen: Vec<(String, String)>,
}

impl Registervelden {
    pub fn van<I: Invoer>(invoer: &I) -> Self {
        Self {
            gemeenten: invoer.gemeenten(),
            organisaties: invoer.organisaties(),
            voogdij_instellingen: invoer.voogdij_instellingen(),
        }
    }
}

impl Invoer for Registervelden {
    fn gemeenten(&self) -> Vec<(String, String)> {
        self.gemeenten.clone()
    }
    fn organisaties(&self) -> Vec<(String, String)> {
        self.organisaties.clone()
    }
    fn voogdij_instellingen(&self) -> Vec<(String, String)> {
        self.voogdij_instellingen.clone()
    }
}

/// The registers' problems of `invoer` (none when the database cannot say: the use case
/// checks them again before anything is stored).
async fn registerproblemen<T: Invoer>(
    pool: &ketenregie_store::DbPool,
    invoer: &T,
) -> Vec<InvalidParam> {
    let gemeenten: Vec<(String, String)> = invoer
        .gemeenten()
        .into_iter()
        .filter(|(_, c)| ketenregie_common::validatie::is_gemeentecode(c))
        .collect();
    let organisaties = invoer.organisaties();
    let voogdij = invoer.voogdij_instellingen();
    if gemeenten.is_empty() && organisaties.is_empty() {
        return Vec::new();
    }
    crate::db::lees_los(pool, move |conn| {
        let mut uit = Vec::new();
        if let Err(ketenregie_common::Fout::Ongeldig(f)) =
            ketenregie_store::referentie::bestaande_gemeenten(conn, &gemeenten)
        {
            uit.extend(f);
        }
        for (naam, code) in organisaties {
            match ketenregie_store::directory::kern_op_code(conn, &code)
                .map_err(crate::db::db_fout)?
            {
                None => uit.push(regels::niet_geregistreerd(&naam)),
                Some((_, _, soort)) if voogdij.iter().any(|(n, _)| *n == naam) => {
                    uit.extend(ketenregie_case::gezag::instelling_gecertificeerd(
                        &naam, soort,
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(uit)
    })
    .await
    .unwrap_or_default()
}

/// `a` and then each problem of `b` not already in it (by field and rule).
fn samen(mut a: Vec<InvalidParam>, b: Vec<InvalidParam>) -> Vec<InvalidParam> {
    for p in b {
        let w = ketenregie_common::validatie::json_pointer(&p.name);
        if !a
            .iter()
            .any(|q| q.code == p.code && ketenregie_common::validatie::json_pointer(&q.name) == w)
        {
            a.push(p);
        }
    }
    a
}

/// Whether the field `naam` is one of `problemen`'s fields, inside one or around one (an
/// unknown key or one given twice only as itself: the object around it, and the key's
/// last value, were read).
fn raakt(problemen: &[InvalidParam], naam: &str) -> bool {
    let w = ketenregie_common::validatie::json_pointer(naam);
    problemen.iter().any(|p| {
        let q = ketenregie_common::validatie::json_pointer(&p.name);
        q == w
            || (p.code != "unknown"
                && p.code != dubbel::CODE
                && (q.is_empty()
                    || w.starts_with(&format!("{q}/"))
                    || q.starts_with(&format!("{w}/"))))
    })
}

/// What can still be read as `T` from `waarde` without the fields `problemen` name: each
/// named field left out (except a value whose content, not type, breaks the schema) (an element of a list: the whole list), then, while serde still
/// refuses a field, that one too (at most 64 times). `None` when it cannot be read (a
/// required field of the type itself is missing, or the body is no object).
fn rest_van<T: DeserializeOwned>(
    waarde: &serde_json::Value,
    problemen: &[InvalidParam],
) -> Option<T> {
    let mut rest = waarde.clone();
    for p in problemen {
        match p.code.as_str() {
            // Absent; or given twice, read as the last (as a JSON Schema validator reads
            // it), the field's own rules' problems left out by `raakt`.
            "required" | dubbel::CODE => {}
            // A value of the right type whose content breaks the schema stays: the
            // domain's rules then see that it was given (an invalid e-mail address is no
            // missing one, `een-van`), and their own problems with it are left out by
            // `raakt`; a typed field serde cannot read is left out below.
            "format" | "pattern" | "minLength" | "maxLength" | "minimum" | "maximum" => {}
            // A key that does not look like a name is named by its object: every such key
            // of it goes (the schema's own keys all look like names).
            "unknown"
                if !p
                    .name
                    .rsplit('/')
                    .next()
                    .is_some_and(schema::toonbare_sleutel) =>
            {
                if let Some(serde_json::Value::Object(o)) = rest.pointer_mut(&p.name) {
                    o.retain(|k, _| schema::toonbare_sleutel(k));
                }
            }
            _ => {
                laat_weg(&mut rest, &p.name);
            }
        }
    }
    for _ in 0..64 {
        match serde_path_to_error::deserialize(streng::Streng(&rest)) {
            Ok(t) if nul_in(&rest).is_empty() => return Some(t),
            Ok(_) => return None,
            Err(e) => {
                let plek = pointer(e.path());
                if plek.is_empty() || !laat_weg(&mut rest, &plek) {
                    return None;
                }
            }
        }
    }
    None
}

/// Leave the field at pointer `pad` out of `waarde`: a key of an object is removed; an
/// element of a list removes the whole list (the other elements keep their place, and so
/// their names). Whether anything was removed.
fn laat_weg(waarde: &mut serde_json::Value, pad: &str) -> bool {
    use serde_json::Value;
    let Some((ouder, laatste)) = pad.rsplit_once('/') else {
        return false;
    };
    let sleutel = laatste.replace("~1", "/").replace("~0", "~");
    match waarde.pointer_mut(ouder) {
        Some(Value::Object(o)) => o.remove(&sleutel).is_some(),
        Some(Value::Array(_)) => laat_weg(waarde, ouder),
        _ => false,
    }
}

/// Every text in `waarde` (a value, or a key: then its object) holding a NUL character
/// (U+0000), each named. No text of this API holds one: PostgreSQL's `text` cannot store
/// it, so it was a 500 there (a contact point's name) and stored as sent on SQLite (task
/// h17review). A rule of the server, not of the document: code `nul-teken` (a 422 alone,
/// a 400 with a schema problem beside it).
fn nul_in(waarde: &serde_json::Value) -> Vec<InvalidParam> {
    fn zoek(waarde: &serde_json::Value, pad: &str, uit: &mut Vec<InvalidParam>) {
        use serde_json::Value;
        match waarde {
            Value::String(s) if s.contains('\0') => uit.push(nul_probleem(pad)),
            Value::Array(a) => {
                for (i, w) in a.iter().enumerate() {
                    zoek(w, &format!("{pad}/{i}"), uit);
                }
            }
            Value::Object(o) => {
                if o.keys().any(|k| k.contains('\0')) {
                    uit.push(nul_probleem(pad));
                }
                for (k, w) in o.iter().filter(|(k, _)| !k.contains('\0')) {
                    zoek(w, &schema::onder(pad, k), uit);
                }
            }
            _ => {}
        }
    }
    let mut uit = Vec::new();
    zoek(waarde, "", &mut uit);
    uit
}

fn nul_probleem(pad: &str) -> InvalidParam {
    let veld = if pad.is_empty() {
        "De body".to_string()
    } else {
        format!("`{pad}`")
    };
    InvalidParam {
        name: pad.to_string(),
        code: "nul-teken".into(),
        reason: format!(
            "{veld} bevat een NUL-teken (U+0000); geen tekst van deze API mag er een bevatten"
        ),
    }
}

/// The RFC 6901 pointer of a `serde_path_to_error` path (`""` for the root).
fn pointer(pad: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut uit = String::new();
    for s in pad.iter() {
        let token = match s {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        uit.push('/');
        uit.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    uit
}

/// The text between the first pair of backticks of a serde message (a field's name).
fn tussen_backticks(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

/// A serde refusal as one named problem (where the document has no schema to name them
/// all): what was expected, in Dutch, never the value sent.
fn probleem(e: serde_path_to_error::Error<serde_json::Error>) -> Vec<InvalidParam> {
    let binnen = e.inner();
    let plek = pointer(e.path());
    let veld = |p: &str| {
        if p.is_empty() {
            "De body".to_string()
        } else {
            format!("`{p}`")
        }
    };
    if binnen.is_syntax() || binnen.is_eof() {
        // The text is JSON (`lees` checked it first): serde_json reports a value of the
        // wrong kind for an enumeration (`"rol": 7`) as "expected value".
        return vec![InvalidParam {
            reason: format!("{} heeft het verkeerde type", veld(&plek)),
            name: plek,
            code: "type".into(),
        }];
    }
    let msg = binnen.to_string();
    // A field's own name, under the object it belongs to (serde names it in the message;
    // the path may already end with it).
    let onder = |naam: &str| {
        let token = format!("/{}", naam.replace('~', "~0").replace('/', "~1"));
        if plek.ends_with(&token) {
            plek.clone()
        } else {
            format!("{plek}{token}")
        }
    };
    let (name, code, reason) = if msg.starts_with("unknown field") {
        let naam = tussen_backticks(&msg).unwrap_or_default();
        // A name is echoed only when it looks like one (nothing personal typed as a key).
        let name = if schema::toonbare_sleutel(naam) {
            onder(naam)
        } else {
            // The object it was found in (the path may end with the key itself).
            let token = format!("/{}", naam.replace('~', "~0").replace('/', "~1"));
            plek.strip_suffix(&token).unwrap_or(&plek).to_string()
        };
        let reason = format!(
            "{} bevat een veld dat dit schema niet kent; laat het weg",
            veld(&name)
        );
        (name, "unknown", reason)
    } else if msg.starts_with("missing field") {
        let name = onder(tussen_backticks(&msg).unwrap_or_default());
        let reason = format!("`{name}` is verplicht");
        (name, "required", reason)
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid length") {
        let reason = if msg.contains("expected struct") {
            format!(
                "{} heeft het verkeerde type; verwacht een object",
                veld(&plek)
            )
        } else {
            format!("{} heeft het verkeerde type", veld(&plek))
        };
        (plek, "type", reason)
    } else if msg.contains("expected a UUID") {
        // `common::ids::StrikteUuid` (rule `UUID_CANONIEK`).
        let reason = format!(
            "{} is geen geldige waarde; verwacht een UUID (8-4-4-4-12 hexadecimale tekens)",
            veld(&plek)
        );
        (plek, "format", reason)
    } else if msg.starts_with("unknown variant") {
        let reason = format!("{} is geen toegestane waarde", veld(&plek));
        (plek, "enum", reason)
    } else {
        let reason = format!("{} past niet in het schema van dit veld", veld(&plek));
        (plek, "schema", reason)
    };
    vec![InvalidParam {
        name,
        code: code.into(),
        reason,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Kind {
        voornaam: Option<String>,
        bsn: Option<String>,
        gezag: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Melder {
        naam: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Invoer {
        kinderen: Option<Vec<Kind>>,
        melder: Option<Melder>,
        acuut: Option<bool>,
    }

    fn naam_en_code(body: &str) -> (String, String, String) {
        let Err(AppError::Validatie { fouten, .. }) = lees::<Invoer>(body.as_bytes()) else {
            panic!("{body} is refused as invalid input");
        };
        assert_eq!(fouten.len(), 1, "{fouten:?}");
        let f = &fouten[0];
        (f.name.clone(), f.code.clone(), f.reason.clone())
    }

    /// Every serde refusal named by its JSON pointer and the rule it breaks (issue 13
    /// point 6), nested and in arrays, without echoing a value.
    #[test]
    fn names_are_json_pointers() {
        for (body, naam, code) in [
            (
                r#"{"kinderen": [{}, {"bsn": 999990032}]}"#,
                "/kinderen/1/bsn",
                "type",
            ),
            (
                r#"{"kinderen": [{"kleur": "rood"}]}"#,
                "/kinderen/0/kleur",
                "unknown",
            ),
            (r#"{"melder": {}}"#, "/melder/naam", "required"),
            (
                r#"{"melder": {"naam": "A", "rang": 1}}"#,
                "/melder/rang",
                "unknown",
            ),
            (r#"{"acuut": "ja"}"#, "/acuut", "type"),
            (r#"{"onbekend": 1}"#, "/onbekend", "unknown"),
            // A declared field name of another schema is named.
            (
                r#"{"kinderen": [{"relatie": "kind"}]}"#,
                "/kinderen/0/relatie",
                "unknown",
            ),
            (r#"{"Visser999990020": 1}"#, "", "unknown"),
            (r#"[]"#, "", "type"),
            (r#"{"acuut": tru"#, "", "json"),
            (r#"{} {}"#, "", "json"),
            ("", "", "required"),
            (r#"{"melder": ["A"]}"#, "/melder", "type"),
            (
                r#"{"kinderen": [[null, null, null]]}"#,
                "/kinderen/0",
                "type",
            ),
            (r#"{"kinderen": {"0": {}}}"#, "/kinderen", "type"),
        ] {
            let (n, c, reason) = naam_en_code(body);
            assert_eq!((n.as_str(), c.as_str()), (naam, code), "{body}: {reason}");
            assert!(
                !reason.contains("999990032") && !reason.contains("rood"),
                "{reason}"
            );
        }
        // A key that does not look like a name is not echoed.
        let (n, c, _) = naam_en_code(r#"{"kinderen": [{"999990032": 1}]}"#);
        assert_eq!((n.as_str(), c.as_str()), ("/kinderen/0", "unknown"));
        assert!(lees::<Invoer>(br#"{"kinderen": [{"bsn": "999990032"}]}"#).is_ok());
    }
}

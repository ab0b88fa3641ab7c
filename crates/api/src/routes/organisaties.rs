//! `/api/v1/organisaties`: the partner organisations, the municipalities each serves and
//! their legal regime. Readable by every authenticated partner.
//!
//! `ORGANISATIE_GEREGISTREERD` (issue 11 point 2; DOMAIN.md §4 "Parties and legal
//! regimes", DESIGN.md §5): an organisation is registered, not self-declared. Its
//! registered fields — `code` (what tokens name), `soort` (what every policy decision
//! reads), `rechtsregime`, `oin` and `gemeenten` (which Veilig Thuis a zorgmelding is
//! routed to) — are set and changed by the platform admin only. The organisation's own
//! functional admin edits its name (and its contact points); a change of a registered
//! field by anyone else is a 403 naming the fields. Every registration and change is in
//! the audit trail with old and new values, and so is every refusal. The rules live in
//! `ketenregie_privacy::register`; the handlers parse, call one use case and answer.

use crate::auth::Aanroeper;
use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{OrganisatieSoort, Rechtsregime, Validatie, is_gemeentecode, is_oin};
use ketenregie_privacy::register::organisaties::{self, OrganisatieVelden};
use ketenregie_privacy::stamgegevens::Stamgegevens;
use ketenregie_store::DbPool;
use ketenregie_store::directory::{Organisatie, OrganisatieFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A partner organisation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieDto {
    pub id: Uuid,
    /// Short unique code; tokens name the organisation by it (`organisatie` claim).
    #[schema(example = "vt-haaglanden")]
    pub code: String,
    #[schema(example = "Veilig Thuis Haaglanden")]
    pub naam: String,
    /// Organisatie-identificatienummer (20 digits), where it has one.
    #[schema(example = "00000001234567890000")]
    pub oin: Option<String>,
    pub soort: OrganisatieSoort,
    pub rechtsregime: Rechtsregime,
    /// CBS codes of the municipalities it serves.
    #[schema(example = json!(["0518", "0603"]))]
    pub gemeenten: Vec<String>,
    /// Increases with every change; also the ETag.
    pub versie: i64,
    pub aangemaakt_op: DateTime<Utc>,
    pub gewijzigd_op: DateTime<Utc>,
}

impl From<Organisatie> for OrganisatieDto {
    fn from(o: Organisatie) -> Self {
        Self {
            id: o.id,
            code: o.code,
            naam: o.naam,
            oin: o.oin,
            soort: o.soort,
            rechtsregime: o.rechtsregime,
            gemeenten: o.gemeenten,
            versie: o.versie,
            aangemaakt_op: o.aangemaakt_op,
            gewijzigd_op: o.gewijzigd_op,
        }
    }
}

/// Registering or replacing an organisation. Every problem is reported at once. The
/// organisation's own functional admin may leave out the registered fields (`code`,
/// `soort`, `rechtsregime`, `oin`, `gemeenten`); sent, they must equal the registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganisatieInvoer {
    /// Lowercase letters, digits and hyphens, 2 to 63 characters.
    #[schema(required = true, value_type = String, pattern = r"^[a-z0-9][a-z0-9-]{1,62}$", example = "vt-haaglanden")]
    pub code: Option<String>,
    #[schema(required = true, value_type = String, min_length = 1, max_length = 200, pattern = r"\S", example = "Veilig Thuis Haaglanden")]
    pub naam: Option<String>,
    #[schema(value_type = Option<String>, example = "00000001234567890000")]
    pub oin: Option<String>,
    #[schema(required = true, value_type = OrganisatieSoort)]
    pub soort: Option<String>,
    /// Defaults to the usual regime of the kind (politie: wpg, veilig-thuis: wmo-2015...).
    #[schema(value_type = Option<Rechtsregime>)]
    pub rechtsregime: Option<String>,
    /// CBS codes (4 digits) of the municipalities it serves.
    #[schema(value_type = Option<Vec<String>>, max_items = 400, example = json!(["0518"]))]
    pub gemeenten: Option<Vec<String>>,
}

/// A change of an organisation (`PUT`), on the wire as `OrganisatieInvoer`; only the
/// published schema differs: `code` and `soort` may be left out by the organisation's own
/// functional admin (the platform admin sends them: a 400 naming each otherwise).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub struct OrganisatieWijziging {
    /// Lowercase letters, digits and hyphens, 2 to 63 characters; required from the
    /// platform admin.
    #[schema(required = false, value_type = String, pattern = r"^[a-z0-9][a-z0-9-]{1,62}$", example = "vt-haaglanden")]
    code: Option<String>,
    #[schema(required = true, value_type = String, min_length = 1, max_length = 200, pattern = r"\S", example = "Veilig Thuis Haaglanden")]
    naam: Option<String>,
    #[schema(value_type = Option<String>, example = "00000001234567890000")]
    oin: Option<String>,
    /// Required from the platform admin.
    #[schema(required = false, value_type = OrganisatieSoort)]
    soort: Option<String>,
    #[schema(value_type = Option<Rechtsregime>)]
    rechtsregime: Option<String>,
    #[schema(value_type = Option<Vec<String>>, max_items = 400, example = json!(["0518"]))]
    gemeenten: Option<Vec<String>>,
}

const MAX_GEMEENTEN: usize = 400;

fn is_code(c: &str) -> bool {
    (2..=63).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !c.starts_with('-')
}

impl OrganisatieInvoer {
    /// Check the form of every field sent; `registratie` also requires `code` and `soort`
    /// (a registration, or the platform admin's replacement); `platform` is the platform's
    /// own code, which no organisation takes (`PLATFORMCODE_GERESERVEERD`). Every problem
    /// at once.
    fn valideer(&self, registratie: bool, platform: &str) -> Result<OrganisatieVelden, AppError> {
        let mut v = Validatie::new();
        let code = match (&self.code, registratie) {
            (None, false) => None,
            (c, _) => v.tekstregel("code", c.as_deref(), 63),
        };
        if let Some(c) = &code
            && !is_code(c)
        {
            v.fout(
                "code",
                "pattern",
                "`code` bestaat uit kleine letters, cijfers en koppeltekens (2 tot 63 tekens)",
            );
        }
        if code.as_deref() == Some(platform) {
            v.fout(
                "code",
                ketenregie_common::regelcode::GERESERVEERD,
                format!(
                    "`code` is de code van het platform zelf (auth.platform_organisation) en geen partnerorganisatie (regel {})",
                    organisaties::PLATFORMCODE_GERESERVEERD
                ),
            );
        }
        let naam = v.tekstregel("naam", self.naam.as_deref(), 200);
        if let Some(n) = &naam
            && let Err(reden) = ketenregie_common::organisatie::naam_leesbaar(n)
        {
            v.fout("naam", "leesbaar", reden);
        }
        let oin = v.optionele_tekstregel("oin", self.oin.as_deref(), 20);
        if let Some(o) = &oin
            && !is_oin(o)
        {
            v.fout("oin", "pattern", "een OIN bestaat uit precies 20 cijfers");
        }
        let soort: Option<OrganisatieSoort> = match (&self.soort, registratie) {
            (None, false) => None,
            (s, _) => v.keuze("soort", s.as_deref()),
        };
        let rechtsregime: Option<Rechtsregime> = match self.rechtsregime.as_deref() {
            None => None,
            Some(r) => v.keuze("rechtsregime", Some(r)),
        };
        if let Some(gemeenten) = &self.gemeenten {
            if gemeenten.len() > MAX_GEMEENTEN {
                v.fout(
                    "gemeenten",
                    "maxItems",
                    format!("hoogstens {MAX_GEMEENTEN} gemeenten"),
                );
            }
            for (i, g) in gemeenten.iter().enumerate() {
                if !is_gemeentecode(g) {
                    v.fout(
                        format!("gemeenten[{i}]"),
                        "pattern",
                        format!(
                            "`gemeenten[{i}]` is geen CBS-gemeentecode (4 cijfers, zoals 0363)"
                        ),
                    );
                }
            }
        }
        let gemeenten = self.gemeenten.clone().map(|mut g| {
            g.sort();
            g.dedup();
            g
        });
        v.afronden(|| OrganisatieVelden {
            code,
            naam,
            oin,
            soort,
            rechtsregime,
            gemeenten,
        })
        .map_err(AppError::validatie)
    }
}

/// Filters and paging for the organisation list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct OrganisatieZoekParams {
    /// Only organisations of this kind.
    pub soort: Option<OrganisatieSoort>,
    /// Only organisations that serve this municipality (CBS code; one that does not exist
    /// is a 422 naming `gemeente`).
    pub gemeente: Option<String>,
    /// Only the organisation with this code: a lookup, so a code no organisation holds
    /// answers an empty page (the code is free), not a 422.
    pub code: Option<String>,
    /// Page number, from 1 (default 1): a jump from the start, not with `cursor`.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
    /// The position of a page, as the links `next` and `previous` carry it (opaque; a
    /// cursor not issued by this list is a 422 naming `cursor`).
    #[param(pattern = "^[A-Za-z0-9_-]+$", max_length = 512)]
    pub cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/organisaties",
    tag = "organisaties",
    operation_id = "organisatiesZoeken",
    summary = "Organisaties opvragen",
    params(OrganisatieZoekParams),
    responses(
        (status = 200, description = "Een pagina organisaties", body = inline(Lijst<OrganisatieDto>)),
    ),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    _aanroeper: Aanroeper,
    pool: web::Data<DbPool>,
    q: web::Query<OrganisatieZoekParams>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    if let Some(g) = &q.gemeente
        && !is_gemeentecode(g)
    {
        v.fout(
            "gemeente",
            "pattern",
            "een CBS-gemeentecode bestaat uit 4 cijfers",
        );
    }
    paging::check(v)?;
    let filter = OrganisatieFilter {
        soort: q.soort,
        gemeente: q.gemeente,
        code: q.code,
    };
    let venster = p.venster(
        ketenregie_store::directory::LIJST_ORGANISATIES,
        q.cursor.as_deref(),
    )?;
    let pagina = db::run(&pool, move |c| {
        Ok(organisaties::zoek(c, &filter, &venster)?)
    })
    .await?;
    let pagina = pagina.map(OrganisatieDto::from);
    Ok(HttpResponse::Ok().json(Lijst::pagina(
        &req,
        ketenregie_store::directory::LIJST_ORGANISATIES,
        pagina,
    )))
}

#[utoipa::path(
    post,
    path = "/organisaties",
    tag = "organisaties",
    operation_id = "organisatieRegistreren",
    summary = "Organisatie registreren",
    description = "The platform admin registers a partner organisation with its kind, legal regime, OIN and service area (rule ORGANISATIE_GEREGISTREERD: an organisation does not declare these itself). A name another organisation has is a 422 naming `naam` (NAAM_UNIEK: compared on a key that takes look-alikes as the same name: Unicode NFKC, the TR39 confusable skeleton, small capitals as their letter, without case, whitespace, punctuation and invisible characters). A name holds letters and digits (TR39 Identifier_Status Allowed), spaces and ordinary punctuation, its letters of one script (TR39 Highly Restrictive); a symbol, an emoji, a small capital, an invisible character or Latin mixed with Cyrillic or Greek is a 422 naming `naam` (NAAM_LEESBAAR, code `leesbaar`). Recorded in the audit trail.",
    request_body = OrganisatieInvoer,
    responses(
        (status = 201, description = "Geregistreerd", body = OrganisatieDto,
            headers(("Location" = String, description = "URL of the new organisation"), ("ETag" = String, description = "The version, for If-Match"))),
        (status = 403, description = "Geen platformbeheerder", body = Problem),
        (status = 409, description = "Code of OIN bestaat al", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn registreer(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    verifier: web::Data<crate::auth::Verifier>,
    body: crate::lichaam::Json<OrganisatieInvoer>,
) -> Result<HttpResponse, AppError> {
    let platform = verifier.platformorganisatie();
    let g = crate::lichaam::met_registers(&pool, &*body, body.valideer(true, platform))
        .await?
        .volledig()?;
    let (c2, object) = (ctx.clone(), organisaties::object(&ctx, None));
    let o = verwerking::tx(&pool, &ctx, "aanmaken", object, move |c| {
        Ok(organisaties::registreer(c, &c2, g)?)
    })
    .await?;
    tracing::info!(organisatie_id = %o.id, "organisatie geregistreerd");
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/organisaties/{}", o.id)))
        .insert_header(etag(o.versie))
        .json(OrganisatieDto::from(o)))
}

#[utoipa::path(
    get,
    path = "/organisaties/{id}",
    tag = "organisaties",
    operation_id = "organisatieOpvragen",
    summary = "Eén organisatie",
    params(("id" = Uuid, Path, description = "Id of the organisation")),
    responses(
        (status = 200, description = "De organisatie", body = OrganisatieDto,
            headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 404, description = "Bestaat niet", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    req: HttpRequest,
    _aanroeper: Aanroeper,
    pool: web::Data<DbPool>,
    stamgegevens: web::Data<Stamgegevens>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // One statement, which also reads the register's version stamp: the authentication's
    // provisional check of the register is confirmed at that stamp (`auth::bevestig`)
    // before anything is answered.
    let voorlopig = crate::auth::Voorlopig::van(&req);
    let o = db::run(&pool, move |c| {
        let gelezen = organisaties::lees_met_stempel(c, id);
        let stempel = gelezen.as_ref().ok().map(|(_, s)| *s);
        crate::auth::bevestig(c, &stamgegevens, voorlopig.as_ref(), stempel)?;
        Ok(gelezen?.0)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(o.versie))
        .json(OrganisatieDto::from(o)))
}

#[utoipa::path(
    put,
    path = "/organisaties/{id}",
    tag = "organisaties",
    operation_id = "organisatieWijzigen",
    summary = "Organisatie wijzigen",
    description = "The platform admin replaces the registration (code, name, kind, legal regime, OIN, municipalities). The organisation's own functional admin changes its name only: the registered fields may be left out, and when sent must equal what is registered; another value is a 403 naming each such field in `invalidParams` (rule ORGANISATIE_GEREGISTREERD). A name another organisation has is a 422 naming `naam` (NAAM_UNIEK: compared on a key that takes look-alikes as the same name: Unicode NFKC, the TR39 confusable skeleton, small capitals as their letter, without case, whitespace, punctuation and invisible characters). A name holds letters and digits (TR39 Identifier_Status Allowed), spaces and ordinary punctuation, its letters of one script (TR39 Highly Restrictive); a symbol, an emoji, a small capital, an invisible character or Latin mixed with Cyrillic or Greek is a 422 naming `naam` (NAAM_LEESBAAR, code `leesbaar`). Every change is in the audit trail with old and new values. Send `If-Match` with the ETag of your last read to be sure you do not overwrite someone else's change.",
    params(
        ("id" = Uuid, Path, description = "Id of the organisation"),
        ("If-Match" = Option<String>, Header, description = "ETag from an earlier read"),
    ),
    request_body = OrganisatieWijziging,
    responses(
        (status = 200, description = "Gewijzigd", body = OrganisatieDto, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Geen beheerder van deze organisatie, of een geregistreerd veld dat alleen de platformbeheerder wijzigt (benoemd in invalidParams)", body = Problem),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 409, description = "Code of OIN bestaat al", body = Problem),
        (status = 412, description = "De versie is intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn wijzig(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    verifier: web::Data<crate::auth::Verifier>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<OrganisatieInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let verwacht = if_match(&req)?;
    let velden = crate::lichaam::met_registers(
        &pool,
        &*body,
        body.valideer(
            organisaties::vervangt_registratie(&ctx.actor),
            verifier.platformorganisatie(),
        ),
    )
    .await?;
    let (c2, object) = (ctx.clone(), organisaties::object(&ctx, Some(id)));
    let o = verwerking::tx(&pool, &ctx, "wijzigen", object, move |c| {
        Ok(organisaties::wijzig(c, &c2, id, velden, &verwacht)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(o.versie))
        .json(OrganisatieDto::from(o)))
}

impl crate::lichaam::Invoer for OrganisatieInvoer {
    /// The rules of a change (`registratie` false): a registration's required fields are
    /// required by its schema too.
    fn regels_bij(
        &self,
        _nu: chrono::DateTime<chrono::Utc>,
        req: &HttpRequest,
    ) -> Vec<ketenregie_common::InvalidParam> {
        let platform = req
            .app_data::<web::Data<crate::auth::Verifier>>()
            .map(|v| v.platformorganisatie().to_string())
            .unwrap_or_default();
        crate::lichaam::regels::uit_apperror(self.valideer(false, &platform))
    }
    fn gemeenten(&self) -> Vec<(String, String)> {
        self.gemeenten
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, g)| (format!("gemeenten[{i}]"), g.clone()))
            .collect()
    }
}

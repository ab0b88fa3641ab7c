//! `/api/v1/organisaties`: the partner organisations, the municipalities each serves and
//! their legal regime. Readable by every authenticated partner; managed by the owning
//! organisation's functional admin (or the platform admin).

use crate::auth::Aanroeper;
use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match_versie};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{
    Actor, OrganisatieSoort, Rechtsregime, Validatie, is_gemeentecode, is_oin,
};
use ketenregie_store::DbPool;
use ketenregie_store::directory::{self, Organisatie, OrganisatieFilter, OrganisatieGegevens};
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

/// Registering or replacing an organisation. Every problem is reported at once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganisatieInvoer {
    /// Lowercase letters, digits and hyphens, 2 to 63 characters.
    #[schema(required = true, value_type = String, example = "vt-haaglanden")]
    pub code: Option<String>,
    #[schema(required = true, value_type = String, example = "Veilig Thuis Haaglanden")]
    pub naam: Option<String>,
    #[schema(value_type = Option<String>, example = "00000001234567890000")]
    pub oin: Option<String>,
    #[schema(required = true, value_type = OrganisatieSoort)]
    pub soort: Option<String>,
    /// Defaults to the usual regime of the kind (politie: wpg, veilig-thuis: wmo-2015...).
    #[schema(value_type = Option<Rechtsregime>)]
    pub rechtsregime: Option<String>,
    /// CBS codes (4 digits) of the municipalities it serves.
    #[schema(value_type = Option<Vec<String>>, example = json!(["0518"]))]
    pub gemeenten: Option<Vec<String>>,
}

const MAX_GEMEENTEN: usize = 400;

fn is_code(c: &str) -> bool {
    (2..=63).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !c.starts_with('-')
}

impl OrganisatieInvoer {
    fn valideer(&self) -> Result<OrganisatieGegevens, AppError> {
        let mut v = Validatie::new();
        let code = v.tekst("code", self.code.as_deref(), 63);
        if let Some(c) = &code
            && !is_code(c)
        {
            v.fout(
                "code",
                "pattern",
                "`code` bestaat uit kleine letters, cijfers en koppeltekens (2 tot 63 tekens)",
            );
        }
        let naam = v.tekst("naam", self.naam.as_deref(), 200);
        let oin = v.optionele_tekst("oin", self.oin.as_deref(), 20);
        if let Some(o) = &oin
            && !is_oin(o)
        {
            v.fout("oin", "pattern", "een OIN bestaat uit precies 20 cijfers");
        }
        let soort: Option<OrganisatieSoort> = v.keuze("soort", self.soort.as_deref());
        let regime: Option<Rechtsregime> = match self.rechtsregime.as_deref() {
            None => soort.map(OrganisatieSoort::gebruikelijk_regime),
            Some(r) => v.keuze("rechtsregime", Some(r)),
        };
        let gemeenten = self.gemeenten.clone().unwrap_or_default();
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
                    format!("`{g}` is geen CBS-gemeentecode (4 cijfers, zoals 0363)"),
                );
            }
        }
        let fouten = v.afronden(|| ()).err();
        match (fouten, code, naam, soort, regime) {
            (None, Some(code), Some(naam), Some(soort), Some(rechtsregime)) => {
                Ok(OrganisatieGegevens {
                    code,
                    naam,
                    oin,
                    soort,
                    rechtsregime,
                    gemeenten,
                })
            }
            (Some(f), ..) => Err(AppError::validatie(f)),
            _ => Err(AppError::intern(
                "validation returned no value and no error",
            )),
        }
    }
}

/// Municipality codes must be real (the reference data), not just four digits: each
/// `(field name, code)` whose code is unknown is named in the 400. Without loaded
/// reference data only the format (checked earlier) applies.
pub fn controleer_gemeentecodes(
    conn: &mut ketenregie_store::DbConnection,
    velden: &[(String, String)],
) -> Result<(), AppError> {
    let codes: Vec<String> = velden.iter().map(|(_, c)| c.clone()).collect();
    let onbekend = ketenregie_store::referentie::onbekende_gemeenten(conn, &codes)?;
    if onbekend.is_empty() || !ketenregie_store::referentie::geladen(conn)? {
        return Ok(());
    }
    Err(AppError::validatie(
        velden
            .iter()
            .filter(|(_, c)| onbekend.contains(c))
            .map(|(naam, c)| ketenregie_common::InvalidParam {
                name: naam.clone(),
                code: "gemeentecode-onbekend".into(),
                reason: format!("`{naam}`: `{c}` is geen bestaande CBS-gemeentecode (zie de gemeentelijst in data/refdata)"),
            })
            .collect(),
    ))
}

/// `controleer_gemeentecodes` for a list field (`gemeenten[i]`) or a single filter.
pub fn controleer_gemeenten(
    conn: &mut ketenregie_store::DbConnection,
    veld: &str,
    codes: &[String],
) -> Result<(), AppError> {
    let velden: Vec<(String, String)> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let naam = if veld == "gemeente" {
                veld.to_string()
            } else {
                format!("{veld}[{i}]")
            };
            (naam, c.clone())
        })
        .collect();
    controleer_gemeentecodes(conn, &velden)
}

fn mag_beheren(actor: &Actor, code: &str) -> Result<(), AppError> {
    if actor.beheert_organisatie(code) {
        Ok(())
    } else {
        Err(AppError::GeenToegang(format!(
            "Alleen een functioneel beheerder van `{code}` of een platformbeheerder mag deze organisatie beheren"
        )))
    }
}

/// Filters and paging for the organisation list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct OrganisatieZoekParams {
    /// Only organisations of this kind.
    pub soort: Option<OrganisatieSoort>,
    /// Only organisations that serve this municipality (CBS code).
    pub gemeente: Option<String>,
    /// Only the organisation with this code.
    pub code: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    pub page_size: Option<u32>,
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
    let p = Paginering::uit(&mut v, q.page, q.page_size);
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
    let pagina = db::run(&pool, move |c| {
        if let Some(g) = &filter.gemeente {
            controleer_gemeenten(c, "gemeente", std::slice::from_ref(g))?;
        }
        directory::organisaties(c, &filter, p.offset(), p.limit()).map_err(AppError::from)
    })
    .await?;
    let items = pagina.items.into_iter().map(OrganisatieDto::from).collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, pagina.totaal, items)))
}

#[utoipa::path(
    post,
    path = "/organisaties",
    tag = "organisaties",
    operation_id = "organisatieRegistreren",
    summary = "Organisatie registreren",
    description = "A functional admin registers their own organisation (the `code` must equal the token's `organisatie`); a platform admin may register any.",
    request_body = OrganisatieInvoer,
    responses(
        (status = 201, description = "Geregistreerd", body = OrganisatieDto,
            headers(("Location" = String, description = "URL of the new organisation"))),
        (status = 403, description = "Geen beheerder van deze organisatie", body = Problem),
        (status = 409, description = "Code of OIN bestaat al", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn registreer(
    Aanroeper(actor): Aanroeper,
    pool: web::Data<DbPool>,
    body: web::Json<OrganisatieInvoer>,
) -> Result<HttpResponse, AppError> {
    let g = body.valideer()?;
    mag_beheren(&actor, &g.code)?;
    let o = db::tx(&pool, move |c| {
        controleer_gemeenten(c, "gemeenten", &g.gemeenten)?;
        directory::maak_organisatie(c, g).map_err(AppError::from)
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
    _aanroeper: Aanroeper,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = db::run(&pool, move |c| {
        directory::organisatie(c, id).map_err(AppError::from)
    })
    .await?
    .ok_or_else(|| AppError::NietGevonden(format!("Er is geen organisatie met id {id}")))?;
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
    description = "Replaces the registration. Send `If-Match` with the ETag of your last read to be sure you do not overwrite someone else's change.",
    params(
        ("id" = Uuid, Path, description = "Id of the organisation"),
        ("If-Match" = Option<String>, Header, description = "ETag from an earlier read"),
    ),
    request_body = OrganisatieInvoer,
    responses(
        (status = 200, description = "Gewijzigd", body = OrganisatieDto),
        (status = 403, description = "Geen beheerder van deze organisatie", body = Problem),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 409, description = "Code of OIN bestaat al", body = Problem),
        (status = 412, description = "De versie is intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn wijzig(
    req: HttpRequest,
    Aanroeper(actor): Aanroeper,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<OrganisatieInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let verwacht = if_match_versie(&req)?;
    let g = body.valideer()?;
    let o = db::tx(&pool, move |c| {
        let huidig = directory::organisatie(c, id)?
            .ok_or_else(|| AppError::NietGevonden(format!("Er is geen organisatie met id {id}")))?;
        // Both the current and the new code must be the actor's to manage: an admin may
        // not take over another organisation's record by renaming it.
        mag_beheren(&actor, &huidig.code)?;
        mag_beheren(&actor, &g.code)?;
        controleer_gemeenten(c, "gemeenten", &g.gemeenten)?;
        directory::wijzig_organisatie(c, id, g, verwacht).map_err(AppError::from)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(o.versie))
        .json(OrganisatieDto::from(o)))
}

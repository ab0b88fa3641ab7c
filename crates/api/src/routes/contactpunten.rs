//! `/api/v1/contactpunten`: whom to call at each organisation, and when. "Who at Veilig
//! Thuis serves gemeente 0363, and whom do I call at night?" is
//! `GET /api/v1/contactpunten?gemeente=0363&organisatieSoort=veilig-thuis&altijdBereikbaar=true`.
//! Who keeps them is `ketenregie_privacy::register::contactpunten`; the handlers parse,
//! call one use case and answer.

use crate::auth::Aanroeper;
use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{OrganisatieSoort, Validatie, is_gemeentecode};
use ketenregie_privacy::register::contactpunten;
use ketenregie_store::DbPool;
use ketenregie_store::directory::{
    Contactpunt, ContactpuntFilter, ContactpuntGegevens, ContactpuntRol,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A contact point of an organisation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactpuntDto {
    pub id: Uuid,
    pub organisatie: Uuid,
    pub rol: ContactpuntRol,
    /// The desk or function, e.g. "Spoeddienst Veilig Thuis".
    pub naam: String,
    #[schema(example = "+31 70 123 45 67")]
    pub telefoon: Option<String>,
    #[schema(format = Email)]
    pub email: Option<String>,
    /// Free text, e.g. "ma-vr 09:00-17:00".
    pub openingstijden: Option<String>,
    /// Reachable around the clock, including nights and weekends.
    pub altijd_bereikbaar: bool,
    pub aangemaakt_op: DateTime<Utc>,
    pub gewijzigd_op: DateTime<Utc>,
}

impl From<Contactpunt> for ContactpuntDto {
    fn from(c: Contactpunt) -> Self {
        Self {
            id: c.id,
            organisatie: c.organisatie_id,
            rol: c.rol,
            naam: c.naam,
            telefoon: c.telefoon,
            email: c.email,
            openingstijden: c.openingstijden,
            altijd_bereikbaar: c.altijd_bereikbaar,
            aangemaakt_op: c.aangemaakt_op,
            gewijzigd_op: c.gewijzigd_op,
        }
    }
}

/// Creating or replacing a contact point.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactpuntInvoer {
    #[schema(required = true, value_type = ContactpuntRol)]
    pub rol: Option<String>,
    #[schema(required = true, value_type = String, min_length = 1, max_length = 200, pattern = r"\S", example = "Spoeddienst")]
    pub naam: Option<String>,
    /// 6 to 16 digits, and only `+ - ( )` and spaces besides. A telephone number or an
    /// e-mail address (or both) is required.
    #[schema(value_type = Option<String>, max_length = 30, pattern = r"^[+() -]*([0-9][+() -]*){6,16}$", example = "+31 70 123 45 67")]
    pub telefoon: Option<String>,
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(value_type = Option<String>, max_length = 200, example = "ma-vr 09:00-17:00")]
    pub openingstijden: Option<String>,
    #[schema(value_type = Option<bool>)]
    pub altijd_bereikbaar: Option<bool>,
}

impl ContactpuntInvoer {
    fn valideer(&self) -> Result<ContactpuntGegevens, AppError> {
        let mut v = Validatie::new();
        let rol: Option<ContactpuntRol> = v.keuze("rol", self.rol.as_deref());
        let contactpunten::Inhoud {
            naam,
            telefoon,
            email,
            openingstijden,
        } = contactpunten::velden(
            &mut v,
            self.naam.as_deref(),
            self.telefoon.as_deref(),
            self.email.as_deref(),
            self.openingstijden.as_deref(),
        );
        let fouten = v.afronden(|| ()).err();
        match (fouten, rol, naam) {
            (None, Some(rol), Some(naam)) => Ok(ContactpuntGegevens {
                rol,
                naam,
                telefoon,
                email,
                openingstijden,
                altijd_bereikbaar: self.altijd_bereikbaar.unwrap_or(false),
            }),
            (Some(f), ..) => Err(AppError::validatie(f)),
            _ => Err(AppError::intern(
                "validation returned no value and no error",
            )),
        }
    }
}

#[utoipa::path(
    post,
    path = "/organisaties/{id}/contactpunten",
    tag = "contactpunten",
    operation_id = "contactpuntToevoegen",
    summary = "Contactpunt toevoegen",
    params(("id" = Uuid, Path, description = "Id of the organisation")),
    request_body = ContactpuntInvoer,
    responses(
        (status = 201, description = "Toegevoegd", body = ContactpuntDto,
            headers(("Location" = String, description = "URL of the new contact point"), ("ETag" = String, description = "The version, for If-Match"))),
        (status = 403, description = "Geen beheerder van deze organisatie; of het contactpunt `privacy` (waar de meldingen voor de privacyfunctionaris heen gaan) zonder de rol `privacyfunctionaris` van die organisatie (regel PRIVACYKANAAL_ALLEEN_FG)", body = Problem),
        (status = 404, description = "Organisatie bestaat niet", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn voeg_toe(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<ContactpuntInvoer>,
) -> Result<HttpResponse, AppError> {
    let organisatie_id = id.into_inner();
    let g = body.valideer()?;
    let (c2, object) = (ctx.clone(), contactpunten::object(&ctx.actor, None));
    let cp = verwerking::tx(&pool, &ctx, "aanmaken", object, move |c| {
        Ok(contactpunten::voeg_toe(c, &c2, organisatie_id, g)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/contactpunten/{}", cp.id)))
        .insert_header(etag(cp.versie))
        .json(ContactpuntDto::from(cp)))
}

/// Filters and paging for the contact directory.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ContactpuntZoekParams {
    /// Contact points of organisations serving this municipality (CBS code; one that does
    /// not exist is a 422 naming `gemeente`).
    pub gemeente: Option<String>,
    /// Contact points of organisations of this kind.
    pub organisatie_soort: Option<OrganisatieSoort>,
    /// Contact points of this organisation (an id no organisation has is a 422 naming
    /// `organisatie`).
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub organisatie: Option<Uuid>,
    pub rol: Option<ContactpuntRol>,
    /// Only those reachable around the clock (true) or not (false).
    pub altijd_bereikbaar: Option<bool>,
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
    path = "/contactpunten",
    tag = "contactpunten",
    operation_id = "contactpuntenZoeken",
    summary = "Contactpunten zoeken",
    params(ContactpuntZoekParams),
    responses((status = 200, description = "Een pagina contactpunten", body = inline(Lijst<ContactpuntDto>))),
    security(("bearer" = []))
)]
pub async fn zoek(
    req: HttpRequest,
    _aanroeper: Aanroeper,
    pool: web::Data<DbPool>,
    q: web::Query<ContactpuntZoekParams>,
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
    let filter = ContactpuntFilter {
        organisatie_id: q.organisatie,
        gemeente: q.gemeente,
        organisatie_soort: q.organisatie_soort,
        rol: q.rol,
        altijd_bereikbaar: q.altijd_bereikbaar,
    };
    let venster = p.venster(
        ketenregie_store::directory::LIJST_CONTACTPUNTEN,
        q.cursor.as_deref(),
    )?;
    let pagina = db::run(&pool, move |c| {
        Ok(contactpunten::zoek(c, &filter, &venster)?)
    })
    .await?;
    let pagina = pagina.map(ContactpuntDto::from);
    Ok(HttpResponse::Ok().json(Lijst::pagina(
        &req,
        ketenregie_store::directory::LIJST_CONTACTPUNTEN,
        pagina,
    )))
}

#[utoipa::path(
    get,
    path = "/contactpunten/{id}",
    tag = "contactpunten",
    operation_id = "contactpuntOpvragen",
    summary = "Eén contactpunt",
    params(("id" = Uuid, Path, description = "Id of the contact point")),
    responses(
        (status = 200, description = "Het contactpunt", body = ContactpuntDto, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 404, description = "Bestaat niet", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    _aanroeper: Aanroeper,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let cp = db::run(&pool, move |c| Ok(contactpunten::lees(c, id)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(cp.versie))
        .json(ContactpuntDto::from(cp)))
}

#[utoipa::path(
    put,
    path = "/contactpunten/{id}",
    tag = "contactpunten",
    operation_id = "contactpuntWijzigen",
    summary = "Contactpunt wijzigen",
    params(("id" = Uuid, Path, description = "Id of the contact point"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = ContactpuntInvoer,
    responses(
        (status = 200, description = "Gewijzigd", body = ContactpuntDto, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Geen beheerder van deze organisatie; of het contactpunt `privacy` (waar de meldingen voor de privacyfunctionaris heen gaan) zonder de rol `privacyfunctionaris` van die organisatie (regel PRIVACYKANAAL_ALLEEN_FG)", body = Problem),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn wijzig(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<ContactpuntInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let g = body.valideer()?;
    let (c2, object) = (ctx.clone(), contactpunten::object(&ctx.actor, Some(id)));
    let cp = verwerking::tx(&pool, &ctx, "wijzigen", object, move |c| {
        Ok(contactpunten::wijzig(c, &c2, id, g, &voorwaarde)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(cp.versie))
        .json(ContactpuntDto::from(cp)))
}

#[utoipa::path(
    delete,
    path = "/contactpunten/{id}",
    tag = "contactpunten",
    operation_id = "contactpuntVerwijderen",
    summary = "Contactpunt verwijderen",
    params(("id" = Uuid, Path, description = "Id of the contact point"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    responses(
        (status = 204, description = "Verwijderd"),
        (status = 403, description = "Geen beheerder van deze organisatie; of het contactpunt `privacy` (waar de meldingen voor de privacyfunctionaris heen gaan) zonder de rol `privacyfunctionaris` van die organisatie (regel PRIVACYKANAAL_ALLEEN_FG)", body = Problem),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn verwijder(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let (c2, object) = (ctx.clone(), contactpunten::object(&ctx.actor, Some(id)));
    verwerking::tx(&pool, &ctx, "verwijderen", object, move |c| {
        Ok(contactpunten::verwijder(c, &c2, id, &voorwaarde)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl crate::lichaam::Invoer for ContactpuntInvoer {
    fn regels(&self, _nu: chrono::DateTime<chrono::Utc>) -> Vec<ketenregie_common::InvalidParam> {
        crate::lichaam::regels::uit_apperror(self.valideer())
    }
}

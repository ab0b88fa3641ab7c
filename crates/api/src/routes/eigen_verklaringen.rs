//! `/api/v1/{personen,zorgmeldingen,incidenten,beschikkingen,terugkoppelingen}/{id}/eigen-verklaringen`:
//! a person's own statement (Jeugdwet art. 7.3.8) on a record that holds personal data on
//! them, recorded by the privacy officer of an organisation that holds that record (its
//! owner, or one that received it under an agreement). It never alters the record, is
//! returned inline with the record on every read of it (`eigenVerklaringen`), in the
//! briefing and in inzage, and is logged like any write. The rules are
//! `ketenregie_privacy::verantwoording::verklaringen` (the person, through the inzage
//! sources) and each domain crate's `eigen_verklaringen` (finding the record, whether the
//! caller holds it, whose statement it is); the handlers parse, call one use case and
//! answer. A `GET` is a read of the record (`VERKLARING_LEZEN_ALS_RECORD`): the record's
//! own decision, 404 and logs, never the caller's own statement table.

use crate::paging::{self};
use crate::problem::{AppError, Problem};
use crate::routes::inzage::InzageBronnen;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use ketenregie_common::{Fout, Validatie, Vertrouwelijkheid};
use ketenregie_privacy::Context;
use ketenregie_privacy::eigen_verklaring::{EigenVerklaring, EigenVerklaringWeergave};
use ketenregie_privacy::logboek::Object;
use ketenregie_privacy::verantwoording::verklaringen::Verklaringsinvoer;
use ketenregie_privacy::verantwoording::{self, verklaringen};
use ketenregie_store::{DbConnection, DbPool};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A new statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EigenVerklaringInvoer {
    /// The statement in the person's own words (at most 10,000 characters).
    #[schema(required = true, value_type = String, min_length = 1, max_length = 10_000, pattern = r"\S", example = "Ik ben het niet eens met wat in de melding staat over het overdrachtsmoment.")]
    pub tekst: Option<String>,
    /// Defaults to `zaakvertrouwelijk`.
    pub vertrouwelijkheid: Option<Vertrouwelijkheid>,
    /// Who in the record makes the statement. On an incident: the id of a person it names
    /// (a betrokkene, or who made a statement in it); on a beschikking: the id of a member
    /// of its family; on a zorgmelding or a terugkoppeling: the person's place in the
    /// melding's content, `kinderen/0`, `ouders/1` (0-based); on a person: left out (the
    /// person themselves). A wrong one is a 422 naming `door` (on an incident or a
    /// beschikking the allowed person ids are listed to the record's owner only).
    #[schema(max_length = 64, example = "ouders/0")]
    pub door: Option<String>,
}

impl EigenVerklaringInvoer {
    /// Every problem named at once.
    fn valideer(&self) -> Result<Verklaringsinvoer, AppError> {
        let mut v = Validatie::new();
        let tekst = v.tekst("tekst", self.tekst.as_deref(), 10_000);
        let door = v.optionele_tekstregel("door", self.door.as_deref(), 64);
        paging::check(v)?;
        Ok(Verklaringsinvoer {
            tekst: tekst.unwrap_or_default(),
            niveau: self
                .vertrouwelijkheid
                .unwrap_or(Vertrouwelijkheid::STANDAARD),
            door,
        })
    }
}

/// The audit object a refusal on the statements of record `id` of kind `soort` is
/// recorded on, in the caller's own trail (a hidden record's refusal goes to its owner's).
fn verzoekobject(ctx: &Context, soort: &'static str, id: Uuid) -> Object {
    Object {
        soort,
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

type Vastlegging =
    fn(&mut DbConnection, &Context, Uuid, Verklaringsinvoer) -> Result<EigenVerklaring, Fout>;
type Opvraging =
    fn(&mut DbConnection, &Context, Uuid) -> Result<Vec<EigenVerklaringWeergave>, Fout>;

/// Parse, record through `use_case` inside the transaction, answer 201 with `Location`.
async fn leg_vast(
    ctx: Context,
    pool: &DbPool,
    soort: &'static str,
    id: Uuid,
    body: &EigenVerklaringInvoer,
    use_case: Vastlegging,
) -> Result<HttpResponse, AppError> {
    let invoer = body.valideer()?;
    let c = ctx.clone();
    let v = verwerking::tx(
        pool,
        &ctx,
        "aanmaken",
        verzoekobject(&ctx, soort, id),
        move |conn| Ok(use_case(conn, &c, id, invoer)?),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/{soort}/{id}/eigen-verklaringen"),
        ))
        .json(v.weergave()))
}

/// Read through `use_case` inside the transaction, answer 200 with the list.
async fn lees(
    ctx: Context,
    pool: &DbPool,
    soort: &'static str,
    id: Uuid,
    use_case: Opvraging,
) -> Result<HttpResponse, AppError> {
    let c = ctx.clone();
    let lijst = verwerking::tx(
        pool,
        &ctx,
        "lezen",
        verzoekobject(&ctx, soort, id),
        move |conn| Ok(use_case(conn, &c, id)?),
    )
    .await?;
    Ok(HttpResponse::Ok().json(lijst))
}

/// The 403 of every route that records an own statement: the privacy officer's act
/// (PRIVACYFUNCTIONARIS_VERANTWOORDT), the OM's with a reason (OM_PER_VERZOEK_MET_REDEN),
/// answered before `door` is looked at.
const WEIGERING_VASTLEGGEN: &str = "Alleen de privacyfunctionaris van de organisatie legt een eigen verklaring vast; het OM op een record van een andere organisatie alleen met een reden (`X-Audit-Toelichting`, `toelichting-vereist`; regel OM_PER_VERZOEK_MET_REDEN); op het record van een andere organisatie alleen via een organisatie die met de eigenaar nog partij is bij een convenant van kracht (regel VERKLARING_DOOR_HOUDER: na uittreden of intrekking niet meer); alles vóór elke controle van `door`";
/// The 403 of every route that reads own statements: the record's own read decides
/// (VERKLARING_LEZEN_ALS_RECORD).
const WEIGERING_LEZEN: &str = "De organisatie kan het record zien, maar deze rol of een ontbrekende reden (`X-Audit-Toelichting`) weigert";

#[utoipa::path(
    post, path = "/personen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringToevoegen",
    summary = "Eigen verklaring toevoegen aan een persoon",
    description = "Records a person's own statement on their person record, by the privacy officer of an organisation that holds or received data on them (rules VERKLARING_DOOR_HOUDER, PRIVACYFUNCTIONARIS_VERANTWOORDT). It never changes the record and is returned with it (`eigenVerklaringen`) on every read.",
    params(("id" = Uuid, Path, description = "Id of the person")),
    request_body = EigenVerklaringInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = EigenVerklaringWeergave,
            headers(("Location" = String, description = "The person's statements"))),
        (status = 400, description = "Ongeldige invoer (elk veld benoemd)", body = Problem),
        (status = 422, description = "`door` noemt niemand van het record (een regel van het record)", body = Problem),
        (status = 403, description = WEIGERING_VASTLEGGEN, body = Problem),
        (status = 404, description = "Onbekend, of een persoon waarover uw organisatie niets heeft", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie"]})))
)]
pub async fn voeg_toe(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    bronnen: web::Data<InzageBronnen>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<EigenVerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    let persoon = id.into_inner();
    let invoer = body.valideer()?;
    let (c, object) = (ctx.clone(), verantwoording::persoon_object(&ctx, persoon));
    let bronnen = bronnen.get_ref().clone();
    let v = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(verklaringen::voeg_toe(conn, &c, &bronnen, persoon, invoer)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/personen/{persoon}/eigen-verklaringen"),
        ))
        .json(v.weergave()))
}

#[utoipa::path(
    get, path = "/personen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringenOpvragen",
    summary = "Eigen verklaringen bij een persoon",
    description = "A read of the record (rule VERKLARING_LEZEN_ALS_RECORD): exactly the decision, the 403 or 404 and the logs of GET /personen/{id} (the owner's agreement rule for the caller's purpose, a reason where the rule requires one, the confidentiality cap; the disclosure in the owner's register), and the statements that read shows with the record (VERKLARING_BIJ_RECORD), each at most at the level it allows. An empty list is logged as its audit row alone: no processing-log row and no disclosure (LOG_ALLEEN_WAT_GETOOND).",
    params(("id" = Uuid, Path, description = "Id of the person")),
    responses(
        (status = 200, description = "De verklaringen, oudste eerst", body = Vec<EigenVerklaringWeergave>),
        (status = 403, description = WEIGERING_LEZEN, body = Problem),
        (status = 404, description = "Onbekend, of een persoon waarover uw organisatie niets heeft", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["identificatie"]})))
)]
pub async fn lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    bronnen: web::Data<InzageBronnen>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let persoon = id.into_inner();
    let (c, object) = (ctx.clone(), verantwoording::persoon_object(&ctx, persoon));
    let bronnen = bronnen.get_ref().clone();
    let lijst = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(ketenregie_case::eigen_verklaringen::persoon_lijst(
            conn, &c, &bronnen, persoon,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(lijst))
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringToevoegenAanZorgmelding",
    summary = "Eigen verklaring toevoegen aan een zorgmelding",
    description = "Records the own statement of a child or parent in the melding (`door`: `kinderen/0`, `ouders/1`), by the privacy officer of its sender or receiver (rules VERKLARING_DOOR_HOUDER, PRIVACYFUNCTIONARIS_VERANTWOORDT). On a record of another organisation only while the caller's organisation and its owner are both parties of an agreement in force (VERKLARING_DOOR_HOUDER): an organisation that left the agreement, or one withdrawn or expired, records none (403 naming the rule, in the owner's trail, nothing stored). It never changes the melding and is returned with it (`eigenVerklaringen`) on every read of its content and in the briefing.",
    params(("id" = Uuid, Path, description = "Id of the melding or hand-over task")),
    request_body = EigenVerklaringInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = EigenVerklaringWeergave,
            headers(("Location" = String, description = "The melding's statements"))),
        (status = 400, description = "Ongeldige invoer (elk veld benoemd)", body = Problem),
        (status = 422, description = "`door` noemt niemand van het record (een regel van het record)", body = Problem),
        (status = 403, description = WEIGERING_VASTLEGGEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie"]})))
)]
pub async fn zorgmelding_voeg_toe(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<EigenVerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    leg_vast(
        ctx,
        &pool,
        "zorgmeldingen",
        id.into_inner(),
        &body,
        ketenregie_referral::eigen_verklaringen::voeg_toe,
    )
    .await
}

#[utoipa::path(
    get, path = "/zorgmeldingen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringenBijZorgmelding",
    summary = "Eigen verklaringen bij een zorgmelding",
    description = "A read of the record (rule VERKLARING_LEZEN_ALS_RECORD): exactly the decision, the 403 or 404 and the logs of GET /zorgmeldingen/{id} (the owner's agreement rule for the caller's purpose, a reason where the rule requires one, the confidentiality cap; the disclosure in the owner's register), and the statements that read shows with the record (VERKLARING_BIJ_RECORD), each at most at the level it allows. An empty list is logged as its audit row alone: no processing-log row and no disclosure (LOG_ALLEEN_WAT_GETOOND).",
    params(("id" = Uuid, Path, description = "Id of the melding or hand-over task")),
    responses(
        (status = 200, description = "De verklaringen, oudste eerst", body = Vec<EigenVerklaringWeergave>),
        (status = 403, description = WEIGERING_LEZEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "veiligheidsbeoordeling", "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]})))
)]
pub async fn zorgmelding_lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    lees(
        ctx,
        &pool,
        "zorgmeldingen",
        id.into_inner(),
        ketenregie_referral::eigen_verklaringen::lijst,
    )
    .await
}

#[utoipa::path(
    post, path = "/incidenten/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringToevoegenAanIncident",
    summary = "Eigen verklaring toevoegen aan een incident",
    description = "Records the own statement of a person the incident names (`door`: their person id), by the privacy officer of the police organisation that recorded it or of an organisation that received it under an agreement, the latter only for a person whose data it received from the police (rules VERKLARING_DOOR_HOUDER, VERKLARING_VOOR_ONTVANGEN_PERSOON, PRIVACYFUNCTIONARIS_VERANTWOORDT). It never changes the incident (its statements and hoor en wederhoor stay as recorded) and is returned with it (`eigenVerklaringen`) on every read and in the briefing.",
    params(("id" = Uuid, Path, description = "Id of the incident")),
    request_body = EigenVerklaringInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = EigenVerklaringWeergave,
            headers(("Location" = String, description = "The incident's statements"))),
        (status = 400, description = "Ongeldige invoer (elk veld benoemd)", body = Problem),
        (status = 422, description = "`door` noemt niemand van het record (een regel van het record)", body = Problem),
        (status = 403, description = WEIGERING_VASTLEGGEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie"]})))
)]
pub async fn incident_voeg_toe(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<EigenVerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    leg_vast(
        ctx,
        &pool,
        "incidenten",
        id.into_inner(),
        &body,
        ketenregie_case::eigen_verklaringen::incident_voeg_toe,
    )
    .await
}

#[utoipa::path(
    get, path = "/incidenten/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringenBijIncident",
    summary = "Eigen verklaringen bij een incident",
    description = "A read of the record (rule VERKLARING_LEZEN_ALS_RECORD): exactly the decision, the 403 or 404 and the logs of GET /incidenten/{id} (the owner's agreement rule for the caller's purpose, a reason where the rule requires one, the confidentiality cap; the disclosure in the owner's register), and the statements that read shows with the record (VERKLARING_BIJ_RECORD), each at most at the level it allows. An empty list is logged as its audit row alone: no processing-log row and no disclosure (LOG_ALLEEN_WAT_GETOOND).",
    params(("id" = Uuid, Path, description = "Id of the incident")),
    responses(
        (status = 200, description = "De verklaringen, oudste eerst", body = Vec<EigenVerklaringWeergave>),
        (status = 403, description = WEIGERING_LEZEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["politiegegevens"]})))
)]
pub async fn incident_lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    lees(
        ctx,
        &pool,
        "incidenten",
        id.into_inner(),
        ketenregie_case::eigen_verklaringen::incident_lijst,
    )
    .await
}

#[utoipa::path(
    post, path = "/beschikkingen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringToevoegenAanBeschikking",
    summary = "Eigen verklaring toevoegen aan een beschikking",
    description = "Records the own statement of a member of the decision's family (`door`: their person id), by the privacy officer of the organisation that recorded the decision or of one that received it under an agreement, the latter only for a family member whose data it received from that organisation (rules VERKLARING_DOOR_HOUDER, VERKLARING_VOOR_ONTVANGEN_PERSOON, PRIVACYFUNCTIONARIS_VERANTWOORDT). It never changes the decision and is returned with it (`eigenVerklaringen`) in the family dossier and the briefing.",
    params(("id" = Uuid, Path, description = "Id of the beschikking")),
    request_body = EigenVerklaringInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = EigenVerklaringWeergave,
            headers(("Location" = String, description = "The decision's statements"))),
        (status = 400, description = "Ongeldige invoer (elk veld benoemd)", body = Problem),
        (status = 422, description = "`door` noemt niemand van het record (een regel van het record)", body = Problem),
        (status = 403, description = WEIGERING_VASTLEGGEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie"]})))
)]
pub async fn beschikking_voeg_toe(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<EigenVerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    leg_vast(
        ctx,
        &pool,
        "beschikkingen",
        id.into_inner(),
        &body,
        ketenregie_case::eigen_verklaringen::beschikking_voeg_toe,
    )
    .await
}

#[utoipa::path(
    get, path = "/beschikkingen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringenBijBeschikking",
    summary = "Eigen verklaringen bij een beschikking",
    description = "A read of the record (rule VERKLARING_LEZEN_ALS_RECORD): exactly the decision, the 403 or 404 and the logs of the decision in GET /gezinnen/{id}, with category `gezag-en-omgang` required (the owner's agreement rule for the caller's purpose, a reason where the rule requires one, the confidentiality cap; the disclosure in the owner's register), and the statements that read shows with the record (VERKLARING_BIJ_RECORD), each at most at the level it allows. An empty list is logged as its audit row alone: no processing-log row and no disclosure (LOG_ALLEEN_WAT_GETOOND).",
    params(("id" = Uuid, Path, description = "Id of the beschikking")),
    responses(
        (status = 200, description = "De verklaringen, oudste eerst", body = Vec<EigenVerklaringWeergave>),
        (status = 403, description = WEIGERING_LEZEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang"]})))
)]
pub async fn beschikking_lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    lees(
        ctx,
        &pool,
        "beschikkingen",
        id.into_inner(),
        ketenregie_case::eigen_verklaringen::beschikking_lijst,
    )
    .await
}

#[utoipa::path(
    post, path = "/terugkoppelingen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringToevoegenAanTerugkoppeling",
    summary = "Eigen verklaring toevoegen aan een terugkoppeling",
    description = "Records the own statement of a child or parent of the melding the feedback is about (`door`: `kinderen/0`, `ouders/1`), by the privacy officer of the organisation that gave the feedback or of one that reads it (the melding's sender, whoever is owed it) (rules VERKLARING_DOOR_HOUDER, PRIVACYFUNCTIONARIS_VERANTWOORDT). On a record of another organisation only while the caller's organisation and its owner are both parties of an agreement in force (VERKLARING_DOOR_HOUDER): an organisation that left the agreement, or one withdrawn or expired, records none (403 naming the rule, in the owner's trail, nothing stored). It never changes the feedback and is returned with it (`eigenVerklaringen`) on every read.",
    params(("id" = Uuid, Path, description = "Id of the feedback item")),
    request_body = EigenVerklaringInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = EigenVerklaringWeergave,
            headers(("Location" = String, description = "The feedback item's statements"))),
        (status = 400, description = "Ongeldige invoer (elk veld benoemd)", body = Problem),
        (status = 422, description = "`door` noemt niemand van het record (een regel van het record)", body = Problem),
        (status = 403, description = WEIGERING_VASTLEGGEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie"]})))
)]
pub async fn terugkoppeling_voeg_toe(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<EigenVerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    leg_vast(
        ctx,
        &pool,
        "terugkoppelingen",
        id.into_inner(),
        &body,
        ketenregie_feedback::eigen_verklaringen::voeg_toe,
    )
    .await
}

#[utoipa::path(
    get, path = "/terugkoppelingen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringenBijTerugkoppeling",
    summary = "Eigen verklaringen bij een terugkoppeling",
    description = "A read of the record (rule VERKLARING_LEZEN_ALS_RECORD): exactly the decision, the 403 or 404 and the logs of GET /zorgmeldingen/{id}/terugkoppelingen (the owner's agreement rule for the caller's purpose, a reason where the rule requires one, the confidentiality cap; the disclosure in the owner's register), and the statements that read shows with the record (VERKLARING_BIJ_RECORD), each at most at the level it allows. An empty list is logged as its audit row alone: no processing-log row and no disclosure (LOG_ALLEEN_WAT_GETOOND).",
    params(("id" = Uuid, Path, description = "Id of the feedback item")),
    responses(
        (status = 200, description = "De verklaringen, oudste eerst", body = Vec<EigenVerklaringWeergave>),
        (status = 403, description = WEIGERING_LEZEN, body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "terugkoppeling", "categorieen": ["hulpverlening"]})))
)]
pub async fn terugkoppeling_lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    lees(
        ctx,
        &pool,
        "terugkoppelingen",
        id.into_inner(),
        ketenregie_feedback::eigen_verklaringen::lijst,
    )
    .await
}

impl crate::lichaam::Invoer for EigenVerklaringInvoer {
    fn regels(&self, _nu: chrono::DateTime<chrono::Utc>) -> Vec<ketenregie_common::InvalidParam> {
        crate::lichaam::regels::uit_apperror(self.valideer())
    }
}

//! `/api/v1/zorgmeldingen/{id}/terugkoppelingen`: the receiver of a melding or hand-over
//! task gives feedback to whoever sent it; sender and receiver read it. The rules live in
//! `ketenregie_feedback::terugkoppeling`; each handler calls one use case inside
//! `verwerking::tx`.

use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use ketenregie_feedback::terugkoppeling::{
    self, NieuweTerugkoppeling, Terugkoppeling, TerugkoppelingInvoer,
};
use ketenregie_store::DbPool;

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/terugkoppelingen", tag = "terugkoppelingen", operation_id = "terugkoppelingGeven",
    summary = "Terugkoppeling geven",
    description = "The receiver of a sent melding or hand-over task tells the sender what happened: the moment (an interim item never closes the loop; `eindresultaat` does and closes every open duty), whether a follow-up route started, who took over, and free text. `veiligheidsvoorwaarden` and `monitoringsafspraken` only with `melderHeeftRol: true` (DOMAIN.md §3 flow 3); otherwise a 422 `forbidden` naming the field. Meets the matching feedback duty and notifies the sender (`terugkoppelingen.terugkoppeling-ontvangen`). A moment is fed back once the handling has reached it (TERUGKOPPELING_VOLGT_BEHANDELING, else 409): `ontvangstbevestiging` while the task is open; `na-beoordeling`, `tussentijds` and `na-onderzoek` once it is accepted or triaged (in-progress, on-hold, completed, failed); `eindresultaat` once it is completed or failed; nothing on a rejected, cancelled or erroneous task. Feedback flows only within an agreement in force (rule STROOM_BINNEN_CONVENANT): the receiver and whoever is owed it must both be parties of an agreement in force (whether the other may read it is its read's own decision); an organisation that left the agreement (`POST /convenanten/{id}/uittredingen`), or an agreement withdrawn or expired, gives none: a 403 naming the rule, nothing stored and no duty met.",
    params(("id" = Uuid, Path, description = "Id of the melding or hand-over task")),
    request_body = TerugkoppelingInvoer,
    responses(
        (status = 201, description = "Gegeven", body = Terugkoppeling,
            headers(("Location" = String, description = "The feedback of this melding"))),
        (status = 403, description = "Niet de ontvanger (ONTVANGER_KOPPELT_TERUG), of geen convenant van kracht waarbinnen de terugkoppeling kan stromen (STROOM_BINNEN_CONVENANT)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Er is al een eindresultaat teruggekoppeld, of de behandeling is nog niet zo ver (TERUGKOPPELING_VOLGT_BEHANDELING)", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "terugkoppeling", "categorieen": ["hulpverlening"]})))
)]
pub async fn geef(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<TerugkoppelingInvoer>,
) -> Result<HttpResponse, AppError> {
    let n = NieuweTerugkoppeling {
        id: id.into_inner(),
        invoer: body.into_inner(),
    };
    let (c, id) = (ctx.clone(), n.id);
    let object = terugkoppeling::verzoekobject(id, &ctx);
    let t = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(terugkoppeling::geef(conn, &c, n)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen"),
        ))
        .json(t))
}

#[utoipa::path(
    get, path = "/zorgmeldingen/{id}/terugkoppelingen", tag = "terugkoppelingen", operation_id = "terugkoppelingenOpvragen",
    summary = "Terugkoppelingen op een zorgmelding",
    description = "Every feedback item on the melding or hand-over task, oldest first, with who gave it on behalf of which organisation and when. For the receiver, whoever is owed the feedback, and the melding's sender; the sender reads under an agreement with purpose `terugkoppeling`. Logged as what it returns (LOG_ALLEEN_WAT_GETOOND): one processing-log row per person of the items returned and, for another organisation's feedback, the disclosure; an empty list is its audit row alone.",
    params(("id" = Uuid, Path, description = "Id of the melding or hand-over task")),
    responses(
        (status = 200, description = "De terugkoppelingen", body = Vec<Terugkoppeling>),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "terugkoppeling", "categorieen": ["hulpverlening"]})))
)]
pub async fn lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let (c, id) = (ctx.clone(), id.into_inner());
    let object = terugkoppeling::verzoekobject(id, &ctx);
    let l = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(terugkoppeling::lijst(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(l))
}

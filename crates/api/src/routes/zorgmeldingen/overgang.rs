//! The handling steps of a sent melding, one sub-resource each, and the hand-over.

use super::dto::{
    AfsluitingInvoer, BeoordelingInvoer, OverdrachtInvoer, RedenStapInvoer, StapInvoer,
    ZorgmeldingDto,
};
use super::uitvoeren;
use crate::paging;
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::Verwerking;
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_common::Validatie;
use ketenregie_referral::levenscyclus::Beoordelingsuitkomst;
use ketenregie_referral::{self as referral, Beoordeling, Overdracht, Stapverzoek};
use ketenregie_store::DbPool;

/// The answer to a step: the melding's header with its new version.
fn na_stap(k: &ketenregie_referral::opslag::Kop) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(etag(k.versie))
        .json(ZorgmeldingDto::kop(k))
}

/// What every step's description says (`levenscyclus::STAP_VOOR_REDEN`), before its own.
macro_rules! stap_volgorde {
    () => {
        "A step is answered in this order (STAP_VOOR_REDEN, RFC 9110 §13.2.1): the decision (403/404), whether the step is the caller's and allowed from the current state (403 ALLEEN_ONTVANGER_VOERT_UIT or ALLEEN_AFZENDER_ANNULEERT; 409 naming the current state and the allowed ones), the body (400 for a missing reason), then `If-Match` (412). "
    };
}

macro_rules! stap_route {
    ($naam:ident, $pad:literal, $op:literal, $samenvatting:literal, $beschrijving:expr, $stap:literal) => {
        // The body is optional for a step without a required reason (the handler takes
        // `OptioneleJson`): the document says so, or a generated client must send `{}`.
        stap_route!($naam, $pad, $op, $samenvatting, $beschrijving, $stap, Option<StapInvoer>);
    };
    ($naam:ident, $pad:literal, $op:literal, $samenvatting:literal, $beschrijving:expr, $stap:literal, $invoer:ty) => {
        #[utoipa::path(
            post, path = $pad, tag = "zorgmeldingen", operation_id = $op, summary = $samenvatting,
            description = $beschrijving,
            params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
            request_body = $invoer,
            responses(
                (status = 200, description = "Gewijzigd", body = ZorgmeldingDto, headers(("ETag" = String, description = "New version"))),
                (status = 400, description = "Reden ontbreekt of is leeg (na de controle op partij en toestand)", body = Problem),
                (status = 403, description = "Deze stap is niet aan u", body = Problem),
                (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
                (status = 409, description = "Ongeldige statusovergang: noemt de huidige en de toegestane", body = Problem),
                (status = 412, description = "Intussen gewijzigd", body = Problem),
            ),
            security(("bearer" = [])),
            extensions(("x-persoonsgegevens" = json!({"doel": "veiligheidsbeoordeling", "categorieen": ["identificatie", "gezinssituatie"]})))
        )]
        pub async fn $naam(req: HttpRequest, Verwerking(ctx): Verwerking, pool: web::Data<DbPool>, id: crate::pad::PadId, body: crate::lichaam::OptioneleJson<StapInvoer>) -> Result<HttpResponse, AppError> {
            let s = Stapverzoek {
                id: id.into_inner(),
                verwacht_versie: if_match(&req)?,
                reden: body.into_inner().and_then(|b| b.reden),
            };
            let k = uitvoeren(&pool, &ctx, $stap, Some(s.id), move |c, x| referral::$naam(c, x, s)).await?;
            Ok(na_stap(&k))
        }
    };
}

stap_route!(
    ontvang,
    "/zorgmeldingen/{id}/ontvangsten",
    "zorgmeldingOntvangen",
    "Ontvangst bevestigen (received)",
    concat!(
        stap_volgorde!(),
        "The receiver confirms receipt (requested -> received); meets the receipt duty."
    ),
    "ontvangst"
);
stap_route!(
    accepteer,
    "/zorgmeldingen/{id}/acceptaties",
    "zorgmeldingAccepteren",
    "Accepteren (accepted), bv. een overdracht",
    concat!(
        stap_volgorde!(),
        "The receiver accepts (-> accepted), e.g. a hand-over; meets the receipt duty."
    ),
    "acceptatie"
);
stap_route!(
    wijs_af,
    "/zorgmeldingen/{id}/afwijzingen",
    "zorgmeldingAfwijzen",
    "Afwijzen met reden (rejected)",
    concat!(
        stap_volgorde!(),
        "The receiver rejects with a reason (-> rejected). Never a Veilig Thuis: the advies- en meldpunt takes on every melding sent or handed to it (rule VEILIG_THUIS_NEEMT_ELKE_MELDING, Wmo 2015 art. 4.1.1 lid 2; after its triage it may find no further action needed, `einde-bemoeienis`): a 409 naming the rule and the steps it may take, nothing written. The wijkteam or care provider a task was handed over to may reject it."
    ),
    "afwijzing",
    RedenStapInvoer
);
stap_route!(
    annuleer,
    "/zorgmeldingen/{id}/annuleringen",
    "zorgmeldingAnnuleren",
    "Annuleren door de afzender van de taak (bij een overdracht: wie overdroeg), met reden (cancelled)",
    concat!(
        stap_volgorde!(),
        "The task's sender cancels with a reason (-> cancelled): for a hand-over task the organisation that handed over (ALLEEN_AFZENDER_ANNULEERT)."
    ),
    "annulering",
    RedenStapInvoer
);
stap_route!(
    schort_op,
    "/zorgmeldingen/{id}/opschortingen",
    "zorgmeldingOpschorten",
    "Opschorten met reden (on-hold)",
    concat!(
        stap_volgorde!(),
        "The receiver puts the task on hold with a reason (-> on-hold)."
    ),
    "opschorting",
    RedenStapInvoer
);
stap_route!(
    hervat,
    "/zorgmeldingen/{id}/hervattingen",
    "zorgmeldingHervatten",
    "Hervatten (on-hold of accepted -> in-progress; een ontvangen melding: 409, die gaat met haar beoordeling in behandeling)",
    concat!(
        stap_volgorde!(),
        "The receiver resumes (on-hold or accepted -> in-progress); a received melding goes to in-progress with its triage (409, HERVATTEN_ZONDER_BEOORDELING)."
    ),
    "hervatting"
);
stap_route!(
    mislukt,
    "/zorgmeldingen/{id}/mislukkingen",
    "zorgmeldingMislukt",
    "Mislukt met reden (failed)",
    concat!(
        stap_volgorde!(),
        "The receiver records failure with a reason (-> failed)."
    ),
    "mislukking",
    RedenStapInvoer
);

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/beoordelingen", tag = "zorgmeldingen", operation_id = "zorgmeldingBeoordelen",
    summary = "Veiligheidsbeoordeling",
    description = "The receiving Veilig Thuis records the triage outcome as business status; the task goes to in-progress. A melding whose reporter was promised anonymity (`melder.identiteitDelen: false`) has the outcome `onderzoek-vt`: Veilig Thuis investigates itself (rule ONDERZOEK_VT_BIJ_ANONIEME_MELDER, DOMAIN.md §3 flow 2); any other outcome is a 422 naming `/uitkomst`, nothing written. The triage meets no feedback duty: `na-beoordeling` stays owed until the feedback itself is given (`POST .../terugkoppelingen`; rule PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING).",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = BeoordelingInvoer,
    responses(
        (status = 200, description = "Beoordeeld", body = ZorgmeldingDto, headers(("ETag" = String, description = "New version"))),
        (status = 422, description = "Uitkomst niet toegestaan voor deze melding (ONDERZOEK_VT_BIJ_ANONIEME_MELDER)", body = Problem),
        (status = 409, description = "Ongeldige statusovergang", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "veiligheidsbeoordeling", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn beoordeel(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<BeoordelingInvoer>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let uitkomst: Option<Beoordelingsuitkomst> = v.keuze("uitkomst", body.uitkomst.as_deref());
    let toelichting = v.optionele_tekst("toelichting", body.toelichting.as_deref(), 5000);
    paging::check(v)?;
    let uitkomst = uitkomst.ok_or_else(|| AppError::intern("uitkomst checked above"))?;
    let b = Beoordeling {
        stap: Stapverzoek {
            id: id.into_inner(),
            verwacht_versie: if_match(&req)?,
            reden: None,
        },
        uitkomst,
        acuut: body.acuut,
        toelichting,
    };
    let k = uitvoeren(&pool, &ctx, "beoordeling", Some(b.stap.id), move |c, x| {
        referral::beoordeel(c, x, b)
    })
    .await?;
    Ok(na_stap(&k))
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/afsluitingen", tag = "zorgmeldingen", operation_id = "zorgmeldingAfsluiten",
    summary = "Afsluiten (completed)",
    description = "The receiver completes the task with its output. The completion meets no feedback duty: `eindresultaat` stays owed until the final outcome is fed back (`POST .../terugkoppelingen`; rule PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING).",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = AfsluitingInvoer,
    responses(
        (status = 200, description = "Afgesloten", body = ZorgmeldingDto, headers(("ETag" = String, description = "New version"))),
        (status = 409, description = "Ongeldige statusovergang", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "veiligheidsbeoordeling", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn sluit_af(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<AfsluitingInvoer>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let uitvoer = v.tekst("uitvoer", body.uitvoer.as_deref(), 5000);
    paging::check(v)?;
    let s = Stapverzoek {
        id: id.into_inner(),
        verwacht_versie: if_match(&req)?,
        reden: None,
    };
    let k = uitvoeren(&pool, &ctx, "afsluiting", Some(s.id), move |c, x| {
        referral::sluit_af(c, x, s, uitvoer)
    })
    .await?;
    Ok(na_stap(&k))
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/overdrachten", tag = "zorgmeldingen", operation_id = "zorgmeldingOverdragen",
    summary = "Overdragen aan een andere organisatie",
    description = "The receiver hands over: the other organisation gets its own linked task (requested), which it accepts or rejects with a reason and completes in turn. The target is a registered organisation (`geregistreerd`) other than the holder and without an open task of the melding (`overdracht-aan-een-ander`), never the melding's sender (`overdracht-niet-aan-melder`), and covered by an agreement rule in force with the sender for handling it (`convenant-vereist`; being the data's owner is not enough): otherwise a 422 naming `organisatie`, and nothing is written.",
    params(("id" = Uuid, Path, description = "Id of the melding")),
    request_body = OverdrachtInvoer,
    responses(
        (status = 201, description = "Overdrachtstaak aangemaakt", body = ZorgmeldingDto,
            headers(("Location" = String, description = "URL of the linked task"), ("ETag" = String, description = "Version of the linked task, for If-Match"))),
        (status = 422, description = "Geen toegestane ontvanger van de overdracht", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Niet in behandeling", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn draag_over(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<OverdrachtInvoer>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let naar = v.tekstregel("organisatie", body.organisatie.as_deref(), 63);
    let toelichting = v.optionele_tekst("toelichting", body.toelichting.as_deref(), 5000);
    paging::check(v)?;
    let o = Overdracht {
        id: id.into_inner(),
        naar: naar.unwrap_or_default(),
        toelichting,
    };
    let nieuw = uitvoeren(&pool, &ctx, "overdracht", Some(o.id), move |c, x| {
        referral::draag_over(c, x, o)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", nieuw.pad()))
        .insert_header(etag(nieuw.versie))
        .json(ZorgmeldingDto::kop(&nieuw)))
}

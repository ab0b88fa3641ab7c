//! The functional admin's screens (DOMAIN.md §2): "Beheer", the quality-check switch
//! (`referral::zet_kwaliteitscontrole`, `FUNCTIONEEL_BEHEERDER_STELT_IN`) and the own
//! organisation's contact points, each edited with the version the page showed as its
//! precondition (`privacy::register::contactpunten::wijzig`, `BEHEER_CONTACTPUNTEN`, RFC
//! 9110 §13.1.1); and "Convenanten", every version of the agreements the organisation is
//! a party to with who signed which version (`handelingen::lijst`), signing the content
//! hash the page showed (`handelingen::onderteken`, `INHOUDHASH`, `ALLE_HANDTEKENINGEN`)
//! and drafting a new concept version from one (`handelingen::nieuwe_versie`). The same
//! use cases as the API, inside `verwerking::tx`, refusals in the same audit trail.

use super::formulier::Formulier;
use super::meldingen::{context, mag, tijd};
use super::namen::Weergavenamen;
use super::{Fout, Kader, Scherm, Sessie, naar, pagina};
use crate::problem::AppError;
use crate::routes::convenanten::{handel, toon};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use ketenregie_common::{IfMatch, Rol};
use ketenregie_privacy::convenant::{ConvenantGegevens, ConvenantStatus, handelingen};
use ketenregie_privacy::register::contactpunten;
use ketenregie_referral as referral;
use ketenregie_store::DbPool;
use ketenregie_store::directory::{self, ContactpuntFilter, ContactpuntGegevens};
use uuid::Uuid;

pub const BEHEER: Scherm = Scherm {
    pad: "/werkplek/beheer",
    label: "Instellingen en contactpunten",
    rollen: &[Rol::FunctioneelBeheerder],
};

pub const CONVENANTEN: Scherm = Scherm {
    pad: "/werkplek/convenanten",
    label: "Convenanten",
    rollen: &[Rol::FunctioneelBeheerder, Rol::Privacyfunctionaris],
};

/// A contact point as the form shows it.
#[derive(Debug, Clone)]
pub struct Contactregel {
    pub id: Uuid,
    pub versie: i64,
    pub rol: String,
    pub rol_nl: String,
    pub naam: String,
    pub telefoon: String,
    pub email: String,
    pub openingstijden: String,
    pub altijd_bereikbaar: bool,
}

#[derive(Template)]
#[template(path = "werkplek/beheer.html")]
struct Beheerpagina {
    kader: Kader,
    kwaliteitscontrole: bool,
    contactpunten: Vec<Contactregel>,
    probleem: Option<String>,
}

/// One party's signature state on a version.
#[derive(Debug, Clone)]
pub struct Handtekening {
    pub organisatie: String,
    pub rol: String,
    /// (user id, role, when) when signed.
    pub ondertekend: Option<(String, String, String)>,
}

/// One version of an agreement.
#[derive(Debug, Clone)]
pub struct Versie {
    pub id: Uuid,
    pub titel: String,
    pub versie: i64,
    pub status: String,
    pub geldig: String,
    pub hash: String,
    pub partijen: Vec<Handtekening>,
    /// A concept the own organisation has not signed yet.
    pub ondertekenen: bool,
    /// A new concept version may be drafted from it (not from a concept or a withdrawn one).
    pub nieuwe_versie: bool,
}

#[derive(Template)]
#[template(path = "werkplek/convenanten.html")]
struct Convenantenpagina {
    kader: Kader,
    versies: Vec<Versie>,
    probleem: Option<String>,
}

fn rol_nl(r: &str) -> String {
    crate::werkplek::namen::als_woorden(r)
}

async fn beheer_pagina(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    probleem: Option<(StatusCode, String)>,
) -> Result<HttpResponse, Fout> {
    mag(s, &BEHEER)?;
    let org = s.actor.organisatie.clone();
    let _ = context(req, s, None)?;
    let (verplicht, punten) = crate::db::run(pool, move |c| {
        let verplicht =
            referral::opslag::kwaliteitscontrole_verplicht(c, &org).map_err(crate::db::db_fout)?;
        let punten = match directory::organisatie_op_code(c, &org).map_err(crate::db::db_fout)? {
            Some(o) => {
                let f = ContactpuntFilter {
                    organisatie_id: Some(o.id),
                    ..ContactpuntFilter::default()
                };
                contactpunten::zoek(c, &f, &ketenregie_store::venster::Venster::eerste(100))?.rijen
            }
            None => vec![],
        };
        Ok((verplicht, punten))
    })
    .await?;
    let (status, probleem) = match probleem {
        Some((c, p)) => (c, Some(p)),
        None => (StatusCode::OK, None),
    };
    pagina(
        &Beheerpagina {
            kader: Kader::voor(s, BEHEER.label, BEHEER.pad),
            kwaliteitscontrole: verplicht,
            contactpunten: punten
                .into_iter()
                .map(|p| Contactregel {
                    id: p.id,
                    versie: p.versie,
                    rol: p.rol.to_string(),
                    rol_nl: rol_nl(p.rol.as_ref()),
                    naam: p.naam,
                    telefoon: p.telefoon.unwrap_or_default(),
                    email: p.email.unwrap_or_default(),
                    openingstijden: p.openingstijden.unwrap_or_default(),
                    altijd_bereikbaar: p.altijd_bereikbaar,
                })
                .collect(),
            probleem,
        },
        status,
    )
}

/// `GET /werkplek/beheer`.
pub async fn beheer(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    beheer_pagina(&req, &s, &pool, None).await
}

/// The page's words for the names a use case's reason on these pages may quote: the
/// contact point form's labels (`beheer.html`).
const WOORDEN: &[(&str, &str)] = &[
    ("naam", "Naam"),
    ("telefoon", "Telefoon"),
    ("email", "E-mail"),
    ("openingstijden", "Openingstijden"),
    ("altijdBereikbaar", "Dag en nacht bereikbaar"),
    ("verplicht", "Kwaliteitscontrole"),
];

/// A refusal the user can act on (a wrong field, a change by someone else, a rule) is
/// shown on the page with its status, in the page's words (`werkplek::in_woorden`: a
/// field by its label, never an API name in backticks); a form's problem is a 422, as
/// on every other werkplek form. Anything else is the error page.
fn toonbaar(e: AppError) -> Result<(StatusCode, String), Fout> {
    let status = actix_web::ResponseError::status_code(&e);
    if matches!(status.as_u16(), 400 | 403 | 409 | 412 | 422) {
        let p = e.problem();
        let tekst = if status.as_u16() == 412 {
            "Iemand anders heeft dit intussen gewijzigd. Hieronder staat de nieuwe stand; voer uw wijziging opnieuw in.".to_string()
        } else {
            super::uitleg(&p, WOORDEN)
        };
        let status = if status.as_u16() == 400 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            status
        };
        Ok((status, tekst))
    } else {
        Err(Fout(e))
    }
}

/// `POST /werkplek/beheer/kwaliteitscontrole`: `verplicht=ja|nee`.
pub async fn kwaliteitscontrole(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    mag(&f.sessie, &BEHEER)?;
    let ctx = context(&req, &f.sessie, None)?;
    let Some(verplicht) = f.ja_nee("verplicht") else {
        let p = (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Kies ja of nee bij de kwaliteitscontrole.".to_string(),
        );
        return beheer_pagina(&req, &f.sessie, &pool, Some(p)).await;
    };
    let (c, object) = (
        ctx.clone(),
        referral::melding::kwaliteitscontrole_object(&ctx),
    );
    let u = crate::verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        Ok(referral::zet_kwaliteitscontrole(conn, &c, verplicht)?)
    })
    .await;
    match u {
        Ok(_) => Ok(naar(BEHEER.pad)),
        Err(e) => beheer_pagina(&req, &f.sessie, &pool, Some(toonbaar(e)?)).await,
    }
}

/// `POST /werkplek/contactpunten/{id}`: change a contact point; `_versie` is the version
/// the form showed (412 when it changed since: the page shows the new state).
pub async fn contactpunt(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    mag(&f.sessie, &BEHEER)?;
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    // The form offers ja or nee, one of them checked: anything else is a crafted post,
    // refused at the field rather than read as "no" (the outside test of 1 Dec 2026: a
    // bogus value switched a 24/7 line off).
    let Some(altijd_bereikbaar) = f.ja_nee("altijdBereikbaar") else {
        let p = (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Dag en nacht bereikbaar: kies ja of nee. Er is niets gewijzigd.".to_string(),
        );
        return beheer_pagina(&req, &f.sessie, &pool, Some(p)).await;
    };
    let (naam, telefoon, email, openingstijden) = (
        f.waarde("naam").unwrap_or_default(),
        f.waarde("telefoon"),
        f.waarde("email"),
        f.waarde("openingstijden"),
    );
    let voorwaarde = match f.voorwaarde() {
        Ok(v) => v,
        Err(super::Fout(e)) => {
            return beheer_pagina(&req, &f.sessie, &pool, Some(toonbaar(e)?)).await;
        }
    };
    let (c, object) = (ctx.clone(), contactpunten::object(&ctx.actor, Some(id)));
    let u = crate::verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        // The form offers no choice of role (each card is one role's contact point): the
        // role stays as stored, whatever a crafted post sends (the outside test of 1 Dec
        // 2026: a hidden `rol` changed to another role was applied).
        let g = ContactpuntGegevens {
            rol: contactpunten::lees(conn, id)?.rol,
            naam,
            telefoon,
            email,
            openingstijden,
            altijd_bereikbaar,
        };
        Ok(contactpunten::wijzig(conn, &c, id, g, &voorwaarde)?)
    })
    .await;
    match u {
        Ok(_) => Ok(naar(BEHEER.pad)),
        Err(e) => beheer_pagina(&req, &f.sessie, &pool, Some(toonbaar(e)?)).await,
    }
}

async fn convenanten_pagina(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    probleem: Option<(StatusCode, String)>,
) -> Result<HttpResponse, Fout> {
    mag(s, &CONVENANTEN)?;
    let ctx = context(req, s, None)?;
    let c = ctx.clone();
    let (lijst, namen) = crate::db::run(pool, move |conn| {
        let lijst =
            handelingen::lijst(conn, &c, &ketenregie_store::venster::Venster::eerste(100))?.rijen;
        let namen = Weergavenamen::laad(
            conn,
            lijst.iter().flat_map(|v| {
                v.convenant
                    .inhoud
                    .partijen
                    .iter()
                    .map(|p| p.organisatie.as_str())
            }),
            [],
        )
        .map_err(crate::db::db_fout)?;
        Ok((lijst, namen))
    })
    .await?;
    let org = &s.actor.organisatie;
    let versies = lijst
        .iter()
        .map(|v| {
            let k = &v.convenant;
            let status = k.status(ctx.nu);
            Versie {
                id: k.id,
                titel: k.titel.clone(),
                versie: k.versie,
                status: crate::werkplek::namen::als_woorden(status.as_ref()),
                geldig: match k.geldig_tot {
                    Some(t) => format!("{} tot {}", tijd(k.geldig_van), tijd(t)),
                    None => format!("vanaf {}", tijd(k.geldig_van)),
                },
                hash: k.inhoud_hash(),
                partijen: k
                    .inhoud
                    .partijen
                    .iter()
                    .map(|p| Handtekening {
                        organisatie: namen.organisatie(&p.organisatie),
                        rol: p.rol.clone(),
                        ondertekend: v.ondertekening_van(&p.organisatie).map(|o| {
                            (
                                o.ondertekend_door.clone(),
                                rol_nl(o.rol.as_ref()),
                                tijd(o.ondertekend_op),
                            )
                        }),
                    })
                    .collect(),
                ondertekenen: status == ConvenantStatus::Concept
                    && k.inhoud.noemt_partij(org)
                    && v.ondertekening_van(org).is_none(),
                nieuwe_versie: status != ConvenantStatus::Concept
                    && status != ConvenantStatus::Ingetrokken,
            }
        })
        .collect();
    let (status, probleem) = match probleem {
        Some((c, p)) => (c, Some(p)),
        None => (StatusCode::OK, None),
    };
    pagina(
        &Convenantenpagina {
            kader: Kader::voor(s, CONVENANTEN.label, CONVENANTEN.pad),
            versies,
            probleem,
        },
        status,
    )
}

/// `GET /werkplek/convenanten`.
pub async fn convenanten(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    convenanten_pagina(&req, &s, &pool, None).await
}

/// `POST /werkplek/convenanten/{id}/ondertekenen`: sign the content hash the page showed
/// (`inhoudHash`); a changed concept has another hash and is refused.
pub async fn onderteken(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    mag(&f.sessie, &CONVENANTEN)?;
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let hash = f.waarde("inhoudHash").unwrap_or_default();
    let u = handel(&pool, &ctx, "ondertekenen", id, move |conn, c| {
        handelingen::onderteken(conn, c, id, &hash, &IfMatch::Geen, toon)
    })
    .await;
    match u {
        Ok(_) => Ok(naar(CONVENANTEN.pad)),
        Err(e) => convenanten_pagina(&req, &f.sessie, &pool, Some(toonbaar(e)?)).await,
    }
}

/// `POST /werkplek/convenanten/{id}/versies`: draft a new concept version with the same
/// content, to be changed through the API and signed by every party.
pub async fn nieuwe_versie(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    mag(&f.sessie, &CONVENANTEN)?;
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let u = handel(&pool, &ctx, "versie-aanmaken", id, move |conn, c| {
        let huidig = handelingen::lees(conn, c, id)?.convenant;
        let g = ConvenantGegevens {
            titel: huidig.titel,
            geldig_van: c.nu,
            geldig_tot: huidig.geldig_tot,
            inhoud: huidig.inhoud,
        };
        handelingen::nieuwe_versie(conn, c, id, g, toon)
    })
    .await;
    match u {
        Ok(_) => Ok(naar(CONVENANTEN.pad)),
        Err(e) => convenanten_pagina(&req, &f.sessie, &pool, Some(toonbaar(e)?)).await,
    }
}

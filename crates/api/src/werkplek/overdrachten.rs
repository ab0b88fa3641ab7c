//! The screens of the wijkteam and the gezinsvoogd (DOMAIN.md §3 flow 4, the hand-over):
//! "Overdrachten", the hand-overs to the own organisation waiting for a decision, each to
//! accept or to reject with a reason (`referral::accepteer`, `referral::wijs_af` through
//! the melding's step form, so `REDEN_VERPLICHT` for a rejection is the use case's); and
//! "Terugkoppeling die wij verschuldigd zijn", the organisation's open feedback duties
//! (`referral::open_termijnen`), earliest due first, overdue marked. Terms, states and
//! organisation codes only: no personal data on either list.

use super::meldingen::{context, mag, status, tijd_db};
use super::namen::Weergavenamen;
use super::{Fout, Kader, Scherm, Sessie, pagina};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use ketenregie_common::Rol;
use ketenregie_referral::levenscyclus::vraagt_reden;
use ketenregie_referral::opslag::Filter;
use ketenregie_referral::{self as referral, TaakStatus};
use ketenregie_store::DbPool;
use uuid::Uuid;

pub const OVERDRACHTEN: Scherm = Scherm {
    pad: "/werkplek/overdrachten",
    label: "Overdrachten",
    rollen: &[Rol::Gezinsvoogd, Rol::Wijkteammedewerker],
};

pub const VERSCHULDIGD: Scherm = Scherm {
    pad: "/werkplek/terugkoppeling",
    label: "Terugkoppeling die wij verschuldigd zijn",
    rollen: &[
        Rol::Gezinsvoogd,
        Rol::Wijkteammedewerker,
        Rol::Triagist,
        Rol::Onderzoeker,
    ],
};

/// A hand-over waiting for the organisation's decision.
#[derive(Debug, Clone)]
pub struct Overdracht {
    pub id: Uuid,
    pub versie: i64,
    /// Who handed over: the organisation the feedback on it is owed to.
    pub door: String,
    /// Who filed the melding at first.
    pub melder: String,
    pub status: String,
    pub datum: String,
    pub gemeenten: String,
    pub acuut: bool,
    /// The first feedback due on it: (moment, due), and whether it is overdue.
    pub termijn: Option<(String, String)>,
    pub te_laat: bool,
}

#[derive(Template)]
#[template(path = "werkplek/overdrachten.html")]
struct Overdrachtenpagina {
    kader: Kader,
    wachtend: Vec<Overdracht>,
    reden_bij_afwijzen: bool,
}

/// An open feedback duty of the organisation.
#[derive(Debug, Clone)]
pub struct Schuld {
    pub melding: Uuid,
    pub aan: String,
    pub moment: String,
    pub verschuldigd: String,
    pub verschuldigd_iso: String,
    pub te_laat: bool,
    pub herinnerd: bool,
    pub geescaleerd: bool,
}

#[derive(Template)]
#[template(path = "werkplek/verschuldigd.html")]
struct Verschuldigdpagina {
    kader: Kader,
    schulden: Vec<Schuld>,
    te_laat: usize,
}

/// `GET /werkplek/overdrachten`.
pub async fn overdrachten(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &OVERDRACHTEN)?;
    let ctx = context(&req, &s, None)?;
    let c = ctx.clone();
    let (koppen, termijnen, namen) = crate::db::run(&pool, move |conn| {
        let f = Filter {
            ontvangen: Some(true),
            ..Filter::default()
        };
        let (k, _) = referral::lijst(conn, &c, f, 0, 500)?;
        let t = referral::open_termijnen(
            conn,
            &c,
            true,
            &ketenregie_store::venster::Venster::eerste(2000),
        )?
        .rijen;
        let codes: Vec<String> = k.iter().flat_map(|k| k.gemeentecodes()).collect();
        let namen = Weergavenamen::laad(
            conn,
            k.iter()
                .map(|k| k.afzender.as_str())
                .chain(t.iter().map(|t| t.afzender.as_str())),
            codes.iter().map(String::as_str),
        )
        .map_err(crate::db::db_fout)?;
        Ok((k, t, namen))
    })
    .await?;
    let nu = ctx.nu.naive_utc();
    let wachtend = koppen
        .iter()
        .filter(|k| {
            k.bovenliggend_id.is_some()
                && matches!(
                    k.taakstatus,
                    Some(TaakStatus::Requested | TaakStatus::Received)
                )
        })
        .map(|k| {
            let t = termijnen
                .iter()
                .filter(|t| t.zorgmelding_id == k.id)
                .min_by_key(|t| t.verschuldigd_op);
            Overdracht {
                id: k.id,
                versie: k.versie,
                door: namen.organisatie(t.map_or(k.afzender.as_str(), |t| t.afzender.as_str())),
                melder: namen.organisatie(&k.afzender),
                status: status(k),
                datum: tijd_db(k.ingediend_op.unwrap_or(k.aangemaakt_op)),
                gemeenten: namen.gemeenten(&k.gemeentecodes()),
                acuut: k.acuut,
                termijn: t.map(|t| {
                    (
                        crate::werkplek::namen::als_woorden(t.moment.as_ref()),
                        tijd_db(t.verschuldigd_op),
                    )
                }),
                te_laat: t.is_some_and(|t| t.verschuldigd_op < nu),
            }
        })
        .collect();
    pagina(
        &Overdrachtenpagina {
            kader: Kader::voor(&s, "Overdrachten", OVERDRACHTEN.pad),
            wachtend,
            reden_bij_afwijzen: vraagt_reden(TaakStatus::Rejected),
        },
        StatusCode::OK,
    )
}

/// `GET /werkplek/terugkoppeling`.
pub async fn verschuldigd(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &VERSCHULDIGD)?;
    let ctx = context(&req, &s, None)?;
    let c = ctx.clone();
    let (termijnen, namen) = crate::db::run(&pool, move |conn| {
        let t = referral::open_termijnen(
            conn,
            &c,
            true,
            &ketenregie_store::venster::Venster::eerste(2000),
        )?
        .rijen;
        let namen = Weergavenamen::laad(conn, t.iter().map(|t| t.afzender.as_str()), [])
            .map_err(crate::db::db_fout)?;
        Ok((t, namen))
    })
    .await?;
    let nu = ctx.nu.naive_utc();
    let schulden: Vec<Schuld> = termijnen
        .iter()
        .map(|t| Schuld {
            melding: t.zorgmelding_id,
            aan: namen.organisatie(&t.afzender),
            moment: crate::werkplek::namen::als_woorden(t.moment.as_ref()),
            verschuldigd: tijd_db(t.verschuldigd_op),
            verschuldigd_iso: t
                .verschuldigd_op
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            te_laat: t.verschuldigd_op < nu,
            herinnerd: t.herinnerd_op.is_some(),
            geescaleerd: t.geescaleerd_op.is_some(),
        })
        .collect();
    let te_laat = schulden.iter().filter(|s| s.te_laat).count();
    pagina(
        &Verschuldigdpagina {
            kader: Kader::voor(&s, VERSCHULDIGD.label, VERSCHULDIGD.pad),
            schulden,
            te_laat,
        },
        StatusCode::OK,
    )
}

//! The privacy officer's screen "Inzage" (DOMAIN.md §3 flow 7, AVG art. 15; rules
//! `PRIVACYFUNCTIONARIS_VERANTWOORDT`, `INZAGE_EIGEN_ORGANISATIE`): find the person the
//! request is about by BSN, or by name and date of birth, and open the printable report
//! to hand to them (`crate::inzage_html`, the same page `GET /api/v1/personen/{id}/inzage`
//! gives with `Accept: text/html`).
//!
//! The search is a POST (`POST /werkplek/inzage`): the BSN or the name never appear in a
//! URL, and the report is the answer to that POST, so its address stays
//! `/werkplek/inzage`. The search key is checked as the briefing checks it
//! (`case::briefing::BriefingVraag::valideer`: exactly one way to search, every problem at
//! its field). A BSN stands for one data subject (`privacy::betrokkene::van_bsn`); a name
//! with a date of birth for the identities of the records that match
//! (`privacy::betrokkene::van_naam`): several are never merged
//! (`MEERDUIDIG_NIET_SAMENVOEGEN`), the page asks for the BSN instead. The report is
//! `privacy::verantwoording::inzage` inside `verwerking::tx`, exactly as the API's: the
//! same decision, the same log rows; a person the organisation holds nothing on is
//! answered as not found (and the attempt is in the audit trail).
//!
//! The report page carries its own Content-Security-Policy (its one style block by hash,
//! nothing else); the werkplek's header middleware leaves a policy a page set alone.

use super::formulier::Formulier;
use super::meldingen::{context, mag};
use super::{Fout, Kader, Probleem, Scherm, Sessie, pagina};
use crate::problem::AppError;
use crate::routes::inzage::InzageBronnen;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use ketenregie_case::briefing::{BriefingVraag, Zoekvraag};
use ketenregie_common::Rol;
use ketenregie_privacy::betrokkene;
use ketenregie_privacy::verantwoording::{self, InzageUitkomst};
use ketenregie_store::DbPool;

pub const INZAGE: Scherm = Scherm {
    pad: "/werkplek/inzage",
    label: "Inzage",
    rollen: &[Rol::Privacyfunctionaris],
};

#[derive(Template)]
#[template(path = "werkplek/inzage.html")]
struct Inzagepagina {
    kader: Kader,
    bsn: String,
    voornamen: String,
    achternaam: String,
    geboortedatum: String,
    problemen: Vec<Probleem>,
    /// A search without a report: why (nothing held, or several persons).
    uitkomst: Option<String>,
}

impl Inzagepagina {
    fn fout_bij(&self, veld: &str) -> Option<String> {
        super::probleem_bij(&self.problemen, veld)
    }
}

fn leeg(s: &Sessie) -> Inzagepagina {
    Inzagepagina {
        kader: Kader::voor(s, "Inzage voor een persoon", INZAGE.pad),
        bsn: String::new(),
        voornamen: String::new(),
        achternaam: String::new(),
        geboortedatum: String::new(),
        problemen: vec![],
        uitkomst: None,
    }
}

/// `GET /werkplek/inzage`: the search form.
pub async fn formulier(s: Sessie) -> Result<HttpResponse, Fout> {
    mag(&s, &INZAGE)?;
    pagina(&leeg(&s), StatusCode::OK)
}

/// `POST /werkplek/inzage`: find the person (`bsn`, or `voornamen` + `achternaam` +
/// `geboortedatum`) and answer with the printable report; problems at their fields (422),
/// several persons for one name (422, asking for the BSN), nothing held (404).
pub async fn zoek(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    bronnen: web::Data<InzageBronnen>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let s = f.sessie.clone();
    mag(&s, &INZAGE)?;
    let mut p = leeg(&s);
    p.bsn = f.waarde("bsn").unwrap_or_default();
    p.voornamen = f.waarde("voornamen").unwrap_or_default();
    p.achternaam = f.waarde("achternaam").unwrap_or_default();
    p.geboortedatum = f.waarde("geboortedatum").unwrap_or_default();
    let ctx = context(&req, &s, None)?;
    let vraag = BriefingVraag {
        bsn: f.waarde("bsn"),
        voornamen: f.waarde("voornamen"),
        achternaam: f.waarde("achternaam"),
        geboortedatum: f.waarde("geboortedatum"),
        postcode: None,
        huisnummer: None,
    };
    let vraag = match vraag.valideer(ctx.vandaag()) {
        Ok(v) => v,
        Err(e) => {
            p.problemen = problemen(AppError::from(e))?;
            return pagina(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // Who the search key stands for: ids only, nothing decrypted.
    let v = ctx.versleuteling.clone();
    let kandidaten = crate::db::run(&pool, move |c| match vraag {
        Zoekvraag::Bsn(bsn) => Ok(vec![betrokkene::van_bsn(&v, &bsn)]),
        Zoekvraag::Naam {
            voornamen,
            achternaam,
            geboortedatum,
        } => betrokkene::van_naam(c, &v, &voornamen, &achternaam, geboortedatum)
            .map_err(AppError::from),
        Zoekvraag::Adres { .. } => Ok(vec![]),
    })
    .await?;
    let [persoon] = kandidaten[..] else {
        p.uitkomst = Some(
            "Meer dan één persoon past bij deze naam en geboortedatum. Er is niets samengevoegd: zoek met het BSN."
                .into(),
        );
        return pagina(&p, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let b = bronnen.get_ref().clone();
    let c = ctx.clone();
    let object = verantwoording::persoon_object(&ctx, persoon);
    let uitkomst = crate::verwerking::tx(&pool, &ctx, "inzage", object, move |conn| {
        Ok(verantwoording::inzage(conn, &c, &b, persoon)?)
    })
    .await;
    match uitkomst {
        Ok(InzageUitkomst { rapport, doorbraak }) => {
            let d = crate::inzage_html::document(&rapport);
            let mut res = HttpResponse::Ok();
            if doorbraak {
                res.insert_header((crate::verwerking::DOORBRAAK, "true"));
            }
            Ok(res
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CONTENT_SECURITY_POLICY, d.csp))
                .body(d.html))
        }
        Err(e) if e.status_code() == StatusCode::NOT_FOUND => {
            p.uitkomst = Some(
                "Uw organisatie heeft over deze persoon niets vastgelegd en niets ontvangen. Er is geen inzagerapport."
                    .into(),
            );
            pagina(&p, StatusCode::NOT_FOUND)
        }
        Err(e) => Err(Fout(e)),
    }
}

/// The problems of a refused search key, each at its field by label
/// (`briefing::zoekproblemen`: the same search key, the same fields).
fn problemen(e: AppError) -> Result<Vec<Probleem>, Fout> {
    match e {
        AppError::Validatie { fouten, detail } => {
            Ok(super::briefing::zoekproblemen(fouten, detail))
        }
        e => Err(Fout(e)),
    }
}

//! The privacy officer's screen "Verstrekkingen" (DOMAIN.md §4 logging,
//! `PRIVACYFUNCTIONARIS_VERANTWOORDT`, `EIGENAAR_INFORMEREN`): every read of the
//! organisation's records by another organisation (through an agreement or by
//! break-glass), newest first: to whom (organisation and roles), when, for which purpose,
//! on which legal basis and agreement version. The same use case as
//! `GET /api/v1/verwerkingen/verstrekkingen` (`privacy::verantwoording::verstrekkingen`),
//! inside `verwerking::tx`; the filters are posted (`POST /werkplek/verstrekkingen`), the
//! newest `MAX_RIJEN` are shown. A disclosure names a record by kind only, never a person.

use super::formulier::Formulier;
use super::meldingen::{context, mag, tijd};
use super::namen::Weergavenamen;
use super::verantwoording::{MAX_RIJEN, doel, periode, telling_tekst};
use super::{Fout, Kader, Probleem, Scherm, Sessie, pagina};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use ketenregie_common::Rol;
use ketenregie_privacy::verantwoording;
use ketenregie_privacy::verstrekking::Verstrekkingvraag;
use ketenregie_store::DbPool;

pub const VERSTREKKINGEN: Scherm = Scherm {
    pad: "/werkplek/verstrekkingen",
    label: "Verstrekkingen",
    rollen: &[Rol::Privacyfunctionaris],
};

/// One disclosure as shown.
#[derive(Debug, Clone)]
pub struct Verstrekkingregel {
    pub tijd: String,
    /// The reading organisation's code, and the reader's roles.
    pub aan: String,
    pub rollen: String,
    pub doel: String,
    pub grondslag: String,
    pub convenant: String,
    /// The kind of record read.
    pub record: String,
    pub doorbraak: bool,
}

/// What the form showed, to show it again.
#[derive(Debug, Clone, Default)]
struct Invoer {
    van: String,
    tot: String,
    aan: String,
    doel: String,
    doorbraak: String,
}

#[derive(Template)]
#[template(path = "werkplek/verstrekkingen.html")]
struct Verstrekkingenpagina {
    kader: Kader,
    doelen: Vec<(String, String)>,
    /// The organisations to filter on, (code, name) by name.
    organisaties: Vec<(String, String)>,
    van: String,
    tot: String,
    aan: String,
    doel: String,
    doorbraak: String,
    problemen: Vec<Probleem>,
    rijen: Vec<Verstrekkingregel>,
    /// The count in words: exact, or "meer dan 1000" above the bounded count's cap.
    totaal: String,
    afgekapt: bool,
}

impl Verstrekkingenpagina {
    fn fout_bij(&self, veld: &str) -> Option<String> {
        super::probleem_bij(&self.problemen, veld)
    }
}

async fn toon(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    invoer: Invoer,
    vraag: Option<Verstrekkingvraag>,
    problemen: Vec<Probleem>,
) -> Result<HttpResponse, Fout> {
    mag(s, &VERSTREKKINGEN)?;
    let ctx = context(req, s, None)?;
    let c = ctx.clone();
    let object = verantwoording::object(&ctx, "verstrekkingen");
    let (namen, organisaties) = crate::db::run(pool, |conn| {
        Weergavenamen::alle_organisaties(conn).map_err(crate::db::db_fout)
    })
    .await?;
    let (rijen, totaal, titels) = match vraag {
        None => (
            vec![],
            ketenregie_store::venster::Telling::exact(0),
            Weergavenamen::default(),
        ),
        Some(v) => {
            crate::verwerking::tx(pool, &ctx, "lezen", object, move |conn| {
                let venster = ketenregie_store::venster::Venster::eerste(MAX_RIJEN);
                let pagina = verantwoording::verstrekkingen(conn, &c, v, &venster)?;
                let titels = Weergavenamen::default()
                    .met_teksten(conn, pagina.rijen.iter().map(|v| v.grondslag.as_str()))
                    .map_err(crate::db::db_fout)?;
                Ok((pagina.rijen, pagina.telling, titels))
            })
            .await?
        }
    };
    let rijen: Vec<Verstrekkingregel> = rijen
        .into_iter()
        .map(|v| Verstrekkingregel {
            tijd: tijd(v.tijdstip_utc()),
            rollen: v.rollen().join(", "),
            aan: namen.organisatie(&v.ontvanger),
            doel: crate::werkplek::namen::als_woorden(&v.doel),
            grondslag: titels.leesbaar(&v.grondslag),
            convenant: v
                .convenant_versie
                .map(|n| format!("versie {n}"))
                .unwrap_or_default(),
            record: crate::werkplek::namen::als_woorden(&v.object_type),
            doorbraak: v.doorbraak,
        })
        .collect();
    let status = if problemen.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pagina(
        &Verstrekkingenpagina {
            kader: Kader::voor(s, VERSTREKKINGEN.label, VERSTREKKINGEN.pad),
            doelen: crate::werkplek::namen::doelkeuzes(),
            organisaties,
            van: invoer.van,
            tot: invoer.tot,
            aan: invoer.aan,
            doel: invoer.doel,
            doorbraak: invoer.doorbraak,
            problemen,
            afgekapt: !totaal.exact || totaal.aantal > rijen.len() as i64,
            rijen,
            totaal: telling_tekst(totaal),
        },
        status,
    )
}

/// `GET /werkplek/verstrekkingen`: the newest disclosures.
pub async fn pagina_get(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    toon(
        &req,
        &s,
        &pool,
        Invoer::default(),
        Some(Verstrekkingvraag::default()),
        vec![],
    )
    .await
}

/// `POST /werkplek/verstrekkingen`: the disclosures filtered by period (`van`, `tot`:
/// dates), receiving organisation (`aan`: its code), purpose (`doel`) and break-glass
/// (`doorbraak`: `ja`, `nee` or empty), each optional; a bad date is a problem at its
/// field (422).
pub async fn zoek(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let mut problemen = vec![];
    let (van, tot) = periode(&f, &mut problemen);
    let doel = doel(&f, &mut problemen);
    let invoer = Invoer {
        van: f.waarde("van").unwrap_or_default(),
        tot: f.waarde("tot").unwrap_or_default(),
        aan: f.waarde("aan").unwrap_or_default(),
        doel: f.waarde("doel").unwrap_or_default(),
        doorbraak: f.waarde("doorbraak").unwrap_or_default(),
    };
    let vraag = problemen.is_empty().then(|| Verstrekkingvraag {
        van,
        tot,
        aan: f.waarde("aan"),
        doel,
        doorbraak: f.ja_nee("doorbraak"),
    });
    toon(&req, &f.sessie, &pool, invoer, vraag, problemen).await
}

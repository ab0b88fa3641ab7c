//! The privacy officer's screen "Verantwoording" (DOMAIN.md §4 logging,
//! `PRIVACYFUNCTIONARIS_VERANTWOORDT`): the own organisation's processing log searched by
//! period and purpose (`privacy::verantwoording::zoek_verwerkingen`; a POST, so nothing of
//! the search is in a URL) and the break-glass reads by or on data of the organisation
//! for review (`privacy::verantwoording::doorbraken`). The same use cases as
//! `POST /api/v1/verwerkingen/_zoek` and `GET /api/v1/verwerkingen/doorbraken`, inside
//! `verwerking::tx`. Subjects appear only as the log's pseudonyms, shortened.
//!
//! The privacy officer's other screens: the refused attempts (`weigeringen`), the
//! disclosures (`verstrekkingen`) and the printable inzage report (`inzage`).

use super::formulier::Formulier;
use super::meldingen::{context, mag, tijd_db};
use super::namen::Weergavenamen;
use super::{Fout, Kader, Probleem, Scherm, Sessie, pagina, veld_id};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_common::{Doel, Rol, werkdagen};
use ketenregie_privacy::logboek::Logregel;
use ketenregie_privacy::verantwoording::{self, Zoekvraag};
use ketenregie_store::DbPool;
use ketenregie_store::venster::{Telling, Venster};

pub const VERANTWOORDING: Scherm = Scherm {
    pad: "/werkplek/verantwoording",
    label: "Verantwoording",
    rollen: &[Rol::Privacyfunctionaris],
};

/// The most rows a search shows.
pub const MAX_RIJEN: i64 = 200;

/// One processing-log row as shown.
#[derive(Debug, Clone)]
pub struct Verwerkingregel {
    pub tijd: String,
    pub activiteit: String,
    pub grondslag: String,
    pub convenant: String,
    pub betrokkene: String,
    pub resultaat: String,
    pub doorbraak: bool,
}

/// One break-glass read as shown.
#[derive(Debug, Clone)]
pub struct Doorbraakregel {
    pub tijd: String,
    pub gebruiker: String,
    pub organisatie: String,
    pub actie: String,
    pub object: String,
    pub toelichting: String,
}

#[derive(Template)]
#[template(path = "werkplek/verantwoording.html")]
struct Verantwoordingpagina {
    kader: Kader,
    doelen: Vec<(String, String)>,
    van: String,
    tot: String,
    doel: String,
    problemen: Vec<Probleem>,
    /// `None`: no search yet. The rows and the bounded count as shown (`telling_tekst`).
    resultaten: Option<(Vec<Verwerkingregel>, String)>,
    doorbraken: Vec<Doorbraakregel>,
}

impl Verantwoordingpagina {
    fn fout_bij(&self, veld: &str) -> Option<String> {
        super::probleem_bij(&self.problemen, veld)
    }
}

/// A bounded count (`store::venster::Telling`) as shown: the number, or "meer dan 1000"
/// above the cap.
pub(super) fn telling_tekst(t: Telling) -> String {
    if t.exact {
        t.aantal.to_string()
    } else {
        format!("meer dan {}", t.aantal)
    }
}

/// A pseudonym shortened for a table (12 characters: enough to tell rows apart).
pub(super) fn kort(pseudoniem: &str) -> String {
    pseudoniem.chars().take(12).collect()
}

async fn toon(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    invoer: (String, String, String),
    zoek: Option<Zoekvraag>,
    problemen: Vec<Probleem>,
) -> Result<HttpResponse, Fout> {
    mag(s, &VERANTWOORDING)?;
    let ctx = context(req, s, None)?;
    let c = ctx.clone();
    let object = verantwoording::object(&ctx, "verwerkingen");
    let (rijen, doorbraken, namen) =
        crate::verwerking::tx(pool, &ctx, "lezen", object, move |conn| {
            let rijen = match zoek {
                Some(z) => {
                    let p = verantwoording::zoek_verwerkingen(
                        conn,
                        &c,
                        z,
                        &Venster::eerste(MAX_RIJEN),
                    )?;
                    Some((p.rijen, p.telling))
                }
                None => None,
            };
            let d = verantwoording::doorbraken(conn, &c, &Venster::eerste(50))?;
            let teksten: Vec<&str> = rijen
                .iter()
                .flat_map(|(r, _)| r.iter())
                .filter_map(|r| match r {
                    Logregel::Verwerking(r) => Some(r.grondslag.as_str()),
                    Logregel::Weigering { rij, .. } => rij.grondslag.as_deref(),
                })
                .collect();
            let namen =
                Weergavenamen::laad(conn, d.rijen.iter().map(|a| a.organisatie.as_str()), [])
                    .and_then(|n| n.met_teksten(conn, teksten))
                    .map_err(crate::db::db_fout)?;
            Ok((rijen, d.rijen, namen))
        })
        .await?;
    let resultaten = rijen.map(|(r, totaal)| {
        (
            r.into_iter()
                .map(|r| match r {
                    Logregel::Verwerking(r) => Verwerkingregel {
                        tijd: tijd_db(r.start_op),
                        activiteit: r.activiteit,
                        grondslag: namen.leesbaar(&r.grondslag),
                        convenant: r
                            .convenant_versie
                            .map(|v| format!("versie {v}"))
                            .unwrap_or_default(),
                        betrokkene: kort(&r.betrokkene),
                        resultaat: r.resultaat,
                        doorbraak: r.doorbraak,
                    },
                    // A refused attempt (from the audit trail): what was tried, and that
                    // it was refused.
                    Logregel::Weigering { rij, betrokkene } => Verwerkingregel {
                        tijd: tijd_db(rij.tijdstip),
                        activiteit: format!("poging: {} {}", rij.actie, rij.object_type),
                        grondslag: namen.leesbaar(rij.grondslag.as_deref().unwrap_or_default()),
                        convenant: String::new(),
                        betrokkene: betrokkene.as_deref().map(kort).unwrap_or_default(),
                        resultaat: "geweigerd".into(),
                        doorbraak: rij.doorbraak,
                    },
                })
                .collect(),
            telling_tekst(totaal),
        )
    });
    let status = if problemen.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pagina(
        &Verantwoordingpagina {
            kader: Kader::voor(s, VERANTWOORDING.label, VERANTWOORDING.pad),
            doelen: crate::werkplek::namen::doelkeuzes(),
            van: invoer.0,
            tot: invoer.1,
            doel: invoer.2,
            problemen,
            resultaten,
            doorbraken: doorbraken
                .into_iter()
                .map(|a| Doorbraakregel {
                    tijd: tijd_db(a.tijdstip),
                    gebruiker: a.gebruiker,
                    organisatie: namen.organisatie(&a.organisatie),
                    actie: a.actie,
                    object: a.object_type,
                    toelichting: a.toelichting.unwrap_or_default(),
                })
                .collect(),
        },
        status,
    )
}

/// `GET /werkplek/verantwoording`.
pub async fn pagina_get(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    toon(&req, &s, &pool, Default::default(), None, vec![]).await
}

/// `POST /werkplek/verantwoording`: search the processing log (`van`, `tot`: dates,
/// `doel`: a purpose, each optional).
pub async fn zoek(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let mut problemen = vec![];
    let (van, tot) = periode(&f, &mut problemen);
    let doel = doel(&f, &mut problemen);
    let invoer = (
        f.waarde("van").unwrap_or_default(),
        f.waarde("tot").unwrap_or_default(),
        f.waarde("doel").unwrap_or_default(),
    );
    let zoek = problemen.is_empty().then(|| Zoekvraag {
        van,
        tot,
        doel,
        ..Zoekvraag::default()
    });
    toon(&req, &f.sessie, &pool, invoer, zoek, problemen).await
}

/// A period: from (inclusive), until (exclusive), each optional.
pub(super) type Periode = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The labels of a search form's period fields (`periode.html`).
const VAN: &str = "Van";
const TOT: &str = "Tot en met";

/// The period of a search form (`van`, `tot`: dates as `jjjj-mm-dd`, each optional) as
/// moments: from the start of `van`, up to and including the whole day `tot` (Dutch
/// days, `werkdagen::begin_van_dag`). A date that does not parse is a problem at its
/// field, and so is a `tot` before `van` (an empty period: a search that could only find
/// nothing is not answered with an empty list).
pub(super) fn periode(f: &Formulier, problemen: &mut Vec<Probleem>) -> Periode {
    let mut datum = |veld: &str, label: &str| -> Option<NaiveDate> {
        let w = f.waarde(veld)?;
        match ketenregie_common::time::lees_datum(w.trim()) {
            Some(d) => Some(d),
            None => {
                problemen.push(Probleem {
                    veld: veld.into(),
                    id: veld_id(veld),
                    tekst: format!("{label}: vul een datum in als jjjj-mm-dd"),
                });
                None
            }
        }
    };
    let van = datum("van", VAN);
    let tot = datum("tot", TOT);
    if let (Some(v), Some(t)) = (van, tot)
        && t < v
    {
        problemen.push(Probleem {
            veld: "tot".into(),
            id: veld_id("tot"),
            tekst: format!(
                "{TOT}: deze datum ligt vóór {}; kies een datum op of na {}",
                VAN.to_lowercase(),
                v.format("%d-%m-%Y")
            ),
        });
    }
    (
        van.map(werkdagen::begin_van_dag),
        tot.map(|d| werkdagen::begin_van_dag(d + chrono::Duration::days(1))),
    )
}

/// The purpose of a search form (`doel`, optional: empty is every purpose); a value that
/// is not one of the purposes the list offers is a problem at the field.
pub(super) fn doel(f: &Formulier, problemen: &mut Vec<Probleem>) -> Option<Doel> {
    let w = f.waarde("doel")?;
    match w.parse() {
        Ok(d) => Some(d),
        Err(_) => {
            problemen.push(Probleem {
                veld: "doel".into(),
                id: veld_id("doel"),
                tekst: "Doel: kies een doel uit de lijst".into(),
            });
            None
        }
    }
}

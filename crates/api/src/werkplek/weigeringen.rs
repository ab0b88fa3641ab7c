//! The privacy officer's screen "Geweigerde pogingen" (DOMAIN.md §4 logging,
//! `PRIVACYFUNCTIONARIS_VERANTWOORDT`; §1.5 `EEN_ORGANISATIE_ZICHT`): the attempts refused
//! on the organisation's records, from its audit trail: who tried (organisation and
//! user), what, when, and the rule that refused it, the person only as the log's
//! pseudonym, shortened. The same use case as `POST /api/v1/verwerkingen/_zoek` with
//! `uitkomst: geweigerd` (`privacy::verantwoording::zoek_verwerkingen`), inside
//! `verwerking::tx`; the period is posted (`POST /werkplek/weigeringen`), the newest
//! `MAX_RIJEN` are shown.

use super::formulier::Formulier;
use super::meldingen::{context, mag, tijd_db};
use super::namen::Weergavenamen;
use super::verantwoording::{MAX_RIJEN, Periode, kort, periode, telling_tekst};
use super::{Fout, Kader, Probleem, Scherm, Sessie, pagina};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use ketenregie_common::Rol;
use ketenregie_privacy::logboek::{Logregel, Uitkomst};
use ketenregie_privacy::verantwoording::{self, Zoekvraag};
use ketenregie_store::DbPool;
use ketenregie_store::venster::{Telling, Venster};

pub const WEIGERINGEN: Scherm = Scherm {
    pad: "/werkplek/weigeringen",
    label: "Geweigerde pogingen",
    rollen: &[Rol::Privacyfunctionaris],
};

/// One refused attempt as shown.
#[derive(Debug, Clone)]
pub struct Weigeringregel {
    pub tijd: String,
    /// The organisation that tried, and the user (display name and id).
    pub organisatie: String,
    pub gebruiker: String,
    /// What was tried: the action and the kind of record.
    pub poging: String,
    /// The rule and reason of the refusal.
    pub reden: String,
    /// The person's pseudonym, shortened (empty when the attempt named nobody).
    pub betrokkene: String,
    pub doorbraak: bool,
}

#[derive(Template)]
#[template(path = "werkplek/weigeringen.html")]
struct Weigeringenpagina {
    kader: Kader,
    van: String,
    tot: String,
    problemen: Vec<Probleem>,
    rijen: Vec<Weigeringregel>,
    /// The bounded count as shown (`telling_tekst`).
    totaal: String,
    /// More than shown.
    afgekapt: bool,
}

impl Weigeringenpagina {
    fn fout_bij(&self, veld: &str) -> Option<String> {
        super::probleem_bij(&self.problemen, veld)
    }
}

async fn toon(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    invoer: (String, String),
    periode: Option<Periode>,
    problemen: Vec<Probleem>,
) -> Result<HttpResponse, Fout> {
    mag(s, &WEIGERINGEN)?;
    let ctx = context(req, s, None)?;
    let c = ctx.clone();
    let object = verantwoording::object(&ctx, "weigeringen");
    let (rijen, telling, namen) = match periode {
        // A period that did not parse: only the problems, no search.
        None => (vec![], Telling::exact(0), Weergavenamen::default()),
        Some((van, tot)) => {
            crate::verwerking::tx(pool, &ctx, "lezen", object, move |conn| {
                let z = Zoekvraag {
                    van,
                    tot,
                    uitkomst: Some(Uitkomst::Geweigerd),
                    ..Zoekvraag::default()
                };
                let p =
                    verantwoording::zoek_verwerkingen(conn, &c, z, &Venster::eerste(MAX_RIJEN))?;
                let orgs = p.rijen.iter().filter_map(|r| match r {
                    Logregel::Weigering { rij, .. } => Some(rij.organisatie.as_str()),
                    Logregel::Verwerking(_) => None,
                });
                let redenen = p.rijen.iter().filter_map(|r| match r {
                    Logregel::Weigering { rij, .. } => rij.grondslag.as_deref(),
                    Logregel::Verwerking(_) => None,
                });
                let namen = Weergavenamen::laad(conn, orgs, [])
                    .and_then(|n| n.met_teksten(conn, redenen))
                    .map_err(crate::db::db_fout)?;
                Ok((p.rijen, p.telling, namen))
            })
            .await?
        }
    };
    let rijen: Vec<Weigeringregel> = rijen
        .into_iter()
        .filter_map(|r| match r {
            Logregel::Weigering { rij, betrokkene } => Some(Weigeringregel {
                tijd: tijd_db(rij.tijdstip),
                organisatie: namen.organisatie(&rij.organisatie),
                gebruiker: if rij.gebruiker_naam.is_empty() {
                    rij.gebruiker
                } else {
                    format!("{} ({})", rij.gebruiker_naam, rij.gebruiker)
                },
                poging: format!(
                    "{} {}",
                    rij.actie,
                    crate::werkplek::namen::als_woorden(&rij.object_type)
                ),
                reden: namen.leesbaar(rij.grondslag.as_deref().unwrap_or_default()),
                betrokkene: betrokkene.as_deref().map(kort).unwrap_or_default(),
                doorbraak: rij.doorbraak,
            }),
            Logregel::Verwerking(_) => None,
        })
        .collect();
    let status = if problemen.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pagina(
        &Weigeringenpagina {
            kader: Kader::voor(s, WEIGERINGEN.label, WEIGERINGEN.pad),
            van: invoer.0,
            tot: invoer.1,
            problemen,
            afgekapt: !telling.exact || telling.aantal > rijen.len() as i64,
            rijen,
            totaal: telling_tekst(telling),
        },
        status,
    )
}

/// `GET /werkplek/weigeringen`: the newest refused attempts.
pub async fn pagina_get(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    toon(
        &req,
        &s,
        &pool,
        Default::default(),
        Some((None, None)),
        vec![],
    )
    .await
}

/// `POST /werkplek/weigeringen`: the refused attempts in a period (`van`, `tot`: dates,
/// each optional; a bad date is a problem at its field, 422).
pub async fn zoek(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let mut problemen = vec![];
    let (van, tot) = periode(&f, &mut problemen);
    let invoer = (
        f.waarde("van").unwrap_or_default(),
        f.waarde("tot").unwrap_or_default(),
    );
    let zoek = problemen.is_empty().then_some((van, tot));
    toon(&req, &f.sessie, &pool, invoer, zoek, problemen).await
}

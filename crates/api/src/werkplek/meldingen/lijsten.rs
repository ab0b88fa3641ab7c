//! The lists: the receiver's inbox sorted by deadline, the outbox, the quality checker's queue.

use super::*;
use crate::werkplek::namen::Weergavenamen;

/// A row of the inbox, outbox or quality queue.
#[derive(Debug, Clone)]
pub struct Regel {
    pub id: Uuid,
    pub partner: String,
    pub status: String,
    pub gemeenten: String,
    pub acuut: bool,
    pub datum: String,
    /// The earliest open feedback duty: (moment, due), and whether it is overdue.
    pub termijn: Option<(String, String)>,
    pub te_laat: bool,
    verschuldigd: Option<chrono::NaiveDateTime>,
}

/// The state as a reader sees it.
pub fn status(k: &Kop) -> String {
    match (k.meldingstatus, k.taakstatus) {
        (_, Some(t)) => match &k.bedrijfsstatus {
            Some(b) => format!(
                "{} ({})",
                taak_nl(t),
                crate::werkplek::namen::als_woorden(b)
            ),
            None => taak_nl(t).to_string(),
        },
        (Meldingstatus::Concept, None) => "concept".into(),
        (Meldingstatus::TerControle, None) => "ter controle".into(),
        (Meldingstatus::NietRouteerbaar, None) => "niet te routeren".into(),
        (Meldingstatus::Verzonden, None) => "verzonden".into(),
    }
}

/// A task state in Dutch.
pub fn taak_nl(t: TaakStatus) -> &'static str {
    match t {
        TaakStatus::Requested => "verzonden, nog niet ontvangen",
        TaakStatus::Received => "ontvangen",
        TaakStatus::Accepted => "geaccepteerd",
        TaakStatus::Rejected => "afgewezen",
        TaakStatus::InProgress => "in behandeling",
        TaakStatus::OnHold => "opgeschort",
        TaakStatus::Completed => "afgerond",
        TaakStatus::Cancelled => "geannuleerd",
        TaakStatus::Failed => "mislukt",
        TaakStatus::EnteredInError => "foutief ingevoerd",
    }
}

#[derive(Template)]
#[template(path = "werkplek/lijst.html")]
pub(super) struct Lijstpagina {
    kader: Kader,
    uitleg: String,
    regels: Vec<Regel>,
    partner_kop: String,
    /// A confirmation of what was just done (a concept removed), shown above the list.
    bericht: Option<String>,
}

pub(super) async fn regels(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    filter: Filter,
    als_ontvanger: bool,
) -> Result<Vec<Regel>, Fout> {
    let ctx = context(req, s, None)?;
    let c = ctx.clone();
    let (koppen, termijnen, namen) = crate::db::run(pool, move |conn| {
        let (k, _) = referral::lijst(conn, &c, filter, 0, 500)?;
        let t = referral::open_termijnen(
            conn,
            &c,
            als_ontvanger,
            &ketenregie_store::venster::Venster::eerste(2000),
        )?
        .rijen;
        // The names of the page's organisations and municipalities, in two queries.
        let codes: Vec<String> = k.iter().flat_map(|k| k.gemeentecodes()).collect();
        let namen = Weergavenamen::laad(
            conn,
            k.iter()
                .flat_map(|k| [Some(k.afzender.as_str()), k.ontvanger.as_deref()])
                .flatten(),
            codes.iter().map(String::as_str),
        )
        .map_err(crate::db::db_fout)?;
        Ok((k, t, namen))
    })
    .await?;
    let nu = ctx.nu.naive_utc();
    let mut regels: Vec<Regel> = koppen
        .iter()
        .map(|k| {
            let t = termijnen
                .iter()
                .filter(|t| t.zorgmelding_id == k.id)
                .min_by_key(|t| t.verschuldigd_op);
            Regel {
                id: k.id,
                partner: if als_ontvanger {
                    namen.organisatie(&k.afzender)
                } else {
                    k.ontvanger
                        .as_deref()
                        .map_or_else(|| "nog niet verzonden".into(), |o| namen.organisatie(o))
                },
                status: status(k),
                gemeenten: namen.gemeenten(&k.gemeentecodes()),
                acuut: k.acuut,
                datum: tijd_db(k.ingediend_op.unwrap_or(k.gewijzigd_op)),
                termijn: t.map(|t| {
                    (
                        crate::werkplek::namen::als_woorden(t.moment.as_ref()),
                        tijd_db(t.verschuldigd_op),
                    )
                }),
                te_laat: t.is_some_and(|t| t.verschuldigd_op < nu),
                verschuldigd: t.map(|t| t.verschuldigd_op),
            }
        })
        .collect();
    if als_ontvanger {
        // By deadline, the earliest (most overdue) first; without an open duty last.
        regels.sort_by_key(|r| (r.verschuldigd.is_none(), r.verschuldigd));
    }
    Ok(regels)
}

/// `GET /werkplek/inbox`: what was sent or handed over to the organisation, by deadline.
pub async fn inbox(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &crate::werkplek::INBOX)?;
    let f = Filter {
        ontvangen: Some(true),
        ..Filter::default()
    };
    let regels = regels(&req, &s, &pool, f, true).await?;
    pagina(
        &Lijstpagina {
            kader: Kader::voor(&s, "Inbox", crate::werkplek::INBOX.pad),
            uitleg: "Zorgmeldingen en overdrachten aan uw organisatie, de eerste termijn bovenaan. Te laat staat erbij.".into(),
            regels,
            partner_kop: "Van".into(),
            bericht: None,
        },
        StatusCode::OK,
    )
}

/// `GET /werkplek/uitgaand`: what the organisation filed, with state and deadlines.
pub async fn uitgaand(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &crate::werkplek::UITGAAND)?;
    let f = Filter {
        ontvangen: Some(false),
        ..Filter::default()
    };
    let regels = regels(&req, &s, &pool, f, false).await?;
    // After `verwijder` (the concept's removal) the page says it went.
    let verwijderd = req
        .query_string()
        .split('&')
        .any(|p| p == "verwijderd=concept");
    pagina(
        &Lijstpagina {
            kader: Kader::voor(&s, "Mijn meldingen", crate::werkplek::UITGAAND.pad),
            uitleg: "De zorgmeldingen van uw organisatie: concepten, verzonden meldingen en hoe ver ze zijn. Open een melding voor de termijnen en de terugkoppeling.".into(),
            regels,
            partner_kop: "Aan".into(),
            bericht: verwijderd.then(|| {
                "Het concept is verwijderd, met alles wat erbij was opgeslagen.".to_string()
            }),
        },
        StatusCode::OK,
    )
}

/// `GET /werkplek/kwaliteitscontrole`: meldingen of the own organisation waiting for the
/// quality check.
pub async fn kwaliteitswachtrij(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &crate::werkplek::KWALITEIT)?;
    let f = Filter {
        ontvangen: Some(false),
        meldingstatus: Some(Meldingstatus::TerControle),
        ..Filter::default()
    };
    let regels = regels(&req, &s, &pool, f, false).await?;
    pagina(
        &Lijstpagina {
            kader: Kader::voor(&s, "Kwaliteitscontrole", crate::werkplek::KWALITEIT.pad),
            uitleg: "Zorgmeldingen van uw organisatie die op uw controle wachten voordat ze verzonden worden.".into(),
            regels,
            partner_kop: "Aan".into(),
            bericht: None,
        },
        StatusCode::OK,
    )
}

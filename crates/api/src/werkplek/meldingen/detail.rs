//! One melding: its detail with the steps the lifecycle allows, each step, feedback and hand-over.

use super::*;
use crate::werkplek::namen::Weergavenamen;

/// A next step the lifecycle allows the caller.
#[derive(Debug, Clone)]
pub struct Stapknop {
    pub naar: String,
    pub label: String,
    pub reden_verplicht: bool,
    /// The triage (to in-progress from received or accepted) asks for the outcome.
    pub beoordeling: bool,
}

/// A feedback duty, met or not, on time or late.
#[derive(Debug, Clone)]
pub struct TermijnRegel {
    pub moment: String,
    pub verschuldigd: String,
    /// The same moment in RFC 3339 (UTC), for `<time datetime>`.
    pub verschuldigd_iso: String,
    pub voldaan: Option<String>,
    pub te_laat: bool,
    pub herinnerd: bool,
    pub geescaleerd: bool,
}

#[derive(Template)]
#[template(path = "werkplek/melding.html")]
pub(super) struct Meldingpagina {
    kader: Kader,
    id: Uuid,
    versie: i64,
    kop: Vec<(String, String)>,
    inhoud: Vec<Groep>,
    geredigeerd: String,
    termijnen: Vec<TermijnRegel>,
    terugkoppelingen: Vec<Terugkoppeling>,
    concept: bool,
    kwaliteit: bool,
    /// A kwaliteitscontroleur who drafted, changed or submitted this melding waiting for
    /// the check: no verdict is offered, the page says why (`KWALITEITSCONTROLE_VIER_OGEN`).
    vier_ogen: bool,
    stappen: Vec<Stapknop>,
    /// The triage outcomes the melding allows (`ONDERZOEK_VT_BIJ_ANONIEME_MELDER`: only
    /// `onderzoek-vt` when the reporter was promised anonymity).
    uitkomsten: Vec<(String, String)>,
    /// Why the outcomes are limited, shown at the field.
    uitkomst_uitleg: Option<String>,
    terugkoppelen: bool,
    momenten: Vec<(String, String)>,
    /// Organisations to hand over to (code, name), when the receiver may hand over.
    overdragen: Vec<(String, String)>,
    /// The registered organisations (code, name) the feedback form offers as "who took
    /// over" (`overgenomenDoor.organisatie`, which must be registered), when the caller
    /// may give feedback.
    organisaties: Vec<(String, String)>,
    probleem: Option<String>,
    /// The problems of the form just posted, each at its field (`Probleem::veld` and
    /// `id`: the field's element id on this page, `reden-rejected`).
    problemen: Vec<Probleem>,
    /// The names of the organisations the page names (`werkplek::namen`).
    namen: Weergavenamen,
}

impl Meldingpagina {
    /// The problem at the field with element id `id`, if any.
    fn fout_bij(&self, id: &str) -> Option<String> {
        crate::werkplek::probleem_bij(&self.problemen, id)
    }
}

/// What went wrong with a form of the melding page, shown on it again: the status, a text
/// above the forms, the problems at their fields, and whether the melding's state was in
/// the way (the page then says which state it is in now).
#[derive(Debug, Default)]
pub(super) struct Terugmelding {
    status: StatusCode,
    tekst: Option<String>,
    velden: Vec<Probleem>,
    toestand: bool,
}

/// The page's words for the states a use case's reason may quote (`` `requested` ``):
/// the task states as the page shows them ("verzonden, nog niet ontvangen").
fn statuswoorden() -> Vec<(&'static str, &'static str)> {
    <TaakStatus as strum::VariantArray>::VARIANTS
        .iter()
        .map(|t| (t.as_ref(), taak_nl(*t)))
        .collect()
}

pub(super) fn stap_label(t: TaakStatus) -> &'static str {
    match t {
        TaakStatus::Received => "Ontvangst bevestigen",
        TaakStatus::Accepted => "Accepteren",
        TaakStatus::Rejected => "Afwijzen",
        TaakStatus::InProgress => "Beoordeling vastleggen / in behandeling nemen",
        TaakStatus::OnHold => "Opschorten",
        TaakStatus::Completed => "Afronden",
        TaakStatus::Cancelled => "Annuleren",
        TaakStatus::Failed => "Mislukt",
        TaakStatus::Requested | TaakStatus::EnteredInError => "",
    }
}

/// `GET /werkplek/meldingen/{id}`.
pub async fn detail(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, Fout> {
    detail_pagina(&req, &s, &pool, id.into_inner(), None).await
}

pub(super) async fn detail_pagina(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    id: Uuid,
    terug: Option<Terugmelding>,
) -> Result<HttpResponse, Fout> {
    let ctx = context(req, s, None)?;
    let m = uitvoeren(pool, &ctx, "lezen", Some(id), move |c, x| {
        referral::lees(c, x, id)
    })
    .await?;
    let k = &m.kop;
    let org = &s.actor.organisatie;
    // The feedback on it, for whoever may read it (sender and receiver, by agreement);
    // none yet before it was sent.
    let terugkoppelingen = if k.taakstatus.is_some() {
        let c = ctx.clone();
        let object = terugkoppeling::verzoekobject(id, &ctx);
        crate::verwerking::tx(pool, &ctx, "lezen", object, move |conn| {
            Ok(terugkoppeling::lijst(conn, &c, id)?)
        })
        .await
        .unwrap_or_default()
    } else {
        vec![]
    };
    // The names, and the caller's part in the task as the API decides it
    // (`partij::taakpartij`: for a hand-over task the organisation that handed over is its
    // sender, and the melding's original sender takes no step on it).
    // `KWALITEITSCONTROLE_VIER_OGEN`: asked only of a kwaliteitscontroleur on a melding
    // waiting for the check.
    let mag_beoordelen = k.meldingstatus == Meldingstatus::TerControle
        && s.heeft_een(crate::werkplek::KWALITEIT.rollen);
    let (namen, partij, opgesteld, soort) = {
        let (kop, eigen, codes) = (k.clone(), org.clone(), k.gemeentecodes());
        let (actor, x) = (s.actor.clone(), ctx.clone());
        // Who took over, as the feedback names them, by name too.
        let overgenomen: Vec<String> = terugkoppelingen
            .iter()
            .filter_map(|t| t.overgenomen_door.as_ref().map(|o| o.organisatie.clone()))
            .collect();
        crate::db::run(pool, move |c| {
            let namen = Weergavenamen::laad(
                c,
                [Some(kop.afzender.as_str()), kop.ontvanger.as_deref()]
                    .into_iter()
                    .flatten()
                    .chain(overgenomen.iter().map(String::as_str)),
                codes.iter().map(String::as_str),
            )
            .map_err(crate::db::db_fout)?;
            let partij = ketenregie_referral::partij::taakpartij(c, &eigen, &kop)?;
            // VEILIG_THUIS_NEEMT_ELKE_MELDING: the steps offered to the receiver.
            let soort = match partij {
                Some(p) => ketenregie_referral::partij::ontvangersoort(c, &x, &kop, p)?,
                None => Ontvangersoort::Ander,
            };
            let opgesteld = mag_beoordelen
                && ketenregie_referral::opslag::opgesteld_door(c, &kop, &actor)
                    .map_err(crate::db::db_fout)?;
            Ok((namen, partij, opgesteld, soort))
        })
        .await?
    };
    let nu = ctx.nu.naive_utc();
    let termijnen = m
        .termijnen
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|t| TermijnRegel {
            moment: crate::werkplek::namen::als_woorden(t.moment.as_ref()),
            verschuldigd: tijd_db(t.verschuldigd_op),
            verschuldigd_iso: t
                .verschuldigd_op
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            voldaan: t
                .voldaan_op
                .map(tijd_db)
                .or_else(|| t.vervallen_op.map(|v| format!("vervallen {}", tijd_db(v)))),
            te_laat: t.voldaan_op.unwrap_or(nu) > t.verschuldigd_op && t.vervallen_op.is_none(),
            herinnerd: t.herinnerd_op.is_some(),
            geescaleerd: t.geescaleerd_op.is_some(),
        })
        .collect();
    let stappen = match (k.taakstatus, partij) {
        // The steps the table leaves the caller (`levenscyclus::toegestaan_voor`: never a
        // rejection to a Veilig Thuis, VEILIG_THUIS_NEEMT_ELKE_MELDING).
        (Some(huidig), Some(p)) => toegestaan_voor(huidig, p, soort)
            .iter()
            .map(|naar| Stapknop {
                naar: naar.to_string(),
                label: stap_label(*naar).into(),
                reden_verplicht: vraagt_reden(*naar),
                beoordeling: *naar == TaakStatus::InProgress && huidig != TaakStatus::OnHold,
            })
            .collect(),
        _ => vec![],
    };
    let mut kop = vec![
        ("Status".to_string(), status(k)),
        ("Van".to_string(), namen.organisatie(&k.afzender)),
        (
            "Aan".to_string(),
            k.ontvanger
                .as_deref()
                .map_or_else(|| "nog niet verzonden".into(), |o| namen.organisatie(o)),
        ),
        (
            "Gemeente(n)".to_string(),
            namen.gemeenten(&k.gemeentecodes()),
        ),
        (
            "Acuut".to_string(),
            if k.acuut { "ja" } else { "nee" }.into(),
        ),
        ("Aangemaakt".to_string(), tijd_db(k.aangemaakt_op)),
    ];
    if let Some(i) = k.ingediend_op {
        kop.push(("Ingediend".into(), tijd_db(i)));
    }
    // Without content (not to be seen) nothing of it is shown, the level neither.
    let waarden = m
        .inhoud
        .as_ref()
        .map(|i| met_niveau(uit_inhoud(i), k))
        .unwrap_or_default();
    let inhoud = groepen(&waarden, &HashMap::new())
        .into_iter()
        .map(|mut g| {
            g.velden.retain(|v| !v.waarde.is_empty());
            g
        })
        .filter(|g| !g.velden.is_empty())
        .collect();
    let terug = terug.unwrap_or_default();
    let probleem = match (terug.tekst, terug.toestand) {
        (Some(t), true) => Some(format!(
            "{t} De melding is nu {}. {}",
            status(k),
            if stappen.is_empty() {
                "Er is nu geen stap aan u."
            } else {
                "Hieronder staan de stappen die nu mogen."
            }
        )),
        (t, _) => t,
    };
    // Only the moments the handling has reached (TERUGKOPPELING_VOLGT_BEHANDELING).
    let momenten: Vec<(String, String)> = <Terugkoppelmoment as strum::VariantArray>::VARIANTS
        .iter()
        .filter(|m| {
            k.taakstatus.is_some_and(|t| {
                ketenregie_feedback::terugkoppeling::moment_past_bij(**m).contains(&t)
            })
        })
        .map(|m| {
            (
                m.to_string(),
                crate::werkplek::namen::als_woorden(m.as_ref()),
            )
        })
        .collect();
    // ONDERZOEK_VT_BIJ_ANONIEME_MELDER: the reporter's choice as the read shows it (the
    // choice stays when the name is redacted).
    let melder_anoniem = m
        .inhoud
        .as_ref()
        .and_then(|i| i["melder"]["identiteitDelen"].as_bool())
        == Some(false);
    let terugkoppelen = partij == Some(Partij::Ontvanger) && !momenten.is_empty();
    // The receiver may hand over from accepted or in progress (`draag_over` decides).
    let mag_overdragen = partij == Some(Partij::Ontvanger)
        && matches!(
            k.taakstatus,
            Some(TaakStatus::Accepted | TaakStatus::InProgress)
        );
    // The partner register, read once for both forms that offer organisations: the
    // hand-over offers only those the hand-over rules accept, decided by the same rule
    // functions the API applies (hc finding M1); the feedback says who took over (with
    // contact, DOMAIN.md §3 flow 3), any registered organisation
    // (`overgenomenDoor.organisatie`).
    let (overdragen, organisaties) = if mag_overdragen || terugkoppelen {
        let (c, kop) = (ctx.clone(), k.clone());
        crate::db::run(pool, move |conn| {
            let register = ketenregie_store::directory::organisaties(
                conn,
                &ketenregie_store::directory::OrganisatieFilter::default(),
                &ketenregie_store::venster::Venster::eerste(500),
            )
            .map_err(crate::db::db_fout)?
            .rijen;
            let overdragen = if mag_overdragen {
                ketenregie_referral::overgang::overdracht_mogelijk_naar(conn, &c, &kop, &register)?
            } else {
                vec![]
            };
            let organisaties = if terugkoppelen {
                register.into_iter().map(|o| (o.code, o.naam)).collect()
            } else {
                vec![]
            };
            Ok((overdragen, organisaties))
        })
        .await?
    } else {
        (vec![], vec![])
    };
    let t = Meldingpagina {
        kader: Kader::voor(s, "Zorgmelding", ""),
        id,
        versie: k.versie,
        kop,
        inhoud,
        geredigeerd: m
            .geredigeerd
            .iter()
            .map(|g| crate::werkplek::namen::als_woorden(g.as_ref()))
            .collect::<Vec<_>>()
            .join(", "),
        termijnen,
        terugkoppelingen,
        concept: k.meldingstatus == Meldingstatus::Concept
            && partij == Some(Partij::Afzender)
            && s.heeft_een(crate::werkplek::NIEUWE_MELDING.rollen),
        kwaliteit: mag_beoordelen && !opgesteld,
        vier_ogen: opgesteld,
        stappen,
        uitkomsten: opties(
            &ketenregie_referral::overgang::toegestane_uitkomsten(!melder_anoniem)
                .iter()
                .map(|u| u.as_ref())
                .collect::<Vec<&str>>(),
        ),
        uitkomst_uitleg: melder_anoniem.then(|| {
            format!(
                "Aan de melder is beloofd dat de familie niet hoort wie meldde. Dan onderzoekt Veilig Thuis zelf: de uitkomst is onderzoek Veilig Thuis (regel {}).",
                ketenregie_referral::overgang::ONDERZOEK_VT_BIJ_ANONIEME_MELDER
            )
        }),
        terugkoppelen,
        momenten,
        overdragen,
        organisaties,
        probleem,
        problemen: terug.velden,
        namen,
    };
    pagina(&t, terug.status)
}

/// Run a step; a problem shows the melding again. The form's problems (422) each at its
/// field by label (`velden`: the use case's field name, the field's element id on this
/// page, its label); a step the melding's state does not allow (409) by the step's name
/// as its button shows it (`stap`) and the state the melding is in now; a refusal or a
/// change by someone else (403, 412) in the page's words on top. Never an API code: a
/// state by its Dutch name, an organisation by its name in the partner register.
pub(super) async fn na_stap<T>(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    id: Uuid,
    uitkomst: Result<T, AppError>,
    velden: &[(&str, &str, &str)],
    stap: Option<TaakStatus>,
) -> Result<HttpResponse, Fout> {
    let e = match uitkomst {
        Ok(_) => return Ok(naar(&format!("/werkplek/meldingen/{id}"))),
        Err(e) => e,
    };
    // A reason may quote organisations by code (a hand-over's `naar`): their names.
    let organisaties = crate::db::run(pool, |c| {
        Weergavenamen::alle_organisaties(c)
            .map(|(_, keuze)| keuze)
            .map_err(crate::db::db_fout)
    })
    .await?;
    let mut woorden = statuswoorden();
    woorden.extend(organisaties.iter().map(|(c, n)| (c.as_str(), n.as_str())));
    let status = actix_web::ResponseError::status_code(&e);
    let terug = match e {
        AppError::Validatie { fouten, .. } if !fouten.is_empty() => {
            let standaard = velden.first().map_or("", |(_, v, _)| *v);
            let velden = crate::werkplek::problemen_in_woorden(fouten, velden, &woorden, standaard)
                .into_iter()
                .map(|p| Probleem {
                    id: p.veld.clone(),
                    ..p
                })
                .collect();
            Terugmelding {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                velden,
                ..Terugmelding::default()
            }
        }
        e if matches!(status.as_u16(), 400 | 403 | 409 | 412 | 422) => {
            let tekst = match (status.as_u16(), stap) {
                (409, Some(n)) => format!("„{}” kan nu niet.", stap_label(n)),
                (412, _) => "Iemand anders heeft deze melding intussen gewijzigd. Hieronder staat de nieuwe stand; kies uw stap opnieuw.".to_string(),
                _ => {
                    let p = e.problem();
                    // A conflict's own reason, without the states in API codes that the
                    // API appends (the page names the state itself).
                    let detail = p
                        .detail
                        .split(" (huidige status")
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    let mut tekst = crate::werkplek::in_woorden(&detail, &woorden);
                    for f in &p.invalid_params {
                        tekst.push(' ');
                        tekst.push_str(&crate::werkplek::in_woorden(&f.reason, &woorden));
                    }
                    tekst
                }
            };
            Terugmelding {
                status: if status.as_u16() == 400 {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    status
                },
                tekst: Some(tekst),
                toestand: status.as_u16() == 409,
                ..Terugmelding::default()
            }
        }
        e => return Err(Fout(e)),
    };
    detail_pagina(req, s, pool, id, Some(terug)).await
}

/// `POST /werkplek/meldingen/{id}/indienen`: submit a concept.
pub async fn indienen(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let i = Indiening {
        id,
        verwacht_versie: f.voorwaarde()?,
    };
    let u = uitvoeren(&pool, &ctx, "indienen", Some(id), move |c, x| {
        referral::dien_in(c, x, i)
    })
    .await;
    na_stap(&req, &f.sessie, &pool, id, u, &[], None).await
}

/// `POST /werkplek/meldingen/{id}/kwaliteit`: approve (`oordeel=goedgekeurd`) or send
/// back with remarks.
pub async fn kwaliteit(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    // No verdict is no verdict: never a send-back by default.
    let oordeel = match f.waarde("oordeel").as_deref() {
        Some("goedgekeurd") => Some(Oordeel::Goedgekeurd),
        Some("teruggestuurd") => Some(Oordeel::Teruggestuurd {
            opmerkingen: f.waarde("opmerkingen").unwrap_or_default(),
        }),
        _ => None,
    };
    let u = match oordeel {
        Some(oordeel) => {
            let k = Kwaliteitsoordeel {
                id,
                oordeel,
                verwacht_versie: f.voorwaarde()?,
            };
            uitvoeren(
                &pool,
                &ctx,
                "kwaliteitsbeoordeling",
                Some(id),
                move |c, x| referral::kwaliteit(c, x, k),
            )
            .await
        }
        None => Err(AppError::ongeldig(
            "oordeel",
            "required",
            "kies goedkeuren of terugsturen",
        )),
    };
    let velden = [
        ("opmerkingen", "opmerkingen", "Opmerkingen"),
        ("oordeel", "oordeel", "Oordeel"),
    ];
    na_stap(&req, &f.sessie, &pool, id, u, &velden, None).await
}

/// `POST /werkplek/meldingen/{id}/stap`: one lifecycle step (`naar` = the target state).
pub async fn stap(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let s = Stapverzoek {
        id,
        verwacht_versie: f.voorwaarde()?,
        reden: f.waarde("reden"),
    };
    let naar_status: Option<TaakStatus> = f.waarde("naar").and_then(|n| n.parse().ok());
    // The triage form sends `uitkomst`, also left at "Kies": such a post is a triage
    // without an outcome (refused at the field), never a plain resumption.
    let beoordeling = f.heeft("uitkomst");
    let u = match naar_status {
        Some(TaakStatus::Received) => {
            uitvoeren(&pool, &ctx, "ontvangen", Some(id), move |c, x| {
                referral::ontvang(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Accepted) => {
            uitvoeren(&pool, &ctx, "accepteren", Some(id), move |c, x| {
                referral::accepteer(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Rejected) => {
            uitvoeren(&pool, &ctx, "afwijzen", Some(id), move |c, x| {
                referral::wijs_af(c, x, s)
            })
            .await
        }
        Some(TaakStatus::InProgress) if beoordeling => {
            // `acuut` is ja, nee or not chosen; another value is a crafted post, refused
            // at the field rather than stored as "not said" (the outside test of 1 Dec
            // 2026).
            let acuut = f.ja_nee("acuut");
            match f.waarde("uitkomst").and_then(|u| u.parse().ok()) {
                Some(_) if acuut.is_none() && f.waarde("acuut").is_some() => {
                    Err(AppError::ongeldig("acuut", "enum", "kies ja of nee"))
                }
                Some(uitkomst) => {
                    let b = Beoordeling {
                        stap: s,
                        uitkomst,
                        acuut,
                        toelichting: f.waarde("toelichting"),
                    };
                    uitvoeren(&pool, &ctx, "beoordelen", Some(id), move |c, x| {
                        referral::beoordeel(c, x, b)
                    })
                    .await
                }
                None => Err(AppError::ongeldig(
                    "uitkomst",
                    "required",
                    "kies de uitkomst van de beoordeling",
                )),
            }
        }
        Some(TaakStatus::InProgress) => {
            uitvoeren(&pool, &ctx, "hervatten", Some(id), move |c, x| {
                referral::hervat(c, x, s)
            })
            .await
        }
        Some(TaakStatus::OnHold) => {
            uitvoeren(&pool, &ctx, "opschorten", Some(id), move |c, x| {
                referral::schort_op(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Completed) => {
            let uitvoer = f.waarde("toelichting");
            uitvoeren(&pool, &ctx, "afsluiten", Some(id), move |c, x| {
                referral::sluit_af(c, x, s, uitvoer)
            })
            .await
        }
        Some(TaakStatus::Cancelled) => {
            uitvoeren(&pool, &ctx, "annuleren", Some(id), move |c, x| {
                referral::annuleer(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Failed) => {
            uitvoeren(&pool, &ctx, "mislukken", Some(id), move |c, x| {
                referral::mislukt(c, x, s)
            })
            .await
        }
        // A crafted `naar` the page never offers: invalid input, not a state conflict.
        _ => Err(AppError::ongeldig(
            "naar",
            "enum",
            "deze stap bestaat niet; kies een stap op de pagina",
        )),
    };
    // The fields of this step's form (`melding.html`: ids end in the step's state).
    let n = naar_status.map(|t| t.to_string()).unwrap_or_default();
    let (reden, uitkomst, acuut, toelichting) = (
        format!("reden-{n}"),
        format!("uitkomst-{n}"),
        format!("acuut-ja-{n}"),
        format!("toelichting-{n}"),
    );
    let velden = [
        ("reden", reden.as_str(), "Reden"),
        ("uitkomst", uitkomst.as_str(), "Uitkomst van de beoordeling"),
        ("acuut", acuut.as_str(), "Acute onveiligheid?"),
        ("toelichting", toelichting.as_str(), "Toelichting"),
    ];
    na_stap(&req, &f.sessie, &pool, id, u, &velden, naar_status).await
}

/// `POST /werkplek/meldingen/{id}/terugkoppeling`: the receiver's feedback to the sender.
pub async fn terugkoppeling(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    // Who took over (with contact), and the safety conditions and monitoring where the
    // reporter has a role in them (DOMAIN.md §3 flow 3): the same fields the API takes. A
    // contact without an organisation is sent as such, so the page says which is missing.
    let overgenomen = match (f.waarde("overgenomenDoor"), f.waarde("overgenomenContact")) {
        (None, None) => serde_json::Value::Null,
        (org, contact) => json!({"organisatie": org, "contact": contact}),
    };
    let invoer: TerugkoppelingInvoer = serde_json::from_value(json!({
        "moment": f.waarde("moment"),
        "vervolgtrajectGestart": f.ja_nee("vervolgtrajectGestart"),
        "overgenomenDoor": overgenomen,
        "melderHeeftRol": f.ja_nee("melderHeeftRol"),
        "veiligheidsvoorwaarden": f.waarde("veiligheidsvoorwaarden"),
        "monitoringsafspraken": f.waarde("monitoringsafspraken"),
        "toelichting": f.waarde("toelichting"),
    }))
    .map_err(|e| Fout(AppError::intern(e)))?;
    let n = NieuweTerugkoppeling { id, invoer };
    let c = ctx.clone();
    let object = terugkoppeling::verzoekobject(id, &ctx);
    let u = crate::verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(terugkoppeling::geef(conn, &c, n)?)
    })
    .await;
    let velden = [
        ("moment", "moment", "Moment"),
        (
            "vervolgtrajectGestart",
            "vervolg-ja",
            "Is er een vervolgtraject gestart?",
        ),
        (
            "overgenomenDoor.organisatie",
            "tk-overgenomen",
            "Overgenomen door",
        ),
        (
            "overgenomenDoor.contact",
            "tk-contact",
            "Contact bij die organisatie",
        ),
        (
            "melderHeeftRol",
            "rol-ja",
            "Heeft de melder een rol in de veiligheidsvoorwaarden of de monitoring?",
        ),
        (
            "veiligheidsvoorwaarden",
            "tk-voorwaarden",
            "Veiligheidsvoorwaarden",
        ),
        (
            "monitoringsafspraken",
            "tk-monitoring",
            "Monitoringsafspraken",
        ),
        ("toelichting", "tk-toelichting", "Toelichting"),
    ];
    na_stap(&req, &f.sessie, &pool, id, u, &velden, None).await
}

/// `POST /werkplek/meldingen/{id}/overdracht`: the receiver hands over to organisation
/// `naar`, which gets its own linked task (`referral::draag_over`).
pub async fn overdracht(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let o = referral::Overdracht {
        id,
        naar: f.waarde("naar").unwrap_or_default(),
        toelichting: f.waarde("toelichting"),
    };
    let u = uitvoeren(&pool, &ctx, "overdragen", Some(id), move |c, x| {
        referral::draag_over(c, x, o)
    })
    .await;
    let velden = [
        ("organisatie", "overdracht-naar", "Aan"),
        ("naar", "overdracht-naar", "Aan"),
        ("toelichting", "overdracht-toelichting", "Toelichting"),
    ];
    na_stap(&req, &f.sessie, &pool, id, u, &velden, None).await
}

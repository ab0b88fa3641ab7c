//! Filing: the form page, saving a concept, editing it.

use super::*;

#[derive(Template)]
#[template(path = "werkplek/melding_formulier.html")]
pub(super) struct MeldingFormulier {
    kader: Kader,
    actie: String,
    groepen: Vec<Groep>,
    problemen: Vec<Probleem>,
    melding: Option<Uuid>,
    versie: i64,
}

pub(super) fn formulier_pagina(
    s: &Sessie,
    melding: Option<(Uuid, i64)>,
    waarden: &HashMap<String, String>,
    fouten: Vec<Probleem>,
) -> Result<HttpResponse, Fout> {
    // At the field its label is next to the text; in the summary above the form the
    // text names the group too ("Kind 1: Achternaam is verplicht").
    let labels = veldlabels(waarden);
    let map: HashMap<String, String> = fouten
        .iter()
        .map(|p| {
            let tekst = match labels.get(&p.veld) {
                Some((_, label)) => leesbaar(&p.tekst, label),
                None => p.tekst.clone(),
            };
            (p.veld.clone(), tekst)
        })
        .collect();
    let namen = veldnamen(waarden);
    // A problem on a field the form has is linked to it; one on a whole list or the
    // melder (`kinderen`, `melder`) to its first field.
    let problemen = fouten
        .into_iter()
        .map(|p| {
            let doel = if namen.contains(&p.veld) {
                p.veld.clone()
            } else {
                namen
                    .iter()
                    .find(|n| n.starts_with(&p.veld))
                    .cloned()
                    .unwrap_or_else(|| p.veld.clone())
            };
            let tekst = match labels.get(&doel) {
                // A problem of the field itself, or of its list or group as a whole.
                Some((volledig, _)) if doel == p.veld => leesbaar(&p.tekst, volledig),
                Some((volledig, _)) => {
                    let groep = volledig.split(": ").next().unwrap_or(volledig);
                    leesbaar(&p.tekst, groep)
                }
                None => p.tekst.clone(),
            };
            Probleem {
                id: veld_id(&doel),
                tekst,
                ..p
            }
        })
        .collect::<Vec<_>>();
    let mut map = map;
    for p in &problemen {
        let naam = namen.iter().find(|n| veld_id(n) == p.id);
        if let Some(n) = naam {
            map.entry(n.clone()).or_insert_with(|| p.tekst.clone());
        }
    }
    let status = if problemen.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = MeldingFormulier {
        kader: Kader::voor(
            s,
            if melding.is_some() {
                "Concept bewerken"
            } else {
                "Nieuwe zorgmelding"
            },
            crate::werkplek::NIEUWE_MELDING.pad,
        ),
        actie: match melding {
            Some((id, _)) => format!("/werkplek/meldingen/{id}"),
            None => "/werkplek/meldingen".into(),
        },
        groepen: groepen(waarden, &map),
        problemen,
        melding: melding.map(|(id, _)| id),
        versie: melding.map(|(_, v)| v).unwrap_or(0),
    };
    pagina(&t, status)
}

/// `GET /werkplek/meldingen/nieuw`: the empty form.
pub async fn nieuw(s: Sessie) -> Result<HttpResponse, Fout> {
    mag(&s, &crate::werkplek::NIEUWE_MELDING)?;
    let mut w = HashMap::new();
    w.insert("melder.naam".into(), s.actor.weergavenaam.clone());
    // A new melding starts at `vertrouwelijk` (police information about a family); a
    // stored one shows its own level (`met_niveau`).
    w.insert(
        "vertrouwelijkheid".into(),
        Vertrouwelijkheid::Vertrouwelijk.as_ref().to_string(),
    );
    formulier_pagina(&s, None, &w, vec![])
}

/// Validation problems of a use case as the form's problems (slots mapped back).
pub(super) fn problemen(
    e: &AppError,
    slots: &HashMap<String, Vec<usize>>,
) -> Option<Vec<Probleem>> {
    match e {
        AppError::Validatie { fouten, .. } if !fouten.is_empty() => Some(
            fouten
                .iter()
                .map(|f| {
                    let veld = naar_slot(&f.name, slots);
                    Probleem {
                        id: veld_id(&veld),
                        veld,
                        tekst: crate::werkplek::datums_als_nl(&f.reason),
                    }
                })
                .collect(),
        ),
        _ => None,
    }
}

pub(super) fn waarden(f: &Formulier) -> HashMap<String, String> {
    f.velden
        .iter()
        .filter(|(k, _)| k != crate::werkplek::formulier::CSRF_VELD)
        .cloned()
        .collect()
}

/// Save the form as a new concept (`id` none) or over concept `id`; then, with
/// `actie=indienen`, submit it. A problem re-renders the form with it at its field.
pub(super) async fn opslaan(
    req: &HttpRequest,
    pool: &DbPool,
    f: Formulier,
    bestaand: Option<(Uuid, i64)>,
) -> Result<HttpResponse, Fout> {
    let s = f.sessie.clone();
    mag(&s, &crate::werkplek::NIEUWE_MELDING)?;
    let w = waarden(&f);
    let ctx = context(req, &s, None)?;
    let (invoer, slots) = naar_invoer(&w);
    // An unknown municipality is named beside every other problem (as the API does).
    let melding = match crate::lichaam::met_registers(
        pool,
        &invoer,
        invoer.naar_melding(ctx.vandaag()),
    )
    .await
    {
        Ok(m) => m,
        Err(e) => {
            return match problemen(&e, &slots) {
                Some(p) => formulier_pagina(&s, bestaand, &w, p),
                None => Err(Fout(e)),
            };
        }
    };
    let uitkomst = match bestaand {
        None => {
            uitvoeren(pool, &ctx, "aanmaken", None, move |c, x| {
                referral::maak(c, x, melding)
            })
            .await
        }
        Some((id, versie)) => {
            let w = Wijziging {
                id,
                verwacht_versie: ketenregie_common::IfMatch::versie(versie),
                melding,
            };
            uitvoeren(pool, &ctx, "wijzigen", Some(id), move |c, x| {
                referral::wijzig(c, x, w)
            })
            .await
        }
    };
    let m = match uitkomst {
        Ok(m) => m,
        Err(e) => {
            return match problemen(&e, &slots) {
                Some(p) => formulier_pagina(&s, bestaand, &w, p),
                None => Err(Fout(e)),
            };
        }
    };
    let id = m.kop.id;
    if f.waarde("actie").as_deref() == Some("indienen") {
        let i = Indiening {
            id,
            verwacht_versie: ketenregie_common::IfMatch::versie(m.kop.versie),
        };
        uitvoeren(pool, &ctx, "indienen", Some(id), move |c, x| {
            referral::dien_in(c, x, i)
        })
        .await?;
    }
    Ok(naar(&format!("/werkplek/meldingen/{id}")))
}

/// `POST /werkplek/meldingen`: a new concept (and submit, with `actie=indienen`).
pub async fn bewaar_nieuw(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    opslaan(&req, &pool, f, None).await
}

/// `POST /werkplek/meldingen/{id}`: change concept `id` at the version it was read.
pub async fn bewaar(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let versie = f
        .waarde("_versie")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    opslaan(&req, &pool, f, Some((id.into_inner(), versie))).await
}

/// `GET /werkplek/meldingen/{id}/bewerken`: a concept in the form.
pub async fn bewerk(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, Fout> {
    mag(&s, &crate::werkplek::NIEUWE_MELDING)?;
    let id = id.into_inner();
    let ctx = context(&req, &s, None)?;
    let m = uitvoeren(&pool, &ctx, "lezen", Some(id), move |c, x| {
        referral::lees(c, x, id)
    })
    .await?;
    if m.kop.meldingstatus != Meldingstatus::Concept {
        return Err(Fout(AppError::Conflict {
            detail: "Alleen een concept kan nog worden bewerkt".into(),
            location: None,
        }));
    }
    let w = met_niveau(
        m.inhoud.as_ref().map(uit_inhoud).unwrap_or_default(),
        &m.kop,
    );
    formulier_pagina(&s, Some((id, m.kop.versie)), &w, vec![])
}

#[derive(Template)]
#[template(path = "werkplek/concept_verwijderen.html")]
pub(super) struct ConceptVerwijderen {
    kader: Kader,
    id: Uuid,
    versie: i64,
    /// What identifies the concept to the one who started it: when, where, about whom.
    kop: Vec<(String, String)>,
    probleem: Option<String>,
}

/// The children of a concept by name ("Sam Jansen, Noor Jansen"), as the confirmation
/// names them so the right concept is removed.
fn kinderen(inhoud: Option<&Value>) -> String {
    inhoud
        .and_then(|i| i["kinderen"].as_array())
        .map(|k| {
            k.iter()
                .map(|k| {
                    [k["voornaam"].as_str(), k["achternaam"].as_str()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The confirmation page of concept `id`, read under the decision as the form reads it
/// (`referral::lees`, logged); `probleem` above it when a removal just failed.
async fn verwijder_pagina(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    id: Uuid,
    probleem: Option<String>,
    code: StatusCode,
) -> Result<HttpResponse, Fout> {
    let ctx = context(req, s, None)?;
    let m = uitvoeren(pool, &ctx, "lezen", Some(id), move |c, x| {
        referral::lees(c, x, id)
    })
    .await?;
    if m.kop.meldingstatus != Meldingstatus::Concept {
        return Err(Fout(AppError::Conflict {
            detail: "Alleen een concept kan worden verwijderd; een ingediende melding blijft bewaard tot haar bewaartermijn verstrijkt".into(),
            location: None,
        }));
    }
    let k = &m.kop;
    let mut kop = vec![
        ("Status".to_string(), status(k)),
        ("Aangemaakt".to_string(), tijd_db(k.aangemaakt_op)),
        ("Laatst gewijzigd".to_string(), tijd_db(k.gewijzigd_op)),
    ];
    let namen = kinderen(m.inhoud.as_ref());
    if !namen.is_empty() {
        kop.push(("Kinderen".to_string(), namen));
    }
    let t = ConceptVerwijderen {
        kader: Kader::voor(s, "Concept verwijderen", ""),
        id,
        versie: k.versie,
        kop,
        probleem,
    };
    pagina(&t, code)
}

/// `GET /werkplek/meldingen/{id}/verwijderen`: asks to confirm the removal of concept `id`.
pub async fn verwijder_vraag(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, Fout> {
    mag(&s, &crate::werkplek::NIEUWE_MELDING)?;
    verwijder_pagina(&req, &s, &pool, id.into_inner(), None, StatusCode::OK).await
}

/// `POST /werkplek/meldingen/{id}/verwijderen`: removes concept `id` at the version the
/// confirmation showed (`referral::verwijder_concept`, as `DELETE /zorgmeldingen/{id}`),
/// then "Mijn meldingen" says so. A change by someone else (412) shows the confirmation
/// again with the reason; a melding that is no concept any more (409), its own page with
/// its state; any other refusal, the error page.
pub async fn verwijder(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let s = f.sessie.clone();
    mag(&s, &crate::werkplek::NIEUWE_MELDING)?;
    let id = id.into_inner();
    let ctx = context(&req, &s, None)?;
    let v = referral::Verwijdering {
        id,
        verwacht_versie: f.voorwaarde()?,
    };
    let u = uitvoeren(&pool, &ctx, "verwijderen", Some(id), move |c, x| {
        referral::verwijder_concept(c, x, v)
    })
    .await;
    match u {
        Ok(()) => Ok(naar(&format!(
            "{}?verwijderd=concept",
            crate::werkplek::UITGAAND.pad
        ))),
        Err(e) => match actix_web::ResponseError::status_code(&e).as_u16() {
            // No concept any more: its own page says what it is now.
            409 => super::detail::na_stap(&req, &s, &pool, id, Err::<(), _>(e), &[], None).await,
            412 => {
                verwijder_pagina(
                    &req,
                    &s,
                    &pool,
                    id,
                    Some("Iemand anders heeft dit concept intussen gewijzigd. Hieronder staat de nieuwe stand; bevestig opnieuw als u het wilt verwijderen.".into()),
                    StatusCode::PRECONDITION_FAILED,
                )
                .await
            }
            _ => Err(Fout(e)),
        },
    }
}

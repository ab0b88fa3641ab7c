//! The pilot dashboard for the steering group (issue 16; DOMAIN.md §2: whether the loop
//! closes): counts only, no personal data, across the whole pilot. Per month (the last six
//! Dutch calendar months) and per sender -> receiver pair, per feedback moment the share
//! on time, the median and 90th percentile hours to feedback and the duties overdue now
//! (`feedback::rapportage::rapport_voor`, the figures of "Terugkoppeling in cijfers"
//! rendered by the same rows, `cijfers::naar_regels`); the meldingen per municipality per
//! month (`referral::melding::aantallen_per_gemeente`); the briefings run per month and
//! organisation (distinct briefings in the audit trail, `logboek::lezen::tel_objecten`:
//! noodhulp's look-ups before arriving); the repeat meldingen about the same child per month
//! and how many children had how many meldingen (`referral::melding::herhalingen`, counted
//! per child by its pseudonymous identity in the meldingen index, never a BSN; no
//! identity reaches the page). A bar chart per month drawn on the
//! server as SVG with the tables beside it for screen readers, and the pair table as CSV.

use super::cijfers::{Cijferregel, csv_bestand, met_namen, naar_regels};
use super::meldingen::context;
use super::namen::Weergavenamen;
use super::{Fout, Kader, Scherm, Sessie};
use crate::problem::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use ketenregie_common::{Rol, werkdagen};
use ketenregie_feedback::rapportage;
use ketenregie_store::DbPool;

pub const DASHBOARD: Scherm = Scherm {
    pad: "/werkplek/dashboard",
    label: "Pilotdashboard",
    rollen: &[Rol::Stuurgroep],
};

/// Months shown.
pub const MAANDEN: usize = 6;

/// One month's bar: the share on time over all pairs and moments.
#[derive(Debug, Clone)]
pub struct Maandbalk {
    pub maand: String,
    pub op_tijd: i64,
    pub beslist: i64,
    pub procent: Option<i64>,
    pub te_laat: i64,
    pub balk: i64,
    pub y: i64,
    pub label_y: i64,
}

/// A count in one month for one municipality (meldingen) or one organisation
/// (briefings).
#[derive(Debug, Clone)]
pub struct Telregel {
    pub maand: String,
    /// The municipality's code or the organisation's code.
    pub naam: String,
    pub aantal: i64,
}

/// One month's repeat meldingen about the same child (counts only).
#[derive(Debug, Clone)]
pub struct Herhaalregel {
    pub maand: String,
    pub h: ketenregie_referral::melding::Herhaling,
    /// The share of repeat meldingen, in whole percents.
    pub procent: Option<i64>,
}

#[derive(Template)]
#[template(path = "werkplek/dashboard.html")]
struct Dashboardpagina {
    kader: Kader,
    balken: Vec<Maandbalk>,
    hoogte: i64,
    regels: Vec<Cijferregel>,
    gemeenten: Vec<Telregel>,
    briefings: Vec<Telregel>,
    herhalingen: Vec<Herhaalregel>,
    /// Children by number of meldingen (`melding::VERDELING`, count).
    verdeling: Vec<(&'static str, i64)>,
    /// For `paren_tabel.html`: months side by side, so a month column.
    met_maand: bool,
    tabel_label: &'static str,
}

/// The first day of the month `terug` months before `d`'s.
fn maand_begin(d: NaiveDate, terug: i32) -> NaiveDate {
    let n = d.year() * 12 + d.month0() as i32 - terug;
    NaiveDate::from_ymd_opt(n.div_euclid(12), n.rem_euclid(12) as u32 + 1, 1).expect("day 1")
}

struct Cijfers {
    balken: Vec<Maandbalk>,
    regels: Vec<Cijferregel>,
    gemeenten: Vec<Telregel>,
    /// Briefings per month and organisation.
    briefings: Vec<Telregel>,
    herhalingen: Vec<Herhaalregel>,
    verdeling: Vec<(&'static str, i64)>,
}

async fn cijfers(req: &HttpRequest, s: &Sessie, pool: &DbPool) -> Result<Cijfers, Fout> {
    if !s.heeft_een(DASHBOARD.rollen) {
        return Err(Fout::niet_voor_rol(&DASHBOARD));
    }
    let ctx = context(req, s, None)?;
    let vandaag = ctx.vandaag();
    let nu = ctx.nu;
    // Oldest month first.
    let maanden: Vec<(String, NaiveDate, NaiveDate)> = (0..MAANDEN as i32)
        .rev()
        .map(|terug| {
            let begin = maand_begin(vandaag, terug);
            (
                begin.format("%Y-%m").to_string(),
                begin,
                maand_begin(vandaag, terug - 1),
            )
        })
        .collect();
    let perioden: Vec<_> = maanden
        .iter()
        .map(|(_, begin, eind)| {
            (
                werkdagen::begin_van_dag(*begin),
                werkdagen::begin_van_dag(*eind),
            )
        })
        .collect();
    let (per_maand, (herhaling, verdeling)) = crate::db::run(pool, move |c| {
        let herhaling =
            ketenregie_referral::melding::herhalingen(c, &perioden).map_err(AppError::from)?;
        let per_maand = maanden
            .into_iter()
            .map(|(naam, begin, eind)| {
                let (van, tot) = (
                    werkdagen::begin_van_dag(begin),
                    werkdagen::begin_van_dag(eind),
                );
                let paren = rapportage::rapport_voor(c, None, van, tot, nu)?;
                let gemeenten = ketenregie_referral::melding::aantallen_per_gemeente(c, van, tot)?;
                let briefings =
                    ketenregie_privacy::logboek::tel_objecten(c, "briefings", van, tot)?;
                Ok((naam, paren, gemeenten, briefings))
            })
            .collect::<Result<Vec<_>, diesel::result::Error>>()
            .map_err(AppError::from)?;
        Ok((per_maand, herhaling))
    })
    .await?;
    let herhalingen = per_maand
        .iter()
        .zip(herhaling)
        .map(|((maand, ..), h)| Herhaalregel {
            maand: maand.clone(),
            procent: (h.meldingen > 0).then(|| (h.herhaald * 100 + h.meldingen / 2) / h.meldingen),
            h,
        })
        .collect();
    let verdeling = ketenregie_referral::melding::VERDELING
        .iter()
        .copied()
        .zip(verdeling)
        .collect();
    let mut regels = Vec::new();
    let mut balken = Vec::new();
    let mut gemeenten = Vec::new();
    let mut briefings = Vec::new();
    for (maand, paren, per_gemeente, per_organisatie) in &per_maand {
        for (organisatie, aantal) in per_organisatie {
            briefings.push(Telregel {
                maand: maand.clone(),
                naam: organisatie.clone(),
                aantal: *aantal,
            });
        }
        let eerst = regels.len();
        naar_regels(paren, maand, &mut regels);
        let deze = &regels[eerst..];
        let op_tijd: i64 = deze.iter().map(|r| r.op_tijd).sum();
        let beslist: i64 = deze.iter().map(|r| r.beslist).sum();
        let procent = (beslist > 0).then(|| (op_tijd * 100 + beslist / 2) / beslist);
        let y = 10 + 30 * balken.len() as i64;
        balken.push(Maandbalk {
            maand: maand.clone(),
            op_tijd,
            beslist,
            procent,
            te_laat: deze.iter().map(|r| r.te_laat).sum(),
            balk: procent.unwrap_or(0) * 3,
            y,
            label_y: y + 15,
        });
        for (gemeente, aantal) in per_gemeente {
            gemeenten.push(Telregel {
                maand: maand.clone(),
                naam: gemeente.clone(),
                aantal: *aantal,
            });
        }
    }
    Ok(Cijfers {
        balken,
        regels,
        gemeenten,
        briefings,
        herhalingen,
        verdeling,
    })
}

/// `GET /werkplek/dashboard`.
pub async fn pagina(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    let mut c = cijfers(&req, &s, &pool).await?;
    // Organisations and municipalities by name on the page (the CSV keeps the codes).
    let organisaties: Vec<String> = c
        .regels
        .iter()
        .flat_map(|r| [r.afzender.clone(), r.ontvanger.clone()])
        .chain(c.briefings.iter().map(|b| b.naam.clone()))
        .collect();
    let gemeenten: Vec<String> = c.gemeenten.iter().map(|g| g.naam.clone()).collect();
    let namen = crate::db::run(&pool, move |conn| {
        Weergavenamen::laad(
            conn,
            organisaties.iter().map(String::as_str),
            gemeenten.iter().map(String::as_str),
        )
        .map_err(crate::db::db_fout)
    })
    .await?;
    met_namen(&mut c.regels, &namen);
    for b in &mut c.briefings {
        b.naam = namen.organisatie(&b.naam);
    }
    for g in &mut c.gemeenten {
        g.naam = namen.gemeenten(std::slice::from_ref(&g.naam));
    }
    let hoogte = 20 + 30 * c.balken.len() as i64;
    super::pagina(
        &Dashboardpagina {
            kader: Kader::voor(&s, DASHBOARD.label, DASHBOARD.pad),
            balken: c.balken,
            hoogte,
            regels: c.regels,
            gemeenten: c.gemeenten,
            briefings: c.briefings,
            herhalingen: c.herhalingen,
            verdeling: c.verdeling,
            met_maand: true,
            tabel_label: "Per afzender en ontvanger",
        },
        StatusCode::OK,
    )
}

/// `GET /werkplek/dashboard.csv`: the pair table per month (counts only).
pub async fn csv(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    let c = cijfers(&req, &s, &pool).await?;
    Ok(csv_bestand(&c.regels, true, "pilotdashboard.csv"))
}

#[cfg(test)]
mod tests {
    use super::maand_begin;
    use chrono::NaiveDate;

    #[test]
    fn maanden_over_de_jaargrens() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 17).unwrap();
        assert_eq!(
            maand_begin(d, 0),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
        assert_eq!(
            maand_begin(d, 2),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
        );
        assert_eq!(
            maand_begin(d, -1),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        assert_eq!(
            maand_begin(d, 13),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
        );
    }
}

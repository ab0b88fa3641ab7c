//! "Terugkoppeling in cijfers": whether the loop closes, for the organisation's functional
//! admin and privacy officer. Counts only, no personal data: per sender -> receiver pair
//! of the own organisation over the last 90 days, per feedback moment the share on time,
//! the median and 90th percentile hours to feedback and the duties overdue now
//! (`ketenregie_feedback::rapportage::rapport`, the same figures as
//! `GET /api/v1/rapportages/terugkoppeling`). A bar chart drawn on the server as SVG (no
//! script, no inline style) with the numbers beside it as a table for screen readers, and
//! the same table as CSV.

use super::meldingen::context;
use super::namen::Weergavenamen;
use super::{Fout, Kader, Sessie};
use crate::problem::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Duration;
use ketenregie_common::werkdagen;
use ketenregie_feedback::rapportage;
use ketenregie_store::DbPool;

/// One row: a pair and one moment.
#[derive(Debug, Clone)]
pub struct Cijferregel {
    /// The month (`2026-11`) on the steering group's dashboard; empty on the figures page.
    pub maand: String,
    pub afzender: String,
    pub ontvanger: String,
    pub meldingen: i64,
    pub moment: String,
    pub aantal: i64,
    pub op_tijd: i64,
    /// Duties decided: met, or open past due (the share's denominator).
    pub beslist: i64,
    /// Percent on time, over the duties decided; `None` when none is.
    pub procent: Option<i64>,
    pub mediaan: String,
    pub p90: String,
    pub te_laat: i64,
    /// The bar's width in the chart (0..=300) and its y position.
    pub balk: i64,
    pub y: i64,
    pub label_y: i64,
}

#[derive(Template)]
#[template(path = "werkplek/cijfers.html")]
struct Cijferpagina {
    kader: Kader,
    regels: Vec<Cijferregel>,
    hoogte: i64,
    /// For `paren_tabel.html`: one period, so no month column.
    met_maand: bool,
    tabel_label: &'static str,
}

async fn regels(req: &HttpRequest, s: &Sessie, pool: &DbPool) -> Result<Vec<Cijferregel>, Fout> {
    if !s.heeft_een(super::CIJFERS.rollen) {
        return Err(Fout::niet_voor_rol(&super::CIJFERS));
    }
    let ctx = context(req, s, None)?;
    let tot = ctx.vandaag() + Duration::days(1);
    let (begin, eind) = (
        werkdagen::begin_van_dag(tot - Duration::days(90)),
        werkdagen::begin_van_dag(tot),
    );
    let (org, nu) = (ctx.actor.organisatie.clone(), ctx.nu);
    let paren = crate::db::run(pool, move |c| {
        rapportage::rapport(c, &org, begin, eind, nu).map_err(AppError::from)
    })
    .await?;
    let mut regels = Vec::new();
    naar_regels(&paren, "", &mut regels);
    Ok(regels)
}

/// The report's pairs as rows (one per pair and moment), appended to `regels` with their
/// place in the chart; `maand` names the month they belong to (empty: one period).
pub fn naar_regels(paren: &[rapportage::Paar], maand: &str, regels: &mut Vec<Cijferregel>) {
    let uren = |u: Option<f64>| u.map(|u| format!("{u:.0}")).unwrap_or_else(|| "-".into());
    for p in paren {
        for m in &p.momenten {
            let procent = m.aandeel_op_tijd.map(|a| (a * 100.0).round() as i64);
            let y = 10 + 30 * regels.len() as i64;
            regels.push(Cijferregel {
                maand: maand.to_string(),
                afzender: p.afzender.clone(),
                ontvanger: p.ontvanger.clone(),
                meldingen: p.meldingen,
                moment: crate::werkplek::namen::als_woorden(m.moment.as_ref()),
                aantal: m.aantal,
                op_tijd: m.op_tijd,
                beslist: m.voldaan + m.open_te_laat,
                procent,
                mediaan: uren(m.mediaan_uren),
                p90: uren(m.p90_uren),
                te_laat: m.open_te_laat,
                balk: procent.unwrap_or(0) * 3,
                y,
                label_y: y + 15,
            });
        }
    }
}

/// The HTML table's rows with the organisations by name (the CSV keeps the codes: a
/// spreadsheet joins on them, and a code holds no `;`).
pub fn met_namen(regels: &mut [Cijferregel], namen: &Weergavenamen) {
    for r in regels {
        r.afzender = namen.organisatie(&r.afzender);
        r.ontvanger = namen.organisatie(&r.ontvanger);
    }
}

/// `GET /werkplek/cijfers`.
pub async fn pagina(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    let mut regels = regels(&req, &s, &pool).await?;
    let codes: Vec<String> = regels
        .iter()
        .flat_map(|r| [r.afzender.clone(), r.ontvanger.clone()])
        .collect();
    let namen = crate::db::run(&pool, move |c| {
        Weergavenamen::laad(c, codes.iter().map(String::as_str), []).map_err(crate::db::db_fout)
    })
    .await?;
    met_namen(&mut regels, &namen);
    let hoogte = 20 + 30 * regels.len() as i64;
    super::pagina(
        &Cijferpagina {
            kader: Kader::voor(&s, "Terugkoppeling in cijfers", super::CIJFERS.pad),
            regels,
            hoogte,
            met_maand: false,
            tabel_label: "Cijfers per afzender en ontvanger",
        },
        StatusCode::OK,
    )
}

/// `GET /werkplek/cijfers.csv`: the same table as CSV (counts only).
pub async fn csv(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    let regels = regels(&req, &s, &pool).await?;
    Ok(csv_bestand(&regels, false, "terugkoppeling.csv"))
}

/// The pair table as a CSV download (`;`-separated, as Dutch spreadsheets read it), with
/// a month column when `met_maand`: counts only, so no field needs quoting (organisation
/// codes, moments and numbers hold no `;`).
pub fn csv_bestand(regels: &[Cijferregel], met_maand: bool, bestandsnaam: &str) -> HttpResponse {
    let mut uit = String::from(if met_maand { "maand;" } else { "" });
    uit.push_str(
        "afzender;ontvanger;meldingen;moment;termijnen;op_tijd;procent_op_tijd;mediaan_uren;p90_uren;open_te_laat\n",
    );
    for r in regels {
        if met_maand {
            uit.push_str(&r.maand);
            uit.push(';');
        }
        uit.push_str(&format!(
            "{};{};{};{};{};{};{};{};{};{}\n",
            r.afzender,
            r.ontvanger,
            r.meldingen,
            r.moment,
            r.aantal,
            r.op_tijd,
            r.procent.map(|p| p.to_string()).unwrap_or_default(),
            r.mediaan,
            r.p90,
            r.te_laat
        ));
    }
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"{bestandsnaam}\""),
        ))
        .body(uit)
}

//! Gezag (parental authority) per child: the holders, the form, the source and the date it
//! was verified (DOMAIN.md §4). The newest verified record is the one that counts.
//! `GEZAG_HOUDERS_PASSEN_BIJ_VORM`: joint gezag has two holders, one-parent gezag one,
//! voogdij one or two persons or an institution, "temporarily none" and "cannot be
//! determined" none. `GEZAG_BRON_BESCHIKKING`: a court decision as source is named, and
//! it decides gezag (`beschikkingen::GEZAG_BERUST_OP_GEZAGSBESLISSING`).
//! `GEZAG_HOUDER_MEERDERJARIG`: each holder is 18 or older on the verification day (BW
//! 1:233, 1:246); `GEZAG_OVER_MINDERJARIGE`: the child is under 18 on it; a holder is
//! named once (`dubbel`); an institution is a registered organisation.
//! Which record holds on a day (the briefing): `geldt_op`, by `GEZAG_OVER_MINDERJARIGE`
//! on that day and `GEZAG_BERUST_OP_BESCHIKKING_IN_WERKING`.
//!
//! Use cases: `vastleggen` (`POST /personen/{id}/gezag`) and `van_kind`
//! (`GET /personen/{id}/gezag`).

use crate::personen::{self, PERSOON};
use crate::weergave::{GezagKort, gezag_kort, persoon_ref};
use crate::{invoer, toegang};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ketenregie_common::time::to_db;
use ketenregie_common::{
    Fout, Gegevenscategorie as C, InvalidParam, OrganisatieSoort, Validatie, ids, regelcode,
};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_store::DbConnection;
use ketenregie_store::directory;
use ketenregie_store::kolom::{Json, Tekst, TekstOptie};
use ketenregie_store::schema::gezag;
use ketenregie_store::tekst_kolom;
use serde::{Deserialize, Serialize};
use serde_json::json;
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of `POST /personen/{id}/gezag` in the API document: the rule as a
/// caller meets it.
pub mod uitleg {
    pub const VASTLEGGEN: &str = "Records who holds parental authority over the child, in which form, from which source and verified when. Rule GEZAG_HOUDERS_PASSEN_BIJ_VORM: joint gezag has two holders, one-parent gezag one, voogdij one or two persons or an institution, `tijdelijk-geen` and `niet-te-bepalen` none. Rule GEZAG_HOUDER_MEERDERJARIG: each holder is 18 or older on `geverifieerdOp` (BW 1:233, 1:246; else a 422 `gezag-houder-meerderjarig` naming `/houders/N`). Rule GEZAG_OVER_MINDERJARIGE: the child is under 18 on `geverifieerdOp` (else a 422 `gezag-over-minderjarige` naming `id`). A holder named twice is a 422 `dubbel` naming the later `/houders/N`; `houderInstelling` is a registered organisation (else a 422 `geregistreerd`) of kind `gecertificeerde-instelling` (rule VOOGDIJ_INSTELLING_GECERTIFICEERD, BW 1:302 lid 2, Jeugdwet art. 3.4: a legal person is voogd only as a GI; else a 422 `voogdij-instelling-gecertificeerd` naming `/houderInstelling`). Rule BESCHIKKING_VERWIJZING: with `bron` `beschikking`, `beschikking` is a decision your organisation can see (else a 422 `reference`: one outside your view answers as one that does not exist), about this child (else a 422 `beschikking-over-onderwerp`), given on or before `geverifieerdOp` (rule GEZAG_NIET_VOOR_BESCHIKKING: else a 422 `gezag-niet-voor-beschikking` naming `/geverifieerdOp`), and one that decides gezag (rule GEZAG_BERUST_OP_GEZAGSBESLISSING: soort `gezag`, a court decision giving, changing, ending, suspending or restoring gezag or appointing a voogd, BW 1:251a, 1:253c, 1:253n, 1:253t, 1:266, 1:268, 1:277, 1:295, 1:327; an `ots`, `voorlopige-ots`, `uhp`, `omgang`, `zorgregeling`, `huisverbod`, `straatverbod` or `overig` decides no gezag: else a 422 `gezag-berust-op-gezagsbeslissing` naming `/beschikking`). Every problem is named in one answer.";
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Gezagsvorm {
    Gezamenlijk,
    Eenhoofdig,
    Voogdij,
    TijdelijkGeen,
    NietTeBepalen,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Gezagsbron {
    Gezagsregister,
    Brp,
    Beschikking,
}

tekst_kolom!(Gezagsvorm, Gezagsbron);

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GezagInvoer {
    #[schema(required = true, value_type = Gezagsvorm)]
    pub vorm: Option<String>,
    /// The persons holding gezag (persons your organisation registered), each once and each 18 or older on `geverifieerdOp`.
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub houders: Vec<Uuid>,
    /// For voogdij by an institution: its organisation code, as registered (`GET /organisaties`), of a gecertificeerde instelling (rule VOOGDIJ_INSTELLING_GECERTIFICEERD).
    #[schema(max_length = 64)]
    pub houder_instelling: Option<String>,
    #[schema(required = true, value_type = Gezagsbron)]
    pub bron: Option<String>,
    /// The decision it rests on, when `bron` is `beschikking`.
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub beschikking: Option<Uuid>,
    /// The day the authority was verified: `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(required = true, value_type = String, format = Date)]
    pub geverifieerd_op: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gezag {
    pub id: Uuid,
    pub eigenaar: String,
    pub kind: Uuid,
    pub vorm: Gezagsvorm,
    pub houders: Vec<Uuid>,
    pub houder_instelling: Option<String>,
    pub bron: Gezagsbron,
    pub beschikking: Option<Uuid>,
    pub geverifieerd_op: NaiveDate,
}

impl GezagInvoer {
    pub fn valideer(&self, kind: Uuid, vandaag: NaiveDate) -> Result<Gezag, Fout> {
        let mut v = Validatie::new();
        let vorm: Option<Gezagsvorm> = v.keuze("vorm", self.vorm.as_deref());
        let bron: Option<Gezagsbron> = v.keuze("bron", self.bron.as_deref());
        let geverifieerd = invoer::verplichte_datum(
            &mut v,
            "geverifieerdOp",
            self.geverifieerd_op.as_deref(),
            ketenregie_common::Datumbereik::verleden("de datum van verificatie", vandaag),
        );
        let instelling =
            v.optionele_tekstregel("houderInstelling", self.houder_instelling.as_deref(), 64);
        // Each holder once: a repeat is named at its own (later) entry, not merged.
        let mut houders: Vec<Uuid> = Vec::with_capacity(self.houders.len());
        for (i, h) in self.houders.iter().enumerate() {
            if houders.contains(h) {
                v.fout(
                    format!("houders[{i}]"),
                    regelcode::DUBBEL,
                    "`houders` noemt deze persoon al eerder; noem elke houder één keer",
                );
            } else {
                houders.push(*h);
            }
        }
        let aantal = self.houders.len();
        if houders.contains(&kind) {
            v.fout(
                "houders",
                "gezag-houders-passen-bij-vorm",
                "een kind heeft geen gezag over zichzelf",
            );
        }
        if let Some(vorm) = vorm {
            use Gezagsvorm as G;
            let (ok, eis) = match vorm {
                G::Gezamenlijk => (aantal == 2 && instelling.is_none(), "precies twee houders"),
                G::Eenhoofdig => (aantal == 1 && instelling.is_none(), "precies één houder"),
                G::Voogdij => (
                    (1..=2).contains(&aantal) != instelling.is_some(),
                    "één of twee voogden, of een instelling (`houderInstelling`)",
                ),
                G::TijdelijkGeen | G::NietTeBepalen => {
                    (aantal == 0 && instelling.is_none(), "geen houders")
                }
            };
            if !ok {
                v.fout(
                    "houders",
                    "gezag-houders-passen-bij-vorm",
                    format!("bij deze `vorm` van gezag hoort {eis} (regel GEZAG_HOUDERS_PASSEN_BIJ_VORM)"),
                );
            }
        }
        if bron == Some(Gezagsbron::Beschikking) && self.beschikking.is_none() {
            v.fout(
                "beschikking",
                "gezag-bron-beschikking",
                "met bron `beschikking` is de beschikking verplicht (regel GEZAG_BRON_BESCHIKKING)",
            );
        }
        v.afronden(|| Gezag {
            id: ids::new_id(),
            eigenaar: String::new(),
            kind,
            vorm: vorm.unwrap_or(Gezagsvorm::NietTeBepalen),
            houders,
            houder_instelling: instelling,
            bron: bron.unwrap_or(Gezagsbron::Brp),
            beschikking: self.beschikking,
            geverifieerd_op: geverifieerd.unwrap_or_default(),
        })
        .map_err(Fout::Ongeldig)
    }
}

/// `POST /personen/{id}/gezag`: record gezag over a child of the caller's organisation
/// (another's is refused within the view); the holders must be its persons too. Every
/// problem is named at once: the body's own (`GezagInvoer::valideer`) and, once the child
/// is known, the look-ups' (`wie_en_wanneer`) on what could be read (`invoer::samen`).
/// Logged as a write of one's own record, one processing-log row per person (child and
/// holders).
pub fn vastleggen(
    conn: &mut DbConnection,
    ctx: &Context,
    kind: Uuid,
    invoer: &GezagInvoer,
) -> Result<GezagKort, Fout> {
    let eerste = invoer.valideer(kind, ctx.vandaag());
    let kind = match personen::eigen(conn, ctx, kind) {
        Ok(k) => k,
        Err(e) => return Err(crate::invoer::eerst_de_body(&eerste, e)),
    };
    let naslag = wie_en_wanneer(conn, ctx, &kind, invoer)?;
    let g = crate::invoer::samen(eerste, naslag)?;
    let g = voeg_in(conn, &ctx.actor.organisatie, g, ctx.nu)?;
    let betrokken: Vec<String> = std::iter::once(g.kind)
        .chain(g.houders.iter().copied())
        .map(|u| u.to_string())
        .collect();
    let getoond = personen::lees_veel(conn, &ctx.versleuteling, &betrokken)?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[C::GezagEnOmgang],
        Object {
            soort: "gezag",
            id: g.id.to_string(),
            eigenaar: g.eigenaar.clone(),
        },
        json!({"kind": g.kind, "vorm": g.vorm, "bron": g.bron, "houders": g.houders.len(), "beschikking": g.beschikking}),
        &getoond.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
    )?;
    Ok(gezag_kort(&g, &|u| persoon_ref(&getoond, u)))
}

/// Rule `GEZAG_HOUDER_MEERDERJARIG`: each person holding gezag is of age (18) on the day
/// the gezag was verified (`geverifieerdOp`). Minority ends at 18 (BW 1:233) and a minor
/// cannot hold gezag (BW 1:246). A holder under 18 on that day is a 422 naming
/// `houders[N]`.
pub const GEZAG_HOUDER_MEERDERJARIG: &str = "gezag-houder-meerderjarig";

/// Rule `VOOGDIJ_INSTELLING_GECERTIFICEERD`: an institution holding gezag
/// (`houderInstelling`, voogdij by a legal person) is a gecertificeerde instelling: BW
/// 1:302 lid 2 lets a legal person be voogd only if it is a GI under the Jeugdwet (art.
/// 3.4, certified for voogdij). An organisation of the partner register of another kind
/// (police, Veilig Thuis, a municipality) is a 422 with this code naming
/// `houderInstelling`; one not in the register is `geregistreerd`.
pub const VOOGDIJ_INSTELLING_GECERTIFICEERD: &str = "voogdij-instelling-gecertificeerd";

/// Rule `GEZAG_OVER_MINDERJARIGE`: gezag is authority over a minor (BW 1:245: minors are
/// under gezag); the child is under 18 on the day the gezag was verified. A person of age
/// on that day is a 422 naming the path's `id`.
pub const GEZAG_OVER_MINDERJARIGE: &str = "gezag-over-minderjarige";

/// Rule `GEZAG_BERUST_OP_BESCHIKKING_IN_WERKING`: a gezag record whose source is a court
/// decision (`beschikking`) holds only while that decision is in force: one that takes
/// effect later (`nog-niet`) does not yet change who holds gezag today, so until then the
/// earlier record still holds (DOMAIN.md §1 point 3, §4 "Art. 279 Sr ... needs gezag").
/// A record of a decision that has ended no longer holds either.
pub const GEZAG_BERUST_OP_BESCHIKKING_IN_WERKING: &str = "gezag-berust-op-beschikking-in-werking";

/// Whether a gezag record holds on `dag`: the child (born `kind_geboren`, when known) is
/// still a minor on it (`GEZAG_OVER_MINDERJARIGE`: gezag ends at 18, BW 1:233, 1:245),
/// and the decision it rests on, if any (`besluit`: its werking on `dag`), is in force
/// (`GEZAG_BERUST_OP_BESCHIKKING_IN_WERKING`). Every legal fact about gezag on a day
/// (the briefing) is judged by this.
pub fn geldt_op(
    dag: NaiveDate,
    kind_geboren: Option<NaiveDate>,
    besluit: Option<crate::beschikkingen::Werking>,
) -> bool {
    !kind_geboren.is_some_and(|g| meerderjarig_op(g, dag))
        && besluit.is_none_or(|w| w == crate::beschikkingen::Werking::InWerking)
}

/// Whether a person born on `geboren` is of age (18, BW 1:233) on `op`: on the 18th
/// birthday itself, not the day before (one born on 29 February on 1 March).
pub fn meerderjarig_op(geboren: NaiveDate, op: NaiveDate) -> bool {
    op.years_since(geboren).is_some_and(|j| j >= 18)
}

/// The rules of a gezag record that need the stored persons, the court decisions and
/// the partner register, all named at once, on the body as sent (the first phase may have
/// refused other fields of it): `GEZAG_OVER_MINDERJARIGE` for `kind` (read by
/// `personen::eigen`), `GEZAG_HOUDER_MEERDERJARIG` for each holder (both only when
/// `geverifieerdOp` reads as a date), the holders persons of the caller's organisation
/// (`reference`, else no birth date is read: another's person is not looked into), the
/// `beschikking` one the caller can see, about this child (`beschikkingen::verwijzing`:
/// `reference`, `beschikking-over-onderwerp`) and deciding gezag
/// (`GEZAG_BERUST_OP_GEZAGSBESLISSING`), and `houderInstelling` a registered
/// organisation (`regelcode::GEREGISTREERD`, `ORGANISATIE_GEREGISTREERD`; its code not
/// repeated) that is a gecertificeerde instelling (`VOOGDIJ_INSTELLING_GECERTIFICEERD`). Every person has a birth date (required at registration), so no holder is
/// skipped.
fn wie_en_wanneer(
    conn: &mut DbConnection,
    ctx: &Context,
    kind: &personen::Persoon,
    invoer: &GezagInvoer,
) -> Result<Vec<InvalidParam>, Fout> {
    let org = &ctx.actor.organisatie;
    let mut fouten: Vec<InvalidParam> = Vec::new();
    let op = crate::invoer::datum_zoals_gestuurd(invoer.geverifieerd_op.as_deref());
    if op.is_some_and(|op| meerderjarig_op(kind.gegevens.geboortedatum, op)) {
        fouten.push(InvalidParam {
            name: "id".into(),
            code: GEZAG_OVER_MINDERJARIGE.into(),
            reason: "deze persoon was op `geverifieerdOp` meerderjarig (18 jaar of ouder); gezag bestaat alleen over een minderjarige (regel GEZAG_OVER_MINDERJARIGE, BW 1:233 en 1:245)".into(),
        });
    }
    // Each holder at its first mention (a repeat is named `dubbel` by the first phase).
    let mut verwijzingen: Vec<(String, Uuid)> = Vec::new();
    for (i, h) in invoer.houders.iter().enumerate() {
        if !verwijzingen.iter().any(|(_, x)| x == h) {
            verwijzingen.push((format!("houders[{i}]"), *h));
        }
    }
    fouten.extend(crate::invoer::problemen(personen::eigen_personen(
        conn,
        org,
        &verwijzingen,
    ))?);
    let ids: Vec<String> = verwijzingen.iter().map(|(_, h)| h.to_string()).collect();
    let houders = personen::lees_veel(conn, &ctx.versleuteling, &ids)?;
    for (naam, h) in &verwijzingen {
        let Some(p) = houders.iter().find(|p| p.id == *h && &p.eigenaar == org) else {
            continue;
        };
        if op.is_some_and(|op| !meerderjarig_op(p.gegevens.geboortedatum, op)) {
            fouten.push(InvalidParam {
                name: naam.clone(),
                code: GEZAG_HOUDER_MEERDERJARIG.into(),
                reason: "deze houder was op `geverifieerdOp` nog geen 18; een minderjarige kan geen gezag hebben (regel GEZAG_HOUDER_MEERDERJARIG, BW 1:233 en 1:246)".into(),
            });
        }
    }
    if let Some(b) = invoer.beschikking {
        fouten.extend(crate::beschikkingen::verwijzing(
            conn,
            ctx,
            "beschikking",
            b,
            crate::beschikkingen::Onderwerp::Kind(kind),
            op.map(|op| ("geverifieerdOp", op)),
            Some(crate::beschikkingen::Soorteis {
                past: &|s| s.beslist_gezag(),
                code: crate::beschikkingen::GEZAG_BERUST_OP_GEZAGSBESLISSING,
                reden: &|s| format!("de beschikking in `beschikking` is van soort `{s}`, en die beslist niet over het gezag; gezag berust alleen op een beslissing over het gezag (soort `gezag`: BW 1:251a, 1:253c, 1:253n, 1:253t, 1:266, 1:277, 1:295, 1:327). Een OTS of UHP beperkt het gezag maar laat het bij de ouders (BW 1:255, 1:265b); leg de gezagsbeslissing vast of noem een andere bron (regel GEZAG_BERUST_OP_GEZAGSBESLISSING)"),
            }),
        )?);
    }
    if let Some(code) = invoer
        .houder_instelling
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match directory::kern_op_code(conn, code)? {
            None => fouten.push(InvalidParam {
                name: "houderInstelling".into(),
                code: regelcode::GEREGISTREERD.into(),
                reason: "`houderInstelling` is geen organisatie uit de partnerlijst (/organisaties); alleen een geregistreerde instelling kan voogd zijn".into(),
            }),
            Some((_, _, soort)) => fouten.extend(instelling_gecertificeerd("houderInstelling", soort)),
        }
    }
    Ok(fouten)
}

/// Rule `VOOGDIJ_INSTELLING_GECERTIFICEERD` for field `naam` naming a registered
/// organisation of kind `soort`: its problem when that is no gecertificeerde instelling.
/// Also run on a body refused by its schema (`api::lichaam`), so that answer names it too.
pub fn instelling_gecertificeerd(naam: &str, soort: OrganisatieSoort) -> Option<InvalidParam> {
    (soort != OrganisatieSoort::GecertificeerdeInstelling).then(|| InvalidParam {
        name: naam.to_string(),
        code: VOOGDIJ_INSTELLING_GECERTIFICEERD.into(),
        reason: format!("`{naam}` is geen gecertificeerde instelling; een rechtspersoon kan alleen voogd zijn als gecertificeerde instelling in de zin van de Jeugdwet (regel VOOGDIJ_INSTELLING_GECERTIFICEERD, BW 1:302 lid 2, Jeugdwet art. 3.4)"),
    })
}

/// `GET /personen/{id}/gezag`: the gezag records on a child, newest verification first
/// (the first is the one that counts), as the agreements allow the child's owner's
/// records to be read; outside the caller's view as an unknown id. One processing-log
/// row per person shown; none, and no disclosure, when there is no record
/// (`LOG_ALLEEN_WAT_GETOOND`).
pub fn van_kind(
    conn: &mut DbConnection,
    ctx: &Context,
    kind: Uuid,
) -> Result<Vec<GezagKort>, Fout> {
    let p = personen::vind(conn, &ctx.versleuteling, kind)?
        .ok_or_else(|| toegang::onbekend(PERSOON))?;
    let t = toegang::lees(
        conn,
        ctx,
        PERSOON,
        &p.eigenaar,
        &[C::Identificatie, C::GezagEnOmgang],
        &[],
        p.vertrouwelijkheid,
    )?;
    let records = van_kinderen(conn, &[kind.to_string()])?;
    let ids: Vec<String> = records
        .iter()
        .flat_map(|g| g.houders.iter().map(Uuid::to_string))
        .collect();
    let mut getoond = personen::lees_veel(conn, &ctx.versleuteling, &ids)?;
    getoond.push(p.clone());
    let uit: Vec<GezagKort> = records
        .iter()
        .map(|g| gezag_kort(g, &|u| persoon_ref(&getoond, u)))
        .collect();
    // LOG_ALLEEN_WAT_GETOOND: no record shown, no person's data shown (the audit row only).
    let subjecten: Vec<Uuid> = if uit.is_empty() {
        vec![]
    } else {
        getoond.iter().map(|h| h.betrokkene).collect()
    };
    logboek::lezing(
        conn,
        ctx,
        &t,
        personen::object(&kind.to_string(), &p.eigenaar),
        &subjecten,
    )?;
    Ok(uit)
}

/// Store a gezag record of `eigenaar`; the child and holders must be its persons.
pub fn voeg_in(
    conn: &mut DbConnection,
    eigenaar: &str,
    mut g: Gezag,
    nu: DateTime<Utc>,
) -> Result<Gezag, Fout> {
    let mut verwijzingen = vec![("kind".to_string(), g.kind)];
    verwijzingen.extend(
        g.houders
            .iter()
            .enumerate()
            .map(|(i, h)| (format!("houders[{i}]"), *h)),
    );
    crate::personen::eigen_personen(conn, eigenaar, &verwijzingen)?;
    g.eigenaar = eigenaar.to_string();
    diesel::insert_into(gezag::table)
        .values((
            gezag::id.eq(g.id.to_string()),
            gezag::eigenaar.eq(eigenaar),
            gezag::kind_id.eq(g.kind.to_string()),
            gezag::vorm.eq(g.vorm),
            gezag::houders.eq(serde_json::to_string(&g.houders).expect("serialises")),
            gezag::houder_instelling.eq(&g.houder_instelling),
            gezag::bron.eq(g.bron),
            gezag::beschikking_id.eq(g.beschikking.map(|b| b.to_string())),
            gezag::geverifieerd_op.eq(g.geverifieerd_op),
            gezag::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    Ok(g)
}

/// A stored gezag record.
#[derive(Queryable, Selectable)]
#[diesel(table_name = gezag)]
struct GezagRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    eigenaar: String,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    kind_id: Uuid,
    vorm: Gezagsvorm,
    #[diesel(deserialize_as = Json<Vec<Uuid>>)]
    houders: Vec<Uuid>,
    houder_instelling: Option<String>,
    bron: Gezagsbron,
    #[diesel(deserialize_as = TekstOptie<Uuid>)]
    beschikking_id: Option<Uuid>,
    geverifieerd_op: NaiveDate,
}

/// Gezag records of these children, newest verification first.
pub fn van_kinderen(conn: &mut DbConnection, kinderen: &[String]) -> QueryResult<Vec<Gezag>> {
    let rijen: Vec<GezagRij> = gezag::table
        .filter(gezag::kind_id.eq_any(kinderen))
        .order((gezag::geverifieerd_op.desc(), gezag::aangemaakt_op.desc()))
        .select(GezagRij::as_select())
        .load(conn)?;
    Ok(rijen
        .into_iter()
        .map(|r| Gezag {
            id: r.id,
            eigenaar: r.eigenaar,
            kind: r.kind_id,
            vorm: r.vorm,
            houders: r.houders,
            houder_instelling: r.houder_instelling,
            bron: r.bron,
            beschikking: r.beschikking_id,
            geverifieerd_op: r.geverifieerd_op,
        })
        .collect())
}

//! Regelingen: an omgangsregeling (contact for a parent without gezag) or a zorgregeling
//! (care division between parents with joint gezag), with its source (parenting plan or
//! court decision), a summary of the schedule (encrypted: it names days and places) and
//! its validity.
//!
//! Use case: `vastleggen` (`POST /gezinnen/{id}/regelingen`).

use crate::weergave::{RegelingKort, regeling_kort};
use crate::{gezinnen, invoer, personen, toegang};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ketenregie_common::time::to_db;
use ketenregie_common::{Fout, Gegevenscategorie as C, Validatie, ids, regelcode};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::Object;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::{Tekst, TekstOptie};
use ketenregie_store::schema::regelingen;
use ketenregie_store::tekst_kolom;
use serde::{Deserialize, Serialize};
use serde_json::json;
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

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
pub enum Regelingsoort {
    Omgangsregeling,
    Zorgregeling,
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
pub enum Regelingbron {
    Ouderschapsplan,
    Beschikking,
}

tekst_kolom!(Regelingsoort, Regelingbron);

impl Regelingsoort {
    /// Rule `REGELING_BERUST_OP_PASSENDE_BESCHIKKING`
    /// (`beschikkingen::REGELING_BERUST_OP_PASSENDE_BESCHIKKING`): the kinds of court
    /// decision an arrangement of this kind may rest on. An omgangsregeling (contact for a
    /// parent without gezag, BW 1:377a) on an `omgang` decision (BW 1:377a lid 2, 1:377e)
    /// or a `gezag` decision that set it with the gezag (BW 1:251a, 1:253c); a
    /// zorgregeling (the division of joint gezag's care, BW 1:253a lid 2) on a
    /// `zorgregeling` decision or a `gezag` decision (BW 1:251a lid 4 [check]). Never an
    /// OTS, UHP, huisverbod, straatverbod or `overig`.
    pub fn past_bij(self, besluit: crate::beschikkingen::Beschikkingsoort) -> bool {
        use crate::beschikkingen::Beschikkingsoort as B;
        match self {
            Self::Omgangsregeling => matches!(besluit, B::Omgang | B::Gezag),
            Self::Zorgregeling => matches!(besluit, B::Zorgregeling | B::Gezag),
        }
    }

    /// The kinds `past_bij` allows, as a caller reads them.
    fn passende_soorten(self) -> &'static str {
        match self {
            Self::Omgangsregeling => "`omgang` of `gezag`",
            Self::Zorgregeling => "`zorgregeling` of `gezag`",
        }
    }
}

/// The description of `POST /gezinnen/{id}/regelingen` in the API document: the rules as
/// a caller meets them.
pub mod uitleg {
    pub const VASTLEGGEN: &str = "An omgangsregeling (a parent without gezag) or zorgregeling (joint gezag), its source and a summary of the schedule (encrypted at rest). Rule BESCHIKKING_VERWIJZING: with `bron` `beschikking`, `beschikking` is a decision your organisation can see (else a 422 `reference`) recorded on this family (else a 422 `beschikking-over-onderwerp`). Rule REGELING_BERUST_OP_PASSENDE_BESCHIKKING: an omgangsregeling rests on an `omgang` decision (BW 1:377a, 1:377e) or a `gezag` decision that set it (BW 1:251a, 1:253c), a zorgregeling on a `zorgregeling` decision (BW 1:253a) or a `gezag` decision; an `ots`, `voorlopige-ots`, `uhp`, `huisverbod` (the burgemeester's order), `straatverbod` or `overig`, or an omgang decision for a zorgregeling and the reverse, is a 422 `regeling-berust-op-passende-beschikking` naming `/beschikking`. Every problem is named in one answer.";
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegelingInvoer {
    #[schema(required = true, value_type = Regelingsoort)]
    pub soort: Option<String>,
    #[schema(required = true, value_type = Regelingbron)]
    pub bron: Option<String>,
    /// The decision it comes from, when `bron` is `beschikking`.
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub beschikking: Option<Uuid>,
    /// The schedule in short, e.g. "om het weekend vr 17:00 - zo 17:00 bij vader; overdracht op school".
    #[schema(required = true, value_type = String, max_length = 4000)]
    pub samenvatting: Option<String>,
    /// First day: `JJJJ-MM-DD`, from 1900-01-01 up to and including 1 year after today (Europe/Amsterdam); another date is a 422 `bereik` naming this field.
    #[schema(required = true, value_type = String, format = Date)]
    pub van: Option<String>,
    /// Last day, not before `van`: `JJJJ-MM-DD`, from 1900-01-01 up to and including 20 years after today (Europe/Amsterdam); another date is a 422 `bereik` naming this field.
    #[schema(value_type = Option<String>, format = Date)]
    pub tot: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Regeling {
    pub id: Uuid,
    pub eigenaar: String,
    pub gezin: Uuid,
    pub soort: Regelingsoort,
    pub bron: Regelingbron,
    pub beschikking: Option<Uuid>,
    pub samenvatting: String,
    pub van: NaiveDate,
    pub tot: Option<NaiveDate>,
}

impl Regeling {
    pub fn in_werking(&self, dag: NaiveDate) -> bool {
        self.van <= dag && self.tot.is_none_or(|t| dag <= t)
    }
}

impl RegelingInvoer {
    /// Validate; `vandaag` bounds `van` (at most a year ahead) and `tot` (at most 20 years
    /// ahead), both from 1900-01-01 (`Datumbereik::vooruit`).
    pub fn valideer(&self, gezin: Uuid, vandaag: NaiveDate) -> Result<Regeling, Fout> {
        let mut v = Validatie::new();
        let soort = v.keuze("soort", self.soort.as_deref());
        let bron: Option<Regelingbron> = v.keuze("bron", self.bron.as_deref());
        let samenvatting = v.tekst("samenvatting", self.samenvatting.as_deref(), 4000);
        let van = invoer::verplichte_datum(
            &mut v,
            "van",
            self.van.as_deref(),
            ketenregie_common::Datumbereik::vooruit("het begin van een regeling", vandaag, 1),
        );
        let tot = v.datum(
            "tot",
            self.tot.as_deref(),
            ketenregie_common::Datumbereik::vooruit("het einde van een regeling", vandaag, 20),
        );
        v.termijn("van", van, "tot", tot);
        if bron == Some(Regelingbron::Beschikking) && self.beschikking.is_none() {
            v.fout(
                "beschikking",
                regelcode::VERPLICHT_BIJ,
                "met bron `beschikking` is de beschikking verplicht",
            );
        }
        v.afronden(|| Regeling {
            id: ids::new_id(),
            eigenaar: String::new(),
            gezin,
            soort: soort.unwrap_or(Regelingsoort::Omgangsregeling),
            bron: bron.unwrap_or(Regelingbron::Ouderschapsplan),
            beschikking: self.beschikking,
            samenvatting: samenvatting.unwrap_or_default(),
            van: van.unwrap_or_default(),
            tot,
        })
        .map_err(Fout::Ongeldig)
    }
}

/// `POST /gezinnen/{id}/regelingen`: record arrangement `invoer` on family `gezin` of the
/// caller's organisation (another's is refused within the view). The decision it comes
/// from (`beschikking`) is one the caller can see, recorded on this family
/// (`beschikkingen::verwijzing`), of a kind that fits the arrangement
/// (`REGELING_BERUST_OP_PASSENDE_BESCHIKKING`), named with the body's own problems
/// (`invoer::samen`). Logged as a write of one's own record, one processing-log row per
/// member of the family.
pub fn vastleggen(
    conn: &mut DbConnection,
    ctx: &Context,
    gezin: Uuid,
    invoer: &RegelingInvoer,
) -> Result<RegelingKort, Fout> {
    let eerste = invoer.valideer(gezin, ctx.vandaag());
    let g = match gezinnen::eigen(conn, ctx, gezin) {
        Ok(g) => g,
        Err(e) => return Err(crate::invoer::eerst_de_body(&eerste, e)),
    };
    let mut naslag = Vec::new();
    if let Some(b) = invoer.beschikking {
        // Its own kind as sent (the first phase may have refused other fields).
        let soort: Option<Regelingsoort> = invoer.soort.as_deref().and_then(|s| s.parse().ok());
        let reden = |besluit: crate::beschikkingen::Beschikkingsoort| {
            let s = soort.unwrap_or(Regelingsoort::Omgangsregeling);
            format!(
                "de beschikking in `beschikking` is van soort `{besluit}`; een {s} berust alleen op een beschikking van soort {} (regel REGELING_BERUST_OP_PASSENDE_BESCHIKKING)",
                s.passende_soorten()
            )
        };
        let past = |besluit| soort.is_some_and(|s| s.past_bij(besluit));
        naslag.extend(crate::beschikkingen::verwijzing(
            conn,
            ctx,
            "beschikking",
            b,
            crate::beschikkingen::Onderwerp::Gezin(gezin),
            None,
            soort.map(|_| crate::beschikkingen::Soorteis {
                past: &past,
                code: crate::beschikkingen::REGELING_BERUST_OP_PASSENDE_BESCHIKKING,
                reden: &reden,
            }),
        )?);
    }
    let r = crate::invoer::samen(eerste, naslag)?;
    let r = voeg_in(conn, &ctx.versleuteling, &ctx.actor.organisatie, r, ctx.nu)?;
    let leden = personen::lees_veel(conn, &ctx.versleuteling, &gezinnen::lid_ids(&g))?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[C::GezagEnOmgang],
        Object {
            soort: "regelingen",
            id: r.id.to_string(),
            eigenaar: r.eigenaar.clone(),
        },
        json!({"gezin": r.gezin, "soort": r.soort, "van": r.van, "tot": r.tot}),
        &leden.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
    )?;
    Ok(regeling_kort(&r))
}

/// Store an arrangement of `eigenaar`.
pub fn voeg_in(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    mut r: Regeling,
    nu: DateTime<Utc>,
) -> Result<Regeling, Fout> {
    r.eigenaar = eigenaar.to_string();
    diesel::insert_into(regelingen::table)
        .values((
            regelingen::id.eq(r.id.to_string()),
            regelingen::eigenaar.eq(eigenaar),
            regelingen::gezin_id.eq(r.gezin.to_string()),
            regelingen::soort.eq(r.soort),
            regelingen::bron.eq(r.bron),
            regelingen::beschikking_id.eq(r.beschikking.map(|b| b.to_string())),
            regelingen::samenvatting.eq(v.versleutel(&r.samenvatting)),
            regelingen::van.eq(r.van),
            regelingen::tot.eq(r.tot),
            regelingen::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    Ok(r)
}

/// A stored arrangement.
#[derive(Queryable, Selectable)]
#[diesel(table_name = regelingen)]
struct Rij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    eigenaar: String,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    gezin_id: Uuid,
    soort: Regelingsoort,
    bron: Regelingbron,
    #[diesel(deserialize_as = TekstOptie<Uuid>)]
    beschikking_id: Option<Uuid>,
    samenvatting: String,
    van: NaiveDate,
    tot: Option<NaiveDate>,
}

/// The arrangements recorded in these families, newest first, their schedule decrypted.
pub fn van_gezinnen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    gezinnen: &[String],
) -> QueryResult<Vec<Regeling>> {
    let rijen: Vec<Rij> = regelingen::table
        .filter(regelingen::gezin_id.eq_any(gezinnen))
        .order(regelingen::van.desc())
        .select(Rij::as_select())
        .load(conn)?;
    rijen
        .into_iter()
        .map(|r| {
            Ok(Regeling {
                id: r.id,
                eigenaar: r.eigenaar,
                gezin: r.gezin_id,
                soort: r.soort,
                bron: r.bron,
                beschikking: r.beschikking_id,
                samenvatting: v.ontsleutel(&r.samenvatting)?,
                van: r.van,
                tot: r.tot,
            })
        })
        .collect()
}

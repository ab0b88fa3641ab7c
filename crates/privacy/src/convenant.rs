//! Agreements (convenanten) as data (DESIGN.md §6): parties, purposes, data categories,
//! rules, legal bases, period, feedback duties, retention and break-glass roles.
//!
//! Lifecycle: `concept` -> `actief` -> `ingetrokken`; an active agreement whose period has
//! ended reads as `verlopen`. An active agreement is never edited in place: a change is a
//! new version (a new concept in the same series), and activating it withdraws the
//! version it replaces. Every decision cites agreement id and version.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{
    Actie, Actor, Doel, Gegevenscategorie, OrganisatieSoort, Rol, Validatie, Vertrouwelijkheid, ids,
};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{convenant_partijen, convenanten};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantArray, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// A party to the agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Partij {
    /// The organisation's code in the partner directory.
    pub organisatie: String,
    /// Its role in the agreement, e.g. "verstrekker", "ontvanger", "voor-gezien" (OM).
    pub rol: String,
}

/// The legal basis of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Grondslag {
    /// E.g. "Wpg art. 18" or "Wmo 2015 art. 5.2.6".
    pub code: String,
    pub omschrijving: String,
}

/// Who may do what with which data, for which purpose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Regel {
    /// The kind of organisation the rule is for.
    pub organisatie_soort: OrganisatieSoort,
    /// Roles within such an organisation the rule is for.
    pub rollen: Vec<Rol>,
    pub acties: Vec<Actie>,
    pub categorieen: Vec<Gegevenscategorie>,
    pub doel: Doel,
    /// Each access needs a stated reason (`X-Audit-Toelichting`), as for the OM.
    #[serde(default)]
    pub reden_verplicht: bool,
    /// The highest confidentiality level this rule reaches.
    pub max_vertrouwelijkheid: Vertrouwelijkheid,
    pub grondslag: Grondslag,
}

/// The moments at which feedback is owed to the sender of a melding or hand-over.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Terugkoppelmoment {
    Ontvangstbevestiging,
    NaBeoordeling,
    Tussentijds,
    NaOnderzoek,
    Eindresultaat,
}

/// A feedback duty: which moment, within how many working days (and, for acute meldingen,
/// within how many hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Terugkoppelplicht {
    pub moment: Terugkoppelmoment,
    pub binnen_werkdagen: u32,
    #[serde(default)]
    pub acuut_binnen_uren: Option<u32>,
}

/// How long data of one category is kept under this agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Bewaartermijn {
    pub categorie: Gegevenscategorie,
    pub termijn_dagen: u32,
}

/// A role that may break the glass (read outside the rules in an emergency, with a
/// mandatory reason, flagged and reviewed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Doorbraakrol {
    pub organisatie_soort: OrganisatieSoort,
    pub rol: Rol,
}

/// The content of one version of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inhoud {
    pub partijen: Vec<Partij>,
    pub doelen: Vec<Doel>,
    pub categorieen: Vec<Gegevenscategorie>,
    pub regels: Vec<Regel>,
    #[serde(default)]
    pub terugkoppelplichten: Vec<Terugkoppelplicht>,
    #[serde(default)]
    pub bewaartermijnen: Vec<Bewaartermijn>,
    #[serde(default)]
    pub doorbraakrollen: Vec<Doorbraakrol>,
}

impl Inhoud {
    /// Check internal consistency: every rule's purpose and categories are among the
    /// agreement's, parties are unique, at least two parties.
    pub fn valideer(&self, v: &mut Validatie) {
        if self.partijen.len() < 2 {
            v.fout(
                "partijen",
                "minItems",
                "een convenant heeft ten minste twee partijen",
            );
        }
        let mut codes: Vec<&str> = self
            .partijen
            .iter()
            .map(|p| p.organisatie.as_str())
            .collect();
        codes.sort();
        codes.dedup();
        if codes.len() != self.partijen.len() {
            v.fout(
                "partijen",
                "uniqueItems",
                "elke organisatie is één keer partij",
            );
        }
        if self.doelen.is_empty() {
            v.fout("doelen", "minItems", "noem ten minste één doel");
        }
        if self.regels.is_empty() {
            v.fout("regels", "minItems", "noem ten minste één regel");
        }
        for (i, r) in self.regels.iter().enumerate() {
            if !self.doelen.contains(&r.doel) {
                v.fout(
                    format!("regels[{i}].doel"),
                    "enum",
                    format!(
                        "doel `{}` staat niet in de doelen van het convenant",
                        r.doel
                    ),
                );
            }
            for c in &r.categorieen {
                if !self.categorieen.contains(c) {
                    v.fout(
                        format!("regels[{i}].categorieen"),
                        "enum",
                        format!("categorie `{c}` staat niet in de categorieën van het convenant"),
                    );
                }
            }
            if r.rollen.is_empty() || r.acties.is_empty() || r.categorieen.is_empty() {
                v.fout(
                    format!("regels[{i}]"),
                    "minItems",
                    "een regel noemt ten minste één rol, actie en categorie",
                );
            }
            if r.grondslag.code.trim().is_empty() {
                v.fout(
                    format!("regels[{i}].grondslag.code"),
                    "required",
                    "elke regel noemt zijn wettelijke grondslag",
                );
            }
        }
        for (i, t) in self.terugkoppelplichten.iter().enumerate() {
            if t.binnen_werkdagen == 0 && t.acuut_binnen_uren.is_none() {
                v.fout(
                    format!("terugkoppelplichten[{i}].binnenWerkdagen"),
                    "minimum",
                    "een termijn van 0 werkdagen is geen termijn",
                );
            }
        }
    }

    pub fn is_partij(&self, organisatie: &str) -> bool {
        self.partijen.iter().any(|p| p.organisatie == organisatie)
    }
}

/// Stored status. `verlopen` is not stored: it is an active agreement past its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, AsRefStr, Display)]
#[strum(serialize_all = "kebab-case")]
pub enum OpgeslagenStatus {
    Concept,
    Actief,
    Ingetrokken,
}

/// The status as shown and as the decision treats it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsRefStr, Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ConvenantStatus {
    Concept,
    Actief,
    Ingetrokken,
    Verlopen,
}

/// One version of an agreement.
#[derive(Debug, Clone)]
pub struct Convenant {
    pub id: Uuid,
    pub reeks_id: Uuid,
    pub versie: i64,
    pub titel: String,
    pub(crate) opgeslagen: OpgeslagenStatus,
    pub geldig_van: DateTime<Utc>,
    pub geldig_tot: Option<DateTime<Utc>>,
    pub inhoud: Inhoud,
    pub eigenaar: String,
    pub aangemaakt_door: String,
    pub aangemaakt_op: DateTime<Utc>,
    pub geactiveerd_op: Option<DateTime<Utc>>,
    pub ingetrokken_op: Option<DateTime<Utc>>,
    pub intrekkingsreden: Option<String>,
}

impl Convenant {
    /// The status at time `nu`.
    pub fn status(&self, nu: DateTime<Utc>) -> ConvenantStatus {
        match self.opgeslagen {
            OpgeslagenStatus::Concept => ConvenantStatus::Concept,
            OpgeslagenStatus::Ingetrokken => ConvenantStatus::Ingetrokken,
            OpgeslagenStatus::Actief => match self.geldig_tot {
                Some(tot) if tot <= nu => ConvenantStatus::Verlopen,
                _ => ConvenantStatus::Actief,
            },
        }
    }

    /// In force at `nu`: active, and `nu` within its period.
    pub fn van_kracht(&self, nu: DateTime<Utc>) -> bool {
        self.status(nu) == ConvenantStatus::Actief && self.geldig_van <= nu
    }
}

/// The fields of a new agreement or a new concept.
#[derive(Debug, Clone)]
pub struct ConvenantGegevens {
    pub titel: String,
    pub geldig_van: DateTime<Utc>,
    pub geldig_tot: Option<DateTime<Utc>>,
    pub inhoud: Inhoud,
}

#[derive(Debug, thiserror::Error)]
pub enum ConvenantFout {
    #[error("niet gevonden")]
    NietGevonden,
    #[error("{0}")]
    GeenToegang(String),
    #[error("{0}")]
    Toestand(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = convenanten)]
struct Rij {
    id: String,
    reeks_id: String,
    versie: i64,
    titel: String,
    status: String,
    geldig_van: chrono::NaiveDateTime,
    geldig_tot: Option<chrono::NaiveDateTime>,
    inhoud: String,
    eigenaar: String,
    aangemaakt_door: String,
    aangemaakt_op: chrono::NaiveDateTime,
    geactiveerd_op: Option<chrono::NaiveDateTime>,
    ingetrokken_op: Option<chrono::NaiveDateTime>,
    intrekkingsreden: Option<String>,
}

impl From<Rij> for Convenant {
    fn from(r: Rij) -> Self {
        Convenant {
            id: r.id.parse().expect("uuid"),
            reeks_id: r.reeks_id.parse().expect("uuid"),
            versie: r.versie,
            titel: r.titel,
            opgeslagen: r
                .status
                .parse()
                .expect("convenanten.status violates its CHECK"),
            geldig_van: from_db(r.geldig_van),
            geldig_tot: r.geldig_tot.map(from_db),
            inhoud: serde_json::from_str(&r.inhoud)
                .expect("convenanten.inhoud is written by this code"),
            eigenaar: r.eigenaar,
            aangemaakt_door: r.aangemaakt_door,
            aangemaakt_op: from_db(r.aangemaakt_op),
            geactiveerd_op: r.geactiveerd_op.map(from_db),
            ingetrokken_op: r.ingetrokken_op.map(from_db),
            intrekkingsreden: r.intrekkingsreden,
        }
    }
}

/// Only a functional admin of a party organisation may create, change or activate.
pub fn mag_beheren(actor: &Actor, inhoud: &Inhoud) -> Result<(), ConvenantFout> {
    if actor.heeft_rol(Rol::FunctioneelBeheerder) && inhoud.is_partij(&actor.organisatie) {
        Ok(())
    } else {
        Err(ConvenantFout::GeenToegang(
            "Alleen een functioneel beheerder van een partij mag een convenant aanmaken, wijzigen, activeren of intrekken".into(),
        ))
    }
}

fn schrijf_partijen(conn: &mut DbConnection, id: &str, inhoud: &Inhoud) -> QueryResult<()> {
    diesel::delete(convenant_partijen::table.filter(convenant_partijen::convenant_id.eq(id)))
        .execute(conn)?;
    for p in &inhoud.partijen {
        diesel::insert_into(convenant_partijen::table)
            .values((
                convenant_partijen::convenant_id.eq(id),
                convenant_partijen::organisatie.eq(&p.organisatie),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A new agreement (version 1, concept), or a new concept version in series `reeks`.
pub fn maak(
    conn: &mut DbConnection,
    actor: &Actor,
    g: ConvenantGegevens,
    reeks: Option<(Uuid, i64)>,
    nu: DateTime<Utc>,
) -> Result<Convenant, ConvenantFout> {
    mag_beheren(actor, &g.inhoud)?;
    let id = ids::new_id().to_string();
    let (reeks_id, versie) = match reeks {
        Some((r, v)) => (r.to_string(), v),
        None => (id.clone(), 1),
    };
    diesel::insert_into(convenanten::table)
        .values((
            convenanten::id.eq(&id),
            convenanten::reeks_id.eq(&reeks_id),
            convenanten::versie.eq(versie),
            convenanten::titel.eq(&g.titel),
            convenanten::status.eq(OpgeslagenStatus::Concept.as_ref()),
            convenanten::geldig_van.eq(to_db(g.geldig_van)),
            convenanten::geldig_tot.eq(g.geldig_tot.map(to_db)),
            convenanten::inhoud.eq(serde_json::to_string(&g.inhoud).expect("serialises")),
            convenanten::eigenaar.eq(&actor.organisatie),
            convenanten::aangemaakt_door.eq(&actor.gebruiker),
            convenanten::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    schrijf_partijen(conn, &id, &g.inhoud)?;
    lees(conn, id.parse().expect("uuid"))?.ok_or(ConvenantFout::NietGevonden)
}

/// A new concept version of an existing agreement, starting from `basis`'s content.
pub fn nieuwe_versie(
    conn: &mut DbConnection,
    actor: &Actor,
    basis: Uuid,
    g: ConvenantGegevens,
    nu: DateTime<Utc>,
) -> Result<Convenant, ConvenantFout> {
    let b = lees(conn, basis)?.ok_or(ConvenantFout::NietGevonden)?;
    mag_beheren(actor, &b.inhoud)?;
    let hoogste: i64 = convenanten::table
        .filter(convenanten::reeks_id.eq(b.reeks_id.to_string()))
        .select(diesel::dsl::max(convenanten::versie))
        .first::<Option<i64>>(conn)?
        .unwrap_or(b.versie);
    let open_concept = convenanten::table
        .filter(convenanten::reeks_id.eq(b.reeks_id.to_string()))
        .filter(convenanten::status.eq(OpgeslagenStatus::Concept.as_ref()))
        .select(convenanten::id)
        .first::<String>(conn)
        .optional()?;
    if let Some(c) = open_concept {
        return Err(ConvenantFout::Toestand(format!(
            "Er is al een conceptversie ({c}) van dit convenant; wijzig of activeer die"
        )));
    }
    maak(conn, actor, g, Some((b.reeks_id, hoogste + 1)), nu)
}

/// Change a concept in place. An active or withdrawn version is never edited.
pub fn wijzig_concept(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    g: ConvenantGegevens,
) -> Result<(Convenant, Convenant), ConvenantFout> {
    let oud = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    mag_beheren(actor, &oud.inhoud)?;
    mag_beheren(actor, &g.inhoud)?;
    if oud.opgeslagen != OpgeslagenStatus::Concept {
        return Err(ConvenantFout::Toestand(format!(
            "Convenant {id} is {}: alleen een concept wordt gewijzigd; maak een nieuwe versie (POST .../versies)",
            oud.opgeslagen
        )));
    }
    diesel::update(convenanten::table.filter(convenanten::id.eq(id.to_string())))
        .set((
            convenanten::titel.eq(&g.titel),
            convenanten::geldig_van.eq(to_db(g.geldig_van)),
            convenanten::geldig_tot.eq(g.geldig_tot.map(to_db)),
            convenanten::inhoud.eq(serde_json::to_string(&g.inhoud).expect("serialises")),
        ))
        .execute(conn)?;
    schrijf_partijen(conn, &id.to_string(), &g.inhoud)?;
    let nieuw = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    Ok((oud, nieuw))
}

/// Activate a concept; the active version it replaces (same series) is withdrawn.
pub fn activeer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    nu: DateTime<Utc>,
) -> Result<Convenant, ConvenantFout> {
    let c = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    mag_beheren(actor, &c.inhoud)?;
    if c.opgeslagen != OpgeslagenStatus::Concept {
        return Err(ConvenantFout::Toestand(format!(
            "Convenant {id} is {}; alleen een concept kan worden geactiveerd",
            c.status(nu)
        )));
    }
    diesel::update(
        convenanten::table
            .filter(convenanten::reeks_id.eq(c.reeks_id.to_string()))
            .filter(convenanten::status.eq(OpgeslagenStatus::Actief.as_ref())),
    )
    .set((
        convenanten::status.eq(OpgeslagenStatus::Ingetrokken.as_ref()),
        convenanten::ingetrokken_op.eq(Some(to_db(nu))),
        convenanten::intrekkingsreden.eq(Some(format!("vervangen door versie {}", c.versie))),
    ))
    .execute(conn)?;
    diesel::update(convenanten::table.filter(convenanten::id.eq(id.to_string())))
        .set((
            convenanten::status.eq(OpgeslagenStatus::Actief.as_ref()),
            convenanten::geactiveerd_op.eq(Some(to_db(nu))),
        ))
        .execute(conn)?;
    lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)
}

/// Withdraw an active (or concept) version, with a reason. Takes effect on the next
/// request: decisions read the agreements every time.
pub fn trek_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    reden: &str,
    nu: DateTime<Utc>,
) -> Result<Convenant, ConvenantFout> {
    let c = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    mag_beheren(actor, &c.inhoud)?;
    if c.opgeslagen == OpgeslagenStatus::Ingetrokken {
        return Err(ConvenantFout::Toestand(format!(
            "Convenant {id} is al ingetrokken"
        )));
    }
    diesel::update(convenanten::table.filter(convenanten::id.eq(id.to_string())))
        .set((
            convenanten::status.eq(OpgeslagenStatus::Ingetrokken.as_ref()),
            convenanten::ingetrokken_op.eq(Some(to_db(nu))),
            convenanten::intrekkingsreden.eq(Some(reden)),
        ))
        .execute(conn)?;
    lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)
}

pub fn lees(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Convenant>> {
    convenanten::table
        .filter(convenanten::id.eq(id.to_string()))
        .select(Rij::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Convenant::from))
}

/// The agreements `organisatie` is a party to, newest first.
pub fn van_partij(
    conn: &mut DbConnection,
    organisatie: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Convenant>, i64)> {
    let ids = convenant_partijen::table
        .filter(convenant_partijen::organisatie.eq(organisatie.to_string()))
        .select(convenant_partijen::convenant_id);
    let totaal = convenanten::table
        .filter(convenanten::id.eq_any(ids))
        .count()
        .get_result(conn)?;
    let ids = convenant_partijen::table
        .filter(convenant_partijen::organisatie.eq(organisatie.to_string()))
        .select(convenant_partijen::convenant_id);
    let rijen = convenanten::table
        .filter(convenanten::id.eq_any(ids))
        .order(convenanten::id.desc())
        .offset(offset)
        .limit(limit)
        .select(Rij::as_select())
        .load(conn)?;
    Ok((rijen.into_iter().map(Convenant::from).collect(), totaal))
}

/// The stored-active agreements `organisatie` is a party to (the decision's input; the
/// period is checked by the caller with the request's clock).
pub fn actief_voor(conn: &mut DbConnection, organisatie: &str) -> QueryResult<Vec<Convenant>> {
    let ids = convenant_partijen::table
        .filter(convenant_partijen::organisatie.eq(organisatie.to_string()))
        .select(convenant_partijen::convenant_id);
    Ok(convenanten::table
        .filter(convenanten::id.eq_any(ids))
        .filter(convenanten::status.eq(OpgeslagenStatus::Actief.as_ref()))
        .select(Rij::as_select())
        .load(conn)?
        .into_iter()
        .map(Convenant::from)
        .collect())
}

//! Betrokkenheid and the coordination match (DOMAIN.md §3 flow 6, as the national
//! Verwijsindex does): an organisation registers only the fact "we are involved with this
//! child", a named contact and a date — no content. When a second organisation registers
//! the same child (`ZELFDE_KIND`), or a child sharing a parent with a registered child
//! (`GEDEELDE_OUDER`), both get a match naming the other organisation and contact, as a
//! notification through the outbox and in `GET /matches`.
//!
//! `VERWIJSINDEX_VERVALTERMIJN` (DOMAIN.md §4 retention): a signal lapses at the earliest
//! of 2 years after registration and the child's 23rd birthday; the organisation ends it
//! earlier when it is no longer justified. Lapsed and ended signals neither match nor show.
//!
//! Only those entitled take part (issue 11 point 4; the Verwijsindex rule of Jeugdwet
//! art. 7.1.4.1-7.1.4.3: only participating, authorised professionals register, and a
//! match goes only to participants):
//! - `COORDINATIE_CONVENANT`: registering involvement needs a rule in an agreement in
//!   force, the caller's organisation a party, for the caller's organisation kind (from
//!   the partner directory) and one of the caller's roles, purpose `coordinatie`, action
//!   `aanmaken`, category `hulpverlening`; and a person the organisation holds a record
//!   on (its own person).
//! - `MATCH_BINNEN_CONVENANT`: a match is made, notified and shown only between two
//!   organisations that are both parties of one agreement in force that has such a rule
//!   for each of their kinds; otherwise the other side is neither named nor told (the
//!   signal carries no content, and no contact leaves the agreement).
//!
//! The contact (name, phone, e-mail of the professional involved) ties a named
//! professional to a child: it is stored AES-GCM encrypted, each field on its own (issue
//! 11 point 5), and decrypted when read; a contact stored in plain text before that is
//! still read.
//!
//! Use cases: `registreer` (`POST /betrokkenheden`), `beeindig`
//! (`DELETE /betrokkenheden/{id}`), `matches` (`GET /matches`) and `een_match`
//! (`GET /matches/{id}`).

use crate::gezinnen::Relatie;
use crate::kolom::{Tekst, tekst_kolom};
use crate::toegang;
use chrono::{DateTime, Months, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{
    Actie, Doel, Fout, Gegevenscategorie, OrganisatieSoort, Rol, Validatie, ids,
};
use ketenregie_privacy::convenant::{self, Convenant, Regel};
use ketenregie_privacy::logboek::Object;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_privacy::{Context, Weigering};
use ketenregie_store::DbConnection;
use ketenregie_store::directory;
use ketenregie_store::herschrijven::Kolom;
use ketenregie_store::outbox::{self, Gebeurtenis};
use ketenregie_store::schema::{betrokkenheden, gezinsleden, matches, personen};
use serde::{Deserialize, Serialize};
use serde_json::json;
use strum::{AsRefStr, Display, EnumString};
use utoipa::ToSchema;
use uuid::Uuid;

/// The descriptions of the involvement and match operations in the API document: the
/// rules as a caller meets them.
pub mod uitleg {
    pub const REGISTREER: &str = "Registers only the fact that your organisation is involved with this child, a named contact and a date (no content), as the Verwijsindex does. Only for those entitled (COORDINATIE_CONVENANT): an agreement in force must have a rule for your organisation's kind and one of your roles with purpose `coordinatie`, action `aanmaken` and category `hulpverlening` (else 403), and the child must be a person your organisation registered (else 400 naming `persoon`). When another organisation is registered with the same child (ZELFDE_KIND) or with a child sharing a parent (GEDEELDE_OUDER), and both organisations are parties of one agreement in force with such a rule for each (MATCH_BINNEN_CONVENANT), both get a match: in the answer, in `GET /matches` and as a notification `nl.ketenregie.matches.match-gevonden`; otherwise neither hears of the other. The signal lapses by VERWIJSINDEX_VERVALTERMIJN.";
    pub const MATCHES: &str = "Every match involving your organisation, newest first (at most 500): the other organisation, its contact and the reason; only while both share an agreement in force with coordination rules for each (MATCH_BINNEN_CONVENANT). A match carries no content about the child.";
    pub const MATCH: &str = "A match of your organisation, while it shares an agreement in force with coordination rules for both sides (MATCH_BINNEN_CONVENANT).";
}

/// The contact columns kept encrypted (`VERSLEUTEL_BIJ_START` encrypts what an older
/// version wrote in plain text).
pub const VERSLEUTELD: [Kolom; 3] = [
    Kolom {
        tabel: "betrokkenheden",
        sleutel: "id",
        kolom: "contact_naam",
    },
    Kolom {
        tabel: "betrokkenheden",
        sleutel: "id",
        kolom: "contact_telefoon",
    },
    Kolom {
        tabel: "betrokkenheden",
        sleutel: "id",
        kolom: "contact_email",
    },
];

/// How long a signal stays, at most.
pub const VERWIJSINDEX_MAX_TWEE_JAAR: Months = Months::new(24);
/// The age at which a child's signals lapse.
pub const VERWIJSINDEX_LEEFTIJDSGRENS_JAREN: u32 = 23;

/// `VERWIJSINDEX_VERVALTERMIJN`: the last day a signal registered on `sinds` for a child
/// born on `geboren` is valid.
pub fn vervalt_op(sinds: NaiveDate, geboren: NaiveDate) -> NaiveDate {
    let twee_jaar = sinds + VERWIJSINDEX_MAX_TWEE_JAAR;
    let drieentwintig = geboren + Months::new(12 * VERWIJSINDEX_LEEFTIJDSGRENS_JAREN);
    twee_jaar.min(drieentwintig)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactInvoer {
    /// The professional to call, e.g. the gezinsvoogd.
    #[schema(required = true, value_type = String, example = "J. Bakker (gezinsvoogd)")]
    pub naam: Option<String>,
    #[schema(example = "070 123 4567")]
    pub telefoon: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BetrokkenheidInvoer {
    /// The child (a person your organisation registered).
    #[schema(required = true, value_type = Uuid)]
    pub persoon: Option<Uuid>,
    #[schema(required = true, value_type = ContactInvoer)]
    pub contact: Option<ContactInvoer>,
    /// Since when; defaults to today.
    #[schema(value_type = Option<String>, format = Date)]
    pub sinds: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub naam: String,
    pub telefoon: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Betrokkenheid {
    pub id: Uuid,
    pub organisatie: String,
    pub persoon: Uuid,
    pub betrokkene: Uuid,
    pub contact: Contact,
    pub sinds: NaiveDate,
    pub vervalt_op: NaiveDate,
    pub beeindigd_op: Option<NaiveDate>,
}

impl Betrokkenheid {
    pub fn actief(&self, dag: NaiveDate) -> bool {
        self.beeindigd_op.is_none() && dag <= self.vervalt_op
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    ToSchema,
    Display,
    AsRefStr,
    EnumString,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum MatchReden {
    /// `ZELFDE_KIND`
    ZelfdeKind,
    /// `GEDEELDE_OUDER`
    GedeeldeOuder,
}

tekst_kolom!(MatchReden);

/// A validated registration.
#[derive(Debug, Clone)]
pub struct NieuweBetrokkenheid {
    pub persoon: Uuid,
    pub contact: Contact,
    pub sinds: NaiveDate,
}

impl BetrokkenheidInvoer {
    pub fn valideer(&self, vandaag: NaiveDate) -> Result<NieuweBetrokkenheid, Fout> {
        let mut v = Validatie::new();
        let persoon = v.verplicht("persoon", self.persoon);
        let contact = v.verplicht("contact", self.contact.as_ref()).and_then(|c| {
            let naam = v.tekst("contact.naam", c.naam.as_deref(), 200);
            let telefoon = v.optionele_tekst("contact.telefoon", c.telefoon.as_deref(), 40);
            let email = v.optionele_tekst("contact.email", c.email.as_deref(), 200);
            if telefoon.is_none() && email.is_none() {
                v.fout(
                    "contact.telefoon",
                    "required",
                    "een contact heeft een telefoonnummer of e-mailadres",
                );
            }
            Some(Contact {
                naam: naam?,
                telefoon,
                email,
            })
        });
        let sinds = v
            .datum("sinds", self.sinds.as_deref(), Some(vandaag))
            .unwrap_or(vandaag);
        v.afronden(|| NieuweBetrokkenheid {
            persoon: persoon.unwrap_or_default(),
            contact: contact.expect("checked"),
            sinds,
        })
        .map_err(Fout::Ongeldig)
    }
}

/// A match as one organisation sees it: the other side.
#[derive(Debug, Clone)]
pub struct Match {
    pub id: Uuid,
    pub reden: MatchReden,
    /// Your registration.
    pub eigen_betrokkenheid: Uuid,
    pub andere_organisatie: String,
    pub ander_contact: Contact,
    pub aangemaakt_op: DateTime<Utc>,
}

/// A match as shown to one of its two organisations.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MatchDto)]
#[serde(rename_all = "camelCase")]
pub struct MatchWeergave {
    pub id: Uuid,
    pub reden: MatchReden,
    /// Your organisation's signal.
    pub eigen_betrokkenheid: Uuid,
    pub andere_organisatie: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub andere_organisatie_naam: Option<String>,
    pub ander_contact: Contact,
    pub aangemaakt_op: DateTime<Utc>,
}

/// A registered signal with the matches it produced.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BetrokkenheidDto)]
#[serde(rename_all = "camelCase")]
pub struct BetrokkenheidWeergave {
    pub id: Uuid,
    pub organisatie: String,
    pub persoon: Uuid,
    pub contact: Contact,
    pub sinds: NaiveDate,
    /// VERWIJSINDEX_VERVALTERMIJN: the earliest of 2 years and the child's 23rd birthday.
    pub vervalt_op: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beeindigd_op: Option<NaiveDate>,
    /// The matches this registration produced.
    pub matches: Vec<MatchWeergave>,
}

/// A match as shown, with the other organisation's name from the partner directory.
fn weergave(conn: &mut DbConnection, m: Match) -> QueryResult<MatchWeergave> {
    let naam = directory::kern_op_code(conn, &m.andere_organisatie)?.map(|o| o.1);
    Ok(MatchWeergave {
        id: m.id,
        reden: m.reden,
        eigen_betrokkenheid: m.eigen_betrokkenheid,
        andere_organisatie: m.andere_organisatie,
        andere_organisatie_naam: naam,
        ander_contact: m.ander_contact,
        aangemaakt_op: m.aangemaakt_op,
    })
}

/// Kinds of record, as named in a 404.
pub const BETROKKENHEID: &str = "betrokkenheid";
pub const MATCH: &str = "match";

/// The audit object of signal `id` of `eigenaar`.
pub fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "betrokkenheden",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

/// `POST /betrokkenheden`: register the caller's organisation's involvement with one of
/// its persons (`COORDINATIE_CONVENANT`), find and record the matches
/// (`ZELFDE_KIND`, `GEDEELDE_OUDER`, `MATCH_BINNEN_CONVENANT`) and notify both sides
/// through the outbox. Logged as a write of one's own record, one processing-log row for
/// the child.
pub fn registreer(
    conn: &mut DbConnection,
    ctx: &Context,
    n: &NieuweBetrokkenheid,
) -> Result<BetrokkenheidWeergave, Fout> {
    let (b, nieuw) = registreer_met_matches(conn, ctx, n)?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[Gegevenscategorie::Hulpverlening],
        object(&b.id.to_string(), &b.organisatie),
        json!({"betrokkenheid": b.id, "sinds": b.sinds, "vervaltOp": b.vervalt_op, "matches": nieuw.len()}),
        &[b.betrokkene],
    )?;
    let matches = nieuw
        .into_iter()
        .map(|m| weergave(conn, m))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(BetrokkenheidWeergave {
        id: b.id,
        organisatie: b.organisatie,
        persoon: b.persoon,
        contact: b.contact,
        sinds: b.sinds,
        vervalt_op: b.vervalt_op,
        beeindigd_op: b.beeindigd_op,
        matches,
    })
}

/// `DELETE /betrokkenheden/{id}`: end a signal of the caller's organisation (no longer
/// involved, or no longer justified); it stops matching and showing at once. Another
/// organisation's signal is outside the caller's view: answered as an unknown id.
pub fn beeindig(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<(), Fout> {
    let organisatie = ctx.actor.organisatie.as_str();
    match vind(conn, &ctx.versleuteling, id)? {
        None => return Err(toegang::onbekend(BETROKKENHEID)),
        Some(b) if b.organisatie != organisatie => {
            return Err(toegang::verborgen(
                BETROKKENHEID,
                &b.organisatie,
                "beëindigen van de betrokkenheid van een andere organisatie",
            ));
        }
        Some(_) => {}
    }
    diesel::update(betrokkenheden::table.find(id.to_string()))
        .set(betrokkenheden::beeindigd_op.eq(ctx.vandaag()))
        .execute(conn)?;
    let b = vind(conn, &ctx.versleuteling, id)?.ok_or_else(|| toegang::onbekend(BETROKKENHEID))?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[Gegevenscategorie::Hulpverlening],
        object(&b.id.to_string(), &b.organisatie),
        json!({"betrokkenheid": b.id, "beeindigdOp": b.beeindigd_op}),
        &[b.betrokkene],
    )?;
    Ok(())
}

/// `GET /matches`: every match of the caller's organisation, newest first (at most 500),
/// while both sides share an agreement in force (`MATCH_BINNEN_CONVENANT`). A match
/// carries no content about the child; nothing is logged.
pub fn matches(conn: &mut DbConnection, ctx: &Context) -> Result<Vec<MatchWeergave>, Fout> {
    let m = matches_van(
        conn,
        &ctx.versleuteling,
        &ctx.actor.organisatie,
        None,
        ctx.nu,
    )?;
    Ok(m.into_iter()
        .map(|m| weergave(conn, m))
        .collect::<QueryResult<Vec<_>>>()?)
}

/// `GET /matches/{id}`: one match of the caller's organisation; a match of others, or
/// one no longer within a shared agreement, as an unknown id.
pub fn een_match(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<MatchWeergave, Fout> {
    let org = ctx.actor.organisatie.as_str();
    let (a, b) = match_partijen(conn, id)?.ok_or_else(|| toegang::onbekend(MATCH))?;
    match matches_van(conn, &ctx.versleuteling, org, Some(id), ctx.nu)?.pop() {
        Some(m) => Ok(weergave(conn, m)?),
        None => Err(toegang::verborgen(
            MATCH,
            if a == org { &b } else { &a },
            "een match buiten de eigen organisatie of buiten een gedeeld convenant",
        )),
    }
}

/// A stored signal.
#[derive(Queryable, Selectable)]
#[diesel(table_name = betrokkenheden)]
struct Rij {
    id: Tekst<Uuid>,
    organisatie: String,
    persoon_id: Tekst<Uuid>,
    betrokkene: Tekst<Uuid>,
    contact_naam: String,
    contact_telefoon: Option<String>,
    contact_email: Option<String>,
    sinds: NaiveDate,
    vervalt_op: NaiveDate,
    beeindigd_op: Option<NaiveDate>,
}

fn uit_rij(v: &Versleuteling, r: Rij) -> QueryResult<Betrokkenheid> {
    Ok(Betrokkenheid {
        id: r.id.0,
        organisatie: r.organisatie,
        persoon: r.persoon_id.0,
        betrokkene: r.betrokkene.0,
        contact: Contact {
            naam: v.lees_kolom(&r.contact_naam)?,
            telefoon: v.lees_kolom_optie(r.contact_telefoon.as_deref())?,
            email: v.lees_kolom_optie(r.contact_email.as_deref())?,
        },
        sinds: r.sinds,
        vervalt_op: r.vervalt_op,
        beeindigd_op: r.beeindigd_op,
    })
}

/// Active signals on these identities, their contacts decrypted.
pub fn actief_op(
    conn: &mut DbConnection,
    v: &Versleuteling,
    betrokkenen: &[String],
    dag: NaiveDate,
) -> QueryResult<Vec<Betrokkenheid>> {
    let mut uit = Vec::new();
    for deel in betrokkenen.chunks(500) {
        let rijen: Vec<Rij> = betrokkenheden::table
            .filter(betrokkenheden::betrokkene.eq_any(deel))
            .filter(betrokkenheden::beeindigd_op.is_null())
            .filter(betrokkenheden::vervalt_op.ge(dag))
            .select(Rij::as_select())
            .load(conn)?;
        for r in rijen {
            uit.push(uit_rij(v, r)?);
        }
    }
    Ok(uit)
}

/// The identities of the children who share a parent with `kind` (not `kind` itself):
/// parents are found through every family, of any organisation, where the child's
/// identity is a child and the parent's identity a parent.
fn broers_en_zussen(conn: &mut DbConnection, kind: &str) -> QueryResult<Vec<String>> {
    let rel = |r: Relatie| r.as_ref().to_string();
    // The families (any owner) in which this identity is a child.
    let gezinnen: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(personen::betrokkene.eq(kind))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Kind)))
        .select(gezinsleden::gezin_id)
        .load(conn)?;
    let ouders: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(gezinsleden::gezin_id.eq_any(&gezinnen))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Ouder)))
        .select(personen::betrokkene)
        .distinct()
        .load(conn)?;
    if ouders.is_empty() {
        return Ok(vec![]);
    }
    // Families in which any of those identities is a parent; their children.
    let ouder_gezinnen: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(personen::betrokkene.eq_any(&ouders))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Ouder)))
        .select(gezinsleden::gezin_id)
        .load(conn)?;
    let mut kinderen: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(gezinsleden::gezin_id.eq_any(&ouder_gezinnen))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Kind)))
        .select(personen::betrokkene)
        .distinct()
        .load(conn)?;
    kinderen.retain(|k| k != kind);
    Ok(kinderen)
}

/// `COORDINATIE_CONVENANT`: is `r` a rule for registering involvement by an organisation
/// of kind `soort` (and, when given, a user with one of `rollen`)?
pub fn is_coordinatieregel(r: &Regel, soort: OrganisatieSoort, rollen: Option<&[Rol]>) -> bool {
    r.doel == Doel::Coordinatie
        && r.organisatie_soort == soort
        && r.acties.contains(&Actie::Aanmaken)
        && r.categorieen.contains(&Gegevenscategorie::Hulpverlening)
        && rollen.is_none_or(|rs| r.rollen.iter().any(|x| rs.contains(x)))
}

/// What one organisation may do in coordination, read once per request inside its
/// transaction: its kind from the partner directory and the agreements in force it is a
/// party to.
#[derive(Debug, Clone)]
pub struct Coordinatie {
    organisatie: String,
    soort: Option<OrganisatieSoort>,
    convenanten: Vec<Convenant>,
}

impl Coordinatie {
    /// Read `organisatie`'s kind and the agreements in force at `nu` it is a party to.
    pub fn laad(
        conn: &mut DbConnection,
        organisatie: &str,
        nu: DateTime<Utc>,
    ) -> QueryResult<Self> {
        Ok(Self {
            organisatie: organisatie.to_string(),
            soort: directory::kern_op_code(conn, organisatie)?.map(|o| o.2),
            convenanten: convenant::actief_voor(conn, organisatie)?
                .into_iter()
                .filter(|c| c.van_kracht(nu) && c.is_partij(organisatie))
                .collect(),
        })
    }

    /// `COORDINATIE_CONVENANT` for a user with `rollen`: refused without a rule; where
    /// every matching rule requires a reason (`redenVerplicht`), only with one.
    pub fn mag_registreren(&self, rollen: &[Rol], toelichting: bool) -> Result<(), Weigering> {
        let regels: Vec<&Regel> = match self.soort {
            Some(soort) => self
                .convenanten
                .iter()
                .flat_map(|c| c.inhoud.regels.iter())
                .filter(|r| is_coordinatieregel(r, soort, Some(rollen)))
                .collect(),
            None => vec![],
        };
        if regels.is_empty() {
            return Err(Weigering {
                regel: "COORDINATIE_CONVENANT",
                reden: format!(
                    "Geen convenant van kracht dat organisatie `{}` met deze rol toestaat betrokkenheid te registreren (doel `coordinatie`, actie `aanmaken`, categorie `hulpverlening`; regel COORDINATIE_CONVENANT)",
                    self.organisatie
                ),
                toelichting_vereist: false,
            });
        }
        if !toelichting && regels.iter().all(|r| r.reden_verplicht) {
            return Err(Weigering {
                regel: "REDEN_VERPLICHT",
                reden: "Het convenant vereist per registratie een reden: stuur de header `X-Audit-Toelichting`".into(),
                toelichting_vereist: true,
            });
        }
        Ok(())
    }

    /// `MATCH_BINNEN_CONVENANT`: are this organisation (with a user of `rollen`, when
    /// given) and `ander` of kind `ander_soort` both parties of one agreement in force
    /// with a coordination rule for each of their kinds?
    pub fn gedeeld_met(
        &self,
        rollen: Option<&[Rol]>,
        ander: &str,
        ander_soort: Option<OrganisatieSoort>,
    ) -> bool {
        let (Some(soort), Some(ander_soort)) = (self.soort, ander_soort) else {
            return false;
        };
        self.convenanten.iter().any(|c| {
            c.is_partij(ander)
                && c.inhoud
                    .regels
                    .iter()
                    .any(|r| is_coordinatieregel(r, soort, rollen))
                && c.inhoud
                    .regels
                    .iter()
                    .any(|r| is_coordinatieregel(r, ander_soort, None))
        })
    }
}

/// Register involvement of the caller's organisation with one of its persons; finds and
/// records the matches with other organisations and notifies both sides through the
/// outbox, all in the caller's transaction. Returns the signal and the new matches.
fn registreer_met_matches(
    conn: &mut DbConnection,
    ctx: &Context,
    n: &NieuweBetrokkenheid,
) -> Result<(Betrokkenheid, Vec<Match>), Fout> {
    let (v, organisatie, nu) = (&*ctx.versleuteling, ctx.actor.organisatie.as_str(), ctx.nu);
    // COORDINATIE_CONVENANT first: without it nothing about the person is looked at.
    let coordinatie = Coordinatie::laad(conn, organisatie, nu)?;
    coordinatie.mag_registreren(&ctx.actor.rollen, ctx.toelichting.is_some())?;
    let rij = crate::personen::eigen_personen(conn, organisatie, &[("persoon".into(), n.persoon)])?
        .remove(0);
    let persoon = rij.clone().ontsleutel(v)?;
    let vandaag = ketenregie_common::werkdagen::nl_datum(nu);
    let betrokkene = rij.betrokkene.clone();
    if let Some(bestaand) = actief_op(conn, v, std::slice::from_ref(&betrokkene), vandaag)?
        .into_iter()
        .find(|b| b.organisatie == organisatie)
    {
        return Err(Fout::Conflict {
            detail: "Uw organisatie heeft al een actieve betrokkenheid bij dit kind".into(),
            huidig: None,
            toegestaan: vec![],
            locatie: Some(format!("/api/v1/betrokkenheden/{}", bestaand.id)),
        });
    }
    let b = Betrokkenheid {
        id: ids::new_id(),
        organisatie: organisatie.to_string(),
        persoon: n.persoon,
        betrokkene: persoon.betrokkene,
        contact: n.contact.clone(),
        sinds: n.sinds,
        vervalt_op: vervalt_op(n.sinds, persoon.gegevens.geboortedatum),
        beeindigd_op: None,
    };
    if b.vervalt_op < vandaag {
        return Err(Fout::veld(
            "sinds",
            "verwijsindex-vervaltermijn",
            format!(
                "een signaal vanaf {} is al vervallen op {} (regel VERWIJSINDEX_VERVALTERMIJN)",
                b.sinds, b.vervalt_op
            ),
        ));
    }
    diesel::insert_into(betrokkenheden::table)
        .values((
            betrokkenheden::id.eq(b.id.to_string()),
            betrokkenheden::organisatie.eq(organisatie),
            betrokkenheden::persoon_id.eq(n.persoon.to_string()),
            betrokkenheden::betrokkene.eq(&betrokkene),
            betrokkenheden::contact_naam.eq(v.versleutel(&b.contact.naam)),
            betrokkenheden::contact_telefoon.eq(v.versleutel_optie(b.contact.telefoon.as_deref())),
            betrokkenheden::contact_email.eq(v.versleutel_optie(b.contact.email.as_deref())),
            betrokkenheden::sinds.eq(b.sinds),
            betrokkenheden::vervalt_op.eq(b.vervalt_op),
            betrokkenheden::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;

    let mut kandidaten: Vec<(Betrokkenheid, MatchReden)> =
        actief_op(conn, v, std::slice::from_ref(&betrokkene), vandaag)?
            .into_iter()
            .map(|x| (x, MatchReden::ZelfdeKind))
            .collect();
    let broers = broers_en_zussen(conn, &betrokkene)?;
    kandidaten.extend(
        actief_op(conn, v, &broers, vandaag)?
            .into_iter()
            .map(|x| (x, MatchReden::GedeeldeOuder)),
    );
    let mut nieuw = Vec::new();
    for (ander, reden) in kandidaten {
        if ander.organisatie == organisatie
            || nieuw
                .iter()
                .any(|m: &Match| m.andere_organisatie == ander.organisatie && m.reden == reden)
        {
            continue;
        }
        // MATCH_BINNEN_CONVENANT: outside a shared agreement neither side hears of it.
        let ander_soort = directory::kern_op_code(conn, &ander.organisatie)?.map(|o| o.2);
        if !coordinatie.gedeeld_met(Some(&ctx.actor.rollen), &ander.organisatie, ander_soort) {
            continue;
        }
        let mid = ids::new_id();
        diesel::insert_into(matches::table)
            .values((
                matches::id.eq(mid.to_string()),
                matches::betrokkenheid_a.eq(b.id.to_string()),
                matches::betrokkenheid_b.eq(ander.id.to_string()),
                matches::organisatie_a.eq(organisatie),
                matches::organisatie_b.eq(&ander.organisatie),
                matches::reden.eq(reden),
                matches::aangemaakt_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
        for org in [organisatie, ander.organisatie.as_str()] {
            outbox::enqueue(
                conn,
                &Gebeurtenis {
                    soort: "matches.match-gevonden".into(),
                    organisatie: org.to_string(),
                    onderwerp: mid.to_string(),
                    dataref: format!("/api/v1/matches/{mid}"),
                },
                nu,
            )?;
        }
        nieuw.push(Match {
            id: mid,
            reden,
            eigen_betrokkenheid: b.id,
            andere_organisatie: ander.organisatie.clone(),
            ander_contact: ander.contact.clone(),
            aangemaakt_op: nu,
        });
    }
    Ok((b, nieuw))
}

/// One signal, its contact decrypted.
pub fn vind(
    conn: &mut DbConnection,
    v: &Versleuteling,
    id_: Uuid,
) -> QueryResult<Option<Betrokkenheid>> {
    let r: Option<Rij> = betrokkenheden::table
        .find(id_.to_string())
        .select(Rij::as_select())
        .first(conn)
        .optional()?;
    r.map(|r| uit_rij(v, r)).transpose()
}

/// The two organisations of match `id`, if it exists.
pub fn match_partijen(conn: &mut DbConnection, id_: Uuid) -> QueryResult<Option<(String, String)>> {
    matches::table
        .find(id_.to_string())
        .select((matches::organisatie_a, matches::organisatie_b))
        .first(conn)
        .optional()
}

/// The matches of `organisatie`, newest first, seen from its side; one match or all. Only
/// those with an organisation it still shares an agreement in force with
/// (`MATCH_BINNEN_CONVENANT`): when the agreement ends, the other side's contact is no
/// longer shown.
pub fn matches_van(
    conn: &mut DbConnection,
    v: &Versleuteling,
    organisatie: &str,
    alleen: Option<Uuid>,
    nu: DateTime<Utc>,
) -> QueryResult<Vec<Match>> {
    let coordinatie = Coordinatie::laad(conn, organisatie, nu)?;
    let mut q = matches::table
        .filter(
            matches::organisatie_a
                .eq(organisatie)
                .or(matches::organisatie_b.eq(organisatie)),
        )
        .order(matches::aangemaakt_op.desc())
        .select(MatchRij::as_select())
        .into_boxed();
    if let Some(m) = alleen {
        q = q.filter(matches::id.eq(m.to_string()));
    }
    let rijen: Vec<MatchRij> = q.limit(500).load(conn)?;
    let mut uit = Vec::new();
    for r in rijen {
        let (eigen, ander, andere_org) = if r.organisatie_a == organisatie {
            (r.betrokkenheid_a, r.betrokkenheid_b, r.organisatie_b)
        } else {
            (r.betrokkenheid_b, r.betrokkenheid_a, r.organisatie_a)
        };
        let ander_soort = directory::kern_op_code(conn, &andere_org)?.map(|o| o.2);
        if !coordinatie.gedeeld_met(None, &andere_org, ander_soort) {
            continue;
        }
        let Some(a) = vind(conn, v, ander.0)? else {
            continue;
        };
        uit.push(Match {
            id: r.id.0,
            reden: r.reden,
            eigen_betrokkenheid: eigen.0,
            andere_organisatie: andere_org,
            ander_contact: a.contact,
            aangemaakt_op: from_db(r.aangemaakt_op),
        });
    }
    Ok(uit)
}

/// A stored match.
#[derive(Queryable, Selectable)]
#[diesel(table_name = matches)]
struct MatchRij {
    id: Tekst<Uuid>,
    betrokkenheid_a: Tekst<Uuid>,
    betrokkenheid_b: Tekst<Uuid>,
    organisatie_a: String,
    organisatie_b: String,
    reden: MatchReden,
    aangemaakt_op: chrono::NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_signal_lapses_after_two_years_or_at_twenty_three() {
        assert_eq!(
            vervalt_op(d("2026-01-10"), d("2015-06-01")),
            d("2028-01-10")
        );
        assert_eq!(
            vervalt_op(d("2026-01-10"), d("2004-06-01")),
            d("2027-06-01")
        );
    }
}

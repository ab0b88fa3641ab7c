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

use crate::gezinnen::Relatie;
use crate::{CaseFout, id};
use chrono::{DateTime, Months, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Actie, Doel, Gegevenscategorie, OrganisatieSoort, Rol, Validatie, ids};
use ketenregie_privacy::convenant::{self, Convenant, Regel};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_privacy::{Context, Weigering};
use ketenregie_store::DbConnection;
use ketenregie_store::directory;
use ketenregie_store::herschrijven::Kolom;
use ketenregie_store::outbox::{self, Gebeurtenis};
use ketenregie_store::schema::{betrokkenheden, gezinsleden, matches, personen};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString};
use utoipa::ToSchema;
use uuid::Uuid;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, Display, AsRefStr, EnumString)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum MatchReden {
    /// `ZELFDE_KIND`
    ZelfdeKind,
    /// `GEDEELDE_OUDER`
    GedeeldeOuder,
}

/// A validated registration.
#[derive(Debug, Clone)]
pub struct NieuweBetrokkenheid {
    pub persoon: Uuid,
    pub contact: Contact,
    pub sinds: NaiveDate,
}

impl BetrokkenheidInvoer {
    pub fn valideer(&self, vandaag: NaiveDate) -> Result<NieuweBetrokkenheid, CaseFout> {
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
        .map_err(CaseFout::Ongeldig)
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

type Rij = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    NaiveDate,
    NaiveDate,
    Option<NaiveDate>,
);

fn kolommen() -> (
    betrokkenheden::id,
    betrokkenheden::organisatie,
    betrokkenheden::persoon_id,
    betrokkenheden::betrokkene,
    betrokkenheden::contact_naam,
    betrokkenheden::contact_telefoon,
    betrokkenheden::contact_email,
    betrokkenheden::sinds,
    betrokkenheden::vervalt_op,
    betrokkenheden::beeindigd_op,
) {
    (
        betrokkenheden::id,
        betrokkenheden::organisatie,
        betrokkenheden::persoon_id,
        betrokkenheden::betrokkene,
        betrokkenheden::contact_naam,
        betrokkenheden::contact_telefoon,
        betrokkenheden::contact_email,
        betrokkenheden::sinds,
        betrokkenheden::vervalt_op,
        betrokkenheden::beeindigd_op,
    )
}

fn uit_rij(v: &Versleuteling, r: Rij) -> QueryResult<Betrokkenheid> {
    Ok(Betrokkenheid {
        id: id(&r.0),
        organisatie: r.1,
        persoon: id(&r.2),
        betrokkene: id(&r.3),
        contact: Contact {
            naam: v.lees_kolom(&r.4)?,
            telefoon: v.lees_kolom_optie(r.5.as_deref())?,
            email: v.lees_kolom_optie(r.6.as_deref())?,
        },
        sinds: r.7,
        vervalt_op: r.8,
        beeindigd_op: r.9,
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
            .select(kolommen())
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

/// Register involvement of `organisatie` with one of its persons; finds and records the
/// matches with other organisations and notifies both sides through the outbox, all in
/// the caller's transaction. Returns the signal and the new matches.
pub fn registreer(
    conn: &mut DbConnection,
    ctx: &Context,
    n: &NieuweBetrokkenheid,
) -> Result<(Betrokkenheid, Vec<Match>), CaseFout> {
    let (v, organisatie, nu) = (&*ctx.versleuteling, ctx.actor.organisatie.as_str(), ctx.nu);
    // COORDINATIE_CONVENANT first: without it nothing about the person is looked at.
    let coordinatie = Coordinatie::laad(conn, organisatie, nu)?;
    coordinatie
        .mag_registreren(&ctx.actor.rollen, ctx.toelichting.is_some())
        .map_err(|w| CaseFout::Domein(w.into()))?;
    let rij = crate::personen::eigen_personen(conn, organisatie, &[("persoon".into(), n.persoon)])?
        .remove(0);
    let persoon = rij.clone().ontsleutel(v)?;
    let vandaag = ketenregie_common::werkdagen::nl_datum(nu);
    let betrokkene = rij.betrokkene.clone();
    if let Some(bestaand) = actief_op(conn, v, std::slice::from_ref(&betrokkene), vandaag)?
        .into_iter()
        .find(|b| b.organisatie == organisatie)
    {
        return Err(CaseFout::Bestaat {
            detail: "Uw organisatie heeft al een actieve betrokkenheid bij dit kind".into(),
            locatie: format!("/api/v1/betrokkenheden/{}", bestaand.id),
        });
    }
    let b = Betrokkenheid {
        id: ids::new_id(),
        organisatie: organisatie.to_string(),
        persoon: n.persoon,
        betrokkene: id(&betrokkene),
        contact: n.contact.clone(),
        sinds: n.sinds,
        vervalt_op: vervalt_op(n.sinds, persoon.gegevens.geboortedatum),
        beeindigd_op: None,
    };
    if b.vervalt_op < vandaag {
        return Err(CaseFout::veld(
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
                matches::reden.eq(reden.as_ref()),
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

/// End a signal of `organisatie` (no longer justified).
pub fn beeindig(
    conn: &mut DbConnection,
    v: &Versleuteling,
    organisatie: &str,
    id_: Uuid,
    dag: NaiveDate,
) -> Result<Betrokkenheid, CaseFout> {
    let n = diesel::update(
        betrokkenheden::table
            .filter(betrokkenheden::id.eq(id_.to_string()))
            .filter(betrokkenheden::organisatie.eq(organisatie)),
    )
    .set(betrokkenheden::beeindigd_op.eq(dag))
    .execute(conn)?;
    if n == 0 {
        return Err(CaseFout::NietGevonden(format!(
            "Uw organisatie heeft geen betrokkenheid {id_}"
        )));
    }
    lees(conn, v, id_)?.ok_or_else(|| CaseFout::NietGevonden(id_.to_string()))
}

/// One signal, its contact decrypted.
pub fn lees(
    conn: &mut DbConnection,
    v: &Versleuteling,
    id_: Uuid,
) -> QueryResult<Option<Betrokkenheid>> {
    let r: Option<Rij> = betrokkenheden::table
        .find(id_.to_string())
        .select(kolommen())
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
    type MRij = (
        String,
        String,
        String,
        String,
        String,
        String,
        chrono::NaiveDateTime,
    );
    let mut q = matches::table
        .filter(
            matches::organisatie_a
                .eq(organisatie)
                .or(matches::organisatie_b.eq(organisatie)),
        )
        .order(matches::aangemaakt_op.desc())
        .select((
            matches::id,
            matches::betrokkenheid_a,
            matches::betrokkenheid_b,
            matches::organisatie_a,
            matches::organisatie_b,
            matches::reden,
            matches::aangemaakt_op,
        ))
        .into_boxed();
    if let Some(m) = alleen {
        q = q.filter(matches::id.eq(m.to_string()));
    }
    let rijen: Vec<MRij> = q.limit(500).load(conn)?;
    let mut uit = Vec::new();
    for r in rijen {
        let (eigen, ander, andere_org) = if r.3 == organisatie {
            (&r.1, &r.2, &r.4)
        } else {
            (&r.2, &r.1, &r.3)
        };
        let ander_soort = directory::kern_op_code(conn, andere_org)?.map(|o| o.2);
        if !coordinatie.gedeeld_met(None, andere_org, ander_soort) {
            continue;
        }
        let Some(a) = lees(conn, v, id(ander))? else {
            continue;
        };
        uit.push(Match {
            id: id(&r.0),
            reden: r.5.parse().unwrap_or(MatchReden::ZelfdeKind),
            eigen_betrokkenheid: id(eigen),
            andere_organisatie: andere_org.clone(),
            ander_contact: a.contact,
            aangemaakt_op: from_db(r.6),
        });
    }
    Ok(uit)
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

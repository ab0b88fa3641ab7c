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
//!
//! This module holds the kinds, the input and the rules (`Coordinatie`);
//! `handelingen` the use cases, `opslag` the rows and queries.

mod handelingen;
mod opslag;

pub use handelingen::{
    BETROKKENHEID, BetrokkenheidWeergave, MATCH, MatchWeergave, beeindig, een_match, matches,
    object, registreer,
};
pub use opslag::{
    LIJST_MATCHES, MatchSleutel, actief_op, match_partijen, match_van, matches_pagina, vind,
};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryResult;
use diesel::sql_types::Text;
use ketenregie_common::termijn;
use ketenregie_common::{
    Actie, Doel, Fout, Gegevenscategorie, OrganisatieSoort, Rol, Validatie, regelcode,
};
use ketenregie_privacy::Weigering;
use ketenregie_privacy::convenant::{self, Convenant, Regel};
use ketenregie_store::DbConnection;
use ketenregie_store::directory;
use ketenregie_store::herschrijven::Kolom;
use ketenregie_store::tekst_kolom;
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString};
use utoipa::ToSchema;
use uuid::Uuid;

/// The descriptions of the involvement and match operations in the API document: the
/// rules as a caller meets them.
pub mod uitleg {
    pub const REGISTREER: &str = "Registers only the fact that your organisation is involved with this child, a named contact and a date (no content), as the Verwijsindex does. Only for those entitled (COORDINATIE_CONVENANT): an agreement in force must have a rule for your organisation's kind and one of your roles with purpose `coordinatie`, action `aanmaken` and category `hulpverlening` (else 403), and the child must be a person your organisation registered (else a 422 `reference` naming `/persoon`); a `sinds` so long ago that the signal has already lapsed is a 422 `verwijsindex-vervaltermijn` naming `/sinds`. When another organisation is registered with the same child (ZELFDE_KIND) or with a child sharing a parent (GEDEELDE_OUDER), and both organisations are parties of one agreement in force with such a rule for each (MATCH_BINNEN_CONVENANT), both get a match: in the answer, in `GET /matches` and as a notification `nl.ketenregie.matches.match-gevonden`; otherwise neither hears of the other. The signal lapses by VERWIJSINDEX_VERVALTERMIJN.";
    pub const MATCHES: &str = "Every match involving your organisation, newest first: the other organisation, its contact and the reason; only while both share an agreement in force with coordination rules for each (MATCH_BINNEN_CONVENANT). A match carries no content about the child. Paged by cursor: follow `next` and `previous` (each carries `cursor`); a page costs the same however many matches the organisation ever had. `page` jumps from the start instead (not with `cursor`). `count` is exact up to 1,000 (`countIsExact`).";
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

/// Event to both organisations of a new match (`MATCH_BINNEN_CONVENANT`); the CloudEvents
/// type is `nl.ketenregie.` followed by this.
pub const MATCH_GEVONDEN: &str = "matches.match-gevonden";

/// How long a signal stays, at most, in months (counted by `TERMIJN_IN_MAANDEN`).
pub const VERWIJSINDEX_MAX_TWEE_JAAR: u32 = 24;
/// The age at which a child's signals lapse.
pub const VERWIJSINDEX_LEEFTIJDSGRENS_JAREN: u32 = 23;

/// `VERWIJSINDEX_VERVALTERMIJN`: the last day a signal registered on `sinds` for a child
/// born on `geboren` is valid (`vervalt_op` is stored and compared inclusively,
/// `Betrokkenheid::actief`). Two years from `sinds` run up to and including the day before
/// the same date two years later (`TERMIJN_IN_MAANDEN`, `termijn::laatste_dag_na_maanden`:
/// from 29 February up to and including 28 February). The child is 23 on its 23rd
/// birthday (as `gezag::meerderjarig_op` counts 18: one born on 29 February on 1 March),
/// and the signal lapses on that day, so the last valid day is the day before it: the
/// same count from the day of birth.
pub fn vervalt_op(sinds: NaiveDate, geboren: NaiveDate) -> NaiveDate {
    let twee_jaar = termijn::laatste_dag_na_maanden(sinds, VERWIJSINDEX_MAX_TWEE_JAAR);
    let drieentwintig =
        termijn::laatste_dag_na_maanden(geboren, 12 * VERWIJSINDEX_LEEFTIJDSGRENS_JAREN);
    twee_jaar.min(drieentwintig)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactInvoer {
    /// The professional to call, e.g. the gezinsvoogd.
    #[schema(required = true, value_type = String, example = "J. Bakker (gezinsvoogd)", max_length = 200)]
    pub naam: Option<String>,
    #[schema(example = "070 123 4567", max_length = 40)]
    pub telefoon: Option<String>,
    #[schema(max_length = 200)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BetrokkenheidInvoer {
    /// The child (a person your organisation registered).
    #[schema(required = true, value_type = Uuid)]
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub persoon: Option<Uuid>,
    #[schema(required = true, value_type = ContactInvoer)]
    pub contact: Option<ContactInvoer>,
    /// Since when; defaults to today. `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
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
            let naam = v.tekstregel("contact.naam", c.naam.as_deref(), 200);
            let telefoon = v.optionele_tekstregel("contact.telefoon", c.telefoon.as_deref(), 40);
            let email = v.optionele_tekstregel("contact.email", c.email.as_deref(), 200);
            if telefoon.is_none() && email.is_none() {
                v.fout(
                    "contact.telefoon",
                    regelcode::EEN_VAN,
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
            .datum(
                "sinds",
                self.sinds.as_deref(),
                ketenregie_common::Datumbereik::verleden(
                    "het begin van een betrokkenheid",
                    vandaag,
                ),
            )
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
    /// every matching rule requires a reason (`Regel::vraagt_reden`: `redenVerplicht`, and
    /// always for the OM), only with one.
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
        if !toelichting && regels.iter().all(|r| r.vraagt_reden()) {
            return Err(Weigering {
                regel: "REDEN_VERPLICHT",
                reden: "Het convenant vereist per registratie een reden: stuur de header `X-Audit-Toelichting`".into(),
                toelichting_vereist: true,
            });
        }
        Ok(())
    }

    /// The organisations this one shares coordination with (`MATCH_BINNEN_CONVENANT`,
    /// [`Coordinatie::gedeeld_met`] for any of its users): the other remaining parties of
    /// its agreements in force, each kind read once from the partner directory; sorted,
    /// without repeats. A handful per organisation, so a list can filter on them in SQL.
    pub fn partners(&self, conn: &mut DbConnection) -> QueryResult<Vec<String>> {
        let mut kandidaten: Vec<&str> = self
            .convenanten
            .iter()
            .flat_map(Convenant::resterende_partijen)
            .filter(|p| *p != self.organisatie)
            .collect();
        kandidaten.sort_unstable();
        kandidaten.dedup();
        let mut uit = Vec::new();
        for p in kandidaten {
            let soort = directory::kern_op_code(conn, p)?.map(|o| o.2);
            if self.gedeeld_met(None, p, soort) {
                uit.push(p.to_string());
            }
        }
        Ok(uit)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_signal_lapses_after_two_years_or_at_twenty_three() {
        // Valid up to and including the day before the same date two years later.
        assert_eq!(
            vervalt_op(d("2026-01-10"), d("2015-06-01")),
            d("2028-01-09")
        );
        // The 23rd birthday is the first day lapsed.
        assert_eq!(
            vervalt_op(d("2026-01-10"), d("2004-06-01")),
            d("2027-05-31")
        );
        // 29 February plus two years: up to and including 28 February.
        assert_eq!(
            vervalt_op(d("2028-02-29"), d("2020-01-01")),
            d("2030-02-28")
        );
        // Born on 29 February: 23 on 1 March, so valid up to and including 28 February.
        let geboren = d("2004-02-29");
        assert_eq!(vervalt_op(d("2026-01-10"), geboren), d("2027-02-28"));
        assert_eq!(d("2027-03-01").years_since(geboren), Some(23));
        assert_eq!(d("2027-02-28").years_since(geboren), Some(22));
    }
}

//! The partner directory: organisations, the municipalities each serves, and their contact
//! points. Every domain crate needs it (routing a zorgmelding to the Veilig Thuis that
//! serves a municipality, the kind of an organisation in a policy decision), so its queries
//! live here beside the schema rather than in a crate above.

use crate::DbConnection;
use crate::schema::{contactpunten, organisatie_gemeenten, organisaties};
use crate::venster::{Pagina as VensterPagina, Venster};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use ketenregie_common::organisatie::naamsleutel;
use ketenregie_common::time::{from_db, now_utc, to_db};
use ketenregie_common::{OrganisatieSoort, Rechtsregime, ids};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantArray, VariantNames};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum DirectoryFout {
    #[error("{0}")]
    Conflict(String),
    #[error("niet gevonden")]
    NietGevonden,
    /// `If-Match` does not hold; the message says which version is current.
    #[error("{0}")]
    VersieConflict(String),
    /// `NAAM_UNIEK`: another organisation has this name (compared on `naamsleutel`); the
    /// message names it when known. Raised by the check before the write and, when a
    /// simultaneous write won the race, by the UNIQUE index `organisaties_naam_sleutel_uk`.
    #[error("{0}")]
    NaamBezet(String),
    #[error(transparent)]
    Db(#[from] DieselError),
}

/// The directory's errors as the domain error: a code or OIN taken is a conflict, a
/// stale `If-Match` a failed precondition.
impl From<DirectoryFout> for ketenregie_common::Fout {
    fn from(e: DirectoryFout) -> Self {
        use ketenregie_common::Fout;
        match e {
            DirectoryFout::Conflict(d) => Fout::conflict(d),
            DirectoryFout::NietGevonden => Fout::NietGevonden("Het object bestaat niet".into()),
            DirectoryFout::VersieConflict(melding) => Fout::VoorwaardeMislukt(melding),
            DirectoryFout::NaamBezet(melding) => Fout::veld("naam", "uniek", melding),
            DirectoryFout::Db(e) => e.into(),
        }
    }
}

/// A partner organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisatie {
    pub id: Uuid,
    pub code: String,
    pub naam: String,
    pub oin: Option<String>,
    pub soort: OrganisatieSoort,
    pub rechtsregime: Rechtsregime,
    /// CBS codes of the municipalities it serves, sorted.
    pub gemeenten: Vec<String>,
    pub versie: i64,
    pub aangemaakt_op: DateTime<Utc>,
    pub gewijzigd_op: DateTime<Utc>,
}

/// The validated fields of an organisation, for create and replace.
#[derive(Debug, Clone)]
pub struct OrganisatieGegevens {
    pub code: String,
    pub naam: String,
    pub oin: Option<String>,
    pub soort: OrganisatieSoort,
    pub rechtsregime: Rechtsregime,
    pub gemeenten: Vec<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = organisaties)]
struct OrganisatieRij {
    id: String,
    code: String,
    naam: String,
    oin: Option<String>,
    soort: String,
    rechtsregime: String,
    versie: i64,
    aangemaakt_op: chrono::NaiveDateTime,
    gewijzigd_op: chrono::NaiveDateTime,
}

impl OrganisatieRij {
    fn into_domain(self, gemeenten: Vec<String>) -> Organisatie {
        Organisatie {
            id: parse_id(&self.id),
            code: self.code,
            naam: self.naam,
            oin: self.oin,
            // The CHECK constraints guarantee these parse; a failure means the database
            // was edited by hand and is worth a loud panic in the logs.
            soort: self
                .soort
                .parse()
                .expect("organisaties.soort violates its CHECK"),
            rechtsregime: self
                .rechtsregime
                .parse()
                .expect("organisaties.rechtsregime violates its CHECK"),
            gemeenten,
            versie: self.versie,
            aangemaakt_op: from_db(self.aangemaakt_op),
            gewijzigd_op: from_db(self.gewijzigd_op),
        }
    }
}

fn parse_id(s: &str) -> Uuid {
    Uuid::parse_str(s).expect("ids are stored as UUID text")
}

/// One page of a list and the total count.
#[derive(Debug)]
pub struct Pagina<T> {
    pub items: Vec<T>,
    pub totaal: i64,
}

/// Filters on the organisation list.
#[derive(Debug, Default, Clone)]
pub struct OrganisatieFilter {
    pub soort: Option<OrganisatieSoort>,
    pub gemeente: Option<String>,
    pub code: Option<String>,
}

/// A unique violation of an organisation's write: on the name key (`NAAM_UNIEK`, a
/// simultaneous registration or rename won) the same 422 as the check before the write,
/// on the code or OIN a conflict. PostgreSQL names the index; SQLite names the column in
/// its message ("UNIQUE constraint failed: organisaties.naam_sleutel").
fn unique_conflict(e: DieselError, what: &str) -> DirectoryFout {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
            if info.constraint_name() == Some("organisaties_naam_sleutel_uk")
                || info.message().contains("naam_sleutel") =>
        {
            DirectoryFout::NaamBezet(naam_bezet_melding(None))
        }
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            DirectoryFout::Conflict(format!("{what} bestaat al"))
        }
        other => DirectoryFout::Db(other),
    }
}

/// The reason of a `NAAM_UNIEK` refusal, naming the other organisation when known.
fn naam_bezet_melding(ander: Option<&str>) -> String {
    let wie = ander.map_or_else(
        || "een andere organisatie".to_string(),
        |a| format!("organisatie `{a}`"),
    );
    format!(
        "NAAM_UNIEK: {wie} heeft deze naam al (vergeleken zonder hoofdletters, spaties, leestekens en onzichtbare tekens, met lookalikes uit andere schriften als de letter die ze nabootsen)"
    )
}

/// `NAAM_UNIEK` before the write: the code of another organisation than `code` whose name
/// has the key of `naam` (`naamsleutel`), read through the UNIQUE index on the key.
/// A `NaamBezet` naming it when there is one. The index refuses what a simultaneous
/// write slips past this check (`unique_conflict`).
pub fn naam_vrij(conn: &mut DbConnection, naam: &str, code: &str) -> Result<(), DirectoryFout> {
    let ander: Option<String> = organisaties::table
        .filter(organisaties::naam_sleutel.eq(naamsleutel(naam)))
        .filter(organisaties::code.ne(code))
        .select(organisaties::code)
        .first(conn)
        .optional()?;
    match ander {
        Some(a) => Err(DirectoryFout::NaamBezet(naam_bezet_melding(Some(&a)))),
        None => Ok(()),
    }
}

/// Fill the name key (`naam_sleutel`) of every organisation that has none or whose key is
/// not the one `naamsleutel` computes now: rows written before the key existed (migration
/// `2026-12-03-000401_hfix3_uniek`) or under an earlier key (before the TR39 skeleton and
/// punctuation, F2 of 1 Dec 2026). Run at start after the migrations, under the start-up
/// lock, in one transaction: first every stale key is cleared (so a new key never meets an
/// old one), then the rows without a key are filled, the oldest registration first. A row
/// whose key another row already holds (two names equal under `naamsleutel`) keeps none
/// and is returned as (code, name), for the platform admin to rename; its next rename gets
/// a key. A few hundred rows, one update each; a no-op once every key is current.
pub fn vul_naamsleutels(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    let alle: Vec<(String, String, Option<String>)> = organisaties::table
        .select((
            organisaties::id,
            organisaties::naam,
            organisaties::naam_sleutel,
        ))
        .load(conn)?;
    for (id, naam, sleutel) in alle {
        if sleutel.is_some_and(|s| s != naamsleutel(&naam)) {
            diesel::update(organisaties::table.filter(organisaties::id.eq(&id)))
                .set(organisaties::naam_sleutel.eq(None::<String>))
                .execute(conn)?;
        }
    }
    let zonder: Vec<(String, String, String)> = organisaties::table
        .filter(organisaties::naam_sleutel.is_null())
        .order((organisaties::aangemaakt_op, organisaties::id))
        .select((organisaties::id, organisaties::code, organisaties::naam))
        .load(conn)?;
    let mut dubbel = Vec::new();
    for (id, code, naam) in zonder {
        let sleutel = naamsleutel(&naam);
        let bezet: i64 = organisaties::table
            .filter(organisaties::naam_sleutel.eq(&sleutel))
            .count()
            .get_result(conn)?;
        if bezet > 0 {
            dubbel.push((code, naam));
            continue;
        }
        diesel::update(organisaties::table.filter(organisaties::id.eq(&id)))
            .set(organisaties::naam_sleutel.eq(&sleutel))
            .execute(conn)?;
    }
    Ok(dubbel)
}

fn check_unique(
    conn: &mut DbConnection,
    g: &OrganisatieGegevens,
    behalve: Option<&str>,
) -> Result<(), DirectoryFout> {
    let mut q = organisaties::table
        .filter(organisaties::code.eq(&g.code))
        .select(organisaties::id)
        .into_boxed();
    if let Some(id) = behalve {
        q = q.filter(organisaties::id.ne(id));
    }
    if q.first::<String>(conn).optional()?.is_some() {
        // The code sent is not repeated (a problem never echoes a value sent).
        return Err(DirectoryFout::Conflict(
            "er is al een organisatie met deze code".into(),
        ));
    }
    if let Some(oin) = &g.oin {
        let mut q = organisaties::table
            .filter(organisaties::oin.eq(oin))
            .select(organisaties::id)
            .into_boxed();
        if let Some(id) = behalve {
            q = q.filter(organisaties::id.ne(id));
        }
        if q.first::<String>(conn).optional()?.is_some() {
            return Err(DirectoryFout::Conflict(
                "er is al een organisatie met dit OIN".into(),
            ));
        }
    }
    Ok(())
}

fn zet_gemeenten(conn: &mut DbConnection, id: &str, gemeenten: &[String]) -> QueryResult<()> {
    diesel::delete(
        organisatie_gemeenten::table.filter(organisatie_gemeenten::organisatie_id.eq(id)),
    )
    .execute(conn)?;
    for g in gemeenten {
        diesel::insert_into(organisatie_gemeenten::table)
            .values((
                organisatie_gemeenten::organisatie_id.eq(id),
                organisatie_gemeenten::gemeentecode.eq(g),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Register an organisation. Call inside a transaction.
pub fn maak_organisatie(
    conn: &mut DbConnection,
    mut g: OrganisatieGegevens,
) -> Result<Organisatie, DirectoryFout> {
    g.gemeenten.sort();
    g.gemeenten.dedup();
    check_unique(conn, &g, None)?;
    let id = ids::new_id().to_string();
    let nu = to_db(now_utc());
    diesel::insert_into(organisaties::table)
        .values((
            organisaties::id.eq(&id),
            organisaties::code.eq(&g.code),
            organisaties::naam.eq(&g.naam),
            organisaties::naam_sleutel.eq(naamsleutel(&g.naam)),
            organisaties::oin.eq(&g.oin),
            organisaties::soort.eq(g.soort.as_ref()),
            organisaties::rechtsregime.eq(g.rechtsregime.as_ref()),
            organisaties::versie.eq(1),
            organisaties::aangemaakt_op.eq(nu),
            organisaties::gewijzigd_op.eq(nu),
        ))
        .execute(conn)
        .map_err(|e| unique_conflict(e, "deze organisatie"))?;
    zet_gemeenten(conn, &id, &g.gemeenten)?;
    organisatie(conn, parse_id(&id))?.ok_or(DirectoryFout::NietGevonden)
}

/// Replace an organisation's registration. `verwachte_versie` (from `If-Match`) guards
/// against overwriting a change the caller has not seen.
pub fn wijzig_organisatie(
    conn: &mut DbConnection,
    id: Uuid,
    mut g: OrganisatieGegevens,
    verwachte_versie: &ketenregie_common::IfMatch,
) -> Result<Organisatie, DirectoryFout> {
    g.gemeenten.sort();
    g.gemeenten.dedup();
    let huidig = organisatie(conn, id)?.ok_or(DirectoryFout::NietGevonden)?;
    if let Err(melding) = verwachte_versie.controleer(huidig.versie, "de organisatie") {
        return Err(DirectoryFout::VersieConflict(melding));
    }
    let id_s = id.to_string();
    check_unique(conn, &g, Some(&id_s))?;
    diesel::update(organisaties::table.filter(organisaties::id.eq(&id_s)))
        .set((
            organisaties::code.eq(&g.code),
            organisaties::naam.eq(&g.naam),
            organisaties::naam_sleutel.eq(naamsleutel(&g.naam)),
            organisaties::oin.eq(&g.oin),
            organisaties::soort.eq(g.soort.as_ref()),
            organisaties::rechtsregime.eq(g.rechtsregime.as_ref()),
            organisaties::versie.eq(huidig.versie + 1),
            organisaties::gewijzigd_op.eq(to_db(now_utc())),
        ))
        .execute(conn)
        .map_err(|e| unique_conflict(e, "deze organisatie"))?;
    zet_gemeenten(conn, &id_s, &g.gemeenten)?;
    organisatie(conn, id)?.ok_or(DirectoryFout::NietGevonden)
}

fn gemeenten_van(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    organisatie_gemeenten::table
        .filter(organisatie_gemeenten::organisatie_id.eq_any(ids))
        .select((
            organisatie_gemeenten::organisatie_id,
            organisatie_gemeenten::gemeentecode,
        ))
        .order((
            organisatie_gemeenten::organisatie_id,
            organisatie_gemeenten::gemeentecode,
        ))
        .load(conn)
}

fn met_gemeenten(
    conn: &mut DbConnection,
    rijen: Vec<OrganisatieRij>,
) -> QueryResult<Vec<Organisatie>> {
    let ids: Vec<String> = rijen.iter().map(|r| r.id.clone()).collect();
    let mut paren = gemeenten_van(conn, &ids)?;
    Ok(rijen
        .into_iter()
        .map(|r| {
            let eigen: Vec<String> = paren
                .iter()
                .filter(|(o, _)| *o == r.id)
                .map(|(_, g)| g.clone())
                .collect();
            paren.retain(|(o, _)| *o != r.id);
            r.into_domain(eigen)
        })
        .collect())
}

/// One organisation with its municipalities, in one statement: `organisatie_met_stempel`
/// without the stamp (the same statement; the stamp's primary-key subquery is the only
/// difference, so there is one query to keep right).
pub fn organisatie(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Organisatie>> {
    Ok(organisatie_met_stempel(conn, id)?.map(|(o, _)| o))
}

/// The version stamp of the register and the decision's inputs (`stamgegevens_versie`,
/// `privacy::stamgegevens`) as a scalar subquery for a statement's select list: one
/// primary-key read inside that statement, in its snapshot; NULL when the row is missing
/// (a database not migrated this far).
///
/// Typed, not raw SQL: diesel keeps a prepared statement per connection only for queries
/// it can see are fixed, and a raw SQL fragment anywhere in a statement makes it parse
/// and plan the whole statement on every execution (`QueryFragment::
/// is_safe_to_cache_prepared`). With a raw fragment here the two hot reads that carry the
/// stamp (`GET /organisaties/{id}`, `GET /zorgmeldingen/{id}`) were planned per request,
/// the largest part of their PostgreSQL CPU (issue 17, benches/load/KETEN.md "h18").
#[diesel::dsl::auto_type(no_type_alias)]
pub fn stempel() -> _ {
    let een: i32 = 1;
    crate::schema::stamgegevens_versie::table
        .filter(crate::schema::stamgegevens_versie::id.eq(een))
        .select(crate::schema::stamgegevens_versie::versie)
        .single_value()
}

/// One organisation with its municipalities, in one statement (issue 17: the unlogged
/// read `GET /organisaties/{id}` in one round trip): the row left-joined to its
/// municipalities, one row per municipality (an organisation has a few dozen at most),
/// sorted by code as `met_gemeenten` sorts them, with the version stamp of the register (`stamgegevens_versie`; `None`:
/// no stamp row) read by the same statement as a scalar subquery, in its snapshot: for
/// `GET /organisaties/{id}`, whose one statement it is (issue 17: the authentication's
/// check of the register confirmed without a round trip of its own).
pub fn organisatie_met_stempel(
    conn: &mut DbConnection,
    id: Uuid,
) -> QueryResult<Option<(Organisatie, Option<i64>)>> {
    let rijen: Vec<(OrganisatieRij, Option<String>, Option<i64>)> = organisaties::table
        .left_join(organisatie_gemeenten::table)
        .filter(organisaties::id.eq(id.to_string()))
        .order(organisatie_gemeenten::gemeentecode)
        .select((
            OrganisatieRij::as_select(),
            organisatie_gemeenten::gemeentecode.nullable(),
            stempel(),
        ))
        .load(conn)?;
    let gemeenten: Vec<String> = rijen.iter().filter_map(|(_, g, _)| g.clone()).collect();
    Ok(rijen
        .into_iter()
        .next()
        .map(|(r, _, s)| (r.into_domain(gemeenten), s)))
}

/// Id, name and kind of an organisation, in one query (for hot paths that need no areas).
pub fn kern_op_code(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<(Uuid, String, OrganisatieSoort)>> {
    let rij: Option<(String, String, String)> = organisaties::table
        .filter(organisaties::code.eq(code))
        .select((organisaties::id, organisaties::naam, organisaties::soort))
        .first(conn)
        .optional()?;
    Ok(rij.and_then(|(id, naam, soort)| Some((parse_id(&id), naam, soort.parse().ok()?))))
}

/// The around-the-clock contact points of an organisation, in one query.
pub fn altijd_bereikbaar(
    conn: &mut DbConnection,
    organisatie_id: Uuid,
) -> QueryResult<Vec<Contactpunt>> {
    let rijen: Vec<ContactpuntRij> = contactpunten::table
        .filter(contactpunten::organisatie_id.eq(organisatie_id.to_string()))
        .filter(contactpunten::altijd_bereikbaar.eq(true))
        .order(contactpunten::naam)
        .limit(10)
        .select(ContactpuntRij::as_select())
        .load(conn)?;
    Ok(rijen.into_iter().map(Contactpunt::from).collect())
}

pub fn organisatie_op_code(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<Organisatie>> {
    let rij = organisaties::table
        .filter(organisaties::code.eq(code))
        .select(OrganisatieRij::as_select())
        .first(conn)
        .optional()?;
    Ok(match rij {
        Some(r) => met_gemeenten(conn, vec![r])?.pop(),
        None => None,
    })
}

/// The cursor list name of `GET /organisaties` (`venster::Cursor`).
pub const LIJST_ORGANISATIES: &str = "organisaties";
/// The cursor list name of `GET /contactpunten` (`venster::Cursor`).
pub const LIJST_CONTACTPUNTEN: &str = "contactpunten";

/// One page of the partner register under `filter`, by id (UUIDv7: oldest first), keyset
/// on the primary key (`venster_op_id!`), with the bounded count.
pub fn organisaties(
    conn: &mut DbConnection,
    filter: &OrganisatieFilter,
    v: &Venster<String>,
) -> QueryResult<VensterPagina<Organisatie, String>> {
    let bouw = || {
        let mut q = organisaties::table.into_boxed();
        if let Some(s) = filter.soort {
            q = q.filter(organisaties::soort.eq(s.as_ref().to_string()));
        }
        if let Some(code) = &filter.code {
            q = q.filter(organisaties::code.eq(code.clone()));
        }
        if let Some(g) = &filter.gemeente {
            q = q.filter(
                organisaties::id.eq_any(
                    organisatie_gemeenten::table
                        .filter(organisatie_gemeenten::gemeentecode.eq(g.clone()))
                        .select(organisatie_gemeenten::organisatie_id),
                ),
            );
        }
        q
    };
    let rijen: Vec<OrganisatieRij> = crate::venster_op_id!(bouw(), v, organisaties::id)
        .offset(v.overslaan())
        .limit(v.op_te_halen())
        .select(OrganisatieRij::as_select())
        .load(conn)?;
    let telling = crate::telling_op_id!(conn, v, rijen.len(), bouw, organisaties::id)?;
    let pagina = v.pagina(rijen, |r| r.id.clone(), telling);
    let items = met_gemeenten(conn, pagina.rijen)?;
    Ok(crate::venster::Pagina {
        rijen: items,
        volgende: pagina.volgende,
        vorige: pagina.vorige,
        telling: pagina.telling,
    })
}

/// What a contact point is for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ContactpuntRol {
    /// Daily point of contact during office hours.
    DagelijksAanspreekpunt,
    /// Urgent matters, including nights and weekends.
    Spoed,
    /// Where overdue feedback and disputes are escalated.
    Escalatie,
    /// Where meldingen and hand-overs are received.
    Meldingen,
    /// The privacy officer (FG) for data-subject requests and incidents.
    Privacy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contactpunt {
    pub id: Uuid,
    pub organisatie_id: Uuid,
    pub rol: ContactpuntRol,
    pub naam: String,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    pub openingstijden: Option<String>,
    pub altijd_bereikbaar: bool,
    pub aangemaakt_op: DateTime<Utc>,
    pub gewijzigd_op: DateTime<Utc>,
    /// 1 at creation, one up at every change: the `ETag` (`If-Match`, issue 13).
    pub versie: i64,
}

#[derive(Debug, Clone)]
pub struct ContactpuntGegevens {
    pub rol: ContactpuntRol,
    pub naam: String,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    pub openingstijden: Option<String>,
    pub altijd_bereikbaar: bool,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = contactpunten)]
struct ContactpuntRij {
    id: String,
    organisatie_id: String,
    rol: String,
    naam: String,
    telefoon: Option<String>,
    email: Option<String>,
    openingstijden: Option<String>,
    altijd_bereikbaar: bool,
    aangemaakt_op: chrono::NaiveDateTime,
    gewijzigd_op: chrono::NaiveDateTime,
    versie: i64,
}

impl From<ContactpuntRij> for Contactpunt {
    fn from(r: ContactpuntRij) -> Self {
        Contactpunt {
            id: parse_id(&r.id),
            organisatie_id: parse_id(&r.organisatie_id),
            rol: r.rol.parse().expect("contactpunten.rol violates its CHECK"),
            naam: r.naam,
            telefoon: r.telefoon,
            email: r.email,
            openingstijden: r.openingstijden,
            altijd_bereikbaar: r.altijd_bereikbaar,
            aangemaakt_op: from_db(r.aangemaakt_op),
            gewijzigd_op: from_db(r.gewijzigd_op),
            versie: r.versie,
        }
    }
}

pub fn maak_contactpunt(
    conn: &mut DbConnection,
    organisatie_id: Uuid,
    g: ContactpuntGegevens,
) -> Result<Contactpunt, DirectoryFout> {
    let id = ids::new_id();
    let nu = to_db(now_utc());
    diesel::insert_into(contactpunten::table)
        .values((
            contactpunten::id.eq(id.to_string()),
            contactpunten::organisatie_id.eq(organisatie_id.to_string()),
            contactpunten::rol.eq(g.rol.as_ref()),
            contactpunten::naam.eq(&g.naam),
            contactpunten::telefoon.eq(&g.telefoon),
            contactpunten::email.eq(&g.email),
            contactpunten::openingstijden.eq(&g.openingstijden),
            contactpunten::altijd_bereikbaar.eq(g.altijd_bereikbaar),
            contactpunten::aangemaakt_op.eq(nu),
            contactpunten::gewijzigd_op.eq(nu),
            contactpunten::versie.eq(1_i64),
        ))
        .execute(conn)?;
    contactpunt(conn, id)?.ok_or(DirectoryFout::NietGevonden)
}

/// Replace a contact point when `voorwaarde` (`If-Match`) holds for its current version;
/// the version goes one up. The update is conditional on the version it read, so of two
/// concurrent writers with the same `If-Match` one gets the 412.
pub fn wijzig_contactpunt(
    conn: &mut DbConnection,
    id: Uuid,
    g: ContactpuntGegevens,
    voorwaarde: &ketenregie_common::IfMatch,
) -> Result<Contactpunt, DirectoryFout> {
    let huidig = contactpunt(conn, id)?.ok_or(DirectoryFout::NietGevonden)?;
    voorwaarde
        .controleer(huidig.versie, "het contactpunt")
        .map_err(DirectoryFout::VersieConflict)?;
    let n = diesel::update(
        contactpunten::table
            .filter(contactpunten::id.eq(id.to_string()))
            .filter(contactpunten::versie.eq(huidig.versie)),
    )
    .set((
        contactpunten::versie.eq(huidig.versie + 1),
        contactpunten::rol.eq(g.rol.as_ref()),
        contactpunten::naam.eq(&g.naam),
        contactpunten::telefoon.eq(&g.telefoon),
        contactpunten::email.eq(&g.email),
        contactpunten::openingstijden.eq(&g.openingstijden),
        contactpunten::altijd_bereikbaar.eq(g.altijd_bereikbaar),
        contactpunten::gewijzigd_op.eq(to_db(now_utc())),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(DirectoryFout::VersieConflict(format!(
            "het contactpunt is intussen gewijzigd (versie {} is niet meer de huidige); haal het opnieuw op",
            huidig.versie
        )));
    }
    contactpunt(conn, id)?.ok_or(DirectoryFout::NietGevonden)
}

/// Remove a contact point when `voorwaarde` (`If-Match`) holds for its current version.
pub fn verwijder_contactpunt(
    conn: &mut DbConnection,
    id: Uuid,
    voorwaarde: &ketenregie_common::IfMatch,
) -> Result<(), DirectoryFout> {
    let huidig = contactpunt(conn, id)?.ok_or(DirectoryFout::NietGevonden)?;
    voorwaarde
        .controleer(huidig.versie, "het contactpunt")
        .map_err(DirectoryFout::VersieConflict)?;
    let n = diesel::delete(
        contactpunten::table
            .filter(contactpunten::id.eq(id.to_string()))
            .filter(contactpunten::versie.eq(huidig.versie)),
    )
    .execute(conn)?;
    if n == 0 {
        Err(DirectoryFout::NietGevonden)
    } else {
        Ok(())
    }
}

pub fn contactpunt(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Contactpunt>> {
    contactpunten::table
        .filter(contactpunten::id.eq(id.to_string()))
        .select(ContactpuntRij::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Contactpunt::from))
}

/// Filters on the contact directory: "who at Veilig Thuis serves gemeente 0363, and whom
/// do I call at night?" is `gemeente=0363, soort=veilig-thuis, altijdBereikbaar=true`.
#[derive(Debug, Default, Clone)]
pub struct ContactpuntFilter {
    pub organisatie_id: Option<Uuid>,
    pub gemeente: Option<String>,
    pub organisatie_soort: Option<OrganisatieSoort>,
    pub rol: Option<ContactpuntRol>,
    pub altijd_bereikbaar: Option<bool>,
}

/// One page of the contact-point directory under `filter`, by id, keyset on the primary
/// key (`venster_op_id!`), with the bounded count.
pub fn contactpunten(
    conn: &mut DbConnection,
    filter: &ContactpuntFilter,
    v: &Venster<String>,
) -> QueryResult<VensterPagina<Contactpunt, String>> {
    let bouw = || {
        let mut q = contactpunten::table.into_boxed();
        if let Some(o) = filter.organisatie_id {
            q = q.filter(contactpunten::organisatie_id.eq(o.to_string()));
        }
        if let Some(r) = filter.rol {
            q = q.filter(contactpunten::rol.eq(r.as_ref().to_string()));
        }
        if let Some(b) = filter.altijd_bereikbaar {
            q = q.filter(contactpunten::altijd_bereikbaar.eq(b));
        }
        if let Some(s) = filter.organisatie_soort {
            q = q.filter(
                contactpunten::organisatie_id.eq_any(
                    organisaties::table
                        .filter(organisaties::soort.eq(s.as_ref().to_string()))
                        .select(organisaties::id),
                ),
            );
        }
        if let Some(g) = &filter.gemeente {
            q = q.filter(
                contactpunten::organisatie_id.eq_any(
                    organisatie_gemeenten::table
                        .filter(organisatie_gemeenten::gemeentecode.eq(g.clone()))
                        .select(organisatie_gemeenten::organisatie_id),
                ),
            );
        }
        q
    };
    let rijen: Vec<ContactpuntRij> = crate::venster_op_id!(bouw(), v, contactpunten::id)
        .offset(v.overslaan())
        .limit(v.op_te_halen())
        .select(ContactpuntRij::as_select())
        .load(conn)?;
    let telling = crate::telling_op_id!(conn, v, rijen.len(), bouw, contactpunten::id)?;
    Ok(v.pagina(rijen, |r| r.id.clone(), telling)
        .map(Contactpunt::from))
}

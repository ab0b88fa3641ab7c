//! Personen: BSN (optional, elfproef), names, date of birth and address, encrypted at rest
//! as one document; look-up only through the keyed hashes of `identiteit`. One organisation
//! registers a BSN once (`EEN_BSN_PER_ORGANISATIE`): a second registration returns the
//! existing person instead of a copy.
//!
//! Use cases: `registreer` (`POST /personen`) and `lees` (`GET /personen/{id}`); gezag
//! over a child is in `gezag`.

use crate::toegang;
use crate::weergave::PersoonKort;
use crate::{identiteit, invoer};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Bsn, Fout, Gegevenscategorie as C, Validatie, Vertrouwelijkheid, ids};
use ketenregie_privacy::Context;
use ketenregie_privacy::eigen_verklaring::{self, Recordsoort};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::{self, Tekst};
use ketenregie_store::schema::personen;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// An address in the Netherlands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Adres {
    pub straat: String,
    pub huisnummer: String,
    /// `1234AB`.
    pub postcode: String,
    /// CBS municipality code (four digits).
    pub gemeente: String,
}

/// The personal data of a person, as stored (encrypted) and returned.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Persoonsgegevens {
    pub bsn: Option<String>,
    pub voornamen: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    pub adres: Option<Adres>,
}

/// A person as read back, decrypted.
#[derive(Debug, Clone)]
pub struct Persoon {
    pub id: Uuid,
    pub eigenaar: String,
    pub betrokkene: Uuid,
    pub gegevens: Persoonsgegevens,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub aangemaakt_op: DateTime<Utc>,
}

impl Persoon {
    /// "Voornamen Achternaam", as shown to partners.
    pub fn naam(&self) -> String {
        format!("{} {}", self.gegevens.voornamen, self.gegevens.achternaam)
    }
}

/// Input for a new person (`POST /personen`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersoonInvoer {
    /// Nine digits (`^[0-9]{9}$`; pad an eight-digit number with a leading zero) passing
    /// the elfproef (a 422 when it does not). Never put it in a URL: search with
    /// `POST /briefings/_zoek`.
    #[schema(example = "111222333")]
    pub bsn: Option<String>,
    #[schema(required = true, value_type = String, example = "Sanne", max_length = 200)]
    pub voornamen: Option<String>,
    #[schema(required = true, value_type = String, example = "de Vries", max_length = 200)]
    pub achternaam: Option<String>,
    /// Date of birth: `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(required = true, value_type = String, format = Date, example = "2016-05-04")]
    pub geboortedatum: Option<String>,
    pub adres: Option<AdresInvoer>,
    #[schema(value_type = Option<Vertrouwelijkheid>)]
    pub vertrouwelijkheid: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdresInvoer {
    #[schema(required = true, value_type = String, example = "Spui", max_length = 200)]
    pub straat: Option<String>,
    #[schema(required = true, value_type = String, example = "70", max_length = 20)]
    pub huisnummer: Option<String>,
    #[schema(required = true, value_type = String, example = "2511BT")]
    pub postcode: Option<String>,
    #[schema(required = true, value_type = String, example = "0518")]
    pub gemeente: Option<String>,
}

/// A validated new person.
#[derive(Debug, Clone)]
pub struct NieuwePersoon {
    pub bsn: Option<Bsn>,
    pub voornamen: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    pub adres: Option<Adres>,
    pub vertrouwelijkheid: Vertrouwelijkheid,
}

impl AdresInvoer {
    pub fn valideer(&self, v: &mut Validatie, pad: &str) -> Option<Adres> {
        let p = |f: &str| format!("{pad}.{f}");
        let straat = v.tekstregel(&p("straat"), self.straat.as_deref(), 200);
        let huisnummer = v.tekstregel(&p("huisnummer"), self.huisnummer.as_deref(), 20);
        let postcode = match self.postcode.as_deref() {
            None => {
                v.fout(
                    p("postcode"),
                    "required",
                    format!("`{}` is verplicht", p("postcode")),
                );
                None
            }
            s => invoer::postcode(v, &p("postcode"), s),
        };
        let gemeente = match self.gemeente.as_deref() {
            None => {
                v.fout(
                    p("gemeente"),
                    "required",
                    format!("`{}` is verplicht", p("gemeente")),
                );
                None
            }
            s => invoer::gemeentecode(v, &p("gemeente"), s),
        };
        Some(Adres {
            straat: straat?,
            huisnummer: huisnummer?,
            postcode: postcode?,
            gemeente: gemeente?,
        })
    }
}

impl PersoonInvoer {
    /// Validate; `vandaag` bounds the date of birth.
    pub fn valideer(&self, vandaag: NaiveDate) -> Result<NieuwePersoon, Fout> {
        let mut v = Validatie::new();
        let bsn = v.bsn("bsn", self.bsn.as_deref());
        let voornamen = v.tekstregel("voornamen", self.voornamen.as_deref(), 200);
        let achternaam = v.tekstregel("achternaam", self.achternaam.as_deref(), 200);
        let geboortedatum = invoer::verplichte_datum(
            &mut v,
            "geboortedatum",
            self.geboortedatum.as_deref(),
            ketenregie_common::Datumbereik::verleden("een geboortedatum", vandaag),
        );
        let adres = self
            .adres
            .as_ref()
            .and_then(|a| a.valideer(&mut v, "adres"));
        let niveau = invoer::keuze_of(
            &mut v,
            "vertrouwelijkheid",
            self.vertrouwelijkheid.as_deref(),
            Vertrouwelijkheid::STANDAARD,
        );
        v.afronden(|| NieuwePersoon {
            bsn,
            voornamen: voornamen.unwrap_or_default(),
            achternaam: achternaam.unwrap_or_default(),
            geboortedatum: geboortedatum.unwrap_or_default(),
            adres,
            vertrouwelijkheid: niveau.unwrap_or(Vertrouwelijkheid::STANDAARD),
        })
        .map_err(Fout::Ongeldig)
    }
}

/// The municipality codes a person refers to (checked against the reference data).
pub fn gemeenten(p: &NieuwePersoon) -> Vec<String> {
    p.adres.iter().map(|a| a.gemeente.clone()).collect()
}

/// The stored row. Ids stay text here: the command-line tools page through this table by
/// id; `ontsleutel` parses them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = personen)]
pub struct PersoonRij {
    pub id: String,
    pub eigenaar: String,
    pub betrokkene: String,
    pub bsn_hash: Option<String>,
    pub naam_hash: String,
    pub adres_hash: Option<String>,
    pub gegevens: String,
    pub gemeente: Option<String>,
    #[diesel(deserialize_as = Tekst<Vertrouwelijkheid>)]
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub aangemaakt_op: chrono::NaiveDateTime,
    pub gewijzigd_op: chrono::NaiveDateTime,
}

impl PersoonRij {
    pub fn ontsleutel(self, v: &Versleuteling) -> Result<Persoon, diesel::result::Error> {
        let gegevens = v
            .ontsleutel(&self.gegevens)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .ok_or_else(|| {
                diesel::result::Error::DeserializationError(
                    format!(
                        "persoon {} kan niet worden ontsleuteld met de geconfigureerde sleutel",
                        self.id
                    )
                    .into(),
                )
            })?;
        Ok(Persoon {
            id: kolom::rij(kolom::uuid(&self.id))?,
            eigenaar: self.eigenaar,
            betrokkene: kolom::rij(kolom::uuid(&self.betrokkene))?,
            gegevens,
            vertrouwelijkheid: self.vertrouwelijkheid,
            aangemaakt_op: from_db(self.aangemaakt_op),
        })
    }
}

/// `ADRES_SLEUTEL_BIJ_START`: make the address key of every person stored with a key of the
/// old normalisation (no `identiteit::ADRES_SLEUTEL_VERSIE` in front) again, from the
/// address in the person's encrypted data (`identiteit::ADRES_SLEUTEL_NORMALISATIE`), so
/// a person registered before stop 36 is found by the briefing however the house number
/// is written. The key is a keyed hash of the address, so SQL cannot do it; the service
/// runs it at every start-up, after the migrations (`app::start`), like
/// `VERSLEUTEL_BIJ_START`: a key once made again is no longer selected, so after the first
/// run it only checks; a key is replaced only while it still holds what was read. A row
/// whose data cannot be decrypted with the configured key keeps its old key (found only
/// as before; the service logs how many). Returns how many keys were made again, and how
/// many rows could not be read.
pub fn herbereken_adressleutels(
    conn: &mut DbConnection,
    v: &Versleuteling,
) -> QueryResult<(usize, usize)> {
    let mut laatste = String::new();
    let mut gedaan = 0;
    let mut onleesbaar = 0;
    loop {
        let rijen: Vec<(String, Option<String>, String)> = personen::table
            .filter(personen::adres_hash.is_not_null())
            .filter(personen::adres_hash.not_like(format!("{}%", identiteit::ADRES_SLEUTEL_VERSIE)))
            .filter(personen::id.gt(&laatste))
            .order(personen::id)
            .select((personen::id, personen::adres_hash, personen::gegevens))
            .limit(500)
            .load(conn)?;
        let Some((id, ..)) = rijen.last() else {
            return Ok((gedaan, onleesbaar));
        };
        laatste = id.clone();
        for (id, oud, gegevens) in rijen {
            let adres = v
                .ontsleutel(&gegevens)
                .ok()
                .and_then(|s| serde_json::from_str::<Persoonsgegevens>(&s).ok())
                .map(|g| g.adres);
            let Some(adres) = adres else {
                onleesbaar += 1;
                continue;
            };
            let nieuw = adres.map(|a| identiteit::adres_hash(v, &a.postcode, &a.huisnummer));
            gedaan += diesel::update(
                personen::table
                    .filter(personen::id.eq(&id))
                    .filter(personen::adres_hash.eq(oud)),
            )
            .set(personen::adres_hash.eq(nieuw))
            .execute(conn)?;
        }
    }
}

/// The keys a new person is found by, and its row values.
pub struct Versleuteld {
    pub betrokkene: Uuid,
    pub bsn_hash: Option<String>,
    pub naam_hash: String,
    pub adres_hash: Option<String>,
    pub gegevens: String,
}

pub fn versleutel(v: &Versleuteling, p: &NieuwePersoon) -> Versleuteld {
    let gegevens = Persoonsgegevens {
        bsn: p.bsn.as_ref().map(|b| b.expose().to_string()),
        voornamen: p.voornamen.clone(),
        achternaam: p.achternaam.clone(),
        geboortedatum: p.geboortedatum,
        adres: p.adres.clone(),
    };
    Versleuteld {
        betrokkene: identiteit::betrokkene(
            v,
            p.bsn.as_ref(),
            &p.voornamen,
            &p.achternaam,
            p.geboortedatum,
        ),
        bsn_hash: p.bsn.as_ref().map(|b| identiteit::bsn_hash(v, b)),
        naam_hash: identiteit::naam_hash(v, &p.voornamen, &p.achternaam, p.geboortedatum),
        adres_hash: p
            .adres
            .as_ref()
            .map(|a| identiteit::adres_hash(v, &a.postcode, &a.huisnummer)),
        gegevens: v.versleutel(&serde_json::to_string(&gegevens).expect("serialises")),
    }
}

/// The kind of record, as named in a 404.
pub const PERSOON: &str = "persoon";

/// The audit object of person `id` of `eigenaar`.
pub fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "personen",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

/// `POST /personen`: register a person for the caller's organisation, after checking the
/// address's municipality against the reference data. `EEN_BSN_PER_ORGANISATIE`: a BSN
/// the organisation has already is a conflict naming the existing person. Logged as a
/// write of one's own record (`EIGEN_ORGANISATIE`), one processing-log row for the person.
pub fn registreer(
    conn: &mut DbConnection,
    ctx: &Context,
    p: NieuwePersoon,
) -> Result<PersoonKort, Fout> {
    let codes: Vec<(String, String)> = gemeenten(&p)
        .into_iter()
        .map(|c| ("adres.gemeente".to_string(), c))
        .collect();
    ketenregie_store::referentie::bestaande_gemeenten(conn, &codes)?;
    let nieuw = voeg_in(conn, &ctx.versleuteling, &ctx.actor.organisatie, &p, ctx.nu)?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[C::Identificatie],
        object(&nieuw.id.to_string(), &nieuw.eigenaar),
        json!({"persoon": nieuw.id, "bsnBekend": nieuw.gegevens.bsn.is_some()}),
        &[nieuw.betrokkene],
    )?;
    Ok(PersoonKort::van(&nieuw, true, true))
}

/// `GET /personen/{id}`: a person record, another organisation's only as an agreement
/// allows (BSN and address are categories of their own, left out where not covered);
/// outside the caller's view as an unknown id. One processing-log row. With the person's
/// own statements on it (`eigen_verklaring::VERKLARING_BIJ_RECORD`).
pub fn lees(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<PersoonKort, Fout> {
    lees_getoond(conn, ctx, id, |_| true)
}

/// `GET /personen/{id}/eigen-verklaringen` on a person record: the statements `lees`
/// shows with it, as that read (`VERKLARING_LEZEN_ALS_RECORD`: its decision, 404 and
/// logs), logged only when a statement is returned (`LOG_ALLEEN_WAT_GETOOND`: an empty list
/// is the audit row alone, no processing-log row and no disclosure).
pub fn verklaringen(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<eigen_verklaring::EigenVerklaringWeergave>, Fout> {
    Ok(lees_getoond(conn, ctx, id, |k| !k.eigen_verklaringen.is_empty())?.eigen_verklaringen)
}

/// `lees`, the person's data logged as processed when `getoond` says the answer shows
/// them (`LOG_ALLEEN_WAT_GETOOND`), else the audit row alone.
fn lees_getoond(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    getoond: impl FnOnce(&PersoonKort) -> bool,
) -> Result<PersoonKort, Fout> {
    let p = vind(conn, &ctx.versleuteling, id)?.ok_or_else(|| toegang::onbekend(PERSOON))?;
    let t = toegang::lees(
        conn,
        ctx,
        PERSOON,
        &p.eigenaar,
        &[C::Identificatie],
        &[C::Bsn, C::Contactgegevens],
        p.vertrouwelijkheid,
    )?;
    let mut kort = PersoonKort::van(&p, t.mag_zien(C::Bsn), t.mag_zien(C::Contactgegevens));
    kort.eigen_verklaringen = eigen_verklaring::bij_record(
        conn,
        &ctx.versleuteling,
        Recordsoort::Persoon,
        p.id,
        &ctx.actor.organisatie,
        t.max_vertrouwelijkheid(),
    )?;
    let subjecten: &[Uuid] = if getoond(&kort) {
        std::slice::from_ref(&p.betrokkene)
    } else {
        &[]
    };
    logboek::lezing(
        conn,
        ctx,
        &t,
        object(&id.to_string(), &p.eigenaar),
        subjecten,
    )?;
    logboek::verklaringen(conn, ctx, &t, &kort.eigen_verklaringen)?;
    Ok(kort)
}

/// A person of the caller's organisation to write about (the child whose gezag is
/// recorded); another's is refused within the view (`EIGEN_ORGANISATIE`,
/// `EEN_ORGANISATIE_ZICHT`).
pub fn eigen(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Persoon, Fout> {
    let p = vind(conn, &ctx.versleuteling, id)?.ok_or_else(|| toegang::onbekend(PERSOON))?;
    if p.eigenaar != ctx.actor.organisatie {
        return Err(toegang::niet_eigen(
            conn,
            ctx,
            PERSOON,
            &p.eigenaar,
            &[C::Identificatie],
            p.vertrouwelijkheid,
        ));
    }
    Ok(p)
}

/// Store a person for `eigenaar`. `EEN_BSN_PER_ORGANISATIE`: when the organisation has
/// this BSN already, nothing is written and the answer is a conflict with the existing
/// person's path.
pub fn voeg_in(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    p: &NieuwePersoon,
    nu: DateTime<Utc>,
) -> Result<Persoon, Fout> {
    let s = versleutel(v, p);
    if let Some(h) = &s.bsn_hash {
        let bestaand: Option<String> = personen::table
            .filter(personen::eigenaar.eq(eigenaar))
            .filter(personen::bsn_hash.eq(h))
            .select(personen::id)
            .first(conn)
            .optional()?;
        if let Some(bestaand) = bestaand {
            return Err(Fout::Conflict {
                detail:
                    "Deze organisatie heeft een persoon met dit BSN al geregistreerd; gebruik die"
                        .into(),
                huidig: None,
                toegestaan: vec![],
                locatie: Some(format!("/api/v1/personen/{bestaand}")),
            });
        }
    }
    let nieuw_id = ids::new_id();
    diesel::insert_into(personen::table)
        .values((
            personen::id.eq(nieuw_id.to_string()),
            personen::eigenaar.eq(eigenaar),
            personen::betrokkene.eq(s.betrokkene.to_string()),
            personen::bsn_hash.eq(&s.bsn_hash),
            personen::naam_hash.eq(&s.naam_hash),
            personen::adres_hash.eq(&s.adres_hash),
            personen::gegevens.eq(&s.gegevens),
            personen::gemeente.eq(p.adres.as_ref().map(|a| a.gemeente.clone())),
            personen::vertrouwelijkheid.eq(p.vertrouwelijkheid.as_ref()),
            personen::aangemaakt_op.eq(to_db(nu)),
            personen::gewijzigd_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    Ok(Persoon {
        id: nieuw_id,
        eigenaar: eigenaar.to_string(),
        betrokkene: s.betrokkene,
        gegevens: Persoonsgegevens {
            bsn: p.bsn.as_ref().map(|b| b.expose().to_string()),
            voornamen: p.voornamen.clone(),
            achternaam: p.achternaam.clone(),
            geboortedatum: p.geboortedatum,
            adres: p.adres.clone(),
        },
        vertrouwelijkheid: p.vertrouwelijkheid,
        aangemaakt_op: nu,
    })
}

/// One person by id, decrypted.
pub fn vind(conn: &mut DbConnection, v: &Versleuteling, id: Uuid) -> QueryResult<Option<Persoon>> {
    let rij: Option<PersoonRij> = personen::table
        .find(id.to_string())
        .select(PersoonRij::as_select())
        .first(conn)
        .optional()?;
    rij.map(|r| r.ontsleutel(v)).transpose()
}

/// The identities (`betrokkene`) of these persons, nothing decrypted.
pub fn betrokkenen_van(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Uuid>> {
    let rijen: Vec<String> = personen::table
        .filter(personen::id.eq_any(ids))
        .select(personen::betrokkene)
        .load(conn)?;
    Ok(rijen
        .iter()
        .filter_map(|b| Uuid::parse_str(b).ok())
        .collect())
}

/// Several persons by id, decrypted, in no particular order.
pub fn lees_veel(
    conn: &mut DbConnection,
    v: &Versleuteling,
    ids: &[String],
) -> QueryResult<Vec<Persoon>> {
    let mut uit = Vec::with_capacity(ids.len());
    for deel in ids.chunks(500) {
        let rijen: Vec<PersoonRij> = personen::table
            .filter(personen::id.eq_any(deel))
            .select(PersoonRij::as_select())
            .load(conn)?;
        for r in rijen {
            uit.push(r.ontsleutel(v)?);
        }
    }
    Ok(uit)
}

/// Check that every id is a person of `eigenaar`: writes only ever refer to one's own
/// records (a partner's record is reached through the identity, never written to).
/// Returns the invalid ones as named problems.
pub fn eigen_personen(
    conn: &mut DbConnection,
    eigenaar: &str,
    verwijzingen: &[(String, Uuid)],
) -> Result<Vec<PersoonRij>, Fout> {
    let ids: Vec<String> = verwijzingen.iter().map(|(_, i)| i.to_string()).collect();
    let rijen: Vec<PersoonRij> = personen::table
        .filter(personen::id.eq_any(&ids))
        .filter(personen::eigenaar.eq(eigenaar))
        .select(PersoonRij::as_select())
        .load(conn)?;
    let mut v = Validatie::new();
    for (veld, i) in verwijzingen {
        if !rijen.iter().any(|r| r.id == i.to_string()) {
            v.fout(
                veld.clone(),
                "reference",
                format!("`{veld}` noemt geen persoon die uw organisatie registreerde; registreer de persoon eerst met POST /personen"),
            );
        }
    }
    v.afronden(|| rijen).map_err(Fout::Ongeldig)
}

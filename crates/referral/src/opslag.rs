//! Storage of zorgmeldingen, their steps and status. The personal content is encrypted as
//! one document; functions returning it take the privacy `Toestemming`.

use crate::inhoud::Inhoud;
use crate::levenscyclus::TaakStatus;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Actor, Vertrouwelijkheid, ids};
use ketenregie_privacy::Toestemming;
use ketenregie_privacy::logboek::{Bundel, Wijzigingslog};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::herschrijven::Kolom;
use ketenregie_store::kolom::{Tekst, TekstOptie};
use ketenregie_store::schema::{kwaliteitscontrole, zorgmelding_stappen, zorgmeldingen};
use ketenregie_store::venster::{self, Pagina, Telling, Venster};
use serde::Serialize;
use strum::{AsRefStr, Display, EnumString};
use uuid::Uuid;

/// The sender's side of the melding.
// Stored as its kebab-case name (TEXT) and read back as this type (`tekst_kolom!`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Meldingstatus {
    Concept,
    TerControle,
    Verzonden,
    NietRouteerbaar,
}

ketenregie_store::tekst_kolom!(Meldingstatus);

/// A melding without its personal content (lists, state changes). Every column is read
/// as its type: an unknown status, level or id is an error at the row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = zorgmeldingen)]
pub struct Kop {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    pub id: Uuid,
    /// Meldingen split per region share a group (the first one's id).
    #[diesel(deserialize_as = Tekst<Uuid>)]
    pub groep_id: Uuid,
    /// For a hand-over task: the melding it came from.
    #[diesel(deserialize_as = TekstOptie<Uuid>)]
    pub bovenliggend_id: Option<Uuid>,
    pub afzender: String,
    pub ontvanger: Option<String>,
    pub meldingstatus: Meldingstatus,
    pub taakstatus: Option<TaakStatus>,
    pub bedrijfsstatus: Option<String>,
    pub acuut: bool,
    pub gemeenten: String,
    #[diesel(deserialize_as = Tekst<Vertrouwelijkheid>)]
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub versie: i64,
    pub aangemaakt_door: String,
    pub aangemaakt_op: chrono::NaiveDateTime,
    pub ingediend_op: Option<chrono::NaiveDateTime>,
    pub gewijzigd_op: chrono::NaiveDateTime,
}

impl Kop {
    pub fn gemeentecodes(&self) -> Vec<String> {
        self.gemeenten
            .split(';')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
    pub fn gewijzigd(&self) -> DateTime<Utc> {
        from_db(self.gewijzigd_op)
    }
    /// The path of this melding in the API (a `dataref` of its events).
    pub fn pad(&self) -> String {
        pad(self.id)
    }
}

/// The API path of melding `id`.
pub fn pad(id: Uuid) -> String {
    format!("/api/v1/zorgmeldingen/{id}")
}

/// The identity of a data subject is privacy's (`ketenregie_privacy::betrokkene`); kept
/// here under its old path for the melding code.
pub use ketenregie_privacy::betrokkene::{betrokkene, betrokkene_met};

/// Every data subject of a melding.
pub fn betrokkenen(v: &Versleuteling, i: &Inhoud) -> Vec<Uuid> {
    betrokkenen_met(v, i, ketenregie_privacy::versleuteling::naam_sleutel)
}

/// `betrokkenen` with another name key (see `betrokkene_met`), in the same order.
pub fn betrokkenen_met(
    v: &Versleuteling,
    i: &Inhoud,
    normaliseer: ketenregie_privacy::betrokkene::NaamSleutel,
) -> Vec<Uuid> {
    let mut uit: Vec<Uuid> = i
        .kinderen
        .iter()
        .map(|k| {
            betrokkene_met(
                v,
                k.bsn.as_deref(),
                &k.voornaam,
                &k.achternaam,
                k.geboortedatum,
                normaliseer,
            )
        })
        .collect();
    uit.extend(i.ouders.iter().map(|o| {
        betrokkene_met(
            v,
            o.bsn.as_deref(),
            &o.voornaam,
            &o.achternaam,
            None,
            normaliseer,
        )
    }));
    uit
}

#[allow(clippy::too_many_arguments)]
pub fn maak(
    conn: &mut DbConnection,
    t: &Toestemming,
    v: &Versleuteling,
    actor: &Actor,
    groep: Option<Uuid>,
    bovenliggend: Option<Uuid>,
    ontvanger: Option<&str>,
    status: Meldingstatus,
    taak: Option<TaakStatus>,
    inhoud: &Inhoud,
    niveau: Vertrouwelijkheid,
    afzender: &str,
    nu: DateTime<Utc>,
) -> QueryResult<Kop> {
    let n = nieuw(
        t,
        v,
        actor,
        groep,
        bovenliggend,
        ontvanger,
        status,
        taak,
        inhoud,
        niveau,
        afzender,
        nu,
    );
    n.schrijf(conn)?;
    Ok(n.kop)
}

/// A new melding's rows (`nieuw`), built but not yet written: the header and its
/// identities (`zet_betrokkenen`'s index); `kop` is the header as it will be stored.
pub struct Nieuw {
    pub kop: Kop,
    melding: MeldingInvoeg,
    betrokkenen: Vec<BetrokkeneInvoeg>,
}

#[derive(Insertable)]
#[diesel(table_name = zorgmeldingen, treat_none_as_default_value = false)]
struct MeldingInvoeg {
    id: String,
    groep_id: String,
    bovenliggend_id: Option<String>,
    afzender: String,
    ontvanger: Option<String>,
    meldingstatus: Meldingstatus,
    taakstatus: Option<TaakStatus>,
    acuut: bool,
    gemeenten: String,
    inhoud: String,
    vertrouwelijkheid: String,
    versie: i64,
    aangemaakt_door: String,
    aangemaakt_op: chrono::NaiveDateTime,
    ingediend_op: Option<chrono::NaiveDateTime>,
    gewijzigd_op: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = ketenregie_store::schema::zorgmelding_betrokkenen, treat_none_as_default_value = false)]
struct BetrokkeneInvoeg {
    zorgmelding_id: String,
    betrokkene: String,
    kind: Option<bool>,
}

/// The rows `maak` writes, built in memory (the content encrypted, the identities keyed
/// hashes): write them with `Nieuw::schrijf`, or, on PostgreSQL, in one statement with a
/// change's other rows (`Nieuw::voeg_aan`, `schrijf_gebundeld`).
#[allow(clippy::too_many_arguments)]
pub fn nieuw(
    _t: &Toestemming,
    v: &Versleuteling,
    actor: &Actor,
    groep: Option<Uuid>,
    bovenliggend: Option<Uuid>,
    ontvanger: Option<&str>,
    status: Meldingstatus,
    taak: Option<TaakStatus>,
    inhoud: &Inhoud,
    niveau: Vertrouwelijkheid,
    afzender: &str,
    nu: DateTime<Utc>,
) -> Nieuw {
    let id = ids::new_id();
    let nu_db = to_db(nu);
    let gemeenten = inhoud.gemeenten().join(";");
    let melding = MeldingInvoeg {
        id: id.to_string(),
        groep_id: groep.unwrap_or(id).to_string(),
        bovenliggend_id: bovenliggend.map(|b| b.to_string()),
        afzender: afzender.to_string(),
        ontvanger: ontvanger.map(str::to_string),
        meldingstatus: status,
        taakstatus: taak,
        acuut: inhoud.acuut,
        gemeenten: gemeenten.clone(),
        inhoud: v.versleutel(&serde_json::to_string(inhoud).expect("serialises")),
        vertrouwelijkheid: niveau.as_ref().to_string(),
        versie: 1,
        aangemaakt_door: actor.gebruiker.clone(),
        aangemaakt_op: nu_db,
        ingediend_op: taak.map(|_| nu_db),
        gewijzigd_op: nu_db,
    };
    // The header as it will be written (every column above; `bedrijfsstatus` starts
    // empty), not read back: one round trip less per filing.
    let kop = Kop {
        id,
        groep_id: groep.unwrap_or(id),
        bovenliggend_id: bovenliggend,
        afzender: afzender.to_string(),
        ontvanger: ontvanger.map(str::to_string),
        meldingstatus: status,
        taakstatus: taak,
        bedrijfsstatus: None,
        acuut: inhoud.acuut,
        gemeenten,
        vertrouwelijkheid: niveau,
        versie: 1,
        aangemaakt_door: actor.gebruiker.clone(),
        aangemaakt_op: nu_db,
        ingediend_op: taak.map(|_| nu_db),
        gewijzigd_op: nu_db,
    };
    Nieuw {
        kop,
        melding,
        betrokkenen: betrokkenen_rijen(v, &id.to_string(), inhoud),
    }
}

impl Nieuw {
    /// Write the header, then its identities (one multi-row insert), as two statements.
    pub fn schrijf(&self, conn: &mut DbConnection) -> QueryResult<()> {
        diesel::insert_into(zorgmeldingen::table)
            .values(&self.melding)
            .execute(conn)?;
        voeg_betrokkenen_in(conn, &self.betrokkenen)
    }

    /// Add the header's and the identities' inserts to `bundel` (PostgreSQL).
    pub fn voeg_aan<'a>(&'a self, bundel: &mut Bundel<'a>) {
        use ketenregie_store::schema::zorgmelding_betrokkenen as zb;
        bundel.voeg(diesel::insert_into(zorgmeldingen::table).values(&self.melding));
        if !self.betrokkenen.is_empty() {
            bundel.voeg(diesel::insert_into(zb::table).values(&self.betrokkenen));
        }
    }
}

/// Write a new melding (`nieuw`), its first step (`stap_rij`) and the change's log rows
/// (`logboek::Wijzigingslog`) in the caller's transaction: on PostgreSQL as one statement
/// (`Bundel`: one round trip instead of five), on SQLite as separate statements. Returns
/// the header as written.
pub fn schrijf_gebundeld(
    conn: &mut DbConnection,
    n: Nieuw,
    stap: StapInvoeg,
    log: Wijzigingslog,
) -> QueryResult<Kop> {
    match conn {
        DbConnection::Pg(c) if log.past_in_bundel() => {
            let mut bundel = Bundel::new();
            n.voeg_aan(&mut bundel);
            bundel.voeg(diesel::insert_into(zorgmelding_stappen::table).values(&stap));
            log.voeg_aan(&mut bundel);
            bundel.voer_uit(c)?;
        }
        _ => {
            n.schrijf(conn)?;
            diesel::insert_into(zorgmelding_stappen::table)
                .values(&stap)
                .execute(conn)?;
            log.schrijf(conn)?;
        }
    }
    Ok(n.kop)
}

/// Index the identities in a melding (keyed-hash derived, nothing readable) so the case
/// registry's briefing can list open meldingen about a family without decrypting any, and
/// the pilot dashboard can count repeat meldingen about the same child (`kind`: the
/// children first in `betrokkenen`, then the parents; one identity that is both is
/// marked a child). Also used to re-derive the index (`ketenregie sleutels herbereken`),
/// hence the id as stored (TEXT).
pub fn zet_betrokkenen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    id: &str,
    i: &Inhoud,
) -> QueryResult<()> {
    use ketenregie_store::schema::zorgmelding_betrokkenen as zb;
    diesel::delete(zb::table.filter(zb::zorgmelding_id.eq(id))).execute(conn)?;
    voeg_betrokkenen_in(conn, &betrokkenen_rijen(v, id, i))
}

/// The identity index rows of melding `id` (`zet_betrokkenen`): each identity once, a
/// child before a parent.
fn betrokkenen_rijen(v: &Versleuteling, id: &str, i: &Inhoud) -> Vec<BetrokkeneInvoeg> {
    let kinderen = i.kinderen.len();
    let mut ids: Vec<(String, bool)> = betrokkenen(v, i)
        .iter()
        .enumerate()
        .map(|(n, b)| (b.to_string(), n < kinderen))
        .collect();
    // Each identity once; a child before a parent.
    ids.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    ids.dedup_by(|a, b| a.0 == b.0);
    ids.into_iter()
        .map(|(b, kind)| BetrokkeneInvoeg {
            zorgmelding_id: id.to_string(),
            betrokkene: b,
            kind: Some(kind),
        })
        .collect()
}

/// `zet_betrokkenen` for a melding that has none yet (just created): the identities in
/// one multi-row insert.
fn voeg_betrokkenen_in(conn: &mut DbConnection, rijen: &[BetrokkeneInvoeg]) -> QueryResult<()> {
    use ketenregie_store::schema::zorgmelding_betrokkenen as zb;
    // 3 columns a row, in parts under both backends' bind limit (`schrijver::MAX_BINDS`):
    // a melding may name thousands of children (the hostile review of h18: 12,000 made
    // SQLite refuse the statement, "too many SQL variables").
    for deel in rijen.chunks(ketenregie_privacy::logboek::schrijver::MAX_BINDS / 3) {
        match conn {
            DbConnection::Pg(c) => diesel::insert_into(zb::table).values(deel).execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(zb::table).values(deel).execute(c)?,
        };
    }
    Ok(())
}

/// The data subjects of melding `id` as indexed (`zet_betrokkenen`): sorted, each once,
/// read without decrypting the content. One processing-log row each.
pub fn onderwerpen(conn: &mut DbConnection, id: Uuid) -> QueryResult<Vec<Uuid>> {
    use ketenregie_store::schema::zorgmelding_betrokkenen as zb;
    zb::table
        .filter(zb::zorgmelding_id.eq(id.to_string()))
        .order(zb::betrokkene)
        .select(zb::betrokkene)
        .load::<Tekst<Uuid>>(conn)
        .map(|v| v.into_iter().map(|t| t.0).collect())
}

pub fn kop(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Kop>> {
    zorgmeldingen::table
        .find(id.to_string())
        .select(Kop::as_select())
        .first(conn)
        .optional()
}

/// A melding's content as stored (AES-GCM ciphertext): readable only through `ontsleutel`,
/// which takes a permission.
#[derive(Debug, Clone)]
pub struct Versleuteld(String);

/// The header and the stored, still encrypted, content of melding `id` in one statement
/// (the read path: one round trip less than `kop` then `inhoud`). The content is
/// decrypted only after the decision, by `ontsleutel`.
pub fn kop_met_inhoud(
    conn: &mut DbConnection,
    id: Uuid,
) -> QueryResult<Option<(Kop, Versleuteld)>> {
    zorgmeldingen::table
        .find(id.to_string())
        .select((Kop::as_select(), zorgmeldingen::inhoud))
        .first::<(Kop, String)>(conn)
        .optional()
        .map(|r| r.map(|(k, c)| (k, Versleuteld(c))))
}

/// What the logged read of one melding needs (`melding::lees`), read in one statement
/// (`lezing`): its header, its content still encrypted, its feedback duties (as
/// `termijnen::van_melding`: by `verschuldigd_op`) and the statements on it still
/// encrypted (as `Verklaringen::lees`: by `aangemaakt_op`, then id; every kind of record
/// with this id, `Verklaringen::voor` picks the melding's).
#[derive(Debug)]
pub struct Gelezen {
    pub kop: Kop,
    pub inhoud: Versleuteld,
    pub termijnen: Vec<crate::termijnen::Termijn>,
    pub verklaringen: Vec<ketenregie_privacy::eigen_verklaring::Rij>,
    /// The version stamp of the decision's inputs (`stamgegevens_versie`, `None`: no
    /// stamp row), read by the same statement, in the same snapshot as the melding: the
    /// request's stamp (`Stamgegevens::stand_bij`), so the decision and the
    /// authentication's confirmation (`api::auth::bevestig`) need no statement of their
    /// own (issue 17: "a version stamp read in the request's one query").
    pub stempel: Option<i64>,
}

/// `Gelezen` for melding `id`, `None` if unknown: one statement, the header left-joined
/// to its duties and its statements (issue 17: fewer round trips for the logged read;
/// before, three statements). The join repeats the header once per (duty, statement)
/// pair; a melding has a few duties and seldom a statement, so the repeats are few, and
/// they are dropped here by id (the order of first appearance is the order asked for,
/// because the rows are sorted by duty first and by statement within each duty).
/// Nothing is decrypted here: that waits for the decision.
pub fn lezing(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Gelezen>> {
    use ketenregie_privacy::eigen_verklaring::Rij;
    use ketenregie_store::schema::{eigen_verklaringen, termijnen};
    let rijen = zorgmeldingen::table
        .left_join(termijnen::table)
        .left_join(
            eigen_verklaringen::table.on(eigen_verklaringen::object_id.eq(zorgmeldingen::id)),
        )
        .filter(zorgmeldingen::id.eq(id.to_string()))
        .order((
            termijnen::verschuldigd_op,
            termijnen::id,
            eigen_verklaringen::aangemaakt_op,
            eigen_verklaringen::id,
        ))
        .select((
            Kop::as_select(),
            zorgmeldingen::inhoud,
            Option::<crate::termijnen::Termijn>::as_select(),
            Option::<Rij>::as_select(),
            ketenregie_store::directory::stempel(),
        ))
        .load::<(
            Kop,
            String,
            Option<crate::termijnen::Termijn>,
            Option<Rij>,
            Option<i64>,
        )>(conn)?;
    let mut rijen = rijen.into_iter();
    let Some((kop, inhoud, t, v, stempel)) = rijen.next() else {
        return Ok(None);
    };
    let mut g = Gelezen {
        kop,
        inhoud: Versleuteld(inhoud),
        termijnen: t.into_iter().collect(),
        verklaringen: v.into_iter().collect(),
        stempel,
    };
    for (_, _, t, v, _) in rijen {
        if let Some(t) = t
            && !g.termijnen.iter().any(|x| x.id == t.id)
        {
            g.termijnen.push(t);
        }
        if let Some(v) = v
            && !g.verklaringen.iter().any(|x| x.id() == v.id())
        {
            g.verklaringen.push(v);
        }
    }
    Ok(Some(g))
}

/// The content of `kop_met_inhoud`, decrypted. Only with a permission.
pub fn ontsleutel(_t: &Toestemming, v: &Versleuteling, c: &Versleuteld) -> QueryResult<Inhoud> {
    ontsleutel_tekst(v, &c.0)
}

fn ontsleutel_tekst(v: &Versleuteling, versleuteld: &str) -> QueryResult<Inhoud> {
    let tekst = v
        .ontsleutel(versleuteld)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    serde_json::from_str(&tekst)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

/// The decrypted content. Only with a permission.
pub fn inhoud(
    conn: &mut DbConnection,
    _t: &Toestemming,
    v: &Versleuteling,
    id: Uuid,
) -> QueryResult<Inhoud> {
    ontsleutel_inhoud(conn, v, id)
}

/// The decrypted content, for the crate's own readers that run under a decision taken
/// elsewhere: the inzage report (`crate::inzage`, decided for purpose `inzage` by
/// `ketenregie_privacy::verantwoording::inzage`).
pub(crate) fn ontsleutel_inhoud(
    conn: &mut DbConnection,
    v: &Versleuteling,
    id: Uuid,
) -> QueryResult<Inhoud> {
    let versleuteld: String = zorgmeldingen::table
        .find(id.to_string())
        .select(zorgmeldingen::inhoud)
        .first(conn)?;
    ontsleutel_tekst(v, &versleuteld)
}

pub fn vervang_inhoud(
    conn: &mut DbConnection,
    _t: &Toestemming,
    v: &Versleuteling,
    id: Uuid,
    i: &Inhoud,
    niveau: Vertrouwelijkheid,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(zorgmeldingen::table.find(id.to_string()))
        .set((
            zorgmeldingen::inhoud.eq(v.versleutel(&serde_json::to_string(i).expect("serialises"))),
            zorgmeldingen::acuut.eq(i.acuut),
            zorgmeldingen::gemeenten.eq(i.gemeenten().join(";")),
            zorgmeldingen::vertrouwelijkheid.eq(niveau.as_ref()),
            zorgmeldingen::versie.eq(zorgmeldingen::versie + 1),
            zorgmeldingen::gewijzigd_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    zet_betrokkenen(conn, v, &id.to_string(), i)
}

/// Take concept `id` at version `versie` for its removal (`melding::verwijder_concept`):
/// its version moves on, so a concurrent change or submission of the version read loses
/// (or waits for this transaction, on PostgreSQL). False when it is no longer a concept
/// at that version.
pub fn neem_concept(conn: &mut DbConnection, id: Uuid, versie: i64) -> QueryResult<bool> {
    let n = diesel::update(
        zorgmeldingen::table
            .find(id.to_string())
            .filter(zorgmeldingen::versie.eq(versie))
            .filter(zorgmeldingen::meldingstatus.eq(Meldingstatus::Concept)),
    )
    .set(zorgmeldingen::versie.eq(versie + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// Change status fields; only when the version is still `versie` (optimistic
/// concurrency). Returns false when someone else changed it first.
#[allow(clippy::too_many_arguments)]
pub fn zet_status(
    conn: &mut DbConnection,
    id: Uuid,
    versie: i64,
    melding: Option<Meldingstatus>,
    taak: Option<TaakStatus>,
    bedrijfsstatus: Option<&str>,
    ontvanger: Option<&str>,
    nu: DateTime<Utc>,
) -> QueryResult<bool> {
    let id = id.to_string();
    let id = id.as_str();
    let n = diesel::update(
        zorgmeldingen::table
            .find(id)
            .filter(zorgmeldingen::versie.eq(versie)),
    )
    .set((
        zorgmeldingen::versie.eq(versie + 1),
        zorgmeldingen::gewijzigd_op.eq(to_db(nu)),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    if let Some(m) = melding {
        diesel::update(zorgmeldingen::table.find(id))
            .set(zorgmeldingen::meldingstatus.eq(m))
            .execute(conn)?;
    }
    if let Some(t) = taak {
        diesel::update(zorgmeldingen::table.find(id))
            .set(zorgmeldingen::taakstatus.eq(t))
            .execute(conn)?;
        diesel::update(
            zorgmeldingen::table
                .find(id)
                .filter(zorgmeldingen::ingediend_op.is_null()),
        )
        .set(zorgmeldingen::ingediend_op.eq(Some(to_db(nu))))
        .execute(conn)?;
    }
    if let Some(b) = bedrijfsstatus {
        diesel::update(zorgmeldingen::table.find(id))
            .set(zorgmeldingen::bedrijfsstatus.eq(b))
            .execute(conn)?;
    }
    if let Some(o) = ontvanger {
        diesel::update(zorgmeldingen::table.find(id))
            .set(zorgmeldingen::ontvanger.eq(o))
            .execute(conn)?;
    }
    Ok(true)
}

/// The step columns kept encrypted (`VERSLEUTEL_BIJ_START` encrypts what an older
/// version wrote in plain text).
pub const STAPPEN_VERSLEUTELD: [Kolom; 2] = [
    Kolom {
        tabel: "zorgmelding_stappen",
        sleutel: "id",
        kolom: "reden",
    },
    Kolom {
        tabel: "zorgmelding_stappen",
        sleutel: "id",
        kolom: "gegevens",
    },
];

/// One step in a melding's history: who, on behalf of which organisation, when. `reden`
/// and `gegevens` are free text and details users fill with case content: stored AES-GCM
/// encrypted (issue 11 point 5), and as read here, decrypted (`stappen`).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = zorgmelding_stappen)]
pub struct Stap {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    pub id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    pub zorgmelding_id: Uuid,
    pub stap: String,
    pub van_status: Option<String>,
    pub naar_status: Option<String>,
    pub reden: Option<String>,
    pub gegevens: Option<String>,
    pub gebruiker: String,
    pub gebruiker_naam: String,
    pub organisatie: String,
    pub tijdstip: chrono::NaiveDateTime,
}

/// Record a step; its reason and details are encrypted with `v`.
#[allow(clippy::too_many_arguments)]
pub fn stap(
    conn: &mut DbConnection,
    v: &Versleuteling,
    id: Uuid,
    actor: &Actor,
    stap: &str,
    van: Option<String>,
    naar: Option<String>,
    reden: Option<&str>,
    gegevens: Option<serde_json::Value>,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(zorgmelding_stappen::table)
        .values(stap_rij(v, id, actor, stap, van, naar, reden, gegevens, nu))
        .execute(conn)
        .map(|_| ())
}

/// One step's row as `stap` inserts it (reason and details encrypted), for
/// `schrijf_gebundeld`.
#[derive(Insertable)]
#[diesel(table_name = zorgmelding_stappen, treat_none_as_default_value = false)]
pub struct StapInvoeg {
    id: String,
    zorgmelding_id: String,
    stap: String,
    van_status: Option<String>,
    naar_status: Option<String>,
    reden: Option<String>,
    gegevens: Option<String>,
    gebruiker: String,
    gebruiker_naam: String,
    organisatie: String,
    tijdstip: chrono::NaiveDateTime,
}

/// The row of `stap` (same arguments), not yet written.
#[allow(clippy::too_many_arguments)]
pub fn stap_rij(
    v: &Versleuteling,
    id: Uuid,
    actor: &Actor,
    stap: &str,
    van: Option<String>,
    naar: Option<String>,
    reden: Option<&str>,
    gegevens: Option<serde_json::Value>,
    nu: DateTime<Utc>,
) -> StapInvoeg {
    StapInvoeg {
        id: ids::new_id().to_string(),
        zorgmelding_id: id.to_string(),
        stap: stap.to_string(),
        van_status: van,
        naar_status: naar,
        reden: v.versleutel_optie(reden),
        gegevens: v.versleutel_optie(gegevens.map(|g| g.to_string()).as_deref()),
        gebruiker: actor.gebruiker.clone(),
        gebruiker_naam: actor.weergavenaam.clone(),
        organisatie: actor.organisatie.clone(),
        tijdstip: to_db(nu),
    }
}

/// The steps by which a melding is drafted and offered for the quality check: made,
/// changed, submitted (`ter-controle`). `KWALITEITSCONTROLE_VIER_OGEN` reads them.
pub const OPSTELSTAPPEN: [&str; 3] = ["aangemaakt", "gewijzigd", "ter-controle"];

/// Did `actor` (its user, `sub`, within its organisation) draft, change or submit melding
/// `k` (`KWALITEITSCONTROLE_VIER_OGEN`)? Its creator (`aangemaakt_door`) or any step of
/// `OPSTELSTAPPEN` under its user. The step's user and organisation are stored in plain
/// text (only a step's reason and details are encrypted): one indexed count, nothing
/// decrypted.
pub fn opgesteld_door(conn: &mut DbConnection, k: &Kop, actor: &Actor) -> QueryResult<bool> {
    if k.aangemaakt_door == actor.gebruiker && k.afzender == actor.organisatie {
        return Ok(true);
    }
    let n: i64 = zorgmelding_stappen::table
        .filter(zorgmelding_stappen::zorgmelding_id.eq(k.id.to_string()))
        .filter(zorgmelding_stappen::gebruiker.eq(&actor.gebruiker))
        .filter(zorgmelding_stappen::organisatie.eq(&actor.organisatie))
        .filter(zorgmelding_stappen::stap.eq_any(OPSTELSTAPPEN))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The steps of melding `id`, oldest first, their reason and details decrypted (a step
/// stored in plain text before they were encrypted is read as it is).
pub fn stappen(conn: &mut DbConnection, v: &Versleuteling, id: Uuid) -> QueryResult<Vec<Stap>> {
    zorgmelding_stappen::table
        .filter(zorgmelding_stappen::zorgmelding_id.eq(id.to_string()))
        .order((zorgmelding_stappen::tijdstip, zorgmelding_stappen::id))
        .select(Stap::as_select())
        .load::<Stap>(conn)?
        .into_iter()
        .map(|mut s| {
            s.reden = v.lees_kolom_optie(s.reden.as_deref())?;
            s.gegevens = v.lees_kolom_optie(s.gegevens.as_deref())?;
            Ok(s)
        })
        .collect()
}

/// Filters on the inbox/outbox.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub organisatie: String,
    /// `Some(true)`: only received; `Some(false)`: only sent; `None`: both.
    pub ontvangen: Option<bool>,
    pub taakstatus: Option<TaakStatus>,
    pub meldingstatus: Option<Meldingstatus>,
    pub van: Option<DateTime<Utc>>,
    pub tot: Option<DateTime<Utc>>,
    pub gemeente: Option<String>,
    pub gewijzigd_sinds: Option<DateTime<Utc>>,
}

/// The sort key of the inbox and outbox: last changed first, then id (both descending),
/// the columns of the `(ontvanger|afzender, gewijzigd_op, id)` indexes.
pub type MeldingSleutel = (chrono::NaiveDateTime, Uuid);

/// The cursor list name of the inbox and outbox (`store::venster::Cursor`).
pub const LIJST: &str = "zorgmeldingen";

/// The key of a row in the inbox order.
pub fn sleutel(k: &Kop) -> MeldingSleutel {
    (k.gewijzigd_op, k.id)
}

/// Rows under filter `f`, at most `limit` after skipping `offset` (last changed first), and
/// the bounded count (`store::venster::Telling`: exact up to 1,000). Kept for callers that
/// read a whole short list (the werkplek, a melding's hand-over tasks).
pub fn lijst(
    conn: &mut DbConnection,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Kop>, i64)> {
    let v = Venster {
        cursor: None,
        offset,
        limiet: limit,
    };
    let p = pagina(conn, f, &v)?;
    Ok((p.rijen, p.telling.aantal))
}

/// One page of the inbox/outbox under filter `f` (keyset pagination, issue 17 point 5):
/// `limiet + 1` rows read on the `(ontvanger|afzender, gewijzigd_op, id)` index after (or
/// before) the cursor's key, so a page costs the same whatever the history holds; the count
/// bounded at `venster::TELLING_MAX` (`Telling::begrensd`). The order is by last change,
/// so a melding changed while a client pages moves to the front (it is seen again there,
/// or not at all if it moved from a page not yet read to one already read); a melding
/// added meanwhile shifts no page.
///
/// Both directions at once (`ontvangen: None`) read a page from each side on its own
/// index (`limiet + 1` rows after the key, or `offset + limiet + 1` with `page`) and merge
/// them: an `ontvanger = o OR afzender = o` query would sort every row of both sides.
pub fn pagina(
    conn: &mut DbConnection,
    f: &Filter,
    v: &Venster<MeldingSleutel>,
) -> QueryResult<Pagina<Kop, MeldingSleutel>> {
    let Some(ontvangen) = f.ontvangen else {
        let zijde = |ontvangen| Filter {
            ontvangen: Some(ontvangen),
            ..f.clone()
        };
        let ruim = Venster {
            cursor: v.cursor.clone(),
            offset: 0,
            limiet: v.overslaan() + v.limiet,
        };
        let (a, b) = (
            een_kant(conn, &zijde(true), &ruim)?,
            een_kant(conn, &zijde(false), &ruim)?,
        );
        let mut rijen: Vec<Kop> = a.0.into_iter().chain(b.0).collect();
        // The query order: newest first forward, oldest first backward.
        rijen.sort_by_key(|k| std::cmp::Reverse(sleutel(k)));
        if v.achteruit() {
            rijen.reverse();
        }
        rijen.dedup_by_key(|k| k.id);
        let rijen: Vec<Kop> = rijen
            .into_iter()
            .skip(v.overslaan() as usize)
            .take(v.op_te_halen() as usize)
            .collect();
        let telling = match venster::volledig(v, rijen.len()) {
            Some(n) => Telling::exact(n as i64),
            None => {
                let (ta, tb) = (a.1, b.1);
                let som = ta.aantal + tb.aantal;
                if ta.exact && tb.exact && som <= venster::TELLING_MAX {
                    Telling::exact(som)
                } else {
                    Telling::begrens(som.max(venster::TELLING_MAX + 1))
                }
            }
        };
        return Ok(v.pagina(rijen, sleutel, telling));
    };
    let (rijen, telling) = een_kant(
        conn,
        &Filter {
            ontvangen: Some(ontvangen),
            ..f.clone()
        },
        v,
    )?;
    Ok(v.pagina(rijen, sleutel, telling))
}

/// The rows of one side (inbox or outbox, `f.ontvangen` set) in the query order, at most
/// `v.op_te_halen()` after skipping `v.overslaan()`, and that side's bounded count.
fn een_kant(
    conn: &mut DbConnection,
    f: &Filter,
    v: &Venster<MeldingSleutel>,
) -> QueryResult<(Vec<Kop>, Telling)> {
    use zorgmeldingen::{gewijzigd_op as gewijzigd, id};
    let bouw = || {
        let org = f.organisatie.clone();
        let mut q = zorgmeldingen::table.into_boxed();
        q = if f.ontvangen == Some(true) {
            q.filter(zorgmeldingen::ontvanger.eq(org))
        } else {
            q.filter(zorgmeldingen::afzender.eq(org))
        };
        // `ontvanger` is set only when a melding is sent (together with its task status),
        // so a receiver never sees a draft, and the plain equality keeps the inbox count and
        // page on the (ontvanger, gewijzigd_op, id) index.
        if let Some(s) = f.taakstatus {
            q = q.filter(zorgmeldingen::taakstatus.eq(s));
        }
        if let Some(s) = f.meldingstatus {
            q = q.filter(zorgmeldingen::meldingstatus.eq(s));
        }
        if let Some(v) = f.van {
            q = q.filter(zorgmeldingen::aangemaakt_op.ge(to_db(v)));
        }
        if let Some(t) = f.tot {
            q = q.filter(zorgmeldingen::aangemaakt_op.lt(to_db(t)));
        }
        if let Some(g) = &f.gemeente {
            q = q.filter(zorgmeldingen::gemeenten.like(format!("%{g}%")));
        }
        if let Some(s) = f.gewijzigd_sinds {
            q = q.filter(zorgmeldingen::gewijzigd_op.gt(to_db(s)));
        }
        q
    };
    let rijen: Vec<Kop> = ketenregie_store::venster_aflopend!(bouw(), v, gewijzigd, id)
        .offset(v.overslaan())
        .limit(v.op_te_halen())
        .select(Kop::as_select())
        .load(conn)?;
    let telling = ketenregie_store::telling_aflopend!(conn, v, rijen.len(), bouw, gewijzigd, id)?;
    Ok((rijen, telling))
}

/// Whether the organisation has its zorgmeldingen checked before they are sent.
pub fn kwaliteitscontrole_verplicht(
    conn: &mut DbConnection,
    organisatie: &str,
) -> QueryResult<bool> {
    Ok(kwaliteitscontrole::table
        .find(organisatie)
        .select(kwaliteitscontrole::verplicht)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

pub fn zet_kwaliteitscontrole(
    conn: &mut DbConnection,
    organisatie: &str,
    verplicht: bool,
) -> QueryResult<()> {
    diesel::delete(kwaliteitscontrole::table.find(organisatie)).execute(conn)?;
    diesel::insert_into(kwaliteitscontrole::table)
        .values((
            kwaliteitscontrole::organisatie.eq(organisatie),
            kwaliteitscontrole::verplicht.eq(verplicht),
        ))
        .execute(conn)
        .map(|_| ())
}

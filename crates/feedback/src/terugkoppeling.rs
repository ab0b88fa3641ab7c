//! Terugkoppelingen (DOMAIN.md §3 flow 3): what the receiver of a melding or hand-over
//! task tells the sender. The moment, whether a follow-up route started, who took over
//! (organisation and contact), the safety conditions and monitoring agreements only when
//! the reporter has a role in them, and free text. Each item carries its provenance and
//! meets the matching duty (`referral::termijnen`): interim feedback never closes the
//! loop, a final outcome does and closes every duty still open.
//!
//! The texts and the contact are encrypted at rest as one document, like a melding's
//! content. Every read and write passes the privacy decision (purpose `terugkoppeling`)
//! and writes both logs in the caller's transaction (one processing-log row per data
//! subject of the melding); a notification to the sender is queued in the same
//! transaction.
//!
//! Use cases: `geef` and `lijst`, each `(conn, ctx, input) -> Result<_, Fout>`. Rules:
//! - `EEN_ORGANISATIE_ZICHT`: a melding the caller's organisation is no party of is
//!   answered as unknown (`ketenregie_referral::partij`);
//! - `ONTVANGER_KOPPELT_TERUG`: only the receiver of a sent melding or hand-over task gives
//!   feedback (Wet verplichte meldcode: Veilig Thuis tells the reporter; DOMAIN.md §3
//!   flow 3);
//! - `PARTIJEN_LEZEN_TERUGKOPPELING`: its receiver, whoever is owed the feedback and the
//!   melding's sender read it;
//! - `TERUGKOPPELING_VOLGT_BEHANDELING`: a moment is fed back once the handling has
//!   reached it (`moment_past_bij`);
//! - `STROOM_BINNEN_CONVENANT` (`ketenregie_privacy::zicht`): feedback is given only when
//!   the receiver and whoever is owed it are both parties of an agreement in force
//!   (`Convenant::is_partij` for both; the other's read is its own decision): a receiver that left
//!   the agreement gives no feedback and meets no duty (403, nothing written); the duty
//!   stays open and is chased as any unmet duty (ARCHITECTURE.md, "Outside testers, fourth
//!   round (stop 36)").

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Actie, Doel, Fout, Gegevenscategorie, Validatie, ids};
use ketenregie_privacy::convenant::Terugkoppelmoment;
use ketenregie_privacy::eigen_verklaring::{EigenVerklaringWeergave, Recordsoort, Verklaringen};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit, zicht};
use ketenregie_referral::levenscyclus::TaakStatus;
use ketenregie_referral::opslag::{self, Kop};
use ketenregie_referral::{partij, termijnen};
use ketenregie_store::kolom::{Json, Tekst};
use ketenregie_store::schema::terugkoppelingen;
use ketenregie_store::{DbConnection, directory, outbox};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Largest free text, in characters.
pub const MAX_TEKST: usize = 5000;

pub const ONTVANGER_KOPPELT_TERUG: &str = "ONTVANGER_KOPPELT_TERUG";
pub const PARTIJEN_LEZEN_TERUGKOPPELING: &str = "PARTIJEN_LEZEN_TERUGKOPPELING";
/// A feedback item reports a stage the handling has reached, so that a met duty means the
/// work was done (DOMAIN.md §3 flow 3: feedback "at least after the
/// veiligheidsbeoordeling and again after an investigation", a final outcome when it
/// ends; ombudsman report 2015, "geen terugkoppeling"). See `moment_past_bij`.
pub const TERUGKOPPELING_VOLGT_BEHANDELING: &str = "TERUGKOPPELING_VOLGT_BEHANDELING";

/// Event to whoever is owed the feedback (a reference, no content).
pub const TERUGKOPPELING_ONTVANGEN: &str = "terugkoppelingen.terugkoppeling-ontvangen";

/// A feedback item as given.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TerugkoppelingInvoer {
    #[schema(required = true, value_type = Terugkoppelmoment)]
    pub moment: Option<String>,
    /// Did a follow-up route (vervolgtraject) start?
    #[schema(required = true, value_type = bool)]
    pub vervolgtraject_gestart: Option<bool>,
    /// Who took over, if anyone.
    pub overgenomen_door: Option<OvergenomenDoorInvoer>,
    /// The reporter has a role in the safety conditions or the monitoring; only then may
    /// `veiligheidsvoorwaarden` and `monitoringsafspraken` be given (DOMAIN.md §3 flow 3).
    pub melder_heeft_rol: Option<bool>,
    /// The safety conditions agreed, at most 5,000 characters (`MAX_TEKST`).
    #[schema(max_length = 5000)]
    pub veiligheidsvoorwaarden: Option<String>,
    /// The monitoring agreed, at most 5,000 characters (`MAX_TEKST`).
    #[schema(max_length = 5000)]
    pub monitoringsafspraken: Option<String>,
    /// Free text, at most 5,000 characters (`MAX_TEKST`).
    #[schema(max_length = 5000)]
    pub toelichting: Option<String>,
}

/// The organisation (by code) and contact that took over.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OvergenomenDoorInvoer {
    #[schema(required = true, value_type = String, example = "wijkteam-den-haag-centrum", max_length = 63)]
    pub organisatie: Option<String>,
    /// How to reach the professional who took over (name, phone or e-mail).
    #[schema(max_length = 200)]
    pub contact: Option<String>,
}

/// The encrypted part.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Geheim {
    contact: Option<String>,
    veiligheidsvoorwaarden: Option<String>,
    monitoringsafspraken: Option<String>,
    toelichting: Option<String>,
}

/// A checked feedback item.
#[derive(Debug, Clone)]
pub struct Geldig {
    pub moment: Terugkoppelmoment,
    pub vervolgtraject_gestart: bool,
    pub overgenomen_door: Option<String>,
    pub melder_heeft_rol: bool,
    geheim: Geheim,
}

impl TerugkoppelingInvoer {
    /// Check every field at once.
    pub fn valideer(&self) -> Result<Geldig, Vec<ketenregie_common::InvalidParam>> {
        let mut v = Validatie::new();
        let moment: Option<Terugkoppelmoment> = v.keuze("moment", self.moment.as_deref());
        let gestart = v.verplicht("vervolgtrajectGestart", self.vervolgtraject_gestart);
        let rol = self.melder_heeft_rol.unwrap_or(false);
        let (org, contact) = match &self.overgenomen_door {
            Some(o) => (
                v.tekstregel("overgenomenDoor.organisatie", o.organisatie.as_deref(), 63),
                v.optionele_tekstregel("overgenomenDoor.contact", o.contact.as_deref(), 200),
            ),
            None => (None, None),
        };
        let mut rolveld = |naam: &str, waarde: &Option<String>| {
            let t = v.optionele_tekst(naam, waarde.as_deref(), MAX_TEKST);
            if t.is_some() && !rol {
                v.fout(
                    naam,
                    "forbidden",
                    format!(
                        "`{naam}` wordt alleen gedeeld als de melder er een rol in heeft (`melderHeeftRol: true`)"
                    ),
                );
                return None;
            }
            t
        };
        let voorwaarden = rolveld("veiligheidsvoorwaarden", &self.veiligheidsvoorwaarden);
        let monitoring = rolveld("monitoringsafspraken", &self.monitoringsafspraken);
        let toelichting = v.optionele_tekst("toelichting", self.toelichting.as_deref(), MAX_TEKST);
        v.afronden(|| Geldig {
            moment: moment.expect("checked"),
            vervolgtraject_gestart: gestart.expect("checked"),
            overgenomen_door: org,
            melder_heeft_rol: rol,
            geheim: Geheim {
                contact,
                veiligheidsvoorwaarden: voorwaarden,
                monitoringsafspraken: monitoring,
                toelichting,
            },
        })
    }
}

/// Who gave it: user, on behalf of which organisation, when.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Herkomst {
    pub gebruiker: String,
    pub gebruiker_naam: String,
    pub organisatie: String,
    pub tijdstip: DateTime<Utc>,
}

/// Who took over.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OvergenomenDoor {
    pub organisatie: String,
    pub contact: Option<String>,
}

/// A feedback item as shown to the sender and the receiver.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Terugkoppeling {
    pub id: Uuid,
    pub zorgmelding: Uuid,
    pub moment: Terugkoppelmoment,
    pub vervolgtraject_gestart: bool,
    pub overgenomen_door: Option<OvergenomenDoor>,
    pub melder_heeft_rol: bool,
    pub veiligheidsvoorwaarden: Option<String>,
    pub monitoringsafspraken: Option<String>,
    pub toelichting: Option<String>,
    /// To whom (the sender of the melding, or whoever handed over).
    pub afzender: String,
    /// By whom (the receiver).
    pub ontvanger: String,
    pub gegeven_door: Herkomst,
    /// The own statements of the children and parents of the melding on this item
    /// (Jeugdwet art. 7.3.8), oldest first: always shown with it, as far as the reader
    /// may see them.
    pub eigen_verklaringen: Vec<EigenVerklaringWeergave>,
}

/// A stored feedback item, every column read as its type (an unknown moment or malformed
/// subject list is an error at the row).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = terugkoppelingen)]
struct Rij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    zorgmelding_id: Uuid,
    afzender: String,
    ontvanger: String,
    #[diesel(deserialize_as = Tekst<Terugkoppelmoment>)]
    moment: Terugkoppelmoment,
    vervolgtraject_gestart: bool,
    overgenomen_door: Option<String>,
    melder_heeft_rol: bool,
    inhoud: String,
    /// The melding's data subjects when it was given (pseudonymous ids, JSON).
    #[diesel(deserialize_as = Json<Vec<Uuid>>)]
    betrokkenen: Vec<Uuid>,
    gebruiker: String,
    gebruiker_naam: String,
    organisatie: String,
    aangemaakt_op: chrono::NaiveDateTime,
}

impl Rij {
    fn toon(&self, ctx: &Context) -> Result<Terugkoppeling, Fout> {
        let tekst = ctx
            .versleuteling
            .ontsleutel(&self.inhoud)
            .map_err(Fout::intern)?;
        let g: Geheim = serde_json::from_str(&tekst).map_err(Fout::intern)?;
        Ok(Terugkoppeling {
            id: self.id,
            zorgmelding: self.zorgmelding_id,
            moment: self.moment,
            vervolgtraject_gestart: self.vervolgtraject_gestart,
            overgenomen_door: self.overgenomen_door.clone().map(|o| OvergenomenDoor {
                organisatie: o,
                contact: g.contact.clone(),
            }),
            melder_heeft_rol: self.melder_heeft_rol,
            veiligheidsvoorwaarden: g.veiligheidsvoorwaarden,
            monitoringsafspraken: g.monitoringsafspraken,
            toelichting: g.toelichting,
            afzender: self.afzender.clone(),
            ontvanger: self.ontvanger.clone(),
            gegeven_door: Herkomst {
                gebruiker: self.gebruiker.clone(),
                gebruiker_naam: self.gebruiker_naam.clone(),
                organisatie: self.organisatie.clone(),
                tijdstip: from_db(self.aangemaakt_op),
            },
            eigen_verklaringen: vec![],
        })
    }
}

/// To whom the receiver of `k` owes feedback: the sender of a melding, or for a hand-over
/// task the organisation that handed over (the receiver of the melding it came from).
/// The task's own sender (`partij::taakafzender`), who also hears of its steps.
pub fn terugkoppelen_aan(conn: &mut DbConnection, k: &Kop) -> Result<String, Fout> {
    partij::taakafzender(conn, k)
}

/// Melding `id` within the caller's view (`EEN_ORGANISATIE_ZICHT`): unknown and not a
/// party alike answer 404.
fn laad(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Kop, Fout> {
    let k = partij::laad(conn, id)?;
    partij::in_zicht(conn, &ctx.actor.organisatie, &k)?;
    Ok(k)
}

/// The decision's request for `actie` on the feedback on melding `k` owned by `eigenaar`
/// (purpose `terugkoppeling`, the melding's confidentiality level); the inzage report
/// takes the same for feedback it shows (`crate::inzage`).
pub fn aanvraag(actie: Actie, eigenaar: &str, k: &Kop) -> Aanvraag {
    Aanvraag {
        actie,
        doel: Doel::Terugkoppeling,
        categorieen: vec![Gegevenscategorie::Hulpverlening],
        optioneel: vec![],
        eigenaren: vec![eigenaar.to_string()],
        vertrouwelijkheid: k.vertrouwelijkheid,
    }
}

/// The audit object of the feedback on melding `k` (owned by its receiver).
pub fn object(k: &Kop) -> Object {
    Object {
        soort: "terugkoppelingen",
        id: k.id.to_string(),
        eigenaar: k.ontvanger.clone().unwrap_or_default(),
    }
}

/// The audit object a refusal of a request on the feedback of melding `id` is recorded
/// on, in the caller's own trail.
pub fn verzoekobject(id: Uuid, ctx: &Context) -> Object {
    Object {
        soort: "terugkoppelingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// Duties a moment meets. A final outcome meets every duty still open.
fn vervult(m: Terugkoppelmoment) -> &'static [Terugkoppelmoment] {
    use Terugkoppelmoment as T;
    match m {
        T::Ontvangstbevestiging => &[T::Ontvangstbevestiging],
        T::NaBeoordeling => &[T::Ontvangstbevestiging, T::NaBeoordeling],
        T::Tussentijds => &[T::Tussentijds],
        T::NaOnderzoek => &[T::NaOnderzoek],
        T::Eindresultaat => &[
            T::Ontvangstbevestiging,
            T::NaBeoordeling,
            T::Tussentijds,
            T::NaOnderzoek,
            T::Eindresultaat,
        ],
    }
}

/// `TERUGKOPPELING_VOLGT_BEHANDELING`: the task states in which `moment` may be fed back.
/// - `ontvangstbevestiging`: while the task is open (it confirms the receipt);
/// - `na-beoordeling`, `tussentijds`, `na-onderzoek`: once the task is taken up (accepted,
///   or triaged into in-progress; a hand-over's task has no triage), also after it ended
///   in completed or failed;
/// - `eindresultaat`: once it ended in completed or failed.
///
/// A rejected, cancelled or erroneous task takes no feedback: its duties have lapsed and
/// the rejection or cancellation carries its own reason.
pub fn moment_past_bij(moment: Terugkoppelmoment) -> &'static [TaakStatus] {
    use TaakStatus as S;
    use Terugkoppelmoment as T;
    match moment {
        T::Ontvangstbevestiging => &[
            S::Requested,
            S::Received,
            S::Accepted,
            S::InProgress,
            S::OnHold,
        ],
        T::NaBeoordeling | T::Tussentijds | T::NaOnderzoek => &[
            S::Accepted,
            S::InProgress,
            S::OnHold,
            S::Completed,
            S::Failed,
        ],
        T::Eindresultaat => &[S::Completed, S::Failed],
    }
}

/// The 409 of `TERUGKOPPELING_VOLGT_BEHANDELING` for `moment` on a task in `status`,
/// saying what comes first.
fn te_vroeg(moment: Terugkoppelmoment, status: TaakStatus) -> Fout {
    use TaakStatus as S;
    let eerst = match status {
        S::Rejected | S::Cancelled | S::EnteredInError => {
            "de taak is beëindigd en haar terugkoppelplichten zijn vervallen"
        }
        _ if moment == Terugkoppelmoment::Eindresultaat => {
            "een eindresultaat volgt op de afsluiting van de taak (afsluitingen)"
        }
        _ => {
            "deze terugkoppeling volgt op de beoordeling of de acceptatie van de taak (beoordelingen, acceptaties)"
        }
    };
    Fout::conflict(format!(
        "Terugkoppeling `{moment}` kan niet bij een taak met status `{status}`: {eerst} (regel {TERUGKOPPELING_VOLGT_BEHANDELING})"
    ))
}

/// Feedback to give on melding (or hand-over task) `id`, as sent. It is checked inside
/// `geef`, after the caller's relation: an outsider hears 403 (or 404), not how to fill
/// in the form.
#[derive(Debug, Clone)]
pub struct NieuweTerugkoppeling {
    pub id: Uuid,
    pub invoer: TerugkoppelingInvoer,
}

/// Give feedback on melding (or hand-over task) `id`, as its receiver
/// (`ONTVANGER_KOPPELT_TERUG`), to whoever may read it under an agreement in force
/// (`STROOM_BINNEN_CONVENANT`). Inside the caller's transaction: decision, row, duties
/// met, notification, both logs. At most one final outcome (409 after it).
pub fn geef(
    conn: &mut DbConnection,
    ctx: &Context,
    n: NieuweTerugkoppeling,
) -> Result<Terugkoppeling, Fout> {
    let k = laad(conn, ctx, n.id)?;
    let org = ctx.actor.organisatie.clone();
    if k.ontvanger.as_deref() != Some(org.as_str()) || k.taakstatus.is_none() {
        // In the trail of the melding's owner, the sender.
        return Err(Fout::geweigerd(
            ONTVANGER_KOPPELT_TERUG,
            format!(
                "Alleen de ontvanger van deze verzonden zorgmelding geeft terugkoppeling; `{org}` is dat niet"
            ),
        )
        .bij_eigenaar(&k.afzender));
    }
    // The receiver writes its own record (EIGEN_ORGANISATIE).
    let t = besluit::toegang(conn, ctx, &aanvraag(Actie::Aanmaken, &org, &k))?;
    // STROOM_BINNEN_CONVENANT: the feedback goes to whoever is owed it, a party of an
    // agreement in force with the receiver; a receiver that left (or an agreement no longer
    // in force) gives none, and meets no duty with it. Refused in the trail of whoever it
    // was to go to, before the body is looked at.
    let afzender = terugkoppelen_aan(conn, &k)?;
    zicht::stroom(conn, ctx, &afzender, "deze terugkoppeling")
        .map_err(|f| f.bij_eigenaar(&afzender))?;
    let g = n.invoer.valideer().map_err(Fout::Ongeldig)?;
    if let Some(o) = &g.overgenomen_door
        && directory::organisatie_op_code(conn, o)?.is_none()
    {
        return Err(Fout::veld(
            "overgenomenDoor.organisatie",
            ketenregie_common::regelcode::GEREGISTREERD,
            "`overgenomenDoor.organisatie` is geen organisatie uit de partnerlijst (/organisaties)",
        ));
    }
    let status = k.taakstatus.expect("a sent melding, checked above");
    if !moment_past_bij(g.moment).contains(&status) {
        return Err(te_vroeg(g.moment, status));
    }
    let al_eind: i64 = terugkoppelingen::table
        .filter(terugkoppelingen::zorgmelding_id.eq(k.id.to_string()))
        .filter(terugkoppelingen::moment.eq(Terugkoppelmoment::Eindresultaat.as_ref()))
        .count()
        .get_result(conn)?;
    if al_eind > 0 {
        return Err(Fout::conflict(
            "Er is al een eindresultaat teruggekoppeld; de terugkoppeling is afgesloten",
        ));
    }
    let betrokkenen = opslag::onderwerpen(conn, k.id)?;
    let nieuw_id = ids::new_id().to_string();
    diesel::insert_into(terugkoppelingen::table)
        .values((
            terugkoppelingen::id.eq(&nieuw_id),
            terugkoppelingen::zorgmelding_id.eq(k.id.to_string()),
            terugkoppelingen::afzender.eq(&afzender),
            terugkoppelingen::ontvanger.eq(&org),
            terugkoppelingen::moment.eq(g.moment.as_ref()),
            terugkoppelingen::vervolgtraject_gestart.eq(g.vervolgtraject_gestart),
            terugkoppelingen::overgenomen_door.eq(&g.overgenomen_door),
            terugkoppelingen::melder_heeft_rol.eq(g.melder_heeft_rol),
            terugkoppelingen::inhoud.eq(ctx
                .versleuteling
                .versleutel(&serde_json::to_string(&g.geheim).expect("serialises"))),
            terugkoppelingen::betrokkenen
                .eq(serde_json::to_string(&betrokkenen).expect("serialises")),
            terugkoppelingen::gebruiker.eq(&ctx.actor.gebruiker),
            terugkoppelingen::gebruiker_naam.eq(&ctx.actor.weergavenaam),
            terugkoppelingen::organisatie.eq(&org),
            terugkoppelingen::aangemaakt_op.eq(to_db(ctx.nu)),
        ))
        .execute(conn)
        // A simultaneous final outcome that passed the check above as well: the UNIQUE
        // index `terugkoppelingen_eindresultaat_uk` refuses the second with the same 409.
        .map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => Fout::conflict(
                "Er is al een eindresultaat teruggekoppeld; de terugkoppeling is afgesloten",
            ),
            e => Fout::from(e),
        })?;
    for m in vervult(g.moment) {
        termijnen::voldaan(conn, k.id, *m, ctx.nu)?;
    }
    outbox::enqueue(
        conn,
        &outbox::Gebeurtenis {
            soort: TERUGKOPPELING_ONTVANGEN.into(),
            organisatie: afzender,
            onderwerp: nieuw_id.clone(),
            dataref: format!("/api/v1/zorgmeldingen/{}/terugkoppelingen", k.id),
        },
        ctx.nu,
    )?;
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Aanmaken,
        Object {
            soort: "terugkoppelingen",
            id: nieuw_id.clone(),
            eigenaar: org,
        },
        None,
        Some(serde_json::json!({"moment": g.moment, "zorgmelding": k.id})),
        &betrokkenen,
    )?;
    let rij = terugkoppelingen::table
        .find(&nieuw_id)
        .select(Rij::as_select())
        .first(conn)?;
    rij.toon(ctx)
}

/// The feedback on melding `id`, oldest first: for its receiver, for whoever is owed the
/// feedback, and for the melding's original sender (`PARTIJEN_LEZEN_TERUGKOPPELING`);
/// read under the receiver's agreement for `terugkoppeling`, both logs. The processing-log
/// rows and the disclosure are of the feedback returned (`LOG_ALLEEN_WAT_GETOOND`): one row
/// per data subject of the items shown, not of the melding they are about; an empty list
/// (nothing fed back yet) is the audit row alone. Each item with the own statements on it
/// the caller sees (`eigen_verklaring::VERKLARING_BIJ_RECORD`), read in one query.
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<Terugkoppeling>, Fout> {
    let g = lees_alle(conn, ctx, id)?;
    log(conn, ctx, &g, g.rijen.iter())?;
    let uit = g.toon(conn, ctx)?;
    logboek::verklaringen(
        conn,
        ctx,
        &g.t,
        uit.iter().flat_map(|t| &t.eigen_verklaringen),
    )?;
    Ok(uit)
}

/// The statements on feedback item `item` of melding `id`, as a read of the item
/// (`VERKLARING_LEZEN_ALS_RECORD`: `lijst`'s decision and 403), logged as a read of that
/// item alone, and only when a statement is returned (`LOG_ALLEEN_WAT_GETOOND`: an empty
/// list is the audit row alone).
pub fn verklaringen_bij(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    item: Uuid,
) -> Result<Vec<EigenVerklaringWeergave>, Fout> {
    let g = lees_alle(conn, ctx, id)?;
    let verklaringen = g
        .toon(conn, ctx)?
        .into_iter()
        .find(|t| t.id == item)
        .map(|t| t.eigen_verklaringen)
        .unwrap_or_default();
    let getoond = g
        .rijen
        .iter()
        .filter(|r| r.id == item && !verklaringen.is_empty());
    log(conn, ctx, &g, getoond)?;
    logboek::verklaringen(conn, ctx, &g.t, &verklaringen)?;
    Ok(verklaringen)
}

/// The feedback on a melding as read, before anything is shown or logged.
struct Gelezen {
    k: Kop,
    t: Toestemming,
    rijen: Vec<Rij>,
}

impl Gelezen {
    /// The items as shown to the caller, each with the statements it sees with it.
    fn toon(&self, conn: &mut DbConnection, ctx: &Context) -> Result<Vec<Terugkoppeling>, Fout> {
        let org = ctx.actor.organisatie.as_str();
        let verklaringen =
            Verklaringen::lees_ids(conn, &ctx.versleuteling, self.rijen.iter().map(|r| &r.id))?;
        self.rijen
            .iter()
            .map(|r| {
                let mut uit = r.toon(ctx)?;
                uit.eigen_verklaringen =
                    verklaringen.voor(Recordsoort::Terugkoppeling, &r.id, org, |n| {
                        n <= self.t.max_vertrouwelijkheid()
                    });
                Ok(uit)
            })
            .collect()
    }
}

/// `lijst`'s check of the parties, its decision and its read.
fn lees_alle(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Gelezen, Fout> {
    let k = laad(conn, ctx, id)?;
    let org = ctx.actor.organisatie.as_str();
    let afzender = terugkoppelen_aan(conn, &k)?;
    let ontvanger = k.ontvanger.clone().unwrap_or_default();
    if org != afzender && org != k.afzender && org != ontvanger {
        // In the trail of the feedback's owner (the receiver), else the melding's.
        let eigenaar = if ontvanger.is_empty() {
            &k.afzender
        } else {
            &ontvanger
        };
        return Err(Fout::geweigerd(
            PARTIJEN_LEZEN_TERUGKOPPELING,
            format!("Organisatie `{org}` is geen afzender of ontvanger van deze zorgmelding"),
        )
        .bij_eigenaar(eigenaar));
    }
    let t = besluit::toegang(conn, ctx, &aanvraag(Actie::Lezen, &ontvanger, &k))?;
    let rijen: Vec<Rij> = terugkoppelingen::table
        .filter(terugkoppelingen::zorgmelding_id.eq(k.id.to_string()))
        .order((terugkoppelingen::aangemaakt_op, terugkoppelingen::id))
        .select(Rij::as_select())
        .load(conn)?;
    Ok(Gelezen { k, t, rijen })
}

/// The log rows of a read of the feedback (`LOG_ALLEEN_WAT_GETOOND`): the audit row of the
/// melding's feedback, and the processing-log rows and the disclosure of the data subjects
/// of the items `getoond` (each item's subjects, stored when it was given); none shown is
/// the audit row alone.
fn log<'a>(
    conn: &mut DbConnection,
    ctx: &Context,
    g: &Gelezen,
    getoond: impl Iterator<Item = &'a Rij>,
) -> Result<(), Fout> {
    let mut betrokkenen: Vec<Uuid> = getoond.flat_map(|r| r.betrokkenen.clone()).collect();
    betrokkenen.sort();
    betrokkenen.dedup();
    logboek::lezing(conn, ctx, &g.t, object(&g.k), &betrokkenen)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoer(v: serde_json::Value) -> TerugkoppelingInvoer {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn voorwaarden_alleen_met_rol() {
        let fouten = invoer(
            serde_json::json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true,
            "veiligheidsvoorwaarden": "geen contact", "monitoringsafspraken": "wekelijks"}),
        )
        .valideer()
        .unwrap_err();
        let namen: Vec<&str> = fouten.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(namen, ["veiligheidsvoorwaarden", "monitoringsafspraken"]);
        assert!(
            invoer(
                serde_json::json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true,
            "melderHeeftRol": true, "veiligheidsvoorwaarden": "geen contact"})
            )
            .valideer()
            .is_ok()
        );
    }

    #[test]
    fn elk_fout_veld_genoemd() {
        let fouten = invoer(serde_json::json!({"moment": "later", "overgenomenDoor": {}}))
            .valideer()
            .unwrap_err();
        let namen: Vec<&str> = fouten.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            namen,
            [
                "moment",
                "vervolgtrajectGestart",
                "overgenomenDoor.organisatie"
            ]
        );
    }

    #[test]
    fn tussentijds_sluit_niets_eindresultaat_alles() {
        assert!(
            !vervult(Terugkoppelmoment::Tussentijds).contains(&Terugkoppelmoment::Eindresultaat)
        );
        assert_eq!(vervult(Terugkoppelmoment::Eindresultaat).len(), 5);
    }
}

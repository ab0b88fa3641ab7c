//! How the case registry's records are shown, in the briefing and in the answers of the
//! use cases alike: a person, a reference to one (named only when the caller may see
//! that person), gezag, a court decision with its sterke-arm clause spelled out, an
//! arrangement.

use crate::beschikkingen::{Beschikking, Beschikkingsoort, Werking};
use crate::gezag::{Gezag, Gezagsbron, Gezagsvorm};
use crate::personen::{Adres, Persoon};
use crate::regelingen::{Regeling, Regelingbron, Regelingsoort};
use chrono::NaiveDate;
use ketenregie_privacy::eigen_verklaring::EigenVerklaringWeergave;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A person as shown (in a briefing and as the answer of the person operations).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersoonKort {
    pub id: Uuid,
    pub voornamen: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    /// Only where an agreement covers the BSN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bsn: Option<String>,
    /// Only where an agreement covers contact data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adres: Option<Adres>,
    /// The organisation that registered this record.
    pub geregistreerd_door: String,
    /// The person's own statements on this record (Jeugdwet art. 7.3.8), oldest first:
    /// always shown with it, as far as the reader may see them.
    pub eigen_verklaringen: Vec<EigenVerklaringWeergave>,
}

impl PersoonKort {
    /// `p` as shown, with the BSN and the address only where `bsn` and `adres` allow.
    pub fn van(p: &Persoon, bsn: bool, adres: bool) -> Self {
        PersoonKort {
            id: p.id,
            voornamen: p.gegevens.voornamen.clone(),
            achternaam: p.gegevens.achternaam.clone(),
            geboortedatum: p.gegevens.geboortedatum,
            bsn: p.gegevens.bsn.clone().filter(|_| bsn),
            adres: p.gegevens.adres.clone().filter(|_| adres),
            geregistreerd_door: p.eigenaar.clone(),
            eigen_verklaringen: vec![],
        }
    }
}

/// A reference to a person: the name only when the caller may see that person.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersoonRef {
    pub id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub naam: Option<String>,
}

/// A reference to `id`, named when it is among the (decrypted, permitted) `personen`.
pub fn persoon_ref(personen: &[Persoon], id: &Uuid) -> PersoonRef {
    PersoonRef {
        id: *id,
        naam: personen.iter().find(|p| p.id == *id).map(Persoon::naam),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GezagKort {
    pub kind: PersoonRef,
    pub vorm: Gezagsvorm,
    pub houders: Vec<PersoonRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub houder_instelling: Option<String>,
    pub bron: Gezagsbron,
    /// The court decision the gezag rests on (`bron` `beschikking`): its legal source
    /// (DOMAIN.md §4: keep the source). Checked when recorded: a decision the recording
    /// organisation could see, about this child.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beschikking: Option<Uuid>,
    pub geverifieerd_op: NaiveDate,
    pub eigenaar: String,
}

/// A gezag record as shown.
pub fn gezag_kort(g: &Gezag, pref: &dyn Fn(&Uuid) -> PersoonRef) -> GezagKort {
    GezagKort {
        kind: pref(&g.kind),
        vorm: g.vorm,
        houders: g.houders.iter().map(pref).collect(),
        houder_instelling: g.houder_instelling.clone(),
        bron: g.bron,
        beschikking: g.beschikking,
        geverifieerd_op: g.geverifieerd_op,
        eigenaar: g.eigenaar.clone(),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegelingKort {
    pub id: Uuid,
    pub soort: Regelingsoort,
    pub bron: Regelingbron,
    pub samenvatting: String,
    pub van: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tot: Option<NaiveDate>,
    pub eigenaar: String,
}

/// An arrangement as shown.
pub fn regeling_kort(r: &Regeling) -> RegelingKort {
    RegelingKort {
        id: r.id,
        soort: r.soort,
        bron: r.bron,
        samenvatting: r.samenvatting.clone(),
        van: r.van,
        tot: r.tot,
        eigenaar: r.eigenaar.clone(),
    }
}

/// The sterke-arm clause, spelled out for the officer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SterkeArm {
    pub toegestaan: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tekst: Option<String>,
    pub uitleg: String,
}

/// The sterke-arm clause in words an officer can act on.
pub fn sterke_arm(x: &Beschikking) -> SterkeArm {
    SterkeArm {
        toegestaan: x.sterke_arm,
        tekst: x.sterke_arm_tekst.clone(),
        uitleg: if x.sterke_arm {
            "De beschikking staat tenuitvoerlegging met behulp van de sterke arm toe. De politie is niet verplicht te assisteren (sinds 2009) en weegt de veiligheid van het kind.".into()
        } else {
            "Geen sterke-arm-clausule: de politie kan deze beschikking niet met dwang helpen uitvoeren; verwijs naar de civiele weg.".into()
        },
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeschikkingKort {
    pub id: Uuid,
    pub soort: Beschikkingsoort,
    pub rechtbank: String,
    pub zaaknummer: String,
    pub datum: NaiveDate,
    pub van: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tot: Option<NaiveDate>,
    pub werking: Werking,
    pub uitvoerbaar_bij_voorraad: bool,
    pub sterke_arm: SterkeArm,
    pub kinderen: Vec<PersoonRef>,
    pub eigenaar: String,
    /// The own statements of the family's members on this decision (Jeugdwet art.
    /// 7.3.8), oldest first: always shown with it, as far as the reader may see them.
    pub eigen_verklaringen: Vec<EigenVerklaringWeergave>,
}

/// A decision as shown, with whether it is in force on `dag` by its dates, the duration
/// rules and its children's age (`geboren`: a child's birth date by person record id;
/// rule `MAATREGEL_OVER_MINDERJARIGE`, `Beschikking::werking_voor`). Its statements are
/// added by the caller, who read them.
pub fn beschikking_kort(
    x: &Beschikking,
    dag: NaiveDate,
    pref: &dyn Fn(&Uuid) -> PersoonRef,
    geboren: &dyn Fn(&Uuid) -> Option<NaiveDate>,
) -> BeschikkingKort {
    BeschikkingKort {
        id: x.id,
        soort: x.soort,
        rechtbank: x.rechtbank.clone(),
        zaaknummer: x.zaaknummer.clone(),
        datum: x.datum,
        van: x.van,
        tot: x.effectief_tot(),
        werking: x.werking_voor(dag, geboren),
        uitvoerbaar_bij_voorraad: x.uitvoerbaar_bij_voorraad,
        sterke_arm: sterke_arm(x),
        kinderen: x.kinderen.iter().map(pref).collect(),
        eigenaar: x.eigenaar.clone(),
        eigen_verklaringen: vec![],
    }
}

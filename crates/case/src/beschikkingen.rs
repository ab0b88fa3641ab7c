//! Beschikkingen (court decisions, and the burgemeester's huisverbod) and the duration
//! rules of DOMAIN.md §4, each a named constant used both to validate a new decision and
//! to compute whether a decision is in force today:
//!
//! - `VOORLOPIGE_OTS_MAX_DRIE_MAANDEN`: a provisional supervision order lasts at most
//!   3 months.
//! - `OTS_MAX_EEN_JAAR`: a supervision order lasts at most 1 year (it is renewed by a new
//!   decision).
//! - `HUISVERBOD_TIEN_DAGEN` / `HUISVERBOD_MAX_28_DAGEN`: a temporary restraining order
//!   lasts 10 days (the default when no end is given), extendable to at most 28 days in
//!   total.
//! - `UHP_MAX_EEN_JAAR` / `UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT`: an out-of-home
//!   placement authorisation lasts at most 1 year and lapses when it has not been used
//!   within 3 months.
//! - `STERKE_ARM_MET_TEKST`: a decision that allows enforcement with police help must
//!   carry the clause's text, because officers weigh it (since 2009 they are not obliged
//!   to assist); and `STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM`, the converse: a text goes
//!   only with such a decision.
//!
//! The clause's text quotes the decision about the family: it is stored AES-GCM
//! encrypted (issue 11 point 5) and decrypted when read; a text stored in plain text
//! before that is still read.
//!
//! Use case: `vastleggen` (`POST /gezinnen/{id}/beschikkingen`).

use crate::weergave::{BeschikkingKort, beschikking_kort, persoon_ref};
use crate::{gezinnen, invoer, personen, toegang};
use chrono::{DateTime, Days, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ketenregie_common::termijn;
use ketenregie_common::time::to_db;
use ketenregie_common::{Fout, Gegevenscategorie as C, InvalidParam, Validatie, ids, regelcode};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::Object;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::herschrijven::Kolom;
use ketenregie_store::kolom::{Json, Tekst};
use ketenregie_store::schema::beschikkingen;
use ketenregie_store::tekst_kolom;
use serde::{Deserialize, Serialize};
use serde_json::json;
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// The column kept encrypted (`VERSLEUTEL_BIJ_START` encrypts what an older version wrote
/// in plain text).
pub const VERSLEUTELD: Kolom = Kolom {
    tabel: "beschikkingen",
    sleutel: "id",
    kolom: "sterke_arm_tekst",
};

/// The longest terms, in months, counted by `termijn::laatste_dag_na_maanden`
/// (`TERMIJN_IN_MAANDEN`): `tot`, the last day in force (inclusive, see
/// `Beschikking::werking`), is at most the day before the same date that many months after
/// `van`, or the last day of that month when it lacks the date. An OTS "met ingang van 1
/// januari 2026 voor de duur van een jaar" (BW 1:258 lid 1) runs up to and including 31
/// December 2026, a voorlopige OTS from 30 November 2025 for three months up to and
/// including 28 February 2026. A huisverbod is counted in days from the hour it is issued
/// (Wet tijdelijk huisverbod art. 2 lid 6), so still in force on the tenth day after
/// `van`: not in months.
pub const VOORLOPIGE_OTS_MAX_DRIE_MAANDEN: u32 = 3;
pub const OTS_MAX_EEN_JAAR: u32 = 12;
pub const HUISVERBOD_TIEN_DAGEN: Days = Days::new(10);
pub const HUISVERBOD_MAX_28_DAGEN: Days = Days::new(28);
pub const UHP_MAX_EEN_JAAR: u32 = 12;
pub const UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT: u32 = 3;

/// Rule `UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT` as a caller meets it (DOMAIN.md §4
/// "UHP authorisation: at most 1 year, lapses if unused for 3 months"; BW 1:265b lid 3
/// [check]): an authorisation not used within the 3 months from `van` (counted by
/// `TERMIJN_IN_MAANDEN`: up to and including the day before the same date 3 months later,
/// or the last day of that month when it lacks the date) has lapsed on the day after, so a
/// first use on or after that day (`gebruiktOp`) is no use of this authorisation. A 422
/// with this code naming `gebruiktOp`; a stored one reads as `vervallen`.
pub const UHP_GEBRUIK_NA_VERVAL: &str = "uhp-vervalt-na-drie-maanden-ongebruikt";

/// Rule `STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM`, the converse of `STERKE_ARM_MET_TEKST`:
/// a decision that does not allow enforcement with police help (`sterkeArm` false) carries
/// no clause text, since the briefing shows the clause to the officers as one that applies.
/// A text with `sterkeArm` false is a 422 with this code naming `sterkeArmTekst`; with
/// `sterkeArm` absent it is named too, beside the 400 `required` at `sterkeArm`.
pub const STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM: &str = "sterke-arm-tekst-alleen-met-sterke-arm";

/// Rule `MAATREGEL_OVER_MINDERJARIGE`: a child-protection or family-law decision (OTS,
/// voorlopige OTS, UHP, gezag, omgang, zorgregeling: `Beschikkingsoort::over_minderjarige`)
/// is about a minor (BW 1:233 minority ends at 18; BW 1:245 gezag, BW 1:255 OTS, BW 1:265b
/// UHP, BW 1:377a omgang are about minors) and ends by law for a child on its 18th
/// birthday. Two consequences: recording one whose start (`van`) is on or after the
/// child's 18th birthday is a 422 with this code naming `kinderen[N]`; and a stored one
/// is not in force (`verlopen`) on a day every child it concerns is 18 or older
/// (`Beschikking::werking_voor`), and an adult child is no longer listed under it.
pub const MAATREGEL_OVER_MINDERJARIGE: &str = "maatregel-over-minderjarige";

/// The description of `POST /gezinnen/{id}/beschikkingen` in the API document: the
/// duration rules as a caller meets them.
pub mod uitleg {
    pub const VASTLEGGEN: &str = "A court decision (or the burgemeester's huisverbod) on the family. Duration rules, each a 422 naming `/tot` with the rule as its code: VOORLOPIGE_OTS_MAX_DRIE_MAANDEN, OTS_MAX_EEN_JAAR, UHP_MAX_EEN_JAAR, HUISVERBOD_MAX_28_DAGEN (a huisverbod without `tot` runs 10 days: HUISVERBOD_TIEN_DAGEN). A UHP unused for 3 months lapses (UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT): a `gebruiktOp` after the 3 months from `van` is a 422 `uhp-vervalt-na-drie-maanden-ongebruikt`. Terms in months end on the day before the same date N months after `van`, or on the last day of that month when it lacks the date (TERMIJN_IN_MAANDEN, Regulation 1182/71 art. 3): a voorlopige OTS from 30 November runs up to and including 28 (29) February. An OTS, voorlopige OTS, UHP, gezag, omgang or zorgregeling is about minors (MAATREGEL_OVER_MINDERJARIGE, BW 1:233): a child 18 or older on `van` is a 422 `maatregel-over-minderjarige` naming `/kinderen/N`, and such a decision is `verlopen` once every child it concerns is 18. `sterkeArm` true needs the clause's text (STERKE_ARM_MET_TEKST, else a 422 `sterke-arm-met-tekst` naming `/sterkeArmTekst`), and the text goes only with `sterkeArm` true (STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM, else a 422 `sterke-arm-tekst-alleen-met-sterke-arm` naming `/sterkeArmTekst`).";
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
pub enum Beschikkingsoort {
    Omgang,
    Zorgregeling,
    Gezag,
    Ots,
    VoorlopigeOts,
    Uhp,
    Huisverbod,
    Straatverbod,
    Overig,
}

tekst_kolom!(Beschikkingsoort);

impl Beschikkingsoort {
    /// A decision about a minor, which ends by law at the child's majority (rule
    /// `MAATREGEL_OVER_MINDERJARIGE`). A huisverbod or straatverbod is imposed on an adult
    /// and `overig` is unknown: those are not.
    pub fn over_minderjarige(self) -> bool {
        matches!(
            self,
            Self::Ots
                | Self::VoorlopigeOts
                | Self::Uhp
                | Self::Gezag
                | Self::Omgang
                | Self::Zorgregeling
        )
    }

    /// Whether a decision of this kind decides who holds gezag (rule
    /// `GEZAG_BERUST_OP_GEZAGSBESLISSING`): only `gezag`, the kind for every court decision
    /// on gezag under BW Boek 1 — sole gezag after divorce (1:251a) or for unmarried
    /// parents (1:253c), ending joint gezag (1:253n), joint gezag of a parent and another
    /// (1:253t), ending a parent's gezag (1:266), suspending it and provisional voogdij
    /// (1:268 [check]), restoring it (1:277), appointing a voogd (1:295) or ending a
    /// voogdij (1:327). Not: an
    /// OTS or voorlopige OTS (1:255, 1:257: the parents keep gezag, only limited by the
    /// GI's instructions, 1:263), a UHP (1:265b: where the child lives, not who holds
    /// gezag), omgang (1:377a: contact, which presupposes the gezag as it is), a
    /// zorgregeling (1:253a: how joint gezag is divided, not who holds it), the
    /// burgemeester's huisverbod (Wet tijdelijk huisverbod art. 2) or a straatverbod
    /// (orders against an adult), nor `overig` (its kind unknown, so it confirms nothing).
    pub fn beslist_gezag(self) -> bool {
        matches!(self, Self::Gezag)
    }

    /// A child-protection measure or restraining order the briefing lists on its own.
    pub fn is_maatregel(self) -> bool {
        matches!(
            self,
            Self::Ots | Self::VoorlopigeOts | Self::Uhp | Self::Huisverbod | Self::Straatverbod
        )
    }
}

/// Whether a decision applies on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, Display, AsRefStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Werking {
    /// Not yet in force.
    NogNiet,
    InWerking,
    /// Its term has ended, or (a decision about minors, `MAATREGEL_OVER_MINDERJARIGE`)
    /// every child it concerns is 18.
    Verlopen,
    /// Lapsed before its end (`UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT`).
    Vervallen,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BeschikkingInvoer {
    #[schema(required = true, value_type = String, example = "Rechtbank Den Haag", max_length = 200)]
    pub rechtbank: Option<String>,
    #[schema(required = true, value_type = String, example = "C/09/612345 / JE RK 26-1234", max_length = 100)]
    pub zaaknummer: Option<String>,
    /// Date of the decision: `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(required = true, value_type = String, format = Date)]
    pub datum: Option<String>,
    #[schema(required = true, value_type = Beschikkingsoort)]
    pub soort: Option<String>,
    /// First day the decision applies: `JJJJ-MM-DD`, from 1900-01-01 up to and including 1 year after today (Europe/Amsterdam); another date is a 422 `bereik` naming this field.
    #[schema(required = true, value_type = String, format = Date)]
    pub van: Option<String>,
    /// Last day in force (inclusive), not before `van`. Required for a (voorlopige) OTS and
    /// a UHP, at most the day before the same date 3 months (voorlopige OTS) or 1 year (OTS,
    /// UHP) after `van`, or the last day of that month when it lacks the date (TERMIJN_IN_MAANDEN:
    /// from 31 March for 3 months up to and including 30 June): a court's "tot 1 januari 2027" is `tot` 2026-12-31. A huisverbod
    /// without it runs to `van` + 10 days, with it to at most `van` + 28 days. `JJJJ-MM-DD`, from 1900-01-01 up to and including 20 years after today (Europe/Amsterdam); another date is a 422 `bereik` naming this field.
    #[schema(value_type = Option<String>, format = Date)]
    pub tot: Option<String>,
    #[schema(required = true, value_type = bool)]
    pub uitvoerbaar_bij_voorraad: Option<bool>,
    /// Does the decision allow enforcement with police help ('sterke arm')?
    #[schema(required = true, value_type = bool)]
    pub sterke_arm: Option<bool>,
    /// The clause's text; required when `sterkeArm` is true, and only then (rule STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM).
    #[schema(max_length = 4000)]
    pub sterke_arm_tekst: Option<String>,
    /// The children it concerns: at least one, each once, each a member of this family
    /// with relation `kind` (rule BESCHIKKING_KINDEREN_VAN_GEZIN; another person is a 422
    /// `beschikking-kinderen-van-gezin` naming `/kinderen/N`, a child twice a 422 `dubbel`).
    #[schema(required = true, value_type = Vec<Uuid>, min_items = 1)]
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub kinderen: Option<Vec<Uuid>>,
    /// UHP: the date the authorisation was first used: `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(value_type = Option<String>, format = Date)]
    pub gebruikt_op: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Beschikking {
    pub id: Uuid,
    pub eigenaar: String,
    pub gezin: Uuid,
    pub rechtbank: String,
    pub zaaknummer: String,
    pub datum: NaiveDate,
    pub soort: Beschikkingsoort,
    pub van: NaiveDate,
    pub tot: Option<NaiveDate>,
    pub uitvoerbaar_bij_voorraad: bool,
    pub sterke_arm: bool,
    pub sterke_arm_tekst: Option<String>,
    pub kinderen: Vec<Uuid>,
    pub gebruikt_op: Option<NaiveDate>,
}

impl Beschikking {
    /// In force on `dag`, by its dates and the duration rules (not the children's age:
    /// see `werking_voor`).
    pub fn werking(&self, dag: NaiveDate) -> Werking {
        if dag < self.van {
            return Werking::NogNiet;
        }
        // `UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT`: a first use on or after the lapse
        // day (stored before `UHP_GEBRUIK_NA_VERVAL` was checked) does not revive it.
        let verval = termijn::eerste_dag_na(self.van, UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT);
        if self.soort == Beschikkingsoort::Uhp
            && self.gebruikt_op.is_none_or(|g| g >= verval)
            && dag >= verval
        {
            return Werking::Vervallen;
        }
        match self.effectief_tot() {
            Some(t) if dag > t => Werking::Verlopen,
            _ => Werking::InWerking,
        }
    }

    /// In force on `dag` with the children's age (rule `MAATREGEL_OVER_MINDERJARIGE`):
    /// a decision about minors whose every child is 18 or older on `dag` has ended
    /// (`verlopen`). `geboren` gives a child's birth date by person record id; a child
    /// whose birth date is not known counts as a minor (the decision's dates decide).
    pub fn werking_voor(
        &self,
        dag: NaiveDate,
        geboren: &dyn Fn(&Uuid) -> Option<NaiveDate>,
    ) -> Werking {
        let w = self.werking(dag);
        if w == Werking::InWerking
            && self.soort.over_minderjarige()
            && !self.kinderen.is_empty()
            && self.kinderen_op(dag, geboren).is_empty()
        {
            return Werking::Verlopen;
        }
        w
    }

    /// The children it still concerns on `dag`: for a decision about minors
    /// (`MAATREGEL_OVER_MINDERJARIGE`) those not yet 18 (or whose birth date is not
    /// known); for another every child.
    pub fn kinderen_op(
        &self,
        dag: NaiveDate,
        geboren: &dyn Fn(&Uuid) -> Option<NaiveDate>,
    ) -> Vec<Uuid> {
        self.kinderen
            .iter()
            .filter(|k| {
                !self.soort.over_minderjarige()
                    || !geboren(k).is_some_and(|g| crate::gezag::meerderjarig_op(g, dag))
            })
            .copied()
            .collect()
    }

    /// The last day in force: the stated end, or the rule's default for a huisverbod.
    pub fn effectief_tot(&self) -> Option<NaiveDate> {
        self.tot.or_else(|| {
            (self.soort == Beschikkingsoort::Huisverbod).then(|| self.van + HUISVERBOD_TIEN_DAGEN)
        })
    }
}

/// Check a term against a rule: the end may be at most `grens` (the start plus the rule's
/// longest term). The reason names the fields and the rule, never the dates sent (README
/// "Errors": a reason does not repeat the value sent).
fn max_duur(v: &mut Validatie, regel: &str, tot: NaiveDate, grens: NaiveDate, uitleg: &str) {
    if tot > grens {
        v.fout(
            "tot",
            regel,
            format!("`tot` ligt te ver na `van`: {uitleg} (regel {regel})"),
        );
    }
}

impl BeschikkingInvoer {
    pub fn valideer(&self, gezin: Uuid, vandaag: NaiveDate) -> Result<Beschikking, Fout> {
        let mut v = Validatie::new();
        let rechtbank = v.tekstregel("rechtbank", self.rechtbank.as_deref(), 200);
        let zaaknummer = v.tekstregel("zaaknummer", self.zaaknummer.as_deref(), 100);
        use ketenregie_common::Datumbereik as B;
        let datum = invoer::verplichte_datum(
            &mut v,
            "datum",
            self.datum.as_deref(),
            B::verleden("de datum van een beschikking", vandaag),
        );
        let soort: Option<Beschikkingsoort> = v.keuze("soort", self.soort.as_deref());
        let van = invoer::verplichte_datum(
            &mut v,
            "van",
            self.van.as_deref(),
            B::vooruit("het begin van een beschikking", vandaag, 1),
        );
        let tot = v.datum(
            "tot",
            self.tot.as_deref(),
            B::vooruit("het einde van een beschikking", vandaag, 20),
        );
        let gebruikt_op = v.datum(
            "gebruiktOp",
            self.gebruikt_op.as_deref(),
            B::verleden("de dag van eerste gebruik", vandaag),
        );
        let uitvoerbaar = v.verplicht("uitvoerbaarBijVoorraad", self.uitvoerbaar_bij_voorraad);
        let sterke_arm = v.verplicht("sterkeArm", self.sterke_arm);
        let sterke_arm_tekst =
            v.optionele_tekst("sterkeArmTekst", self.sterke_arm_tekst.as_deref(), 4000);
        if sterke_arm == Some(true) && sterke_arm_tekst.is_none() {
            v.fout(
                "sterkeArmTekst",
                "sterke-arm-met-tekst",
                "een beschikking met sterke arm vermeldt de tekst van de clausule (regel STERKE_ARM_MET_TEKST)",
            );
        }
        // `STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM`: the converse, with `sterkeArm` false
        // or absent (an absent one is also `required` at its own field).
        if sterke_arm != Some(true) && sterke_arm_tekst.is_some() {
            v.fout(
                "sterkeArmTekst",
                STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM,
                "`sterkeArmTekst` staat bij een beschikking zonder sterke arm (`sterkeArm` is niet true): de briefing zou een clausule tonen die niet geldt; zet `sterkeArm` op true of laat de tekst weg (regel STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM)",
            );
        }
        v.termijn("van", van, "tot", tot);
        if let (Some(soort), Some(van)) = (soort, van) {
            use Beschikkingsoort as S;
            let eis_einde = |v: &mut Validatie, regel: &str| {
                if tot.is_none() {
                    v.fout(
                        "tot",
                        regelcode::VERPLICHT_BIJ,
                        format!("een {soort} heeft een einddatum `tot` (regel {regel})"),
                    );
                }
            };
            match soort {
                S::VoorlopigeOts => {
                    eis_einde(&mut v, "voorlopige-ots-max-drie-maanden");
                    if let Some(t) = tot {
                        max_duur(
                            &mut v,
                            "voorlopige-ots-max-drie-maanden",
                            t,
                            termijn::laatste_dag_na_maanden(van, VOORLOPIGE_OTS_MAX_DRIE_MAANDEN),
                            "een voorlopige ondertoezichtstelling duurt ten hoogste 3 maanden",
                        );
                    }
                }
                S::Ots => {
                    eis_einde(&mut v, "ots-max-een-jaar");
                    if let Some(t) = tot {
                        max_duur(
                            &mut v,
                            "ots-max-een-jaar",
                            t,
                            termijn::laatste_dag_na_maanden(van, OTS_MAX_EEN_JAAR),
                            "een ondertoezichtstelling duurt ten hoogste 1 jaar; een verlenging is een nieuwe beschikking",
                        );
                    }
                }
                S::Uhp => {
                    eis_einde(&mut v, "uhp-max-een-jaar");
                    if let Some(t) = tot {
                        max_duur(
                            &mut v,
                            "uhp-max-een-jaar",
                            t,
                            termijn::laatste_dag_na_maanden(van, UHP_MAX_EEN_JAAR),
                            "een machtiging uithuisplaatsing geldt ten hoogste 1 jaar",
                        );
                    }
                }
                S::Huisverbod => {
                    if let Some(t) = tot {
                        max_duur(
                            &mut v,
                            "huisverbod-max-28-dagen",
                            t,
                            van + HUISVERBOD_MAX_28_DAGEN,
                            "een tijdelijk huisverbod duurt 10 dagen en kan worden verlengd tot ten hoogste 28 dagen in totaal",
                        );
                    }
                }
                _ => {}
            }
        }
        // UHP: first used on or after the day it applies (BW 1:265b; a use before `van`
        // was no use of this authorisation).
        v.termijn("van", van, "gebruiktOp", gebruikt_op);
        // `UHP_GEBRUIK_NA_VERVAL`: nor on or after the day it lapsed unused.
        if let (Some(Beschikkingsoort::Uhp), Some(van), Some(g)) = (soort, van, gebruikt_op)
            && g >= termijn::eerste_dag_na(van, UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT)
        {
            v.fout(
                "gebruiktOp",
                UHP_GEBRUIK_NA_VERVAL,
                "`gebruiktOp` ligt na de 3 maanden vanaf `van`: een machtiging uithuisplaatsing die 3 maanden niet is gebruikt, is vervallen en kan daarna niet meer worden gebruikt; daarvoor is een nieuwe machtiging nodig (regel UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT)",
            );
        }
        let mut kinderen: Vec<Uuid> = Vec::new();
        match &self.kinderen {
            None => v.fout(
                "kinderen",
                "required",
                "een beschikking gaat over ten minste één kind van het gezin",
            ),
            Some(k) if k.is_empty() => v.fout(
                "kinderen",
                "minItems",
                "een beschikking gaat over ten minste één kind van het gezin",
            ),
            Some(k) => {
                for (i, kind) in k.iter().enumerate() {
                    if kinderen.contains(kind) {
                        v.fout(
                            format!("kinderen[{i}]"),
                            regelcode::DUBBEL,
                            "dit kind staat al eerder in `kinderen`; noem elk kind één keer",
                        );
                    } else {
                        kinderen.push(*kind);
                    }
                }
            }
        }
        v.afronden(|| Beschikking {
            id: ids::new_id(),
            eigenaar: String::new(),
            gezin,
            rechtbank: rechtbank.unwrap_or_default(),
            zaaknummer: zaaknummer.unwrap_or_default(),
            datum: datum.unwrap_or_default(),
            soort: soort.unwrap_or(Beschikkingsoort::Overig),
            van: van.unwrap_or_default(),
            tot,
            uitvoerbaar_bij_voorraad: uitvoerbaar.unwrap_or_default(),
            sterke_arm: sterke_arm.unwrap_or_default(),
            sterke_arm_tekst,
            kinderen,
            gebruikt_op,
        })
        .map_err(Fout::Ongeldig)
    }
}

/// `POST /gezinnen/{id}/beschikkingen`: record decision `invoer` on family `gezin` of the
/// caller's organisation (another's is refused within the view); its children must be
/// the organisation's persons and children of the family. Every problem is named at once:
/// the body's own (`BeschikkingInvoer::valideer`) and, once the family is known, the
/// look-ups' (`BESCHIKKING_KINDEREN_VAN_GEZIN`, a child that is no person of the
/// organisation) on what could be read (`invoer::samen`). Logged as a write of one's own
/// record, one processing-log row per member of the family.
pub fn vastleggen(
    conn: &mut DbConnection,
    ctx: &Context,
    gezin: Uuid,
    invoer: &BeschikkingInvoer,
) -> Result<BeschikkingKort, Fout> {
    let eerste = invoer.valideer(gezin, ctx.vandaag());
    let g = match gezinnen::eigen(conn, ctx, gezin) {
        Ok(g) => g,
        Err(e) => return Err(invoer::eerst_de_body(&eerste, e)),
    };
    // Each child once: a repeat is named `dubbel` by the first phase.
    let mut kinderen: Vec<(String, Uuid)> = Vec::new();
    for (i, k) in invoer.kinderen.iter().flatten().enumerate() {
        if !kinderen.iter().any(|(_, x)| x == k) {
            kinderen.push((format!("kinderen[{i}]"), *k));
        }
    }
    let mut naslag = kinderen_van_gezin(&g, &kinderen);
    naslag.extend(invoer::problemen(crate::personen::eigen_personen(
        conn,
        &ctx.actor.organisatie,
        &kinderen,
    ))?);
    let leden = personen::lees_veel(conn, &ctx.versleuteling, &gezinnen::lid_ids(&g))?;
    naslag.extend(minderjarig_bij_begin(invoer, &g, &kinderen, &leden));
    let b = invoer::samen(eerste, naslag)?;
    let b = voeg_in(conn, &ctx.versleuteling, &ctx.actor.organisatie, b, ctx.nu)?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[C::GezagEnOmgang],
        Object {
            soort: "beschikkingen",
            id: b.id.to_string(),
            eigenaar: b.eigenaar.clone(),
        },
        json!({"gezin": b.gezin, "soort": b.soort, "van": b.van, "tot": b.tot, "sterkeArm": b.sterke_arm}),
        &leden.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
    )?;
    Ok(beschikking_kort(
        &b,
        ctx.vandaag(),
        &|u| persoon_ref(&leden, u),
        &|u| geboren_van(&leden, u),
    ))
}

/// The birth date of person record `id` among `personen`.
pub fn geboren_van(personen: &[personen::Persoon], id: &Uuid) -> Option<NaiveDate> {
    personen
        .iter()
        .find(|p| p.id == *id)
        .map(|p| p.gegevens.geboortedatum)
}

/// Rule `MAATREGEL_OVER_MINDERJARIGE` at recording, on the body as sent: a decision about
/// minors names no child who is 18 or older on its `van` (only when `soort` and `van`
/// read). Only a child of family `g` is judged: a parent or a stranger named in
/// `kinderen` is already named by `BESCHIKKING_KINDEREN_VAN_GEZIN`, and one problem per
/// entry says what is wrong with it (a parent's age is not the fault).
fn minderjarig_bij_begin(
    invoer: &BeschikkingInvoer,
    g: &gezinnen::Gezin,
    kinderen: &[(String, Uuid)],
    leden: &[personen::Persoon],
) -> Vec<InvalidParam> {
    let soort = invoer
        .soort
        .as_deref()
        .and_then(|s| s.parse::<Beschikkingsoort>().ok());
    let van = invoer::datum_zoals_gestuurd(invoer.van.as_deref());
    let (Some(soort), Some(van)) = (soort, van) else {
        return vec![];
    };
    if !soort.over_minderjarige() {
        return vec![];
    }
    kinderen
        .iter()
        .filter(|(_, k)| g.kinderen().any(|c| c == *k))
        .filter(|(_, k)| geboren_van(leden, k).is_some_and(|d| crate::gezag::meerderjarig_op(d, van)))
        .map(|(veld, _)| InvalidParam {
            name: veld.clone(),
            code: MAATREGEL_OVER_MINDERJARIGE.into(),
            reason: "dit kind is op `van` 18 jaar of ouder: een beschikking van deze `soort` gaat over een minderjarige en eindigt van rechtswege bij meerderjarigheid (regel MAATREGEL_OVER_MINDERJARIGE, BW 1:233)".into(),
        })
        .collect()
}

/// Rule `BESCHIKKING_KINDEREN_VAN_GEZIN`: a decision recorded on a family concerns its
/// children: each person in `kinderen` is a member of family `g` with relation `kind`
/// (DOMAIN.md §4 "Family-law facts": an OTS, a UHP, an omgangs- or gezagsbeslissing is
/// about minors, BW 1:255, 1:265b, 1:377a). A parent or a person outside the family is
/// named at `kinderen[N]`.
pub const BESCHIKKING_KINDEREN_VAN_GEZIN: &str = "beschikking-kinderen-van-gezin";

fn kinderen_van_gezin(g: &gezinnen::Gezin, kinderen: &[(String, Uuid)]) -> Vec<InvalidParam> {
    let mut v = Validatie::new();
    for (veld, k) in kinderen {
        let kind = g.kinderen().any(|c| c == *k);
        if !kind {
            v.fout(
                veld.clone(),
                BESCHIKKING_KINDEREN_VAN_GEZIN,
                "`kinderen` noemt alleen kinderen van dit gezin (lid met relatie `kind`); deze persoon is dat niet (regel BESCHIKKING_KINDEREN_VAN_GEZIN)",
            );
        }
    }
    v.afronden(|| ()).err().unwrap_or_default()
}

/// What a record resting on a decision (a gezag's or an arrangement's `beschikking`) is
/// about: one child, or one family.
#[derive(Debug, Clone, Copy)]
pub enum Onderwerp<'a> {
    /// The child (a person of the caller's organisation): the decision names it, or a
    /// person with its identity (another organisation's record of the same child).
    Kind(&'a personen::Persoon),
    /// The family: the decision is recorded on it.
    Gezin(Uuid),
}

/// Rule `BESCHIKKING_OVER_ONDERWERP`: the decision a record rests on is about that
/// record's child (the child, or a person with its identity, is in its `kinderen`) or
/// recorded on that record's family. A decision the caller can see that is about another
/// is a 422 with this code naming the field.
pub const BESCHIKKING_OVER_ONDERWERP: &str = "beschikking-over-onderwerp";

/// Rule `GEZAG_NIET_VOOR_BESCHIKKING`: a gezag resting on a court decision
/// (`bron` `beschikking`) is not verified (`geverifieerdOp`) before the day the decision
/// was given (its `datum`): one cannot have read in a decision what it did not yet say.
/// A 422 with this code naming `geverifieerdOp`, beside the body's other problems. The
/// same kind of fault as `NIET_VOOR_HET_INCIDENT` (outside tester, round three).
pub const GEZAG_NIET_VOOR_BESCHIKKING: &str = "gezag-niet-voor-beschikking";

/// Rule `GEZAG_BERUST_OP_GEZAGSBESLISSING`: a gezag record whose source is a court
/// decision (`bron` `beschikking`) rests on a decision that decides gezag
/// (`Beschikkingsoort::beslist_gezag`: kind `gezag`, BW 1:251a, 1:253c, 1:253n, 1:253t,
/// 1:266, 1:268, 1:277, 1:295, 1:327). An OTS, UHP, omgang, zorgregeling, huisverbod,
/// straatverbod or `overig` decides no gezag: a 422 with this code naming `beschikking`,
/// beside the body's other problems, judged only for a decision in the caller's view. The
/// briefing likewise shows no gezag record resting on such a decision (stored before this
/// rule): it is no confirmed legal fact.
pub const GEZAG_BERUST_OP_GEZAGSBESLISSING: &str = "gezag-berust-op-gezagsbeslissing";

/// Rule `REGELING_BERUST_OP_PASSENDE_BESCHIKKING`: an arrangement whose source is a court
/// decision rests on a decision of a matching kind (`Regelingsoort::past_bij`): an
/// omgangsregeling on an `omgang` decision (BW 1:377a lid 2, 1:377e) or on a `gezag`
/// decision that set it with the gezag (BW 1:251a, 1:253c; Rv 815: the parenting plan);
/// a zorgregeling on a `zorgregeling` decision (BW 1:253a lid 2) or on a `gezag`
/// decision (BW 1:251a lid 4 [check]). Never on an OTS, UHP, huisverbod (the
/// burgemeester's order, Wet tijdelijk huisverbod), straatverbod or `overig`, nor an
/// omgangsregeling on a zorgregeling decision or the reverse. A 422 with this code naming
/// `beschikking`, beside the body's other problems, judged only for a decision in the
/// caller's view.
pub const REGELING_BERUST_OP_PASSENDE_BESCHIKKING: &str = "regeling-berust-op-passende-beschikking";

/// The kinds of decision a record may rest on, for `verwijzing`: whether kind `past`, and
/// the rule's code and reason when it does not.
pub struct Soorteis<'a> {
    pub past: &'a dyn Fn(Beschikkingsoort) -> bool,
    pub code: &'static str,
    /// The reason, given the decision's kind.
    pub reden: &'a dyn Fn(Beschikkingsoort) -> String,
}

/// Rule `BESCHIKKING_VERWIJZING`: a reference to a decision (`beschikking` of a gezag or
/// an arrangement) names one that exists and that the caller's organisation can see (its
/// own, or one whose owner's `gezag-en-omgang` records the agreements let it read, as the
/// briefing would show it), about the record's subject (`BESCHIKKING_OVER_ONDERWERP`).
/// A decision outside the view is answered exactly as one that does not exist (422
/// `reference`, `EEN_ORGANISATIE_ZICHT`): the answer does not tell it exists. Nothing is
/// read from the decision but its owner, family and children's ids, and nothing is
/// logged: no personal data is shown.
///
/// `na`: the referring record's own date that cannot precede the decision's `datum`
/// (field name, date as sent), as a gezag verified from a decision that was not yet given
/// (`GEZAG_NIET_VOOR_BESCHIKKING`); judged only for a decision in the caller's view, so
/// the answer tells nothing of one outside it.
///
/// `soort`: the kinds the record may rest on (`GEZAG_BERUST_OP_GEZAGSBESLISSING`,
/// `REGELING_BERUST_OP_PASSENDE_BESCHIKKING`), likewise judged only for a decision in the
/// caller's view; `None` when the record's own kind is not known (its first phase refused
/// it).
pub fn verwijzing(
    conn: &mut DbConnection,
    ctx: &Context,
    veld: &str,
    id: Uuid,
    over: Onderwerp<'_>,
    na: Option<(&str, NaiveDate)>,
    soort: Option<Soorteis<'_>>,
) -> Result<Vec<InvalidParam>, Fout> {
    let rij: Option<(String, String, String, NaiveDate, Beschikkingsoort)> = beschikkingen::table
        .filter(beschikkingen::id.eq(id.to_string()))
        .select((
            beschikkingen::eigenaar,
            beschikkingen::gezin_id,
            beschikkingen::kinderen,
            beschikkingen::datum,
            beschikkingen::soort,
        ))
        .first(conn)
        .optional()?;
    let onbekend = || InvalidParam {
        name: veld.to_string(),
        code: "reference".into(),
        reason: format!(
            "`{veld}` noemt geen beschikking die uw organisatie kan zien; leg de beschikking eerst vast (POST /gezinnen/{{id}}/beschikkingen) of noem er een die uw organisatie kan zien"
        ),
    };
    let Some((eigenaar, gezin_id, kinderen, gegeven, besluitsoort)) = rij else {
        return Ok(vec![onbekend()]);
    };
    if eigenaar != ctx.actor.organisatie {
        let niveau = Uuid::parse_str(&gezin_id)
            .ok()
            .map(|g| gezinnen::vind(conn, g))
            .transpose()?
            .flatten()
            .map(|g| g.vertrouwelijkheid)
            .unwrap_or(ketenregie_common::Vertrouwelijkheid::STANDAARD);
        if !toegang::mag_lezen(conn, ctx, &eigenaar, &[C::GezagEnOmgang], niveau)? {
            return Ok(vec![onbekend()]);
        }
    }
    let mut fouten = Vec::new();
    if let Some((naam, op)) = na
        && op < gegeven
    {
        fouten.push(InvalidParam {
            name: naam.to_string(),
            code: GEZAG_NIET_VOOR_BESCHIKKING.into(),
            reason: format!("`{naam}` ligt vóór de datum van de beschikking in `{veld}`: wat op een beschikking berust, is niet vastgesteld voordat zij gegeven was (regel GEZAG_NIET_VOOR_BESCHIKKING)"),
        });
    }
    if let Some(eis) = soort
        && !(eis.past)(besluitsoort)
    {
        fouten.push(InvalidParam {
            name: veld.to_string(),
            code: eis.code.into(),
            reason: (eis.reden)(besluitsoort),
        });
    }
    let over_onderwerp = match over {
        Onderwerp::Gezin(g) => gezin_id == g.to_string(),
        Onderwerp::Kind(kind) => {
            let kinderen: Vec<String> = serde_json::from_str::<Vec<Uuid>>(&kinderen)
                .unwrap_or_default()
                .iter()
                .map(Uuid::to_string)
                .collect();
            kinderen.contains(&kind.id.to_string())
                || personen::betrokkenen_van(conn, &kinderen)?.contains(&kind.betrokkene)
        }
    };
    fouten.extend((!over_onderwerp).then(|| InvalidParam {
        name: veld.to_string(),
        code: BESCHIKKING_OVER_ONDERWERP.into(),
        reason: match over {
            Onderwerp::Kind(_) => format!("de beschikking in `{veld}` gaat niet over dit kind (het staat niet in haar `kinderen`); noem de beschikking waarop dit gezag berust (regel BESCHIKKING_OVER_ONDERWERP)"),
            Onderwerp::Gezin(_) => format!("de beschikking in `{veld}` is niet in dit gezin vastgelegd; noem een beschikking van dit gezin (regel BESCHIKKING_OVER_ONDERWERP)"),
        },
    }));
    Ok(fouten)
}

/// Store a decision of `eigenaar`; its children must be its persons.
pub fn voeg_in(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    mut b: Beschikking,
    nu: DateTime<Utc>,
) -> Result<Beschikking, Fout> {
    let verwijzingen: Vec<(String, Uuid)> = b
        .kinderen
        .iter()
        .enumerate()
        .map(|(i, k)| (format!("kinderen[{i}]"), *k))
        .collect();
    crate::personen::eigen_personen(conn, eigenaar, &verwijzingen)?;
    b.eigenaar = eigenaar.to_string();
    diesel::insert_into(beschikkingen::table)
        .values((
            beschikkingen::id.eq(b.id.to_string()),
            beschikkingen::eigenaar.eq(eigenaar),
            beschikkingen::gezin_id.eq(b.gezin.to_string()),
            beschikkingen::rechtbank.eq(&b.rechtbank),
            beschikkingen::zaaknummer.eq(&b.zaaknummer),
            beschikkingen::datum.eq(b.datum),
            beschikkingen::soort.eq(b.soort),
            beschikkingen::van.eq(b.van),
            beschikkingen::tot.eq(b.tot),
            beschikkingen::uitvoerbaar_bij_voorraad.eq(b.uitvoerbaar_bij_voorraad),
            beschikkingen::sterke_arm.eq(b.sterke_arm),
            beschikkingen::sterke_arm_tekst.eq(v.versleutel_optie(b.sterke_arm_tekst.as_deref())),
            beschikkingen::kinderen.eq(serde_json::to_string(&b.kinderen).expect("serialises")),
            beschikkingen::gebruikt_op.eq(b.gebruikt_op),
            beschikkingen::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    Ok(b)
}

/// A stored decision.
#[derive(Queryable, Selectable)]
#[diesel(table_name = beschikkingen)]
struct Rij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    eigenaar: String,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    gezin_id: Uuid,
    rechtbank: String,
    zaaknummer: String,
    datum: NaiveDate,
    soort: Beschikkingsoort,
    van: NaiveDate,
    tot: Option<NaiveDate>,
    uitvoerbaar_bij_voorraad: bool,
    sterke_arm: bool,
    sterke_arm_tekst: Option<String>,
    #[diesel(deserialize_as = Json<Vec<Uuid>>)]
    kinderen: Vec<Uuid>,
    gebruikt_op: Option<NaiveDate>,
}

/// The decisions recorded in these families, their clause text decrypted.
pub fn van_gezinnen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    gezinnen: &[String],
) -> QueryResult<Vec<Beschikking>> {
    let rijen: Vec<Rij> = beschikkingen::table
        .filter(beschikkingen::gezin_id.eq_any(gezinnen))
        .order(beschikkingen::datum.desc())
        .select(Rij::as_select())
        .load(conn)?;
    uit_rijen(v, rijen)
}

/// The decisions with these ids, their clause text decrypted (for the briefing: whether
/// the decision a gezag record rests on is in force; nothing of it is shown).
pub fn van_ids(
    conn: &mut DbConnection,
    v: &Versleuteling,
    ids: &[String],
) -> QueryResult<Vec<Beschikking>> {
    let rijen: Vec<Rij> = beschikkingen::table
        .filter(beschikkingen::id.eq_any(ids))
        .select(Rij::as_select())
        .load(conn)?;
    uit_rijen(v, rijen)
}

fn uit_rijen(v: &Versleuteling, rijen: Vec<Rij>) -> QueryResult<Vec<Beschikking>> {
    rijen
        .into_iter()
        .map(|r| {
            Ok(Beschikking {
                id: r.id,
                eigenaar: r.eigenaar,
                gezin: r.gezin_id,
                rechtbank: r.rechtbank,
                zaaknummer: r.zaaknummer,
                datum: r.datum,
                soort: r.soort,
                van: r.van,
                tot: r.tot,
                uitvoerbaar_bij_voorraad: r.uitvoerbaar_bij_voorraad,
                sterke_arm: r.sterke_arm,
                sterke_arm_tekst: v.lees_kolom_optie(r.sterke_arm_tekst.as_deref())?,
                kinderen: r.kinderen,
                gebruikt_op: r.gebruikt_op,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn invoer(soort: &str, van: &str, tot: Option<&str>) -> BeschikkingInvoer {
        BeschikkingInvoer {
            rechtbank: Some("Rechtbank Den Haag".into()),
            zaaknummer: Some("C/09/1".into()),
            datum: Some(van.into()),
            soort: Some(soort.into()),
            van: Some(van.into()),
            tot: tot.map(str::to_string),
            uitvoerbaar_bij_voorraad: Some(true),
            sterke_arm: Some(false),
            sterke_arm_tekst: None,
            kinderen: Some(vec![Uuid::from_u128(1)]),
            gebruikt_op: None,
        }
    }

    fn regel_van(r: Result<Beschikking, Fout>) -> Vec<String> {
        match r {
            Err(Fout::Ongeldig(f)) => f
                .into_iter()
                .map(|f| format!("{}:{}", f.name, f.code))
                .collect(),
            Ok(_) => vec![],
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn voorlopige_ots_at_most_three_months() {
        let g = Uuid::nil();
        let v = d("2026-11-29");
        // `tot` is the last day in force: from 1 September, 30 November (`laatste_dag`).
        assert!(
            regel_van(invoer("voorlopige-ots", "2026-09-01", Some("2026-11-30")).valideer(g, v))
                .is_empty()
        );
        assert_eq!(
            regel_van(invoer("voorlopige-ots", "2026-09-01", Some("2026-12-01")).valideer(g, v)),
            ["tot:voorlopige-ots-max-drie-maanden"]
        );
    }

    #[test]
    fn huisverbod_runs_ten_days_and_at_most_twenty_eight() {
        let g = Uuid::nil();
        let v = d("2026-11-29");
        let b = invoer("huisverbod", "2026-11-20", None)
            .valideer(g, v)
            .unwrap();
        assert_eq!(b.effectief_tot(), Some(d("2026-11-30")));
        assert_eq!(b.werking(d("2026-11-30")), Werking::InWerking);
        assert_eq!(b.werking(d("2026-12-01")), Werking::Verlopen);
        assert!(
            regel_van(invoer("huisverbod", "2026-11-01", Some("2026-11-29")).valideer(g, v))
                .is_empty()
        );
        assert_eq!(
            regel_van(invoer("huisverbod", "2026-11-01", Some("2026-11-30")).valideer(g, v)),
            ["tot:huisverbod-max-28-dagen"]
        );
    }

    #[test]
    fn unused_uhp_lapses_after_three_months() {
        let g = Uuid::nil();
        let v = d("2026-11-29");
        let mut b = invoer("uhp", "2026-06-01", Some("2027-05-31"))
            .valideer(g, v)
            .unwrap();
        assert_eq!(b.werking(d("2026-08-31")), Werking::InWerking);
        assert_eq!(b.werking(d("2026-09-01")), Werking::Vervallen);
        b.gebruikt_op = Some(d("2026-07-01"));
        assert_eq!(b.werking(d("2026-11-29")), Werking::InWerking);
        assert_eq!(
            regel_van(invoer("uhp", "2026-06-01", Some("2027-06-02")).valideer(g, v)),
            ["tot:uhp-max-een-jaar"]
        );
    }

    #[test]
    fn uhp_used_after_it_lapsed_is_refused_and_stays_lapsed() {
        let g = Uuid::nil();
        let v = d("2026-12-02");
        let mut i = invoer("uhp", "2026-05-01", Some("2027-04-30"));
        i.gebruikt_op = Some("2026-08-01".into());
        assert_eq!(
            regel_van(i.valideer(g, v)),
            ["gebruiktOp:uhp-vervalt-na-drie-maanden-ongebruikt"]
        );
        i.gebruikt_op = Some("2026-07-31".into());
        let mut b = i.valideer(g, v).unwrap();
        assert_eq!(b.werking(v), Werking::InWerking);
        // Stored before the rule was checked: a late use does not revive it.
        b.gebruikt_op = Some(d("2026-11-01"));
        assert_eq!(b.werking(v), Werking::Vervallen);
    }

    #[test]
    fn measure_over_a_minor_ends_at_majority() {
        let g = Uuid::nil();
        let v = d("2026-12-02");
        let mut i = invoer("ots", "2026-06-01", Some("2027-05-31"));
        let (tim, zus) = (Uuid::from_u128(1), Uuid::from_u128(2));
        i.kinderen = Some(vec![tim, zus]);
        let b = i.valideer(g, v).unwrap();
        let geboren = |k: &Uuid| {
            Some(if *k == tim {
                d("2008-11-20")
            } else {
                d("2015-06-06")
            })
        };
        assert_eq!(b.werking_voor(v, &geboren), Werking::InWerking);
        assert_eq!(b.kinderen_op(v, &geboren), [zus]);
        assert_eq!(b.kinderen_op(d("2026-11-19"), &geboren), [tim, zus]);
        let alleen_tim = Beschikking {
            kinderen: vec![tim],
            ..b.clone()
        };
        assert_eq!(
            alleen_tim.werking_voor(d("2026-11-19"), &geboren),
            Werking::InWerking
        );
        assert_eq!(
            alleen_tim.werking_voor(d("2026-11-20"), &geboren),
            Werking::Verlopen
        );
        // A huisverbod is not about the child's minority.
        let hv = Beschikking {
            soort: Beschikkingsoort::Huisverbod,
            van: d("2026-11-28"),
            tot: None,
            ..alleen_tim
        };
        assert_eq!(hv.werking_voor(v, &geboren), Werking::InWerking);
    }

    #[test]
    fn clause_only_with_sterke_arm() {
        let mut i = invoer("omgang", "2026-01-01", None);
        i.sterke_arm_tekst = Some("met behulp van de sterke arm".into());
        assert_eq!(
            regel_van(i.clone().valideer(Uuid::nil(), d("2026-11-29"))),
            ["sterkeArmTekst:sterke-arm-tekst-alleen-met-sterke-arm"]
        );
        // Without `sterkeArm`: its own `required` too.
        i.sterke_arm = None;
        assert_eq!(
            regel_van(i.valideer(Uuid::nil(), d("2026-11-29"))),
            [
                "sterkeArm:required",
                "sterkeArmTekst:sterke-arm-tekst-alleen-met-sterke-arm"
            ]
        );
    }

    #[test]
    fn sterke_arm_needs_its_clause() {
        let mut i = invoer("omgang", "2026-01-01", None);
        i.sterke_arm = Some(true);
        assert_eq!(
            regel_van(i.valideer(Uuid::nil(), d("2026-11-29"))),
            ["sterkeArmTekst:sterke-arm-met-tekst"]
        );
    }
}

//! The content of a zorgmelding: the children (with their own words), parents and carers,
//! the incident, the concerns, the reporter's safety assessment, statements attributed to
//! who made them, whether the parents were told, and the reporter's identity choice
//! (DOMAIN.md §4 "Reporter identity"). Parsed from loose input so that every problem is
//! named at once.

use chrono::NaiveDate;
use ketenregie_common::{Validatie, is_gemeentecode, regelcode};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;

pub const MAX_TEKST: usize = 20_000;

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
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Risiconiveau {
    Laag,
    Verhoogd,
    Hoog,
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
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
#[schema(as = OuderRelatie)]
pub enum Relatie {
    Moeder,
    Vader,
    Verzorger,
    Stiefouder,
    Pleegouder,
    Anders,
}

/// Who made a statement (hoor en wederhoor: each side in its own words).
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
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
#[schema(as = MeldingVerklaarder)]
pub enum Verklaarder {
    Moeder,
    Vader,
    Kind,
    Getuige,
    Agent,
    Anders,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kind {
    pub voornaam: String,
    pub achternaam: String,
    pub geboortedatum: Option<NaiveDate>,
    /// Nine digits; passes the elfproef. Never in a URL or a log.
    pub bsn: Option<String>,
    /// CBS code of the municipality of residence: decides the Veilig Thuis.
    pub gemeente: String,
    /// The child's own words, if any.
    pub eigen_woorden: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Volwassene {
    pub voornaam: String,
    pub achternaam: String,
    pub relatie: Relatie,
    pub bsn: Option<String>,
    /// Has parental authority (gezag), if known.
    pub gezag: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verklaring {
    /// Who said it (name as recorded).
    pub persoon: String,
    pub rol: Verklaarder,
    pub tekst: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Melder {
    /// `null` in an answer to a caller who may not see the reporter's identity.
    #[schema(value_type = Option<String>, required = true)]
    pub naam: String,
    /// `null` as `naam`.
    #[schema(value_type = Option<String>, required = true)]
    pub functie: String,
    /// May the family be told who reported? A professional is named unless that threatens
    /// the family, the reporter or colleagues, or the trust relationship (Wmo 2015).
    pub identiteit_delen: bool,
    /// Why not, when not shared.
    pub reden: Option<String>,
}

/// The validated content, stored encrypted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = MeldingInhoud)]
pub struct Inhoud {
    pub kinderen: Vec<Kind>,
    pub ouders: Vec<Volwassene>,
    pub incident_referentie: Option<String>,
    pub incident_datum: Option<NaiveDate>,
    /// What happened; `null` in an answer to a caller who may not see politiegegevens
    /// (`geredigeerd`).
    #[schema(value_type = Option<String>, required = true)]
    pub omschrijving: String,
    pub zorgen: String,
    pub acuut: bool,
    pub risiconiveau: Risiconiveau,
    pub verklaringen: Vec<Verklaring>,
    pub ouders_geinformeerd: bool,
    pub reden_niet_geinformeerd: Option<String>,
    pub terugkoppeling_gewenst: bool,
    pub melder: Melder,
}

impl Inhoud {
    /// The CBS codes of the children's municipalities, sorted and unique.
    pub fn gemeenten(&self) -> Vec<String> {
        let mut g: Vec<String> = self.kinderen.iter().map(|k| k.gemeente.clone()).collect();
        g.sort();
        g.dedup();
        g
    }
}

// ---- loose input ----------------------------------------------------------------------
//
// Every field is optional in Rust so that `valideer` can name every problem at once; the
// `#[schema]` attributes publish the rules `valideer` enforces (required, lengths after
// trimming, patterns, enums), so the document says what the server accepts.

/// A child in a melding as filed. A date of birth or a BSN is required (not expressible in
/// the schema: `valideer` names `geboortedatum`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KindInvoer {
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub voornaam: Option<String>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub achternaam: Option<String>,
    /// Date of birth: `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(value_type = Option<String>, format = Date)]
    pub geboortedatum: Option<String>,
    /// Nine digits passing the elfproef (blank is none).
    #[schema(value_type = Option<String>, pattern = r"^[0-9]{9}$")]
    pub bsn: Option<String>,
    /// CBS code of the municipality of residence: four digits.
    #[schema(value_type = String, required = true, pattern = r"^[0-9]{4}$", example = "0518")]
    pub gemeente: Option<String>,
    #[schema(value_type = Option<String>, max_length = 20_000)]
    pub eigen_woorden: Option<String>,
}

/// A parent or carer in a melding as filed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolwasseneInvoer {
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub voornaam: Option<String>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub achternaam: Option<String>,
    #[schema(value_type = Relatie, required = true)]
    pub relatie: Option<String>,
    /// Nine digits passing the elfproef (blank is none).
    #[schema(value_type = Option<String>, pattern = r"^[0-9]{9}$")]
    pub bsn: Option<String>,
    pub gezag: Option<bool>,
}

/// A statement in a melding as filed: who said it (a name), in which role, and what.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = MeldingVerklaringInvoer)]
pub struct VerklaringInvoer {
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub persoon: Option<String>,
    #[schema(value_type = Verklaarder, required = true)]
    pub rol: Option<String>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 20_000, pattern = r"\S")]
    pub tekst: Option<String>,
}

/// The reporter of a melding as filed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MelderInvoer {
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub naam: Option<String>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub functie: Option<String>,
    #[schema(value_type = bool, required = true)]
    pub identiteit_delen: Option<bool>,
    /// Required when `identiteitDelen` is false.
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub reden: Option<String>,
}

/// A zorgmelding as filed or changed (concept). Every problem is reported at once; rules
/// across fields (`redenNietGeinformeerd` when `oudersGeinformeerd` is false, a date of
/// birth or BSN per child) are named in `invalidParams`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeldingInvoer {
    #[schema(value_type = Vec<KindInvoer>, required = true, min_items = 1)]
    pub kinderen: Option<Vec<KindInvoer>>,
    #[schema(value_type = Option<Vec<VolwasseneInvoer>>)]
    pub ouders: Option<Vec<VolwasseneInvoer>>,
    #[schema(value_type = Option<String>, max_length = 100)]
    pub incident_referentie: Option<String>,
    /// Day of the incident: `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(value_type = Option<String>, format = Date)]
    pub incident_datum: Option<String>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 20_000, pattern = r"\S")]
    pub omschrijving: Option<String>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 20_000, pattern = r"\S")]
    pub zorgen: Option<String>,
    #[schema(value_type = bool, required = true)]
    pub acuut: Option<bool>,
    #[schema(value_type = Risiconiveau, required = true)]
    pub risiconiveau: Option<String>,
    #[schema(value_type = Option<Vec<VerklaringInvoer>>)]
    pub verklaringen: Option<Vec<VerklaringInvoer>>,
    #[schema(value_type = bool, required = true)]
    pub ouders_geinformeerd: Option<bool>,
    /// Required when `oudersGeinformeerd` is false.
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub reden_niet_geinformeerd: Option<String>,
    #[schema(value_type = Option<bool>)]
    pub terugkoppeling_gewenst: Option<bool>,
    #[schema(value_type = MelderInvoer, required = true)]
    pub melder: Option<MelderInvoer>,
    #[schema(value_type = Option<ketenregie_common::Vertrouwelijkheid>)]
    pub vertrouwelijkheid: Option<String>,
}

/// A date of a fact in a melding (a child's birth date, the day of the incident): from
/// 1900-01-01 up to today (`Datumbereik::verleden`).
fn datum(v: &mut Validatie, naam: &str, s: Option<&str>, vandaag: NaiveDate) -> Option<NaiveDate> {
    let wat = if naam.ends_with("geboortedatum") {
        "een geboortedatum"
    } else {
        "de datum van een incident"
    };
    v.datum(
        naam,
        s,
        ketenregie_common::Datumbereik::verleden(wat, vandaag),
    )
}

/// The keys that make two persons of a melding the same person: the BSN, and for a child
/// its name with its date of birth (case and surrounding white space ignored).
fn persoonsleutels(
    bsn: Option<&str>,
    voornaam: Option<&str>,
    achternaam: Option<&str>,
    geboren: Option<NaiveDate>,
) -> Vec<String> {
    let mut uit = Vec::new();
    if let Some(b) = bsn {
        uit.push(format!("bsn:{b}"));
    }
    if let (Some(vn), Some(an), Some(d)) = (voornaam, achternaam, geboren) {
        uit.push(format!(
            "naam:{}|{}|{d}",
            vn.to_lowercase(),
            an.to_lowercase()
        ));
    }
    uit
}

/// Rule `regelcode::DUBBEL` on a melding's persons: the entry at `pad` names a person an
/// earlier child or parent named already (the same BSN, or a child with the same name and
/// date of birth); the later entry is named, its value not repeated. A child twice would
/// be counted, routed and reported twice, and a parent with a child's BSN mixes up two
/// people's records (the outside tester's finding of Dec 2026).
fn dubbel(v: &mut Validatie, gezien: &mut Vec<String>, pad: String, sleutels: Vec<String>) {
    if sleutels.iter().any(|s| gezien.contains(s)) {
        v.fout(
            pad,
            regelcode::DUBBEL,
            "deze persoon staat al eerder in de melding (zelfde BSN, of een kind met dezelfde naam en geboortedatum); noem elke persoon één keer",
        );
    }
    gezien.extend(sleutels);
}

fn bsn(v: &mut Validatie, naam: &str, s: Option<&str>) -> Option<String> {
    v.bsn(naam, s).map(|b| b.expose().to_string())
}

impl MeldingInvoer {
    /// Parse into the content; `vandaag` bounds dates of birth.
    pub fn valideer(
        &self,
        vandaag: NaiveDate,
    ) -> Result<(Inhoud, ketenregie_common::Vertrouwelijkheid), Vec<ketenregie_common::InvalidParam>>
    {
        let mut v = Validatie::new();
        let mut kinderen = Vec::new();
        // Each person once (`regelcode::DUBBEL`), over the children and the parents.
        let mut gezien: Vec<String> = Vec::new();
        match &self.kinderen {
            None => v.fout(
                "kinderen",
                "required",
                "een zorgmelding gaat over ten minste één kind",
            ),
            Some(k) if k.is_empty() => v.fout(
                "kinderen",
                "minItems",
                "een zorgmelding gaat over ten minste één kind",
            ),
            Some(k) => {
                for (i, k) in k.iter().enumerate() {
                    let p = |f: &str| format!("kinderen[{i}].{f}");
                    let voornaam = v.tekstregel(&p("voornaam"), k.voornaam.as_deref(), 200);
                    let achternaam = v.tekstregel(&p("achternaam"), k.achternaam.as_deref(), 200);
                    let geboortedatum = datum(
                        &mut v,
                        &p("geboortedatum"),
                        k.geboortedatum.as_deref(),
                        vandaag,
                    );
                    let b = bsn(&mut v, &p("bsn"), k.bsn.as_deref());
                    if k.geboortedatum.is_none()
                        && k.bsn.as_deref().map(str::trim).is_none_or(str::is_empty)
                    {
                        v.fout(
                            p("geboortedatum"),
                            regelcode::EEN_VAN,
                            "van elk kind is een geboortedatum of een BSN nodig",
                        );
                    }
                    let gemeente = v.tekstregel(&p("gemeente"), k.gemeente.as_deref(), 4);
                    if let Some(g) = &gemeente
                        && !is_gemeentecode(g)
                    {
                        v.fout(
                            p("gemeente"),
                            "pattern",
                            format!("`{}` is geen CBS-gemeentecode (4 cijfers)", p("gemeente")),
                        );
                    }
                    let eigen_woorden = v.optionele_tekst(
                        &p("eigenWoorden"),
                        k.eigen_woorden.as_deref(),
                        MAX_TEKST,
                    );
                    let sleutels = persoonsleutels(
                        b.as_deref(),
                        voornaam.as_deref(),
                        achternaam.as_deref(),
                        geboortedatum,
                    );
                    dubbel(&mut v, &mut gezien, format!("kinderen[{i}]"), sleutels);
                    if let (Some(voornaam), Some(achternaam), Some(gemeente)) =
                        (voornaam, achternaam, gemeente)
                    {
                        kinderen.push(Kind {
                            voornaam,
                            achternaam,
                            geboortedatum,
                            bsn: b,
                            gemeente,
                            eigen_woorden,
                        });
                    }
                }
            }
        }
        let mut ouders = Vec::new();
        for (i, o) in self.ouders.iter().flatten().enumerate() {
            let p = |f: &str| format!("ouders[{i}].{f}");
            let voornaam = v.tekstregel(&p("voornaam"), o.voornaam.as_deref(), 200);
            let achternaam = v.tekstregel(&p("achternaam"), o.achternaam.as_deref(), 200);
            let relatie: Option<Relatie> = v.keuze(&p("relatie"), o.relatie.as_deref());
            let b = bsn(&mut v, &p("bsn"), o.bsn.as_deref());
            // A parent is the same person as an earlier one by BSN only (two carers
            // without one may share a name).
            let sleutels = persoonsleutels(b.as_deref(), None, None, None);
            dubbel(&mut v, &mut gezien, format!("ouders[{i}]"), sleutels);
            if let (Some(voornaam), Some(achternaam), Some(relatie)) =
                (voornaam, achternaam, relatie)
            {
                ouders.push(Volwassene {
                    voornaam,
                    achternaam,
                    relatie,
                    bsn: b,
                    gezag: o.gezag,
                });
            }
        }
        let incident_referentie = v.optionele_tekstregel(
            "incidentReferentie",
            self.incident_referentie.as_deref(),
            100,
        );
        let incident_datum = datum(
            &mut v,
            "incidentDatum",
            self.incident_datum.as_deref(),
            vandaag,
        );
        let omschrijving = v.tekst("omschrijving", self.omschrijving.as_deref(), MAX_TEKST);
        let zorgen = v.tekst("zorgen", self.zorgen.as_deref(), MAX_TEKST);
        let acuut = v.verplicht("acuut", self.acuut);
        let risiconiveau: Option<Risiconiveau> =
            v.keuze("risiconiveau", self.risiconiveau.as_deref());
        let mut verklaringen = Vec::new();
        for (i, s) in self.verklaringen.iter().flatten().enumerate() {
            let p = |f: &str| format!("verklaringen[{i}].{f}");
            let persoon = v.tekstregel(&p("persoon"), s.persoon.as_deref(), 200);
            let rol: Option<Verklaarder> = v.keuze(&p("rol"), s.rol.as_deref());
            let tekst = v.tekst(&p("tekst"), s.tekst.as_deref(), MAX_TEKST);
            if let (Some(persoon), Some(rol), Some(tekst)) = (persoon, rol, tekst) {
                verklaringen.push(Verklaring {
                    persoon,
                    rol,
                    tekst,
                });
            }
        }
        let ouders_geinformeerd = v.verplicht("oudersGeinformeerd", self.ouders_geinformeerd);
        let reden_niet = v.optionele_tekst(
            "redenNietGeinformeerd",
            self.reden_niet_geinformeerd.as_deref(),
            2000,
        );
        if ouders_geinformeerd == Some(false) && reden_niet.is_none() {
            v.fout(
                "redenNietGeinformeerd",
                regelcode::VERPLICHT_BIJ,
                "zeg waarom de ouders niet zijn geïnformeerd",
            );
        }
        let melder = match &self.melder {
            None => {
                v.fout(
                    "melder",
                    "required",
                    "de melder (naam, functie, identiteit delen ja/nee) is verplicht",
                );
                None
            }
            Some(m) => {
                let naam = v.tekstregel("melder.naam", m.naam.as_deref(), 200);
                let functie = v.tekstregel("melder.functie", m.functie.as_deref(), 200);
                let delen = v.verplicht("melder.identiteitDelen", m.identiteit_delen);
                let reden = v.optionele_tekst("melder.reden", m.reden.as_deref(), 2000);
                // Not given, or blank (a reason given but saying nothing is named above).
                let blanco = m
                    .reden
                    .as_deref()
                    .is_none_or(|r| ketenregie_common::validatie::zonder_spatie(r).is_empty());
                if delen == Some(false) && blanco {
                    v.fout(
                        "melder.reden",
                        regelcode::VERPLICHT_BIJ,
                        "leg vast waarom de identiteit van de melder niet wordt gedeeld",
                    );
                }
                match (naam, functie, delen) {
                    (Some(naam), Some(functie), Some(identiteit_delen)) => Some(Melder {
                        naam,
                        functie,
                        identiteit_delen,
                        reden,
                    }),
                    _ => None,
                }
            }
        };
        let niveau: ketenregie_common::Vertrouwelijkheid = match self.vertrouwelijkheid.as_deref() {
            None => ketenregie_common::Vertrouwelijkheid::STANDAARD,
            Some(s) => v
                .keuze("vertrouwelijkheid", Some(s))
                .unwrap_or(ketenregie_common::Vertrouwelijkheid::STANDAARD),
        };
        let fouten = v.afronden(|| ()).err();
        if let Some(f) = fouten {
            return Err(f);
        }
        match (
            omschrijving,
            zorgen,
            acuut,
            risiconiveau,
            ouders_geinformeerd,
            melder,
        ) {
            (
                Some(omschrijving),
                Some(zorgen),
                Some(acuut),
                Some(risiconiveau),
                Some(ouders_geinformeerd),
                Some(melder),
            ) => Ok((
                Inhoud {
                    kinderen,
                    ouders,
                    incident_referentie,
                    incident_datum,
                    omschrijving,
                    zorgen,
                    acuut,
                    risiconiveau,
                    verklaringen,
                    ouders_geinformeerd,
                    reden_niet_geinformeerd: reden_niet,
                    terugkoppeling_gewenst: self.terugkoppeling_gewenst.unwrap_or(true),
                    melder,
                },
                niveau,
            )),
            _ => Err(vec![]),
        }
    }
}

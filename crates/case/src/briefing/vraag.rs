//! The question of a briefing: exactly one search key, checked with every problem named.

use crate::invoer;
use chrono::NaiveDate;
use ketenregie_common::{Bsn, Fout, Validatie, regelcode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The question (`POST /briefings/_zoek`): exactly one of a BSN, name + date of birth, or
/// an address. Personal data travels in the body, never in the URL.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BriefingVraag {
    #[schema(example = "111222333")]
    pub bsn: Option<String>,
    #[schema(max_length = 200, min_length = 1, pattern = r"\S")]
    pub voornamen: Option<String>,
    #[schema(max_length = 200, min_length = 1, pattern = r"\S")]
    pub achternaam: Option<String>,
    /// Date of birth (with the names): `JJJJ-MM-DD`, from 1900-01-01 up to and including today (Europe/Amsterdam); a later date is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(format = Date)]
    pub geboortedatum: Option<String>,
    #[schema(example = "2511BT")]
    pub postcode: Option<String>,
    /// House number with its addition, however written (rule
    /// `adres-sleutel-normalisatie`): "12 A", "12A", "12a" and "12-A" find the same
    /// address, and "07" finds "7".
    #[schema(example = "70", max_length = 20, min_length = 1, pattern = r"\S")]
    pub huisnummer: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Zoekvraag {
    Bsn(Bsn),
    Naam {
        voornamen: String,
        achternaam: String,
        geboortedatum: NaiveDate,
    },
    Adres {
        postcode: String,
        huisnummer: String,
    },
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Zoekwijze {
    Bsn,
    NaamGeboortedatum,
    Adres,
}

impl BriefingVraag {
    pub fn valideer(&self, vandaag: NaiveDate) -> Result<Zoekvraag, Fout> {
        let mut v = Validatie::new();
        let naam =
            self.voornamen.is_some() || self.achternaam.is_some() || self.geboortedatum.is_some();
        let adres = self.postcode.is_some() || self.huisnummer.is_some();
        let wijzen = [self.bsn.is_some(), naam, adres]
            .iter()
            .filter(|b| **b)
            .count();
        if wijzen != 1 {
            v.fout(
                "bsn",
                regelcode::EEN_VAN,
                "zoek met precies één van: `bsn`; `voornamen` + `achternaam` + `geboortedatum`; `postcode` + `huisnummer`",
            );
            // The form of what was sent is named too (every problem at once).
            v.bsn("bsn", self.bsn.as_deref());
            return Err(Fout::Ongeldig(v.afronden(|| ()).unwrap_err()));
        }
        let vraag = if self.bsn.is_some() {
            v.bsn("bsn", self.bsn.as_deref()).map(Zoekvraag::Bsn)
        } else if naam {
            // The fields of the chosen way to search are required together.
            v.voorwaardelijk(|v| self.naamvraag(v, vandaag))
        } else {
            v.voorwaardelijk(|v| self.adresvraag(v))
        };
        v.afronden(|| vraag.expect("valid when no problems"))
            .map_err(Fout::Ongeldig)
    }

    fn naamvraag(&self, v: &mut Validatie, vandaag: NaiveDate) -> Option<Zoekvraag> {
        let vn = v.tekstregel("voornamen", self.voornamen.as_deref(), 200);
        let an = v.tekstregel("achternaam", self.achternaam.as_deref(), 200);
        let gd = invoer::verplichte_datum(
            v,
            "geboortedatum",
            self.geboortedatum.as_deref(),
            ketenregie_common::Datumbereik::verleden("een geboortedatum", vandaag),
        );
        match (vn, an, gd) {
            (Some(voornamen), Some(achternaam), Some(geboortedatum)) => Some(Zoekvraag::Naam {
                voornamen,
                achternaam,
                geboortedatum,
            }),
            _ => None,
        }
    }

    fn adresvraag(&self, v: &mut Validatie) -> Option<Zoekvraag> {
        let pc = match self.postcode.as_deref() {
            None => {
                v.fout(
                    "postcode",
                    "required",
                    "`postcode` is verplicht bij zoeken op adres",
                );
                None
            }
            s => invoer::postcode(v, "postcode", s),
        };
        let hn = v.tekstregel("huisnummer", self.huisnummer.as_deref(), 20);
        match (pc, hn) {
            (Some(postcode), Some(huisnummer)) => Some(Zoekvraag::Adres {
                postcode,
                huisnummer,
            }),
            _ => None,
        }
    }
}

impl Zoekvraag {
    pub fn wijze(&self) -> Zoekwijze {
        match self {
            Zoekvraag::Bsn(_) => Zoekwijze::Bsn,
            Zoekvraag::Naam { .. } => Zoekwijze::NaamGeboortedatum,
            Zoekvraag::Adres { .. } => Zoekwijze::Adres,
        }
    }
}

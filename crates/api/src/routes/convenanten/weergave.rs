//! The conversions of `super`'s DTOs: an agreement version as the API shows it (also
//! its audit rows' values), the request body parsed into the agreement's fields, and an
//! audit row as shown.

use super::{
    AuditRegelDto, ConvenantDto, ConvenantInvoer, OndertekeningDto, Ondertekenstatus,
    PartijHandelingDto,
};
use crate::problem::AppError;
use chrono::{DateTime, Utc};
use ketenregie_common::werkdagen::Kalendernaam;
use ketenregie_common::{Validatie, regelcode};
use ketenregie_privacy::convenant::{ConvenantGegevens, Inhoud, Volledig};
use ketenregie_privacy::logboek;

impl ConvenantDto {
    pub(super) fn van(v: &Volledig, nu: DateTime<Utc>) -> Self {
        let c = &v.convenant;
        let ondertekeningen = c
            .inhoud
            .partijen
            .iter()
            .map(|p| match v.ondertekening_van(&p.organisatie) {
                Some(o) => OndertekeningDto {
                    organisatie: p.organisatie.clone(),
                    status: Ondertekenstatus::Ondertekend,
                    ondertekend_door: Some(o.ondertekend_door.clone()),
                    rol: Some(o.rol),
                    ondertekend_op: Some(o.ondertekend_op),
                    inhoud_hash: Some(o.inhoud_hash.clone()),
                },
                None => OndertekeningDto {
                    organisatie: p.organisatie.clone(),
                    status: Ondertekenstatus::Open,
                    ondertekend_door: None,
                    rol: None,
                    ondertekend_op: None,
                    inhoud_hash: None,
                },
            })
            .collect();
        Self {
            id: c.id,
            reeks_id: c.reeks_id,
            versie: c.versie,
            titel: c.titel.clone(),
            status: c.status(nu),
            geldig_van: c.geldig_van,
            geldig_tot: c.geldig_tot,
            partijen: c.inhoud.partijen.clone(),
            doelen: c.inhoud.doelen.clone(),
            categorieen: c.inhoud.categorieen.clone(),
            regels: c.inhoud.regels.clone(),
            terugkoppelplichten: c.inhoud.terugkoppelplichten.clone(),
            bewaartermijnen: c.inhoud.bewaartermijnen.clone(),
            doorbraakrollen: c.inhoud.doorbraakrollen.clone(),
            kalender: c.inhoud.kalender,
            inhoud_hash: c.inhoud_hash(),
            ondertekeningen,
            uittredingen: c
                .uittredingen
                .iter()
                .map(|u| PartijHandelingDto {
                    organisatie: u.organisatie.clone(),
                    door: u.door.clone(),
                    op: u.op,
                    reden: u.reden.clone(),
                })
                .collect(),
            intrekkingsverzoeken: v
                .intrekkingsverzoeken
                .iter()
                .map(|u| PartijHandelingDto {
                    organisatie: u.organisatie.clone(),
                    door: u.door.clone(),
                    op: u.op,
                    reden: u.reden.clone(),
                })
                .collect(),
            eigenaar: c.eigenaar.clone(),
            aangemaakt_op: c.aangemaakt_op,
            geactiveerd_op: c.geactiveerd_op,
            ingetrokken_op: c.ingetrokken_op,
            intrekkingsreden: c.intrekkingsreden.clone(),
        }
    }
}

impl ConvenantInvoer {
    pub(super) fn valideer(self, nu: DateTime<Utc>) -> Result<ConvenantGegevens, AppError> {
        let mut v = Validatie::new();
        let titel = v.tekstregel("titel", self.titel.as_deref(), 300);
        let geldig_van = ketenregie_common::time::to_db(self.geldig_van.unwrap_or(nu)).and_utc();
        let geldig_tot = self
            .geldig_tot
            .map(|t| ketenregie_common::time::to_db(t).and_utc());
        // Each in its plausible range (`Datumbereik`): the start up to a year ahead, the
        // end up to 20 years ahead, neither before 1900-01-01.
        let vandaag = ketenregie_common::werkdagen::nl_datum(nu);
        if self.geldig_van.is_some() {
            v.in_bereik(
                "geldigVan",
                ketenregie_common::werkdagen::nl_datum(geldig_van),
                ketenregie_common::Datumbereik::vooruit("het begin van een convenant", vandaag, 1),
            );
        }
        if let Some(t) = geldig_tot {
            v.in_bereik(
                "geldigTot",
                ketenregie_common::werkdagen::nl_datum(t),
                ketenregie_common::Datumbereik::vooruit("het einde van een convenant", vandaag, 20),
            );
        }
        // The agreement holds from `geldigVan` until (not including) `geldigTot`: an end
        // on or before the start is named at the end (the tester's finding of 1 Dec 2026:
        // the reason stated the rule, not what was wrong).
        if let Some(tot) = geldig_tot
            && tot <= geldig_van
        {
            v.fout(
                "geldigTot",
                regelcode::VOLGORDE,
                "`geldigTot` ligt op of vóór `geldigVan`; een convenant geldt van `geldigVan` tot `geldigTot`",
            );
        }
        let partijen = v.verplicht("partijen", self.partijen);
        let doelen = v.verplicht("doelen", self.doelen);
        let categorieen = v.verplicht("categorieen", self.categorieen);
        let regels = v.verplicht("regels", self.regels);
        let kalender = match self.kalender.as_deref() {
            None => Some(Kalendernaam::default()),
            k => v.keuze::<Kalendernaam>("kalender", k),
        };
        let inhoud = match (partijen, doelen, categorieen, regels) {
            (Some(partijen), Some(doelen), Some(categorieen), Some(regels)) => {
                let i = Inhoud {
                    partijen,
                    doelen,
                    categorieen,
                    regels,
                    terugkoppelplichten: self.terugkoppelplichten.unwrap_or_default(),
                    bewaartermijnen: self.bewaartermijnen.unwrap_or_default(),
                    doorbraakrollen: self.doorbraakrollen.unwrap_or_default(),
                    kalender: kalender.unwrap_or_default(),
                };
                i.valideer(&mut v);
                Some(i)
            }
            _ => None,
        };
        let fouten = v.afronden(|| ()).err();
        match (fouten, titel, inhoud) {
            (None, Some(titel), Some(inhoud)) => Ok(ConvenantGegevens {
                titel,
                geldig_van,
                geldig_tot,
                inhoud,
            }),
            (Some(f), ..) => Err(AppError::validatie(f)),
            _ => Err(AppError::intern(
                "validation returned no value and no error",
            )),
        }
    }
}

impl From<logboek::AuditRij> for AuditRegelDto {
    fn from(r: logboek::AuditRij) -> Self {
        Self {
            id: r.id.clone(),
            tijdstip: r.tijdstip_utc(),
            trace_id: r.trace_id,
            gebruiker: r.gebruiker,
            gebruiker_naam: r.gebruiker_naam,
            organisatie: r.organisatie,
            applicatie: r.applicatie,
            actie: r.actie,
            object_type: r.object_type,
            object_id: r.object_id,
            resultaat: r.resultaat,
            toelichting: r.toelichting,
            doorbraak: r.doorbraak,
            grondslag: r.grondslag,
            oude_waarde: r.oude_waarde.and_then(|s| serde_json::from_str(&s).ok()),
            nieuwe_waarde: r.nieuwe_waarde.and_then(|s| serde_json::from_str(&s).ok()),
            hash: r.hash,
        }
    }
}

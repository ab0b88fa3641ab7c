//! The steps of a briefing, one method each, in the order `stel_op` runs them. Each step
//! reads its records (one or a few queries, whatever the number of owners), has the
//! decision taken for owners it meets for the first time, and shows what the decision
//! allows. Nothing is decrypted before the decision.

use super::antwoord::{
    Bereikbaar, BetrokkenOrganisatie, Briefing, GezinKort, GezinslidKort, IncidentRegel,
    Incidentoverzicht, Kandidaat, ZorgmeldingKort,
};
use super::graaf::{Graaf, Sleutel};
use super::toegang::Toegang;
use super::{MAX_GEZINNEN, MAX_INCIDENTEN_IN_LIJST, ZorgmeldingBron};
use crate::beschikkingen::{self, Beschikking, Werking};
use crate::gezag::Gezag;
use crate::gezinnen::Gezin;
use crate::incidenten::IncidentKort;
use crate::personen::{Persoon, PersoonRij};
use crate::weergave::{PersoonKort, PersoonRef, beschikking_kort, gezag_kort, regeling_kort};
use crate::{betrokkenheid, regelingen};
use chrono::{DateTime, Months, NaiveDate, Utc};
use ketenregie_common::{Fout, Gegevenscategorie as C, Vertrouwelijkheid};
use ketenregie_privacy::Context;
use ketenregie_privacy::eigen_verklaring::{Recordsoort, Verklaringen};
use ketenregie_privacy::stamgegevens::Stand;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A briefing being put together.
pub(super) struct Opbouw<'a> {
    ctx: &'a Context,
    pub(super) toegang: Toegang<'a>,
    vandaag: NaiveDate,
    pub(super) b: Briefing,
    /// The subjects shown, per owner, for the processing log.
    pub(super) getoond: BTreeMap<String, BTreeSet<Uuid>>,
    /// The identities the search key found among records the caller may see.
    pub(super) zoek_identiteiten: BTreeSet<String>,
    /// Every person record reached, by record id.
    alle: BTreeMap<String, PersoonRij>,
    /// The identities of gezag holders shown who are no member of a family reached (step
    /// 6, `GEZAGHOUDER_BUITEN_GEZIN_BIJ_NAAM`), by record id: named like the members, but
    /// no part of the walk (no incidents, no flags through them).
    houders_buiten: BTreeMap<String, String>,
    /// The name of every identity the caller may see a record of.
    namen: BTreeMap<Uuid, String>,
    /// The families reached (at most `MAX_GEZINNEN`), nearest first.
    gezin_ids: Vec<String>,
    /// The birth date of every identity the caller may see a record of: the legal facts
    /// about a child are judged by its age on the briefing day (`GEZAG_OVER_MINDERJARIGE`,
    /// `MAATREGEL_OVER_MINDERJARIGE`).
    geboren: BTreeMap<Uuid, NaiveDate>,
    /// Whether each decision read in step 7 is in force today by its dates (whoever may
    /// see it): a gezag record resting on a decision holds only while it is
    /// (`gezag::GEZAG_BERUST_OP_BESCHIKKING_IN_WERKING`), and only if it decides gezag
    /// (`beschikkingen::GEZAG_BERUST_OP_GEZAGSBESLISSING`), hence its kind. Nothing of it
    /// is shown.
    werking_besluiten: BTreeMap<Uuid, (Werking, beschikkingen::Beschikkingsoort)>,
}

/// The level of a stored person record.
fn niveau(r: &PersoonRij) -> Vertrouwelijkheid {
    r.vertrouwelijkheid
}

impl<'a> Opbouw<'a> {
    pub(super) fn nieuw(ctx: &'a Context, toegang: Toegang<'a>, b: Briefing) -> Self {
        Opbouw {
            ctx,
            toegang,
            vandaag: ctx.vandaag(),
            b,
            getoond: BTreeMap::new(),
            zoek_identiteiten: BTreeSet::new(),
            alle: BTreeMap::new(),
            houders_buiten: BTreeMap::new(),
            namen: BTreeMap::new(),
            gezin_ids: Vec::new(),
            geboren: BTreeMap::new(),
            werking_besluiten: BTreeMap::new(),
        }
    }

    fn v(&self) -> &'a Versleuteling {
        &self.ctx.versleuteling
    }

    /// Step 1, find persons: the records the key matches, of any organisation (from the
    /// graph read in one statement, `graaf`). Only those the caller may see lead anywhere
    /// (`EEN_ORGANISATIE_ZICHT`): a match in a record it may not see makes no search
    /// ambiguous and leads to no family. Returns the matches, in the order of their ids.
    pub(super) fn zoek_personen(
        &mut self,
        graaf: &Graaf,
        sleutel: &Sleutel,
    ) -> Result<Vec<PersoonRij>, Fout> {
        let treffers: Vec<PersoonRij> = graaf
            .personen
            .values()
            .filter(|r| sleutel.past(r))
            .cloned()
            .collect();
        self.toegang
            .beslis(treffers.iter().map(|r| r.eigenaar.as_str()))?;
        self.zoek_identiteiten = treffers
            .iter()
            .filter(|r| self.toegang.mag(&r.eigenaar, C::Identificatie, niveau(r)))
            .map(|r| r.betrokkene.clone())
            .collect();
        Ok(treffers)
    }

    /// `MEERDUIDIG_NIET_SAMENVOEGEN`: an ambiguous name search shows the candidates the
    /// caller may see (date of birth, municipality, who registered them), nothing else.
    pub(super) fn kandidaten(&mut self, treffers: &[PersoonRij]) -> Result<(), Fout> {
        self.b.meerduidig = true;
        for r in treffers {
            if !self.toegang.mag(&r.eigenaar, C::Identificatie, niveau(r)) {
                continue;
            }
            let p = r.clone().ontsleutel(self.v())?;
            self.getoond
                .entry(r.eigenaar.clone())
                .or_default()
                .insert(p.betrokkene);
            self.b.kandidaten.push(Kandidaat {
                persoon: p.id,
                geboortedatum: p.gegevens.geboortedatum,
                gemeente: r.gemeente.clone(),
                geregistreerd_door: p.eigenaar,
                bsn_bekend: r.bsn_hash.is_some(),
            });
        }
        self.b.gevonden = !self.b.kandidaten.is_empty();
        Ok(())
    }

    /// Step 2, identities: everything reachable from the identities found. The searched
    /// identities' records, their families, the members' identities, and every record of
    /// those identities; then the families other organisations recorded the same people
    /// in. Only families of owners that grant the caller anything lead further. All of it
    /// from the graph already read (`graaf`): no statement.
    pub(super) fn identiteiten(&mut self, graaf: &Graaf) -> Result<(), Fout> {
        if self.zoek_identiteiten.is_empty() {
            return Ok(());
        }
        let eerste: BTreeSet<String> = graaf
            .personen
            .values()
            .filter(|r| self.zoek_identiteiten.contains(&r.betrokkene))
            .map(|r| r.id.clone())
            .collect();
        let gevonden = graaf.gezinnen_met(&eerste);
        let mut gezin_ids = self.bijdragende_gezinnen(graaf, gevonden)?;
        gezin_ids.truncate(MAX_GEZINNEN);
        let mut identiteiten = self.zoek_identiteiten.clone();
        for g in &gezin_ids {
            let Some(gezin) = kolom::uuid(g).ok().and_then(|id| graaf.gezinnen.get(&id)) else {
                continue;
            };
            identiteiten.extend(
                gezin
                    .leden
                    .iter()
                    .filter_map(|l| graaf.personen.get(&l.persoon.to_string()))
                    .map(|r| r.betrokkene.clone()),
            );
        }
        for r in graaf
            .personen
            .values()
            .filter(|r| identiteiten.contains(&r.betrokkene))
        {
            self.alle.insert(r.id.clone(), r.clone());
        }
        let ids: BTreeSet<String> = self.alle.keys().cloned().collect();
        let andere = graaf.gezinnen_met(&ids);
        for g in self.bijdragende_gezinnen(graaf, andere)? {
            if gezin_ids.len() >= MAX_GEZINNEN {
                break;
            }
            if !gezin_ids.contains(&g) {
                gezin_ids.push(g);
            }
        }
        self.gezin_ids = gezin_ids;
        Ok(())
    }

    /// Of families `ids`, those whose owner contributes anything to the caller at the
    /// family's level, in their order: only through those does a briefing reach further
    /// persons. A family of an owner that grants the caller nothing must not tell it who
    /// belongs with whom, not even by naming its own records of the other members
    /// (`EEN_ORGANISATIE_ZICHT`).
    fn bijdragende_gezinnen(
        &mut self,
        graaf: &Graaf,
        mut ids: Vec<String>,
    ) -> Result<Vec<String>, Fout> {
        if ids.is_empty() {
            return Ok(ids);
        }
        let gezinnen_ = gezinnen_uit(graaf, &ids);
        self.toegang
            .beslis(gezinnen_.iter().map(|g| g.eigenaar.as_str()))?;
        let zichtbaar: BTreeSet<String> = gezinnen_
            .iter()
            .filter(|g| self.toegang.draagt_bij(&g.eigenaar, g.vertrouwelijkheid))
            .map(|g| g.id.to_string())
            .collect();
        ids.retain(|i| zichtbaar.contains(i));
        Ok(ids)
    }

    /// Step 3, families: the families reached (in the order of their ids), with the
    /// records of members found only through a family of the second round (rare).
    pub(super) fn gezinnen(&mut self, graaf: &Graaf) -> Result<Vec<Gezin>, Fout> {
        if self.gezin_ids.is_empty() {
            return Ok(vec![]);
        }
        let gezinnen_ = gezinnen_uit(graaf, &self.gezin_ids);
        for g in &gezinnen_ {
            for l in &g.leden {
                let p = l.persoon.to_string();
                if !self.alle.contains_key(&p)
                    && let Some(r) = graaf.personen.get(&p)
                {
                    self.alle.insert(p, r.clone());
                }
            }
        }
        self.toegang
            .beslis(gezinnen_.iter().map(|g| g.eigenaar.as_str()))?;
        Ok(gezinnen_)
    }

    /// Step 4, persons: every record reached that the caller may see, decrypted once,
    /// with the BSN and the address only where covered. One entry per identity: the
    /// caller's own record when it has one (it may show more, such as the BSN), else the
    /// first visible one; the searched identities under `personen`, the others under
    /// `gezinsleden`.
    pub(super) fn personen(&mut self) -> Result<(), Fout> {
        // Lent out while shown (`toon_personen` reads `self`'s other fields): no copy of
        // every record reached.
        let alle = std::mem::take(&mut self.alle);
        let uit = self.toon_personen(&alle.values().collect::<Vec<_>>());
        self.alle = alle;
        uit
    }

    /// Show person records `rijen` (step 4, and the gezag holders outside the families of
    /// step 6): those the caller may see decrypted, named, logged (`getoond`) and listed
    /// once per identity not shown before.
    fn toon_personen(&mut self, rijen: &[&PersoonRij]) -> Result<(), Fout> {
        self.toegang
            .beslis(rijen.iter().map(|r| r.eigenaar.as_str()))?;
        let al_getoond: BTreeSet<Uuid> = self.namen.keys().copied().collect();
        let mut zichtbaar: BTreeMap<String, Persoon> = BTreeMap::new();
        for r in rijen {
            if self.toegang.mag(&r.eigenaar, C::Identificatie, niveau(r)) {
                let mut p = (*r).clone().ontsleutel(self.v())?;
                if !self.toegang.mag(&r.eigenaar, C::Bsn, niveau(r)) {
                    p.gegevens.bsn = None;
                }
                if !self.toegang.mag(&r.eigenaar, C::Contactgegevens, niveau(r)) {
                    p.gegevens.adres = None;
                }
                zichtbaar.insert(r.id.clone(), p);
            }
        }
        for p in zichtbaar.values() {
            self.geboren
                .entry(p.betrokkene)
                .or_insert(p.gegevens.geboortedatum);
        }
        let eigen = self.ctx.actor.organisatie.as_str();
        let mut per_identiteit: BTreeMap<Uuid, &Persoon> = BTreeMap::new();
        for p in zichtbaar.values() {
            let e = per_identiteit.entry(p.betrokkene).or_insert(p);
            if p.eigenaar == eigen && e.eigenaar != eigen {
                *e = p;
            }
        }
        // A reference by record id is named from the record shown of the same identity
        // (logged against its owner's basis), so a GI family's member is named by the
        // police's own record.
        for p in per_identiteit.values() {
            self.namen.entry(p.betrokkene).or_insert_with(|| p.naam());
        }
        for p in per_identiteit
            .values()
            .filter(|p| !al_getoond.contains(&p.betrokkene))
        {
            self.getoond
                .entry(p.eigenaar.clone())
                .or_default()
                .insert(p.betrokkene);
            let kort = PersoonKort::van(p, true, true);
            if self.zoek_identiteiten.contains(&p.betrokkene.to_string()) {
                self.b.personen.push(kort);
            } else {
                self.b.gezinsleden.push(kort);
            }
        }
        Ok(())
    }

    /// The identity of person record `pid`, if reached (or a gezag holder shown).
    fn identiteit_van(&self, pid: &Uuid) -> Option<String> {
        let id = pid.to_string();
        self.alle
            .get(&id)
            .map(|r| &r.betrokkene)
            .or_else(|| self.houders_buiten.get(&id))
            .cloned()
    }

    /// `LOG_ONDER_GRONDSLAG_EIGENAAR`: a record of `eigenaar` shown names the persons at
    /// person records `pids`: each reached (or a gezag holder shown) is logged against
    /// `eigenaar`'s basis, also when the caller or another owner holds the person too.
    fn noem<'p>(&mut self, eigenaar: &str, pids: impl IntoIterator<Item = &'p Uuid>) {
        let ids: Vec<Uuid> = pids
            .into_iter()
            .filter_map(|p| self.identiteit_van(p))
            .filter_map(|i| kolom::uuid(&i).ok())
            .collect();
        self.getoond
            .entry(eigenaar.to_string())
            .or_default()
            .extend(ids);
    }

    /// The birth date of person record `pid`, when the caller may see its identity.
    fn geboren_van(&self, pid: &Uuid) -> Option<NaiveDate> {
        self.identiteit_van(pid)
            .and_then(|i| kolom::uuid(&i).ok())
            .and_then(|i| self.geboren.get(&i).copied())
    }

    /// Whether the family has a current child member who is a minor today (or whose
    /// birth date the caller cannot see): an omgangs- or zorgregeling is about the
    /// family's minor children and ends with their minority (`MAATREGEL_OVER_MINDERJARIGE`,
    /// BW 1:233, 1:377a). A family without child members keeps its arrangements.
    fn gezin_met_minderjarige(&self, g: &Gezin) -> bool {
        let mut kinderen = g
            .leden
            .iter()
            .filter(|l| l.relatie == crate::gezinnen::Relatie::Kind)
            .filter(|l| l.tot.is_none_or(|t| t >= self.vandaag))
            .peekable();
        if kinderen.peek().is_none() {
            return true;
        }
        kinderen.any(|l| {
            !self
                .geboren_van(&l.persoon)
                .is_some_and(|d| crate::gezag::meerderjarig_op(d, self.vandaag))
        })
    }

    /// A reference to person record `pid`, named when the caller may see its identity.
    fn pref(&self, pid: &Uuid) -> PersoonRef {
        PersoonRef {
            id: *pid,
            naam: self
                .identiteit_van(pid)
                .and_then(|i| kolom::uuid(&i).ok())
                .and_then(|i| self.namen.get(&i).cloned()),
        }
    }

    /// Step 5, the families shown, with their current members.
    pub(super) fn toon_gezinnen(&mut self, gezinnen_: &[Gezin]) {
        for g in gezinnen_ {
            if !self
                .toegang
                .mag(&g.eigenaar, C::Gezinssituatie, g.vertrouwelijkheid)
            {
                continue;
            }
            let huidig: Vec<_> = g
                .leden
                .iter()
                .filter(|l| l.tot.is_none_or(|t| t >= self.vandaag))
                .collect();
            let leden = huidig
                .iter()
                .map(|l| GezinslidKort {
                    persoon: self.pref(&l.persoon),
                    relatie: l.relatie,
                })
                .collect();
            self.noem(&g.eigenaar, huidig.iter().map(|l| &l.persoon));
            self.b.gezinnen.push(GezinKort {
                id: g.id,
                eigenaar: g.eigenaar.clone(),
                kenmerk: g.kenmerk.clone(),
                leden,
            });
        }
    }

    /// Step 6, gezag (run after step 7): per child identity the newest verified record, of what may be
    /// seen, that holds today (`gezag::geldt_op`): none for a child who is 18 today
    /// (`GEZAG_OVER_MINDERJARIGE`), and not one resting on a decision that is not (or no
    /// longer) in force, so the gezag still in force until then is shown
    /// (`GEZAG_BERUST_OP_BESCHIKKING_IN_WERKING`), nor one resting on a decision that
    /// decides no gezag (`GEZAG_BERUST_OP_GEZAGSBESLISSING`). Runs after step 7, which read the
    /// decisions of the families; a decision elsewhere is read in one more statement.
    pub(super) fn gezag(&mut self, conn: &mut DbConnection, graaf: &Graaf) -> Result<(), Fout> {
        if self.alle.is_empty() {
            return Ok(());
        }
        let records = graaf.gezag_van(&self.alle);
        self.toegang
            .beslis(records.iter().map(|g| g.eigenaar.as_str()))?;
        let ontbrekend: Vec<String> = records
            .iter()
            .filter_map(|g| g.beschikking)
            .filter(|b| !self.werking_besluiten.contains_key(b))
            .map(|b| b.to_string())
            .collect();
        if !ontbrekend.is_empty() {
            for x in beschikkingen::van_ids(conn, self.v(), &ontbrekend)? {
                self.werking_besluiten
                    .insert(x.id, (x.werking(self.vandaag), x.soort));
            }
        }
        let mut gezien_kind: BTreeSet<String> = BTreeSet::new();
        let mut getoond: Vec<&Gezag> = Vec::new();
        for g in &records {
            let Some(kind) = self.identiteit_van(&g.kind) else {
                continue;
            };
            // A decision cited but no longer stored (removed under retention, which
            // removes a decision only once every gezag record citing it has gone, so
            // only an inconsistent store gets here) cannot show the gezag in force:
            // an unconfirmed legal fact is not briefed as one. Nor can a decision that
            // decides no gezag (`GEZAG_BERUST_OP_GEZAGSBESLISSING`: a record stored before
            // that rule, resting on an OTS or a huisverbod).
            let besluit = g.beschikking.map(|b| match self.werking_besluiten.get(&b) {
                Some((w, soort)) if soort.beslist_gezag() => *w,
                _ => Werking::Verlopen,
            });
            if !self
                .toegang
                .mag(&g.eigenaar, C::GezagEnOmgang, Vertrouwelijkheid::STANDAARD)
                || !crate::gezag::geldt_op(self.vandaag, self.geboren_van(&g.kind), besluit)
                || !gezien_kind.insert(kind)
            {
                continue;
            }
            getoond.push(g);
        }
        self.houders_buiten_gezin(graaf, &getoond)?;
        for g in getoond {
            let kort = gezag_kort(g, &|u| self.pref(u));
            self.noem(&g.eigenaar, std::iter::once(&g.kind).chain(&g.houders));
            self.b.gezag.push(kort);
        }
        Ok(())
    }

    /// Rule `GEZAGHOUDER_BUITEN_GEZIN_BIJ_NAAM`: a holder of a gezag record shown who is no
    /// member of a family reached (a grandparent or another person registered as voogd)
    /// is named like the family's members: the record (read in the same statement,
    /// `graaf`), decrypted when the caller may see its owner's `identificatie` at its
    /// level, with the BSN and address only where covered, one processing-log row for the
    /// person shown, and listed under `gezinsleden`. A holder the caller may not see stays
    /// a reference without a name.
    fn houders_buiten_gezin(&mut self, graaf: &Graaf, records: &[&Gezag]) -> Result<(), Fout> {
        let mut rijen: BTreeMap<String, &PersoonRij> = BTreeMap::new();
        for h in records.iter().flat_map(|g| g.houders.iter()) {
            let h = h.to_string();
            if self.alle.contains_key(&h) {
                continue;
            }
            if let Some(r) = graaf.personen.get(&h) {
                rijen.insert(h, r);
            }
        }
        if rijen.is_empty() {
            return Ok(());
        }
        self.houders_buiten.extend(
            rijen
                .iter()
                .map(|(id, r)| (id.clone(), r.betrokkene.clone())),
        );
        self.toon_personen(&rijen.into_values().collect::<Vec<_>>())
    }

    /// Step 7, decisions and arrangements in force, at the level of their family. Returns
    /// the decisions the caller may see (in force or not), for the flags.
    pub(super) fn beschikkingen_en_regelingen(
        &mut self,
        conn: &mut DbConnection,
        gezinnen_: &[Gezin],
    ) -> Result<Vec<Beschikking>, Fout> {
        if self.gezin_ids.is_empty() {
            return Ok(vec![]);
        }
        let beschikkingen_ = beschikkingen::van_gezinnen(conn, self.v(), &self.gezin_ids)?;
        let regelingen_ = regelingen::van_gezinnen(conn, self.v(), &self.gezin_ids)?;
        for x in &beschikkingen_ {
            self.werking_besluiten
                .insert(x.id, (x.werking(self.vandaag), x.soort));
        }
        self.toegang.beslis(
            beschikkingen_
                .iter()
                .map(|x| x.eigenaar.as_str())
                .chain(regelingen_.iter().map(|x| x.eigenaar.as_str())),
        )?;
        let niveau_gezin = |g: &Uuid| {
            gezinnen_
                .iter()
                .find(|x| x.id == *g)
                .map_or(Vertrouwelijkheid::STANDAARD, |x| x.vertrouwelijkheid)
        };
        let zichtbaar: Vec<Beschikking> = beschikkingen_
            .into_iter()
            .filter(|x| {
                self.toegang
                    .mag(&x.eigenaar, C::GezagEnOmgang, niveau_gezin(&x.gezin))
            })
            .collect();
        let geboren = |u: &Uuid| self.geboren_van(u);
        // `MAATREGEL_OVER_MINDERJARIGE`: in force for the children still minors today,
        // and listed with those only.
        let in_werking: Vec<_> = zichtbaar
            .iter()
            .filter(|x| x.werking_voor(self.vandaag, &geboren) == Werking::InWerking)
            .map(|x| {
                let mut x = x.clone();
                x.kinderen = x.kinderen_op(self.vandaag, &geboren);
                let k = beschikking_kort(&x, self.vandaag, &|u| self.pref(u), &geboren);
                (x.soort.is_maatregel(), k)
            })
            .collect();
        for (maatregel, k) in in_werking {
            let kinderen: Vec<Uuid> = k.kinderen.iter().map(|r| r.id).collect();
            self.noem(&k.eigenaar, &kinderen);
            if maatregel {
                self.b.maatregelen_in_werking.push(k.clone());
            }
            self.b.beschikkingen_in_werking.push(k);
        }
        for r in &regelingen_ {
            let met_minderjarige = gezinnen_
                .iter()
                .find(|g| g.id == r.gezin)
                .is_none_or(|g| self.gezin_met_minderjarige(g));
            if r.in_werking(self.vandaag)
                && met_minderjarige
                && self
                    .toegang
                    .mag(&r.eigenaar, C::GezagEnOmgang, niveau_gezin(&r.gezin))
            {
                // The arrangement is about the family's current members.
                let leden: Vec<Uuid> = gezinnen_
                    .iter()
                    .filter(|g| g.id == r.gezin)
                    .flat_map(|g| &g.leden)
                    .filter(|l| l.tot.is_none_or(|t| t >= self.vandaag))
                    .map(|l| l.persoon)
                    .collect();
                self.noem(&r.eigenaar, &leden);
                self.b.regelingen_in_werking.push(regeling_kort(r));
            }
        }
        Ok(zichtbaar)
    }

    /// Step 8, incidents involving the persons or recorded in the families: counted in
    /// the last 12 months and in total, the newest listed. Returns those the caller may
    /// see, for the flags.
    pub(super) fn incidenten(
        &mut self,
        graaf: &Graaf,
        jaar_terug: DateTime<Utc>,
    ) -> Result<Vec<IncidentKort>, Fout> {
        let alle = graaf.incidenten_van(&self.alle, &self.gezin_ids);
        self.toegang
            .beslis(alle.iter().map(|i| i.eigenaar.as_str()))?;
        let zichtbaar: Vec<IncidentKort> = alle
            .into_iter()
            .filter(|i| {
                self.toegang
                    .mag(&i.eigenaar, C::Politiegegevens, i.vertrouwelijkheid)
            })
            .collect();
        // Counted and listed: each incident's persons, against its owner's basis.
        let mut personen_van: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
        for (i, p) in &graaf.incident_personen {
            if let Some(b) = graaf
                .personen
                .get(p)
                .and_then(|r| kolom::uuid(&r.betrokkene).ok())
            {
                personen_van.entry(*i).or_default().push(b);
            }
        }
        for i in &zichtbaar {
            if let Some(ids) = personen_van.get(&i.id) {
                self.getoond
                    .entry(i.eigenaar.clone())
                    .or_default()
                    .extend(ids.iter().copied());
            }
        }
        self.b.incidenten = Incidentoverzicht {
            laatste12_maanden: zichtbaar
                .iter()
                .filter(|i| i.tijdstip >= jaar_terug)
                .count(),
            totaal: zichtbaar.len(),
            laatste: zichtbaar.first().map(|i| i.tijdstip),
            lijst: zichtbaar
                .iter()
                .take(MAX_INCIDENTEN_IN_LIJST)
                .map(|i| IncidentRegel {
                    id: i.id,
                    tijdstip: i.tijdstip,
                    soort: i.soort,
                    eigenaar: i.eigenaar.clone(),
                    wederhoor: i.wederhoor,
                    eenzijdig: i.eenzijdig(),
                    eigen_verklaringen: vec![],
                })
                .collect(),
        };
        Ok(zichtbaar)
    }

    /// The identities of every record reached, in order.
    fn identiteiten_lijst(&self) -> BTreeSet<String> {
        self.alle.values().map(|r| r.betrokkene.clone()).collect()
    }

    /// Step 9, open zorgmeldingen on the identities: their state, never their content,
    /// as the sender's agreements allow (category `hulpverlening`).
    pub(super) fn meldingen(
        &mut self,
        conn: &mut DbConnection,
        bron: &dyn ZorgmeldingBron,
    ) -> Result<(), Fout> {
        let identiteiten = self
            .identiteiten_lijst()
            .iter()
            .map(|i| kolom::uuid(i))
            .collect::<Result<Vec<Uuid>, _>>()
            .map_err(|e| Fout::intern(e.to_string()))?;
        if identiteiten.is_empty() {
            return Ok(());
        }
        let meldingen = bron.open_meldingen(conn, &identiteiten)?;
        self.toegang
            .beslis(meldingen.iter().map(|m| m.afzender.as_str()))?;
        for m in meldingen {
            if self
                .toegang
                .mag(&m.afzender, C::Hulpverlening, m.vertrouwelijkheid)
            {
                self.getoond
                    .entry(m.afzender.clone())
                    .or_default()
                    .extend(m.betrokkenen.iter().copied());
                self.b.open_zorgmeldingen.push(ZorgmeldingKort {
                    id: m.id,
                    afzender: m.afzender,
                    ontvanger: m.ontvanger,
                    meldingstatus: m.status,
                    taakstatus: m.taakstatus,
                    ingediend_op: m.ingediend_op,
                    eigen_verklaringen: vec![],
                });
            }
        }
        Ok(())
    }

    /// Step 10, own statements (Jeugdwet art. 7.3.8): with every person, decision in force,
    /// incident and open zorgmelding shown, the own statements on it the officer sees
    /// with it (`eigen_verklaring::VERKLARING_BIJ_RECORD`, at the level the owner's
    /// decision allows for the record's category). One query for all of them.
    pub(super) fn eigen_verklaringen(&mut self, conn: &mut DbConnection) -> Result<(), Fout> {
        let b = &self.b;
        let ids: Vec<&Uuid> = b
            .personen
            .iter()
            .chain(&b.gezinsleden)
            .map(|p| &p.id)
            .chain(b.beschikkingen_in_werking.iter().map(|x| &x.id))
            .chain(b.incidenten.lijst.iter().map(|i| &i.id))
            .chain(b.open_zorgmeldingen.iter().map(|m| &m.id))
            .collect();
        let alle = Verklaringen::lees_ids(conn, self.v(), ids)?;
        let (t, lezer) = (&self.toegang, self.ctx.actor.organisatie.as_str());
        let voor = |soort, id: &Uuid, eigenaar: &str, c: C| {
            alle.voor(soort, id, lezer, |n| t.mag(eigenaar, c, n))
        };
        for p in self
            .b
            .personen
            .iter_mut()
            .chain(self.b.gezinsleden.iter_mut())
        {
            p.eigen_verklaringen = voor(
                Recordsoort::Persoon,
                &p.id,
                &p.geregistreerd_door,
                C::Identificatie,
            );
        }
        for x in self
            .b
            .beschikkingen_in_werking
            .iter_mut()
            .chain(self.b.maatregelen_in_werking.iter_mut())
        {
            x.eigen_verklaringen = voor(
                Recordsoort::Beschikking,
                &x.id,
                &x.eigenaar,
                C::GezagEnOmgang,
            );
        }
        for i in self.b.incidenten.lijst.iter_mut() {
            i.eigen_verklaringen = voor(
                Recordsoort::Incident,
                &i.id,
                &i.eigenaar,
                C::Politiegegevens,
            );
        }
        for m in self.b.open_zorgmeldingen.iter_mut() {
            m.eigen_verklaringen = voor(
                Recordsoort::Zorgmelding,
                &m.id,
                &m.afzender,
                C::Hulpverlening,
            );
        }
        Ok(())
    }

    /// Step 11, contacts: the organisations involved with the persons (active signals),
    /// each with its named contact and its 24/7 numbers from the partner directory.
    pub(super) fn organisaties(
        &mut self,
        conn: &mut DbConnection,
        stand: &Stand<'_>,
    ) -> Result<(), Fout> {
        let identiteiten: Vec<String> = self.identiteiten_lijst().into_iter().collect();
        let signalen = betrokkenheid::actief_op(conn, self.v(), &identiteiten, self.vandaag)?;
        self.toegang
            .beslis(signalen.iter().map(|x| x.organisatie.as_str()))?;
        let mut gezien: BTreeSet<(String, Uuid)> = BTreeSet::new();
        type Kaart = (Option<String>, Vec<Bereikbaar>);
        let mut per_organisatie: BTreeMap<String, Kaart> = BTreeMap::new();
        for x in &signalen {
            if !self.toegang.mag(
                &x.organisatie,
                C::Hulpverlening,
                Vertrouwelijkheid::STANDAARD,
            ) || !gezien.insert((x.organisatie.clone(), x.betrokkene))
            {
                continue;
            }
            if !per_organisatie.contains_key(&x.organisatie) {
                let kaart = organisatiekaart(conn, stand, &x.organisatie)?;
                per_organisatie.insert(x.organisatie.clone(), kaart);
            }
            let (naam, dag_en_nacht) = per_organisatie[&x.organisatie].clone();
            self.getoond
                .entry(x.organisatie.clone())
                .or_default()
                .insert(x.betrokkene);
            self.b.betrokken_organisaties.push(BetrokkenOrganisatie {
                organisatie: x.organisatie.clone(),
                naam,
                kind: self.pref(&x.persoon),
                contact: x.contact.clone(),
                sinds: x.sinds,
                dag_en_nacht,
            });
        }
        Ok(())
    }

    /// Record ids to identities, for the flags.
    pub(super) fn personen_rijen(&self) -> &BTreeMap<String, PersoonRij> {
        &self.alle
    }
}

/// An organisation's name and 24/7 contact points from the partner directory, through
/// the instance's cache (`privacy::stamgegevens`: no statement when nothing changed).
fn organisatiekaart(
    conn: &mut DbConnection,
    stand: &Stand<'_>,
    code: &str,
) -> Result<(Option<String>, Vec<Bereikbaar>), Fout> {
    let Some((id, naam, _)) = stand.kern(conn, code)? else {
        return Ok((None, vec![]));
    };
    let dag_en_nacht = stand
        .altijd_bereikbaar(conn, id)?
        .iter()
        .map(|c| Bereikbaar {
            naam: c.naam.clone(),
            telefoon: c.telefoon.clone(),
        })
        .collect();
    Ok((Some(naam), dag_en_nacht))
}

/// Families `ids` from the graph, in the order of their ids.
fn gezinnen_uit(graaf: &Graaf, ids: &[String]) -> Vec<Gezin> {
    let ids: BTreeSet<Uuid> = ids.iter().filter_map(|i| kolom::uuid(i).ok()).collect();
    ids.iter()
        .filter_map(|i| graaf.gezinnen.get(i).cloned())
        .collect()
}

/// The start of the 12 months counted back from `nu`.
pub(super) fn jaar_terug(nu: DateTime<Utc>) -> DateTime<Utc> {
    nu - Months::new(12)
}

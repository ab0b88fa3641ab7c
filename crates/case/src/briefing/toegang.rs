//! The decision of a briefing, per owning organisation: taken once per owner, in memory
//! (the agreements are read once, `Beslisser::laad`), as each step meets new owners.

use ketenregie_common::{Actie, Doel, Fout, Gegevenscategorie as C, Vertrouwelijkheid};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit};
use std::collections::BTreeMap;

/// The categories a briefing shows where an owner's agreement covers them; identification
/// is required.
const OPTIONEEL: [C; 6] = [
    C::Bsn,
    C::Contactgegevens,
    C::Gezinssituatie,
    C::GezagEnOmgang,
    C::Politiegegevens,
    C::Hulpverlening,
];

/// The permissions per owning organisation; an owner without one contributes nothing.
pub(super) struct Toegang<'a> {
    ctx: &'a Context,
    beslisser: &'a besluit::Beslisser,
    pub(super) doel: Doel,
    per_eigenaar: BTreeMap<String, Option<Toestemming>>,
}

impl<'a> Toegang<'a> {
    pub(super) fn nieuw(ctx: &'a Context, beslisser: &'a besluit::Beslisser, doel: Doel) -> Self {
        Toegang {
            ctx,
            beslisser,
            doel,
            per_eigenaar: BTreeMap::new(),
        }
    }

    /// Decide for every owner in `eigenaren` not decided yet. The OM without a reason is
    /// refused the whole briefing, with what to do (`REDEN_VERPLICHT`; recorded in the
    /// trail of the first owner that refused, `Fout::GeweigerdBij`); any other refusal
    /// only means the owner contributes nothing.
    pub(super) fn beslis<'e>(
        &mut self,
        eigenaren: impl IntoIterator<Item = &'e str>,
    ) -> Result<(), Fout> {
        for e in eigenaren {
            if self.per_eigenaar.contains_key(e) {
                continue;
            }
            let r = self.beslisser.beslis(
                self.ctx,
                &Aanvraag {
                    actie: Actie::Lezen,
                    doel: self.doel,
                    categorieen: vec![C::Identificatie],
                    optioneel: OPTIONEEL.to_vec(),
                    eigenaren: vec![e.to_string()],
                    vertrouwelijkheid: Vertrouwelijkheid::Openbaar,
                },
            );
            match r {
                Ok(t) => {
                    self.per_eigenaar.insert(e.to_string(), Some(t));
                }
                // In the owner's trail (`Fout::GeweigerdBij`): its records were found.
                Err(w) if w.toelichting_vereist => {
                    return Err(
                        Fout::from(w).bij_eigenaren(&[e.to_string()], &self.ctx.actor.organisatie)
                    );
                }
                Err(_) => {
                    self.per_eigenaar.insert(e.to_string(), None);
                }
            }
        }
        Ok(())
    }

    /// Does `eigenaar` contribute anything to this caller at level `niveau` (any category
    /// at all)? An owner that does not contributes nothing, not even a link.
    pub(super) fn draagt_bij(&self, eigenaar: &str, niveau: Vertrouwelijkheid) -> bool {
        matches!(self.per_eigenaar.get(eigenaar), Some(Some(t)) if niveau <= t.max_vertrouwelijkheid())
    }

    /// May the caller see category `c` of `eigenaar`'s record at level `niveau`?
    pub(super) fn mag(&self, eigenaar: &str, c: C, niveau: Vertrouwelijkheid) -> bool {
        matches!(self.per_eigenaar.get(eigenaar), Some(Some(t)) if t.mag_zien(c) && niveau <= t.max_vertrouwelijkheid())
    }

    /// The permission of `eigenaar`, once decided and granted.
    pub(super) fn van(&self, eigenaar: &str) -> Option<&Toestemming> {
        self.per_eigenaar.get(eigenaar).and_then(Option::as_ref)
    }
}

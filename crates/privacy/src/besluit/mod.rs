//! The policy decision (DESIGN.md §2 step 4): which active agreement allows this actor's
//! organisation and role to do this action on these data categories for this purpose?
//! Deny by default. The answer names the agreement and version and the legal basis, and
//! lists the categories to redact.
//!
//! Rules, each findable by name:
//! - `EIGEN_ORGANISATIE`: data owned by the actor's own organisation is allowed to its own
//!   staff (any case role) without an agreement, on the basis of the organisation's own
//!   task. The platform admin role alone sees no case data.
//! - `CONVENANT_VEREIST`: data owned by another organisation needs, for every owner, an
//!   agreement in force with both as parties (`Convenant::is_partij`: named in it and not
//!   left, `UITTREDEN` in `convenant`) and a rule matching the actor's organisation
//!   kind, one of the actor's roles, the action, the purpose, each required category and
//!   the record's confidentiality level.
//! - `REDEN_VERPLICHT`: where the only matching rules require a reason, the request must
//!   carry `X-Audit-Toelichting`. Every rule for the OM requires one, whatever its
//!   `redenVerplicht` (`OM_PER_VERZOEK_MET_REDEN` in `convenant`: case by case, never a
//!   blanket grant).
//! - `REDIGEREN`: optional categories no rule covers are redacted, not refused.
//! - `DOORBRAAK`: break-glass — a role named in an agreement in force the actor's
//!   organisation and every owner take part in may read outside the rules, only with a
//!   reason; flagged.
//! - `STROOM_BINNEN_CONVENANT` (`zicht::stroom`): a write of the actor's own data that then
//!   goes to another organisation (feedback it owes) passes only when this decision lets
//!   that organisation read it; a party that left, or an agreement no longer in force,
//!   lets nothing flow, writes as much as reads.
//!
//! One function per rule: `regels::zaakrol` and `regels::eigen_organisatie`
//! (`EIGEN_ORGANISATIE`), `regels::convenant_vereist` (`CONVENANT_VEREIST`),
//! `regels::redigeren` (`REDIGEREN`, and `REDEN_VERPLICHT` for optional categories),
//! `regels::reden_verplicht` (`REDEN_VERPLICHT`), `doorbraak::doorbreek` (`DOORBRAAK`).
//!
//! Which agreements are in force is the agreements' own business (`convenant`: a version
//! binds only when every party signed it, `ALLE_HANDTEKENINGEN`); this module never looks
//! at a concept.

use crate::context::Context;
use crate::convenant::{Convenant, Grondslag};
use crate::stamgegevens::Stand;
use chrono::{DateTime, Utc};
use ketenregie_common::Fout;
use ketenregie_common::{
    Actie, Actor, Doel, Gegevenscategorie, OrganisatieSoort, Vertrouwelijkheid,
};
use ketenregie_store::DbConnection;
use std::collections::BTreeSet;
use std::sync::Arc;
use uuid::Uuid;

mod doorbraak;
mod regels;
#[cfg(test)]
mod tests;

/// What is asked.
#[derive(Debug, Clone)]
pub struct Aanvraag {
    pub actie: Actie,
    pub doel: Doel,
    /// Categories the operation cannot do without.
    pub categorieen: Vec<Gegevenscategorie>,
    /// Categories shown if allowed and redacted otherwise.
    pub optioneel: Vec<Gegevenscategorie>,
    /// Codes of the organisations that own the data.
    pub eigenaren: Vec<String>,
    /// The record's confidentiality level (for lists: the lowest; the permission's
    /// `max_vertrouwelijkheid` then filters).
    pub vertrouwelijkheid: Vertrouwelijkheid,
}

/// The legal basis a permission rests on, with the agreement version it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    pub convenant: Option<(Uuid, i64)>,
    pub grondslag: Grondslag,
}

impl Basis {
    /// "Wmo 2015 art. 5.2.6 (convenant <id> v2)" — as written in the logs.
    pub fn tekst(&self) -> String {
        match self.convenant {
            Some((id, v)) => format!("{} (convenant {id} v{v})", self.grondslag.code),
            None => self.grondslag.code.clone(),
        }
    }
}

/// A positive decision. Only this crate can make one; domain queries on personal data
/// take it as a parameter, so none runs without a decision.
#[derive(Debug, Clone)]
pub struct Toestemming {
    basis: Vec<Basis>,
    redigeer: BTreeSet<Gegevenscategorie>,
    doorbraak: bool,
    max_vertrouwelijkheid: Vertrouwelijkheid,
    doel: Doel,
    /// Owners to tell of this read: a rule used for their data is marked
    /// `eigenaar_informeren` (`EIGENAAR_INFORMEREN`).
    informeer: BTreeSet<String>,
}

/// The legal basis cited for an own statement another organisation recorded, where the
/// reader's decision on that organisation's data refuses (`logboek::verklaringen`): the
/// statement is added to the record at the person's request (Jeugdwet art. 7.3.8) and
/// flows to its owner under the agreement the recorder and the owner are both parties of
/// (`VERKLARING_DOOR_HOUDER`), whose id and version the log rows carry.
pub const GRONDSLAG_EIGEN_VERKLARING: &str = "Jeugdwet art. 7.3.8";

impl Toestemming {
    /// The basis of a read of an own statement recorded by another organisation under
    /// agreement `convenant` (`GRONDSLAG_EIGEN_VERKLARING`): for the log rows only, it
    /// shows nothing more than the statement at its level.
    pub(crate) fn eigen_verklaring(
        convenant: (Uuid, i64),
        doel: Doel,
        niveau: Vertrouwelijkheid,
    ) -> Self {
        Toestemming {
            basis: vec![Basis {
                convenant: Some(convenant),
                grondslag: Grondslag {
                    code: GRONDSLAG_EIGEN_VERKLARING.into(),
                    omschrijving: "Eigen verklaring van de betrokkene, vastgelegd door een partij bij het convenant".into(),
                },
            }],
            redigeer: BTreeSet::new(),
            doorbraak: false,
            max_vertrouwelijkheid: niveau,
            doel,
            informeer: BTreeSet::new(),
        }
    }

    /// Is `eigenaar` to be told of a read under this permission (`EIGENAAR_INFORMEREN`):
    /// a rule used for its data says so, or the read is a break-glass read of another
    /// organisation's data?
    pub fn informeert(&self, eigenaar: &str) -> bool {
        self.doorbraak || self.informeer.contains(eigenaar)
    }

    pub fn basis(&self) -> &[Basis] {
        &self.basis
    }
    /// Categories to leave out of the answer.
    pub fn redigeer(&self) -> &BTreeSet<Gegevenscategorie> {
        &self.redigeer
    }
    pub fn mag_zien(&self, c: Gegevenscategorie) -> bool {
        !self.redigeer.contains(&c)
    }
    pub fn is_doorbraak(&self) -> bool {
        self.doorbraak
    }
    /// The highest level the caller may see (lists filter silently to it).
    pub fn max_vertrouwelijkheid(&self) -> Vertrouwelijkheid {
        self.max_vertrouwelijkheid
    }
    pub fn doel(&self) -> Doel {
        self.doel
    }
    /// The agreement cited first, if any.
    pub fn convenant(&self) -> Option<(Uuid, i64)> {
        self.basis.iter().find_map(|b| b.convenant)
    }
    /// All legal bases as one text.
    pub fn grondslag_tekst(&self) -> String {
        self.basis
            .iter()
            .map(Basis::tekst)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A refusal, with what to do about it.
#[derive(Debug, Clone)]
pub struct Weigering {
    /// The rule that refused, by its name in this module (`CONVENANT_VEREIST`,
    /// `REDEN_VERPLICHT`, `DOORBRAAK`, ...) or the crate that applied it.
    pub regel: &'static str,
    pub reden: String,
    /// Refused only because `X-Audit-Toelichting` was missing.
    pub toelichting_vereist: bool,
}

/// The rules by which an agreement (convenant) refuses: no agreement rule covers the
/// request, its rule asks a reason, or break-glass was not allowed. Every other refusal
/// comes from a rule of the service itself (`EIGEN_ORGANISATIE`, a use case's rule such as
/// `ONTVANGER_KOPPELT_TERUG`), and its problem title must not blame an agreement.
/// `STROOM_BINNEN_CONVENANT` (`zicht`) is this decision asked for the organisation a
/// write's data goes to.
pub const CONVENANTREGELS: &[&str] = &[
    "CONVENANT_VEREIST",
    "REDEN_VERPLICHT",
    "DOORBRAAK",
    crate::zicht::STROOM_BINNEN_CONVENANT,
];

impl Weigering {
    /// Was it an agreement that refused (`CONVENANTREGELS`)?
    pub fn door_convenant(&self) -> bool {
        CONVENANTREGELS.contains(&self.regel)
    }
}

/// The decision itself, without I/O: given the actor, its organisation's kind, the
/// stored-active agreements it is party to, the request, the stated reason and the time.
pub fn beslis(
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    convenanten: &[Convenant],
    a: &Aanvraag,
    toelichting: Option<&str>,
    doorbraak: bool,
    nu: DateTime<Utc>,
) -> Result<Toestemming, Weigering> {
    let toelichting = toelichting.map(str::trim).filter(|t| !t.is_empty());
    let normaal = regels::beslis_regels(actor, soort, convenanten, a, toelichting, nu);
    match normaal {
        Ok(t) => Ok(t),
        Err(w) if doorbraak => doorbraak::doorbreek(actor, soort, convenanten, a, toelichting, nu)
            .map_err(|d| Weigering {
                regel: "DOORBRAAK",
                reden: format!(
                    "{}; doorbraak niet mogelijk: {}",
                    w.reden.trim_end_matches('.'),
                    d.reden
                ),
                toelichting_vereist: d.toelichting_vereist,
            }),
        Err(w) => Err(w),
    }
}

/// Decide inside the caller's transaction. The actor's organisation kind and its
/// agreements come from the instance's cache (`stamgegevens`), checked against the version
/// stamp the request read at its start (`Context::stempel`; else first in this
/// transaction), so a withdrawal or expiry committed before the request takes effect on
/// it, on any instance. A refusal on data of an organisation other than the caller's is
/// `Fout::GeweigerdBij` naming the first such owner of `a.eigenaren` (recorded in its
/// audit trail); on the caller's own data `Fout::Geweigerd`.
pub fn toegang(conn: &mut DbConnection, ctx: &Context, a: &Aanvraag) -> Result<Toestemming, Fout> {
    // Own data (`EIGEN_ORGANISATIE`) needs neither the organisation's kind nor the
    // agreements: spare the stamp on the hottest path.
    let alleen_eigen = a.eigenaren.iter().all(|e| *e == ctx.actor.organisatie);
    let beslisser = if alleen_eigen && !ctx.doorbraak {
        Beslisser {
            soort: None,
            convenanten: Arc::default(),
        }
    } else {
        Beslisser::laad(conn, ctx)?
    };
    // A refusal on another organisation's data is recorded in that owner's audit trail
    // (`Fout::GeweigerdBij`), where its privacy officer sees who tried.
    beslisser
        .beslis(ctx, a)
        .map_err(|w| Fout::from(w).bij_eigenaren(&a.eigenaren, &ctx.actor.organisatie))
}

/// Many decisions in one request (the briefing decides per owning organisation): the
/// actor's organisation kind and its agreements are read once, inside the caller's
/// transaction, and each decision is then pure.
#[derive(Debug, Clone)]
pub struct Beslisser {
    soort: Option<OrganisatieSoort>,
    convenanten: Arc<Vec<Convenant>>,
}

impl Beslisser {
    /// The actor's organisation kind and agreements, from the instance's cache at the
    /// version stamp the request carries (`Context::stempel`, read by the authentication)
    /// or, when it carries none, read now (`stamgegevens::Stamgegevens::stand`: one
    /// statement when nothing changed).
    pub fn laad(conn: &mut DbConnection, ctx: &Context) -> Result<Self, Fout> {
        let stand = ctx.stamgegevens.stand_met(conn, ctx.stempel)?;
        Self::laad_bij(conn, ctx, &stand)
    }

    /// As `laad`, at a stamp the caller already read.
    pub fn laad_bij(
        conn: &mut DbConnection,
        ctx: &Context,
        stand: &Stand<'_>,
    ) -> Result<Self, Fout> {
        Ok(Self {
            soort: stand.kern(conn, &ctx.actor.organisatie)?.map(|o| o.2),
            convenanten: stand.convenanten(conn, &ctx.actor.organisatie)?,
        })
    }

    /// The actor's organisation kind.
    pub fn soort(&self) -> Option<OrganisatieSoort> {
        self.soort
    }

    pub fn beslis(&self, ctx: &Context, a: &Aanvraag) -> Result<Toestemming, Weigering> {
        beslis(
            &ctx.actor,
            self.soort,
            &self.convenanten,
            a,
            ctx.toelichting.as_deref(),
            ctx.doorbraak,
            ctx.nu,
        )
    }
}

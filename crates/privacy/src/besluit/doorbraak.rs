//! `DOORBRAAK`: break-glass — a role named in an agreement in force that the actor's
//! organisation and every owner take part in may read outside the rules, only with a
//! reason; the permission is flagged and the read reviewed afterwards.

use super::{Aanvraag, Basis, Toestemming, Weigering};
use crate::convenant::{Convenant, Grondslag};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actie, Actor, OrganisatieSoort, Vertrouwelijkheid};
use std::collections::BTreeSet;

/// `DOORBRAAK`: an emergency read outside the rules.
pub(super) fn doorbreek(
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    convenanten: &[Convenant],
    a: &Aanvraag,
    toelichting: Option<&str>,
    nu: DateTime<Utc>,
) -> Result<Toestemming, Weigering> {
    if a.actie != Actie::Lezen {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "doorbraak geldt alleen voor lezen".into(),
            toelichting_vereist: false,
        });
    }
    let Some(soort) = soort else {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "de organisatie is niet geregistreerd".into(),
            toelichting_vereist: false,
        });
    };
    let Some(c) = convenanten.iter().find(|c| {
        c.van_kracht(nu)
            && c.is_partij(&actor.organisatie)
            && a.eigenaren
                .iter()
                .all(|e| *e == actor.organisatie || c.is_partij(e))
            && c.inhoud
                .doorbraakrollen
                .iter()
                .any(|d| d.organisatie_soort == soort && actor.heeft_rol(d.rol))
    }) else {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "geen convenant van kracht noemt deze rol voor doorbraak".into(),
            toelichting_vereist: false,
        });
    };
    if toelichting.is_none() {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "een doorbraak vereist een reden in `X-Audit-Toelichting`".into(),
            toelichting_vereist: true,
        });
    }
    Ok(Toestemming {
        basis: vec![Basis {
            convenant: Some((c.id, c.versie)),
            grondslag: Grondslag {
                code: "doorbraak (noodtoegang)".into(),
                omschrijving: "Noodtoegang buiten de regels van het convenant; achteraf getoetst"
                    .into(),
            },
        }],
        redigeer: BTreeSet::new(),
        doorbraak: true,
        max_vertrouwelijkheid: Vertrouwelijkheid::ZeerGeheim,
        doel: a.doel,
        informeer: BTreeSet::new(),
    })
}

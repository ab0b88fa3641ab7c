//! Who is calling: the `Actor` a verified token becomes (DESIGN.md §5). The organisation
//! always comes from the token, never from a request body.

use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, IntoStaticStr, VariantArray, VariantNames};

/// A role a user holds within their organisation (DOMAIN.md §2).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    IntoStaticStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Rol {
    Noodhulp,
    Wijkagent,
    Jeugdcoordinator,
    Kwaliteitscontroleur,
    Triagist,
    Onderzoeker,
    Gezinsvoogd,
    OfficierVanJustitie,
    Wijkteammedewerker,
    Privacyfunctionaris,
    FunctioneelBeheerder,
    /// Runs the ketenregie platform itself: registers partner organisations. Sees no
    /// case data by virtue of this role.
    Platformbeheerder,
    /// The pilot's steering group (DOMAIN.md §2: "whether the loop closes"): sees counts
    /// across the pilot, never a record or personal data (the werkplek's pilot dashboard).
    Stuurgroep,
}

/// The authenticated caller.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// Stable user id (`sub`).
    pub gebruiker: String,
    /// Display name, for provenance shown to partners; never logged.
    pub weergavenaam: String,
    /// The organisation's code from the token.
    pub organisatie: String,
    pub rollen: Vec<Rol>,
    /// The client application that obtained the token (`client_id`).
    pub applicatie: String,
}

impl Actor {
    pub fn heeft_rol(&self, rol: Rol) -> bool {
        self.rollen.contains(&rol)
    }

    /// May this actor manage the registration of organisation `code` (its record and its
    /// contact points)? Its own functional admin, or the platform admin.
    pub fn beheert_organisatie(&self, code: &str) -> bool {
        self.heeft_rol(Rol::Platformbeheerder)
            || (self.heeft_rol(Rol::FunctioneelBeheerder) && self.organisatie == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(org: &str, rollen: Vec<Rol>) -> Actor {
        Actor {
            gebruiker: "u1".into(),
            weergavenaam: "U".into(),
            organisatie: org.into(),
            rollen,
            applicatie: "app".into(),
        }
    }

    #[test]
    fn only_own_admin_or_platform_admin_manages() {
        assert!(actor("vt", vec![Rol::FunctioneelBeheerder]).beheert_organisatie("vt"));
        assert!(!actor("vt", vec![Rol::FunctioneelBeheerder]).beheert_organisatie("politie"));
        assert!(!actor("vt", vec![Rol::Triagist]).beheert_organisatie("vt"));
        assert!(actor("x", vec![Rol::Platformbeheerder]).beheert_organisatie("vt"));
        assert_eq!(Rol::OfficierVanJustitie.as_ref(), "officier-van-justitie");
    }
}

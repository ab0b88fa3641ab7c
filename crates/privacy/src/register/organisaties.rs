//! `ORGANISATIE_GEREGISTREERD` (issue 11 point 2): an organisation is registered, not
//! self-declared. Its registered fields — `code` (what tokens name), `soort` (what every
//! policy decision reads), `rechtsregime`, `oin` and `gemeenten` (which Veilig Thuis a
//! zorgmelding is routed to) — are set and changed by the platform admin only. The
//! organisation's own functional admin edits its name (and its contact points); a change
//! of a registered field by anyone else is refused naming the fields. Every registration
//! and change is in the audit trail with old and new values, and so is every refusal (by
//! the API's transaction helper, in the caller's organisation's trail).

use super::controleer_gemeenten;
use crate::Context;
use crate::logboek::{self, AuditRegel, Object};
use ketenregie_common::{Actor, Fout, InvalidParam, OrganisatieSoort, Rechtsregime, Rol};
use ketenregie_store::DbConnection;
use ketenregie_store::directory::{self, Organisatie, OrganisatieFilter, OrganisatieGegevens};
use uuid::Uuid;

/// The rule's name.
pub const ORGANISATIE_GEREGISTREERD: &str = "ORGANISATIE_GEREGISTREERD";

/// `NAAM_UNIEK` (the outside test of 30 Nov 2026: a wijkteam renamed itself "Politie
/// eenheid Den Haag", and partners saw that name in matches and inzage reports): no two
/// organisations carry the same name, compared as `naamsleutel` does. A registration or
/// rename to a name taken is a 422 naming `naam`, also when two such writes run at once
/// (the UNIQUE index on `organisaties.naam_sleutel`).
pub const NAAM_UNIEK: &str = "NAAM_UNIEK";

/// `PLATFORMCODE_GERESERVEERD` (the outside test of 2 Dec 2026: `POST /organisaties` with
/// the code `ketenregie-platform` was a 201, after which the platform's own tokens acted
/// as a police organisation, the kind read from the register): the platform's own code
/// (`auth.platform_organisation`) is no partner's. A registration or a change to it is a
/// 422 naming `code` (`regelcode::GERESERVEERD`), checked by the API where the
/// configuration is known; a register that already holds it stops the service at start.
pub const PLATFORMCODE_GERESERVEERD: &str = "PLATFORMCODE_GERESERVEERD";

/// The key two names are compared on (`common::organisatie::naamsleutel`: Unicode NFKC,
/// the TR39 confusable skeleton, without case, whitespace, punctuation and invisible
/// characters).
pub use ketenregie_common::organisatie::naamsleutel;

/// `NAAM_UNIEK`: `naam` is not the name of an organisation other than `code`. Checked
/// before the write to name the other organisation; the UNIQUE index on the stored key
/// (`organisaties.naam_sleutel`) refuses what a simultaneous write slips past the check,
/// with the same 422 (`directory::DirectoryFout::NaamBezet`).
fn naam_vrij(conn: &mut DbConnection, naam: &str, code: &str) -> Result<(), Fout> {
    Ok(directory::naam_vrij(conn, naam, code)?)
}

const GRONDSLAG_PLATFORM: &str = "register van partnerorganisaties (platformbeheer)";
const GRONDSLAG_EIGEN: &str = "eigen organisatie (naam)";

/// The fields of a registration or change as parsed, each `None` where absent (the API
/// checks their form).
#[derive(Debug, Clone, Default)]
pub struct OrganisatieVelden {
    pub code: Option<String>,
    pub naam: Option<String>,
    pub oin: Option<String>,
    pub soort: Option<OrganisatieSoort>,
    pub rechtsregime: Option<Rechtsregime>,
    /// Sorted, without duplicates.
    pub gemeenten: Option<Vec<String>>,
}

/// Does `actor` replace a whole registration (the platform admin), so that a change must
/// carry every registered field? Anyone else changes the name only.
pub fn vervangt_registratie(actor: &Actor) -> bool {
    actor.heeft_rol(Rol::Platformbeheerder)
}

impl OrganisatieVelden {
    /// The whole registration (fields parsed as a registration): an absent regime is the
    /// kind's usual one, an absent OIN none, absent municipalities none.
    pub fn volledig(self) -> Result<OrganisatieGegevens, Fout> {
        match (self.code, self.naam, self.soort) {
            (Some(code), Some(naam), Some(soort)) => Ok(OrganisatieGegevens {
                code,
                naam,
                oin: self.oin,
                soort,
                rechtsregime: self
                    .rechtsregime
                    .unwrap_or_else(|| soort.gebruikelijk_regime()),
                gemeenten: self.gemeenten.unwrap_or_default(),
            }),
            _ => Err(Fout::intern("validation returned no value and no error")),
        }
    }

    /// The own organisation's change: its name, every registered field as registered.
    /// A registered field sent with another value is refused, each named
    /// (`ORGANISATIE_GEREGISTREERD`).
    fn eigen_wijziging(self, huidig: &Organisatie) -> Result<OrganisatieGegevens, Fout> {
        let mut anders: Vec<&str> = Vec::new();
        if let Some(c) = &self.code
            && *c != huidig.code
        {
            anders.push("code");
        }
        if let Some(s) = self.soort
            && s != huidig.soort
        {
            anders.push("soort");
        }
        if let Some(r) = self.rechtsregime
            && r != huidig.rechtsregime
        {
            anders.push("rechtsregime");
        }
        if self.oin.is_some() && self.oin != huidig.oin {
            anders.push("oin");
        }
        if let Some(g) = &self.gemeenten
            && *g != huidig.gemeenten
        {
            anders.push("gemeenten");
        }
        if !anders.is_empty() {
            return Err(Fout::GeenToegang {
                regel: ORGANISATIE_GEREGISTREERD,
                reden: format!(
                    "Alleen de platformbeheerder stelt {} van een organisatie vast of wijzigt ze; u wijzigt de naam en de contactpunten (regel ORGANISATIE_GEREGISTREERD)",
                    anders
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                velden: anders
                    .into_iter()
                    // The registered value is not repeated: a reason never holds a code
                    // or a value (README "Invalid input"); the organisation reads its own
                    // registration with `GET /organisaties/{id}`.
                    .map(|naam| InvalidParam {
                        name: naam.to_string(),
                        code: "platformbeheer".into(),
                        reason: format!(
                            "`{naam}` is geregistreerd en wordt alleen door de platformbeheerder gewijzigd (de geregistreerde waarde staat in GET /organisaties/{{id}})"
                        ),
                    })
                    .collect(),
            });
        }
        Ok(OrganisatieGegevens {
            code: huidig.code.clone(),
            naam: self.naam.unwrap_or_else(|| huidig.naam.clone()),
            oin: huidig.oin.clone(),
            soort: huidig.soort,
            rechtsregime: huidig.rechtsregime,
            gemeenten: huidig.gemeenten.clone(),
        })
    }
}

/// The registration as written to the audit trail (organisation data, no personal data).
fn registratie_json(o: &Organisatie) -> serde_json::Value {
    serde_json::json!({
        "code": o.code, "naam": o.naam, "oin": o.oin, "soort": o.soort,
        "rechtsregime": o.rechtsregime, "gemeenten": o.gemeenten,
    })
}

/// One audit row for a registration or a change, in the organisation's own chain.
fn audit(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: &str,
    oud: Option<&Organisatie>,
    nieuw: &Organisatie,
    grondslag: &str,
) -> Result<(), Fout> {
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: actie.into(),
            object: Object {
                soort: "organisaties",
                id: nieuw.id.to_string(),
                eigenaar: nieuw.code.clone(),
            },
            resultaat: if oud.is_none() { 201 } else { 200 },
            doorbraak: false,
            grondslag: Some(grondslag.into()),
            oud: oud.map(registratie_json),
            nieuw: Some(registratie_json(nieuw)),
        },
    )?;
    Ok(())
}

/// The audit object of an act on organisation `id` (`None`: a new one), in the caller's
/// organisation's trail, where a refusal is recorded.
pub fn object(ctx: &Context, id: Option<Uuid>) -> Object {
    Object {
        soort: "organisaties",
        id: id.map_or_else(|| "nieuw".into(), |i| i.to_string()),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// `GET /organisaties`: a page of the register, filtered (a municipality filter must be a
/// real code, `GEMEENTECODE_BESTAAT`). Readable by every partner.
pub fn zoek(
    conn: &mut DbConnection,
    filter: &OrganisatieFilter,
    venster: &ketenregie_store::venster::Venster<String>,
) -> Result<ketenregie_store::venster::Pagina<Organisatie, String>, Fout> {
    if let Some(g) = &filter.gemeente {
        controleer_gemeenten(conn, "gemeente", std::slice::from_ref(g))?;
    }
    Ok(directory::organisaties(conn, filter, venster)?)
}

/// `GET /organisaties/{id}`; `NietGevonden` for an unknown id.
pub fn lees(conn: &mut DbConnection, id: Uuid) -> Result<Organisatie, Fout> {
    directory::organisatie(conn, id)?.ok_or_else(niet_gevonden)
}

/// `lees`, with the version stamp of the register read by the same statement
/// (`directory::organisatie_met_stempel`), for `GET /organisaties/{id}` to confirm the
/// authentication's check of the register at it (`api::auth::bevestig`).
pub fn lees_met_stempel(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<(Organisatie, crate::stamgegevens::Stempel), Fout> {
    directory::organisatie_met_stempel(conn, id)?
        .map(|(o, s)| (o, crate::stamgegevens::Stempel(s)))
        .ok_or_else(niet_gevonden)
}

fn niet_gevonden() -> Fout {
    Fout::NietGevonden("Er is geen organisatie met dit id".into())
}

/// `POST /organisaties`: the platform admin registers `g` (`ORGANISATIE_GEREGISTREERD`;
/// anyone else `GeenToegang`); the municipalities must be real; a name taken is
/// `Ongeldig` naming `naam` (`NAAM_UNIEK`); a code or OIN taken is a `Conflict`. Recorded in the new organisation's audit trail.
pub fn registreer(
    conn: &mut DbConnection,
    ctx: &Context,
    g: OrganisatieGegevens,
) -> Result<Organisatie, Fout> {
    if !ctx.actor.heeft_rol(Rol::Platformbeheerder) {
        return Err(Fout::geen_toegang(
            ORGANISATIE_GEREGISTREERD,
            "Alleen de platformbeheerder registreert een organisatie, met haar soort, rechtsregime, OIN en werkgebied (regel ORGANISATIE_GEREGISTREERD)",
        ));
    }
    controleer_gemeenten(conn, "gemeenten", &g.gemeenten)?;
    naam_vrij(conn, &g.naam, &g.code)?;
    let o = directory::maak_organisatie(conn, g)?;
    audit(conn, ctx, "aanmaken", None, &o, GRONDSLAG_PLATFORM)?;
    Ok(o)
}

/// `PUT /organisaties/{id}`: the platform admin replaces the registration (`v` parsed as
/// a whole registration, `vervangt_registratie`); the organisation's own functional admin
/// changes its name, every registered field sent must equal the registration
/// (`ORGANISATIE_GEREGISTREERD`, refusing with the fields named); anyone else
/// `GeenToegang`. A name another organisation has is `Ongeldig` naming `naam`
/// (`NAAM_UNIEK`). `verwacht` is the `If-Match` version (`VoorwaardeMislukt` when stale).
/// Recorded with old and new values.
pub fn wijzig(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    v: OrganisatieVelden,
    verwacht: &ketenregie_common::IfMatch,
) -> Result<Organisatie, Fout> {
    let huidig = directory::organisatie(conn, id)?
        .ok_or_else(|| Fout::NietGevonden("Er is geen organisatie met dit id".into()))?;
    let (g, grondslag) = if vervangt_registratie(&ctx.actor) {
        (v.volledig()?, GRONDSLAG_PLATFORM)
    } else if ctx.actor.beheert_organisatie(&huidig.code) {
        (v.eigen_wijziging(&huidig)?, GRONDSLAG_EIGEN)
    } else {
        // Refused in the trail of the organisation whose registration was to change, where
        // its privacy officer sees the attempt (as every refusal on another's record).
        return Err(Fout::geweigerd(
            ORGANISATIE_GEREGISTREERD,
            format!(
                "Alleen de platformbeheerder, of voor de naam de functioneel beheerder van {}, wijzigt deze organisatie",
                huidig.naam
            ),
        )
        .bij_eigenaar(&huidig.code));
    };
    controleer_gemeenten(conn, "gemeenten", &g.gemeenten)?;
    naam_vrij(conn, &g.naam, &huidig.code)?;
    let o = directory::wijzig_organisatie(conn, id, g, verwacht)?;
    audit(conn, ctx, "wijzigen", Some(&huidig), &o, grondslag)?;
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::naamsleutel;

    #[test]
    fn naamsleutel_zonder_hoofdletters_spaties_en_onzichtbare_tekens() {
        let k = naamsleutel("Politie eenheid Den Haag");
        assert_eq!(naamsleutel("  POLITIE   eenheid\tden haag "), k);
        assert_eq!(naamsleutel("Politie\u{202E} eenheid Den\u{200B} Haag"), k);
        // NFC: a precomposed and a decomposed é are one name.
        assert_eq!(naamsleutel("Caf\u{00E9}"), naamsleutel("Cafe\u{0301}"));
        assert_ne!(
            naamsleutel("Politie eenheid Den Haag"),
            naamsleutel("Politie eenheid Haaglanden")
        );
    }

    /// The look-alikes of the outside test of 1 Dec 2026 (F2): every one has the key of
    /// the name it imitates.
    #[test]
    fn naamsleutel_van_lookalikes() {
        let k = naamsleutel("Politie eenheid Den Haag");
        for naam in [
            // Default_Ignorable_Code_Point: variation selector, combining grapheme joiner,
            // Hangul filler, tag character, Mongolian vowel separator.
            "Politie eenheid Den Haag\u{FE0F}",
            "Politie eenheid Den Haag\u{034F}",
            "Politie\u{3164} eenheid Den Haag",
            "Politie eenheid Den Haag\u{E0041}",
            "Politie eenheid\u{180E} Den Haag",
            // Format and separator characters that are not default ignorable.
            "Politie eenheid Den Haag\u{0600}",
            "Politie\u{2028}eenheid\u{3000}Den\u{2800}Haag",
            // Confusables (TR39 skeleton): Cyrillic о and а, Greek capital Eta, a capital
            // I or the digit 1 for the l, full-width letters (NFKC), "rn" for "m".
            "P\u{043E}litie eenheid Den Haag",
            "Politie eenheid Den H\u{0430}\u{0430}g",
            "Politie eenheid Den \u{0397}aag",
            "PoIitie eenheid Den Haag",
            "Po1itie eenheid Den Haag",
            "\u{FF30}olitie eenheid Den Haag",
            // Punctuation and whitespace.
            "Politie-eenheid Den Haag",
            "Politie eenheid Den-Haag",
            "Politie eenheid Den Haag.",
            "Politie eenheid, Den Haag",
            "Politie\u{2010}eenheid \u{201C}Den Haag\u{201D}",
            "Politie_eenheid_Den_Haag",
            // Marks and modifier symbols (the retest of 1 Dec 2026): a dot above an i,
            // one-pixel dots and rings, accents, and the ideographic full stop.
            "Politi\u{0307}e eenheid Den Haag",
            "Politie eenheid Den Haag\u{0323}",
            "Politie eenheid Den Haag\u{0358}",
            "Politie eenheid Den Haag\u{05C4}",
            "Politie eenheid Den Haag\u{1AB0}",
            "Politie eenheid Den Haag\u{20D8}",
            "Politie eenheid Den Haag\u{0651}",
            "Politie eenheid Den Haag\u{02D9}",
            "Politie eenheid Den Haag\u{00B4}",
            "Politie eenheid Den Haag\u{00B8}",
            "Politie eenheid Den Haag\u{02CC}",
            "Politie eenheid Den Haag\u{3002}",
            "Politie eenhéid Den Haag",
        ] {
            assert_eq!(naamsleutel(naam), k, "{naam:?}");
        }
        assert_eq!(naamsleutel("WIJKTEAM NOORD"), naamsleutel("wijkteam noord"));
        assert_eq!(
            naamsleutel("Wijkteam Moord"),
            naamsleutel("Wijkteam rnoord")
        );
        // Different names stay different.
        assert_ne!(
            naamsleutel("Politie eenheid Den Haag"),
            naamsleutel("Politie eenheid Den Helder")
        );
        assert_ne!(naamsleutel("Wijkteam Noord"), naamsleutel("Wijkteam Zuid"));
    }
}

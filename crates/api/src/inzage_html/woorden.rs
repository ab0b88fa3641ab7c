//! Labels and values of an inzage report in plain Dutch (B1; issue 15 point 6: "row
//! labels are field names and values codes"): every field name of an item's data, every
//! kind, purpose, status and step code the domain crates write, as a parent reads them.
//! The codes are those of the domain enums (`Incidentsoort`, `Beschikkingsoort`,
//! `Gezagsvorm`, `TaakStatus`, `Beoordelingsuitkomst`, `Terugkoppelmoment`, `Doel`, the
//! step names of `referral`); `tests::elke_code_in_woorden` holds this table to them.

/// The heading of an item: its kind, and for what moves between organisations which way
/// it went (`richting`: "gegeven" or "ontvangen").
pub fn titel(soort: &str, richting: Option<&str>) -> String {
    let gegeven = richting == Some("gegeven");
    match soort {
        "persoon" => "Uw persoonsgegevens",
        "gezin" => "Uw gezin",
        "gezag" => "Gezag over een kind",
        "beschikking" => "Beslissing van de rechter",
        "regeling" => "Afspraak over omgang of zorg",
        "incident" => "Gebeurtenis waarbij de politie kwam",
        "betrokkenheid" => "Wij zijn bij u betrokken",
        "match" => "Een andere organisatie is ook betrokken",
        "zorgmelding" if gegeven => "Zorgmelding die wij deden",
        "zorgmelding" => "Zorgmelding die wij kregen",
        "overdracht" if gegeven => "Wij droegen de zorg over aan een andere organisatie",
        "overdracht" => "Een andere organisatie droeg de zorg aan ons over",
        "terugkoppeling" if gegeven => "Bericht dat wij gaven over een melding",
        "terugkoppeling" => "Bericht dat wij kregen over een melding",
        "eigen-verklaring" => "Uw eigen verklaring",
        ander => return zin(ander),
    }
    .to_string()
}

/// The label of field `sleutel` of an item of kind `soort`.
pub fn label(soort: &str, sleutel: &str) -> String {
    let l = match (soort, sleutel) {
        ("incident", "soort") => "Wat er gebeurde",
        ("incident", "samenvatting") => "Samenvatting",
        ("incident", "tijdstip") => "Wanneer",
        ("incident", "rol") => "U was erbij als",
        ("beschikking", "soort") => "Soort beslissing",
        ("beschikking", "datum") => "Datum van de beslissing",
        ("regeling", "soort") => "Soort afspraak",
        ("regeling", "bron") => "Vastgelegd in",
        ("regeling", "samenvatting") => "De afspraak",
        ("gezag", "bron") => "Nagekeken in",
        ("gezin", "relatie") => "U bent in dit gezin",
        ("match", "organisatie") => "Andere organisatie",
        ("match", "reden") => "Waarom",
        ("terugkoppeling", "toelichting") => "Wat er werd verteld",
        (_, "voornamen") => "Voornamen",
        (_, "achternaam") => "Achternaam",
        (_, "geboortedatum") => "Geboortedatum",
        (_, "bsn") => "Burgerservicenummer (BSN)",
        (_, "adres") => "Adres",
        (_, "kenmerk") => "Kenmerk van het dossier",
        (_, "leden") => "Andere gezinsleden",
        (_, "rechtbank") => "Rechtbank",
        (_, "zaaknummer") => "Zaaknummer",
        (_, "van") => "Geldt vanaf",
        (_, "tot") => "Geldt tot",
        (_, "uitvoerbaarBijVoorraad") => "Geldt meteen, ook als iemand in hoger beroep gaat",
        (_, "sterkeArm") => "De politie mag helpen om de beslissing uit te voeren",
        (_, "sterkeArmTekst") => "Wat de rechter daarover schreef",
        (_, "kinderen") => "Kinderen",
        (_, "kind") => "Kind",
        (_, "vorm") => "Wie het gezag heeft",
        (_, "houders") => "Gezag ligt bij",
        (_, "houderInstelling") => "Instelling met gezag",
        (_, "geverifieerdOp") => "Nagekeken op",
        (_, "plaats") => "Plaats",
        (_, "gemeente") => "Gemeente",
        (_, "politieReferentie") | (_, "incidentReferentie") => "Registratienummer van de politie",
        (_, "wederhoor") => "Is de andere ouder ook gehoord?",
        (_, "wederhoorOp") => "Gehoord of geprobeerd op",
        (_, "verklaringen") => "Wat er is gezegd",
        (_, "contact") => "Contactpersoon",
        (_, "sinds") => "Betrokken sinds",
        (_, "vervaltOp") => "Dit wordt gewist op",
        (_, "beeindigdOp") => "Gestopt op",
        (_, "afzender") => "Van",
        (_, "ontvanger") => "Aan",
        (_, "meldingstatus") => "Stand van de melding",
        (_, "taakstatus") => "Stand van de behandeling",
        (_, "uitkomst") => "Uitkomst van de beoordeling",
        (_, "ingediendOp") => "Verstuurd op",
        (_, "acuut") => "Direct gevaar",
        (_, "risiconiveau") => "Hoe groot het risico is",
        (_, "zorgen") => "Zorgen",
        (_, "incidentDatum") => "Datum van de gebeurtenis",
        (_, "omschrijving") => "Wat er gebeurde",
        (_, "ouders") => "Ouders en verzorgers",
        (_, "oudersGeinformeerd") => "Zijn de ouders op de hoogte gebracht?",
        (_, "redenNietGeinformeerd") => "Waarom niet",
        (_, "melder") => "Wie de melding deed",
        (_, "stappen") => "Wat er met de melding gebeurde",
        (_, "eigenWoorden") => "Wat u zelf zei",
        (_, "door") => "Gegeven door",
        (_, "aan") => "Gegeven aan",
        (_, "moment") => "Soort bericht",
        (_, "vervolgtrajectGestart") => "Is er verdere hulp gestart?",
        (_, "overgenomenDoor") => "Wie de zorg overnam",
        (_, "melderHeeftRol") => "Heeft de melder een rol in de afspraken?",
        (_, "veiligheidsvoorwaarden") => "Afspraken over veiligheid",
        (_, "monitoringsafspraken") => "Afspraken over hoe de situatie wordt gevolgd",
        (_, "toelichting") => "Toelichting",
        (_, "reden") => "Reden",
        (_, "naam") => "Naam",
        (_, "functie") => "Functie",
        (_, "telefoon") => "Telefoon",
        (_, "email") => "E-mail",
        (_, "relatie") => "Relatie",
        (_, "organisatie") => "Organisatie",
        (_, ander) => return zin(ander),
    };
    l.to_string()
}

/// Code `code` of field `sleutel` of an item of kind `soort`, in words; `None` when the
/// field holds no code (free text, names) or the code is unknown.
pub fn waarde(soort: &str, sleutel: &str, code: &str) -> Option<&'static str> {
    Some(match (soort, sleutel, code) {
        ("incident", "soort", c) => match c {
            "overdracht-kind-mislukt" => "Het overdragen van de kinderen ging mis",
            "ruzie" => "Ruzie",
            "bedreiging" => "Bedreiging",
            "onttrekking-gezag" => "Een kind werd weggehouden bij de ouder met gezag",
            "mishandeling" => "Mishandeling",
            "overig" => "Iets anders",
            _ => return None,
        },
        ("beschikking", "soort", c) => match c {
            "omgang" => "Omgangsregeling",
            "zorgregeling" => "Zorgregeling",
            "gezag" => "Gezag",
            "ots" => "Ondertoezichtstelling (OTS)",
            "voorlopige-ots" => "Voorlopige ondertoezichtstelling",
            "uhp" => "Uithuisplaatsing",
            "huisverbod" => "Tijdelijk huisverbod",
            "straatverbod" => "Straatverbod",
            "overig" => "Andere beslissing",
            _ => return None,
        },
        ("regeling", "soort", c) => match c {
            "omgangsregeling" => "Omgangsregeling",
            "zorgregeling" => "Zorgregeling",
            _ => return None,
        },
        ("regeling", "bron", c) | ("gezag", "bron", c) => match c {
            "ouderschapsplan" => "Het ouderschapsplan",
            "beschikking" => "Een beslissing van de rechter",
            "gezagsregister" => "Het gezagsregister",
            "brp" => "De Basisregistratie Personen (BRP)",
            _ => return None,
        },
        (_, "vorm", c) => match c {
            "gezamenlijk" => "Beide ouders samen",
            "eenhoofdig" => "Eén ouder",
            "voogdij" => "Een voogd",
            "tijdelijk-geen" => "Tijdelijk niemand",
            "niet-te-bepalen" => "Dat is niet vast te stellen",
            _ => return None,
        },
        (_, "wederhoor", c) => match c {
            "ja" => "Ja",
            "nee" => "Nee",
            "niet-bereikbaar" => "Nee, de andere ouder was niet te bereiken",
            "geweigerd" => "Nee, de andere ouder wilde niet",
            _ => return None,
        },
        (_, "afgelegdDoor", c) | (_, "rol", c) | (_, "relatie", c) => match c {
            "moeder" => "moeder",
            "vader" => "vader",
            "kind" => "kind",
            "getuige" => "getuige",
            "agent" => "agent",
            "ouder" => "ouder",
            "verzorger" => "verzorger",
            "stiefouder" => "stiefouder",
            "pleegouder" => "pleegouder",
            "huisgenoot" => "huisgenoot",
            "overig" | "anders" => "iemand anders",
            "melder" => "melder",
            "verdachte" => "verdachte",
            "slachtoffer" => "slachtoffer",
            _ => return None,
        },
        ("match", "reden", c) => match c {
            "zelfde-kind" => "Wij zijn allebei betrokken bij hetzelfde kind",
            "gedeelde-ouder" => "Wij zijn betrokken bij kinderen met een gezamenlijke ouder",
            _ => return None,
        },
        (_, "meldingstatus", c) => match c {
            "concept" => "Nog niet verstuurd",
            "ter-controle" => "Wordt nagekeken voordat hij wordt verstuurd",
            "verzonden" => "Verstuurd",
            "niet-routeerbaar" => "Kon niet worden verstuurd",
            _ => return None,
        },
        (_, "taakstatus", c) | (_, "naarStatus", c) => match c {
            "requested" => "Verstuurd, nog niet ontvangen",
            "received" => "Ontvangen",
            "accepted" => "Aangenomen",
            "rejected" => "Geweigerd",
            "in-progress" => "In behandeling",
            "on-hold" => "Tijdelijk stilgezet",
            "completed" => "Afgerond",
            "cancelled" => "Ingetrokken",
            "failed" => "Niet gelukt",
            "entered-in-error" => "Per vergissing gemaakt",
            "concept" => "Nog niet verstuurd",
            "ter-controle" => "Wordt nagekeken",
            "niet-routeerbaar" => "Kon niet worden verstuurd",
            _ => return None,
        },
        (_, "uitkomst", c) => match c {
            "overdracht-lokaal-veld" => "De zorg gaat naar het wijkteam",
            "overdracht-betrokken-hulpverlening" => {
                "De zorg gaat naar hulpverleners die al betrokken zijn"
            }
            "overdracht-mdt" => "De zorg gaat naar een team van verschillende hulpverleners",
            "voorwaarden-en-vervolg" => {
                "Veilig Thuis maakt afspraken over veiligheid en volgt hoe het gaat"
            }
            "onderzoek-vt" => "Veilig Thuis doet onderzoek",
            "verzoek-onderzoek-rvdk" => {
                "De Raad voor de Kinderbescherming wordt gevraagd om onderzoek te doen"
            }
            "omgezet-in-advies" => "Veilig Thuis geeft advies",
            "einde-bemoeienis" => "Veilig Thuis stopt",
            _ => return None,
        },
        (_, "risiconiveau", c) => match c {
            "laag" => "Laag",
            "verhoogd" => "Verhoogd",
            "hoog" => "Hoog",
            _ => return None,
        },
        (_, "moment", c) => match c {
            "ontvangstbevestiging" => "Bevestiging dat de melding is ontvangen",
            "na-beoordeling" => "Bericht na de beoordeling van de veiligheid",
            "tussentijds" => "Tussentijds bericht",
            "na-onderzoek" => "Bericht na het onderzoek",
            "eindresultaat" => "Bericht over het eindresultaat",
            _ => return None,
        },
        (_, "stap", c) => stap(c)?,
        _ => return None,
    })
}

/// A step in a melding's handling (the step names `referral` writes).
pub fn stap(code: &str) -> Option<&'static str> {
    Some(match code {
        "aangemaakt" => "De melding is opgesteld",
        "gewijzigd" => "De melding is aangepast",
        "ter-controle" => "De melding is aangeboden om na te kijken",
        "goedgekeurd" => "De melding is nagekeken en goedgekeurd",
        "teruggestuurd" => "De melding is teruggestuurd om aan te passen",
        "verzonden" => "De melding is verstuurd",
        "niet-routeerbaar" => "De melding kon niet worden verstuurd",
        "ontvangst" => "De melding is ontvangen",
        "acceptatie" => "De melding is aangenomen",
        "afwijzing" => "De melding is geweigerd",
        "annulering" => "De melding is ingetrokken",
        "opschorting" => "De behandeling is stilgezet",
        "hervatting" => "De behandeling gaat verder",
        "mislukking" => "De behandeling is niet gelukt",
        "beoordeling" => "De veiligheid is beoordeeld",
        "afsluiting" => "De behandeling is afgerond",
        "overdracht" => "De zorg is overgedragen",
        "overdracht-ontvangen" => "De overdracht is ontvangen",
        _ => return None,
    })
}

/// What a processing was for (the purposes of `ketenregie_common::Doel`).
pub fn doel(code: &str) -> String {
    match code {
        "zorgmelding" => "Een zorgmelding doen",
        "veiligheidsbeoordeling" => "Beoordelen of de kinderen veilig zijn",
        "terugkoppeling" => "Laten weten wat er met een melding gebeurt",
        "briefing" => "Informatie voor agenten voordat zij ergens heen gaan",
        "strafrechtelijke-beoordeling" => "Beoordelen of er een strafzaak komt",
        "coordinatie" => "Hulpverleners stemmen hun hulp op elkaar af",
        "inzage" => "Uw vraag om inzage, of uw eigen verklaring",
        "kwaliteit-en-verantwoording" => "Controle en verantwoording",
        "bewaring" => "Gegevens wissen die niet langer bewaard mogen worden",
        ander => return zin(ander),
    }
    .to_string()
}

/// A legal basis as the report gives it, with the basis of the decision's rule
/// `EIGEN_ORGANISATIE` ("eigen taakuitvoering") in words.
pub fn grondslag(tekst: &str) -> String {
    tekst
        .split("; ")
        .map(|d| {
            if d == "eigen taakuitvoering" {
                "De eigen wettelijke taak van de organisatie".to_string()
            } else {
                d.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What an eigen verklaring was added to (`bij`: "objecttype/id"), when it is not an item
/// of the report.
pub fn bij(object_type: &str) -> &'static str {
    match object_type {
        "personen" => "Bij uw gegevens",
        "zorgmeldingen" => "Bij een zorgmelding",
        "incidenten" => "Bij een gebeurtenis waarbij de politie kwam",
        "beschikkingen" => "Bij een beslissing van de rechter",
        "terugkoppelingen" => "Bij een bericht over een melding",
        _ => "Bij uw gegevens",
    }
}

/// A field name or code that has no words yet, as a sentence: "politieReferentie" and
/// "onttrekking-gezag" read "Politie referentie" and "Onttrekking gezag".
pub fn zin(code: &str) -> String {
    let mut uit = String::with_capacity(code.len() + 4);
    for (i, c) in code.chars().enumerate() {
        if c == '-' || c == '_' {
            uit.push(' ');
        } else if c.is_uppercase() && i > 0 {
            uit.push(' ');
            uit.extend(c.to_lowercase());
        } else if i == 0 {
            uit.extend(c.to_uppercase());
        } else {
            uit.push(c);
        }
    }
    uit
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantNames;

    #[test]
    fn elke_code_in_woorden() {
        use ketenregie_case::beschikkingen::Beschikkingsoort;
        use ketenregie_case::gezag::{Gezagsbron, Gezagsvorm};
        use ketenregie_case::incidenten::{Incidentsoort, Verklaarder, Wederhoor};
        use ketenregie_case::regelingen::{Regelingbron, Regelingsoort};
        use ketenregie_referral::inhoud::{Relatie, Risiconiveau};
        use ketenregie_referral::levenscyclus::{Beoordelingsuitkomst, TaakStatus};
        for c in Incidentsoort::VARIANTS {
            assert!(waarde("incident", "soort", c).is_some(), "{c}");
        }
        for c in Wederhoor::VARIANTS {
            assert!(waarde("incident", "wederhoor", c).is_some(), "{c}");
        }
        for c in Verklaarder::VARIANTS.iter().chain(Relatie::VARIANTS) {
            assert!(waarde("incident", "afgelegdDoor", c).is_some(), "{c}");
        }
        for c in Beschikkingsoort::VARIANTS {
            assert!(waarde("beschikking", "soort", c).is_some(), "{c}");
        }
        for c in Regelingsoort::VARIANTS {
            assert!(waarde("regeling", "soort", c).is_some(), "{c}");
        }
        for c in Regelingbron::VARIANTS {
            assert!(waarde("regeling", "bron", c).is_some(), "{c}");
        }
        for c in Gezagsbron::VARIANTS {
            assert!(waarde("gezag", "bron", c).is_some(), "{c}");
        }
        for c in Gezagsvorm::VARIANTS {
            assert!(waarde("gezag", "vorm", c).is_some(), "{c}");
        }
        for c in TaakStatus::VARIANTS {
            assert!(waarde("zorgmelding", "taakstatus", c).is_some(), "{c}");
        }
        for c in Beoordelingsuitkomst::VARIANTS {
            assert!(waarde("zorgmelding", "uitkomst", c).is_some(), "{c}");
        }
        for c in Risiconiveau::VARIANTS {
            assert!(waarde("zorgmelding", "risiconiveau", c).is_some(), "{c}");
        }
        for c in ketenregie_privacy::convenant::Terugkoppelmoment::VARIANTS {
            assert!(waarde("terugkoppeling", "moment", c).is_some(), "{c}");
        }
        for c in ketenregie_common::Doel::VARIANTS {
            assert_ne!(doel(c), zin(c), "{c}");
        }
        for c in ketenregie_case::gezinnen::Relatie::VARIANTS {
            assert!(waarde("gezin", "relatie", c).is_some(), "{c}");
        }
    }

    #[test]
    fn onbekend_als_zin() {
        assert_eq!(zin("politieReferentie"), "Politie referentie");
        assert_eq!(zin("onttrekking-gezag"), "Onttrekking gezag");
    }
}

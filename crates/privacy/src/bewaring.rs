//! Retention (DOMAIN.md §4 "Retention"): rules as data per organisation and kind of
//! record, with the defaults below (all marked [check] in DOMAIN.md, so all overridable
//! per organisation in the `bewaartermijnen` table). `ketenregie retention run` and a
//! daily in-process job remove what has expired; every removal of a domain record is
//! written to the processing log, which outlives it by its own rule.
//!
//! Each crate that stores records contributes a `Bewaarbron`; this module holds the
//! processing log's own source.

use crate::context::Context;
use crate::logboek;
use crate::pseudoniem::Pseudonimiseerder;
use crate::versleuteling::Versleuteling;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use ketenregie_common::{Actor, Fout, Rol, ids};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{bewaartermijnen, verwerkingslog};
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;
use uuid::Uuid;

/// A default retention term, by kind of record.
#[derive(Debug, Clone, Copy)]
pub struct Standaardtermijn {
    pub soort: &'static str,
    pub dagen: i64,
    pub toelichting: &'static str,
}

const JAAR: i64 = 365;

/// The defaults of DOMAIN.md §4. Terms that count from an event other than creation
/// (care ended, the child's 18th birthday) are applied by the source that knows the event.
pub const STANDAARDTERMIJNEN: &[Standaardtermijn] = &[
    Standaardtermijn {
        soort: "vt-dossier",
        dagen: 20 * JAAR,
        toelichting: "Veilig Thuis-dossier: 20 jaar (langer zolang nodig voor een kinderbeschermingsmaatregel)",
    },
    Standaardtermijn {
        soort: "jeugdhulp-dossier",
        dagen: 20 * JAAR,
        toelichting: "jeugdhulpdossier: 20 jaar na het einde van de hulp",
    },
    Standaardtermijn {
        soort: "gi-dossier",
        dagen: 30 * JAAR,
        toelichting: "GI-dossier (OTS, voogdij): tot 30 jaar nadat het kind 18 werd",
    },
    Standaardtermijn {
        soort: "politiegegevens",
        dagen: 10 * JAAR,
        toelichting: "politiegegevens (Wpg art. 8): na 5 jaar uit de dagelijkse omgang, na 10 jaar vernietigd",
    },
    Standaardtermijn {
        soort: "coordinatiesignaal",
        dagen: 2 * JAAR,
        toelichting: "coördinatiesignaal (Verwijsindex): uiterlijk 2 jaar, de 23e verjaardag of overlijden",
    },
    Standaardtermijn {
        soort: "verwerkingslog",
        dagen: 5 * JAAR,
        toelichting: "verwerkingslog: 5 jaar (zorg); een convenant kan anders bepalen",
    },
];

/// The term for `soort` at `organisatie`: its own override, else the default.
pub fn termijn(
    conn: &mut DbConnection,
    organisatie: &str,
    soort: &str,
) -> QueryResult<Option<i64>> {
    let eigen: Option<i64> = bewaartermijnen::table
        .filter(bewaartermijnen::organisatie.eq(organisatie))
        .filter(bewaartermijnen::soort.eq(soort))
        .select(bewaartermijnen::termijn_dagen)
        .first(conn)
        .optional()?;
    Ok(eigen.or_else(|| {
        STANDAARDTERMIJNEN
            .iter()
            .find(|t| t.soort == soort)
            .map(|t| t.dagen)
    }))
}

/// An organisation's effective rule for one kind of record.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bewaarregel {
    pub soort: String,
    pub termijn_dagen: i64,
    pub toelichting: String,
    /// True when the organisation set its own term.
    pub eigen: bool,
}

/// Every kind of record with the term in force for `organisatie`.
pub fn regels(conn: &mut DbConnection, organisatie: &str) -> QueryResult<Vec<Bewaarregel>> {
    let eigen: Vec<(String, i64, String)> = bewaartermijnen::table
        .filter(bewaartermijnen::organisatie.eq(organisatie))
        .select((
            bewaartermijnen::soort,
            bewaartermijnen::termijn_dagen,
            bewaartermijnen::toelichting,
        ))
        .load(conn)?;
    Ok(STANDAARDTERMIJNEN
        .iter()
        .map(
            |s| match eigen.iter().find(|(soort, _, _)| soort == s.soort) {
                Some((soort, d, t)) => Bewaarregel {
                    soort: soort.clone(),
                    termijn_dagen: *d,
                    toelichting: t.clone(),
                    eigen: true,
                },
                None => Bewaarregel {
                    soort: s.soort.into(),
                    termijn_dagen: s.dagen,
                    toelichting: s.toelichting.into(),
                    eigen: false,
                },
            },
        )
        .collect())
}

/// Set an organisation's own term for one kind of record.
pub fn zet_termijn(
    conn: &mut DbConnection,
    organisatie: &str,
    soort: &str,
    dagen: i64,
    toelichting: &str,
) -> QueryResult<()> {
    diesel::delete(
        bewaartermijnen::table
            .filter(bewaartermijnen::organisatie.eq(organisatie))
            .filter(bewaartermijnen::soort.eq(soort)),
    )
    .execute(conn)?;
    diesel::insert_into(bewaartermijnen::table)
        .values((
            bewaartermijnen::id.eq(ids::new_id().to_string()),
            bewaartermijnen::organisatie.eq(Some(organisatie)),
            bewaartermijnen::soort.eq(soort),
            bewaartermijnen::termijn_dagen.eq(dagen),
            bewaartermijnen::toelichting.eq(toelichting),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A record removed (or, in a dry run, to be removed).
#[derive(Debug, Clone)]
pub struct Verwijderd {
    pub organisatie: String,
    pub object_type: &'static str,
    pub object_id: String,
    /// The data subjects whose data went with it (for the processing log).
    pub betrokkenen: Vec<Uuid>,
}

/// A kind of record under retention, contributed by the crate that stores it.
pub trait Bewaarbron: Send + Sync {
    fn soort(&self) -> &'static str;
    /// Remove (or with `proef`, only list) the records whose term has passed at `nu`.
    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>>;
}

/// Counts per kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opruimrapport {
    pub per_soort: Vec<(&'static str, usize)>,
}

/// Run every source in one transaction per source; log each removal of a domain record
/// in the processing log of the owning organisation.
pub fn voer_uit(
    conn: &mut DbConnection,
    bronnen: &[Arc<dyn Bewaarbron>],
    pseudoniemen: Arc<Pseudonimiseerder>,
    versleuteling: Arc<Versleuteling>,
    nu: DateTime<Utc>,
    proef: bool,
) -> QueryResult<Opruimrapport> {
    let mut rapport = Opruimrapport::default();
    for bron in bronnen {
        let weg = conn.transaction(|c| {
            let weg = bron.ruim_op(c, nu, proef)?;
            if !proef {
                for w in weg.iter().filter(|w| !w.organisatie.is_empty()) {
                    let ctx = Context {
                        actor: Actor {
                            gebruiker: "systeem".into(),
                            weergavenaam: "bewaartermijnbewaking".into(),
                            organisatie: w.organisatie.clone(),
                            rollen: vec![],
                            applicatie: "ketenregie-bewaring".into(),
                        },
                        trace_id: hex::encode(rand::random::<[u8; 16]>()),
                        span_id: hex::encode(rand::random::<[u8; 8]>()),
                        parent_span_id: None,
                        toelichting: None,
                        doorbraak: false,
                        nu,
                        pseudoniemen: pseudoniemen.clone(),
                        versleuteling: versleuteling.clone(),
                    };
                    logboek::verwerking(
                        c,
                        &ctx,
                        "vernietiging",
                        &format!(
                            "bewaartermijn {} verstreken ({} {})",
                            bron.soort(),
                            w.object_type,
                            w.object_id
                        ),
                        None,
                        false,
                        &w.betrokkenen,
                        "geslaagd",
                    )?;
                }
            }
            Ok::<_, diesel::result::Error>(weg)
        })?;
        rapport.per_soort.push((bron.soort(), weg.len()));
    }
    Ok(rapport)
}

/// The processing log's own retention: rows that ended longer ago than the organisation's
/// term go, per chain and as a prefix of it (`logboek::bewaar_keten`), and each trimmed
/// chain gets a retention checkpoint row saying where it now continues, so `audit verify`
/// can tell retention from deletion. The append-only trigger lets only those rows go (a
/// permit in `logbewaring_vergunningen`, inside the same transaction). Removals of log
/// rows are not themselves logged per row (that would never end): the checkpoint row is
/// the record.
pub struct Verwerkingslogbron;

impl Bewaarbron for Verwerkingslogbron {
    fn soort(&self) -> &'static str {
        "verwerkingslog"
    }

    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>> {
        let ketens: Vec<(String, String)> = verwerkingslog::table
            .select((verwerkingslog::organisatie, verwerkingslog::keten))
            .filter(verwerkingslog::activiteit.ne(logboek::BEWARING_IJKPUNT))
            .distinct()
            .load(conn)?;
        let mut totaal = 0usize;
        for (org, keten) in ketens {
            let dagen = termijn(conn, &org, "verwerkingslog")?.unwrap_or(5 * JAAR);
            let grens = nu - Duration::days(dagen);
            totaal += logboek::bewaar_keten(conn, &keten, &org, grens, nu, proef)?;
        }
        // Log rows carry no domain record: report the count without per-row entries.
        Ok(std::iter::repeat_with(|| Verwijderd {
            organisatie: String::new(),
            object_type: "verwerkingslog",
            object_id: String::new(),
            betrokkenen: vec![],
        })
        .take(totaal)
        .collect())
    }
}

/// Only the functional admin sets the organisation's own retention terms.
pub const FUNCTIONEEL_BEHEERDER_BEWAART: &str = "FUNCTIONEEL_BEHEERDER_BEWAART";

/// The default term of kind `soort`; `NietGevonden` naming the known kinds otherwise.
pub fn standaard(soort: &str) -> Result<&'static Standaardtermijn, Fout> {
    STANDAARDTERMIJNEN
        .iter()
        .find(|t| t.soort == soort)
        .ok_or_else(|| {
            Fout::NietGevonden(format!(
                "Onbekende soort `{soort}`; bekend: {}",
                STANDAARDTERMIJNEN
                    .iter()
                    .map(|t| t.soort)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

/// `GET /bewaartermijnen`: the rules in force for the caller's organisation.
pub fn geldend(conn: &mut DbConnection, ctx: &Context) -> Result<Vec<Bewaarregel>, Fout> {
    Ok(regels(conn, &ctx.actor.organisatie)?)
}

/// `PUT /bewaartermijnen/{soort}`: the functional admin (`FUNCTIONEEL_BEHEERDER_BEWAART`)
/// sets the organisation's own term of `dagen` days for `std`'s kind, with the reason
/// `toelichting`; recorded in the organisation's audit trail with the old term. Returns
/// the rules now in force.
pub fn zet(
    conn: &mut DbConnection,
    ctx: &Context,
    std: &Standaardtermijn,
    dagen: i64,
    toelichting: &str,
) -> Result<Vec<Bewaarregel>, Fout> {
    if !ctx.actor.heeft_rol(Rol::FunctioneelBeheerder) {
        return Err(Fout::geen_toegang(
            FUNCTIONEEL_BEHEERDER_BEWAART,
            "Alleen de functioneel beheerder zet bewaartermijnen",
        ));
    }
    let (org, soort) = (&ctx.actor.organisatie, std.soort);
    let oud = termijn(conn, org, soort)?;
    zet_termijn(conn, org, soort, dagen, toelichting)?;
    logboek::audit(
        conn,
        ctx,
        &logboek::AuditRegel {
            actie: "wijzigen".into(),
            object: logboek::Object {
                soort: "bewaartermijnen",
                id: soort.to_string(),
                eigenaar: org.clone(),
            },
            resultaat: 200,
            doorbraak: false,
            grondslag: None,
            oud: oud.map(|d| serde_json::json!({"termijnDagen": d})),
            nieuw: Some(serde_json::json!({"termijnDagen": dagen, "toelichting": toelichting})),
        },
    )?;
    Ok(regels(conn, org)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_domain_md() {
        for soort in [
            "vt-dossier",
            "jeugdhulp-dossier",
            "gi-dossier",
            "politiegegevens",
            "coordinatiesignaal",
            "verwerkingslog",
        ] {
            assert!(
                STANDAARDTERMIJNEN.iter().any(|t| t.soort == soort),
                "{soort}"
            );
        }
    }
}

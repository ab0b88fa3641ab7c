//! The one domain error of ketenregie (ARCHITECTURE.md "Errors"). Every domain crate's use
//! cases return `Result<T, Fout>`; `api` maps each kind once to an HTTP status and an
//! `application/problem+json` body (RFC 9457), and tests pin that mapping kind by kind.
//!
//! The kinds follow what a caller can do about the failure, not where it happened:
//!
//! | kind | HTTP | the caller should |
//! | --- | --- | --- |
//! | `Ongeldig` | 400 when a problem breaks the published schema, else 422 (`validatie::SCHEMAREGELS`) | fix every named field |
//! | `NietGevonden` | 404 | check the id |
//! | `Verborgen` | 404 (same body as `NietGevonden`) | nothing: the record is outside its organisation's view |
//! | `Geweigerd` | 403 | ask for an agreement, a role, or send the stated reason |
//! | `GeweigerdBij` | 403 (same body as `Geweigerd`) | as `Geweigerd`; the refusal is in the record owner's audit trail |
//! | `GeenToegang` | 403 (`invalidParams` naming `velden`, if any) | ask someone with the role the rule names |
//! | `Conflict` | 409 | re-read the resource; the current and allowed states are named |
//! | `VoorwaardeMislukt` | 412 | re-read and retry with the current `ETag` (RFC 9110 §13.1.1) |
//! | `NietBeschikbaar` | 503 with `Retry-After` | retry later |
//! | `Intern` | 500 | quote the trace id |
//!
//! The cause of `NietBeschikbaar` and `Intern` is kept as the error's `source()` for the
//! log line, and never sent to the caller (DESIGN.md §6: nothing internal leaves).

use crate::validatie::InvalidParam;

/// A failure of a domain operation. See the module documentation for the kinds.
#[derive(Debug, thiserror::Error)]
pub enum Fout {
    /// Input that breaks a rule; every problem named (JSON pointer or query key, the rule
    /// broken, a Dutch reason).
    #[error("ongeldige invoer: {} veld(en)", .0.len())]
    Ongeldig(Vec<InvalidParam>),
    /// No such record. `detail` says what was looked for, never personal data.
    #[error("niet gevonden: {0}")]
    NietGevonden(String),
    /// The record exists, but the caller's organisation has no relation to it at all
    /// (`EEN_ORGANISATIE_ZICHT`): answered exactly as `NietGevonden` with `detail`, so the
    /// answer is no existence oracle, and recorded as a refusal in `eigenaar`'s audit trail.
    #[error("niet gevonden: {detail}")]
    Verborgen {
        detail: String,
        /// The organisation that owns the record (whose audit trail gets the refusal).
        eigenaar: String,
        /// Why it is hidden, for the audit trail only.
        reden: String,
    },
    /// Refused by a rule: the policy decision, a missing role, a lifecycle rule about who
    /// may act. `regel` is the rule's name as in the code and DOMAIN.md (e.g.
    /// `CONVENANT_VEREIST`); `toelichting_vereist` is set when only a stated reason
    /// (`X-Audit-Toelichting`) was missing (`REDEN_VERPLICHT`).
    #[error("geweigerd ({regel}): {reden}")]
    Geweigerd {
        regel: &'static str,
        reden: String,
        toelichting_vereist: bool,
    },
    /// `Geweigerd` on a loaded record of another organisation, `eigenaar`: answered the
    /// same (403), but the refusal goes into the owner's audit trail, where its privacy
    /// officer sees who tried (README "the privacy officer's views"), not only into the
    /// caller's. Made by [`Fout::bij_eigenaar`].
    #[error("geweigerd ({regel}) bij {eigenaar}: {reden}")]
    GeweigerdBij {
        eigenaar: String,
        regel: &'static str,
        reden: String,
        toelichting_vereist: bool,
    },
    /// Refused for lack of a role or a relation the rule `regel` names, outside the policy
    /// decision (e.g. `ORGANISATIE_GEREGISTREERD`: only the platform admin registers an
    /// organisation). `velden` names the fields the caller may not change, if that is the
    /// refusal; empty otherwise. Answered as the API's "Geen toegang" (403).
    #[error("geen toegang ({regel}): {reden}")]
    GeenToegang {
        regel: &'static str,
        reden: String,
        velden: Vec<InvalidParam>,
    },
    /// The request does not fit the resource's current state: an illegal lifecycle
    /// transition (`huidig` and `toegestaan` name the states), a duplicate (`locatie` is
    /// the existing resource's path), a unique key taken.
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        huidig: Option<String>,
        toegestaan: Vec<String>,
        locatie: Option<String>,
    },
    /// An `If-Match` precondition failed (RFC 9110 §13.1.1).
    #[error("voorwaarde mislukt: {0}")]
    VoorwaardeMislukt(String),
    /// The database (or another dependency) is temporarily unavailable or busy: a
    /// serialization failure, a locked SQLite file, a lost connection. Retry after
    /// `retry_after` seconds.
    #[error("niet beschikbaar: {detail}")]
    NietBeschikbaar {
        detail: String,
        retry_after: u64,
        #[source]
        bron: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A fault of the service itself; the cause is logged with the trace id.
    #[error("interne fout")]
    Intern(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Seconds a client should wait before retrying a busy or unavailable database.
pub const RETRY_AFTER_DB_SECONDEN: u64 = 1;

impl Fout {
    /// One invalid field.
    pub fn veld(name: &str, code: &str, reason: impl Into<String>) -> Self {
        Fout::Ongeldig(vec![InvalidParam {
            name: name.into(),
            code: code.into(),
            reason: reason.into(),
        }])
    }

    /// A refusal by the named rule.
    pub fn geweigerd(regel: &'static str, reden: impl Into<String>) -> Self {
        Fout::Geweigerd {
            regel,
            reden: reden.into(),
            toelichting_vereist: false,
        }
    }

    /// A `Geweigerd` about a record of `eigenaar` becomes `GeweigerdBij` (its audit row in
    /// the owner's trail); every other error stays as it is. Why the owner's trail: the
    /// owner's privacy officer does the access reviews of its data (DOMAIN.md §2, "privacy
    /// officer (FG)": agreements, access reviews, audit), and a refused attempt on that data
    /// is a processing attempt the owner must be able to account for (§4 "Logging": every
    /// processing logged, with its result); in the caller's trail no reviewer of that data
    /// would see it.
    pub fn bij_eigenaar(self, eigenaar: &str) -> Self {
        match self {
            Fout::Geweigerd {
                regel,
                reden,
                toelichting_vereist,
            } => Fout::GeweigerdBij {
                eigenaar: eigenaar.to_string(),
                regel,
                reden,
                toelichting_vereist,
            },
            f => f,
        }
    }

    /// As [`Fout::bij_eigenaar`] for a request on the data of `eigenaren` by organisation
    /// `eigen` (the caller's): the refusal goes into the trail of the first owner that is
    /// not the caller's organisation; a refusal on the caller's own data stays as it is.
    /// Used by the policy decision (`besluit::toegang`), whose request names the owners.
    pub fn bij_eigenaren(self, eigenaren: &[String], eigen: &str) -> Self {
        match eigenaren.iter().find(|e| e.as_str() != eigen) {
            Some(e) => self.bij_eigenaar(e),
            None => self,
        }
    }

    /// Is this a refusal by a rule (`Geweigerd`, in whichever trail it is recorded)?
    pub fn is_weigering(&self) -> bool {
        matches!(self, Fout::Geweigerd { .. } | Fout::GeweigerdBij { .. })
    }

    /// A refusal for lack of a role, by the named rule (`GeenToegang` without fields).
    pub fn geen_toegang(regel: &'static str, reden: impl Into<String>) -> Self {
        Fout::GeenToegang {
            regel,
            reden: reden.into(),
            velden: Vec::new(),
        }
    }

    /// A conflict with the current state, naming it and the states that would be allowed.
    pub fn toestand(
        detail: impl Into<String>,
        huidig: impl Into<String>,
        toegestaan: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Fout::Conflict {
            detail: detail.into(),
            huidig: Some(huidig.into()),
            toegestaan: toegestaan.into_iter().map(Into::into).collect(),
            locatie: None,
        }
    }

    /// A conflict without states (a duplicate, a key taken).
    pub fn conflict(detail: impl Into<String>) -> Self {
        Fout::Conflict {
            detail: detail.into(),
            huidig: None,
            toegestaan: Vec::new(),
            locatie: None,
        }
    }

    /// An internal fault with its cause.
    pub fn intern(oorzaak: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Fout::Intern(oorzaak.into())
    }
}

/// The database's errors by what the caller can do (crates.io maps `NotFound` to 404 and a
/// read-only database to 503 the same way):
/// - no row: `NietGevonden`;
/// - a unique key taken: `Conflict` (a concurrent insert won; never a 500);
/// - a serialization failure (PostgreSQL `40001`), a closed or broken connection, a busy
///   or locked SQLite file: `NietBeschikbaar` with `Retry-After`;
/// - everything else: `Intern`, with the driver's message kept as the source only.
impl From<diesel::result::Error> for Fout {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match e {
            E::NotFound => Fout::NietGevonden("Het object bestaat niet".into()),
            // The driver's message can quote a key value (personal data in a unique
            // index): it is dropped, not kept as the source.
            E::DatabaseError(K::UniqueViolation, _) => Fout::conflict(
                "Dit bestaat al: een gelijktijdig verzoek was eerder; haal het object opnieuw op",
            ),
            E::DatabaseError(K::SerializationFailure | K::ClosedConnection, info) => {
                Fout::NietBeschikbaar {
                    detail: "De database is even bezet of niet bereikbaar; probeer het zo opnieuw"
                        .into(),
                    retry_after: RETRY_AFTER_DB_SECONDEN,
                    bron: Some(info.message().to_string().into()),
                }
            }
            E::DatabaseError(_, ref info) if is_bezet(info.message()) => Fout::NietBeschikbaar {
                detail: "De database is even bezet; probeer het zo opnieuw".into(),
                retry_after: RETRY_AFTER_DB_SECONDEN,
                bron: Some(info.message().to_string().into()),
            },
            E::BrokenTransactionManager => Fout::NietBeschikbaar {
                detail: "De verbinding met de database is verbroken; probeer het zo opnieuw".into(),
                retry_after: RETRY_AFTER_DB_SECONDEN,
                bron: Some("broken transaction manager".into()),
            },
            other => Fout::Intern(Box::new(other)),
        }
    }
}

/// SQLite's busy and locked conditions, and PostgreSQL's messages for a connection that
/// went away, which diesel reports as `DatabaseErrorKind::Unknown`.
fn is_bezet(bericht: &str) -> bool {
    let b = bericht.to_ascii_lowercase();
    b.contains("database is locked")
        || b.contains("database is busy")
        || b.contains("database table is locked")
        || b.contains("no connection to the server")
        || b.contains("server closed the connection")
        || b.contains("terminating connection")
        || b.contains("connection reset")
        || b.contains("the database system is shutting down")
        || b.contains("the database system is starting up")
        || b.contains("could not serialize access")
        || b.contains("deadlock detected")
        || b.contains("canceling statement due to lock timeout")
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind as K, Error as E};

    struct Info(&'static str);
    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn db(kind: K, msg: &'static str) -> E {
        E::DatabaseError(kind, Box::new(Info(msg)))
    }

    #[test]
    fn database_errors_by_what_the_caller_can_do() {
        assert!(matches!(Fout::from(E::NotFound), Fout::NietGevonden(_)));
        assert!(matches!(
            Fout::from(db(
                K::UniqueViolation,
                "duplicate key value violates unique constraint \"x\""
            )),
            Fout::Conflict { .. }
        ));
        for (kind, msg) in [
            (K::SerializationFailure, "could not serialize access"),
            (K::ClosedConnection, "closed"),
            (K::Unknown, "database is locked"),
            (K::Unknown, "no connection to the server\n"),
            (
                K::Unknown,
                "terminating connection due to administrator command",
            ),
        ] {
            match Fout::from(db(kind, msg)) {
                Fout::NietBeschikbaar {
                    retry_after,
                    detail,
                    ..
                } => {
                    assert_eq!(retry_after, RETRY_AFTER_DB_SECONDEN);
                    assert!(!detail.contains(msg.trim()), "no driver text in {detail}");
                }
                other => panic!("{msg}: {other:?}"),
            }
        }
        assert!(matches!(
            Fout::from(db(K::CheckViolation, "new row violates check constraint")),
            Fout::Intern(_)
        ));
    }

    #[test]
    fn the_cause_is_kept_as_source_not_in_the_message() {
        let f = Fout::from(db(K::Unknown, "database is locked"));
        assert!(!f.to_string().contains("locked"));
        let bron = std::error::Error::source(&f).expect("source kept");
        assert!(bron.to_string().contains("locked"));
    }
}

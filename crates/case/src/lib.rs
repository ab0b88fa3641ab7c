//! The case registry (DOMAIN.md §1 points 2 to 4, §3 flows 5 and 6, §4 "Family-law
//! facts"): persons, families, gezag, regelingen, beschikkingen, police incidents with
//! statements from each side, involvement signals with their coordination matches, and the
//! briefing that returns all of it to an officer in one call.
//!
//! Every record has an owner (the organisation that recorded it); writes go to one's own
//! records only, and every read passes the privacy decision per owner (`toegang`).
//! Identifiers and free texts are encrypted at rest; look-up uses keyed hashes
//! (`identiteit`).
//!
//! Each operation of the API is one use case here (ARCHITECTURE.md "Use cases"):
//! `fn werkwoord(conn, ctx, invoer) -> Result<Uitvoer, Fout>`, run inside the caller's
//! transaction, owning the policy decision, the writes, the audit and processing-log rows
//! (one per data subject) and the outbox events. The API only parses, calls and answers:
//!
//! | operation | use case |
//! | --- | --- |
//! | `POST /personen`, `GET /personen/{id}` | `personen::registreer`, `personen::lees` |
//! | `POST`/`GET /personen/{id}/gezag` | `gezag::vastleggen`, `gezag::van_kind` |
//! | `POST /gezinnen`, `GET /gezinnen/{id}` | `gezinnen::maak`, `gezinnen::lees` |
//! | `POST /gezinnen/{id}/beschikkingen` | `beschikkingen::vastleggen` |
//! | `POST /gezinnen/{id}/regelingen` | `regelingen::vastleggen` |
//! | `POST /incidenten`, `GET /incidenten/{id}` | `incidenten::maak`, `incidenten::lees` |
//! | `POST /incidenten/{id}/verklaringen` | `incidenten::verklaring_toevoegen` |
//! | `PUT /incidenten/{id}/wederhoor` | `incidenten::wederhoor_vastleggen` |
//! | `POST /betrokkenheden`, `DELETE /betrokkenheden/{id}` | `betrokkenheid::registreer`, `betrokkenheid::beeindig` |
//! | `GET /matches`, `GET /matches/{id}` | `betrokkenheid::matches`, `betrokkenheid::een_match` |
//! | `POST /briefings/_zoek` | `briefing::stel_op` |
//! | `POST`/`GET /incidenten/{id}/eigen-verklaringen` | `eigen_verklaringen::incident_voeg_toe`, `eigen_verklaringen::incident_lijst` |
//! | `POST`/`GET /beschikkingen/{id}/eigen-verklaringen` | `eigen_verklaringen::beschikking_voeg_toe`, `eigen_verklaringen::beschikking_lijst` |
//!
//! Failures are `ketenregie_common::Fout`.

pub mod beschikkingen;
pub mod betrokkenheid;
pub mod bewaring;
pub mod briefing;
pub mod eigen_verklaringen;
pub mod gezag;
pub mod gezinnen;
pub mod identiteit;
pub mod incidenten;
pub mod invoer;
pub mod inzage;
pub mod personen;
pub mod regelingen;
pub mod toegang;
pub mod weergave;

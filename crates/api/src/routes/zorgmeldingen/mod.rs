//! `/api/v1/zorgmeldingen`: police file a structured care report; it is routed to the
//! Veilig Thuis serving each child's municipality; the receiver's handling follows the
//! published FHIR Task transition table. The rules live in `ketenregie_referral`: each
//! handler here parses the request into its typed input, calls one use case inside
//! `verwerking::tx` (which records a refusal in the audit trail) and answers.
//!
//! - `dto`: the shapes on the wire;
//! - `melding`: drafting, reading, changing, the history, inbox and outbox;
//! - `indiening`: submitting and the quality check;
//! - `overgang`: the handling steps and the hand-over;
//! - `instelling`: the quality-check setting and the open feedback duties.

pub mod dto;
pub mod indiening;
pub mod instelling;
pub mod melding;
pub mod overgang;

pub use dto::*;
pub use indiening::*;
pub use instelling::*;
pub use melding::*;
pub use overgang::*;

use crate::problem::AppError;
use crate::verwerking;
use ketenregie_common::Fout;
use ketenregie_privacy::Context;
use ketenregie_referral::partij;
use ketenregie_store::{DbConnection, DbPool};
use uuid::Uuid;

/// Run use case `f` for the melding `id` (`None`: a new one) in one transaction; a
/// refusal is recorded under `actie` in the audit trail.
pub(crate) async fn uitvoeren<T, F>(
    pool: &DbPool,
    ctx: &Context,
    actie: &'static str,
    id: Option<Uuid>,
    f: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &Context) -> Result<T, Fout> + Send + 'static,
{
    let c = ctx.clone();
    let object = partij::verzoekobject(id, &ctx.actor);
    verwerking::tx(pool, ctx, actie, object, move |conn| {
        f(conn, &c).map_err(AppError::from)
    })
    .await
}

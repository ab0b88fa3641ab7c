//! The id in a route's path, read strictly (rule `common::ids::UUID_CANONIEK`): actix's
//! `web::Path` of a `Uuid` reads with the `uuid` crate's parser, which also takes the forms
//! without hyphens, in braces and as a URN (`GET /personen/{...}` answered 200, the
//! outside tester of Dec 2026). Every route with an `{id}` takes a `PadId`; another form
//! is the 400 `format` naming the parameter (`app::extractie::path_fout`).

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use ketenregie_common::ids::StrikteUuid;
use std::future::{Ready, ready};
use uuid::Uuid;

/// The route's one path parameter as a UUID in its canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PadId(pub Uuid);

impl PadId {
    pub fn into_inner(self) -> Uuid {
        self.0
    }
}

impl std::ops::Deref for PadId {
    type Target = Uuid;
    fn deref(&self) -> &Uuid {
        &self.0
    }
}

impl FromRequest for PadId {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // `web::Path` so a refusal goes through the app's `PathConfig` (`path_fout`).
        let gelezen = web::Path::<StrikteUuid>::extract(req).into_inner();
        let _ = payload;
        ready(gelezen.map(|p| PadId(p.into_inner().0)))
    }
}

//! Paged lists: `{count, countIsExact, next, previous, results}` with `pageSize` (1 to 100,
//! default 20), as the API rules ask.
//!
//! Lists that grow with history page by **cursor** (keyset pagination,
//! `ketenregie_store::venster`, issue 17 point 5): `next` and `previous` carry an opaque
//! `cursor`, and a page costs the same however long the list is. `page` (from 1) still
//! works on them as a jump from the start (its cost grows with the page number, not with
//! the history; `page` and `cursor` together are a 422 naming `cursor`). Lists small by
//! nature (the partner register, agreements, closed days) page by `page` only.
//!
//! `count` is bounded on every list: exact up to 1,000 (`countIsExact` true); above that
//! `count` is 1,000 and `countIsExact` false (`venster::TELLING_MAX`).

use crate::problem::AppError;
use actix_web::HttpRequest;
use ketenregie_common::Validatie;
use ketenregie_store::venster::{self, Cursor, Pagina, Telling, Venster};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

pub const STANDAARD_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, Copy)]
pub struct Paginering {
    pub page: u32,
    pub page_size: u32,
    /// Whether `page` was sent (it excludes `cursor`).
    pub page_gegeven: bool,
}

impl Paginering {
    /// Check the query parameters `page` and `pageSize` as sent, recording problems in
    /// `v` under the parameter's own name with the broken rule as code: `type` (not a
    /// whole number), `minimum` (below 1), `maximum` (`page` above 2^31-1, the int32 the
    /// document declares; `pageSize` above 100).
    pub fn uit(v: &mut Validatie, page: Option<&str>, page_size: Option<&str>) -> Self {
        let getal = |v: &mut Validatie, naam: &str, s: Option<&str>| -> Option<u32> {
            let s = s?;
            match s.trim().parse::<i64>() {
                Ok(n) if n < 1 => {
                    v.fout(naam, "minimum", format!("`{naam}` is ten minste 1"));
                    None
                }
                Ok(n) if n > i64::from(i32::MAX) => {
                    v.fout(
                        naam,
                        "maximum",
                        format!("`{naam}` is ten hoogste {}", i32::MAX),
                    );
                    None
                }
                Ok(n) => u32::try_from(n).ok(),
                Err(_) => {
                    v.fout(naam, "type", format!("`{naam}` is een geheel getal"));
                    None
                }
            }
        };
        let page = getal(v, "page", page);
        let page_size = getal(v, "pageSize", page_size);
        Self::uit_getallen(v, page, page_size)
    }

    /// As `uit`, with the `cursor` parameter of a list paged by cursor. Sending both
    /// `page` and `cursor` records a problem at `cursor` (code `cursor`, a 422).
    pub fn met_cursor(
        v: &mut Validatie,
        page: Option<&str>,
        page_size: Option<&str>,
        cursor: Option<&str>,
    ) -> Self {
        let p = Self::uit(v, page, page_size);
        if cursor.is_some() && p.page_gegeven {
            v.fout(
                "cursor",
                venster::CURSOR_CODE,
                "`cursor` en `page` gaan niet samen: volg `next` en `previous`, of begin met `page`",
            );
        }
        p
    }

    /// The window to read on list `lijst`: from `cursor` (decoded into the list's key
    /// type `K`; a cursor not issued for this list is a 422 naming `cursor`, one breaking the
    /// documented pattern or length a 400), or from
    /// `page`.
    pub fn venster<K: Clone + Serialize + DeserializeOwned>(
        &self,
        lijst: &str,
        cursor: Option<&str>,
    ) -> Result<Venster<K>, AppError> {
        let cursor = match cursor {
            Some(t) => Some(Cursor::lees(lijst, t)?),
            None => None,
        };
        Ok(Venster {
            cursor,
            offset: self.offset(),
            limiet: self.limit(),
        })
    }

    /// Check `page` and `pageSize` given as numbers (a JSON body), as `uit`.
    pub fn uit_getallen(v: &mut Validatie, page: Option<u32>, page_size: Option<u32>) -> Self {
        let page_gegeven = page.is_some();
        let page = page.unwrap_or(1);
        let page_size = page_size.unwrap_or(STANDAARD_PAGE_SIZE);
        if page < 1 {
            v.fout("page", "minimum", "`page` is ten minste 1");
        } else if i64::from(page) > i64::from(i32::MAX) {
            v.fout(
                "page",
                "maximum",
                format!("`page` is ten hoogste {}", i32::MAX),
            );
        }
        if page_size < 1 {
            v.fout("pageSize", "minimum", "`pageSize` is ten minste 1");
        } else if page_size > MAX_PAGE_SIZE {
            v.fout(
                "pageSize",
                "maximum",
                format!("`pageSize` is ten hoogste {MAX_PAGE_SIZE}"),
            );
        }
        Self {
            page: page.clamp(1, i32::MAX as u32),
            page_size: page_size.clamp(1, MAX_PAGE_SIZE),
            page_gegeven,
        }
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.page_size)
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.page_size)
    }
}

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Lijst<T> {
    /// Number of results over all pages, counted up to 1,000: exact when `countIsExact`;
    /// otherwise there are more than `count` (1,000).
    pub count: i64,
    /// Whether `count` is the exact number of results (false: more than 1,000).
    pub count_is_exact: bool,
    /// The next page (a relative reference: path and query), or null on the last.
    #[schema(format = "uri-reference")]
    pub next: Option<String>,
    /// The previous page (a relative reference), or null on the first.
    #[schema(format = "uri-reference")]
    pub previous: Option<String>,
    pub results: Vec<T>,
}

/// The request's path and query with `page` and `cursor` replaced by `extra`.
fn link(req: &HttpRequest, extra: (&str, String)) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    pairs.retain(|(k, _)| k != "page" && k != "cursor");
    pairs.push((extra.0.into(), extra.1));
    format!(
        "{}?{}",
        req.path(),
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

impl<T> Lijst<T> {
    /// A page read by cursor (`venster::Pagina`) of list `lijst`: `next` and `previous`
    /// carry the neighbouring pages' cursors, the count its bound.
    pub fn pagina<K: Clone + Serialize + DeserializeOwned>(
        req: &HttpRequest,
        lijst: &str,
        p: Pagina<T, K>,
    ) -> Self {
        Self {
            count: p.telling.aantal,
            count_is_exact: p.telling.exact,
            next: p.volgende.map(|c| link(req, ("cursor", c.codeer(lijst)))),
            previous: p.vorige.map(|c| link(req, ("cursor", c.codeer(lijst)))),
            results: p.rijen,
        }
    }

    /// A page by `page` number over a list counted in full in memory or with a bounded
    /// count (`telling`).
    pub fn met_telling(
        req: &HttpRequest,
        p: &Paginering,
        telling: Telling,
        results: Vec<T>,
    ) -> Self {
        let shown = i64::from(p.page) * i64::from(p.page_size);
        Self {
            count: telling.aantal,
            count_is_exact: telling.exact,
            next: (shown < telling.aantal || !telling.exact)
                .then(|| link(req, ("page", (p.page + 1).to_string()))),
            previous: (p.page > 1).then(|| link(req, ("page", (p.page - 1).to_string()))),
            results,
        }
    }

    /// A page by `page` number over a list whose exact `count` is known (small by nature);
    /// the count is bounded like every list's (`Telling::begrens`).
    pub fn new(req: &HttpRequest, p: Paginering, count: i64, results: Vec<T>) -> Self {
        Self::met_telling(req, &p, Telling::begrens(count), results)
    }
}

/// Turn recorded validation problems into a 400.
pub fn check(v: Validatie) -> Result<(), AppError> {
    v.afronden(|| ()).map_err(AppError::validatie)
}

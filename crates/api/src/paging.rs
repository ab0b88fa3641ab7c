//! Paged lists: `{count, next, previous, results}` with `page` (from 1) and `pageSize`
//! (1 to 100, default 20), as the API rules ask.

use crate::problem::AppError;
use actix_web::HttpRequest;
use ketenregie_common::Validatie;
use serde::Serialize;
use utoipa::ToSchema;

pub const STANDAARD_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, Copy)]
pub struct Paginering {
    pub page: u32,
    pub page_size: u32,
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

    /// Check `page` and `pageSize` given as numbers (a JSON body), as `uit`.
    pub fn uit_getallen(v: &mut Validatie, page: Option<u32>, page_size: Option<u32>) -> Self {
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
    /// Total number of results over all pages.
    pub count: i64,
    /// The next page (a relative reference: path and query), or null on the last.
    #[schema(format = "uri-reference")]
    pub next: Option<String>,
    /// The previous page (a relative reference), or null on the first.
    #[schema(format = "uri-reference")]
    pub previous: Option<String>,
    pub results: Vec<T>,
}

impl<T> Lijst<T> {
    pub fn new(req: &HttpRequest, p: Paginering, count: i64, results: Vec<T>) -> Self {
        let link = |page: u32| -> String {
            let mut pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
            pairs.retain(|(k, _)| k != "page");
            pairs.push(("page".into(), page.to_string()));
            format!(
                "{}?{}",
                req.path(),
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )
        };
        let shown = i64::from(p.page) * i64::from(p.page_size);
        Self {
            count,
            next: (shown < count).then(|| link(p.page + 1)),
            previous: (p.page > 1).then(|| link(p.page - 1)),
            results,
        }
    }
}

/// Turn recorded validation problems into a 400.
pub fn check(v: Validatie) -> Result<(), AppError> {
    v.afronden(|| ()).map_err(AppError::validatie)
}

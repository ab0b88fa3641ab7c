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
    /// Check `page` and `pageSize`, recording problems in `v`.
    pub fn uit(v: &mut Validatie, page: Option<u32>, page_size: Option<u32>) -> Self {
        let page = page.unwrap_or(1);
        let page_size = page_size.unwrap_or(STANDAARD_PAGE_SIZE);
        if page < 1 {
            v.fout("page", "minimum", "`page` begint bij 1");
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            v.fout(
                "pageSize",
                "maximum",
                format!("`pageSize` ligt tussen 1 en {MAX_PAGE_SIZE}"),
            );
        }
        Self {
            page: page.max(1),
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
    /// The next page, or null on the last.
    #[schema(format = "uri")]
    pub next: Option<String>,
    /// The previous page, or null on the first.
    #[schema(format = "uri")]
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

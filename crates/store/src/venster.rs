//! Keyset pagination ("venster": a window on a sorted list) and bounded counts, so that a
//! list page costs the same at 1,000 rows as at 200,000 (issue 17 point 5).
//!
//! A list is sorted on a unique key (its sort columns with the id last, each served by an
//! index). A page is the next `limiet` rows after (or before) a key, read with
//! `WHERE key < :k ORDER BY key LIMIT limiet + 1` on that index: the database reads
//! `limiet + 1` index entries whatever the history holds, where `OFFSET` reads and skips
//! every earlier row. The extra row says whether there is more.
//!
//! The position travels as an opaque **cursor** ([`Cursor`]): base64url (RFC 4648 §5,
//! no padding) of a small JSON object `{"l": list, "a": backward, "k": key}`. The list name
//! binds a cursor to the list that issued it; the key is decoded into the list's own key
//! type, so a forged, truncated or foreign cursor is refused whole (`Fout::Ongeldig` naming
//! the parameter `cursor`, code [`CURSOR_CODE`], answered 422; one breaking the documented pattern or length 400) and never reaches SQL.
//! The Dutch API Design Rules (API-42, "cursor-based pagination") allow this form.
//!
//! Counting: an exact `count(*)` over a receiver's whole history costs as much as the
//! history. [`Telling`] counts at most [`TELLING_MAX`] rows: `aantal` is exact up to that
//! cap; above it `aantal` is the cap and `exact` false ("more than 1,000").

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::QueryResult;
use ketenregie_common::Fout;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The cap of a bounded count: lists count at most this many rows.
pub const TELLING_MAX: i64 = 1000;

/// The `invalidParams[].code` of a cursor the server did not issue for this list (a 400).
pub const CURSOR_CODE: &str = "cursor";

/// The longest cursor accepted (characters); every cursor the server issues is far shorter.
pub const CURSOR_MAX_LENGTE: usize = 512;

/// A position in a sorted list: after `sleutel` (forward), or before it (`achteruit`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor<K> {
    pub sleutel: K,
    pub achteruit: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Vorm<K> {
    l: String,
    a: bool,
    k: K,
}

impl<K: Serialize + DeserializeOwned> Cursor<K> {
    /// The opaque text of this position in list `lijst`.
    pub fn codeer(&self, lijst: &str) -> String
    where
        K: Clone,
    {
        let json = serde_json::to_vec(&Vorm {
            l: lijst.to_string(),
            a: self.achteruit,
            k: self.sleutel.clone(),
        })
        .expect("a cursor key serialises");
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Read a cursor issued for list `lijst`. Errors: `Fout::Ongeldig` naming `cursor`:
    /// with the schema's own rule (`maxLength`, `pattern`: the document states
    /// `^[A-Za-z0-9_-]+$`, at most [`CURSOR_MAX_LENGTE`]) when the text breaks it, so a 400;
    /// with code [`CURSOR_CODE`] when it has the documented shape but is not a cursor this
    /// list issued (not base64url, not the JSON shape, another list's, a key that does not
    /// fit the list's key type), a rule no schema can state of an opaque token, so a 422.
    pub fn lees(lijst: &str, tekst: &str) -> Result<Self, Fout> {
        let fout = || {
            Fout::veld(
                "cursor",
                CURSOR_CODE,
                "`cursor` is geen cursor die deze lijst heeft uitgegeven; volg de links `next` en `previous`",
            )
        };
        if tekst.len() > CURSOR_MAX_LENGTE {
            return Err(Fout::veld(
                "cursor",
                "maxLength",
                format!("`cursor` is ten hoogste {CURSOR_MAX_LENGTE} tekens"),
            ));
        }
        if tekst.is_empty()
            || !tekst
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(Fout::veld(
                "cursor",
                "pattern",
                "`cursor` bestaat uit letters, cijfers, `_` en `-` (^[A-Za-z0-9_-]+$)",
            ));
        }
        let bytes = URL_SAFE_NO_PAD.decode(tekst).map_err(|_| fout())?;
        let waarde: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| fout())?;
        if !kan_uitgegeven_zijn(&waarde) {
            return Err(fout());
        }
        let vorm: Vorm<K> = serde_json::from_value(waarde).map_err(|_| fout())?;
        if vorm.l != lijst {
            return Err(fout());
        }
        Ok(Cursor {
            sleutel: vorm.k,
            achteruit: vorm.a,
        })
    }
}

/// Whether every text in a cursor's JSON could be in a cursor a list issued (task
/// h17review: a forged key was a 500 on PostgreSQL instead of a 422): no NUL character
/// (PostgreSQL's `text` cannot hold one, so a bind with it fails the statement), and a
/// text that reads as a date or a date-time (chrono reads years from -262143 to 262143)
/// has a year from 1 to 9999 (PostgreSQL's `timestamp` starts at 4713 BC; the service's
/// own dates are from 1900, its times from now). Keys are built from stored rows, so a
/// cursor this refuses was never issued.
fn kan_uitgegeven_zijn(waarde: &serde_json::Value) -> bool {
    use chrono::Datelike;
    match waarde {
        serde_json::Value::String(s) => {
            let jaar = s
                .parse::<chrono::NaiveDateTime>()
                .map(|t| t.year())
                .or_else(|_| s.parse::<chrono::NaiveDate>().map(|d| d.year()))
                .ok();
            !s.contains('\0') && jaar.is_none_or(|j| (1..=9999).contains(&j))
        }
        serde_json::Value::Array(a) => a.iter().all(kan_uitgegeven_zijn),
        serde_json::Value::Object(o) => o.values().all(kan_uitgegeven_zijn),
        _ => true,
    }
}

/// Which rows a page asks for: from a cursor, or (without one) from the start skipping
/// `offset` rows (the `page` parameter: its cost grows with the page number, not with the
/// history), at most `limiet` rows.
#[derive(Debug, Clone)]
pub struct Venster<K> {
    pub cursor: Option<Cursor<K>>,
    pub offset: i64,
    pub limiet: i64,
}

impl<K: Clone> Venster<K> {
    /// The first `limiet` rows.
    pub fn eerste(limiet: i64) -> Self {
        Self {
            cursor: None,
            offset: 0,
            limiet,
        }
    }

    /// The key to read after (forward), if any.
    pub fn na(&self) -> Option<&K> {
        self.cursor
            .as_ref()
            .filter(|c| !c.achteruit)
            .map(|c| &c.sleutel)
    }

    /// The key to read before (backward: the query sorts the other way), if any.
    pub fn voor(&self) -> Option<&K> {
        self.cursor
            .as_ref()
            .filter(|c| c.achteruit)
            .map(|c| &c.sleutel)
    }

    /// Whether the query must read in the reverse of the list's order.
    pub fn achteruit(&self) -> bool {
        self.voor().is_some()
    }

    /// Rows the query reads: one more than the page, to learn whether there is more.
    pub fn op_te_halen(&self) -> i64 {
        self.limiet + 1
    }

    /// Rows to skip (only without a cursor).
    pub fn overslaan(&self) -> i64 {
        if self.cursor.is_some() {
            0
        } else {
            self.offset
        }
    }

    /// Whether this is the first page from the start (no cursor, no offset).
    pub fn is_begin(&self) -> bool {
        self.cursor.is_none() && self.offset == 0
    }

    /// Make the page from the rows the query read (`op_te_halen` of them at most, in the
    /// query's order): drop the extra row, put a backward read back in the list's order,
    /// and give the positions of the next and previous pages.
    pub fn pagina<T>(
        &self,
        mut rijen: Vec<T>,
        sleutel: impl Fn(&T) -> K,
        telling: Telling,
    ) -> Pagina<T, K> {
        let meer = rijen.len() as i64 > self.limiet;
        rijen.truncate(self.limiet.max(0) as usize);
        let achteruit = self.achteruit();
        if achteruit {
            rijen.reverse();
        }
        // Forward: a next page when the read found more; a previous one when this page did
        // not start at the beginning. Backward: the mirror image.
        let (volgende, vorige) = if achteruit {
            (true, meer)
        } else {
            (meer, !self.is_begin())
        };
        Pagina {
            volgende: rijen.last().filter(|_| volgende).map(|r| Cursor {
                sleutel: sleutel(r),
                achteruit: false,
            }),
            vorige: rijen.first().filter(|_| vorige).map(|r| Cursor {
                sleutel: sleutel(r),
                achteruit: true,
            }),
            rijen,
            telling,
        }
    }
}

/// One page of a list: its rows in the list's order, the positions of the neighbouring
/// pages, and the bounded count of the whole list under its filter.
#[derive(Debug, Clone)]
pub struct Pagina<T, K> {
    pub rijen: Vec<T>,
    pub volgende: Option<Cursor<K>>,
    pub vorige: Option<Cursor<K>>,
    pub telling: Telling,
}

impl<T, K> Pagina<T, K> {
    /// The same page with its rows turned into another type.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Pagina<U, K> {
        Pagina {
            rijen: self.rijen.into_iter().map(f).collect(),
            volgende: self.volgende,
            vorige: self.vorige,
            telling: self.telling,
        }
    }
}

/// A count bounded by [`TELLING_MAX`]: `aantal` rows, exactly when `exact`; otherwise
/// there are more than `aantal` (= the cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Telling {
    pub aantal: i64,
    pub exact: bool,
}

impl Telling {
    /// An exact count (a list that is small by nature, counted in memory).
    pub fn exact(aantal: i64) -> Self {
        Self {
            aantal,
            exact: true,
        }
    }

    /// Count a filtered list at bounded cost. `voorbij_grens` answers whether a row exists
    /// past the cap (`ORDER BY key OFFSET TELLING_MAX LIMIT 1` on the list's index: at most
    /// `TELLING_MAX + 1` index entries read); only when none does is `tel` (an exact
    /// `count(*)`, now over at most `TELLING_MAX` rows) run. On the first page, when the
    /// page itself holds every row (`eerste_pagina_volledig`), neither query runs.
    pub fn begrensd<C>(
        conn: &mut C,
        eerste_pagina_volledig: Option<usize>,
        voorbij_grens: impl FnOnce(&mut C) -> QueryResult<bool>,
        tel: impl FnOnce(&mut C) -> QueryResult<i64>,
    ) -> QueryResult<Self> {
        if let Some(n) = eerste_pagina_volledig {
            return Ok(Self::exact(n as i64));
        }
        if voorbij_grens(conn)? {
            return Ok(Self {
                aantal: TELLING_MAX,
                exact: false,
            });
        }
        Ok(Self::exact(tel(conn)?))
    }

    /// Bound an exact count known in memory by the same cap (for lists read whole).
    pub fn begrens(aantal: i64) -> Self {
        if aantal > TELLING_MAX {
            Self {
                aantal: TELLING_MAX,
                exact: false,
            }
        } else {
            Self::exact(aantal)
        }
    }
}

/// For a first page read without cursor or offset: `Some(n)` when it holds all `n` rows of
/// the list (fewer than the page size came back), so no count is needed.
pub fn volledig<K: Clone>(v: &Venster<K>, gelezen: usize) -> Option<usize> {
    (v.is_begin() && (gelezen as i64) <= v.limiet).then_some(gelezen)
}

/// Apply a window on a key `(tijd, id)` sorted newest first (`tijd` and `id` descending)
/// to a boxed diesel query, and order it: after the cursor's key `tijd <= t AND (tijd < t
/// OR id < i)`, before it the mirror image read in ascending order (`Venster::pagina`
/// turns it back). The redundant `tijd <= t` gives both databases an index bound on
/// `(.., tijd, id)`; the OR alone would be a filter over a scan from the newest row.
/// The key type is `(NaiveDateTime, impl Display)` (the id compared as its text).
#[macro_export]
macro_rules! venster_aflopend {
    ($q:expr, $venster:expr, $tijd:expr, $id:expr) => {{
        let mut q = $q;
        if let Some((t, i)) = $venster.na() {
            q = q
                .filter($tijd.le(*t))
                .filter($tijd.lt(*t).or($id.lt(i.to_string())));
        }
        if let Some((t, i)) = $venster.voor() {
            q = q
                .filter($tijd.ge(*t))
                .filter($tijd.gt(*t).or($id.gt(i.to_string())));
        }
        if $venster.achteruit() {
            q.order(($tijd.asc(), $id.asc()))
        } else {
            q.order(($tijd.desc(), $id.desc()))
        }
    }};
}

/// The bounded count of a filtered list ([`Telling::begrensd`]) read in the order `$orde`
/// (the list's index order, so the probe past the cap reads at most `TELLING_MAX + 1`
/// index entries): `$bouw` builds the filtered boxed query, `$gelezen` is the number of
/// rows the page query read, `$sleutel` a column of type `$type` to select in the probe.
#[macro_export]
macro_rules! telling {
    ($conn:expr, $venster:expr, $gelezen:expr, $bouw:expr, $orde:expr, $sleutel:expr, $type:ty) => {
        $crate::venster::Telling::begrensd(
            $conn,
            $crate::venster::volledig($venster, $gelezen),
            |c| {
                Ok(($bouw)()
                    .order($orde)
                    .offset($crate::venster::TELLING_MAX)
                    .limit(1)
                    .select($sleutel)
                    .first::<$type>(c)
                    .optional()?
                    .is_some())
            },
            |c| ($bouw)().count().get_result(c),
        )
    };
}

/// [`telling!`] of a list sorted newest first on `(tijd, id)`.
#[macro_export]
macro_rules! telling_aflopend {
    ($conn:expr, $venster:expr, $gelezen:expr, $bouw:expr, $tijd:expr, $id:expr) => {
        $crate::telling!(
            $conn,
            $venster,
            $gelezen,
            $bouw,
            ($tijd.desc(), $id.desc()),
            $id,
            String
        )
    };
}

/// As [`venster_aflopend!`] for a list sorted oldest (or smallest) first on `(a, id)`
/// (`a` and `id` ascending): after the cursor's key `a >= k AND (a > k OR id > i)`, before
/// it the mirror image read in descending order (`Venster::pagina` turns it back). The
/// redundant `a >= k` gives both databases an index bound on `(.., a, id)`. The key type
/// is `(A, impl Display)` with `A: Clone` (a time, a name, a date), the id compared as its
/// text.
#[macro_export]
macro_rules! venster_oplopend {
    ($q:expr, $venster:expr, $a:expr, $id:expr) => {{
        let mut q = $q;
        if let Some((k, i)) = $venster.na() {
            q = q
                .filter($a.ge(k.clone()))
                .filter($a.gt(k.clone()).or($id.gt(i.to_string())));
        }
        if let Some((k, i)) = $venster.voor() {
            q = q
                .filter($a.le(k.clone()))
                .filter($a.lt(k.clone()).or($id.lt(i.to_string())));
        }
        if $venster.achteruit() {
            q.order(($a.desc(), $id.desc()))
        } else {
            q.order(($a.asc(), $id.asc()))
        }
    }};
}

/// [`telling!`] of a list sorted ascending on `(a, id)`.
#[macro_export]
macro_rules! telling_oplopend {
    ($conn:expr, $venster:expr, $gelezen:expr, $bouw:expr, $a:expr, $id:expr) => {
        $crate::telling!(
            $conn,
            $venster,
            $gelezen,
            $bouw,
            ($a.asc(), $id.asc()),
            $id,
            String
        )
    };
}

/// A window on a list sorted on its id alone (a register: ids are UUIDv7, so by age),
/// served by the primary key or an index `(.., id)`: after the cursor's id `id > i`,
/// before it `id < i` read in descending order. The key type is `String`.
#[macro_export]
macro_rules! venster_op_id {
    ($q:expr, $venster:expr, $id:expr) => {{
        let mut q = $q;
        if let Some(i) = $venster.na() {
            q = q.filter($id.gt(i.clone()));
        }
        if let Some(i) = $venster.voor() {
            q = q.filter($id.lt(i.clone()));
        }
        if $venster.achteruit() {
            q.order($id.desc())
        } else {
            q.order($id.asc())
        }
    }};
}

/// The bounded count of a filtered list sorted on its id ([`venster_op_id!`]).
#[macro_export]
macro_rules! telling_op_id {
    ($conn:expr, $venster:expr, $gelezen:expr, $bouw:expr, $id:expr) => {
        $crate::venster::Telling::begrensd(
            $conn,
            $crate::venster::volledig($venster, $gelezen),
            |c| {
                Ok(($bouw)()
                    .order($id.asc())
                    .offset($crate::venster::TELLING_MAX)
                    .limit(1)
                    .select($id)
                    .first::<String>(c)
                    .optional()?
                    .is_some())
            },
            |c| ($bouw)().count().get_result(c),
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_binding() {
        let c = Cursor {
            sleutel: ("2026-11-30T05:06:22.123456".to_string(), 7i64),
            achteruit: true,
        };
        let t = c.codeer("zorgmeldingen");
        assert!(
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(Cursor::lees("zorgmeldingen", &t).unwrap(), c);
        assert!(Cursor::<(String, i64)>::lees("organisaties", &t).is_err());
        assert!(Cursor::<(String, String)>::lees("zorgmeldingen", &t).is_err());
        assert!(Cursor::<(String, i64)>::lees("zorgmeldingen", "nope!").is_err());
        assert!(Cursor::<(String, i64)>::lees("zorgmeldingen", "").is_err());
        assert!(Cursor::<(String, i64)>::lees("zorgmeldingen", &"A".repeat(600)).is_err());
    }

    #[test]
    fn page_links_forward_and_back() {
        let v: Venster<i64> = Venster::eerste(2);
        let p = v.pagina(vec![1, 2, 3], |r| *r, Telling::exact(5));
        assert_eq!(p.rijen, vec![1, 2]);
        assert_eq!(p.volgende.as_ref().unwrap().sleutel, 2);
        assert!(p.vorige.is_none());
        let terug = Venster {
            cursor: Some(Cursor {
                sleutel: 3,
                achteruit: true,
            }),
            offset: 0,
            limiet: 2,
        };
        // Read backward: 2, 1 (nothing more before).
        let p = terug.pagina(vec![2, 1], |r| *r, Telling::exact(5));
        assert_eq!(p.rijen, vec![1, 2]);
        assert!(p.vorige.is_none());
        assert_eq!(p.volgende.unwrap().sleutel, 2);
    }

    #[test]
    fn bounded_count() {
        assert_eq!(
            Telling::begrensd(&mut (), Some(3), |_| panic!(), |_| panic!()).unwrap(),
            Telling::exact(3)
        );
        let t = Telling::begrensd(&mut (), None, |_| Ok(true), |_| panic!()).unwrap();
        assert_eq!((t.aantal, t.exact), (TELLING_MAX, false));
        assert_eq!(
            Telling::begrensd(&mut (), None, |_| Ok(false), |_| Ok(12)).unwrap(),
            Telling::exact(12)
        );
        assert!(!Telling::begrens(1001).exact);
    }
}

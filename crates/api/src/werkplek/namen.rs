//! Names for the codes a werkplek page shows (WCAG 2.1 SC 3.1.3 "Unusual Words": a
//! person reads "Veilig Thuis Haaglanden" and "'s-Gravenhage", not
//! `veilig-thuis-haaglanden` and `0518`). Organisations are named by the partner
//! register, municipalities by the reference data; a code without a name (an
//! organisation no longer registered, a municipality not loaded) is shown as the code.
//! The API keeps giving codes: they are the identifiers clients work with.

use diesel::prelude::*;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{gemeenten, organisaties};
use std::collections::{BTreeSet, HashMap};

/// The names of one page's codes, looked up in two queries.
#[derive(Debug, Default, Clone)]
pub struct Weergavenamen {
    organisaties: HashMap<String, String>,
    gemeenten: HashMap<String, String>,
}

impl Weergavenamen {
    /// Look up the names of `organisaties` (codes) and `gemeenten` (CBS codes).
    pub fn laad<'a>(
        conn: &mut DbConnection,
        organisaties: impl IntoIterator<Item = &'a str>,
        gemeenten: impl IntoIterator<Item = &'a str>,
    ) -> QueryResult<Self> {
        let orgs: BTreeSet<&str> = organisaties.into_iter().collect();
        let gems: BTreeSet<&str> = gemeenten.into_iter().collect();
        let organisaties = if orgs.is_empty() {
            HashMap::new()
        } else {
            organisaties::table
                .filter(organisaties::code.eq_any(orgs))
                .select((organisaties::code, organisaties::naam))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect()
        };
        let gemeenten = if gems.is_empty() {
            HashMap::new()
        } else {
            gemeenten::table
                .filter(gemeenten::code.eq_any(gems))
                .select((gemeenten::code, gemeenten::naam))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect()
        };
        Ok(Weergavenamen {
            organisaties,
            gemeenten,
        })
    }

    /// Every registered organisation as (code, name), by name: the choices of a form's
    /// organisation field (a person picks a name; the form sends the code), and the names
    /// to show that page's codes with.
    pub fn alle_organisaties(
        conn: &mut DbConnection,
    ) -> QueryResult<(Self, Vec<(String, String)>)> {
        let keuze: Vec<(String, String)> = organisaties::table
            .select((organisaties::code, organisaties::naam))
            .order((organisaties::naam, organisaties::code))
            .load(conn)?;
        let namen = Weergavenamen {
            organisaties: keuze.iter().cloned().collect(),
            gemeenten: HashMap::new(),
        };
        Ok((namen, keuze))
    }

    /// The name of organisation `code`, or the code.
    pub fn organisatie(&self, code: &str) -> String {
        self.organisaties
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// The names of municipalities `codes`, joined with ", ".
    pub fn gemeenten(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.gemeenten.get(c).map_or(c.as_str(), String::as_str))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

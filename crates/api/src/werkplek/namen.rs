//! Names for the codes a werkplek page shows (WCAG 2.1 SC 3.1.3 "Unusual Words": a
//! person reads "Veilig Thuis Haaglanden" and "'s-Gravenhage", not
//! `veilig-thuis-haaglanden` and `0518`). Organisations are named by the partner
//! register, municipalities by the reference data; a code without a name (an
//! organisation no longer registered, a municipality not loaded) is shown as the code.
//! The API keeps giving codes: they are the identifiers clients work with.

use diesel::prelude::*;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{convenanten, gemeenten, organisaties};
use std::collections::{BTreeSet, HashMap};

/// A code of the API (`overdracht-mdt`, `onderzoek-vt`, `coordinatie`) as words on a page
/// ("overdracht MDT", "onderzoek Veilig Thuis", "coördinatie"): dashes become spaces, and
/// the abbreviations and words the codes write without capitals or diacritics are written
/// out (WCAG 2.1 SC 3.1.4 "Abbreviations").
pub fn als_woorden(code: &str) -> String {
    code.split(['-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "vt" => "Veilig Thuis",
            "mdt" => "MDT",
            "rvdk" => "Raad voor de Kinderbescherming",
            "ots" => "OTS",
            "gi" => "GI",
            "bsn" => "BSN",
            "ggz" => "GGZ",
            "coordinatie" => "coördinatie",
            "geinformeerd" => "geïnformeerd",
            "beeindigd" => "beëindigd",
            ander => ander,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every purpose (`Doel`) as a form's choice: (code, words).
pub fn doelkeuzes() -> Vec<(String, String)> {
    use strum::VariantNames;
    ketenregie_common::Doel::VARIANTS
        .iter()
        .map(|d| (d.to_string(), als_woorden(d)))
        .collect()
}

/// `tekst` with every backticked code (`` `vt-haaglanden` ``) replaced by `woord(code)`;
/// the rest as written, a lone backtick too (no closing one: no code). The one walk over
/// a reason's codes, for the page's words (`werkplek::in_woorden`) and for stored texts
/// read with names (`Weergavenamen::leesbaar`).
pub fn per_code(tekst: &str, mut woord: impl FnMut(&str) -> String) -> String {
    let delen: Vec<&str> = tekst.split('`').collect();
    let mut uit = String::with_capacity(tekst.len());
    for (i, deel) in delen.iter().enumerate() {
        if i % 2 == 0 {
            uit.push_str(deel);
        } else if i + 1 == delen.len() {
            // An odd number of backticks: the last opens nothing.
            uit.push('`');
            uit.push_str(deel);
        } else {
            uit.push_str(&woord(deel));
        }
    }
    uit
}

/// The names of one page's codes, looked up in two queries.
#[derive(Debug, Default, Clone)]
pub struct Weergavenamen {
    organisaties: HashMap<String, String>,
    gemeenten: HashMap<String, String>,
    /// Agreement id to title (`met_teksten`).
    convenanten: HashMap<String, String>,
}

/// What a stored text names by code: backticked words (organisation codes, as refusal
/// reasons write them) and agreement ids (`convenant <uuid>`, as a legal basis is written
/// in the logs: `privacy::besluit::Basis::tekst`).
fn genoemd(tekst: &str) -> (Vec<&str>, Vec<&str>) {
    let codes = tekst.split('`').skip(1).step_by(2).collect();
    let ids = tekst
        .match_indices("convenant ")
        .filter_map(|(i, m)| tekst.get(i + m.len()..i + m.len() + 36))
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .collect();
    (codes, ids)
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
            convenanten: HashMap::new(),
        })
    }

    /// Also the names of what stored `teksten` name by code (`genoemd`), for `leesbaar`:
    /// refusal reasons and legal bases written to the logs long before the page shows
    /// them.
    pub fn met_teksten<'a>(
        mut self,
        conn: &mut DbConnection,
        teksten: impl IntoIterator<Item = &'a str>,
    ) -> QueryResult<Self> {
        let mut codes = BTreeSet::new();
        let mut ids = BTreeSet::new();
        for t in teksten {
            let (c, i) = genoemd(t);
            codes.extend(
                c.into_iter()
                    .filter(|c| !self.organisaties.contains_key(*c)),
            );
            ids.extend(i);
        }
        if !codes.is_empty() {
            self.organisaties.extend(
                organisaties::table
                    .filter(organisaties::code.eq_any(codes))
                    .select((organisaties::code, organisaties::naam))
                    .load::<(String, String)>(conn)?,
            );
        }
        if !ids.is_empty() {
            self.convenanten.extend(
                convenanten::table
                    .filter(convenanten::id.eq_any(ids))
                    .select((convenanten::id, convenanten::titel))
                    .load::<(String, String)>(conn)?,
            );
        }
        Ok(self)
    }

    /// A stored text as a person reads it: a backticked organisation code becomes the
    /// organisation's name, `convenant <id> v2` becomes the agreement's title and
    /// version. What is not known stays as written.
    pub fn leesbaar(&self, tekst: &str) -> String {
        let mut uit = per_code(tekst, |code| match self.organisaties.get(code) {
            Some(naam) => naam.clone(),
            None => format!("`{code}`"),
        });
        for (id, titel) in &self.convenanten {
            uit = uit.replace(
                &format!("convenant {id} v"),
                &format!("convenant “{titel}”, versie "),
            );
        }
        uit
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
            ..Weergavenamen::default()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Stored texts read with names: backticked organisation codes and agreement ids
    /// replaced, unknown codes and field names left as written.
    #[test]
    fn leesbaar() {
        let id = "0190f5a2-7b1c-7d2e-8f3a-4b5c6d7e8f90";
        let tekst = format!(
            "Alleen een beheerder van `politie-den-haag` (veld `naam`); Wmo 2015 art. 5.2.6 (convenant {id} v2)"
        );
        let (codes, ids) = genoemd(&tekst);
        assert_eq!(codes, ["politie-den-haag", "naam"]);
        assert_eq!(ids, [id]);
        let n = Weergavenamen {
            organisaties: [("politie-den-haag".into(), "Politie Den Haag".into())].into(),
            gemeenten: HashMap::new(),
            convenanten: [(id.into(), "Convenant Haaglanden".into())].into(),
        };
        assert_eq!(
            n.leesbaar(&tekst),
            "Alleen een beheerder van Politie Den Haag (veld `naam`); Wmo 2015 art. 5.2.6 (convenant “Convenant Haaglanden”, versie 2)"
        );
        assert_eq!(n.leesbaar("een `losse"), "een `losse");
        assert_eq!(n.leesbaar("geen codes"), "geen codes");
        assert_eq!(als_woorden("onderzoek-vt"), "onderzoek Veilig Thuis");
        assert_eq!(
            als_woorden("verzoek-onderzoek-rvdk"),
            "verzoek onderzoek Raad voor de Kinderbescherming"
        );
        assert_eq!(als_woorden("coordinatie"), "coördinatie");
        assert_eq!(als_woorden("na-beoordeling"), "na beoordeling");
    }
}

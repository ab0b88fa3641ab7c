//! Validation that names every problem at once (API rule: a 400 lists all invalid
//! parameters in `invalidParams`), instead of stopping at the first.

use serde::Serialize;

/// One invalid input field, as in the problem+json `invalidParams` extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvalidParam {
    /// The field, as a JSON path in camelCase (`gemeenten[2]`).
    pub name: String,
    /// A stable machine-readable code (`required`, `pattern`, `enum`, `maxLength`...).
    pub code: String,
    /// What is wrong and how to fix it, for a human.
    pub reason: String,
}

/// Collects invalid fields while a request body is parsed into domain types.
#[derive(Debug, Default)]
pub struct Validatie {
    fouten: Vec<InvalidParam>,
}

impl Validatie {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fout(&mut self, name: impl Into<String>, code: &str, reason: impl Into<String>) {
        self.fouten.push(InvalidParam {
            name: name.into(),
            code: code.to_string(),
            reason: reason.into(),
        });
    }

    /// A required field: returns the value, or records `required`.
    pub fn verplicht<T>(&mut self, name: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.fout(name, "required", format!("`{name}` is verplicht"));
        }
        value
    }

    /// A required, non-blank text of at most `max` characters.
    pub fn tekst(&mut self, name: &str, value: Option<&str>, max: usize) -> Option<String> {
        match value.map(str::trim) {
            None => {
                self.fout(name, "required", format!("`{name}` is verplicht"));
                None
            }
            Some("") => {
                self.fout(name, "minLength", format!("`{name}` mag niet leeg zijn"));
                None
            }
            Some(v) if v.chars().count() > max => {
                self.fout(
                    name,
                    "maxLength",
                    format!("`{name}` is langer dan {max} tekens"),
                );
                None
            }
            Some(v) => Some(v.to_string()),
        }
    }

    /// An optional text: blank becomes `None`; too long is an error.
    pub fn optionele_tekst(
        &mut self,
        name: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        match value.map(str::trim) {
            None | Some("") => None,
            Some(v) if v.chars().count() > max => {
                self.fout(
                    name,
                    "maxLength",
                    format!("`{name}` is langer dan {max} tekens"),
                );
                None
            }
            Some(v) => Some(v.to_string()),
        }
    }

    /// A closed-list value parsed with `FromStr`; the error lists what is allowed.
    pub fn keuze<T: std::str::FromStr + strum::VariantNames>(
        &mut self,
        name: &str,
        value: Option<&str>,
    ) -> Option<T> {
        let v = self.verplicht(name, value)?;
        match v.parse() {
            Ok(t) => Some(t),
            Err(_) => {
                self.fout(
                    name,
                    "enum",
                    format!(
                        "`{v}` is geen geldige waarde voor `{name}`; toegestaan: {}",
                        T::VARIANTS.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// An optional date `JJJJ-MM-DD`; with `niet_na`, a later date is `maximum` (a birth
    /// date or decision date in the future).
    pub fn datum(
        &mut self,
        name: &str,
        value: Option<&str>,
        niet_na: Option<chrono::NaiveDate>,
    ) -> Option<chrono::NaiveDate> {
        let v = value?;
        match chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
            Ok(d) if niet_na.is_some_and(|n| d > n) => {
                self.fout(name, "maximum", format!("`{name}` ligt in de toekomst"));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.fout(name, "format", format!("`{name}` is geen datum JJJJ-MM-DD"));
                None
            }
        }
    }

    /// An optional BSN, checked with the elfproef (DOMAIN.md §4 "BSN"). Absent is none; a
    /// blank one is refused (`pattern`): leave the field out instead (issue 13, the
    /// document's pattern of nine digits).
    pub fn bsn(&mut self, name: &str, value: Option<&str>) -> Option<crate::Bsn> {
        let v = value.map(str::trim)?;
        if v.is_empty() {
            self.fout(
                name,
                "pattern",
                format!("`{name}` is leeg; laat het veld weg als er geen BSN is"),
            );
            return None;
        }
        match crate::Bsn::parse(v) {
            Ok(b) => Some(b),
            Err(e) => {
                self.fout(name, "elfproef", format!("`{name}`: {e}"));
                None
            }
        }
    }

    pub fn is_leeg(&self) -> bool {
        self.fouten.is_empty()
    }

    /// Finish: `Ok(value)` when nothing was recorded, else every recorded problem.
    pub fn afronden<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<InvalidParam>> {
        if self.fouten.is_empty() {
            Ok(value())
        } else {
            Err(self.fouten)
        }
    }
}

/// A CBS municipality code: exactly four digits (`0363` is Amsterdam).
pub fn is_gemeentecode(code: &str) -> bool {
    code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit())
}

/// An OIN (Organisatie-identificatienummer): exactly twenty digits.
pub fn is_oin(oin: &str) -> bool {
    oin.len() == 20 && oin.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem() {
        let mut v = Validatie::new();
        assert_eq!(v.tekst("naam", None, 10), None);
        assert_eq!(v.tekst("code", Some("  "), 10), None);
        assert_eq!(v.tekst("oin", Some("12345678901"), 10), None);
        assert_eq!(v.tekst("ok", Some(" ja "), 10).as_deref(), Some("ja"));
        let fouten = v.afronden(|| ()).unwrap_err();
        let codes: Vec<_> = fouten
            .iter()
            .map(|f| (f.name.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("naam", "required"),
                ("code", "minLength"),
                ("oin", "maxLength")
            ]
        );
    }

    #[test]
    fn gemeentecode_and_oin_formats() {
        assert!(is_gemeentecode("0363"));
        assert!(!is_gemeentecode("363"));
        assert!(!is_gemeentecode("03a3"));
        assert!(is_oin("00000001003214345000"));
        assert!(!is_oin("0000000100321434500"));
    }
}

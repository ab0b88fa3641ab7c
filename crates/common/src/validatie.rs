//! Validation that names every problem at once (API rule: a 400 lists all invalid
//! parameters in `invalidParams`), instead of stopping at the first.

use serde::Serialize;

/// The rules a JSON Schema states: keywords of the 2020-12 validation vocabulary, and the
/// API's own names for a body that is no JSON (`json`), does not fit its schema's types as
/// serde reads it (`schema`), a query string serde cannot read (`invalid`), a field or
/// parameter the schema does not list (`unknown`), or a key an object of the body holds
/// twice (`dubbele-sleutel`: RFC 8259 §4 leaves its meaning open, the API reads bodies
/// strictly, `api::lichaam`). A problem whose `code` is one of these
/// says the request breaks the published document: a 400. Any other code names a rule of
/// the domain that a request valid under the document can still break (an elfproef, a
/// municipality code that does not exist, a rule across fields, a date relative to today,
/// a DOMAIN.md rule): a 422 (RFC 9110 §15.5.21), so "valid by the document" and "accepted
/// by the server" differ only where the document says they may (issue 13 point 3).
pub const SCHEMAREGELS: &[&str] = &[
    "type",
    "enum",
    "const",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "required",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minProperties",
    "maxProperties",
    "unknown",
    "json",
    "schema",
    "invalid",
    "dubbele-sleutel",
];

/// One invalid input field, as in the problem+json `invalidParams` extension.
///
/// How a field is named (issue 13 point 6): a query parameter, a header or a path
/// parameter by its key as the operation declares it (`pageSize`, `If-Match`, `id`); a
/// field of the JSON body by its path. Inside the service a body path is written with dots
/// and indexes (`kinderen[0].bsn`, `melder.naam`; the werkplek's form fields carry the same
/// names), or already as an RFC 6901 JSON pointer (`/kinderen/0/bsn`, and `""` for the
/// body as a whole, as the JSON reader names what serde refuses). The API publishes every
/// body path as a JSON pointer (`json_pointer`); which names are keys is read from the
/// operation's declared parameters when the answer is completed (`api::middleware`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvalidParam {
    /// The query key, header or path parameter as declared (`pageSize`, `If-Match`), or a
    /// body field as an RFC 6901 JSON pointer (`/kinderen/0/bsn`; `""` is the whole body).
    #[schema(example = "/kinderen/0/bsn")]
    pub name: String,
    /// A stable machine-readable code (`required`, `pattern`, `enum`, `maxLength`...).
    pub code: String,
    /// What is wrong and how to fix it, for a human.
    pub reason: String,
}

/// Codes of the domain's rules that recur across operations (each a 422: no schema states
/// them). Rules of one operation use their own name (`elfproef`, `gemeentecode-onbekend`,
/// `gezag-houders-passen-bij-vorm`, ...).
pub mod regelcode {
    /// Required because of another field's value (`redenNietGeinformeerd` when
    /// `oudersGeinformeerd` is false; a field of a group given in part).
    pub const VERPLICHT_BIJ: &str = "verplicht-bij";
    /// Exactly one (or at least one) of several fields or groups of fields.
    pub const EEN_VAN: &str = "een-van";
    /// A date or time before another it must follow (`tot` before `van`).
    pub const VOLGORDE: &str = "volgorde";
    /// The same item (by its key, e.g. the same person) twice in a list.
    pub const DUBBEL: &str = "dubbel";
    /// A date or time in the future where only the past is possible (a birth date).
    pub const TOEKOMST: &str = "toekomst";
    /// A date outside its field's plausible range (`Datumbereik`): before 1900-01-01
    /// (`0000-01-01` is a date by the format, not by its meaning), or further ahead than
    /// the field's meaning allows.
    pub const BEREIK: &str = "bereik";
    /// An organisation code that is not in the partner register
    /// (`ORGANISATIE_GEREGISTREERD`).
    pub const GEREGISTREERD: &str = "geregistreerd";
    /// A value reserved for the platform itself (`PLATFORMCODE_GERESERVEERD`: the
    /// platform organisation's code as a partner's code).
    pub const GERESERVEERD: &str = "gereserveerd";
    /// A text without a single letter or digit (`char::is_alphanumeric`): only invisible
    /// characters (a zero-width space), punctuation or symbols, which the schema's `\S`
    /// lets through but which say nothing (a reason `"\u200b"`, a name `"-"`).
    pub const LEEG: &str = "leeg";
    /// A text with a control character (Unicode `Cc`) other than a line feed, carriage
    /// return or tab, or a bidirectional embedding, override or isolate (U+202A to U+202E,
    /// U+2066 to U+2069, which turn the text around it on a screen); in a one-line text
    /// (a name, a code, a title: `Validatie::tekstregel`) also a line break or tab.
    pub const STUURTEKEN: &str = "stuurteken";
}

/// The first day any date field of a request accepts: 1900-01-01. No person the chain
/// records was born before it, and no court order, arrangement, incident or other fact it
/// records is older (the oldest are birth dates; DOMAIN.md §4). Earlier dates are typing
/// errors (`0000-01-01`, a year `0202`).
pub fn eerste_datum() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real date")
}

/// The plausible range of a date field of a request body, both ends included (task hfix3
/// point 3: `0000-01-01` and birth dates in the future were accepted). Each field states
/// its range in its documentation (the OpenAPI description), and `Validatie::datum`
/// refuses a date outside it with a 422 naming the field. The ranges, by meaning:
/// - `verleden`: a fact that has happened (a birth date, the day of an incident, the
///   date a court gave its decision, the day a decision was first used, a verification,
///   the start of an involvement): 1900-01-01 up to today (Europe/Amsterdam);
/// - `vooruit(jaren)`: a day that may lie ahead (the start or end of a court order's
///   term, of an arrangement, of a family membership, a closing day): 1900-01-01 up to
///   `jaren` years after today. A child's order or arrangement ends at the latest when
///   the child comes of age, so the end of a period is at most 20 years ahead; a start
///   at most 1 year ahead (a decision or arrangement is recorded when it is made); a
///   closing day at most 10 years ahead (a calendar is planned a few years out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Datumbereik {
    /// The first day accepted.
    pub vanaf: chrono::NaiveDate,
    /// The last day accepted.
    pub tot_en_met: chrono::NaiveDate,
    /// Whether the range ends today (a later date is `regelcode::TOEKOMST`).
    pub tot_vandaag: bool,
    /// What the field is, for the reason ("een geboortedatum").
    pub wat: &'static str,
}

impl Datumbereik {
    /// A fact that has happened: 1900-01-01 up to `vandaag`.
    pub fn verleden(wat: &'static str, vandaag: chrono::NaiveDate) -> Self {
        Self {
            vanaf: eerste_datum(),
            tot_en_met: vandaag,
            tot_vandaag: true,
            wat,
        }
    }

    /// A day that may lie ahead: 1900-01-01 up to `jaren` years after `vandaag` (29
    /// February becomes 28 February in a year without it).
    pub fn vooruit(wat: &'static str, vandaag: chrono::NaiveDate, jaren: u32) -> Self {
        let tot = vandaag
            .checked_add_months(chrono::Months::new(12 * jaren))
            .unwrap_or(chrono::NaiveDate::MAX);
        Self {
            vanaf: eerste_datum(),
            tot_en_met: tot,
            tot_vandaag: false,
            wat,
        }
    }
}

impl InvalidParam {
    /// Whether the problem breaks a rule the document's schema states (`SCHEMAREGELS`),
    /// rather than a rule of the domain.
    pub fn breekt_schema(&self) -> bool {
        SCHEMAREGELS.contains(&self.code.as_str())
    }
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

    /// A required, non-blank text of at most `max` characters (counted as sent, as the
    /// schema's `maxLength` counts), returned without surrounding white space. Empty breaks
    /// `minLength`, white space only the pattern `\S` the document states. What the schema
    /// lets through must still say something (`inhoud`): a letter or digit, no control
    /// characters but line breaks and tabs, no bidirectional controls (422s). Texts of
    /// several lines (a reason, a summary, a statement); one-line texts use `tekstregel`.
    pub fn tekst(&mut self, name: &str, value: Option<&str>, max: usize) -> Option<String> {
        self.tekst_als(name, value, max, false)
    }

    /// `tekst` for a one-line text (a name, a code, a title, a phone number): a line feed,
    /// carriage return or tab inside it is a `regelcode::STUURTEKEN` too.
    pub fn tekstregel(&mut self, name: &str, value: Option<&str>, max: usize) -> Option<String> {
        self.tekst_als(name, value, max, true)
    }

    fn tekst_als(
        &mut self,
        name: &str,
        value: Option<&str>,
        max: usize,
        een_regel: bool,
    ) -> Option<String> {
        match value {
            None => {
                self.fout(name, "required", format!("`{name}` is verplicht"));
                None
            }
            Some("") => {
                self.fout(name, "minLength", format!("`{name}` mag niet leeg zijn"));
                None
            }
            Some(v) if zonder_spatie(v).is_empty() => {
                self.fout(name, "pattern", format!("`{name}` bevat alleen witruimte"));
                None
            }
            Some(v) => self.lengte_en_inhoud(name, v, max, een_regel),
        }
    }

    /// An optional text: blank becomes `None`; too long (as sent) is an error, and what is
    /// sent must say something as for `tekst` (`inhoud`).
    pub fn optionele_tekst(
        &mut self,
        name: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        self.optioneel_als(name, value, max, false)
    }

    /// `optionele_tekst` for a one-line text (`tekstregel`).
    pub fn optionele_tekstregel(
        &mut self,
        name: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        self.optioneel_als(name, value, max, true)
    }

    fn optioneel_als(
        &mut self,
        name: &str,
        value: Option<&str>,
        max: usize,
        een_regel: bool,
    ) -> Option<String> {
        match value {
            None => None,
            Some(v) if zonder_spatie(v).is_empty() => None,
            Some(v) => self.lengte_en_inhoud(name, v, max, een_regel),
        }
    }

    fn lengte_en_inhoud(
        &mut self,
        name: &str,
        v: &str,
        max: usize,
        een_regel: bool,
    ) -> Option<String> {
        if v.chars().count() > max {
            self.fout(
                name,
                "maxLength",
                format!("`{name}` is langer dan {max} tekens"),
            );
            return None;
        }
        let t = zonder_spatie(v);
        match inhoud(t, een_regel) {
            Ok(()) => Some(t.to_string()),
            Err((code, reden)) => {
                self.fout(name, code, format!("`{name}` {reden}"));
                None
            }
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
                        "`{name}` is geen toegestane waarde; toegestaan: {}",
                        T::VARIANTS.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// An optional date `JJJJ-MM-DD` (RFC 3339 `full-date`, the document's `format: date`,
    /// read strictly by `time::lees_datum`: no white space, no one-digit month or day)
    /// inside its field's plausible range `bereik` (`Datumbereik`, both ends included).
    /// Not a date breaks `format` (400); a date after today where the range ends today
    /// breaks `regelcode::TOEKOMST`, any other date outside the range `regelcode::BEREIK`
    /// (422, naming the field; the reason states the range).
    pub fn datum(
        &mut self,
        name: &str,
        value: Option<&str>,
        bereik: Datumbereik,
    ) -> Option<chrono::NaiveDate> {
        let v = value?;
        let Some(d) = crate::time::lees_datum(v) else {
            self.fout(name, "format", format!("`{name}` is geen datum JJJJ-MM-DD"));
            return None;
        };
        self.in_bereik(name, d, bereik).then_some(d)
    }

    /// Whether day `d` of field `name` is inside `bereik`; if not, the problem is recorded
    /// as `datum` says (`regelcode::TOEKOMST` or `regelcode::BEREIK`). For a date-time,
    /// pass its day.
    pub fn in_bereik(&mut self, name: &str, d: chrono::NaiveDate, bereik: Datumbereik) -> bool {
        if d > bereik.tot_en_met && bereik.tot_vandaag {
            self.fout(
                name,
                regelcode::TOEKOMST,
                format!(
                    "`{name}` ligt in de toekomst; {} ligt van {} tot en met vandaag",
                    bereik.wat, bereik.vanaf
                ),
            );
            return false;
        }
        if d < bereik.vanaf || d > bereik.tot_en_met {
            self.fout(
                name,
                regelcode::BEREIK,
                format!(
                    "`{name}` is niet aannemelijk: {} ligt van {} tot en met {}",
                    bereik.wat, bereik.vanaf, bereik.tot_en_met
                ),
            );
            return false;
        }
        true
    }

    /// An optional date `JJJJ-MM-DD` that only looks something up (a query filter, a path
    /// naming a stored day): any real date, since it stores nothing and an unlikely day
    /// finds nothing. Not a date breaks `format`. Every date that is stored goes through
    /// `datum` with its range instead.
    pub fn opzoekdatum(&mut self, name: &str, value: Option<&str>) -> Option<chrono::NaiveDate> {
        let v = value?;
        let d = crate::time::lees_datum(v);
        if d.is_none() {
            self.fout(name, "format", format!("`{name}` is geen datum JJJJ-MM-DD"));
        }
        d
    }

    /// An optional BSN, checked with the elfproef (DOMAIN.md §4 "BSN"). Absent is none; a
    /// blank one is refused (`pattern`): leave the field out instead (issue 13, the
    /// document's pattern of nine digits). Input is exactly what the OpenAPI document says,
    /// `^[0-9]{9}$` (a 400 otherwise), and then the elfproef (a 422): an eight-digit number
    /// is padded by the sender, not here (DOMAIN.md "pad eight with a leading zero" is for
    /// data read from elsewhere, `Bsn::parse`), and no spaces are trimmed, so the server
    /// accepts no value the document's pattern refuses (the tester's finding of 30 Nov 2026:
    /// "12345672" was accepted against a nine-digit pattern).
    pub fn bsn(&mut self, name: &str, value: Option<&str>) -> Option<crate::Bsn> {
        let v = value?;
        if v.trim().is_empty() {
            self.fout(
                name,
                "pattern",
                format!("`{name}` is leeg; laat het veld weg als er geen BSN is"),
            );
            return None;
        }
        if v.len() != 9 || !v.bytes().all(|b| b.is_ascii_digit()) {
            self.fout(
                name,
                "pattern",
                format!(
                    "`{name}`: een BSN bestaat uit precies 9 cijfers, zonder spaties (vul een nummer van 8 cijfers aan met een voorloopnul)"
                ),
            );
            return None;
        }
        match crate::Bsn::parse(v) {
            Ok(b) => Some(b),
            // Not nine digits breaks the schema's pattern; nine digits that fail the
            // elfproef break a rule no schema states.
            Err(e @ crate::bsn::BsnFout::Formaat) => {
                self.fout(name, "pattern", format!("`{name}`: {e}"));
                None
            }
            Err(e @ crate::bsn::BsnFout::Elfproef) => {
                self.fout(name, "elfproef", format!("`{name}`: {e}"));
                None
            }
        }
    }

    /// The order of a half-open period [`van`, `tot`) that selects (a filter, a report):
    /// `van` must lie before `tot`, or the period is empty. A `van` on or after `tot`
    /// breaks `regelcode::VOLGORDE`, named at `van` (README "Errors"; the tester's
    /// finding of 1 Dec 2026: a reversed period was answered with an empty list, or with
    /// a reason that said the opposite). Either end absent: nothing to compare.
    pub fn periode<T: PartialOrd>(
        &mut self,
        van_naam: &str,
        van: Option<T>,
        tot_naam: &str,
        tot: Option<T>,
    ) {
        if let (Some(a), Some(b)) = (van, tot)
            && a >= b
        {
            self.fout(
                van_naam,
                regelcode::VOLGORDE,
                format!(
                    "`{van_naam}` ligt op of na `{tot_naam}`; de periode loopt van `{van_naam}` tot `{tot_naam}` (dat moment zelf niet meegerekend) en is zo leeg"
                ),
            );
        }
    }

    /// The order of a recorded term from `van` up to and including `tot` (a membership,
    /// an arrangement, a court order): `tot` may not lie before `van` (the same day is a
    /// term of one day). Breaks `regelcode::VOLGORDE`, named at `tot`.
    pub fn termijn<T: PartialOrd>(
        &mut self,
        van_naam: &str,
        van: Option<T>,
        tot_naam: &str,
        tot: Option<T>,
    ) {
        if let (Some(a), Some(b)) = (van, tot)
            && b < a
        {
            self.fout(
                tot_naam,
                regelcode::VOLGORDE,
                format!(
                    "`{tot_naam}` ligt vóór `{van_naam}`; een termijn eindigt op of na zijn begin"
                ),
            );
        }
    }

    /// Checks that run only because of another field's value: a `required` recorded inside
    /// is the domain rule `regelcode::VERPLICHT_BIJ`, which the schema does not state.
    pub fn voorwaardelijk<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let begin = self.fouten.len();
        let uit = f(self);
        for p in &mut self.fouten[begin..] {
            if p.code == "required" {
                p.code = regelcode::VERPLICHT_BIJ.into();
            }
        }
        uit
    }

    pub fn is_leeg(&self) -> bool {
        self.fouten.is_empty()
    }

    /// Is a problem with field `name` recorded already?
    pub fn noemt(&self, name: &str) -> bool {
        self.fouten.iter().any(|f| f.name == name)
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

/// White space as the document's patterns read it: `\s` of ECMA-262 (§22.2.2.9,
/// WhiteSpace and LineTerminator), the regular expressions of JSON Schema. It differs
/// from Rust's `char::is_whitespace` in U+0085 (not white space here) and U+FEFF (white
/// space here), so "blank" means the same to the server as to the schema's `\S`.
pub fn is_spatie(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Whether `c` is a bidirectional embedding, override or isolate control (U+202A LRE to
/// U+202E RLO, U+2066 LRI to U+2069 PDI): unclosed, it reverses the text after it on a
/// screen ("Visser" shown as "ressiV", or the words around a name).
pub fn is_bidi_stuurteken(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What a text a person wrote must be, beyond what the schema states (each a 422, the
/// reason without the value): at least one letter or digit (`char::is_alphanumeric`,
/// else `regelcode::LEEG`), no control character (Unicode `Cc`) but a line feed, carriage
/// return or tab, none of those either in a one-line text (`een_regel`), and no
/// bidirectional control (`is_bidi_stuurteken`; else `regelcode::STUURTEKEN`). The code
/// and the reason after the field's name.
pub fn inhoud(t: &str, een_regel: bool) -> Result<(), (&'static str, &'static str)> {
    if t.chars().any(is_bidi_stuurteken) {
        return Err((
            regelcode::STUURTEKEN,
            "bevat een teken dat de schrijfrichting omdraait (U+202A-U+202E, U+2066-U+2069); laat het weg",
        ));
    }
    if een_regel && t.chars().any(|c| matches!(c, '\n' | '\r' | '\t')) {
        return Err((
            regelcode::STUURTEKEN,
            "is één regel: zonder regeleinde of tab",
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err((
            regelcode::STUURTEKEN,
            "bevat een stuurteken (zoals een bel- of escapeteken); alleen regeleinden en tabs mogen",
        ));
    }
    if !t.chars().any(char::is_alphanumeric) {
        return Err((
            regelcode::LEEG,
            "bevat geen letter of cijfer; schrijf het in woorden",
        ));
    }
    Ok(())
}

/// `s` without white space (`is_spatie`) at either end.
pub fn zonder_spatie(s: &str) -> &str {
    s.trim_matches(is_spatie)
}

/// A body path as an RFC 6901 JSON pointer: `kinderen[0].bsn` becomes `/kinderen/0/bsn`,
/// `melder.naam` becomes `/melder/naam`, `gemeenten[1]` becomes `/gemeenten/1`; a name
/// that already is a pointer (empty, or starting with `/`) is returned as it is. Each
/// reference token is escaped as RFC 6901 §3 says (`~` as `~0`, `/` as `~1`).
pub fn json_pointer(pad: &str) -> String {
    if pad.is_empty() || pad.starts_with('/') {
        return pad.to_string();
    }
    let mut uit = String::with_capacity(pad.len() + 4);
    for deel in pad.split('.') {
        // `naam[0][1]`: the key, then each index.
        let (sleutel, rest) = match deel.find('[') {
            Some(i) if deel.ends_with(']') => (&deel[..i], &deel[i..]),
            _ => (deel, ""),
        };
        if !sleutel.is_empty() || rest.is_empty() {
            uit.push('/');
            uit.push_str(&sleutel.replace('~', "~0").replace('/', "~1"));
        }
        for index in rest.split(['[', ']']).filter(|i| !i.is_empty()) {
            uit.push('/');
            uit.push_str(&index.replace('~', "~0").replace('/', "~1"));
        }
    }
    uit
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
                ("code", "pattern"),
                ("oin", "maxLength")
            ]
        );
    }

    /// Blank is what the schema's `\S` calls blank (ECMA-262 white space), not Rust's.
    #[test]
    fn blank_as_the_schema_reads_it() {
        let mut v = Validatie::new();
        assert_eq!(v.tekst("a", Some("x\u{85}"), 10), None);
        assert_eq!(v.tekst("b", Some(" \u{feff}\u{3000} "), 10), None);
        assert_eq!(v.optionele_tekst("c", Some("\u{feff}"), 10), None);
        assert_eq!(v.tekst("d", Some(" x\u{a0}"), 10).as_deref(), Some("x"));
        let fouten = v.afronden(|| ()).unwrap_err();
        let codes: Vec<_> = fouten
            .iter()
            .map(|f| (f.name.as_str(), f.code.as_str()))
            .collect();
        // U+0085 is no white space to the schema, but a control character.
        assert_eq!(codes, [("a", regelcode::STUURTEKEN), ("b", "pattern")]);
    }

    /// What the schema lets through must still say something: a letter or digit, no
    /// control character but line breaks and tabs (none in one line), no bidi control.
    #[test]
    fn text_says_something() {
        let mut v = Validatie::new();
        for (naam, waarde) in [
            ("zwsp", "\u{200b}"),
            ("streep", "-"),
            ("bel", "Jan\u{7}"),
            ("rlo", "Jan \u{202e}Visser"),
            ("rli", "\u{2067}Jan"),
        ] {
            assert_eq!(v.tekst(naam, Some(waarde), 100), None, "{naam}");
        }
        assert_eq!(v.optionele_tekst("opt", Some("\u{200b}"), 100), None);
        assert_eq!(v.tekstregel("regel", Some("Jan\nVisser"), 100), None);
        assert_eq!(
            v.optionele_tekstregel("tab", Some("Jan\tVisser"), 100),
            None
        );
        assert_eq!(
            v.tekst("alinea", Some("Eerst.\r\n\tDan."), 100).as_deref(),
            Some("Eerst.\r\n\tDan.")
        );
        assert_eq!(
            v.tekstregel("ok", Some(" Ünal Öztürk "), 100).as_deref(),
            Some("Ünal Öztürk")
        );
        assert_eq!(v.tekstregel("cijfer", Some("3"), 100).as_deref(), Some("3"));
        let fouten = v.afronden(|| ()).unwrap_err();
        let codes: Vec<_> = fouten
            .iter()
            .map(|f| (f.name.as_str(), f.code.as_str()))
            .collect();
        use regelcode::{LEEG, STUURTEKEN};
        assert_eq!(
            codes,
            [
                ("zwsp", LEEG),
                ("streep", LEEG),
                ("bel", STUURTEKEN),
                ("rlo", STUURTEKEN),
                ("rli", STUURTEKEN),
                ("opt", LEEG),
                ("regel", STUURTEKEN),
                ("tab", STUURTEKEN),
            ]
        );
        assert!(fouten.iter().all(|f| !f.reason.contains("Jan")));
    }

    /// Each date field's plausible range (task hfix3 point 3): `0000-01-01` and a birth
    /// date in the future are refused, naming the field; the ends are included.
    #[test]
    fn dates_in_their_plausible_range() {
        let vandaag = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let geboorte = Datumbereik::verleden("een geboortedatum", vandaag);
        let einde = Datumbereik::vooruit("het einde van een periode", vandaag, 20);
        let mut v = Validatie::new();
        assert!(v.datum("a", Some("0000-01-01"), geboorte).is_none());
        assert!(v.datum("b", Some("2026-12-01"), geboorte).is_none());
        assert!(v.datum("c", Some("1899-12-31"), geboorte).is_none());
        assert!(v.datum("d", Some("2046-12-01"), einde).is_none());
        assert!(v.datum("e", Some("1900-01-01"), geboorte).is_some());
        assert!(v.datum("f", Some("2026-11-30"), geboorte).is_some());
        assert!(v.datum("g", Some("2046-11-30"), einde).is_some());
        assert!(v.datum("h", Some("30-11-2026"), einde).is_none());
        assert!(v.datum("i", Some("2026-5-4"), einde).is_none());
        assert!(v.datum("j", Some("2026-05-04 "), einde).is_none());
        let fouten = v.afronden(|| ()).unwrap_err();
        let codes: Vec<_> = fouten
            .iter()
            .map(|f| (f.name.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("a", regelcode::BEREIK),
                ("b", regelcode::TOEKOMST),
                ("c", regelcode::BEREIK),
                ("d", regelcode::BEREIK),
                ("h", "format"),
                ("i", "format"),
                ("j", "format"),
            ]
        );
    }

    /// Body paths as RFC 6901 pointers (issue 13 point 6).
    #[test]
    fn paths_as_json_pointers() {
        for (pad, pointer) in [
            ("kinderen[0].bsn", "/kinderen/0/bsn"),
            ("melder.naam", "/melder/naam"),
            ("gemeenten[1]", "/gemeenten/1"),
            ("partijen[2].rechten[0].doel", "/partijen/2/rechten/0/doel"),
            ("soort", "/soort"),
            ("a~b", "/a~0b"),
            ("/kinderen/0/bsn", "/kinderen/0/bsn"),
            ("", ""),
        ] {
            assert_eq!(json_pointer(pad), pointer, "{pad}");
        }
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

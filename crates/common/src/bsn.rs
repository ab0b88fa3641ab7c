//! The BSN (burgerservicenummer) and its elfproef (DOMAIN.md §4 "BSN"): nine digits (eight
//! are padded with a leading zero), weights 9..2 and -1, sum divisible by 11. Passing the
//! check does not mean the number was issued. A BSN never appears in a URL or a log line:
//! `Debug` and `Display` are masked on purpose.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bsn(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BsnFout {
    #[error("een BSN bestaat uit 8 of 9 cijfers")]
    Formaat,
    #[error("dit nummer voldoet niet aan de elfproef")]
    Elfproef,
}

impl Bsn {
    /// Parse and check with the elfproef.
    pub fn parse(input: &str) -> Result<Self, BsnFout> {
        let s = input.trim();
        if !(s.len() == 8 || s.len() == 9) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BsnFout::Formaat);
        }
        let s = format!("{s:0>9}");
        if !elfproef(&s) {
            return Err(BsnFout::Elfproef);
        }
        Ok(Self(s))
    }

    /// The nine digits. Call only where the number must leave the process on purpose
    /// (encryption, keyed hashing).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The elfproef on nine ASCII digits.
fn elfproef(digits: &str) -> bool {
    const WEIGHTS: [i64; 9] = [9, 8, 7, 6, 5, 4, 3, 2, -1];
    let sum: i64 = digits
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| i64::from(d - b'0') * w)
        .sum();
    sum % 11 == 0 && digits != "000000000"
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bsn(*********)")
    }
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*********")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elfproef_accepts_and_rejects() {
        // 111222333: 9+8+7+12+10+8+9+6-3 = 66, divisible by 11.
        assert!(Bsn::parse("111222333").is_ok());
        assert_eq!(Bsn::parse("111222334"), Err(BsnFout::Elfproef));
        assert_eq!(Bsn::parse("12345"), Err(BsnFout::Formaat));
        assert_eq!(Bsn::parse("000000000"), Err(BsnFout::Elfproef));
    }

    #[test]
    fn eight_digits_are_padded() {
        // 012345672 passes; its eight-digit form must parse to the same number.
        let b = Bsn::parse("12345672").unwrap();
        assert_eq!(b.expose(), "012345672");
    }

    #[test]
    fn never_printed() {
        let b = Bsn::parse("111222333").unwrap();
        assert!(!format!("{b:?} {b}").contains("111"));
    }
}

//! Personal identifiers encrypted at rest (DESIGN.md §3): AES-256-GCM with a key from
//! configuration, a fresh random nonce per value; and beside each, a keyed hash (HMAC-
//! SHA256 with a second key) for exact-match look-up (a BSN, or a normalised name with
//! date of birth) without decrypting.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub struct Versleuteling {
    aes: Aes256Gcm,
    zoeksleutel: Vec<u8>,
}

impl std::fmt::Debug for Versleuteling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Versleuteling(***)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SleutelFout {
    #[error("the value cannot be decrypted with this key (wrong key, or the value was altered)")]
    Ontsleutelen,
}

/// Version prefix of stored ciphertexts, so a later key rotation can tell them apart,
/// and so a reader can tell a ciphertext from a value written in plain text before its
/// column was encrypted (`VERSLEUTELD_MET_VERSIE`).
const VERSIE: &str = "v1:";

/// Does `opgeslagen` carry the prefix of a value this module encrypted?
pub fn is_versleuteld(opgeslagen: &str) -> bool {
    opgeslagen.starts_with(VERSIE)
}

/// A stored value that does not decrypt ends the read of its row (diesel's
/// deserialisation error, a 500 at the API): an altered ciphertext or a wrong key is never
/// passed on as text.
impl From<SleutelFout> for diesel::result::Error {
    fn from(e: SleutelFout) -> Self {
        diesel::result::Error::DeserializationError(Box::new(e))
    }
}

impl Versleuteling {
    /// From 32 bytes of key material: the encryption and look-up keys are derived
    /// separately, so one never serves as the other.
    pub fn new(materiaal: &[u8]) -> Self {
        let afleiden = |label: &[u8]| {
            let mut mac =
                <Hmac<Sha256> as Mac>::new_from_slice(materiaal).expect("HMAC takes any key");
            mac.update(label);
            mac.finalize().into_bytes().to_vec()
        };
        let aes_key = afleiden(b"ketenregie aes-256-gcm");
        Self {
            aes: Aes256Gcm::new_from_slice(&aes_key).expect("32-byte key"),
            zoeksleutel: afleiden(b"ketenregie zoeksleutel"),
        }
    }

    pub fn versleutel(&self, klaar: &str) -> String {
        let nonce_bytes: [u8; 12] = rand::random();
        let ct = self
            .aes
            .encrypt(Nonce::from_slice(&nonce_bytes), klaar.as_bytes())
            .expect("AES-GCM encryption of a short value cannot fail");
        let mut buf = nonce_bytes.to_vec();
        buf.extend_from_slice(&ct);
        format!(
            "{VERSIE}{}",
            base64::engine::general_purpose::STANDARD.encode(buf)
        )
    }

    pub fn ontsleutel(&self, opgeslagen: &str) -> Result<String, SleutelFout> {
        let b64 = opgeslagen
            .strip_prefix(VERSIE)
            .ok_or(SleutelFout::Ontsleutelen)?;
        let buf = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|_| SleutelFout::Ontsleutelen)?;
        if buf.len() < 12 {
            return Err(SleutelFout::Ontsleutelen);
        }
        let (nonce, ct) = buf.split_at(12);
        let pt = self
            .aes
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| SleutelFout::Ontsleutelen)?;
        String::from_utf8(pt).map_err(|_| SleutelFout::Ontsleutelen)
    }

    /// Encrypt an optional value (`None` stays `None`).
    pub fn versleutel_optie(&self, klaar: Option<&str>) -> Option<String> {
        klaar.map(|k| self.versleutel(k))
    }

    /// Read a column that was kept in plain text before it was encrypted
    /// (`VERSLEUTELD_MET_VERSIE`, issue 11 point 5; migration
    /// `2026-11-30-000005_versleuteling_rest`): a value carrying the version prefix is
    /// decrypted, and must decrypt (a wrong key or an altered value is an error, never
    /// shown as text); any other value was written before its column was encrypted and is
    /// returned as it is.
    pub fn lees_kolom(&self, opgeslagen: &str) -> Result<String, SleutelFout> {
        if is_versleuteld(opgeslagen) {
            self.ontsleutel(opgeslagen)
        } else {
            Ok(opgeslagen.to_string())
        }
    }

    /// `lees_kolom` for a nullable column.
    pub fn lees_kolom_optie(
        &self,
        opgeslagen: Option<&str>,
    ) -> Result<Option<String>, SleutelFout> {
        opgeslagen.map(|o| self.lees_kolom(o)).transpose()
    }

    /// `VERSLEUTEL_BIJ_START`: encrypt every value of column `k` still stored in plain
    /// text (written before the column was encrypted), in place; returns how many. The
    /// service runs it at start-up for every column the domain crates name, so old rows do
    /// not stay readable in the database; `lees_kolom` reads both meanwhile.
    pub fn versleutel_oude_waarden(
        &self,
        conn: &mut ketenregie_store::DbConnection,
        k: ketenregie_store::herschrijven::Kolom,
    ) -> diesel::QueryResult<usize> {
        ketenregie_store::herschrijven::herschrijf_zonder_voorvoegsel(conn, k, VERSIE, |w| {
            self.versleutel(w)
        })
    }

    /// Keyed hash for exact look-up; `soort` separates domains ("bsn", "naam-geboortedatum").
    pub fn zoekhash(&self, soort: &str, waarde: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.zoeksleutel).expect("HMAC takes any key");
        mac.update(soort.as_bytes());
        mac.update(b"\x00");
        mac.update(waarde.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// A name normalised for matching: lowercase, diacritics folded, only letters kept,
/// words sorted out of it by nothing — "Jansen-de Vries" and "jansen de vries" match.
pub fn normaliseer_naam(naam: &str) -> String {
    naam.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
                'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
                'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
                'ç' | 'Ç' => 'c',
                'ñ' | 'Ñ' => 'n',
                'ĳ' | 'Ĳ' => 'y',
                c => c,
            };
            c.is_alphabetic()
                .then(|| c.to_lowercase().next().unwrap_or(c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let v = Versleuteling::new(&[7u8; 32]);
        let c1 = v.versleutel("111222333");
        let c2 = v.versleutel("111222333");
        assert_ne!(c1, c2, "fresh nonce per value");
        assert!(!c1.contains("111222333"));
        assert_eq!(v.ontsleutel(&c1).unwrap(), "111222333");
        let mut kapot = c1.clone();
        kapot.pop();
        kapot.push(if c1.ends_with('A') { 'B' } else { 'A' });
        assert!(v.ontsleutel(&kapot).is_err());
        assert!(Versleuteling::new(&[8u8; 32]).ontsleutel(&c1).is_err());
    }

    #[test]
    fn columns_read_ciphertext_and_legacy_plain_text() {
        let v = Versleuteling::new(&[7u8; 32]);
        let c = v.versleutel("Moeder belde om 23:10");
        assert!(is_versleuteld(&c));
        assert_eq!(v.lees_kolom(&c).unwrap(), "Moeder belde om 23:10");
        // Written before the column was encrypted: read as it is.
        assert_eq!(v.lees_kolom("oude tekst").unwrap(), "oude tekst");
        assert_eq!(v.lees_kolom_optie(None).unwrap(), None);
        assert_eq!(v.versleutel_optie(None), None);
        // A ciphertext under another key is an error, not text.
        assert!(Versleuteling::new(&[8u8; 32]).lees_kolom(&c).is_err());
    }

    #[test]
    fn lookup_hash_is_keyed_and_separated() {
        let v = Versleuteling::new(&[7u8; 32]);
        assert_eq!(
            v.zoekhash("bsn", "111222333"),
            v.zoekhash("bsn", "111222333")
        );
        assert_ne!(
            v.zoekhash("bsn", "111222333"),
            v.zoekhash("naam", "111222333")
        );
        assert_ne!(
            v.zoekhash("bsn", "111222333"),
            Versleuteling::new(&[8u8; 32]).zoekhash("bsn", "111222333")
        );
    }

    #[test]
    fn names_normalised() {
        assert_eq!(
            normaliseer_naam("Jansen-de Vries"),
            normaliseer_naam("jansen de vries")
        );
        assert_eq!(normaliseer_naam("Zoë Çelik"), "zoecelik");
    }
}

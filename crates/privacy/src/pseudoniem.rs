//! Pseudonymised subject ids for the processing log: a keyed hash (HMAC-SHA256) of the
//! subject's internal id, so the log can be searched per person by whoever holds the key
//! (the service, for a privacy officer's search or an inzage) but reveals nothing by
//! itself. Never a BSN.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

pub struct Pseudonimiseerder {
    sleutel: Vec<u8>,
}

impl std::fmt::Debug for Pseudonimiseerder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonimiseerder(***)")
    }
}

impl Pseudonimiseerder {
    pub fn new(sleutel: &[u8]) -> Self {
        assert!(
            sleutel.len() >= 16,
            "pseudonymisation key must be at least 16 bytes"
        );
        Self {
            sleutel: sleutel.to_vec(),
        }
    }

    /// The pseudonym of subject `id`.
    pub fn van(&self, id: Uuid) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.sleutel).expect("HMAC takes any key");
        mac.update(b"ketenregie-betrokkene:");
        mac.update(id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_keyed_and_distinct() {
        let a = Pseudonimiseerder::new(&[1u8; 32]);
        let b = Pseudonimiseerder::new(&[2u8; 32]);
        let id = Uuid::now_v7();
        assert_eq!(a.van(id), a.van(id));
        assert_ne!(a.van(id), b.van(id));
        assert_ne!(a.van(id), a.van(Uuid::now_v7()));
        assert!(!a.van(id).contains(&id.simple().to_string()));
    }
}

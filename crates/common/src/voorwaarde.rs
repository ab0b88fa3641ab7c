//! `If-Match` (RFC 9110 §13.1.1) on a versioned object, whose ETag is its version as a
//! strong entity tag (`"3"`). `*` matches any current version; a list matches when any
//! member does; a weak tag (`W/"3"`) never matches, because If-Match uses the strong
//! comparison (RFC 9110 §8.8.3.2); an opaque tag that is not a version of ours never
//! matches either. Malformed syntax is refused.
//!
//! STRENGE_ETAG_VERGELIJKING (RFC 9110 §8.8.3.2, strong comparison): two entity tags are
//! equivalent when neither is weak and their opaque-tags match character by character.
//! The tag is compared as text with the ETag we send (`"3"`), never read as a number:
//! `"003"` and `"+3"` are other tags and do not match version 3.

/// The precondition a write carries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IfMatch {
    /// No `If-Match`: the write is unconditional.
    #[default]
    Geen,
    /// `If-Match: *`: any current version.
    Elke,
    /// A list of entity tags: the opaque-tags of its strong members, as sent (possibly
    /// none, when every member is weak). Compared character by character with the ETag of
    /// the current version (STRENGE_ETAG_VERGELIJKING). No message repeats them.
    Versies { tags: Vec<String> },
}

/// Why a header value is not an `If-Match` field value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("If-Match is `*` of een lijst entity-tags zoals \"3\" of \"3\", \"4\"")]
pub struct IfMatchSyntaxFout;

impl IfMatch {
    /// The precondition of one strong entity tag `"v"`, as a form's hidden version field
    /// gives it (the werkplek's pages): the write applies only to version `v`.
    pub fn versie(v: i64) -> Self {
        IfMatch::Versies {
            tags: vec![v.to_string()],
        }
    }

    /// Parse the field value (several header lines joined with `, `).
    pub fn parse(waarde: &str) -> Result<Self, IfMatchSyntaxFout> {
        let s = waarde.trim();
        if s == "*" {
            return Ok(IfMatch::Elke);
        }
        let mut tags = Vec::new();
        let mut rest = s;
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.is_empty() {
                break;
            }
            let (zwak, r) = match rest.strip_prefix("W/") {
                Some(r) => (true, r),
                None => (false, rest),
            };
            let r = r.strip_prefix('"').ok_or(IfMatchSyntaxFout)?;
            let eind = r.find('"').ok_or(IfMatchSyntaxFout)?;
            let ondoorzichtig = &r[..eind];
            // etagc = %x21 / %x23-7E (obs-text, bytes above 0x7F, is not accepted: a header
            // value here is visible ASCII)
            if !ondoorzichtig
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b))
            {
                return Err(IfMatchSyntaxFout);
            }
            rest = &r[eind + 1..];
            let na = rest.trim_start_matches([' ', '\t']);
            if !(na.is_empty() || na.starts_with(',')) {
                return Err(IfMatchSyntaxFout);
            }
            if !zwak {
                tags.push(ondoorzichtig.to_string());
            }
        }
        // IF_MATCH_LIJSTSYNTAX: `If-Match = "*" / #entity-tag` (RFC 9110 §13.1.1) admits
        // an empty list (§5.6.1: `#` is zero or more). Such a header names no tag, so no
        // current version matches it: the write is refused with 412, never done as if the
        // header were absent.
        Ok(IfMatch::Versies { tags })
    }

    /// Does the precondition hold for the object's current version?
    pub fn staat_toe(&self, huidig: i64) -> bool {
        match self {
            IfMatch::Geen | IfMatch::Elke => true,
            IfMatch::Versies { tags } => {
                // STRENGE_ETAG_VERGELIJKING: the opaque-tag of our ETag `"{huidig}"` is the
                // decimal text of the version; compare text, not numbers.
                tags.contains(&huidig.to_string())
            }
        }
    }

    /// `Err` with a message for the 412 when the precondition fails on `huidig`. The
    /// message does not repeat the header sent (a problem never echoes a value the client
    /// sent, README "Invalid input"): it names the current version, which the client may
    /// read anyway.
    pub fn controleer(&self, huidig: i64, wat: &str) -> Result<(), String> {
        match self {
            IfMatch::Versies { .. } if !self.staat_toe(huidig) => Err(format!(
                "De meegestuurde If-Match noemt niet de huidige versie \"{huidig}\" (een zwakke ETag W/\"..\" past nooit); haal {wat} opnieuw op"
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9110_if_match() {
        let p = |s: &str| IfMatch::parse(s).unwrap();
        assert!(p("*").staat_toe(7));
        assert!(p("\"7\"").staat_toe(7));
        assert!(!p("\"6\"").staat_toe(7));
        assert!(p("\"0\", \"1\"").staat_toe(1));
        assert!(p("\"0\",\"1\"").staat_toe(0));
        assert!(!p("\"0\", \"1\"").staat_toe(2));
        assert!(!p("W/\"1\"").staat_toe(1));
        assert!(p("W/\"1\", \"1\"").staat_toe(1));
        assert!(!p("\"abc\"").staat_toe(1));
        // STRENGE_ETAG_VERGELIJKING: character by character, not as numbers
        for anders in ["\"002\"", "\"+2\"", "\"02\", W/\"2\""] {
            assert!(!p(anders).staat_toe(2), "{anders}");
        }
        assert!(p("\"-1\"").staat_toe(-1));
        assert!(IfMatch::versie(2).staat_toe(2));
        assert!(!IfMatch::versie(2).staat_toe(20));
        // RFC 9110 §5.6.1.2: empty list members are ignored
        assert!(p("\"1\",").staat_toe(1));
        assert!(p(", \"1\"").staat_toe(1));
        assert!(p("\"2\",,\"1\"").staat_toe(1));
        for fout in ["1", "\"1", "\"1\" x", "*, \"1\"", "W/1"] {
            assert!(IfMatch::parse(fout).is_err(), "{fout:?}");
        }
        // IF_MATCH_LIJSTSYNTAX: an empty list matches no version (412), it is not absent
        for leeg in ["", " ", ",", " , "] {
            assert!(!p(leeg).staat_toe(1), "{leeg:?}");
            assert!(p(leeg).controleer(1, "het").is_err(), "{leeg:?}");
        }
    }
}

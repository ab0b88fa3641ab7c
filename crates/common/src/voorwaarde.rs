//! `If-Match` (RFC 9110 §13.1.1) on a versioned object, whose ETag is its version as a
//! strong entity tag (`"3"`). `*` matches any current version; a list matches when any
//! member does; a weak tag (`W/"3"`) never matches, because If-Match uses the strong
//! comparison (RFC 9110 §8.8.3.2); an opaque tag that is not a version of ours never
//! matches either. Malformed syntax is refused.

/// The precondition a write carries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IfMatch {
    /// No `If-Match`: the write is unconditional.
    #[default]
    Geen,
    /// `If-Match: *`: any current version.
    Elke,
    /// A list of entity tags: the versions among its strong members (possibly none, when
    /// every member is weak or not one of ours). The header as sent is not kept: no
    /// message repeats it.
    Versies { versies: Vec<i64> },
}

/// Why a header value is not an `If-Match` field value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("If-Match is `*` of een lijst entity-tags zoals \"3\" of \"3\", \"4\"")]
pub struct IfMatchSyntaxFout;

impl IfMatch {
    /// The precondition of one strong entity tag `"v"`, as a form's hidden version field
    /// gives it (the werkplek's pages): the write applies only to version `v`.
    pub fn versie(v: i64) -> Self {
        IfMatch::Versies { versies: vec![v] }
    }

    /// Parse the field value (several header lines joined with `, `).
    pub fn parse(waarde: &str) -> Result<Self, IfMatchSyntaxFout> {
        let s = waarde.trim();
        if s == "*" {
            return Ok(IfMatch::Elke);
        }
        let mut versies = Vec::new();
        let mut rest = s;
        let mut leden = 0;
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
            leden += 1;
            if !zwak && let Ok(v) = ondoorzichtig.parse::<i64>() {
                versies.push(v);
            }
        }
        if leden == 0 {
            return Err(IfMatchSyntaxFout);
        }
        Ok(IfMatch::Versies { versies })
    }

    /// Does the precondition hold for the object's current version?
    pub fn staat_toe(&self, huidig: i64) -> bool {
        match self {
            IfMatch::Geen | IfMatch::Elke => true,
            IfMatch::Versies { versies, .. } => versies.contains(&huidig),
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
        for fout in ["", "1", "\"1", "\"1\" x", "*, \"1\"", "W/1", ","] {
            assert!(IfMatch::parse(fout).is_err(), "{fout:?}");
        }
    }
}

//! Person names in the werkplek's pages, each in its own `<bdi>` (HTML "bidirectional
//! isolate"): a name written right to left, or one stored before bidirectional controls
//! were refused (`common::validatie::inhoud`) with an unclosed U+202E, turns only itself
//! around, never the words after it on the line ("geboren 04-05-2016", the organisation).

use std::fmt;

/// A line of text with person names in it, rendered with `|safe`: the text and each name
/// escaped here, each name in a `<bdi>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetNamen(Vec<(bool, String)>);

impl MetNamen {
    pub fn new() -> Self {
        Self::default()
    }

    /// Plain text, as it is.
    pub fn tekst(mut self, t: impl Into<String>) -> Self {
        self.0.push((false, t.into()));
        self
    }

    /// A person's name, isolated.
    pub fn naam(mut self, n: impl Into<String>) -> Self {
        self.0.push((true, n.into()));
        self
    }

    /// The line as plain text (no markup), for a test or an attribute.
    pub fn platte_tekst(&self) -> String {
        self.0.iter().map(|(_, t)| t.as_str()).collect()
    }
}

/// `s` escaped for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut uit = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => uit.push_str("&amp;"),
            '<' => uit.push_str("&lt;"),
            '>' => uit.push_str("&gt;"),
            '"' => uit.push_str("&quot;"),
            '\'' => uit.push_str("&#x27;"),
            c => uit.push(c),
        }
    }
    uit
}

impl fmt::Display for MetNamen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (naam, t) in &self.0 {
            if *naam {
                write!(f, "<bdi>{}</bdi>", escape(t))?;
            } else {
                f.write_str(&escape(t))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_isolated_and_escaped() {
        let r = MetNamen::new()
            .naam("\u{202e}Sem <b>")
            .tekst(", geboren 04-05-2016 & co");
        assert_eq!(
            r.to_string(),
            "<bdi>\u{202e}Sem &lt;b&gt;</bdi>, geboren 04-05-2016 &amp; co"
        );
        assert_eq!(r.platte_tekst(), "\u{202e}Sem <b>, geboren 04-05-2016 & co");
    }
}

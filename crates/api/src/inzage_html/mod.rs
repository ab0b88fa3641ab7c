//! The printable inzage report for a parent (DOMAIN.md §3 flow 7; issue 15 point 6): the
//! page `GET /personen/{id}/inzage` answers with `Accept: text/html`, and the one the
//! werkplek shows the privacy officer. Plain Dutch at B1 level, everything in words
//! (`woorden`), dates and times in Dutch notation and Dutch time (`tijd`), organisations
//! by name, addresses as addresses, statements as quotes with who said them and when
//! (`weergave`), a section on the parent's rights (AVG art. 12, 16, 17, 18, 21, 77 and
//! 79; Wpg art. 25 and 28; Jeugdwet art. 7.3.8) and whom to contact (the organisation's
//! contact points in the partner register).
//!
//! The page stands alone: one askama template (`templates/inzage/rapport.html`), one inline
//! style block (`assets/inzage.css` and the report's running header), no script, no
//! outside resources. It reflows to 320 px without horizontal scrolling (WCAG 1.4.10)
//! and prints on A4 with no row split across pages and the person's name, the
//! organisation and "Pagina n van m" on every page (CSS `@page` margin boxes). Its
//! Content-Security-Policy allows that one style block by its SHA-256 hash (CSP Level 3
//! `'sha256-…'` source) and nothing else.

pub mod tijd;
pub mod weergave;
pub mod woorden;

use askama::Template;
use base64::Engine;
use ketenregie_privacy::inzage::InzageRapport;
use sha2::{Digest, Sha256};
use weergave::Waarde;

/// The style sheet of the page, without the report's running header.
pub const STIJL: &str = include_str!("../../assets/inzage.css");

#[derive(Template)]
#[template(path = "inzage/rapport.html")]
struct Pagina<'a> {
    r: &'a weergave::Rapport,
    stijl: &'a str,
}

/// The page and the Content-Security-Policy to send with it.
#[derive(Debug, Clone)]
pub struct Document {
    pub html: String,
    /// Allows exactly the page's style block (by hash), nothing else.
    pub csp: String,
}

/// The printable report as HTML (for the API's answer and the werkplek's screen).
pub fn render(r: &InzageRapport) -> String {
    document(r).html
}

/// The printable report and the Content-Security-Policy that lets its style block apply.
pub fn document(r: &InzageRapport) -> Document {
    let w = weergave::van(r);
    let stijl = format!("{STIJL}{}", kopregels(&w));
    let html = Pagina {
        r: &w,
        stijl: &stijl,
    }
    .render()
    .expect("the inzage template renders");
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(stijl.as_bytes()));
    Document {
        html,
        csp: format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
    }
}

/// The running header and footer of the printed pages: the person's name, the
/// organisation, the page number.
fn kopregels(w: &weergave::Rapport) -> String {
    format!(
        "@page {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }} @bottom-right {{ content: \"Pagina \" counter(page) \" van \" counter(pages); }} }}\n",
        css_tekst(&format!("Inzage voor {}", w.naam)),
        css_tekst(&w.organisatie),
    )
}

/// A CSS string (CSS Syntax Level 3 §4.3.5): anything but letters, digits, spaces and
/// plain punctuation as a hex escape, so no name can end the string or the style block.
fn css_tekst(s: &str) -> String {
    let mut uit = String::from("\"");
    for c in s.chars() {
        if c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | '-' | '(' | ')') {
            uit.push(c);
        } else {
            uit.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    uit.push('"');
    uit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_tekst_ontsnapt() {
        assert_eq!(css_tekst("Lisa Visser"), "\"Lisa Visser\"");
        let kwaad = css_tekst("x\"; } </style><script>");
        assert!(!kwaad.contains('<') && !kwaad.contains('}') && kwaad.matches('"').count() == 2);
        assert_eq!(css_tekst("'s-Gravenhage"), "\"\\27 s-Gravenhage\"");
    }
}

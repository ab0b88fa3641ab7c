-- This migration: the werkplek's production sign-in (OpenID Connect, issue 16). Keep this
-- tree and the other alike: a test compares them.
--
-- A session signed in through the identity provider keeps the provider's tokens on the
-- server, in `tokens`: a JSON object (ID token, access token, refresh token) encrypted
-- like the other secrets at rest (AES-256-GCM, `privacy::versleuteling`); the browser
-- never sees them. NULL for a development session.
ALTER TABLE werkplek_sessies ADD COLUMN tokens TEXT;

-- A sign-in under way: between the redirect to the provider and its answer. Keyed by the
-- SHA-256 of a random value in the browser's short-lived sign-in cookie; `gegevens` holds
-- the state, the nonce and the PKCE verifier, encrypted. Used once, then removed; ends
-- after ten minutes (crates/api/src/werkplek/oidc.rs).
CREATE TABLE werkplek_aanmeldingen (
    id TEXT NOT NULL PRIMARY KEY,
    gegevens TEXT NOT NULL,
    verloopt_op TIMESTAMP NOT NULL
);
CREATE INDEX werkplek_aanmeldingen_verloopt ON werkplek_aanmeldingen (verloopt_op);

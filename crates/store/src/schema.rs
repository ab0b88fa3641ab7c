//! The one neutral schema over both backends: only the SQL types both share (TEXT ids,
//! TIMESTAMP in UTC, BIGINT, BOOLEAN). Keep in step with migrations/sqlite and
//! migrations/postgres.

diesel::table! {
    organisaties (id) {
        id -> Text,
        code -> Text,
        naam -> Text,
        oin -> Nullable<Text>,
        soort -> Text,
        rechtsregime -> Text,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    organisatie_gemeenten (organisatie_id, gemeentecode) {
        organisatie_id -> Text,
        gemeentecode -> Text,
    }
}

diesel::table! {
    contactpunten (id) {
        id -> Text,
        organisatie_id -> Text,
        rol -> Text,
        naam -> Text,
        telefoon -> Nullable<Text>,
        email -> Nullable<Text>,
        openingstijden -> Nullable<Text>,
        altijd_bereikbaar -> Bool,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    gebruikte_tokens (jti) {
        jti -> Text,
        token_hash -> Text,
        verloopt_op -> Timestamp,
    }
}

diesel::joinable!(organisatie_gemeenten -> organisaties (organisatie_id));
diesel::joinable!(contactpunten -> organisaties (organisatie_id));
diesel::allow_tables_to_appear_in_same_query!(
    organisaties,
    organisatie_gemeenten,
    contactpunten,
    gebruikte_tokens
);

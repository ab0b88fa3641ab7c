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
        naam_sleutel -> Nullable<Text>,
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
        versie -> BigInt,
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

diesel::table! {
    convenanten (id) {
        id -> Text,
        reeks_id -> Text,
        versie -> BigInt,
        titel -> Text,
        status -> Text,
        geldig_van -> Timestamp,
        geldig_tot -> Nullable<Timestamp>,
        inhoud -> Text,
        eigenaar -> Text,
        aangemaakt_door -> Text,
        aangemaakt_op -> Timestamp,
        geactiveerd_op -> Nullable<Timestamp>,
        ingetrokken_op -> Nullable<Timestamp>,
        intrekkingsreden -> Nullable<Text>,
        revisie -> BigInt,
    }
}

diesel::table! {
    convenant_partijen (convenant_id, organisatie) {
        convenant_id -> Text,
        organisatie -> Text,
    }
}

diesel::table! {
    convenant_ondertekeningen (id) {
        id -> Text,
        convenant_id -> Text,
        organisatie -> Text,
        ondertekend_door -> Text,
        rol -> Text,
        ondertekend_op -> Timestamp,
        inhoud_hash -> Text,
        vervallen_op -> Nullable<Timestamp>,
    }
}

diesel::table! {
    convenant_uittredingen (convenant_id, organisatie) {
        convenant_id -> Text,
        organisatie -> Text,
        door -> Text,
        op -> Timestamp,
        reden -> Text,
    }
}

diesel::table! {
    convenant_intrekkingsverzoeken (convenant_id, organisatie) {
        convenant_id -> Text,
        organisatie -> Text,
        door -> Text,
        op -> Timestamp,
        reden -> Text,
    }
}

diesel::table! {
    logketens (id) {
        id -> Text,
        volgnummer -> BigInt,
        laatste_hash -> Text,
    }
}

diesel::table! {
    audittrail (id) {
        id -> Text,
        keten -> Text,
        volgnummer -> BigInt,
        vorige_hash -> Text,
        hash -> Text,
        tijdstip -> Timestamp,
        trace_id -> Text,
        gebruiker -> Text,
        gebruiker_naam -> Text,
        organisatie -> Text,
        applicatie -> Text,
        actie -> Text,
        object_type -> Text,
        object_id -> Text,
        eigenaar -> Text,
        resultaat -> Integer,
        toelichting -> Nullable<Text>,
        doorbraak -> Bool,
        grondslag -> Nullable<Text>,
        oude_waarde -> Nullable<Text>,
        nieuwe_waarde -> Nullable<Text>,
    }
}

diesel::table! {
    verwerkingslog (id) {
        id -> Text,
        keten -> Text,
        volgnummer -> BigInt,
        vorige_hash -> Text,
        hash -> Text,
        trace_id -> Text,
        span_id -> Text,
        parent_span_id -> Nullable<Text>,
        organisatie -> Text,
        activiteit -> Text,
        grondslag -> Text,
        convenant_id -> Nullable<Text>,
        convenant_versie -> Nullable<BigInt>,
        betrokkene -> Text,
        resultaat -> Text,
        doorbraak -> Bool,
        start_op -> Timestamp,
        eind_op -> Timestamp,
    }
}

diesel::table! {
    eigen_verklaringen (id) {
        id -> Text,
        object_type -> Text,
        object_id -> Text,
        eigenaar -> Text,
        betrokkene_id -> Text,
        tekst -> Text,
        vastgelegd_door -> Text,
        vertrouwelijkheid -> Text,
        aangemaakt_op -> Timestamp,
        door -> Text,
        persoon_id -> Nullable<Text>,
    }
}

diesel::table! {
    bewaartermijnen (id) {
        id -> Text,
        organisatie -> Nullable<Text>,
        soort -> Text,
        termijn_dagen -> BigInt,
        toelichting -> Text,
        versie -> BigInt,
    }
}

diesel::table! {
    verstrekkingen (id) {
        id -> Text,
        eigenaar -> Text,
        ontvanger -> Text,
        rollen -> Text,
        object_type -> Text,
        object_id -> Text,
        doel -> Text,
        grondslag -> Text,
        convenant_id -> Nullable<Text>,
        convenant_versie -> Nullable<BigInt>,
        doorbraak -> Bool,
        trace_id -> Text,
        tijdstip -> Timestamp,
    }
}

diesel::joinable!(convenant_partijen -> convenanten (convenant_id));
diesel::joinable!(convenant_ondertekeningen -> convenanten (convenant_id));
diesel::joinable!(convenant_uittredingen -> convenanten (convenant_id));
diesel::joinable!(convenant_intrekkingsverzoeken -> convenanten (convenant_id));
diesel::allow_tables_to_appear_in_same_query!(
    convenanten,
    convenant_partijen,
    convenant_ondertekeningen,
    convenant_uittredingen,
    convenant_intrekkingsverzoeken,
    logketens,
    audittrail,
    verwerkingslog,
    eigen_verklaringen,
    bewaartermijnen,
    verstrekkingen
);

diesel::table! {
    gemeenten (code) {
        code -> Text,
        naam -> Text,
        provincie -> Text,
        veiligheidsregio_code -> Text,
        veiligheidsregio_naam -> Text,
        politie_eenheid -> Text,
    }
}

diesel::table! {
    referentie_import (organisatie_code) {
        organisatie_code -> Text,
        gemeenten -> Text,
        zekerheid -> Text,
        opmerking -> Nullable<Text>,
        geimporteerd_op -> Timestamp,
    }
}

diesel::table! {
    zorgmeldingen (id) {
        id -> Text,
        groep_id -> Text,
        bovenliggend_id -> Nullable<Text>,
        afzender -> Text,
        ontvanger -> Nullable<Text>,
        meldingstatus -> Text,
        taakstatus -> Nullable<Text>,
        bedrijfsstatus -> Nullable<Text>,
        acuut -> Bool,
        gemeenten -> Text,
        inhoud -> Text,
        vertrouwelijkheid -> Text,
        versie -> BigInt,
        aangemaakt_door -> Text,
        aangemaakt_op -> Timestamp,
        ingediend_op -> Nullable<Timestamp>,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    zorgmelding_stappen (id) {
        id -> Text,
        zorgmelding_id -> Text,
        stap -> Text,
        van_status -> Nullable<Text>,
        naar_status -> Nullable<Text>,
        reden -> Nullable<Text>,
        gegevens -> Nullable<Text>,
        gebruiker -> Text,
        gebruiker_naam -> Text,
        organisatie -> Text,
        tijdstip -> Timestamp,
    }
}

diesel::table! {
    idempotentie (sleutel, organisatie) {
        sleutel -> Text,
        organisatie -> Text,
        verzoek_hash -> Text,
        status -> Integer,
        locatie -> Nullable<Text>,
        antwoord -> Text,
        aangemaakt_op -> Timestamp,
        verloopt_op -> Timestamp,
        etag -> Nullable<Text>,
    }
}

diesel::table! {
    kwaliteitscontrole (organisatie) {
        organisatie -> Text,
        verplicht -> Bool,
    }
}

diesel::joinable!(zorgmelding_stappen -> zorgmeldingen (zorgmelding_id));
diesel::allow_tables_to_appear_in_same_query!(zorgmeldingen, zorgmelding_stappen);

diesel::table! {
    outbox (id) {
        id -> Text,
        soort -> Text,
        organisatie -> Text,
        onderwerp -> Text,
        dataref -> Text,
        status -> Text,
        pogingen -> Integer,
        volgende_poging_op -> Timestamp,
        laatste_fout -> Nullable<Text>,
        aangemaakt_op -> Timestamp,
        gegevens -> Nullable<Text>,
    }
}

diesel::table! {
    termijnen (id) {
        id -> Text,
        zorgmelding_id -> Text,
        afzender -> Text,
        ontvanger -> Text,
        moment -> Text,
        verschuldigd_op -> Timestamp,
        voldaan_op -> Nullable<Timestamp>,
        vervallen_op -> Nullable<Timestamp>,
        bron -> Text,
        aangemaakt_op -> Timestamp,
        herinnerd_op -> Nullable<Timestamp>,
        geescaleerd_op -> Nullable<Timestamp>,
        laat_gemeld_op -> Nullable<Timestamp>,
        herinneren_vanaf -> Timestamp,
    }
}

diesel::joinable!(termijnen -> zorgmeldingen (zorgmelding_id));
diesel::allow_tables_to_appear_in_same_query!(zorgmeldingen, termijnen);
// The logged read of one melding reads its header, content, feedback duties and the
// statements on it in one statement (`referral::opslag::lezing`).
diesel::allow_tables_to_appear_in_same_query!(eigen_verklaringen, zorgmeldingen);
diesel::allow_tables_to_appear_in_same_query!(eigen_verklaringen, termijnen);

diesel::table! {
    terugkoppelingen (id) {
        id -> Text,
        zorgmelding_id -> Text,
        afzender -> Text,
        ontvanger -> Text,
        moment -> Text,
        vervolgtraject_gestart -> Bool,
        overgenomen_door -> Nullable<Text>,
        melder_heeft_rol -> Bool,
        inhoud -> Text,
        betrokkenen -> Text,
        gebruiker -> Text,
        gebruiker_naam -> Text,
        organisatie -> Text,
        aangemaakt_op -> Timestamp,
    }
}

diesel::joinable!(terugkoppelingen -> zorgmeldingen (zorgmelding_id));
diesel::allow_tables_to_appear_in_same_query!(zorgmeldingen, terugkoppelingen);
diesel::allow_tables_to_appear_in_same_query!(termijnen, terugkoppelingen);

diesel::table! {
    abonnementen (id) {
        id -> Text,
        organisatie -> Text,
        url -> Text,
        kanalen -> Text,
        soorten -> Nullable<Text>,
        geheim -> Text,
        aangemaakt_door -> Text,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    bezorgingen (id) {
        id -> Text,
        outbox_id -> Text,
        kanaal -> Text,
        abonnement_id -> Nullable<Text>,
        status -> Text,
        pogingen -> Integer,
        volgende_poging_op -> Timestamp,
        geclaimd_tot -> Nullable<Timestamp>,
        geclaimd_door -> Nullable<Text>,
        laatste_fout -> Nullable<Text>,
        afgeleverd_op -> Nullable<Timestamp>,
        aangemaakt_op -> Timestamp,
        verzenden_op -> Nullable<Timestamp>,
    }
}

diesel::joinable!(bezorgingen -> outbox (outbox_id));
diesel::joinable!(bezorgingen -> abonnementen (abonnement_id));
diesel::allow_tables_to_appear_in_same_query!(bezorgingen, outbox, abonnementen);

diesel::table! {
    personen (id) {
        id -> Text,
        eigenaar -> Text,
        betrokkene -> Text,
        bsn_hash -> Nullable<Text>,
        naam_hash -> Text,
        adres_hash -> Nullable<Text>,
        gegevens -> Text,
        gemeente -> Nullable<Text>,
        vertrouwelijkheid -> Text,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    gezinnen (id) {
        id -> Text,
        eigenaar -> Text,
        kenmerk -> Nullable<Text>,
        vertrouwelijkheid -> Text,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    gezinsleden (gezin_id, persoon_id) {
        gezin_id -> Text,
        persoon_id -> Text,
        relatie -> Text,
        van -> Nullable<Date>,
        tot -> Nullable<Date>,
    }
}

diesel::table! {
    gezag (id) {
        id -> Text,
        eigenaar -> Text,
        kind_id -> Text,
        vorm -> Text,
        houders -> Text,
        houder_instelling -> Nullable<Text>,
        bron -> Text,
        beschikking_id -> Nullable<Text>,
        geverifieerd_op -> Date,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    beschikkingen (id) {
        id -> Text,
        eigenaar -> Text,
        gezin_id -> Text,
        rechtbank -> Text,
        zaaknummer -> Text,
        datum -> Date,
        soort -> Text,
        van -> Date,
        tot -> Nullable<Date>,
        uitvoerbaar_bij_voorraad -> Bool,
        sterke_arm -> Bool,
        sterke_arm_tekst -> Nullable<Text>,
        kinderen -> Text,
        gebruikt_op -> Nullable<Date>,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    regelingen (id) {
        id -> Text,
        eigenaar -> Text,
        gezin_id -> Text,
        soort -> Text,
        bron -> Text,
        beschikking_id -> Nullable<Text>,
        samenvatting -> Text,
        van -> Date,
        tot -> Nullable<Date>,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    incidenten (id) {
        id -> Text,
        eigenaar -> Text,
        gezin_id -> Nullable<Text>,
        tijdstip -> Timestamp,
        gemeente -> Nullable<Text>,
        soort -> Text,
        politie_referentie -> Text,
        inhoud -> Text,
        wederhoor -> Text,
        wederhoor_op -> Nullable<Timestamp>,
        vertrouwelijkheid -> Text,
        aangemaakt_op -> Timestamp,
        versie -> BigInt,
    }
}

diesel::table! {
    incident_betrokkenen (incident_id, persoon_id) {
        incident_id -> Text,
        persoon_id -> Text,
        rol -> Text,
    }
}

diesel::table! {
    verklaringen (id) {
        id -> Text,
        incident_id -> Text,
        persoon_id -> Nullable<Text>,
        afgelegd_door -> Text,
        tekst -> Text,
        afgelegd_op -> Timestamp,
        vastgelegd_door -> Text,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    betrokkenheden (id) {
        id -> Text,
        organisatie -> Text,
        persoon_id -> Text,
        betrokkene -> Text,
        contact_naam -> Text,
        contact_telefoon -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        sinds -> Date,
        vervalt_op -> Date,
        beeindigd_op -> Nullable<Date>,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    matches (id) {
        id -> Text,
        betrokkenheid_a -> Text,
        betrokkenheid_b -> Text,
        organisatie_a -> Text,
        organisatie_b -> Text,
        reden -> Text,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    zorgmelding_betrokkenen (zorgmelding_id, betrokkene) {
        zorgmelding_id -> Text,
        betrokkene -> Text,
        kind -> Nullable<Bool>,
    }
}

diesel::joinable!(gezinsleden -> gezinnen (gezin_id));
diesel::joinable!(gezinsleden -> personen (persoon_id));
diesel::joinable!(incident_betrokkenen -> incidenten (incident_id));
diesel::joinable!(incident_betrokkenen -> personen (persoon_id));
diesel::joinable!(zorgmelding_betrokkenen -> zorgmeldingen (zorgmelding_id));
diesel::allow_tables_to_appear_in_same_query!(
    personen,
    gezinnen,
    gezinsleden,
    gezag,
    beschikkingen,
    regelingen,
    incidenten,
    incident_betrokkenen,
    verklaringen,
    betrokkenheden,
    matches,
    zorgmelding_betrokkenen,
    zorgmeldingen,
);

diesel::table! {
    gebruiksquota (id) {
        id -> Text,
        organisatie -> Text,
        gebruiker -> Text,
        soort -> Text,
        periode -> Date,
        aantal -> BigInt,
        limiet -> BigInt,
        overschreden_op -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sluitingsdagen (organisatie, datum) {
        organisatie -> Text,
        datum -> Date,
        omschrijving -> Text,
        vastgelegd_door -> Text,
        vastgelegd_op -> Timestamp,
        versie -> BigInt,
        ingetrokken_op -> Nullable<Timestamp>,
    }
}

diesel::table! {
    betrokkene_herleidingen (oud) {
        oud -> Text,
        nieuw -> Text,
        oud_pseudoniem -> Text,
        nieuw_pseudoniem -> Text,
        herleid_op -> Timestamp,
    }
}

diesel::table! {
    logbewaring_vergunningen (keten) {
        keten -> Text,
        tot_volgnummer -> BigInt,
    }
}

diesel::table! {
    /// The log sealer's lease (issue 17 point 2; `privacy::logboek::verzegelaar`).
    logverzegelaar (id) {
        id -> Text,
        houder -> Text,
        geldig_tot -> Timestamp,
    }
}

diesel::table! {
    demoklok (id) {
        id -> Integer,
        verschuiving_seconden -> BigInt,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    gereedheidsproef (id) {
        id -> Integer,
        geschreven_op -> Timestamp,
    }
}

diesel::table! {
    werkplek_sessies (id) {
        id -> Text,
        csrf -> Text,
        gebruiker -> Text,
        weergavenaam -> Text,
        organisatie -> Text,
        rollen -> Text,
        applicatie -> Text,
        aangemaakt_op -> Timestamp,
        laatst_gebruikt_op -> Timestamp,
        verloopt_op -> Timestamp,
        tokens -> Nullable<Text>,
    }
}

diesel::table! {
    werkplek_aanmeldingen (id) {
        id -> Text,
        gegevens -> Text,
        verloopt_op -> Timestamp,
    }
}

diesel::table! {
    /// One row (`id = 1`): bumped by triggers on every change to the agreements and the
    /// partner register (migration 2026-12-02-000201), read by `privacy::stamgegevens`.
    stamgegevens_versie (id) {
        id -> Integer,
        versie -> BigInt,
    }
}
// The stamp's scalar subquery (`directory::stempel`) in the hot reads' one statement.
diesel::allow_tables_to_appear_in_same_query!(stamgegevens_versie, organisaties);
diesel::allow_tables_to_appear_in_same_query!(stamgegevens_versie, organisatie_gemeenten);
diesel::allow_tables_to_appear_in_same_query!(stamgegevens_versie, zorgmeldingen);
diesel::allow_tables_to_appear_in_same_query!(stamgegevens_versie, termijnen);
diesel::allow_tables_to_appear_in_same_query!(stamgegevens_versie, eigen_verklaringen);

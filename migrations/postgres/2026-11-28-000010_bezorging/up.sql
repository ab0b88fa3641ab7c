-- Delivery of the outbox (DESIGN.md §7). Webhook subscriptions per organisation (the
-- secret encrypted at rest); one delivery row per outbox event and target (the
-- organisation's e-mail contact point, each matching subscription), written in the same
-- transaction as the event. A dispatcher claims due deliveries with a lease
-- (`geclaimd_tot`), so a crashed instance's claim expires; retried with back-off and dead
-- after a limit.

CREATE TABLE abonnementen (
    id TEXT NOT NULL PRIMARY KEY,
    organisatie TEXT NOT NULL,
    url TEXT NOT NULL,
    kanalen TEXT NOT NULL,
    soorten TEXT,
    geheim TEXT NOT NULL,
    aangemaakt_door TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX abonnementen_organisatie_idx ON abonnementen (organisatie);

CREATE TABLE bezorgingen (
    id TEXT NOT NULL PRIMARY KEY,
    outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    kanaal TEXT NOT NULL CHECK (kanaal IN ('email', 'webhook')),
    abonnement_id TEXT REFERENCES abonnementen (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('wachtend', 'afgeleverd', 'dood')),
    pogingen INTEGER NOT NULL,
    volgende_poging_op TIMESTAMP NOT NULL,
    geclaimd_tot TIMESTAMP,
    geclaimd_door TEXT,
    laatste_fout TEXT,
    afgeleverd_op TIMESTAMP,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX bezorgingen_wachtend_idx ON bezorgingen (status, volgende_poging_op);
CREATE INDEX bezorgingen_outbox_idx ON bezorgingen (outbox_id);
CREATE INDEX bezorgingen_abonnement_idx ON bezorgingen (abonnement_id);

-- The outbox (DESIGN.md §7): notifications written in the same transaction as the change
-- that causes them, delivered after commit. CloudEvents-shaped: a type, the addressee
-- organisation and a reference to the resource; never personal data.

CREATE TABLE outbox (
    id TEXT NOT NULL PRIMARY KEY,
    soort TEXT NOT NULL,
    organisatie TEXT NOT NULL,
    onderwerp TEXT NOT NULL,
    dataref TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('wachtend', 'afgeleverd', 'dood')),
    pogingen INTEGER NOT NULL,
    volgende_poging_op TIMESTAMP NOT NULL,
    laatste_fout TEXT,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX outbox_organisatie_idx ON outbox (organisatie, aangemaakt_op);
CREATE INDEX outbox_wachtend_idx ON outbox (status, volgende_poging_op);

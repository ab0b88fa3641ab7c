-- Issue 17 point 5, every list by keyset: each list reads its page from an index that
-- serves its sort order with the id last (the tie-breaker), and the work queues read only
-- their open items (partial indexes: the met and delivered history is not in them).
-- Open feedback duties (`GET /termijnen`), earliest due first, per side.
CREATE INDEX termijnen_ontvanger_open_idx ON termijnen (ontvanger, verschuldigd_op, id)
    WHERE voldaan_op IS NULL AND vervallen_op IS NULL;
CREATE INDEX termijnen_afzender_open_idx ON termijnen (afzender, verschuldigd_op, id)
    WHERE voldaan_op IS NULL AND vervallen_op IS NULL;
-- Dead letters (`GET /dode-berichten`), newest first.
CREATE INDEX bezorgingen_dood_idx ON bezorgingen (aangemaakt_op, id)
    WHERE status IN ('dood', 'onzeker');
-- Registers by id (UUIDv7: oldest first): organisations and contact points on their
-- primary keys; an organisation's contact points and subscriptions on (organisatie, id).
DROP INDEX contactpunten_organisatie_idx;
CREATE INDEX contactpunten_organisatie_idx ON contactpunten (organisatie_id, id);
DROP INDEX abonnementen_organisatie_idx;
CREATE INDEX abonnementen_organisatie_idx ON abonnementen (organisatie, id);

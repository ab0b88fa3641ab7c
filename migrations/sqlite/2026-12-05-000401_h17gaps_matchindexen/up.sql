-- Issue 17 point 5 for `GET /matches` (h17gaps): an organisation's matches are read as two
-- keyset streams, one per side of the match, newest first on (aangemaakt_op, id), each
-- from an index that serves that order after the organisation. They replace the
-- single-column indexes on the organisation, of which they are an extension.
DROP INDEX matches_a_idx;
CREATE INDEX matches_a_idx ON matches (organisatie_a, aangemaakt_op, id);
DROP INDEX matches_b_idx;
CREATE INDEX matches_b_idx ON matches (organisatie_b, aangemaakt_op, id);

DROP INDEX matches_a_idx;
CREATE INDEX matches_a_idx ON matches (organisatie_a);
DROP INDEX matches_b_idx;
CREATE INDEX matches_b_idx ON matches (organisatie_b);

DROP INDEX bezorgingen_verzenden_idx;
UPDATE bezorgingen SET status = 'dood' WHERE status IN ('verzenden', 'onzeker');
ALTER TABLE bezorgingen DROP COLUMN verzenden_op;
ALTER TABLE bezorgingen DROP CONSTRAINT bezorgingen_status_check;
ALTER TABLE bezorgingen ADD CONSTRAINT bezorgingen_status_check
    CHECK (status IN ('wachtend', 'afgeleverd', 'dood'));

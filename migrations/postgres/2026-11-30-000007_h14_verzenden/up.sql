-- At most once per delivery on a crash (issue 14, finding 8). Keep this tree and the other
-- alike: a test compares them. No personal data.
--
-- A delivery is marked `verzenden` (sending), with the moment in `verzenden_op`, in a
-- committed transaction before its network send, and gets its outcome after. A delivery
-- still `verzenden` when its lease has run out belongs to an instance that died mid-send:
-- the receiver may or may not have it, so it becomes `onzeker` (uncertain) and is not sent
-- again by itself; the functional admin sees it beside the dead letters and may re-queue it.
ALTER TABLE bezorgingen DROP CONSTRAINT bezorgingen_status_check;
ALTER TABLE bezorgingen ADD CONSTRAINT bezorgingen_status_check
    CHECK (status IN ('wachtend', 'verzenden', 'afgeleverd', 'onzeker', 'dood'));
ALTER TABLE bezorgingen ADD COLUMN verzenden_op TIMESTAMP;
CREATE INDEX bezorgingen_verzenden_idx ON bezorgingen (status, geclaimd_tot);

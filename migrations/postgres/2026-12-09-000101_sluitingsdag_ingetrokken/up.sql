-- SLUITINGSDAG_TELT_NA_GEBRUIK: a closed day removed after a deadline owed by the
-- organisation ran across it stays as a tombstone (ingetrokken_op set): no longer a
-- closed day for deadlines or lists, still one of the year's MAX_PER_JAAR, so removing
-- and re-setting days cannot stretch deadlines beyond the cap
-- (crates/referral/src/sluitingsdagen.rs).
ALTER TABLE sluitingsdagen ADD COLUMN ingetrokken_op TIMESTAMP;

-- This migration: which identities in a zorgmelding are children (issue 16, the pilot
-- dashboard's repeat meldingen about the same child). Keep this tree and the other alike.
--
-- `kind`: TRUE for a child of the melding, FALSE for a parent; NULL for a row indexed
-- before this column existed (the dashboard does not count those per child; re-saving the
-- melding or `ketenregie sleutels herbereken` re-indexes it). Set by
-- `referral::opslag::zet_betrokkenen`; only the keyed-hash identity is stored, nothing
-- readable.
ALTER TABLE zorgmelding_betrokkenen ADD COLUMN kind BOOLEAN;

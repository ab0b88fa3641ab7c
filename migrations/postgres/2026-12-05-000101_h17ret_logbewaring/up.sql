-- Issue 17 "Done means" (with 10M processing-log rows, removing a month of logs < 1 s):
-- retention drops a monthly partition of `verwerkingslog` only when every row in it ended
-- before its organisation's term's limit. Without an index on the end that took a scan
-- of the month (twice: once more under the lock). The end is almost always milliseconds
-- after the start, so a row that ended at or after the limit started at most an hour
-- before it (found by a short range of `verwerkingslog_organisatie_idx`), unless it ran
-- longer than an hour: those few rows are in this partial index (organisation, end), which
-- costs a write only for them (crates/privacy/src/logboek/bewaring.rs, `LANG`: the same
-- interval). On the parent, so every partition, also a future one, has its part.
CREATE INDEX verwerkingslog_lang_idx ON verwerkingslog (organisatie, eind_op)
    WHERE eind_op > start_op + interval '1 hour';

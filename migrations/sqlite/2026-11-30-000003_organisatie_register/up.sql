-- Issue 11 (organisations registered, inzage inside one organisation's view). The
-- registered fields of an organisation (kind, legal regime, OIN, code, service area) were
-- already columns of `organisaties`; their changes go to the audit trail with old and new
-- values, so no column is added here.
--
-- The inzage report links the organisation's processing-log rows on a person to its
-- audit rows (who in the organisation processed them) and other organisations' rows to
-- the audit rows of the reads of its data (to whom it disclosed them), by trace id.
CREATE INDEX audittrail_trace_idx ON audittrail (trace_id);

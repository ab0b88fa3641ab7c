DROP INDEX audittrail_trace_idx;

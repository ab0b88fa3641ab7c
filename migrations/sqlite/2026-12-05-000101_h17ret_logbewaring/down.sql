DROP INDEX IF EXISTS verwerkingslog_lang_idx;

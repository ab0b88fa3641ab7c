-- Contact points are versioned like organisations: a strong ETag and If-Match (issue 13).
ALTER TABLE contactpunten ADD COLUMN versie BIGINT NOT NULL DEFAULT 1;

DROP TABLE gebruikte_tokens;
DROP TABLE contactpunten;
DROP TABLE organisatie_gemeenten;
DROP TABLE organisaties;

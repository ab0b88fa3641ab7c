DROP TABLE kwaliteitscontrole;
DROP TABLE idempotentie;
DROP TABLE zorgmelding_stappen;
DROP TABLE zorgmeldingen;

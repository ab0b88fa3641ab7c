DROP TABLE convenant_intrekkingsverzoeken;
DROP TABLE convenant_uittredingen;
DROP TABLE convenant_ondertekeningen;

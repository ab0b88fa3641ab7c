DROP TABLE bezorgingen;
DROP TABLE abonnementen;

DROP TABLE termijnen;

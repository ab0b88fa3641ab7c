DROP TABLE werkplek_sessies;

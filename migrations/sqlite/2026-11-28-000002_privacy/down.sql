DROP TABLE bewaartermijnen;
DROP TABLE eigen_verklaringen;
DROP TABLE verwerkingslog;
DROP TABLE audittrail;
DROP TABLE logketens;
DROP TABLE convenant_partijen;
DROP TABLE convenanten;

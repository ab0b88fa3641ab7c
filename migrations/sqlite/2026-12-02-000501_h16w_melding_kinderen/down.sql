ALTER TABLE zorgmelding_betrokkenen DROP COLUMN kind;

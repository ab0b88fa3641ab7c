DROP TRIGGER stamgegevens_gemeenten_i;
DROP TRIGGER stamgegevens_gemeenten_u;
DROP TRIGGER stamgegevens_gemeenten_d;

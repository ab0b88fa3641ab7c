DROP TRIGGER stamgegevens_gemeenten ON gemeenten;

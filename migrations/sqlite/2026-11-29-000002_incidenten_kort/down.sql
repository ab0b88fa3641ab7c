DROP INDEX incidenten_kort_idx;

-- 005-dropped-indexes.sql: the indexes a bulk load dropped, to build again.
--
-- A bulk load (the demo writing many cases) drops every index of a table
-- but the id's and builds each once at its end, which is much faster than
-- keeping them row by row (awda_store_drop_indexes()). Each dropped
-- index's statement is kept here, in the transaction that drops it, until
-- the index is built again: at the end of the load, or by the next opening
-- of the store should the load have died.
CREATE TABLE dropped_index (
  name TEXT PRIMARY KEY,
  tbl  TEXT NOT NULL,
  sql  TEXT NOT NULL
) WITHOUT ROWID;

-- 003-search-prefix.sql: prefix indexes for search as you type.
-- A one- to three-letter prefix otherwise merges the lists of every term
-- it begins, hundreds of milliseconds on a million cases; with these it
-- reads one list.
CREATE VIRTUAL TABLE case_search_new USING fts5 (
  text,
  tokenize = 'unicode61 remove_diacritics 0',
  detail = none,
  prefix = '1 2 3'
);
INSERT INTO case_search_new (rowid, text) SELECT rowid, text FROM case_search;
DROP TABLE case_search;
ALTER TABLE case_search_new RENAME TO case_search;

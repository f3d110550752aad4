-- 001-store.sql: the store's own tables. The typed tables of the records
-- are made from the data dictionary when the store opens.

CREATE TABLE site (
  num         INTEGER PRIMARY KEY,      -- local number, never exchanged
  id          TEXT NOT NULL UNIQUE,     -- 32 hex digits, 128 random bits
  name        TEXT,
  kind        TEXT,
  governorate TEXT
);

CREATE TABLE installation (
  singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
  site          INTEGER NOT NULL REFERENCES site (num),  -- this installation
  hlc           INTEGER NOT NULL DEFAULT 0,  -- highest clock observed from others
  file_identity TEXT,                        -- device and inode: a copy takes a new site id
  created_on    TEXT NOT NULL
);

-- The change log: one change per field, each with its own (origin, seq).
-- The changes an edit makes to one record share a clock and follow each
-- other in sequence, so they are stored together, one row per edit: a
-- million new cases is then a million rows, not sixteen million.
-- changes is a JSON array with one element per field change, in sequence
-- order from first_seq: [field, value or null, base hlc or null, base site or null].
CREATE TABLE change_set (
  origin    INTEGER NOT NULL REFERENCES site (num),
  first_seq INTEGER NOT NULL,
  last_seq  INTEGER NOT NULL,
  entity    TEXT NOT NULL,
  record    TEXT NOT NULL,
  hlc       INTEGER NOT NULL,
  changes   TEXT NOT NULL CHECK (json_array_length (changes) = last_seq - first_seq + 1),
  PRIMARY KEY (origin, first_seq)
) WITHOUT ROWID;

CREATE INDEX change_set_record ON change_set (record);

-- The change log as it is exchanged and read: one row per field change.
CREATE VIEW change_log (origin, seq, entity, record, field, value, hlc, base_hlc, base_site) AS
  SELECT s.origin, s.first_seq + j.key, s.entity, s.record,
         j.value ->> 0, j.value ->> 1, s.hlc, j.value ->> 2, j.value ->> 3
  FROM change_set s, json_each (s.changes) j;

-- Concurrent values that lost, kept for a person to resolve.
CREATE TABLE conflict (
  id     INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  record TEXT NOT NULL,
  field  TEXT NOT NULL,
  value  TEXT,
  hlc    INTEGER NOT NULL,
  site   INTEGER NOT NULL REFERENCES site (num),
  UNIQUE (entity, record, field, hlc, site)
);

-- The folded names, phone and ID numbers of each case, rowid = the case's.
-- Searches are token prefixes, never phrases: no positions are kept.
CREATE VIRTUAL TABLE case_search USING fts5 (
  text,
  tokenize = 'unicode61 remove_diacritics 0',
  detail = none
);

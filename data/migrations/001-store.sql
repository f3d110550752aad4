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

-- One row per field change, local or received; append-only.
CREATE TABLE change_log (
  origin    INTEGER NOT NULL REFERENCES site (num),
  seq       INTEGER NOT NULL,
  entity    TEXT NOT NULL,
  record    TEXT NOT NULL,
  field     TEXT NOT NULL,
  value     TEXT,                -- NULL: the field was cleared
  hlc       INTEGER NOT NULL,
  base_hlc  INTEGER,             -- the version the writer saw, NULL if none
  base_site INTEGER REFERENCES site (num),
  PRIMARY KEY (origin, seq)
) WITHOUT ROWID;

CREATE INDEX change_log_record ON change_log (record);

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
CREATE VIRTUAL TABLE case_search USING fts5 (
  text,
  tokenize = 'unicode61 remove_diacritics 0'
);

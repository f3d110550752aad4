-- 002-sync.sql: what the sync knows of its peers and of the bundles
-- it exchanged with them.

-- Per peer and origin: the highest sequence up to which the peer has
-- acknowledged holding every change of that origin (the "have" vector of
-- the last bundle received from it). Only a bundle from the peer moves it.
CREATE TABLE sync_ack (
  peer   INTEGER NOT NULL REFERENCES site (num),
  origin INTEGER NOT NULL REFERENCES site (num),
  seq    INTEGER NOT NULL,
  PRIMARY KEY (peer, origin)
) WITHOUT ROWID;

-- Our own vector, per origin: every change up to seq is in the change
-- log. A cache, advanced at each import; the change log is the truth.
CREATE TABLE sync_vector (
  origin INTEGER PRIMARY KEY REFERENCES site (num),
  seq    INTEGER NOT NULL
);

-- The bundles imported (in) and exported (out), the last time each was.
CREATE TABLE sync_bundle (
  id          TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  peer        INTEGER REFERENCES site (num),  -- sender or recipient; NULL: out to every site
  at          TEXT NOT NULL,                  -- ISO 8601, UTC
  created     INTEGER NOT NULL,               -- the sender's clock (HLC)
  changes     INTEGER NOT NULL,
  applied     INTEGER,                        -- in: new changes applied
  present     INTEGER,                        -- in: changes already held
  conflicts   INTEGER,                        -- in: conflicts kept
  quarantined INTEGER,                        -- in: changes set aside
  PRIMARY KEY (id, direction)
) WITHOUT ROWID;

CREATE INDEX sync_bundle_peer ON sync_bundle (peer, direction, at);

-- Changes set aside, not applied: their clock was too far ahead of ours.
-- They stay out of the change log, so the vector of their origin stops
-- before them until they are applied.
CREATE TABLE sync_quarantine (
  origin      INTEGER NOT NULL REFERENCES site (num),
  seq         INTEGER NOT NULL,
  entity      TEXT NOT NULL,
  record      TEXT NOT NULL,
  field       TEXT NOT NULL,
  value       TEXT,
  hlc         INTEGER NOT NULL,
  base_hlc    INTEGER,
  base_site   INTEGER REFERENCES site (num),
  reason      TEXT NOT NULL,                  -- why: 'clock' (too far ahead)
  bundle      TEXT NOT NULL,
  sender      INTEGER REFERENCES site (num),
  received_at TEXT NOT NULL,
  PRIMARY KEY (origin, seq)
) WITHOUT ROWID;

-- 004-case-list-indexes.sql: indexes that answer the case list's filters
-- and orders without reading the cases' rows.
--
-- The typed tables are made from the data dictionary before the numbered
-- migrations run (see migrate() in awda-store.c), so these can name them.
-- On a million demo cases they take about 90 MB (1 % of the file) and
-- about 12 seconds to build, once.

-- A vulnerability filter otherwise reads every case to find the few that
-- have it: a second and a half for none at all. Each index holds only the
-- cases with the flag, in rowid order, so the newest come first.
CREATE INDEX case_vuln_medical ON "case" (deleted) WHERE vuln_medical = 1;
CREATE INDEX case_vuln_psychological ON "case" (deleted) WHERE vuln_psychological = 1;
CREATE INDEX case_vuln_disability ON "case" (deleted) WHERE vuln_disability = 1;
CREATE INDEX case_vuln_single_parent ON "case" (deleted) WHERE vuln_single_parent = 1;
CREATE INDEX case_vuln_unaccompanied_minor ON "case" (deleted) WHERE vuln_unaccompanied_minor = 1;
CREATE INDEX case_vuln_debt ON "case" (deleted) WHERE vuln_debt = 1;

-- The follow-ups not done yet, by case: the overdue filter asks it of
-- each case it lists, and finds the answer in the index alone.
CREATE INDEX follow_up_open ON follow_up (case_id, scheduled_on) WHERE done_on IS NULL AND deleted = 0;

-- The live cases in each order of the list (awda-store-queries.c,
-- sort_clause()), ties broken as there: the first rows of an order are the
-- first entries of its index, and the whole list is read from it in a
-- tenth of a second instead of seconds of reading rows.
CREATE INDEX case_by_name ON "case" (coalesce (family_name, family_name_ar), coalesce (given_name, given_name_ar))
  WHERE deleted = 0;
CREATE INDEX case_by_stage ON "case" (CASE status WHEN 'reception' THEN 0 WHEN 'assessment' THEN 1 WHEN 'plan' THEN 2
                                                    WHEN 'implementation' THEN 3 WHEN 'monitoring' THEN 4 ELSE 5 END,
                                      rowid DESC)
  WHERE deleted = 0;
CREATE INDEX case_by_governorate ON "case" (governorate, rowid DESC) WHERE deleted = 0;
CREATE INDEX case_by_opened ON "case" (opened_on) WHERE deleted = 0;

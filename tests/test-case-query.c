/* test-case-query.c: the case list's queries: whatever index drives them, the same answer
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * awda_store_query_cases() chooses, for each query, the index that drives
 * it and how the other criteria are asked (awda-store-queries.c). The
 * choice must change the speed only: here every combination of filters,
 * search, order and limit, on demo cases some of which are deleted, is
 * compared with the plainest SQL that says what the list means.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "awda-demo.h"
#include "awda-fold.h"
#include "awda-store-private.h"

#define N_CASES 600

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  char      *today;
  char      *programme;
  char      *caseworker;
} Fixture;

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static char *
first_id (AwdaStore  *store,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_nonnull (id);
  return id;
}

static void
set_field (AwdaStore  *store,
           const char *id,
           const char *field,
           const char *value)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", id);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, field, value);
  g_assert_true (awda_store_apply (store, edit, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  AwdaCaseQuery all = { 0 };

  f->dir = g_dir_make_tmp ("awda-test-case-query-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->store = awda_store_create (f->path, "Bureau de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);
  g_assert_true (awda_demo_generate (f->store, N_CASES, 7, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Some cases deleted (tombstones stay in the table), one of them with a
   * vulnerability and a follow-up, so that every index holds the dead. */
  rowids = awda_store_query_cases (f->store, &all, &error);
  g_assert_no_error (error);
  cases = awda_store_fetch_cases (f->store, (const gint64 *) rowids->data, rowids->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cases->len; i += 23)
    {
      const AwdaRecord *record = g_ptr_array_index (cases, i);

      set_field (f->store, record->id, "vuln_single_parent", "true");
      set_field (f->store, record->id, "deleted", "true");
    }

  f->programme = first_id (f->store, "SELECT return_programme FROM \"case\" WHERE return_programme IS NOT NULL"
                                     " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
  f->caseworker = first_id (f->store, "SELECT caseworker FROM \"case\" WHERE caseworker IS NOT NULL"
                                      " GROUP BY 1 ORDER BY count(*) LIMIT 1");
  /* Half the follow-ups not done are overdue that day. */
  f->today = first_id (f->store, "SELECT scheduled_on FROM follow_up WHERE done_on IS NULL ORDER BY scheduled_on"
                                 " LIMIT 1 OFFSET (SELECT count(*) / 2 FROM follow_up WHERE done_on IS NULL)");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->today);
  g_free (f->programme);
  g_free (f->caseworker);
}

/* What the list means, in the plainest SQL, the planner left to itself. */
static GArray *
expected_rowids (AwdaStore           *store,
                 const AwdaCaseQuery *query)
{
  static const char * const orders[][2] = {
    { "c.rowid DESC", "c.rowid" },
    { "coalesce (c.family_name, c.family_name_ar), coalesce (c.given_name, c.given_name_ar), c.rowid",
      "coalesce (c.family_name, c.family_name_ar) DESC, coalesce (c.given_name, c.given_name_ar) DESC, c.rowid DESC" },
    { "CASE c.status WHEN 'reception' THEN 0 WHEN 'assessment' THEN 1 WHEN 'plan' THEN 2"
      " WHEN 'implementation' THEN 3 WHEN 'monitoring' THEN 4 ELSE 5 END, c.rowid DESC",
      "CASE c.status WHEN 'reception' THEN 0 WHEN 'assessment' THEN 1 WHEN 'plan' THEN 2"
      " WHEN 'implementation' THEN 3 WHEN 'monitoring' THEN 4 ELSE 5 END DESC, c.rowid" },
    { "c.governorate, c.rowid DESC", "c.governorate DESC, c.rowid" },
    { "c.opened_on DESC, c.rowid DESC", "c.opened_on, c.rowid" },
  };
  g_autoptr(GString) sql = g_string_new ("SELECT c.rowid FROM \"case\" c WHERE c.deleted = 0");
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  GArray *rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

#define EQUALS(column, value) \
  if ((value) != NULL) \
    { \
      g_string_append (sql, " AND c." column " = ?"); \
      g_ptr_array_add (params, g_strdup (value)); \
    }
  EQUALS ("status", query->status);
  EQUALS ("governorate", query->governorate);
  EQUALS ("return_programme", query->programme);
  EQUALS ("caseworker", query->caseworker);
#undef EQUALS

  if (query->vulnerability != NULL)
    g_string_append_printf (sql, " AND c.\"%s\" = 1", query->vulnerability);
  if (query->search != NULL)
    {
      g_string_append (sql, " AND c.rowid IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)");
      g_ptr_array_add (params, awda_fold_match_query (query->search));
    }
  if (query->overdue)
    {
      g_string_append (sql, " AND EXISTS (SELECT 1 FROM follow_up f WHERE f.case_id = c.id AND f.deleted = 0"
                            " AND f.done_on IS NULL AND f.scheduled_on < ?)");
      g_ptr_array_add (params, g_strdup (query->today));
    }
  g_string_append_printf (sql, " ORDER BY %s", orders[query->sort][query->reversed ? 1 : 0]);
  if (query->limit > 0)
    g_string_append_printf (sql, " LIMIT %u", query->limit);

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (store), sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (params, i), -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, rowid);
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);

  return rowids;
}

static void
describe (GString             *out,
          const AwdaCaseQuery *q)
{
  g_string_printf (out, "search=%s status=%s governorate=%s programme=%s caseworker=%s vulnerability=%s"
                        " overdue=%d sort=%d reversed=%d limit=%u",
                   q->search, q->status, q->governorate, q->programme ? "set" : "(null)",
                   q->caseworker ? "set" : "(null)", q->vulnerability, q->overdue, q->sort, q->reversed, q->limit);
}

/* Random combinations of every criterion, each compared with the plain SQL. */
static void
test_case_query_plans_agree (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const stages[] = { NULL, "reception", "assessment", "plan", "implementation", "monitoring", "closed" };
  static const char * const governorates[] = { NULL, "TN-11", "TN-61" };
  static const char * const vulnerabilities[] = { NULL, "vuln_medical", "vuln_single_parent", "vuln_unaccompanied_minor" };
  static const char * const searches[] = { NULL, "b", "ben", "ben s", "مح", "zzzz" };
  static const guint limits[] = { 0, 1, 7, 200 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(GString) label = g_string_new (NULL);
  guint non_empty = 0;

  for (guint n = 0; n < 800; n++)
    {
      g_autoptr(GArray) got = NULL;
      g_autoptr(GArray) expected = NULL;
      g_autoptr(GError) error = NULL;
      AwdaCaseQuery q = {
        .search = searches[g_rand_int_range (rand, 0, G_N_ELEMENTS (searches))],
        .status = stages[g_rand_int_range (rand, 0, G_N_ELEMENTS (stages))],
        .governorate = governorates[g_rand_int_range (rand, 0, G_N_ELEMENTS (governorates))],
        .programme = g_rand_boolean (rand) ? f->programme : NULL,
        .caseworker = g_rand_int_range (rand, 0, 4) == 0 ? f->caseworker : NULL,
        .vulnerability = vulnerabilities[g_rand_int_range (rand, 0, G_N_ELEMENTS (vulnerabilities))],
        .overdue = g_rand_int_range (rand, 0, 3) == 0,
        .today = f->today,
        .sort = g_rand_int_range (rand, AWDA_CASE_SORT_NEWEST, AWDA_CASE_SORT_OPENED + 1),
        .reversed = g_rand_boolean (rand),
        .limit = limits[g_rand_int_range (rand, 0, G_N_ELEMENTS (limits))],
      };

      got = awda_store_query_cases (f->store, &q, &error);
      g_assert_no_error (error);
      expected = expected_rowids (f->store, &q);

      describe (label, &q);
      if (got->len != expected->len
          || (got->len > 0 && memcmp (got->data, expected->data, got->len * sizeof (gint64)) != 0))
        g_error ("%s: %u cases, %u expected", label->str, got->len, expected->len);
      non_empty += got->len > 0;
    }

  /* The combinations were not all empty. */
  g_assert_cmpuint (non_empty, >, 100);
}

/* The deleted cases are in the indexes (tombstones), never in the list. */
static void
test_case_query_leaves_out_deleted (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) single_parents = NULL;
  AwdaCaseQuery q = { .vulnerability = "vuln_single_parent" };
  sqlite3_stmt *stmt = NULL;
  gint64 dead = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (f->store),
                                       "SELECT count(*) FROM \"case\" WHERE deleted <> 0 AND vuln_single_parent = 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  dead = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (dead, >, 20);

  for (AwdaCaseSort sort = AWDA_CASE_SORT_NEWEST; sort <= AWDA_CASE_SORT_OPENED; sort++)
    {
      g_autoptr(GPtrArray) records = NULL;

      q.sort = sort;
      g_clear_pointer (&single_parents, g_array_unref);
      single_parents = awda_store_query_cases (f->store, &q, &error);
      g_assert_no_error (error);
      records = awda_store_fetch_cases (f->store, (const gint64 *) single_parents->data, single_parents->len, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < records->len; i++)
        g_assert_false (((AwdaRecord *) g_ptr_array_index (records, i))->deleted);
    }
}

/* A query cancelled stops with G_IO_ERROR_CANCELLED, not a SQLite error. */
static void
test_case_query_cancelled (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  AwdaCaseQuery q = { .overdue = TRUE, .today = f->today, .sort = AWDA_CASE_SORT_NAME };

  g_cancellable_cancel (cancellable);
  rowids = awda_store_query_cases_full (f->store, &q, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (rowids);
  g_clear_error (&error);

  /* The connection is none the worse for it. */
  rowids = awda_store_query_cases_full (f->store, &q, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, >, 0);
}

static gboolean
has_index (sqlite3    *db,
           const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* A database of schema 3, with its cases, gets the list's indexes. */
static void
test_case_query_migration (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const indexes[] = {
    "case_vuln_medical", "case_vuln_unaccompanied_minor", "follow_up_open",
    "case_by_name", "case_by_stage", "case_by_governorate", "case_by_opened",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  AwdaCaseQuery q = { .vulnerability = "vuln_medical", .sort = AWDA_CASE_SORT_NAME };
  sqlite3 *db = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    g_assert_true (has_index (awda_store_get_db (f->store), indexes[i]));
  before = awda_store_query_cases (f->store, &q, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);

  /* Back to schema 3, as the previous version left it. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP INDEX %s", indexes[i]);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX case_vuln_psychological; DROP INDEX case_vuln_disability;"
                                     "DROP INDEX case_vuln_single_parent; DROP INDEX case_vuln_debt;"
                                     "DROP TABLE dropped_index; PRAGMA user_version = 3", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->store = awda_store_open (f->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    g_assert_true (has_index (awda_store_get_db (f->store), indexes[i]));

  after = awda_store_query_cases (f->store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, >, 0);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_cmpmem (after->data, after->len * sizeof (gint64), before->data, before->len * sizeof (gint64));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/case-query/plans-agree", test_case_query_plans_agree);
  ADD ("/core/case-query/leaves-out-deleted", test_case_query_leaves_out_deleted);
  ADD ("/core/case-query/cancelled", test_case_query_cancelled);
  ADD ("/core/case-query/migration", test_case_query_migration);
#undef ADD

  return g_test_run ();
}

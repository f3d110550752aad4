/* test-sync-merge.c: bundles, vectors, acknowledgements, merge and conflicts
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "awda-bundle.h"
#include "awda-cli-sync.h"
#include "awda-hlc.h"
#include "sync-test-util.h"

typedef struct
{
  char     *dir;
  TestSite *central;
  TestSite *sfax;
  TestSite *gabes;
  guint     n_bundles;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->central = test_site_new (f->dir, "central", "central");
  f->sfax = test_site_new (f->dir, "sfax", "regional");
  f->gabes = test_site_new (f->dir, "gabes", "regional");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_site_free (f->central);
  test_site_free (f->sfax);
  test_site_free (f->gabes);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

/* How many changes a new case of new_case() writes: its fields and the
 * dictionary's defaults. */
static guint64 n_case;

static char *
bundle_path (Fixture *f)
{
  return g_strdup_printf ("%s/bundle-%u.awda", f->dir, ++f->n_bundles);
}

/* From @from to @to: a bundle for @to (for every site when @to has never
 * written to @from), imported at @to. */
static AwdaSyncImport *
send (Fixture  *f,
      TestSite *from,
      TestSite *to)
{
  g_autofree char *path = bundle_path (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSyncExport) exported = NULL;

  exported = awda_sync_export (from->store, test_site_id (to), path, NULL, NULL, NULL, &error);
  if (g_error_matches (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      exported = awda_sync_export (from->store, NULL, path, NULL, NULL, NULL, &error);
    }
  g_assert_no_error (error);
  return test_import (to, path);
}

static void
assert_same_dump (TestSite *a,
                  TestSite *b)
{
  g_autofree char *dump_a = test_dump (a->store);
  g_autofree char *dump_b = test_dump (b->store);

  g_assert_cmpstr (dump_a, ==, dump_b);
}

static char *
new_case (TestSite   *site,
          const char *given_name)
{
  return test_write (site, "case", NULL,
                     "given_name", given_name, "family_name", "Ben Salah",
                     "status", "reception", "sex", "m", NULL);
}

static char *
field_value (TestSite   *site,
             const char *entity,
             const char *record,
             const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) r = awda_store_get_record (site->store, entity, record, &error);

  g_assert_no_error (error);
  return g_strdup (awda_record_get (r, field));
}

/* The bundle file */

static void
test_bundle_roundtrip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundle_path (f);
  g_autoptr(AwdaBundleHeader) header = awda_bundle_header_new ();
  g_autoptr(AwdaBundleWriter) writer = NULL;
  g_autoptr(AwdaBundleReader) reader = NULL;
  const AwdaBundleHeader *read;
  AwdaBundleChange change;
  static const char *values[] = {
    "Mohamed <b>&amp;</b> \"quoted\" 'single' ]]> end",
    "محمد بن صالح",
    "line one\nline two\ttabbed\r\ncarriage",
    "   spaces kept   ",
    NULL,
    "",
  };
  const char *origin = "0123456789abcdef0123456789abcdef";
  const char *other = "fedcba9876543210fedcba9876543210";
  struct stat st;

  header->id = g_strdup ("01234567-89ab-4def-8123-456789abcdef");
  header->created = G_GUINT64_CONSTANT (115605504000000000);
  header->from_site = g_strdup (origin);
  header->from_name = g_strdup ("Bureau \"central\" <Tunis> & co\n\ttab");
  header->to_site = g_strdup (AWDA_BUNDLE_TO_ALL);
  awda_bundle_header_add_site (header, other, "صفاقس");
  awda_bundle_header_add_have (header, origin, 6);
  awda_bundle_header_add_have (header, other, 0);

  writer = awda_bundle_writer_new (path, header, &error);
  g_assert_no_error (error);
  /* Nothing carries the final name before finish(). */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      AwdaBundleChange c = {
        .origin = origin, .seq = i + 1, .entity = "case",
        .record = "01900000-0000-7000-8000-000000000001", .field = "given_name",
        .value = values[i], .hlc = 1000 + i,
        .base_hlc = i > 0 ? 999 + i : 0, .base_site = i > 0 ? other : NULL,
      };

      g_assert_true (awda_bundle_writer_add (writer, &c, &error));
      g_assert_no_error (error);
    }
  g_assert_true (awda_bundle_writer_finish (writer, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* A bundle holds personal data: its owner alone reads it. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  reader = awda_bundle_reader_new (path, NULL, &error);
  g_assert_no_error (error);
  read = awda_bundle_reader_read_header (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->id, ==, header->id);
  g_assert_cmpuint (read->created, ==, header->created);
  g_assert_cmpstr (read->from_site, ==, origin);
  g_assert_cmpstr (read->from_name, ==, header->from_name);
  g_assert_cmpstr (read->to_site, ==, AWDA_BUNDLE_TO_ALL);
  g_assert_cmpuint (read->sites->len, ==, 1);
  g_assert_cmpstr (((AwdaBundleSite *) g_ptr_array_index (read->sites, 0))->name, ==, "صفاقس");
  g_assert_cmpuint (read->have->len, ==, 2);
  g_assert_cmpuint (g_array_index (read->have, AwdaBundleHave, 0).seq, ==, 6);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_assert_true (awda_bundle_reader_next (reader, &change, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (change.origin, ==, origin);
      g_assert_cmpint (change.seq, ==, i + 1);
      g_assert_cmpstr (change.value, ==, values[i]);
      g_assert_cmpuint (change.hlc, ==, 1000 + i);
      g_assert_cmpuint (change.base_hlc, ==, i > 0 ? 999 + i : 0);
      g_assert_cmpstr (change.base_site, ==, i > 0 ? other : NULL);
    }
  g_assert_false (awda_bundle_reader_next (reader, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (awda_bundle_reader_get_count (reader), ==, G_N_ELEMENTS (values));
}

static void
test_bundle_unwritable_value (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundle_path (f);
  g_autoptr(AwdaBundleHeader) header = awda_bundle_header_new ();
  g_autoptr(AwdaBundleWriter) writer = NULL;
  g_autoptr(GDir) dir = NULL;
  AwdaBundleChange c = {
    .origin = "0123456789abcdef0123456789abcdef", .seq = 1, .entity = "case",
    .record = "01900000-0000-7000-8000-000000000001", .field = "notes",
    .value = "bell\a", .hlc = 1,
  };
  const char *name;

  header->id = g_strdup ("01234567-89ab-4def-8123-456789abcdef");
  header->created = 1;
  header->from_site = g_strdup (c.origin);
  header->to_site = g_strdup (AWDA_BUNDLE_TO_ALL);

  writer = awda_bundle_writer_new (path, header, &error);
  g_assert_no_error (error);
  g_assert_false (awda_bundle_writer_add (writer, &c, &error));
  g_assert_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "notes"));
  g_clear_pointer (&writer, awda_bundle_writer_free);

  /* Neither the bundle nor its temporary file is left behind. */
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part") || g_str_has_suffix (name, ".awda"));
}

/* Every bundle we write is valid against data/awda-bundle.xsd. */
static void
test_bundle_schema (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autofree char *schema = g_test_build_filename (G_TEST_DIST, "..", "data", "awda-bundle.xsd", NULL);
  g_autofree char *case_id = NULL;
  g_autofree char *member = NULL;
  const char *bundles[3];

  if (xmllint == NULL)
    {
      g_test_skip ("xmllint is not installed (Debian package libxml2-utils)");
      return;
    }

  /* Values of every kind, a deletion, a cleared field, a conflict. */
  case_id = test_write (f->sfax, "case", NULL,
                        "given_name", "Amira & <Co>", "family_name", "Trabelsi",
                        "given_name_ar", "أميرة", "status", "assessment", "sex", "f",
                        "birth_date", "1990-04-02", "household_size", "4",
                        "vuln_debt", "true", "host_country", "it",
                        "address", "Rue 1\nSfax", NULL);
  member = test_write (f->sfax, "household_member", NULL, "case_id", case_id, "name", "Youssef", NULL);
  g_free (test_write (f->sfax, "household_member", member, "deleted", "true", NULL));
  g_free (test_write (f->sfax, "case", case_id, "address", "", NULL));
  g_autoptr(AwdaSyncImport) r1 = send (f, f->sfax, f->central);
  g_free (test_write (f->sfax, "case", case_id, "priority", "high", NULL));
  g_free (test_write (f->central, "case", case_id, "priority", "urgent", NULL));
  g_autoptr(AwdaSyncImport) r2 = send (f, f->central, f->sfax);
  g_assert_cmpuint (r2->conflicts, ==, 1);

  bundles[0] = g_strdup_printf ("%s/schema-all.awda", f->dir);
  bundles[1] = g_strdup_printf ("%s/schema-peer.awda", f->dir);
  bundles[2] = g_strdup_printf ("%s/schema-empty.awda", f->dir);
  test_export (f->sfax, NULL, bundles[0]);
  test_export (f->sfax, f->central, bundles[1]);
  test_export (f->gabes, NULL, bundles[2]);

  for (guint i = 0; i < G_N_ELEMENTS (bundles); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *xml = g_strdup_printf ("%s.xml", bundles[i]);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = 0;
      const char *argv[] = { xmllint, "--noout", "--nonet", "--schema", schema, xml, NULL };

      test_gunzip (bundles[i], xml);
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, &error));
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("xmllint refused %s: %s", bundles[i], err);
      g_free ((char *) bundles[i]);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* What an export reads from the store is the change log, change for
 * change: the store keeps its log in its own form, and this test tells
 * when that form and the sync's reading of it part ways. */
static void
test_bundle_matches_log (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundle_path (f);
  g_autofree char *id = NULL;
  g_autoptr(AwdaBundleReader) reader = NULL;
  g_autoptr(GPtrArray) from_log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) from_bundle = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AwdaSyncImport) r = NULL;
  AwdaBundleChange c;
  sqlite3_stmt *stmt;

  id = test_write (f->sfax, "case", NULL, "given_name", "Ré\"mi\\", "status", "plan",
                   "address", "Rue \"7\"\n\tBloc B\\2 — حي 😀", "household_size", "3", NULL);
  g_free (test_write (f->sfax, "case", id, "address", "", NULL));
  r = send (f, f->sfax, f->central);
  g_free (test_write (f->sfax, "case", id, "priority", "high", NULL));
  g_free (test_write (f->central, "case", id, "priority", "low", NULL));
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->sfax);
  g_assert_cmpuint (r->conflicts, ==, 1);
  g_assert_true (awda_sync_resolve_conflict (f->sfax->store,
                                             test_query_int (f->sfax->store, "SELECT min (id) FROM conflict"),
                                             AWDA_SYNC_KEEP_VALUE, "urgent", &error));
  g_assert_no_error (error);

  test_export (f->sfax, NULL, path);
  reader = awda_bundle_reader_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (awda_bundle_reader_read_header (reader, &error));
  while (awda_bundle_reader_next (reader, &c, &error))
    g_ptr_array_add (from_bundle,
                     g_strdup_printf ("%s %" G_GINT64_FORMAT " %s %s %s [%s] %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %s",
                                      c.origin, c.seq, c.entity, c.record, c.field, c.value ? c.value : "(cleared)",
                                      c.hlc, c.base_hlc, c.base_site ? c.base_site : "-"));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (f->sfax->store),
                                       "SELECT o.id, l.seq, l.entity, l.record, l.field, l.value, l.hlc, l.base_hlc, b.id"
                                       " FROM change_log l JOIN site o ON o.num = l.origin"
                                       " LEFT JOIN site b ON b.num = l.base_site", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (from_log,
                     g_strdup_printf ("%s %" G_GINT64_FORMAT " %s %s %s [%s] %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %s",
                                      sqlite3_column_text (stmt, 0), (gint64) sqlite3_column_int64 (stmt, 1),
                                      sqlite3_column_text (stmt, 2), sqlite3_column_text (stmt, 3),
                                      sqlite3_column_text (stmt, 4),
                                      sqlite3_column_type (stmt, 5) == SQLITE_NULL ? "(cleared)"
                                                                                  : (const char *) sqlite3_column_text (stmt, 5),
                                      (guint64) sqlite3_column_int64 (stmt, 6), (guint64) sqlite3_column_int64 (stmt, 7),
                                      sqlite3_column_type (stmt, 8) == SQLITE_NULL ? "-"
                                                                                  : (const char *) sqlite3_column_text (stmt, 8)));
  sqlite3_finalize (stmt);

  g_ptr_array_sort (from_log, compare_strings);
  g_ptr_array_sort (from_bundle, compare_strings);
  g_assert_cmpuint (from_bundle->len, ==, from_log->len);
  for (guint i = 0; i < from_log->len; i++)
    g_assert_cmpstr (g_ptr_array_index (from_bundle, i), ==, g_ptr_array_index (from_log, i));
}

/* Export and import */

static void
test_sync_first_exchange (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = new_case (f->sfax, "Mohamed");
  g_autofree char *path = bundle_path (f);
  g_autofree char *dump = NULL;
  g_autoptr(AwdaSyncImport) first = NULL;
  g_autoptr(AwdaSyncImport) again = NULL;
  guint64 n;

  n = test_export (f->sfax, NULL, path);
  g_assert_cmpuint (n, ==, n_case);

  first = test_import (f->central, path);
  g_assert_cmpuint (first->n_changes, ==, n_case);
  g_assert_cmpuint (first->applied, ==, n_case);
  g_assert_cmpuint (first->present, ==, 0);
  g_assert_cmpuint (first->conflicts, ==, 0);
  g_assert_cmpstr (first->from_site, ==, test_site_id (f->sfax));
  g_assert_cmpstr (first->from_name, ==, "sfax");
  assert_same_dump (f->sfax, f->central);

  /* Importing it again changes nothing. */
  dump = test_dump (f->central->store);
  again = test_import (f->central, path);
  g_assert_cmpuint (again->applied, ==, 0);
  g_assert_cmpuint (again->present, ==, n_case);
  g_assert_cmpuint (again->conflicts, ==, 0);
  {
    g_autofree char *after = test_dump (f->central->store);
    g_assert_cmpstr (after, ==, dump);
  }

  /* The receiver's clock has moved past what it took in. */
  g_assert_cmpuint (awda_store_get_last_hlc (f->central->store), >=,
                    awda_store_get_last_hlc (f->sfax->store));
}

static void
test_sync_acknowledgement (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = new_case (f->sfax, "Mohamed");
  g_autofree char *p1 = bundle_path (f);
  g_autofree char *p2 = bundle_path (f);
  g_autofree char *p3 = bundle_path (f);
  g_autoptr(AwdaSyncImport) r = NULL;

  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->sfax, f->central);
  g_assert_cmpuint (r->applied, ==, n_case);

  /* Central knows sfax holds its own changes: nothing to send back. */
  g_assert_cmpuint (test_export (f->central, f->sfax, p1), ==, 0);

  /* Sfax writes more; until central acknowledges, every bundle for it
   * carries all of it: exporting moves no watermark. */
  g_free (test_write (f->sfax, "case", id, "phone", "+216 98 123 456", NULL));
  g_clear_pointer (&r, awda_sync_import_free);
  r = test_import (f->sfax, p1);   /* central's vector: it holds sfax's case */
  g_assert_cmpuint (test_export (f->sfax, f->central, p2), ==, 1);
  g_assert_cmpuint (test_export (f->sfax, f->central, p3), ==, 1);

  /* The first is lost; the second arrives. */
  g_clear_pointer (&r, awda_sync_import_free);
  r = test_import (f->central, p3);
  g_assert_cmpuint (r->applied, ==, 1);
  assert_same_dump (f->sfax, f->central);

  /* Central's bundle acknowledges it, and sfax then sends nothing. */
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->sfax);
  g_assert_cmpuint (r->n_changes, ==, 0);
  g_assert_cmpuint (test_export (f->sfax, f->central, p1), ==, 0);

  /* A stale bundle arriving late moves nothing back. */
  g_clear_pointer (&r, awda_sync_import_free);
  r = test_import (f->central, p2);
  g_assert_cmpuint (r->applied, ==, 0);
  g_assert_cmpuint (r->present, ==, 1);
  g_assert_cmpuint (test_export (f->sfax, f->central, p1), ==, 0);
}

static void
test_sync_relay (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *a = new_case (f->sfax, "Sami");
  g_autofree char *b = new_case (f->gabes, "Hedi");
  g_autoptr(AwdaSyncImport) r = NULL;

  /* The regions never meet: central carries their changes across. */
  r = send (f, f->sfax, f->central);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->gabes, f->central);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->sfax);
  g_assert_cmpuint (r->applied, ==, n_case);   /* gabes's case */
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->gabes);
  g_assert_cmpuint (r->applied, ==, n_case);   /* sfax's case */

  assert_same_dump (f->sfax, f->central);
  assert_same_dump (f->gabes, f->central);

  /* Gabes edits sfax's case; it reaches sfax through central. */
  g_free (test_write (f->gabes, "case", a, "status", "assessment", NULL));
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->gabes, f->central);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->sfax);
  g_assert_cmpuint (r->applied, ==, 1);
  {
    g_autofree char *status = field_value (f->sfax, "case", a, "status");
    g_assert_cmpstr (status, ==, "assessment");
  }
  assert_same_dump (f->sfax, f->gabes);
}

static void
test_sync_concurrent_conflict (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = new_case (f->sfax, "Walid");
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  AwdaSyncConflict *c;
  g_autofree char *winner = NULL;

  r = send (f, f->sfax, f->central);
  g_clear_pointer (&r, awda_sync_import_free);

  /* The same field, at both ends, before either hears of the other. */
  g_free (test_write (f->sfax, "case", id, "phone", "+216 74 000 001", NULL));
  f->central->now_ms += 5;
  g_free (test_write (f->central, "case", id, "phone", "+216 71 000 002", NULL));

  r = send (f, f->central, f->sfax);
  g_assert_cmpuint (r->applied, ==, 1);
  g_assert_cmpuint (r->conflicts, ==, 1);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->sfax, f->central);
  g_assert_cmpuint (r->conflicts, ==, 1);
  assert_same_dump (f->sfax, f->central);

  /* The later write wins everywhere; the other is kept, not lost. */
  winner = field_value (f->sfax, "case", id, "phone");
  g_assert_cmpstr (winner, ==, "+216 71 000 002");
  conflicts = awda_sync_list_conflicts (f->sfax->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (c->entity, ==, "case");
  g_assert_cmpstr (c->record, ==, id);
  g_assert_cmpstr (c->field, ==, "phone");
  g_assert_cmpstr (c->current_value, ==, "+216 71 000 002");
  g_assert_cmpstr (c->current_site, ==, test_site_id (f->central));
  g_assert_cmpstr (c->current_site_name, ==, "central");
  g_assert_cmpstr (c->kept_value, ==, "+216 74 000 001");
  g_assert_cmpstr (c->kept_site, ==, test_site_id (f->sfax));

  /* Sfax takes its own value back: an ordinary write that syncs. */
  g_assert_true (awda_sync_resolve_conflict (f->sfax->store, c->id, AWDA_SYNC_KEEP_OTHER, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = awda_sync_list_conflicts (f->sfax->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 0);

  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->sfax, f->central);
  g_assert_cmpuint (r->conflicts, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = awda_sync_list_conflicts (f->central->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&winner, g_free);
  winner = field_value (f->central, "case", id, "phone");
  g_assert_cmpstr (winner, ==, "+216 74 000 001");
  assert_same_dump (f->sfax, f->central);
}

static void
test_sync_equal_clocks (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = new_case (f->central, "Nizar");
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autofree char *v1 = NULL;

  r = send (f, f->central, f->sfax);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->gabes);
  g_clear_pointer (&r, awda_sync_import_free);

  /* Both regions write at the very same clock reading: the site id
   * breaks the tie, the same way at every site. */
  f->sfax->now_ms = f->gabes->now_ms = SYNC_TEST_EPOCH_MS + 60000;
  g_free (test_write (f->sfax, "case", id, "priority", "high", NULL));
  g_free (test_write (f->gabes, "case", id, "priority", "low", NULL));
  g_assert_cmpuint (test_query_int (f->sfax->store, "SELECT max (hlc) FROM change_log"), ==,
                    test_query_int (f->gabes->store, "SELECT max (hlc) FROM change_log"));

  r = send (f, f->sfax, f->central);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->gabes, f->central);
  g_assert_cmpuint (r->conflicts, ==, 1);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->sfax);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->gabes);

  assert_same_dump (f->sfax, f->gabes);
  assert_same_dump (f->sfax, f->central);
  v1 = field_value (f->sfax, "case", id, "priority");
  g_assert_cmpstr (v1, ==, strcmp (test_site_id (f->sfax), test_site_id (f->gabes)) > 0 ? "high" : "low");
}

static void
test_sync_delete_and_transfer (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *office_sfax = NULL;
  g_autofree char *office_gabes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *member = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = NULL;

  office_sfax = test_write (f->central, "office", NULL, "name", "Sfax", "kind", "regional", NULL);
  office_gabes = test_write (f->central, "office", NULL, "name", "Gabès", "kind", "regional", NULL);
  r = send (f, f->central, f->sfax);
  g_clear_pointer (&r, awda_sync_import_free);

  id = test_write (f->sfax, "case", NULL, "given_name", "Karim", "status", "plan",
                   "owner_office", office_sfax, NULL);
  member = test_write (f->sfax, "household_member", NULL, "case_id", id, "name", "Ines", NULL);
  r = send (f, f->sfax, f->central);
  g_clear_pointer (&r, awda_sync_import_free);

  /* Central moves the case to Gabès and deletes the member. */
  g_free (test_write (f->central, "case", id, "owner_office", office_gabes, NULL));
  g_free (test_write (f->central, "household_member", member, "deleted", "true", NULL));
  r = send (f, f->central, f->sfax);
  g_assert_cmpuint (r->applied, ==, 2);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->central, f->gabes);

  owner = field_value (f->sfax, "case", id, "owner_office");
  g_assert_cmpstr (owner, ==, office_gabes);
  record = awda_store_get_record (f->sfax->store, "household_member", member, &error);
  g_assert_no_error (error);
  g_assert_true (record->deleted);
  assert_same_dump (f->sfax, f->central);
  assert_same_dump (f->gabes, f->central);
}

/* A bundle is applied completely or not at all. */
static void
test_sync_atomic (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundle_path (f);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(AwdaBundleHeader) header = awda_bundle_header_new ();
  g_autoptr(AwdaBundleWriter) writer = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;
  const char *origin = test_site_id (f->sfax);
  AwdaBundleChange good = {
    .origin = origin, .seq = 1, .entity = "case", .record = "01900000-0000-7000-8000-000000000001",
    .field = "status", .value = "reception", .hlc = awda_hlc_from_ms (SYNC_TEST_EPOCH_MS),
  };
  AwdaBundleChange bad = good;

  bad.seq = 2;
  bad.field = "sex";
  bad.value = "x";
  bad.hlc++;

  header->id = g_uuid_string_random ();
  header->created = bad.hlc;
  header->from_site = g_strdup (origin);
  header->from_name = g_strdup ("sfax");
  header->to_site = g_strdup (AWDA_BUNDLE_TO_ALL);
  awda_bundle_header_add_have (header, origin, 2);
  writer = awda_bundle_writer_new (path, header, &error);
  g_assert_no_error (error);
  g_assert_true (awda_bundle_writer_add (writer, &good, &error));
  g_assert_true (awda_bundle_writer_add (writer, &bad, &error));
  g_assert_true (awda_bundle_writer_finish (writer, &error));
  g_assert_no_error (error);

  before = test_dump (f->central->store);
  r = awda_sync_import (f->central->store, path, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID);
  /* Where, and what. */
  g_assert_nonnull (strstr (error->message, "line 10"));
  g_assert_nonnull (strstr (error->message, "“x”"));
  after = test_dump (f->central->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (test_query_int (f->central->store, "SELECT count (*) FROM change_log"), ==, 0);
  g_assert_cmpint (test_query_int (f->central->store, "SELECT count (*) FROM sync_ack"), ==, 0);
  g_assert_cmpint (test_query_int (f->central->store, "SELECT count (*) FROM sync_bundle"), ==, 0);
  g_assert_cmpint (test_query_int (f->central->store, "SELECT count (*) FROM site"), ==, 1);
}

static void
test_sync_cancel (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = bundle_path (f);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autoptr(AwdaSyncExport) e = NULL;

  g_assert_true (awda_store_begin (f->sfax->store, &error));
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Case %u", i);
      g_free (new_case (f->sfax, name));
    }
  g_assert_true (awda_store_commit (f->sfax->store, &error));
  test_export (f->sfax, NULL, path);

  before = test_dump (f->central->store);
  g_cancellable_cancel (cancellable);
  r = awda_sync_import (f->central->store, path, NULL, NULL, cancellable, &error);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = test_dump (f->central->store);
  g_assert_cmpstr (after, ==, before);

  /* A cancelled export leaves no file under the name. */
  g_clear_error (&error);
  g_unlink (path);
  e = awda_sync_export (f->sfax->store, NULL, path, NULL, NULL, cancellable, &error);
  g_assert_null (e);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

typedef struct
{
  guint  calls;
  double last;
} ProgressLog;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  g_assert_cmpfloat (fraction, >=, log->last);
  log->last = fraction;
  log->calls++;
}

static void
test_sync_progress (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundle_path (f);
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autoptr(AwdaSyncExport) e = NULL;
  ProgressLog log = { 0 };

  g_assert_true (awda_store_begin (f->sfax->store, &error));
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Case %u", i);
      g_free (new_case (f->sfax, name));
    }
  g_assert_true (awda_store_commit (f->sfax->store, &error));

  e = awda_sync_export (f->sfax->store, NULL, path, progress_cb, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (e->n_changes, ==, 5000 * n_case);
  g_assert_cmpuint (log.calls, >, 2);
  g_assert_cmpfloat (log.last, ==, 1.0);

  log = (ProgressLog) { 0 };
  r = awda_sync_import (f->central->store, path, progress_cb, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->applied, ==, 5000 * n_case);
  g_assert_cmpuint (log.calls, >, 2);
  g_assert_cmpfloat (log.last, ==, 1.0);
}

/* Whom a bundle is for */

static void
test_sync_recipient (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *for_central = bundle_path (f);
  g_autofree char *own = bundle_path (f);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;

  g_free (new_case (f->sfax, "Ali"));
  r = send (f, f->central, f->sfax);   /* sfax now knows central */
  g_clear_pointer (&r, awda_sync_import_free);
  test_export (f->sfax, f->central, for_central);

  before = test_dump (f->gabes->store);
  r = awda_sync_import (f->gabes->store, for_central, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, test_site_id (f->central)));
  g_assert_nonnull (strstr (error->message, "not to this one"));
  after = test_dump (f->gabes->store);
  g_assert_cmpstr (after, ==, before);

  /* Nor does a site import its own bundle. */
  g_clear_error (&error);
  test_export (f->sfax, NULL, own);
  r = awda_sync_import (f->sfax->store, own, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_REFUSED);

  /* Nor export for itself, or for a site it never heard from. */
  g_clear_error (&error);
  g_assert_null (awda_sync_export (f->sfax->store, test_site_id (f->sfax), own, NULL, NULL, NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (awda_sync_export (f->sfax->store, test_site_id (f->gabes), own, NULL, NULL, NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND);
}

/* A clock far ahead */

static void
test_sync_quarantine (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundle_path (f);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *id = NULL;
  g_autofree char *later = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autoptr(AwdaSyncImport) again = NULL;
  g_autoptr(GPtrArray) quarantine = NULL;
  g_autoptr(GPtrArray) vector = NULL;
  guint64 hlc_before;

  /* Gabès's clock says a year from now. */
  f->gabes->now_ms = SYNC_TEST_EPOCH_MS + G_GINT64_CONSTANT (365) * 86400000;
  id = new_case (f->gabes, "Future");
  test_export (f->gabes, NULL, path);

  before = test_dump (f->central->store);
  hlc_before = awda_store_get_last_hlc (f->central->store);
  r = test_import (f->central, path);
  g_assert_cmpuint (r->quarantined, ==, n_case);
  g_assert_cmpuint (r->applied, ==, 0);
  after = test_dump (f->central->store);
  g_assert_cmpstr (after, ==, before);
  /* Central's clock did not jump a year. */
  g_assert_cmpuint (awda_store_get_last_hlc (f->central->store), ==, hlc_before);

  /* Shown, with why. */
  quarantine = awda_sync_list_quarantine (f->central->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarantine->len, ==, n_case);
  g_assert_nonnull (strstr (((AwdaSyncQuarantined *) g_ptr_array_index (quarantine, 0))->reason, "365 days ahead"));

  /* The vector for gabès stops before them: they will be sent again. */
  vector = awda_sync_get_vector (f->central->store, &error);
  for (guint i = 0; i < vector->len; i++)
    g_assert_cmpstr (((AwdaSyncVectorEntry *) g_ptr_array_index (vector, i))->origin, !=, test_site_id (f->gabes));

  /* Again: nothing more. */
  again = test_import (f->central, path);
  g_assert_cmpuint (again->quarantined, ==, n_case);
  g_assert_cmpint (test_query_int (f->central->store, "SELECT count (*) FROM sync_quarantine"), ==, n_case);

  /* A year later, the next import applies them. */
  f->central->now_ms = f->gabes->now_ms;
  g_clear_pointer (&again, awda_sync_import_free);
  again = test_import (f->central, path);
  g_assert_cmpuint (again->released, ==, n_case);
  g_assert_cmpuint (again->present, ==, n_case);
  g_assert_cmpint (test_query_int (f->central->store, "SELECT count (*) FROM sync_quarantine"), ==, 0);
  later = field_value (f->central, "case", id, "given_name");
  g_assert_cmpstr (later, ==, "Future");
  assert_same_dump (f->central, f->gabes);
}

/* Peers */

static void
test_sync_peers (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autofree char *path = bundle_path (f);
  AwdaSyncPeer *sfax = NULL, *gabes = NULL;

  g_free (new_case (f->sfax, "Ali"));
  g_free (new_case (f->gabes, "Omar"));
  r = send (f, f->sfax, f->central);
  g_clear_pointer (&r, awda_sync_import_free);
  r = send (f, f->gabes, f->central);
  g_clear_pointer (&r, awda_sync_import_free);
  test_export (f->central, f->sfax, path);   /* not delivered */
  g_free (new_case (f->central, "Bechir"));

  peers = awda_sync_list_peers (f->central->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 2);
  for (guint i = 0; i < peers->len; i++)
    {
      AwdaSyncPeer *p = g_ptr_array_index (peers, i);

      if (g_strcmp0 (p->id, test_site_id (f->sfax)) == 0)
        sfax = p;
      if (g_strcmp0 (p->id, test_site_id (f->gabes)) == 0)
        gabes = p;
    }
  g_assert_nonnull (sfax);
  g_assert_nonnull (gabes);
  g_assert_cmpstr (sfax->name, ==, "sfax");
  g_assert_nonnull (sfax->last_in_at);
  g_assert_nonnull (sfax->last_out_at);
  g_assert_null (gabes->last_out_at);
  /* Sfax holds its own case; it lacks gabès's and central's. */
  g_assert_cmpuint (sfax->acknowledged->len, ==, 1);
  g_assert_cmpint (((AwdaSyncVectorEntry *) g_ptr_array_index (sfax->acknowledged, 0))->seq, ==, n_case);
  g_assert_cmpuint (sfax->pending, ==, 2 * n_case);
  g_assert_cmpuint (gabes->pending, ==, 2 * n_case);
}

/* The command line */

static char *
run_cli (AwdaStore *store,
         int (*func) (AwdaStore *, int, char **),
         int         expected_status,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out_path = g_build_filename (g_get_tmp_dir (), "awda-cli-out-XXXXXX", NULL);
  char *contents = NULL;
  const char *arg;
  va_list ap;
  int fd, saved, status;

  va_start (ap, expected_status);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  fd = g_mkstemp (out_path);
  g_assert_cmpint (fd, >=, 0);
  fflush (stdout);
  saved = dup (STDOUT_FILENO);
  dup2 (fd, STDOUT_FILENO);
  status = func (store, (int) args->len - 1, (char **) args->pdata);
  fflush (stdout);
  dup2 (saved, STDOUT_FILENO);
  close (saved);
  close (fd);

  g_assert_true (g_file_get_contents (out_path, &contents, NULL, NULL));
  g_unlink (out_path);
  g_assert_cmpint (status, ==, expected_status);
  return contents;
}

static void
test_sync_cli (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *p1 = bundle_path (f);
  g_autofree char *p2 = bundle_path (f);
  g_autofree char *missing = g_build_filename (f->dir, "missing.awda", NULL);
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.awda", NULL);
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *id = new_case (f->sfax, "Mounir");
  g_autofree char *conflict_id = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;
  g_auto(GStrv) fields = NULL;

  out = run_cli (f->sfax->store, awda_cli_export, AWDA_EXIT_OK, "export", "--all", "--output", p1, NULL);
  expected = g_strdup_printf ("%u changes written to %s.\n", (guint) n_case, p1);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);

  /* Usage errors */
  g_free (run_cli (f->sfax->store, awda_cli_export, AWDA_EXIT_USAGE, "export", "--output", p1, NULL));
  g_free (run_cli (f->sfax->store, awda_cli_export, AWDA_EXIT_USAGE, "export", "--all", NULL));
  g_free (run_cli (f->sfax->store, awda_cli_export, AWDA_EXIT_USAGE,
                   "export", "--all", "--to", test_site_id (f->central), "--output", p1, NULL));
  g_free (run_cli (f->sfax->store, awda_cli_import, AWDA_EXIT_USAGE, "import", NULL));
  /* An unknown site is refused input. */
  g_free (run_cli (f->sfax->store, awda_cli_export, AWDA_EXIT_REFUSED,
                   "export", "--to", test_site_id (f->gabes), "--output", p2, NULL));
  g_assert_false (g_file_test (p2, G_FILE_TEST_EXISTS));

  /* One refused bundle among others: they still import, status 2. */
  g_assert_true (g_file_set_contents (garbage, "not a bundle", -1, NULL));
  out = run_cli (f->central->store, awda_cli_import, AWDA_EXIT_REFUSED,
                 "import", missing, p1, garbage, p1, NULL);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: %u applied, 0 already present, 0 conflicts kept.\n"
                              "%s: 0 applied, %u already present, 0 conflicts kept.\n",
                              p1, (guint) n_case, p1, (guint) n_case);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);

  /* A conflict, listed, then resolved. */
  g_free (test_write (f->sfax, "case", id, "priority", "high", NULL));
  f->central->now_ms += 10;
  g_free (test_write (f->central, "case", id, "priority", "urgent", NULL));
  r = send (f, f->central, f->sfax);
  g_assert_cmpuint (r->conflicts, ==, 1);

  out = run_cli (f->sfax->store, awda_cli_conflicts, AWDA_EXIT_OK, "conflicts", NULL);
  fields = g_strsplit (out, "\t", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 8);
  conflict_id = g_strdup (fields[0]);
  g_assert_cmpstr (fields[1], ==, "case");
  g_assert_cmpstr (fields[2], ==, id);
  g_assert_cmpstr (fields[3], ==, "priority");
  g_assert_cmpstr (fields[4], ==, "urgent");
  g_assert_true (g_str_has_prefix (fields[5], "central ("));
  g_assert_cmpstr (fields[6], ==, "high");
  g_assert_true (g_str_has_prefix (fields[7], "sfax ("));
  g_clear_pointer (&out, g_free);

  g_free (run_cli (f->sfax->store, awda_cli_conflicts, AWDA_EXIT_USAGE, "conflicts", "resolve", conflict_id, NULL));
  g_free (run_cli (f->sfax->store, awda_cli_conflicts, AWDA_EXIT_REFUSED,
                   "conflicts", "resolve", "999", "--keep-current", NULL));
  g_free (run_cli (f->sfax->store, awda_cli_conflicts, AWDA_EXIT_REFUSED,
                   "conflicts", "resolve", conflict_id, "--value", "sometimes", NULL));
  out = run_cli (f->sfax->store, awda_cli_conflicts, AWDA_EXIT_OK,
                 "conflicts", "resolve", conflict_id, "--value", "normal", NULL);
  g_clear_pointer (&out, g_free);
  out = run_cli (f->sfax->store, awda_cli_conflicts, AWDA_EXIT_OK, "conflicts", NULL);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  {
    g_autofree char *priority = field_value (f->sfax, "case", id, "priority");
    g_assert_cmpstr (priority, ==, "normal");
  }

  /* peers */
  out = run_cli (f->sfax->store, awda_cli_peers, AWDA_EXIT_OK, "peers", NULL);
  g_assert_nonnull (strstr (out, "id: "));
  g_assert_nonnull (strstr (out, test_site_id (f->central)));
  g_assert_nonnull (strstr (out, "name: central\n"));
  g_assert_nonnull (strstr (out, "last in: "));
  /* sfax's own "high", and its resolution: one change per version it supersedes */
  g_assert_nonnull (strstr (out, "pending: 3\n"));
}

/* Merge runs */

/* Everything a merge writes, in a text that two stores can compare: the
 * typed rows with their versions, in the order they were added, the
 * kept conflicts, the change log and the search documents. Sites are
 * shown by id, as their local numbers may differ. */
static char *
merge_state (AwdaStore *store)
{
  sqlite3 *db = awda_store_get_db (store);
  g_autoptr(GHashTable) sites = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  GString *s = g_string_new (NULL);
  const AwdaEntity *entities;
  sqlite3_stmt *stmt;
  guint n_entities;

#define SITE(column) ((const char *) g_hash_table_lookup (sites, &(gint64) { sqlite3_column_int64 (stmt, column) }))

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT num, id FROM site", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (sites, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  entities = awda_dictionary_get_entities (&n_entities);
  for (guint e = 0; e < n_entities; e++)
    {
      const AwdaEntity *entity = &entities[e];
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\" ORDER BY rowid",
                                              awda_store_entity_columns (store, entity), entity->name);

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_append_printf (s, "%s %s:", entity->name, sqlite3_column_text (stmt, 1));
          for (int c = 2; c < sqlite3_column_count (stmt); c++)
            {
              /* deleted__site, then every field's __site */
              gboolean is_site = c == 4 || (c >= AWDA_FIRST_FIELD_COLUMN && (c - AWDA_FIRST_FIELD_COLUMN) % 3 == 2);

              if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
                g_string_append (s, " -");
              else
                g_string_append_printf (s, " %s", is_site ? SITE (c) : (const char *) sqlite3_column_text (stmt, c));
            }
          g_string_append_c (s, '\n');
        }
      sqlite3_finalize (stmt);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT entity, record, field, value, hlc, site FROM conflict"
                                           " ORDER BY entity, record, field, hlc, site", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (s, "conflict %s %s %s %s %lld %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                            sqlite3_column_text (stmt, 3), (long long) sqlite3_column_int64 (stmt, 4), SITE (5));
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT origin, seq, entity, record, field, value, hlc, base_hlc, base_site"
                                           " FROM change_log ORDER BY origin, seq", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (s, "log %s %lld %s %s %s %s %lld %lld %s\n", SITE (0),
                            (long long) sqlite3_column_int64 (stmt, 1), sqlite3_column_text (stmt, 2),
                            sqlite3_column_text (stmt, 3), sqlite3_column_text (stmt, 4), sqlite3_column_text (stmt, 5),
                            (long long) sqlite3_column_int64 (stmt, 6), (long long) sqlite3_column_int64 (stmt, 7),
                            sqlite3_column_type (stmt, 8) == SQLITE_NULL ? "-" : SITE (8));
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT c.id, s.text FROM case_search s JOIN \"case\" c ON c.rowid = s.rowid"
                                           " ORDER BY c.id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (s, "search %s %s\n", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);

#undef SITE
  return g_string_free (s, FALSE);
}

typedef struct
{
  guint64 hlc;
  guint   site;
} Version;

/* Random received changes, as several sites writing the same few
 * records would send them: edits of a few fields at once, bases that are
 * the current version, an older one or none, equal clocks at different
 * sites, cleared values, deletes, and changes that come twice. */
static GArray *
random_changes (GRand *rand,
                guint  n_edits)
{
  static const char *const sites[] = {
    "1111111111111111aaaaaaaaaaaaaaaa",
    "2222222222222222bbbbbbbbbbbbbbbb",
    "3333333333333333cccccccccccccccc",
  };
  static const char *const records[] = {
    "0190a1b2-c3d4-7e5f-8a9b-000000000001",
    "0190a1b2-c3d4-7e5f-8a9b-000000000002",
    "0190a1b2-c3d4-7e5f-8a9b-000000000003",
    "0190a1b2-c3d4-7e5f-8a9b-000000000004",
    "0190a1b2-c3d4-7e5f-8a9b-000000000005",
  };
  static const struct
  {
    const char *field;
    const char *values[4];
  } fields[] = {
    { "given_name", { "Olfa", "Sami", "Leïla", "عائشة" } },
    { "family_name", { "Ben Salah", "Trabelsi", "Jaziri", NULL } },
    { "phone", { "+216 98 000 001", "+216 71 000 002", NULL, NULL } },
    { "status", { "reception", "assessment", "plan", "closed" } },
    { "household_size", { "1", "4", "12", NULL } },
    { "vuln_debt", { "true", "false", NULL, NULL } },
    { "deleted", { "true", "false", NULL, NULL } },
  };
  GArray *changes = g_array_new (FALSE, TRUE, sizeof (AwdaChange));
  /* Every version written, per record and field. */
  GArray *versions[G_N_ELEMENTS (records)][G_N_ELEMENTS (fields)];
  gint64 seqs[G_N_ELEMENTS (sites)] = { 0 };
  guint64 clock = awda_hlc_from_ms (SYNC_TEST_EPOCH_MS);
  guint last_site = G_MAXUINT;

  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
      versions[r][k] = g_array_new (FALSE, FALSE, sizeof (Version));

  for (guint e = 0; e < n_edits; e++)
    {
      guint site = g_rand_int_range (rand, 0, G_N_ELEMENTS (sites));
      guint r = g_rand_int_range (rand, 0, G_N_ELEMENTS (records));
      guint n_fields = g_rand_int_range (rand, 1, 5);
      guint first = g_rand_int_range (rand, 0, G_N_ELEMENTS (fields));
      /* Now and then, the clock of another site's last edit. */
      guint64 hlc = g_rand_int_range (rand, 0, 8) == 0 && site != last_site ? clock : ++clock;

      for (guint i = 0; i < n_fields && first + i < G_N_ELEMENTS (fields); i++)
        {
          guint k = first + i;
          GArray *seen = versions[r][k];
          guint n_values = 0;
          AwdaChange c = {
            .origin = sites[site], .seq = ++seqs[site], .entity = "case", .record = records[r],
            .field = fields[k].field, .hlc = hlc,
          };
          Version v = { hlc, site };
          guint pick;

          while (n_values < G_N_ELEMENTS (fields[k].values) && fields[k].values[n_values] != NULL)
            n_values++;
          pick = g_rand_int_range (rand, 0, n_values + 1);
          c.value = pick < n_values ? fields[k].values[pick] : NULL;

          /* The base: mostly the latest version, sometimes an older one
           * (a concurrent write), sometimes none. */
          if (seen->len > 0 && g_rand_int_range (rand, 0, 6) != 0)
            {
              guint b = g_rand_int_range (rand, 0, 3) == 0 ? (guint) g_rand_int_range (rand, 0, seen->len) : seen->len - 1;
              Version *base = &g_array_index (seen, Version, b);

              if (base->hlc < hlc)
                {
                  c.base_hlc = base->hlc;
                  c.base_site = sites[base->site];
                }
            }
          g_array_append_val (seen, v);
          g_array_append_val (changes, c);
          last_site = site;

          /* Now and then a change comes twice. */
          if (g_rand_int_range (rand, 0, 20) == 0)
            {
              AwdaChange again = g_array_index (changes, AwdaChange, g_rand_int_range (rand, 0, changes->len));
              g_array_append_val (changes, again);
            }
        }
    }

  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
      g_array_unref (versions[r][k]);
  return changes;
}

/* The merge rule on its own, in memory, to check the store against: per
 * field the larger (HLC, site id) wins, a value the winner's writer did
 * not see is kept, a losing change is kept, and applying a change drops
 * its base from the kept values. */
typedef struct
{
  GHashTable *seen;       /* "origin seq" */
  GHashTable *current;    /* "record field" → "value @hlc site" */
  GHashTable *conflicts;  /* "record field hlc site" → value */
} MergeModel;

typedef struct
{
  char    *value;   /* NULL: cleared */
  guint64  hlc;
  char    *site;
} ModelVersion;

static void
model_version_free (gpointer data)
{
  ModelVersion *v = data;

  g_free (v->value);
  g_free (v->site);
  g_free (v);
}

static void
merge_model_init (MergeModel *m)
{
  m->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  m->current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, model_version_free);
  m->conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, model_version_free);
}

static void
merge_model_clear (MergeModel *m)
{
  g_hash_table_unref (m->seen);
  g_hash_table_unref (m->current);
  g_hash_table_unref (m->conflicts);
}

static void
model_keep (MergeModel *m,
            const char *key,
            const char *value,
            guint64     hlc,
            const char *site)
{
  char *conflict_key = g_strdup_printf ("%s %020" G_GUINT64_FORMAT " %s", key, hlc, site);
  ModelVersion *v;

  /* The first value kept for a version stays, as INSERT OR IGNORE does. */
  if (g_hash_table_contains (m->conflicts, conflict_key))
    {
      g_free (conflict_key);
      return;
    }
  v = g_new0 (ModelVersion, 1);
  v->value = g_strdup (value);
  v->hlc = hlc;
  v->site = g_strdup (site);
  g_hash_table_insert (m->conflicts, conflict_key, v);
}

static AwdaMergeOutcome
merge_model_add (MergeModel       *m,
                 const AwdaChange *c)
{
  g_autofree char *seen_key = g_strdup_printf ("%s %" G_GINT64_FORMAT, c->origin, c->seq);
  g_autofree char *key = g_strdup_printf ("%s %s", c->record, c->field);
  ModelVersion *cur;
  gboolean kept = FALSE, is_deleted = strcmp (c->field, "deleted") == 0;
  int cmp;

  if (!g_hash_table_add (m->seen, g_steal_pointer (&seen_key)))
    return AWDA_MERGE_PRESENT;

  cur = g_hash_table_lookup (m->current, key);
  cmp = cur == NULL ? 1 : c->hlc != cur->hlc ? (c->hlc < cur->hlc ? -1 : 1) : strcmp (c->origin, cur->site);
  if (cmp > 0)
    {
      ModelVersion *v = g_new0 (ModelVersion, 1);

      if (cur != NULL && !(cur->hlc == c->base_hlc && g_strcmp0 (cur->site, c->base_site) == 0))
        {
          model_keep (m, key, cur->value, cur->hlc, cur->site);
          kept = TRUE;
        }
      /* The deleted field is stored as a flag: cleared is false. */
      v->value = is_deleted ? g_strdup (g_strcmp0 (c->value, "true") == 0 ? "true" : "false") : g_strdup (c->value);
      v->hlc = c->hlc;
      v->site = g_strdup (c->origin);
      g_hash_table_insert (m->current, g_strdup (key), v);
    }
  else if (cmp < 0)
    {
      model_keep (m, key, c->value, c->hlc, c->origin);
      kept = TRUE;
    }

  if (c->base_site != NULL)
    {
      g_autofree char *base_key = g_strdup_printf ("%s %020" G_GUINT64_FORMAT " %s", key, c->base_hlc, c->base_site);

      g_hash_table_remove (m->conflicts, base_key);
    }
  return kept ? AWDA_MERGE_CONFLICT : AWDA_MERGE_APPLIED;
}

static char *
sorted_lines (GPtrArray *lines)
{
  GString *s = g_string_new (NULL);

  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (s, g_ptr_array_index (lines, i));
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

static char *
model_text (MergeModel *m)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, m->current);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ModelVersion *v = value;

      g_ptr_array_add (lines, g_strdup_printf ("%s = %s @%" G_GUINT64_FORMAT " %s",
                                               (char *) key, v->value ? v->value : "-", v->hlc, v->site));
    }
  g_hash_table_iter_init (&iter, m->conflicts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ModelVersion *v = value;
      g_autofree char *record_field = g_strndup (key, strlen (key) - 54);   /* " hlc site" */

      g_ptr_array_add (lines, g_strdup_printf ("conflict %s = %s @%" G_GUINT64_FORMAT " %s",
                                               record_field, v->value ? v->value : "-", v->hlc, v->site));
    }
  return sorted_lines (lines);
}

/* The same text, from the store: the fields the model holds, and every
 * kept conflict. */
static char *
store_text (AwdaStore  *store,
            MergeModel *m)
{
  sqlite3 *db = awda_store_get_db (store);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *stmt;

  g_hash_table_iter_init (&iter, m->current);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_auto(GStrv) parts = g_strsplit (key, " ", 2);
      const char *field = parts[1];
      g_autofree char *sql = NULL;

      if (strcmp (field, "deleted") == 0)
        sql = g_strdup ("SELECT CASE deleted WHEN 1 THEN 'true' ELSE 'false' END, deleted__hlc, s.id"
                        " FROM \"case\" c LEFT JOIN site s ON s.num = c.deleted__site WHERE c.id = ?");
      else if (strcmp (field, "vuln_debt") == 0)
        sql = g_strdup ("SELECT CASE vuln_debt WHEN 1 THEN 'true' WHEN 0 THEN 'false' END, vuln_debt__hlc, s.id"
                        " FROM \"case\" c LEFT JOIN site s ON s.num = c.vuln_debt__site WHERE c.id = ?");
      else
        sql = g_strdup_printf ("SELECT \"%1$s\", \"%1$s__hlc\", s.id FROM \"case\" c"
                               " LEFT JOIN site s ON s.num = c.\"%1$s__site\" WHERE c.id = ?", field);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, parts[0], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_ptr_array_add (lines, g_strdup_printf ("%s = %s @%lld %s", (char *) key,
                                               sqlite3_column_type (stmt, 0) == SQLITE_NULL ? "-"
                                               : (const char *) sqlite3_column_text (stmt, 0),
                                               (long long) sqlite3_column_int64 (stmt, 1), sqlite3_column_text (stmt, 2)));
      sqlite3_finalize (stmt);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT k.record, k.field, k.value, k.hlc, s.id FROM conflict k"
                                           " JOIN site s ON s.num = k.site", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup_printf ("conflict %s %s = %s @%lld %s", sqlite3_column_text (stmt, 0),
                                             sqlite3_column_text (stmt, 1),
                                             sqlite3_column_type (stmt, 2) == SQLITE_NULL ? "-"
                                             : (const char *) sqlite3_column_text (stmt, 2),
                                             (long long) sqlite3_column_int64 (stmt, 3), sqlite3_column_text (stmt, 4)));
  sqlite3_finalize (stmt);
  return sorted_lines (lines);
}

/* Every case is found by the words of its current names. */
static void
assert_names_found (AwdaStore  *store,
                    MergeModel *m)
{
  static const char *const words[][2] = {
    { "Olfa", "olfa" }, { "Sami", "sami" }, { "Leïla", "leila" },
    { "Ben Salah", "salah" }, { "Trabelsi", "trabelsi" }, { "Jaziri", "jaziri" },
  };
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, m->current);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, " ", 2);
      ModelVersion *v = value;

      if (v->value == NULL || (strcmp (parts[1], "given_name") != 0 && strcmp (parts[1], "family_name") != 0))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (words); i++)
        if (strcmp (v->value, words[i][0]) == 0)
          {
            sqlite3_stmt *stmt;

            g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (store),
                                                 "SELECT count (*) FROM case_search WHERE case_search MATCH ?"
                                                 " AND rowid = (SELECT rowid FROM \"case\" WHERE id = ?)",
                                                 -1, &stmt, NULL), ==, SQLITE_OK);
            sqlite3_bind_text (stmt, 1, words[i][1], -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 2, parts[0], -1, SQLITE_STATIC);
            g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
            if (sqlite3_column_int (stmt, 0) != 1)
              g_error ("The case %s is not found by “%s”, the word of its %s", parts[0], words[i][1], parts[1]);
            sqlite3_finalize (stmt);
          }
    }
}

/* The same changes merged one at a time and by runs (flushed at random
 * points) leave the same rows, versions, conflicts, log and search
 * documents, with the same outcome for each change; and what they leave
 * is what the rule alone gives. */
static void
test_sync_merge_run_matches_one_by_one (Fixture       *f,
                                        gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 12; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) changes = random_changes (rand, 60);
      g_autoptr(GError) error = NULL;
      g_autoptr(AwdaMergeRun) run = NULL;
      g_autofree char *one_by_one = NULL;
      g_autofree char *by_runs = NULL;
      g_autofree char *name_a = g_strdup_printf ("one-%u", seed);
      g_autofree char *name_b = g_strdup_printf ("run-%u", seed);
      g_autofree char *expected = NULL;
      g_autofree char *found = NULL;
      MergeModel model;
      /* A part before, in the database already when the rest comes. */
      guint split = g_rand_int_range (rand, 0, changes->len);
      TestSite *a, *b;

      test_site_free (f->central);
      test_site_free (f->sfax);
      f->central = test_site_new (f->dir, name_a, "central");
      f->sfax = test_site_new (f->dir, name_b, "central");
      a = f->central;
      b = f->sfax;
      merge_model_init (&model);

      for (guint part = 0; part < 2; part++)
        {
          guint from = part == 0 ? 0 : split;
          guint to = part == 0 ? split : changes->len;

          g_assert_true (awda_store_begin (a->store, &error));
          g_assert_true (awda_store_begin (b->store, &error));
          run = awda_merge_run_new (b->store);
          for (guint i = from; i < to; i++)
            {
              const AwdaChange *c = &g_array_index (changes, AwdaChange, i);
              AwdaMergeOutcome outcome_a, outcome_b;

              g_assert_true (awda_store_merge_change (a->store, c, &outcome_a, &error));
              g_assert_no_error (error);
              g_assert_true (awda_merge_run_add (run, c, &outcome_b, &error));
              g_assert_no_error (error);
              g_assert_cmpint (outcome_a, ==, outcome_b);
              g_assert_cmpint (outcome_b, ==, merge_model_add (&model, c));
              if (g_rand_int_range (rand, 0, 25) == 0)
                g_assert_true (awda_merge_run_flush (run, &error));
            }
          g_assert_true (awda_merge_run_flush (run, &error));
          g_assert_no_error (error);
          g_clear_pointer (&run, awda_merge_run_free);
          g_assert_true (awda_store_commit (a->store, &error));
          g_assert_true (awda_store_commit (b->store, &error));
        }

      one_by_one = merge_state (a->store);
      by_runs = merge_state (b->store);
      g_assert_cmpstr (one_by_one, ==, by_runs);
      /* And both are what the rule says. */
      expected = model_text (&model);
      found = store_text (b->store, &model);
      g_assert_cmpstr (expected, ==, found);
      assert_names_found (b->store, &model);
      merge_model_clear (&model);
      /* The changes made conflicts, and a change set of several changes. */
      g_assert_cmpint (test_query_int (b->store, "SELECT count (*) FROM conflict"), >, 0);
      g_assert_cmpint (test_query_int (b->store, "SELECT max (last_seq - first_seq) FROM change_set"), >, 0);
    }
}

/* A received value is taken exactly when it is its own canonical form,
 * whatever path the merge's check takes for it. */
static void
test_sync_merge_canonical_values (Fixture       *f,
                                  gconstpointer  data)
{
  static const char *const values[] = {
    "abc", " abc", "abc ", "a b", "a\tb", "a\nb", "a\x7f" "b", "Le\xc3\xafla", "Lei\xcc\x88la", "عائشة",
    "0", "7", "-7", "-0", "007", "+7", "1950", "2100", "2101", "12.5", "12.50", "12,5", "1e3",
    "2024-02-29", "2023-02-29", "1899-12-31", "2024-2-9", "2024-02-29 ",
    "true", "false", "TRUE", "yes", "1",
    "FR", "fr", "ZZ", "TN-61",
    "reception", "Reception", "f", "m", "TND",
    "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B", "0190a1b2",
  };
  const char *origin = "4444444444444444dddddddddddddddd";
  g_autofree char *long_text = g_strnfill (AWDA_TEXT_MAX_LENGTH + 1, 'x');
  const AwdaEntity *entities;
  guint n_entities, n_checked = 0;
  gint64 seq = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_store_begin (f->central->store, &error));
  entities = awda_dictionary_get_entities (&n_entities);
  for (guint e = 0; e < n_entities; e++)
    for (guint i = 0; i <= entities[e].n_fields; i++)
      {
        const AwdaEntity *entity = &entities[e];
        const AwdaField *field = i < entity->n_fields ? &entity->fields[i] : awda_dictionary_deleted_field ();

        for (guint v = 0; v <= G_N_ELEMENTS (values); v++)
          {
            const char *value = v < G_N_ELEMENTS (values) ? values[v] : long_text;
            g_autoptr(GError) normal_error = NULL;
            g_autoptr(GError) merge_error = NULL;
            g_autofree char *canonical = awda_field_normalize (entity, field, value, &normal_error);
            gboolean expected = canonical != NULL && *canonical != '\0' && strcmp (canonical, value) == 0;
            AwdaChange c = {
              .origin = origin, .seq = ++seq, .entity = entity->name,
              .record = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", .field = field->name,
              .value = value, .hlc = awda_hlc_from_ms (SYNC_TEST_EPOCH_MS) + (guint64) seq,
            };
            AwdaMergeOutcome outcome;
            gboolean merged = awda_store_merge_change (f->central->store, &c, &outcome, &merge_error);

            if (merged != expected)
              g_error ("“%s” for %s.%s: merged %d, canonical form “%s”", value, entity->name, field->name,
                       merged, canonical ? canonical : "(refused)");
            if (!merged)
              g_assert_error (merge_error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
            n_checked++;
          }
      }
  awda_store_rollback (f->central->store);
  g_assert_cmpuint (n_checked, >, 1000);
}

/* Records written with many different sets of fields, more than a run
 * keeps statements for, each get exactly their own values. */
static void
test_sync_merge_many_field_sets (Fixture       *f,
                                 gconstpointer  data)
{
  static const char *const fields[][2] = {
    { "given_name", "Olfa" }, { "family_name", "Jaziri" }, { "phone", "+216 98 000 001" },
    { "status", "plan" }, { "household_size", "4" }, { "vuln_debt", "true" },
    { "birth_date", "1990-05-17" }, { "host_country", "FR" }, { "occupation", "Baker" },
  };
  const char *origin = "4444444444444444dddddddddddddddd";
  guint64 t = awda_hlc_from_ms (SYNC_TEST_EPOCH_MS);
  const guint n_records = 1u << G_N_ELEMENTS (fields);
  g_autoptr(AwdaMergeRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_true (awda_store_begin (f->central->store, &error));
  run = awda_merge_run_new (f->central->store);
  /* Twice: new records, then the same ones edited with other values, by
   * the writer of the first values. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint r = 1; r < n_records; r++)
        {
          g_autofree char *record = g_strdup_printf ("0190a1b2-c3d4-7e5f-8a9b-%012x", r);

          for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
            if (r & (1u << k))
              {
                g_autofree char *value = pass == 0 || k >= 3 ? g_strdup (fields[k][1])
                                         : g_strdup_printf ("%s %u", fields[k][1], r);
                AwdaChange c = {
                  .origin = origin, .seq = ++seq, .entity = "case", .record = record,
                  .field = fields[k][0], .value = value, .hlc = t + pass * n_records + r,
                  .base_hlc = pass == 0 ? 0 : t + r, .base_site = pass == 0 ? NULL : origin,
                };
                AwdaMergeOutcome outcome;

                g_assert_true (awda_merge_run_add (run, &c, &outcome, &error));
                g_assert_no_error (error);
                g_assert_cmpint (outcome, ==, AWDA_MERGE_APPLIED);
              }
        }
      g_assert_true (awda_merge_run_flush (run, &error));
    }
  g_assert_true (awda_store_commit (f->central->store, &error));

  for (guint r = 1; r < n_records; r++)
    {
      g_autofree char *record = g_strdup_printf ("0190a1b2-c3d4-7e5f-8a9b-%012x", r);
      g_autoptr(AwdaRecord) rec = awda_store_get_record (f->central->store, "case", record, &error);

      g_assert_no_error (error);
      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        {
          g_autofree char *expected = !(r & (1u << k)) ? NULL
                                      : k >= 3 ? g_strdup (fields[k][1]) : g_strdup_printf ("%s %u", fields[k][1], r);

          g_assert_cmpstr (awda_record_get (rec, fields[k][0]), ==, expected);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  {
    Fixture f = { 0 };

    fixture_set_up (&f, NULL);
    g_free (new_case (f.sfax, "Count"));
    n_case = (guint64) test_query_int (f.sfax->store, "SELECT count (*) FROM change_log");
    fixture_tear_down (&f, NULL);
  }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/bundle/roundtrip", test_bundle_roundtrip);
  ADD ("/sync/bundle/unwritable-value", test_bundle_unwritable_value);
  ADD ("/sync/bundle/schema", test_bundle_schema);
  ADD ("/sync/bundle/matches-log", test_bundle_matches_log);
  ADD ("/sync/merge/first-exchange", test_sync_first_exchange);
  ADD ("/sync/merge/acknowledgement", test_sync_acknowledgement);
  ADD ("/sync/merge/relay", test_sync_relay);
  ADD ("/sync/merge/concurrent-conflict", test_sync_concurrent_conflict);
  ADD ("/sync/merge/equal-clocks", test_sync_equal_clocks);
  ADD ("/sync/merge/delete-and-transfer", test_sync_delete_and_transfer);
  ADD ("/sync/merge/atomic", test_sync_atomic);
  ADD ("/sync/merge/cancel", test_sync_cancel);
  ADD ("/sync/merge/progress", test_sync_progress);
  ADD ("/sync/merge/recipient", test_sync_recipient);
  ADD ("/sync/merge/quarantine", test_sync_quarantine);
  ADD ("/sync/merge/peers", test_sync_peers);
  ADD ("/sync/merge/cli", test_sync_cli);
  ADD ("/sync/merge/run-matches-one-by-one", test_sync_merge_run_matches_one_by_one);
  ADD ("/sync/merge/canonical-values", test_sync_merge_canonical_values);
  ADD ("/sync/merge/many-field-sets", test_sync_merge_many_field_sets);
#undef ADD

  return g_test_run ();
}

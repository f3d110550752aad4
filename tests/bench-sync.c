/* bench-sync.c: the speed and memory of export and import, against two floors
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `meson test --benchmark sync`: a bundle of 1,000,000 changes (realistic
 * demo data; AWDA_BENCH_CHANGES sets another number) is exported, then
 * imported into a fresh database, each in a child process. In the same
 * run, on the same file, two floors are measured:
 *
 *  - `xmllint --stream --noout` over the decompressed XML;
 *  - a plain prepared INSERT of as many rows, with the change log's
 *    columns, into a table with no index, in one transaction.
 *
 * Targets (issue 3): import ≤ 2 × (xmllint + INSERT), import peak
 * resident memory < 100 MB, export ≤ 3 × xmllint over its output. The
 * sender's database is made once and kept in the folder given (the build
 * folder's bench/), as it takes a while.
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "awda-bundle.h"
#include "awda-demo.h"
#include "sync-test-util.h"

typedef struct
{
  double wall;   /* seconds */
  double cpu;    /* user + system */
  glong  rss_kb; /* peak resident, of a child */
} Measure;

static double
tv_seconds (struct timeval tv)
{
  return (double) tv.tv_sec + (double) tv.tv_usec / 1e6;
}

/* Our own children print their peak resident memory (VmHWM) last: the
 * rusage of a child also counts the parent's pages it shared between
 * fork and exec. */
static glong
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line ? strtol (line + strlen ("VmHWM:"), NULL, 10) : 0;
}

static Measure
run_child (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  Measure m = { 0 };
  struct rusage ru;
  gint64 start = g_get_monotonic_time ();
  GPid pid;
  int status, out;
  g_autoptr(GString) text = g_string_new (NULL);
  char buf[4096];
  gssize n;
  const char *hwm;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &pid, NULL, &out, NULL, &error))
    g_error ("Could not start %s: %s", argv[0], error->message);
  while ((n = read (out, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buf, n);
  close (out);
  while (wait4 (pid, &status, 0, &ru) < 0)
    if (errno != EINTR)
      g_error ("wait4: %s", g_strerror (errno));
  m.wall = (double) (g_get_monotonic_time () - start) / 1e6;
  m.cpu = tv_seconds (ru.ru_utime) + tv_seconds (ru.ru_stime);
  hwm = strstr (text->str, "peak-rss-kb ");
  m.rss_kb = hwm ? strtol (hwm + strlen ("peak-rss-kb "), NULL, 10) : 0;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s %s failed", argv[0], argv[1]);
  return m;
}

static double
self_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return tv_seconds (ru.ru_utime) + tv_seconds (ru.ru_stime);
}

/* The sender's own changes are all it holds: its last sequence number. */
static gint64
local_changes (AwdaStore *store)
{
  return test_query_int (store, "SELECT coalesce ((SELECT last_seq FROM change_set"
                                " WHERE origin = (SELECT site FROM installation) ORDER BY first_seq DESC LIMIT 1), 0)");
}

/* The sender: demo data up to exactly @n changes in its log. */
static void
make_sender (const char *path,
             gint64      n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) store = awda_store_create (path, "Bureau de Sfax", "regional", "TN-61", &error);
  gint64 count = 0;
  guint64 seed = 1;

  g_assert_no_error (error);
  g_print ("Making a sender with %" G_GINT64_FORMAT " changes (once) …\n", n);
  for (;;)
    {
      guint batch;

      count = local_changes (store);
      if (count >= n * 98 / 100)
        break;
      /* About 80 changes a demo case. */
      batch = (guint) MAX (1, MIN (2000, (n * 98 / 100 - count) / 90));
      if (!awda_demo_generate (store, batch, seed++, NULL, NULL, &error))
        g_error ("demo: %s", error->message);
    }

  /* Top up with single-field edits, to the exact number. */
  g_assert_true (awda_store_begin (store, &error));
  for (gint64 i = 0; count < n; i++)
    {
      g_autoptr(GArray) ids = NULL;
      AwdaCaseQuery query = { .limit = 1000 };
      g_autoptr(GPtrArray) rows = NULL;

      ids = awda_store_query_cases (store, &query, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < ids->len && count < n; j++)
        {
          gint64 rowid = g_array_index (ids, gint64, j);
          g_autoptr(GPtrArray) fetched = awda_store_fetch_cases (store, &rowid, 1, &error);
          AwdaRecord *record = g_ptr_array_index (fetched, 0);
          g_autoptr(AwdaEdit) edit = awda_edit_new ("case", record->id);
          g_autofree char *phone = g_strdup_printf ("+216 98 %03u %03u", (guint) (i % 1000), j);

          awda_edit_set (edit, "phone", phone);
          if (!awda_store_apply (store, edit, &error))
            g_error ("top-up: %s", error->message);
          count = local_changes (store);
        }
    }
  g_assert_true (awda_store_commit (store, &error));
  g_assert_cmpint (count, ==, n);
}

/* The INSERT floor: the change log's rows, read beforehand, written by a
 * prepared INSERT into a table without index, in one transaction, with
 * the store's journal settings. */
typedef struct
{
  gint64  origin, seq, hlc, base_hlc, base_site;
  char   *entity, *record, *field, *value;
} Row;

static Measure
insert_floor (const char *sender,
              const char *path)
{
  sqlite3 *src, *db;
  sqlite3_stmt *stmt;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));
  GStringChunk *strings = g_string_chunk_new (1 << 20);
  Measure m = { 0 };
  gint64 start;
  double cpu;

  g_assert_cmpint (sqlite3_open_v2 (sender, &src, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (src, "SELECT origin, seq, entity, record, field, value, hlc, base_hlc, base_site"
                                            " FROM change_log", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Row r = {
        .origin = sqlite3_column_int64 (stmt, 0),
        .seq = sqlite3_column_int64 (stmt, 1),
        .entity = g_string_chunk_insert_const (strings, (const char *) sqlite3_column_text (stmt, 2)),
        .record = g_string_chunk_insert (strings, (const char *) sqlite3_column_text (stmt, 3)),
        .field = g_string_chunk_insert_const (strings, (const char *) sqlite3_column_text (stmt, 4)),
        .value = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? NULL
                 : g_string_chunk_insert (strings, (const char *) sqlite3_column_text (stmt, 5)),
        .hlc = sqlite3_column_int64 (stmt, 6),
        .base_hlc = sqlite3_column_int64 (stmt, 7),
        .base_site = sqlite3_column_int64 (stmt, 8),
      };
      g_array_append_val (rows, r);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (src);

  g_unlink (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                     "PRAGMA cache_size = -32000;"
                                     "CREATE TABLE change_log (origin INTEGER, seq INTEGER, entity TEXT, record TEXT,"
                                     " field TEXT, value TEXT, hlc INTEGER, base_hlc INTEGER, base_site INTEGER)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  start = g_get_monotonic_time ();
  cpu = self_cpu ();
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO change_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = &g_array_index (rows, Row, i);

      sqlite3_bind_int64 (stmt, 1, r->origin);
      sqlite3_bind_int64 (stmt, 2, r->seq);
      sqlite3_bind_text (stmt, 3, r->entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, r->record, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, r->field, -1, SQLITE_STATIC);
      if (r->value != NULL)
        sqlite3_bind_text (stmt, 6, r->value, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 6);
      sqlite3_bind_int64 (stmt, 7, r->hlc);
      if (r->base_site != 0)
        {
          sqlite3_bind_int64 (stmt, 8, r->base_hlc);
          sqlite3_bind_int64 (stmt, 9, r->base_site);
        }
      else
        {
          sqlite3_bind_null (stmt, 8);
          sqlite3_bind_null (stmt, 9);
        }
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  m.cpu = self_cpu () - cpu;
  m.wall = (double) (g_get_monotonic_time () - start) / 1e6;

  sqlite3_close (db);
  g_array_unref (rows);
  g_string_chunk_free (strings);
  return m;
}

static int child_work (const char *mode,
                       const char *db,
                       const char *bundle);

static int
child_main (const char *mode,
            const char *db,
            const char *bundle)
{
  int status = child_work (mode, db, bundle);

  printf ("peak-rss-kb %ld\n", peak_rss_kb ());
  return status;
}

static int
child_work (const char *mode,
            const char *db,
            const char *bundle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) store = NULL;

  if (strcmp (mode, "--read") == 0)
    {
      /* The reader alone, every check but the store's. */
      g_autoptr(AwdaBundleReader) reader = awda_bundle_reader_new (bundle, NULL, &error);
      AwdaBundleChange change;

      if (reader == NULL || awda_bundle_reader_read_header (reader, &error) == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      while (awda_bundle_reader_next (reader, &change, &error))
        ;
      if (error != NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (strcmp (mode, "--verify") == 0)
    return awda_bundle_verify_gzip (bundle, NULL, NULL, &error) ? 0 : 1;
  store = awda_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (strcmp (mode, "--export") == 0)
    {
      g_autoptr(AwdaSyncExport) result = awda_sync_export (store, NULL, bundle, NULL, NULL, NULL, &error);

      if (result == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }
  else
    {
      g_autoptr(AwdaSyncImport) result = awda_sync_import (store, bundle, NULL, NULL, NULL, &error);

      if (result == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }
}

static void
print_measure (const char *what,
               Measure     m)
{
  g_print ("  %-44s %8.2f s wall %8.2f s cpu", what, m.wall, m.cpu);
  if (m.rss_kb > 0)
    g_print ("  %6.1f MB peak RSS", m.rss_kb / 1024.0);
  g_print ("\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *receiver = NULL;
  g_autofree char *floor_db = NULL;
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  gint64 n = 1000000;
  Measure export, import, lint, insert, read, verify;
  gboolean ok = TRUE;
  double import_limit, export_limit;

  if (argc == 4 && (strcmp (argv[1], "--import") == 0 || strcmp (argv[1], "--export") == 0 ||
                    strcmp (argv[1], "--read") == 0 || strcmp (argv[1], "--verify") == 0))
    return child_main (argv[1], argv[2], argv[3]);

  setlocale (LC_ALL, "");
  if (g_getenv ("AWDA_BENCH_CHANGES") != NULL)
    n = g_ascii_strtoll (g_getenv ("AWDA_BENCH_CHANGES"), NULL, 10);
  if (xmllint == NULL)
    {
      g_printerr ("xmllint is not installed (Debian package libxml2-utils)\n");
      return 77;
    }

  self = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  dir = g_strdup (argc > 1 ? argv[1] : "bench");
  g_mkdir_with_parents (dir, 0700);
  sender = g_strdup_printf ("%s/sync-sender-%" G_GINT64_FORMAT ".db", dir, n);
  bundle = g_strdup_printf ("%s/sync-%" G_GINT64_FORMAT ".awda", dir, n);
  xml = g_strdup_printf ("%s/sync-%" G_GINT64_FORMAT ".xml", dir, n);
  receiver = g_strdup_printf ("%s/sync-receiver.db", dir);
  floor_db = g_strdup_printf ("%s/sync-floor.db", dir);

  if (!g_file_test (sender, G_FILE_TEST_EXISTS))
    make_sender (sender, n);

  /* Export, then xmllint over its output. */
  g_unlink (bundle);
  {
    const char *args[] = { self, "--export", sender, bundle, NULL };
    export = run_child (args);
  }
  test_gunzip (bundle, xml);
  {
    const char *args[] = { xmllint, "--stream", "--noout", xml, NULL };
    lint = run_child (args);
  }

  /* The INSERT floor. */
  insert = insert_floor (sender, floor_db);

  /* The parts of an import that are ours, for the record. */
  {
    const char *args[] = { self, "--verify", receiver, bundle, NULL };
    verify = run_child (args);
  }
  {
    const char *args[] = { self, "--read", receiver, bundle, NULL };
    read = run_child (args);
  }

  /* Import into a fresh database. */
  {
    g_autoptr(AwdaStore) store = NULL;
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (receiver, suffixes[i], NULL);
        g_unlink (file);
      }
    store = awda_store_create (receiver, "Plateforme centrale", "central", "TN-11", &error);
    g_assert_no_error (error);
  }
  {
    const char *args[] = { self, "--import", receiver, bundle, NULL };
    import = run_child (args);
  }

  {
    GStatBuf st_bundle, st_xml;

    g_stat (bundle, &st_bundle);
    g_stat (xml, &st_xml);
    g_print ("\nSync bundle of %" G_GINT64_FORMAT " changes: %.1f MB compressed, %.1f MB of XML\n\n",
             n, st_bundle.st_size / 1e6, st_xml.st_size / 1e6);
  }
  print_measure ("xmllint --stream --noout (floor)", lint);
  print_measure ("prepared INSERT, one transaction (floor)", insert);
  print_measure ("import (spool, verify, parse, merge, commit)", import);
  print_measure ("  of which: verify the gzip stream", verify);
  print_measure ("  of which: read and check every change", read);
  g_print ("  %-44s %8.2f s wall %8.2f s cpu\n", "  of which: the store's merge and commit (rest)",
           import.wall - verify.wall - read.wall, import.cpu - verify.cpu - read.cpu);
  print_measure ("export", export);

  import_limit = 2 * (lint.wall + insert.wall);
  export_limit = 3 * lint.wall;
  g_print ("\n");
  g_print ("  import  %.2f s  ≤ 2 × (%.2f + %.2f) = %.2f s   %s  (cpu: %.2f ≤ %.2f %s)\n",
           import.wall, lint.wall, insert.wall, import_limit, import.wall <= import_limit ? "PASS" : "FAIL",
           import.cpu, 2 * (lint.cpu + insert.cpu), import.cpu <= 2 * (lint.cpu + insert.cpu) ? "pass" : "fail");
  g_print ("  import  %.1f MB peak RSS < 100 MB   %s\n",
           import.rss_kb / 1024.0, import.rss_kb < 100 * 1024 ? "PASS" : "FAIL");
  g_print ("  export  %.2f s  ≤ 3 × %.2f = %.2f s   %s  (cpu: %.2f ≤ %.2f %s)\n",
           export.wall, lint.wall, export_limit, export.wall <= export_limit ? "PASS" : "FAIL",
           export.cpu, 3 * lint.cpu, export.cpu <= 3 * lint.cpu ? "pass" : "fail");

  ok = import.wall <= import_limit && import.rss_kb < 100 * 1024 && export.wall <= export_limit;

  g_unlink (xml);
  for (guint i = 0; i < 3; i++)
    {
      static const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *floor_file = g_strconcat (floor_db, suffixes[i], NULL);
      g_autofree char *receiver_file = g_strconcat (receiver, suffixes[i], NULL);

      g_unlink (floor_file);
      g_unlink (receiver_file);
    }
  {
    g_autofree char *spool = g_strconcat (receiver, "-spool", NULL);
    g_rmdir (spool);
  }
  return ok ? 0 : 1;
}

/* sync-test-util.h: sites, bundles and dumps for the sync tests
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "awda-store-private.h"
#include "awda-sync.h"

/* 2025-11-24, a Monday */
#define SYNC_TEST_EPOCH_MS G_GINT64_CONSTANT (1764000000000)

typedef struct
{
  char      *name;
  char      *path;
  AwdaStore *store;
  gint64     now_ms;   /* the site's wall clock */
} TestSite;

static gint64
test_site_clock (gpointer user_data)
{
  TestSite *site = user_data;

  return site->now_ms;
}

static G_GNUC_UNUSED TestSite *
test_site_new (const char *dir,
               const char *name,
               const char *kind)
{
  g_autoptr(GError) error = NULL;
  TestSite *site = g_new0 (TestSite, 1);

  site->name = g_strdup (name);
  site->path = g_strdup_printf ("%s/%s.db", dir, name);
  site->now_ms = SYNC_TEST_EPOCH_MS;
  site->store = awda_store_create (site->path, name, kind, NULL, &error);
  g_assert_no_error (error);
  awda_store_set_wall_clock (site->store, test_site_clock, site);
  return site;
}

static G_GNUC_UNUSED void
test_site_close (TestSite *site)
{
  g_clear_object (&site->store);
}

static G_GNUC_UNUSED void
test_site_reopen (TestSite *site)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&site->store);
  site->store = awda_store_open (site->path, &error);
  g_assert_no_error (error);
  awda_store_set_wall_clock (site->store, test_site_clock, site);
}

static G_GNUC_UNUSED void
test_site_free (TestSite *site)
{
  g_clear_object (&site->store);
  g_free (site->name);
  g_free (site->path);
  g_free (site);
}

static G_GNUC_UNUSED const char *
test_site_id (TestSite *site)
{
  return awda_store_get_site (site->store)->id;
}

static G_GNUC_UNUSED char *
test_dump (AwdaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  char nul = '\0';

  g_assert_true (awda_store_dump (store, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, &nul, 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static G_GNUC_UNUSED char *
test_file_checksum (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static G_GNUC_UNUSED void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static G_GNUC_UNUSED guint64
test_export (TestSite   *site,
             TestSite   *to,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSyncExport) result = NULL;

  result = awda_sync_export (site->store, to ? test_site_id (to) : NULL, path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result->n_changes;
}

static G_GNUC_UNUSED AwdaSyncImport *
test_import (TestSite   *site,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  AwdaSyncImport *result;

  result = awda_sync_import (site->store, path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* Writes @field = @value on a record of @entity (a new one when @record
 * is NULL) and returns the record's id. */
static G_GNUC_UNUSED char *
test_write (TestSite   *site,
            const char *entity,
            const char *record,
            ...) G_GNUC_NULL_TERMINATED;

static G_GNUC_UNUSED char *
test_write (TestSite   *site,
            const char *entity,
            const char *record,
            ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, record);
  const char *field;
  va_list args;

  va_start (args, record);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  g_assert_true (awda_store_apply (site->store, edit, &error));
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

/* The number of rows a query on @store returns as its one integer. */
static G_GNUC_UNUSED gint64
test_query_int (AwdaStore  *store,
                const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Decompresses a bundle to @xml_path with GIO's zlib, for xmllint. */
static G_GNUC_UNUSED void
test_gunzip (const char *path,
             const char *xml_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) in_file = g_file_new_for_path (path);
  g_autoptr(GFile) out_file = g_file_new_for_path (xml_path);
  g_autoptr(GFileInputStream) in = g_file_read (in_file, NULL, &error);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) converted = NULL;

  g_assert_no_error (error);
  out = g_file_replace (out_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  converted = g_converter_input_stream_new (G_INPUT_STREAM (in), G_CONVERTER (decompressor));
  g_output_stream_splice (G_OUTPUT_STREAM (out), converted,
                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
}

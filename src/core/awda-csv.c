/* awda-csv.c: CSV export of the indicator tables and of the case list, and atomic file writes
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda-csv"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "awda-csv.h"

#define BOM "\xef\xbb\xbf"
#define CASE_PAGE 512

/* Atomic files */

struct _AwdaAtomicFile
{
  char          *path;
  char          *tmp;
  int            fd;
  GOutputStream *stream;
};

AwdaAtomicFile *
awda_atomic_file_new (const char  *path,
                      int          mode,
                      GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  AwdaAtomicFile *file;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);

  file = g_new0 (AwdaAtomicFile, 1);
  file->path = g_strdup (path);
  /* Hidden, in the same folder: the rename stays on one file system. */
  file->tmp = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  file->fd = g_mkstemp_full (file->tmp, O_RDWR | O_CLOEXEC, mode);
  if (file->fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write in the folder %s: %s."), dir, g_strerror (saved));
      g_free (file->path);
      g_free (file->tmp);
      g_free (file);
      return NULL;
    }
  file->stream = g_unix_output_stream_new (file->fd, FALSE);
  return file;
}

GOutputStream *
awda_atomic_file_get_stream (AwdaAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->stream;
}

static void
atomic_file_free (AwdaAtomicFile *file)
{
  g_clear_object (&file->stream);
  if (file->fd >= 0)
    close (file->fd);
  g_free (file->path);
  g_free (file->tmp);
  g_free (file);
}

void
awda_atomic_file_abort (AwdaAtomicFile *file)
{
  if (file == NULL)
    return;
  g_unlink (file->tmp);
  atomic_file_free (file);
}

gboolean
awda_atomic_file_commit (AwdaAtomicFile  *file,
                         GError         **error)
{
  int saved;

  g_return_val_if_fail (file != NULL, FALSE);

  if (!g_output_stream_flush (file->stream, NULL, error))
    goto failed;
  if (fsync (file->fd) != 0 || close (file->fd) != 0)
    {
      saved = errno;
      file->fd = -1;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s."), file->path, g_strerror (saved));
      goto failed;
    }
  file->fd = -1;
  if (g_rename (file->tmp, file->path) != 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s."), file->path, g_strerror (saved));
      goto failed;
    }
  atomic_file_free (file);
  return TRUE;

failed:
  awda_atomic_file_abort (file);
  return FALSE;
}

/* CSV */

void
awda_csv_append_field (GString    *line,
                       const char *value,
                       gboolean    text)
{
  gboolean quote;

  g_return_if_fail (line != NULL);

  if (value == NULL)
    value = "";

  quote = strpbrk (value, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (line, '"');
  /* A spreadsheet would run a text starting so as a formula. */
  if (text && strchr ("=+-@\t\r", value[0]) != NULL && value[0] != '\0')
    g_string_append_c (line, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  if (quote)
    g_string_append_c (line, '"');
}

static void
end_line (GString *line)
{
  /* Replace the trailing comma, if any, by the line end. */
  if (line->len > 0 && line->str[line->len - 1] == ',')
    g_string_truncate (line, line->len - 1);
  g_string_append (line, "\r\n");
}

static gboolean
table_has_amounts (const AwdaIndicatorTable *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    if (table->columns[i].kind == AWDA_VALUE_AMOUNT)
      return TRUE;
  return FALSE;
}

gboolean
awda_csv_write_table (const AwdaIndicatorTable  *table,
                      GOutputStream             *out,
                      GCancellable              *cancellable,
                      GError                   **error)
{
  g_autoptr(GString) text = g_string_new (BOM);
  gboolean amounts;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  amounts = table_has_amounts (table);
  g_string_append (text, "key,label,");
  if (amounts)
    g_string_append (text, "currency,");
  for (guint i = 0; i < table->n_columns; i++)
    {
      awda_csv_append_field (text, table->columns[i].key, TRUE);
      g_string_append_c (text, ',');
    }
  end_line (text);

  for (guint r = 0; r < table->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, r);

      awda_csv_append_field (text, row->key, TRUE);
      g_string_append_c (text, ',');
      awda_csv_append_field (text, row->label, TRUE);
      g_string_append_c (text, ',');
      if (amounts)
        {
          awda_csv_append_field (text, row->currency, TRUE);
          g_string_append_c (text, ',');
        }
      for (guint i = 0; i < table->n_columns; i++)
        {
          g_autofree char *value = awda_indicator_format_raw (table->columns[i].kind, row->values[i]);

          awda_csv_append_field (text, value, FALSE);
          g_string_append_c (text, ',');
        }
      end_line (text);
    }

  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

gboolean
awda_csv_write_indicators (AwdaIndicators  *indicators,
                           const char      *dir,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_return_val_if_fail (indicators != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder %s: %s."), dir, g_strerror (saved));
      return FALSE;
    }

  for (int id = 0; id < AWDA_INDICATOR_N_TABLES; id++)
    {
      const AwdaIndicatorTable *table = awda_indicators_get_table (indicators, id);
      g_autofree char *name = g_strconcat (table->key, ".csv", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      AwdaAtomicFile *file = awda_atomic_file_new (path, 0644, error);

      if (file == NULL)
        return FALSE;
      if (!awda_csv_write_table (table, awda_atomic_file_get_stream (file), cancellable, error))
        {
          awda_atomic_file_abort (file);
          return FALSE;
        }
      if (!awda_atomic_file_commit (file, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
awda_csv_write_cases (AwdaStore            *store,
                      const AwdaCaseQuery  *query,
                      GOutputStream        *out,
                      GCancellable         *cancellable,
                      GError              **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  g_autoptr(GString) text = g_string_new (BOM);
  g_autoptr(GArray) rowids = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  rowids = awda_store_query_cases (store, query, error);
  if (rowids == NULL)
    return FALSE;

  g_string_append (text, "id,");
  for (guint i = 0; i < entity->n_fields; i++)
    {
      awda_csv_append_field (text, entity->fields[i].name, TRUE);
      g_string_append_c (text, ',');
    }
  end_line (text);

  for (guint start = 0; start < rowids->len; start += CASE_PAGE)
    {
      guint n = MIN (CASE_PAGE, rowids->len - start);
      g_autoptr(GPtrArray) records = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      records = awda_store_fetch_cases (store, &g_array_index (rowids, gint64, start), n, error);
      if (records == NULL)
        return FALSE;

      for (guint r = 0; r < records->len; r++)
        {
          const AwdaRecord *record = g_ptr_array_index (records, r);

          awda_csv_append_field (text, record->id, TRUE);
          g_string_append_c (text, ',');
          for (guint i = 0; i < entity->n_fields; i++)
            {
              AwdaFieldType type = entity->fields[i].type;

              awda_csv_append_field (text, record->values[i],
                                     type != AWDA_FIELD_INTEGER && type != AWDA_FIELD_AMOUNT);
              g_string_append_c (text, ',');
            }
          end_line (text);
        }

      if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (text, 0);
    }

  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

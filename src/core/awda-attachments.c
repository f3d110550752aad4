/* awda-attachments.c: files attached to a case, kept in a content-addressed blob store
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The blob is written before its record: a record never names content
 * that was not safely on disk. A blob whose record then failed stays, as
 * harmless as any other copy (it is found again by the next attachment of
 * the same content). Attaching content whose blob was damaged replaces the
 * damaged blob with the good copy.
 */

#define G_LOG_DOMAIN "awda-attachments"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "awda-attachments.h"

G_DEFINE_QUARK (awda-attachment-error-quark, awda_attachment_error)

#define BLOB_DIR_NAME "awda-blobs"
#define CHUNK_SIZE 65536
#define SNIFF_SIZE 4096

static gboolean
sha256_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

char *
awda_attachments_get_blob_dir (AwdaStore *store)
{
  g_autofree char *db_dir = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  db_dir = g_path_get_dirname (awda_store_get_path (store));
  return g_build_filename (db_dir, BLOB_DIR_NAME, NULL);
}

char *
awda_attachments_get_blob_path (AwdaStore  *store,
                                const char *sha256)
{
  g_autofree char *dir = NULL;
  g_autofree char *lower = NULL;
  char prefix[3] = { 0 };

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  /* The name comes from records that other sites wrote: it must be
   * nothing but a SHA-256 before it becomes part of a path. */
  lower = sha256 ? g_ascii_strdown (sha256, -1) : NULL;
  if (!sha256_is_valid (lower))
    return NULL;

  dir = awda_attachments_get_blob_dir (store);
  memcpy (prefix, lower, 2);
  return g_build_filename (dir, prefix, lower + 2, NULL);
}

gboolean
awda_attachments_has_blob (AwdaStore  *store,
                           const char *sha256)
{
  g_autofree char *path = awda_attachments_get_blob_path (store, sha256);

  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 ...) G_GNUC_PRINTF (3, 4);

/* gettext keeps errno, so _() may be among the arguments. */
static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s (%s)", what, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
sync_dir (const char  *dir,
          GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      return set_errno_error (error, saved_errno, _("Could not save the folder %s."), dir);
    }
  close (fd);
  return TRUE;
}

/* The SHA-256 of a file's content, or NULL. */
static char *
hash_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (CHUNK_SIZE);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gssize n;

  if (fd < 0)
    {
      set_errno_error (error, errno, _("Could not read %s."), path);
      return NULL;
    }

  while ((n = read (fd, buffer, CHUNK_SIZE)) != 0)
    {
      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          close (fd);
          set_errno_error (error, saved_errno, _("Could not read %s."), path);
          return NULL;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return NULL;
        }
      g_checksum_update (checksum, buffer, n);
    }
  close (fd);

  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
write_all (int           fd,
           const guchar *data,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static GError *
too_large_error (const char *name,
                 guint64     size)
{
  g_autofree char *shown = g_format_size (size);
  g_autofree char *limit = g_format_size (AWDA_ATTACHMENT_MAX_SIZE);

  return g_error_new (AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_TOO_LARGE,
                      _("The file “%s” is too large to attach (%s): attachments are limited to %s."),
                      name, shown, limit);
}

/* A file name fit for the record: no control characters. */
static char *
clean_file_name (const char *name)
{
  GString *clean = g_string_new (NULL);

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (clean, g_unichar_iscntrl (c) ? '_' : c);
    }
  return g_string_free (clean, FALSE);
}

/* Copies @in to a temporary file of @dir, returning its path, the SHA-256,
 * the size and the first bytes for guessing the type. */
static char *
copy_to_temp (GInputStream  *in,
              const char    *dir,
              const char    *name,
              char         **sha256,
              guint64       *size,
              GByteArray    *head,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (CHUNK_SIZE);
  g_autofree char *tmp = g_build_filename (dir, ".incoming-XXXXXX", NULL);
  int fd;
  gssize n;

  *size = 0;
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, _("Could not create a file in %s."), dir);
      return NULL;
    }

  while ((n = g_input_stream_read (in, buffer, CHUNK_SIZE, cancellable, error)) > 0)
    {
      *size += (guint64) n;
      if (*size > AWDA_ATTACHMENT_MAX_SIZE)
        {
          g_propagate_error (error, too_large_error (name, *size));
          goto failed;
        }
      if (head->len < SNIFF_SIZE)
        g_byte_array_append (head, buffer, MIN ((guint) n, SNIFF_SIZE - head->len));
      g_checksum_update (checksum, buffer, n);
      if (!write_all (fd, buffer, (gsize) n))
        {
          set_errno_error (error, errno, _("Could not write %s."), tmp);
          goto failed;
        }
    }
  if (n < 0)
    goto failed;

  /* Read-only, and on the disk before it gets its name. */
  if (fchmod (fd, 0400) != 0 || fsync (fd) != 0)
    {
      set_errno_error (error, errno, _("Could not write %s."), tmp);
      goto failed;
    }
  if (close (fd) != 0)
    {
      fd = -1;
      set_errno_error (error, errno, _("Could not write %s."), tmp);
      goto failed;
    }

  *sha256 = g_strdup (g_checksum_get_string (checksum));
  return g_steal_pointer (&tmp);

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return NULL;
}

/* Gives the temporary copy its content address, unless a sound blob of
 * that content is already there. */
static gboolean
store_blob (AwdaStore     *store,
            const char    *tmp,
            const char    *sha256,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *path = awda_attachments_get_blob_path (store, sha256);
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *existing = hash_file (path, cancellable, NULL);

      if (g_strcmp0 (existing, sha256) == 0)
        {
          g_unlink (tmp);
          return TRUE;
        }
      g_message ("The blob %s was damaged: it is replaced by a sound copy", path);
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_errno_error (error, errno, _("Could not create the folder %s."), dir);
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      set_errno_error (error, errno, _("Could not save %s."), path);
      g_unlink (tmp);
      return FALSE;
    }
  return sync_dir (dir, error);
}

char *
awda_attachments_add (AwdaStore     *store,
                      const char    *case_id,
                      GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(AwdaRecord) case_record = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(AwdaEdit) edit = NULL;
  g_autofree char *name = NULL;
  g_autofree char *blob_dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *media_type = NULL;
  g_autofree char *size_text = NULL;
  gboolean uncertain;
  guint64 size;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  case_record = awda_store_get_record (store, "case", case_id, error);
  if (case_record == NULL)
    return NULL;
  if (case_record->deleted)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The case %s was deleted: nothing can be attached to it."), case_id);
      return NULL;
    }

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  name = clean_file_name (g_file_info_get_display_name (info));

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a file: only files can be attached."), name);
      return NULL;
    }
  if ((guint64) g_file_info_get_size (info) > AWDA_ATTACHMENT_MAX_SIZE)
    {
      g_propagate_error (error, too_large_error (name, (guint64) g_file_info_get_size (info)));
      return NULL;
    }

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;

  blob_dir = awda_attachments_get_blob_dir (store);
  if (g_mkdir_with_parents (blob_dir, 0700) != 0)
    {
      set_errno_error (error, errno, _("Could not create the folder %s."), blob_dir);
      return NULL;
    }

  tmp = copy_to_temp (G_INPUT_STREAM (in), blob_dir, name, &sha256, &size, head, cancellable, error);
  if (tmp == NULL)
    return NULL;
  if (!store_blob (store, tmp, sha256, cancellable, error))
    return NULL;

  content_type = g_content_type_guess (name, head->data, head->len, &uncertain);
  media_type = content_type ? g_content_type_get_mime_type (content_type) : NULL;
  size_text = g_strdup_printf ("%" G_GUINT64_FORMAT, size);

  edit = awda_edit_new ("attachment", NULL);
  awda_edit_set (edit, "case_id", case_record->id);
  awda_edit_set (edit, "file_name", name);
  awda_edit_set (edit, "media_type", media_type ? media_type : "application/octet-stream");
  awda_edit_set (edit, "size", size_text);
  awda_edit_set (edit, "sha256", sha256);
  if (!awda_store_apply (store, edit, error))
    return NULL;

  return g_strdup (awda_edit_get_record (edit));
}

char *
awda_attachments_open (AwdaStore     *store,
                       const char    *attachment_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autofree char *path = NULL;
  g_autofree char *actual = NULL;
  const char *name, *sha256;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (attachment_id != NULL, NULL);

  record = awda_store_get_record (store, "attachment", attachment_id, error);
  if (record == NULL)
    return NULL;
  name = awda_record_get (record, "file_name");
  sha256 = awda_record_get (record, "sha256");

  if (record->deleted)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                   _("The attachment “%s” was deleted."), name);
      return NULL;
    }

  path = awda_attachments_get_blob_path (store, sha256);
  if (path == NULL)
    {
      g_set_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_DAMAGED,
                   _("The attachment “%s” has an invalid SHA-256 “%s”: its content cannot be found."),
                   name, sha256 ? sha256 : "");
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_MISSING,
                   _("The content of “%s” is not on this computer: sync bundles do not carry attached files yet."),
                   name);
      return NULL;
    }

  actual = hash_file (path, cancellable, error);
  if (actual == NULL)
    return NULL;
  if (g_ascii_strcasecmp (actual, sha256) != 0)
    {
      g_set_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_DAMAGED,
                   _("The stored copy of “%s” is damaged: its content no longer matches its SHA-256 checksum. Attach the original file again to repair it."),
                   name);
      return NULL;
    }

  return g_steal_pointer (&path);
}

GPtrArray *
awda_attachments_list (AwdaStore   *store,
                       const char  *case_id,
                       GError     **error)
{
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  return awda_store_list_children (store, "attachment", case_id, error);
}

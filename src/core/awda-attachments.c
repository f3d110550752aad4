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

/* The blob of @sha256 under the blob folder @dir, or NULL when @sha256
 * is not one. */
static char *
blob_path_in (const char *dir,
              const char *sha256)
{
  g_autofree char *lower = NULL;
  char prefix[3] = { 0 };

  /* The name comes from records that other sites wrote: it must be
   * nothing but a SHA-256 before it becomes part of a path. */
  lower = sha256 ? g_ascii_strdown (sha256, -1) : NULL;
  if (!sha256_is_valid (lower))
    return NULL;

  memcpy (prefix, lower, 2);
  return g_build_filename (dir, prefix, lower + 2, NULL);
}

char *
awda_attachments_get_blob_path (AwdaStore  *store,
                                const char *sha256)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  dir = awda_attachments_get_blob_dir (store);
  return blob_path_in (dir, sha256);
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
store_blob (const char    *blob_dir,
            const char    *tmp,
            const char    *sha256,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *path = blob_path_in (blob_dir, sha256);
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

/* A file on its way into the blob store: what the worker thread needs
 * (no store: it is not to be used from two threads) and what it finds. */
typedef struct
{
  char    *case_id;
  char    *blob_dir;
  GFile   *file;
  char    *name;        /* found: the file's name, cleaned */
  char    *sha256;
  char    *media_type;
  guint64  size;
} Incoming;

static void
incoming_free (Incoming *incoming)
{
  g_free (incoming->case_id);
  g_free (incoming->blob_dir);
  g_clear_object (&incoming->file);
  g_free (incoming->name);
  g_free (incoming->sha256);
  g_free (incoming->media_type);
  g_free (incoming);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Incoming, incoming_free)

/* The case the file is for, refused when it is gone or deleted. */
static Incoming *
incoming_new (AwdaStore   *store,
              const char  *case_id,
              GFile       *file,
              GError     **error)
{
  g_autoptr(AwdaRecord) case_record = awda_store_get_record (store, "case", case_id, error);
  Incoming *incoming;

  if (case_record == NULL)
    return NULL;
  if (case_record->deleted)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The case %s was deleted: nothing can be attached to it."), case_id);
      return NULL;
    }

  incoming = g_new0 (Incoming, 1);
  incoming->case_id = g_strdup (case_record->id);
  incoming->blob_dir = awda_attachments_get_blob_dir (store);
  incoming->file = g_object_ref (file);
  return incoming;
}

/* Copies the file into the blob store, or finds its content already
 * there, and learns its name, size, SHA-256 and type. Touches no store:
 * safe in a worker thread. */
static gboolean
import_blob (Incoming      *incoming,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autofree char *tmp = NULL;
  g_autofree char *content_type = NULL;
  gboolean uncertain;

  info = g_file_query_info (incoming->file,
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;
  incoming->name = clean_file_name (g_file_info_get_display_name (info));

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a file: only files can be attached."), incoming->name);
      return FALSE;
    }
  if ((guint64) g_file_info_get_size (info) > AWDA_ATTACHMENT_MAX_SIZE)
    {
      g_propagate_error (error, too_large_error (incoming->name, (guint64) g_file_info_get_size (info)));
      return FALSE;
    }

  in = g_file_read (incoming->file, cancellable, error);
  if (in == NULL)
    return FALSE;

  if (g_mkdir_with_parents (incoming->blob_dir, 0700) != 0)
    return set_errno_error (error, errno, _("Could not create the folder %s."), incoming->blob_dir);

  tmp = copy_to_temp (G_INPUT_STREAM (in), incoming->blob_dir, incoming->name,
                      &incoming->sha256, &incoming->size, head, cancellable, error);
  if (tmp == NULL || !store_blob (incoming->blob_dir, tmp, incoming->sha256, cancellable, error))
    return FALSE;

  content_type = g_content_type_guess (incoming->name, head->data, head->len, &uncertain);
  incoming->media_type = content_type ? g_content_type_get_mime_type (content_type) : NULL;
  return TRUE;
}

/* The attachment's record, once its blob is safely stored. */
static char *
record_attachment (AwdaStore  *store,
                   Incoming   *incoming,
                   GError    **error)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("attachment", NULL);
  g_autofree char *size_text = g_strdup_printf ("%" G_GUINT64_FORMAT, incoming->size);

  awda_edit_set (edit, "case_id", incoming->case_id);
  awda_edit_set (edit, "file_name", incoming->name);
  awda_edit_set (edit, "media_type", incoming->media_type ? incoming->media_type : "application/octet-stream");
  awda_edit_set (edit, "size", size_text);
  awda_edit_set (edit, "sha256", incoming->sha256);
  if (!awda_store_apply (store, edit, error))
    return NULL;

  return g_strdup (awda_edit_get_record (edit));
}

char *
awda_attachments_add (AwdaStore     *store,
                      const char    *case_id,
                      GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(Incoming) incoming = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  incoming = incoming_new (store, case_id, file, error);
  if (incoming == NULL || !import_blob (incoming, cancellable, error))
    return NULL;
  return record_attachment (store, incoming, error);
}

static void
import_blob_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  if (import_blob (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back in the store's thread: the record, unless the caller cancelled. */
static void
on_blob_imported_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *id;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  id = record_attachment (AWDA_STORE (source_object), g_task_get_task_data (task), &error);
  if (id != NULL)
    g_task_return_pointer (task, id, g_free);
  else
    g_task_return_error (task, error);
}

void
awda_attachments_add_async (AwdaStore           *store,
                            const char          *case_id,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) copy = NULL;
  GError *error = NULL;
  Incoming *incoming;

  g_return_if_fail (AWDA_IS_STORE (store));
  g_return_if_fail (case_id != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, awda_attachments_add_async);

  incoming = incoming_new (store, case_id, file, &error);
  if (incoming == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, incoming, (GDestroyNotify) incoming_free);

  /* The copy and its checksum in a worker thread; then the record here,
   * in on_blob_imported_cb(), which holds the task until then. */
  copy = g_task_new (store, cancellable, on_blob_imported_cb, g_object_ref (task));
  g_task_set_task_data (copy, incoming, NULL);
  g_task_run_in_thread (copy, import_blob_thread);
}

char *
awda_attachments_add_finish (AwdaStore     *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == awda_attachments_add_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Where an attachment's content is, from its record, with what
 * verifying it needs. */
typedef struct
{
  char *path;
  char *name;
  char *sha256;
} Stored;

static void
stored_free (Stored *stored)
{
  g_free (stored->path);
  g_free (stored->name);
  g_free (stored->sha256);
  g_free (stored);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stored, stored_free)

static Stored *
locate_blob (AwdaStore   *store,
             const char  *attachment_id,
             GError     **error)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(Stored) stored = g_new0 (Stored, 1);

  record = awda_store_get_record (store, "attachment", attachment_id, error);
  if (record == NULL)
    return NULL;
  stored->name = g_strdup (awda_record_get (record, "file_name"));
  stored->sha256 = g_strdup (awda_record_get (record, "sha256"));

  if (record->deleted)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                   _("The attachment “%s” was deleted."), stored->name);
      return NULL;
    }

  stored->path = awda_attachments_get_blob_path (store, stored->sha256);
  if (stored->path == NULL)
    {
      g_set_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_DAMAGED,
                   _("The attachment “%s” has an invalid SHA-256 “%s”: its content cannot be found."),
                   stored->name, stored->sha256 ? stored->sha256 : "");
      return NULL;
    }
  return g_steal_pointer (&stored);
}

/* That the content is there and still matches its SHA-256. Touches no
 * store: safe in a worker thread. */
static gboolean
verify_blob (Stored        *stored,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *actual = NULL;

  if (!g_file_test (stored->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_MISSING,
                   _("The content of “%s” is not on this computer: sync bundles do not carry attached files yet."),
                   stored->name);
      return FALSE;
    }

  actual = hash_file (stored->path, cancellable, error);
  if (actual == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (actual, stored->sha256) != 0)
    {
      g_set_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_DAMAGED,
                   _("The stored copy of “%s” is damaged: its content no longer matches its SHA-256 checksum. Attach the original file again to repair it."),
                   stored->name);
      return FALSE;
    }
  return TRUE;
}

char *
awda_attachments_open (AwdaStore     *store,
                       const char    *attachment_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(Stored) stored = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (attachment_id != NULL, NULL);

  stored = locate_blob (store, attachment_id, error);
  if (stored == NULL || !verify_blob (stored, cancellable, error))
    return NULL;
  return g_steal_pointer (&stored->path);
}

static void
verify_blob_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Stored *stored = task_data;
  GError *error = NULL;

  if (verify_blob (stored, cancellable, &error))
    g_task_return_pointer (task, g_strdup (stored->path), g_free);
  else
    g_task_return_error (task, error);
}

void
awda_attachments_open_async (AwdaStore           *store,
                             const char          *attachment_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Stored *stored;

  g_return_if_fail (AWDA_IS_STORE (store));
  g_return_if_fail (attachment_id != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, awda_attachments_open_async);

  stored = locate_blob (store, attachment_id, &error);
  if (stored == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, stored, (GDestroyNotify) stored_free);
  g_task_run_in_thread (task, verify_blob_thread);
}

char *
awda_attachments_open_finish (AwdaStore     *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == awda_attachments_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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

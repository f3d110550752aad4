/* test-attachments.c: files attached to a case, stored once by content and checked when opened
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "awda-attachments.h"

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  char      *case_id;
  char      *other_case;
} Fixture;

static char *
new_case (AwdaStore  *store,
          const char *given_name)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, "given_name", given_name);
  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->store = awda_store_create (f->path, "Bureau de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);
  f->case_id = new_case (f->store, "Youssef");
  f->other_case = new_case (f->store, "Ikram");
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->case_id);
  g_free (f->other_case);
}

/* A file outside the database folder, as a caseworker would pick it. */
static GFile *
write_source (Fixture    *f,
              const char *name,
              const char *content,
              gsize       len)
{
  g_autofree char *dir = g_build_filename (f->dir, "documents", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, content, (gssize) len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Every file under the blob folder, temporary ones included. */
static void
count_files (const char *path,
             guint      *n)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        count_files (child, n);
      else
        (*n)++;
    }
}

static guint
n_blob_files (Fixture *f)
{
  g_autofree char *dir = awda_attachments_get_blob_dir (f->store);
  guint n = 0;

  count_files (dir, &n);
  return n;
}

static guint
n_attachments (Fixture    *f,
               const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = awda_attachments_list (f->store, case_id, &error);

  g_assert_no_error (error);
  return list->len;
}

static void
test_add_and_open (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) source = write_source (f, "attestation de retour.pdf", pdf, strlen (pdf));
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) pdf, strlen (pdf));
  g_autofree char *size = g_strdup_printf ("%zu", strlen (pdf));
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected_path = NULL;
  g_autofree char *content = NULL;
  gsize len;
  GStatBuf st;

  id = awda_attachments_add (f->store, f->case_id, source, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  record = awda_store_get_record (f->store, "attachment", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "case_id"), ==, f->case_id);
  g_assert_cmpstr (awda_record_get (record, "file_name"), ==, "attestation de retour.pdf");
  g_assert_cmpstr (awda_record_get (record, "media_type"), ==, "application/pdf");
  g_assert_cmpstr (awda_record_get (record, "size"), ==, size);
  g_assert_cmpstr (awda_record_get (record, "sha256"), ==, sha256);

  /* <db dir>/awda-blobs/ab/cdef…, read-only, holding the very bytes. */
  expected_path = g_build_filename (f->dir, "awda-blobs", (char[]) { sha256[0], sha256[1], 0 }, sha256 + 2, NULL);
  path = awda_attachments_open (f->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected_path);
  g_assert_true (g_file_get_contents (path, &content, &len, NULL));
  g_assert_cmpmem (content, len, pdf, strlen (pdf));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0400);
  g_assert_true (awda_attachments_has_blob (f->store, sha256));

  list = awda_attachments_list (f->store, f->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((AwdaRecord *) g_ptr_array_index (list, 0))->id, ==, id);
  g_assert_cmpuint (n_attachments (f, f->other_case), ==, 0);

  /* The original may go: the case keeps its copy. */
  g_assert_true (g_file_delete (source, NULL, NULL));
  g_clear_pointer (&path, g_free);
  path = awda_attachments_open (f->store, id, NULL, &error);
  g_assert_no_error (error);
}

static void
test_stored_once (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) first = write_source (f, "cin.pdf", pdf, strlen (pdf));
  g_autoptr(GFile) second = write_source (f, "copie CIN.pdf", pdf, strlen (pdf));
  g_autoptr(GFile) different = write_source (f, "notes.txt", "Visite du 24 novembre\n", 22);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  g_autoptr(AwdaRecord) text = NULL;

  a = awda_attachments_add (f->store, f->case_id, first, NULL, &error);
  g_assert_no_error (error);
  b = awda_attachments_add (f->store, f->other_case, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpuint (n_blob_files (f), ==, 1);

  path_a = awda_attachments_open (f->store, a, NULL, &error);
  g_assert_no_error (error);
  path_b = awda_attachments_open (f->store, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path_a, ==, path_b);

  c = awda_attachments_add (f->store, f->case_id, different, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_blob_files (f), ==, 2);
  text = awda_store_get_record (f->store, "attachment", c, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (text, "media_type"), ==, "text/plain");

  g_assert_cmpuint (n_attachments (f, f->case_id), ==, 2);
  g_assert_cmpuint (n_attachments (f, f->other_case), ==, 1);
}

static void
test_tampered_blob (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) source = write_source (f, "contrat.pdf", pdf, strlen (pdf));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *again = NULL;
  g_autofree char *repaired = NULL;
  g_autofree char *content = NULL;
  gsize len;
  int fd;

  id = awda_attachments_add (f->store, f->case_id, source, NULL, &error);
  g_assert_no_error (error);
  path = awda_attachments_open (f->store, id, NULL, &error);
  g_assert_no_error (error);

  /* One byte changed behind our back. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "X", 1, 3), ==, 1);
  close (fd);

  g_assert_null (awda_attachments_open (f->store, id, NULL, &error));
  g_assert_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_DAMAGED);
  g_assert_cmpstr (error->message, ==,
                   "The stored copy of “contrat.pdf” is damaged: its content no longer matches its SHA-256 "
                   "checksum. Attach the original file again to repair it.");
  g_clear_error (&error);

  /* Attaching the original again puts a sound copy in its place. */
  again = awda_attachments_add (f->store, f->case_id, source, NULL, &error);
  g_assert_no_error (error);
  repaired = awda_attachments_open (f->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (repaired, &content, &len, NULL));
  g_assert_cmpmem (content, len, pdf, strlen (pdf));
  g_assert_cmpuint (n_blob_files (f), ==, 1);
}

static void
test_missing_blob (Fixture       *f,
                   gconstpointer  data)
{
  static const char photo[] = "\xff\xd8\xff\xe0 not quite a photo";
  g_autoptr(GFile) source = write_source (f, "photo.jpg", photo, sizeof photo - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  id = awda_attachments_add (f->store, f->case_id, source, NULL, &error);
  g_assert_no_error (error);
  path = awda_attachments_open (f->store, id, NULL, &error);
  g_assert_no_error (error);

  /* As on a site that received the record by a bundle. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_null (awda_attachments_open (f->store, id, NULL, &error));
  g_assert_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_MISSING);
  g_assert_cmpstr (error->message, ==,
                   "The content of “photo.jpg” is not on this computer: sync bundles do not carry attached files yet.");
}

static GFile *
sparse_file (Fixture    *f,
             const char *name,
             guint64     size)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) size), ==, 0);
  close (fd);
  return g_file_new_for_path (path);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) scan = sparse_file (f, "scan.tiff", 60 * 1000 * 1000);
  g_autoptr(GFile) just_over = sparse_file (f, "video.mp4", AWDA_ATTACHMENT_MAX_SIZE + 1);
  g_autoptr(GError) error = NULL;

  g_assert_null (awda_attachments_add (f->store, f->case_id, scan, NULL, &error));
  g_assert_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==,
                   "The file “scan.tiff” is too large to attach (60.0\u00a0MB): attachments are limited to 50.0\u00a0MB.");
  g_clear_error (&error);

  g_assert_null (awda_attachments_add (f->store, f->case_id, just_over, NULL, &error));
  g_assert_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_cmpuint (n_attachments (f, f->case_id), ==, 0);
  g_assert_cmpuint (n_blob_files (f), ==, 0);
}

static void
test_refusals_write_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GFile) source = write_source (f, "cin.pdf", pdf, strlen (pdf));
  g_autofree char *folder = g_build_filename (f->dir, "documents", NULL);
  g_autoptr(GFile) directory = g_file_new_for_path (folder);
  g_autofree char *gone_path = g_build_filename (f->dir, "gone.pdf", NULL);
  g_autoptr(GFile) gone = g_file_new_for_path (gone_path);
  g_autoptr(GError) error = NULL;

  g_assert_null (awda_attachments_add (f->store, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", source, NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (awda_attachments_add (f->store, f->case_id, directory, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  g_assert_null (awda_attachments_add (f->store, f->case_id, gone, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpuint (n_attachments (f, f->case_id), ==, 0);
  g_assert_cmpuint (n_blob_files (f), ==, 0);

  /* A record naming something else than a SHA-256 never becomes a path. */
  g_assert_null (awda_attachments_get_blob_path (f->store, "../../etc/passwd"));
  g_assert_false (awda_attachments_has_blob (f->store, "../awda.db"));
}

/* The asynchronous calls, waited for in the main context as the window does. */
static void
on_async_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) source = write_source (f, "contrat.pdf", pdf, strlen (pdf));
  g_autofree char *folder = g_build_filename (f->dir, "documents", NULL);
  g_autoptr(GFile) directory = g_file_new_for_path (folder);
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) pdf, strlen (pdf));

  awda_attachments_add_async (f->store, f->case_id, source, NULL, on_async_done_cb, &added);
  /* Nothing is recorded before the copy is done. */
  g_assert_cmpuint (n_attachments (f, f->case_id), ==, 0);
  id = awda_attachments_add_finish (f->store, wait_for (&added), &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  record = awda_store_get_record (f->store, "attachment", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "case_id"), ==, f->case_id);
  g_assert_cmpstr (awda_record_get (record, "file_name"), ==, "contrat.pdf");
  g_assert_cmpstr (awda_record_get (record, "media_type"), ==, "application/pdf");
  g_assert_cmpstr (awda_record_get (record, "sha256"), ==, sha256);

  awda_attachments_open_async (f->store, id, NULL, on_async_done_cb, &opened);
  path = awda_attachments_open_finish (f->store, wait_for (&opened), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, sha256 + 2));

  awda_attachments_add_async (f->store, f->case_id, directory, NULL, on_async_done_cb, &refused);
  g_assert_null (awda_attachments_add_finish (f->store, wait_for (&refused), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpuint (n_attachments (f, f->case_id), ==, 1);
}

/* A damaged blob is found by the asynchronous open too, and a cancelled
 * attachment records nothing. */
static void
test_async_refusals (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GFile) source = write_source (f, "bail.pdf", pdf, strlen (pdf));
  g_autoptr(GFile) other = write_source (f, "facture.pdf", "%PDF-1.4\nautre\n", 15);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  int fd;

  id = awda_attachments_add (f->store, f->case_id, source, NULL, &error);
  g_assert_no_error (error);
  path = awda_attachments_open (f->store, id, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  fd = g_open (path, O_WRONLY | O_APPEND, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "x", 1), ==, 1);
  close (fd);
  awda_attachments_open_async (f->store, id, NULL, on_async_done_cb, &opened);
  g_assert_null (awda_attachments_open_finish (f->store, wait_for (&opened), &error));
  g_assert_error (error, AWDA_ATTACHMENT_ERROR, AWDA_ATTACHMENT_ERROR_DAMAGED);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  awda_attachments_add_async (f->store, f->case_id, other, cancellable, on_async_done_cb, &cancelled);
  g_assert_null (awda_attachments_add_finish (f->store, wait_for (&cancelled), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (n_attachments (f, f->case_id), ==, 1);

  awda_attachments_add_async (f->store, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", other, NULL, on_async_done_cb, &gone);
  g_assert_null (awda_attachments_add_finish (f->store, wait_for (&gone), &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (n_attachments (f, f->case_id), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);

  /* The isolated folders hide the system's MIME database: media types
   * are guessed with it, as on a user's computer. */
  for (const char * const *dir = g_get_system_data_dirs (); *dir; dir++)
    g_ptr_array_add (mime_dirs, g_build_filename (*dir, "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/attachments/add-and-open", test_add_and_open);
  ADD ("/core/attachments/stored-once", test_stored_once);
  ADD ("/core/attachments/tampered-blob", test_tampered_blob);
  ADD ("/core/attachments/missing-blob", test_missing_blob);
  ADD ("/core/attachments/too-large", test_too_large);
  ADD ("/core/attachments/refusals-write-nothing", test_refusals_write_nothing);
  ADD ("/core/attachments/async", test_async);
  ADD ("/core/attachments/async-refusals", test_async_refusals);
#undef ADD

  return g_test_run ();
}

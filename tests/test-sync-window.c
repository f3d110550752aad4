/* test-sync-window.c: sending and receiving changes from the window
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two sites, as two offices: the window of the first sends its changes
 * to a file that the second imports, and receives the second's. The
 * file choosers are left out: the dialogs take the paths directly.
 * Needs a display (meson runs it under tools/with-display); without one
 * every test is skipped.
 */

#define G_LOG_DOMAIN "awda-test-sync-window"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>
#include <sys/stat.h>

#include "awda-case-list-model.h"
#include "awda-receive-dialog.h"
#include "awda-send-dialog.h"
#include "awda-window.h"
#include "sync-test-util.h"

typedef struct
{
  char       *folder;
  TestSite   *tunis;   /* the window's office */
  TestSite   *sfax;    /* another */
  AwdaWindow *window;
} Fixture;

static char *
add_case (TestSite   *site,
          const char *given_name,
          const char *family_name)
{
  return test_write (site, "case", NULL,
                     "given_name", given_name,
                     "family_name", family_name,
                     "status", "reception",
                     "governorate", "TN-11",
                     "opened_on", "2025-11-20",
                     NULL);
}

static gboolean
on_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until @done says so, failing after 20 s rather than hanging. */
static void
wait_until (gboolean (*done) (gpointer data),
            gpointer   data)
{
  gboolean late = FALSE;
  guint deadline = g_timeout_add_seconds (20, on_deadline_cb, &late);

  while (!done (data) && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);
}

static gboolean
send_dialog_idle (gpointer data)
{
  return !awda_send_dialog_get_busy (data);
}

static gboolean
receive_dialog_idle (gpointer data)
{
  return !awda_receive_dialog_get_busy (data);
}

static gboolean
model_idle (gpointer data)
{
  return !awda_case_list_model_get_loading (data);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->folder = g_dir_make_tmp ("awda-test-sync-window-XXXXXX", &error);
  g_assert_no_error (error);
  f->tunis = test_site_new (f->folder, "Bureau régional de Tunis", "regional");
  f->sfax = test_site_new (f->folder, "Bureau régional de Sfax", "regional");
  g_free (add_case (f->tunis, "Mohamed", "Ben Salah"));

  f->window = awda_window_new (NULL, f->tunis->store);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (model_idle, awda_window_get_case_list_model (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  test_site_free (f->tunis);
  test_site_free (f->sfax);
  test_remove_tree (f->folder);
  g_free (f->folder);
}

static guint
n_cases (Fixture *f)
{
  AwdaCaseListModel *model = awda_window_get_case_list_model (f->window);

  wait_until (model_idle, model);
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static AwdaSendDialog *
open_send_dialog (Fixture *f)
{
  AwdaSendDialog *dialog = AWDA_SEND_DIALOG (awda_window_send_changes (f->window));

  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  wait_until (send_dialog_idle, dialog);
  return dialog;
}

static AwdaReceiveDialog *
receive (Fixture            *f,
         const char * const *paths)
{
  AwdaReceiveDialog *dialog = AWDA_RECEIVE_DIALOG (awda_window_receive_files (f->window, paths));

  g_assert_nonnull (dialog);
  wait_until (receive_dialog_idle, dialog);
  g_assert_cmpuint (awda_receive_dialog_get_n_files (dialog), ==, g_strv_length ((char **) paths));
  return dialog;
}

/* Sent from the window to Sfax, which knows Tunis from a bundle of its
 * own: the file, for its owner alone, brings Sfax the case. */
static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *hello = g_build_filename (f->folder, "hello.awda", NULL);
  g_autofree char *path = g_build_filename (f->folder, "to-sfax.awda", NULL);
  g_autofree char *case_id = NULL;
  g_autoptr(AwdaSyncImport) imported = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  AwdaSendDialog *dialog;
  GStatBuf st;

  /* Sfax is known once a bundle of its came. */
  test_export (f->sfax, NULL, hello);
  awda_sync_import_free (test_import (f->tunis, hello));

  case_id = add_case (f->tunis, "Amira", "Trabelsi");
  dialog = open_send_dialog (f);
  g_assert_true (awda_send_dialog_select_peer (dialog, test_site_id (f->sfax)));
  g_assert_false (awda_send_dialog_select_peer (dialog, "00000000000000000000000000000000"));

  awda_send_dialog_send_to (dialog, path);
  g_assert_true (awda_send_dialog_get_busy (dialog));
  wait_until (send_dialog_idle, dialog);

  g_assert_nonnull (awda_send_dialog_get_message (dialog));
  g_assert_nonnull (strstr (awda_send_dialog_get_message (dialog), "changes written to “\u2068"));
  g_assert_nonnull (strstr (awda_send_dialog_get_message (dialog), "to-sfax.awda\u2069”."));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  imported = test_import (f->sfax, path);
  g_assert_cmpuint (imported->applied, >, 0);
  g_assert_cmpstr (imported->from_name, ==, "Bureau régional de Tunis");
  record = awda_store_get_record (f->sfax->store, "case", case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "given_name"), ==, "Amira");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* To any office: every change, the first case included. */
static void
test_send_all (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->folder, "all.awda", NULL);
  g_autoptr(AwdaSyncImport) imported = NULL;
  AwdaSendDialog *dialog = open_send_dialog (f);

  g_assert_true (awda_send_dialog_select_peer (dialog, NULL));
  awda_send_dialog_send_to (dialog, path);
  wait_until (send_dialog_idle, dialog);
  g_assert_nonnull (awda_send_dialog_get_message (dialog));

  imported = test_import (f->sfax, path);
  g_assert_cmpuint (imported->applied, ==, imported->n_changes);
  g_assert_cmpint (test_query_int (f->sfax->store, "SELECT count(*) FROM \"case\""), ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Cancelled at once: no file under the name chosen, and the dialog
 * back to the choice. */
static void
test_send_cancel (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->folder, "cancelled.awda", NULL);
  AwdaSendDialog *dialog = open_send_dialog (f);

  awda_send_dialog_send_to (dialog, path);
  awda_send_dialog_cancel (dialog);
  wait_until (send_dialog_idle, dialog);

  g_assert_null (awda_send_dialog_get_message (dialog));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in “%s”", part, text);
}

/* A bundle of Sfax's: its case in the list; the same file again, all
 * present; an edit made at both offices, a conflict kept. */
static void
test_receive (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->folder, "from-sfax.awda", NULL);
  g_autofree char *path2 = g_build_filename (f->folder, "from-sfax-2.awda", NULL);
  g_autofree char *to_sfax = g_build_filename (f->folder, "to-sfax.awda", NULL);
  g_autofree char *sfax_case = NULL;
  g_autofree char *tunis_case = NULL;
  const char *paths[] = { path, NULL };
  const char *paths2[] = { path2, NULL };
  g_auto(GStrv) lines = NULL;
  AwdaReceiveDialog *dialog;
  const char *text;

  g_assert_cmpuint (n_cases (f), ==, 1);
  sfax_case = add_case (f->sfax, "Youssef", "Gharbi");
  test_export (f->sfax, NULL, path);

  dialog = receive (f, paths);
  text = awda_receive_dialog_get_file_text (dialog, 0);
  assert_contains (text, "from-sfax.awda");
  assert_contains (text, "Sent by Bureau régional de Sfax");
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, "from-sfax.awda");
  g_assert_cmpstr (lines[1], ==, "Sent by Bureau régional de Sfax");
  g_assert_true (g_str_has_suffix (lines[2], " changes applied, 0 already present, 0 conflicts kept, 0 set aside"));
  g_assert_false (g_str_has_prefix (lines[2], "0 "));
  g_assert_cmpuint (n_cases (f), ==, 2);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The same file again changes nothing. */
  dialog = receive (f, paths);
  text = awda_receive_dialog_get_file_text (dialog, 0);
  assert_contains (text, "0 changes applied, ");
  g_assert_null (strstr (text, "0 already present"));
  assert_contains (text, " already present, 0 conflicts kept");
  assert_contains (awda_receive_dialog_get_summary (dialog), "already here");
  g_assert_cmpuint (n_cases (f), ==, 2);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Tunis's case goes to Sfax; both change its stage meanwhile. */
  test_export (f->tunis, f->sfax, to_sfax);
  awda_sync_import_free (test_import (f->sfax, to_sfax));
  {
    sqlite3_stmt *stmt;

    g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (f->tunis->store),
                                         "SELECT id FROM \"case\" WHERE given_name = 'Mohamed'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    tunis_case = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  f->sfax->now_ms += 60000;
  g_free (test_write (f->sfax, "case", tunis_case, "status", "assessment", NULL));
  f->tunis->now_ms += 1000;
  g_free (test_write (f->tunis, "case", tunis_case, "status", "plan", NULL));
  test_export (f->sfax, f->tunis, path2);

  dialog = receive (f, paths2);
  text = awda_receive_dialog_get_file_text (dialog, 0);
  assert_contains (text, "1 conflict kept");
  assert_contains (awda_receive_dialog_get_summary (dialog), "1 conflict was kept for you to resolve.");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Garbage is refused with the core's sentence and changes nothing; a
 * good file beside it is still received. */
static void
test_receive_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (f->folder, "garbage.awda", NULL);
  g_autofree char *good = g_build_filename (f->folder, "good.awda", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *paths[] = { garbage, NULL };
  const char *both[] = { garbage, good, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSyncImport) direct = NULL;
  AwdaReceiveDialog *dialog;
  const char *text;

  g_assert_true (g_file_set_contents (garbage, "This is no bundle at all.\n", -1, &error));
  g_assert_no_error (error);
  g_free (add_case (f->sfax, "Fatma", "Jlassi"));
  test_export (f->sfax, NULL, good);

  /* The core's own sentence, which the row must show. */
  direct = awda_sync_import (f->tunis->store, garbage, NULL, NULL, NULL, &error);
  g_assert_null (direct);
  g_assert_error (error, AWDA_BUNDLE_ERROR, error->code);

  before = test_dump (f->tunis->store);
  dialog = receive (f, paths);
  text = awda_receive_dialog_get_file_text (dialog, 0);
  assert_contains (text, "garbage.awda\nRefused: nothing from this file was applied.\n");
  assert_contains (text, error->message);
  assert_contains (awda_receive_dialog_get_summary (dialog), "A refused file leaves the cases as they were");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Receive Changes");
  after = test_dump (f->tunis->store);
  g_assert_cmpstr (before, ==, after);
  gtk_window_destroy (GTK_WINDOW (dialog));

  dialog = receive (f, both);
  assert_contains (awda_receive_dialog_get_file_text (dialog, 0), "Refused");
  assert_contains (awda_receive_dialog_get_file_text (dialog, 1), "Sent by Bureau régional de Sfax");
  g_assert_cmpuint (n_cases (f), ==, 2);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_suggest_name (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 9, 10, 0, 0);
  g_autofree char *name = awda_send_dialog_suggest_name ("Bureau régional: Sfax/Nord", "Centre  d’Ariana", date);
  g_autofree char *all = awda_send_dialog_suggest_name ("مكتب صفاقس", NULL, date);

  g_assert_cmpstr (name, ==, "awda-Bureau-régional-Sfax-Nord-Centre-d-Ariana-2026-03-09.awda");
  g_assert_cmpstr (all, ==, "awda-مكتب-صفاقس-all-2026-03-09.awda");
}

static void
test_no_display (void)
{
  g_test_skip ("There is no display: run the ui tests under tools/with-display.");
}

int
main (int   argc,
      char *argv[])
{
  g_content_type_set_mime_dirs (NULL);
  g_settings_schema_source_get_default ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/sync-window/no-display", test_no_display);
      return g_test_run ();
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/sync-window/suggest-name", test_suggest_name);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-window/send/peer", test_send);
  ADD ("/sync-window/send/all", test_send_all);
  ADD ("/sync-window/send/cancel", test_send_cancel);
  ADD ("/sync-window/receive/applied-present-conflicts", test_receive);
  ADD ("/sync-window/receive/refused", test_receive_refused);
#undef ADD

  return g_test_run ();
}

/* test-conflicts-dialog.c: the conflicts a sync kept, shown and resolved in the window
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two offices, Sfax and Tunis, edit the same fields before either hears
 * of the other; their bundles cross, and Sfax keeps the values that lost
 * as conflicts. The dialog must name the person, the field, both values
 * and both offices, and each way of resolving must write the value
 * chosen, and only that. Needs a display: meson runs it under
 * tools/with-display; without one every test is skipped.
 */

#define G_LOG_DOMAIN "awda-test-conflicts-dialog"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "awda-conflicts-dialog.h"
#include "sync-test-util.h"

typedef struct
{
  char     *dir;
  TestSite *sfax;
  TestSite *tunis;
  guint     n_bundles;

  char     *case_id;
  char     *member_id;
  gint64    status_conflict;
  gint64    relation_conflict;
  gint64    birth_date_conflict;
} Fixture;

/* From @from to @to, every change @to is not known to hold. */
static void
send (Fixture  *f,
      TestSite *from,
      TestSite *to)
{
  g_autofree char *path = g_strdup_printf ("%s/bundle-%u.awda", f->dir, ++f->n_bundles);
  g_autoptr(AwdaSyncImport) result = NULL;

  test_export (from, NULL, path);
  result = test_import (to, path);
}

static char *
stored (AwdaStore  *store,
        const char *entity,
        const char *id,
        const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = awda_store_get_record (store, entity, id, &error);

  g_assert_no_error (error);
  return g_strdup (awda_record_get (record, field));
}

static guint
n_conflicts (AwdaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = awda_sync_list_conflicts (store, &error);

  g_assert_no_error (error);
  return conflicts->len;
}

static gint64
conflict_on (AwdaStore  *store,
             const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = awda_sync_list_conflicts (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      AwdaSyncConflict *c = g_ptr_array_index (conflicts, i);

      if (g_str_equal (c->field, field))
        return c->id;
    }
  g_assert_not_reached ();
  return -1;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-test-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  f->sfax = test_site_new (f->dir, "Bureau régional de Sfax", "regional");
  f->tunis = test_site_new (f->dir, "Siège de Tunis", "central");

  f->case_id = test_write (f->sfax, "case", NULL,
                           "given_name", "Mohamed", "family_name", "Ben Salah",
                           "given_name_ar", "محمد", "family_name_ar", "بن صالح",
                           "status", "reception", "birth_date", "1990-05-12", NULL);
  f->member_id = test_write (f->sfax, "household_member", NULL,
                             "case_id", f->case_id, "name", "Amira", "relation", "spouse", NULL);
  send (f, f->sfax, f->tunis);

  /* The same fields at both ends before either hears of the other;
   * Tunis writes later, so Tunis's values win and Sfax's are kept. */
  g_free (test_write (f->sfax, "case", f->case_id, "status", "assessment", "birth_date", "1990-05-21", NULL));
  g_free (test_write (f->sfax, "household_member", f->member_id, "relation", "sibling", NULL));
  f->tunis->now_ms += 5;
  g_free (test_write (f->tunis, "case", f->case_id, "status", "plan", "birth_date", "1991-05-12", NULL));
  g_free (test_write (f->tunis, "household_member", f->member_id, "relation", "parent", NULL));
  send (f, f->tunis, f->sfax);

  g_assert_cmpuint (n_conflicts (f->sfax->store), ==, 3);
  f->status_conflict = conflict_on (f->sfax->store, "status");
  f->relation_conflict = conflict_on (f->sfax->store, "relation");
  f->birth_date_conflict = conflict_on (f->sfax->store, "birth_date");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_site_free (f->sfax);
  test_site_free (f->tunis);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->case_id);
  g_free (f->member_id);
}

static AwdaConflictsDialog *
open_dialog (AwdaStore *store)
{
  AwdaConflictsDialog *dialog = awda_conflicts_dialog_new (NULL, store);

  /* A reference of the test's own, to see the dialog finalized. */
  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
close_dialog (AwdaConflictsDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” not in:\n%s", part, text ? text : "(no row)");
}

static void
on_resolved_cb (AwdaConflictsDialog  *dialog,
                const char           *case_id,
                char                **resolved)
{
  g_free (*resolved);
  *resolved = g_strdup (case_id != NULL ? case_id : "(none)");
}

/* Each row names the person, the field, the two values as a caseworker
 * reads them, and the office that wrote each. */
static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  AwdaConflictsDialog *dialog = open_dialog (f->sfax->store);
  g_autofree char *status = NULL;
  g_autofree char *relation = NULL;

  g_assert_false (awda_conflicts_dialog_is_empty (dialog));
  g_assert_cmpuint (awda_conflicts_dialog_get_n_conflicts (dialog), ==, 3);
  g_assert_cmpuint (awda_conflicts_dialog_get_n_set_aside (dialog), ==, 0);

  status = awda_conflicts_dialog_get_conflict_text (dialog, f->status_conflict);
  assert_contains (status, "Mohamed Ben Salah");
  assert_contains (status, "محمد بن صالح");
  assert_contains (status, "Stage");
  assert_contains (status, "Plan");        /* Tunis's, current */
  assert_contains (status, "Assessment");  /* Sfax's, kept */
  assert_contains (status, "Siège de Tunis");
  assert_contains (status, "Bureau régional de Sfax");
  g_assert_null (strstr (status, "assessment"));  /* never the stored value */
  /* The current value first, with its office. */
  g_assert_true (strstr (status, "Plan") < strstr (status, "Assessment"));
  g_assert_true (strstr (status, "Siège de Tunis") < strstr (status, "Bureau régional de Sfax"));

  /* A household member's row names the case it belongs to. */
  relation = awda_conflicts_dialog_get_conflict_text (dialog, f->relation_conflict);
  assert_contains (relation, "Mohamed Ben Salah");
  assert_contains (relation, "Household member");
  assert_contains (relation, "Relation");
  assert_contains (relation, "Parent");
  assert_contains (relation, "Sibling");

  close_dialog (dialog);
}

static void
test_keep_current (Fixture       *f,
                   gconstpointer  data)
{
  AwdaConflictsDialog *dialog = open_dialog (f->sfax->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *value = NULL;

  g_signal_connect (dialog, "resolved", G_CALLBACK (on_resolved_cb), &resolved);
  g_assert_true (awda_conflicts_dialog_resolve (dialog, f->status_conflict,
                                                AWDA_SYNC_KEEP_CURRENT, NULL, &error));
  g_assert_no_error (error);

  value = stored (f->sfax->store, "case", f->case_id, "status");
  g_assert_cmpstr (value, ==, "plan");
  g_assert_cmpuint (n_conflicts (f->sfax->store), ==, 2);
  g_assert_cmpuint (awda_conflicts_dialog_get_n_conflicts (dialog), ==, 2);
  g_assert_null (awda_conflicts_dialog_get_conflict_text (dialog, f->status_conflict));
  g_assert_cmpstr (resolved, ==, f->case_id);

  close_dialog (dialog);
}

/* A button, by its label, in the dialog's first row. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Through the row's own button: the household member's relation. */
static void
test_keep_other (Fixture       *f,
                 gconstpointer  data)
{
  AwdaConflictsDialog *dialog = open_dialog (f->sfax->store);
  g_autofree char *resolved = NULL;
  g_autofree char *value = NULL;
  gint64 first;
  GtkWidget *button;

  g_signal_connect (dialog, "resolved", G_CALLBACK (on_resolved_cb), &resolved);
  first = awda_conflicts_dialog_get_conflict_id (dialog, 0);
  button = find_button (GTK_WIDGET (dialog), "Keep Other");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  g_assert_cmpuint (n_conflicts (f->sfax->store), ==, 2);
  g_assert_null (awda_conflicts_dialog_get_conflict_text (dialog, first));
  g_assert_cmpstr (resolved, ==, f->case_id);

  /* And by id: the relation Sfax wrote, which had lost. */
  if (first != f->relation_conflict)
    g_assert_true (awda_conflicts_dialog_resolve (dialog, f->relation_conflict,
                                                  AWDA_SYNC_KEEP_OTHER, NULL, NULL));
  value = stored (f->sfax->store, "household_member", f->member_id, "relation");
  g_assert_cmpstr (value, ==, "sibling");
  g_assert_null (awda_conflicts_dialog_get_conflict_text (dialog, f->relation_conflict));

  close_dialog (dialog);
}

static void
test_typed_value (Fixture       *f,
                  gconstpointer  data)
{
  AwdaConflictsDialog *dialog = open_dialog (f->sfax->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_true (awda_conflicts_dialog_resolve (dialog, f->birth_date_conflict,
                                                AWDA_SYNC_KEEP_VALUE, "1990-12-05", &error));
  g_assert_no_error (error);
  value = stored (f->sfax->store, "case", f->case_id, "birth_date");
  g_assert_cmpstr (value, ==, "1990-12-05");
  g_assert_cmpuint (n_conflicts (f->sfax->store), ==, 2);
  g_assert_null (awda_conflicts_dialog_get_conflict_text (dialog, f->birth_date_conflict));

  close_dialog (dialog);
}

/* A date typed the locale's way, as every date field takes it (the tests
 * run in C.UTF-8: month first). */
static void
test_typed_local_date (Fixture       *f,
                       gconstpointer  data)
{
  AwdaConflictsDialog *dialog = open_dialog (f->sfax->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_true (awda_conflicts_dialog_resolve (dialog, f->birth_date_conflict,
                                                AWDA_SYNC_KEEP_VALUE, "12/05/1990", &error));
  g_assert_no_error (error);
  value = stored (f->sfax->store, "case", f->case_id, "birth_date");
  g_assert_cmpstr (value, ==, "1990-12-05");
  g_assert_null (awda_conflicts_dialog_get_conflict_text (dialog, f->birth_date_conflict));

  close_dialog (dialog);
}

/* A value the store refuses writes nothing, and says why in the row. */
static void
test_refused_value (Fixture       *f,
                    gconstpointer  data)
{
  AwdaConflictsDialog *dialog = open_dialog (f->sfax->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *value = NULL;
  const char *message;

  g_signal_connect (dialog, "resolved", G_CALLBACK (on_resolved_cb), &resolved);
  g_assert_null (awda_conflicts_dialog_get_message (dialog, f->birth_date_conflict));
  g_assert_false (awda_conflicts_dialog_resolve (dialog, f->birth_date_conflict,
                                                 AWDA_SYNC_KEEP_VALUE, "1990-13-45", &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);

  message = awda_conflicts_dialog_get_message (dialog, f->birth_date_conflict);
  g_assert_cmpstr (message, ==, error->message);
  value = stored (f->sfax->store, "case", f->case_id, "birth_date");
  g_assert_cmpstr (value, ==, "1991-05-12");
  g_assert_cmpuint (n_conflicts (f->sfax->store), ==, 3);
  g_assert_cmpuint (awda_conflicts_dialog_get_n_conflicts (dialog), ==, 3);
  g_assert_nonnull (awda_conflicts_dialog_get_conflict_text (dialog, f->birth_date_conflict));
  g_assert_null (resolved);

  close_dialog (dialog);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  AwdaConflictsDialog *dialog = open_dialog (f->tunis->store);

  g_assert_cmpuint (n_conflicts (f->tunis->store), ==, 0);
  g_assert_true (awda_conflicts_dialog_is_empty (dialog));
  g_assert_cmpuint (awda_conflicts_dialog_get_n_conflicts (dialog), ==, 0);
  close_dialog (dialog);

  /* Once all three are resolved, the dialog says so too. */
  dialog = open_dialog (f->sfax->store);
  g_assert_true (awda_conflicts_dialog_resolve (dialog, f->status_conflict, AWDA_SYNC_KEEP_CURRENT, NULL, NULL));
  g_assert_true (awda_conflicts_dialog_resolve (dialog, f->relation_conflict, AWDA_SYNC_KEEP_CURRENT, NULL, NULL));
  g_assert_false (awda_conflicts_dialog_is_empty (dialog));
  g_assert_true (awda_conflicts_dialog_resolve (dialog, f->birth_date_conflict, AWDA_SYNC_KEEP_OTHER, NULL, NULL));
  g_assert_true (awda_conflicts_dialog_is_empty (dialog));
  close_dialog (dialog);
}

/* A change from a machine whose clock is a year ahead is set aside, and
 * listed with why, who sent it and when it came. */
static void
test_set_aside (Fixture       *f,
                gconstpointer  data)
{
  TestSite *gabes = test_site_new (f->dir, "Antenne de Gabès", "field");
  g_autofree char *path = g_strdup_printf ("%s/future.awda", f->dir);
  g_autofree char *text = NULL;
  g_autoptr(AwdaSyncImport) result = NULL;
  AwdaConflictsDialog *dialog;

  gabes->now_ms = SYNC_TEST_EPOCH_MS + G_GINT64_CONSTANT (365) * 86400000;
  g_free (test_write (gabes, "case", NULL, "given_name", "Walid", "status", "reception", NULL));
  test_export (gabes, NULL, path);
  result = test_import (f->tunis, path);
  g_assert_cmpuint (result->quarantined, >, 0);

  dialog = open_dialog (f->tunis->store);
  g_assert_false (awda_conflicts_dialog_is_empty (dialog));
  g_assert_cmpuint (awda_conflicts_dialog_get_n_conflicts (dialog), ==, 0);
  /* A row for the case, not one for each of its fields. */
  g_assert_cmpuint (awda_conflicts_dialog_get_n_set_aside (dialog), ==, 1);
  text = awda_conflicts_dialog_get_set_aside_text (dialog, 0);
  assert_contains (text, "Case");
  assert_contains (text, "Given name");
  assert_contains (text, "Walid");
  assert_contains (text, "Stage");
  assert_contains (text, "Reception");
  assert_contains (text, "days ahead of this machine");
  assert_contains (text, "Antenne de Gabès");
  g_assert_null (awda_conflicts_dialog_get_set_aside_text (dialog, 1));
  close_dialog (dialog);

  test_site_free (gabes);
}

static void
test_no_display (void)
{
  g_test_skip ("No display");
}

int
main (int   argc,
      char *argv[])
{
  /* The system's MIME database, which the isolated folders would hide. */
  g_content_type_set_mime_dirs (NULL);

  /* Not gtk_test_init(): in GTK 4.8 it drops G_TEST_OPTION_ISOLATE_DIRS,
   * and aborts when there is no display. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/conflicts/no-display", test_no_display);
      return g_test_run ();
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/conflicts/rows", test_rows);
  ADD ("/ui/conflicts/keep-current", test_keep_current);
  ADD ("/ui/conflicts/keep-other", test_keep_other);
  ADD ("/ui/conflicts/typed-value", test_typed_value);
  ADD ("/ui/conflicts/typed-local-date", test_typed_local_date);
  ADD ("/ui/conflicts/refused-value", test_refused_value);
  ADD ("/ui/conflicts/empty", test_empty);
  ADD ("/ui/conflicts/set-aside", test_set_aside);
#undef ADD

  return g_test_run ();
}

/* test-undo.c: undoing and redoing the edits of an open case
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "awda-undo.h"

typedef struct
{
  char          *dir;
  char          *path;
  AwdaStore     *store;
  AwdaUndoStack *undo;
  char          *case_id;
  guint          n_can_undo_notifies;
  guint          n_can_redo_notifies;
} Fixture;

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Fixture *f = user_data;

  if (g_str_equal (pspec->name, "can-undo"))
    f->n_can_undo_notifies++;
  else if (g_str_equal (pspec->name, "can-redo"))
    f->n_can_redo_notifies++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);

  f->dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->store = awda_store_create (f->path, "Bureau de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);

  awda_edit_set (edit, "given_name", "Youssef");
  awda_edit_set (edit, "family_name", "Lassoued");
  awda_edit_set (edit, "governorate", "TN-23");
  awda_store_apply (f->store, edit, &error);
  g_assert_no_error (error);
  f->case_id = g_strdup (awda_edit_get_record (edit));

  f->undo = awda_undo_stack_new (f->store);
  g_signal_connect (f->undo, "notify", G_CALLBACK (on_notify_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_finalize_object (f->undo);
  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->case_id);
}

static char *
get (Fixture    *f,
     const char *entity,
     const char *id,
     const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = awda_store_get_record (f->store, entity, id, &error);

  g_assert_no_error (error);
  return g_strdup (awda_record_get (record, field));
}

static void
assert_field (Fixture    *f,
              const char *field,
              const char *expected)
{
  g_autofree char *value = get (f, "case", f->case_id, field);

  g_assert_cmpstr (value, ==, expected);
}

/* The number of changes of the newest write, all of one clock. */
static guint
n_changes_of_last_write (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = awda_store_get_history (f->store, f->case_id, &error);
  guint64 hlc;
  guint n = 0;

  g_assert_no_error (error);
  hlc = ((AwdaHistoryEntry *) g_ptr_array_index (history, 0))->hlc;
  for (guint i = 0; i < history->len; i++)
    if (((AwdaHistoryEntry *) g_ptr_array_index (history, i))->hlc == hlc)
      n++;
  return n;
}

static void
edit_case (Fixture    *f,
           const char *field1,
           const char *value1,
           ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", f->case_id);
  g_autoptr(GError) error = NULL;
  const char *field = field1;
  const char *value = value1;
  va_list args;

  va_start (args, value1);
  while (field != NULL)
    {
      awda_edit_set (edit, field, value);
      field = va_arg (args, const char *);
      if (field != NULL)
        value = va_arg (args, const char *);
    }
  va_end (args);

  g_assert_true (awda_undo_stack_apply (f->undo, edit, &error));
  g_assert_no_error (error);
}

static void
test_undo_redo_multi_field (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *redo_label = NULL;
  guint n_history;

  g_assert_false (awda_undo_stack_can_undo (f->undo));
  {
    g_autoptr(GPtrArray) history = awda_store_get_history (f->store, f->case_id, &error);

    g_assert_no_error (error);
    n_history = history->len;
  }

  /* One commit of three fields: a name corrected, a phone added, the
   * governorate cleared. */
  edit_case (f, "family_name", "Lassouad", "phone", "+216 53 401 244", "governorate", "", NULL);
  g_assert_true (awda_undo_stack_can_undo (f->undo));
  g_assert_false (awda_undo_stack_can_redo (f->undo));
  g_assert_cmpuint (f->n_can_undo_notifies, ==, 1);
  label = awda_undo_stack_describe_undo (f->undo);
  g_assert_cmpstr (label, ==, "Undo the changes to 3 fields");

  g_assert_true (awda_undo_stack_undo (f->undo, &error));
  g_assert_no_error (error);
  assert_field (f, "family_name", "Lassoued");
  assert_field (f, "phone", NULL);
  assert_field (f, "governorate", "TN-23");
  assert_field (f, "given_name", "Youssef");
  /* Undo is a new write of the three fields at once, not a rollback. */
  g_assert_cmpuint (n_changes_of_last_write (f), ==, 3);
  g_assert_false (awda_undo_stack_can_undo (f->undo));
  g_assert_true (awda_undo_stack_can_redo (f->undo));
  redo_label = awda_undo_stack_describe_redo (f->undo);
  g_assert_cmpstr (redo_label, ==, "Redo the changes to 3 fields");

  g_assert_true (awda_undo_stack_redo (f->undo, &error));
  g_assert_no_error (error);
  assert_field (f, "family_name", "Lassouad");
  assert_field (f, "phone", "+216 53 401 244");
  assert_field (f, "governorate", NULL);
  g_assert_cmpuint (n_changes_of_last_write (f), ==, 3);
  g_assert_true (awda_undo_stack_can_undo (f->undo));
  g_assert_false (awda_undo_stack_can_redo (f->undo));

  {
    g_autoptr(GPtrArray) history = awda_store_get_history (f->store, f->case_id, &error);

    g_assert_no_error (error);
    /* 3 changes for the edit, its undo and its redo. */
    g_assert_cmpuint (history->len, ==, n_history + 9);
  }
}

static void
test_steps_in_order (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  edit_case (f, "given_name", "Youssif", NULL);
  edit_case (f, "given_name", "Youssef Ali", NULL);
  label = awda_undo_stack_describe_undo (f->undo);
  g_assert_cmpstr (label, ==, "Undo the change to “Given name”");

  g_assert_true (awda_undo_stack_undo (f->undo, &error));
  g_assert_no_error (error);
  assert_field (f, "given_name", "Youssif");
  g_assert_true (awda_undo_stack_undo (f->undo, &error));
  g_assert_no_error (error);
  assert_field (f, "given_name", "Youssef");

  g_assert_false (awda_undo_stack_undo (f->undo, &error));
  g_assert_error (error, AWDA_UNDO_ERROR, AWDA_UNDO_ERROR_EMPTY);
  g_clear_error (&error);

  /* A new edit forgets what could be redone. */
  g_assert_true (awda_undo_stack_can_redo (f->undo));
  edit_case (f, "given_name", "Youcef", NULL);
  g_assert_false (awda_undo_stack_can_redo (f->undo));
  g_assert_false (awda_undo_stack_redo (f->undo, &error));
  g_assert_error (error, AWDA_UNDO_ERROR, AWDA_UNDO_ERROR_EMPTY);
  g_clear_error (&error);
  assert_field (f, "given_name", "Youcef");
}

static void
test_unchanged_edit_is_no_step (Fixture       *f,
                                gconstpointer  data)
{
  edit_case (f, "given_name", "  Youssef ", NULL);
  g_assert_false (awda_undo_stack_can_undo (f->undo));
  g_assert_cmpuint (f->n_can_undo_notifies, ==, 0);
}

static void
test_refused_edit_is_no_step (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", f->case_id);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, "given_name", "Yusuf");
  awda_edit_set (edit, "birth_date", "1988-02-30");
  g_assert_false (awda_undo_stack_apply (f->undo, edit, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_false (awda_undo_stack_can_undo (f->undo));
  assert_field (f, "given_name", "Youssef");
}

static void
test_undo_new_record (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("follow_up", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autofree char *label = NULL;
  g_autofree char *id = NULL;

  awda_edit_set (edit, "case_id", f->case_id);
  awda_edit_set (edit, "scheduled_on", "2025-12-01");
  awda_edit_set (edit, "mode", "phone");
  g_assert_true (awda_undo_stack_apply (f->undo, edit, &error));
  g_assert_no_error (error);
  id = g_strdup (awda_edit_get_record (edit));
  label = awda_undo_stack_describe_undo (f->undo);
  g_assert_cmpstr (label, ==, "Undo adding “Follow-up”");

  g_assert_true (awda_undo_stack_undo (f->undo, &error));
  g_assert_no_error (error);
  children = awda_store_list_children (f->store, "follow_up", f->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 0);

  g_assert_true (awda_undo_stack_redo (f->undo, &error));
  g_assert_no_error (error);
  g_clear_pointer (&children, g_ptr_array_unref);
  children = awda_store_list_children (f->store, "follow_up", f->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 1);
  g_assert_cmpstr (((AwdaRecord *) g_ptr_array_index (children, 0))->id, ==, id);
  g_assert_cmpstr (awda_record_get (g_ptr_array_index (children, 0), "mode"), ==, "phone");
}

static void
test_changed_elsewhere (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AwdaEdit) other = awda_edit_new ("case", f->case_id);
  g_autoptr(GError) error = NULL;

  edit_case (f, "phone", "53401244", "family_name", "Lassouad", NULL);

  /* Another writer (a bundle, the command line) changes the phone. */
  awda_edit_set (other, "phone", "98 123 456");
  g_assert_true (awda_store_apply (f->store, other, &error));
  g_assert_no_error (error);

  g_assert_false (awda_undo_stack_undo (f->undo, &error));
  g_assert_error (error, AWDA_UNDO_ERROR, AWDA_UNDO_ERROR_CHANGED);
  g_assert_cmpstr (error->message, ==, "“Phone” was changed again since: the earlier change cannot be undone.");
  g_clear_error (&error);

  /* Nothing was overwritten, and the step is gone. */
  assert_field (f, "phone", "98 123 456");
  assert_field (f, "family_name", "Lassouad");
  g_assert_false (awda_undo_stack_can_undo (f->undo));
  g_assert_false (awda_undo_stack_can_redo (f->undo));
}

static void
test_depth_is_bounded (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (guint i = 0; i < AWDA_UNDO_MAX_STEPS + 5; i++)
    {
      g_autofree char *value = g_strdup_printf ("%u", i + 1);
      edit_case (f, "occupation", value, NULL);
    }
  while (awda_undo_stack_undo (f->undo, &error))
    n++;
  g_assert_error (error, AWDA_UNDO_ERROR, AWDA_UNDO_ERROR_EMPTY);
  g_assert_cmpuint (n, ==, AWDA_UNDO_MAX_STEPS);
  assert_field (f, "occupation", "5");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/undo/undo-redo-multi-field", test_undo_redo_multi_field);
  ADD ("/core/undo/steps-in-order", test_steps_in_order);
  ADD ("/core/undo/unchanged-edit-is-no-step", test_unchanged_edit_is_no_step);
  ADD ("/core/undo/refused-edit-is-no-step", test_refused_edit_is_no_step);
  ADD ("/core/undo/new-record", test_undo_new_record);
  ADD ("/core/undo/changed-elsewhere", test_changed_elsewhere);
  ADD ("/core/undo/depth-is-bounded", test_depth_is_bounded);
#undef ADD

  return g_test_run ();
}

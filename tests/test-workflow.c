/* test-workflow.c: a case's stages, their guards, closure, reopening, approval and consent
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "awda-store-private.h"
#include "awda-workflow.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  gint64     now_ms;
  char      *office;      /* threshold 3000 TND */
  char      *supervisor;
  char      *caseworker;
  char      *case_id;     /* at reception, of that office */
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;
  return f->now_ms;
}

static char *
create (AwdaStore  *store,
        const char *entity,
        ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, NULL);
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;

  va_start (args, entity);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static void
set_field (AwdaStore  *store,
           const char *entity,
           const char *id,
           const char *field,
           const char *value)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, id);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, field, value);
  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
}

static char *
get_field (AwdaStore  *store,
           const char *entity,
           const char *id,
           const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = awda_store_get_record (store, entity, id, &error);

  g_assert_no_error (error);
  return g_strdup (awda_record_get (record, field));
}

/* The data and the change log, to show that a refusal wrote nothing. */
static char *
snapshot (AwdaStore *store)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 changes = -1;

  g_assert_true (awda_store_dump (store, out, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (store), "SELECT count(*) FROM change_log",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    changes = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return g_strdup_printf ("%" G_GINT64_FORMAT " changes\n%.*s", changes,
                          (int) g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                          (const char *) g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->now_ms = G_GINT64_CONSTANT (1763985600000);  /* 2025-11-24, noon UTC */

  f->store = awda_store_create (f->path, "Bureau de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);
  awda_store_set_wall_clock (f->store, fake_clock, f);

  f->office = create (f->store, "office", "name", "Bureau régional de Gabès", "kind", "regional",
                      "governorate", "TN-81", "approval_threshold", "3000", "threshold_currency", "TND", NULL);
  f->supervisor = create (f->store, "staff", "name", "Amel Jaziri", "role", "supervisor",
                          "office", f->office, "active", "true", NULL);
  f->caseworker = create (f->store, "staff", "name", "Karim Souissi", "role", "caseworker",
                          "office", f->office, "active", "true", NULL);
  f->case_id = create (f->store, "case", "given_name", "Youssef", "family_name", "Lassoued",
                       "owner_office", f->office, "caseworker", f->caseworker, NULL);
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
  g_free (f->office);
  g_free (f->supervisor);
  g_free (f->caseworker);
  g_free (f->case_id);
}

static char *
status_of (Fixture *f)
{
  return get_field (f->store, "case", f->case_id, "status");
}

static void
assert_status (Fixture    *f,
               const char *expected)
{
  g_autofree char *status = status_of (f);

  g_assert_cmpstr (status, ==, expected);
}

static char *
add_assessment (Fixture *f)
{
  return create (f->store, "assessment", "case_id", f->case_id, "date", "2025-11-20",
                 "kind", "needs", "assessed_by", f->caseworker, NULL);
}

static char *
add_plan_item (Fixture    *f,
               const char *budget,
               const char *currency)
{
  return create (f->store, "plan_item", "case_id", f->case_id, "dimension", "economic",
                 "kind", "business_creation", "budget", budget, "currency", currency, NULL);
}

/* The action of a kind in a list, or NULL. */
static const AwdaWorkflowAction *
find_action (GPtrArray              *actions,
             AwdaWorkflowActionKind  kind)
{
  for (guint i = 0; i < actions->len; i++)
    {
      const AwdaWorkflowAction *action = g_ptr_array_index (actions, i);

      if (action->kind == kind)
        return action;
    }
  return NULL;
}

static GPtrArray *
list_actions (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *actions = awda_workflow_list_actions (f->store, f->case_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (actions);
  return actions;
}

/* Every change of one action carries the same clock: one edit. */
static void
assert_last_write_is_one_edit (Fixture *f,
                               guint    n_fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = awda_store_get_history (f->store, f->case_id, &error);
  guint64 hlc;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >, 0);
  hlc = ((AwdaHistoryEntry *) g_ptr_array_index (history, 0))->hlc;
  for (guint i = 0; i < history->len; i++)
    if (((AwdaHistoryEntry *) g_ptr_array_index (history, i))->hlc == hlc)
      n++;
  g_assert_cmpuint (n, ==, n_fields);
}

static void
test_stages (void)
{
  const char *const *stages = awda_workflow_get_stages ();

  g_assert_cmpuint (g_strv_length ((char **) stages), ==, 6);
  g_assert_cmpstr (stages[0], ==, "reception");
  g_assert_cmpstr (stages[5], ==, "closed");
  g_assert_cmpint (awda_workflow_stage_index ("plan"), ==, 2);
  g_assert_cmpint (awda_workflow_stage_index ("nowhere"), ==, -1);
  g_assert_cmpint (awda_workflow_stage_index (NULL), ==, -1);

  g_assert_true (awda_workflow_field_is_managed ("case", "status"));
  g_assert_true (awda_workflow_field_is_managed ("case", "closure_reason"));
  g_assert_true (awda_workflow_field_is_managed ("plan_item", "approved_by"));
  g_assert_false (awda_workflow_field_is_managed ("plan_item", "status"));
  g_assert_false (awda_workflow_field_is_managed ("case", "given_name"));

  /* The dictionary knows the same stages. */
  for (guint i = 0; stages[i]; i++)
    g_assert_nonnull (awda_field_lookup_value (awda_entity_lookup_field (awda_dictionary_lookup_entity ("case"),
                                                                         "status"), stages[i]));
}

static void
test_actions_at_reception (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) actions = list_actions (f);
  const AwdaWorkflowAction *advance = find_action (actions, AWDA_WORKFLOW_ADVANCE);
  const AwdaWorkflowAction *close = find_action (actions, AWDA_WORKFLOW_CLOSE);

  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_nonnull (advance);
  g_assert_cmpstr (advance->target, ==, "assessment");
  g_assert_true (advance->allowed);
  g_assert_null (advance->reason);
  g_assert_cmpstr (advance->label, ==, "Start the assessment");
  g_assert_nonnull (close);
  g_assert_true (close->allowed);
  g_assert_null (find_action (actions, AWDA_WORKFLOW_GO_BACK));
  g_assert_null (find_action (actions, AWDA_WORKFLOW_REOPEN));
}

static void
test_no_plan_before_assessment (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *assessment = NULL;
  const AwdaWorkflowAction *advance;

  g_assert_true (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_no_error (error);
  assert_status (f, "assessment");
  assert_last_write_is_one_edit (f, 1);

  actions = list_actions (f);
  advance = find_action (actions, AWDA_WORKFLOW_ADVANCE);
  g_assert_cmpstr (advance->target, ==, "plan");
  g_assert_false (advance->allowed);
  g_assert_cmpstr (advance->reason, ==,
                   "No plan before an assessment: record at least one assessment of the case first.");
  g_assert_true (find_action (actions, AWDA_WORKFLOW_GO_BACK)->allowed);

  before = snapshot (f->store);
  g_assert_false (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, advance->reason);
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);
  assert_status (f, "assessment");

  /* A deleted assessment does not count. */
  assessment = add_assessment (f);
  set_field (f->store, "assessment", assessment, "deleted", "true");
  g_assert_false (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);

  g_free (add_assessment (f));
  g_assert_true (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_no_error (error);
  assert_status (f, "plan");
}

static void
test_implementation_needs_approved_item (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autofree char *item = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const AwdaWorkflowAction *advance;

  g_free (add_assessment (f));
  set_field (f->store, "case", f->case_id, "status", "plan");
  item = add_plan_item (f, "1200", "TND");

  actions = list_actions (f);
  advance = find_action (actions, AWDA_WORKFLOW_ADVANCE);
  g_assert_cmpstr (advance->target, ==, "implementation");
  g_assert_false (advance->allowed);
  g_assert_cmpstr (advance->reason, ==,
                   "Implementation needs an approved plan item: approve at least one item of the plan first.");

  before = snapshot (f->store);
  g_assert_false (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, advance->reason);
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (awda_workflow_approve_plan_item (f->store, item, f->caseworker, &error));
  g_assert_no_error (error);
  g_assert_true (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_no_error (error);
  assert_status (f, "implementation");
  g_assert_true (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_no_error (error);
  assert_status (f, "monitoring");

  /* Monitoring is the last stage before closure: no advance, but close. */
  g_clear_pointer (&actions, g_ptr_array_unref);
  actions = list_actions (f);
  g_assert_null (find_action (actions, AWDA_WORKFLOW_ADVANCE));
  g_assert_cmpstr (find_action (actions, AWDA_WORKFLOW_GO_BACK)->target, ==, "implementation");
  g_assert_nonnull (find_action (actions, AWDA_WORKFLOW_CLOSE));
  g_assert_false (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "close it with a closure reason"));
  g_clear_error (&error);
  assert_status (f, "monitoring");
}

static void
test_go_back (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  before = snapshot (f->store);
  g_assert_false (awda_workflow_go_back (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "The case is at its first stage, Reception: there is no stage before it.");
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);

  g_free (add_assessment (f));
  set_field (f->store, "case", f->case_id, "status", "plan");
  g_assert_true (awda_workflow_go_back (f->store, f->case_id, &error));
  g_assert_no_error (error);
  assert_status (f, "assessment");
  assert_last_write_is_one_edit (f, 1);
  g_assert_true (awda_workflow_go_back (f->store, f->case_id, &error));
  g_assert_no_error (error);
  assert_status (f, "reception");
}

static void
test_close_needs_reason (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autofree char *before = snapshot (f->store);
  g_autofree char *after = NULL;
  g_autofree char *closed_on = NULL;
  g_autofree char *reason = NULL;

  g_assert_false (awda_workflow_close (f->store, f->case_id, NULL, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "Closing a case needs a closure reason: choose why the case ends.");
  g_clear_error (&error);

  g_assert_false (awda_workflow_close (f->store, f->case_id, "  ", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);

  g_assert_false (awda_workflow_close (f->store, f->case_id, "bored", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "“bored” is not a closure reason: choose one from the list.");
  g_clear_error (&error);

  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);
  assert_status (f, "reception");

  /* A case may close at any stage. */
  g_assert_true (awda_workflow_close (f->store, f->case_id, "unreachable", &error));
  g_assert_no_error (error);
  assert_status (f, "closed");
  closed_on = get_field (f->store, "case", f->case_id, "closed_on");
  reason = get_field (f->store, "case", f->case_id, "closure_reason");
  g_assert_cmpstr (closed_on, ==, "2025-11-24");
  g_assert_cmpstr (reason, ==, "unreachable");
  assert_last_write_is_one_edit (f, 3);

  actions = list_actions (f);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_cmpint (((AwdaWorkflowAction *) g_ptr_array_index (actions, 0))->kind, ==, AWDA_WORKFLOW_REOPEN);

  g_assert_false (awda_workflow_close (f->store, f->case_id, "withdrew", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "The case is already closed.");
  g_clear_error (&error);
  g_assert_false (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (awda_workflow_go_back (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);
}

static void
test_close_and_reopen (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *closed_on = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) actions = NULL;

  /* Not closed: nothing to reopen. */
  before = snapshot (f->store);
  g_assert_false (awda_workflow_reopen (f->store, f->case_id, NULL, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "The case is not closed, so it cannot be reopened.");
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);

  g_free (add_assessment (f));
  item = add_plan_item (f, "800", "TND");
  g_assert_true (awda_workflow_approve_plan_item (f->store, item, f->caseworker, &error));
  g_assert_no_error (error);
  set_field (f->store, "case", f->case_id, "status", "monitoring");

  g_assert_true (awda_workflow_close (f->store, f->case_id, "reintegrated", &error));
  g_assert_no_error (error);
  assert_status (f, "closed");

  actions = list_actions (f);
  g_assert_cmpstr (find_action (actions, AWDA_WORKFLOW_REOPEN)->target, ==, "monitoring");
  g_assert_true (find_action (actions, AWDA_WORKFLOW_REOPEN)->allowed);

  g_assert_true (awda_workflow_reopen (f->store, f->case_id, NULL, &error));
  g_assert_no_error (error);
  assert_status (f, "monitoring");
  closed_on = get_field (f->store, "case", f->case_id, "closed_on");
  reason = get_field (f->store, "case", f->case_id, "closure_reason");
  g_assert_null (closed_on);
  g_assert_null (reason);
  assert_last_write_is_one_edit (f, 3);

  /* Reopened at a stage given. */
  g_assert_true (awda_workflow_close (f->store, f->case_id, "remigrated", &error));
  g_assert_no_error (error);
  g_assert_true (awda_workflow_reopen (f->store, f->case_id, "plan", &error));
  g_assert_no_error (error);
  assert_status (f, "plan");

  g_assert_true (awda_workflow_close (f->store, f->case_id, "remigrated", &error));
  g_assert_no_error (error);
  g_assert_false (awda_workflow_reopen (f->store, f->case_id, "closed", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (awda_workflow_reopen (f->store, f->case_id, "limbo", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);
  assert_status (f, "closed");
}

static void
test_reopen_keeps_guards (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) actions = NULL;

  /* Closed at reception: the returnee could not be reached. */
  g_assert_true (awda_workflow_close (f->store, f->case_id, "unreachable", &error));
  g_assert_no_error (error);

  before = snapshot (f->store);
  g_assert_false (awda_workflow_reopen (f->store, f->case_id, "monitoring", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "No plan before an assessment: record at least one assessment of the case first.");
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);

  /* Without a stage, the furthest one its records allow. */
  actions = list_actions (f);
  g_assert_cmpstr (find_action (actions, AWDA_WORKFLOW_REOPEN)->target, ==, "assessment");
  g_assert_true (awda_workflow_reopen (f->store, f->case_id, NULL, &error));
  g_assert_no_error (error);
  assert_status (f, "assessment");
}

static void
test_approval_above_threshold (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *status = NULL;
  g_autofree char *by = NULL;
  g_autofree char *on = NULL;
  const char *expected = "The budget of 4500 TND is above the approval threshold of 3000 TND: only a supervisor "
                         "can approve this plan item, and Karim Souissi is not one (role: Caseworker).";

  g_free (add_assessment (f));
  set_field (f->store, "case", f->case_id, "status", "plan");
  item = add_plan_item (f, "4500", "TND");

  before = snapshot (f->store);
  g_assert_false (awda_workflow_check_approval (f->store, item, f->caseworker, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_false (awda_workflow_approve_plan_item (f->store, item, f->caseworker, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (awda_workflow_check_approval (f->store, item, f->supervisor, &error));
  g_assert_no_error (error);
  f->now_ms += 3 * 24 * 3600 * 1000;  /* approved three days later */
  g_assert_true (awda_workflow_approve_plan_item (f->store, item, f->supervisor, &error));
  g_assert_no_error (error);

  status = get_field (f->store, "plan_item", item, "status");
  by = get_field (f->store, "plan_item", item, "approved_by");
  on = get_field (f->store, "plan_item", item, "approved_on");
  g_assert_cmpstr (status, ==, "approved");
  g_assert_cmpstr (by, ==, f->supervisor);
  g_assert_cmpstr (on, ==, "2025-11-27");

  /* Once approved, not again. */
  g_assert_false (awda_workflow_approve_plan_item (f->store, item, f->supervisor, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "This plan item is already approved (its status is Approved).");
  g_clear_error (&error);
}

static void
test_approval_at_or_under_threshold (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *at = NULL;
  g_autofree char *none = NULL;
  g_autofree char *by = NULL;

  at = add_plan_item (f, "3000", "TND");
  g_assert_true (awda_workflow_approve_plan_item (f->store, at, f->caseworker, &error));
  g_assert_no_error (error);
  by = get_field (f->store, "plan_item", at, "approved_by");
  g_assert_cmpstr (by, ==, f->caseworker);

  /* No budget at all: an objective, not an expense. */
  none = create (f->store, "plan_item", "case_id", f->case_id, "dimension", "psychosocial",
                 "kind", "psychosocial_support", NULL);
  g_assert_true (awda_workflow_approve_plan_item (f->store, none, f->caseworker, &error));
  g_assert_no_error (error);
}

static void
test_approval_refusals (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *item = add_plan_item (f, "100", "TND");
  g_autofree char *cancelled = add_plan_item (f, "100", "TND");
  g_autofree char *no_currency = create (f->store, "plan_item", "case_id", f->case_id, "dimension", "economic",
                                         "kind", "cash", "budget", "50", NULL);
  g_autofree char *former = create (f->store, "staff", "name", "Nadia Hamdi", "role", "supervisor",
                                    "active", "false", NULL);
  g_autofree char *before = snapshot (f->store);
  g_autofree char *after = NULL;

  g_assert_false (awda_workflow_approve_plan_item (f->store, item, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "There is no staff member with id 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.");
  g_clear_error (&error);

  g_assert_false (awda_workflow_approve_plan_item (f->store, item, NULL, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);

  g_assert_false (awda_workflow_approve_plan_item (f->store, item, former, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "Nadia Hamdi is no longer an active staff member and cannot approve plan items.");
  g_clear_error (&error);

  g_assert_false (awda_workflow_approve_plan_item (f->store, no_currency, f->caseworker, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);

  after = snapshot (f->store);
  g_assert_cmpstr (before, ==, after);

  set_field (f->store, "plan_item", cancelled, "status", "cancelled");
  g_assert_false (awda_workflow_approve_plan_item (f->store, cancelled, f->supervisor, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "This plan item was cancelled: it cannot be approved.");
  g_clear_error (&error);

  /* A closed case's plan is frozen. */
  g_assert_true (awda_workflow_close (f->store, f->case_id, "withdrew", &error));
  g_assert_no_error (error);
  g_assert_false (awda_workflow_approve_plan_item (f->store, item, f->supervisor, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);
}

static void
test_threshold_sources (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *local = NULL;
  g_autofree char *orphan = NULL;
  g_autofree char *euros = NULL;
  g_autofree char *small_euros = NULL;
  g_autofree char *dinars = NULL;
  gint64 threshold = 0;

  /* The case's office, in its currency. */
  g_assert_true (awda_workflow_get_threshold (f->store, f->case_id, "TND", &threshold, &error));
  g_assert_no_error (error);
  g_assert_cmpint (threshold, ==, 3000000);

  /* Another currency than the office's: the default of that currency. */
  g_assert_true (awda_workflow_get_threshold (f->store, f->case_id, "EUR", &threshold, &error));
  g_assert_no_error (error);
  g_assert_cmpint (threshold, ==, AWDA_DEFAULT_THRESHOLD_EUR);
  euros = add_plan_item (f, "1500", "EUR");
  small_euros = add_plan_item (f, "900", "EUR");
  g_assert_false (awda_workflow_check_approval (f->store, euros, f->caseworker, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "1500 EUR is above the approval threshold of 1000 EUR"));
  g_clear_error (&error);
  g_assert_true (awda_workflow_check_approval (f->store, small_euros, f->caseworker, &error));
  g_assert_no_error (error);

  /* An office without a threshold: the default. */
  plain = create (f->store, "office", "name", "Antenne de Kasserine", "governorate", "TN-42", NULL);
  set_field (f->store, "case", f->case_id, "owner_office", plain);
  g_assert_true (awda_workflow_get_threshold (f->store, f->case_id, "TND", &threshold, &error));
  g_assert_no_error (error);
  g_assert_cmpint (threshold, ==, AWDA_DEFAULT_THRESHOLD_TND);

  /* No owner office: the office of this site, found by its name. */
  local = create (f->store, "office", "name", "Bureau de Sfax", "kind", "regional", "governorate", "TN-61",
                  "approval_threshold", "5000", NULL);
  orphan = create (f->store, "case", "given_name", "Ikram", "family_name", "Ksouri", NULL);
  g_assert_true (awda_workflow_get_threshold (f->store, orphan, "TND", &threshold, &error));
  g_assert_no_error (error);
  g_assert_cmpint (threshold, ==, 5000000);
  dinars = create (f->store, "plan_item", "case_id", orphan, "dimension", "economic", "kind", "cash",
                   "budget", "4000", "currency", "TND", NULL);
  g_assert_true (awda_workflow_approve_plan_item (f->store, dinars, f->caseworker, &error));
  g_assert_no_error (error);
}

static void
test_consent (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The name needs no consent. */
  g_assert_true (awda_workflow_check_consent (f->store, f->case_id, NULL, NULL, "family_name", &error));
  g_assert_no_error (error);
  g_assert_true (awda_workflow_check_consent (f->store, NULL, NULL, NULL, "given_name_ar", &error));
  g_assert_no_error (error);

  /* Personal details do, until consent is recorded. */
  g_assert_false (awda_workflow_check_consent (f->store, f->case_id, NULL, NULL, "birth_date", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_NEEDS_CONSENT);
  g_assert_cmpstr (error->message, ==, "Record the returnee’s consent (date and scope) before saving “Birth date”.");
  g_clear_error (&error);
  g_assert_false (awda_workflow_check_consent (f->store, NULL, NULL, NULL, "phone", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_NEEDS_CONSENT);
  g_clear_error (&error);

  /* A date alone is not enough: the scope says what was agreed. */
  set_field (f->store, "case", f->case_id, "consent_given_on", "2025-11-24");
  g_assert_false (awda_workflow_check_consent (f->store, f->case_id, NULL, NULL, "national_id", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_NEEDS_CONSENT);
  g_clear_error (&error);

  /* Consent typed in the same form counts, and so does a cleared one. */
  g_assert_true (awda_workflow_check_consent (f->store, f->case_id, NULL, "referral", "national_id", &error));
  g_assert_no_error (error);
  g_assert_true (awda_workflow_check_consent (f->store, NULL, "2025-11-24", "case_management", "address", &error));
  g_assert_no_error (error);

  set_field (f->store, "case", f->case_id, "consent_scope", "case_management");
  g_assert_true (awda_workflow_check_consent (f->store, f->case_id, NULL, NULL, "national_id", &error));
  g_assert_no_error (error);
  g_assert_false (awda_workflow_check_consent (f->store, f->case_id, "", NULL, "national_id", &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_NEEDS_CONSENT);
  g_clear_error (&error);

  g_assert_false (awda_workflow_check_consent (f->store, f->case_id, NULL, NULL, "shoe_size", &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_clear_error (&error);
}

/* The store itself does not enforce consent: central staff load records
 * from the command line (a decision of the lead). */
static void
test_consent_not_enforced_by_store (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *birth_date = NULL;

  set_field (f->store, "case", f->case_id, "birth_date", "1988-03-05");
  birth_date = get_field (f->store, "case", f->case_id, "birth_date");
  g_assert_cmpstr (birth_date, ==, "1988-03-05");
}

static void
test_deleted_case (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = NULL;

  set_field (f->store, "case", f->case_id, "deleted", "true");
  actions = awda_workflow_list_actions (f->store, f->case_id, &error);
  g_assert_null (actions);
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED);
  g_clear_error (&error);

  g_assert_false (awda_workflow_advance (f->store, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

/* An action inside a bulk transaction joins it rather than committing. */
static void
test_inside_transaction (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_store_begin (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (awda_workflow_advance (f->store, f->case_id, &error));
  g_assert_no_error (error);
  g_assert_true (awda_store_in_transaction (f->store));
  awda_store_rollback (f->store);
  assert_status (f, "reception");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/core/workflow/stages", test_stages);
  ADD ("/core/workflow/actions-at-reception", test_actions_at_reception);
  ADD ("/core/workflow/no-plan-before-assessment", test_no_plan_before_assessment);
  ADD ("/core/workflow/implementation-needs-approved-item", test_implementation_needs_approved_item);
  ADD ("/core/workflow/go-back", test_go_back);
  ADD ("/core/workflow/close-needs-reason", test_close_needs_reason);
  ADD ("/core/workflow/close-and-reopen", test_close_and_reopen);
  ADD ("/core/workflow/reopen-keeps-guards", test_reopen_keeps_guards);
  ADD ("/core/workflow/approval/above-threshold", test_approval_above_threshold);
  ADD ("/core/workflow/approval/at-or-under-threshold", test_approval_at_or_under_threshold);
  ADD ("/core/workflow/approval/refusals", test_approval_refusals);
  ADD ("/core/workflow/approval/threshold-sources", test_threshold_sources);
  ADD ("/core/workflow/consent", test_consent);
  ADD ("/core/workflow/consent-not-enforced-by-store", test_consent_not_enforced_by_store);
  ADD ("/core/workflow/deleted-case", test_deleted_case);
  ADD ("/core/workflow/inside-transaction", test_inside_transaction);
#undef ADD

  return g_test_run ();
}

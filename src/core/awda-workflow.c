/* awda-workflow.c: a case's stages, the actions that move it and the guards that explain themselves
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stage has entry guards, and a later stage inherits those of the
 * earlier ones: plan and beyond need an assessment, implementation and
 * monitoring need an approved plan item. So moving forward, going back
 * and reopening all ask the same question of the target stage. Closing
 * has no entry guard: a case may close at any stage (the returnee
 * withdrew, migrated again, cannot be reached).
 *
 * Each action reads, checks and writes inside one transaction, and the
 * write is one awda_store_apply() edit, so it is stamped and syncs like
 * any other; a refused action writes nothing.
 */

#define G_LOG_DOMAIN "awda-workflow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "awda-hlc.h"
#include "awda-store-private.h"
#include "awda-workflow.h"

G_DEFINE_QUARK (awda-workflow-error-quark, awda_workflow_error)

static const char *const stages[] = {
  AWDA_STAGE_RECEPTION,
  AWDA_STAGE_ASSESSMENT,
  AWDA_STAGE_PLAN,
  AWDA_STAGE_IMPLEMENTATION,
  AWDA_STAGE_MONITORING,
  AWDA_STAGE_CLOSED,
  NULL
};

enum
{
  RECEPTION,
  ASSESSMENT,
  PLAN,
  IMPLEMENTATION,
  MONITORING,
  CLOSED
};

/* What the buttons say, per target stage. */
static const char *const advance_labels[] = {
  NULL,
  N_("Start the assessment"),
  N_("Start the plan"),
  N_("Start implementation"),
  N_("Start monitoring"),
  NULL
};

static const char *const back_labels[] = {
  N_("Back to reception"),
  N_("Back to assessment"),
  N_("Back to the plan"),
  N_("Back to implementation"),
  NULL,
  NULL
};

/* A plan item counts as approved once it has gone through approval. */
#define APPROVED_STATUSES "('approved', 'in_progress', 'done')"

const char *const *
awda_workflow_get_stages (void)
{
  return stages;
}

int
awda_workflow_stage_index (const char *stage)
{
  if (stage == NULL)
    return -1;
  for (int i = 0; stages[i] != NULL; i++)
    if (strcmp (stages[i], stage) == 0)
      return i;
  return -1;
}

void
awda_workflow_action_free (AwdaWorkflowAction *action)
{
  if (action == NULL)
    return;
  g_free (action->label);
  g_free (action->reason);
  g_free (action);
}

/* The stage's label, translated, from the dictionary. */
static const char *
stage_label (const char *stage)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  const AwdaEnumValue *value = awda_field_lookup_value (awda_entity_lookup_field (entity, "status"), stage);

  return value ? _(value->label) : stage;
}

static const char *
enum_label (const char *entity_name,
            const char *field_name,
            const char *value)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (entity_name);
  const AwdaField *field = awda_entity_lookup_field (entity, field_name);
  const AwdaEnumValue *v = value ? awda_field_lookup_value (field, value) : NULL;

  return v ? _(v->label) : (value ? value : "");
}

static gboolean
refuse (GError    **error,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (GError    **error,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_REFUSED, message);
  return FALSE;
}

/* Today, as the store's clock has it (tests set that clock). */
static char *
today (AwdaStore *store)
{
  gint64 ms = awda_hlc_get_ms (awda_store_wall_hlc (store));
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return g_date_time_format (dt, "%Y-%m-%d");
}

/* One statement returning one integer; -1 on failure. */
static gint64
query_int (AwdaStore   *store,
           const char  *sql,
           const char  *param,
           GError     **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (store, sql, error);
  gint64 result = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the database"));
      result = -1;
    }
  sqlite3_reset (stmt);
  return result;
}

/* Loads a live case, or refuses. */
static AwdaRecord *
load_case (AwdaStore   *store,
           const char  *case_id,
           GError     **error)
{
  AwdaRecord *record = awda_store_get_record (store, "case", case_id, error);

  if (record != NULL && record->deleted)
    {
      refuse (error, _("The case %s was deleted."), case_id);
      g_clear_pointer (&record, awda_record_free);
    }
  return record;
}

static int
case_stage (const AwdaRecord *record)
{
  int index = awda_workflow_stage_index (awda_record_get (record, "status"));

  /* A case received in part, without its status yet, is at its start. */
  return index < 0 ? RECEPTION : index;
}

/* The entry guards of @target: TRUE when the check ran, with *reason set
 * (a translated sentence) when the guards refuse. */
static gboolean
check_target (AwdaStore   *store,
              const char  *case_id,
              int          target,
              char       **reason,
              GError     **error)
{
  gint64 n;

  *reason = NULL;
  if (target == CLOSED || target < PLAN)
    return TRUE;

  n = query_int (store, "SELECT EXISTS (SELECT 1 FROM assessment WHERE case_id = ? AND deleted = 0)",
                 case_id, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    {
      *reason = g_strdup (_("No plan before an assessment: record at least one assessment of the case first."));
      return TRUE;
    }

  if (target < IMPLEMENTATION)
    return TRUE;

  n = query_int (store, "SELECT EXISTS (SELECT 1 FROM plan_item WHERE case_id = ? AND deleted = 0"
                        " AND status IN " APPROVED_STATUSES ")",
                 case_id, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    *reason = g_strdup_printf (_("%s needs an approved plan item: approve at least one item of the plan first."),
                               stage_label (stages[target]));
  return TRUE;
}

/* Where a reopened case goes when no stage is given: monitoring, or the
 * furthest stage before it whose guards hold. */
static int
reopen_target (AwdaStore   *store,
               const char  *case_id,
               GError     **error)
{
  for (int target = MONITORING; target > RECEPTION; target--)
    {
      g_autofree char *reason = NULL;

      if (!check_target (store, case_id, target, &reason, error))
        return -1;
      if (reason == NULL)
        return target;
    }
  return RECEPTION;
}

/* Transactions: an action reads, checks and writes at once. */

static gboolean
action_begin (AwdaStore  *store,
              gboolean   *own,
              GError    **error)
{
  *own = !awda_store_in_transaction (store);
  return !*own || awda_store_begin (store, error);
}

static gboolean
action_end (AwdaStore  *store,
            gboolean    own,
            gboolean    ok,
            GError    **error)
{
  if (!own)
    return ok;
  if (ok)
    return awda_store_commit (store, error);
  awda_store_rollback (store);
  return FALSE;
}

/* Listing the actions */

static AwdaWorkflowAction *
action_new (AwdaWorkflowActionKind  kind,
            int                     target,
            const char             *label,
            char                   *reason)
{
  AwdaWorkflowAction *action = g_new0 (AwdaWorkflowAction, 1);

  action->kind = kind;
  action->target = stages[target];
  action->label = g_strdup (label);
  action->allowed = reason == NULL;
  action->reason = reason;
  return action;
}

GPtrArray *
awda_workflow_list_actions (AwdaStore   *store,
                            const char  *case_id,
                            GError     **error)
{
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_workflow_action_free);
  g_autoptr(AwdaRecord) record = NULL;
  int stage;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  record = load_case (store, case_id, error);
  if (record == NULL)
    return NULL;
  stage = case_stage (record);

  if (stage == CLOSED)
    {
      int target = reopen_target (store, record->id, error);

      if (target < 0)
        return NULL;
      g_ptr_array_add (actions, action_new (AWDA_WORKFLOW_REOPEN, target, _("Reopen the case"), NULL));
      return g_steal_pointer (&actions);
    }

  if (stage < MONITORING)
    {
      char *reason;

      if (!check_target (store, record->id, stage + 1, &reason, error))
        return NULL;
      g_ptr_array_add (actions, action_new (AWDA_WORKFLOW_ADVANCE, stage + 1,
                                            _(advance_labels[stage + 1]), reason));
    }

  if (stage > RECEPTION)
    {
      char *reason;

      if (!check_target (store, record->id, stage - 1, &reason, error))
        return NULL;
      g_ptr_array_add (actions, action_new (AWDA_WORKFLOW_GO_BACK, stage - 1,
                                            _(back_labels[stage - 1]), reason));
    }

  g_ptr_array_add (actions, action_new (AWDA_WORKFLOW_CLOSE, CLOSED, _("Close the case"), NULL));

  return g_steal_pointer (&actions);
}

/* Moving the case */

/* Checks @target's guards and writes status (and the closing fields) in
 * one edit. @closure_reason: for closing, the reason; for reopening, "" to
 * clear closed_on and closure_reason; NULL otherwise. */
static gboolean
move_case (AwdaStore   *store,
           const char  *case_id,
           int          target,
           const char  *closure_reason,
           GError     **error)
{
  g_autoptr(AwdaEdit) edit = NULL;
  g_autofree char *reason = NULL;

  if (!check_target (store, case_id, target, &reason, error))
    return FALSE;
  if (reason != NULL)
    return refuse (error, "%s", reason);

  edit = awda_edit_new ("case", case_id);
  awda_edit_set (edit, "status", stages[target]);
  if (target == CLOSED)
    {
      g_autofree char *date = today (store);

      awda_edit_set (edit, "closure_reason", closure_reason);
      awda_edit_set (edit, "closed_on", date);
    }
  else if (closure_reason != NULL)
    {
      awda_edit_set (edit, "closure_reason", NULL);
      awda_edit_set (edit, "closed_on", NULL);
    }
  return awda_store_apply (store, edit, error);
}

gboolean
awda_workflow_advance (AwdaStore   *store,
                       const char  *case_id,
                       GError     **error)
{
  g_autoptr(AwdaRecord) record = NULL;
  gboolean own, ok = FALSE;
  int stage;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  if (!action_begin (store, &own, error))
    return FALSE;

  record = load_case (store, case_id, error);
  if (record == NULL)
    goto out;
  stage = case_stage (record);

  if (stage == CLOSED)
    refuse (error, _("The case is closed: reopen it before moving it to another stage."));
  else if (stage == MONITORING)
    refuse (error, _("The case is at its last stage before closure, %s: close it with a closure reason."),
            stage_label (stages[MONITORING]));
  else
    ok = move_case (store, record->id, stage + 1, NULL, error);

out:
  return action_end (store, own, ok, error);
}

gboolean
awda_workflow_go_back (AwdaStore   *store,
                       const char  *case_id,
                       GError     **error)
{
  g_autoptr(AwdaRecord) record = NULL;
  gboolean own, ok = FALSE;
  int stage;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  if (!action_begin (store, &own, error))
    return FALSE;

  record = load_case (store, case_id, error);
  if (record == NULL)
    goto out;
  stage = case_stage (record);

  if (stage == CLOSED)
    refuse (error, _("The case is closed: reopen it to return it to an earlier stage."));
  else if (stage == RECEPTION)
    refuse (error, _("The case is at its first stage, %s: there is no stage before it."),
            stage_label (stages[RECEPTION]));
  else
    ok = move_case (store, record->id, stage - 1, NULL, error);

out:
  return action_end (store, own, ok, error);
}

gboolean
awda_workflow_close (AwdaStore   *store,
                     const char  *case_id,
                     const char  *closure_reason,
                     GError     **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  g_autoptr(AwdaRecord) record = NULL;
  g_autofree char *reason = NULL;
  gboolean own, ok = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  reason = g_strstrip (g_strdup (closure_reason ? closure_reason : ""));
  if (*reason == '\0')
    return refuse (error, _("Closing a case needs a closure reason: choose why the case ends."));
  if (awda_field_lookup_value (awda_entity_lookup_field (entity, "closure_reason"), reason) == NULL)
    return refuse (error, _("“%s” is not a closure reason: choose one from the list."), reason);

  if (!action_begin (store, &own, error))
    return FALSE;

  record = load_case (store, case_id, error);
  if (record == NULL)
    goto out;

  if (case_stage (record) == CLOSED)
    refuse (error, _("The case is already closed."));
  else
    ok = move_case (store, record->id, CLOSED, reason, error);

out:
  return action_end (store, own, ok, error);
}

gboolean
awda_workflow_reopen (AwdaStore   *store,
                      const char  *case_id,
                      const char  *stage,
                      GError     **error)
{
  g_autoptr(AwdaRecord) record = NULL;
  gboolean own, ok = FALSE;
  int target = -1;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  if (stage != NULL)
    {
      target = awda_workflow_stage_index (stage);
      if (target < 0 || target == CLOSED)
        return refuse (error, _("A case cannot be reopened at “%s”: choose a stage from reception to monitoring."),
                       stage);
    }

  if (!action_begin (store, &own, error))
    return FALSE;

  record = load_case (store, case_id, error);
  if (record == NULL)
    goto out;

  if (case_stage (record) != CLOSED)
    {
      refuse (error, _("The case is not closed, so it cannot be reopened."));
      goto out;
    }
  if (target < 0)
    {
      target = reopen_target (store, record->id, error);
      if (target < 0)
        goto out;
    }
  ok = move_case (store, record->id, target, "", error);

out:
  return action_end (store, own, ok, error);
}

/* Approval of plan items */

static gint64
default_threshold (const char *currency)
{
  static const struct { const char *currency; gint64 thousandths; } defaults[] = {
    { "TND", AWDA_DEFAULT_THRESHOLD_TND },
    { "EUR", AWDA_DEFAULT_THRESHOLD_EUR },
    { "CHF", AWDA_DEFAULT_THRESHOLD_CHF },
    { "USD", AWDA_DEFAULT_THRESHOLD_USD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (g_strcmp0 (defaults[i].currency, currency) == 0)
      return defaults[i].thousandths;
  return -1;
}

/* The office of this site: the office record named as the site, else the
 * one of the site's kind in its governorate (the smallest id, so that the
 * choice is stable). There is no other link between a site and an office. */
static AwdaRecord *
local_office (AwdaStore  *store,
              GError    **error)
{
  const AwdaSite *site = awda_store_get_site (store);
  g_autoptr(GPtrArray) offices = awda_store_list_records (store, "office", error);
  const AwdaRecord *best = NULL;
  guint index = 0;

  if (offices == NULL)
    return NULL;

  for (guint i = 0; i < offices->len; i++)
    {
      const AwdaRecord *office = g_ptr_array_index (offices, i);

      if (g_strcmp0 (awda_record_get (office, "name"), site->name) == 0)
        {
          best = office;
          break;
        }
      if (site->governorate != NULL &&
          g_strcmp0 (awda_record_get (office, "governorate"), site->governorate) == 0 &&
          g_strcmp0 (awda_record_get (office, "kind"), site->kind) == 0 &&
          (best == NULL || strcmp (office->id, best->id) < 0))
        best = office;
    }

  if (best == NULL)
    return NULL;
  g_ptr_array_find (offices, best, &index);
  return g_ptr_array_steal_index (offices, index);
}

static gboolean
threshold_for_case (AwdaStore         *store,
                    const AwdaRecord  *case_record,
                    const char        *currency,
                    gint64            *thousandths,
                    GError           **error)
{
  const char *office_id = awda_record_get (case_record, "owner_office");
  g_autoptr(AwdaRecord) office = NULL;

  if (office_id != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      office = awda_store_get_record (store, "office", office_id, &local_error);
      if (office == NULL && !g_error_matches (local_error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      office = local_office (store, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  /* A deleted office, or one not received yet, sets no threshold. */
  if (office != NULL && !office->deleted && awda_record_get (office, "approval_threshold") != NULL)
    {
      /* An office that names no currency counts in dinars. */
      const char *office_currency = awda_record_get (office, "threshold_currency");

      if (g_strcmp0 (office_currency ? office_currency : "TND", currency) == 0 &&
          awda_amount_parse (awda_record_get (office, "approval_threshold"), thousandths))
        return TRUE;
    }

  *thousandths = default_threshold (currency);
  return TRUE;
}

gboolean
awda_workflow_get_threshold (AwdaStore   *store,
                             const char  *case_id,
                             const char  *currency,
                             gint64      *thousandths,
                             GError     **error)
{
  g_autoptr(AwdaRecord) record = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);
  g_return_val_if_fail (currency != NULL, FALSE);
  g_return_val_if_fail (thousandths != NULL, FALSE);

  record = load_case (store, case_id, error);
  if (record == NULL)
    return FALSE;
  if (!threshold_for_case (store, record, currency, thousandths, error))
    return FALSE;
  if (*thousandths < 0)
    return refuse (error, _("There is no approval threshold for the currency “%s”."), currency);
  return TRUE;
}

/* The guards of approval; returns the item on success. */
static AwdaRecord *
check_approval (AwdaStore   *store,
                const char  *plan_item_id,
                const char  *staff_id,
                GError     **error)
{
  g_autoptr(AwdaRecord) item = NULL;
  g_autoptr(AwdaRecord) case_record = NULL;
  g_autoptr(AwdaRecord) staff = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *status, *budget_text, *currency, *role;
  gint64 budget = 0, threshold;

  item = awda_store_get_record (store, "plan_item", plan_item_id, error);
  if (item == NULL)
    return NULL;
  if (item->deleted)
    {
      refuse (error, _("The plan item %s was deleted."), plan_item_id);
      return NULL;
    }

  status = awda_record_get (item, "status");
  if (g_strcmp0 (status, "cancelled") == 0)
    {
      refuse (error, _("This plan item was cancelled: it cannot be approved."));
      return NULL;
    }
  if (g_strcmp0 (status, "proposed") != 0 && status != NULL)
    {
      refuse (error, _("This plan item is already approved (its status is %s)."),
              enum_label ("plan_item", "status", status));
      return NULL;
    }

  case_record = load_case (store, awda_record_get (item, "case_id"), error);
  if (case_record == NULL)
    return NULL;
  if (case_stage (case_record) == CLOSED)
    {
      refuse (error, _("The case is closed: reopen it before approving its plan."));
      return NULL;
    }

  if (staff_id == NULL || *staff_id == '\0')
    {
      refuse (error, _("Approving a plan item needs the staff member who approves it."));
      return NULL;
    }
  staff = awda_store_get_record (store, "staff", staff_id, &local_error);
  if (staff == NULL)
    {
      if (g_error_matches (local_error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND))
        refuse (error, _("There is no staff member with id %s."), staff_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (staff->deleted || g_strcmp0 (awda_record_get (staff, "active"), "false") == 0)
    {
      refuse (error, _("%s is no longer an active staff member and cannot approve plan items."),
              awda_record_get (staff, "name"));
      return NULL;
    }
  role = awda_record_get (staff, "role");
  if (g_strcmp0 (role, "supervisor") == 0)
    return g_steal_pointer (&item);

  /* Only a supervisor may approve above the threshold. */
  budget_text = awda_record_get (item, "budget");
  if (budget_text == NULL || !awda_amount_parse (budget_text, &budget) || budget == 0)
    return g_steal_pointer (&item);

  currency = awda_record_get (item, "currency");
  if (currency == NULL)
    {
      refuse (error, _("The budget of this plan item has no currency, so it cannot be compared with the approval threshold: only a supervisor can approve it, and %s is not one."),
              awda_record_get (staff, "name"));
      return NULL;
    }
  if (!threshold_for_case (store, case_record, currency, &threshold, error))
    return NULL;
  if (threshold < 0 || budget > threshold)
    {
      g_autofree char *limit = threshold < 0 ? NULL : awda_amount_format (threshold);

      if (limit == NULL)
        refuse (error, _("There is no approval threshold for %s: only a supervisor can approve this plan item, and %s is not one."),
                currency, awda_record_get (staff, "name"));
      else
        refuse (error, _("The budget of %s %s is above the approval threshold of %s %s: only a supervisor can approve this plan item, and %s is not one (role: %s)."),
                budget_text, currency, limit, currency, awda_record_get (staff, "name"),
                role ? enum_label ("staff", "role", role) : _("none"));
      return NULL;
    }

  return g_steal_pointer (&item);
}

gboolean
awda_workflow_check_approval (AwdaStore   *store,
                              const char  *plan_item_id,
                              const char  *staff_id,
                              GError     **error)
{
  g_autoptr(AwdaRecord) item = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (plan_item_id != NULL, FALSE);

  item = check_approval (store, plan_item_id, staff_id, error);
  return item != NULL;
}

gboolean
awda_workflow_approve_plan_item (AwdaStore   *store,
                                 const char  *plan_item_id,
                                 const char  *staff_id,
                                 GError     **error)
{
  g_autoptr(AwdaRecord) item = NULL;
  gboolean own, ok = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (plan_item_id != NULL, FALSE);

  if (!action_begin (store, &own, error))
    return FALSE;

  item = check_approval (store, plan_item_id, staff_id, error);
  if (item != NULL)
    {
      g_autoptr(AwdaEdit) edit = awda_edit_new ("plan_item", item->id);
      g_autofree char *date = today (store);

      awda_edit_set (edit, "status", "approved");
      awda_edit_set (edit, "approved_by", staff_id);
      awda_edit_set (edit, "approved_on", date);
      ok = awda_store_apply (store, edit, error);
    }

  return action_end (store, own, ok, error);
}

gboolean
awda_workflow_field_is_managed (const char *entity,
                                const char *field)
{
  static const char *const managed[] = {
    "case", "status",
    "case", "closed_on",
    "case", "closure_reason",
    "plan_item", "approved_by",
    "plan_item", "approved_on",
  };

  g_return_val_if_fail (entity != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (managed); i += 2)
    if (strcmp (managed[i], entity) == 0 && strcmp (managed[i + 1], field) == 0)
      return TRUE;
  return FALSE;
}

/* Consent */

gboolean
awda_workflow_check_consent (AwdaStore   *store,
                             const char  *case_id,
                             const char  *consent_given_on,
                             const char  *consent_scope,
                             const char  *field_name,
                             GError     **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  const AwdaField *field;
  g_autoptr(AwdaRecord) record = NULL;
  g_autofree char *given_on = NULL;
  g_autofree char *scope = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (field_name != NULL, FALSE);

  field = awda_entity_lookup_field (entity, field_name);
  if (field == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Unknown field “%s” for %s."), field_name, entity->name);
      return FALSE;
    }
  if (!(field->flags & AWDA_FIELD_PERSONAL))
    return TRUE;

  if (case_id != NULL)
    {
      record = awda_store_get_record (store, "case", case_id, error);
      if (record == NULL)
        return FALSE;
    }

  given_on = g_strdup (consent_given_on ? consent_given_on
                       : record ? awda_record_get (record, "consent_given_on") : NULL);
  scope = g_strdup (consent_scope ? consent_scope
                    : record ? awda_record_get (record, "consent_scope") : NULL);

  if (given_on == NULL || *g_strstrip (given_on) == '\0' || scope == NULL || *g_strstrip (scope) == '\0')
    {
      g_set_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_NEEDS_CONSENT,
                   _("Record the returnee’s consent (date and scope) before saving “%s”."),
                   _(field->label));
      return FALSE;
    }
  return TRUE;
}

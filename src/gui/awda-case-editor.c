/* awda-case-editor.c: the whole case, page by page, saved as it is typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pages are declared in ui/awda-case-editor.ui: AwdaFieldGroups of
 * the case's fields and AwdaRecordLists of its child records, each
 * naming its fields. This file wires them to the open case and its undo
 * stack, and does what is not a field: the header with the stages and
 * their guards, approval of plan items, totals of the plan per
 * programme and currency, follow-ups marked done, attachments, and the
 * history of every change.
 *
 * Saving: each field editor writes its value when it is committed, and
 * when it is unmapped or disposed; awda_case_editor_commit_pending() lets
 * whoever closes the editor make sure, and stay open on a refused value.
 */

#define G_LOG_DOMAIN "awda-case-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "awda-attachments.h"
#include "awda-case-editor.h"
#include "awda-choice-list.h"
#include "awda-field-editor.h"
#include "awda-field-group.h"
#include "awda-format.h"
#include "awda-hlc.h"
#include "awda-record-list.h"
#include "awda-workflow.h"

struct _AwdaCaseEditor
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkLabel        *name_label;
  GtkLabel        *name_ar_label;
  GtkLabel        *stage_label;
  GtkButton       *undo_button;
  GtkButton       *redo_button;
  GtkButton       *advance_button;
  GtkButton       *back_button;
  GtkButton       *reopen_button;
  GtkMenuButton   *close_button;
  GtkDropDown     *closure_reason_dropdown;
  GtkLabel        *reasons_label;
  GtkRevealer     *banner_revealer;
  GtkLabel        *banner_label;
  GtkStack        *stack;
  GtkDropDown     *staff_dropdown;
  GtkGrid         *totals_grid;
  GtkLabel        *totals_empty_label;
  AwdaRecordList  *plan_list;
  GtkListBox      *attachments_list;
  GtkFrame        *attachments_frame;
  GtkLabel        *attachments_empty_label;
  GtkWidget       *attaching_box;
  GtkLabel        *attaching_label;
  GtkListBox      *history_list;
  GtkFrame        *history_frame;
  GtkLabel        *history_empty_label;

  /* owned */
  AwdaStore       *store;
  AwdaUndoStack   *undo_stack;
  char            *case_id;
  char            *staff_id;
  char            *banner;
  GSettings       *settings;
  AwdaChoiceList  *closure_reasons;
  GPtrArray       *staff_ids;    /* char *, NULL for none; position for position */
  guint64          staff_stamp;   /* the data's when staff_ids was read */
  GtkFileChooserNative *chooser;

  guint            refresh_id;
  gboolean         history_stale;
  gboolean         loading_staff;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_CASE_ID,
  PROP_STAFF_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AwdaCaseEditor, awda_case_editor, GTK_TYPE_WIDGET)

static void     refresh_all (AwdaCaseEditor   *self);
static gboolean commit_all  (AwdaCaseEditor   *self,
                             AwdaFieldEditor **refused_out,
                             GError          **error);

/* The widgets of the pages */

/* Every descendant of @widget of @type, not looking inside those of
 * @stop (when not 0). */
static void
collect (GtkWidget *widget,
         GType      type,
         GType      stop,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      if (stop != 0 && G_TYPE_CHECK_INSTANCE_TYPE (child, stop))
        continue;
      collect (child, type, stop, found);
    }
}

static GPtrArray *
case_groups (AwdaCaseEditor *self)
{
  GPtrArray *groups = g_ptr_array_new ();

  collect (GTK_WIDGET (self->stack), AWDA_TYPE_FIELD_GROUP, AWDA_TYPE_RECORD_LIST, groups);
  return groups;
}

static GPtrArray *
record_lists (AwdaCaseEditor *self)
{
  GPtrArray *lists = g_ptr_array_new ();

  collect (GTK_WIDGET (self->stack), AWDA_TYPE_RECORD_LIST, AWDA_TYPE_RECORD_LIST, lists);
  return lists;
}

/* The banner: a refusal or a failure that belongs to no field. */

static void
show_banner (AwdaCaseEditor *self,
             const char     *message)
{
  g_free (self->banner);
  self->banner = g_strdup (message);
  gtk_label_set_text (self->banner_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->banner_revealer, message != NULL);
}

static void
on_banner_close_cb (AwdaCaseEditor *self)
{
  show_banner (self, NULL);
}

static void
on_undo_clicked_cb (AwdaCaseEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.undo", NULL);
}

/* The header: names, stage, the stage actions and why some are refused */

static const AwdaField *
case_field (const char *name)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");

  return awda_entity_lookup_field (entity, name);
}

static void
set_action_button (AwdaCaseEditor           *self,
                   GtkWidget                *button,
                   const char               *action_name,
                   const AwdaWorkflowAction *action)
{
  gtk_widget_set_visible (button, action != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), action_name, action != NULL && action->allowed);
  if (action == NULL)
    return;

  /* The close button keeps its own label: it opens a form. */
  if (GTK_IS_BUTTON (button))
    gtk_button_set_label (GTK_BUTTON (button), action->label);
  /* A refused action says why, on hover and in the line under the
   * buttons (an insensitive button cannot be focused or clicked). */
  gtk_widget_set_tooltip_text (button, action->reason);
  if (action->reason != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, action->reason,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
refresh_undo_buttons (AwdaCaseEditor *self)
{
  g_autofree char *undo = NULL;
  g_autofree char *redo = NULL;
  gboolean can_undo = self->undo_stack && awda_undo_stack_can_undo (self->undo_stack);
  gboolean can_redo = self->undo_stack && awda_undo_stack_can_redo (self->undo_stack);

  /* Ctrl+Z also takes back typing not committed yet: the action is
   * there as long as a case is open; the button, for the stack. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo", self->store != NULL && self->case_id != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->undo_button), can_undo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.redo", can_redo);

  undo = can_undo ? awda_undo_stack_describe_undo (self->undo_stack) : NULL;
  redo = can_redo ? awda_undo_stack_describe_redo (self->undo_stack) : NULL;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->undo_button), undo ? undo : _("Undo"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->redo_button), redo ? redo : _("Redo"));
}

static void
refresh_header (AwdaCaseEditor *self)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *name_ar = NULL;
  const AwdaWorkflowAction *by_kind[AWDA_WORKFLOW_REOPEN + 1] = { NULL };

  refresh_undo_buttons (self);

  if (self->store == NULL || self->case_id == NULL)
    {
      gtk_label_set_text (self->name_label, _("No case open"));
      gtk_label_set_text (self->name_ar_label, "");
      gtk_label_set_text (self->stage_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->reasons_label), FALSE);
      set_action_button (self, GTK_WIDGET (self->advance_button), "editor.advance", NULL);
      set_action_button (self, GTK_WIDGET (self->back_button), "editor.go-back", NULL);
      set_action_button (self, GTK_WIDGET (self->reopen_button), "editor.reopen", NULL);
      set_action_button (self, GTK_WIDGET (self->close_button), "editor.close-case", NULL);
      return;
    }

  record = awda_store_get_record (self->store, "case", self->case_id, &error);
  if (record == NULL)
    {
      show_banner (self, error->message);
      return;
    }

  name = awda_format_join (awda_record_get (record, "given_name"), awda_record_get (record, "family_name"));
  name_ar = awda_format_join (awda_record_get (record, "given_name_ar"), awda_record_get (record, "family_name_ar"));
  gtk_label_set_text (self->name_label, *name ? name : (*name_ar ? name_ar : _("Unnamed case")));
  gtk_label_set_text (self->name_ar_label, *name ? name_ar : "");
  gtk_widget_set_visible (GTK_WIDGET (self->name_ar_label), *name && *name_ar);
  gtk_label_set_text (self->stage_label,
                      awda_format_enum_value (case_field ("status"), awda_record_get (record, "status")));

  actions = awda_workflow_list_actions (self->store, self->case_id, &error);
  if (actions == NULL)
    {
      show_banner (self, error->message);
      return;
    }
  for (guint i = 0; i < actions->len; i++)
    {
      const AwdaWorkflowAction *action = g_ptr_array_index (actions, i);

      by_kind[action->kind] = action;
      if (!action->allowed && action->reason != NULL)
        {
          if (reasons->len > 0)
            g_string_append_c (reasons, '\n');
          /* Translators: an action that cannot be taken yet, and why,
           * under the stage buttons: “Start the plan: No plan before…”. */
          g_string_append_printf (reasons, _("%s: %s"), action->label, action->reason);
        }
    }

  set_action_button (self, GTK_WIDGET (self->advance_button), "editor.advance", by_kind[AWDA_WORKFLOW_ADVANCE]);
  set_action_button (self, GTK_WIDGET (self->back_button), "editor.go-back", by_kind[AWDA_WORKFLOW_GO_BACK]);
  set_action_button (self, GTK_WIDGET (self->reopen_button), "editor.reopen", by_kind[AWDA_WORKFLOW_REOPEN]);
  set_action_button (self, GTK_WIDGET (self->close_button), "editor.close-case", by_kind[AWDA_WORKFLOW_CLOSE]);

  gtk_label_set_text (self->reasons_label, reasons->str);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_label), reasons->len > 0);
}

/* The plan: totals per programme and currency */

typedef struct
{
  char   *programme;  /* id, NULL for none */
  char   *currency;   /* NULL for none */
  gint64  budget;
  gint64  disbursed;
} Total;

static void
total_clear (Total *total)
{
  g_free (total->programme);
  g_free (total->currency);
}

static Total *
find_total (GArray     *totals,
            const char *programme,
            const char *currency)
{
  Total total = { g_strdup (programme), g_strdup (currency), 0, 0 };

  for (guint i = 0; i < totals->len; i++)
    {
      Total *t = &g_array_index (totals, Total, i);

      if (g_strcmp0 (t->programme, programme) == 0 && g_strcmp0 (t->currency, currency) == 0)
        {
          total_clear (&total);
          return t;
        }
    }
  g_array_append_val (totals, total);
  return &g_array_index (totals, Total, totals->len - 1);
}

static void
attach_cell (GtkGrid    *grid,
             const char *text,
             int         column,
             int         row,
             gboolean    number,
             gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), number ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, !number);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  if (heading)
    {
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_add_css_class (label, "dim-label");
    }
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static char *
format_money (gint64      thousandths,
              const char *currency)
{
  const AwdaEntity *plan_item = awda_dictionary_lookup_entity ("plan_item");
  g_autofree char *canonical = awda_amount_format (thousandths);
  g_autofree char *shown = awda_field_format_value (NULL, awda_entity_lookup_field (plan_item, "budget"), canonical);

  if (currency == NULL)
    /* Translators: an amount whose currency was not given. */
    return g_strdup_printf (_("%s (no currency)"), shown);
  /* Translators: an amount and its currency code, “2 500 TND”. */
  return g_strdup_printf (_("%s %s"), shown, currency);
}

/* Sums the budgets and disbursements per programme and currency, and the
 * whole plan per currency: amounts in different currencies are never
 * added together. */
static void
refresh_totals (AwdaCaseEditor *self)
{
  g_autoptr(GArray) totals = g_array_new (FALSE, FALSE, sizeof (Total));
  g_autoptr(GArray) overall = g_array_new (FALSE, FALSE, sizeof (Total));
  g_autoptr(GPtrArray) items = NULL;
  const AwdaEntity *plan_item = awda_dictionary_lookup_entity ("plan_item");
  const AwdaField *programme_field = awda_entity_lookup_field (plan_item, "programme");
  GtkWidget *child;
  int row = 0;

  g_array_set_clear_func (totals, (GDestroyNotify) total_clear);
  g_array_set_clear_func (overall, (GDestroyNotify) total_clear);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->totals_grid))) != NULL)
    gtk_grid_remove (self->totals_grid, child);

  if (self->store != NULL && self->case_id != NULL)
    items = awda_store_list_children (self->store, "plan_item", self->case_id, NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const AwdaRecord *item = g_ptr_array_index (items, i);
      const char *currency = awda_record_get (item, "currency");
      const char *budget_text = awda_record_get (item, "budget");
      const char *disbursed_text = awda_record_get (item, "disbursed");
      gint64 budget = 0, disbursed = 0;
      Total *total, *sum;

      if (budget_text != NULL)
        awda_amount_parse (budget_text, &budget);
      if (disbursed_text != NULL)
        awda_amount_parse (disbursed_text, &disbursed);
      if (budget_text == NULL && disbursed_text == NULL)
        continue;
      /* A cancelled item's budget is no longer planned. */
      if (g_strcmp0 (awda_record_get (item, "status"), "cancelled") == 0)
        budget = 0;

      total = find_total (totals, awda_record_get (item, "programme"), currency);
      total->budget += budget;
      total->disbursed += disbursed;
      sum = find_total (overall, NULL, currency);
      sum->budget += budget;
      sum->disbursed += disbursed;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->totals_grid), totals->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->totals_empty_label), totals->len == 0);
  if (totals->len == 0)
    return;

  attach_cell (self->totals_grid, _("Programme"), 0, row, FALSE, TRUE);
  attach_cell (self->totals_grid, _("Budget"), 1, row, TRUE, TRUE);
  attach_cell (self->totals_grid, _("Disbursed"), 2, row, TRUE, TRUE);
  row++;

  for (guint i = 0; i < totals->len; i++)
    {
      Total *t = &g_array_index (totals, Total, i);
      g_autofree char *programme = t->programme
                                   ? awda_field_format_value (self->store, programme_field, t->programme)
                                   : g_strdup (_("No programme"));
      g_autofree char *budget = format_money (t->budget, t->currency);
      g_autofree char *disbursed = format_money (t->disbursed, t->currency);

      attach_cell (self->totals_grid, programme, 0, row, FALSE, FALSE);
      attach_cell (self->totals_grid, budget, 1, row, TRUE, FALSE);
      attach_cell (self->totals_grid, disbursed, 2, row, TRUE, FALSE);
      row++;
    }

  for (guint i = 0; i < overall->len; i++)
    {
      Total *t = &g_array_index (overall, Total, i);
      g_autofree char *budget = format_money (t->budget, t->currency);
      g_autofree char *disbursed = format_money (t->disbursed, t->currency);

      attach_cell (self->totals_grid, i == 0 ? _("Whole plan") : "", 0, row, FALSE, TRUE);
      attach_cell (self->totals_grid, budget, 1, row, TRUE, TRUE);
      attach_cell (self->totals_grid, disbursed, 2, row, TRUE, TRUE);
      row++;
    }
}

/* The plan: who approves */

static void
refresh_staff (AwdaCaseEditor *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) staff = NULL;
  guint selected = 0;

  /* Read before the staff: a write in between makes it differ. */
  self->staff_stamp = self->store != NULL ? awda_store_get_data_stamp (self->store) : 0;
  g_ptr_array_set_size (self->staff_ids, 0);
  gtk_string_list_append (labels, _("Nobody chosen"));
  g_ptr_array_add (self->staff_ids, NULL);

  if (self->store != NULL)
    staff = awda_store_list_records (self->store, "staff", NULL);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      const AwdaRecord *member = g_ptr_array_index (staff, i);
      const char *role = awda_record_get (member, "role");
      g_autofree char *label = NULL;

      if (g_strcmp0 (awda_record_get (member, "active"), "false") == 0 && g_strcmp0 (member->id, self->staff_id) != 0)
        continue;
      if (role != NULL)
        /* Translators: a staff member and their role, in the list of
         * who approves: “Leila Mansouri (Supervisor)”. */
        label = g_strdup_printf (_("%s (%s)"), awda_record_get (member, "name"),
                                 awda_format_enum_value (awda_entity_lookup_field (member->entity, "role"), role));
      else
        label = g_strdup (awda_record_get (member, "name"));
      if (g_strcmp0 (member->id, self->staff_id) == 0)
        selected = self->staff_ids->len;
      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->staff_ids, g_strdup (member->id));
    }

  self->loading_staff = TRUE;
  gtk_drop_down_set_model (self->staff_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->staff_dropdown, selected);
  self->loading_staff = FALSE;
}

/* Shows the staff member chosen, without rebuilding the list (which may
 * be reporting that choice right now). */
static void
select_staff (AwdaCaseEditor *self)
{
  guint position = 0;

  for (guint i = 1; i < self->staff_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->staff_ids, i), self->staff_id) == 0)
      position = i;
  if (position == 0 && self->staff_id != NULL)
    {
      /* Not listed yet (new staff data): list again, off this signal. */
      refresh_staff (self);
      return;
    }
  if (gtk_drop_down_get_selected (self->staff_dropdown) != position)
    {
      self->loading_staff = TRUE;
      gtk_drop_down_set_selected (self->staff_dropdown, position);
      self->loading_staff = FALSE;
    }
}

static void
on_staff_selected_cb (AwdaCaseEditor *self)
{
  guint position = gtk_drop_down_get_selected (self->staff_dropdown);

  if (self->loading_staff || position >= self->staff_ids->len)
    return;
  awda_case_editor_set_staff_id (self, g_ptr_array_index (self->staff_ids, position));
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
record_button (const char *label,
               const char *record_id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_object_set_data_full (G_OBJECT (button), "record-id", g_strdup (record_id), g_free);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void queue_refresh (AwdaCaseEditor *self);

/* The record as a workflow action finds it, for the undo stack; NULL
 * when it cannot be read (the action then says why). */
static AwdaRecord *
read_before_action (AwdaCaseEditor *self,
                    const char     *entity,
                    const char     *id)
{
  return self->undo_stack ? awda_store_get_record (self->store, entity, id, NULL) : NULL;
}

/* Puts what a workflow action wrote on the undo stack: Ctrl+Z takes a
 * stage change or an approval back like any other change. */
static void
remember_action (AwdaCaseEditor   *self,
                 const AwdaRecord *before)
{
  g_autoptr(AwdaRecord) after = NULL;

  if (self->undo_stack == NULL || before == NULL)
    return;
  after = awda_store_get_record (self->store, before->entity->name, before->id, NULL);
  if (after != NULL)
    awda_undo_stack_push_change (self->undo_stack, before, after);
}

static void
on_approve_clicked_cb (GtkButton      *button,
                       AwdaCaseEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "record-id");
  g_autoptr(AwdaRecord) before = read_before_action (self, "plan_item", id);
  g_autoptr(GError) error = NULL;

  if (!awda_workflow_approve_plan_item (self->store, id, self->staff_id, &error))
    {
      awda_record_list_set_row_message (self->plan_list, id, error->message);
      return;
    }
  remember_action (self, before);
  awda_record_list_set_row_message (self->plan_list, id, NULL);
  awda_record_list_reload (self->plan_list);
  queue_refresh (self);
}

static void
on_plan_update_row_cb (AwdaCaseEditor *self,
                       GtkBox         *extra,
                       AwdaFieldGroup *group,
                       gpointer        data,
                       AwdaRecordList *list)
{
  const AwdaRecord *item = data;
  const char *status = awda_record_get (item, "status");
  const char *budget = awda_record_get (item, "budget");
  AwdaFieldEditor *status_editor = group ? awda_field_group_find_editor (group, "status") : NULL;

  clear_box (extra);

  if (budget != NULL)
    {
      gint64 thousandths = 0;
      g_autofree char *money = NULL;
      GtkWidget *label;

      awda_amount_parse (budget, &thousandths);
      money = format_money (thousandths, awda_record_get (item, "currency"));
      label = gtk_label_new (money);
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (extra, label);
    }

  if (status == NULL || g_strcmp0 (status, "proposed") == 0)
    {
      GtkWidget *approve = record_button (_("A_pprove"), item->id);

      gtk_widget_set_tooltip_text (approve, _("Approve this item of the plan, as the staff member chosen above"));
      g_signal_connect (approve, "clicked", G_CALLBACK (on_approve_clicked_cb), self);
      gtk_box_append (extra, approve);
    }

  /* Approval is a workflow action, recorded with who and when: an item
   * that was never approved cannot be marked approved, in progress or
   * done by hand. */
  if (status_editor != NULL)
    {
      static const char *const unapproved[] = { "approved", "in_progress", "done", NULL };

      awda_field_editor_set_excluded_values (status_editor,
                                             awda_record_get (item, "approved_on") == NULL ? unapproved : NULL);
    }
}

/* Follow-ups */

static void
on_mark_done_clicked_cb (GtkButton      *button,
                         AwdaCaseEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "record-id");
  AwdaRecordList *list = AWDA_RECORD_LIST (gtk_widget_get_ancestor (GTK_WIDGET (button), AWDA_TYPE_RECORD_LIST));
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(AwdaEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = awda_field_editor_today ();

  record = awda_store_get_record (self->store, "follow_up", id, &error);
  if (record != NULL)
    {
      edit = awda_edit_new ("follow_up", id);
      awda_edit_set (edit, "done_on", today);
      if (self->staff_id != NULL && awda_record_get (record, "done_by") == NULL)
        awda_edit_set (edit, "done_by", self->staff_id);
    }
  if (record == NULL || !awda_undo_stack_apply (self->undo_stack, edit, &error))
    {
      awda_record_list_set_row_message (list, id, error->message);
      return;
    }
  awda_record_list_set_row_message (list, id, NULL);
  awda_record_list_reload (list);
  queue_refresh (self);
}

static void
on_follow_up_update_row_cb (AwdaCaseEditor *self,
                            GtkBox         *extra,
                            AwdaFieldGroup *group,
                            gpointer        data,
                            AwdaRecordList *list)
{
  const AwdaRecord *follow_up = data;
  const char *scheduled = awda_record_get (follow_up, "scheduled_on");
  g_autofree char *today = awda_field_editor_today ();
  GtkWidget *done;

  clear_box (extra);
  if (awda_record_get (follow_up, "done_on") != NULL)
    return;

  if (scheduled != NULL && strcmp (scheduled, today) < 0)
    {
      GtkWidget *overdue = gtk_label_new (_("Overdue"));

      gtk_widget_add_css_class (overdue, "error");
      gtk_box_append (extra, overdue);
    }

  done = record_button (_("_Mark Done"), follow_up->id);
  gtk_widget_set_tooltip_text (done, _("Record that this follow-up took place today"));
  g_signal_connect (done, "clicked", G_CALLBACK (on_mark_done_clicked_cb), self);
  gtk_box_append (extra, done);
}

/* Attachments */

/* Launches the application for an attachment's media type, or the
 * default one for the file. */
static void
launch_attachment (AwdaCaseEditor *self,
                   const char     *path,
                   const char     *media_type)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autoptr(GAppInfo) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));

  /* The blob is named by its hash, without an extension: the recorded
   * media type picks the application. */
  if (media_type != NULL)
    {
      g_autofree char *content_type = g_content_type_from_mime_type (media_type);

      if (content_type != NULL)
        app = g_app_info_get_default_for_type (content_type, FALSE);
    }
  if (app != NULL)
    {
      GList files = { file, NULL, NULL };

      if (g_app_info_launch (app, &files, G_APP_LAUNCH_CONTEXT (context), &error))
        return;
      g_clear_error (&error);
    }

  if (!g_app_info_launch_default_for_uri (uri, G_APP_LAUNCH_CONTEXT (context), &error))
    {
      g_autofree char *message = g_strdup_printf (_("The attachment cannot be opened: %s"), error->message);

      show_banner (self, message);
    }
}

/* An attachment being checked before it is opened. */
typedef struct
{
  AwdaCaseEditor *editor;  /* owned */
  char           *media_type;
} Opening;

static void
opening_free (Opening *opening)
{
  g_object_unref (opening->editor);
  g_free (opening->media_type);
  g_free (opening);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Opening, opening_free)

static void
on_attachment_verified_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(Opening) opening = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = awda_attachments_open_finish (AWDA_STORE (source), result, &error);

  if (opening->editor->store == NULL)  /* disposed meanwhile */
    return;
  if (path == NULL)
    show_banner (opening->editor, error->message);
  else
    launch_attachment (opening->editor, path, opening->media_type);
}

/* The content is checked against its SHA-256 before it is opened: in a
 * worker thread, as it may be 50 MB. */
static void
on_open_attachment_clicked_cb (GtkButton      *button,
                               AwdaCaseEditor *self)
{
  Opening *opening = g_new0 (Opening, 1);

  opening->editor = g_object_ref (self);
  opening->media_type = g_strdup (g_object_get_data (G_OBJECT (button), "media-type"));
  awda_attachments_open_async (self->store, g_object_get_data (G_OBJECT (button), "record-id"),
                               NULL, on_attachment_verified_cb, opening);
}

static void
on_remove_attachment_clicked_cb (GtkButton      *button,
                                 AwdaCaseEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "record-id");
  g_autoptr(AwdaEdit) edit = awda_edit_new ("attachment", id);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, AWDA_FIELD_DELETED, "true");
  if (!awda_undo_stack_apply (self->undo_stack, edit, &error))
    show_banner (self, error->message);
  refresh_all (self);
}

static GtkWidget *
attachment_row (AwdaCaseEditor   *self,
                const AwdaRecord *attachment)
{
  const char *media_type = awda_record_get (attachment, "media_type");
  const char *size_text = awda_record_get (attachment, "size");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (awda_record_get (attachment, "file_name"));
  GtkWidget *details;
  GtkWidget *open = record_button (_("_Open"), attachment->id);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *type = NULL;
  g_autofree char *size = NULL;
  g_autofree char *line = NULL;

  if (media_type != NULL)
    {
      g_autofree char *content_type = g_content_type_from_mime_type (media_type);

      type = content_type ? g_content_type_get_description (content_type) : g_strdup (media_type);
    }
  else
    type = g_strdup (_("Unknown type"));
  size = size_text ? g_format_size (g_ascii_strtoull (size_text, NULL, 10)) : g_strdup ("");
  /* Translators: an attachment's type and size, “PDF document · 1.2 MB”. */
  line = g_strdup_printf (_("%s · %s"), type, size);
  if (!awda_attachments_has_blob (self->store, awda_record_get (attachment, "sha256")))
    {
      g_autofree char *missing = g_strdup_printf (_("%s · its content is not on this computer"), line);

      g_free (line);
      line = g_steal_pointer (&missing);
      gtk_widget_set_sensitive (open, FALSE);
    }
  details = gtk_label_new (line);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), details);

  g_object_set_data_full (G_OBJECT (open), "media-type", g_strdup (media_type), g_free);
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_attachment_clicked_cb), self);

  g_object_set_data_full (G_OBJECT (remove), "record-id", g_strdup (attachment->id), g_free);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"), -1);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_attachment_clicked_cb), self);

  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), open);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  return box;
}

static void
refresh_attachments (AwdaCaseEditor *self)
{
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;

  awda_list_box_remove_all (self->attachments_list);
  if (self->store != NULL && self->case_id != NULL)
    {
      attachments = awda_attachments_list (self->store, self->case_id, &error);
      if (attachments == NULL)
        show_banner (self, error->message);
    }

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    gtk_list_box_append (self->attachments_list, attachment_row (self, g_ptr_array_index (attachments, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->attachments_frame), attachments != NULL && attachments->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_empty_label), attachments == NULL || attachments->len == 0);
}

static void
set_attaching (AwdaCaseEditor *self,
               const char     *name)
{
  if (name != NULL)
    {
      /* Isolated: a Latin file name must not reorder an Arabic sentence. */
      g_autofree char *isolated = g_strconcat ("\u2068", name, "\u2069", NULL);
      g_autofree char *text = g_strdup_printf (_("Attaching “%s”…"), isolated);

      gtk_label_set_text (self->attaching_label, text);
    }
  gtk_widget_set_visible (self->attaching_box, name != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-file", name == NULL);
}

static void
on_attachment_added_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(AwdaCaseEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = awda_attachments_add_finish (AWDA_STORE (source), result, &error);

  if (self->store == NULL)  /* disposed meanwhile: the record is written all the same */
    return;
  set_attaching (self, NULL);
  if (id == NULL)
    show_banner (self, error->message);
  refresh_attachments (self);
  queue_refresh (self);
}

/**
 * awda_case_editor_add_attachment:
 * @self: a #AwdaCaseEditor
 * @file: a file to attach to the open case
 *
 * Copies @file into the store's blobs (content-addressed, SHA-256) in a
 * worker thread, then records it as an attachment of the case that is
 * open now, even if another is open by then. The page says that the file
 * is being attached meanwhile, and the banner why it was not.
 */
void
awda_case_editor_add_attachment (AwdaCaseEditor *self,
                                 GFile          *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (AWDA_IS_CASE_EDITOR (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->store != NULL && self->case_id != NULL);

  name = g_file_get_basename (file);
  set_attaching (self, name);
  awda_attachments_add_async (self->store, self->case_id, file, NULL, on_attachment_added_cb,
                              g_object_ref (self));
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        AwdaCaseEditor  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        awda_case_editor_add_attachment (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
add_file_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AwdaCaseEditor *self = AWDA_CASE_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL || self->case_id == NULL)
    return;

  /* GtkFileChooserNative, not GtkFileDialog: that one is GTK 4.10. */
  self->chooser = gtk_file_chooser_native_new (_("Attach a File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Attach"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* History */

static char *
history_field_label (const AwdaHistoryEntry *entry)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (entry->entity);
  const AwdaField *field = entity ? awda_entity_lookup_field (entity, entry->field) : NULL;
  const char *field_label = field ? _(field->label) : entry->field;

  if (entity == NULL || strcmp (entity->name, "case") == 0)
    return g_strdup (field_label);
  /* Translators: a field of a child record in the history, “Household
   * member: Name”. */
  return g_strdup_printf (_("%s: %s"), _(entity->label), field_label);
}

/* Whether @text starts, in its first letter, with a right-to-left
 * script; numbers and punctuation alone read left to right. */
static gboolean
starts_right_to_left (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeScript script;

      if (!g_unichar_isalpha (c))
        continue;
      script = g_unichar_get_script (c);
      return script == G_UNICODE_SCRIPT_ARABIC || script == G_UNICODE_SCRIPT_HEBREW
             || script == G_UNICODE_SCRIPT_SYRIAC || script == G_UNICODE_SCRIPT_THAANA
             || script == G_UNICODE_SCRIPT_NKO;
    }
  return FALSE;
}

static char *
history_value (AwdaCaseEditor         *self,
               const AwdaHistoryEntry *entry,
               const char             *value)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (entry->entity);
  const AwdaField *field = entity ? awda_entity_lookup_field (entity, entry->field) : NULL;
  g_autofree char *shown = NULL;
  gboolean truncated = FALSE;

  if (value == NULL || *value == '\0')
    return g_strdup ("—");
  if (field == NULL)
    return g_strdup (value);
  shown = awda_field_format_value (self->store, field, value);
  /* Long text is summed up on one line: the whole of it is in its field. */
  g_strdelimit (shown, "\n\t", ' ');
  if (g_utf8_strlen (shown, -1) > 80)
    {
      char *end = g_utf8_offset_to_pointer (shown, 80);

      *end = '\0';
      truncated = TRUE;
    }
  /* Isolated in its own direction (RLI or LRI … PDI), so that a value in
   * Arabic script does not turn the arrow and the other value around,
   * and a phone number reads left to right in an Arabic interface. */
  return g_strconcat (starts_right_to_left (shown) ? "\u2067" : "\u2066",
                      shown, truncated ? "…" : "", "\u2069", NULL);
}

static GtkWidget *
history_row (AwdaCaseEditor         *self,
             const AwdaHistoryEntry *entry)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *field = history_field_label (entry);
  g_autofree char *old_value = history_value (self, entry, entry->old_value);
  g_autofree char *new_value = history_value (self, entry, entry->value);
  g_autofree char *change = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (awda_hlc_get_ms (entry->hlc) / 1000);
  GtkWidget *field_label = gtk_label_new (field);
  GtkWidget *change_label;
  GtkWidget *who_label;

  /* The old value, an arrow towards the new one, in the direction of
   * the interface whatever the script of the values (a mark first). */
  if (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL)
    change = g_strdup_printf ("\u200F%s ← %s", old_value, new_value);
  else
    change = g_strdup_printf ("\u200E%s → %s", old_value, new_value);
  change_label = gtk_label_new (change);
  if (time != NULL)
    {
      g_autofree char *day = g_date_time_format (time, "%Y-%m-%d");
      g_autofree char *local_day = awda_format_date (day);
      g_autofree char *hour = g_date_time_format (time, "%H:%M");

      /* Translators: when a change was made: a date, then hours and
       * minutes. */
      when = g_strdup_printf (_("%s %s"), local_day, hour);
    }
  else
    when = g_strdup ("");
  /* Translators: when a change was made, and the office it was made at. */
  line = g_strdup_printf (_("%s · %s"), when, entry->site_name ? entry->site_name : entry->site_id);
  who_label = gtk_label_new (line);

  gtk_label_set_xalign (GTK_LABEL (field_label), 0);
  gtk_widget_add_css_class (field_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (change_label), 0);
  gtk_label_set_wrap (GTK_LABEL (change_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (change_label), PANGO_WRAP_WORD_CHAR);
  /* As wide as the row, not as narrow as wrapping allows: a value
   * broken in two reads badly, the more so in mixed scripts. */
  gtk_label_set_natural_wrap_mode (GTK_LABEL (change_label), GTK_NATURAL_WRAP_NONE);
  gtk_widget_set_hexpand (change_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (who_label), 0);
  gtk_widget_add_css_class (who_label, "dim-label");
  gtk_widget_add_css_class (who_label, "caption");

  gtk_box_append (GTK_BOX (box), field_label);
  gtk_box_append (GTK_BOX (box), change_label);
  gtk_box_append (GTK_BOX (box), who_label);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  return box;
}

/* The most changes listed at once; the oldest beyond are left out. */
#define HISTORY_MAX_ROWS 500

static void
refresh_history (AwdaCaseEditor *self)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  guint shown = 0;

  self->history_stale = FALSE;
  awda_list_box_remove_all (self->history_list);
  if (self->store != NULL && self->case_id != NULL)
    {
      history = awda_store_get_history (self->store, self->case_id, &error);
      if (history == NULL)
        show_banner (self, error->message);
    }

  /* Newest first, as the store gives them. */
  for (guint i = 0; history != NULL && i < history->len && shown < HISTORY_MAX_ROWS; i++)
    {
      const AwdaHistoryEntry *entry = g_ptr_array_index (history, i);
      const AwdaEntity *entity = awda_dictionary_lookup_entity (entry->entity);

      /* A child record's link to this very case says nothing. */
      if (entity != NULL && g_strcmp0 (entity->parent_field, entry->field) == 0)
        continue;
      gtk_list_box_append (self->history_list, history_row (self, entry));
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->history_frame), shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->history_empty_label), shown == 0);
}

static gboolean
history_visible (AwdaCaseEditor *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "history") == 0;
}

static void
on_page_changed_cb (AwdaCaseEditor *self)
{
  if (history_visible (self) && self->history_stale)
    refresh_history (self);
}

/* Keeping the pages in step with the store */

static gboolean
refresh_cb (gpointer user_data)
{
  AwdaCaseEditor *self = user_data;

  self->refresh_id = 0;
  refresh_header (self);
  refresh_totals (self);
  self->history_stale = TRUE;
  if (history_visible (self))
    refresh_history (self);
  return G_SOURCE_REMOVE;
}

/* After a field is written: what shows it elsewhere (the header, the
 * totals, the history) follows, once the main loop is idle. */
static void
queue_refresh (AwdaCaseEditor *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_cb, self);
}

/* What is not a field: the header, the totals, the attachments, the
 * history; and the staff who approve, which no case changes: another case
 * opened lists them again only when the data may have changed since (7 ms
 * of the 25 it takes). */
static void
refresh_others (AwdaCaseEditor *self,
                gboolean        staff)
{
  if (staff || self->staff_ids->len == 0
      || (self->store != NULL && awda_store_get_data_stamp (self->store) != self->staff_stamp))
    refresh_staff (self);
  refresh_attachments (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  refresh_cb (self);
}

/* After an undo, a stage change or a sync: every page reads the store. */
static void
refresh_all (AwdaCaseEditor *self)
{
  g_autoptr(GPtrArray) groups = case_groups (self);
  g_autoptr(GPtrArray) lists = record_lists (self);

  for (guint i = 0; i < groups->len; i++)
    awda_field_group_reload (g_ptr_array_index (groups, i));
  for (guint i = 0; i < lists->len; i++)
    awda_record_list_reload (g_ptr_array_index (lists, i));
  refresh_others (self, TRUE);
}

/* Once consent is recorded, personal details typed before it (and kept,
 * with the consent's sentence under them) are saved. */
static void
save_waiting_for_consent (AwdaCaseEditor *self)
{
  g_autoptr(GPtrArray) groups = case_groups (self);

  for (guint i = 0; i < groups->len; i++)
    {
      AwdaFieldGroup *group = g_ptr_array_index (groups, i);

      for (guint j = 0; j < awda_field_group_get_n_editors (group); j++)
        {
          AwdaFieldEditor *editor = awda_field_group_get_editor (group, j);

          if (awda_field_editor_get_message (editor) != NULL && awda_field_editor_has_pending (editor))
            awda_field_editor_commit (editor, NULL);
        }
    }
}

static void
on_group_committed_cb (AwdaCaseEditor  *self,
                       AwdaFieldEditor *editor,
                       AwdaFieldGroup  *group)
{
  const char *field = awda_field_editor_get_field_name (editor);

  show_banner (self, NULL);
  if (g_strcmp0 (awda_field_group_get_entity (group), "case") == 0
      && g_str_has_prefix (field, "consent_"))
    save_waiting_for_consent (self);
  queue_refresh (self);
}

static void
on_records_changed_cb (AwdaCaseEditor *self)
{
  show_banner (self, NULL);
  queue_refresh (self);
}

static void
on_undo_stack_changed_cb (AwdaCaseEditor *self)
{
  refresh_undo_buttons (self);
}

/* Actions */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AwdaCaseEditor *self = AWDA_CASE_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *editor = focus ? gtk_widget_get_ancestor (focus, AWDA_TYPE_FIELD_EDITOR) : NULL;
  g_autoptr(GError) error = NULL;
  gboolean undo = g_str_equal (action_name, "editor.undo");

  /* Typing not committed yet is what Ctrl+Z takes back first. */
  if (undo && editor != NULL && gtk_widget_is_ancestor (editor, widget)
      && awda_field_editor_has_pending (AWDA_FIELD_EDITOR (editor)))
    {
      awda_field_editor_revert (AWDA_FIELD_EDITOR (editor));
      return;
    }

  if (!(undo ? awda_undo_stack_can_undo (self->undo_stack) : awda_undo_stack_can_redo (self->undo_stack)))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  if (!(undo ? awda_undo_stack_undo (self->undo_stack, &error)
             : awda_undo_stack_redo (self->undo_stack, &error)))
    show_banner (self, error->message);
  else
    show_banner (self, NULL);
  refresh_all (self);
}

static void
workflow_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AwdaCaseEditor *self = AWDA_CASE_EDITOR (widget);
  g_autoptr(AwdaRecord) before = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->store == NULL || self->case_id == NULL)
    return;

  before = read_before_action (self, "case", self->case_id);
  if (g_str_equal (action_name, "editor.advance"))
    ok = awda_workflow_advance (self->store, self->case_id, &error);
  else if (g_str_equal (action_name, "editor.go-back"))
    ok = awda_workflow_go_back (self->store, self->case_id, &error);
  else if (g_str_equal (action_name, "editor.reopen"))
    ok = awda_workflow_reopen (self->store, self->case_id, NULL, &error);
  else
    {
      guint selected = gtk_drop_down_get_selected (self->closure_reason_dropdown);
      const char *reason = awda_choice_list_get_value (self->closure_reasons, selected);

      ok = awda_workflow_close (self->store, self->case_id, reason, &error);
      gtk_menu_button_popdown (self->close_button);
      if (ok)
        gtk_drop_down_set_selected (self->closure_reason_dropdown, 0);
    }

  if (ok)
    remember_action (self, before);
  show_banner (self, ok ? NULL : error->message);
  refresh_all (self);
}

/* GObject */

static void
awda_case_editor_dispose (GObject *object)
{
  AwdaCaseEditor *self = AWDA_CASE_EDITOR (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  /* The field editors save what was typed as they go. */
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_CASE_EDITOR);
  /* The template's children that have no name of ours. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  if (self->undo_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->undo_stack, self);
  g_clear_object (&self->undo_stack);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->closure_reasons);

  G_OBJECT_CLASS (awda_case_editor_parent_class)->dispose (object);
}

static void
awda_case_editor_finalize (GObject *object)
{
  AwdaCaseEditor *self = AWDA_CASE_EDITOR (object);

  g_free (self->case_id);
  g_free (self->staff_id);
  g_free (self->banner);
  g_ptr_array_unref (self->staff_ids);

  G_OBJECT_CLASS (awda_case_editor_parent_class)->finalize (object);
}

static void
awda_case_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AwdaCaseEditor *self = AWDA_CASE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CASE_ID:
      g_value_set_string (value, self->case_id);
      break;
    case PROP_STAFF_ID:
      g_value_set_string (value, self->staff_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_case_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AwdaCaseEditor *self = AWDA_CASE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      awda_case_editor_set_store (self, g_value_get_object (value));
      break;
    case PROP_CASE_ID:
      awda_case_editor_set_case_id (self, g_value_get_string (value));
      break;
    case PROP_STAFF_ID:
      awda_case_editor_set_staff_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_case_editor_class_init (AwdaCaseEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = awda_case_editor_dispose;
  object_class->finalize = awda_case_editor_finalize;
  object_class->get_property = awda_case_editor_get_property;
  object_class->set_property = awda_case_editor_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE_ID] =
    g_param_spec_string ("case-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STAFF_ID] =
    g_param_spec_string ("staff-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AWDA_TYPE_FIELD_EDITOR);
  g_type_ensure (AWDA_TYPE_FIELD_GROUP);
  g_type_ensure (AWDA_TYPE_RECORD_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-case-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, name_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, name_ar_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, stage_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, undo_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, redo_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, advance_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, close_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, closure_reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, banner_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, staff_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, totals_grid);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, totals_empty_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, plan_list);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, attachments_list);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, attachments_frame);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, attachments_empty_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, attaching_box);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, attaching_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, history_list);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, history_frame);
  gtk_widget_class_bind_template_child (widget_class, AwdaCaseEditor, history_empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_undo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_staff_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_plan_update_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_up_update_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_group_committed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_records_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "editor.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "editor.advance", NULL, workflow_action);
  gtk_widget_class_install_action (widget_class, "editor.go-back", NULL, workflow_action);
  gtk_widget_class_install_action (widget_class, "editor.reopen", NULL, workflow_action);
  gtk_widget_class_install_action (widget_class, "editor.close-case", NULL, workflow_action);
  gtk_widget_class_install_action (widget_class, "editor.add-file", NULL, add_file_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "editor.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "editor.redo", NULL);

  gtk_widget_class_set_css_name (widget_class, "caseeditor");
}

static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Not installed (a program run from its build folder without
   * GSETTINGS_SCHEMA_DIR): the staff member is chosen each time. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "staff-id"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
awda_case_editor_init (AwdaCaseEditor *self)
{
  static const struct { const char *trigger; const char *action; } undo_keys[] = {
    { "<Control>z", "editor.undo" },
    { "<Control><Shift>z", "editor.redo" },
    { "<Control><Shift>Z", "editor.redo" },
    { "<Control>y", "editor.redo" },
  };
  const AwdaField *closure_reason = case_field ("closure_reason");
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GtkSizeGroup) labels = NULL;
  GtkEventController *shortcuts;

  self->staff_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The case's fields line up from page to page. */
  groups = case_groups (self);
  labels = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  for (guint i = 0; i < groups->len; i++)
    awda_field_group_set_label_size_group (g_ptr_array_index (groups, i), labels);

  self->closure_reasons = awda_choice_list_new (closure_reason, _("Choose a reason"), FALSE);
  gtk_drop_down_set_model (self->closure_reason_dropdown, G_LIST_MODEL (self->closure_reasons));

  /* The same keys, before the focused entry or text view sees them: they
   * would take Ctrl+Z for their own undo (turned off in the editors). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (undo_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (undo_keys[i].trigger),
                                                            gtk_named_action_new (undo_keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  self->settings = open_settings ();
  if (self->settings != NULL)
    {
      g_autofree char *staff_id = g_settings_get_string (self->settings, "staff-id");

      if (*staff_id != '\0')
        self->staff_id = g_steal_pointer (&staff_id);
    }

  refresh_header (self);
}

/**
 * awda_case_editor_new:
 * @store: the open store
 *
 * Returns: (transfer floating): a new editor, with no case open
 */
AwdaCaseEditor *
awda_case_editor_new (AwdaStore *store)
{
  g_return_val_if_fail (store == NULL || AWDA_IS_STORE (store), NULL);

  return g_object_new (AWDA_TYPE_CASE_EDITOR, "store", store, NULL);
}

AwdaStore *
awda_case_editor_get_store (AwdaCaseEditor *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_EDITOR (self), NULL);
  return self->store;
}

void
awda_case_editor_set_store (AwdaCaseEditor *self,
                            AwdaStore      *store)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) lists = NULL;

  g_return_if_fail (AWDA_IS_CASE_EDITOR (self));
  g_return_if_fail (store == NULL || AWDA_IS_STORE (store));

  if (self->store == store)
    return;

  /* What was typed belongs to the store it was typed for. */
  if (self->store != NULL)
    awda_case_editor_commit_pending (self, NULL);
  awda_case_editor_set_case_id (self, NULL);

  if (self->undo_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->undo_stack, self);
  g_clear_object (&self->undo_stack);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->undo_stack = awda_undo_stack_new (store);
      g_signal_connect_swapped (self->undo_stack, "notify::can-undo", G_CALLBACK (on_undo_stack_changed_cb), self);
      g_signal_connect_swapped (self->undo_stack, "notify::can-redo", G_CALLBACK (on_undo_stack_changed_cb), self);
    }

  groups = case_groups (self);
  lists = record_lists (self);
  for (guint i = 0; i < groups->len; i++)
    {
      awda_field_group_set_store (g_ptr_array_index (groups, i), store);
      awda_field_group_set_undo_stack (g_ptr_array_index (groups, i), self->undo_stack);
    }
  for (guint i = 0; i < lists->len; i++)
    {
      awda_record_list_set_store (g_ptr_array_index (lists, i), store);
      awda_record_list_set_undo_stack (g_ptr_array_index (lists, i), self->undo_stack);
    }

  refresh_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

const char *
awda_case_editor_get_case_id (AwdaCaseEditor *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_EDITOR (self), NULL);
  return self->case_id;
}

/**
 * awda_case_editor_set_case_id:
 * @self: a #AwdaCaseEditor
 * @case_id: (nullable): the case to show, or %NULL for none
 *
 * Opens another case: what was typed in the previous one is saved to it
 * first, and the undo history starts again.
 */
void
awda_case_editor_set_case_id (AwdaCaseEditor *self,
                              const char     *case_id)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) lists = NULL;

  g_return_if_fail (AWDA_IS_CASE_EDITOR (self));

  if (g_strcmp0 (self->case_id, case_id) == 0)
    return;

  /* What was typed in the previous case is saved to it (and undone with
   * it, not with this one). */
  commit_all (self, NULL, NULL);

  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
  show_banner (self, NULL);

  groups = case_groups (self);
  lists = record_lists (self);
  for (guint i = 0; i < groups->len; i++)
    awda_field_group_set_record_id (g_ptr_array_index (groups, i), case_id);
  for (guint i = 0; i < lists->len; i++)
    awda_record_list_set_case_id (g_ptr_array_index (lists, i), case_id);
  if (self->undo_stack != NULL)
    awda_undo_stack_clear (self->undo_stack);

  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), case_id != NULL);
  gtk_stack_set_visible_child_name (self->stack, "identity");
  refresh_others (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

/**
 * awda_case_editor_get_undo_stack:
 *
 * Returns: (transfer none) (nullable): the undo stack of the open case
 */
AwdaUndoStack *
awda_case_editor_get_undo_stack (AwdaCaseEditor *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_EDITOR (self), NULL);
  return self->undo_stack;
}

const char *
awda_case_editor_get_staff_id (AwdaCaseEditor *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_EDITOR (self), NULL);
  return self->staff_id;
}

void
awda_case_editor_set_staff_id (AwdaCaseEditor *self,
                               const char     *staff_id)
{
  g_return_if_fail (AWDA_IS_CASE_EDITOR (self));

  if (staff_id != NULL && *staff_id == '\0')
    staff_id = NULL;
  if (g_strcmp0 (self->staff_id, staff_id) == 0)
    return;

  g_free (self->staff_id);
  self->staff_id = g_strdup (staff_id);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "staff-id", staff_id ? staff_id : "");
  select_staff (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_ID]);
}

/* The stack page that holds @widget. */
static void
show_page_of (AwdaCaseEditor *self,
              GtkWidget      *widget)
{
  for (GtkWidget *w = widget; w != NULL && w != GTK_WIDGET (self->stack); w = gtk_widget_get_parent (w))
    if (gtk_widget_get_parent (w) == GTK_WIDGET (self->stack))
      {
        gtk_stack_set_visible_child (self->stack, w);
        break;
      }
}

static gboolean
commit_all (AwdaCaseEditor   *self,
            AwdaFieldEditor **refused_out,
            GError          **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  AwdaFieldEditor *refused = NULL;
  gboolean ok = TRUE;

  if (self->store == NULL || self->case_id == NULL)
    return TRUE;

  groups = case_groups (self);
  lists = record_lists (self);
  for (guint i = 0; i < groups->len; i++)
    if (!awda_field_group_commit_pending (g_ptr_array_index (groups, i),
                                         ok ? &refused : NULL, ok ? error : NULL))
      ok = FALSE;
  for (guint i = 0; i < lists->len; i++)
    if (!awda_record_list_commit_pending (g_ptr_array_index (lists, i),
                                         ok ? &refused : NULL, ok ? error : NULL))
      ok = FALSE;

  if (refused_out != NULL)
    *refused_out = refused;
  return ok;
}

gboolean
awda_case_editor_commit_pending (AwdaCaseEditor  *self,
                                 GError         **error)
{
  AwdaFieldEditor *refused = NULL;

  g_return_val_if_fail (AWDA_IS_CASE_EDITOR (self), FALSE);

  if (commit_all (self, &refused, error))
    return TRUE;

  /* Show the first value that could not be saved, where it was typed. */
  if (refused != NULL)
    {
      show_page_of (self, GTK_WIDGET (refused));
      gtk_widget_grab_focus (awda_field_editor_get_control (refused));
    }
  return FALSE;
}

void
awda_case_editor_reload (AwdaCaseEditor *self)
{
  g_return_if_fail (AWDA_IS_CASE_EDITOR (self));
  refresh_all (self);
}

/**
 * awda_case_editor_get_banner:
 *
 * Returns: (nullable): the sentence the banner shows, if any
 */
const char *
awda_case_editor_get_banner (AwdaCaseEditor *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_EDITOR (self), NULL);
  return self->banner;
}

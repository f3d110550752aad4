/* awda-today-view.c: the follow-ups due and the cases waiting for an action, for the office or the caseworker
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two lists from awda-today.c: the follow-ups due today and overdue, and
 * the cases waiting for an action, of this installation's office or of
 * the caseworker using it. Activating a row opens its case (::open-case);
 * "Mark Done" on a follow-up writes done_on, and the row leaves.
 *
 * The lists are read on a worker thread with a connection of its own, as
 * the case list's model does: on a million cases the waiting cases take
 * a few hundred milliseconds, which the window must not wait for. The
 * follow-ups, quicker, are read first and shown at once. One read at a
 * time; a refresh asked for meanwhile starts again when it ends. Today's
 * date is read from the window's store, whose clock the tests set.
 */

#define G_LOG_DOMAIN "awda-today-view"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-field-editor.h"
#include "awda-format.h"
#include "awda-today-view.h"
#include "awda-today.h"

/* The most rows of the follow-ups, and of each kind of waiting case. */
#define LIST_LIMIT 100

struct _AwdaTodayView
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkLabel      *date_label;
  GtkLabel      *scope_label;
  GtkSpinner    *spinner;
  GtkToggleButton *mine_button;
  GtkToggleButton *office_button;
  GtkLabel      *error_label;
  GtkListBox    *follow_ups_list;
  GtkLabel      *follow_ups_count_label;
  GtkLabel      *follow_ups_note;
  GtkListBox    *waiting_list;
  GtkLabel      *waiting_count_label;
  GtkLabel      *waiting_note;

  /* owned */
  AwdaStore     *store;
  AwdaStore     *reader;       /* the worker's connection, between two reads */
  GCancellable  *cancellable;
  GSettings     *settings;
  char          *staff_id;
  char          *scope;

  gboolean       loading;
  gboolean       refresh_pending;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_STAFF_ID,
  PROP_SCOPE,
  PROP_LOADING,
  N_PROPS
};

enum {
  OPEN_CASE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaTodayView, awda_today_view, GTK_TYPE_WIDGET)

/* A read, from the main thread to a worker and back. */
typedef struct
{
  /* in */
  AwdaStore  *reader;     /* NULL: the worker opens one */
  char       *path;
  char       *today;
  char       *caseworker; /* "Mine"; NULL for the office */
  gboolean    waiting_phase; /* the follow-ups are read first, then the waiting cases */
  gboolean    office_known;  /* the office was looked for (in the first phase) */
  char       *office;

  /* out */
  GPtrArray  *follow_ups;
  GPtrArray  *waiting;
  gboolean    follow_ups_truncated;
  gboolean    waiting_truncated;
  char       *scope_text;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->reader);
  g_free (job->path);
  g_free (job->today);
  g_free (job->caseworker);
  g_free (job->office);
  g_clear_pointer (&job->follow_ups, g_ptr_array_unref);
  g_clear_pointer (&job->waiting, g_ptr_array_unref);
  g_free (job->scope_text);
  g_free (job);
}

static const char *
case_field_label (const char *field,
                  const char *value)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");

  return awda_format_enum_value (awda_entity_lookup_field (entity, field), value);
}

/* The worker */

static char *
record_name (AwdaStore  *store,
             const char *entity,
             const char *id)
{
  g_autoptr(AwdaRecord) record = awda_store_get_record (store, entity, id, NULL);

  return record ? g_strdup (awda_record_get (record, "name")) : NULL;
}

/* The first phase finds whose lists these are and reads the follow-ups,
 * which show at once; the second reads the waiting cases, the longer. */
static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  AwdaTodayQuery query = { .today = job->today, .limit = LIST_LIMIT };

  if (job->reader == NULL)
    {
      job->reader = awda_store_open (job->path, &error);
      if (job->reader == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (job->caseworker == NULL && !job->office_known)
    {
      job->office = awda_today_get_local_office (job->reader, &error);
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      job->office_known = TRUE;
    }
  query.caseworker = job->caseworker;
  query.office = job->caseworker == NULL ? job->office : NULL;

  if (job->waiting_phase)
    {
      job->waiting = awda_today_list_waiting (job->reader, &query, &job->waiting_truncated, &error);
      if (job->waiting == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  if (job->caseworker != NULL)
    {
      g_autofree char *name = record_name (job->reader, "staff", job->caseworker);

      /* Translators: who the Today view is for; %s is a staff member's name. */
      job->scope_text = g_strdup_printf (_("The cases followed by %s"), name ? name : job->caseworker);
    }
  else
    {
      g_autofree char *name = job->office ? record_name (job->reader, "office", job->office) : NULL;

      if (name != NULL)
        /* Translators: who the Today view is for; %s is an office's name. */
        job->scope_text = g_strdup_printf (_("The cases of %s"), name);
      else
        job->scope_text = g_strdup (_("Every case of this database: no office record matches this installation."));
    }

  job->follow_ups = awda_today_list_follow_ups (job->reader, &query, &job->follow_ups_truncated, &error);
  if (job->follow_ups == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Rows */

/* What the row is about. */
static char *
item_what (AwdaStore           *store,
           const AwdaTodayItem *item)
{
  switch (item->kind)
    {
    case AWDA_TODAY_FOLLOW_UP_DUE:
    case AWDA_TODAY_FOLLOW_UP_OVERDUE:
      {
        const AwdaEntity *entity = awda_dictionary_lookup_entity ("follow_up");
        const char *mode = item->mode ? awda_format_enum_value (awda_entity_lookup_field (entity, "mode"), item->mode) : NULL;
        g_autofree char *date = awda_format_date (item->since);

        if (mode != NULL)
          /* Translators: a follow-up in the Today view: its date, its mode (as “By phone”), the stage of the case. */
          return g_strdup_printf (_("Follow-up of %s · %s · %s"), date,
                                  mode, case_field_label ("status", item->status));
        /* Translators: a follow-up in the Today view: its date, then the stage of the case. */
        return g_strdup_printf (_("Follow-up of %s · %s"), date, case_field_label ("status", item->status));
      }

    case AWDA_TODAY_NO_CONSENT:
      return g_strdup (_("At reception: the consent is not recorded yet"));

    case AWDA_TODAY_RECEPTION_WAITING:
      return g_strdup (_("At reception for more than a week: the assessment can start"));

    case AWDA_TODAY_NO_ASSESSMENT:
      return g_strdup (_("At assessment, with no assessment recorded"));

    case AWDA_TODAY_APPROVAL:
      {
        const AwdaEntity *entity = awda_dictionary_lookup_entity ("plan_item");
        const char *kind = awda_format_enum_value (awda_entity_lookup_field (entity, "kind"), item->plan_kind);
        g_autofree char *amount = awda_field_format_value (store, awda_entity_lookup_field (entity, "budget"), item->budget);

        if (item->currency != NULL)
          /* Translators: a plan item awaiting approval: its kind, its budget and currency, as “Business creation, 2 500 TND”. */
          return g_strdup_printf (_("%s, %s %s: needs a supervisor’s approval"), kind, amount, item->currency);
        /* Translators: a plan item awaiting approval whose budget has no currency. */
        return g_strdup_printf (_("%s, %s (no currency): needs a supervisor’s approval"), kind, amount);
      }

    case AWDA_TODAY_IMPLEMENTATION_OVERDUE:
      return g_strdup (_("In implementation, with a follow-up overdue"));

    default:
      g_assert_not_reached ();
    }
}

/* Since when, relative to today. */
static char *
item_when (const AwdaTodayItem *item,
           gboolean            *late)
{
  int days = item->days;

  *late = TRUE;
  switch (item->kind)
    {
    case AWDA_TODAY_FOLLOW_UP_DUE:
      *late = FALSE;
      return g_strdup (_("Due today"));

    case AWDA_TODAY_FOLLOW_UP_OVERDUE:
    case AWDA_TODAY_IMPLEMENTATION_OVERDUE:
      return g_strdup_printf (ngettext ("%d day overdue", "%d days overdue", days), days);

    case AWDA_TODAY_APPROVAL:
      *late = days > 0;
      if (days <= 0)
        return g_strdup (_("Proposed today"));
      return g_strdup_printf (ngettext ("Proposed %d day ago", "Proposed %d days ago", days), days);

    case AWDA_TODAY_NO_CONSENT:
    case AWDA_TODAY_RECEPTION_WAITING:
    case AWDA_TODAY_NO_ASSESSMENT:
      *late = days > 0;
      if (days <= 0)
        return g_strdup (_("Since today"));
      return g_strdup_printf (ngettext ("Waiting for %d day", "Waiting for %d days", days), days);

    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
item_row (AwdaTodayView       *self,
          const AwdaTodayItem *item)
{
  g_autofree char *names = awda_format_names (item->given_name, item->family_name,
                                              item->given_name_ar, item->family_name_ar);
  g_autofree char *what = item_what (self->store, item);
  g_autofree char *date = awda_format_date (item->since);
  g_autofree char *accessible = NULL;
  gboolean late = FALSE;
  g_autofree char *when = item_when (item, &late);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name_label = gtk_label_new (names);
  GtkWidget *what_label = gtk_label_new (what);
  GtkWidget *when_label = gtk_label_new (when);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (what_label), 0);
  gtk_label_set_wrap (GTK_LABEL (what_label), TRUE);
  gtk_widget_add_css_class (what_label, "dim-label");
  gtk_box_append (GTK_BOX (texts), name_label);
  gtk_box_append (GTK_BOX (texts), what_label);
  gtk_box_append (GTK_BOX (box), texts);

  gtk_widget_set_valign (when_label, GTK_ALIGN_CENTER);
  if (late)
    gtk_widget_add_css_class (when_label, "error");
  gtk_widget_set_tooltip_text (when_label, date);
  gtk_box_append (GTK_BOX (box), when_label);

  if (item->kind == AWDA_TODAY_FOLLOW_UP_DUE || item->kind == AWDA_TODAY_FOLLOW_UP_OVERDUE)
    {
      GtkWidget *button = gtk_button_new_with_label (_("Mark Done"));
      g_autofree char *label = g_strdup_printf (_("Mark the follow-up of %s done"), names);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Record that this follow-up was done today"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "today.mark-done");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (item->record_id));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_box_append (GTK_BOX (box), button);
      g_object_set_data_full (G_OBJECT (row), "follow-up-id", g_strdup (item->record_id), g_free);
    }

  /* One sentence for the screen reader; Enter opens the case. */
  accessible = g_strdup_printf ("%s. %s. %s.", names, what, when);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Activate to open the case"),
                                  -1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "case-id", g_strdup (item->case_id), g_free);
  return row;
}

static void
fill (AwdaTodayView *self,
      GtkListBox    *list,
      GPtrArray     *items)
{
  awda_list_box_remove_all (list);
  for (guint i = 0; i < items->len; i++)
    gtk_list_box_append (list, item_row (self, g_ptr_array_index (items, i)));
}

static void
show_error (AwdaTodayView *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_count (GtkLabel *label,
           guint     n,
           gboolean  truncated)
{
  g_autofree char *text = NULL;

  if (truncated)
    /* Translators: the number of rows of a Today list when there are more than shown. */
    text = g_strdup_printf (_("%u+"), n);
  else
    text = g_strdup_printf ("%u", n);
  gtk_label_set_text (label, text);
}

static void
show_date (AwdaTodayView *self,
           const char    *today)
{
  int year, month, day;
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;

  if (today == NULL || !awda_date_parse (today, &year, &month, &day))
    return;
  date = g_date_time_new_local (year, month, day, 12, 0, 0);
  /* Translators: today's date at the top of the Today view, in
   * g_date_time_format() form: weekday, day, month, year. */
  text = g_date_time_format (date, _("%A %-d %B %Y"));
  gtk_label_set_text (self->date_label, text);
}

/* Reading */

static void set_loading (AwdaTodayView *self,
                         gboolean       loading);
static void start_read  (AwdaTodayView *self,
                         Job           *job);

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AwdaTodayView) self = g_weak_ref_get (user_data);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean same_store;

  g_weak_ref_clear (user_data);
  g_free (user_data);

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The connection is kept for the next read, of the same database. */
  same_store = self->store != NULL && g_strcmp0 (job->path, awda_store_get_path (self->store)) == 0;
  if (self->reader == NULL && job->reader != NULL && same_store)
    self->reader = g_steal_pointer (&job->reader);

  if (self->refresh_pending || !same_store)
    {
      /* Overtaken: read again from the start. */
      self->refresh_pending = FALSE;
      if (self->store != NULL)
        start_read (self, NULL);
      else
        set_loading (self, FALSE);
      return;
    }

  if (error != NULL)
    {
      show_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }

  show_error (self, NULL);
  if (!job->waiting_phase)
    {
      Job *next = g_new0 (Job, 1);

      fill (self, self->follow_ups_list, job->follow_ups);
      set_count (self->follow_ups_count_label, job->follow_ups->len, job->follow_ups_truncated);
      gtk_widget_set_visible (GTK_WIDGET (self->follow_ups_note), job->follow_ups_truncated);
      gtk_label_set_text (self->scope_label, job->scope_text);
      show_date (self, job->today);

      next->waiting_phase = TRUE;
      next->path = g_strdup (job->path);
      next->today = g_strdup (job->today);
      next->caseworker = g_strdup (job->caseworker);
      next->office_known = job->office_known;
      next->office = g_strdup (job->office);
      start_read (self, next);
      return;
    }

  fill (self, self->waiting_list, job->waiting);
  set_count (self->waiting_count_label, job->waiting->len, job->waiting_truncated);
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_note), job->waiting_truncated);
  set_loading (self, FALSE);
}

/* Starts @job (owned), or the first phase of a new read when NULL. */
static void
start_read (AwdaTodayView *self,
            Job           *job)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  if (job == NULL)
    {
      job = g_new0 (Job, 1);
      job->path = g_strdup (awda_store_get_path (self->store));
      job->today = awda_today_get_date (self->store);
      if (g_strcmp0 (self->scope, AWDA_TODAY_SCOPE_MINE) == 0 && self->staff_id != NULL)
        job->caseworker = g_strdup (self->staff_id);
    }
  job->reader = g_steal_pointer (&self->reader);

  set_loading (self, TRUE);

  /* The view may go while its read runs: the weak reference lets it. */
  g_weak_ref_init (weak, self);
  task = g_task_new (NULL, self->cancellable, read_done_cb, weak);
  g_task_set_source_tag (task, start_read);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, read_thread);
}

void
awda_today_view_refresh (AwdaTodayView *self)
{
  g_return_if_fail (AWDA_IS_TODAY_VIEW (self));

  if (self->store == NULL)
    return;
  if (self->loading)
    {
      self->refresh_pending = TRUE;
      return;
    }
  start_read (self, NULL);
}

static void
set_loading (AwdaTodayView *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Signals and actions */

static void
on_row_activated_cb (AwdaTodayView *self,
                     GtkListBoxRow *row)
{
  const char *case_id = g_object_get_data (G_OBJECT (row), "case-id");

  if (case_id != NULL)
    g_signal_emit (self, signals[OPEN_CASE], 0, case_id);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  awda_today_view_refresh (AWDA_TODAY_VIEW (widget));
}

static void
mark_done_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AwdaTodayView *self = AWDA_TODAY_VIEW (widget);
  const char *follow_up_id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  if (self->store == NULL)
    return;

  if (!awda_today_mark_done (self->store, follow_up_id, self->staff_id, &error))
    {
      show_error (self, error->message);
      awda_today_view_refresh (self);
      return;
    }
  show_error (self, NULL);

  /* The row leaves at once; the refresh brings the counts and the
   * waiting cases up to date. */
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->follow_ups_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "follow-up-id"), follow_up_id) == 0)
      {
        gtk_list_box_remove (self->follow_ups_list, GTK_WIDGET (row));
        break;
      }
  awda_today_view_refresh (self);
}

/* The two buttons show the scope; the scope follows the one pressed. */
static void
show_scope (AwdaTodayView *self)
{
  gboolean mine = g_strcmp0 (self->scope, AWDA_TODAY_SCOPE_MINE) == 0;

  if (gtk_toggle_button_get_active (self->mine_button) != mine)
    gtk_toggle_button_set_active (self->mine_button, mine);
  if (gtk_toggle_button_get_active (self->office_button) != !mine)
    gtk_toggle_button_set_active (self->office_button, !mine);
}

static void
on_scope_toggled_cb (AwdaTodayView   *self,
                     GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  awda_today_view_set_scope (self, button == self->mine_button ? AWDA_TODAY_SCOPE_MINE
                                                                : AWDA_TODAY_SCOPE_OFFICE);
}

static void
update_mine (AwdaTodayView *self)
{
  gboolean known = self->staff_id != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->mine_button), known);
  if (!known)
    awda_today_view_set_scope (self, AWDA_TODAY_SCOPE_OFFICE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mine_button),
                               known ? _("The cases you follow")
                                     : _("No staff member is set for this installation: choose who you are first"));
}

/* GObject */

static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Not installed (run from the build folder): no staff member known. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "staff-id"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
on_staff_id_changed_cb (AwdaTodayView *self)
{
  g_autofree char *staff_id = g_settings_get_string (self->settings, "staff-id");

  awda_today_view_set_staff_id (self, staff_id);
}

static void
awda_today_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (awda_today_view_parent_class)->map (widget);

  awda_today_view_refresh (AWDA_TODAY_VIEW (widget));
}

static void
awda_today_view_dispose (GObject *object)
{
  AwdaTodayView *self = AWDA_TODAY_VIEW (object);

  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_TODAY_VIEW);
  /* The template's children that are not bound to a field, too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (awda_today_view_parent_class)->dispose (object);
}

static void
awda_today_view_finalize (GObject *object)
{
  AwdaTodayView *self = AWDA_TODAY_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->staff_id);
  g_free (self->scope);

  G_OBJECT_CLASS (awda_today_view_parent_class)->finalize (object);
}

static void
awda_today_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AwdaTodayView *self = AWDA_TODAY_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_STAFF_ID:
      g_value_set_string (value, self->staff_id);
      break;

    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_today_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AwdaTodayView *self = AWDA_TODAY_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      awda_today_view_set_store (self, g_value_get_object (value));
      break;

    case PROP_STAFF_ID:
      awda_today_view_set_staff_id (self, g_value_get_string (value));
      break;

    case PROP_SCOPE:
      awda_today_view_set_scope (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_today_view_class_init (AwdaTodayViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = awda_today_view_dispose;
  object_class->finalize = awda_today_view_finalize;
  object_class->get_property = awda_today_view_get_property;
  object_class->set_property = awda_today_view_set_property;
  widget_class->map = awda_today_view_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STAFF_ID] =
    g_param_spec_string ("staff-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCOPE] =
    g_param_spec_string ("scope", NULL, NULL, AWDA_TODAY_SCOPE_OFFICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaTodayView::open-case:
   * @case_id: the case of the row activated
   */
  signals[OPEN_CASE] =
    g_signal_new ("open-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-today-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, date_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, scope_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, spinner);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, mine_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, office_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, error_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, follow_ups_list);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, follow_ups_count_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, follow_ups_note);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, waiting_list);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, waiting_count_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaTodayView, waiting_note);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_scope_toggled_cb);

  gtk_widget_class_install_action (widget_class, "today.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "today.mark-done", "s", mark_done_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "today.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "today.refresh", NULL);

  gtk_widget_class_set_css_name (widget_class, "todayview");
}

static GtkWidget *
placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
awda_today_view_init (AwdaTodayView *self)
{
  g_autofree char *note = NULL;

  self->scope = g_strdup (AWDA_TODAY_SCOPE_OFFICE);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->follow_ups_list,
                                placeholder (_("No follow-up is due today, and none is overdue.")));
  gtk_list_box_set_placeholder (self->waiting_list,
                                placeholder (_("No case is waiting for an action.")));

  note = g_strdup_printf (ngettext ("Only the %d most recently due are shown: the case list’s overdue filter finds the others.",
                                    "Only the %d most recently due are shown: the case list’s overdue filter finds the others.",
                                    LIST_LIMIT), LIST_LIMIT);
  gtk_label_set_text (self->follow_ups_note, note);
  g_free (note);
  note = g_strdup_printf (ngettext ("Only the first %d of each kind are shown.",
                                    "Only the first %d of each kind are shown.",
                                    LIST_LIMIT), LIST_LIMIT);
  gtk_label_set_text (self->waiting_note, note);

  self->settings = open_settings ();
  if (self->settings != NULL)
    {
      g_autofree char *staff_id = g_settings_get_string (self->settings, "staff-id");

      if (*staff_id != '\0')
        self->staff_id = g_steal_pointer (&staff_id);
      g_signal_connect_object (self->settings, "changed::staff-id",
                               G_CALLBACK (on_staff_id_changed_cb), self, G_CONNECT_SWAPPED);
    }
  /* Who knows who they are starts with their own cases. */
  if (self->staff_id != NULL)
    {
      g_free (self->scope);
      self->scope = g_strdup (AWDA_TODAY_SCOPE_MINE);
    }
  show_scope (self);
  update_mine (self);
}

/**
 * awda_today_view_new:
 * @store: (nullable): the open store
 *
 * Returns: (transfer floating): a new view
 */
AwdaTodayView *
awda_today_view_new (AwdaStore *store)
{
  g_return_val_if_fail (store == NULL || AWDA_IS_STORE (store), NULL);

  return g_object_new (AWDA_TYPE_TODAY_VIEW, "store", store, NULL);
}

AwdaStore *
awda_today_view_get_store (AwdaTodayView *self)
{
  g_return_val_if_fail (AWDA_IS_TODAY_VIEW (self), NULL);
  return self->store;
}

void
awda_today_view_set_store (AwdaTodayView *self,
                           AwdaStore     *store)
{
  g_return_if_fail (AWDA_IS_TODAY_VIEW (self));
  g_return_if_fail (store == NULL || AWDA_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  /* The reader belongs to the previous database. */
  g_clear_object (&self->reader);
  awda_list_box_remove_all (self->follow_ups_list);
  awda_list_box_remove_all (self->waiting_list);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);

  if (store != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    awda_today_view_refresh (self);
}

const char *
awda_today_view_get_staff_id (AwdaTodayView *self)
{
  g_return_val_if_fail (AWDA_IS_TODAY_VIEW (self), NULL);
  return self->staff_id;
}

void
awda_today_view_set_staff_id (AwdaTodayView *self,
                              const char    *staff_id)
{
  g_return_if_fail (AWDA_IS_TODAY_VIEW (self));

  if (staff_id != NULL && *staff_id == '\0')
    staff_id = NULL;
  if (g_strcmp0 (staff_id, self->staff_id) == 0)
    return;

  g_free (self->staff_id);
  self->staff_id = g_strdup (staff_id);
  update_mine (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_ID]);

  if (g_strcmp0 (self->scope, AWDA_TODAY_SCOPE_MINE) == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    awda_today_view_refresh (self);
}

const char *
awda_today_view_get_scope (AwdaTodayView *self)
{
  g_return_val_if_fail (AWDA_IS_TODAY_VIEW (self), NULL);
  return self->scope;
}

void
awda_today_view_set_scope (AwdaTodayView *self,
                           const char    *scope)
{
  g_return_if_fail (AWDA_IS_TODAY_VIEW (self));

  if (g_strcmp0 (scope, AWDA_TODAY_SCOPE_MINE) != 0)
    scope = AWDA_TODAY_SCOPE_OFFICE;
  if (g_strcmp0 (scope, self->scope) == 0)
    return;

  g_free (self->scope);
  self->scope = g_strdup (scope);
  show_scope (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPE]);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    awda_today_view_refresh (self);
}

gboolean
awda_today_view_get_loading (AwdaTodayView *self)
{
  g_return_val_if_fail (AWDA_IS_TODAY_VIEW (self), FALSE);
  return self->loading;
}

/* awda-receive-dialog.c: receives other offices' changes from bundle files
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The files are imported one after another on a worker thread, with a
 * connection of its own to the database (a store is used by one thread
 * at a time), while the dialog shows the progress; then it says what
 * each file brought. Each bundle is applied completely or not at all:
 * one refused, with the core's sentence that says what is wrong and
 * where, leaves the database as it was and the others still import, as
 * awda-cli import does. Cancelling stops the file under way (nothing of
 * it applied) and leaves the ones after it; those before stay received.
 */

#define G_LOG_DOMAIN "awda-receive-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-bundle.h"
#include "awda-format.h"
#include "awda-receive-dialog.h"
#include "awda-sync-relay.h"
#include "awda-sync.h"

struct _AwdaReceiveDialog
{
  GtkWindow       parent_instance;

  /* template widgets */
  GtkButton      *cancel_button;
  GtkButton      *close_button;
  GtkStack       *stack;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *title_label;
  GtkLabel       *summary_label;
  GtkListBox     *file_list;

  /* owned */
  AwdaStore      *store;
  GCancellable   *cancellable;
  GPtrArray      *file_texts;   /* char *, a row's text, for the tests and screen readers */
  char           *summary;

  gboolean        busy;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGES_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaReceiveDialog, awda_receive_dialog, GTK_TYPE_WINDOW)

static gulong
plural (guint64 n)
{
  return (gulong) MIN (n, G_MAXULONG);
}

/* The work, on the thread */

typedef struct
{
  char           *path;
  AwdaSyncImport *result;   /* NULL: refused, failed or not reached */
  GError         *error;    /* NULL with no result: not reached */
} FileResult;

static void
file_result_free (FileResult *file)
{
  g_free (file->path);
  g_clear_pointer (&file->result, awda_sync_import_free);
  g_clear_error (&file->error);
  g_free (file);
}

typedef struct
{
  char           *database;
  GPtrArray      *files;    /* FileResult, in the order given */
  AwdaSyncRelay  *relay;
} ReceiveJob;

static void
receive_job_free (ReceiveJob *job)
{
  g_free (job->database);
  g_ptr_array_unref (job->files);
  g_clear_pointer (&job->relay, awda_sync_relay_unref);
  g_free (job);
}

static void
receive_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReceiveJob *job = task_data;
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = awda_store_open (job->database, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Each file on its own: one refused leaves the others to import. */
  for (guint i = 0; i < job->files->len; i++)
    {
      FileResult *file = g_ptr_array_index (job->files, i);

      if (g_cancellable_is_cancelled (cancellable))
        break;
      awda_sync_relay_set_range (job->relay, (double) i / job->files->len, 1.0 / job->files->len);
      file->result = awda_sync_import (store, file->path, awda_sync_relay_report, job->relay,
                                       cancellable, &file->error);
    }
  g_task_return_boolean (task, TRUE);
}

/* The result */

static GtkWidget *
file_row (const char  *icon_name,
          const char  *title,
          const char **lines,
          GString     *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", icon_name,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  GtkWidget *label = gtk_label_new (title);

  /* The rich list gives the row its padding. */
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), icon);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (texts), label);
  g_string_append (text, title);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      GtkWidget *line = gtk_label_new (lines[i]);

      gtk_label_set_xalign (GTK_LABEL (line), 0);
      gtk_label_set_wrap (GTK_LABEL (line), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (line), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (line), TRUE);
      gtk_box_append (GTK_BOX (texts), line);
      g_string_append_c (text, '\n');
      g_string_append (text, lines[i]);
    }

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

typedef struct
{
  guint   received;
  guint   refused;
  guint   skipped;
  guint64 applied;
  guint64 conflicts;
  guint64 quarantined;
} Totals;

static void
add_file_row (AwdaReceiveDialog *self,
              FileResult        *file,
              Totals            *totals)
{
  g_autofree char *base = g_path_get_basename (file->path);
  g_autofree char *title = g_filename_display_name (base);
  GString *text = g_string_new (NULL);
  g_autofree char *from = NULL;
  g_autofree char *counts = NULL;
  const char *icon_name;
  const char *lines[4] = { NULL };

  if (file->result != NULL)
    {
      AwdaSyncImport *r = file->result;
      g_autofree char *applied = awda_format_count (r->applied + r->released);
      g_autofree char *present = awda_format_count (r->present);
      g_autofree char *conflicts = awda_format_count (r->conflicts);
      g_autofree char *quarantined = awda_format_count (r->quarantined);
      g_autofree char *applied_text = g_strdup_printf (ngettext ("%s change applied", "%s changes applied",
                                                                 plural (r->applied + r->released)), applied);
      g_autofree char *present_text = g_strdup_printf (ngettext ("%s already present", "%s already present",
                                                                 plural (r->present)), present);
      g_autofree char *conflicts_text = g_strdup_printf (ngettext ("%s conflict kept", "%s conflicts kept",
                                                                   plural (r->conflicts)), conflicts);
      g_autofree char *quarantined_text = g_strdup_printf (ngettext ("%s set aside", "%s set aside",
                                                                     plural (r->quarantined)), quarantined);
      const char *name = r->from_name != NULL && r->from_name[0] != '\0' ? r->from_name : r->from_site;

      totals->received++;
      totals->applied += r->applied + r->released;
      totals->conflicts += r->conflicts;
      totals->quarantined += r->quarantined;

      icon_name = "emblem-ok-symbolic";
      from = g_strdup_printf (_("Sent by %s"), name);
      /* TRANSLATORS: the counts of a file received, one after another:
       * "12 changes applied, 3 already present, 1 conflict kept, 0 set aside" */
      counts = g_strdup_printf (_("%s, %s, %s, %s"), applied_text, present_text, conflicts_text, quarantined_text);
      lines[0] = from;
      lines[1] = counts;
    }
  else if (file->error != NULL && g_error_matches (file->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      totals->skipped++;
      icon_name = "process-stop-symbolic";
      lines[0] = _("Not received: cancelled. Nothing from this file was applied.");
    }
  else if (file->error != NULL)
    {
      totals->refused++;
      icon_name = "dialog-error-symbolic";
      lines[0] = file->error->domain == AWDA_BUNDLE_ERROR
                 ? _("Refused: nothing from this file was applied.")
                 : _("Could not be read: nothing from this file was applied.");
      lines[1] = file->error->message;
    }
  else
    {
      totals->skipped++;
      icon_name = "process-stop-symbolic";
      lines[0] = _("Not received: cancelled before this file.");
    }

  gtk_list_box_append (self->file_list, file_row (icon_name, title, lines, text));
  g_ptr_array_add (self->file_texts, g_string_free (text, FALSE));
}

static void
show_result (AwdaReceiveDialog *self,
             GPtrArray         *files)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  Totals totals = { 0 };
  const char *title;

  for (guint i = 0; i < files->len; i++)
    add_file_row (self, g_ptr_array_index (files, i), &totals);

  if (totals.received == files->len)
    title = _("Changes Received");
  else if (totals.received == 0 && totals.refused == 0)
    title = _("Nothing Received");
  else if (totals.refused > 0)
    title = ngettext ("A File Was Refused", "Files Were Refused", totals.refused);
  else
    title = _("Receiving Cancelled");

  if (totals.received > 0 && totals.applied == 0)
    g_string_append (summary, _("Everything in these files was already here."));
  if (totals.conflicts > 0)
    {
      g_autofree char *count = awda_format_count (totals.conflicts);

      if (summary->len > 0)
        g_string_append_c (summary, ' ');
      g_string_append_printf (summary,
                              ngettext ("%s conflict was kept for you to resolve.",
                                        "%s conflicts were kept for you to resolve.",
                                        plural (totals.conflicts)),
                              count);
    }
  if (totals.quarantined > 0)
    {
      g_autofree char *count = awda_format_count (totals.quarantined);

      if (summary->len > 0)
        g_string_append_c (summary, ' ');
      g_string_append_printf (summary,
                              ngettext ("%s change was set aside: the clock of the computer that sent it is more than a day ahead.",
                                        "%s changes were set aside: the clock of the computer that sent them is more than a day ahead.",
                                        plural (totals.quarantined)),
                              count);
    }
  if (totals.refused > 0)
    {
      if (summary->len > 0)
        g_string_append_c (summary, ' ');
      g_string_append (summary, _("A refused file leaves the cases as they were: ask the office that sent it for a new one."));
    }

  gtk_label_set_text (self->title_label, title);
  g_free (self->summary);
  self->summary = g_strdup (summary->str);
  gtk_label_set_text (self->summary_label, summary->str);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary->len > 0);
  gtk_stack_set_visible_child_name (self->stack, "result");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->close_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));

  if (totals.applied > 0 || totals.quarantined > 0)
    g_signal_emit (self, signals[CHANGES_RECEIVED], 0);
}

static void
on_received_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AwdaReceiveDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  ReceiveJob *job = g_task_get_task_data (G_TASK (result));

  g_clear_object (&self->cancellable);
  self->busy = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The database itself could not be opened: no file was read. */
      for (guint i = 0; i < job->files->len; i++)
        {
          FileResult *file = g_ptr_array_index (job->files, i);

          file->error = g_error_copy (error);
        }
    }
  show_result (self, job->files);
}

/**
 * awda_receive_dialog_receive:
 * @self: a #AwdaReceiveDialog
 * @paths: (array zero-terminated=1): the bundle files
 *
 * Imports @paths one after another off the main loop, then shows what
 * each brought; #AwdaReceiveDialog::changes-received when the cases
 * changed.
 */
void
awda_receive_dialog_receive (AwdaReceiveDialog  *self,
                             const char * const *paths)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;
  ReceiveJob *job;
  guint n;

  g_return_if_fail (AWDA_IS_RECEIVE_DIALOG (self));
  g_return_if_fail (paths != NULL && paths[0] != NULL);
  g_return_if_fail (!self->busy && self->file_texts->len == 0);

  job = g_new0 (ReceiveJob, 1);
  job->database = g_strdup (awda_store_get_path (self->store));
  job->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_result_free);
  job->relay = awda_sync_relay_new (self->progress_bar);
  for (n = 0; paths[n] != NULL; n++)
    {
      FileResult *file = g_new0 (FileResult, 1);

      file->path = g_strdup (paths[n]);
      g_ptr_array_add (job->files, file);
    }

  text = g_strdup_printf (ngettext ("Receiving the changes of %u file…",
                                   "Receiving the changes of %u files…", n), n);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  self->busy = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, on_received_cb, g_object_ref (self));
  g_task_set_source_tag (task, awda_receive_dialog_receive);
  /* Cancelled, the files received before still are: the thread says
   * which, rather than the task an error. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) receive_job_free);
  g_task_run_in_thread (task, receive_thread);
}

void
awda_receive_dialog_cancel (AwdaReceiveDialog *self)
{
  g_return_if_fail (AWDA_IS_RECEIVE_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_cancel_clicked_cb (AwdaReceiveDialog *self)
{
  if (self->busy)
    awda_receive_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

gboolean
awda_receive_dialog_get_busy (AwdaReceiveDialog *self)
{
  g_return_val_if_fail (AWDA_IS_RECEIVE_DIALOG (self), FALSE);

  return self->busy;
}

/**
 * awda_receive_dialog_get_summary:
 * @self: a #AwdaReceiveDialog
 *
 * Returns: (nullable): the sentences under the title of the result
 */
const char *
awda_receive_dialog_get_summary (AwdaReceiveDialog *self)
{
  g_return_val_if_fail (AWDA_IS_RECEIVE_DIALOG (self), NULL);

  return self->summary;
}

guint
awda_receive_dialog_get_n_files (AwdaReceiveDialog *self)
{
  g_return_val_if_fail (AWDA_IS_RECEIVE_DIALOG (self), 0);

  return self->file_texts->len;
}

/**
 * awda_receive_dialog_get_file_text:
 * @self: a #AwdaReceiveDialog
 * @index: a file, in the order given
 *
 * Returns: the text of the file's row, its lines separated by newlines
 */
const char *
awda_receive_dialog_get_file_text (AwdaReceiveDialog *self,
                                   guint              index)
{
  g_return_val_if_fail (AWDA_IS_RECEIVE_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->file_texts->len, NULL);

  return g_ptr_array_index (self->file_texts, index);
}

static gboolean
awda_receive_dialog_close_request (GtkWindow *window)
{
  AwdaReceiveDialog *self = AWDA_RECEIVE_DIALOG (window);

  /* The file under way is left unapplied; the window still learns of
   * those received before. */
  awda_receive_dialog_cancel (self);

  return GTK_WINDOW_CLASS (awda_receive_dialog_parent_class)->close_request (window);
}

static void
awda_receive_dialog_dispose (GObject *object)
{
  AwdaReceiveDialog *self = AWDA_RECEIVE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* The stack is bound and the window's child: GTK 4.8's
   * gtk_widget_dispose_template() would unparent it behind GtkWindow's
   * back (as in AwdaWindow). */
  gtk_window_set_child (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_RECEIVE_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (awda_receive_dialog_parent_class)->dispose (object);
}

static void
awda_receive_dialog_finalize (GObject *object)
{
  AwdaReceiveDialog *self = AWDA_RECEIVE_DIALOG (object);

  g_ptr_array_unref (self->file_texts);
  g_free (self->summary);

  G_OBJECT_CLASS (awda_receive_dialog_parent_class)->finalize (object);
}

static void
awda_receive_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AwdaReceiveDialog *self = AWDA_RECEIVE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_receive_dialog_class_init (AwdaReceiveDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = awda_receive_dialog_dispose;
  object_class->finalize = awda_receive_dialog_finalize;
  object_class->get_property = awda_receive_dialog_get_property;
  window_class->close_request = awda_receive_dialog_close_request;

  /**
   * AwdaReceiveDialog:busy:
   *
   * Whether files are being imported.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaReceiveDialog::changes-received:
   *
   * The files were imported and the database changed: what shows cases
   * reads them again.
   */
  signals[CHANGES_RECEIVED] =
    g_signal_new ("changes-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-receive-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceiveDialog, file_list);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
awda_receive_dialog_init (AwdaReceiveDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->file_texts = g_ptr_array_new_with_free_func (g_free);
}

/**
 * awda_receive_dialog_new:
 * @parent: the window the dialog is for
 * @store: the store the changes go into
 *
 * Returns: (transfer none): a new dialog, modal; GTK's list of windows
 *   holds it
 */
AwdaReceiveDialog *
awda_receive_dialog_new (GtkWindow *parent,
                         AwdaStore *store)
{
  AwdaReceiveDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  self = g_object_new (AWDA_TYPE_RECEIVE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  return self;
}

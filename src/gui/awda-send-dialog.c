/* awda-send-dialog.c: sends this office's changes to another, as a bundle file
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user picks the office the file is for (each one known, with the
 * number of changes it is not known to hold, or any office: every
 * change), then where to save it. Counting and writing run on worker
 * threads, each with a connection of its own to the database: a store
 * is used by one thread at a time, and the window goes on meanwhile.
 * The core writes the file readable by its owner alone, through a
 * temporary file renamed at the end: a cancelled or failed export
 * leaves nothing under the name chosen.
 */

#define G_LOG_DOMAIN "awda-send-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "awda-export.h"
#include "awda-format.h"
#include "awda-send-dialog.h"
#include "awda-sync-relay.h"
#include "awda-sync.h"

struct _AwdaSendDialog
{
  GtkWindow       parent_instance;

  /* template widgets */
  GtkButton      *cancel_button;
  GtkButton      *save_button;
  GtkStack       *stack;
  GtkListBox     *peer_list;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *done_label;
  GtkLabel       *folder_label;

  /* owned */
  AwdaStore      *store;
  GPtrArray      *peers;        /* AwdaSyncPeer, row for row; NULL until counted */
  GCancellable   *cancellable;  /* of the work under way */
  char           *message;

  gboolean        busy;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AwdaSendDialog, awda_send_dialog, GTK_TYPE_WINDOW)

static void
set_busy (AwdaSendDialog *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void show_choose_page (AwdaSendDialog *self);

/* The recipients */

static GtkWidget *
peer_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *label = gtk_label_new (title);

  /* The rich list gives the row its padding. */
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_widget_add_css_class (sub, "caption");
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_box_append (GTK_BOX (box), sub);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
fill_peers (AwdaSendDialog *self)
{
  GtkWidget *row;

  for (guint i = 0; i < self->peers->len; i++)
    {
      AwdaSyncPeer *peer = g_ptr_array_index (self->peers, i);
      g_autofree char *count = awda_format_count (peer->pending);
      g_autofree char *subtitle = g_strdup_printf (ngettext ("%s change to send", "%s changes to send",
                                                             (gulong) MIN (peer->pending, G_MAXULONG)),
                                                   count);

      row = peer_row (peer->name != NULL && peer->name[0] != '\0' ? peer->name : peer->id, subtitle);
      gtk_list_box_append (self->peer_list, row);
    }

  /* Last: the one row always there, for an office never heard of. */
  row = peer_row (_("Any office (all changes)"), NULL);
  gtk_list_box_append (self->peer_list, row);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->peer_list, 0));
  gtk_list_box_select_row (self->peer_list, GTK_LIST_BOX_ROW (row));
  /* Enter picks the office selected, as Save does; not Cancel. */
  gtk_widget_grab_focus (row);
}

static void
list_peers_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(AwdaStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *peers;

  reader = awda_store_open_reader (task_data, &error);
  if (reader == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  peers = awda_sync_list_peers (reader, &error);
  if (peers == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, peers, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_peers_listed_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AwdaSendDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *peers = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (peers == NULL)
    {
      /* Every change, for any office, can still be sent. */
      g_message ("Could not list the other offices: %s", error->message);
      peers = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_sync_peer_free);
    }
  self->peers = peers;
  fill_peers (self);
  set_busy (self, FALSE);
  show_choose_page (self);
}

static void
list_peers (AwdaSendDialog *self)
{
  g_autoptr(GTask) task = NULL;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, on_peers_listed_cb, g_object_ref (self));
  g_task_set_source_tag (task, list_peers);
  g_task_set_task_data (task, g_strdup (awda_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, list_peers_thread);
}

/* The recipient selected: its site id, NULL for any office. */
static const char *
selected_site (AwdaSendDialog *self,
               const char    **name)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->peer_list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (self->peers != NULL && index >= 0 && (guint) index < self->peers->len)
    {
      AwdaSyncPeer *peer = g_ptr_array_index (self->peers, index);

      if (name != NULL)
        *name = peer->name != NULL && peer->name[0] != '\0' ? peer->name : peer->id;
      return peer->id;
    }
  if (name != NULL)
    *name = NULL;
  return NULL;
}

/**
 * awda_send_dialog_select_peer:
 * @self: a #AwdaSendDialog
 * @site_id: (nullable): a site id, or %NULL for any office
 *
 * Returns: %FALSE when @site_id is no office listed (yet)
 */
gboolean
awda_send_dialog_select_peer (AwdaSendDialog *self,
                              const char     *site_id)
{
  g_return_val_if_fail (AWDA_IS_SEND_DIALOG (self), FALSE);

  if (self->peers == NULL)
    return FALSE;
  for (guint i = 0; i <= self->peers->len; i++)
    {
      AwdaSyncPeer *peer = i < self->peers->len ? g_ptr_array_index (self->peers, i) : NULL;

      if ((peer == NULL && site_id == NULL) || (peer != NULL && g_strcmp0 (peer->id, site_id) == 0))
        {
          gtk_list_box_select_row (self->peer_list, gtk_list_box_get_row_at_index (self->peer_list, i));
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_peer_selected_cb (AwdaSendDialog *self,
                     GtkListBoxRow  *row)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), row != NULL && !self->busy);
}

/* The file name suggested */

/* Letters and digits of any script kept, anything else (a slash, a
 * space, a colon) one hyphen: a name every file system takes. */
static void
append_safe (GString    *name,
             const char *text)
{
  gboolean hyphen = name->len > 0 && name->str[name->len - 1] != '-';

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || g_unichar_ismark (c))
        {
          if (hyphen)
            g_string_append_c (name, '-');
          hyphen = FALSE;
          g_string_append_unichar (name, c);
        }
      else
        hyphen = name->len > 0;
    }
}

/**
 * awda_send_dialog_suggest_name:
 * @site_name: (nullable): this office's name
 * @recipient: (nullable): the recipient's name, %NULL for any office
 * @date: the day the file is written
 *
 * Returns: (transfer full): awda-<office>-<recipient>-<YYYY-MM-DD>.awda,
 *   safe as a file name
 */
char *
awda_send_dialog_suggest_name (const char *site_name,
                               const char *recipient,
                               GDateTime  *date)
{
  GString *name = g_string_new ("awda");
  g_autofree char *day = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  append_safe (name, site_name);
  /* TRANSLATORS: in a file name, for a bundle meant for any office */
  append_safe (name, recipient != NULL ? recipient : C_("file name", "all"));
  day = g_date_time_format (date, "%Y-%m-%d");
  append_safe (name, day);
  /* g_unichar_isalnum() keeps the digits; the hyphens of the date are
   * the ones append_safe() puts back between them. */
  g_string_append (name, ".awda");
  return g_string_free (name, FALSE);
}

/* Sending */

typedef struct
{
  char          *database;
  char          *to_site;
  char          *path;
  AwdaSyncRelay *relay;
} SendJob;

static void
send_job_free (SendJob *job)
{
  g_free (job->database);
  g_free (job->to_site);
  g_free (job->path);
  g_clear_pointer (&job->relay, awda_sync_relay_unref);
  g_free (job);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendJob *job = task_data;
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  AwdaSyncExport *result;

  store = awda_store_open (job->database, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = awda_sync_export (store, job->to_site, job->path,
                             awda_sync_relay_report, job->relay, cancellable, &error);
  /* The core looks at the cancellable now and then: a small export may
   * end before it does. Cancelled is cancelled: no file is left. */
  if (result != NULL && g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_unlink (job->path);
      g_clear_pointer (&result, awda_sync_export_free);
    }
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) awda_sync_export_free);
}

static void
show_choose_page (AwdaSendDialog *self)
{
  gtk_stack_set_visible_child_name (self->stack, "choose");
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            gtk_list_box_get_selected_row (self->peer_list) != NULL);
  gtk_button_set_label (self->cancel_button, _("_Cancel"));
}

static void
on_sent_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AwdaSendDialog) self = user_data;
  g_autoptr(AwdaSyncExport) sent = NULL;
  g_autoptr(GError) error = NULL;
  SendJob *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *display = NULL;
  g_autofree char *isolated = NULL;
  g_autofree char *count = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *folder_display = NULL;

  sent = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (sent == NULL)
    {
      g_clear_pointer (&self->message, g_free);
      show_choose_page (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        awda_export_show_error (GTK_WINDOW (self), _("The changes could not be sent."), error);
      return;
    }

  /* The file's name in the sentence, its folder under it: a whole path
   * is too long to read, or to wrap. Isolated, so that a name keeps its
   * order in a right-to-left sentence. */
  display = g_filename_display_basename (job->path);
  isolated = g_strconcat ("\u2068", display, "\u2069", NULL);
  folder = g_path_get_dirname (job->path);
  folder_display = g_filename_display_name (folder);
  gtk_label_set_text (self->folder_label, folder_display);
  count = awda_format_count (sent->n_changes);
  g_free (self->message);
  self->message = g_strdup_printf (ngettext ("%s change written to “%s”.", "%s changes written to “%s”.",
                                             (gulong) MIN (sent->n_changes, G_MAXULONG)),
                                   count, isolated);
  gtk_label_set_text (self->done_label, self->message);
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), FALSE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

/**
 * awda_send_dialog_send_to:
 * @self: a #AwdaSendDialog
 * @path: the file to write
 *
 * Writes the changes for the office selected to @path, off the main
 * loop; #AwdaSendDialog:busy until it is done. The dialog then says how
 * many changes went into the file, or why it could not be written.
 */
void
awda_send_dialog_send_to (AwdaSendDialog *self,
                          const char     *path)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *display = NULL;
  g_autofree char *isolated = NULL;
  g_autofree char *text = NULL;
  SendJob *job;

  g_return_if_fail (AWDA_IS_SEND_DIALOG (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (!self->busy);

  job = g_new0 (SendJob, 1);
  job->database = g_strdup (awda_store_get_path (self->store));
  job->to_site = g_strdup (selected_site (self, NULL));
  job->path = g_strdup (path);
  job->relay = awda_sync_relay_new (self->progress_bar);

  display = g_filename_display_name (path);
  isolated = g_strconcat ("\u2068", display, "\u2069", NULL);
  text = g_strdup_printf (_("Writing the changes to “%s”…"), isolated);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  g_clear_pointer (&self->message, g_free);
  set_busy (self, TRUE);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, on_sent_cb, g_object_ref (self));
  g_task_set_source_tag (task, awda_send_dialog_send_to);
  /* What the thread did, even when cancelled too late to stop it: a
   * file written is said to be. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) send_job_free);
  g_task_run_in_thread (task, send_thread);
}

static void
on_file_chosen_cb (const char *path,
                   gpointer    user_data)
{
  AwdaSendDialog *self = user_data;
  g_autofree char *with_suffix = NULL;

  if (path == NULL || self->busy)
    return;

  with_suffix = awda_export_with_suffix (path, "awda");
  awda_send_dialog_send_to (self, with_suffix);
}

static void
on_save_clicked_cb (AwdaSendDialog *self)
{
  const AwdaSite *site = awda_store_get_site (self->store);
  const char *recipient = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *suggested = NULL;

  if (self->busy || gtk_list_box_get_selected_row (self->peer_list) == NULL)
    return;

  selected_site (self, &recipient);
  suggested = awda_send_dialog_suggest_name (site != NULL ? site->name : NULL, recipient, now);
  awda_export_choose (GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                      _("Save the Changes"), _("_Save"), suggested,
                      _("Awda bundles"), "awda",
                      on_file_chosen_cb, g_object_ref (self), g_object_unref);
}

static void
on_peer_activated_cb (AwdaSendDialog *self,
                      GtkListBoxRow  *row)
{
  on_save_clicked_cb (self);
}

/**
 * awda_send_dialog_cancel:
 * @self: a #AwdaSendDialog
 *
 * Stops the export under way: no file is left under the name chosen.
 */
void
awda_send_dialog_cancel (AwdaSendDialog *self)
{
  g_return_if_fail (AWDA_IS_SEND_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_cancel_clicked_cb (AwdaSendDialog *self)
{
  /* Cancel stops the export and goes back to the choice; otherwise it,
   * or Close, closes. */
  if (self->busy && self->peers != NULL)
    awda_send_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

gboolean
awda_send_dialog_get_busy (AwdaSendDialog *self)
{
  g_return_val_if_fail (AWDA_IS_SEND_DIALOG (self), FALSE);

  return self->busy;
}

/**
 * awda_send_dialog_get_message:
 * @self: a #AwdaSendDialog
 *
 * Returns: (nullable): the sentence that tells of the file written
 */
const char *
awda_send_dialog_get_message (AwdaSendDialog *self)
{
  g_return_val_if_fail (AWDA_IS_SEND_DIALOG (self), NULL);

  return self->message;
}

static gboolean
awda_send_dialog_close_request (GtkWindow *window)
{
  AwdaSendDialog *self = AWDA_SEND_DIALOG (window);

  /* The file is not left half written: the core removes it. */
  awda_send_dialog_cancel (self);

  return GTK_WINDOW_CLASS (awda_send_dialog_parent_class)->close_request (window);
}

static void
awda_send_dialog_dispose (GObject *object)
{
  AwdaSendDialog *self = AWDA_SEND_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* The stack is bound and the window's child: GTK 4.8's
   * gtk_widget_dispose_template() would unparent it behind GtkWindow's
   * back (as in AwdaWindow). */
  gtk_window_set_child (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_SEND_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->peers, g_ptr_array_unref);

  G_OBJECT_CLASS (awda_send_dialog_parent_class)->dispose (object);
}

static void
awda_send_dialog_finalize (GObject *object)
{
  AwdaSendDialog *self = AWDA_SEND_DIALOG (object);

  g_free (self->message);

  G_OBJECT_CLASS (awda_send_dialog_parent_class)->finalize (object);
}

static void
awda_send_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AwdaSendDialog *self = AWDA_SEND_DIALOG (object);

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
awda_send_dialog_class_init (AwdaSendDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = awda_send_dialog_dispose;
  object_class->finalize = awda_send_dialog_finalize;
  object_class->get_property = awda_send_dialog_get_property;
  window_class->close_request = awda_send_dialog_close_request;

  /**
   * AwdaSendDialog:busy:
   *
   * Whether the offices are being counted or a file written.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-send-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, peer_list);
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, done_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaSendDialog, folder_label);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_peer_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_peer_activated_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
awda_send_dialog_init (AwdaSendDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * awda_send_dialog_new:
 * @parent: the window the dialog is for
 * @store: the store whose changes are sent
 *
 * Returns: (transfer none): a new dialog, modal, that counts the changes
 *   each office is to receive; GTK's list of windows holds it
 */
AwdaSendDialog *
awda_send_dialog_new (GtkWindow *parent,
                      AwdaStore *store)
{
  AwdaSendDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  self = g_object_new (AWDA_TYPE_SEND_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->busy = TRUE;
  list_peers (self);
  return self;
}

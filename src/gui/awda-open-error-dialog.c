/* awda-open-error-dialog.c: says why the database could not be opened
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window of its own rather than a GtkMessageDialog: there is no main
 * window yet to be its parent.
 */

#define G_LOG_DOMAIN "awda-open-error-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-open-error-dialog.h"

struct _AwdaOpenErrorDialog
{
  GtkWindow  parent_instance;

  /* template widgets */
  GtkButton *close_button;
  GtkLabel  *message_label;
  GtkLabel  *path_label;
};

G_DEFINE_FINAL_TYPE (AwdaOpenErrorDialog, awda_open_error_dialog, GTK_TYPE_WINDOW)

static void
awda_open_error_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AWDA_TYPE_OPEN_ERROR_DIALOG);

  G_OBJECT_CLASS (awda_open_error_dialog_parent_class)->dispose (object);
}

static void
awda_open_error_dialog_class_init (AwdaOpenErrorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = awda_open_error_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-open-error-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaOpenErrorDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaOpenErrorDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaOpenErrorDialog, path_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
awda_open_error_dialog_init (AwdaOpenErrorDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Not the selectable message, which would show all selected. */
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
}

/**
 * awda_open_error_dialog_new:
 * @application: (nullable): the application
 * @path: the database that could not be opened
 * @error: why
 *
 * Returns: (transfer full): a new dialog
 */
AwdaOpenErrorDialog *
awda_open_error_dialog_new (GtkApplication *application,
                            const char     *path,
                            const GError   *error)
{
  AwdaOpenErrorDialog *self;
  g_autofree char *display = NULL;
  g_autofree char *isolated = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (AWDA_TYPE_OPEN_ERROR_DIALOG,
                       "application", application,
                       NULL);

  display = g_filename_display_name (path);
  /* Isolated, so that a path keeps its order in a right-to-left sentence. */
  isolated = g_strconcat ("\u2066", display, "\u2069", NULL);
  where = g_strdup_printf (_("Database: %s"), isolated);
  gtk_label_set_text (self->message_label, error->message);
  gtk_label_set_text (self->path_label, where);

  return self;
}

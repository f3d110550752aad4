/* awda-opening-window.c: shown while a database takes long to open
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening a database made by an earlier version brings it up to date, and
 * opening one after an interrupted bulk load builds its indexes again: on
 * a large database, a minute or more (awda_store_needs_upgrade() tells
 * beforehand). The application shows this window at once then, and says
 * why; otherwise only when opening has not finished after a moment (a
 * slow disk), so that nobody takes the wait for a hang. The main window,
 * or the dialog that says why the database could not be opened, takes
 * its place.
 */

#define G_LOG_DOMAIN "awda-opening-window"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-opening-window.h"

struct _AwdaOpeningWindow
{
  GtkWindow   parent_instance;

  char       *path;
  gboolean    upgrading;

  /* template widgets */
  GtkLabel   *title_label;
  GtkLabel   *upgrade_label;
  GtkLabel   *path_label;
};

G_DEFINE_FINAL_TYPE (AwdaOpeningWindow, awda_opening_window, GTK_TYPE_WINDOW)

static void
awda_opening_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AWDA_TYPE_OPENING_WINDOW);

  G_OBJECT_CLASS (awda_opening_window_parent_class)->dispose (object);
}

static void
awda_opening_window_finalize (GObject *object)
{
  AwdaOpeningWindow *self = AWDA_OPENING_WINDOW (object);

  g_free (self->path);

  G_OBJECT_CLASS (awda_opening_window_parent_class)->finalize (object);
}

/* It goes when the database is open; closing it would not stop that. */
static gboolean
awda_opening_window_close_request (GtkWindow *window)
{
  return TRUE;
}

static void
awda_opening_window_class_init (AwdaOpeningWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = awda_opening_window_dispose;
  object_class->finalize = awda_opening_window_finalize;
  window_class->close_request = awda_opening_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-opening-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaOpeningWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaOpeningWindow, upgrade_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaOpeningWindow, path_label);
}

static void
awda_opening_window_init (AwdaOpeningWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * awda_opening_window_new:
 * @application: (nullable): the application
 * @path: the database being opened
 * @upgrading: whether opening brings it up to date first
 *
 * Returns: (transfer full): a new window
 */
AwdaOpeningWindow *
awda_opening_window_new (GtkApplication *application,
                         const char     *path,
                         gboolean        upgrading)
{
  AwdaOpeningWindow *self;
  g_autofree char *display = NULL;
  g_autofree char *isolated = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (AWDA_TYPE_OPENING_WINDOW,
                       "application", application,
                       NULL);
  self->path = g_strdup (path);
  self->upgrading = !!upgrading;
  if (upgrading)
    gtk_label_set_text (self->title_label, _("Updating the Database…"));
  gtk_widget_set_visible (GTK_WIDGET (self->upgrade_label), upgrading);

  display = g_filename_display_name (path);
  /* Isolated, so that a path keeps its order in a right-to-left sentence. */
  isolated = g_strconcat ("\u2066", display, "\u2069", NULL);
  where = g_strdup_printf (_("Database: %s"), isolated);
  gtk_label_set_text (self->path_label, where);

  return self;
}

const char *
awda_opening_window_get_path (AwdaOpeningWindow *self)
{
  g_return_val_if_fail (AWDA_IS_OPENING_WINDOW (self), NULL);
  return self->path;
}

gboolean
awda_opening_window_get_upgrading (AwdaOpeningWindow *self)
{
  g_return_val_if_fail (AWDA_IS_OPENING_WINDOW (self), FALSE);
  return self->upgrading;
}

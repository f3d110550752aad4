/* awda-first-run-dialog.c: creates the database on first run, for this office
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks for the site identity that awda_store_create() needs: the office's
 * name, its kind and its governorate. On success it emits ::created with
 * the open store; whoever opened the dialog closes it. Cancel closes it.
 */

#define G_LOG_DOMAIN "awda-first-run-dialog"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "awda-choice-list.h"
#include "awda-first-run-dialog.h"
#include "awda-store.h"

struct _AwdaFirstRunDialog
{
  GtkWindow       parent_instance;

  /* template widgets */
  GtkButton      *create_button;
  GtkEntry       *name_entry;
  GtkDropDown    *kind_dropdown;
  GtkDropDown    *governorate_dropdown;
  GtkLabel       *error_label;
  GtkLabel       *path_label;

  /* owned */
  AwdaChoiceList *kinds;
  AwdaChoiceList *governorates;
  char           *path;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaFirstRunDialog, awda_first_run_dialog, GTK_TYPE_WINDOW)

static const AwdaField *
office_field (const char *name)
{
  const AwdaEntity *office = awda_dictionary_lookup_entity ("office");
  const AwdaField *field;

  g_assert (office != NULL);
  field = awda_entity_lookup_field (office, name);
  g_assert (field != NULL);

  return field;
}

static char *
get_office_name (AwdaFirstRunDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));

  return g_strstrip (g_strdup (text));
}

static const char *
get_kind (AwdaFirstRunDialog *self)
{
  return awda_choice_list_get_value (self->kinds,
                                     gtk_drop_down_get_selected (self->kind_dropdown));
}

static const char *
get_governorate (AwdaFirstRunDialog *self)
{
  return awda_choice_list_get_value (self->governorates,
                                     gtk_drop_down_get_selected (self->governorate_dropdown));
}

static void
on_input_changed_cb (AwdaFirstRunDialog *self)
{
  g_autofree char *name = get_office_name (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "first-run.create",
                                 name[0] != '\0'
                                 && get_kind (self) != NULL
                                 && get_governorate (self) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
show_error (AwdaFirstRunDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
create_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AwdaFirstRunDialog *self = AWDA_FIRST_RUN_DIALOG (widget);
  g_autofree char *name = get_office_name (self);
  g_autofree char *folder = g_path_get_dirname (self->path);
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* The data is about vulnerable people: the folder is the user's alone. */
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (folder);
      g_autofree char *message =
        g_strdup_printf (_("Could not create the folder “%s”: %s."),
                         display, g_strerror (saved_errno));

      show_error (self, message);
      return;
    }

  store = awda_store_create (self->path, name, get_kind (self), get_governorate (self), &error);
  if (store == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, store);
}

static void
awda_first_run_dialog_constructed (GObject *object)
{
  AwdaFirstRunDialog *self = AWDA_FIRST_RUN_DIALOG (object);
  g_autofree char *display = NULL;
  g_autofree char *isolated = NULL;
  g_autofree char *where = NULL;

  G_OBJECT_CLASS (awda_first_run_dialog_parent_class)->constructed (object);

  g_assert (self->path != NULL);
  display = g_filename_display_name (self->path);
  /* Isolated, so that a path keeps its order in a right-to-left sentence. */
  isolated = g_strconcat ("\u2066", display, "\u2069", NULL);
  where = g_strdup_printf (_("The database will be created at %s"), isolated);
  gtk_label_set_text (self->path_label, where);
}

static void
awda_first_run_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AWDA_TYPE_FIRST_RUN_DIALOG);

  G_OBJECT_CLASS (awda_first_run_dialog_parent_class)->dispose (object);
}

static void
awda_first_run_dialog_finalize (GObject *object)
{
  AwdaFirstRunDialog *self = AWDA_FIRST_RUN_DIALOG (object);

  g_clear_object (&self->kinds);
  g_clear_object (&self->governorates);
  g_free (self->path);

  G_OBJECT_CLASS (awda_first_run_dialog_parent_class)->finalize (object);
}

static void
awda_first_run_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AwdaFirstRunDialog *self = AWDA_FIRST_RUN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_first_run_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AwdaFirstRunDialog *self = AWDA_FIRST_RUN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_first_run_dialog_class_init (AwdaFirstRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = awda_first_run_dialog_constructed;
  object_class->dispose = awda_first_run_dialog_dispose;
  object_class->finalize = awda_first_run_dialog_finalize;
  object_class->get_property = awda_first_run_dialog_get_property;
  object_class->set_property = awda_first_run_dialog_set_property;

  /* Where to create the database (a file name in the GLib encoding). */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaFirstRunDialog::created:
   * @self: the dialog
   * @store: the new store, open
   *
   * The database was created; the dialog stays open until closed.
   */
  signals[CREATED] =
    g_signal_new ("created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AWDA_TYPE_STORE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-first-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaFirstRunDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaFirstRunDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaFirstRunDialog, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaFirstRunDialog, governorate_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaFirstRunDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaFirstRunDialog, path_label);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed_cb);

  gtk_widget_class_install_action (widget_class, "first-run.create", NULL, create_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
awda_first_run_dialog_init (AwdaFirstRunDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->kinds = awda_choice_list_new (office_field ("kind"), NULL, FALSE);
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (self->kinds));
  gtk_drop_down_set_selected (self->kind_dropdown, awda_choice_list_find (self->kinds, "regional"));

  /* No governorate is chosen for the user: a wrong one would go into
   * every case this office records. */
  self->governorates = awda_choice_list_new (office_field ("governorate"), _("Choose…"), TRUE);
  gtk_drop_down_set_model (self->governorate_dropdown, G_LIST_MODEL (self->governorates));
  gtk_drop_down_set_selected (self->governorate_dropdown, 0);

  on_input_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

/**
 * awda_first_run_dialog_new:
 * @application: (nullable): the application
 * @path: where to create the database
 *
 * Returns: (transfer full): a new dialog
 */
AwdaFirstRunDialog *
awda_first_run_dialog_new (GtkApplication *application,
                           const char     *path)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (AWDA_TYPE_FIRST_RUN_DIALOG,
                       "application", application,
                       "path", path,
                       NULL);
}

const char *
awda_first_run_dialog_get_path (AwdaFirstRunDialog *self)
{
  g_return_val_if_fail (AWDA_IS_FIRST_RUN_DIALOG (self), NULL);

  return self->path;
}

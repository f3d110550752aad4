/* awda-window.c: the main window, the case list with its search and filter
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda-window"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-case-item.h"
#include "awda-case-list-model.h"
#include "awda-choice-list.h"
#include "awda-window.h"

struct _AwdaWindow
{
  GtkApplicationWindow  parent_instance;

  /* template widgets */
  GtkSearchEntry       *search_entry;
  GtkDropDown          *status_dropdown;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkSingleSelection   *selection;
  GtkLabel             *count_label;
  GtkSpinner           *spinner;
  GtkLabel             *site_label;
  GtkImage             *empty_icon;
  GtkLabel             *empty_title;
  GtkLabel             *empty_description;

  /* owned */
  AwdaStore            *store;
  AwdaCaseListModel    *model;
  AwdaChoiceList       *stages;

  guint                 search_idle_id;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AwdaWindow, awda_window, GTK_TYPE_APPLICATION_WINDOW)

static gboolean
is_filtered (AwdaWindow *self)
{
  return awda_case_list_model_get_search (self->model) != NULL
         || awda_case_list_model_get_status (self->model) != NULL;
}

static void
update_empty_state (AwdaWindow   *self,
                    const GError *error)
{
  if (error != NULL)
    {
      gtk_image_set_from_icon_name (self->empty_icon, "dialog-error-symbolic");
      gtk_label_set_text (self->empty_title, _("Cannot List the Cases"));
      gtk_label_set_text (self->empty_description, error->message);
    }
  else if (is_filtered (self))
    {
      gtk_image_set_from_icon_name (self->empty_icon, "system-search-symbolic");
      gtk_label_set_text (self->empty_title, _("No Matching Cases"));
      gtk_label_set_text (self->empty_description,
                          _("No case matches this search at this stage. Try part of a name, in either script, or another stage."));
    }
  else
    {
      gtk_image_set_from_icon_name (self->empty_icon, "folder-documents-symbolic");
      gtk_label_set_text (self->empty_title, _("No Cases Yet"));
      gtk_label_set_text (self->empty_description,
                          _("The cases of this office appear here once they are recorded or received from another office."));
    }
}

static void
update_state (AwdaWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  gboolean loading;
  guint n_items;

  g_object_get (self->model,
                "loading", &loading,
                "n-items", &n_items,
                "error", &error,
                NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);

  if (loading && n_items == 0)
    count = g_strdup (_("Searching…"));
  else
    /* Translators: the number of cases listed, with the locale's
     * thousands separator (the ' flag), in the window's status bar. */
    count = g_strdup_printf (ngettext ("%'u case", "%'u cases", n_items), n_items);
  gtk_label_set_text (self->count_label, count);

  /* While a query runs, the previous result stays in view: switching to
   * an empty page between keystrokes would only flicker. */
  if (n_items == 0 && (!loading || error != NULL))
    {
      update_empty_state (self, error);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
}

static void
on_model_notify_cb (AwdaWindow *self)
{
  update_state (self);
}

static gboolean
apply_search_cb (gpointer user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  self->search_idle_id = 0;
  awda_case_list_model_set_search (self->model, text);

  return G_SOURCE_REMOVE;
}

/* GtkSearchEntry reports an empty search at once, without its delay, and
 * replacing the text empties it first: the search is read once the change
 * is complete, so that the list does not list every case in between. */
static void
on_search_changed_cb (AwdaWindow *self)
{
  if (self->search_idle_id == 0)
    self->search_idle_id = g_idle_add (apply_search_cb, self);
}

static void
on_stop_search_cb (AwdaWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Enter goes to the list, so that the arrows pick a case at once. */
static void
on_search_activate_cb (AwdaWindow *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_widget_child_focus (GTK_WIDGET (self->column_view), GTK_DIR_TAB_FORWARD);
}

static void
on_status_selected_cb (AwdaWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  awda_case_list_model_set_status (self->model,
                                   awda_choice_list_get_value (self->stages, selected));
}

static void
close_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
focus_search_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static const GActionEntry window_actions[] = {
  { "close", close_action_cb },
  { "focus-search", focus_search_action_cb },
};

static void
awda_window_constructed (GObject *object)
{
  AwdaWindow *self = AWDA_WINDOW (object);
  const AwdaEntity *cases = awda_dictionary_lookup_entity ("case");
  const AwdaSite *site;

  G_OBJECT_CLASS (awda_window_parent_class)->constructed (object);

  g_assert (AWDA_IS_STORE (self->store));
  g_assert (cases != NULL);

  self->model = awda_case_list_model_new (self->store);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-items",
                           G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error",
                           G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));

  self->stages = awda_choice_list_new (awda_entity_lookup_field (cases, "status"),
                                       _("All stages"), FALSE);
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (self->stages));
  gtk_drop_down_set_selected (self->status_dropdown, 0);

  site = awda_store_get_site (self->store);
  if (site != NULL && site->name != NULL)
    {
      g_autofree char *title = g_strdup_printf ("%s — %s", _("Awda"), site->name);

      gtk_window_set_title (GTK_WINDOW (self), title);
      gtk_label_set_text (self->site_label, site->name);
    }

  update_state (self);
}

static void
awda_window_dispose (GObject *object)
{
  AwdaWindow *self = AWDA_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_WINDOW);

  g_clear_handle_id (&self->search_idle_id, g_source_remove);
  g_clear_object (&self->model);
  g_clear_object (&self->stages);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (awda_window_parent_class)->dispose (object);
}

static void
awda_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AwdaWindow *self = AWDA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AwdaWindow *self = AWDA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_window_class_init (AwdaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = awda_window_constructed;
  object_class->dispose = awda_window_dispose;
  object_class->get_property = awda_window_get_property;
  object_class->set_property = awda_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The cells' templates look up the properties of our items. */
  g_type_ensure (AWDA_TYPE_CASE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, site_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, empty_icon);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, empty_title);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, empty_description);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected_cb);
}

static void
awda_window_init (AwdaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   window_actions, G_N_ELEMENTS (window_actions),
                                   self);

  /* Typing anywhere in the window searches, as in Files or Settings. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

/**
 * awda_window_new:
 * @application: (nullable): the application
 * @store: the open store whose cases the window lists
 *
 * Returns: (transfer full): a new window
 */
AwdaWindow *
awda_window_new (GtkApplication *application,
                 AwdaStore      *store)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  return g_object_new (AWDA_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

AwdaStore *
awda_window_get_store (AwdaWindow *self)
{
  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);

  return self->store;
}

AwdaCaseListModel *
awda_window_get_case_list_model (AwdaWindow *self)
{
  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);

  return self->model;
}

/* awda-window.c: the main window: the case list, Today and the open case
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header bar switches between the case list and Today; opening a
 * case (a row of either, or reception) shows it in the same window, with
 * Back. One case at a time: what a caseworker does with the returnee in
 * front of them.
 *
 * The list's search, filters and order are criteria of the SQL query that
 * AwdaCaseListModel runs; the filters and the order are remembered in
 * GSettings (not the search: it is often a person's name). Clicking a
 * column's header sorts by it; GTK 4.8 cannot tell which column it was
 * (gtk_column_view_sorter_get_primary_sort_column() is 4.10), so each
 * sortable column has a sorter of ours that the view's sorter asks first
 * when its column leads: one comparison tells the column and the order.
 *
 * Nothing typed is lost: leaving a case (Back, another case, closing the
 * window, quitting) first commits what the case editor holds, and stays
 * on the case when a value is refused, with the editor's message.
 */

#define G_LOG_DOMAIN "awda-window"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-case-editor.h"
#include "awda-case-item.h"
#include "awda-case-list-model.h"
#include "awda-case-sheet.h"
#include "awda-choice-list.h"
#include "awda-conflicts-dialog.h"
#include "awda-dashboard.h"
#include "awda-format.h"
#include "awda-hold-list-model.h"
#include "awda-receive-dialog.h"
#include "awda-reception-dialog.h"
#include "awda-send-dialog.h"
#include "awda-today-view.h"
#include "awda-window.h"

/* A sorter for the column view's headers, never used to sort: see above. */

#define AWDA_TYPE_COLUMN_SORTER (awda_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (AwdaColumnSorter, awda_column_sorter, AWDA, COLUMN_SORTER, GtkSorter)

struct _AwdaColumnSorter
{
  GtkSorter    parent_instance;
  AwdaCaseSort sort;
};

G_DEFINE_FINAL_TYPE (AwdaColumnSorter, awda_column_sorter, GTK_TYPE_SORTER)

/* The sorter asked first by the last probe; main thread only. */
static AwdaColumnSorter *probed_sorter;

static GtkOrdering
awda_column_sorter_compare (GtkSorter *sorter,
                            gpointer   item1,
                            gpointer   item2)
{
  if (probed_sorter == NULL)
    probed_sorter = AWDA_COLUMN_SORTER (sorter);

  /* Never equal, so that the view's sorter asks no other column. */
  return GTK_ORDERING_LARGER;
}

static GtkSorterOrder
awda_column_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_TOTAL;
}

static void
awda_column_sorter_class_init (AwdaColumnSorterClass *klass)
{
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  sorter_class->compare = awda_column_sorter_compare;
  sorter_class->get_order = awda_column_sorter_get_order;
}

static void
awda_column_sorter_init (AwdaColumnSorter *self)
{
}

static GtkSorter *
awda_column_sorter_new (AwdaCaseSort sort)
{
  AwdaColumnSorter *self = g_object_new (AWDA_TYPE_COLUMN_SORTER, NULL);

  self->sort = sort;
  return GTK_SORTER (self);
}

/* The orders, by their GSettings nicks (org.awda.Awda.CaseSort). */
static const struct
{
  const char   *nick;
  AwdaCaseSort  sort;
} sort_nicks[] = {
  { "newest", AWDA_CASE_SORT_NEWEST },
  { "name", AWDA_CASE_SORT_NAME },
  { "status", AWDA_CASE_SORT_STATUS },
  { "governorate", AWDA_CASE_SORT_GOVERNORATE },
  { "opened", AWDA_CASE_SORT_OPENED },
};

static gboolean
sort_from_nick (const char   *nick,
                AwdaCaseSort *sort)
{
  for (guint i = 0; i < G_N_ELEMENTS (sort_nicks); i++)
    if (g_strcmp0 (sort_nicks[i].nick, nick) == 0)
      {
        *sort = sort_nicks[i].sort;
        return TRUE;
      }
  return FALSE;
}

static const char *
sort_to_nick (AwdaCaseSort sort)
{
  for (guint i = 0; i < G_N_ELEMENTS (sort_nicks); i++)
    if (sort_nicks[i].sort == sort)
      return sort_nicks[i].nick;
  return "newest";
}

struct _AwdaWindow
{
  GtkApplicationWindow  parent_instance;

  /* template widgets */
  GtkButton            *back_button;
  GtkButton            *new_case_button;
  GtkMenuButton        *menu_button;
  GtkMenuButton        *sort_button;
  GtkStack             *title_stack;
  GtkLabel             *case_title_label;
  GtkStack             *view_stack;
  GtkStack             *main_stack;
  GtkBox               *cases_page;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *filter_button;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkSingleSelection   *selection;
  GtkColumnViewColumn  *name_column;
  GtkColumnViewColumn  *name_ar_column;
  GtkColumnViewColumn  *governorate_column;
  GtkColumnViewColumn  *status_column;
  GtkColumnViewColumn  *opened_on_column;
  GtkLabel             *count_label;
  GtkSpinner           *spinner;
  GtkLabel             *site_label;
  GtkImage             *empty_icon;
  GtkLabel             *empty_title;
  GtkLabel             *empty_description;
  GtkButton            *empty_clear_button;
  AwdaTodayView        *today_view;
  GtkWindow            *dashboard_window; /* the indicators, once asked for */
  GtkBox               *case_page;
  GtkDropDown          *status_dropdown;
  GtkDropDown          *governorate_dropdown;
  GtkDropDown          *programme_dropdown;
  GtkDropDown          *caseworker_dropdown;
  GtkDropDown          *vulnerability_dropdown;
  GtkCheckButton       *overdue_check;

  /* owned */
  AwdaStore            *store;
  AwdaCaseListModel    *model;
  AwdaHoldListModel    *view_model;  /* the model, as the view shows it */
  GSettings            *settings;         /* NULL when the schema is not installed */
  AwdaChoiceList       *stages;
  AwdaChoiceList       *governorates;
  GPtrArray            *programme_ids;    /* char *, position for position; NULL for all */
  GPtrArray            *caseworker_ids;   /* char *, likewise */
  GPtrArray            *vulnerabilities;  /* const char *, field names; NULL for all */
  GSimpleAction        *sort_action;
  GSimpleAction        *reversed_action;
  GObject              *probe_items[2];
  char                 *case_id;          /* the case shown, or NULL */
  char                 *return_page;      /* "cases" or "today": where Back goes */

  /* borrowed */
  AwdaCaseEditor       *editor;           /* made when the first case opens */

  guint                 search_idle_id;
  guint                 editor_idle_id;
  gboolean              new_list;         /* to show from its top */
  gboolean              restoring;        /* the filters are being set together */
  gboolean              syncing_headers;  /* the headers follow the order set */
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AwdaWindow, awda_window, GTK_TYPE_APPLICATION_WINDOW)

/* The list's columns: what each cell shows. */

typedef const char *(*CellText) (AwdaCaseItem *item);

#define COLUMN(field) G_STRUCT_OFFSET (AwdaWindow, field)

static const struct
{
  gsize         column;     /* the offset of its field in AwdaWindow */
  CellText      text;
  guint         nat_chars;
  gboolean      sortable;
  AwdaCaseSort  sort;
} columns[] = {
  { COLUMN (name_column), awda_case_item_get_name_label, 24, TRUE, AWDA_CASE_SORT_NAME },
  { COLUMN (name_ar_column), awda_case_item_get_name_ar_label, 24, FALSE, 0 },
  { COLUMN (governorate_column), awda_case_item_get_governorate_label, 14, TRUE, AWDA_CASE_SORT_GOVERNORATE },
  { COLUMN (status_column), awda_case_item_get_status_label, 14, TRUE, AWDA_CASE_SORT_STATUS },
  { COLUMN (opened_on_column), awda_case_item_get_opened_on_label, 15, TRUE, AWDA_CASE_SORT_OPENED },
};

static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      /* The program run from its build folder without GSETTINGS_SCHEMA_DIR
       * (tools/dev sets it): it works, and remembers nothing. */
      g_message ("The settings schema %s is not installed: the window's size, filters and order will not be remembered.",
                 APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

/* The state of the list */

static guint
count_filters (AwdaWindow *self)
{
  AwdaCaseListModel *model = self->model;

  return (awda_case_list_model_get_status (model) != NULL)
         + (awda_case_list_model_get_governorate (model) != NULL)
         + (awda_case_list_model_get_programme (model) != NULL)
         + (awda_case_list_model_get_caseworker (model) != NULL)
         + (awda_case_list_model_get_vulnerability (model) != NULL)
         + awda_case_list_model_get_overdue (model);
}

static void
update_empty_state (AwdaWindow   *self,
                    const GError *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->empty_clear_button),
                          error == NULL && count_filters (self) > 0);

  if (error != NULL)
    {
      gtk_image_set_from_icon_name (self->empty_icon, "dialog-error-symbolic");
      gtk_label_set_text (self->empty_title, _("Cannot List the Cases"));
      gtk_label_set_text (self->empty_description, error->message);
    }
  else if (awda_case_list_model_is_filtered (self->model))
    {
      gtk_image_set_from_icon_name (self->empty_icon, "system-search-symbolic");
      gtk_label_set_text (self->empty_title, _("No Matching Cases"));
      gtk_label_set_text (self->empty_description,
                          count_filters (self) > 0
                          ? _("No case matches this search with these filters. Try part of a name, in either script, or clear the filters.")
                          : _("No case matches this search. Try part of a name, in either script, a phone number or an ID number."));
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
  gboolean loading, complete;
  guint n_items;

  g_object_get (self->model,
                "loading", &loading,
                "complete", &complete,
                "n-items", &n_items,
                "error", &error,
                NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);

  if (loading && n_items == 0)
    count = g_strdup (_("Searching…"));
  else if (!complete)
    count = g_strdup (_("Counting the cases…"));
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

static void ensure_editor (AwdaWindow *self);

static gboolean
prepare_editor_cb (gpointer user_data)
{
  AwdaWindow *self = user_data;

  self->editor_idle_id = 0;
  ensure_editor (self);

  return G_SOURCE_REMOVE;
}

static void
on_model_notify_cb (AwdaWindow *self)
{
  update_state (self);

  /* The case editor is a large template: made once the list is shown and
   * the window idle, rather than when the first case opens. */
  if (self->editor == NULL && self->editor_idle_id == 0
      && !awda_case_list_model_get_loading (self->model))
    self->editor_idle_id = g_idle_add_full (G_PRIORITY_LOW, prepare_editor_cb, self, NULL);
}

/* After the search, a filter or the order was set: when that made a new
 * query, its list shows from the top, with nothing selected (the
 * positions will hold other cases). */
static void
criteria_changed (AwdaWindow *self)
{
  if (!awda_case_list_model_get_loading (self->model))
    return;

  self->new_list = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
on_model_items_changed_cb (AwdaWindow *self,
                           guint       position,
                           guint       removed,
                           guint       added)
{
  GtkAdjustment *adjustment;

  if (!self->new_list || position != 0)
    return;

  self->new_list = FALSE;
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, 0);
}

/* The search */

static gboolean
apply_search_cb (gpointer user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  self->search_idle_id = 0;
  awda_case_list_model_set_search (self->model, text);
  criteria_changed (self);

  return G_SOURCE_REMOVE;
}

/* Every keystroke searches, without GtkSearchEntry's delay: the model
 * reads only the first rows at once, and a newer query overtakes an older
 * one. Replacing the text empties it first: the search is read once the
 * change is complete, so that the list does not list every case between. */
static void
on_search_changed_cb (AwdaWindow *self)
{
  if (self->search_idle_id == 0)
    self->search_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_search_cb, self, NULL);
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

/* The filters */

static const char *
selected_id (GtkDropDown *dropdown,
             GPtrArray   *ids)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected < ids->len ? g_ptr_array_index (ids, selected) : NULL;
}

static void
select_id (GtkDropDown *dropdown,
           GPtrArray   *ids,
           const char  *id)
{
  guint position = 0;

  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), id) == 0)
      position = i;

  gtk_drop_down_set_selected (dropdown, position);
}

static void
select_choice (GtkDropDown    *dropdown,
               AwdaChoiceList *choices,
               const char     *value)
{
  guint position = awda_choice_list_find (choices, value != NULL && value[0] != '\0' ? value : NULL);

  /* A value this version does not know (a newer one wrote it): all. */
  gtk_drop_down_set_selected (dropdown, position != GTK_INVALID_LIST_POSITION ? position : 0);
}

static void
save_string (AwdaWindow *self,
             const char *key,
             const char *value)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, key, value != NULL ? value : "");
}

static void
update_filter_button (AwdaWindow *self)
{
  guint n = count_filters (self);
  g_autofree char *label = NULL;

  if (n == 0)
    label = g_strdup (_("_Filters"));
  else
    /* Translators: the filter button, with how many filters are set. */
    label = g_strdup_printf (_("_Filters (%u)"), n);
  gtk_menu_button_set_label (self->filter_button, label);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "clear-filters")),
                               n > 0);
}

/* Reads every filter from its widget: the model runs one query for all. */
static void
apply_filters (AwdaWindow *self)
{
  const char *status = awda_choice_list_get_value (self->stages, gtk_drop_down_get_selected (self->status_dropdown));
  const char *governorate = awda_choice_list_get_value (self->governorates,
                                                        gtk_drop_down_get_selected (self->governorate_dropdown));
  const char *programme = selected_id (self->programme_dropdown, self->programme_ids);
  const char *caseworker = selected_id (self->caseworker_dropdown, self->caseworker_ids);
  const char *vulnerability = selected_id (self->vulnerability_dropdown, self->vulnerabilities);
  gboolean overdue = gtk_check_button_get_active (self->overdue_check);

  awda_case_list_model_set_status (self->model, status);
  awda_case_list_model_set_governorate (self->model, governorate);
  awda_case_list_model_set_programme (self->model, programme);
  awda_case_list_model_set_caseworker (self->model, caseworker);
  awda_case_list_model_set_vulnerability (self->model, vulnerability);
  awda_case_list_model_set_overdue (self->model, overdue);
  criteria_changed (self);

  save_string (self, "filter-status", status);
  save_string (self, "filter-governorate", governorate);
  save_string (self, "filter-programme", programme);
  save_string (self, "filter-caseworker", caseworker);
  save_string (self, "filter-vulnerability", vulnerability);
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "filter-overdue", overdue);

  update_filter_button (self);
}

static void
on_filter_selected_cb (AwdaWindow *self)
{
  if (!self->restoring)
    apply_filters (self);
}

static void
restore_filters (AwdaWindow *self)
{
  g_autofree char *status = NULL;
  g_autofree char *governorate = NULL;
  g_autofree char *programme = NULL;
  g_autofree char *caseworker = NULL;
  g_autofree char *vulnerability = NULL;
  gboolean overdue = FALSE;

  if (self->settings != NULL)
    {
      status = g_settings_get_string (self->settings, "filter-status");
      governorate = g_settings_get_string (self->settings, "filter-governorate");
      programme = g_settings_get_string (self->settings, "filter-programme");
      caseworker = g_settings_get_string (self->settings, "filter-caseworker");
      vulnerability = g_settings_get_string (self->settings, "filter-vulnerability");
      overdue = g_settings_get_boolean (self->settings, "filter-overdue");
    }

  self->restoring = TRUE;
  select_choice (self->status_dropdown, self->stages, status);
  select_choice (self->governorate_dropdown, self->governorates, governorate);
  select_id (self->programme_dropdown, self->programme_ids, programme);
  select_id (self->caseworker_dropdown, self->caseworker_ids, caseworker);
  select_id (self->vulnerability_dropdown, self->vulnerabilities, vulnerability);
  gtk_check_button_set_active (self->overdue_check, overdue);
  self->restoring = FALSE;

  apply_filters (self);
}

static void
clear_filters_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);

  self->restoring = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->governorate_dropdown, 0);
  gtk_drop_down_set_selected (self->programme_dropdown, 0);
  gtk_drop_down_set_selected (self->caseworker_dropdown, 0);
  gtk_drop_down_set_selected (self->vulnerability_dropdown, 0);
  gtk_check_button_set_active (self->overdue_check, FALSE);
  self->restoring = FALSE;

  apply_filters (self);
}

/* A drop-down of reference records (programmes, staff), by name, with
 * "all" first; @ids gets their ids, position for position. */
static void
fill_records_dropdown (AwdaWindow  *self,
                       GtkDropDown *dropdown,
                       const char  *entity,
                       const char  *all_label,
                       GPtrArray   *ids)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  gtk_string_list_append (names, all_label);
  g_ptr_array_add (ids, NULL);

  records = awda_store_list_records (self->store, entity, &error);
  if (records == NULL)
    g_warning ("Could not read the %s records for the filters: %s", entity, error->message);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      AwdaRecord *record = g_ptr_array_index (records, i);
      const char *name = awda_record_get (record, "name");

      gtk_string_list_append (names, name != NULL ? name : record->id);
      g_ptr_array_add (ids, g_strdup (record->id));
    }

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (names));

  /* A long list is searched by typing. */
  if (g_list_model_get_n_items (G_LIST_MODEL (names)) > 12)
    {
      GtkExpression *expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

      gtk_drop_down_set_expression (dropdown, expression);
      gtk_drop_down_set_enable_search (dropdown, TRUE);
      gtk_expression_unref (expression);
    }
}

static void
fill_vulnerabilities (AwdaWindow *self)
{
  const AwdaEntity *cases = awda_dictionary_lookup_entity ("case");
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_string_list_append (labels, _("Any or none"));
  g_ptr_array_add (self->vulnerabilities, NULL);

  for (guint i = 0; i < cases->n_fields; i++)
    {
      const AwdaField *field = &cases->fields[i];

      if (field->type != AWDA_FIELD_BOOLEAN || !g_str_has_prefix (field->name, "vuln_"))
        continue;
      gtk_string_list_append (labels, g_dgettext (GETTEXT_PACKAGE, field->label));
      g_ptr_array_add (self->vulnerabilities, (gpointer) field->name);
    }

  gtk_drop_down_set_model (self->vulnerability_dropdown, G_LIST_MODEL (labels));
}

/* The order */

static GtkColumnViewColumn *
column_of_sort (AwdaWindow   *self,
                AwdaCaseSort  sort)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (columns[i].sortable && columns[i].sort == sort)
      return G_STRUCT_MEMBER (GtkColumnViewColumn *, self, columns[i].column);
  return NULL;
}

/* The arrows of the headers mean the same in every column: up, the
 * smallest first (A to Z, reception to closed, the oldest date). The
 * store's order by opening date is the most recent first. */
static gboolean
sort_is_ascending (AwdaCaseSort sort,
                   gboolean     reversed)
{
  return sort == AWDA_CASE_SORT_OPENED ? reversed : !reversed;
}

static void
set_sort (AwdaWindow   *self,
          AwdaCaseSort  sort,
          gboolean      reversed,
          gboolean      from_headers)
{
  awda_case_list_model_set_sort (self->model, sort, reversed);
  criteria_changed (self);

  g_simple_action_set_state (self->sort_action, g_variant_new_string (sort_to_nick (sort)));
  g_simple_action_set_state (self->reversed_action, g_variant_new_boolean (reversed));

  if (self->settings != NULL)
    {
      g_settings_set_enum (self->settings, "sort-column", sort);
      g_settings_set_boolean (self->settings, "sort-reversed", reversed);
    }

  if (!from_headers)
    {
      GtkColumnViewColumn *column = column_of_sort (self, sort);

      self->syncing_headers = TRUE;
      gtk_column_view_sort_by_column (self->column_view, column,
                                      sort_is_ascending (sort, reversed) ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
      self->syncing_headers = FALSE;
    }
}

/* A header was clicked: which column leads now, and which way. */
static void
on_headers_sorter_changed_cb (AwdaWindow *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  GtkOrdering order;
  AwdaCaseSort sort;
  gboolean ascending;

  if (self->syncing_headers)
    return;

  probed_sorter = NULL;
  order = gtk_sorter_compare (sorter, self->probe_items[0], self->probe_items[1]);
  if (probed_sorter == NULL || order == GTK_ORDERING_EQUAL)
    {
      set_sort (self, AWDA_CASE_SORT_NEWEST, FALSE, TRUE);
      return;
    }

  sort = probed_sorter->sort;
  ascending = order == GTK_ORDERING_LARGER;
  probed_sorter = NULL;

  set_sort (self, sort, sort == AWDA_CASE_SORT_OPENED ? ascending : !ascending, TRUE);
}

static void
sort_column_change_state_cb (GSimpleAction *action,
                             GVariant      *state,
                             gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);
  AwdaCaseSort sort;

  if (!sort_from_nick (g_variant_get_string (state, NULL), &sort))
    return;

  set_sort (self, sort, awda_case_list_model_get_sort_reversed (self->model), FALSE);
}

static void
sort_reversed_change_state_cb (GSimpleAction *action,
                               GVariant      *state,
                               gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);

  set_sort (self, awda_case_list_model_get_sort (self->model), g_variant_get_boolean (state), FALSE);
}

static void
restore_sort (AwdaWindow *self)
{
  AwdaCaseSort sort = AWDA_CASE_SORT_NEWEST;
  gboolean reversed = FALSE;

  if (self->settings != NULL)
    {
      sort = g_settings_get_enum (self->settings, "sort-column");
      reversed = g_settings_get_boolean (self->settings, "sort-reversed");
    }

  set_sort (self, sort, reversed, FALSE);
}

/* The cells. A signal factory rather than a GtkBuilderListItemFactory:
 * the builder parses its template for every cell it makes, and the view
 * makes the rows that scroll into view. The list's items stand for
 * positions and take new cases in place (see awda-case-item.c): a cell
 * follows its item's ::changed. */

static GQuark column_quark;

static void
update_cell (GtkListItem *list_item)
{
  guint column = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (list_item), column_quark));
  AwdaCaseItem *item = gtk_list_item_get_item (list_item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)),
                            item != NULL ? columns[column].text (item) : NULL);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  GtkWidget *inscription = gtk_inscription_new (NULL);

  g_object_set_qdata (G_OBJECT (list_item), column_quark, GUINT_TO_POINTER (column));
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), columns[column].nat_chars);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 0);
  gtk_list_item_set_child (list_item, inscription);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  g_signal_connect_swapped (gtk_list_item_get_item (list_item), "changed",
                            G_CALLBACK (update_cell), list_item);
  update_cell (list_item);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), update_cell, list_item);
}

static void
setup_columns (AwdaWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkColumnViewColumn *column;
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      column = G_STRUCT_MEMBER (GtkColumnViewColumn *, self, columns[i].column);
      g_assert (GTK_IS_COLUMN_VIEW_COLUMN (column));

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), NULL);
      gtk_column_view_column_set_factory (column, factory);

      if (columns[i].sortable)
        {
          g_autoptr(GtkSorter) sorter = awda_column_sorter_new (columns[i].sort);

          gtk_column_view_column_set_sorter (column, sorter);
        }
    }
}

/* The pages: the list, Today, the open case */

static void
set_case_actions_enabled (AwdaWindow *self,
                          gboolean    enabled)
{
  static const char * const names[] = { "back", "undo", "print-case-sheet", "save-case-sheet" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), names[i])),
                                 enabled);
}

static gboolean
showing_case (AwdaWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "case") == 0;
}

static void
show_case_page (AwdaWindow *self)
{
  gboolean was_showing = showing_case (self);

  gtk_stack_set_visible_child_name (self->view_stack, "case");
  gtk_stack_set_visible_child_name (self->title_stack, "case");
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), TRUE);
  set_case_actions_enabled (self, TRUE);

  if (!was_showing)
    gtk_widget_child_focus (GTK_WIDGET (self->editor), GTK_DIR_TAB_FORWARD);
}

static void
show_main_page (AwdaWindow *self,
                const char *page)
{
  gtk_stack_set_visible_child_name (self->view_stack, "main");
  gtk_stack_set_visible_child_name (self->title_stack, "switcher");
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
  set_case_actions_enabled (self, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, page);
}

/* What the editor holds is written before the case is left; FALSE, with
 * the case in view and the editor's message, when a value is refused. */
static gboolean
commit_case (AwdaWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->editor == NULL || self->case_id == NULL)
    return TRUE;

  if (awda_case_editor_commit_pending (self->editor, &error))
    return TRUE;

  g_debug ("Staying on the case %s: %s", self->case_id, error->message);
  show_case_page (self);
  gtk_widget_error_bell (GTK_WIDGET (self));
  return FALSE;
}

/* Leaves the case for a page of the main view. */
static gboolean
leave_case (AwdaWindow *self,
            const char *page)
{
  if (!commit_case (self))
    return FALSE;

  if (self->case_id != NULL)
    awda_case_list_model_reload_case (self->model, self->case_id);
  /* The editor keeps the case, and its undo history, until another opens. */
  g_clear_pointer (&self->case_id, g_free);

  show_main_page (self, page);
  if (g_str_equal (page, "cases"))
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  return TRUE;
}

static void
ensure_editor (AwdaWindow *self)
{
  g_clear_handle_id (&self->editor_idle_id, g_source_remove);
  if (self->editor != NULL)
    return;

  self->editor = awda_case_editor_new (self->store);
  gtk_widget_set_vexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_box_append (self->case_page, GTK_WIDGET (self->editor));
}

/* The person's name, in the script of the interface when it was written
 * in both. */
static char *
case_title (AwdaWindow *self,
            AwdaRecord *record)
{
  g_autofree char *name = awda_format_join (awda_record_get (record, "given_name"),
                                            awda_record_get (record, "family_name"));
  g_autofree char *name_ar = awda_format_join (awda_record_get (record, "given_name_ar"),
                                               awda_record_get (record, "family_name_ar"));
  gboolean arabic_first = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (arabic_first && name_ar != NULL && name_ar[0] != '\0')
    return g_steal_pointer (&name_ar);
  if (name != NULL && name[0] != '\0')
    return g_steal_pointer (&name);
  if (name_ar != NULL && name_ar[0] != '\0')
    return g_steal_pointer (&name_ar);
  return g_strdup (_("Case"));
}

/**
 * awda_window_open_case:
 * @self: a #AwdaWindow
 * @case_id: the id of a case
 *
 * Shows @case_id in the case editor, after writing what the editor held
 * of the case shown before.
 *
 * Returns: %FALSE when the case shown before kept a refused value (it
 *   stays in view), or @case_id is no case
 */
gboolean
awda_window_open_case (AwdaWindow *self,
                       const char *case_id)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (AWDA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  if (!commit_case (self))
    return FALSE;

  record = awda_store_get_record (self->store, "case", case_id, &error);
  if (record == NULL)
    {
      g_warning ("Could not open the case %s: %s", case_id, error->message);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }

  if (!showing_case (self))
    {
      g_free (self->return_page);
      self->return_page = g_strdup (gtk_stack_get_visible_child_name (self->main_stack));
    }
  if (self->case_id != NULL && !g_str_equal (self->case_id, case_id))
    awda_case_list_model_reload_case (self->model, self->case_id);

  ensure_editor (self);
  g_free (self->case_id);
  self->case_id = g_strdup (case_id);

  /* The same case again: read again, what it shows may have changed
   * (Today marks follow-ups done); its undo history stays. */
  if (g_strcmp0 (awda_case_editor_get_case_id (self->editor), case_id) == 0)
    awda_case_editor_reload (self->editor);
  else
    awda_case_editor_set_case_id (self->editor, case_id);

  title = case_title (self, record);
  gtk_label_set_text (self->case_title_label, title);
  show_case_page (self);

  return TRUE;
}

const char *
awda_window_get_case_id (AwdaWindow *self)
{
  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);

  return self->case_id;
}

/**
 * awda_window_get_case_editor:
 * @self: a #AwdaWindow
 *
 * Returns: (transfer none) (nullable): the case editor, %NULL until a
 *   case was opened
 */
GtkWidget *
awda_window_get_case_editor (AwdaWindow *self)
{
  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);

  return self->editor != NULL ? GTK_WIDGET (self->editor) : NULL;
}

static void
on_row_activated_cb (AwdaWindow *self,
                     guint       position)
{
  g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  /* A row still being read (scrolled to a moment ago) has no case yet. */
  if (item != NULL && awda_case_item_get_id (item) != NULL)
    awda_window_open_case (self, awda_case_item_get_id (item));
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
on_open_case_cb (AwdaWindow *self,
                 const char *case_id)
{
  awda_window_open_case (self, case_id);
}

static void
on_case_created_cb (AwdaWindow *self,
                    const char *case_id)
{
  /* The new case is in the list from now on. */
  awda_case_list_model_refresh (self->model);
  criteria_changed (self);
  awda_window_open_case (self, case_id);
}

/* Actions */

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

  if (showing_case (self) && !leave_case (self, "cases"))
    return;

  gtk_stack_set_visible_child_name (self->main_stack, "cases");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/**
 * awda_window_new_case:
 * @self: a #AwdaWindow
 *
 * Opens the reception dialog (Ctrl+N): the case it creates, or the
 * existing one chosen instead, opens in the window.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
awda_window_new_case (AwdaWindow *self)
{
  AwdaReceptionDialog *dialog;

  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);

  dialog = awda_reception_dialog_new (GTK_WINDOW (self), self->store);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  g_signal_connect_object (dialog, "open-case", G_CALLBACK (on_open_case_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "case-created", G_CALLBACK (on_case_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

static void
new_case_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  awda_window_new_case (AWDA_WINDOW (user_data));
}

static void
open_case_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  awda_window_open_case (AWDA_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
back_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);

  if (showing_case (self))
    leave_case (self, self->return_page != NULL ? self->return_page : "cases");
}

/* The summary sheet of the open case, printed or saved as a PDF for the
 * paper file; what is typed but not committed is saved first. */
static void
case_sheet_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);
  g_autoptr(GError) error = NULL;

  if (self->editor == NULL || !showing_case (self) || self->case_id == NULL)
    return;
  if (!awda_case_editor_commit_pending (self->editor, &error))
    return;

  if (g_str_equal (g_action_get_name (G_ACTION (action)), "print-case-sheet"))
    awda_case_sheet_print (GTK_WINDOW (self), self->store, self->case_id);
  else
    awda_case_sheet_save_pdf (GTK_WINDOW (self), self->store, self->case_id);
}

/* The indicators open in a window of their own, beside the cases: made
 * when first asked for, so neither the first frame nor the list pays. */
static void
show_dashboard_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);

  if (self->store == NULL)
    return;

  if (self->dashboard_window == NULL)
    {
      GtkWidget *dashboard = awda_dashboard_new (self->store);

      self->dashboard_window = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_title (self->dashboard_window, _("Indicators"));
      gtk_window_set_transient_for (self->dashboard_window, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->dashboard_window, TRUE);
      gtk_window_set_hide_on_close (self->dashboard_window, TRUE);
      gtk_window_set_default_size (self->dashboard_window, 1100, 800);
      gtk_window_set_child (self->dashboard_window, dashboard);
      g_object_add_weak_pointer (G_OBJECT (self->dashboard_window), (gpointer *) &self->dashboard_window);
    }

  gtk_window_present (self->dashboard_window);
}

/* The open case, after a write from elsewhere: its editor and its title
 * (the names may be what changed) read it again. */
static void
reload_open_case (AwdaWindow *self)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autofree char *title = NULL;

  if (self->editor == NULL || self->case_id == NULL)
    return;

  awda_case_editor_reload (self->editor);
  record = awda_store_get_record (self->store, "case", self->case_id, NULL);
  if (record != NULL)
    {
      title = case_title (self, record);
      gtk_label_set_text (self->case_title_label, title);
    }
}

/* A conflict resolved in the dialog is a write from elsewhere: the list
 * row and the open case read it again. */
static void
on_conflict_resolved_cb (AwdaWindow *self,
                         const char *case_id)
{
  if (case_id == NULL)
    return;
  awda_case_list_model_reload_case (self->model, case_id);
  if (g_strcmp0 (self->case_id, case_id) == 0)
    reload_open_case (self);
}

/**
 * awda_window_show_conflicts:
 * @self: a #AwdaWindow
 *
 * Opens the conflicts dialog, after writing what the open case holds so
 * that the values it shows are the stored ones.
 *
 * Returns: (transfer none) (nullable): the dialog, %NULL when the open
 *   case keeps a refused value
 */
GtkWindow *
awda_window_show_conflicts (AwdaWindow *self)
{
  AwdaConflictsDialog *dialog;

  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);

  if (self->store == NULL || !commit_case (self))
    return NULL;

  dialog = awda_conflicts_dialog_new (GTK_WINDOW (self), self->store);
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  g_signal_connect_object (dialog, "resolved", G_CALLBACK (on_conflict_resolved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

static void
show_conflicts_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  awda_window_show_conflicts (AWDA_WINDOW (user_data));
}

static void
show_page_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);
  const char *page = g_str_equal (g_action_get_name (G_ACTION (action)), "show-today") ? "today" : "cases";

  if (showing_case (self))
    leave_case (self, page);
  else
    gtk_stack_set_visible_child_name (self->main_stack, page);
}

/* Ctrl+Z where the editor's own shortcut does not reach (the focus in the
 * header bar, say): the open case's undo. */
static void
undo_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);

  if (self->editor != NULL && showing_case (self))
    gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.undo", NULL);
}

/* Sync: bundle files on a USB stick, from and to other offices */

/**
 * awda_window_send_changes:
 * @self: a #AwdaWindow
 *
 * Opens the dialog that writes this office's changes to a bundle file.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
awda_window_send_changes (AwdaWindow *self)
{
  AwdaSendDialog *dialog;

  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);

  /* What the editor holds goes too. */
  if (!commit_case (self))
    return NULL;

  dialog = awda_send_dialog_new (GTK_WINDOW (self), self->store);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
send_changes_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  awda_window_send_changes (AWDA_WINDOW (user_data));
}

/* Another connection wrote the changes received: everything that shows
 * cases reads them again. */
static void
on_changes_received_cb (AwdaWindow *self)
{
  awda_case_list_model_refresh (self->model);
  awda_today_view_refresh (self->today_view);
  if (self->dashboard_window != NULL)
    awda_dashboard_refresh (AWDA_DASHBOARD (gtk_window_get_child (self->dashboard_window)));
  reload_open_case (self);
}

/**
 * awda_window_receive_files:
 * @self: a #AwdaWindow
 * @paths: (array zero-terminated=1): bundle files
 *
 * Imports @paths, off the main loop, in a dialog that then says what each
 * brought; the list, Today and the open case show the changes received.
 *
 * Returns: (transfer none) (nullable): the dialog, %NULL when the open
 *   case kept a refused value (it stays in view)
 */
GtkWindow *
awda_window_receive_files (AwdaWindow         *self,
                           const char * const *paths)
{
  AwdaReceiveDialog *dialog;

  g_return_val_if_fail (AWDA_IS_WINDOW (self), NULL);
  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);

  /* Written first, so that the case reloaded afterwards loses nothing. */
  if (!commit_case (self))
    return NULL;

  dialog = awda_receive_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "changes-received",
                           G_CALLBACK (on_changes_received_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  awda_receive_dialog_receive (dialog, paths);
  return GTK_WINDOW (dialog);
}

static void
on_bundles_chosen_cb (GtkNativeDialog *native,
                      int              response,
                      AwdaWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
      g_ptr_array_add (paths, NULL);
      if (paths->len > 1)
        awda_window_receive_files (self, (const char * const *) paths->pdata);
    }

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}

static void
receive_changes_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  AwdaWindow *self = AWDA_WINDOW (user_data);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* Several files at once: a stick often holds one from each office. */
  native = gtk_file_chooser_native_new (_("Receive Changes"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Receive"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  gtk_file_filter_set_name (filter, _("Awda bundles"));
  gtk_file_filter_add_suffix (filter, "awda");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (on_bundles_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static const GActionEntry window_actions[] = {
  { "close", close_action_cb },
  { "focus-search", focus_search_action_cb },
  { "new-case", new_case_action_cb },
  { "open-case", open_case_action_cb, "s" },
  { "back", back_action_cb },
  { "undo", undo_action_cb },
  { "show-cases", show_page_action_cb },
  { "show-today", show_page_action_cb },
  { "show-dashboard", show_dashboard_action_cb },
  { "show-conflicts", show_conflicts_action_cb },
  { "print-case-sheet", case_sheet_action_cb },
  { "save-case-sheet", case_sheet_action_cb },
  { "clear-filters", clear_filters_action_cb },
  { "send-changes", send_changes_action_cb },
  { "receive-changes", receive_changes_action_cb },
};

/* The window's size */

static void
restore_size (AwdaWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_size (AwdaWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  /* GTK keeps the size the window had before it was maximized here. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 300));
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
awda_window_close_request (GtkWindow *window)
{
  AwdaWindow *self = AWDA_WINDOW (window);

  /* A refused value keeps the window open, on the case. */
  if (!commit_case (self))
    return TRUE;

  save_size (self);

  return GTK_WINDOW_CLASS (awda_window_parent_class)->close_request (window);
}

static void
awda_window_constructed (GObject *object)
{
  AwdaWindow *self = AWDA_WINDOW (object);
  const AwdaEntity *cases = awda_dictionary_lookup_entity ("case");
  const AwdaSite *site;

  G_OBJECT_CLASS (awda_window_parent_class)->constructed (object);

  g_assert (AWDA_IS_STORE (self->store));
  g_assert (cases != NULL);

  self->settings = open_settings ();
  restore_size (self);

  self->model = awda_case_list_model_new (self->store);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::complete",
                           G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-items",
                           G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error",
                           G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  /* The view keeps its rows while the empty page hides it. */
  self->view_model = awda_hold_list_model_new (G_LIST_MODEL (self->model));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->view_model));
  /* After the selection's own handler, so after the view's. */
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (on_model_items_changed_cb), self, G_CONNECT_SWAPPED);

  /* Filled before any is read. */
  self->restoring = TRUE;
  self->stages = awda_choice_list_new (awda_entity_lookup_field (cases, "status"),
                                       _("All stages"), FALSE);
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (self->stages));
  self->governorates = awda_choice_list_new (awda_entity_lookup_field (cases, "governorate"),
                                             _("All governorates"), TRUE);
  gtk_drop_down_set_model (self->governorate_dropdown, G_LIST_MODEL (self->governorates));
  fill_records_dropdown (self, self->programme_dropdown, "programme", _("All programmes"), self->programme_ids);
  fill_records_dropdown (self, self->caseworker_dropdown, "staff", _("All caseworkers"), self->caseworker_ids);
  fill_vulnerabilities (self);
  self->restoring = FALSE;

  /* The model's first query has all of them. */
  restore_filters (self);
  restore_sort (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_headers_sorter_changed_cb), self, G_CONNECT_SWAPPED);

  awda_today_view_set_store (self->today_view, self->store);

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

  if (self->dashboard_window != NULL)
    {
      GtkWindow *dashboard_window = self->dashboard_window;

      g_object_remove_weak_pointer (G_OBJECT (dashboard_window), (gpointer *) &self->dashboard_window);
      self->dashboard_window = NULL;
      gtk_window_destroy (dashboard_window);
    }

  /* view_stack is bound and the window's child: GTK 4.8's
   * gtk_widget_dispose_template() would unparent it and drop its last
   * reference behind GtkWindow's back, which unparents it again. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  gtk_window_set_child (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_WINDOW);
  self->editor = NULL;

  g_clear_handle_id (&self->search_idle_id, g_source_remove);
  g_clear_handle_id (&self->editor_idle_id, g_source_remove);
  g_clear_object (&self->view_model);
  g_clear_object (&self->model);
  g_clear_object (&self->stages);
  g_clear_object (&self->governorates);
  g_clear_object (&self->settings);
  g_clear_object (&self->sort_action);
  g_clear_object (&self->reversed_action);
  g_clear_object (&self->probe_items[0]);
  g_clear_object (&self->probe_items[1]);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (awda_window_parent_class)->dispose (object);
}

static void
awda_window_finalize (GObject *object)
{
  AwdaWindow *self = AWDA_WINDOW (object);

  g_ptr_array_unref (self->programme_ids);
  g_ptr_array_unref (self->caseworker_ids);
  g_ptr_array_unref (self->vulnerabilities);
  g_free (self->case_id);
  g_free (self->return_page);

  G_OBJECT_CLASS (awda_window_parent_class)->finalize (object);
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
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = awda_window_constructed;
  object_class->dispose = awda_window_dispose;
  object_class->finalize = awda_window_finalize;
  object_class->get_property = awda_window_get_property;
  object_class->set_property = awda_window_set_property;

  window_class->close_request = awda_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AWDA_TYPE_CASE_ITEM);
  g_type_ensure (AWDA_TYPE_TODAY_VIEW);
  column_quark = g_quark_from_static_string ("awda-window-column");

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, new_case_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, sort_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, title_stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, case_title_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, cases_page);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, name_column);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, name_ar_column);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, governorate_column);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, status_column);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, opened_on_column);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, site_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, empty_icon);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, empty_title);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, empty_description);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, empty_clear_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, today_view);

  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, case_page);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, governorate_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, programme_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, caseworker_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, vulnerability_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaWindow, overdue_check);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_case_cb);

  /* In the bubble phase: the case editor's own Ctrl+Z, and a text
   * field's, come first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
}

static void
awda_window_init (AwdaWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkShortcutsWindow *help_overlay;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->programme_ids = g_ptr_array_new_with_free_func (g_free);
  self->caseworker_ids = g_ptr_array_new_with_free_func (g_free);
  self->vulnerabilities = g_ptr_array_new ();
  self->probe_items[0] = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_items[1] = g_object_new (G_TYPE_OBJECT, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   window_actions, G_N_ELEMENTS (window_actions),
                                   self);
  self->sort_action = g_simple_action_new_stateful ("sort-column", G_VARIANT_TYPE_STRING,
                                                    g_variant_new_string ("newest"));
  g_signal_connect (self->sort_action, "change-state", G_CALLBACK (sort_column_change_state_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->sort_action));
  self->reversed_action = g_simple_action_new_stateful ("sort-reversed", NULL, g_variant_new_boolean (FALSE));
  g_signal_connect (self->reversed_action, "change-state", G_CALLBACK (sort_reversed_change_state_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->reversed_action));
  set_case_actions_enabled (self, FALSE);

  setup_columns (self);

  builder = gtk_builder_new_from_resource ("/org/awda/Awda/ui/awda-shortcuts.ui");
  help_overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), help_overlay);

  /* Typing anywhere in the list searches, as in Files or Settings; not
   * in Today or in a case, which are outside this page. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->cases_page));
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

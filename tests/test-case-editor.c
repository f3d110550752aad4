/* test-case-editor.c: the case editor, driven through its widgets, saves as it goes
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a display: meson runs it under tools/with-display (Xvfb when there
 * is none); without one every test is skipped. The tests type into the
 * editor's own entries, pick in its drop-downs, press its buttons and
 * activate its actions, then read the store, as a caseworker would find
 * the case the next day.
 */

#define G_LOG_DOMAIN "awda-test-case-editor"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "awda-case-editor.h"
#include "awda-field-editor.h"
#include "awda-field-group.h"
#include "awda-record-list.h"
#include "awda-store.h"
#include "awda-undo.h"
#include "awda-workflow.h"

typedef struct
{
  char      *folder;
  char      *path;
  AwdaStore *store;
  char      *office;
  char      *caseworker;
  char      *supervisor;
  char      *programme;
  char      *partner;
  char      *case_id;
  GtkWindow *window;
  AwdaCaseEditor *editor;
} Fixture;

static char *
add_record (AwdaStore  *store,
            const char *entity,
            ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, NULL);
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;

  va_start (args, entity);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("awda-test-case-editor-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "awda.db", NULL);
  fixture->store = awda_store_create (fixture->path, "Bureau régional de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);

  fixture->office = add_record (fixture->store, "office", "name", "Bureau régional de Sfax",
                                "kind", "regional", "governorate", "TN-61", NULL);
  fixture->caseworker = add_record (fixture->store, "staff", "name", "Amel Karray", "role", "caseworker",
                                    "office", fixture->office, "active", "true", NULL);
  fixture->supervisor = add_record (fixture->store, "staff", "name", "Nizar Ben Amor", "role", "supervisor",
                                    "office", fixture->office, "active", "true", NULL);
  fixture->programme = add_record (fixture->store, "programme", "name", "OFII", "currency", "EUR", NULL);
  fixture->partner = add_record (fixture->store, "partner", "name", "ANETI", "kind", "institutional", NULL);
  fixture->case_id = add_record (fixture->store, "case", "given_name", "Mohamed", "family_name", "Ben Salah",
                                 "given_name_ar", "محمد", "family_name_ar", "بن صالح",
                                 "owner_office", fixture->office, NULL);
}

static void
remove_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          g_chmod (path, 0700);
          remove_folder (path);
        }
      else
        g_unlink (path);
    }
  g_rmdir (folder);
}

static void close_editor (Fixture *fixture);

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->editor != NULL)
    close_editor (fixture);
  g_assert_finalize_object (fixture->store);
  remove_folder (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
  g_free (fixture->office);
  g_free (fixture->caseworker);
  g_free (fixture->supervisor);
  g_free (fixture->programme);
  g_free (fixture->partner);
  g_free (fixture->case_id);
}

/* The main loop */

static gboolean
on_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_for_draw (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gboolean late = FALSE;
  gulong handler;
  guint deadline;

  g_assert_nonnull (clock);
  handler = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (on_deadline_cb), &painted);
  deadline = g_timeout_add_seconds (20, on_deadline_cb, &late);
  gtk_widget_queue_draw (widget);
  while (!painted && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);
  g_signal_handler_disconnect (clock, handler);
  iterate ();
}

/* Until a worker thread's result has hidden @widget. */
static void
wait_until_hidden (GtkWidget *widget)
{
  gboolean late = FALSE;
  guint deadline = g_timeout_add_seconds (20, on_deadline_cb, &late);

  while (gtk_widget_get_visible (widget) && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);
}

/* Opening and closing the editor, as the window does */

static void
open_editor (Fixture *fixture)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1100, 800);
  fixture->editor = g_object_ref (awda_case_editor_new (fixture->store));
  awda_case_editor_set_case_id (fixture->editor, fixture->case_id);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->editor));
  gtk_window_present (fixture->window);
  wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
close_editor (Fixture *fixture)
{
  gtk_window_destroy (fixture->window);
  iterate ();
  g_assert_finalize_object (fixture->editor);
  fixture->editor = NULL;
  fixture->window = NULL;
}

/* A restart: the store closed and opened again from its file. */
static void
restart (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  close_editor (fixture);
  g_assert_finalize_object (fixture->store);
  fixture->store = awda_store_open (fixture->path, &error);
  g_assert_no_error (error);
  open_editor (fixture);
}

/* Finding widgets */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static gpointer
editor_child (Fixture    *fixture,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->editor), AWDA_TYPE_CASE_EDITOR, name);

  g_assert_nonnull (child);
  return child;
}

/* The field editor of @field of @record (the case when NULL). */
static AwdaFieldEditor *
field (Fixture    *fixture,
       GtkWidget  *within,
       const char *entity,
       const char *record,
       const char *name)
{
  g_autoptr(GPtrArray) editors = g_ptr_array_new ();
  AwdaFieldEditor *found = NULL;

  collect (within ? within : GTK_WIDGET (fixture->editor), AWDA_TYPE_FIELD_EDITOR, editors);
  for (guint i = 0; i < editors->len; i++)
    {
      AwdaFieldEditor *editor = g_ptr_array_index (editors, i);

      if (g_strcmp0 (awda_field_editor_get_entity_name (editor), entity) == 0
          && g_strcmp0 (awda_field_editor_get_field_name (editor), name) == 0
          && g_strcmp0 (awda_field_editor_get_record_id (editor), record) == 0)
        {
          g_assert_null (found);
          found = editor;
        }
    }
  g_assert_nonnull (found);
  return found;
}

static AwdaFieldEditor *
case_field (Fixture    *fixture,
            const char *name)
{
  return field (fixture, NULL, "case", fixture->case_id, name);
}

static AwdaRecordList *
record_list (Fixture    *fixture,
             const char *entity)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();

  collect (GTK_WIDGET (fixture->editor), AWDA_TYPE_RECORD_LIST, lists);
  for (guint i = 0; i < lists->len; i++)
    if (g_strcmp0 (awda_record_list_get_entity (g_ptr_array_index (lists, i)), entity) == 0)
      return g_ptr_array_index (lists, i);
  g_assert_not_reached ();
}

static void
show_page (Fixture    *fixture,
           const char *page)
{
  gtk_stack_set_visible_child_name (editor_child (fixture, "stack"), page);
  wait_for_draw (GTK_WIDGET (fixture->window));
}

/* Typing and choosing */

/* Types @text into an entry or a text view, without committing. */
static void
type_text (AwdaFieldEditor *editor,
           const char      *text)
{
  GtkWidget *control = awda_field_editor_get_control (editor);

  if (GTK_IS_TEXT_VIEW (control))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (control)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (control), text);
}

/* Types and presses Enter. */
static void
type_and_enter (AwdaFieldEditor *editor,
                const char      *text)
{
  GtkWidget *control = awda_field_editor_get_control (editor);

  g_assert_true (GTK_IS_ENTRY (control));
  gtk_widget_grab_focus (control);
  type_text (editor, text);
  g_signal_emit_by_name (control, "activate");
  iterate ();
}

/* Picks the item labelled @label in the editor's drop-down. */
static void
choose_in (GtkDropDown *dropdown,
           const char  *label)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          iterate ();
          return;
        }
    }
  g_error ("No item “%s” in the drop-down", label);
}

static void
choose (AwdaFieldEditor *editor,
        const char      *label)
{
  GtkWidget *control = awda_field_editor_get_control (editor);

  g_assert_true (GTK_IS_DROP_DOWN (control));
  choose_in (GTK_DROP_DOWN (control), label);
}

static const char *
shown_choice (AwdaFieldEditor *editor)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (awda_field_editor_get_control (editor));
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item ? gtk_string_object_get_string (item) : NULL;
}

static const char *
shown_text (AwdaFieldEditor *editor)
{
  return gtk_editable_get_text (GTK_EDITABLE (awda_field_editor_get_control (editor)));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  iterate ();
}

/* The button labelled @label under @within. */
static GtkWidget *
find_button (GtkWidget  *within,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (within, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static GtkWidget *
find_button_by_tooltip (GtkWidget  *within,
                        const char *tooltip)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (within, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i)), tooltip) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

/* Reading the store */

static char *
stored (Fixture    *fixture,
        const char *entity,
        const char *record,
        const char *name)
{
  g_autoptr(AwdaRecord) values = NULL;
  g_autoptr(GError) error = NULL;

  values = awda_store_get_record (fixture->store, entity, record, &error);
  g_assert_no_error (error);
  return g_strdup (awda_record_get (values, name));
}

static char *
stored_case (Fixture    *fixture,
             const char *name)
{
  return stored (fixture, "case", fixture->case_id, name);
}

static guint
n_changes (Fixture *fixture)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;

  history = awda_store_get_history (fixture->store, fixture->case_id, &error);
  g_assert_no_error (error);
  return history->len;
}

static void
record_consent (Fixture *fixture)
{
  show_page (fixture, "consent");
  type_and_enter (case_field (fixture, "consent_given_on"), "2025-03-02");
  choose (case_field (fixture, "consent_scope"), "Case management and referral to partners");
}

#define assert_stored_case(fixture, name, expected) \
  G_STMT_START { \
    g_autofree char *value_ = stored_case ((fixture), (name)); \
    g_assert_cmpstr (value_, ==, (expected)); \
  } G_STMT_END

/* Tests */

/* One editor per type of field, with the control a person expects. */
static void
test_field_editor_controls (Fixture       *fixture,
                            gconstpointer  data)
{
  AwdaFieldEditor *editor;
  GtkDropDown *dropdown;
  GtkLabel *label;

  open_editor (fixture);

  g_assert_true (GTK_IS_ENTRY (awda_field_editor_get_control (case_field (fixture, "given_name"))));
  g_assert_true (GTK_IS_TEXT_VIEW (awda_field_editor_get_control (case_field (fixture, "address"))));
  g_assert_true (GTK_IS_SWITCH (awda_field_editor_get_control (case_field (fixture, "vuln_debt"))));
  g_assert_cmpint (gtk_entry_get_input_purpose (GTK_ENTRY (awda_field_editor_get_control (case_field (fixture, "departure_year")))),
                   ==, GTK_INPUT_PURPOSE_DIGITS);

  /* Names in Arabic script are typed right to left in any language. */
  g_assert_cmpint (gtk_widget_get_direction (awda_field_editor_get_control (case_field (fixture, "family_name_ar"))),
                   ==, GTK_TEXT_DIR_RTL);
  g_assert_cmpstr (shown_text (case_field (fixture, "family_name_ar")), ==, "بن صالح");

  /* A date: an entry and a calendar. */
  editor = case_field (fixture, "birth_date");
  g_assert_true (GTK_IS_ENTRY (awda_field_editor_get_control (editor)));
  {
    g_autoptr(GPtrArray) calendars = g_ptr_array_new ();

    collect (GTK_WIDGET (editor), GTK_TYPE_CALENDAR, calendars);
    g_assert_cmpuint (calendars->len, ==, 1);
  }

  /* An optional choice starts with none; translated labels. */
  editor = case_field (fixture, "sex");
  dropdown = GTK_DROP_DOWN (awda_field_editor_get_control (editor));
  g_assert_cmpstr (shown_choice (editor), ==, "Not set");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 3);

  /* References: the live records, by name. */
  editor = case_field (fixture, "caseworker");
  choose (editor, "Nizar Ben Amor");
  choose (editor, "Amel Karray");
  {
    g_autofree char *caseworker = stored_case (fixture, "caseworker");

    g_assert_cmpstr (caseworker, ==, fixture->caseworker);
  }
  g_assert_cmpstr (shown_choice (case_field (fixture, "owner_office")), ==, "Bureau régional de Sfax");

  /* Countries, by their names (iso-codes), sorted. */
  editor = case_field (fixture, "host_country");
  dropdown = GTK_DROP_DOWN (awda_field_editor_get_control (editor));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), >, 200);
  choose (editor, "Italy");
  assert_stored_case (fixture, "host_country", "IT");

  /* The grid's label names the field, and its mnemonic leads to the control. */
  editor = case_field (fixture, "occupation");
  label = NULL;
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    collect (gtk_widget_get_parent (GTK_WIDGET (editor)), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (gtk_label_get_mnemonic_widget (g_ptr_array_index (labels, i)) == awda_field_editor_get_control (editor))
        label = g_ptr_array_index (labels, i);
  }
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Occupation");
  g_assert_cmpuint (gtk_label_get_mnemonic_keyval (label), !=, GDK_KEY_VoidSymbol);
}

/* Values typed on several pages are in the store at once, and in the
 * editor after a restart. */
static void
test_saved_and_restart (Fixture       *fixture,
                        gconstpointer  data)
{
  open_editor (fixture);
  record_consent (fixture);
  assert_stored_case (fixture, "consent_given_on", "2025-03-02");
  assert_stored_case (fixture, "consent_scope", "referral");

  show_page (fixture, "identity");
  type_and_enter (case_field (fixture, "national_id"), " 08123456 ");
  /* A date typed the locale's way (C: month first) is stored as YYYY-MM-DD. */
  type_and_enter (case_field (fixture, "birth_date"), "05/14/1990");
  choose (case_field (fixture, "sex"), "Male");
  choose (case_field (fixture, "governorate"), "Sfax");
  assert_stored_case (fixture, "national_id", "08123456");
  assert_stored_case (fixture, "birth_date", "1990-05-14");
  assert_stored_case (fixture, "sex", "m");
  assert_stored_case (fixture, "governorate", "TN-61");
  /* The entry shows the value as stored. */
  g_assert_cmpstr (shown_text (case_field (fixture, "national_id")), ==, "08123456");
  g_assert_cmpstr (shown_text (case_field (fixture, "birth_date")), ==, "1990-05-14");

  show_page (fixture, "return");
  choose (case_field (fixture, "host_country"), "France");
  type_and_enter (case_field (fixture, "departure_year"), "2016");
  choose (case_field (fixture, "return_type"), "Forced");
  choose (case_field (fixture, "return_programme"), "OFII");
  assert_stored_case (fixture, "host_country", "FR");
  assert_stored_case (fixture, "departure_year", "2016");
  assert_stored_case (fixture, "return_type", "forced");
  assert_stored_case (fixture, "return_programme", fixture->programme);

  show_page (fixture, "situation");
  gtk_switch_set_active (GTK_SWITCH (awda_field_editor_get_control (case_field (fixture, "vuln_debt"))), TRUE);
  iterate ();
  assert_stored_case (fixture, "vuln_debt", "true");

  /* The focus leaving an entry commits it. */
  gtk_widget_grab_focus (awda_field_editor_get_control (case_field (fixture, "occupation")));
  type_text (case_field (fixture, "occupation"), "Mécanicien");
  gtk_widget_grab_focus (awda_field_editor_get_control (case_field (fixture, "household_size")));
  iterate ();
  assert_stored_case (fixture, "occupation", "Mécanicien");

  /* Typed and never committed: saved when the editor closes. */
  type_text (case_field (fixture, "skills"), "Soudure, électricité automobile");
  show_page (fixture, "identity");
  type_text (case_field (fixture, "phone"), "+216 98 123 456");

  restart (fixture);

  g_assert_cmpstr (shown_text (case_field (fixture, "national_id")), ==, "08123456");
  g_assert_cmpstr (shown_text (case_field (fixture, "birth_date")), ==, "1990-05-14");
  g_assert_cmpstr (shown_text (case_field (fixture, "phone")), ==, "+216 98 123 456");
  g_assert_cmpstr (shown_choice (case_field (fixture, "sex")), ==, "Male");
  g_assert_cmpstr (shown_choice (case_field (fixture, "governorate")), ==, "Sfax");
  g_assert_cmpstr (shown_choice (case_field (fixture, "host_country")), ==, "France");
  g_assert_cmpstr (shown_choice (case_field (fixture, "return_type")), ==, "Forced");
  g_assert_cmpstr (shown_choice (case_field (fixture, "return_programme")), ==, "OFII");
  g_assert_cmpstr (shown_text (case_field (fixture, "departure_year")), ==, "2016");
  g_assert_cmpstr (shown_text (case_field (fixture, "occupation")), ==, "Mécanicien");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (awda_field_editor_get_control (case_field (fixture, "vuln_debt")))));
  assert_stored_case (fixture, "skills", "Soudure, électricité automobile");
  g_assert_cmpstr (gtk_label_get_text (editor_child (fixture, "name_label")), ==, "Mohamed Ben Salah");
  g_assert_cmpstr (gtk_label_get_text (editor_child (fixture, "name_ar_label")), ==, "محمد بن صالح");
}

/* A refused value: the dictionary's sentence under the field, the typed
 * text kept, nothing written. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  AwdaFieldEditor *editor;
  guint before;
  GtkWidget *message;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  open_editor (fixture);
  record_consent (fixture);
  show_page (fixture, "identity");
  before = n_changes (fixture);

  editor = case_field (fixture, "birth_date");
  type_and_enter (editor, "1990-13-45");
  g_assert_nonnull (awda_field_editor_get_message (editor));
  g_assert_nonnull (strstr (awda_field_editor_get_message (editor), "birth_date"));
  g_assert_nonnull (strstr (awda_field_editor_get_message (editor), "YYYY-MM-DD"));
  g_assert_cmpstr (shown_text (editor), ==, "1990-13-45");
  g_assert_true (awda_field_editor_has_pending (editor));

  /* Shown under the field, in the error style. */
  collect (GTK_WIDGET (editor), GTK_TYPE_LABEL, labels);
  message = NULL;
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), awda_field_editor_get_message (editor)) == 0)
      message = g_ptr_array_index (labels, i);
  g_assert_nonnull (message);
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (message, "error"));

  {
    g_autofree char *birth_date = stored_case (fixture, "birth_date");

    g_assert_null (birth_date);
  }
  g_assert_cmpuint (n_changes (fixture), ==, before);

  /* Out of range. */
  show_page (fixture, "return");
  editor = case_field (fixture, "departure_year");
  type_and_enter (editor, "1800");
  g_assert_nonnull (strstr (awda_field_editor_get_message (editor), "1950"));
  g_assert_cmpuint (n_changes (fixture), ==, before);

  /* Closing asks first: the refused value is shown where it was typed. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (awda_case_editor_commit_pending (fixture->editor, &error));
    g_assert_nonnull (error);
  }

  /* Corrected: the message goes, the value is written. */
  type_and_enter (editor, "2016");
  g_assert_null (awda_field_editor_get_message (editor));
  assert_stored_case (fixture, "departure_year", "2016");
  show_page (fixture, "identity");
  type_and_enter (case_field (fixture, "birth_date"), "1990-05-14");
  g_assert_true (awda_case_editor_commit_pending (fixture->editor, NULL));
  g_assert_cmpuint (n_changes (fixture), ==, before + 2);
}

/* Whether @widget has a shortcut @trigger → @action handled in @phase
 * (capture: before the focused entry, which would take Ctrl+Z itself). */
static gboolean
has_shortcut (GtkWidget           *widget,
              const char          *trigger,
              const char          *action,
              GtkPropagationPhase  phase)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller)
          || gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) != phase)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *shown_trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *shown_action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (g_str_equal (shown_trigger, trigger) && strstr (shown_action, action) != NULL)
            return TRUE;
        }
    }
  return FALSE;
}

/* Ctrl+Z takes back the last change to the case, Ctrl+Shift+Z does it again. */
static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  AwdaFieldEditor *editor;

  open_editor (fixture);
  g_assert_true (has_shortcut (GTK_WIDGET (fixture->editor), "<Control>z", "editor.undo", GTK_PHASE_CAPTURE));
  g_assert_true (has_shortcut (GTK_WIDGET (fixture->editor), "<Shift><Control>z", "editor.redo", GTK_PHASE_CAPTURE));
  g_assert_false (gtk_widget_get_sensitive (editor_child (fixture, "undo_button")));

  show_page (fixture, "identity");
  editor = case_field (fixture, "given_name");
  type_and_enter (editor, "Mohammed");
  type_and_enter (editor, "Mohamed Ali");
  assert_stored_case (fixture, "given_name", "Mohamed Ali");
  g_assert_true (gtk_widget_get_sensitive (editor_child (fixture, "undo_button")));

  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo", NULL);
  iterate ();
  assert_stored_case (fixture, "given_name", "Mohammed");
  g_assert_cmpstr (shown_text (editor), ==, "Mohammed");
  g_assert_cmpstr (gtk_label_get_text (editor_child (fixture, "name_label")), ==, "Mohammed Ben Salah");

  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo", NULL);
  iterate ();
  assert_stored_case (fixture, "given_name", "Mohamed");

  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.redo", NULL);
  iterate ();
  assert_stored_case (fixture, "given_name", "Mohammed");
  g_assert_cmpstr (shown_text (editor), ==, "Mohammed");

  /* Typing not committed is taken back first, and nothing else. */
  gtk_widget_grab_focus (awda_field_editor_get_control (editor));
  type_text (editor, "Momo");
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo", NULL);
  iterate ();
  g_assert_cmpstr (shown_text (editor), ==, "Mohammed");
  assert_stored_case (fixture, "given_name", "Mohammed");
}

/* Personal details wait for consent; once it is recorded, what was
 * typed is saved. */
static void
test_consent (Fixture       *fixture,
              gconstpointer  data)
{
  AwdaFieldEditor *editor;
  guint before;

  open_editor (fixture);
  before = n_changes (fixture);

  editor = case_field (fixture, "national_id");
  type_and_enter (editor, "08123456");
  g_assert_nonnull (awda_field_editor_get_message (editor));
  g_assert_nonnull (strstr (awda_field_editor_get_message (editor), "consent"));
  g_assert_nonnull (strstr (awda_field_editor_get_message (editor), "National ID number"));
  g_assert_cmpstr (shown_text (editor), ==, "08123456");
  g_assert_cmpuint (n_changes (fixture), ==, before);

  /* A name is not personal beyond consent. */
  type_and_enter (case_field (fixture, "family_name"), "Ben Salah Trabelsi");
  assert_stored_case (fixture, "family_name", "Ben Salah Trabelsi");

  record_consent (fixture);
  assert_stored_case (fixture, "national_id", "08123456");
  g_assert_null (awda_field_editor_get_message (editor));
}

/* A household member, added, edited, removed, brought back. */
static void
test_household (Fixture       *fixture,
                gconstpointer  data)
{
  AwdaRecordList *list;
  AwdaFieldGroup *add_form;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *member = NULL;
  g_autofree char *relation = NULL;

  open_editor (fixture);
  show_page (fixture, "household");
  list = record_list (fixture, "household_member");
  g_assert_cmpuint (awda_record_list_get_n_records (list), ==, 0);

  /* Adding without the name is refused, with the store's sentence. */
  add_form = awda_record_list_get_add_group (list);
  g_assert_nonnull (add_form);
  click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list), AWDA_TYPE_RECORD_LIST, "add_confirm_button")));
  g_assert_cmpuint (awda_record_list_get_n_records (list), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list), AWDA_TYPE_RECORD_LIST,
                                                                                   "add_error_label"))));

  type_text (awda_field_group_find_editor (add_form, "name"), "Salma Ben Salah");
  click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list), AWDA_TYPE_RECORD_LIST, "add_confirm_button")));
  g_assert_cmpuint (awda_record_list_get_n_records (list), ==, 1);
  ids = awda_record_list_get_record_ids (list);
  member = g_strdup (g_ptr_array_index (ids, 0));
  {
    g_autofree char *name = stored (fixture, "household_member", member, "name");
    g_autofree char *case_id = stored (fixture, "household_member", member, "case_id");

    g_assert_cmpstr (name, ==, "Salma Ben Salah");
    g_assert_cmpstr (case_id, ==, fixture->case_id);
  }

  /* Its row has an editor for each of its fields. */
  choose (field (fixture, NULL, "household_member", member, "relation"), "Spouse");
  type_and_enter (field (fixture, NULL, "household_member", member, "birth_date"), "1992-01-03");
  relation = stored (fixture, "household_member", member, "relation");
  g_assert_cmpstr (relation, ==, "spouse");

  /* Removed, then back with Ctrl+Z. */
  click (find_button_by_tooltip (awda_record_list_get_row (list, member), "Remove"));
  g_assert_cmpuint (awda_record_list_get_n_records (list), ==, 0);
  {
    g_autoptr(GPtrArray) children = awda_store_list_children (fixture->store, "household_member", fixture->case_id, NULL);

    g_assert_cmpuint (children->len, ==, 0);
  }
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo", NULL);
  iterate ();
  g_assert_cmpuint (awda_record_list_get_n_records (list), ==, 1);
  g_assert_cmpstr (shown_choice (field (fixture, GTK_WIDGET (awda_record_list_get_group (list, member)),
                                        "household_member", member, "relation")), ==, "Spouse");

  /* And after a restart. */
  restart (fixture);
  list = record_list (fixture, "household_member");
  g_assert_cmpuint (awda_record_list_get_n_records (list), ==, 1);
  g_assert_cmpstr (shown_text (field (fixture, GTK_WIDGET (awda_record_list_get_group (list, member)),
                                      "household_member", member, "name")), ==, "Salma Ben Salah");
}

/* The stage actions: a guard refuses with its sentence, and nothing
 * moves; closing needs a reason. */
static void
test_stages (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *advance;
  const char *reasons;

  open_editor (fixture);
  advance = editor_child (fixture, "advance_button");
  g_assert_cmpstr (gtk_label_get_text (editor_child (fixture, "stage_label")), ==, "Reception");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (advance)), ==, "Start the assessment");
  g_assert_true (gtk_widget_get_sensitive (advance));

  click (advance);
  assert_stored_case (fixture, "status", "assessment");
  g_assert_cmpstr (gtk_label_get_text (editor_child (fixture, "stage_label")), ==, "Assessment");

  /* No plan before an assessment: the button says why it cannot. */
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (advance)), ==, "Start the plan");
  g_assert_false (gtk_widget_get_sensitive (advance));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (advance), "No plan before an assessment"));
  reasons = gtk_label_get_text (editor_child (fixture, "reasons_label"));
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "reasons_label")));
  g_assert_nonnull (strstr (reasons, "Start the plan"));
  g_assert_nonnull (strstr (reasons, "No plan before an assessment"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.advance", NULL);
  iterate ();
  assert_stored_case (fixture, "status", "assessment");

  /* An assessment recorded on its page: the way opens. */
  show_page (fixture, "assessments");
  {
    AwdaRecordList *list = record_list (fixture, "assessment");
    AwdaFieldGroup *add_form = awda_record_list_get_add_group (list);

    /* The date is today's already; the kind is to choose. */
    g_assert_nonnull (awda_field_editor_get_value (awda_field_group_find_editor (add_form, "date")));
    choose (awda_field_group_find_editor (add_form, "kind"), "Needs assessment");
    click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list), AWDA_TYPE_RECORD_LIST, "add_confirm_button")));
    g_assert_cmpuint (awda_record_list_get_n_records (list), ==, 1);
  }
  iterate ();
  g_assert_true (gtk_widget_get_sensitive (advance));
  g_assert_false (gtk_widget_get_visible (editor_child (fixture, "reasons_label")));

  /* Closing without a reason is refused, with the guard's sentence. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.close-case", NULL);
  iterate ();
  assert_stored_case (fixture, "status", "assessment");
  g_assert_nonnull (awda_case_editor_get_banner (fixture->editor));
  g_assert_nonnull (strstr (awda_case_editor_get_banner (fixture->editor), "closure reason"));
  g_assert_true (gtk_revealer_get_reveal_child (editor_child (fixture, "banner_revealer")));

  choose_in (editor_child (fixture, "closure_reason_dropdown"), "Migrated again");
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.close-case", NULL);
  iterate ();
  assert_stored_case (fixture, "status", "closed");
  assert_stored_case (fixture, "closure_reason", "remigrated");
  g_assert_null (awda_case_editor_get_banner (fixture->editor));
  g_assert_cmpstr (shown_choice (case_field (fixture, "closure_reason")), ==, "Migrated again");
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "reopen_button")));
  g_assert_false (gtk_widget_get_visible (editor_child (fixture, "advance_button")));

  /* Ctrl+Z takes the closure back like any other change, its reason and
   * date with it; Ctrl+Shift+Z closes the case again. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (editor_child (fixture, "undo_button")), ==,
                   "Undo the changes to 3 fields");
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo", NULL);
  iterate ();
  assert_stored_case (fixture, "status", "assessment");
  assert_stored_case (fixture, "closure_reason", NULL);
  assert_stored_case (fixture, "closed_on", NULL);
  g_assert_cmpstr (gtk_label_get_text (editor_child (fixture, "stage_label")), ==, "Assessment");
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "advance_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.redo", NULL);
  iterate ();
  assert_stored_case (fixture, "status", "closed");
  assert_stored_case (fixture, "closure_reason", "remigrated");

  /* Reopened at the furthest stage whose guards hold: the plan. */
  click (editor_child (fixture, "reopen_button"));
  assert_stored_case (fixture, "status", "plan");
  g_assert_null (awda_case_editor_get_banner (fixture->editor));

  /* And the reopening is undone in turn. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo", NULL);
  iterate ();
  assert_stored_case (fixture, "status", "closed");
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "reopen_button")));
}

/* Approval: above the threshold only a supervisor may, and who and when
 * are recorded. Totals are kept per currency. */
static void
test_approval (Fixture       *fixture,
               gconstpointer  data)
{
  AwdaRecordList *list;
  AwdaFieldGroup *add_form;
  AwdaFieldGroup *row;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *today = awda_field_editor_today ();
  GtkWidget *approve;
  gboolean found_tnd = FALSE, found_eur = FALSE;
  const char *item;

  open_editor (fixture);
  show_page (fixture, "plan");
  list = record_list (fixture, "plan_item");
  add_form = awda_record_list_get_add_group (list);

  choose (awda_field_group_find_editor (add_form, "dimension"), "Economic");
  choose (awda_field_group_find_editor (add_form, "kind"), "Business creation");
  click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list), AWDA_TYPE_RECORD_LIST, "add_confirm_button")));
  ids = awda_record_list_get_record_ids (list);
  g_assert_cmpuint (ids->len, ==, 1);
  item = g_ptr_array_index (ids, 0);
  row = awda_record_list_get_group (list, item);

  type_and_enter (field (fixture, GTK_WIDGET (row), "plan_item", item, "budget"), "5000");
  choose (field (fixture, GTK_WIDGET (row), "plan_item", item, "currency"), "Tunisian dinar");
  choose (field (fixture, GTK_WIDGET (row), "plan_item", item, "programme"), "OFII");

  /* Never approved: it cannot be marked approved or done by hand. */
  {
    AwdaFieldEditor *status = field (fixture, GTK_WIDGET (row), "plan_item", item, "status");
    GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (awda_field_editor_get_control (status)));

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(GtkStringObject) choice = g_list_model_get_item (model, i);

        g_assert_cmpstr (gtk_string_object_get_string (choice), !=, "Approved");
        g_assert_cmpstr (gtk_string_object_get_string (choice), !=, "Done");
      }
  }

  /* A caseworker, above the threshold of 3000 TND: refused, and why. */
  choose_in (editor_child (fixture, "staff_dropdown"), "Amel Karray (Caseworker)");
  g_assert_cmpstr (awda_case_editor_get_staff_id (fixture->editor), ==, fixture->caseworker);
  approve = find_button (awda_record_list_get_row (list, item), "A_pprove");
  g_assert_nonnull (approve);
  click (approve);
  g_assert_nonnull (awda_record_list_get_row_message (list, item));
  g_assert_nonnull (strstr (awda_record_list_get_row_message (list, item), "above the approval threshold"));
  {
    g_autofree char *status = stored (fixture, "plan_item", item, "status");

    g_assert_cmpstr (status, ==, "proposed");
  }

  /* The supervisor approves: recorded with who and when. */
  choose_in (editor_child (fixture, "staff_dropdown"), "Nizar Ben Amor (Supervisor)");
  click (find_button (awda_record_list_get_row (list, item), "A_pprove"));
  g_assert_null (awda_record_list_get_row_message (list, item));
  {
    g_autofree char *status = stored (fixture, "plan_item", item, "status");
    g_autofree char *by = stored (fixture, "plan_item", item, "approved_by");
    g_autofree char *on = stored (fixture, "plan_item", item, "approved_on");

    g_assert_cmpstr (status, ==, "approved");
    g_assert_cmpstr (by, ==, fixture->supervisor);
    g_assert_cmpstr (on, ==, today);
  }
  g_assert_null (find_button (awda_record_list_get_row (list, item), "A_pprove"));

  /* An approval given by mistake is undone like any change, and given again. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo", NULL);
  iterate ();
  {
    g_autofree char *status = stored (fixture, "plan_item", item, "status");
    g_autofree char *by = stored (fixture, "plan_item", item, "approved_by");

    g_assert_cmpstr (status, ==, "proposed");
    g_assert_null (by);
  }
  g_assert_nonnull (find_button (awda_record_list_get_row (list, item), "A_pprove"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.redo", NULL);
  iterate ();
  {
    g_autofree char *by = stored (fixture, "plan_item", item, "approved_by");

    g_assert_cmpstr (by, ==, fixture->supervisor);
  }
  row = awda_record_list_get_group (list, item);
  g_assert_cmpstr (shown_choice (field (fixture, GTK_WIDGET (row), "plan_item", item, "approved_by")), ==, "Nizar Ben Amor");
  g_assert_false (awda_field_editor_get_editable (field (fixture, GTK_WIDGET (row), "plan_item", item, "approved_by")));

  /* A second item in euros: the totals never add the two currencies. */
  add_record (fixture->store, "plan_item", "case_id", fixture->case_id, "dimension", "social",
              "kind", "housing", "budget", "700", "currency", "EUR", "programme", fixture->programme, NULL);
  awda_case_editor_reload (fixture->editor);
  iterate ();
  collect (editor_child (fixture, "totals_grid"), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

      found_tnd |= g_str_equal (text, "5000 TND");
      found_eur |= g_str_equal (text, "700 EUR");
      g_assert_null (strstr (text, "5700"));
    }
  g_assert_true (found_tnd);
  g_assert_true (found_eur);
}

/* Follow-ups marked done; attachments listed; the history of changes. */
static void
test_follow_up_attachment_history (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *follow_up = NULL;
  g_autofree char *today = awda_field_editor_today ();
  g_autofree char *file_path = g_build_filename (fixture->folder, "certificat.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (file_path);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  AwdaRecordList *list;
  gboolean found = FALSE;

  follow_up = add_record (fixture->store, "follow_up", "case_id", fixture->case_id,
                          "scheduled_on", "2025-04-01", "mode", "phone", NULL);
  open_editor (fixture);
  awda_case_editor_set_staff_id (fixture->editor, fixture->caseworker);

  show_page (fixture, "follow_ups");
  list = record_list (fixture, "follow_up");
  click (find_button (awda_record_list_get_row (list, follow_up), "_Mark Done"));
  {
    g_autofree char *done_on = stored (fixture, "follow_up", follow_up, "done_on");
    g_autofree char *done_by = stored (fixture, "follow_up", follow_up, "done_by");

    g_assert_cmpstr (done_on, ==, today);
    g_assert_cmpstr (done_by, ==, fixture->caseworker);
  }
  g_assert_null (find_button (awda_record_list_get_row (list, follow_up), "_Mark Done"));

  show_page (fixture, "attachments");
  g_file_set_contents (file_path, "%PDF-1.4\n", -1, &error);
  g_assert_no_error (error);
  /* The copy runs in a worker thread: the page says so meanwhile, and
   * the file is listed once it is done. */
  awda_case_editor_add_attachment (fixture->editor, file);
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "attaching_box")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_child (fixture, "attaching_label"))), ==,
                   "Attaching “\u2068certificat.pdf\u2069”…");
  wait_until_hidden (editor_child (fixture, "attaching_box"));
  collect (editor_child (fixture, "attachments_list"), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    found |= g_str_equal (gtk_label_get_text (g_ptr_array_index (labels, i)), "certificat.pdf");
  g_assert_true (found);
  g_assert_null (awda_case_editor_get_banner (fixture->editor));

  /* A folder is refused, with its sentence in the banner. */
  {
    g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);

    awda_case_editor_add_attachment (fixture->editor, folder);
    wait_until_hidden (editor_child (fixture, "attaching_box"));
    g_assert_nonnull (awda_case_editor_get_banner (fixture->editor));
    g_assert_nonnull (strstr (awda_case_editor_get_banner (fixture->editor), "is not a file: only files can be attached."));
  }

  show_page (fixture, "identity");
  type_and_enter (case_field (fixture, "given_name"), "Mohamed Ali");
  show_page (fixture, "history");
  g_ptr_array_set_size (labels, 0);
  collect (editor_child (fixture, "history_list"), GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, >, 0);
  /* The newest first: the name just changed, old and new. */
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (labels, 0)), ==, "Given name");
  g_assert_nonnull (strstr (gtk_label_get_text (g_ptr_array_index (labels, 1)), "Mohamed"));
  g_assert_nonnull (strstr (gtk_label_get_text (g_ptr_array_index (labels, 1)), "Mohamed Ali"));
  g_assert_nonnull (strstr (gtk_label_get_text (g_ptr_array_index (labels, 2)), "Bureau régional de Sfax"));
}

/* Who approves is remembered (GSettings staff-id). */
static void
test_staff_remembered (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_test_skip ("The GSettings schema is not installed: set GSETTINGS_SCHEMA_DIR.");
      return;
    }

  open_editor (fixture);
  show_page (fixture, "plan");
  choose_in (editor_child (fixture, "staff_dropdown"), "Nizar Ben Amor (Supervisor)");
  close_editor (fixture);

  open_editor (fixture);
  g_assert_cmpstr (awda_case_editor_get_staff_id (fixture->editor), ==, fixture->supervisor);
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *staff_id = g_settings_get_string (settings, "staff-id");

    g_assert_cmpstr (staff_id, ==, fixture->supervisor);
    g_settings_reset (settings, "staff-id");
  }
}

static gboolean
lists_label (GtkDropDown *dropdown,
             const char  *label)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The staff who approve are not read again for each case opened, unless
 * the data changed since: a supervisor added (by a sync, or another
 * program) is listed when the next case opens. */
static void
test_staff_listed_again (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *other_case = add_record (fixture->store, "case", "given_name", "Amira", "family_name", "Trabelsi",
                                            "owner_office", fixture->office, NULL);
  g_autofree char *added = NULL;
  GtkDropDown *staff;
  GListModel *listed;

  open_editor (fixture);
  staff = editor_child (fixture, "staff_dropdown");
  listed = gtk_drop_down_get_model (staff);

  /* Nothing written: the same list serves the next case. */
  awda_case_editor_set_case_id (fixture->editor, other_case);
  iterate ();
  g_assert_true (gtk_drop_down_get_model (staff) == listed);

  added = add_record (fixture->store, "staff", "name", "Sonia Gharbi", "role", "supervisor",
                      "office", fixture->office, "active", "true", NULL);
  awda_case_editor_set_case_id (fixture->editor, fixture->case_id);
  iterate ();
  g_assert_true (lists_label (staff, "Sonia Gharbi (Supervisor)"));
}

static void
test_no_display (void)
{
  g_test_skip ("There is no display: run the ui tests under tools/with-display.");
}

int
main (int   argc,
      char *argv[])
{
  /* The system's MIME database, which the isolated folders would hide:
   * GdkPixbuf needs it to recognize the icons' SVG. */
  g_content_type_set_mime_dirs (NULL);

  /* Not gtk_test_init(): in GTK 4.8 it drops G_TEST_OPTION_ISOLATE_DIRS,
   * and aborts when there is no display. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/case-editor/no-display", test_no_display);
      return g_test_run ();
    }

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/case-editor/controls", test_field_editor_controls);
  ADD ("/ui/case-editor/saved-and-restart", test_saved_and_restart);
  ADD ("/ui/case-editor/refused", test_refused);
  ADD ("/ui/case-editor/undo", test_undo);
  ADD ("/ui/case-editor/consent", test_consent);
  ADD ("/ui/case-editor/household", test_household);
  ADD ("/ui/case-editor/stages", test_stages);
  ADD ("/ui/case-editor/approval", test_approval);
  ADD ("/ui/case-editor/follow-up-attachment-history", test_follow_up_attachment_history);
  ADD ("/ui/case-editor/staff-remembered", test_staff_remembered);
  ADD ("/ui/case-editor/staff-listed-again", test_staff_listed_again);

#undef ADD

  return g_test_run ();
}

/* test-ui.c: the window opens, lists the cases, and searches and filters them
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a display: meson runs it under tools/with-display (Xvfb when there
 * is none); without one every test is skipped.
 */

#define G_LOG_DOMAIN "awda-test-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "awda-application.h"
#include "awda-case-item.h"
#include "awda-case-list-model.h"
#include "awda-choice-list.h"
#include "awda-demo.h"
#include "awda-first-run-dialog.h"
#include "awda-format.h"
#include "awda-open-error-dialog.h"
#include "awda-store.h"
#include "awda-window.h"

/* The cases the fixture writes: 30 people, names in both scripts. The
 * Ben Salah family is what the searches look for. */
typedef struct
{
  const char *given_name;
  const char *family_name;
  const char *given_name_ar;
  const char *family_name_ar;
} Person;

static const Person people[] = {
  { "Mohamed", "Ben Salah", "محمد", "بن صالح" },
  { "Amira", "Trabelsi", "أميرة", "الطرابلسي" },
  { "Youssef", "Gharbi", "يوسف", "الغربي" },
  { "Fatma", "Jlassi", "فاطمة", "الجلاصي" },
  { "Sami", "Bouazizi", "سامي", "البوعزيزي" },
  { "Leila", "Mansouri", "ليلى", "المنصوري" },
  { "Karim", "Ben Salah", "كريم", "بن صالح" },
  { "Ines", "Hammami", "إيناس", "الحمامي" },
  { "Anis", "Chebbi", "أنيس", "الشابي" },
  { "Sonia", "Zouari", "سنية", "الزواري" },
  { "Walid", "Khelifi", "وليد", "الخليفي" },
  { "Rim", "Ayari", "ريم", "العياري" },
  { "Hatem", "Dridi", "حاتم", "الدريدي" },
  { "Nadia", "Ferchichi", "نادية", "الفرشيشي" },
  { "Bilel", "Saidi", "بلال", "السعيدي" },
  { "Olfa", "Ben Salah", "ألفة", "بن صالح" },
  { "Hichem", "Mejri", "هشام", "الماجري" },
  { "Asma", "Jaziri", "أسماء", "الجزيري" },
  { "Mehdi", "Rezgui", "مهدي", "الرزقي" },
  { "Salma", "Hamdi", "سلمى", "الحامدي" },
  { "Nabil", "Toumi", "نبيل", "التومي" },
  { "Houda", "Sassi", "هدى", "الساسي" },
  { "Riadh", "Mabrouk", "رياض", "مبروك" },
  { "Wafa", "Kefi", "وفاء", "الكافي" },
  { "Zied", "Nasri", "زياد", "الناصري" },
  { "Hela", "Belhadj", "هالة", "بلحاج" },
  { "Fethi", "Abidi", "فتحي", "العبيدي" },
  { "Marwa", "Guesmi", "مروى", "القاسمي" },
  { "Slim", "Oueslati", "سليم", "الوسلاتي" },
  { "Imen", "Baccouche", "إيمان", "بكوش" },
};

static const char * const stages[] = {
  "reception", "assessment", "plan", "implementation", "monitoring", "closed",
};

static const char * const case_governorates[] = {
  "TN-11", "TN-61", "TN-51", "TN-81", "TN-31",
};

#define N_PEOPLE G_N_ELEMENTS (people)

/* A cell's text, as the list shows it in a left-to-right interface: a
 * LEFT-TO-RIGHT MARK first aligns it to the left whatever its script. */
#define CELL(text) "\u200E" text

/* The stage of the i-th case: five cases at each stage, and the three
 * Ben Salah at reception (0 and 6) and implementation (15). */
static const char *
stage_of (guint i)
{
  return stages[i % G_N_ELEMENTS (stages)];
}

typedef struct
{
  char            *folder;
  char            *path;
  AwdaStore       *store;
  AwdaApplication *application;
} Fixture;

static void
add_case (AwdaStore    *store,
          const Person *person,
          const char   *status,
          const char   *governorate,
          const char   *opened_on)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, "given_name", person->given_name);
  awda_edit_set (edit, "family_name", person->family_name);
  awda_edit_set (edit, "given_name_ar", person->given_name_ar);
  awda_edit_set (edit, "family_name_ar", person->family_name_ar);
  awda_edit_set (edit, "status", status);
  awda_edit_set (edit, "governorate", governorate);
  awda_edit_set (edit, "opened_on", opened_on);
  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint n_applications;
  g_autofree char *application_id = NULL;
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("awda-test-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "awda.db", NULL);

  fixture->store = awda_store_create (fixture->path, "Bureau régional de Sfax",
                                      "regional", "TN-61", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autofree char *opened_on = g_strdup_printf ("2025-%02u-%02u", 1 + i % 12, 1 + i);

      add_case (fixture->store, &people[i], stage_of (i),
                case_governorates[i % G_N_ELEMENTS (case_governorates)], opened_on);
    }

  /* An id of its own for each test: a registered application stays
   * exported on the bus until its shutdown, at the end of
   * g_application_run(), which tests do not reach. */
  application_id = g_strdup_printf ("%s.Test%u", APP_ID, ++n_applications);
  fixture->application = g_object_new (AWDA_TYPE_APPLICATION,
                                       "application-id", application_id,
                                       "resource-base-path", "/org/awda/Awda",
                                       NULL);
  g_application_register (G_APPLICATION (fixture->application), NULL, &error);
  g_assert_no_error (error);
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

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_folder (path);
      else
        g_unlink (path);
    }
  g_rmdir (folder);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  /* Not checked: GtkApplication's startup gives a reference to its
   * platform part, which only its shutdown takes back. */
  g_object_unref (fixture->application);
  remove_folder (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
}

/* Waiting, with a deadline, so that a test fails rather than hangs. */

static gboolean
on_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

/* Iterates the main context until @model emitted items-changed once,
 * then a little more, to see that it was only once. */
static void
wait_for_items_changed (AwdaCaseListModel *model)
{
  gboolean late = FALSE;
  guint count = 0;
  gulong handler;
  guint deadline;

  handler = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &count);
  deadline = g_timeout_add_seconds (20, on_deadline_cb, &late);

  while (count == 0 && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);

  /* Nothing else is on its way: one query, one change. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count, ==, 1);
  g_assert_false (awda_case_list_model_get_loading (model));

  g_signal_handler_disconnect (model, handler);
}

static void
on_loading_changed_cb (AwdaCaseListModel *model,
                       GParamSpec        *pspec,
                       gboolean          *loaded)
{
  *loaded = !awda_case_list_model_get_loading (model);
}

/* For a query that may have ended already. */
static void
wait_until_loaded (AwdaCaseListModel *model)
{
  gboolean loaded = !awda_case_list_model_get_loading (model);
  gboolean late = FALSE;
  gulong handler;
  guint deadline;

  handler = g_signal_connect (model, "notify::loading", G_CALLBACK (on_loading_changed_cb), &loaded);
  deadline = g_timeout_add_seconds (20, on_deadline_cb, &late);
  while (!loaded && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);
  g_signal_handler_disconnect (model, handler);
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
}

static gpointer
window_child (AwdaWindow *window,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), AWDA_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static AwdaWindow *
open_window (Fixture *fixture)
{
  AwdaWindow *window = awda_window_new (GTK_APPLICATION (fixture->application), fixture->store);

  /* A reference of the test's own, to see the window finalized. */
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));

  wait_for_items_changed (awda_window_get_case_list_model (window));
  wait_for_draw (GTK_WIDGET (window));

  return window;
}

static void
close_window (AwdaWindow *window)
{
  AwdaCaseListModel *model = g_object_ref (awda_window_get_case_list_model (window));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);
  g_assert_finalize_object (model);
}

/* Every text shown by the inscriptions of the list's cells. */
static void
collect_cell_texts (GtkWidget  *widget,
                    GHashTable *texts)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget))
    {
      const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

      if (text != NULL)
        g_hash_table_add (texts, g_strdup (text));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cell_texts (child, texts);
}

static GHashTable *
shown_texts (AwdaWindow *window)
{
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  collect_cell_texts (window_child (window, "column_view"), texts);
  return texts;
}

static char *
full_name (const Person *person)
{
  return g_strconcat (person->given_name, " ", person->family_name, NULL);
}

static char *
full_name_ar (const Person *person)
{
  return g_strconcat (person->given_name_ar, " ", person->family_name_ar, NULL);
}

static char *
cell_text (const char *text)
{
  return g_strconcat (CELL (""), text, NULL);
}

/* The names of the cases the model lists, in order. */
static GPtrArray *
listed_names (AwdaCaseListModel *model)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_ptr_array_add (names, g_strdup (awda_case_item_get_name (item)));
    }

  return names;
}

static void
set_search (AwdaWindow *window,
            const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (window_child (window, "search_entry")), text);
  wait_for_items_changed (awda_window_get_case_list_model (window));
  wait_for_draw (GTK_WIDGET (window));
}

static void
set_stage (AwdaWindow *window,
           const char *status)
{
  GtkDropDown *dropdown = window_child (window, "status_dropdown");
  AwdaChoiceList *choices = AWDA_CHOICE_LIST (gtk_drop_down_get_model (dropdown));
  guint position = awda_choice_list_find (choices, status);

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (dropdown, position);
  wait_for_items_changed (awda_window_get_case_list_model (window));
  wait_for_draw (GTK_WIDGET (window));
}

static const char *
count_text (AwdaWindow *window)
{
  return gtk_label_get_text (window_child (window, "count_label"));
}

static void
test_window_lists_all (Fixture       *fixture,
                       gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  GtkColumnView *view = window_child (window, "column_view");
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) texts = NULL;
  g_autoptr(AwdaCaseItem) newest = NULL;
  g_autofree char *newest_name = full_name (&people[N_PEOPLE - 1]);
  g_autofree char *newest_name_ar = full_name_ar (&people[N_PEOPLE - 1]);
  g_autofree char *newest_name_cell = cell_text (newest_name);
  g_autofree char *newest_name_ar_cell = cell_text (newest_name_ar);

  /* Every case, the newest first. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PEOPLE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), ==, N_PEOPLE);
  names = listed_names (model);
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autofree char *expected = full_name (&people[N_PEOPLE - 1 - i]);

      g_assert_cmpstr (g_ptr_array_index (names, i), ==, expected);
    }
  g_assert_cmpstr (count_text (window), ==, "30 cases");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "list");

  /* The first row reads as the user sees it: both scripts, the
   * governorate's and the stage's names, the date. */
  newest = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (awda_case_item_get_name_ar (newest), ==, newest_name_ar);
  g_assert_cmpstr (awda_case_item_get_name_label (newest), ==, newest_name_cell);
  g_assert_cmpstr (awda_case_item_get_name_ar_label (newest), ==, newest_name_ar_cell);
  g_assert_cmpstr (awda_case_item_get_status (newest), ==, stage_of (N_PEOPLE - 1));
  g_assert_cmpstr (awda_case_item_get_status_label (newest), ==, CELL ("Closed"));
  g_assert_cmpstr (awda_case_item_get_governorate (newest), ==, "TN-31");
  g_assert_cmpstr (awda_case_item_get_governorate_label (newest), ==, CELL ("Béja"));
  g_assert_cmpstr (awda_case_item_get_opened_on (newest), ==, "2025-06-30");
  /* The C locale's dates are ISO 8601 (its own %x has a two-digit year). */
  g_assert_cmpstr (awda_case_item_get_opened_on_label (newest), ==, CELL ("2025-06-30"));

  texts = shown_texts (window);
  g_assert_true (g_hash_table_contains (texts, newest_name_cell));
  g_assert_true (g_hash_table_contains (texts, newest_name_ar_cell));
  g_assert_true (g_hash_table_contains (texts, CELL ("Béja")));
  g_assert_true (g_hash_table_contains (texts, CELL ("Closed")));
  g_assert_true (g_hash_table_contains (texts, CELL ("2025-06-30")));

  close_window (window);
}

static void
assert_all_ben_salah (AwdaCaseListModel *model,
                      guint              expected)
{
  g_autoptr(GPtrArray) names = listed_names (model);

  g_assert_cmpuint (names->len, ==, expected);
  for (guint i = 0; i < names->len; i++)
    g_assert_true (g_str_has_suffix (g_ptr_array_index (names, i), " Ben Salah"));
}

static void
test_window_search (Fixture       *fixture,
                    gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  g_autoptr(GHashTable) texts = NULL;
  g_autoptr(GPtrArray) names = NULL;

  /* A prefix of a family name, in the Latin script… */
  set_search (window, "ben sal");
  assert_all_ben_salah (model, 3);
  g_assert_cmpstr (count_text (window), ==, "3 cases");
  texts = shown_texts (window);
  g_assert_true (g_hash_table_contains (texts, CELL ("Olfa Ben Salah")));
  g_assert_true (g_hash_table_contains (texts, CELL ("Karim Ben Salah")));
  g_assert_true (g_hash_table_contains (texts, CELL ("Mohamed Ben Salah")));
  g_assert_false (g_hash_table_contains (texts, CELL ("Amira Trabelsi")));
  g_clear_pointer (&texts, g_hash_table_unref);

  /* …and in the Arabic script, typed without its hamza. */
  set_search (window, "صالح");
  assert_all_ben_salah (model, 3);
  set_search (window, "اميرة");
  names = listed_names (model);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Amira Trabelsi");
  g_assert_cmpstr (count_text (window), ==, "1 case");

  /* Nothing matches: the empty state says so. */
  set_search (window, "Zzyzx");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpstr (count_text (window), ==, "0 cases");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "empty");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "empty_title")), ==, "No Matching Cases");

  /* Emptied, the search lists everything again. */
  set_search (window, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PEOPLE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "list");

  close_window (window);
}

static void
test_window_stage (Fixture       *fixture,
                   gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  GtkDropDown *dropdown = window_child (window, "status_dropdown");
  GListModel *choices = gtk_drop_down_get_model (dropdown);
  g_autoptr(GtkStringObject) all = NULL;
  g_autoptr(GtkStringObject) plan = NULL;

  /* "All stages", then the stages in their order, by their names. */
  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 1 + G_N_ELEMENTS (stages));
  all = g_list_model_get_item (choices, 0);
  g_assert_cmpstr (gtk_string_object_get_string (all), ==, "All stages");
  plan = g_list_model_get_item (choices, 3);
  g_assert_cmpstr (gtk_string_object_get_string (plan), ==, "Plan");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);

  set_stage (window, "closed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpstr (awda_case_item_get_status (item), ==, "closed");
    }
  g_assert_cmpstr (count_text (window), ==, "5 cases");

  /* The stage and the search combine. */
  set_search (window, "Ben Salah");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "empty");
  set_stage (window, "reception");
  assert_all_ben_salah (model, 2);
  set_stage (window, "implementation");
  assert_all_ben_salah (model, 1);

  /* Back to every stage. */
  gtk_drop_down_set_selected (dropdown, 0);
  wait_for_items_changed (model);
  assert_all_ben_salah (model, 3);

  close_window (window);
}

static void
test_window_actions (Fixture       *fixture,
                     gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  GtkWidget *entry = window_child (window, "search_entry");
  GtkWidget *focus;

  gtk_widget_grab_focus (window_child (window, "column_view"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  /* The shortcuts the application sets. */
  g_assert_cmpstr (gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->application),
                                                          "win.focus-search")[0], ==, "<Control>f");

  /* app.quit closes every window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.quit", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fixture->application)));
  g_assert_finalize_object (window);
}

/* The rows are read a page at a time, and only a few pages are kept. */
static void
test_model_pages (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(AwdaCaseListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  AwdaCaseQuery query = { .sort = AWDA_CASE_SORT_NEWEST };
  guint n;

  awda_demo_generate (fixture->store, 1700, 7, NULL, NULL, &error);
  g_assert_no_error (error);
  rowids = awda_store_query_cases (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, N_PEOPLE + 1700);

  model = awda_case_list_model_new (fixture->store);
  wait_for_items_changed (model);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, rowids->len);
  g_assert_cmpuint (awda_case_list_model_get_n_cached_pages (model), ==, 1);

  /* In the query's order, however the list is read. */
  for (guint i = 0; i < n; i++)
    {
      guint position = (i * 7919) % n;
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

      g_assert_cmpint (awda_case_item_get_rowid (item), ==, g_array_index (rowids, gint64, position));
      g_assert_cmpuint (awda_case_list_model_get_n_cached_pages (model), <=, 16);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));

  /* A newer query overtakes an older one: only its result is shown, in
   * one change. */
  awda_case_list_model_set_search (model, "ben");
  awda_case_list_model_set_status (model, "closed");
  wait_for_items_changed (model);
  query.search = "ben";
  query.status = "closed";
  g_clear_pointer (&rowids, g_array_unref);
  rowids = awda_store_query_cases (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, rowids->len);
  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpint (awda_case_item_get_rowid (item), ==, g_array_index (rowids, gint64, i));
      g_assert_cmpstr (awda_case_item_get_status (item), ==, "closed");
    }

  g_assert_finalize_object (g_steal_pointer (&model));
}

static AwdaFirstRunDialog *
find_first_run_dialog (GtkApplication *application)
{
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (AWDA_IS_FIRST_RUN_DIALOG (l->data))
      return l->data;
  return NULL;
}

static gpointer
dialog_child (AwdaFirstRunDialog *dialog,
              const char         *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), AWDA_TYPE_FIRST_RUN_DIALOG, name);

  g_assert_nonnull (child);
  return child;
}

/* No database yet: the application asks for the office, creates the
 * database and opens the window on it. */
static void
test_first_run (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "new", "awda.db", NULL);
  AwdaFirstRunDialog *dialog;
  GtkDropDown *governorates;
  AwdaWindow *window;
  AwdaStore *store;
  const AwdaSite *site;
  guint position;

  awda_application_set_database_path (fixture->application, path);
  g_application_activate (G_APPLICATION (fixture->application));

  dialog = find_first_run_dialog (GTK_APPLICATION (fixture->application));
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  g_assert_cmpstr (awda_first_run_dialog_get_path (dialog), ==, path);

  /* Nothing to create until the office has a name and a governorate. */
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "create_button")));
  gtk_editable_set_text (dialog_child (dialog, "name_entry"), "  Bureau régional de Gabès ");
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "create_button")));
  governorates = dialog_child (dialog, "governorate_dropdown");
  position = awda_choice_list_find (AWDA_CHOICE_LIST (gtk_drop_down_get_model (governorates)), "TN-81");
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (governorates, position);
  g_assert_true (gtk_widget_get_sensitive (dialog_child (dialog, "create_button")));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "first-run.create", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The dialog made way for the window, on the new database. */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_finalize_object (dialog);
  window = AWDA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->application)));
  g_assert_true (AWDA_IS_WINDOW (window));
  store = awda_window_get_store (window);
  g_assert_true (store == awda_application_get_store (fixture->application));
  site = awda_store_get_site (store);
  g_assert_cmpstr (site->name, ==, "Bureau régional de Gabès");
  g_assert_cmpstr (site->kind, ==, "regional");
  g_assert_cmpstr (site->governorate, ==, "TN-81");

  g_object_ref (window);
  wait_until_loaded (awda_window_get_case_list_model (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (awda_window_get_case_list_model (window))), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "empty");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "empty_title")), ==, "No Cases Yet");
  close_window (window);
}

/* Cancel creates nothing, and leaves the application with no window. */
static void
test_first_run_cancel (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "new", "awda.db", NULL);
  AwdaFirstRunDialog *dialog;

  awda_application_set_database_path (fixture->application, path);
  g_application_activate (G_APPLICATION (fixture->application));
  dialog = g_object_ref (find_first_run_dialog (GTK_APPLICATION (fixture->application)));

  gtk_editable_set_text (dialog_child (dialog, "name_entry"), "Bureau");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_finalize_object (dialog);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fixture->application)));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (awda_application_get_store (fixture->application));
}

/* A file that is not a database: a dialog says so, and the file is left
 * as it was. */
static void
test_open_error (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char garbage[] = "These are not the cases you are looking for.\n";
  g_autofree char *path = g_build_filename (fixture->folder, "notes.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GList *windows;
  gsize length;

  g_file_set_contents (path, garbage, -1, &error);
  g_assert_no_error (error);

  awda_application_set_database_path (fixture->application, path);
  g_application_activate (G_APPLICATION (fixture->application));

  windows = gtk_application_get_windows (GTK_APPLICATION (fixture->application));
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  g_assert_true (AWDA_IS_OPEN_ERROR_DIALOG (windows->data));
  g_assert_null (awda_application_get_store (fixture->application));

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, garbage);

  gtk_window_destroy (GTK_WINDOW (windows->data));
}

/* Every cell of a column aligns to the interface's side, whatever the
 * script of its text. */
static void
test_format_cell_text (void)
{
  g_autofree char *ltr = NULL;
  g_autofree char *rtl = NULL;
  g_autofree char *empty = NULL;

  ltr = awda_format_cell_text ("بن صالح");
  g_assert_cmpstr (ltr, ==, "\u200E" "بن صالح");

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  rtl = awda_format_cell_text ("Ben Salah");
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  g_assert_cmpstr (rtl, ==, "\u200F" "Ben Salah");

  empty = awda_format_cell_text (NULL);
  g_assert_cmpstr (empty, ==, "");
}

/* Dates follow the locale, with the year in full. */
static void
test_format_date (void)
{
  static const struct
  {
    const char *locale;
    const char *expected;
  } cases[] = {
    { "C.UTF-8", "2025-06-30" },
    { "fr_FR.UTF-8", "30/06/2025" },
    { "ar_TN.UTF-8", NULL },  /* its own form, with the year in full */
  };
  g_autofree char *saved = g_strdup (setlocale (LC_TIME, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date = NULL;
      g_autofree char *unset = NULL;
      g_autofree char *invalid = NULL;

      if (setlocale (LC_TIME, cases[i].locale) == NULL)
        {
          g_test_message ("The locale %s is not installed (Debian: locale-gen): not checked.",
                          cases[i].locale);
          continue;
        }

      date = awda_format_date ("2025-06-30");
      if (cases[i].expected != NULL)
        g_assert_cmpstr (date, ==, cases[i].expected);
      else
        g_assert_nonnull (strstr (date, "2025"));

      unset = awda_format_date (NULL);
      g_assert_cmpstr (unset, ==, "");
      /* Not a date: shown as it is, rather than hidden. */
      invalid = awda_format_date ("2025-02-30");
      g_assert_cmpstr (invalid, ==, "2025-02-30");
    }

  setlocale (LC_TIME, saved);
}

/* The renderer is the user's to choose: GSK_RENDERER or GDK_DEBUG, when
 * set, are left alone. */
static void
test_renderer_override (void)
{
  g_autofree char *saved_renderer = g_strdup (g_getenv ("GSK_RENDERER"));
  g_autofree char *saved_debug = g_strdup (g_getenv ("GDK_DEBUG"));

  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_unsetenv ("GDK_DEBUG");
  awda_application_choose_renderer ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
  g_assert_null (g_getenv ("GDK_DEBUG"));

  g_unsetenv ("GSK_RENDERER");
  g_setenv ("GDK_DEBUG", "interactive", TRUE);
  awda_application_choose_renderer ();
  g_assert_null (g_getenv ("GSK_RENDERER"));
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "interactive");

  if (saved_renderer != NULL)
    g_setenv ("GSK_RENDERER", saved_renderer, TRUE);
  else
    g_unsetenv ("GSK_RENDERER");
  if (saved_debug != NULL)
    g_setenv ("GDK_DEBUG", saved_debug, TRUE);
  else
    g_unsetenv ("GDK_DEBUG");
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
  GTestDBus *bus;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int status;

  /* The system's MIME database, which the isolated folders would hide:
   * GdkPixbuf needs it to recognize the icons' SVG. */
  g_content_type_set_mime_dirs (NULL);

  /* Not gtk_test_init(): in GTK 4.8 it drops G_TEST_OPTION_ISOLATE_DIRS,
   * and aborts when there is no display. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* A session bus of our own for the application, whatever the machine
   * has, and accessibility that needs no bus. GTestDBus unsets DISPLAY
   * (for dbus-launch): the tests need it back. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/no-display", test_no_display);
      status = g_test_run ();
      g_test_dbus_down (bus);
      g_object_unref (bus);
      return status;
    }

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/ui/format/cell-text", test_format_cell_text);
  g_test_add_func ("/ui/format/date", test_format_date);
  ADD ("/ui/window/lists-all", test_window_lists_all);
  ADD ("/ui/window/search", test_window_search);
  ADD ("/ui/window/stage", test_window_stage);
  ADD ("/ui/window/actions", test_window_actions);
  ADD ("/ui/model/pages", test_model_pages);
  ADD ("/ui/application/first-run", test_first_run);
  ADD ("/ui/application/first-run-cancel", test_first_run_cancel);
  ADD ("/ui/application/open-error", test_open_error);
  g_test_add_func ("/ui/application/renderer-override", test_renderer_override);

#undef ADD

  status = g_test_run ();
  /* Stopped, and not taken down (nor unreferenced, which would take it
   * down): that waits for the connection to the bus to go, and the
   * applications' outlives the tests (see fixture_tear_down()). */
  g_test_dbus_stop (bus);
  return status;
}

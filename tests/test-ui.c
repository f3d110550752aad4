/* test-ui.c: the window opens, lists the cases, and searches and filters them
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a display: meson runs it under tools/with-display (Xvfb when there
 * is none); without one every test is skipped. GSettings: the memory
 * backend (GSETTINGS_BACKEND=memory), shared by the whole process, with
 * our schema from GSETTINGS_SCHEMA_DIR; each test starts from the defaults.
 */

#define G_LOG_DOMAIN "awda-test-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdarg.h>
#include <string.h>

#include "awda-application.h"
#include "awda-store-private.h"
#include "awda-case-editor.h"
#include "awda-case-item.h"
#include "awda-case-list-model.h"
#include "awda-choice-list.h"
#include "awda-conflicts-dialog.h"
#include "awda-demo.h"
#include "awda-field-editor.h"
#include "awda-first-run-dialog.h"
#include "awda-format.h"
#include "awda-open-error-dialog.h"
#include "awda-opening-window.h"
#include "awda-reception-dialog.h"
#include "awda-store.h"
#include "awda-sync.h"
#include "awda-today-view.h"
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

/* The other criteria of the i-th case, for the filters: two programmes
 * and two caseworkers, vulnerabilities, and follow-ups overdue, done or
 * to come. */
#define HAS_PROGRAMME(i, p)   ((i) % 3 == (p))        /* p: 0 or 1; none when i % 3 == 2 */
#define HAS_CASEWORKER(i, w)  ((i) % 2 == (w))
#define HAS_MEDICAL(i)        ((i) % 4 == 0)
#define HAS_DEBT(i)           ((i) % 5 == 0)
#define HAS_OVERDUE(i)        ((i) % 7 == 0)

typedef struct
{
  char            *folder;
  char            *path;
  AwdaStore       *store;
  AwdaApplication *application;
  char            *programmes[2];
  char            *caseworkers[2];
  char            *case_ids[30];
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

static char *
add_case (Fixture    *fixture,
          guint       i,
          const char *opened_on)
{
  const Person *person = &people[i];
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, "given_name", person->given_name);
  awda_edit_set (edit, "family_name", person->family_name);
  awda_edit_set (edit, "given_name_ar", person->given_name_ar);
  awda_edit_set (edit, "family_name_ar", person->family_name_ar);
  awda_edit_set (edit, "status", stage_of (i));
  awda_edit_set (edit, "governorate", case_governorates[i % G_N_ELEMENTS (case_governorates)]);
  awda_edit_set (edit, "opened_on", opened_on);
  for (guint p = 0; p < 2; p++)
    if (HAS_PROGRAMME (i, p))
      awda_edit_set (edit, "return_programme", fixture->programmes[p]);
  awda_edit_set (edit, "caseworker", fixture->caseworkers[HAS_CASEWORKER (i, 0) ? 0 : 1]);
  awda_edit_set (edit, "consent_given_on", "2025-01-01");
  awda_edit_set (edit, "consent_scope", "referral");
  if (HAS_MEDICAL (i))
    awda_edit_set (edit, "vuln_medical", "true");
  if (HAS_DEBT (i))
    awda_edit_set (edit, "vuln_debt", "true");
  awda_store_apply (fixture->store, edit, &error);
  g_assert_no_error (error);

  return g_strdup (awda_edit_get_record (edit));
}

/* Every key of our schema back to its default: the memory backend lives
 * as long as the process. */
static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
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

  fixture->programmes[0] = add_record (fixture->store, "programme",
                                       "name", "OFII — Aide à la réinsertion", "currency", "EUR", NULL);
  fixture->programmes[1] = add_record (fixture->store, "programme",
                                       "name", "GIZ — Programme Retour", "currency", "TND", NULL);
  fixture->caseworkers[0] = add_record (fixture->store, "staff", "name", "Sarra Ghanmi", NULL);
  fixture->caseworkers[1] = add_record (fixture->store, "staff", "name", "Lotfi Amri", NULL);

  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autofree char *opened_on = g_strdup_printf ("2025-%02u-%02u", 1 + i % 12, 1 + i);
      g_autofree char *follow_up = NULL;

      fixture->case_ids[i] = add_case (fixture, i, opened_on);

      /* One follow-up overdue for some; done, or to come, for others. */
      if (HAS_OVERDUE (i))
        follow_up = add_record (fixture->store, "follow_up", "case_id", fixture->case_ids[i],
                                "scheduled_on", "2020-01-15", NULL);
      else if (i % 7 == 1)
        follow_up = add_record (fixture->store, "follow_up", "case_id", fixture->case_ids[i],
                                "scheduled_on", "2020-01-15", "done_on", "2020-01-16", NULL);
      else if (i % 7 == 2)
        follow_up = add_record (fixture->store, "follow_up", "case_id", fixture->case_ids[i],
                                "scheduled_on", "2099-01-15", NULL);
    }

  reset_settings ();

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
  for (guint i = 0; i < 2; i++)
    {
      g_free (fixture->programmes[i]);
      g_free (fixture->caseworkers[i]);
    }
  for (guint i = 0; i < N_PEOPLE; i++)
    g_free (fixture->case_ids[i]);
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

static GtkInscription *
find_cell_in (GtkWidget  *widget,
              const char *text)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return GTK_INSCRIPTION (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkInscription *found = find_cell_in (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The cell of the list that shows @text. */
static GtkInscription *
find_cell (AwdaWindow *window,
           const char *text)
{
  GtkInscription *cell = find_cell_in (window_child (window, "column_view"), text);

  g_assert_nonnull (cell);
  return cell;
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
  GtkInscription *cell;

  /* The row widgets stay: the cell that showed the newest case shows the
   * newest match (GTK 4.8 would make every row again for new items). */
  cell = find_cell (window, CELL ("Imen Baccouche"));
  g_object_add_weak_pointer (G_OBJECT (cell), (gpointer *) &cell);

  /* A prefix of a family name, in the Latin script… */
  set_search (window, "ben sal");
  g_assert_nonnull (cell);
  g_assert_cmpstr (gtk_inscription_get_text (cell), ==, CELL ("Olfa Ben Salah"));
  g_object_remove_weak_pointer (G_OBJECT (cell), (gpointer *) &cell);
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

/* When nothing matches, the list view stays behind the empty page with
 * its rows, and takes them back when cases match again. */
static void
test_window_empty_keeps_rows (Fixture       *fixture,
                              gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  GtkColumnView *view = window_child (window, "column_view");
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (view));
  GtkInscription *cell;

  cell = find_cell (window, CELL ("Imen Baccouche"));
  g_object_add_weak_pointer (G_OBJECT (cell), (gpointer *) &cell);

  set_search (window, "Zzyzx");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpstr (count_text (window), ==, "0 cases");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "empty");
  /* Hidden, the view still has the items it showed. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, N_PEOPLE);
  g_assert_nonnull (cell);

  /* Still nothing: nothing changes. */
  set_search (window, "Zzyzxq");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, N_PEOPLE);

  /* Cases again: the same row shows the newest match. */
  set_search (window, "ben sal");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);
  g_assert_nonnull (cell);
  g_assert_cmpstr (gtk_inscription_get_text (cell), ==, CELL ("Olfa Ben Salah"));
  g_object_remove_weak_pointer (G_OBJECT (cell), (gpointer *) &cell);
  assert_all_ben_salah (model, 3);

  set_search (window, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, N_PEOPLE);
  g_assert_nonnull (find_cell (window, CELL ("Imen Baccouche")));

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

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_change_recorded_cb (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

/* The rows are read a page at a time, and only a few pages are kept. A
 * long list comes in two steps: its first rows at once, then the rest
 * appended, the rows in view left as they are. */
static void
test_model_pages (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(AwdaCaseListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  AwdaCaseQuery query = { .sort = AWDA_CASE_SORT_NEWEST };
  g_autoptr(AwdaCaseItem) first = NULL;
  g_autoptr(AwdaCaseItem) first_again = NULL;
  Change *change;
  guint n;

  awda_demo_generate (fixture->store, 1700, 7, NULL, NULL, &error);
  g_assert_no_error (error);
  rowids = awda_store_query_cases (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, N_PEOPLE + 1700);

  model = awda_case_list_model_new (fixture->store);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_change_recorded_cb), changes);
  g_assert_true (awda_case_list_model_get_loading (model));
  wait_until_loaded (model);

  g_assert_cmpuint (changes->len, ==, 2);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 0);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, AWDA_CASE_LIST_FIRST_ROWS);
  change = &g_array_index (changes, Change, 1);
  g_assert_cmpuint (change->position, ==, AWDA_CASE_LIST_FIRST_ROWS);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, rowids->len - AWDA_CASE_LIST_FIRST_ROWS);
  g_assert_true (awda_case_list_model_get_complete (model));

  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, rowids->len);
  /* The first rows came with the query: two pages. */
  g_assert_cmpuint (awda_case_list_model_get_n_cached_pages (model), ==,
                    AWDA_CASE_LIST_FIRST_ROWS / AWDA_CASE_LIST_PAGE_SIZE);

  /* In the query's order, however the list is read. */
  for (guint i = 0; i < n; i++)
    {
      guint position = (i * 7919) % n;
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

      g_assert_cmpint (awda_case_item_get_rowid (item), ==, g_array_index (rowids, gint64, position));
      g_assert_cmpuint (awda_case_list_model_get_n_cached_pages (model), <=, 16);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));

  /* A row further down is read off the main loop: it knows its rowid at
   * once, and its case a moment later, in place. */
  {
    g_autoptr(GPtrArray) expected = NULL;
    g_autoptr(AwdaCaseItem) far = NULL;
    gint64 rowid = g_array_index (rowids, gint64, n - 1);
    gboolean late = FALSE;
    gboolean changed = FALSE;
    guint deadline;

    far = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
    g_assert_cmpint (awda_case_item_get_rowid (far), ==, rowid);
    if (awda_case_item_get_id (far) == NULL)
      {
        g_signal_connect_swapped (far, "changed", G_CALLBACK (on_deadline_cb), &changed);
        deadline = g_timeout_add_seconds (20, on_deadline_cb, &late);
        while (!changed && !late)
          g_main_context_iteration (NULL, TRUE);
        g_assert_false (late);
        g_source_remove (deadline);
        g_signal_handlers_disconnect_by_data (far, &changed);
      }
    expected = awda_store_fetch_cases (fixture->store, &rowid, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (awda_case_item_get_id (far), ==, ((AwdaRecord *) g_ptr_array_index (expected, 0))->id);
    g_assert_cmpint (awda_case_item_get_rowid (far), ==, rowid);
  }

  /* A case changed in the editor is read again, where it is, in one
   * change of one row. */
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  {
    g_autoptr(AwdaEdit) edit = awda_edit_new ("case", awda_case_item_get_id (first));

    awda_edit_set (edit, "family_name", "Renamed");
    awda_store_apply (fixture->store, edit, &error);
    g_assert_no_error (error);
  }
  g_array_set_size (changes, 0);
  awda_case_list_model_reload_case (model, awda_case_item_get_id (first));
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 0);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 1);
  first_again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (g_str_has_suffix (awda_case_item_get_name (first_again), " Renamed"));

  /* A newer query overtakes an older one: only its result is shown. */
  g_array_set_size (changes, 0);
  awda_case_list_model_set_search (model, "ben");
  awda_case_list_model_set_status (model, "closed");
  wait_until_loaded (model);
  g_assert_cmpuint (changes->len, >=, 1);
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

  g_signal_handlers_disconnect_by_data (model, changes);
  g_assert_finalize_object (g_steal_pointer (&model));
}

/* The model's list and the store's, for the model's criteria. */
static void
assert_model_lists (AwdaCaseListModel   *model,
                    const AwdaCaseQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;

  rowids = awda_store_query_cases (awda_case_list_model_get_store (model), query, &error);
  g_assert_no_error (error);
  g_assert_true (awda_case_list_model_get_complete (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, rowids->len);
  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpint (awda_case_item_get_rowid (item), ==, g_array_index (rowids, gint64, i));
    }
}

/* Sets the criteria of @query (a search, a stage and a vulnerability) on
 * @model, and waits until its list is whole: the store's list. */
static void
narrow_to (AwdaCaseListModel   *model,
           const AwdaCaseQuery *query)
{
  awda_case_list_model_set_search (model, query->search);
  awda_case_list_model_set_status (model, query->status);
  awda_case_list_model_set_vulnerability (model, query->vulnerability);
  wait_until_loaded (model);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  assert_model_lists (model, query);
}

/* A query that narrows the last ones (a filter added, a word typed
 * further) races one narrowing their known list; whichever ends first,
 * the list is the store's. Narrowing an empty list asks nothing. A list
 * read before the cases changed never answers. */
static void
test_model_narrowed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(AwdaCaseListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  AwdaCaseQuery query = { .sort = AWDA_CASE_SORT_NEWEST };
  g_autofree char *bz = NULL;

  awda_demo_generate (fixture->store, 1700, 7, NULL, NULL, &error);
  g_assert_no_error (error);
  model = awda_case_list_model_new (fixture->store);
  wait_until_loaded (model);

  query.status = "plan";
  narrow_to (model, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), >, AWDA_CASE_LIST_FIRST_ROWS);
  query.search = "b";
  narrow_to (model, &query);
  query.search = "be";
  narrow_to (model, &query);
  query.vulnerability = "vuln_medical";
  narrow_to (model, &query);

  /* Broadened back: another list known answers. */
  query.search = "b";
  query.vulnerability = NULL;
  narrow_to (model, &query);
  query.status = NULL;
  narrow_to (model, &query);
  query.status = "closed";
  narrow_to (model, &query);

  /* Nothing matches; a word more is nothing at once, in the first turn
   * of the main loop, no thread asked. */
  query.search = "bzq";
  narrow_to (model, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  awda_case_list_model_set_search (model, "bzqx");
  g_assert_true (awda_case_list_model_get_loading (model));
  g_main_context_iteration (NULL, FALSE);
  g_assert_false (awda_case_list_model_get_loading (model));
  g_assert_true (awda_case_list_model_get_complete (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  /* A case written since: the lists read before no longer answer. */
  bz = add_record (fixture->store, "case", "given_name", "Bzqxa", "family_name", "Nouveau",
                   "status", "closed", NULL);
  query.search = "bzqxa";
  narrow_to (model, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  query.search = "b";
  narrow_to (model, &query);
  {
    g_autoptr(AwdaCaseItem) newest = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_cmpstr (awda_case_item_get_id (newest), ==, bz);
  }

  g_assert_finalize_object (g_steal_pointer (&model));
}

/* Filters, order and what the window remembers */

typedef gboolean (*Keep) (guint i);

/* The list holds the cases @keep keeps, newest first, and no other. */
static void
assert_listed (AwdaCaseListModel *model,
               Keep               keep)
{
  g_autoptr(GPtrArray) names = listed_names (model);
  guint n = 0;

  for (guint k = 0; k < N_PEOPLE; k++)
    {
      guint i = N_PEOPLE - 1 - k;
      g_autofree char *expected = NULL;

      if (!keep (i))
        continue;
      expected = full_name (&people[i]);
      g_assert_cmpuint (n, <, names->len);
      g_assert_cmpstr (g_ptr_array_index (names, n), ==, expected);
      n++;
    }
  g_assert_cmpuint (names->len, ==, n);
}

static gboolean keep_all (guint i) { return TRUE; }
static gboolean keep_sfax (guint i) { return g_str_equal (case_governorates[i % G_N_ELEMENTS (case_governorates)], "TN-61"); }
static gboolean keep_giz (guint i) { return HAS_PROGRAMME (i, 1); }
static gboolean keep_sarra (guint i) { return HAS_CASEWORKER (i, 0); }
static gboolean keep_medical (guint i) { return HAS_MEDICAL (i); }
static gboolean keep_debt (guint i) { return HAS_DEBT (i); }
static gboolean keep_overdue (guint i) { return HAS_OVERDUE (i); }
static gboolean keep_plan (guint i) { return g_str_equal (stage_of (i), "plan"); }

static guint
find_label (GtkDropDown *dropdown,
            const char  *label)
{
  GListModel *items = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        return i;
    }
  g_assert_not_reached ();
}

/* Picks @label in one of the filter drop-downs, as a user would. */
static void
choose_filter (AwdaWindow *window,
               const char *dropdown,
               const char *label)
{
  GtkDropDown *widget = window_child (window, dropdown);

  gtk_drop_down_set_selected (widget, find_label (widget, label));
  wait_for_items_changed (awda_window_get_case_list_model (window));
  wait_for_draw (GTK_WIDGET (window));
}

static void
set_overdue (AwdaWindow *window,
             gboolean    overdue)
{
  gtk_check_button_set_active (window_child (window, "overdue_check"), overdue);
  wait_for_items_changed (awda_window_get_case_list_model (window));
}

static const char *
filter_label (AwdaWindow *window)
{
  return gtk_menu_button_get_label (window_child (window, "filter_button"));
}

static void
test_window_filters (Fixture       *fixture,
                     gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  g_autoptr(GPtrArray) names = NULL;

  g_assert_cmpstr (filter_label (window), ==, "_Filters");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clear-filters"));

  /* Each filter alone. */
  choose_filter (window, "governorate_dropdown", "Sfax");
  assert_listed (model, keep_sfax);
  g_assert_cmpstr (filter_label (window), ==, "_Filters (1)");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clear-filters"));
  choose_filter (window, "governorate_dropdown", "All governorates");
  assert_listed (model, keep_all);

  choose_filter (window, "programme_dropdown", "GIZ — Programme Retour");
  assert_listed (model, keep_giz);
  choose_filter (window, "programme_dropdown", "All programmes");

  choose_filter (window, "caseworker_dropdown", "Sarra Ghanmi");
  assert_listed (model, keep_sarra);
  choose_filter (window, "caseworker_dropdown", "All caseworkers");

  /* The vulnerabilities by their names in the dictionary. */
  choose_filter (window, "vulnerability_dropdown", "Medical needs");
  assert_listed (model, keep_medical);
  choose_filter (window, "vulnerability_dropdown", "Debt");
  assert_listed (model, keep_debt);
  choose_filter (window, "vulnerability_dropdown", "Any or none");

  set_overdue (window, TRUE);
  assert_listed (model, keep_overdue);
  g_assert_cmpstr (count_text (window), ==, "5 cases");
  set_overdue (window, FALSE);

  set_stage (window, "plan");
  assert_listed (model, keep_plan);
  set_stage (window, NULL);
  assert_listed (model, keep_all);
  g_assert_cmpstr (filter_label (window), ==, "_Filters");

  /* Combined with the search, each filter narrows it further. */
  set_search (window, "ben salah");
  assert_all_ben_salah (model, 3);
  choose_filter (window, "programme_dropdown", "OFII — Aide à la réinsertion");
  assert_all_ben_salah (model, 3);
  choose_filter (window, "caseworker_dropdown", "Sarra Ghanmi");
  assert_all_ben_salah (model, 2);
  set_overdue (window, TRUE);
  names = listed_names (model);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Mohamed Ben Salah");
  choose_filter (window, "vulnerability_dropdown", "Medical needs");
  assert_all_ben_salah (model, 1);
  g_assert_cmpstr (filter_label (window), ==, "_Filters (4)");

  /* Nothing left: the empty state offers to clear the filters. */
  set_stage (window, "plan");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "stack")), ==, "empty");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "empty_title")), ==, "No Matching Cases");
  g_assert_true (gtk_widget_get_visible (window_child (window, "empty_clear_button")));

  /* Clearing them keeps the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL));
  wait_for_items_changed (model);
  assert_all_ben_salah (model, 3);
  g_assert_cmpstr (filter_label (window), ==, "_Filters");
  g_assert_cmpuint (gtk_drop_down_get_selected (window_child (window, "programme_dropdown")), ==, 0);
  g_assert_false (gtk_check_button_get_active (window_child (window, "overdue_check")));

  close_window (window);
}

/* The family names of the list, in order. */
static GPtrArray *
listed_family_names (AwdaCaseListModel *model)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      const char *name = awda_case_item_get_name (item);

      for (guint k = 0; k < N_PEOPLE; k++)
        if (g_str_has_prefix (name, people[k].given_name)
            && g_str_has_suffix (name, people[k].family_name))
          g_ptr_array_add (names, (gpointer) people[k].family_name);
    }
  g_assert_cmpuint (names->len, ==, g_list_model_get_n_items (G_LIST_MODEL (model)));

  return names;
}

static guint
stage_index (const char *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    if (g_strcmp0 (stages[i], status) == 0)
      return i;
  g_assert_not_reached ();
}

/* Each item's @getter value compared with the next one's, in order. */
static void
assert_sorted_by (AwdaCaseListModel *model,
                  const char *(*getter) (AwdaCaseItem *),
                  gboolean           ascending)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(AwdaCaseItem) a = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
      g_autoptr(AwdaCaseItem) b = g_list_model_get_item (G_LIST_MODEL (model), i);
      int order = strcmp (getter (a), getter (b));

      if (ascending)
        g_assert_cmpint (order, <=, 0);
      else
        g_assert_cmpint (order, >=, 0);
    }
}

static void
sort_by_header (AwdaWindow  *window,
                const char  *column,
                GtkSortType  direction)
{
  gtk_column_view_sort_by_column (window_child (window, "column_view"), window_child (window, column), direction);
  wait_for_items_changed (awda_window_get_case_list_model (window));
  wait_for_draw (GTK_WIDGET (window));
}

static char *
action_state (AwdaWindow *window,
              const char *action)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);

  return g_variant_is_of_type (state, G_VARIANT_TYPE_STRING)
         ? g_variant_dup_string (state, NULL)
         : g_strdup (g_variant_get_boolean (state) ? "true" : "false");
}

static void
test_window_sort (Fixture       *fixture,
                  gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  GtkColumnView *view = window_child (window, "column_view");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) families = NULL;
  g_autofree char *state = NULL;
  g_autofree char *sort_column = NULL;
  g_autoptr(AwdaCaseItem) first = NULL;
  g_autoptr(AwdaCaseItem) last = NULL;

  /* A click on the Name header: A to Z, in SQL. */
  sort_by_header (window, "name_column", GTK_SORT_ASCENDING);
  g_assert_cmpint (awda_case_list_model_get_sort (model), ==, AWDA_CASE_SORT_NAME);
  g_assert_false (awda_case_list_model_get_sort_reversed (model));
  families = listed_family_names (model);
  g_assert_cmpuint (families->len, ==, N_PEOPLE);
  g_assert_cmpstr (g_ptr_array_index (families, 0), ==, "Abidi");
  g_assert_cmpstr (g_ptr_array_index (families, 1), ==, "Ayari");
  g_assert_cmpstr (g_ptr_array_index (families, N_PEOPLE - 1), ==, "Zouari");
  for (guint i = 1; i < families->len; i++)
    g_assert_cmpint (strcmp (g_ptr_array_index (families, i - 1), g_ptr_array_index (families, i)), <=, 0);
  state = action_state (window, "sort-column");
  g_assert_cmpstr (state, ==, "name");
  sort_column = g_settings_get_string (settings, "sort-column");
  g_assert_cmpstr (sort_column, ==, "name");
  g_assert_false (g_settings_get_boolean (settings, "sort-reversed"));

  /* Again: Z to A. */
  sort_by_header (window, "name_column", GTK_SORT_DESCENDING);
  g_assert_true (awda_case_list_model_get_sort_reversed (model));
  g_clear_pointer (&families, g_ptr_array_unref);
  families = listed_family_names (model);
  g_assert_cmpstr (g_ptr_array_index (families, 0), ==, "Zouari");
  g_assert_cmpstr (g_ptr_array_index (families, N_PEOPLE - 1), ==, "Abidi");
  g_assert_true (g_settings_get_boolean (settings, "sort-reversed"));

  /* The stage, in the order of the stages. */
  sort_by_header (window, "status_column", GTK_SORT_ASCENDING);
  g_assert_cmpint (awda_case_list_model_get_sort (model), ==, AWDA_CASE_SORT_STATUS);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  last = g_list_model_get_item (G_LIST_MODEL (model), N_PEOPLE - 1);
  g_assert_cmpstr (awda_case_item_get_status (first), ==, "reception");
  g_assert_cmpstr (awda_case_item_get_status (last), ==, "closed");
  for (guint i = 1; i < N_PEOPLE; i++)
    {
      g_autoptr(AwdaCaseItem) a = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
      g_autoptr(AwdaCaseItem) b = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpuint (stage_index (awda_case_item_get_status (a)), <=,
                        stage_index (awda_case_item_get_status (b)));
    }

  /* The opening date: up is the oldest first, as in every column. */
  sort_by_header (window, "opened_on_column", GTK_SORT_ASCENDING);
  g_assert_cmpint (awda_case_list_model_get_sort (model), ==, AWDA_CASE_SORT_OPENED);
  assert_sorted_by (model, awda_case_item_get_opened_on, TRUE);
  sort_by_header (window, "opened_on_column", GTK_SORT_DESCENDING);
  assert_sorted_by (model, awda_case_item_get_opened_on, FALSE);

  /* From the Sort menu, for the keyboard: the header follows. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "sort-reversed", g_variant_new_boolean (FALSE));
  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-column", g_variant_new_string ("governorate"));
  wait_for_items_changed (model);
  g_assert_cmpint (awda_case_list_model_get_sort (model), ==, AWDA_CASE_SORT_GOVERNORATE);
  assert_sorted_by (model, awda_case_item_get_governorate, TRUE);
  g_assert_cmpint (gtk_sorter_get_order (gtk_column_view_get_sorter (view)), !=, GTK_SORTER_ORDER_NONE);

  /* Newest first again: no header sorts. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-column", g_variant_new_string ("newest"));
  wait_for_items_changed (model);
  g_assert_cmpint (gtk_sorter_get_order (gtk_column_view_get_sorter (view)), ==, GTK_SORTER_ORDER_NONE);
  assert_listed (model, keep_all);

  close_window (window);
}

static gboolean keep_giz_overdue (guint i) { return HAS_PROGRAMME (i, 1) && HAS_OVERDUE (i); }

/* The filters and the order outlive the window; the search does not. */
static void
test_window_remembered (Fixture       *fixture,
                        gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model;
  g_autoptr(GPtrArray) names = NULL;
  GtkDropDown *programmes;

  choose_filter (window, "programme_dropdown", "GIZ — Programme Retour");
  set_overdue (window, TRUE);
  sort_by_header (window, "name_column", GTK_SORT_DESCENDING);
  set_search (window, "Jaziri");
  close_window (window);

  window = open_window (fixture);
  model = awda_window_get_case_list_model (window);
  g_assert_cmpstr (awda_case_list_model_get_programme (model), ==, fixture->programmes[1]);
  g_assert_true (awda_case_list_model_get_overdue (model));
  g_assert_cmpint (awda_case_list_model_get_sort (model), ==, AWDA_CASE_SORT_NAME);
  g_assert_true (awda_case_list_model_get_sort_reversed (model));
  g_assert_null (awda_case_list_model_get_search (model));
  g_assert_cmpstr (gtk_editable_get_text (window_child (window, "search_entry")), ==, "");
  programmes = window_child (window, "programme_dropdown");
  g_assert_cmpuint (gtk_drop_down_get_selected (programmes), ==, find_label (programmes, "GIZ — Programme Retour"));
  g_assert_true (gtk_check_button_get_active (window_child (window, "overdue_check")));
  g_assert_cmpstr (filter_label (window), ==, "_Filters (2)");

  /* GIZ and overdue: the 7th and the 28th person, Z to A. */
  g_assert_true (keep_giz_overdue (7) && keep_giz_overdue (28));
  names = listed_names (model);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Slim Oueslati");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "Ines Hammami");

  close_window (window);
}

/* Closes @window as Ctrl+W does, and waits for it to go. */
static void
close_window_as_user (AwdaWindow *window)
{
  AwdaCaseListModel *model = g_object_ref (awda_window_get_case_list_model (window));

  gtk_window_close (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);
  g_assert_finalize_object (model);
}

static void
test_window_size (Fixture       *fixture,
                  gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  wait_for_draw (GTK_WIDGET (window));
  close_window_as_user (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = open_window (fixture);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  close_window (window);
}

static GtkWindow *
find_window (GtkApplication *application,
             GType           type)
{
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

static void
assert_case_shown (AwdaWindow *window,
                   const char *case_id)
{
  GtkWidget *editor = awda_window_get_case_editor (window);

  g_assert_cmpstr (awda_window_get_case_id (window), ==, case_id);
  g_assert_nonnull (editor);
  g_assert_cmpstr (awda_case_editor_get_case_id (AWDA_CASE_EDITOR (editor)), ==, case_id);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "view_stack")), ==, "case");
  g_assert_true (gtk_widget_get_visible (window_child (window, "back_button")));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "back"));
}

static void
go_back (AwdaWindow *window,
         const char *page)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_null (awda_window_get_case_id (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "view_stack")), ==, "main");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "main_stack")), ==, page);
  g_assert_false (gtk_widget_get_visible (window_child (window, "back_button")));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo"));
}

/* A row activated (Enter, double click), or a row of Today, opens its case
 * in the window; Back returns where it came from. */
static void
test_window_open_case (Fixture       *fixture,
                       gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), N_PEOPLE - 1 - 4);
  GtkWidget *focus;

  g_assert_cmpstr (awda_case_item_get_id (item), ==, fixture->case_ids[4]);
  g_signal_emit_by_name (window_child (window, "column_view"), "activate", N_PEOPLE - 1 - 4);
  wait_for_draw (GTK_WIDGET (window));
  assert_case_shown (window, fixture->case_ids[4]);
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "case_title_label")), ==, "Sami Bouazizi");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "title_stack")), ==, "case");
  go_back (window, "cases");

  /* From Today. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-today", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "main_stack")), ==, "today");
  g_signal_emit_by_name (window_child (window, "today_view"), "open-case", fixture->case_ids[7]);
  wait_for_draw (GTK_WIDGET (window));
  assert_case_shown (window, fixture->case_ids[7]);
  go_back (window, "today");

  /* Ctrl+F from a case goes back to the list, in the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s", fixture->case_ids[9]));
  assert_case_shown (window, fixture->case_ids[9]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL));
  g_assert_null (awda_window_get_case_id (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "main_stack")), ==, "cases");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus == window_child (window, "search_entry")
                 || gtk_widget_is_ancestor (focus, window_child (window, "search_entry")));

  close_window (window);
}

/* The field editor of the open case's @field. */
static AwdaFieldEditor *
case_field_editor (AwdaWindow *window,
                   const char *name)
{
  GtkWidget *editor = awda_window_get_case_editor (window);
  AwdaFieldEditor *found = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, editor);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (AWDA_IS_FIELD_EDITOR (widget)
          && g_strcmp0 (awda_field_editor_get_entity_name (AWDA_FIELD_EDITOR (widget)), "case") == 0
          && g_strcmp0 (awda_field_editor_get_field_name (AWDA_FIELD_EDITOR (widget)), name) == 0)
        {
          g_assert_null (found);
          found = AWDA_FIELD_EDITOR (widget);
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_nonnull (found);
  return found;
}

static void
type_into (AwdaFieldEditor *editor,
           const char      *text)
{
  GtkWidget *control = awda_field_editor_get_control (editor);

  g_assert_true (GTK_IS_EDITABLE (control));
  gtk_editable_set_text (GTK_EDITABLE (control), text);
  g_assert_true (awda_field_editor_has_pending (editor));
}

static char *
stored_field (Fixture    *fixture,
              guint       i,
              const char *field)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = awda_store_get_record (fixture->store, "case", fixture->case_ids[i], &error);
  g_assert_no_error (error);
  return g_strdup (awda_record_get (record, field));
}

/* What is typed and not committed yet is saved when the case is left and
 * when the window closes; a refused value keeps the window open. */
static void
test_window_keeps_typing (Fixture       *fixture,
                          gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  g_autofree char *birth = NULL;

  g_assert_true (awda_window_open_case (window, fixture->case_ids[2]));
  wait_for_draw (GTK_WIDGET (window));
  type_into (case_field_editor (window, "family_name"), "Gharbi-Mansour");
  go_back (window, "cases");
  family = stored_field (fixture, 2, "family_name");
  g_assert_cmpstr (family, ==, "Gharbi-Mansour");

  /* A refused date: the window stays, on the case. */
  g_assert_true (awda_window_open_case (window, fixture->case_ids[2]));
  wait_for_draw (GTK_WIDGET (window));
  type_into (case_field_editor (window, "birth_date"), "31/02/1990");
  gtk_window_close (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  assert_case_shown (window, fixture->case_ids[2]);
  birth = stored_field (fixture, 2, "birth_date");
  g_assert_null (birth);

  /* Put right, and closing writes what was typed. */
  type_into (case_field_editor (window, "birth_date"), "1990-02-28");
  type_into (case_field_editor (window, "given_name"), "Youssef Ali");
  close_window_as_user (window);
  given = stored_field (fixture, 2, "given_name");
  g_assert_cmpstr (given, ==, "Youssef Ali");
  g_clear_pointer (&birth, g_free);
  birth = stored_field (fixture, 2, "birth_date");
  g_assert_cmpstr (birth, ==, "1990-02-28");
}

/* Ctrl+Z undoes the open case's last change, wherever the focus is. */
static void
test_window_undo (Fixture       *fixture,
                  gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaFieldEditor *editor;
  g_autoptr(GError) error = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *undone = NULL;

  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo"));
  g_assert_true (awda_window_open_case (window, fixture->case_ids[5]));
  wait_for_draw (GTK_WIDGET (window));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo"));

  editor = case_field_editor (window, "family_name");
  type_into (editor, "Mansouri-Kefi");
  g_assert_true (awda_field_editor_commit (editor, &error));
  g_assert_no_error (error);
  changed = stored_field (fixture, 5, "family_name");
  g_assert_cmpstr (changed, ==, "Mansouri-Kefi");

  gtk_widget_grab_focus (window_child (window, "back_button"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_draw (GTK_WIDGET (window));
  undone = stored_field (fixture, 5, "family_name");
  g_assert_cmpstr (undone, ==, "Mansouri");

  close_window (window);
}

/* Ctrl+N: the reception dialog, over the window; the case it creates
 * opens, and appears in the list. */
static void
test_window_new_case (Fixture       *fixture,
                      gconstpointer  data)
{
  AwdaWindow *window = open_window (fixture);
  AwdaCaseListModel *model = awda_window_get_case_list_model (window);
  GtkApplication *application = GTK_APPLICATION (fixture->application);
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaCaseItem) newest = NULL;
  GtkWindow *dialog;
  const char *case_id;

  g_assert_cmpstr (gtk_application_get_accels_for_action (application, "win.new-case")[0], ==, "<Control>n");
  g_assert_null (find_window (application, AWDA_TYPE_RECEPTION_DIALOG));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-case", NULL));
  dialog = find_window (application, AWDA_TYPE_RECEPTION_DIALOG);
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (dialog));

  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), AWDA_TYPE_RECEPTION_DIALOG,
                                                                      "given_name_entry")), "Rania");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), AWDA_TYPE_RECEPTION_DIALOG,
                                                                      "family_name_entry")), "Ben Amor");
  g_assert_true (awda_reception_dialog_create (AWDA_RECEPTION_DIALOG (dialog), &error));
  g_assert_no_error (error);
  wait_for_items_changed (model);
  g_assert_finalize_object (dialog);

  case_id = awda_window_get_case_id (window);
  g_assert_nonnull (case_id);
  assert_case_shown (window, case_id);
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "case_title_label")), ==, "Rania Ben Amor");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PEOPLE + 1);
  newest = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (awda_case_item_get_id (newest), ==, case_id);

  /* An existing case chosen in reception opens instead. */
  dialog = awda_window_new_case (window);
  g_object_ref (dialog);
  g_signal_emit_by_name (dialog, "open-case", fixture->case_ids[11]);
  assert_case_shown (window, fixture->case_ids[11]);
  gtk_window_destroy (dialog);
  g_assert_finalize_object (dialog);

  close_window (window);
}

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

/* Whether @model, or one of its sections, has an item for @action. */
static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

/* A conflict a sync kept, resolved from the window's menu: the open case
 * shows the value chosen. */
static void
test_window_conflicts (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *tunis_path = g_build_filename (fixture->folder, "tunis.db", NULL);
  g_autofree char *there = g_build_filename (fixture->folder, "there.awda", NULL);
  g_autofree char *back = g_build_filename (fixture->folder, "back.awda", NULL);
  g_autofree char *kept = NULL;
  g_autofree char *given = NULL;
  g_autoptr(AwdaStore) tunis = NULL;
  g_autoptr(AwdaSyncExport) exported = NULL;
  g_autoptr(AwdaSyncExport) returned = NULL;
  g_autoptr(AwdaSyncImport) imported = NULL;
  g_autoptr(AwdaSyncImport) received = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sfax_name = NULL;
  g_autofree char *tunis_name = NULL;
  AwdaSyncConflict *conflict;
  AwdaWindow *window;
  GtkWindow *dialog;
  gint64 id;

  tunis = awda_store_create (tunis_path, "Siège de Tunis", "central", NULL, &error);
  g_assert_no_error (error);
  exported = awda_sync_export (fixture->store, NULL, there, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  imported = awda_sync_import (tunis, there, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The same name, changed at both ends before either hears of the other. */
  sfax_name = g_strdup ("Samia");
  tunis_name = g_strdup ("Sameh");
  {
    g_autoptr(AwdaEdit) edit = awda_edit_new ("case", fixture->case_ids[3]);

    awda_edit_set (edit, "given_name", sfax_name);
    g_assert_true (awda_store_apply (fixture->store, edit, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(AwdaEdit) edit = awda_edit_new ("case", fixture->case_ids[3]);

    awda_edit_set (edit, "given_name", tunis_name);
    g_assert_true (awda_store_apply (tunis, edit, &error));
    g_assert_no_error (error);
  }
  returned = awda_sync_export (tunis, NULL, back, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  received = awda_sync_import (fixture->store, back, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (received->conflicts, ==, 1);
  conflicts = awda_sync_list_conflicts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  id = conflict->id;
  kept = g_strdup (conflict->kept_value);

  window = open_window (fixture);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (window_child (window, "menu_button")),
                                  "win.show-conflicts"));
  g_assert_true (awda_window_open_case (window, fixture->case_ids[3]));
  wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (awda_field_editor_get_value (case_field_editor (window, "given_name")), ==,
                   conflict->current_value);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-conflicts", NULL));
  dialog = find_window (GTK_APPLICATION (fixture->application), AWDA_TYPE_CONFLICTS_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_cmpuint (awda_conflicts_dialog_get_n_conflicts (AWDA_CONFLICTS_DIALOG (dialog)), ==, 1);

  g_assert_true (awda_conflicts_dialog_resolve (AWDA_CONFLICTS_DIALOG (dialog), id,
                                                AWDA_SYNC_KEEP_OTHER, NULL, &error));
  g_assert_no_error (error);
  given = stored_field (fixture, 3, "given_name");
  g_assert_cmpstr (given, ==, kept);
  g_assert_true (awda_conflicts_dialog_is_empty (AWDA_CONFLICTS_DIALOG (dialog)));

  /* The open case shows it, title and field. */
  g_assert_cmpstr (awda_field_editor_get_value (case_field_editor (window, "given_name")), ==, kept);
  g_assert_nonnull (strstr (gtk_label_get_text (window_child (window, "case_title_label")), kept));

  gtk_window_destroy (dialog);
  close_window (window);
}

/* Every shortcut is in the shortcuts window, itself Ctrl+?; icon-only
 * buttons and the filters have names for screen readers. */
static void
test_window_shortcuts (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct
  {
    const char *action;
    const char *accel;
  } accels[] = {
    { "app.quit", "<Control>q" },
    { "win.close", "<Control>w" },
    { "win.focus-search", "<Control>f" },
    { "win.new-case", "<Control>n" },
    { "win.back", "<Alt>Left" },
    { "win.show-cases", "<Alt>1" },
    { "win.show-today", "<Alt>2" },
    { "win.show-help-overlay", "<Control>question" },
  };
  static const char * const icon_buttons[] = {
    "back_button", "new_case_button", "menu_button", "sort_button",
  };
  static const char * const dropdowns[] = {
    "status_dropdown", "governorate_dropdown", "programme_dropdown",
    "caseworker_dropdown", "vulnerability_dropdown",
  };
  AwdaWindow *window = open_window (fixture);
  GtkShortcutsWindow *overlay;

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      g_auto(GStrv) set = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->application),
                                                                 accels[i].action);

      g_assert_nonnull (set[0]);
      g_assert_cmpstr (set[0], ==, accels[i].accel);
    }

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_object_add_weak_pointer (G_OBJECT (overlay), (gpointer *) &overlay);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);

  /* Ctrl+Z reaches the open case from anywhere in the window, after the
   * focused widget's own (a text field's undo, the editor's). */
  g_assert_true (has_shortcut (GTK_WIDGET (window), "<Control>z", "win.undo", GTK_PHASE_BUBBLE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s", fixture->case_ids[0]));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo"));

  for (guint i = 0; i < G_N_ELEMENTS (icon_buttons); i++)
    g_assert_true (gtk_test_accessible_has_property (window_child (window, icon_buttons[i]),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL));
  for (guint i = 0; i < G_N_ELEMENTS (dropdowns); i++)
    {
      GtkWidget *dropdown = window_child (window, dropdowns[i]);
      g_autoptr(GList) labels = gtk_widget_list_mnemonic_labels (dropdown);

      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (dropdown),
                                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY));
      g_assert_cmpuint (g_list_length (labels), ==, 1);
      g_assert_true (gtk_label_get_use_underline (labels->data));
    }

  close_window (window);
  g_assert_null (overlay);
}

/* GTK 4.8 does not follow the desktop's dark style alone: the application
 * reads GNOME's colour scheme (no portal on the test bus). */
static void
test_dark_style (Fixture       *fixture,
                 gconstpointer  data)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) interface = NULL;
  gboolean dark;

  if (g_getenv ("GTK_THEME") != NULL)
    {
      g_test_skip ("GTK_THEME is set: it decides the style.");
      return;
    }
  schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "color-scheme"))
    {
      g_test_skip ("org.gnome.desktop.interface color-scheme is not installed (Debian: gsettings-desktop-schemas).");
      return;
    }

  interface = g_settings_new_full (schema, NULL, NULL);
  g_settings_set_string (interface, "color-scheme", "prefer-dark");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_true (dark);

  g_settings_reset (interface, "color-scheme");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_false (dark);
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

/* The application's windows once one of @type is among them: the
 * database opens in a worker thread. */
static GList *
wait_for_window (GtkApplication *application,
                 GType           type)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
        if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
          return gtk_application_get_windows (application);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
on_window_added_cb (GtkApplication *application,
                    GtkWindow      *window,
                    GPtrArray      *types)
{
  g_ptr_array_add (types, (gpointer) G_OBJECT_TYPE_NAME (window));
}

/* An existing database opens in a worker thread; when that takes a while
 * (here at once), a window says so until the main window takes its place.
 * Activated again meanwhile, the application opens it once. */
static void
test_open_slowly (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkApplication *application = GTK_APPLICATION (fixture->application);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  AwdaOpeningWindow *opening;
  AwdaWindow *window;
  GList *windows;

  g_signal_connect (application, "window-added", G_CALLBACK (on_window_added_cb), added);
  awda_application_set_database_path (fixture->application, fixture->path);
  awda_application_set_opening_delay (fixture->application, 0);
  g_application_activate (G_APPLICATION (application));
  g_application_activate (G_APPLICATION (application));

  windows = gtk_application_get_windows (application);
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  g_assert_true (AWDA_IS_OPENING_WINDOW (windows->data));
  opening = g_object_ref (windows->data);
  g_assert_cmpstr (awda_opening_window_get_path (opening), ==, fixture->path);
  g_assert_false (awda_opening_window_get_upgrading (opening));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (opening)));
  /* It cannot be closed: the opening would go on. */
  gtk_window_close (GTK_WINDOW (opening));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (opening)));

  windows = wait_for_window (application, AWDA_TYPE_WINDOW);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (opening);
  windows = gtk_application_get_windows (application);
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  window = g_object_ref (windows->data);
  g_assert_cmpstr (awda_store_get_path (awda_window_get_store (window)), ==, fixture->path);
  g_assert_true (awda_window_get_store (window) == awda_application_get_store (fixture->application));
  g_assert_cmpuint (added->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (added, 0), ==, "AwdaOpeningWindow");
  g_assert_cmpstr (g_ptr_array_index (added, 1), ==, "AwdaWindow");

  wait_until_loaded (awda_window_get_case_list_model (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (awda_window_get_case_list_model (window))), ==, N_PEOPLE);
  g_signal_handlers_disconnect_by_func (application, on_window_added_cb, added);
  close_window (window);
}

/* A database to bring up to date (here: indexes a bulk load left
 * dropped) says so at once, whatever the delay, and opens when done. */
static void
test_open_upgrading (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkApplication *application = GTK_APPLICATION (fixture->application);
  g_autoptr(GError) error = NULL;
  AwdaOpeningWindow *opening;
  AwdaWindow *window;
  GList *windows;

  g_assert_true (awda_store_begin (fixture->store, &error));
  g_assert_true (awda_store_drop_indexes (fixture->store, "case", &error));
  g_assert_true (awda_store_commit (fixture->store, &error));
  g_assert_no_error (error);

  awda_application_set_database_path (fixture->application, fixture->path);
  awda_application_set_opening_delay (fixture->application, 60000);
  g_application_activate (G_APPLICATION (application));

  windows = gtk_application_get_windows (application);
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  g_assert_true (AWDA_IS_OPENING_WINDOW (windows->data));
  opening = g_object_ref (windows->data);
  g_assert_true (awda_opening_window_get_upgrading (opening));

  window = g_object_ref (wait_for_window (application, AWDA_TYPE_WINDOW)->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (opening);
  /* The indexes were built again (the store's own tests say which). */
  g_assert_false (awda_store_needs_upgrade (fixture->path));
  close_window (window);
}

/* A quick opening goes straight to the main window. */
static void
test_open_quickly (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkApplication *application = GTK_APPLICATION (fixture->application);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  AwdaWindow *window;

  g_signal_connect (application, "window-added", G_CALLBACK (on_window_added_cb), added);
  awda_application_set_database_path (fixture->application, fixture->path);
  awda_application_set_opening_delay (fixture->application, 60000);
  g_application_activate (G_APPLICATION (application));
  g_assert_null (gtk_application_get_windows (application));

  window = g_object_ref (wait_for_window (application, AWDA_TYPE_WINDOW)->data);
  g_assert_cmpuint (added->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (added, 0), ==, "AwdaWindow");
  g_signal_handlers_disconnect_by_func (application, on_window_added_cb, added);
  close_window (window);
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

  windows = wait_for_window (GTK_APPLICATION (fixture->application), AWDA_TYPE_OPEN_ERROR_DIALOG);
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

  /* The schemas are found once a process: before the tests isolate the
   * XDG folders, so that the system's (GNOME's colour scheme) are found
   * beside ours in GSETTINGS_SCHEMA_DIR. */
  g_settings_schema_source_get_default ();

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
  ADD ("/ui/window/empty-keeps-rows", test_window_empty_keeps_rows);
  ADD ("/ui/window/stage", test_window_stage);
  ADD ("/ui/window/actions", test_window_actions);
  ADD ("/ui/window/filters", test_window_filters);
  ADD ("/ui/model/narrowed", test_model_narrowed);
  ADD ("/ui/window/sort", test_window_sort);
  ADD ("/ui/window/remembered", test_window_remembered);
  ADD ("/ui/window/size", test_window_size);
  ADD ("/ui/window/open-case", test_window_open_case);
  ADD ("/ui/window/keeps-typing", test_window_keeps_typing);
  ADD ("/ui/window/undo", test_window_undo);
  ADD ("/ui/window/new-case", test_window_new_case);
  ADD ("/ui/window/conflicts", test_window_conflicts);
  ADD ("/ui/window/shortcuts", test_window_shortcuts);
  ADD ("/ui/application/dark-style", test_dark_style);
  ADD ("/ui/model/pages", test_model_pages);
  ADD ("/ui/application/first-run", test_first_run);
  ADD ("/ui/application/first-run-cancel", test_first_run_cancel);
  ADD ("/ui/application/open-error", test_open_error);
  ADD ("/ui/application/open-slowly", test_open_slowly);
  ADD ("/ui/application/open-quickly", test_open_quickly);
  ADD ("/ui/application/open-upgrading", test_open_upgrading);
  g_test_add_func ("/ui/application/renderer-override", test_renderer_override);

#undef ADD

  status = g_test_run ();
  /* Stopped, and not taken down (nor unreferenced, which would take it
   * down): that waits for the connection to the bus to go, and the
   * applications' outlives the tests (see fixture_tear_down()). */
  g_test_dbus_stop (bus);
  return status;
}

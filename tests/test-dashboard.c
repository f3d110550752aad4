/* test-dashboard.c: the dashboard's figures, filters, charts and exports on a small hand-made store
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a display: meson runs it under tools/with-display (Xvfb when there
 * is none); without one every test is skipped. LC_ALL=C.UTF-8: numbers
 * without grouping, a dot for decimals.
 *
 * The fixture (today 2025-06-15 by the store's clock, so "this year" is
 * 2025):
 *
 * Offices O1 "Bureau de Sfax", O2 "Bureau de Tunis"; programmes P1 "OFII"
 * (EUR), P2 "National" (TND); partner R1 "ANETI".
 *
 * case opened     stage          office prog gov    closed
 * C1   2025-01-10 plan           O1     P1   TN-61
 * C2   2025-02-01 closed         O1     P2   TN-61  2025-05-01
 * C3   2025-03-05 reception      O2     P1   TN-11
 * C4   2025-04-02 assessment     O1     -    TN-51
 * C5   2024-11-20 implementation O2     P1   TN-11
 * C6   2024-03-01 monitoring     O1     P2   TN-61
 *
 * Plan items: C1 approved 2025-01-20 (10 days: within 30) P1 1000 EUR,
 * 600 disbursed 2025-03-01; C3 approved 2025-05-01 (57 days) P2 2000 TND.
 * Referrals: C1 R1 2025-02-01 accepted; C3 R1 2025-03-10 rejected.
 *
 * This year, every office: 4 cases opened (C1–C4), 1 closed (C2), plans
 * within 30 days 1 of 2 (50 %), referrals accepted 1 of 2 answered (50 %),
 * EUR 600.00 disbursed of 1000.00, TND 0.000 of 2000.000.
 * This year, O2: 1 opened (C3), 0 closed, 0 of 1 plans within 30 days.
 * Last year: 2 opened (C5, C6); last year, O2: 1 (C5).
 */

#define G_LOG_DOMAIN "awda-test-dashboard"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "awda-case-sheet.h"
#include "awda-chart-view.h"
#include "awda-dashboard.h"
#include "awda-export.h"
#include "awda-store.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  gint64     now_ms;
  char      *office[2];
  char      *programme[2];
  char      *partner;
  char      *cases[6];
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now_ms;
}

/* Applies FIELD, VALUE pairs to a new record; returns its id. */
static char *
create (AwdaStore  *store,
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
add_case (Fixture    *f,
          const char *opened,
          const char *status,
          int         office,
          int         programme,
          const char *governorate,
          const char *closed)
{
  return create (f->store, "case",
                 "opened_on", opened, "status", status,
                 "owner_office", f->office[office],
                 "return_programme", programme >= 0 ? f->programme[programme] : "",
                 "governorate", governorate,
                 "closed_on", closed ? closed : "",
                 "closure_reason", closed ? "reintegrated" : "",
                 NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_local (2025, 6, 15, 12, 0, 0);

  f->dir = g_dir_make_tmp ("awda-test-dashboard-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->store = awda_store_create (f->path, "Plateforme centrale", "central", "TN-11", &error);
  g_assert_no_error (error);
  f->now_ms = g_date_time_to_unix (today) * 1000;
  awda_store_set_wall_clock (f->store, fake_clock, f);

  f->office[0] = create (f->store, "office", "name", "Bureau de Sfax", "governorate", "TN-61", NULL);
  f->office[1] = create (f->store, "office", "name", "Bureau de Tunis", "governorate", "TN-11", NULL);
  f->programme[0] = create (f->store, "programme", "name", "OFII", "currency", "EUR", NULL);
  f->programme[1] = create (f->store, "programme", "name", "National", "currency", "TND", NULL);
  f->partner = create (f->store, "partner", "name", "ANETI", NULL);

  f->cases[0] = add_case (f, "2025-01-10", "plan", 0, 0, "TN-61", NULL);
  f->cases[1] = add_case (f, "2025-02-01", "closed", 0, 1, "TN-61", "2025-05-01");
  f->cases[2] = add_case (f, "2025-03-05", "reception", 1, 0, "TN-11", NULL);
  f->cases[3] = add_case (f, "2025-04-02", "assessment", 0, -1, "TN-51", NULL);
  f->cases[4] = add_case (f, "2024-11-20", "implementation", 1, 0, "TN-11", NULL);
  f->cases[5] = add_case (f, "2024-03-01", "monitoring", 0, 1, "TN-61", NULL);

  g_free (create (f->store, "plan_item", "case_id", f->cases[0], "dimension", "economic",
                  "kind", "business_creation", "status", "in_progress", "approved_on", "2025-01-20",
                  "programme", f->programme[0], "budget", "1000", "currency", "EUR",
                  "disbursed", "600", "disbursed_on", "2025-03-01", NULL));
  g_free (create (f->store, "plan_item", "case_id", f->cases[2], "dimension", "economic",
                  "kind", "vocational_training", "status", "approved", "approved_on", "2025-05-01",
                  "programme", f->programme[1], "budget", "2000", "currency", "TND", NULL));
  g_free (create (f->store, "referral", "case_id", f->cases[0], "partner", f->partner,
                  "sent_on", "2025-02-01", "status", "accepted", NULL));
  g_free (create (f->store, "referral", "case_id", f->cases[2], "partner", f->partner,
                  "sent_on", "2025-03-10", "status", "rejected", NULL));
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
  for (guint i = 0; i < 2; i++)
    {
      g_free (f->office[i]);
      g_free (f->programme[i]);
    }
  g_free (f->partner);
  for (guint i = 0; i < G_N_ELEMENTS (f->cases); i++)
    g_free (f->cases[i]);
}

/* Waiting, with a deadline, so that a test fails rather than hangs */

static gboolean
on_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition,
            gpointer  data)
{
  gboolean late = FALSE;
  guint deadline = g_timeout_add_seconds (30, on_deadline_cb, &late);

  while (!condition (data) && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);
}

static gboolean
is_computed (gpointer data)
{
  AwdaDashboard *dashboard = data;

  return !awda_dashboard_get_loading (dashboard) && awda_dashboard_get_indicators (dashboard) != NULL;
}

static gboolean
is_idle (gpointer data)
{
  return !awda_dashboard_get_loading (data);
}

/* The filter was changed: the computation starts on the next idle, and
 * the results come back some time after. */
static void
wait_for_results (AwdaDashboard *dashboard)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wait_until (is_computed, dashboard);
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Finding what the user sees */

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
figure_text (AwdaDashboard *dashboard,
             const char    *name)
{
  GtkWidget *label = find_named (GTK_WIDGET (dashboard), name);

  g_assert_nonnull (label);
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_true (gtk_widget_is_visible (label));
  return gtk_label_get_text (GTK_LABEL (label));
}

static GtkWidget *
find_label_with_text (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AwdaChartView *
find_chart (GtkWidget     *widget,
            AwdaChartKind  kind)
{
  if (AWDA_IS_CHART_VIEW (widget) && awda_chart_view_get_kind (AWDA_CHART_VIEW (widget)) == kind)
    return AWDA_CHART_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AwdaChartView *found = find_chart (child, kind);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static double
chart_value (AwdaChart  *chart,
             const char *label_prefix)
{
  g_autofree char *prefix = g_strconcat (label_prefix, " — ", NULL);

  for (guint c = 0; c < awda_chart_get_n_categories (chart); c++)
    {
      g_autofree char *text = awda_chart_describe (chart, c, 0);

      if (g_str_has_prefix (text, prefix))
        return awda_chart_get_value (chart, c, 0);
    }
  return -1;
}

static GtkWidget *
show_dashboard (Fixture        *f,
                AwdaDashboard **dashboard)
{
  GtkWidget *window = gtk_window_new ();

  *dashboard = AWDA_DASHBOARD (awda_dashboard_new (f->store));
  g_object_ref (window);
  g_object_ref (*dashboard);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (*dashboard));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Drops the test's reference and waits for the object to go: a task
 * still running in a worker thread (a computation, a print) holds the
 * dashboard until its result is back in the main loop. */
static void
assert_finalized (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  wait_until (is_null, &weak);
}

static void
close_dashboard (GtkWidget     *window,
                 AwdaDashboard *dashboard)
{
  gtk_window_destroy (GTK_WINDOW (window));
  assert_finalized (window);
  assert_finalized (dashboard);
}

/* Tests */

static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  AwdaDashboard *dashboard;
  GtkWidget *window = show_dashboard (f, &dashboard);
  AwdaChartView *stages, *map;

  /* Shown: this year by the store's clock, computed off the main loop. */
  g_assert_cmpint (awda_dashboard_get_period (dashboard), ==, AWDA_DASHBOARD_PERIOD_THIS_YEAR);
  g_assert_cmpstr (awda_dashboard_get_from (dashboard), ==, "2025-01-01");
  g_assert_cmpstr (awda_dashboard_get_to (dashboard), ==, "2025-12-31");
  wait_for_results (dashboard);

  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "4");
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-closed"), ==, "1");
  g_assert_cmpstr (figure_text (dashboard, "figure-plans-within-30-days"), ==, "50.0 %");
  g_assert_cmpstr (figure_text (dashboard, "figure-referrals-accepted"), ==, "50.0 %");
  g_assert_cmpstr (figure_text (dashboard, "figure-assistance-EUR"), ==, "600.00 EUR");
  g_assert_cmpstr (figure_text (dashboard, "figure-assistance-TND"), ==, "0.000 TND");
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (dashboard), "Of 1000.00 EUR budgeted"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (dashboard), "Of 2 referrals sent"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (dashboard), "2025-01-01 to 2025-12-31 · All offices · All programmes"));

  /* The charts: a bar a stage, a tile a governorate. */
  stages = find_chart (GTK_WIDGET (dashboard), AWDA_CHART_BARS);
  g_assert_nonnull (stages);
  g_assert_cmpfloat (chart_value (awda_chart_view_get_chart (stages), "Plan"), ==, 1);
  g_assert_cmpfloat (chart_value (awda_chart_view_get_chart (stages), "Closed"), ==, 1);
  map = find_chart (GTK_WIDGET (dashboard), AWDA_CHART_MAP);
  g_assert_nonnull (map);
  g_assert_cmpfloat (chart_value (awda_chart_view_get_chart (map), "Sfax"), ==, 2);

  /* Another database, or none: the figures of this one do not linger. */
  awda_dashboard_set_store (dashboard, NULL);
  g_assert_null (awda_dashboard_get_indicators (dashboard));
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "—");
  g_assert_null (find_named (GTK_WIDGET (dashboard), "figure-assistance-EUR"));
  g_assert_null (awda_chart_view_get_chart (stages));

  close_dashboard (window, dashboard);
}

static GtkExpander *
find_expander (GtkWidget  *widget,
               const char *title)
{
  if (GTK_IS_EXPANDER (widget))
    {
      GtkWidget *label = gtk_expander_get_label_widget (GTK_EXPANDER (widget));

      if (GTK_IS_LABEL (label) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), title) == 0)
        return GTK_EXPANDER (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkExpander *found = find_expander (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Numbers in the user's locale: grouped thousands, a decimal comma in
 * French; the tables are made when opened. */
static void
test_locale_numbers (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autofree char *budget = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *within = NULL;
  AwdaDashboard *dashboard;
  GtkWidget *window;
  GtkExpander *expander;

  if (setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("The fr_FR.UTF-8 locale is not installed.");
      return;
    }
  budget = g_strdup_printf ("%'.2f", 1000.0);
  g_assert_true (strchr (budget, ',') != NULL);  /* a decimal comma */
  g_assert_cmpuint (strlen (budget), >, strlen ("1000,00"));  /* and a thousands separator */
  caption = g_strdup_printf ("Of %s EUR budgeted", budget);

  window = show_dashboard (f, &dashboard);
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-plans-within-30-days"), ==, "50,0 %");
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (dashboard), caption));

  expander = find_expander (GTK_WIDGET (dashboard), "Time from reception to an approved plan");
  g_assert_nonnull (expander);
  g_assert_null (gtk_expander_get_child (expander));
  gtk_expander_set_expanded (expander, TRUE);
  g_assert_nonnull (gtk_expander_get_child (expander));
  within = g_strdup_printf ("%'.1f", 10.0);
  g_assert_cmpstr (within, ==, "10,0");
  /* The total row: 4 cases, 2 with a plan, median (10 + 57) / 2. */
  g_assert_nonnull (find_label_with_text (gtk_expander_get_child (expander), "33,5"));
  g_assert_nonnull (find_label_with_text (gtk_expander_get_child (expander), "Total"));

  /* A new computation fills the open table again. */
  awda_dashboard_set_office (dashboard, f->office[1]);
  wait_for_results (dashboard);
  g_assert_nonnull (gtk_expander_get_child (expander));
  g_assert_null (find_label_with_text (gtk_expander_get_child (expander), "33,5"));
  g_assert_nonnull (find_label_with_text (gtk_expander_get_child (expander), "57,0"));

  close_dashboard (window, dashboard);
  setlocale (LC_NUMERIC, saved);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  AwdaDashboard *dashboard;
  GtkWidget *window = show_dashboard (f, &dashboard);

  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "4");

  /* One office: computed again. */
  awda_dashboard_set_office (dashboard, f->office[1]);
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "1");
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-closed"), ==, "0");
  g_assert_cmpstr (figure_text (dashboard, "figure-plans-within-30-days"), ==, "0.0 %");
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (dashboard), "2025-01-01 to 2025-12-31 · Bureau de Tunis · All programmes"));

  /* Last year of that office, then of every office: a change made while
   * the previous one computes cancels it, and only the last shows. */
  awda_dashboard_set_period (dashboard, AWDA_DASHBOARD_PERIOD_LAST_YEAR);
  g_assert_cmpstr (awda_dashboard_get_from (dashboard), ==, "2024-01-01");
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "1");

  awda_dashboard_set_office (dashboard, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  awda_dashboard_set_programme (dashboard, f->programme[1]);
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "1");
  awda_dashboard_set_programme (dashboard, NULL);
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "2");

  /* A period of the user's own, and every date. */
  awda_dashboard_set_range (dashboard, "2025-02-01", "2025-03-31");
  g_assert_cmpint (awda_dashboard_get_period (dashboard), ==, AWDA_DASHBOARD_PERIOD_CUSTOM);
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "2");
  awda_dashboard_set_period (dashboard, AWDA_DASHBOARD_PERIOD_ALL);
  g_assert_null (awda_dashboard_get_from (dashboard));
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "6");

  /* This quarter of 2025-06-15. */
  awda_dashboard_set_period (dashboard, AWDA_DASHBOARD_PERIOD_THIS_QUARTER);
  g_assert_cmpstr (awda_dashboard_get_from (dashboard), ==, "2025-04-01");
  g_assert_cmpstr (awda_dashboard_get_to (dashboard), ==, "2025-06-30");
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "1");

  /* A period that ends before it starts: said, and nothing shown. */
  awda_dashboard_set_range (dashboard, "2025-05-01", "2025-02-01");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wait_until (is_idle, dashboard);
  g_assert_null (awda_dashboard_get_indicators (dashboard));
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "—");
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (dashboard),
                                          "The period from 2025-05-01 to 2025-02-01 ends before it starts."));

  /* New data: the refresh shows it. */
  awda_dashboard_set_period (dashboard, AWDA_DASHBOARD_PERIOD_THIS_QUARTER);
  g_free (add_case (f, "2025-05-20", "reception", 0, -1, "TN-61", NULL));
  awda_dashboard_refresh (dashboard);
  wait_for_results (dashboard);
  g_assert_cmpstr (figure_text (dashboard, "figure-cases-opened"), ==, "2");

  close_dashboard (window, dashboard);
}

/* awda-chart keeps a value left to right in a right-to-left line. */
#define LRM "\u200E"

/* Every distinct tooltip text over the view, on a grid of points. */
static GHashTable *
tooltips (AwdaChartView *view,
          double        *x_of_first,
          double        *y_of_first,
          const char    *first)
{
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (view));
  int height = gtk_widget_get_height (GTK_WIDGET (view));

  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        char *text = awda_chart_view_describe_at (view, x, y);

        if (text == NULL)
          continue;
        if (first != NULL && x_of_first != NULL && g_str_equal (text, first))
          {
            *x_of_first = x;
            *y_of_first = y;
            x_of_first = NULL;
          }
        g_hash_table_add (texts, text);
      }
  return texts;
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static void
test_chart_tooltip (void)
{
  GtkWidget *window = gtk_window_new ();
  AwdaChartView *view = AWDA_CHART_VIEW (awda_chart_view_new (AWDA_CHART_BARS));
  AwdaChart *chart = awda_chart_new (AWDA_CHART_BARS, "Cases by stage");
  g_autoptr(GHashTable) texts = NULL;
  g_autoptr(GHashTable) mirrored = NULL;
  g_autofree char *at = NULL;
  double x = -1, y = -1;
  guint c;

  awda_chart_add_series (chart, "Cases");
  c = awda_chart_add_category (chart, "reception", "Reception");
  awda_chart_set_value (chart, c, 0, 3);
  c = awda_chart_add_category (chart, "closed", "Closed");
  awda_chart_set_value (chart, c, 0, 1);
  awda_chart_view_set_chart (view, chart);

  g_object_ref (window);
  g_object_ref (view);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 200);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_allocated, view);

  /* For assistive technologies: an image that lists its values. */
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Reception — Cases: " LRM "3\nClosed — Cases: " LRM "1");

  /* Over each bar, its label and value; elsewhere, nothing. The short
   * bar of Closed starts after the labels, on the left. */
  texts = tooltips (view, &x, &y, "Closed — Cases: " LRM "1");
  g_assert_cmpuint (g_hash_table_size (texts), ==, 2);
  g_assert_true (g_hash_table_contains (texts, "Reception — Cases: " LRM "3"));
  g_assert_true (g_hash_table_contains (texts, "Closed — Cases: " LRM "1"));
  g_assert_null (awda_chart_view_describe_at (view, 0, 0));
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (view)) / 2.0);
  at = awda_chart_view_describe_at (view, x, y);
  g_assert_cmpstr (at, ==, "Closed — Cases: " LRM "1");
  g_clear_pointer (&at, g_free);

  /* Right to left, the bars grow from the right: the bar is where the
   * mirror puts it, and no longer on the left. */
  gtk_widget_set_direction (GTK_WIDGET (view), GTK_TEXT_DIR_RTL);
  at = awda_chart_view_describe_at (view, gtk_widget_get_width (GTK_WIDGET (view)) - x, y);
  g_assert_cmpstr (at, ==, "Closed — Cases: " LRM "1");
  g_clear_pointer (&at, g_free);
  g_assert_null (awda_chart_view_describe_at (view, x, y));
  mirrored = tooltips (view, NULL, NULL, NULL);
  g_assert_cmpuint (g_hash_table_size (mirrored), ==, 2);

  /* No data: a sentence, and no tooltip. */
  awda_chart_view_set_chart (view, awda_chart_new (AWDA_CHART_BARS, "Empty"));
  g_assert_null (awda_chart_view_describe_at (view, x, y));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No data for this period");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_finalize_object (view);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* The line of a CSV file whose first field is @key. */
static char *
csv_line (const char *text,
          const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_autofree char *prefix = g_strconcat (key, ",", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i]);
  return NULL;
}

static void
test_export_csv (Fixture       *f,
                 gconstpointer  data)
{
  AwdaDashboard *dashboard;
  GtkWidget *window = show_dashboard (f, &dashboard);
  g_autofree char *dir = g_build_filename (f->dir, "tables", NULL);
  g_autofree char *stages_path = g_build_filename (dir, "cases_by_stage.csv", NULL);
  g_autofree char *summary_path = g_build_filename (dir, "summary.csv", NULL);
  g_autofree char *stages = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) folder = NULL;
  guint n_files = 0;

  wait_for_results (dashboard);
  awda_dashboard_set_office (dashboard, f->office[0]);
  wait_for_results (dashboard);

  awda_dashboard_export_csv_async (dashboard, dir, NULL, on_result_cb, &result);
  wait_until (has_result, &result);
  g_assert_true (awda_dashboard_export_csv_finish (dashboard, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);  /* it holds the dashboard */

  /* A file a table, of the filter shown: this year, Sfax. */
  folder = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (folder) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, AWDA_INDICATOR_N_TABLES);

  stages = read_text (stages_path);
  g_assert_true (g_str_has_prefix (stages, "\xEF\xBB\xBF" "key,label,cases,share\r\n"));
  line = csv_line (stages, "plan");
  g_assert_cmpstr (line, ==, "plan,Plan,1,0.3333");
  g_clear_pointer (&line, g_free);
  line = csv_line (stages, "reception");
  g_assert_cmpstr (line, ==, "reception,Reception,0,0.0000");
  g_clear_pointer (&line, g_free);
  line = csv_line (stages, "total");
  g_assert_cmpstr (line, ==, "total,Total,3,1.0000");
  g_clear_pointer (&line, g_free);

  summary = read_text (summary_path);
  line = csv_line (summary, "all");
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "all,All,3,1,"));

  close_dashboard (window, dashboard);
}

static int
pdf_pages (const char *path)
{
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdfinfo", path, NULL };
  const char *pages;
  int status;

  if (pdfinfo == NULL)
    return -1;
  argv[0] = pdfinfo;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &output, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  pages = strstr (output, "Pages:");
  g_assert_nonnull (pages);
  return atoi (pages + strlen ("Pages:"));
}

static void
assert_pdf (const char *path,
            int         mode)
{
  g_autofree char *text = read_text (path);
  struct stat st;

  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, mode);
}

static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  AwdaDashboard *dashboard;
  GtkWidget *window = show_dashboard (f, &dashboard);
  g_autofree char *saved = g_build_filename (f->dir, "report.pdf", NULL);
  g_autofree char *printed = g_build_filename (f->dir, "printed.pdf", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaIndicators) indicators = NULL;
  AwdaIndicatorFilter filter = { "2025-01-01", "2025-12-31", NULL, NULL, "2025-06-15" };
  AwdaReportOptions options = { "Plateforme centrale", "2025-06-15", AWDA_REPORT_DIRECTION_LTR, FALSE };
  AwdaReport *report;
  int pages;
  guint n_pages;

  wait_for_results (dashboard);

  /* Saved: the periodic report of the filter, with the office pages. */
  awda_dashboard_save_report_async (dashboard, saved, NULL, on_result_cb, &result);
  wait_until (has_result, &result);
  g_assert_true (awda_dashboard_save_report_finish (dashboard, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);  /* it holds the dashboard */
  assert_pdf (saved, 0644);

  /* Printed: the same pages through GtkPrintOperation, here to a file. */
  indicators = awda_indicators_compute (f->store, &filter, AWDA_INDICATORS_BY_OFFICE, NULL, &error);
  g_assert_no_error (error);
  report = awda_report_new_periodic (indicators, &options);
  n_pages = awda_report_paginate (report, AWDA_REPORT_A4_WIDTH, AWDA_REPORT_A4_HEIGHT);
  g_assert_cmpuint (n_pages, >, 1);
  g_assert_true (awda_export_print_report (GTK_WINDOW (window), report, NULL, NULL, printed, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (printed, G_FILE_TEST_IS_REGULAR));
  pages = pdf_pages (printed);
  if (pages >= 0)
    {
      g_assert_cmpint (pages, ==, n_pages);
      g_assert_cmpint (pdf_pages (saved), ==, n_pages);
    }

  close_dashboard (window, dashboard);
}

static void
test_case_list_csv (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "cases.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AwdaCaseQuery query = { .programme = f->programme[0], .sort = AWDA_CASE_SORT_OPENED, .limit = 1 };
  struct stat st;

  /* Every case the list's filter selects, whatever the list's limit. */
  awda_export_write_cases_async (f->store, &query, path, NULL, on_result_cb, &result);
  wait_until (has_result, &result);
  g_assert_true (awda_export_write_cases_finish (result, &error));
  g_assert_no_error (error);

  text = read_text (path);
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF" "id,"));
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 + 1);  /* header, C1 C3 C5, the last line's end */
  g_assert_cmpstr (lines[4], ==, "");
  /* Newest opened first: C3, C1, C5. */
  g_assert_true (g_str_has_prefix (lines[1], f->cases[2]));
  g_assert_true (g_str_has_prefix (lines[2], f->cases[0]));
  g_assert_true (g_str_has_prefix (lines[3], f->cases[4]));

  /* Personal data: the user's alone. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_case_sheet (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "sheet.pdf", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.pdf", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  awda_case_sheet_save_pdf_async (f->store, f->cases[0], path, NULL, on_result_cb, &result);
  wait_until (has_result, &result);
  g_assert_true (awda_case_sheet_save_pdf_finish (result, &error));
  g_assert_no_error (error);
  assert_pdf (path, 0600);
  g_clear_object (&result);

  /* A case that is not there: an error, and no file. */
  awda_case_sheet_save_pdf_async (f->store, "00000000000000000000000000000000", missing, NULL,
                                  on_result_cb, &result);
  wait_until (has_result, &result);
  g_assert_false (awda_case_sheet_save_pdf_finish (result, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
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
      g_test_add_func ("/ui/dashboard/no-display", test_no_display);
      return g_test_run ();
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/dashboard/figures", test_figures);
  ADD ("/ui/dashboard/filters", test_filters);
  g_test_add_func ("/ui/dashboard/chart-tooltip", test_chart_tooltip);
  ADD ("/ui/dashboard/locale-numbers", test_locale_numbers);
  ADD ("/ui/dashboard/export-csv", test_export_csv);
  ADD ("/ui/dashboard/report", test_report);
  ADD ("/ui/dashboard/case-list-csv", test_case_list_csv);
  ADD ("/ui/dashboard/case-sheet", test_case_sheet);
#undef ADD

  return g_test_run ();
}

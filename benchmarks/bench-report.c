/* bench-report.c: the dashboard's indicators and the periodic PDF report on a million demo cases
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 5, "Speed", on a demo database of a million cases:
 *
 * (a) the dashboard's indicators for all offices and a year, computed by
 *     awda_indicators_compute() as the window's worker thread calls it;
 *     required: ≤ 500 ms. Two years are measured: the last twelve months
 *     of the data (in the demo, half of all the cases were opened then)
 *     and the calendar year before;
 * (b) the periodic report of that year as a PDF (cover, key figures,
 *     every table and chart, a section per office): its pages laid out,
 *     drawn and written; required: ≤ 1.5 s for a hundred pages.
 *
 * The database is the one the first-frame benchmark uses (made once with
 * the demo, seed 1, and kept), or --database FILE / AWDA_BENCH_DATABASE.
 * The first computation on a database builds the indicators' indexes;
 * it is timed apart and not counted. Times are wall-clock, with the
 * processor time of the whole process beside them.
 *
 * Exits 0 when both requirements hold, 1 when one does not, 2 on error.
 */

#define G_LOG_DOMAIN "awda-bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "awda-demo.h"
#include "awda-indicators.h"
#include "awda-report.h"
#include "awda-store-private.h"

#define DEFAULT_CASES 1000000
#define REQUIRED_DASHBOARD_MS 500.0
#define REQUIRED_REPORT_MS_PER_100_PAGES 1500.0
#define RUNS 7

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
wall_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), (int (*) (const void *, const void *)) compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static gboolean
make_database (const char  *path,
               guint        n_cases,
               GError     **error)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(AwdaStore) store = NULL;
  const char *suffixes[] = { "", "-wal", "-shm" };
  gint64 start = g_get_monotonic_time ();

  printf ("Making %s with %u demo cases (seed 1), once: this takes a while.\n", path, n_cases);
  fflush (stdout);
  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (part, suffixes[i], NULL);
      g_unlink (file);
    }

  store = awda_store_create (part, "Plateforme centrale", "central", "TN-11", error);
  if (store == NULL || !awda_demo_generate (store, n_cases, 1, NULL, NULL, error))
    return FALSE;
  g_clear_object (&store);

  if (g_rename (part, path) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Could not rename %s: %s", part, g_strerror (errno));
      return FALSE;
    }
  printf ("  made in %.0f s\n\n", (g_get_monotonic_time () - start) / 1e6);
  return TRUE;
}

static char *
query_text (AwdaStore  *store,
            const char *sql)
{
  sqlite3_stmt *stmt;
  char *text = NULL;

  if (sqlite3_prepare_v2 (awda_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* Computes @filter RUNS times; returns the median wall time. */
static double
time_indicators (AwdaStore                 *store,
                 const char                *label,
                 const AwdaIndicatorFilter *filter,
                 AwdaIndicatorFlags         flags,
                 GError                   **error)
{
  double walls[RUNS], cpus[RUNS], cases = 0, med;

  for (guint i = 0; i < RUNS; i++)
    {
      double w0 = wall_ms (), c0 = cpu_ms ();
      g_autoptr(AwdaIndicators) ind = awda_indicators_compute (store, filter, flags, NULL, error);

      if (ind == NULL)
        return -1;
      walls[i] = wall_ms () - w0;
      cpus[i] = cpu_ms () - c0;
      cases = awda_indicator_table_get (awda_indicators_get_table (ind, AWDA_INDICATOR_CASES_BY_STAGE),
                                        "total", "cases");
    }

  med = median (walls, RUNS);
  printf ("  %-44s %7.0f cases opened   median %6.1f ms  (min %6.1f, max %6.1f; processor %6.1f ms)\n",
          label, cases, med, walls[0], walls[RUNS - 1], median (cpus, RUNS));
  return med;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(AwdaIndicators) by_office = NULL;
  g_autofree char *database = NULL;
  g_autofree char *last_day = NULL;
  g_autofree char *year_from = NULL;
  g_autofree char *calendar_from = NULL;
  g_autofree char *calendar_to = NULL;
  g_autofree char *office = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *n_cases_text = NULL;
  const char *env_cases = g_getenv ("AWDA_BENCH_CASES");
  gint64 n_cases = env_cases ? g_ascii_strtoll (env_cases, NULL, 10) : DEFAULT_CASES;
  AwdaIndicatorFilter year = { NULL }, calendar = { NULL }, one_office = { NULL };
  AwdaReportOptions options = { "Plateforme centrale", NULL, AWDA_REPORT_DIRECTION_LTR, FALSE };
  double worst = 0, med, w0, c0, compute_ms, render_walls[3], render_cpus[3], per_100;
  guint n_pages = 0;
  int y, m, d;
  gboolean dashboard_met, report_met;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "The demo database (made when missing)", "FILE" },
    { "cases", 'n', 0, G_OPTION_ARG_INT64, &n_cases, "Demo cases when making it (default 1000000, or AWDA_BENCH_CASES)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— the indicators and the PDF report on a large demo database");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  /* As for the first-frame benchmark, the environment names another. */
  if (g_getenv ("AWDA_BENCH_DATABASE") != NULL && *g_getenv ("AWDA_BENCH_DATABASE") != '\0')
    {
      g_free (database);
      database = g_strdup (g_getenv ("AWDA_BENCH_DATABASE"));
    }
  if (database == NULL)
    {
      g_printerr ("Name the demo database with --database FILE or AWDA_BENCH_DATABASE.\n");
      return 2;
    }
  if (n_cases < 1 || n_cases > G_MAXUINT)
    {
      g_printerr ("The number of cases must be positive.\n");
      return 2;
    }

  if (!g_file_test (database, G_FILE_TEST_EXISTS) && !make_database (database, (guint) n_cases, &error))
    goto failed;
  store = awda_store_open (database, &error);
  if (store == NULL)
    goto failed;

  /* A year: the last twelve months of the data, and the calendar year
   * before its last month. */
  last_day = query_text (store, "SELECT max (opened_on) FROM \"case\" WHERE deleted = 0");
  n_cases_text = query_text (store, "SELECT count (*) FROM \"case\" WHERE deleted = 0");
  office = query_text (store, "SELECT owner_office FROM \"case\" WHERE deleted = 0 AND owner_office IS NOT NULL LIMIT 1");
  if (last_day == NULL || !awda_date_parse (last_day, &y, &m, &d))
    {
      g_printerr ("The database %s has no cases.\n", database);
      return 2;
    }
  {
    g_autoptr(GDate) date = g_date_new_dmy (d, m, y);

    g_date_subtract_years (date, 1);
    g_date_add_days (date, 1);
    year_from = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                                 g_date_get_day (date));
  }
  calendar_from = g_strdup_printf ("%04d-01-01", y - 1);
  calendar_to = g_strdup_printf ("%04d-12-31", y - 1);
  year = (AwdaIndicatorFilter) { year_from, last_day, NULL, NULL, last_day };
  calendar = (AwdaIndicatorFilter) { calendar_from, calendar_to, NULL, NULL, last_day };
  one_office = year;
  one_office.office = office;

  printf ("Awda report benchmark: %s cases in %s, SQLite %s, %u processors\n\n",
          n_cases_text, database, sqlite3_libversion (), g_get_num_processors ());

  w0 = wall_ms ();
  {
    g_autoptr(AwdaIndicators) warm = awda_indicators_compute (store, &year, 0, NULL, &error);

    if (warm == NULL)
      goto failed;
  }
  printf ("First computation (builds the indicators' indexes when missing, warms the cache): %.0f ms\n\n",
          wall_ms () - w0);

  printf ("(a) The dashboard's indicators, all offices, a year (%d runs each)\n", RUNS);
  {
    g_autofree char *label = g_strdup_printf ("last 12 months, %s to %s", year_from, last_day);

    if ((med = time_indicators (store, label, &year, 0, &error)) < 0)
      goto failed;
    worst = MAX (worst, med);
  }
  {
    g_autofree char *label = g_strdup_printf ("calendar year %d", y - 1);

    if ((med = time_indicators (store, label, &calendar, 0, &error)) < 0)
      goto failed;
    worst = MAX (worst, med);
  }
  if (office != NULL && time_indicators (store, "one office, last 12 months", &one_office, 0, &error) < 0)
    goto failed;
  dashboard_met = worst <= REQUIRED_DASHBOARD_MS;
  printf ("  DASHBOARD, the slower year:                  %.1f ms   (required ≤ %.0f ms): %s\n\n",
          worst, REQUIRED_DASHBOARD_MS, dashboard_met ? "met" : "NOT MET");

  printf ("(b) The periodic report of the last 12 months as a PDF\n");
  w0 = wall_ms ();
  c0 = cpu_ms ();
  by_office = awda_indicators_compute (store, &year, AWDA_INDICATORS_BY_OFFICE, NULL, &error);
  if (by_office == NULL)
    goto failed;
  compute_ms = wall_ms () - w0;
  printf ("  indicators with every office's:              %.1f ms  (processor %.1f ms), %u offices\n",
          compute_ms, cpu_ms () - c0, awda_indicators_get_n_offices (by_office));

  dir = g_dir_make_tmp ("awda-bench-report-XXXXXX", &error);
  if (dir == NULL)
    goto failed;
  pdf = g_build_filename (dir, "report.pdf", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (render_walls); i++)
    {
      g_autoptr(AwdaReport) report = NULL;

      w0 = wall_ms ();
      c0 = cpu_ms ();
      report = awda_report_new_periodic (by_office, &options);
      if (!awda_report_save_pdf (report, pdf, 0644, NULL, &error))
        goto failed;
      render_walls[i] = wall_ms () - w0;
      render_cpus[i] = cpu_ms () - c0;
      n_pages = awda_report_paginate (report, AWDA_REPORT_A4_WIDTH, AWDA_REPORT_A4_HEIGHT);
    }
  {
    GStatBuf st;

    g_stat (pdf, &st);
    med = median (render_walls, G_N_ELEMENTS (render_walls));
    per_100 = med * 100.0 / MAX (n_pages, 1);
    printf ("  laid out, drawn and written:                 %u pages, %.0f kB, median %.1f ms  (processor %.1f ms)\n",
            n_pages, st.st_size / 1024.0, med, median (render_cpus, G_N_ELEMENTS (render_cpus)));
    printf ("  computing and rendering together:            %.1f ms\n", compute_ms + med);
  }
  report_met = per_100 <= REQUIRED_REPORT_MS_PER_100_PAGES;
  printf ("  REPORT, per hundred pages:                   %.1f ms   (required ≤ %.0f ms): %s\n",
          per_100, REQUIRED_REPORT_MS_PER_100_PAGES, report_met ? "met" : "NOT MET");

  g_unlink (pdf);
  g_rmdir (dir);
  return dashboard_met && report_met ? 0 : 1;

failed:
  g_printerr ("Benchmark failed: %s\n", error ? error->message : "unknown error");
  if (pdf != NULL)
    g_unlink (pdf);
  if (dir != NULL)
    g_rmdir (dir);
  return 2;
}

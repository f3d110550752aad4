/* bench-case-list.c: the case list's queries, one by one, on a million demo cases
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4 asks that a search or a filter change update the window's list
 * within 50 ms (p95). The window benchmark (tests/bench-window.sh)
 * measures that from the keystroke to the paint; this one measures the
 * store's part alone, query by query, as the window's worker thread runs
 * it (awda_store_query_cases_full() on a reader connection): the first
 * rows (LIMIT 200, what the window shows first) and the whole list, with
 * the processor time of the thread beside the wall-clock time, so that a
 * slow query can be told from a busy machine.
 *
 * Every filter value the window offers (the first eight of each list),
 * every vulnerability, overdue follow-ups, some filters together, searches
 * as typed, and each order of the list with and without filters.
 *
 * The database is opened read-only and must be at schema 4 or later (open
 * it once with awda or awda-cli to migrate it): --database FILE, or
 * AWDA_BENCH_DATABASE, or the window benchmark's in the build folder.
 * Each query runs RUNS times; the median is printed.
 *
 * Each query is asked from scratch: the window answers a query that
 * narrows the one before from its list (awda-case-list-model.c), which
 * this does not measure; some combinations here (overdue follow-ups and a
 * stage that has none) cost a quarter of a second alone, and a few
 * milliseconds in the window when reached a filter at a time. The
 * window benchmark is the one that says whether issue 4's target holds:
 * this one exits 0 whatever the figures, 2 on error.
 */

#define G_LOG_DOMAIN "awda-bench"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "awda-store-private.h"

#define RUNS 3
/* As the window asks for them first (AWDA_CASE_LIST_FIRST_ROWS). */
#define FIRST_ROWS 200

typedef struct
{
  char         *label;
  AwdaCaseQuery query;
} Shape;

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
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
  return values[n / 2];
}

/* The ids of @entity's records, at most @max, as the window's lists have them. */
static GPtrArray *
record_ids (AwdaStore  *store,
            const char *entity,
            guint       max)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  records = awda_store_list_records (store, entity, &error);
  if (records == NULL)
    g_error ("Could not list the %s records: %s", entity, error->message);
  for (guint i = 0; i < records->len && ids->len < max; i++)
    g_ptr_array_add (ids, g_strdup (((AwdaRecord *) g_ptr_array_index (records, i))->id));

  return ids;
}

static void
add_shape (GArray              *shapes,
           const AwdaCaseQuery *query,
           const char          *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
add_shape (GArray              *shapes,
           const AwdaCaseQuery *query,
           const char          *format,
           ...)
{
  Shape shape = { NULL, *query };
  va_list args;

  va_start (args, format);
  shape.label = g_strdup_vprintf (format, args);
  va_end (args);
  g_array_append_val (shapes, shape);
}

/* Runs @query RUNS times; the medians of its wall-clock and processor time. */
static guint
time_query (AwdaStore           *store,
            const AwdaCaseQuery *query,
            double              *wall,
            double              *cpu)
{
  double walls[RUNS], cpus[RUNS];
  guint n = 0;

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GArray) rowids = NULL;
      g_autoptr(GError) error = NULL;
      double w0 = wall_ms (), c0 = thread_cpu_ms ();

      rowids = awda_store_query_cases_full (store, query, NULL, &error);
      walls[r] = wall_ms () - w0;
      cpus[r] = thread_cpu_ms () - c0;
      if (rowids == NULL)
        g_error ("The query failed: %s", error->message);
      n = rowids->len;
    }

  *wall = median (walls, RUNS);
  *cpu = median (cpus, RUNS);
  return n;
}

static const char *
sort_name (AwdaCaseSort sort)
{
  static const char * const names[] = { "newest", "name", "stage", "governorate", "opened" };

  return names[sort];
}

static GArray *
make_shapes (AwdaStore  *store,
             const char *today)
{
  static const char * const stages[] = {
    "reception", "assessment", "plan", "implementation", "monitoring", "closed",
  };
  static const char * const governorates[] = {
    "TN-11", "TN-12", "TN-13", "TN-14", "TN-21", "TN-22", "TN-23", "TN-31",
  };
  static const char * const vulnerabilities[] = {
    "vuln_medical", "vuln_psychological", "vuln_disability",
    "vuln_single_parent", "vuln_unaccompanied_minor", "vuln_debt",
  };
  static const char * const typed[] = { "b", "be", "ben", "ben s", "tra", "trabelsi", "محمد" };
  g_autoptr(GPtrArray) programmes = record_ids (store, "programme", 7);
  g_autoptr(GPtrArray) staff = record_ids (store, "staff", 7);
  GArray *shapes = g_array_new (FALSE, FALSE, sizeof (Shape));
  AwdaCaseQuery q = { 0 };

  add_shape (shapes, &q, "all");
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    add_shape (shapes, &(AwdaCaseQuery) { .status = stages[i] }, "status=%s", stages[i]);
  for (guint i = 0; i < G_N_ELEMENTS (governorates); i++)
    add_shape (shapes, &(AwdaCaseQuery) { .governorate = governorates[i] }, "governorate=%s", governorates[i]);
  for (guint i = 0; i < programmes->len; i++)
    add_shape (shapes, &(AwdaCaseQuery) { .programme = g_ptr_array_index (programmes, i) }, "programme=%u", i + 1);
  for (guint i = 0; i < staff->len; i++)
    add_shape (shapes, &(AwdaCaseQuery) { .caseworker = g_ptr_array_index (staff, i) }, "caseworker=%u", i + 1);
  for (guint i = 0; i < G_N_ELEMENTS (vulnerabilities); i++)
    add_shape (shapes, &(AwdaCaseQuery) { .vulnerability = vulnerabilities[i] }, "%s", vulnerabilities[i]);
  add_shape (shapes, &(AwdaCaseQuery) { .overdue = TRUE, .today = today }, "overdue");

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    add_shape (shapes, &(AwdaCaseQuery) { .status = stages[i], .overdue = TRUE, .today = today },
               "overdue status=%s", stages[i]);
  add_shape (shapes, &(AwdaCaseQuery) { .status = "assessment", .vulnerability = "vuln_medical", .overdue = TRUE, .today = today },
             "overdue status=assessment vuln_medical");
  add_shape (shapes, &(AwdaCaseQuery) { .status = "implementation", .vulnerability = "vuln_medical", .overdue = TRUE, .today = today },
             "overdue status=implementation vuln_medical");
  add_shape (shapes, &(AwdaCaseQuery) { .status = "plan", .governorate = "TN-11" }, "status=plan governorate=TN-11");
  add_shape (shapes, &(AwdaCaseQuery) { .status = "plan", .vulnerability = "vuln_unaccompanied_minor" },
             "status=plan vuln_unaccompanied_minor");
  if (staff->len > 0)
    add_shape (shapes, &(AwdaCaseQuery) { .status = "closed", .caseworker = g_ptr_array_index (staff, 0), .vulnerability = "vuln_debt" },
               "status=closed caseworker=1 vuln_debt");

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    add_shape (shapes, &(AwdaCaseQuery) { .search = typed[i] }, "search “%s”", typed[i]);
  for (guint i = 0; i < 3; i++)
    add_shape (shapes, &(AwdaCaseQuery) { .search = typed[i], .status = "assessment", .vulnerability = "vuln_medical",
                                          .overdue = TRUE, .today = today },
               "search “%s” overdue status=assessment vuln_medical", typed[i]);
  if (staff->len > 0)
    for (guint i = 0; i < 3; i++)
      add_shape (shapes, &(AwdaCaseQuery) { .search = typed[i], .caseworker = g_ptr_array_index (staff, 0) },
                 "search “%s” caseworker=1", typed[i]);

  for (AwdaCaseSort sort = AWDA_CASE_SORT_NAME; sort <= AWDA_CASE_SORT_OPENED; sort++)
    for (int reversed = 0; reversed < 2; reversed++)
      {
        const char *r = reversed ? " reversed" : "";

        add_shape (shapes, &(AwdaCaseQuery) { .sort = sort, .reversed = reversed }, "sort %s%s", sort_name (sort), r);
        add_shape (shapes, &(AwdaCaseQuery) { .sort = sort, .reversed = reversed, .status = "plan" },
                   "sort %s%s status=plan", sort_name (sort), r);
        if (staff->len > 0)
          add_shape (shapes, &(AwdaCaseQuery) { .sort = sort, .reversed = reversed, .caseworker = g_ptr_array_index (staff, 0) },
                     "sort %s%s caseworker=1", sort_name (sort), r);
        add_shape (shapes, &(AwdaCaseQuery) { .sort = sort, .reversed = reversed, .vulnerability = "vuln_disability" },
                   "sort %s%s vuln_disability", sort_name (sort), r);
        add_shape (shapes, &(AwdaCaseQuery) { .sort = sort, .reversed = reversed, .search = "ben" },
                   "sort %s%s search “ben”", sort_name (sort), r);
      }

  /* The strings are static or held by the arrays, which live as long. */
  g_object_set_data_full (G_OBJECT (store), "bench-programmes", g_ptr_array_ref (programmes), (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (store), "bench-staff", g_ptr_array_ref (staff), (GDestroyNotify) g_ptr_array_unref);
  return shapes;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *database = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GArray *shapes;
  const GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, "The demo database", "FILE" },
    { NULL }
  };
  double p95;

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (g_getenv ("AWDA_BENCH_DATABASE") != NULL)
    {
      g_free (database);
      database = g_strdup (g_getenv ("AWDA_BENCH_DATABASE"));
    }
  if (database == NULL || !g_file_test (database, G_FILE_TEST_IS_REGULAR))
    {
      g_print ("No demo database (%s): run the window benchmark first, or name one with --database. Skipped.\n",
               database != NULL ? database : "none given");
      return 77;
    }

  store = awda_store_open_reader (database, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  {
    sqlite3_stmt *stmt = awda_store_prepare (store, "PRAGMA user_version", NULL);
    int version = stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;

    if (stmt != NULL)
      sqlite3_reset (stmt);
    if (version < 4)
      {
        g_printerr ("%s is at schema %d: open it once with awda-cli to migrate it (indexes of migration 4).\n",
                    database, version);
        return 2;
      }
  }

  shapes = make_shapes (store, today);
  g_print ("%-52s %10s %10s %10s %10s %9s\n", "query", "first ms", "(cpu)", "whole ms", "(cpu)", "cases");
  for (guint i = 0; i < shapes->len; i++)
    {
      Shape *shape = &g_array_index (shapes, Shape, i);
      double first_wall, first_cpu, whole_wall, whole_cpu;
      guint n;

      shape->query.limit = FIRST_ROWS;
      time_query (store, &shape->query, &first_wall, &first_cpu);
      shape->query.limit = 0;
      n = time_query (store, &shape->query, &whole_wall, &whole_cpu);
      g_array_append_val (first_ms, first_wall);

      g_print ("%-52s %10.1f %10.1f %10.1f %10.1f %9u\n", shape->label,
               first_wall, first_cpu, whole_wall, whole_cpu, n);
      g_free (shape->label);
    }
  g_array_unref (shapes);

  g_array_sort (first_ms, compare_doubles);
  p95 = g_array_index (first_ms, double, MIN (first_ms->len - 1, (guint) (first_ms->len * 0.95)));
  g_print ("first rows: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %u queries, each asked from scratch\n",
           g_array_index (first_ms, double, first_ms->len / 2), p95,
           g_array_index (first_ms, double, first_ms->len - 1), first_ms->len);

  return 0;
}

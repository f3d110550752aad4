/* bench-today.c: how long today's lists take on a large database, opened read-only
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-today DATABASE [ROUNDS]: lists the follow-ups and the waiting
 * cases for this installation's office, for one of its caseworkers, and
 * for the whole base, ROUNDS times each (default 20), and prints the
 * median, 95th percentile and worst time of each, in milliseconds. The
 * database is opened read-only: the benchmark never changes it. Exits 77
 * (skipped) when there is no database.
 */

#define G_LOG_DOMAIN "awda-bench-today"

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "awda-today-private.h"

typedef GPtrArray *(*ListFunc) (sqlite3              *db,
                                const AwdaTodayQuery *query,
                                const char           *local_office,
                                gboolean             *truncated,
                                GError              **error);

static GPtrArray *
list_follow_ups (sqlite3              *db,
                 const AwdaTodayQuery *query,
                 const char           *local_office,
                 gboolean             *truncated,
                 GError              **error)
{
  return awda_today_list_follow_ups_db (db, query, truncated, error);
}

/* The process's processor time: on a busy machine the wall clock also
 * counts the time others had the processor. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run (sqlite3              *db,
     const char           *what,
     ListFunc              func,
     const AwdaTodayQuery *query,
     const char           *local_office,
     guint                 rounds)
{
  g_autofree double *times = g_new (double, rounds);
  g_autofree double *cpu = g_new (double, rounds);
  guint n_rows = 0, p95;
  gboolean truncated = FALSE;
  double first;

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) items = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms ();

      items = func (db, query, local_office, &truncated, &error);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      cpu[i] = cpu_ms () - cpu_start;
      if (items == NULL)
        {
          g_printerr ("%s: %s\n", what, error->message);
          exit (1);
        }
      n_rows = items->len;
    }

  /* The first round reads from the disk what the others find in memory. */
  first = times[0];
  qsort (times, rounds, sizeof (double), compare_doubles);
  qsort (cpu, rounds, sizeof (double), compare_doubles);
  p95 = MIN ((guint) (rounds * 0.95), rounds - 1);
  printf ("%-24s %4u rows%s  first %6.1f  median %6.1f  p95 %6.1f  worst %6.1f ms;"
          "  CPU median %6.1f  p95 %6.1f ms\n",
          what, n_rows, truncated ? "+" : " ", first, times[rounds / 2], times[p95], times[rounds - 1],
          cpu[rounds / 2], cpu[p95]);
}

static char *
first_caseworker (sqlite3    *db,
                  const char *office)
{
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  sqlite3_prepare_v2 (db, "SELECT caseworker FROM \"case\" WHERE owner_office IS ? AND caseworker IS NOT NULL LIMIT 1",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, office, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return id;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *office = NULL;
  g_autofree char *caseworker = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = argc > 1 ? argv[1] : g_getenv ("AWDA_BENCH_DATABASE");
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 20;
  sqlite3 *db = NULL;
  AwdaTodayQuery query = { .today = today };

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("No database to measure (give its path, or set AWDA_BENCH_DATABASE): skipped.\n");
      return 77;
    }
  if (rounds == 0)
    rounds = 1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_printerr ("%s: %s\n", path, sqlite3_errmsg (db));
      return 1;
    }
  /* As the store sets it. */
  sqlite3_exec (db, "PRAGMA cache_size = -32000", NULL, NULL, NULL);

  office = awda_today_get_local_office_db (db, &error);
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  caseworker = first_caseworker (db, office);
  printf ("today %s, office %s, caseworker %s, %u rounds\n", today,
          office ? office : "(none)", caseworker ? caseworker : "(none)", rounds);

  query.office = office;
  run (db, "follow-ups, office", list_follow_ups, &query, office, rounds);
  run (db, "waiting, office", awda_today_list_waiting_db, &query, office, rounds);

  query.office = NULL;
  query.caseworker = caseworker;
  run (db, "follow-ups, caseworker", list_follow_ups, &query, office, rounds);
  run (db, "waiting, caseworker", awda_today_list_waiting_db, &query, office, rounds);

  query.caseworker = NULL;
  run (db, "follow-ups, whole base", list_follow_ups, &query, office, rounds);
  run (db, "waiting, whole base", awda_today_list_waiting_db, &query, office, rounds);

  sqlite3_close (db);
  return 0;
}

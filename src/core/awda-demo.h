/* awda-demo.h: realistic, deterministic synthetic data for demonstrations and benchmarks
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "awda-store.h"

G_BEGIN_DECLS

typedef void (*AwdaDemoProgressFunc) (guint    done,
                                      guint    total,
                                      gpointer user_data);

/* Adds @n_cases synthetic cases, with their household members,
 * assessments, plan items, referrals and follow-ups, to @store, and the
 * reference data they need (offices, staff, programmes, partners) unless
 * it is already there. Everything goes through awda_store_apply(), so it
 * is validated and stamped in the change log. The same @seed and the same
 * site id give the same records, ids included, on a fresh database. */
gboolean awda_demo_generate (AwdaStore            *store,
                             guint                 n_cases,
                             guint64               seed,
                             AwdaDemoProgressFunc  progress,
                             gpointer              user_data,
                             GError              **error);

/* What a run did and how long its parts took, for the benchmark. */
typedef struct
{
  guint64 first;            /* the number of the run's first case: its stream */
  guint   n_cases;
  guint   n_children;       /* household members, assessments, plan items, referrals, follow-ups */
  guint   n_reference;      /* reference records created by this run */
  gdouble reference_seconds;
  /* Generating the case records and writing them through the store
   * (validation, typed row, change log, indexes, search index), with the
   * commits of their transactions and, in a bulk run, dropping the case
   * table's indexes and building them again; nothing else. */
  gdouble case_seconds;
  gdouble case_cpu_seconds;  /* the process's processor time over the same spans */
  gdouble child_seconds;     /* the same for the child records */
  gdouble child_cpu_seconds;
  gboolean bulk;             /* the case table's indexes were built once, at the end */
} AwdaDemoStats;

gboolean awda_demo_generate_with_stats (AwdaStore            *store,
                                        guint                 n_cases,
                                        guint64               seed,
                                        AwdaDemoProgressFunc  progress,
                                        gpointer              user_data,
                                        AwdaDemoStats        *stats,
                                        GError              **error);

/* The case rows of a demo run without writing them, for the benchmark's
 * baseline: awda_demo_cases_new() with the run's seed and stats.first on
 * the same database yields the very values the run wrote. The reference
 * data must exist (run the demo first). */
typedef struct _AwdaDemoCases AwdaDemoCases;

AwdaDemoCases *awda_demo_cases_new    (AwdaStore      *store,
                                       guint64         seed,
                                       guint64         first,
                                       GError        **error);
/* The next case: its id, and its values in the order of the case entity's
 * dictionary fields (NULL when unset). Both stay valid until the next call. */
const char    *awda_demo_cases_next   (AwdaDemoCases  *self,
                                       const char    **values);
void           awda_demo_cases_free   (AwdaDemoCases  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaDemoCases, awda_demo_cases_free)

G_END_DECLS

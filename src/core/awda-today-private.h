/* awda-today-private.h: today's lists on a bare SQLite connection, for the benchmark
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "awda-today.h"

G_BEGIN_DECLS

/* As awda_today_list_follow_ups() and awda_today_list_waiting(), on @db
 * (which may be opened read-only), with @query->today set. @local_office:
 * the office whose threshold applies to cases that have none. */
GPtrArray *awda_today_list_follow_ups_db  (sqlite3              *db,
                                           const AwdaTodayQuery *query,
                                           gboolean             *truncated,
                                           GError              **error);
GPtrArray *awda_today_list_waiting_db     (sqlite3              *db,
                                           const AwdaTodayQuery *query,
                                           const char           *local_office,
                                           gboolean             *truncated,
                                           GError              **error);
char      *awda_today_get_local_office_db (sqlite3              *db,
                                           GError              **error);

G_END_DECLS

/* awda-demo-private.h: what the tests need of the demo
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* From how many new cases a run builds the case table's indexes once at
 * the end rather than row by row (when it at least doubles the table). */
void awda_demo_set_bulk_threshold (guint n_cases);

/* How many cases each transaction of a run writes (50,000). */
void awda_demo_set_batch_size     (guint n_cases);

G_END_DECLS

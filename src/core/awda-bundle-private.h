/* awda-bundle-private.h: test hooks of the bundle writer
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "awda-bundle.h"

G_BEGIN_DECLS

/* For tests where no small file system can be mounted: every bundle
 * writer fails with ENOSPC, as on a full disk, once it has written
 * @limit bytes to its file; a negative @limit turns the fault off. */
void awda_bundle_set_write_limit (gint64 limit);

G_END_DECLS

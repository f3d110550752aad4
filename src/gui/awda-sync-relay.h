/* awda-sync-relay.h: the progress of a sync thread, shown on the main thread
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _AwdaSyncRelay AwdaSyncRelay;

AwdaSyncRelay *awda_sync_relay_new       (GtkProgressBar *bar);
AwdaSyncRelay *awda_sync_relay_ref       (AwdaSyncRelay  *relay);
void           awda_sync_relay_unref     (AwdaSyncRelay  *relay);
void           awda_sync_relay_set_range (AwdaSyncRelay  *relay,
                                          double          start,
                                          double          span);
void           awda_sync_relay_report    (double          fraction,
                                          gpointer        relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaSyncRelay, awda_sync_relay_unref)

G_END_DECLS

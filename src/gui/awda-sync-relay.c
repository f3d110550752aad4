/* awda-sync-relay.c: the progress of a sync thread, shown on the main thread
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core calls its AwdaSyncProgressFunc from the thread doing the work,
 * often; the bar is the main thread's. The thread keeps the latest
 * fraction and queues one idle at a time to show it, so a fast export
 * floods nothing. The bar is held weakly: the dialog may be gone when
 * the idle runs.
 */

#define G_LOG_DOMAIN "awda-sync-relay"

#include "config.h"

#include "awda-sync-relay.h"

struct _AwdaSyncRelay
{
  GWeakRef  bar;
  GMutex    mutex;
  double    start;     /* the part of the bar this step fills */
  double    span;
  double    fraction;  /* of the whole bar */
  gboolean  queued;
};

static void
relay_clear (AwdaSyncRelay *relay)
{
  g_weak_ref_clear (&relay->bar);
  g_mutex_clear (&relay->mutex);
}

/**
 * awda_sync_relay_new:
 * @bar: the bar that shows the progress
 *
 * Returns: (transfer full): a relay, whose awda_sync_relay_report() is an
 *   AwdaSyncProgressFunc for any thread
 */
AwdaSyncRelay *
awda_sync_relay_new (GtkProgressBar *bar)
{
  AwdaSyncRelay *relay;

  g_return_val_if_fail (GTK_IS_PROGRESS_BAR (bar), NULL);

  relay = g_atomic_rc_box_new0 (AwdaSyncRelay);
  g_weak_ref_init (&relay->bar, bar);
  g_mutex_init (&relay->mutex);
  relay->span = 1.0;
  return relay;
}

AwdaSyncRelay *
awda_sync_relay_ref (AwdaSyncRelay *relay)
{
  return g_atomic_rc_box_acquire (relay);
}

void
awda_sync_relay_unref (AwdaSyncRelay *relay)
{
  g_atomic_rc_box_release_full (relay, (GDestroyNotify) relay_clear);
}

/* The next reports fill [@start, @start + @span] of the bar: one file
 * of several. */
void
awda_sync_relay_set_range (AwdaSyncRelay *relay,
                           double         start,
                           double         span)
{
  g_mutex_lock (&relay->mutex);
  relay->start = start;
  relay->span = span;
  g_mutex_unlock (&relay->mutex);
  awda_sync_relay_report (0.0, relay);
}

static gboolean
show_progress_cb (gpointer user_data)
{
  AwdaSyncRelay *relay = user_data;
  g_autoptr(GtkProgressBar) bar = g_weak_ref_get (&relay->bar);
  double fraction;

  g_mutex_lock (&relay->mutex);
  fraction = relay->fraction;
  relay->queued = FALSE;
  g_mutex_unlock (&relay->mutex);

  if (bar != NULL)
    gtk_progress_bar_set_fraction (bar, CLAMP (fraction, 0.0, 1.0));
  return G_SOURCE_REMOVE;
}

void
awda_sync_relay_report (double   fraction,
                        gpointer user_data)
{
  AwdaSyncRelay *relay = user_data;
  gboolean queue;

  g_mutex_lock (&relay->mutex);
  relay->fraction = relay->start + relay->span * fraction;
  queue = !relay->queued;
  relay->queued = TRUE;
  g_mutex_unlock (&relay->mutex);

  if (queue)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_progress_cb,
                     awda_sync_relay_ref (relay), (GDestroyNotify) awda_sync_relay_unref);
}

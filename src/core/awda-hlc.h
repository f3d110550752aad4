/* awda-hlc.h: the hybrid logical clock that orders every change
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An HLC is 48 bits of milliseconds since the epoch and a 16-bit counter
 * that orders changes made within one millisecond, or after the wall clock
 * stepped back. */
#define AWDA_HLC_COUNTER_BITS 16
#define AWDA_HLC_COUNTER_MASK ((G_GUINT64_CONSTANT (1) << AWDA_HLC_COUNTER_BITS) - 1)

static inline guint64
awda_hlc_from_ms (gint64 ms)
{
  return ms <= 0 ? 0 : (guint64) ms << AWDA_HLC_COUNTER_BITS;
}

static inline gint64
awda_hlc_get_ms (guint64 hlc)
{
  return (gint64) (hlc >> AWDA_HLC_COUNTER_BITS);
}

static inline guint
awda_hlc_get_counter (guint64 hlc)
{
  return (guint) (hlc & AWDA_HLC_COUNTER_MASK);
}

guint64  awda_hlc_next       (guint64   last,
                              gint64    wall_ms);
char    *awda_hlc_to_string  (guint64   hlc);
gboolean awda_hlc_parse      (const char *text,
                              guint64    *hlc);

G_END_DECLS

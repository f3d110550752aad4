/* awda-hlc.c: the hybrid logical clock that orders every change
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda-hlc"

#include "config.h"

#include "awda-hlc.h"

/* The next timestamp after @last: the wall clock when it is ahead, else
 * @last plus one, so that the clock never goes back even when the wall
 * clock steps back or the counter runs over into the next millisecond. */
guint64
awda_hlc_next (guint64 last,
               gint64  wall_ms)
{
  guint64 wall = awda_hlc_from_ms (wall_ms);

  return wall > last ? wall : last + 1;
}

/* For people: the UTC time with the counter, e.g. 2026-11-29T01:42:51.123Z+3 */
char *
awda_hlc_to_string (guint64 hlc)
{
  gint64 ms = awda_hlc_get_ms (hlc);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *seconds = NULL;

  if (dt == NULL)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, hlc);

  seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ+%u", seconds, (int) (ms % 1000),
                          awda_hlc_get_counter (hlc));
}

gboolean
awda_hlc_parse (const char *text,
                guint64    *hlc)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, NULL))
    return FALSE;
  if (hlc)
    *hlc = value;
  return TRUE;
}

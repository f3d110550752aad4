/* awda-profile.c: start-up figures, printed when AWDA_PROFILE=1
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With AWDA_PROFILE=1 the program prints, on standard output, lines
 * "awda-profile: KEY=VALUE":
 *   gtk-started-ms, store-opened-ms, window-built-ms, window-presented-ms
 *                    the steps of the start-up, from main()
 *   first-frame-ms   from main() to the end of the window's first paint
 *   list-ready-ms    from main() to the first paint that shows the listed
 *                    cases (the query runs on a thread after the first
 *                    frame), with cases=N, how many the list holds
 *   vm-rss-kb        resident memory at those two frames, and vm-hwm-kb
 *                    its peak so far
 * and with AWDA_PROFILE_QUIT=1 as well it quits once the list is shown, so
 * that a benchmark can run it (tests/bench-first-frame.sh).
 */

#define G_LOG_DOMAIN "awda-profile"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "awda-case-list-model.h"
#include "awda-profile.h"
#include "awda-window.h"

static gint64 started_at;   /* monotonic µs at main() */
static gboolean enabled;
static gboolean quit_when_ready;

/**
 * awda_profile_init:
 *
 * Called first thing in main(): the clock starts here.
 */
void
awda_profile_init (void)
{
  started_at = g_get_monotonic_time ();
  enabled = g_strcmp0 (g_getenv ("AWDA_PROFILE"), "1") == 0;
  quit_when_ready = enabled && g_strcmp0 (g_getenv ("AWDA_PROFILE_QUIT"), "1") == 0;
}

gboolean
awda_profile_is_enabled (void)
{
  return enabled;
}

static double
elapsed_ms (void)
{
  return (g_get_monotonic_time () - started_at) / 1000.0;
}

/**
 * awda_profile_mark:
 * @what: a step of the start-up, one word
 *
 * When profiling, prints how long after main() @what happened.
 */
void
awda_profile_mark (const char *what)
{
  if (enabled)
    g_print ("awda-profile: %s-ms=%.1f\n", what, elapsed_ms ());
}

/* A "Vm…:  1234 kB" line of /proc/self/status, in kB; -1 when unknown. */
static gint64
read_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;
  gsize key_len = strlen (key);

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  for (line = status; line != NULL && *line != '\0'; line = strchr (line, '\n'))
    {
      if (*line == '\n')
        line++;
      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        return g_ascii_strtoll (line + key_len + 1, NULL, 10);
    }

  return -1;
}

static void
print_memory (void)
{
  g_print ("awda-profile: vm-rss-kb=%" G_GINT64_FORMAT " vm-hwm-kb=%" G_GINT64_FORMAT "\n",
           read_status_kb ("VmRSS"), read_status_kb ("VmHWM"));
}

typedef struct
{
  AwdaWindow    *window;          /* borrowed: the watch ends with it */
  GdkFrameClock *clock;           /* borrowed, while realized */
  gulong         paint_handler;
  gboolean       first_frame_seen;
} Watch;

static void
stop_watching (Watch *watch)
{
  if (watch->clock != NULL)
    g_clear_signal_handler (&watch->paint_handler, watch->clock);
  watch->clock = NULL;
}

/* The query runs on a thread; the list is in view at the first paint
 * after it ended, since the paint comes after the layout of the rows. */
static void
on_after_paint_cb (GdkFrameClock *clock,
                   Watch         *watch)
{
  AwdaCaseListModel *model = awda_window_get_case_list_model (watch->window);
  GtkApplication *application;

  if (!watch->first_frame_seen)
    {
      watch->first_frame_seen = TRUE;
      g_print ("awda-profile: first-frame-ms=%.1f\n", elapsed_ms ());
      print_memory ();
    }

  if (awda_case_list_model_get_loading (model))
    return;

  g_print ("awda-profile: list-ready-ms=%.1f cases=%u\n",
           elapsed_ms (), g_list_model_get_n_items (G_LIST_MODEL (model)));
  print_memory ();
  stop_watching (watch);

  application = gtk_window_get_application (GTK_WINDOW (watch->window));
  if (quit_when_ready && application != NULL)
    g_application_quit (G_APPLICATION (application));
}

static void
on_realize_cb (GtkWidget *widget,
               Watch     *watch)
{
  if (watch->first_frame_seen)
    return;

  watch->clock = gtk_widget_get_frame_clock (widget);
  watch->paint_handler = g_signal_connect (watch->clock, "after-paint",
                                           G_CALLBACK (on_after_paint_cb), watch);
}

static void
on_unrealize_cb (GtkWidget *widget,
                 Watch     *watch)
{
  stop_watching (watch);
}

/**
 * awda_profile_watch_window:
 * @window: the main window, not yet shown
 *
 * When profiling, prints the figures at @window's first frame and at the
 * first frame that shows the listed cases.
 */
void
awda_profile_watch_window (AwdaWindow *window)
{
  Watch *watch;

  g_return_if_fail (AWDA_IS_WINDOW (window));
  g_return_if_fail (!gtk_widget_get_realized (GTK_WIDGET (window)));

  if (!enabled)
    return;

  watch = g_new0 (Watch, 1);
  watch->window = window;
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), watch);
  g_signal_connect (window, "unrealize", G_CALLBACK (on_unrealize_cb), watch);
  g_object_set_data_full (G_OBJECT (window), "awda-profile-watch", watch, g_free);
}

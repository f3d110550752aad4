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
 *   list-shown-ms    from main() to the first paint with the first rows
 * and with AWDA_PROFILE_QUIT=1 as well it quits once the list is shown, so
 * that a benchmark can run it (tests/bench-first-frame.sh).
 *
 * With AWDA_PROFILE_BENCH=1 as well, once the list is whole, it drives the
 * window as a caseworker would and prints what it measured
 * (tests/bench-window.sh):
 *   search-ms        from a keystroke in the search to the paint that
 *                    shows its result (keystrokes 150 ms apart)
 *   search-whole-ms  from the last keystroke of a word to the whole list
 *   filter-ms        from a filter chosen to the paint that shows it
 *   filter-whole-ms  ... to the whole list counted
 *   filter-search-ms a keystroke typed with three filters set
 *   sort-ms, sort-whole-ms, sort-search-ms
 *                    the same for an order chosen (each, both ways, of
 *                    all the cases and of a stage), and for a search
 *                    typed in the order of names
 *   items-changed-ms the main loop's time in the view's handling of a
 *                    new list (the rows it makes again)
 *   scroll-*         frames a second and frame times while scrolling a
 *                    page an eighth of a screen a frame, then through the
 *                    whole list
 *   open-case-ms     from a row activated to the paint of its case
 *   vm-rss-kb        resident memory after scrolling through the list
 * each as p50, p95 and max over n times.
 */

#define G_LOG_DOMAIN "awda-profile"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "awda-case-item.h"
#include "awda-case-list-model.h"
#include "awda-choice-list.h"
#include "awda-profile.h"
#include "awda-window.h"

static gint64 started_at;   /* monotonic µs at main() */
static gboolean enabled;
static gboolean quit_when_ready;
static gboolean bench;

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
  bench = enabled && g_strcmp0 (g_getenv ("AWDA_PROFILE_BENCH"), "1") == 0;
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
  gboolean       rows_seen;
} Watch;

static gboolean bench_idle_cb (gpointer user_data);

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

  if (!watch->rows_seen && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0)
    {
      watch->rows_seen = TRUE;
      g_print ("awda-profile: list-shown-ms=%.1f\n", elapsed_ms ());
    }

  if (awda_case_list_model_get_loading (model))
    return;

  g_print ("awda-profile: list-ready-ms=%.1f cases=%u\n",
           elapsed_ms (), g_list_model_get_n_items (G_LIST_MODEL (model)));
  print_memory ();
  stop_watching (watch);

  /* Not from within a frame: the benchmark waits for frames. */
  if (bench)
    {
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, bench_idle_cb, g_object_ref (watch->window), g_object_unref);
      return;
    }

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

/* The benchmark (AWDA_PROFILE_BENCH=1): a script that drives the window
 * and pumps the main loop while it waits, as the UI tests do. */

typedef struct
{
  AwdaWindow        *window;
  AwdaCaseListModel *model;
  GdkFrameClock     *clock;
  guint              paints;          /* after-paint signals so far */
  gint64             last_paint;      /* µs */
  guint              changes;         /* items-changed of the model */
  gint64             change_started;  /* µs, from the emission hook */
  GArray            *change_ms;       /* double: the view's handling */
  GArray            *frame_us;        /* gint64: paint times while scrolling */
  gboolean           recording_frames;
} Bench;

static Bench *the_bench;

static void
on_bench_paint_cb (GdkFrameClock *clock,
                   Bench         *b)
{
  gint64 now = g_get_monotonic_time ();

  if (b->recording_frames)
    g_array_append_val (b->frame_us, now);
  b->paints++;
  b->last_paint = now;
}

static gboolean
on_items_changed_hook_cb (GSignalInvocationHint *hint,
                          guint                  n_values,
                          const GValue          *values,
                          gpointer               user_data)
{
  if (the_bench != NULL && g_value_get_object (&values[0]) == (GObject *) the_bench->model)
    the_bench->change_started = g_get_monotonic_time ();
  return TRUE;
}

static void
on_bench_items_changed_cb (GListModel *model,
                           guint       position,
                           guint       removed,
                           guint       added,
                           Bench      *b)
{
  double ms = (g_get_monotonic_time () - b->change_started) / 1000.0;

  b->changes++;
  g_array_append_val (b->change_ms, ms);
}

static void
pump (void)
{
  g_main_context_iteration (NULL, TRUE);
}

static void
pump_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (500);
}

/* Until @changes items-changed have been seen and painted; the time of that
 * paint, or -1 after @timeout_ms. */
static gint64
wait_painted_after_change (Bench *b,
                           guint  changes,
                           guint  timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint paints = 0;
  gboolean changed = FALSE;

  while (g_get_monotonic_time () < deadline)
    {
      if (!changed && b->changes >= changes)
        {
          changed = TRUE;
          paints = b->paints;
          gtk_widget_queue_draw (GTK_WIDGET (b->window));
        }
      if (changed && b->paints > paints)
        return b->last_paint;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (200);
    }
  return -1;
}

static gint64
wait_whole (Bench *b,
            guint  timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (awda_case_list_model_get_loading (b->model) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (200);
  return awda_case_list_model_get_loading (b->model) ? -1 : g_get_monotonic_time ();
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_figures (const char *name,
               GArray     *values)
{
  double p50, p95, max;

  if (values->len == 0)
    {
      g_print ("awda-profile: %s n=0\n", name);
      return;
    }

  g_array_sort (values, compare_doubles);
  p50 = g_array_index (values, double, values->len / 2);
  p95 = g_array_index (values, double, MIN (values->len - 1, (guint) (values->len * 0.95)));
  max = g_array_index (values, double, values->len - 1);
  g_print ("awda-profile: %s p50=%.1f p95=%.1f max=%.1f n=%u\n", name, p50, p95, max, values->len);
}

static void
add_ms (GArray *values,
        double  ms)
{
  g_array_append_val (values, ms);
}

static gpointer
window_child (AwdaWindow *window,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), AWDA_TYPE_WINDOW, name);

  g_assert (child != NULL);
  return child;
}

/* Types @text a character at a time, then takes it back a character at
 * a time, 150 ms apart, as a quick caseworker would. */
static void
bench_type (Bench      *b,
            const char *text,
            gboolean    verbose,
            GArray     *keystrokes,
            GArray     *whole)
{
  GtkEditable *entry = window_child (b->window, "search_entry");
  glong length = g_utf8_strlen (text, -1);

  for (int direction = 0; direction < 2; direction++)
    {
      for (glong k = 0; k < length; k++)
        {
          gint64 typed_at, shown_at;
          guint changes;
          int position = gtk_editable_get_position (entry);

          changes = b->changes + 1;
          typed_at = g_get_monotonic_time ();
          if (direction == 0)
            {
              const char *start = g_utf8_offset_to_pointer (text, k);
              const char *end = g_utf8_next_char (start);

              position = g_utf8_strlen (gtk_editable_get_text (entry), -1);
              gtk_editable_insert_text (entry, start, end - start, &position);
            }
          else
            {
              int n = g_utf8_strlen (gtk_editable_get_text (entry), -1);

              gtk_editable_delete_text (entry, n - 1, n);
            }

          shown_at = wait_painted_after_change (b, changes, 2000);
          if (shown_at > 0)
            add_ms (keystrokes, (shown_at - typed_at) / 1000.0);
          else
            g_print ("awda-profile: no result shown for a keystroke in “%s”\n", text);
          if (verbose && shown_at > 0)
            g_print ("awda-profile: typed “%s” shown-ms=%.1f cases=%u\n",
                     gtk_editable_get_text (entry), (shown_at - typed_at) / 1000.0,
                     g_list_model_get_n_items (G_LIST_MODEL (b->model)));

          /* The next key. */
          while (g_get_monotonic_time () < typed_at + 150 * 1000)
            if (!g_main_context_iteration (NULL, FALSE))
              g_usleep (200);

          if (k == length - 1)
            {
              gint64 whole_at = wait_whole (b, 30000);

              if (whole_at > 0)
                add_ms (whole, (whole_at - typed_at) / 1000.0);
            }
        }
    }
}

static void
bench_filter (Bench     *b,
              GtkWidget *widget,
              guint      position,
              GArray    *shown,
              GArray    *whole)
{
  guint changes = b->changes + 1;
  gint64 set_at = g_get_monotonic_time ();
  gint64 shown_at, whole_at;

  if (GTK_IS_DROP_DOWN (widget))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), position);
  else
    gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), position != 0);

  shown_at = wait_painted_after_change (b, changes, 30000);
  if (shown_at > 0)
    add_ms (shown, (shown_at - set_at) / 1000.0);
  whole_at = wait_whole (b, 60000);
  if (whole_at > 0)
    add_ms (whole, (whole_at - set_at) / 1000.0);

  g_print ("awda-profile: filter %s=%u shown-ms=%.1f whole-ms=%.1f cases=%u\n",
           gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), position,
           (shown_at - set_at) / 1000.0, (whole_at - set_at) / 1000.0,
           g_list_model_get_n_items (G_LIST_MODEL (b->model)));
}

/* Sets the order of the list (the window's actions, as its menu and its
 * column headers do) and measures it as bench_filter() does. */
static void
bench_sort (Bench      *b,
            const char *nick,
            gboolean    reversed,
            GArray     *shown,
            GArray     *whole)
{
  GActionGroup *actions = G_ACTION_GROUP (b->window);
  guint changes = b->changes + 1;
  gint64 set_at = g_get_monotonic_time ();
  gint64 shown_at, whole_at;

  g_action_group_change_action_state (actions, "sort-column", g_variant_new_string (nick));
  g_action_group_change_action_state (actions, "sort-reversed", g_variant_new_boolean (reversed));

  shown_at = wait_painted_after_change (b, changes, 30000);
  if (shown_at > 0)
    add_ms (shown, (shown_at - set_at) / 1000.0);
  whole_at = wait_whole (b, 60000);
  if (whole_at > 0)
    add_ms (whole, (whole_at - set_at) / 1000.0);

  g_print ("awda-profile: sort %s%s shown-ms=%.1f whole-ms=%.1f cases=%u\n",
           nick, reversed ? " reversed" : "", (shown_at - set_at) / 1000.0, (whole_at - set_at) / 1000.0,
           g_list_model_get_n_items (G_LIST_MODEL (b->model)));
}

/* The main thread's processor time, in µs: what the window itself costs,
 * whatever else the machine runs. */
static gint64
thread_cpu_us (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

typedef struct
{
  Bench         *b;
  GtkAdjustment *adjustment;
  double         step;
  guint          frames_left;
} Scroll;

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Scroll *scroll = user_data;
  double value = gtk_adjustment_get_value (scroll->adjustment) + scroll->step;
  double last = gtk_adjustment_get_upper (scroll->adjustment) - gtk_adjustment_get_page_size (scroll->adjustment);

  gtk_adjustment_set_value (scroll->adjustment, MIN (value, last));
  if (scroll->frames_left > 0)
    scroll->frames_left--;

  return scroll->frames_left > 0 && value < last ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
bench_scroll (Bench      *b,
              const char *name,
              double      step,
              guint       frames)
{
  GtkScrollable *view = window_child (b->window, "column_view");
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
  Scroll scroll = { b, gtk_scrollable_get_vadjustment (view), step, frames };
  guint slow = 0;
  gint64 started, ended;
  guint id;
  guint reads_before, reads_after;
  gint64 read_us_before, read_us_after;
  gint64 cpu_started, cpu_ended;

  gtk_adjustment_set_value (scroll.adjustment, 0);
  pump_for (300);

  awda_case_list_model_get_page_reads (b->model, &reads_before, &read_us_before);
  g_array_set_size (b->frame_us, 0);
  b->recording_frames = TRUE;
  cpu_started = thread_cpu_us ();
  started = g_get_monotonic_time ();
  id = gtk_widget_add_tick_callback (GTK_WIDGET (view), scroll_tick_cb, &scroll, NULL);
  while (scroll.frames_left > 0
         && gtk_adjustment_get_value (scroll.adjustment)
            < gtk_adjustment_get_upper (scroll.adjustment) - gtk_adjustment_get_page_size (scroll.adjustment))
    pump ();
  ended = g_get_monotonic_time ();
  cpu_ended = thread_cpu_us ();
  b->recording_frames = FALSE;
  awda_case_list_model_get_page_reads (b->model, &reads_after, &read_us_after);
  if (scroll.frames_left > 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (view), id);

  for (guint i = 1; i < b->frame_us->len; i++)
    {
      double ms = (g_array_index (b->frame_us, gint64, i) - g_array_index (b->frame_us, gint64, i - 1)) / 1000.0;

      g_array_append_val (intervals, ms);
      if (ms > 20.0)
        slow++;
    }

  g_print ("awda-profile: scroll-%s-fps=%.1f frames=%u seconds=%.2f frames-over-20ms=%u rows=%.0f\n",
           name, b->frame_us->len / ((ended - started) / 1e6), b->frame_us->len,
           (ended - started) / 1e6, slow,
           gtk_adjustment_get_value (scroll.adjustment)
           / MAX (1.0, gtk_adjustment_get_upper (scroll.adjustment))
           * g_list_model_get_n_items (G_LIST_MODEL (b->model)));
  g_print ("awda-profile: scroll-%s-main-thread-cpu-ms-a-frame=%.1f\n", name,
           (cpu_ended - cpu_started) / 1000.0 / MAX (1u, b->frame_us->len));
  g_print ("awda-profile: scroll-%s-page-reads=%u worker-ms-each=%.2f\n", name, reads_after - reads_before,
           reads_after > reads_before ? (read_us_after - read_us_before) / 1000.0 / (reads_after - reads_before) : 0.0);
  {
    g_autofree char *label = g_strdup_printf ("scroll-%s-frame-ms", name);

    print_figures (label, intervals);
  }
}

static void
bench_open_cases (Bench  *b,
                  GArray *opened)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (b->model));

  for (guint i = 0; i < 41 && n > 0; i++)
    {
      guint position = (guint) (((guint64) i * 7919 * 131) % n);
      g_autoptr(AwdaCaseItem) item = g_list_model_get_item (G_LIST_MODEL (b->model), position);
      GtkWidget *editor;
      guint paints;
      gint64 started;

      /* Its row read first, as when it is in view. */
      while (awda_case_item_get_id (item) == NULL)
        pump ();

      started = g_get_monotonic_time ();
      if (!awda_window_open_case (b->window, awda_case_item_get_id (item)))
        continue;
      editor = awda_window_get_case_editor (b->window);
      paints = b->paints;
      while (!(b->paints > paints && gtk_widget_get_mapped (editor)))
        pump ();
      /* The first opening makes the editor: counted apart. */
      if (i == 0)
        g_print ("awda-profile: open-first-case-ms=%.1f\n", (b->last_paint - started) / 1000.0);
      else
        add_ms (opened, (b->last_paint - started) / 1000.0);

      gtk_widget_activate_action (GTK_WIDGET (b->window), "win.back", NULL);
      pump_for (100);
    }
}

static void
bench_search (Bench *b)
{
  static const char * const words[] = {
    "ben salah", "trabelsi", "mohamed", "محمد", "الطرابلسي", "amira", "2165", "jlassi fatma",
  };
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) whole = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_widget_grab_focus (window_child (b->window, "search_entry"));
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    bench_type (b, words[i], FALSE, keystrokes, whole);
  wait_whole (b, 30000);

  print_figures ("search-ms", keystrokes);
  print_figures ("search-whole-ms", whole);
}

/* Each filter alone, then back; then some together, with a search. */
static void
bench_filters (Bench *b)
{
  const char * const names[] = {
    "status_dropdown", "governorate_dropdown", "programme_dropdown",
    "caseworker_dropdown", "vulnerability_dropdown",
  };
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) whole = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) typed_whole = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint d = 0; d < G_N_ELEMENTS (names); d++)
    {
      GtkWidget *dropdown = window_child (b->window, names[d]);
      guint n = g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown)));

      for (guint position = 1; position < MIN (n, 8); position++)
        {
          bench_filter (b, dropdown, position, shown, whole);
          bench_filter (b, dropdown, 0, shown, whole);
        }
    }

  bench_filter (b, window_child (b->window, "overdue_check"), 1, shown, whole);
  bench_filter (b, window_child (b->window, "status_dropdown"), 2, shown, whole);
  bench_filter (b, window_child (b->window, "vulnerability_dropdown"), 1, shown, whole);
  bench_type (b, "ben", TRUE, keystrokes, typed_whole);
  gtk_widget_activate_action (GTK_WIDGET (b->window), "win.clear-filters", NULL);
  wait_whole (b, 60000);

  print_figures ("filter-ms", shown);
  print_figures ("filter-whole-ms", whole);
  print_figures ("filter-search-ms", keystrokes);
}

/* Each order of the list, both ways, of all the cases, then of a stage,
 * then with a search typed. */
static void
bench_sorts (Bench *b)
{
  static const char * const nicks[] = { "name", "status", "governorate", "opened", "newest" };
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) whole = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) typed_whole = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint round = 0; round < 2; round++)
    {
      if (round == 1)
        bench_filter (b, window_child (b->window, "status_dropdown"), 3, shown, whole);
      for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
        for (int reversed = 1; reversed >= 0; reversed--)
          bench_sort (b, nicks[i], reversed, shown, whole);
    }
  gtk_widget_activate_action (GTK_WIDGET (b->window), "win.clear-filters", NULL);
  wait_whole (b, 60000);

  /* Typing in another order. */
  bench_sort (b, "name", FALSE, shown, whole);
  bench_type (b, "ben", TRUE, keystrokes, typed_whole);
  bench_sort (b, "newest", FALSE, shown, whole);

  print_figures ("sort-ms", shown);
  print_figures ("sort-whole-ms", whole);
  print_figures ("sort-search-ms", keystrokes);
}

/* An eighth of a screen a frame for 10 seconds, then through the whole
 * list in about 2000 frames. */
static void
bench_scrolling (Bench *b)
{
  GtkScrollable *view = window_child (b->window, "column_view");
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (view);

  bench_scroll (b, "smooth", gtk_adjustment_get_page_size (adjustment) / 8, 600);
  bench_scroll (b, "whole", gtk_adjustment_get_upper (adjustment) / 2000, 2100);
  g_print ("awda-profile: cached-pages=%u\n", awda_case_list_model_get_n_cached_pages (b->model));
  print_memory ();
}

static void
bench_opening (Bench *b)
{
  g_autoptr(GArray) opened = g_array_new (FALSE, FALSE, sizeof (double));

  bench_open_cases (b, opened);
  print_figures ("open-case-ms", opened);
  print_memory ();
}

static void
run_bench (AwdaWindow *window)
{
  const char *parts = g_getenv ("AWDA_PROFILE_BENCH_PARTS");
  Bench b = { 0 };
  guint hook;

  /* All of them, unless some are named. */
  if (parts == NULL || parts[0] == '\0')
    parts = "search,filter,sort,scroll,open";

  b.window = window;
  b.model = awda_window_get_case_list_model (window);
  b.clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  b.change_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.frame_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  the_bench = &b;

  g_signal_connect (b.clock, "after-paint", G_CALLBACK (on_bench_paint_cb), &b);
  hook = g_signal_add_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), 0,
                                     on_items_changed_hook_cb, NULL, NULL);
  g_signal_connect (b.model, "items-changed", G_CALLBACK (on_bench_items_changed_cb), &b);

  g_print ("awda-profile: bench on %u cases\n", g_list_model_get_n_items (G_LIST_MODEL (b.model)));

  if (strstr (parts, "search") != NULL)
    bench_search (&b);
  if (strstr (parts, "filter") != NULL)
    bench_filters (&b);
  if (strstr (parts, "sort") != NULL)
    bench_sorts (&b);
  print_figures ("items-changed-ms", b.change_ms);
  if (strstr (parts, "scroll") != NULL)
    bench_scrolling (&b);
  if (strstr (parts, "open") != NULL)
    bench_opening (&b);

  g_signal_remove_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), hook);
  g_signal_handlers_disconnect_by_data (b.clock, &b);
  g_signal_handlers_disconnect_by_data (b.model, &b);
  g_array_unref (b.change_ms);
  g_array_unref (b.frame_us);
  the_bench = NULL;
}

static gboolean
bench_idle_cb (gpointer user_data)
{
  AwdaWindow *window = user_data;
  GtkApplication *application;

  run_bench (window);

  application = gtk_window_get_application (GTK_WINDOW (window));
  if (quit_when_ready && application != NULL)
    g_application_quit (G_APPLICATION (application));

  return G_SOURCE_REMOVE;
}

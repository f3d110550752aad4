/* test-hlc.c: the hybrid logical clock
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "awda-hlc.h"

static void
test_hlc_follows_wall_clock (void)
{
  guint64 a = awda_hlc_next (0, 1000);
  guint64 b = awda_hlc_next (a, 2000);

  g_assert_cmpint (awda_hlc_get_ms (a), ==, 1000);
  g_assert_cmpuint (awda_hlc_get_counter (a), ==, 0);
  g_assert_cmpint (awda_hlc_get_ms (b), ==, 2000);
  g_assert_cmpuint (b, >, a);
}

static void
test_hlc_same_millisecond (void)
{
  guint64 a = awda_hlc_next (0, 5000);
  guint64 b = awda_hlc_next (a, 5000);
  guint64 c = awda_hlc_next (b, 5000);

  g_assert_cmpint (awda_hlc_get_ms (c), ==, 5000);
  g_assert_cmpuint (awda_hlc_get_counter (b), ==, 1);
  g_assert_cmpuint (awda_hlc_get_counter (c), ==, 2);
}

static void
test_hlc_clock_steps_back (void)
{
  guint64 a = awda_hlc_next (0, 10000);
  /* The wall clock goes back an hour: the clock must not. */
  guint64 b = awda_hlc_next (a, 10000 - 3600 * 1000);

  g_assert_cmpuint (b, >, a);
  g_assert_cmpint (awda_hlc_get_ms (b), ==, 10000);
}

static void
test_hlc_counter_overflow (void)
{
  guint64 a = awda_hlc_from_ms (7000) | AWDA_HLC_COUNTER_MASK;
  guint64 b = awda_hlc_next (a, 7000);

  /* The counter runs over into the next millisecond, still increasing. */
  g_assert_cmpuint (b, >, a);
  g_assert_cmpint (awda_hlc_get_ms (b), ==, 7001);
  g_assert_cmpuint (awda_hlc_get_counter (b), ==, 0);
}

static void
test_hlc_to_string (void)
{
  g_autofree char *s = awda_hlc_to_string (awda_hlc_from_ms (G_GINT64_CONSTANT (1700000000123)) + 4);
  guint64 parsed;

  g_assert_cmpstr (s, ==, "2023-11-14T22:13:20.123Z+4");
  g_assert_true (awda_hlc_parse ("12345", &parsed));
  g_assert_cmpuint (parsed, ==, 12345);
  g_assert_false (awda_hlc_parse ("-1", &parsed));
  g_assert_false (awda_hlc_parse ("12a", &parsed));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/hlc/wall-clock", test_hlc_follows_wall_clock);
  g_test_add_func ("/core/hlc/same-millisecond", test_hlc_same_millisecond);
  g_test_add_func ("/core/hlc/clock-steps-back", test_hlc_clock_steps_back);
  g_test_add_func ("/core/hlc/counter-overflow", test_hlc_counter_overflow);
  g_test_add_func ("/core/hlc/to-string", test_hlc_to_string);

  return g_test_run ();
}

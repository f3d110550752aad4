/* test-indicators.c: every indicator on a small hand-made fixture, worked out by hand
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture (period 2025-01-01 to 2025-12-31, today 2025-12-31):
 *
 * Offices  O1 "Bureau de Sfax", O2 "Bureau de Tunis"
 * Programmes P1 "OFII" (EUR), P2 "National" (TND); partners R1 "ANETI", R2 "BTS"
 *
 * case opened     stage          office prog gov   sex birth      return     host type      closed     reason
 * C1   2025-01-10 plan           O1     P1   TN-61 m   1990-06-15 2025-01-05 FR   assisted
 * C2   2025-02-01 implementation O1     P2   TN-61 f   2000-01-01 2025-01-20 IT   forced
 * C3   2025-03-15 closed         O2     P1   TN-11 m   1970-03-15 2025-03-10 FR   spontaneous 2025-09-30 reintegrated
 * C4   2025-06-01 reception      O2     -    TN-11 -   -          -          -    -
 * C5   2024-12-20 monitoring     O2     P1   TN-61 f   1985-01-01 2024-12-01 DE   assisted
 * C6   2025-04-01 closed         O1     P2   TN-61 m   2008-05-01 2025-03-01 LY   forced      2026-01-15 remigrated
 * C7   2023-05-01 closed         O2     P1   TN-11                                            2025-02-01 unreachable
 * C8   2025-05-05 (deleted)      O1
 *
 * Ages at return: C1 34 (birthday in June, after the return), C2 25,
 * C3 54 (birthday on 03-15, after the return on 03-10), C6 16.
 *
 * Plan items (approved on, status, programme, kind, budget, disbursed on/amount):
 * PI1 C1 2025-01-25 approved    P1 business_creation    3000 EUR
 * PI2 C1 2025-03-01 in_progress P1 vocational_training  1000 EUR   2025-04-01 400
 * PI3 C2 2025-04-02 done        P2 housing              2500.5 TND 2025-05-01 2500.5
 * PI4 C3 2025-04-14 cancelled   P1 job_placement         800 EUR
 * PI5 C5 2025-01-05 done        P1 cash                  500 EUR   2025-01-10 500
 * PI6 C6 -          proposed    P2 health                700 TND
 * PI7 C2 2026-01-05 approved    P2 schooling             100 TND
 * PI8 C4 2026-02-01 approved    -  documents_legal       (no budget)
 *
 * Referrals (case, partner, sent on, status):
 * RF1 C1 R1 2025-02-01 accepted; RF2 C2 R1 2025-03-01 done; RF3 C3 R1 2025-04-01 rejected;
 * RF4 C5 R2 2025-05-01 sent; RF5 C5 R2 2024-11-01 done (before); RF6 C6 R2 2025-06-01 done
 *
 * Follow-ups (case, scheduled, done, mode):
 * F1 C1 2025-03-01 2025-03-05 phone (4 days: on time); F2 C1 2025-04-01 2025-04-08 phone
 * (7 days: on time); F3 C2 2025-05-01 2025-05-09 visit (8 days: late); F4 C5 2025-11-01 -
 * (overdue); F5 C6 2025-12-31 - office (upcoming: due today); F6 C3 2026-01-10 (after);
 * F7 C3 2025-07-01 2025-07-01 (deleted)
 *
 * Sustainability surveys (case, date, economic, social, psychosocial, composite):
 * C1: 2025-02-01 40 50 60 50; 2025-08-01 70 70 80 73
 * C2: 2024-12-01 30 40 50 (none: 0.34×30 + 0.33×40 + 0.33×50 = 39.9 → 40);
 *     2025-06-01 60 70 70 (none: 20.4 + 23.1 + 23.1 = 66.6 → 67); 2026-03-01 (after)
 * C3: 2025-05-01 only (a baseline, no follow-up)
 * C4: an unscored survey and a needs assessment (ignored)
 * C5: 2024-06-01 20 30 40 30; 2024-12-01 50 50 50 50; 2025-03-01 80 70 60 70
 * C6: 2024-05-01 and 2024-10-01 (its latest survey is before the period)
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "awda-indicators.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  char      *office[2];
  char      *programme[2];
  char      *partner[2];
  char      *cases[9];  /* 1 to 8 */
} Fixture;

static const AwdaIndicatorFilter year_2025 = { "2025-01-01", "2025-12-31", NULL, NULL, "2025-12-31" };

/* Applies FIELD, VALUE pairs to a new (@id NULL) or existing record;
 * returns its id. */
static char *
apply (AwdaStore  *store,
       const char *entity,
       const char *id,
       ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, id);
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;

  va_start (args, id);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static char *
add_case (Fixture    *f,
          const char *opened,
          const char *status,
          int         office,
          int         programme,
          const char *governorate,
          const char *sex,
          const char *birth,
          const char *returned,
          const char *host,
          const char *type,
          const char *closed,
          const char *reason)
{
  return apply (f->store, "case", NULL,
                "opened_on", opened, "status", status,
                "owner_office", f->office[office],
                "return_programme", programme >= 0 ? f->programme[programme] : "",
                "governorate", governorate ? governorate : "",
                "sex", sex ? sex : "", "birth_date", birth ? birth : "",
                "return_date", returned ? returned : "", "host_country", host ? host : "",
                "return_type", type ? type : "", "closed_on", closed ? closed : "",
                "closure_reason", reason ? reason : "", NULL);
}

static void
add_plan_item (Fixture    *f,
               int         c,
               const char *approved,
               const char *status,
               int         programme,
               const char *kind,
               const char *budget,
               const char *currency,
               const char *disbursed_on,
               const char *disbursed)
{
  g_free (apply (f->store, "plan_item", NULL,
                 "case_id", f->cases[c], "dimension", "economic", "kind", kind, "status", status,
                 "approved_on", approved ? approved : "",
                 "programme", programme >= 0 ? f->programme[programme] : "",
                 "budget", budget ? budget : "", "currency", currency ? currency : "",
                 "disbursed_on", disbursed_on ? disbursed_on : "", "disbursed", disbursed ? disbursed : "",
                 NULL));
}

static void
add_referral (Fixture    *f,
              int         c,
              int         partner,
              const char *sent,
              const char *status)
{
  g_free (apply (f->store, "referral", NULL, "case_id", f->cases[c], "partner", f->partner[partner],
                 "sent_on", sent, "status", status, NULL));
}

static char *
add_follow_up (Fixture    *f,
               int         c,
               const char *scheduled,
               const char *done,
               const char *mode)
{
  return apply (f->store, "follow_up", NULL, "case_id", f->cases[c], "scheduled_on", scheduled,
                "done_on", done ? done : "", "mode", mode ? mode : "", NULL);
}

static void
add_survey (Fixture    *f,
            int         c,
            const char *date,
            const char *economic,
            const char *social,
            const char *psychosocial,
            const char *composite)
{
  g_free (apply (f->store, "assessment", NULL, "case_id", f->cases[c], "date", date,
                 "kind", "sustainability_survey", "score_economic", economic ? economic : "",
                 "score_social", social ? social : "", "score_psychosocial", psychosocial ? psychosocial : "",
                 "score_composite", composite ? composite : "", NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *f7 = NULL;

  f->dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->store = awda_store_create (f->path, "Plateforme centrale", "central", "TN-11", &error);
  g_assert_no_error (error);

  f->office[0] = apply (f->store, "office", NULL, "name", "Bureau de Sfax", "governorate", "TN-61", NULL);
  f->office[1] = apply (f->store, "office", NULL, "name", "Bureau de Tunis", "governorate", "TN-11", NULL);
  f->programme[0] = apply (f->store, "programme", NULL, "name", "OFII", "currency", "EUR", NULL);
  f->programme[1] = apply (f->store, "programme", NULL, "name", "National", "currency", "TND", NULL);
  f->partner[0] = apply (f->store, "partner", NULL, "name", "ANETI", NULL);
  f->partner[1] = apply (f->store, "partner", NULL, "name", "BTS", NULL);

  f->cases[1] = add_case (f, "2025-01-10", "plan", 0, 0, "TN-61", "m", "1990-06-15", "2025-01-05", "FR", "assisted_voluntary", NULL, NULL);
  f->cases[2] = add_case (f, "2025-02-01", "implementation", 0, 1, "TN-61", "f", "2000-01-01", "2025-01-20", "IT", "forced", NULL, NULL);
  f->cases[3] = add_case (f, "2025-03-15", "closed", 1, 0, "TN-11", "m", "1970-03-15", "2025-03-10", "FR", "spontaneous", "2025-09-30", "reintegrated");
  f->cases[4] = add_case (f, "2025-06-01", "reception", 1, -1, "TN-11", NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  f->cases[5] = add_case (f, "2024-12-20", "monitoring", 1, 0, "TN-61", "f", "1985-01-01", "2024-12-01", "DE", "assisted_voluntary", NULL, NULL);
  f->cases[6] = add_case (f, "2025-04-01", "closed", 0, 1, "TN-61", "m", "2008-05-01", "2025-03-01", "LY", "forced", "2026-01-15", "remigrated");
  f->cases[7] = add_case (f, "2023-05-01", "closed", 1, 0, "TN-11", NULL, NULL, NULL, NULL, NULL, "2025-02-01", "unreachable");
  f->cases[8] = add_case (f, "2025-05-05", "reception", 0, 0, "TN-61", "m", NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (apply (f->store, "case", f->cases[8], "deleted", "true", NULL));

  add_plan_item (f, 1, "2025-01-25", "approved", 0, "business_creation", "3000", "EUR", NULL, NULL);
  add_plan_item (f, 1, "2025-03-01", "in_progress", 0, "vocational_training", "1000", "EUR", "2025-04-01", "400");
  add_plan_item (f, 2, "2025-04-02", "done", 1, "housing", "2500.5", "TND", "2025-05-01", "2500.5");
  add_plan_item (f, 3, "2025-04-14", "cancelled", 0, "job_placement", "800", "EUR", NULL, NULL);
  add_plan_item (f, 5, "2025-01-05", "done", 0, "cash", "500", "EUR", "2025-01-10", "500");
  add_plan_item (f, 6, NULL, "proposed", 1, "health", "700", "TND", NULL, NULL);
  add_plan_item (f, 2, "2026-01-05", "approved", 1, "schooling", "100", "TND", NULL, NULL);
  add_plan_item (f, 4, "2026-02-01", "approved", -1, "documents_legal", NULL, NULL, NULL, NULL);

  add_referral (f, 1, 0, "2025-02-01", "accepted");
  add_referral (f, 2, 0, "2025-03-01", "done");
  add_referral (f, 3, 0, "2025-04-01", "rejected");
  add_referral (f, 5, 1, "2025-05-01", "sent");
  add_referral (f, 5, 1, "2024-11-01", "done");
  add_referral (f, 6, 1, "2025-06-01", "done");

  g_free (add_follow_up (f, 1, "2025-03-01", "2025-03-05", "phone"));
  g_free (add_follow_up (f, 1, "2025-04-01", "2025-04-08", "phone"));
  g_free (add_follow_up (f, 2, "2025-05-01", "2025-05-09", "visit"));
  g_free (add_follow_up (f, 5, "2025-11-01", NULL, NULL));
  g_free (add_follow_up (f, 6, "2025-12-31", NULL, "office"));
  g_free (add_follow_up (f, 3, "2026-01-10", NULL, NULL));
  f7 = add_follow_up (f, 3, "2025-07-01", "2025-07-01", "phone");
  g_free (apply (f->store, "follow_up", f7, "deleted", "true", NULL));

  add_survey (f, 1, "2025-02-01", "40", "50", "60", "50");
  add_survey (f, 1, "2025-08-01", "70", "70", "80", "73");
  add_survey (f, 2, "2024-12-01", "30", "40", "50", NULL);
  add_survey (f, 2, "2025-06-01", "60", "70", "70", NULL);
  add_survey (f, 2, "2026-03-01", "90", "90", "90", "90");
  add_survey (f, 3, "2025-05-01", "50", "50", "50", "50");
  add_survey (f, 4, "2025-07-01", NULL, NULL, NULL, NULL);
  g_free (apply (f->store, "assessment", NULL, "case_id", f->cases[4], "date", "2025-08-01", "kind", "needs",
                 "score_economic", "10", "score_social", "10", "score_psychosocial", "10", NULL));
  add_survey (f, 5, "2024-06-01", "20", "30", "40", "30");
  add_survey (f, 5, "2024-12-01", "50", "50", "50", "50");
  add_survey (f, 5, "2025-03-01", "80", "70", "60", "70");
  add_survey (f, 6, "2024-05-01", "10", "20", "30", "20");
  add_survey (f, 6, "2024-10-01", "40", "40", "40", "40");
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
  for (guint i = 0; i < 2; i++)
    {
      g_free (f->office[i]);
      g_free (f->programme[i]);
      g_free (f->partner[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (f->cases); i++)
    g_free (f->cases[i]);
}

static AwdaIndicators *
compute (Fixture                   *f,
         const AwdaIndicatorFilter *filter,
         AwdaIndicatorFlags         flags)
{
  g_autoptr(GError) error = NULL;
  AwdaIndicators *indicators = awda_indicators_compute (f->store, filter, flags, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (indicators);
  return indicators;
}

static double
value (AwdaIndicators  *indicators,
       AwdaIndicatorId  id,
       const char      *row,
       const char      *column)
{
  return awda_indicator_table_get (awda_indicators_get_table (indicators, id), row, column);
}

#define assert_value(ind, id, row, column, expected) \
  g_assert_cmpfloat_with_epsilon (value ((ind), (id), (row), (column)), (expected), 1e-9)
#define assert_nan(ind, id, row, column) \
  g_assert_true (isnan (value ((ind), (id), (row), (column))))

/* The keys of a table's rows, joined, in order. */
static char *
row_keys (const AwdaIndicatorTable *table)
{
  g_autoptr(GString) keys = g_string_new (NULL);

  for (guint i = 0; i < table->rows->len; i++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, i);

      g_string_append_printf (keys, "%s%s", i ? "," : "", *row->key ? row->key : "?");
    }
  return g_string_free (g_steal_pointer (&keys), FALSE);
}

static void
test_cases (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_NONE);
  const AwdaIndicatorTable *t;
  g_autofree char *countries = NULL;

  /* Opened in 2025: C1, C2, C3, C4, C6 (C5 and C7 before, C8 deleted). */
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "cases", 5);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "reception", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "assessment", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "plan", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "implementation", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "monitoring", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "closed", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "closed", "share", 0.4);

  /* Sfax: C1 plan, C2 implementation, C6 closed; Tunis: C3 closed, C4 reception. */
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, f->office[0], "total", 3);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, f->office[0], "plan", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, f->office[0], "implementation", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, f->office[0], "closed", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, f->office[1], "total", 2);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, f->office[1], "reception", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, f->office[1], "closed", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_OFFICE, "total", "total", 5);

  assert_value (ind, AWDA_INDICATOR_CASES_BY_GOVERNORATE, "TN-61", "cases", 3);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_GOVERNORATE, "TN-11", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_GOVERNORATE, "TN-83", "cases", 0);
  /* Every governorate has its row, for the map: 24 and the total. */
  g_assert_cmpuint (awda_indicators_get_table (ind, AWDA_INDICATOR_CASES_BY_GOVERNORATE)->rows->len, ==, 25);

  assert_value (ind, AWDA_INDICATOR_CASES_BY_SEX, "f", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_SEX, "m", "cases", 3);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_SEX, "", "cases", 1);

  assert_value (ind, AWDA_INDICATOR_CASES_BY_AGE, "0-17", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_AGE, "18-24", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_AGE, "25-34", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_AGE, "35-44", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_AGE, "45-54", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_AGE, "55+", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_AGE, "", "cases", 1);

  /* The most frequent first, ties by code, unknown last. */
  t = awda_indicators_get_table (ind, AWDA_INDICATOR_CASES_BY_HOST_COUNTRY);
  countries = row_keys (t);
  g_assert_cmpstr (countries, ==, "FR,IT,LY,?,total");
  assert_value (ind, AWDA_INDICATOR_CASES_BY_HOST_COUNTRY, "FR", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_HOST_COUNTRY, "FR", "share", 0.4);

  assert_value (ind, AWDA_INDICATOR_CASES_BY_RETURN_TYPE, "assisted_voluntary", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_RETURN_TYPE, "forced", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_RETURN_TYPE, "spontaneous", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_RETURN_TYPE, "", "cases", 1);

  /* A row per month of the period; closures by closed_on (C7 in
   * February, C3 in September; C6 closes in 2026). */
  t = awda_indicators_get_table (ind, AWDA_INDICATOR_CASES_BY_MONTH);
  g_assert_cmpuint (t->rows->len, ==, 12);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_MONTH, "2025-01", "opened", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_MONTH, "2025-02", "opened", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_MONTH, "2025-02", "closed", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_MONTH, "2025-05", "opened", 0);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_MONTH, "2025-06", "opened", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_MONTH, "2025-09", "closed", 1);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_MONTH, "2025-12", "closed", 0);

  assert_value (ind, AWDA_INDICATOR_CLOSURES, "reintegrated", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CLOSURES, "unreachable", "cases", 1);
  assert_value (ind, AWDA_INDICATOR_CLOSURES, "remigrated", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_CLOSURES, "total", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_CLOSURES, "reintegrated", "share", 0.5);
}

static void
test_plan_approval (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_NONE);
  const AwdaIndicatorId id = AWDA_INDICATOR_PLAN_APPROVAL;

  /* Days to the first approval: C1 15 (01-10 → 01-25, not PI2's later
   * one), C2 60 (02-01 → 04-02), C3 30 (03-15 → 04-14: a cancelled item
   * was approved all the same), C4 245 (2025-06-01 → 2026-02-01, after
   * the period), C6 none. */
  assert_value (ind, id, f->office[0], "cases_opened", 3);
  assert_value (ind, id, f->office[0], "with_approved_plan", 2);
  assert_value (ind, id, f->office[0], "median_days", 37.5);
  assert_value (ind, id, f->office[0], "mean_days", 37.5);
  assert_value (ind, id, f->office[0], "within_30_days", 1);
  assert_value (ind, id, f->office[0], "share_within_30_days", 0.5);

  assert_value (ind, id, f->office[1], "cases_opened", 2);
  assert_value (ind, id, f->office[1], "with_approved_plan", 2);
  assert_value (ind, id, f->office[1], "median_days", 137.5);
  assert_value (ind, id, f->office[1], "within_30_days", 1);  /* exactly 30 days counts */

  /* [15, 30, 60, 245]: median (30 + 60) / 2, mean 350 / 4. */
  assert_value (ind, id, "total", "cases_opened", 5);
  assert_value (ind, id, "total", "with_approved_plan", 4);
  assert_value (ind, id, "total", "median_days", 45);
  assert_value (ind, id, "total", "mean_days", 87.5);
  assert_value (ind, id, "total", "within_30_days", 2);
  assert_value (ind, id, "total", "share_within_30_days", 0.5);
}

static void
test_assistance (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_NONE);
  const AwdaIndicatorTable *t = awda_indicators_get_table (ind, AWDA_INDICATOR_ASSISTANCE);
  g_autofree char *business = g_strdup_printf ("%s/business_creation/EUR", f->programme[0]);
  g_autofree char *training = g_strdup_printf ("%s/vocational_training/EUR", f->programme[0]);
  g_autofree char *cash = g_strdup_printf ("%s/cash/EUR", f->programme[0]);
  g_autofree char *housing = g_strdup_printf ("%s/housing/TND", f->programme[1]);
  const AwdaIndicatorRow *row;

  /* Budgeted: PI1, PI2, PI3, PI5 (PI4 cancelled, PI7 and PI8 approved in
   * 2026, PI6 never); disbursed in 2025: PI2, PI3, PI5. Amounts are
   * thousandths. */
  g_assert_cmpuint (t->rows->len, ==, 4 + 2);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, business, "items_approved", 1);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, business, "budgeted", 3000000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, business, "items_disbursed", 0);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, training, "budgeted", 1000000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, training, "disbursed", 400000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, cash, "disbursed", 500000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, housing, "budgeted", 2500500);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, housing, "disbursed", 2500500);

  /* Totals per currency, never across them. */
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "items_approved", 3);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "budgeted", 4500000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "items_disbursed", 2);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "disbursed", 900000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:TND", "budgeted", 2500500);
  row = awda_indicator_table_lookup_row (t, "total:TND");
  g_assert_cmpstr (row->currency, ==, "TND");
  g_assert_true (row->total);
  row = awda_indicator_table_lookup_row (t, housing);
  g_assert_cmpstr (row->label, ==, "National — Housing");
}

static void
test_referrals (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_NONE);
  const AwdaIndicatorId id = AWDA_INDICATOR_REFERRALS;
  g_autofree char *order = row_keys (awda_indicators_get_table (ind, id));
  g_autofree char *expected = g_strdup_printf ("%s,%s,total", f->partner[0], f->partner[1]);

  /* ANETI: accepted, done, rejected: acceptance 2/3, completion 1/3. */
  g_assert_cmpstr (order, ==, expected);
  assert_value (ind, id, f->partner[0], "referrals", 3);
  assert_value (ind, id, f->partner[0], "accepted", 1);
  assert_value (ind, id, f->partner[0], "rejected", 1);
  assert_value (ind, id, f->partner[0], "done", 1);
  assert_value (ind, id, f->partner[0], "acceptance_rate", 2.0 / 3.0);
  assert_value (ind, id, f->partner[0], "completion_rate", 1.0 / 3.0);
  /* BTS in 2025: one awaiting, one done (RF5 was sent in 2024). */
  assert_value (ind, id, f->partner[1], "referrals", 2);
  assert_value (ind, id, f->partner[1], "awaiting", 1);
  assert_value (ind, id, f->partner[1], "acceptance_rate", 1.0);
  assert_value (ind, id, f->partner[1], "completion_rate", 0.5);
  /* All: answered 4, accepted or done 3; done 2 of 5. */
  assert_value (ind, id, "total", "referrals", 5);
  assert_value (ind, id, "total", "acceptance_rate", 0.75);
  assert_value (ind, id, "total", "completion_rate", 0.4);
}

static void
test_follow_ups (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_NONE);
  const AwdaIndicatorId id = AWDA_INDICATOR_FOLLOW_UPS;
  AwdaIndicatorFilter later = year_2025;

  assert_value (ind, id, "phone", "scheduled", 2);
  assert_value (ind, id, "phone", "on_time", 2);   /* 4 days, and 7 days: the grace */
  assert_value (ind, id, "phone", "on_time_rate", 1.0);
  assert_value (ind, id, "visit", "late", 1);      /* 8 days */
  assert_value (ind, id, "visit", "on_time_rate", 0.0);
  assert_value (ind, id, "office", "upcoming", 1); /* due today */
  assert_nan (ind, id, "office", "on_time_rate");  /* nothing due yet */
  assert_value (ind, id, "", "overdue", 1);        /* no mode recorded */
  assert_value (ind, id, "total", "scheduled", 5); /* F6 in 2026, F7 deleted */
  assert_value (ind, id, "total", "on_time", 2);
  assert_value (ind, id, "total", "late", 1);
  assert_value (ind, id, "total", "overdue", 1);
  assert_value (ind, id, "total", "upcoming", 1);
  assert_value (ind, id, "total", "on_time_rate", 0.5);

  /* Judged a day later, F5 is overdue too. */
  g_clear_pointer (&ind, awda_indicators_free);
  later.today = "2026-01-01";
  ind = compute (f, &later, AWDA_INDICATORS_NONE);
  assert_value (ind, id, "total", "overdue", 2);
  assert_value (ind, id, "total", "upcoming", 0);
  assert_value (ind, id, "total", "on_time_rate", 0.4);
}

static void
test_sustainability (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_NONE);
  const AwdaIndicatorId id = AWDA_INDICATOR_SUSTAINABILITY;

  /* C1, C2 and C5 (C3: a baseline only; C4: unscored; C6: its latest
   * survey is from 2024). */
  assert_value (ind, id, "economic", "cases", 3);
  assert_value (ind, id, "economic", "baseline", 30);    /* 40, 30, 20 */
  assert_value (ind, id, "economic", "follow_up", 70);   /* 70, 60, 80 */
  assert_value (ind, id, "economic", "change", 40);
  assert_value (ind, id, "economic", "baseline_reached", 0);
  assert_value (ind, id, "economic", "follow_up_reached", 2.0 / 3.0);
  assert_value (ind, id, "social", "baseline", 40);      /* 50, 40, 30 */
  assert_value (ind, id, "social", "follow_up", 70);     /* 70, 70, 70 */
  assert_value (ind, id, "social", "follow_up_reached", 1.0);
  assert_value (ind, id, "psychosocial", "baseline", 50);
  assert_value (ind, id, "psychosocial", "follow_up", 70);
  assert_value (ind, id, "psychosocial", "change", 20);
  /* Composite: 50, 40 (computed from C2's dimensions), 30; then 73, 67
   * (computed), 70. */
  assert_value (ind, id, "composite", "baseline", 40);
  assert_value (ind, id, "composite", "follow_up", 70);
  assert_value (ind, id, "composite", "change", 30);
  assert_value (ind, id, "composite", "follow_up_reached", 1.0);
  g_assert_cmpint (awda_indicators_get_threshold_score (ind), ==, 66);
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_NONE);
  const AwdaIndicatorId id = AWDA_INDICATOR_SUMMARY;

  assert_value (ind, id, "all", "cases_opened", 5);
  assert_value (ind, id, "all", "cases_closed", 2);
  assert_value (ind, id, "all", "median_days_to_plan", 45);
  assert_value (ind, id, "all", "share_plan_within_30_days", 0.5);
  assert_value (ind, id, "all", "referral_acceptance_rate", 0.75);
  assert_value (ind, id, "all", "follow_up_on_time_rate", 0.5);
  assert_value (ind, id, "all", "follow_ups_overdue", 1);
  assert_value (ind, id, "all", "cases_surveyed", 3);
  assert_value (ind, id, "all", "share_sustainable", 1.0);
}

static void
test_office_filter (Fixture       *f,
                    gconstpointer  data)
{
  AwdaIndicatorFilter filter = year_2025;
  g_autoptr(AwdaIndicators) ind = NULL;

  /* Sfax: C1, C2, C6; C5 (with its referral, follow-up and surveys)
   * belongs to Tunis. */
  filter.office = f->office[0];
  ind = compute (f, &filter, AWDA_INDICATORS_NONE);
  g_assert_cmpstr (awda_indicators_get_office_name (ind), ==, "Bureau de Sfax");
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "cases", 3);
  assert_value (ind, AWDA_INDICATOR_CLOSURES, "total", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_REFERRALS, "total", "referrals", 3);
  assert_value (ind, AWDA_INDICATOR_REFERRALS, f->partner[0], "referrals", 2);
  assert_value (ind, AWDA_INDICATOR_REFERRALS, f->partner[1], "done", 1);
  assert_value (ind, AWDA_INDICATOR_FOLLOW_UPS, "total", "scheduled", 4);
  assert_value (ind, AWDA_INDICATOR_FOLLOW_UPS, "total", "overdue", 0);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "budgeted", 4000000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "disbursed", 400000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:TND", "budgeted", 2500500);
  assert_value (ind, AWDA_INDICATOR_SUSTAINABILITY, "composite", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_SUSTAINABILITY, "composite", "follow_up", 70);  /* 73, 67 */
  assert_value (ind, AWDA_INDICATOR_PLAN_APPROVAL, "total", "median_days", 37.5);
}

static void
test_programme_filter (Fixture       *f,
                       gconstpointer  data)
{
  AwdaIndicatorFilter filter = year_2025;
  g_autoptr(AwdaIndicators) ind = NULL;

  /* OFII: the cases returned under it (C1, C3; C5 and C7 opened
   * before), and the plan items under it whatever their case's. */
  filter.programme = f->programme[0];
  ind = compute (f, &filter, AWDA_INDICATORS_NONE);
  g_assert_cmpstr (awda_indicators_get_programme_name (ind), ==, "OFII");
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_CLOSURES, "total", "cases", 2);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "budgeted", 4500000);
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "disbursed", 900000);
  g_assert_null (awda_indicator_table_lookup_row (awda_indicators_get_table (ind, AWDA_INDICATOR_ASSISTANCE), "total:TND"));
  assert_value (ind, AWDA_INDICATOR_REFERRALS, "total", "referrals", 3);
  assert_value (ind, AWDA_INDICATOR_REFERRALS, f->partner[0], "rejected", 1);
  assert_value (ind, AWDA_INDICATOR_REFERRALS, f->partner[1], "awaiting", 1);
  assert_value (ind, AWDA_INDICATOR_FOLLOW_UPS, "total", "scheduled", 3);
  assert_value (ind, AWDA_INDICATOR_SUSTAINABILITY, "composite", "cases", 2);  /* C1, C5 */

  /* Both filters: Tunis's OFII cases. */
  g_clear_pointer (&ind, awda_indicators_free);
  filter.office = f->office[1];
  ind = compute (f, &filter, AWDA_INDICATORS_NONE);
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "cases", 1);        /* C3 */
  assert_value (ind, AWDA_INDICATOR_REFERRALS, "total", "referrals", 2);         /* RF3, RF4 */
  assert_value (ind, AWDA_INDICATOR_ASSISTANCE, "total:EUR", "budgeted", 500000); /* PI5 */
}

static void
test_by_office (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AwdaIndicators) ind = compute (f, &year_2025, AWDA_INDICATORS_BY_OFFICE);
  const AwdaIndicatorTable *t;

  /* The whole is as without the flag, and each office has its own. */
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "cases", 5);
  g_assert_cmpuint (awda_indicators_get_n_offices (ind), ==, 2);
  g_assert_cmpstr (awda_indicators_get_office_label (ind, 0), ==, "Bureau de Sfax");
  g_assert_cmpstr (awda_indicators_get_office_id (ind, 1), ==, f->office[1]);

  t = awda_indicators_get_office_table (ind, 0, AWDA_INDICATOR_CASES_BY_STAGE);
  g_assert_cmpfloat (awda_indicator_table_get (t, "total", "cases"), ==, 3);
  t = awda_indicators_get_office_table (ind, 0, AWDA_INDICATOR_FOLLOW_UPS);
  g_assert_cmpfloat (awda_indicator_table_get (t, "total", "scheduled"), ==, 4);
  t = awda_indicators_get_office_table (ind, 1, AWDA_INDICATOR_CLOSURES);
  g_assert_cmpfloat (awda_indicator_table_get (t, "total", "cases"), ==, 2);
  t = awda_indicators_get_office_table (ind, 1, AWDA_INDICATOR_FOLLOW_UPS);
  g_assert_cmpfloat (awda_indicator_table_get (t, "total", "overdue"), ==, 1);   /* F4, C5 */
  t = awda_indicators_get_office_table (ind, 1, AWDA_INDICATOR_SUSTAINABILITY);
  g_assert_cmpfloat (awda_indicator_table_get (t, "composite", "cases"), ==, 1); /* C5 */
}

static void
test_empty_period (Fixture       *f,
                   gconstpointer  data)
{
  const AwdaIndicatorFilter empty = { "2030-01-01", "2030-12-31", NULL, NULL, "2030-12-31" };
  g_autoptr(AwdaIndicators) ind = compute (f, &empty, AWDA_INDICATORS_BY_OFFICE);

  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "cases", 0);
  assert_nan (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "share");
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "plan", "cases", 0);
  assert_value (ind, AWDA_INDICATOR_PLAN_APPROVAL, "total", "cases_opened", 0);
  assert_nan (ind, AWDA_INDICATOR_PLAN_APPROVAL, "total", "median_days");
  assert_nan (ind, AWDA_INDICATOR_PLAN_APPROVAL, "total", "share_within_30_days");
  g_assert_cmpuint (awda_indicators_get_table (ind, AWDA_INDICATOR_ASSISTANCE)->rows->len, ==, 0);
  assert_value (ind, AWDA_INDICATOR_REFERRALS, "total", "referrals", 0);
  assert_nan (ind, AWDA_INDICATOR_REFERRALS, "total", "acceptance_rate");
  assert_value (ind, AWDA_INDICATOR_FOLLOW_UPS, "total", "scheduled", 0);
  assert_nan (ind, AWDA_INDICATOR_FOLLOW_UPS, "total", "on_time_rate");
  assert_value (ind, AWDA_INDICATOR_SUSTAINABILITY, "composite", "cases", 0);
  assert_nan (ind, AWDA_INDICATOR_SUSTAINABILITY, "composite", "baseline");
  assert_value (ind, AWDA_INDICATOR_SUMMARY, "all", "cases_surveyed", 0);
  assert_nan (ind, AWDA_INDICATOR_SUMMARY, "all", "share_sustainable");
  g_assert_cmpuint (awda_indicators_get_table (ind, AWDA_INDICATOR_CASES_BY_MONTH)->rows->len, ==, 12);
  g_assert_cmpuint (awda_indicators_get_n_offices (ind), ==, 0);
}

static void
test_open_period (Fixture       *f,
                  gconstpointer  data)
{
  const AwdaIndicatorFilter all = { NULL, NULL, NULL, NULL, "2025-12-31" };
  g_autoptr(AwdaIndicators) ind = compute (f, &all, AWDA_INDICATORS_NONE);

  /* Every live case, whenever opened: C1 to C7. */
  assert_value (ind, AWDA_INDICATOR_CASES_BY_STAGE, "total", "cases", 7);
  assert_value (ind, AWDA_INDICATOR_CLOSURES, "total", "cases", 3);
  assert_value (ind, AWDA_INDICATOR_REFERRALS, "total", "referrals", 6);
  /* The months run from the first to the last one with data. */
  g_assert_cmpstr (((AwdaIndicatorRow *) g_ptr_array_index (awda_indicators_get_table (ind, AWDA_INDICATOR_CASES_BY_MONTH)->rows, 0))->key,
                   ==, "2023-05");
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AwdaIndicatorFilter filter = year_2025;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  filter.from = "2025-13-01";
  g_assert_null (awda_indicators_compute (f->store, &filter, 0, NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2025-13-01"));
  g_clear_error (&error);

  filter.from = "2026-01-01";
  g_assert_null (awda_indicators_compute (f->store, &filter, 0, NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  filter = year_2025;
  filter.office = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  g_assert_null (awda_indicators_compute (f->store, &filter, 0, NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, filter.office));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (awda_indicators_compute (f->store, &year_2025, 0, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_format (void)
{
  g_autofree char *count = awda_indicator_format_raw (AWDA_VALUE_COUNT, 1234);
  g_autofree char *amount = awda_indicator_format_raw (AWDA_VALUE_AMOUNT, 2500500);
  g_autofree char *ratio = awda_indicator_format_raw (AWDA_VALUE_RATIO, 2.0 / 3.0);
  g_autofree char *none = awda_indicator_format_raw (AWDA_VALUE_RATIO, NAN);
  g_autofree char *shown = awda_indicator_format_value (AWDA_VALUE_AMOUNT, 2500500, "TND");
  g_autofree char *shown_eur = awda_indicator_format_value (AWDA_VALUE_AMOUNT, 400000, "EUR");
  g_autofree char *percent = awda_indicator_format_value (AWDA_VALUE_RATIO, 0.125, NULL);
  g_autofree char *dash = awda_indicator_format_value (AWDA_VALUE_DAYS, NAN, NULL);
  g_autofree char *change = awda_indicator_format_value (AWDA_VALUE_CHANGE, 7, NULL);

  g_assert_cmpstr (count, ==, "1234");
  g_assert_cmpstr (amount, ==, "2500.5");
  g_assert_cmpstr (ratio, ==, "0.6667");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (shown, ==, "2500.500 TND");
  g_assert_cmpstr (shown_eur, ==, "400.00 EUR");
  g_assert_cmpstr (percent, ==, "12.5 %");
  g_assert_cmpstr (dash, ==, "—");
  g_assert_cmpstr (change, ==, "+7.0");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/indicators/cases", test_cases);
  ADD ("/core/indicators/plan-approval", test_plan_approval);
  ADD ("/core/indicators/assistance", test_assistance);
  ADD ("/core/indicators/referrals", test_referrals);
  ADD ("/core/indicators/follow-ups", test_follow_ups);
  ADD ("/core/indicators/sustainability", test_sustainability);
  ADD ("/core/indicators/summary", test_summary);
  ADD ("/core/indicators/office-filter", test_office_filter);
  ADD ("/core/indicators/programme-filter", test_programme_filter);
  ADD ("/core/indicators/by-office", test_by_office);
  ADD ("/core/indicators/empty-period", test_empty_period);
  ADD ("/core/indicators/open-period", test_open_period);
  ADD ("/core/indicators/refused", test_refused);
#undef ADD
  g_test_add_func ("/core/indicators/format", test_format);

  return g_test_run ();
}

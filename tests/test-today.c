/* test-today.c: the follow-ups due and the cases waiting for an action, by office and by caseworker
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hand-made office, on 10 March 2026: follow-ups due today, overdue,
 * in the future, done and deleted; cases at reception with and without
 * consent, old and new; at assessment with and without an assessment;
 * plan items below and above the thresholds of two offices and the
 * defaults; a case in implementation with a follow-up overdue; a closed
 * and a deleted case. The expected rows were worked out by hand from
 * that list, and are written out below.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "awda-today.h"
#include "awda-workflow.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  gint64     now_ms;

  char      *sfax;        /* the local office (named as the site): threshold 2000 TND */
  char      *tunis;       /* threshold 500 EUR */
  char      *amel;        /* caseworker, Sfax */
  char      *karim;       /* caseworker, Sfax */
  char      *supervisor;

  /* cases */
  char      *amira;       /* monitoring, Sfax, Amel: follow-ups due, overdue, future, done, deleted */
  char      *youssef;     /* implementation, Sfax, Karim: a follow-up one day overdue */
  char      *fatma;       /* plan, Tunis, Amel: a follow-up due today */
  char      *sami;        /* closed, Sfax, Amel: a follow-up overdue */
  char      *leila;       /* reception, Sfax, Amel: no consent, opened 2 days ago */
  char      *karima;      /* reception, Sfax, Karim: consent, opened 18 days ago */
  char      *ines;        /* reception, Sfax, Karim: consent, opened 5 days ago */
  char      *anis;        /* assessment since 1 March, Sfax, Amel: no assessment */
  char      *sonia;       /* assessment, Sfax, Karim: assessed */
  char      *walid;       /* plan, Sfax, Karim: plan items */
  char      *rim;         /* plan, Tunis, Amel: plan items */
  char      *hatem;       /* plan, no office, nobody: one plan item */
  char      *nadia;       /* reception, Sfax, Amel, no consent: deleted */

  /* follow-ups of Amira */
  char      *due_today;
  char      *overdue_3;
  char      *future;
  char      *done;
  char      *deleted;
  /* and of the others */
  char      *youssef_overdue;
  char      *fatma_due;
  char      *sami_overdue;

  /* plan items */
  char      *walid_2500_tnd;   /* above Sfax's 2000 TND, proposed 6 days ago */
  char      *walid_1500_tnd;   /* below */
  char      *walid_5000_tnd;   /* above, but approved */
  char      *walid_900_eur;    /* Sfax counts in TND: the EUR default, 1000, applies; below */
  char      *walid_1200_eur;   /* above the EUR default, proposed 2 days ago */
  char      *walid_no_currency;/* a budget without currency always needs a supervisor */
  char      *rim_600_eur;      /* above Tunis's 500 EUR, proposed 4 days ago */
  char      *rim_2500_tnd;     /* Tunis counts in EUR: the TND default, 3000, applies; below */
  char      *hatem_2100_tnd;   /* no office: the local one's 2000 TND applies; above, 1 day ago */
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;
  return f->now_ms;
}

/* Local noon of a day of March 2026. */
static void
set_day (Fixture *f,
         int      day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (2026, 3, day, 12, 0, 0);

  f->now_ms = g_date_time_to_unix (dt) * 1000;
}

static char *
create (AwdaStore  *store,
        const char *entity,
        ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, NULL);
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;

  va_start (args, entity);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static char *
add_case (Fixture    *f,
          const char *given_name,
          const char *family_name,
          const char *status,
          const char *office,
          const char *caseworker,
          const char *opened_on,
          gboolean    consent)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, "given_name", given_name);
  awda_edit_set (edit, "family_name", family_name);
  awda_edit_set (edit, "status", status);
  awda_edit_set (edit, "owner_office", office);
  awda_edit_set (edit, "caseworker", caseworker);
  awda_edit_set (edit, "opened_on", opened_on);
  if (consent)
    {
      awda_edit_set (edit, "consent_given_on", opened_on);
      awda_edit_set (edit, "consent_scope", "referral");
    }
  awda_store_apply (f->store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static void
set_field (AwdaStore  *store,
           const char *entity,
           const char *id,
           const char *field,
           const char *value)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, id);
  g_autoptr(GError) error = NULL;

  awda_edit_set (edit, field, value);
  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
}

static char *
follow_up (Fixture    *f,
           const char *case_id,
           const char *scheduled_on,
           const char *done_on)
{
  return create (f->store, "follow_up", "case_id", case_id, "scheduled_on", scheduled_on,
                 "done_on", done_on, "mode", "phone", NULL);
}

static char *
plan_item (Fixture    *f,
           const char *case_id,
           const char *budget,
           const char *currency,
           const char *status)
{
  return create (f->store, "plan_item", "case_id", case_id, "dimension", "economic",
                 "kind", "business_creation", "budget", budget, "currency", currency,
                 "status", status, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-test-today-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);

  f->store = awda_store_create (f->path, "Bureau régional de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);
  awda_store_set_wall_clock (f->store, fake_clock, f);

  /* The clock only moves forward (it is the change log's): what must
   * look older is written first. */
  set_day (f, 1);
  f->sfax = create (f->store, "office", "name", "Bureau régional de Sfax", "kind", "regional",
                    "governorate", "TN-61", "approval_threshold", "2000", "threshold_currency", "TND", NULL);
  f->tunis = create (f->store, "office", "name", "Bureau régional de Tunis", "kind", "regional",
                     "governorate", "TN-11", "approval_threshold", "500", "threshold_currency", "EUR", NULL);
  f->amel = create (f->store, "staff", "name", "Amel Jaziri", "role", "caseworker",
                    "office", f->sfax, "active", "true", NULL);
  f->karim = create (f->store, "staff", "name", "Karim Souissi", "role", "caseworker",
                     "office", f->sfax, "active", "true", NULL);
  f->supervisor = create (f->store, "staff", "name", "Hela Belhadj", "role", "supervisor",
                          "office", f->sfax, "active", "true", NULL);

  /* Anis reaches assessment on 1 March. */
  f->anis = add_case (f, "Anis", "Chebbi", "assessment", f->sfax, f->amel, "2026-02-25", TRUE);
  f->walid = add_case (f, "Walid", "Khelifi", "plan", f->sfax, f->karim, "2026-01-05", TRUE);
  f->rim = add_case (f, "Rim", "Ayari", "plan", f->tunis, f->amel, "2026-01-06", TRUE);
  f->hatem = add_case (f, "Hatem", "Dridi", "plan", NULL, NULL, "2026-01-07", TRUE);

  set_day (f, 4);
  f->walid_2500_tnd = plan_item (f, f->walid, "2500", "TND", "proposed");
  set_day (f, 6);
  f->rim_600_eur = plan_item (f, f->rim, "600", "EUR", "proposed");
  set_day (f, 8);
  f->walid_1200_eur = plan_item (f, f->walid, "1200", "EUR", "proposed");
  set_day (f, 9);
  f->hatem_2100_tnd = plan_item (f, f->hatem, "2100", "TND", "proposed");

  set_day (f, 10);
  f->walid_1500_tnd = plan_item (f, f->walid, "1500", "TND", "proposed");
  f->walid_5000_tnd = plan_item (f, f->walid, "5000", "TND", "approved");
  f->walid_900_eur = plan_item (f, f->walid, "900", "EUR", "proposed");
  f->walid_no_currency = plan_item (f, f->walid, "100", NULL, "proposed");
  f->rim_2500_tnd = plan_item (f, f->rim, "2500", "TND", "proposed");

  f->amira = add_case (f, "Amira", "Trabelsi", "monitoring", f->sfax, f->amel, "2025-10-01", TRUE);
  f->due_today = follow_up (f, f->amira, "2026-03-10", NULL);
  f->overdue_3 = follow_up (f, f->amira, "2026-03-07", NULL);
  f->future = follow_up (f, f->amira, "2026-03-12", NULL);
  f->done = follow_up (f, f->amira, "2026-03-01", "2026-03-02");
  f->deleted = follow_up (f, f->amira, "2026-03-05", NULL);
  set_field (f->store, "follow_up", f->deleted, "deleted", "true");

  f->youssef = add_case (f, "Youssef", "Gharbi", "implementation", f->sfax, f->karim, "2025-09-15", TRUE);
  f->youssef_overdue = follow_up (f, f->youssef, "2026-03-09", NULL);

  f->fatma = add_case (f, "Fatma", "Jlassi", "plan", f->tunis, f->amel, "2026-01-20", TRUE);
  f->fatma_due = follow_up (f, f->fatma, "2026-03-10", NULL);

  f->sami = add_case (f, "Sami", "Bouazizi", "closed", f->sfax, f->amel, "2025-01-10", TRUE);
  f->sami_overdue = follow_up (f, f->sami, "2026-02-01", NULL);

  f->leila = add_case (f, "Leila", "Mansouri", "reception", f->sfax, f->amel, "2026-03-08", FALSE);
  f->karima = add_case (f, "Karima", "Ayari", "reception", f->sfax, f->karim, "2026-02-20", TRUE);
  f->ines = add_case (f, "Ines", "Hammami", "reception", f->sfax, f->karim, "2026-03-05", TRUE);

  f->sonia = add_case (f, "Sonia", "Zouari", "assessment", f->sfax, f->karim, "2026-02-25", TRUE);
  g_free (create (f->store, "assessment", "case_id", f->sonia, "date", "2026-03-02", "kind", "needs", NULL));

  f->nadia = add_case (f, "Nadia", "Ferchichi", "reception", f->sfax, f->amel, "2026-03-01", FALSE);
  set_field (f->store, "case", f->nadia, "deleted", "true");
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  char **strings[] = {
    &f->sfax, &f->tunis, &f->amel, &f->karim, &f->supervisor,
    &f->amira, &f->youssef, &f->fatma, &f->sami, &f->leila, &f->karima, &f->ines, &f->anis,
    &f->sonia, &f->walid, &f->rim, &f->hatem, &f->nadia,
    &f->due_today, &f->overdue_3, &f->future, &f->done, &f->deleted,
    &f->youssef_overdue, &f->fatma_due, &f->sami_overdue,
    &f->walid_2500_tnd, &f->walid_1500_tnd, &f->walid_5000_tnd, &f->walid_900_eur,
    &f->walid_1200_eur, &f->walid_no_currency, &f->rim_600_eur, &f->rim_2500_tnd, &f->hatem_2100_tnd,
  };

  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* What one row should be. */
typedef struct
{
  AwdaTodayKind  kind;
  const char    *case_id;
  const char    *record_id;  /* NULL: the case itself */
  const char    *since;
  int            days;
} Expected;

static void
assert_items (GPtrArray      *items,
              const Expected *expected,
              guint           n_expected)
{
  g_assert_nonnull (items);
  for (guint i = 0; i < MIN (items->len, n_expected); i++)
    {
      const AwdaTodayItem *item = g_ptr_array_index (items, i);

      g_test_message ("row %u: kind %d, case %s %s, record %s, since %s (%d days)", i, item->kind,
                      item->given_name, item->family_name, item->record_id, item->since, item->days);
      g_assert_cmpint (item->kind, ==, expected[i].kind);
      g_assert_cmpstr (item->case_id, ==, expected[i].case_id);
      g_assert_cmpstr (item->record_id, ==, expected[i].record_id);
      g_assert_cmpstr (item->since, ==, expected[i].since);
      g_assert_cmpint (item->days, ==, expected[i].days);
    }
  g_assert_cmpuint (items->len, ==, n_expected);
}

static GPtrArray *
follow_ups (Fixture    *f,
            const char *office,
            const char *caseworker,
            guint       limit,
            gboolean   *truncated)
{
  AwdaTodayQuery query = { .office = office, .caseworker = caseworker, .limit = limit };
  g_autoptr(GError) error = NULL;
  GPtrArray *items = awda_today_list_follow_ups (f->store, &query, truncated, &error);

  g_assert_no_error (error);
  return items;
}

static GPtrArray *
waiting (Fixture    *f,
         const char *office,
         const char *caseworker,
         guint       limit,
         gboolean   *truncated)
{
  AwdaTodayQuery query = { .office = office, .caseworker = caseworker, .limit = limit };
  g_autoptr(GError) error = NULL;
  GPtrArray *items = awda_today_list_waiting (f->store, &query, truncated, &error);

  g_assert_no_error (error);
  return items;
}

static void
test_date (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *today = awda_today_get_date (f->store);

  g_assert_cmpstr (today, ==, "2026-03-10");
}

static void
test_follow_ups_office (Fixture       *f,
                        gconstpointer  data)
{
  /* Sfax: Amira's due today and 3 days overdue, Youssef's 1 day overdue;
   * not Fatma's (Tunis), nor Sami's (closed), nor the future, done or
   * deleted ones. Today's first, then the most recently due. */
  const Expected expected[] = {
    { AWDA_TODAY_FOLLOW_UP_DUE, f->amira, f->due_today, "2026-03-10", 0 },
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->youssef, f->youssef_overdue, "2026-03-09", 1 },
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->amira, f->overdue_3, "2026-03-07", 3 },
  };
  gboolean truncated = TRUE;
  g_autoptr(GPtrArray) items = follow_ups (f, f->sfax, NULL, 0, &truncated);
  const AwdaTodayItem *first;

  assert_items (items, expected, G_N_ELEMENTS (expected));
  g_assert_false (truncated);

  first = g_ptr_array_index (items, 0);
  g_assert_cmpstr (first->given_name, ==, "Amira");
  g_assert_cmpstr (first->family_name, ==, "Trabelsi");
  g_assert_cmpstr (first->status, ==, "monitoring");
  g_assert_cmpstr (first->mode, ==, "phone");
  g_assert_cmpint (first->case_rowid, >, 0);
}

static void
test_follow_ups_caseworker (Fixture       *f,
                            gconstpointer  data)
{
  /* Amel's cases, in either office: Fatma's and Amira's due today (the
   * later written first), Amira's overdue; Sami's case is closed. */
  const Expected expected[] = {
    { AWDA_TODAY_FOLLOW_UP_DUE, f->fatma, f->fatma_due, "2026-03-10", 0 },
    { AWDA_TODAY_FOLLOW_UP_DUE, f->amira, f->due_today, "2026-03-10", 0 },
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->amira, f->overdue_3, "2026-03-07", 3 },
  };
  const Expected karim[] = {
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->youssef, f->youssef_overdue, "2026-03-09", 1 },
  };
  const Expected amel_in_tunis[] = {
    { AWDA_TODAY_FOLLOW_UP_DUE, f->fatma, f->fatma_due, "2026-03-10", 0 },
  };
  g_autoptr(GPtrArray) items = follow_ups (f, NULL, f->amel, 0, NULL);
  g_autoptr(GPtrArray) karims = follow_ups (f, NULL, f->karim, 0, NULL);
  g_autoptr(GPtrArray) both = follow_ups (f, f->tunis, f->amel, 0, NULL);
  g_autoptr(GPtrArray) nobody = follow_ups (f, NULL, f->supervisor, 0, NULL);

  assert_items (items, expected, G_N_ELEMENTS (expected));
  assert_items (karims, karim, G_N_ELEMENTS (karim));
  assert_items (both, amel_in_tunis, G_N_ELEMENTS (amel_in_tunis));
  assert_items (nobody, NULL, 0);
}

static void
test_follow_ups_limit (Fixture       *f,
                       gconstpointer  data)
{
  /* Every office: four follow-ups, of which the first two. */
  const Expected expected[] = {
    { AWDA_TODAY_FOLLOW_UP_DUE, f->fatma, f->fatma_due, "2026-03-10", 0 },
    { AWDA_TODAY_FOLLOW_UP_DUE, f->amira, f->due_today, "2026-03-10", 0 },
  };
  gboolean truncated = FALSE;
  g_autoptr(GPtrArray) all = follow_ups (f, NULL, NULL, 0, &truncated);
  g_autoptr(GPtrArray) two = NULL;

  g_assert_cmpuint (all->len, ==, 4);
  g_assert_false (truncated);

  two = follow_ups (f, NULL, NULL, 2, &truncated);
  assert_items (two, expected, G_N_ELEMENTS (expected));
  g_assert_true (truncated);

  /* Exactly at the limit is not more than it. */
  g_clear_pointer (&two, g_ptr_array_unref);
  two = follow_ups (f, NULL, NULL, 4, &truncated);
  g_assert_cmpuint (two->len, ==, 4);
  g_assert_false (truncated);
}

static void
test_follow_ups_tomorrow (Fixture       *f,
                          gconstpointer  data)
{
  /* Two days later, the one of 12 March is due, and those of today are
   * two days overdue. */
  const Expected expected[] = {
    { AWDA_TODAY_FOLLOW_UP_DUE, f->amira, f->future, "2026-03-12", 0 },
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->amira, f->due_today, "2026-03-10", 2 },
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->youssef, f->youssef_overdue, "2026-03-09", 3 },
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->amira, f->overdue_3, "2026-03-07", 5 },
  };
  g_autoptr(GPtrArray) items = NULL;

  set_day (f, 12);
  items = follow_ups (f, f->sfax, NULL, 0, NULL);
  assert_items (items, expected, G_N_ELEMENTS (expected));
}

static void
test_waiting_office (Fixture       *f,
                     gconstpointer  data)
{
  /* Sfax, kind by kind: Leila without consent (not Nadia, deleted);
   * Karima at reception for 18 days (not Ines, 5 days); Anis without an
   * assessment since 1 March (not Sonia); Walid's items above the
   * thresholds, the longest waiting first (not the approved one, nor
   * those below; not Rim's, of Tunis, nor Hatem's, of no office);
   * Youssef in implementation with a follow-up overdue. */
  const Expected expected[] = {
    { AWDA_TODAY_NO_CONSENT, f->leila, NULL, "2026-03-08", 2 },
    { AWDA_TODAY_RECEPTION_WAITING, f->karima, NULL, "2026-02-20", 18 },
    { AWDA_TODAY_NO_ASSESSMENT, f->anis, NULL, "2026-03-01", 9 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_2500_tnd, "2026-03-04", 6 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_1200_eur, "2026-03-08", 2 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_no_currency, "2026-03-10", 0 },
    { AWDA_TODAY_IMPLEMENTATION_OVERDUE, f->youssef, NULL, "2026-03-09", 1 },
  };
  gboolean truncated = TRUE;
  g_autoptr(GPtrArray) items = waiting (f, f->sfax, NULL, 0, &truncated);
  const AwdaTodayItem *approval;

  assert_items (items, expected, G_N_ELEMENTS (expected));
  g_assert_false (truncated);

  approval = g_ptr_array_index (items, 3);
  g_assert_cmpstr (approval->plan_kind, ==, "business_creation");
  g_assert_cmpstr (approval->budget, ==, "2500");
  g_assert_cmpstr (approval->currency, ==, "TND");
  approval = g_ptr_array_index (items, 5);
  g_assert_cmpstr (approval->budget, ==, "100");
  g_assert_null (approval->currency);
}

static void
test_waiting_caseworker (Fixture       *f,
                         gconstpointer  data)
{
  /* Amel: Leila, Anis, and Rim's item above Tunis's 500 EUR (not the
   * 2500 TND one: Tunis counts in euros, so the 3000 TND default
   * applies). */
  const Expected expected[] = {
    { AWDA_TODAY_NO_CONSENT, f->leila, NULL, "2026-03-08", 2 },
    { AWDA_TODAY_NO_ASSESSMENT, f->anis, NULL, "2026-03-01", 9 },
    { AWDA_TODAY_APPROVAL, f->rim, f->rim_600_eur, "2026-03-06", 4 },
  };
  g_autoptr(GPtrArray) items = waiting (f, NULL, f->amel, 0, NULL);

  assert_items (items, expected, G_N_ELEMENTS (expected));
}

static void
test_waiting_everyone (Fixture       *f,
                       gconstpointer  data)
{
  /* Every case: Hatem's item too, under the local office's threshold
   * (2000 TND) since his case has no office; at most two of a kind. */
  const Expected expected[] = {
    { AWDA_TODAY_NO_CONSENT, f->leila, NULL, "2026-03-08", 2 },
    { AWDA_TODAY_RECEPTION_WAITING, f->karima, NULL, "2026-02-20", 18 },
    { AWDA_TODAY_NO_ASSESSMENT, f->anis, NULL, "2026-03-01", 9 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_2500_tnd, "2026-03-04", 6 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_1200_eur, "2026-03-08", 2 },
    { AWDA_TODAY_IMPLEMENTATION_OVERDUE, f->youssef, NULL, "2026-03-09", 1 },
  };
  const Expected approvals[] = {
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_2500_tnd, "2026-03-04", 6 },
    { AWDA_TODAY_APPROVAL, f->rim, f->rim_600_eur, "2026-03-06", 4 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_1200_eur, "2026-03-08", 2 },
    { AWDA_TODAY_APPROVAL, f->hatem, f->hatem_2100_tnd, "2026-03-09", 1 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_no_currency, "2026-03-10", 0 },
  };
  gboolean truncated = FALSE;
  g_autoptr(GPtrArray) items = waiting (f, NULL, NULL, 2, &truncated);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) only_approvals = g_ptr_array_new ();

  assert_items (items, expected, G_N_ELEMENTS (expected));
  g_assert_true (truncated);

  all = waiting (f, NULL, NULL, 0, &truncated);
  g_assert_false (truncated);
  for (guint i = 0; i < all->len; i++)
    {
      AwdaTodayItem *item = g_ptr_array_index (all, i);

      if (item->kind == AWDA_TODAY_APPROVAL)
        g_ptr_array_add (only_approvals, item);
    }
  assert_items (only_approvals, approvals, G_N_ELEMENTS (approvals));
}

/* The list agrees with the workflow: a proposed item is listed exactly
 * when a caseworker may not approve it and the supervisor may. */
static void
test_waiting_agrees_with_workflow (Fixture       *f,
                                   gconstpointer  data)
{
  const char *proposed[] = {
    f->walid_2500_tnd, f->walid_1500_tnd, f->walid_900_eur, f->walid_1200_eur,
    f->walid_no_currency, f->rim_600_eur, f->rim_2500_tnd, f->hatem_2100_tnd,
  };
  g_autoptr(GPtrArray) items = waiting (f, NULL, NULL, 0, NULL);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 threshold = 0;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      AwdaTodayItem *item = g_ptr_array_index (items, i);

      if (item->kind == AWDA_TODAY_APPROVAL)
        g_hash_table_add (listed, item->record_id);
    }

  for (guint i = 0; i < G_N_ELEMENTS (proposed); i++)
    {
      g_autoptr(GError) refused = NULL;
      gboolean caseworker_may = awda_workflow_check_approval (f->store, proposed[i], f->karim, &refused);

      g_assert_true (awda_workflow_check_approval (f->store, proposed[i], f->supervisor, &error));
      g_assert_no_error (error);
      g_assert_cmpint (caseworker_may, ==, !g_hash_table_contains (listed, proposed[i]));
    }

  /* The thresholds the lists used, as the workflow states them. */
  g_assert_true (awda_workflow_get_threshold (f->store, f->walid, "TND", &threshold, &error));
  g_assert_cmpint (threshold, ==, 2000000);
  g_assert_true (awda_workflow_get_threshold (f->store, f->walid, "EUR", &threshold, &error));
  g_assert_cmpint (threshold, ==, AWDA_DEFAULT_THRESHOLD_EUR);
  g_assert_true (awda_workflow_get_threshold (f->store, f->rim, "EUR", &threshold, &error));
  g_assert_cmpint (threshold, ==, 500000);
  g_assert_true (awda_workflow_get_threshold (f->store, f->hatem, "TND", &threshold, &error));
  g_assert_cmpint (threshold, ==, 2000000);
  g_assert_no_error (error);
}

static void
test_waiting_changes (Fixture       *f,
                      gconstpointer  data)
{
  /* Consent recorded, an assessment made, an item approved, the
   * follow-up done: each case leaves the list. */
  const Expected expected[] = {
    { AWDA_TODAY_RECEPTION_WAITING, f->karima, NULL, "2026-02-20", 18 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_1200_eur, "2026-03-08", 2 },
    { AWDA_TODAY_APPROVAL, f->walid, f->walid_no_currency, "2026-03-10", 0 },
  };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  set_field (f->store, "case", f->leila, "consent_given_on", "2026-03-10");
  set_field (f->store, "case", f->leila, "consent_scope", "case_management");
  g_free (create (f->store, "assessment", "case_id", f->anis, "date", "2026-03-10", "kind", "needs", NULL));
  g_assert_true (awda_workflow_approve_plan_item (f->store, f->walid_2500_tnd, f->supervisor, &error));
  g_assert_no_error (error);
  g_assert_true (awda_today_mark_done (f->store, f->youssef_overdue, NULL, &error));
  g_assert_no_error (error);

  items = waiting (f, f->sfax, NULL, 0, NULL);
  assert_items (items, expected, G_N_ELEMENTS (expected));
}

static void
test_mark_done (Fixture       *f,
                gconstpointer  data)
{
  const Expected expected[] = {
    { AWDA_TODAY_FOLLOW_UP_DUE, f->amira, f->due_today, "2026-03-10", 0 },
    { AWDA_TODAY_FOLLOW_UP_OVERDUE, f->youssef, f->youssef_overdue, "2026-03-09", 1 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_assert_true (awda_today_mark_done (f->store, f->overdue_3, f->amel, &error));
  g_assert_no_error (error);

  record = awda_store_get_record (f->store, "follow_up", f->overdue_3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "done_on"), ==, "2026-03-10");
  g_assert_cmpstr (awda_record_get (record, "done_by"), ==, f->amel);
  g_assert_cmpstr (awda_record_get (record, "scheduled_on"), ==, "2026-03-07");

  items = follow_ups (f, f->sfax, NULL, 0, NULL);
  assert_items (items, expected, G_N_ELEMENTS (expected));

  /* Twice: refused, with the date it was done. */
  g_assert_false (awda_today_mark_done (f->store, f->overdue_3, f->amel, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2026-03-10"));
  g_clear_error (&error);

  /* Deleted: refused. Unknown: not found. */
  g_assert_false (awda_today_mark_done (f->store, f->deleted, NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (awda_today_mark_done (f->store, "0190aaaa-0000-7000-8000-000000000000", NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A staff id that names nobody here: done, without done_by. */
  g_assert_true (awda_today_mark_done (f->store, f->due_today, "0190bbbb-0000-7000-8000-000000000000", &error));
  g_assert_no_error (error);
  g_clear_pointer (&record, awda_record_free);
  record = awda_store_get_record (f->store, "follow_up", f->due_today, &error);
  g_assert_cmpstr (awda_record_get (record, "done_on"), ==, "2026-03-10");
  g_assert_null (awda_record_get (record, "done_by"));
}

static void
test_local_office (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *office = awda_today_get_local_office (f->store, &error);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AwdaStore) other = NULL;
  g_autofree char *none = NULL;
  g_autofree char *by_governorate = NULL;
  g_autofree char *gabes = NULL;

  /* Named as the site. */
  g_assert_no_error (error);
  g_assert_cmpstr (office, ==, f->sfax);

  /* Another installation, "Antenne de Gabès": no office at first, then
   * the regional office of its governorate. */
  dir = g_dir_make_tmp ("awda-test-today-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "awda.db", NULL);
  other = awda_store_create (path, "Antenne de Gabès", "regional", "TN-81", &error);
  g_assert_no_error (error);

  none = awda_today_get_local_office (other, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_free (create (other, "office", "name", "Bureau régional de Sfax", "kind", "regional",
                  "governorate", "TN-61", NULL));
  g_free (create (other, "office", "name", "Antenne mobile de Gabès", "kind", "field",
                  "governorate", "TN-81", NULL));
  gabes = create (other, "office", "name", "Bureau régional de Gabès", "kind", "regional",
                  "governorate", "TN-81", NULL);
  by_governorate = awda_today_get_local_office (other, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_governorate, ==, gabes);

  g_assert_finalize_object (g_steal_pointer (&other));
  remove_tree (dir);
}

static void
test_bad_date (Fixture       *f,
               gconstpointer  data)
{
  AwdaTodayQuery query = { .today = "10/03/2026" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = awda_today_list_follow_ups (f->store, &query, NULL, &error);

  g_assert_null (items);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "10/03/2026"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/today/date", test_date);
  ADD ("/core/today/follow-ups/office", test_follow_ups_office);
  ADD ("/core/today/follow-ups/caseworker", test_follow_ups_caseworker);
  ADD ("/core/today/follow-ups/limit", test_follow_ups_limit);
  ADD ("/core/today/follow-ups/later", test_follow_ups_tomorrow);
  ADD ("/core/today/waiting/office", test_waiting_office);
  ADD ("/core/today/waiting/caseworker", test_waiting_caseworker);
  ADD ("/core/today/waiting/everyone", test_waiting_everyone);
  ADD ("/core/today/waiting/workflow", test_waiting_agrees_with_workflow);
  ADD ("/core/today/waiting/changes", test_waiting_changes);
  ADD ("/core/today/mark-done", test_mark_done);
  ADD ("/core/today/local-office", test_local_office);
  ADD ("/core/today/bad-date", test_bad_date);
#undef ADD

  return g_test_run ();
}

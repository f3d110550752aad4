/* test-demo.c: the demo data: deterministic, realistic, consistent with each case's stage
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "awda-demo-private.h"
#include "awda-demo.h"
#include "awda-store-private.h"

#define SITE_A "5f0c1d2e3a4b59687a8b9c0d1e2f3a4b"
#define SITE_B "a1b2c3d4e5f60718293a4b5c6d7e8f90"

static const char *stages[] = { "reception", "assessment", "plan", "implementation", "monitoring", "closed" };

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static AwdaStore *
new_store (Fixture    *f,
           const char *file,
           const char *site_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, file, NULL);
  AwdaStore *store;

  store = awda_store_create_with_id (path, site_id, "Plateforme centrale", "central", "TN-11", &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
generate (AwdaStore *store,
          guint      n_cases,
          guint64    seed)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_demo_generate (store, n_cases, seed, NULL, NULL, &error));
  g_assert_no_error (error);
}

static GBytes *
dump (AwdaStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_true (awda_store_dump (store, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static gint64
test_count (AwdaStore  *store,
            const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* (element-type AwdaRecord): every live case */
static GPtrArray *
all_cases (AwdaStore *store)
{
  g_autoptr(GError) error = NULL;
  AwdaCaseQuery query = { 0 };
  g_autoptr(GArray) rowids = NULL;
  GPtrArray *cases;

  rowids = awda_store_query_cases (store, &query, &error);
  g_assert_no_error (error);
  cases = awda_store_fetch_cases (store, (const gint64 *) rowids->data, rowids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, rowids->len);
  return cases;
}

static guint
count_records (AwdaStore  *store,
               const char *entity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = awda_store_list_records (store, entity, &error);

  g_assert_no_error (error);
  return records->len;
}

static guint
stage_of (const char *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    if (g_strcmp0 (stages[i], status) == 0)
      return i;
  g_assert_not_reached ();
}

static void
test_demo_deterministic (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AwdaStore) one = new_store (f, "one.db", SITE_A);
  g_autoptr(AwdaStore) two = new_store (f, "two.db", SITE_A);
  g_autoptr(AwdaStore) other_seed = new_store (f, "three.db", SITE_A);
  g_autoptr(AwdaStore) other_site = new_store (f, "four.db", SITE_B);
  g_autoptr(GBytes) dump_one = NULL;
  g_autoptr(GBytes) dump_two = NULL;
  g_autoptr(GBytes) dump_other_seed = NULL;
  g_autoptr(GPtrArray) cases_one = NULL;
  g_autoptr(GPtrArray) cases_other_site = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  generate (one, 300, 7);
  generate (two, 300, 7);
  generate (other_seed, 300, 8);
  generate (other_site, 300, 7);

  dump_one = dump (one);
  dump_two = dump (two);
  dump_other_seed = dump (other_seed);
  g_assert_cmpuint (g_bytes_get_size (dump_one), >, 100000);
  g_assert_true (g_bytes_equal (dump_one, dump_two));
  g_assert_false (g_bytes_equal (dump_one, dump_other_seed));

  /* Another site with the same seed makes records of its own: no id in common. */
  cases_one = all_cases (one);
  cases_other_site = all_cases (other_site);
  g_assert_cmpuint (cases_one->len, ==, 300);
  g_assert_cmpuint (cases_other_site->len, ==, 300);
  for (guint i = 0; i < cases_one->len; i++)
    {
      const AwdaRecord *r = g_ptr_array_index (cases_one, i);

      g_assert_true (awda_uuid_is_valid (r->id));
      g_hash_table_add (ids, r->id);
    }
  for (guint i = 0; i < cases_other_site->len; i++)
    {
      const AwdaRecord *r = g_ptr_array_index (cases_other_site, i);

      g_assert_false (g_hash_table_contains (ids, r->id));
    }
}

static void
test_demo_stages (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AwdaStore) store = new_store (f, "awda.db", SITE_A);
  guint counts[G_N_ELEMENTS (stages)] = { 0 };

  generate (store, 500, 1);

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) rowids = NULL;
      AwdaCaseQuery query = { .status = stages[i] };

      rowids = awda_store_query_cases (store, &query, &error);
      g_assert_no_error (error);
      counts[i] = rowids->len;
      g_test_message ("%s: %u cases", stages[i], counts[i]);
      g_assert_cmpuint (counts[i], >=, 25);
    }

  g_assert_cmpint (awda_store_count_cases (store, NULL), ==, 500);
  /* More cases in the early stages than at the end */
  g_assert_cmpuint (counts[0] + counts[1], >, counts[4] + counts[5]);
}

typedef struct
{
  guint members, assessments, plan_items, referrals, follow_ups;
  guint pending_follow_ups, surveys;
} Children;

static GPtrArray *
children_of (AwdaStore  *store,
             const char *entity,
             const char *case_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = awda_store_list_children (store, entity, case_id, &error);

  g_assert_no_error (error);
  return records;
}

static void
check_case (AwdaStore        *store,
            const AwdaRecord *c,
            guint            *n_past_due,
            guint            *n_upcoming)
{
  const char *status = awda_record_get (c, "status");
  const char *opened = awda_record_get (c, "opened_on");
  const char *ret = awda_record_get (c, "return_date");
  const char *birth = awda_record_get (c, "birth_date");
  const char *return_type = awda_record_get (c, "return_type");
  const char *household_size = awda_record_get (c, "household_size");
  guint stage = stage_of (status);
  g_autoptr(GPtrArray) members = children_of (store, "household_member", c->id);
  g_autoptr(GPtrArray) assessments = children_of (store, "assessment", c->id);
  g_autoptr(GPtrArray) plan_items = children_of (store, "plan_item", c->id);
  g_autoptr(GPtrArray) referrals = children_of (store, "referral", c->id);
  g_autoptr(GPtrArray) follow_ups = children_of (store, "follow_up", c->id);
  guint pending = 0;

  g_assert_nonnull (awda_record_get (c, "given_name"));
  g_assert_nonnull (awda_record_get (c, "family_name"));
  g_assert_nonnull (awda_record_get (c, "owner_office"));
  g_assert_nonnull (awda_record_get (c, "caseworker"));
  g_assert_nonnull (opened);
  g_assert_cmpstr (opened, <=, "2026-10-31");

  /* Closed cases say when and why; open ones do not. */
  if (stage == 5)
    {
      g_assert_nonnull (awda_record_get (c, "closed_on"));
      g_assert_nonnull (awda_record_get (c, "closure_reason"));
      g_assert_cmpstr (awda_record_get (c, "closed_on"), >=, opened);
    }
  else
    {
      g_assert_null (awda_record_get (c, "closed_on"));
      g_assert_null (awda_record_get (c, "closure_reason"));
    }

  /* Personal data only with consent */
  if (awda_record_get (c, "consent_given_on") == NULL)
    {
      g_assert_cmpuint (stage, ==, 0);
      g_assert_null (birth);
      g_assert_null (awda_record_get (c, "national_id"));
    }
  else
    {
      GDate b, r, o;
      int age;

      g_assert_nonnull (ret);
      g_assert_cmpstr (ret, >=, "2019-01-01");
      g_assert_cmpstr (ret, <=, opened);
      g_date_clear (&b, 1);
      g_date_clear (&r, 1);
      g_date_clear (&o, 1);
      g_date_set_parse (&b, birth);
      g_date_set_parse (&r, ret);
      g_date_set_parse (&o, opened);
      g_assert_true (g_date_valid (&b) && g_date_valid (&r) && g_date_valid (&o));
      g_assert_cmpint (g_date_days_between (&r, &o), <=, 60);
      age = g_date_get_year (&r) - g_date_get_year (&b) -
            (g_date_get_month (&r) * 100 + g_date_get_day (&r) < g_date_get_month (&b) * 100 + g_date_get_day (&b));
      g_assert_cmpint (age, >=, 18);
      g_assert_cmpint (age, <=, 65);

      g_assert_true (g_regex_match_simple ("^[0-9]{8}$", awda_record_get (c, "national_id"), 0, 0));
      g_assert_true (g_regex_match_simple ("^\\+216 [2459][0-9] [0-9]{3} [0-9]{3}$", awda_record_get (c, "phone"), 0, 0));

      /* An assisted voluntary return comes with its programme, the others without. */
      if (g_strcmp0 (return_type, "assisted_voluntary") == 0)
        g_assert_nonnull (awda_record_get (c, "return_programme"));
      else
        g_assert_null (awda_record_get (c, "return_programme"));

      g_assert_nonnull (household_size);
      g_assert_cmpint (atoi (household_size), ==, 1 + (int) members->len);
    }
  g_assert_cmpuint (members->len, <=, 5);

  /* Nothing is assessed in reception, planned before plan, followed up
   * before implementation. A closed case keeps what it had reached. */
  if (stage == 0)
    g_assert_cmpuint (assessments->len + plan_items->len + referrals->len + follow_ups->len, ==, 0);
  if (stage >= 1 && stage <= 4)
    g_assert_cmpuint (assessments->len, >=, 2);
  if (stage == 1)
    g_assert_cmpuint (plan_items->len, ==, 0);
  if (stage >= 2 && stage <= 4)
    g_assert_cmpuint (plan_items->len, >=, 1);
  if (stage <= 2)
    g_assert_cmpuint (follow_ups->len, ==, 0);

  for (guint i = 0; i < assessments->len; i++)
    {
      const AwdaRecord *a = g_ptr_array_index (assessments, i);
      const char *kind = awda_record_get (a, "kind");

      g_assert_cmpstr (awda_record_get (a, "date"), >=, opened);
      if (g_str_equal (kind, "sustainability_survey"))
        {
          g_assert_true (stage >= 4);
          g_assert_nonnull (awda_record_get (a, "score_economic"));
          g_assert_cmpint (atoi (awda_record_get (a, "score_economic")), <=, 100);
        }
    }

  for (guint i = 0; i < plan_items->len; i++)
    {
      const AwdaRecord *p = g_ptr_array_index (plan_items, i);
      const char *plan_status = awda_record_get (p, "status");

      if (g_str_equal (plan_status, "approved") || g_str_equal (plan_status, "in_progress") ||
          g_str_equal (plan_status, "done"))
        {
          g_assert_nonnull (awda_record_get (p, "approved_by"));
          g_assert_nonnull (awda_record_get (p, "approved_on"));
        }
      if (g_str_equal (plan_status, "in_progress") || g_str_equal (plan_status, "done"))
        g_assert_true (stage >= 3);
      if (awda_record_get (p, "disbursed") != NULL)
        {
          gint64 budget = 0, disbursed = 0;

          g_assert_true (stage >= 3);
          g_assert_true (awda_amount_parse (awda_record_get (p, "budget"), &budget));
          g_assert_true (awda_amount_parse (awda_record_get (p, "disbursed"), &disbursed));
          g_assert_cmpint (disbursed, <=, budget);
          g_assert_nonnull (awda_record_get (p, "currency"));
        }
      if (stage == 5)
        {
          g_assert_cmpstr (plan_status, !=, "proposed");
          g_assert_cmpstr (plan_status, !=, "in_progress");
        }
    }

  for (guint i = 0; i < referrals->len; i++)
    {
      const AwdaRecord *r = g_ptr_array_index (referrals, i);
      const char *referral_status = awda_record_get (r, "status");

      g_assert_nonnull (awda_record_get (r, "partner"));
      if (g_str_equal (referral_status, "done") || g_str_equal (referral_status, "rejected"))
        g_assert_nonnull (awda_record_get (r, "outcome"));
      if (stage == 5)
        g_assert_cmpstr (referral_status, !=, "sent");
    }

  for (guint i = 0; i < follow_ups->len; i++)
    {
      const AwdaRecord *u = g_ptr_array_index (follow_ups, i);
      const char *scheduled = awda_record_get (u, "scheduled_on");

      g_assert_cmpstr (scheduled, <=, "2027-03-31");
      if (awda_record_get (u, "done_on") == NULL)
        {
          pending++;
          if (strcmp (scheduled, "2026-10-31") > 0)
            (*n_upcoming)++;
          else
            (*n_past_due)++;
        }
      else
        g_assert_nonnull (awda_record_get (u, "done_by"));
    }
  /* An open case in implementation or monitoring has its next follow-up
   * scheduled; a closed one has none left. */
  if (stage == 3 || stage == 4)
    g_assert_cmpuint (pending, ==, 1);
  if (stage == 5)
    g_assert_cmpuint (pending, ==, 0);
}

static void
test_demo_consistent (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AwdaStore) store = new_store (f, "awda.db", SITE_A);
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) national_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) governorates = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) hosts = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_past_due = 0, n_upcoming = 0, n_vulnerable = 0, n_france = 0;

  generate (store, 500, 2);
  cases = all_cases (store);
  g_assert_cmpuint (cases->len, ==, 500);

  for (guint i = 0; i < cases->len; i++)
    {
      const AwdaRecord *c = g_ptr_array_index (cases, i);
      const char *national_id = awda_record_get (c, "national_id");

      check_case (store, c, &n_past_due, &n_upcoming);

      if (national_id != NULL)
        {
          g_assert_false (g_hash_table_contains (national_ids, national_id));
          g_hash_table_add (national_ids, (gpointer) national_id);
        }
      g_hash_table_add (governorates, (gpointer) awda_record_get (c, "governorate"));
      g_hash_table_add (hosts, (gpointer) awda_record_get (c, "host_country"));
      if (g_strcmp0 (awda_record_get (c, "host_country"), "FR") == 0)
        n_france++;
      if (awda_record_get (c, "vuln_medical") || awda_record_get (c, "vuln_psychological") ||
          awda_record_get (c, "vuln_disability") || awda_record_get (c, "vuln_single_parent") ||
          awda_record_get (c, "vuln_debt") || awda_record_get (c, "vuln_other"))
        n_vulnerable++;
    }

  /* Many follow-ups overdue, some still to come */
  g_test_message ("pending follow-ups: %u past due, %u upcoming; %u vulnerable", n_past_due, n_upcoming, n_vulnerable);
  g_assert_cmpuint (n_past_due, >, 10);
  g_assert_cmpuint (n_upcoming, >, 10);
  /* About one case in five is vulnerable. */
  g_assert_cmpuint (n_vulnerable, >=, 60);
  g_assert_cmpuint (n_vulnerable, <=, 150);
  /* Most of the 24 governorates, France first among many host countries */
  g_assert_cmpuint (g_hash_table_size (governorates), >=, 20);
  g_assert_cmpuint (g_hash_table_size (hosts), >=, 8);
  g_assert_cmpuint (n_france, >=, 120);
}

static gboolean
has_arabic_letters (const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (ch >= 0x0621 && ch <= 0x064A)
        return TRUE;
    }
  return FALSE;
}

static guint
search_count (AwdaStore  *store,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  AwdaCaseQuery query = { .search = text };

  rowids = awda_store_query_cases (store, &query, &error);
  g_assert_no_error (error);
  return rowids->len;
}

static void
test_demo_arabic_names (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AwdaStore) store = new_store (f, "awda.db", SITE_A);
  g_autoptr(GPtrArray) cases = NULL;
  gboolean hamza = FALSE, taa_marbuta = FALSE, alef_maqsura = FALSE;

  generate (store, 500, 3);
  cases = all_cases (store);

  for (guint i = 0; i < cases->len; i++)
    {
      const AwdaRecord *c = g_ptr_array_index (cases, i);
      const char *given = awda_record_get (c, "given_name_ar");
      const char *family = awda_record_get (c, "family_name_ar");
      g_autofree char *both = g_strconcat (given, " ", family, NULL);

      g_assert_true (has_arabic_letters (given));
      g_assert_true (has_arabic_letters (family));
      g_assert_false (has_arabic_letters (awda_record_get (c, "given_name")));
      hamza = hamza || strstr (both, "أ") || strstr (both, "إ") || strstr (both, "آ");
      taa_marbuta = taa_marbuta || strstr (both, "ة");
      alef_maqsura = alef_maqsura || strstr (both, "ى");
    }
  g_assert_true (hamza);
  g_assert_true (taa_marbuta);
  g_assert_true (alef_maqsura);

  /* However a caseworker types them, the names are found. */
  g_assert_cmpuint (search_count (store, "فاطمة"), >, 0);
  g_assert_cmpuint (search_count (store, "فاطمه"), ==, search_count (store, "فاطمة"));
  g_assert_cmpuint (search_count (store, "احمد"), ==, search_count (store, "أحمد"));
  g_assert_cmpuint (search_count (store, "مصطفي"), ==, search_count (store, "مصطفى"));
  g_assert_cmpuint (search_count (store, "Mohamed"), >, 0);
}

static void
test_demo_check (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AwdaStore) store = new_store (f, "awda.db", SITE_A);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  AwdaDemoStats stats;

  g_assert_true (awda_demo_generate_with_stats (store, 500, 4, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_cases, ==, 500);
  g_assert_cmpuint (stats.n_children, >, 1500);
  g_assert_cmpuint (stats.n_reference, >, 100);

  g_assert_true (awda_store_check (store, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

typedef struct
{
  guint calls;
  guint last_done;
  guint total;
} Progress;

static void
on_progress_cb (guint    done,
                guint    total,
                gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, >=, p->last_done);
  g_assert_cmpuint (done, <=, total);
  p->calls++;
  p->last_done = done;
  p->total = total;
}

static void
test_demo_second_run (Fixture       *f,
                      gconstpointer  data)
{
  static const char *reference[] = { "office", "staff", "programme", "partner" };
  g_autoptr(AwdaStore) store = new_store (f, "awda.db", SITE_A);
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) national_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint counts[G_N_ELEMENTS (reference)];
  Progress progress = { 0 };

  generate (store, 200, 5);
  for (guint i = 0; i < G_N_ELEMENTS (reference); i++)
    counts[i] = count_records (store, reference[i]);
  /* The central platform and one office per governorate */
  g_assert_cmpuint (counts[0], ==, 25);

  /* The same seed again: more cases, no more reference data */
  g_assert_true (awda_demo_generate (store, 150, 5, on_progress_cb, &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >=, 2);
  g_assert_cmpuint (progress.last_done, ==, 150);
  g_assert_cmpuint (progress.total, ==, 150);

  g_assert_cmpint (awda_store_count_cases (store, NULL), ==, 350);
  for (guint i = 0; i < G_N_ELEMENTS (reference); i++)
    g_assert_cmpuint (count_records (store, reference[i]), ==, counts[i]);

  cases = all_cases (store);
  g_assert_cmpuint (cases->len, ==, 350);
  for (guint i = 0; i < cases->len; i++)
    {
      const char *national_id = awda_record_get (g_ptr_array_index (cases, i), "national_id");

      if (national_id == NULL)
        continue;
      g_assert_false (g_hash_table_contains (national_ids, national_id));
      g_hash_table_add (national_ids, (gpointer) national_id);
    }
}

static void
test_demo_replay (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AwdaStore) store = new_store (f, "awda.db", SITE_A);
  g_autoptr(AwdaDemoCases) replay = NULL;
  g_autoptr(GError) error = NULL;
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  g_autofree const char **values = g_new0 (const char *, entity->n_fields);
  AwdaDemoStats stats;

  g_assert_true (awda_demo_generate_with_stats (store, 50, 6, NULL, NULL, &stats, &error));
  g_assert_no_error (error);

  /* The benchmark's baseline writes the very rows the demo wrote. */
  replay = awda_demo_cases_new (store, 6, stats.first, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    {
      const char *id = awda_demo_cases_next (replay, values);
      g_autoptr(AwdaRecord) record = awda_store_get_record (store, "case", id, &error);

      g_assert_no_error (error);
      for (guint k = 0; k < entity->n_fields; k++)
        {
          g_autofree char *expected = values[k]
            ? awda_field_normalize (entity, &entity->fields[k], values[k], NULL) : NULL;

          if (expected != NULL && *expected == '\0')
            g_clear_pointer (&expected, g_free);
          /* The store fills defaults the demo leaves unset. */
          if (expected == NULL && entity->fields[k].default_value != NULL)
            continue;
          g_assert_cmpstr (record->values[k], ==, expected);
        }
    }
}

static void
test_demo_after_deletes (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AwdaStore) store = new_store (f, "awda.db", SITE_A);
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  generate (store, 30, 11);
  cases = all_cases (store);
  for (guint i = 0; i < cases->len; i++)
    {
      const AwdaRecord *c = g_ptr_array_index (cases, i);
      g_autoptr(AwdaEdit) edit = awda_edit_new ("case", c->id);

      awda_edit_set (edit, "deleted", "true");
      g_assert_true (awda_store_apply (store, edit, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (awda_store_count_cases (store, NULL), ==, 0);

  /* The numbering starts again where the deleted cases' did: the demo
   * must move on rather than meet their ids. */
  g_assert_true (awda_demo_generate (store, 30, 11, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (awda_store_count_cases (store, NULL), ==, 30);
}

/* The names of the case table's indexes, sorted, in one string. */
static char *
case_indexes (AwdaStore *store)
{
  g_autoptr(GString) names = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_prepare_v2 (awda_store_get_db (store),
                                       "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'case'"
                                       " ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (names, "%s ", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
test_demo_bulk (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AwdaStore) row_by_row = new_store (f, "one.db", SITE_A);
  g_autoptr(AwdaStore) bulk = new_store (f, "two.db", SITE_A);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) dump_one = NULL;
  g_autoptr(GBytes) dump_two = NULL;
  g_autofree char *indexes_before = case_indexes (bulk);
  g_autofree char *indexes_after = NULL;
  AwdaDemoStats stats;
  AwdaCaseQuery query = { .status = "closed" };
  g_autoptr(GArray) closed = NULL;

  g_assert_nonnull (strstr (indexes_before, "case_status "));

  /* Four transactions of cases, the indexes dropped with the first and
   * built with the last. */
  awda_demo_set_batch_size (30);
  g_assert_true (awda_demo_generate_with_stats (row_by_row, 100, 3, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_false (stats.bulk);

  awda_demo_set_bulk_threshold (50);
  g_assert_true (awda_demo_generate_with_stats (bulk, 100, 3, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (stats.bulk);
  g_assert_cmpuint (stats.n_cases, ==, 100);
  g_assert_cmpfloat (stats.case_seconds, >, 0);
  g_assert_cmpfloat (stats.case_cpu_seconds, >, 0);

  /* Not when it would add fewer cases than there are. */
  g_assert_true (awda_demo_generate_with_stats (bulk, 60, 3, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_false (stats.bulk);
  g_assert_true (awda_demo_generate (row_by_row, 60, 3, NULL, NULL, &error));
  g_assert_no_error (error);
  awda_demo_set_bulk_threshold (20000);
  awda_demo_set_batch_size (50000);

  /* The same data, the same indexes, and the store's own check holds. */
  dump_one = dump (row_by_row);
  dump_two = dump (bulk);
  g_assert_true (g_bytes_equal (dump_one, dump_two));
  indexes_after = case_indexes (bulk);
  g_assert_cmpstr (indexes_after, ==, indexes_before);

  g_assert_true (awda_store_check (bulk, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  /* The indexes hold every case. */
  closed = awda_store_query_cases (bulk, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (closed->len, >, 0);
  g_assert_cmpint (closed->len, ==,
                   test_count (bulk, "SELECT count (*) FROM \"case\" NOT INDEXED WHERE status = 'closed' AND deleted = 0"));
  g_assert_cmpint (test_count (bulk, "SELECT count (*) FROM \"case\" INDEXED BY case_opened_on WHERE opened_on > ''"), ==,
                   test_count (bulk, "SELECT count (*) FROM \"case\" NOT INDEXED WHERE opened_on > ''"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/demo/deterministic", test_demo_deterministic);
  ADD ("/core/demo/stages", test_demo_stages);
  ADD ("/core/demo/consistent", test_demo_consistent);
  ADD ("/core/demo/arabic-names", test_demo_arabic_names);
  ADD ("/core/demo/check", test_demo_check);
  ADD ("/core/demo/second-run", test_demo_second_run);
  ADD ("/core/demo/after-deletes", test_demo_after_deletes);
  ADD ("/core/demo/replay", test_demo_replay);
  ADD ("/core/demo/bulk", test_demo_bulk);
#undef ADD

  return g_test_run ();
}

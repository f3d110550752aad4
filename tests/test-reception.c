/* test-reception.c: probable existing records while a new returnee is typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "awda-reception.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  char      *youssef;   /* ID, phone, birth date, both scripts */
  char      *mohamed;   /* birth date, both scripts, no ID */
  char      *sami;      /* the same birth date as Mohamed, other names */
  char      *ikram;     /* no birth date */
  char      *deleted;
} Fixture;

static char *
create (AwdaStore *store,
        ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;

  va_start (args, store);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaEdit) edit = NULL;

  f->dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->store = awda_store_create (f->path, "Bureau de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);

  f->youssef = create (f->store, "given_name", "Youssef", "family_name", "Lassoued",
                       "given_name_ar", "يوسف", "family_name_ar", "الأسود",
                       "birth_date", "1988-03-05", "national_id", "74011152", "phone", "+216 53 401 244",
                       "governorate", "TN-23", "status", "monitoring", NULL);
  f->mohamed = create (f->store, "given_name", "Mohamed", "family_name", "Ben Salah",
                       "given_name_ar", "محمد", "family_name_ar", "بن صالح",
                       "birth_date", "1990-01-15", "governorate", "TN-61", NULL);
  f->sami = create (f->store, "given_name", "Sami", "family_name", "Trabelsi",
                    "given_name_ar", "سامي", "family_name_ar", "الطرابلسي",
                    "birth_date", "1990-01-15", "phone", "22 333 444", NULL);
  f->ikram = create (f->store, "given_name", "Ikram", "family_name", "Ksouri",
                     "given_name_ar", "إكرام", "family_name_ar", "القصوري", "status", "closed", NULL);
  f->deleted = create (f->store, "given_name", "Hedi", "family_name", "Gharbi", "birth_date", "1975-06-01",
                       "national_id", "11112222", "phone", "98 765 432", NULL);
  edit = awda_edit_new ("case", f->deleted);
  awda_edit_set (edit, "deleted", "true");
  awda_store_apply (f->store, edit, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->youssef);
  g_free (f->mohamed);
  g_free (f->sami);
  g_free (f->ikram);
  g_free (f->deleted);
}

static GPtrArray *
find (Fixture                  *f,
      const AwdaReceptionQuery *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates = awda_reception_find (f->store, query, &error);

  g_assert_no_error (error);
  g_assert_nonnull (candidates);
  return candidates;
}

static const AwdaReceptionCandidate *
candidate_for (GPtrArray  *candidates,
               const char *case_id)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      const AwdaReceptionCandidate *c = g_ptr_array_index (candidates, i);

      if (g_strcmp0 (c->case_id, case_id) == 0)
        return c;
    }
  return NULL;
}

/* Exactly one candidate, @case_id, for @reasons, with @sentence. */
static void
assert_only (GPtrArray            *candidates,
             const char           *case_id,
             AwdaReceptionReasons  reasons,
             const char           *sentence)
{
  const AwdaReceptionCandidate *c;

  g_assert_cmpuint (candidates->len, ==, 1);
  c = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (c->case_id, ==, case_id);
  g_assert_cmpint (c->reasons, ==, reasons);
  g_assert_cmpstr (c->reason, ==, sentence);
}

static void
test_nothing_typed (Fixture       *f,
                    gconstpointer  data)
{
  AwdaReceptionQuery query = { 0 };
  g_autoptr(GPtrArray) candidates = find (f, &query);

  g_assert_cmpuint (candidates->len, ==, 0);
}

static void
test_same_national_id (Fixture       *f,
                       gconstpointer  data)
{
  AwdaReceptionQuery query = { .national_id = "7401 1152" };
  g_autoptr(GPtrArray) candidates = find (f, &query);
  g_autoptr(GPtrArray) arabic_digits = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GPtrArray) partial = NULL;
  g_autoptr(GPtrArray) deleted = NULL;
  const AwdaReceptionCandidate *c;

  assert_only (candidates, f->youssef, AWDA_RECEPTION_SAME_NATIONAL_ID, "Same national ID number.");
  c = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (c->given_name, ==, "Youssef");
  g_assert_cmpstr (c->family_name, ==, "Lassoued");
  g_assert_cmpstr (c->given_name_ar, ==, "يوسف");
  g_assert_cmpstr (c->family_name_ar, ==, "الأسود");
  g_assert_cmpstr (c->birth_date, ==, "1988-03-05");
  g_assert_cmpstr (c->governorate, ==, "TN-23");
  g_assert_cmpstr (c->status, ==, "monitoring");

  /* Typed on an Arabic keyboard. */
  query.national_id = "٧٤٠١١١٥٢";
  arabic_digits = find (f, &query);
  assert_only (arabic_digits, f->youssef, AWDA_RECEPTION_SAME_NATIONAL_ID, "Same national ID number.");

  /* Another number, or one still being typed, is nobody. */
  query.national_id = "74011153";
  other = find (f, &query);
  g_assert_cmpuint (other->len, ==, 0);
  query.national_id = "7401";
  partial = find (f, &query);
  g_assert_cmpuint (partial->len, ==, 0);

  /* A deleted case is not proposed. */
  query.national_id = "11112222";
  deleted = find (f, &query);
  g_assert_cmpuint (deleted->len, ==, 0);
}

static void
test_national_id_with_letters (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *passport = create (f->store, "given_name", "Walid", "family_name", "Jlassi",
                                      "national_id", "XK-482913", NULL);
  AwdaReceptionQuery query = { .national_id = "xk482913" };
  g_autoptr(GPtrArray) candidates = find (f, &query);
  g_autoptr(GPtrArray) other = NULL;

  assert_only (candidates, passport, AWDA_RECEPTION_SAME_NATIONAL_ID, "Same national ID number.");

  /* The digits alone are not the same ID. */
  query.national_id = "AB482913";
  other = find (f, &query);
  g_assert_cmpuint (other->len, ==, 0);
}

static void
test_same_phone (Fixture       *f,
                 gconstpointer  data)
{
  AwdaReceptionQuery query = { .phone = "53401244" };
  g_autoptr(GPtrArray) candidates = find (f, &query);
  g_autoptr(GPtrArray) international = NULL;
  g_autoptr(GPtrArray) short_number = NULL;

  assert_only (candidates, f->youssef, AWDA_RECEPTION_SAME_PHONE, "Same phone number.");

  query.phone = "00216 53-401-244";
  international = find (f, &query);
  assert_only (international, f->youssef, AWDA_RECEPTION_SAME_PHONE, "Same phone number.");

  /* Not yet eight digits: too early to compare. */
  query.phone = "5340124";
  short_number = find (f, &query);
  g_assert_cmpuint (short_number->len, ==, 0);
}

static void
test_birth_date_and_latin_names (Fixture       *f,
                                 gconstpointer  data)
{
  AwdaReceptionQuery query = { .given_name = "Mohamed", .family_name = "Bensalah", .birth_date = "1990-01-15" };
  g_autoptr(GPtrArray) same = find (f, &query);
  g_autoptr(GPtrArray) misspelled = NULL;
  g_autoptr(GPtrArray) prefix = NULL;
  g_autoptr(GPtrArray) family = NULL;
  g_autoptr(GPtrArray) other_day = NULL;

  /* Sami shares the birth date only: not proposed. */
  assert_only (same, f->mohamed, AWDA_RECEPTION_SAME_BIRTH_DATE_NAME, "Same birth date and same name.");

  query.given_name = "Mohammed";
  query.family_name = "Ben Saleh";
  misspelled = find (f, &query);
  assert_only (misspelled, f->mohamed, AWDA_RECEPTION_SAME_BIRTH_DATE_SIMILAR_NAME,
               "Same birth date and a name spelled almost the same.");

  /* While the given name is being typed. */
  query.given_name = "Moh";
  query.family_name = NULL;
  prefix = find (f, &query);
  assert_only (prefix, f->mohamed, AWDA_RECEPTION_SAME_BIRTH_DATE_GIVEN_NAME,
               "Same birth date and a similar given name.");

  query.given_name = "Hamadi";
  query.family_name = "BEN SALAH";
  family = find (f, &query);
  assert_only (family, f->mohamed, AWDA_RECEPTION_SAME_BIRTH_DATE_FAMILY_NAME,
               "Same birth date and same family name.");

  /* Two birth dates that differ: two people. */
  query.given_name = "Mohamed";
  query.family_name = "Ben Salah";
  query.birth_date = "1990-01-16";
  other_day = find (f, &query);
  g_assert_cmpuint (other_day->len, ==, 0);
}

static void
test_birth_date_and_arabic_names (Fixture       *f,
                                  gconstpointer  data)
{
  /* With tashkeel (a shadda) and the family name joined. */
  AwdaReceptionQuery query = { .given_name_ar = "مُحَمّد", .family_name_ar = "بنصالح", .birth_date = "1990-01-15" };
  g_autoptr(GPtrArray) same = find (f, &query);
  g_autoptr(GPtrArray) article = NULL;

  assert_only (same, f->mohamed, AWDA_RECEPTION_SAME_BIRTH_DATE_NAME, "Same birth date and same name.");

  /* The article ال and the alef with hamza are folded away. */
  query.given_name_ar = "سامى";
  query.family_name_ar = "طرابلسي";
  article = find (f, &query);
  assert_only (article, f->sami, AWDA_RECEPTION_SAME_BIRTH_DATE_NAME, "Same birth date and same name.");
}

static void
test_same_name_without_birth_date (Fixture       *f,
                                   gconstpointer  data)
{
  /* Ikram has no birth date on record: her name alone is worth showing. */
  AwdaReceptionQuery query = { .given_name_ar = "اكرام", .family_name_ar = "القصوري", .birth_date = "1992-04-10" };
  g_autoptr(GPtrArray) arabic = find (f, &query);
  g_autoptr(GPtrArray) latin = NULL;
  g_autoptr(GPtrArray) dated = NULL;
  const AwdaReceptionCandidate *c;

  assert_only (arabic, f->ikram, AWDA_RECEPTION_SAME_NAME_NO_BIRTH_DATE,
               "Same name; the birth dates cannot be compared.");
  c = g_ptr_array_index (arabic, 0);
  g_assert_cmpstr (c->status, ==, "closed");

  query = (AwdaReceptionQuery) { .given_name = "IKRAM", .family_name = "Ksouri" };
  latin = find (f, &query);
  assert_only (latin, f->ikram, AWDA_RECEPTION_SAME_NAME_NO_BIRTH_DATE,
               "Same name; the birth dates cannot be compared.");

  /* Youssef has a birth date: without one typed, his name still shows;
   * once a different one is typed, it does not. */
  query = (AwdaReceptionQuery) { .given_name = "Youssef", .family_name = "Lassoued" };
  g_clear_pointer (&latin, g_ptr_array_unref);
  latin = find (f, &query);
  assert_only (latin, f->youssef, AWDA_RECEPTION_SAME_NAME_NO_BIRTH_DATE,
               "Same name; the birth dates cannot be compared.");
  query.birth_date = "1987-03-05";
  dated = find (f, &query);
  g_assert_cmpuint (dated->len, ==, 0);
}

static void
test_ranking_and_exclusion (Fixture       *f,
                            gconstpointer  data)
{
  AwdaReceptionQuery query = {
    .given_name = "Sami", .family_name = "Trabelsi", .birth_date = "1990-01-15",
    .phone = "53 401 244", .national_id = "74011152",
  };
  g_autoptr(GPtrArray) candidates = find (f, &query);
  g_autoptr(GPtrArray) excluded = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  const AwdaReceptionCandidate *first, *second;

  g_assert_cmpuint (candidates->len, ==, 2);
  first = g_ptr_array_index (candidates, 0);
  second = g_ptr_array_index (candidates, 1);
  g_assert_cmpstr (first->case_id, ==, f->youssef);
  g_assert_cmpint (first->reasons, ==, AWDA_RECEPTION_SAME_NATIONAL_ID | AWDA_RECEPTION_SAME_PHONE);
  g_assert_cmpstr (first->reason, ==, "Same national ID number. Same phone number.");
  g_assert_cmpstr (second->case_id, ==, f->sami);
  g_assert_cmpuint (first->score, >, second->score);

  /* The case being edited is not its own duplicate. */
  query.exclude = f->youssef;
  excluded = find (f, &query);
  g_assert_cmpuint (excluded->len, ==, 1);
  g_assert_null (candidate_for (excluded, f->youssef));

  query.exclude = NULL;
  query.limit = 1;
  limited = find (f, &query);
  g_assert_cmpuint (limited->len, ==, 1);
  g_assert_cmpstr (((AwdaReceptionCandidate *) g_ptr_array_index (limited, 0))->case_id, ==, f->youssef);
}

static void
test_hostile_input (Fixture       *f,
                    gconstpointer  data)
{
  /* FTS5 syntax typed by a user is only text. */
  AwdaReceptionQuery query = {
    .given_name = "\" OR *", .family_name = "NEAR(a b)", .national_id = "1234\" OR \"5678",
    .phone = "\"53401244\" OR 1", .birth_date = "yesterday",
  };
  g_autoptr(GPtrArray) candidates = find (f, &query);

  g_assert_null (candidate_for (candidates, f->mohamed));
  g_assert_null (candidate_for (candidates, f->sami));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/reception/nothing-typed", test_nothing_typed);
  ADD ("/core/reception/same-national-id", test_same_national_id);
  ADD ("/core/reception/national-id-with-letters", test_national_id_with_letters);
  ADD ("/core/reception/same-phone", test_same_phone);
  ADD ("/core/reception/birth-date-and-latin-names", test_birth_date_and_latin_names);
  ADD ("/core/reception/birth-date-and-arabic-names", test_birth_date_and_arabic_names);
  ADD ("/core/reception/same-name-without-birth-date", test_same_name_without_birth_date);
  ADD ("/core/reception/ranking-and-exclusion", test_ranking_and_exclusion);
  ADD ("/core/reception/hostile-input", test_hostile_input);
#undef ADD

  return g_test_run ();
}

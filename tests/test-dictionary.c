/* test-dictionary.c: the data dictionary and the checking of every field type
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-dictionary"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "awda-dictionary.h"
#include "awda-store.h"

static const AwdaEntity *
get_entity (const char *name)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (name);

  if (entity == NULL)
    g_error ("The dictionary has no entity “%s”", name);
  return entity;
}

static const AwdaField *
get_field (const AwdaEntity *entity,
           const char       *name)
{
  const AwdaField *field = awda_entity_lookup_field (entity, name);

  if (field == NULL)
    g_error ("The entity “%s” has no field “%s”", entity->name, name);
  return field;
}

static void
assert_normalized (const char *entity_name,
                   const char *field_name,
                   const char *value,
                   const char *expected)
{
  const AwdaEntity *entity = get_entity (entity_name);
  const AwdaField *field = get_field (entity, field_name);
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  normalized = awda_field_normalize (entity, field, value, &error);
  if (error != NULL)
    g_error ("%s.%s refused “%s”: %s", entity_name, field_name, value, error->message);
  if (g_strcmp0 (normalized, expected) != 0)
    g_error ("%s.%s turned “%s” into “%s”, expected “%s”",
             entity_name, field_name, value, normalized, expected);
}

/* Checks that @value is refused with one sentence that names the field
 * and shows @shown (the value as the user would recognise it, or part of
 * it), and returns that sentence. */
static char *
assert_refused (const char *entity_name,
                const char *field_name,
                const char *value,
                const char *shown)
{
  const AwdaEntity *entity = get_entity (entity_name);
  const AwdaField *field = get_field (entity, field_name);
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *quoted_field = NULL;

  normalized = awda_field_normalize (entity, field, value, &error);
  if (normalized != NULL)
    g_error ("%s.%s accepted “%s” as “%s”", entity_name, field_name, value, normalized);

  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));

  quoted_field = g_strdup_printf ("“%s”", field_name);
  if (strstr (error->message, quoted_field) == NULL)
    g_error ("The refusal of %s.%s does not name the field: %s", entity_name, field_name, error->message);
  if (shown != NULL && strstr (error->message, shown) == NULL)
    g_error ("The refusal of %s.%s does not show the value “%s”: %s",
             entity_name, field_name, shown, error->message);

  /* The message goes to a terminal and to log files: it must not carry
   * the control characters (escape sequences) a value may hold. */
  for (const char *p = error->message; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      g_error ("The refusal of %s.%s holds a control character: %s",
               entity_name, field_name, error->message);

  return g_strdup (error->message);
}

#define refuse(e, f, v, shown) g_free (assert_refused ((e), (f), (v), (shown)))

/* Field types */

static void
test_normalize_empty (void)
{
  /* An empty value clears the field, whatever its type. */
  assert_normalized ("case", "given_name", "", "");
  assert_normalized ("case", "given_name", "   ", "");
  assert_normalized ("case", "birth_date", " ", "");
  assert_normalized ("case", "household_size", "", "");
  assert_normalized ("case", "status", "", "");
  assert_normalized ("plan_item", "budget", "", "");
}

static void
test_normalize_text (void)
{
  g_autoptr(GString) longest = g_string_new (NULL);
  g_autoptr(GString) too_long = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);

  assert_normalized ("case", "given_name", "  Hélène  ", "Hélène");
  assert_normalized ("case", "given_name_ar", " فاطمة ", "فاطمة");
  /* NFC: e + combining acute is stored as é. */
  assert_normalized ("case", "given_name", "He\xcc\x81le\xcc\x80ne", "Hélène");
  assert_normalized ("case", "family_name", "Ben Sâlah", "Ben Sâlah");
  /* Arabic as typed is kept; what normalization composes or reorders is
   * still normalized: alef + hamza above is أ, shadda + fatha is fatha +
   * shadda, and a trailing newline is trimmed from an Arabic name. */
  assert_normalized ("case", "family_name_ar", "بن صالح", "بن صالح");
  assert_normalized ("case", "given_name_ar", "\xd8\xa7\xd9\x94\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9",
                     "\xd8\xa3\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9");
  assert_normalized ("case", "given_name_ar", "\xd9\x85\xd8\xad\xd9\x85\xd9\x91\xd9\x8e\xd8\xaf",
                     "\xd9\x85\xd8\xad\xd9\x85\xd9\x8e\xd9\x91\xd8\xaf");
  assert_normalized ("case", "given_name_ar", "فاطمة\n", "فاطمة");
  refuse ("case", "given_name_ar", "فاطمة\x7f", "فاطمة");
  refuse ("case", "given_name_ar", "فاطمة\xc2\x85", NULL);

  /* Control characters: refused in a one-line field, newlines and tabs
   * allowed in long text. */
  refuse ("case", "given_name", "Ali\x01" "Ben", "Ali");
  refuse ("case", "family_name", "Ben\x1b[31mSalah", "Ben");
  refuse ("case", "given_name", "Ali\nBen", "Ali");
  assert_normalized ("case", "address", "12 rue de Marseille\nTunis", "12 rue de Marseille\nTunis");
  refuse ("case", "address", "12 rue\x07", "12 rue");

  /* Invalid UTF-8 cannot be shown: the field is named all the same. */
  refuse ("case", "given_name", "Ali\xff", NULL);

  /* Length in characters, not bytes: 4000 Arabic letters fit. */
  for (guint i = 0; i < AWDA_TEXT_MAX_LENGTH; i++)
    g_string_append (longest, "ع");
  assert_normalized ("case", "occupation", longest->str, longest->str);
  too_long = g_string_new ("Abdelkarim");
  while (too_long->len <= AWDA_TEXT_MAX_LENGTH)
    g_string_append (too_long, " Abdelkarim");
  refuse ("case", "occupation", too_long->str, "Abdelkarim");

  /* Long text fields take more. */
  for (guint i = 0; i < AWDA_TEXT_MAX_LENGTH * 2; i++)
    g_string_append_c (long_text, 'a');
  assert_normalized ("case", "skills", long_text->str, long_text->str);
}

static void
test_normalize_integer (void)
{
  g_autofree char *message = NULL;

  assert_normalized ("case", "household_size", "4", "4");
  assert_normalized ("case", "household_size", " 12 ", "12");
  assert_normalized ("case", "household_size", "1", "1");
  assert_normalized ("case", "household_size", "50", "50");
  assert_normalized ("case", "departure_year", "2015", "2015");

  message = assert_refused ("case", "household_size", "0", "0");
  /* The bounds are given so that the user can correct the value. */
  g_assert_nonnull (strstr (message, "50"));
  refuse ("case", "household_size", "51", "51");
  refuse ("case", "household_size", "-3", "-3");
  refuse ("case", "household_size", "four", "four");
  refuse ("case", "household_size", "3.5", "3.5");
  refuse ("case", "household_size", "3 people", "3 people");
  refuse ("case", "household_size", "99999999999999999999999", "99999999999999999999999");
  refuse ("case", "departure_year", "1949", "1949");
  refuse ("assessment", "score_economic", "101", "101");
}

static void
test_normalize_amount (void)
{
  assert_normalized ("plan_item", "budget", "1250.5", "1250.5");
  assert_normalized ("plan_item", "budget", "1250,500", "1250.5");
  assert_normalized ("plan_item", "budget", "1250.000", "1250");
  assert_normalized ("plan_item", "budget", "1250", "1250");
  assert_normalized ("plan_item", "budget", "0.05", "0.05");
  assert_normalized ("plan_item", "budget", "0,005", "0.005");
  assert_normalized ("plan_item", "budget", " 3000 ", "3000");
  assert_normalized ("plan_item", "disbursed", "999.99", "999.99");
  assert_normalized ("programme", "ceiling", "5000", "5000");

  refuse ("plan_item", "budget", "-5", "-5");
  refuse ("plan_item", "budget", "-1250.5", "-1250.5");
  refuse ("plan_item", "budget", "abc", "abc");
  refuse ("plan_item", "budget", "12a", "12a");
  refuse ("plan_item", "budget", "1.2.3", "1.2.3");
  refuse ("plan_item", "budget", "1.2345", "1.2345");
  refuse ("plan_item", "budget", "1 250", "1 250");
  refuse ("plan_item", "budget", "1e3", "1e3");
  refuse ("plan_item", "budget", "TND 50", "TND 50");
  refuse ("plan_item", "budget", "99999999999999999999", "99999999999999999999");
}

static void
test_amount_parse_format (void)
{
  gint64 n = -1;

  g_assert_true (awda_amount_parse ("1250.5", &n));
  g_assert_cmpint (n, ==, 1250500);
  g_assert_true (awda_amount_parse ("1250,500", &n));
  g_assert_cmpint (n, ==, 1250500);
  g_assert_true (awda_amount_parse ("0.001", &n));
  g_assert_cmpint (n, ==, 1);
  g_assert_false (awda_amount_parse (".5", &n));
  g_assert_false (awda_amount_parse ("", &n));

  for (gint64 i = 0; i < 20000; i += 7)
    {
      g_autofree char *text = awda_amount_format (i);
      gint64 back = -1;

      g_assert_true (awda_amount_parse (text, &back));
      g_assert_cmpint (back, ==, i);
    }

  {
    g_autofree char *a = awda_amount_format (0);
    g_autofree char *b = awda_amount_format (5);
    g_autofree char *c = awda_amount_format (50);
    g_autofree char *d = awda_amount_format (1250500);
    g_autofree char *e = awda_amount_format (1250000);
    g_autofree char *f = awda_amount_format (1250010);

    g_assert_cmpstr (a, ==, "0");
    g_assert_cmpstr (b, ==, "0.005");
    g_assert_cmpstr (c, ==, "0.05");
    g_assert_cmpstr (d, ==, "1250.5");
    g_assert_cmpstr (e, ==, "1250");
    g_assert_cmpstr (f, ==, "1250.01");
  }
}

static void
test_normalize_date (void)
{
  assert_normalized ("case", "birth_date", "1990-05-17", "1990-05-17");
  assert_normalized ("case", "birth_date", " 2024-02-29 ", "2024-02-29");
  assert_normalized ("case", "return_date", "2000-02-29", "2000-02-29");
  assert_normalized ("follow_up", "scheduled_on", "2026-12-31", "2026-12-31");

  refuse ("case", "birth_date", "2024-02-30", "2024-02-30");
  refuse ("case", "birth_date", "2023-02-29", "2023-02-29");
  refuse ("case", "birth_date", "1900-02-29", "1900-02-29");
  refuse ("case", "birth_date", "2024-13-01", "2024-13-01");
  refuse ("case", "birth_date", "2024-04-31", "2024-04-31");
  refuse ("case", "birth_date", "2024-00-10", "2024-00-10");
  refuse ("case", "birth_date", "17/05/1990", "17/05/1990");
  refuse ("case", "birth_date", "1990/05/17", "1990/05/17");
  refuse ("case", "birth_date", "1990-5-17", "1990-5-17");
  refuse ("case", "birth_date", "90-05-17", "90-05-17");
  refuse ("case", "birth_date", "1990-05-17T10:00", "1990-05-17T10:00");
  refuse ("case", "birth_date", "yesterday", "yesterday");
  refuse ("case", "return_date", "+990-05-17", "+990-05-17");
  refuse ("case", "return_date", "2024\r01-01", "2024");
}

static void
test_normalize_enum (void)
{
  const char *statuses[] = { "reception", "assessment", "plan", "implementation", "monitoring", "closed" };
  g_autofree char *message = NULL;
  g_autofree char *sex_message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    assert_normalized ("case", "status", statuses[i], statuses[i]);
  assert_normalized ("case", "status", " plan ", "plan");
  assert_normalized ("case", "sex", "f", "f");
  assert_normalized ("case", "sex", "m", "m");
  assert_normalized ("case", "governorate", "TN-11", "TN-11");
  assert_normalized ("plan_item", "currency", "TND", "TND");

  /* The message lists every allowed value, so the user can pick one. */
  message = assert_refused ("case", "status", "planned", "planned");
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (strstr (message, statuses[i]) == NULL)
      g_error ("The refusal of status does not list “%s”: %s", statuses[i], message);

  sex_message = assert_refused ("case", "sex", "x", "x");
  g_assert_nonnull (strstr (sex_message, "f, m"));

  /* Values are stored as they are exchanged: no guessing at case. */
  refuse ("case", "status", "Plan", "Plan");
  refuse ("case", "sex", "F", "F");
  refuse ("case", "return_type", "voluntary", "voluntary");
  refuse ("case", "governorate", "TN-99", "TN-99");
  refuse ("case", "governorate", "Tunis", "Tunis");
  refuse ("plan_item", "currency", "DT", "DT");
  /* A value pasted with a terminal escape sequence is shown without it. */
  refuse ("case", "status", "plan\x1b[2J", "plan");
}

static void
test_normalize_reference (void)
{
  assert_normalized ("case", "return_programme",
                     "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b",
                     "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b");
  /* A UUID typed or pasted in capitals is the same record. */
  assert_normalized ("household_member", "case_id",
                     "0F8E2A4C-1B3D-4E5F-8A9B-0C1D2E3F4A5B",
                     "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b");
  assert_normalized ("referral", "partner",
                     " 0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b ",
                     "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b");

  refuse ("case", "return_programme", "OFII", "OFII");
  refuse ("household_member", "case_id", "12345", "12345");
  refuse ("household_member", "case_id", "0f8e2a4c1b3d4e5f8a9b0c1d2e3f4a5b", "0f8e2a4c1b3d4e5f8a9b0c1d2e3f4a5b");
  refuse ("household_member", "case_id", "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5g", "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5g");
  refuse ("household_member", "case_id", "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5", "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5");
  refuse ("staff", "office", "'; DROP TABLE office; --", "'; DROP TABLE office; --");

  g_assert_true (awda_uuid_is_valid ("0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b"));
  g_assert_false (awda_uuid_is_valid ("0F8E2A4C-1B3D-4E5F-8A9B-0C1D2E3F4A5B"));
  g_assert_false (awda_uuid_is_valid ("0f8e2a4c-1b3d-4e5f-8a9b0c1d2e3f4a5b-"));
  g_assert_false (awda_uuid_is_valid (NULL));
}

static void
test_normalize_boolean (void)
{
  static const char *const yes[] = { "yes", "1", "true", "TRUE", "Yes", " true " };
  static const char *const no[] = { "no", "0", "false", "FALSE", "No", " 0 " };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    assert_normalized ("case", "vuln_medical", yes[i], "true");
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    assert_normalized ("case", "vuln_debt", no[i], "false");
  assert_normalized ("programme", "active", "yes", "true");

  refuse ("case", "vuln_medical", "maybe", "maybe");
  refuse ("case", "vuln_medical", "2", "2");
  refuse ("case", "vuln_medical", "oui", "oui");
  refuse ("case", AWDA_FIELD_DELETED, "perhaps", "perhaps");
}

static void
test_normalize_country (void)
{
  assert_normalized ("case", "host_country", "FR", "FR");
  assert_normalized ("case", "host_country", "fr", "FR");
  assert_normalized ("case", "host_country", " it ", "IT");
  assert_normalized ("case", "host_country", "De", "DE");
  assert_normalized ("case", "host_country", "BE", "BE");
  assert_normalized ("case", "host_country", "CH", "CH");
  assert_normalized ("case", "host_country", "LY", "LY");

  refuse ("case", "host_country", "XX", "XX");
  refuse ("case", "host_country", "FRA", "FRA");
  refuse ("case", "host_country", "France", "France");
  refuse ("case", "host_country", "F", "F");
}

/* The dictionary itself */

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static void
test_dictionary_entities (void)
{
  static const char *const expected[] = {
    "case", "household_member", "assessment", "plan_item", "referral", "follow_up",
    "attachment", "programme", "partner", "office", "staff",
  };
  const AwdaEntity *entities;
  guint n_entities = 0;

  entities = awda_dictionary_get_entities (&n_entities);
  g_assert_nonnull (entities);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const AwdaEntity *entity = get_entity (expected[i]);

      g_assert_cmpstr (entity->name, ==, expected[i]);
    }

  for (guint i = 0; i < n_entities; i++)
    {
      const AwdaEntity *entity = &entities[i];

      /* Entity and field names become SQL table and column names. */
      if (!is_identifier (entity->name))
        g_error ("Entity name “%s” is not a lowercase identifier", entity->name);
      g_assert_true (entity->label != NULL && *entity->label != '\0');
      g_assert_true (awda_dictionary_lookup_entity (entity->name) == entity);
      for (guint j = i + 1; j < n_entities; j++)
        g_assert_cmpstr (entity->name, !=, entities[j].name);
      g_assert_cmpuint (entity->n_fields, >, 0);
    }

  g_assert_null (awda_dictionary_lookup_entity ("cases"));
  g_assert_null (awda_dictionary_lookup_entity (""));
}

static void
test_dictionary_fields (void)
{
  const AwdaEntity *entities;
  guint n_entities = 0;

  entities = awda_dictionary_get_entities (&n_entities);
  for (guint i = 0; i < n_entities; i++)
    {
      const AwdaEntity *entity = &entities[i];

      for (guint j = 0; j < entity->n_fields; j++)
        {
          const AwdaField *field = &entity->fields[j];

          if (!is_identifier (field->name))
            g_error ("%s.%s is not a lowercase identifier", entity->name, field->name);
          /* The record id and the tombstone are implicit columns. */
          if (g_str_equal (field->name, "id") || g_str_equal (field->name, "rowid") ||
              g_str_equal (field->name, AWDA_FIELD_DELETED))
            g_error ("%s.%s clashes with an implicit column", entity->name, field->name);
          if (field->label == NULL || *field->label == '\0')
            g_error ("%s.%s has no label", entity->name, field->name);

          /* Unique names, and lookups that find them. */
          for (guint k = j + 1; k < entity->n_fields; k++)
            if (g_str_equal (field->name, entity->fields[k].name))
              g_error ("%s has two fields named “%s”", entity->name, field->name);
          g_assert_cmpint (awda_entity_field_index (entity, field->name), ==, (int) j);
          g_assert_true (awda_entity_lookup_field (entity, field->name) == field);

          g_assert_nonnull (awda_field_type_to_string (field->type));

          if (field->type == AWDA_FIELD_INTEGER && field->min >= field->max)
            g_error ("%s.%s has no bounds", entity->name, field->name);
        }

      g_assert_null (awda_entity_lookup_field (entity, "no_such_field"));
      g_assert_cmpint (awda_entity_field_index (entity, "no_such_field"), ==, -1);
      /* Every entity has the replicated tombstone. */
      g_assert_true (awda_entity_lookup_field (entity, AWDA_FIELD_DELETED) == awda_dictionary_deleted_field ());
    }

  g_assert_cmpint (awda_dictionary_deleted_field ()->type, ==, AWDA_FIELD_BOOLEAN);
}

static void
test_dictionary_references (void)
{
  const AwdaEntity *entities;
  guint n_entities = 0;

  entities = awda_dictionary_get_entities (&n_entities);
  for (guint i = 0; i < n_entities; i++)
    {
      const AwdaEntity *entity = &entities[i];

      for (guint j = 0; j < entity->n_fields; j++)
        {
          const AwdaField *field = &entity->fields[j];

          if (field->type == AWDA_FIELD_REFERENCE)
            {
              if (field->reference == NULL || awda_dictionary_lookup_entity (field->reference) == NULL)
                g_error ("%s.%s refers to an unknown entity “%s”",
                         entity->name, field->name, field->reference ? field->reference : "(null)");
            }
          else
            g_assert_null (field->reference);
        }
    }
}

static void
test_dictionary_amounts (void)
{
  const AwdaEntity *entities;
  guint n_entities = 0;
  guint n_amounts = 0;

  entities = awda_dictionary_get_entities (&n_entities);
  for (guint i = 0; i < n_entities; i++)
    {
      const AwdaEntity *entity = &entities[i];

      for (guint j = 0; j < entity->n_fields; j++)
        {
          const AwdaField *field = &entity->fields[j];
          const AwdaField *currency;

          if (field->type != AWDA_FIELD_AMOUNT)
            continue;

          n_amounts++;
          if (field->currency == NULL)
            g_error ("%s.%s has no currency field", entity->name, field->name);
          currency = awda_entity_lookup_field (entity, field->currency);
          if (currency == NULL || currency->type != AWDA_FIELD_ENUM)
            g_error ("%s.%s names “%s” as its currency, which is not an enumeration of %s",
                     entity->name, field->name, field->currency, entity->name);
          g_assert_nonnull (awda_field_lookup_value (currency, "TND"));
          g_assert_nonnull (awda_field_lookup_value (currency, "EUR"));
        }
    }

  /* Plan budgets, disbursements, programme ceilings at least. */
  g_assert_cmpuint (n_amounts, >=, 3);
}

static void
test_dictionary_enums (void)
{
  const AwdaEntity *entities;
  guint n_entities = 0;

  entities = awda_dictionary_get_entities (&n_entities);
  for (guint i = 0; i < n_entities; i++)
    {
      const AwdaEntity *entity = &entities[i];

      for (guint j = 0; j < entity->n_fields; j++)
        {
          const AwdaField *field = &entity->fields[j];
          guint n_values = 0;

          if (field->type != AWDA_FIELD_ENUM)
            {
              g_assert_null (field->values);
              continue;
            }

          if (field->values == NULL || field->values[0].value == NULL)
            g_error ("%s.%s is an enumeration without values", entity->name, field->name);

          for (const AwdaEnumValue *v = field->values; v->value != NULL; v++)
            {
              n_values++;
              if (*v->value == '\0' || strpbrk (v->value, " \t\n") != NULL)
                g_error ("%s.%s has the value “%s”", entity->name, field->name, v->value);
              if (v->label == NULL || *v->label == '\0')
                g_error ("%s.%s value “%s” has no label", entity->name, field->name, v->value);
              for (const AwdaEnumValue *w = v + 1; w->value != NULL; w++)
                if (g_str_equal (v->value, w->value))
                  g_error ("%s.%s has the value “%s” twice", entity->name, field->name, v->value);
              g_assert_true (awda_field_lookup_value (field, v->value) == v);
            }

          g_assert_cmpuint (n_values, >=, 2);
          g_assert_null (awda_field_lookup_value (field, "no_such_value"));
        }
    }
}

static void
test_dictionary_children (void)
{
  const AwdaEntity *entities;
  guint n_entities = 0;
  guint n_children = 0;

  entities = awda_dictionary_get_entities (&n_entities);
  for (guint i = 0; i < n_entities; i++)
    {
      const AwdaEntity *entity = &entities[i];
      const AwdaField *parent;

      if (entity->parent_field == NULL)
        continue;

      n_children++;
      parent = awda_entity_lookup_field (entity, entity->parent_field);
      if (parent == NULL || parent->type != AWDA_FIELD_REFERENCE ||
          g_strcmp0 (parent->reference, "case") != 0)
        g_error ("%s.%s is not a reference to a case", entity->name, entity->parent_field);
      if (!(parent->flags & AWDA_FIELD_REQUIRED))
        g_error ("%s.%s is not required: a child record needs its case", entity->name, entity->parent_field);
      g_assert_false (entity->reference_data);
    }

  /* household_member, assessment, plan_item, referral, follow_up, attachment */
  g_assert_cmpuint (n_children, ==, 6);
  g_assert_null (get_entity ("case")->parent_field);
  g_assert_true (get_entity ("programme")->reference_data);
  g_assert_true (get_entity ("partner")->reference_data);
  g_assert_true (get_entity ("office")->reference_data);
  g_assert_true (get_entity ("staff")->reference_data);
  g_assert_false (get_entity ("case")->reference_data);
}

static void
test_dictionary_case_fields (void)
{
  static const struct {
    const char    *name;
    AwdaFieldType  type;
  } promised[] = {
    { "given_name", AWDA_FIELD_TEXT },
    { "family_name", AWDA_FIELD_TEXT },
    { "given_name_ar", AWDA_FIELD_TEXT },
    { "family_name_ar", AWDA_FIELD_TEXT },
    { "sex", AWDA_FIELD_ENUM },
    { "birth_date", AWDA_FIELD_DATE },
    { "national_id", AWDA_FIELD_TEXT },
    { "phone", AWDA_FIELD_TEXT },
    { "governorate", AWDA_FIELD_ENUM },
    { "host_country", AWDA_FIELD_COUNTRY },
    { "return_date", AWDA_FIELD_DATE },
    { "return_type", AWDA_FIELD_ENUM },
    { "status", AWDA_FIELD_ENUM },
    { "priority", AWDA_FIELD_ENUM },
  };
  static const char *const searchable[] = {
    "given_name", "family_name", "given_name_ar", "family_name_ar", "national_id", "phone",
  };
  static const char *const statuses[] = {
    "reception", "assessment", "plan", "implementation", "monitoring", "closed",
  };
  const AwdaEntity *kase = get_entity ("case");
  const AwdaField *status;
  const AwdaField *sex;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (promised); i++)
    {
      const AwdaField *field = get_field (kase, promised[i].name);

      if (field->type != promised[i].type)
        g_error ("case.%s is a %s field, the command line promises a %s",
                 promised[i].name, awda_field_type_to_string (field->type),
                 awda_field_type_to_string (promised[i].type));
    }

  /* Search covers names in both scripts, phone and national ID. */
  for (guint i = 0; i < G_N_ELEMENTS (searchable); i++)
    g_assert_true (get_field (kase, searchable[i])->flags & AWDA_FIELD_SEARCHABLE);

  /* The workflow stages, in order. */
  status = get_field (kase, "status");
  g_assert_true (status->flags & AWDA_FIELD_REQUIRED);
  for (const AwdaEnumValue *v = status->values; v->value != NULL; v++, n++)
    {
      g_assert_cmpuint (n, <, G_N_ELEMENTS (statuses));
      g_assert_cmpstr (v->value, ==, statuses[n]);
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (statuses));

  sex = get_field (kase, "sex");
  g_assert_nonnull (awda_field_lookup_value (sex, "f"));
  g_assert_nonnull (awda_field_lookup_value (sex, "m"));

  g_assert_nonnull (awda_field_lookup_value (get_field (kase, "return_type"), "assisted_voluntary"));
  g_assert_nonnull (awda_field_lookup_value (get_field (kase, "return_type"), "forced"));
  g_assert_nonnull (awda_field_lookup_value (get_field (kase, "return_type"), "spontaneous"));
}

static void
test_dictionary_governorates (void)
{
  static const char *const codes[] = {
    "TN-11", "TN-12", "TN-13", "TN-14", "TN-21", "TN-22", "TN-23", "TN-31",
    "TN-32", "TN-33", "TN-34", "TN-41", "TN-42", "TN-43", "TN-51", "TN-52",
    "TN-53", "TN-61", "TN-71", "TN-72", "TN-73", "TN-81", "TN-82", "TN-83",
  };
  const AwdaField *governorate = get_field (get_entity ("case"), "governorate");
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const AwdaEnumValue *v = awda_field_lookup_value (governorate, codes[i]);

      if (v == NULL)
        g_error ("The governorate %s is missing", codes[i]);
      g_assert_true (v->label != NULL && *v->label != '\0');
    }
  for (const AwdaEnumValue *v = governorate->values; v->value != NULL; v++)
    n++;
  g_assert_cmpuint (n, ==, 24);

  g_assert_cmpstr (awda_field_lookup_value (governorate, "TN-11")->label, ==, "Tunis");
  g_assert_cmpstr (awda_field_lookup_value (governorate, "TN-83")->label, ==, "Tataouine");

  /* Offices and partners use the same list. */
  g_assert_true (get_field (get_entity ("office"), "governorate")->values == governorate->values);
  g_assert_true (get_field (get_entity ("partner"), "governorate")->values == governorate->values);
}

int
main (int   argc,
      char *argv[])
{
  /* Failure messages quote names in Arabic: print them as they are. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/dictionary/normalize/empty", test_normalize_empty);
  g_test_add_func ("/core/dictionary/normalize/text", test_normalize_text);
  g_test_add_func ("/core/dictionary/normalize/integer", test_normalize_integer);
  g_test_add_func ("/core/dictionary/normalize/amount", test_normalize_amount);
  g_test_add_func ("/core/dictionary/normalize/date", test_normalize_date);
  g_test_add_func ("/core/dictionary/normalize/enum", test_normalize_enum);
  g_test_add_func ("/core/dictionary/normalize/reference", test_normalize_reference);
  g_test_add_func ("/core/dictionary/normalize/boolean", test_normalize_boolean);
  g_test_add_func ("/core/dictionary/normalize/country", test_normalize_country);
  g_test_add_func ("/core/dictionary/amount-format", test_amount_parse_format);
  g_test_add_func ("/core/dictionary/entities", test_dictionary_entities);
  g_test_add_func ("/core/dictionary/fields", test_dictionary_fields);
  g_test_add_func ("/core/dictionary/references", test_dictionary_references);
  g_test_add_func ("/core/dictionary/amounts", test_dictionary_amounts);
  g_test_add_func ("/core/dictionary/enums", test_dictionary_enums);
  g_test_add_func ("/core/dictionary/children", test_dictionary_children);
  g_test_add_func ("/core/dictionary/case-fields", test_dictionary_case_fields);
  g_test_add_func ("/core/dictionary/governorates", test_dictionary_governorates);

  return g_test_run ();
}

/* test-report.c: the PDF reports, the CSV exports and their commands, read back
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PDFs are read back with pdfinfo and pdftotext (poppler-utils), as a
 * person would check them: the page count, the titles and the figures.
 * The fixture, period 2025:
 *
 * C1 Sfax  opened 2025-01-10, plan approved 2025-01-25 (15 days): 3000 EUR
 *          budgeted, 1250 EUR disbursed; 2500.5 TND budgeted and disbursed
 * C2 Sfax  opened 2025-02-01, approved 2025-04-02 (60 days)
 * C3 Nord  opened 2025-03-15, approved 2025-04-14 (30 days)
 * C4 Nord  opened 2025-06-01, approved 2025-09-28 (119 days)
 *
 * Median days to a plan (30 + 60) / 2 = 45.0, mean 224 / 4 = 56.0.
 * C1 is Mohamed Trabelsi, محمد الطرابلسي.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <sys/stat.h>

#include "awda-cli-report.h"
#include "awda-csv.h"
#include "awda-indicators.h"
#include "awda-report.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  char      *office[2];
  char      *cases[5];
} Fixture;

static const AwdaIndicatorFilter year_2025 = { "2025-01-01", "2025-12-31", NULL, NULL, "2025-12-31" };

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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *eur = NULL;
  g_autofree char *tnd = NULL;
  g_autofree char *partner = NULL;
  static const char *opened[] = { NULL, "2025-01-10", "2025-02-01", "2025-03-15", "2025-06-01" };
  static const char *approved[] = { NULL, "2025-01-25", "2025-04-02", "2025-04-14", "2025-09-28" };

  f->dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->store = awda_store_create (f->path, "Plateforme centrale", "central", "TN-11", &error);
  g_assert_no_error (error);

  f->office[0] = apply (f->store, "office", NULL, "name", "Bureau de Sfax", NULL);
  /* A name a CSV must quote. */
  f->office[1] = apply (f->store, "office", NULL, "name", "Bureau \"Nord\", Bizerte", NULL);
  eur = apply (f->store, "programme", NULL, "name", "OFII", "currency", "EUR", NULL);
  tnd = apply (f->store, "programme", NULL, "name", "Programme national", "currency", "TND", NULL);
  /* A name a spreadsheet would run as a formula. */
  partner = apply (f->store, "partner", NULL, "name", "=HYPERLINK(\"http://example.com\")", NULL);

  for (int c = 1; c <= 4; c++)
    {
      f->cases[c] = apply (f->store, "case", NULL, "opened_on", opened[c], "status", "plan",
                           "owner_office", f->office[c <= 2 ? 0 : 1], "governorate", c <= 2 ? "TN-61" : "TN-23",
                           "sex", c % 2 ? "m" : "f", NULL);
      g_free (apply (f->store, "plan_item", NULL, "case_id", f->cases[c], "dimension", "economic",
                     "kind", "business_creation", "status", "approved", "approved_on", approved[c], NULL));
    }

  g_free (apply (f->store, "case", f->cases[1],
                 "given_name", "Mohamed", "family_name", "Trabelsi",
                 "given_name_ar", "محمد", "family_name_ar", "الطرابلسي",
                 "birth_date", "1990-06-15", "phone", "+21620123456", "host_country", "FR",
                 "address", "12, rue de Marseille\nSfax", "return_programme", eur, NULL));
  g_free (apply (f->store, "case", f->cases[2], "given_name", "Amna", "family_name", "Ben Salah", NULL));
  g_free (apply (f->store, "plan_item", NULL, "case_id", f->cases[1], "dimension", "economic",
                 "kind", "vocational_training", "status", "in_progress", "approved_on", "2025-02-01",
                 "programme", eur, "budget", "3000", "currency", "EUR",
                 "disbursed", "1250", "disbursed_on", "2025-03-01", "description", "Formation en soudure", NULL));
  g_free (apply (f->store, "plan_item", NULL, "case_id", f->cases[1], "dimension", "social",
                 "kind", "housing", "status", "done", "approved_on", "2025-02-10",
                 "programme", tnd, "budget", "2500.5", "currency", "TND",
                 "disbursed", "2500.5", "disbursed_on", "2025-04-01", NULL));
  g_free (apply (f->store, "referral", NULL, "case_id", f->cases[1], "partner", partner,
                 "sent_on", "2025-02-15", "status", "accepted", "service", "Placement", NULL));
  g_free (apply (f->store, "follow_up", NULL, "case_id", f->cases[1], "scheduled_on", "2025-05-01",
                 "done_on", "2025-05-03", "mode", "visit", "notes", "Atelier ouvert.", NULL));
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
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
    g_free (f->office[i]);
  for (guint i = 0; i < G_N_ELEMENTS (f->cases); i++)
    g_free (f->cases[i]);
}

/* Poppler */

static gboolean
have_poppler (void)
{
  g_autofree char *info = g_find_program_in_path ("pdfinfo");
  g_autofree char *text = g_find_program_in_path ("pdftotext");

  if (info != NULL && text != NULL)
    return TRUE;
  g_test_skip ("pdfinfo and pdftotext are missing: install poppler-utils");
  return FALSE;
}

static char *
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static guint
pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *out = run (argv);
  const char *pages = strstr (out, "Pages:");

  g_assert_nonnull (pages);
  return (guint) g_ascii_strtoull (pages + strlen ("Pages:") + strspn (pages + strlen ("Pages:"), " "), NULL, 10);
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };

  return run (argv);
}

/* pdftotext breaks lines and spaces as it sees fit: compare with the
 * whitespace squeezed. */
static char *
squeeze (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Arabic words come out of pdftotext with bidi marks, and sometimes a
 * space inside a word where the glyphs join: compare without either. */
static char *
strip_bidi (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x200E || c == 0x200F ||
          (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_contains_arabic(text, needle) \
  G_STMT_START { \
    g_autofree char *stripped_text = strip_bidi (text); \
    g_autofree char *stripped_needle = strip_bidi (needle); \
    if (strstr (stripped_text, stripped_needle) == NULL) \
      g_error ("“%s” is not in the PDF's text", (needle)); \
  } G_STMT_END

#define assert_contains(text, needle) \
  G_STMT_START { \
    if (strstr ((text), (needle)) == NULL) \
      g_error ("“%s” is not in the PDF's text", (needle)); \
  } G_STMT_END

static void
test_periodic (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaIndicators) ind = awda_indicators_compute (f->store, &year_2025, AWDA_INDICATORS_BY_OFFICE, NULL, &error);
  AwdaReportOptions options = { "Plateforme centrale", "2026-01-05", AWDA_REPORT_DIRECTION_LTR, FALSE };
  g_autoptr(AwdaReport) report = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "report.pdf", NULL);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  guint n_pages;

  g_assert_no_error (error);
  if (!have_poppler ())
    return;

  report = awda_report_new_periodic (ind, &options);
  g_assert_false (awda_report_is_rtl (report));
  g_assert_true (awda_report_save_pdf (report, pdf, 0644, NULL, &error));
  g_assert_no_error (error);

  /* The cover, the key figures, the tables, two offices, the notes. */
  n_pages = awda_report_paginate (report, AWDA_REPORT_A4_WIDTH, AWDA_REPORT_A4_HEIGHT);
  g_assert_cmpuint (pdf_pages (pdf), ==, n_pages);
  g_assert_cmpuint (n_pages, >=, 8);

  raw = pdf_text (pdf);
  text = squeeze (raw);
  assert_contains (text, "Reintegration indicators");
  assert_contains (text, "From 2025-01-01 to 2025-12-31");
  assert_contains (text, "Produced on 2026-01-05 by Plateforme centrale");
  assert_contains (text, "Key figures");
  assert_contains (text, "Cases by stage");
  assert_contains (text, "Time from reception to an approved plan");
  assert_contains (text, "Assistance budgeted and disbursed");
  assert_contains (text, "Office: Bureau de Sfax");
  assert_contains (text, "Office: Bureau \"Nord\", Bizerte");
  assert_contains (text, "About these figures");
  /* The figures: four cases, a median of 45 days, a mean of 56, half
   * within 30 days; the money per currency. */
  assert_contains (text, "45.0");
  assert_contains (text, "56.0");
  assert_contains (text, "50.0 %");
  assert_contains (text, "3000.00 EUR");
  assert_contains (text, "1250.00 EUR");
  assert_contains (text, "2500.500 TND");
  assert_contains (text, "Page 1 of");
}

static void
test_case_sheet (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AwdaReportOptions options = { NULL, "2026-01-05", AWDA_REPORT_DIRECTION_LTR, FALSE };
  g_autoptr(AwdaReport) report = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "sheet.pdf", NULL);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  if (!have_poppler ())
    return;

  report = awda_report_new_case_sheet (f->store, f->cases[1], &options, &error);
  g_assert_no_error (error);
  g_assert_true (awda_report_save_pdf (report, pdf, 0600, NULL, &error));
  g_assert_no_error (error);

  /* Personal data: for the user's eyes only. */
  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (pdf_pages (pdf), >=, 1);

  raw = pdf_text (pdf);
  text = squeeze (raw);
  assert_contains (text, "Case summary sheet");
  assert_contains (text, "Mohamed Trabelsi");
  assert_contains_arabic (text, "محمد");
  assert_contains_arabic (text, "الطرابلسي");
  assert_contains (text, "+21620123456");
  assert_contains (text, "France");
  assert_contains (text, "Bureau de Sfax");
  assert_contains (text, "Formation en soudure");
  assert_contains (text, "Budget and disbursed by programme");
  assert_contains (text, "Total EUR");
  assert_contains (text, "Total TND");
  assert_contains (text, "3000.00 EUR");
  assert_contains (text, "1250.00 EUR");
  assert_contains (text, "2500.500 TND");
  assert_contains (text, "Assistance received");
  assert_contains (text, "=HYPERLINK");
  assert_contains (text, "Atelier ouvert.");

  /* An unknown case has no sheet. */
  g_assert_null (awda_report_new_case_sheet (f->store, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND);
}

/* The x of the first word of the first page's text matching @word. */
static double
word_x (const char *pdf,
        const char *word,
        double     *x_max)
{
  const char *argv[] = { "pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-", NULL };
  g_autofree char *html = run (argv);
  g_autofree char *needle = g_strdup_printf (">%s</word>", word);
  const char *at = strstr (html, needle);
  const char *start, *x;

  g_assert_nonnull (at);
  for (start = at; start > html && strncmp (start, "<word", 5) != 0; start--)
    ;
  x = strstr (start, "xMin=\"");
  *x_max = g_ascii_strtod (strstr (start, "xMax=\"") + 6, NULL);
  return g_ascii_strtod (x + 6, NULL);
}

/* gettext keeps what it translated until the locale is set again: a
 * change of LANGUAGE alone would go unnoticed. */
static void
set_language (const char *language)
{
  if (language)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
}

static void
test_arabic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaReport) report = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "sheet-ar.pdf", NULL);
  g_autofree char *pdf_ltr = g_build_filename (f->dir, "sheet-ltr.pdf", NULL);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  const char *title;
  double x_min, x_max;

  if (!have_poppler ())
    return;

  /* In Arabic: right to left, whatever the catalogue holds yet. */
  set_language ("ar");
  g_assert_true (awda_report_language_is_rtl ());
  title = _("Case summary sheet");
  report = awda_report_new_case_sheet (f->store, f->cases[1], NULL, &error);
  g_assert_no_error (error);
  g_assert_true (awda_report_is_rtl (report));
  g_assert_true (awda_report_save_pdf (report, pdf, 0600, NULL, &error));
  g_assert_no_error (error);
  set_language (NULL);
  g_assert_false (awda_report_language_is_rtl ());

  raw = pdf_text (pdf);
  text = squeeze (raw);
  assert_contains_arabic (text, "محمد");
  assert_contains_arabic (text, "الطرابلسي");
  assert_contains (text, "Mohamed Trabelsi");
  if (g_strcmp0 (title, "Case summary sheet") != 0)
    assert_contains (text, title);
  else
    g_test_message ("The Arabic catalogue has no translation of the case sheet's title yet");

  /* The pages are mirrored: the name line, "Mohamed Trabelsi — محمد
   * الطرابلسي", stands against the right margin of the A4 page (595
   * points, margins of 42), where the left-to-right sheet starts it at
   * the left margin. */
  x_min = word_x (pdf, "Mohamed", &x_max);
  g_assert_cmpfloat (x_min, >, 200);
  g_clear_pointer (&report, awda_report_free);
  {
    AwdaReportOptions ltr = { NULL, NULL, AWDA_REPORT_DIRECTION_LTR, FALSE };

    report = awda_report_new_case_sheet (f->store, f->cases[1], &ltr, &error);
    g_assert_true (awda_report_save_pdf (report, pdf_ltr, 0600, NULL, &error));
    g_assert_no_error (error);
  }
  x_min = word_x (pdf_ltr, "Mohamed", &x_max);
  g_assert_cmpfloat (x_min, <, 50);
}

/* CSV read back: RFC 4180 fields, rows ending with CRLF. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;

  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbf"));
  p += 3;
  while (*p)
    {
      if (*p == '"')
        {
          for (p++; *p; p++)
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
        }
      else
        while (*p && *p != ',' && *p != '\r' && *p != '\n')
          g_string_append_c (field, *p++);

      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*p == ',')
        p++;
      else
        {
          /* Every row ends with CRLF, never a lone LF. */
          g_assert_cmpint (p[0], ==, '\r');
          g_assert_cmpint (p[1], ==, '\n');
          p += 2;
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
        }
    }
  return rows;
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaIndicators) ind = awda_indicators_compute (f->store, &year_2025, 0, NULL, &error);
  g_autofree char *dir = g_build_filename (f->dir, "csv", NULL);

  g_assert_no_error (error);
  g_assert_true (awda_csv_write_indicators (ind, dir, NULL, &error));
  g_assert_no_error (error);

  for (int id = 0; id < AWDA_INDICATOR_N_TABLES; id++)
    {
      const AwdaIndicatorTable *table = awda_indicators_get_table (ind, id);
      g_autofree char *name = g_strconcat (table->key, ".csv", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      char **header;
      guint first = 2;

      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      rows = parse_csv (text);
      g_assert_cmpuint (rows->len, ==, table->rows->len + 1);

      header = g_ptr_array_index (rows, 0);
      g_assert_cmpstr (header[0], ==, "key");
      g_assert_cmpstr (header[1], ==, "label");
      if (g_strcmp0 (header[2], "currency") == 0)
        first = 3;
      g_assert_cmpuint (g_strv_length (header), ==, first + table->n_columns);
      for (guint c = 0; c < table->n_columns; c++)
        g_assert_cmpstr (header[first + c], ==, table->columns[c].key);

      for (guint r = 0; r < table->rows->len; r++)
        {
          const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, r);
          char **fields = g_ptr_array_index (rows, r + 1);

          g_assert_cmpuint (g_strv_length (fields), ==, first + table->n_columns);
          g_assert_cmpstr (fields[0], ==, row->key);
          if (row->label[0] == '=')
            {
              /* Guarded against formulas. */
              g_assert_cmpint (fields[1][0], ==, '\'');
              g_assert_cmpstr (fields[1] + 1, ==, row->label);
            }
          else
            g_assert_cmpstr (fields[1], ==, row->label);
          for (guint c = 0; c < table->n_columns; c++)
            {
              double read = fields[first + c][0] ? g_ascii_strtod (fields[first + c], NULL) : NAN;
              double expected = row->values[c];

              if (table->columns[c].kind == AWDA_VALUE_AMOUNT && !isnan (expected))
                expected /= 1000.0;
              if (isnan (expected))
                g_assert_true (isnan (read));
              else
                g_assert_cmpfloat_with_epsilon (read, expected, table->columns[c].kind == AWDA_VALUE_RATIO ? 1e-4 : 0.051);
            }
        }
    }

  /* The office with a quote and a comma in its name came back whole (read
   * above); the file quotes it as RFC 4180 says. */
  {
    g_autofree char *path = g_build_filename (dir, "cases_by_office.csv", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, ",\"Bureau \"\"Nord\"\", Bizerte\","));
    g_assert_nonnull (strstr (text, "\r\n"));
  }
}

static void
test_case_list_csv (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  AwdaCaseQuery query = { NULL };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  int given_ar = awda_entity_field_index (entity, "given_name_ar") + 1;
  int phone = awda_entity_field_index (entity, "phone") + 1;
  int address = awda_entity_field_index (entity, "address") + 1;
  int household = awda_entity_field_index (entity, "household_size") + 1;
  gboolean found = FALSE;

  query.sort = AWDA_CASE_SORT_OPENED;
  g_assert_true (awda_csv_write_cases (f->store, &query, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));

  rows = parse_csv (text);
  g_assert_cmpuint (rows->len, ==, 1 + 4);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==, "id");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[given_ar], ==, "given_name_ar");
  g_assert_cmpuint (household, >, 0);
  for (guint r = 1; r < rows->len; r++)
    {
      char **fields = g_ptr_array_index (rows, r);

      g_assert_cmpuint (g_strv_length (fields), ==, entity->n_fields + 1);
      if (g_strcmp0 (fields[0], f->cases[1]) != 0)
        continue;
      found = TRUE;
      g_assert_cmpstr (fields[given_ar], ==, "محمد");
      g_assert_cmpstr (fields[phone], ==, "'+21620123456");      /* not a formula */
      g_assert_cmpstr (fields[address], ==, "12, rue de Marseille\nSfax");
    }
  g_assert_true (found);
  /* The newest opened first: C4 (2025-06-01). */
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[0], ==, f->cases[4]);
}

static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AwdaReport) report = awda_report_new_case_sheet (f->store, f->cases[1], NULL, &error);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "sheet.pdf", NULL);
  g_autofree char *existing = g_build_filename (f->dir, "existing.pdf", NULL);
  g_autofree char *content = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n_files = 0;

  g_assert_no_error (error);

  g_assert_false (awda_report_save_pdf (report, missing, 0600, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  /* Interrupted: the file that was there stays, and no temporary file. */
  g_assert_true (g_file_set_contents (existing, "the old report", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (awda_report_save_pdf (report, existing, 0600, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (existing, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "the old report");

  d = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_str_has_prefix (name, "awda.db"))
      {
        g_assert_cmpstr (name, ==, "existing.pdf");
        n_files++;
      }
  g_assert_cmpuint (n_files, ==, 1);
}

static int
cli (AwdaStore *store,
     gboolean   sheet,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) (sheet ? "sheet" : "report"));
  va_start (ap, sheet);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return sheet ? awda_cli_case_sheet (store, (int) args->len - 1, (char **) args->pdata)
               : awda_cli_report (store, (int) args->len - 1, (char **) args->pdata);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "cli.pdf", NULL);
  g_autofree char *sheet = g_build_filename (f->dir, "cli-sheet.pdf", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "cli-csv", NULL);
  g_autofree char *stage = g_build_filename (csv, "cases_by_stage.csv", NULL);
  GStatBuf st;

  /* Usage: 1; refused input: 2; nothing written either way. */
  g_assert_cmpint (cli (f->store, FALSE, NULL), ==, 1);
  g_assert_cmpint (cli (f->store, FALSE, "--pdf", pdf, "--csv", csv, NULL), ==, 1);
  g_assert_cmpint (cli (f->store, FALSE, "--pdf", pdf, "extra", NULL), ==, 1);
  g_assert_cmpint (cli (f->store, FALSE, "--from", "2025-02-30", "--pdf", pdf, NULL), ==, 2);
  g_assert_cmpint (cli (f->store, FALSE, "--from", "2025-12-01", "--to", "2025-01-01", "--pdf", pdf, NULL), ==, 2);
  g_assert_cmpint (cli (f->store, FALSE, "--office", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "--pdf", pdf, NULL), ==, 2);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cli (f->store, TRUE, "--pdf", sheet, NULL), ==, 1);
  g_assert_cmpint (cli (f->store, TRUE, f->cases[1], NULL), ==, 1);
  g_assert_cmpint (cli (f->store, TRUE, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "--pdf", sheet, NULL), ==, 2);
  g_assert_false (g_file_test (sheet, G_FILE_TEST_EXISTS));

  /* Success */
  g_assert_cmpint (cli (f->store, FALSE, "--from", "2025-01-01", "--to", "2025-12-31",
                        "--office", f->office[0], "--pdf", pdf, NULL), ==, 0);
  g_assert_cmpint (cli (f->store, FALSE, "--from", "2025-01-01", "--csv", csv, NULL), ==, 0);
  g_assert_true (g_file_test (stage, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cli (f->store, TRUE, f->cases[2], "--pdf", sheet, NULL), ==, 0);
  g_assert_cmpint (g_stat (sheet, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  if (have_poppler ())
    {
      g_autofree char *raw = pdf_text (pdf);
      g_autofree char *text = squeeze (raw);

      assert_contains (text, "Office: Bureau de Sfax");
      g_assert_null (strstr (text, "Office: Bureau \"Nord\""));
      g_assert_cmpuint (pdf_pages (sheet), >=, 1);
    }
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("AWDA_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/report/periodic", test_periodic);
  ADD ("/core/report/case-sheet", test_case_sheet);
  ADD ("/core/report/arabic", test_arabic);
  ADD ("/core/report/csv", test_csv);
  ADD ("/core/report/case-list-csv", test_case_list_csv);
  ADD ("/core/report/atomic", test_atomic);
  ADD ("/core/report/cli", test_cli);
#undef ADD

  return g_test_run ();
}

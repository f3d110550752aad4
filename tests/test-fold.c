/* test-fold.c: search folding finds a name however it was typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-fold"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "awda-fold.h"

static const char *
or_null (const char *text)
{
  return text ? text : "(null)";
}

static void
assert_fold (const char *input,
             const char *expected)
{
  g_autofree char *folded = awda_fold (input);

  if (g_strcmp0 (folded, expected) != 0)
    g_error ("awda_fold (“%s”) gave “%s”, expected “%s”", or_null (input), folded, expected);
}

static void
assert_same_fold (const char *a,
                  const char *b)
{
  g_autofree char *fa = awda_fold (a);
  g_autofree char *fb = awda_fold (b);

  if (g_strcmp0 (fa, fb) != 0)
    g_error ("“%s” folds to “%s” but “%s” folds to “%s”", a, fa, b, fb);
}

static void
assert_match_query (const char *input,
                    const char *expected)
{
  g_autofree char *query = awda_fold_match_query (input);

  if (g_strcmp0 (query, expected) != 0)
    g_error ("awda_fold_match_query (“%s”) gave “%s”, expected “%s”",
             or_null (input), or_null (query), or_null (expected));
}

static void
test_fold_empty (void)
{
  assert_fold (NULL, "");
  assert_fold ("", "");
  assert_fold ("   ", "");
  assert_fold (" \t\n ", "");
  assert_fold ("-.,;:!?'\"()[]*", "");
}

static void
test_fold_case (void)
{
  assert_fold ("MOHAMED", "mohamed");
  assert_fold ("Ben Salah", "ben salah");
  assert_fold ("mOhAmEd", "mohamed");
  /* Beyond ASCII, as case folding does: Greek, Cyrillic, final sigma. */
  assert_fold ("ΣΟΦΙΑ", "σοφια");
  assert_fold ("Σοφίας", "σοφιασ");
  assert_fold ("ОЛЬГА", "ольга");
}

static void
test_fold_latin_diacritics (void)
{
  /* French given names as a caseworker may or may not type them. */
  assert_fold ("Hélène", "helene");
  assert_fold ("HÉLÈNE", "helene");
  assert_fold ("Françoise", "francoise");
  assert_fold ("Zoé", "zoe");
  assert_fold ("Gaëlle", "gaelle");
  assert_fold ("Jérôme", "jerome");
  assert_fold ("Noël", "noel");
  assert_fold ("Maïté", "maite");
  assert_fold ("Aurélie Benoît", "aurelie benoit");
  assert_fold ("Ben Sâlah", "ben salah");
  assert_fold ("Çağlar", "caglar");
  assert_fold ("Núñez", "nunez");
  assert_fold ("Dvořák", "dvorak");
  assert_fold ("Ångström", "angstrom");
  /* The same letters already decomposed: e + combining acute. */
  assert_fold ("He\xcc\x81le\xcc\x80ne", "helene");
  assert_same_fold ("Zoé", "Zoe\xcc\x81");
}

static void
test_fold_latin_letters (void)
{
  /* Letters whose diacritic no Unicode decomposition removes. */
  assert_fold ("Straße", "strasse");
  assert_fold ("STRAẞE", "strasse");
  assert_fold ("Œuvre cœur", "oeuvre coeur");
  assert_fold ("Lætitia Æsa", "laetitia aesa");
  assert_fold ("Søren Ørsted", "soren orsted");
  assert_fold ("Łukasz Wałęsa", "lukasz walesa");
  assert_fold ("Đorđe", "dorde");
  assert_fold ("Ðóra", "dora");
  assert_fold ("Ħamrun", "hamrun");
  assert_fold ("Yılmaz", "yilmaz");
  assert_fold ("Þórður", "thordur");
  /* Compatibility forms: ligatures, fullwidth letters. */
  assert_fold ("ﬁlali", "filali");
  assert_fold ("ＡＬＩ", "ali");
}

static void
test_fold_arabic_alef (void)
{
  /* أ إ آ ٱ all meet plain alef ا, one at a time. */
  assert_fold ("أحمد", "احمد");
  assert_fold ("إبراهيم", "ابراهيم");
  assert_fold ("آمنة", "امنه");
  assert_fold ("ٱلله", "الله");
  assert_same_fold ("أسماء", "اسماء");
  assert_same_fold ("إيمان", "ايمان");
  assert_same_fold ("آدم", "ادم");
  assert_same_fold ("ٱبن", "ابن");
  /* Alef with hamza typed as alef + combining hamza. */
  assert_fold ("\xd8\xa7\xd9\x94\xd8\xad\xd9\x85\xd8\xaf", "احمد");
}

static void
test_fold_arabic_taa_marbuta (void)
{
  assert_fold ("فاطمة", "فاطمه");
  assert_same_fold ("فاطمة", "فاطمه");
  assert_same_fold ("خديجة", "خديجه");
  assert_same_fold ("حمزة", "حمزه");
  /* Only ة changes: ت stays a teh. */
  assert_fold ("بنت", "بنت");
}

static void
test_fold_arabic_alef_maqsura (void)
{
  assert_fold ("مصطفى", "مصطفي");
  assert_same_fold ("مصطفى", "مصطفي");
  assert_same_fold ("عيسى", "عيسي");
  assert_same_fold ("يحيى", "يحيي");
}

static void
test_fold_arabic_hamza_carriers (void)
{
  assert_fold ("مؤمن", "مومن");
  assert_same_fold ("رؤوف", "رووف");
  assert_fold ("عائشة", "عايشه");
  assert_same_fold ("هانئ", "هاني");
  /* The bare hamza is a letter of its own and stays. */
  assert_fold ("أسماء", "اسماء");
}

static void
test_fold_arabic_persian_letters (void)
{
  /* Farsi yeh and keheh, as a Persian or Urdu keyboard types them. */
  assert_same_fold ("علی", "علي");
  assert_same_fold ("ی", "ي");
  assert_same_fold ("کمال", "كمال");
  assert_same_fold ("ک", "ك");
}

static void
test_fold_arabic_tashkeel (void)
{
  g_autoptr(GString) word = g_string_new (NULL);

  assert_fold ("مُحَمَّد", "محمد");
  assert_fold ("عَلِيّ", "علي");
  assert_fold ("فَاطِمَةُ", "فاطمه");
  assert_fold ("كِتَابٌ", "كتاب");
  /* U+0670 superscript alef, as in هٰذا and رحمٰن. */
  assert_fold ("رحمٰن", "رحمن");

  /* Every Arabic combining mark, one at a time, inside a name. */
  for (gunichar mark = 0x064B; mark <= 0x065F; mark++)
    {
      g_string_assign (word, "مح");
      g_string_append_unichar (word, mark);
      g_string_append (word, "مد");
      assert_fold (word->str, "محمد");
    }
  for (gunichar mark = 0x0610; mark <= 0x061A; mark++)
    {
      g_string_assign (word, "مح");
      g_string_append_unichar (word, mark);
      g_string_append (word, "مد");
      assert_fold (word->str, "محمد");
    }
  for (gunichar mark = 0x06D6; mark <= 0x06ED; mark++)
    {
      if (mark == 0x06DE || mark == 0x06E9)
        continue; /* symbols, not marks: they separate words */
      g_string_assign (word, "مح");
      g_string_append_unichar (word, mark);
      g_string_append (word, "مد");
      assert_fold (word->str, "محمد");
    }
}

static void
test_fold_arabic_tatweel (void)
{
  assert_fold ("محـــمد", "محمد");
  assert_fold ("ـمحمدـ", "محمد");
  assert_fold ("عـلـي", "علي");
}

static void
test_fold_arabic_presentation_forms (void)
{
  /* Text copied from old documents sometimes holds the contextual forms:
   * ﻓﺎﻃﻤﺔ (FEXX) is فاطمة, and its final ﺔ is still a taa marbuta. */
  assert_fold ("ﻓﺎﻃﻤﺔ", "فاطمه");
  assert_fold ("ﻻ", "لا");
}

static void
test_fold_digits (void)
{
  assert_fold ("٠١٢٣٤٥٦٧٨٩", "0123456789");
  assert_fold ("۰۱۲۳۴۵۶۷۸۹", "0123456789");
  assert_fold ("٩٨ ١٢٣ ٤٥٦", "98 123 456");
  assert_fold ("Rue 12", "rue 12");
  assert_fold ("１２３", "123");
}

static void
test_fold_separators (void)
{
  assert_fold ("  Ben   Salah  ", "ben salah");
  assert_fold ("Ben-Salah", "ben salah");
  assert_fold ("M'barek", "m barek");
  assert_fold ("M’barek", "m barek");
  assert_fold ("Ben--/--Salah!!", "ben salah");
  assert_fold ("Ben\tSalah\nTrabelsi", "ben salah trabelsi");
  assert_fold ("Ben\xc2\xa0Salah", "ben salah");         /* no-break space */
  assert_fold ("محمد، علي؛ عمر؟", "محمد علي عمر");      /* Arabic comma, semicolon, question mark */
  assert_fold ("«Zoé»", "zoe");
  /* Invisible characters never split a word: soft hyphen, zero-width
   * non-joiner, right-to-left mark, Arabic letter mark. */
  assert_fold ("Hé\xc2\xadlène", "helene");
  assert_fold ("مح\xe2\x80\x8cمد", "محمد");
  assert_fold ("\xe2\x80\x8fمحمد\xe2\x80\x8f", "محمد");
  assert_fold ("مح\xd8\x9cمد", "محمد");
}

static void
test_fold_mixed_scripts (void)
{
  assert_fold ("Mohamed محمد", "mohamed محمد");
  assert_fold ("Hélène فاطمة Ben-Sâlah", "helene فاطمه ben salah");
  assert_fold ("أحمد/Ahmed (٢٠٢٤)", "احمد ahmed 2024");
}

static void
test_fold_invalid_utf8 (void)
{
  /* Never trusted, never copied: a stray byte separates words. */
  assert_fold ("Ali\xff" "Ben", "ali ben");
  assert_fold ("\xc3", "");
  assert_fold ("Zo\xc3", "zo");
  assert_fold ("\xed\xa0\x80x", "x"); /* an encoded surrogate */
  assert_fold ("\xc0\xaf", "");       /* an overlong slash */
}

static gboolean
nfkd_has_ypogegrammeni (const char *nfkd)
{
  /* U+0345, the Greek iota subscript, is a combining mark: folding drops
   * it like any diacritic where case folding would make it a letter. */
  return strstr (nfkd, "\xcd\x85") != NULL;
}

static void
test_fold_matches_reference (void)
{
  guint checked = 0;

  /* Every character of the first two planes gives what the long way
   * round gives: NFKD, case folding, NFKD again, then folding, and
   * folding is idempotent, and gives only letters, digits and single
   * spaces. */
  for (gunichar c = 1; c < 0x20000; c++)
    {
      char text[16] = "a";
      int len;
      g_autofree char *folded = NULL;
      g_autofree char *nfkd = NULL;
      g_autofree char *casefolded = NULL;
      g_autofree char *reference_input = NULL;
      g_autofree char *reference = NULL;
      g_autofree char *again = NULL;

      if (!g_unichar_validate (c))
        continue;

      /* Between two letters, so that a separator shows as a space. */
      len = g_unichar_to_utf8 (c, text + 1);
      text[1 + len] = 'b';
      text[2 + len] = '\0';

      folded = awda_fold (text);
      nfkd = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
      if (nfkd_has_ypogegrammeni (nfkd))
        continue;
      casefolded = g_utf8_casefold (nfkd, -1);
      reference_input = g_utf8_normalize (casefolded, -1, G_NORMALIZE_NFKD);
      reference = awda_fold (reference_input);
      if (strcmp (folded, reference) != 0)
        g_error ("U+%04X folds to “%s” but its NFKD case folding folds to “%s”",
                 c, folded, reference);

      again = awda_fold (folded);
      if (strcmp (folded, again) != 0)
        g_error ("U+%04X folds to “%s”, and that to “%s”", c, folded, again);

      g_assert_true (g_utf8_validate (folded, -1, NULL));
      g_assert_true (folded[0] == 'a');
      for (const char *p = folded; *p; p = g_utf8_next_char (p))
        {
          gunichar f = g_utf8_get_char (p);

          if (f == ' ')
            g_assert_true (p[1] != ' ' && p[1] != '\0');
          else if (!g_unichar_isalnum (f) && g_unichar_type (f) != G_UNICODE_LETTER_NUMBER)
            g_error ("U+%04X folds to “%s”, which holds U+%04X", c, folded, f);
          if (g_unichar_isupper (f) || g_unichar_ismark (f))
            g_error ("U+%04X folds to “%s”, which holds U+%04X", c, folded, f);
        }
      checked++;
    }

  g_assert_cmpuint (checked, >, 100000);
}

static void
test_fold_long_text (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *folded = NULL;

  /* Expanding characters (ß gives two, Hangul syllables three jamo)
   * over a long text: the output buffer must grow, never overflow. */
  for (guint i = 0; i < 5000; i++)
    {
      g_string_append (text, "ßﬃ한");
      g_string_append (expected, "ssffi\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab");
    }

  folded = awda_fold (text->str);
  g_assert_cmpstr (folded, ==, expected->str);
}

static void
test_match_query_basic (void)
{
  assert_match_query ("Ben Sâlah", "\"ben\"* \"salah\"*");
  assert_match_query ("helene", "\"helene\"*");
  assert_match_query ("  Hélène   BEN-Sâlah ", "\"helene\"* \"ben\"* \"salah\"*");
  assert_match_query ("أحمد", "\"احمد\"*");
  assert_match_query ("فاطمة", "\"فاطمه\"*");
  assert_match_query ("+216 98", "\"216\"* \"98\"*");
}

static void
test_match_query_hostile (void)
{
  /* Nothing searchable left. */
  assert_match_query (NULL, NULL);
  assert_match_query ("", NULL);
  assert_match_query ("   ", NULL);
  assert_match_query ("\"", NULL);
  assert_match_query ("\"\"", NULL);
  assert_match_query ("*", NULL);
  assert_match_query ("()", NULL);
  assert_match_query (":", NULL);
  assert_match_query ("^", NULL);
  assert_match_query ("-", NULL);
  assert_match_query ("ـ", NULL);

  /* FTS5 operators typed by a user are words like any other. */
  assert_match_query ("NEAR(", "\"near\"*");
  assert_match_query ("NEAR(ali ben, 2)", "\"near\"* \"ali\"* \"ben\"* \"2\"*");
  assert_match_query ("OR", "\"or\"*");
  assert_match_query ("ali OR ben", "\"ali\"* \"or\"* \"ben\"*");
  assert_match_query ("NOT ali", "\"not\"* \"ali\"*");
  assert_match_query ("ali AND", "\"ali\"* \"and\"*");
  assert_match_query ("ali*", "\"ali\"*");
  assert_match_query ("*ali", "\"ali\"*");
  assert_match_query ("\"ali", "\"ali\"*");
  assert_match_query ("ali\"ben\"", "\"ali\"* \"ben\"*");
  assert_match_query ("given_name:ali", "\"given\"* \"name\"* \"ali\"*");
  assert_match_query ("{given_name family_name}:ali", "\"given\"* \"name\"* \"family\"* \"name\"* \"ali\"*");
  assert_match_query ("^ali", "\"ali\"*");
  assert_match_query ("ali + ben", "\"ali\"* \"ben\"*");
  assert_match_query ("ali\xff", "\"ali\"*");
}

static void
test_fold_digits_only (void)
{
  g_autofree char *a = awda_fold_digits ("+216 98-123 456");
  g_autofree char *b = awda_fold_digits ("(+216) ٩٨ ١٢٣ ٤٥٦");
  g_autofree char *c = awda_fold_digits ("۰۹۸۷");
  g_autofree char *d = awda_fold_digits (NULL);
  g_autofree char *e = awda_fold_digits ("no digits here");
  g_autofree char *f = awda_fold_digits ("12\xff" "34");
  g_autofree char *g = awda_fold_digits ("CIN 0a1b2c3");

  g_assert_cmpstr (a, ==, "21698123456");
  g_assert_cmpstr (b, ==, "21698123456");
  g_assert_cmpstr (c, ==, "0987");
  g_assert_cmpstr (d, ==, "");
  g_assert_cmpstr (e, ==, "");
  g_assert_cmpstr (f, ==, "1234");
  g_assert_cmpstr (g, ==, "0123");
}

/* Full-text search as the store does it: names indexed folded, queries
 * built from what was typed. */

static const char *const indexed_names[] = {
  "مُحَمَّد بن عَلِيّ",
  "أحمد الطرابلسي",
  "فاطمة الزهراء",
  "Hélène Ben Sâlah",
  "Françoise Dupont",
  "Zoé Gharbi",
  "مصطفى",
  "عائشة بن مؤمن",
  "Mohamed Ali",
  "Straße Œuvre",
  "Or Ben Near",
};

static sqlite3 *
open_search_index (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  if (sqlite3_exec (db,
                    "CREATE VIRTUAL TABLE names USING fts5"
                    " (name, tokenize = 'unicode61 remove_diacritics 0')",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("Cannot create the FTS5 table: %s", message);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO names (rowid, name) VALUES (?, ?)",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (indexed_names); i++)
    {
      g_autofree char *folded = awda_fold (indexed_names[i]);

      sqlite3_bind_int64 (insert, 1, i + 1);
      sqlite3_bind_text (insert, 2, folded, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);

  return db;
}

/* The names found for @typed, in index order, joined by " | ". */
static char *
search (sqlite3    *db,
        const char *typed)
{
  g_autofree char *query = awda_fold_match_query (typed);
  g_autoptr(GString) found = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (query == NULL)
    return g_strdup ("");

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid FROM names WHERE names MATCH ? ORDER BY rowid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      if (found->len > 0)
        g_string_append (found, " | ");
      g_string_append (found, indexed_names[rowid - 1]);
    }
  if (rc != SQLITE_DONE)
    g_error ("Searching for “%s” as %s failed: %s", typed, query, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&found), FALSE);
}

#define assert_search(db, typed, expected) \
  G_STMT_START { \
    g_autofree char *_found = search ((db), (typed)); \
    if (strcmp (_found, (expected)) != 0) \
      g_error ("Typing “%s” found “%s”, expected “%s”", (typed), _found, (expected)); \
  } G_STMT_END

static void
test_fts5_search (void)
{
  sqlite3 *db = open_search_index ();

  /* Arabic: tashkeel, alef forms, taa marbuta, alef maqsura, hamza carriers. */
  assert_search (db, "محمد", "مُحَمَّد بن عَلِيّ");
  assert_search (db, "مُحَمَّد", "مُحَمَّد بن عَلِيّ");
  assert_search (db, "علي محمد", "مُحَمَّد بن عَلِيّ");
  assert_search (db, "احمد", "أحمد الطرابلسي");
  assert_search (db, "إحمد", "أحمد الطرابلسي");
  assert_search (db, "فاطمه", "فاطمة الزهراء");
  assert_search (db, "فاطمة", "فاطمة الزهراء");
  assert_search (db, "مصطفي", "مصطفى");
  assert_search (db, "عايشه مومن", "عائشة بن مؤمن");
  assert_search (db, "فا", "فاطمة الزهراء");
  assert_search (db, "بن", "مُحَمَّد بن عَلِيّ | عائشة بن مؤمن");

  /* Latin: case, diacritics, prefixes, order. */
  assert_search (db, "helene sal", "Hélène Ben Sâlah");
  assert_search (db, "SAL HÉL", "Hélène Ben Sâlah");
  assert_search (db, "francoise", "Françoise Dupont");
  assert_search (db, "zoe", "Zoé Gharbi");
  assert_search (db, "strasse oeuv", "Straße Œuvre");
  assert_search (db, "ben", "Hélène Ben Sâlah | Or Ben Near");
  assert_search (db, "mohamed", "Mohamed Ali");

  /* Every word must match: no OR between them. */
  assert_search (db, "helene dupont", "");
  assert_search (db, "احمد فاطمه", "");
  /* A letter variant is folded, not a different letter ignored. */
  assert_search (db, "حمد", "");

  /* Operators typed are searched as words. */
  assert_search (db, "or ben", "Or Ben Near");
  assert_search (db, "NEAR(", "Or Ben Near");
  assert_search (db, "ben OR zoe", "");

  sqlite3_close (db);
}

static void
test_fts5_hostile (void)
{
  static const char *const typed[] = {
    "\"", "\"\"", "\"ali", "ali\"", "a\"b\"c", "*", "**", "ali*", "*ali", "a*b",
    "(", ")", "(ali", "ali)", "((ali))", "NEAR(", "NEAR(ali ben)", "NEAR(ali, 2)",
    "OR", "AND", "NOT", "ali OR", "OR ali", "ali AND NOT ben", "NOT", "-ali",
    ":", "name:", "name:ali", "{name}:ali", "^", "^ali", "+", "ali + ben",
    "'", "''", "'; DROP TABLE names; --", "\\", "%", "_", "\xff\xfe", "ـ",
    "\xe2\x80\x8f", "NEAR", "near(near(", ")(*\":^{}[]",
  };
  sqlite3 *db = open_search_index ();
  g_autofree char *all = search (db, "ben");

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      /* search() fails the test on any FTS5 error. */
      g_autofree char *found = search (db, typed[i]);

      g_assert_nonnull (found);
    }

  /* And the index is untouched. */
  assert_search (db, "ben", all);
  assert_search (db, "'; DROP TABLE names; --", "");
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  /* Failure messages quote Arabic names: print them as they are. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/fold/empty", test_fold_empty);
  g_test_add_func ("/core/fold/case", test_fold_case);
  g_test_add_func ("/core/fold/latin/diacritics", test_fold_latin_diacritics);
  g_test_add_func ("/core/fold/latin/letters", test_fold_latin_letters);
  g_test_add_func ("/core/fold/arabic/alef", test_fold_arabic_alef);
  g_test_add_func ("/core/fold/arabic/taa-marbuta", test_fold_arabic_taa_marbuta);
  g_test_add_func ("/core/fold/arabic/alef-maqsura", test_fold_arabic_alef_maqsura);
  g_test_add_func ("/core/fold/arabic/hamza-carriers", test_fold_arabic_hamza_carriers);
  g_test_add_func ("/core/fold/arabic/persian-letters", test_fold_arabic_persian_letters);
  g_test_add_func ("/core/fold/arabic/tashkeel", test_fold_arabic_tashkeel);
  g_test_add_func ("/core/fold/arabic/tatweel", test_fold_arabic_tatweel);
  g_test_add_func ("/core/fold/arabic/presentation-forms", test_fold_arabic_presentation_forms);
  g_test_add_func ("/core/fold/digits", test_fold_digits);
  g_test_add_func ("/core/fold/separators", test_fold_separators);
  g_test_add_func ("/core/fold/mixed-scripts", test_fold_mixed_scripts);
  g_test_add_func ("/core/fold/invalid-utf8", test_fold_invalid_utf8);
  g_test_add_func ("/core/fold/reference", test_fold_matches_reference);
  g_test_add_func ("/core/fold/long-text", test_fold_long_text);
  g_test_add_func ("/core/fold/match-query/basic", test_match_query_basic);
  g_test_add_func ("/core/fold/match-query/hostile", test_match_query_hostile);
  g_test_add_func ("/core/fold/digits-only", test_fold_digits_only);
  g_test_add_func ("/core/fold/fts5/search", test_fts5_search);
  g_test_add_func ("/core/fold/fts5/hostile", test_fts5_hostile);

  return g_test_run ();
}

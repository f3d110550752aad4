/* awda-reception.c: the probable existing records of a returnee, while the reception form is typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Candidates come from four narrow lookups, each on an index, so that a
 * keystroke costs a few milliseconds on a million cases:
 *
 *  - the national ID and the phone: exact tokens of the search index
 *    (it holds every ID and phone number as its digits alone, and a phone
 *    also as its last eight digits); an ID is looked up by its digits, so
 *    it needs at least 4 of them;
 *  - the birth date: the birth_date column (a few dozen cases a day), which
 *    needs its index (AWDA_FIELD_INDEXED in the dictionary) to be fast;
 *  - the full name, when one birth date is unknown: exact name tokens of
 *    the search index, in either script.
 *
 * Every row found is then judged on all the rules at once:
 *
 *  - same national ID: equal once folded (Arabic-Indic digits as ASCII,
 *    case, spaces and dashes ignored), at least 4 characters;
 *  - same phone: the same last 8 digits (a Tunisian number without its
 *    country code), so +216 98 123 456 and 98123456 meet;
 *  - same birth date and similar names, in the same script (no
 *    transliteration between Latin and Arabic script is tried), comparing
 *    folded names with spaces removed, and in Arabic without a leading
 *    article ال (so البكلوتي meets بكلوتي and Ben Salah meets Bensalah):
 *    the same family name; or one given name beginning the other (at
 *    least 3 letters, as when only "Moh" is typed yet); or a family or
 *    given name within a small edit distance (1 for names up to 6
 *    letters, 2 beyond), for the usual misspellings;
 *  - the same full name when either birth date is unknown.
 *
 * A candidate's score adds the weights of its reasons; the most probable
 * come first.
 */

#define G_LOG_DOMAIN "awda-reception"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "awda-fold.h"
#include "awda-reception.h"
#include "awda-store-private.h"

#define DEFAULT_LIMIT 20
#define MIN_ID_LENGTH 4
#define PHONE_DIGITS 8
#define MIN_PREFIX 3
#define MAX_NAME_CHARS 64
/* Each lookup reads at most 500 rows (LIMIT in its SQL): a bound on the
 * work of one keystroke. */

#define CASE_COLUMNS "c.rowid, c.id, c.given_name, c.family_name, c.given_name_ar, c.family_name_ar," \
                     " c.birth_date, c.governorate, c.status, c.national_id, c.phone"
enum
{
  COL_ROWID,
  COL_ID,
  COL_GIVEN,
  COL_FAMILY,
  COL_GIVEN_AR,
  COL_FAMILY_AR,
  COL_BIRTH_DATE,
  COL_GOVERNORATE,
  COL_STATUS,
  COL_NATIONAL_ID,
  COL_PHONE
};

static const struct
{
  AwdaReceptionReasons  reason;
  guint                 weight;
  const char           *sentence;
} reasons[] = {
  { AWDA_RECEPTION_SAME_NATIONAL_ID, 100, N_("Same national ID number.") },
  { AWDA_RECEPTION_SAME_PHONE, 80, N_("Same phone number.") },
  { AWDA_RECEPTION_SAME_BIRTH_DATE_NAME, 70, N_("Same birth date and same name.") },
  { AWDA_RECEPTION_SAME_BIRTH_DATE_FAMILY_NAME, 60, N_("Same birth date and same family name.") },
  { AWDA_RECEPTION_SAME_BIRTH_DATE_GIVEN_NAME, 50, N_("Same birth date and a similar given name.") },
  { AWDA_RECEPTION_SAME_BIRTH_DATE_SIMILAR_NAME, 45, N_("Same birth date and a name spelled almost the same.") },
  { AWDA_RECEPTION_SAME_NAME_NO_BIRTH_DATE, 30, N_("Same name; the birth dates cannot be compared.") },
};

const char *
awda_reception_reason_to_string (AwdaReceptionReasons reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (reasons[i].reason == reason)
      return _(reasons[i].sentence);
  return NULL;
}

void
awda_reception_candidate_free (AwdaReceptionCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->case_id);
  g_free (candidate->given_name);
  g_free (candidate->family_name);
  g_free (candidate->given_name_ar);
  g_free (candidate->family_name_ar);
  g_free (candidate->birth_date);
  g_free (candidate->governorate);
  g_free (candidate->status);
  g_free (candidate->reason);
  g_free (candidate);
}

/* Names, folded for comparison */

enum { LATIN, ARABIC, N_SCRIPTS };

typedef struct
{
  char *family[N_SCRIPTS];  /* keys: folded, no spaces; NULL when empty */
  char *given[N_SCRIPTS];
} Names;

static void
names_clear (Names *names)
{
  for (guint s = 0; s < N_SCRIPTS; s++)
    {
      g_clear_pointer (&names->family[s], g_free);
      g_clear_pointer (&names->given[s], g_free);
    }
}

/* The comparison key of a name: folded, spaces removed, and in Arabic
 * script without a leading article. */
static char *
name_key (const char *text,
          gboolean    arabic)
{
  g_autofree char *folded = NULL;
  char *key, *out;

  if (text == NULL)
    return NULL;

  folded = awda_fold (text);
  key = out = g_malloc (strlen (folded) + 1);
  for (const char *p = folded; *p != '\0'; p++)
    if (*p != ' ')
      *out++ = *p;
  *out = '\0';

  /* ال is U+0627 U+0644: four bytes. Keep at least two letters after it. */
  if (arabic && g_str_has_prefix (key, "\xd8\xa7\xd9\x84") && g_utf8_strlen (key + 4, -1) >= 2)
    memmove (key, key + 4, strlen (key + 4) + 1);

  if (*key == '\0')
    g_clear_pointer (&key, g_free);
  return key;
}

static void
names_init (Names      *names,
            const char *given,
            const char *family,
            const char *given_ar,
            const char *family_ar)
{
  names->given[LATIN] = name_key (given, FALSE);
  names->family[LATIN] = name_key (family, FALSE);
  names->given[ARABIC] = name_key (given_ar, TRUE);
  names->family[ARABIC] = name_key (family_ar, TRUE);
}

/* Levenshtein distance over characters, or G_MAXUINT beyond @bound. */
static guint
edit_distance (const char *a,
               const char *b,
               guint       bound)
{
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  glong la, lb;
  guint row[MAX_NAME_CHARS + 1];

  ua = g_utf8_to_ucs4_fast (a, -1, &la);
  ub = g_utf8_to_ucs4_fast (b, -1, &lb);
  if (la > MAX_NAME_CHARS || lb > MAX_NAME_CHARS || (guint) ABS (la - lb) > bound)
    return G_MAXUINT;

  for (glong j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (glong i = 1; i <= la; i++)
    {
      guint diagonal = row[0], smallest;

      row[0] = (guint) i;
      smallest = row[0];
      for (glong j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
          smallest = MIN (smallest, row[j]);
        }
      if (smallest > bound)
        return G_MAXUINT;
    }

  return row[lb] <= bound ? row[lb] : G_MAXUINT;
}

static gboolean
spelled_alike (const char *a,
               const char *b)
{
  glong la, lb;
  guint bound;

  if (a == NULL || b == NULL)
    return FALSE;
  la = g_utf8_strlen (a, -1);
  lb = g_utf8_strlen (b, -1);
  if (MIN (la, lb) < MIN_PREFIX)
    return FALSE;
  bound = MAX (la, lb) <= 6 ? 1 : 2;
  return edit_distance (a, b, bound) <= bound;
}

static gboolean
begins_other (const char *a,
              const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  if (g_utf8_strlen (a, -1) > g_utf8_strlen (b, -1))
    {
      const char *tmp = a;
      a = b;
      b = tmp;
    }
  return g_utf8_strlen (a, -1) >= MIN_PREFIX && g_str_has_prefix (b, a);
}

/* The best birth-date-and-name reason between typed and stored names. */
static AwdaReceptionReasons
compare_names (const Names *typed,
               const Names *stored)
{
  AwdaReceptionReasons best = 0;

  for (guint s = 0; s < N_SCRIPTS; s++)
    {
      gboolean same_family = typed->family[s] && g_strcmp0 (typed->family[s], stored->family[s]) == 0;
      gboolean given_begins = begins_other (typed->given[s], stored->given[s]);
      gboolean alike = spelled_alike (typed->family[s], stored->family[s]) ||
                       spelled_alike (typed->given[s], stored->given[s]);
      AwdaReceptionReasons r = 0;

      if (same_family && (given_begins || spelled_alike (typed->given[s], stored->given[s])))
        r = AWDA_RECEPTION_SAME_BIRTH_DATE_NAME;
      else if (same_family)
        r = AWDA_RECEPTION_SAME_BIRTH_DATE_FAMILY_NAME;
      else if (given_begins)
        r = AWDA_RECEPTION_SAME_BIRTH_DATE_GIVEN_NAME;
      else if (alike)
        r = AWDA_RECEPTION_SAME_BIRTH_DATE_SIMILAR_NAME;

      /* The flags are in order of strength: the lowest set bit wins. */
      if (r != 0 && (best == 0 || r < best))
        best = r;
    }

  return best;
}

static gboolean
same_full_name (const Names *typed,
                const Names *stored)
{
  for (guint s = 0; s < N_SCRIPTS; s++)
    if (typed->family[s] && typed->given[s] &&
        g_strcmp0 (typed->family[s], stored->family[s]) == 0 &&
        g_strcmp0 (typed->given[s], stored->given[s]) == 0)
      return TRUE;
  return FALSE;
}

/* ID and phone keys */

/* Folded, spaces removed: "١٢ 345-678" and "12345678" are the same ID. */
static char *
id_key (const char *text)
{
  g_autofree char *key = name_key (text, FALSE);

  if (key == NULL || g_utf8_strlen (key, -1) < MIN_ID_LENGTH)
    return NULL;
  return g_steal_pointer (&key);
}

/* The last eight digits, or NULL for fewer. */
static char *
phone_key (const char *text)
{
  g_autofree char *digits = awda_fold_digits (text);
  gsize len = strlen (digits);

  if (len < PHONE_DIGITS)
    return NULL;
  return g_strdup (digits + len - PHONE_DIGITS);
}

/* The search */

typedef struct
{
  AwdaStore   *store;
  const char  *exclude;
  Names        names;
  char        *birth_date;
  char        *id;
  char        *phone;
  GHashTable  *found;   /* rowid → AwdaReceptionCandidate */
} Finder;

static void
finder_clear (Finder *f)
{
  names_clear (&f->names);
  g_free (f->birth_date);
  g_free (f->id);
  g_free (f->phone);
  g_clear_pointer (&f->found, g_hash_table_unref);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Judges one row on every rule. */
static void
consider_row (Finder       *f,
              sqlite3_stmt *stmt)
{
  gint64 rowid = sqlite3_column_int64 (stmt, COL_ROWID);
  const char *id = (const char *) sqlite3_column_text (stmt, COL_ID);
  const char *birth_date = (const char *) sqlite3_column_text (stmt, COL_BIRTH_DATE);
  AwdaReceptionCandidate *candidate;
  AwdaReceptionReasons found = 0;
  Names stored;

  if (g_hash_table_contains (f->found, &rowid))
    return;
  if (f->exclude != NULL && g_ascii_strcasecmp (f->exclude, id) == 0)
    return;

  if (f->id != NULL)
    {
      g_autofree char *key = id_key ((const char *) sqlite3_column_text (stmt, COL_NATIONAL_ID));

      if (g_strcmp0 (key, f->id) == 0)
        found |= AWDA_RECEPTION_SAME_NATIONAL_ID;
    }
  if (f->phone != NULL)
    {
      g_autofree char *key = phone_key ((const char *) sqlite3_column_text (stmt, COL_PHONE));

      if (g_strcmp0 (key, f->phone) == 0)
        found |= AWDA_RECEPTION_SAME_PHONE;
    }

  names_init (&stored,
              (const char *) sqlite3_column_text (stmt, COL_GIVEN),
              (const char *) sqlite3_column_text (stmt, COL_FAMILY),
              (const char *) sqlite3_column_text (stmt, COL_GIVEN_AR),
              (const char *) sqlite3_column_text (stmt, COL_FAMILY_AR));
  if (f->birth_date != NULL && g_strcmp0 (birth_date, f->birth_date) == 0)
    found |= compare_names (&f->names, &stored);
  else if ((f->birth_date == NULL || birth_date == NULL) && same_full_name (&f->names, &stored))
    found |= AWDA_RECEPTION_SAME_NAME_NO_BIRTH_DATE;
  names_clear (&stored);

  if (found == 0)
    return;

  candidate = g_new0 (AwdaReceptionCandidate, 1);
  candidate->rowid = rowid;
  candidate->case_id = g_strdup (id);
  candidate->given_name = column_dup (stmt, COL_GIVEN);
  candidate->family_name = column_dup (stmt, COL_FAMILY);
  candidate->given_name_ar = column_dup (stmt, COL_GIVEN_AR);
  candidate->family_name_ar = column_dup (stmt, COL_FAMILY_AR);
  candidate->birth_date = g_strdup (birth_date);
  candidate->governorate = column_dup (stmt, COL_GOVERNORATE);
  candidate->status = column_dup (stmt, COL_STATUS);
  candidate->reasons = found;
  g_hash_table_insert (f->found, &candidate->rowid, candidate);
}

/* Runs one lookup (a cached statement) with its one parameter. */
static gboolean
lookup (Finder      *f,
        const char  *sql,
        const char  *param,
        GError     **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (f->store, sql, error);
  gboolean ok = TRUE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    consider_row (f, stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (f->store, error, _("Could not search the cases"));
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok;
}

/* A quoted exact FTS5 term; folded text holds only letters, digits and
 * spaces, so nothing needs escaping but the quote itself. */
static void
append_term (GString    *match,
             const char *word,
             gsize       len)
{
  g_string_append_c (match, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (word[i] == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, word[i]);
    }
  g_string_append_c (match, '"');
}

/* The words of a folded text as AND-ed exact terms. */
static void
append_words (GString    *match,
              const char *text)
{
  g_autofree char *folded = awda_fold (text);
  const char *p = folded;
  gboolean first = TRUE;

  while (*p != '\0')
    {
      const char *end = strchr (p, ' ');

      if (end == NULL)
        end = p + strlen (p);
      if (!first)
        g_string_append (match, " AND ");
      append_term (match, p, (gsize) (end - p));
      first = FALSE;
      p = *end ? end + 1 : end;
    }
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const AwdaReceptionCandidate *ca = *(AwdaReceptionCandidate * const *) a;
  const AwdaReceptionCandidate *cb = *(AwdaReceptionCandidate * const *) b;

  if (ca->score != cb->score)
    return ca->score > cb->score ? -1 : 1;
  /* The most recent case first. */
  return ca->rowid > cb->rowid ? -1 : (ca->rowid < cb->rowid ? 1 : 0);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

GPtrArray *
awda_reception_find (AwdaStore                 *store,
                     const AwdaReceptionQuery  *query,
                     GError                   **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_reception_candidate_free);
  g_autoptr(GString) match = g_string_new (NULL);
  Finder f = { 0 };
  GHashTableIter iter;
  gpointer value;
  gboolean ok = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  f.store = store;
  f.exclude = query->exclude;
  f.found = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                   (GDestroyNotify) awda_reception_candidate_free);
  names_init (&f.names, query->given_name, query->family_name, query->given_name_ar, query->family_name_ar);
  if (query->birth_date != NULL)
    {
      g_autofree char *date = g_strstrip (g_strdup (query->birth_date));

      if (awda_date_parse (date, NULL, NULL, NULL))
        f.birth_date = g_steal_pointer (&date);
    }
  f.id = is_blank (query->national_id) ? NULL : id_key (query->national_id);
  f.phone = is_blank (query->phone) ? NULL : phone_key (query->phone);

  /* The national ID and the phone, as exact tokens of the search index. */
  if (f.id != NULL)
    {
      g_autofree char *digits = awda_fold_digits (query->national_id);

      if (strlen (digits) >= MIN_ID_LENGTH)
        append_term (match, digits, strlen (digits));
    }
  if (f.phone != NULL)
    {
      if (match->len > 0)
        g_string_append (match, " OR ");
      append_term (match, f.phone, strlen (f.phone));
    }
  if (match->len > 0 &&
      !lookup (&f, "SELECT " CASE_COLUMNS " FROM case_search s JOIN \"case\" c ON c.rowid = s.rowid"
                   " WHERE case_search MATCH ?1 AND c.deleted = 0 LIMIT 500", match->str, error))
    goto out;

  /* Same birth date, names compared in C. */
  if (f.birth_date != NULL &&
      (f.names.family[LATIN] || f.names.given[LATIN] || f.names.family[ARABIC] || f.names.given[ARABIC]) &&
      !lookup (&f, "SELECT " CASE_COLUMNS " FROM \"case\" c WHERE c.birth_date = ?1 AND c.deleted = 0"
                   " LIMIT 500", f.birth_date, error))
    goto out;

  /* The same full name, where a birth date is missing on either side. */
  g_string_truncate (match, 0);
  if (query->given_name && query->family_name && f.names.family[LATIN] && f.names.given[LATIN])
    {
      g_string_append_c (match, '(');
      append_words (match, query->given_name);
      g_string_append (match, " AND ");
      append_words (match, query->family_name);
      g_string_append_c (match, ')');
    }
  if (query->given_name_ar && query->family_name_ar && f.names.family[ARABIC] && f.names.given[ARABIC])
    {
      if (match->len > 0)
        g_string_append (match, " OR ");
      g_string_append_c (match, '(');
      append_words (match, query->given_name_ar);
      g_string_append (match, " AND ");
      append_words (match, query->family_name_ar);
      g_string_append_c (match, ')');
    }
  if (match->len > 0)
    {
      if (f.birth_date == NULL)
        ok = lookup (&f, "SELECT " CASE_COLUMNS " FROM case_search s JOIN \"case\" c ON c.rowid = s.rowid"
                         " WHERE case_search MATCH ?1 AND c.deleted = 0 LIMIT 500", match->str, error);
      else
        /* Only the cases without a birth date are wanted, and finding them
         * means reading each case of that name: a common name stops after
         * its first 1000 cases. */
        ok = lookup (&f, "SELECT " CASE_COLUMNS " FROM (SELECT rowid FROM case_search WHERE case_search MATCH ?1"
                         " LIMIT 1000) s JOIN \"case\" c ON c.rowid = s.rowid"
                         " WHERE c.deleted = 0 AND c.birth_date IS NULL LIMIT 500",
                     match->str, error);
      if (!ok)
        goto out;
    }

  /* Rank */
  g_hash_table_iter_init (&iter, f.found);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AwdaReceptionCandidate *candidate = value;
      GString *sentences = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
        if (candidate->reasons & reasons[i].reason)
          {
            candidate->score += reasons[i].weight;
            if (sentences->len > 0)
              g_string_append_c (sentences, ' ');
            g_string_append (sentences, _(reasons[i].sentence));
          }
      candidate->reason = g_string_free (sentences, FALSE);
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (candidates, candidate);
    }
  g_ptr_array_sort (candidates, compare_candidates);
  if (candidates->len > (query->limit ? query->limit : DEFAULT_LIMIT))
    g_ptr_array_set_size (candidates, query->limit ? query->limit : DEFAULT_LIMIT);
  ok = TRUE;

out:
  finder_clear (&f);
  return ok ? g_steal_pointer (&candidates) : NULL;
}

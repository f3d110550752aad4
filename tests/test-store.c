/* test-store.c: the store, its write API, change log, clock, search, merge and check
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "awda-hlc.h"
#include "awda-store-private.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  gint64     now_ms;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;
  return f->now_ms;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);
  f->now_ms = G_GINT64_CONSTANT (1764000000000);  /* 2025-11-24 */

  f->store = awda_store_create (f->path, "Bureau de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);
  awda_store_set_wall_clock (f->store, fake_clock, f);
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
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = awda_store_open (f->path, &error);
  g_assert_no_error (error);
  awda_store_set_wall_clock (f->store, fake_clock, f);
}

static gint64
count (AwdaStore  *store,
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

static char *
dump (AwdaStore *store)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_store_dump (store, out, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
}

static void
assert_check_passes (AwdaStore *store)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_store_check (store, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("problem: %s\n", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Creates a case from field=value pairs and returns its id. */
static char *
new_case (AwdaStore *store,
          ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *field;

  va_start (args, store);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static gboolean
set_field (AwdaStore   *store,
           const char  *entity,
           const char  *id,
           const char  *field,
           const char  *value,
           GError     **error)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, id);

  awda_edit_set (edit, field, value);
  return awda_store_apply (store, edit, error);
}

/* Opening and creating */

static void
test_store_create_and_open (Fixture       *f,
                            gconstpointer  data)
{
  const AwdaSite *site = awda_store_get_site (f->store);
  g_autofree char *id = g_strdup (site->id);

  g_assert_cmpuint (strlen (site->id), ==, 32);
  g_assert_cmpstr (site->name, ==, "Bureau de Sfax");
  g_assert_cmpstr (site->kind, ==, "regional");
  g_assert_cmpstr (site->governorate, ==, "TN-61");

  g_assert_cmpint (count (f->store, "PRAGMA user_version"), >=, 1);
  g_assert_cmpint (count (f->store, "PRAGMA foreign_keys"), ==, 1);

  reopen (f);
  g_assert_cmpstr (awda_store_get_site (f->store)->id, ==, id);
}

static void
test_store_refuses_existing (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) other = NULL;
  g_autofree char *before = dump (f->store);
  g_autofree char *after = NULL;

  other = awda_store_create (f->path, "Autre", "central", NULL, &error);
  g_assert_null (other);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_EXISTS);

  after = dump (f->store);
  g_assert_cmpstr (before, ==, after);
}

static void
test_store_create_refuses_bad_site (void)
{
  g_autofree char *dir = g_dir_make_tmp ("awda-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "x.db", NULL);
  g_autoptr(GError) error = NULL;
  AwdaStore *store;

  store = awda_store_create (path, "Office", "mobile", NULL, &error);
  g_assert_null (store);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "mobile"));
  g_clear_error (&error);

  store = awda_store_create (path, "Office", "regional", "TN-99", &error);
  g_assert_null (store);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "TN-99"));
  g_clear_error (&error);

  store = awda_store_create (path, "  ", "regional", NULL, &error);
  g_assert_null (store);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);

  /* Nothing is left behind by a refusal. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static void
test_store_open_missing_and_garbage (void)
{
  g_autofree char *dir = g_dir_make_tmp ("awda-test-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "none.db", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.db", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(GError) error = NULL;
  AwdaStore *store;

  store = awda_store_open (missing, &error);
  g_assert_null (store);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (garbage, "This is not a database, it is a letter to a friend.\n"
                                      "It goes on for a while so that SQLite reads a whole header.\n"
                                      "................................................................", -1, NULL));
  store = awda_store_open (garbage, &error);
  g_assert_null (store);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE);
  g_clear_error (&error);

  /* An empty file must be initialised, and is left as it was. */
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  store = awda_store_open (empty, &error);
  g_assert_null (store);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED);
  {
    GStatBuf st;
    g_assert_cmpint (g_stat (empty, &st), ==, 0);
    g_assert_cmpint (st.st_size, ==, 0);
  }

  remove_tree (dir);
}

static void
test_store_migrations_from_empty (Fixture       *f,
                                  gconstpointer  data)
{
  guint n;
  const AwdaEntity *entities = awda_dictionary_get_entities (&n);

  /* Every entity has its typed table with every field and its version. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < entities[i].n_fields; j++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT count(\"%1$s\") + count(\"%1$s__hlc\") + count(\"%1$s__site\") FROM \"%2$s\"",
                                                entities[i].fields[j].name, entities[i].name);
        g_assert_cmpint (count (f->store, sql), ==, 0);
      }

  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log"), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM case_search"), ==, 0);
}

static void
test_store_copy_takes_new_site_id (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *original_id = g_strdup (awda_store_get_site (f->store)->id);
  g_autofree char *case_id = new_case (f->store, "given_name", "Amel", NULL);
  g_autoptr(AwdaStore) copied = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_clear_object (&f->store);
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));

  copied = awda_store_open (copy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_store_get_site (copied)->id, !=, original_id);
  g_assert_cmpstr (awda_store_get_site (copied)->name, ==, "Bureau de Sfax");

  /* The original keeps its identity. */
  reopen (f);
  g_assert_cmpstr (awda_store_get_site (f->store)->id, ==, original_id);

  /* The copy's writes carry the new origin, numbered from 1. */
  awda_store_set_wall_clock (copied, fake_clock, f);
  g_assert_true (set_field (copied, "case", case_id, "family_name", "Jaziri", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (copied, "SELECT seq FROM change_log WHERE origin = (SELECT site FROM installation) AND field = 'family_name'"), ==, 1);
  assert_check_passes (copied);
}

/* Writing */

static void
test_store_write_stamps_change_log (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *id = new_case (f->store,
                                  "given_name", "Hélène",
                                  "family_name", "Ben Salah",
                                  "sex", "f",
                                  "birth_date", "1990-04-12",
                                  NULL);
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_uuid_is_valid (id));

  /* Four given fields, and the defaults: status, priority, opened on. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log"), ==, 7);
  g_assert_cmpint (count (f->store, "SELECT count(DISTINCT hlc) FROM change_log"), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log WHERE base_hlc IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT max(seq) FROM change_log"), ==, 7);

  record = awda_store_get_record (f->store, "case", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "given_name"), ==, "Hélène");
  g_assert_cmpstr (awda_record_get (record, "status"), ==, "reception");
  g_assert_cmpstr (awda_record_get (record, "opened_on"), ==, "2025-11-24");

  /* A change names the version it replaces as its base. */
  f->now_ms += 1000;
  g_assert_true (set_field (f->store, "case", id, "family_name", "Ben Salah Trabelsi", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log"), ==, 8);
  g_assert_cmpint (count (f->store,
                          "SELECT count(*) FROM change_log n JOIN change_log o ON n.base_hlc = o.hlc"
                          " AND n.base_site = o.origin AND o.field = n.field"
                          " WHERE n.field = 'family_name' AND n.value = 'Ben Salah Trabelsi'"
                          " AND o.value = 'Ben Salah'"), ==, 1);

  /* Writing the same value again is no change. */
  g_assert_true (set_field (f->store, "case", id, "family_name", "Ben Salah Trabelsi", &error));
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log"), ==, 8);

  /* Clearing is a change, logged with no value. */
  g_assert_true (set_field (f->store, "case", id, "birth_date", "", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log WHERE field = 'birth_date' AND value IS NULL"), ==, 1);

  assert_check_passes (f->store);
}

static void
assert_refused (Fixture    *f,
                AwdaEdit   *edit,
                int         code,
                const char *mentions)
{
  g_autofree char *before = dump (f->store);
  g_autofree char *after = NULL;
  gint64 log_before = count (f->store, "SELECT count(*) FROM change_log");
  guint64 hlc_before = awda_store_get_last_hlc (f->store);
  g_autoptr(GError) error = NULL;

  g_assert_false (awda_store_apply (f->store, edit, &error));
  g_assert_error (error, AWDA_STORE_ERROR, code);
  if (mentions)
    g_assert_nonnull (strstr (error->message, mentions));

  after = dump (f->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log"), ==, log_before);
  g_assert_cmpuint (awda_store_get_last_hlc (f->store), ==, hlc_before);
}

static void
test_store_refusals_write_nothing (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *id = new_case (f->store, "given_name", "Karim", NULL);
  AwdaEdit *edit;

  /* A good value beside a bad one: neither is written. */
  edit = awda_edit_new ("case", id);
  awda_edit_set (edit, "family_name", "Mejri");
  awda_edit_set (edit, "birth_date", "1990-02-30");
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "1990-02-30");
  awda_edit_free (edit);

  edit = awda_edit_new ("case", NULL);
  awda_edit_set (edit, "given_name", "Sami");
  awda_edit_set (edit, "status", "finished");
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "finished");
  awda_edit_free (edit);

  edit = awda_edit_new ("case", NULL);
  awda_edit_set (edit, "shoe_size", "42");
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "shoe_size");
  awda_edit_free (edit);

  edit = awda_edit_new ("spaceship", NULL);
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "spaceship");
  awda_edit_free (edit);

  edit = awda_edit_new ("case", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  awda_edit_set (edit, "given_name", "Nobody");
  assert_refused (f, edit, AWDA_STORE_ERROR_NOT_FOUND, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  awda_edit_free (edit);

  edit = awda_edit_new ("case", "not-an-id");
  awda_edit_set (edit, "given_name", "Nobody");
  assert_refused (f, edit, AWDA_STORE_ERROR_NOT_FOUND, "not-an-id");
  awda_edit_free (edit);

  /* Required fields: a status cannot be cleared, a member needs a name. */
  edit = awda_edit_new ("case", id);
  awda_edit_set (edit, "status", "");
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "status");
  awda_edit_free (edit);

  edit = awda_edit_new ("household_member", NULL);
  awda_edit_set (edit, "case_id", id);
  awda_edit_set (edit, "relation", "child");
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "name");
  awda_edit_free (edit);

  /* A reference must name an existing record. */
  edit = awda_edit_new ("household_member", NULL);
  awda_edit_set (edit, "case_id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  awda_edit_set (edit, "name", "Yassine");
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "case_id");
  awda_edit_free (edit);

  edit = awda_edit_new ("case", id);
  awda_edit_set (edit, "owner_office", id);  /* a case is not an office */
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, "owner_office");
  awda_edit_free (edit);

  /* Creating twice under the same id. */
  edit = awda_edit_new_with_id ("case", id);
  awda_edit_set (edit, "given_name", "Twice");
  assert_refused (f, edit, AWDA_STORE_ERROR_INVALID, id);
  awda_edit_free (edit);

  assert_check_passes (f->store);
}

static void
test_store_types_roundtrip (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = new_case (f->store, "given_name", "Mouna",
                                       "household_size", "4", "vuln_debt", "yes",
                                       "host_country", "it", NULL);
  g_autoptr(AwdaEdit) programme = awda_edit_new ("programme", NULL);
  g_autoptr(AwdaEdit) item = awda_edit_new ("plan_item", NULL);
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(AwdaRecord) c = NULL;

  awda_edit_set (programme, "name", "GIZ Reintegration");
  awda_edit_set (programme, "currency", "EUR");
  awda_edit_set (programme, "ceiling", "3000");
  g_assert_true (awda_store_apply (f->store, programme, &error));
  g_assert_no_error (error);

  awda_edit_set (item, "case_id", case_id);
  awda_edit_set (item, "dimension", "economic");
  awda_edit_set (item, "kind", "business_creation");
  awda_edit_set (item, "programme", awda_edit_get_record (programme));
  awda_edit_set (item, "budget", "2500,750");
  awda_edit_set (item, "currency", "EUR");
  g_assert_true (awda_store_apply (f->store, item, &error));
  g_assert_no_error (error);

  record = awda_store_get_record (f->store, "plan_item", awda_edit_get_record (item), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "budget"), ==, "2500.75");
  g_assert_cmpstr (awda_record_get (record, "status"), ==, "proposed");
  g_assert_cmpint (count (f->store, "SELECT budget FROM plan_item"), ==, 2500750);

  c = awda_store_get_record (f->store, "case", case_id, &error);
  g_assert_cmpstr (awda_record_get (c, "household_size"), ==, "4");
  g_assert_cmpstr (awda_record_get (c, "vuln_debt"), ==, "true");
  g_assert_cmpstr (awda_record_get (c, "host_country"), ==, "IT");

  /* The change log holds the canonical text, the same as the dump. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log WHERE field = 'budget' AND value = '2500.75'"), ==, 1);
  assert_check_passes (f->store);
}

static void
test_store_children_and_delete (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = new_case (f->store, "given_name", "Walid", NULL);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(AwdaEdit) member = awda_edit_new ("household_member", NULL);
  g_autoptr(AwdaEdit) change = NULL;

  awda_edit_set (member, "case_id", case_id);
  awda_edit_set (member, "name", "Yassine");
  awda_edit_set (member, "relation", "child");
  g_assert_true (awda_store_apply (f->store, member, &error));
  g_assert_no_error (error);

  members = awda_store_list_children (f->store, "household_member", case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, 1);
  g_clear_pointer (&members, g_ptr_array_unref);

  /* A delete is a replicated field; the record stays, hidden. */
  g_assert_true (set_field (f->store, "household_member", awda_edit_get_record (member), "deleted", "true", &error));
  g_assert_no_error (error);
  members = awda_store_list_children (f->store, "household_member", case_id, &error);
  g_assert_cmpuint (members->len, ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM household_member"), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log WHERE field = 'deleted' AND value = 'true'"), ==, 1);

  /* A deleted record refuses changes until it is restored. */
  change = awda_edit_new ("household_member", awda_edit_get_record (member));
  awda_edit_set (change, "name", "Yasmine");
  g_assert_false (awda_store_apply (f->store, change, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  awda_edit_set (change, "deleted", "false");
  g_assert_true (awda_store_apply (f->store, change, &error));
  g_assert_no_error (error);
  assert_check_passes (f->store);
}

/* The clock */

static void
test_store_hlc_monotonic_across_restarts (Fixture       *f,
                                          gconstpointer  data)
{
  g_autofree char *id = new_case (f->store, "given_name", "Rym", NULL);
  g_autoptr(GError) error = NULL;
  guint64 before;

  before = awda_store_get_last_hlc (f->store);
  g_assert_cmpint (awda_hlc_get_ms (before), ==, f->now_ms);

  /* The wall clock steps back a day, and the program restarts. */
  f->now_ms -= 24 * 3600 * 1000;
  reopen (f);
  g_assert_cmpuint (awda_store_get_last_hlc (f->store), ==, before);

  g_assert_true (set_field (f->store, "case", id, "family_name", "Gharbi", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (awda_store_get_last_hlc (f->store), >, before);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log WHERE field = 'family_name' AND hlc > "
                                    "(SELECT max(hlc) FROM change_log WHERE field = 'given_name')"), ==, 1);

  /* Within one millisecond the counter orders the writes. */
  before = awda_store_get_last_hlc (f->store);
  g_assert_true (set_field (f->store, "case", id, "family_name", "Gharbi-Souissi", &error));
  g_assert_cmpuint (awda_store_get_last_hlc (f->store), ==, before + 1);

  /* A clock observed from elsewhere survives a restart too. */
  g_assert_true (awda_store_observe_hlc (f->store, before + 1000, &error));
  reopen (f);
  g_assert_cmpuint (awda_store_get_last_hlc (f->store), ==, before + 1000);
  assert_check_passes (f->store);
}

/* Search */

static guint
search (AwdaStore  *store,
        const char *text)
{
  AwdaCaseQuery query = { .search = text };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = awda_store_query_cases (store, &query, &error);

  g_assert_no_error (error);
  return rowids->len;
}

static void
test_store_search_folding (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *a = new_case (f->store, "given_name", "Hélène", "family_name", "Ben Sâlah",
                                 "given_name_ar", "فاطمة", "family_name_ar", "بن صالح",
                                 "phone", "+216 98 123 456", "national_id", "08123456", NULL);
  g_autofree char *b = new_case (f->store, "given_name", "Mohamed", "family_name", "Trabelsi",
                                 "given_name_ar", "مُحَمَّد", "family_name_ar", "الطرابلسي", NULL);
  g_autofree char *c = new_case (f->store, "given_name", "Ahmed", "given_name_ar", "أحمد",
                                 "family_name_ar", "مصطفى", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (search (f->store, "helene"), ==, 1);
  g_assert_cmpuint (search (f->store, "HÉL"), ==, 1);
  g_assert_cmpuint (search (f->store, "ben sal"), ==, 1);
  g_assert_cmpuint (search (f->store, "فاطمه"), ==, 1);      /* taa marbuta typed as haa */
  g_assert_cmpuint (search (f->store, "محمد"), ==, 1);       /* without tashkeel */
  g_assert_cmpuint (search (f->store, "احمد"), ==, 1);       /* alef without hamza */
  g_assert_cmpuint (search (f->store, "مصطفي"), ==, 1);      /* alef maqsura typed as yaa */
  g_assert_cmpuint (search (f->store, "98123456"), ==, 1);   /* phone without the prefix */
  g_assert_cmpuint (search (f->store, "98 12"), ==, 1);
  g_assert_cmpuint (search (f->store, "081234"), ==, 1);
  g_assert_cmpuint (search (f->store, "zzz"), ==, 0);
  g_assert_cmpuint (search (f->store, "\"*)("), ==, 0);       /* hostile typing is no error */
  g_assert_cmpuint (search (f->store, ""), ==, 3);

  /* Renaming updates the index. */
  g_assert_true (set_field (f->store, "case", b, "family_name", "Jlassi", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search (f->store, "trabelsi"), ==, 0);
  g_assert_cmpuint (search (f->store, "jlass"), ==, 1);

  /* Deleted cases are not found. */
  g_assert_true (set_field (f->store, "case", c, "deleted", "true", &error));
  g_assert_cmpuint (search (f->store, "ahmed"), ==, 0);
  assert_check_passes (f->store);
}

static void
test_store_query_filters (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  AwdaCaseQuery query = { 0 };

  g_free (new_case (f->store, "given_name", "Anis", "status", "plan", "governorate", "TN-61", NULL));
  g_free (new_case (f->store, "given_name", "Asma", "status", "plan", "governorate", "TN-11", NULL));
  g_free (new_case (f->store, "given_name", "Aziz", "status", "closed", "closure_reason", "reintegrated",
                    "governorate", "TN-61", "vuln_medical", "true", NULL));

  query.status = "plan";
  rowids = awda_store_query_cases (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, 2);
  g_clear_pointer (&rowids, g_array_unref);

  query.governorate = "TN-61";
  rowids = awda_store_query_cases (f->store, &query, &error);
  g_assert_cmpuint (rowids->len, ==, 1);
  rows = awda_store_fetch_cases (f->store, (gint64 *) rowids->data, rowids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (g_ptr_array_index (rows, 0), "given_name"), ==, "Anis");
  g_clear_pointer (&rowids, g_array_unref);

  memset (&query, 0, sizeof query);
  query.vulnerability = "vuln_medical";
  query.search = "az";
  rowids = awda_store_query_cases (f->store, &query, &error);
  g_assert_cmpuint (rowids->len, ==, 1);
  g_clear_pointer (&rowids, g_array_unref);

  query.vulnerability = "given_name";
  rowids = awda_store_query_cases (f->store, &query, &error);
  g_assert_null (rowids);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Sorting by name, and a limit. */
  memset (&query, 0, sizeof query);
  query.sort = AWDA_CASE_SORT_NAME;
  query.limit = 2;
  rowids = awda_store_query_cases (f->store, &query, &error);
  g_assert_cmpuint (rowids->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = awda_store_fetch_cases (f->store, (gint64 *) rowids->data, rowids->len, &error);
  g_assert_cmpstr (awda_record_get (g_ptr_array_index (rows, 0), "given_name"), ==, "Anis");
  g_assert_cmpstr (awda_record_get (g_ptr_array_index (rows, 1), "given_name"), ==, "Asma");

  g_assert_cmpint (awda_store_count_cases (f->store, &error), ==, 3);
}

/* Dump, check and history */

static void
test_store_dump_format (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = new_case (f->store, "given_name", "Leila", "address", "Rue\tde Marseille\nTunis\\1000", NULL);
  g_autofree char *text = dump (f->store);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *expected = g_strdup_printf ("case\t%s\taddress\tRue\\tde Marseille\\nTunis\\\\1000", id);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 1; i + 1 < n; i++)
    g_assert_cmpint (strcmp (lines[i - 1], lines[i]), <, 0);
  g_assert_true (g_strv_contains ((const char * const *) lines, expected));
  /* Nothing local: no site id, no clock. */
  g_assert_null (strstr (text, awda_store_get_site (f->store)->id));
}

static void
test_store_check_finds_tampering (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *id = new_case (f->store, "given_name", "Sonia", NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  assert_check_passes (f->store);

  /* A value changed behind the change log's back. */
  g_assert_true (awda_store_exec (f->store, "UPDATE \"case\" SET given_name = 'Sana'", &error));
  g_assert_true (awda_store_check (f->store, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "given_name"));
}

static void
test_store_history (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = new_case (f->store, "given_name", "Nabil", NULL);
  g_autoptr(AwdaEdit) member = awda_edit_new ("household_member", NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  AwdaHistoryEntry *e;

  f->now_ms += 5000;
  g_assert_true (set_field (f->store, "case", id, "given_name", "Nabil Ahmed", &error));
  awda_edit_set (member, "case_id", id);
  awda_edit_set (member, "name", "Ines");
  f->now_ms += 5000;
  g_assert_true (awda_store_apply (f->store, member, &error));

  history = awda_store_get_history (f->store, id, &error);
  g_assert_no_error (error);
  /* Newest first: the member's two fields, then the rename, then creation. */
  e = g_ptr_array_index (history, 2);
  g_assert_cmpstr (e->field, ==, "given_name");
  g_assert_cmpstr (e->value, ==, "Nabil Ahmed");
  g_assert_cmpstr (e->old_value, ==, "Nabil");
  g_assert_cmpstr (e->site_name, ==, "Bureau de Sfax");
  e = g_ptr_array_index (history, 0);
  g_assert_cmpstr (e->entity, ==, "household_member");
  g_assert_cmpuint (history->len, ==, 2 + 1 + 4);
}

static void
test_store_reader (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = new_case (f->store, "given_name", "Imen", NULL);
  g_autoptr(AwdaStore) reader = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f->store);
  g_autofree char *after = NULL;

  reader = awda_store_open_reader (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_store_get_site (reader)->id, ==, awda_store_get_site (f->store)->id);
  record = awda_store_get_record (reader, "case", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "given_name"), ==, "Imen");
  g_assert_cmpuint (search (reader, "ime"), ==, 1);

  /* It cannot write, and says so. */
  g_assert_false (set_field (reader, "case", id, "given_name", "Iman", &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE);
  after = dump (f->store);
  g_assert_cmpstr (before, ==, after);
}

/* Errors */

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

/* A storage error reaches the caseworker whole in their language: the
 * clause saying what could not be done is translated too, not an English
 * fragment in a translated sentence. Only SQLite's own message, in
 * parentheses, stays in English. */
static void
test_store_error_translated (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = new_case (f->store, "given_name", "Nour", NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *other = NULL;

  /* Another program holds the database: a write says so, in Arabic. */
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (awda_store_get_db (f->store), 0);

  set_language ("ar");
  g_assert_false (set_field (f->store, "case", id, "given_name", "Nourhene", &error));
  set_language (NULL);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE);
  g_assert_cmpstr (error->message, ==, "تعذّر استخدام قاعدة البيانات: قاعدة البيانات مشغولة بمهمة أخرى أو ببرنامج آخر، أعد المحاولة بعد لحظة (database is locked).");

  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
  g_clear_error (&error);

  /* The change log (a view) gone behind the store's back: reading the
   * history of the case fails, every time. */
  g_assert_true (awda_store_exec (f->store, "DROP VIEW change_log", &error));
  g_assert_no_error (error);

  history = awda_store_get_history (f->store, id, &error);
  g_assert_null (history);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE);
  g_assert_cmpstr (error->message, ==, "Could not read the history of the case (no such table: change_log).");
  g_clear_error (&error);

  set_language ("fr");
  history = awda_store_get_history (f->store, id, &error);
  set_language (NULL);
  g_assert_null (history);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE);
  g_assert_cmpstr (error->message, ==, "Impossible de lire l’historique du dossier (no such table: change_log).");
}

/* Merge */

static const char *
other_site (void)
{
  return "0123456789abcdef0123456789abcdef";
}

static AwdaMergeOutcome
merge (Fixture    *f,
       gint64      seq,
       const char *record,
       const char *field,
       const char *value,
       guint64     hlc,
       guint64     base_hlc,
       const char *base_site)
{
  AwdaChange change = {
    .origin = other_site (), .seq = seq, .entity = "case", .record = record,
    .field = field, .value = value, .hlc = hlc, .base_hlc = base_hlc, .base_site = base_site,
  };
  AwdaMergeOutcome outcome;
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_store_begin (f->store, &error));
  g_assert_true (awda_store_merge_change (f->store, &change, &outcome, &error));
  g_assert_no_error (error);
  g_assert_true (awda_store_commit (f->store, &error));
  return outcome;
}

static void
test_store_merge_sequential_and_concurrent (Fixture       *f,
                                            gconstpointer  data)
{
  const char *record = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  const char *mine = awda_store_get_site (f->store)->id;
  guint64 t = awda_hlc_from_ms (f->now_ms);
  g_autoptr(AwdaRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* A new record arrives. */
  g_assert_cmpint (merge (f, 1, record, "given_name", "Olfa", t - 10, 0, NULL), ==, AWDA_MERGE_APPLIED);
  g_assert_cmpint (merge (f, 1, record, "given_name", "Olfa", t - 10, 0, NULL), ==, AWDA_MERGE_PRESENT);

  /* We edit it locally: our base is their version. */
  g_assert_true (set_field (f->store, "case", record, "given_name", "Olfa B.", &error));
  g_assert_no_error (error);

  /* They edited it concurrently, from the same base, earlier: they lose, kept. */
  g_assert_cmpint (merge (f, 2, record, "given_name", "Olfa Ben", t - 5, t - 10, other_site ()), ==, AWDA_MERGE_CONFLICT);
  r = awda_store_get_record (f->store, "case", record, &error);
  g_assert_cmpstr (awda_record_get (r, "given_name"), ==, "Olfa B.");
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM conflict WHERE value = 'Olfa Ben'"), ==, 1);

  text = dump (f->store);
  g_assert_nonnull (strstr (text, "conflict\tcase\t0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\tgiven_name\tOlfa Ben\t0123456789abcdef0123456789abcdef\n"));

  /* A later change of theirs that saw only their own value: it wins, and ours is kept. */
  g_clear_pointer (&r, awda_record_free);
  g_assert_cmpint (merge (f, 3, record, "given_name", "Olfa Bensalem", t + 100, t - 5, other_site ()), ==, AWDA_MERGE_CONFLICT);
  r = awda_store_get_record (f->store, "case", record, &error);
  g_assert_cmpstr (awda_record_get (r, "given_name"), ==, "Olfa Bensalem");
  /* Their base (Olfa Ben) left the conflicts; our Olfa B. joined them. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM conflict"), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM conflict WHERE value = 'Olfa B.'"), ==, 1);

  /* Same key, other content: refused. */
  {
    AwdaChange forged = { .origin = other_site (), .seq = 3, .entity = "case", .record = record,
                          .field = "given_name", .value = "Forged", .hlc = t + 100,
                          .base_hlc = t - 5, .base_site = other_site () };
    AwdaMergeOutcome outcome;

    g_assert_true (awda_store_begin (f->store, &error));
    g_assert_false (awda_store_merge_change (f->store, &forged, &outcome, &error));
    g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
    awda_store_rollback (f->store);
    g_clear_error (&error);
  }

  /* Resolving keeps their value and removes the conflict, by an ordinary write. */
  {
    gint64 conflict_id = count (f->store, "SELECT id FROM conflict");
    gint64 log_before = count (f->store, "SELECT count(*) FROM change_log");

    f->now_ms = awda_hlc_get_ms (t + 100) + 1000;
    g_assert_true (awda_store_resolve_conflict (f->store, conflict_id, "Olfa Bensalem", &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (f->store, "SELECT count(*) FROM conflict"), ==, 0);
    /* One change on the current version, one on the conflict, same version. */
    g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log"), ==, log_before + 2);
    g_assert_cmpint (count (f->store, "SELECT count(DISTINCT hlc) FROM change_log WHERE origin = (SELECT site FROM installation)"
                                      " AND value = 'Olfa Bensalem'"), ==, 1);
  }

  (void) mine;
  assert_check_passes (f->store);
}

static void
test_store_merge_refuses_bad_values (Fixture       *f,
                                     gconstpointer  data)
{
  const char *record = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  AwdaChange bad[] = {
    { .origin = other_site (), .seq = 1, .entity = "case", .record = record, .field = "status", .value = "lost", .hlc = 10 },
    { .origin = other_site (), .seq = 1, .entity = "case", .record = record, .field = "nope", .value = "x", .hlc = 10 },
    { .origin = other_site (), .seq = 1, .entity = "ship", .record = record, .field = "name", .value = "x", .hlc = 10 },
    { .origin = other_site (), .seq = 1, .entity = "case", .record = "x", .field = "given_name", .value = "x", .hlc = 10 },
    { .origin = "zz", .seq = 1, .entity = "case", .record = record, .field = "given_name", .value = "x", .hlc = 10 },
    { .origin = other_site (), .seq = 1, .entity = "case", .record = record, .field = "given_name", .value = " x ", .hlc = 10 },
    { .origin = other_site (), .seq = 0, .entity = "case", .record = record, .field = "given_name", .value = "x", .hlc = 10 },
    { .origin = other_site (), .seq = 1, .entity = "case", .record = record, .field = "given_name", .value = "x", .hlc = 10,
      .base_hlc = 20, .base_site = other_site () },
  };
  g_autofree char *before = dump (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      AwdaMergeOutcome outcome;

      g_assert_true (awda_store_begin (f->store, &error));
      g_assert_false (awda_store_merge_change (f->store, &bad[i], &outcome, &error));
      g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
      awda_store_rollback (f->store);
    }

  {
    g_autofree char *after = dump (f->store);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_store_local_write_follows_future_version (Fixture       *f,
                                               gconstpointer  data)
{
  const char *record = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  /* The other site's clock runs an hour ahead of ours. */
  guint64 ahead = awda_hlc_from_ms (f->now_ms + 3600 * 1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) r = NULL;

  g_assert_cmpint (merge (f, 1, record, "family_name", "Dridi", ahead, 0, NULL), ==, AWDA_MERGE_APPLIED);
  g_assert_true (set_field (f->store, "case", record, "family_name", "Dridi-Ayari", &error));
  g_assert_no_error (error);

  /* Our later edit wins, here and, by its clock, everywhere. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log WHERE value = 'Dridi-Ayari' AND hlc > base_hlc"), ==, 1);
  r = awda_store_get_record (f->store, "case", record, &error);
  g_assert_cmpstr (awda_record_get (r, "family_name"), ==, "Dridi-Ayari");
  assert_check_passes (f->store);
}

/* The last value given for a field wins; the others are not written. */
static void
test_store_edit_last_value_wins (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = NULL;

  awda_edit_set (edit, "given_name", "Rim");
  awda_edit_set (edit, "family_name", "Gharbi");
  awda_edit_set (edit, "given_name", "Rima");
  awda_edit_set (edit, "phone", "+216 71 000 000");
  awda_edit_set (edit, "phone", NULL);
  g_assert_cmpuint (awda_edit_get_n_changes (edit), ==, 3);
  g_assert_true (awda_store_apply (f->store, edit, &error));
  g_assert_no_error (error);

  record = awda_store_get_record (f->store, "case", awda_edit_get_record (edit), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "given_name"), ==, "Rima");
  g_assert_cmpstr (awda_record_get (record, "family_name"), ==, "Gharbi");
  g_assert_null (awda_record_get (record, "phone"));
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM change_log WHERE value = 'Rim'"), ==, 0);
}

/* Bulk writing */

static gboolean
add_member (AwdaStore   *store,
            const char  *case_id,
            const char  *name,
            GError     **error)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new ("household_member", NULL);

  awda_edit_set (edit, "case_id", case_id);
  awda_edit_set (edit, "name", name);
  return awda_store_apply (store, edit, error);
}

/* A bulk transaction remembers the references it found live: deleting
 * the record they name, in the same transaction, must make them fail. */
static void
test_store_bulk_reference_deleted_meanwhile (Fixture       *f,
                                             gconstpointer  data)
{
  g_autofree char *case_id = new_case (f->store, "given_name", "Hédi", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (awda_store_begin (f->store, &error));
  g_assert_true (add_member (f->store, case_id, "Amel", &error));
  g_assert_no_error (error);

  g_assert_true (set_field (f->store, "case", case_id, "deleted", "true", &error));
  g_assert_no_error (error);
  g_assert_false (add_member (f->store, case_id, "Asma", &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "deleted"));
  g_clear_error (&error);

  g_assert_true (set_field (f->store, "case", case_id, "deleted", "false", &error));
  g_assert_no_error (error);
  g_assert_true (add_member (f->store, case_id, "Asma", &error));
  g_assert_no_error (error);
  g_assert_true (awda_store_commit (f->store, &error));
  g_assert_no_error (error);

  /* And so must a rollback, of the record's creation. */
  g_assert_true (awda_store_begin (f->store, &error));
  {
    g_autofree char *other = new_case (f->store, "given_name", "Mounir", NULL);

    g_assert_true (add_member (f->store, other, "Ines", &error));
    g_assert_no_error (error);
    awda_store_rollback (f->store);
    g_assert_false (add_member (f->store, other, "Ines", &error));
    g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  g_assert_cmpint (count (f->store, "SELECT count(*) FROM household_member"), ==, 2);
  assert_check_passes (f->store);
}

/* Without its indexes, the case table reads the same, only slower; and
 * should a bulk load die before building them again, the next opening
 * of the store does. */
static void
test_store_bulk_indexes_dropped (Fixture       *f,
                                 gconstpointer  data)
{
  static const char *indexes_sql =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'case' AND sql IS NOT NULL";
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  AwdaCaseQuery query = { .status = "plan", .governorate = "TN-61" };
  gint64 n_indexes = count (f->store, indexes_sql);

  g_assert_cmpint (n_indexes, >=, 8);
  for (guint i = 0; i < 30; i++)
    g_free (new_case (f->store, "given_name", "Nejib", "status", i % 3 ? "plan" : "reception",
                      "governorate", i % 2 ? "TN-61" : "TN-11", NULL));
  before = awda_store_query_cases (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 10);

  g_assert_true (awda_store_begin (f->store, &error));
  g_assert_true (awda_store_drop_indexes (f->store, "case", &error));
  g_assert_no_error (error);
  g_assert_true (awda_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, indexes_sql), ==, 0);

  after = awda_store_query_cases (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (after->data, after->len * sizeof (gint64), before->data, before->len * sizeof (gint64));

  /* Every order and filter the case list names an index for still runs. */
  for (AwdaCaseSort sort = AWDA_CASE_SORT_NEWEST; sort <= AWDA_CASE_SORT_OPENED; sort++)
    {
      AwdaCaseQuery other = { .vulnerability = "vuln_medical", .overdue = TRUE, .today = "2026-11-29",
                              .caseworker = "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b", .sort = sort };
      g_autoptr(GArray) none = awda_store_query_cases (f->store, &other, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (none->len, ==, 0);
    }
  g_free (new_case (f->store, "given_name", "Nejib", "status", "plan", "governorate", "TN-61", NULL));

  reopen (f);
  g_assert_cmpint (count (f->store, indexes_sql), ==, n_indexes);
  g_clear_pointer (&after, g_array_unref);
  after = awda_store_query_cases (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 11);
  assert_check_passes (f->store);
}

/* A new database, and the WAL beside it, are readable by their owner
 * alone, whatever the umask: they hold people's personal data. */
static void
test_store_private_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("awda-private-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(AwdaStore) store = NULL;
  g_autofree char *id = NULL;
  GStatBuf st;
  mode_t old_mask;

  g_assert_no_error (error);
  path = g_build_filename (dir, "open", "awda.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);

  old_mask = umask (0);
  store = awda_store_create (path, "Bureau de Gafsa", "regional", "TN-71", &error);
  umask (old_mask);
  g_assert_no_error (error);
  id = new_case (store, "given_name", "Sami", NULL);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_object (&store);

  /* Still never over an existing file. */
  store = awda_store_create (path, "Bureau de Gafsa", "regional", "TN-71", &error);
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_EXISTS);
  g_assert_null (store);

  g_unlink (wal);
  g_unlink (path);
  {
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_autofree char *folder = g_path_get_dirname (path);

    g_unlink (shm);
    g_rmdir (folder);
  }
  g_rmdir (dir);
}

/* Whether opening will first bring a database up to date: an older
 * schema, or indexes a bulk load left dropped; not for anything that is
 * not a database of an older version. */
static void
test_store_needs_upgrade (Fixture       *f,
                          gconstpointer  data)
{
  static const char garbage[] = "Not a database.\n";
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *text = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_false (awda_store_needs_upgrade (f->path));

  g_assert_true (awda_store_begin (f->store, &error));
  g_assert_true (awda_store_drop_indexes (f->store, "case", &error));
  g_assert_true (awda_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (awda_store_needs_upgrade (f->path));
  reopen (f);
  g_assert_false (awda_store_needs_upgrade (f->path));

  /* An older schema; a newer one is refused by opening, not upgraded. */
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); PRAGMA user_version = 3", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (awda_store_needs_upgrade (other));
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_false (awda_store_needs_upgrade (other));

  g_assert_true (g_file_set_contents (text, garbage, -1, NULL));
  g_assert_false (awda_store_needs_upgrade (text));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_false (awda_store_needs_upgrade (empty));
  g_assert_false (awda_store_needs_upgrade (f->dir));
  /* Looked at, not touched. */
  g_assert_true (g_file_get_contents (text, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, garbage);
}

/* A table made before the values came first keeps its order, column for
 * column, and everything works on it as on a new one. */
static void
test_store_older_column_order (Fixture       *f,
                               gconstpointer  data)
{
  static const char *position_sql =
    "SELECT (SELECT cid FROM pragma_table_info ('case') WHERE name = 'given_name__hlc') -"
    " (SELECT cid FROM pragma_table_info ('case') WHERE name = 'given_name')";
  g_autoptr(GError) error = NULL;
  g_autofree char *id = new_case (f->store, "given_name", "Amel", "family_name", "Trabelsi",
                                  "household_size", "4", "vuln_debt", "true", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *older = NULL;
  g_autoptr(GArray) found = NULL;
  AwdaCaseQuery query = { .search = "amel", .vulnerability = "vuln_debt" };
  const char *columns;

  /* A new table: every value, then every version. */
  g_assert_cmpint (count (f->store, position_sql), >, 30);
  before = dump (f->store);

  /* The same table as made before: each value followed by its versions. */
  columns = awda_store_entity_columns (f->store, awda_dictionary_lookup_entity ("case"));
  g_assert_true (awda_store_begin (f->store, &error));
  g_assert_true (awda_store_drop_indexes (f->store, "case", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GString) sql = g_string_new ("CREATE TABLE case_older (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                                            " deleted INTEGER NOT NULL DEFAULT 0, deleted__hlc INTEGER, deleted__site INTEGER");
    const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");

    for (guint i = 0; i < entity->n_fields; i++)
      g_string_append_printf (sql, ", \"%1$s\", \"%1$s__hlc\" INTEGER, \"%1$s__site\" INTEGER", entity->fields[i].name);
    g_string_append_printf (sql, "); INSERT INTO case_older (%1$s) SELECT %1$s FROM \"case\";"
                            " DROP TABLE \"case\"; ALTER TABLE case_older RENAME TO \"case\";", columns);
    g_assert_true (awda_store_exec (f->store, sql->str, &error));
    g_assert_no_error (error);
  }
  g_assert_true (awda_store_commit (f->store, &error));
  g_assert_no_error (error);

  reopen (f);
  g_assert_cmpint (count (f->store, position_sql), ==, 1);
  after = dump (f->store);
  g_assert_cmpstr (after, ==, before);
  assert_check_passes (f->store);

  /* Written, searched and filtered as before */
  g_assert_true (set_field (f->store, "case", id, "family_name", "Trabelsi-Ayari", &error));
  g_assert_no_error (error);
  g_free (new_case (f->store, "given_name", "Amel", "vuln_debt", "false", NULL));
  found = awda_store_query_cases (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  older = dump (f->store);
  g_assert_nonnull (strstr (older, "Trabelsi-Ayari"));
  assert_check_passes (f->store);
}

int
main (int argc, char *argv[])
{
  const char *localedir = g_getenv ("AWDA_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/store/edit-last-value-wins", test_store_edit_last_value_wins);
  ADD ("/core/store/older-column-order", test_store_older_column_order);
  ADD ("/core/store/needs-upgrade", test_store_needs_upgrade);
  ADD ("/core/store/bulk/reference-deleted-meanwhile", test_store_bulk_reference_deleted_meanwhile);
  ADD ("/core/store/bulk/indexes-dropped", test_store_bulk_indexes_dropped);
  ADD ("/core/store/create-and-open", test_store_create_and_open);
  ADD ("/core/store/refuses-existing", test_store_refuses_existing);
  g_test_add_func ("/core/store/create-refuses-bad-site", test_store_create_refuses_bad_site);
  g_test_add_func ("/core/store/private-files", test_store_private_files);
  g_test_add_func ("/core/store/open-missing-and-garbage", test_store_open_missing_and_garbage);
  ADD ("/core/store/migrations-from-empty", test_store_migrations_from_empty);
  ADD ("/core/store/copy-takes-new-site-id", test_store_copy_takes_new_site_id);
  ADD ("/core/store/write-stamps-change-log", test_store_write_stamps_change_log);
  ADD ("/core/store/refusals-write-nothing", test_store_refusals_write_nothing);
  ADD ("/core/store/types-roundtrip", test_store_types_roundtrip);
  ADD ("/core/store/children-and-delete", test_store_children_and_delete);
  ADD ("/core/store/hlc-monotonic-across-restarts", test_store_hlc_monotonic_across_restarts);
  ADD ("/core/store/search-folding", test_store_search_folding);
  ADD ("/core/store/query-filters", test_store_query_filters);
  ADD ("/core/store/dump-format", test_store_dump_format);
  ADD ("/core/store/check-finds-tampering", test_store_check_finds_tampering);
  ADD ("/core/store/history", test_store_history);
  ADD ("/core/store/reader", test_store_reader);
  ADD ("/core/store/error-translated", test_store_error_translated);
  ADD ("/core/store/merge/sequential-and-concurrent", test_store_merge_sequential_and_concurrent);
  ADD ("/core/store/merge/refuses-bad-values", test_store_merge_refuses_bad_values);
  ADD ("/core/store/merge/local-write-follows-future-version", test_store_local_write_follows_future_version);
#undef ADD

  return g_test_run ();
}

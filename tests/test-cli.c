/* test-cli.c: awda-cli as a user runs it: output, messages and exit status
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test runs the built awda-cli (its path in $AWDA_CLI) as a child
 * process on a fresh database in a temporary folder.
 */

#define G_LOG_DOMAIN "awda-test-cli"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "awda-store.h"
#include "awda-store-private.h"

#define SITE_ID "0123456789abcdef0123456789abcdef"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Fixture */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("awda-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "awda.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Running awda-cli */

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* Only the tests that say so use $AWDA_DATABASE; the default database
   * is in this test's own isolated data folder. */
  g_subprocess_launcher_unsetenv (launcher, "AWDA_DATABASE");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  return launcher;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  return size > 0 ? g_strndup (data, size) : g_strdup ("");
}

static Run *
run_argv (GSubprocessLauncher *launcher,
          const char          *database,
          GPtrArray           *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  const char *cli = g_getenv ("AWDA_CLI");
  Run *run;

  g_assert_nonnull (cli);

  g_ptr_array_add (argv, (gpointer) cli);
  if (database != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--database");
      g_ptr_array_add (argv, (gpointer) database);
    }
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (args, i));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  /* A crash or an abort (G_DEBUG=fatal-warnings) is never an exit status. */
  g_assert_true (g_subprocess_get_if_exited (process));

  run = g_new0 (Run, 1);
  run->status = g_subprocess_get_exit_status (process);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  /* No NUL byte hides in the output. */
  g_assert_cmpuint (strlen (run->out), ==, g_bytes_get_size (out));

  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
  return run;
}

static GPtrArray *
collect_args (const char *first,
              va_list     ap)
{
  GPtrArray *args = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  return args;
}

static Run *
run_collected (const char *env_database,
               const char *database,
               GPtrArray  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  if (env_database != NULL)
    g_subprocess_launcher_setenv (launcher, "AWDA_DATABASE", env_database, TRUE);
  return run_argv (launcher, database, args);
}

/* awda-cli --database f->db ARGS… */
G_GNUC_NULL_TERMINATED static Run *
cli (Fixture    *f,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) args = NULL;
  va_list ap;

  va_start (ap, first);
  args = collect_args (first, ap);
  va_end (ap);
  return run_collected (NULL, f->db, args);
}

/* awda-cli ARGS…, with $AWDA_DATABASE set to @env_database unless NULL */
G_GNUC_NULL_TERMINATED static Run *
cli_env (const char *env_database,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = NULL;
  va_list ap;

  va_start (ap, first);
  args = collect_args (first, ap);
  va_end (ap);
  return run_collected (env_database, NULL, args);
}

/* Assertions */

static void
assert_ok (Run *run)
{
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpint (run->status, ==, 0);
}

/* Refused with @status: nothing on stdout, one sentence on stderr that
 * contains each of the NULL-terminated strings. */
G_GNUC_NULL_TERMINATED static void
assert_refused (Run *run,
                int  status,
                ...)
{
  const char *needle;
  va_list ap;

  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "awda-cli: "));
  g_assert_true (g_str_has_suffix (run->err, ".\n"));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);

  va_start (ap, status);
  while ((needle = va_arg (ap, const char *)) != NULL)
    {
      if (strstr (run->err, needle) == NULL)
        g_error ("“%s” is not in the message: %s", needle, run->err);
    }
  va_end (ap);
}

/* Usage errors print their sentence, then possibly the usage. */
static void
assert_usage_error (Run        *run,
                    const char *needle)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "awda-cli: "));
  if (needle != NULL && strstr (run->err, needle) == NULL)
    g_error ("“%s” is not in the message: %s", needle, run->err);
}

static void
assert_is_uuid_line (const char *out)
{
  g_autofree char *id = g_strndup (out, strlen (out) - 1);

  g_assert_true (g_str_has_suffix (out, "\n"));
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                                       id, 0, 0));
}

static char *
dump (Fixture *f)
{
  g_autoptr(Run) run = cli (f, "dump", NULL);

  assert_ok (run);
  return g_steal_pointer (&run->out);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
init_db (Fixture    *f,
         const char *site_id)
{
  g_autoptr(Run) run = NULL;

  if (site_id != NULL)
    run = cli (f, "init", "--site-name", "Bureau de Sfax", "--site-kind", "regional",
               "--governorate", "TN-61", "--site-id", site_id, NULL);
  else
    run = cli (f, "init", "--site-name", "Bureau de Sfax", "--site-kind", "regional",
               "--governorate", "TN-61", NULL);
  assert_ok (run);
}

/* Creates a case and returns its id. */
G_GNUC_NULL_TERMINATED static char *
new_case (Fixture    *f,
          const char *first,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(Run) run = NULL;
  va_list ap;

  va_start (ap, first);
  fields = collect_args (first, ap);
  va_end (ap);

  g_ptr_array_add (args, (gpointer) "case");
  g_ptr_array_add (args, (gpointer) "new");
  g_ptr_array_extend (args, fields, NULL, NULL);
  run = run_collected (NULL, f->db, args);
  assert_ok (run);
  assert_is_uuid_line (run->out);
  return g_strndup (run->out, strlen (run->out) - 1);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char **
sorted_lines (const char *text)
{
  char **lines;
  guint n;

  if (text[0] == '\0')
    return g_new0 (char *, 1);

  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);

  /* The text ends with a line break: drop the empty last piece. */
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_free (lines[n - 1]);
  lines[n - 1] = NULL;

  qsort (lines, n - 1, sizeof (char *), compare_strings);
  return lines;
}

/* Usage */

static void
test_usage_help (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Run) help = cli_env (NULL, "--help", NULL);
  g_autoptr(Run) help_command = cli_env (NULL, "help", NULL);
  g_autoptr(Run) case_help = cli_env (NULL, "case", "new", "--help", NULL);
  g_autoptr(Run) env_help = cli_env (f->db, "site", "-h", NULL);
  g_autofree char *default_path = awda_store_default_path ();
  g_autofree char *default_line = g_strdup_printf ("without --database it is %s.\n", default_path);
  g_autofree char *env_line = g_strdup_printf ("without --database it is %s.\n", f->db);

  assert_ok (help);
  g_assert_true (g_str_has_prefix (help->out, "Usage: awda-cli [--database FILE] COMMAND"));
  for (guint i = 0; i < 8; i++)
    {
      const char *commands[] = { "init --site-name", "site", "case new", "case set",
                                 "case show", "case list", "dump", "check" };
      g_assert_nonnull (strstr (help->out, commands[i]));
    }

  assert_ok (help_command);
  g_assert_cmpstr (help_command->out, ==, help->out);

  /* Help needs no database, and creates none; it names the one in use. */
  assert_ok (case_help);
  g_assert_cmpstr (case_help->out, ==, help->out);
  g_assert_nonnull (strstr (help->out, default_line));
  assert_ok (env_help);
  g_assert_nonnull (strstr (env_help->out, env_line));
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *const bad[][6] = {
    { "site", "--bogus" },
    { "site", "extra" },
    { "dump", "extra" },
    { "check", "--all" },
    { "case" },
    { "case", "frobnicate" },
    { "case", "new" },
    { "case", "new", "given_name" },
    { "case", "new", "=Amel" },
    { "case", "new", "given_name=Amel", "given_name=Amal" },
    { "case", "set" },
    { "case", "show" },
    { "case", "list", "--limit", "abc" },
    { "case", "list", "--limit", "0" },
    { "case", "list", "--limit", "-3" },
    { "case", "list", "--sort" },
    { "case", "list", "extra" },
    { "demo" },
    { "demo", "--cases", "many" },
    { "demo", "--cases", "5", "--seed", "x" },
    { "init", "--site-kind", "regional" },
    { "init", "--site-name", "Bureau" },
  };

  {
    g_autoptr(Run) none = cli_env (NULL, NULL, NULL);
    g_autoptr(Run) unknown = cli_env (NULL, "frobnicate", NULL);
    g_autoptr(Run) global_option = cli_env (NULL, "--bogus", "site", NULL);
    g_autoptr(Run) empty_database = cli_env (NULL, "--database", "", "site", NULL);

    assert_usage_error (none, "Usage:");
    assert_usage_error (unknown, "frobnicate");
    g_assert_nonnull (strstr (unknown->err, "Usage:"));
    assert_usage_error (global_option, "--bogus");
    assert_usage_error (empty_database, "--database");
  }

  init_db (f, NULL);
  {
    g_autofree char *id = new_case (f, "given_name=Amel", "status=reception", NULL);
    g_autoptr(Run) set_no_field = cli (f, "case", "set", id, NULL);
    g_autoptr(Run) set_no_equal = cli (f, "case", "set", id, "status", NULL);
    g_autoptr(Run) show_two = cli (f, "case", "show", id, id, NULL);

    before = dump (f);

    assert_usage_error (set_no_field, "FIELD=VALUE");
    assert_usage_error (set_no_equal, "status");
    assert_usage_error (show_two, NULL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Run) run = cli (f, bad[i][0], bad[i][1], bad[i][2], bad[i][3], bad[i][4], bad[i][5], NULL);

      assert_usage_error (run, NULL);
    }

  after = dump (f);
  g_assert_cmpstr (after, ==, before);
}

/* init and site */

static void
test_init_site (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->dir, "deep", "er", "field.db", NULL);
  g_autoptr(Run) init = cli (f, "init", "--site-name", "Bureau de Sfax", "--site-kind", "regional",
                             "--governorate", "TN-61", NULL);
  g_autoptr(Run) site = NULL;
  g_autoptr(Run) init_other = NULL;
  g_autoptr(Run) site_other = NULL;
  g_autoptr(Run) check = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *site_id = NULL;
  GStatBuf st;

  assert_ok (init);
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{32}\n$", init->out, 0, 0));
  site_id = g_strndup (init->out, 32);

  site = cli (f, "site", NULL);
  assert_ok (site);
  expected = g_strdup_printf ("id: %s\nname: Bureau de Sfax\nkind: regional\ngovernorate: TN-61\n", site_id);
  g_assert_cmpstr (site->out, ==, expected);

  check = cli (f, "check", NULL);
  assert_ok (check);
  g_assert_cmpstr (check->out, ==, "ok\n");

  /* The parent folders are made, for the user alone; no governorate line
   * when there is none; an Arabic name comes back as typed. */
  init_other = cli_env (NULL, "--database", other, "init", "--site-name", "حاسوب ميداني",
                        "--site-kind", "field", NULL);
  assert_ok (init_other);
  site_other = cli_env (NULL, "--database", other, "site", NULL);
  assert_ok (site_other);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("id: %.32s\nname: حاسوب ميداني\nkind: field\n", init_other->out);
  g_assert_cmpstr (site_other->out, ==, expected);
  g_assert_cmpstr (init_other->out, !=, init->out);

  {
    g_autofree char *folder = g_path_get_dirname (other);

    g_assert_cmpint (g_stat (folder, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }
}

static void
test_init_site_id (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *bad_id_db = g_build_filename (f->dir, "bad-id.db", NULL);
  g_autofree char *bad_kind_db = g_build_filename (f->dir, "bad-kind.db", NULL);
  g_autofree char *bad_gov_db = g_build_filename (f->dir, "bad-gov.db", NULL);
  g_autoptr(Run) init = cli (f, "init", "--site-name", "Central", "--site-kind", "central",
                             "--site-id", SITE_ID, NULL);
  g_autoptr(Run) site = cli (f, "site", NULL);
  g_autoptr(Run) bad_id = cli_env (NULL, "--database", bad_id_db, "init", "--site-name", "X",
                                   "--site-kind", "central", "--site-id", "xyz", NULL);
  g_autoptr(Run) bad_kind = cli_env (NULL, "--database", bad_kind_db, "init", "--site-name", "X",
                                     "--site-kind", "village", NULL);
  g_autoptr(Run) bad_gov = cli_env (NULL, "--database", bad_gov_db, "init", "--site-name", "X",
                                    "--site-kind", "field", "--governorate", "TN-99", NULL);

  assert_ok (init);
  g_assert_cmpstr (init->out, ==, SITE_ID "\n");
  assert_ok (site);
  g_assert_cmpstr (site->out, ==, "id: " SITE_ID "\nname: Central\nkind: central\n");

  /* Refused: nothing is created. */
  assert_refused (bad_id, 2, "xyz", NULL);
  g_assert_false (g_file_test (bad_id_db, G_FILE_TEST_EXISTS));
  assert_refused (bad_kind, 2, "village", NULL);
  g_assert_false (g_file_test (bad_kind_db, G_FILE_TEST_EXISTS));
  assert_refused (bad_gov, 2, "TN-99", NULL);
  g_assert_false (g_file_test (bad_gov_db, G_FILE_TEST_EXISTS));
}

static void
test_init_existing (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *notes = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *dump_before = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *site_before = NULL;
  g_autofree char *notes_after = NULL;
  const char *notes_text = "Not a database: a caseworker's notes.\n";

  init_db (f, NULL);
  g_free (new_case (f, "given_name=Amel", "status=reception", NULL));
  dump_before = dump (f);
  {
    g_autoptr(Run) site = cli (f, "site", NULL);
    site_before = g_strdup (site->out);
  }

  {
    g_autoptr(Run) again = cli (f, "init", "--site-name", "Autre", "--site-kind", "field", NULL);
    g_autoptr(Run) again_id = cli (f, "init", "--site-name", "Autre", "--site-kind", "field",
                                   "--site-id", SITE_ID, NULL);
    g_autoptr(Run) site = cli (f, "site", NULL);

    assert_refused (again, 2, NULL);
    assert_refused (again_id, 2, NULL);
    assert_ok (site);
    g_assert_cmpstr (site->out, ==, site_before);
  }
  dump_after = dump (f);
  g_assert_cmpstr (dump_after, ==, dump_before);

  /* Any existing file is left alone, database or not. */
  g_assert_true (g_file_set_contents (notes, notes_text, -1, NULL));
  {
    g_autoptr(Run) over = cli_env (NULL, "--database", notes, "init", "--site-name", "X",
                                   "--site-kind", "field", NULL);
    assert_refused (over, 2, NULL);
  }
  notes_after = read_file (notes);
  g_assert_cmpstr (notes_after, ==, notes_text);
}

/* Which database */

static void
test_database_choice (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *env_db = g_build_filename (f->dir, "from-env.db", NULL);
  g_autofree char *default_path = awda_store_default_path ();
  g_autofree char *site_env = NULL;

  /* $AWDA_DATABASE when there is no --database */
  {
    g_autoptr(Run) init = cli_env (env_db, "init", "--site-name", "Env", "--site-kind", "field", NULL);
    g_autoptr(Run) site = cli_env (env_db, "site", NULL);

    assert_ok (init);
    g_assert_true (g_file_test (env_db, G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));
    assert_ok (site);
    g_assert_nonnull (strstr (site->out, "name: Env\n"));
    site_env = g_strdup (site->out);
  }

  /* --database wins over $AWDA_DATABASE */
  {
    g_autoptr(Run) init = cli_env (env_db, "--database", f->db, "init", "--site-name", "Option",
                                   "--site-kind", "field", NULL);
    g_autoptr(Run) site = cli_env (env_db, "--database", f->db, "site", NULL);
    g_autoptr(Run) site_env_again = cli_env (env_db, "site", NULL);

    assert_ok (init);
    assert_ok (site);
    g_assert_nonnull (strstr (site->out, "name: Option\n"));
    assert_ok (site_env_again);
    g_assert_cmpstr (site_env_again->out, ==, site_env);
  }

  /* Neither: the default, in the XDG data folder (isolated by the test) */
  {
    g_autoptr(Run) init = cli_env (NULL, "init", "--site-name", "Default", "--site-kind", "central", NULL);
    g_autoptr(Run) site = cli_env (NULL, "site", NULL);

    g_assert_true (g_str_has_prefix (default_path, g_get_user_data_dir ()));
    assert_ok (init);
    g_assert_true (g_file_test (default_path, G_FILE_TEST_IS_REGULAR));
    assert_ok (site);
    g_assert_nonnull (strstr (site->out, "name: Default\n"));
  }
}

static void
test_database_missing (Fixture       *f,
                       gconstpointer  data)
{
  const char *const commands[][3] = {
    { "site" }, { "dump" }, { "check" }, { "case", "list" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(Run) run = cli (f, commands[i][0], commands[i][1], commands[i][2], NULL);

      assert_refused (run, 2, "awda-cli init", NULL);
      g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
    }
}

/* A database a bulk load left without its indexes is brought up to date
 * before the command runs, and stderr says so first, once. */
static void
test_upgrade_said (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Run) init = cli (f, "init", "--site-name", "Bureau de Sfax", "--site-kind", "regional", NULL);
  g_autoptr(Run) upgraded = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) store = NULL;

  assert_ok (init);
  store = awda_store_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_true (awda_store_begin (store, &error));
  g_assert_true (awda_store_drop_indexes (store, "case", &error));
  g_assert_true (awda_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  upgraded = cli (f, "site", NULL);
  g_assert_cmpint (upgraded->status, ==, 0);
  g_assert_true (g_str_has_prefix (upgraded->err, "Bringing the database up to date"));
  g_assert_nonnull (strstr (upgraded->out, "name: Bureau de Sfax\n"));
  g_assert_false (awda_store_needs_upgrade (f->db));

  again = cli (f, "site", NULL);
  assert_ok (again);
}

/* Storage failures: exit status 3 */

static void
test_storage_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *plain = g_build_filename (f->dir, "plain-file", NULL);
  g_autofree char *below_file = g_build_filename (plain, "awda.db", NULL);
  g_autofree char *corrupt = g_build_filename (f->dir, "corrupt.db", NULL);
  g_autofree char *garbage = NULL;
  g_autofree char *garbage_after = NULL;
  gsize garbage_len = 8192;
  gsize after_len = 0;
  GRand *rand = g_rand_new_with_seed (42);

  /* A database whose folder is a file */
  g_assert_true (g_file_set_contents (plain, "a file\n", -1, NULL));
  {
    g_autoptr(Run) init = cli_env (NULL, "--database", below_file, "init", "--site-name", "X",
                                   "--site-kind", "field", NULL);
    assert_refused (init, 3, NULL);
  }

  /* A database file that is not one: refused, and left as it was */
  garbage = g_malloc (garbage_len);
  for (gsize i = 0; i < garbage_len; i++)
    garbage[i] = (char) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (corrupt, garbage, garbage_len, NULL));
  {
    const char *const commands[][3] = {
      { "site" }, { "dump" }, { "check" }, { "case", "list" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_autoptr(Run) run = cli_env (NULL, "--database", corrupt, commands[i][0], commands[i][1],
                                      commands[i][2], NULL);
        assert_refused (run, 3, NULL);
      }
  }
  g_assert_true (g_file_get_contents (corrupt, &garbage_after, &after_len, NULL));
  g_assert_cmpmem (garbage_after, after_len, garbage, garbage_len);

  /* A full disk under the standard output */
  if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GBytes) err = NULL;

      init_db (f, NULL);
      g_free (new_case (f, "given_name=Amel", "status=reception", NULL));
      g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");

      for (guint i = 0; i < 2; i++)
        {
          const char *command = i == 0 ? "dump" : "site";

          g_clear_object (&process);
          g_clear_pointer (&err, g_bytes_unref);
          process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("AWDA_CLI"),
                                                 "--database", f->db, command, NULL);
          g_assert_no_error (error);
          g_subprocess_communicate (process, NULL, NULL, NULL, &err, &error);
          g_assert_no_error (error);
          g_assert_true (g_subprocess_get_if_exited (process));
          g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 3);
          g_assert_true (g_str_has_prefix (g_bytes_get_data (err, NULL), "awda-cli: "));
        }
    }
}

/* Cases */

static void
test_case_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(Run) show = NULL;

  init_db (f, NULL);
  id = new_case (f,
                 "given_name=Amel", "family_name=Ben Salah",
                 "given_name_ar=أمل", "family_name_ar=بن صالح",
                 "sex=f", "birth_date=1990-05-01", "national_id=08123456",
                 "phone=+216 98 123 456", "governorate=TN-61", "host_country=fr",
                 "return_date=2025-11-03", "return_type=assisted_voluntary",
                 "status=assessment", "priority=high", "opened_on=2025-11-04",
                 "address=12 rue de Marseille\nSfax",
                 NULL);

  show = cli (f, "case", "show", id, NULL);
  assert_ok (show);
  expected = g_strdup_printf ("id: %s\n"
                              "given_name: Amel\n"
                              "family_name: Ben Salah\n"
                              "given_name_ar: أمل\n"
                              "family_name_ar: بن صالح\n"
                              "sex: f\n"
                              "birth_date: 1990-05-01\n"
                              "national_id: 08123456\n"
                              "phone: +216 98 123 456\n"
                              "address: 12 rue de Marseille\\nSfax\n"
                              "governorate: TN-61\n"
                              "host_country: FR\n"
                              "return_date: 2025-11-03\n"
                              "return_type: assisted_voluntary\n"
                              "status: assessment\n"
                              "priority: high\n"
                              "opened_on: 2025-11-04\n",
                              id);
  g_assert_cmpstr (show->out, ==, expected);
}

static void
test_case_set (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *line = NULL;

  init_db (f, NULL);
  id = new_case (f, "given_name=Karim", "family_name=Jaziri", "phone=22 333 444",
                 "status=reception", "opened_on=2026-01-15", NULL);

  {
    g_autoptr(Run) set = cli (f, "case", "set", id, "status=plan", "phone=",
                              "family_name_ar=الجزيري", "priority=urgent", NULL);
    g_autoptr(Run) show = cli (f, "case", "show", id, NULL);

    assert_ok (set);
    g_assert_cmpstr (set->out, ==, "");
    assert_ok (show);
    expected = g_strdup_printf ("id: %s\ngiven_name: Karim\nfamily_name: Jaziri\n"
                                "family_name_ar: الجزيري\nstatus: plan\npriority: urgent\n"
                                "opened_on: 2026-01-15\n", id);
    g_assert_cmpstr (show->out, ==, expected);
  }

  /* A deleted case is shown as such, and no longer listed. */
  {
    g_autoptr(Run) set = cli (f, "case", "set", id, "deleted=true", NULL);
    g_autoptr(Run) show = cli (f, "case", "show", id, NULL);
    g_autoptr(Run) list = cli (f, "case", "list", NULL);

    assert_ok (set);
    assert_ok (show);
    g_assert_nonnull (strstr (show->out, "\ndeleted: true\n"));
    assert_ok (list);
    line = g_strdup_printf ("%s\t", id);
    g_assert_null (strstr (list->out, line));
  }
}

static void
test_case_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *show_before = NULL;
  const char *unknown_id = "00000000-0000-4000-8000-000000000000";

  init_db (f, NULL);
  id = new_case (f, "given_name=Amel", "family_name=Ben Salah", "status=reception", NULL);
  before = dump (f);
  {
    g_autoptr(Run) show = cli (f, "case", "show", id, NULL);
    show_before = g_strdup (show->out);
  }

  {
    /* One edit: the valid given_name is not written either. */
    g_autoptr(Run) bad_enum = cli (f, "case", "set", id, "given_name=Karim", "sex=x", NULL);
    g_autoptr(Run) bad_field = cli (f, "case", "set", id, "colour=blue", NULL);
    g_autoptr(Run) bad_date = cli (f, "case", "new", "given_name=Sami", "status=reception",
                                   "birth_date=1990-13-45", NULL);
    g_autoptr(Run) bad_governorate = cli (f, "case", "new", "status=reception", "governorate=TN-99", NULL);
    g_autoptr(Run) bad_country = cli (f, "case", "set", id, "host_country=XX", NULL);
    g_autoptr(Run) bad_status = cli (f, "case", "set", id, "status=finished", NULL);
    g_autoptr(Run) clear_status = cli (f, "case", "set", id, "status=", NULL);
    g_autoptr(Run) control = cli (f, "case", "set", id, "given_name=Am\tel", NULL);
    g_autoptr(Run) not_utf8 = cli (f, "case", "new", "status=reception", "given_name=Am\xffl", NULL);
    g_autoptr(Run) set_unknown = cli (f, "case", "set", unknown_id, "status=plan", NULL);
    g_autoptr(Run) show_unknown = cli (f, "case", "show", unknown_id, NULL);
    g_autoptr(Run) show_garbage = cli (f, "case", "show", "not-an-id", NULL);
    g_autoptr(Run) list = cli (f, "case", "list", NULL);
    g_autoptr(Run) show = cli (f, "case", "show", id, NULL);

    assert_refused (bad_enum, 2, "sex", "x", NULL);
    assert_refused (bad_field, 2, "colour", NULL);
    assert_refused (bad_date, 2, "birth_date", "1990-13-45", NULL);
    assert_refused (bad_governorate, 2, "governorate", "TN-99", NULL);
    assert_refused (bad_country, 2, "host_country", "XX", NULL);
    assert_refused (bad_status, 2, "status", "finished", NULL);
    assert_refused (clear_status, 2, "status", NULL);
    assert_refused (control, 2, "given_name", NULL);
    assert_refused (not_utf8, 2, "Am\xef\xbf\xbdl", NULL);
    assert_refused (set_unknown, 2, unknown_id, NULL);
    assert_refused (show_unknown, 2, unknown_id, NULL);
    assert_refused (show_garbage, 2, "not-an-id", NULL);

    assert_ok (list);
    g_assert_cmpuint (strlen (list->out), >, 0);
    g_assert_true (strchr (list->out, '\n') == list->out + strlen (list->out) - 1);
    assert_ok (show);
    g_assert_cmpstr (show->out, ==, show_before);
  }

  after = dump (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_case_list (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *amel = NULL;
  g_autofree char *hedi = NULL;
  g_autofree char *fatma = NULL;
  g_autofree char *line_amel = NULL;
  g_autofree char *line_hedi = NULL;
  g_autofree char *line_fatma = NULL;
  struct
  {
    const char *args[6];
    const char *expected;  /* "a", "h", "f": the lines expected, in any order */
  } queries[] = {
    { { NULL }, "ahf" },
    { { "--status", "plan" }, "f" },
    { { "--status", "reception" }, "h" },
    { { "--status", "closed" }, "" },
    /* Arabic folding: taa marbuta, alef with hamza, either way round */
    { { "--search", "فاطمه" }, "f" },
    { { "--search", "الاحمر" }, "f" },
    { { "--search", "فاطِمة الأحمر" }, "f" },
    { { "--search", "امل" }, "a" },
    { { "--search", "بن" }, "a" },
    /* Latin: case, diacritics, prefixes */
    { { "--search", "hedi" }, "h" },
    { { "--search", "HÉDI" }, "h" },
    { { "--search", "ben sal" }, "a" },
    { { "--search", "Trab" }, "h" },
    { { "--search", "98123" }, "a" },
    { { "--search", "nobody" }, "" },
    { { "--search", "\"(ben* OR" }, "" },
    { { "--search", "" }, "ahf" },
    { { "--search", "ben", "--status", "plan" }, "" },
    { { "--search", "ben", "--status", "assessment" }, "a" },
  };

  init_db (f, NULL);
  amel = new_case (f, "given_name=Amel", "family_name=Ben Salah", "given_name_ar=أمل",
                   "family_name_ar=بن صالح", "phone=98 123 456", "status=assessment", NULL);
  hedi = new_case (f, "given_name=Hédi", "family_name=Trabelsi", "status=reception", NULL);
  fatma = new_case (f, "given_name_ar=فاطمة", "family_name_ar=الأحمر", "status=plan", NULL);

  line_amel = g_strdup_printf ("%s\tAmel Ben Salah\tأمل بن صالح\tassessment", amel);
  line_hedi = g_strdup_printf ("%s\tHédi Trabelsi\t\treception", hedi);
  line_fatma = g_strdup_printf ("%s\t\tفاطمة الأحمر\tplan", fatma);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      const char *const *a = queries[i].args;
      g_autoptr(Run) run = cli (f, "case", "list", a[0], a[1], a[2], a[3], NULL);
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();
      g_auto(GStrv) lines = NULL;

      assert_ok (run);
      for (const char *c = queries[i].expected; *c; c++)
        g_ptr_array_add (expected, *c == 'a' ? line_amel : *c == 'h' ? line_hedi : line_fatma);
      g_ptr_array_sort (expected, compare_strings);

      lines = sorted_lines (run->out);
      g_assert_cmpuint (g_strv_length (lines), ==, expected->len);
      for (guint k = 0; k < expected->len; k++)
        g_assert_cmpstr (lines[k], ==, g_ptr_array_index (expected, k));
    }

  {
    g_autoptr(Run) limited = cli (f, "case", "list", "--limit", "2", NULL);
    g_autoptr(Run) bad_status = cli (f, "case", "list", "--status", "finished", NULL);
    g_auto(GStrv) lines = NULL;

    assert_ok (limited);
    lines = sorted_lines (limited->out);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);

    assert_refused (bad_status, 2, "finished", "reception", "assessment", "plan",
                    "implementation", "monitoring", "closed", NULL);
  }
}

/* dump and check */

static void
test_dump_check (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) lines = NULL;

  init_db (f, NULL);
  id = new_case (f, "given_name=Amel", "family_name_ar=بن صالح", "status=reception",
                 "skills=Couture\tbroderie", NULL);

  text = dump (f);
  line = g_strdup_printf ("case\t%s\tgiven_name\tAmel\n", id);
  g_assert_nonnull (strstr (text, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("case\t%s\tfamily_name_ar\tبن صالح\n", id);
  g_assert_nonnull (strstr (text, line));

  /* One line a field, four columns, sorted */
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "");
  for (guint i = 0; lines[i + 1] != NULL; i++)
    {
      g_auto(GStrv) columns = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (columns), ==, 4);
      if (i > 0)
        g_assert_cmpint (strcmp (lines[i - 1], lines[i]), <, 0);
    }

  {
    g_autoptr(Run) check = cli (f, "check", NULL);

    assert_ok (check);
    g_assert_cmpstr (check->out, ==, "ok\n");
  }
}

static void
test_check_problem (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  init_db (f, NULL);
  id = new_case (f, "given_name=Amel", "status=reception", NULL);

  /* Change a current value behind the store's back: the change log no
   * longer agrees with it. */
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  sql = sqlite3_mprintf ("UPDATE \"case\" SET given_name = 'Tampered' WHERE id = %Q", id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_free (sql);
  sql = NULL;
  sqlite3_free (message);
  sqlite3_close (db);

  {
    g_autoptr(Run) check = cli (f, "check", NULL);

    g_assert_cmpint (check->status, ==, 2);
    g_assert_cmpstr (check->out, !=, "");
    g_assert_null (strstr (check->out, "ok\n"));
    g_assert_true (g_str_has_suffix (check->out, "\n"));
  }
}

/* demo */

static void
test_demo_deterministic (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *second = g_build_filename (f->dir, "second.db", NULL);
  g_autofree char *third = g_build_filename (f->dir, "third.db", NULL);
  const char *const paths[] = { f->db, second, third };
  const char *const seeds[] = { "7", "7", "8" };
  char *dumps[3] = { NULL };
  guint n_case_status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Run) init = cli_env (NULL, "--database", paths[i], "init", "--site-name", "Central",
                                     "--site-kind", "central", "--site-id", SITE_ID, NULL);
      g_autoptr(Run) demo = cli_env (NULL, "--database", paths[i], "demo", "--cases", "200",
                                     "--seed", seeds[i], NULL);
      g_autoptr(Run) dump_run = cli_env (NULL, "--database", paths[i], "dump", NULL);

      assert_ok (init);
      assert_ok (demo);  /* no progress: stderr is not a terminal */
      g_assert_cmpstr (demo->out, ==, "200 cases written.\n");
      assert_ok (dump_run);
      dumps[i] = g_steal_pointer (&dump_run->out);
    }

  g_assert_cmpuint (strlen (dumps[0]), >, 0);
  g_assert_true (strcmp (dumps[0], dumps[1]) == 0);
  g_assert_true (strcmp (dumps[0], dumps[2]) != 0);

  /* 200 live cases, each with its status */
  for (const char *p = dumps[0]; (p = strstr (p, "\tstatus\t")) != NULL; p++)
    {
      const char *start = p;

      while (start > dumps[0] && start[-1] != '\n')
        start--;
      if (g_str_has_prefix (start, "case\t"))
        n_case_status++;
    }
  g_assert_cmpuint (n_case_status, ==, 200);

  {
    g_autoptr(Run) list = cli (f, "case", "list", "--limit", "5", NULL);
    g_autoptr(Run) all = cli (f, "case", "list", NULL);
    g_autoptr(Run) check = cli (f, "check", NULL);
    g_auto(GStrv) lines = NULL;
    g_auto(GStrv) all_lines = NULL;

    assert_ok (list);
    lines = sorted_lines (list->out);
    g_assert_cmpuint (g_strv_length (lines), ==, 5);
    assert_ok (all);
    all_lines = sorted_lines (all->out);
    g_assert_cmpuint (g_strv_length (all_lines), ==, 200);
    assert_ok (check);
    g_assert_cmpstr (check->out, ==, "ok\n");
  }

  for (guint i = 0; i < G_N_ELEMENTS (dumps); i++)
    g_free (dumps[i]);
}

/* sync: the commands are there, end to end */

static void
test_sync_exchange (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *central = g_build_filename (f->dir, "central.db", NULL);
  g_autofree char *to_central = g_build_filename (f->dir, "to-central.awda", NULL);
  g_autofree char *to_sfax = g_build_filename (f->dir, "to-sfax.awda", NULL);
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.awda", NULL);
  g_autofree char *id = NULL;
  g_autofree char *conflict_id = NULL;
  g_autofree char *dump_sfax = NULL;
  g_autofree char *dump_central = NULL;
  const char *central_id = "fedcba9876543210fedcba9876543210";

  init_db (f, SITE_ID);
  {
    g_autoptr(Run) init = cli_env (NULL, "--database", central, "init", "--site-name", "Central",
                                   "--site-kind", "central", "--site-id", central_id, NULL);
    assert_ok (init);
  }
  id = new_case (f, "given_name=Amel", "given_name_ar=أمل", "status=reception",
                 "opened_on=2026-01-15", NULL);

  /* Sfax to central: the same data on both sides */
  {
    g_autoptr(Run) export = cli (f, "export", "--all", "--output", to_central, NULL);
    g_autoptr(Run) import = cli_env (NULL, "--database", central, "import", to_central, NULL);
    g_autoptr(Run) dump_run = cli_env (NULL, "--database", central, "dump", NULL);

    assert_ok (export);
    g_assert_true (g_regex_match_simple ("^[1-9][0-9]* ", export->out, 0, 0));
    assert_ok (import);
    g_assert_true (g_str_has_prefix (import->out, to_central));
    assert_ok (dump_run);
    dump_sfax = dump (f);
    g_assert_cmpstr (dump_run->out, ==, dump_sfax);
  }

  /* The same field changed on both sides: a conflict is kept at Sfax. */
  {
    g_autoptr(Run) set_central = cli_env (NULL, "--database", central, "case", "set", id,
                                          "given_name=Amal", NULL);
    g_autoptr(Run) set_sfax = cli (f, "case", "set", id, "given_name=Amina", NULL);
    g_autoptr(Run) export = cli_env (NULL, "--database", central, "export", "--to", SITE_ID,
                                     "--output", to_sfax, NULL);
    g_autoptr(Run) import = cli (f, "import", to_sfax, NULL);
    g_autoptr(Run) conflicts = cli (f, "conflicts", NULL);
    g_auto(GStrv) columns = NULL;

    assert_ok (set_central);
    assert_ok (set_sfax);
    assert_ok (export);
    assert_ok (import);
    assert_ok (conflicts);
    g_assert_nonnull (strstr (conflicts->out, id));
    g_assert_nonnull (strstr (conflicts->out, "Amal"));
    g_assert_nonnull (strstr (conflicts->out, "Amina"));
    columns = g_strsplit (conflicts->out, "\t", 2);
    conflict_id = g_strdup (columns[0]);
  }

  {
    g_autoptr(Run) peers = cli (f, "peers", NULL);
    g_autoptr(Run) resolve = cli (f, "conflicts", "resolve", conflict_id, "--value", "Amel", NULL);
    g_autoptr(Run) conflicts = cli (f, "conflicts", NULL);
    g_autoptr(Run) show = cli (f, "case", "show", id, NULL);

    assert_ok (peers);
    g_assert_nonnull (strstr (peers->out, central_id));
    assert_ok (resolve);
    assert_ok (conflicts);
    g_assert_cmpstr (conflicts->out, ==, "");
    assert_ok (show);
    g_assert_nonnull (strstr (show->out, "\ngiven_name: Amel\n"));
  }

  /* The resolution syncs back: both replicas print the same bytes. */
  {
    g_autoptr(Run) export = cli (f, "export", "--all", "--output", to_central, NULL);
    g_autoptr(Run) import = cli_env (NULL, "--database", central, "import", to_central, NULL);
    g_autoptr(Run) dump_run = cli_env (NULL, "--database", central, "dump", NULL);

    assert_ok (export);
    assert_ok (import);
    assert_ok (dump_run);
    g_clear_pointer (&dump_sfax, g_free);
    dump_sfax = dump (f);
    g_assert_cmpstr (dump_run->out, ==, dump_sfax);
  }

  /* Refused: a file that is no bundle (2), a missing option (1); nothing changes. */
  g_assert_true (g_file_set_contents (garbage, "not a bundle\n", -1, NULL));
  {
    g_autoptr(Run) import = cli (f, "import", garbage, NULL);
    g_autoptr(Run) export = cli (f, "export", "--all", NULL);
    g_autoptr(Run) resolve = cli (f, "conflicts", "resolve", "999", "--keep-other", NULL);

    assert_refused (import, 2, "garbage.awda", NULL);
    assert_usage_error (export, "--output");
    g_assert_cmpint (resolve->status, ==, 2);
  }
  dump_central = dump (f);
  g_assert_cmpstr (dump_central, ==, dump_sfax);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_unsetenv ("AWDA_DATABASE");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/cli/usage/help", test_usage_help);
  ADD ("/cli/usage/errors", test_usage_errors);
  ADD ("/cli/init/site", test_init_site);
  ADD ("/cli/init/site-id", test_init_site_id);
  ADD ("/cli/init/existing", test_init_existing);
  ADD ("/cli/database/choice", test_database_choice);
  ADD ("/cli/database/missing", test_database_missing);
  ADD ("/cli/storage/failure", test_storage_failure);
  ADD ("/cli/storage/upgrade-said", test_upgrade_said);
  ADD ("/cli/case/round-trip", test_case_round_trip);
  ADD ("/cli/case/set", test_case_set);
  ADD ("/cli/case/refused", test_case_refused);
  ADD ("/cli/case/list", test_case_list);
  ADD ("/cli/dump/check", test_dump_check);
  ADD ("/cli/check/problem", test_check_problem);
  ADD ("/cli/demo/deterministic", test_demo_deterministic);
  ADD ("/cli/sync/exchange", test_sync_exchange);

#undef ADD

  return g_test_run ();
}

/* test-sync-kill.c: an import killed at any point, an export on a full disk
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A child process imports a large bundle and is killed with SIGKILL at
 * random points: each time the database passes `check`, holds either all
 * of the bundle or none of it, and importing again converges to the same
 * dump as an import never interrupted. An export to a full disk fails
 * with a clear error and leaves no file under the target name.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "awda-bundle-private.h"
#include "sync-test-util.h"

#define CHILD_IMPORT "--child-import"

typedef struct
{
  char     *dir;
  TestSite *sender;
  char     *first;      /* the first part of the sender's data */
  char     *bundle;     /* all of it */
  char     *expected;   /* the dump of any replica that took it all */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_cases = GPOINTER_TO_UINT (data);

  f->dir = g_dir_make_tmp ("awda-kill-XXXXXX", &error);
  g_assert_no_error (error);
  f->sender = test_site_new (f->dir, "sender", "regional");
  f->first = g_strdup_printf ("%s/first.awda", f->dir);
  f->bundle = g_strdup_printf ("%s/all.awda", f->dir);

  g_assert_true (awda_store_begin (f->sender->store, &error));
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *name = g_strdup_printf ("Mourad %u", i);
      g_autofree char *id = NULL;

      id = test_write (f->sender, "case", NULL, "given_name", name, "family_name", "Gharbi",
                       "status", "plan", "phone", "+216 98 765 432", "address", "Cité Ennasr\nTunis", NULL);
      if (i % 3 == 0)
        g_free (test_write (f->sender, "household_member", NULL, "case_id", id, "name", "Sarra", NULL));
      if (i == n_cases / 4)
        {
          g_assert_true (awda_store_commit (f->sender->store, &error));
          test_export (f->sender, NULL, f->first);
          g_assert_true (awda_store_begin (f->sender->store, &error));
        }
    }
  g_assert_true (awda_store_commit (f->sender->store, &error));
  test_export (f->sender, NULL, f->bundle);
  f->expected = test_dump (f->sender->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_site_free (f->sender);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->first);
  g_free (f->bundle);
  g_free (f->expected);
}

static GPid
spawn_import (const char *db,
              const char *bundle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  const char *argv[] = { self, CHILD_IMPORT, db, bundle, NULL };
  GPid pid;

  g_assert_no_error (error);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static int
wait_child (GPid pid)
{
  int status;

  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  return status;
}

static void
test_kill_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autofree char *empty = NULL;
  g_autofree char *partial = NULL;
  gint64 duration;
  guint n_rolled_back = 0, n_committed = 0;

  /* How long an import takes here, uninterrupted. */
  {
    TestSite *r = test_site_new (f->dir, "timing", "central");
    g_autoptr(AwdaSyncImport) first = test_import (r, f->first);
    gint64 start;
    int status;

    partial = test_dump (r->store);
    test_site_close (r);
    start = g_get_monotonic_time ();
    status = wait_child (spawn_import (r->path, f->bundle));
    duration = g_get_monotonic_time () - start;
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    test_site_reopen (r);
    {
      g_autofree char *dump = test_dump (r->store);
      g_assert_cmpstr (dump, ==, f->expected);
    }
    test_site_free (r);
  }
  g_test_message ("an uninterrupted import takes %.2f s", duration / 1e6);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *name = g_strdup_printf ("receiver-%u", i);
      g_autofree char *dump = NULL;
      g_autofree char *again = NULL;
      g_autoptr(AwdaSyncImport) first = NULL;
      g_autoptr(AwdaSyncImport) result = NULL;
      TestSite *r = test_site_new (f->dir, name, "central");
      gint64 delay;
      int status;
      GPid pid;

      /* It already holds part of the sender's data. */
      first = test_import (r, f->first);
      test_site_close (r);

      /* Anywhere from the start to a little past the end. */
      delay = g_rand_int_range (rand, 0, (gint32) (duration * 11 / 10 + 1));
      pid = spawn_import (r->path, f->bundle);
      g_usleep ((gulong) delay);
      kill (pid, SIGKILL);
      status = wait_child (pid);

      /* The database is sound, and holds all of the bundle or none of it. */
      test_site_reopen (r);
      g_assert_true (awda_store_check (r->store, problems, &error));
      g_assert_no_error (error);
      for (guint j = 0; j < problems->len; j++)
        g_error ("killed after %.3f s: %s", delay / 1e6, (char *) g_ptr_array_index (problems, j));
      dump = test_dump (r->store);
      if (g_strcmp0 (dump, f->expected) == 0)
        n_committed++;
      else if (g_strcmp0 (dump, partial) == 0)
        n_rolled_back++;
      else
        g_error ("killed after %.3f s, the database holds part of the bundle", delay / 1e6);

      /* Importing again converges. */
      result = test_import (r, f->bundle);
      again = test_dump (r->store);
      g_assert_cmpstr (again, ==, f->expected);
      g_test_message ("killed after %.3f s (%s): %s; then %" G_GUINT64_FORMAT " applied",
                      delay / 1e6, WIFSIGNALED (status) ? "killed" : "had finished",
                      g_strcmp0 (dump, partial) == 0 ? "rolled back" : "committed", result->applied);
      test_site_free (r);
    }

  /* The kills fell both before and after the commit. */
  g_assert_cmpuint (n_rolled_back, >, 0);
  g_test_message ("%u rolled back, %u committed", n_rolled_back, n_committed);
}

/* Full disks */

static void
assert_no_bundle_left (const char *dir,
                       const char *path)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Nor its temporary file. */
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part"));
}

static void
test_disk_full_fault (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSyncExport) result = NULL;
  g_autofree char *path = g_strdup_printf ("%s/full.awda", f->dir);
  gint64 bundles_out = test_query_int (f->sender->store, "SELECT count (*) FROM sync_bundle");

  /* The writer fails as on a full disk after 64 kB. */
  awda_bundle_set_write_limit (64 * 1024);
  result = awda_sync_export (f->sender->store, NULL, path, NULL, NULL, NULL, &error);
  awda_bundle_set_write_limit (-1);

  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "full.awda"));
  assert_no_bundle_left (f->dir, path);
  /* Nothing recorded as sent. */
  g_assert_cmpint (test_query_int (f->sender->store, "SELECT count (*) FROM sync_bundle"), ==, bundles_out);

  /* An existing file of that name is left as it was. */
  g_assert_true (g_file_set_contents (path, "older bundle", -1, NULL));
  awda_bundle_set_write_limit (1000);
  g_clear_error (&error);
  result = awda_sync_export (f->sender->store, NULL, path, NULL, NULL, NULL, &error);
  awda_bundle_set_write_limit (-1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "older bundle");
  }
}

static guint64
free_bytes (const char *dir)
{
  struct statvfs st;

  g_assert_cmpint (statvfs (dir, &st), ==, 0);
  return (guint64) st.f_bavail * st.f_frsize;
}

static void
test_disk_full_tmpfs (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSyncExport) result = NULL;
  g_autofree char *mnt = g_strdup_printf ("%s/stick", f->dir);
  g_autofree char *path = g_strdup_printf ("%s/full.awda", mnt);
  guint64 before;

  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  /* A USB stick with 48 kB free: root can mount one; others cannot,
   * and the fault-injecting test above stands in for it. */
  if (mount ("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=48k") != 0)
    {
      g_autofree char *why = g_strdup_printf ("cannot mount a small tmpfs here (%s)", g_strerror (errno));

      g_rmdir (mnt);
      g_test_skip (why);
      return;
    }
  before = free_bytes (mnt);

  result = awda_sync_export (f->sender->store, NULL, path, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_test_message ("%s", error->message);
  assert_no_bundle_left (mnt, path);
  /* The space of the half-written file is given back. */
  g_assert_cmpuint (free_bytes (mnt), ==, before);

  g_assert_cmpint (umount (mnt), ==, 0);
  g_rmdir (mnt);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && strcmp (argv[1], CHILD_IMPORT) == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AwdaStore) store = awda_store_open (argv[2], &error);
      g_autoptr(AwdaSyncImport) result = NULL;

      if (store != NULL)
        result = awda_sync_import (store, argv[3], NULL, NULL, NULL, &error);
      if (result == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/sync/kill/import", Fixture, GUINT_TO_POINTER (5000), fixture_set_up, test_kill_import, fixture_tear_down);
  g_test_add ("/sync/disk-full/fault", Fixture, GUINT_TO_POINTER (2000), fixture_set_up, test_disk_full_fault, fixture_tear_down);
  g_test_add ("/sync/disk-full/tmpfs", Fixture, GUINT_TO_POINTER (2000), fixture_set_up, test_disk_full_tmpfs, fixture_tear_down);

  return g_test_run ();
}

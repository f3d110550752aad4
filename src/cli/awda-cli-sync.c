/* awda-cli-sync.c: the sync commands of awda-cli
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * export, import, conflicts and peers: each parses its options strictly,
 * calls the core's sync once, and prints one line per result on stdout.
 * A refused bundle is exit status 2, whatever in it was wrong; the disk
 * or the database failing is 3.
 */

#define G_LOG_DOMAIN "awda-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "awda-bundle.h"
#include "awda-cli-sync.h"
#include "awda-sync.h"

#define PROGRAM_NAME "awda-cli"

/* A bundle refused, or a file that cannot be read, is refused input
 * (exit 2), with the file named; the rest as the other commands do. */
static int
report_file_error (const char   *file,
                   const GError *error)
{
  g_autoptr(GError) shown = NULL;
  g_autofree char *display = g_filename_display_name (file);
  gboolean refused;

  refused = error->domain == AWDA_BUNDLE_ERROR ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);

  /* The bundle's own messages say what and where, not which file. */
  if (error->domain == AWDA_BUNDLE_ERROR)
    shown = g_error_new (AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID, "%s: %s", display, error->message);
  else if (refused)
    shown = g_error_new_literal (AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID, error->message);
  else
    shown = g_error_copy (error);
  return awda_cli_report_error (shown);
}

/* Parses @entries out of argv (argv[0] is the command); the arguments
 * left are returned in @rest. */
static gboolean
parse_options (int                 argc,
               char              **argv,
               const GOptionEntry *entries,
               char             ***rest,
               GError            **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  g_auto(GStrv) remaining = NULL;
  const GOptionEntry remaining_entry[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &remaining, NULL, NULL },
    { NULL }
  };

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  g_option_context_set_help_enabled (context, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, remaining_entry, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &args, error))
    return FALSE;

  *rest = remaining ? g_steal_pointer (&remaining) : g_new0 (char *, 1);
  return TRUE;
}

static void
print_escaped (const char *value)
{
  for (const char *p = value; p != NULL && *p; p++)
    switch (*p)
      {
      case '\\': fputs ("\\\\", stdout); break;
      case '\n': fputs ("\\n", stdout); break;
      case '\r': fputs ("\\r", stdout); break;
      case '\t': fputs ("\\t", stdout); break;
      default: fputc (*p, stdout); break;
      }
}

/* Progress on a terminal, ten times a second at most. */
typedef struct
{
  const char *what;
  gint64      last;
  gboolean    shown;
} Progress;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();

  if (fraction < 1.0 && progress->shown && now - progress->last < G_USEC_PER_SEC / 10)
    return;
  progress->last = now;
  progress->shown = TRUE;
  g_printerr ("\r%s %3d%%", progress->what, (int) (fraction * 100));
}

static void
progress_end (Progress *progress)
{
  if (progress->shown)
    g_printerr ("\n");
  progress->shown = FALSE;
}

/* export */

int
awda_cli_export (AwdaStore  *store,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSyncExport) result = NULL;
  g_autofree char *to = NULL;
  g_autofree char *output = NULL;
  g_autofree char *display = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean all = FALSE;
  Progress progress = { _("Exporting"), 0, FALSE };
  gboolean on_terminal = isatty (STDERR_FILENO);
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, N_("The site the bundle is for"), N_("SITE_ID") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every change, for any site"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The bundle file to write"), N_("FILE") },
    { NULL }
  };

  if (!parse_options (argc, argv, entries, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] != NULL)
    return awda_cli_usage_error (_("The command “%s” takes no argument, but “%s” was given."), "export", rest[0]);
  if ((to == NULL) == !all)
    return awda_cli_usage_error (_("The command “%s” needs either --to SITE_ID or --all."), "export");
  if (output == NULL || output[0] == '\0')
    return awda_cli_usage_error (_("The command “%s” needs the option %s."), "export", "--output");

  result = awda_sync_export (store, to, output,
                             on_terminal ? progress_cb : NULL, &progress, NULL, &error);
  progress_end (&progress);
  if (result == NULL)
    return report_file_error (output, error);

  display = g_filename_display_name (output);
  printf (ngettext ("%llu change written to %s.", "%llu changes written to %s.", (gulong) result->n_changes),
          (unsigned long long) result->n_changes, display);
  fputc ('\n', stdout);
  return AWDA_EXIT_OK;
}

/* import */

int
awda_cli_import (AwdaStore  *store,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  gboolean on_terminal = isatty (STDERR_FILENO);
  int status = AWDA_EXIT_OK;

  if (!parse_options (argc, argv, NULL, &files, &error))
    return awda_cli_report_error (error);
  if (files[0] == NULL)
    return awda_cli_usage_error (_("The command “%s” needs at least one bundle file."), "import");

  /* Each bundle on its own: one refused leaves the others to import. */
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(AwdaSyncImport) result = NULL;
      g_autofree char *display = g_filename_display_name (files[i]);
      Progress progress = { _("Importing"), 0, FALSE };

      result = awda_sync_import (store, files[i], on_terminal ? progress_cb : NULL, &progress,
                                 NULL, &local_error);
      progress_end (&progress);
      if (result == NULL)
        {
          int file_status;

          fflush (stdout);
          file_status = report_file_error (files[i], local_error);
          status = MAX (status, file_status);
          continue;
        }

      printf (_("%s: %llu applied, %llu already present, %llu conflicts kept"),
              display, (unsigned long long) result->applied, (unsigned long long) result->present,
              (unsigned long long) result->conflicts);
      if (result->quarantined > 0)
        printf (_(", %llu quarantined because their clock is more than a day ahead"),
                (unsigned long long) result->quarantined);
      if (result->released > 0)
        printf (_(", %llu released from quarantine"), (unsigned long long) result->released);
      fputs (".\n", stdout);
    }

  return status;
}

/* conflicts */

static void
print_site (const char *id,
            const char *name)
{
  if (id == NULL)
    return;
  if (name != NULL && name[0] != '\0')
    {
      print_escaped (name);
      printf (" (%s)", id);
    }
  else
    fputs (id, stdout);
}

static int
conflicts_resolve (AwdaStore  *store,
                   int         argc,
                   char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean keep_current = FALSE, keep_other = FALSE;
  AwdaSyncResolution resolution;
  guint64 id;
  const GOptionEntry entries[] = {
    { "keep-current", 0, 0, G_OPTION_ARG_NONE, &keep_current, N_("Keep the current value"), NULL },
    { "keep-other", 0, 0, G_OPTION_ARG_NONE, &keep_other, N_("Take the kept value instead"), NULL },
    { "value", 0, 0, G_OPTION_ARG_FILENAME, &value, N_("Write this value instead of either"), N_("VALUE") },
    { NULL }
  };

  if (!parse_options (argc, argv, entries, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] == NULL)
    return awda_cli_usage_error (_("The command “%s” needs the id of a conflict, as “conflicts” lists them."),
                        "conflicts resolve");
  if (rest[1] != NULL)
    return awda_cli_usage_error (_("The command “%s” takes one conflict id, but “%s” was also given."),
                        "conflicts resolve", rest[1]);
  if (!g_ascii_string_to_unsigned (rest[0], 10, 1, G_MAXINT64, &id, NULL))
    return awda_cli_usage_error (_("Invalid conflict id “%s”: expected a number as “conflicts” lists them."), rest[0]);
  if ((keep_current ? 1 : 0) + (keep_other ? 1 : 0) + (value != NULL ? 1 : 0) != 1)
    return awda_cli_usage_error (_("The command “%s” needs one of --keep-current, --keep-other or --value VALUE."),
                        "conflicts resolve");

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_autofree char *converted = g_locale_to_utf8 (value, -1, NULL, NULL, NULL);

      if (converted == NULL)
        {
          g_set_error (&error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                       _("The value given with --value is neither UTF-8 nor in the current locale’s encoding."));
          return awda_cli_report_error (error);
        }
      g_free (value);
      value = g_steal_pointer (&converted);
    }

  resolution = keep_current ? AWDA_SYNC_KEEP_CURRENT : keep_other ? AWDA_SYNC_KEEP_OTHER : AWDA_SYNC_KEEP_VALUE;
  if (!awda_sync_resolve_conflict (store, (gint64) id, resolution, value, &error))
    return awda_cli_report_error (error);

  printf (_("Conflict %llu resolved."), (unsigned long long) id);
  fputc ('\n', stdout);
  return AWDA_EXIT_OK;
}

int
awda_cli_conflicts (AwdaStore  *store,
                    int         argc,
                    char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) quarantine = NULL;
  g_auto(GStrv) rest = NULL;

  if (argc >= 2 && g_str_equal (argv[1], "resolve"))
    return conflicts_resolve (store, argc - 1, argv + 1);

  if (!parse_options (argc, argv, NULL, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] != NULL)
    return awda_cli_usage_error (_("Unknown command “%s %s”: expected “conflicts” or “conflicts resolve”."),
                        "conflicts", rest[0]);

  conflicts = awda_sync_list_conflicts (store, &error);
  if (conflicts == NULL)
    return awda_cli_report_error (error);
  quarantine = awda_sync_list_quarantine (store, &error);
  if (quarantine == NULL)
    return awda_cli_report_error (error);

  /* id, entity, record, field, current value and site, kept value and site */
  for (guint i = 0; i < conflicts->len; i++)
    {
      AwdaSyncConflict *c = g_ptr_array_index (conflicts, i);

      printf ("%lld\t%s\t%s\t%s\t", (long long) c->id, c->entity, c->record, c->field);
      print_escaped (c->current_value);
      fputc ('\t', stdout);
      print_site (c->current_site, c->current_site_name);
      fputc ('\t', stdout);
      print_escaped (c->kept_value);
      fputc ('\t', stdout);
      print_site (c->kept_site, c->kept_site_name);
      fputc ('\n', stdout);
    }

  /* Changes set aside are shown too: they wait for a person as well. */
  for (guint i = 0; i < quarantine->len; i++)
    {
      AwdaSyncQuarantined *q = g_ptr_array_index (quarantine, i);

      printf ("quarantined\t%s\t%lld\t%s\t%s\t%s\t", q->origin, (long long) q->seq,
              q->entity, q->record, q->field);
      print_escaped (q->value);
      fputc ('\t', stdout);
      print_escaped (q->reason);
      fputc ('\n', stdout);
    }

  return AWDA_EXIT_OK;
}

/* peers */

static void
print_line (const char *key,
            const char *value)
{
  printf ("%s: ", key);
  print_escaped (value);
  fputc ('\n', stdout);
}

int
awda_cli_peers (AwdaStore  *store,
                int         argc,
                char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  g_auto(GStrv) rest = NULL;

  if (!parse_options (argc, argv, NULL, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] != NULL)
    return awda_cli_usage_error (_("The command “%s” takes no argument, but “%s” was given."), "peers", rest[0]);

  peers = awda_sync_list_peers (store, &error);
  if (peers == NULL)
    return awda_cli_report_error (error);

  for (guint i = 0; i < peers->len; i++)
    {
      AwdaSyncPeer *peer = g_ptr_array_index (peers, i);
      g_autofree char *in = NULL;
      g_autofree char *out = NULL;

      if (i > 0)
        fputc ('\n', stdout);

      in = peer->last_in_at ? g_strdup_printf (_("%s, bundle %s"), peer->last_in_at, peer->last_in_bundle)
                            : g_strdup (_("never"));
      out = peer->last_out_at ? g_strdup_printf (_("%s, bundle %s"), peer->last_out_at, peer->last_out_bundle)
                              : g_strdup (_("never"));

      print_line ("id", peer->id);
      print_line ("name", peer->name ? peer->name : "");
      print_line ("last in", in);
      print_line ("last out", out);
      if (peer->acknowledged->len == 0)
        print_line ("acknowledged", _("nothing yet"));
      for (guint j = 0; j < peer->acknowledged->len; j++)
        {
          AwdaSyncVectorEntry *entry = g_ptr_array_index (peer->acknowledged, j);

          fputs ("acknowledged: ", stdout);
          print_site (entry->origin, entry->origin_name);
          printf (_(" up to change %lld"), (long long) entry->seq);
          fputc ('\n', stdout);
        }
      printf ("pending: %llu\n", (unsigned long long) peer->pending);
      if (peer->quarantined > 0)
        printf ("quarantined: %llu\n", (unsigned long long) peer->quarantined);
    }

  return AWDA_EXIT_OK;
}

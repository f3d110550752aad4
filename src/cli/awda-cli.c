/* awda-cli.c: the awda-cli commands, a thin layer over the case store
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command parses its own options (strictly: an unknown option or a
 * stray argument is a usage error), calls the core once, and prints its
 * result on stdout. Data goes to stdout as the UTF-8 bytes the store holds,
 * whatever the locale, so that scripts and dumps compare byte for byte;
 * messages go to stderr, one sentence each, through awda_cli_report_error().
 */

#define G_LOG_DOMAIN "awda-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "awda-cli-report.h"
#include "awda-cli-sync.h"
#include "awda-cli.h"
#include "awda-demo.h"
#include "awda-dictionary.h"
#include "awda-store.h"

#define PROGRAM_NAME "awda-cli"

/* Cases are fetched for `case list` this many at a time. */
#define LIST_PAGE_SIZE 256

/* Creates the database instead of opening it: `init` alone. */
typedef int (*CreateFunc) (const char *path,
                           int         argc,
                           char      **argv);

typedef struct
{
  const char         *name;
  AwdaCliCommandFunc  func;
  CreateFunc          create;
} Command;

typedef struct
{
  const char *synopsis;  /* N_() */
  const char *summary;   /* N_() */
} UsageLine;

static const UsageLine usage_lines[] = {
  { N_("init --site-name NAME --site-kind central|regional|field [--governorate TN-xx] [--site-id HEX32]"),
    N_("Create the database and this installation’s site identity (--site-id: for tests and restores only).") },
  { N_("site"),
    N_("Show this installation’s site identity.") },
  { N_("case new FIELD=VALUE…"),
    N_("Create a case and print its id.") },
  { N_("case set CASE_ID FIELD=VALUE…"),
    N_("Change fields of a case; an empty VALUE clears the field.") },
  { N_("case show CASE_ID"),
    N_("Print a case, one “field: value” a line.") },
  { N_("case list [--search TEXT] [--status STATUS] [--limit N]"),
    N_("List cases: id, names, status.") },
  { N_("dump"),
    N_("Print every record, one field a line, sorted.") },
  { N_("check"),
    N_("Check the database and the store’s invariants.") },
  { N_("demo --cases N [--seed S]"),
    N_("Add N synthetic demo cases, the same for the same seed.") },
  { N_("export (--to SITE_ID | --all) --output FILE"),
    N_("Write a sync bundle of every change the site is not known to hold, and print how many.") },
  { N_("import FILE…"),
    N_("Apply sync bundles: a line a bundle with the changes applied, already present and kept as conflicts.") },
  { N_("conflicts"),
    N_("List the kept conflicts.") },
  { N_("conflicts resolve CONFLICT_ID (--keep-current | --keep-other | --value VALUE)"),
    N_("Resolve a conflict with an ordinary write, which syncs.") },
  { N_("peers"),
    N_("List the known sites, their last bundles in and out, what each acknowledged and what is pending for it.") },
  { N_("report [--from DATE] [--to DATE] [--office ID] [--programme ID] [--today DATE] (--pdf FILE | --csv DIR)"),
    N_("Write the periodic report as a PDF, or every indicator table as CSV files in a folder.") },
  { N_("case sheet CASE_ID --pdf FILE"),
    N_("Write the summary sheet of a case as a PDF.") },
  { N_("help"),
    N_("Show this help.") },
};

/* Messages */

static void
print_usage (FILE *stream)
{
  g_autofree char *default_path = awda_store_default_path ();
  g_autofree char *default_display = g_filename_display_name (default_path);
  g_autofree char *synopsis = g_strdup_printf (_("Usage: %s [--database FILE] COMMAND…"), PROGRAM_NAME);
  g_autofree char *database = g_strdup_printf (_("The database is FILE, else $AWDA_DATABASE, else the user’s own; without --database it is %s."),
                                               default_display);

  fputs (synopsis, stream);
  fputs ("\n\n", stream);
  fputs (_("Commands:"), stream);
  fputc ('\n', stream);
  for (guint i = 0; i < G_N_ELEMENTS (usage_lines); i++)
    fprintf (stream, "  %s\n      %s\n", _(usage_lines[i].synopsis), _(usage_lines[i].summary));
  fputc ('\n', stream);
  fputs (database, stream);
  fputc ('\n', stream);
  fputs (_("Exit status: 0 success, 1 usage error, 2 refused input, 3 storage failure."), stream);
  fputc ('\n', stream);
}

/* Ends @message with a full stop unless it already ends a sentence. */
static void
append_sentence (GString    *out,
                 const char *message)
{
  gsize len = strlen (message);

  while (len > 0 && g_ascii_isspace (message[len - 1]))
    len--;
  g_string_append_len (out, message, len);
  if (len > 0
      && !g_str_has_suffix (out->str, ".")
      && !g_str_has_suffix (out->str, "!")
      && !g_str_has_suffix (out->str, "?")
      && !g_str_has_suffix (out->str, "…"))
    g_string_append_c (out, '.');
}

int
awda_cli_report_error (const GError *error)
{
  g_autoptr(GString) message = g_string_new (PROGRAM_NAME ": ");
  int status = AWDA_EXIT_STORAGE;

  g_return_val_if_fail (error != NULL, AWDA_EXIT_STORAGE);

  if (error->domain == AWDA_STORE_ERROR)
    {
      switch ((AwdaStoreError) error->code)
        {
        case AWDA_STORE_ERROR_INVALID:
        case AWDA_STORE_ERROR_NOT_FOUND:
        case AWDA_STORE_ERROR_EXISTS:
        case AWDA_STORE_ERROR_TOO_NEW:
          status = AWDA_EXIT_REFUSED;
          break;

        case AWDA_STORE_ERROR_NOT_INITIALIZED:
          {
            g_autofree char *reason = NULL;
            gsize len;

            if (strstr (error->message, PROGRAM_NAME " init") != NULL)
              {
                status = AWDA_EXIT_REFUSED;
                break;
              }

            /* One sentence: the store's reason, then what to do about it. */
            reason = g_strdup (error->message);
            g_strchomp (reason);
            len = strlen (reason);
            if (len > 0 && reason[len - 1] == '.')
              reason[len - 1] = '\0';
            g_string_append_printf (message, _("%s; run “%s init” first."),
                                    reason, PROGRAM_NAME);
            g_printerr ("%s\n", message->str);
            return AWDA_EXIT_REFUSED;
          }

        case AWDA_STORE_ERROR_STORAGE:
        default:
          status = AWDA_EXIT_STORAGE;
          break;
        }
    }
  else if (error->domain == G_OPTION_ERROR)
    status = AWDA_EXIT_USAGE;
  else
    status = AWDA_EXIT_STORAGE;  /* files, streams: the disk failed */

  append_sentence (message, error->message);
  g_printerr ("%s\n", message->str);
  return status;
}

int
awda_cli_usage_error (const char *format,
                      ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
  return awda_cli_report_error (error);
}

/* Arguments */

/* Arguments are taken as raw bytes (G_OPTION_ARG_FILENAME) so that UTF-8
 * text typed in a C locale is not refused; text in a legacy locale
 * encoding is converted. */
static char *
arg_to_utf8 (const char  *arg,
             const char  *what,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *text;

  if (g_utf8_validate (arg, -1, NULL))
    return g_strdup (arg);

  text = g_locale_to_utf8 (arg, -1, NULL, NULL, &local_error);
  if (text == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (arg, -1);

      /* Refused input, like any other invalid value. */
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The text “%s” given for %s is neither UTF-8 nor in the current locale’s encoding."),
                   shown, what);
    }
  return text;
}

static gboolean
convert_arg (char       **arg,
             const char  *what,
             GError     **error)
{
  char *text;

  if (*arg == NULL)
    return TRUE;

  text = arg_to_utf8 (*arg, what, error);
  if (text == NULL)
    return FALSE;
  g_free (*arg);
  *arg = text;
  return TRUE;
}

static char **
copy_args (int    argc,
           char **argv)
{
  char **copy = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    copy[i] = g_strdup (argv[i]);
  return copy;
}

/* Parses a command's options out of argv (argv[0] is the command's name);
 * whatever is not an option is returned in @rest, converted to UTF-8.
 * The entries must not include G_OPTION_REMAINING. */
static gboolean
parse_options (int                 argc,
               char              **argv,
               const GOptionEntry *entries,
               char             ***rest,
               GError            **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) args = copy_args (argc, argv);
  g_auto(GStrv) remaining = NULL;
  const GOptionEntry remaining_entry[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &remaining, NULL, NULL },
    { NULL }
  };

  g_option_context_set_help_enabled (context, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, remaining_entry, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, &args, error))
    return FALSE;

  /* G_OPTION_REMAINING collects every non-option argument, so nothing but
   * the command's name is left. */
  g_assert (g_strv_length (args) <= 1);

  if (remaining == NULL)
    remaining = g_new0 (char *, 1);
  for (guint i = 0; remaining[i] != NULL; i++)
    if (!convert_arg (&remaining[i], _("an argument"), error))
      return FALSE;

  *rest = g_steal_pointer (&remaining);
  return TRUE;
}

static gboolean
parse_no_arguments (int          argc,
                    char       **argv,
                    GError     **error)
{
  g_auto(GStrv) rest = NULL;

  if (!parse_options (argc, argv, NULL, &rest, error))
    return FALSE;

  if (rest[0] != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("The command “%s” takes no argument, but “%s” was given."),
                   argv[0], rest[0]);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_count (const char  *option,
             const char  *text,
             guint64      max,
             guint64     *value,
             GError     **error)
{
  if (text == NULL
      || !g_ascii_string_to_unsigned (text, 10, 1, max, value, NULL))
    {
      g_autofree char *max_text = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invalid value “%s” for %s: expected a whole number from %s to %s."),
                   text ? text : "", option, "1", max_text);
      return FALSE;
    }
  return TRUE;
}

/* Output */

/* Values may hold line breaks (addresses, notes): escaped so that a value
 * stays on its line. */
static void
print_escaped (const char *value)
{
  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '\\': fputs ("\\\\", stdout); break;
        case '\n': fputs ("\\n", stdout); break;
        case '\r': fputs ("\\r", stdout); break;
        case '\t': fputs ("\\t", stdout); break;
        default: fputc (*p, stdout); break;
        }
    }
}

static void
print_field (const char *name,
             const char *value)
{
  fputs (name, stdout);
  fputs (": ", stdout);
  print_escaped (value);
  fputc ('\n', stdout);
}

static gboolean
flush_stdout (GError **error)
{
  int saved_errno;

  if (fflush (stdout) == 0 && !ferror (stdout))
    return TRUE;

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write to the standard output: %s."),
               g_strerror (saved_errno));
  return FALSE;
}

/* init */

static int
create_database (const char  *path,
                 int          argc,
                 char       **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) store = NULL;
  g_autofree char *site_name = NULL;
  g_autofree char *site_kind = NULL;
  g_autofree char *governorate = NULL;
  g_autofree char *site_id = NULL;
  g_autofree char *folder = NULL;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "site-name", 0, 0, G_OPTION_ARG_FILENAME, &site_name, N_("The office’s name"), N_("NAME") },
    { "site-kind", 0, 0, G_OPTION_ARG_FILENAME, &site_kind, N_("central, regional or field"), N_("KIND") },
    { "governorate", 0, 0, G_OPTION_ARG_FILENAME, &governorate, N_("The office’s governorate, TN-xx"), N_("CODE") },
    { "site-id", 0, 0, G_OPTION_ARG_FILENAME, &site_id, N_("A given site id, for tests and restores"), N_("HEX32") },
    { NULL }
  };

  if (!parse_options (argc, argv, entries, &rest, &error)
      || !convert_arg (&site_name, "--site-name", &error)
      || !convert_arg (&site_kind, "--site-kind", &error)
      || !convert_arg (&governorate, "--governorate", &error)
      || !convert_arg (&site_id, "--site-id", &error))
    return awda_cli_report_error (error);

  if (rest[0] != NULL)
    return awda_cli_usage_error (_("The command “%s” takes no argument, but “%s” was given."),
                        "init", rest[0]);
  if (site_name == NULL)
    return awda_cli_usage_error (_("The command “%s” needs the option %s."), "init", "--site-name");
  if (site_kind == NULL)
    return awda_cli_usage_error (_("The command “%s” needs the option %s."), "init", "--site-kind");

  /* The data is personal: the folder is the user's alone. */
  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (folder);

      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s."),
                   display, g_strerror (saved_errno));
      return awda_cli_report_error (error);
    }

  if (site_id != NULL)
    store = awda_store_create_with_id (path, site_id, site_name, site_kind, governorate, &error);
  else
    store = awda_store_create (path, site_name, site_kind, governorate, &error);
  if (store == NULL)
    return awda_cli_report_error (error);

  printf ("%s\n", awda_store_get_site (store)->id);
  return AWDA_EXIT_OK;
}

/* site */

static int
site_command (AwdaStore  *store,
              int         argc,
              char      **argv)
{
  g_autoptr(GError) error = NULL;
  const AwdaSite *site;

  if (!parse_no_arguments (argc, argv, &error))
    return awda_cli_report_error (error);

  site = awda_store_get_site (store);
  print_field ("id", site->id);
  print_field ("name", site->name);
  print_field ("kind", site->kind);
  if (site->governorate != NULL && site->governorate[0] != '\0')
    print_field ("governorate", site->governorate);

  return AWDA_EXIT_OK;
}

/* case */

/* Adds FIELD=VALUE arguments to @edit, refusing a malformed or repeated one. */
static gboolean
add_assignments (AwdaEdit    *edit,
                 char       **assignments,
                 GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; assignments[i] != NULL; i++)
    {
      char *equal = strchr (assignments[i], '=');
      char *field;

      if (equal == NULL || equal == assignments[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Expected FIELD=VALUE, but “%s” was given."),
                       assignments[i]);
          return FALSE;
        }

      field = g_strndup (assignments[i], equal - assignments[i]);
      if (g_hash_table_contains (seen, field))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The field “%s” is given more than once."), field);
          g_free (field);
          return FALSE;
        }

      awda_edit_set (edit, field, equal + 1);
      g_hash_table_add (seen, field);
    }

  return TRUE;
}

/* Writes the assignments as one edit of a new case (@case_id NULL, whose
 * id is printed) or of an existing one: every field is written, or none. */
static int
write_case (AwdaStore   *store,
            const char  *case_id,
            char       **assignments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaEdit) edit = awda_edit_new ("case", case_id);

  if (!add_assignments (edit, assignments, &error)
      || !awda_store_apply (store, edit, &error))
    return awda_cli_report_error (error);

  if (case_id == NULL)
    printf ("%s\n", awda_edit_get_record (edit));
  return AWDA_EXIT_OK;
}

static int
case_new (AwdaStore  *store,
          int         argc,
          char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rest = NULL;

  if (!parse_options (argc, argv, NULL, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] == NULL)
    return awda_cli_usage_error (_("The command “%s” needs at least one FIELD=VALUE."), "case new");
  return write_case (store, NULL, rest);
}

static int
case_set (AwdaStore  *store,
          int         argc,
          char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rest = NULL;

  if (!parse_options (argc, argv, NULL, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] == NULL)
    return awda_cli_usage_error (_("The command “%s” needs a case id."), "case set");
  if (rest[1] == NULL)
    return awda_cli_usage_error (_("The command “%s” needs at least one FIELD=VALUE."), "case set");
  return write_case (store, rest[0], rest + 1);
}

static int
case_show (AwdaStore  *store,
           int         argc,
           char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_auto(GStrv) rest = NULL;

  if (!parse_options (argc, argv, NULL, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] == NULL)
    return awda_cli_usage_error (_("The command “%s” needs a case id."), "case show");
  if (rest[1] != NULL)
    return awda_cli_usage_error (_("The command “%s” takes one case id, but “%s” was also given."),
                        "case show", rest[1]);

  record = awda_store_get_record (store, "case", rest[0], &error);
  if (record == NULL)
    return awda_cli_report_error (error);

  print_field ("id", record->id);
  if (record->deleted)
    print_field (AWDA_FIELD_DELETED, "true");
  for (guint i = 0; i < record->entity->n_fields; i++)
    if (record->values[i] != NULL && record->values[i][0] != '\0')
      print_field (record->entity->fields[i].name, record->values[i]);

  return AWDA_EXIT_OK;
}

/* "given family", skipping empty parts. */
static void
print_name (const char *given,
            const char *family)
{
  gboolean has_given = given != NULL && given[0] != '\0';
  gboolean has_family = family != NULL && family[0] != '\0';

  if (has_given)
    fputs (given, stdout);
  if (has_given && has_family)
    fputc (' ', stdout);
  if (has_family)
    fputs (family, stdout);
}

static gboolean
check_stage (const char  *status,
             GError     **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  const AwdaField *field = awda_entity_lookup_field (entity, "status");
  g_autoptr(GString) stages = NULL;

  if (awda_field_lookup_value (field, status) != NULL)
    return TRUE;

  stages = g_string_new (NULL);
  for (const AwdaEnumValue *v = field->values; v->value != NULL; v++)
    {
      if (stages->len > 0)
        g_string_append (stages, ", ");
      g_string_append (stages, v->value);
    }

  g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
               _("Unknown stage “%s” for --status: expected one of %s."),
               status, stages->str);
  return FALSE;
}

static int
case_list (AwdaStore  *store,
           int         argc,
           char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autofree char *search = NULL;
  g_autofree char *status = NULL;
  g_autofree char *limit = NULL;
  g_auto(GStrv) rest = NULL;
  AwdaCaseQuery query = { 0 };
  guint64 n_limit = 0;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search, N_("Names, phone or ID number, prefix matched"), N_("TEXT") },
    { "status", 0, 0, G_OPTION_ARG_FILENAME, &status, N_("Only cases at this stage"), N_("STATUS") },
    { "limit", 0, 0, G_OPTION_ARG_FILENAME, &limit, N_("At most N cases"), N_("N") },
    { NULL }
  };

  if (!parse_options (argc, argv, entries, &rest, &error)
      || !convert_arg (&search, "--search", &error)
      || !convert_arg (&status, "--status", &error))
    return awda_cli_report_error (error);
  if (rest[0] != NULL)
    return awda_cli_usage_error (_("The command “%s” takes no argument, but “%s” was given."),
                        "case list", rest[0]);
  if (limit != NULL && !parse_count ("--limit", limit, G_MAXUINT, &n_limit, &error))
    return awda_cli_report_error (error);
  if (status != NULL && !check_stage (status, &error))
    return awda_cli_report_error (error);

  if (search != NULL)
    g_strstrip (search);

  query.search = (search != NULL && search[0] != '\0') ? search : NULL;
  query.status = status;
  query.sort = AWDA_CASE_SORT_NEWEST;
  query.limit = (guint) n_limit;

  rowids = awda_store_query_cases (store, &query, &error);
  if (rowids == NULL)
    return awda_cli_report_error (error);

  for (guint start = 0; start < rowids->len; start += LIST_PAGE_SIZE)
    {
      g_autoptr(GPtrArray) records = NULL;
      guint n = MIN (LIST_PAGE_SIZE, rowids->len - start);

      records = awda_store_fetch_cases (store, &g_array_index (rowids, gint64, start), n, &error);
      if (records == NULL)
        return awda_cli_report_error (error);

      for (guint i = 0; i < records->len; i++)
        {
          const AwdaRecord *record = g_ptr_array_index (records, i);
          const char *case_status = awda_record_get (record, "status");

          fputs (record->id, stdout);
          fputc ('\t', stdout);
          print_name (awda_record_get (record, "given_name"),
                      awda_record_get (record, "family_name"));
          fputc ('\t', stdout);
          print_name (awda_record_get (record, "given_name_ar"),
                      awda_record_get (record, "family_name_ar"));
          fputc ('\t', stdout);
          fputs (case_status ? case_status : "", stdout);
          fputc ('\n', stdout);
        }
    }

  return AWDA_EXIT_OK;
}

static const Command case_commands[] = {
  { "new", case_new, NULL },
  { "set", case_set, NULL },
  { "show", case_show, NULL },
  { "list", case_list, NULL },
  { "sheet", awda_cli_case_sheet, NULL },
};

static int
case_command (AwdaStore  *store,
              int         argc,
              char      **argv)
{
  if (argc < 2)
    {
      awda_cli_usage_error (_("The command “%s” needs one of new, set, show, list or sheet."), "case");
      print_usage (stderr);
      return AWDA_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (case_commands); i++)
    if (g_str_equal (argv[1], case_commands[i].name))
      return case_commands[i].func (store, argc - 1, argv + 1);

  awda_cli_usage_error (_("Unknown command “%s %s”."), "case", argv[1]);
  print_usage (stderr);
  return AWDA_EXIT_USAGE;
}

/* dump */

static int
dump_command (AwdaStore  *store,
              int         argc,
              char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GOutputStream) buffered = NULL;

  if (!parse_no_arguments (argc, argv, &error))
    return awda_cli_report_error (error);

  if (!flush_stdout (&error))
    return awda_cli_report_error (error);

  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  buffered = g_buffered_output_stream_new_sized (out, 64 * 1024);

  if (!awda_store_dump (store, buffered, &error)
      || !g_output_stream_close (buffered, NULL, &error))
    return awda_cli_report_error (error);

  return AWDA_EXIT_OK;
}

/* check */

static int
check_command (AwdaStore  *store,
               int         argc,
               char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  if (!parse_no_arguments (argc, argv, &error))
    return awda_cli_report_error (error);

  if (!awda_store_check (store, problems, &error))
    return awda_cli_report_error (error);

  if (problems->len == 0)
    {
      puts ("ok");
      return AWDA_EXIT_OK;
    }

  for (guint i = 0; i < problems->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (problems, i));

  return AWDA_EXIT_REFUSED;
}

/* demo */

typedef struct
{
  gint64   last_shown;
  gboolean shown;
} DemoProgress;

static void
demo_progress_cb (guint    done,
                  guint    total,
                  gpointer user_data)
{
  DemoProgress *progress = user_data;
  gint64 now = g_get_monotonic_time ();

  /* Ten times a second is enough for a person watching. */
  if (done < total && progress->shown && now - progress->last_shown < G_USEC_PER_SEC / 10)
    return;

  progress->last_shown = now;
  progress->shown = TRUE;
  g_printerr ("\r");
  g_printerr (_("Writing demo cases: %u of %u"), done, total);
}

static int
demo_command (AwdaStore  *store,
              int         argc,
              char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cases = NULL;
  g_autofree char *seed = NULL;
  g_auto(GStrv) rest = NULL;
  guint64 n_cases = 0;
  guint64 n_seed = 0;
  DemoProgress progress = { 0 };
  gboolean on_terminal = isatty (STDERR_FILENO);
  gboolean ok;
  const GOptionEntry entries[] = {
    { "cases", 0, 0, G_OPTION_ARG_FILENAME, &cases, N_("How many cases to write"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_FILENAME, &seed, N_("The random seed; the same seed gives the same data"), N_("S") },
    { NULL }
  };

  if (!parse_options (argc, argv, entries, &rest, &error))
    return awda_cli_report_error (error);
  if (rest[0] != NULL)
    return awda_cli_usage_error (_("The command “%s” takes no argument, but “%s” was given."),
                        "demo", rest[0]);
  if (cases == NULL)
    return awda_cli_usage_error (_("The command “%s” needs the option %s."), "demo", "--cases");
  if (!parse_count ("--cases", cases, G_MAXUINT, &n_cases, &error))
    return awda_cli_report_error (error);
  if (seed != NULL
      && !g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &n_seed, NULL))
    {
      g_autofree char *max_text = g_strdup_printf ("%" G_GUINT64_FORMAT, G_MAXUINT64);

      return awda_cli_usage_error (_("Invalid value “%s” for %s: expected a whole number from %s to %s."),
                          seed, "--seed", "0", max_text);
    }

  ok = awda_demo_generate (store, (guint) n_cases, n_seed,
                           on_terminal ? demo_progress_cb : NULL, &progress,
                           &error);
  if (progress.shown)
    g_printerr ("\n");
  if (!ok)
    return awda_cli_report_error (error);

  printf (ngettext ("%u case written.", "%u cases written.", (gulong) n_cases),
          (guint) n_cases);
  fputc ('\n', stdout);
  return AWDA_EXIT_OK;
}

/* The command table */

static const Command commands[] = {
  { "init", NULL, create_database },
  { "site", site_command, NULL },
  { "case", case_command, NULL },
  { "dump", dump_command, NULL },
  { "check", check_command, NULL },
  { "demo", demo_command, NULL },
  { "export", awda_cli_export, NULL },
  { "import", awda_cli_import, NULL },
  { "conflicts", awda_cli_conflicts, NULL },
  { "peers", awda_cli_peers, NULL },
  { "report", awda_cli_report, NULL },
};

static const Command *
lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return &commands[i];
  return NULL;
}

/* A command's arguments ask for help: answered before the database is
 * opened, so that help works without one. */
static gboolean
wants_help (char **args)
{
  for (guint i = 0; args[i] != NULL; i++)
    {
      if (g_str_equal (args[i], "--"))
        break;
      if (g_str_equal (args[i], "--help") || g_str_equal (args[i], "-h")
          || g_str_equal (args[i], "-?"))
        return TRUE;
    }
  return FALSE;
}

static char *
database_path (const char *option)
{
  const char *env;

  if (option != NULL)
    return g_strdup (option);

  env = g_getenv ("AWDA_DATABASE");
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return awda_store_default_path ();
}

static int
run_command (const Command  *command,
             const char     *path,
             int             argc,
             char          **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaStore) store = NULL;

  if (command->create != NULL)
    return command->create (path, argc, argv);

  /* Said first: the command would otherwise seem to hang for minutes. */
  if (awda_store_needs_upgrade (path))
    g_printerr (_("Bringing the database up to date for this version of Awda, once: on a large database this takes a few minutes.\n"));

  store = awda_store_open (path, &error);
  if (store == NULL)
    return awda_cli_report_error (error);

  return command->func (store, argc, argv);
}

int
awda_cli_run (int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *database = NULL;
  g_autofree char *path = NULL;
  gboolean help = FALSE;
  gboolean version = FALSE;
  const Command *command;
  guint n_args;
  int status;
  const GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("The database file"), N_("FILE") },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show the commands"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version"), NULL },
    { NULL }
  };

  g_return_val_if_fail (argc >= 1, AWDA_EXIT_USAGE);
  g_return_val_if_fail (argv != NULL, AWDA_EXIT_USAGE);

  /* Global options come before the command; the command's own options
   * are left for it. */
  args = copy_args (argc, argv);
  context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &args, &error))
    return awda_cli_report_error (error);

  if (help)
    {
      print_usage (stdout);
      return flush_stdout (&error) ? AWDA_EXIT_OK : awda_cli_report_error (error);
    }

  if (version)
    {
      printf ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
      return flush_stdout (&error) ? AWDA_EXIT_OK : awda_cli_report_error (error);
    }

  if (database != NULL && database[0] == '\0')
    return awda_cli_usage_error (_("The option %s needs a file name."), "--database");

  n_args = g_strv_length (args);
  if (n_args < 2)
    {
      awda_cli_usage_error (_("No command given."));
      print_usage (stderr);
      return AWDA_EXIT_USAGE;
    }

  if (g_str_equal (args[1], "help"))
    {
      print_usage (stdout);
      return flush_stdout (&error) ? AWDA_EXIT_OK : awda_cli_report_error (error);
    }

  command = lookup_command (args[1]);
  if (command == NULL)
    {
      g_autofree char *name = g_utf8_make_valid (args[1], -1);

      awda_cli_usage_error (_("Unknown command “%s”."), name);
      print_usage (stderr);
      return AWDA_EXIT_USAGE;
    }

  if (wants_help (args + 2))
    {
      print_usage (stdout);
      return flush_stdout (&error) ? AWDA_EXIT_OK : awda_cli_report_error (error);
    }

  path = database_path (database);
  status = run_command (command, path, (int) n_args - 1, args + 1);

  if (!flush_stdout (&error))
    {
      int write_status = awda_cli_report_error (error);

      if (status == AWDA_EXIT_OK)
        status = write_status;
    }

  return status;
}

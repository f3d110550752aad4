/* awda-cli-report.c: the report and case sheet commands of awda-cli
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both write their file through a temporary file renamed at the end: a
 * failed or interrupted command leaves no half-written report behind, and
 * an existing file stays as it was.
 */

#define G_LOG_DOMAIN "awda-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-cli-report.h"
#include "awda-csv.h"
#include "awda-indicators.h"
#include "awda-report.h"

/* Parses the options of a command (argv[0] is its name); the arguments
 * that are not options are returned in @rest. */
static gboolean
parse (int            argc,
       char         **argv,
       GOptionEntry  *entries,
       char        ***rest,
       GError       **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  char **remaining = NULL;
  GOptionEntry remaining_entry[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &remaining, NULL, NULL },
    { NULL }
  };

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, remaining_entry, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &args, error))
    {
      g_strfreev (remaining);
      return FALSE;
    }

  *rest = remaining ? remaining : g_new0 (char *, 1);
  return TRUE;
}

/* An option given but empty is refused rather than taken as absent. */
static gboolean
check_not_empty (const char  *value,
                 const char  *option,
                 GError     **error)
{
  if (value == NULL || *value != '\0')
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("The option %s needs a value."), option);
  return FALSE;
}

int
awda_cli_report (AwdaStore  *store,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaIndicators) indicators = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *office = NULL;
  g_autofree char *programme = NULL;
  g_autofree char *today = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) rest = NULL;
  AwdaIndicatorFilter filter;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, N_("The first day of the period, YYYY-MM-DD"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, N_("The last day of the period, YYYY-MM-DD"), N_("DATE") },
    { "office", 0, 0, G_OPTION_ARG_FILENAME, &office, N_("Only the cases of this office"), N_("ID") },
    { "programme", 0, 0, G_OPTION_ARG_FILENAME, &programme, N_("Only this programme"), N_("ID") },
    { "today", 0, 0, G_OPTION_ARG_FILENAME, &today, N_("The day overdue follow-ups are judged on"), N_("DATE") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the report as a PDF file"), N_("FILE") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Write every indicator table as a CSV file in this folder"), N_("DIR") },
    { NULL }
  };

  if (!parse (argc, argv, entries, &rest, &error) ||
      !check_not_empty (from, "--from", &error) ||
      !check_not_empty (to, "--to", &error) ||
      !check_not_empty (office, "--office", &error) ||
      !check_not_empty (programme, "--programme", &error) ||
      !check_not_empty (today, "--today", &error) ||
      !check_not_empty (pdf, "--pdf", &error) ||
      !check_not_empty (csv, "--csv", &error))
    return awda_cli_report_error (error);

  if (rest[0] != NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (rest[0], -1);

      return awda_cli_usage_error (_("The command “%s” takes no argument, but “%s” was given."), "report", shown);
    }
  if ((pdf == NULL) == (csv == NULL))
    return awda_cli_usage_error (_("The command “%s” needs either %s or %s."), "report", "--pdf FILE", "--csv DIR");

  filter.from = from;
  filter.to = to;
  filter.office = office;
  filter.programme = programme;
  filter.today = today;

  /* The PDF of every office has a section per office. */
  indicators = awda_indicators_compute (store, &filter,
                                        pdf != NULL && office == NULL ? AWDA_INDICATORS_BY_OFFICE
                                                                      : AWDA_INDICATORS_NONE,
                                        NULL, &error);
  if (indicators == NULL)
    return awda_cli_report_error (error);

  if (pdf != NULL)
    {
      AwdaReportOptions options = { awda_store_get_site (store)->name, NULL, AWDA_REPORT_DIRECTION_AUTO, FALSE };
      g_autoptr(AwdaReport) report = awda_report_new_periodic (indicators, &options);

      if (!awda_report_save_pdf (report, pdf, 0644, NULL, &error))
        return awda_cli_report_error (error);
    }
  else if (!awda_csv_write_indicators (indicators, csv, NULL, &error))
    return awda_cli_report_error (error);

  return AWDA_EXIT_OK;
}

int
awda_cli_case_sheet (AwdaStore  *store,
                     int         argc,
                     char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaReport) report = NULL;
  g_autofree char *pdf = NULL;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the sheet as a PDF file"), N_("FILE") },
    { NULL }
  };
  AwdaReportOptions options = { NULL, NULL, AWDA_REPORT_DIRECTION_AUTO, FALSE };

  if (!parse (argc, argv, entries, &rest, &error) ||
      !check_not_empty (pdf, "--pdf", &error))
    return awda_cli_report_error (error);

  if (rest[0] == NULL)
    return awda_cli_usage_error (_("The command “%s” needs a case id."), "case sheet");
  if (rest[1] != NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (rest[1], -1);

      return awda_cli_usage_error (_("The command “%s” takes one case id, but “%s” was given too."), "case sheet", shown);
    }
  if (pdf == NULL)
    return awda_cli_usage_error (_("The command “%s” needs %s."), "case sheet", "--pdf FILE");

  report = awda_report_new_case_sheet (store, rest[0], &options, &error);
  if (report == NULL)
    return awda_cli_report_error (error);

  /* Personal data: readable by the user alone. */
  if (!awda_report_save_pdf (report, pdf, 0600, NULL, &error))
    return awda_cli_report_error (error);

  return AWDA_EXIT_OK;
}

/* awda-case-sheet.c: the summary sheet of one case, printed or saved as a PDF from the window
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sheet is the core's (awda-report): identity, plan, assistance,
 * referrals and follow-ups, for the paper file and the selection
 * committee. Saving writes it on a worker thread with a connection of
 * its own; printing lays out one case's pages, which is quick, on the
 * main thread, and draws them page by page as the print operation asks.
 * The sheet holds personal data: its file is readable by the user only.
 */

#define G_LOG_DOMAIN "awda-case-sheet"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-case-sheet.h"
#include "awda-export.h"
#include "awda-report.h"

typedef struct
{
  char *database;
  char *case_id;
  char *path;
  char *site_name;
} SheetJob;

static void
sheet_job_free (SheetJob *job)
{
  g_free (job->database);
  g_free (job->case_id);
  g_free (job->path);
  g_free (job->site_name);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SheetJob *job = task_data;
  AwdaReportOptions options = { job->site_name, NULL, AWDA_REPORT_DIRECTION_AUTO, FALSE };
  g_autoptr(AwdaStore) reader = NULL;
  g_autoptr(AwdaReport) report = NULL;
  g_autoptr(GError) error = NULL;

  reader = awda_store_open_reader (job->database, &error);
  if (reader != NULL)
    report = awda_report_new_case_sheet (reader, job->case_id, &options, &error);
  if (report == NULL || !awda_report_save_pdf (report, job->path, 0600, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
awda_case_sheet_save_pdf_async (AwdaStore           *store,
                                const char          *case_id,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SheetJob *job;

  g_return_if_fail (AWDA_IS_STORE (store));
  g_return_if_fail (case_id != NULL);
  g_return_if_fail (path != NULL);

  job = g_new0 (SheetJob, 1);
  job->database = g_strdup (awda_store_get_path (store));
  job->case_id = g_strdup (case_id);
  job->path = g_strdup (path);
  job->site_name = g_strdup (awda_store_get_site (store)->name);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, awda_case_sheet_save_pdf_async);
  g_task_set_task_data (task, job, (GDestroyNotify) sheet_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
awda_case_sheet_save_pdf_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == awda_case_sheet_save_pdf_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The window that asked, for the error dialog: weak, it may close. */
typedef struct
{
  GWeakRef   parent;
  AwdaStore *store;
  char      *case_id;
} Request;

static void
request_free (Request *request)
{
  g_weak_ref_clear (&request->parent);
  g_clear_object (&request->store);
  g_free (request->case_id);
  g_free (request);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&request->parent);
  g_autoptr(GError) error = NULL;

  if (!awda_case_sheet_save_pdf_finish (result, &error))
    awda_export_show_error (parent, _("The case sheet could not be saved."), error);
  request_free (request);
}

static void
on_sheet_file_chosen_cb (const char *path,
                         gpointer    user_data)
{
  Request *request = user_data;
  g_autofree char *pdf = NULL;

  if (path == NULL)
    {
      request_free (request);
      return;
    }
  pdf = awda_export_with_suffix (path, "pdf");
  awda_case_sheet_save_pdf_async (request->store, request->case_id, pdf, NULL, on_saved_cb, request);
}

void
awda_case_sheet_save_pdf (GtkWindow  *parent,
                          AwdaStore  *store,
                          const char *case_id)
{
  g_autofree char *name = NULL;
  Request *request;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (AWDA_IS_STORE (store));
  g_return_if_fail (case_id != NULL);

  request = g_new0 (Request, 1);
  g_weak_ref_init (&request->parent, parent);
  request->store = g_object_ref (store);
  request->case_id = g_strdup (case_id);

  /* Translators: the file name suggested for a case sheet; %.8s is the
   * start of the case's id. Keep the .pdf. */
  name = g_strdup_printf (_("case-sheet-%.8s.pdf"), case_id);
  awda_export_choose (parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                      _("Save the Case Sheet"), _("_Save"), name,
                      _("PDF documents"), "pdf",
                      on_sheet_file_chosen_cb, request, NULL);
}

void
awda_case_sheet_print (GtkWindow  *parent,
                       AwdaStore  *store,
                       const char *case_id)
{
  AwdaReportOptions options = { NULL, NULL, AWDA_REPORT_DIRECTION_AUTO, FALSE };
  g_autoptr(GError) error = NULL;
  AwdaReport *report;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (AWDA_IS_STORE (store));
  g_return_if_fail (case_id != NULL);

  options.site_name = awda_store_get_site (store)->name;
  report = awda_report_new_case_sheet (store, case_id, &options, &error);
  if (report == NULL || !awda_export_print_report (parent, report, NULL, NULL, NULL, &error))
    awda_export_show_error (parent, _("The case sheet could not be printed."), error);
}

/* awda-export.c: what the window's exports share: file choosers, printing a report, errors, the case list as CSV
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The files are written by the core (awda-csv, awda-report), through a
 * temporary file renamed at the end, on worker threads with connections
 * of their own: the window goes on meanwhile. Printing draws the pages
 * of the same AwdaReport as the PDF, laid out again for the paper that
 * the print dialog chose.
 */

#define G_LOG_DOMAIN "awda-export"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-csv.h"
#include "awda-export.h"

/* File choosers */

typedef struct
{
  AwdaExportChosenFunc  callback;
  gpointer              user_data;
  GDestroyNotify        destroy;
} Chooser;

static void
on_chooser_response_cb (GtkNativeDialog *native,
                        int              response,
                        Chooser         *chooser)
{
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        path = g_file_get_path (file);
    }

  chooser->callback (path, chooser->user_data);
  if (chooser->destroy != NULL)
    chooser->destroy (chooser->user_data);
  g_free (chooser);

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

void
awda_export_choose (GtkWindow             *parent,
                    GtkFileChooserAction   action,
                    const char            *title,
                    const char            *accept_label,
                    const char            *suggested_name,
                    const char            *filter_name,
                    const char            *suffix,
                    AwdaExportChosenFunc   callback,
                    gpointer               user_data,
                    GDestroyNotify         destroy)
{
  GtkFileChooserNative *native;
  Chooser *chooser;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (callback != NULL);

  native = gtk_file_chooser_native_new (title, parent, action, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  if (suggested_name != NULL && action == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);
  if (suffix != NULL)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name);
      gtk_file_filter_add_suffix (filter, suffix);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    }

  chooser = g_new0 (Chooser, 1);
  chooser->callback = callback;
  chooser->user_data = user_data;
  chooser->destroy = destroy;
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response_cb), chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

char *
awda_export_with_suffix (const char *path,
                         const char *suffix)
{
  g_autofree char *dotted = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL && suffix != NULL, NULL);

  dotted = g_strconcat (".", suffix, NULL);
  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, dotted))
    return g_strdup (path);
  return g_strconcat (path, dotted, NULL);
}

/* Errors */

void
awda_export_show_error (GtkWindow    *parent,
                        const char   *primary,
                        const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (primary != NULL);

  if (error != NULL)
    g_message ("%s %s", primary, error->message);

  dialog = gtk_message_dialog_new (parent,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                   "%s", primary);
  if (error != NULL)
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Printing */

typedef struct
{
  AwdaReport     *report;
  gpointer        data;
  GDestroyNotify  destroy;
  GtkWindow      *parent;  /* weak */
  gboolean        done;
} Printing;

static void
printing_free (Printing *printing)
{
  g_clear_weak_pointer (&printing->parent);
  awda_report_free (printing->report);
  if (printing->destroy != NULL)
    printing->destroy (printing->data);
  g_free (printing);
}

/* The pages, laid out again for the paper chosen: the operation's unit is
 * the point and it draws on the full page, as the PDF does; the report
 * keeps its own margins. */
static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   Printing          *printing)
{
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  guint n_pages = awda_report_paginate (printing->report, width, height);

  gtk_print_operation_set_n_pages (operation, MAX (n_pages, 1));
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page,
                 Printing          *printing)
{
  awda_report_draw_page (printing->report, gtk_print_context_get_cairo_context (context), page);
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  Printing                *printing)
{
  printing->done = TRUE;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      awda_export_show_error (printing->parent, _("The report could not be printed."), error);
    }

  /* The reference that the dialog's run held. */
  g_object_unref (operation);
}

static GtkPrintOperation *
print_operation_new (AwdaReport     *report,
                     gpointer        data,
                     GDestroyNotify  destroy,
                     GtkWindow      *parent)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  Printing *printing = g_new0 (Printing, 1);

  printing->report = report;
  printing->data = data;
  printing->destroy = destroy;
  g_set_weak_pointer (&printing->parent, parent);
  g_object_set_data_full (G_OBJECT (operation), "awda-printing", printing, (GDestroyNotify) printing_free);

  /* A4, the paper of the report, unless the user picks another. */
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_job_name (operation, awda_report_get_title (report));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), printing);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), printing);
  return operation;
}

gboolean
awda_export_print_report (GtkWindow       *parent,
                          AwdaReport      *report,
                          gpointer         data,
                          GDestroyNotify   destroy,
                          const char      *export_filename,
                          GError         **error)
{
  GtkPrintOperation *operation;
  GtkPrintOperationResult result;
  Printing *printing;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  operation = print_operation_new (report, data, destroy, parent);

  if (export_filename != NULL)
    {
      gtk_print_operation_set_export_filename (operation, export_filename);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, parent, error);
      g_object_unref (operation);
      return result != GTK_PRINT_OPERATION_RESULT_ERROR;
    }

  printing = g_object_get_data (G_OBJECT (operation), "awda-printing");
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect (operation, "done", G_CALLBACK (on_print_done_cb), printing);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, error);

  /* ::done let go of the operation, or will; when it did not come (a
   * failure before the dialog), let go here. */
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS && !printing->done)
    g_object_unref (operation);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

/* The case list as CSV */

typedef struct
{
  char         *database;
  char         *path;
  char         *search;
  char         *status;
  char         *governorate;
  char         *programme;
  char         *caseworker;
  char         *vulnerability;
  char         *today;
  gboolean      overdue;
  AwdaCaseSort  sort;
  gboolean      reversed;
} CasesJob;

static void
cases_job_free (CasesJob *job)
{
  g_free (job->database);
  g_free (job->path);
  g_free (job->search);
  g_free (job->status);
  g_free (job->governorate);
  g_free (job->programme);
  g_free (job->caseworker);
  g_free (job->vulnerability);
  g_free (job->today);
  g_free (job);
}

static void
write_cases_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CasesJob *job = task_data;
  g_autoptr(AwdaStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  AwdaAtomicFile *file;
  AwdaCaseQuery query = {
    .search = job->search,
    .status = job->status,
    .governorate = job->governorate,
    .programme = job->programme,
    .caseworker = job->caseworker,
    .vulnerability = job->vulnerability,
    .today = job->today,
    .overdue = job->overdue,
    .sort = job->sort,
    .reversed = job->reversed,
    .limit = 0,
  };

  reader = awda_store_open_reader (job->database, &error);
  if (reader == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Personal data: for the user's eyes only. */
  file = awda_atomic_file_new (job->path, 0600, &error);
  if (file == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!awda_csv_write_cases (reader, &query, awda_atomic_file_get_stream (file), cancellable, &error))
    {
      awda_atomic_file_abort (file);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!awda_atomic_file_commit (file, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
awda_export_write_cases_async (AwdaStore           *store,
                               const AwdaCaseQuery *query,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CasesJob *job;

  g_return_if_fail (AWDA_IS_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (path != NULL);

  job = g_new0 (CasesJob, 1);
  job->database = g_strdup (awda_store_get_path (store));
  job->path = g_strdup (path);
  job->search = g_strdup (query->search);
  job->status = g_strdup (query->status);
  job->governorate = g_strdup (query->governorate);
  job->programme = g_strdup (query->programme);
  job->caseworker = g_strdup (query->caseworker);
  job->vulnerability = g_strdup (query->vulnerability);
  job->today = g_strdup (query->today);
  job->overdue = query->overdue;
  job->sort = query->sort;
  job->reversed = query->reversed;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, awda_export_write_cases_async);
  g_task_set_task_data (task, job, (GDestroyNotify) cases_job_free);
  g_task_run_in_thread (task, write_cases_thread);
}

gboolean
awda_export_write_cases_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == awda_export_write_cases_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* awda-export.h: what the window's exports share: file choosers, printing a report, errors, the case list as CSV
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-report.h"
#include "awda-store.h"

G_BEGIN_DECLS

/* Called with the file or folder chosen, NULL when the user cancelled. */
typedef void (*AwdaExportChosenFunc) (const char *path,
                                      gpointer    user_data);

/* Asks for a file to save (GTK_FILE_CHOOSER_ACTION_SAVE, with
 * @suggested_name) or a folder (…_SELECT_FOLDER) with the desktop's own
 * chooser. @suffix: shows only the files with that suffix ("csv"). */
void     awda_export_choose              (GtkWindow             *parent,
                                          GtkFileChooserAction   action,
                                          const char            *title,
                                          const char            *accept_label,
                                          const char            *suggested_name,
                                          const char            *filter_name,
                                          const char            *suffix,
                                          AwdaExportChosenFunc   callback,
                                          gpointer               user_data,
                                          GDestroyNotify         destroy);

/* Tells of a failure in a dialog over @parent: @primary says what
 * failed, the error why. */
void     awda_export_show_error          (GtkWindow             *parent,
                                          const char            *primary,
                                          const GError          *error);

/* Prints @report (taken) with GtkPrintOperation: its pages laid out for
 * the paper chosen and drawn by awda_report_draw_page(), as in the PDF.
 * @data, what the report refers to, is freed with @destroy after it.
 * With @export_filename, writes that PDF file instead, without a dialog
 * (and returns when it is written). */
gboolean awda_export_print_report        (GtkWindow             *parent,
                                          AwdaReport            *report,
                                          gpointer               data,
                                          GDestroyNotify         destroy,
                                          const char            *export_filename,
                                          GError               **error);

/* Writes the cases @query selects (whatever its limit) to @path as CSV
 * (awda_csv_write_cases()), readable by the user only, off the main loop
 * on a connection of its own to @store's database. */
void     awda_export_write_cases_async   (AwdaStore             *store,
                                          const AwdaCaseQuery   *query,
                                          const char            *path,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data);
gboolean awda_export_write_cases_finish  (GAsyncResult          *result,
                                          GError               **error);

/* A CSV or PDF file name: @name, with @suffix added unless it has it. */
char    *awda_export_with_suffix         (const char            *path,
                                          const char            *suffix);

G_END_DECLS

/* awda-case-sheet.h: the summary sheet of one case, printed or saved as a PDF from the window
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"

G_BEGIN_DECLS

/* Opens the print dialog for the case summary sheet of @case_id (the
 * pages of awda_report_new_case_sheet()); tells of a failure in a dialog
 * over @parent. */
void     awda_case_sheet_print           (GtkWindow           *parent,
                                          AwdaStore           *store,
                                          const char          *case_id);

/* Asks for a file, then writes the sheet there as a PDF, off the main
 * loop; tells of a failure in a dialog over @parent. */
void     awda_case_sheet_save_pdf        (GtkWindow           *parent,
                                          AwdaStore           *store,
                                          const char          *case_id);

/* The writing itself: the sheet of @case_id to @path, readable by the
 * user only, on a connection of its own to @store's database. */
void     awda_case_sheet_save_pdf_async  (AwdaStore           *store,
                                          const char          *case_id,
                                          const char          *path,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean awda_case_sheet_save_pdf_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS

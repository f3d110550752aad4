/* awda-csv.h: CSV export of the indicator tables and of the case list, and atomic file writes
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV as spreadsheets read it cleanly: RFC 4180 (comma, fields with a
 * comma, a quote or a line break quoted, quotes doubled, CRLF line ends),
 * UTF-8 with a byte order mark. The header row holds stable keys; numbers
 * are written for machines (a dot for decimals, no grouping). A text
 * value that a spreadsheet would take for a formula (it starts with =, +,
 * -, @, a tab or a carriage return) is prefixed with an apostrophe.
 */

#pragma once

#include <gio/gio.h>

#include "awda-indicators.h"
#include "awda-store.h"

G_BEGIN_DECLS

/* A file written in full under a temporary name in the same folder, then
 * renamed over its destination: a reader never sees half of it, and a
 * failure leaves the destination as it was. */
typedef struct _AwdaAtomicFile AwdaAtomicFile;

/* @mode: the permissions of the new file, 0600 for personal data. */
AwdaAtomicFile *awda_atomic_file_new        (const char      *path,
                                             int              mode,
                                             GError         **error);
GOutputStream  *awda_atomic_file_get_stream (AwdaAtomicFile  *file);
/* Flushes to disk and renames; the file is freed either way. */
gboolean        awda_atomic_file_commit     (AwdaAtomicFile  *file,
                                             GError         **error);
/* Removes the temporary file. */
void            awda_atomic_file_abort      (AwdaAtomicFile  *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaAtomicFile, awda_atomic_file_abort)

/* One table: key, label, currency (tables with amounts only), then one
 * column per indicator column. */
gboolean awda_csv_write_table      (const AwdaIndicatorTable  *table,
                                    GOutputStream             *out,
                                    GCancellable              *cancellable,
                                    GError                   **error);

/* Every table of @indicators as DIR/KEY.csv (the folder is made if
 * needed), each written atomically. */
gboolean awda_csv_write_indicators (AwdaIndicators            *indicators,
                                    const char                *dir,
                                    GCancellable              *cancellable,
                                    GError                   **error);

/* The cases @query selects, in its order: id, then every case field in
 * the dictionary's order, as stored (codes, not labels). */
gboolean awda_csv_write_cases      (AwdaStore                 *store,
                                    const AwdaCaseQuery       *query,
                                    GOutputStream             *out,
                                    GCancellable              *cancellable,
                                    GError                   **error);

/* Appends @value to @line as one CSV field (quoted when needed); @text:
 * guard against formulas. */
void     awda_csv_append_field     (GString                   *line,
                                    const char                *value,
                                    gboolean                   text);

G_END_DECLS

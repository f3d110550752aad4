/* awda-first-run-dialog.h: creates the database on first run, for this office
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_FIRST_RUN_DIALOG (awda_first_run_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AwdaFirstRunDialog, awda_first_run_dialog, AWDA, FIRST_RUN_DIALOG, GtkWindow)

AwdaFirstRunDialog *awda_first_run_dialog_new      (GtkApplication     *application,
                                                    const char         *path);
const char         *awda_first_run_dialog_get_path (AwdaFirstRunDialog *self);

G_END_DECLS

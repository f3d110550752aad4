/* awda-open-error-dialog.h: says why the database could not be opened
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_OPEN_ERROR_DIALOG (awda_open_error_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AwdaOpenErrorDialog, awda_open_error_dialog, AWDA, OPEN_ERROR_DIALOG, GtkWindow)

AwdaOpenErrorDialog *awda_open_error_dialog_new (GtkApplication *application,
                                                 const char     *path,
                                                 const GError   *error);

G_END_DECLS

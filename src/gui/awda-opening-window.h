/* awda-opening-window.h: shown while a database takes long to open
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AWDA_TYPE_OPENING_WINDOW (awda_opening_window_get_type ())

G_DECLARE_FINAL_TYPE (AwdaOpeningWindow, awda_opening_window, AWDA, OPENING_WINDOW, GtkWindow)

AwdaOpeningWindow *awda_opening_window_new           (GtkApplication    *application,
                                                      const char        *path,
                                                      gboolean           upgrading);

const char        *awda_opening_window_get_path      (AwdaOpeningWindow *self);
gboolean           awda_opening_window_get_upgrading (AwdaOpeningWindow *self);

G_END_DECLS

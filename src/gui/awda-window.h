/* awda-window.h: the main window: the case list, Today and the open case
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_WINDOW (awda_window_get_type ())

G_DECLARE_FINAL_TYPE (AwdaWindow, awda_window, AWDA, WINDOW, GtkApplicationWindow)

AwdaWindow        *awda_window_new                 (GtkApplication *application,
                                                    AwdaStore      *store);
AwdaStore         *awda_window_get_store           (AwdaWindow     *self);
AwdaCaseListModel *awda_window_get_case_list_model (AwdaWindow     *self);
gboolean           awda_window_open_case           (AwdaWindow     *self,
                                                    const char     *case_id);
const char        *awda_window_get_case_id         (AwdaWindow     *self);
GtkWidget         *awda_window_get_case_editor     (AwdaWindow     *self);
GtkWindow         *awda_window_new_case            (AwdaWindow     *self);
GtkWindow         *awda_window_show_conflicts      (AwdaWindow     *self);
GtkWindow         *awda_window_send_changes        (AwdaWindow     *self);
GtkWindow         *awda_window_receive_files       (AwdaWindow         *self,
                                                    const char * const *paths);

G_END_DECLS

/* awda-receive-dialog.h: receives other offices' changes from bundle files
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"

G_BEGIN_DECLS

#define AWDA_TYPE_RECEIVE_DIALOG (awda_receive_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AwdaReceiveDialog, awda_receive_dialog, AWDA, RECEIVE_DIALOG, GtkWindow)

AwdaReceiveDialog *awda_receive_dialog_new           (GtkWindow          *parent,
                                                      AwdaStore          *store);
void               awda_receive_dialog_receive       (AwdaReceiveDialog  *self,
                                                      const char * const *paths);
void               awda_receive_dialog_cancel        (AwdaReceiveDialog  *self);
gboolean           awda_receive_dialog_get_busy      (AwdaReceiveDialog  *self);
const char        *awda_receive_dialog_get_summary   (AwdaReceiveDialog  *self);
guint              awda_receive_dialog_get_n_files   (AwdaReceiveDialog  *self);
const char        *awda_receive_dialog_get_file_text (AwdaReceiveDialog  *self,
                                                      guint               index);

G_END_DECLS

/* awda-send-dialog.h: sends this office's changes to another, as a bundle file
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"

G_BEGIN_DECLS

#define AWDA_TYPE_SEND_DIALOG (awda_send_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AwdaSendDialog, awda_send_dialog, AWDA, SEND_DIALOG, GtkWindow)

AwdaSendDialog *awda_send_dialog_new           (GtkWindow      *parent,
                                                AwdaStore      *store);
gboolean        awda_send_dialog_select_peer   (AwdaSendDialog *self,
                                                const char     *site_id);
void            awda_send_dialog_send_to       (AwdaSendDialog *self,
                                                const char     *path);
void            awda_send_dialog_cancel        (AwdaSendDialog *self);
gboolean        awda_send_dialog_get_busy      (AwdaSendDialog *self);
const char     *awda_send_dialog_get_message   (AwdaSendDialog *self);
char           *awda_send_dialog_suggest_name  (const char     *site_name,
                                                const char     *recipient,
                                                GDateTime      *date);

G_END_DECLS

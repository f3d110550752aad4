/* awda-reception-dialog.h: a new case, from the returnee's name, with the existing records that may be theirs
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_RECEPTION_DIALOG (awda_reception_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AwdaReceptionDialog, awda_reception_dialog, AWDA, RECEPTION_DIALOG, GtkWindow)

AwdaReceptionDialog *awda_reception_dialog_new          (GtkWindow           *parent,
                                                         AwdaStore           *store);

AwdaStore           *awda_reception_dialog_get_store    (AwdaReceptionDialog *self);

/* The staff member who receives the returnee: the new case's caseworker,
 * and their office its owner (GSettings staff-id when the schema is
 * installed). */
const char          *awda_reception_dialog_get_staff_id (AwdaReceptionDialog *self);
void                 awda_reception_dialog_set_staff_id (AwdaReceptionDialog *self,
                                                         const char          *staff_id);

/* What the Create button does: checks what is typed, writes the case in
 * one edit, emits ::case-created and closes the dialog. On a refusal
 * (a value, the consent, the store), the sentence is shown in the dialog
 * and returned. */
gboolean             awda_reception_dialog_create       (AwdaReceptionDialog *self,
                                                         GError             **error);

G_END_DECLS

/* awda-conflicts-dialog.h: the values that sync kept for a person to choose, and the changes set aside
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"
#include "awda-sync.h"

G_BEGIN_DECLS

#define AWDA_TYPE_CONFLICTS_DIALOG (awda_conflicts_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AwdaConflictsDialog, awda_conflicts_dialog, AWDA, CONFLICTS_DIALOG, GtkWindow)

AwdaConflictsDialog *awda_conflicts_dialog_new             (GtkWindow           *parent,
                                                            AwdaStore           *store);

AwdaStore           *awda_conflicts_dialog_get_store       (AwdaConflictsDialog *self);

/* Reads the conflicts and the changes set aside again. */
void                 awda_conflicts_dialog_reload          (AwdaConflictsDialog *self);

/* What each button of a row does: writes the chosen value (an ordinary
 * write), emits ::resolved and takes the row away. A value the store
 * refuses writes nothing; its sentence is shown in the row and returned. */
gboolean             awda_conflicts_dialog_resolve         (AwdaConflictsDialog *self,
                                                            gint64               conflict_id,
                                                            AwdaSyncResolution   resolution,
                                                            const char          *value,
                                                            GError             **error);

/* For tests: the rows as shown; the changes set aside, a row a record. */
gboolean             awda_conflicts_dialog_is_empty        (AwdaConflictsDialog *self);
guint                awda_conflicts_dialog_get_n_conflicts (AwdaConflictsDialog *self);
gint64               awda_conflicts_dialog_get_conflict_id (AwdaConflictsDialog *self,
                                                            guint                position);
char                *awda_conflicts_dialog_get_conflict_text (AwdaConflictsDialog *self,
                                                              gint64               conflict_id);
const char          *awda_conflicts_dialog_get_message     (AwdaConflictsDialog *self,
                                                            gint64               conflict_id);
guint                awda_conflicts_dialog_get_n_set_aside (AwdaConflictsDialog *self);
char                *awda_conflicts_dialog_get_set_aside_text (AwdaConflictsDialog *self,
                                                               guint                position);

G_END_DECLS

/* awda-undo.h: the undo stack of an open case
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "awda-store.h"

G_BEGIN_DECLS

#define AWDA_UNDO_ERROR (awda_undo_error_quark ())

typedef enum
{
  AWDA_UNDO_ERROR_EMPTY,    /* nothing to undo or redo */
  AWDA_UNDO_ERROR_CHANGED,  /* the record changed since (another edit, a sync): the step is dropped */
} AwdaUndoError;

GQuark awda_undo_error_quark (void);

/* The most steps kept; the oldest go first. */
#define AWDA_UNDO_MAX_STEPS 100

#define AWDA_TYPE_UNDO_STACK (awda_undo_stack_get_type ())

G_DECLARE_FINAL_TYPE (AwdaUndoStack, awda_undo_stack, AWDA, UNDO_STACK, GObject)

/* The properties "can-undo" and "can-redo" (booleans, read-only) notify
 * when they change, for the GUI to enable its actions. */
AwdaUndoStack *awda_undo_stack_new            (AwdaStore      *store);

/* Applies @edit with awda_store_apply() and, when it changed something,
 * pushes a step: the record, and each changed field's old and new value
 * (a new record is a step too: undoing it deletes it). The redo steps
 * are forgotten. */
gboolean       awda_undo_stack_apply          (AwdaUndoStack  *self,
                                               AwdaEdit       *edit,
                                               GError        **error);

/* Pushes a step for a change written otherwise (a workflow action, which
 * checks its guards and writes several fields): the fields whose values
 * differ between @before and @after, two readings of one record (@before
 * NULL when the change made it). The redo steps are forgotten. */
void           awda_undo_stack_push_change    (AwdaUndoStack    *self,
                                               const AwdaRecord *before,
                                               const AwdaRecord *after);
/* Writes the old values of the last step back as one new edit (an
 * ordinary write, stamped and synced), and moves the step to the redo
 * list. Refused, and the step dropped, when a field was changed since. */
gboolean       awda_undo_stack_undo           (AwdaUndoStack  *self,
                                               GError        **error);
/* The reverse: writes the new values again. */
gboolean       awda_undo_stack_redo           (AwdaUndoStack  *self,
                                               GError        **error);

gboolean       awda_undo_stack_can_undo       (AwdaUndoStack  *self);
gboolean       awda_undo_stack_can_redo       (AwdaUndoStack  *self);
void           awda_undo_stack_clear          (AwdaUndoStack  *self);

/* What undo or redo would do, translated, for a tooltip or a toast;
 * NULL when there is nothing (transfer full). */
char          *awda_undo_stack_describe_undo  (AwdaUndoStack  *self);
char          *awda_undo_stack_describe_redo  (AwdaUndoStack  *self);

G_END_DECLS

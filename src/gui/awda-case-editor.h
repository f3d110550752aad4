/* awda-case-editor.h: the whole case, page by page, saved as it is typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"
#include "awda-types.h"
#include "awda-undo.h"

G_BEGIN_DECLS

#define AWDA_TYPE_CASE_EDITOR (awda_case_editor_get_type ())

G_DECLARE_FINAL_TYPE (AwdaCaseEditor, awda_case_editor, AWDA, CASE_EDITOR, GtkWidget)

AwdaCaseEditor *awda_case_editor_new              (AwdaStore      *store);

AwdaStore      *awda_case_editor_get_store        (AwdaCaseEditor *self);
void            awda_case_editor_set_store        (AwdaCaseEditor *self,
                                                   AwdaStore      *store);
const char     *awda_case_editor_get_case_id      (AwdaCaseEditor *self);
void            awda_case_editor_set_case_id      (AwdaCaseEditor *self,
                                                   const char     *case_id);
AwdaUndoStack  *awda_case_editor_get_undo_stack   (AwdaCaseEditor *self);

/* The staff member who approves plan items and marks follow-ups done
 * (GSettings staff-id when the schema is installed). */
const char     *awda_case_editor_get_staff_id     (AwdaCaseEditor *self);
void            awda_case_editor_set_staff_id     (AwdaCaseEditor *self,
                                                   const char     *staff_id);

/* Saves what was typed and not committed yet, everywhere in the case.
 * When a value is refused, shows its page and field, and returns FALSE
 * with the sentence: the caller (closing the window) should stay open. */
gboolean        awda_case_editor_commit_pending   (AwdaCaseEditor *self,
                                                   GError        **error);
/* Reads everything again from the store (after a sync, say). */
void            awda_case_editor_reload           (AwdaCaseEditor *self);

void            awda_case_editor_add_attachment   (AwdaCaseEditor *self,
                                                   GFile          *file);

/* The sentence shown in the editor's banner, or NULL. */
const char     *awda_case_editor_get_banner       (AwdaCaseEditor *self);

G_END_DECLS

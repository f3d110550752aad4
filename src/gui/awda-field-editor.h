/* awda-field-editor.h: edits one field of one record, saved as it is committed
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

#define AWDA_TYPE_FIELD_EDITOR (awda_field_editor_get_type ())

G_DECLARE_FINAL_TYPE (AwdaFieldEditor, awda_field_editor, AWDA, FIELD_EDITOR, GtkWidget)

AwdaFieldEditor *awda_field_editor_new               (const char      *entity,
                                                      const char      *field);

const char      *awda_field_editor_get_entity_name   (AwdaFieldEditor *self);
const char      *awda_field_editor_get_field_name    (AwdaFieldEditor *self);
const AwdaField *awda_field_editor_get_field         (AwdaFieldEditor *self);

AwdaStore       *awda_field_editor_get_store         (AwdaFieldEditor *self);
void             awda_field_editor_set_store         (AwdaFieldEditor *self,
                                                      AwdaStore       *store);
AwdaUndoStack   *awda_field_editor_get_undo_stack    (AwdaFieldEditor *self);
void             awda_field_editor_set_undo_stack    (AwdaFieldEditor *self,
                                                      AwdaUndoStack   *undo_stack);
const char      *awda_field_editor_get_record_id     (AwdaFieldEditor *self);
void             awda_field_editor_set_record_id     (AwdaFieldEditor *self,
                                                      const char      *record_id);
gboolean         awda_field_editor_get_editable      (AwdaFieldEditor *self);
void             awda_field_editor_set_editable      (AwdaFieldEditor *self,
                                                      gboolean         editable);

GtkWidget       *awda_field_editor_get_control       (AwdaFieldEditor *self);
void             awda_field_editor_set_label_widget  (AwdaFieldEditor *self,
                                                      GtkLabel        *label);

/* The value as stored (or, without a record, as validated), canonical. */
const char      *awda_field_editor_get_value         (AwdaFieldEditor *self);
/* Without a record (a draft, for a form that creates one): sets the
 * value shown and kept. */
void             awda_field_editor_set_draft_value   (AwdaFieldEditor *self,
                                                      const char      *value);
/* The text of the control, as typed or chosen (transfer full). */
char            *awda_field_editor_get_text          (AwdaFieldEditor *self);
const char      *awda_field_editor_get_message       (AwdaFieldEditor *self);

gboolean         awda_field_editor_has_pending       (AwdaFieldEditor *self);
gboolean         awda_field_editor_commit            (AwdaFieldEditor *self,
                                                      GError         **error);
void             awda_field_editor_revert            (AwdaFieldEditor *self);
void             awda_field_editor_reload            (AwdaFieldEditor *self);
void             awda_field_editor_reload_from       (AwdaFieldEditor  *self,
                                                      const AwdaRecord *record);
void             awda_field_editor_load              (AwdaFieldEditor  *self,
                                                      const char       *record_id,
                                                      const AwdaRecord *record);

void             awda_field_editor_set_excluded_values (AwdaFieldEditor    *self,
                                                        const char * const *values);

char            *awda_field_format_value             (AwdaStore       *store,
                                                      const AwdaField *field,
                                                      const char      *value);
char            *awda_field_editor_today             (void);

G_END_DECLS

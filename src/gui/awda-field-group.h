/* awda-field-group.h: a form of field editors, one per field named in the .ui
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-field-editor.h"
#include "awda-store.h"
#include "awda-types.h"
#include "awda-undo.h"

G_BEGIN_DECLS

#define AWDA_TYPE_FIELD_GROUP (awda_field_group_get_type ())

G_DECLARE_FINAL_TYPE (AwdaFieldGroup, awda_field_group, AWDA, FIELD_GROUP, GtkWidget)

AwdaFieldGroup  *awda_field_group_new            (const char      *entity,
                                                  const char      *fields);

const char      *awda_field_group_get_entity     (AwdaFieldGroup  *self);
void             awda_field_group_set_store      (AwdaFieldGroup  *self,
                                                  AwdaStore       *store);
void             awda_field_group_set_undo_stack (AwdaFieldGroup  *self,
                                                  AwdaUndoStack   *undo_stack);
const char      *awda_field_group_get_record_id  (AwdaFieldGroup  *self);
void             awda_field_group_set_record_id  (AwdaFieldGroup  *self,
                                                  const char      *record_id);

guint            awda_field_group_get_n_editors  (AwdaFieldGroup  *self);
AwdaFieldEditor *awda_field_group_get_editor     (AwdaFieldGroup  *self,
                                                  guint            position);
AwdaFieldEditor *awda_field_group_find_editor    (AwdaFieldGroup  *self,
                                                  const char      *field);

void             awda_field_group_set_label_size_group (AwdaFieldGroup *self,
                                                        GtkSizeGroup   *size_group);

void             awda_field_group_reload         (AwdaFieldGroup  *self);
/* Commits every editor; on a refusal, the first refused editor (transfer none). */
gboolean         awda_field_group_commit_pending (AwdaFieldGroup  *self,
                                                  AwdaFieldEditor **refused,
                                                  GError         **error);

G_END_DECLS

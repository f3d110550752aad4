/* awda-record-list.h: a case's child records of one kind, each an expandable row of field editors
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-field-group.h"
#include "awda-store.h"
#include "awda-types.h"
#include "awda-undo.h"

G_BEGIN_DECLS

#define AWDA_TYPE_RECORD_LIST (awda_record_list_get_type ())

G_DECLARE_FINAL_TYPE (AwdaRecordList, awda_record_list, AWDA, RECORD_LIST, GtkWidget)

const char     *awda_record_list_get_entity      (AwdaRecordList *self);
void            awda_record_list_set_store       (AwdaRecordList *self,
                                                  AwdaStore      *store);
void            awda_record_list_set_undo_stack  (AwdaRecordList *self,
                                                  AwdaUndoStack  *undo_stack);
const char     *awda_record_list_get_case_id     (AwdaRecordList *self);
void            awda_record_list_set_case_id     (AwdaRecordList *self,
                                                  const char     *case_id);

void            awda_record_list_reload          (AwdaRecordList *self);
guint           awda_record_list_get_n_records   (AwdaRecordList *self);
/* The record ids in the order shown (transfer container). */
GPtrArray      *awda_record_list_get_record_ids  (AwdaRecordList *self);
AwdaFieldGroup *awda_record_list_get_group       (AwdaRecordList *self,
                                                  const char     *record_id);
GtkWidget      *awda_record_list_get_row         (AwdaRecordList *self,
                                                  const char     *record_id);
void            awda_record_list_set_expanded    (AwdaRecordList *self,
                                                  const char     *record_id,
                                                  gboolean        expanded);
void            awda_record_list_set_row_message (AwdaRecordList *self,
                                                  const char     *record_id,
                                                  const char     *message);
const char     *awda_record_list_get_row_message (AwdaRecordList *self,
                                                  const char     *record_id);

/* The form that adds a record: its editors, and the action that adds. */
AwdaFieldGroup *awda_record_list_get_add_group   (AwdaRecordList *self);
char           *awda_record_list_add             (AwdaRecordList *self,
                                                  GError        **error);

gboolean        awda_record_list_commit_pending  (AwdaRecordList   *self,
                                                  AwdaFieldEditor **refused,
                                                  GError          **error);

G_END_DECLS

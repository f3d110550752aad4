/* awda-case-item.h: one row of the case list, as the list shows it
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "awda-store.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_CASE_ITEM (awda_case_item_get_type ())

G_DECLARE_FINAL_TYPE (AwdaCaseItem, awda_case_item, AWDA, CASE_ITEM, GObject)

AwdaCaseItem *awda_case_item_new_from_record    (const AwdaRecord *record);
AwdaCaseItem *awda_case_item_new_missing        (gint64            rowid);
gboolean      awda_case_item_update             (AwdaCaseItem     *self,
                                                 AwdaCaseItem     *from);
guint         awda_case_item_get_position       (AwdaCaseItem     *self);
void          awda_case_item_set_position       (AwdaCaseItem     *self,
                                                 guint             position);
gint64        awda_case_item_get_rowid          (AwdaCaseItem     *self);
const char   *awda_case_item_get_id             (AwdaCaseItem     *self);
const char   *awda_case_item_get_name           (AwdaCaseItem     *self);
const char   *awda_case_item_get_name_label     (AwdaCaseItem     *self);
const char   *awda_case_item_get_name_ar        (AwdaCaseItem     *self);
const char   *awda_case_item_get_name_ar_label  (AwdaCaseItem     *self);
const char   *awda_case_item_get_governorate    (AwdaCaseItem     *self);
const char   *awda_case_item_get_governorate_label (AwdaCaseItem  *self);
const char   *awda_case_item_get_status         (AwdaCaseItem     *self);
const char   *awda_case_item_get_status_label   (AwdaCaseItem     *self);
const char   *awda_case_item_get_opened_on      (AwdaCaseItem     *self);
const char   *awda_case_item_get_opened_on_label (AwdaCaseItem    *self);

G_END_DECLS

/* awda-hold-list-model.h: a list that keeps showing its last items while the list it follows is empty
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_HOLD_LIST_MODEL (awda_hold_list_model_get_type ())

G_DECLARE_FINAL_TYPE (AwdaHoldListModel, awda_hold_list_model, AWDA, HOLD_LIST_MODEL, GObject)

AwdaHoldListModel *awda_hold_list_model_new         (GListModel        *model);
GListModel        *awda_hold_list_model_get_model   (AwdaHoldListModel *self);
gboolean           awda_hold_list_model_get_holding (AwdaHoldListModel *self);

G_END_DECLS

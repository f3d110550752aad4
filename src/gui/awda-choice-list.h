/* awda-choice-list.h: the values of an enumerated field, for a drop-down
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-dictionary.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_CHOICE_LIST (awda_choice_list_get_type ())

G_DECLARE_FINAL_TYPE (AwdaChoiceList, awda_choice_list, AWDA, CHOICE_LIST, GObject)

AwdaChoiceList *awda_choice_list_new       (const AwdaField *field,
                                            const char      *none_label,
                                            gboolean         sorted);
const char     *awda_choice_list_get_value (AwdaChoiceList  *self,
                                            guint            position);
guint           awda_choice_list_find      (AwdaChoiceList  *self,
                                            const char      *value);

G_END_DECLS

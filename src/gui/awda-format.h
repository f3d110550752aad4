/* awda-format.h: how values from the store read on screen, in the user's language
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-dictionary.h"

G_BEGIN_DECLS

const char *awda_format_enum_value (const AwdaField *field,
                                    const char      *value);
char       *awda_format_cell_text  (const char      *text);
char       *awda_format_date       (const char      *date);
char       *awda_format_count      (guint64          n);
char       *awda_parse_date        (const char      *text);
char       *awda_format_join       (const char      *first,
                                    const char      *second);
char       *awda_format_names      (const char      *given_name,
                                    const char      *family_name,
                                    const char      *given_name_ar,
                                    const char      *family_name_ar);

void        awda_list_box_remove_all (GtkListBox    *list_box);

G_END_DECLS

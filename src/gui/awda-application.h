/* awda-application.h: the GTK application, its actions and its database
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_APPLICATION (awda_application_get_type ())

G_DECLARE_FINAL_TYPE (AwdaApplication, awda_application, AWDA, APPLICATION, GtkApplication)

void             awda_application_choose_renderer   (void);
AwdaApplication *awda_application_new               (void);
const char      *awda_application_get_database_path (AwdaApplication *self);
void             awda_application_set_database_path (AwdaApplication *self,
                                                     const char      *path);
AwdaStore       *awda_application_get_store         (AwdaApplication *self);
void             awda_application_set_opening_delay (AwdaApplication *self,
                                                     guint            delay_ms);

G_END_DECLS

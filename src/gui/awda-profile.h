/* awda-profile.h: start-up figures, printed when AWDA_PROFILE=1
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-types.h"

G_BEGIN_DECLS

void     awda_profile_init         (void);
gboolean awda_profile_is_enabled   (void);
void     awda_profile_mark         (const char *what);
void     awda_profile_watch_window (AwdaWindow *window);

G_END_DECLS

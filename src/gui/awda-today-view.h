/* awda-today-view.h: the follow-ups due and the cases waiting for an action, for the office or the caseworker
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-store.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_TODAY_VIEW (awda_today_view_get_type ())

G_DECLARE_FINAL_TYPE (AwdaTodayView, awda_today_view, AWDA, TODAY_VIEW, GtkWidget)

/* Whose lists: the cases of this installation's office, or the
 * caseworker's own (the "scope" property, and the Mine and Office buttons). */
#define AWDA_TODAY_SCOPE_OFFICE "office"
#define AWDA_TODAY_SCOPE_MINE   "mine"

AwdaTodayView *awda_today_view_new          (AwdaStore     *store);

AwdaStore     *awda_today_view_get_store    (AwdaTodayView *self);
void           awda_today_view_set_store    (AwdaTodayView *self,
                                             AwdaStore     *store);
/* The staff member using this installation (GSettings staff-id when the
 * schema is installed): "Mine" lists their cases, and marking a
 * follow-up done records them. */
const char    *awda_today_view_get_staff_id (AwdaTodayView *self);
void           awda_today_view_set_staff_id (AwdaTodayView *self,
                                             const char    *staff_id);
const char    *awda_today_view_get_scope    (AwdaTodayView *self);
void           awda_today_view_set_scope    (AwdaTodayView *self,
                                             const char    *scope);
/* Whether the lists are being read (off the main thread). */
gboolean       awda_today_view_get_loading  (AwdaTodayView *self);

/* Reads the lists again; also done when the view is mapped, and by the
 * action today.refresh (F5, Ctrl+R). */
void           awda_today_view_refresh      (AwdaTodayView *self);

G_END_DECLS

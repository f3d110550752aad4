/* awda-case-list-model.h: the cases matching a search, as a list backed by SQL
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "awda-store.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_CASE_LIST_MODEL (awda_case_list_model_get_type ())

G_DECLARE_FINAL_TYPE (AwdaCaseListModel, awda_case_list_model, AWDA, CASE_LIST_MODEL, GObject)

/* Rows are read this many at a time. */
#define AWDA_CASE_LIST_PAGE_SIZE 100

AwdaCaseListModel *awda_case_list_model_new         (AwdaStore         *store);
AwdaStore         *awda_case_list_model_get_store   (AwdaCaseListModel *self);
void               awda_case_list_model_set_query   (AwdaCaseListModel *self,
                                                     const char        *search,
                                                     const char        *status);
const char        *awda_case_list_model_get_search  (AwdaCaseListModel *self);
void               awda_case_list_model_set_search  (AwdaCaseListModel *self,
                                                     const char        *search);
const char        *awda_case_list_model_get_status  (AwdaCaseListModel *self);
void               awda_case_list_model_set_status  (AwdaCaseListModel *self,
                                                     const char        *status);
void               awda_case_list_model_refresh     (AwdaCaseListModel *self);
gboolean           awda_case_list_model_get_loading (AwdaCaseListModel *self);
guint              awda_case_list_model_get_n_cached_pages (AwdaCaseListModel *self);

G_END_DECLS

/* awda-case-list-model.h: the cases matching a search and filters, as a list backed by SQL
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

/* A query first lists this many cases, enough to fill the view; the rest
 * of a longer list follows once the query has stayed the same a moment. */
#define AWDA_CASE_LIST_FIRST_ROWS 200

AwdaCaseListModel *awda_case_list_model_new              (AwdaStore         *store);
AwdaStore         *awda_case_list_model_get_store        (AwdaCaseListModel *self);
void               awda_case_list_model_set_query        (AwdaCaseListModel *self,
                                                          const char        *search,
                                                          const char        *status);
const char        *awda_case_list_model_get_search       (AwdaCaseListModel *self);
void               awda_case_list_model_set_search       (AwdaCaseListModel *self,
                                                          const char        *search);
const char        *awda_case_list_model_get_status       (AwdaCaseListModel *self);
void               awda_case_list_model_set_status       (AwdaCaseListModel *self,
                                                          const char        *status);
const char        *awda_case_list_model_get_governorate  (AwdaCaseListModel *self);
void               awda_case_list_model_set_governorate  (AwdaCaseListModel *self,
                                                          const char        *governorate);
const char        *awda_case_list_model_get_programme    (AwdaCaseListModel *self);
void               awda_case_list_model_set_programme    (AwdaCaseListModel *self,
                                                          const char        *programme);
const char        *awda_case_list_model_get_caseworker   (AwdaCaseListModel *self);
void               awda_case_list_model_set_caseworker   (AwdaCaseListModel *self,
                                                          const char        *caseworker);
const char        *awda_case_list_model_get_vulnerability (AwdaCaseListModel *self);
void               awda_case_list_model_set_vulnerability (AwdaCaseListModel *self,
                                                          const char        *vulnerability);
gboolean           awda_case_list_model_get_overdue      (AwdaCaseListModel *self);
void               awda_case_list_model_set_overdue      (AwdaCaseListModel *self,
                                                          gboolean           overdue);
AwdaCaseSort       awda_case_list_model_get_sort         (AwdaCaseListModel *self);
gboolean           awda_case_list_model_get_sort_reversed (AwdaCaseListModel *self);
void               awda_case_list_model_set_sort         (AwdaCaseListModel *self,
                                                          AwdaCaseSort       sort,
                                                          gboolean           reversed);
gboolean           awda_case_list_model_is_filtered      (AwdaCaseListModel *self);
void               awda_case_list_model_refresh          (AwdaCaseListModel *self);
void               awda_case_list_model_reload_case      (AwdaCaseListModel *self,
                                                          const char        *case_id);
gboolean           awda_case_list_model_get_loading      (AwdaCaseListModel *self);
gboolean           awda_case_list_model_get_complete     (AwdaCaseListModel *self);
guint              awda_case_list_model_get_n_cached_pages (AwdaCaseListModel *self);
void               awda_case_list_model_get_page_reads   (AwdaCaseListModel *self,
                                                          guint             *n_reads,
                                                          gint64            *microseconds);

G_END_DECLS

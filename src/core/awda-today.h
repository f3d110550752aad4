/* awda-today.h: the follow-ups due and the cases waiting for an action, for an office or a caseworker
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "awda-store.h"

G_BEGIN_DECLS

/* Why a row is on today's lists. */
typedef enum
{
  AWDA_TODAY_FOLLOW_UP_DUE,          /* a follow-up scheduled today, not done */
  AWDA_TODAY_FOLLOW_UP_OVERDUE,      /* a follow-up scheduled before today, not done */
  AWDA_TODAY_NO_CONSENT,             /* at reception, consent (date and scope) not recorded */
  AWDA_TODAY_RECEPTION_WAITING,      /* at reception for more than AWDA_TODAY_RECEPTION_DAYS */
  AWDA_TODAY_NO_ASSESSMENT,          /* at assessment, with no assessment recorded */
  AWDA_TODAY_APPROVAL,               /* a proposed plan item above the approval threshold */
  AWDA_TODAY_IMPLEMENTATION_OVERDUE, /* in implementation, with a follow-up overdue */
} AwdaTodayKind;

/* A case at reception for longer than this waits for an action. */
#define AWDA_TODAY_RECEPTION_DAYS 7

/* One row: plain data, in the stored form (dates YYYY-MM-DD, enum values
 * untranslated, amounts canonical); the view translates and formats. */
typedef struct
{
  AwdaTodayKind  kind;
  char          *case_id;
  gint64         case_rowid;      /* local, for the case list */
  char          *given_name;
  char          *family_name;
  char          *given_name_ar;
  char          *family_name_ar;
  char          *status;          /* the case's stage */
  char          *record_id;       /* the follow-up or the plan item; NULL for the case itself */
  char          *since;           /* YYYY-MM-DD: scheduled on, opened on, in its stage since, proposed on */
  int            days;            /* whole days from since to today (0: today) */
  char          *mode;            /* follow-ups: their mode, or NULL */
  char          *plan_kind;       /* approval: the item's kind */
  char          *budget;          /* approval: the item's budget, canonical */
  char          *currency;        /* approval: its currency, or NULL */
} AwdaTodayItem;

void awda_today_item_free (AwdaTodayItem *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaTodayItem, awda_today_item_free)

/* Whose lists: the cases of an office (owner_office), of a caseworker,
 * or both; with neither, every case of the database. */
typedef struct
{
  const char *today;       /* YYYY-MM-DD; NULL for today as the store's clock has it */
  const char *office;      /* an office id, or NULL */
  const char *caseworker;  /* a staff id, or NULL */
  guint       limit;       /* the most rows of each list (follow-ups) or of each kind (waiting); 0 for 100 */
} AwdaTodayQuery;

/* (element-type AwdaTodayItem): the follow-ups not done and scheduled
 * today or before, of live cases that are not closed; today's first,
 * then the most recently due. @truncated (optional) tells whether more
 * than @query->limit were found. */
GPtrArray  *awda_today_list_follow_ups (AwdaStore            *store,
                                        const AwdaTodayQuery *query,
                                        gboolean             *truncated,
                                        GError              **error);

/* (element-type AwdaTodayItem): the cases waiting for an action, kind by
 * kind in the order of AwdaTodayKind, at most @query->limit of each, the
 * longest waiting first. @truncated (optional) tells whether any kind had
 * more than the limit. */
GPtrArray  *awda_today_list_waiting    (AwdaStore            *store,
                                        const AwdaTodayQuery *query,
                                        gboolean             *truncated,
                                        GError              **error);

/* Today's date, YYYY-MM-DD, as the store's clock has it (tests set it). */
char       *awda_today_get_date        (AwdaStore            *store);

/* The office of this installation: the office named as the site, else
 * the one of the site's kind in its governorate (the smallest id), as
 * awda-workflow.c chooses it for thresholds; NULL when none is, with
 * @error unset. */
char       *awda_today_get_local_office (AwdaStore           *store,
                                         GError             **error);

/* Marks a follow-up done today (done_on; done_by when @staff_id is given
 * and none is recorded), in one edit through awda_store_apply(). Refuses
 * a follow-up that is already done, or deleted. */
gboolean    awda_today_mark_done       (AwdaStore            *store,
                                        const char           *follow_up_id,
                                        const char           *staff_id,
                                        GError              **error);

G_END_DECLS

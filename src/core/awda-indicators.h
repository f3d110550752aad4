/* awda-indicators.h: the evaluation indicators, computed with SQL over the typed tables
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every indicator counts live records only (deleted = 0) and applies the
 * period to one date of its own, named in the table's `basis`:
 *
 *   cases by stage, office, governorate, sex, age band, host country,
 *   return type; time to an approved plan .......... case.opened_on
 *   cases over time ...................... case.opened_on, case.closed_on
 *   closures by reason ............................ case.closed_on
 *   assistance budgeted ...................... plan_item.approved_on
 *   assistance disbursed .................... plan_item.disbursed_on
 *   referrals by partner ........................ referral.sent_on
 *   follow-ups ............................ follow_up.scheduled_on
 *   sustainability ..... assessment.date of the latest survey (see below)
 *
 * The office filter keeps the records of the cases whose owner_office is
 * that office. The programme filter keeps the cases whose return_programme
 * is that programme, and their child records; for the assistance table, it
 * keeps the plan items whose own programme is that programme.
 *
 * Definitions:
 * - Age band: the age at the return date (at opening when the return date
 *   is unknown), from the birth date: 0–17, 18–24, 25–34, 35–44, 45–54,
 *   55 and over, unknown.
 * - Time to an approved plan: for a case opened in the period, the days
 *   from opened_on to the earliest approved_on of its plan items (any
 *   status, cancelled included: the plan was approved). Median, mean, and
 *   the share of the cases with an approved plan that got it within 30
 *   days.
 * - Assistance: budgeted is the budget of the plan items approved in the
 *   period and not cancelled; disbursed is the disbursed amount of the
 *   plan items disbursed in the period. Rows are a programme, a kind and a
 *   currency: amounts in different currencies are never added.
 * - Referrals: acceptance rate = (accepted + done) / (accepted + rejected
 *   + done), the referrals answered; completion rate = done / all.
 * - Follow-ups: done on time = done_on no later than scheduled_on plus
 *   AWDA_FOLLOW_UP_GRACE_DAYS; done late = done after that; overdue = not
 *   done and scheduled before the filter's today (as the case list's
 *   overdue filter); upcoming = not done, scheduled today or later.
 *   On-time rate = on time / (on time + late + overdue).
 * - Sustainability: for each case, its baseline is its first scored
 *   sustainability survey, its follow-up the latest later one dated no
 *   later than the period's end; a case counts when that follow-up falls
 *   within the period. The composite is score_composite, or, for surveys
 *   scored before it existed, the weighted mean of the three dimension
 *   scores (awda_survey_composite()). A score reaches the threshold when
 *   it is at least the survey's threshold (0.66) times 100.
 */

#pragma once

#include <gio/gio.h>

#include "awda-store.h"

G_BEGIN_DECLS

#define AWDA_FOLLOW_UP_GRACE_DAYS 7
#define AWDA_PLAN_APPROVAL_TARGET_DAYS 30

typedef struct
{
  const char *from;       /* YYYY-MM-DD, inclusive; NULL: no start */
  const char *to;         /* YYYY-MM-DD, inclusive; NULL: no end */
  const char *office;     /* an office id; NULL: every office */
  const char *programme;  /* a programme id; NULL: every programme */
  const char *today;      /* YYYY-MM-DD, the day overdue is judged on; NULL: today */
} AwdaIndicatorFilter;

typedef enum
{
  AWDA_INDICATOR_SUMMARY,            /* one row of key figures */
  AWDA_INDICATOR_CASES_BY_STAGE,
  AWDA_INDICATOR_CASES_BY_OFFICE,    /* a column per stage, and the total */
  AWDA_INDICATOR_CASES_BY_GOVERNORATE,
  AWDA_INDICATOR_CASES_BY_SEX,
  AWDA_INDICATOR_CASES_BY_AGE,
  AWDA_INDICATOR_CASES_BY_HOST_COUNTRY,
  AWDA_INDICATOR_CASES_BY_RETURN_TYPE,
  AWDA_INDICATOR_CASES_BY_MONTH,     /* opened and closed, a row a month */
  AWDA_INDICATOR_PLAN_APPROVAL,      /* a row an office, and the total */
  AWDA_INDICATOR_ASSISTANCE,         /* a row a programme, kind and currency; totals per currency */
  AWDA_INDICATOR_REFERRALS,          /* a row a partner, and the total */
  AWDA_INDICATOR_FOLLOW_UPS,         /* a row an office, and the total */
  AWDA_INDICATOR_CLOSURES,           /* a row a closure reason, and the total */
  AWDA_INDICATOR_SUSTAINABILITY,     /* a row a dimension, and the composite */
  AWDA_INDICATOR_N_TABLES
} AwdaIndicatorId;

typedef enum
{
  AWDA_VALUE_COUNT,   /* a whole number */
  AWDA_VALUE_AMOUNT,  /* thousandths of the row's currency */
  AWDA_VALUE_RATIO,   /* from 0 to 1 */
  AWDA_VALUE_DAYS,    /* days, maybe with a fraction */
  AWDA_VALUE_SCORE,   /* from 0 to 100 */
  AWDA_VALUE_CHANGE,  /* a signed difference of scores */
} AwdaValueKind;

typedef struct
{
  const char    *key;    /* stable: CSV headers, code */
  const char    *label;  /* N_() marked: translate with _() */
  AwdaValueKind  kind;
} AwdaIndicatorColumn;

typedef struct
{
  char     *key;       /* stable: an enum value, a record id, a country code, a month
                        * (YYYY-MM), "total"; "" for unknown or none; assistance:
                        * "PROGRAMME-ID/KIND/CURRENCY", totals "total:CURRENCY" */
  char     *label;     /* translated when computed */
  char     *currency;  /* ISO 4217 code of the row's amounts; NULL when it has none */
  gboolean  total;     /* a total row */
  double   *values;    /* one per column; NAN: no value (a rate of nothing) */
} AwdaIndicatorRow;

typedef struct
{
  AwdaIndicatorId            id;
  const char                *key;        /* stable: "cases_by_stage", the CSV file's name */
  const char                *title;      /* N_() marked */
  const char                *basis;      /* N_() marked: what the period applies to */
  guint                      n_columns;
  const AwdaIndicatorColumn *columns;
  GPtrArray                 *rows;       /* (element-type AwdaIndicatorRow) */
} AwdaIndicatorTable;

typedef enum
{
  AWDA_INDICATORS_NONE      = 0,
  /* Also compute every office's tables, for the report's office pages. */
  AWDA_INDICATORS_BY_OFFICE = 1 << 0,
} AwdaIndicatorFlags;

typedef struct _AwdaIndicators AwdaIndicators;

/* Computes every table for @filter. It reads through connections of its
 * own to the store's file (read only; two on a machine with several
 * processors, sharing the work), all in one snapshot of the database:
 * writes of @store not yet committed are not seen, and @store's
 * connection is not used, so the GUI can call this in a GTask's thread
 * while the window goes on with the store. Checks @cancellable every
 * few thousand rows.
 *
 * The first call on a database makes the indexes the computation needs
 * (CREATE INDEX IF NOT EXISTS); on a large database made before them,
 * that takes a few seconds once, and holds the write lock meanwhile. */
AwdaIndicators            *awda_indicators_compute          (AwdaStore                  *store,
                                                             const AwdaIndicatorFilter  *filter,
                                                             AwdaIndicatorFlags          flags,
                                                             GCancellable               *cancellable,
                                                             GError                    **error);
void                       awda_indicators_free             (AwdaIndicators             *indicators);

/* The filter as computed, with today filled in. */
const AwdaIndicatorFilter *awda_indicators_get_filter       (AwdaIndicators             *indicators);
/* The names of the filter's office and programme, NULL when not filtered. */
const char                *awda_indicators_get_office_name  (AwdaIndicators             *indicators);
const char                *awda_indicators_get_programme_name (AwdaIndicators           *indicators);
/* The survey threshold used, from 0 to 100. */
int                        awda_indicators_get_threshold_score (AwdaIndicators          *indicators);

const AwdaIndicatorTable  *awda_indicators_get_table        (AwdaIndicators             *indicators,
                                                             AwdaIndicatorId             id);

/* With AWDA_INDICATORS_BY_OFFICE: the offices that own cases in scope,
 * in name order, and each one's tables (the same definitions, for that
 * office's cases). */
guint                      awda_indicators_get_n_offices    (AwdaIndicators             *indicators);
const char                *awda_indicators_get_office_id    (AwdaIndicators             *indicators,
                                                             guint                       index);
const char                *awda_indicators_get_office_label (AwdaIndicators             *indicators,
                                                             guint                       index);
const AwdaIndicatorTable  *awda_indicators_get_office_table (AwdaIndicators             *indicators,
                                                             guint                       index,
                                                             AwdaIndicatorId             id);

/* Finds a row by key; NULL when absent. */
const AwdaIndicatorRow    *awda_indicator_table_lookup_row  (const AwdaIndicatorTable   *table,
                                                             const char                 *key);
/* A column's index by key; -1 when absent. */
int                        awda_indicator_table_column      (const AwdaIndicatorTable   *table,
                                                             const char                 *key);
/* The value of row @row_key, column @column_key; NAN when either is absent. */
double                     awda_indicator_table_get         (const AwdaIndicatorTable   *table,
                                                             const char                 *row_key,
                                                             const char                 *column_key);

/* A value for people, in the current locale: "1 234", "12.5 %",
 * "1 250.500 TND", "18.5", "+7"; "—" for NAN. */
char                      *awda_indicator_format_value      (AwdaValueKind               kind,
                                                             double                      value,
                                                             const char                 *currency);
/* A value for machines (CSV): "1234", "0.1250", "1250.500", "18.5"; ""
 * for NAN. */
char                      *awda_indicator_format_raw        (AwdaValueKind               kind,
                                                             double                      value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaIndicators, awda_indicators_free)

G_END_DECLS

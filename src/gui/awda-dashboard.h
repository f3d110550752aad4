/* awda-dashboard.h: the indicators of a period, an office and a programme, as figures, charts and tables
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-indicators.h"
#include "awda-store.h"
#include "awda-types.h"

G_BEGIN_DECLS

/* The quick choices of period, each from the store's today. */
typedef enum
{
  AWDA_DASHBOARD_PERIOD_THIS_MONTH,
  AWDA_DASHBOARD_PERIOD_THIS_QUARTER,
  AWDA_DASHBOARD_PERIOD_THIS_YEAR,
  AWDA_DASHBOARD_PERIOD_LAST_YEAR,
  AWDA_DASHBOARD_PERIOD_ALL,     /* every date */
  AWDA_DASHBOARD_PERIOD_CUSTOM,  /* the dates chosen */
} AwdaDashboardPeriod;

#define AWDA_TYPE_DASHBOARD_PERIOD (awda_dashboard_period_get_type ())
GType awda_dashboard_period_get_type (void);

#define AWDA_TYPE_DASHBOARD (awda_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (AwdaDashboard, awda_dashboard, AWDA, DASHBOARD, GtkWidget)

GtkWidget           *awda_dashboard_new            (AwdaStore           *store);

AwdaStore           *awda_dashboard_get_store      (AwdaDashboard       *self);
void                 awda_dashboard_set_store      (AwdaDashboard       *self,
                                                    AwdaStore           *store);

/* The filter. Each change computes the indicators again, off the main
 * loop, when the dashboard is shown (else when it is next shown); a
 * computation still running for an older filter is cancelled. */
AwdaDashboardPeriod  awda_dashboard_get_period     (AwdaDashboard       *self);
void                 awda_dashboard_set_period     (AwdaDashboard       *self,
                                                    AwdaDashboardPeriod  period);
/* YYYY-MM-DD, inclusive; NULL: no bound. Makes the period custom. */
const char          *awda_dashboard_get_from       (AwdaDashboard       *self);
const char          *awda_dashboard_get_to         (AwdaDashboard       *self);
void                 awda_dashboard_set_range      (AwdaDashboard       *self,
                                                    const char          *from,
                                                    const char          *to);
/* An office or programme id; NULL: all. */
const char          *awda_dashboard_get_office     (AwdaDashboard       *self);
void                 awda_dashboard_set_office     (AwdaDashboard       *self,
                                                    const char          *office);
const char          *awda_dashboard_get_programme  (AwdaDashboard       *self);
void                 awda_dashboard_set_programme  (AwdaDashboard       *self,
                                                    const char          *programme);

/* Whether the indicators are being computed. */
gboolean             awda_dashboard_get_loading    (AwdaDashboard       *self);
/* The indicators shown, NULL before the first result. */
AwdaIndicators      *awda_dashboard_get_indicators (AwdaDashboard       *self);

/* Computes again (after the data changed); the action dashboard.refresh. */
void                 awda_dashboard_refresh        (AwdaDashboard       *self);

/* The actions, without their file choosers: every indicator table shown,
 * as DIR/KEY.csv (dashboard.export-csv asks for DIR); the periodic
 * report of the filter as a PDF (dashboard.save-report asks for the
 * file). Both run off the main loop. */
void                 awda_dashboard_export_csv_async    (AwdaDashboard       *self,
                                                         const char          *dir,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean             awda_dashboard_export_csv_finish   (AwdaDashboard       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void                 awda_dashboard_save_report_async   (AwdaDashboard       *self,
                                                         const char          *path,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean             awda_dashboard_save_report_finish  (AwdaDashboard       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* "Export list as CSV…" of the case list: asks for a file, then writes
 * every case that @query selects (whatever its limit), off the main
 * loop; tells of a failure in a dialog over @parent. */
void                 awda_dashboard_export_case_list (GtkWindow          *parent,
                                                      AwdaStore          *store,
                                                      const AwdaCaseQuery *query);

G_END_DECLS

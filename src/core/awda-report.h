/* awda-report.h: the periodic report and the case summary sheet, laid out in pages with cairo and Pango
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report is a paginated document: awda_report_paginate() lays it out for
 * a page size, awda_report_draw_page() draws one page into any cairo_t (a
 * PDF surface here, a GtkPrintContext's in the window), so that saving
 * and printing give the same pages. Texts are in the user's language;
 * under a right-to-left language (Arabic) the pages are mirrored.
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "awda-indicators.h"
#include "awda-store.h"

G_BEGIN_DECLS

/* A4 in points, the PDF's unit. */
#define AWDA_REPORT_A4_WIDTH  595.276
#define AWDA_REPORT_A4_HEIGHT 841.890

typedef enum
{
  AWDA_REPORT_DIRECTION_AUTO,  /* from the user's language */
  AWDA_REPORT_DIRECTION_LTR,
  AWDA_REPORT_DIRECTION_RTL,
} AwdaReportDirection;

typedef struct
{
  const char          *site_name;     /* "Produced by …"; NULL: not said */
  const char          *produced_on;   /* YYYY-MM-DD; NULL: today */
  AwdaReportDirection  direction;
  gboolean             no_office_pages; /* periodic report: leave out the pages per office */
} AwdaReportOptions;

typedef struct _AwdaReport AwdaReport;

/* The periodic report of @indicators: a cover, the key figures, each
 * indicator table with its chart, and, when @indicators was computed with
 * AWDA_INDICATORS_BY_OFFICE, pages per office. @indicators must outlive
 * the report. */
AwdaReport *awda_report_new_periodic   (AwdaIndicators           *indicators,
                                        const AwdaReportOptions  *options);

/* The case summary sheet of @case_id: identity, return, situation,
 * household, assessments, plan with budget and disbursed per programme
 * and totals per currency, assistance, referrals, follow-ups. It holds
 * personal data: write it to files only the user can read. */
AwdaReport *awda_report_new_case_sheet (AwdaStore                *store,
                                        const char               *case_id,
                                        const AwdaReportOptions  *options,
                                        GError                  **error);

void        awda_report_free           (AwdaReport               *report);

const char *awda_report_get_title      (AwdaReport               *report);
gboolean    awda_report_is_rtl         (AwdaReport               *report);

/* Lays the report out on pages of this size (points); returns the number
 * of pages. */
guint       awda_report_paginate       (AwdaReport               *report,
                                        double                    page_width,
                                        double                    page_height);
/* Draws page @page (from 0) of the last pagination. */
void        awda_report_draw_page      (AwdaReport               *report,
                                        cairo_t                  *cr,
                                        guint                     page);

/* Paginates on A4 and writes the PDF to @out. */
gboolean    awda_report_write_pdf      (AwdaReport               *report,
                                        GOutputStream            *out,
                                        GCancellable             *cancellable,
                                        GError                  **error);
/* The same, into @path through a temporary file renamed at the end, with
 * the permissions @mode (0600 for a case sheet). */
gboolean    awda_report_save_pdf       (AwdaReport               *report,
                                        const char               *path,
                                        int                       mode,
                                        GCancellable             *cancellable,
                                        GError                  **error);

/* Whether the user's language is written right to left. */
gboolean    awda_report_language_is_rtl (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaReport, awda_report_free)

G_END_DECLS

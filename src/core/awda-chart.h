/* awda-chart.h: bar, stacked bar, line and governorate map charts drawn with cairo and Pango
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chart is plain data (categories, series, values) drawn into any
 * cairo_t at a given size: the PDF report draws it on paper, the dashboard
 * widgets in their snapshot. Hit testing uses the same layout, so that a
 * widget can show the value under the pointer.
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "awda-indicators.h"

G_BEGIN_DECLS

typedef enum
{
  AWDA_CHART_BARS,          /* horizontal bars, a group per category */
  AWDA_CHART_STACKED_BARS,  /* horizontal bars, the series stacked */
  AWDA_CHART_LINE,          /* a line per series over the categories (time) */
  AWDA_CHART_MAP,           /* the 24 governorates as tiles; categories keyed TN-xx */
} AwdaChartKind;

typedef struct
{
  gboolean    dark;         /* light text and colours on a dark background */
  gboolean    rtl;          /* right to left: mirrored layout (the map's geography is kept) */
  const char *font_family;  /* NULL: "Noto Sans, Noto Sans Arabic, DejaVu Sans" */
  double      font_size;    /* in cairo user units; 0: 10 */
  gboolean    show_title;
} AwdaChartStyle;

typedef struct _AwdaChart AwdaChart;

AwdaChart  *awda_chart_new              (AwdaChartKind   kind,
                                         const char     *title);
void        awda_chart_free             (AwdaChart      *chart);

AwdaChartKind awda_chart_get_kind       (AwdaChart      *chart);
const char *awda_chart_get_title        (AwdaChart      *chart);

/* How values read: counts, amounts of @currency, ratios… */
void        awda_chart_set_value_kind   (AwdaChart      *chart,
                                         AwdaValueKind   kind,
                                         const char     *currency);
guint       awda_chart_add_series       (AwdaChart      *chart,
                                         const char     *label);
guint       awda_chart_add_category     (AwdaChart      *chart,
                                         const char     *key,
                                         const char     *label);
void        awda_chart_set_value        (AwdaChart      *chart,
                                         guint           category,
                                         guint           series,
                                         double          value);

guint       awda_chart_get_n_categories (AwdaChart      *chart);
guint       awda_chart_get_n_series     (AwdaChart      *chart);
double      awda_chart_get_value        (AwdaChart      *chart,
                                         guint           category,
                                         guint           series);

/* A chart of @table's rows (total rows left out) and of the columns
 * named in @columns (NULL-terminated keys; series labels are the columns'
 * translated labels). For a map, the row keys are governorate codes. At
 * most @max_categories rows (0: all), the rest summed into "Other" for
 * bars. */
AwdaChart  *awda_chart_new_from_table   (const AwdaIndicatorTable *table,
                                         AwdaChartKind             kind,
                                         const char *const        *columns,
                                         guint                     max_categories);

void        awda_chart_draw             (AwdaChart            *chart,
                                         cairo_t              *cr,
                                         double                width,
                                         double                height,
                                         const AwdaChartStyle *style);

/* The category and series under (@x, @y) in a chart drawn at that size
 * and style; FALSE when none. */
gboolean    awda_chart_hit              (AwdaChart            *chart,
                                         double                width,
                                         double                height,
                                         const AwdaChartStyle *style,
                                         double                x,
                                         double                y,
                                         guint                *category,
                                         guint                *series);

/* "Tunis — Cases: 897", for a tooltip. */
char       *awda_chart_describe         (AwdaChart            *chart,
                                         guint                 category,
                                         guint                 series);

/* The code and tile position of each governorate on the grid map. */
gboolean    awda_chart_map_tile         (const char           *code,
                                         int                  *column,
                                         int                  *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaChart, awda_chart_free)

G_END_DECLS

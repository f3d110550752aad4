/* awda-chart-view.h: a widget that draws one chart of awda-chart, with its values on hover
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "awda-chart.h"
#include "awda-types.h"

G_BEGIN_DECLS

#define AWDA_TYPE_CHART_KIND (awda_chart_kind_get_type ())
GType awda_chart_kind_get_type (void);

#define AWDA_TYPE_CHART_VIEW (awda_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (AwdaChartView, awda_chart_view, AWDA, CHART_VIEW, GtkWidget)

GtkWidget     *awda_chart_view_new          (AwdaChartKind             kind);

/* The kind of chart that awda_chart_view_set_table() makes (the "kind"
 * property); a chart given whole keeps its own. */
AwdaChartKind  awda_chart_view_get_kind     (AwdaChartView            *self);
void           awda_chart_view_set_kind     (AwdaChartView            *self,
                                             AwdaChartKind             kind);
gboolean       awda_chart_view_get_show_title (AwdaChartView          *self);
void           awda_chart_view_set_show_title (AwdaChartView          *self,
                                             gboolean                  show_title);

/* The chart drawn; NULL: nothing. */
AwdaChart     *awda_chart_view_get_chart    (AwdaChartView            *self);
void           awda_chart_view_set_chart    (AwdaChartView            *self,
                                             AwdaChart                *chart);  /* (transfer full) (nullable) */
/* A chart of @table's columns @columns (NULL-terminated keys), of the
 * view's kind: see awda_chart_new_from_table(). */
void           awda_chart_view_set_table    (AwdaChartView            *self,
                                             const AwdaIndicatorTable *table,
                                             const char *const        *columns,
                                             guint                     max_categories);

/* What the tooltip says at (@x, @y), in the widget's coordinates: the
 * label and value of the bar, tile or point there; NULL when none. */
char          *awda_chart_view_describe_at  (AwdaChartView            *self,
                                             double                    x,
                                             double                    y);

G_END_DECLS

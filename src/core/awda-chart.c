/* awda-chart.c: bar, stacked bar, line and governorate map charts drawn with cairo and Pango
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every chart is laid out left to right first (ChartLayout: the rectangles
 * and points of the data, the anchors of the texts); under a right-to-left
 * language the layout is mirrored as a whole, so that category labels
 * stand on the right, bars grow leftwards and time runs from right to
 * left. The governorate map keeps its geography: only its legend moves.
 * Colours come in two sets, for light and dark backgrounds, after the
 * GNOME palette; the chart draws no background of its own.
 */

#define G_LOG_DOMAIN "awda-chart"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "awda-chart.h"

#define DEFAULT_FONT "Noto Sans, Noto Sans Arabic, DejaVu Sans"
#define MAP_COLUMNS 5
#define MAP_ROWS 7

struct _AwdaChart
{
  AwdaChartKind  kind;
  char          *title;
  AwdaValueKind  value_kind;
  char          *currency;
  GPtrArray     *series;      /* labels */
  GPtrArray     *keys;        /* category keys */
  GPtrArray     *labels;      /* category labels */
  GArray        *values;      /* double, category-major: category × n_series + series */
};

/* The hand-laid tile grid: roughly Tunisia's shape, north at the top. */
static const struct
{
  const char *code;
  int         column;
  int         row;
} map_tiles[] = {
  { "TN-23", 2, 0 }, { "TN-12", 3, 0 },
  { "TN-32", 0, 1 }, { "TN-31", 1, 1 }, { "TN-14", 2, 1 }, { "TN-11", 3, 1 },
  { "TN-33", 0, 2 }, { "TN-34", 1, 2 }, { "TN-22", 2, 2 }, { "TN-13", 3, 2 }, { "TN-21", 4, 2 },
  { "TN-42", 0, 3 }, { "TN-43", 1, 3 }, { "TN-41", 2, 3 }, { "TN-51", 3, 3 }, { "TN-52", 4, 3 },
  { "TN-71", 1, 4 }, { "TN-61", 3, 4 }, { "TN-53", 4, 4 },
  { "TN-72", 0, 5 }, { "TN-73", 1, 5 }, { "TN-81", 2, 5 }, { "TN-82", 3, 5 },
  { "TN-83", 3, 6 },
};

gboolean
awda_chart_map_tile (const char *code,
                     int        *column,
                     int        *row)
{
  g_return_val_if_fail (code != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (map_tiles); i++)
    if (strcmp (map_tiles[i].code, code) == 0)
      {
        if (column)
          *column = map_tiles[i].column;
        if (row)
          *row = map_tiles[i].row;
        return TRUE;
      }
  return FALSE;
}

/* Data */

AwdaChart *
awda_chart_new (AwdaChartKind  kind,
                const char    *title)
{
  AwdaChart *chart = g_new0 (AwdaChart, 1);

  chart->kind = kind;
  chart->title = g_strdup (title);
  chart->value_kind = AWDA_VALUE_COUNT;
  chart->series = g_ptr_array_new_with_free_func (g_free);
  chart->keys = g_ptr_array_new_with_free_func (g_free);
  chart->labels = g_ptr_array_new_with_free_func (g_free);
  chart->values = g_array_new (FALSE, TRUE, sizeof (double));
  return chart;
}

void
awda_chart_free (AwdaChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->title);
  g_free (chart->currency);
  g_ptr_array_unref (chart->series);
  g_ptr_array_unref (chart->keys);
  g_ptr_array_unref (chart->labels);
  g_array_unref (chart->values);
  g_free (chart);
}

AwdaChartKind
awda_chart_get_kind (AwdaChart *chart)
{
  g_return_val_if_fail (chart != NULL, AWDA_CHART_BARS);
  return chart->kind;
}

const char *
awda_chart_get_title (AwdaChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->title;
}

void
awda_chart_set_value_kind (AwdaChart     *chart,
                           AwdaValueKind  kind,
                           const char    *currency)
{
  g_return_if_fail (chart != NULL);

  chart->value_kind = kind;
  g_free (chart->currency);
  chart->currency = g_strdup (currency);
}

/* Values are kept category-major: adding a series re-spreads them. */
guint
awda_chart_add_series (AwdaChart  *chart,
                       const char *label)
{
  guint n_old, n_categories;
  g_autoptr(GArray) values = NULL;

  g_return_val_if_fail (chart != NULL, 0);

  n_old = chart->series->len;
  n_categories = chart->keys->len;
  values = g_array_sized_new (FALSE, TRUE, sizeof (double), n_categories * (n_old + 1));
  for (guint c = 0; c < n_categories; c++)
    {
      double zero = 0.0;

      g_array_append_vals (values, &g_array_index (chart->values, double, c * n_old), n_old);
      g_array_append_val (values, zero);
    }
  g_array_unref (chart->values);
  chart->values = g_steal_pointer (&values);

  g_ptr_array_add (chart->series, g_strdup (label ? label : ""));
  return n_old;
}

guint
awda_chart_add_category (AwdaChart  *chart,
                         const char *key,
                         const char *label)
{
  g_return_val_if_fail (chart != NULL, 0);

  g_ptr_array_add (chart->keys, g_strdup (key ? key : ""));
  g_ptr_array_add (chart->labels, g_strdup (label ? label : ""));
  g_array_set_size (chart->values, chart->keys->len * chart->series->len);
  return chart->keys->len - 1;
}

void
awda_chart_set_value (AwdaChart *chart,
                      guint      category,
                      guint      series,
                      double     value)
{
  g_return_if_fail (chart != NULL);
  g_return_if_fail (category < chart->keys->len);
  g_return_if_fail (series < chart->series->len);

  g_array_index (chart->values, double, category * chart->series->len + series) = value;
}

guint
awda_chart_get_n_categories (AwdaChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->keys->len;
}

guint
awda_chart_get_n_series (AwdaChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->series->len;
}

double
awda_chart_get_value (AwdaChart *chart,
                      guint      category,
                      guint      series)
{
  g_return_val_if_fail (chart != NULL, NAN);
  g_return_val_if_fail (category < chart->keys->len, NAN);
  g_return_val_if_fail (series < chart->series->len, NAN);

  return g_array_index (chart->values, double, category * chart->series->len + series);
}

AwdaChart *
awda_chart_new_from_table (const AwdaIndicatorTable *table,
                           AwdaChartKind             kind,
                           const char *const        *columns,
                           guint                     max_categories)
{
  g_autoptr(GArray) indexes = g_array_new (FALSE, FALSE, sizeof (int));
  AwdaChart *chart;
  guint n_rows = 0, other = G_MAXUINT;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (columns != NULL && columns[0] != NULL, NULL);

  chart = awda_chart_new (kind, _(table->title));
  for (guint i = 0; columns[i] != NULL; i++)
    {
      int index = awda_indicator_table_column (table, columns[i]);

      if (index < 0)
        {
          g_critical ("The table %s has no column %s", table->key, columns[i]);
          continue;
        }
      g_array_append_val (indexes, index);
      awda_chart_add_series (chart, _(table->columns[index].label));
    }
  if (indexes->len > 0)
    awda_chart_set_value_kind (chart, table->columns[g_array_index (indexes, int, 0)].kind, NULL);

  for (guint r = 0; r < table->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, r);
      guint category;

      if (row->total)
        continue;
      if (row->currency != NULL && chart->currency == NULL)
        chart->currency = g_strdup (row->currency);

      if (max_categories > 0 && n_rows >= max_categories && kind != AWDA_CHART_MAP)
        {
          if (other == G_MAXUINT)
            other = awda_chart_add_category (chart, "other", _("Other"));
          category = other;
          for (guint s = 0; s < indexes->len; s++)
            {
              double v = row->values[g_array_index (indexes, int, s)];

              if (!isnan (v))
                awda_chart_set_value (chart, category, s, awda_chart_get_value (chart, category, s) + v);
            }
          continue;
        }

      category = awda_chart_add_category (chart, row->key, row->label);
      for (guint s = 0; s < indexes->len; s++)
        awda_chart_set_value (chart, category, s, row->values[g_array_index (indexes, int, s)]);
      n_rows++;
    }
  return chart;
}

/* Colours */

typedef struct
{
  double r, g, b;
} Rgb;

/* GNOME palette: the 3 shades for light backgrounds, the 1 shades for dark. */
static const Rgb series_light[] = {
  { 0x1c / 255.0, 0x71 / 255.0, 0xd8 / 255.0 },  /* blue 4 */
  { 0x2e / 255.0, 0xc2 / 255.0, 0x7e / 255.0 },  /* green 4 */
  { 0xe5 / 255.0, 0xa5 / 255.0, 0x0a / 255.0 },  /* yellow 5 */
  { 0xe6 / 255.0, 0x61 / 255.0, 0x00 / 255.0 },  /* orange 4 */
  { 0xc0 / 255.0, 0x1c / 255.0, 0x28 / 255.0 },  /* red 4 */
  { 0x81 / 255.0, 0x3d / 255.0, 0x9c / 255.0 },  /* purple 3 */
  { 0x86 / 255.0, 0x5e / 255.0, 0x3c / 255.0 },  /* brown 4 */
  { 0x5e / 255.0, 0x5c / 255.0, 0x64 / 255.0 },  /* dark 2 */
};

static const Rgb series_dark[] = {
  { 0x62 / 255.0, 0xa0 / 255.0, 0xea / 255.0 },  /* blue 2 */
  { 0x57 / 255.0, 0xe3 / 255.0, 0x89 / 255.0 },  /* green 2 */
  { 0xf8 / 255.0, 0xe4 / 255.0, 0x5c / 255.0 },  /* yellow 2 */
  { 0xff / 255.0, 0xa3 / 255.0, 0x48 / 255.0 },  /* orange 2 */
  { 0xf6 / 255.0, 0x61 / 255.0, 0x51 / 255.0 },  /* red 1 */
  { 0xc0 / 255.0, 0x61 / 255.0, 0xcb / 255.0 },  /* purple 2 */
  { 0xcd / 255.0, 0xab / 255.0, 0x8f / 255.0 },  /* brown 1 */
  { 0xc0 / 255.0, 0xbf / 255.0, 0xbc / 255.0 },  /* light 4 */
};

static Rgb
series_color (guint    series,
              gboolean dark)
{
  return dark ? series_dark[series % G_N_ELEMENTS (series_dark)]
              : series_light[series % G_N_ELEMENTS (series_light)];
}

static void
set_foreground (cairo_t  *cr,
                gboolean  dark,
                double    alpha)
{
  if (dark)
    cairo_set_source_rgba (cr, 1.0, 1.0, 1.0, alpha);
  else
    cairo_set_source_rgba (cr, 0.0, 0.0, 6 / 255.0, alpha);
}

static void
set_rgb (cairo_t *cr,
         Rgb      c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

/* The map's sequential scale, from a pale to a deep blue (light), or from
 * a deep to a pale blue (dark): larger values always stand out more. */
static Rgb
scale_color (double   t,
             gboolean dark)
{
  static const Rgb light_low = { 0xe3 / 255.0, 0xee / 255.0, 0xfc / 255.0 };
  static const Rgb light_high = { 0x1a / 255.0, 0x5f / 255.0, 0xb4 / 255.0 };
  static const Rgb dark_low = { 0x24 / 255.0, 0x33 / 255.0, 0x48 / 255.0 };
  static const Rgb dark_high = { 0x99 / 255.0, 0xc1 / 255.0, 0xf1 / 255.0 };
  const Rgb *lo = dark ? &dark_low : &light_low, *hi = dark ? &dark_high : &light_high;
  Rgb c;

  t = CLAMP (t, 0.0, 1.0);
  c.r = lo->r + (hi->r - lo->r) * t;
  c.g = lo->g + (hi->g - lo->g) * t;
  c.b = lo->b + (hi->b - lo->b) * t;
  return c;
}

static gboolean
is_light (Rgb c)
{
  return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b > 0.55;
}

/* Text */

typedef struct
{
  PangoContext         *context;
  const AwdaChartStyle *style;
  double                size;
  gboolean              dark;
  gboolean              rtl;
  double                width;   /* for mirroring */
} Ink;

static PangoLayout *
text_layout (Ink        *ink,
             const char *text,
             double      scale,
             gboolean    bold,
             double      max_width)
{
  PangoLayout *layout = pango_layout_new (ink->context);
  PangoFontDescription *font = pango_font_description_from_string (ink->style->font_family
                                                                   ? ink->style->font_family : DEFAULT_FONT);

  pango_font_description_set_absolute_size (font, ink->size * scale * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static double
text_width (Ink        *ink,
            const char *text,
            double      scale,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = text_layout (ink, text, scale, bold, -1);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return logical.width / (double) PANGO_SCALE;
}

static double
text_height (Ink    *ink,
             double  scale)
{
  g_autoptr(PangoLayout) layout = text_layout (ink, "Ag عربي", scale, FALSE, -1);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return logical.height / (double) PANGO_SCALE;
}

typedef enum { ALIGN_START, ALIGN_CENTER, ALIGN_END } Align;

/* Draws @text with its start (left, in the left-to-right layout), centre or
 * end at @x, vertically centred on @y; mirrored under right to left. */
static void
draw_text (cairo_t    *cr,
           Ink        *ink,
           const char *text,
           double      x,
           double      y,
           Align       align,
           double      scale,
           gboolean    bold,
           double      max_width)
{
  g_autoptr(PangoLayout) layout = text_layout (ink, text, scale, bold, max_width);
  PangoRectangle logical;
  double left;

  pango_layout_get_extents (layout, NULL, &logical);

  if (ink->rtl)
    {
      x = ink->width - x;
      align = align == ALIGN_START ? ALIGN_END : align == ALIGN_END ? ALIGN_START : ALIGN_CENTER;
    }

  switch (align)
    {
    case ALIGN_START:
      left = x;
      break;
    case ALIGN_END:
      left = x - logical.width / (double) PANGO_SCALE;
      break;
    case ALIGN_CENTER:
    default:
      left = x - logical.width / (double) PANGO_SCALE / 2.0;
      break;
    }

  cairo_move_to (cr, left - logical.x / (double) PANGO_SCALE,
                 y - logical.height / (double) PANGO_SCALE / 2.0 - logical.y / (double) PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
}

/* A rectangle of the left-to-right layout, mirrored as needed. */
static void
rect (cairo_t *cr,
      Ink     *ink,
      double   x,
      double   y,
      double   w,
      double   h)
{
  if (ink->rtl)
    x = ink->width - x - w;
  cairo_rectangle (cr, x, y, w, h);
}

static double
mirror_x (Ink    *ink,
          double  x)
{
  return ink->rtl ? ink->width - x : x;
}

static char *
format_value (AwdaChart *chart,
              double     value)
{
  g_autofree char *text = awda_indicator_format_value (chart->value_kind, value, chart->currency);

  /* Numbers read left to right, in a right-to-left page too. */
  return g_strconcat ("\u200e", text, NULL);
}

/* Nice round steps for an axis: 1, 2 or 5 times a power of ten. */
static double
nice_step (double max,
           int    ticks)
{
  double raw = max / MAX (ticks, 1), magnitude, fraction;

  if (raw <= 0)
    return 1.0;
  magnitude = pow (10.0, floor (log10 (raw)));
  fraction = raw / magnitude;
  if (fraction <= 1.0)
    return magnitude;
  if (fraction <= 2.0)
    return 2.0 * magnitude;
  if (fraction <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

/* Layout */

typedef struct
{
  double x, y, w, h;
} Box;

typedef struct
{
  double   title_h;
  Box      legend;
  Box      plot;
  double   label_w;        /* bars: the category labels' column */
  double   value_w;        /* bars: room for the values */
  double   row_h;          /* bars: a category's band */
  double   max;            /* the value scale's top */
  double   min;            /* map: the lowest value */
  double   step;           /* line: the axis step */
  double   tile;           /* map: a tile's side */
  double   map_x, map_y;
  GArray  *boxes;          /* Box per category × series (left to right) */
} ChartLayout;

static double
value_at (AwdaChart *chart,
          guint      c,
          guint      s)
{
  double v = g_array_index (chart->values, double, c * chart->series->len + s);

  return isnan (v) ? 0.0 : v;
}

static double
legend_height (AwdaChart *chart,
               Ink       *ink,
               double     width)
{
  double x = 0, rows = 1, swatch = ink->size, gap = ink->size;

  if (chart->kind == AWDA_CHART_MAP)
    return ink->size * 2.6;
  if (chart->series->len < 2)
    return 0;
  for (guint s = 0; s < chart->series->len; s++)
    {
      double w = swatch + ink->size * 0.4 + text_width (ink, g_ptr_array_index (chart->series, s), 0.9, FALSE) + gap;

      if (x > 0 && x + w > width)
        {
          rows++;
          x = 0;
        }
      x += w;
    }
  return rows * ink->size * 1.6 + ink->size * 0.4;
}

static void
layout_compute (AwdaChart            *chart,
                Ink                  *ink,
                double                width,
                double                height,
                ChartLayout          *lay)
{
  double m = ink->size * 0.5;
  guint n_cat = chart->keys->len, n_ser = MAX (chart->series->len, 1);

  memset (lay, 0, sizeof *lay);
  lay->boxes = g_array_new (FALSE, TRUE, sizeof (Box));
  g_array_set_size (lay->boxes, n_cat * chart->series->len);

  if (ink->style->show_title && chart->title != NULL)
    lay->title_h = text_height (ink, 1.2) + ink->size * 0.4;

  lay->legend.x = m;
  lay->legend.y = lay->title_h;
  lay->legend.w = width - 2 * m;
  lay->legend.h = legend_height (chart, ink, width - 2 * m);

  lay->plot.x = m;
  lay->plot.y = lay->title_h + lay->legend.h + m * 0.5;
  lay->plot.w = width - 2 * m;
  lay->plot.h = height - lay->plot.y - m;
  if (lay->plot.w <= 0 || lay->plot.h <= 0 || n_cat == 0)
    return;

  switch (chart->kind)
    {
    case AWDA_CHART_BARS:
    case AWDA_CHART_STACKED_BARS:
      {
        gboolean stacked = chart->kind == AWDA_CHART_STACKED_BARS;
        double label_max = 0, value_max = 0;
        double cap = ink->size * (stacked ? 2.0 : n_ser > 1 ? 1.3 + 0.9 * n_ser : 1.9);

        for (guint c = 0; c < n_cat; c++)
          {
            double sum = 0;

            label_max = MAX (label_max, text_width (ink, g_ptr_array_index (chart->labels, c), 0.9, FALSE));
            for (guint s = 0; s < chart->series->len; s++)
              {
                double v = value_at (chart, c, s);
                g_autofree char *text = NULL;

                sum += v;
                if (!stacked)
                  {
                    lay->max = MAX (lay->max, v);
                    text = format_value (chart, v);
                    value_max = MAX (value_max, text_width (ink, text, 0.85, FALSE));
                  }
              }
            if (stacked)
              {
                g_autofree char *text = format_value (chart, sum);

                lay->max = MAX (lay->max, sum);
                value_max = MAX (value_max, text_width (ink, text, 0.85, TRUE));
              }
          }
        if (lay->max <= 0)
          lay->max = 1;

        lay->label_w = MIN (label_max, lay->plot.w * 0.38);
        lay->value_w = value_max + ink->size * 0.6;
        lay->row_h = MIN (lay->plot.h / n_cat, cap);

        for (guint c = 0; c < n_cat; c++)
          {
            double band_y = lay->plot.y + c * lay->row_h;
            double x0 = lay->plot.x + lay->label_w + ink->size * 0.6;
            double span = lay->plot.w - lay->label_w - ink->size * 0.6 - lay->value_w;
            double acc = 0;

            span = MAX (span, 1);
            for (guint s = 0; s < chart->series->len; s++)
              {
                Box *b = &g_array_index (lay->boxes, Box, c * chart->series->len + s);
                double v = value_at (chart, c, s);

                if (stacked)
                  {
                    b->x = x0 + span * acc / lay->max;
                    b->w = span * v / lay->max;
                    b->y = band_y + lay->row_h * 0.15;
                    b->h = lay->row_h * 0.7;
                    acc += v;
                  }
                else
                  {
                    double bar_h = lay->row_h * 0.8 / n_ser;

                    b->x = x0;
                    b->w = span * v / lay->max;
                    b->y = band_y + lay->row_h * 0.1 + s * bar_h;
                    b->h = bar_h * 0.9;
                  }
              }
          }
        break;
      }

    case AWDA_CHART_LINE:
      {
        double axis_w, edge = 0, label_h = text_height (ink, 0.85) * 1.3;
        g_autofree char *top = NULL;

        for (guint c = 0; c < n_cat; c++)
          for (guint s = 0; s < chart->series->len; s++)
            lay->max = MAX (lay->max, value_at (chart, c, s));
        lay->step = nice_step (lay->max > 0 ? lay->max : 1, 4);
        lay->max = ceil ((lay->max > 0 ? lay->max : 1) / lay->step) * lay->step;
        top = format_value (chart, lay->max);
        axis_w = text_width (ink, top, 0.85, FALSE) + ink->size * 0.6;

        /* The first and last category labels are centred on the ends. */
        for (guint c = 0; c < n_cat; c += MAX (n_cat - 1, 1))
          edge = MAX (edge, text_width (ink, g_ptr_array_index (chart->labels, c), 0.85, FALSE) / 2);

        lay->label_w = axis_w;
        lay->plot.x += MAX (axis_w, edge);
        lay->plot.w -= MAX (axis_w, edge) + MAX (edge, ink->size);
        lay->plot.y += ink->size * 0.5;
        lay->plot.h -= label_h + ink->size * 0.5;
        for (guint c = 0; c < n_cat; c++)
          for (guint s = 0; s < chart->series->len; s++)
            {
              Box *b = &g_array_index (lay->boxes, Box, c * chart->series->len + s);
              double v = value_at (chart, c, s);

              b->x = lay->plot.x + (n_cat > 1 ? lay->plot.w * c / (n_cat - 1) : lay->plot.w / 2);
              b->y = lay->plot.y + lay->plot.h * (1.0 - v / lay->max);
              b->w = b->h = 0;
            }
        break;
      }

    case AWDA_CHART_MAP:
    default:
      {
        double gap;

        lay->min = G_MAXDOUBLE;
        lay->max = -G_MAXDOUBLE;
        for (guint c = 0; c < n_cat; c++)
          if (awda_chart_map_tile (g_ptr_array_index (chart->keys, c), NULL, NULL))
            {
              lay->min = MIN (lay->min, value_at (chart, c, 0));
              lay->max = MAX (lay->max, value_at (chart, c, 0));
            }
        if (lay->min > lay->max)
          lay->min = lay->max = 0;

        lay->tile = MIN (lay->plot.w / MAP_COLUMNS, lay->plot.h / MAP_ROWS);
        gap = lay->tile * 0.06;
        lay->map_x = lay->plot.x + (lay->plot.w - lay->tile * MAP_COLUMNS) / 2;
        lay->map_y = lay->plot.y + (lay->plot.h - lay->tile * MAP_ROWS) / 2;
        for (guint c = 0; c < n_cat; c++)
          {
            int col, row;

            if (!awda_chart_map_tile (g_ptr_array_index (chart->keys, c), &col, &row) ||
                chart->series->len == 0)
              continue;
            {
              Box *b = &g_array_index (lay->boxes, Box, c * chart->series->len);

              /* Geography is not mirrored: the boxes are absolute. */
              b->x = lay->map_x + col * lay->tile + gap / 2;
              b->y = lay->map_y + row * lay->tile + gap / 2;
              b->w = b->h = lay->tile - gap;
            }
          }
        break;
      }
    }
}

static void
layout_clear (ChartLayout *lay)
{
  g_clear_pointer (&lay->boxes, g_array_unref);
}

/* Drawing */

static void
draw_legend (AwdaChart   *chart,
             cairo_t     *cr,
             Ink         *ink,
             ChartLayout *lay)
{
  double x = lay->legend.x, y = lay->legend.y + ink->size * 0.9, swatch = ink->size;

  if (chart->kind == AWDA_CHART_MAP)
    {
      double bar_w = MIN (lay->legend.w * 0.5, ink->size * 16), bar_h = ink->size * 0.7;
      double bx = lay->legend.x + (lay->legend.w - bar_w) / 2;
      g_autofree char *lo = format_value (chart, lay->min);
      g_autofree char *hi = format_value (chart, lay->max);
      cairo_pattern_t *pattern;
      double x0 = mirror_x (ink, bx), x1 = mirror_x (ink, bx + bar_w);

      pattern = cairo_pattern_create_linear (x0, 0, x1, 0);
      for (int i = 0; i <= 4; i++)
        {
          Rgb c = scale_color (i / 4.0, ink->dark);
          cairo_pattern_add_color_stop_rgb (pattern, i / 4.0, c.r, c.g, c.b);
        }
      rect (cr, ink, bx, lay->legend.y + ink->size * 0.3, bar_w, bar_h);
      cairo_set_source (cr, pattern);
      cairo_fill (cr);
      cairo_pattern_destroy (pattern);

      set_foreground (cr, ink->dark, 0.8);
      draw_text (cr, ink, lo, bx - ink->size * 0.4, lay->legend.y + ink->size * 0.3 + bar_h / 2,
                 ALIGN_END, 0.85, FALSE, -1);
      draw_text (cr, ink, hi, bx + bar_w + ink->size * 0.4, lay->legend.y + ink->size * 0.3 + bar_h / 2,
                 ALIGN_START, 0.85, FALSE, -1);
      return;
    }

  if (chart->series->len < 2)
    return;

  for (guint s = 0; s < chart->series->len; s++)
    {
      const char *label = g_ptr_array_index (chart->series, s);
      double w = swatch + ink->size * 0.4 + text_width (ink, label, 0.9, FALSE) + ink->size;

      if (x > lay->legend.x && x + w > lay->legend.x + lay->legend.w)
        {
          x = lay->legend.x;
          y += ink->size * 1.6;
        }
      set_rgb (cr, series_color (s, ink->dark));
      if (chart->kind == AWDA_CHART_LINE)
        rect (cr, ink, x, y - swatch * 0.12, swatch, swatch * 0.24);
      else
        rect (cr, ink, x, y - swatch / 2, swatch, swatch);
      cairo_fill (cr);
      set_foreground (cr, ink->dark, 0.85);
      draw_text (cr, ink, label, x + swatch + ink->size * 0.4, y, ALIGN_START, 0.9, FALSE, -1);
      x += w;
    }
}

static void
draw_bars (AwdaChart   *chart,
           cairo_t     *cr,
           Ink         *ink,
           ChartLayout *lay)
{
  gboolean stacked = chart->kind == AWDA_CHART_STACKED_BARS;
  guint n_ser = chart->series->len;
  double base_x = lay->plot.x + lay->label_w + ink->size * 0.6;

  /* The baseline */
  set_foreground (cr, ink->dark, 0.3);
  cairo_set_line_width (cr, MAX (ink->size * 0.08, 0.5));
  cairo_move_to (cr, mirror_x (ink, base_x), lay->plot.y);
  cairo_line_to (cr, mirror_x (ink, base_x), lay->plot.y + lay->row_h * chart->keys->len);
  cairo_stroke (cr);

  for (guint c = 0; c < chart->keys->len; c++)
    {
      double band_y = lay->plot.y + c * lay->row_h;
      double end = base_x;
      double sum = 0;

      set_foreground (cr, ink->dark, 0.85);
      draw_text (cr, ink, g_ptr_array_index (chart->labels, c),
                 lay->plot.x + lay->label_w, band_y + lay->row_h / 2, ALIGN_END, 0.9, FALSE, lay->label_w);

      for (guint s = 0; s < n_ser; s++)
        {
          Box *b = &g_array_index (lay->boxes, Box, c * n_ser + s);
          double v = value_at (chart, c, s);

          sum += v;
          if (b->w > 0)
            {
              set_rgb (cr, series_color (s, ink->dark));
              rect (cr, ink, b->x, b->y, b->w, b->h);
              cairo_fill (cr);
            }
          end = MAX (end, b->x + b->w);
          if (!stacked)
            {
              double raw = g_array_index (chart->values, double, c * n_ser + s);
              g_autofree char *text = format_value (chart, raw);

              set_foreground (cr, ink->dark, 0.75);
              draw_text (cr, ink, text, b->x + b->w + ink->size * 0.3, b->y + b->h / 2,
                         ALIGN_START, MIN (0.85, MAX (b->h / ink->size, 0.6)), FALSE, -1);
            }
        }
      if (stacked)
        {
          g_autofree char *text = format_value (chart, sum);

          set_foreground (cr, ink->dark, 0.85);
          draw_text (cr, ink, text, end + ink->size * 0.3, band_y + lay->row_h / 2,
                     ALIGN_START, 0.85, TRUE, -1);
        }
    }
}

static void
draw_line (AwdaChart   *chart,
           cairo_t     *cr,
           Ink         *ink,
           ChartLayout *lay)
{
  guint n_cat = chart->keys->len, n_ser = chart->series->len, every;
  double label_w = 0;

  /* Horizontal grid lines with their values */
  cairo_set_line_width (cr, MAX (ink->size * 0.06, 0.4));
  for (double v = 0; v <= lay->max + lay->step / 2; v += lay->step)
    {
      double y = lay->plot.y + lay->plot.h * (1.0 - v / lay->max);
      g_autofree char *text = format_value (chart, v);

      set_foreground (cr, ink->dark, v == 0 ? 0.35 : 0.12);
      cairo_move_to (cr, mirror_x (ink, lay->plot.x), y);
      cairo_line_to (cr, mirror_x (ink, lay->plot.x + lay->plot.w), y);
      cairo_stroke (cr);
      set_foreground (cr, ink->dark, 0.7);
      draw_text (cr, ink, text, lay->plot.x - ink->size * 0.4, y, ALIGN_END, 0.85, FALSE, -1);
    }

  /* Category labels, as many as fit */
  for (guint c = 0; c < n_cat; c++)
    label_w = MAX (label_w, text_width (ink, g_ptr_array_index (chart->labels, c), 0.85, FALSE));
  every = (guint) ceil ((label_w + ink->size) * n_cat / MAX (lay->plot.w, 1));
  every = MAX (every, 1);
  set_foreground (cr, ink->dark, 0.7);
  for (guint c = 0; c < n_cat; c += every)
    {
      Box *b = &g_array_index (lay->boxes, Box, c * n_ser);

      draw_text (cr, ink, g_ptr_array_index (chart->labels, c), b->x,
                 lay->plot.y + lay->plot.h + text_height (ink, 0.85) * 0.8, ALIGN_CENTER, 0.85, FALSE, -1);
    }

  /* The lines, and their points when there is room */
  for (guint s = 0; s < n_ser; s++)
    {
      set_rgb (cr, series_color (s, ink->dark));
      cairo_set_line_width (cr, MAX (ink->size * 0.2, 1.0));
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint c = 0; c < n_cat; c++)
        {
          Box *b = &g_array_index (lay->boxes, Box, c * n_ser + s);

          if (c == 0)
            cairo_move_to (cr, mirror_x (ink, b->x), b->y);
          else
            cairo_line_to (cr, mirror_x (ink, b->x), b->y);
        }
      cairo_stroke (cr);
      if (lay->plot.w / MAX (n_cat, 1) > ink->size * 0.8)
        for (guint c = 0; c < n_cat; c++)
          {
            Box *b = &g_array_index (lay->boxes, Box, c * n_ser + s);

            cairo_arc (cr, mirror_x (ink, b->x), b->y, ink->size * 0.22, 0, 2 * G_PI);
            cairo_fill (cr);
          }
    }
}

static void
draw_map (AwdaChart   *chart,
          cairo_t     *cr,
          Ink         *ink,
          ChartLayout *lay)
{
  gboolean seen[G_N_ELEMENTS (map_tiles)] = { FALSE };
  double gap = lay->tile * 0.06, radius = lay->tile * 0.08;

  /* Governorates without data: a faint tile. */
  for (guint c = 0; c < chart->keys->len; c++)
    for (guint t = 0; t < G_N_ELEMENTS (map_tiles); t++)
      if (strcmp (map_tiles[t].code, g_ptr_array_index (chart->keys, c)) == 0)
        seen[t] = TRUE;

  for (guint t = 0; t < G_N_ELEMENTS (map_tiles) + chart->keys->len; t++)
    {
      Box box;
      Rgb fill;
      const char *code;
      double v = NAN;
      gboolean has_value = FALSE;

      if (t < G_N_ELEMENTS (map_tiles))
        {
          if (seen[t])
            continue;
          code = map_tiles[t].code;
          box.x = lay->map_x + map_tiles[t].column * lay->tile + gap / 2;
          box.y = lay->map_y + map_tiles[t].row * lay->tile + gap / 2;
          /* A map keeps its geography in either direction: Bizerte
           * stays in the north-west, and hovering finds what is drawn. */
          box.w = box.h = lay->tile - gap;
        }
      else
        {
          guint c = t - G_N_ELEMENTS (map_tiles);

          code = g_ptr_array_index (chart->keys, c);
          if (!awda_chart_map_tile (code, NULL, NULL) || chart->series->len == 0)
            continue;
          box = g_array_index (lay->boxes, Box, c * chart->series->len);
          v = g_array_index (chart->values, double, c * chart->series->len);
          has_value = !isnan (v);
        }

      fill = has_value ? scale_color (lay->max > lay->min ? (v - lay->min) / (lay->max - lay->min) : 1.0, ink->dark)
                       : (ink->dark ? (Rgb) { 0.25, 0.25, 0.27 } : (Rgb) { 0.92, 0.92, 0.93 });

      cairo_new_sub_path (cr);
      cairo_arc (cr, box.x + box.w - radius, box.y + radius, radius, -G_PI / 2, 0);
      cairo_arc (cr, box.x + box.w - radius, box.y + box.h - radius, radius, 0, G_PI / 2);
      cairo_arc (cr, box.x + radius, box.y + box.h - radius, radius, G_PI / 2, G_PI);
      cairo_arc (cr, box.x + radius, box.y + radius, radius, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      set_rgb (cr, fill);
      cairo_fill (cr);

      if (is_light (fill))
        cairo_set_source_rgba (cr, 0, 0, 0, 0.85);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.95);

      {
        /* Tile texts are placed in absolute coordinates: no mirroring. */
        gboolean rtl = ink->rtl;
        double scale = MIN (lay->tile / (ink->size * 4.2), 1.0);
        g_autofree char *text = has_value ? format_value (chart, v) : NULL;

        ink->rtl = FALSE;
        draw_text (cr, ink, code, box.x + box.w / 2, box.y + box.h * (text ? 0.33 : 0.5),
                   ALIGN_CENTER, 0.8 * scale, FALSE, box.w * 0.95);
        if (text != NULL)
          draw_text (cr, ink, text, box.x + box.w / 2, box.y + box.h * 0.68,
                     ALIGN_CENTER, 0.95 * scale, TRUE, box.w * 0.95);
        ink->rtl = rtl;
      }
    }
}

static void
ink_init (Ink                  *ink,
          PangoContext         *context,
          const AwdaChartStyle *style,
          double                width)
{
  static const AwdaChartStyle default_style = { FALSE, FALSE, NULL, 0, TRUE };

  ink->context = context;
  ink->style = style ? style : &default_style;
  ink->size = ink->style->font_size > 0 ? ink->style->font_size : 10.0;
  ink->dark = ink->style->dark;
  ink->rtl = ink->style->rtl;
  ink->width = width;
  pango_context_set_base_dir (context, ink->rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
}

void
awda_chart_draw (AwdaChart            *chart,
                 cairo_t              *cr,
                 double                width,
                 double                height,
                 const AwdaChartStyle *style)
{
  PangoContext *context;
  ChartLayout lay;
  Ink ink;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (cr != NULL);

  context = pango_cairo_create_context (cr);
  ink_init (&ink, context, style, width);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  layout_compute (chart, &ink, width, height, &lay);

  if (lay.title_h > 0)
    {
      set_foreground (cr, ink.dark, 0.95);
      draw_text (cr, &ink, chart->title, ink.size * 0.5, lay.title_h / 2, ALIGN_START, 1.2, TRUE,
                 width - ink.size);
    }

  if (chart->keys->len == 0 || chart->series->len == 0)
    {
      set_foreground (cr, ink.dark, 0.55);
      draw_text (cr, &ink, _("No data for this period"), width / 2,
                 lay.title_h + (height - lay.title_h) / 2, ALIGN_CENTER, 1.0, FALSE, width);
    }
  else
    {
      draw_legend (chart, cr, &ink, &lay);
      switch (chart->kind)
        {
        case AWDA_CHART_BARS:
        case AWDA_CHART_STACKED_BARS:
          draw_bars (chart, cr, &ink, &lay);
          break;
        case AWDA_CHART_LINE:
          draw_line (chart, cr, &ink, &lay);
          break;
        case AWDA_CHART_MAP:
        default:
          draw_map (chart, cr, &ink, &lay);
          break;
        }
    }

  layout_clear (&lay);
  cairo_restore (cr);
  g_object_unref (context);
}

gboolean
awda_chart_hit (AwdaChart            *chart,
                double                width,
                double                height,
                const AwdaChartStyle *style,
                double                x,
                double                y,
                guint                *category,
                guint                *series)
{
  PangoContext *context;
  ChartLayout lay;
  Ink ink;
  gboolean found = FALSE;
  double best = G_MAXDOUBLE;

  g_return_val_if_fail (chart != NULL, FALSE);

  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  ink_init (&ink, context, style, width);
  layout_compute (chart, &ink, width, height, &lay);

  for (guint c = 0; c < chart->keys->len; c++)
    for (guint s = 0; s < chart->series->len; s++)
      {
        Box b = g_array_index (lay.boxes, Box, c * chart->series->len + s);

        if (chart->kind == AWDA_CHART_LINE)
          {
            /* The nearest point within half a category's spacing. */
            double dx = mirror_x (&ink, b.x) - x, dy = b.y - y, d = dx * dx + dy * dy;
            double reach = MAX (lay.plot.w / MAX (chart->keys->len, 1), ink.size * 1.5);

            if (d < best && d < reach * reach)
              {
                best = d;
                *category = c;
                *series = s;
                found = TRUE;
              }
            continue;
          }

        if (chart->kind != AWDA_CHART_MAP && ink.rtl)
          b.x = width - b.x - b.w;
        if (x >= b.x && x <= b.x + MAX (b.w, 2) && y >= b.y && y <= b.y + b.h)
          {
            *category = c;
            *series = s;
            found = TRUE;
          }
      }

  layout_clear (&lay);
  g_object_unref (context);
  return found;
}

char *
awda_chart_describe (AwdaChart *chart,
                     guint      category,
                     guint      series)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (category < chart->keys->len, NULL);
  g_return_val_if_fail (series < chart->series->len, NULL);

  value = format_value (chart, awda_chart_get_value (chart, category, series));
  /* TRANSLATORS: a chart's tooltip: the category (an office, a month…), the series, the value */
  return g_strdup_printf (_("%s — %s: %s"), (const char *) g_ptr_array_index (chart->labels, category),
                          (const char *) g_ptr_array_index (chart->series, series), value);
}

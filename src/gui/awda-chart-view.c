/* awda-chart-view.c: a widget that draws one chart of awda-chart, with its values on hover
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing is awda-chart's, the one the PDF report uses, into the
 * cairo context of a snapshot node. The widget gives it the style it
 * reads from its own CSS: light text on a dark background when its text
 * colour is light (the dark style, however it was asked for), mirrored
 * when its direction is right to left, and the font of the interface.
 * The tooltip names the bar, tile or point under the pointer by
 * awda-chart's hit test, which lays the chart out as the drawing does.
 * For assistive technologies the widget is an image whose description
 * lists every value.
 */

#define G_LOG_DOMAIN "awda-chart-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "awda-chart-view.h"

/* How much of the interface's font size the chart's texts take. */
#define FONT_SCALE 0.9
/* The most values that the accessible description and the keyboard
 * tooltip list. */
#define MAX_DESCRIBED 60

struct _AwdaChartView
{
  GtkWidget      parent_instance;

  /* owned */
  AwdaChart     *chart;

  AwdaChartKind  kind;
  gboolean       show_title;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_SHOW_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (AwdaChartKind, awda_chart_kind,
  G_DEFINE_ENUM_VALUE (AWDA_CHART_BARS, "bars"),
  G_DEFINE_ENUM_VALUE (AWDA_CHART_STACKED_BARS, "stacked-bars"),
  G_DEFINE_ENUM_VALUE (AWDA_CHART_LINE, "line"),
  G_DEFINE_ENUM_VALUE (AWDA_CHART_MAP, "map"))

G_DEFINE_FINAL_TYPE (AwdaChartView, awda_chart_view, GTK_TYPE_WIDGET)

/* The style as the widget's CSS and direction have it. @family holds
 * the font family string that @style points to. */
static void
get_style (AwdaChartView  *self,
           AwdaChartStyle *style,
           char          **family)
{
  GtkWidget *widget = GTK_WIDGET (self);
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  const char *name = font ? pango_font_description_get_family (font) : NULL;
  double size = font ? pango_font_description_get_size (font) / (double) PANGO_SCALE : 0;
  GdkRGBA color;

  /* The text colour tells the background: light text, dark style. The
   * relative luminance of sRGB, roughly. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  style->dark = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5;
  style->rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  style->show_title = self->show_title;

  /* Points to pixels at the interface's resolution. */
  if (font != NULL && !pango_font_description_get_size_is_absolute (font))
    {
      double dpi = pango_cairo_context_get_resolution (context);

      size *= (dpi > 0 ? dpi : 96.0) / 72.0;
    }
  style->font_size = size > 0 ? MAX (size * FONT_SCALE, 8.0) : 0;

  /* The interface's family first; Arabic and the rest from our fonts. */
  *family = g_strdup_printf ("%s%sNoto Sans, Noto Sans Arabic, DejaVu Sans",
                             name ? name : "", name ? ", " : "");
  style->font_family = *family;
}

static char *
describe_all (AwdaChartView *self,
              guint          max)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_categories, n_series, n = 0;

  if (self->chart == NULL)
    return NULL;

  n_categories = awda_chart_get_n_categories (self->chart);
  n_series = awda_chart_get_n_series (self->chart);
  if (n_categories == 0 || n_series == 0)
    return g_strdup (_("No data for this period"));

  for (guint c = 0; c < n_categories; c++)
    for (guint s = 0; s < n_series; s++)
      {
        g_autofree char *value = NULL;

        if (isnan (awda_chart_get_value (self->chart, c, s)))
          continue;
        if (n == max)
          {
            /* Translators: ends a list of a chart's values that goes on. */
            g_string_append (text, _("…"));
            return g_string_free (g_steal_pointer (&text), FALSE);
          }
        value = awda_chart_describe (self->chart, c, s);
        if (n > 0)
          g_string_append (text, "\n");
        g_string_append (text, value);
        n++;
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_accessible (AwdaChartView *self)
{
  g_autofree char *values = describe_all (self, MAX_DESCRIBED);

  if (values == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, values,
                                  -1);
}

/* GtkWidget */

static void
awda_chart_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  AwdaChartView *self = AWDA_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autofree char *family = NULL;
  AwdaChartStyle style = { 0 };
  cairo_t *cr;

  if (self->chart == NULL || width <= 0 || height <= 0)
    return;

  get_style (self, &style, &family);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  awda_chart_draw (self->chart, cr, width, height, &style);
  cairo_destroy (cr);
}

/* The font size in pixels, for the requested height. */
static double
font_pixels (AwdaChartView *self)
{
  g_autofree char *family = NULL;
  AwdaChartStyle style = { 0 };

  get_style (self, &style, &family);
  return style.font_size > 0 ? style.font_size : 10.0;
}

static void
awda_chart_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  AwdaChartView *self = AWDA_CHART_VIEW (widget);
  AwdaChartKind kind = self->chart ? awda_chart_get_kind (self->chart) : self->kind;
  guint n_categories = self->chart ? awda_chart_get_n_categories (self->chart) : 0;
  guint n_series = self->chart ? MAX (awda_chart_get_n_series (self->chart), 1) : 1;
  double size, height;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = kind == AWDA_CHART_MAP ? 260 : 220;
      *natural = kind == AWDA_CHART_MAP ? 360 : 420;
      return;
    }

  /* As much height as the chart needs to show each category's label:
   * the bars grow with the categories; the map and the line do not. */
  size = font_pixels (self);
  switch (kind)
    {
    case AWDA_CHART_MAP:
      height = 30 * size;
      break;
    case AWDA_CHART_LINE:
      height = 15 * size;
      break;
    case AWDA_CHART_STACKED_BARS:
      height = 2 * size + (n_series > 1 ? 2 * size : 0) + MAX (n_categories, 2) * 2.2 * size;
      break;
    case AWDA_CHART_BARS:
    default:
      height = 2 * size + (n_series > 1 ? 2 * size : 0) +
               MAX (n_categories, 2) * size * (n_series > 1 ? 1.3 + 1.1 * n_series : 2.0);
      break;
    }
  if (self->show_title)
    height += 2 * size;

  *minimum = *natural = (int) ceil (MAX (height, 8 * size));
}

static gboolean
awda_chart_view_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_mode,
                               GtkTooltip *tooltip)
{
  AwdaChartView *self = AWDA_CHART_VIEW (widget);
  g_autofree char *text = NULL;

  /* From the keyboard, there is no pointer: every value. */
  if (keyboard_mode)
    text = describe_all (self, 24);
  else
    text = awda_chart_view_describe_at (self, x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
awda_chart_view_direction_changed (GtkWidget        *widget,
                                   GtkTextDirection  previous_direction)
{
  GTK_WIDGET_CLASS (awda_chart_view_parent_class)->direction_changed (widget, previous_direction);

  gtk_widget_queue_draw (widget);
}

/* A change of style (dark, font) changes the colours and the layout. */
static void
awda_chart_view_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (awda_chart_view_parent_class)->css_changed (widget, change);

  gtk_widget_queue_resize (widget);
}

/* GObject */

static void
awda_chart_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AWDA_TYPE_CHART_VIEW);

  G_OBJECT_CLASS (awda_chart_view_parent_class)->dispose (object);
}

static void
awda_chart_view_finalize (GObject *object)
{
  AwdaChartView *self = AWDA_CHART_VIEW (object);

  g_clear_pointer (&self->chart, awda_chart_free);

  G_OBJECT_CLASS (awda_chart_view_parent_class)->finalize (object);
}

static void
awda_chart_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AwdaChartView *self = AWDA_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_SHOW_TITLE:
      g_value_set_boolean (value, self->show_title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_chart_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AwdaChartView *self = AWDA_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      awda_chart_view_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_SHOW_TITLE:
      awda_chart_view_set_show_title (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_chart_view_class_init (AwdaChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = awda_chart_view_dispose;
  object_class->finalize = awda_chart_view_finalize;
  object_class->get_property = awda_chart_view_get_property;
  object_class->set_property = awda_chart_view_set_property;
  widget_class->snapshot = awda_chart_view_snapshot;
  widget_class->measure = awda_chart_view_measure;
  widget_class->query_tooltip = awda_chart_view_query_tooltip;
  widget_class->direction_changed = awda_chart_view_direction_changed;
  widget_class->css_changed = awda_chart_view_css_changed;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, AWDA_TYPE_CHART_KIND, AWDA_CHART_BARS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_TITLE] =
    g_param_spec_boolean ("show-title", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-chart-view.ui");
  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
awda_chart_view_init (AwdaChartView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * awda_chart_view_new:
 * @kind: the kind of chart that awda_chart_view_set_table() makes
 *
 * Returns: (transfer floating): a new view, empty
 */
GtkWidget *
awda_chart_view_new (AwdaChartKind kind)
{
  return g_object_new (AWDA_TYPE_CHART_VIEW, "kind", kind, NULL);
}

AwdaChartKind
awda_chart_view_get_kind (AwdaChartView *self)
{
  g_return_val_if_fail (AWDA_IS_CHART_VIEW (self), AWDA_CHART_BARS);
  return self->kind;
}

void
awda_chart_view_set_kind (AwdaChartView *self,
                          AwdaChartKind  kind)
{
  g_return_if_fail (AWDA_IS_CHART_VIEW (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

gboolean
awda_chart_view_get_show_title (AwdaChartView *self)
{
  g_return_val_if_fail (AWDA_IS_CHART_VIEW (self), FALSE);
  return self->show_title;
}

void
awda_chart_view_set_show_title (AwdaChartView *self,
                                gboolean       show_title)
{
  g_return_if_fail (AWDA_IS_CHART_VIEW (self));

  show_title = !!show_title;
  if (self->show_title == show_title)
    return;
  self->show_title = show_title;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TITLE]);
}

/**
 * awda_chart_view_get_chart:
 *
 * Returns: (transfer none) (nullable): the chart drawn
 */
AwdaChart *
awda_chart_view_get_chart (AwdaChartView *self)
{
  g_return_val_if_fail (AWDA_IS_CHART_VIEW (self), NULL);
  return self->chart;
}

/**
 * awda_chart_view_set_chart:
 * @chart: (transfer full) (nullable): the chart to draw
 */
void
awda_chart_view_set_chart (AwdaChartView *self,
                           AwdaChart     *chart)
{
  g_return_if_fail (AWDA_IS_CHART_VIEW (self));

  if (self->chart == chart)
    return;
  g_clear_pointer (&self->chart, awda_chart_free);
  self->chart = chart;
  if (chart != NULL && awda_chart_get_kind (chart) != self->kind)
    {
      self->kind = awda_chart_get_kind (chart);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }

  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
awda_chart_view_set_table (AwdaChartView            *self,
                           const AwdaIndicatorTable *table,
                           const char *const        *columns,
                           guint                     max_categories)
{
  g_return_if_fail (AWDA_IS_CHART_VIEW (self));
  g_return_if_fail (table == NULL || (columns != NULL && columns[0] != NULL));

  awda_chart_view_set_chart (self, table ? awda_chart_new_from_table (table, self->kind, columns, max_categories)
                                         : NULL);
}

/**
 * awda_chart_view_describe_at:
 * @x: in the widget's coordinates
 * @y: in the widget's coordinates
 *
 * Returns: (transfer full) (nullable): the tooltip's text at that point
 */
char *
awda_chart_view_describe_at (AwdaChartView *self,
                             double         x,
                             double         y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  g_autofree char *family = NULL;
  AwdaChartStyle style = { 0 };
  guint category, series;

  g_return_val_if_fail (AWDA_IS_CHART_VIEW (self), NULL);

  if (self->chart == NULL || width <= 0 || height <= 0)
    return NULL;

  get_style (self, &style, &family);
  if (!awda_chart_hit (self->chart, width, height, &style, x, y, &category, &series))
    return NULL;
  if (isnan (awda_chart_get_value (self->chart, category, series)))
    return NULL;
  return awda_chart_describe (self->chart, category, series);
}

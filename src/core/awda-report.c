/* awda-report.c: the periodic report and the case summary sheet, laid out in pages with cairo and Pango
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report is a list of blocks (headings, texts, key figures, tables,
 * charts, page breaks). Pagination places them on pages, splitting tables
 * between rows and repeating their header; drawing a page draws what was
 * placed on it. Everything is laid out left to right and mirrored under a
 * right-to-left language, as the charts are.
 *
 * Speed: a hundred pages must render in well under two seconds. Table
 * cells are one line (long labels are ellipsized) unless their column
 * wraps, so row heights are known without shaping the text; column widths
 * are estimated from cached advance widths of each character, and one
 * PangoLayout per table style is reused for all its cells.
 */

#define G_LOG_DOMAIN "awda-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "awda-chart.h"
#include "awda-csv.h"
#include "awda-iso-tables.h"
#include "awda-report.h"

#define FONT_FAMILY "Noto Sans, Noto Sans Arabic, DejaVu Sans"

#define MARGIN_X 42.0
#define MARGIN_TOP 46.0
#define MARGIN_BOTTOM 56.0

#define SIZE_COVER 26.0
#define SIZE_H1 15.0
#define SIZE_H2 11.5
#define SIZE_TEXT 9.0
#define SIZE_TABLE 8.0
#define SIZE_FOOTER 7.5
#define CELL_PAD 3.5
#define TABLE_LINE 1.35  /* a table line's height, in font sizes */

typedef enum
{
  BLOCK_COVER_TITLE,
  BLOCK_HEADING,
  BLOCK_SUBHEADING,
  BLOCK_TEXT,
  BLOCK_FIGURES,
  BLOCK_TABLE,
  BLOCK_CHART,
  BLOCK_PAGE_BREAK,
  BLOCK_SPACE,
} BlockKind;

typedef struct
{
  char     **cells;
  gboolean   bold;     /* a total */
  double     height;   /* of the last layout */
} TableRow;

typedef struct
{
  guint      n;
  char     **headers;  /* n, or NULL: no header row */
  gboolean  *numeric;  /* aligned to the end */
  gboolean  *wrap;     /* may take several lines */
  GPtrArray *rows;     /* TableRow */
  double    *widths;   /* of the last layout */
  double     first_fraction;  /* > 0: the first column's share of the width */
  double     header_h;
  double     laid_out_for;
} Table;

typedef struct
{
  BlockKind  kind;
  char      *text;
  Table     *table;
  AwdaChart *chart;
  gboolean   chart_title; /* the chart shows its title (no heading above it) */
  double     height;      /* charts and spaces: given; others: measured */
  GPtrArray *labels;      /* figures */
  GPtrArray *values;
} Block;

typedef struct
{
  guint  block;
  guint  first_row;
  guint  end_row;
  double y;
  double height;
} Placement;

struct _AwdaReport
{
  char         *title;
  gboolean      rtl;
  GPtrArray    *blocks;
  GPtrArray    *pages;       /* GArray of Placement */
  double        width;
  double        height;

  PangoContext *context;
  GHashTable   *advances;    /* codepoint × weight → advance at size 1 */
  PangoLayout  *cell;        /* reused for table cells */
};

/* Direction */

gboolean
awda_report_language_is_rtl (void)
{
  static const char *rtl_languages[] = { "ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "ug", "sd", NULL };
  const char *const *names = g_get_language_names ();
  /* TRANSLATORS: "default:RTL" for a language written right to left,
   * otherwise leave "default:LTR" (GTK uses the same convention) */
  const char *direction = C_("text direction", "default:LTR");

  if (g_strcmp0 (direction, "default:RTL") == 0)
    return TRUE;
  if (names == NULL || names[0] == NULL)
    return FALSE;
  for (guint i = 0; rtl_languages[i] != NULL; i++)
    {
      gsize len = strlen (rtl_languages[i]);

      if (strncmp (names[0], rtl_languages[i], len) == 0 &&
          (names[0][len] == '\0' || names[0][len] == '_' || names[0][len] == '.' || names[0][len] == '@'))
        return TRUE;
    }
  return FALSE;
}

/* Blocks */

static void
table_free (Table *t)
{
  if (t == NULL)
    return;
  g_strfreev (t->headers);
  g_free (t->numeric);
  g_free (t->wrap);
  g_ptr_array_unref (t->rows);
  g_free (t->widths);
  g_free (t);
}

static void
table_row_free (gpointer data)
{
  TableRow *row = data;

  g_strfreev (row->cells);
  g_free (row);
}

static Table *
table_new (guint n)
{
  Table *t = g_new0 (Table, 1);

  t->n = n;
  t->numeric = g_new0 (gboolean, n);
  t->wrap = g_new0 (gboolean, n);
  t->widths = g_new0 (double, n);
  t->rows = g_ptr_array_new_with_free_func (table_row_free);
  return t;
}

static void
table_add_row (Table     *t,
               char     **cells,
               gboolean   bold)
{
  TableRow *row = g_new0 (TableRow, 1);

  row->cells = cells;
  row->bold = bold;
  g_ptr_array_add (t->rows, row);
}

static void
block_free (gpointer data)
{
  Block *b = data;

  g_free (b->text);
  table_free (b->table);
  g_clear_pointer (&b->chart, awda_chart_free);
  g_clear_pointer (&b->labels, g_ptr_array_unref);
  g_clear_pointer (&b->values, g_ptr_array_unref);
  g_free (b);
}

static Block *
add_block (AwdaReport *report,
           BlockKind   kind,
           const char *text)
{
  Block *b = g_new0 (Block, 1);

  b->kind = kind;
  b->text = g_strdup (text);
  g_ptr_array_add (report->blocks, b);
  return b;
}

static void
add_text (AwdaReport *report,
          const char *text)
{
  add_block (report, BLOCK_TEXT, text);
}

static void
add_space (AwdaReport *report,
           double      height)
{
  add_block (report, BLOCK_SPACE, NULL)->height = height;
}

static void
add_chart (AwdaReport *report,
           AwdaChart  *chart,
           double      height,
           gboolean    with_title)
{
  Block *b = add_block (report, BLOCK_CHART, NULL);

  b->chart = chart;
  b->chart_title = with_title;
  b->height = height;
}

static AwdaReport *
report_new (const char              *title,
            const AwdaReportOptions *options)
{
  AwdaReport *report = g_new0 (AwdaReport, 1);
  cairo_font_options_t *font_options;

  report->title = g_strdup (title);
  switch (options ? options->direction : AWDA_REPORT_DIRECTION_AUTO)
    {
    case AWDA_REPORT_DIRECTION_LTR:
      report->rtl = FALSE;
      break;
    case AWDA_REPORT_DIRECTION_RTL:
      report->rtl = TRUE;
      break;
    case AWDA_REPORT_DIRECTION_AUTO:
    default:
      report->rtl = awda_report_language_is_rtl ();
      break;
    }
  report->blocks = g_ptr_array_new_with_free_func (block_free);
  report->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  report->advances = g_hash_table_new (g_direct_hash, g_direct_equal);

  /* Metrics as on paper: no hinting, so that pagination and drawing agree. */
  report->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  font_options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (report->context, font_options);
  cairo_font_options_destroy (font_options);
  pango_context_set_base_dir (report->context, report->rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
  report->cell = pango_layout_new (report->context);
  return report;
}

void
awda_report_free (AwdaReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->blocks);
  g_ptr_array_unref (report->pages);
  g_hash_table_unref (report->advances);
  g_clear_object (&report->cell);
  g_clear_object (&report->context);
  g_free (report->title);
  g_free (report);
}

const char *
awda_report_get_title (AwdaReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  return report->title;
}

gboolean
awda_report_is_rtl (AwdaReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return report->rtl;
}

/* Text */

static void
set_font (PangoLayout *layout,
          double       size,
          gboolean     bold)
{
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
}

/* The direction of a paragraph as the bidi algorithm resolves it: that
 * of its first letter of a strong direction, else the document's. */
static gboolean
paragraph_is_rtl (AwdaReport *report,
                  const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeScript script = g_unichar_get_script (c);

      if (script == G_UNICODE_SCRIPT_ARABIC || script == G_UNICODE_SCRIPT_HEBREW ||
          script == G_UNICODE_SCRIPT_SYRIAC || script == G_UNICODE_SCRIPT_THAANA ||
          script == G_UNICODE_SCRIPT_NKO)
        return TRUE;
      if (script != G_UNICODE_SCRIPT_COMMON && script != G_UNICODE_SCRIPT_INHERITED &&
          script != G_UNICODE_SCRIPT_UNKNOWN && g_unichar_isalpha (c))
        return FALSE;
    }
  return report->rtl;
}

/* Pango reads left and right against the context's direction: for a
 * paragraph of the other direction, it swaps them. Ask for the side
 * wanted on the page accordingly. */
static void
set_physical_alignment (AwdaReport  *report,
                        PangoLayout *layout,
                        const char  *text,
                        gboolean     right)
{
  if (paragraph_is_rtl (report, text) != report->rtl)
    right = !right;
  pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
}

/* A wrapped paragraph of @width, aligned to the start of the page. */
static PangoLayout *
paragraph (AwdaReport *report,
           const char *text,
           double      size,
           gboolean    bold,
           double      width)
{
  PangoLayout *layout = pango_layout_new (report->context);

  set_font (layout, size, bold);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  set_physical_alignment (report, layout, text, report->rtl);
  return layout;
}

static double
paragraph_height (AwdaReport *report,
                  const char *text,
                  double      size,
                  gboolean    bold,
                  double      width)
{
  g_autoptr(PangoLayout) layout = paragraph (report, text, size, bold, width);
  int h;

  pango_layout_get_size (layout, NULL, &h);
  return h / (double) PANGO_SCALE;
}

/* The advance of a character at size 1, measured once. */
static double
advance (AwdaReport *report,
         gunichar    c,
         gboolean    bold)
{
  gpointer key = GUINT_TO_POINTER ((c << 1) | (bold ? 1 : 0));
  gpointer cached = g_hash_table_lookup (report->advances, key);
  char buffer[8];
  int len, w;
  double value;

  if (cached != NULL)
    return GPOINTER_TO_UINT (cached) / 10000.0;

  set_font (report->cell, 100.0, bold);
  pango_layout_set_width (report->cell, -1);
  pango_layout_set_ellipsize (report->cell, PANGO_ELLIPSIZE_NONE);
  if (g_unichar_isspace (c))
    {
      /* A space alone measures nothing: measure it between two letters. */
      int without;

      pango_layout_set_text (report->cell, "xx", -1);
      pango_layout_get_size (report->cell, &without, NULL);
      pango_layout_set_text (report->cell, "x x", -1);
      pango_layout_get_size (report->cell, &w, NULL);
      w -= without;
    }
  else
    {
      len = g_unichar_to_utf8 (c, buffer);
      pango_layout_set_text (report->cell, buffer, len);
      pango_layout_get_size (report->cell, &w, NULL);
    }
  value = w / (double) PANGO_SCALE / 100.0;
  g_hash_table_insert (report->advances, key, GUINT_TO_POINTER ((guint) (value * 10000.0) + 1));
  return value;
}

/* An estimate of a one-line text's width: enough to size columns. */
static double
estimate_width (AwdaReport *report,
                const char *text,
                double      size,
                gboolean    bold)
{
  double w = 0;

  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    w += advance (report, g_utf8_get_char (p), bold);
  /* Kerning and rounding: a little room to spare. */
  return w * size * 1.04 + 1;
}

/* The page's x for the left-to-right layout's @x. */
static double
page_x (AwdaReport *report,
        double      x,
        double      w)
{
  return report->rtl ? report->width - x - w : x;
}

/* Shows @layout in the box (@x, @w) of the left-to-right layout: at its
 * start, or its end when @end, mirrored as the page is. */
static void
show_in_box (AwdaReport  *report,
             cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y,
             double       w,
             gboolean     end)
{
  PangoRectangle logical;
  double left, box = page_x (report, x, w);

  pango_layout_get_extents (layout, NULL, &logical);
  if (end != report->rtl)
    left = box + w - logical.width / (double) PANGO_SCALE;
  else
    left = box;
  cairo_move_to (cr, left - logical.x / (double) PANGO_SCALE, y);
  pango_cairo_show_layout (cr, layout);
}

/* Measuring blocks */

static double
block_gap_after (Block *b)
{
  switch (b->kind)
    {
    case BLOCK_COVER_TITLE: return 14;
    case BLOCK_HEADING: return 8;
    case BLOCK_SUBHEADING: return 5;
    case BLOCK_TEXT: return 6;
    case BLOCK_FIGURES: return 12;
    case BLOCK_TABLE: return 12;
    case BLOCK_CHART: return 12;
    case BLOCK_PAGE_BREAK:
    case BLOCK_SPACE:
    default:
      return 0;
    }
}

static double
block_gap_before (Block *b)
{
  switch (b->kind)
    {
    case BLOCK_HEADING: return 6;
    case BLOCK_SUBHEADING: return 6;
    case BLOCK_COVER_TITLE:
    case BLOCK_TEXT:
    case BLOCK_FIGURES:
    case BLOCK_TABLE:
    case BLOCK_CHART:
    case BLOCK_PAGE_BREAK:
    case BLOCK_SPACE:
    default:
      return 0;
    }
}

#define FIGURE_COLUMNS 3
#define FIGURE_HEIGHT 50.0

static double
wrap_cell_height (AwdaReport *report,
                  const char *text,
                  gboolean    bold,
                  double      width)
{
  return paragraph_height (report, text, SIZE_TABLE, bold, MAX (width - 2 * CELL_PAD, 10));
}

static void
table_layout (AwdaReport *report,
              Table      *t,
              double      width)
{
  g_autofree double *natural = g_new0 (double, t->n);
  g_autofree gboolean *flex = g_new0 (gboolean, t->n);
  double line = SIZE_TABLE * TABLE_LINE, total = 0, flexible = 0;
  gboolean any_wrap = FALSE;

  if (t->laid_out_for == width)
    return;
  t->laid_out_for = width;

  /* Natural widths: the widest cell, and the header's longest word. */
  for (guint c = 0; c < t->n; c++)
    {
      if (t->headers != NULL)
        {
          g_auto(GStrv) words = g_strsplit (t->headers[c], " ", -1);

          for (guint w = 0; words[w] != NULL; w++)
            natural[c] = MAX (natural[c], estimate_width (report, words[w], SIZE_TABLE, TRUE));
        }
      for (guint r = 0; r < t->rows->len; r++)
        {
          TableRow *row = g_ptr_array_index (t->rows, r);

          natural[c] = MAX (natural[c], estimate_width (report, row->cells[c], SIZE_TABLE, row->bold));
        }
      natural[c] += 2 * CELL_PAD + 2;
      if (t->wrap[c])
        natural[c] = MIN (natural[c], width * 0.6);
      total += natural[c];
      any_wrap |= t->wrap[c];
    }

  /* The columns that give up room when the table is too wide (they wrap,
   * or else are ellipsized), and take the rest when it is narrower: those
   * that wrap, else the text columns. Numbers, dates and codes keep their
   * width. */
  for (guint c = 0; c < t->n; c++)
    {
      flex[c] = any_wrap ? t->wrap[c] : !t->numeric[c];
      if (flex[c])
        flexible += natural[c];
    }
  for (guint c = 0; c < t->n; c++)
    {
      t->widths[c] = natural[c];
      if (flex[c] && flexible > 0)
        t->widths[c] = MAX (natural[c] + (width - total) * natural[c] / flexible, 30);
    }
  /* Still too wide, or nothing to flex: every column in proportion. */
  total = 0;
  for (guint c = 0; c < t->n; c++)
    total += t->widths[c];
  if (flexible == 0 || total > width + 0.5)
    for (guint c = 0; c < t->n; c++)
      t->widths[c] = t->widths[c] * width / total;
  if (t->first_fraction > 0 && t->n == 2)
    {
      t->widths[0] = width * t->first_fraction;
      t->widths[1] = width - t->widths[0];
    }

  t->header_h = 0;
  if (t->headers != NULL)
    for (guint c = 0; c < t->n; c++)
      t->header_h = MAX (t->header_h, paragraph_height (report, t->headers[c], SIZE_TABLE, TRUE,
                                                        MAX (t->widths[c] - 2 * CELL_PAD, 10)) + 2 * CELL_PAD);

  for (guint r = 0; r < t->rows->len; r++)
    {
      TableRow *row = g_ptr_array_index (t->rows, r);

      row->height = line + 2;
      for (guint c = 0; c < t->n; c++)
        if (t->wrap[c] && row->cells[c][0] != '\0')
          row->height = MAX (row->height, wrap_cell_height (report, row->cells[c], row->bold, t->widths[c]) + 2 * CELL_PAD);
    }
}

static double
block_height (AwdaReport *report,
              Block      *b,
              double      width)
{
  switch (b->kind)
    {
    case BLOCK_COVER_TITLE:
      return paragraph_height (report, b->text, SIZE_COVER, TRUE, width);
    case BLOCK_HEADING:
      return paragraph_height (report, b->text, SIZE_H1, TRUE, width) + 4;
    case BLOCK_SUBHEADING:
      return paragraph_height (report, b->text, SIZE_H2, TRUE, width);
    case BLOCK_TEXT:
      return paragraph_height (report, b->text, SIZE_TEXT, FALSE, width);
    case BLOCK_FIGURES:
      return ceil (b->labels->len / (double) FIGURE_COLUMNS) * (FIGURE_HEIGHT + 6);
    case BLOCK_TABLE:
      {
        double h;

        table_layout (report, b->table, width);
        h = b->table->header_h;
        for (guint r = 0; r < b->table->rows->len; r++)
          h += ((TableRow *) g_ptr_array_index (b->table->rows, r))->height;
        return h;
      }
    case BLOCK_CHART:
    case BLOCK_SPACE:
      return b->height;
    case BLOCK_PAGE_BREAK:
    default:
      return 0;
    }
}

/* What must fit below a heading for it to stay on the page. */
static double
block_min_height (AwdaReport *report,
                  Block      *b,
                  double      width)
{
  if (b->kind == BLOCK_TABLE)
    {
      double h;

      table_layout (report, b->table, width);
      h = b->table->header_h;
      for (guint r = 0; r < MIN (b->table->rows->len, 3); r++)
        h += ((TableRow *) g_ptr_array_index (b->table->rows, r))->height;
      return h;
    }
  return block_height (report, b, width);
}

/* Pagination */

static GArray *
new_page (AwdaReport *report)
{
  GArray *page = g_array_new (FALSE, FALSE, sizeof (Placement));

  g_ptr_array_add (report->pages, page);
  return page;
}

guint
awda_report_paginate (AwdaReport *report,
                      double      page_width,
                      double      page_height)
{
  double width = page_width - 2 * MARGIN_X, bottom = page_height - MARGIN_BOTTOM, y = MARGIN_TOP;
  GArray *page;

  g_return_val_if_fail (report != NULL, 0);

  report->width = page_width;
  report->height = page_height;
  g_ptr_array_set_size (report->pages, 0);
  page = new_page (report);

  for (guint i = 0; i < report->blocks->len; i++)
    {
      Block *b = g_ptr_array_index (report->blocks, i);
      double before = page->len > 0 ? block_gap_before (b) : 0;

      if (b->kind == BLOCK_PAGE_BREAK)
        {
          if (page->len > 0)
            {
              page = new_page (report);
              y = MARGIN_TOP;
            }
          continue;
        }

      if (b->kind == BLOCK_TABLE)
        {
          Table *t = b->table;
          guint start = 0;

          table_layout (report, t, width);
          while (start < t->rows->len || (start == 0 && t->rows->len == 0))
            {
              Placement p = { i, start, start, y, t->header_h };
              double first = start < t->rows->len
                             ? ((TableRow *) g_ptr_array_index (t->rows, start))->height : 0;

              if (y + t->header_h + first > bottom && page->len > 0)
                {
                  page = new_page (report);
                  y = MARGIN_TOP;
                  continue;
                }
              p.y = y;
              while (p.end_row < t->rows->len)
                {
                  double h = ((TableRow *) g_ptr_array_index (t->rows, p.end_row))->height;

                  /* A row taller than a page goes on a page of its own. */
                  if (y + p.height + h > bottom && p.end_row > start)
                    break;
                  p.height += h;
                  p.end_row++;
                }
              g_array_append_val (page, p);
              y += p.height;
              start = p.end_row;
              if (start < t->rows->len)
                {
                  page = new_page (report);
                  y = MARGIN_TOP;
                }
              if (t->rows->len == 0)
                break;
            }
          y += block_gap_after (b);
          continue;
        }

      {
        double h = block_height (report, b, width);
        double need = before + h;
        Placement p = { i, 0, 0, 0, h };

        /* Headings keep with the start of what follows. */
        if ((b->kind == BLOCK_HEADING || b->kind == BLOCK_SUBHEADING) && i + 1 < report->blocks->len)
          {
            Block *next = g_ptr_array_index (report->blocks, i + 1);

            if (next->kind != BLOCK_PAGE_BREAK)
              need += block_gap_after (b) + block_min_height (report, next, width);
          }

        if (y + need > bottom && page->len > 0)
          {
            page = new_page (report);
            y = MARGIN_TOP;
            before = 0;
          }
        if (b->kind == BLOCK_SPACE && page->len == 0)
          continue;
        p.y = y + before;
        g_array_append_val (page, p);
        y += before + h + block_gap_after (b);
      }
    }

  if (page->len == 0 && report->pages->len > 1)
    g_ptr_array_set_size (report->pages, report->pages->len - 1);
  return report->pages->len;
}

/* Drawing */

static void
set_ink (cairo_t *cr,
         double   alpha)
{
  cairo_set_source_rgba (cr, 0.12, 0.12, 0.14, alpha);
}

static void
draw_paragraph (AwdaReport *report,
                cairo_t    *cr,
                const char *text,
                double      size,
                gboolean    bold,
                double      y,
                double      alpha)
{
  double width = report->width - 2 * MARGIN_X;
  g_autoptr(PangoLayout) layout = paragraph (report, text, size, bold, width);

  pango_cairo_update_layout (cr, layout);
  set_ink (cr, alpha);
  cairo_move_to (cr, MARGIN_X, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_figures (AwdaReport *report,
              cairo_t    *cr,
              Block      *b,
              double      y)
{
  double width = report->width - 2 * MARGIN_X, gap = 6;
  double w = (width - gap * (FIGURE_COLUMNS - 1)) / FIGURE_COLUMNS;

  for (guint i = 0; i < b->labels->len; i++)
    {
      double x = MARGIN_X + (i % FIGURE_COLUMNS) * (w + gap);
      double top = y + (i / FIGURE_COLUMNS) * (FIGURE_HEIGHT + gap);
      g_autoptr(PangoLayout) value = pango_layout_new (report->context);
      g_autoptr(PangoLayout) label = pango_layout_new (report->context);

      cairo_set_source_rgb (cr, 0.93, 0.95, 0.98);
      cairo_rectangle (cr, page_x (report, x, w), top, w, FIGURE_HEIGHT);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0x1c / 255.0, 0x71 / 255.0, 0xd8 / 255.0);
      cairo_rectangle (cr, page_x (report, x, 3), top, 3, FIGURE_HEIGHT);
      cairo_fill (cr);

      set_font (value, 16, TRUE);
      pango_layout_set_text (value, g_ptr_array_index (b->values, i), -1);
      pango_cairo_update_layout (cr, value);
      set_ink (cr, 0.95);
      show_in_box (report, cr, value, x + 10, top + 6, w - 16, FALSE);

      set_font (label, 7.5, FALSE);
      pango_layout_set_text (label, g_ptr_array_index (b->labels, i), -1);
      pango_layout_set_width (label, (int) ((w - 16) * PANGO_SCALE));
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_cairo_update_layout (cr, label);
      set_ink (cr, 0.7);
      show_in_box (report, cr, label, x + 10, top + 30, w - 16, FALSE);
    }
}

/* Whether @text has no letter: numbers, dates, phone numbers. */
static gboolean
is_neutral (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
draw_cell (AwdaReport *report,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      w,
           double      h,
           gboolean    bold,
           gboolean    end,
           gboolean    wrap)
{
  PangoLayout *layout = report->cell;
  double inner = MAX (w - 2 * CELL_PAD, 4);

  g_autofree char *marked = NULL;

  if (text == NULL || *text == '\0')
    return;

  /* In a right-to-left page, "+216 97 267 009" would come out in the
   * reverse order of its groups: a left-to-right mark keeps it whole. */
  if (report->rtl && is_neutral (text))
    text = marked = g_strconcat ("\u200e", text, NULL);

  set_font (layout, SIZE_TABLE, bold);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (inner * PANGO_SCALE));
  if (wrap)
    {
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      set_physical_alignment (report, layout, text, end != report->rtl);
      pango_cairo_update_layout (cr, layout);
      cairo_move_to (cr, page_x (report, x + CELL_PAD, inner), y + CELL_PAD);
      pango_cairo_show_layout (cr, layout);
      return;
    }

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_cairo_update_layout (cr, layout);
  {
    PangoRectangle logical;

    pango_layout_get_extents (layout, NULL, &logical);
    show_in_box (report, cr, layout, x + CELL_PAD,
                 y + (h - logical.height / (double) PANGO_SCALE) / 2, inner, end);
  }
}

static void
draw_table (AwdaReport      *report,
            cairo_t         *cr,
            Block           *b,
            const Placement *p)
{
  Table *t = b->table;
  double width = report->width - 2 * MARGIN_X, y = p->y, x;

  if (t->headers != NULL)
    {
      cairo_set_source_rgb (cr, 0.90, 0.91, 0.93);
      cairo_rectangle (cr, MARGIN_X, y, width, t->header_h);
      cairo_fill (cr);
      x = MARGIN_X;
      for (guint c = 0; c < t->n; c++)
        {
          set_ink (cr, 0.9);
          draw_cell (report, cr, t->headers[c], x, y, t->widths[c], t->header_h, TRUE, t->numeric[c], TRUE);
          x += t->widths[c];
        }
      y += t->header_h;
    }

  for (guint r = p->first_row; r < p->end_row; r++)
    {
      TableRow *row = g_ptr_array_index (t->rows, r);

      if (row->bold)
        {
          cairo_set_source_rgb (cr, 0.95, 0.95, 0.96);
          cairo_rectangle (cr, MARGIN_X, y, width, row->height);
          cairo_fill (cr);
          set_ink (cr, 0.5);
          cairo_set_line_width (cr, 0.6);
          cairo_move_to (cr, MARGIN_X, y);
          cairo_line_to (cr, MARGIN_X + width, y);
          cairo_stroke (cr);
        }
      else
        {
          set_ink (cr, 0.12);
          cairo_set_line_width (cr, 0.3);
          cairo_move_to (cr, MARGIN_X, y + row->height);
          cairo_line_to (cr, MARGIN_X + width, y + row->height);
          cairo_stroke (cr);
        }

      x = MARGIN_X;
      set_ink (cr, 0.92);
      for (guint c = 0; c < t->n; c++)
        {
          draw_cell (report, cr, row->cells[c], x, y, t->widths[c], row->height, row->bold,
                     t->numeric[c], t->wrap[c]);
          x += t->widths[c];
        }
      y += row->height;
    }
}

static void
draw_footer (AwdaReport *report,
             cairo_t    *cr,
             guint       page)
{
  g_autoptr(PangoLayout) left = pango_layout_new (report->context);
  g_autoptr(PangoLayout) right = pango_layout_new (report->context);
  /* TRANSLATORS: the page number in a report's footer */
  g_autofree char *number = g_strdup_printf (_("Page %u of %u"), page + 1, report->pages->len);
  double width = report->width - 2 * MARGIN_X, y = report->height - MARGIN_BOTTOM + 20;

  set_ink (cr, 0.25);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN_X, y - 5);
  cairo_line_to (cr, MARGIN_X + width, y - 5);
  cairo_stroke (cr);

  set_font (left, SIZE_FOOTER, FALSE);
  pango_layout_set_text (left, report->title, -1);
  pango_layout_set_width (left, (int) (width * 0.7 * PANGO_SCALE));
  pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
  pango_cairo_update_layout (cr, left);
  set_font (right, SIZE_FOOTER, FALSE);
  pango_layout_set_text (right, number, -1);
  pango_cairo_update_layout (cr, right);

  set_ink (cr, 0.6);
  show_in_box (report, cr, left, MARGIN_X, y, width * 0.7, FALSE);
  show_in_box (report, cr, right, MARGIN_X, y, width, TRUE);
}

void
awda_report_draw_page (AwdaReport *report,
                       cairo_t    *cr,
                       guint       page)
{
  GArray *placements;

  g_return_if_fail (report != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page < report->pages->len);

  placements = g_ptr_array_index (report->pages, page);
  pango_cairo_update_context (cr, report->context);

  for (guint i = 0; i < placements->len; i++)
    {
      const Placement *p = &g_array_index (placements, Placement, i);
      Block *b = g_ptr_array_index (report->blocks, p->block);

      switch (b->kind)
        {
        case BLOCK_COVER_TITLE:
          draw_paragraph (report, cr, b->text, SIZE_COVER, TRUE, p->y, 0.95);
          break;
        case BLOCK_HEADING:
          draw_paragraph (report, cr, b->text, SIZE_H1, TRUE, p->y, 0.95);
          cairo_set_source_rgb (cr, 0x1c / 255.0, 0x71 / 255.0, 0xd8 / 255.0);
          cairo_rectangle (cr, page_x (report, MARGIN_X, 36), p->y + p->height - 2, 36, 1.5);
          cairo_fill (cr);
          break;
        case BLOCK_SUBHEADING:
          draw_paragraph (report, cr, b->text, SIZE_H2, TRUE, p->y, 0.9);
          break;
        case BLOCK_TEXT:
          draw_paragraph (report, cr, b->text, SIZE_TEXT, FALSE, p->y, 0.72);
          break;
        case BLOCK_FIGURES:
          draw_figures (report, cr, b, p->y);
          break;
        case BLOCK_TABLE:
          draw_table (report, cr, b, p);
          break;
        case BLOCK_CHART:
          {
            AwdaChartStyle style = { FALSE, report->rtl, NULL, 8.0, b->chart_title };

            cairo_save (cr);
            cairo_translate (cr, MARGIN_X, p->y);
            awda_chart_draw (b->chart, cr, report->width - 2 * MARGIN_X, b->height, &style);
            cairo_restore (cr);
            pango_cairo_update_context (cr, report->context);
          }
          break;
        case BLOCK_PAGE_BREAK:
        case BLOCK_SPACE:
        default:
          break;
        }
    }

  draw_footer (report, cr, page);
}

/* PDF */

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  GOutputStream *out = closure;

  return g_output_stream_write_all (out, data, length, NULL, NULL, NULL)
         ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

gboolean
awda_report_write_pdf (AwdaReport     *report,
                       GOutputStream  *out,
                       GCancellable   *cancellable,
                       GError        **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n_pages;
  gboolean cancelled = FALSE;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  n_pages = awda_report_paginate (report, AWDA_REPORT_A4_WIDTH, AWDA_REPORT_A4_HEIGHT);

  surface = cairo_pdf_surface_create_for_stream (write_to_stream, out,
                                                 AWDA_REPORT_A4_WIDTH, AWDA_REPORT_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, report->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Awda " PACKAGE_VERSION);
  cr = cairo_create (surface);

  for (guint page = 0; page < n_pages; page++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          break;
        }
      awda_report_draw_page (report, cr, page);
      cairo_show_page (cr);
    }

  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (cancelled)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the PDF: %s."), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
awda_report_save_pdf (AwdaReport     *report,
                      const char     *path,
                      int             mode,
                      GCancellable   *cancellable,
                      GError        **error)
{
  AwdaAtomicFile *file;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = awda_atomic_file_new (path, mode, error);
  if (file == NULL)
    return FALSE;
  if (!awda_report_write_pdf (report, awda_atomic_file_get_stream (file), cancellable, error))
    {
      awda_atomic_file_abort (file);
      return FALSE;
    }
  return awda_atomic_file_commit (file, error);
}

/* The periodic report */

static char *
today_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* Dates are kept left to right (U+2066 … U+2069) inside a sentence of
 * either direction: in Arabic, 2025-12-31 would otherwise read 31-12-2025. */
static char *
period_text (const AwdaIndicatorFilter *filter)
{
  g_autofree char *from = filter->from ? g_strconcat ("\u2066", filter->from, "\u2069", NULL) : NULL;
  g_autofree char *to = filter->to ? g_strconcat ("\u2066", filter->to, "\u2069", NULL) : NULL;

  if (from != NULL && to != NULL)
    /* TRANSLATORS: a report's period, two dates */
    return g_strdup_printf (_("From %s to %s"), from, to);
  if (from != NULL)
    return g_strdup_printf (_("From %s"), from);
  if (to != NULL)
    return g_strdup_printf (_("Until %s"), to);
  return g_strdup (_("All dates"));
}

static Table *
table_from_indicators (const AwdaIndicatorTable *source,
                       gboolean                  skip_empty_rows,
                       guint                     max_rows)
{
  guint n_rows = 0;
  gboolean amounts = FALSE;
  Table *t;

  for (guint c = 0; c < source->n_columns; c++)
    amounts |= source->columns[c].kind == AWDA_VALUE_AMOUNT;

  t = table_new (source->n_columns + 1);
  t->headers = g_new0 (char *, t->n + 1);
  t->headers[0] = g_strdup ("");
  for (guint c = 0; c < source->n_columns; c++)
    {
      t->headers[c + 1] = g_strdup (_(source->columns[c].label));
      t->numeric[c + 1] = TRUE;
    }

  for (guint r = 0; r < source->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (source->rows, r);
      char **cells = g_new0 (char *, t->n + 1);
      gboolean empty = TRUE;

      for (guint c = 0; c < source->n_columns; c++)
        empty &= isnan (row->values[c]) || row->values[c] == 0;
      if (skip_empty_rows && empty && !row->total)
        {
          g_free (cells);
          continue;
        }

      /* Past the maximum, only the totals. */
      if (max_rows > 0 && !row->total && n_rows++ >= max_rows)
        {
          g_free (cells);
          continue;
        }

      cells[0] = g_strdup (row->label);
      for (guint c = 0; c < source->n_columns; c++)
        cells[c + 1] = awda_indicator_format_value (source->columns[c].kind, row->values[c],
                                                    amounts ? row->currency : NULL);
      table_add_row (t, cells, row->total);
    }
  return t;
}

typedef struct
{
  AwdaIndicatorId  id;
  AwdaChartKind    kind;
  const char      *columns[8];
  guint            max_categories;
} ChartSpec;

static const ChartSpec chart_specs[] = {
  { AWDA_INDICATOR_CASES_BY_STAGE, AWDA_CHART_BARS, { "cases" }, 0 },
  { AWDA_INDICATOR_CASES_BY_OFFICE, AWDA_CHART_STACKED_BARS,
    { "reception", "assessment", "plan", "implementation", "monitoring", "closed" }, 0 },
  { AWDA_INDICATOR_CASES_BY_GOVERNORATE, AWDA_CHART_MAP, { "cases" }, 0 },
  { AWDA_INDICATOR_CASES_BY_SEX, AWDA_CHART_BARS, { "cases" }, 0 },
  { AWDA_INDICATOR_CASES_BY_AGE, AWDA_CHART_BARS, { "cases" }, 0 },
  { AWDA_INDICATOR_CASES_BY_HOST_COUNTRY, AWDA_CHART_BARS, { "cases" }, 10 },
  { AWDA_INDICATOR_CASES_BY_RETURN_TYPE, AWDA_CHART_BARS, { "cases" }, 0 },
  { AWDA_INDICATOR_CASES_BY_MONTH, AWDA_CHART_LINE, { "opened", "closed" }, 0 },
  { AWDA_INDICATOR_PLAN_APPROVAL, AWDA_CHART_BARS, { "median_days" }, 0 },
  { AWDA_INDICATOR_REFERRALS, AWDA_CHART_STACKED_BARS, { "accepted", "done", "rejected", "awaiting" }, 12 },
  { AWDA_INDICATOR_FOLLOW_UPS, AWDA_CHART_STACKED_BARS, { "on_time", "late", "overdue", "upcoming" }, 0 },
  { AWDA_INDICATOR_CLOSURES, AWDA_CHART_BARS, { "cases" }, 0 },
  { AWDA_INDICATOR_SUSTAINABILITY, AWDA_CHART_BARS, { "baseline", "follow_up" }, 0 },
};

static double
chart_height (AwdaChart *chart)
{
  guint n = awda_chart_get_n_categories (chart), s = awda_chart_get_n_series (chart);

  switch (awda_chart_get_kind (chart))
    {
    case AWDA_CHART_MAP:
      return 330;
    case AWDA_CHART_LINE:
      return 210;
    case AWDA_CHART_STACKED_BARS:
      return 20 + (s > 1 ? 20 : 0) + n * 8 * 2.0;
    case AWDA_CHART_BARS:
    default:
      return 20 + (s > 1 ? 20 : 0) + n * 8 * (s > 1 ? 1.3 + 0.9 * s : 1.9);
    }
}

static gboolean
table_is_empty (const AwdaIndicatorTable *table)
{
  for (guint r = 0; r < table->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        if (!isnan (row->values[c]) && row->values[c] != 0)
          return FALSE;
    }
  return TRUE;
}

typedef enum
{
  SHOW_TABLE      = 1 << 0,
  SHOW_CHART      = 1 << 1,
  SHOW_COMPACT    = 1 << 2,  /* a subheading, smaller charts, no empty rows */
} ShowFlags;

static void
add_indicator (AwdaReport               *report,
               const AwdaIndicatorTable *table,
               ShowFlags                 flags,
               guint                     max_rows)
{
  gboolean compact = (flags & SHOW_COMPACT) != 0;

  add_block (report, compact ? BLOCK_SUBHEADING : BLOCK_HEADING, _(table->title));
  add_text (report, _(table->basis));

  if (table_is_empty (table))
    {
      add_text (report, _("Nothing was recorded in this period."));
      return;
    }

  if (flags & SHOW_CHART)
    for (guint i = 0; i < G_N_ELEMENTS (chart_specs); i++)
      if (chart_specs[i].id == table->id)
        {
          AwdaChart *chart = awda_chart_new_from_table (table, chart_specs[i].kind,
                                                        chart_specs[i].columns,
                                                        chart_specs[i].max_categories);
          double h = chart_height (chart);

          add_chart (report, chart, MIN (h, compact ? 230 : 560), FALSE);
        }

  if (flags & SHOW_TABLE)
    add_block (report, BLOCK_TABLE, NULL)->table = table_from_indicators (table, compact, max_rows);
}

static void
add_figures (AwdaReport               *report,
             const AwdaIndicatorTable *summary)
{
  Block *b = add_block (report, BLOCK_FIGURES, NULL);
  const AwdaIndicatorRow *row = g_ptr_array_index (summary->rows, 0);

  b->labels = g_ptr_array_new_with_free_func (g_free);
  b->values = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < summary->n_columns; c++)
    {
      g_ptr_array_add (b->labels, g_strdup (_(summary->columns[c].label)));
      g_ptr_array_add (b->values, awda_indicator_format_value (summary->columns[c].kind, row->values[c], NULL));
    }
}

static void
add_definitions (AwdaReport     *report,
                 AwdaIndicators *indicators)
{
  g_autofree char *grace = NULL;
  g_autofree char *threshold = NULL;
  g_autofree char *target = NULL;

  add_block (report, BLOCK_PAGE_BREAK, NULL);
  add_block (report, BLOCK_HEADING, _("About these figures"));
  add_text (report, _("Every figure counts the records held in this database when the report was made; deleted records are left out. Each table applies the period to a date of its own, named under its title."));
  add_text (report, _("Age is the age at the return date, or at the opening of the case when the return date is unknown."));
  target = g_strdup_printf (_("Time to an approved plan: the days from the opening of a case to the first approval of one of its plan items. The share within %d days is taken over the cases with an approved plan."),
                            AWDA_PLAN_APPROVAL_TARGET_DAYS);
  add_text (report, target);
  add_text (report, _("Assistance: the budget of the plan items approved in the period (cancelled items left out), and the amounts disbursed in the period. Amounts in different currencies are never added together."));
  add_text (report, _("Referrals: the acceptance rate is the accepted and done referrals over those that were answered; the completion rate is the done referrals over all."));
  grace = g_strdup_printf (_("Follow-ups: on time when done at most %d days after the scheduled date; overdue when not done and scheduled before %s."),
                           AWDA_FOLLOW_UP_GRACE_DAYS, awda_indicators_get_filter (indicators)->today);
  add_text (report, grace);
  threshold = g_strdup_printf (_("Sustainability: each case's first survey (baseline) is compared with its latest later survey made in the period. A score reaches the threshold at %d out of 100."),
                               awda_indicators_get_threshold_score (indicators));
  add_text (report, threshold);
}

AwdaReport *
awda_report_new_periodic (AwdaIndicators          *indicators,
                          const AwdaReportOptions *options)
{
  const AwdaIndicatorFilter *filter;
  g_autofree char *period = NULL;
  g_autofree char *produced = NULL;
  g_autofree char *office = NULL;
  g_autofree char *programme = NULL;
  g_autofree char *today = NULL;
  AwdaReport *report;

  g_return_val_if_fail (indicators != NULL, NULL);

  filter = awda_indicators_get_filter (indicators);
  period = period_text (filter);
  report = report_new (_("Reintegration indicators"), options);
  {
    /* The footer names the period too. */
    g_autofree char *footer = g_strdup_printf ("%s — %s", report->title, period);

    g_free (report->title);
    report->title = g_steal_pointer (&footer);
  }

  /* Cover */
  add_space (report, 90);
  add_block (report, BLOCK_COVER_TITLE, _("Reintegration indicators"));
  add_block (report, BLOCK_SUBHEADING, _("Periodic report"));
  add_space (report, 10);
  add_block (report, BLOCK_SUBHEADING, period);
  office = awda_indicators_get_office_name (indicators)
           ? g_strdup_printf (_("Office: %s"), awda_indicators_get_office_name (indicators))
           : g_strdup (_("All offices"));
  programme = awda_indicators_get_programme_name (indicators)
              ? g_strdup_printf (_("Programme: %s"), awda_indicators_get_programme_name (indicators))
              : g_strdup (_("All programmes"));
  add_text (report, office);
  add_text (report, programme);
  today = g_strdup (options && options->produced_on ? options->produced_on : NULL);
  if (today == NULL)
    today = today_string ();
  if (options && options->site_name)
    produced = g_strdup_printf (_("Produced on %s by %s"), today, options->site_name);
  else
    produced = g_strdup_printf (_("Produced on %s"), today);
  add_text (report, produced);
  add_space (report, 20);
  {
    const AwdaIndicatorTable *governorates = awda_indicators_get_table (indicators, AWDA_INDICATOR_CASES_BY_GOVERNORATE);
    const char *columns[] = { "cases", NULL };

    add_chart (report, awda_chart_new_from_table (governorates, AWDA_CHART_MAP, columns, 0), 380, TRUE);
  }

  /* Key figures */
  add_block (report, BLOCK_PAGE_BREAK, NULL);
  add_block (report, BLOCK_HEADING, _("Key figures"));
  add_figures (report, awda_indicators_get_table (indicators, AWDA_INDICATOR_SUMMARY));
  {
    const AwdaIndicatorTable *months = awda_indicators_get_table (indicators, AWDA_INDICATOR_CASES_BY_MONTH);
    const char *columns[] = { "opened", "closed", NULL };

    add_chart (report, awda_chart_new_from_table (months, AWDA_CHART_LINE, columns, 0), 230, TRUE);
  }

  /* Every indicator, with its chart: a new page for the large ones. */
  for (int id = AWDA_INDICATOR_CASES_BY_STAGE; id < AWDA_INDICATOR_N_TABLES; id++)
    {
      const AwdaIndicatorTable *table = awda_indicators_get_table (indicators, id);

      if (id == AWDA_INDICATOR_CASES_BY_STAGE || table->rows->len > 8)
        add_block (report, BLOCK_PAGE_BREAK, NULL);
      add_indicator (report, table, SHOW_TABLE | SHOW_CHART, 0);
    }

  /* A section per office: the same tables for its cases, shorter. */
  if (!(options && options->no_office_pages))
    for (guint o = 0; o < awda_indicators_get_n_offices (indicators); o++)
      {
        static const struct
        {
          AwdaIndicatorId id;
          ShowFlags       flags;
          guint           max_rows;
        } office_tables[] = {
          { AWDA_INDICATOR_CASES_BY_STAGE, SHOW_TABLE | SHOW_CHART, 0 },
          { AWDA_INDICATOR_CASES_BY_SEX, SHOW_TABLE, 0 },
          { AWDA_INDICATOR_CASES_BY_AGE, SHOW_TABLE, 0 },
          { AWDA_INDICATOR_CASES_BY_RETURN_TYPE, SHOW_TABLE, 0 },
          { AWDA_INDICATOR_CASES_BY_HOST_COUNTRY, SHOW_TABLE, 5 },
          { AWDA_INDICATOR_CASES_BY_MONTH, SHOW_CHART, 0 },
          { AWDA_INDICATOR_PLAN_APPROVAL, SHOW_TABLE, 0 },
          { AWDA_INDICATOR_ASSISTANCE, SHOW_TABLE, 0 },
          { AWDA_INDICATOR_REFERRALS, SHOW_TABLE, 10 },
          { AWDA_INDICATOR_FOLLOW_UPS, SHOW_TABLE | SHOW_CHART, 0 },
          { AWDA_INDICATOR_CLOSURES, SHOW_TABLE, 0 },
          { AWDA_INDICATOR_SUSTAINABILITY, SHOW_TABLE, 0 },
        };
        g_autofree char *heading = g_strdup_printf (_("Office: %s"), awda_indicators_get_office_label (indicators, o));

        add_block (report, BLOCK_PAGE_BREAK, NULL);
        add_block (report, BLOCK_HEADING, heading);
        add_text (report, period);
        add_figures (report, awda_indicators_get_office_table (indicators, o, AWDA_INDICATOR_SUMMARY));
        for (guint i = 0; i < G_N_ELEMENTS (office_tables); i++)
          add_indicator (report, awda_indicators_get_office_table (indicators, o, office_tables[i].id),
                         office_tables[i].flags | SHOW_COMPACT, office_tables[i].max_rows);
      }

  add_definitions (report, indicators);
  return report;
}

/* The case summary sheet */

typedef struct
{
  AwdaStore  *store;
  GHashTable *names;  /* "entity\tid" → name */
} Sheet;

static const char *
reference_name (Sheet      *sheet,
                const char *entity,
                const char *id)
{
  char *key = g_strdup_printf ("%s\t%s", entity, id);
  const char *cached = g_hash_table_lookup (sheet->names, key);
  g_autoptr(AwdaRecord) record = NULL;
  const char *name;
  char *value;

  if (cached != NULL)
    {
      g_free (key);
      return cached;
    }

  record = awda_store_get_record (sheet->store, entity, id, NULL);
  name = record ? awda_record_get (record, "name") : NULL;
  value = g_strdup (name ? name : id);
  g_hash_table_insert (sheet->names, key, value);
  return value;
}

static const char *
country_name (const char *code)
{
  for (const AwdaIsoEntry *e = awda_iso_countries; e->value != NULL; e++)
    if (strcmp (e->value, code) == 0)
      return g_dgettext (AWDA_ISO_3166_1_DOMAIN, e->label);
  return code;
}

/* A field's value for people: labels for codes, names for references. */
static char *
display_value (Sheet            *sheet,
               const AwdaRecord *record,
               const AwdaField  *field)
{
  const char *value = awda_record_get (record, field->name);

  if (value == NULL || *value == '\0')
    return NULL;

  switch (field->type)
    {
    case AWDA_FIELD_ENUM:
      {
        const AwdaEnumValue *v = awda_field_lookup_value (field, value);

        if (v == NULL)
          return g_strdup (value);
        return g_strdup (awda_enum_value_get_label (field, v));
      }
    case AWDA_FIELD_BOOLEAN:
      return g_strdup (g_str_equal (value, "true") ? _("Yes") : _("No"));
    case AWDA_FIELD_REFERENCE:
      return g_strdup (reference_name (sheet, field->reference, value));
    case AWDA_FIELD_COUNTRY:
      return g_strdup (country_name (value));
    case AWDA_FIELD_AMOUNT:
      {
        const char *currency = field->currency ? awda_record_get (record, field->currency) : NULL;
        gint64 thousandths = 0;

        awda_amount_parse (value, &thousandths);
        return awda_indicator_format_value (AWDA_VALUE_AMOUNT, (double) thousandths, currency);
      }
    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_INTEGER:
    case AWDA_FIELD_DATE:
    default:
      return g_strdup (value);
    }
}

static const char *
field_label (const AwdaEntity *entity,
             const char       *name)
{
  const AwdaField *field = awda_entity_lookup_field (entity, name);

  return field ? _(field->label) : name;
}

/* Label and value rows for @fields of @record, those with a value. */
static void
add_fields (AwdaReport        *report,
            Sheet             *sheet,
            const char        *heading,
            const AwdaRecord  *record,
            const char *const *fields)
{
  Table *t = table_new (2);

  t->wrap[1] = TRUE;
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const AwdaField *field = awda_entity_lookup_field (record->entity, fields[i]);
      g_autofree char *value = field ? display_value (sheet, record, field) : NULL;
      char **cells;

      if (value == NULL)
        continue;
      cells = g_new0 (char *, 3);
      cells[0] = g_strdup (_(field->label));
      cells[1] = g_steal_pointer (&value);
      table_add_row (t, cells, FALSE);
    }

  add_block (report, BLOCK_SUBHEADING, heading);
  if (t->rows->len == 0)
    {
      table_free (t);
      add_text (report, _("None recorded."));
      return;
    }
  t->wrap[0] = TRUE;
  t->first_fraction = 0.32;
  add_block (report, BLOCK_TABLE, NULL)->table = t;
}

typedef struct
{
  const char *field;
  gboolean    numeric;
  gboolean    wrap;
} SheetColumn;

/* A table of child records, a column per field. */
static void
add_children (AwdaReport        *report,
              Sheet             *sheet,
              const char        *heading,
              GPtrArray         *records,
              const AwdaEntity  *entity,
              const SheetColumn *columns,
              guint              n_columns)
{
  Table *t;

  add_block (report, BLOCK_SUBHEADING, heading);
  if (records->len == 0)
    {
      add_text (report, _("None recorded."));
      return;
    }

  t = table_new (n_columns);
  t->headers = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    {
      t->headers[c] = g_strdup (field_label (entity, columns[c].field));
      t->numeric[c] = columns[c].numeric;
      t->wrap[c] = columns[c].wrap;
    }
  for (guint r = 0; r < records->len; r++)
    {
      const AwdaRecord *record = g_ptr_array_index (records, r);
      char **cells = g_new0 (char *, n_columns + 1);

      for (guint c = 0; c < n_columns; c++)
        {
          const AwdaField *field = awda_entity_lookup_field (entity, columns[c].field);
          char *value = field ? display_value (sheet, record, field) : NULL;

          cells[c] = value ? value : g_strdup ("");
        }
      table_add_row (t, cells, FALSE);
    }
  add_block (report, BLOCK_TABLE, NULL)->table = t;
}

typedef struct
{
  gint64 budget, disbursed;
} Money;

static int
compare_records_by (const AwdaRecord *a,
                    const AwdaRecord *b,
                    const char       *field)
{
  return g_strcmp0 (awda_record_get (a, field), awda_record_get (b, field));
}

static int
compare_by_date (gconstpointer a,
                 gconstpointer b)
{
  return compare_records_by (*(AwdaRecord **) a, *(AwdaRecord **) b, "date");
}

static int
compare_by_scheduled (gconstpointer a,
                      gconstpointer b)
{
  return compare_records_by (*(AwdaRecord **) a, *(AwdaRecord **) b, "scheduled_on");
}

static int
compare_by_sent (gconstpointer a,
                 gconstpointer b)
{
  return compare_records_by (*(AwdaRecord **) a, *(AwdaRecord **) b, "sent_on");
}

static void
add_money (AwdaReport *report,
           Sheet      *sheet,
           GPtrArray  *items)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) by_currency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) keys = NULL;
  g_autoptr(GList) currencies = NULL;
  Table *t;

  for (guint i = 0; i < items->len; i++)
    {
      const AwdaRecord *item = g_ptr_array_index (items, i);
      const char *currency = awda_record_get (item, "currency");
      const char *programme = awda_record_get (item, "programme");
      gint64 budget = 0, disbursed = 0;
      g_autofree char *key = NULL;
      Money *m;

      if (currency == NULL)
        continue;
      if (g_strcmp0 (awda_record_get (item, "status"), "cancelled") != 0 && awda_record_get (item, "budget"))
        awda_amount_parse (awda_record_get (item, "budget"), &budget);
      if (awda_record_get (item, "disbursed"))
        awda_amount_parse (awda_record_get (item, "disbursed"), &disbursed);

      key = g_strdup_printf ("%s\t%s", programme ? reference_name (sheet, "programme", programme) : "", currency);
      m = g_hash_table_lookup (by_key, key);
      if (m == NULL)
        {
          m = g_new0 (Money, 1);
          g_hash_table_insert (by_key, g_strdup (key), m);
        }
      m->budget += budget;
      m->disbursed += disbursed;

      m = g_hash_table_lookup (by_currency, currency);
      if (m == NULL)
        {
          m = g_new0 (Money, 1);
          g_hash_table_insert (by_currency, g_strdup (currency), m);
        }
      m->budget += budget;
      m->disbursed += disbursed;
    }

  add_block (report, BLOCK_SUBHEADING, _("Budget and disbursed by programme"));
  if (g_hash_table_size (by_key) == 0)
    {
      add_text (report, _("None recorded."));
      return;
    }
  add_text (report, _("Budgets of the plan items not cancelled, and the amounts disbursed, per programme and currency."));

  t = table_new (3);
  t->headers = g_new0 (char *, 4);
  t->headers[0] = g_strdup (_("Programme"));
  t->headers[1] = g_strdup (_("Budgeted"));
  t->headers[2] = g_strdup (_("Disbursed"));
  t->numeric[1] = t->numeric[2] = TRUE;
  t->wrap[0] = TRUE;

  keys = g_list_sort (g_hash_table_get_keys (by_key), (GCompareFunc) g_utf8_collate);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (l->data, "\t", 2);
      Money *m = g_hash_table_lookup (by_key, l->data);
      char **cells = g_new0 (char *, 4);

      cells[0] = g_strdup (*parts[0] ? parts[0] : _("No programme"));
      cells[1] = awda_indicator_format_value (AWDA_VALUE_AMOUNT, (double) m->budget, parts[1]);
      cells[2] = awda_indicator_format_value (AWDA_VALUE_AMOUNT, (double) m->disbursed, parts[1]);
      table_add_row (t, cells, FALSE);
    }

  /* Never add one currency to another. */
  currencies = g_list_sort (g_hash_table_get_keys (by_currency), (GCompareFunc) strcmp);
  for (GList *l = currencies; l != NULL; l = l->next)
    {
      Money *m = g_hash_table_lookup (by_currency, l->data);
      char **cells = g_new0 (char *, 4);

      cells[0] = g_strdup_printf (_("Total %s"), (const char *) l->data);
      cells[1] = awda_indicator_format_value (AWDA_VALUE_AMOUNT, (double) m->budget, l->data);
      cells[2] = awda_indicator_format_value (AWDA_VALUE_AMOUNT, (double) m->disbursed, l->data);
      table_add_row (t, cells, TRUE);
    }
  add_block (report, BLOCK_TABLE, NULL)->table = t;
}

/* The case's fields by section; a field in none goes to "Other". */
static const struct
{
  const char *heading;
  const char *fields[16];
} case_sections[] = {
  { N_("Identity"), { "given_name", "family_name", "given_name_ar", "family_name_ar", "sex", "birth_date",
                      "national_id", "phone", "address", "governorate" } },
  { N_("Return"), { "host_country", "departure_year", "return_date", "return_type", "return_programme" } },
  { N_("Situation"), { "education", "occupation", "skills", "marital_status", "household_size" } },
  { N_("Vulnerabilities"), { "vuln_medical", "vuln_psychological", "vuln_disability", "vuln_single_parent",
                             "vuln_unaccompanied_minor", "vuln_debt", "vuln_other" } },
  { N_("Consent"), { "consent_given_on", "consent_scope" } },
  { N_("Case management"), { "owner_office", "caseworker", "status", "priority", "opened_on", "closed_on",
                             "closure_reason" } },
};

static gboolean
field_in_sections (const char *name)
{
  for (guint s = 0; s < G_N_ELEMENTS (case_sections); s++)
    for (guint f = 0; case_sections[s].fields[f] != NULL; f++)
      if (strcmp (case_sections[s].fields[f], name) == 0)
        return TRUE;
  return FALSE;
}

static char *
person_name (const AwdaRecord *record)
{
  const char *given = awda_record_get (record, "given_name");
  const char *family = awda_record_get (record, "family_name");
  const char *given_ar = awda_record_get (record, "given_name_ar");
  const char *family_ar = awda_record_get (record, "family_name_ar");
  g_autoptr(GString) name = g_string_new (NULL);

  if (given || family)
    g_string_append_printf (name, "%s%s%s", given ? given : "", given && family ? " " : "", family ? family : "");
  if (given_ar || family_ar)
    g_string_append_printf (name, "%s%s%s%s", name->len ? " — " : "", given_ar ? given_ar : "",
                            given_ar && family_ar ? " " : "", family_ar ? family_ar : "");
  if (name->len == 0)
    g_string_append (name, _("Unnamed"));
  return g_string_free (g_steal_pointer (&name), FALSE);
}

AwdaReport *
awda_report_new_case_sheet (AwdaStore                *store,
                            const char               *case_id,
                            const AwdaReportOptions  *options,
                            GError                  **error)
{
  static const SheetColumn member_columns[] = {
    { "name", FALSE, TRUE }, { "relation", FALSE, FALSE }, { "sex", FALSE, FALSE },
    { "birth_date", FALSE, FALSE }, { "schooling", FALSE, FALSE },
  };
  static const SheetColumn assessment_columns[] = {
    { "date", FALSE, FALSE }, { "kind", FALSE, TRUE }, { "score_economic", TRUE, FALSE },
    { "score_social", TRUE, FALSE }, { "score_psychosocial", TRUE, FALSE }, { "score_composite", TRUE, FALSE },
    { "assessed_by", FALSE, TRUE },
  };
  static const SheetColumn plan_columns[] = {
    { "dimension", FALSE, FALSE }, { "kind", FALSE, FALSE }, { "description", FALSE, TRUE },
    { "programme", FALSE, TRUE }, { "provider", FALSE, TRUE }, { "status", FALSE, FALSE },
    { "approved_on", FALSE, FALSE }, { "budget", TRUE, FALSE },
  };
  static const SheetColumn assistance_columns[] = {
    { "kind", FALSE, FALSE }, { "programme", FALSE, TRUE }, { "provider", FALSE, TRUE },
    { "disbursed_on", FALSE, FALSE }, { "disbursed", TRUE, FALSE },
  };
  static const SheetColumn referral_columns[] = {
    { "sent_on", FALSE, FALSE }, { "partner", FALSE, TRUE }, { "service", FALSE, TRUE },
    { "status", FALSE, FALSE }, { "outcome", FALSE, TRUE },
  };
  static const SheetColumn follow_up_columns[] = {
    { "scheduled_on", FALSE, FALSE }, { "done_on", FALSE, FALSE }, { "mode", FALSE, FALSE },
    { "done_by", FALSE, TRUE }, { "notes", FALSE, TRUE }, { "next_date", FALSE, FALSE },
  };
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) assessments = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) assistance = NULL;
  g_autoptr(GPtrArray) referrals = NULL;
  g_autoptr(GPtrArray) follow_ups = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *today = NULL;
  const AwdaEntity *case_entity = awda_dictionary_lookup_entity ("case");
  Sheet sheet = { store, NULL };
  AwdaReport *report;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  record = awda_store_get_record (store, "case", case_id, error);
  if (record == NULL)
    return NULL;
  if (record->deleted)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                   _("The case %s was deleted: it has no summary sheet."), case_id);
      return NULL;
    }

  if ((members = awda_store_list_children (store, "household_member", record->id, error)) == NULL ||
      (assessments = awda_store_list_children (store, "assessment", record->id, error)) == NULL ||
      (items = awda_store_list_children (store, "plan_item", record->id, error)) == NULL ||
      (referrals = awda_store_list_children (store, "referral", record->id, error)) == NULL ||
      (follow_ups = awda_store_list_children (store, "follow_up", record->id, error)) == NULL)
    return NULL;
  g_ptr_array_sort (assessments, compare_by_date);
  g_ptr_array_sort (referrals, compare_by_sent);
  g_ptr_array_sort (follow_ups, compare_by_scheduled);

  sheet.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  name = person_name (record);
  report = report_new (_("Case summary sheet"), options);
  {
    g_autofree char *footer = g_strdup_printf ("%s — %s", report->title, name);

    g_free (report->title);
    report->title = g_steal_pointer (&footer);
  }

  add_block (report, BLOCK_HEADING, _("Case summary sheet"));
  add_block (report, BLOCK_SUBHEADING, name);
  today = options && options->produced_on ? g_strdup (options->produced_on) : today_string ();
  /* TRANSLATORS: under a case sheet's title: the case's id and the date it was printed */
  subtitle = g_strdup_printf (_("Case %s, printed on %s"), record->id, today);
  add_text (report, subtitle);

  for (guint s = 0; s < G_N_ELEMENTS (case_sections); s++)
    add_fields (report, &sheet, _(case_sections[s].heading), record, case_sections[s].fields);
  for (guint i = 0; i < case_entity->n_fields; i++)
    if (!field_in_sections (case_entity->fields[i].name))
      g_ptr_array_add (others, (gpointer) case_entity->fields[i].name);
  if (others->len > 0)
    {
      g_ptr_array_add (others, NULL);
      add_fields (report, &sheet, _("Other"), record, (const char *const *) others->pdata);
    }

  add_children (report, &sheet, _("Household"), members, awda_dictionary_lookup_entity ("household_member"),
                member_columns, G_N_ELEMENTS (member_columns));
  add_children (report, &sheet, _("Assessments"), assessments, awda_dictionary_lookup_entity ("assessment"),
                assessment_columns, G_N_ELEMENTS (assessment_columns));
  add_children (report, &sheet, _("Reintegration plan"), items, awda_dictionary_lookup_entity ("plan_item"),
                plan_columns, G_N_ELEMENTS (plan_columns));
  add_money (report, &sheet, items);

  assistance = g_ptr_array_new ();
  for (guint i = 0; i < items->len; i++)
    {
      const AwdaRecord *item = g_ptr_array_index (items, i);

      if (awda_record_get (item, "disbursed") != NULL || awda_record_get (item, "disbursed_on") != NULL)
        g_ptr_array_add (assistance, (gpointer) item);
    }
  add_children (report, &sheet, _("Assistance received"), assistance, awda_dictionary_lookup_entity ("plan_item"),
                assistance_columns, G_N_ELEMENTS (assistance_columns));
  add_children (report, &sheet, _("Referrals"), referrals, awda_dictionary_lookup_entity ("referral"),
                referral_columns, G_N_ELEMENTS (referral_columns));
  add_children (report, &sheet, _("Follow-ups"), follow_ups, awda_dictionary_lookup_entity ("follow_up"),
                follow_up_columns, G_N_ELEMENTS (follow_up_columns));

  g_hash_table_unref (sheet.names);
  return report;
}

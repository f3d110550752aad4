/* awda-dashboard.c: the indicators of a period, an office and a programme, as figures, charts and tables
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indicators are the core's (awda-indicators), computed with SQL on a
 * worker thread with a connection of its own: on a million cases they
 * take about half a second, which the window must not wait for. A filter
 * changed while they compute cancels that computation and starts
 * another; the results shown stay until the new ones come, under a
 * spinner. Only plain data (an AwdaIndicators) comes back to the main
 * loop, where the figures, the charts (awda-chart-view) and the tables
 * are made from it. A table's grid is made when its expander is opened:
 * the host countries alone may have a hundred rows.
 *
 * The report and the CSV files are the core's too (awda-report,
 * awda-csv), written on worker threads; printing draws the report's
 * pages with the code that draws the PDF's.
 */

#define G_LOG_DOMAIN "awda-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "awda-chart-view.h"
#include "awda-csv.h"
#include "awda-dashboard.h"
#include "awda-export.h"
#include "awda-format.h"
#include "awda-report.h"
#include "awda-today.h"

/* The most categories of the bar charts; the rest are summed as "Other". */
#define MAX_BARS 10

/* The indicators shown, shared with the threads that write them. */
typedef struct
{
  gatomicrefcount  ref_count;
  AwdaIndicators  *indicators;
} Results;

static Results *
results_new (AwdaIndicators *indicators)
{
  Results *results = g_new0 (Results, 1);

  g_atomic_ref_count_init (&results->ref_count);
  results->indicators = indicators;
  return results;
}

static Results *
results_ref (Results *results)
{
  g_atomic_ref_count_inc (&results->ref_count);
  return results;
}

static void
results_unref (Results *results)
{
  if (g_atomic_ref_count_dec (&results->ref_count))
    {
      awda_indicators_free (results->indicators);
      g_free (results);
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Results, results_unref)

struct _AwdaDashboard
{
  GtkWidget            parent_instance;

  /* template widgets */
  GtkDropDown         *period_dropdown;
  GtkMenuButton       *from_button;
  GtkCalendar         *from_calendar;
  GtkMenuButton       *to_button;
  GtkCalendar         *to_calendar;
  GtkDropDown         *office_dropdown;
  GtkDropDown         *programme_dropdown;
  GtkSpinner          *spinner;
  GtkLabel            *scope_label;
  GtkLabel            *error_label;
  GtkLabel            *status_label;
  GtkFlowBox          *figures_box;
  GtkLabel            *cases_opened_value;
  GtkLabel            *cases_closed_value;
  GtkLabel            *plans_within_30_days_value;
  GtkLabel            *plans_caption;
  GtkLabel            *referrals_accepted_value;
  GtkLabel            *referrals_caption;
  GtkLabel            *follow_ups_on_time_value;
  GtkLabel            *follow_ups_caption;
  GtkLabel            *sustainable_value;
  GtkLabel            *sustainable_caption;
  AwdaChartView       *stage_chart;
  AwdaChartView       *governorate_chart;
  AwdaChartView       *months_chart;
  GtkBox              *assistance_box;
  GtkLabel            *assistance_empty_label;
  AwdaChartView       *referrals_chart;
  AwdaChartView       *sustainability_chart;
  GtkBox              *tables_box;

  /* made in code */
  GPtrArray           *currency_cards;     /* GtkWidget: in figures_box */
  GPtrArray           *assistance_views;   /* GtkWidget: in assistance_box */
  GtkExpander         *expanders[AWDA_INDICATOR_N_TABLES];

  /* owned */
  AwdaStore           *store;
  AwdaStore           *reader;             /* the worker's connection, between two computations */
  GCancellable        *cancellable;        /* of the computation running */
  Results             *results;            /* shown */
  GPtrArray           *office_ids;         /* position in office_dropdown → id; NULL first */
  GPtrArray           *programme_ids;
  GHashTable          *office_names;       /* id → name */
  GHashTable          *programme_names;    /* id → name */
  char                *from;
  char                *to;
  char                *office;
  char                *programme;

  AwdaDashboardPeriod  period;
  guint                generation;         /* of the computation whose results are awaited */
  guint                compute_source;
  guint64              computed_hlc;       /* the store's clock when the results shown were asked for */
  gint64               changed_at;         /* monotonic µs of the change being computed */
  gboolean             loading;
  gboolean             printing;           /* the report to print is being computed */
  gboolean             stale;              /* the filter or the data changed since the last computation */
  gboolean             updating;           /* the widgets are being set from the filter */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_PERIOD,
  PROP_FROM,
  PROP_TO,
  PROP_OFFICE,
  PROP_PROGRAMME,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (AwdaDashboardPeriod, awda_dashboard_period,
  G_DEFINE_ENUM_VALUE (AWDA_DASHBOARD_PERIOD_THIS_MONTH, "this-month"),
  G_DEFINE_ENUM_VALUE (AWDA_DASHBOARD_PERIOD_THIS_QUARTER, "this-quarter"),
  G_DEFINE_ENUM_VALUE (AWDA_DASHBOARD_PERIOD_THIS_YEAR, "this-year"),
  G_DEFINE_ENUM_VALUE (AWDA_DASHBOARD_PERIOD_LAST_YEAR, "last-year"),
  G_DEFINE_ENUM_VALUE (AWDA_DASHBOARD_PERIOD_ALL, "all"),
  G_DEFINE_ENUM_VALUE (AWDA_DASHBOARD_PERIOD_CUSTOM, "custom"))

G_DEFINE_FINAL_TYPE (AwdaDashboard, awda_dashboard, GTK_TYPE_WIDGET)

/* Computations, from the main thread to a worker and back */

typedef struct
{
  /* in */
  char               *database;
  AwdaStore          *reader;      /* NULL: the worker opens one */
  char               *from;
  char               *to;
  char               *office;
  char               *programme;
  char               *today;
  AwdaIndicatorFlags  flags;
  char               *pdf;         /* the report to write, or NULL */
  char               *site_name;
  guint               generation;

  /* out */
  AwdaIndicators     *indicators;
  gint64              started;     /* monotonic µs */
  gint64              finished;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->reader);
  g_free (job->database);
  g_free (job->from);
  g_free (job->to);
  g_free (job->office);
  g_free (job->programme);
  g_free (job->today);
  g_free (job->pdf);
  g_free (job->site_name);
  g_clear_pointer (&job->indicators, awda_indicators_free);
  g_free (job);
}

static Job *
job_new (AwdaDashboard      *self,
         AwdaIndicatorFlags  flags)
{
  Job *job = g_new0 (Job, 1);

  job->database = g_strdup (awda_store_get_path (self->store));
  job->from = g_strdup (self->from);
  job->to = g_strdup (self->to);
  job->office = g_strdup (self->office);
  job->programme = g_strdup (self->programme);
  job->today = awda_today_get_date (self->store);
  job->flags = flags;
  job->site_name = g_strdup (awda_store_get_site (self->store)->name);
  return job;
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  AwdaIndicatorFilter filter = { job->from, job->to, job->office, job->programme, job->today };

  job->started = g_get_monotonic_time ();

  if (job->reader == NULL)
    {
      job->reader = awda_store_open_reader (job->database, &error);
      if (job->reader == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  job->indicators = awda_indicators_compute (job->reader, &filter, job->flags, cancellable, &error);
  if (job->indicators == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->pdf != NULL)
    {
      AwdaReportOptions options = { job->site_name, job->today, AWDA_REPORT_DIRECTION_AUTO, FALSE };
      g_autoptr(AwdaReport) report = awda_report_new_periodic (job->indicators, &options);

      if (!awda_report_save_pdf (report, job->pdf, 0644, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  job->finished = g_get_monotonic_time ();
  g_task_return_boolean (task, TRUE);
}

/* Formatting */

/* A number for a label: the locale's digits and grouping (the core
 * formats with "%'"), kept left to right inside a right-to-left line. */
static char *
isolate (AwdaDashboard *self,
         char          *text)
{
  char *isolated;

  if (gtk_widget_get_direction (GTK_WIDGET (self)) != GTK_TEXT_DIR_RTL)
    return text;
  isolated = g_strconcat ("\u2066", text, "\u2069", NULL);
  g_free (text);
  return isolated;
}

static char *
format_value (AwdaDashboard *self,
              AwdaValueKind  kind,
              double         value,
              const char    *currency)
{
  return isolate (self, awda_indicator_format_value (kind, value, currency));
}

static char *
format_date (const char *date)
{
  if (date == NULL)
    return g_strdup (_("Any date"));
  return awda_format_date (date);
}

/* Showing */

static void
show_error (AwdaDashboard *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_status (AwdaDashboard *self,
             const char    *message)
{
  gtk_label_set_text (self->status_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

static void
set_loading (AwdaDashboard *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading || self->printing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-csv",
                                 !loading && self->results != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
update_actions (AwdaDashboard *self)
{
  gboolean has_store = self->store != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.refresh", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.save-report", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.print", has_store && !self->printing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-csv",
                                 has_store && !self->loading && self->results != NULL);
}

static void
show_figure (AwdaDashboard            *self,
             GtkLabel                 *label,
             const AwdaIndicatorTable *summary,
             const char               *column)
{
  int index = awda_indicator_table_column (summary, column);
  g_autofree char *text = NULL;

  g_return_if_fail (index >= 0);
  text = format_value (self, summary->columns[index].kind,
                       awda_indicator_table_get (summary, "all", column), NULL);
  gtk_label_set_text (label, text);
}

/* A count for a caption: the number as the label shows it, and the
 * count that picks the plural form. */
static char *
format_count (AwdaDashboard *self,
              double         count,
              gulong        *n)
{
  *n = isnan (count) || count < 0 ? 0 : (gulong) count;
  return format_value (self, AWDA_VALUE_COUNT, count, NULL);
}

static GtkWidget *
currency_card (AwdaDashboard          *self,
               const AwdaIndicatorRow *total,
               int                     budgeted_column,
               int                     disbursed_column)
{
  double budgeted = total->values[budgeted_column];
  double disbursed = total->values[disbursed_column];
  g_autofree char *title = NULL;
  g_autofree char *value = format_value (self, AWDA_VALUE_AMOUNT, disbursed, total->currency);
  g_autofree char *budget = format_value (self, AWDA_VALUE_AMOUNT, budgeted, total->currency);
  g_autofree char *caption = NULL;
  g_autofree char *name = g_strdup_printf ("figure-assistance-%s", total->currency);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title_label, *value_label, *caption_label, *level;

  /* Translators: a key figure of the dashboard; %s is a currency code (TND, EUR). */
  title = g_strdup_printf (_("Assistance disbursed in %s"), total->currency);
  /* Translators: under the amount disbursed; %s is an amount with its currency. */
  caption = g_strdup_printf (_("Of %s budgeted"), budget);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  title_label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_widget_add_css_class (title_label, "heading");

  value_label = gtk_label_new (value);
  gtk_widget_set_name (value_label, name);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_widget_add_css_class (value_label, "title-2");
  gtk_widget_add_css_class (value_label, "numeric");

  /* What share of the budget went out (more than all of it when
   * disbursements of earlier approvals outweigh this period's). */
  level = gtk_level_bar_new_for_interval (0, 1);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (level),
                           budgeted > 0 && !isnan (disbursed) ? CLAMP (disbursed / budgeted, 0, 1) : 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (level), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Share of the budget disbursed"), -1);

  caption_label = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");

  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), level);
  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_frame_set_child (GTK_FRAME (frame), box);
  return frame;
}

static void
show_figures (AwdaDashboard  *self,
              AwdaIndicators *indicators)
{
  const AwdaIndicatorTable *summary = awda_indicators_get_table (indicators, AWDA_INDICATOR_SUMMARY);
  const AwdaIndicatorTable *approval = awda_indicators_get_table (indicators, AWDA_INDICATOR_PLAN_APPROVAL);
  const AwdaIndicatorTable *referrals = awda_indicators_get_table (indicators, AWDA_INDICATOR_REFERRALS);
  const AwdaIndicatorTable *assistance = awda_indicators_get_table (indicators, AWDA_INDICATOR_ASSISTANCE);
  int budgeted = awda_indicator_table_column (assistance, "budgeted");
  int disbursed = awda_indicator_table_column (assistance, "disbursed");
  double median = awda_indicator_table_get (summary, "all", "median_days_to_plan");

  show_figure (self, self->cases_opened_value, summary, "cases_opened");
  show_figure (self, self->cases_closed_value, summary, "cases_closed");
  show_figure (self, self->plans_within_30_days_value, summary, "share_plan_within_30_days");
  show_figure (self, self->referrals_accepted_value, summary, "referral_acceptance_rate");
  show_figure (self, self->follow_ups_on_time_value, summary, "follow_up_on_time_rate");
  show_figure (self, self->sustainable_value, summary, "share_sustainable");

  if (isnan (median))
    gtk_label_set_text (self->plans_caption, _("No plan approved for the cases opened in the period"));
  else
    {
      g_autofree char *days = format_value (self, AWDA_VALUE_DAYS, median, NULL);
      g_autofree char *text = NULL;
      double with_plan = awda_indicator_table_get (approval, "total", "with_approved_plan");
      g_autofree char *cases = format_value (self, AWDA_VALUE_COUNT, with_plan, NULL);

      /* Translators: under the share of plans approved within 30 days:
       * the median days, then the number of cases with an approved plan. */
      text = g_strdup_printf (ngettext ("Median: %s days, %s case with a plan",
                                        "Median: %s days, %s cases with a plan",
                                        isnan (with_plan) ? 0 : (gulong) with_plan),
                              days, cases);
      gtk_label_set_text (self->plans_caption, text);
    }

  {
    double count = awda_indicator_table_get (referrals, "total", "referrals");
    gulong n;
    g_autofree char *number = format_count (self, count, &n);
    g_autofree char *text = NULL;

    /* Translators: under the share of referrals accepted; %s is a number. */
    text = g_strdup_printf (ngettext ("Of %s referral sent", "Of %s referrals sent", n), number);
    gtk_label_set_text (self->referrals_caption, text);
  }
  {
    double count = awda_indicator_table_get (summary, "all", "follow_ups_overdue");
    gulong n;
    g_autofree char *number = format_count (self, count, &n);
    g_autofree char *text = NULL;

    /* Translators: under the share of follow-ups done on time; %s is a number. */
    text = g_strdup_printf (ngettext ("%s overdue", "%s overdue", n), number);
    gtk_label_set_text (self->follow_ups_caption, text);
  }
  {
    double count = awda_indicator_table_get (summary, "all", "cases_surveyed");
    gulong n;
    g_autofree char *number = format_count (self, count, &n);
    g_autofree char *text = NULL;

    /* Translators: under the share of cases sustainably reintegrated; %s is a number. */
    text = g_strdup_printf (ngettext ("Of %s case surveyed again", "Of %s cases surveyed again", n), number);
    gtk_label_set_text (self->sustainable_caption, text);
  }

  /* A card per currency: amounts in different currencies never add up. */
  for (guint i = 0; i < self->currency_cards->len; i++)
    gtk_flow_box_remove (self->figures_box, g_ptr_array_index (self->currency_cards, i));
  g_ptr_array_set_size (self->currency_cards, 0);
  for (guint r = 0; r < assistance->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (assistance->rows, r);
      GtkWidget *card;

      if (!row->total || row->currency == NULL || *row->currency == '\0')
        continue;
      card = currency_card (self, row, budgeted, disbursed);
      gtk_flow_box_append (self->figures_box, card);
      g_ptr_array_add (self->currency_cards, gtk_widget_get_parent (card));
    }
}

/* The assistance of each programme in @currency: what was disbursed and
 * what of the budget was not, stacked, so that a bar is as long as the
 * larger of the two. */
static AwdaChart *
assistance_chart (AwdaDashboard            *self,
                  const AwdaIndicatorTable *table,
                  const char               *currency)
{
  int budgeted = awda_indicator_table_column (table, "budgeted");
  int disbursed = awda_indicator_table_column (table, "disbursed");
  g_autofree char *title = g_strdup_printf (_("Assistance in %s"), currency);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  AwdaChart *chart = awda_chart_new (AWDA_CHART_STACKED_BARS, title);

  awda_chart_set_value_kind (chart, AWDA_VALUE_AMOUNT, currency);
  awda_chart_add_series (chart, _("Disbursed"));
  awda_chart_add_series (chart, _("Budgeted, not disbursed"));

  for (guint r = 0; r < table->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, r);
      const char *slash;
      g_autofree char *programme = NULL;
      gpointer found;
      guint category;
      double spent, budget;

      if (row->total || g_strcmp0 (row->currency, currency) != 0)
        continue;

      /* "PROGRAMME-ID/KIND/CURRENCY": one bar per programme, every kind. */
      slash = strchr (row->key, '/');
      programme = slash ? g_strndup (row->key, slash - row->key) : g_strdup (row->key);
      if (g_hash_table_lookup_extended (categories, programme, NULL, &found))
        category = GPOINTER_TO_UINT (found);
      else
        {
          const char *name = *programme ? g_hash_table_lookup (self->programme_names, programme) : NULL;

          category = awda_chart_add_category (chart, programme,
                                              name ? name : *programme ? programme : _("No programme"));
          awda_chart_set_value (chart, category, 0, 0);
          awda_chart_set_value (chart, category, 1, 0);
          g_hash_table_insert (categories, g_strdup (programme), GUINT_TO_POINTER (category));
        }

      spent = isnan (row->values[disbursed]) ? 0 : row->values[disbursed];
      budget = isnan (row->values[budgeted]) ? 0 : row->values[budgeted];
      awda_chart_set_value (chart, category, 0, awda_chart_get_value (chart, category, 0) + spent);
      awda_chart_set_value (chart, category, 1, awda_chart_get_value (chart, category, 1) + budget);
    }

  /* The budget's rest, once the sums are made. */
  for (guint c = 0; c < awda_chart_get_n_categories (chart); c++)
    awda_chart_set_value (chart, c, 1,
                          MAX (awda_chart_get_value (chart, c, 1) - awda_chart_get_value (chart, c, 0), 0));
  return chart;
}

static void
show_charts (AwdaDashboard  *self,
             AwdaIndicators *indicators)
{
  static const char * const cases[] = { "cases", NULL };
  static const char * const months[] = { "opened", "closed", NULL };
  static const char * const referrals[] = { "referrals", "done", NULL };
  static const char * const scores[] = { "baseline", "follow_up", NULL };
  const AwdaIndicatorTable *assistance = awda_indicators_get_table (indicators, AWDA_INDICATOR_ASSISTANCE);

  awda_chart_view_set_table (self->stage_chart,
                             awda_indicators_get_table (indicators, AWDA_INDICATOR_CASES_BY_STAGE), cases, 0);
  awda_chart_view_set_table (self->governorate_chart,
                             awda_indicators_get_table (indicators, AWDA_INDICATOR_CASES_BY_GOVERNORATE), cases, 0);
  awda_chart_view_set_table (self->months_chart,
                             awda_indicators_get_table (indicators, AWDA_INDICATOR_CASES_BY_MONTH), months, 0);
  awda_chart_view_set_table (self->referrals_chart,
                             awda_indicators_get_table (indicators, AWDA_INDICATOR_REFERRALS), referrals, MAX_BARS);
  awda_chart_view_set_table (self->sustainability_chart,
                             awda_indicators_get_table (indicators, AWDA_INDICATOR_SUSTAINABILITY), scores, 0);

  for (guint i = 0; i < self->assistance_views->len; i++)
    gtk_box_remove (self->assistance_box, g_ptr_array_index (self->assistance_views, i));
  g_ptr_array_set_size (self->assistance_views, 0);
  for (guint r = 0; r < assistance->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (assistance->rows, r);
      g_autofree char *heading = NULL;
      GtkWidget *label, *view;

      if (!row->total || row->currency == NULL || *row->currency == '\0')
        continue;

      /* Translators: above the chart of assistance in one currency. */
      heading = g_strdup_printf (_("Amounts in %s"), row->currency);
      label = gtk_label_new (heading);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      view = awda_chart_view_new (AWDA_CHART_STACKED_BARS);
      awda_chart_view_set_chart (AWDA_CHART_VIEW (view), assistance_chart (self, assistance, row->currency));
      gtk_accessible_update_relation (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);

      gtk_box_append (self->assistance_box, label);
      gtk_box_append (self->assistance_box, view);
      g_ptr_array_add (self->assistance_views, label);
      g_ptr_array_add (self->assistance_views, view);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->assistance_empty_label), self->assistance_views->len == 0);
}

/* Tables */

static GtkWidget *
cell (const char *text,
      float       xalign,
      gboolean    heading,
      gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (heading)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
      gtk_label_set_justify (GTK_LABEL (label), xalign > 0.5 ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
      gtk_widget_add_css_class (label, "heading");
    }
  else if (!numeric)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
    }
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static GtkWidget *
table_grid (AwdaDashboard            *self,
            const AwdaIndicatorTable *table)
{
  GtkWidget *grid = gtk_grid_new ();

  /* As wide as its columns: the numbers stay near their labels. */
  gtk_widget_set_halign (grid, GTK_ALIGN_START);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 12);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);

  for (guint c = 0; c < table->n_columns; c++)
    gtk_grid_attach (GTK_GRID (grid), cell (_(table->columns[c].label), 1, TRUE, FALSE), c + 1, 0, 1, 1);

  for (guint r = 0; r < table->rows->len; r++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, r);
      GtkWidget *label = cell (row->label && *row->label ? row->label : _("Unknown"), 0, FALSE, FALSE);

      if (row->total)
        gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (GTK_GRID (grid), label, 0, r + 1, 1, 1);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_autofree char *text = format_value (self, table->columns[c].kind, row->values[c], row->currency);
          GtkWidget *value = cell (text, 1, FALSE, TRUE);

          if (row->total)
            gtk_widget_add_css_class (value, "heading");
          gtk_grid_attach (GTK_GRID (grid), value, c + 1, r + 1, 1, 1);
        }
    }
  return grid;
}

static void
fill_expander (AwdaDashboard *self,
               GtkExpander   *expander)
{
  AwdaIndicatorId id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (expander), "awda-table"));
  const AwdaIndicatorTable *table;
  GtkWidget *box, *basis, *scrolled;

  if (self->results == NULL)
    {
      gtk_expander_set_child (expander, NULL);
      return;
    }

  table = awda_indicators_get_table (self->results->indicators, id);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  basis = gtk_label_new (_(table->basis));
  gtk_label_set_xalign (GTK_LABEL (basis), 0);
  gtk_label_set_wrap (GTK_LABEL (basis), TRUE);
  gtk_widget_set_margin_start (basis, 12);
  gtk_widget_add_css_class (basis, "caption");
  gtk_widget_add_css_class (basis, "dim-label");
  gtk_box_append (GTK_BOX (box), basis);

  if (table->rows->len == 0)
    {
      GtkWidget *empty = gtk_label_new (_("Nothing was recorded in this period."));

      gtk_label_set_xalign (GTK_LABEL (empty), 0);
      gtk_widget_set_margin_start (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_box_append (GTK_BOX (box), empty);
    }
  else
    {
      /* A wide table scrolls sideways rather than widening the page. */
      scrolled = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), table_grid (self, table));
      gtk_box_append (GTK_BOX (box), scrolled);
    }
  gtk_expander_set_child (expander, box);
}

static void
on_expanded_cb (GtkExpander   *expander,
                GParamSpec    *pspec,
                AwdaDashboard *self)
{
  if (gtk_expander_get_expanded (expander) && gtk_expander_get_child (expander) == NULL)
    fill_expander (self, expander);
}

static void
make_expanders (AwdaDashboard *self)
{
  for (int id = 0; id < AWDA_INDICATOR_N_TABLES; id++)
    {
      GtkWidget *expander = gtk_expander_new (NULL);
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "heading");
      gtk_expander_set_label_widget (GTK_EXPANDER (expander), label);
      g_object_set_data (G_OBJECT (expander), "awda-table", GINT_TO_POINTER (id));
      g_signal_connect_object (expander, "notify::expanded", G_CALLBACK (on_expanded_cb), self, 0);
      gtk_box_append (self->tables_box, expander);
      self->expanders[id] = GTK_EXPANDER (expander);
    }
}

static void
show_tables (AwdaDashboard  *self,
             AwdaIndicators *indicators)
{
  for (int id = 0; id < AWDA_INDICATOR_N_TABLES; id++)
    {
      GtkExpander *expander = self->expanders[id];
      const AwdaIndicatorTable *table = awda_indicators_get_table (indicators, id);

      gtk_label_set_text (GTK_LABEL (gtk_expander_get_label_widget (expander)), _(table->title));
      gtk_widget_set_visible (GTK_WIDGET (expander), TRUE);
      /* Open tables show the new values; closed ones wait to be opened. */
      if (gtk_expander_get_expanded (expander))
        fill_expander (self, expander);
      else
        gtk_expander_set_child (expander, NULL);
    }
}

static void
show_scope (AwdaDashboard *self)
{
  g_autofree char *period = NULL;
  g_autofree char *text = NULL;
  const char *office = NULL, *programme = NULL;

  if (self->office != NULL)
    office = g_hash_table_lookup (self->office_names, self->office);
  if (self->programme != NULL)
    programme = g_hash_table_lookup (self->programme_names, self->programme);

  if (self->from == NULL && self->to == NULL)
    period = g_strdup (_("Every date"));
  else
    {
      g_autofree char *from = format_date (self->from);
      g_autofree char *to = format_date (self->to);

      /* Translators: the period of the dashboard: its first and last day. */
      period = g_strdup_printf (_("%s to %s"), from, to);
    }

  /* Translators: the dashboard's heading: the period, the office, the programme. */
  text = g_strdup_printf (_("%s · %s · %s"), period,
                          office ? office : _("All offices"),
                          programme ? programme : _("All programmes"));
  gtk_label_set_text (self->scope_label, text);
}

static void
show_results (AwdaDashboard *self,
              Results       *results)
{
  g_clear_pointer (&self->results, results_unref);
  self->results = results;

  show_figures (self, results->indicators);
  show_charts (self, results->indicators);
  show_tables (self, results->indicators);
  update_actions (self);
}

/* Nothing shown: before the first results of a database, and when the
 * dashboard changes database (the figures of another must not linger). */
static void
clear_results (AwdaDashboard *self)
{
  GtkLabel *values[] = {
    self->cases_opened_value, self->cases_closed_value, self->plans_within_30_days_value,
    self->referrals_accepted_value, self->follow_ups_on_time_value, self->sustainable_value,
  };
  GtkLabel *captions[] = {
    self->plans_caption, self->referrals_caption, self->follow_ups_caption, self->sustainable_caption,
  };
  AwdaChartView *charts[] = {
    self->stage_chart, self->governorate_chart, self->months_chart,
    self->referrals_chart, self->sustainability_chart,
  };

  g_clear_pointer (&self->results, results_unref);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    gtk_label_set_text (values[i], "—");
  for (guint i = 0; i < G_N_ELEMENTS (captions); i++)
    gtk_label_set_text (captions[i], "");
  for (guint i = 0; i < self->currency_cards->len; i++)
    gtk_flow_box_remove (self->figures_box, g_ptr_array_index (self->currency_cards, i));
  g_ptr_array_set_size (self->currency_cards, 0);

  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    awda_chart_view_set_chart (charts[i], NULL);
  for (guint i = 0; i < self->assistance_views->len; i++)
    gtk_box_remove (self->assistance_box, g_ptr_array_index (self->assistance_views, i));
  g_ptr_array_set_size (self->assistance_views, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->assistance_empty_label), FALSE);

  for (int id = 0; id < AWDA_INDICATOR_N_TABLES; id++)
    {
      gtk_expander_set_child (self->expanders[id], NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->expanders[id]), FALSE);
    }
  update_actions (self);
}

/* Computing */

static void start_compute (AwdaDashboard *self);

static void
compute_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AwdaDashboard) self = g_weak_ref_get (user_data);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_weak_ref_clear (user_data);
  g_free (user_data);

  ok = g_task_propagate_boolean (G_TASK (result), &error);
  if (self == NULL)
    return;

  /* The connection serves the next computation, of the same database. */
  if (self->reader == NULL && job->reader != NULL && self->store != NULL &&
      g_strcmp0 (job->database, awda_store_get_path (self->store)) == 0)
    self->reader = g_steal_pointer (&job->reader);

  /* Overtaken by a newer filter: its results are on their way. */
  if (job->generation != self->generation)
    return;

  set_loading (self, FALSE);
  if (!ok)
    {
      /* The figures shown were of another filter: they go. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          clear_results (self);
          show_error (self, error->message);
        }
      return;
    }

  show_error (self, NULL);
  show_results (self, results_new (g_steal_pointer (&job->indicators)));
  g_debug ("Indicators %s to %s shown %.0f ms after the filter changed (computed in %.0f ms)",
           job->from ? job->from : "…", job->to ? job->to : "…",
           (g_get_monotonic_time () - self->changed_at) / 1000.0,
           (job->finished - job->started) / 1000.0);
}

static void
start_compute (AwdaDashboard *self)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *weak;
  Job *job;

  g_clear_handle_id (&self->compute_source, g_source_remove);
  if (self->store == NULL)
    return;

  /* The computation running is for an older filter. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  job = job_new (self, AWDA_INDICATORS_NONE);
  job->reader = g_steal_pointer (&self->reader);
  job->generation = ++self->generation;
  self->computed_hlc = awda_store_get_last_hlc (self->store);
  self->stale = FALSE;

  show_scope (self);
  set_loading (self, TRUE);

  /* The dashboard may go while its computation runs: the weak reference lets it. */
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  task = g_task_new (NULL, self->cancellable, compute_done_cb, weak);
  g_task_set_source_tag (task, start_compute);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, compute_thread);
}

static gboolean
compute_idle_cb (gpointer data)
{
  AwdaDashboard *self = data;

  self->compute_source = 0;
  start_compute (self);
  return G_SOURCE_REMOVE;
}

/* The filter changed: computes once the changes made together are all in
 * (a quick choice sets both dates), if the dashboard is shown. */
static void
filter_changed (AwdaDashboard *self)
{
  self->stale = TRUE;
  self->changed_at = g_get_monotonic_time ();
  show_scope (self);

  if (self->store == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)) || self->compute_source != 0)
    return;
  self->compute_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, compute_idle_cb, self, NULL);
}

/* The filter's widgets */

static GDateTime *
parse_date (const char *date)
{
  int year, month, day;

  if (date == NULL || !awda_date_parse (date, &year, &month, &day))
    return NULL;
  return g_date_time_new_local (year, month, day, 12, 0, 0);
}

static void
show_date_button (AwdaDashboard *self,
                  GtkMenuButton *button,
                  GtkCalendar   *calendar,
                  const char    *date,
                  const char    *what)
{
  g_autoptr(GDateTime) day = parse_date (date);
  g_autofree char *text = format_date (date);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", what, text);

  gtk_menu_button_set_label (button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  if (day == NULL)
    day = g_date_time_new_now_local ();
  gtk_calendar_select_day (calendar, day);
}

static void
show_filter (AwdaDashboard *self)
{
  guint position;

  self->updating = TRUE;

  gtk_drop_down_set_selected (self->period_dropdown, self->period);
  show_date_button (self, self->from_button, self->from_calendar, self->from, _("Start of the period"));
  show_date_button (self, self->to_button, self->to_calendar, self->to, _("End of the period"));

  position = 0;
  for (guint i = 1; i < self->office_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->office_ids, i), self->office) == 0)
      position = i;
  gtk_drop_down_set_selected (self->office_dropdown, position);

  position = 0;
  for (guint i = 1; i < self->programme_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->programme_ids, i), self->programme) == 0)
      position = i;
  gtk_drop_down_set_selected (self->programme_dropdown, position);

  self->updating = FALSE;
}

static char *
date_string (int year,
             int month,
             int day)
{
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* The dates of a quick choice, from the store's today. */
static void
period_range (AwdaDashboard        *self,
              AwdaDashboardPeriod   period,
              char                **from,
              char                **to)
{
  g_autofree char *today = self->store ? awda_today_get_date (self->store) : NULL;
  int year, month, day, first;

  *from = *to = NULL;
  if (today == NULL || !awda_date_parse (today, &year, &month, &day))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_time_get_ymd (now, &year, &month, &day);
    }

  switch (period)
    {
    case AWDA_DASHBOARD_PERIOD_THIS_MONTH:
      *from = date_string (year, month, 1);
      *to = date_string (year, month, g_date_get_days_in_month (month, year));
      break;

    case AWDA_DASHBOARD_PERIOD_THIS_QUARTER:
      first = (month - 1) / 3 * 3 + 1;
      *from = date_string (year, first, 1);
      *to = date_string (year, first + 2, g_date_get_days_in_month (first + 2, year));
      break;

    case AWDA_DASHBOARD_PERIOD_THIS_YEAR:
      *from = date_string (year, 1, 1);
      *to = date_string (year, 12, 31);
      break;

    case AWDA_DASHBOARD_PERIOD_LAST_YEAR:
      *from = date_string (year - 1, 1, 1);
      *to = date_string (year - 1, 12, 31);
      break;

    case AWDA_DASHBOARD_PERIOD_ALL:
      break;

    case AWDA_DASHBOARD_PERIOD_CUSTOM:
    default:
      *from = g_strdup (self->from);
      *to = g_strdup (self->to);
      break;
    }
}

/* Sets the filter's dates and period; TRUE when any changed. */
static gboolean
set_dates (AwdaDashboard       *self,
           AwdaDashboardPeriod  period,
           const char          *from,
           const char          *to)
{
  gboolean changed = FALSE;

  if (g_strcmp0 (self->from, from) != 0)
    {
      g_free (self->from);
      self->from = g_strdup (from);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM]);
      changed = TRUE;
    }
  if (g_strcmp0 (self->to, to) != 0)
    {
      g_free (self->to);
      self->to = g_strdup (to);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TO]);
      changed = TRUE;
    }
  if (self->period != period)
    {
      self->period = period;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD]);
    }
  show_filter (self);
  return changed;
}

static void
on_period_selected_cb (AwdaDashboard *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_dropdown);

  if (self->updating || selected > AWDA_DASHBOARD_PERIOD_CUSTOM)
    return;
  awda_dashboard_set_period (self, selected);
}

static char *
calendar_date (GtkCalendar *calendar)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);

  return g_date_time_format (day, "%Y-%m-%d");
}

/* A start after the end moves the end, and the reverse: the period is
 * never empty by mistake. */
static void
on_from_day_selected_cb (AwdaDashboard *self)
{
  g_autofree char *from = NULL;

  if (self->updating)
    return;
  from = calendar_date (self->from_calendar);
  gtk_menu_button_popdown (self->from_button);
  awda_dashboard_set_range (self, from, self->to && strcmp (self->to, from) < 0 ? from : self->to);
}

static void
on_to_day_selected_cb (AwdaDashboard *self)
{
  g_autofree char *to = NULL;

  if (self->updating)
    return;
  to = calendar_date (self->to_calendar);
  gtk_menu_button_popdown (self->to_button);
  awda_dashboard_set_range (self, self->from && strcmp (self->from, to) > 0 ? to : self->from, to);
}

static void
on_office_selected_cb (AwdaDashboard *self)
{
  guint selected = gtk_drop_down_get_selected (self->office_dropdown);

  if (self->updating || selected >= self->office_ids->len)
    return;
  awda_dashboard_set_office (self, g_ptr_array_index (self->office_ids, selected));
}

static void
on_programme_selected_cb (AwdaDashboard *self)
{
  guint selected = gtk_drop_down_get_selected (self->programme_dropdown);

  if (self->updating || selected >= self->programme_ids->len)
    return;
  awda_dashboard_set_programme (self, g_ptr_array_index (self->programme_ids, selected));
}

/* The offices and programmes of the drop-downs, "all" first; @ids gets
 * their ids, position for position. */
static void
fill_records (AwdaDashboard *self,
              GtkDropDown   *dropdown,
              const char    *entity,
              const char    *all_label,
              GPtrArray     *ids,
              GHashTable    *names)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_set_size (ids, 0);
  gtk_string_list_append (labels, all_label);
  g_ptr_array_add (ids, NULL);

  if (self->store != NULL)
    {
      records = awda_store_list_records (self->store, entity, &error);
      if (records == NULL)
        show_error (self, error->message);
    }

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      AwdaRecord *record = g_ptr_array_index (records, i);
      const char *name = awda_record_get (record, "name");

      gtk_string_list_append (labels, name != NULL ? name : record->id);
      g_ptr_array_add (ids, g_strdup (record->id));
      g_hash_table_insert (names, g_strdup (record->id), g_strdup (name != NULL ? name : record->id));
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  self->updating = FALSE;

  /* A long list is searched by typing. */
  if (g_list_model_get_n_items (G_LIST_MODEL (labels)) > 12)
    {
      GtkExpression *expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

      gtk_drop_down_set_expression (dropdown, expression);
      gtk_drop_down_set_enable_search (dropdown, TRUE);
      gtk_expression_unref (expression);
    }
}

static void
fill_reference (AwdaDashboard *self)
{
  g_hash_table_remove_all (self->office_names);
  g_hash_table_remove_all (self->programme_names);
  fill_records (self, self->office_dropdown, "office", _("All offices"), self->office_ids, self->office_names);
  fill_records (self, self->programme_dropdown, "programme", _("All programmes"),
                self->programme_ids, self->programme_names);
  show_filter (self);
}

/* Actions */

static GtkWindow *
get_window (AwdaDashboard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  awda_dashboard_refresh (AWDA_DASHBOARD (widget));
}

static void
on_csv_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AwdaDashboard *self = AWDA_DASHBOARD (source);
  g_autofree char *dir = user_data;
  g_autoptr(GError) error = NULL;

  if (!awda_dashboard_export_csv_finish (self, result, &error))
    {
      awda_export_show_error (get_window (self), _("The tables could not be exported."), error);
      return;
    }
  {
    /* Translators: %s is a folder. */
    g_autofree char *text = g_strdup_printf (_("The indicator tables were exported as CSV files into %s."), dir);

    show_status (self, text);
  }
}

static void
on_csv_folder_chosen_cb (const char *path,
                         gpointer    user_data)
{
  g_autoptr(AwdaDashboard) self = g_weak_ref_get (user_data);

  if (self == NULL || path == NULL)
    return;
  awda_dashboard_export_csv_async (self, path, NULL, on_csv_written_cb, g_strdup (path));
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, object);
  return weak;
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AwdaDashboard *self = AWDA_DASHBOARD (widget);

  awda_export_choose (get_window (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                      _("Export the Indicator Tables"), _("_Export"), NULL, NULL, NULL,
                      on_csv_folder_chosen_cb, weak_ref_new (self), weak_ref_free);
}

static void
on_report_saved_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AwdaDashboard *self = AWDA_DASHBOARD (source);
  g_autofree char *path = user_data;
  g_autoptr(GError) error = NULL;

  if (!awda_dashboard_save_report_finish (self, result, &error))
    {
      awda_export_show_error (get_window (self), _("The report could not be saved."), error);
      return;
    }
  {
    /* Translators: %s is a file. */
    g_autofree char *text = g_strdup_printf (_("The report was saved as %s."), path);

    show_status (self, text);
  }
}

static void
on_report_file_chosen_cb (const char *path,
                          gpointer    user_data)
{
  g_autoptr(AwdaDashboard) self = g_weak_ref_get (user_data);
  g_autofree char *pdf = NULL;

  if (self == NULL || path == NULL)
    return;
  pdf = awda_export_with_suffix (path, "pdf");
  awda_dashboard_save_report_async (self, pdf, NULL, on_report_saved_cb, g_strdup (pdf));
}

static void
save_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AwdaDashboard *self = AWDA_DASHBOARD (widget);
  g_autofree char *name = NULL;

  /* Translators: the file name suggested for the report; %s is the
   * period's start (YYYY-MM-DD) or "all". Keep the .pdf. */
  name = g_strdup_printf (_("report-%s.pdf"), self->from ? self->from : "all");
  awda_export_choose (get_window (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                      _("Save the Report"), _("_Save"), name, _("PDF documents"), "pdf",
                      on_report_file_chosen_cb, weak_ref_new (self), weak_ref_free);
}

static void
update_spinner (AwdaDashboard *self)
{
  gtk_spinner_set_spinning (self->spinner, self->loading || self->printing);
}

static void
on_print_computed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  AwdaDashboard *self = AWDA_DASHBOARD (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  AwdaReportOptions options = { job->site_name, job->today, AWDA_REPORT_DIRECTION_AUTO, FALSE };
  g_autoptr(GError) error = NULL;
  AwdaIndicators *indicators;

  self->printing = FALSE;
  update_spinner (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.print", self->store != NULL);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      awda_export_show_error (get_window (self), _("The report could not be printed."), error);
      return;
    }

  /* The report refers to the indicators: they go with it. */
  indicators = g_steal_pointer (&job->indicators);
  if (!awda_export_print_report (get_window (self), awda_report_new_periodic (indicators, &options),
                                 indicators, (GDestroyNotify) awda_indicators_free, NULL, &error))
    awda_export_show_error (get_window (self), _("The report could not be printed."), error);
}

/* The report is computed again, with the pages of every office, then
 * the print dialog opens. */
static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AwdaDashboard *self = AWDA_DASHBOARD (widget);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->store == NULL || self->printing)
    return;

  /* Every office's pages when no office is chosen, as in the PDF. */
  job = job_new (self, self->office == NULL ? AWDA_INDICATORS_BY_OFFICE : AWDA_INDICATORS_NONE);
  self->printing = TRUE;
  update_spinner (self);
  gtk_widget_action_set_enabled (widget, "dashboard.print", FALSE);

  task = g_task_new (self, NULL, on_print_computed_cb, NULL);
  g_task_set_source_tag (task, print_action);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, compute_thread);
}

/* GtkWidget */

static void
awda_dashboard_map (GtkWidget *widget)
{
  AwdaDashboard *self = AWDA_DASHBOARD (widget);

  GTK_WIDGET_CLASS (awda_dashboard_parent_class)->map (widget);

  /* Shown again after the data changed, or first shown: compute. */
  if (self->store != NULL &&
      (self->stale || self->results == NULL || self->computed_hlc != awda_store_get_last_hlc (self->store)))
    awda_dashboard_refresh (self);
}

/* GObject */

static void
awda_dashboard_dispose (GObject *object)
{
  AwdaDashboard *self = AWDA_DASHBOARD (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->compute_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_DASHBOARD);
  /* The template's children that are not bound to a field, too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->results, results_unref);

  G_OBJECT_CLASS (awda_dashboard_parent_class)->dispose (object);
}

static void
awda_dashboard_finalize (GObject *object)
{
  AwdaDashboard *self = AWDA_DASHBOARD (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->currency_cards);
  g_ptr_array_unref (self->assistance_views);
  g_ptr_array_unref (self->office_ids);
  g_ptr_array_unref (self->programme_ids);
  g_hash_table_unref (self->office_names);
  g_hash_table_unref (self->programme_names);
  g_free (self->from);
  g_free (self->to);
  g_free (self->office);
  g_free (self->programme);

  G_OBJECT_CLASS (awda_dashboard_parent_class)->finalize (object);
}

static void
awda_dashboard_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AwdaDashboard *self = AWDA_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_PERIOD:
      g_value_set_enum (value, self->period);
      break;

    case PROP_FROM:
      g_value_set_string (value, self->from);
      break;

    case PROP_TO:
      g_value_set_string (value, self->to);
      break;

    case PROP_OFFICE:
      g_value_set_string (value, self->office);
      break;

    case PROP_PROGRAMME:
      g_value_set_string (value, self->programme);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_dashboard_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AwdaDashboard *self = AWDA_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_STORE:
      awda_dashboard_set_store (self, g_value_get_object (value));
      break;

    case PROP_PERIOD:
      awda_dashboard_set_period (self, g_value_get_enum (value));
      break;

    case PROP_FROM:
      awda_dashboard_set_range (self, g_value_get_string (value), self->to);
      break;

    case PROP_TO:
      awda_dashboard_set_range (self, self->from, g_value_get_string (value));
      break;

    case PROP_OFFICE:
      awda_dashboard_set_office (self, g_value_get_string (value));
      break;

    case PROP_PROGRAMME:
      awda_dashboard_set_programme (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_dashboard_class_init (AwdaDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = awda_dashboard_dispose;
  object_class->finalize = awda_dashboard_finalize;
  object_class->get_property = awda_dashboard_get_property;
  object_class->set_property = awda_dashboard_set_property;
  widget_class->map = awda_dashboard_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PERIOD] =
    g_param_spec_enum ("period", NULL, NULL, AWDA_TYPE_DASHBOARD_PERIOD, AWDA_DASHBOARD_PERIOD_THIS_YEAR,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FROM] =
    g_param_spec_string ("from", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TO] =
    g_param_spec_string ("to", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OFFICE] =
    g_param_spec_string ("office", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRAMME] =
    g_param_spec_string ("programme", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AWDA_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, from_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, to_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, office_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, programme_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, spinner);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, scope_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, error_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, status_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, figures_box);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, cases_opened_value);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, cases_closed_value);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, plans_within_30_days_value);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, plans_caption);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, referrals_accepted_value);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, referrals_caption);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, follow_ups_on_time_value);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, follow_ups_caption);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, sustainable_value);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, sustainable_caption);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, stage_chart);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, governorate_chart);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, months_chart);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, assistance_box);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, assistance_empty_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, referrals_chart);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, sustainability_chart);
  gtk_widget_class_bind_template_child (widget_class, AwdaDashboard, tables_box);
  gtk_widget_class_bind_template_callback (widget_class, on_period_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_from_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_to_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_office_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_programme_selected_cb);

  gtk_widget_class_install_action (widget_class, "dashboard.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "dashboard.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "dashboard.save-report", NULL, save_report_action);
  gtk_widget_class_install_action (widget_class, "dashboard.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "dashboard.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "dashboard.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "dashboard.print", NULL);

  gtk_widget_class_set_css_name (widget_class, "dashboard");
}

static void
awda_dashboard_init (AwdaDashboard *self)
{
  self->period = AWDA_DASHBOARD_PERIOD_THIS_YEAR;
  self->currency_cards = g_ptr_array_new ();
  self->assistance_views = g_ptr_array_new ();
  self->office_ids = g_ptr_array_new_with_free_func (g_free);
  self->programme_ids = g_ptr_array_new_with_free_func (g_free);
  self->office_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->programme_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  make_expanders (self);
  clear_results (self);
  fill_reference (self);
  set_dates (self, self->period, NULL, NULL);
  update_actions (self);
}

/**
 * awda_dashboard_new:
 * @store: (nullable): the open store
 *
 * Returns: (transfer floating): a new dashboard
 */
GtkWidget *
awda_dashboard_new (AwdaStore *store)
{
  g_return_val_if_fail (store == NULL || AWDA_IS_STORE (store), NULL);

  return g_object_new (AWDA_TYPE_DASHBOARD, "store", store, NULL);
}

AwdaStore *
awda_dashboard_get_store (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), NULL);
  return self->store;
}

void
awda_dashboard_set_store (AwdaDashboard *self,
                          AwdaStore     *store)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_if_fail (AWDA_IS_DASHBOARD (self));
  g_return_if_fail (store == NULL || AWDA_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  /* The reader and the results belong to the previous database. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->reader);
  clear_results (self);
  self->generation++;
  set_loading (self, FALSE);
  show_error (self, NULL);
  show_status (self, NULL);

  g_free (self->office);
  self->office = NULL;
  g_free (self->programme);
  self->programme = NULL;
  fill_reference (self);

  /* The quick choices count from the store's today. */
  period_range (self, self->period, &from, &to);
  set_dates (self, self->period, from, to);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);

  filter_changed (self);
}

AwdaDashboardPeriod
awda_dashboard_get_period (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), AWDA_DASHBOARD_PERIOD_CUSTOM);
  return self->period;
}

void
awda_dashboard_set_period (AwdaDashboard       *self,
                           AwdaDashboardPeriod  period)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_if_fail (AWDA_IS_DASHBOARD (self));
  g_return_if_fail (period <= AWDA_DASHBOARD_PERIOD_CUSTOM);

  period_range (self, period, &from, &to);
  if (set_dates (self, period, from, to))
    filter_changed (self);
}

const char *
awda_dashboard_get_from (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), NULL);
  return self->from;
}

const char *
awda_dashboard_get_to (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), NULL);
  return self->to;
}

void
awda_dashboard_set_range (AwdaDashboard *self,
                          const char    *from,
                          const char    *to)
{
  g_return_if_fail (AWDA_IS_DASHBOARD (self));

  if (from != NULL && *from == '\0')
    from = NULL;
  if (to != NULL && *to == '\0')
    to = NULL;
  if (set_dates (self, AWDA_DASHBOARD_PERIOD_CUSTOM, from, to))
    filter_changed (self);
}

const char *
awda_dashboard_get_office (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), NULL);
  return self->office;
}

void
awda_dashboard_set_office (AwdaDashboard *self,
                           const char    *office)
{
  g_return_if_fail (AWDA_IS_DASHBOARD (self));

  if (office != NULL && *office == '\0')
    office = NULL;
  if (g_strcmp0 (self->office, office) == 0)
    return;

  g_free (self->office);
  self->office = g_strdup (office);
  show_filter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFICE]);
  filter_changed (self);
}

const char *
awda_dashboard_get_programme (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), NULL);
  return self->programme;
}

void
awda_dashboard_set_programme (AwdaDashboard *self,
                              const char    *programme)
{
  g_return_if_fail (AWDA_IS_DASHBOARD (self));

  if (programme != NULL && *programme == '\0')
    programme = NULL;
  if (g_strcmp0 (self->programme, programme) == 0)
    return;

  g_free (self->programme);
  self->programme = g_strdup (programme);
  show_filter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAMME]);
  filter_changed (self);
}

gboolean
awda_dashboard_get_loading (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), FALSE);
  return self->loading;
}

/**
 * awda_dashboard_get_indicators:
 *
 * Returns: (transfer none) (nullable): the indicators shown
 */
AwdaIndicators *
awda_dashboard_get_indicators (AwdaDashboard *self)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), NULL);
  return self->results ? self->results->indicators : NULL;
}

void
awda_dashboard_refresh (AwdaDashboard *self)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_if_fail (AWDA_IS_DASHBOARD (self));

  if (self->store == NULL)
    return;

  /* New offices or programmes, and a quick choice's dates may have
   * moved with the day. */
  fill_reference (self);
  period_range (self, self->period, &from, &to);
  set_dates (self, self->period, from, to);
  filter_changed (self);
}

/* Writing the tables and the report */

typedef struct
{
  Results *results;
  char    *dir;
} CsvJob;

static void
csv_job_free (CsvJob *job)
{
  results_unref (job->results);
  g_free (job->dir);
  g_free (job);
}

static void
export_csv_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CsvJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (!awda_csv_write_indicators (job->results->indicators, job->dir, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
awda_dashboard_export_csv_async (AwdaDashboard       *self,
                                 const char          *dir,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CsvJob *job;

  g_return_if_fail (AWDA_IS_DASHBOARD (self));
  g_return_if_fail (dir != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, awda_dashboard_export_csv_async);

  if (self->results == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The indicators are not computed yet: export them once they are shown."));
      return;
    }

  job = g_new0 (CsvJob, 1);
  job->results = results_ref (self->results);
  job->dir = g_strdup (dir);
  g_task_set_task_data (task, job, (GDestroyNotify) csv_job_free);
  g_task_run_in_thread (task, export_csv_thread);
}

gboolean
awda_dashboard_export_csv_finish (AwdaDashboard  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == awda_dashboard_export_csv_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
awda_dashboard_save_report_async (AwdaDashboard       *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (AWDA_IS_DASHBOARD (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, awda_dashboard_save_report_async);

  if (self->store == NULL)
    {
      g_task_return_new_error (task, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED,
                               _("There is no database to report on."));
      return;
    }

  /* Every office's pages when no office is chosen. */
  job = job_new (self, self->office == NULL ? AWDA_INDICATORS_BY_OFFICE : AWDA_INDICATORS_NONE);
  job->pdf = g_strdup (path);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, compute_thread);
}

gboolean
awda_dashboard_save_report_finish (AwdaDashboard  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (AWDA_IS_DASHBOARD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == awda_dashboard_save_report_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The case list as CSV */

typedef struct
{
  GWeakRef       parent;
  AwdaStore     *store;
  AwdaCaseQuery  query;
  char          *strings[7];
} CaseListRequest;

static void
case_list_request_free (CaseListRequest *request)
{
  g_weak_ref_clear (&request->parent);
  g_clear_object (&request->store);
  for (guint i = 0; i < G_N_ELEMENTS (request->strings); i++)
    g_free (request->strings[i]);
  g_free (request);
}

static void
on_case_list_written_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CaseListRequest *request = user_data;
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&request->parent);
  g_autoptr(GError) error = NULL;

  if (!awda_export_write_cases_finish (result, &error))
    awda_export_show_error (parent, _("The case list could not be exported."), error);
  case_list_request_free (request);
}

static void
on_case_list_file_chosen_cb (const char *path,
                             gpointer    user_data)
{
  CaseListRequest *request = user_data;
  g_autofree char *csv = NULL;

  if (path == NULL)
    {
      case_list_request_free (request);
      return;
    }
  csv = awda_export_with_suffix (path, "csv");
  awda_export_write_cases_async (request->store, &request->query, csv, NULL,
                                 on_case_list_written_cb, request);
}

void
awda_dashboard_export_case_list (GtkWindow           *parent,
                                 AwdaStore           *store,
                                 const AwdaCaseQuery *query)
{
  CaseListRequest *request;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (AWDA_IS_STORE (store));
  g_return_if_fail (query != NULL);

  /* The query's strings are the caller's: copies for the file chooser's
   * time. */
  request = g_new0 (CaseListRequest, 1);
  g_weak_ref_init (&request->parent, parent);
  request->store = g_object_ref (store);
  request->query = *query;
  request->query.search = request->strings[0] = g_strdup (query->search);
  request->query.status = request->strings[1] = g_strdup (query->status);
  request->query.governorate = request->strings[2] = g_strdup (query->governorate);
  request->query.programme = request->strings[3] = g_strdup (query->programme);
  request->query.caseworker = request->strings[4] = g_strdup (query->caseworker);
  request->query.vulnerability = request->strings[5] = g_strdup (query->vulnerability);
  request->query.today = request->strings[6] = g_strdup (query->today);
  request->query.limit = 0;

  awda_export_choose (parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                      _("Export the Case List"), _("_Export"),
                      /* Translators: the file name suggested for the case list. Keep the .csv. */
                      _("cases.csv"), _("CSV files"), "csv",
                      on_case_list_file_chosen_cb, request, NULL);
}

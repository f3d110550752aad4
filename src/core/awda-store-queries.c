/* awda-store-queries.c: reading the store: records, the case list, dump, check, history
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "awda-fold.h"
#include "awda-store-private.h"

static const AwdaEntity *
lookup_entity (const char  *name,
               GError     **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (name);

  if (entity == NULL)
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                 _("Unknown record type “%s”."), name);
  return entity;
}

static GPtrArray *
collect_records (AwdaStore         *self,
                 const AwdaEntity  *entity,
                 sqlite3_stmt      *stmt,
                 GError           **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_record_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, awda_store_record_from_row (entity, stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the database"));
      return NULL;
    }
  return g_steal_pointer (&records);
}

AwdaRecord *
awda_store_get_record (AwdaStore   *self,
                       const char  *entity_name,
                       const char  *id,
                       GError     **error)
{
  const AwdaEntity *entity;
  g_autofree char *sql = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  g_return_val_if_fail (entity_name != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  entity = lookup_entity (entity_name, error);
  if (entity == NULL)
    return NULL;

  lower = g_ascii_strdown (id, -1);
  sql = g_strdup_printf ("SELECT %s FROM \"%s\" WHERE id = ?",
                         awda_store_entity_columns (self, entity), entity->name);
  stmt = awda_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lower, -1, SQLITE_STATIC);

  records = collect_records (self, entity, stmt, error);
  if (records == NULL)
    return NULL;
  if (records->len == 0)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with id %s."), entity->name, id);
      return NULL;
    }
  return g_ptr_array_steal_index (records, 0);
}

GPtrArray *
awda_store_list_children (AwdaStore   *self,
                          const char  *entity_name,
                          const char  *case_id,
                          GError     **error)
{
  const AwdaEntity *entity;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  entity = lookup_entity (entity_name, error);
  if (entity == NULL)
    return NULL;
  if (entity->parent_field == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("A %s is not part of a case."), entity->name);
      return NULL;
    }

  sql = g_strdup_printf ("SELECT %s FROM \"%s\" WHERE \"%s\" = ? AND deleted = 0 ORDER BY rowid",
                         awda_store_entity_columns (self, entity), entity->name, entity->parent_field);
  stmt = awda_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  return collect_records (self, entity, stmt, error);
}

GPtrArray *
awda_store_list_records (AwdaStore   *self,
                         const char  *entity_name,
                         GError     **error)
{
  const AwdaEntity *entity;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean named;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);

  entity = lookup_entity (entity_name, error);
  if (entity == NULL)
    return NULL;

  named = awda_entity_field_index (entity, "name") >= 0;
  sql = g_strdup_printf ("SELECT %s FROM \"%s\" WHERE deleted = 0 ORDER BY %s",
                         awda_store_entity_columns (self, entity), entity->name,
                         named ? "name, rowid" : "rowid");
  stmt = awda_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  return collect_records (self, entity, stmt, error);
}

/* The case list
 *
 * A query lists rowids. What makes it fast on a million cases is which
 * index drives it, and whether the cases' rows (770 bytes each) must be
 * read at all: SQLite, without statistics, guesses, and a wrong guess
 * reads every case's row (seconds) where an index would have answered in
 * a millisecond. So the query names its index (INDEXED BY), chosen here:
 *   - a search: the search index, which yields the matches newest first;
 *   - the newest first, with filters: the index of the filter that keeps
 *     the fewest cases (counted in the indexes, up to a bound), which lists
 *     them by rowid, so the first rows come first and none is sorted;
 *   - another order: that order's index (migration 004), unless a filter
 *     keeps so few cases that sorting them is cheaper than walking it.
 * The other filters are asked of their own index, for the rowid at hand
 * (a probe of a small index, not a read of the row), and the deleted
 * cases, few, are left out by rowid: a case's row is read only for the
 * overdue filter, for an unindexed vulnerability and to sort. */

/* Fewer cases than this kept by a filter: listed by its index and sorted,
 * rather than found by walking the whole order. */
#define FEW_CASES 20000

/* Counting a filter's cases stops there: past it, only "many" matters. */
#define COUNT_BOUND 50000

/* The rowids of the deleted cases, from case_live. */
#define TOMBSTONES "(SELECT rowid FROM \"case\" WHERE deleted > 0 OR deleted < 0)"

/* The vulnerability flags that migration 004 indexes (case_<field>). */
static const char * const indexed_vulnerabilities[] = {
  "vuln_medical", "vuln_psychological", "vuln_disability",
  "vuln_single_parent", "vuln_unaccompanied_minor", "vuln_debt",
  NULL
};

/* The stage order of the list, as case_by_stage indexes it. */
#define STAGE_ORDER \
  "CASE c.status WHEN 'reception' THEN 0 WHEN 'assessment' THEN 1 WHEN 'plan' THEN 2" \
  " WHEN 'implementation' THEN 3 WHEN 'monitoring' THEN 4 ELSE 5 END"

/* Each order reversed is the same list upside down, so that one index
 * serves both directions. */
static const char *
sort_clause (AwdaCaseSort sort,
             gboolean     reversed)
{
  switch (sort)
    {
    case AWDA_CASE_SORT_NAME:
      return reversed
        ? "coalesce (c.family_name, c.family_name_ar) DESC, coalesce (c.given_name, c.given_name_ar) DESC, c.rowid DESC"
        : "coalesce (c.family_name, c.family_name_ar), coalesce (c.given_name, c.given_name_ar), c.rowid";
    case AWDA_CASE_SORT_STATUS:
      return reversed ? STAGE_ORDER " DESC, c.rowid" : STAGE_ORDER ", c.rowid DESC";
    case AWDA_CASE_SORT_GOVERNORATE:
      return reversed ? "c.governorate DESC, c.rowid" : "c.governorate, c.rowid DESC";
    case AWDA_CASE_SORT_OPENED:
      return reversed ? "c.opened_on, c.rowid" : "c.opened_on DESC, c.rowid DESC";
    case AWDA_CASE_SORT_NEWEST:
    default:
      return reversed ? "c.rowid" : "c.rowid DESC";
    }
}

/* The index that holds the live cases in the order of @sort: one of
 * migration 004, or case_live for the newest first. */
static const char *
sort_index (AwdaCaseSort sort)
{
  switch (sort)
    {
    case AWDA_CASE_SORT_NAME:
      return "case_by_name";
    case AWDA_CASE_SORT_STATUS:
      return "case_by_stage";
    case AWDA_CASE_SORT_GOVERNORATE:
      return "case_by_governorate";
    case AWDA_CASE_SORT_OPENED:
      return "case_by_opened";
    case AWDA_CASE_SORT_NEWEST:
    default:
      return "case_live";
    }
}

static gboolean
is_vulnerability_field (const char *name)
{
  const AwdaField *field;

  if (!g_str_has_prefix (name, "vuln_"))
    return FALSE;
  field = awda_entity_lookup_field (awda_dictionary_lookup_entity ("case"), name);
  return field != NULL && field->type == AWDA_FIELD_BOOLEAN;
}

/* A filter on one of the case's own fields. */
typedef struct
{
  char       *column;  /* quoted */
  const char *value;   /* bound, or NULL for a flag that must be 1 */
  char       *index;   /* lists its cases by rowid; NULL: none does */
  gboolean    flag;    /* its index is a vulnerability's: keyed by deleted */
  gint64      count;   /* its cases, up to COUNT_BOUND; -1: not counted */
} CaseFilter;

static void
case_filter_clear (CaseFilter *filter)
{
  g_free (filter->column);
  g_free (filter->index);
}

static void
add_filter (GArray     *filters,
            const char *column,
            const char *value,
            const char *index,
            gboolean    flag)
{
  CaseFilter filter = {
    .column = g_strdup_printf ("\"%s\"", column),
    .value = value,
    .index = g_strdup (index),
    .flag = flag,
    .count = -1,
  };

  g_array_append_val (filters, filter);
}

static GArray *
case_filters (const AwdaCaseQuery *query)
{
  GArray *filters = g_array_new (FALSE, FALSE, sizeof (CaseFilter));

  g_array_set_clear_func (filters, (GDestroyNotify) case_filter_clear);

  /* The dictionary indexes these fields (case_<field>). */
  if (query->status != NULL)
    add_filter (filters, "status", query->status, "case_status", FALSE);
  if (query->governorate != NULL)
    add_filter (filters, "governorate", query->governorate, "case_governorate", FALSE);
  if (query->programme != NULL)
    add_filter (filters, "return_programme", query->programme, "case_return_programme", FALSE);
  if (query->caseworker != NULL)
    add_filter (filters, "caseworker", query->caseworker, "case_caseworker", FALSE);

  if (query->vulnerability != NULL)
    {
      g_autofree char *index = NULL;

      if (g_strv_contains (indexed_vulnerabilities, query->vulnerability))
        index = g_strdup_printf ("case_%s", query->vulnerability);
      add_filter (filters, query->vulnerability, NULL, index, TRUE);
    }

  return filters;
}

static const char *
filter_operand (const CaseFilter *filter)
{
  return filter->value != NULL ? "?" : "1";
}

static void
bind_filter (sqlite3_stmt     *stmt,
             int              *param,
             const CaseFilter *filter)
{
  if (filter->value != NULL)
    sqlite3_bind_text (stmt, ++*param, filter->value, -1, SQLITE_STATIC);
}

/* Stops the statements of a connection once the query is cancelled. */
static int
on_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

/* @what: a translated clause, as for awda_store_set_sqlite_error(). */
static void
set_query_error (AwdaStore     *self,
                 GCancellable  *cancellable,
                 GError       **error,
                 const char    *what)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return;
  awda_store_set_sqlite_error (self, error, what);
}

/* How many cases @filter keeps, up to COUNT_BOUND, from its index alone. */
static gboolean
count_filter (AwdaStore     *self,
              CaseFilter    *filter,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int param = 0;
  int rc;

  sql = g_strdup_printf ("SELECT count(*) FROM (SELECT 1 FROM \"case\" c INDEXED BY \"%s\" WHERE c.%s = %s LIMIT %d)",
                         filter->index, filter->column, filter_operand (filter), COUNT_BOUND);
  stmt = awda_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_filter (stmt, &param, filter);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    filter->count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_ROW)
    {
      set_query_error (self, cancellable, error, _("Could not count the cases"));
      return FALSE;
    }
  return TRUE;
}

/* The filter whose index drives the query: its position in @filters, -1
 * for the order's index, -2 on error. */
static int
choose_driver (AwdaStore            *self,
               const AwdaCaseQuery  *query,
               GArray               *filters,
               GCancellable         *cancellable,
               GError              **error)
{
  int driver = -1;
  guint n_indexed = 0;

  for (guint i = 0; i < filters->len; i++)
    if (g_array_index (filters, CaseFilter, i).index != NULL)
      {
        n_indexed++;
        driver = (int) i;
      }

  /* One filter's index lists its cases newest first: nothing to weigh. */
  if (n_indexed <= 1 && query->sort == AWDA_CASE_SORT_NEWEST)
    return driver;

  driver = -1;
  for (guint i = 0; i < filters->len; i++)
    {
      CaseFilter *filter = &g_array_index (filters, CaseFilter, i);

      if (filter->index == NULL)
        continue;
      if (!count_filter (self, filter, cancellable, error))
        return -2;
      if (driver < 0 || filter->count < g_array_index (filters, CaseFilter, driver).count)
        driver = (int) i;
    }

  /* In another order, walking its index finds the first rows soon unless
   * every filter keeps few cases; then they are sorted instead. */
  if (driver >= 0 && query->sort != AWDA_CASE_SORT_NEWEST
      && g_array_index (filters, CaseFilter, driver).count >= FEW_CASES)
    return -1;

  return driver;
}

/* How a query runs. */
typedef struct
{
  const char   *match;          /* the search as FTS5 wants it; NULL: none */
  gboolean      search_drives;  /* the search index yields the cases; else
                                 * its matches are a set asked of */
  int           driver;         /* the filter whose index drives; -1: the order's */
  AwdaCaseSort  sort;           /* the order; a filter that fixes its key
                                 * leaves the rowid's (NEWEST) */
  gboolean      reversed;
  gboolean      plain;          /* no index named: a bulk load dropped them */
} Plan;

/* Whether a bulk load (awda_store_drop_indexes()), in this process or
 * another, has dropped the indexes the case list names: its queries then
 * leave the choice to SQLite, slower but right. */
static gboolean
indexes_dropped (AwdaStore *self)
{
  return awda_store_has_dropped_indexes (self, "case") || awda_store_has_dropped_indexes (self, "follow_up");
}

/* How many cases the search matches, up to COUNT_BOUND. */
static gboolean
count_matches (AwdaStore     *self,
               const char    *match,
               gint64        *count,
               GCancellable  *cancellable,
               GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = awda_store_prepare (self, "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE case_search MATCH ?"
                                   " LIMIT " G_STRINGIFY (COUNT_BOUND) ")", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_ROW)
    {
      set_query_error (self, cancellable, error, _("Could not search the cases"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
plan_query (AwdaStore            *self,
            const AwdaCaseQuery  *query,
            const char           *match,
            GArray               *filters,
            Plan                 *plan,
            GCancellable         *cancellable,
            GError              **error)
{
  plan->match = match;
  plan->search_drives = match != NULL;
  plan->driver = -1;
  plan->sort = query->sort;
  plan->reversed = query->reversed;
  plan->plain = indexes_dropped (self);

  if (plan->plain)
    for (guint i = 0; i < filters->len; i++)
      g_clear_pointer (&g_array_index (filters, CaseFilter, i).index, g_free);

  /* Listing one stage (or governorate) by stage leaves the order of the
   * ties, which is the rowid's: newest first, or oldest first reversed. */
  if ((query->sort == AWDA_CASE_SORT_STATUS && query->status != NULL)
      || (query->sort == AWDA_CASE_SORT_GOVERNORATE && query->governorate != NULL))
    plan->sort = AWDA_CASE_SORT_NEWEST;

  /* Matches in another order must all be sorted: when they are many,
   * walking the order's index and asking the set of matches finds the
   * first rows sooner. */
  if (match != NULL && plan->sort != AWDA_CASE_SORT_NEWEST)
    {
      gint64 count;

      if (!count_matches (self, match, &count, cancellable, error))
        return FALSE;
      plan->search_drives = count < FEW_CASES;
    }

  if (!plan->search_drives)
    {
      AwdaCaseQuery sorted = *query;

      sorted.sort = plan->sort;
      plan->driver = choose_driver (self, &sorted, filters, cancellable, error);
      if (plan->driver == -2)
        return FALSE;
    }

  return TRUE;
}

/* Whether the query must read the rows of the cases it yields. */
static gboolean
needs_rows (const AwdaCaseQuery *query,
            GArray              *filters,
            const Plan          *plan)
{
  if (query->overdue || (plan->search_drives && plan->sort != AWDA_CASE_SORT_NEWEST))
    return TRUE;

  for (guint i = 0; i < filters->len; i++)
    if (g_array_index (filters, CaseFilter, i).index == NULL)
      return TRUE;

  return FALSE;
}

/* @filter asked of its index for the case at hand, @rowid. */
static void
append_probe (GString          *sql,
              const CaseFilter *filter,
              const char       *rowid)
{
  if (filter->index == NULL)
    {
      g_string_append_printf (sql, " AND +c.%s = %s", filter->column, filter_operand (filter));
      return;
    }

  g_string_append_printf (sql, " AND EXISTS (SELECT 1 FROM \"case\" x INDEXED BY \"%s\" WHERE x.%s = %s%s AND x.rowid = %s)",
                          filter->index, filter->column, filter_operand (filter),
                          filter->flag ? " AND x.deleted = 0" : "", rowid);
}

/* The cases of @query that are not deleted, in its order. */
static char *
case_query_sql (const AwdaCaseQuery *query,
                GArray              *filters,
                const Plan          *plan)
{
  GString *sql = g_string_new (NULL);
  const char *rowid = plan->search_drives ? "s.rowid" : "c.rowid";

  if (plan->search_drives)
    {
      /* The search index yields rowids in order, so a limited search
       * stops after the first matches. CROSS JOIN keeps that order of
       * the loops. */
      g_string_append (sql, needs_rows (query, filters, plan)
                            ? "SELECT s.rowid FROM case_search s CROSS JOIN \"case\" c ON c.rowid = s.rowid"
                            : "SELECT s.rowid FROM case_search s");
      g_string_append (sql, " WHERE case_search MATCH ? AND s.rowid NOT IN " TOMBSTONES);
    }
  else if (plan->driver >= 0)
    {
      const CaseFilter *filter = &g_array_index (filters, CaseFilter, plan->driver);

      g_string_append_printf (sql, "SELECT c.rowid FROM \"case\" c INDEXED BY \"%s\" WHERE c.%s = %s",
                              filter->index, filter->column, filter_operand (filter));
      /* A vulnerability's index is keyed by deleted, so that its live
       * cases come in rowid order. */
      g_string_append (sql, filter->flag ? " AND c.deleted = 0" : " AND c.rowid NOT IN " TOMBSTONES);
    }
  else if (plan->plain)
    g_string_append (sql, "SELECT c.rowid FROM \"case\" c WHERE c.deleted = 0");
  else
    /* Every order's index holds the live cases only (case_live is keyed
     * by deleted). */
    g_string_append_printf (sql, "SELECT c.rowid FROM \"case\" c INDEXED BY \"%s\" WHERE c.deleted = 0",
                            sort_index (plan->sort));

  if (plan->match != NULL && !plan->search_drives)
    g_string_append (sql, " AND c.rowid IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)");

  for (guint i = 0; i < filters->len; i++)
    if (plan->search_drives || (int) i != plan->driver)
      append_probe (sql, &g_array_index (filters, CaseFilter, i), rowid);

  /* Last: it reads the case's row. */
  if (query->overdue)
    g_string_append_printf (sql, " AND EXISTS (SELECT 1 FROM follow_up f%s"
                                 " WHERE f.case_id = c.id AND f.done_on IS NULL AND f.deleted = 0 AND f.scheduled_on < ?)",
                            plan->plain ? "" : " INDEXED BY follow_up_open");

  if (plan->search_drives && plan->sort == AWDA_CASE_SORT_NEWEST)
    g_string_append (sql, plan->reversed ? " ORDER BY s.rowid" : " ORDER BY s.rowid DESC");
  else
    g_string_append_printf (sql, " ORDER BY %s", sort_clause (plan->sort, plan->reversed));

  if (query->limit > 0)
    g_string_append_printf (sql, " LIMIT %u", query->limit);

  return g_string_free (sql, FALSE);
}

static GArray *
run_case_query (AwdaStore            *self,
                const AwdaCaseQuery  *query,
                GArray               *filters,
                const Plan           *plan,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autofree char *sql = case_query_sql (query, filters, plan);
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int param = 0;
  int rc;

  if (sqlite3_prepare_v2 (awda_store_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not search the cases"));
      return NULL;
    }

  /* In the order of their ? in the SQL. */
  if (plan->search_drives)
    sqlite3_bind_text (stmt, ++param, plan->match, -1, SQLITE_STATIC);
  else if (plan->driver >= 0)
    bind_filter (stmt, &param, &g_array_index (filters, CaseFilter, plan->driver));
  if (plan->match != NULL && !plan->search_drives)
    sqlite3_bind_text (stmt, ++param, plan->match, -1, SQLITE_STATIC);
  for (guint i = 0; i < filters->len; i++)
    if (plan->search_drives || (int) i != plan->driver)
      bind_filter (stmt, &param, &g_array_index (filters, CaseFilter, i));
  if (query->overdue)
    sqlite3_bind_text (stmt, ++param, query->today, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, rowid);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_query_error (self, cancellable, error, _("Could not search the cases"));
      return NULL;
    }
  return g_steal_pointer (&rowids);
}

GArray *
awda_store_query_cases (AwdaStore            *self,
                        const AwdaCaseQuery  *query,
                        GError              **error)
{
  return awda_store_query_cases_full (self, query, NULL, error);
}

/**
 * awda_store_query_cases_full:
 * @self: a #AwdaStore
 * @query: what to list
 * @cancellable: (nullable): stops the query, from another thread
 * @error: return location for a #GError
 *
 * Like awda_store_query_cases(); once @cancellable is cancelled, SQLite
 * stops within a few thousand instructions and this fails with
 * %G_IO_ERROR_CANCELLED, so that a query overtaken by a newer one leaves
 * the processor to it.
 *
 * Returns: (transfer full): the rowids, or %NULL on error
 */
GArray *
awda_store_query_cases_full (AwdaStore            *self,
                             const AwdaCaseQuery  *query,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_autofree char *match = NULL;
  g_autoptr(GArray) filters = NULL;
  sqlite3 *db;
  GArray *rowids = NULL;
  Plan plan;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (query->search != NULL)
    {
      g_autofree char *typed = g_strstrip (g_strdup (query->search));

      match = awda_fold_match_query (typed);
      /* Only punctuation typed: nothing can match it. */
      if (match == NULL && *typed != '\0')
        return g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  if (query->vulnerability != NULL && !is_vulnerability_field (query->vulnerability))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("“%s” is not a vulnerability field."), query->vulnerability);
      return NULL;
    }
  if (query->overdue && (query->today == NULL || !awda_date_parse (query->today, NULL, NULL, NULL)))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Finding overdue follow-ups needs today's date as YYYY-MM-DD."));
      return NULL;
    }

  db = awda_store_get_db (self);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, on_progress_cb, cancellable);

  filters = case_filters (query);
  if (plan_query (self, query, match, filters, &plan, cancellable, error))
    rowids = run_case_query (self, query, filters, &plan, cancellable, error);

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 0, NULL, NULL);

  return rowids;
}

/**
 * awda_store_get_data_stamp:
 * @self: a #AwdaStore
 *
 * A number that changes whenever the data may have changed since it was
 * last asked: a write through this connection (even one rolled back), or
 * a commit through any other, of this process or another. Lists of cases
 * read while it stayed the same are still true.
 *
 * Returns: the stamp; 0 when it cannot be known (never the same as one
 *   read before)
 */
guint64
awda_store_get_data_stamp (AwdaStore *self)
{
  sqlite3_stmt *stmt;
  gint64 version = -1;

  g_return_val_if_fail (AWDA_IS_STORE (self), 0);

  stmt = awda_store_prepare (self, "PRAGMA data_version", NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (version < 0)
    return 0;

  /* data_version counts the other connections' commits, and
   * total_changes this one's writes: both only grow. */
  return ((guint64) version << 40) + (guint64) sqlite3_total_changes64 (awda_store_get_db (self)) + 1;
}

GPtrArray *
awda_store_fetch_cases (AwdaStore     *self,
                        const gint64  *rowids,
                        guint          n_rowids,
                        GError       **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_record_free);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  g_return_val_if_fail (rowids != NULL || n_rowids == 0, NULL);

  sql = g_strdup_printf ("SELECT %s FROM \"case\" WHERE rowid = ?", awda_store_entity_columns (self, entity));
  stmt = awda_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_rowids; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, rowids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (records, awda_store_record_from_row (entity, stmt));
      sqlite3_reset (stmt);

      if (rc != SQLITE_ROW)
        {
          if (rc == SQLITE_DONE)
            g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                         _("A case of the list is no longer in the database."));
          else
            awda_store_set_sqlite_error (self, error, _("Could not read the database"));
          return NULL;
        }
    }

  return g_steal_pointer (&records);
}

gint64
awda_store_count_cases (AwdaStore  *self,
                        GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (AWDA_IS_STORE (self), -1);

  stmt = awda_store_prepare (self, "SELECT count(*) FROM \"case\" WHERE deleted = 0", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    awda_store_set_sqlite_error (self, error, _("Could not count the cases"));
  sqlite3_reset (stmt);
  return count;
}

/* Dump */

static void
append_escaped (GString    *out,
                const char *value)
{
  for (const char *p = value; p && *p; p++)
    switch (*p)
      {
      case '\\': g_string_append (out, "\\\\"); break;
      case '\t': g_string_append (out, "\\t"); break;
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      default: g_string_append_c (out, *p);
      }
}

static int
compare_field_names (gconstpointer a,
                     gconstpointer b)
{
  return strcmp (((const AwdaField *) a)->name, ((const AwdaField *) b)->name);
}

static int
compare_entity_names (gconstpointer a,
                      gconstpointer b)
{
  return strcmp ((*(const AwdaEntity **) a)->name, (*(const AwdaEntity **) b)->name);
}

static gboolean
flush_out (GOutputStream  *out,
           GString        *buffer,
           gboolean        force,
           GError        **error)
{
  if (!force && buffer->len < 65536)
    return TRUE;
  if (!g_output_stream_write_all (out, buffer->str, buffer->len, NULL, NULL, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

static GPtrArray *
entities_by_name (void)
{
  guint n;
  const AwdaEntity *entities = awda_dictionary_get_entities (&n);
  GPtrArray *sorted = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, (gpointer) &entities[i]);
  g_ptr_array_sort (sorted, compare_entity_names);
  return sorted;
}

gboolean
awda_store_dump (AwdaStore      *self,
                 GOutputStream  *out,
                 GError        **error)
{
  g_autoptr(GPtrArray) entities = entities_by_name ();
  g_autoptr(GString) buffer = g_string_sized_new (65536 + 4096);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  for (guint e = 0; e < entities->len; e++)
    {
      const AwdaEntity *entity = g_ptr_array_index (entities, e);
      g_autofree AwdaField *fields = g_new (AwdaField, entity->n_fields + 1);
      g_autofree int *columns = g_new (int, entity->n_fields + 1);
      g_autofree char *sql = NULL;

      /* Fields in name order, the deleted field among them. */
      memcpy (fields, entity->fields, sizeof (AwdaField) * entity->n_fields);
      fields[entity->n_fields] = *awda_dictionary_deleted_field ();
      qsort (fields, entity->n_fields + 1, sizeof (AwdaField), compare_field_names);
      for (guint i = 0; i <= entity->n_fields; i++)
        {
          int index = awda_entity_field_index (entity, fields[i].name);
          columns[i] = index < 0 ? 2 : AWDA_FIRST_FIELD_COLUMN + AWDA_FIELD_COLUMNS * index;
        }

      sql = g_strdup_printf ("SELECT %s FROM \"%s\" ORDER BY id",
                             awda_store_entity_columns (self, entity), entity->name);
      if (sqlite3_prepare_v2 (awda_store_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          awda_store_set_sqlite_error (self, error, _("Could not read the database"));
          return FALSE;
        }

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 1);

          for (guint i = 0; i <= entity->n_fields; i++)
            {
              int c = columns[i];
              g_autofree char *value = NULL;

              /* A field is part of the data once written, even if cleared. */
              if (sqlite3_column_type (stmt, c + 1) == SQLITE_NULL)
                continue;

              if (c == 2)
                value = g_strdup (sqlite3_column_int (stmt, 2) ? "true" : "false");
              else
                value = awda_store_column_text (&fields[i], stmt, c);

              g_string_append_printf (buffer, "%s\t%s\t%s\t", entity->name, id, fields[i].name);
              append_escaped (buffer, value);
              g_string_append_c (buffer, '\n');
            }

          if (!flush_out (out, buffer, FALSE, error))
            {
              sqlite3_finalize (stmt);
              return FALSE;
            }
        }
      sqlite3_finalize (stmt);

      if (rc != SQLITE_DONE)
        {
          awda_store_set_sqlite_error (self, error, _("Could not read the database"));
          return FALSE;
        }
    }

  if (sqlite3_prepare_v2 (awda_store_get_db (self),
                          "SELECT c.entity, c.record, c.field, c.value, s.id FROM conflict c"
                          " JOIN site s ON s.num = c.site"
                          " ORDER BY c.entity, c.record, c.field, c.value, s.id, c.hlc",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the database"));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append (buffer, "conflict");
      for (int i = 0; i < 5; i++)
        {
          g_string_append_c (buffer, '\t');
          append_escaped (buffer, (const char *) sqlite3_column_text (stmt, i));
        }
      g_string_append_c (buffer, '\n');
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the database"));
      return FALSE;
    }

  return flush_out (out, buffer, TRUE, error) && g_output_stream_flush (out, NULL, error);
}

/* Check */

static gboolean
check_integrity (AwdaStore  *self,
                 GPtrArray  *problems,
                 GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (awda_store_get_db (self), "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not check the database"));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("SQLite integrity check: %s"), line));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not check the database"));
      return FALSE;
    }

  if (sqlite3_prepare_v2 (awda_store_get_db (self),
                          "INSERT INTO case_search (case_search) VALUES ('integrity-check')",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        g_ptr_array_add (problems, g_strdup_printf (_("The search index is damaged: %s"),
                                                    sqlite3_errmsg (awda_store_get_db (self))));
      sqlite3_finalize (stmt);
    }

  return TRUE;
}

/* For every field ever written, the current value and version must be
 * those of its winning change in the log, and nothing may be current
 * that the log does not hold. */
static gboolean
check_entity (AwdaStore         *self,
              const AwdaEntity  *entity,
              GPtrArray         *problems,
              GError           **error)
{
  sqlite3 *db = awda_store_get_db (self);
  g_autofree char *sql = NULL;
  sqlite3_stmt *log_stmt, *row_stmt;
  g_autofree char *last_record = NULL;
  g_autofree char *last_field = NULL;
  AwdaRecord *record = NULL;
  gboolean record_deleted = FALSE;
  gint64 n_versions = 0, n_groups = 0;
  guint64 *row_hlcs = NULL;
  gint64 *row_sites = NULL;
  guint64 deleted_hlc = 0;
  gint64 deleted_site = 0;
  int rc;
  gboolean ok = TRUE;

  /* The winner of each field comes first in its group. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT c.record, c.field, c.value, c.hlc, c.origin FROM change_log c"
                          " JOIN site s ON s.num = c.origin WHERE c.entity = ?"
                          " ORDER BY c.record, c.field, c.hlc DESC, s.id DESC",
                          -1, &log_stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not check the database"));
      return FALSE;
    }
  sqlite3_bind_text (log_stmt, 1, entity->name, -1, SQLITE_STATIC);

  sql = g_strdup_printf ("SELECT %s FROM \"%s\" WHERE id = ?", awda_store_entity_columns (self, entity), entity->name);
  if (sqlite3_prepare_v2 (db, sql, -1, &row_stmt, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (log_stmt);
      awda_store_set_sqlite_error (self, error, _("Could not check the database"));
      return FALSE;
    }

  row_hlcs = g_new0 (guint64, entity->n_fields);
  row_sites = g_new0 (gint64, entity->n_fields);

  while ((rc = sqlite3_step (log_stmt)) == SQLITE_ROW)
    {
      const char *rec = (const char *) sqlite3_column_text (log_stmt, 0);
      const char *field = (const char *) sqlite3_column_text (log_stmt, 1);
      const char *value = (const char *) sqlite3_column_text (log_stmt, 2);
      guint64 hlc = (guint64) sqlite3_column_int64 (log_stmt, 3);
      gint64 origin = sqlite3_column_int64 (log_stmt, 4);
      const char *current;
      guint64 current_hlc;
      gint64 current_site;
      int index;

      if (g_strcmp0 (rec, last_record) != 0)
        {
          g_clear_pointer (&record, awda_record_free);
          g_free (last_record);
          last_record = g_strdup (rec);
          g_clear_pointer (&last_field, g_free);

          sqlite3_bind_text (row_stmt, 1, rec, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (row_stmt) == SQLITE_ROW)
            {
              record = awda_store_record_from_row (entity, row_stmt);
              record_deleted = record->deleted;
              deleted_hlc = (guint64) sqlite3_column_int64 (row_stmt, 3);
              deleted_site = sqlite3_column_int64 (row_stmt, 4);
              for (guint i = 0; i < entity->n_fields; i++)
                {
                  int c = AWDA_FIRST_FIELD_COLUMN + AWDA_FIELD_COLUMNS * (int) i;
                  row_hlcs[i] = (guint64) sqlite3_column_int64 (row_stmt, c + 1);
                  row_sites[i] = sqlite3_column_int64 (row_stmt, c + 2);
                }
            }
          sqlite3_reset (row_stmt);

          if (record == NULL)
            g_ptr_array_add (problems, g_strdup_printf (_("The change log holds changes to %s %s, which is missing."),
                                                        entity->name, rec));
        }

      if (record == NULL || g_strcmp0 (field, last_field) == 0)
        continue;
      g_free (last_field);
      last_field = g_strdup (field);
      n_groups++;

      if (strcmp (field, AWDA_FIELD_DELETED) == 0)
        {
          current = record_deleted ? "true" : "false";
          current_hlc = deleted_hlc;
          current_site = deleted_site;
        }
      else
        {
          index = awda_entity_field_index (entity, field);
          if (index < 0)
            {
              g_ptr_array_add (problems, g_strdup_printf (_("The change log holds the unknown field “%s” of %s."),
                                                          field, entity->name));
              continue;
            }
          current = record->values[index];
          current_hlc = row_hlcs[index];
          current_site = row_sites[index];
        }

      if (g_strcmp0 (current, value) != 0 || current_hlc != hlc || current_site != origin)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("The field “%s” of %s %s holds “%s”, but its last change in the log says “%s”."),
                                          field, entity->name, rec, current ? current : "", value ? value : ""));
    }
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not check the database"));
      ok = FALSE;
    }
  sqlite3_finalize (log_stmt);
  sqlite3_finalize (row_stmt);
  g_clear_pointer (&record, awda_record_free);
  g_free (row_hlcs);
  g_free (row_sites);

  if (!ok)
    return FALSE;

  /* Every version in the table must come from the log. */
  {
    g_autoptr(GString) count = g_string_new ("SELECT (deleted__hlc IS NOT NULL)");

    for (guint i = 0; i < entity->n_fields; i++)
      g_string_append_printf (count, " + (\"%s__hlc\" IS NOT NULL)", entity->fields[i].name);
    g_string_prepend (count, "SELECT sum(n) FROM (");
    g_string_append_printf (count, " AS n FROM \"%s\")", entity->name);

    if (sqlite3_prepare_v2 (db, count->str, -1, &row_stmt, NULL) != SQLITE_OK)
      {
        awda_store_set_sqlite_error (self, error, _("Could not check the database"));
        return FALSE;
      }
    if (sqlite3_step (row_stmt) == SQLITE_ROW)
      n_versions = sqlite3_column_int64 (row_stmt, 0);
    sqlite3_finalize (row_stmt);
  }

  if (n_versions != n_groups)
    g_ptr_array_add (problems,
                     g_strdup_printf (_("The %s table holds %lld written fields, but the change log explains %lld."),
                                      entity->name, (long long) n_versions, (long long) n_groups));

  return TRUE;
}

/* The single integer a query returns; FALSE on failure. */
static gboolean
query_count (AwdaStore   *self,
             const char  *sql,
             gint64      *n,
             GError     **error)
{
  sqlite3_stmt *stmt;

  *n = 0;
  if (sqlite3_prepare_v2 (awda_store_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not check the database"));
      return FALSE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
awda_store_check (AwdaStore  *self,
                  GPtrArray  *problems,
                  GError    **error)
{
  guint n;
  const AwdaEntity *entities = awda_dictionary_get_entities (&n);
  gint64 missing, orphans, unindexed;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  if (!check_integrity (self, problems, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    if (!check_entity (self, &entities[i], problems, error))
      return FALSE;

  /* Sequence numbers of each origin are unique by the key; ours have no gap. */
  if (!query_count (self,
                    "SELECT count(*) - coalesce(max(seq), 0) FROM change_log"
                    " WHERE origin = (SELECT site FROM installation)", &missing, error))
    return FALSE;
  if (missing != 0)
    g_ptr_array_add (problems,
                     g_strdup_printf (_("This site's change log has %lld sequence numbers missing or repeated."),
                                      (long long) missing));

  /* A kept conflict is a version the log holds. */
  if (!query_count (self,
                    "SELECT count(*) FROM conflict k WHERE NOT EXISTS (SELECT 1 FROM change_log c"
                    " WHERE c.origin = k.site AND c.hlc = k.hlc AND c.record = k.record"
                    " AND c.field = k.field AND c.value IS k.value)", &orphans, error))
    return FALSE;
  if (orphans != 0)
    g_ptr_array_add (problems,
                     g_strdup_printf (_("%lld kept conflicts have no change in the log."), (long long) orphans));

  if (!query_count (self,
                    "SELECT (SELECT count(*) FROM case_search) - (SELECT count(*) FROM \"case\""
                    " WHERE coalesce (given_name, family_name, given_name_ar, family_name_ar,"
                    " national_id, phone) IS NOT NULL)", &unindexed, error))
    return FALSE;
  if (unindexed != 0)
    g_ptr_array_add (problems,
                     g_strdup_printf (_("The search index and the cases differ by %lld entries."),
                                      (long long) unindexed));

  return TRUE;
}

/* History */

void
awda_history_entry_free (AwdaHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->entity);
  g_free (entry->record);
  g_free (entry->field);
  g_free (entry->value);
  g_free (entry->old_value);
  g_free (entry->site_id);
  g_free (entry->site_name);
  g_free (entry);
}

GPtrArray *
awda_store_get_history (AwdaStore   *self,
                        const char  *case_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_history_entry_free);
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  guint n;
  const AwdaEntity *entities = awda_dictionary_get_entities (&n);
  sqlite3_stmt *stmt;
  g_autoptr(AwdaRecord) record = NULL;
  int rc;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  record = awda_store_get_record (self, "case", case_id, error);
  if (record == NULL)
    return NULL;

  /* The case and each of its child records. */
  g_string_append (sql, "WITH records (id) AS (SELECT ?1");
  for (guint i = 0; i < n; i++)
    if (entities[i].parent_field != NULL)
      g_string_append_printf (sql, " UNION ALL SELECT id FROM \"%s\" WHERE \"%s\" = ?1",
                              entities[i].name, entities[i].parent_field);
  g_string_append (sql, ") SELECT c.entity, c.record, c.field, c.value, c.hlc, s.id, s.name,"
                        " c.base_hlc, c.base_site, c.origin FROM change_log c JOIN site s ON s.num = c.origin"
                        " WHERE c.record IN (SELECT id FROM records) ORDER BY c.hlc, s.id, c.seq");

  if (sqlite3_prepare_v2 (awda_store_get_db (self), sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the history of the case"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AwdaHistoryEntry *entry;
      g_autofree char *key = NULL;
      guint64 hlc = (guint64) sqlite3_column_int64 (stmt, 4);
      gint64 origin = sqlite3_column_int64 (stmt, 9);
      AwdaHistoryEntry *base = NULL;

      /* A write that superseded conflicts appears once, not once per base. */
      if (history->len > 0)
        {
          AwdaHistoryEntry *last = g_ptr_array_index (history, history->len - 1);

          if (last->hlc == hlc && g_strcmp0 (last->site_id, (const char *) sqlite3_column_text (stmt, 5)) == 0 &&
              g_strcmp0 (last->record, (const char *) sqlite3_column_text (stmt, 1)) == 0 &&
              g_strcmp0 (last->field, (const char *) sqlite3_column_text (stmt, 2)) == 0)
            continue;
        }

      entry = g_new0 (AwdaHistoryEntry, 1);
      entry->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      entry->record = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->field = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->value = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->hlc = hlc;
      entry->site_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      entry->site_name = g_strdup ((const char *) sqlite3_column_text (stmt, 6));

      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        {
          g_autofree char *base_key = g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                                       entry->record, entry->field,
                                                       (gint64) sqlite3_column_int64 (stmt, 7),
                                                       (gint64) sqlite3_column_int64 (stmt, 8));
          base = g_hash_table_lookup (versions, base_key);
        }
      entry->old_value = base ? g_strdup (base->value) : NULL;

      key = g_strdup_printf ("%s/%s/%" G_GUINT64_FORMAT "/%" G_GINT64_FORMAT, entry->record, entry->field, hlc, origin);
      g_hash_table_insert (versions, g_steal_pointer (&key), entry);
      g_ptr_array_add (history, entry);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the history of the case"));
      return NULL;
    }

  /* Newest first, as a person reads it. */
  for (guint i = 0, j = history->len ? history->len - 1 : 0; i < j; i++, j--)
    {
      gpointer tmp = history->pdata[i];
      history->pdata[i] = history->pdata[j];
      history->pdata[j] = tmp;
    }

  return g_steal_pointer (&history);
}

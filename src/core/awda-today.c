/* awda-today.c: the follow-ups due and the cases waiting for an action, for an office or a caseworker
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every list is one query bounded by a LIMIT, shaped so that SQLite walks
 * an index in the order of the result and stops at the limit, whatever
 * the size of the base (1,000,000 demo cases: see the benchmark in
 * tests/bench-today.c):
 *
 *  - the follow-ups walk follow_up.scheduled_on backwards from today;
 *  - each kind of waiting case walks case.status (whose entries are in
 *    rowid order for one stage), so "the longest waiting" is the first
 *    received here; the rows found are then sorted by how long they wait;
 *  - the approvals walk the office's or the caseworker's cases
 *    (case.owner_office, case.caseworker) and their plan items.
 *
 * The office or caseworker is a set of case rowids from a covering index
 * ("+c.rowid IN (…)": the unary plus keeps SQLite from probing that
 * index once for each of thousands of rowids, which it otherwise does),
 * checked before a row is read. Filters that must not drive a query
 * (deleted, a stage that is not the one walked) carry the same plus.
 */

#define G_LOG_DOMAIN "awda-today"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "awda-hlc.h"
#include "awda-store-private.h"
#include "awda-today-private.h"
#include "awda-workflow.h"

#define DEFAULT_LIMIT 100

/* The columns every list selects, in this order; the extras are NULL
 * where a list has none. */
#define CASE_COLUMNS \
  "c.rowid, c.id, c.given_name, c.family_name, c.given_name_ar, c.family_name_ar, c.status"

enum
{
  COL_CASE_ROWID,
  COL_CASE_ID,
  COL_GIVEN,
  COL_FAMILY,
  COL_GIVEN_AR,
  COL_FAMILY_AR,
  COL_STATUS,
  COL_SINCE,
  COL_RECORD_ID,
  COL_MODE,
  COL_PLAN_KIND,
  COL_BUDGET,
  COL_CURRENCY,
};

/* The local date of a change's clock. */
#define HLC_DATE(column) "date ((" column " >> 16) / 1000, 'unixepoch', 'localtime')"

void
awda_today_item_free (AwdaTodayItem *item)
{
  if (item == NULL)
    return;
  g_free (item->case_id);
  g_free (item->given_name);
  g_free (item->family_name);
  g_free (item->given_name_ar);
  g_free (item->family_name_ar);
  g_free (item->status);
  g_free (item->record_id);
  g_free (item->since);
  g_free (item->mode);
  g_free (item->plan_kind);
  g_free (item->budget);
  g_free (item->currency);
  g_free (item);
}

/* @what: a translated clause, as for awda_store_set_sqlite_error(). */
static gboolean
set_error (sqlite3     *db,
           GError     **error,
           const char  *what)
{
  awda_sqlite_set_error (db, error, what);
  return FALSE;
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* Whole days from @since to @today, both YYYY-MM-DD; 0 when either is
 * not a date. */
static int
days_between (const char *since,
              const char *today)
{
  int y1, m1, d1, y2, m2, d2;
  g_autoptr(GDate) a = NULL;
  g_autoptr(GDate) b = NULL;

  if (since == NULL || today == NULL
      || !awda_date_parse (since, &y1, &m1, &d1) || !awda_date_parse (today, &y2, &m2, &d2)
      || !g_date_valid_dmy (d1, m1, y1) || !g_date_valid_dmy (d2, m2, y2))
    return 0;

  a = g_date_new_dmy (d1, m1, y1);
  b = g_date_new_dmy (d2, m2, y2);
  return g_date_days_between (a, b);
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_int64 (sqlite3_stmt *stmt,
            const char   *name,
            gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static guint
query_limit (const AwdaTodayQuery *query)
{
  return query->limit > 0 ? query->limit : DEFAULT_LIMIT;
}

/* The office's or caseworker's cases, as a condition on c. */
static char *
scope_condition (const AwdaTodayQuery *query)
{
  if (query->office != NULL && query->caseworker != NULL)
    return g_strdup ("+c.rowid IN (SELECT rowid FROM \"case\" WHERE owner_office = :office AND caseworker = :caseworker)");
  if (query->office != NULL)
    return g_strdup ("+c.rowid IN (SELECT rowid FROM \"case\" WHERE owner_office = :office)");
  if (query->caseworker != NULL)
    return g_strdup ("+c.rowid IN (SELECT rowid FROM \"case\" WHERE caseworker = :caseworker)");
  return g_strdup ("1");
}

/* Runs @sql, adding one item of @kind per row (at most @limit; more sets
 * *@truncated). */
static gboolean
collect (sqlite3              *db,
         const char           *sql,
         const AwdaTodayQuery *query,
         const char           *local_office,
         AwdaTodayKind         kind,
         GPtrArray            *items,
         gboolean             *truncated,
         GError              **error)
{
  sqlite3_stmt *stmt = NULL;
  guint limit = query_limit (query);
  guint n = 0;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return set_error (db, error, _("Could not read today’s lists"));

  bind_text (stmt, ":today", query->today);
  bind_text (stmt, ":office", query->office);
  bind_text (stmt, ":caseworker", query->caseworker);
  bind_text (stmt, ":local_office", local_office);
  bind_int64 (stmt, ":limit", (gint64) limit + 1);
  bind_int64 (stmt, ":tnd", AWDA_DEFAULT_THRESHOLD_TND);
  bind_int64 (stmt, ":eur", AWDA_DEFAULT_THRESHOLD_EUR);
  bind_int64 (stmt, ":chf", AWDA_DEFAULT_THRESHOLD_CHF);
  bind_int64 (stmt, ":usd", AWDA_DEFAULT_THRESHOLD_USD);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AwdaTodayItem *item;

      if (n++ == limit)
        {
          if (truncated != NULL)
            *truncated = TRUE;
          break;
        }

      item = g_new0 (AwdaTodayItem, 1);
      item->kind = kind;
      item->case_rowid = sqlite3_column_int64 (stmt, COL_CASE_ROWID);
      item->case_id = column_text (stmt, COL_CASE_ID);
      item->given_name = column_text (stmt, COL_GIVEN);
      item->family_name = column_text (stmt, COL_FAMILY);
      item->given_name_ar = column_text (stmt, COL_GIVEN_AR);
      item->family_name_ar = column_text (stmt, COL_FAMILY_AR);
      item->status = column_text (stmt, COL_STATUS);
      item->since = column_text (stmt, COL_SINCE);
      item->record_id = column_text (stmt, COL_RECORD_ID);
      item->mode = column_text (stmt, COL_MODE);
      item->plan_kind = column_text (stmt, COL_PLAN_KIND);
      if (sqlite3_column_type (stmt, COL_BUDGET) != SQLITE_NULL)
        item->budget = awda_amount_format (sqlite3_column_int64 (stmt, COL_BUDGET));
      item->currency = column_text (stmt, COL_CURRENCY);
      item->days = days_between (item->since, query->today);

      /* Follow-ups come in one query; their kind is their date's. */
      if (kind == AWDA_TODAY_FOLLOW_UP_OVERDUE && g_strcmp0 (item->since, query->today) == 0)
        item->kind = AWDA_TODAY_FOLLOW_UP_DUE;

      g_ptr_array_add (items, item);
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_error (db, error, _("Could not read today’s lists"));
      sqlite3_finalize (stmt);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
check_query (const AwdaTodayQuery  *query,
             GError               **error)
{
  if (query->today == NULL || !awda_date_parse (query->today, NULL, NULL, NULL))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Invalid date “%s” for today: expected YYYY-MM-DD."),
                   query->today ? query->today : "");
      return FALSE;
    }
  return TRUE;
}

/* Follow-ups */

GPtrArray *
awda_today_list_follow_ups_db (sqlite3              *db,
                               const AwdaTodayQuery *query,
                               gboolean             *truncated,
                               GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_today_item_free);
  g_autofree char *scope = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (truncated != NULL)
    *truncated = FALSE;
  if (!check_query (query, error))
    return NULL;

  scope = scope_condition (query);
  /* CROSS JOIN keeps the follow-ups outside: walked by date, today's
   * first, and stopped at the limit. */
  sql = g_strdup_printf ("SELECT " CASE_COLUMNS ", f.scheduled_on, f.id, f.mode, NULL, NULL, NULL"
                         " FROM follow_up f CROSS JOIN \"case\" c ON c.id = f.case_id"
                         " WHERE f.scheduled_on <= :today AND f.done_on IS NULL AND +f.deleted = 0"
                         " AND +c.deleted = 0 AND +c.status <> 'closed' AND %s"
                         " ORDER BY f.scheduled_on DESC, f.rowid DESC LIMIT :limit",
                         scope);
  if (!collect (db, sql, query, NULL, AWDA_TODAY_FOLLOW_UP_OVERDUE, items, truncated, error))
    return NULL;

  return g_steal_pointer (&items);
}

/* Waiting cases */

static int
compare_waiting (gconstpointer a,
                 gconstpointer b)
{
  const AwdaTodayItem *x = *(AwdaTodayItem * const *) a;
  const AwdaTodayItem *y = *(AwdaTodayItem * const *) b;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (x->days != y->days)
    return x->days > y->days ? -1 : 1;
  return x->case_rowid < y->case_rowid ? -1 : x->case_rowid > y->case_rowid;
}

GPtrArray *
awda_today_list_waiting_db (sqlite3              *db,
                            const AwdaTodayQuery *query,
                            const char           *local_office,
                            gboolean             *truncated,
                            GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_today_item_free);
  g_autofree char *scope = NULL;
  const char *drive;
  struct
  {
    AwdaTodayKind  kind;
    char          *sql;
  } lists[5];

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (truncated != NULL)
    *truncated = FALSE;
  if (!check_query (query, error))
    return NULL;

  scope = scope_condition (query);

  /* At reception without consent, since the case was opened. */
  lists[0].kind = AWDA_TODAY_NO_CONSENT;
  lists[0].sql = g_strdup_printf ("SELECT " CASE_COLUMNS ", coalesce (c.opened_on, " HLC_DATE ("c.status__hlc") "),"
                                  " NULL, NULL, NULL, NULL, NULL"
                                  " FROM \"case\" c"
                                  " WHERE c.status = 'reception' AND +c.deleted = 0 AND %s"
                                  " AND (c.consent_given_on IS NULL OR c.consent_scope IS NULL)"
                                  " ORDER BY c.rowid LIMIT :limit",
                                  scope);

  /* At reception, with consent, for more than a week. */
  lists[1].kind = AWDA_TODAY_RECEPTION_WAITING;
  lists[1].sql = g_strdup_printf ("SELECT " CASE_COLUMNS ", coalesce (c.opened_on, " HLC_DATE ("c.status__hlc") ") AS since,"
                                  " NULL, NULL, NULL, NULL, NULL"
                                  " FROM \"case\" c"
                                  " WHERE c.status = 'reception' AND +c.deleted = 0 AND %s"
                                  " AND c.consent_given_on IS NOT NULL AND c.consent_scope IS NOT NULL"
                                  " AND since < date (:today, '-%d days')"
                                  " ORDER BY c.rowid LIMIT :limit",
                                  scope, AWDA_TODAY_RECEPTION_DAYS);

  /* At assessment without an assessment, since the stage was entered. */
  lists[2].kind = AWDA_TODAY_NO_ASSESSMENT;
  lists[2].sql = g_strdup_printf ("SELECT " CASE_COLUMNS ", coalesce (" HLC_DATE ("c.status__hlc") ", c.opened_on),"
                                  " NULL, NULL, NULL, NULL, NULL"
                                  " FROM \"case\" c"
                                  " WHERE c.status = 'assessment' AND +c.deleted = 0 AND %s"
                                  " AND NOT EXISTS (SELECT 1 FROM assessment a WHERE a.case_id = c.id AND +a.deleted = 0)"
                                  " ORDER BY c.rowid LIMIT :limit",
                                  scope);

  /* Proposed plan items above the threshold that applies to them, as
   * awda_workflow_get_threshold() finds it: the case's office's when it
   * is set in the item's currency (an office naming no currency counts
   * in dinars), else the default of the currency; a budget without a
   * currency, or in a currency with no default, always needs a
   * supervisor. Walked case by case from the office's or the
   * caseworker's index. */
  if (query->office != NULL && query->caseworker != NULL)
    drive = "c.owner_office = :office AND +c.caseworker = :caseworker";
  else if (query->office != NULL)
    drive = "c.owner_office = :office";
  else if (query->caseworker != NULL)
    drive = "c.caseworker = :caseworker";
  else
    drive = "1";
  lists[3].kind = AWDA_TODAY_APPROVAL;
  lists[3].sql = g_strdup_printf ("SELECT " CASE_COLUMNS ", coalesce (" HLC_DATE ("p.status__hlc") ", c.opened_on),"
                                  " p.id, NULL, p.kind, p.budget, p.currency"
                                  " FROM \"case\" c CROSS JOIN plan_item p ON p.case_id = c.id"
                                  " LEFT JOIN office o ON o.id = coalesce (c.owner_office, :local_office)"
                                  " WHERE %s AND +c.deleted = 0 AND +c.status <> 'closed'"
                                  " AND p.status = 'proposed' AND +p.deleted = 0 AND p.budget > 0"
                                  " AND (p.currency IS NULL OR p.budget >"
                                  "   CASE WHEN o.approval_threshold IS NOT NULL"
                                  "             AND coalesce (o.threshold_currency, 'TND') = p.currency"
                                  "        THEN o.approval_threshold"
                                  "        ELSE CASE p.currency WHEN 'TND' THEN :tnd WHEN 'EUR' THEN :eur"
                                  "                             WHEN 'CHF' THEN :chf WHEN 'USD' THEN :usd"
                                  "                             ELSE -1 END END)"
                                  " ORDER BY c.rowid, p.rowid LIMIT :limit",
                                  drive);

  /* In implementation with a follow-up overdue, since the oldest one. */
  lists[4].kind = AWDA_TODAY_IMPLEMENTATION_OVERDUE;
  lists[4].sql = g_strdup_printf ("SELECT " CASE_COLUMNS ","
                                  " (SELECT min (f.scheduled_on) FROM follow_up f WHERE f.case_id = c.id"
                                  "  AND +f.deleted = 0 AND f.done_on IS NULL AND +f.scheduled_on < :today) AS since,"
                                  " NULL, NULL, NULL, NULL, NULL"
                                  " FROM \"case\" c"
                                  " WHERE c.status = 'implementation' AND +c.deleted = 0 AND %s"
                                  " AND since IS NOT NULL"
                                  " ORDER BY c.rowid LIMIT :limit",
                                  scope);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      gboolean ok = items != NULL
                    && collect (db, lists[i].sql, query, local_office, lists[i].kind, items, truncated, error);

      g_free (lists[i].sql);
      if (!ok)
        g_clear_pointer (&items, g_ptr_array_unref);
    }

  if (items != NULL)
    g_ptr_array_sort (items, compare_waiting);
  return g_steal_pointer (&items);
}

/* The local office */

char *
awda_today_get_local_office_db (sqlite3  *db,
                                GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  if (sqlite3_prepare_v2 (db,
                          "SELECT o.id FROM installation i JOIN site s ON s.num = i.site, office o"
                          " WHERE o.deleted = 0"
                          " AND (o.name = s.name"
                          "      OR (s.governorate IS NOT NULL AND o.governorate = s.governorate AND o.kind IS s.kind))"
                          " ORDER BY o.name = s.name DESC, o.id LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_error (db, error, _("Could not read the database"));
      return NULL;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = column_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_error (db, error, _("Could not read the database"));
  sqlite3_finalize (stmt);
  return id;
}

/* On a store */

char *
awda_today_get_date (AwdaStore *store)
{
  gint64 ms;
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  ms = awda_hlc_get_ms (awda_store_wall_hlc (store));
  dt = g_date_time_new_from_unix_local (ms / 1000);
  if (dt == NULL)
    return g_strdup ("1970-01-01");
  return g_date_time_format (dt, "%Y-%m-%d");
}

char *
awda_today_get_local_office (AwdaStore  *store,
                             GError    **error)
{
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  return awda_today_get_local_office_db (awda_store_get_db (store), error);
}

GPtrArray *
awda_today_list_follow_ups (AwdaStore            *store,
                            const AwdaTodayQuery *query,
                            gboolean             *truncated,
                            GError              **error)
{
  g_autofree char *today = NULL;
  AwdaTodayQuery dated;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  dated = *query;
  if (dated.today == NULL)
    dated.today = today = awda_today_get_date (store);

  return awda_today_list_follow_ups_db (awda_store_get_db (store), &dated, truncated, error);
}

GPtrArray *
awda_today_list_waiting (AwdaStore            *store,
                         const AwdaTodayQuery *query,
                         gboolean             *truncated,
                         GError              **error)
{
  g_autofree char *today = NULL;
  g_autofree char *local_office = NULL;
  g_autoptr(GError) local_error = NULL;
  AwdaTodayQuery dated;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  dated = *query;
  if (dated.today == NULL)
    dated.today = today = awda_today_get_date (store);

  local_office = awda_today_get_local_office (store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return awda_today_list_waiting_db (awda_store_get_db (store), &dated, local_office, truncated, error);
}

gboolean
awda_today_mark_done (AwdaStore   *store,
                      const char  *follow_up_id,
                      const char  *staff_id,
                      GError     **error)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(AwdaEdit) edit = NULL;
  g_autofree char *today = NULL;
  const char *done_on;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (follow_up_id != NULL, FALSE);

  record = awda_store_get_record (store, "follow_up", follow_up_id, error);
  if (record == NULL)
    return FALSE;
  if (record->deleted)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The follow-up %s was deleted: it cannot be marked done."), follow_up_id);
      return FALSE;
    }
  done_on = awda_record_get (record, "done_on");
  if (done_on != NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("This follow-up was already marked done on %s."), done_on);
      return FALSE;
    }

  today = awda_today_get_date (store);
  edit = awda_edit_new ("follow_up", record->id);
  awda_edit_set (edit, "done_on", today);

  /* A staff id that names no staff record (settings from another
   * installation) is left out rather than refusing the whole edit. */
  if (staff_id != NULL && *staff_id != '\0' && awda_record_get (record, "done_by") == NULL)
    {
      g_autoptr(AwdaRecord) staff = awda_store_get_record (store, "staff", staff_id, NULL);

      if (staff != NULL && !staff->deleted)
        awda_edit_set (edit, "done_by", staff_id);
    }

  return awda_store_apply (store, edit, error);
}

/* awda-sync.c: exchange of sync bundles between installations
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each site keeps, per origin, the highest sequence up to which it holds
 * every change (its vector), and per peer what the peer acknowledged
 * holding (the vector of the last bundle received from it). A bundle for
 * a peer carries our vector and every change the peer is not known to
 * hold, whoever wrote it, so bundles relay through central. Exporting
 * moves nothing: a lost bundle is covered by the next one, because only
 * a bundle from the peer moves what we believe it holds.
 *
 * The changes of a bundle are in (HLC, origin id, seq) order. A change is
 * stamped after its base (the store's clock takes the max of what it has
 * seen), so its base always comes before it, and the store's merge sees
 * the history of each field in causal order.
 */

#define G_LOG_DOMAIN "awda-sync"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "awda-bundle.h"
#include "awda-dictionary.h"
#include "awda-hlc.h"
#include "awda-store-private.h"
#include "awda-sync.h"

#define PROGRESS_EVERY 4096
#define COPY_CHUNK (256 * 1024)
#define SPOOL_STALE_SECONDS (24 * 3600)
/* The page cache of an import, in kB: the import's resident memory stays
 * under 100 MB whatever the bundle's size. */
#define IMPORT_CACHE_KB 49152

static guint64
clock_ahead_hlc (void)
{
  return awda_hlc_from_ms (AWDA_SYNC_MAX_CLOCK_AHEAD_MS);
}

static char *
now_string (AwdaStore *store)
{
  gint64 ms = awda_hlc_get_ms (awda_store_wall_hlc (store));
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);

  if (dt == NULL)
    dt = g_date_time_new_now_utc ();
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* @what: a translated clause, as for awda_store_set_sqlite_error(). */
static gboolean
step_done (AwdaStore     *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      awda_store_set_sqlite_error (store, error, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static void
progress_report (AwdaSyncProgressFunc progress,
                 gpointer             user_data,
                 double               fraction)
{
  if (progress != NULL)
    progress (CLAMP (fraction, 0.0, 1.0), user_data);
}

/* Vectors */

/* The change log is stored as change sets: the field changes of one edit
 * at one origin, a range first_seq..last_seq, with a JSON array of
 * [field, value or null, base hlc or null, base site num or null]. This
 * file reads the sets directly, as the change_log view would make every
 * query walk every set of an origin. */

/* The first set that holds changes after @after: an index lookup. */
#define SETS_AFTER \
  " FROM change_set WHERE origin = ?1 AND last_seq > ?2 AND first_seq >=" \
  " coalesce ((SELECT max (first_seq) FROM change_set WHERE origin = ?1 AND first_seq <= ?2 + 1), 0)"

/* The highest contiguous sequence held for @origin, advanced from the
 * cached value; the cache itself is written only when @update. */
static gboolean
contiguous_seq (AwdaStore  *store,
                gint64      origin,
                gboolean    update,
                gint64     *out,
                GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 cached = 0, seq;
  int rc;

  if (origin == awda_store_get_local_site_num (store))
    {
      /* Our own changes have no gap: the store numbers them. */
      stmt = awda_store_prepare (store,
                                 "SELECT last_seq FROM change_set WHERE origin = ? ORDER BY first_seq DESC LIMIT 1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, origin);
      rc = sqlite3_step (stmt);
      *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          awda_store_set_sqlite_error (store, error, _("Could not read the change log"));
          return FALSE;
        }
      return TRUE;
    }

  stmt = awda_store_prepare (store, "SELECT seq FROM sync_vector WHERE origin = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cached = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Walk the sets after the cache up to the first gap. */
  stmt = awda_store_prepare (store, "SELECT first_seq, last_seq" SETS_AFTER " ORDER BY first_seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, cached);
  seq = cached;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) <= seq + 1)
    seq = MAX (seq, sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the change log"));
      return FALSE;
    }

  if (update && seq != cached)
    {
      stmt = awda_store_prepare (store,
                                 "INSERT INTO sync_vector (origin, seq) VALUES (?, ?)"
                                 " ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, origin);
      sqlite3_bind_int64 (stmt, 2, seq);
      if (!step_done (store, stmt, _("Could not save the synchronization records"), error))
        return FALSE;
    }

  *out = seq;
  return TRUE;
}

typedef struct
{
  gint64  num;
  char   *id;
  char   *name;
} SiteRow;

static void
site_row_free (gpointer data)
{
  SiteRow *row = data;

  g_free (row->id);
  g_free (row->name);
  g_free (row);
}

static GPtrArray *
load_sites (AwdaStore  *store,
            GError    **error)
{
  g_autoptr(GPtrArray) sites = g_ptr_array_new_with_free_func (site_row_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = awda_store_prepare (store, "SELECT num, id, name FROM site ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SiteRow *row = g_new0 (SiteRow, 1);

      row->num = sqlite3_column_int64 (stmt, 0);
      row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (sites, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the synchronization records"));
      return NULL;
    }
  return g_steal_pointer (&sites);
}

static void
vector_entry_free (gpointer data)
{
  AwdaSyncVectorEntry *entry = data;

  g_free (entry->origin);
  g_free (entry->origin_name);
  g_free (entry);
}

static GPtrArray *
compute_vector (AwdaStore  *store,
                gboolean    update,
                GError    **error)
{
  g_autoptr(GPtrArray) sites = load_sites (store, error);
  g_autoptr(GPtrArray) vector = g_ptr_array_new_with_free_func (vector_entry_free);

  if (sites == NULL)
    return NULL;

  for (guint i = 0; i < sites->len; i++)
    {
      SiteRow *site = g_ptr_array_index (sites, i);
      AwdaSyncVectorEntry *entry;
      gint64 seq;

      if (!contiguous_seq (store, site->num, update, &seq, error))
        return NULL;
      if (seq == 0)
        continue;

      entry = g_new0 (AwdaSyncVectorEntry, 1);
      entry->origin = g_strdup (site->id);
      entry->origin_name = g_strdup (site->name);
      entry->seq = seq;
      g_ptr_array_add (vector, entry);
    }

  return g_steal_pointer (&vector);
}

GPtrArray *
awda_sync_get_vector (AwdaStore  *store,
                      GError    **error)
{
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  return compute_vector (store, FALSE, error);
}

/* Export */

void
awda_sync_export_free (AwdaSyncExport *result)
{
  if (result == NULL)
    return;
  g_free (result->bundle_id);
  g_free (result->to_site);
  g_free (result);
}

/* A reader of the JSON array of a change set, just for the form the
 * store writes: [[field, value or null, base hlc, base site], …], the
 * base left out or null when there is none, strings with the escapes of
 * RFC 8259. tests/test-sync-merge.c checks that what it reads is what
 * the change_log view says. */
static const char *
json_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static const char *
json_hex4 (const char *p,
           gunichar   *c)
{
  *c = 0;
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (p[i]);

      if (d < 0)
        return NULL;
      *c = *c * 16 + (gunichar) d;
    }
  return p + 4;
}

/* A string at @p into @out; NULL when @p is not one. */
static const char *
json_string (const char *p,
             GString    *out)
{
  g_string_truncate (out, 0);
  if (*p != '"')
    return NULL;
  p++;
  for (;;)
    {
      const char *run = p;

      while (*p != '"' && *p != '\\' && *p != '\0')
        p++;
      g_string_append_len (out, run, p - run);
      if (*p == '"')
        return p + 1;
      if (*p == '\0')
        return NULL;

      p++;   /* the backslash */
      switch (*p++)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c, low;

            p = json_hex4 (p, &c);
            if (p == NULL)
              return NULL;
            if (c >= 0xd800 && c < 0xdc00 && p[0] == '\\' && p[1] == 'u')
              {
                const char *q = json_hex4 (p + 2, &low);

                if (q != NULL && low >= 0xdc00 && low < 0xe000)
                  {
                    c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                    p = q;
                  }
              }
            g_string_append_unichar (out, c);
          }
          break;
        default:
          return NULL;
        }
    }
}

/* A whole number or null at @p; 0 for null. */
static const char *
json_integer (const char *p,
              gint64     *out)
{
  gint64 n = 0;

  if (strncmp (p, "null", 4) == 0)
    {
      *out = 0;
      return p + 4;
    }
  if (*p < '0' || *p > '9')
    return NULL;
  while (*p >= '0' && *p <= '9')
    n = n * 10 + (*p++ - '0');
  *out = n;
  return p;
}

/* One origin's changes after what the peer holds, one at a time. */
typedef struct
{
  sqlite3_stmt *stmt;
  const char   *origin;    /* borrowed from the sites array */
  gint64        after;     /* the peer holds up to this */
  GString      *entity;
  GString      *record;
  GString      *json;      /* the changes of the current set */
  const char   *next;      /* the next element in it */
  gint64        seq;       /* of the current change */
  guint64       hlc;
  GString      *field;
  GString      *value;
  gboolean      cleared;
  guint64       base_hlc;
  gint64        base_site;
} Cursor;

static void
cursor_clear (Cursor *cursor)
{
  if (cursor->stmt != NULL)
    sqlite3_finalize (cursor->stmt);
  if (cursor->entity != NULL)
    {
      g_string_free (cursor->entity, TRUE);
      g_string_free (cursor->record, TRUE);
      g_string_free (cursor->json, TRUE);
      g_string_free (cursor->field, TRUE);
      g_string_free (cursor->value, TRUE);
    }
}

/* Parses the next element of the current set; FALSE at its end. */
static gboolean
cursor_element (AwdaStore  *store,
                Cursor     *cursor,
                gboolean   *ok,
                GError    **error)
{
  const char *p = json_space (cursor->next);
  gint64 base_hlc;

  *ok = TRUE;
  if (*p == ',')
    p = json_space (p + 1);
  if (*p == ']')
    return FALSE;

  if (*p != '[' ||
      (p = json_string (json_space (p + 1), cursor->field)) == NULL ||
      *(p = json_space (p)) != ',')
    goto bad;
  p = json_space (p + 1);
  cursor->cleared = strncmp (p, "null", 4) == 0;
  if (cursor->cleared)
    p += 4;
  else if (*p == '-' || (*p >= '0' && *p <= '9'))
    {
      /* A number written bare: its text is the value. */
      const char *start = p;

      while (*p == '-' || *p == '+' || *p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9'))
        p++;
      g_string_truncate (cursor->value, 0);
      g_string_append_len (cursor->value, start, p - start);
    }
  else if ((p = json_string (p, cursor->value)) == NULL)
    goto bad;
  /* The base, when there is one: a change without may stop at its
   * value, or give two nulls. */
  base_hlc = 0;
  cursor->base_site = 0;
  if (*(p = json_space (p)) == ',')
    {
      if ((p = json_integer (json_space (p + 1), &base_hlc)) == NULL ||
          *(p = json_space (p)) != ',' ||
          (p = json_integer (json_space (p + 1), &cursor->base_site)) == NULL)
        goto bad;
      p = json_space (p);
    }
  if (*p != ']')
    goto bad;

  cursor->base_hlc = (guint64) base_hlc;
  cursor->next = p + 1;
  return TRUE;

bad:
  *ok = FALSE;
  g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
               _("The change log of site %s is damaged near change %lld."),
               cursor->origin, (long long) cursor->seq);
  return FALSE;
}

/* Steps @cursor to its next change; FALSE at its end or on error. */
static gboolean
cursor_step (AwdaStore  *store,
             Cursor     *cursor,
             GError    **error)
{
  for (;;)
    {
      gboolean ok;
      int rc;

      if (cursor->next != NULL)
        {
          if (cursor_element (store, cursor, &ok, error))
            {
              if (++cursor->seq > cursor->after)
                return TRUE;
              continue;   /* held by the peer already */
            }
          if (!ok)
            return FALSE;
        }

      /* The next set */
      rc = sqlite3_step (cursor->stmt);
      if (rc != SQLITE_ROW)
        {
          if (rc != SQLITE_DONE)
            awda_store_set_sqlite_error (store, error, _("Could not read the change log"));
          return FALSE;
        }
      cursor->seq = sqlite3_column_int64 (cursor->stmt, 0) - 1;
      g_string_assign (cursor->entity, (const char *) sqlite3_column_text (cursor->stmt, 1));
      g_string_assign (cursor->record, (const char *) sqlite3_column_text (cursor->stmt, 2));
      cursor->hlc = (guint64) sqlite3_column_int64 (cursor->stmt, 3);
      g_string_assign (cursor->json, (const char *) sqlite3_column_text (cursor->stmt, 4));
      cursor->next = json_space (cursor->json->str);
      if (*cursor->next != '[')
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                       _("The change log of site %s is damaged near change %lld."),
                       cursor->origin, (long long) cursor->seq + 1);
          return FALSE;
        }
      cursor->next++;
    }
}

static gboolean
cursor_before (const Cursor *a,
               const Cursor *b)
{
  int cmp;

  if (a->hlc != b->hlc)
    return a->hlc < b->hlc;
  cmp = strcmp (a->origin, b->origin);
  if (cmp != 0)
    return cmp < 0;
  return a->seq < b->seq;
}

static void
heap_sift_down (Cursor **heap,
                guint    n,
                guint    i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      Cursor *tmp;

      if (l < n && cursor_before (heap[l], heap[m]))
        m = l;
      if (r < n && cursor_before (heap[r], heap[m]))
        m = r;
      if (m == i)
        return;
      tmp = heap[i];
      heap[i] = heap[m];
      heap[m] = tmp;
      i = m;
    }
}

static gboolean
count_pending (AwdaStore   *store,
               gint64       origin,
               gint64       after,
               guint64     *count,
               GError     **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (store,
                                           "SELECT coalesce (sum (last_seq - max (first_seq, ?2 + 1) + 1), 0)"
                                           SETS_AFTER, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, after);
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the change log"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
acked_seq (AwdaStore  *store,
           gint64      peer,
           gint64      origin,
           gint64     *seq,
           GError    **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (store, "SELECT seq FROM sync_ack WHERE peer = ? AND origin = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, peer);
  sqlite3_bind_int64 (stmt, 2, origin);
  rc = sqlite3_step (stmt);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the synchronization records"));
      return FALSE;
    }
  return TRUE;
}

static gint64
lookup_site_num (AwdaStore   *store,
                 const char  *site_id,
                 GError     **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (store, "SELECT num FROM site WHERE id = ?", error);
  gint64 num = 0;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    num = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return num;
}

static gboolean
write_changes (AwdaStore            *store,
               AwdaBundleWriter     *writer,
               GPtrArray            *sites,
               gint64                peer,
               AwdaSyncProgressFunc  progress,
               gpointer              user_data,
               GCancellable         *cancellable,
               GError              **error)
{
  sqlite3 *db = awda_store_get_db (store);
  g_autofree Cursor *cursors = g_new0 (Cursor, sites->len);
  g_autofree Cursor **heap = g_new0 (Cursor *, sites->len);
  guint n_heap = 0;
  guint64 total = 0, done = 0;
  gboolean ok = FALSE;

  /* One cursor per origin, each in sequence order, merged on (HLC,
   * origin id, seq): an origin's sequence follows its clock, so no sort
   * of the whole log is needed. */
  for (guint i = 0; i < sites->len; i++)
    {
      SiteRow *site = g_ptr_array_index (sites, i);
      Cursor *cursor = &cursors[i];
      gint64 after = 0;
      guint64 count;

      if (site->num == peer)
        continue;   /* a site holds what it wrote */
      if (peer != 0 && !acked_seq (store, peer, site->num, &after, error))
        goto out;
      if (!count_pending (store, site->num, after, &count, error))
        goto out;
      if (count == 0)
        continue;
      total += count;

      if (sqlite3_prepare_v2 (db, "SELECT first_seq, entity, record, hlc, changes" SETS_AFTER " ORDER BY first_seq",
                              -1, &cursor->stmt, NULL) != SQLITE_OK)
        {
          awda_store_set_sqlite_error (store, error, _("Could not read the change log"));
          goto out;
        }
      sqlite3_bind_int64 (cursor->stmt, 1, site->num);
      sqlite3_bind_int64 (cursor->stmt, 2, after);
      cursor->origin = site->id;
      cursor->after = after;
      cursor->entity = g_string_new (NULL);
      cursor->record = g_string_new (NULL);
      cursor->json = g_string_new (NULL);
      cursor->field = g_string_new (NULL);
      cursor->value = g_string_new (NULL);
      if (cursor_step (store, cursor, error))
        heap[n_heap++] = cursor;
      else if (error != NULL && *error != NULL)
        goto out;
    }

  for (guint i = n_heap; i-- > 0;)
    heap_sift_down (heap, n_heap, i);

  while (n_heap > 0)
    {
      Cursor *cursor = heap[0];
      AwdaBundleChange change = {
        .origin = cursor->origin,
        .seq = cursor->seq,
        .entity = cursor->entity->str,
        .record = cursor->record->str,
        .field = cursor->field->str,
        .value = cursor->cleared ? NULL : cursor->value->str,
        .hlc = cursor->hlc,
      };

      if (cursor->base_site != 0)
        {
          change.base_hlc = cursor->base_hlc;
          change.base_site = awda_store_site_id_for_num (store, cursor->base_site);
          if (change.base_site == NULL || change.base_hlc == 0)
            {
              g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                           _("Change %lld of site %s has a base version of an unknown site."),
                           (long long) change.seq, change.origin);
              goto out;
            }
        }

      if (!awda_bundle_writer_add (writer, &change, error))
        goto out;

      if (cursor_step (store, cursor, error))
        heap_sift_down (heap, n_heap, 0);
      else
        {
          if (error != NULL && *error != NULL)
            goto out;
          heap[0] = heap[--n_heap];
          heap_sift_down (heap, n_heap, 0);
        }

      if (++done % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
          progress_report (progress, user_data, (double) done / (double) total);
        }
    }

  ok = TRUE;

out:
  for (guint i = 0; i < sites->len; i++)
    cursor_clear (&cursors[i]);
  return ok;
}

static gboolean
record_bundle_out (AwdaStore   *store,
                   const char  *bundle_id,
                   gint64       peer,
                   guint64      created,
                   guint64      n_changes,
                   GError     **error)
{
  g_autofree char *now = now_string (store);
  sqlite3_stmt *stmt;

  stmt = awda_store_prepare (store,
                             "INSERT INTO sync_bundle (id, direction, peer, at, created, changes)"
                             " VALUES (?, 'out', ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bundle_id, -1, SQLITE_STATIC);
  if (peer != 0)
    sqlite3_bind_int64 (stmt, 2, peer);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) created);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) n_changes);
  return step_done (store, stmt, _("Could not save the synchronization records"), error);
}

AwdaSyncExport *
awda_sync_export (AwdaStore            *store,
                  const char           *to_site,
                  const char           *path,
                  AwdaSyncProgressFunc  progress,
                  gpointer              user_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(AwdaSyncExport) result = NULL;
  g_autoptr(AwdaBundleHeader) header = NULL;
  g_autoptr(AwdaBundleWriter) writer = NULL;
  g_autoptr(GPtrArray) sites = NULL;
  g_autoptr(GPtrArray) vector = NULL;
  const AwdaSite *local;
  gint64 peer = 0;
  gboolean in_read = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (!awda_store_in_transaction (store), NULL);

  local = awda_store_get_site (store);

  if (to_site != NULL)
    {
      if (!awda_bundle_is_site_id (to_site))
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                       _("“%s” is not a site id: expected 32 lowercase hexadecimal digits."), to_site);
          return NULL;
        }
      if (strcmp (to_site, local->id) == 0)
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                       _("The site %s is this installation: a bundle goes to another site."), to_site);
          return NULL;
        }
    }

  /* One read transaction: the vector and the changes are of one moment. */
  if (!awda_store_exec (store, "BEGIN DEFERRED", error))
    return NULL;
  in_read = TRUE;

  if (to_site != NULL)
    {
      peer = lookup_site_num (store, to_site, error);
      if (peer < 0)
        goto failed;
      if (peer == 0)
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                       _("No bundle has come from the site %s yet, so what it holds is unknown: export for every site with --all."),
                       to_site);
          goto failed;
        }
    }

  sites = load_sites (store, error);
  if (sites == NULL)
    goto failed;
  vector = compute_vector (store, FALSE, error);
  if (vector == NULL)
    goto failed;

  header = awda_bundle_header_new ();
  header->id = g_uuid_string_random ();
  header->created = MAX (awda_store_get_last_hlc (store), awda_store_wall_hlc (store));
  header->from_site = g_strdup (local->id);
  header->from_name = g_strdup (local->name);
  header->to_site = g_strdup (to_site ? to_site : AWDA_BUNDLE_TO_ALL);
  for (guint i = 0; i < sites->len; i++)
    {
      SiteRow *site = g_ptr_array_index (sites, i);

      if (strcmp (site->id, local->id) != 0)
        awda_bundle_header_add_site (header, site->id, site->name);
    }
  for (guint i = 0; i < vector->len; i++)
    {
      AwdaSyncVectorEntry *entry = g_ptr_array_index (vector, i);

      awda_bundle_header_add_have (header, entry->origin, (guint64) entry->seq);
    }

  writer = awda_bundle_writer_new (path, header, error);
  if (writer == NULL)
    goto failed;

  if (!write_changes (store, writer, sites, peer, progress, user_data, cancellable, error))
    goto failed;

  awda_store_exec (store, "COMMIT", NULL);
  in_read = FALSE;

  if (!awda_bundle_writer_finish (writer, error))
    goto failed;

  result = g_new0 (AwdaSyncExport, 1);
  result->bundle_id = g_strdup (header->id);
  result->to_site = g_strdup (header->to_site);
  result->n_changes = awda_bundle_writer_get_count (writer);

  /* What we sent is history, for `peers`; it moves no watermark. */
  if (!record_bundle_out (store, header->id, peer, header->created, result->n_changes, error))
    return NULL;

  progress_report (progress, user_data, 1.0);
  return g_steal_pointer (&result);

failed:
  if (in_read)
    awda_store_exec (store, "ROLLBACK", NULL);
  return NULL;
}

/* Import */

void
awda_sync_import_free (AwdaSyncImport *result)
{
  if (result == NULL)
    return;
  g_free (result->bundle_id);
  g_free (result->from_site);
  g_free (result->from_name);
  g_free (result);
}

void
awda_sync_set_limits (AwdaStore              *store,
                      const AwdaBundleLimits *limits)
{
  g_return_if_fail (AWDA_IS_STORE (store));

  g_object_set_data_full (G_OBJECT (store), "awda-sync-limits",
                          limits ? g_memdup2 (limits, sizeof *limits) : NULL, g_free);
}

static char *
spool_dir (AwdaStore *store)
{
  return g_strconcat (awda_store_get_path (store), "-spool", NULL);
}

/* Removes the copies that an import killed on the way left behind. */
static void
clean_spool (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_str_has_prefix (name, "import-") && g_str_has_suffix (name, ".awda") &&
          g_stat (file, &st) == 0 && now - st.st_mtime > SPOOL_STALE_SECONDS)
        g_unlink (file);
    }
}

/* Copies @path into the spool, so that what is verified is what is
 * applied, even if the USB stick is pulled or the file changes. */
static char *
spool_copy (AwdaStore     *store,
            const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *dir = spool_dir (store);
  g_autofree char *copy = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree guchar *buf = NULL;
  int in = -1, out = -1;
  struct stat st;
  gboolean ok = FALSE;

  in = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (in < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not open the bundle “%s”: %s."), display, g_strerror (saved));
      return NULL;
    }
  if (fstat (in, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file."), display);
      close (in);
      return NULL;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the spool folder %s: %s."), dir, g_strerror (saved));
      close (in);
      return NULL;
    }
  clean_spool (dir);

  copy = g_build_filename (dir, "import-XXXXXX.awda", NULL);
  out = g_mkstemp_full (copy, O_WRONLY | O_CLOEXEC, 0600);
  if (out < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create a copy of the bundle in %s: %s."), dir, g_strerror (saved));
      close (in);
      return NULL;
    }

  buf = g_malloc (COPY_CHUNK);
  for (;;)
    {
      gssize n = read (in, buf, COPY_CHUNK);
      gssize off = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read the bundle “%s”: %s."), display, g_strerror (saved));
          goto out;
        }
      if (n == 0)
        break;
      while (off < n)
        {
          gssize w = write (out, buf + off, (gsize) (n - off));

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int saved = errno;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           _("Could not copy the bundle into %s: %s."), dir, g_strerror (saved));
              goto out;
            }
          off += w;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
    }
  ok = TRUE;

out:
  close (in);
  if (close (out) != 0 && ok)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not copy the bundle into %s: %s."), dir, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (copy);
      return NULL;
    }
  return g_steal_pointer (&copy);
}

typedef struct
{
  AwdaStore        *store;
  AwdaBundleReader *reader;
  const AwdaBundleHeader *header;
  AwdaSyncImport   *result;
  GHashTable       *site_nums;   /* site id → num, for the sites the bundle names */
  gint64            sender;
  gint64            local_max_seq;
  guint64           clock_limit; /* HLCs above are too far ahead */
  guint64           max_hlc;     /* of what was applied */
  char             *now;
  gboolean          quarantine;  /* changes are set aside: check against them */
  AwdaMergeRun     *merge;       /* every change merged goes through it */
  int               line;        /* where the change being imported starts */
  char              last_site_id[40];  /* the site looked up last: mostly the next one too */
  gint64            last_site_num;
} Import;

static gint64
import_site_num (Import     *import,
                 const char *site_id)
{
  gint64 num;

  if (import->last_site_num != 0 && strcmp (site_id, import->last_site_id) == 0)
    return import->last_site_num;

  num = GPOINTER_TO_SIZE (g_hash_table_lookup (import->site_nums, site_id));
  if (num != 0)
    {
      g_strlcpy (import->last_site_id, site_id, sizeof import->last_site_id);
      import->last_site_num = num;
    }
  return num;
}

static gboolean
refuse_change (Import      *import,
               GError     **error,
               const char  *format,
               ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse_change (Import      *import,
               GError     **error,
               const char  *format,
               ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID,
               _("The change at line %d of the bundle is refused: %s"),
               import->line, message);
  return FALSE;
}

/* The store refuses what it cannot merge with AWDA_STORE_ERROR_INVALID:
 * that is the bundle's fault, and gets the bundle's line. */
static gboolean
refuse_from_store (Import  *import,
                   GError  *store_error,
                   GError **error)
{
  if (g_error_matches (store_error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID))
    {
      refuse_change (import, error, "%s", store_error->message);
      g_error_free (store_error);
      return FALSE;
    }
  g_propagate_error (error, store_error);
  return FALSE;
}

static gboolean
same_change (sqlite3_stmt           *stmt,
             int                     first,
             const AwdaBundleChange *change,
             gint64                  base_site)
{
  return g_strcmp0 ((const char *) sqlite3_column_text (stmt, first), change->entity) == 0 &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, first + 1), change->record) == 0 &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, first + 2), change->field) == 0 &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, first + 3), change->value) == 0 &&
         (guint64) sqlite3_column_int64 (stmt, first + 4) == change->hlc &&
         (guint64) sqlite3_column_int64 (stmt, first + 5) == change->base_hlc &&
         sqlite3_column_int64 (stmt, first + 6) == base_site;
}

/* What the store's merge would refuse, checked before a change is set
 * aside, so that it can be applied when its time comes. */
static gboolean
check_change (Import                 *import,
              const AwdaBundleChange *change,
              GError                **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (change->entity);
  const AwdaField *field = entity ? awda_entity_lookup_field (entity, change->field) : NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *canonical = NULL;

  if (entity == NULL)
    return refuse_change (import, error, _("it is for an unknown record type “%s”."), change->entity);
  if (field == NULL)
    return refuse_change (import, error, _("it is for an unknown field “%s” of %s."), change->field, entity->name);
  if (change->base_hlc != 0 && change->base_hlc >= change->hlc)
    return refuse_change (import, error, _("its base version is not older than itself."));
  if (change->value != NULL)
    {
      canonical = awda_field_normalize (entity, field, change->value, &local_error);
      if (canonical == NULL)
        return refuse_change (import, error, "%s", local_error->message);
      if (*canonical == '\0' || strcmp (canonical, change->value) != 0)
        return refuse_change (import, error, _("its value “%s” for field “%s” is not in canonical form."),
                              change->value, field->name);
    }
  return TRUE;
}

/* A change whose clock is too far ahead: held already, or set aside. */
static gboolean
quarantine_change (Import                 *import,
                   const AwdaBundleChange *change,
                   gint64                  origin,
                   gint64                  base_site,
                   GError                **error)
{
  AwdaStore *store = import->store;
  sqlite3_stmt *stmt;
  int rc;

  if (!check_change (import, change, error))
    return FALSE;
  /* The log must hold what was merged before. */
  if (!awda_merge_run_flush (import->merge, error))
    return FALSE;

  static const char *const queries[] = {
    "SELECT entity, record, e ->> 0, e ->> 1, hlc, e ->> 2, e ->> 3 FROM"
    " (SELECT entity, record, hlc, last_seq, json_extract (changes, '$[' || (?2 - first_seq) || ']') AS e"
    "  FROM change_set WHERE origin = ?1 AND first_seq <= ?2 ORDER BY first_seq DESC LIMIT 1)"
    " WHERE last_seq >= ?2",
    "SELECT entity, record, field, value, hlc, base_hlc, base_site FROM sync_quarantine WHERE origin = ? AND seq = ?",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gboolean same;

      stmt = awda_store_prepare (store, queries[i], error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, origin);
      sqlite3_bind_int64 (stmt, 2, change->seq);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          continue;
        }
      if (rc != SQLITE_ROW)
        {
          awda_store_set_sqlite_error (store, error, _("Could not read the change log"));
          sqlite3_reset (stmt);
          return FALSE;
        }
      same = same_change (stmt, 0, change, base_site);
      sqlite3_reset (stmt);
      if (!same)
        return refuse_change (import, error,
                              _("change %lld of site %s arrives with other content than the one already held."),
                              (long long) change->seq, change->origin);
      if (i == 0)
        import->result->present++;
      else
        import->result->quarantined++;
      return TRUE;
    }

  stmt = awda_store_prepare (store,
                             "INSERT INTO sync_quarantine (origin, seq, entity, record, field, value, hlc,"
                             " base_hlc, base_site, reason, bundle, sender, received_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'clock', ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, change->seq);
  sqlite3_bind_text (stmt, 3, change->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, change->record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, change->field, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 6, change->value);
  sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) change->hlc);
  if (base_site != 0)
    {
      sqlite3_bind_int64 (stmt, 8, (sqlite3_int64) change->base_hlc);
      sqlite3_bind_int64 (stmt, 9, base_site);
    }
  sqlite3_bind_text (stmt, 10, import->header->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 11, import->sender);
  sqlite3_bind_text (stmt, 12, import->now, -1, SQLITE_STATIC);
  if (!step_done (store, stmt, _("Could not update the changes in quarantine"), error))
    return FALSE;

  import->result->quarantined++;
  return TRUE;
}

static gboolean
merge_one (Import                 *import,
           const AwdaBundleChange *change,
           AwdaMergeOutcome       *outcome,
           GError                **error)
{
  AwdaChange c = {
    .origin = change->origin,
    .seq = change->seq,
    .entity = change->entity,
    .record = change->record,
    .field = change->field,
    .value = change->value,
    .hlc = change->hlc,
    .base_hlc = change->base_hlc,
    .base_site = change->base_site,
  };
  GError *local_error = NULL;

  if (!awda_merge_run_add (import->merge, &c, outcome, &local_error))
    return refuse_from_store (import, local_error, error);

  import->max_hlc = MAX (import->max_hlc, change->hlc);
  return TRUE;
}

/* A change that arrives in time while a copy of it is set aside: the
 * copy must be the same, and goes. */
static gboolean
leave_quarantine (Import                 *import,
                  const AwdaBundleChange *change,
                  gint64                  origin,
                  gint64                  base_site,
                  GError                **error)
{
  AwdaStore *store = import->store;
  sqlite3_stmt *stmt;
  gboolean same;
  int rc;

  stmt = awda_store_prepare (store,
                             "SELECT entity, record, field, value, hlc, base_hlc, base_site FROM sync_quarantine"
                             " WHERE origin = ? AND seq = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, change->seq);
  rc = sqlite3_step (stmt);
  same = rc == SQLITE_ROW && same_change (stmt, 0, change, base_site);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the changes in quarantine"));
      return FALSE;
    }
  if (!same)
    return refuse_change (import, error,
                          _("change %lld of site %s arrives with other content than the one set aside."),
                          (long long) change->seq, change->origin);

  stmt = awda_store_prepare (store, "DELETE FROM sync_quarantine WHERE origin = ? AND seq = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, change->seq);
  return step_done (store, stmt, _("Could not update the changes in quarantine"), error);
}

static gboolean
import_change (Import                 *import,
               const AwdaBundleChange *change,
               GError                **error)
{
  AwdaMergeOutcome outcome;
  gint64 origin, base_site = 0;

  origin = import_site_num (import, change->origin);
  if (origin == 0)
    return refuse_change (import, error,
                          _("it comes from the site %s, which the header does not list."),
                          change->origin);
  if (change->base_site != NULL)
    {
      base_site = import_site_num (import, change->base_site);
      if (base_site == 0)
        return refuse_change (import, error,
                              _("its base version is from the site %s, which the header does not list."),
                              change->base_site);
    }

  /* Nobody else may speak for this installation. */
  if (origin == awda_store_get_local_site_num (import->store) && change->seq > import->local_max_seq)
    return refuse_change (import, error,
                          _("it claims to be change %lld of this installation, which never wrote it."),
                          (long long) change->seq);

  if (change->hlc > import->clock_limit)
    return quarantine_change (import, change, origin, base_site, error);

  /* Set aside before, with this clock, and now in time: the same change,
   * or a forgery. */
  if (import->quarantine && !leave_quarantine (import, change, origin, base_site, error))
    return FALSE;

  if (!merge_one (import, change, &outcome, error))
    return FALSE;

  switch (outcome)
    {
    case AWDA_MERGE_APPLIED:
      import->result->applied++;
      break;
    case AWDA_MERGE_CONFLICT:
      import->result->applied++;
      import->result->conflicts++;
      break;
    case AWDA_MERGE_PRESENT:
      import->result->present++;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

typedef struct
{
  char    *origin;
  gint64   seq;
  char    *entity;
  char    *record;
  char    *field;
  char    *value;
  guint64  hlc;
  guint64  base_hlc;
  char    *base_site;
} HeldChange;

static void
held_change_free (gpointer data)
{
  HeldChange *c = data;

  g_free (c->origin);
  g_free (c->entity);
  g_free (c->record);
  g_free (c->field);
  g_free (c->value);
  g_free (c->base_site);
  g_free (c);
}

/* Applies the changes set aside before whose time has now come. */
static gboolean
release_quarantine (Import  *import,
                    GError **error)
{
  AwdaStore *store = import->store;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (held_change_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = awda_store_prepare (store,
                             "SELECT s.id, q.seq, q.entity, q.record, q.field, q.value, q.hlc, q.base_hlc, b.id"
                             " FROM sync_quarantine q JOIN site s ON s.num = q.origin"
                             " LEFT JOIN site b ON b.num = q.base_site"
                             " WHERE q.hlc <= ? ORDER BY q.hlc, s.id, q.seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) import->clock_limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeldChange *c = g_new0 (HeldChange, 1);

      c->origin = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      c->seq = sqlite3_column_int64 (stmt, 1);
      c->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      c->record = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      c->field = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      c->value = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      c->hlc = (guint64) sqlite3_column_int64 (stmt, 6);
      c->base_hlc = (guint64) sqlite3_column_int64 (stmt, 7);
      c->base_site = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      g_ptr_array_add (rows, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the changes in quarantine"));
      return FALSE;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      HeldChange *held = g_ptr_array_index (rows, i);
      AwdaChange c = {
        .origin = held->origin,
        .seq = held->seq,
        .entity = held->entity,
        .record = held->record,
        .field = held->field,
        .value = held->value,
        .hlc = held->hlc,
        .base_hlc = held->base_site ? held->base_hlc : 0,
        .base_site = held->base_site,
      };
      AwdaMergeOutcome outcome;

      if (!awda_merge_run_add (import->merge, &c, &outcome, error))
        return FALSE;
      import->max_hlc = MAX (import->max_hlc, c.hlc);

      stmt = awda_store_prepare (store,
                                 "DELETE FROM sync_quarantine WHERE origin = (SELECT num FROM site WHERE id = ?)"
                                 " AND seq = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, c.origin, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, c.seq);
      if (!step_done (store, stmt, _("Could not update the changes in quarantine"), error))
        return FALSE;
      import->result->released++;
    }

  return TRUE;
}

static gboolean
test_quarantine (AwdaStore *store)
{
  sqlite3_stmt *stmt = awda_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM sync_quarantine)", NULL);
  gboolean any = TRUE;   /* when in doubt, check each change */

  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        any = sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
    }
  return any;
}

static gboolean
register_sites (Import  *import,
                GError **error)
{
  const AwdaBundleHeader *header = import->header;
  const AwdaSite *local = awda_store_get_site (import->store);
  gint64 num;

  /* Our own name is ours to give; the sender's names of the others are
   * news, and move nothing but a label. */
  num = awda_store_ensure_site (import->store, header->from_site, header->from_name, error);
  if (num == 0)
    return FALSE;
  import->sender = num;
  g_hash_table_insert (import->site_nums, header->from_site, GSIZE_TO_POINTER (num));

  for (guint i = 0; i < header->sites->len; i++)
    {
      AwdaBundleSite *site = g_ptr_array_index (header->sites, i);

      num = awda_store_ensure_site (import->store, site->id,
                                    strcmp (site->id, local->id) == 0 ? NULL : site->name, error);
      if (num == 0)
        return FALSE;
      g_hash_table_insert (import->site_nums, site->id, GSIZE_TO_POINTER (num));
    }
  return TRUE;
}

/* The sender's vector: what it holds, so what we need not send it. */
static gboolean
record_acknowledgement (Import  *import,
                        GError **error)
{
  AwdaStore *store = import->store;
  gint64 local = awda_store_get_local_site_num (store);

  for (guint i = 0; i < import->header->have->len; i++)
    {
      const AwdaBundleHave *have = &g_array_index (import->header->have, AwdaBundleHave, i);
      gint64 origin = import_site_num (import, have->origin);
      gint64 seq = (gint64) have->seq;
      sqlite3_stmt *stmt;

      g_assert (origin != 0);   /* the reader checked that the header lists it */

      /* It cannot hold more of ours than we wrote. */
      if (origin == local)
        seq = MIN (seq, import->local_max_seq);
      if (seq <= 0)
        continue;

      stmt = awda_store_prepare (store,
                                 "INSERT INTO sync_ack (peer, origin, seq) VALUES (?, ?, ?)"
                                 " ON CONFLICT (peer, origin) DO UPDATE SET seq = max (seq, excluded.seq)",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, import->sender);
      sqlite3_bind_int64 (stmt, 2, origin);
      sqlite3_bind_int64 (stmt, 3, seq);
      if (!step_done (store, stmt, _("Could not save the synchronization records"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
record_bundle_in (Import  *import,
                  GError **error)
{
  AwdaSyncImport *r = import->result;
  sqlite3_stmt *stmt;

  stmt = awda_store_prepare (import->store,
                             "INSERT INTO sync_bundle (id, direction, peer, at, created, changes,"
                             " applied, present, conflicts, quarantined)"
                             " VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?, ?)"
                             " ON CONFLICT (id, direction) DO UPDATE SET peer = excluded.peer, at = excluded.at,"
                             " applied = excluded.applied, present = excluded.present,"
                             " conflicts = excluded.conflicts, quarantined = excluded.quarantined", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, r->bundle_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, import->sender);
  sqlite3_bind_text (stmt, 3, import->now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) import->header->created);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) r->n_changes);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) r->applied);
  sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) r->present);
  sqlite3_bind_int64 (stmt, 8, (sqlite3_int64) r->conflicts);
  sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) r->quarantined);
  return step_done (import->store, stmt, _("Could not save the synchronization records"), error);
}

static gboolean
check_recipient (AwdaStore               *store,
                 const AwdaBundleHeader  *header,
                 GError                 **error)
{
  const AwdaSite *local = awda_store_get_site (store);

  if (strcmp (header->from_site, local->id) == 0)
    {
      g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_REFUSED,
                   _("This bundle was exported by this installation (%s); import it at the site it is for."),
                   local->id);
      return FALSE;
    }
  if (strcmp (header->to_site, AWDA_BUNDLE_TO_ALL) != 0 && strcmp (header->to_site, local->id) != 0)
    {
      const char *name = NULL;

      for (guint i = 0; i < header->sites->len; i++)
        {
          AwdaBundleSite *site = g_ptr_array_index (header->sites, i);

          if (strcmp (site->id, header->to_site) == 0)
            name = site->name;
        }
      if (name != NULL)
        g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_REFUSED,
                     _("This bundle is addressed to the site %s (%s), not to this one (%s)."),
                     header->to_site, name, local->id);
      else
        g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_REFUSED,
                     _("This bundle is addressed to the site %s, not to this one (%s)."),
                     header->to_site, local->id);
      return FALSE;
    }
  return TRUE;
}

/* Reading and merging overlap: a thread reads the bundle (inflates,
 * parses and checks it) a batch of changes at a time, while the import
 * merges the batch before. Only the import's thread touches the
 * database. Few batches are in flight, each of bounded size, so memory
 * stays bounded whatever the bundle's size. */

#define BATCH_CHANGES 1024
#define BATCH_BYTES (1 << 20)
#define BATCHES_IN_FLIGHT 4

typedef struct
{
  AwdaBundleChange  changes[BATCH_CHANGES];
  int               lines[BATCH_CHANGES];  /* where each change starts in the bundle */
  guint             n;
  GStringChunk     *strings;                /* the changes' texts */
  gsize             bytes;                  /* in @strings */
  double            fraction;               /* of the file read after the batch */
  gboolean          last;                   /* the reader stopped: at the end, or @error */
  GError           *error;
} Batch;

typedef struct
{
  AwdaBundleReader *reader;     /* the reading thread's until it is joined */
  GThread          *thread;
  GMutex            lock;
  GCond             cond;
  GQueue            read;       /* batches to merge, in order */
  GQueue            free;       /* batches to fill */
  gboolean          stop;       /* the import gave up: read no more */
  Batch             batches[BATCHES_IN_FLIGHT];
} Pipeline;

static const char *
batch_keep (Batch      *batch,
            const char *text)
{
  if (text == NULL)
    return NULL;
  batch->bytes += strlen (text) + 1;
  return g_string_chunk_insert (batch->strings, text);
}

/* Fills @batch from the reader; FALSE once the reader has stopped. */
static gboolean
batch_fill (Batch            *batch,
            AwdaBundleReader *reader)
{
  AwdaBundleChange change;

  g_string_chunk_clear (batch->strings);
  batch->n = 0;
  batch->bytes = 0;

  while (batch->n < BATCH_CHANGES && batch->bytes < BATCH_BYTES)
    {
      AwdaBundleChange *c = &batch->changes[batch->n];

      if (!awda_bundle_reader_next (reader, &change, &batch->error))
        {
          batch->last = TRUE;
          break;
        }
      *c = change;
      c->origin = batch_keep (batch, change.origin);
      c->entity = batch_keep (batch, change.entity);
      c->record = batch_keep (batch, change.record);
      c->field = batch_keep (batch, change.field);
      c->value = batch_keep (batch, change.value);
      c->base_site = batch_keep (batch, change.base_site);
      batch->lines[batch->n++] = awda_bundle_reader_get_line (reader);
    }

  batch->fraction = awda_bundle_reader_get_fraction (reader);
  return !batch->last;
}

static gpointer
read_batches (gpointer data)
{
  Pipeline *p = data;
  gboolean more = TRUE;

  while (more)
    {
      Batch *batch;

      g_mutex_lock (&p->lock);
      while (!p->stop && g_queue_is_empty (&p->free))
        g_cond_wait (&p->cond, &p->lock);
      batch = p->stop ? NULL : g_queue_pop_head (&p->free);
      g_mutex_unlock (&p->lock);
      if (batch == NULL)
        break;

      more = batch_fill (batch, p->reader);

      g_mutex_lock (&p->lock);
      g_queue_push_tail (&p->read, batch);
      g_cond_broadcast (&p->cond);
      g_mutex_unlock (&p->lock);
    }
  return NULL;
}

static Pipeline *
pipeline_start (AwdaBundleReader *reader)
{
  Pipeline *p = g_new0 (Pipeline, 1);

  p->reader = reader;
  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  for (guint i = 0; i < BATCHES_IN_FLIGHT; i++)
    {
      p->batches[i].strings = g_string_chunk_new (64 * 1024);
      g_queue_push_tail (&p->free, &p->batches[i]);
    }
  p->thread = g_thread_new ("awda-import-read", read_batches, p);
  return p;
}

/* The next batch read, in order; it goes back with pipeline_done(). */
static Batch *
pipeline_next (Pipeline *p)
{
  Batch *batch;

  g_mutex_lock (&p->lock);
  while (g_queue_is_empty (&p->read))
    g_cond_wait (&p->cond, &p->lock);
  batch = g_queue_pop_head (&p->read);
  g_mutex_unlock (&p->lock);
  return batch;
}

static void
pipeline_done (Pipeline *p,
               Batch    *batch)
{
  g_mutex_lock (&p->lock);
  g_queue_push_tail (&p->free, batch);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

/* Stops the reading thread (after the batch it is reading, if any) and
 * waits for it: the reader is the caller's again. */
static void
pipeline_stop (Pipeline *p)
{
  g_mutex_lock (&p->lock);
  p->stop = TRUE;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  g_thread_join (g_steal_pointer (&p->thread));

  for (guint i = 0; i < BATCHES_IN_FLIGHT; i++)
    {
      g_string_chunk_free (p->batches[i].strings);
      g_clear_error (&p->batches[i].error);
    }
  g_queue_clear (&p->read);
  g_queue_clear (&p->free);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p);
}

/* Merges the changes as the reading thread hands them over, to the end
 * of the bundle. */
static gboolean
merge_batches (Import               *import,
               Pipeline             *pipeline,
               AwdaSyncProgressFunc  progress,
               gpointer              user_data,
               GCancellable         *cancellable,
               GError              **error)
{
  guint64 n = 0;

  for (;;)
    {
      Batch *batch = pipeline_next (pipeline);
      gboolean last = batch->last;

      for (guint i = 0; i < batch->n; i++)
        {
          import->line = batch->lines[i];
          if (!import_change (import, &batch->changes[i], error))
            {
              pipeline_done (pipeline, batch);
              return FALSE;
            }
          if (++n % PROGRESS_EVERY == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                {
                  pipeline_done (pipeline, batch);
                  return FALSE;
                }
              progress_report (progress, user_data, batch->fraction);
            }
        }

      if (batch->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&batch->error));
          pipeline_done (pipeline, batch);
          return FALSE;
        }
      pipeline_done (pipeline, batch);
      if (last)
        return TRUE;
    }
}

static gboolean
apply_bundle (Import               *import,
              AwdaSyncProgressFunc  progress,
              gpointer              user_data,
              GCancellable         *cancellable,
              GError              **error)
{
  AwdaStore *store = import->store;
  g_autoptr(GPtrArray) vector = NULL;
  Pipeline *pipeline;
  gboolean ok;

  if (!contiguous_seq (store, awda_store_get_local_site_num (store), FALSE, &import->local_max_seq, error) ||
      !register_sites (import, error) ||
      !release_quarantine (import, error))
    return FALSE;
  import->quarantine = test_quarantine (store);

  pipeline = pipeline_start (import->reader);
  ok = merge_batches (import, pipeline, progress, user_data, cancellable, error);
  pipeline_stop (pipeline);
  if (!ok || !awda_merge_run_flush (import->merge, error))
    return FALSE;
  import->result->n_changes = awda_bundle_reader_get_count (import->reader);

  /* The clock moves past what we took in, and past the sender's, unless
   * that is too far ahead. */
  if (import->header->created <= import->clock_limit)
    import->max_hlc = MAX (import->max_hlc, import->header->created);
  if (import->max_hlc != 0 && !awda_store_observe_hlc (store, import->max_hlc, error))
    return FALSE;

  if (!record_acknowledgement (import, error) ||
      !record_bundle_in (import, error))
    return FALSE;

  /* Advance the cached vector past what came in. */
  vector = compute_vector (store, TRUE, error);
  return vector != NULL;
}

AwdaSyncImport *
awda_sync_import (AwdaStore            *store,
                  const char           *path,
                  AwdaSyncProgressFunc  progress,
                  gpointer              user_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(AwdaSyncImport) result = NULL;
  g_autoptr(AwdaBundleReader) reader = NULL;
  g_autoptr(GHashTable) site_nums = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *now = NULL;
  const AwdaBundleLimits *limits;
  const AwdaBundleHeader *header;
  Import import = { 0 };
  gboolean applied, ok = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (!awda_store_in_transaction (store), NULL);

  limits = g_object_get_data (G_OBJECT (store), "awda-sync-limits");

  progress_report (progress, user_data, 0.0);

  copy = spool_copy (store, path, cancellable, error);
  if (copy == NULL)
    return NULL;

  /* Verify the whole file (gzip checksum, inflated size) before taking
   * the database's write lock. */
  if (!awda_bundle_verify_gzip (copy, limits, cancellable, error))
    goto out;

  reader = awda_bundle_reader_new (copy, limits, error);
  if (reader == NULL)
    goto out;
  header = awda_bundle_reader_read_header (reader, error);
  if (header == NULL || !check_recipient (store, header, error))
    goto out;

  result = g_new0 (AwdaSyncImport, 1);
  result->bundle_id = g_strdup (header->id);
  result->from_site = g_strdup (header->from_site);
  result->from_name = g_strdup (header->from_name);

  site_nums = g_hash_table_new (g_str_hash, g_str_equal);
  now = now_string (store);
  import.store = store;
  import.reader = reader;
  import.header = header;
  import.result = result;
  import.site_nums = site_nums;
  import.now = now;
  import.clock_limit = awda_store_wall_hlc (store) + clock_ahead_hlc ();

  /* An import is worth a full sync of the log at commit. */
  awda_store_exec (store, "PRAGMA synchronous = FULL", NULL);
  if (!awda_store_begin (store, error))
    goto restore;
  /* The store's bulk transactions keep every page they touch in memory;
   * an import of any size must stay within a bounded cache instead, and
   * spill to the write-ahead log. The store sets its own size back at
   * commit or rollback. */
  awda_store_exec (store, "PRAGMA cache_size = -" G_STRINGIFY (IMPORT_CACHE_KB), NULL);

  import.merge = awda_merge_run_new (store);
  applied = apply_bundle (&import, progress, user_data, cancellable, error);
  g_clear_pointer (&import.merge, awda_merge_run_free);
  if (!applied)
    {
      awda_store_rollback (store);
      goto restore;
    }
  if (!awda_store_commit (store, error))
    goto restore;

  ok = TRUE;
  progress_report (progress, user_data, 1.0);

restore:
  awda_store_exec (store, "PRAGMA synchronous = NORMAL", NULL);
out:
  g_clear_pointer (&reader, awda_bundle_reader_free);
  g_unlink (copy);
  return ok ? g_steal_pointer (&result) : NULL;
}

/* Peers */

void
awda_sync_peer_free (AwdaSyncPeer *peer)
{
  if (peer == NULL)
    return;
  g_free (peer->id);
  g_free (peer->name);
  g_free (peer->last_in_at);
  g_free (peer->last_in_bundle);
  g_free (peer->last_out_at);
  g_free (peer->last_out_bundle);
  g_clear_pointer (&peer->acknowledged, g_ptr_array_unref);
  g_free (peer);
}

static gboolean
last_bundle (AwdaStore   *store,
             gint64       peer,
             const char  *direction,
             char       **at,
             char       **bundle,
             GError     **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (store,
                                           "SELECT at, id FROM sync_bundle WHERE peer = ? AND direction = ?"
                                           " ORDER BY at DESC, created DESC LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, peer);
  sqlite3_bind_text (stmt, 2, direction, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *at = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *bundle = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the synchronization records"));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
awda_sync_list_peers (AwdaStore  *store,
                      GError    **error)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_sync_peer_free);
  g_autoptr(GPtrArray) sites = NULL;
  gint64 local;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  local = awda_store_get_local_site_num (store);
  sites = load_sites (store, error);
  if (sites == NULL)
    return NULL;

  for (guint i = 0; i < sites->len; i++)
    {
      SiteRow *site = g_ptr_array_index (sites, i);
      g_autoptr(AwdaSyncPeer) peer = NULL;
      sqlite3_stmt *stmt;
      int rc;

      if (site->num == local)
        continue;

      peer = g_new0 (AwdaSyncPeer, 1);
      peer->id = g_strdup (site->id);
      peer->name = g_strdup (site->name);
      peer->acknowledged = g_ptr_array_new_with_free_func (vector_entry_free);

      if (!last_bundle (store, site->num, "in", &peer->last_in_at, &peer->last_in_bundle, error) ||
          !last_bundle (store, site->num, "out", &peer->last_out_at, &peer->last_out_bundle, error))
        return NULL;

      for (guint j = 0; j < sites->len; j++)
        {
          SiteRow *origin = g_ptr_array_index (sites, j);
          gint64 seq = 0;
          guint64 count = 0;

          if (!acked_seq (store, site->num, origin->num, &seq, error))
            return NULL;
          /* A site holds what it wrote: that is never pending for it. */
          if (origin->num != site->num)
            {
              if (!count_pending (store, origin->num, seq, &count, error))
                return NULL;
              peer->pending += count;
            }
          if (seq > 0)
            {
              AwdaSyncVectorEntry *entry = g_new0 (AwdaSyncVectorEntry, 1);

              entry->origin = g_strdup (origin->id);
              entry->origin_name = g_strdup (origin->name);
              entry->seq = seq;
              g_ptr_array_add (peer->acknowledged, entry);
            }
        }

      stmt = awda_store_prepare (store, "SELECT count (*) FROM sync_quarantine WHERE sender = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, site->num);
      rc = sqlite3_step (stmt);
      peer->quarantined = rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);

      g_ptr_array_add (peers, g_steal_pointer (&peer));
    }

  return g_steal_pointer (&peers);
}

/* Conflicts */

void
awda_sync_conflict_free (AwdaSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->entity);
  g_free (conflict->record);
  g_free (conflict->field);
  g_free (conflict->current_value);
  g_free (conflict->current_site);
  g_free (conflict->current_site_name);
  g_free (conflict->kept_value);
  g_free (conflict->kept_site);
  g_free (conflict->kept_site_name);
  g_free (conflict);
}

/* The field's current value and version, from the typed table. */
static gboolean
load_current (AwdaStore         *store,
              AwdaSyncConflict  *conflict,
              GError           **error)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (conflict->entity);
  const AwdaField *field = entity ? awda_entity_lookup_field (entity, conflict->field) : NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (field == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Conflict %lld names a field this version does not know."), (long long) conflict->id);
      return FALSE;
    }

  sql = g_strdup_printf ("SELECT t.\"%2$s\", t.\"%2$s__hlc\", s.id, s.name FROM \"%1$s\" t"
                         " LEFT JOIN site s ON s.num = t.\"%2$s__site\" WHERE t.id = ?",
                         entity->name, field->name);
  stmt = awda_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conflict->record, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (strcmp (field->name, AWDA_FIELD_DELETED) == 0)
        conflict->current_value = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? NULL :
                                  g_strdup (sqlite3_column_int (stmt, 0) ? "true" : "false");
      else
        conflict->current_value = awda_store_column_text (field, stmt, 0);
      conflict->current_hlc = (guint64) sqlite3_column_int64 (stmt, 1);
      conflict->current_site = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      conflict->current_site_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the database"));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
awda_sync_list_conflicts (AwdaStore  *store,
                          GError    **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  stmt = awda_store_prepare (store,
                             "SELECT c.id, c.entity, c.record, c.field, c.value, c.hlc, s.id, s.name"
                             " FROM conflict c JOIN site s ON s.num = c.site ORDER BY c.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AwdaSyncConflict *conflict = g_new0 (AwdaSyncConflict, 1);

      conflict->id = sqlite3_column_int64 (stmt, 0);
      conflict->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      conflict->record = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      conflict->field = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      conflict->kept_value = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      conflict->kept_hlc = (guint64) sqlite3_column_int64 (stmt, 5);
      conflict->kept_site = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      conflict->kept_site_name = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (conflicts, conflict);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the conflicts"));
      return NULL;
    }

  for (guint i = 0; i < conflicts->len; i++)
    if (!load_current (store, g_ptr_array_index (conflicts, i), error))
      return NULL;

  return g_steal_pointer (&conflicts);
}

gboolean
awda_sync_resolve_conflict (AwdaStore           *store,
                            gint64               conflict_id,
                            AwdaSyncResolution   resolution,
                            const char          *value,
                            GError             **error)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  AwdaSyncConflict *conflict = NULL;
  const char *chosen;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (resolution != AWDA_SYNC_KEEP_VALUE || value != NULL, FALSE);

  conflicts = awda_sync_list_conflicts (store, error);
  if (conflicts == NULL)
    return FALSE;
  for (guint i = 0; i < conflicts->len; i++)
    if (((AwdaSyncConflict *) g_ptr_array_index (conflicts, i))->id == conflict_id)
      conflict = g_ptr_array_index (conflicts, i);
  if (conflict == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                   _("There is no conflict %lld."), (long long) conflict_id);
      return FALSE;
    }

  switch (resolution)
    {
    case AWDA_SYNC_KEEP_CURRENT:
      chosen = conflict->current_value;
      break;
    case AWDA_SYNC_KEEP_OTHER:
      chosen = conflict->kept_value;
      break;
    case AWDA_SYNC_KEEP_VALUE:
    default:
      chosen = value;
      break;
    }

  /* The store's write: a new version whose bases are the current value
   * and the kept one, so that it supersedes both everywhere. */
  return awda_store_resolve_conflict (store, conflict_id, chosen ? chosen : "", error);
}

/* Quarantine */

void
awda_sync_quarantined_free (AwdaSyncQuarantined *change)
{
  if (change == NULL)
    return;
  g_free (change->origin);
  g_free (change->entity);
  g_free (change->record);
  g_free (change->field);
  g_free (change->value);
  g_free (change->sender);
  g_free (change->received_at);
  g_free (change->reason);
  g_free (change);
}

GPtrArray *
awda_sync_list_quarantine (AwdaStore  *store,
                           GError    **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) awda_sync_quarantined_free);
  sqlite3_stmt *stmt;
  gint64 wall_ms;
  int rc;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  wall_ms = awda_hlc_get_ms (awda_store_wall_hlc (store));
  stmt = awda_store_prepare (store,
                             "SELECT s.id, q.seq, q.entity, q.record, q.field, q.value, q.hlc, f.id, q.received_at"
                             " FROM sync_quarantine q JOIN site s ON s.num = q.origin"
                             " LEFT JOIN site f ON f.num = q.sender ORDER BY q.hlc, s.id, q.seq", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AwdaSyncQuarantined *change = g_new0 (AwdaSyncQuarantined, 1);
      gint64 ahead_ms;
      g_autofree char *hlc_text = NULL;
      g_autofree char *when = NULL;

      change->origin = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      change->seq = sqlite3_column_int64 (stmt, 1);
      change->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      change->record = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      change->field = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      change->value = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      change->hlc = (guint64) sqlite3_column_int64 (stmt, 6);
      change->sender = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      change->received_at = g_strdup ((const char *) sqlite3_column_text (stmt, 8));

      /* Isolated: the time's digits and dashes would otherwise be
       * reordered in an Arabic sentence. */
      hlc_text = awda_hlc_to_string (change->hlc);
      when = g_strconcat ("\u2068", hlc_text, "\u2069", NULL);
      ahead_ms = awda_hlc_get_ms (change->hlc) - wall_ms;
      change->reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "Its clock reads %s, %lld day ahead of this machine’s: it is applied once this machine’s clock reaches it.",
                                                     "Its clock reads %s, %lld days ahead of this machine’s: it is applied once this machine’s clock reaches it.",
                                                     (gulong) MAX (1, ahead_ms / 86400000)),
                                        when, (long long) MAX (1, ahead_ms / 86400000));
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (store, error, _("Could not read the changes in quarantine"));
      return NULL;
    }
  return g_steal_pointer (&changes);
}

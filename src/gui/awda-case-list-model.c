/* awda-case-list-model.c: the cases matching a search and filters, as a list backed by SQL
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A query gives the ordered rowids of the matching cases; the rows are
 * read a page at a time when the view asks for them, and only the pages
 * seen last are kept, so that a million cases cost eight bytes each.
 *
 * Queries run on a worker thread with a read-only connection of their own
 * (WAL lets readers run beside the writer), so that typing in the search
 * never waits on the disk. A newer query cancels the older one, and only
 * the newest result is ever shown.
 *
 * A query runs in two steps. The first lists only the first
 * AWDA_CASE_LIST_FIRST_ROWS cases, with their rows: SQLite stops as soon
 * as it has them, so the view shows the new result within a few
 * milliseconds, in one items-changed that replaces the list. When there
 * are more, the second step lists them all, once the query has stayed the
 * same for FULL_DELAY_MS (typing a name runs a query a keystroke, and
 * only the last one needs its whole list), and appends them after the
 * first ones: the rows in view are left as they are.
 *
 * A query that narrows one whose whole list is known (a filter added, a
 * word typed further, with the data unchanged since) is answered from that
 * list: the cases it holds that the added criteria keep, asked of the
 * store alone (their indexes answer them in milliseconds), or none at all
 * when it was empty. Choosing a filter or typing a name then costs what
 * the added criterion costs, not what the whole combination does: a stage
 * added to the overdue cases is 20 ms instead of a quarter of a second,
 * and a search typed with filters that keep no case costs nothing.
 *
 * An item stands for a position (see awda-case-item.c): while the view
 * holds the item of a position, that position's item is the same object,
 * whatever the list. A new list updates those items in place, so that
 * GTK 4.8, which makes a row widget anew for every item it has not seen,
 * keeps its rows: replacing the list costs a few labels, not ~200 rows of
 * widgets.
 */

#define G_LOG_DOMAIN "awda-case-list-model"

#include "config.h"

#include <string.h>

#include "awda-case-item.h"
#include "awda-case-list-model.h"
#include "awda-fold.h"
#include "awda-today.h"

/* Pages kept: enough for a few screens, bounded whatever the list's length. */
#define MAX_CACHED_PAGES 16

/* Idle reader connections kept for the next query. */
#define MAX_IDLE_READERS 2

/* How long a query must stay the same before the whole list is read. */
#define FULL_DELAY_MS 250

/* How long the first rows of a query may take before a narrowing of a
 * known list starts beside it: most come within a few milliseconds, and
 * the narrowing would only take the processor from the frame that shows
 * them. */
#define NARROW_AFTER_MS 10

/* Whole lists kept to answer narrower queries from: how many, the longest
 * kept, and the rows of all of them (eight bytes each), the list shown
 * among them (it shares its rows). Typing a word and taking it back goes
 * through a list a letter, and the list of the filters alone. A longer
 * list is not kept: narrowing it costs as much as asking the store, and
 * the processor it takes is missed by the frame that shows the first rows. */
#define MAX_KNOWN_LISTS 8
#define MAX_KNOWN_ROWS 300000
#define MAX_KNOWN_TOTAL_ROWS 600000

/* The first rows of a list come in whole pages. */
G_STATIC_ASSERT (AWDA_CASE_LIST_FIRST_ROWS % AWDA_CASE_LIST_PAGE_SIZE == 0);

/* Reader pool: connections for the worker threads, shared by reference
 * with the tasks still running when the model goes away. */

typedef struct
{
  char   *path;
  GMutex  lock;
  GQueue  idle;
} ReaderPool;

static void
reader_pool_clear (ReaderPool *pool)
{
  g_queue_clear_full (&pool->idle, g_object_unref);
  g_mutex_clear (&pool->lock);
  g_free (pool->path);
}

static ReaderPool *
reader_pool_new (const char *path)
{
  ReaderPool *pool = g_atomic_rc_box_new0 (ReaderPool);

  pool->path = g_strdup (path);
  g_mutex_init (&pool->lock);
  g_queue_init (&pool->idle);

  return pool;
}

static ReaderPool *
reader_pool_ref (ReaderPool *pool)
{
  return g_atomic_rc_box_acquire (pool);
}

static void
reader_pool_unref (ReaderPool *pool)
{
  g_atomic_rc_box_release_full (pool, (GDestroyNotify) reader_pool_clear);
}

/* Called on a worker thread. */
static AwdaStore *
reader_pool_take (ReaderPool  *pool,
                  GError     **error)
{
  AwdaStore *store;

  g_mutex_lock (&pool->lock);
  store = g_queue_pop_head (&pool->idle);
  g_mutex_unlock (&pool->lock);

  if (store != NULL)
    return store;

  return awda_store_open_reader (pool->path, error);
}

/* Called on a worker thread: @store is given back. */
static void
reader_pool_give (ReaderPool *pool,
                  AwdaStore  *store)
{
  g_mutex_lock (&pool->lock);
  if (g_queue_get_length (&pool->idle) < MAX_IDLE_READERS)
    {
      g_queue_push_head (&pool->idle, store);
      store = NULL;
    }
  g_mutex_unlock (&pool->lock);

  g_clear_object (&store);
}

/* What the list shows: the search, the filters and the order. */

typedef struct
{
  char         *search;
  char         *status;
  char         *governorate;
  char         *programme;
  char         *caseworker;
  char         *vulnerability;
  gboolean      overdue;
  AwdaCaseSort  sort;
  gboolean      reversed;
} Criteria;

static void
criteria_clear (Criteria *criteria)
{
  g_clear_pointer (&criteria->search, g_free);
  g_clear_pointer (&criteria->status, g_free);
  g_clear_pointer (&criteria->governorate, g_free);
  g_clear_pointer (&criteria->programme, g_free);
  g_clear_pointer (&criteria->caseworker, g_free);
  g_clear_pointer (&criteria->vulnerability, g_free);
}

static void
criteria_copy (Criteria       *dest,
               const Criteria *src)
{
  dest->search = g_strdup (src->search);
  dest->status = g_strdup (src->status);
  dest->governorate = g_strdup (src->governorate);
  dest->programme = g_strdup (src->programme);
  dest->caseworker = g_strdup (src->caseworker);
  dest->vulnerability = g_strdup (src->vulnerability);
  dest->overdue = src->overdue;
  dest->sort = src->sort;
  dest->reversed = src->reversed;
}

static gboolean
criteria_is_empty (const Criteria *criteria)
{
  return criteria->search == NULL && criteria->status == NULL && criteria->governorate == NULL
         && criteria->programme == NULL && criteria->caseworker == NULL
         && criteria->vulnerability == NULL && !criteria->overdue;
}

/* Whether every case that @narrow's words match, @broad's match too: each
 * word of @broad begins one of @narrow's, as folded (the search matches
 * words by their beginning, all of them). */
static gboolean
search_narrows (const char *broad,
                const char *narrow)
{
  g_autofree char *broad_folded = awda_fold (broad);
  g_autofree char *narrow_folded = awda_fold (narrow);
  g_auto(GStrv) broad_words = NULL;
  g_auto(GStrv) narrow_words = NULL;

  /* No word: the list of @broad was empty, whatever @narrow matches. */
  if (broad_folded[0] == '\0')
    return FALSE;

  broad_words = g_strsplit (broad_folded, " ", -1);
  narrow_words = g_strsplit (narrow_folded, " ", -1);
  for (guint i = 0; broad_words[i] != NULL; i++)
    {
      gboolean begun = FALSE;

      for (guint j = 0; !begun && narrow_words[j] != NULL; j++)
        begun = g_str_has_prefix (narrow_words[j], broad_words[i]);
      if (!begun)
        return FALSE;
    }

  return TRUE;
}

/* A filter of @narrow, given @broad's: the value to add to @extra, and
 * FALSE when @broad's leaves out cases that @narrow's keeps. */
static gboolean
filter_narrows (const char  *broad,
                const char  *narrow,
                char       **extra)
{
  if (broad == NULL)
    {
      *extra = g_strdup (narrow);
      return TRUE;
    }
  return g_strcmp0 (broad, narrow) == 0;
}

/* Whether the cases of @narrow are those of @broad that @extra keeps (in
 * @broad's order), @extra holding what @narrow asks more. Overdue
 * follow-ups are not added this way: listing them alone reads every case. */
static gboolean
criteria_narrow (const Criteria *broad,
                 const char     *broad_today,
                 const Criteria *narrow,
                 const char     *today,
                 Criteria       *extra)
{
  memset (extra, 0, sizeof *extra);

  if (broad->sort != narrow->sort || broad->reversed != narrow->reversed
      || broad->overdue != narrow->overdue
      || (narrow->overdue && g_strcmp0 (broad_today, today) != 0))
    return FALSE;

  if (broad->search != NULL)
    {
      if (narrow->search == NULL || !search_narrows (broad->search, narrow->search))
        return FALSE;
      if (strcmp (broad->search, narrow->search) != 0)
        extra->search = g_strdup (narrow->search);
    }
  else
    extra->search = g_strdup (narrow->search);

  if (filter_narrows (broad->status, narrow->status, &extra->status)
      && filter_narrows (broad->governorate, narrow->governorate, &extra->governorate)
      && filter_narrows (broad->programme, narrow->programme, &extra->programme)
      && filter_narrows (broad->caseworker, narrow->caseworker, &extra->caseworker)
      && filter_narrows (broad->vulnerability, narrow->vulnerability, &extra->vulnerability))
    return TRUE;

  criteria_clear (extra);
  return FALSE;
}

/* A whole list read, to answer narrower queries from. */

typedef struct
{
  Criteria  criteria;
  char     *today;
  GArray   *rowids;   /* gint64 */
  guint64   stamp;    /* the data's, when the list was read */
} KnownList;

static void
known_list_free (KnownList *known)
{
  criteria_clear (&known->criteria);
  g_free (known->today);
  g_clear_pointer (&known->rowids, g_array_unref);
  g_free (known);
}

/* The cases of @base in @extras (in descending order), in @base's order. */
static GArray *
intersect_rowids (GArray *base,
                  GArray *extras)
{
  const gint64 *wanted = (const gint64 *) (gpointer) extras->data;
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree guint8 *bits = NULL;
  gint64 low, high;

  if (extras->len == 0 || base->len == 0)
    return kept;

  /* A bit for each rowid in the range of @extras. */
  high = wanted[0];
  low = wanted[extras->len - 1];
  g_assert (low <= high);
  bits = g_malloc0 ((gsize) ((high - low) / 8 + 1));
  for (guint i = 0; i < extras->len; i++)
    bits[(wanted[i] - low) / 8] |= 1 << ((wanted[i] - low) % 8);

  for (guint i = 0; i < base->len; i++)
    {
      gint64 rowid = g_array_index (base, gint64, i);

      if (rowid >= low && rowid <= high && (bits[(rowid - low) / 8] & (1 << ((rowid - low) % 8))) != 0)
        g_array_append_val (kept, rowid);
    }

  return kept;
}

/* A query, from the main thread to a worker and back. */

typedef struct
{
  ReaderPool *pool;
  Criteria    criteria;
  char       *today;
  guint       limit;     /* 0 for the whole list */
  GArray     *base;      /* narrowing: the whole list of a broader query */
  Criteria    extra;     /* ... and what this one asks more */
} QueryJob;

typedef struct
{
  GArray    *rowids;     /* gint64 */
  GPtrArray *items;      /* AwdaCaseItem: the first rows, when limited or narrowed */
  gint64     queued;     /* µs: when the task was made, started, ended (for */
  gint64     started;    /* G_MESSAGES_DEBUG) */
  gint64     ended;
} QueryResult;

typedef struct
{
  GWeakRef   model;
  gint64     queued;     /* µs */
  guint      serial;
  guint      limit;
  gboolean   narrowed;   /* the result is whole */
  KnownList *known;      /* what the query asked, for its whole list */
} QueryCallback;

static void
query_job_free (QueryJob *job)
{
  reader_pool_unref (job->pool);
  criteria_clear (&job->criteria);
  criteria_clear (&job->extra);
  g_free (job->today);
  g_clear_pointer (&job->base, g_array_unref);
  g_free (job);
}

static void
query_callback_free (QueryCallback *callback)
{
  g_weak_ref_clear (&callback->model);
  g_clear_pointer (&callback->known, known_list_free);
  g_free (callback);
}

static void
query_result_free (QueryResult *result)
{
  g_clear_pointer (&result->rowids, g_array_unref);
  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_free (result);
}

/* Reads the cases of @rowids into items, in that order. A row that cannot
 * be found (never expected: cases are not deleted, only tombstoned) still
 * gets an item, since the list has counted it. */
static GPtrArray *
read_items (AwdaStore     *store,
            const gint64  *rowids,
            guint          n_rowids,
            GError       **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) by_rowid = NULL;
  GPtrArray *items;

  records = awda_store_fetch_cases (store, rowids, n_rowids, error);
  if (records == NULL)
    return NULL;

  by_rowid = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < records->len; i++)
    {
      AwdaRecord *record = g_ptr_array_index (records, i);

      g_hash_table_insert (by_rowid, &record->rowid, record);
    }

  items = g_ptr_array_new_full (n_rowids, g_object_unref);
  for (guint i = 0; i < n_rowids; i++)
    {
      AwdaRecord *record = g_hash_table_lookup (by_rowid, &rowids[i]);

      if (record != NULL)
        g_ptr_array_add (items, awda_case_item_new_from_record (record));
      else
        g_ptr_array_add (items, awda_case_item_new_missing (rowids[i]));
    }

  return items;
}

/* The cases of @job's base that its extra criteria keep. Called on a
 * worker thread. */
static GArray *
narrow_rowids (AwdaStore     *store,
               QueryJob      *job,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GArray) extras = NULL;
  AwdaCaseQuery query = {
    .search = job->extra.search,
    .status = job->extra.status,
    .governorate = job->extra.governorate,
    .programme = job->extra.programme,
    .caseworker = job->extra.caseworker,
    .vulnerability = job->extra.vulnerability,
    .sort = AWDA_CASE_SORT_NEWEST,
  };

  if (criteria_is_empty (&job->extra))
    return g_array_ref (job->base);

  /* Newest first: in descending rowid order, as intersect_rowids() wants. */
  extras = awda_store_query_cases_full (store, &query, cancellable, error);
  if (extras == NULL)
    return NULL;
  return intersect_rowids (job->base, extras);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  QueryJob *job = task_data;
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  QueryResult *result;
  AwdaCaseQuery query = {
    .search = job->criteria.search,
    .status = job->criteria.status,
    .governorate = job->criteria.governorate,
    .programme = job->criteria.programme,
    .caseworker = job->criteria.caseworker,
    .vulnerability = job->criteria.vulnerability,
    .overdue = job->criteria.overdue,
    .today = job->today,
    .sort = job->criteria.sort,
    .reversed = job->criteria.reversed,
    .limit = job->limit,
  };

  /* A query overtaken while it waited for a thread need not run. */
  if (g_task_return_error_if_cancelled (task))
    return;

  store = reader_pool_take (job->pool, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (QueryResult, 1);
  result->started = g_get_monotonic_time ();
  /* Cancelled (a newer query was asked for), SQLite stops at once: the
   * newest query does not wait behind the ones it overtook. */
  if (job->base != NULL)
    result->rowids = narrow_rowids (store, job, cancellable, &error);
  else
    result->rowids = awda_store_query_cases_full (store, &query, cancellable, &error);
  if (result->rowids != NULL && (job->limit > 0 || job->base != NULL) && !g_cancellable_is_cancelled (cancellable))
    result->items = read_items (store,
                                (const gint64 *) (gpointer) result->rowids->data,
                                MIN (result->rowids->len, AWDA_CASE_LIST_FIRST_ROWS),
                                &error);

  reader_pool_give (job->pool, g_steal_pointer (&store));
  result->ended = g_get_monotonic_time ();

  if (error != NULL)
    {
      query_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify) query_result_free);
}

/* The model */

typedef struct
{
  GPtrArray    *items;        /* AwdaCaseItem */
  guint64       used;         /* when it was last asked for, for eviction */
  GCancellable *cancellable;  /* its rows being read, or NULL */
} Page;

struct _AwdaCaseListModel
{
  GObject       parent_instance;

  /* owned */
  AwdaStore    *store;       /* the application's connection: pages are read with it */
  ReaderPool   *pool;        /* read-only connections for queries */
  GCancellable *cancellable; /* the query running, if any */
  GCancellable *narrowing;   /* the same query, narrowing a known list, if any */
  GArray       *rowids;      /* gint64: the rows listed, in order */
  GHashTable   *pages;       /* page number → Page */
  GHashTable   *alive;       /* position → AwdaCaseItem, weak: the items in use */
  GError       *error;       /* why the last query failed */
  Criteria      criteria;
  GPtrArray    *known;       /* KnownList, the latest first */

  guint64       clock;       /* ticks at each page read, for eviction */
  guint         generation;  /* of the rows: a new list makes a new one */
  guint         n_page_reads;   /* for AWDA_PROFILE */
  gint64        page_read_us;
  guint         serial;      /* of the newest query */
  guint         n_queries;   /* started so far */
  guint         start_id;    /* idle: the first step of a query */
  guint         full_id;     /* timeout: the second step */
  guint         narrow_id;   /* timeout: a narrowing of ... */
  GArray       *narrow_base; /* ... this known list, */
  Criteria      narrow_extra;/* ... by these criteria */
  guint         loading : 1;
  guint         complete : 1;
  guint         first_shown : 1;  /* the newest query's first rows are in the list */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  PROP_STATUS,
  PROP_GOVERNORATE,
  PROP_PROGRAMME,
  PROP_CASEWORKER,
  PROP_VULNERABILITY,
  PROP_OVERDUE,
  PROP_SORT,
  PROP_SORT_REVERSED,
  PROP_LOADING,
  PROP_COMPLETE,
  PROP_N_ITEMS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);
static void set_error            (AwdaCaseListModel   *self,
                                  const GError        *error);
static gboolean start_full_cb    (gpointer             user_data);

G_DEFINE_FINAL_TYPE_WITH_CODE (AwdaCaseListModel, awda_case_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (Page *page)
{
  g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  g_ptr_array_unref (page->items);
  g_free (page);
}

static guint
n_rows (AwdaCaseListModel *self)
{
  return self->rowids != NULL ? self->rowids->len : 0;
}

static void
on_item_finalized_cb (gpointer  data,
                      GObject  *where_the_object_was)
{
  AwdaCaseListModel *self = data;
  AwdaCaseItem *item = (AwdaCaseItem *) where_the_object_was;
  gpointer key = GUINT_TO_POINTER (awda_case_item_get_position (item));

  if (g_hash_table_lookup (self->alive, key) == item)
    g_hash_table_remove (self->alive, key);
}

static void
forget_item (AwdaCaseListModel *self,
             AwdaCaseItem      *item)
{
  g_object_weak_unref (G_OBJECT (item), on_item_finalized_cb, self);
}

/* The item of @position, given the row now there (@fresh, transfer
 * full): the item already in use for that position, updated, or @fresh,
 * which becomes it. Returns a new reference. */
static AwdaCaseItem *
adopt_item (AwdaCaseListModel *self,
            guint              position,
            AwdaCaseItem      *fresh)
{
  AwdaCaseItem *item = g_hash_table_lookup (self->alive, GUINT_TO_POINTER (position));

  if (item != NULL)
    {
      /* A row not read yet does not blank the item that shows it: the
       * items in use always show the current list (replace_rows()). */
      if (awda_case_item_get_id (fresh) != NULL
          || awda_case_item_get_rowid (item) != awda_case_item_get_rowid (fresh))
        awda_case_item_update (item, fresh);
      g_object_unref (fresh);
      return g_object_ref (item);
    }

  awda_case_item_set_position (fresh, position);
  g_object_weak_ref (G_OBJECT (fresh), on_item_finalized_cb, self);
  g_hash_table_insert (self->alive, GUINT_TO_POINTER (position), fresh);
  return fresh;
}

/* @items (transfer full) become the items of the positions from @start. */
static GPtrArray *
adopt_items (AwdaCaseListModel *self,
             guint              start,
             GPtrArray         *items)
{
  GPtrArray *adopted = g_ptr_array_new_full (items->len, g_object_unref);

  /* Their references pass to adopt_item(). */
  g_ptr_array_set_free_func (items, NULL);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (adopted, adopt_item (self, start + i, g_ptr_array_index (items, i)));

  g_ptr_array_unref (items);
  return adopted;
}

static GType
awda_case_list_model_get_item_type (GListModel *model)
{
  return AWDA_TYPE_CASE_ITEM;
}

static guint
awda_case_list_model_get_n_items (GListModel *model)
{
  return n_rows (AWDA_CASE_LIST_MODEL (model));
}

static void
evict_pages (AwdaCaseListModel *self)
{
  while (g_hash_table_size (self->pages) > MAX_CACHED_PAGES)
    {
      GHashTableIter iter;
      gpointer key, value;
      gpointer oldest_key = NULL;
      guint64 oldest = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Page *page = value;

          if (page->used < oldest)
            {
              oldest = page->used;
              oldest_key = key;
            }
        }

      g_hash_table_remove (self->pages, oldest_key);
    }
}

static void
add_page (AwdaCaseListModel *self,
          guint              number,
          GPtrArray         *items)
{
  Page *page = g_new0 (Page, 1);

  page->items = items;
  page->used = ++self->clock;
  g_hash_table_replace (self->pages, GUINT_TO_POINTER (number), page);
  evict_pages (self);
}

/* Reading a page of rows, on a worker thread. */

typedef struct
{
  ReaderPool *pool;
  GArray     *rowids;     /* gint64: the page's */
} PageJob;

typedef struct
{
  GPtrArray *items;
  gint64     microseconds;
} PageResult;

typedef struct
{
  GWeakRef model;
  guint    generation;
  guint    number;
} PageCallback;

static void
page_job_free (PageJob *job)
{
  reader_pool_unref (job->pool);
  g_array_unref (job->rowids);
  g_free (job);
}

static void
page_result_free (PageResult *result)
{
  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_free (result);
}

static void
page_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PageJob *job = task_data;
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PageResult *result;
  gint64 started;

  /* Scrolled past before a thread was free. */
  if (g_task_return_error_if_cancelled (task))
    return;

  store = reader_pool_take (job->pool, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (PageResult, 1);
  started = g_get_monotonic_time ();
  result->items = read_items (store, (const gint64 *) (gpointer) job->rowids->data, job->rowids->len, &error);
  result->microseconds = g_get_monotonic_time () - started;
  reader_pool_give (job->pool, g_steal_pointer (&store));

  if (result->items == NULL)
    {
      page_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) page_result_free);
}

static void
page_read_cb (GObject      *object,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  PageCallback *callback = user_data;
  g_autoptr(AwdaCaseListModel) self = g_weak_ref_get (&callback->model);
  g_autoptr(GError) error = NULL;
  PageResult *result;
  guint generation = callback->generation;
  guint number = callback->number;
  Page *page;
  guint start;

  g_weak_ref_clear (&callback->model);
  g_free (callback);

  result = g_task_propagate_pointer (G_TASK (async_result), &error);
  if (self == NULL || generation != self->generation
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&result, page_result_free);
      return;
    }

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  if (page != NULL)
    g_clear_object (&page->cancellable);

  if (result == NULL)
    {
      g_warning ("Could not read the cases from %u of the list: %s",
                 number * AWDA_CASE_LIST_PAGE_SIZE + 1, error->message);
      set_error (self, error);
      return;
    }

  self->n_page_reads++;
  self->page_read_us += result->microseconds;

  /* The items of these positions, in the page or still in use after it
   * was evicted, show their cases (::changed). */
  start = number * AWDA_CASE_LIST_PAGE_SIZE;
  for (guint i = 0; i < result->items->len; i++)
    {
      AwdaCaseItem *item = g_hash_table_lookup (self->alive, GUINT_TO_POINTER (start + i));

      if (item != NULL)
        awda_case_item_update (item, g_ptr_array_index (result->items, i));
    }

  page_result_free (result);
}

/* The page of rows @number. One not read yet is made of rows that know
 * only their rowid, and read on a worker thread: the window never waits
 * on the disk, even when the scroll bar is dragged over a million rows
 * of a cold disk. Its items then take their cases (::changed). */
static Page *
get_page (AwdaCaseListModel *self,
          guint              number)
{
  g_autoptr(GTask) task = NULL;
  const gint64 *rowids;
  GPtrArray *items;
  PageCallback *callback;
  PageJob *job;
  Page *page;
  guint start, count;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  if (page != NULL)
    {
      page->used = ++self->clock;
      return page;
    }

  start = number * AWDA_CASE_LIST_PAGE_SIZE;
  g_assert (start < n_rows (self));
  count = MIN (AWDA_CASE_LIST_PAGE_SIZE, n_rows (self) - start);
  rowids = (const gint64 *) (gpointer) self->rowids->data;

  items = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (items, awda_case_item_new_missing (rowids[start + i]));
  add_page (self, number, adopt_items (self, start, items));
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));

  job = g_new0 (PageJob, 1);
  job->pool = reader_pool_ref (self->pool);
  job->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), count);
  g_array_append_vals (job->rowids, rowids + start, count);

  callback = g_new0 (PageCallback, 1);
  g_weak_ref_init (&callback->model, self);
  callback->generation = self->generation;
  callback->number = number;

  page->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, page->cancellable, page_read_cb, callback);
  g_task_set_source_tag (task, get_page);
  g_task_set_name (task, "[awda] case list page");
  g_task_set_task_data (task, job, (GDestroyNotify) page_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, page_thread);

  return page;
}

static gpointer
awda_case_list_model_get_item (GListModel *model,
                               guint       position)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (model);
  Page *page;

  if (position >= n_rows (self))
    return NULL;

  page = get_page (self, position / AWDA_CASE_LIST_PAGE_SIZE);

  return g_object_ref (g_ptr_array_index (page->items, position % AWDA_CASE_LIST_PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = awda_case_list_model_get_item_type;
  iface->get_n_items = awda_case_list_model_get_n_items;
  iface->get_item = awda_case_list_model_get_item;
}

static void
set_loading (AwdaCaseListModel *self,
             gboolean           loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_complete (AwdaCaseListModel *self,
              gboolean           complete)
{
  if (self->complete == !!complete)
    return;

  self->complete = !!complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
set_error (AwdaCaseListModel *self,
           const GError      *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* @rowids replace the whole list. The items in use take the cases now at
 * their positions; those past the new end stay theirs while they live. */
static void
replace_all_rows (AwdaCaseListModel *self,
                  GArray            *rowids,
                  GPtrArray         *items)
{
  guint removed = n_rows (self);
  guint added = rowids->len;
  g_autoptr(GHashTable) stale_pages = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_clear_pointer (&self->rowids, g_array_unref);
  self->rowids = g_array_ref (rowids);
  self->generation++;
  g_hash_table_remove_all (self->pages);

  g_hash_table_iter_init (&iter, self->alive);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint position = GPOINTER_TO_UINT (key);

      /* Past the new end, an item stays the item of its position while
       * it lives: when the view held it (see awda-hold-list-model.c), a
       * longer list gives it back, and the view keeps its row. */
      if (position >= added)
        continue;
      if (items == NULL || position >= items->len)
        g_hash_table_add (stale_pages, GUINT_TO_POINTER (position / AWDA_CASE_LIST_PAGE_SIZE));
    }

  if (items != NULL)
    {
      g_assert (items->len <= rowids->len);
      g_assert (items->len == rowids->len || items->len % AWDA_CASE_LIST_PAGE_SIZE == 0);

      for (guint start = 0; start < items->len; start += AWDA_CASE_LIST_PAGE_SIZE)
        {
          guint count = MIN (AWDA_CASE_LIST_PAGE_SIZE, items->len - start);
          GPtrArray *page = g_ptr_array_new_full (count, g_object_unref);

          for (guint i = start; i < start + count; i++)
            g_ptr_array_add (page, g_object_ref (g_ptr_array_index (items, i)));
          add_page (self, start / AWDA_CASE_LIST_PAGE_SIZE, adopt_items (self, start, page));
        }
    }

  /* The items in use further down (the view was scrolled) are read too,
   * so that they show their new cases. */
  g_hash_table_iter_init (&iter, stale_pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    get_page (self, GPOINTER_TO_UINT (key));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* @rowids, which begin with the rows listed, become the list: the rest is
 * appended and the rows in view stay. */
static void
append_rows (AwdaCaseListModel *self,
             GArray            *rowids)
{
  guint shown = n_rows (self);
  guint added;

  g_assert (rowids->len >= shown);

  added = rowids->len - shown;
  g_clear_pointer (&self->rowids, g_array_unref);
  self->rowids = g_array_ref (rowids);

  /* The last page read may have been short: it is read again whole. */
  if (shown % AWDA_CASE_LIST_PAGE_SIZE != 0)
    g_hash_table_remove (self->pages, GUINT_TO_POINTER (shown / AWDA_CASE_LIST_PAGE_SIZE));

  if (added > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), shown, 0, added);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

/* @rowids become the list, @items (nullable) the items of its first rows.
 * A long list comes as its first rows, then the rest appended: GTK 4.8's
 * GtkSingleSelection, when the selected row is among those replaced, asks
 * for every item added to find it again, which over a million rows would
 * read them all. */
static void
replace_rows (AwdaCaseListModel *self,
              GArray            *rowids,
              GPtrArray         *items)
{
  g_autoptr(GArray) first = NULL;
  guint head = AWDA_CASE_LIST_FIRST_ROWS;

  if (rowids->len <= head)
    {
      replace_all_rows (self, rowids, items);
      return;
    }

  g_assert (items == NULL || items->len <= head);
  first = g_array_sized_new (FALSE, FALSE, sizeof (gint64), head);
  g_array_append_vals (first, rowids->data, head);
  replace_all_rows (self, first, items);
  append_rows (self, rowids);
}

/* The whole list of a query whose first rows are shown: when they are its
 * beginning, as expected, the rest is appended and the rows in view stay;
 * when the cases changed in between, the list is replaced. */
static void
complete_rows (AwdaCaseListModel *self,
               GArray            *rowids)
{
  guint shown = n_rows (self);

  if (rowids->len < shown
      || (shown > 0 && memcmp (rowids->data, self->rowids->data, shown * sizeof (gint64)) != 0))
    replace_rows (self, rowids, NULL);
  else
    append_rows (self, rowids);
}

static gboolean
criteria_equal (const Criteria *a,
                const Criteria *b)
{
  return g_strcmp0 (a->search, b->search) == 0 && g_strcmp0 (a->status, b->status) == 0
         && g_strcmp0 (a->governorate, b->governorate) == 0 && g_strcmp0 (a->programme, b->programme) == 0
         && g_strcmp0 (a->caseworker, b->caseworker) == 0 && g_strcmp0 (a->vulnerability, b->vulnerability) == 0
         && a->overdue == b->overdue && a->sort == b->sort && a->reversed == b->reversed;
}

/* Keeps @rowids, the whole list of what @known (transfer full) asked, to
 * answer narrower queries from. */
static void
remember_list (AwdaCaseListModel *self,
               KnownList         *known,
               GArray            *rowids)
{
  if (known->stamp == 0 || rowids->len > MAX_KNOWN_ROWS)
    {
      known_list_free (known);
      return;
    }

  for (guint i = 0; i < self->known->len; i++)
    {
      KnownList *other = g_ptr_array_index (self->known, i);

      if (criteria_equal (&other->criteria, &known->criteria) && g_strcmp0 (other->today, known->today) == 0)
        {
          g_ptr_array_remove_index (self->known, i);
          break;
        }
    }

  known->rowids = g_array_ref (rowids);
  g_ptr_array_insert (self->known, 0, known);

  /* The oldest go first. */
  for (guint i = 0, total = 0; i < self->known->len; i++)
    {
      total += ((KnownList *) g_ptr_array_index (self->known, i))->rowids->len;
      if (i >= MAX_KNOWN_LISTS || total > MAX_KNOWN_TOTAL_ROWS)
        {
          g_ptr_array_set_size (self->known, i);
          break;
        }
    }
}

/* The shortest known list that the current criteria narrow, with what
 * they ask more in @extra; NULL when none does. Lists read before the
 * data changed are forgotten: they will never serve again. */
static KnownList *
find_known (AwdaCaseListModel *self,
            const char        *today,
            guint64            stamp,
            Criteria          *extra)
{
  KnownList *best = NULL;

  memset (extra, 0, sizeof *extra);
  for (guint i = self->known->len; i-- > 0; )
    {
      KnownList *known = g_ptr_array_index (self->known, i);
      Criteria more;

      if (known->stamp != stamp)
        {
          g_ptr_array_remove_index (self->known, i);
          continue;
        }
      if (!criteria_narrow (&known->criteria, known->today, &self->criteria, today, &more))
        continue;
      if (best != NULL && best->rowids->len <= known->rowids->len)
        {
          criteria_clear (&more);
          continue;
        }
      criteria_clear (extra);
      *extra = more;
      best = known;
    }

  return best;
}

static void
show_whole_list (AwdaCaseListModel *self,
                 GArray            *rowids,
                 GPtrArray         *items)
{
  replace_rows (self, rowids, items);
  set_error (self, NULL);
  set_complete (self, TRUE);
  set_loading (self, FALSE);
}

/* Stops the narrowing of the newest query, started or waiting to. */
static void
cancel_narrowing (AwdaCaseListModel *self)
{
  g_cancellable_cancel (self->narrowing);
  g_clear_object (&self->narrowing);
  g_clear_handle_id (&self->narrow_id, g_source_remove);
  g_clear_pointer (&self->narrow_base, g_array_unref);
  criteria_clear (&self->narrow_extra);
}

/* The whole list of the newest query, narrowed from a known one. It
 * raced the query asked of the store (see start_query_cb()), which it
 * stops: when that query's first rows are shown, the rest is appended. */
static void
show_narrowed (AwdaCaseListModel *self,
               QueryResult       *result)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->full_id, g_source_remove);

  if (self->first_shown)
    complete_rows (self, result->rowids);
  else
    replace_rows (self, result->rowids, result->items);
  set_error (self, NULL);
  set_complete (self, TRUE);
  set_loading (self, FALSE);
}

/* The first rows of the newest query, asked of the store. */
static void
show_first_rows (AwdaCaseListModel *self,
                 QueryResult       *result,
                 guint              limit)
{
  gboolean whole = result->rowids->len < limit;

  replace_rows (self, result->rowids, result->items);
  self->first_shown = TRUE;
  set_error (self, NULL);
  set_complete (self, whole);

  /* In time: no narrowing waits to start. */
  g_clear_handle_id (&self->narrow_id, g_source_remove);
  g_clear_pointer (&self->narrow_base, g_array_unref);
  criteria_clear (&self->narrow_extra);

  if (whole)
    {
      /* Nothing left for a narrowing to add. */
      cancel_narrowing (self);
      set_loading (self, FALSE);
    }
  else if (self->narrowing == NULL)
    /* The first query of all has nothing to wait for. */
    self->full_id = g_timeout_add (self->n_queries > 1 ? FULL_DELAY_MS : 0, start_full_cb, self);
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  QueryCallback *callback = user_data;
  g_autoptr(AwdaCaseListModel) self = g_weak_ref_get (&callback->model);
  g_autoptr(GError) error = NULL;
  QueryResult *result;
  guint serial = callback->serial;
  guint limit = callback->limit;
  gboolean narrowed = callback->narrowed;
  gint64 queued = callback->queued;
  KnownList *known = g_steal_pointer (&callback->known);

  query_callback_free (callback);

  /* A task cancelled returns G_IO_ERROR_CANCELLED, whatever it found. */
  result = g_task_propagate_pointer (G_TASK (async_result), &error);
  if (result != NULL)
    g_debug ("Query %u%s: %u cases; waited %.1f ms for a thread, ran %.1f ms, back %.1f ms after",
             serial, narrowed ? " (narrowing)" : limit > 0 ? " (first rows)" : " (whole)",
             result->rowids->len, (result->started - queued) / 1000.0,
             (result->ended - result->started) / 1000.0,
             (g_get_monotonic_time () - result->ended) / 1000.0);

  /* Gone, or overtaken: nothing to show. */
  if (self == NULL || serial != self->serial
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&result, query_result_free);
      known_list_free (known);
      return;
    }

  if (narrowed)
    g_clear_object (&self->narrowing);
  else
    g_clear_object (&self->cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  if (result == NULL)
    {
      g_debug ("Could not list the cases: %s", error->message);
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      cancel_narrowing (self);
      set_error (self, error);
      set_complete (self, TRUE);
      set_loading (self, FALSE);
      known_list_free (known);
    }
  else if (narrowed)
    {
      show_narrowed (self, result);
      remember_list (self, known, result->rowids);
    }
  else if (limit > 0)
    {
      show_first_rows (self, result, limit);
      if (self->complete)
        remember_list (self, known, result->rowids);
      else
        known_list_free (known);
    }
  else
    {
      complete_rows (self, result->rowids);
      set_error (self, NULL);
      set_complete (self, TRUE);
      set_loading (self, FALSE);
      remember_list (self, known, result->rowids);
    }
  g_object_thaw_notify (G_OBJECT (self));

  g_clear_pointer (&result, query_result_free);
}

/* Starts the query of the current criteria on a worker thread, stopped by
 * @cancellable: its first @limit rows (0: all of them), or, given @base,
 * the cases of that known list that @extra (cleared) keeps. */
static void
start_task (AwdaCaseListModel *self,
            GCancellable      *cancellable,
            guint              limit,
            GArray            *base,
            Criteria          *extra)
{
  g_autoptr(GTask) task = NULL;
  QueryCallback *callback;
  QueryJob *job;
  KnownList *known;

  /* What this query lists, as read now. */
  known = g_new0 (KnownList, 1);
  criteria_copy (&known->criteria, &self->criteria);
  if (self->criteria.overdue)
    known->today = awda_today_get_date (self->store);
  known->stamp = awda_store_get_data_stamp (self->store);

  job = g_new0 (QueryJob, 1);
  job->pool = reader_pool_ref (self->pool);
  criteria_copy (&job->criteria, &self->criteria);
  job->today = g_strdup (known->today);
  job->limit = limit;
  if (base != NULL)
    {
      job->base = g_array_ref (base);
      job->extra = *extra;
      memset (extra, 0, sizeof *extra);
    }

  callback = g_new0 (QueryCallback, 1);
  g_weak_ref_init (&callback->model, self);
  callback->serial = self->serial;
  callback->limit = limit;
  callback->narrowed = base != NULL;
  callback->known = known;
  callback->queued = g_get_monotonic_time ();

  /* No source object: a task would keep the model alive until its
   * thread ends; the weak reference lets the model go at once. */
  task = g_task_new (NULL, cancellable, query_done_cb, callback);
  g_task_set_source_tag (task, start_task);
  g_task_set_name (task, base != NULL ? "[awda] case list narrowing" : "[awda] case list query");
  g_task_set_task_data (task, job, (GDestroyNotify) query_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, query_thread);
}

static void
run_query (AwdaCaseListModel *self,
           guint              limit)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  start_task (self, self->cancellable, limit, NULL, NULL);
}

static gboolean
start_full_cb (gpointer user_data)
{
  AwdaCaseListModel *self = user_data;

  self->full_id = 0;
  run_query (self, 0);

  return G_SOURCE_REMOVE;
}

static gboolean
start_narrowing_cb (gpointer user_data)
{
  AwdaCaseListModel *self = user_data;
  g_autoptr(GArray) base = g_steal_pointer (&self->narrow_base);

  self->narrow_id = 0;
  self->narrowing = g_cancellable_new ();
  start_task (self, self->narrowing, 0, base, &self->narrow_extra);

  return G_SOURCE_REMOVE;
}

/* The first step of a query. Narrowing a known list costs what its added
 * criteria cost to list alone (milliseconds); asking the store for the
 * first rows costs less when they are many, and much more when the
 * criteria together keep few cases. When the first rows have not come
 * after NARROW_AFTER_MS, the narrowing starts, and the first to end is
 * shown: the narrowing gives the whole list, and stops the other. */
static gboolean
start_query_cb (gpointer user_data)
{
  AwdaCaseListModel *self = user_data;
  g_autofree char *today = NULL;
  Criteria extra;
  KnownList *base;

  self->start_id = 0;
  self->n_queries++;

  if (self->criteria.overdue)
    today = awda_today_get_date (self->store);
  base = find_known (self, today, awda_store_get_data_stamp (self->store), &extra);

  if (base != NULL && base->rowids->len == 0)
    {
      /* Narrowing an empty list: nothing to ask. */
      KnownList *known = g_new0 (KnownList, 1);

      criteria_copy (&known->criteria, &self->criteria);
      known->today = g_steal_pointer (&today);
      known->stamp = base->stamp;
      show_whole_list (self, base->rowids, NULL);
      remember_list (self, known, base->rowids);
      criteria_clear (&extra);
      return G_SOURCE_REMOVE;
    }

  if (base != NULL)
    {
      self->narrow_base = g_array_ref (base->rowids);
      self->narrow_extra = extra;
      self->narrow_id = g_timeout_add (NARROW_AFTER_MS, start_narrowing_cb, self);
    }
  run_query (self, AWDA_CASE_LIST_FIRST_ROWS);

  return G_SOURCE_REMOVE;
}

/* Several criteria set one after the other (the filters restored, a
 * search and a stage) make one query: it starts once they are all set,
 * before the next frame is drawn. */
static void
queue_query (AwdaCaseListModel *self)
{
  self->serial++;
  self->first_shown = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cancel_narrowing (self);
  g_clear_handle_id (&self->full_id, g_source_remove);

  if (self->start_id == 0)
    self->start_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, start_query_cb, self, NULL);

  set_loading (self, TRUE);
}

static void
awda_case_list_model_constructed (GObject *object)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (object);

  G_OBJECT_CLASS (awda_case_list_model_parent_class)->constructed (object);

  g_assert (AWDA_IS_STORE (self->store));
  self->pool = reader_pool_new (awda_store_get_path (self->store));

  queue_query (self);
}

static void
awda_case_list_model_dispose (GObject *object)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cancel_narrowing (self);
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_handle_id (&self->full_id, g_source_remove);
  g_hash_table_remove_all (self->pages);
  if (self->alive != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->alive);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        forget_item (self, value);
      g_hash_table_remove_all (self->alive);
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (awda_case_list_model_parent_class)->dispose (object);
}

static void
awda_case_list_model_finalize (GObject *object)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (object);

  g_clear_pointer (&self->pool, reader_pool_unref);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->alive, g_hash_table_unref);
  g_clear_pointer (&self->known, g_ptr_array_unref);
  g_clear_error (&self->error);
  criteria_clear (&self->criteria);

  G_OBJECT_CLASS (awda_case_list_model_parent_class)->finalize (object);
}

static void
awda_case_list_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->criteria.search);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->criteria.status);
      break;

    case PROP_GOVERNORATE:
      g_value_set_string (value, self->criteria.governorate);
      break;

    case PROP_PROGRAMME:
      g_value_set_string (value, self->criteria.programme);
      break;

    case PROP_CASEWORKER:
      g_value_set_string (value, self->criteria.caseworker);
      break;

    case PROP_VULNERABILITY:
      g_value_set_string (value, self->criteria.vulnerability);
      break;

    case PROP_OVERDUE:
      g_value_set_boolean (value, self->criteria.overdue);
      break;

    case PROP_SORT:
      g_value_set_uint (value, self->criteria.sort);
      break;

    case PROP_SORT_REVERSED:
      g_value_set_boolean (value, self->criteria.reversed);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, n_rows (self));
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_case_list_model_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SEARCH:
      awda_case_list_model_set_search (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      awda_case_list_model_set_status (self, g_value_get_string (value));
      break;

    case PROP_GOVERNORATE:
      awda_case_list_model_set_governorate (self, g_value_get_string (value));
      break;

    case PROP_PROGRAMME:
      awda_case_list_model_set_programme (self, g_value_get_string (value));
      break;

    case PROP_CASEWORKER:
      awda_case_list_model_set_caseworker (self, g_value_get_string (value));
      break;

    case PROP_VULNERABILITY:
      awda_case_list_model_set_vulnerability (self, g_value_get_string (value));
      break;

    case PROP_OVERDUE:
      awda_case_list_model_set_overdue (self, g_value_get_boolean (value));
      break;

    case PROP_SORT:
      awda_case_list_model_set_sort (self, g_value_get_uint (value), self->criteria.reversed);
      break;

    case PROP_SORT_REVERSED:
      awda_case_list_model_set_sort (self, self->criteria.sort, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
criterion_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL,
                              NULL,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
awda_case_list_model_class_init (AwdaCaseListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = awda_case_list_model_constructed;
  object_class->dispose = awda_case_list_model_dispose;
  object_class->finalize = awda_case_list_model_finalize;
  object_class->get_property = awda_case_list_model_get_property;
  object_class->set_property = awda_case_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* The criteria, as AwdaCaseQuery has them; NULL or empty for any. */
  properties[PROP_SEARCH] = criterion_property ("search");
  properties[PROP_STATUS] = criterion_property ("status");
  properties[PROP_GOVERNORATE] = criterion_property ("governorate");
  properties[PROP_PROGRAMME] = criterion_property ("programme");
  properties[PROP_CASEWORKER] = criterion_property ("caseworker");
  properties[PROP_VULNERABILITY] = criterion_property ("vulnerability");

  /* Only the cases with a follow-up overdue today. */
  properties[PROP_OVERDUE] =
    g_param_spec_boolean ("overdue", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* An AwdaCaseSort. */
  properties[PROP_SORT] =
    g_param_spec_uint ("sort", NULL, NULL,
                       AWDA_CASE_SORT_NEWEST, AWDA_CASE_SORT_OPENED, AWDA_CASE_SORT_NEWEST,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SORT_REVERSED] =
    g_param_spec_boolean ("sort-reversed", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE until the list of the newest query is whole: first the previous
   * result stays in view, then the first rows of the new one. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Whether the list holds every case of its query (n-items is their
   * number), or only the first ones. */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Why the last query failed, NULL when it did not. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
awda_case_list_model_init (AwdaCaseListModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->alive = g_hash_table_new (NULL, NULL);
  self->known = g_ptr_array_new_with_free_func ((GDestroyNotify) known_list_free);
  self->criteria.sort = AWDA_CASE_SORT_NEWEST;
}

/**
 * awda_case_list_model_new:
 * @store: the application's store; pages of rows are read with it
 *
 * The model starts listing every case, newest first, once the main loop
 * runs: criteria set before then make its first query.
 *
 * Returns: (transfer full): a new model
 */
AwdaCaseListModel *
awda_case_list_model_new (AwdaStore *store)
{
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  return g_object_new (AWDA_TYPE_CASE_LIST_MODEL,
                       "store", store,
                       NULL);
}

AwdaStore *
awda_case_list_model_get_store (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->store;
}

/* Empty means none: an empty search or filter lists everything. */
static gboolean
set_criterion (char       **criterion,
               const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*criterion, value) == 0)
    return FALSE;

  g_free (*criterion);
  *criterion = g_strdup (value);
  return TRUE;
}

static void
set_string_criterion (AwdaCaseListModel  *self,
                      char              **criterion,
                      const char         *value,
                      guint               prop_id)
{
  if (!set_criterion (criterion, value))
    return;

  queue_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * awda_case_list_model_set_query:
 * @self: a #AwdaCaseListModel
 * @search: (nullable): free text, as typed
 * @status: (nullable): a stage (case.status value)
 *
 * Lists the cases matching both, and the other filters. The list changes
 * when the query has run; a query that changes nothing does not run.
 */
void
awda_case_list_model_set_query (AwdaCaseListModel *self,
                                const char        *search,
                                const char        *status)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string_criterion (self, &self->criteria.search, search, PROP_SEARCH);
  set_string_criterion (self, &self->criteria.status, status, PROP_STATUS);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
awda_case_list_model_get_search (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->criteria.search;
}

void
awda_case_list_model_set_search (AwdaCaseListModel *self,
                                 const char        *search)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  set_string_criterion (self, &self->criteria.search, search, PROP_SEARCH);
}

const char *
awda_case_list_model_get_status (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->criteria.status;
}

void
awda_case_list_model_set_status (AwdaCaseListModel *self,
                                 const char        *status)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  set_string_criterion (self, &self->criteria.status, status, PROP_STATUS);
}

const char *
awda_case_list_model_get_governorate (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->criteria.governorate;
}

/**
 * awda_case_list_model_set_governorate:
 * @self: a #AwdaCaseListModel
 * @governorate: (nullable): an ISO 3166-2 code (TN-xx), %NULL for any
 */
void
awda_case_list_model_set_governorate (AwdaCaseListModel *self,
                                      const char        *governorate)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  set_string_criterion (self, &self->criteria.governorate, governorate, PROP_GOVERNORATE);
}

const char *
awda_case_list_model_get_programme (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->criteria.programme;
}

/**
 * awda_case_list_model_set_programme:
 * @self: a #AwdaCaseListModel
 * @programme: (nullable): the id of a programme record (the cases'
 *   return_programme), %NULL for any
 */
void
awda_case_list_model_set_programme (AwdaCaseListModel *self,
                                    const char        *programme)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  set_string_criterion (self, &self->criteria.programme, programme, PROP_PROGRAMME);
}

const char *
awda_case_list_model_get_caseworker (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->criteria.caseworker;
}

/**
 * awda_case_list_model_set_caseworker:
 * @self: a #AwdaCaseListModel
 * @caseworker: (nullable): the id of a staff record, %NULL for any
 */
void
awda_case_list_model_set_caseworker (AwdaCaseListModel *self,
                                     const char        *caseworker)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  set_string_criterion (self, &self->criteria.caseworker, caseworker, PROP_CASEWORKER);
}

const char *
awda_case_list_model_get_vulnerability (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->criteria.vulnerability;
}

/**
 * awda_case_list_model_set_vulnerability:
 * @self: a #AwdaCaseListModel
 * @vulnerability: (nullable): a boolean vuln_* field of the case that
 *   must be true, %NULL for any
 */
void
awda_case_list_model_set_vulnerability (AwdaCaseListModel *self,
                                        const char        *vulnerability)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  set_string_criterion (self, &self->criteria.vulnerability, vulnerability, PROP_VULNERABILITY);
}

gboolean
awda_case_list_model_get_overdue (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), FALSE);

  return self->criteria.overdue;
}

/**
 * awda_case_list_model_set_overdue:
 * @self: a #AwdaCaseListModel
 * @overdue: whether to list only the cases with a follow-up not done and
 *   scheduled before today (the store's clock)
 */
void
awda_case_list_model_set_overdue (AwdaCaseListModel *self,
                                  gboolean           overdue)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  overdue = !!overdue;
  if (self->criteria.overdue == overdue)
    return;

  self->criteria.overdue = overdue;
  queue_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERDUE]);
}

AwdaCaseSort
awda_case_list_model_get_sort (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), AWDA_CASE_SORT_NEWEST);

  return self->criteria.sort;
}

gboolean
awda_case_list_model_get_sort_reversed (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), FALSE);

  return self->criteria.reversed;
}

/**
 * awda_case_list_model_set_sort:
 * @self: a #AwdaCaseListModel
 * @sort: the order of the list
 * @reversed: whether in reverse
 *
 * The order is the SQL query's: the list is read again.
 */
void
awda_case_list_model_set_sort (AwdaCaseListModel *self,
                               AwdaCaseSort       sort,
                               gboolean           reversed)
{
  gboolean sort_changed, reversed_changed;

  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));
  g_return_if_fail (sort <= AWDA_CASE_SORT_OPENED);

  reversed = !!reversed;
  sort_changed = self->criteria.sort != sort;
  reversed_changed = self->criteria.reversed != reversed;
  if (!sort_changed && !reversed_changed)
    return;

  self->criteria.sort = sort;
  self->criteria.reversed = reversed;
  queue_query (self);

  if (sort_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
  if (reversed_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_REVERSED]);
}

/**
 * awda_case_list_model_is_filtered:
 * @self: a #AwdaCaseListModel
 *
 * Returns: whether a search or a filter leaves cases out
 */
gboolean
awda_case_list_model_is_filtered (AwdaCaseListModel *self)
{
  const Criteria *c;

  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), FALSE);

  c = &self->criteria;
  return c->search != NULL || c->status != NULL || c->governorate != NULL
         || c->programme != NULL || c->caseworker != NULL
         || c->vulnerability != NULL || c->overdue;
}

/**
 * awda_case_list_model_refresh:
 * @self: a #AwdaCaseListModel
 *
 * Runs the query again, after the cases changed.
 */
void
awda_case_list_model_refresh (AwdaCaseListModel *self)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  /* The lists read before may be wrong now, whatever the data stamp says. */
  g_ptr_array_set_size (self->known, 0);
  queue_query (self);
}

gboolean
awda_case_list_model_get_loading (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), FALSE);

  return self->loading;
}

gboolean
awda_case_list_model_get_complete (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), FALSE);

  return self->complete;
}

/**
 * awda_case_list_model_reload_case:
 * @self: a #AwdaCaseListModel
 * @case_id: a case that was changed
 *
 * Reads @case_id's row again when its item is in use, so that the list
 * shows its changes (back from the case editor) without a query, which
 * would take the view back to the top. The item is updated in place
 * (::changed), and the position reported changed.
 */
void
awda_case_list_model_reload_case (AwdaCaseListModel *self,
                                  const char        *case_id)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));
  g_return_if_fail (case_id != NULL);

  g_hash_table_iter_init (&iter, self->alive);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      AwdaCaseItem *item = value;
      g_autoptr(GPtrArray) fresh = NULL;
      g_autoptr(GError) error = NULL;
      gint64 rowid;

      if (GPOINTER_TO_UINT (key) >= n_rows (self) || g_strcmp0 (awda_case_item_get_id (item), case_id) != 0)
        continue;

      rowid = awda_case_item_get_rowid (item);
      fresh = read_items (self->store, &rowid, 1, &error);
      if (fresh == NULL)
        {
          g_debug ("Could not read the case %s again: %s", case_id, error->message);
          return;
        }
      if (awda_case_item_update (item, g_ptr_array_index (fresh, 0)))
        g_list_model_items_changed (G_LIST_MODEL (self), GPOINTER_TO_UINT (key), 1, 1);
      return;
    }
}

/**
 * awda_case_list_model_get_page_reads:
 * @self: a #AwdaCaseListModel
 * @n_reads: (out): how many pages were read on the main thread
 * @microseconds: (out): how long they took in all
 *
 * For AWDA_PROFILE.
 */
void
awda_case_list_model_get_page_reads (AwdaCaseListModel *self,
                                     guint             *n_reads,
                                     gint64            *microseconds)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  *n_reads = self->n_page_reads;
  *microseconds = self->page_read_us;
}

/**
 * awda_case_list_model_get_n_cached_pages:
 * @self: a #AwdaCaseListModel
 *
 * Returns: how many pages of rows are held in memory (for tests: it stays
 *   small however long the list is)
 */
guint
awda_case_list_model_get_n_cached_pages (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}

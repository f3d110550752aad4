/* awda-case-list-model.c: the cases matching a search, as a list backed by SQL
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A query gives the ordered rowids of the matching cases; the rows are
 * read a page at a time when the view asks for them, and only the pages
 * seen last are kept, so that a million cases cost eight bytes each.
 *
 * Queries run on a worker thread with a connection of their own (WAL lets
 * readers run beside the writer), so that typing in the search never
 * waits on the disk. A newer query cancels the older one, and only the
 * newest result is ever shown: it replaces the whole list with one
 * items-changed. The first page comes back with the rowids, so that the
 * rows in view appear without another trip to the disk.
 */

#define G_LOG_DOMAIN "awda-case-list-model"

#include "config.h"

#include "awda-case-item.h"
#include "awda-case-list-model.h"

/* Pages kept: enough for a few screens, bounded whatever the list's length. */
#define MAX_CACHED_PAGES 16

/* Idle reader connections kept for the next query. */
#define MAX_IDLE_READERS 2

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

  return awda_store_open (pool->path, error);
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

/* A query, from the main thread to a worker and back. */

typedef struct
{
  ReaderPool *pool;
  char       *search;
  char       *status;
} QueryJob;

typedef struct
{
  GArray    *rowids;      /* gint64 */
  GPtrArray *first_page;  /* AwdaCaseItem */
} QueryResult;

typedef struct
{
  GWeakRef model;
  guint    serial;
} QueryCallback;

static void
query_job_free (QueryJob *job)
{
  reader_pool_unref (job->pool);
  g_free (job->search);
  g_free (job->status);
  g_free (job);
}

static void
query_result_free (QueryResult *result)
{
  g_clear_pointer (&result->rowids, g_array_unref);
  g_clear_pointer (&result->first_page, g_ptr_array_unref);
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
    .search = job->search,
    .status = job->status,
    .sort = AWDA_CASE_SORT_NEWEST,
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
  result->rowids = awda_store_query_cases (store, &query, &error);
  if (result->rowids != NULL && !g_cancellable_is_cancelled (cancellable))
    result->first_page = read_items (store,
                                     (const gint64 *) (gpointer) result->rowids->data,
                                     MIN (result->rowids->len, AWDA_CASE_LIST_PAGE_SIZE),
                                     &error);

  reader_pool_give (job->pool, g_steal_pointer (&store));

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
  GPtrArray *items;  /* AwdaCaseItem */
  guint64    used;   /* when it was last asked for, for eviction */
} Page;

struct _AwdaCaseListModel
{
  GObject       parent_instance;

  /* owned */
  AwdaStore    *store;       /* the application's connection: pages are read with it */
  ReaderPool   *pool;        /* connections for queries */
  GCancellable *cancellable; /* the query running, if any */
  GArray       *rowids;      /* gint64: the rows listed, in order */
  GHashTable   *pages;       /* page number → Page */
  GError       *error;       /* why the last query failed */
  char         *search;
  char         *status;

  guint64       clock;       /* ticks at each page read, for eviction */
  guint         serial;      /* of the newest query */
  guint         loading : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  PROP_STATUS,
  PROP_LOADING,
  PROP_N_ITEMS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);
static void set_error            (AwdaCaseListModel   *self,
                                  const GError        *error);

G_DEFINE_FINAL_TYPE_WITH_CODE (AwdaCaseListModel, awda_case_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static guint
n_rows (AwdaCaseListModel *self)
{
  return self->rowids != NULL ? self->rowids->len : 0;
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

static Page *
get_page (AwdaCaseListModel *self,
          guint              number)
{
  g_autoptr(GError) error = NULL;
  const gint64 *rowids;
  GPtrArray *items;
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

  /* A page of rows by their rowids is a read of a few pages of the
   * database, well under a frame: done here, where the view asks. */
  items = read_items (self->store, rowids + start, count, &error);
  if (items == NULL)
    {
      g_warning ("Could not read cases %u to %u of the list: %s",
                 start + 1, start + count, error->message);
      set_error (self, error);
      items = g_ptr_array_new_full (count, g_object_unref);
      for (guint i = 0; i < count; i++)
        g_ptr_array_add (items, awda_case_item_new_missing (rowids[start + i]));
    }

  add_page (self, number, items);

  return g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
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

static void
apply_result (AwdaCaseListModel *self,
              QueryResult       *result)
{
  guint removed = n_rows (self);
  guint added = result->rowids->len;

  g_clear_pointer (&self->rowids, g_array_unref);
  self->rowids = g_steal_pointer (&result->rowids);
  g_hash_table_remove_all (self->pages);
  if (result->first_page != NULL && result->first_page->len > 0)
    add_page (self, 0, g_steal_pointer (&result->first_page));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
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

  g_weak_ref_clear (&callback->model);
  g_free (callback);

  result = g_task_propagate_pointer (G_TASK (async_result), &error);

  /* Gone, or overtaken by a newer query: nothing to show. */
  if (self == NULL || serial != self->serial
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&result, query_result_free);
      return;
    }

  g_clear_object (&self->cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  if (result != NULL)
    {
      apply_result (self, result);
      query_result_free (result);
      set_error (self, NULL);
    }
  else
    {
      g_debug ("Could not list the cases: %s", error->message);
      set_error (self, error);
    }
  set_loading (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
start_query (AwdaCaseListModel *self)
{
  g_autoptr(GTask) task = NULL;
  QueryCallback *callback;
  QueryJob *job;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->serial++;

  job = g_new0 (QueryJob, 1);
  job->pool = reader_pool_ref (self->pool);
  job->search = g_strdup (self->search);
  job->status = g_strdup (self->status);

  callback = g_new0 (QueryCallback, 1);
  g_weak_ref_init (&callback->model, self);
  callback->serial = self->serial;

  /* No source object: a task would keep the model alive until its
   * thread ends; the weak reference lets the model go at once. */
  task = g_task_new (NULL, self->cancellable, query_done_cb, callback);
  g_task_set_source_tag (task, start_query);
  g_task_set_name (task, "[awda] case list query");
  g_task_set_task_data (task, job, (GDestroyNotify) query_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, query_thread);

  set_loading (self, TRUE);
}

static void
awda_case_list_model_constructed (GObject *object)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (object);

  G_OBJECT_CLASS (awda_case_list_model_parent_class)->constructed (object);

  g_assert (AWDA_IS_STORE (self->store));
  self->pool = reader_pool_new (awda_store_get_path (self->store));

  start_query (self);
}

static void
awda_case_list_model_dispose (GObject *object)
{
  AwdaCaseListModel *self = AWDA_CASE_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->pages);
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
  g_clear_error (&self->error);
  g_free (self->search);
  g_free (self->status);

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
      g_value_set_string (value, self->search);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
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

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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

  /* What was typed in the search; NULL or empty lists every case. */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The stage listed (case.status); NULL lists every stage. */
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE while a query runs: the list still shows the previous result. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
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
}

/**
 * awda_case_list_model_new:
 * @store: the application's store; pages of rows are read with it
 *
 * The model starts listing every case at once.
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

/* Empty means none: an empty search or stage lists everything. */
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

/**
 * awda_case_list_model_set_query:
 * @self: a #AwdaCaseListModel
 * @search: (nullable): free text, as typed
 * @status: (nullable): a stage (case.status value)
 *
 * Lists the cases matching both. The list changes when the query has
 * run, in one items-changed; a query that changes nothing does not run.
 */
void
awda_case_list_model_set_query (AwdaCaseListModel *self,
                                const char        *search,
                                const char        *status)
{
  gboolean search_changed, status_changed;

  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  search_changed = set_criterion (&self->search, search);
  status_changed = set_criterion (&self->status, status);
  if (!search_changed && !status_changed)
    return;

  start_query (self);

  if (search_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
  if (status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
awda_case_list_model_get_search (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->search;
}

void
awda_case_list_model_set_search (AwdaCaseListModel *self,
                                 const char        *search)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  awda_case_list_model_set_query (self, search, self->status);
}

const char *
awda_case_list_model_get_status (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), NULL);

  return self->status;
}

void
awda_case_list_model_set_status (AwdaCaseListModel *self,
                                 const char        *status)
{
  g_return_if_fail (AWDA_IS_CASE_LIST_MODEL (self));

  awda_case_list_model_set_query (self, self->search, status);
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

  start_query (self);
}

gboolean
awda_case_list_model_get_loading (AwdaCaseListModel *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_LIST_MODEL (self), FALSE);

  return self->loading;
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

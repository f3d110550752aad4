/* awda-store.h: the case store, its site identity and its one write API
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "awda-dictionary.h"

G_BEGIN_DECLS

#define AWDA_STORE_ERROR (awda_store_error_quark ())

typedef enum
{
  AWDA_STORE_ERROR_INVALID,          /* refused input: bad value, unknown field */
  AWDA_STORE_ERROR_NOT_FOUND,        /* unknown record */
  AWDA_STORE_ERROR_EXISTS,           /* creating over an existing database */
  AWDA_STORE_ERROR_NOT_INITIALIZED,  /* no database, or no site identity */
  AWDA_STORE_ERROR_TOO_NEW,          /* written by a newer Awda */
  AWDA_STORE_ERROR_STORAGE,          /* SQLite or the disk failed */
} AwdaStoreError;

GQuark awda_store_error_quark (void);

typedef struct
{
  char *id;           /* 32 lowercase hex digits: 128 random bits */
  char *name;
  char *kind;         /* central, regional or field */
  char *governorate;  /* TN-xx, or NULL */
} AwdaSite;

/* A record as read: values[i] belongs to entity->fields[i], NULL when unset.
 * Values are in canonical text form, as awda_field_normalize() returns. */
typedef struct
{
  const AwdaEntity  *entity;
  gint64             rowid;   /* local only, never exchanged */
  char              *id;
  gboolean           deleted;
  char             **values;
} AwdaRecord;

void        awda_record_free  (AwdaRecord *record);
const char *awda_record_get   (const AwdaRecord *record,
                               const char       *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaRecord, awda_record_free)

/* An edit: some fields of one record, applied at once or not at all.
 * awda_edit_new() with a %NULL record creates a new record with a fresh
 * id; with an id, it changes that existing record. awda_edit_new_with_id()
 * creates a record under a given id (deterministic demo data). */
typedef struct _AwdaEdit AwdaEdit;

AwdaEdit   *awda_edit_new         (const char *entity,
                                   const char *record);
AwdaEdit   *awda_edit_new_with_id (const char *entity,
                                   const char *id);
void        awda_edit_set         (AwdaEdit   *edit,
                                   const char *field,
                                   const char *value);
const char *awda_edit_get_entity  (AwdaEdit   *edit);
const char *awda_edit_get_record  (AwdaEdit   *edit);
guint       awda_edit_get_n_changes (AwdaEdit *edit);
void        awda_edit_free        (AwdaEdit   *edit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaEdit, awda_edit_free)

typedef enum
{
  AWDA_CASE_SORT_NEWEST,   /* the most recently created first */
  AWDA_CASE_SORT_NAME,     /* family name, then given name, either script */
  AWDA_CASE_SORT_STATUS,   /* stage order */
  AWDA_CASE_SORT_GOVERNORATE,
  AWDA_CASE_SORT_OPENED,   /* opened on, the most recent first */
} AwdaCaseSort;

typedef struct
{
  const char   *search;       /* free text, prefix matched and folded; NULL: all */
  const char   *status;       /* NULL: any */
  const char   *governorate;  /* NULL: any */
  const char   *programme;    /* return programme id, NULL: any */
  const char   *caseworker;   /* staff id, NULL: any */
  const char   *vulnerability;/* a vuln_* field that must be true, NULL: any */
  const char   *today;        /* with overdue: the date of today, YYYY-MM-DD */
  gboolean      overdue;      /* only cases with a follow-up not done and due before today */
  AwdaCaseSort  sort;
  gboolean      reversed;
  guint         limit;        /* 0: no limit */
} AwdaCaseQuery;

typedef gint64 (*AwdaWallClock) (gpointer user_data);

/* An AwdaStore, and the SQLite connection it holds, is used by one thread
 * at a time: a worker thread opens its own (awda_store_open_reader()) or
 * is handed one that no other thread uses meanwhile. */
#define AWDA_TYPE_STORE (awda_store_get_type ())

G_DECLARE_FINAL_TYPE (AwdaStore, awda_store, AWDA, STORE, GObject)

char           *awda_store_default_path   (void);

AwdaStore      *awda_store_open           (const char     *path,
                                           GError        **error);
/* Whether opening the database at @path will first bring it up to date
 * (a migration of its schema) or build again the indexes a bulk load left
 * dropped: minutes on a large database, worth saying before they start.
 * Reads the file without writing; FALSE when it cannot tell. */
gboolean        awda_store_needs_upgrade  (const char     *path);

/* awda_store_open() in a worker thread, for a window that must not freeze
 * meanwhile: opening may bring an older database up to date, or build the
 * indexes a bulk load left dropped, which on a large database takes a
 * while. The store is then the caller's, for its own thread. */
void            awda_store_open_async     (const char           *path,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
AwdaStore      *awda_store_open_finish    (GAsyncResult         *result,
                                           GError              **error);
AwdaStore      *awda_store_open_reader    (const char     *path,
                                           GError        **error);
AwdaStore      *awda_store_create         (const char     *path,
                                           const char     *site_name,
                                           const char     *site_kind,
                                           const char     *governorate,
                                           GError        **error);
/* Like awda_store_create() with a given site id (32 hex digits), for tests
 * that need two installations with the same identity. */
AwdaStore      *awda_store_create_with_id (const char     *path,
                                           const char     *site_id,
                                           const char     *site_name,
                                           const char     *site_kind,
                                           const char     *governorate,
                                           GError        **error);
const char     *awda_store_get_path       (AwdaStore      *self);
const AwdaSite *awda_store_get_site       (AwdaStore      *self);

/* For tests: the wall clock, in milliseconds since the epoch. */
void            awda_store_set_wall_clock (AwdaStore      *self,
                                           AwdaWallClock   clock,
                                           gpointer        user_data);
guint64         awda_store_get_last_hlc   (AwdaStore      *self);

/* Writes: validated against the dictionary and stamped in the change log,
 * all in one transaction; nothing is written when any value is refused. */
gboolean        awda_store_apply          (AwdaStore      *self,
                                           AwdaEdit       *edit,
                                           GError        **error);

/* Groups many applies in one transaction (bulk loads). */
gboolean        awda_store_begin          (AwdaStore      *self,
                                           GError        **error);
gboolean        awda_store_commit         (AwdaStore      *self,
                                           GError        **error);
void            awda_store_rollback       (AwdaStore      *self);

/* Reads */
AwdaRecord     *awda_store_get_record     (AwdaStore      *self,
                                           const char     *entity,
                                           const char     *id,
                                           GError        **error);
/* (element-type AwdaRecord): live records of @entity whose parent_field is @case_id */
GPtrArray      *awda_store_list_children  (AwdaStore      *self,
                                           const char     *entity,
                                           const char     *case_id,
                                           GError        **error);
/* (element-type AwdaRecord): every live record of @entity, reference data mostly */
GPtrArray      *awda_store_list_records   (AwdaStore      *self,
                                           const char     *entity,
                                           GError        **error);

/* Case list: the ordered rowids of the matching live cases, then the rows
 * themselves, a page at a time. */
GArray         *awda_store_query_cases    (AwdaStore      *self,
                                           const AwdaCaseQuery *query,
                                           GError        **error);
GArray         *awda_store_query_cases_full (AwdaStore    *self,
                                           const AwdaCaseQuery *query,
                                           GCancellable  *cancellable,
                                           GError        **error);
guint64         awda_store_get_data_stamp (AwdaStore      *self);
GPtrArray      *awda_store_fetch_cases    (AwdaStore      *self,
                                           const gint64   *rowids,
                                           guint           n_rowids,
                                           GError        **error);
gint64          awda_store_count_cases    (AwdaStore      *self,
                                           GError        **error);

/* History: every change to a case and its child records, newest first. */
typedef struct
{
  char    *entity;
  char    *record;
  char    *field;
  char    *value;      /* NULL: cleared */
  char    *old_value;  /* the value it replaced, NULL when none */
  guint64  hlc;
  char    *site_id;
  char    *site_name;
} AwdaHistoryEntry;

void       awda_history_entry_free (AwdaHistoryEntry *entry);
/* (element-type AwdaHistoryEntry) */
GPtrArray *awda_store_get_history  (AwdaStore      *self,
                                    const char     *case_id,
                                    GError        **error);

/* The canonical dump: entity, record, field, value lines, sorted. */
gboolean        awda_store_dump           (AwdaStore      *self,
                                           GOutputStream  *out,
                                           GError        **error);

/* PRAGMA integrity_check and the store's own invariants; problems found
 * are added to @problems as sentences. */
gboolean        awda_store_check          (AwdaStore      *self,
                                           GPtrArray      *problems,
                                           GError        **error);

G_END_DECLS

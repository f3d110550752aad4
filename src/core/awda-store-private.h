/* awda-store-private.h: what the sync and the queries need of the store
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "awda-store.h"

G_BEGIN_DECLS

/* One field change as exchanged between sites. Site ids are hex. */
typedef struct
{
  const char *origin;
  gint64      seq;
  const char *entity;
  const char *record;
  const char *field;
  const char *value;      /* NULL: cleared */
  guint64     hlc;
  guint64     base_hlc;   /* 0 and base_site NULL: no base */
  const char *base_site;
} AwdaChange;

typedef enum
{
  AWDA_MERGE_APPLIED,   /* new, and now part of the replica */
  AWDA_MERGE_PRESENT,   /* (origin, seq) was already held */
  AWDA_MERGE_CONFLICT,  /* new, and a concurrent value is kept as a conflict */
} AwdaMergeOutcome;

sqlite3       *awda_store_get_db              (AwdaStore          *self);
gint64         awda_store_get_local_site_num  (AwdaStore          *self);
gint64         awda_store_ensure_site         (AwdaStore          *self,
                                               const char         *site_id,
                                               const char         *name,
                                               GError            **error);
const char    *awda_store_site_id_for_num     (AwdaStore          *self,
                                               gint64              num);
gboolean       awda_store_observe_hlc         (AwdaStore          *self,
                                               guint64             remote_hlc,
                                               GError            **error);
guint64        awda_store_wall_hlc            (AwdaStore          *self);
gboolean       awda_store_in_transaction      (AwdaStore          *self);

/* A run of received changes, merged inside the store's transaction.
 * Each change's outcome is decided when it is added, but what the run
 * changed reaches the database only at flush (the run flushes by itself
 * when it holds many records): flush before reading the typed tables or
 * the log, and at the end. After an error the run is spoiled, and the
 * transaction must be rolled back. */
typedef struct _AwdaMergeRun AwdaMergeRun;

AwdaMergeRun  *awda_merge_run_new             (AwdaStore          *self);
gboolean       awda_merge_run_add             (AwdaMergeRun       *run,
                                               const AwdaChange   *change,
                                               AwdaMergeOutcome   *outcome,
                                               GError            **error);
gboolean       awda_merge_run_flush           (AwdaMergeRun       *run,
                                               GError            **error);
void           awda_merge_run_free            (AwdaMergeRun       *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaMergeRun, awda_merge_run_free)

/* One change merged on its own: a run of one. */
gboolean       awda_store_merge_change        (AwdaStore          *self,
                                               const AwdaChange   *change,
                                               AwdaMergeOutcome   *outcome,
                                               GError            **error);
gboolean       awda_store_resolve_conflict    (AwdaStore          *self,
                                               gint64              conflict_id,
                                               const char         *value,
                                               GError            **error);

/* Bulk loading: inside a transaction, drops the secondary indexes of an
 * entity's table (all but the id's), so that a load of many records
 * builds each once at the end, with awda_store_build_indexes(), rather
 * than keeping it row by row. Reads stay right meanwhile, only slower.
 * Should they not be built again (the process killed), the next
 * awda_store_open() builds them. */
gboolean       awda_store_drop_indexes        (AwdaStore          *self,
                                               const char         *entity,
                                               GError            **error);
/* Whether a bulk load dropped indexes of @table (NULL: of any table)
 * that wait to be built again; readers see it too. */
gboolean       awda_store_has_dropped_indexes (AwdaStore          *self,
                                               const char         *table);
gboolean       awda_store_build_indexes       (AwdaStore          *self,
                                               const char         *entity,
                                               GError            **error);

/* A cached prepared statement, reset and unbound; owned by the store. */
sqlite3_stmt  *awda_store_prepare             (AwdaStore          *self,
                                               const char         *sql,
                                               GError            **error);
gboolean       awda_store_exec                (AwdaStore          *self,
                                               const char         *sql,
                                               GError            **error);
/* Sets @error (AWDA_STORE_ERROR_STORAGE) from the last failure on the
 * connection. @what is a whole translated clause saying what could not
 * be done, such as _("Could not read the change log"), never an English
 * fragment: the cause (a full disk, another program holding the
 * database) and SQLite's message are appended to it. */
void           awda_store_set_sqlite_error    (AwdaStore          *self,
                                               GError            **error,
                                               const char         *what);
/* The same for a connection of its own (a reader's). */
void           awda_sqlite_set_error          (sqlite3            *db,
                                               GError            **error,
                                               const char         *what);

/* The column list of an entity's typed table, in dictionary order:
 * rowid, id, deleted, deleted__hlc, deleted__site, then for each field
 * its value, __hlc and __site. */
const char    *awda_store_entity_columns      (AwdaStore          *self,
                                               const AwdaEntity   *entity);
AwdaRecord    *awda_store_record_from_row     (const AwdaEntity   *entity,
                                               sqlite3_stmt       *stmt);
char          *awda_store_column_text         (const AwdaField    *field,
                                               sqlite3_stmt       *stmt,
                                               int                 column);

#define AWDA_FIELD_COLUMNS 3  /* value, __hlc, __site */
#define AWDA_FIRST_FIELD_COLUMN 5

G_END_DECLS

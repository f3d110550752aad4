/* awda-sync.h: exchange of sync bundles between installations
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "awda-bundle.h"
#include "awda-store.h"

G_BEGIN_DECLS

/* Changes stamped more than this ahead of our wall clock are quarantined. */
#define AWDA_SYNC_MAX_CLOCK_AHEAD_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

/* Called now and then from the thread doing the work, with 0 to 1. */
typedef void (*AwdaSyncProgressFunc) (double   fraction,
                                      gpointer user_data);

typedef struct
{
  char    *bundle_id;
  char    *to_site;       /* a site id, or AWDA_BUNDLE_TO_ALL */
  guint64  n_changes;
} AwdaSyncExport;

void awda_sync_export_free (AwdaSyncExport *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaSyncExport, awda_sync_export_free)

/* Writes to @path a bundle for the site @to_site (every change it is not
 * known to hold), or for any site when @to_site is %NULL (every change).
 * Moves no watermark: only a bundle received from the peer does. */
AwdaSyncExport *awda_sync_export (AwdaStore            *store,
                                  const char           *to_site,
                                  const char           *path,
                                  AwdaSyncProgressFunc  progress,
                                  gpointer              user_data,
                                  GCancellable         *cancellable,
                                  GError              **error);

typedef struct
{
  char    *bundle_id;
  char    *from_site;
  char    *from_name;
  guint64  n_changes;     /* in the bundle */
  guint64  applied;       /* new, applied (conflicts included) */
  guint64  present;       /* held already */
  guint64  conflicts;     /* applied, and a concurrent value kept */
  guint64  quarantined;   /* set aside: their clock is too far ahead */
  guint64  released;      /* set aside before, applied now */
} AwdaSyncImport;

void awda_sync_import_free (AwdaSyncImport *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaSyncImport, awda_sync_import_free)

/* Copies @path to a spool folder beside the database, checks it, then
 * applies it in one transaction: completely, or not at all. Importing a
 * bundle again changes nothing. A refused bundle gives an error in
 * AWDA_BUNDLE_ERROR that says what is wrong and where. */
AwdaSyncImport *awda_sync_import (AwdaStore            *store,
                                  const char           *path,
                                  AwdaSyncProgressFunc  progress,
                                  gpointer              user_data,
                                  GCancellable         *cancellable,
                                  GError              **error);

/* Lets tests shrink the reader's caps (NULL: the defaults). */
void awda_sync_set_limits (AwdaStore              *store,
                           const AwdaBundleLimits *limits);

typedef struct
{
  char    *origin;
  char    *origin_name;
  gint64   seq;
} AwdaSyncVectorEntry;

typedef struct
{
  char      *id;
  char      *name;
  char      *last_in_at;      /* ISO 8601, NULL: never */
  char      *last_in_bundle;
  char      *last_out_at;     /* addressed to this site */
  char      *last_out_bundle;
  GPtrArray *acknowledged;    /* (element-type AwdaSyncVectorEntry) */
  guint64    pending;         /* changes it is not known to hold */
  guint64    quarantined;     /* changes from it set aside */
} AwdaSyncPeer;

void       awda_sync_peer_free  (AwdaSyncPeer *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaSyncPeer, awda_sync_peer_free)

/* (element-type AwdaSyncPeer): every other site we know of. */
GPtrArray *awda_sync_list_peers (AwdaStore  *store,
                                 GError    **error);

/* (element-type AwdaSyncVectorEntry): our own vector. */
GPtrArray *awda_sync_get_vector (AwdaStore  *store,
                                 GError    **error);

typedef struct
{
  gint64   id;
  char    *entity;
  char    *record;
  char    *field;
  char    *current_value;   /* NULL: cleared */
  char    *current_site;
  char    *current_site_name;
  guint64  current_hlc;
  char    *kept_value;      /* NULL: cleared */
  char    *kept_site;
  char    *kept_site_name;
  guint64  kept_hlc;
} AwdaSyncConflict;

void       awda_sync_conflict_free   (AwdaSyncConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaSyncConflict, awda_sync_conflict_free)

/* (element-type AwdaSyncConflict) */
GPtrArray *awda_sync_list_conflicts  (AwdaStore  *store,
                                      GError    **error);

typedef enum
{
  AWDA_SYNC_KEEP_CURRENT,
  AWDA_SYNC_KEEP_OTHER,
  AWDA_SYNC_KEEP_VALUE,
} AwdaSyncResolution;

/* An ordinary write of the chosen value, which supersedes the conflict
 * everywhere it syncs to. */
gboolean   awda_sync_resolve_conflict (AwdaStore           *store,
                                       gint64               conflict_id,
                                       AwdaSyncResolution   resolution,
                                       const char          *value,
                                       GError             **error);

typedef struct
{
  char    *origin;
  gint64   seq;
  char    *entity;
  char    *record;
  char    *field;
  char    *value;
  guint64  hlc;
  char    *sender;
  char    *received_at;
  char    *reason;      /* a sentence, translated */
} AwdaSyncQuarantined;

void       awda_sync_quarantined_free (AwdaSyncQuarantined *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaSyncQuarantined, awda_sync_quarantined_free)

/* (element-type AwdaSyncQuarantined) */
GPtrArray *awda_sync_list_quarantine  (AwdaStore  *store,
                                       GError    **error);

G_END_DECLS

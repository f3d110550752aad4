/* awda-attachments.h: files attached to a case, kept in a content-addressed blob store
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "awda-store.h"

G_BEGIN_DECLS

#define AWDA_ATTACHMENT_ERROR (awda_attachment_error_quark ())

typedef enum
{
  AWDA_ATTACHMENT_ERROR_TOO_LARGE, /* over AWDA_ATTACHMENT_MAX_SIZE */
  AWDA_ATTACHMENT_ERROR_MISSING,   /* the content is not on this computer */
  AWDA_ATTACHMENT_ERROR_DAMAGED,   /* the stored content no longer matches its SHA-256 */
} AwdaAttachmentError;

GQuark awda_attachment_error_quark (void);

/* The largest file that can be attached: 50 MB (as g_format_size() shows
 * it, in SI units). */
#define AWDA_ATTACHMENT_MAX_SIZE (G_GUINT64_CONSTANT (50) * 1000 * 1000)

/* The content of a file lives once, whatever the number of cases or
 * attachments that hold it, at <database folder>/awda-blobs/ab/cdef…
 * named by its SHA-256 (64 lowercase hex digits; the first two name the
 * folder). A blob is written to a temporary file, synced, then renamed,
 * so that it is either whole or absent; it is made read-only. Blobs are
 * never deleted by the sync. Sync bundles do not carry blobs yet: on
 * another installation the attachment record arrives without its
 * content, and awda_attachments_open() says so
 * (AWDA_ATTACHMENT_ERROR_MISSING). */

/* The folder of the blobs of @store (transfer full). */
char       *awda_attachments_get_blob_dir (AwdaStore   *store);
/* Where the blob of a SHA-256 is, or would be (transfer full). */
char       *awda_attachments_get_blob_path (AwdaStore  *store,
                                            const char *sha256);

/* Copies @file into the blob store (or finds its content already there)
 * and records an attachment of @case_id: file_name, media_type, size and
 * sha256, in one awda_store_apply() edit. Returns the new attachment's id
 * (transfer full). Refuses a file over AWDA_ATTACHMENT_MAX_SIZE. */
char       *awda_attachments_add          (AwdaStore     *store,
                                           const char    *case_id,
                                           GFile         *file,
                                           GCancellable  *cancellable,
                                           GError       **error);
/* The same, with the copy and its checksum in a worker thread and the
 * record written in the calling thread (the store's) when they are done,
 * unless @cancellable was cancelled by then. A blob copied before a
 * cancellation stays, as harmless as any other. */
void        awda_attachments_add_async    (AwdaStore           *store,
                                           const char          *case_id,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* The new attachment's id (transfer full), or NULL with @error. */
char       *awda_attachments_add_finish   (AwdaStore           *store,
                                           GAsyncResult        *result,
                                           GError             **error);

/* The path of the attachment's content, after checking that it is there
 * and that it still matches its SHA-256 (transfer full). The file is
 * read-only: open it, never change it. */
char       *awda_attachments_open         (AwdaStore     *store,
                                           const char    *attachment_id,
                                           GCancellable  *cancellable,
                                           GError       **error);
/* The same, with the checksum in a worker thread. */
void        awda_attachments_open_async   (AwdaStore           *store,
                                           const char          *attachment_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char       *awda_attachments_open_finish  (AwdaStore           *store,
                                           GAsyncResult        *result,
                                           GError             **error);

/* (element-type AwdaRecord): the live attachments of a case. */
GPtrArray  *awda_attachments_list         (AwdaStore     *store,
                                           const char    *case_id,
                                           GError       **error);

/* Whether the content of @sha256 is on this computer (not verified). */
gboolean    awda_attachments_has_blob     (AwdaStore     *store,
                                           const char    *sha256);

G_END_DECLS

/* awda-bundle.h: the sync bundle file, written and read as a stream
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A bundle is gzip-compressed XML in this namespace, described by
 * data/awda-bundle.xsd:
 *
 *   <bundle xmlns="urn:awda:bundle:1" format="1">
 *     <header id="UUID" created="HLC">
 *       <from site="SITE_ID" name="NAME"/>
 *       <to site="SITE_ID or *"/>
 *       <site id="SITE_ID" name="NAME"/>            any number
 *       <have origin="SITE_ID" seq="N"/>            any number
 *     </header>
 *     <changes>
 *       <change origin="SITE_ID" seq="N" entity="E" record="UUID" field="F"
 *               hlc="HLC" base-hlc="HLC" base-site="SITE_ID">value</change>
 *       <change … cleared="true"/>                  a cleared field
 *     </changes>
 *     <trailer count="N"/>
 *   </bundle>
 */
#define AWDA_BUNDLE_NAMESPACE "urn:awda:bundle:1"
#define AWDA_BUNDLE_FORMAT 1
#define AWDA_BUNDLE_TO_ALL "*"

#define AWDA_BUNDLE_ERROR (awda_bundle_error_quark ())

typedef enum
{
  AWDA_BUNDLE_ERROR_CORRUPT,    /* not gzip, truncated, bad checksum */
  AWDA_BUNDLE_ERROR_MALFORMED,  /* not well-formed XML */
  AWDA_BUNDLE_ERROR_UNSAFE,     /* DOCTYPE, entity, or beyond a cap */
  AWDA_BUNDLE_ERROR_INVALID,    /* well-formed but not a valid bundle */
  AWDA_BUNDLE_ERROR_VERSION,    /* another namespace or format version */
  AWDA_BUNDLE_ERROR_REFUSED,    /* valid, but not for this installation */
} AwdaBundleError;

GQuark awda_bundle_error_quark (void);

/* Limits on what a reader accepts, beyond which a bundle is refused. */
typedef struct
{
  guint64 max_inflated;        /* bytes of XML in all */
  guint   max_ratio;           /* inflated bytes per compressed byte, past a first slack */
  guint64 ratio_slack;         /* bytes inflated before the ratio applies */
  guint   max_depth;           /* element nesting */
  guint   max_attributes;      /* per element */
  gsize   max_text;            /* bytes of one text, attribute value or tag */
} AwdaBundleLimits;

void awda_bundle_limits_init_default (AwdaBundleLimits *limits);

typedef struct
{
  char *id;
  char *name;     /* may be NULL */
} AwdaBundleSite;

typedef struct
{
  char    origin[33];
  guint64 seq;              /* highest contiguous sequence held */
} AwdaBundleHave;

typedef struct
{
  char      *id;            /* the bundle's UUID */
  guint64    created;       /* the sender's HLC when it wrote the bundle */
  char      *from_site;
  char      *from_name;
  char      *to_site;       /* a site id, or AWDA_BUNDLE_TO_ALL */
  GPtrArray *sites;         /* (element-type AwdaBundleSite) other sites named in the bundle */
  GArray    *have;          /* (element-type AwdaBundleHave) the sender's vector */
} AwdaBundleHeader;

AwdaBundleHeader *awda_bundle_header_new  (void);
void              awda_bundle_header_free (AwdaBundleHeader *header);
void              awda_bundle_header_add_site (AwdaBundleHeader *header,
                                               const char       *id,
                                               const char       *name);
void              awda_bundle_header_add_have (AwdaBundleHeader *header,
                                               const char       *origin,
                                               guint64           seq);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaBundleHeader, awda_bundle_header_free)

/* One change; the same fields as the store's AwdaChange. */
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
} AwdaBundleChange;

gboolean awda_bundle_is_site_id (const char *text);

/* Writer: everything goes to a temporary file beside @path, which takes
 * the name @path only when finish() has written, flushed and synced it
 * all. Freed unfinished, the writer removes its temporary file. */
typedef struct _AwdaBundleWriter AwdaBundleWriter;

AwdaBundleWriter *awda_bundle_writer_new        (const char             *path,
                                                 const AwdaBundleHeader *header,
                                                 GError                **error);
gboolean          awda_bundle_writer_add        (AwdaBundleWriter       *writer,
                                                 const AwdaBundleChange *change,
                                                 GError                **error);
gboolean          awda_bundle_writer_finish     (AwdaBundleWriter       *writer,
                                                 GError                **error);
guint64           awda_bundle_writer_get_count  (AwdaBundleWriter       *writer);
void              awda_bundle_writer_free       (AwdaBundleWriter       *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaBundleWriter, awda_bundle_writer_free)

/* Reader: streams the file, checking as it goes. read_header() first,
 * then next() until it returns FALSE: with @error unset, the bundle was
 * read to its end and every check passed (trailer count, gzip checksum,
 * nothing after the end). */
typedef struct _AwdaBundleReader AwdaBundleReader;

AwdaBundleReader       *awda_bundle_reader_new          (const char             *path,
                                                         const AwdaBundleLimits *limits,
                                                         GError                **error);
const AwdaBundleHeader *awda_bundle_reader_read_header  (AwdaBundleReader       *reader,
                                                         GError                **error);
gboolean                awda_bundle_reader_next         (AwdaBundleReader       *reader,
                                                         AwdaBundleChange       *change,
                                                         GError                **error);
/* Where the last change read starts, for messages. */
int                     awda_bundle_reader_get_line     (AwdaBundleReader       *reader);
/* 0 to 1: how much of the compressed file was read. */
double                  awda_bundle_reader_get_fraction (AwdaBundleReader       *reader);
guint64                 awda_bundle_reader_get_count    (AwdaBundleReader       *reader);
void                    awda_bundle_reader_free         (AwdaBundleReader       *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaBundleReader, awda_bundle_reader_free)

/* Reads the whole gzip stream of @path without parsing it: the checksum,
 * the inflated size cap and the end of the file. */
gboolean awda_bundle_verify_gzip (const char             *path,
                                  const AwdaBundleLimits *limits,
                                  GCancellable           *cancellable,
                                  GError                **error);

G_END_DECLS

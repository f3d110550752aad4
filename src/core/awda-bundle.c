/* awda-bundle.c: the sync bundle file, written and read as a stream
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bundle comes from another office on a USB stick or by e-mail: it is
 * untrusted input. The reader inflates it with zlib itself, under a cap on
 * the inflated size and on the compression ratio, and runs every inflated
 * byte through a small scanner before libxml2 sees it: the scanner refuses
 * any markup declaration (<!DOCTYPE, <!ENTITY …), any entity reference but
 * XML's own five, over-long tags, texts, comments and start tags with too
 * many attributes. So the parser never meets a DTD, and its own limits
 * (no XML_PARSE_HUGE) stay a second line. The structure is then checked
 * node by node as the xmlTextReader streams, which is what
 * data/awda-bundle.xsd describes.
 */

#define G_LOG_DOMAIN "awda-bundle"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "awda-bundle.h"
#include "awda-bundle-private.h"
#include "awda-dictionary.h"

G_DEFINE_QUARK (awda-bundle-error-quark, awda_bundle_error)

#define XMLNS_NAMESPACE "http://www.w3.org/2000/xmlns/"
#define COMPRESSED_CHUNK (256 * 1024)
#define WRITER_FLUSH_AT (128 * 1024)
/* Level 1 compresses our XML about sixfold, at several times the speed of
 * the default level: export time is dominated by deflate otherwise. */
#define WRITER_COMPRESSION_LEVEL 1

void
awda_bundle_limits_init_default (AwdaBundleLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_inflated = G_GUINT64_CONSTANT (16) << 30;
  /* Our bundles compress ten- to thirtyfold; deflate's most is about
   * a thousandfold, which is what a bomb uses. */
  limits->max_ratio = 200;
  limits->ratio_slack = 4 << 20;
  limits->max_depth = 3;
  limits->max_attributes = 16;
  /* A long text field holds 100,000 characters: up to 400 kB of UTF-8,
   * and five times that when every character is escaped as &amp;. */
  limits->max_text = 2 << 20;
}

gboolean
awda_bundle_is_site_id (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < 32; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return text[32] == '\0';
}

/* Header */

AwdaBundleHeader *
awda_bundle_header_new (void)
{
  AwdaBundleHeader *header = g_new0 (AwdaBundleHeader, 1);

  header->sites = g_ptr_array_new ();
  header->have = g_array_new (FALSE, FALSE, sizeof (AwdaBundleHave));
  return header;
}

void
awda_bundle_header_free (AwdaBundleHeader *header)
{
  if (header == NULL)
    return;

  for (guint i = 0; i < header->sites->len; i++)
    {
      AwdaBundleSite *site = g_ptr_array_index (header->sites, i);

      g_free (site->id);
      g_free (site->name);
      g_free (site);
    }
  g_ptr_array_unref (header->sites);
  g_array_unref (header->have);
  g_free (header->id);
  g_free (header->from_site);
  g_free (header->from_name);
  g_free (header->to_site);
  g_free (header);
}

void
awda_bundle_header_add_site (AwdaBundleHeader *header,
                             const char       *id,
                             const char       *name)
{
  AwdaBundleSite *site;

  g_return_if_fail (header != NULL);
  g_return_if_fail (awda_bundle_is_site_id (id));

  site = g_new0 (AwdaBundleSite, 1);
  site->id = g_strdup (id);
  site->name = g_strdup (name);
  g_ptr_array_add (header->sites, site);
}

void
awda_bundle_header_add_have (AwdaBundleHeader *header,
                             const char       *origin,
                             guint64           seq)
{
  AwdaBundleHave have;

  g_return_if_fail (header != NULL);
  g_return_if_fail (awda_bundle_is_site_id (origin));

  memcpy (have.origin, origin, 33);
  have.seq = seq;
  g_array_append_val (header->have, have);
}

/* Writer */

/* A test hook, set before the writers it affects start. */
static gint64 write_limit = -1;

void
awda_bundle_set_write_limit (gint64 limit)
{
  write_limit = limit;
}

struct _AwdaBundleWriter
{
  char     *path;
  char     *tmp_path;
  int       fd;
  z_stream  zs;
  gboolean  zs_ready;
  GString  *buf;
  guchar   *out;
  guint64   written;
  guint64   count;
  gboolean  finished;
};

/* @format takes the file name, then the system's reason. */
#define set_io_error(error, saved_errno, format, path) \
  G_STMT_START { \
    int errno_ = (saved_errno); \
    g_autofree char *display_ = g_filename_display_name (path); \
    g_set_error ((error), G_IO_ERROR, g_io_error_from_errno (errno_), \
                 format, display_, g_strerror (errno_)); \
  } G_STMT_END

static gboolean
write_all (AwdaBundleWriter *self,
           const guchar     *data,
           gsize             len,
           GError          **error)
{
  gint64 limit = write_limit;

  while (len > 0)
    {
      gssize n;
      gsize chunk = len;

      if (limit >= 0)
        {
          if ((gint64) self->written >= limit)
            {
              errno = ENOSPC;
              n = -1;
              goto failed;
            }
          chunk = MIN (chunk, (gsize) (limit - (gint64) self->written));
        }

      n = write (self->fd, data, chunk);
    failed:
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          set_io_error (error, errno, _("Could not write the bundle “%s”: %s."), self->path);
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
      self->written += (guint64) n;
    }

  return TRUE;
}

static gboolean
writer_deflate (AwdaBundleWriter *self,
                int               flush,
                GError          **error)
{
  self->zs.next_in = (Bytef *) self->buf->str;
  self->zs.avail_in = (uInt) self->buf->len;

  for (;;)
    {
      int ret;

      self->zs.next_out = self->out;
      self->zs.avail_out = COMPRESSED_CHUNK;
      ret = deflate (&self->zs, flush);
      if (ret == Z_STREAM_ERROR)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Could not compress the bundle “%s”."), self->path);
          return FALSE;
        }
      if (!write_all (self, self->out, COMPRESSED_CHUNK - self->zs.avail_out, error))
        return FALSE;
      if (flush == Z_FINISH ? ret == Z_STREAM_END : self->zs.avail_out != 0)
        break;
    }

  g_string_truncate (self->buf, 0);
  return TRUE;
}

static void
append_u64 (GString *s,
            guint64  n)
{
  char digits[24];
  int i = sizeof digits;

  do
    {
      digits[--i] = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n > 0);
  g_string_append_len (s, digits + i, (gssize) sizeof digits - i);
}

/* Escapes @text for an attribute value (@attribute) or element content.
 * Returns FALSE for what XML 1.0 cannot carry at all: control characters,
 * U+FFFE and U+FFFF, invalid UTF-8. */
static gboolean
append_escaped (GString    *s,
                const char *text,
                gboolean    attribute)
{
  const guchar *p = (const guchar *) text;
  const guchar *run = p;

  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (; *p; p++)
    {
      const char *rep = NULL;

      switch (*p)
        {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '\r': rep = "&#13;"; break;
        case '"': rep = attribute ? "&quot;" : NULL; break;
        case '\n': rep = attribute ? "&#10;" : NULL; break;
        case '\t': rep = attribute ? "&#9;" : NULL; break;
        case 0xEF:
          if (p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
            return FALSE;
          break;
        default:
          if (*p < 0x20)
            return FALSE;
          break;
        }

      if (rep != NULL)
        {
          g_string_append_len (s, (const char *) run, p - run);
          g_string_append (s, rep);
          run = p + 1;
        }
    }

  g_string_append_len (s, (const char *) run, p - run);
  return TRUE;
}

static gboolean
append_attribute (GString    *s,
                  const char *name,
                  const char *value)
{
  g_string_append_c (s, ' ');
  g_string_append (s, name);
  g_string_append (s, "=\"");
  if (!append_escaped (s, value, TRUE))
    return FALSE;
  g_string_append_c (s, '"');
  return TRUE;
}

static gboolean
unwritable (GError    **error,
            const char *what,
            const char *where)
{
  g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID,
               _("The %s of %s holds characters that XML cannot carry (control characters or invalid UTF-8)."),
               what, where);
  return FALSE;
}

static gboolean
write_header (AwdaBundleWriter       *self,
              const AwdaBundleHeader *header,
              GError                **error)
{
  GString *s = self->buf;

  g_string_append (s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<bundle xmlns=\"" AWDA_BUNDLE_NAMESPACE "\" format=\"1\">\n"
                      "  <header");
  append_attribute (s, "id", header->id);
  g_string_append (s, " created=\"");
  append_u64 (s, header->created);
  g_string_append (s, "\">\n    <from");
  append_attribute (s, "site", header->from_site);
  if (header->from_name != NULL && !append_attribute (s, "name", header->from_name))
    return unwritable (error, _("name"), _("this site"));
  g_string_append (s, "/>\n    <to");
  append_attribute (s, "site", header->to_site);
  g_string_append (s, "/>\n");

  for (guint i = 0; i < header->sites->len; i++)
    {
      const AwdaBundleSite *site = g_ptr_array_index (header->sites, i);

      g_string_append (s, "    <site");
      append_attribute (s, "id", site->id);
      if (site->name != NULL && !append_attribute (s, "name", site->name))
        return unwritable (error, _("name"), site->id);
      g_string_append (s, "/>\n");
    }

  for (guint i = 0; i < header->have->len; i++)
    {
      const AwdaBundleHave *have = &g_array_index (header->have, AwdaBundleHave, i);

      g_string_append (s, "    <have");
      append_attribute (s, "origin", have->origin);
      g_string_append (s, " seq=\"");
      append_u64 (s, have->seq);
      g_string_append (s, "\"/>\n");
    }

  g_string_append (s, "  </header>\n  <changes>\n");
  return TRUE;
}

AwdaBundleWriter *
awda_bundle_writer_new (const char             *path,
                        const AwdaBundleHeader *header,
                        GError                **error)
{
  g_autoptr(AwdaBundleWriter) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (header->id != NULL, NULL);
  g_return_val_if_fail (awda_bundle_is_site_id (header->from_site), NULL);
  g_return_val_if_fail (header->to_site != NULL, NULL);

  self = g_new0 (AwdaBundleWriter, 1);
  self->fd = -1;
  self->path = g_strdup (path);
  self->buf = g_string_sized_new (WRITER_FLUSH_AT + 4096);
  self->out = g_malloc (COMPRESSED_CHUNK);

  /* Beside the target, so that the final rename stays on one file
   * system and is atomic; hidden, and readable by the owner alone: a
   * bundle holds personal data. */
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf (".%s.XXXXXX.part", base);
  self->tmp_path = g_build_filename (dir, template, NULL);
  self->fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (self->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&self->tmp_path, g_free);
      set_io_error (error, saved_errno, _("Could not create the bundle “%s”: %s."), path);
      return NULL;
    }

  if (deflateInit2 (&self->zs, WRITER_COMPRESSION_LEVEL, Z_DEFLATED,
                    MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not start compressing the bundle “%s”."), path);
      return NULL;
    }
  self->zs_ready = TRUE;

  if (!write_header (self, header, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
awda_bundle_writer_add (AwdaBundleWriter       *self,
                        const AwdaBundleChange *change,
                        GError                **error)
{
  GString *s;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);
  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (awda_bundle_is_site_id (change->origin), FALSE);
  g_return_val_if_fail (change->seq > 0, FALSE);
  g_return_val_if_fail (change->entity != NULL && change->record != NULL && change->field != NULL, FALSE);
  g_return_val_if_fail ((change->base_site == NULL) == (change->base_hlc == 0), FALSE);

  s = self->buf;
  g_string_append (s, "    <change");
  append_attribute (s, "origin", change->origin);
  g_string_append (s, " seq=\"");
  append_u64 (s, (guint64) change->seq);
  g_string_append_c (s, '"');
  if (!append_attribute (s, "entity", change->entity) ||
      !append_attribute (s, "record", change->record) ||
      !append_attribute (s, "field", change->field))
    return unwritable (error, _("entity, record or field name"), change->record);
  g_string_append (s, " hlc=\"");
  append_u64 (s, change->hlc);
  g_string_append_c (s, '"');
  if (change->base_site != NULL)
    {
      g_string_append (s, " base-hlc=\"");
      append_u64 (s, change->base_hlc);
      g_string_append_c (s, '"');
      append_attribute (s, "base-site", change->base_site);
    }

  if (change->value == NULL)
    g_string_append (s, " cleared=\"true\"/>\n");
  else
    {
      g_string_append_c (s, '>');
      if (!append_escaped (s, change->value, FALSE))
        {
          g_autofree char *where = g_strdup_printf ("%s %s", change->entity, change->record);
          g_autofree char *what = g_strdup_printf (_("field “%s”"), change->field);

          return unwritable (error, what, where);
        }
      g_string_append (s, "</change>\n");
    }

  self->count++;

  if (s->len >= WRITER_FLUSH_AT)
    return writer_deflate (self, Z_NO_FLUSH, error);
  return TRUE;
}

guint64
awda_bundle_writer_get_count (AwdaBundleWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->count;
}

static gboolean
sync_directory (const char *path,
                GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      set_io_error (error, errno, _("Could not open the folder of the bundle “%s”: %s."), path);
      return FALSE;
    }
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      set_io_error (error, saved_errno, _("Could not save the bundle “%s” to disk: %s."), path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
awda_bundle_writer_finish (AwdaBundleWriter *self,
                           GError          **error)
{
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);
  g_return_val_if_fail (self->fd >= 0, FALSE);

  g_string_append (self->buf, "  </changes>\n  <trailer count=\"");
  append_u64 (self->buf, self->count);
  g_string_append (self->buf, "\"/>\n</bundle>\n");

  if (!writer_deflate (self, Z_FINISH, error))
    return FALSE;

  if (fsync (self->fd) != 0)
    {
      set_io_error (error, errno, _("Could not save the bundle “%s” to disk: %s."), self->path);
      return FALSE;
    }

  fd = self->fd;
  self->fd = -1;
  if (close (fd) != 0)
    {
      set_io_error (error, errno, _("Could not write the bundle “%s”: %s."), self->path);
      return FALSE;
    }

  if (g_rename (self->tmp_path, self->path) != 0)
    {
      set_io_error (error, errno, _("Could not give the bundle its name “%s”: %s."), self->path);
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  self->finished = TRUE;

  /* The rename itself must reach the disk before we report success. */
  return sync_directory (self->path, error);
}

void
awda_bundle_writer_free (AwdaBundleWriter *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0)
    close (self->fd);
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  if (self->zs_ready)
    deflateEnd (&self->zs);
  g_string_free (self->buf, TRUE);
  g_free (self->out);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}

/* Inflater: our own zlib, so that the caps hold whatever libxml2 does. */

typedef struct
{
  int                     fd;
  char                   *path;
  z_stream                zs;
  gboolean                zs_ready;
  guchar                 *in;
  guint64                 file_size;
  guint64                 read_bytes;     /* read from the file */
  guint64                 inflated;
  gboolean                eof;            /* of the file */
  gboolean                stream_end;     /* of the gzip stream */
  const AwdaBundleLimits *limits;
} Inflater;

static gboolean
inflater_open (Inflater               *inf,
               const char             *path,
               const AwdaBundleLimits *limits,
               GError                **error)
{
  struct stat st;

  memset (inf, 0, sizeof *inf);
  inf->limits = limits;
  inf->path = g_strdup (path);
  inf->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (inf->fd < 0)
    {
      set_io_error (error, errno, _("Could not open the bundle “%s”: %s."), path);
      return FALSE;
    }
  if (fstat (inf->fd, &st) != 0)
    {
      set_io_error (error, errno, _("Could not read the bundle “%s”: %s."), path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file."), display);
      return FALSE;
    }
  inf->file_size = (guint64) st.st_size;
  inf->in = g_malloc (COMPRESSED_CHUNK);

  if (inflateInit2 (&inf->zs, MAX_WBITS + 16) != Z_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not start decompressing the bundle."));
      return FALSE;
    }
  inf->zs_ready = TRUE;
  return TRUE;
}

static void
inflater_close (Inflater *inf)
{
  if (inf->fd >= 0)
    close (inf->fd);
  inf->fd = -1;
  if (inf->zs_ready)
    inflateEnd (&inf->zs);
  inf->zs_ready = FALSE;
  g_clear_pointer (&inf->in, g_free);
  g_clear_pointer (&inf->path, g_free);
}

static guint64
inflater_consumed (Inflater *inf)
{
  return inf->read_bytes - inf->zs.avail_in;
}

static gboolean
inflater_fill (Inflater *inf,
               GError  **error)
{
  gssize n;

  do
    n = read (inf->fd, inf->in, COMPRESSED_CHUNK);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      set_io_error (error, errno, _("Could not read the bundle “%s”: %s."), inf->path);
      return FALSE;
    }

  if (inf->read_bytes == 0 && (n < 2 || inf->in[0] != 0x1f || inf->in[1] != 0x8b))
    {
      g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT,
                   n == 0 ? _("The bundle is an empty file.")
                          : _("The bundle is not gzip-compressed: it does not start with gzip’s signature."));
      return FALSE;
    }

  inf->read_bytes += (guint64) n;
  inf->eof = n == 0;
  inf->zs.next_in = inf->in;
  inf->zs.avail_in = (uInt) n;
  return TRUE;
}

/* Only the end of the file may follow the gzip stream. */
static gboolean
inflater_check_end (Inflater *inf,
                    GError  **error)
{
  if (inf->zs.avail_in == 0 && !inf->eof)
    {
      if (!inflater_fill (inf, error))
        return FALSE;
    }
  if (inf->zs.avail_in != 0)
    {
      g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT,
                   _("The bundle has unexpected data after the end of its compressed stream, at byte %llu"
                     " of the file."),
                   (unsigned long long) inflater_consumed (inf));
      return FALSE;
    }
  return TRUE;
}

/* Returns the number of bytes inflated into @buf, 0 at the end of the
 * stream, -1 with @error set. */
static gssize
inflater_read (Inflater *inf,
               guchar   *buf,
               gsize     len,
               GError  **error)
{
  gsize produced;

  if (inf->stream_end || len == 0)
    return 0;

  inf->zs.next_out = buf;
  inf->zs.avail_out = (uInt) MIN (len, G_MAXUINT);

  while (inf->zs.avail_out == len)
    {
      int ret;

      if (inf->zs.avail_in == 0)
        {
          if (inf->eof)
            {
              g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT,
                           _("The bundle is truncated: its compressed data stops at byte %llu"
                             " before the end of the stream."),
                           (unsigned long long) inf->read_bytes);
              return -1;
            }
          if (!inflater_fill (inf, error))
            return -1;
          continue;
        }

      ret = inflate (&inf->zs, Z_NO_FLUSH);
      if (ret == Z_STREAM_END)
        {
          inf->stream_end = TRUE;
          if (!inflater_check_end (inf, error))
            return -1;
          break;
        }
      if (ret == Z_DATA_ERROR && inf->zs.msg != NULL &&
          (strcmp (inf->zs.msg, "incorrect data check") == 0 || strcmp (inf->zs.msg, "incorrect length check") == 0))
        {
          g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT,
                       _("The bundle is damaged: the checksum at its end does not match its content, so a part of it changed."));
          return -1;
        }
      if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
        {
          g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT,
                       _("The bundle is damaged near byte %llu"
                         " of the compressed file (%s)."),
                       (unsigned long long) inflater_consumed (inf),
                       inf->zs.msg ? inf->zs.msg : "zlib");
          return -1;
        }
      if (ret == Z_MEM_ERROR)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Not enough memory to decompress the bundle."));
          return -1;
        }
      /* Z_OK, or Z_BUF_ERROR when the input ran out: read more. */
    }

  produced = len - inf->zs.avail_out;
  inf->inflated += produced;

  if (inf->inflated > inf->limits->max_inflated)
    {
      g_autofree char *cap = g_format_size (inf->limits->max_inflated);

      g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                   _("The bundle decompresses to more than %s, the most a bundle may hold."),
                   cap);
      return -1;
    }
  if (inf->inflated > inf->limits->ratio_slack &&
      inf->inflated - inf->limits->ratio_slack > (guint64) inf->limits->max_ratio * inflater_consumed (inf))
    {
      g_set_error (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                   _("The bundle decompresses to more than %u times its compressed size by byte %llu"
                     " of the file, as a compression bomb does."),
                   inf->limits->max_ratio, (unsigned long long) inflater_consumed (inf));
      return -1;
    }

  return (gssize) produced;
}

gboolean
awda_bundle_verify_gzip (const char             *path,
                         const AwdaBundleLimits *limits,
                         GCancellable           *cancellable,
                         GError                **error)
{
  AwdaBundleLimits defaults;
  Inflater inf;
  g_autofree guchar *buf = g_malloc (COMPRESSED_CHUNK);
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);

  if (limits == NULL)
    {
      awda_bundle_limits_init_default (&defaults);
      limits = &defaults;
    }

  if (!inflater_open (&inf, path, limits, error))
    goto out;

  for (;;)
    {
      gssize n = inflater_read (&inf, buf, COMPRESSED_CHUNK, error);

      if (n < 0)
        goto out;
      if (n == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
    }
  ok = TRUE;

out:
  inflater_close (&inf);
  return ok;
}

/* Scanner: a tokenizer just precise enough to know where tags, quoted
 * values, comments, CDATA sections and processing instructions start and
 * end, run over every inflated byte before the parser sees it. */

typedef enum
{
  SCAN_TEXT,
  SCAN_LT,           /* after '<' */
  SCAN_TAG,          /* inside a tag, outside quotes */
  SCAN_QUOTED,       /* inside a quoted attribute value */
  SCAN_BANG,         /* after "<!", deciding what follows */
  SCAN_DOCTYPE,      /* inside <!DOCTYPE …>, to be refused */
  SCAN_COMMENT,
  SCAN_CDATA,
  SCAN_PI,
  SCAN_REFERENCE,    /* after '&' */
} ScanState;

typedef struct
{
  ScanState  state;
  ScanState  return_state;   /* after a reference */
  guchar     quote;
  guint      attributes;
  gsize      length;         /* of the current tag, text, comment … */
  guint      matched;        /* of the closing sequence, or of the bang prefix */
  char       word[12];       /* a reference name, or what follows "<!" */
  GString   *decl;           /* a document type declaration, to be refused */
  gboolean   end_tag;        /* the tag being read is </…> */
  guchar     last;           /* the byte before, in a tag */
  guint      depth;          /* of elements open */
  gboolean   root_closed;    /* the root element ended */
  int        root_line;      /* where */
  guint      word_len;
  int        line;
  int        start_line;     /* where the current construct started */
  const AwdaBundleLimits *limits;
} Scanner;

static void
scanner_init (Scanner                *scan,
              const AwdaBundleLimits *limits)
{
  memset (scan, 0, sizeof *scan);
  scan->state = SCAN_TEXT;
  scan->line = 1;
  scan->limits = limits;
}

static gboolean
scan_refuse (GError    **error,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
scan_refuse (GError    **error,
             const char *format,
             ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE, message);
  g_free (message);
  return FALSE;
}

static gboolean
scan_too_long (Scanner    *scan,
               const char *what,
               GError    **error)
{
  g_autofree char *cap = g_format_size (scan->limits->max_text);

  return scan_refuse (error, _("The %s that starts at line %d of the bundle is longer than %s."),
                      what, scan->start_line, cap);
}

static gboolean
scan_reference (Scanner *scan,
                GError **error)
{
  static const char *const predefined[] = { "lt", "gt", "amp", "quot", "apos" };

  scan->word[scan->word_len] = '\0';
  if (scan->word[0] == '#')
    return TRUE;   /* a character reference; the parser checks its value */
  for (guint i = 0; i < G_N_ELEMENTS (predefined); i++)
    if (strcmp (scan->word, predefined[i]) == 0)
      return TRUE;

  return scan_refuse (error,
                      _("Line %d of the bundle refers to the entity “&%s;”, but bundles use no entities beyond XML’s own five."),
                      scan->line, scan->word);
}

/* The most of a DOCTYPE read to tell what it is. */
#define DOCTYPE_SHOWN (64 * 1024)

/* A bundle never has a DOCTYPE; one that has is an attack or a mistake,
 * and the message says which attack it looks like. */
static gboolean
refuse_doctype (Scanner *scan,
                GError **error)
{
  const char *decl = scan->decl->str;
  const char *entity = strstr (decl, "<!ENTITY");
  gboolean parameter = FALSE, nested = FALSE;

  for (const char *e = entity; e != NULL; e = strstr (e + 1, "<!ENTITY"))
    {
      const char *p = e + strlen ("<!ENTITY");
      const char *end = strchr (p, '>');

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '%')
        parameter = TRUE;
      if (end != NULL && memchr (p, '&', (gsize) (end - p)) != NULL)
        nested = TRUE;
    }

  if (parameter)
    return scan_refuse (error,
                        _("Line %d of the bundle declares a parameter entity in a document type (<!ENTITY %% …>), as an XXE attack does; bundles never carry a document type."),
                        scan->start_line);
  if (strstr (decl, "SYSTEM") != NULL || strstr (decl, "PUBLIC") != NULL)
    return scan_refuse (error,
                        _("Line %d of the bundle has a document type that refers to an outside file or address (SYSTEM or PUBLIC), as an XXE attack does; bundles never carry a document type."),
                        scan->start_line);
  if (nested)
    return scan_refuse (error,
                        _("Line %d of the bundle declares entities that expand into one another, as a “billion laughs” attack does; bundles never carry a document type."),
                        scan->start_line);
  if (entity != NULL)
    return scan_refuse (error,
                        _("Line %d of the bundle declares an entity in a document type (<!ENTITY …>), as an entity expansion attack does; bundles never carry a document type."),
                        scan->start_line);
  return scan_refuse (error,
                      _("Line %d of the bundle declares a document type (<!DOCTYPE …>), which bundles never carry."),
                      scan->start_line);
}

static gboolean
scanner_feed (Scanner      *scan,
              const guchar *p,
              gsize         n,
              GError      **error)
{
  /* The bytes that may change the state, per state: the others are
   * skipped a run at a time, which is where the time goes. */
  static const guchar text_stops[256] = { ['<'] = 1, ['&'] = 1, ['\n'] = 1 };
  static const guchar tag_stops[256] = { ['"'] = 1, ['\''] = 1, ['='] = 1, ['>'] = 1, ['\n'] = 1 };
  static const guchar double_quote_stops[256] = { ['"'] = 1, ['&'] = 1, ['\n'] = 1 };
  static const guchar single_quote_stops[256] = { ['\''] = 1, ['&'] = 1, ['\n'] = 1 };
  const guchar *end = p + n;
  gsize max = scan->limits->max_text;

  while (p < end)
    {
      const guchar *stops = NULL;
      guchar c;

      switch (scan->state)
        {
        case SCAN_TEXT: stops = text_stops; break;
        case SCAN_TAG: stops = tag_stops; break;
        case SCAN_QUOTED: stops = scan->quote == '"' ? double_quote_stops : single_quote_stops; break;
        case SCAN_LT:
        case SCAN_BANG:
        case SCAN_DOCTYPE:
        case SCAN_COMMENT:
        case SCAN_CDATA:
        case SCAN_PI:
        case SCAN_REFERENCE:
        default: break;
        }
      if (stops != NULL)
        {
          const guchar *run = p;

          while (p < end && !stops[*p])
            p++;
          if (p > run)
            scan->last = p[-1];
          scan->length += (gsize) (p - run);
          if (scan->length > max)
            return scan_too_long (scan, scan->state == SCAN_TEXT ? _("text") : _("tag"), error);
          if (p == end)
            break;
        }

      c = *p++;
      if (c == '\n')
        scan->line++;

      switch (scan->state)
        {
        case SCAN_TEXT:
          if (c == '<')
            {
              scan->state = SCAN_LT;
              scan->start_line = scan->line;
            }
          else if (c == '&')
            {
              scan->return_state = SCAN_TEXT;
              scan->state = SCAN_REFERENCE;
              scan->word_len = 0;
            }
          else if (++scan->length > max)
            return scan_too_long (scan, _("text"), error);
          break;

        case SCAN_LT:
          scan->length = 1;
          scan->attributes = 0;
          scan->end_tag = c == '/';
          scan->last = c;
          if (c == '!')
            {
              scan->state = SCAN_BANG;
              scan->word_len = 0;
            }
          else if (c == '?')
            {
              scan->state = SCAN_PI;
              scan->matched = 0;
            }
          else
            scan->state = SCAN_TAG;
          break;

        case SCAN_TAG:
          if (++scan->length > max)
            return scan_too_long (scan, _("tag"), error);
          if (c == '"' || c == '\'')
            {
              scan->quote = c;
              scan->state = SCAN_QUOTED;
            }
          else if (c == '=')
            {
              if (++scan->attributes > scan->limits->max_attributes)
                return scan_refuse (error,
                                    _("The element at line %d of the bundle has more than %u attributes."),
                                    scan->start_line, scan->limits->max_attributes);
            }
          else if (c == '>')
            {
              scan->state = SCAN_TEXT;
              scan->length = 0;
              /* Elements open and close: enough to tell a bundle cut
               * short from one that goes on after its end. */
              if (scan->end_tag && scan->depth > 0)
                scan->depth--;
              else if (!scan->end_tag && scan->last != '/')
                scan->depth++;
              if (scan->depth == 0 && !scan->root_closed)
                {
                  scan->root_closed = TRUE;
                  scan->root_line = scan->line;
                }
            }
          scan->last = c;
          break;

        case SCAN_QUOTED:
          if (++scan->length > max)
            return scan_too_long (scan, _("tag"), error);
          if (c == scan->quote)
            scan->state = SCAN_TAG;
          else if (c == '&')
            {
              scan->return_state = SCAN_QUOTED;
              scan->state = SCAN_REFERENCE;
              scan->word_len = 0;
            }
          break;

        case SCAN_REFERENCE:
          if (c == ';')
            {
              if (!scan_reference (scan, error))
                return FALSE;
              scan->state = scan->return_state;
            }
          else if (scan->word_len + 1 < sizeof scan->word &&
                   (g_ascii_isalnum (c) || c == '#' || c == '_' || c == '-' || c == '.' || c == ':'))
            scan->word[scan->word_len++] = (char) c;
          else
            {
              /* Not a reference we know how to read: let the word end
               * here and the parser say what is wrong with it. */
              scan->word[scan->word_len] = '\0';
              if (scan->word_len > 0 && scan->word[0] != '#' && !scan_reference (scan, error))
                return FALSE;
              scan->state = scan->return_state;
              /* Look at this byte again in the state we return to. */
              p--;
              if (c == '\n')
                scan->line--;
            }
          break;

        case SCAN_BANG:
          scan->word[scan->word_len++] = (char) c;
          scan->word[scan->word_len] = '\0';
          if (strcmp (scan->word, "--") == 0)
            {
              scan->state = SCAN_COMMENT;
              scan->matched = 0;
              scan->length = 0;
            }
          else if (strcmp (scan->word, "[CDATA[") == 0)
            {
              scan->state = SCAN_CDATA;
              scan->matched = 0;
              scan->length = 0;
            }
          else if (strcmp (scan->word, "DOCTYPE") == 0)
            {
              /* Read it whole, to say what it tries to do; the parser
               * never sees it. */
              scan->state = SCAN_DOCTYPE;
              scan->quote = 0;
              scan->matched = 0;   /* depth of [ ] */
              scan->decl = g_string_new (NULL);
            }
          else if (!g_str_has_prefix ("--", scan->word) && !g_str_has_prefix ("[CDATA[", scan->word) &&
                   !g_str_has_prefix ("DOCTYPE", scan->word))
            return scan_refuse (error,
                                _("Line %d of the bundle holds a markup declaration (<!%s…>), which bundles never carry."),
                                scan->start_line, scan->word);
          break;

        case SCAN_DOCTYPE:
          g_string_append_c (scan->decl, (char) c);
          if (scan->quote != 0)
            {
              if (c == scan->quote)
                scan->quote = 0;
            }
          else if (c == '"' || c == '\'')
            scan->quote = c;
          else if (c == '[')
            scan->matched++;
          else if (c == ']' && scan->matched > 0)
            scan->matched--;
          if ((c == '>' && scan->quote == 0 && scan->matched == 0) || scan->decl->len >= DOCTYPE_SHOWN)
            return refuse_doctype (scan, error);
          break;

        case SCAN_COMMENT:
          if (++scan->length > max)
            return scan_too_long (scan, _("comment"), error);
          if (c == '-')
            scan->matched = MIN (scan->matched + 1, 2);
          else if (c == '>' && scan->matched == 2)
            {
              scan->state = SCAN_TEXT;
              scan->length = 0;
            }
          else
            scan->matched = 0;
          break;

        case SCAN_CDATA:
          if (++scan->length > max)
            return scan_too_long (scan, _("CDATA section"), error);
          if (c == ']')
            scan->matched = MIN (scan->matched + 1, 2);
          else if (c == '>' && scan->matched == 2)
            {
              scan->state = SCAN_TEXT;
              scan->length = 0;
            }
          else
            scan->matched = 0;
          break;

        case SCAN_PI:
          if (++scan->length > max)
            return scan_too_long (scan, _("processing instruction"), error);
          if (c == '?')
            scan->matched = 1;
          else if (c == '>' && scan->matched == 1)
            {
              scan->state = SCAN_TEXT;
              scan->length = 0;
            }
          else
            scan->matched = 0;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}

/* Reader */

typedef enum
{
  READ_START,
  READ_CHANGES,
  READ_TRAILER,      /* <changes/> was empty */
  READ_DONE,
  READ_FAILED,
} ReadState;

struct _AwdaBundleReader
{
  AwdaBundleLimits  limits;
  Inflater          inf;
  Scanner           scan;
  xmlTextReaderPtr  xml;
  GError           *input_error;   /* from the inflater or the scanner */
  char             *xml_error;     /* the parser's first error */
  int               xml_error_line;
  int               xml_error_code;
  gboolean          root_closed;   /* </bundle> was read */
  ReadState         state;
  AwdaBundleHeader *header;
  guint64           count;
  int               line;

  /* The change last read; next() points into these. */
  GString          *origin;
  GString          *entity;
  GString          *record;
  GString          *field;
  GString          *base_site;
  GString          *value;
};

static xmlParserInputPtr
deny_external_entity (const char       *url,
                      const char       *id,
                      xmlParserCtxtPtr  ctxt)
{
  /* Bundles never refer to anything outside themselves. */
  return NULL;
}

static void
ensure_libxml (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      xmlSetExternalEntityLoader (deny_external_entity);
      g_once_init_leave (&initialized, 1);
    }
}

static int
reader_input_cb (void *context,
                 char *buffer,
                 int   len)
{
  AwdaBundleReader *self = context;
  gssize n;

  if (self->input_error != NULL)
    return -1;

  n = inflater_read (&self->inf, (guchar *) buffer, (gsize) len, &self->input_error);
  if (n < 0)
    return -1;
  if (!scanner_feed (&self->scan, (const guchar *) buffer, (gsize) n, &self->input_error))
    return -1;
  return (int) n;
}

static int
reader_close_cb (void *context)
{
  return 0;
}

static void
reader_error_cb (void        *context,
                 xmlErrorPtr  error)
{
  AwdaBundleReader *self = context;

  if (error == NULL || error->level < XML_ERR_ERROR || self->xml_error != NULL)
    return;

  self->xml_error = g_strstrip (g_strdup (error->message ? error->message : "?"));
  g_strdelimit (self->xml_error, "\r\n", ' ');
  self->xml_error_line = error->line;
  self->xml_error_code = error->code;
}

AwdaBundleReader *
awda_bundle_reader_new (const char             *path,
                        const AwdaBundleLimits *limits,
                        GError                **error)
{
  g_autoptr(AwdaBundleReader) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  ensure_libxml ();

  self = g_new0 (AwdaBundleReader, 1);
  if (limits != NULL)
    self->limits = *limits;
  else
    awda_bundle_limits_init_default (&self->limits);
  self->inf.fd = -1;
  scanner_init (&self->scan, &self->limits);
  self->origin = g_string_sized_new (40);
  self->entity = g_string_sized_new (40);
  self->record = g_string_sized_new (40);
  self->field = g_string_sized_new (40);
  self->base_site = g_string_sized_new (40);
  self->value = g_string_sized_new (256);

  if (!inflater_open (&self->inf, path, &self->limits, error))
    return NULL;

  /* XML_PARSE_NONET alone: no NOENT, DTDLOAD, HUGE, XINCLUDE or RECOVER.
   * The encoding is fixed to UTF-8 whatever the document declares. */
  self->xml = xmlReaderForIO (reader_input_cb, reader_close_cb, self,
                              NULL, "UTF-8", XML_PARSE_NONET);
  if (self->xml == NULL)
    {
      if (self->input_error != NULL)
        g_propagate_error (error, g_steal_pointer (&self->input_error));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not start reading the bundle."));
      return NULL;
    }
  xmlTextReaderSetStructuredErrorHandler (self->xml, reader_error_cb, self);

  return g_steal_pointer (&self);
}

void
awda_bundle_reader_free (AwdaBundleReader *self)
{
  if (self == NULL)
    return;

  if (self->xml != NULL)
    xmlFreeTextReader (self->xml);
  inflater_close (&self->inf);
  if (self->scan.decl != NULL)
    g_string_free (self->scan.decl, TRUE);
  g_clear_error (&self->input_error);
  g_free (self->xml_error);
  awda_bundle_header_free (self->header);
  g_string_free (self->origin, TRUE);
  g_string_free (self->entity, TRUE);
  g_string_free (self->record, TRUE);
  g_string_free (self->field, TRUE);
  g_string_free (self->base_site, TRUE);
  g_string_free (self->value, TRUE);
  g_free (self);
}

int
awda_bundle_reader_get_line (AwdaBundleReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->line;
}

double
awda_bundle_reader_get_fraction (AwdaBundleReader *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  if (self->inf.file_size == 0)
    return 0.0;
  return MIN (1.0, (double) inflater_consumed (&self->inf) / (double) self->inf.file_size);
}

guint64
awda_bundle_reader_get_count (AwdaBundleReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->count;
}

/* The line of the node the reader is on; the parser itself may be
 * further on, having read ahead. */
static int
current_line (AwdaBundleReader *self)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (self->xml);
  long line = node != NULL ? xmlGetLineNo (node) : -1;

  if (line <= 0)
    line = xmlTextReaderGetParserLineNumber (self->xml);
  return line > 0 ? (int) line : self->scan.line;
}

static gboolean
refuse (AwdaBundleReader *self,
        GError          **error,
        AwdaBundleError   code,
        const char       *format,
        ...) G_GNUC_PRINTF (4, 5);

static gboolean
refuse (AwdaBundleReader *self,
        GError          **error,
        AwdaBundleError   code,
        const char       *format,
        ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AWDA_BUNDLE_ERROR, code, message);
  g_free (message);
  self->state = READ_FAILED;
  return FALSE;
}

static gboolean
reader_failed (AwdaBundleReader *self,
               GError          **error)
{
  self->state = READ_FAILED;

  if (self->input_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->input_error));
      return FALSE;
    }
  if (self->xml_error == NULL)
    return refuse (self, error, AWDA_BUNDLE_ERROR_MALFORMED,
                   _("The bundle could not be read past line %d."), current_line (self));
  if (strstr (self->xml_error, "not proper UTF-8") != NULL)
    {
      const char *bytes = strstr (self->xml_error, "Bytes:");

      return refuse (self, error, AWDA_BUNDLE_ERROR_MALFORMED,
                     _("Line %d of the bundle is not valid UTF-8 text (%s)."),
                     self->xml_error_line, bytes ? bytes : self->xml_error);
    }
  if (self->root_closed ||
      (self->scan.root_closed &&
       (self->xml_error_line > self->scan.root_line ||
        (self->xml_error_line == self->scan.root_line && self->xml_error_code == XML_ERR_DOCUMENT_END))))
    return refuse (self, error, AWDA_BUNDLE_ERROR_MALFORMED,
                   _("The bundle goes on after its end, at line %d (%s)."),
                   self->xml_error_line, self->xml_error);
  /* The parser failing on the last line of a document left open. */
  if (self->inf.stream_end && self->scan.depth > 0 && self->xml_error_line >= self->scan.line - 1)
    return refuse (self, error, AWDA_BUNDLE_ERROR_MALFORMED,
                   _("The bundle stops at line %d before its XML is complete: it was cut short (%s)."),
                   self->xml_error_line, self->xml_error);
  return refuse (self, error, AWDA_BUNDLE_ERROR_MALFORMED,
                 _("The bundle is not well-formed XML at line %d: %s."),
                 self->xml_error_line, self->xml_error);
}

/* The next node that matters: an element start or end, or within a
 * change its text. Whitespace between elements, comments and processing
 * instructions are skipped. Returns the node type, 0 at the end of the
 * document, -1 with @error set. */
static int
next_node (AwdaBundleReader *self,
           gboolean          in_text,
           GError          **error)
{
  for (;;)
    {
      int ret = xmlTextReaderRead (self->xml);
      int type;

      if (ret < 0 || self->input_error != NULL)
        return reader_failed (self, error), -1;
      if (ret == 0)
        {
          if (self->xml_error != NULL)
            return reader_failed (self, error), -1;
          return 0;
        }

      type = xmlTextReaderNodeType (self->xml);
      switch (type)
        {
        case XML_READER_TYPE_ELEMENT:
          {
            int depth = xmlTextReaderDepth (self->xml);
            int n_attributes = xmlTextReaderAttributeCount (self->xml);

            if (depth < 0 || (guint) depth >= self->limits.max_depth)
              return refuse (self, error, AWDA_BUNDLE_ERROR_UNSAFE,
                             _("The element <%s> at line %d of the bundle is nested deeper than the %u levels a bundle has."),
                             (const char *) xmlTextReaderConstName (self->xml), current_line (self),
                             self->limits.max_depth), -1;
            if (n_attributes < 0 || (guint) n_attributes > self->limits.max_attributes)
              return refuse (self, error, AWDA_BUNDLE_ERROR_UNSAFE,
                             _("The element at line %d of the bundle has more than %u attributes."),
                             current_line (self), self->limits.max_attributes), -1;
            return type;
          }

        case XML_READER_TYPE_END_ELEMENT:
          return type;

        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
          if (in_text)
            return type;
          return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                         _("Line %d of the bundle has text where only elements may be."),
                         current_line (self)), -1;

        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
          if (in_text)
            return XML_READER_TYPE_TEXT;
          break;

        case XML_READER_TYPE_COMMENT:
        case XML_READER_TYPE_PROCESSING_INSTRUCTION:
        case XML_READER_TYPE_XML_DECLARATION:
          break;

        case XML_READER_TYPE_DOCUMENT_TYPE:
          return refuse (self, error, AWDA_BUNDLE_ERROR_UNSAFE,
                         _("Line %d of the bundle declares a document type (<!DOCTYPE …>), which bundles never carry."),
                         current_line (self)), -1;

        case XML_READER_TYPE_ENTITY_REFERENCE:
        case XML_READER_TYPE_ENTITY:
          return refuse (self, error, AWDA_BUNDLE_ERROR_UNSAFE,
                         _("Line %d of the bundle refers to an entity, but bundles use no entities beyond XML’s own five."),
                         current_line (self)), -1;

        default:
          return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                         _("Line %d of the bundle holds a kind of XML node that bundles never have."),
                         current_line (self)), -1;
        }
    }
}

/* The element the reader is on must be @name in our namespace. @where
 * is translated only for a message: this runs for every change. */
static gboolean
expect_element (AwdaBundleReader *self,
                int               type,
                const char       *name,
                const char       *where,
                GError          **error)
{
  const char *local = (const char *) xmlTextReaderConstLocalName (self->xml);
  const char *ns = (const char *) xmlTextReaderConstNamespaceUri (self->xml);

  if (type == XML_READER_TYPE_ELEMENT && g_strcmp0 (local, name) == 0 &&
      g_strcmp0 (ns, AWDA_BUNDLE_NAMESPACE) == 0)
    return TRUE;

  if (type == XML_READER_TYPE_ELEMENT)
    {
      if (g_strcmp0 (ns, AWDA_BUNDLE_NAMESPACE) != 0)
        return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                       _("The element <%s> at line %d of the bundle is in the namespace “%s”, not in the bundle’s."),
                       local, current_line (self), ns ? ns : "");
      return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                     _("Unexpected element <%s> at line %d of the bundle: <%s> was expected %s."),
                     local, current_line (self), name, _(where));
    }
  if (type == XML_READER_TYPE_END_ELEMENT)
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The element <%s> ends at line %d of the bundle, but <%s> was expected %s."),
                   local, current_line (self), name, _(where));
  return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                 _("The bundle ends at line %d, but <%s> was expected %s."),
                 current_line (self), name, _(where));
}

/* An element with no content: its end must come next. */
static gboolean
end_of_empty (AwdaBundleReader *self,
              const char       *name,
              GError          **error)
{
  int type;

  if (xmlTextReaderIsEmptyElement (self->xml))
    return TRUE;

  type = next_node (self, FALSE, error);
  if (type < 0)
    return FALSE;
  if (type != XML_READER_TYPE_END_ELEMENT)
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The element <%s> at line %d of the bundle must be empty."),
                   name, current_line (self));
  return TRUE;
}

typedef struct
{
  const char  *name;
  gboolean     required;
  const char **value;    /* borrowed from the reader until it moves */
} AttributeSpec;

/* Reads the attributes of the current element into @specs; refuses
 * any other attribute, and any missing required one. */
static gboolean
read_attributes (AwdaBundleReader *self,
                 const char       *element,
                 AttributeSpec    *specs,
                 guint             n_specs,
                 GError          **error)
{
  guint hint = 0;

  for (guint i = 0; i < n_specs; i++)
    *specs[i].value = NULL;

  while (xmlTextReaderMoveToNextAttribute (self->xml) == 1)
    {
      const char *name = (const char *) xmlTextReaderConstLocalName (self->xml);
      const char *ns = (const char *) xmlTextReaderConstNamespaceUri (self->xml);
      gboolean known = FALSE;

      if (ns != NULL && strcmp (ns, XMLNS_NAMESPACE) == 0)
        continue;   /* a namespace declaration */

      /* Attributes mostly come in the order we write them: try the spec
       * after the last one matched first. */
      if (ns == NULL)
        for (guint k = 0; k < n_specs; k++)
          {
            guint i = (hint + k) % n_specs;

            if (strcmp (name, specs[i].name) == 0)
              {
                /* The scanner bounds a tag's length, and so a value's. */
                *specs[i].value = (const char *) xmlTextReaderConstValue (self->xml);
                known = TRUE;
                hint = i + 1;
                break;
              }
          }

      if (!known)
        {
          g_autofree char *copy = g_strdup (name);

          xmlTextReaderMoveToElement (self->xml);
          return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                         _("The element <%s> at line %d of the bundle has an unknown attribute “%s”."),
                         element, current_line (self), copy);
        }
    }
  xmlTextReaderMoveToElement (self->xml);

  for (guint i = 0; i < n_specs; i++)
    if (specs[i].required && *specs[i].value == NULL)
      return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                     _("The element <%s> at line %d of the bundle lacks the attribute “%s”."),
                     element, current_line (self), specs[i].name);

  return TRUE;
}

/* Decimal digits only, no sign, no leading zero, at most @max. */
static gboolean
parse_u64 (const char *text,
           guint64     min,
           guint64     max,
           guint64    *out)
{
  guint64 n = 0;

  if (text == NULL || *text == '\0' || (text[0] == '0' && text[1] != '\0'))
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      guint64 digit = (guint64) (*p - '0');

      if (*p < '0' || *p > '9')
        return FALSE;
      /* n * 10 + digit must not wrap: constants, no division per digit. */
      if (n > G_MAXUINT64 / 10 || (n == G_MAXUINT64 / 10 && digit > G_MAXUINT64 % 10))
        return FALSE;
      n = n * 10 + digit;
    }
  if (n < min || n > max)
    return FALSE;
  *out = n;
  return TRUE;
}

static gboolean
bad_value (AwdaBundleReader *self,
           GError          **error,
           const char       *element,
           const char       *attribute,
           const char       *value,
           const char       *expected)
{
  g_autofree char *shown = g_utf8_make_valid (value, MIN (strlen (value), 80));

  return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                 _("Invalid value “%s” for the attribute “%s” of <%s> at line %d of the bundle: expected %s."),
                 shown, attribute, element, current_line (self), expected);
}

static gboolean
check_site_id (AwdaBundleReader *self,
               GError          **error,
               const char       *element,
               const char       *attribute,
               const char       *value)
{
  if (awda_bundle_is_site_id (value))
    return TRUE;
  return bad_value (self, error, element, attribute, value,
                    _("a site id of 32 lowercase hexadecimal digits"));
}

static gboolean
check_name (AwdaBundleReader *self,
            GError          **error,
            const char       *element,
            const char       *value)
{
  if (value == NULL || g_utf8_strlen (value, -1) <= AWDA_TEXT_MAX_LENGTH)
    return TRUE;
  return bad_value (self, error, element, "name", value, _("a shorter name"));
}

static gboolean
read_header (AwdaBundleReader *self,
             GError          **error)
{
  AwdaBundleHeader *header;
  const char *format, *id, *created, *site, *name, *origin, *seq;
  AttributeSpec bundle_specs[] = { { "format", TRUE, &format } };
  AttributeSpec header_specs[] = { { "id", TRUE, &id }, { "created", TRUE, &created } };
  AttributeSpec from_specs[] = { { "site", TRUE, &site }, { "name", FALSE, &name } };
  AttributeSpec to_specs[] = { { "site", TRUE, &site } };
  AttributeSpec site_specs[] = { { "id", TRUE, &id }, { "name", FALSE, &name } };
  AttributeSpec have_specs[] = { { "origin", TRUE, &origin }, { "seq", TRUE, &seq } };
  g_autoptr(GHashTable) seen_sites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen_have = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean in_have = FALSE;
  guint64 n;
  int type;

  header = self->header = awda_bundle_header_new ();

  /* <bundle> */
  type = next_node (self, FALSE, error);
  if (type < 0)
    return FALSE;
  if (type == 0)
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID, _("The bundle holds no XML element at all."));
  if (type == XML_READER_TYPE_ELEMENT)
    {
      const char *local = (const char *) xmlTextReaderConstLocalName (self->xml);
      const char *ns = (const char *) xmlTextReaderConstNamespaceUri (self->xml);

      if (g_strcmp0 (ns, AWDA_BUNDLE_NAMESPACE) != 0 || g_strcmp0 (local, "bundle") != 0)
        return refuse (self, error, AWDA_BUNDLE_ERROR_VERSION,
                       _("This is not an Awda bundle: its root element is <%s> in the namespace “%s”, not <bundle> in “%s”."),
                       local, ns ? ns : "", AWDA_BUNDLE_NAMESPACE);
    }
  if (!expect_element (self, type, "bundle", N_("first"), error) ||
      !read_attributes (self, "bundle", bundle_specs, G_N_ELEMENTS (bundle_specs), error))
    return FALSE;
  if (!parse_u64 (format, 1, G_MAXUINT32, &n))
    return bad_value (self, error, "bundle", "format", format, _("a version number"));
  if (n != AWDA_BUNDLE_FORMAT)
    return refuse (self, error, AWDA_BUNDLE_ERROR_VERSION,
                   _("The bundle is in format version %llu"
                     ", which this version of Awda cannot read (it reads version %d)."),
                   (unsigned long long) n, AWDA_BUNDLE_FORMAT);
  if (xmlTextReaderIsEmptyElement (self->xml))
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The bundle at line %d is empty: it has no header."), current_line (self));

  /* <header> */
  type = next_node (self, FALSE, error);
  if (type < 0 || !expect_element (self, type, "header", N_("first in <bundle>"), error) ||
      !read_attributes (self, "header", header_specs, G_N_ELEMENTS (header_specs), error))
    return FALSE;
  if (!awda_uuid_is_valid (id))
    return bad_value (self, error, "header", "id", id, _("a lowercase UUID"));
  header->id = g_strdup (id);
  if (!parse_u64 (created, 1, G_MAXUINT64, &header->created))
    return bad_value (self, error, "header", "created", created, _("a clock reading (a positive whole number)"));
  if (xmlTextReaderIsEmptyElement (self->xml))
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The header at line %d of the bundle is empty: it does not say where the bundle comes from."),
                   current_line (self));

  /* <from> */
  type = next_node (self, FALSE, error);
  if (type < 0 || !expect_element (self, type, "from", N_("first in <header>"), error) ||
      !read_attributes (self, "from", from_specs, G_N_ELEMENTS (from_specs), error) ||
      !check_site_id (self, error, "from", "site", site) ||
      !check_name (self, error, "from", name))
    return FALSE;
  header->from_site = g_strdup (site);
  header->from_name = g_strdup (name);
  g_hash_table_add (seen_sites, g_strdup (site));
  if (!end_of_empty (self, "from", error))
    return FALSE;

  /* <to> */
  type = next_node (self, FALSE, error);
  if (type < 0 || !expect_element (self, type, "to", N_("after <from>"), error) ||
      !read_attributes (self, "to", to_specs, G_N_ELEMENTS (to_specs), error))
    return FALSE;
  if (strcmp (site, AWDA_BUNDLE_TO_ALL) != 0 && !awda_bundle_is_site_id (site))
    return bad_value (self, error, "to", "site", site, _("a site id, or * for every site"));
  header->to_site = g_strdup (site);
  if (!end_of_empty (self, "to", error))
    return FALSE;

  /* <site>*, <have>* */
  for (;;)
    {
      const char *local;

      type = next_node (self, FALSE, error);
      if (type < 0)
        return FALSE;
      if (type == XML_READER_TYPE_END_ELEMENT)
        break;
      if (type != XML_READER_TYPE_ELEMENT)
        return expect_element (self, type, "changes", N_("after <header>"), error);

      local = (const char *) xmlTextReaderConstLocalName (self->xml);
      if (!in_have && g_strcmp0 (local, "site") == 0)
        {
          if (!expect_element (self, type, "site", N_("in <header>"), error) ||
              !read_attributes (self, "site", site_specs, G_N_ELEMENTS (site_specs), error) ||
              !check_site_id (self, error, "site", "id", id) ||
              !check_name (self, error, "site", name))
            return FALSE;
          if (!g_hash_table_add (seen_sites, g_strdup (id)))
            return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                           _("The site %s is named twice in the header, the second time at line %d of the bundle."),
                           id, current_line (self));
          awda_bundle_header_add_site (header, id, name);
          if (!end_of_empty (self, "site", error))
            return FALSE;
        }
      else if (g_strcmp0 (local, "have") == 0)
        {
          in_have = TRUE;
          if (!expect_element (self, type, "have", N_("in <header>"), error) ||
              !read_attributes (self, "have", have_specs, G_N_ELEMENTS (have_specs), error) ||
              !check_site_id (self, error, "have", "origin", origin))
            return FALSE;
          if (!parse_u64 (seq, 0, G_MAXINT64, &n))
            return bad_value (self, error, "have", "seq", seq, _("a sequence number"));
          if (!g_hash_table_contains (seen_sites, origin))
            return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                           _("The vector entry at line %d of the bundle names the site %s, which the header does not list."),
                           current_line (self), origin);
          if (!g_hash_table_add (seen_have, g_strdup (origin)))
            return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                           _("The vector gives the site %s twice, the second time at line %d of the bundle."),
                           origin, current_line (self));
          awda_bundle_header_add_have (header, origin, n);
          if (!end_of_empty (self, "have", error))
            return FALSE;
        }
      else
        return expect_element (self, type, in_have ? "have" : "site", N_("in <header>"), error);
    }

  /* <changes> */
  type = next_node (self, FALSE, error);
  if (type < 0 || !expect_element (self, type, "changes", N_("after <header>"), error) ||
      !read_attributes (self, "changes", NULL, 0, error))
    return FALSE;

  self->state = xmlTextReaderIsEmptyElement (self->xml) ? READ_TRAILER : READ_CHANGES;
  return TRUE;
}

const AwdaBundleHeader *
awda_bundle_reader_read_header (AwdaBundleReader *self,
                                GError          **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->state == READ_START, NULL);

  if (!read_header (self, error))
    return NULL;
  return self->header;
}

/* After </changes>: the trailer, the end of the document and of the file. */
static gboolean
read_end (AwdaBundleReader *self,
          GError          **error)
{
  const char *count;
  AttributeSpec trailer_specs[] = { { "count", TRUE, &count } };
  g_autofree guchar *rest = NULL;
  guint64 n;
  int type;

  type = next_node (self, FALSE, error);
  if (type < 0 || !expect_element (self, type, "trailer", N_("after <changes>"), error) ||
      !read_attributes (self, "trailer", trailer_specs, G_N_ELEMENTS (trailer_specs), error))
    return FALSE;
  if (!parse_u64 (count, 0, G_MAXINT64, &n))
    return bad_value (self, error, "trailer", "count", count, _("a number of changes"));
  if (n != self->count)
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The trailer at line %d counts %llu changes, but the bundle holds %llu"
                     ": it was cut or altered."),
                   current_line (self), (unsigned long long) n, (unsigned long long) self->count);
  if (!end_of_empty (self, "trailer", error))
    return FALSE;

  type = next_node (self, FALSE, error);
  if (type < 0)
    return FALSE;
  if (type != XML_READER_TYPE_END_ELEMENT)
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The bundle goes on at line %d after its trailer."), current_line (self));
  self->root_closed = TRUE;

  type = next_node (self, FALSE, error);
  if (type < 0)
    return FALSE;
  if (type != 0)
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The bundle goes on at line %d after its end."), current_line (self));

  /* The parser may stop reading before the end of the input: whatever is
   * left must be blank, and the gzip stream must end, checksum and all. */
  rest = g_malloc (COMPRESSED_CHUNK);
  for (;;)
    {
      gssize got = inflater_read (&self->inf, rest, COMPRESSED_CHUNK, error);

      if (got < 0)
        {
          self->state = READ_FAILED;
          return FALSE;
        }
      if (got == 0)
        break;
      for (gssize i = 0; i < got; i++)
        if (!g_ascii_isspace (rest[i]))
          return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                         _("The bundle has content after its end."));
    }

  self->state = READ_DONE;
  return TRUE;
}

gboolean
awda_bundle_reader_next (AwdaBundleReader *self,
                         AwdaBundleChange *change,
                         GError          **error)
{
  const char *origin, *seq, *entity, *record, *field, *hlc, *base_hlc, *base_site, *cleared;
  AttributeSpec specs[] = {
    { "origin", TRUE, &origin },
    { "seq", TRUE, &seq },
    { "entity", TRUE, &entity },
    { "record", TRUE, &record },
    { "field", TRUE, &field },
    { "hlc", TRUE, &hlc },
    { "base-hlc", FALSE, &base_hlc },
    { "base-site", FALSE, &base_site },
    { "cleared", FALSE, &cleared },
  };
  guint64 n;
  int type;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (self->state != READ_START, FALSE);

  if (self->state == READ_FAILED)
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID, _("The bundle could not be read."));

  if (self->state == READ_DONE)
    return FALSE;
  if (self->state == READ_TRAILER)
    {
      read_end (self, error);
      return FALSE;
    }

  type = next_node (self, FALSE, error);
  if (type < 0)
    return FALSE;
  if (type == XML_READER_TYPE_END_ELEMENT)
    {
      if (!read_end (self, error))
        return FALSE;
      return FALSE;
    }
  if (!expect_element (self, type, "change", N_("in <changes>"), error))
    return FALSE;

  self->line = current_line (self);
  if (!read_attributes (self, "change", specs, G_N_ELEMENTS (specs), error))
    return FALSE;

  memset (change, 0, sizeof *change);

  /* Most changes come from the origin of the one before, checked then
   * (the string holds only what was checked). */
  if (self->origin->len == 0 || strcmp (origin, self->origin->str) != 0)
    {
      if (!check_site_id (self, error, "change", "origin", origin))
        return FALSE;
      g_string_assign (self->origin, origin);
    }
  change->origin = self->origin->str;

  if (!parse_u64 (seq, 1, G_MAXINT64, &n))
    return bad_value (self, error, "change", "seq", seq, _("a sequence number from 1"));
  change->seq = (gint64) n;

  if (!parse_u64 (hlc, 1, G_MAXUINT64, &change->hlc))
    return bad_value (self, error, "change", "hlc", hlc, _("a clock reading (a positive whole number)"));

  if ((base_hlc == NULL) != (base_site == NULL))
    return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                   _("The change at line %d of the bundle gives only half of its base version: “base-hlc” and “base-site” go together."),
                   self->line);
  if (base_hlc != NULL)
    {
      if (!parse_u64 (base_hlc, 1, G_MAXUINT64, &change->base_hlc))
        return bad_value (self, error, "change", "base-hlc", base_hlc, _("a clock reading (a positive whole number)"));
      if (self->base_site->len == 0 || strcmp (base_site, self->base_site->str) != 0)
        {
          if (!check_site_id (self, error, "change", "base-site", base_site))
            return FALSE;
          g_string_assign (self->base_site, base_site);
        }
      change->base_site = self->base_site->str;
    }

  if (self->record->len == 0 || strcmp (record, self->record->str) != 0)
    {
      if (!awda_uuid_is_valid (record))
        return bad_value (self, error, "change", "record", record, _("a lowercase UUID"));
      g_string_assign (self->record, record);
    }
  change->record = self->record->str;

  if (*entity == '\0' || strlen (entity) > 64)
    return bad_value (self, error, "change", "entity", entity, _("the name of a kind of record"));
  g_string_assign (self->entity, entity);
  change->entity = self->entity->str;

  if (*field == '\0' || strlen (field) > 64)
    return bad_value (self, error, "change", "field", field, _("the name of a field"));
  g_string_assign (self->field, field);
  change->field = self->field->str;

  if (cleared != NULL && strcmp (cleared, "true") != 0)
    return bad_value (self, error, "change", "cleared", cleared, _("true, or no such attribute"));

  /* The value: the text up to </change>. */
  g_string_truncate (self->value, 0);
  if (!xmlTextReaderIsEmptyElement (self->xml))
    {
      for (;;)
        {
          type = next_node (self, TRUE, error);
          if (type < 0)
            return FALSE;
          if (type == XML_READER_TYPE_END_ELEMENT)
            break;
          if (type == XML_READER_TYPE_ELEMENT)
            return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                           _("The change at line %d of the bundle holds an element; it may hold only its value."),
                           self->line);
          if (type == 0)
            return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                           _("The bundle ends inside the change at line %d."), self->line);
          g_string_append (self->value, (const char *) xmlTextReaderConstValue (self->xml));
          if (self->value->len > self->limits.max_text)
            {
              g_autofree char *cap = g_format_size (self->limits.max_text);

              return refuse (self, error, AWDA_BUNDLE_ERROR_UNSAFE,
                             _("The value of the change at line %d of the bundle is longer than %s."),
                             self->line, cap);
            }
        }
    }

  if (cleared != NULL)
    {
      if (self->value->len > 0)
        return refuse (self, error, AWDA_BUNDLE_ERROR_INVALID,
                       _("The change at line %d of the bundle is marked as cleared but has a value."),
                       self->line);
      change->value = NULL;
    }
  else
    change->value = self->value->str;

  self->count++;
  return TRUE;
}

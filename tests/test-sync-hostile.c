/* test-sync-hostile.c: hostile and damaged bundles are refused, and change nothing
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The corpus: the XML templates in tests/hostile/ (placeholders @FROM@,
 * @TO@, @BUNDLE@, @RECORD@, @HLC@, @FUTURE@ are filled in, then the text
 * is gzip-compressed), and the bundles made here that are too large or
 * too binary to keep as files: truncations, bit flips, a gzip bomb, huge
 * text, deep nesting, invalid UTF-8. Each must be refused with its own
 * sentence, and leave the database as it was: the same dump, the same
 * bytes on disk.
 */

#include "config.h"

#include <zlib.h>

#include "awda-bundle.h"
#include "awda-hlc.h"
#include "sync-test-util.h"

typedef struct
{
  char     *dir;
  char     *hostile_dir;
  TestSite *central;       /* the receiver */
  char     *from;          /* the hostile sender's site id */
  char     *real_bundle;   /* a genuine bundle from sfax, to damage */
  AwdaBundleLimits *limits;  /* NULL: the defaults */
  guint     n;
} Fixture;

static void
write_gzip (const char *path,
            const void *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;
  z_stream zs = { 0 };
  gsize bound;
  g_autofree guchar *out = NULL;

  g_assert_cmpint (deflateInit2 (&zs, 6, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  bound = deflateBound (&zs, len);
  out = g_malloc (bound);
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) len;
  zs.next_out = out;
  zs.avail_out = (uInt) bound;
  g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
  g_assert_true (g_file_set_contents (path, (const char *) out, (gssize) zs.total_out, &error));
  g_assert_no_error (error);
  deflateEnd (&zs);
}

/* A gzip file of @prefix then @n_filler bytes of @filler then @suffix,
 * compressed a chunk at a time. A @filler of 0 is random letters and
 * digits, which compress little, unlike a bomb. */
static void
write_gzip_stream (const char *path,
                   const char *prefix,
                   char        filler,
                   gsize       n_filler,
                   const char *suffix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  z_stream zs = { 0 };
  g_autofree char *chunk = g_malloc (1 << 20);
  guchar buf[65536];
  const char *parts[3] = { prefix, NULL, suffix };

  if (filler != 0)
    memset (chunk, filler, 1 << 20);
  else
    {
      static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      g_autoptr(GRand) rand = g_rand_new_with_seed (7);

      for (gsize i = 0; i < (1 << 20); i++)
        chunk[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
    }
  g_assert_cmpint (deflateInit2 (&zs, filler != 0 ? 9 : 1, Z_DEFLATED, MAX_WBITS + 16, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);

  for (int part = 0; part < 3; part++)
    {
      gsize remaining = part == 1 ? n_filler : strlen (parts[part]);

      while (remaining > 0 || part == 2)
        {
          gsize n = part == 1 ? MIN (remaining, (gsize) 1 << 20) : remaining;
          int flush = (part == 2) ? Z_FINISH : Z_NO_FLUSH;
          int ret;

          zs.next_in = (Bytef *) (part == 1 ? chunk : parts[part] + strlen (parts[part]) - remaining);
          zs.avail_in = (uInt) n;
          do
            {
              zs.next_out = buf;
              zs.avail_out = sizeof buf;
              ret = deflate (&zs, flush);
              g_byte_array_append (out, buf, sizeof buf - zs.avail_out);
            }
          while (zs.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
          remaining -= n;
          if (part == 2)
            break;
        }
    }
  deflateEnd (&zs);
  g_assert_true (g_file_set_contents (path, (const char *) out->data, (gssize) out->len, &error));
  g_assert_no_error (error);
}

static char *
template_text (Fixture    *f,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->hostile_dir, name, NULL);
  g_autofree char *text = NULL;
  g_autofree char *bundle_id = g_uuid_string_random ();
  g_autofree char *hlc = g_strdup_printf ("%" G_GUINT64_FORMAT, awda_hlc_from_ms (f->central->now_ms - 60000));
  g_autofree char *future = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             awda_hlc_from_ms (f->central->now_ms + G_GINT64_CONSTANT (400) * 86400000));
  struct { const char *from, *to; } subst[] = {
    { "@FROM@", f->from },
    { "@TO@", test_site_id (f->central) },
    { "@BUNDLE@", bundle_id },
    { "@RECORD@", "01900000-0000-7000-8000-0000000000aa" },
    { "@HLC@", hlc },
    { "@FUTURE@", future },
  };

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (subst); i++)
    {
      g_auto(GStrv) parts = g_strsplit (text, subst[i].from, -1);

      g_free (text);
      text = g_strjoinv (subst[i].to, parts);
    }
  return g_steal_pointer (&text);
}

static char *
new_path (Fixture    *f,
          const char *name)
{
  return g_strdup_printf ("%s/%03u-%s.awda", f->dir, ++f->n, name);
}

static char *
bundle_from_template (Fixture    *f,
                      const char *name)
{
  g_autofree char *text = template_text (f, name);
  char *path = new_path (f, name);

  write_gzip (path, text, strlen (text));
  return path;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TestSite *sfax;

  f->dir = g_dir_make_tmp ("awda-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  f->hostile_dir = g_test_build_filename (G_TEST_DIST, "hostile", NULL);
  f->central = test_site_new (f->dir, "central", "central");
  f->from = g_strdup ("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");

  /* Central holds data of its own and some from sfax. */
  sfax = test_site_new (f->dir, "sfax", "regional");
  g_assert_true (awda_store_begin (sfax->store, &error));
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("Habib %u", i);
      g_autofree char *id = test_write (sfax, "case", NULL, "given_name", name, "family_name", "Jlassi",
                                        "status", "reception", "address", "Rue de la Kasbah\nSfax", NULL);
    }
  g_assert_true (awda_store_commit (sfax->store, &error));
  f->real_bundle = g_strdup_printf ("%s/real.awda", f->dir);
  test_export (sfax, NULL, f->real_bundle);
  g_free (test_write (f->central, "case", NULL, "given_name", "Najet", "status", "plan", NULL));
  {
    g_autofree char *first = g_strdup_printf ("%s/first.awda", f->dir);
    g_autoptr(AwdaSyncImport) r = NULL;

    test_export (sfax, NULL, first);
    r = test_import (f->central, first);
  }
  /* And more from sfax, not yet received: the damaged copies of that
   * bundle would add it if they were taken. */
  g_free (test_write (sfax, "case", NULL, "given_name", "Late", "status", "reception", NULL));
  g_unlink (f->real_bundle);
  test_export (sfax, NULL, f->real_bundle);
  test_site_free (sfax);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_site_free (f->central);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->hostile_dir);
  g_free (f->from);
  g_free (f->real_bundle);
}

static guint
spool_files (Fixture *f)
{
  g_autofree char *spool = g_strconcat (f->central->path, "-spool", NULL);
  g_autoptr(GDir) dir = g_dir_open (spool, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Imports @path and expects a refusal in @domain (and @code unless -1)
 * whose message holds @fragment; the database must not change at all. */
static void
assert_refused (Fixture    *f,
                const char *path,
                GQuark      domain,
                int         code,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSyncImport) result = NULL;
  g_autofree char *dump_before = test_dump (f->central->store);
  g_autofree char *sum_before = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *sum_after = NULL;
  guint64 hlc_before = awda_store_get_last_hlc (f->central->store);

  test_site_close (f->central);
  sum_before = test_file_checksum (f->central->path);
  test_site_reopen (f->central);
  awda_sync_set_limits (f->central->store, f->limits);

  result = awda_sync_import (f->central->store, path, NULL, NULL, NULL, &error);
  if (result != NULL)
    g_error ("%s was imported (%" G_GUINT64_FORMAT " applied), not refused", path, result->applied);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);
  if (error->domain != domain || (code >= 0 && error->code != code))
    g_error ("%s: refused with %s %d (%s), not %s %d", path, g_quark_to_string (error->domain),
             error->code, error->message, g_quark_to_string (domain), code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("%s: the message “%s” does not say “%s”", path, error->message, fragment);
  /* One sentence. */
  g_assert_true (g_str_has_suffix (error->message, "."));
  g_assert_null (strchr (error->message, '\n'));

  dump_after = test_dump (f->central->store);
  g_assert_cmpstr (dump_after, ==, dump_before);
  g_assert_cmpuint (awda_store_get_last_hlc (f->central->store), ==, hlc_before);
  test_site_close (f->central);
  sum_after = test_file_checksum (f->central->path);
  g_assert_cmpstr (sum_after, ==, sum_before);
  test_site_reopen (f->central);

  /* The spooled copy is gone too. */
  g_assert_cmpuint (spool_files (f), ==, 0);
}

static const struct
{
  const char *file;
  int         code;
  const char *fragment;
} corpus[] = {
  { "doctype.xml", AWDA_BUNDLE_ERROR_UNSAFE, "Line 2 of the bundle declares a document type (<!DOCTYPE" },
  { "xxe-file.xml", AWDA_BUNDLE_ERROR_UNSAFE, "refers to an outside file or address" },
  { "xxe-parameter.xml", AWDA_BUNDLE_ERROR_UNSAFE, "declares a parameter entity" },
  { "billion-laughs.xml", AWDA_BUNDLE_ERROR_UNSAFE, "billion laughs" },
  { "quadratic-blowup.xml", AWDA_BUNDLE_ERROR_UNSAFE, "declares an entity in a document type" },
  { "undeclared-entity.xml", AWDA_BUNDLE_ERROR_UNSAFE, "Line 9 of the bundle refers to the entity “&xxe;”" },
  { "wrong-namespace.xml", AWDA_BUNDLE_ERROR_VERSION, "This is not an Awda bundle" },
  { "wrong-version.xml", AWDA_BUNDLE_ERROR_VERSION, "format version 2, which this version of Awda cannot read" },
  { "unknown-element.xml", AWDA_BUNDLE_ERROR_INVALID, "Unexpected element <script> at line 10" },
  { "unknown-attribute.xml", AWDA_BUNDLE_ERROR_INVALID, "unknown attribute “priority”" },
  { "missing-attribute.xml", AWDA_BUNDLE_ERROR_INVALID, "at line 9 of the bundle lacks the attribute “seq”" },
  { "many-attributes.xml", AWDA_BUNDLE_ERROR_UNSAFE, "at line 9 of the bundle has more than 16 attributes" },
  { "trailer-count.xml", AWDA_BUNDLE_ERROR_INVALID, "counts 2 changes, but the bundle holds 1" },
  { "duplicate-change.xml", AWDA_BUNDLE_ERROR_INVALID, "line 10 of the bundle is refused: Change 1 of site 5a5a" },
  { "wrong-recipient.xml", AWDA_BUNDLE_ERROR_REFUSED, "addressed to the site 0123456789abcdef0123456789abcdef (Another office)" },
  { "unlisted-site.xml", AWDA_BUNDLE_ERROR_INVALID, "the site fedcba9876543210fedcba9876543210, which the header does not list" },
  { "forged-origin.xml", AWDA_BUNDLE_ERROR_INVALID, "claims to be change 999 of this installation" },
  { "invalid-value.xml", AWDA_BUNDLE_ERROR_INVALID, "Invalid value “x” for field “sex”" },
  { "cleared-with-value.xml", AWDA_BUNDLE_ERROR_INVALID, "marked as cleared but has a value" },
  { "half-base.xml", AWDA_BUNDLE_ERROR_INVALID, "gives only half of its base version" },
  { "unknown-entity.xml", AWDA_BUNDLE_ERROR_INVALID, "unknown record type “secrets”" },
  { "trailing-element.xml", AWDA_BUNDLE_ERROR_MALFORMED, "The bundle goes on after its end, at line 13" },
  { "unclosed.xml", AWDA_BUNDLE_ERROR_MALFORMED, "stops at line 11 before its XML is complete: it was cut short" },
  { "far-future-invalid.xml", AWDA_BUNDLE_ERROR_INVALID, "line 9 of the bundle is refused: Invalid value “x” for field “sex”" },
};

/* The control: the template everything else varies is itself fine. */
static void
test_hostile_control (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = bundle_from_template (f, "valid.xml");
  g_autoptr(AwdaSyncImport) r = test_import (f->central, path);

  g_assert_cmpuint (r->applied, ==, 1);
}

static void
test_hostile_corpus (Fixture       *f,
                     gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autofree char *path = bundle_from_template (f, corpus[i].file);

      assert_refused (f, path, AWDA_BUNDLE_ERROR, corpus[i].code, corpus[i].fragment);
    }
}

static void
test_hostile_held_duplicate (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *valid = bundle_from_template (f, "valid.xml");
  g_autofree char *text = template_text (f, "valid.xml");
  g_autofree char *path = new_path (f, "other-content");
  g_auto(GStrv) parts = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(AwdaSyncImport) r = test_import (f->central, valid);

  /* The same (origin, seq) as held, with another value. */
  parts = g_strsplit (text, ">Mallory<", -1);
  changed = g_strjoinv (">Trudy<", parts);
  write_gzip (path, changed, strlen (changed));
  assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID,
                  "arrives with other content than the one already held");
}

static void
test_hostile_far_future (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundle_from_template (f, "far-future.xml");
  g_autofree char *before = test_dump (f->central->store);
  g_autofree char *after = NULL;
  g_autoptr(AwdaSyncImport) r = NULL;
  g_autoptr(GPtrArray) quarantine = NULL;
  guint64 hlc = awda_store_get_last_hlc (f->central->store);

  /* Not applied: set aside, and shown, with why. */
  r = test_import (f->central, path);
  g_assert_cmpuint (r->quarantined, ==, 1);
  g_assert_cmpuint (r->applied, ==, 0);
  after = test_dump (f->central->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (awda_store_get_last_hlc (f->central->store), ==, hlc);
  quarantine = awda_sync_list_quarantine (f->central->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarantine->len, ==, 1);
  g_assert_cmpstr (((AwdaSyncQuarantined *) g_ptr_array_index (quarantine, 0))->value, ==, "From the future");
  g_assert_nonnull (strstr (((AwdaSyncQuarantined *) g_ptr_array_index (quarantine, 0))->reason, "400 days ahead"));

  /* The same change, in time now but with another content: a forgery. */
  {
    g_autofree char *forged = bundle_from_template (f, "valid.xml");

    assert_refused (f, forged, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID,
                    "arrives with other content than the one set aside");
  }
}

static void
test_hostile_not_gzip (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *text = template_text (f, "valid.xml");
  g_autofree char *plain = new_path (f, "plain");
  g_autofree char *empty = new_path (f, "empty");

  g_assert_true (g_file_set_contents (plain, text, -1, NULL));
  assert_refused (f, plain, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT, "not gzip-compressed");
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_refused (f, empty, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT, "empty file");
}

static void
test_hostile_after_end (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autofree char *garbage = new_path (f, "garbage-after");
  g_autofree char *twice = new_path (f, "two-members");
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize len;

  g_assert_true (g_file_get_contents (f->real_bundle, &contents, &len, NULL));
  g_byte_array_append (bytes, (guchar *) contents, len);
  g_byte_array_append (bytes, (guchar *) "trailing", 8);
  g_assert_true (g_file_set_contents (garbage, (char *) bytes->data, bytes->len, NULL));
  assert_refused (f, garbage, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT, "unexpected data after the end");

  /* A second gzip member, such as `cat a.awda b.awda` makes. */
  g_byte_array_set_size (bytes, len);
  g_byte_array_append (bytes, (guchar *) contents, len);
  g_assert_true (g_file_set_contents (twice, (char *) bytes->data, bytes->len, NULL));
  assert_refused (f, twice, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT, "unexpected data after the end");
}

static void
test_hostile_truncated (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  gsize len;

  g_assert_true (g_file_get_contents (f->real_bundle, &contents, &len, NULL));

  /* Cut the file anywhere: the header, the deflate stream, the trailer. */
  for (guint i = 0; i < 60; i++)
    {
      gsize cut = i < 12 ? i + 1 : i < 20 ? len - (i - 11) : (gsize) g_rand_int_range (rand, 12, (gint32) len - 8);
      g_autofree char *path = new_path (f, "cut");

      g_assert_true (g_file_set_contents (path, contents, (gssize) cut, NULL));
      assert_refused (f, path, AWDA_BUNDLE_ERROR, -1, NULL);
    }
}

static void
test_hostile_truncated_xml (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *xml_path = g_strdup_printf ("%s/real.xml", f->dir);
  g_autofree char *xml = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  gsize len;

  /* The XML cut, in a sound gzip stream: the trailer is missing, or an
   * element, or half of one. */
  test_gunzip (f->real_bundle, xml_path);
  g_assert_true (g_file_get_contents (xml_path, &xml, &len, NULL));
  for (guint i = 0; i < 40; i++)
    {
      gsize cut = (gsize) g_rand_int_range (rand, 1, (gint32) len - 1);
      g_autofree char *path = new_path (f, "cut-xml");

      write_gzip (path, xml, cut);
      assert_refused (f, path, AWDA_BUNDLE_ERROR, -1, NULL);
    }
}

static void
test_hostile_bit_flips (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1337);
  gsize len;

  g_assert_true (g_file_get_contents (f->real_bundle, &contents, &len, NULL));

  /* Anywhere in the compressed data or the checksum, but the last bits
   * of the deflate stream, which are padding and carry nothing. */
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *flipped = g_memdup2 (contents, len);
      g_autofree char *path = new_path (f, "flip");
      gsize at = i < 8 ? len - 1 - i : (gsize) g_rand_int_range (rand, 10, (gint32) len - 9);

      flipped[at] ^= (char) (1 << g_rand_int_range (rand, 0, 8));
      g_assert_true (g_file_set_contents (path, flipped, (gssize) len, NULL));
      assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_CORRUPT, NULL);
    }
}

static const char bundle_start[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<bundle xmlns=\"urn:awda:bundle:1\" format=\"1\">\n";

static void
test_hostile_gzip_bomb (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = new_path (f, "bomb");
  AwdaBundleLimits limits;

  /* 512 MiB of blanks in a few hundred kilobytes. */
  write_gzip_stream (path, bundle_start, ' ', (gsize) 512 << 20, "</bundle>\n");
  assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                  "times its compressed size");

  /* And the cap on the size itself, shrunk here to the real bundle's. */
  awda_bundle_limits_init_default (&limits);
  limits.max_inflated = 4096;
  f->limits = &limits;
  assert_refused (f, f->real_bundle, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                  "decompresses to more than 4.1");
}

static void
test_hostile_huge (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text_path = new_path (f, "huge-text");
  g_autofree char *tag_path = new_path (f, "huge-tag");
  g_autofree char *comment_path = new_path (f, "huge-comment");
  g_autofree char *nest_path = new_path (f, "deep");
  g_autofree char *flood_path = new_path (f, "attribute-flood");
  g_autofree char *head = g_strdup_printf ("%s  <header id=\"01234567-89ab-4def-8123-456789abcdef\" created=\"1\">\n"
                                           "    <from site=\"%s\"/>\n    <to site=\"*\"/>\n  </header>\n  <changes>\n",
                                           bundle_start, f->from);
  g_autofree char *change = g_strdup_printf ("%s    <change origin=\"%s\" seq=\"1\" entity=\"case\""
                                             " record=\"01900000-0000-7000-8000-0000000000aa\" field=\"notes\" hlc=\"1\">",
                                             head, f->from);
  g_autoptr(GString) nest = g_string_new (change);
  g_autoptr(GString) flood = g_string_new (head);

  /* 8 MiB of text in one value */
  write_gzip_stream (text_path, change, 0, (gsize) 8 << 20, "</change></changes><trailer count=\"1\"/></bundle>");
  assert_refused (f, text_path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                  "The text that starts at line 8 of the bundle is longer than");

  /* A start tag that never ends */
  {
    g_autofree char *open = g_strdup_printf ("%s    <change origin=\"%s\"", head, f->from);

    write_gzip_stream (tag_path, open, 0, (gsize) 8 << 20, "/>");
    assert_refused (f, tag_path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                    "The tag that starts at line 8 of the bundle is longer than");
  }

  /* A comment that never ends */
  write_gzip_stream (comment_path, "<?xml version=\"1.0\"?>\n<!--", 0, (gsize) 8 << 20, "-->");
  assert_refused (f, comment_path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                  "The comment that starts at line 2 of the bundle is longer than");

  /* 100,000 elements deep */
  for (guint i = 0; i < 100000; i++)
    g_string_append (nest, "<x>");
  write_gzip (nest_path, nest->str, nest->len);
  assert_refused (f, nest_path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                  "The element <x> at line 8 of the bundle is nested deeper than the 3 levels");

  /* 200,000 attributes, their values full of '>' to confuse a naive scanner */
  g_string_append (flood, "    <change");
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (flood, " a%u=\">\"", i);
  g_string_append (flood, "/>");
  write_gzip (flood_path, flood->str, flood->len);
  assert_refused (f, flood_path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_UNSAFE,
                  "The element at line 8 of the bundle has more than 16 attributes");
}

static void
test_hostile_invalid_utf8 (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *text = template_text (f, "valid.xml");
  g_autofree char *path = new_path (f, "invalid-utf8");
  g_autofree char *overlong = new_path (f, "overlong-utf8");
  g_auto(GStrv) parts = g_strsplit (text, "Mallory", -1);
  g_autofree char *bad = g_strjoinv ("Mal\xff\xfelory", parts);
  g_autofree char *bad2 = g_strjoinv ("Mal\xc0\xafory", parts);

  write_gzip (path, bad, strlen (bad));
  assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_MALFORMED,
                  "Line 9 of the bundle is not valid UTF-8 text (Bytes: 0xFF 0xFE");
  write_gzip (overlong, bad2, strlen (bad2));
  assert_refused (f, overlong, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_MALFORMED,
                  "Line 9 of the bundle is not valid UTF-8 text (Bytes: 0xC0 0xAF");
}

/* A bundle of @n changes of new cases from the hostile site, the one at
 * @bad (from 1; 0 for none) with a value the store refuses. Change i is
 * on line 8 + i. */
static char *
long_bundle_text (Fixture *f,
                  guint    n,
                  guint    bad)
{
  static const char *const fields[][2] = {
    { "given_name", "Mallory" }, { "family_name", "Trabelsi" }, { "phone", "+216 98 000 001" }, { "status", "plan" },
  };
  g_autofree char *bundle_id = g_uuid_string_random ();
  guint64 hlc = awda_hlc_from_ms (f->central->now_ms - 60000);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<bundle xmlns=\"urn:awda:bundle:1\" format=\"1\">\n"
                          "  <header id=\"%s\" created=\"%" G_GUINT64_FORMAT "\">\n"
                          "    <from site=\"%s\" name=\"Hostile office\"/>\n"
                          "    <to site=\"*\"/>\n"
                          "    <have origin=\"%s\" seq=\"%u\"/>\n"
                          "  </header>\n"
                          "  <changes>\n", bundle_id, hlc + n, f->from, f->from, n);
  for (guint i = 1; i <= n; i++)
    {
      guint k = (i - 1) % G_N_ELEMENTS (fields);

      g_string_append_printf (s, "    <change origin=\"%s\" seq=\"%u\" entity=\"case\""
                              " record=\"01900000-0000-7000-8000-%012x\" field=\"%s\" hlc=\"%" G_GUINT64_FORMAT "\">%s</change>\n",
                              f->from, i, (guint) ((i - 1) / G_N_ELEMENTS (fields)), i == bad ? "sex" : fields[k][0],
                              hlc + (i - 1) / G_N_ELEMENTS (fields), i == bad ? "x" : fields[k][1]);
    }
  g_string_append_printf (s, "  </changes>\n  <trailer count=\"%u\"/>\n</bundle>\n", n);
  return g_string_free (s, FALSE);
}

/* Bundles of many changes are read a batch at a time while the changes
 * before are merged: what comes wrong late in one is refused with its
 * own line, and leaves nothing behind. */
static void
test_hostile_late_in_long_bundle (Fixture       *f,
                                  gconstpointer  data)
{
  const guint n = 5000, bad = 4321;

  {
    g_autofree char *text = long_bundle_text (f, n, bad);
    g_autofree char *path = new_path (f, "late-invalid");
    g_autofree char *fragment = g_strdup_printf ("The change at line %u of the bundle is refused: Invalid value “x” for field “sex”",
                                                 8 + bad);

    write_gzip (path, text, strlen (text));
    assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID, fragment);
  }

  {
    g_autofree char *text = long_bundle_text (f, n, 0);
    g_autofree char *path = new_path (f, "late-cut");
    /* Cut inside the change on line 8 + 4000. */
    char *cut = strstr (text, "seq=\"4000\"");

    g_assert_nonnull (cut);
    write_gzip (path, text, (gsize) (cut - text));
    assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_MALFORMED, "line 4008");
  }

  {
    g_autofree char *text = long_bundle_text (f, n, 0);
    g_autofree char *path = new_path (f, "long");
    g_autoptr(AwdaSyncImport) r = NULL;

    write_gzip (path, text, strlen (text));
    r = test_import (f->central, path);
    g_assert_cmpuint (r->applied, ==, n);
    g_assert_cmpint (test_query_int (f->central->store, "SELECT count (*) FROM \"case\" WHERE given_name = 'Mallory'"),
                     ==, n / 4);
  }
}

/* A long bundle received again is all held, changes nothing, and a copy
 * of it with one change altered inside a change set is refused. */
static void
test_hostile_held_long_bundle (Fixture       *f,
                               gconstpointer  data)
{
  const guint n = 5000;
  g_autofree char *text = long_bundle_text (f, n, 0);
  g_autofree char *path = new_path (f, "long");
  g_autofree char *forged_path = new_path (f, "long-forged");
  g_autofree char *dump = NULL;
  g_autofree char *again = NULL;
  g_autofree char *forged = NULL;
  char *change;

  write_gzip (path, text, strlen (text));
  {
    g_autoptr(AwdaSyncImport) r = test_import (f->central, path);

    g_assert_cmpuint (r->applied, ==, n);
  }
  dump = test_dump (f->central->store);
  {
    g_autoptr(AwdaSyncImport) r = test_import (f->central, path);

    g_assert_cmpuint (r->applied, ==, 0);
    g_assert_cmpuint (r->present, ==, n);
  }
  again = test_dump (f->central->store);
  g_assert_cmpstr (again, ==, dump);

  /* Change 2002 is the second of the four its edit made: its family name. */
  change = strstr (text, "seq=\"2002\"");
  g_assert_nonnull (change);
  change = strstr (change, ">Trabelsi<");
  g_assert_nonnull (change);
  forged = g_strdup_printf ("%.*s>Trudy<%s", (int) (change - text), text, change + strlen (">Trabelsi<"));
  write_gzip (forged_path, forged, strlen (forged));
  assert_refused (f, forged_path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID,
                  "The change at line 2010 of the bundle is refused: Change 2002 of site 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
                  " arrives with other content than the one already held");
}

/* The reader checks a site id or a record id once while it repeats from
 * change to change: one that differs from the change before is checked
 * again, and so is the first. The second change of the bundle (line 10)
 * has these attributes; the first has valid ones. */
static char *
two_changes_text (Fixture    *f,
                  const char *origin,
                  const char *record,
                  const char *base_site)
{
  g_autofree char *bundle_id = g_uuid_string_random ();
  guint64 hlc = awda_hlc_from_ms (f->central->now_ms - 60000);
  const char *valid_record = "01900000-0000-7000-8000-0000000000aa";

  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<bundle xmlns=\"urn:awda:bundle:1\" format=\"1\">\n"
                          "  <header id=\"%s\" created=\"%" G_GUINT64_FORMAT "\">\n"
                          "    <from site=\"%s\" name=\"Hostile office\"/>\n"
                          "    <to site=\"*\"/>\n"
                          "    <have origin=\"%s\" seq=\"2\"/>\n"
                          "  </header>\n"
                          "  <changes>\n"
                          "    <change origin=\"%s\" seq=\"1\" entity=\"case\" record=\"%s\" field=\"phone\""
                          " hlc=\"%" G_GUINT64_FORMAT "\"%s%s%s>+216 98 000 001</change>\n"
                          "    <change origin=\"%s\" seq=\"2\" entity=\"case\" record=\"%s\" field=\"status\""
                          " hlc=\"%" G_GUINT64_FORMAT "\"%s%s%s>plan</change>\n"
                          "  </changes>\n"
                          "  <trailer count=\"2\"/>\n"
                          "</bundle>\n",
                          bundle_id, hlc, f->from, f->from,
                          f->from, valid_record, hlc,
                          base_site ? " base-hlc=\"1\" base-site=\"" : "", base_site ? f->from : "", base_site ? "\"" : "",
                          origin, record, hlc,
                          base_site ? " base-hlc=\"1\" base-site=\"" : "", base_site ? base_site : "", base_site ? "\"" : "");
}

static void
test_hostile_ids_after_valid_ones (Fixture       *f,
                                   gconstpointer  data)
{
  const char *record = "01900000-0000-7000-8000-0000000000aa";
  const struct
  {
    const char *origin;
    const char *record;
    const char *base_site;
    const char *fragment;
  } cases[] = {
    { "", record, NULL, "Invalid value “” for the attribute “origin” of <change> at line 10" },
    { "5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A", record, NULL, "for the attribute “origin” of <change> at line 10" },
    { f->from, "", NULL, "Invalid value “” for the attribute “record” of <change> at line 10" },
    { f->from, "01900000-0000-7000-8000-0000000000AA", NULL, "for the attribute “record” of <change> at line 10" },
    { f->from, record, "", "Invalid value “” for the attribute “base-site” of <change> at line 10" },
    { f->from, record, "zz", "for the attribute “base-site” of <change> at line 10" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = two_changes_text (f, cases[i].origin, cases[i].record, cases[i].base_site);
      g_autofree char *path = new_path (f, "second-change");

      write_gzip (path, text, strlen (text));
      assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID, cases[i].fragment);
    }

  /* The first change's ids are checked too. */
  {
    g_autofree char *text = two_changes_text (f, f->from, record, NULL);
    g_autofree char *path = new_path (f, "first-change");
    g_autofree char *from = g_strdup_printf ("<change origin=\"%s\"", f->from);
    char *first = strstr (text, from);
    g_autofree char *damaged = NULL;

    g_assert_nonnull (first);
    damaged = g_strdup_printf ("%.*s<change origin=\"\"%s", (int) (first - text), text, first + strlen (from));
    write_gzip (path, damaged, strlen (damaged));
    assert_refused (f, path, AWDA_BUNDLE_ERROR, AWDA_BUNDLE_ERROR_INVALID,
                    "Invalid value “” for the attribute “origin” of <change> at line 9");
  }

  /* And with ids like the first change's, both are taken. */
  {
    g_autofree char *text = two_changes_text (f, f->from, record, f->from);
    g_autofree char *path = new_path (f, "second-change");
    g_autoptr(AwdaSyncImport) r = NULL;

    write_gzip (path, text, strlen (text));
    r = test_import (f->central, path);
    g_assert_cmpuint (r->applied, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/hostile/control", test_hostile_control);
  ADD ("/sync/hostile/corpus", test_hostile_corpus);
  ADD ("/sync/hostile/held-duplicate", test_hostile_held_duplicate);
  ADD ("/sync/hostile/far-future", test_hostile_far_future);
  ADD ("/sync/hostile/not-gzip", test_hostile_not_gzip);
  ADD ("/sync/hostile/after-end", test_hostile_after_end);
  ADD ("/sync/hostile/truncated", test_hostile_truncated);
  ADD ("/sync/hostile/truncated-xml", test_hostile_truncated_xml);
  ADD ("/sync/hostile/bit-flips", test_hostile_bit_flips);
  ADD ("/sync/hostile/gzip-bomb", test_hostile_gzip_bomb);
  ADD ("/sync/hostile/huge", test_hostile_huge);
  ADD ("/sync/hostile/invalid-utf8", test_hostile_invalid_utf8);
  ADD ("/sync/hostile/late-in-long-bundle", test_hostile_late_in_long_bundle);
  ADD ("/sync/hostile/held-long-bundle", test_hostile_held_long_bundle);
  ADD ("/sync/hostile/ids-after-valid-ones", test_hostile_ids_after_valid_ones);
#undef ADD

  return g_test_run ();
}

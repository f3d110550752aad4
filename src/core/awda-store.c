/* awda-store.c: the case store, its site identity and its one write API
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every local write goes through awda_store_apply(): it validates the
 * values against the data dictionary, then in one transaction updates the
 * typed table, the field versions, the search index and the change log.
 * Received changes go through a merge run (awda_merge_run_add()), which
 * applies the per-field last-writer-wins rule and keeps the losers as
 * conflicts.
 */

#define G_LOG_DOMAIN "awda-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "awda-core-resources.h"
#include "awda-fold.h"
#include "awda-hlc.h"
#include "awda-store-private.h"

#define MIGRATIONS_PATH "/org/awda/Awda/migrations"

/* One field of an edit: its name and value share one allocation. */
typedef struct
{
  guint       hash;   /* g_str_hash() of the name: most names differ there already */
  char       *name;   /* owns the value too */
  const char *value;  /* NULL: cleared */
} EditField;

struct _AwdaEdit
{
  char      *entity;
  char      *record;
  gboolean   create;
  GArray    *fields;  /* EditField, in the order they were first set */
};

/* What the local write path keeps of an entity, made at its first write:
 * its fields by name and its statements, so that a write neither formats
 * nor hashes SQL. */
typedef struct
{
  GHashTable    *fields;   /* name → its AwdaField, "deleted" included */
  sqlite3_stmt  *insert;   /* id, then every field's value and version */
  sqlite3_stmt  *probe;    /* deleted, by id */
  sqlite3_stmt **updates;  /* [n_fields + 1]: one field's value and version, by rowid; the last is deleted's */
  GHashTable    *live;     /* ids that reference checks found live, in this bulk transaction */
} EntityWriter;

/* The field changes of one edit, gathered into one change_set row. */
typedef struct
{
  GString *json;
  gint64   first_seq;
  gint64   next_seq;
} LogBuffer;

struct _AwdaStore
{
  GObject        parent_instance;

  sqlite3       *db;
  char          *path;
  AwdaSite       site;
  gint64         site_num;
  guint64        hlc;       /* the highest issued or observed */
  gint64         next_seq;  /* the next local sequence number */
  guint          txn_depth; /* 1 inside awda_store_begin() */
  gboolean       read_only; /* opened by awda_store_open_reader() */

  AwdaWallClock  clock;
  gpointer       clock_data;

  GHashTable    *stmts;     /* SQL text → sqlite3_stmt */
  GHashTable    *columns;   /* entity → its column list */
  GHashTable    *site_ids;  /* site num → site id */

  guchar         random[4096];
  guint          random_used;

  LogBuffer      log;       /* reused by every write */
  GTimeZone     *local_zone;
  EntityWriter  *writers;   /* [n_entities], in the dictionary's order; made as needed */
  guint          n_writers;
  int            search_fields[6]; /* where the search document's fields are among the case's */
  sqlite3_stmt  *log_insert;       /* the statements of every write, made at the first */
  sqlite3_stmt  *search_insert;
  sqlite3_stmt  *search_delete;
};

G_DEFINE_TYPE (AwdaStore, awda_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (awda-store-error-quark, awda_store_error)

/* A record's current state, for a write. */
typedef struct
{
  gint64    rowid;       /* 0: not yet in the table */
  gboolean  deleted;
  guint64   deleted_hlc;
  gint64    deleted_site;
  char    **values;
  guint64  *hlcs;        /* 0: never written */
  gint64   *sites;
} RowState;

static void
row_state_clear (RowState *row,
                 guint     n_fields)
{
  if (row->values)
    for (guint i = 0; i < n_fields; i++)
      g_free (row->values[i]);
  g_clear_pointer (&row->values, g_free);
  g_clear_pointer (&row->hlcs, g_free);
  g_clear_pointer (&row->sites, g_free);
}

static void
row_state_init (RowState *row,
                guint     n_fields)
{
  memset (row, 0, sizeof *row);
  row->values = g_new0 (char *, n_fields);
  row->hlcs = g_new0 (guint64, n_fields);
  row->sites = g_new0 (gint64, n_fields);
}

/* Errors */

void
awda_sqlite_set_error (sqlite3     *db,
                       GError     **error,
                       const char  *what)
{
  int code = sqlite3_extended_errcode (db);

  g_return_if_fail (what != NULL);

  /* @what is already translated: a whole clause, so that no English
   * fragment lands in a translated sentence. */
  if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                 /* Translators: the first %s says what could not be done
                  * (“Could not write to the database”), the second is
                  * SQLite’s own message, in English. */
                 _("%s: the disk is full (%s)."), what, sqlite3_errmsg (db));
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                 /* Translators: the first %s says what could not be done
                  * (“Could not write to the database”), the second is
                  * SQLite’s own message, in English. */
                 _("%s: the database is busy with another task or program; try again in a moment (%s)."),
                 what, sqlite3_errmsg (db));
  else
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                 /* Translators: the first %s says what could not be done
                  * (“Could not read the change log”), the second is
                  * SQLite’s own message, in English. */
                 _("%s (%s)."), what, sqlite3_errmsg (db));
}

void
awda_store_set_sqlite_error (AwdaStore   *self,
                             GError     **error,
                             const char  *what)
{
  awda_sqlite_set_error (self->db, error, what);
}

/* Statements */

sqlite3_stmt *
awda_store_prepare (AwdaStore   *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);

  stmt = g_hash_table_lookup (self->stmts, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not use the database"));
      g_debug ("Failed SQL: %s", sql);
      return NULL;
    }

  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

gboolean
awda_store_exec (AwdaStore   *self,
                 const char  *sql,
                 GError     **error)
{
  /* BEGIN IMMEDIATE is where another program holding the database shows:
   * the error says so, as any other. */
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not use the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
step_done (AwdaStore     *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      awda_store_set_sqlite_error (self, error, _("Could not write to the database"));
      return FALSE;
    }
  return TRUE;
}

/* Randomness: ids and site ids come from the kernel. */

static void
store_random (AwdaStore *self,
              guchar    *out,
              gsize      len)
{
  g_assert (len <= sizeof self->random);

  if (self == NULL)
    {
      if (getrandom (out, len, 0) != (gssize) len)
        g_error ("No randomness from the kernel: %s", g_strerror (errno));
      return;
    }

  if (self->random_used == 0 || self->random_used + len > sizeof self->random)
    {
      if (getrandom (self->random, sizeof self->random, 0) != (gssize) sizeof self->random)
        g_error ("No randomness from the kernel: %s", g_strerror (errno));
      self->random_used = 0;
    }
  memcpy (out, self->random + self->random_used, len);
  self->random_used += len;
  if (self->random_used >= sizeof self->random)
    self->random_used = 0;
}

static char *
new_site_id (void)
{
  guchar bytes[16];
  GString *s = g_string_sized_new (33);

  store_random (NULL, bytes, sizeof bytes);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (s, "%02x", bytes[i]);
  return g_string_free (s, FALSE);
}

static gboolean
site_id_is_valid (const char *id)
{
  if (id == NULL || strlen (id) != 32)
    return FALSE;
  for (guint i = 0; i < 32; i++)
    if (!g_ascii_isxdigit (id[i]) || g_ascii_isupper (id[i]))
      return FALSE;
  return TRUE;
}

/* A version 7 UUID: time-ordered, so that new rows append to the indexes. */
static char *
new_record_id (AwdaStore *self)
{
  guchar b[16];
  gint64 ms = self->clock (self->clock_data);

  store_random (self, b + 6, 10);
  for (int i = 0; i < 6; i++)
    b[i] = (guchar) (ms >> (40 - 8 * i));
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static gint64
real_wall_clock (gpointer user_data)
{
  return g_get_real_time () / 1000;
}

/* Edits */

static void
edit_field_clear (gpointer data)
{
  EditField *f = data;

  g_free (f->name);
}

static void
edit_field_init (EditField  *f,
                 guint       hash,
                 const char *name,
                 const char *value)
{
  gsize name_size = strlen (name) + 1;
  gsize value_size = value ? strlen (value) + 1 : 0;

  f->hash = hash;
  f->name = g_malloc (name_size + value_size);
  memcpy (f->name, name, name_size);
  f->value = value ? memcpy (f->name + name_size, value, value_size) : NULL;
}

AwdaEdit *
awda_edit_new (const char *entity,
               const char *record)
{
  AwdaEdit *edit;

  g_return_val_if_fail (entity != NULL, NULL);

  edit = g_new0 (AwdaEdit, 1);
  edit->entity = g_strdup (entity);
  edit->record = g_strdup (record);
  edit->create = (record == NULL);
  edit->fields = g_array_sized_new (FALSE, FALSE, sizeof (EditField), 16);
  g_array_set_clear_func (edit->fields, edit_field_clear);
  return edit;
}

AwdaEdit *
awda_edit_new_with_id (const char *entity,
                       const char *id)
{
  AwdaEdit *edit;

  g_return_val_if_fail (id != NULL, NULL);

  edit = awda_edit_new (entity, id);
  edit->create = TRUE;
  return edit;
}

void
awda_edit_set (AwdaEdit   *edit,
               const char *field,
               const char *value)
{
  guint hash;

  g_return_if_fail (edit != NULL);
  g_return_if_fail (field != NULL);

  hash = g_str_hash (field);

  /* The last value given for a field wins. */
  for (guint i = 0; i < edit->fields->len; i++)
    {
      EditField *f = &g_array_index (edit->fields, EditField, i);

      if (f->hash == hash && strcmp (f->name, field) == 0)
        {
          EditField replaced;

          edit_field_init (&replaced, hash, field, value);
          g_free (f->name);
          *f = replaced;
          return;
        }
    }

  g_array_set_size (edit->fields, edit->fields->len + 1);
  edit_field_init (&g_array_index (edit->fields, EditField, edit->fields->len - 1), hash, field, value);
}

const char *
awda_edit_get_entity (AwdaEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);
  return edit->entity;
}

const char *
awda_edit_get_record (AwdaEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);
  return edit->record;
}

guint
awda_edit_get_n_changes (AwdaEdit *edit)
{
  g_return_val_if_fail (edit != NULL, 0);
  return edit->fields->len;
}

void
awda_edit_free (AwdaEdit *edit)
{
  if (edit == NULL)
    return;
  g_free (edit->entity);
  g_free (edit->record);
  g_array_unref (edit->fields);
  g_free (edit);
}

/* Records */

void
awda_record_free (AwdaRecord *record)
{
  if (record == NULL)
    return;
  if (record->values)
    for (guint i = 0; i < record->entity->n_fields; i++)
      g_free (record->values[i]);
  g_free (record->values);
  g_free (record->id);
  g_free (record);
}

const char *
awda_record_get (const AwdaRecord *record,
                 const char       *field)
{
  int i;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (strcmp (field, "id") == 0)
    return record->id;
  if (strcmp (field, AWDA_FIELD_DELETED) == 0)
    return record->deleted ? "true" : NULL;

  i = awda_entity_field_index (record->entity, field);
  return i < 0 ? NULL : record->values[i];
}

/* Columns: integers, amounts and booleans are stored as integers, the rest as text. */

static gboolean
field_is_integer (const AwdaField *field)
{
  return field->type == AWDA_FIELD_INTEGER ||
         field->type == AWDA_FIELD_AMOUNT ||
         field->type == AWDA_FIELD_BOOLEAN;
}

char *
awda_store_column_text (const AwdaField *field,
                        sqlite3_stmt    *stmt,
                        int              column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  switch (field->type)
    {
    case AWDA_FIELD_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
    case AWDA_FIELD_AMOUNT:
      return awda_amount_format (sqlite3_column_int64 (stmt, column));
    case AWDA_FIELD_BOOLEAN:
      return g_strdup (sqlite3_column_int64 (stmt, column) ? "true" : "false");
    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_DATE:
    case AWDA_FIELD_ENUM:
    case AWDA_FIELD_REFERENCE:
    case AWDA_FIELD_COUNTRY:
    default:
      return g_strdup ((const char *) sqlite3_column_text (stmt, column));
    }
}

static void
bind_value (sqlite3_stmt    *stmt,
            int              index,
            const AwdaField *field,
            const char      *value)
{
  if (value == NULL || *value == '\0')
    {
      sqlite3_bind_null (stmt, index);
      return;
    }

  switch (field->type)
    {
    case AWDA_FIELD_INTEGER:
      sqlite3_bind_int64 (stmt, index, g_ascii_strtoll (value, NULL, 10));
      break;
    case AWDA_FIELD_AMOUNT:
      {
        gint64 n = 0;

        awda_amount_parse (value, &n);
        sqlite3_bind_int64 (stmt, index, n);
      }
      break;
    case AWDA_FIELD_BOOLEAN:
      sqlite3_bind_int (stmt, index, strcmp (value, "true") == 0);
      break;
    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_DATE:
    case AWDA_FIELD_ENUM:
    case AWDA_FIELD_REFERENCE:
    case AWDA_FIELD_COUNTRY:
    default:
      /* Every caller keeps the value until the statement has run. */
      sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
      break;
    }
}

static void
bind_version (sqlite3_stmt *stmt,
              int           index,
              guint64       hlc,
              gint64        site)
{
  if (hlc == 0)
    {
      sqlite3_bind_null (stmt, index);
      sqlite3_bind_null (stmt, index + 1);
    }
  else
    {
      sqlite3_bind_int64 (stmt, index, (sqlite3_int64) hlc);
      sqlite3_bind_int64 (stmt, index + 1, site);
    }
}

const char *
awda_store_entity_columns (AwdaStore        *self,
                           const AwdaEntity *entity)
{
  GString *s;
  char *columns;

  columns = g_hash_table_lookup (self->columns, entity->name);
  if (columns != NULL)
    return columns;

  s = g_string_new ("rowid, id, deleted, deleted__hlc, deleted__site");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (s, ", \"%1$s\", \"%1$s__hlc\", \"%1$s__site\"", entity->fields[i].name);

  columns = g_string_free (s, FALSE);
  g_hash_table_insert (self->columns, (gpointer) entity->name, columns);
  return columns;
}

AwdaRecord *
awda_store_record_from_row (const AwdaEntity *entity,
                            sqlite3_stmt     *stmt)
{
  AwdaRecord *record = g_new0 (AwdaRecord, 1);

  record->entity = entity;
  record->rowid = sqlite3_column_int64 (stmt, 0);
  record->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  record->deleted = sqlite3_column_int (stmt, 2) != 0;
  record->values = g_new0 (char *, entity->n_fields);
  for (guint i = 0; i < entity->n_fields; i++)
    record->values[i] = awda_store_column_text (&entity->fields[i], stmt,
                                                AWDA_FIRST_FIELD_COLUMN + AWDA_FIELD_COLUMNS * i);
  return record;
}

/* A record's state from a row of its columns (awda_store_entity_columns()). */
static void
row_state_read (const AwdaEntity *entity,
                sqlite3_stmt     *stmt,
                RowState         *row)
{
  row->rowid = sqlite3_column_int64 (stmt, 0);
  row->deleted = sqlite3_column_int (stmt, 2) != 0;
  row->deleted_hlc = (guint64) sqlite3_column_int64 (stmt, 3);
  row->deleted_site = sqlite3_column_int64 (stmt, 4);
  for (guint i = 0; i < entity->n_fields; i++)
    {
      int c = AWDA_FIRST_FIELD_COLUMN + AWDA_FIELD_COLUMNS * (int) i;

      row->values[i] = awda_store_column_text (&entity->fields[i], stmt, c);
      row->hlcs[i] = (guint64) sqlite3_column_int64 (stmt, c + 1);
      row->sites[i] = sqlite3_column_int64 (stmt, c + 2);
    }
}

/* Reads a record's state for a write; FALSE with no error when absent. */
static gboolean
load_row_state (AwdaStore         *self,
                const AwdaEntity  *entity,
                const char        *id,
                RowState          *row,
                GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\" WHERE id = ?",
                                          awda_store_entity_columns (self, entity),
                                          entity->name);
  sqlite3_stmt *stmt = awda_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the database"));
      sqlite3_reset (stmt);
      return FALSE;
    }

  row_state_read (entity, stmt, row);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Sites */

static gboolean
load_site_ids (AwdaStore  *self,
               GError    **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (self, "SELECT num, id FROM site", error);

  if (stmt == NULL)
    return FALSE;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (self->site_ids,
                         GINT_TO_POINTER (sqlite3_column_int64 (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  return TRUE;
}

const char *
awda_store_site_id_for_num (AwdaStore *self,
                            gint64     num)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->site_ids, GINT_TO_POINTER (num));
}

gint64
awda_store_ensure_site (AwdaStore   *self,
                        const char  *site_id,
                        const char  *name,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 num = 0;

  g_return_val_if_fail (AWDA_IS_STORE (self), 0);

  if (!site_id_is_valid (site_id))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("“%s” is not a site id: expected 32 lowercase hexadecimal digits."),
                   site_id ? site_id : "");
      return 0;
    }

  stmt = awda_store_prepare (self, "SELECT num FROM site WHERE id = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    num = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (num != 0)
    {
      if (name != NULL && num != self->site_num)
        {
          stmt = awda_store_prepare (self, "UPDATE site SET name = ? WHERE num = ? AND name IS NOT ?", error);
          if (stmt == NULL)
            return 0;
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, num);
          sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
          if (!step_done (self, stmt, error))
            return 0;
        }
      return num;
    }

  stmt = awda_store_prepare (self, "INSERT INTO site (id, name) VALUES (?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return 0;

  num = sqlite3_last_insert_rowid (self->db);
  g_hash_table_insert (self->site_ids, GINT_TO_POINTER (num), g_strdup (site_id));
  return num;
}

/* Versions compare by HLC, then by site id: the same everywhere. */
static int
version_compare (AwdaStore  *self,
                 guint64     hlc_a,
                 const char *site_a,
                 guint64     hlc_b,
                 const char *site_b)
{
  if (hlc_a != hlc_b)
    return hlc_a < hlc_b ? -1 : 1;
  return strcmp (site_a ? site_a : "", site_b ? site_b : "");
}

/* The clock */

guint64
awda_store_wall_hlc (AwdaStore *self)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), 0);
  return awda_hlc_from_ms (self->clock (self->clock_data));
}

guint64
awda_store_get_last_hlc (AwdaStore *self)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), 0);
  return self->hlc;
}

void
awda_store_set_wall_clock (AwdaStore     *self,
                           AwdaWallClock  clock,
                           gpointer       user_data)
{
  g_return_if_fail (AWDA_IS_STORE (self));

  self->clock = clock ? clock : real_wall_clock;
  self->clock_data = clock ? user_data : NULL;
}

gboolean
awda_store_observe_hlc (AwdaStore  *self,
                        guint64     remote_hlc,
                        GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);

  if (remote_hlc <= self->hlc)
    return TRUE;

  stmt = awda_store_prepare (self, "UPDATE installation SET hlc = ? WHERE hlc < ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) remote_hlc);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) remote_hlc);
  if (!step_done (self, stmt, error))
    return FALSE;

  self->hlc = remote_hlc;
  return TRUE;
}

/* Writers */

static sqlite3_stmt *
prepare_persistent (AwdaStore   *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not use the database"));
      g_debug ("Failed SQL: %s", sql);
      return NULL;
    }
  return stmt;
}

/* One of the store's own statements, prepared at its first use; every
 * use binds all its parameters. */
static sqlite3_stmt *
kept_statement (AwdaStore     *self,
                sqlite3_stmt **stmt,
                const char    *sql,
                GError       **error)
{
  if (*stmt == NULL)
    *stmt = prepare_persistent (self, sql, error);
  return *stmt;
}

static void
entity_writer_clear (EntityWriter *w,
                     guint         n_fields)
{
  g_clear_pointer (&w->fields, g_hash_table_unref);
  g_clear_pointer (&w->insert, sqlite3_finalize);
  g_clear_pointer (&w->probe, sqlite3_finalize);
  if (w->updates != NULL)
    for (guint i = 0; i <= n_fields; i++)
      sqlite3_finalize (w->updates[i]);
  g_clear_pointer (&w->updates, g_free);
  g_clear_pointer (&w->live, g_hash_table_unref);
}

static gboolean
entity_writer_init (AwdaStore         *self,
                    EntityWriter      *w,
                    const AwdaEntity  *entity,
                    GError           **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) params = g_string_new ("?");

  w->fields = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < entity->n_fields; i++)
    g_hash_table_insert (w->fields, (gpointer) entity->fields[i].name, (gpointer) &entity->fields[i]);
  g_hash_table_insert (w->fields, (gpointer) AWDA_FIELD_DELETED, (gpointer) awda_dictionary_deleted_field ());
  w->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Every field, set or not: an unset one takes NULL, as it would by default. */
  g_string_printf (sql, "INSERT INTO \"%s\" (id", entity->name);
  for (guint i = 0; i < entity->n_fields; i++)
    {
      g_string_append_printf (sql, ", \"%1$s\", \"%1$s__hlc\", \"%1$s__site\"", entity->fields[i].name);
      g_string_append (params, ", ?, ?, ?");
    }
  g_string_append_printf (sql, ") VALUES (%s)", params->str);
  w->insert = prepare_persistent (self, sql->str, error);
  if (w->insert == NULL)
    return FALSE;

  g_string_printf (sql, "SELECT deleted FROM \"%s\" WHERE id = ?", entity->name);
  w->probe = prepare_persistent (self, sql->str, error);
  if (w->probe == NULL)
    return FALSE;

  w->updates = g_new0 (sqlite3_stmt *, entity->n_fields + 1);
  for (guint i = 0; i <= entity->n_fields; i++)
    {
      const char *name = i < entity->n_fields ? entity->fields[i].name : AWDA_FIELD_DELETED;

      g_string_printf (sql, "UPDATE \"%1$s\" SET \"%2$s\" = ?, \"%2$s__hlc\" = ?, \"%2$s__site\" = ? WHERE rowid = ?",
                       entity->name, name);
      w->updates[i] = prepare_persistent (self, sql->str, error);
      if (w->updates[i] == NULL)
        return FALSE;
    }

  return TRUE;
}

/* The writer of @entity, made at its first use. */
static EntityWriter *
entity_writer (AwdaStore         *self,
               const AwdaEntity  *entity,
               GError           **error)
{
  guint n_entities;
  const AwdaEntity *entities = awda_dictionary_get_entities (&n_entities);
  gsize index = (gsize) (entity - entities);
  EntityWriter *w;

  g_assert (index < n_entities);

  if (self->writers == NULL)
    {
      self->writers = g_new0 (EntityWriter, n_entities);
      self->n_writers = n_entities;
    }

  w = &self->writers[index];
  if (w->fields == NULL && !entity_writer_init (self, w, entity, error))
    {
      entity_writer_clear (w, entity->n_fields);
      return NULL;
    }
  return w;
}

/* What reference checks learnt holds for one bulk transaction only, and
 * only until a record of the entity is deleted or restored. */
static void
forget_live_records (AwdaStore *self)
{
  for (guint i = 0; i < self->n_writers; i++)
    if (self->writers[i].live != NULL)
      g_hash_table_remove_all (self->writers[i].live);
}

/* Transactions */

gboolean
awda_store_in_transaction (AwdaStore *self)
{
  return self->txn_depth > 0;
}

gboolean
awda_store_begin (AwdaStore  *self,
                  GError    **error)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth == 0, FALSE);

  /* A bulk transaction keeps its pages in memory rather than spilling
   * them to the journal before the commit. */
  if (!awda_store_exec (self, "PRAGMA cache_size = -262144; BEGIN IMMEDIATE", error))
    return FALSE;
  self->txn_depth = 1;
  forget_live_records (self);
  return TRUE;
}

gboolean
awda_store_commit (AwdaStore  *self,
                   GError    **error)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth == 1, FALSE);

  if (!awda_store_exec (self, "COMMIT", error))
    {
      awda_store_rollback (self);
      return FALSE;
    }
  self->txn_depth = 0;
  forget_live_records (self);
  return awda_store_exec (self, "PRAGMA cache_size = -32000", error);
}

static gboolean
reload_counters (AwdaStore  *self,
                 GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = awda_store_prepare (self,
                             "SELECT i.hlc, s.hlc, s.last_seq FROM installation i"
                             " LEFT JOIN (SELECT hlc, last_seq FROM change_set WHERE origin = (SELECT site FROM installation)"
                             "            ORDER BY first_seq DESC LIMIT 1) s", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED,
                   _("The database at %s has no site identity: create it with “awda-cli init”."),
                   self->path);
      return FALSE;
    }

  self->hlc = MAX ((guint64) sqlite3_column_int64 (stmt, 0), (guint64) sqlite3_column_int64 (stmt, 1));
  self->next_seq = sqlite3_column_int64 (stmt, 2) + 1;
  sqlite3_reset (stmt);
  return TRUE;
}

void
awda_store_rollback (AwdaStore *self)
{
  g_return_if_fail (AWDA_IS_STORE (self));

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_exec (self->db, "PRAGMA cache_size = -32000", NULL, NULL, NULL);
  self->txn_depth = 0;
  forget_live_records (self);

  /* What was counted in memory for the lost writes is gone too. */
  if (!reload_counters (self, NULL))
    g_warning ("Could not reload the clock after a rollback");
}

/* Schema */

static gboolean
entity_is_searchable (const AwdaEntity *entity)
{
  return strcmp (entity->name, "case") == 0;
}


/* The secondary indexes of an entity's table, by name and column: those
 * the dictionary asks for, and for the cases the one on deleted. The id
 * has its own, from the UNIQUE constraint. */
static GPtrArray *
secondary_indexes (const AwdaEntity *entity)
{
  GPtrArray *indexes = g_ptr_array_new_with_free_func (g_free);

  /* The case list reads the live cases newest first, from this index
   * rather than the whole table. */
  if (entity_is_searchable (entity))
    {
      g_ptr_array_add (indexes, g_strdup ("case_live"));
      g_ptr_array_add (indexes, g_strdup (AWDA_FIELD_DELETED));
    }

  for (guint i = 0; i < entity->n_fields; i++)
    if (entity->fields[i].flags & AWDA_FIELD_INDEXED)
      {
        g_ptr_array_add (indexes, g_strdup_printf ("%s_%s", entity->name, entity->fields[i].name));
        g_ptr_array_add (indexes, g_strdup (entity->fields[i].name));
      }

  return indexes;
}

static gboolean
ensure_indexes (AwdaStore         *self,
                const AwdaEntity  *entity,
                GError           **error)
{
  g_autoptr(GPtrArray) indexes = secondary_indexes (entity);

  for (guint i = 0; i < indexes->len; i += 2)
    {
      g_autofree char *sql = g_strdup_printf ("CREATE INDEX IF NOT EXISTS \"%s\" ON \"%s\" (\"%s\")",
                                              (const char *) indexes->pdata[i], entity->name,
                                              (const char *) indexes->pdata[i + 1]);

      if (!awda_store_exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
awda_store_drop_indexes (AwdaStore   *self,
                         const char  *entity_name,
                         GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);
  g_return_val_if_fail (awda_dictionary_lookup_entity (entity_name) != NULL, FALSE);

  /* Every index of the table that has a statement (not the id's, which
   * its UNIQUE constraint makes), whoever made it: the dictionary or a
   * migration. Its statement is kept in the same transaction. */
  stmt = awda_store_prepare (self,
                             "INSERT OR IGNORE INTO dropped_index (name, tbl, sql)"
                             " SELECT name, tbl_name, sql FROM sqlite_schema"
                             " WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity_name, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;

  stmt = awda_store_prepare (self, "SELECT name FROM dropped_index WHERE tbl = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity_name, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the structure of the database"));
      return FALSE;
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP INDEX IF EXISTS \"%s\"", (const char *) names->pdata[i]);

      if (!awda_store_exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

/* Builds again the indexes a bulk load dropped, of one table or (@table
 * NULL) of all, and forgets them; one that exists already (the opening
 * of the store made the dictionary's again) is only forgotten. */
static gboolean
build_dropped_indexes (AwdaStore   *self,
                       const char  *table,
                       GError     **error)
{
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = awda_store_prepare (self,
                             "SELECT d.sql FROM dropped_index d"
                             " WHERE (?1 IS NULL OR d.tbl = ?1)"
                             " AND NOT EXISTS (SELECT 1 FROM sqlite_schema s WHERE s.type = 'index' AND s.name = d.name)",
                             error);
  if (stmt == NULL)
    return FALSE;
  if (table != NULL)
    sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (statements, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the structure of the database"));
      return FALSE;
    }

  for (guint i = 0; i < statements->len; i++)
    if (!awda_store_exec (self, statements->pdata[i], error))
      return FALSE;

  stmt = awda_store_prepare (self, "DELETE FROM dropped_index WHERE ?1 IS NULL OR tbl = ?1", error);
  if (stmt == NULL)
    return FALSE;
  if (table != NULL)
    sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

gboolean
awda_store_has_dropped_indexes (AwdaStore  *self,
                                const char *table)
{
  sqlite3_stmt *stmt;
  gboolean dropped = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);

  stmt = awda_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM dropped_index WHERE ?1 IS NULL OR tbl = ?1)", NULL);
  if (stmt == NULL)
    return FALSE;
  if (table != NULL)
    sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    dropped = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return dropped;
}

gboolean
awda_store_build_indexes (AwdaStore   *self,
                          const char  *entity_name,
                          GError     **error)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);
  g_return_val_if_fail (awda_dictionary_lookup_entity (entity_name) != NULL, FALSE);

  return build_dropped_indexes (self, entity_name, error);
}

static gboolean
ensure_typed_table (AwdaStore         *self,
                    const AwdaEntity  *entity,
                    GError           **error)
{
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *info_sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", entity->name);
  sqlite3_stmt *stmt;

  if (sqlite3_prepare_v2 (self->db, info_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the structure of the database"));
      return FALSE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (existing, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  if (g_hash_table_size (existing) == 0)
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      /* The values first, then their versions: SQLite finds a column by
       * walking the row's header up to it, and the indexes, filters and
       * lists read values, the merge alone versions. Nothing reads the
       * columns by position, and a table made before keeps its order. */
      g_string_printf (sql, "CREATE TABLE \"%s\" (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                       " deleted INTEGER NOT NULL DEFAULT 0",
                       entity->name);
      for (guint i = 0; i < entity->n_fields; i++)
        {
          const AwdaField *field = &entity->fields[i];

          g_string_append_printf (sql, ", \"%s\" %s",
                                  field->name, field_is_integer (field) ? "INTEGER" : "TEXT");
          g_hash_table_add (existing, g_strdup (field->name));
        }
      g_string_append (sql, ", deleted__hlc INTEGER, deleted__site INTEGER");
      for (guint i = 0; i < entity->n_fields; i++)
        g_string_append_printf (sql, ", \"%1$s__hlc\" INTEGER, \"%1$s__site\" INTEGER", entity->fields[i].name);
      g_string_append (sql, ")");

      if (!awda_store_exec (self, sql->str, error))
        return FALSE;
    }

  /* A field added to the dictionary becomes three columns. */
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const AwdaField *field = &entity->fields[i];
      g_autofree char *sql = NULL;

      if (g_hash_table_contains (existing, field->name))
        continue;

      sql = g_strdup_printf ("ALTER TABLE \"%1$s\" ADD COLUMN \"%2$s\" %3$s;"
                             "ALTER TABLE \"%1$s\" ADD COLUMN \"%2$s__hlc\" INTEGER;"
                             "ALTER TABLE \"%1$s\" ADD COLUMN \"%2$s__site\" INTEGER;",
                             entity->name, field->name,
                             field_is_integer (field) ? "INTEGER" : "TEXT");
      if (!awda_store_exec (self, sql, error))
        return FALSE;
    }

  return ensure_indexes (self, entity, error);
}

/* The numbered migrations this build has (@names, when not NULL, takes
 * their file names), and so the schema version it brings a database to. */
static int
latest_schema_version (char ***names)
{
  g_auto(GStrv) found = g_resource_enumerate_children (awda_core_get_resource (), MIGRATIONS_PATH,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  int n = found ? (int) g_strv_length (found) : 0;

  if (names != NULL)
    *names = g_steal_pointer (&found);
  return n;
}

gboolean
awda_store_needs_upgrade (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  struct stat st;
  int version = -1;
  gboolean dropped = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);

  /* Not a database of ours, or none at all: opening says why. */
  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size == 0)
    return FALSE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* A bulk load that died before building its indexes again (migration 005). */
  if (version >= 0 && sqlite3_prepare_v2 (db, "SELECT 1 FROM dropped_index LIMIT 1", -1, &stmt, NULL) == SQLITE_OK)
    dropped = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return (version >= 0 && version < latest_schema_version (NULL)) || dropped;
}

static gboolean
migrate (AwdaStore  *self,
         GError    **error)
{
  sqlite3_stmt *stmt;
  int version = 0;
  int target = 0;
  guint n_entities;
  const AwdaEntity *entities = awda_dictionary_get_entities (&n_entities);
  g_auto(GStrv) names = NULL;

  target = latest_schema_version (&names);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the structure of the database"));
      return FALSE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > target)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_TOO_NEW,
                   _("The database at %s was written by a newer version of Awda (schema %d; this one knows %d)."),
                   self->path, version, target);
      return FALSE;
    }

  /* The typed tables follow the dictionary, in one transaction. They come
   * first, so that a numbered migration can index them (004). */
  if (!awda_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < n_entities; i++)
    if (!ensure_typed_table (self, &entities[i], error))
      {
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
        return FALSE;
      }
  if (!awda_store_exec (self, "COMMIT", error))
    return FALSE;

  for (int v = version + 1; v <= target; v++)
    {
      g_autofree char *prefix = g_strdup_printf ("%03d-", v);
      g_autoptr(GBytes) sql = NULL;
      g_autofree char *pragma = NULL;
      g_autofree char *path = NULL;

      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_has_prefix (names[i], prefix))
          path = g_strdup_printf ("%s/%s", MIGRATIONS_PATH, names[i]);
      if (path == NULL)
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                       _("Migration %d of the database is missing from this build."), v);
          return FALSE;
        }

      sql = g_resource_lookup_data (awda_core_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (sql == NULL)
        return FALSE;

      pragma = g_strdup_printf ("PRAGMA user_version = %d", v);
      if (!awda_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!awda_store_exec (self, g_bytes_get_data (sql, NULL), error) ||
          !awda_store_exec (self, pragma, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_prefix_error (error, _("Migration %d of the database failed: "), v);
          return FALSE;
        }
      if (!awda_store_exec (self, "COMMIT", error))
        return FALSE;
    }

  /* A bulk load that died before building its indexes again. */
  if (!awda_store_has_dropped_indexes (self, NULL))
    return TRUE;
  if (!awda_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!build_dropped_indexes (self, NULL, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return awda_store_exec (self, "COMMIT", error);
}

static char *
file_identity (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                          (guint64) st.st_dev, (guint64) st.st_ino);
}

static gboolean
load_site (AwdaStore  *self,
           GError    **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *identity = NULL;
  g_autofree char *stored_identity = NULL;

  stmt = awda_store_prepare (self,
                             "SELECT s.num, s.id, s.name, s.kind, s.governorate, i.file_identity"
                             " FROM installation i JOIN site s ON s.num = i.site", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED,
                   _("The database at %s has no site identity: create it with “awda-cli init”."),
                   self->path);
      return FALSE;
    }

  self->site_num = sqlite3_column_int64 (stmt, 0);
  self->site.id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  self->site.name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  self->site.kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  self->site.governorate = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  stored_identity = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  sqlite3_reset (stmt);

  /* A reader leaves the identity to the writer. */
  identity = self->read_only ? NULL : file_identity (self->path);

  /* A copied or restored file must not speak as the original: two sites
   * sharing an id would give the same sequence numbers to different
   * changes. It takes a new id; what the old id wrote keeps its origin. */
  if (stored_identity != NULL && identity != NULL && strcmp (stored_identity, identity) != 0)
    {
      g_autofree char *new_id = new_site_id ();

      g_message ("The database %s was copied or restored: it takes the new site id %s (it was %s)",
                 self->path, new_id, self->site.id);

      if (!awda_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      stmt = awda_store_prepare (self, "INSERT INTO site (id, name, kind, governorate) VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, new_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, self->site.name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, self->site.kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, self->site.governorate, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        goto failed;
      self->site_num = sqlite3_last_insert_rowid (self->db);
      g_free (self->site.id);
      self->site.id = g_steal_pointer (&new_id);
      g_clear_pointer (&stored_identity, g_free);

failed:
      if (stored_identity != NULL)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  if (identity != NULL && g_strcmp0 (identity, stored_identity) != 0)
    {
      stmt = awda_store_prepare (self, "UPDATE installation SET file_identity = ?, site = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, self->site_num);
      if (!step_done (self, stmt, error))
        return FALSE;
      if (!sqlite3_get_autocommit (self->db) && !awda_store_exec (self, "COMMIT", error))
        return FALSE;
    }

  return load_site_ids (self, error) && reload_counters (self, error);
}

/* Every connection of ours belongs to one AwdaStore, used by one thread
 * at a time (see awda-store.h): SQLite need not lock each call, nor count
 * the memory it takes, which costs a bundle's import a few percent. */
static int
connection_flags (int flags)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      /* Refused harmlessly when SQLite was already in use. */
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }
  return flags | SQLITE_OPEN_NOMUTEX;
}

static gboolean
open_db (AwdaStore   *self,
         int          flags,
         GError     **error)
{
  if (sqlite3_open_v2 (self->path, &self->db, connection_flags (flags), NULL) != SQLITE_OK)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Could not open the database at %s: %s."), self->path,
                   self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);

  if (!awda_store_exec (self, "PRAGMA journal_mode = WAL", NULL))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("The file %s is not an Awda database, or it is damaged: %s."),
                   self->path, sqlite3_errmsg (self->db));
      return FALSE;
    }

  return awda_store_exec (self,
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA cache_size = -32000;"
                          "PRAGMA temp_store = MEMORY;",
                          error);
}

char *
awda_store_default_path (void)
{
  const char *env = g_getenv ("AWDA_DATABASE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "awda", "awda.db", NULL);
}

AwdaStore *
awda_store_open (const char  *path,
                 GError     **error)
{
  g_autoptr(AwdaStore) self = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED,
                   _("There is no database at %s: create it with “awda-cli init”."), path);
      return NULL;
    }
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == 0)
    {
      /* An empty file is left as it is: it is not ours to fill. */
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED,
                   _("The file at %s is empty: create a database with “awda-cli init”."), path);
      return NULL;
    }

  self = g_object_new (AWDA_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (!open_db (self, SQLITE_OPEN_READWRITE, error) ||
      !migrate (self, error) ||
      !load_site (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  AwdaStore *store = awda_store_open (task_data, &error);

  if (store != NULL)
    g_task_return_pointer (task, store, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
awda_store_open_async (const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, awda_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

AwdaStore *
awda_store_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == awda_store_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A connection for reading only, from another thread: no migration, no
 * write lock, a small page cache. Writes through it fail. */
AwdaStore *
awda_store_open_reader (const char  *path,
                        GError     **error)
{
  g_autoptr(AwdaStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_INITIALIZED,
                   _("There is no database at %s: create it with “awda-cli init”."), path);
      return NULL;
    }

  self = g_object_new (AWDA_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = TRUE;

  if (sqlite3_open_v2 (path, &self->db, connection_flags (SQLITE_OPEN_READONLY), NULL) != SQLITE_OK)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Could not open the database at %s: %s."), path,
                   self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);

  if (!awda_store_exec (self, "PRAGMA cache_size = -4000; PRAGMA temp_store = MEMORY;", error) ||
      !load_site (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
remove_database_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

AwdaStore *
awda_store_create_with_id (const char  *path,
                           const char  *site_id,
                           const char  *site_name,
                           const char  *site_kind,
                           const char  *governorate,
                           GError     **error)
{
  g_autoptr(AwdaStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *now = NULL;
  const AwdaEntity *office;
  const AwdaField *kind_field, *governorate_field;
  sqlite3_stmt *stmt;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (site_id != NULL, NULL);

  office = awda_dictionary_lookup_entity ("office");
  kind_field = awda_entity_lookup_field (office, "kind");
  governorate_field = awda_entity_lookup_field (office, "governorate");

  name = site_name ? g_strstrip (g_strdup (site_name)) : g_strdup ("");
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The site needs a name, such as the office's."));
      return NULL;
    }
  if (site_kind == NULL || awda_field_lookup_value (kind_field, site_kind) == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Invalid site kind “%s”: expected central, regional or field."),
                   site_kind ? site_kind : "");
      return NULL;
    }
  if (governorate != NULL && awda_field_lookup_value (governorate_field, governorate) == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Invalid governorate “%s”: expected an ISO 3166-2 code from TN-11 to TN-83."),
                   governorate);
      return NULL;
    }
  if (!site_id_is_valid (site_id))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("“%s” is not a site id: expected 32 lowercase hexadecimal digits."), site_id);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_EXISTS,
                   _("A database already exists at %s: Awda will not overwrite it."), path);
      return NULL;
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Could not create the folder %s: %s."), dir, g_strerror (saved));
      return NULL;
    }

  /* The file is made here, readable by its owner alone: it holds people's
   * personal data, whatever the folder's permissions or the umask, and
   * SQLite gives its WAL and shared-memory files the same mode. O_EXCL:
   * never another's file, even one that appeared since the test above. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_EXISTS,
                     _("A database already exists at %s: Awda will not overwrite it."), path);
      else
        g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                     _("Could not create the database at %s: %s."), path, g_strerror (saved));
      return NULL;
    }
  /* Also when the umask is tighter or looser than usual. */
  if (fchmod (fd, 0600) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Could not create the database at %s: %s."), path, g_strerror (saved));
      remove_database_files (path);
      return NULL;
    }

  self = g_object_new (AWDA_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (!open_db (self, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error) ||
      !migrate (self, error))
    goto failed;

  {
    g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();
    now = g_date_time_format_iso8601 (dt);
  }

  stmt = awda_store_prepare (self, "INSERT INTO site (id, name, kind, governorate) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, site_kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, governorate, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    goto failed;

  stmt = awda_store_prepare (self, "INSERT INTO installation (singleton, site, created_on) VALUES (1, ?, ?)", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, sqlite3_last_insert_rowid (self->db));
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error) || !load_site (self, error))
    goto failed;

  return g_steal_pointer (&self);

failed:
  g_clear_object (&self);
  remove_database_files (path);
  return NULL;
}

AwdaStore *
awda_store_create (const char  *path,
                   const char  *site_name,
                   const char  *site_kind,
                   const char  *governorate,
                   GError     **error)
{
  g_autofree char *site_id = new_site_id ();

  return awda_store_create_with_id (path, site_id, site_name, site_kind, governorate, error);
}

const char *
awda_store_get_path (AwdaStore *self)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  return self->path;
}

const AwdaSite *
awda_store_get_site (AwdaStore *self)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  return &self->site;
}

sqlite3 *
awda_store_get_db (AwdaStore *self)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  return self->db;
}

gint64
awda_store_get_local_site_num (AwdaStore *self)
{
  g_return_val_if_fail (AWDA_IS_STORE (self), 0);
  return self->site_num;
}

/* Writing fields */

/* The search document of a case: folded names in both scripts, and the
 * ID and phone numbers, whole and as digits alone. */
static const char *search_field_names[] = { "given_name", "family_name", "given_name_ar", "family_name_ar",
                                            "national_id", "phone" };

static char *
search_text (AwdaStore         *self,
             const AwdaEntity  *entity,
             char * const      *values)
{
  GString *s = g_string_sized_new (128);

  G_STATIC_ASSERT (G_N_ELEMENTS (search_field_names) == G_N_ELEMENTS (self->search_fields));

  if (self->search_fields[0] < 0)
    for (guint i = 0; i < G_N_ELEMENTS (search_field_names); i++)
      {
        self->search_fields[i] = awda_entity_field_index (entity, search_field_names[i]);
        g_assert (self->search_fields[i] >= 0);
      }

  for (guint i = 0; i < G_N_ELEMENTS (search_field_names); i++)
    {
      const char *value = values[self->search_fields[i]];
      g_autofree char *folded = NULL;

      if (value == NULL)
        continue;
      folded = awda_fold (value);
      g_string_append (s, folded);
      g_string_append_c (s, ' ');

      if (i >= 4)
        {
          g_autofree char *digits = awda_fold_digits (value);
          gsize len = strlen (digits);

          /* An ID number of digits alone is already in. */
          if (strcmp (digits, folded) != 0)
            {
              g_string_append (s, digits);
              g_string_append_c (s, ' ');
            }
          /* A Tunisian number is found by its eight digits, whatever the prefix. */
          if (len > 8)
            {
              g_string_append (s, digits + len - 8);
              g_string_append_c (s, ' ');
            }
        }
    }

  return g_string_free (s, FALSE);
}

static gboolean
update_search (AwdaStore         *self,
               const AwdaEntity  *entity,
               gint64             rowid,
               char * const      *values,
               gboolean           replace,
               GError           **error)
{
  g_autofree char *text = search_text (self, entity, values);
  sqlite3_stmt *stmt;

  if (replace)
    {
      stmt = kept_statement (self, &self->search_delete, "DELETE FROM case_search WHERE rowid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  stmt = kept_statement (self, &self->search_insert, "INSERT INTO case_search (rowid, text) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static void
log_buffer_init (LogBuffer *log,
                 gint64     first_seq)
{
  if (log->json == NULL)
    log->json = g_string_sized_new (1024);
  g_string_assign (log->json, "[");
  log->first_seq = first_seq;
  log->next_seq = first_seq;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

static void
log_buffer_add (LogBuffer  *log,
                const char *field,
                const char *value,
                guint64     base_hlc,
                gint64      base_site)
{
  if (log->next_seq > log->first_seq)
    g_string_append_c (log->json, ',');
  g_string_append_c (log->json, '[');
  append_json_string (log->json, field);
  g_string_append_c (log->json, ',');
  if (value != NULL)
    append_json_string (log->json, value);
  else
    g_string_append (log->json, "null");
  /* Without a base the element stops at the value: the view reads the
   * missing base as null. */
  if (base_hlc != 0)
    g_string_append_printf (log->json, ",%" G_GUINT64_FORMAT ",%" G_GINT64_FORMAT "]", base_hlc, base_site);
  else
    g_string_append_c (log->json, ']');
  log->next_seq++;
}

static gboolean
log_buffer_write (AwdaStore   *self,
                  LogBuffer   *log,
                  gint64       origin,
                  const char  *entity,
                  const char  *record,
                  guint64      hlc,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  if (log->next_seq == log->first_seq)
    return TRUE;

  g_string_append_c (log->json, ']');
  stmt = kept_statement (self, &self->log_insert,
                         "INSERT INTO change_set (origin, first_seq, last_seq, entity, record, hlc, changes)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, log->first_seq);
  sqlite3_bind_int64 (stmt, 3, log->next_seq - 1);
  sqlite3_bind_text (stmt, 4, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, record, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) hlc);
  sqlite3_bind_text (stmt, 7, log->json->str, (int) log->json->len, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

/* Sets one field's value and version in the typed table. @field_index is
 * -1 for the deleted field. */
static gboolean
write_field (AwdaStore         *self,
             const AwdaEntity  *entity,
             gint64             rowid,
             int                field_index,
             const char        *value,
             guint64            hlc,
             gint64             site,
             GError           **error)
{
  EntityWriter *w = entity_writer (self, entity, error);
  sqlite3_stmt *stmt;

  if (w == NULL)
    return FALSE;

  if (field_index < 0)
    {
      stmt = w->updates[entity->n_fields];
      sqlite3_bind_int (stmt, 1, g_strcmp0 (value, "true") == 0);
      /* A record deleted or restored: what reference checks learnt is stale. */
      g_hash_table_remove_all (w->live);
    }
  else
    {
      stmt = w->updates[field_index];
      bind_value (stmt, 1, &entity->fields[field_index], value);
    }
  bind_version (stmt, 2, hlc, site);
  sqlite3_bind_int64 (stmt, 4, rowid);
  return step_done (self, stmt, error);
}

/* Inserts a new record with all its fields in one statement. */
static gint64
insert_full_row (AwdaStore         *self,
                 const AwdaEntity  *entity,
                 const char        *id,
                 char * const      *values,
                 guint64            hlc,
                 GError           **error)
{
  EntityWriter *w = entity_writer (self, entity, error);
  sqlite3_stmt *stmt;
  int n = 2;

  if (w == NULL)
    return 0;

  stmt = w->insert;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  for (guint i = 0; i < entity->n_fields; i++, n += 3)
    {
      bind_value (stmt, n, &entity->fields[i], values[i]);
      bind_version (stmt, n + 1, values[i] != NULL ? hlc : 0, self->site_num);
    }

  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

typedef struct
{
  gint64   id;
  int      field_index;  /* -1: deleted */
  guint64  hlc;
  gint64   site;
} KeptConflict;

/* The conflicts kept on a record, for a local write that supersedes them. */
static GArray *
load_conflicts (AwdaStore         *self,
                const AwdaEntity  *entity,
                const char        *record,
                GError           **error)
{
  GArray *conflicts = g_array_new (FALSE, FALSE, sizeof (KeptConflict));
  sqlite3_stmt *stmt;

  stmt = awda_store_prepare (self, "SELECT id, field, hlc, site FROM conflict WHERE entity = ? AND record = ?", error);
  if (stmt == NULL)
    {
      g_array_unref (conflicts);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *field = (const char *) sqlite3_column_text (stmt, 1);
      KeptConflict k = {
        .id = sqlite3_column_int64 (stmt, 0),
        .field_index = strcmp (field, AWDA_FIELD_DELETED) == 0 ? -1 : awda_entity_field_index (entity, field),
        .hlc = (guint64) sqlite3_column_int64 (stmt, 2),
        .site = sqlite3_column_int64 (stmt, 3),
      };

      if (k.field_index >= 0 || strcmp (field, AWDA_FIELD_DELETED) == 0)
        g_array_append_val (conflicts, k);
    }
  sqlite3_reset (stmt);
  return conflicts;
}

static gboolean
delete_conflict (AwdaStore  *self,
                 gint64      id,
                 GError    **error)
{
  sqlite3_stmt *stmt = awda_store_prepare (self, "DELETE FROM conflict WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_done (self, stmt, error);
}

/* Logs a local write of one field: one change whose base is the current
 * version, and one more with the same version for each kept conflict of
 * the field that it supersedes (only @only_conflict when not 0). */
static gboolean
log_local_field (AwdaStore         *self,
                 LogBuffer         *log,
                 const AwdaEntity  *entity,
                 int                field_index,
                 const char        *value,
                 guint64            base_hlc,
                 gint64             base_site,
                 GArray            *conflicts,
                 gint64             only_conflict,
                 GError           **error)
{
  const char *name = field_index < 0 ? AWDA_FIELD_DELETED : entity->fields[field_index].name;

  log_buffer_add (log, name, value, base_hlc, base_site);

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      KeptConflict *k = &g_array_index (conflicts, KeptConflict, i);

      if (k->field_index != field_index || (only_conflict != 0 && k->id != only_conflict))
        continue;
      log_buffer_add (log, name, value, k->hlc, k->site);
      if (!delete_conflict (self, k->id, error))
        return FALSE;
    }

  self->next_seq = log->next_seq;
  return TRUE;
}

/* Is there a record with this id, deleted or not? FALSE with an error
 * when it could not be read. */
static gboolean
record_exists (AwdaStore     *self,
               EntityWriter  *writer,
               const char    *id,
               GError       **error)
{
  sqlite3_stmt *stmt = writer->probe;
  int rc;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    awda_store_set_sqlite_error (self, error, _("Could not read the database"));
  return rc == SQLITE_ROW;
}

static gboolean
reference_exists (AwdaStore         *self,
                  const AwdaEntity  *entity,
                  const AwdaField   *field,
                  const char        *id,
                  GError           **error)
{
  const AwdaEntity *target = awda_dictionary_lookup_entity (field->reference);
  EntityWriter *w = target ? entity_writer (self, target, error) : NULL;
  sqlite3_stmt *stmt;
  int rc;
  gboolean deleted;

  if (w == NULL)
    return FALSE;

  /* A bulk transaction refers to the same few records again and again. */
  if (self->txn_depth > 0 && g_hash_table_contains (w->live, id))
    return TRUE;

  stmt = w->probe;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  deleted = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW && !deleted)
    {
      if (self->txn_depth > 0)
        g_hash_table_add (w->live, g_strdup (id));
      return TRUE;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, _("Could not read the database"));
      return FALSE;
    }

  g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
               deleted ? _("Invalid value “%s” for field “%s” of %s: that %s was deleted.")
                       : _("Invalid value “%s” for field “%s” of %s: there is no %s with that id."),
               id, field->name, entity->name, field->reference);
  return FALSE;
}

/* Today's date in the local time zone; the zone is looked up once. */
static char *
today_string (AwdaStore *self)
{
  g_autoptr(GDateTime) dt = NULL;

  if (self->local_zone == NULL)
    self->local_zone = g_time_zone_new_local ();
  dt = g_date_time_new_from_unix_utc (self->clock (self->clock_data) / 1000);
  if (dt == NULL)
    return g_strdup ("1970-01-01");
  {
    g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, self->local_zone);
    return g_date_time_format (local, "%Y-%m-%d");
  }
}

gboolean
awda_store_apply (AwdaStore  *self,
                  AwdaEdit   *edit,
                  GError    **error)
{
  const AwdaEntity *entity;
  EntityWriter *writer;
  guint n;
  RowState row;
  g_autofree char **values = NULL;   /* the record after the edit; borrowed strings */
  g_autofree gboolean *changed = NULL;
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) conflicts = NULL;
  int deleted_change = -1;  /* -1: untouched, 0: undelete, 1: delete */
  gboolean exists, own_txn = FALSE, searchable_changed = FALSE, generated_id = FALSE;
  guint n_changed = 0;
  guint64 hlc;
  gint64 saved_seq = self->next_seq;
  guint64 saved_hlc = self->hlc;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  entity = awda_dictionary_lookup_entity (edit->entity);
  if (entity == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Unknown record type “%s”."), edit->entity);
      return FALSE;
    }
  n = entity->n_fields;
  writer = entity_writer (self, entity, error);
  if (writer == NULL)
    return FALSE;

  /* Validate everything before writing anything. */
  if (edit->record != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (edit->record, -1);

      if (!awda_uuid_is_valid (lower))
        {
          g_set_error (error, AWDA_STORE_ERROR, edit->create ? AWDA_STORE_ERROR_INVALID : AWDA_STORE_ERROR_NOT_FOUND,
                       _("“%s” is not a %s id: expected a UUID such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b."),
                       edit->record, entity->name);
          return FALSE;
        }
      g_free (edit->record);
      edit->record = g_steal_pointer (&lower);
    }

  row_state_init (&row, n);
  if (edit->record == NULL)
    exists = FALSE;
  else if (edit->create)
    /* A new record has no state to read: whether the id is taken is enough. */
    exists = record_exists (self, writer, edit->record, error);
  else
    exists = load_row_state (self, entity, edit->record, &row, error);
  if (!exists && error && *error)
    goto refused;

  if (edit->create && exists)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("A %s with id %s already exists."), entity->name, edit->record);
      goto refused;
    }
  if (!edit->create && !exists)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with id %s."), entity->name, edit->record);
      goto refused;
    }

  values = g_new0 (char *, n);
  changed = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    values[i] = row.values[i];

  for (guint i = 0; i < edit->fields->len; i++)
    {
      const char *name = g_array_index (edit->fields, EditField, i).name;
      const char *value = g_array_index (edit->fields, EditField, i).value;
      const AwdaField *field = g_hash_table_lookup (writer->fields, name);
      char *canonical;
      int index;

      if (field == NULL)
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                       _("Unknown field “%s” for %s."), name, entity->name);
          goto refused;
        }

      canonical = awda_field_normalize (entity, field, value ? value : "", error);
      if (canonical == NULL)
        goto refused;
      g_ptr_array_add (owned, canonical);

      if (strcmp (name, AWDA_FIELD_DELETED) == 0)
        {
          gboolean want = strcmp (canonical, "true") == 0;

          deleted_change = (want == row.deleted) ? -1 : want;
          continue;
        }

      index = field - entity->fields;
      if (field->type == AWDA_FIELD_REFERENCE && *canonical != '\0' &&
          !reference_exists (self, entity, field, canonical, error))
        goto refused;

      values[index] = *canonical ? canonical : NULL;
    }

  if (row.deleted && deleted_change != 0 && edit->fields->len > 0)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The %s %s was deleted: restore it before changing it."), entity->name, edit->record);
      goto refused;
    }

  if (!exists)
    for (guint i = 0; i < n; i++)
      {
        const AwdaField *field = &entity->fields[i];

        if (values[i] != NULL || field->default_value == NULL)
          continue;
        if (strcmp (field->default_value, AWDA_DEFAULT_TODAY) == 0)
          g_ptr_array_add (owned, today_string (self));
        else
          g_ptr_array_add (owned, g_strdup (field->default_value));
        values[i] = g_ptr_array_index (owned, owned->len - 1);
      }

  for (guint i = 0; i < n; i++)
    {
      changed[i] = g_strcmp0 (values[i], row.values[i]) != 0;

      /* A record received in part may lack a required field: only a new
       * record, or clearing the field, is refused. */
      if ((entity->fields[i].flags & AWDA_FIELD_REQUIRED) && values[i] == NULL && (!exists || changed[i]))
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                       _("The field “%s” of %s is required and cannot be empty."),
                       entity->fields[i].name, entity->name);
          goto refused;
        }
      if (changed[i])
        {
          n_changed++;
          if (entity->fields[i].flags & AWDA_FIELD_SEARCHABLE)
            searchable_changed = TRUE;
        }
    }

  if (n_changed == 0 && deleted_change < 0)
    {
      row_state_clear (&row, n);
      return TRUE;
    }

  /* Write */
  own_txn = self->txn_depth == 0;
  if (own_txn && !awda_store_exec (self, "BEGIN IMMEDIATE", error))
    goto refused;

  if (edit->record == NULL)
    {
      edit->record = new_record_id (self);
      generated_id = TRUE;
    }

  if (exists)
    {
      conflicts = load_conflicts (self, entity, edit->record, error);
      if (conflicts == NULL)
        goto failed;
    }

  /* A write comes after every version it replaces, whatever the clocks. */
  hlc = self->hlc;
  for (guint i = 0; i < n; i++)
    if (changed[i])
      hlc = MAX (hlc, row.hlcs[i]);
  if (deleted_change >= 0)
    hlc = MAX (hlc, row.deleted_hlc);
  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    hlc = MAX (hlc, g_array_index (conflicts, KeptConflict, i).hlc);
  hlc = awda_hlc_next (hlc, self->clock (self->clock_data));
  self->hlc = hlc;

  if (!exists)
    {
      row.rowid = insert_full_row (self, entity, edit->record, values, hlc, error);
      if (row.rowid == 0)
        goto failed;
    }

  log_buffer_init (&self->log, self->next_seq);
  for (guint i = 0; i < n; i++)
    {
      if (!changed[i])
        continue;
      if ((exists && !write_field (self, entity, row.rowid, (int) i, values[i], hlc, self->site_num, error)) ||
          !log_local_field (self, &self->log, entity, (int) i, values[i],
                            row.hlcs[i], row.sites[i], conflicts, 0, error))
        goto failed;
    }

  if (deleted_change >= 0)
    {
      const char *value = deleted_change ? "true" : "false";

      if (!write_field (self, entity, row.rowid, -1, value, hlc, self->site_num, error) ||
          !log_local_field (self, &self->log, entity, -1, value,
                            row.deleted_hlc, row.deleted_site, conflicts, 0, error))
        goto failed;
    }

  if (!log_buffer_write (self, &self->log, self->site_num, entity->name, edit->record, hlc, error))
    goto failed;

  if (entity_is_searchable (entity) && searchable_changed &&
      !update_search (self, entity, row.rowid, values, exists, error))
    goto failed;

  if (own_txn && !awda_store_exec (self, "COMMIT", error))
    goto failed;

  row_state_clear (&row, n);
  return TRUE;

failed:
  if (own_txn)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  else
    /* Inside a bulk transaction, a storage failure spoils the whole of it. */
    awda_store_rollback (self);
  self->next_seq = saved_seq;
  self->hlc = saved_hlc;
  if (generated_id)
    g_clear_pointer (&edit->record, g_free);

refused:
  row_state_clear (&row, n);
  return FALSE;
}

/* Merging received changes
 *
 * Received changes are merged by a run (AwdaMergeRun). Each change is
 * decided at once, against its record as the changes before it left it,
 * with the same rule as ever; but a record is read once and written once
 * per run, the consecutive changes of one edit go to the log as one
 * change set, and a change above the highest sequence the log holds of
 * its origin is known to be new without looking. Conflicts are kept and
 * dropped at once, in the order of the changes: they are few. A run
 * holds at most MERGE_RUN_RECORDS records before it writes them, so its
 * memory stays bounded whatever the number of changes.
 */

static void finalize_stmt (gpointer stmt);

static gboolean
keep_conflict (AwdaStore         *self,
               const AwdaChange  *change,
               const char        *value,
               guint64            hlc,
               gint64             site,
               GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = awda_store_prepare (self,
                             "INSERT OR IGNORE INTO conflict (entity, record, field, value, hlc, site)"
                             " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->field, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 4, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) hlc);
  sqlite3_bind_int64 (stmt, 6, site);
  return step_done (self, stmt, error);
}

static gboolean
drop_conflict_version (AwdaStore         *self,
                       const AwdaChange  *change,
                       guint64            hlc,
                       gint64             site,
                       GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = awda_store_prepare (self,
                             "DELETE FROM conflict WHERE entity = ? AND record = ? AND field = ?"
                             " AND hlc = ? AND site = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->field, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) hlc);
  sqlite3_bind_int64 (stmt, 5, site);
  return step_done (self, stmt, error);
}

#define MERGE_RUN_RECORDS 2048
/* Row writes are prepared per entity and set of fields written; edits
 * may touch any set of fields, so the run keeps only so many. */
#define MERGE_RUN_STATEMENTS 128

typedef enum
{
  CONFLICTS_UNKNOWN,  /* not looked up yet */
  CONFLICTS_NONE,     /* the record has no kept conflict */
  CONFLICTS_SOME,     /* it may have some */
} KnownConflicts;

/* A record as the run leaves it, until the run writes it. */
typedef struct
{
  const AwdaEntity *entity;
  char             *id;
  RowState          row;        /* rowid 0: not in the table yet */
  guint64           dirty[2];   /* the fields whose value or version the run changed */
  gboolean          deleted_dirty;
  gboolean          search_dirty;
  gboolean          inserted;   /* by this run */
  KnownConflicts    conflicts;
} MergeRecord;

typedef struct
{
  gint64 origin;
  gint64 seq;     /* the highest sequence of @origin in the log */
} MaxSeq;

/* One change of a change set, as the log holds it. */
typedef struct
{
  char    *field;
  char    *value;
  guint64  base_hlc;
  gint64   base_site;
} HeldChange;

/* The change set the last change found held belongs to: a bundle
 * received twice asks for each of its changes in turn. */
typedef struct
{
  gint64  origin;     /* 0: none */
  gint64  first_seq;
  gint64  last_seq;
  char   *entity;
  char   *record;
  guint64 hlc;
  GArray *changes;    /* HeldChange, from first_seq */
} HeldSet;

struct _AwdaMergeRun
{
  AwdaStore        *store;
  GHashTable       *records;     /* MergeRecord, by entity and id */
  GPtrArray        *order;       /* the same records, first seen first */
  GHashTable       *sites;       /* site id → num */
  GArray           *max_seqs;    /* MaxSeq, per origin seen */
  HeldSet           held;
  GHashTable       *stmts;       /* "kind entity/fields" → a row write, at most MERGE_RUN_STATEMENTS */
  GHashTable       *selects;     /* entity → the statement that reads its row */

  /* Consecutive changes mostly share their origin and record, and go
   * through the fields of an entity in the dictionary's order. */
  const AwdaEntity *last_entity;
  int               last_field;
  char              last_site_id[40];
  gint64            last_site_num;
  MergeRecord      *last_record;

  /* The change set being gathered: consecutive changes of one edit. */
  LogBuffer         log;
  gint64            log_origin;
  const AwdaEntity *log_entity;
  char              log_record[40];
  guint64           log_hlc;
};

static guint
merge_record_hash (gconstpointer data)
{
  const MergeRecord *record = data;

  return g_str_hash (record->id) ^ g_direct_hash (record->entity);
}

static gboolean
merge_record_equal (gconstpointer a,
                    gconstpointer b)
{
  const MergeRecord *ra = a, *rb = b;

  return ra->entity == rb->entity && strcmp (ra->id, rb->id) == 0;
}

static void
merge_record_free (gpointer data)
{
  MergeRecord *record = data;

  row_state_clear (&record->row, record->entity->n_fields);
  g_free (record->id);
  g_free (record);
}

static void
held_change_clear (gpointer data)
{
  HeldChange *c = data;

  g_free (c->field);
  g_free (c->value);
}

static void
held_set_clear (HeldSet *set)
{
  g_clear_pointer (&set->entity, g_free);
  g_clear_pointer (&set->record, g_free);
  if (set->changes != NULL)
    g_array_set_size (set->changes, 0);
  set->origin = 0;
}

static void
mark_dirty (MergeRecord *record,
            int          index)
{
  record->dirty[index / 64] |= G_GUINT64_CONSTANT (1) << (index % 64);
}

AwdaMergeRun *
awda_merge_run_new (AwdaStore *self)
{
  AwdaMergeRun *run;

  g_return_val_if_fail (AWDA_IS_STORE (self), NULL);
  g_return_val_if_fail (self->txn_depth > 0, NULL);

  run = g_new0 (AwdaMergeRun, 1);
  run->store = g_object_ref (self);
  run->records = g_hash_table_new (merge_record_hash, merge_record_equal);
  run->order = g_ptr_array_new_with_free_func (merge_record_free);
  run->sites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->max_seqs = g_array_new (FALSE, FALSE, sizeof (MaxSeq));
  run->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  run->selects = g_hash_table_new_full (NULL, NULL, NULL, finalize_stmt);
  run->held.changes = g_array_new (FALSE, TRUE, sizeof (HeldChange));
  g_array_set_clear_func (run->held.changes, held_change_clear);
  return run;
}

void
awda_merge_run_free (AwdaMergeRun *run)
{
  if (run == NULL)
    return;

  g_hash_table_unref (run->records);
  g_ptr_array_unref (run->order);
  g_hash_table_unref (run->sites);
  g_array_unref (run->max_seqs);
  g_hash_table_unref (run->stmts);
  g_hash_table_unref (run->selects);
  held_set_clear (&run->held);
  g_array_unref (run->held.changes);
  if (run->log.json != NULL)
    g_string_free (run->log.json, TRUE);
  g_object_unref (run->store);
  g_free (run);
}

static gint64
run_site_num (AwdaMergeRun  *run,
              const char    *site_id,
              GError       **error)
{
  gpointer num;

  if (run->last_site_num != 0 && strcmp (site_id, run->last_site_id) == 0)
    return run->last_site_num;

  if (!g_hash_table_lookup_extended (run->sites, site_id, NULL, &num))
    {
      num = GSIZE_TO_POINTER ((gsize) awda_store_ensure_site (run->store, site_id, NULL, error));
      if (num == NULL)
        return 0;
      g_hash_table_insert (run->sites, g_strdup (site_id), num);
    }

  /* A valid site id fits. */
  g_strlcpy (run->last_site_id, site_id, sizeof run->last_site_id);
  run->last_site_num = (gint64) GPOINTER_TO_SIZE (num);
  return run->last_site_num;
}

/* The highest sequence of @origin in the log, looked up once a run. */
static MaxSeq *
run_max_seq (AwdaMergeRun  *run,
             gint64         origin,
             GError       **error)
{
  sqlite3_stmt *stmt;
  MaxSeq entry = { .origin = origin };
  int rc;

  for (guint i = 0; i < run->max_seqs->len; i++)
    if (g_array_index (run->max_seqs, MaxSeq, i).origin == origin)
      return &g_array_index (run->max_seqs, MaxSeq, i);

  /* Sets never overlap: the last one begun ends last. */
  stmt = awda_store_prepare (run->store,
                             "SELECT last_seq FROM change_set WHERE origin = ? ORDER BY first_seq DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, origin);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry.seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (run->store, error, _("Could not read the change log"));
      return NULL;
    }

  g_array_append_val (run->max_seqs, entry);
  return &g_array_index (run->max_seqs, MaxSeq, run->max_seqs->len - 1);
}

/* Writes the change set gathered so far. */
static gboolean
run_write_log (AwdaMergeRun  *run,
               GError       **error)
{
  if (run->log.json == NULL || run->log.next_seq == run->log.first_seq)
    return TRUE;
  if (!log_buffer_write (run->store, &run->log, run->log_origin, run->log_entity->name,
                         run->log_record, run->log_hlc, error))
    return FALSE;
  run->log.first_seq = run->log.next_seq;
  return TRUE;
}

/* Adds a new change to the log: to the set being gathered when it
 * follows it in the same edit, else to a set of its own. */
static gboolean
run_log_change (AwdaMergeRun      *run,
                const AwdaChange  *change,
                const AwdaEntity  *entity,
                gint64             origin,
                gint64             base_site,
                GError           **error)
{
  gboolean follows = run->log.json != NULL && run->log.next_seq > run->log.first_seq &&
                     run->log_origin == origin && run->log.next_seq == change->seq &&
                     run->log_hlc == change->hlc && run->log_entity == entity &&
                     strcmp (run->log_record, change->record) == 0;

  if (!follows)
    {
      if (!run_write_log (run, error))
        return FALSE;
      log_buffer_init (&run->log, change->seq);
      run->log_origin = origin;
      run->log_entity = entity;
      run->log_hlc = change->hlc;
      g_strlcpy (run->log_record, change->record, sizeof run->log_record);
    }
  log_buffer_add (&run->log, change->field, change->value, change->base_hlc, base_site);
  return TRUE;
}

/* Whether @value is its own canonical form, for the common cases, without
 * the copies awda_field_normalize() makes: a text as the dictionary tells
 * (awda_field_text_is_canonical()); any other value in printable ASCII
 * with no space around it (no Unicode normalization, nothing to trim, no
 * control character), and then only the type's own check is left.
 * FALSE means "ask awda_field_normalize()", not "refused". */
static gboolean
value_is_plainly_canonical (const AwdaField *field,
                            const char      *value)
{
  gsize len = 0;

  /* Text, in Latin or Arabic letters too: the dictionary's own check. */
  if (field->type == AWDA_FIELD_TEXT)
    return awda_field_text_is_canonical (field, value);

  for (const guchar *p = (const guchar *) value; *p; p++, len++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;
  if (len == 0 || value[0] == ' ' || value[len - 1] == ' ')
    return FALSE;

  switch (field->type)
    {
    case AWDA_FIELD_ENUM:
      return awda_field_lookup_value (field, value) != NULL;
    case AWDA_FIELD_DATE:
      return awda_date_parse (value, NULL, NULL, NULL);
    case AWDA_FIELD_REFERENCE:
      return awda_uuid_is_valid (value);
    case AWDA_FIELD_BOOLEAN:
      return strcmp (value, "true") == 0 || strcmp (value, "false") == 0;
    case AWDA_FIELD_INTEGER:
      {
        const char *digits = value[0] == '-' ? value + 1 : value;
        gint64 n;

        /* The digits printf would write: no sign but minus, no leading zero. */
        if (*digits == '\0' || strlen (digits) > 18 || (digits[0] == '0' && (digits[1] != '\0' || digits != value)))
          return FALSE;
        for (const char *p = digits; *p; p++)
          if (!g_ascii_isdigit (*p))
            return FALSE;
        n = g_ascii_strtoll (value, NULL, 10);
        return !(field->min < field->max) || (n >= field->min && n <= field->max);
      }
    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_AMOUNT:
    case AWDA_FIELD_COUNTRY:
    default:
      return FALSE;
    }
}

/* The entity and field a change names, looked up where the change before
 * them suggests first. */
static void
run_lookup_field (AwdaMergeRun      *run,
                  const AwdaChange  *change,
                  const AwdaEntity **entity_out,
                  const AwdaField  **field_out)
{
  const AwdaEntity *entity = run->last_entity;
  const AwdaField *field = NULL;
  int next;

  *entity_out = NULL;
  *field_out = NULL;
  if (change->entity == NULL)
    return;

  if (entity == NULL || strcmp (entity->name, change->entity) != 0)
    {
      entity = awda_dictionary_lookup_entity (change->entity);
      if (entity == NULL)
        return;
      run->last_entity = entity;
      run->last_field = -1;
    }
  *entity_out = entity;
  if (change->field == NULL)
    return;

  next = run->last_field + 1;
  if (next >= 0 && (guint) next < entity->n_fields && strcmp (entity->fields[next].name, change->field) == 0)
    field = &entity->fields[next];
  else
    field = awda_entity_lookup_field (entity, change->field);
  if (field != NULL && field != awda_dictionary_deleted_field ())
    run->last_field = (int) (field - entity->fields);
  *field_out = field;
}

/* Refuses what cannot be merged, before anything is written. */
static gboolean
check_received_change (AwdaMergeRun      *run,
                       const AwdaChange  *change,
                       const AwdaEntity **entity_out,
                       const AwdaField  **field_out,
                       GError           **error)
{
  const AwdaEntity *entity;
  const AwdaField *field;

  run_lookup_field (run, change, &entity, &field);
  if (entity == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Change %lld of site %s is for an unknown record type “%s”."),
                   (long long) change->seq, change->origin, change->entity ? change->entity : "");
      return FALSE;
    }
  if (field == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Change %lld of site %s is for an unknown field “%s” of %s."),
                   (long long) change->seq, change->origin, change->field ? change->field : "", entity->name);
      return FALSE;
    }
  /* The record of the change before was checked then. */
  if (!(change->record != NULL && run->last_record != NULL && strcmp (change->record, run->last_record->id) == 0) &&
      !awda_uuid_is_valid (change->record))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Change %lld of site %s names a record “%s” that is not a UUID."),
                   (long long) change->seq, change->origin, change->record ? change->record : "");
      return FALSE;
    }
  if (change->seq <= 0 || change->hlc == 0 || (change->base_hlc == 0) != (change->base_site == NULL) ||
      (change->base_hlc != 0 && change->base_hlc >= change->hlc))
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Change %lld of site %s has an impossible sequence number, clock or base."),
                   (long long) change->seq, change->origin);
      return FALSE;
    }
  if (change->value != NULL && !value_is_plainly_canonical (field, change->value))
    {
      g_autofree char *canonical = awda_field_normalize (entity, field, change->value, error);

      if (canonical == NULL)
        return FALSE;
      if (strcmp (canonical, change->value) != 0 || *canonical == '\0')
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                       _("Change %lld of site %s carries “%s” for field “%s” of %s, which is not in canonical form."),
                       (long long) change->seq, change->origin, change->value, field->name, entity->name);
          return FALSE;
        }
    }

  *entity_out = entity;
  *field_out = field;
  return TRUE;
}

/* The record @id of @entity as the run has it: read from the table the
 * first time the run sees it. */
static MergeRecord *
run_record (AwdaMergeRun      *run,
            const AwdaEntity  *entity,
            const char        *id,
            GError           **error)
{
  MergeRecord key = { .entity = entity, .id = (char *) id };
  MergeRecord *record = run->last_record;
  sqlite3_stmt *stmt;
  int rc;

  if (record != NULL && record->entity == entity && strcmp (record->id, id) == 0)
    return record;
  record = g_hash_table_lookup (run->records, &key);
  if (record != NULL)
    return run->last_record = record;

  stmt = g_hash_table_lookup (run->selects, entity);
  if (stmt == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\" WHERE id = ?",
                                              awda_store_entity_columns (run->store, entity), entity->name);

      if (sqlite3_prepare_v3 (run->store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          awda_store_set_sqlite_error (run->store, error, _("Could not read the database"));
          return NULL;
        }
      g_hash_table_insert (run->selects, (gpointer) entity, stmt);
    }

  record = g_new0 (MergeRecord, 1);
  record->entity = entity;
  record->id = g_strdup (id);
  row_state_init (&record->row, entity->n_fields);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row_state_read (entity, stmt, &record->row);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (run->store, error, _("Could not read the database"));
      merge_record_free (record);
      return NULL;
    }

  g_hash_table_add (run->records, record);
  g_ptr_array_add (run->order, record);
  return run->last_record = record;
}

static gboolean
record_may_have_conflicts (AwdaMergeRun  *run,
                           MergeRecord   *record,
                           GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (record->conflicts != CONFLICTS_UNKNOWN)
    return TRUE;

  stmt = awda_store_prepare (run->store, "SELECT 1 FROM conflict WHERE entity = ? AND record = ? LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (run->store, error, _("Could not read the conflicts"));
      return FALSE;
    }
  record->conflicts = rc == SQLITE_ROW ? CONFLICTS_SOME : CONFLICTS_NONE;
  return TRUE;
}

/* The rule: per field, the larger (HLC, site id) wins; a value the
 * winner's writer did not see is kept as a conflict. */
static gboolean
merge_into_record (AwdaMergeRun      *run,
                   MergeRecord       *record,
                   const AwdaField   *field,
                   const AwdaChange  *change,
                   gint64             origin,
                   gint64             base_site,
                   AwdaMergeOutcome  *outcome,
                   GError           **error)
{
  AwdaStore *self = run->store;
  const AwdaEntity *entity = record->entity;
  RowState *row = &record->row;
  gboolean is_deleted = strcmp (field->name, AWDA_FIELD_DELETED) == 0;
  int index = is_deleted ? -1 : (int) (field - entity->fields);
  guint64 cur_hlc = is_deleted ? row->deleted_hlc : row->hlcs[index];
  gint64 cur_site = is_deleted ? row->deleted_site : row->sites[index];
  const char *cur_value = is_deleted ? (row->deleted_hlc ? (row->deleted ? "true" : "false") : NULL)
                                     : row->values[index];
  gboolean kept = FALSE;
  int cmp;

  cmp = cur_hlc == 0 ? 1 : version_compare (self, change->hlc, change->origin,
                                            cur_hlc, awda_store_site_id_for_num (self, cur_site));
  if (cmp > 0)
    {
      /* The change wins: the value it replaces is kept unless the writer saw it. */
      if (cur_hlc != 0 && !(cur_hlc == change->base_hlc && cur_site == base_site))
        {
          if (!keep_conflict (self, change, cur_value, cur_hlc, cur_site, error))
            return FALSE;
          record->conflicts = CONFLICTS_SOME;
          kept = TRUE;
        }

      if (is_deleted)
        {
          row->deleted = g_strcmp0 (change->value, "true") == 0;
          row->deleted_hlc = change->hlc;
          row->deleted_site = origin;
          record->deleted_dirty = TRUE;
        }
      else
        {
          g_free (row->values[index]);
          row->values[index] = g_strdup (change->value);
          row->hlcs[index] = change->hlc;
          row->sites[index] = origin;
          mark_dirty (record, index);
          if ((field->flags & AWDA_FIELD_SEARCHABLE) && entity_is_searchable (entity))
            record->search_dirty = TRUE;
        }
    }
  else if (cmp < 0)
    {
      /* The change loses to a concurrent one: it is kept for a person. */
      if (!keep_conflict (self, change, change->value, change->hlc, origin, error))
        return FALSE;
      record->conflicts = CONFLICTS_SOME;
      kept = TRUE;
    }
  /* cmp == 0: the same write seen through another of its bases. */

  /* Applying a change removes its base from the conflicts. */
  if (change->base_hlc != 0)
    {
      if (!record_may_have_conflicts (run, record, error))
        return FALSE;
      if (record->conflicts == CONFLICTS_SOME &&
          !drop_conflict_version (self, change, change->base_hlc, base_site, error))
        return FALSE;
    }

  *outcome = kept ? AWDA_MERGE_CONFLICT : AWDA_MERGE_APPLIED;
  return TRUE;
}

/* Reads the change set of @origin that holds @seq into the run's held
 * set; leaves it empty when the log has no such change. */
static gboolean
load_held_set (AwdaMergeRun  *run,
               gint64         origin,
               gint64         seq,
               GError       **error)
{
  HeldSet *set = &run->held;
  sqlite3_stmt *stmt;
  g_autofree char *changes = NULL;
  int rc;

  held_set_clear (set);

  stmt = awda_store_prepare (run->store,
                             "SELECT first_seq, last_seq, entity, record, hlc, changes FROM change_set"
                             " WHERE origin = ?1 AND first_seq <= ?2 ORDER BY first_seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 1) >= seq)
    {
      set->origin = origin;
      set->first_seq = sqlite3_column_int64 (stmt, 0);
      set->last_seq = sqlite3_column_int64 (stmt, 1);
      set->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      set->record = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      set->hlc = (guint64) sqlite3_column_int64 (stmt, 4);
      changes = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (run->store, error, _("Could not read the change log"));
      return FALSE;
    }
  if (changes == NULL)
    return TRUE;

  stmt = awda_store_prepare (run->store,
                             "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each (?)"
                             " ORDER BY key", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, changes, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeldChange c = {
        .field = g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
        .value = g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
        .base_hlc = (guint64) sqlite3_column_int64 (stmt, 2),
        .base_site = sqlite3_column_int64 (stmt, 3),
      };

      g_array_append_val (set->changes, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (run->store, error, _("Could not read the change log"));
      return FALSE;
    }
  /* The schema checks that a set has one element per sequence number. */
  if ((gint64) set->changes->len != set->last_seq - set->first_seq + 1)
    {
      held_set_clear (set);
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("The change log of site %s is damaged near change %lld."),
                   awda_store_site_id_for_num (run->store, origin), (long long) seq);
      return FALSE;
    }
  return TRUE;
}

/* Is (origin, seq) held already? Refuses the same key with other content. */
static gboolean
run_change_is_held (AwdaMergeRun      *run,
                    const AwdaChange  *change,
                    gint64             origin,
                    gint64             base_site,
                    gboolean          *held,
                    GError           **error)
{
  HeldSet *set = &run->held;
  HeldChange *c;
  gboolean same;

  *held = FALSE;
  if (!(set->origin == origin && set->first_seq <= change->seq && change->seq <= set->last_seq))
    {
      /* The log must have what the run gathered. */
      if (!run_write_log (run, error) ||
          !load_held_set (run, origin, change->seq, error))
        return FALSE;
      if (set->origin == 0)
        return TRUE;
    }

  c = &g_array_index (set->changes, HeldChange, change->seq - set->first_seq);
  same = g_strcmp0 (set->entity, change->entity) == 0 &&
         g_strcmp0 (set->record, change->record) == 0 &&
         g_strcmp0 (c->field, change->field) == 0 &&
         g_strcmp0 (c->value, change->value) == 0 &&
         set->hlc == change->hlc &&
         c->base_hlc == change->base_hlc &&
         c->base_site == base_site;
  if (!same)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Change %lld of site %s arrives with other content than the one already held."),
                   (long long) change->seq, change->origin);
      return FALSE;
    }

  *held = TRUE;
  return TRUE;
}

gboolean
awda_merge_run_add (AwdaMergeRun      *run,
                    const AwdaChange  *change,
                    AwdaMergeOutcome  *outcome,
                    GError           **error)
{
  AwdaStore *self;
  const AwdaEntity *entity;
  const AwdaField *field;
  gint64 origin, base_site = 0;
  MaxSeq *max_seq;
  MergeRecord *record;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);
  self = run->store;
  g_return_val_if_fail (self->txn_depth > 0, FALSE);

  if (!check_received_change (run, change, &entity, &field, error))
    return FALSE;

  origin = run_site_num (run, change->origin, error);
  if (origin == 0)
    return FALSE;
  if (change->base_site != NULL)
    {
      base_site = run_site_num (run, change->base_site, error);
      if (base_site == 0)
        return FALSE;
    }

  /* Above what the log holds of its origin, a change is new; at or
   * below, the log says, once it has what the run gathered. */
  max_seq = run_max_seq (run, origin, error);
  if (max_seq == NULL)
    return FALSE;
  if (change->seq <= max_seq->seq)
    {
      gboolean held;

      if (!run_change_is_held (run, change, origin, base_site, &held, error))
        return FALSE;
      if (held)
        {
          *outcome = AWDA_MERGE_PRESENT;
          return TRUE;
        }
    }

  if (!run_log_change (run, change, entity, origin, base_site, error))
    return FALSE;
  max_seq->seq = MAX (max_seq->seq, change->seq);
  if (origin == self->site_num && change->seq >= self->next_seq)
    self->next_seq = change->seq + 1;

  record = run_record (run, entity, change->record, error);
  if (record == NULL ||
      !merge_into_record (run, record, field, change, origin, base_site, outcome, error))
    return FALSE;

  if (run->order->len >= MERGE_RUN_RECORDS)
    return awda_merge_run_flush (run, error);
  return TRUE;
}

typedef struct
{
  const AwdaEntity *entity;
  gboolean          insert;
  guint64           fields[2];  /* the fields written */
  gboolean          deleted;    /* the deleted field is written */
} RowWrite;

static char *
build_row_write (const RowWrite *w)
{
  const AwdaEntity *entity = w->entity;
  GString *sql = g_string_new (NULL);
  const char *sep = "";

  if (w->insert)
    {
      g_autoptr(GString) params = g_string_new ("?");

      g_string_printf (sql, "INSERT INTO \"%s\" (id", entity->name);
      if (w->deleted)
        {
          g_string_append (sql, ", deleted, deleted__hlc, deleted__site");
          g_string_append (params, ", ?, ?, ?");
        }
      for (guint i = 0; i < entity->n_fields; i++)
        if (w->fields[i / 64] & (G_GUINT64_CONSTANT (1) << (i % 64)))
          {
            g_string_append_printf (sql, ", \"%1$s\", \"%1$s__hlc\", \"%1$s__site\"", entity->fields[i].name);
            g_string_append (params, ", ?, ?, ?");
          }
      g_string_append_printf (sql, ") VALUES (%s)", params->str);
      return g_string_free (sql, FALSE);
    }

  g_string_printf (sql, "UPDATE \"%s\" SET ", entity->name);
  if (w->deleted)
    {
      g_string_append (sql, "deleted = ?, deleted__hlc = ?, deleted__site = ?");
      sep = ", ";
    }
  for (guint i = 0; i < entity->n_fields; i++)
    if (w->fields[i / 64] & (G_GUINT64_CONSTANT (1) << (i % 64)))
      {
        g_string_append_printf (sql, "%1$s\"%2$s\" = ?, \"%2$s__hlc\" = ?, \"%2$s__site\" = ?",
                                sep, entity->fields[i].name);
        sep = ", ";
      }
  g_string_append (sql, " WHERE rowid = ?");
  return g_string_free (sql, FALSE);
}

/* The statement of a row write, prepared the first time it is needed. */
static sqlite3_stmt *
row_write_statement (AwdaMergeRun    *run,
                     const RowWrite  *w,
                     GError         **error)
{
  char key[160];
  sqlite3_stmt *stmt;
  g_autofree char *sql = NULL;

  g_snprintf (key, sizeof key, "%s %s/%" G_GINT64_MODIFIER "x/%" G_GINT64_MODIFIER "x/%d",
              w->insert ? "insert" : "update", w->entity->name, w->fields[0], w->fields[1], w->deleted);
  stmt = g_hash_table_lookup (run->stmts, key);
  if (stmt != NULL)
    return stmt;

  /* None is in use between two writes: start afresh. */
  if (g_hash_table_size (run->stmts) >= MERGE_RUN_STATEMENTS)
    g_hash_table_remove_all (run->stmts);

  sql = build_row_write (w);
  if (sqlite3_prepare_v3 (run->store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (run->store, error, _("Could not write to the database"));
      g_debug ("Failed SQL: %s", sql);
      return NULL;
    }
  g_hash_table_insert (run->stmts, g_strdup (key), stmt);
  return stmt;
}

/* Writes a record the run changed: one INSERT or UPDATE of every field
 * it wrote. */
static gboolean
write_merged_record (AwdaMergeRun  *run,
                     MergeRecord   *record,
                     GError       **error)
{
  AwdaStore *self = run->store;
  const AwdaEntity *entity = record->entity;
  RowState *row = &record->row;
  RowWrite w = { .entity = entity, .insert = row->rowid == 0 };
  sqlite3_stmt *stmt;
  int n = 1;

  g_assert (entity->n_fields <= 128);
  if (w.insert)
    {
      for (guint i = 0; i < entity->n_fields; i++)
        if (row->hlcs[i] != 0)
          w.fields[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
      w.deleted = row->deleted_hlc != 0;
    }
  else
    {
      w.fields[0] = record->dirty[0];
      w.fields[1] = record->dirty[1];
      w.deleted = record->deleted_dirty;
      if (w.fields[0] == 0 && w.fields[1] == 0 && !w.deleted)
        return TRUE;
    }

  stmt = row_write_statement (run, &w, error);
  if (stmt == NULL)
    return FALSE;

  if (w.insert)
    sqlite3_bind_text (stmt, n++, record->id, -1, SQLITE_STATIC);
  if (w.deleted)
    {
      sqlite3_bind_int (stmt, n, row->deleted);
      bind_version (stmt, n + 1, row->deleted_hlc, row->deleted_site);
      n += 3;
    }
  for (guint i = 0; i < entity->n_fields; i++)
    if (w.fields[i / 64] & (G_GUINT64_CONSTANT (1) << (i % 64)))
      {
        bind_value (stmt, n, &entity->fields[i], row->values[i]);
        bind_version (stmt, n + 1, row->hlcs[i], row->sites[i]);
        n += 3;
      }
  if (!w.insert)
    sqlite3_bind_int64 (stmt, n, row->rowid);

  if (!step_done (self, stmt, error))
    return FALSE;
  sqlite3_clear_bindings (stmt);
  if (w.insert)
    row->rowid = sqlite3_last_insert_rowid (self->db);

  record->inserted = w.insert;
  return TRUE;
}

static int
compare_rowids (gconstpointer a,
                gconstpointer b)
{
  const MergeRecord *ra = *(MergeRecord * const *) a, *rb = *(MergeRecord * const *) b;

  return ra->row.rowid < rb->row.rowid ? -1 : ra->row.rowid > rb->row.rowid;
}

/* Rewrites the search documents of the records that need it, in rowid
 * order: FTS5 keeps what it is given in memory only while the rowids
 * grow, and writes a segment of its index each time they go back. */
static gboolean
write_search_documents (AwdaMergeRun  *run,
                        GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  for (guint i = 0; i < run->order->len; i++)
    {
      MergeRecord *record = g_ptr_array_index (run->order, i);

      if (record->search_dirty)
        g_ptr_array_add (records, record);
    }
  g_ptr_array_sort (records, compare_rowids);

  for (guint i = 0; i < records->len; i++)
    {
      MergeRecord *record = g_ptr_array_index (records, i);

      if (!update_search (run->store, record->entity, record->row.rowid, record->row.values,
                          !record->inserted, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
awda_merge_run_flush (AwdaMergeRun  *run,
                      GError       **error)
{
  g_return_val_if_fail (run != NULL, FALSE);

  if (!run_write_log (run, error))
    return FALSE;

  /* First seen, first written: new records take their rowids in the
   * order their first changes came. */
  for (guint i = 0; i < run->order->len; i++)
    if (!write_merged_record (run, g_ptr_array_index (run->order, i), error))
      return FALSE;
  if (!write_search_documents (run, error))
    return FALSE;

  run->last_record = NULL;
  g_hash_table_remove_all (run->records);
  g_ptr_array_set_size (run->order, 0);
  return TRUE;
}

/* One change on its own: a run of one. */
gboolean
awda_store_merge_change (AwdaStore         *self,
                         const AwdaChange  *change,
                         AwdaMergeOutcome  *outcome,
                         GError           **error)
{
  g_autoptr(AwdaMergeRun) run = NULL;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);

  run = awda_merge_run_new (self);
  return awda_merge_run_add (run, change, outcome, error) &&
         awda_merge_run_flush (run, error);
}

gboolean
awda_store_resolve_conflict (AwdaStore   *self,
                             gint64       conflict_id,
                             const char  *value,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *entity_name = NULL;
  g_autofree char *record = NULL;
  g_autofree char *field_name = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GArray) conflicts = NULL;
  const AwdaEntity *entity;
  const AwdaField *field;
  RowState row;
  int index;
  guint64 hlc;
  gboolean ok = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);

  stmt = awda_store_prepare (self, "SELECT entity, record, field FROM conflict WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      entity_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      record = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      field_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (entity_name == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                   _("There is no conflict %lld."), (long long) conflict_id);
      return FALSE;
    }

  entity = awda_dictionary_lookup_entity (entity_name);
  field = entity ? awda_entity_lookup_field (entity, field_name) : NULL;
  if (field == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Conflict %lld names a field this version does not know."), (long long) conflict_id);
      return FALSE;
    }
  canonical = awda_field_normalize (entity, field, value ? value : "", error);
  if (canonical == NULL)
    return FALSE;
  if ((field->flags & AWDA_FIELD_REQUIRED) && *canonical == '\0')
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The field “%s” of %s is required and cannot be empty."), field->name, entity->name);
      return FALSE;
    }
  if (field->type == AWDA_FIELD_REFERENCE && *canonical != '\0' &&
      !reference_exists (self, entity, field, canonical, error))
    return FALSE;

  index = strcmp (field->name, AWDA_FIELD_DELETED) == 0 ? -1 : (int) (field - entity->fields);

  row_state_init (&row, entity->n_fields);
  if (!load_row_state (self, entity, record, &row, error))
    {
      if (error && *error == NULL)
        g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                     _("There is no %s with id %s."), entity->name, record);
      row_state_clear (&row, entity->n_fields);
      return FALSE;
    }

  if (!awda_store_exec (self, "SAVEPOINT resolve", error))
    goto out;

  conflicts = load_conflicts (self, entity, record, error);
  if (conflicts == NULL)
    goto rollback;

  hlc = MAX (self->hlc, index < 0 ? row.deleted_hlc : row.hlcs[index]);
  for (guint i = 0; i < conflicts->len; i++)
    hlc = MAX (hlc, g_array_index (conflicts, KeptConflict, i).hlc);
  hlc = awda_hlc_next (hlc, self->clock (self->clock_data));
  self->hlc = hlc;

  {
    const char *stored = *canonical ? canonical : NULL;

    log_buffer_init (&self->log, self->next_seq);
    if (!write_field (self, entity, row.rowid, index, stored, hlc, self->site_num, error) ||
        !log_local_field (self, &self->log, entity, index, stored,
                          index < 0 ? row.deleted_hlc : row.hlcs[index],
                          index < 0 ? row.deleted_site : row.sites[index],
                          conflicts, conflict_id, error) ||
        !log_buffer_write (self, &self->log, self->site_num, entity->name, record, hlc, error))
      goto rollback;

    if (index >= 0 && (field->flags & AWDA_FIELD_SEARCHABLE) && entity_is_searchable (entity))
      {
        g_free (row.values[index]);
        row.values[index] = g_strdup (stored);
        if (!update_search (self, entity, row.rowid, row.values, TRUE, error))
          goto rollback;
      }
  }

  ok = awda_store_exec (self, "RELEASE resolve", error);
  if (ok)
    goto out;

rollback:
  sqlite3_exec (self->db, "ROLLBACK TO resolve; RELEASE resolve", NULL, NULL, NULL);
  reload_counters (self, NULL);
out:
  row_state_clear (&row, entity->n_fields);
  return ok;
}

/* GObject */

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
awda_store_finalize (GObject *object)
{
  AwdaStore *self = (AwdaStore *)object;

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->log_insert, sqlite3_finalize);
  g_clear_pointer (&self->search_insert, sqlite3_finalize);
  g_clear_pointer (&self->search_delete, sqlite3_finalize);
  if (self->writers != NULL)
    {
      guint n_entities;
      const AwdaEntity *entities = awda_dictionary_get_entities (&n_entities);

      for (guint i = 0; i < self->n_writers; i++)
        entity_writer_clear (&self->writers[i], entities[i].n_fields);
      g_clear_pointer (&self->writers, g_free);
    }
  if (self->db != NULL)
    {
      if (self->txn_depth > 0)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->columns, g_hash_table_unref);
  g_clear_pointer (&self->site_ids, g_hash_table_unref);
  if (self->log.json)
    g_string_free (self->log.json, TRUE);
  g_clear_pointer (&self->local_zone, g_time_zone_unref);
  g_free (self->path);
  g_free (self->site.id);
  g_free (self->site.name);
  g_free (self->site.kind);
  g_free (self->site.governorate);

  G_OBJECT_CLASS (awda_store_parent_class)->finalize (object);
}

static void
awda_store_class_init (AwdaStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = awda_store_finalize;
}

static void
awda_store_init (AwdaStore *self)
{
  self->clock = real_wall_clock;
  for (guint i = 0; i < G_N_ELEMENTS (self->search_fields); i++)
    self->search_fields[i] = -1;
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->columns = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->site_ids = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

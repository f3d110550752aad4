/* awda-store.c: the case store, its site identity and its one write API
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every local write goes through awda_store_apply(): it validates the
 * values against the data dictionary, then in one transaction updates the
 * typed table, the field versions, the search index and the change log.
 * Received changes go through awda_store_merge_change(), which applies the
 * per-field last-writer-wins rule and keeps the losers as conflicts.
 */

#define G_LOG_DOMAIN "awda-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "awda-core-resources.h"
#include "awda-fold.h"
#include "awda-hlc.h"
#include "awda-store-private.h"

#define MIGRATIONS_PATH "/org/awda/Awda/migrations"

struct _AwdaEdit
{
  char      *entity;
  char      *record;
  gboolean   create;
  GPtrArray *fields;  /* alternating field, value (value may be NULL) */
};

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
  GHashTable    *insert_stmts; /* "entity/mask of set fields" → INSERT */
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
awda_store_set_sqlite_error (AwdaStore   *self,
                             GError     **error,
                             const char  *what)
{
  int code = sqlite3_extended_errcode (self->db);

  if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                 _("The disk is full: %s failed (%s)."), what, sqlite3_errmsg (self->db));
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                 _("The database is in use by another program: %s failed (%s)."),
                 what, sqlite3_errmsg (self->db));
  else
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                 _("The database failed: %s (%s)."), what, sqlite3_errmsg (self->db));
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
      awda_store_set_sqlite_error (self, error, "prepare");
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
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("The database failed: %s."), message ? message : "?");
      sqlite3_free (message);
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
      awda_store_set_sqlite_error (self, error, "write");
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
  edit->fields = g_ptr_array_new_with_free_func (g_free);
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
  g_return_if_fail (edit != NULL);
  g_return_if_fail (field != NULL);

  /* The last value given for a field wins. */
  for (guint i = 0; i < edit->fields->len; i += 2)
    if (strcmp (g_ptr_array_index (edit->fields, i), field) == 0)
      {
        g_free (edit->fields->pdata[i + 1]);
        edit->fields->pdata[i + 1] = g_strdup (value);
        return;
      }

  g_ptr_array_add (edit->fields, g_strdup (field));
  g_ptr_array_add (edit->fields, g_strdup (value));
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
  return edit->fields->len / 2;
}

void
awda_edit_free (AwdaEdit *edit)
{
  if (edit == NULL)
    return;
  g_free (edit->entity);
  g_free (edit->record);
  g_ptr_array_unref (edit->fields);
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
      sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
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
      awda_store_set_sqlite_error (self, error, "read");
      sqlite3_reset (stmt);
      return FALSE;
    }

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
      awda_store_set_sqlite_error (self, error, "read the schema");
      return FALSE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (existing, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  if (g_hash_table_size (existing) == 0)
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      g_string_printf (sql, "CREATE TABLE \"%s\" (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                       " deleted INTEGER NOT NULL DEFAULT 0, deleted__hlc INTEGER, deleted__site INTEGER",
                       entity->name);
      for (guint i = 0; i < entity->n_fields; i++)
        {
          const AwdaField *field = &entity->fields[i];

          g_string_append_printf (sql, ", \"%1$s\" %2$s, \"%1$s__hlc\" INTEGER, \"%1$s__site\" INTEGER",
                                  field->name, field_is_integer (field) ? "INTEGER" : "TEXT");
          g_hash_table_add (existing, g_strdup (field->name));
        }
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

  /* The case list reads the live cases newest first, from this index
   * rather than the whole table. */
  if (entity_is_searchable (entity) &&
      !awda_store_exec (self, "CREATE INDEX IF NOT EXISTS case_live ON \"case\" (deleted)", error))
    return FALSE;

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const AwdaField *field = &entity->fields[i];
      g_autofree char *sql = NULL;

      if (!(field->flags & AWDA_FIELD_INDEXED))
        continue;
      sql = g_strdup_printf ("CREATE INDEX IF NOT EXISTS \"%1$s_%2$s\" ON \"%1$s\" (\"%2$s\")",
                             entity->name, field->name);
      if (!awda_store_exec (self, sql, error))
        return FALSE;
    }

  return TRUE;
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

  names = g_resource_enumerate_children (awda_core_get_resource (), MIGRATIONS_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  target = names ? (int) g_strv_length (names) : 0;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      awda_store_set_sqlite_error (self, error, "read the schema version");
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

  return TRUE;
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

static gboolean
open_db (AwdaStore   *self,
         int          flags,
         GError     **error)
{
  if (sqlite3_open_v2 (self->path, &self->db, flags, NULL) != SQLITE_OK)
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

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
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

  self = g_object_new (AWDA_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (!open_db (self, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE, error) ||
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
static char *
search_text (const AwdaEntity *entity,
             char * const     *values)
{
  static const char *fields[] = { "given_name", "family_name", "given_name_ar", "family_name_ar",
                                  "national_id", "phone" };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = values[awda_entity_field_index (entity, fields[i])];
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

          g_string_append (s, digits);
          g_string_append_c (s, ' ');
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
  g_autofree char *text = search_text (entity, values);
  sqlite3_stmt *stmt;

  if (replace)
    {
      stmt = awda_store_prepare (self, "DELETE FROM case_search WHERE rowid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  stmt = awda_store_prepare (self, "INSERT INTO case_search (rowid, text) VALUES (?, ?)", error);
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
  stmt = awda_store_prepare (self,
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
  g_autofree char *sql = NULL;
  const char *name = field_index < 0 ? AWDA_FIELD_DELETED : entity->fields[field_index].name;
  const AwdaField *field = field_index < 0 ? awda_dictionary_deleted_field () : &entity->fields[field_index];
  sqlite3_stmt *stmt;

  sql = g_strdup_printf ("UPDATE \"%1$s\" SET \"%2$s\" = ?, \"%2$s__hlc\" = ?, \"%2$s__site\" = ? WHERE rowid = ?",
                         entity->name, name);
  stmt = awda_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  if (field_index < 0)
    sqlite3_bind_int (stmt, 1, g_strcmp0 (value, "true") == 0);
  else
    bind_value (stmt, 1, field, value);
  bind_version (stmt, 2, hlc, site);
  sqlite3_bind_int64 (stmt, 4, rowid);
  return step_done (self, stmt, error);
}

static gint64
insert_row (AwdaStore         *self,
            const AwdaEntity  *entity,
            const char        *id,
            GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO \"%s\" (id) VALUES (?)", entity->name);
  sqlite3_stmt *stmt = awda_store_prepare (self, sql, error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

/* Inserts a new record with every set field in one statement: the bulk
 * path. Statements are kept per entity and set of fields. */
static gint64
insert_full_row (AwdaStore         *self,
                 const AwdaEntity  *entity,
                 const char        *id,
                 char * const      *values,
                 guint64            hlc,
                 GError           **error)
{
  char key[128];
  guint64 mask[2] = { 0, 0 };
  sqlite3_stmt *stmt;
  int n = 1;

  g_assert (entity->n_fields <= 128);
  for (guint i = 0; i < entity->n_fields; i++)
    if (values[i] != NULL)
      mask[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
  g_snprintf (key, sizeof key, "%s/%" G_GINT64_MODIFIER "x/%" G_GINT64_MODIFIER "x", entity->name, mask[0], mask[1]);

  stmt = g_hash_table_lookup (self->insert_stmts, key);
  if (stmt == NULL)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GString) params = g_string_new ("?");

      g_string_printf (sql, "INSERT INTO \"%s\" (id", entity->name);
      for (guint i = 0; i < entity->n_fields; i++)
        if (values[i] != NULL)
          {
            g_string_append_printf (sql, ", \"%1$s\", \"%1$s__hlc\", \"%1$s__site\"", entity->fields[i].name);
            g_string_append (params, ", ?, ?, ?");
          }
      g_string_append_printf (sql, ") VALUES (%s)", params->str);

      if (sqlite3_prepare_v3 (self->db, sql->str, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          awda_store_set_sqlite_error (self, error, "prepare");
          return 0;
        }
      g_hash_table_insert (self->insert_stmts, g_strdup (key), stmt);
    }

  sqlite3_bind_text (stmt, n++, id, -1, SQLITE_STATIC);
  for (guint i = 0; i < entity->n_fields; i++)
    if (values[i] != NULL)
      {
        bind_value (stmt, n, &entity->fields[i], values[i]);
        bind_version (stmt, n + 1, hlc, self->site_num);
        n += 3;
      }

  if (!step_done (self, stmt, error))
    return 0;
  sqlite3_clear_bindings (stmt);
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

static gboolean
reference_exists (AwdaStore         *self,
                  const AwdaEntity  *entity,
                  const AwdaField   *field,
                  const char        *id,
                  GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT deleted FROM \"%s\" WHERE id = ?", field->reference);
  sqlite3_stmt *stmt = awda_store_prepare (self, sql, error);
  int rc;
  gboolean deleted;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  deleted = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW && !deleted)
    return TRUE;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      awda_store_set_sqlite_error (self, error, "read");
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
  exists = edit->record != NULL && load_row_state (self, entity, edit->record, &row, error);
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

  for (guint i = 0; i < edit->fields->len; i += 2)
    {
      const char *name = g_ptr_array_index (edit->fields, i);
      const char *value = g_ptr_array_index (edit->fields, i + 1);
      const AwdaField *field = awda_entity_lookup_field (entity, name);
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

/* Merging received changes */

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

/* Is (origin, seq) held already? Refuses the same key with other content. */
static gboolean
change_is_held (AwdaStore         *self,
                const AwdaChange  *change,
                gint64             origin,
                gint64             base_site,
                gboolean          *held,
                GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean same;

  *held = FALSE;
  /* The row whose sequence range holds seq, then its element. */
  stmt = awda_store_prepare (self,
                             "SELECT entity, record, e ->> 0, e ->> 1, hlc, e ->> 2, e ->> 3 FROM"
                             " (SELECT entity, record, hlc, last_seq, json_extract (changes, '$[' || (?2 - first_seq) || ']') AS e"
                             "  FROM change_set WHERE origin = ?1 AND first_seq <= ?2"
                             "  ORDER BY first_seq DESC LIMIT 1) WHERE last_seq >= ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, origin);
  sqlite3_bind_int64 (stmt, 2, change->seq);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }

  same = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), change->entity) == 0 &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), change->record) == 0 &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), change->field) == 0 &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), change->value) == 0 &&
         (guint64) sqlite3_column_int64 (stmt, 4) == change->hlc &&
         (guint64) sqlite3_column_int64 (stmt, 5) == change->base_hlc &&
         sqlite3_column_int64 (stmt, 6) == base_site;
  sqlite3_reset (stmt);

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
awda_store_merge_change (AwdaStore         *self,
                         const AwdaChange  *change,
                         AwdaMergeOutcome  *outcome,
                         GError           **error)
{
  const AwdaEntity *entity;
  const AwdaField *field;
  g_autofree char *canonical = NULL;
  gint64 origin, base_site = 0;
  gboolean held, exists, is_deleted;
  int index;
  RowState row;
  guint64 cur_hlc;
  gint64 cur_site;
  const char *cur_value;
  int cmp;
  gboolean kept = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);

  entity = change->entity ? awda_dictionary_lookup_entity (change->entity) : NULL;
  if (entity == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Change %lld of site %s is for an unknown record type “%s”."),
                   (long long) change->seq, change->origin, change->entity ? change->entity : "");
      return FALSE;
    }
  field = change->field ? awda_entity_lookup_field (entity, change->field) : NULL;
  if (field == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("Change %lld of site %s is for an unknown field “%s” of %s."),
                   (long long) change->seq, change->origin, change->field ? change->field : "", entity->name);
      return FALSE;
    }
  if (!awda_uuid_is_valid (change->record))
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
  if (change->value != NULL)
    {
      canonical = awda_field_normalize (entity, field, change->value, error);
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

  origin = awda_store_ensure_site (self, change->origin, NULL, error);
  if (origin == 0)
    return FALSE;
  if (change->base_site != NULL)
    {
      base_site = awda_store_ensure_site (self, change->base_site, NULL, error);
      if (base_site == 0)
        return FALSE;
    }

  if (!change_is_held (self, change, origin, base_site, &held, error))
    return FALSE;
  if (held)
    {
      *outcome = AWDA_MERGE_PRESENT;
      return TRUE;
    }

  log_buffer_init (&self->log, change->seq);
  log_buffer_add (&self->log, field->name, change->value, change->base_hlc, base_site);
  if (!log_buffer_write (self, &self->log, origin, entity->name, change->record, change->hlc, error))
    return FALSE;

  if (origin == self->site_num && change->seq >= self->next_seq)
    self->next_seq = change->seq + 1;

  is_deleted = strcmp (field->name, AWDA_FIELD_DELETED) == 0;
  index = is_deleted ? -1 : (int) (field - entity->fields);

  row_state_init (&row, entity->n_fields);
  exists = load_row_state (self, entity, change->record, &row, error);
  if (!exists && error && *error)
    goto failed;
  if (!exists)
    {
      row.rowid = insert_row (self, entity, change->record, error);
      if (row.rowid == 0)
        goto failed;
    }

  cur_hlc = is_deleted ? row.deleted_hlc : row.hlcs[index];
  cur_site = is_deleted ? row.deleted_site : row.sites[index];
  cur_value = is_deleted ? (row.deleted_hlc ? (row.deleted ? "true" : "false") : NULL) : row.values[index];
  cmp = cur_hlc == 0 ? 1 : version_compare (self, change->hlc, change->origin,
                                            cur_hlc, awda_store_site_id_for_num (self, cur_site));

  if (cmp > 0)
    {
      /* The change wins: the value it replaces is kept unless the writer saw it. */
      if (cur_hlc != 0 && !(cur_hlc == change->base_hlc && cur_site == base_site))
        {
          if (!keep_conflict (self, change, cur_value, cur_hlc, cur_site, error))
            goto failed;
          kept = TRUE;
        }
      if (!write_field (self, entity, row.rowid, index, change->value, change->hlc, origin, error))
        goto failed;

      if (!is_deleted && (field->flags & AWDA_FIELD_SEARCHABLE) && entity_is_searchable (entity))
        {
          g_free (row.values[index]);
          row.values[index] = g_strdup (change->value);
          if (!update_search (self, entity, row.rowid, row.values, TRUE, error))
            goto failed;
        }
    }
  else if (cmp < 0)
    {
      /* The change loses to a concurrent one: it is kept for a person. */
      if (!keep_conflict (self, change, change->value, change->hlc, origin, error))
        goto failed;
      kept = TRUE;
    }
  /* cmp == 0: the same write seen through another of its bases. */

  if (change->base_hlc != 0 && !drop_conflict_version (self, change, change->base_hlc, base_site, error))
    goto failed;

  row_state_clear (&row, entity->n_fields);
  *outcome = kept ? AWDA_MERGE_CONFLICT : AWDA_MERGE_APPLIED;
  return TRUE;

failed:
  row_state_clear (&row, entity->n_fields);
  return FALSE;
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
  g_clear_pointer (&self->insert_stmts, g_hash_table_unref);
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
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->columns = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->site_ids = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->insert_stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
}

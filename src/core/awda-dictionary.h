/* awda-dictionary.h: the one description of every record and field
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  AWDA_FIELD_TEXT,
  AWDA_FIELD_INTEGER,
  AWDA_FIELD_AMOUNT,     /* decimal, up to 3 places; its currency is another field */
  AWDA_FIELD_DATE,       /* YYYY-MM-DD */
  AWDA_FIELD_ENUM,
  AWDA_FIELD_REFERENCE,  /* the id of a record of another entity */
  AWDA_FIELD_BOOLEAN,    /* "true" or "false" */
  AWDA_FIELD_COUNTRY,    /* ISO 3166-1 alpha-2 */
} AwdaFieldType;

typedef enum
{
  AWDA_FIELD_REQUIRED   = 1 << 0, /* a record cannot exist without it */
  AWDA_FIELD_INDEXED    = 1 << 1, /* an SQL index is kept on it */
  AWDA_FIELD_SEARCHABLE = 1 << 2, /* it feeds the full-text search */
  AWDA_FIELD_PERSONAL   = 1 << 3, /* saved only once consent is recorded */
  AWDA_FIELD_MULTILINE  = 1 << 4, /* long free text */
} AwdaFieldFlags;

typedef struct
{
  const char *value;  /* stored and exchanged, never translated */
  const char *label;  /* N_() marked, translate with _() at display */
} AwdaEnumValue;

typedef struct _AwdaEntity AwdaEntity;

typedef struct
{
  const char          *name;
  AwdaFieldType        type;
  const char          *label;       /* N_() marked */
  AwdaFieldFlags       flags;
  const AwdaEnumValue *values;      /* AWDA_FIELD_ENUM: ends with { NULL } */
  const char          *reference;   /* AWDA_FIELD_REFERENCE: entity name */
  const char          *currency;    /* AWDA_FIELD_AMOUNT: the field naming its currency */
  const char          *values_domain; /* gettext domain of the value labels, NULL: ours */
  const char          *default_value; /* for a new record; AWDA_DEFAULT_TODAY: today's date */
  guint                max_length;  /* AWDA_FIELD_TEXT: 0 for the default */
  gint64               min;         /* AWDA_FIELD_INTEGER bounds, when min < max */
  gint64               max;
} AwdaField;

struct _AwdaEntity
{
  const char      *name;         /* entity name in the change log and bundles */
  const char      *label;        /* N_() marked, singular */
  const char      *parent_field; /* for child records: the reference to the case */
  const AwdaField *fields;
  guint            n_fields;
  gboolean         reference_data; /* kept by central */
};

/* Every entity has this implicit boolean field: a replicated tombstone. */
#define AWDA_FIELD_DELETED "deleted"

#define AWDA_DEFAULT_TODAY "@today"

#define AWDA_TEXT_MAX_LENGTH 4000
#define AWDA_LONG_TEXT_MAX_LENGTH 100000

const AwdaEntity  *awda_dictionary_get_entities       (guint              *n_entities);
const AwdaEntity  *awda_dictionary_lookup_entity      (const char         *name);
const AwdaField   *awda_entity_lookup_field           (const AwdaEntity   *entity,
                                                       const char         *name);
int                awda_entity_field_index            (const AwdaEntity   *entity,
                                                       const char         *name);
const AwdaField   *awda_dictionary_deleted_field      (void);
const AwdaEnumValue *awda_field_lookup_value          (const AwdaField    *field,
                                                       const char         *value);
const char        *awda_enum_value_get_label          (const AwdaField      *field,
                                                       const AwdaEnumValue  *value);
const char        *awda_field_type_to_string          (AwdaFieldType       type);

/* Checks one value against its field, without the database, and returns its
 * canonical form (trimmed, dates and amounts normalised), or %NULL with a
 * sentence that names the field and the value. A reference is only checked
 * for form here: whether it exists is the store's business. */
char              *awda_field_normalize               (const AwdaEntity   *entity,
                                                       const AwdaField    *field,
                                                       const char         *value,
                                                       GError            **error);

/* Whether @value is already a text field's canonical form, checked without
 * a copy: valid UTF-8, nothing to strip, no control character
 * (but a newline or tab in long text), no longer than the field allows,
 * nothing Unicode normalization would change. FALSE means "ask
 * awda_field_normalize()", not "refused"; always FALSE for other types. */
gboolean           awda_field_text_is_canonical       (const AwdaField    *field,
                                                       const char         *value);

/* Amounts are stored as integer thousandths. */
gboolean           awda_amount_parse                  (const char         *text,
                                                       gint64             *thousandths);
char              *awda_amount_format                 (gint64              thousandths);

gboolean           awda_date_parse                    (const char         *text,
                                                       int                *year,
                                                       int                *month,
                                                       int                *day);

gboolean           awda_uuid_is_valid                 (const char         *text);

G_END_DECLS

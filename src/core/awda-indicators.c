/* awda-indicators.c: the evaluation indicators, computed with SQL over the typed tables
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speed: on a million cases, half of them opened in the last year, a
 * dashboard must come back in half a second. Each table of records is read
 * once, by a range scan of a covering index on the date the period applies
 * to (see index_statements below), and the rows are aggregated here in C:
 * no lookup of a record's row in its table, no join per record. A child
 * record (plan item, referral, follow-up, survey) reaches its case's office
 * and programme through a hash of case ids, made only when a filter or the
 * per-office tables need it, from a covering index of the cases by office.
 */

#define G_LOG_DOMAIN "awda-indicators"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "awda-indicators.h"
#include "awda-iso-tables.h"
#include "awda-store-private.h"
#include "awda-survey.h"

/* Rows between two looks at the cancellable. */
#define CANCEL_CHECK_ROWS 65536

/* Indexes that make each pass a range scan of one index. CREATE INDEX IF
 * NOT EXISTS: the first computation on a database made before them builds
 * them, once. Partial indexes hold live records only; the queries repeat
 * their conditions literally so that SQLite can use them. */
static const char *index_statements[] = {
  "CREATE INDEX IF NOT EXISTS case_ind_opened ON \"case\""
  " (opened_on, status, owner_office, return_programme, governorate, sex, birth_date,"
  " return_date, host_country, return_type, id) WHERE deleted = 0",
  "CREATE INDEX IF NOT EXISTS case_ind_closed ON \"case\""
  " (closed_on, closure_reason, owner_office, return_programme)"
  " WHERE deleted = 0 AND closed_on IS NOT NULL",
  "CREATE INDEX IF NOT EXISTS case_ind_office ON \"case\""
  " (owner_office, return_programme, id) WHERE deleted = 0",
  "CREATE INDEX IF NOT EXISTS plan_item_ind_approved ON plan_item"
  " (approved_on, case_id, status, programme, kind, currency, budget)"
  " WHERE deleted = 0 AND approved_on IS NOT NULL",
  "CREATE INDEX IF NOT EXISTS plan_item_ind_disbursed ON plan_item"
  " (disbursed_on, case_id, programme, kind, currency, disbursed)"
  " WHERE deleted = 0 AND disbursed_on IS NOT NULL",
  "CREATE INDEX IF NOT EXISTS referral_ind_sent ON referral"
  " (sent_on, case_id, partner, status) WHERE deleted = 0 AND sent_on IS NOT NULL",
  "CREATE INDEX IF NOT EXISTS follow_up_ind_scheduled ON follow_up"
  " (scheduled_on, case_id, done_on, mode) WHERE deleted = 0",
  "CREATE INDEX IF NOT EXISTS assessment_ind_survey ON assessment"
  " (case_id, date, score_economic, score_social, score_psychosocial, score_composite)"
  " WHERE deleted = 0 AND kind = 'sustainability_survey'",
};

/* Columns */

#define COL(k, l, kind) { k, l, kind }

static const AwdaIndicatorColumn summary_columns[] = {
  COL ("cases_opened", N_("Cases opened"), AWDA_VALUE_COUNT),
  COL ("cases_closed", N_("Cases closed"), AWDA_VALUE_COUNT),
  COL ("median_days_to_plan", N_("Median days to an approved plan"), AWDA_VALUE_DAYS),
  COL ("share_plan_within_30_days", N_("Plans approved within 30 days"), AWDA_VALUE_RATIO),
  COL ("referral_acceptance_rate", N_("Referrals accepted"), AWDA_VALUE_RATIO),
  COL ("follow_up_on_time_rate", N_("Follow-ups on time"), AWDA_VALUE_RATIO),
  COL ("follow_ups_overdue", N_("Follow-ups overdue"), AWDA_VALUE_COUNT),
  COL ("cases_surveyed", N_("Cases with a follow-up survey"), AWDA_VALUE_COUNT),
  COL ("share_sustainable", N_("Sustainably reintegrated at follow-up"), AWDA_VALUE_RATIO),
};

static const AwdaIndicatorColumn count_columns[] = {
  COL ("cases", N_("Cases"), AWDA_VALUE_COUNT),
  COL ("share", N_("Share"), AWDA_VALUE_RATIO),
};

/* The stages' columns are made from the dictionary at first use. */
static AwdaIndicatorColumn *office_columns;
static guint n_office_columns;

static const AwdaIndicatorColumn month_columns[] = {
  COL ("opened", N_("Opened"), AWDA_VALUE_COUNT),
  COL ("closed", N_("Closed"), AWDA_VALUE_COUNT),
};

static const AwdaIndicatorColumn approval_columns[] = {
  COL ("cases_opened", N_("Cases opened"), AWDA_VALUE_COUNT),
  COL ("with_approved_plan", N_("With an approved plan"), AWDA_VALUE_COUNT),
  COL ("median_days", N_("Median days"), AWDA_VALUE_DAYS),
  COL ("mean_days", N_("Mean days"), AWDA_VALUE_DAYS),
  COL ("within_30_days", N_("Within 30 days"), AWDA_VALUE_COUNT),
  COL ("share_within_30_days", N_("Share within 30 days"), AWDA_VALUE_RATIO),
};

static const AwdaIndicatorColumn assistance_columns[] = {
  COL ("items_approved", N_("Items approved"), AWDA_VALUE_COUNT),
  COL ("budgeted", N_("Budgeted"), AWDA_VALUE_AMOUNT),
  COL ("items_disbursed", N_("Items disbursed"), AWDA_VALUE_COUNT),
  COL ("disbursed", N_("Disbursed"), AWDA_VALUE_AMOUNT),
};

static const AwdaIndicatorColumn referral_columns[] = {
  COL ("referrals", N_("Referrals"), AWDA_VALUE_COUNT),
  COL ("awaiting", N_("Awaiting an answer"), AWDA_VALUE_COUNT),
  COL ("accepted", N_("Accepted"), AWDA_VALUE_COUNT),
  COL ("rejected", N_("Rejected"), AWDA_VALUE_COUNT),
  COL ("done", N_("Done"), AWDA_VALUE_COUNT),
  COL ("acceptance_rate", N_("Acceptance rate"), AWDA_VALUE_RATIO),
  COL ("completion_rate", N_("Completion rate"), AWDA_VALUE_RATIO),
};

static const AwdaIndicatorColumn follow_up_columns[] = {
  COL ("scheduled", N_("Scheduled"), AWDA_VALUE_COUNT),
  COL ("on_time", N_("Done on time"), AWDA_VALUE_COUNT),
  COL ("late", N_("Done late"), AWDA_VALUE_COUNT),
  COL ("overdue", N_("Overdue"), AWDA_VALUE_COUNT),
  COL ("upcoming", N_("Upcoming"), AWDA_VALUE_COUNT),
  COL ("on_time_rate", N_("On-time rate"), AWDA_VALUE_RATIO),
};

static const AwdaIndicatorColumn sustainability_columns[] = {
  COL ("cases", N_("Cases"), AWDA_VALUE_COUNT),
  COL ("baseline", N_("Baseline score"), AWDA_VALUE_SCORE),
  COL ("follow_up", N_("Follow-up score"), AWDA_VALUE_SCORE),
  COL ("change", N_("Change"), AWDA_VALUE_CHANGE),
  COL ("baseline_reached", N_("At threshold, baseline"), AWDA_VALUE_RATIO),
  COL ("follow_up_reached", N_("At threshold, follow-up"), AWDA_VALUE_RATIO),
};

typedef struct
{
  const char                *key;
  const char                *title;
  const char                *basis;
  const AwdaIndicatorColumn *columns;
  guint                      n_columns;
} TableInfo;

#define INFO(k, t, b, c) { k, t, b, c, G_N_ELEMENTS (c) }

static const TableInfo table_infos[AWDA_INDICATOR_N_TABLES] = {
  INFO ("summary", N_("Key figures"), N_("Each figure by its own date, as in its table"), summary_columns),
  INFO ("cases_by_stage", N_("Cases by stage"), N_("Cases opened in the period"), count_columns),
  { "cases_by_office", N_("Cases by office and stage"), N_("Cases opened in the period"), NULL, 0 },
  INFO ("cases_by_governorate", N_("Cases by governorate"), N_("Cases opened in the period"), count_columns),
  INFO ("cases_by_sex", N_("Cases by sex"), N_("Cases opened in the period"), count_columns),
  INFO ("cases_by_age", N_("Cases by age at return"), N_("Cases opened in the period"), count_columns),
  INFO ("cases_by_host_country", N_("Cases by host country"), N_("Cases opened in the period"), count_columns),
  INFO ("cases_by_return_type", N_("Cases by return type"), N_("Cases opened in the period"), count_columns),
  INFO ("cases_by_month", N_("Cases opened and closed by month"), N_("Cases opened, and cases closed, in each month"), month_columns),
  INFO ("plan_approval", N_("Time from reception to an approved plan"), N_("Cases opened in the period"), approval_columns),
  INFO ("assistance", N_("Assistance budgeted and disbursed"), N_("Plan items approved (budgeted) and disbursed (disbursed) in the period"), assistance_columns),
  INFO ("referrals", N_("Referrals by partner"), N_("Referrals sent in the period"), referral_columns),
  INFO ("follow_ups", N_("Follow-ups by mode"), N_("Follow-ups scheduled in the period"), follow_up_columns),
  INFO ("closures", N_("Closures by reason"), N_("Cases closed in the period"), count_columns),
  INFO ("sustainability", N_("Reintegration sustainability: baseline and follow-up"), N_("Cases whose latest survey was made in the period"), sustainability_columns),
};

/* Age bands */

enum { N_AGE_BANDS = 6 };
static const int age_band_starts[N_AGE_BANDS] = { 0, 18, 25, 35, 45, 55 };
static const char *age_band_keys[N_AGE_BANDS] = { "0-17", "18-24", "25-34", "35-44", "45-54", "55+" };
static const char *age_band_labels[N_AGE_BANDS] = {
  N_("0–17"), N_("18–24"), N_("25–34"), N_("35–44"), N_("45–54"), N_("55 and over"),
};

/* Maps from ids and codes to small numbers: open addressing over a hash
 * of the random end of a UUID (of the whole text when short). A row costs
 * a few such lookups, a million rows a second: GHashTable's g_str_hash
 * over 36 characters was a fifth of the time. Keys are borrowed. */

typedef struct
{
  guint32     hash;
  guint       value;
  const char *key;   /* NULL: free */
} IdSlot;

typedef struct
{
  IdSlot *slots;
  gsize   mask;
  gsize   n;
} IdMap;

static inline guint32
id_hash (const char *key,
         gsize       len)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  if (len >= 16)
    {
      guint64 a, b;

      memcpy (&a, key + len - 16, 8);
      memcpy (&b, key + len - 8, 8);
      h = a ^ ((b << 29) | (b >> 35)) ^ len;
    }
  else
    for (gsize i = 0; i < len; i++)
      {
        h ^= (guchar) key[i];
        h *= G_GUINT64_CONSTANT (0x100000001b3);
      }

  /* MurmurHash3's finaliser: every bit of the key reaches the low bits. */
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return (guint32) h;
}

static void
id_map_init (IdMap *map,
             gsize  expected)
{
  gsize size = 16;

  while (size < expected * 2)
    size <<= 1;
  map->slots = g_new0 (IdSlot, size);
  map->mask = size - 1;
  map->n = 0;
}

static void
id_map_clear (IdMap *map)
{
  g_clear_pointer (&map->slots, g_free);
  map->n = 0;
}

/* The slot of @key, or the free slot where it would go. */
static inline IdSlot *
id_map_slot (const IdMap *map,
             const char  *key,
             gsize        len,
             guint32      hash)
{
  gsize i = hash & map->mask;

  for (;;)
    {
      IdSlot *slot = &map->slots[i];

      if (slot->key == NULL ||
          (slot->hash == hash && memcmp (slot->key, key, len) == 0 && slot->key[len] == '\0'))
        return slot;
      i = (i + 1) & map->mask;
    }
}

static void
id_map_insert (IdMap      *map,
               const char *key,
               guint       value)
{
  gsize len = strlen (key);
  guint32 hash = id_hash (key, len);
  IdSlot *slot;

  if ((map->n + 1) * 2 > map->mask + 1)
    {
      IdMap bigger;

      id_map_init (&bigger, map->n + 1);
      for (gsize k = 0; k <= map->mask; k++)
        if (map->slots[k].key != NULL)
          {
            gsize j = map->slots[k].hash & bigger.mask;

            while (bigger.slots[j].key != NULL)
              j = (j + 1) & bigger.mask;
            bigger.slots[j] = map->slots[k];
            bigger.n++;
          }
      id_map_clear (map);
      *map = bigger;
    }

  slot = id_map_slot (map, key, len, hash);
  if (slot->key == NULL)
    map->n++;
  slot->key = key;
  slot->value = value;
  slot->hash = hash;
}

static inline gboolean
id_map_lookup_len (const IdMap *map,
                   const char  *key,
                   gsize        len,
                   guint       *value)
{
  IdSlot *slot;

  if (key == NULL || map->slots == NULL)
    return FALSE;
  slot = id_map_slot (map, key, len, id_hash (key, len));
  if (slot->key == NULL)
    return FALSE;
  *value = slot->value;
  return TRUE;
}

static inline gboolean
id_map_lookup (const IdMap *map,
               const char  *key,
               guint       *value)
{
  return key != NULL && id_map_lookup_len (map, key, strlen (key), value);
}

/* Case ids are UUIDs (the store checks them): their 32 hex digits,
 * loaded in place as four machine words, are the key of the maps of
 * cases, compared there with no string to reach. */

typedef struct
{
  guint64 w[4];
} Uuid;

typedef struct
{
  Uuid key;     /* all zeros: free */
  int  value;
} UuidSlot;

typedef struct
{
  UuidSlot *slots;
  gsize     mask;
  gsize     n;
  guint64  *bits;       /* a bit per hash, set for the keys held; NULL: none */
  gsize     bits_mask;
} UuidMap;

static inline gboolean
uuid_parse (const char *text,
            Uuid       *uuid)
{
  if (text == NULL || strlen (text) != 36 || text[8] != '-' || text[13] != '-' ||
      text[18] != '-' || text[23] != '-')
    return FALSE;
  memcpy (&uuid->w[0], text, 8);
  memcpy ((char *) &uuid->w[1], text + 9, 4);
  memcpy ((char *) &uuid->w[1] + 4, text + 14, 4);
  memcpy ((char *) &uuid->w[2], text + 19, 4);
  memcpy ((char *) &uuid->w[2] + 4, text + 24, 4);
  memcpy (&uuid->w[3], text + 28, 8);
  return TRUE;
}

static inline gsize
uuid_hash (const Uuid *uuid)
{
  /* The random digits are at the end. */
  guint64 h = uuid->w[3] ^ (uuid->w[2] * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  return (gsize) h;
}

static void
uuid_map_init (UuidMap *map,
               gsize    expected)
{
  gsize size = 16;

  while (size < expected * 2)
    size <<= 1;
  map->slots = g_new0 (UuidSlot, size);
  map->mask = size - 1;
  map->n = 0;
}

static void
uuid_map_clear (UuidMap *map)
{
  g_clear_pointer (&map->slots, g_free);
  g_clear_pointer (&map->bits, g_free);
  map->n = 0;
}

/* Most child records are not of the one office or programme a filter
 * keeps: a bit set of 16 bits a key, small enough to stay in the
 * processor's cache, answers most lookups without reaching the table. */
static void
uuid_map_build_filter (UuidMap *map)
{
  gsize n_bits = 1 << 16;

  while (n_bits < map->n * 16)
    n_bits <<= 1;
  g_free (map->bits);
  map->bits = g_new0 (guint64, n_bits / 64);
  map->bits_mask = n_bits - 1;
  for (gsize k = 0; k <= map->mask; k++)
    if (map->slots[k].key.w[3] != 0)
      {
        gsize bit = (uuid_hash (&map->slots[k].key) >> 32) & map->bits_mask;

        map->bits[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
      }
}

static inline UuidSlot *
uuid_map_slot (const UuidMap *map,
               const Uuid    *key)
{
  gsize i = uuid_hash (key) & map->mask;

  for (;;)
    {
      UuidSlot *slot = &map->slots[i];

      if (slot->key.w[3] == 0 ||
          (slot->key.w[3] == key->w[3] && slot->key.w[2] == key->w[2] &&
           slot->key.w[1] == key->w[1] && slot->key.w[0] == key->w[0]))
        return slot;
      i = (i + 1) & map->mask;
    }
}

static inline UuidSlot *
uuid_map_lookup (const UuidMap *map,
                 const Uuid    *key)
{
  UuidSlot *slot;

  if (map->slots == NULL)
    return NULL;
  if (map->bits != NULL)
    {
      gsize bit = (uuid_hash (key) >> 32) & map->bits_mask;

      if (!(map->bits[bit / 64] & (G_GUINT64_CONSTANT (1) << (bit % 64))))
        return NULL;
    }
  slot = uuid_map_slot (map, key);
  return slot->key.w[3] == 0 ? NULL : slot;
}

/* The slot of @key, made with @value when new. */
static UuidSlot *
uuid_map_insert (UuidMap    *map,
                 const Uuid *key,
                 int         value)
{
  UuidSlot *slot;

  if ((map->n + 1) * 2 > map->mask + 1)
    {
      UuidMap bigger;

      uuid_map_init (&bigger, map->n + 1);
      for (gsize k = 0; k <= map->mask; k++)
        if (map->slots[k].key.w[3] != 0)
          {
            *uuid_map_slot (&bigger, &map->slots[k].key) = map->slots[k];
            bigger.n++;
          }
      uuid_map_clear (map);
      *map = bigger;
    }

  slot = uuid_map_slot (map, key);
  if (slot->key.w[3] == 0)
    {
      slot->key = *key;
      slot->value = value;
      map->n++;
    }
  return slot;
}

/* Enumerations, read from the dictionary */

typedef struct
{
  const AwdaField *field;
  guint            n;       /* values; index n is "unknown" */
  IdMap            map;
  guint8           direct[256];  /* small key → index + 1, when unambiguous */
  gboolean         use_direct;
} Enum;

static inline guint
small_key (const char *value,
           gsize       len)
{
  return ((guchar) value[0] * 7u + (guchar) value[len - 1] * 31u +
          (guchar) value[len > 1 ? len - 2 : 0] * 131u + (guint) len * 13u) & 255u;
}

static void
enum_clear (Enum *e)
{
  id_map_clear (&e->map);
}

static inline guint
enum_index (const Enum *e,
            const char *value)
{
  guint i;

  if (value == NULL)
    return e->n;
  if (e->use_direct)
    {
      gsize len = strlen (value);

      i = len ? e->direct[small_key (value, len)] : 0;
      return i > 0 && strcmp (e->field->values[i - 1].value, value) == 0 ? i - 1 : e->n;
    }
  return id_map_lookup (&e->map, value, &i) ? i : e->n;
}

static void
enum_init (Enum       *e,
           const char *entity,
           const char *field)
{
  e->field = awda_entity_lookup_field (awda_dictionary_lookup_entity (entity), field);
  g_assert (e->field != NULL && e->field->values != NULL);
  e->n = 0;
  while (e->field->values[e->n].value != NULL)
    e->n++;
  id_map_init (&e->map, e->n);
  memset (e->direct, 0, sizeof e->direct);
  e->use_direct = e->n < 255;
  for (guint i = 0; i < e->n; i++)
    {
      const char *value = e->field->values[i].value;
      guint key = small_key (value, strlen (value));

      id_map_insert (&e->map, value, i);
      if (e->direct[key] != 0)
        e->use_direct = FALSE;
      e->direct[key] = (guint8) (i + 1);
    }
}

static char *
enum_label (const Enum *e,
            guint       i)
{
  if (i >= e->n)
    return g_strdup (_("Unknown"));
  return g_strdup (awda_enum_value_get_label (e->field, &e->field->values[i]));
}

/* Dates as day numbers, for differences. */
static int
parse_day (const char *text)
{
  int y, m, d;

  if (text == NULL || strlen (text) < 10 ||
      text[4] != '-' || text[7] != '-')
    return G_MININT;
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');
  if (m < 1 || m > 12 || d < 1 || d > 31)
    return G_MININT;

  /* Days from civil (Howard Hinnant's algorithm). */
  y -= m <= 2;
  {
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
  }
}

static int
month_number (const char *text)
{
  if (text == NULL || strlen (text) < 7 || text[4] != '-')
    return -1;
  return ((text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0')) * 12
         + (text[5] - '0') * 10 + (text[6] - '0') - 1;
}

/* Whole years from @birth to @at, or -1. */
static int
age_at (const char *birth,
        const char *at)
{
  int by, bmd, ay, amd, age;

  if (birth == NULL || at == NULL || strlen (birth) < 10 || strlen (at) < 10)
    return -1;
#define DIGITS2(p) (((p)[0] - '0') * 10 + ((p)[1] - '0'))
  by = DIGITS2 (birth) * 100 + DIGITS2 (birth + 2);
  ay = DIGITS2 (at) * 100 + DIGITS2 (at + 2);
  bmd = DIGITS2 (birth + 5) * 100 + DIGITS2 (birth + 8);
  amd = DIGITS2 (at + 5) * 100 + DIGITS2 (at + 8);
#undef DIGITS2
  age = ay - by - (amd < bmd ? 1 : 0);
  return age < 0 ? -1 : age;
}

/* Reference data: offices, programmes, partners. Index n means none. */

typedef struct
{
  GPtrArray  *ids;
  GPtrArray  *names;
  IdMap       index;  /* id → index */
} Refs;

static void
refs_clear (Refs *refs)
{
  g_clear_pointer (&refs->ids, g_ptr_array_unref);
  g_clear_pointer (&refs->names, g_ptr_array_unref);
  id_map_clear (&refs->index);
}

static inline guint
refs_index (const Refs *refs,
            const char *id)
{
  guint i;

  return id_map_lookup (&refs->index, id, &i) ? i : refs->ids->len;
}

/* Computation state */

typedef struct
{
  double sum_base, sum_follow;
  gint64 n, base_reached, follow_reached;
} SustainSum;

typedef struct
{
  gint64 items_approved, budget, items_disbursed, disbursed;
} AssistanceSum;

/* Months from January 1900 to December 2100, the dictionary's dates. */
#define FIRST_MONTH (1900 * 12)
#define N_MONTHS (201 * 12)

/* A country code's slot: AA to ZZ, then unknown. */
#define N_COUNTRY_SLOTS (26 * 26 + 1)

static guint
country_slot (const char *code)
{
  if (code == NULL || !g_ascii_isupper (code[0]) || !g_ascii_isupper (code[1]) || code[2] != '\0')
    return N_COUNTRY_SLOTS - 1;
  return (guint) (code[0] - 'A') * 26 + (guint) (code[1] - 'A');
}

enum { FU_SCHEDULED, FU_ON_TIME, FU_LATE, FU_OVERDUE, FU_UPCOMING, N_FU };
enum { RF_ALL, RF_SENT, RF_ACCEPTED, RF_REJECTED, RF_DONE, N_RF };
enum { SUSTAIN_COMPOSITE = AWDA_SURVEY_N_DIMENSIONS, N_SUSTAIN };

/* What is counted for one scope: everything, or one office's cases. */
typedef struct
{
  gint64        cases;
  gint64       *stage;         /* n_stages + 1 */
  gint64       *office_stage;  /* (n_offices + 1) × (n_stages + 1) */
  gint64       *governorate;   /* n_governorates + 1 */
  gint64       *sex;           /* n_sexes + 1 */
  gint64        age[N_AGE_BANDS + 1];
  gint64       *country;       /* N_COUNTRY_SLOTS: two letters, then unknown */
  gint64       *return_type;
  gint64      (*months)[2];    /* N_MONTHS, from January 1900: opened, closed */
  GArray      **approval_days; /* per office + 1: days (int) */
  gint64       *office_opened; /* per office + 1: cases opened */
  gint64        closed;
  gint64       *closure;       /* n_reasons + 1 */
  AssistanceSum *assistance;  /* programme × kind × currency, "none" last in each */
  gint64      (*referral)[N_RF];  /* per partner + 1 */
  gint64      (*follow_up)[N_FU]; /* per mode + 1 */
  SustainSum    sustain[N_SUSTAIN];
  gint64        surveyed;
} Scope;

typedef struct
{
  AwdaStore                 *store;
  sqlite3                   *db;
  sqlite3                   *db2;      /* a second reader, in the same snapshot; or NULL */
  GCancellable              *cancellable;
  AwdaIndicatorFilter        filter;
  AwdaSurvey                *survey;   /* NULL: no survey file; composites as stored only */
  int                        threshold;
  int                        today;

  Enum                       stages, governorates, sexes, return_types, reasons, modes, kinds, currencies;
  Refs                       offices, programmes, partners;
  guint                      office_filter;     /* an office index, or G_MAXUINT */
  guint                      programme_filter;  /* a programme index, or G_MAXUINT */

  Scope                      all;
  Scope                     *per_office;        /* n_offices + 1, with BY_OFFICE */

  /* case → (office + 1) << 16 | (programme + 1); slots NULL: not made */
  UuidMap                    case_map;

  /* case → the day of its first plan approval since the period's start,
   * for the time to an approved plan of the cases opened in it */
  UuidMap                    approvals;
} Computation;

struct _AwdaIndicators
{
  AwdaIndicatorFilter  filter;
  char                *strings[5];  /* the filter's owned copies */
  char                *office_name;
  char                *programme_name;
  int                  threshold;
  AwdaIndicatorTable  *tables[AWDA_INDICATOR_N_TABLES];
  GPtrArray           *office_ids;
  GPtrArray           *office_labels;
  GPtrArray           *office_tables;  /* per office: AwdaIndicatorTable *[N] */
};

static gsize
n_assistance_slots (Computation *c)
{
  return (c->programmes.ids->len + 1) * (c->kinds.n + 1) * (c->currencies.n + 1);
}

static inline AssistanceSum *
assistance_sum (Computation *c,
                Scope       *s,
                guint        programme,
                guint        kind,
                guint        currency)
{
  return &s->assistance[(programme * (c->kinds.n + 1) + kind) * (c->currencies.n + 1) + currency];
}

static void
scope_init (Computation *c,
            Scope       *s)
{
  guint n_offices = c->offices.ids->len;

  memset (s, 0, sizeof *s);
  s->stage = g_new0 (gint64, c->stages.n + 1);
  s->office_stage = g_new0 (gint64, (n_offices + 1) * (c->stages.n + 1));
  s->governorate = g_new0 (gint64, c->governorates.n + 1);
  s->sex = g_new0 (gint64, c->sexes.n + 1);
  s->country = g_new0 (gint64, N_COUNTRY_SLOTS);
  s->return_type = g_new0 (gint64, c->return_types.n + 1);
  s->months = g_malloc0 (sizeof *s->months * N_MONTHS);
  s->approval_days = g_new0 (GArray *, n_offices + 1);
  for (guint i = 0; i <= n_offices; i++)
    s->approval_days[i] = g_array_new (FALSE, FALSE, sizeof (int));
  s->office_opened = g_new0 (gint64, n_offices + 1);
  s->closure = g_new0 (gint64, c->reasons.n + 1);
  s->assistance = g_new0 (AssistanceSum, n_assistance_slots (c));
  s->referral = g_malloc0 (sizeof *s->referral * (c->partners.ids->len + 1));
  s->follow_up = g_malloc0 (sizeof *s->follow_up * (c->modes.n + 1));
}

static gboolean
scope_has_assistance (Computation *c,
                      Scope       *s)
{
  for (gsize i = 0; i < n_assistance_slots (c); i++)
    if (s->assistance[i].items_approved > 0 || s->assistance[i].items_disbursed > 0)
      return TRUE;
  return FALSE;
}

static void
scope_clear (Computation *c,
             Scope       *s)
{
  if (s->stage == NULL)
    return;
  g_free (s->stage);
  g_free (s->office_stage);
  g_free (s->governorate);
  g_free (s->sex);
  g_free (s->country);
  g_free (s->return_type);
  g_free (s->months);
  for (guint i = 0; i <= c->offices.ids->len; i++)
    g_array_unref (s->approval_days[i]);
  g_free (s->approval_days);
  g_free (s->office_opened);
  g_free (s->closure);
  g_free (s->assistance);
  g_free (s->referral);
  g_free (s->follow_up);
  memset (s, 0, sizeof *s);
}

/* The scope of an office's cases, or NULL. */
static inline Scope *
office_scope (Computation *c,
              guint        office)
{
  return c->per_office ? &c->per_office[office] : NULL;
}

static inline void
count_month (Scope *s,
             int    month,
             int    k)
{
  month -= FIRST_MONTH;
  if (month >= 0 && month < N_MONTHS)
    s->months[month][k]++;
}

/* SQL helpers */

static gboolean
sql_failed (sqlite3  *db,
            GError  **error)
{
  g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
               _("The database failed while computing the indicators (%s)."),
               sqlite3_errmsg (db));
  return FALSE;
}

/* Prepares @sql and binds the texts of @params, in order. */
static sqlite3_stmt *
prepare (sqlite3      *db,
         const char   *sql,
         GPtrArray    *params,
         GError      **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_debug ("Failed SQL: %s", sql);
      sql_failed (db, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  for (guint i = 0; params != NULL && i < params->len; i++)
    sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  return stmt;
}

/* " AND column >= ? AND column <= ?" for the filter's period. */
static void
add_range (GString           *sql,
           GPtrArray         *params,
           const char        *column,
           const char        *from,
           const char        *to)
{
  if (from != NULL)
    {
      g_string_append_printf (sql, " AND %s >= ?", column);
      g_ptr_array_add (params, (gpointer) from);
    }
  if (to != NULL)
    {
      g_string_append_printf (sql, " AND %s <= ?", column);
      g_ptr_array_add (params, (gpointer) to);
    }
}

static void
add_case_filters (Computation *c,
                  GString     *sql,
                  GPtrArray   *params)
{
  if (c->filter.office != NULL)
    {
      g_string_append (sql, " AND owner_office = ?");
      g_ptr_array_add (params, (gpointer) c->filter.office);
    }
  if (c->filter.programme != NULL)
    {
      g_string_append (sql, " AND return_programme = ?");
      g_ptr_array_add (params, (gpointer) c->filter.programme);
    }
}

static gboolean
check_cancelled (Computation  *c,
                 guint64       rows,
                 GError      **error)
{
  if (rows % CANCEL_CHECK_ROWS != 0)
    return TRUE;
  return !g_cancellable_set_error_if_cancelled (c->cancellable, error);
}

static gboolean
finish (sqlite3_stmt  *stmt,
        int            rc,
        GError       **error)
{
  if (error && *error)
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      sql_failed (sqlite3_db_handle (stmt), error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

#define COLUMN_TEXT(stmt, i) ((const char *) sqlite3_column_text ((stmt), (i)))

static gboolean
load_refs (sqlite3      *db,
           const char   *entity,
           Refs         *refs,
           GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id, name FROM \"%s\" WHERE deleted = 0 ORDER BY name, id", entity);
  sqlite3_stmt *stmt = prepare (db, sql, NULL, error);
  int rc;

  refs->ids = g_ptr_array_new_with_free_func (g_free);
  refs->names = g_ptr_array_new_with_free_func (g_free);
  id_map_init (&refs->index, 64);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = COLUMN_TEXT (stmt, 1);

      g_ptr_array_add (refs->ids, g_strdup (COLUMN_TEXT (stmt, 0)));
      g_ptr_array_add (refs->names, g_strdup (name ? name : COLUMN_TEXT (stmt, 0)));
      id_map_insert (&refs->index, g_ptr_array_index (refs->ids, refs->ids->len - 1), refs->ids->len - 1);
    }
  return finish (stmt, rc, error);
}

/* The case map: which office and programme a child record's case has. */

static inline guint
map_office (guint value)
{
  return (value >> 16) - 1;
}

static inline guint
map_programme (guint value)
{
  return (value & 0xffff) - 1;
}

static gboolean
load_case_map (Computation  *c,
               sqlite3      *db,
               GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT id, owner_office, return_programme FROM \"case\""
                                         " INDEXED BY case_ind_office WHERE deleted = 0");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  /* An office filter reads that office's cases only, whatever their
   * programme: a plan item's programme filter is its own. With the
   * programme filter alone, the map holds that programme's cases only
   * (checked here: it is not the index's first column). */
  if (c->filter.office != NULL)
    {
      g_string_append (sql, " AND owner_office = ?");
      g_ptr_array_add (params, (gpointer) c->filter.office);
    }

  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  /* Every case, for the pages per office: sized at once, not grown. */
  if (c->filter.office == NULL && c->filter.programme == NULL)
    {
      sqlite3_stmt *count = prepare (db, "SELECT count (*) FROM \"case\" INDEXED BY case_ind_office"
                                         " WHERE deleted = 0", NULL, error);

      if (count == NULL)
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      uuid_map_init (&c->case_map, sqlite3_step (count) == SQLITE_ROW ? (gsize) sqlite3_column_int64 (count, 0) : 0);
      sqlite3_finalize (count);
    }
  else
    uuid_map_init (&c->case_map, 1 << 12);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint office = refs_index (&c->offices, COLUMN_TEXT (stmt, 1));
      guint programme = refs_index (&c->programmes, COLUMN_TEXT (stmt, 2));
      Uuid id;

      if (!check_cancelled (c, ++rows, error))
        break;
      if (c->filter.office == NULL && c->per_office == NULL &&
          c->programme_filter != G_MAXUINT && programme != c->programme_filter)
        continue;
      if (uuid_parse (COLUMN_TEXT (stmt, 0), &id))
        uuid_map_insert (&c->case_map, &id, (int) (((office + 1) << 16) | (programme + 1)));
    }
  if (c->filter.office != NULL || c->filter.programme != NULL)
    uuid_map_build_filter (&c->case_map);
  return finish (stmt, rc, error);
}

/* Whether a child record of case @case_id passes the office filter and,
 * with @check_programme, the return programme filter; @office gets its
 * case's office (n_offices when unknown). */
static gboolean
case_passes (Computation *c,
             const char  *case_id,
             gboolean     check_programme,
             guint       *office)
{
  UuidSlot *slot = NULL;
  guint value = 0;
  Uuid id;

  *office = c->offices.ids->len;
  if (c->case_map.slots != NULL && uuid_parse (case_id, &id))
    slot = uuid_map_lookup (&c->case_map, &id);
  if (slot != NULL)
    {
      value = (guint) slot->value;
      *office = map_office (value);
    }

  /* With an office filter, the map holds exactly that office's cases. */
  if (c->filter.office != NULL && slot == NULL)
    return FALSE;
  if (check_programme && c->filter.programme != NULL &&
      (slot == NULL || map_programme (value) != c->programme_filter))
    return FALSE;
  return TRUE;
}

/* Pass 1: the cases opened in the period. */

static void
count_case (Computation *c,
            Scope       *s,
            guint        stage,
            guint        office,
            guint        governorate,
            guint        sex,
            int          band,
            guint        country,
            guint        return_type,
            int          month)
{
  s->cases++;
  s->stage[stage]++;
  s->office_stage[office * (c->stages.n + 1) + stage]++;
  s->office_opened[office]++;
  s->governorate[governorate]++;
  s->sex[sex]++;
  s->age[band]++;
  s->country[country]++;
  s->return_type[return_type]++;
  count_month (s, month, 0);
}

static gboolean
pass_opened (Computation  *c,
             sqlite3      *db,
             GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT status, owner_office, governorate, sex, birth_date,"
                                         " return_date, host_country, return_type, opened_on, id"
                                         " FROM \"case\" INDEXED BY case_ind_opened"
                                         " WHERE deleted = 0 AND opened_on IS NOT NULL");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  add_range (sql, params, "opened_on", c->filter.from, c->filter.to);
  add_case_filters (c, sql, params);
  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint stage = enum_index (&c->stages, COLUMN_TEXT (stmt, 0));
      guint office = refs_index (&c->offices, COLUMN_TEXT (stmt, 1));
      guint governorate = enum_index (&c->governorates, COLUMN_TEXT (stmt, 2));
      guint sex = enum_index (&c->sexes, COLUMN_TEXT (stmt, 3));
      const char *return_date = COLUMN_TEXT (stmt, 5);
      guint country = country_slot (COLUMN_TEXT (stmt, 6));
      guint return_type = enum_index (&c->return_types, COLUMN_TEXT (stmt, 7));
      const char *opened_on = COLUMN_TEXT (stmt, 8);
      int age = age_at (COLUMN_TEXT (stmt, 4), return_date ? return_date : opened_on);
      int band = N_AGE_BANDS;
      int month = month_number (opened_on);
      int opened = parse_day (opened_on);
      UuidSlot *approval = NULL;
      Uuid id;
      Scope *os;

      if (!check_cancelled (c, ++rows, error))
        break;

      if (age >= 0)
        for (band = N_AGE_BANDS - 1; band > 0 && age < age_band_starts[band]; band--)
          ;

      count_case (c, &c->all, stage, office, governorate, sex, band, country, return_type, month);
      os = office_scope (c, office);
      if (os != NULL)
        count_case (c, os, stage, office, governorate, sex, band, country, return_type, month);

      /* The days to its first approved plan item, if any. */
      if (opened != G_MININT && uuid_parse (COLUMN_TEXT (stmt, 9), &id) &&
          (approval = uuid_map_lookup (&c->approvals, &id)) != NULL)
        {
          int days = MAX (approval->value - opened, 0);

          g_array_append_val (c->all.approval_days[office], days);
          if (os != NULL)
            g_array_append_val (os->approval_days[office], days);
        }
    }
  return finish (stmt, rc, error);
}

/* Pass 2: closures. */

static gboolean
pass_closed (Computation  *c,
             sqlite3      *db,
             GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT closure_reason, owner_office, closed_on"
                                         " FROM \"case\" INDEXED BY case_ind_closed"
                                         " WHERE deleted = 0 AND closed_on IS NOT NULL");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  add_range (sql, params, "closed_on", c->filter.from, c->filter.to);
  add_case_filters (c, sql, params);
  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint reason = enum_index (&c->reasons, COLUMN_TEXT (stmt, 0));
      guint office = refs_index (&c->offices, COLUMN_TEXT (stmt, 1));
      int month = month_number (COLUMN_TEXT (stmt, 2));
      Scope *os = office_scope (c, office);

      if (!check_cancelled (c, ++rows, error))
        break;

      c->all.closed++;
      c->all.closure[reason]++;
      count_month (&c->all, month, 1);
      if (os != NULL)
        {
          os->closed++;
          os->closure[reason]++;
          count_month (os, month, 1);
        }
    }
  return finish (stmt, rc, error);
}

/* Passes 3 and 4: plan items approved, and disbursed. */

static gboolean
pass_approved (Computation  *c,
               sqlite3      *db,
               GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT case_id, approved_on, status, programme, kind, currency, budget"
                                         " FROM plan_item INDEXED BY plan_item_ind_approved"
                                         " WHERE deleted = 0 AND approved_on IS NOT NULL");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  /* A case opened in the period may get its plan approved after it: the
   * scan runs from the period's start to the last approval. */
  add_range (sql, params, "approved_on", c->filter.from, NULL);
  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *case_id = COLUMN_TEXT (stmt, 0);
      const char *approved_on = COLUMN_TEXT (stmt, 1);
      guint office, programme;
      int day = parse_day (approved_on);
      Uuid id;

      if (!check_cancelled (c, ++rows, error))
        break;

      if (day != G_MININT && uuid_parse (case_id, &id))
        {
          UuidSlot *slot = uuid_map_insert (&c->approvals, &id, day);

          slot->value = MIN (slot->value, day);
        }

      /* The budget: approved within the period, not cancelled. */
      if (c->filter.to != NULL && strcmp (approved_on, c->filter.to) > 0)
        continue;
      if (g_strcmp0 (COLUMN_TEXT (stmt, 2), "cancelled") == 0)
        continue;
      programme = refs_index (&c->programmes, COLUMN_TEXT (stmt, 3));
      if (c->filter.programme != NULL && programme != c->programme_filter)
        continue;
      if (!case_passes (c, case_id, FALSE, &office))
        continue;

      {
        guint kind = enum_index (&c->kinds, COLUMN_TEXT (stmt, 4));
        guint currency = enum_index (&c->currencies, COLUMN_TEXT (stmt, 5));
        gint64 budget = sqlite3_column_int64 (stmt, 6);
        AssistanceSum *sum = assistance_sum (c, &c->all, programme, kind, currency);
        Scope *os = office_scope (c, office);

        sum->items_approved++;
        sum->budget += budget;
        if (os != NULL)
          {
            sum = assistance_sum (c, os, programme, kind, currency);
            sum->items_approved++;
            sum->budget += budget;
          }
      }
    }
  /* Most cases opened in the period have no approved plan yet: the
   * lookups of pass_opened mostly end at the filter. */
  uuid_map_build_filter (&c->approvals);
  return finish (stmt, rc, error);
}

static gboolean
pass_disbursed (Computation  *c,
                sqlite3      *db,
                GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT case_id, programme, kind, currency, disbursed"
                                         " FROM plan_item INDEXED BY plan_item_ind_disbursed"
                                         " WHERE deleted = 0 AND disbursed_on IS NOT NULL");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  add_range (sql, params, "disbursed_on", c->filter.from, c->filter.to);
  if (c->filter.programme != NULL)
    {
      g_string_append (sql, " AND programme = ?");
      g_ptr_array_add (params, (gpointer) c->filter.programme);
    }
  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *case_id = COLUMN_TEXT (stmt, 0);
      guint programme = refs_index (&c->programmes, COLUMN_TEXT (stmt, 1));
      guint kind = enum_index (&c->kinds, COLUMN_TEXT (stmt, 2));
      guint currency = enum_index (&c->currencies, COLUMN_TEXT (stmt, 3));
      gint64 disbursed = sqlite3_column_int64 (stmt, 4);
      AssistanceSum *sum;
      guint office;
      Scope *os;

      if (!check_cancelled (c, ++rows, error))
        break;
      if (!case_passes (c, case_id, FALSE, &office))
        continue;

      sum = assistance_sum (c, &c->all, programme, kind, currency);
      sum->items_disbursed++;
      sum->disbursed += disbursed;
      if ((os = office_scope (c, office)) != NULL)
        {
          sum = assistance_sum (c, os, programme, kind, currency);
          sum->items_disbursed++;
          sum->disbursed += disbursed;
        }
    }
  return finish (stmt, rc, error);
}

/* Pass 5: referrals. */

static void
count_referral (Scope *s,
                guint  partner,
                int    status)
{
  s->referral[partner][RF_ALL]++;
  if (status >= 0)
    s->referral[partner][status]++;
}

static gboolean
pass_referrals (Computation  *c,
                sqlite3      *db,
                GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT case_id, partner, status"
                                         " FROM referral INDEXED BY referral_ind_sent"
                                         " WHERE deleted = 0 AND sent_on IS NOT NULL");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  add_range (sql, params, "sent_on", c->filter.from, c->filter.to);
  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *case_id = COLUMN_TEXT (stmt, 0);
      guint partner = refs_index (&c->partners, COLUMN_TEXT (stmt, 1));
      const char *status = COLUMN_TEXT (stmt, 2);
      int k = -1;
      guint office;
      Scope *os;

      if (!check_cancelled (c, ++rows, error))
        break;
      if (!case_passes (c, case_id, TRUE, &office))
        continue;

      if (g_strcmp0 (status, "sent") == 0)
        k = RF_SENT;
      else if (g_strcmp0 (status, "accepted") == 0)
        k = RF_ACCEPTED;
      else if (g_strcmp0 (status, "rejected") == 0)
        k = RF_REJECTED;
      else if (g_strcmp0 (status, "done") == 0)
        k = RF_DONE;

      count_referral (&c->all, partner, k);
      if ((os = office_scope (c, office)) != NULL)
        count_referral (os, partner, k);
    }
  return finish (stmt, rc, error);
}

/* Pass 6: follow-ups. */

static gboolean
pass_follow_ups (Computation  *c,
                 sqlite3      *db,
                 GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT case_id, scheduled_on, done_on, mode"
                                         " FROM follow_up INDEXED BY follow_up_ind_scheduled"
                                         " WHERE deleted = 0");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  add_range (sql, params, "scheduled_on", c->filter.from, c->filter.to);
  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *case_id = COLUMN_TEXT (stmt, 0);
      int scheduled = parse_day (COLUMN_TEXT (stmt, 1));
      int done = parse_day (COLUMN_TEXT (stmt, 2));
      guint mode = enum_index (&c->modes, COLUMN_TEXT (stmt, 3));
      int k;
      guint office;
      Scope *os;

      if (!check_cancelled (c, ++rows, error))
        break;
      if (scheduled == G_MININT || !case_passes (c, case_id, TRUE, &office))
        continue;

      if (done != G_MININT)
        k = done <= scheduled + AWDA_FOLLOW_UP_GRACE_DAYS ? FU_ON_TIME : FU_LATE;
      else
        k = scheduled < c->today ? FU_OVERDUE : FU_UPCOMING;

      c->all.follow_up[mode][FU_SCHEDULED]++;
      c->all.follow_up[mode][k]++;
      if ((os = office_scope (c, office)) != NULL)
        {
          os->follow_up[mode][FU_SCHEDULED]++;
          os->follow_up[mode][k]++;
        }
    }
  return finish (stmt, rc, error);
}

/* Pass 7: sustainability surveys, a case at a time in case id order. */

typedef struct
{
  char *date;
  int   score[N_SUSTAIN];  /* -1: none */
} Survey;

static void
count_sustainability (Computation  *c,
                      Scope        *s,
                      const Survey *base,
                      const Survey *follow)
{
  s->surveyed++;
  for (int d = 0; d < N_SUSTAIN; d++)
    {
      SustainSum *sum = &s->sustain[d];

      if (base->score[d] < 0 || follow->score[d] < 0)
        continue;
      sum->n++;
      sum->sum_base += base->score[d];
      sum->sum_follow += follow->score[d];
      sum->base_reached += base->score[d] >= c->threshold;
      sum->follow_reached += follow->score[d] >= c->threshold;
    }
}

static void
close_survey_case (Computation  *c,
                   const char   *case_id,
                   Survey       *base,
                   Survey       *follow)
{
  guint office;
  Scope *os;

  if (base->date == NULL || follow->date == NULL)
    return;
  if (c->filter.from != NULL && strcmp (follow->date, c->filter.from) < 0)
    return;
  if (!case_passes (c, case_id, TRUE, &office))
    return;

  count_sustainability (c, &c->all, base, follow);
  if ((os = office_scope (c, office)) != NULL)
    count_sustainability (c, os, base, follow);
}

static gboolean
pass_surveys (Computation  *c,
              sqlite3      *db,
              GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT case_id, date, score_economic, score_social,"
                                         " score_psychosocial, score_composite"
                                         " FROM assessment INDEXED BY assessment_ind_survey"
                                         " WHERE deleted = 0 AND kind = 'sustainability_survey'");
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  g_autofree char *current = NULL;
  Survey base = { NULL }, follow = { NULL };
  sqlite3_stmt *stmt;
  guint64 rows = 0;
  int rc;

  add_range (sql, params, "date", NULL, c->filter.to);
  g_string_append (sql, " ORDER BY case_id, date");
  stmt = prepare (db, sql->str, params, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *case_id = COLUMN_TEXT (stmt, 0);
      Survey row = { (char *) COLUMN_TEXT (stmt, 1) };
      gboolean scored = FALSE;

      if (!check_cancelled (c, ++rows, error))
        break;
      if (case_id == NULL || row.date == NULL)
        continue;

      if (g_strcmp0 (case_id, current) != 0)
        {
          if (current != NULL)
            close_survey_case (c, current, &base, &follow);
          g_free (current);
          current = g_strdup (case_id);
          g_clear_pointer (&base.date, g_free);
          g_clear_pointer (&follow.date, g_free);
        }

      for (int d = 0; d < AWDA_SURVEY_N_DIMENSIONS; d++)
        {
          row.score[d] = sqlite3_column_type (stmt, 2 + d) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 2 + d);
          scored |= row.score[d] >= 0;
        }
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        row.score[SUSTAIN_COMPOSITE] = sqlite3_column_int (stmt, 5);
      else
        row.score[SUSTAIN_COMPOSITE] = c->survey ? awda_survey_composite (c->survey, row.score) : -1;
      scored |= row.score[SUSTAIN_COMPOSITE] >= 0;
      if (!scored)
        continue;

      if (base.date == NULL)
        {
          base = row;
          base.date = g_strdup (row.date);
        }
      else
        {
          g_free (follow.date);
          follow = row;
          follow.date = g_strdup (row.date);
        }
    }
  if (current != NULL && !(error && *error))
    close_survey_case (c, current, &base, &follow);
  g_free (base.date);
  g_free (follow.date);
  return finish (stmt, rc, error);
}

/* Tables */

static void
row_free (gpointer data)
{
  AwdaIndicatorRow *row = data;

  g_free (row->key);
  g_free (row->label);
  g_free (row->currency);
  g_free (row->values);
  g_free (row);
}

static void
table_free (AwdaIndicatorTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table);
}

static void
ensure_office_columns (const Enum *stages)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      AwdaIndicatorColumn *columns = g_new0 (AwdaIndicatorColumn, stages->n + 1);

      for (guint i = 0; i < stages->n; i++)
        {
          columns[i].key = stages->field->values[i].value;
          columns[i].label = stages->field->values[i].label;
          columns[i].kind = AWDA_VALUE_COUNT;
        }
      columns[stages->n].key = "total";
      columns[stages->n].label = N_("Total");
      columns[stages->n].kind = AWDA_VALUE_COUNT;
      office_columns = columns;
      n_office_columns = stages->n + 1;
      g_once_init_leave (&done, 1);
    }
}

static AwdaIndicatorTable *
table_new (AwdaIndicatorId id)
{
  AwdaIndicatorTable *table = g_new0 (AwdaIndicatorTable, 1);
  const TableInfo *info = &table_infos[id];

  table->id = id;
  table->key = info->key;
  table->title = info->title;
  table->basis = info->basis;
  table->columns = info->columns ? info->columns : office_columns;
  table->n_columns = info->columns ? info->n_columns : n_office_columns;
  table->rows = g_ptr_array_new_with_free_func (row_free);
  return table;
}

/* Adds a row; its values start as 0. */
static AwdaIndicatorRow *
add_row (AwdaIndicatorTable *table,
         const char         *key,
         char               *label,
         gboolean            total)
{
  AwdaIndicatorRow *row = g_new0 (AwdaIndicatorRow, 1);

  row->key = g_strdup (key ? key : "");
  row->label = label;
  row->total = total;
  row->values = g_new0 (double, table->n_columns);
  g_ptr_array_add (table->rows, row);
  return row;
}

static double
ratio (gint64 part,
       gint64 whole)
{
  return whole > 0 ? (double) part / (double) whole : NAN;
}

/* A count table: a row per key, with its share of the total. */
static void
add_count_row (AwdaIndicatorTable *table,
               const char         *key,
               char               *label,
               gint64              n,
               gint64              total)
{
  AwdaIndicatorRow *row = add_row (table, key, label, FALSE);

  row->values[0] = (double) n;
  row->values[1] = ratio (n, total);
}

static void
add_total_row (AwdaIndicatorTable *table,
               gint64              total)
{
  AwdaIndicatorRow *row = add_row (table, "total", g_strdup (_("Total")), TRUE);

  row->values[0] = (double) total;
  row->values[1] = total > 0 ? 1.0 : NAN;
}

/* Rows for every value of @e (zeros included), then unknown when any. */
static AwdaIndicatorTable *
enum_table (AwdaIndicatorId  id,
            const Enum      *e,
            const gint64    *counts)
{
  AwdaIndicatorTable *table = table_new (id);
  gint64 total = 0;

  for (guint i = 0; i <= e->n; i++)
    total += counts[i];
  for (guint i = 0; i < e->n; i++)
    add_count_row (table, e->field->values[i].value, enum_label (e, i), counts[i], total);
  if (counts[e->n] > 0)
    add_count_row (table, "", enum_label (e, e->n), counts[e->n], total);
  add_total_row (table, total);
  return table;
}

static AwdaIndicatorTable *
office_table (Computation *c,
              Scope       *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_CASES_BY_OFFICE);
  guint n_offices = c->offices.ids->len, n_stages = c->stages.n;
  AwdaIndicatorRow *total = NULL;

  for (guint o = 0; o <= n_offices; o++)
    {
      const gint64 *counts = &s->office_stage[o * (n_stages + 1)];
      AwdaIndicatorRow *row;
      gint64 sum = 0;

      for (guint k = 0; k <= n_stages; k++)
        sum += counts[k];
      if (sum == 0)
        continue;
      row = add_row (table, o < n_offices ? g_ptr_array_index (c->offices.ids, o) : "",
                     g_strdup (o < n_offices ? g_ptr_array_index (c->offices.names, o) : _("No office")), FALSE);
      for (guint k = 0; k < n_stages; k++)
        row->values[k] = (double) counts[k];
      row->values[n_stages] = (double) sum;
    }

  total = add_row (table, "total", g_strdup (_("Total")), TRUE);
  for (guint i = 0; i + 1 < table->rows->len; i++)
    {
      AwdaIndicatorRow *row = g_ptr_array_index (table->rows, i);

      for (guint k = 0; k <= n_stages; k++)
        total->values[k] += row->values[k];
    }
  return table;
}

static AwdaIndicatorTable *
governorate_table (Computation *c,
                   Scope       *s)
{
  return enum_table (AWDA_INDICATOR_CASES_BY_GOVERNORATE, &c->governorates, s->governorate);
}

static AwdaIndicatorTable *
age_table (Scope *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_CASES_BY_AGE);
  gint64 total = 0;

  for (guint i = 0; i <= N_AGE_BANDS; i++)
    total += s->age[i];
  for (guint i = 0; i < N_AGE_BANDS; i++)
    add_count_row (table, age_band_keys[i], g_strdup (_(age_band_labels[i])), s->age[i], total);
  if (s->age[N_AGE_BANDS] > 0)
    add_count_row (table, "", g_strdup (_("Unknown")), s->age[N_AGE_BANDS], total);
  add_total_row (table, total);
  return table;
}

typedef struct
{
  char   code[3];
  gint64 n;
} CountryCount;

static int
compare_countries (gconstpointer a,
                   gconstpointer b)
{
  const CountryCount *x = a, *y = b;

  /* Unknown last, then the most frequent first, then by code. */
  if ((*x->code == '\0') != (*y->code == '\0'))
    return *x->code == '\0' ? 1 : -1;
  if (x->n != y->n)
    return x->n > y->n ? -1 : 1;
  return strcmp (x->code, y->code);
}

static const char *
country_name (const char *code)
{
  for (const AwdaIsoEntry *e = awda_iso_countries; e->value != NULL; e++)
    if (strcmp (e->value, code) == 0)
      return g_dgettext (AWDA_ISO_3166_1_DOMAIN, e->label);
  return code;
}

static AwdaIndicatorTable *
country_table (Scope *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_CASES_BY_HOST_COUNTRY);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (CountryCount));
  gint64 total = 0;

  for (guint i = 0; i < N_COUNTRY_SLOTS; i++)
    {
      CountryCount cc = { "", s->country[i] };

      if (cc.n == 0)
        continue;
      if (i < N_COUNTRY_SLOTS - 1)
        {
          cc.code[0] = (char) ('A' + i / 26);
          cc.code[1] = (char) ('A' + i % 26);
        }
      g_array_append_val (counts, cc);
      total += cc.n;
    }
  g_array_sort (counts, compare_countries);

  for (guint i = 0; i < counts->len; i++)
    {
      const CountryCount *cc = &g_array_index (counts, CountryCount, i);

      add_count_row (table, cc->code,
                     g_strdup (*cc->code ? country_name (cc->code) : _("Unknown")),
                     cc->n, total);
    }
  add_total_row (table, total);
  return table;
}

static AwdaIndicatorTable *
month_table (Computation *c,
             Scope       *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_CASES_BY_MONTH);
  int first = G_MAXINT, last = G_MININT;

  /* Every month of the period, those without a case included; an open
   * end stops at the data. */
  for (int m = 0; m < N_MONTHS; m++)
    if (s->months[m][0] || s->months[m][1])
      {
        first = MIN (first, m + FIRST_MONTH);
        last = MAX (last, m + FIRST_MONTH);
      }
  if (c->filter.from != NULL)
    first = month_number (c->filter.from);
  if (c->filter.to != NULL)
    last = month_number (c->filter.to);
  if (first == G_MAXINT || last == G_MININT || last < first)
    return table;

  for (int m = first; m <= last; m++)
    {
      gint64 *counts = m >= FIRST_MONTH && m < FIRST_MONTH + N_MONTHS ? s->months[m - FIRST_MONTH] : NULL;
      g_autoptr(GDateTime) dt = g_date_time_new_utc (m / 12, m % 12 + 1, 1, 0, 0, 0);
      g_autofree char *month_key = g_strdup_printf ("%04d-%02d", m / 12, m % 12 + 1);
      AwdaIndicatorRow *row;

      /* TRANSLATORS: a month and its year on a chart axis and in a table, see strftime */
      row = add_row (table, month_key, g_date_time_format (dt, _("%b %Y")), FALSE);
      row->values[0] = counts ? (double) counts[0] : 0.0;
      row->values[1] = counts ? (double) counts[1] : 0.0;
    }
  return table;
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;

  return (x > y) - (x < y);
}

/* Days are small whole numbers: a counting sort is several times faster
 * than qsort on hundreds of thousands of them. */
static void
sort_days (GArray *days)
{
  int min = G_MAXINT, max = G_MININT;
  g_autofree guint *counts = NULL;
  guint k = 0;

  for (guint i = 0; i < days->len; i++)
    {
      min = MIN (min, g_array_index (days, int, i));
      max = MAX (max, g_array_index (days, int, i));
    }
  if (days->len < 64 || (gint64) max - min > 1 << 20)
    {
      g_array_sort (days, compare_ints);
      return;
    }

  counts = g_new0 (guint, max - min + 1);
  for (guint i = 0; i < days->len; i++)
    counts[g_array_index (days, int, i) - min]++;
  for (int d = min; d <= max; d++)
    for (guint n = counts[d - min]; n > 0; n--)
      g_array_index (days, int, k++) = d;
}

static void
fill_approval_row (AwdaIndicatorRow *row,
                   gint64            opened,
                   GArray           *days)
{
  gint64 within = 0;
  double sum = 0.0;

  sort_days (days);
  for (guint i = 0; i < days->len; i++)
    {
      int d = g_array_index (days, int, i);

      sum += d;
      within += d <= AWDA_PLAN_APPROVAL_TARGET_DAYS;
    }

  row->values[0] = (double) opened;
  row->values[1] = (double) days->len;
  if (days->len == 0)
    row->values[2] = NAN;
  else if (days->len % 2 == 1)
    row->values[2] = g_array_index (days, int, days->len / 2);
  else
    row->values[2] = (g_array_index (days, int, days->len / 2 - 1) + g_array_index (days, int, days->len / 2)) / 2.0;
  row->values[3] = days->len ? sum / days->len : NAN;
  row->values[4] = (double) within;
  row->values[5] = ratio (within, days->len);
}

static AwdaIndicatorTable *
approval_table (Computation *c,
                Scope       *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_PLAN_APPROVAL);
  g_autoptr(GArray) all_days = g_array_new (FALSE, FALSE, sizeof (int));
  guint n_offices = c->offices.ids->len;
  gint64 opened = 0;

  for (guint o = 0; o <= n_offices; o++)
    {
      AwdaIndicatorRow *row;

      if (s->office_opened[o] == 0)
        continue;
      row = add_row (table, o < n_offices ? g_ptr_array_index (c->offices.ids, o) : "",
                     g_strdup (o < n_offices ? g_ptr_array_index (c->offices.names, o) : _("No office")), FALSE);
      g_array_append_vals (all_days, s->approval_days[o]->data, s->approval_days[o]->len);
      opened += s->office_opened[o];
      fill_approval_row (row, s->office_opened[o], s->approval_days[o]);
    }
  fill_approval_row (add_row (table, "total", g_strdup (_("Total")), TRUE), opened, all_days);
  return table;
}

typedef struct
{
  char          *programme_name;  /* sort key; NULL: no programme, last */
  guint          programme;
  guint          kind;
  const char    *currency;        /* "" for none */
  AssistanceSum *sum;
} AssistanceRow;

static int
compare_assistance (gconstpointer a,
                    gconstpointer b)
{
  const AssistanceRow *x = a, *y = b;
  int r;

  if ((x->programme_name == NULL) != (y->programme_name == NULL))
    return x->programme_name == NULL ? 1 : -1;
  if (x->programme_name && (r = g_utf8_collate (x->programme_name, y->programme_name)) != 0)
    return r;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp (x->currency, y->currency);
}

static AwdaIndicatorTable *
assistance_table (Computation *c,
                  Scope       *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_ASSISTANCE);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (AssistanceRow));
  g_autoptr(GHashTable) totals = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GList) currencies = NULL;

  for (guint p = 0; p <= c->programmes.ids->len; p++)
    for (guint k = 0; k <= c->kinds.n; k++)
      for (guint cur = 0; cur <= c->currencies.n; cur++)
        {
          AssistanceSum *sum = assistance_sum (c, s, p, k, cur);
          AssistanceRow r = {
            p < c->programmes.ids->len ? g_ptr_array_index (c->programmes.names, p) : NULL,
            p, k, cur < c->currencies.n ? c->currencies.field->values[cur].value : "", sum,
          };

          if (sum->items_approved == 0 && sum->items_disbursed == 0)
            continue;
          g_array_append_val (rows, r);
        }
  g_array_sort (rows, compare_assistance);

  for (guint i = 0; i < rows->len; i++)
    {
      AssistanceRow *r = &g_array_index (rows, AssistanceRow, i);
      g_autofree char *kind = enum_label (&c->kinds, r->kind);
      g_autofree char *row_key = NULL;
      AwdaIndicatorRow *row;
      AssistanceSum *total;

      /* The row's key: programme id, kind and currency. */
      row_key = g_strdup_printf ("%s/%s/%s",
                                 r->programme < c->programmes.ids->len ? (char *) g_ptr_array_index (c->programmes.ids, r->programme) : "",
                                 r->kind < c->kinds.n ? c->kinds.field->values[r->kind].value : "",
                                 r->currency);
      if (*r->currency == '\0')
        /* TRANSLATORS: a programme, and a kind of assistance given in kind, without an amount */
        row = add_row (table, row_key,
                       g_strdup_printf (_("%s — %s (no amount)"),
                                        r->programme_name ? r->programme_name : _("No programme"), kind),
                       FALSE);
      else
        row = add_row (table, row_key,
                       g_strdup_printf ("%s — %s", r->programme_name ? r->programme_name : _("No programme"), kind),
                       FALSE);
      row->currency = g_strdup (r->currency);
      row->values[0] = (double) r->sum->items_approved;
      row->values[1] = (double) r->sum->budget;
      row->values[2] = (double) r->sum->items_disbursed;
      row->values[3] = (double) r->sum->disbursed;
      /* Items without a currency carry no amount (assistance in kind). */
      if (*r->currency == '\0')
        row->values[1] = row->values[3] = NAN;

      total = g_hash_table_lookup (totals, r->currency);
      if (total == NULL)
        {
          total = g_new0 (AssistanceSum, 1);
          g_hash_table_insert (totals, (gpointer) r->currency, total);
        }
      total->items_approved += r->sum->items_approved;
      total->budget += r->sum->budget;
      total->items_disbursed += r->sum->items_disbursed;
      total->disbursed += r->sum->disbursed;
    }

  /* A total per currency: amounts in different currencies never add up. */
  currencies = g_list_sort (g_hash_table_get_keys (totals), (GCompareFunc) strcmp);
  for (GList *l = currencies; l != NULL; l = l->next)
    {
      AssistanceSum *total = g_hash_table_lookup (totals, l->data);
      g_autofree char *total_key = g_strconcat ("total:", l->data, NULL);
      AwdaIndicatorRow *row;

      if (*(const char *) l->data == '\0')
        row = add_row (table, total_key, g_strdup (_("Total without an amount")), TRUE);
      else
        /* TRANSLATORS: the total of the amounts in one currency, e.g. "Total EUR" */
        row = add_row (table, total_key, g_strdup_printf (_("Total %s"), (const char *) l->data), TRUE);
      row->currency = g_strdup (l->data);
      row->values[0] = (double) total->items_approved;
      row->values[1] = (double) total->budget;
      row->values[2] = (double) total->items_disbursed;
      row->values[3] = (double) total->disbursed;
      if (*(const char *) l->data == '\0')
        row->values[1] = row->values[3] = NAN;
    }
  return table;
}

static void
fill_referral_row (AwdaIndicatorRow *row,
                   const gint64     *n)
{
  gint64 answered = n[RF_ACCEPTED] + n[RF_REJECTED] + n[RF_DONE];

  row->values[0] = (double) n[RF_ALL];
  row->values[1] = (double) n[RF_SENT];
  row->values[2] = (double) n[RF_ACCEPTED];
  row->values[3] = (double) n[RF_REJECTED];
  row->values[4] = (double) n[RF_DONE];
  row->values[5] = ratio (n[RF_ACCEPTED] + n[RF_DONE], answered);
  row->values[6] = ratio (n[RF_DONE], n[RF_ALL]);
}

typedef struct
{
  guint        index;
  gint64       n;
  const char  *name;
} PartnerCount;

static int
compare_partners (gconstpointer a,
                  gconstpointer b)
{
  const PartnerCount *x = a, *y = b;

  if ((x->name == NULL) != (y->name == NULL))
    return x->name == NULL ? 1 : -1;
  if (x->n != y->n)
    return x->n > y->n ? -1 : 1;
  return g_utf8_collate (x->name, y->name);
}

static AwdaIndicatorTable *
referral_table (Computation *c,
                Scope       *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_REFERRALS);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (PartnerCount));
  guint n_partners = c->partners.ids->len;
  gint64 total[N_RF] = { 0 };

  for (guint p = 0; p <= n_partners; p++)
    if (s->referral[p][RF_ALL] > 0)
      {
        PartnerCount pc = { p, s->referral[p][RF_ALL],
                            p < n_partners ? g_ptr_array_index (c->partners.names, p) : NULL };

        g_array_append_val (order, pc);
      }
  g_array_sort (order, compare_partners);

  for (guint i = 0; i < order->len; i++)
    {
      const PartnerCount *pc = &g_array_index (order, PartnerCount, i);
      AwdaIndicatorRow *row;

      row = add_row (table, pc->name ? g_ptr_array_index (c->partners.ids, pc->index) : "",
                     g_strdup (pc->name ? pc->name : _("Unknown partner")), FALSE);
      fill_referral_row (row, s->referral[pc->index]);
      for (int k = 0; k < N_RF; k++)
        total[k] += s->referral[pc->index][k];
    }
  fill_referral_row (add_row (table, "total", g_strdup (_("Total")), TRUE), total);
  return table;
}

static void
fill_follow_up_row (AwdaIndicatorRow *row,
                    const gint64     *n)
{
  for (int k = 0; k < N_FU; k++)
    row->values[k] = (double) n[k];
  row->values[N_FU] = ratio (n[FU_ON_TIME], n[FU_ON_TIME] + n[FU_LATE] + n[FU_OVERDUE]);
}

static AwdaIndicatorTable *
follow_up_table (Computation *c,
                 Scope       *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_FOLLOW_UPS);
  gint64 total[N_FU] = { 0 };

  for (guint m = 0; m <= c->modes.n; m++)
    {
      if (m == c->modes.n && s->follow_up[m][FU_SCHEDULED] == 0)
        continue;
      fill_follow_up_row (add_row (table, m < c->modes.n ? c->modes.field->values[m].value : "",
                                   m < c->modes.n ? enum_label (&c->modes, m) : g_strdup (_("Not recorded")),
                                   FALSE),
                          s->follow_up[m]);
      for (int k = 0; k < N_FU; k++)
        total[k] += s->follow_up[m][k];
    }
  fill_follow_up_row (add_row (table, "total", g_strdup (_("Total")), TRUE), total);
  return table;
}

static AwdaIndicatorTable *
closure_table (Computation *c,
               Scope       *s)
{
  return enum_table (AWDA_INDICATOR_CLOSURES, &c->reasons, s->closure);
}

static AwdaIndicatorTable *
sustainability_table (Scope *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_SUSTAINABILITY);

  for (int d = 0; d < N_SUSTAIN; d++)
    {
      const SustainSum *sum = &s->sustain[d];
      AwdaIndicatorRow *row;

      if (d < AWDA_SURVEY_N_DIMENSIONS)
        row = add_row (table, awda_survey_dimension_name (d), g_strdup (_(awda_survey_dimension_label (d))), FALSE);
      else
        row = add_row (table, "composite", g_strdup (_("Composite")), TRUE);

      row->values[0] = (double) sum->n;
      row->values[1] = sum->n ? sum->sum_base / sum->n : NAN;
      row->values[2] = sum->n ? sum->sum_follow / sum->n : NAN;
      row->values[3] = sum->n ? (sum->sum_follow - sum->sum_base) / sum->n : NAN;
      row->values[4] = ratio (sum->base_reached, sum->n);
      row->values[5] = ratio (sum->follow_reached, sum->n);
    }
  return table;
}

static AwdaIndicatorTable *
summary_table (AwdaIndicatorTable **tables,
               Scope               *s)
{
  AwdaIndicatorTable *table = table_new (AWDA_INDICATOR_SUMMARY);
  AwdaIndicatorRow *row = add_row (table, "all", g_strdup (_("All")), FALSE);
  const AwdaIndicatorTable *approval = tables[AWDA_INDICATOR_PLAN_APPROVAL];
  const AwdaIndicatorTable *referrals = tables[AWDA_INDICATOR_REFERRALS];
  const AwdaIndicatorTable *follow_ups = tables[AWDA_INDICATOR_FOLLOW_UPS];

  row->values[0] = (double) s->cases;
  row->values[1] = (double) s->closed;
  row->values[2] = awda_indicator_table_get (approval, "total", "median_days");
  row->values[3] = awda_indicator_table_get (approval, "total", "share_within_30_days");
  row->values[4] = awda_indicator_table_get (referrals, "total", "acceptance_rate");
  row->values[5] = awda_indicator_table_get (follow_ups, "total", "on_time_rate");
  row->values[6] = awda_indicator_table_get (follow_ups, "total", "overdue");
  row->values[7] = (double) s->surveyed;
  row->values[8] = ratio (s->sustain[SUSTAIN_COMPOSITE].follow_reached, s->sustain[SUSTAIN_COMPOSITE].n);
  return table;
}

static void
build_tables (Computation         *c,
              Scope               *s,
              AwdaIndicatorTable **tables)
{
  tables[AWDA_INDICATOR_CASES_BY_STAGE] = enum_table (AWDA_INDICATOR_CASES_BY_STAGE, &c->stages, s->stage);
  tables[AWDA_INDICATOR_CASES_BY_OFFICE] = office_table (c, s);
  tables[AWDA_INDICATOR_CASES_BY_GOVERNORATE] = governorate_table (c, s);
  tables[AWDA_INDICATOR_CASES_BY_SEX] = enum_table (AWDA_INDICATOR_CASES_BY_SEX, &c->sexes, s->sex);
  tables[AWDA_INDICATOR_CASES_BY_AGE] = age_table (s);
  tables[AWDA_INDICATOR_CASES_BY_HOST_COUNTRY] = country_table (s);
  tables[AWDA_INDICATOR_CASES_BY_RETURN_TYPE] = enum_table (AWDA_INDICATOR_CASES_BY_RETURN_TYPE, &c->return_types, s->return_type);
  tables[AWDA_INDICATOR_CASES_BY_MONTH] = month_table (c, s);
  tables[AWDA_INDICATOR_PLAN_APPROVAL] = approval_table (c, s);
  tables[AWDA_INDICATOR_ASSISTANCE] = assistance_table (c, s);
  tables[AWDA_INDICATOR_REFERRALS] = referral_table (c, s);
  tables[AWDA_INDICATOR_FOLLOW_UPS] = follow_up_table (c, s);
  tables[AWDA_INDICATOR_CLOSURES] = closure_table (c, s);
  tables[AWDA_INDICATOR_SUSTAINABILITY] = sustainability_table (s);
  tables[AWDA_INDICATOR_SUMMARY] = summary_table (tables, s);
}

/* Public API */

/* Builds the indexes when missing, on a connection of its own (the
 * computation may run in a worker thread while the store's connection
 * serves the window). On a large database made before them, the first
 * time takes a while and holds the write lock meanwhile. */
static gboolean
ensure_indexes (AwdaStore  *store,
                GError    **error)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  /* Once per store: the check itself reads the schema. */
  if (g_object_get_data (G_OBJECT (store), "awda-indicator-indexes") != NULL)
    return TRUE;

  if (sqlite3_open_v2 (awda_store_get_path (store), &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Could not open the database at %s to compute the indicators: %s."),
                   awda_store_get_path (store), db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 10000);

  for (guint i = 0; i < G_N_ELEMENTS (index_statements); i++)
    if (sqlite3_exec (db, index_statements[i], NULL, NULL, &message) != SQLITE_OK)
      {
        g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                     _("Could not make the indexes of the indicators: %s."), message ? message : "?");
        sqlite3_free (message);
        sqlite3_close (db);
        return FALSE;
      }
  sqlite3_close (db);

  g_object_set_data (G_OBJECT (store), "awda-indicator-indexes", GINT_TO_POINTER (1));
  return TRUE;
}

static gboolean
check_date (const char  *value,
            const char  *what,
            GError     **error)
{
  if (value == NULL || awda_date_parse (value, NULL, NULL, NULL))
    return TRUE;
  g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
               _("Invalid date “%s” for %s: expected a date as YYYY-MM-DD."), value, what);
  return FALSE;
}

static gboolean
check_reference (Computation  *c,
                 Refs         *refs,
                 const char   *id,
                 const char   *what,
                 guint        *index,
                 GError      **error)
{
  *index = G_MAXUINT;
  if (id == NULL)
    return TRUE;
  *index = refs_index (refs, id);
  if (*index < refs->ids->len)
    return TRUE;
  g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
               _("There is no %s with id %s."), what, id);
  return FALSE;
}

static void
computation_clear (Computation *c)
{
  if (c->per_office != NULL)
    {
      for (guint o = 0; o <= c->offices.ids->len; o++)
        scope_clear (c, &c->per_office[o]);
      g_free (c->per_office);
    }
  if (c->offices.ids != NULL)
    scope_clear (c, &c->all);
  refs_clear (&c->offices);
  refs_clear (&c->programmes);
  refs_clear (&c->partners);
  uuid_map_clear (&c->case_map);
  uuid_map_clear (&c->approvals);
  enum_clear (&c->stages);
  enum_clear (&c->governorates);
  enum_clear (&c->sexes);
  enum_clear (&c->return_types);
  enum_clear (&c->reasons);
  enum_clear (&c->modes);
  enum_clear (&c->kinds);
  enum_clear (&c->currencies);
  g_clear_pointer (&c->survey, awda_survey_free);
}

typedef gboolean (*PassFunc) (Computation  *c,
                              sqlite3      *db,
                              GError      **error);

typedef struct
{
  const char *name;
  PassFunc    func;
} Pass;

/* Two groups of about the same cost, that write different counters:
 * with two readers, they run at once. Approvals come before the cases
 * opened, which look up their first one. */
static const Pass passes_a[] = {
  { "plan items approved", pass_approved },
  { "cases opened", pass_opened },
};

static const Pass passes_b[] = {
  { "cases closed", pass_closed },
  { "plan items disbursed", pass_disbursed },
  { "referrals", pass_referrals },
  { "follow-ups", pass_follow_ups },
  { "surveys", pass_surveys },
};

static gboolean
run_passes (Computation  *c,
            sqlite3      *db,
            const Pass   *passes,
            guint         n_passes,
            GError      **error)
{
  for (guint i = 0; i < n_passes; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (g_cancellable_set_error_if_cancelled (c->cancellable, error) ||
          !passes[i].func (c, db, error))
        return FALSE;
      g_debug ("%s: %.1f ms", passes[i].name, (g_get_monotonic_time () - start) / 1000.0);
    }
  return TRUE;
}

typedef struct
{
  Computation *c;
  GError      *error;
} GroupB;

static gpointer
run_group_b (gpointer data)
{
  GroupB *group = data;

  return GINT_TO_POINTER (run_passes (group->c, group->c->db2, passes_b, G_N_ELEMENTS (passes_b),
                                      &group->error));
}

static gboolean
compute (Computation         *c,
         AwdaIndicatorFlags   flags,
         GError             **error)
{
  g_autoptr(GError) survey_error = NULL;
  gint64 start = g_get_monotonic_time ();

  enum_init (&c->stages, "case", "status");
  enum_init (&c->governorates, "case", "governorate");
  enum_init (&c->sexes, "case", "sex");
  enum_init (&c->return_types, "case", "return_type");
  enum_init (&c->reasons, "case", "closure_reason");
  enum_init (&c->modes, "follow_up", "mode");
  enum_init (&c->kinds, "plan_item", "kind");
  enum_init (&c->currencies, "plan_item", "currency");
  ensure_office_columns (&c->stages);

  /* Without a readable survey file, composites come as stored. */
  c->survey = awda_survey_load_default (&survey_error);
  if (c->survey == NULL)
    g_warning ("%s", survey_error->message);
  c->threshold = c->survey ? awda_survey_get_threshold_score (c->survey) : 66;

  if (!load_refs (c->db, "office", &c->offices, error) ||
      !load_refs (c->db, "programme", &c->programmes, error) ||
      !load_refs (c->db, "partner", &c->partners, error) ||
      !check_reference (c, &c->offices, c->filter.office, "office", &c->office_filter, error) ||
      !check_reference (c, &c->programmes, c->filter.programme, "programme", &c->programme_filter, error))
    return FALSE;

  scope_init (c, &c->all);
  if (flags & AWDA_INDICATORS_BY_OFFICE)
    {
      c->per_office = g_new0 (Scope, c->offices.ids->len + 1);
      for (guint o = 0; o <= c->offices.ids->len; o++)
        scope_init (c, &c->per_office[o]);
    }

  uuid_map_init (&c->approvals, 1 << 14);

  if ((c->filter.office != NULL || c->filter.programme != NULL || c->per_office != NULL) &&
      !load_case_map (c, c->db, error))
    return FALSE;
  g_debug ("set-up and case map: %.1f ms; %s", (g_get_monotonic_time () - start) / 1000.0,
           c->db2 ? "two readers" : "one reader");

  if (c->db2 != NULL)
    {
      GroupB group = { c, NULL };
      GThread *thread = g_thread_new ("awda-indicators", run_group_b, &group);
      gboolean ok_a = run_passes (c, c->db, passes_a, G_N_ELEMENTS (passes_a), error);
      gboolean ok_b = GPOINTER_TO_INT (g_thread_join (thread));

      if (!ok_b)
        {
          if (ok_a)
            g_propagate_error (error, group.error);
          else
            g_clear_error (&group.error);
          return FALSE;
        }
      if (!ok_a)
        return FALSE;
    }
  else if (!run_passes (c, c->db, passes_a, G_N_ELEMENTS (passes_a), error) ||
           !run_passes (c, c->db, passes_b, G_N_ELEMENTS (passes_b), error))
    return FALSE;

  return !g_cancellable_set_error_if_cancelled (c->cancellable, error);
}

/* A reader of our own: read only, and without SQLite's mutex (it is used
 * by one thread at a time), so that a row costs no locking. */
static sqlite3 *
open_reader (AwdaStore  *store,
             GError    **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (awda_store_get_path (store), &db,
                       SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE,
                   _("Could not open the database at %s to compute the indicators: %s."),
                   awda_store_get_path (store), db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 10000);
  return db;
}

/* Starts a read transaction: the snapshot is taken at its first read. */
static gboolean
begin_read (sqlite3 *db)
{
  return sqlite3_exec (db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) == SQLITE_OK;
}

/* Starts the read transactions of both readers on the same state of the
 * database: while they start, a write transaction held on a third
 * connection keeps any writer from committing in between. FALSE when
 * that lock cannot be had at once (a writer is busy): one reader will
 * do. */
static gboolean
begin_same_snapshot (AwdaStore *store,
                     sqlite3   *a,
                     sqlite3   *b)
{
  sqlite3 *lock = NULL;
  gboolean ok;

  if (sqlite3_open_v2 (awda_store_get_path (store), &lock,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      sqlite3_close (lock);
      return FALSE;
    }
  sqlite3_busy_timeout (lock, 200);
  ok = sqlite3_exec (lock, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK &&
       begin_read (a) && begin_read (b);
  sqlite3_exec (lock, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (lock);
  if (!ok)
    {
      sqlite3_exec (a, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_exec (b, "ROLLBACK", NULL, NULL, NULL);
    }
  return ok;
}

static char *
reference_name (Refs       *refs,
                const char *id)
{
  guint i;

  if (id == NULL)
    return NULL;
  i = refs_index (refs, id);
  return g_strdup (i < refs->ids->len ? g_ptr_array_index (refs->names, i) : id);
}

AwdaIndicators *
awda_indicators_compute (AwdaStore                  *store,
                         const AwdaIndicatorFilter  *filter,
                         AwdaIndicatorFlags          flags,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  g_autoptr(AwdaIndicators) self = NULL;
  g_autofree char *today = NULL;
  Computation c = { NULL };
  gboolean ok;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (!check_date (filter->from, "--from", error) ||
      !check_date (filter->to, "--to", error) ||
      !check_date (filter->today, "today", error))
    return NULL;
  if (filter->from != NULL && filter->to != NULL && strcmp (filter->from, filter->to) > 0)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The period from %s to %s ends before it starts."), filter->from, filter->to);
      return NULL;
    }

  if (filter->today == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      today = g_date_time_format (now, "%Y-%m-%d");
    }

  if (!ensure_indexes (store, error))
    return NULL;

  self = g_new0 (AwdaIndicators, 1);
  self->strings[0] = g_strdup (filter->from);
  self->strings[1] = g_strdup (filter->to);
  self->strings[2] = g_strdup (filter->office);
  self->strings[3] = g_strdup (filter->programme);
  self->strings[4] = g_strdup (filter->today ? filter->today : today);
  self->filter.from = self->strings[0];
  self->filter.to = self->strings[1];
  self->filter.office = self->strings[2];
  self->filter.programme = self->strings[3];
  self->filter.today = self->strings[4];

  c.store = store;
  c.cancellable = cancellable;
  c.filter = self->filter;
  c.today = parse_day (self->filter.today);

  /* Readers of our own: the store's connection stays free for writes.
   * Every table is read in one snapshot of the database (writes of the
   * store not yet committed are not seen). With two processors, two
   * readers share the work, both in the same snapshot. */
  c.db = open_reader (store, error);
  if (c.db == NULL)
    return NULL;
  if (g_get_num_processors () > 1 && (c.db2 = open_reader (store, NULL)) != NULL &&
      !begin_same_snapshot (store, c.db, c.db2))
    g_clear_pointer (&c.db2, sqlite3_close);

  ok = c.db2 != NULL || begin_read (c.db) || sql_failed (c.db, error);
  ok = ok && compute (&c, flags, error);
  sqlite3_exec (c.db, "COMMIT", NULL, NULL, NULL);
  g_clear_pointer (&c.db, sqlite3_close);
  if (c.db2 != NULL)
    {
      sqlite3_exec (c.db2, "COMMIT", NULL, NULL, NULL);
      g_clear_pointer (&c.db2, sqlite3_close);
    }

  if (!ok)
    {
      computation_clear (&c);
      return NULL;
    }

  build_tables (&c, &c.all, self->tables);
  self->office_name = reference_name (&c.offices, filter->office);
  self->programme_name = reference_name (&c.programmes, filter->programme);
  self->threshold = c.threshold;

  if (c.per_office != NULL)
    {
      self->office_ids = g_ptr_array_new_with_free_func (g_free);
      self->office_labels = g_ptr_array_new_with_free_func (g_free);
      self->office_tables = g_ptr_array_new ();
      for (guint o = 0; o <= c.offices.ids->len; o++)
        {
          Scope *s = &c.per_office[o];
          AwdaIndicatorTable **tables;

          /* Offices with nothing in scope get no page. */
          if (s->cases == 0 && s->closed == 0 && s->surveyed == 0 && !scope_has_assistance (&c, s))
            continue;
          tables = g_new0 (AwdaIndicatorTable *, AWDA_INDICATOR_N_TABLES);
          build_tables (&c, s, tables);
          g_ptr_array_add (self->office_ids, g_strdup (o < c.offices.ids->len ? g_ptr_array_index (c.offices.ids, o) : ""));
          g_ptr_array_add (self->office_labels, g_strdup (o < c.offices.ids->len ? g_ptr_array_index (c.offices.names, o) : _("No office")));
          g_ptr_array_add (self->office_tables, tables);
        }
    }

  computation_clear (&c);
  return g_steal_pointer (&self);
}

void
awda_indicators_free (AwdaIndicators *self)
{
  if (self == NULL)
    return;
  for (int i = 0; i < AWDA_INDICATOR_N_TABLES; i++)
    table_free (self->tables[i]);
  if (self->office_tables != NULL)
    {
      for (guint o = 0; o < self->office_tables->len; o++)
        {
          AwdaIndicatorTable **tables = g_ptr_array_index (self->office_tables, o);

          for (int i = 0; i < AWDA_INDICATOR_N_TABLES; i++)
            table_free (tables[i]);
          g_free (tables);
        }
      g_ptr_array_unref (self->office_tables);
    }
  g_clear_pointer (&self->office_ids, g_ptr_array_unref);
  g_clear_pointer (&self->office_labels, g_ptr_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    g_free (self->strings[i]);
  g_free (self->office_name);
  g_free (self->programme_name);
  g_free (self);
}

const AwdaIndicatorFilter *
awda_indicators_get_filter (AwdaIndicators *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->filter;
}

const char *
awda_indicators_get_office_name (AwdaIndicators *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->office_name;
}

const char *
awda_indicators_get_programme_name (AwdaIndicators *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->programme_name;
}

int
awda_indicators_get_threshold_score (AwdaIndicators *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->threshold;
}

const AwdaIndicatorTable *
awda_indicators_get_table (AwdaIndicators  *self,
                           AwdaIndicatorId  id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id < AWDA_INDICATOR_N_TABLES, NULL);
  return self->tables[id];
}

guint
awda_indicators_get_n_offices (AwdaIndicators *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->office_ids ? self->office_ids->len : 0;
}

const char *
awda_indicators_get_office_id (AwdaIndicators *self,
                               guint           index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < awda_indicators_get_n_offices (self), NULL);
  return g_ptr_array_index (self->office_ids, index);
}

const char *
awda_indicators_get_office_label (AwdaIndicators *self,
                                  guint           index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < awda_indicators_get_n_offices (self), NULL);
  return g_ptr_array_index (self->office_labels, index);
}

const AwdaIndicatorTable *
awda_indicators_get_office_table (AwdaIndicators  *self,
                                  guint            index,
                                  AwdaIndicatorId  id)
{
  AwdaIndicatorTable **tables;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < awda_indicators_get_n_offices (self), NULL);
  g_return_val_if_fail (id < AWDA_INDICATOR_N_TABLES, NULL);

  tables = g_ptr_array_index (self->office_tables, index);
  return tables[id];
}

const AwdaIndicatorRow *
awda_indicator_table_lookup_row (const AwdaIndicatorTable *table,
                                 const char               *key)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < table->rows->len; i++)
    {
      const AwdaIndicatorRow *row = g_ptr_array_index (table->rows, i);

      if (strcmp (row->key, key) == 0)
        return row;
    }
  return NULL;
}

int
awda_indicator_table_column (const AwdaIndicatorTable *table,
                             const char               *key)
{
  g_return_val_if_fail (table != NULL, -1);
  g_return_val_if_fail (key != NULL, -1);

  for (guint i = 0; i < table->n_columns; i++)
    if (strcmp (table->columns[i].key, key) == 0)
      return (int) i;
  return -1;
}

double
awda_indicator_table_get (const AwdaIndicatorTable *table,
                          const char               *row_key,
                          const char               *column_key)
{
  const AwdaIndicatorRow *row = awda_indicator_table_lookup_row (table, row_key);
  int column = awda_indicator_table_column (table, column_key);

  if (row == NULL || column < 0)
    return NAN;
  return row->values[column];
}

/* Formatting */

char *
awda_indicator_format_value (AwdaValueKind  kind,
                             double         value,
                             const char    *currency)
{
  if (isnan (value))
    return g_strdup ("—");

  switch (kind)
    {
    case AWDA_VALUE_COUNT:
      return g_strdup_printf ("%'.0f", value);
    case AWDA_VALUE_AMOUNT:
      /* Dinars have millimes; other currencies, cents. */
      if (currency != NULL && *currency != '\0')
        return g_strdup_printf ("%'.*f %s", g_strcmp0 (currency, "TND") == 0 ? 3 : 2,
                                value / 1000.0, currency);
      return g_strdup_printf ("%'.3f", value / 1000.0);
    case AWDA_VALUE_RATIO:
      /* TRANSLATORS: a percentage; %.1f is the number */
      return g_strdup_printf (_("%.1f %%"), value * 100.0);
    case AWDA_VALUE_DAYS:
    case AWDA_VALUE_SCORE:
      return g_strdup_printf ("%.1f", value);
    case AWDA_VALUE_CHANGE:
      return g_strdup_printf ("%+.1f", value);
    default:
      g_assert_not_reached ();
    }
}

char *
awda_indicator_format_raw (AwdaValueKind kind,
                           double        value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("");

  switch (kind)
    {
    case AWDA_VALUE_COUNT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) llround (value));
    case AWDA_VALUE_AMOUNT:
      return awda_amount_format ((gint64) llround (value));
    case AWDA_VALUE_RATIO:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.4f", value));
    case AWDA_VALUE_DAYS:
    case AWDA_VALUE_SCORE:
    case AWDA_VALUE_CHANGE:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
    default:
      g_assert_not_reached ();
    }
}

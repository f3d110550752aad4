/* awda-case-item.c: one row of the case list, as the list shows it
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An item stands for a position of the case list: when the list changes
 * (a new search), the item of each position in use takes the case now
 * there, with awda_case_item_update(), which notifies the properties that
 * changed and emits ::changed. The view keeps its rows for these items
 * rather than making them again: GTK 4.8 makes a row anew for every item
 * it has not seen. Labels are translated when the item is made, so that
 * cells only show strings.
 */

#define G_LOG_DOMAIN "awda-case-item"

#include "config.h"

#include "awda-case-item.h"
#include "awda-format.h"

struct _AwdaCaseItem
{
  GObject parent_instance;

  guint   position;  /* in the list, for the model */
  gint64  rowid;
  char   *id;
  char   *name;
  char   *name_label;
  char   *name_ar;
  char   *name_ar_label;
  char   *governorate;
  char   *governorate_label;
  char   *status;
  char   *status_label;
  char   *opened_on;
  char   *opened_on_label;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_NAME_LABEL,
  PROP_NAME_AR,
  PROP_NAME_AR_LABEL,
  PROP_GOVERNORATE,
  PROP_GOVERNORATE_LABEL,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_OPENED_ON,
  PROP_OPENED_ON_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaCaseItem, awda_case_item, G_TYPE_OBJECT)

static void
awda_case_item_finalize (GObject *object)
{
  AwdaCaseItem *self = AWDA_CASE_ITEM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->name_label);
  g_free (self->name_ar);
  g_free (self->name_ar_label);
  g_free (self->governorate);
  g_free (self->governorate_label);
  g_free (self->status);
  g_free (self->status_label);
  g_free (self->opened_on);
  g_free (self->opened_on_label);

  G_OBJECT_CLASS (awda_case_item_parent_class)->finalize (object);
}

static void
awda_case_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AwdaCaseItem *self = AWDA_CASE_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_NAME_LABEL:
      g_value_set_string (value, self->name_label);
      break;

    case PROP_NAME_AR:
      g_value_set_string (value, self->name_ar);
      break;

    case PROP_NAME_AR_LABEL:
      g_value_set_string (value, self->name_ar_label);
      break;

    case PROP_GOVERNORATE:
      g_value_set_string (value, self->governorate);
      break;

    case PROP_GOVERNORATE_LABEL:
      g_value_set_string (value, self->governorate_label);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_STATUS_LABEL:
      g_value_set_string (value, self->status_label);
      break;

    case PROP_OPENED_ON:
      g_value_set_string (value, self->opened_on);
      break;

    case PROP_OPENED_ON_LABEL:
      g_value_set_string (value, self->opened_on_label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
awda_case_item_class_init (AwdaCaseItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = awda_case_item_finalize;
  object_class->get_property = awda_case_item_get_property;

  /* The stored values (the names joined), and the -label texts that the
   * list's cells show (see awda_format_cell_text()). */
  properties[PROP_ID] = string_property ("id");
  properties[PROP_NAME] = string_property ("name");
  properties[PROP_NAME_LABEL] = string_property ("name-label");
  properties[PROP_NAME_AR] = string_property ("name-ar");
  properties[PROP_NAME_AR_LABEL] = string_property ("name-ar-label");
  properties[PROP_GOVERNORATE] = string_property ("governorate");
  properties[PROP_GOVERNORATE_LABEL] = string_property ("governorate-label");
  properties[PROP_STATUS] = string_property ("status");
  properties[PROP_STATUS_LABEL] = string_property ("status-label");
  properties[PROP_OPENED_ON] = string_property ("opened-on");
  properties[PROP_OPENED_ON_LABEL] = string_property ("opened-on-label");

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaCaseItem::changed:
   *
   * The item took another case, or the same case changed: every label
   * may differ. Emitted once, after the notifications.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
awda_case_item_init (AwdaCaseItem *self)
{
}

static const AwdaField *
case_field (const char *name)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity ("case");
  const AwdaField *field;

  g_assert (entity != NULL);
  field = awda_entity_lookup_field (entity, name);
  g_assert (field != NULL);

  return field;
}

/**
 * awda_case_item_new_from_record:
 * @record: a case as the store read it
 *
 * Returns: (transfer full): a row for the case list
 */
AwdaCaseItem *
awda_case_item_new_from_record (const AwdaRecord *record)
{
  g_autofree char *date = NULL;
  AwdaCaseItem *self;
  const char *value;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (g_strcmp0 (record->entity->name, "case") == 0, NULL);

  self = g_object_new (AWDA_TYPE_CASE_ITEM, NULL);
  self->rowid = record->rowid;
  self->id = g_strdup (record->id);
  self->name = awda_format_join (awda_record_get (record, "given_name"),
                                 awda_record_get (record, "family_name"));
  self->name_label = awda_format_cell_text (self->name);
  self->name_ar = awda_format_join (awda_record_get (record, "given_name_ar"),
                                    awda_record_get (record, "family_name_ar"));
  self->name_ar_label = awda_format_cell_text (self->name_ar);

  value = awda_record_get (record, "governorate");
  self->governorate = g_strdup (value);
  self->governorate_label = awda_format_cell_text (awda_format_enum_value (case_field ("governorate"), value));

  value = awda_record_get (record, "status");
  self->status = g_strdup (value);
  self->status_label = awda_format_cell_text (awda_format_enum_value (case_field ("status"), value));

  value = awda_record_get (record, "opened_on");
  self->opened_on = g_strdup (value);
  date = awda_format_date (value);
  self->opened_on_label = awda_format_cell_text (date);

  return self;
}

/**
 * awda_case_item_new_missing:
 * @rowid: the row a query listed but that could not be read
 *
 * A list model must give an item for every position it counts, even when
 * the row could not be read: this one shows blank cells.
 *
 * Returns: (transfer full): an empty row
 */
AwdaCaseItem *
awda_case_item_new_missing (gint64 rowid)
{
  AwdaCaseItem *self = g_object_new (AWDA_TYPE_CASE_ITEM, NULL);

  self->rowid = rowid;
  self->name = g_strdup ("");
  self->name_label = g_strdup ("");
  self->name_ar = g_strdup ("");
  self->name_ar_label = g_strdup ("");
  self->governorate_label = g_strdup ("");
  self->status_label = g_strdup ("");
  self->opened_on_label = g_strdup ("");

  return self;
}

static gboolean
take_string (AwdaCaseItem  *self,
             char         **field,
             const char    *value,
             guint          prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  if (prop_id != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return TRUE;
}

/**
 * awda_case_item_update:
 * @self: an item of the list
 * @from: the row now at @self's position
 *
 * @self takes @from's case and labels (not its position).
 *
 * Returns: whether anything changed (and ::changed was emitted)
 */
gboolean
awda_case_item_update (AwdaCaseItem *self,
                       AwdaCaseItem *from)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), FALSE);
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (from), FALSE);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->rowid != from->rowid)
    {
      self->rowid = from->rowid;
      changed = TRUE;
    }
  changed |= take_string (self, &self->id, from->id, PROP_ID);
  changed |= take_string (self, &self->name, from->name, PROP_NAME);
  changed |= take_string (self, &self->name_label, from->name_label, PROP_NAME_LABEL);
  changed |= take_string (self, &self->name_ar, from->name_ar, PROP_NAME_AR);
  changed |= take_string (self, &self->name_ar_label, from->name_ar_label, PROP_NAME_AR_LABEL);
  changed |= take_string (self, &self->governorate, from->governorate, PROP_GOVERNORATE);
  changed |= take_string (self, &self->governorate_label, from->governorate_label, PROP_GOVERNORATE_LABEL);
  changed |= take_string (self, &self->status, from->status, PROP_STATUS);
  changed |= take_string (self, &self->status_label, from->status_label, PROP_STATUS_LABEL);
  changed |= take_string (self, &self->opened_on, from->opened_on, PROP_OPENED_ON);
  changed |= take_string (self, &self->opened_on_label, from->opened_on_label, PROP_OPENED_ON_LABEL);
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);

  return changed;
}

/* For the list model: the position the item stands for. */
guint
awda_case_item_get_position (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), 0);
  return self->position;
}

void
awda_case_item_set_position (AwdaCaseItem *self,
                             guint         position)
{
  g_return_if_fail (AWDA_IS_CASE_ITEM (self));
  self->position = position;
}

gint64
awda_case_item_get_rowid (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), 0);
  return self->rowid;
}

const char *
awda_case_item_get_id (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->id;
}

const char *
awda_case_item_get_name (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->name;
}

const char *
awda_case_item_get_name_label (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->name_label;
}

const char *
awda_case_item_get_name_ar (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->name_ar;
}

const char *
awda_case_item_get_name_ar_label (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->name_ar_label;
}

const char *
awda_case_item_get_governorate (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->governorate;
}

const char *
awda_case_item_get_governorate_label (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->governorate_label;
}

const char *
awda_case_item_get_status (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->status;
}

const char *
awda_case_item_get_status_label (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->status_label;
}

const char *
awda_case_item_get_opened_on (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->opened_on;
}

const char *
awda_case_item_get_opened_on_label (AwdaCaseItem *self)
{
  g_return_val_if_fail (AWDA_IS_CASE_ITEM (self), NULL);
  return self->opened_on_label;
}

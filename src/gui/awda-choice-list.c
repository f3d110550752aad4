/* awda-choice-list.c: the values of an enumerated field, for a drop-down
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The items are GtkStringObjects holding the translated labels, so that a
 * GtkDropDown shows and searches them with no expression of ours (and the
 * .ui files name no type of ours, which gtk4-builder-tool could not
 * check); the stored values stay here, position for position.
 */

#define G_LOG_DOMAIN "awda-choice-list"

#include "config.h"

#include <string.h>

#include "awda-choice-list.h"
#include "awda-format.h"

struct _AwdaChoiceList
{
  GObject    parent_instance;

  GPtrArray *items;   /* GtkStringObject */
  GPtrArray *values;  /* const char *, borrowed from the dictionary; NULL for none */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AwdaChoiceList, awda_choice_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
awda_choice_list_get_item_type (GListModel *model)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
awda_choice_list_get_n_items (GListModel *model)
{
  return AWDA_CHOICE_LIST (model)->items->len;
}

static gpointer
awda_choice_list_get_item (GListModel *model,
                           guint       position)
{
  AwdaChoiceList *self = AWDA_CHOICE_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = awda_choice_list_get_item_type;
  iface->get_n_items = awda_choice_list_get_n_items;
  iface->get_item = awda_choice_list_get_item;
}

static void
awda_choice_list_finalize (GObject *object)
{
  AwdaChoiceList *self = AWDA_CHOICE_LIST (object);

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->values);

  G_OBJECT_CLASS (awda_choice_list_parent_class)->finalize (object);
}

static void
awda_choice_list_class_init (AwdaChoiceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = awda_choice_list_finalize;
}

static void
awda_choice_list_init (AwdaChoiceList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->values = g_ptr_array_new ();
}

typedef struct
{
  const char *value;
  const char *label;
  char       *key;
} Choice;

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Choice *) a)->key, ((const Choice *) b)->key);
}

/**
 * awda_choice_list_new:
 * @field: an enumerated field of the dictionary
 * @none_label: (nullable): the label of a first item that stands for no
 *   value ("All stages"), or %NULL for none
 * @sorted: whether to sort the values by their translated labels, in the
 *   user's collation (governorates), or keep the dictionary's order (stages)
 *
 * Returns: (transfer full): a list of the labels of @field's values
 */
AwdaChoiceList *
awda_choice_list_new (const AwdaField *field,
                      const char      *none_label,
                      gboolean         sorted)
{
  AwdaChoiceList *self;
  g_autoptr(GArray) choices = NULL;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (field->type == AWDA_FIELD_ENUM, NULL);
  g_return_val_if_fail (field->values != NULL, NULL);

  self = g_object_new (AWDA_TYPE_CHOICE_LIST, NULL);

  if (none_label != NULL)
    {
      g_ptr_array_add (self->items, gtk_string_object_new (none_label));
      g_ptr_array_add (self->values, NULL);
    }

  choices = g_array_new (FALSE, FALSE, sizeof (Choice));
  for (const AwdaEnumValue *v = field->values; v->value != NULL; v++)
    {
      Choice choice = { v->value, awda_format_enum_value (field, v->value), NULL };

      choice.key = sorted ? g_utf8_collate_key (choice.label, -1) : NULL;
      g_array_append_val (choices, choice);
    }

  if (sorted)
    g_array_sort (choices, compare_choices);

  for (guint i = 0; i < choices->len; i++)
    {
      Choice *choice = &g_array_index (choices, Choice, i);

      g_ptr_array_add (self->items, gtk_string_object_new (choice->label));
      g_ptr_array_add (self->values, (gpointer) choice->value);
      g_free (choice->key);
    }

  return self;
}

/**
 * awda_choice_list_get_value:
 * @self: a #AwdaChoiceList
 * @position: a position in @self
 *
 * Returns: (nullable): the stored value at @position, %NULL for the item
 *   that stands for none, or for a position out of the list
 */
const char *
awda_choice_list_get_value (AwdaChoiceList *self,
                            guint           position)
{
  g_return_val_if_fail (AWDA_IS_CHOICE_LIST (self), NULL);

  if (position >= self->values->len)
    return NULL;

  return g_ptr_array_index (self->values, position);
}

/**
 * awda_choice_list_find:
 * @self: a #AwdaChoiceList
 * @value: (nullable): a stored value, or %NULL for the item that stands for none
 *
 * Returns: the position of @value, or %GTK_INVALID_LIST_POSITION
 */
guint
awda_choice_list_find (AwdaChoiceList *self,
                       const char     *value)
{
  g_return_val_if_fail (AWDA_IS_CHOICE_LIST (self), GTK_INVALID_LIST_POSITION);

  for (guint i = 0; i < self->values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->values, i), value) == 0)
      return i;

  return GTK_INVALID_LIST_POSITION;
}

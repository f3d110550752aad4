/* awda-hold-list-model.c: a list that keeps showing its last items while the list it follows is empty
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window hides its list view behind an empty page when no case
 * matches. GTK 4.8 destroys a view's rows when their items go, and makes
 * them anew when items come back: for a screen of rows, some 20 ms of the
 * main thread each way, in the frame that shows the change. Between the
 * view and the case list, this list follows the case list exactly, except
 * that when the case list becomes empty it keeps its items (the view is
 * hidden then, and keeps its rows); when the case list has items again,
 * one items-changed replaces them all. The case list gives the same items
 * to the same positions again (awda-case-item.c), so the view keeps its
 * rows and only their text changes.
 */

#define G_LOG_DOMAIN "awda-hold-list-model"

#include "config.h"

#include "awda-hold-list-model.h"

struct _AwdaHoldListModel
{
  GObject     parent_instance;

  /* owned */
  GListModel *model;
  GHashTable *given;     /* position → item, weak: those handed out */
  GHashTable *positions; /* item → position, of the same */

  guint       n_items;   /* as this list has them */
  guint       holding : 1;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_HOLDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AwdaHoldListModel, awda_hold_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
awda_hold_list_model_get_item_type (GListModel *list)
{
  AwdaHoldListModel *self = AWDA_HOLD_LIST_MODEL (list);

  return g_list_model_get_item_type (self->model);
}

static guint
awda_hold_list_model_get_n_items (GListModel *list)
{
  return AWDA_HOLD_LIST_MODEL (list)->n_items;
}

static void
on_item_finalized_cb (gpointer  data,
                      GObject  *where_the_object_was)
{
  AwdaHoldListModel *self = data;
  gpointer position;

  if (g_hash_table_steal_extended (self->positions, where_the_object_was, NULL, &position))
    g_hash_table_remove (self->given, position);
}

static void
forget_given (AwdaHoldListModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->given);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, on_item_finalized_cb, self);
  g_hash_table_remove_all (self->given);
  g_hash_table_remove_all (self->positions);
}

static void
remember_given (AwdaHoldListModel *self,
                guint              position,
                GObject           *item)
{
  GObject *before = g_hash_table_lookup (self->given, GUINT_TO_POINTER (position));

  gpointer other;

  if (before == item)
    return;
  if (before != NULL)
    {
      g_object_weak_unref (before, on_item_finalized_cb, self);
      g_hash_table_remove (self->positions, before);
    }

  /* An item handed out for another position before (it moved). */
  if (g_hash_table_lookup_extended (self->positions, item, NULL, &other))
    g_hash_table_remove (self->given, other);
  else
    g_object_weak_ref (item, on_item_finalized_cb, self);

  g_hash_table_insert (self->given, GUINT_TO_POINTER (position), item);
  g_hash_table_insert (self->positions, item, GUINT_TO_POINTER (position));
}

static gpointer
awda_hold_list_model_get_item (GListModel *list,
                               guint       position)
{
  AwdaHoldListModel *self = AWDA_HOLD_LIST_MODEL (list);
  GObject *item;

  if (position >= self->n_items)
    return NULL;

  if (!self->holding)
    {
      item = g_list_model_get_item (self->model, position);
      if (item != NULL)
        remember_given (self, position, item);
      return item;
    }

  /* Held: the item the view has, or a blank one for a row it never had
   * (the view is hidden; it is not expected to ask). */
  item = g_hash_table_lookup (self->given, GUINT_TO_POINTER (position));
  if (item != NULL)
    return g_object_ref (item);
  return g_object_new (g_list_model_get_item_type (self->model), NULL);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = awda_hold_list_model_get_item_type;
  iface->get_n_items = awda_hold_list_model_get_n_items;
  iface->get_item = awda_hold_list_model_get_item;
}

static void
set_holding (AwdaHoldListModel *self,
             gboolean           holding)
{
  if (self->holding == !!holding)
    return;

  self->holding = !!holding;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLDING]);
}

static void
on_items_changed_cb (GListModel        *model,
                     guint              position,
                     guint              removed,
                     guint              added,
                     AwdaHoldListModel *self)
{
  guint n_items = g_list_model_get_n_items (model);
  guint before = self->n_items;

  if (n_items == 0 && before > 0)
    {
      /* Emptied: the items stay as they were. */
      set_holding (self, TRUE);
      return;
    }

  if (self->holding)
    {
      if (n_items == 0)
        return;

      /* Items again: they replace the held ones, whose rows take them. */
      set_holding (self, FALSE);
      forget_given (self);
      self->n_items = n_items;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, before, n_items);
      return;
    }

  self->n_items = n_items;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
awda_hold_list_model_dispose (GObject *object)
{
  AwdaHoldListModel *self = AWDA_HOLD_LIST_MODEL (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed_cb, self);
  if (self->given != NULL)
    forget_given (self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (awda_hold_list_model_parent_class)->dispose (object);
}

static void
awda_hold_list_model_finalize (GObject *object)
{
  AwdaHoldListModel *self = AWDA_HOLD_LIST_MODEL (object);

  g_clear_pointer (&self->given, g_hash_table_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);

  G_OBJECT_CLASS (awda_hold_list_model_parent_class)->finalize (object);
}

static void
awda_hold_list_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AwdaHoldListModel *self = AWDA_HOLD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_HOLDING:
      g_value_set_boolean (value, self->holding);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_hold_list_model_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AwdaHoldListModel *self = AWDA_HOLD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      self->n_items = g_list_model_get_n_items (self->model);
      g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changed_cb), self);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_hold_list_model_class_init (AwdaHoldListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = awda_hold_list_model_dispose;
  object_class->finalize = awda_hold_list_model_finalize;
  object_class->get_property = awda_hold_list_model_get_property;
  object_class->set_property = awda_hold_list_model_set_property;

  /* The list followed. */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Whether the list followed is empty, and this one keeps its last items. */
  properties[PROP_HOLDING] =
    g_param_spec_boolean ("holding", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
awda_hold_list_model_init (AwdaHoldListModel *self)
{
  self->given = g_hash_table_new (NULL, NULL);
  self->positions = g_hash_table_new (NULL, NULL);
}

/**
 * awda_hold_list_model_new:
 * @model: the list to follow
 *
 * Returns: (transfer full): a list with @model's items, or its last ones
 *   while @model is empty
 */
AwdaHoldListModel *
awda_hold_list_model_new (GListModel *model)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  return g_object_new (AWDA_TYPE_HOLD_LIST_MODEL,
                       "model", model,
                       NULL);
}

GListModel *
awda_hold_list_model_get_model (AwdaHoldListModel *self)
{
  g_return_val_if_fail (AWDA_IS_HOLD_LIST_MODEL (self), NULL);

  return self->model;
}

/**
 * awda_hold_list_model_get_holding:
 * @self: a #AwdaHoldListModel
 *
 * Returns: whether the list followed is empty while this one keeps the
 *   items it had
 */
gboolean
awda_hold_list_model_get_holding (AwdaHoldListModel *self)
{
  g_return_val_if_fail (AWDA_IS_HOLD_LIST_MODEL (self), FALSE);

  return self->holding;
}

/* awda-undo.c: the undo stack of an open case
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Undo is not a rollback: it writes the old values again, as a new edit,
 * so that every site sees the correction like any other change. A step is
 * only undone while its record still holds what the step wrote; once
 * another edit or a received bundle changed one of its fields, undoing it
 * would overwrite that newer value, so the step is refused and dropped.
 */

#define G_LOG_DOMAIN "awda-undo"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "awda-undo.h"

G_DEFINE_QUARK (awda-undo-error-quark, awda_undo_error)

typedef struct
{
  char      *entity;
  char      *record;
  gboolean   created;     /* the edit made the record: undo deletes it */
  GPtrArray *fields;      /* names; "deleted" among them when it changed */
  GPtrArray *old_values;  /* NULL: unset */
  GPtrArray *new_values;
} Step;

struct _AwdaUndoStack
{
  GObject    parent_instance;

  AwdaStore *store;
  GQueue     undo;   /* Step*, the most recent at the head */
  GQueue     redo;
  gboolean   can_undo;
  gboolean   can_redo;
};

G_DEFINE_FINAL_TYPE (AwdaUndoStack, awda_undo_stack, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
step_free (Step *step)
{
  g_free (step->entity);
  g_free (step->record);
  g_ptr_array_unref (step->fields);
  g_ptr_array_unref (step->old_values);
  g_ptr_array_unref (step->new_values);
  g_free (step);
}

static void
update_state (AwdaUndoStack *self)
{
  gboolean can_undo = !g_queue_is_empty (&self->undo);
  gboolean can_redo = !g_queue_is_empty (&self->redo);

  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
}

static void
clear_queue (GQueue *queue)
{
  Step *step;

  while ((step = g_queue_pop_head (queue)))
    step_free (step);
}

/* The record's value of a field, "deleted" included; NULL when absent. */
static const char *
value_of (const AwdaRecord *record,
          const char       *field)
{
  return record ? awda_record_get (record, field) : NULL;
}

/* A step from a record's values before and after a change (@before NULL:
 * the change made it); nothing when no value changed. The redo steps
 * are forgotten. */
static void
push_step (AwdaUndoStack    *self,
           const AwdaRecord *before,
           const AwdaRecord *after)
{
  Step *step = g_new0 (Step, 1);

  step->entity = g_strdup (after->entity->name);
  step->record = g_strdup (after->id);
  step->created = before == NULL;
  step->fields = g_ptr_array_new_with_free_func (g_free);
  step->old_values = g_ptr_array_new_with_free_func (g_free);
  step->new_values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i <= after->entity->n_fields; i++)
    {
      const char *name = i < after->entity->n_fields ? after->entity->fields[i].name : AWDA_FIELD_DELETED;
      const char *old_value = value_of (before, name);
      const char *new_value = value_of (after, name);

      if (g_strcmp0 (old_value, new_value) == 0)
        continue;
      g_ptr_array_add (step->fields, g_strdup (name));
      g_ptr_array_add (step->old_values, g_strdup (old_value));
      g_ptr_array_add (step->new_values, g_strdup (new_value));
    }

  if (step->fields->len == 0)
    {
      step_free (step);
      return;
    }

  g_queue_push_head (&self->undo, step);
  while (g_queue_get_length (&self->undo) > AWDA_UNDO_MAX_STEPS)
    step_free (g_queue_pop_tail (&self->undo));
  clear_queue (&self->redo);
  update_state (self);
}

gboolean
awda_undo_stack_apply (AwdaUndoStack  *self,
                       AwdaEdit       *edit,
                       GError        **error)
{
  g_autoptr(AwdaRecord) before = NULL;
  g_autoptr(AwdaRecord) after = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *entity = awda_edit_get_entity (edit);
  const char *id = awda_edit_get_record (edit);

  g_return_val_if_fail (AWDA_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  if (id != NULL)
    {
      before = awda_store_get_record (self->store, entity, id, &local_error);
      /* Absent: the edit creates it under a given id, or the store
       * refuses it and says why. */
      if (before == NULL && !g_error_matches (local_error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (!awda_store_apply (self->store, edit, error))
    return FALSE;

  /* The values as stored, in their canonical form. */
  after = awda_store_get_record (self->store, entity, awda_edit_get_record (edit), error);
  if (after == NULL)
    return FALSE;

  push_step (self, before, after);
  return TRUE;
}

void
awda_undo_stack_push_change (AwdaUndoStack    *self,
                             const AwdaRecord *before,
                             const AwdaRecord *after)
{
  g_return_if_fail (AWDA_IS_UNDO_STACK (self));
  g_return_if_fail (after != NULL);
  g_return_if_fail (before == NULL || (before->entity == after->entity && g_str_equal (before->id, after->id)));

  push_step (self, before, after);
}

/* Writes one side of a step back, if the record still holds the other. */
static gboolean
replay (AwdaUndoStack  *self,
        Step           *step,
        gboolean        undo,
        GError        **error)
{
  /* A new record keeps its values while deleted and restored. */
  GPtrArray *expected = undo || step->created ? step->new_values : step->old_values;
  GPtrArray *wanted = undo ? step->old_values : step->new_values;
  g_autoptr(AwdaRecord) current = NULL;
  g_autoptr(AwdaEdit) edit = NULL;
  const AwdaEntity *entity;

  current = awda_store_get_record (self->store, step->entity, step->record, error);
  if (current == NULL)
    return FALSE;
  entity = current->entity;

  if (step->created && current->deleted == undo)
    {
      g_set_error (error, AWDA_UNDO_ERROR, AWDA_UNDO_ERROR_CHANGED,
                   undo ? _("“%s” was deleted since: adding it cannot be undone.")
                        : _("“%s” was restored since: it cannot be added again."),
                   _(entity->label));
      return FALSE;
    }

  for (guint i = 0; i < step->fields->len; i++)
    {
      const char *name = g_ptr_array_index (step->fields, i);

      if (g_strcmp0 (awda_record_get (current, name), g_ptr_array_index (expected, i)) != 0)
        {
          const AwdaField *field = awda_entity_lookup_field (entity, name);

          g_set_error (error, AWDA_UNDO_ERROR, AWDA_UNDO_ERROR_CHANGED,
                       undo ? _("“%s” was changed again since: the earlier change cannot be undone.")
                            : _("“%s” was changed again since: the change cannot be redone."),
                       field ? _(field->label) : name);
          return FALSE;
        }
    }

  edit = awda_edit_new (step->entity, step->record);
  if (step->created)
    /* Undoing a new record deletes it; redoing restores it. */
    awda_edit_set (edit, AWDA_FIELD_DELETED, undo ? "true" : "false");
  else
    for (guint i = 0; i < step->fields->len; i++)
      awda_edit_set (edit, g_ptr_array_index (step->fields, i), g_ptr_array_index (wanted, i));

  return awda_store_apply (self->store, edit, error);
}

static gboolean
move_step (AwdaUndoStack  *self,
           GQueue         *from,
           GQueue         *to,
           gboolean        undo,
           GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  Step *step = g_queue_pop_head (from);

  if (step == NULL)
    {
      g_set_error_literal (error, AWDA_UNDO_ERROR, AWDA_UNDO_ERROR_EMPTY,
                           undo ? _("There is nothing to undo.") : _("There is nothing to redo."));
      return FALSE;
    }

  if (!replay (self, step, undo, &local_error))
    {
      /* A failing disk may work again; a step that no longer fits the
       * record never will. */
      if (g_error_matches (local_error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_STORAGE))
        g_queue_push_head (from, step);
      else
        step_free (step);
      update_state (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_queue_push_head (to, step);
  update_state (self);
  return TRUE;
}

gboolean
awda_undo_stack_undo (AwdaUndoStack  *self,
                      GError        **error)
{
  g_return_val_if_fail (AWDA_IS_UNDO_STACK (self), FALSE);
  return move_step (self, &self->undo, &self->redo, TRUE, error);
}

gboolean
awda_undo_stack_redo (AwdaUndoStack  *self,
                      GError        **error)
{
  g_return_val_if_fail (AWDA_IS_UNDO_STACK (self), FALSE);
  return move_step (self, &self->redo, &self->undo, FALSE, error);
}

gboolean
awda_undo_stack_can_undo (AwdaUndoStack *self)
{
  g_return_val_if_fail (AWDA_IS_UNDO_STACK (self), FALSE);
  return self->can_undo;
}

gboolean
awda_undo_stack_can_redo (AwdaUndoStack *self)
{
  g_return_val_if_fail (AWDA_IS_UNDO_STACK (self), FALSE);
  return self->can_redo;
}

void
awda_undo_stack_clear (AwdaUndoStack *self)
{
  g_return_if_fail (AWDA_IS_UNDO_STACK (self));

  clear_queue (&self->undo);
  clear_queue (&self->redo);
  update_state (self);
}

static char *
describe (Step     *step,
          gboolean  undo)
{
  const AwdaEntity *entity;

  if (step == NULL)
    return NULL;
  entity = awda_dictionary_lookup_entity (step->entity);

  if (step->created)
    return g_strdup_printf (undo ? _("Undo adding “%s”") : _("Redo adding “%s”"),
                            entity ? _(entity->label) : step->entity);
  if (step->fields->len == 1)
    {
      const char *name = g_ptr_array_index (step->fields, 0);
      const AwdaField *field = entity ? awda_entity_lookup_field (entity, name) : NULL;

      return g_strdup_printf (undo ? _("Undo the change to “%s”") : _("Redo the change to “%s”"),
                              field ? _(field->label) : name);
    }
  return g_strdup_printf (undo ? g_dngettext (GETTEXT_PACKAGE, "Undo the change to %u field",
                                              "Undo the changes to %u fields", step->fields->len)
                               : g_dngettext (GETTEXT_PACKAGE, "Redo the change to %u field",
                                              "Redo the changes to %u fields", step->fields->len),
                          step->fields->len);
}

char *
awda_undo_stack_describe_undo (AwdaUndoStack *self)
{
  g_return_val_if_fail (AWDA_IS_UNDO_STACK (self), NULL);
  return describe (g_queue_peek_head (&self->undo), TRUE);
}

char *
awda_undo_stack_describe_redo (AwdaUndoStack *self)
{
  g_return_val_if_fail (AWDA_IS_UNDO_STACK (self), NULL);
  return describe (g_queue_peek_head (&self->redo), FALSE);
}

static void
awda_undo_stack_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AwdaUndoStack *self = AWDA_UNDO_STACK (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_undo_stack_dispose (GObject *object)
{
  AwdaUndoStack *self = AWDA_UNDO_STACK (object);

  clear_queue (&self->undo);
  clear_queue (&self->redo);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (awda_undo_stack_parent_class)->dispose (object);
}

static void
awda_undo_stack_class_init (AwdaUndoStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = awda_undo_stack_get_property;
  object_class->dispose = awda_undo_stack_dispose;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
awda_undo_stack_init (AwdaUndoStack *self)
{
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}

AwdaUndoStack *
awda_undo_stack_new (AwdaStore *store)
{
  AwdaUndoStack *self;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  self = g_object_new (AWDA_TYPE_UNDO_STACK, NULL);
  self->store = g_object_ref (store);
  return self;
}

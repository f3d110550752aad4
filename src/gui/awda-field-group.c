/* awda-field-group.c: a form of field editors, one per field named in the .ui
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page of a form says which fields it shows, by name, in its .ui:
 *
 *   <object class="AwdaFieldGroup">
 *     <property name="entity">case</property>
 *     <property name="fields">given_name family_name birth_date</property>
 *   </object>
 *
 * and the group makes a labelled AwdaFieldEditor for each, in a grid,
 * with labels and controls from the data dictionary. Adding a field to a
 * form is one line in the dictionary and one name here.
 */

#define G_LOG_DOMAIN "awda-field-group"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "awda-field-group.h"

struct _AwdaFieldGroup
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkGrid        *grid;

  /* owned */
  char           *entity;
  char           *fields;
  char           *read_only;
  char           *record_id;
  AwdaStore      *store;
  AwdaUndoStack  *undo_stack;
  GPtrArray      *editors;   /* AwdaFieldEditor, borrowed from the grid */
  GPtrArray      *labels;    /* GtkLabel, borrowed from the grid */
};

enum {
  PROP_0,
  PROP_ENTITY,
  PROP_FIELDS,
  PROP_READ_ONLY,
  PROP_STORE,
  PROP_UNDO_STACK,
  PROP_RECORD_ID,
  N_PROPS
};

enum {
  COMMITTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaFieldGroup, awda_field_group, GTK_TYPE_WIDGET)

static void
on_editor_committed_cb (AwdaFieldGroup  *self,
                        AwdaFieldEditor *editor)
{
  g_signal_emit (self, signals[COMMITTED], 0, editor);
}

/* The label's text with a mnemonic on its first letter that no earlier
 * label of the group took. */
static char *
label_with_mnemonic (const char *label,
                     GString    *taken)
{
  GString *text = g_string_new (NULL);
  gboolean placed = FALSE;

  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar lower = g_unichar_tolower (c);

      if (!placed && g_unichar_isalnum (c))
        {
          char utf8[8] = { 0 };

          g_unichar_to_utf8 (lower, utf8);
          if (strstr (taken->str, utf8) == NULL)
            {
              g_string_append (taken, utf8);
              g_string_append_c (text, '_');
              placed = TRUE;
            }
        }
      if (c == '_')
        g_string_append_c (text, '_');
      g_string_append_unichar (text, c);
    }

  return g_string_free (text, FALSE);
}

/* The label's top, level with the first line of the control. */
static int
label_offset (const AwdaField *field)
{
  switch (field->type)
    {
    case AWDA_FIELD_BOOLEAN:
      return 4;
    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_INTEGER:
    case AWDA_FIELD_AMOUNT:
    case AWDA_FIELD_DATE:
    case AWDA_FIELD_ENUM:
    case AWDA_FIELD_REFERENCE:
    case AWDA_FIELD_COUNTRY:
    default:
      return 8;
    }
}

static void
build_editors (AwdaFieldGroup *self)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) read_only = NULL;
  g_autoptr(GString) taken = g_string_new (NULL);
  const AwdaEntity *entity;
  int row = 0;

  if (self->entity == NULL || self->fields == NULL)
    return;

  entity = awda_dictionary_lookup_entity (self->entity);
  if (entity == NULL)
    {
      g_critical ("AwdaFieldGroup: the dictionary has no entity “%s”", self->entity);
      return;
    }

  names = g_strsplit_set (self->fields, " \t\n,", -1);
  read_only = g_strsplit_set (self->read_only ? self->read_only : "", " \t\n,", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const AwdaField *field;
      g_autofree char *text = NULL;
      AwdaFieldEditor *editor;
      GtkWidget *label;

      if (*names[i] == '\0')
        continue;

      field = awda_entity_lookup_field (entity, names[i]);
      if (field == NULL)
        {
          g_critical ("AwdaFieldGroup: the dictionary has no field “%s” of %s", names[i], self->entity);
          continue;
        }

      editor = awda_field_editor_new (self->entity, names[i]);
      gtk_widget_set_hexpand (GTK_WIDGET (editor), TRUE);
      if (g_strv_contains ((const char * const *) read_only, names[i]))
        awda_field_editor_set_editable (editor, FALSE);

      text = label_with_mnemonic (_(field->label), taken);
      label = gtk_label_new_with_mnemonic (text);
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_widget_set_halign (label, GTK_ALIGN_END);
      gtk_widget_set_valign (label, GTK_ALIGN_START);
      gtk_widget_set_margin_top (label, label_offset (field));
      gtk_widget_add_css_class (label, "dim-label");

      gtk_grid_attach (self->grid, label, 0, row, 1, 1);
      gtk_grid_attach (self->grid, GTK_WIDGET (editor), 1, row, 1, 1);
      awda_field_editor_set_label_widget (editor, GTK_LABEL (label));
      g_signal_connect_object (editor, "committed", G_CALLBACK (on_editor_committed_cb),
                               self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->editors, editor);
      g_ptr_array_add (self->labels, label);
      row++;
    }
}

static void
awda_field_group_constructed (GObject *object)
{
  AwdaFieldGroup *self = AWDA_FIELD_GROUP (object);

  G_OBJECT_CLASS (awda_field_group_parent_class)->constructed (object);

  build_editors (self);
}

static void
awda_field_group_dispose (GObject *object)
{
  AwdaFieldGroup *self = AWDA_FIELD_GROUP (object);

  g_ptr_array_set_size (self->editors, 0);
  g_ptr_array_set_size (self->labels, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_FIELD_GROUP);
  g_clear_object (&self->store);
  g_clear_object (&self->undo_stack);

  G_OBJECT_CLASS (awda_field_group_parent_class)->dispose (object);
}

static void
awda_field_group_finalize (GObject *object)
{
  AwdaFieldGroup *self = AWDA_FIELD_GROUP (object);

  g_free (self->entity);
  g_free (self->fields);
  g_free (self->read_only);
  g_free (self->record_id);
  g_ptr_array_unref (self->editors);
  g_ptr_array_unref (self->labels);

  G_OBJECT_CLASS (awda_field_group_parent_class)->finalize (object);
}

static void
awda_field_group_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AwdaFieldGroup *self = AWDA_FIELD_GROUP (object);

  switch (prop_id)
    {
    case PROP_ENTITY:
      g_value_set_string (value, self->entity);
      break;
    case PROP_FIELDS:
      g_value_set_string (value, self->fields);
      break;
    case PROP_READ_ONLY:
      g_value_set_string (value, self->read_only);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_UNDO_STACK:
      g_value_set_object (value, self->undo_stack);
      break;
    case PROP_RECORD_ID:
      g_value_set_string (value, self->record_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_field_group_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AwdaFieldGroup *self = AWDA_FIELD_GROUP (object);

  switch (prop_id)
    {
    case PROP_ENTITY:
      self->entity = g_value_dup_string (value);
      break;
    case PROP_FIELDS:
      self->fields = g_value_dup_string (value);
      break;
    case PROP_READ_ONLY:
      self->read_only = g_value_dup_string (value);
      break;
    case PROP_STORE:
      awda_field_group_set_store (self, g_value_get_object (value));
      break;
    case PROP_UNDO_STACK:
      awda_field_group_set_undo_stack (self, g_value_get_object (value));
      break;
    case PROP_RECORD_ID:
      awda_field_group_set_record_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_field_group_class_init (AwdaFieldGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = awda_field_group_constructed;
  object_class->dispose = awda_field_group_dispose;
  object_class->finalize = awda_field_group_finalize;
  object_class->get_property = awda_field_group_get_property;
  object_class->set_property = awda_field_group_set_property;

  properties[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Field names, separated by spaces, in the order shown. */
  properties[PROP_FIELDS] =
    g_param_spec_string ("fields", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Those of the fields that are shown but not edited here. */
  properties[PROP_READ_ONLY] =
    g_param_spec_string ("read-only", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNDO_STACK] =
    g_param_spec_object ("undo-stack", NULL, NULL, AWDA_TYPE_UNDO_STACK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaFieldGroup::committed:
   * @editor: the editor whose value was written
   */
  signals[COMMITTED] =
    g_signal_new ("committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, AWDA_TYPE_FIELD_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-field-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaFieldGroup, grid);
}

static void
awda_field_group_init (AwdaFieldGroup *self)
{
  self->editors = g_ptr_array_new ();
  self->labels = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * awda_field_group_new:
 * @entity: an entity of the dictionary
 * @fields: names of its fields, separated by spaces
 *
 * Returns: (transfer floating): a new group
 */
AwdaFieldGroup *
awda_field_group_new (const char *entity,
                      const char *fields)
{
  return g_object_new (AWDA_TYPE_FIELD_GROUP,
                       "entity", entity,
                       "fields", fields,
                       NULL);
}

const char *
awda_field_group_get_entity (AwdaFieldGroup *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_GROUP (self), NULL);
  return self->entity;
}

void
awda_field_group_set_store (AwdaFieldGroup *self,
                            AwdaStore      *store)
{
  g_return_if_fail (AWDA_IS_FIELD_GROUP (self));

  if (!g_set_object (&self->store, store))
    return;
  for (guint i = 0; i < self->editors->len; i++)
    awda_field_editor_set_store (g_ptr_array_index (self->editors, i), store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
awda_field_group_set_undo_stack (AwdaFieldGroup *self,
                                 AwdaUndoStack  *undo_stack)
{
  g_return_if_fail (AWDA_IS_FIELD_GROUP (self));

  if (!g_set_object (&self->undo_stack, undo_stack))
    return;
  for (guint i = 0; i < self->editors->len; i++)
    awda_field_editor_set_undo_stack (g_ptr_array_index (self->editors, i), undo_stack);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_STACK]);
}

const char *
awda_field_group_get_record_id (AwdaFieldGroup *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_GROUP (self), NULL);
  return self->record_id;
}

/* The record, read once for all the editors; NULL without one (or when
 * it cannot be read: each editor then says why). */
static AwdaRecord *
read_record (AwdaFieldGroup *self)
{
  if (self->store == NULL || self->record_id == NULL || self->entity == NULL)
    return NULL;
  return awda_store_get_record (self->store, self->entity, self->record_id, NULL);
}

void
awda_field_group_set_record_id (AwdaFieldGroup *self,
                                const char     *record_id)
{
  g_autoptr(AwdaRecord) record = NULL;

  g_return_if_fail (AWDA_IS_FIELD_GROUP (self));

  if (g_strcmp0 (self->record_id, record_id) == 0)
    return;
  g_free (self->record_id);
  self->record_id = g_strdup (record_id);
  record = read_record (self);
  for (guint i = 0; i < self->editors->len; i++)
    awda_field_editor_load (g_ptr_array_index (self->editors, i), record_id, record);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);
}

guint
awda_field_group_get_n_editors (AwdaFieldGroup *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_GROUP (self), 0);
  return self->editors->len;
}

/**
 * awda_field_group_get_editor:
 *
 * Returns: (transfer none) (nullable): the editor at @position
 */
AwdaFieldEditor *
awda_field_group_get_editor (AwdaFieldGroup *self,
                             guint           position)
{
  g_return_val_if_fail (AWDA_IS_FIELD_GROUP (self), NULL);
  return position < self->editors->len ? g_ptr_array_index (self->editors, position) : NULL;
}

/**
 * awda_field_group_find_editor:
 *
 * Returns: (transfer none) (nullable): the editor of @field
 */
AwdaFieldEditor *
awda_field_group_find_editor (AwdaFieldGroup *self,
                              const char     *field)
{
  g_return_val_if_fail (AWDA_IS_FIELD_GROUP (self), NULL);

  for (guint i = 0; i < self->editors->len; i++)
    {
      AwdaFieldEditor *editor = g_ptr_array_index (self->editors, i);

      if (g_strcmp0 (awda_field_editor_get_field_name (editor), field) == 0)
        return editor;
    }
  return NULL;
}

void
awda_field_group_reload (AwdaFieldGroup *self)
{
  g_autoptr(AwdaRecord) record = NULL;

  g_return_if_fail (AWDA_IS_FIELD_GROUP (self));

  record = read_record (self);
  for (guint i = 0; i < self->editors->len; i++)
    {
      AwdaFieldEditor *editor = g_ptr_array_index (self->editors, i);

      if (record != NULL)
        awda_field_editor_reload_from (editor, record);
      else
        awda_field_editor_reload (editor);
    }
}

gboolean
awda_field_group_commit_pending (AwdaFieldGroup   *self,
                                 AwdaFieldEditor **refused,
                                 GError          **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (AWDA_IS_FIELD_GROUP (self), FALSE);

  for (guint i = 0; i < self->editors->len; i++)
    {
      AwdaFieldEditor *editor = g_ptr_array_index (self->editors, i);

      if (!awda_field_editor_has_pending (editor))
        continue;
      if (!awda_field_editor_commit (editor, ok ? error : NULL))
        {
          if (ok && refused != NULL)
            *refused = editor;
          ok = FALSE;
        }
    }
  return ok;
}

/**
 * awda_field_group_set_label_size_group:
 * @self: a #AwdaFieldGroup
 * @size_group: a horizontal size group shared by the groups of a form
 *
 * Gives the labels of several groups (on one page or several) the same
 * width, so that their fields line up.
 */
void
awda_field_group_set_label_size_group (AwdaFieldGroup *self,
                                       GtkSizeGroup   *size_group)
{
  g_return_if_fail (AWDA_IS_FIELD_GROUP (self));
  g_return_if_fail (GTK_IS_SIZE_GROUP (size_group));

  for (guint i = 0; i < self->labels->len; i++)
    gtk_size_group_add_widget (size_group, g_ptr_array_index (self->labels, i));
}

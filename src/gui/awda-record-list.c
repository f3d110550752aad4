/* awda-record-list.c: a case's child records of one kind, each an expandable row of field editors
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Household members, assessments, plan items, referrals, follow-ups: a
 * list of the case's live records of one entity, each row a title made
 * of some of its fields and, when expanded, an AwdaFieldGroup of the
 * fields named in the .ui. "Add" asks for the fields a record cannot
 * exist without, then creates it through the undo stack; the trash
 * button deletes it the same way (a replicated tombstone), so that Ctrl+Z
 * brings it back. Rows can be grouped under headers by an enumerated
 * field (plan items by dimension). Whoever holds the list adds its own
 * buttons to each row in ::update-row.
 */

#define G_LOG_DOMAIN "awda-record-list"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "awda-field-editor.h"
#include "awda-format.h"
#include "awda-record-list.h"

struct _AwdaRecordList
{
  GtkWidget         parent_instance;

  /* template widgets */
  GtkLabel         *title_label;
  GtkMenuButton    *add_button;
  GtkPopover       *add_popover;
  GtkBox           *add_fields_box;
  GtkLabel         *add_error_label;
  GtkButton        *add_confirm_button;
  GtkLabel         *empty_label;
  GtkFrame         *frame;
  GtkListBox       *list_box;

  /* owned */
  char             *entity_name;
  char             *fields;
  char             *title_fields;
  char             *group_by;
  char             *read_only;
  char             *case_id;
  AwdaStore        *store;
  AwdaUndoStack    *undo_stack;
  GHashTable       *rows;        /* record id → GtkListBoxRow, borrowed from the list */

  /* borrowed */
  const AwdaEntity *entity;
  AwdaFieldGroup   *add_group;
};

enum {
  PROP_0,
  PROP_ENTITY,
  PROP_FIELDS,
  PROP_TITLE_FIELDS,
  PROP_GROUP_BY,
  PROP_READ_ONLY,
  PROP_TITLE,
  PROP_ADD_LABEL,
  PROP_EMPTY_TEXT,
  PROP_STORE,
  PROP_UNDO_STACK,
  PROP_CASE_ID,
  N_PROPS
};

enum {
  CHANGED,
  UPDATE_ROW,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaRecordList, awda_record_list, GTK_TYPE_WIDGET)

/* What a row keeps, as data of its GtkListBoxRow. */
typedef struct
{
  char           *id;
  char           *group;      /* the value of group-by */
  guint           order;      /* creation order, from the store */
  GtkListBoxRow  *widget;
  GtkExpander    *expander;
  GtkBox         *content;
  GtkLabel       *title;
  GtkBox         *extra_box;
  GtkLabel       *message;
  AwdaFieldGroup *fields;     /* made when first expanded */
} Row;

static void
row_free (Row *row)
{
  g_free (row->id);
  g_free (row->group);
  g_free (row);
}

static Row *
row_of (GtkListBoxRow *widget)
{
  return g_object_get_data (G_OBJECT (widget), "awda-row");
}

static void
emit_changed (AwdaRecordList *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Titles and groups */

static int
group_index (AwdaRecordList *self,
             const char     *value)
{
  const AwdaField *field;
  int i = 0;

  if (self->group_by == NULL || value == NULL)
    return G_MAXINT;
  field = awda_entity_lookup_field (self->entity, self->group_by);
  if (field == NULL || field->values == NULL)
    return G_MAXINT;
  for (const AwdaEnumValue *v = field->values; v->value != NULL; v++, i++)
    if (strcmp (v->value, value) == 0)
      return i;
  return G_MAXINT - 1;
}

static char *
make_title (AwdaRecordList   *self,
            const AwdaRecord *record)
{
  g_auto(GStrv) names = g_strsplit_set (self->title_fields ? self->title_fields : "", " \t\n,", -1);
  g_autoptr(GString) title = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const AwdaField *field = *names[i] ? awda_entity_lookup_field (self->entity, names[i]) : NULL;
      g_autofree char *shown = NULL;

      if (field == NULL)
        continue;
      shown = awda_field_format_value (self->store, field, awda_record_get (record, names[i]));
      if (*shown == '\0')
        continue;
      /* A long text is only a hint in a title. */
      if (g_utf8_strlen (shown, -1) > 60)
        {
          char *end = g_utf8_offset_to_pointer (shown, 60);

          *end = '\0';
          g_string_append_printf (title, "%s%s…", title->len ? " · " : "", shown);
          continue;
        }
      if (title->len > 0)
        g_string_append (title, " · ");
      g_string_append (title, shown);
    }

  if (title->len == 0)
    g_string_append (title, _(self->entity->label));
  return g_string_free (g_steal_pointer (&title), FALSE);
}

static void
update_row (AwdaRecordList *self,
            Row            *row)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  record = awda_store_get_record (self->store, self->entity->name, row->id, &error);
  if (record == NULL)
    {
      gtk_label_set_text (row->message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (row->message), TRUE);
      return;
    }

  title = make_title (self, record);
  gtk_label_set_text (row->title, title);
  g_free (row->group);
  row->group = g_strdup (self->group_by ? awda_record_get (record, self->group_by) : NULL);

  g_signal_emit (self, signals[UPDATE_ROW], 0, row->extra_box, row->fields, record);
}

/* Rows */

static void
on_row_committed_cb (AwdaFieldGroup  *group,
                     AwdaFieldEditor *editor,
                     GtkListBoxRow   *widget)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (gtk_widget_get_ancestor (GTK_WIDGET (widget), AWDA_TYPE_RECORD_LIST));

  if (self == NULL)
    return;
  update_row (self, row_of (widget));
  gtk_list_box_invalidate_sort (self->list_box);
  gtk_list_box_invalidate_headers (self->list_box);
  emit_changed (self);
}

static void
on_remove_clicked_cb (GtkButton *button,
                      Row       *row)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (gtk_widget_get_ancestor (GTK_WIDGET (button), AWDA_TYPE_RECORD_LIST));
  g_autoptr(AwdaEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self == NULL || self->store == NULL)
    return;

  edit = awda_edit_new (self->entity->name, row->id);
  awda_edit_set (edit, AWDA_FIELD_DELETED, "true");
  ok = self->undo_stack ? awda_undo_stack_apply (self->undo_stack, edit, &error)
                        : awda_store_apply (self->store, edit, &error);
  if (!ok)
    {
      gtk_label_set_text (row->message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (row->message), TRUE);
      return;
    }

  awda_record_list_reload (self);
  emit_changed (self);
}

/* A row's field editors are made when it is first expanded: a case
 * opens at once, however many records it has. */
static AwdaFieldGroup *
ensure_fields (AwdaRecordList *self,
               Row            *row)
{
  if (row->fields != NULL)
    return row->fields;

  row->fields = g_object_new (AWDA_TYPE_FIELD_GROUP,
                              "entity", self->entity->name,
                              "fields", self->fields,
                              "read-only", self->read_only,
                              NULL);
  awda_field_group_set_store (row->fields, self->store);
  awda_field_group_set_undo_stack (row->fields, self->undo_stack);
  awda_field_group_set_record_id (row->fields, row->id);
  g_signal_connect_object (row->fields, "committed", G_CALLBACK (on_row_committed_cb), row->widget, 0);
  gtk_box_append (row->content, GTK_WIDGET (row->fields));

  /* Whoever adds to the rows may adjust the editors too. */
  update_row (self, row);
  return row->fields;
}

static void
on_expanded_cb (GtkExpander *expander,
                GParamSpec  *pspec,
                Row         *row)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (gtk_widget_get_ancestor (GTK_WIDGET (expander), AWDA_TYPE_RECORD_LIST));

  if (self != NULL && gtk_expander_get_expanded (expander))
    ensure_fields (self, row);
}

static GtkWidget *
create_row (AwdaRecordList *self,
            const char     *id)
{
  GtkWidget *widget = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *extra = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *expander = gtk_expander_new (NULL);
  GtkWidget *message = gtk_label_new (NULL);
  Row *row = g_new0 (Row, 1);

  row->id = g_strdup (id);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");

  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"), -1);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), row);

  gtk_widget_set_valign (extra, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), extra);
  gtk_box_append (GTK_BOX (header), remove);
  gtk_expander_set_label_widget (GTK_EXPANDER (expander), header);
  gtk_widget_set_hexpand (header, TRUE);

  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_set_visible (message, FALSE);

  gtk_widget_set_margin_start (content, 24);
  gtk_widget_set_margin_top (content, 6);
  gtk_widget_set_margin_bottom (content, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), content);
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (on_expanded_cb), row);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), expander);
  gtk_box_append (GTK_BOX (box), message);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (widget), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (widget), FALSE);

  row->widget = GTK_LIST_BOX_ROW (widget);
  row->expander = GTK_EXPANDER (expander);
  row->content = GTK_BOX (content);
  row->title = GTK_LABEL (title);
  row->extra_box = GTK_BOX (extra);
  row->message = GTK_LABEL (message);
  g_object_set_data_full (G_OBJECT (widget), "awda-row", row, (GDestroyNotify) row_free);

  return widget;
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  AwdaRecordList *self = user_data;
  Row *row_a = row_of (a);
  Row *row_b = row_of (b);
  int group_a = group_index (self, row_a->group);
  int group_b = group_index (self, row_b->group);

  if (group_a != group_b)
    return group_a < group_b ? -1 : 1;
  return row_a->order < row_b->order ? -1 : row_a->order > row_b->order;
}

static void
update_header (GtkListBoxRow *widget,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  AwdaRecordList *self = user_data;
  const AwdaField *field;
  Row *row = row_of (widget);
  GtkWidget *header;

  if (self->group_by == NULL
      || (before != NULL && g_strcmp0 (row_of (before)->group, row->group) == 0))
    {
      gtk_list_box_row_set_header (widget, NULL);
      return;
    }

  field = awda_entity_lookup_field (self->entity, self->group_by);
  header = gtk_label_new (row->group ? awda_format_enum_value (field, row->group) : _("Not set"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, 12);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (widget, header);
}

static void
update_empty (AwdaRecordList *self)
{
  gboolean empty = g_hash_table_size (self->rows) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), empty);
  gtk_widget_set_visible (GTK_WIDGET (self->frame), !empty);
}

/**
 * awda_record_list_reload:
 * @self: a #AwdaRecordList
 *
 * Lists the case's records again: rows of records that went away go,
 * new ones come, the others read their values again (and keep what was
 * typed in them, and whether they are expanded).
 */
void
awda_record_list_reload (AwdaRecordList *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) live = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (AWDA_IS_RECORD_LIST (self));

  if (self->store == NULL || self->case_id == NULL || self->entity == NULL)
    {
      awda_list_box_remove_all (self->list_box);
      g_hash_table_remove_all (self->rows);
      update_empty (self);
      return;
    }

  records = awda_store_list_children (self->store, self->entity->name, self->case_id, &error);
  if (records == NULL)
    {
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      return;
    }

  live = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < records->len; i++)
    {
      const AwdaRecord *record = g_ptr_array_index (records, i);
      GtkListBoxRow *widget = g_hash_table_lookup (self->rows, record->id);

      if (widget == NULL)
        {
          widget = GTK_LIST_BOX_ROW (create_row (self, record->id));
          gtk_list_box_append (self->list_box, GTK_WIDGET (widget));
          g_hash_table_insert (self->rows, g_strdup (record->id), widget);
        }
      else
        {
          if (row_of (widget)->fields != NULL)
            awda_field_group_reload (row_of (widget)->fields);
        }
      row_of (widget)->order = i;
      g_hash_table_add (live, row_of (widget)->id);
      update_row (self, row_of (widget));
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (live, key))
      {
        gtk_list_box_remove (self->list_box, value);
        g_hash_table_iter_remove (&iter);
      }

  gtk_list_box_invalidate_sort (self->list_box);
  gtk_list_box_invalidate_headers (self->list_box);
  update_empty (self);
}

/* Adding */

static void
reset_add_form (AwdaRecordList *self)
{
  g_autofree char *today = awda_field_editor_today ();

  if (self->add_group == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
  for (guint i = 0; i < awda_field_group_get_n_editors (self->add_group); i++)
    {
      AwdaFieldEditor *editor = awda_field_group_get_editor (self->add_group, i);
      const AwdaField *field = awda_field_editor_get_field (editor);

      /* Today is the likeliest date of an assessment or a follow-up. */
      awda_field_editor_set_draft_value (editor, field->type == AWDA_FIELD_DATE ? today : NULL);
    }
}

/**
 * awda_record_list_add:
 * @self: a #AwdaRecordList
 * @error: why the record was not created
 *
 * Creates a record of the case from the add form's values.
 *
 * Returns: (transfer full) (nullable): the new record's id
 */
char *
awda_record_list_add (AwdaRecordList  *self,
                      GError         **error)
{
  g_autoptr(AwdaEdit) edit = NULL;
  GtkListBoxRow *widget;
  gboolean ok;
  char *id;

  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), NULL);

  if (self->store == NULL || self->case_id == NULL)
    {
      g_set_error_literal (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                           _("There is no case to add this record to."));
      return NULL;
    }

  if (self->add_group != NULL && !awda_field_group_commit_pending (self->add_group, NULL, error))
    return NULL;

  edit = awda_edit_new (self->entity->name, NULL);
  awda_edit_set (edit, self->entity->parent_field, self->case_id);
  for (guint i = 0; self->add_group && i < awda_field_group_get_n_editors (self->add_group); i++)
    {
      AwdaFieldEditor *editor = awda_field_group_get_editor (self->add_group, i);

      awda_edit_set (edit, awda_field_editor_get_field_name (editor), awda_field_editor_get_value (editor));
    }

  ok = self->undo_stack ? awda_undo_stack_apply (self->undo_stack, edit, error)
                        : awda_store_apply (self->store, edit, error);
  if (!ok)
    return NULL;

  id = g_strdup (awda_edit_get_record (edit));
  reset_add_form (self);
  awda_record_list_reload (self);

  widget = g_hash_table_lookup (self->rows, id);
  if (widget != NULL)
    gtk_expander_set_expanded (row_of (widget)->expander, TRUE);

  emit_changed (self);
  return id;
}

static void
on_add_confirm_cb (AwdaRecordList *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = awda_record_list_add (self, &error);
  GtkListBoxRow *widget;

  if (id == NULL)
    {
      gtk_label_set_text (self->add_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), TRUE);
      return;
    }

  gtk_popover_popdown (self->add_popover);

  /* On with the new record's other fields. */
  widget = g_hash_table_lookup (self->rows, id);
  if (widget != NULL)
    gtk_widget_child_focus (GTK_WIDGET (ensure_fields (self, row_of (widget))), GTK_DIR_TAB_FORWARD);
}

static void
on_add_popover_show_cb (AwdaRecordList *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
  if (self->add_group != NULL)
    gtk_widget_child_focus (GTK_WIDGET (self->add_group), GTK_DIR_TAB_FORWARD);
}

/* The add form asks for what a record cannot be created without: its
 * required fields, but for the link to the case and those with a
 * default value. */
static void
build_add_form (AwdaRecordList *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < self->entity->n_fields; i++)
    {
      const AwdaField *field = &self->entity->fields[i];

      if (!(field->flags & AWDA_FIELD_REQUIRED) || field->default_value != NULL
          || g_strcmp0 (field->name, self->entity->parent_field) == 0)
        continue;
      if (names->len > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, field->name);
    }

  if (names->len == 0)
    return;

  self->add_group = awda_field_group_new (self->entity->name, names->str);
  for (guint i = 0; i < awda_field_group_get_n_editors (self->add_group); i++)
    {
      GtkWidget *control = awda_field_editor_get_control (awda_field_group_get_editor (self->add_group, i));

      /* Enter in the last entry adds, as in a dialog. */
      if (GTK_IS_ENTRY (control))
        gtk_entry_set_activates_default (GTK_ENTRY (control), TRUE);
    }
  gtk_box_prepend (self->add_fields_box, GTK_WIDGET (self->add_group));
  reset_add_form (self);
}

/* GObject */

static void
awda_record_list_constructed (GObject *object)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (object);

  G_OBJECT_CLASS (awda_record_list_parent_class)->constructed (object);

  self->entity = self->entity_name ? awda_dictionary_lookup_entity (self->entity_name) : NULL;
  if (self->entity == NULL || self->entity->parent_field == NULL)
    {
      g_critical ("AwdaRecordList: “%s” is not an entity of child records",
                  self->entity_name ? self->entity_name : "(null)");
      self->entity = NULL;
      return;
    }

  gtk_list_box_set_sort_func (self->list_box, sort_rows, self, NULL);
  gtk_list_box_set_header_func (self->list_box, update_header, self, NULL);
  build_add_form (self);
  update_empty (self);
}

static void
awda_record_list_dispose (GObject *object)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (object);
  GtkWidget *child;

  g_hash_table_remove_all (self->rows);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_RECORD_LIST);
  /* The template's children that have no name of ours. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->add_group = NULL;
  g_clear_object (&self->store);
  g_clear_object (&self->undo_stack);

  G_OBJECT_CLASS (awda_record_list_parent_class)->dispose (object);
}

static void
awda_record_list_finalize (GObject *object)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (object);

  g_free (self->entity_name);
  g_free (self->fields);
  g_free (self->title_fields);
  g_free (self->group_by);
  g_free (self->read_only);
  g_free (self->case_id);
  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (awda_record_list_parent_class)->finalize (object);
}

static void
awda_record_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_ENTITY:
      g_value_set_string (value, self->entity_name);
      break;
    case PROP_FIELDS:
      g_value_set_string (value, self->fields);
      break;
    case PROP_TITLE_FIELDS:
      g_value_set_string (value, self->title_fields);
      break;
    case PROP_GROUP_BY:
      g_value_set_string (value, self->group_by);
      break;
    case PROP_READ_ONLY:
      g_value_set_string (value, self->read_only);
      break;
    case PROP_TITLE:
      g_value_set_string (value, gtk_label_get_label (self->title_label));
      break;
    case PROP_ADD_LABEL:
      g_value_set_string (value, gtk_menu_button_get_label (self->add_button));
      break;
    case PROP_EMPTY_TEXT:
      g_value_set_string (value, gtk_label_get_label (self->empty_label));
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_UNDO_STACK:
      g_value_set_object (value, self->undo_stack);
      break;
    case PROP_CASE_ID:
      g_value_set_string (value, self->case_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_record_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AwdaRecordList *self = AWDA_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_ENTITY:
      self->entity_name = g_value_dup_string (value);
      break;
    case PROP_FIELDS:
      self->fields = g_value_dup_string (value);
      break;
    case PROP_TITLE_FIELDS:
      self->title_fields = g_value_dup_string (value);
      break;
    case PROP_GROUP_BY:
      self->group_by = g_value_dup_string (value);
      break;
    case PROP_READ_ONLY:
      self->read_only = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      gtk_label_set_label (self->title_label, g_value_get_string (value));
      break;
    case PROP_ADD_LABEL:
      gtk_menu_button_set_label (self->add_button, g_value_get_string (value));
      gtk_menu_button_set_use_underline (self->add_button, TRUE);
      break;
    case PROP_EMPTY_TEXT:
      gtk_label_set_label (self->empty_label, g_value_get_string (value));
      break;
    case PROP_STORE:
      awda_record_list_set_store (self, g_value_get_object (value));
      break;
    case PROP_UNDO_STACK:
      awda_record_list_set_undo_stack (self, g_value_get_object (value));
      break;
    case PROP_CASE_ID:
      awda_record_list_set_case_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_record_list_class_init (AwdaRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = awda_record_list_constructed;
  object_class->dispose = awda_record_list_dispose;
  object_class->finalize = awda_record_list_finalize;
  object_class->get_property = awda_record_list_get_property;
  object_class->set_property = awda_record_list_set_property;

  properties[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIELDS] =
    g_param_spec_string ("fields", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE_FIELDS] =
    g_param_spec_string ("title-fields", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_BY] =
    g_param_spec_string ("group-by", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_string ("read-only", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADD_LABEL] =
    g_param_spec_string ("add-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY_TEXT] =
    g_param_spec_string ("empty-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNDO_STACK] =
    g_param_spec_object ("undo-stack", NULL, NULL, AWDA_TYPE_UNDO_STACK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE_ID] =
    g_param_spec_string ("case-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaRecordList::changed:
   *
   * A record was added, removed or changed from the list.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * AwdaRecordList::update-row:
   * @extra_box: a #GtkBox in the row's header, for the holder's buttons
   * @fields: (nullable): the row's #AwdaFieldGroup, %NULL until the row
   *   is first expanded (it is emitted again then)
   * @record: (type gpointer): the row's #AwdaRecord, as stored now
   *
   * A row was made or its record changed: its buttons may change too.
   */
  signals[UPDATE_ROW] =
    g_signal_new ("update-row", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  GTK_TYPE_BOX, AWDA_TYPE_FIELD_GROUP, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-record-list.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, title_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, add_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, add_popover);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, add_fields_box);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, add_error_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, add_confirm_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, empty_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, frame);
  gtk_widget_class_bind_template_child (widget_class, AwdaRecordList, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_add_confirm_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_popover_show_cb);
}

static void
awda_record_list_init (AwdaRecordList *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
awda_record_list_get_entity (AwdaRecordList *self)
{
  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), NULL);
  return self->entity_name;
}

void
awda_record_list_set_store (AwdaRecordList *self,
                            AwdaStore      *store)
{
  g_return_if_fail (AWDA_IS_RECORD_LIST (self));

  if (!g_set_object (&self->store, store))
    return;
  if (self->add_group != NULL)
    awda_field_group_set_store (self->add_group, store);
  /* Rows belong to one store: start again. */
  awda_list_box_remove_all (self->list_box);
  g_hash_table_remove_all (self->rows);
  awda_record_list_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
awda_record_list_set_undo_stack (AwdaRecordList *self,
                                 AwdaUndoStack  *undo_stack)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (AWDA_IS_RECORD_LIST (self));

  if (!g_set_object (&self->undo_stack, undo_stack))
    return;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (row_of (value)->fields != NULL)
      awda_field_group_set_undo_stack (row_of (value)->fields, undo_stack);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_STACK]);
}

const char *
awda_record_list_get_case_id (AwdaRecordList *self)
{
  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), NULL);
  return self->case_id;
}

void
awda_record_list_set_case_id (AwdaRecordList *self,
                              const char     *case_id)
{
  g_return_if_fail (AWDA_IS_RECORD_LIST (self));

  if (g_strcmp0 (self->case_id, case_id) == 0)
    return;
  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
  /* Another case: its own rows, none expanded. */
  awda_list_box_remove_all (self->list_box);
  g_hash_table_remove_all (self->rows);
  reset_add_form (self);
  awda_record_list_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

guint
awda_record_list_get_n_records (AwdaRecordList *self)
{
  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), 0);
  return g_hash_table_size (self->rows);
}

GPtrArray *
awda_record_list_get_record_ids (AwdaRecordList *self)
{
  GPtrArray *ids = g_ptr_array_new ();

  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), ids);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_of (GTK_LIST_BOX_ROW (child)) != NULL)
      g_ptr_array_add (ids, row_of (GTK_LIST_BOX_ROW (child))->id);
  return ids;
}

/**
 * awda_record_list_get_group:
 *
 * Returns: (transfer none) (nullable): the field editors of the record's row
 */
AwdaFieldGroup *
awda_record_list_get_group (AwdaRecordList *self,
                            const char     *record_id)
{
  GtkListBoxRow *widget;

  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), NULL);

  widget = g_hash_table_lookup (self->rows, record_id);
  return widget ? ensure_fields (self, row_of (widget)) : NULL;
}

/**
 * awda_record_list_get_row:
 *
 * Returns: (transfer none) (nullable): the #GtkListBoxRow of the record
 */
GtkWidget *
awda_record_list_get_row (AwdaRecordList *self,
                          const char     *record_id)
{
  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), NULL);
  return g_hash_table_lookup (self->rows, record_id);
}

void
awda_record_list_set_expanded (AwdaRecordList *self,
                               const char     *record_id,
                               gboolean        expanded)
{
  GtkListBoxRow *widget;

  g_return_if_fail (AWDA_IS_RECORD_LIST (self));

  widget = g_hash_table_lookup (self->rows, record_id);
  if (widget != NULL)
    gtk_expander_set_expanded (row_of (widget)->expander, expanded);
}

void
awda_record_list_set_row_message (AwdaRecordList *self,
                                  const char     *record_id,
                                  const char     *message)
{
  GtkListBoxRow *widget;

  g_return_if_fail (AWDA_IS_RECORD_LIST (self));

  widget = g_hash_table_lookup (self->rows, record_id);
  if (widget == NULL)
    return;
  gtk_label_set_text (row_of (widget)->message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (row_of (widget)->message), message != NULL);
}

/**
 * awda_record_list_get_row_message:
 *
 * Returns: (nullable): the sentence shown under the record's row
 */
const char *
awda_record_list_get_row_message (AwdaRecordList *self,
                                  const char     *record_id)
{
  GtkListBoxRow *widget;

  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), NULL);

  widget = g_hash_table_lookup (self->rows, record_id);
  if (widget == NULL || !gtk_widget_get_visible (GTK_WIDGET (row_of (widget)->message)))
    return NULL;
  return gtk_label_get_text (row_of (widget)->message);
}

/**
 * awda_record_list_get_add_group:
 *
 * Returns: (transfer none) (nullable): the editors of the add form
 */
AwdaFieldGroup *
awda_record_list_get_add_group (AwdaRecordList *self)
{
  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), NULL);
  return self->add_group;
}

gboolean
awda_record_list_commit_pending (AwdaRecordList   *self,
                                 AwdaFieldEditor **refused,
                                 GError          **error)
{
  GHashTableIter iter;
  gpointer value;
  gboolean ok = TRUE;

  g_return_val_if_fail (AWDA_IS_RECORD_LIST (self), FALSE);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Row *row = row_of (value);

      if (row->fields == NULL)
        continue;
      if (!awda_field_group_commit_pending (row->fields, ok ? refused : NULL, ok ? error : NULL))
        {
          if (ok)
            gtk_expander_set_expanded (row->expander, TRUE);
          ok = FALSE;
        }
    }
  return ok;
}

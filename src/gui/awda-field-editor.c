/* awda-field-editor.c: edits one field of one record, saved as it is committed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The control follows the field's type in the data dictionary: an entry
 * for text and numbers, a framed text view for long text, an entry with a
 * calendar for dates, a drop-down for enumerations, references and
 * countries, a switch for booleans. A value is written when it is
 * committed (Enter, the focus leaving, a choice made, the widget going
 * out of view), through the open case's undo stack, so that Ctrl+Z takes
 * it back. A refused value stays as typed, with the dictionary's sentence
 * under it; nothing is written. Without a record id the editor holds a
 * draft: it validates, and whoever creates the record reads the value.
 *
 * The widgets' own undo is turned off: in this editor Ctrl+Z means the
 * last change to the case (see AwdaCaseEditor), and typing not yet
 * committed is taken back as a whole.
 */

#define G_LOG_DOMAIN "awda-field-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "awda-field-editor.h"
#include "awda-format.h"
#include "awda-iso-tables.h"
#include "awda-workflow.h"

typedef enum
{
  CONTROL_ENTRY,
  CONTROL_TEXT_VIEW,
  CONTROL_DROP_DOWN,
  CONTROL_SWITCH,
} ControlKind;

struct _AwdaFieldEditor
{
  GtkWidget         parent_instance;

  /* template widgets */
  GtkLabel         *label;
  GtkBox           *control_box;
  GtkLabel         *message_label;

  /* owned */
  AwdaStore        *store;
  AwdaUndoStack    *undo_stack;
  char             *entity_name;
  char             *field_name;
  char             *record_id;
  char             *value;          /* canonical: as stored, or the draft's */
  char             *message;
  GPtrArray        *choice_values;  /* char *, NULL for none; position for position */
  GStrv             excluded;

  /* borrowed */
  const AwdaEntity *entity;
  const AwdaField  *field;
  GtkWidget        *control;        /* the focusable control */
  GtkMenuButton    *date_button;
  GtkCalendar      *calendar;
  GtkLabel         *external_label;

  ControlKind       kind;
  int               calendar_year;
  int               calendar_month;
  gboolean          editable;
  gboolean          loading;        /* the control is being set by us */
  gboolean          committing;
  gboolean          in_selection;   /* within the drop-down's notify::selected */
  guint             rebuild_id;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_UNDO_STACK,
  PROP_ENTITY,
  PROP_FIELD,
  PROP_RECORD_ID,
  PROP_EDITABLE,
  PROP_SHOW_LABEL,
  N_PROPS
};

enum {
  COMMITTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaFieldEditor, awda_field_editor, GTK_TYPE_WIDGET)

/* Formatting */

static char *
format_amount (const char *value)
{
  const struct lconv *conv = localeconv ();
  gint64 thousandths;
  g_autofree char *fraction = NULL;
  GString *text;
  gint64 whole;

  if (!awda_amount_parse (value, &thousandths))
    return g_strdup (value);

  whole = thousandths / 1000;
  /* The ' flag: the locale's thousands separator. */
  text = g_string_new (NULL);
  g_string_printf (text, "%'" G_GINT64_FORMAT, whole);
  if (thousandths % 1000 != 0)
    {
      fraction = g_strdup_printf ("%03" G_GINT64_FORMAT, thousandths % 1000);
      while (fraction[strlen (fraction) - 1] == '0')
        fraction[strlen (fraction) - 1] = '\0';
      g_string_append (text, conv->decimal_point && *conv->decimal_point ? conv->decimal_point : ".");
      g_string_append (text, fraction);
    }
  return g_string_free (text, FALSE);
}

static char *
reference_name (AwdaStore       *store,
                const AwdaField *field,
                const char      *id)
{
  g_autoptr(AwdaRecord) record = NULL;
  const char *name;

  if (store == NULL)
    return g_strdup (id);
  record = awda_store_get_record (store, field->reference, id, NULL);
  if (record == NULL)
    return g_strdup (id);
  name = awda_record_get (record, "name");
  return g_strdup (name != NULL ? name : id);
}

static const char *
country_name (const char *code)
{
  for (const AwdaIsoEntry *c = awda_iso_countries; c->value != NULL; c++)
    if (strcmp (c->value, code) == 0)
      return g_dgettext (AWDA_ISO_3166_1_DOMAIN, c->label);
  return code;
}

/**
 * awda_field_format_value:
 * @store: (nullable): the store, to name referenced records
 * @field: a field of the dictionary
 * @value: (nullable): a stored value of @field
 *
 * Returns: (transfer full): @value as a person reads it, in the user's
 *   language: labels for choices, names for references, dates and amounts
 *   in the locale's form; "" when unset
 */
char *
awda_field_format_value (AwdaStore       *store,
                         const AwdaField *field,
                         const char      *value)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (value == NULL || *value == '\0')
    return g_strdup ("");

  switch (field->type)
    {
    case AWDA_FIELD_ENUM:
      return g_strdup (awda_format_enum_value (field, value));
    case AWDA_FIELD_COUNTRY:
      return g_strdup (country_name (value));
    case AWDA_FIELD_REFERENCE:
      return reference_name (store, field, value);
    case AWDA_FIELD_BOOLEAN:
      return g_strdup (strcmp (value, "true") == 0 ? _("Yes") : _("No"));
    case AWDA_FIELD_DATE:
      return awda_format_date (value);
    case AWDA_FIELD_AMOUNT:
      return format_amount (value);
    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_INTEGER:
    default:
      return g_strdup (value);
    }
}

/**
 * awda_field_editor_today:
 *
 * Returns: (transfer full): today's date, YYYY-MM-DD, in local time
 */
char *
awda_field_editor_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* The control's text for a value */
static char *
display_text (AwdaFieldEditor *self,
              const char      *value)
{
  if (value == NULL)
    return g_strdup ("");

  if (self->field->type == AWDA_FIELD_AMOUNT)
    {
      const struct lconv *conv = localeconv ();

      /* The entry takes either separator: show the locale's, without
       * grouping, so that what is shown can be typed again. */
      if (conv->decimal_point != NULL && strcmp (conv->decimal_point, ",") == 0)
        {
          char *text = g_strdup (value);

          g_strdelimit (text, ".", ',');
          return text;
        }
    }

  return g_strdup (value);
}

/* Messages */

static void
show_message (AwdaFieldEditor *self,
              const char      *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "invalid");

  if (self->control != NULL)
    {
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->control),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->control),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->message_label, NULL,
                                      -1);
    }
}

static void
clear_message (AwdaFieldEditor *self)
{
  if (self->message == NULL)
    return;

  g_clear_pointer (&self->message, g_free);
  gtk_label_set_text (self->message_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "invalid");

  if (self->control != NULL)
    {
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->control), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->control), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

/* Choices */

typedef struct
{
  char *value;
  char *label;
  char *key;
} Choice;

static void
choice_clear (Choice *choice)
{
  g_free (choice->value);
  g_free (choice->label);
  g_free (choice->key);
}

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Choice *) a)->key, ((const Choice *) b)->key);
}

/* The countries by their names in the user's language, sorted once: the
 * language does not change while the program runs. */
static const GArray *
sorted_countries (void)
{
  static GArray *countries;

  if (g_once_init_enter (&countries))
    {
      GArray *sorted = g_array_new (FALSE, FALSE, sizeof (Choice));

      for (const AwdaIsoEntry *c = awda_iso_countries; c->value != NULL; c++)
        {
          const char *label = g_dgettext (AWDA_ISO_3166_1_DOMAIN, c->label);
          Choice choice = { g_strdup (c->value), g_strdup (label), g_utf8_collate_key (label, -1) };

          g_array_append_val (sorted, choice);
        }
      g_array_sort (sorted, compare_choices);
      g_once_init_leave (&countries, sorted);
    }
  return countries;
}

static gboolean
is_excluded (AwdaFieldEditor *self,
             const char      *value)
{
  return self->excluded != NULL && g_strv_contains ((const char * const *) self->excluded, value);
}

static void
add_choice (GArray     *choices,
            const char *value,
            const char *label)
{
  Choice choice = { g_strdup (value), g_strdup (label), g_utf8_collate_key (label, -1) };

  g_array_append_val (choices, choice);
}

static void build_choices (AwdaFieldEditor *self,
                           const char      *selected);
static char *get_control_text (AwdaFieldEditor *self);

static gboolean
rebuild_choices_cb (gpointer user_data)
{
  AwdaFieldEditor *self = user_data;
  g_autofree char *typed = NULL;

  self->rebuild_id = 0;
  if (self->control == NULL)
    return G_SOURCE_REMOVE;
  typed = get_control_text (self);
  build_choices (self, *typed ? typed : NULL);
  return G_SOURCE_REMOVE;
}

/* Rebuilds the drop-down's list (reference data changes, a value may be
 * excluded) and selects @selected. */
static void
build_choices (AwdaFieldEditor *self,
               const char      *selected)
{
  g_autoptr(GArray) choices = g_array_new (FALSE, FALSE, sizeof (Choice));
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkDropDown *dropdown = GTK_DROP_DOWN (self->control);
  gboolean sorted = FALSE;
  guint position = 0;

  /* Not while the drop-down reports a choice: its model would go away
   * under it. Once it is done. */
  if (self->in_selection)
    {
      if (self->rebuild_id == 0)
        self->rebuild_id = g_idle_add (rebuild_choices_cb, self);
      return;
    }

  g_array_set_clear_func (choices, (GDestroyNotify) choice_clear);

  switch (self->field->type)
    {
    case AWDA_FIELD_ENUM:
      for (const AwdaEnumValue *v = self->field->values; v->value != NULL; v++)
        if (!is_excluded (self, v->value) || g_strcmp0 (v->value, selected) == 0)
          add_choice (choices, v->value, awda_format_enum_value (self->field, v->value));
      /* Governorates read best in alphabetical order, stages in theirs. */
      sorted = self->field->values_domain != NULL;
      break;

    case AWDA_FIELD_COUNTRY:
      {
        /* Some 250 names to sort: once. */
        const GArray *countries = sorted_countries ();

        for (guint i = 0; i < countries->len; i++)
          {
            const Choice *c = &g_array_index (countries, Choice, i);
            Choice copy = { g_strdup (c->value), g_strdup (c->label), NULL };

            g_array_append_val (choices, copy);
          }
      }
      break;

    case AWDA_FIELD_REFERENCE:
      if (self->store != NULL)
        {
          g_autoptr(GPtrArray) records = NULL;
          g_autoptr(GError) error = NULL;

          records = awda_store_list_records (self->store, self->field->reference, &error);
          if (records == NULL)
            show_message (self, error->message);
          for (guint i = 0; records != NULL && i < records->len; i++)
            {
              const AwdaRecord *record = g_ptr_array_index (records, i);
              const char *name = awda_record_get (record, "name");

              add_choice (choices, record->id, name != NULL ? name : record->id);
            }
        }
      sorted = TRUE;
      break;

    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_INTEGER:
    case AWDA_FIELD_AMOUNT:
    case AWDA_FIELD_DATE:
    case AWDA_FIELD_BOOLEAN:
    default:
      g_assert_not_reached ();
    }

  if (sorted)
    g_array_sort (choices, compare_choices);

  g_ptr_array_set_size (self->choice_values, 0);

  /* No value yet, or one that may be cleared: a first item for none. */
  if (!(self->field->flags & AWDA_FIELD_REQUIRED) || selected == NULL)
    {
      gtk_string_list_append (labels, _("Not set"));
      g_ptr_array_add (self->choice_values, NULL);
    }

  {
    g_autofree const char **strings = g_new0 (const char *, choices->len + 1);

    for (guint i = 0; i < choices->len; i++)
      {
        Choice *choice = &g_array_index (choices, Choice, i);

        if (g_strcmp0 (choice->value, selected) == 0)
          position = self->choice_values->len;
        strings[i] = choice->label;
        g_ptr_array_add (self->choice_values, g_strdup (choice->value));
      }
    gtk_string_list_splice (labels, g_list_model_get_n_items (G_LIST_MODEL (labels)), 0, strings);
  }

  /* A value this list does not hold (a record no longer there, a value
   * from a newer Awda) is shown as it is rather than lost. */
  if (selected != NULL && position == 0 && g_strcmp0 (g_ptr_array_index (self->choice_values, 0), selected) != 0)
    {
      g_autofree char *shown = awda_field_format_value (self->store, self->field, selected);

      position = self->choice_values->len;
      gtk_string_list_append (labels, shown);
      g_ptr_array_add (self->choice_values, g_strdup (selected));
    }

  self->loading = TRUE;
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_enable_search (dropdown, self->choice_values->len > 12);
  gtk_drop_down_set_selected (dropdown, position);
  self->loading = FALSE;
}

/* The control */

static const char *
selected_choice (AwdaFieldEditor *self)
{
  guint position = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->control));

  if (position >= self->choice_values->len)
    return NULL;
  return g_ptr_array_index (self->choice_values, position);
}

static char *
get_control_text (AwdaFieldEditor *self)
{
  switch (self->kind)
    {
    case CONTROL_ENTRY:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->control)));

    case CONTROL_TEXT_VIEW:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->control));
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      }

    case CONTROL_DROP_DOWN:
      return g_strdup (selected_choice (self) ? selected_choice (self) : "");

    case CONTROL_SWITCH:
      return g_strdup (gtk_switch_get_active (GTK_SWITCH (self->control)) ? "true" : "false");

    default:
      g_assert_not_reached ();
    }
}

/* What the user means: the control's text, with a date typed the
 * locale's way turned into the stored form. */
static char *
get_typed_value (AwdaFieldEditor *self)
{
  char *text = get_control_text (self);

  if (self->field->type == AWDA_FIELD_DATE)
    {
      char *iso = awda_parse_date (g_strstrip (text));

      /* Not a date: the store says why, with the text as typed. */
      if (iso != NULL)
        {
          g_free (text);
          return iso;
        }
    }
  return text;
}

/* Selects @value in the drop-down's list as it is; FALSE when the list
 * does not offer it (or offers no item for none). */
static gboolean
select_choice (AwdaFieldEditor *self,
               const char      *value)
{
  for (guint i = 0; i < self->choice_values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->choice_values, i), value) == 0)
      {
        gboolean loading = self->loading;

        self->loading = TRUE;
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->control), i);
        self->loading = loading;
        return TRUE;
      }
  return FALSE;
}

static void
show_value (AwdaFieldEditor *self,
            const char      *value)
{
  g_autofree char *text = display_text (self, value);

  self->loading = TRUE;
  switch (self->kind)
    {
    case CONTROL_ENTRY:
      gtk_editable_set_text (GTK_EDITABLE (self->control), text);
      break;

    case CONTROL_TEXT_VIEW:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->control)), text, -1);
      break;

    case CONTROL_DROP_DOWN:
      if (!select_choice (self, value))
        build_choices (self, value);
      break;

    case CONTROL_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (self->control), g_strcmp0 (value, "true") == 0);
      break;

    default:
      g_assert_not_reached ();
    }
  self->loading = FALSE;
}

/* Whether two canonical values mean the same: an unset boolean reads as
 * false, as its switch shows it. */
static gboolean
same_value (AwdaFieldEditor *self,
            const char      *a,
            const char      *b)
{
  if (a != NULL && *a == '\0')
    a = NULL;
  if (b != NULL && *b == '\0')
    b = NULL;
  if (self->field->type == AWDA_FIELD_BOOLEAN)
    {
      a = a ? a : "false";
      b = b ? b : "false";
    }
  return g_strcmp0 (a, b) == 0;
}

/**
 * awda_field_editor_has_pending:
 * @self: a #AwdaFieldEditor
 *
 * Returns: whether the control holds something else than the value: typed
 *   and not committed yet, or refused
 */
gboolean
awda_field_editor_has_pending (AwdaFieldEditor *self)
{
  g_autofree char *typed = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), FALSE);

  if (self->field == NULL || self->control == NULL)
    return FALSE;

  typed = get_typed_value (self);
  canonical = awda_field_normalize (self->entity, self->field, typed, NULL);
  if (canonical == NULL)
    return TRUE;
  return !same_value (self, canonical, self->value);
}

static gboolean
write_value (AwdaFieldEditor  *self,
             const char       *canonical,
             GError          **error)
{
  g_autoptr(AwdaEdit) edit = NULL;

  /* Removing personal data never needs consent; saving it does. */
  if (*canonical != '\0' && (self->field->flags & AWDA_FIELD_PERSONAL)
      && strcmp (self->entity->name, "case") == 0
      && !awda_workflow_check_consent (self->store, self->record_id, NULL, NULL, self->field->name, error))
    return FALSE;

  edit = awda_edit_new (self->entity->name, self->record_id);
  awda_edit_set (edit, self->field->name, *canonical != '\0' ? canonical : NULL);

  if (self->undo_stack != NULL)
    return awda_undo_stack_apply (self->undo_stack, edit, error);
  return awda_store_apply (self->store, edit, error);
}

static gboolean
commit (AwdaFieldEditor  *self,
        gboolean          notify,
        GError          **error)
{
  g_autofree char *typed = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->field == NULL || self->control == NULL || !self->editable || self->committing)
    return TRUE;

  typed = get_typed_value (self);
  canonical = awda_field_normalize (self->entity, self->field, typed, &local_error);
  if (canonical == NULL)
    {
      show_message (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (same_value (self, canonical, self->value))
    {
      /* Nothing to write; show the value as stored (trimmed, say). */
      clear_message (self);
      if (self->kind == CONTROL_ENTRY || self->kind == CONTROL_TEXT_VIEW)
        {
          g_autofree char *text = get_control_text (self);
          g_autofree char *shown = display_text (self, self->value);

          if (g_strcmp0 (text, shown) != 0)
            show_value (self, self->value);
        }
      return TRUE;
    }

  if (self->record_id != NULL)
    {
      if (self->store == NULL)
        return TRUE;

      self->committing = TRUE;
      if (!write_value (self, canonical, &local_error))
        {
          self->committing = FALSE;
          show_message (self, local_error->message);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      self->committing = FALSE;
    }

  g_free (self->value);
  self->value = *canonical != '\0' ? g_steal_pointer (&canonical) : NULL;
  clear_message (self);
  if (self->kind == CONTROL_ENTRY || self->kind == CONTROL_TEXT_VIEW)
    show_value (self, self->value);

  if (notify)
    g_signal_emit (self, signals[COMMITTED], 0);
  return TRUE;
}

/**
 * awda_field_editor_commit:
 * @self: a #AwdaFieldEditor
 * @error: the dictionary's, the consent's or the store's refusal
 *
 * Writes what the control holds, if it is not the value already; a
 * refused value stays in the control, with its message under it.
 * Without a record, validates the draft.
 *
 * Returns: whether the control's value is now the stored one
 */
gboolean
awda_field_editor_commit (AwdaFieldEditor  *self,
                          GError          **error)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), FALSE);

  return commit (self, TRUE, error);
}

static void
commit_quietly (AwdaFieldEditor *self)
{
  commit (self, TRUE, NULL);
}

/**
 * awda_field_editor_revert:
 * @self: a #AwdaFieldEditor
 *
 * Shows the value again, dropping what was typed and its message.
 */
void
awda_field_editor_revert (AwdaFieldEditor *self)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));

  if (self->field == NULL || self->control == NULL)
    return;
  clear_message (self);
  show_value (self, self->value);
}

/* Shows the value of the field in @record (the store's, or none for a
 * draft), keeping in view what was typed and not saved yet. With
 * @refresh, the list of a reference is read again from the store. */
static void
load_from_record (AwdaFieldEditor  *self,
                  const AwdaRecord *record,
                  gboolean          refresh)
{
  g_autofree char *typed = NULL;
  gboolean pending;

  if (self->field == NULL || self->control == NULL)
    return;

  pending = self->message != NULL || awda_field_editor_has_pending (self);
  typed = pending ? get_control_text (self) : NULL;

  if (record != NULL)
    {
      g_free (self->value);
      self->value = g_strdup (awda_record_get (record, self->field->name));
    }
  else if (self->record_id != NULL)
    {
      g_clear_pointer (&self->value, g_free);
    }

  if (self->kind == CONTROL_DROP_DOWN && refresh && self->field->type == AWDA_FIELD_REFERENCE)
    {
      build_choices (self, pending ? (*typed ? typed : NULL) : self->value);
      return;
    }

  /* What was typed and not saved yet stays in view. */
  if (pending)
    {
      if (self->kind == CONTROL_DROP_DOWN && !select_choice (self, *typed ? typed : NULL))
        build_choices (self, *typed ? typed : NULL);
      return;
    }

  show_value (self, self->value);
}

static void
load_value (AwdaFieldEditor *self,
            gboolean         refresh)
{
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (self->field == NULL || self->control == NULL)
    return;

  if (self->store != NULL && self->record_id != NULL)
    {
      record = awda_store_get_record (self->store, self->entity->name, self->record_id, &error);
      if (record == NULL)
        {
          show_message (self, error->message);
          return;
        }
    }
  load_from_record (self, record, refresh);
}

/**
 * awda_field_editor_reload:
 * @self: a #AwdaFieldEditor
 *
 * Reads the value from the store again (an undo, a workflow action or a
 * sync changed it). Typing not committed yet stays in the control.
 */
void
awda_field_editor_reload (AwdaFieldEditor *self)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));

  load_value (self, TRUE);
}

/**
 * awda_field_editor_reload_from:
 * @self: a #AwdaFieldEditor
 * @record: its record, as just read from the store
 *
 * Like awda_field_editor_reload(), with the record at hand.
 */
void
awda_field_editor_reload_from (AwdaFieldEditor  *self,
                               const AwdaRecord *record)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));
  g_return_if_fail (record != NULL && g_strcmp0 (record->id, self->record_id) == 0);

  load_from_record (self, record, TRUE);
}

/**
 * awda_field_editor_load:
 * @self: a #AwdaFieldEditor
 * @record_id: (nullable): the record to edit
 * @record: (nullable): that record as just read, to save reading it once
 *   per field (a form reads it once for all)
 *
 * Like awda_field_editor_set_record_id(), with the record at hand.
 */
void
awda_field_editor_load (AwdaFieldEditor  *self,
                        const char       *record_id,
                        const AwdaRecord *record)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));
  g_return_if_fail (record == NULL || g_strcmp0 (record->id, record_id) == 0);

  if (g_strcmp0 (self->record_id, record_id) != 0)
    {
      if (self->record_id != NULL && self->store != NULL && awda_field_editor_has_pending (self))
        commit (self, TRUE, NULL);

      g_free (self->record_id);
      self->record_id = g_strdup (record_id);
      g_clear_pointer (&self->value, g_free);
      clear_message (self);
      if (self->control != NULL)
        show_value (self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);
    }

  if (record != NULL)
    load_from_record (self, record, FALSE);
  else
    load_value (self, FALSE);
}

/* Signals of the controls */

static void
on_entry_activate_cb (AwdaFieldEditor *self)
{
  commit_quietly (self);
}

static void
on_focus_leave_cb (AwdaFieldEditor *self)
{
  commit_quietly (self);
}

static void
on_selected_cb (AwdaFieldEditor *self)
{
  if (self->loading || self->in_selection)
    return;
  self->in_selection = TRUE;
  commit_quietly (self);
  self->in_selection = FALSE;
}

static void
on_switch_active_cb (AwdaFieldEditor *self)
{
  if (!self->loading)
    commit_quietly (self);
}

/* Escape takes back what was typed; Ctrl+Enter commits long text. */
static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   AwdaFieldEditor       *self)
{
  if (keyval == GDK_KEY_Escape && awda_field_editor_has_pending (self))
    {
      awda_field_editor_revert (self);
      return TRUE;
    }
  if (self->kind == CONTROL_TEXT_VIEW
      && (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
      && (state & GDK_CONTROL_MASK))
    {
      commit_quietly (self);
      return TRUE;
    }
  return FALSE;
}

static void
on_calendar_shown_cb (AwdaFieldEditor *self)
{
  g_autofree char *typed = get_typed_value (self);
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;

  if (!awda_date_parse (g_strstrip (typed), &year, &month, &day))
    {
      date = g_date_time_new_now_local ();
      year = g_date_time_get_year (date);
      month = g_date_time_get_month (date);
      day = g_date_time_get_day_of_month (date);
      g_clear_pointer (&date, g_date_time_unref);
    }
  date = g_date_time_new_local (year, month, day, 12, 0, 0);

  self->loading = TRUE;
  gtk_calendar_select_day (self->calendar, date);
  self->loading = FALSE;
  self->calendar_year = year;
  self->calendar_month = month;
}

/* The calendar also reports a day when its month or year is changed: a
 * day is picked when it is another day of the same month. */
static void
on_day_selected_cb (AwdaFieldEditor *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = NULL;
  int year = g_date_time_get_year (date);
  int month = g_date_time_get_month (date);

  if (self->loading)
    return;

  if (year != self->calendar_year || month != self->calendar_month)
    {
      self->calendar_year = year;
      self->calendar_month = month;
      return;
    }

  text = g_date_time_format (date, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (self->control), text);
  gtk_menu_button_popdown (self->date_button);
  commit_quietly (self);
}

static void
add_focus_controller (AwdaFieldEditor *self,
                      GtkWidget       *widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave_cb), self);
  gtk_widget_add_controller (widget, focus);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (widget, keys);
}

static ControlKind
control_kind (const AwdaField *field)
{
  switch (field->type)
    {
    case AWDA_FIELD_TEXT:
      return (field->flags & AWDA_FIELD_MULTILINE) ? CONTROL_TEXT_VIEW : CONTROL_ENTRY;
    case AWDA_FIELD_INTEGER:
    case AWDA_FIELD_AMOUNT:
    case AWDA_FIELD_DATE:
      return CONTROL_ENTRY;
    case AWDA_FIELD_ENUM:
    case AWDA_FIELD_REFERENCE:
    case AWDA_FIELD_COUNTRY:
      return CONTROL_DROP_DOWN;
    case AWDA_FIELD_BOOLEAN:
      return CONTROL_SWITCH;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_left_to_right (const AwdaField *field)
{
  static const char *const ltr_text[] = { "phone", "national_id", NULL };

  return field->type == AWDA_FIELD_INTEGER || field->type == AWDA_FIELD_AMOUNT
         || field->type == AWDA_FIELD_DATE
         || g_strv_contains (ltr_text, field->name);
}

/* The direction of the text typed, on the control and on the text widget
 * inside an entry (a child does not take its parent's direction). Arabic
 * script starts on the right in any interface; numbers in an Arabic
 * interface keep to the right too, with the form. */
static void
set_text_direction (AwdaFieldEditor  *self,
                    GtkTextDirection  direction)
{
  gboolean flipped = direction == GTK_TEXT_DIR_LTR && gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL;

  gtk_widget_set_direction (self->control, direction);
  if (GTK_IS_EDITABLE (self->control))
    {
      GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->control));

      if (delegate != NULL)
        gtk_widget_set_direction (GTK_WIDGET (delegate), direction);
      gtk_editable_set_alignment (GTK_EDITABLE (self->control), flipped ? 1.0 : 0.0);
    }
}

static void
build_date_button (AwdaFieldEditor *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();
  GtkWidget *button = gtk_menu_button_new ();

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (on_calendar_shown_cb), self);
  g_signal_connect_swapped (calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_tooltip_text (button, _("Choose a date"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a date"),
                                  -1);

  gtk_box_append (self->control_box, button);
  self->date_button = GTK_MENU_BUTTON (button);
  self->calendar = GTK_CALENDAR (calendar);
}

static void
build_control (AwdaFieldEditor *self)
{
  const AwdaField *field = self->field;

  self->kind = control_kind (field);

  switch (self->kind)
    {
    case CONTROL_ENTRY:
      self->control = gtk_entry_new ();
      gtk_widget_set_hexpand (self->control, TRUE);
      gtk_editable_set_enable_undo (GTK_EDITABLE (self->control), FALSE);
      g_signal_connect_swapped (self->control, "activate", G_CALLBACK (on_entry_activate_cb), self);
      add_focus_controller (self, self->control);
      gtk_box_append (self->control_box, self->control);

      if (field->type == AWDA_FIELD_INTEGER)
        gtk_entry_set_input_purpose (GTK_ENTRY (self->control), GTK_INPUT_PURPOSE_DIGITS);
      else if (field->type == AWDA_FIELD_AMOUNT)
        gtk_entry_set_input_purpose (GTK_ENTRY (self->control), GTK_INPUT_PURPOSE_NUMBER);
      else if (g_str_equal (field->name, "phone"))
        gtk_entry_set_input_purpose (GTK_ENTRY (self->control), GTK_INPUT_PURPOSE_PHONE);

      if (field->type == AWDA_FIELD_INTEGER || field->type == AWDA_FIELD_AMOUNT)
        gtk_editable_set_width_chars (GTK_EDITABLE (self->control), 12);

      if (field->type == AWDA_FIELD_DATE)
        {
          /* Translators: the form of a date typed in a date field; a
           * date in the locale's own order is understood too. */
          gtk_entry_set_placeholder_text (GTK_ENTRY (self->control), _("YYYY-MM-DD"));
          gtk_editable_set_width_chars (GTK_EDITABLE (self->control), 12);
          gtk_widget_set_hexpand (self->control, FALSE);
          build_date_button (self);
        }
      break;

    case CONTROL_TEXT_VIEW:
      {
        GtkWidget *frame = gtk_frame_new (NULL);
        GtkWidget *scrolled = gtk_scrolled_window_new ();
        GtkTextBuffer *buffer;

        self->control = gtk_text_view_new ();
        buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->control));
        gtk_text_buffer_set_enable_undo (buffer, FALSE);
        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->control), GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (self->control), FALSE);
        gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->control), 6);
        gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->control), 6);
        gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->control), 8);
        gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->control), 8);
        add_focus_controller (self, self->control);

        gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
        gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 64);
        gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
        gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
        gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->control);
        gtk_frame_set_child (GTK_FRAME (frame), scrolled);
        gtk_widget_set_hexpand (frame, TRUE);
        gtk_widget_add_css_class (frame, "view");
        gtk_box_append (self->control_box, frame);
      }
      break;

    case CONTROL_DROP_DOWN:
      {
        GtkExpression *expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

        self->control = gtk_drop_down_new (NULL, expression);
        gtk_widget_set_hexpand (self->control, TRUE);
        g_signal_connect_swapped (self->control, "notify::selected", G_CALLBACK (on_selected_cb), self);
        gtk_box_append (self->control_box, self->control);
        build_choices (self, NULL);
      }
      break;

    case CONTROL_SWITCH:
      self->control = gtk_switch_new ();
      gtk_widget_set_halign (self->control, GTK_ALIGN_START);
      gtk_widget_set_valign (self->control, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (self->control, "notify::active", G_CALLBACK (on_switch_active_cb), self);
      gtk_box_append (self->control_box, self->control);
      break;

    default:
      g_assert_not_reached ();
    }

  /* Names in Arabic script are typed right to left, whatever the
   * language of the interface; numbers, dates and phone numbers left to
   * right (an Arabic interface would show “+216 98 123 456” as
   * “456 123 98 216+”), on the side where the interface's text starts. */
  if (g_str_has_suffix (field->name, "_ar"))
    set_text_direction (self, GTK_TEXT_DIR_RTL);
  else if (self->kind == CONTROL_ENTRY && is_left_to_right (field))
    set_text_direction (self, GTK_TEXT_DIR_LTR);

  gtk_label_set_mnemonic_widget (self->label, self->control);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->control),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->label, NULL,
                                  -1);
}

static char *
mnemonic_label (const char *label)
{
  g_autofree char *escaped = NULL;
  char **parts = g_strsplit (label, "_", -1);

  escaped = g_strjoinv ("__", parts);
  g_strfreev (parts);
  return g_strconcat ("_", escaped, NULL);
}

static void
awda_field_editor_constructed (GObject *object)
{
  AwdaFieldEditor *self = AWDA_FIELD_EDITOR (object);
  g_autofree char *label = NULL;

  G_OBJECT_CLASS (awda_field_editor_parent_class)->constructed (object);

  self->entity = self->entity_name ? awda_dictionary_lookup_entity (self->entity_name) : NULL;
  self->field = self->entity && self->field_name ? awda_entity_lookup_field (self->entity, self->field_name) : NULL;
  if (self->field == NULL)
    {
      g_critical ("AwdaFieldEditor: the dictionary has no field “%s” of “%s”",
                  self->field_name ? self->field_name : "(null)",
                  self->entity_name ? self->entity_name : "(null)");
      return;
    }

  label = mnemonic_label (_(self->field->label));
  gtk_label_set_text_with_mnemonic (self->label, label);
  gtk_widget_add_css_class (GTK_WIDGET (self), self->field->name);

  build_control (self);
  load_value (self, FALSE);
  awda_field_editor_set_editable (self, self->editable);
}

static void
awda_field_editor_unmap (GtkWidget *widget)
{
  AwdaFieldEditor *self = AWDA_FIELD_EDITOR (widget);

  /* Out of view (another page, the window closing): saved. */
  if (awda_field_editor_has_pending (self) && self->message == NULL)
    commit_quietly (self);

  GTK_WIDGET_CLASS (awda_field_editor_parent_class)->unmap (widget);
}

static void
awda_field_editor_dispose (GObject *object)
{
  AwdaFieldEditor *self = AWDA_FIELD_EDITOR (object);

  /* The last chance for what was typed: a valid value is saved; one
   * that cannot be is reported, without the value (it may be personal). */
  if (self->store != NULL && self->record_id != NULL && awda_field_editor_has_pending (self))
    {
      g_autoptr(GError) error = NULL;

      if (!commit (self, FALSE, &error))
        g_message ("A value typed in field %s of %s %s was not saved: %s",
                   self->field->name, self->entity->name, self->record_id,
                   g_error_matches (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_NEEDS_CONSENT)
                   ? "no consent" : "refused");
    }

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_FIELD_EDITOR);
  self->control = NULL;
  self->date_button = NULL;
  self->calendar = NULL;
  self->external_label = NULL;

  g_clear_object (&self->undo_stack);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (awda_field_editor_parent_class)->dispose (object);
}

static void
awda_field_editor_finalize (GObject *object)
{
  AwdaFieldEditor *self = AWDA_FIELD_EDITOR (object);

  g_free (self->entity_name);
  g_free (self->field_name);
  g_free (self->record_id);
  g_free (self->value);
  g_free (self->message);
  g_ptr_array_unref (self->choice_values);
  g_strfreev (self->excluded);

  G_OBJECT_CLASS (awda_field_editor_parent_class)->finalize (object);
}

static void
awda_field_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AwdaFieldEditor *self = AWDA_FIELD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_UNDO_STACK:
      g_value_set_object (value, self->undo_stack);
      break;
    case PROP_ENTITY:
      g_value_set_string (value, self->entity_name);
      break;
    case PROP_FIELD:
      g_value_set_string (value, self->field_name);
      break;
    case PROP_RECORD_ID:
      g_value_set_string (value, self->record_id);
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    case PROP_SHOW_LABEL:
      g_value_set_boolean (value, gtk_widget_get_visible (GTK_WIDGET (self->label)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_field_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AwdaFieldEditor *self = AWDA_FIELD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      awda_field_editor_set_store (self, g_value_get_object (value));
      break;
    case PROP_UNDO_STACK:
      awda_field_editor_set_undo_stack (self, g_value_get_object (value));
      break;
    case PROP_ENTITY:
      self->entity_name = g_value_dup_string (value);
      break;
    case PROP_FIELD:
      self->field_name = g_value_dup_string (value);
      break;
    case PROP_RECORD_ID:
      awda_field_editor_set_record_id (self, g_value_get_string (value));
      break;
    case PROP_EDITABLE:
      awda_field_editor_set_editable (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_LABEL:
      gtk_widget_set_visible (GTK_WIDGET (self->label), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_field_editor_class_init (AwdaFieldEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = awda_field_editor_constructed;
  object_class->dispose = awda_field_editor_dispose;
  object_class->finalize = awda_field_editor_finalize;
  object_class->get_property = awda_field_editor_get_property;
  object_class->set_property = awda_field_editor_set_property;
  widget_class->unmap = awda_field_editor_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNDO_STACK] =
    g_param_spec_object ("undo-stack", NULL, NULL, AWDA_TYPE_UNDO_STACK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIELD] =
    g_param_spec_string ("field", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_LABEL] =
    g_param_spec_boolean ("show-label", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaFieldEditor::committed:
   *
   * A value was written to the store (or, in a draft, accepted).
   */
  signals[COMMITTED] =
    g_signal_new ("committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-field-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaFieldEditor, label);
  gtk_widget_class_bind_template_child (widget_class, AwdaFieldEditor, control_box);
  gtk_widget_class_bind_template_child (widget_class, AwdaFieldEditor, message_label);
  gtk_widget_class_set_css_name (widget_class, "fieldeditor");
}

static void
awda_field_editor_init (AwdaFieldEditor *self)
{
  self->choice_values = g_ptr_array_new_with_free_func (g_free);
  self->editable = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * awda_field_editor_new:
 * @entity: an entity of the dictionary
 * @field: one of its fields
 *
 * Returns: (transfer floating): a new editor, without a record yet
 */
AwdaFieldEditor *
awda_field_editor_new (const char *entity,
                       const char *field)
{
  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  return g_object_new (AWDA_TYPE_FIELD_EDITOR,
                       "entity", entity,
                       "field", field,
                       NULL);
}

const char *
awda_field_editor_get_entity_name (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->entity_name;
}

const char *
awda_field_editor_get_field_name (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->field_name;
}

const AwdaField *
awda_field_editor_get_field (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->field;
}

AwdaStore *
awda_field_editor_get_store (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->store;
}

void
awda_field_editor_set_store (AwdaFieldEditor *self,
                             AwdaStore       *store)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));
  g_return_if_fail (store == NULL || AWDA_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  load_value (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

AwdaUndoStack *
awda_field_editor_get_undo_stack (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->undo_stack;
}

void
awda_field_editor_set_undo_stack (AwdaFieldEditor *self,
                                  AwdaUndoStack   *undo_stack)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));
  g_return_if_fail (undo_stack == NULL || AWDA_IS_UNDO_STACK (undo_stack));

  if (g_set_object (&self->undo_stack, undo_stack))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_STACK]);
}

const char *
awda_field_editor_get_record_id (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->record_id;
}

/* Another record: what was typed for the previous one is saved to it
 * first, never carried over. */
void
awda_field_editor_set_record_id (AwdaFieldEditor *self,
                                 const char      *record_id)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));

  if (g_strcmp0 (self->record_id, record_id) == 0)
    return;
  awda_field_editor_load (self, record_id, NULL);
}

gboolean
awda_field_editor_get_editable (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), FALSE);
  return self->editable;
}

void
awda_field_editor_set_editable (AwdaFieldEditor *self,
                                gboolean         editable)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));

  editable = !!editable;
  if (self->control != NULL)
    {
      switch (self->kind)
        {
        case CONTROL_ENTRY:
          /* Still focusable, so that it can be read and copied. */
          gtk_editable_set_editable (GTK_EDITABLE (self->control), editable);
          if (self->date_button != NULL)
            gtk_widget_set_visible (GTK_WIDGET (self->date_button), editable);
          break;
        case CONTROL_TEXT_VIEW:
          gtk_text_view_set_editable (GTK_TEXT_VIEW (self->control), editable);
          break;
        case CONTROL_DROP_DOWN:
        case CONTROL_SWITCH:
        default:
          gtk_widget_set_sensitive (self->control, editable);
          break;
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->control),
                                      GTK_ACCESSIBLE_PROPERTY_READ_ONLY, !editable,
                                      -1);
    }

  if (self->editable == editable)
    return;
  self->editable = editable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

/**
 * awda_field_editor_get_control:
 * @self: a #AwdaFieldEditor
 *
 * Returns: (transfer none) (nullable): the widget that takes the focus:
 *   a #GtkEntry, #GtkTextView, #GtkDropDown or #GtkSwitch
 */
GtkWidget *
awda_field_editor_get_control (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->control;
}

/**
 * awda_field_editor_set_label_widget:
 * @self: a #AwdaFieldEditor
 * @label: a label placed elsewhere (a form's grid), that names the field
 *
 * Hides the editor's own label; @label's mnemonic and accessible
 * relation now lead to the control.
 */
void
awda_field_editor_set_label_widget (AwdaFieldEditor *self,
                                    GtkLabel        *label)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));
  g_return_if_fail (GTK_IS_LABEL (label));

  self->external_label = label;
  gtk_widget_set_visible (GTK_WIDGET (self->label), FALSE);
  if (self->control == NULL)
    return;
  gtk_label_set_mnemonic_widget (self->label, NULL);
  gtk_label_set_mnemonic_widget (label, self->control);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->control),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
}

const char *
awda_field_editor_get_value (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->value;
}

void
awda_field_editor_set_draft_value (AwdaFieldEditor *self,
                                   const char      *value)
{
  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));
  g_return_if_fail (self->record_id == NULL);

  g_free (self->value);
  self->value = g_strdup (value);
  clear_message (self);
  if (self->control != NULL)
    show_value (self, self->value);
}

char *
awda_field_editor_get_text (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);

  if (self->control == NULL)
    return g_strdup ("");
  return get_control_text (self);
}

/**
 * awda_field_editor_get_message:
 * @self: a #AwdaFieldEditor
 *
 * Returns: (nullable): the sentence shown under the field, if any
 */
const char *
awda_field_editor_get_message (AwdaFieldEditor *self)
{
  g_return_val_if_fail (AWDA_IS_FIELD_EDITOR (self), NULL);
  return self->message;
}

/**
 * awda_field_editor_set_excluded_values:
 * @self: a #AwdaFieldEditor of an enumerated field
 * @values: (nullable) (array zero-terminated=1): values not to offer,
 *   unless the field holds one of them already
 */
void
awda_field_editor_set_excluded_values (AwdaFieldEditor    *self,
                                       const char * const *values)
{
  g_autofree char *typed = NULL;

  g_return_if_fail (AWDA_IS_FIELD_EDITOR (self));

  if ((self->excluded == NULL && values == NULL)
      || (self->excluded != NULL && values != NULL
          && g_strv_equal ((const char * const *) self->excluded, values)))
    return;

  g_strfreev (self->excluded);
  self->excluded = g_strdupv ((char **) values);

  if (self->kind == CONTROL_DROP_DOWN && self->control != NULL)
    {
      typed = get_control_text (self);
      build_choices (self, *typed ? typed : NULL);
    }
}

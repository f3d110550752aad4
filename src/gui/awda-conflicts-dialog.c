/* awda-conflicts-dialog.c: the values that sync kept for a person to choose, and the changes set aside
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When two offices change the same field at once, the sync keeps the
 * value that lost as a conflict (DESIGN.md, “Sync”). Each row names the
 * person the field belongs to (the case's names, or the case a household
 * member, a plan item … belongs to), the field, and the two values as a
 * caseworker reads them with the office that wrote each. Keeping one, or
 * typing another, is an ordinary write through
 * awda_sync_resolve_conflict(); the window is told (::resolved) so that
 * the case list and the open case show the new value.
 *
 * Changes set aside because their machine's clock is far ahead are
 * listed below, read only, with why.
 */

#define G_LOG_DOMAIN "awda-conflicts-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "awda-conflicts-dialog.h"
#include "awda-field-editor.h"
#include "awda-format.h"

struct _AwdaConflictsDialog
{
  GtkWindow   parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkLabel   *error_label;
  GtkBox     *conflicts_box;
  GtkListBox *conflicts_list;
  GtkBox     *set_aside_box;
  GtkListBox *set_aside_list;

  /* owned */
  AwdaStore  *store;
  GHashTable *site_names;   /* site id → name */

  guint       n_conflicts;
  guint       n_set_aside;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  RESOLVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaConflictsDialog, awda_conflicts_dialog, GTK_TYPE_WINDOW)

/* What a conflict's row needs to resolve it, on the GtkListBoxRow. */
typedef struct
{
  gint64           id;
  char            *case_id;       /* the case the field belongs to, NULL for reference data */
  const AwdaField *field;
  GPtrArray       *choices;       /* (element-type utf8): stored values, for the drop-down */
  GtkWidget       *entry;         /* a GtkEntry, or a GtkDropDown of choices, or NULL */
  GtkLabel        *popover_message;
  GtkLabel        *message;
  GtkPopover      *popover;
} ConflictRow;

static void
conflict_row_free (ConflictRow *row)
{
  g_free (row->case_id);
  g_clear_pointer (&row->choices, g_ptr_array_unref);
  g_free (row);
}

#define CONFLICT_ROW_KEY "awda-conflict-row"

static ConflictRow *
conflict_row_of (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return row != NULL ? g_object_get_data (G_OBJECT (row), CONFLICT_ROW_KEY) : NULL;
}

/* Text */

/* Mixed-direction text (an Arabic value in a French window, a Latin
 * office name in an Arabic one) isolated, so that it neither reorders
 * what is around it nor is reordered. */
static char *
isolate (const char *text)
{
  return g_strconcat ("\u2068", text, "\u2069", NULL);
}

static char *
site_name (AwdaConflictsDialog *self,
           const char          *id,
           const char          *name)
{
  if (name == NULL && id != NULL)
    name = g_hash_table_lookup (self->site_names, id);
  if (name == NULL || *name == '\0')
    name = id;
  if (name == NULL)
    return g_strdup (_("an unknown office"));
  return isolate (name);
}

static const AwdaField *
lookup_field (const AwdaEntity *entity,
              const char       *name)
{
  if (g_strcmp0 (name, AWDA_FIELD_DELETED) == 0)
    return awda_dictionary_deleted_field ();
  return entity != NULL ? awda_entity_lookup_field (entity, name) : NULL;
}

static char *
value_text (AwdaConflictsDialog *self,
            const AwdaField     *field,
            const char          *value)
{
  g_autofree char *shown = NULL;

  if (value == NULL || *value == '\0')
    return g_strdup (_("(empty)"));
  shown = field != NULL ? awda_field_format_value (self->store, field, value) : g_strdup (value);
  return isolate (shown);
}

static char *
case_names (AwdaConflictsDialog *self,
            const char          *case_id)
{
  g_autoptr(AwdaRecord) record = awda_store_get_record (self->store, "case", case_id, NULL);

  if (record == NULL)
    return NULL;
  return awda_format_names (awda_record_get (record, "given_name"),
                            awda_record_get (record, "family_name"),
                            awda_record_get (record, "given_name_ar"),
                            awda_record_get (record, "family_name_ar"));
}

/* Who a record is about: the person's names for a case or for a record
 * of a case; the record's own name for reference data (an office, a
 * programme). Sets @case_id to the case, when there is one. */
static char *
record_title (AwdaConflictsDialog  *self,
              const AwdaEntity     *entity,
              const char           *record_id,
              char                **case_id)
{
  g_autoptr(AwdaRecord) record = NULL;
  const char *name;

  if (entity == NULL)
    return NULL;

  if (g_str_equal (entity->name, "case"))
    {
      char *names = case_names (self, record_id);

      if (names != NULL && case_id != NULL)
        *case_id = g_strdup (record_id);
      return names;
    }

  record = awda_store_get_record (self->store, entity->name, record_id, NULL);
  if (record == NULL)
    return NULL;
  if (entity->parent_field != NULL)
    {
      const char *parent = awda_record_get (record, entity->parent_field);

      if (parent == NULL)
        return NULL;
      if (case_id != NULL)
        *case_id = g_strdup (parent);
      return case_names (self, parent);
    }

  name = awda_record_get (record, "name");
  return name != NULL ? isolate (name) : NULL;
}

/* “Household member · Relationship”, or the field alone for a case. */
static char *
field_subtitle (const AwdaEntity *entity,
                const AwdaField  *field,
                const char       *field_name)
{
  const char *field_label = field != NULL ? _(field->label) : field_name;

  if (entity == NULL || g_str_equal (entity->name, "case"))
    return g_strdup (field_label);
  /* TRANSLATORS: a kind of record, then one of its fields, as
   * “Household member · Relationship” */
  return g_strdup_printf (_("%s · %s"), _(entity->label), field_label);
}

static GtkWidget *
row_label (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

/* Resolving */

gboolean
awda_conflicts_dialog_resolve (AwdaConflictsDialog *self,
                               gint64               conflict_id,
                               AwdaSyncResolution   resolution,
                               const char          *value,
                               GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *typed_date = NULL;
  GtkListBoxRow *list_row;
  ConflictRow *row = NULL;

  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), FALSE);
  g_return_val_if_fail (resolution != AWDA_SYNC_KEEP_VALUE || value != NULL, FALSE);

  for (int i = 0; (list_row = gtk_list_box_get_row_at_index (self->conflicts_list, i)) != NULL; i++)
    {
      ConflictRow *r = g_object_get_data (G_OBJECT (list_row), CONFLICT_ROW_KEY);

      if (r != NULL && r->id == conflict_id)
        {
          row = r;
          break;
        }
    }

  /* A date as every date field takes it: in the locale's order too. */
  if (resolution == AWDA_SYNC_KEEP_VALUE && row != NULL && row->field != NULL &&
      row->field->type == AWDA_FIELD_DATE)
    typed_date = awda_parse_date (value);

  if (!awda_sync_resolve_conflict (self->store, conflict_id, resolution,
                                   typed_date != NULL ? typed_date : value, &local_error))
    {
      g_debug ("Conflict %" G_GINT64_FORMAT " stays: %s", conflict_id, local_error->message);
      if (row != NULL)
        {
          GtkLabel *message = resolution == AWDA_SYNC_KEEP_VALUE && row->popover_message != NULL
                              ? row->popover_message : row->message;

          gtk_label_set_text (message, local_error->message);
          gtk_widget_set_visible (GTK_WIDGET (message), TRUE);
        }
      gtk_widget_error_bell (GTK_WIDGET (self));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (row != NULL)
    {
      case_id = g_strdup (row->case_id);
      if (row->popover != NULL)
        gtk_popover_popdown (row->popover);
    }

  awda_conflicts_dialog_reload (self);
  g_signal_emit (self, signals[RESOLVED], 0, case_id);
  return TRUE;
}

static void
on_keep_clicked_cb (GtkButton           *button,
                    AwdaConflictsDialog *self)
{
  ConflictRow *row = conflict_row_of (GTK_WIDGET (button));
  AwdaSyncResolution resolution = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "awda-resolution"));

  g_return_if_fail (row != NULL);
  awda_conflicts_dialog_resolve (self, row->id, resolution, NULL, NULL);
}

static void
on_typed_value_activate_cb (GtkWidget           *widget,
                            AwdaConflictsDialog *self)
{
  ConflictRow *row = conflict_row_of (widget);
  g_autofree char *value = NULL;

  g_return_if_fail (row != NULL && row->entry != NULL);

  if (GTK_IS_DROP_DOWN (row->entry))
    {
      guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (row->entry));

      if (selected >= row->choices->len)
        return;
      value = g_strdup (g_ptr_array_index (row->choices, selected));
    }
  else
    {
      value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->entry)));
      g_strstrip (value);
    }

  awda_conflicts_dialog_resolve (self, row->id, AWDA_SYNC_KEEP_VALUE, value, NULL);
}

/* Rows */

/* A drop-down of the field's choices (an enumeration, yes or no), or an
 * entry for anything typed; NULL for a reference, which has no value a
 * person can type. */
static GtkWidget *
make_value_control (AwdaConflictsDialog *self,
                    ConflictRow         *row,
                    const char          *current)
{
  const AwdaField *field = row->field;

  if (field == NULL)
    return NULL;

  switch (field->type)
    {
    case AWDA_FIELD_ENUM:
    case AWDA_FIELD_BOOLEAN:
      {
        g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
        GtkWidget *drop_down;
        guint selected = 0;

        row->choices = g_ptr_array_new_with_free_func (g_free);
        if (field->type == AWDA_FIELD_BOOLEAN)
          {
            g_ptr_array_add (row->choices, g_strdup ("true"));
            g_ptr_array_add (row->choices, g_strdup ("false"));
          }
        else
          for (const AwdaEnumValue *v = field->values; v->value != NULL; v++)
            g_ptr_array_add (row->choices, g_strdup (v->value));

        for (guint i = 0; i < row->choices->len; i++)
          {
            g_autofree char *label = awda_field_format_value (self->store, field, g_ptr_array_index (row->choices, i));

            gtk_string_list_append (labels, label);
            if (g_strcmp0 (current, g_ptr_array_index (row->choices, i)) == 0)
              selected = i;
          }
        drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), selected);
        return drop_down;
      }
    case AWDA_FIELD_REFERENCE:
      return NULL;
    case AWDA_FIELD_TEXT:
    case AWDA_FIELD_INTEGER:
    case AWDA_FIELD_AMOUNT:
    case AWDA_FIELD_DATE:
    case AWDA_FIELD_COUNTRY:
    default:
      {
        GtkWidget *entry = gtk_entry_new ();

        gtk_editable_set_text (GTK_EDITABLE (entry), current != NULL ? current : "");
        gtk_editable_set_width_chars (GTK_EDITABLE (entry), 28);
        if (field->type == AWDA_FIELD_DATE)
          gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY-MM-DD"));
        g_signal_connect (entry, "activate", G_CALLBACK (on_typed_value_activate_cb), self);
        return entry;
      }
    }
}

static GtkWidget *
make_keep_button (AwdaConflictsDialog *self,
                  const char          *label,
                  const char          *tooltip,
                  AwdaSyncResolution   resolution)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data (G_OBJECT (button), "awda-resolution", GINT_TO_POINTER (resolution));
  g_signal_connect (button, "clicked", G_CALLBACK (on_keep_clicked_cb), self);
  return button;
}

static void
add_value_line (AwdaConflictsDialog *self,
                GtkGrid             *grid,
                int                  line,
                const char          *caption,
                const AwdaField     *field,
                const char          *value,
                const char          *site,
                const char          *site_label,
                GtkWidget           *button)
{
  g_autofree char *shown = value_text (self, field, value);
  g_autofree char *office = site_name (self, site, site_label);
  /* TRANSLATORS: under a value, the office that wrote it */
  g_autofree char *by = g_strdup_printf (_("entered by %s"), office);
  GtkWidget *value_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *value_label = row_label (shown, NULL);

  gtk_widget_set_hexpand (value_box, TRUE);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_box_append (GTK_BOX (value_box), value_label);
  gtk_box_append (GTK_BOX (value_box), row_label (by, "dim-label"));

  gtk_grid_attach (grid, row_label (caption, "dim-label"), 0, line, 1, 1);
  gtk_grid_attach (grid, value_box, 1, line, 1, 1);
  gtk_grid_attach (grid, button, 2, line, 1, 1);
}

static GtkWidget *
make_conflict_row (AwdaConflictsDialog *self,
                   AwdaSyncConflict    *conflict,
                   const char          *title,
                   char                *case_id)
{
  const AwdaEntity *entity = awda_dictionary_lookup_entity (conflict->entity);
  ConflictRow *row = g_new0 (ConflictRow, 1);
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *control;
  g_autofree char *subtitle = NULL;

  row->id = conflict->id;
  row->case_id = case_id;
  row->field = lookup_field (entity, conflict->field);
  subtitle = field_subtitle (entity, row->field, conflict->field);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_box_append (GTK_BOX (box), row_label (title, "heading"));
  gtk_box_append (GTK_BOX (box), row_label (subtitle, NULL));

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_margin_top (grid, 6);
  add_value_line (self, GTK_GRID (grid), 0, _("Current value"), row->field,
                  conflict->current_value, conflict->current_site, conflict->current_site_name,
                  make_keep_button (self, _("Keep Current"),
                                    _("Keep the value this record has now"),
                                    AWDA_SYNC_KEEP_CURRENT));
  add_value_line (self, GTK_GRID (grid), 1, _("Other value"), row->field,
                  conflict->kept_value, conflict->kept_site, conflict->kept_site_name,
                  make_keep_button (self, _("Keep Other"),
                                    _("Replace the value this record has now with the other one"),
                                    AWDA_SYNC_KEEP_OTHER));
  gtk_box_append (GTK_BOX (box), grid);

  control = make_value_control (self, row, conflict->current_value);
  if (control != NULL)
    {
      GtkWidget *menu_button = gtk_menu_button_new ();
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *save = gtk_button_new_with_label (_("Save"));
      GtkWidget *message = row_label (NULL, "error");
      g_autofree char *prompt = g_strdup_printf (_("Another value for “%s”"),
                                                 row->field != NULL ? _(row->field->label) : conflict->field);

      row->entry = control;
      row->popover = GTK_POPOVER (popover);
      row->popover_message = GTK_LABEL (message);
      gtk_widget_set_visible (message, FALSE);
      gtk_label_set_max_width_chars (GTK_LABEL (message), 40);

      gtk_widget_set_margin_top (popover_box, 6);
      gtk_widget_set_margin_bottom (popover_box, 6);
      gtk_widget_set_margin_start (popover_box, 6);
      gtk_widget_set_margin_end (popover_box, 6);
      gtk_box_append (GTK_BOX (popover_box), row_label (prompt, NULL));
      gtk_widget_set_hexpand (control, TRUE);
      gtk_box_append (GTK_BOX (line), control);
      gtk_widget_add_css_class (save, "suggested-action");
      g_signal_connect (save, "clicked", G_CALLBACK (on_typed_value_activate_cb), self);
      gtk_box_append (GTK_BOX (line), save);
      gtk_box_append (GTK_BOX (popover_box), line);
      gtk_box_append (GTK_BOX (popover_box), message);
      gtk_popover_set_child (GTK_POPOVER (popover), popover_box);

      gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("Another Value…"));
      gtk_widget_set_tooltip_text (menu_button, _("Type a value other than these two"));
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
      gtk_widget_set_halign (menu_button, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (box), menu_button);
    }

  row->message = GTK_LABEL (row_label (NULL, "error"));
  gtk_widget_set_visible (GTK_WIDGET (row->message), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->message));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  g_object_set_data_full (G_OBJECT (list_row), CONFLICT_ROW_KEY, row, (GDestroyNotify) conflict_row_free);
  return list_row;
}

/* The time a change was received, in the locale's form. */
static char *
received_text (const char *received_at)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  if (received_at == NULL)
    return g_strdup ("");
  when = g_date_time_new_from_iso8601 (received_at, utc);
  if (when == NULL)
    return g_strdup (received_at);
  local = g_date_time_to_local (when);
  day = g_date_time_format (local, "%Y-%m-%d");
  date = awda_format_date (day);
  time = g_date_time_format (local, "%H:%M");
  return g_strdup_printf ("\u2068%s %s\u2069", date, time);
}

/* One row a record: the changes set aside for it are usually a whole
 * record created on the machine whose clock is ahead, and read best
 * together, with why once. @changes are in the order of their clocks. */
static GtkWidget *
make_set_aside_row (AwdaConflictsDialog *self,
                    GPtrArray           *changes)
{
  AwdaSyncQuarantined *first = g_ptr_array_index (changes, 0);
  AwdaSyncQuarantined *last = g_ptr_array_index (changes, changes->len - 1);
  const AwdaEntity *entity = awda_dictionary_lookup_entity (first->entity);
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  g_autofree char *title = record_title (self, entity, first->record, NULL);
  g_autofree char *sender = site_name (self, last->sender, NULL);
  g_autofree char *when = received_text (last->received_at);
  g_autofree char *from = NULL;
  GtkWidget *grid;
  GtkWidget *reason;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  /* A record set aside at its creation is not here yet: its kind. */
  if (title == NULL)
    title = g_strdup (entity != NULL ? _(entity->label) : first->entity);
  gtk_box_append (GTK_BOX (box), row_label (title, "heading"));

  /* The fields in a grid: a box in a rich list spaces its children
   * as widely as rows. */
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  for (guint i = 0; i < changes->len; i++)
    {
      AwdaSyncQuarantined *change = g_ptr_array_index (changes, i);
      const AwdaField *field = lookup_field (entity, change->field);
      g_autofree char *subtitle = field_subtitle (entity, field, change->field);
      g_autofree char *value = value_text (self, field, change->value);
      GtkWidget *value_label = row_label (value, NULL);

      gtk_widget_set_hexpand (value_label, TRUE);
      gtk_grid_attach (GTK_GRID (grid), row_label (subtitle, "dim-label"), 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value_label, 1, (int) i, 1, 1);
    }
  gtk_box_append (GTK_BOX (box), grid);

  reason = row_label (last->reason, NULL);
  gtk_box_append (GTK_BOX (box), reason);
  /* TRANSLATORS: the office that sent a change set aside, and when */
  from = g_strdup_printf (_("Sent by %s, received on %s"), sender, when);
  gtk_box_append (GTK_BOX (box), row_label (from, "dim-label"));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  return list_row;
}

typedef struct
{
  AwdaSyncConflict *conflict;
  char             *title;
  char             *case_id;
} Prepared;

static void
prepared_clear (Prepared *p)
{
  g_free (p->title);
  g_free (p->case_id);
}

/* The rows of one person together, in the order of their names. */
static int
compare_prepared (gconstpointer a,
                  gconstpointer b)
{
  const Prepared *pa = a;
  const Prepared *pb = b;
  int cmp = g_utf8_collate (pa->title, pb->title);

  if (cmp == 0)
    cmp = g_strcmp0 (pa->case_id, pb->case_id);
  if (cmp == 0)
    cmp = pa->conflict->id < pb->conflict->id ? -1 : pa->conflict->id > pb->conflict->id;
  return cmp;
}

static void
show_error (AwdaConflictsDialog *self,
            const GError        *error)
{
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

void
awda_conflicts_dialog_reload (AwdaConflictsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) set_aside = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GArray) prepared = NULL;
  const AwdaSite *site;

  g_return_if_fail (AWDA_IS_CONFLICTS_DIALOG (self));

  awda_list_box_remove_all (self->conflicts_list);
  awda_list_box_remove_all (self->set_aside_list);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  self->n_conflicts = 0;
  self->n_set_aside = 0;

  g_hash_table_remove_all (self->site_names);
  site = awda_store_get_site (self->store);
  if (site != NULL && site->id != NULL && site->name != NULL)
    g_hash_table_insert (self->site_names, g_strdup (site->id), g_strdup (site->name));
  peers = awda_sync_list_peers (self->store, &error);
  if (peers == NULL)
    g_clear_error (&error);  /* the ids stand in for the names */
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      AwdaSyncPeer *peer = g_ptr_array_index (peers, i);

      if (peer->name != NULL)
        g_hash_table_insert (self->site_names, g_strdup (peer->id), g_strdup (peer->name));
    }

  conflicts = awda_sync_list_conflicts (self->store, &error);
  if (conflicts == NULL)
    {
      show_error (self, error);
      g_clear_error (&error);
    }
  else
    {
      prepared = g_array_sized_new (FALSE, TRUE, sizeof (Prepared), conflicts->len);
      g_array_set_clear_func (prepared, (GDestroyNotify) prepared_clear);
      for (guint i = 0; i < conflicts->len; i++)
        {
          AwdaSyncConflict *conflict = g_ptr_array_index (conflicts, i);
          const AwdaEntity *entity = awda_dictionary_lookup_entity (conflict->entity);
          Prepared p = { conflict, NULL, NULL };

          p.title = record_title (self, entity, conflict->record, &p.case_id);
          if (p.title == NULL)
            p.title = g_strdup (entity != NULL ? _(entity->label) : conflict->entity);
          g_array_append_val (prepared, p);
        }
      g_array_sort (prepared, compare_prepared);
      for (guint i = 0; i < prepared->len; i++)
        {
          Prepared *p = &g_array_index (prepared, Prepared, i);

          gtk_list_box_append (self->conflicts_list,
                               make_conflict_row (self, p->conflict, p->title, g_steal_pointer (&p->case_id)));
        }
      self->n_conflicts = conflicts->len;
    }

  set_aside = awda_sync_list_quarantine (self->store, &error);
  if (set_aside == NULL)
    {
      show_error (self, error);
      g_clear_error (&error);
    }
  else
    {
      g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) g_ptr_array_unref);
      g_autoptr(GPtrArray) order = g_ptr_array_new ();

      for (guint i = 0; i < set_aside->len; i++)
        {
          AwdaSyncQuarantined *change = g_ptr_array_index (set_aside, i);
          g_autofree char *key = g_strconcat (change->entity, "/", change->record, NULL);
          GPtrArray *changes = g_hash_table_lookup (records, key);

          if (changes == NULL)
            {
              changes = g_ptr_array_new ();
              g_ptr_array_add (order, changes);
              g_hash_table_insert (records, g_steal_pointer (&key), changes);
            }
          g_ptr_array_add (changes, change);
        }
      for (guint i = 0; i < order->len; i++)
        gtk_list_box_append (self->set_aside_list, make_set_aside_row (self, g_ptr_array_index (order, i)));
      self->n_set_aside = order->len;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_box), self->n_conflicts > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->set_aside_box), self->n_set_aside > 0);
  gtk_stack_set_visible_child_name (self->stack,
                                    self->n_conflicts == 0 && self->n_set_aside == 0
                                    && !gtk_widget_get_visible (GTK_WIDGET (self->error_label))
                                    ? "empty" : "list");
}

/* For tests */

gboolean
awda_conflicts_dialog_is_empty (AwdaConflictsDialog *self)
{
  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0;
}

guint
awda_conflicts_dialog_get_n_conflicts (AwdaConflictsDialog *self)
{
  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), 0);

  return self->n_conflicts;
}

gint64
awda_conflicts_dialog_get_conflict_id (AwdaConflictsDialog *self,
                                       guint                position)
{
  GtkListBoxRow *list_row;
  ConflictRow *row;

  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), -1);

  list_row = gtk_list_box_get_row_at_index (self->conflicts_list, (int) position);
  row = list_row != NULL ? g_object_get_data (G_OBJECT (list_row), CONFLICT_ROW_KEY) : NULL;
  return row != NULL ? row->id : -1;
}

static GtkListBoxRow *
find_conflict_row (AwdaConflictsDialog *self,
                   gint64               conflict_id)
{
  GtkListBoxRow *list_row;

  for (int i = 0; (list_row = gtk_list_box_get_row_at_index (self->conflicts_list, i)) != NULL; i++)
    {
      ConflictRow *row = g_object_get_data (G_OBJECT (list_row), CONFLICT_ROW_KEY);

      if (row != NULL && row->id == conflict_id)
        return list_row;
    }
  return NULL;
}

/* The text of every visible label under @widget, a line each, popovers
 * left out. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (!gtk_widget_get_visible (widget) || GTK_IS_POPOVER (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

/**
 * awda_conflicts_dialog_get_conflict_text:
 * @self: a #AwdaConflictsDialog
 * @conflict_id: a conflict
 *
 * Returns: (transfer full) (nullable): what the row of @conflict_id
 *   reads, a line per label, or %NULL when no row shows it
 */
char *
awda_conflicts_dialog_get_conflict_text (AwdaConflictsDialog *self,
                                         gint64               conflict_id)
{
  GtkListBoxRow *list_row;
  GString *text;

  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), NULL);

  list_row = find_conflict_row (self, conflict_id);
  if (list_row == NULL)
    return NULL;
  text = g_string_new (NULL);
  collect_text (GTK_WIDGET (list_row), text);
  return g_string_free (text, FALSE);
}

/**
 * awda_conflicts_dialog_get_message:
 * @self: a #AwdaConflictsDialog
 * @conflict_id: a conflict
 *
 * Returns: (nullable): the sentence shown in the row of @conflict_id
 *   when a value was refused, or %NULL
 */
const char *
awda_conflicts_dialog_get_message (AwdaConflictsDialog *self,
                                   gint64               conflict_id)
{
  GtkListBoxRow *list_row;
  ConflictRow *row;

  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), NULL);

  list_row = find_conflict_row (self, conflict_id);
  if (list_row == NULL)
    return NULL;
  row = g_object_get_data (G_OBJECT (list_row), CONFLICT_ROW_KEY);
  if (row->popover_message != NULL && gtk_widget_get_visible (GTK_WIDGET (row->popover_message)))
    return gtk_label_get_text (row->popover_message);
  if (gtk_widget_get_visible (GTK_WIDGET (row->message)))
    return gtk_label_get_text (row->message);
  return NULL;
}

guint
awda_conflicts_dialog_get_n_set_aside (AwdaConflictsDialog *self)
{
  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), 0);

  return self->n_set_aside;
}

/**
 * awda_conflicts_dialog_get_set_aside_text:
 * @self: a #AwdaConflictsDialog
 * @position: a row of the changes set aside
 *
 * Returns: (transfer full) (nullable): what the row reads, a line per
 *   label, or %NULL past the last row
 */
char *
awda_conflicts_dialog_get_set_aside_text (AwdaConflictsDialog *self,
                                          guint                position)
{
  GtkListBoxRow *list_row;
  GString *text;

  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), NULL);

  list_row = gtk_list_box_get_row_at_index (self->set_aside_list, (int) position);
  if (list_row == NULL)
    return NULL;
  text = g_string_new (NULL);
  collect_text (GTK_WIDGET (list_row), text);
  return g_string_free (text, FALSE);
}

/* GObject */

AwdaStore *
awda_conflicts_dialog_get_store (AwdaConflictsDialog *self)
{
  g_return_val_if_fail (AWDA_IS_CONFLICTS_DIALOG (self), NULL);

  return self->store;
}

static void
awda_conflicts_dialog_constructed (GObject *object)
{
  AwdaConflictsDialog *self = AWDA_CONFLICTS_DIALOG (object);

  G_OBJECT_CLASS (awda_conflicts_dialog_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  awda_conflicts_dialog_reload (self);
}

static void
awda_conflicts_dialog_dispose (GObject *object)
{
  AwdaConflictsDialog *self = AWDA_CONFLICTS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_CONFLICTS_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (awda_conflicts_dialog_parent_class)->dispose (object);
}

static void
awda_conflicts_dialog_finalize (GObject *object)
{
  AwdaConflictsDialog *self = AWDA_CONFLICTS_DIALOG (object);

  g_clear_pointer (&self->site_names, g_hash_table_unref);

  G_OBJECT_CLASS (awda_conflicts_dialog_parent_class)->finalize (object);
}

static void
awda_conflicts_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AwdaConflictsDialog *self = AWDA_CONFLICTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_conflicts_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AwdaConflictsDialog *self = AWDA_CONFLICTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_conflicts_dialog_class_init (AwdaConflictsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = awda_conflicts_dialog_constructed;
  object_class->dispose = awda_conflicts_dialog_dispose;
  object_class->finalize = awda_conflicts_dialog_finalize;
  object_class->get_property = awda_conflicts_dialog_get_property;
  object_class->set_property = awda_conflicts_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaConflictsDialog::resolved:
   * @case_id: (nullable): the case whose field was written, %NULL for
   *   reference data
   *
   * A conflict was resolved: the value chosen is written.
   */
  signals[RESOLVED] =
    g_signal_new ("resolved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-conflicts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaConflictsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AwdaConflictsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaConflictsDialog, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, AwdaConflictsDialog, conflicts_list);
  gtk_widget_class_bind_template_child (widget_class, AwdaConflictsDialog, set_aside_box);
  gtk_widget_class_bind_template_child (widget_class, AwdaConflictsDialog, set_aside_list);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
awda_conflicts_dialog_init (AwdaConflictsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->site_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * awda_conflicts_dialog_new:
 * @parent: (nullable): the window it is for
 * @store: the store whose conflicts it shows
 *
 * Returns: (transfer none): a new dialog, transient for @parent
 */
AwdaConflictsDialog *
awda_conflicts_dialog_new (GtkWindow *parent,
                           AwdaStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  return g_object_new (AWDA_TYPE_CONFLICTS_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

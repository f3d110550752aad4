/* awda-reception-dialog.c: a new case, from the returnee's name, with the existing records that may be theirs
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A case starts at reception from what the returnee tells first: names in
 * either script, birth date, national ID, phone. While it is typed (200 ms
 * after the last keystroke), awda_reception_find() proposes the existing
 * records that may be this person's, each with why; opening one closes
 * the dialog instead of creating a duplicate.
 *
 * Consent (issue 4): a name alone may be saved at once, but the birth
 * date, the ID number and the phone (the fields the dictionary flags
 * AWDA_FIELD_PERSONAL) only with the consent's date and scope. Create
 * stays insensitive until then, with the sentence of
 * awda_workflow_check_consent() under the consent. Create writes one
 * edit: the case is there whole or not at all.
 */

#define G_LOG_DOMAIN "awda-reception-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "awda-choice-list.h"
#include "awda-format.h"
#include "awda-reception-dialog.h"
#include "awda-reception.h"
#include "awda-today.h"
#include "awda-workflow.h"

#define SEARCH_DELAY_MS 200

struct _AwdaReceptionDialog
{
  GtkWindow       parent_instance;

  /* template widgets */
  GtkLabel       *error_label;
  GtkEntry       *given_name_entry;
  GtkEntry       *family_name_entry;
  GtkEntry       *given_name_ar_entry;
  GtkEntry       *family_name_ar_entry;
  GtkEntry       *birth_date_entry;
  GtkMenuButton  *birth_date_button;
  GtkCalendar    *birth_date_calendar;
  GtkEntry       *national_id_entry;
  GtkEntry       *phone_entry;
  GtkEntry       *consent_given_on_entry;
  GtkMenuButton  *consent_date_button;
  GtkCalendar    *consent_calendar;
  GtkDropDown    *consent_scope_dropdown;
  GtkLabel       *consent_message_label;
  GtkButton      *create_button;
  GtkLabel       *candidates_status_label;
  GtkFrame       *candidates_frame;
  GtkListBox     *candidates_list;

  /* owned */
  AwdaStore      *store;
  AwdaChoiceList *scopes;
  GSettings      *settings;
  char           *staff_id;

  guint           search_id;
  guint           n_candidates;
  gboolean        setting_calendar;
  gboolean        finished;   /* a case was opened or created */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_STAFF_ID,
  N_PROPS
};

enum {
  OPEN_CASE,
  CASE_CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AwdaReceptionDialog, awda_reception_dialog, GTK_TYPE_WINDOW)

/* The form's fields, in the order they are checked; each entry is a
 * template child. */
static const struct
{
  const char *field;
  gsize       offset;
} form_fields[] = {
  { "given_name", G_STRUCT_OFFSET (AwdaReceptionDialog, given_name_entry) },
  { "family_name", G_STRUCT_OFFSET (AwdaReceptionDialog, family_name_entry) },
  { "given_name_ar", G_STRUCT_OFFSET (AwdaReceptionDialog, given_name_ar_entry) },
  { "family_name_ar", G_STRUCT_OFFSET (AwdaReceptionDialog, family_name_ar_entry) },
  { "birth_date", G_STRUCT_OFFSET (AwdaReceptionDialog, birth_date_entry) },
  { "national_id", G_STRUCT_OFFSET (AwdaReceptionDialog, national_id_entry) },
  { "phone", G_STRUCT_OFFSET (AwdaReceptionDialog, phone_entry) },
};

#define N_NAME_FIELDS 4

static const AwdaEntity *
case_entity (void)
{
  return awda_dictionary_lookup_entity ("case");
}

static const AwdaField *
case_field (const char *name)
{
  return awda_entity_lookup_field (case_entity (), name);
}

static GtkEntry *
form_entry (AwdaReceptionDialog *self,
            guint                i)
{
  return G_STRUCT_MEMBER (GtkEntry *, self, form_fields[i].offset);
}

/* Dates */

static char *
entry_text (GtkEntry *entry)
{
  char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  g_strstrip (text);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* The value the form holds for its i-th field, as it would be stored
 * when it is valid; NULL when blank. */
static char *
form_value (AwdaReceptionDialog *self,
            guint                i)
{
  g_autofree char *text = entry_text (form_entry (self, i));
  const AwdaField *field = case_field (form_fields[i].field);

  if (text != NULL && field->type == AWDA_FIELD_DATE)
    {
      char *iso = awda_parse_date (text);

      if (iso != NULL)
        return iso;
    }
  return g_steal_pointer (&text);
}

/* The consent as typed: its scope when one is chosen, and its date when
 * it is one. */
static void
get_consent (AwdaReceptionDialog  *self,
             char                **given_on,
             const char          **scope)
{
  g_autofree char *text = entry_text (self->consent_given_on_entry);

  *given_on = awda_parse_date (text);
  *scope = awda_choice_list_get_value (self->scopes, gtk_drop_down_get_selected (self->consent_scope_dropdown));
}

/* Messages */

static void
show_error (AwdaReceptionDialog *self,
            const char          *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* The state of Create */

static gboolean
has_name (AwdaReceptionDialog *self)
{
  for (guint i = 0; i < N_NAME_FIELDS; i++)
    {
      g_autofree char *text = entry_text (form_entry (self, i));

      if (text != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Why the personal details typed cannot be saved yet (the consent's
 * sentence), or NULL when they can. */
static char *
consent_refusal (AwdaReceptionDialog *self)
{
  g_autofree char *given_on = NULL;
  const char *scope;

  if (self->store == NULL)
    return NULL;

  get_consent (self, &given_on, &scope);
  for (guint i = N_NAME_FIELDS; i < G_N_ELEMENTS (form_fields); i++)
    {
      const AwdaField *field = case_field (form_fields[i].field);
      g_autofree char *value = NULL;
      g_autoptr(GError) error = NULL;

      if (!(field->flags & AWDA_FIELD_PERSONAL))
        continue;
      value = form_value (self, i);
      if (value == NULL)
        continue;
      if (!awda_workflow_check_consent (self->store, NULL, given_on, scope, field->name, &error))
        return g_strdup (error->message);
    }
  return NULL;
}

static void
update_create (AwdaReceptionDialog *self)
{
  g_autofree char *consent = self->finished ? NULL : consent_refusal (self);
  g_autofree char *refusal = NULL;

  if (self->finished)
    refusal = g_strdup (_("This case was already opened or created."));
  else if (self->store == NULL)
    refusal = g_strdup (_("There is no database open."));
  else if (!has_name (self))
    refusal = g_strdup (_("Type at least a given name or a family name, in either script."));
  else if (consent != NULL)
    refusal = g_strdup (consent);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reception.create", refusal == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->create_button),
                               refusal ? refusal : _("Create a new case with what is typed here"));

  /* The consent's own sentence, where the consent is typed. */
  gtk_label_set_text (self->consent_message_label, consent ? consent : "");
  gtk_widget_set_visible (GTK_WIDGET (self->consent_message_label), consent != NULL);
}

/* Candidates */

static void
clear_candidates (AwdaReceptionDialog *self)
{
  awda_list_box_remove_all (self->candidates_list);
  self->n_candidates = 0;
}

static char *
candidate_details (const AwdaReceptionCandidate *candidate)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (candidate->birth_date != NULL)
    {
      g_autofree char *date = awda_format_date (candidate->birth_date);

      /* Translators: in a possible existing record, %s is a birth date. */
      g_ptr_array_add (parts, g_strdup_printf (_("Born %s"), date));
    }
  if (candidate->governorate != NULL)
    g_ptr_array_add (parts, g_strdup (awda_format_enum_value (case_field ("governorate"), candidate->governorate)));
  if (candidate->status != NULL)
    /* Translators: in a possible existing record, %s is the stage of the case, as Reception. */
    g_ptr_array_add (parts, g_strdup_printf (_("Stage: %s"),
                                             awda_format_enum_value (case_field ("status"), candidate->status)));

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" \u00b7 ", (char **) parts->pdata);
}

static GtkWidget *
candidate_row (const AwdaReceptionCandidate *candidate)
{
  g_autofree char *names = awda_format_names (candidate->given_name, candidate->family_name,
                                                 candidate->given_name_ar, candidate->family_name_ar);
  g_autofree char *details = candidate_details (candidate);
  g_autofree char *open_label = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name_label = gtk_label_new (names);
  GtkWidget *details_label = gtk_label_new (details);
  GtkWidget *reason_label = gtk_label_new (candidate->reason);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open This Case"));

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_wrap (GTK_LABEL (name_label), TRUE);
  gtk_widget_add_css_class (name_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (details_label), 0);
  gtk_label_set_wrap (GTK_LABEL (details_label), TRUE);
  gtk_widget_add_css_class (details_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (reason_label), 0);
  gtk_label_set_wrap (GTK_LABEL (reason_label), TRUE);
  

  gtk_box_append (GTK_BOX (texts), name_label);
  gtk_box_append (GTK_BOX (texts), details_label);
  gtk_box_append (GTK_BOX (texts), reason_label);
  gtk_box_append (GTK_BOX (box), texts);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "reception.open-case");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (candidate->case_id));
  /* Every row has this button: the screen reader says whose case. */
  open_label = g_strdup_printf (_("Open the case of %s"), names);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, open_label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, candidate->reason,
                                  -1);
  gtk_box_append (GTK_BOX (box), button);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "case-id", g_strdup (candidate->case_id), g_free);
  return row;
}

static void
set_status (AwdaReceptionDialog *self,
            const char          *text)
{
  gtk_label_set_text (self->candidates_status_label, text);
}

static void
run_search (AwdaReceptionDialog *self)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  AwdaReceptionQuery query = { 0 };
  gboolean blank = TRUE;

  if (self->store == NULL || self->finished)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (form_fields); i++)
    {
      char *value = form_value (self, i);

      g_ptr_array_add (values, value);
      blank = blank && value == NULL;
    }

  clear_candidates (self);
  if (blank)
    {
      set_status (self, _("Type a name, a birth date, an ID number or a phone number to look for an existing record."));
      gtk_widget_set_visible (GTK_WIDGET (self->candidates_frame), FALSE);
      return;
    }

  query.given_name = g_ptr_array_index (values, 0);
  query.family_name = g_ptr_array_index (values, 1);
  query.given_name_ar = g_ptr_array_index (values, 2);
  query.family_name_ar = g_ptr_array_index (values, 3);
  query.birth_date = g_ptr_array_index (values, 4);
  query.national_id = g_ptr_array_index (values, 5);
  query.phone = g_ptr_array_index (values, 6);

  candidates = awda_reception_find (self->store, &query, &error);
  if (candidates == NULL)
    {
      set_status (self, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->candidates_frame), FALSE);
      return;
    }

  for (guint i = 0; i < candidates->len; i++)
    gtk_list_box_append (self->candidates_list, candidate_row (g_ptr_array_index (candidates, i)));
  self->n_candidates = candidates->len;

  if (candidates->len == 0)
    set_status (self, _("No existing record matches what is typed: this looks like a new case."));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u record may already be this person’s: open it rather than create a new case.",
                                                            "%u records may already be this person’s: open one of them rather than create a new case.",
                                                            candidates->len),
                                               candidates->len);
      set_status (self, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->candidates_frame), candidates->len > 0);
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  AwdaReceptionDialog *self = user_data;

  self->search_id = 0;
  run_search (self);
  return G_SOURCE_REMOVE;
}

static void
on_field_changed_cb (AwdaReceptionDialog *self)
{
  show_error (self, NULL);
  update_create (self);

  g_clear_handle_id (&self->search_id, g_source_remove);
  self->search_id = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

static void
on_consent_changed_cb (AwdaReceptionDialog *self)
{
  g_autoptr(GtkStringObject) chosen = gtk_drop_down_get_selected_item (self->consent_scope_dropdown)
                                      ? g_object_ref (gtk_drop_down_get_selected_item (self->consent_scope_dropdown))
                                      : NULL;

  /* The button may show the scope cut short: the whole of it. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->consent_scope_dropdown),
                               chosen ? gtk_string_object_get_string (chosen) : NULL);
  show_error (self, NULL);
  update_create (self);
}

/* Calendars */

static void
show_calendar_date (AwdaReceptionDialog *self,
                    GtkCalendar         *calendar,
                    GtkEntry            *entry)
{
  g_autofree char *text = entry_text (entry);
  g_autofree char *iso = awda_parse_date (text);
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;

  if (iso == NULL)
    iso = today = self->store ? awda_today_get_date (self->store) : NULL;
  if (iso == NULL || !awda_date_parse (iso, &year, &month, &day))
    return;

  date = g_date_time_new_local (year, month, day, 12, 0, 0);
  self->setting_calendar = TRUE;
  gtk_calendar_select_day (calendar, date);
  self->setting_calendar = FALSE;
}

static void
set_from_calendar (AwdaReceptionDialog *self,
                   GtkCalendar         *calendar,
                   GtkEntry            *entry,
                   GtkMenuButton       *button)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;

  if (self->setting_calendar)
    return;
  date = gtk_calendar_get_date (calendar);
  text = g_date_time_format (date, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_menu_button_popdown (button);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
}

static void
on_birth_date_popover_show_cb (AwdaReceptionDialog *self)
{
  show_calendar_date (self, self->birth_date_calendar, self->birth_date_entry);
}

static void
on_birth_date_day_selected_cb (AwdaReceptionDialog *self)
{
  set_from_calendar (self, self->birth_date_calendar, self->birth_date_entry, self->birth_date_button);
}

static void
on_consent_popover_show_cb (AwdaReceptionDialog *self)
{
  show_calendar_date (self, self->consent_calendar, self->consent_given_on_entry);
}

static void
on_consent_day_selected_cb (AwdaReceptionDialog *self)
{
  set_from_calendar (self, self->consent_calendar, self->consent_given_on_entry, self->consent_date_button);
}

/* Creating the case */

static gboolean
refuse (AwdaReceptionDialog  *self,
        GtkWidget            *focus,
        GError               *refusal,
        GError              **error)
{
  show_error (self, refusal->message);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
  g_propagate_error (error, refusal);
  return FALSE;
}

/* The caseworker and the office of a new case: the staff member's, when
 * this installation knows them, else the office of this installation. */
static void
set_management (AwdaReceptionDialog *self,
                AwdaEdit            *edit)
{
  g_autofree char *office = NULL;

  if (self->staff_id != NULL)
    {
      g_autoptr(AwdaRecord) staff = awda_store_get_record (self->store, "staff", self->staff_id, NULL);

      if (staff != NULL && !staff->deleted)
        {
          awda_edit_set (edit, "caseworker", staff->id);
          office = g_strdup (awda_record_get (staff, "office"));
        }
    }

  if (office == NULL)
    {
      g_autoptr(GError) error = NULL;

      office = awda_today_get_local_office (self->store, &error);
      if (error != NULL)
        g_warning ("Could not find the office of this installation: %s", error->message);
    }

  if (office != NULL)
    awda_edit_set (edit, "owner_office", office);
}

gboolean
awda_reception_dialog_create (AwdaReceptionDialog  *self,
                              GError              **error)
{
  const AwdaEntity *entity = case_entity ();
  g_autoptr(AwdaEdit) edit = NULL;
  g_autofree char *given_on = NULL;
  g_autofree char *case_id = NULL;
  GError *refusal = NULL;
  const char *scope;

  g_return_val_if_fail (AWDA_IS_RECEPTION_DIALOG (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  show_error (self, NULL);

  if (!has_name (self))
    {
      g_set_error_literal (&refusal, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                           _("Type at least a given name or a family name, in either script."));
      return refuse (self, GTK_WIDGET (self->given_name_entry), refusal, error);
    }

  get_consent (self, &given_on, &scope);
  if (scope != NULL && given_on == NULL)
    {
      g_autofree char *typed = entry_text (self->consent_given_on_entry);

      if (typed == NULL)
        g_set_error_literal (&refusal, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                             _("Type the date the consent was given, or set its scope back to “Not recorded yet”."));
      else
        g_set_error (&refusal, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                     _("Invalid date “%s” for the consent: expected a date as YYYY-MM-DD."), typed);
      return refuse (self, GTK_WIDGET (self->consent_given_on_entry), refusal, error);
    }

  edit = awda_edit_new ("case", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (form_fields); i++)
    {
      const AwdaField *field = case_field (form_fields[i].field);
      g_autofree char *value = form_value (self, i);
      g_autofree char *canonical = NULL;

      if (value == NULL)
        continue;

      canonical = awda_field_normalize (entity, field, value, &refusal);
      if (canonical == NULL)
        return refuse (self, GTK_WIDGET (form_entry (self, i)), refusal, error);

      if ((field->flags & AWDA_FIELD_PERSONAL)
          && !awda_workflow_check_consent (self->store, NULL, given_on, scope, field->name, &refusal))
        return refuse (self, GTK_WIDGET (self->consent_scope_dropdown), refusal, error);

      awda_edit_set (edit, field->name, canonical);
    }

  if (scope != NULL)
    {
      awda_edit_set (edit, "consent_given_on", given_on);
      awda_edit_set (edit, "consent_scope", scope);
    }
  awda_edit_set (edit, "status", AWDA_STAGE_RECEPTION);
  set_management (self, edit);

  if (!awda_store_apply (self->store, edit, &refusal))
    return refuse (self, NULL, refusal, error);

  case_id = g_strdup (awda_edit_get_record (edit));
  self->finished = TRUE;
  g_clear_handle_id (&self->search_id, g_source_remove);
  update_create (self);

  g_signal_emit (self, signals[CASE_CREATED], 0, case_id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

/* Actions */

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  /* A refusal is shown in the dialog. */
  awda_reception_dialog_create (AWDA_RECEPTION_DIALOG (widget), NULL);
}

static void
open_case_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AwdaReceptionDialog *self = AWDA_RECEPTION_DIALOG (widget);
  g_autofree char *case_id = g_variant_dup_string (parameter, NULL);

  if (self->finished)
    return;

  self->finished = TRUE;
  g_clear_handle_id (&self->search_id, g_source_remove);
  update_create (self);

  g_signal_emit (self, signals[OPEN_CASE], 0, case_id);
  gtk_window_close (GTK_WINDOW (self));
}

/* GObject */

static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Not installed (run from the build folder): no staff member known. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "staff-id"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
awda_reception_dialog_constructed (GObject *object)
{
  AwdaReceptionDialog *self = AWDA_RECEPTION_DIALOG (object);
  g_autofree char *today = NULL;

  G_OBJECT_CLASS (awda_reception_dialog_parent_class)->constructed (object);

  /* Consent is given on the day of reception, usually. */
  today = self->store ? awda_today_get_date (self->store) : NULL;
  if (today != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->consent_given_on_entry), today);

  run_search (self);
  update_create (self);
}

static void
awda_reception_dialog_dispose (GObject *object)
{
  AwdaReceptionDialog *self = AWDA_RECEPTION_DIALOG (object);

  g_clear_handle_id (&self->search_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), AWDA_TYPE_RECEPTION_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->scopes);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (awda_reception_dialog_parent_class)->dispose (object);
}

static void
awda_reception_dialog_finalize (GObject *object)
{
  AwdaReceptionDialog *self = AWDA_RECEPTION_DIALOG (object);

  g_free (self->staff_id);

  G_OBJECT_CLASS (awda_reception_dialog_parent_class)->finalize (object);
}

static void
awda_reception_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AwdaReceptionDialog *self = AWDA_RECEPTION_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_STAFF_ID:
      g_value_set_string (value, self->staff_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_reception_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AwdaReceptionDialog *self = AWDA_RECEPTION_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_STAFF_ID:
      awda_reception_dialog_set_staff_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_reception_dialog_class_init (AwdaReceptionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = awda_reception_dialog_constructed;
  object_class->dispose = awda_reception_dialog_dispose;
  object_class->finalize = awda_reception_dialog_finalize;
  object_class->get_property = awda_reception_dialog_get_property;
  object_class->set_property = awda_reception_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, AWDA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAFF_ID] =
    g_param_spec_string ("staff-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AwdaReceptionDialog::open-case:
   * @case_id: the existing case chosen
   *
   * The caseworker chose to open an existing case rather than create a
   * new one; the dialog then closes.
   */
  signals[OPEN_CASE] =
    g_signal_new ("open-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * AwdaReceptionDialog::case-created:
   * @case_id: the new case
   *
   * The case was written; the dialog then closes.
   */
  signals[CASE_CREATED] =
    g_signal_new ("case-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/awda/Awda/ui/awda-reception-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, given_name_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, family_name_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, given_name_ar_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, family_name_ar_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, birth_date_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, birth_date_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, birth_date_calendar);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, national_id_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, consent_given_on_entry);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, consent_date_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, consent_calendar);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, consent_scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, consent_message_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, candidates_status_label);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, candidates_frame);
  gtk_widget_class_bind_template_child (widget_class, AwdaReceptionDialog, candidates_list);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_birth_date_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_birth_date_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "reception.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "reception.open-case", "s", open_case_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* The entry's text lays out in its own direction only when the text
 * widget inside it has it too (GtkText decides the direction of text
 * without letters, digits and spaces, from its own). */
static void
set_entry_direction (GtkEntry         *entry,
                     GtkTextDirection  direction)
{
  gtk_widget_set_direction (GTK_WIDGET (entry), direction);
  gtk_widget_set_direction (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry))), direction);
}

static void
awda_reception_dialog_init (AwdaReceptionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Names in Arabic script are typed right to left, whatever the
   * language of the interface. */
  set_entry_direction (self->given_name_ar_entry, GTK_TEXT_DIR_RTL);
  set_entry_direction (self->family_name_ar_entry, GTK_TEXT_DIR_RTL);

  /* Numbers read left to right in Arabic too: without a letter to set
   * its direction, "98 123 456" would show as "456 123 98" in a
   * right-to-left entry. They keep the side of the other entries. */
  if (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL)
    {
      GtkEntry *numbers[] = { self->national_id_entry, self->phone_entry,
                              self->birth_date_entry, self->consent_given_on_entry };

      for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
        {
          set_entry_direction (numbers[i], GTK_TEXT_DIR_LTR);
          gtk_entry_set_alignment (numbers[i], 1.0);
        }
    }

  /* Translators: the consent scope before one is chosen. */
  self->scopes = awda_choice_list_new (case_field ("consent_scope"), _("Not recorded yet"), FALSE);
  gtk_drop_down_set_model (self->consent_scope_dropdown, G_LIST_MODEL (self->scopes));

  self->settings = open_settings ();
  if (self->settings != NULL)
    {
      g_autofree char *staff_id = g_settings_get_string (self->settings, "staff-id");

      if (*staff_id != '\0')
        self->staff_id = g_steal_pointer (&staff_id);
    }
}

/**
 * awda_reception_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @store: the open store
 *
 * Returns: (transfer none): a new dialog, owned by GTK as every window
 */
AwdaReceptionDialog *
awda_reception_dialog_new (GtkWindow *parent,
                           AwdaStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);

  return g_object_new (AWDA_TYPE_RECEPTION_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

AwdaStore *
awda_reception_dialog_get_store (AwdaReceptionDialog *self)
{
  g_return_val_if_fail (AWDA_IS_RECEPTION_DIALOG (self), NULL);
  return self->store;
}

const char *
awda_reception_dialog_get_staff_id (AwdaReceptionDialog *self)
{
  g_return_val_if_fail (AWDA_IS_RECEPTION_DIALOG (self), NULL);
  return self->staff_id;
}

void
awda_reception_dialog_set_staff_id (AwdaReceptionDialog *self,
                                    const char          *staff_id)
{
  g_return_if_fail (AWDA_IS_RECEPTION_DIALOG (self));

  if (staff_id != NULL && *staff_id == '\0')
    staff_id = NULL;
  if (g_strcmp0 (staff_id, self->staff_id) == 0)
    return;

  g_free (self->staff_id);
  self->staff_id = g_strdup (staff_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_ID]);
}

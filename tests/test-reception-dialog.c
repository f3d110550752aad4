/* test-reception-dialog.c: a new case from reception, its duplicates and consent; a follow-up in Today
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real widgets as a caseworker would: types in the reception
 * dialog's entries, reads the rows of possible existing records, presses
 * Create and Open This Case; in the Today view, reads the follow-ups and
 * presses Mark Done. Needs a display: meson runs it under
 * tools/with-display (Xvfb when there is none); without one every test is
 * skipped.
 */

#define G_LOG_DOMAIN "awda-test-reception-dialog"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "awda-reception-dialog.h"
#include "awda-store.h"
#include "awda-today-view.h"
#include "awda-workflow.h"

typedef struct
{
  char      *dir;
  char      *path;
  AwdaStore *store;
  gint64     now_ms;

  char      *office;
  char      *caseworker;
  char      *mohamed;   /* born 1990-05-12 */
  char      *amira;     /* national ID 09876543 */
  char      *youssef;   /* phone +216 98 123 456 */
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;
  return f->now_ms;
}

static char *
create (AwdaStore  *store,
        const char *entity,
        ...)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new (entity, NULL);
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;

  va_start (args, entity);
  while ((field = va_arg (args, const char *)) != NULL)
    awda_edit_set (edit, field, va_arg (args, const char *));
  va_end (args);

  awda_store_apply (store, edit, &error);
  g_assert_no_error (error);
  return g_strdup (awda_edit_get_record (edit));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 3, 10, 12, 0, 0);

  f->dir = g_dir_make_tmp ("awda-test-reception-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "awda.db", NULL);

  f->store = awda_store_create (f->path, "Bureau régional de Sfax", "regional", "TN-61", &error);
  g_assert_no_error (error);
  f->now_ms = g_date_time_to_unix (today) * 1000;
  awda_store_set_wall_clock (f->store, fake_clock, f);

  f->office = create (f->store, "office", "name", "Bureau régional de Sfax", "kind", "regional",
                      "governorate", "TN-61", NULL);
  f->caseworker = create (f->store, "staff", "name", "Amel Jaziri", "role", "caseworker",
                          "office", f->office, "active", "true", NULL);

  f->mohamed = create (f->store, "case", "given_name", "Mohamed", "family_name", "Ben Salah",
                       "given_name_ar", "محمد", "family_name_ar", "بن صالح", "birth_date", "1990-05-12",
                       "governorate", "TN-61", "consent_given_on", "2025-10-01", "consent_scope", "referral",
                       "status", "monitoring", "owner_office", f->office, "caseworker", f->caseworker, NULL);
  f->amira = create (f->store, "case", "given_name", "Amira", "family_name", "Trabelsi",
                     "given_name_ar", "أميرة", "family_name_ar", "الطرابلسي", "birth_date", "1985-01-30",
                     "national_id", "09876543", "governorate", "TN-11",
                     "consent_given_on", "2025-10-01", "consent_scope", "case_management",
                     "status", "closed", NULL);
  f->youssef = create (f->store, "case", "given_name", "Youssef", "family_name", "Gharbi",
                       "phone", "+216 98 123 456", "consent_given_on", "2025-10-01",
                       "consent_scope", "case_management", "status", "plan", "owner_office", f->office, NULL);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->office);
  g_free (f->caseworker);
  g_free (f->mohamed);
  g_free (f->amira);
  g_free (f->youssef);
}

/* Waiting, with a deadline, so that a test fails rather than hangs. */

static gboolean
on_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition,
            gpointer  data)
{
  gboolean late = FALSE;
  guint deadline = g_timeout_add_seconds (20, on_deadline_cb, &late);

  while (!condition (data) && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);
}

/* Lets the main loop run for @ms: the dialog's search waits for the
 * typing to pause. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_deadline_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Widgets */

static GtkWidget *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
type_text (AwdaReceptionDialog *dialog,
           const char          *entry,
           const char          *text)
{
  GtkWidget *widget = child (dialog, AWDA_TYPE_RECEPTION_DIALOG, entry);

  gtk_widget_grab_focus (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

/* The text of every label under @widget, one a line. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_text (c, text);
}

static char *
widget_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = find_button (c);

      if (button != NULL)
        return button;
    }
  return NULL;
}

/* A click: gtk_widget_activate() on a button only clicks it after a
 * while, as a key press does. */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

/* The first row of @list whose text holds @needle, or NULL. */
static GtkListBoxRow *
find_row (GtkListBox *list,
          const char *needle)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      g_autofree char *text = widget_text (GTK_WIDGET (row));

      if (strstr (text, needle) != NULL)
        return row;
    }
  return NULL;
}

static gint64
count_cases (AwdaStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = awda_store_count_cases (store, &error);

  g_assert_no_error (error);
  return n;
}

/* The reception dialog */

static AwdaReceptionDialog *
open_dialog (Fixture *f)
{
  AwdaReceptionDialog *dialog = awda_reception_dialog_new (NULL, f->store);

  /* GTK owns windows: a reference of ours to see it finalized. */
  g_object_ref (dialog);
  awda_reception_dialog_set_staff_id (dialog, f->caseworker);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
close_dialog (AwdaReceptionDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static gboolean
has_candidates (gpointer data)
{
  GtkListBox *list = GTK_LIST_BOX (child (data, AWDA_TYPE_RECEPTION_DIALOG, "candidates_list"));

  return gtk_list_box_get_row_at_index (list, 0) != NULL;
}

static void
test_duplicate_by_name_and_birth_date (Fixture       *f,
                                       gconstpointer  data)
{
  AwdaReceptionDialog *dialog = open_dialog (f);
  GtkListBox *list = GTK_LIST_BOX (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "candidates_list"));
  GtkLabel *status = GTK_LABEL (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "candidates_status_label"));
  GtkListBoxRow *row;
  g_autofree char *text = NULL;
  GtkWidget *button;
  GVariant *target;

  /* Nothing typed: nothing proposed. */
  g_assert_cmpuint (n_rows (list), ==, 0);

  type_text (dialog, "given_name_entry", "Mohamed");
  type_text (dialog, "family_name_entry", "Ben Salah");
  type_text (dialog, "birth_date_entry", "1990-05-12");

  /* Not at once: the search waits for the typing to pause. */
  g_assert_cmpuint (n_rows (list), ==, 0);
  wait_until (has_candidates, dialog);

  row = find_row (list, "Mohamed Ben Salah");
  g_assert_nonnull (row);
  text = widget_text (GTK_WIDGET (row));
  g_test_message ("row: %s", text);
  g_assert_nonnull (strstr (text, "محمد بن صالح"));
  g_assert_nonnull (strstr (text, "Same birth date and same name."));
  g_assert_nonnull (strstr (text, "Born 1990-05-12"));
  g_assert_nonnull (strstr (text, "Stage: Monitoring"));
  g_assert_null (find_row (list, "Amira"));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "1 record may already be"));

  /* Its button opens that case. */
  button = find_button (GTK_WIDGET (row));
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "reception.open-case");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, f->mohamed);

  close_dialog (dialog);
}

static void
test_duplicate_by_national_id (Fixture       *f,
                               gconstpointer  data)
{
  AwdaReceptionDialog *dialog = open_dialog (f);
  GtkListBox *list = GTK_LIST_BOX (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "candidates_list"));
  GtkListBoxRow *row;
  g_autofree char *text = NULL;
  GtkWidget *button;

  /* Another name, and Amira's ID number: Amira's case. */
  type_text (dialog, "given_name_entry", "Mohamed");
  type_text (dialog, "family_name_entry", "Ben Salah");
  type_text (dialog, "birth_date_entry", "1990-05-12");
  wait_until (has_candidates, dialog);
  g_assert_null (find_row (list, "Amira"));

  type_text (dialog, "national_id_entry", "09 876 543");
  run_for (400);

  row = gtk_list_box_get_row_at_index (list, 0);
  text = widget_text (GTK_WIDGET (row));
  g_test_message ("first row: %s", text);
  g_assert_nonnull (strstr (text, "Amira Trabelsi"));
  g_assert_nonnull (strstr (text, "Same national ID number."));
  button = find_button (GTK_WIDGET (row));
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL),
                   ==, f->amira);
  /* Mohamed's is still proposed, after. */
  g_assert_nonnull (find_row (list, "Mohamed Ben Salah"));

  /* A phone typed another way than stored: Youssef's. */
  type_text (dialog, "national_id_entry", "");
  type_text (dialog, "phone_entry", "98123456");
  run_for (400);
  row = find_row (list, "Youssef Gharbi");
  g_assert_nonnull (row);
  g_free (text);
  text = widget_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (text, "Same phone number."));

  close_dialog (dialog);
}

static void
on_open_case_cb (AwdaReceptionDialog *dialog,
                 const char          *case_id,
                 char               **opened)
{
  g_assert_null (*opened);
  *opened = g_strdup (case_id);
}

static void
test_open_existing (Fixture       *f,
                    gconstpointer  data)
{
  AwdaReceptionDialog *dialog = open_dialog (f);
  GtkListBox *list = GTK_LIST_BOX (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "candidates_list"));
  g_autofree char *opened = NULL;
  gint64 before = count_cases (f->store);
  GtkListBoxRow *row;

  g_signal_connect (dialog, "open-case", G_CALLBACK (on_open_case_cb), &opened);
  type_text (dialog, "national_id_entry", "09876543");
  wait_until (has_candidates, dialog);

  row = find_row (list, "Amira Trabelsi");
  g_assert_nonnull (row);
  click (find_button (GTK_WIDGET (row)));

  /* The existing case is opened, the dialog closed, nothing created. */
  g_assert_cmpstr (opened, ==, f->amira);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpint (count_cases (f->store), ==, before);

  g_assert_finalize_object (dialog);
}

static void
test_consent_required (Fixture       *f,
                       gconstpointer  data)
{
  AwdaReceptionDialog *dialog = open_dialog (f);
  GtkWidget *create_button = child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "create_button");
  GtkLabel *consent_message = GTK_LABEL (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "consent_message_label"));
  GtkLabel *error_label = GTK_LABEL (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "error_label"));
  GtkDropDown *scope = GTK_DROP_DOWN (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "consent_scope_dropdown"));
  gint64 before = count_cases (f->store);
  g_autoptr(GError) error = NULL;

  /* Nothing typed: nothing to create. */
  g_assert_false (gtk_widget_is_sensitive (create_button));

  /* A name alone: it may be created without consent. */
  type_text (dialog, "given_name_entry", "Sonia");
  type_text (dialog, "family_name_entry", "Zouari");
  g_assert_true (gtk_widget_is_sensitive (create_button));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (consent_message)));

  /* With a phone, a personal detail, and the consent not recorded:
   * Create is refused, and says why where the consent is typed. */
  type_text (dialog, "phone_entry", "22 333 444");
  g_assert_cmpuint (gtk_drop_down_get_selected (scope), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (create_button));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (consent_message)));
  g_assert_nonnull (strstr (gtk_label_get_text (consent_message), "consent"));
  g_assert_nonnull (strstr (gtk_label_get_text (consent_message), "Phone"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (create_button), ==, gtk_label_get_text (consent_message));

  /* Whatever presses it: refused, nothing written. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reception.create", NULL);
  g_assert_false (awda_reception_dialog_create (dialog, &error));
  g_assert_error (error, AWDA_WORKFLOW_ERROR, AWDA_WORKFLOW_ERROR_NEEDS_CONSENT);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_text (error_label), ==, error->message);
  g_assert_cmpint (count_cases (f->store), ==, before);

  /* A scope without a date is no consent either. */
  gtk_drop_down_set_selected (scope, 1);
  type_text (dialog, "consent_given_on_entry", "");
  g_assert_false (gtk_widget_is_sensitive (create_button));

  /* The birth date as well: a personal field. */
  gtk_drop_down_set_selected (scope, 0);
  type_text (dialog, "consent_given_on_entry", "2026-03-10");
  type_text (dialog, "phone_entry", "");
  g_assert_true (gtk_widget_is_sensitive (create_button));
  type_text (dialog, "birth_date_entry", "1979-07-01");
  g_assert_false (gtk_widget_is_sensitive (create_button));
  g_assert_nonnull (strstr (gtk_label_get_text (consent_message), "Birth date"));

  close_dialog (dialog);
  g_assert_cmpint (count_cases (f->store), ==, before);
}

static void
on_case_created_cb (AwdaReceptionDialog *dialog,
                    const char          *case_id,
                    char               **created)
{
  g_assert_null (*created);
  *created = g_strdup (case_id);
}

static void
test_create_with_consent (Fixture       *f,
                          gconstpointer  data)
{
  AwdaReceptionDialog *dialog = open_dialog (f);
  GtkWidget *create_button = child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "create_button");
  GtkDropDown *scope = GTK_DROP_DOWN (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "consent_scope_dropdown"));
  GtkEditable *consent_date = GTK_EDITABLE (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "consent_given_on_entry"));
  g_autofree char *created = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = count_cases (f->store);
  GListModel *scopes = gtk_drop_down_get_model (scope);
  guint referral = G_MAXUINT;

  g_signal_connect (dialog, "case-created", G_CALLBACK (on_case_created_cb), &created);

  /* Consent is given today, unless the caseworker says otherwise. */
  g_assert_cmpstr (gtk_editable_get_text (consent_date), ==, "2026-03-10");

  type_text (dialog, "given_name_entry", "Karim");
  type_text (dialog, "family_name_entry", "Souissi");
  type_text (dialog, "given_name_ar_entry", "كريم");
  type_text (dialog, "family_name_ar_entry", "السويسي");
  type_text (dialog, "birth_date_entry", "1988-11-03");
  type_text (dialog, "national_id_entry", "07654321");
  type_text (dialog, "phone_entry", "+216 22 333 444");
  g_assert_false (gtk_widget_is_sensitive (create_button));

  /* The scope, chosen by its translated label. */
  for (guint i = 0; i < g_list_model_get_n_items (scopes); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (scopes, i);

      if (g_str_equal (gtk_string_object_get_string (item), "Case management and referral to partners"))
        referral = i;
    }
  g_assert_cmpuint (referral, !=, G_MAXUINT);
  gtk_drop_down_set_selected (scope, referral);
  g_assert_true (gtk_widget_is_sensitive (create_button));

  click (create_button);

  g_assert_nonnull (created);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpint (count_cases (f->store), ==, before + 1);

  record = awda_store_get_record (f->store, "case", created, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "given_name"), ==, "Karim");
  g_assert_cmpstr (awda_record_get (record, "family_name"), ==, "Souissi");
  g_assert_cmpstr (awda_record_get (record, "given_name_ar"), ==, "كريم");
  g_assert_cmpstr (awda_record_get (record, "family_name_ar"), ==, "السويسي");
  g_assert_cmpstr (awda_record_get (record, "birth_date"), ==, "1988-11-03");
  g_assert_cmpstr (awda_record_get (record, "national_id"), ==, "07654321");
  g_assert_cmpstr (awda_record_get (record, "phone"), ==, "+216 22 333 444");
  g_assert_cmpstr (awda_record_get (record, "consent_given_on"), ==, "2026-03-10");
  g_assert_cmpstr (awda_record_get (record, "consent_scope"), ==, "referral");
  g_assert_cmpstr (awda_record_get (record, "status"), ==, "reception");
  g_assert_cmpstr (awda_record_get (record, "opened_on"), ==, "2026-03-10");
  /* The staff member who received the returnee, and their office. */
  g_assert_cmpstr (awda_record_get (record, "caseworker"), ==, f->caseworker);
  g_assert_cmpstr (awda_record_get (record, "owner_office"), ==, f->office);

  g_assert_finalize_object (dialog);
}

static void
test_create_name_only (Fixture       *f,
                       gconstpointer  data)
{
  AwdaReceptionDialog *dialog = open_dialog (f);
  GtkWidget *create_button = child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "create_button");
  g_autofree char *created = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  /* Nobody known at this desk: the office of the installation. */
  awda_reception_dialog_set_staff_id (dialog, NULL);
  g_signal_connect (dialog, "case-created", G_CALLBACK (on_case_created_cb), &created);

  /* A name in Arabic script alone is a name. */
  type_text (dialog, "family_name_ar_entry", "الحمامي");
  click (create_button);
  g_assert_nonnull (created);

  record = awda_store_get_record (f->store, "case", created, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "family_name_ar"), ==, "الحمامي");
  g_assert_null (awda_record_get (record, "consent_given_on"));
  g_assert_null (awda_record_get (record, "consent_scope"));
  g_assert_null (awda_record_get (record, "caseworker"));
  g_assert_cmpstr (awda_record_get (record, "owner_office"), ==, f->office);
  g_assert_cmpstr (awda_record_get (record, "status"), ==, "reception");

  g_assert_finalize_object (dialog);
}

static void
test_invalid_date (Fixture       *f,
                   gconstpointer  data)
{
  AwdaReceptionDialog *dialog = open_dialog (f);
  GtkLabel *error_label = GTK_LABEL (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "error_label"));
  GtkDropDown *scope = GTK_DROP_DOWN (child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "consent_scope_dropdown"));
  GtkWidget *birth_date = child (dialog, AWDA_TYPE_RECEPTION_DIALOG, "birth_date_entry");
  GtkWidget *focus;
  g_autoptr(GError) error = NULL;
  gint64 before = count_cases (f->store);

  type_text (dialog, "given_name_entry", "Rim");
  type_text (dialog, "birth_date_entry", "1990-02-30");
  gtk_drop_down_set_selected (scope, 1);

  /* The dictionary's sentence, naming the field and the value; the
   * field has the focus; nothing written. */
  g_assert_false (awda_reception_dialog_create (dialog, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "1990-02-30"));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "birth_date"));
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_nonnull (focus);
  g_assert_true (focus == birth_date || gtk_widget_is_ancestor (focus, birth_date));
  g_assert_cmpint (count_cases (f->store), ==, before);

  /* Typing again clears the message. */
  type_text (dialog, "birth_date_entry", "1990-02-28");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));

  close_dialog (dialog);
}

/* The Today view */

static gboolean
is_loaded (gpointer data)
{
  return !awda_today_view_get_loading (data);
}

static GtkListBox *
follow_ups_list (AwdaTodayView *view)
{
  return GTK_LIST_BOX (child (view, AWDA_TYPE_TODAY_VIEW, "follow_ups_list"));
}

static void
refresh (AwdaTodayView *view)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "today.refresh", NULL));
  g_assert_true (awda_today_view_get_loading (view));
  wait_until (is_loaded, view);
}

static void
on_today_open_case_cb (AwdaTodayView *view,
                       const char    *case_id,
                       char         **opened)
{
  g_free (*opened);
  *opened = g_strdup (case_id);
}

static void
test_today_follow_up (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  AwdaTodayView *view = awda_today_view_new (f->store);
  GtkListBox *list = follow_ups_list (view);
  GtkLabel *count = GTK_LABEL (child (view, AWDA_TYPE_TODAY_VIEW, "follow_ups_count_label"));
  g_autofree char *follow_up = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;
  GtkWidget *button;

  g_object_ref (window);
  g_object_ref (view);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  g_signal_connect (view, "open-case", G_CALLBACK (on_today_open_case_cb), &opened);

  /* Shown: the lists are read. None is due yet. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (awda_today_view_get_loading (view));
  wait_until (is_loaded, view);
  g_assert_null (gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (gtk_label_get_text (count), ==, "0");

  /* A follow-up of Mohamed's, two days overdue; another, next week. */
  follow_up = create (f->store, "follow_up", "case_id", f->mohamed, "scheduled_on", "2026-03-08",
                      "mode", "phone", NULL);
  g_free (create (f->store, "follow_up", "case_id", f->mohamed, "scheduled_on", "2026-03-17", NULL));
  refresh (view);

  g_assert_cmpuint (n_rows (list), ==, 1);
  row = find_row (list, "Mohamed Ben Salah");
  g_assert_nonnull (row);
  text = widget_text (GTK_WIDGET (row));
  g_test_message ("row: %s", text);
  g_assert_nonnull (strstr (text, "2 days overdue"));
  g_assert_nonnull (strstr (text, "By phone"));
  g_assert_cmpstr (gtk_label_get_text (count), ==, "1");

  /* Activating it opens its case. */
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_cmpstr (opened, ==, f->mohamed);

  /* Mark Done: the row leaves at once, and stays gone. */
  button = find_button (GTK_WIDGET (row));
  g_assert_nonnull (button);
  click (button);
  g_assert_null (find_row (list, "Mohamed Ben Salah"));
  wait_until (is_loaded, view);
  g_assert_null (gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (gtk_label_get_text (count), ==, "0");

  record = awda_store_get_record (f->store, "follow_up", follow_up, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (awda_record_get (record, "done_on"), ==, "2026-03-10");

  /* The window keeps its child until it goes. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_finalize_object (view);
}

static void
test_today_scope (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  AwdaTodayView *view = awda_today_view_new (f->store);
  GtkListBox *list = follow_ups_list (view);
  GtkListBox *waiting = GTK_LIST_BOX (child (view, AWDA_TYPE_TODAY_VIEW, "waiting_list"));
  GtkWidget *mine = child (view, AWDA_TYPE_TODAY_VIEW, "mine_button");
  GtkWidget *office = child (view, AWDA_TYPE_TODAY_VIEW, "office_button");
  g_autofree char *scope_text = NULL;

  g_object_ref (window);
  g_object_ref (view);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));

  /* Youssef (Sfax, nobody's) and Mohamed (Sfax, Amel's) have one due
   * today; Amira (no office, closed) one overdue. */
  g_free (create (f->store, "follow_up", "case_id", f->youssef, "scheduled_on", "2026-03-10", NULL));
  g_free (create (f->store, "follow_up", "case_id", f->mohamed, "scheduled_on", "2026-03-10", NULL));
  g_free (create (f->store, "follow_up", "case_id", f->amira, "scheduled_on", "2026-03-01", NULL));

  /* Nobody known: the office's, and Mine cannot be chosen. */
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_loaded, view);
  g_assert_cmpstr (awda_today_view_get_scope (view), ==, AWDA_TODAY_SCOPE_OFFICE);
  g_assert_false (gtk_widget_is_sensitive (mine));
  g_assert_cmpuint (n_rows (list), ==, 2);
  g_assert_nonnull (find_row (list, "Youssef Gharbi"));
  g_assert_nonnull (find_row (list, "Mohamed Ben Salah"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (view, AWDA_TYPE_TODAY_VIEW, "scope_label"))),
                   ==, "The cases of Bureau régional de Sfax");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (view, AWDA_TYPE_TODAY_VIEW, "date_label"))),
                   ==, "Tuesday 10 March 2026");

  /* Amel: Mine, pressed, lists her cases only. */
  awda_today_view_set_staff_id (view, f->caseworker);
  g_assert_true (gtk_widget_is_sensitive (mine));
  click (mine);
  g_assert_cmpstr (awda_today_view_get_scope (view), ==, AWDA_TODAY_SCOPE_MINE);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (mine)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (office)));
  wait_until (is_loaded, view);
  g_assert_cmpuint (n_rows (list), ==, 1);
  g_assert_nonnull (find_row (list, "Mohamed Ben Salah"));
  scope_text = g_strdup (gtk_label_get_text (GTK_LABEL (child (view, AWDA_TYPE_TODAY_VIEW, "scope_label"))));
  g_assert_cmpstr (scope_text, ==, "The cases followed by Amel Jaziri");

  /* Youssef's plan waits for nothing; nothing else waits. */
  g_assert_null (gtk_list_box_get_row_at_index (waiting, 0));

  /* Office again. */
  click (office);
  wait_until (is_loaded, view);
  g_assert_cmpuint (n_rows (list), ==, 2);

  /* The window keeps its child until it goes. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_finalize_object (view);
}

static void
test_no_display (void)
{
  g_test_skip ("There is no display: run the ui tests under tools/with-display.");
}

int
main (int   argc,
      char *argv[])
{
  /* The system's MIME database, which the isolated folders would hide:
   * GdkPixbuf needs it to recognize the icons' SVG. */
  g_content_type_set_mime_dirs (NULL);

  /* Not gtk_test_init(): in GTK 4.8 it drops G_TEST_OPTION_ISOLATE_DIRS,
   * and aborts when there is no display. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/reception/no-display", test_no_display);
      return g_test_run ();
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/reception/duplicate/name-and-birth-date", test_duplicate_by_name_and_birth_date);
  ADD ("/ui/reception/duplicate/national-id", test_duplicate_by_national_id);
  ADD ("/ui/reception/open-existing", test_open_existing);
  ADD ("/ui/reception/consent-required", test_consent_required);
  ADD ("/ui/reception/create-with-consent", test_create_with_consent);
  ADD ("/ui/reception/create-name-only", test_create_name_only);
  ADD ("/ui/reception/invalid-date", test_invalid_date);
  ADD ("/ui/today/follow-up", test_today_follow_up);
  ADD ("/ui/today/scope", test_today_scope);
#undef ADD

  return g_test_run ();
}

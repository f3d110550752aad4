/* awda-application.c: the GTK application, its actions and its database
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which database: --database FILE, else $AWDA_DATABASE, else the default
 * in the XDG data folder. The application is unique for the default
 * database; one given explicitly is another installation, so it runs in a
 * process of its own rather than being handed to a running instance that
 * has another database open.
 *
 * On activation: no database yet → the first-run dialog creates it;
 * one that cannot be opened → a dialog says why; else the main window.
 * The database is opened in a worker thread (bringing an older one up to
 * date can take minutes on a large database); a window says so meanwhile,
 * at once when it is brought up to date, else should opening take more
 * than a moment.
 *
 * Dark style: GTK 4.8 without libadwaita does not follow the desktop's
 * preference by itself. The application reads it from the settings
 * portal (org.freedesktop.appearance color-scheme), or, without a portal,
 * from GNOME's org.gnome.desktop.interface color-scheme when that schema
 * is installed, follows its changes, and sets
 * gtk-application-prefer-dark-theme. GTK_THEME, when set, has the last
 * word, as GTK gives it.
 */

#define G_LOG_DOMAIN "awda-application"

#include "config.h"

#include <glib/gi18n.h>

#include "awda-application.h"
#include "awda-first-run-dialog.h"
#include "awda-open-error-dialog.h"
#include "awda-opening-window.h"
#include "awda-profile.h"
#include "awda-window.h"

struct _AwdaApplication
{
  GtkApplication  parent_instance;

  /* owned */
  char           *database_path;
  AwdaStore      *store;
  GSettings      *interface_settings; /* GNOME's, when installed */
  GDBusProxy     *portal;             /* the settings portal, when there is one */
  GCancellable   *cancellable;        /* the portal's calls */
  gboolean        portal_answered;

  /* while the database opens */
  gboolean        opening;
  guint           opening_delay_ms;
  guint           opening_timeout_id;
  GtkWindow      *opening_window;     /* unowned: the application holds it */
};

/* How long opening may take before a window says the database is being
 * opened: quick openings go straight to the main window. */
#define OPENING_WINDOW_DELAY_MS 300

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AwdaApplication, awda_application, GTK_TYPE_APPLICATION)

/* Set by awda_application_choose_renderer() when it chose cairo. */
static gboolean drawing_with_cairo;

static void
set_store (AwdaApplication *self,
           AwdaStore       *store)
{
  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
show_main_window (AwdaApplication *self)
{
  AwdaWindow *window;

  g_assert (self->store != NULL);

  window = awda_window_new (GTK_APPLICATION (self), self->store);
  awda_profile_mark ("window-built");
  awda_profile_watch_window (window);
  gtk_window_present (GTK_WINDOW (window));
  awda_profile_mark ("window-presented");
}

static void
on_database_created_cb (AwdaFirstRunDialog *dialog,
                        AwdaStore          *store,
                        AwdaApplication    *self)
{
  set_store (self, store);

  /* The window first, so that the application never has none. */
  show_main_window (self);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static const char *
get_database_path (AwdaApplication *self)
{
  if (self->database_path == NULL)
    self->database_path = awda_store_default_path ();

  return self->database_path;
}

static void
show_opening_window (AwdaApplication *self,
                     gboolean         upgrading)
{
  self->opening_window = GTK_WINDOW (awda_opening_window_new (GTK_APPLICATION (self),
                                                              get_database_path (self),
                                                              upgrading));
  gtk_window_present (self->opening_window);
}

static gboolean
on_opening_slow_cb (gpointer user_data)
{
  AwdaApplication *self = user_data;

  self->opening_timeout_id = 0;
  show_opening_window (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* The main window, or the dialog that says why there is none, takes the
 * place of the opening window (presented first, so that the application
 * never finds itself without a window). */
static void
on_store_opened_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AwdaApplication) self = user_data;
  g_autoptr(AwdaStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->opening_timeout_id, g_source_remove);

  store = awda_store_open_finish (result, &error);
  if (store == NULL)
    {
      AwdaOpenErrorDialog *dialog;

      g_printerr ("%s\n", error->message);
      dialog = awda_open_error_dialog_new (GTK_APPLICATION (self), get_database_path (self), error);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      awda_profile_mark ("store-opened");
      set_store (self, store);
      show_main_window (self);
    }

  if (self->opening_window != NULL)
    gtk_window_destroy (g_steal_pointer (&self->opening_window));
  self->opening = FALSE;
  g_application_release (G_APPLICATION (self));
}

static void
awda_application_activate (GApplication *application)
{
  AwdaApplication *self = AWDA_APPLICATION (application);
  GtkWindow *window;
  const char *path;
  gboolean upgrading;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  path = get_database_path (self);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      AwdaFirstRunDialog *dialog = awda_first_run_dialog_new (GTK_APPLICATION (self), path);

      g_signal_connect_object (dialog, "created",
                               G_CALLBACK (on_database_created_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* Activated again while opening: the window that comes will do. */
  if (self->opening)
    return;

  self->opening = TRUE;
  g_application_hold (application);
  upgrading = awda_store_needs_upgrade (path);
  if (upgrading || self->opening_delay_ms == 0)
    show_opening_window (self, upgrading);
  else
    self->opening_timeout_id = g_timeout_add (self->opening_delay_ms, on_opening_slow_cb, self);
  awda_store_open_async (path, NULL, on_store_opened_cb, g_object_ref (self));
}

static int
awda_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  AwdaApplication *self = AWDA_APPLICATION (application);
  g_autofree char *database = NULL;
  const char *from_environment;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("awda %s\n", PACKAGE_VERSION);
      return 0;
    }

  from_environment = g_getenv ("AWDA_DATABASE");
  if (!g_variant_dict_lookup (options, "database", "^ay", &database)
      && from_environment != NULL && from_environment[0] != '\0')
    database = g_strdup (from_environment);

  if (database != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (database, NULL);

      awda_application_set_database_path (self, absolute);
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return G_APPLICATION_CLASS (awda_application_parent_class)->handle_local_options (application, options);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AwdaApplication *self = AWDA_APPLICATION (user_data);
  g_autolist(GtkWindow) windows = NULL;

  /* Closing each window lets it finish what it is doing, as Ctrl+W would;
   * the application ends with its last window. A copy, since closing one
   * window may destroy others. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  AwdaApplication *self = AWDA_APPLICATION (user_data);
  static const char *developers[] = { "The Awda developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", _("Awda"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Case management for the reintegration of returning migrants"),
                         "copyright", "© 2026 The Awda developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         /* Translators: your names, one a line, as you wish to be credited. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },
  { "about", about_action_cb },
};

/* Dark style */

static void
set_prefer_dark (gboolean dark)
{
  GtkSettings *settings = gtk_settings_get_default ();
  gboolean current;

  if (settings == NULL)
    return;

  g_object_get (settings, "gtk-application-prefer-dark-theme", &current, NULL);
  if (current != dark)
    g_object_set (settings, "gtk-application-prefer-dark-theme", dark, NULL);
}

static void
on_interface_color_scheme_changed_cb (GSettings       *settings,
                                      const char      *key,
                                      AwdaApplication *self)
{
  g_autofree char *scheme = NULL;

  /* The portal, when it answers, speaks for the desktop. */
  if (self->portal_answered)
    return;

  scheme = g_settings_get_string (settings, "color-scheme");
  set_prefer_dark (g_strcmp0 (scheme, "prefer-dark") == 0);
}

/* org.freedesktop.appearance color-scheme: 0 no preference, 1 dark,
 * 2 light. Read() wraps its value in a second variant. */
static void
apply_portal_color_scheme (AwdaApplication *self,
                           GVariant        *value)
{
  g_autoptr(GVariant) inner = NULL;

  while (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *child = g_variant_get_variant (value);

      g_clear_pointer (&inner, g_variant_unref);
      inner = child;
      value = child;
    }

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return;

  self->portal_answered = TRUE;
  set_prefer_dark (g_variant_get_uint32 (value) == 1);
}

static void
on_portal_signal_cb (GDBusProxy      *proxy,
                     const char      *sender_name,
                     const char      *signal_name,
                     GVariant        *parameters,
                     AwdaApplication *self)
{
  const char *namespace, *key;
  g_autoptr(GVariant) value = NULL;

  if (g_strcmp0 (signal_name, "SettingChanged") != 0
      || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;

  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_strcmp0 (namespace, "org.freedesktop.appearance") == 0
      && g_strcmp0 (key, "color-scheme") == 0)
    apply_portal_color_scheme (self, value);
}

static void
on_portal_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  AwdaApplication *self;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AWDA_APPLICATION (user_data);
  if (reply == NULL)
    {
      /* No portal, or one without the key: GNOME's settings stay. */
      g_debug ("The settings portal gave no colour scheme: %s", error->message);
      return;
    }

  g_variant_get (reply, "(v)", &value);
  apply_portal_color_scheme (self, value);
}

static void
on_portal_proxy_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, &error);
  AwdaApplication *self;

  if (proxy == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No settings portal: %s", error->message);
      return;
    }

  self = AWDA_APPLICATION (user_data);
  self->portal = proxy;
  g_signal_connect_object (proxy, "g-signal", G_CALLBACK (on_portal_signal_cb), self, 0);
  g_dbus_proxy_call (proxy, "Read",
                     g_variant_new ("(ss)", "org.freedesktop.appearance", "color-scheme"),
                     G_DBUS_CALL_FLAGS_NONE, 2000, self->cancellable,
                     on_portal_read_cb, self);
}

static void
follow_color_scheme (AwdaApplication *self)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (g_getenv ("GTK_THEME") != NULL)
    return;

  /* At once, so that the first frame has the right colours; the portal
   * answers later. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "color-scheme"))
    {
      self->interface_settings = g_settings_new_full (schema, NULL, NULL);
      g_signal_connect_object (self->interface_settings, "changed::color-scheme",
                               G_CALLBACK (on_interface_color_scheme_changed_cb), self, 0);
      on_interface_color_scheme_changed_cb (self->interface_settings, "color-scheme", self);
    }

  self->cancellable = g_cancellable_new ();
  g_dbus_proxy_new_for_bus (G_BUS_TYPE_SESSION,
                            G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                            NULL,
                            "org.freedesktop.portal.Desktop",
                            "/org/freedesktop/portal/desktop",
                            "org.freedesktop.portal.Settings",
                            self->cancellable,
                            on_portal_proxy_cb, self);
}

static void
awda_application_startup (GApplication *application)
{
  AwdaApplication *self = AWDA_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.close", { "<Control>w", NULL } },
    { "win.focus-search", { "<Control>f", NULL } },
    { "win.new-case", { "<Control>n", NULL } },
    { "win.back", { "<Alt>Left", NULL } },
    { "win.show-cases", { "<Alt>1", NULL } },
    { "win.show-today", { "<Alt>2", NULL } },
    { "win.show-dashboard", { "<Alt>3", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (awda_application_parent_class)->startup (application);
  awda_profile_mark ("gtk-started");

  /* GTK 4.8's cairo renderer places glyphs at fractions of a pixel unless
   * font metrics are hinted: the dot of an i can fade to nothing. */
  if (drawing_with_cairo)
    g_object_set (gtk_settings_get_default (), "gtk-hint-font-metrics", TRUE, NULL);

  gtk_window_set_default_icon_name (APP_ID);

  gtk_css_provider_load_from_resource (css, "/org/awda/Awda/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  follow_color_scheme (self);
}

static void
awda_application_shutdown (GApplication *application)
{
  AwdaApplication *self = AWDA_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (awda_application_parent_class)->shutdown (application);
}

static void
awda_application_dispose (GObject *object)
{
  AwdaApplication *self = AWDA_APPLICATION (object);

  g_clear_handle_id (&self->opening_timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->portal);
  g_clear_object (&self->interface_settings);

  G_OBJECT_CLASS (awda_application_parent_class)->dispose (object);
}

static void
awda_application_finalize (GObject *object)
{
  AwdaApplication *self = AWDA_APPLICATION (object);

  g_clear_object (&self->store);
  g_free (self->database_path);

  G_OBJECT_CLASS (awda_application_parent_class)->finalize (object);
}

static void
awda_application_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AwdaApplication *self = AWDA_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_application_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AwdaApplication *self = AWDA_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      awda_application_set_database_path (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
awda_application_class_init (AwdaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = awda_application_dispose;
  object_class->finalize = awda_application_finalize;
  object_class->get_property = awda_application_get_property;
  object_class->set_property = awda_application_set_property;

  application_class->activate = awda_application_activate;
  application_class->handle_local_options = awda_application_handle_local_options;
  application_class->startup = awda_application_startup;
  application_class->shutdown = awda_application_shutdown;

  /* The database file to open or create; NULL until chosen, then the
   * default one is taken. */
  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         AWDA_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
awda_application_init (AwdaApplication *self)
{
  static const GOptionEntry options[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("The database to open, or to create when there is none"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  self->opening_delay_ms = OPENING_WINDOW_DELAY_MS;
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Case management for the reintegration of returning migrants."));
}

/* Whether the machine has a GPU that Mesa can render with: a DRM render
 * node. Without one, OpenGL is llvmpipe, drawing on the processor. */
static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/**
 * awda_application_choose_renderer:
 *
 * Call before GTK starts. On a machine without a GPU (an old office PC, a
 * virtual machine, a remote session), GTK 4.8 would still draw with OpenGL,
 * emulated on the processor by llvmpipe: measured on a million cases, that
 * made the first frame twice as slow and took 150 MB more memory than
 * GTK's cairo renderer, which is all a window of lists and forms needs.
 * There, GL is turned off, unless GSK_RENDERER or GDK_DEBUG say otherwise.
 * (The programs Awda starts inherit the choice, which suits them too.)
 */
void
awda_application_choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("GDK_DEBUG") != NULL)
    return;
  if (has_render_node ())
    return;

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  drawing_with_cairo = TRUE;
}

/**
 * awda_application_new:
 *
 * Returns: (transfer full): the application
 */
AwdaApplication *
awda_application_new (void)
{
  return g_object_new (AWDA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/awda/Awda",
                       NULL);
}

const char *
awda_application_get_database_path (AwdaApplication *self)
{
  g_return_val_if_fail (AWDA_IS_APPLICATION (self), NULL);

  return self->database_path;
}

/**
 * awda_application_set_database_path:
 * @self: a #AwdaApplication
 * @path: (nullable): the database to open at activation, %NULL for the default
 *
 * For the command line and for tests; changes nothing once a database is open.
 */
void
awda_application_set_database_path (AwdaApplication *self,
                                    const char      *path)
{
  g_return_if_fail (AWDA_IS_APPLICATION (self));
  g_return_if_fail (self->store == NULL);

  if (g_strcmp0 (self->database_path, path) == 0)
    return;

  g_free (self->database_path);
  self->database_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
}

/**
 * awda_application_set_opening_delay:
 * @self: the application
 * @delay_ms: how long opening a database may take before the opening
 *   window shows, in milliseconds; 0 shows it at once
 *
 * For tests: the default is a moment (300 ms).
 */
void
awda_application_set_opening_delay (AwdaApplication *self,
                                    guint            delay_ms)
{
  g_return_if_fail (AWDA_IS_APPLICATION (self));
  self->opening_delay_ms = delay_ms;
}

/**
 * awda_application_get_store:
 * @self: a #AwdaApplication
 *
 * Returns: (transfer none) (nullable): the open store, %NULL before one is open
 */
AwdaStore *
awda_application_get_store (AwdaApplication *self)
{
  g_return_val_if_fail (AWDA_IS_APPLICATION (self), NULL);

  return self->store;
}

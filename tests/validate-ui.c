/* validate-ui.c: checks GtkBuilder files the way gtk4-builder-tool validate does, with our types
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's `gtk4-builder-tool validate` looks signal handlers up as
 * exported symbols of its own process and knows none of our types, so it
 * refuses every composite template that has a callback or one of our
 * widgets. This program does what later GTK versions of that tool do: a
 * builder scope that accepts any handler name, and a stand-in type for
 * the template's own class, derived from its declared parent. Our other
 * types come from the GUI library this program is linked with (exported
 * with export_dynamic, so that GtkBuilder finds awda_…_get_type()).
 *
 * It also refuses visible text (labels, titles, tooltips, placeholders,
 * menu labels, string list items) that has no translatable attribute:
 * translatable="yes" for words, translatable="no" for a code on purpose.
 *
 * Usage: validate-ui FILE.ui…   (needs a display: see tools/with-display)
 */

#define G_LOG_DOMAIN "awda-validate-ui"

#include <gtk/gtk.h>
#include <string.h>

/* Any handler name is accepted: the class binds its callbacks at run
 * time, and the ui tests exercise them. */

typedef struct
{
  GtkBuilderCScope parent_instance;
  char *template_class;
  GType template_type;
} ValidateScope;

typedef struct
{
  GtkBuilderCScopeClass parent_class;
} ValidateScopeClass;

static GType validate_scope_get_type (void);
static void validate_scope_iface_init (GtkBuilderScopeInterface *iface);

G_DEFINE_TYPE_WITH_CODE (ValidateScope, validate_scope, GTK_TYPE_BUILDER_CSCOPE,
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE, validate_scope_iface_init))

static GtkBuilderScopeInterface *parent_scope_iface;

static void
ignore_signal (void)
{
}

static GType
validate_scope_get_type_from_name (GtkBuilderScope *scope,
                                   GtkBuilder      *builder,
                                   const char      *type_name)
{
  ValidateScope *self = (ValidateScope *) scope;

  if (self->template_class != NULL && strcmp (type_name, self->template_class) == 0)
    return self->template_type;

  return parent_scope_iface->get_type_from_name (scope, builder, type_name);
}

static GClosure *
validate_scope_create_closure (GtkBuilderScope        *scope,
                               GtkBuilder             *builder,
                               const char             *function_name,
                               GtkBuilderClosureFlags  flags,
                               GObject                *object,
                               GError                **error)
{
  return g_cclosure_new (G_CALLBACK (ignore_signal), NULL, NULL);
}

static void
validate_scope_iface_init (GtkBuilderScopeInterface *iface)
{
  parent_scope_iface = g_type_interface_peek_parent (iface);
  iface->get_type_from_name = validate_scope_get_type_from_name;
  iface->get_type_from_function = parent_scope_iface->get_type_from_function;
  iface->create_closure = validate_scope_create_closure;
}

static void
validate_scope_finalize (GObject *object)
{
  ValidateScope *self = (ValidateScope *) object;

  g_free (self->template_class);

  G_OBJECT_CLASS (validate_scope_parent_class)->finalize (object);
}

static void
validate_scope_class_init (ValidateScopeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = validate_scope_finalize;
}

static void
validate_scope_init (ValidateScope *self)
{
}

/* A first pass over the XML: the template's class and parent, and visible
 * text that a translator would never see. */

typedef struct
{
  const char *filename;
  char *template_class;
  char *template_parent;
  GString *problems;
  int depth;
  /* the element whose text is being read, when it is visible text */
  gboolean in_visible_text;
  int visible_text_depth;
  gboolean visible_text_marked;
  char *visible_text_what;
  int visible_text_line;
  GString *text;
} Scan;

static const char * const visible_properties[] = {
  "label", "title", "subtitle", "tooltip-text", "tooltip-markup",
  "placeholder-text", "text", "secondary-text", "description",
  "heading", "body", "accessible-name", NULL
};

static const char *
lookup_attribute (const char **names,
                  const char **values,
                  const char  *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], name) == 0)
      return values[i];
  return NULL;
}

static gboolean
is_true (const char *value)
{
  return value != NULL &&
         (g_ascii_strcasecmp (value, "yes") == 0 ||
          g_ascii_strcasecmp (value, "true") == 0 ||
          strcmp (value, "1") == 0);
}

static void
scan_start_element (GMarkupParseContext  *context,
                    const char           *element,
                    const char          **names,
                    const char          **values,
                    gpointer              user_data,
                    GError              **error)
{
  Scan *scan = user_data;
  const char *name;
  const char *translatable;

  scan->depth++;

  if (strcmp (element, "template") == 0 && scan->template_class == NULL)
    {
      scan->template_class = g_strdup (lookup_attribute (names, values, "class"));
      scan->template_parent = g_strdup (lookup_attribute (names, values, "parent"));
      return;
    }

  name = lookup_attribute (names, values, "name");
  if (((strcmp (element, "property") == 0 && name != NULL &&
        g_strv_contains (visible_properties, name)) ||
       (strcmp (element, "attribute") == 0 && name != NULL &&
        strcmp (name, "label") == 0) ||
       strcmp (element, "item") == 0) &&
      lookup_attribute (names, values, "bind-source") == NULL)
    {
      scan->in_visible_text = TRUE;
      scan->visible_text_depth = scan->depth;
      translatable = lookup_attribute (names, values, "translatable");
      /* translatable="no" says that the text is not words on purpose (a
       * code, a sample); leaving the attribute out is the mistake. */
      scan->visible_text_marked = translatable != NULL &&
                                        (is_true (translatable) ||
                                         g_ascii_strcasecmp (translatable, "no") == 0 ||
                                         g_ascii_strcasecmp (translatable, "false") == 0);
      g_free (scan->visible_text_what);
      scan->visible_text_what = name != NULL ? g_strdup_printf ("%s “%s”", element, name)
                                             : g_strdup_printf ("an %s", element);
      g_markup_parse_context_get_position (context, &scan->visible_text_line, NULL);
      g_string_truncate (scan->text, 0);
    }
}

static void
scan_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 text_len,
           gpointer              user_data,
           GError              **error)
{
  Scan *scan = user_data;

  if (scan->in_visible_text && scan->depth == scan->visible_text_depth)
    g_string_append_len (scan->text, text, text_len);
}

static gboolean
has_letters (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
scan_end_element (GMarkupParseContext  *context,
                  const char           *element,
                  gpointer              user_data,
                  GError              **error)
{
  Scan *scan = user_data;
  int depth = scan->depth--;

  if (!scan->in_visible_text || depth != scan->visible_text_depth)
    return;

  /* A GtkStringList's <item> holds words; a menu's <item> holds elements,
   * and its text is only white space. */
  if (!scan->visible_text_marked && has_letters (scan->text->str))
    g_string_append_printf (scan->problems,
                            "%s:%d: the visible text “%s” of %s is not marked translatable=\"yes\"\n",
                            scan->filename, scan->visible_text_line,
                            scan->text->str, scan->visible_text_what);

  scan->in_visible_text = FALSE;
  g_string_truncate (scan->text, 0);
}

static const GMarkupParser scan_parser = {
  scan_start_element,
  scan_end_element,
  scan_text,
  NULL,
  NULL,
};

static GType
make_stand_in_type (const char  *type_name,
                    const char  *parent_name,
                    GError     **error)
{
  GType parent_type;
  GTypeQuery query;

  /* The parent may be one of ours: gtk_builder_get_type_from_name() finds
   * it through its get_type function, like any other class in the file. */
  {
    g_autoptr(GtkBuilder) builder = gtk_builder_new ();
    parent_type = gtk_builder_get_type_from_name (builder, parent_name);
  }
  if (parent_type == G_TYPE_INVALID)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_TYPE_FUNCTION,
                   "The template's parent type %s is unknown.", parent_name);
      return G_TYPE_INVALID;
    }

  g_type_query (parent_type, &query);
  return g_type_register_static_simple (parent_type,
                                        type_name,
                                        query.class_size,
                                        NULL,
                                        query.instance_size,
                                        NULL,
                                        0);
}

static gboolean
validate_file (const char  *filename,
               GString     *problems)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  ValidateScope *scope;
  GObject *object = NULL;
  gsize length;
  Scan scan = { .filename = filename, .problems = problems };
  gboolean ok;

  if (!g_file_get_contents (filename, &contents, &length, &error))
    {
      g_string_append_printf (problems, "%s\n", error->message);
      return FALSE;
    }

  scan.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&scan_parser, 0, &scan, NULL);
  ok = g_markup_parse_context_parse (context, contents, length, &error) &&
       g_markup_parse_context_end_parse (context, &error);
  g_string_free (scan.text, TRUE);
  g_free (scan.visible_text_what);
  if (!ok)
    {
      g_string_append_printf (problems, "%s: %s\n", filename, error->message);
      g_free (scan.template_class);
      g_free (scan.template_parent);
      return FALSE;
    }

  builder = gtk_builder_new ();
  scope = g_object_new (validate_scope_get_type (), NULL);
  gtk_builder_set_scope (builder, GTK_BUILDER_SCOPE (scope));

  if (scan.template_class != NULL)
    {
      if (scan.template_parent == NULL)
        {
          g_string_append_printf (problems, "%s: the template %s has no parent attribute\n",
                                  filename, scan.template_class);
          ok = FALSE;
        }
      else
        {
          scope->template_class = g_strdup (scan.template_class);
          scope->template_type = g_type_from_name (scan.template_class);
          if (scope->template_type == G_TYPE_INVALID)
            scope->template_type = make_stand_in_type (scan.template_class,
                                                       scan.template_parent,
                                                       &error);
          if (scope->template_type == G_TYPE_INVALID)
            ok = FALSE;
          else
            {
              object = g_object_new (scope->template_type, NULL);
              ok = gtk_builder_extend_with_template (builder, object, scope->template_type,
                                                     " ", 1, &error);
            }
        }
    }

  if (ok)
    ok = gtk_builder_add_from_file (builder, filename, &error);

  if (!ok && error != NULL)
    g_string_append_printf (problems, "%s: %s\n", filename, error->message);

  if (object != NULL)
    {
      if (GTK_IS_WINDOW (object))
        gtk_window_destroy (GTK_WINDOW (object));
      else
        {
          if (g_object_is_floating (object))
            g_object_ref_sink (object);
          g_object_unref (object);
        }
    }

  g_object_unref (scope);
  g_free (scan.template_class);
  g_free (scan.template_parent);

  return ok;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GString) problems = g_string_new (NULL);

  if (argc < 2)
    {
      g_printerr ("Usage: %s FILE.ui…\n", argv[0]);
      return 1;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("%s: there is no display to open; run it under tools/with-display.\n", argv[0]);
      return 1;
    }

  for (int i = 1; i < argc; i++)
    validate_file (argv[i], problems);

  if (problems->len > 0)
    {
      g_printerr ("%s", problems->str);
      return 1;
    }

  for (int i = 1; i < argc; i++)
    g_print ("%s: valid\n", argv[i]);

  return 0;
}

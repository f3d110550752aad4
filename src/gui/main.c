/* main.c: the awda program
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "awda-application.h"
#include "awda-profile.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AwdaApplication) application = NULL;
  const char *localedir;

  awda_profile_init ();

  /* AWDA_LOCALEDIR: the catalogues built in the build folder, for a
   * program run from there (tools/dev open). */
  localedir = g_getenv ("AWDA_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  awda_application_choose_renderer ();
  application = awda_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}

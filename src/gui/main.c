/* main.c: the awda program
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "awda-application.h"
#include "awda-profile.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AwdaApplication) application = NULL;
  const char *localedir;

  awda_profile_init ();

#ifdef __GLIBC__
  /* The case list's whole lists (8 MB for a million cases) come and go.
   * glibc raises its mmap threshold to the size of a block it frees, so
   * that the next ones come from the heap and stay there once freed:
   * 35 MB more after a few filters. A fixed threshold gives them back. */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif

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

/* main.c: the awda-cli program
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda-cli"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "awda-cli.h"

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("AWDA_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* AWDA_LOCALEDIR: the catalogues of a build tree, as for the window. */
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return awda_cli_run (argc, argv);
}

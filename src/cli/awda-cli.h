/* awda-cli.h: the command line tool, callable from main() and from tests
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "awda-store.h"

G_BEGIN_DECLS

typedef enum
{
  AWDA_EXIT_OK      = 0,
  AWDA_EXIT_USAGE   = 1,  /* bad command line */
  AWDA_EXIT_REFUSED = 2,  /* refused input: invalid value, unknown field or record */
  AWDA_EXIT_STORAGE = 3,  /* the database or the disk failed */
} AwdaExit;

/* Runs one awda-cli invocation; argv[0] is the program name. */
int      awda_cli_run              (int      argc,
                                    char   **argv);

/* Prints @error's message on stderr and returns the exit status its
 * domain and code call for. */
int      awda_cli_report_error     (const GError *error);

/* A bad command line: prints the sentence made from @format and returns
 * the usage exit status (1). */
int      awda_cli_usage_error      (const char   *format,
                                    ...) G_GNUC_PRINTF (1, 2);

/* A command: argv[0] is the command's name; the store is open. */
typedef int (*AwdaCliCommandFunc) (AwdaStore *store,
                                   int        argc,
                                   char     **argv);

G_END_DECLS

/* awda-cli-report.h: the report and case sheet commands of awda-cli
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "awda-cli.h"

G_BEGIN_DECLS

/* report [--from DATE] [--to DATE] [--office ID] [--programme ID]
 *        [--today DATE] (--pdf FILE | --csv DIR)
 * argv[0] is "report". */
int awda_cli_report     (AwdaStore  *store,
                         int         argc,
                         char      **argv);

/* case sheet CASE_ID --pdf FILE
 * argv[0] is "sheet": the `case` command passes its arguments on. */
int awda_cli_case_sheet (AwdaStore  *store,
                         int         argc,
                         char      **argv);

G_END_DECLS

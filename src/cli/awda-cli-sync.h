/* awda-cli-sync.h: the sync commands of awda-cli
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "awda-cli.h"

G_BEGIN_DECLS

/* export (--to SITE_ID | --all) --output FILE */
int awda_cli_export    (AwdaStore  *store,
                        int         argc,
                        char      **argv);
/* import FILE… */
int awda_cli_import    (AwdaStore  *store,
                        int         argc,
                        char      **argv);
/* conflicts, and conflicts resolve ID (--keep-current | --keep-other | --value VALUE) */
int awda_cli_conflicts (AwdaStore  *store,
                        int         argc,
                        char      **argv);
/* peers */
int awda_cli_peers     (AwdaStore  *store,
                        int         argc,
                        char      **argv);

G_END_DECLS

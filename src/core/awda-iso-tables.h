/* awda-iso-tables.h: countries and governorates, generated from iso-codes
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "awda-dictionary.h"

G_BEGIN_DECLS

/* Labels are iso-codes' English names: translate them with
 * g_dgettext (AWDA_ISO_3166_1_DOMAIN, name) and AWDA_ISO_3166_2_DOMAIN. */
#define AWDA_ISO_3166_1_DOMAIN "iso_3166-1"
#define AWDA_ISO_3166_2_DOMAIN "iso_3166-2"

typedef AwdaEnumValue AwdaIsoEntry;

extern const AwdaIsoEntry awda_iso_countries[];
extern const AwdaEnumValue awda_iso_governorates[];

G_END_DECLS

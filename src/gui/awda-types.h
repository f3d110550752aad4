/* awda-types.h: forward declarations of the GUI's types
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AwdaApplication    AwdaApplication;
typedef struct _AwdaCaseItem       AwdaCaseItem;
typedef struct _AwdaCaseListModel  AwdaCaseListModel;
typedef struct _AwdaChoiceList     AwdaChoiceList;
typedef struct _AwdaFirstRunDialog AwdaFirstRunDialog;
typedef struct _AwdaHoldListModel  AwdaHoldListModel;
typedef struct _AwdaOpenErrorDialog AwdaOpenErrorDialog;
typedef struct _AwdaWindow         AwdaWindow;

G_END_DECLS

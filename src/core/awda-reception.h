/* awda-reception.h: the probable existing records of a returnee, while the reception form is typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "awda-store.h"

G_BEGIN_DECLS

/* What the caseworker has typed so far; NULL or empty for a blank field. */
typedef struct
{
  const char *given_name;
  const char *family_name;
  const char *given_name_ar;
  const char *family_name_ar;
  const char *birth_date;   /* YYYY-MM-DD; anything else is not compared */
  const char *national_id;
  const char *phone;
  const char *exclude;      /* a case id never to propose: the one being edited, or NULL */
  guint       limit;        /* the most candidates returned; 0 for 20 */
} AwdaReceptionQuery;

/* Why a record is proposed; a candidate may have several reasons. */
typedef enum
{
  AWDA_RECEPTION_SAME_NATIONAL_ID     = 1 << 0,
  AWDA_RECEPTION_SAME_PHONE           = 1 << 1,
  AWDA_RECEPTION_SAME_BIRTH_DATE_NAME = 1 << 2,  /* and the same family name with a similar given name */
  AWDA_RECEPTION_SAME_BIRTH_DATE_FAMILY_NAME = 1 << 3,
  AWDA_RECEPTION_SAME_BIRTH_DATE_GIVEN_NAME  = 1 << 4,  /* one given name begins the other */
  AWDA_RECEPTION_SAME_BIRTH_DATE_SIMILAR_NAME = 1 << 5, /* a name spelled within a letter or two */
  AWDA_RECEPTION_SAME_NAME_NO_BIRTH_DATE = 1 << 6, /* same full name, one birth date unknown */
} AwdaReceptionReasons;

typedef struct
{
  char                *case_id;
  gint64               rowid;      /* local, for opening it in the list */
  char                *given_name;
  char                *family_name;
  char                *given_name_ar;
  char                *family_name_ar;
  char                *birth_date;
  char                *governorate;
  char                *status;
  AwdaReceptionReasons reasons;
  guint                score;      /* higher is more probably the same person */
  char                *reason;     /* translated: one sentence per reason, strongest first */
} AwdaReceptionCandidate;

void        awda_reception_candidate_free (AwdaReceptionCandidate *candidate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaReceptionCandidate, awda_reception_candidate_free)

/* (element-type AwdaReceptionCandidate): the live cases that probably are
 * the same person, the most probable first. Closed cases are included:
 * a returnee who comes back reopens the old case. */
GPtrArray  *awda_reception_find           (AwdaStore                 *store,
                                           const AwdaReceptionQuery  *query,
                                           GError                   **error);

/* The sentence of one reason, translated. */
const char *awda_reception_reason_to_string (AwdaReceptionReasons reason);

G_END_DECLS

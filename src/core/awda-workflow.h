/* awda-workflow.h: a case's stages, the actions that move it and the guards that explain themselves
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "awda-store.h"

G_BEGIN_DECLS

/* Refusals of a guard travel in this domain, with one sentence a
 * caseworker can act on; failures of the store keep AWDA_STORE_ERROR. */
#define AWDA_WORKFLOW_ERROR (awda_workflow_error_quark ())

typedef enum
{
  AWDA_WORKFLOW_ERROR_REFUSED,      /* a guard refused the action; nothing was written */
  AWDA_WORKFLOW_ERROR_NEEDS_CONSENT /* a personal field, before consent is recorded */
} AwdaWorkflowError;

GQuark awda_workflow_error_quark (void);

/* The stages of case.status, in order. */
#define AWDA_STAGE_RECEPTION      "reception"
#define AWDA_STAGE_ASSESSMENT     "assessment"
#define AWDA_STAGE_PLAN           "plan"
#define AWDA_STAGE_IMPLEMENTATION "implementation"
#define AWDA_STAGE_MONITORING     "monitoring"
#define AWDA_STAGE_CLOSED         "closed"

/* The approval threshold of a plan item when its office sets none, per
 * currency, in thousandths (the store's amount unit). Defined here only. */
#define AWDA_DEFAULT_THRESHOLD_TND G_GINT64_CONSTANT (3000000)  /* 3000 TND */
#define AWDA_DEFAULT_THRESHOLD_EUR G_GINT64_CONSTANT (1000000)  /* 1000 EUR */
#define AWDA_DEFAULT_THRESHOLD_CHF G_GINT64_CONSTANT (1000000)  /* 1000 CHF */
#define AWDA_DEFAULT_THRESHOLD_USD G_GINT64_CONSTANT (1000000)  /* 1000 USD */

typedef enum
{
  AWDA_WORKFLOW_ADVANCE,  /* to the next stage, up to monitoring */
  AWDA_WORKFLOW_GO_BACK,  /* to the previous stage, from assessment to monitoring */
  AWDA_WORKFLOW_CLOSE,    /* to closed: takes a closure reason */
  AWDA_WORKFLOW_REOPEN,   /* from closed: back to monitoring, or a stage given */
} AwdaWorkflowActionKind;

typedef struct
{
  AwdaWorkflowActionKind  kind;
  const char             *target;  /* the stage it leads to (static) */
  char                   *label;   /* translated, e.g. “Move to Plan” */
  gboolean                allowed;
  char                   *reason;  /* translated sentence when not allowed, else NULL */
} AwdaWorkflowAction;

void        awda_workflow_action_free     (AwdaWorkflowAction *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaWorkflowAction, awda_workflow_action_free)

/* The stages in order, NULL-terminated; and a stage's position in it, or
 * -1 for an unknown value. */
const char *const *awda_workflow_get_stages     (void);
int                awda_workflow_stage_index    (const char *stage);

/* (element-type AwdaWorkflowAction): every action that exists from the
 * case's current stage, each telling whether the guards allow it now and,
 * if not, why. */
GPtrArray  *awda_workflow_list_actions    (AwdaStore   *store,
                                           const char  *case_id,
                                           GError     **error);

/* Each action checks its guards and writes one edit through
 * awda_store_apply(), or nothing at all. */
gboolean    awda_workflow_advance         (AwdaStore   *store,
                                           const char  *case_id,
                                           GError     **error);
gboolean    awda_workflow_go_back         (AwdaStore   *store,
                                           const char  *case_id,
                                           GError     **error);
/* Sets status closed, closure_reason and closed_on (today). */
gboolean    awda_workflow_close           (AwdaStore   *store,
                                           const char  *case_id,
                                           const char  *closure_reason,
                                           GError     **error);
/* Clears closed_on and closure_reason and returns to @stage; with %NULL,
 * to monitoring, or to the furthest earlier stage whose guards hold when
 * the case never got that far (closed at reception, say). */
gboolean    awda_workflow_reopen          (AwdaStore   *store,
                                           const char  *case_id,
                                           const char  *stage,
                                           GError     **error);

/* The approval threshold that applies to an amount in @currency for the
 * case (its owner_office, else the office of this site, else the default
 * above), in thousandths. */
gboolean    awda_workflow_get_threshold   (AwdaStore   *store,
                                           const char  *case_id,
                                           const char  *currency,
                                           gint64      *thousandths,
                                           GError     **error);

/* Whether @staff_id may approve the plan item now, with the sentence if
 * not: above the threshold only a supervisor may. */
gboolean    awda_workflow_check_approval  (AwdaStore   *store,
                                           const char  *plan_item_id,
                                           const char  *staff_id,
                                           GError     **error);
/* Sets the item's status approved, approved_by and approved_on (today). */
gboolean    awda_workflow_approve_plan_item (AwdaStore   *store,
                                             const char  *plan_item_id,
                                             const char  *staff_id,
                                             GError     **error);

/* Whether a field is written by the actions above only: case status,
 * closed_on and closure_reason, plan_item approved_by and approved_on.
 * A form shows these read-only and offers the actions instead; a plan
 * item's status is free except that “approved” goes through
 * awda_workflow_approve_plan_item(). */
gboolean    awda_workflow_field_is_managed (const char *entity,
                                            const char *field);

/* Consent (issue 4, section 1): a personal field of a case (flag
 * AWDA_FIELD_PERSONAL) may be saved only once consent_given_on and
 * consent_scope are recorded. For the forms to call before saving;
 * awda_store_apply() itself does not enforce it, so that central staff
 * can load records from the command line.
 *
 * @case_id: the case, or %NULL for a case not yet written.
 * @consent_given_on, @consent_scope: values about to be saved with the
 * field (a consent typed in the same form), or %NULL to use the case's. */
gboolean    awda_workflow_check_consent   (AwdaStore   *store,
                                           const char  *case_id,
                                           const char  *consent_given_on,
                                           const char  *consent_scope,
                                           const char  *field,
                                           GError     **error);

G_END_DECLS

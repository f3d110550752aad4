/* awda-dictionary.c: the one description of every record and field
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store builds its tables from this file, the command line and the
 * sync read field names and types from it, the forms take labels and
 * enumerations from it. Adding a field is one line here, plus its widget.
 */

#define G_LOG_DOMAIN "awda-dictionary"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "awda-dictionary.h"
#include "awda-iso-tables.h"
#include "awda-store.h"

/* Field constructors, to keep each field on one line. */
#define F_TEXT(n, l, fl)         { .name = n, .type = AWDA_FIELD_TEXT, .label = l, .flags = fl }
#define F_LONG(n, l, fl)         { .name = n, .type = AWDA_FIELD_TEXT, .label = l, .flags = (fl) | AWDA_FIELD_MULTILINE, .max_length = AWDA_LONG_TEXT_MAX_LENGTH }
#define F_INT(n, l, fl, lo, hi)  { .name = n, .type = AWDA_FIELD_INTEGER, .label = l, .flags = fl, .min = lo, .max = hi }
#define F_AMOUNT(n, l, fl, cur)  { .name = n, .type = AWDA_FIELD_AMOUNT, .label = l, .flags = fl, .currency = cur }
#define F_DATE(n, l, fl)         { .name = n, .type = AWDA_FIELD_DATE, .label = l, .flags = fl }
#define F_ENUM(n, l, fl, v)      { .name = n, .type = AWDA_FIELD_ENUM, .label = l, .flags = fl, .values = v }
#define F_ENUM_DEF(n, l, fl, v, d) { .name = n, .type = AWDA_FIELD_ENUM, .label = l, .flags = fl, .values = v, .default_value = d }
#define F_ISO(n, l, fl, v, d)    { .name = n, .type = AWDA_FIELD_ENUM, .label = l, .flags = fl, .values = v, .values_domain = d }
#define F_REF(n, l, fl, e)       { .name = n, .type = AWDA_FIELD_REFERENCE, .label = l, .flags = fl, .reference = e }
#define F_BOOL(n, l, fl)         { .name = n, .type = AWDA_FIELD_BOOLEAN, .label = l, .flags = fl }
#define F_COUNTRY(n, l, fl)      { .name = n, .type = AWDA_FIELD_COUNTRY, .label = l, .flags = fl, .values_domain = AWDA_ISO_3166_1_DOMAIN }

#define REQ   AWDA_FIELD_REQUIRED
#define IDX   AWDA_FIELD_INDEXED
#define SRCH  AWDA_FIELD_SEARCHABLE
#define PERS  AWDA_FIELD_PERSONAL

/* Enumerations */

static const AwdaEnumValue sex_values[] = {
  { "f", N_("Female") },
  { "m", N_("Male") },
  { NULL }
};

static const AwdaEnumValue status_values[] = {
  { "reception", N_("Reception") },
  { "assessment", N_("Assessment") },
  { "plan", N_("Plan") },
  { "implementation", N_("Implementation") },
  { "monitoring", N_("Monitoring") },
  { "closed", N_("Closed") },
  { NULL }
};

static const AwdaEnumValue priority_values[] = {
  { "low", N_("Low") },
  { "normal", N_("Normal") },
  { "high", N_("High") },
  { "urgent", N_("Urgent") },
  { NULL }
};

static const AwdaEnumValue return_type_values[] = {
  { "assisted_voluntary", N_("Assisted voluntary") },
  { "forced", N_("Forced") },
  { "spontaneous", N_("Spontaneous") },
  { NULL }
};

static const AwdaEnumValue education_values[] = {
  { "none", N_("None") },
  { "primary", N_("Primary") },
  { "secondary", N_("Secondary") },
  { "vocational", N_("Vocational") },
  { "higher", N_("Higher education") },
  { NULL }
};

static const AwdaEnumValue marital_values[] = {
  { "single", N_("Single") },
  { "married", N_("Married") },
  { "divorced", N_("Divorced") },
  { "widowed", N_("Widowed") },
  { NULL }
};

static const AwdaEnumValue consent_scope_values[] = {
  { "case_management", N_("Case management only") },
  { "referral", N_("Case management and referral to partners") },
  { "statistics", N_("Case management, referral and anonymous statistics") },
  { NULL }
};

static const AwdaEnumValue closure_reason_values[] = {
  { "plan_completed", N_("Plan completed") },
  { "reintegrated", N_("Sustainably reintegrated") },
  { "remigrated", N_("Migrated again") },
  { "unreachable", N_("Unreachable") },
  { "withdrew", N_("Withdrew") },
  { "transferred", N_("Transferred to another service") },
  { "deceased", N_("Deceased") },
  { "other", N_("Other") },
  { NULL }
};

static const AwdaEnumValue relation_values[] = {
  { "spouse", N_("Spouse") },
  { "child", N_("Child") },
  { "parent", N_("Parent") },
  { "sibling", N_("Sibling") },
  { "other", N_("Other") },
  { NULL }
};

static const AwdaEnumValue schooling_values[] = {
  { "not_school_age", N_("Not of school age") },
  { "in_school", N_("In school") },
  { "out_of_school", N_("Out of school") },
  { "completed", N_("Completed") },
  { NULL }
};

static const AwdaEnumValue assessment_kind_values[] = {
  { "vulnerability_screening", N_("Vulnerability screening") },
  { "needs", N_("Needs assessment") },
  { "skills", N_("Skills assessment") },
  { "sustainability_survey", N_("Reintegration sustainability survey") },
  { NULL }
};

static const AwdaEnumValue dimension_values[] = {
  { "economic", N_("Economic") },
  { "social", N_("Social") },
  { "psychosocial", N_("Psychosocial") },
  { NULL }
};

static const AwdaEnumValue plan_kind_values[] = {
  { "business_creation", N_("Business creation") },
  { "vocational_training", N_("Vocational training") },
  { "job_placement", N_("Job placement") },
  { "housing", N_("Housing") },
  { "health", N_("Health") },
  { "psychosocial_support", N_("Psychosocial support") },
  { "schooling", N_("Schooling") },
  { "documents_legal", N_("Documents and legal") },
  { "cash", N_("Cash") },
  { NULL }
};

static const AwdaEnumValue currency_values[] = {
  { "TND", N_("Tunisian dinar") },
  { "EUR", N_("Euro") },
  { "CHF", N_("Swiss franc") },
  { "USD", N_("US dollar") },
  { NULL }
};

static const AwdaEnumValue plan_status_values[] = {
  { "proposed", N_("Proposed") },
  { "approved", N_("Approved") },
  { "in_progress", N_("In progress") },
  { "done", N_("Done") },
  { "cancelled", N_("Cancelled") },
  { NULL }
};

static const AwdaEnumValue referral_status_values[] = {
  { "sent", N_("Sent") },
  { "accepted", N_("Accepted") },
  { "rejected", N_("Rejected") },
  { "done", N_("Done") },
  { NULL }
};

static const AwdaEnumValue follow_up_mode_values[] = {
  { "office", N_("At the office") },
  { "phone", N_("By phone") },
  { "visit", N_("Visit") },
  { NULL }
};

static const AwdaEnumValue partner_kind_values[] = {
  { "institutional", N_("Institutional") },
  { "civil_society", N_("Civil society") },
  { "private", N_("Private sector") },
  { "international", N_("International") },
  { NULL }
};

static const AwdaEnumValue site_kind_values[] = {
  { "central", N_("Central platform") },
  { "regional", N_("Regional office") },
  { "field", N_("Field laptop") },
  { NULL }
};

static const AwdaEnumValue staff_role_values[] = {
  { "caseworker", N_("Caseworker") },
  { "supervisor", N_("Supervisor") },
  { "field_officer", N_("Field officer") },
  { "central_staff", N_("Central staff") },
  { NULL }
};

/* Records */

static const AwdaField case_fields[] = {
  /* identity */
  F_TEXT ("given_name", N_("Given name"), SRCH),
  F_TEXT ("family_name", N_("Family name"), SRCH),
  F_TEXT ("given_name_ar", N_("Given name (Arabic script)"), SRCH),
  F_TEXT ("family_name_ar", N_("Family name (Arabic script)"), SRCH),
  F_ENUM ("sex", N_("Sex"), 0, sex_values),
  /* The search index finds ID and phone numbers: no b-tree on them;
   * reception looks people up by birth date. */
  F_DATE ("birth_date", N_("Birth date"), IDX | PERS),
  F_TEXT ("national_id", N_("National ID number"), SRCH | PERS),
  F_TEXT ("phone", N_("Phone"), SRCH | PERS),
  F_LONG ("address", N_("Address"), PERS),
  F_ISO ("governorate", N_("Governorate"), IDX, awda_iso_governorates, AWDA_ISO_3166_2_DOMAIN),
  /* return */
  F_COUNTRY ("host_country", N_("Host country"), 0),
  F_INT ("departure_year", N_("Departure year"), PERS, 1950, 2100),
  F_DATE ("return_date", N_("Return date"), PERS),
  F_ENUM ("return_type", N_("Return type"), PERS, return_type_values),
  F_REF ("return_programme", N_("Return programme"), IDX, "programme"),
  /* situation */
  F_ENUM ("education", N_("Education"), PERS, education_values),
  F_TEXT ("occupation", N_("Occupation"), PERS),
  F_LONG ("skills", N_("Skills"), PERS),
  F_ENUM ("marital_status", N_("Marital status"), PERS, marital_values),
  F_INT ("household_size", N_("Household size"), PERS, 1, 50),
  /* vulnerabilities */
  F_BOOL ("vuln_medical", N_("Medical needs"), PERS),
  F_BOOL ("vuln_psychological", N_("Psychological needs"), PERS),
  F_BOOL ("vuln_disability", N_("Disability"), PERS),
  F_BOOL ("vuln_single_parent", N_("Single parent"), PERS),
  F_BOOL ("vuln_unaccompanied_minor", N_("Unaccompanied minor"), PERS),
  F_BOOL ("vuln_debt", N_("Debt"), PERS),
  F_LONG ("vuln_other", N_("Other vulnerability"), PERS),
  /* consent */
  F_DATE ("consent_given_on", N_("Consent given on"), 0),
  F_ENUM ("consent_scope", N_("Consent scope"), 0, consent_scope_values),
  /* management */
  F_REF ("owner_office", N_("Office"), IDX, "office"),
  F_REF ("caseworker", N_("Caseworker"), IDX, "staff"),
  F_ENUM_DEF ("status", N_("Stage"), REQ | IDX, status_values, "reception"),
  F_ENUM_DEF ("priority", N_("Priority"), 0, priority_values, "normal"),
  { .name = "opened_on", .type = AWDA_FIELD_DATE, .label = N_("Opened on"), .flags = IDX, .default_value = AWDA_DEFAULT_TODAY },
  F_DATE ("closed_on", N_("Closed on"), 0),
  F_ENUM ("closure_reason", N_("Closure reason"), 0, closure_reason_values),
};

static const AwdaField household_member_fields[] = {
  F_REF ("case_id", N_("Case"), REQ | IDX, "case"),
  F_TEXT ("name", N_("Name"), REQ),
  F_ENUM ("relation", N_("Relation"), 0, relation_values),
  F_ENUM ("sex", N_("Sex"), 0, sex_values),
  F_DATE ("birth_date", N_("Birth date"), 0),
  F_ENUM ("schooling", N_("Schooling"), 0, schooling_values),
};

static const AwdaField assessment_fields[] = {
  F_REF ("case_id", N_("Case"), REQ | IDX, "case"),
  F_DATE ("date", N_("Date"), REQ),
  F_ENUM ("kind", N_("Kind"), REQ, assessment_kind_values),
  F_REF ("assessed_by", N_("Assessed by"), 0, "staff"),
  F_INT ("score_economic", N_("Economic score"), 0, 0, 100),
  F_INT ("score_social", N_("Social score"), 0, 0, 100),
  F_INT ("score_psychosocial", N_("Psychosocial score"), 0, 0, 100),
  F_INT ("score_composite", N_("Composite score"), 0, 0, 100),
  F_LONG ("answers", N_("Answers"), 0),
  F_LONG ("notes", N_("Notes"), 0),
};

static const AwdaField plan_item_fields[] = {
  F_REF ("case_id", N_("Case"), REQ | IDX, "case"),
  F_ENUM ("dimension", N_("Dimension"), REQ, dimension_values),
  F_ENUM ("kind", N_("Kind"), REQ, plan_kind_values),
  F_LONG ("description", N_("Description"), 0),
  F_REF ("provider", N_("Provider"), 0, "partner"),
  F_REF ("programme", N_("Programme"), IDX, "programme"),
  F_AMOUNT ("budget", N_("Budget"), 0, "currency"),
  F_ENUM ("currency", N_("Currency"), 0, currency_values),
  F_ENUM_DEF ("status", N_("Status"), REQ, plan_status_values, "proposed"),
  F_REF ("approved_by", N_("Approved by"), 0, "staff"),
  F_DATE ("approved_on", N_("Approved on"), 0),
  F_AMOUNT ("disbursed", N_("Disbursed amount"), 0, "currency"),
  F_DATE ("disbursed_on", N_("Disbursed on"), 0),
};

static const AwdaField referral_fields[] = {
  F_REF ("case_id", N_("Case"), REQ | IDX, "case"),
  F_REF ("partner", N_("Partner"), REQ | IDX, "partner"),
  F_TEXT ("service", N_("Service"), 0),
  F_DATE ("sent_on", N_("Sent on"), 0),
  F_ENUM_DEF ("status", N_("Status"), REQ, referral_status_values, "sent"),
  F_LONG ("outcome", N_("Outcome"), 0),
};

static const AwdaField follow_up_fields[] = {
  F_REF ("case_id", N_("Case"), REQ | IDX, "case"),
  F_DATE ("scheduled_on", N_("Scheduled on"), REQ | IDX),
  F_DATE ("done_on", N_("Done on"), 0),
  F_ENUM ("mode", N_("Mode"), 0, follow_up_mode_values),
  F_REF ("done_by", N_("Done by"), 0, "staff"),
  F_LONG ("notes", N_("Notes"), 0),
  F_DATE ("next_date", N_("Next follow-up"), 0),
};

static const AwdaField attachment_fields[] = {
  F_REF ("case_id", N_("Case"), REQ | IDX, "case"),
  F_TEXT ("file_name", N_("File name"), REQ),
  F_TEXT ("media_type", N_("Media type"), 0),
  F_INT ("size", N_("Size"), 0, 0, G_MAXINT64),
  F_TEXT ("sha256", N_("SHA-256"), REQ | IDX),
};

static const AwdaField programme_fields[] = {
  F_TEXT ("name", N_("Name"), REQ),
  F_TEXT ("donor", N_("Donor"), 0),
  F_ENUM ("currency", N_("Currency"), 0, currency_values),
  F_AMOUNT ("ceiling", N_("Ceiling per case"), 0, "currency"),
  F_BOOL ("active", N_("Active"), 0),
};

static const AwdaField partner_fields[] = {
  F_TEXT ("name", N_("Name"), REQ),
  F_ENUM ("kind", N_("Kind"), 0, partner_kind_values),
  F_LONG ("services", N_("Services"), 0),
  F_ISO ("governorate", N_("Governorate"), 0, awda_iso_governorates, AWDA_ISO_3166_2_DOMAIN),
  F_TEXT ("phone", N_("Phone"), 0),
};

static const AwdaField office_fields[] = {
  F_TEXT ("name", N_("Name"), REQ),
  F_ENUM ("kind", N_("Kind"), 0, site_kind_values),
  F_ISO ("governorate", N_("Governorate"), 0, awda_iso_governorates, AWDA_ISO_3166_2_DOMAIN),
  F_AMOUNT ("approval_threshold", N_("Approval threshold"), 0, "threshold_currency"),
  F_ENUM ("threshold_currency", N_("Threshold currency"), 0, currency_values),
};

static const AwdaField staff_fields[] = {
  F_TEXT ("name", N_("Name"), REQ),
  F_ENUM ("role", N_("Role"), 0, staff_role_values),
  F_REF ("office", N_("Office"), IDX, "office"),
  F_BOOL ("active", N_("Active"), 0),
};

#define ENTITY(n, l, parent, f, ref) { n, l, parent, f, G_N_ELEMENTS (f), ref }

static const AwdaEntity entities[] = {
  /* Reference data first: records refer to it. */
  ENTITY ("office", N_("Office"), NULL, office_fields, TRUE),
  ENTITY ("staff", N_("Staff member"), NULL, staff_fields, TRUE),
  ENTITY ("programme", N_("Programme"), NULL, programme_fields, TRUE),
  ENTITY ("partner", N_("Partner"), NULL, partner_fields, TRUE),
  ENTITY ("case", N_("Case"), NULL, case_fields, FALSE),
  ENTITY ("household_member", N_("Household member"), "case_id", household_member_fields, FALSE),
  ENTITY ("assessment", N_("Assessment"), "case_id", assessment_fields, FALSE),
  ENTITY ("plan_item", N_("Plan item"), "case_id", plan_item_fields, FALSE),
  ENTITY ("referral", N_("Referral"), "case_id", referral_fields, FALSE),
  ENTITY ("follow_up", N_("Follow-up"), "case_id", follow_up_fields, FALSE),
  ENTITY ("attachment", N_("Attachment"), "case_id", attachment_fields, FALSE),
};

static const AwdaField deleted_field = F_BOOL (AWDA_FIELD_DELETED, N_("Deleted"), 0);

const AwdaEntity *
awda_dictionary_get_entities (guint *n_entities)
{
  g_return_val_if_fail (n_entities != NULL, NULL);

  *n_entities = G_N_ELEMENTS (entities);
  return entities;
}

const AwdaEntity *
awda_dictionary_lookup_entity (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strcmp (entities[i].name, name) == 0)
      return &entities[i];

  return NULL;
}

int
awda_entity_field_index (const AwdaEntity *entity,
                         const char       *name)
{
  g_return_val_if_fail (entity != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < entity->n_fields; i++)
    if (strcmp (entity->fields[i].name, name) == 0)
      return (int) i;

  return -1;
}

const AwdaField *
awda_entity_lookup_field (const AwdaEntity *entity,
                          const char       *name)
{
  int i;

  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (strcmp (name, AWDA_FIELD_DELETED) == 0)
    return &deleted_field;

  i = awda_entity_field_index (entity, name);
  return i < 0 ? NULL : &entity->fields[i];
}

const AwdaField *
awda_dictionary_deleted_field (void)
{
  return &deleted_field;
}

const AwdaEnumValue *
awda_field_lookup_value (const AwdaField *field,
                         const char      *value)
{
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (field->values == NULL)
    return NULL;

  for (const AwdaEnumValue *v = field->values; v->value != NULL; v++)
    if (strcmp (v->value, value) == 0)
      return v;

  return NULL;
}

/* The translated label of one of @field's values. Governorates and
 * countries are translated by iso-codes, whose catalogues every Debian
 * system has; where it has none (it returns the very string it was given,
 * as for the governorates in Arabic), ours may, in the domain's context. */
const char *
awda_enum_value_get_label (const AwdaField     *field,
                           const AwdaEnumValue *value)
{
  const char *translated;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (field->values_domain == NULL)
    return g_dgettext (GETTEXT_PACKAGE, value->label);

  translated = g_dgettext (field->values_domain, value->label);
  if (translated != value->label)
    return translated;
  return g_dpgettext2 (GETTEXT_PACKAGE, field->values_domain, value->label);
}

const char *
awda_field_type_to_string (AwdaFieldType type)
{
  switch (type)
    {
    case AWDA_FIELD_TEXT: return "text";
    case AWDA_FIELD_INTEGER: return "integer";
    case AWDA_FIELD_AMOUNT: return "amount";
    case AWDA_FIELD_DATE: return "date";
    case AWDA_FIELD_ENUM: return "enum";
    case AWDA_FIELD_REFERENCE: return "reference";
    case AWDA_FIELD_BOOLEAN: return "boolean";
    case AWDA_FIELD_COUNTRY: return "country";
    default: g_assert_not_reached ();
    }
}

gboolean
awda_date_parse (const char *text,
                 int        *year,
                 int        *month,
                 int        *day)
{
  int y, m, d;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  y = atoi (text);
  m = atoi (text + 5);
  d = atoi (text + 8);
  if (y < 1900 || y > 2100 || !g_date_valid_dmy (d, m, y))
    return FALSE;

  if (year) *year = y;
  if (month) *month = m;
  if (day) *day = d;
  return TRUE;
}

gboolean
awda_amount_parse (const char *text,
                   gint64     *thousandths)
{
  gint64 whole = 0, frac = 0;
  int frac_digits = 0;
  gboolean seen_separator = FALSE, seen_digit = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          seen_digit = TRUE;
          if (seen_separator)
            {
              if (++frac_digits > 3)
                return FALSE;
              frac = frac * 10 + (*p - '0');
            }
          else
            {
              if (whole > G_MAXINT64 / 10000)
                return FALSE;
              whole = whole * 10 + (*p - '0');
            }
        }
      else if ((*p == '.' || *p == ',') && !seen_separator && seen_digit)
        seen_separator = TRUE;
      else
        return FALSE;
    }

  if (!seen_digit)
    return FALSE;

  for (; frac_digits < 3; frac_digits++)
    frac *= 10;

  if (thousandths)
    *thousandths = whole * 1000 + frac;
  return TRUE;
}

char *
awda_amount_format (gint64 thousandths)
{
  gint64 whole = thousandths / 1000;
  gint64 frac = thousandths % 1000;

  if (frac == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, whole);
  if (frac % 100 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, whole, frac / 100);
  if (frac % 10 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT, whole, frac / 10);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT, whole, frac);
}

gboolean
awda_uuid_is_valid (const char *text)
{
  static const int dashes[] = { 8, 13, 18, 23 };

  if (text == NULL || strlen (text) != 36)
    return FALSE;

  for (int i = 0, k = 0; i < 36; i++)
    {
      if (k < 4 && i == dashes[k])
        {
          if (text[i] != '-')
            return FALSE;
          k++;
        }
      else if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_country_code (const char *code)
{
  for (const AwdaIsoEntry *c = awda_iso_countries; c->value != NULL; c++)
    if (strcmp (c->value, code) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
text_is_clean (const char *text,
               gboolean    multiline)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c == '\n' || c == '\t') && multiline)
        continue;
      if (g_unichar_iscntrl (c))
        return FALSE;
    }
  return TRUE;
}

/* The value as a refusal shows it: its first 40 characters, control
 * characters as U+FFFD, so that no escape sequence reaches a terminal. */
static char *
value_for_message (const char *value)
{
  GString *shown = g_string_new (NULL);
  const char *p = value;

  for (guint n = 0; *p != '\0' && n < 40; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (shown, g_unichar_iscntrl (c) ? 0xFFFD : c);
    }
  if (*p != '\0')
    g_string_append (shown, "…");

  return g_string_free (shown, FALSE);
}

/* Only characters that Unicode normalization leaves alone whatever their
 * neighbours: those before U+0300 (the combining marks begin there) and
 * the Arabic letters U+0600 to U+064A (the marks that combine with them
 * or reorder, U+064B and after, take the slow path). Nearly every name
 * is such a text. */
gboolean
awda_field_text_is_canonical (const AwdaField *field,
                              const char      *value)
{
  const guchar *p = (const guchar *) value;
  gboolean multiline;
  guint max;
  guint n_chars = 0;
  gunichar c = 0;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (field->type != AWDA_FIELD_TEXT || *p == '\0' || g_ascii_isspace (*p))
    return FALSE;

  multiline = (field->flags & AWDA_FIELD_MULTILINE) != 0;
  max = field->max_length ? field->max_length : AWDA_TEXT_MAX_LENGTH;

  /* One pass: ASCII byte by byte, the rest validated as it is read. */
  for (; *p != '\0'; n_chars++)
    {
      if (*p < 0x80)
        c = *p++;
      else
        {
          c = g_utf8_get_char_validated ((const char *) p, -1);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            return FALSE;
          p = (const guchar *) g_utf8_next_char (p);
        }

      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        {
          if (!(multiline && (c == '\n' || c == '\t')))
            return FALSE;
        }
      else if (c >= 0x300 && !(c >= 0x600 && c <= 0x64a))
        return FALSE;
    }
  return !(c < 0x80 && g_ascii_isspace (c)) && n_chars <= max;
}

#define REFUSE(...) \
  G_STMT_START { \
    shown = trimmed ? value_for_message (trimmed) : NULL; \
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID, __VA_ARGS__); \
    return NULL; \
  } G_STMT_END

char *
awda_field_normalize (const AwdaEntity *entity,
                      const AwdaField  *field,
                      const char       *value,
                      GError          **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  /* Most texts, UTF-8 included, checked without a copy. */
  if (awda_field_text_is_canonical (field, value))
    return g_strdup (value);

  if (!g_utf8_validate (value, -1, NULL))
    REFUSE (_("The value given for field “%s” of %s is not valid UTF-8 text."),
            field->name, entity->name);

  /* Plain ASCII is already in normal form: most other values are. */
  trimmed = g_strstrip (g_str_is_ascii (value) ? g_strdup (value) : g_utf8_normalize (value, -1, G_NORMALIZE_NFC));

  /* An empty value clears the field. */
  if (*trimmed == '\0')
    return g_steal_pointer (&trimmed);

  switch (field->type)
    {
    case AWDA_FIELD_TEXT:
      {
        guint max = field->max_length ? field->max_length : AWDA_TEXT_MAX_LENGTH;

        if (!text_is_clean (trimmed, (field->flags & AWDA_FIELD_MULTILINE) != 0))
          REFUSE (_("Invalid value “%s” for field “%s” of %s: control characters are not allowed."),
                  shown, field->name, entity->name);
        if (g_utf8_strlen (trimmed, -1) > (glong) max)
          REFUSE (_("Invalid value “%s” for field “%s” of %s: longer than %u characters."),
                  shown, field->name, entity->name, max);
        return g_steal_pointer (&trimmed);
      }

    case AWDA_FIELD_INTEGER:
      {
        gint64 n;

        if (!g_ascii_string_to_signed (trimmed, 10, G_MININT64, G_MAXINT64, &n, NULL))
          REFUSE (_("Invalid value “%s” for field “%s” of %s: expected a whole number."),
                  shown, field->name, entity->name);
        if (field->min < field->max && (n < field->min || n > field->max))
          REFUSE (_("Invalid value “%s” for field “%s” of %s: expected a number from %lld to %lld."),
                  shown, field->name, entity->name, (long long) field->min, (long long) field->max);
        return g_strdup_printf ("%" G_GINT64_FORMAT, n);
      }

    case AWDA_FIELD_AMOUNT:
      {
        gint64 n;

        if (!awda_amount_parse (trimmed, &n))
          REFUSE (_("Invalid value “%s” for field “%s” of %s: expected an amount such as 1250.500."),
                  shown, field->name, entity->name);
        return awda_amount_format (n);
      }

    case AWDA_FIELD_DATE:
      if (!awda_date_parse (trimmed, NULL, NULL, NULL))
        REFUSE (_("Invalid value “%s” for field “%s” of %s: expected a date as YYYY-MM-DD."),
                shown, field->name, entity->name);
      return g_steal_pointer (&trimmed);

    case AWDA_FIELD_ENUM:
      if (awda_field_lookup_value (field, trimmed) == NULL)
        {
          g_autoptr(GString) allowed = g_string_new (NULL);

          for (const AwdaEnumValue *v = field->values; v->value != NULL; v++)
            {
              if (allowed->len > 0)
                g_string_append (allowed, ", ");
              g_string_append (allowed, v->value);
            }
          REFUSE (_("Invalid value “%s” for field “%s” of %s: expected one of %s."),
                  shown, field->name, entity->name, allowed->str);
        }
      return g_steal_pointer (&trimmed);

    case AWDA_FIELD_REFERENCE:
      {
        g_autofree char *lower = g_ascii_strdown (trimmed, -1);

        if (!awda_uuid_is_valid (lower))
          REFUSE (_("Invalid value “%s” for field “%s” of %s: expected the id of a %s record."),
                  shown, field->name, entity->name, field->reference);
        return g_steal_pointer (&lower);
      }

    case AWDA_FIELD_BOOLEAN:
      {
        g_autofree char *lower = g_ascii_strdown (trimmed, -1);

        if (g_str_equal (lower, "true") || g_str_equal (lower, "yes") || g_str_equal (lower, "1"))
          return g_strdup ("true");
        if (g_str_equal (lower, "false") || g_str_equal (lower, "no") || g_str_equal (lower, "0"))
          return g_strdup ("false");
        REFUSE (_("Invalid value “%s” for field “%s” of %s: expected true or false."),
                shown, field->name, entity->name);
      }

    case AWDA_FIELD_COUNTRY:
      {
        g_autofree char *upper = g_ascii_strup (trimmed, -1);

        if (!is_country_code (upper))
          REFUSE (_("Invalid value “%s” for field “%s” of %s: expected a two-letter ISO 3166-1 country code such as FR."),
                  shown, field->name, entity->name);
        return g_steal_pointer (&upper);
      }

    default:
      g_assert_not_reached ();
    }
}

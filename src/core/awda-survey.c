/* awda-survey.c: the reintegration sustainability survey: questions, scoring, weights
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The survey lives in one key file (data/sustainability-survey.ini) so that
 * the platform can adjust questions, scores and weights without a new
 * build. It is checked as a whole when loaded: a survey that does not hold
 * together would give every case a wrong score, so it is refused with a
 * sentence naming the place and the value at fault.
 */

#define G_LOG_DOMAIN "awda-survey"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "awda-core-data.h"
#include "awda-survey.h"

#define SURVEY_RESOURCE "/org/awda/Awda/data/" AWDA_SURVEY_FILE_NAME
#define SURVEY_GROUP "Survey"
#define QUESTION_PREFIX "Question "
#define WEIGHT_TOLERANCE 0.001

struct _AwdaSurvey
{
  char               *origin;
  double              threshold;
  double              dimension_weights[AWDA_SURVEY_N_DIMENSIONS];
  GPtrArray          *questions;  /* AwdaSurveyQuestion */
  GHashTable         *by_id;      /* id → AwdaSurveyQuestion, borrowed */
};

G_DEFINE_QUARK (awda-survey-error-quark, awda_survey_error)

static const char *dimension_names[AWDA_SURVEY_N_DIMENSIONS] = {
  "economic", "social", "psychosocial",
};

/* The same labels as the dictionary's dimension enumeration. */
static const char *dimension_labels[AWDA_SURVEY_N_DIMENSIONS] = {
  N_("Economic"), N_("Social"), N_("Psychosocial"),
};

const char *
awda_survey_dimension_name (AwdaSurveyDimension dimension)
{
  g_return_val_if_fail (dimension < AWDA_SURVEY_N_DIMENSIONS, NULL);
  return dimension_names[dimension];
}

const char *
awda_survey_dimension_label (AwdaSurveyDimension dimension)
{
  g_return_val_if_fail (dimension < AWDA_SURVEY_N_DIMENSIONS, NULL);
  return dimension_labels[dimension];
}

static int
dimension_from_name (const char *name)
{
  for (int d = 0; d < AWDA_SURVEY_N_DIMENSIONS; d++)
    if (g_strcmp0 (name, dimension_names[d]) == 0)
      return d;
  return -1;
}

static void
question_free (gpointer data)
{
  AwdaSurveyQuestion *q = data;

  for (guint i = 0; i < q->n_answers; i++)
    {
      g_free (q->answers[i].id);
      g_free (q->answers[i].text);
    }
  g_free (q->answers);
  g_free (q->id);
  g_free (q->text);
  g_free (q);
}

void
awda_survey_free (AwdaSurvey *survey)
{
  if (survey == NULL)
    return;
  g_clear_pointer (&survey->by_id, g_hash_table_unref);
  g_clear_pointer (&survey->questions, g_ptr_array_unref);
  g_free (survey->origin);
  g_free (survey);
}

/* Loading */

static gboolean
invalid (GError     **error,
         const char  *origin,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const char  *origin,
         const char  *format,
         ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_FILE,
               _("The survey file %s is invalid: %s"), origin, reason);
  return FALSE;
}

static gboolean
is_identifier (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* A number from 0 to 1 written in full, with a dot. */
static gboolean
parse_unit (const char *text,
            double     *value)
{
  char *end = NULL;
  double v;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  v = g_ascii_strtod (text, &end);
  while (end && g_ascii_isspace (*end))
    end++;
  if (end == NULL || *end != '\0' || !isfinite (v) || v < 0.0 || v > 1.0)
    return FALSE;
  *value = v;
  return TRUE;
}

/* GKeyFile merges groups of the same name: duplicates are found in the text. */
static gboolean
check_unique_groups (const char  *data,
                     gsize        length,
                     const char  *origin,
                     GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *copy = g_strndup (data, length);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *end;

      if (line[0] != '[' || (end = strrchr (line, ']')) == NULL)
        continue;
      *end = '\0';
      if (g_hash_table_contains (seen, line + 1))
        {
          if (g_str_has_prefix (line + 1, QUESTION_PREFIX))
            return invalid (error, origin, _("the question id “%s” is used twice (line %u)."),
                            line + 1 + strlen (QUESTION_PREFIX), i + 1);
          return invalid (error, origin, _("the group “%s” appears twice (line %u)."), line + 1, i + 1);
        }
      g_hash_table_add (seen, g_strdup (line + 1));
    }
  return TRUE;
}

static gboolean
load_survey_group (AwdaSurvey  *survey,
                   GKeyFile    *keys,
                   GError     **error)
{
  const char *origin = survey->origin;
  g_autofree char *threshold = NULL;
  g_auto(GStrv) dimensions = NULL;
  g_auto(GStrv) weights = NULL;
  gsize n_dimensions = 0, n_weights = 0;
  gboolean seen[AWDA_SURVEY_N_DIMENSIONS] = { FALSE };
  double sum = 0.0;

  if (!g_key_file_has_group (keys, SURVEY_GROUP))
    return invalid (error, origin, _("the group “[%s]” is missing."), SURVEY_GROUP);

  threshold = g_key_file_get_value (keys, SURVEY_GROUP, "Threshold", NULL);
  if (!parse_unit (threshold, &survey->threshold) || survey->threshold <= 0.0)
    return invalid (error, origin, _("Threshold is “%s”, expected a number above 0 and at most 1."),
                    threshold ? threshold : "");

  dimensions = g_key_file_get_string_list (keys, SURVEY_GROUP, "Dimensions", &n_dimensions, NULL);
  weights = g_key_file_get_string_list (keys, SURVEY_GROUP, "DimensionWeights", &n_weights, NULL);
  if (dimensions == NULL || n_dimensions != AWDA_SURVEY_N_DIMENSIONS)
    return invalid (error, origin, _("Dimensions must list economic, social and psychosocial."));
  if (weights == NULL || n_weights != n_dimensions)
    return invalid (error, origin, _("DimensionWeights must give one weight for each of the %u dimensions."),
                    (guint) n_dimensions);

  for (gsize i = 0; i < n_dimensions; i++)
    {
      int d = dimension_from_name (g_strstrip (dimensions[i]));
      double w;

      if (d < 0)
        return invalid (error, origin, _("the dimension “%s” is unknown: expected economic, social or psychosocial."),
                        dimensions[i]);
      if (seen[d])
        return invalid (error, origin, _("the dimension “%s” is listed twice."), dimensions[i]);
      seen[d] = TRUE;
      if (!parse_unit (weights[i], &w))
        return invalid (error, origin, _("the weight “%s” of dimension “%s” is not a number from 0 to 1."),
                        weights[i], dimensions[i]);
      survey->dimension_weights[d] = w;
      sum += w;
    }

  if (fabs (sum - 1.0) > WEIGHT_TOLERANCE)
    return invalid (error, origin, _("the dimension weights add up to %.3f instead of 1."), sum);

  return TRUE;
}

static gboolean
load_question (AwdaSurvey  *survey,
               GKeyFile    *keys,
               const char  *group,
               GError     **error)
{
  const char *origin = survey->origin;
  const char *id = group + strlen (QUESTION_PREFIX);
  g_autofree char *dimension = NULL;
  g_autofree char *weight = NULL;
  g_auto(GStrv) answers = NULL;
  g_auto(GStrv) scores = NULL;
  gsize n_answers = 0, n_scores = 0;
  AwdaSurveyQuestion *q;
  gboolean any_applicable = FALSE;
  int d;

  if (!is_identifier (id))
    return invalid (error, origin, _("the question id “%s” must be lowercase letters, digits and “_”."), id);

  dimension = g_key_file_get_string (keys, group, "Dimension", NULL);
  d = dimension_from_name (dimension ? g_strstrip (dimension) : NULL);
  if (d < 0)
    return invalid (error, origin, _("question “%s” has the dimension “%s”: expected economic, social or psychosocial."),
                    id, dimension ? dimension : "");

  q = g_new0 (AwdaSurveyQuestion, 1);
  q->id = g_strdup (id);
  q->dimension = d;
  g_ptr_array_add (survey->questions, q);
  g_hash_table_insert (survey->by_id, q->id, q);

  weight = g_key_file_get_value (keys, group, "Weight", NULL);
  if (!parse_unit (weight, &q->weight) || q->weight <= 0.0)
    return invalid (error, origin, _("question “%s” has the weight “%s”: expected a number above 0 and at most 1."),
                    id, weight ? weight : "");

  q->text = g_key_file_get_locale_string (keys, group, "Text", NULL, NULL);
  if (q->text == NULL || *g_strstrip (q->text) == '\0')
    return invalid (error, origin, _("question “%s” has no Text."), id);

  answers = g_key_file_get_string_list (keys, group, "Answers", &n_answers, NULL);
  scores = g_key_file_get_string_list (keys, group, "Scores", &n_scores, NULL);
  if (answers == NULL || n_answers < 2)
    return invalid (error, origin, _("question “%s” needs at least two Answers."), id);
  if (scores == NULL || n_scores != n_answers)
    return invalid (error, origin, _("question “%s” has %u answers but %u scores."),
                    id, (guint) n_answers, scores ? (guint) n_scores : 0);

  q->n_answers = n_answers;
  q->answers = g_new0 (AwdaSurveyAnswer, n_answers);
  for (gsize i = 0; i < n_answers; i++)
    {
      AwdaSurveyAnswer *a = &q->answers[i];
      g_autofree char *key = NULL;
      const char *score = g_strstrip (scores[i]);

      a->id = g_strdup (g_strstrip (answers[i]));
      if (!is_identifier (a->id))
        return invalid (error, origin, _("question “%s” has the answer id “%s”: expected lowercase letters, digits and “_”."),
                        id, a->id);
      for (gsize j = 0; j < i; j++)
        if (g_str_equal (q->answers[j].id, a->id))
          return invalid (error, origin, _("question “%s” lists the answer “%s” twice."), id, a->id);

      if (g_str_equal (score, "na"))
        a->applicable = FALSE;
      else if (parse_unit (score, &a->score))
        a->applicable = any_applicable = TRUE;
      else
        return invalid (error, origin, _("the score “%s” of answer “%s” to question “%s” is not a number from 0 to 1 nor “na”."),
                        score, a->id, id);

      key = g_strconcat ("Answer-", a->id, NULL);
      a->text = g_key_file_get_locale_string (keys, group, key, NULL, NULL);
      if (a->text == NULL || *g_strstrip (a->text) == '\0')
        return invalid (error, origin, _("question “%s” has no text for its answer “%s” (key %s)."),
                        id, a->id, key);
    }

  if (!any_applicable)
    return invalid (error, origin, _("question “%s” has no answer with a score."), id);

  return TRUE;
}

AwdaSurvey *
awda_survey_load_data (const char  *data,
                       gsize        length,
                       const char  *origin,
                       GError     **error)
{
  g_autoptr(AwdaSurvey) survey = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  double sums[AWDA_SURVEY_N_DIMENSIONS] = { 0 };
  guint counts[AWDA_SURVEY_N_DIMENSIONS] = { 0 };

  g_return_val_if_fail (data != NULL, NULL);

  survey = g_new0 (AwdaSurvey, 1);
  survey->origin = g_strdup (origin ? origin : AWDA_SURVEY_FILE_NAME);
  survey->questions = g_ptr_array_new_with_free_func (question_free);
  survey->by_id = g_hash_table_new (g_str_hash, g_str_equal);

  if (!g_utf8_validate (data, length, NULL))
    {
      invalid (error, survey->origin, _("it is not UTF-8 text."));
      return NULL;
    }
  if (!g_key_file_load_from_data (keys, data, length, G_KEY_FILE_NONE, &local_error))
    {
      invalid (error, survey->origin, "%s", local_error->message);
      return NULL;
    }
  if (!check_unique_groups (data, length, survey->origin, error) ||
      !load_survey_group (survey, keys, error))
    return NULL;

  groups = g_key_file_get_groups (keys, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_equal (groups[i], SURVEY_GROUP))
        continue;
      if (!g_str_has_prefix (groups[i], QUESTION_PREFIX))
        {
          invalid (error, survey->origin, _("the group “[%s]” is unknown: expected [%s] or [%sID]."),
                   groups[i], SURVEY_GROUP, QUESTION_PREFIX);
          return NULL;
        }
      if (!load_question (survey, keys, groups[i], error))
        return NULL;
    }

  for (guint i = 0; i < survey->questions->len; i++)
    {
      const AwdaSurveyQuestion *q = g_ptr_array_index (survey->questions, i);

      sums[q->dimension] += q->weight;
      counts[q->dimension]++;
    }
  for (int d = 0; d < AWDA_SURVEY_N_DIMENSIONS; d++)
    {
      if (counts[d] == 0 && survey->dimension_weights[d] > 0.0)
        {
          invalid (error, survey->origin, _("the dimension “%s” has a weight but no question."), dimension_names[d]);
          return NULL;
        }
      if (counts[d] > 0 && fabs (sums[d] - 1.0) > WEIGHT_TOLERANCE)
        {
          invalid (error, survey->origin, _("the weights of the %s questions add up to %.3f instead of 1."),
                   dimension_names[d], sums[d]);
          return NULL;
        }
    }

  return g_steal_pointer (&survey);
}

AwdaSurvey *
awda_survey_load_file (const char  *path,
                       GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return awda_survey_load_data (data, length, path, error);
}

AwdaSurvey *
awda_survey_load_default (GError **error)
{
  const char *env = g_getenv ("AWDA_SURVEY_FILE");
  g_autofree char *installed = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (env != NULL && *env != '\0')
    return awda_survey_load_file (env, error);

  installed = g_build_filename (AWDA_DATADIR, AWDA_SURVEY_FILE_NAME, NULL);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return awda_survey_load_file (installed, error);

  bytes = g_resource_lookup_data (awda_core_data_get_resource (), SURVEY_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  return awda_survey_load_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                AWDA_SURVEY_FILE_NAME, error);
}

/* Accessors */

const char *
awda_survey_get_origin (AwdaSurvey *survey)
{
  g_return_val_if_fail (survey != NULL, NULL);
  return survey->origin;
}

double
awda_survey_get_threshold (AwdaSurvey *survey)
{
  g_return_val_if_fail (survey != NULL, 0.0);
  return survey->threshold;
}

int
awda_survey_get_threshold_score (AwdaSurvey *survey)
{
  g_return_val_if_fail (survey != NULL, 0);
  /* 0.66 is 66, not 66.00000000000001 rounded up to 67. */
  return (int) ceil (survey->threshold * 100.0 - 1e-9);
}

double
awda_survey_get_dimension_weight (AwdaSurvey          *survey,
                                  AwdaSurveyDimension  dimension)
{
  g_return_val_if_fail (survey != NULL, 0.0);
  g_return_val_if_fail (dimension < AWDA_SURVEY_N_DIMENSIONS, 0.0);
  return survey->dimension_weights[dimension];
}

guint
awda_survey_get_n_questions (AwdaSurvey *survey)
{
  g_return_val_if_fail (survey != NULL, 0);
  return survey->questions->len;
}

const AwdaSurveyQuestion *
awda_survey_get_question (AwdaSurvey *survey,
                          guint       index)
{
  g_return_val_if_fail (survey != NULL, NULL);
  g_return_val_if_fail (index < survey->questions->len, NULL);
  return g_ptr_array_index (survey->questions, index);
}

const AwdaSurveyQuestion *
awda_survey_lookup_question (AwdaSurvey *survey,
                             const char *id)
{
  g_return_val_if_fail (survey != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return g_hash_table_lookup (survey->by_id, id);
}

/* Scoring */

/* Half up, immune to 62.4999999 for 62.5. */
static int
round_score (double value)
{
  return (int) floor (value + 0.5 + 1e-9);
}

int
awda_survey_composite (AwdaSurvey *survey,
                       const int  *dimension_scores)
{
  double sum = 0.0, weights = 0.0;

  g_return_val_if_fail (survey != NULL, -1);
  g_return_val_if_fail (dimension_scores != NULL, -1);

  for (int d = 0; d < AWDA_SURVEY_N_DIMENSIONS; d++)
    {
      double w = survey->dimension_weights[d];

      if (w <= 0.0)
        continue;
      if (dimension_scores[d] < 0)
        return -1;
      sum += w * dimension_scores[d];
      weights += w;
    }
  return weights > 0.0 ? round_score (sum / weights) : -1;
}

gboolean
awda_survey_score (AwdaSurvey        *survey,
                   const char        *answers,
                   AwdaSurveyScores  *scores,
                   GError           **error)
{
  g_autoptr(GHashTable) answered = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *copy = NULL;
  double sum[AWDA_SURVEY_N_DIMENSIONS] = { 0 };
  double weight[AWDA_SURVEY_N_DIMENSIONS] = { 0 };
  char *item, *rest;

  g_return_val_if_fail (survey != NULL, FALSE);
  g_return_val_if_fail (scores != NULL, FALSE);

  copy = g_strdup (answers ? answers : "");
  for (item = strtok_r (copy, ";\n", &rest); item != NULL; item = strtok_r (NULL, ";\n", &rest))
    {
      const AwdaSurveyQuestion *q;
      const AwdaSurveyAnswer *a = NULL;
      char *equals, *question_id, *answer_id;

      item = g_strstrip (item);
      if (*item == '\0')
        continue;

      equals = strchr (item, '=');
      if (equals == NULL)
        {
          g_set_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_ANSWER,
                       _("The survey answer “%s” is not of the form question=answer."), item);
          return FALSE;
        }
      *equals = '\0';
      question_id = g_strstrip (item);
      answer_id = g_strstrip (equals + 1);

      q = g_hash_table_lookup (survey->by_id, question_id);
      if (q == NULL)
        {
          g_set_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_ANSWER,
                       _("The survey has no question “%s” (answered “%s”)."), question_id, answer_id);
          return FALSE;
        }
      if (g_hash_table_contains (answered, q->id))
        {
          g_set_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_ANSWER,
                       _("The survey question “%s” is answered twice."), q->id);
          return FALSE;
        }
      g_hash_table_add (answered, q->id);

      for (guint i = 0; i < q->n_answers; i++)
        if (g_str_equal (q->answers[i].id, answer_id))
          a = &q->answers[i];
      if (a == NULL)
        {
          g_autoptr(GString) allowed = g_string_new (NULL);

          for (guint i = 0; i < q->n_answers; i++)
            g_string_append_printf (allowed, "%s%s", i ? ", " : "", q->answers[i].id);
          g_set_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_ANSWER,
                       _("“%s” is not an answer to the survey question “%s”: expected one of %s."),
                       answer_id, q->id, allowed->str);
          return FALSE;
        }

      if (!a->applicable)
        continue;
      sum[q->dimension] += q->weight * a->score;
      weight[q->dimension] += q->weight;
    }

  for (int d = 0; d < AWDA_SURVEY_N_DIMENSIONS; d++)
    scores->dimension[d] = weight[d] > 0.0 ? round_score (100.0 * sum[d] / weight[d]) : -1;
  scores->composite = awda_survey_composite (survey, scores->dimension);
  return TRUE;
}

static void
set_score (AwdaEdit   *edit,
           const char *field,
           int         score)
{
  g_autofree char *text = score >= 0 ? g_strdup_printf ("%d", score) : g_strdup ("");

  awda_edit_set (edit, field, text);
}

gboolean
awda_survey_apply_scores (AwdaSurvey        *survey,
                          AwdaStore         *store,
                          const char        *assessment_id,
                          AwdaSurveyScores  *out_scores,
                          GError           **error)
{
  static const char *fields[AWDA_SURVEY_N_DIMENSIONS] = {
    "score_economic", "score_social", "score_psychosocial",
  };
  g_autoptr(AwdaRecord) record = NULL;
  g_autoptr(AwdaEdit) edit = NULL;
  AwdaSurveyScores scores;
  const char *kind;

  g_return_val_if_fail (survey != NULL, FALSE);
  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (assessment_id != NULL, FALSE);

  record = awda_store_get_record (store, "assessment", assessment_id, error);
  if (record == NULL)
    return FALSE;

  kind = awda_record_get (record, "kind");
  if (g_strcmp0 (kind, AWDA_SURVEY_ASSESSMENT_KIND) != 0)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The assessment %s is a “%s”, not a sustainability survey: it has no survey scores."),
                   assessment_id, kind ? kind : "");
      return FALSE;
    }

  if (!awda_survey_score (survey, awda_record_get (record, "answers"), &scores, error))
    return FALSE;

  edit = awda_edit_new ("assessment", record->id);
  for (int d = 0; d < AWDA_SURVEY_N_DIMENSIONS; d++)
    set_score (edit, fields[d], scores.dimension[d]);
  set_score (edit, "score_composite", scores.composite);
  if (!awda_store_apply (store, edit, error))
    return FALSE;

  if (out_scores != NULL)
    *out_scores = scores;
  return TRUE;
}

/* awda-survey.h: the reintegration sustainability survey: questions, scoring, weights
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "awda-store.h"

G_BEGIN_DECLS

#define AWDA_SURVEY_ERROR (awda_survey_error_quark ())

typedef enum
{
  AWDA_SURVEY_ERROR_INVALID_FILE,    /* the survey file does not hold together */
  AWDA_SURVEY_ERROR_INVALID_ANSWER,  /* an answer names no question or no answer of it */
} AwdaSurveyError;

GQuark awda_survey_error_quark (void);

/* The survey file's name, in AWDA_DATADIR and in the core's resources. */
#define AWDA_SURVEY_FILE_NAME "sustainability-survey.ini"

/* The kind of assessment the survey is recorded as. */
#define AWDA_SURVEY_ASSESSMENT_KIND "sustainability_survey"

typedef enum
{
  AWDA_SURVEY_ECONOMIC,
  AWDA_SURVEY_SOCIAL,
  AWDA_SURVEY_PSYCHOSOCIAL,
  AWDA_SURVEY_N_DIMENSIONS
} AwdaSurveyDimension;

typedef struct
{
  char     *id;
  char     *text;        /* in the user's language when the file has it */
  gboolean  applicable;  /* FALSE: "does not apply", left out of the score */
  double    score;       /* 0 to 1 */
} AwdaSurveyAnswer;

typedef struct
{
  char                *id;
  AwdaSurveyDimension  dimension;
  char                *text;     /* in the user's language when the file has it */
  double               weight;   /* within its dimension; a dimension's weights sum to 1 */
  guint                n_answers;
  AwdaSurveyAnswer    *answers;
} AwdaSurveyQuestion;

/* Scores from 0 to 100, as stored in the assessment; -1: no score (no
 * applicable answer in the dimension; for the composite, a dimension
 * without a score). */
typedef struct
{
  int dimension[AWDA_SURVEY_N_DIMENSIONS];
  int composite;
} AwdaSurveyScores;

typedef struct _AwdaSurvey AwdaSurvey;

/* The survey in effect: the file named by the environment variable
 * AWDA_SURVEY_FILE, else AWDA_DATADIR/sustainability-survey.ini, else the
 * copy built into the core. A file that exists but is invalid is an
 * error: Awda never scores with a survey it cannot read. */
AwdaSurvey               *awda_survey_load_default      (GError            **error);
AwdaSurvey               *awda_survey_load_file         (const char         *path,
                                                         GError            **error);
/* @origin names the data in messages (a file name). */
AwdaSurvey               *awda_survey_load_data         (const char         *data,
                                                         gsize               length,
                                                         const char         *origin,
                                                         GError            **error);
void                      awda_survey_free              (AwdaSurvey         *survey);

const char               *awda_survey_get_origin        (AwdaSurvey         *survey);
/* The composite score (0 to 1) from which a case counts as sustainably
 * reintegrated; awda_survey_get_threshold_score() is it on the 0 to 100
 * scale of stored scores, rounded up. */
double                    awda_survey_get_threshold     (AwdaSurvey         *survey);
int                       awda_survey_get_threshold_score (AwdaSurvey       *survey);
double                    awda_survey_get_dimension_weight (AwdaSurvey      *survey,
                                                         AwdaSurveyDimension dimension);
guint                     awda_survey_get_n_questions   (AwdaSurvey         *survey);
const AwdaSurveyQuestion *awda_survey_get_question      (AwdaSurvey         *survey,
                                                         guint               index);
const AwdaSurveyQuestion *awda_survey_lookup_question   (AwdaSurvey         *survey,
                                                         const char         *id);

/* The dimension's name as stored ("economic", …) and its label (N_()). */
const char               *awda_survey_dimension_name    (AwdaSurveyDimension dimension);
const char               *awda_survey_dimension_label   (AwdaSurveyDimension dimension);

/* Scores a set of answers: "question_id=answer_id" items, one a line or
 * separated by ';'. Blank items are skipped; an unknown question or
 * answer, or a question answered twice, is refused. A question not
 * answered, or answered "does not apply", is left out: each dimension's
 * score is the weighted mean of its scored answers over their weights. */
gboolean                  awda_survey_score             (AwdaSurvey         *survey,
                                                         const char         *answers,
                                                         AwdaSurveyScores   *scores,
                                                         GError            **error);

/* The composite (0 to 100, rounded) of dimension scores (0 to 100; -1:
 * none): their weighted mean; -1 when a weighted dimension has no score. */
int                       awda_survey_composite         (AwdaSurvey         *survey,
                                                         const int          *dimension_scores);

/* Reads the answers of the sustainability survey @assessment_id, scores
 * them, and writes score_economic, score_social, score_psychosocial and
 * score_composite through awda_store_apply() (a dimension without a score
 * is cleared). Refuses an assessment of another kind. */
gboolean                  awda_survey_apply_scores      (AwdaSurvey         *survey,
                                                         AwdaStore          *store,
                                                         const char         *assessment_id,
                                                         AwdaSurveyScores   *scores,
                                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwdaSurvey, awda_survey_free)

G_END_DECLS

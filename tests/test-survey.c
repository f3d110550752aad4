/* test-survey.c: the sustainability survey file, its checks and its scoring
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "awda-survey.h"

/* The survey file of the source tree, as installed. */
static char *
survey_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", AWDA_SURVEY_FILE_NAME, NULL);
}

static char *
survey_text (void)
{
  g_autofree char *path = survey_path ();
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static AwdaSurvey *
load_survey (void)
{
  g_autofree char *path = survey_path ();
  g_autoptr(GError) error = NULL;
  AwdaSurvey *survey = awda_survey_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (survey);
  return survey;
}

static void
test_file (void)
{
  g_autoptr(AwdaSurvey) survey = load_survey ();
  guint counts[AWDA_SURVEY_N_DIMENSIONS] = { 0 };
  const AwdaSurveyQuestion *q;

  /* About fifteen questions in each of the three dimensions. */
  g_assert_cmpuint (awda_survey_get_n_questions (survey), >=, 15);
  for (guint i = 0; i < awda_survey_get_n_questions (survey); i++)
    counts[awda_survey_get_question (survey, i)->dimension]++;
  for (int d = 0; d < AWDA_SURVEY_N_DIMENSIONS; d++)
    g_assert_cmpuint (counts[d], >=, 5);

  g_assert_cmpfloat_with_epsilon (awda_survey_get_threshold (survey), 0.66, 1e-9);
  g_assert_cmpint (awda_survey_get_threshold_score (survey), ==, 66);
  g_assert_cmpfloat_with_epsilon (awda_survey_get_dimension_weight (survey, AWDA_SURVEY_ECONOMIC), 0.34, 1e-9);

  q = awda_survey_lookup_question (survey, "soc_schooling");
  g_assert_nonnull (q);
  g_assert_cmpint (q->dimension, ==, AWDA_SURVEY_SOCIAL);
  g_assert_cmpuint (q->n_answers, ==, 4);
  g_assert_false (q->answers[3].applicable);  /* no school-age children */
  g_assert_cmpstr (q->answers[3].text, ==, "No school-age children");
}

/* The built-in copy is the same survey. */
static void
test_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwdaSurvey) from_file = load_survey ();
  g_autoptr(AwdaSurvey) survey = NULL;

  g_unsetenv ("AWDA_SURVEY_FILE");
  survey = awda_survey_load_default (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (awda_survey_get_n_questions (survey), ==, awda_survey_get_n_questions (from_file));

  /* A file named by the environment that cannot be read is an error,
   * never a silent fallback. */
  g_setenv ("AWDA_SURVEY_FILE", "/nonexistent/survey.ini", TRUE);
  g_clear_pointer (&survey, awda_survey_free);
  survey = awda_survey_load_default (&error);
  g_assert_null (survey);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_unsetenv ("AWDA_SURVEY_FILE");
}

static void
test_translations (void)
{
  g_autoptr(AwdaSurvey) fr = NULL;
  g_autoptr(AwdaSurvey) ar = NULL;

  g_setenv ("LANGUAGE", "fr", TRUE);
  fr = load_survey ();
  g_assert_cmpstr (awda_survey_lookup_question (fr, "psy_remigrate")->text, ==, "Souhaitez-vous émigrer à nouveau ?");
  g_assert_cmpstr (awda_survey_lookup_question (fr, "psy_remigrate")->answers[0].text, ==, "Non");

  g_setenv ("LANGUAGE", "ar", TRUE);
  ar = load_survey ();
  g_assert_cmpstr (awda_survey_lookup_question (ar, "psy_remigrate")->text, ==, "هل ترغب في الهجرة مجددًا؟");
  g_unsetenv ("LANGUAGE");
}

static void
assert_scores (AwdaSurvey *survey,
               const char *answers,
               int         economic,
               int         social,
               int         psychosocial,
               int         composite)
{
  g_autoptr(GError) error = NULL;
  AwdaSurveyScores scores;

  g_assert_true (awda_survey_score (survey, answers, &scores, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scores.dimension[AWDA_SURVEY_ECONOMIC], ==, economic);
  g_assert_cmpint (scores.dimension[AWDA_SURVEY_SOCIAL], ==, social);
  g_assert_cmpint (scores.dimension[AWDA_SURVEY_PSYCHOSOCIAL], ==, psychosocial);
  g_assert_cmpint (scores.composite, ==, composite);
}

/* A case's answers, one a line, as stored in the assessment. */
static const char *mixed_answers =
  "econ_satisfaction=satisfied\n"
  "econ_food=rarely\n"
  "econ_borrow=no\n"
  "econ_debt=smaller\n"
  "econ_work=part_time\n"
  "econ_training=yes\n"
  "soc_housing=with_relatives\n"
  "soc_housing_standard=good\n"
  "soc_schooling=no_children\n"
  "soc_documents=all\n"
  "soc_health=limited\n"
  "soc_water=always\n"
  "psy_activities=sometimes\n"
  "psy_support=one\n"
  "psy_discrimination=never\n"
  "psy_remigrate=undecided\n"
  "psy_distress=often\n";

static void
test_score (void)
{
  g_autoptr(AwdaSurvey) survey = load_survey ();

  /* The best answer everywhere. */
  assert_scores (survey,
                 "econ_satisfaction=very_satisfied; econ_food=never; econ_borrow=yes; econ_debt=no_debt;"
                 "econ_work=full_time; econ_training=yes; soc_housing=own_or_rented; soc_housing_standard=good;"
                 "soc_schooling=all; soc_documents=all; soc_health=good; soc_water=always;"
                 "psy_activities=often; psy_support=several; psy_discrimination=never; psy_remigrate=no;"
                 "psy_distress=rarely",
                 100, 100, 100, 100);

  /* Economic: 0.15×0.75 + 0.20×0.66 + 0.15×0 + 0.15×0.5 + 0.25×0.5 + 0.10×1
   *   = 0.1125 + 0.132 + 0 + 0.075 + 0.125 + 0.1 = 0.5445 → 54.
   * Social, schooling not applicable: (0.2×0.5 + 0.15×1 + 0.15×1 + 0.2×0.5
   *   + 0.15×1) / (0.2 + 0.15 + 0.15 + 0.2 + 0.15) = 0.65 / 0.85 = 0.7647 → 76.
   * Psychosocial: 0.15×0.5 + 0.25×0.5 + 0.2×1 + 0.2×0.5 + 0.2×0 = 0.5 → 50.
   * Composite: 0.34×54 + 0.33×76 + 0.33×50 = 18.36 + 25.08 + 16.5 = 59.94 → 60. */
  assert_scores (survey, mixed_answers, 54, 76, 50, 60);

  /* One question answered: its dimension alone has a score, and there is
   * no composite without every dimension. */
  assert_scores (survey, "  econ_work = part_time  \n\n", 50, -1, -1, -1);
  assert_scores (survey, "", -1, -1, -1, -1);

  /* The composite of stored scores, as the indicators compute it. */
  {
    int dims[] = { 30, 40, 50 };
    int missing[] = { 30, -1, 50 };

    g_assert_cmpint (awda_survey_composite (survey, dims), ==, 40);  /* 39.9 */
    g_assert_cmpint (awda_survey_composite (survey, missing), ==, -1);
  }
}

static void
test_refused_answers (void)
{
  g_autoptr(AwdaSurvey) survey = load_survey ();
  static const struct
  {
    const char *answers;
    const char *named;   /* the message names it */
  } cases[] = {
    { "econ_wealth=yes", "econ_wealth" },
    { "econ_work=sometimes", "sometimes" },
    { "econ_work=no; econ_work=full_time", "econ_work" },
    { "econ_work", "econ_work" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      AwdaSurveyScores scores;

      g_assert_false (awda_survey_score (survey, cases[i].answers, &scores, &error));
      g_assert_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_ANSWER);
      g_assert_nonnull (strstr (error->message, cases[i].named));
    }
}

/* Each broken copy of the file is refused with a message naming what is
 * wrong. */
static void
test_refused_files (void)
{
  g_autofree char *text = survey_text ();
  static const struct
  {
    const char *from;
    const char *to;
    const char *named;
  } edits[] = {
    /* econ_satisfaction's weight 0.15 → 0.25: economic adds up to 1.1 */
    { "[Question econ_satisfaction]\nDimension=economic\nWeight=0.15",
      "[Question econ_satisfaction]\nDimension=economic\nWeight=0.25", "1.100" },
    { "DimensionWeights=0.34;0.33;0.33", "DimensionWeights=0.34;0.33;0.23", "0.900" },
    { "[Question econ_food]", "[Question econ_satisfaction]", "econ_satisfaction" },
    { "Dimension=social\nWeight=0.20\nText=Where", "Dimension=cultural\nWeight=0.20\nText=Where", "cultural" },
    { "Scores=1;0.66;0.33;0", "Scores=1;0.66;0.33", "3 scores" },
    { "Scores=1;0.66;0.33;0", "Scores=1;0.66;1.5;0", "1.5" },
    { "Threshold=0.66", "Threshold=0", "Threshold" },
    { "Text=Do you wish to migrate again?\n", "", "psy_remigrate" },
    { "Answers=no;undecided;yes", "Answers=no;undecided;no", "twice" },
    { "\n[Survey]\n", "\n[Sondage]\n", "Survey" },
    { "Answer-undecided=Undecided\n", "", "undecided" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) broken = g_string_new (text);
      g_autoptr(AwdaSurvey) survey = NULL;

      g_assert_cmpuint (g_string_replace (broken, edits[i].from, edits[i].to, 1), ==, 1);
      survey = awda_survey_load_data (broken->str, broken->len, "broken.ini", &error);
      if (survey != NULL)
        g_error ("Edit %u was not refused", i);
      g_assert_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_FILE);
      if (strstr (error->message, edits[i].named) == NULL)
        g_error ("Edit %u: “%s” does not name %s", i, error->message, edits[i].named);
      g_assert_nonnull (strstr (error->message, "broken.ini"));
    }

  /* Not a key file at all. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (awda_survey_load_data ("not a key file", 14, "junk.ini", &error));
    g_assert_error (error, AWDA_SURVEY_ERROR, AWDA_SURVEY_ERROR_INVALID_FILE);
  }
}

static void
test_apply (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("awda-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "awda.db", NULL);
  g_autoptr(AwdaSurvey) survey = load_survey ();
  g_autoptr(AwdaStore) store = awda_store_create (path, "Bureau de Sfax", "regional", "TN-61", &error);
  g_autoptr(AwdaEdit) case_edit = awda_edit_new ("case", NULL);
  g_autoptr(AwdaEdit) survey_edit = awda_edit_new ("assessment", NULL);
  g_autoptr(AwdaEdit) needs_edit = awda_edit_new ("assessment", NULL);
  g_autoptr(AwdaRecord) record = NULL;
  AwdaSurveyScores scores;

  g_assert_no_error (error);
  awda_edit_set (case_edit, "given_name", "Amna");
  g_assert_true (awda_store_apply (store, case_edit, &error));

  awda_edit_set (survey_edit, "case_id", awda_edit_get_record (case_edit));
  awda_edit_set (survey_edit, "date", "2025-06-01");
  awda_edit_set (survey_edit, "kind", "sustainability_survey");
  awda_edit_set (survey_edit, "answers", mixed_answers);
  g_assert_true (awda_store_apply (store, survey_edit, &error));

  g_assert_true (awda_survey_apply_scores (survey, store, awda_edit_get_record (survey_edit), &scores, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scores.composite, ==, 60);

  record = awda_store_get_record (store, "assessment", awda_edit_get_record (survey_edit), &error);
  g_assert_cmpstr (awda_record_get (record, "score_economic"), ==, "54");
  g_assert_cmpstr (awda_record_get (record, "score_social"), ==, "76");
  g_assert_cmpstr (awda_record_get (record, "score_psychosocial"), ==, "50");
  g_assert_cmpstr (awda_record_get (record, "score_composite"), ==, "60");

  /* Another kind of assessment has no survey scores. */
  awda_edit_set (needs_edit, "case_id", awda_edit_get_record (case_edit));
  awda_edit_set (needs_edit, "date", "2025-06-01");
  awda_edit_set (needs_edit, "kind", "needs");
  g_assert_true (awda_store_apply (store, needs_edit, &error));
  g_assert_false (awda_survey_apply_scores (survey, store, awda_edit_get_record (needs_edit), NULL, &error));
  g_assert_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID);

  g_clear_object (&store);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/survey/file", test_file);
  g_test_add_func ("/core/survey/default", test_default);
  g_test_add_func ("/core/survey/translations", test_translations);
  g_test_add_func ("/core/survey/score", test_score);
  g_test_add_func ("/core/survey/refused-answers", test_refused_answers);
  g_test_add_func ("/core/survey/refused-files", test_refused_files);
  g_test_add_func ("/core/survey/apply", test_apply);

  return g_test_run ();
}

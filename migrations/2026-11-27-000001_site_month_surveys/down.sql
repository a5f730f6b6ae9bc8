DROP TABLE site_month_surveys;
DROP FUNCTION tideline_packed_survey(survey_totals);

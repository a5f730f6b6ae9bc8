DROP INDEX samples_submission;
DROP INDEX surveys_submission;

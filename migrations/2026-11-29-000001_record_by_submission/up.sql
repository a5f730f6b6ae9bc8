-- A record is found from its submission: the idempotency check of every post (a batch's
-- client ids joined through their submissions to the records stored from them) and the
-- foreign-key check when a submission is deleted. Without these indexes each was a scan of
-- the whole surveys or samples table, which grows with the network.
CREATE INDEX surveys_submission ON surveys (city_id, submission_id);
CREATE INDEX samples_submission ON samples (city_id, submission_id);

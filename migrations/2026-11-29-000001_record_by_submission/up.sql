-- A record is found from its submission: the idempotency check of every post (a batch's
-- client ids joined through their submissions to the records stored from them) and the
-- foreign-key check when a submission is deleted. Without these indexes each was a scan of
-- the city's surveys or samples, which grows with the network.
--
-- `submission_id` leads on purpose. With an index leading with `city_id` (tried first),
-- ingest went from 5 s to 80 s for 10 000 surveys: the items' foreign-key check
-- (`SELECT 1 FROM surveys WHERE city_id = $1 AND id = $2 FOR KEY SHARE`), planned while the
-- table was empty and both indexes cost the same, scanned that index on `city_id` with `id`
-- as a filter, a walk of the city's surveys per item (seen with auto_explain). This index
-- cannot serve a lookup by `(city_id, id)`.
CREATE INDEX surveys_submission ON surveys (submission_id, city_id);
CREATE INDEX samples_submission ON samples (submission_id, city_id);

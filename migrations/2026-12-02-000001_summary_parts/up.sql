-- A busy month of a site is kept in parts of at most `summaries::PART_SURVEYS` surveys (issue
-- #15): an append rewrote the whole packed row, so its cost grew with the month's surveys
-- (measured on the ingest benchmark, one site: 4 ms a batch at 10 000 surveys, 16 ms at 50 000,
-- 34 ms at 80 000), and an import of a site's history grew quadratically. Now a batch fills the
-- group's last part and opens new ones, and the statistics re-read only the parts a write
-- touched. Rows written before keep their surveys as part 0, however many.
ALTER TABLE site_month_surveys ADD COLUMN part INTEGER NOT NULL DEFAULT 0 CHECK (part >= 0);
ALTER TABLE site_month_surveys DROP CONSTRAINT site_month_surveys_pkey;
ALTER TABLE site_month_surveys ADD PRIMARY KEY (city_id, site_id, month, survey_kind, protocol, part);

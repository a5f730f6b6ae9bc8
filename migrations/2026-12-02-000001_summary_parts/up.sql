-- A busy month of a site is kept in parts of at most `summaries::PART_SURVEYS` surveys (issue
-- #15): an append rewrote the whole packed row, so its cost grew with the month's surveys
-- (measured on the ingest benchmark, one site: 4 ms a batch at 10 000 surveys, 16 ms at 50 000,
-- 34 ms at 80 000), and an import of a site's history grew quadratically. Now a batch fills the
-- group's last part and opens new ones, and a review or correction rewrites only the part
-- holding its survey. Rows written before keep their surveys as part 0, however many.
ALTER TABLE site_month_surveys ADD COLUMN part INTEGER NOT NULL DEFAULT 0 CHECK (part >= 0);
ALTER TABLE site_month_surveys DROP CONSTRAINT site_month_surveys_pkey;
ALTER TABLE site_month_surveys ADD PRIMARY KEY (city_id, site_id, month, survey_kind, protocol, part);
-- A group's revision lives on its part 0, drawn anew by every write to any of its parts, so
-- the statistics read one row per group however many parts it has (reading every part's
-- revision, the uncached city statistics of the benchmark's one busy site went from p99 7.6 to
-- 24.7 ms). Part 0 stays while later parts hold surveys, empty if its own have left.
ALTER TABLE site_month_surveys DROP CONSTRAINT site_month_surveys_surveys_check;
ALTER TABLE site_month_surveys ADD CONSTRAINT site_month_surveys_surveys_check CHECK (surveys > 0 OR part = 0);

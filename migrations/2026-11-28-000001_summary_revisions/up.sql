-- Each per-site summary row carries a revision, drawn from one sequence whenever the row is
-- written (issue #15): the statistics keep each site's composed figures in memory and read only
-- the revisions of its rows to know whether they still hold, re-reading a site's surveys only
-- after one of its rows was written.
CREATE SEQUENCE site_month_revisions;
ALTER TABLE site_month_surveys ADD COLUMN revision BIGINT NOT NULL DEFAULT nextval('site_month_revisions');

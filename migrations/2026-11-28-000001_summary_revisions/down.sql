ALTER TABLE site_month_surveys DROP COLUMN revision;
DROP SEQUENCE site_month_revisions;

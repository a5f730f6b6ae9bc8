DROP TABLE site_month_surveys;
DROP FUNCTION tideline_keep(anyarray, BIGINT[], BIGINT[]);

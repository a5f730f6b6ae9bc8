-- Folds the parts back into one row per group (the parts' records one after another, in part order).
ALTER TABLE site_month_surveys DROP CONSTRAINT site_month_surveys_surveys_check;
CREATE TEMP TABLE folded AS
SELECT city_id, site_id, month, survey_kind, protocol, sum(surveys)::int AS surveys,
    string_agg(packed, ''::bytea ORDER BY part) AS packed
FROM site_month_surveys GROUP BY 1, 2, 3, 4, 5 HAVING sum(surveys) > 0;
DELETE FROM site_month_surveys;
ALTER TABLE site_month_surveys DROP CONSTRAINT site_month_surveys_pkey;
ALTER TABLE site_month_surveys DROP COLUMN part;
ALTER TABLE site_month_surveys ADD PRIMARY KEY (city_id, site_id, month, survey_kind, protocol);
ALTER TABLE site_month_surveys ADD CONSTRAINT site_month_surveys_surveys_check CHECK (surveys > 0);
INSERT INTO site_month_surveys (city_id, site_id, month, survey_kind, protocol, surveys, packed)
SELECT * FROM folded;
DROP TABLE folded;

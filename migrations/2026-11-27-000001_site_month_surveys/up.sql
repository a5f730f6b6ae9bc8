-- Maintained per-site summaries (issue #15): the accepted surveys of each site, month, survey
-- kind and protocol, stored column-wise (one array per per-survey value, in the same order), so
-- a statistic reads one row per site and month instead of one row per survey. Kept current in
-- the write transaction by `store::summaries` (appended on acceptance, filtered on leaving);
-- surveys without a site stay in `survey_totals` only.
CREATE TABLE site_month_surveys (
    city_id                  BIGINT NOT NULL,
    site_id                  BIGINT NOT NULL REFERENCES sites (id),
    month                    DATE NOT NULL CHECK (extract(day FROM month) = 1),
    survey_kind              TEXT NOT NULL,
    protocol                 TEXT NOT NULL,
    survey_ids               BIGINT[] NOT NULL,
    survey_dates             DATE[] NOT NULL,
    length_m                 DOUBLE PRECISION[] NOT NULL,
    total_items              BIGINT[] NOT NULL,
    plastic_items            BIGINT[] NOT NULL,
    sup_items                BIGINT[] NOT NULL,
    fishing_items            BIGINT[] NOT NULL,
    items_per_100m           DOUBLE PRECISION[] NOT NULL,
    threshold_items_per_100m DOUBLE PRECISION[] NOT NULL,
    eu_eligible              BOOLEAN[] NOT NULL,
    items_per_m2             DOUBLE PRECISION[] NOT NULL,
    cci                      DOUBLE PRECISION[] NOT NULL,
    participants             INTEGER[] NOT NULL,
    mass_kg                  DOUBLE PRECISION[] NOT NULL,
    bags                     INTEGER[] NOT NULL,
    items_per_100m2          DOUBLE PRECISION[] NOT NULL,
    total_weight_g           DOUBLE PRECISION[] NOT NULL,
    grams_per_100m2          DOUBLE PRECISION[] NOT NULL,
    kg_per_100m              DOUBLE PRECISION[] NOT NULL,
    grams_per_m              DOUBLE PRECISION[] NOT NULL,
    PRIMARY KEY (city_id, site_id, month, survey_kind, protocol),
    CHECK (cardinality(survey_ids) > 0)
);

-- The elements of `vals` whose id (the element of `ids` at the same position) is not in
-- `dropped`, in their order: how a survey leaves a summary row.
CREATE FUNCTION tideline_keep(vals anyarray, ids BIGINT[], dropped BIGINT[]) RETURNS anyarray
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(u.v ORDER BY u.o), vals[1:0])
    FROM unnest(vals, ids) WITH ORDINALITY AS u(v, id, o)
    WHERE u.id <> ALL (dropped)
$$;

INSERT INTO site_month_surveys
SELECT city_id, site_id, date_trunc('month', survey_date)::date, survey_kind, protocol,
    array_agg(survey_id ORDER BY survey_id), array_agg(survey_date ORDER BY survey_id),
    array_agg(length_m ORDER BY survey_id), array_agg(total_items ORDER BY survey_id),
    array_agg(plastic_items ORDER BY survey_id), array_agg(sup_items ORDER BY survey_id),
    array_agg(fishing_items ORDER BY survey_id), array_agg(items_per_100m ORDER BY survey_id),
    array_agg(threshold_items_per_100m ORDER BY survey_id), array_agg(eu_eligible ORDER BY survey_id),
    array_agg(items_per_m2 ORDER BY survey_id), array_agg(cci ORDER BY survey_id),
    array_agg(participants ORDER BY survey_id), array_agg(mass_kg ORDER BY survey_id),
    array_agg(bags ORDER BY survey_id), array_agg(items_per_100m2 ORDER BY survey_id),
    array_agg(total_weight_g ORDER BY survey_id), array_agg(grams_per_100m2 ORDER BY survey_id),
    array_agg(kg_per_100m ORDER BY survey_id), array_agg(grams_per_m ORDER BY survey_id)
FROM survey_totals
WHERE status = 'accepted' AND site_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

-- Maintained per-site summaries (issue #15): the accepted surveys of each site, month, survey
-- kind and protocol, packed as fixed-width binary records (written by the function below,
-- read and rewritten by api/src/store/summaries/packed.rs; a test checks the two agree), so a
-- statistic reads one row per site and month instead of one row per survey. Kept current in the write transaction by
-- `store::summaries` (appended on acceptance, filtered out on leaving); surveys without a site
-- stay in `survey_totals` only.
CREATE TABLE site_month_surveys (
    city_id     BIGINT NOT NULL,
    site_id     BIGINT NOT NULL REFERENCES sites (id),
    month       DATE NOT NULL CHECK (extract(day FROM month) = 1),
    survey_kind TEXT NOT NULL,
    protocol    TEXT NOT NULL,
    surveys     INTEGER NOT NULL CHECK (surveys > 0),
    packed      BYTEA NOT NULL,
    PRIMARY KEY (city_id, site_id, month, survey_kind, protocol),
    CHECK (octet_length(packed) = 141 * surveys)
);
-- stored uncompressed: every append rewrites the row, and pglz on each rewrite costs ten times
-- the append itself (measured: 26 ms vs 2.7 ms for 10 surveys into groups of ~430)
ALTER TABLE site_month_surveys ALTER COLUMN packed SET STORAGE EXTERNAL;

-- One survey's packed record (141 bytes, big-endian as PostgreSQL's binary send functions
-- write them; NULL is NaN with payload 0xb1e for a float, i32::MIN for an integer).
CREATE FUNCTION tideline_packed_survey(t survey_totals) RETURNS BYTEA
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT int8send(t.survey_id) || date_send(t.survey_date)
        || coalesce(float8send(t.length_m), '\x7ff8000000000b1e'::bytea)
        || int8send(t.total_items) || int8send(t.plastic_items) || int8send(t.sup_items) || int8send(t.fishing_items)
        || coalesce(float8send(t.items_per_100m), '\x7ff8000000000b1e'::bytea)
        || coalesce(float8send(t.threshold_items_per_100m), '\x7ff8000000000b1e'::bytea)
        || boolsend(t.eu_eligible)
        || coalesce(float8send(t.items_per_m2), '\x7ff8000000000b1e'::bytea)
        || coalesce(float8send(t.cci), '\x7ff8000000000b1e'::bytea)
        || coalesce(int4send(t.participants), '\x80000000'::bytea)
        || coalesce(float8send(t.mass_kg), '\x7ff8000000000b1e'::bytea)
        || coalesce(int4send(t.bags), '\x80000000'::bytea)
        || coalesce(float8send(t.items_per_100m2), '\x7ff8000000000b1e'::bytea)
        || coalesce(float8send(t.total_weight_g), '\x7ff8000000000b1e'::bytea)
        || coalesce(float8send(t.grams_per_100m2), '\x7ff8000000000b1e'::bytea)
        || coalesce(float8send(t.kg_per_100m), '\x7ff8000000000b1e'::bytea)
        || coalesce(float8send(t.grams_per_m), '\x7ff8000000000b1e'::bytea)
$$;

INSERT INTO site_month_surveys
SELECT t.city_id, t.site_id, date_trunc('month', t.survey_date)::date, t.survey_kind, t.protocol, count(*),
    string_agg(tideline_packed_survey(t), ''::bytea ORDER BY t.survey_id)
FROM survey_totals t
WHERE t.status = 'accepted' AND t.site_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

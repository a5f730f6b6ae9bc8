-- The rotor constant a sample's tow distance was computed with (the standard rotor when the
-- record gave none) and the tow's duration, so a researcher can recompute the distance and
-- the speed it implies. Earlier samples take both from their kept raw payload.
ALTER TABLE samples
    ADD COLUMN rotor_m_per_count DOUBLE PRECISION CHECK (rotor_m_per_count > 0),
    ADD COLUMN tow_duration_min DOUBLE PRECISION CHECK (tow_duration_min > 0);

UPDATE samples s SET
    rotor_m_per_count = CASE WHEN s.flowmeter_start IS NOT NULL THEN
        coalesce((sub.payload -> 'flowmeter' ->> 'rotor_m_per_count')::double precision, 26873.0 / 999999.0) END,
    tow_duration_min = (sub.payload ->> 'tow_duration_min')::double precision
FROM submissions sub
WHERE sub.city_id = s.city_id AND sub.id = s.submission_id;

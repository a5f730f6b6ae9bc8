-- The measurement model: an item line's weight, GESAMP size class and origin where the
-- protocol records them; a survey's surveyed area when its protocol measures one (blocks,
-- quadrats); and the per-survey units they make possible. Existing surveys keep their counts;
-- their area (length × width) and items/100 m² are filled in from what they already hold.
ALTER TABLE survey_items
    ADD COLUMN weight_g DOUBLE PRECISION CHECK (weight_g > 0),
    ADD COLUMN size_class TEXT CHECK (size_class IN ('mega', 'macro', 'meso', 'micro')),
    ADD COLUMN origin TEXT CHECK (origin IN ('domestic', 'foreign', 'unknown'));

ALTER TABLE surveys
    ADD COLUMN area_m2 DOUBLE PRECISION CHECK (area_m2 > 0);

ALTER TABLE survey_totals
    ADD COLUMN area_m2 DOUBLE PRECISION CHECK (area_m2 > 0),
    ADD COLUMN items_per_100m2 DOUBLE PRECISION CHECK (items_per_100m2 >= 0),
    ADD COLUMN total_weight_g DOUBLE PRECISION CHECK (total_weight_g >= 0),
    ADD COLUMN grams_per_100m2 DOUBLE PRECISION CHECK (grams_per_100m2 >= 0),
    ADD COLUMN kg_per_100m DOUBLE PRECISION CHECK (kg_per_100m >= 0),
    ADD COLUMN grams_per_m DOUBLE PRECISION CHECK (grams_per_m >= 0);

UPDATE survey_totals t SET
    area_m2 = t.length_m * s.width_m,
    items_per_100m2 = t.total_items * 100.0 / (t.length_m * s.width_m)
FROM surveys s
WHERE s.city_id = t.city_id AND s.id = t.survey_id AND t.length_m > 0 AND s.width_m > 0;

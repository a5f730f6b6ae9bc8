ALTER TABLE survey_totals
    DROP COLUMN grams_per_m,
    DROP COLUMN kg_per_100m,
    DROP COLUMN grams_per_100m2,
    DROP COLUMN total_weight_g,
    DROP COLUMN items_per_100m2,
    DROP COLUMN area_m2;
ALTER TABLE surveys DROP COLUMN area_m2;
ALTER TABLE survey_items DROP COLUMN origin, DROP COLUMN size_class, DROP COLUMN weight_g;

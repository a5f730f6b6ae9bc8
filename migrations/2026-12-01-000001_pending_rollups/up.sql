-- Surveys whose rollups are still to be added: one row per batch and city, written in the
-- batch's own transaction (so a stored survey is never lost to the rollups, even in a crash)
-- and taken — its surveys added to the rollups, the row deleted, in one transaction — by the
-- rollup worker, by the post itself when the server answers only after its rollups, or by
-- the next review, correction or renormalisation of one of its surveys.
CREATE TABLE pending_rollups (
    city_id    BIGINT NOT NULL REFERENCES cities (id),
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    survey_ids BIGINT[] NOT NULL,
    queued_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, id)
);

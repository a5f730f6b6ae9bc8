-- Corrections: a team sends the full corrected body of a stored record. The record's rows are
-- brought to the new body (statistics read the latest version); every version's body is kept
-- here, with what changed and the review status it was given. The first correction also writes
-- version 1: the raw submission the record arrived as (which itself is never changed) with the
-- status and flags it had. A record never corrected has no rows here.
CREATE TABLE record_versions (
    city_id        BIGINT NOT NULL REFERENCES cities (id),
    record_kind    TEXT NOT NULL CHECK (record_kind IN ('survey', 'sample')),
    record_id      BIGINT NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    team_id        BIGINT NOT NULL REFERENCES teams (id),
    payload        JSONB NOT NULL,
    payload_sha256 BYTEA NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    flags          JSONB NOT NULL DEFAULT '[]',
    changes        JSONB NOT NULL DEFAULT '[]',
    received_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, record_kind, record_id, version)
);

-- The idempotency ledger: one client_id per team is one record, whichever city the record
-- lands in. `submissions` is unique only per (city_id, team_id, client_id) because a
-- distributed table's unique keys must include its distribution column; this small table is
-- keyed by team instead (under Citus: distributed by team_id, or kept on the coordinator), so
-- the rule holds under concurrency in one constraint. Written in the same transaction as the
-- submission it points to.
CREATE TABLE client_ids (
    team_id       BIGINT NOT NULL REFERENCES teams (id),
    client_id     UUID NOT NULL,
    city_id       BIGINT NOT NULL REFERENCES cities (id),
    submission_id BIGINT NOT NULL,
    PRIMARY KEY (team_id, client_id)
);

INSERT INTO client_ids (team_id, client_id, city_id, submission_id)
SELECT DISTINCT ON (team_id, client_id) team_id, client_id, city_id, id
FROM submissions ORDER BY team_id, client_id, id;

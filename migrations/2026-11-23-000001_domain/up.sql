-- Tideline's whole domain schema.
--
-- Citus-ready: every large table (submissions, surveys, survey_items, survey_totals, samples,
-- sample_particles, rollups, batch_replays) carries `city_id` and has it leading its primary
-- key; their unique keys and foreign keys stay inside one city, except references to the small
-- reference tables (cities, sites, teams, api_tokens), which Citus would replicate.

CREATE EXTENSION IF NOT EXISTS postgis;

-- ---------------------------------------------------------------- reference tables

CREATE TABLE cities (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    country_code TEXT NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
    boundary     geography(MultiPolygon, 4326),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (country_code, name)
);
CREATE INDEX cities_boundary_gist ON cities USING gist (boundary);

CREATE TABLE sites (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_id            BIGINT NOT NULL REFERENCES cities (id),
    code               TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind               TEXT NOT NULL CHECK (kind IN ('beach', 'river', 'coastal_water')),
    location           geography(Point, 4326) NOT NULL,
    stretch            geography(LineString, 4326),
    reference_length_m DOUBLE PRECISION CHECK (reference_length_m > 0),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (city_id, code)
);
CREATE INDEX sites_location_gist ON sites USING gist (location);
CREATE INDEX sites_city ON sites (city_id);

CREATE TABLE teams (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    kind       TEXT NOT NULL CHECK (kind IN ('community', 'university', 'school', 'ngo', 'agency')),
    city_id    BIGINT NOT NULL REFERENCES cities (id),
    trusted    BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Bearer tokens: only the SHA-256 of the secret is stored.
CREATE TABLE api_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    role       TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator', 'researcher', 'admin')),
    team_id    BIGINT REFERENCES teams (id),
    -- the city a coordinator may act in
    city_id    BIGINT REFERENCES cities (id),
    label      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    CHECK (role <> 'volunteer' OR team_id IS NOT NULL),
    CHECK (role <> 'coordinator' OR city_id IS NOT NULL)
);

-- ---------------------------------------------------------------- records (large, by city)

-- The raw record exactly as received, before normalisation. `city_id` is the city of the
-- record's site, or the team's home city while the record has no site.
CREATE TABLE submissions (
    city_id         BIGINT NOT NULL REFERENCES cities (id),
    id              BIGINT GENERATED ALWAYS AS IDENTITY,
    team_id         BIGINT NOT NULL REFERENCES teams (id),
    client_id       UUID NOT NULL,
    record_kind     TEXT NOT NULL CHECK (record_kind IN ('survey', 'sample')),
    protocol        TEXT NOT NULL,
    mapping_version TEXT NOT NULL,
    payload         JSONB NOT NULL,
    payload_sha256  BYTEA NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, id),
    UNIQUE (city_id, team_id, client_id)
);
-- idempotency look-ups across a team's cities
CREATE INDEX submissions_team_client ON submissions (team_id, client_id);

-- A beach-litter survey, normalised to the shared protocol.
CREATE TABLE surveys (
    city_id          BIGINT NOT NULL REFERENCES cities (id),
    id               BIGINT GENERATED ALWAYS AS IDENTITY,
    submission_id    BIGINT NOT NULL,
    team_id          BIGINT NOT NULL REFERENCES teams (id),
    site_id          BIGINT REFERENCES sites (id),
    protocol         TEXT NOT NULL,
    mapping_version  TEXT NOT NULL,
    survey_kind      TEXT NOT NULL CHECK (survey_kind IN ('monitoring', 'cleanup')),
    survey_type      TEXT CHECK (survey_type IN ('standing_stock', 'accumulation')),
    survey_date      DATE NOT NULL,
    started_at       TIMESTAMPTZ,
    location         geography(Point, 4326),
    stretch          geography(LineString, 4326),
    length_m         DOUBLE PRECISION CHECK (length_m > 0),
    length_source    TEXT NOT NULL DEFAULT 'unknown' CHECK (length_source IN ('declared', 'stretch', 'miles', 'site_reference', 'unknown')),
    width_m          DOUBLE PRECISION CHECK (width_m > 0),
    participants     INTEGER CHECK (participants >= 0),
    duration_min     DOUBLE PRECISION CHECK (duration_min >= 0),
    mass_kg          DOUBLE PRECISION CHECK (mass_kg >= 0),
    bags             INTEGER CHECK (bags >= 0),
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    flags            JSONB NOT NULL DEFAULT '[]',
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, id),
    FOREIGN KEY (city_id, submission_id) REFERENCES submissions (city_id, id)
);
CREATE INDEX surveys_site_date ON surveys (city_id, site_id, survey_date);
CREATE INDEX surveys_id ON surveys (id);
CREATE INDEX surveys_team ON surveys (team_id, id);
CREATE INDEX surveys_location_gist ON surveys USING gist (location);

-- Item counts in canonical categories; `source_code` keeps the code the team used.
CREATE TABLE survey_items (
    city_id       BIGINT NOT NULL,
    survey_id     BIGINT NOT NULL,
    source_code   TEXT NOT NULL,
    category_code TEXT NOT NULL,
    count         INTEGER NOT NULL CHECK (count >= 0),
    -- adds to totals (false for uncounted categories and finer breakdowns of another row)
    counted       BOOLEAN NOT NULL,
    PRIMARY KEY (city_id, survey_id, source_code),
    FOREIGN KEY (city_id, survey_id) REFERENCES surveys (city_id, id) ON DELETE CASCADE
);

-- One row per survey with everything the statistics read, kept on write.
CREATE TABLE survey_totals (
    city_id          BIGINT NOT NULL,
    survey_id        BIGINT NOT NULL,
    site_id          BIGINT REFERENCES sites (id),
    survey_date      DATE NOT NULL,
    survey_kind      TEXT NOT NULL,
    protocol         TEXT NOT NULL,
    status           TEXT NOT NULL,
    length_m         DOUBLE PRECISION,
    total_items      BIGINT NOT NULL CHECK (total_items >= 0),
    threshold_items  BIGINT NOT NULL CHECK (threshold_items >= 0),
    plastic_items    BIGINT NOT NULL CHECK (plastic_items >= 0),
    sup_items        BIGINT NOT NULL CHECK (sup_items >= 0),
    fishing_items    BIGINT NOT NULL CHECK (fishing_items >= 0),
    items_per_100m   DOUBLE PRECISION,
    threshold_items_per_100m DOUBLE PRECISION,
    items_per_m2     DOUBLE PRECISION,
    cci              DOUBLE PRECISION,
    eu_eligible      BOOLEAN NOT NULL,
    -- effort, copied from the survey so statistics read one table
    participants     INTEGER,
    mass_kg          DOUBLE PRECISION,
    bags             INTEGER,
    -- items per material class, e.g. {"artificial_polymer": 120, "metal": 4}
    materials        JSONB NOT NULL DEFAULT '{}',
    PRIMARY KEY (city_id, survey_id),
    FOREIGN KEY (city_id, survey_id) REFERENCES surveys (city_id, id) ON DELETE CASCADE
);
CREATE INDEX survey_totals_site_date ON survey_totals (city_id, site_id, survey_date) WHERE status = 'accepted';
CREATE INDEX survey_totals_date ON survey_totals (survey_date) WHERE status = 'accepted';

-- A microplastic sample (water or sediment), normalised.
CREATE TABLE samples (
    city_id           BIGINT NOT NULL REFERENCES cities (id),
    id                BIGINT GENERATED ALWAYS AS IDENTITY,
    submission_id     BIGINT NOT NULL,
    team_id           BIGINT NOT NULL REFERENCES teams (id),
    site_id           BIGINT REFERENCES sites (id),
    protocol          TEXT NOT NULL,
    mapping_version   TEXT NOT NULL,
    matrix            TEXT NOT NULL,
    method            TEXT NOT NULL,
    mesh_um           DOUBLE PRECISION CHECK (mesh_um > 0),
    sample_date       DATE NOT NULL,
    sampled_at        TIMESTAMPTZ,
    location          geography(Point, 4326),
    distance_m        DOUBLE PRECISION CHECK (distance_m > 0),
    net_width_m       DOUBLE PRECISION CHECK (net_width_m > 0),
    mouth_area_m2     DOUBLE PRECISION CHECK (mouth_area_m2 > 0),
    volume_m3         DOUBLE PRECISION CHECK (volume_m3 > 0),
    dry_mass_kg       DOUBLE PRECISION CHECK (dry_mass_kg > 0),
    area_m2           DOUBLE PRECISION CHECK (area_m2 > 0),
    flowmeter_start   INTEGER CHECK (flowmeter_start BETWEEN 0 AND 999999),
    flowmeter_end     INTEGER CHECK (flowmeter_end BETWEEN 0 AND 999999),
    particle_count    BIGINT NOT NULL CHECK (particle_count >= 0),
    particles_per_km2 DOUBLE PRECISION,
    particles_per_m3  DOUBLE PRECISION,
    particles_per_kg  DOUBLE PRECISION,
    particles_per_m2  DOUBLE PRECISION,
    density_class     TEXT,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    flags             JSONB NOT NULL DEFAULT '[]',
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, id),
    FOREIGN KEY (city_id, submission_id) REFERENCES submissions (city_id, id)
);
CREATE INDEX samples_site_date ON samples (city_id, site_id, sample_date);
CREATE INDEX samples_id ON samples (id);
CREATE INDEX samples_team ON samples (team_id, id);
CREATE INDEX samples_location_gist ON samples USING gist (location);

-- Particle counts of a sample by shape, polymer and size class (canonical vocabularies).
CREATE TABLE sample_particles (
    city_id    BIGINT NOT NULL,
    sample_id  BIGINT NOT NULL,
    shape      TEXT NOT NULL,
    polymer    TEXT NOT NULL,
    size_class TEXT NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (city_id, sample_id, shape, polymer, size_class),
    FOREIGN KEY (city_id, sample_id) REFERENCES samples (city_id, id) ON DELETE CASCADE
);

-- Every review decision on a survey or sample (the record keeps its current status).
CREATE TABLE reviews (
    city_id     BIGINT NOT NULL REFERENCES cities (id),
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    record_kind TEXT NOT NULL CHECK (record_kind IN ('survey', 'sample')),
    record_id   BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
    reason      TEXT NOT NULL DEFAULT '',
    token_id    BIGINT NOT NULL REFERENCES api_tokens (id),
    reviewed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, id)
);
CREATE INDEX reviews_record ON reviews (city_id, record_kind, record_id);

-- ---------------------------------------------------------------- rollups

-- Accepted beach-litter surveys summed per site, month, kind and protocol.
CREATE TABLE site_month_rollups (
    city_id        BIGINT NOT NULL,
    site_id        BIGINT NOT NULL REFERENCES sites (id),
    month          DATE NOT NULL CHECK (extract(day FROM month) = 1),
    survey_kind    TEXT NOT NULL,
    protocol       TEXT NOT NULL,
    surveys        INTEGER NOT NULL,
    total_items    BIGINT NOT NULL,
    plastic_items  BIGINT NOT NULL,
    sup_items      BIGINT NOT NULL,
    fishing_items  BIGINT NOT NULL,
    length_m       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (city_id, site_id, month, survey_kind, protocol)
);

-- Accepted item counts per site, month and canonical category (composition, top-X).
CREATE TABLE site_month_category_rollups (
    city_id       BIGINT NOT NULL,
    site_id       BIGINT NOT NULL REFERENCES sites (id),
    month         DATE NOT NULL,
    survey_kind   TEXT NOT NULL,
    protocol      TEXT NOT NULL,
    category_code TEXT NOT NULL,
    count         BIGINT NOT NULL,
    PRIMARY KEY (city_id, site_id, month, survey_kind, protocol, category_code)
);

-- Stored answers to batch posts carrying an Idempotency-Key, replayed on retry.
CREATE TABLE batch_replays (
    city_id         BIGINT NOT NULL REFERENCES cities (id),
    team_id         BIGINT NOT NULL REFERENCES teams (id),
    idempotency_key TEXT NOT NULL,
    request_sha256  BYTEA NOT NULL,
    status_code     SMALLINT NOT NULL,
    response        JSONB NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, team_id, idempotency_key)
);

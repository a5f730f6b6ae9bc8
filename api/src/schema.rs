// @generated automatically by Diesel CLI.

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    api_tokens (id) {
        id -> Int8,
        token_hash -> Bytea,
        role -> Text,
        team_id -> Nullable<Int8>,
        city_id -> Nullable<Int8>,
        label -> Text,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    batch_replays (city_id, team_id, idempotency_key) {
        city_id -> Int8,
        team_id -> Int8,
        idempotency_key -> Text,
        request_sha256 -> Bytea,
        status_code -> Int2,
        response -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    cities (id) {
        id -> Int8,
        name -> Text,
        country_code -> Text,
        boundary -> Nullable<Geography>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    client_ids (team_id, client_id) {
        team_id -> Int8,
        client_id -> Uuid,
        city_id -> Int8,
        submission_id -> Int8,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    record_versions (city_id, record_kind, record_id, version) {
        city_id -> Int8,
        record_kind -> Text,
        record_id -> Int8,
        version -> Int4,
        team_id -> Int8,
        payload -> Jsonb,
        payload_sha256 -> Bytea,
        status -> Text,
        flags -> Jsonb,
        changes -> Jsonb,
        received_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    reviews (city_id, id) {
        city_id -> Int8,
        id -> Int8,
        record_kind -> Text,
        record_id -> Int8,
        status -> Text,
        reason -> Text,
        token_id -> Int8,
        reviewed_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    sample_particles (city_id, sample_id, shape, polymer, size_class) {
        city_id -> Int8,
        sample_id -> Int8,
        shape -> Text,
        polymer -> Text,
        size_class -> Text,
        count -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    samples (city_id, id) {
        city_id -> Int8,
        id -> Int8,
        submission_id -> Int8,
        team_id -> Int8,
        site_id -> Nullable<Int8>,
        protocol -> Text,
        mapping_version -> Text,
        matrix -> Text,
        method -> Text,
        mesh_um -> Nullable<Float8>,
        sample_date -> Date,
        sampled_at -> Nullable<Timestamptz>,
        location -> Nullable<Geography>,
        distance_m -> Nullable<Float8>,
        net_width_m -> Nullable<Float8>,
        mouth_area_m2 -> Nullable<Float8>,
        volume_m3 -> Nullable<Float8>,
        dry_mass_kg -> Nullable<Float8>,
        area_m2 -> Nullable<Float8>,
        flowmeter_start -> Nullable<Int4>,
        flowmeter_end -> Nullable<Int4>,
        particle_count -> Int8,
        particles_per_km2 -> Nullable<Float8>,
        particles_per_m3 -> Nullable<Float8>,
        particles_per_kg -> Nullable<Float8>,
        particles_per_m2 -> Nullable<Float8>,
        density_class -> Nullable<Text>,
        status -> Text,
        flags -> Jsonb,
        created_at -> Timestamptz,
        rotor_m_per_count -> Nullable<Float8>,
        tow_duration_min -> Nullable<Float8>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    site_month_category_rollups (city_id, site_id, month, survey_kind, protocol, category_code) {
        city_id -> Int8,
        site_id -> Int8,
        month -> Date,
        survey_kind -> Text,
        protocol -> Text,
        category_code -> Text,
        count -> Int8,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    site_month_rollups (city_id, site_id, month, survey_kind, protocol) {
        city_id -> Int8,
        site_id -> Int8,
        month -> Date,
        survey_kind -> Text,
        protocol -> Text,
        surveys -> Int4,
        total_items -> Int8,
        plastic_items -> Int8,
        sup_items -> Int8,
        fishing_items -> Int8,
        length_m -> Float8,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    site_month_surveys (city_id, site_id, month, survey_kind, protocol, part) {
        city_id -> Int8,
        site_id -> Int8,
        month -> Date,
        survey_kind -> Text,
        protocol -> Text,
        surveys -> Int4,
        packed -> Bytea,
        revision -> Int8,
        part -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    sites (id) {
        id -> Int8,
        city_id -> Int8,
        code -> Text,
        name -> Text,
        kind -> Text,
        location -> Geography,
        stretch -> Nullable<Geography>,
        reference_length_m -> Nullable<Float8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    submissions (city_id, id) {
        city_id -> Int8,
        id -> Int8,
        team_id -> Int8,
        client_id -> Uuid,
        record_kind -> Text,
        protocol -> Text,
        mapping_version -> Text,
        payload -> Jsonb,
        payload_sha256 -> Bytea,
        received_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    survey_items (city_id, survey_id, source_code) {
        city_id -> Int8,
        survey_id -> Int8,
        source_code -> Text,
        category_code -> Text,
        count -> Int4,
        counted -> Bool,
        weight_g -> Nullable<Float8>,
        size_class -> Nullable<Text>,
        origin -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    survey_totals (city_id, survey_id) {
        city_id -> Int8,
        survey_id -> Int8,
        site_id -> Nullable<Int8>,
        survey_date -> Date,
        survey_kind -> Text,
        protocol -> Text,
        status -> Text,
        length_m -> Nullable<Float8>,
        total_items -> Int8,
        threshold_items -> Int8,
        plastic_items -> Int8,
        sup_items -> Int8,
        fishing_items -> Int8,
        items_per_100m -> Nullable<Float8>,
        threshold_items_per_100m -> Nullable<Float8>,
        items_per_m2 -> Nullable<Float8>,
        cci -> Nullable<Float8>,
        eu_eligible -> Bool,
        participants -> Nullable<Int4>,
        mass_kg -> Nullable<Float8>,
        bags -> Nullable<Int4>,
        materials -> Jsonb,
        area_m2 -> Nullable<Float8>,
        items_per_100m2 -> Nullable<Float8>,
        total_weight_g -> Nullable<Float8>,
        grams_per_100m2 -> Nullable<Float8>,
        kg_per_100m -> Nullable<Float8>,
        grams_per_m -> Nullable<Float8>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    surveys (city_id, id) {
        city_id -> Int8,
        id -> Int8,
        submission_id -> Int8,
        team_id -> Int8,
        site_id -> Nullable<Int8>,
        protocol -> Text,
        mapping_version -> Text,
        survey_kind -> Text,
        survey_type -> Nullable<Text>,
        survey_date -> Date,
        started_at -> Nullable<Timestamptz>,
        location -> Nullable<Geography>,
        stretch -> Nullable<Geography>,
        length_m -> Nullable<Float8>,
        length_source -> Text,
        width_m -> Nullable<Float8>,
        participants -> Nullable<Int4>,
        duration_min -> Nullable<Float8>,
        mass_kg -> Nullable<Float8>,
        bags -> Nullable<Int4>,
        status -> Text,
        flags -> Jsonb,
        created_at -> Timestamptz,
        area_m2 -> Nullable<Float8>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    teams (id) {
        id -> Int8,
        name -> Text,
        kind -> Text,
        city_id -> Int8,
        trusted -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(api_tokens -> cities (city_id));
diesel::joinable!(api_tokens -> teams (team_id));
diesel::joinable!(batch_replays -> cities (city_id));
diesel::joinable!(batch_replays -> teams (team_id));
diesel::joinable!(record_versions -> cities (city_id));
diesel::joinable!(record_versions -> teams (team_id));
diesel::joinable!(reviews -> api_tokens (token_id));
diesel::joinable!(reviews -> cities (city_id));
diesel::joinable!(samples -> cities (city_id));
diesel::joinable!(samples -> sites (site_id));
diesel::joinable!(samples -> teams (team_id));
diesel::joinable!(site_month_category_rollups -> sites (site_id));
diesel::joinable!(site_month_rollups -> sites (site_id));
diesel::joinable!(site_month_surveys -> sites (site_id));
diesel::joinable!(sites -> cities (city_id));
diesel::joinable!(submissions -> cities (city_id));
diesel::joinable!(submissions -> teams (team_id));
diesel::joinable!(survey_totals -> sites (site_id));
diesel::joinable!(surveys -> cities (city_id));
diesel::joinable!(surveys -> sites (site_id));
diesel::joinable!(surveys -> teams (team_id));
diesel::joinable!(teams -> cities (city_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    batch_replays,
    cities,
    client_ids,
    record_versions,
    reviews,
    sample_particles,
    samples,
    site_month_category_rollups,
    site_month_rollups,
    site_month_surveys,
    sites,
    submissions,
    survey_items,
    survey_totals,
    surveys,
    teams,
);

DROP TABLE IF EXISTS batch_replays, site_month_category_rollups, site_month_rollups,
    reviews, sample_particles, samples, survey_totals, survey_items, surveys, submissions,
    api_tokens, teams, sites, cities;

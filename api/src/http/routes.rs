//! Every route of the service, in registration order (static paths before `{id}` paths).

use utoipa_actix_web::service_config::ServiceConfig;

use super::{health, ogc, places, reports, samples, series, stats, surveys, teams, vocabularies};

/// Registers the documented routes; only `.service(handler)` routes reach the OpenAPI document.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(vocabularies::categories)
        .service(vocabularies::protocols)
        .service(vocabularies::protocol)
        .service(ogc::landing)
        .service(ogc::conformance)
        .service(ogc::all_collections)
        .service(ogc::one_collection)
        .service(ogc::collection_items)
        .service(ogc::collection_item)
        .service(places::list_cities)
        .service(stats::city_stats)
        .service(reports::city_report)
        .service(places::get_city)
        .service(stats::country_stats)
        .service(stats::network_stats)
        .service(series::series)
        .service(places::sites_geojson)
        .service(places::list_sites)
        .service(places::create_site)
        .service(stats::site_stats)
        .service(reports::site_report)
        .service(reports::export_surveys)
        .service(reports::export_samples)
        .service(places::get_site)
        .service(teams::create_team)
        .service(teams::list_teams)
        .service(surveys::post_survey_batch)
        .service(surveys::post_survey)
        .service(surveys::list_surveys)
        .service(surveys::get_survey)
        .service(surveys::correct_survey)
        .service(surveys::survey_history)
        .service(surveys::review_survey)
        .service(samples::post_sample_batch)
        .service(samples::post_sample)
        .service(samples::list_samples)
        .service(samples::get_sample)
        .service(samples::correct_sample)
        .service(samples::sample_history)
        .service(samples::review_sample);
}

//! Every route of the service, in registration order (static paths before `{id}` paths).

use utoipa_actix_web::service_config::ServiceConfig;

use super::health;

/// Registers the documented routes; only `.service(handler)` routes reach the OpenAPI document.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health).service(health::ready);
}

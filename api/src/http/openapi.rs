//! The OpenAPI document: fixed metadata here, paths and schemas collected from the routes.

use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

/// Metadata of the OpenAPI document; paths are added by `routes::configure`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tideline",
        version = "0.1.0",
        description = "Citizen-science marine-litter monitoring: beach-litter surveys and \
                       microplastic samples from many protocols, normalised to one shared \
                       protocol, with statistics for researchers and reports for city officials.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "network", description = "Cities and monitoring sites"),
        (name = "surveys", description = "Beach-litter surveys: post, read, review"),
        (name = "samples", description = "Microplastic samples: post, read, review"),
        (name = "statistics", description = "Statistics of accepted records (open data)"),
        (name = "reports", description = "CSV reports and exports"),
    ),
    components(schemas(super::problem::Problem, super::problem::FieldError)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme (team tokens from `tideline token create`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The complete OpenAPI document of the service, as served at `/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::routes::configure)
        .split_for_parts();
    api
}

/// The document as pretty JSON with a trailing newline, the form checked in under `openapi/`.
pub fn document_json() -> String {
    let mut json = serde_json::to_string_pretty(&document()).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

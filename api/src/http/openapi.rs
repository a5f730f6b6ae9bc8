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
        (name = "vocabularies", description = "Categories and protocols for the apps, cacheable and localised"),
        (name = "ogc", description = "OGC API – Features (Part 1 Core, GeoJSON) for GIS clients"),
    ),
    components(schemas(
        super::problem::Problem,
        super::problem::FieldError,
        tideline_core::stats::series::SeriesGroup,
        tideline_core::stats::series::Period,
        tideline_core::stats::scope::Basis,
        tideline_core::precision::Separator,
        tideline_core::precision::DecimalMark,
        tideline_core::precision::ExportLayout,
        crate::store::features::Collection
    )),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

/// Documents on every operation the errors any request can meet: `4XX` (malformed or
/// invalid input, missing or bad token, unknown object, body too large, wrong media type, rate
/// limit) and `503` (database unavailable), all as problem+json.
struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = || ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
        let client = ResponseBuilder::new()
            .description(
                "The request cannot be served as sent; the problem document says why and names every offending field",
            )
            .content(super::problem::PROBLEM_JSON, problem())
            .build();
        let unavailable = ResponseBuilder::new()
            .description("The database is unreachable; retry after the `Retry-After` seconds")
            .content(super::problem::PROBLEM_JSON, problem())
            .build();
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                responses.entry("4XX".to_string()).or_insert_with(|| client.clone().into());
                responses.entry("503".to_string()).or_insert_with(|| unavailable.clone().into());
            }
        }
    }
}

/// Declares the `bearer` security scheme (team tokens from `tideline token create`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Completes the document collected from the routes (adds the shared error responses).
pub fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    utoipa::Modify::modify(&ErrorResponses, &mut api);
    api
}

/// The complete OpenAPI document of the service, as served at `/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::routes::configure)
        .split_for_parts();
    finish(api)
}

/// The media type of the document, naming its OpenAPI version (`major.minor`), as links to it
/// state it (e.g. `application/vnd.oai.openapi+json;version=3.1`).
pub fn media_type() -> &'static str {
    static MEDIA_TYPE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MEDIA_TYPE.get_or_init(|| {
        let version = serde_json::to_value(&document().openapi).unwrap_or_default();
        let minor: Vec<&str> = version.as_str().unwrap_or("3.1").split('.').take(2).collect();
        format!("application/vnd.oai.openapi+json;version={}", minor.join("."))
    })
}

/// The document as pretty JSON with a trailing newline, the form checked in under `openapi/`.
pub fn document_json() -> String {
    let mut json = serde_json::to_string_pretty(&document()).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

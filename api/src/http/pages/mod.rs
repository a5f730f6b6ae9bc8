//! Pages for city officials, served as HTML rendered on the server (minijinja templates in
//! `api/templates/`, SVG charts, vendored assets; no JavaScript build): the network (`/`), a
//! city (`/cities/{id}`), a site (`/sites/{id}`) and their printable report cards (`…/card`),
//! in the reader's language (`?lang=` or `Accept-Language`).

mod assets;
mod charts;
mod error_page;
mod network;
mod scope;
mod ui_text;
mod views;

use std::sync::OnceLock;

use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::Environment;
use serde_json::{json, Value};
use tideline_core::i18n::Language;

use super::db::{self, ReadPool};
use super::ogc::base_url;
use super::problem::ApiError;
use super::publication::Publication;
use super::stats_cache::StatsCache;
use super::vocabularies::{language, LanguageQuery};
use crate::store::features::{self, Collection};
use ui_text::PAGE_LANGUAGES;
use views::Reader;

/// Registers the pages (HTML, so not in the OpenAPI document).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(network_page))
        .route("/cities/{id}", web::get().to(city_page))
        .route("/cities/{id}/card", web::get().to(city_card))
        .route("/sites/{id}", web::get().to(site_page))
        .route("/sites/{id}/card", web::get().to(site_card))
        .route("/assets/{name}", web::get().to(assets::asset));
}

/// The templates, compiled once.
fn templates() -> &'static Environment<'static> {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        let sources = [
            ("base.html", include_str!("../../../templates/base.html")),
            ("network.html", include_str!("../../../templates/network.html")),
            ("scope.html", include_str!("../../../templates/scope.html")),
            ("card.html", include_str!("../../../templates/card.html")),
            ("map_scripts.html", include_str!("../../../templates/map_scripts.html")),
            ("error.html", include_str!("../../../templates/error.html")),
        ];
        for (name, source) in sources {
            // the templates are compiled in: a syntax error is a build defect the tests catch
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(%error, name, "a page template does not compile");
            }
        }
        env
    })
}

/// `template` rendered with the page's own `context` and what every page shows.
fn render(template: &str, reader: &Reader, publication: &Publication, context: Value) -> Result<String, ApiError> {
    let language = reader.language();
    let languages: Vec<Value> = PAGE_LANGUAGES
        .iter()
        .map(|l| json!({ "code": l.as_str(), "name": ui_text::Words(*l).get("language_name") }))
        .collect();
    let generated = chrono::Utc::now().date_naive().to_string();
    let mut page = json!({
        "lang": language.as_str(),
        "t": reader.words.all(),
        "languages": languages,
        "publication": { "licence": publication.licence, "licence_url": publication.licence_url, "citation": publication.citation },
        "tile_url": publication.tile_url,
        "generated": reader.words.say("generated", &[("date", generated)]),
    });
    if let (Some(page), Value::Object(own)) = (page.as_object_mut(), context) {
        page.extend(own);
    }
    let template = templates().get_template(template).map_err(ApiError::internal)?;
    template.render(minijinja::Value::from_serialize(&page)).map_err(ApiError::internal)
}

/// A page from the cache (emptied by every write), or made by `make` and kept.
async fn cached<F>(req: &HttpRequest, cache: &StatsCache, lang: Language, make: F) -> Result<HttpResponse, ApiError>
where
    F: std::future::Future<Output = Result<String, ApiError>>,
{
    let key = format!("page|{}|{lang}", req.path());
    let body = cache.answer(&key, || async { make.await.map(Bytes::from) }).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Language", lang.as_str()))
        .insert_header(("Vary", "Accept-Language"))
        .body(body))
}

/// Shared extractors of every page.
type Page =
    (HttpRequest, web::Data<ReadPool>, web::Data<StatsCache>, web::Data<Publication>, web::Query<LanguageQuery>);

/// A page's answer: the page, or its error (as HTML for a browser).
async fn answer<F>(page: &Page, make: F) -> HttpResponse
where
    F: std::future::Future<Output = Result<HttpResponse, ApiError>>,
{
    let (req, _, _, publication, query) = page;
    error_page::answer(req, query.lang.as_deref(), publication, make.await)
}

async fn network_page(page: Page) -> HttpResponse {
    answer(&page, network(page.clone())).await
}

async fn network((req, read, cache, publication, query): Page) -> Result<HttpResponse, ApiError> {
    let lang = language(&req, &query)?;
    let reader = Reader::new(lang);
    let base = base_url(&req);
    cached(&req, &cache, lang, async move {
        let (context, interval) = db::read_stats(&read, move |conn, parts| {
            let interval = features::extent(conn, Collection::Surveys)?.interval;
            Ok((network::context(conn, parts, &reader)?, interval))
        })
        .await?;
        let coverage = match interval {
            (Some(first), Some(last)) => json!(format!("{first}/{last}")),
            _ => Value::Null,
        };
        let mut context = context;
        context["json_ld"] = json!(network::json_ld(&base, &publication, coverage));
        context["title"] = json!(reader.words.get("network_title"));
        render("network.html", &reader, &publication, context)
    })
    .await
}

async fn scope_page(page: Page, id: i64, city: bool, template: &'static str) -> Result<HttpResponse, ApiError> {
    let (req, read, cache, publication, query) = page;
    let lang = language(&req, &query)?;
    let reader = Reader::new(lang);
    cached(&req, &cache, lang, async move {
        let data = db::read_stats(&read, move |conn, parts| {
            if city {
                scope::load_city(conn, parts, id)
            } else {
                scope::load_site(conn, parts, id)
            }
        })
        .await?;
        render(template, &reader, &publication, scope::context(&reader, &data))
    })
    .await
}

/// A city's or site's page or card (`/cities/{id}`, `/sites/{id}/card` …); an id that is not
/// a number names no page.
async fn scope_answer(page: Page, id: &str, city: bool, template: &'static str) -> HttpResponse {
    let id = id.parse().map_err(|_| ApiError::NotFound(format!("no page {}", page.0.path())));
    answer(&page, async { scope_page(page.clone(), id?, city, template).await }).await
}

async fn city_page(page: Page, id: web::Path<String>) -> HttpResponse {
    scope_answer(page, &id, true, "scope.html").await
}

async fn city_card(page: Page, id: web::Path<String>) -> HttpResponse {
    scope_answer(page, &id, true, "card.html").await
}

async fn site_page(page: Page, id: web::Path<String>) -> HttpResponse {
    scope_answer(page, &id, false, "scope.html").await
}

async fn site_card(page: Page, id: web::Path<String>) -> HttpResponse {
    scope_answer(page, &id, false, "card.html").await
}

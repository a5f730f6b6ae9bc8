//! A page's error as browsers see it: an HTML page in the reader's language saying what went
//! wrong and leading back to the network, with the status and headers of the problem+json
//! answer every other client gets (a browser asks for `text/html`; scripts do not).

use actix_web::body::BoxBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::json;
use tideline_core::i18n::Language;

use super::render;
use super::views::Reader;
use crate::http::problem::ApiError;
use crate::http::publication::Publication;

/// Whether the client asked for HTML (browsers do; API clients and scripts do not).
fn wants_html(req: &HttpRequest) -> bool {
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.split(',').any(|kind| kind.trim().starts_with("text/html"))
}

/// The page's answer: the page, or its error as HTML for a browser and problem+json otherwise.
pub fn answer(
    req: &HttpRequest,
    lang: Option<&str>,
    publication: &Publication,
    page: Result<HttpResponse, ApiError>,
) -> HttpResponse {
    let error = match page {
        Ok(page) => return page,
        Err(error) => error,
    };
    let problem = error.error_response();
    if !wants_html(req) {
        return problem;
    }
    // the page's own `?lang=` may be what was wrong: then the browser's languages
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let language = lang.and_then(|l| l.parse().ok()).unwrap_or_else(|| Language::negotiate(accept));
    let reader = Reader::new(language);
    let status = problem.status();
    let (title, explanation) = match status {
        StatusCode::NOT_FOUND => ("error_not_found_title", "error_not_found_text"),
        s if s.is_client_error() => ("error_bad_request_title", "error_bad_request_text"),
        _ => ("error_server_title", "error_server_text"),
    };
    let context = json!({
        "title": reader.words.get(title),
        "explanation": reader.words.get(explanation),
        "status": status.as_u16(),
        "detail": error.to_string(),
        "errors": match &error {
            ApiError::Invalid { errors, .. } => json!(errors),
            _ => json!([]),
        },
    });
    let Ok(html) = render("error.html", &reader, publication, context) else { return problem };
    let (mut head, _) = problem.into_parts();
    let headers = head.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    if let Ok(language) = HeaderValue::from_str(reader.language().as_str()) {
        headers.insert(header::CONTENT_LANGUAGE, language);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language"));
    head.set_body(BoxBody::new(html))
}

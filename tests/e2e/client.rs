//! A small blocking HTTP client for the end-to-end tests (error statuses are answers, not errors).

use serde_json::Value;

/// A response read in full.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts an RFC 9457 problem with this status and returns it.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.content_type, "application/problem+json", "body: {}", self.body);
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert!(problem["type"].as_str().is_some_and(|t| t.starts_with("https://")), "{problem}");
        assert!(problem["title"].as_str().is_some_and(|t| !t.is_empty()), "{problem}");
        assert!(problem["detail"].as_str().is_some_and(|t| !t.is_empty()), "{problem}");
        problem
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn read(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = response.expect("HTTP exchange");
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Reply { status: response.status().as_u16(), content_type, headers: response.headers().clone(), body }
}

/// GET `url`.
pub fn get(url: &str) -> Reply {
    read(agent().get(url).call())
}

/// A request with any method and an optional raw body with its content type.
pub fn send(method: &str, url: &str, content_type: &str, body: &str) -> Reply {
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", content_type)
        .body(body.to_string())
        .expect("request");
    read(agent().run(request))
}

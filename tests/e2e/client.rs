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

    /// The JSON pointers of a problem's field errors.
    pub fn pointers(&self, status: u16) -> Vec<String> {
        let problem = self.problem(status);
        problem["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_string()).collect()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn read(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = response.expect("HTTP exchange");
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = response.body_mut().with_config().limit(1 << 30).read_to_string().unwrap_or_default();
    Reply { status: response.status().as_u16(), content_type, headers: response.headers().clone(), body }
}

/// Any request: method, URL, optional bearer token, extra headers, raw body with content type.
pub fn request(
    method: &str,
    url: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<(&str, String)>,
) -> Reply {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let (content_type, body) = body.unwrap_or(("application/json", String::new()));
    let request = builder.header("content-type", content_type).body(body).expect("request");
    read(agent().run(request))
}

/// GET `url`.
pub fn get(url: &str) -> Reply {
    request("GET", url, None, &[], None)
}

/// GET `url` with a token.
pub fn get_as(url: &str, token: &str) -> Reply {
    request("GET", url, Some(token), &[], None)
}

/// POST JSON with a token.
pub fn post_as(url: &str, token: &str, body: &Value) -> Reply {
    request("POST", url, Some(token), &[], Some(("application/json", body.to_string())))
}

/// A request with any method and a raw body with its content type.
pub fn send(method: &str, url: &str, content_type: &str, body: &str) -> Reply {
    request(method, url, None, &[], Some((content_type, body.to_string())))
}

/// PUT JSON to `url` with a token.
pub fn put_as(url: &str, token: &str, body: &Value) -> Reply {
    request("PUT", url, Some(token), &[], Some(("application/json", body.to_string())))
}

/// Asserts a JSON number equals `expected` to 1e-9.
pub fn close(value: &Value, expected: f64) {
    let v = value.as_f64().unwrap_or_else(|| panic!("{value} is not a number"));
    assert!((v - expected).abs() < 1e-9, "{v} != {expected}");
}

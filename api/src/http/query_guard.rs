//! Unknown query parameters are a 400 on every documented route: the parameters an operation
//! takes are read from the OpenAPI document itself, so the allow-list cannot drift from it.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use super::problem::{ApiError, FieldError};

/// Query parameter names per (method, path pattern) of the OpenAPI document.
type Allowed = HashMap<(String, String), HashSet<String>>;

fn allowed() -> &'static Allowed {
    static ALLOWED: OnceLock<Allowed> = OnceLock::new();
    ALLOWED.get_or_init(|| {
        let document = serde_json::to_value(super::openapi::document()).unwrap_or_default();
        let mut allowed = Allowed::new();
        let paths = document.get("paths").and_then(|p| p.as_object()).cloned().unwrap_or_default();
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let names = operation
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .filter(|p| p.get("in").and_then(|i| i.as_str()) == Some("query"))
                    .filter_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_owned))
                    .collect();
                allowed.insert((method.to_ascii_uppercase(), path.clone()), names);
            }
        }
        allowed
    })
}

/// The query parameters of `query` that `names` does not list, in order of appearance.
fn unknown(query: &str, names: &HashSet<String>) -> Vec<String> {
    let mut seen = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let raw = pair.split_once('=').map_or(pair, |(k, _)| k);
        let name = percent_decode(raw);
        if !names.contains(&name) && !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}

/// `application/x-www-form-urlencoded` decoding of one name (`+` is a space; bad escapes kept).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Middleware: answers 400 naming every query parameter the route does not document.
pub async fn reject_unknown_parameters(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let query = req.query_string();
    if !query.is_empty() {
        let key = req.match_pattern().map(|pattern| (req.method().as_str().to_owned(), pattern));
        if let Some(names) = key.and_then(|key| allowed().get(&key)) {
            let unknown = unknown(query, names);
            if !unknown.is_empty() {
                let errors = unknown
                    .iter()
                    .map(|name| FieldError::new(format!("/{name}"), format!("unknown query parameter `{name}`")))
                    .collect();
                let response = ApiError::bad_request("unknown query parameters", errors).error_response();
                return Ok(req.into_response(response).map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_unknown_parameter_once() {
        let names: HashSet<String> = ["from", "to"].into_iter().map(String::from).collect();
        assert_eq!(unknown("from=2020-01-01&format=xml&x&format=csv", &names), ["format", "x"]);
        assert_eq!(unknown("fr%6Fm=1&to=2", &names), Vec::<String>::new());
        assert_eq!(unknown("a+b=1&%zz=2", &names), ["a b", "%zz"]);
    }
}

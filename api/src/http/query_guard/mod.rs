//! Query parameters are checked on every documented route before any handler runs, against
//! the OpenAPI document itself (so the checks cannot drift from it): a parameter the route does
//! not take, a value its type cannot hold (a whole number, a number, true or false, a date, one
//! of a vocabulary's words) and a parameter given twice are each named, all in one 400.
//! What a parameter means (ranges, bounding boxes, country codes) its handler checks.

mod rules;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use super::problem::{ApiError, FieldError};
use rules::Parameters;

/// Every offending parameter of `query` for an operation taking `parameters`: values their
/// rule refuses and names given more than once, in the document's order; then the names the
/// operation does not take, in order of appearance. True with them when all are unknown names.
fn offences(query: &str, parameters: &Parameters) -> (Vec<FieldError>, bool) {
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect();
    let mut errors = Vec::new();
    for (name, rule) in parameters {
        let mut values = pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v);
        let (Some(value), twice) = (values.next(), values.next().is_some()) else { continue };
        let refused = if twice { Some(format!("`{name}` is given more than once")) } else { rule.refuse(name, value) };
        errors.extend(refused.map(|message| FieldError::new(format!("/{name}"), message)));
    }
    let mut unknown: Vec<&str> = Vec::new();
    for (name, _) in &pairs {
        if !parameters.iter().any(|(known, _)| known == name) && !unknown.contains(&name.as_str()) {
            unknown.push(name);
        }
    }
    let only_unknown = errors.is_empty();
    errors.extend(
        unknown.iter().map(|name| FieldError::new(format!("/{name}"), format!("unknown query parameter `{name}`"))),
    );
    (errors, only_unknown)
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

/// Middleware: answers 400 naming every query parameter the route does not take or cannot read.
pub async fn check_query_parameters(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let query = req.query_string();
    if !query.is_empty() {
        let key = req.match_pattern().map(|pattern| (req.method().as_str().to_owned(), pattern));
        if let Some(parameters) = key.and_then(|key| rules::operations().get(&key)) {
            let (errors, only_unknown) = offences(query, parameters);
            if !errors.is_empty() {
                let detail = if only_unknown { "unknown query parameters" } else { "invalid query parameters" };
                let response = ApiError::bad_request(detail, errors).error_response();
                return Ok(req.into_response(response).map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::rules::Rule;
    use super::*;

    fn named(query: &str) -> (Vec<(String, String)>, bool) {
        let parameters: Parameters = vec![
            ("from".into(), Rule::Date),
            ("kind".into(), Rule::Words(vec!["monitoring".into(), "cleanup".into()])),
            ("city".into(), Rule::Integer),
            ("bbox".into(), Rule::Text),
        ];
        let (errors, only_unknown) = offences(query, &parameters);
        (errors.into_iter().map(|e| (e.pointer, e.message)).collect(), only_unknown)
    }

    #[test]
    fn names_every_unknown_parameter_once() {
        let pointers = |query| named(query).0.into_iter().map(|(p, _)| p).collect::<Vec<_>>();
        assert_eq!(pointers("from=2020-01-01&format=xml&x&format=csv"), ["/format", "/x"]);
        assert!(named("from=2020-01-01&format=xml").1);
        assert_eq!(pointers("fr%6Fm=2020-01-01&city=2"), Vec::<String>::new());
        assert_eq!(pointers("a+b=1&%zz=2"), ["/a b", "/%zz"]);
    }

    #[test]
    fn names_every_value_its_type_cannot_hold_in_the_documents_order_then_the_unknown_ones() {
        let (errors, only_unknown) = named("city=abc&nope=1&kind=foo&from=2020-13-01&bbox=whatever");
        assert!(!only_unknown);
        let pointers: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(pointers, ["/from", "/kind", "/city", "/nope"]);
        assert_eq!(errors[1].1, "`foo` is not one of monitoring, cleanup");
        assert_eq!(errors[2].1, "`city` must be a whole number (got \"abc\")");
        let (twice, _) = named("from=2020-01-01&from=2021-01-01&kind=clean%75p");
        assert_eq!(twice, [("/from".to_string(), "`from` is given more than once".to_string())]);
    }
}

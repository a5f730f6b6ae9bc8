//! The corpus's requests that go wrong before the body: headers (content types, lengths,
//! encodings, tokens) and query parameters on every read endpoint.

use serde_json::json;

use super::{bearer, valid_survey, Case};
use crate::raw::request_bytes;

pub(super) fn header_cases(token: &str, site: i64) -> Vec<Case> {
    let survey = valid_survey(site).to_string();
    let batch = json!({"records": [valid_survey(site)]}).to_string();
    let mut cases = Vec::new();
    for (n, authorization) in [
        b"Authorization: Bearer".to_vec(),
        b"Authorization: Bearer ".to_vec(),
        b"Authorization: Basic dXNlcjpwYXNz".to_vec(),
        b"Authorization: bearer-ish".to_vec(),
        format!("Authorization: Bearer {}", "t".repeat(8000)).into_bytes(),
        b"Authorization: Bearer \xff\xfe".to_vec(),
        b"Authorization: Bearer unknown-token".to_vec(),
        format!("Authorization: Bearer {token}x").into_bytes(),
    ]
    .into_iter()
    .enumerate()
    {
        let headers = [authorization, b"Content-Type: application/json".to_vec()];
        cases.push(Case {
            name: format!("authorization #{n}"),
            bytes: request_bytes("POST", "/v1/surveys", &headers, survey.as_bytes()),
        });
        cases.push(Case {
            name: format!("authorization #{n} on a read"),
            bytes: request_bytes("GET", "/v1/surveys", &[b"Authorization: Bearer nope".to_vec()], b""),
        });
    }
    for (n, key) in
        [b"".to_vec(), "é-not-ascii".as_bytes().to_vec(), b"\xff\xfe".to_vec(), vec![b'k'; 256], b"tab\there".to_vec()]
            .into_iter()
            .enumerate()
    {
        let headers = [
            bearer(token),
            b"Content-Type: application/json".to_vec(),
            [b"Idempotency-Key: ".as_slice(), &key].concat(),
        ];
        cases.push(Case {
            name: format!("idempotency key #{n}"),
            bytes: request_bytes("POST", "/v1/surveys/batch", &headers, batch.as_bytes()),
        });
    }
    cases
}

pub(super) fn query_cases() -> Vec<Case> {
    let reads = [
        "/v1/cities",
        "/v1/sites",
        "/v1/sites.geojson",
        "/v1/cities/1/stats",
        "/v1/sites/1/stats",
        "/v1/countries/VN/stats",
        "/v1/network/stats",
        "/v1/stats",
        "/v1/cities/1/report.csv",
        "/v1/sites/1/report.csv",
        "/v1/exports/surveys.csv",
        "/v1/exports/samples.csv",
        "/v1/surveys",
        "/v1/samples",
        "/health",
        "/v1/teams",
        "/v1/cities/1",
        "/v1/sites/1",
    ];
    let queries = [
        "zzz=1",
        "format=xml",
        "from=-5000-01-01",
        "to=-5000-01-01",
        "from=0000-01-01",
        "to=+99999-01-01",
        "from=2026-13-45",
        "from=yesterday",
        "from=2026-01-01&from=-1-01-01",
        "limit=0",
    ];
    let mut cases = Vec::new();
    for path in reads {
        for query in queries {
            cases.push(Case {
                name: format!("GET {path}?{query}"),
                bytes: request_bytes("GET", &format!("{path}?{query}"), &[b"Authorization: Bearer nope".to_vec()], b""),
            });
        }
    }
    for query in [
        "bbox=1,2,3",
        "bbox=10,10,0,0",
        "bbox=a,b,c,d",
        "near=91,0",
        "near=NaN,1",
        "near=1,2&radius_m=inf",
        "near=1,2&radius_m=-1",
        "radius_m=1e400",
        "kind=volcano",
        "city=abc",
        "city=99999999999999999999",
    ] {
        cases.push(Case {
            name: format!("GET /v1/sites?{query}"),
            bytes: request_bytes("GET", &format!("/v1/sites?{query}"), &[], b""),
        });
    }
    for query in ["group_by=planet", "period=decade", "kind=x", "protocol=x", "country=zz9", "city=-"] {
        cases.push(Case {
            name: format!("GET /v1/stats?{query}"),
            bytes: request_bytes("GET", &format!("/v1/stats?{query}"), &[], b""),
        });
    }
    for path in [
        "/v1/surveys/abc",
        "/v1/surveys/99999999999999999999",
        "/v1/cities/0/stats",
        "/v1/cities/-1/stats",
        "/v1/countries/XXX/stats",
        "/v1/countries/%00/stats",
        "/v1/countries/v%2Fn/stats",
        "/v1/sites/1e3/stats",
        "/v1/%ff%fe",
        "/v1/cities/1/report.csv/extra",
    ] {
        cases.push(Case { name: format!("GET {path}"), bytes: request_bytes("GET", path, &[], b"") });
    }
    cases
}

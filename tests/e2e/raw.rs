//! Raw HTTP/1.1 over a TCP socket, for requests an ordinary client refuses to send: invalid
//! UTF-8, odd header bytes, wrong lengths, bodies that never arrive.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Status line and headers of a raw exchange, with the body.
pub struct RawReply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl RawReply {
    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }
}

/// Sends `bytes` as they are to `base_url` (`http://127.0.0.1:PORT`) and reads the answer
/// until the server closes the connection or `timeout` passes.
pub fn exchange(base_url: &str, bytes: &[u8], timeout: Duration) -> RawReply {
    let address = base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(timeout)).expect("read timeout");
    stream.write_all(bytes).expect("send");
    let mut answer = Vec::new();
    let mut buffer = [0u8; 65536];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    RawReply { status, head: head.to_string(), body: body.to_string() }
}

/// A complete request with `Connection: close`: method, path, extra header lines, body.
pub fn request_bytes(method: &str, path: &str, headers: &[Vec<u8>], body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n").into_bytes();
    for header in headers {
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

//! A hostile server cannot crash the SDK or hang it: absurd `Retry-After` values, endless
//! pagination, a body dripped one byte a second, a body nested 100k deep, invalid UTF-8, a
//! 1 MB header line, and a `Content-Length` that lies either way. Each becomes a typed error
//! or a correct result, never a panic or a call that does not end.
//!
//! The server is raw TCP on loopback, so it can send what no HTTP framework would.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vivamo::{Client, ErrorKind};

/// What the server does with one request.
enum Reply {
    /// Writes these bytes, then closes.
    Raw(Vec<u8>),
    /// Writes `head`, then `body` one byte every `every`, then closes.
    Drip {
        head: Vec<u8>,
        body: Vec<u8>,
        every: Duration,
    },
}

type Handler = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

/// A server answering every request (its head as text) with `handler`; its base URL.
async fn hostile(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> String {
    let handler: Handler = Arc::new(handler);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, handler.clone()));
        }
    });
    url
}

async fn serve(mut socket: TcpStream, handler: Handler) {
    let mut buf = vec![0u8; 8192];
    let mut seen = Vec::new();
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&seen).into_owned();
    match handler(&head) {
        Reply::Raw(bytes) => {
            let _ = socket.write_all(&bytes).await;
        }
        Reply::Drip { head, body, every } => {
            if socket.write_all(&head).await.is_err() {
                return;
            }
            for byte in body {
                tokio::time::sleep(every).await;
                if socket.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
        }
    }
    let _ = socket.shutdown().await;
}

/// A response with a correct `Content-Length` and any extra header lines.
fn http(status: &str, extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

const CUSTOMER: &str = r#"{"externalCustomerId":"u1","data":{"email":"jane@example.com"},"kycStatus":"NOT_STARTED","createdAt":"2024-01-01T00:00:00Z"}"#;

fn client_for(url: String, max_retries: u32) -> Client {
    Client::builder()
        .api_key("sk_test_hostile")
        .base_url(url)
        .max_retries(max_retries)
        .timeout(Duration::from_secs(2))
        .deadline(Duration::from_secs(5))
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn absurd_retry_after_values_are_capped_or_ignored() {
    let date_past = "Wed, 21 Oct 2015 07:28:00 GMT";
    let date_far = "Fri, 31 Dec 9999 23:59:59 GMT";
    let cases: [(&str, Option<Duration>); 9] = [
        ("99999999999999999999", Some(Duration::from_secs(60))),
        ("1e20", Some(Duration::from_secs(60))),
        ("1e400", Some(Duration::from_secs(60))),
        (date_far, Some(Duration::from_secs(60))),
        ("0.25", Some(Duration::from_millis(250))),
        (date_past, Some(Duration::ZERO)),
        ("-1", None),
        ("NaN", None),
        ("tomorrow", None),
    ];
    for (value, expected) in cases {
        let header = format!("retry-after: {value}\r\n");
        let url = hostile(move |_| {
            Reply::Raw(http(
                "429 Too Many Requests",
                &header,
                br#"{"message":"slow down"}"#,
            ))
        })
        .await;
        let started = Instant::now();
        let err = client_for(url, 1).customers().get("u1").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{value}: {err}");
        assert_eq!(err.retry_after(), expected, "{value}");
        // A capped 60 s wait does not fit in the 5 s deadline: the call ends at once.
        assert!(started.elapsed() < Duration::from_secs(5), "{value}");
    }
}

#[tokio::test]
async fn the_same_page_forever_ends_the_walk() {
    let body = format!(
        r#"{{"customers":[{CUSTOMER}],"total":1000000000000,"page":1,"limit":1,"totalPages":1000000000000}}"#
    );
    let url = hostile(move |_| Reply::Raw(http("200 OK", "", body.as_bytes()))).await;
    let client = client_for(url, 0);
    let walk = client.customers().list_all().size(1).stream().try_collect();
    let all: Vec<vivamo::Customer> = tokio::time::timeout(Duration::from_secs(10), walk)
        .await
        .expect("list_all terminates")
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].external_customer_id, "u1");
}

#[tokio::test]
async fn total_pages_of_a_trillion_is_bounded_by_total() {
    // Fresh customers on every page, a trillion pages announced, but only 3 customers.
    let url = hostile(|head| {
        let page = head
            .split(['?', '&', ' '])
            .find_map(|p| p.strip_prefix("page="))
            .unwrap_or("1")
            .to_string();
        let customer = CUSTOMER.replace("\"u1\"", &format!("\"u{page}\""));
        let body = format!(
            r#"{{"customers":[{customer}],"total":3,"page":{page},"limit":1,"totalPages":1000000000000}}"#
        );
        Reply::Raw(http("200 OK", "", body.as_bytes()))
    })
    .await;
    let client = client_for(url, 0);
    let walk = client.customers().list_all().size(1).stream().try_collect();
    let all: Vec<vivamo::Customer> = tokio::time::timeout(Duration::from_secs(10), walk)
        .await
        .expect("list_all terminates")
        .unwrap();
    let ids: Vec<_> = all
        .iter()
        .map(|c| c.external_customer_id.as_str())
        .collect();
    assert_eq!(ids, ["u1", "u2", "u3"]);
}

#[tokio::test]
async fn an_id_shifted_onto_the_next_page_is_yielded_once() {
    // Page n of 5 holds u{n} and u{n+1}: customers inserted during the walk shift the last
    // one of each page onto the next. Each of u1..u6 is yielded once, in order.
    let url = hostile(|head| {
        let page: u64 = head
            .split(['?', '&', ' '])
            .find_map(|p| p.strip_prefix("page="))
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let customers = [page, page + 1]
            .iter()
            .filter(|n| **n <= 6)
            .map(|n| CUSTOMER.replace("\"u1\"", &format!("\"u{n}\"")))
            .collect::<Vec<_>>()
            .join(",");
        let body = format!(
            r#"{{"customers":[{customers}],"total":10,"page":{page},"limit":2,"totalPages":5}}"#
        );
        Reply::Raw(http("200 OK", "", body.as_bytes()))
    })
    .await;
    let walk = client_for(url, 0)
        .customers()
        .list_all()
        .size(2)
        .stream()
        .try_collect();
    let all: Vec<vivamo::Customer> = tokio::time::timeout(Duration::from_secs(10), walk)
        .await
        .expect("list_all terminates")
        .unwrap();
    let ids: Vec<_> = all
        .iter()
        .map(|c| c.external_customer_id.as_str())
        .collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5", "u6"]);
}

#[tokio::test]
async fn an_empty_page_ends_the_walk() {
    let body =
        r#"{"customers":[],"total":1000000000000,"page":1,"limit":100,"totalPages":1000000000000}"#;
    let url = hostile(move |_| Reply::Raw(http("200 OK", "", body.as_bytes()))).await;
    let all: Vec<vivamo::Customer> = tokio::time::timeout(
        Duration::from_secs(10),
        client_for(url, 0)
            .customers()
            .list_all()
            .stream()
            .try_collect(),
    )
    .await
    .expect("list_all terminates")
    .unwrap();
    assert!(all.is_empty());
}

/// A head announcing `body`'s length, then the body a byte a second.
fn drip(status: &str, body: &[u8]) -> Reply {
    Reply::Drip {
        head: format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        body: body.to_vec(),
        every: Duration::from_secs(1),
    }
}

#[tokio::test]
async fn a_body_dripped_a_byte_a_second_times_out() {
    // A success body, an error body of a declared error status, and one of an undeclared
    // status: the 2 s per-attempt timeout bounds the reading of each.
    for status in ["200 OK", "404 Not Found", "418 I'm a teapot"] {
        let url = hostile(move |_| drip(status, CUSTOMER.as_bytes())).await;
        let started = Instant::now();
        let err = client_for(url, 0).customers().get("u1").await.unwrap_err();
        let took = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{status}: {err}");
        assert!(took < Duration::from_secs(10), "{status}: took {took:?}");
    }
}

#[tokio::test]
async fn a_drip_with_retries_still_ends_by_the_deadline() {
    let url = hostile(|_| drip("200 OK", CUSTOMER.as_bytes())).await;
    let started = Instant::now();
    let err = client_for(url, 10).customers().get("u1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(12));
}

#[tokio::test]
async fn arrays_nested_100k_deep_are_a_decode_error() {
    let mut body = "[".repeat(100_000);
    body.push_str(&"]".repeat(100_000));
    for status in ["200 OK", "400 Bad Request", "500 Internal Server Error"] {
        let reply = http(status, "", body.as_bytes());
        let url = hostile(move |_| Reply::Raw(reply.clone())).await;
        let err = client_for(url, 0).customers().get("u1").await.unwrap_err();
        let expected = match status {
            "200 OK" => ErrorKind::Decode,
            "400 Bad Request" => ErrorKind::BadRequest,
            _ => ErrorKind::Server,
        };
        assert_eq!(err.kind(), expected, "{status}: {err}");
        assert!(
            err.to_string().len() < 1000,
            "the error does not echo the body"
        );
    }
}

#[tokio::test]
async fn invalid_utf8_is_a_decode_error() {
    let mut body = br#"{"externalCustomerId":"u"#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    body.extend_from_slice(br#"","data":{"email":"jane@example.com"}}"#);
    let reply = http("200 OK", "", &body);
    let url = hostile(move |_| Reply::Raw(reply.clone())).await;
    let err = client_for(url, 0).customers().get("u1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");

    // In an error body and in the request id header: the status still decides the kind.
    let mut reply = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nx-request-id: req_\xff\xfe\r\n".to_vec();
    let body = b"{\"message\":\"bad \xff\xfe\"}";
    reply.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    reply.extend_from_slice(body);
    let url = hostile(move |_| Reply::Raw(reply.clone())).await;
    let err = client_for(url, 0).customers().get("u1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest, "{err}");
}

#[tokio::test]
async fn a_one_megabyte_header_line_is_a_typed_error() {
    for name in ["x-junk", "retry-after", "x-request-id"] {
        let header = format!("{name}: {}\r\n", "9".repeat(1 << 20));
        let reply = http(
            "429 Too Many Requests",
            &header,
            br#"{"message":"slow down"}"#,
        );
        let url = hostile(move |_| Reply::Raw(reply.clone())).await;
        let err = client_for(url, 0).customers().get("u1").await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Connection | ErrorKind::RateLimited),
            "{name}: {err}"
        );
        assert!(
            err.to_string().len() < 2000,
            "{name}: the error does not echo the header"
        );
    }
}

#[tokio::test]
async fn a_content_length_longer_than_the_body_is_a_typed_error() {
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        CUSTOMER.len() + 1000
    )
    .into_bytes();
    reply.extend_from_slice(CUSTOMER.as_bytes());
    let url = hostile(move |_| Reply::Raw(reply.clone())).await;
    let err = client_for(url, 0).customers().get("u1").await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Connection | ErrorKind::Decode),
        "{err}"
    );
}

#[tokio::test]
async fn a_content_length_shorter_than_the_body_is_read_as_announced() {
    // Cut inside the JSON: a decode error.
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        CUSTOMER.len() / 2
    )
    .into_bytes();
    reply.extend_from_slice(CUSTOMER.as_bytes());
    let url = hostile(move |_| Reply::Raw(reply.clone())).await;
    let err = client_for(url, 0).customers().get("u1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");

    // Garbage after the announced length: the announced body is the answer.
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        CUSTOMER.len()
    )
    .into_bytes();
    reply.extend_from_slice(CUSTOMER.as_bytes());
    reply.extend_from_slice(b"GARBAGE\xff{{{{");
    let url = hostile(move |_| Reply::Raw(reply.clone())).await;
    let customer = client_for(url, 0).customers().get("u1").await.unwrap();
    assert_eq!(customer.data.email, "jane@example.com");
}

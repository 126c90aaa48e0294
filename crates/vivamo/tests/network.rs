//! Network settings: an explicit proxy (with credentials kept secret), extra root
//! certificates, pool and HTTP version settings.

mod common;

use common::{client_builder, proxy, requests, sandbox, tls};
use vivamo::ErrorKind;
use vivamo_sandbox::Mode;

#[tokio::test]
async fn requests_go_through_an_explicit_proxy() {
    let sb = sandbox(Mode::Test).await;
    let proxy = proxy::start().await;
    let with_credentials = proxy.url.replace("http://", "http://alice:pw_s3cret@");
    let client = client_builder(&sb)
        .proxy(&with_credentials)
        .max_idle_connections(4)
        .http2(false)
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("pw_s3cret"));
    let page = client.customers().list().await.unwrap();
    assert_eq!(page.total, 0);
    let seen = proxy.seen.lock().unwrap().clone();
    let target = format!("GET {}/v1/customers", sb.base_url());
    assert!(seen.iter().any(|l| l.starts_with(&target)), "{seen:?}");
    assert!(
        seen.iter().any(|l| l.contains("Proxy-Authorization: Basic")
            || l.contains("proxy-authorization: Basic")),
        "the proxy's credentials are sent to the proxy: {seen:?}"
    );
}

#[tokio::test]
async fn a_bad_proxy_or_ca_bundle_is_a_config_error_naming_it() {
    let sb = sandbox(Mode::Test).await;
    let err = client_builder(&sb)
        .proxy("::nonsense:pw_s3cret")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(
        err.to_string().contains("proxy") && !err.to_string().contains("pw_s3cret"),
        "{err}"
    );

    let err = client_builder(&sb)
        .ca_bundle("/nonexistent/ca.pem")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("ca_bundle"), "{err}");

    let not_pem = std::env::temp_dir().join(format!("vivamo-not-pem-{}.txt", std::process::id()));
    std::fs::write(&not_pem, "hello").unwrap();
    let err = client_builder(&sb).ca_bundle(&not_pem).build().unwrap_err();
    assert!(err.to_string().contains("no PEM certificate"), "{err}");
    let _ = std::fs::remove_file(not_pem);
}

#[tokio::test]
async fn a_ca_bundle_adds_a_root_and_the_client_still_works() {
    let sb = sandbox(Mode::Test).await;
    let pem = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/tls/private-ca.pem"
    );
    let client = client_builder(&sb).ca_bundle(pem).build().unwrap();
    assert_eq!(client.customers().list().await.unwrap().total, 0);
}

#[tokio::test]
async fn https_through_a_plain_http_proxy_with_a_private_ca() {
    let sb = sandbox(Mode::Test).await;
    let api = tls::front(sb.base_url().trim_start_matches("http://").to_string()).await;
    let proxy = proxy::start().await;
    let builder = || {
        vivamo::Client::builder()
            .api_key(sb.api_key())
            .environment(vivamo::Environment::Sandbox)
            .base_url(&api)
            .proxy(&proxy.url)
            .max_retries(0)
    };

    // Without the private root the certificate is refused: TLS really is end-to-end.
    let err = builder()
        .build()
        .unwrap()
        .customers()
        .list()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");

    let client = builder().ca_bundle(tls::private_ca()).build().unwrap();
    let page = client.customers().list().await.unwrap();
    assert_eq!(page.total, 0);
    let seen = proxy.seen.lock().unwrap().clone();
    let target = format!("CONNECT {}", api.trim_start_matches("https://"));
    assert!(seen.iter().any(|l| l.starts_with(&target)), "{seen:?}");
    // The proxy saw only the tunnel, never a request line with the path.
    assert!(!seen.iter().any(|l| l.contains("/v1/")), "{seen:?}");
}

/// HTTP/2 by default where the server offers it by ALPN; `http2(false)` keeps to HTTP/1.1.
/// The sandbox's request log tells which version reached it.
#[tokio::test]
async fn http2_is_used_where_offered_and_can_be_switched_off() {
    let sb = sandbox(Mode::Test).await;
    let api = tls::front(sb.base_url().trim_start_matches("http://").to_string()).await;
    for (http2, expected) in [(None, "HTTP/2.0"), (Some(false), "HTTP/1.1")] {
        let mut builder = vivamo::Client::builder()
            .api_key(sb.api_key())
            .environment(vivamo::Environment::Sandbox)
            .base_url(&api)
            .ca_bundle(tls::private_ca());
        if let Some(enabled) = http2 {
            builder = builder.http2(enabled);
        }
        let page = builder.build().unwrap().customers().list().await.unwrap();
        assert_eq!(page.total, 0);
        let log = requests(&sb).await;
        let last = log.last().expect("the call is logged");
        assert_eq!(last["httpVersion"], expected, "http2 {http2:?}: {last}");
    }
}

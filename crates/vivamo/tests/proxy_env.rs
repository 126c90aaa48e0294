//! `HTTP_PROXY` is honoured without any code (alone in its binary: it sets the variable for
//! the whole process).

mod common;

use common::{client, proxy, sandbox};
use vivamo_sandbox::Mode;

#[tokio::test]
async fn http_proxy_from_the_environment_is_used() {
    let sb = sandbox(Mode::Test).await;
    let proxy = proxy::start().await;
    std::env::set_var("HTTP_PROXY", &proxy.url);
    std::env::set_var("http_proxy", &proxy.url);
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let client = client(&sb);
    client.customers().list().await.unwrap();
    let seen = proxy.seen.lock().unwrap().clone();
    assert!(
        seen.iter()
            .any(|l| l.starts_with(&format!("GET {}/v1/customers", sb.base_url()))),
        "{seen:?}"
    );

    // NO_PROXY exempts the host again.
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
    proxy.seen.lock().unwrap().clear();
    let direct = common::client(&sb);
    direct.customers().list().await.unwrap();
    assert!(proxy.seen.lock().unwrap().is_empty());
}

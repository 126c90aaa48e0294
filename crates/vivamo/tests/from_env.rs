//! `Client::from_env`: the key, environment and base URL from `VIVAMO_*` (alone in its
//! binary, and one test: it sets variables for the whole process).

mod common;

use vivamo::{Client, ErrorKind};
use vivamo_sandbox::Mode;

#[tokio::test]
async fn from_env_reads_the_key_environment_and_base_url() {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("VIVAMO_") {
            std::env::remove_var(name);
        }
    }
    let sb = common::sandbox(Mode::Test).await;

    // No key anywhere: one sentence naming the variable.
    let err = Client::from_env().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("VIVAMO_API_KEY"), "{err}");

    std::env::set_var("VIVAMO_API_KEY", sb.api_key());
    std::env::set_var("VIVAMO_ENVIRONMENT", "sandbox");
    std::env::set_var("VIVAMO_BASE_URL", sb.base_url());
    let client = Client::from_env().unwrap();
    assert_eq!(client.customers().list().await.unwrap().total, 0);
    let log = common::requests(&sb).await;
    assert_eq!(log.len(), 1, "the call went to VIVAMO_BASE_URL: {log:?}");

    // The sandbox only knows its own key: a call with another one is refused, so the
    // variable is what was sent.
    std::env::set_var("VIVAMO_API_KEY", "sk_test_someone_else");
    let err = Client::from_env()
        .unwrap()
        .customers()
        .list()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
    assert!(!format!("{err} {err:?}").contains("sk_test_someone_else"));

    // An environment that is not one: a config error naming the variable and the choices.
    std::env::set_var("VIVAMO_API_KEY", sb.api_key());
    std::env::set_var("VIVAMO_ENVIRONMENT", "prod");
    let err = Client::from_env().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let shown = err.to_string();
    assert!(
        shown.contains("VIVAMO_ENVIRONMENT") && shown.contains("production"),
        "{shown}"
    );
}

//! Hooks for the test suite only, compiled with the `test-hooks` feature, which no release
//! artifact enables (`cargo xtask dist` checks the addon for them).

use napi::bindgen_prelude::AsyncBlock;
use napi::Env;
use napi_derive::napi;

use crate::promise::promise;

/// Fails inside the native layer on purpose, so the tests can prove that a Rust panic
/// becomes a rejected promise and not a crashed process.
#[napi(js_name = "__panicForTests")]
pub fn panic_for_tests(env: Env) -> napi::Result<AsyncBlock<()>> {
    promise(&env, async {
        tokio::task::yield_now().await;
        panic!("deliberate panic requested by the test suite")
    })
}

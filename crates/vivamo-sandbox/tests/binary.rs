//! The `vivamo-sandbox` binary: first stdout line, serving, SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn prints_listening_line_then_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vivamo-sandbox"))
        .args(["--port", "0", "--mode", "production", "--api-key", "sk_bin"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("url: {url}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);

    let c = reqwest::Client::new();
    let health: serde_json::Value = c
        .get(format!("{url}/__sandbox/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["mode"], "production");
    let r = c
        .get(format!("{url}/v1/customers"))
        .bearer_auth("sk_bin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);

    // SIGTERM shuts it down gracefully (exit code 0).
    #[cfg(unix)]
    {
        let ok = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                break;
            }
            assert!(Instant::now() < deadline, "no exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    #[cfg(not(unix))]
    {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

#[test]
fn bad_flags_fail() {
    let out = Command::new(env!("CARGO_BIN_EXE_vivamo-sandbox"))
        .args(["--port", "0", "--fail-rate", "2"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_vivamo-sandbox"))
        .args(["--mode", "staging"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

//! `cargo xtask browser`: the sandbox's inspector page in a real headless Chromium.
//!
//! Installs Debian's `chromium` (apt-get) when `/usr/bin/chromium` is missing and
//! `playwright-core` from npm into `target/browser/`, builds the sandbox and the CLI, starts
//! the sandbox, and runs `browser_test.cjs`, which drives the page (the checks are listed
//! there) and leaves a screenshot at `target/browser/inspector.png` (CI's artifact).

use std::path::Path;
use std::process::Command;

use crate::tools::{cargo, run, sandbox_binary, start_sandbox, target_dir};

/// The playwright-core release the test is written against (it drives Debian's Chromium
/// through `executablePath`; no browser download).
const PLAYWRIGHT_CORE: &str = "playwright-core@1.65.2";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs Debian's chromium package unless it is there.
fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut cmd = if root {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update"])?;
    apt(&["install", "-y", "--no-install-recommends", "chromium"])
}

/// Runs the browser test.
pub fn run_browser_test() -> Result<(), String> {
    ensure_chromium()?;
    let dir = target_dir().join("browser");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if !dir.join("node_modules/playwright-core").exists() {
        run(Command::new("npm")
            .args([
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
            ])
            .arg(&dir)
            .arg(PLAYWRIGHT_CORE))?;
    }
    let sandbox = sandbox_binary(false)?;
    run(cargo().args(["build", "--package", "vivamo-cli", "--bin", "vivamo"]))?;
    let cli = target_dir().join("debug").join("vivamo");
    let mut cmd = Command::new(&sandbox);
    cmd.args(["--port", "0", "--webhook-retry-unit-ms", "200"]);
    let (_running, base_url) = start_sandbox(cmd)?;
    let script = crate::tools::project_root().join("xtask/src/browser_test.cjs");
    run(Command::new("node")
        .arg(&script)
        .arg(&base_url)
        .arg(&cli)
        .arg(dir.join("inspector.png"))
        .env("NODE_PATH", dir.join("node_modules")))
}

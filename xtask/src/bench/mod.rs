//! `cargo xtask bench [--quick]`: vivamo against each ecosystem's own client, side by side, on
//! one release-built sandbox; writes `target/bench/report.md` and `target/bench/report.json`.
//!
//! The machine has two cores: the sandbox is pinned to core 0 and every client (and the load
//! generator) to core 1, so the two sides of a pair compete for the same resources. Placement
//! changes the order of some pairs on this machine, so the per-call rows (Rust and Python
//! sequential `get` against raw sockets and `http.client`) run a second time *unpinned*, on a
//! second sandbox left to the scheduler. Pairs run in alternation (A B A B …) after a warm-up;
//! the report gives medians, min–max and ratios. `--quick` runs everything briefly, only to
//! prove the harness works (it asserts nothing about speed).
//!
//! [`workloads`] runs each measurement and turns its output into rows, [`packages`] prepares
//! the Node and Python packages as users install them, [`report`] writes the tables.

mod packages;
mod report;
mod workloads;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::tools::{cargo, run, start_sandbox, target_dir, Running};
use packages::{NodeBench, PythonBench};
use report::Row;

/// Keys of the sandbox's operators, one per workload so that they do not disturb each other.
const KEY_GET: &str = "sk_bench_get";
/// One operator per `list_all` size, smallest first.
const KEYS_LIST: [&str; 3] = [
    "sk_bench_list_small",
    "sk_bench_list_medium",
    "sk_bench_list_large",
];
const KEY_IMPORT: &str = "sk_bench_import";

/// Where the processes of a measurement run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Placement {
    /// The sandbox on core 0, the client on core 1 (`taskset`).
    Pinned,
    /// Wherever the scheduler puts them.
    Unpinned,
}

impl Placement {
    /// A command running `program` on `core`, or anywhere when unpinned.
    fn command(self, core: u32, program: impl AsRef<std::ffi::OsStr>) -> Command {
        match self {
            Placement::Pinned => {
                let mut cmd = Command::new("taskset");
                cmd.arg("-c").arg(core.to_string()).arg(program);
                cmd
            }
            Placement::Unpinned => Command::new(program),
        }
    }

    /// What a row says about it.
    fn note(self) -> &'static str {
        match self {
            Placement::Pinned => "",
            Placement::Unpinned => " (unpinned)",
        }
    }
}

/// `program` pinned to `core`.
fn pinned(core: u32, program: impl AsRef<std::ffi::OsStr>) -> Command {
    Placement::Pinned.command(core, program)
}

/// Runs `cmd` and returns the last stdout line that parses as a JSON object.
fn json_of(cmd: &mut Command) -> Result<Value, String> {
    let shown = crate::tools::describe(cmd);
    println!("$ {shown}");
    let output = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        println!("  {line}");
    }
    if !output.status.success() {
        return Err(format!("`{shown}` failed ({})", output.status));
    }
    stdout
        .lines()
        .rev()
        .filter(|l| l.trim_start().starts_with('{'))
        .find_map(|l| serde_json::from_str::<Value>(l).ok())
        .ok_or_else(|| format!("`{shown}` printed no JSON result line"))
}

/// The number at `path` in a workload's JSON output.
fn number(value: &Value, path: &[&str]) -> Result<f64, String> {
    path.iter()
        .try_fold(value, |v, key| v.get(*key))
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("the output lacks {}", path.join(".")))
}

/// A running sandbox and its URL.
struct Sandbox {
    _process: Running,
    url: String,
}

fn start_bench_sandbox(binary: &Path, placement: Placement) -> Result<Sandbox, String> {
    let mut cmd = placement.command(0, binary);
    cmd.args(["--port", "0", "--mode", "test", "--max-page-size", "1000"]);
    for key in [KEY_GET, KEY_IMPORT].iter().chain(&KEYS_LIST) {
        cmd.args(["--api-key", key]);
    }
    let (process, url) = start_sandbox(cmd)?;
    Ok(Sandbox {
        _process: process,
        url,
    })
}

fn curl_post(url: &str, key: Option<&str>, body: &str) -> Result<(), String> {
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "--fail-with-body", "-X", "POST", url])
        .args(["-H", "Content-Type: application/json", "-d", body]);
    if let Some(key) = key {
        cmd.args(["-H", &format!("Authorization: Bearer {key}")]);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("could not run curl: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "POST {url} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn seed(sandbox: &Sandbox, key: &str, count: usize, prefix: &str) -> Result<(), String> {
    curl_post(
        &format!("{}/__sandbox/seed", sandbox.url),
        Some(key),
        &serde_json::json!({"count": count, "prefix": prefix}).to_string(),
    )
}

fn create_bench_customer(sandbox: &Sandbox) -> Result<(), String> {
    curl_post(
        &format!("{}/v1/customers", sandbox.url),
        Some(KEY_GET),
        r#"{"externalCustomerId": "bench_user", "data": {"email": "bench@example.com", "phone": "+14155552671", "firstName": "Bench", "lastName": "User", "city": "New York", "state": "NY", "zip": "10001", "country": "US"}}"#,
    )
}

/// Environment for client processes: where the sandbox is and which key to use.
/// Nothing inherited from the caller's `VIVAMO_*` (a base URL, a log level, a quick flag).
fn client_env(cmd: &mut Command, sandbox: &Sandbox, key: &str, quick: bool) {
    crate::tools::clean_test_env(cmd)
        .env("VIVAMO_BASE_URL", &sandbox.url)
        .env("VIVAMO_API_KEY", key)
        .env("VIVAMO_ENVIRONMENT", "sandbox")
        .env("VIVAMO_BENCH_ID", "bench_user");
    if quick {
        cmd.env("VIVAMO_BENCH_QUICK", "1");
    }
}

pub fn run_bench(quick: bool) -> Result<(), String> {
    let out_dir = target_dir().join("bench");
    fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;

    // Release builds only: a debug build measures the compiler, not the design.
    run(cargo().args([
        "build",
        "--release",
        "--package",
        "vivamo-sandbox",
        "--package",
        "vivamo-cli",
    ]))?;
    let release = target_dir().join("release");
    let node = NodeBench::setup()?;
    let python = PythonBench::setup()?;

    let sandbox = start_bench_sandbox(&release.join("vivamo-sandbox"), Placement::Pinned)?;
    println!("bench: sandbox (release, core 0) at {}", sandbox.url);
    create_bench_customer(&sandbox)?;
    // Customers walked by `list_all`, per operator of KEYS_LIST: memory must not grow with it.
    let list_sizes: [usize; 3] = if quick {
        [1_000, 3_000, 10_000]
    } else {
        [10_000, 100_000, 1_000_000]
    };
    for (key, count) in KEYS_LIST.iter().zip(list_sizes) {
        seed(&sandbox, key, count, &format!("c{count}_"))?;
    }

    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut attempt = |name: &str, result: Result<Vec<Row>, String>| match result {
        Ok(mut r) => rows.append(&mut r),
        Err(e) => {
            eprintln!("bench: {name} failed: {e}");
            failures.push(format!("{name}: {e}"));
        }
    };

    attempt(
        "rust get",
        workloads::rust_get(&sandbox, quick, Placement::Pinned),
    );
    attempt(
        "python get",
        python.get_rows(&sandbox, quick, Placement::Pinned),
    );
    attempt("node get", node.get_rows(&sandbox, quick));
    attempt("rules", workloads::rules(quick));
    attempt(
        "list_all",
        workloads::list_all(&sandbox, &node, &python, &list_sizes, quick),
    );
    attempt(
        "import",
        workloads::import(&sandbox, &release, &out_dir, quick),
    );
    attempt("validate", workloads::validate(&release, &out_dir, quick));
    attempt("cold start", workloads::cold_start(&node, &python, quick));
    attempt(
        "sandbox throughput",
        workloads::sandbox_throughput(&sandbox, quick),
    );
    drop(sandbox);

    // The per-call rows again, with the sandbox and the client left to the scheduler.
    match start_bench_sandbox(&release.join("vivamo-sandbox"), Placement::Unpinned) {
        Ok(loose) => {
            println!("bench: sandbox (release, unpinned) at {}", loose.url);
            // Before any client: each expects the customer to exist.
            match create_bench_customer(&loose) {
                Ok(()) => {
                    attempt(
                        "rust get (unpinned)",
                        workloads::rust_get(&loose, quick, Placement::Unpinned),
                    );
                    attempt(
                        "python get (unpinned)",
                        python.get_rows(&loose, quick, Placement::Unpinned),
                    );
                }
                Err(e) => attempt("unpinned sandbox", Err(e)),
            }
        }
        Err(e) => attempt("unpinned sandbox", Err(e)),
    }

    rows.sort_by_key(Row::order);
    let md = report::markdown(&rows, quick, &failures);
    let json = report::json(&rows, quick);
    fs::write(out_dir.join("report.md"), &md).map_err(|e| e.to_string())?;
    fs::write(out_dir.join("report.json"), json).map_err(|e| e.to_string())?;
    println!("\n{md}");
    println!("bench: wrote {}", out_dir.join("report.md").display());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{} bench rows failed to run", failures.len()))
    }
}

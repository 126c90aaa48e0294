//! Shared helpers: the binary, an in-process sandbox, golden files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use regex::Regex;
use vivamo_sandbox::{Sandbox, SandboxBuilder, SandboxHandle};

/// The `vivamo` binary with no VIVAMO_* variables from the environment.
pub fn vivamo() -> Command {
    let mut cmd = Command::cargo_bin("vivamo").expect("the vivamo binary");
    for var in vivamo_vars() {
        cmd.env_remove(var);
    }
    cmd
}

/// Every `VIVAMO_*` variable of this process's environment (what a test's child must not
/// inherit: a key, an environment or a base URL would change what the command does).
pub fn vivamo_vars() -> Vec<std::ffi::OsString> {
    std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| name.to_string_lossy().starts_with("VIVAMO_"))
        .collect()
}

/// The `vivamo` binary as a plain child process (for signals), pointed at `sb`, with no
/// VIVAMO_* variables from the environment.
pub fn vivamo_process(sb: &Sb) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("vivamo"));
    for var in vivamo_vars() {
        cmd.env_remove(var);
    }
    cmd.args([
        "--base-url",
        &sb.handle.base_url(),
        "--api-key",
        sb.handle.api_key(),
        "--environment",
        "sandbox",
    ]);
    cmd
}

/// Polls `check` every 10 ms until it returns `Some`; fails after `ceiling` (a generous
/// bound: it only ends a test that would otherwise hang, it measures nothing).
pub fn wait_for<T>(
    what: &str,
    ceiling: std::time::Duration,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let started = std::time::Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            started.elapsed() < ceiling,
            "gave up waiting for {what} after {ceiling:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// The number of lines in `path` (0 while it does not exist).
pub fn line_count(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

/// A sandbox served by its own runtime while the test drives the binary.
pub struct Sb {
    pub handle: SandboxHandle,
    pub rt: tokio::runtime::Runtime,
}

impl Sb {
    pub fn start() -> Sb {
        Sb::with(Sandbox::builder())
    }

    pub fn with(builder: SandboxBuilder) -> Sb {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let handle = rt.block_on(builder.spawn()).expect("sandbox starts");
        Sb { handle, rt }
    }

    /// `vivamo` pointed at this sandbox, in the sandbox environment.
    pub fn cmd(&self) -> Command {
        self.cmd_in("sandbox")
    }

    /// `vivamo` pointed at this sandbox, validating for `environment`.
    pub fn cmd_in(&self, environment: &str) -> Command {
        let mut cmd = vivamo();
        cmd.args([
            "--base-url",
            &self.handle.base_url(),
            "--api-key",
            self.handle.api_key(),
            "--environment",
            environment,
        ]);
        cmd
    }

    pub fn count(&self) -> usize {
        self.handle.state().customer_count()
    }

    /// Every customer, through the SDK.
    pub fn all(&self) -> Vec<vivamo::Customer> {
        use futures::TryStreamExt;
        let client = vivamo::Client::builder()
            .api_key(self.handle.api_key())
            .environment(vivamo::Environment::Sandbox)
            .base_url(self.handle.base_url())
            // Patient enough for a sandbox with injected faults.
            .max_retries(30)
            .backoff(
                std::time::Duration::from_millis(2),
                std::time::Duration::from_millis(50),
            )
            .build()
            .unwrap();
        self.rt
            .block_on(
                client
                    .customers()
                    .list_all()
                    .size(100)
                    .stream()
                    .try_collect(),
            )
            .unwrap()
    }
}

impl Sb {
    /// Stores `customers` (e.g. another sandbox's) in this sandbox, through the SDK.
    pub fn copy_from(&self, customers: &[vivamo::Customer]) {
        use futures::StreamExt;
        let client = vivamo::Client::builder()
            .api_key(self.handle.api_key())
            .environment(vivamo::Environment::Sandbox)
            .base_url(self.handle.base_url())
            .validation(vivamo::Validation::Off)
            .build()
            .unwrap();
        let creates = customers.iter().map(|c| {
            let client = client.clone();
            let new = vivamo::NewCustomer::new(&c.external_customer_id, &c.data.email);
            async move { client.customers().create(new).await.map(drop) }
        });
        let results: Vec<_> = self.rt.block_on(
            futures::stream::iter(creates)
                .buffer_unordered(16)
                .collect::<Vec<_>>(),
        );
        assert!(results.iter().all(Result::is_ok), "copied every customer");
    }
}

/// Masks what changes from run to run: ports, timestamps, request ids, temp paths.
pub fn normalize(s: &str) -> String {
    let rules = [
        (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
        (
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)",
            "TIMESTAMP",
        ),
        (r"req_[0-9a-f]+", "REQUEST_ID"),
        (r"cs_ki_[0-9a-f]+", "cs_ki_SECRET"),
        (r"/v/[0-9a-f]{32}", "/v/TOKEN"),
        (r"/tmp/[^\s,\x22]*/", "TMP/"),
        (r"vivamo \d+\.\d+\.\d+", "vivamo VERSION"),
    ];
    let mut out = s.replace("\r\n", "\n");
    for (re, to) in rules {
        out = Regex::new(re).unwrap().replace_all(&out, to).into_owned();
    }
    out
}

/// Compares `actual` (normalized) with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites it.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let actual = normalize(actual);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "output differs from {} (UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}

/// The output of a finished command: (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `code`, stdout and stderr as one golden text.
pub fn transcript(code: i32, stdout: &str, stderr: &str) -> String {
    format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

/// A report's data lines sorted by row number.
pub fn sorted_report(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let mut rows: Vec<&str> = lines.collect();
    rows.sort_by_key(|l| l.split(',').next().unwrap().parse::<u64>().unwrap());
    let mut out = header + "\n";
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    out
}

/// A temporary directory.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Writes `text` to `dir/name`.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `rows` generated CSV rows; every `invalid_every`-th row has a bad email.
pub fn generate_csv(path: &Path, rows: usize, invalid_every: usize) -> usize {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        f,
        "externalCustomerId,email,phone,firstName,lastName,street,street2,city,state,zip,country"
    )
    .unwrap();
    let mut invalid = 0;
    for i in 1..=rows {
        let email = if invalid_every > 0 && i % invalid_every == 0 {
            invalid += 1;
            format!("user{i}-at-example.com")
        } else {
            format!("user{i}@example.com")
        };
        writeln!(f, "u{i:07},{email},,First{i},Last,,,,,,US").unwrap();
    }
    f.flush().unwrap();
    invalid
}

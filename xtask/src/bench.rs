//! `cargo xtask bench [--quick]`: vivamo against each ecosystem's own client, side by side, on
//! one release-built sandbox; writes `target/bench/report.md` and `target/bench/report.json`.
//!
//! The machine has two cores: the sandbox is pinned to core 0 and every client (and the load
//! generator) to core 1, so the two sides of a pair compete for the same resources. Pairs run in
//! alternation (A B A B …) after a warm-up; the report gives medians, min–max and ratios.
//! `--quick` runs everything briefly, only to prove the harness works (CI runs it and asserts
//! nothing about speed).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::tools::{cargo, project_root, run, start_sandbox, target_dir, Running};

/// Keys of the sandbox's operators, one per workload so that they do not disturb each other.
const KEY_GET: &str = "sk_bench_get";
const KEY_SMALL: &str = "sk_bench_list_small";
const KEY_LARGE: &str = "sk_bench_list_large";
const KEY_IMPORT: &str = "sk_bench_import";

/// Median, minimum and maximum of one side of a pair.
#[derive(Clone, Copy, Debug)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    fn of(samples: &[f64]) -> Stats {
        let mut sorted = samples.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        Stats {
            median: sorted[sorted.len() / 2],
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        }
    }

    fn from_yaml(value: &serde_yaml::Value) -> Option<Stats> {
        Some(Stats {
            median: value.get("median")?.as_f64()?,
            min: value.get("min")?.as_f64()?,
            max: value.get("max")?.as_f64()?,
        })
    }
}

/// One line of the report.
struct Row {
    id: &'static str,
    what: String,
    a_label: String,
    b_label: String,
    unit: &'static str,
    higher_is_better: bool,
    a: Stats,
    b: Option<Stats>,
    target: &'static str,
    /// The figure compared with the target (a ratio, a rate, a size…) and whether it meets it.
    verdict: Option<(String, bool)>,
}

impl Row {
    /// A / B, oriented so that > 1 means vivamo is better.
    fn advantage(&self) -> Option<f64> {
        let b = self.b?;
        Some(if self.higher_is_better {
            self.a.median / b.median
        } else {
            b.median / self.a.median
        })
    }
}

fn pinned(core: u32, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new("taskset");
    cmd.arg("-c").arg(core.to_string()).arg(program);
    cmd
}

/// Runs `cmd` and returns the last stdout line that parses as a JSON object.
fn json_of(cmd: &mut Command) -> Result<serde_yaml::Value, String> {
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
        .find(|l| l.trim_start().starts_with('{'))
        .and_then(|l| serde_yaml::from_str(l).ok())
        .ok_or_else(|| format!("`{shown}` printed no JSON result line"))
}

fn field(value: &serde_yaml::Value, path: &[&str]) -> Option<serde_yaml::Value> {
    let mut v = value;
    for key in path {
        v = v.get(*key)?;
    }
    Some(v.clone())
}

fn pair_stats(value: &serde_yaml::Value, key: &str) -> Result<(Stats, Stats), String> {
    let side = |s: &str| {
        field(value, &[key, s])
            .and_then(|v| Stats::from_yaml(&v))
            .ok_or_else(|| format!("bench output lacks {key}.{s}"))
    };
    Ok((side("a")?, side("b")?))
}

struct Sandbox {
    _process: Running,
    url: String,
}

fn start_pinned_sandbox(binary: &Path) -> Result<Sandbox, String> {
    let mut cmd = pinned(0, binary);
    cmd.args(["--port", "0", "--mode", "test", "--max-page-size", "1000"]);
    for key in [KEY_GET, KEY_SMALL, KEY_LARGE, KEY_IMPORT] {
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
        &format!(r#"{{"count": {count}, "prefix": "{prefix}"}}"#),
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
fn client_env(cmd: &mut Command, sandbox: &Sandbox, key: &str, quick: bool) {
    cmd.env("VIVAMO_BASE_URL", &sandbox.url)
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

    let sandbox = start_pinned_sandbox(&release.join("vivamo-sandbox"))?;
    println!("bench: sandbox (release, core 0) at {}", sandbox.url);
    create_bench_customer(&sandbox)?;
    let (small, large) = if quick {
        (1_000, 10_000)
    } else {
        (10_000, 100_000)
    };
    seed(&sandbox, KEY_SMALL, small, "small_")?;
    seed(&sandbox, KEY_LARGE, large, "large_")?;

    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut attempt = |name: &str, result: Result<Vec<Row>, String>| match result {
        Ok(mut r) => rows.append(&mut r),
        Err(e) => {
            eprintln!("bench: {name} failed: {e}");
            failures.push(format!("{name}: {e}"));
        }
    };

    attempt("rust get", rust_get(&sandbox, quick));
    attempt("python get", python.get_rows(&sandbox, quick));
    attempt("node get", node.get_rows(&sandbox, quick));
    attempt("rules", rules(quick));
    attempt(
        "list_all",
        list_all(&sandbox, &node, &python, small, large, quick),
    );
    attempt("import", import(&sandbox, &release, &out_dir, quick));
    attempt("validate", validate(&release, &out_dir, quick));
    attempt("cold start", cold_start(&node, &python, quick));
    attempt("sandbox throughput", sandbox_throughput(&sandbox, quick));
    drop(sandbox);

    rows.sort_by_key(|r| r.id.parse::<u32>().unwrap_or(99));
    let md = report_md(&rows, quick, &failures);
    let json = report_json(&rows, quick);
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

fn rust_get(sandbox: &Sandbox, quick: bool) -> Result<Vec<Row>, String> {
    let mut cmd = pinned(1, crate::tools::cargo_path());
    cmd.current_dir(project_root()).args([
        "bench",
        "--quiet",
        "--package",
        "vivamo",
        "--bench",
        "get_overhead",
        "--",
    ]);
    if quick {
        cmd.arg("--quick");
    }
    client_env(&mut cmd, sandbox, KEY_GET, quick);
    let value = json_of(&mut cmd)?;
    let a = field(&value, &["a"])
        .and_then(|v| Stats::from_yaml(&v))
        .ok_or("no a")?;
    let b = field(&value, &["b"])
        .and_then(|v| Stats::from_yaml(&v))
        .ok_or("no b")?;
    let ratio = a.median / b.median;
    Ok(vec![Row {
        id: "1",
        what: "Rust `get`, sequential latency".into(),
        a_label: "`vivamo` crate".into(),
        b_label: "bare `reqwest` GET".into(),
        unit: "µs/call",
        higher_is_better: false,
        a,
        b: Some(b),
        target: "A ≤ 1.05 × B",
        verdict: Some((format!("A = {ratio:.3} × B"), ratio <= 1.05)),
    }])
}

/// A pair row from a script's JSON (`{"<key>": {"a": {...}, "b": {...}}}`), throughput in req/s.
fn throughput_row(
    value: &serde_yaml::Value,
    key: &str,
    id: &'static str,
    what: &str,
    labels: (&str, &str),
    target: &'static str,
    needed: f64,
) -> Result<Row, String> {
    let (a, b) = pair_stats(value, key)?;
    let ratio = a.median / b.median;
    Ok(Row {
        id,
        what: what.into(),
        a_label: labels.0.into(),
        b_label: labels.1.into(),
        unit: "req/s",
        higher_is_better: true,
        a,
        b: Some(b),
        target,
        verdict: Some((format!("A = {ratio:.2} × B"), ratio >= needed)),
    })
}

fn rules(quick: bool) -> Result<Vec<Row>, String> {
    let mut cmd = pinned(1, crate::tools::cargo_path());
    cmd.current_dir(project_root()).args([
        "bench",
        "--quiet",
        "--package",
        "vivamo-rules",
        "--bench",
        "rules",
        "--",
        "--noplot",
    ]);
    if quick {
        cmd.args(["--warm-up-time", "0.2", "--measurement-time", "0.5"]);
    }
    run(&mut cmd)?;
    // Criterion's directory for `group/name` (a name outside a group is one directory).
    let estimate = |group: &str, name: &str| -> Result<f64, String> {
        let path = target_dir()
            .join("criterion")
            .join(group)
            .join(name)
            .join("new/estimates.json");
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let value: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
        field(&value, &["median", "point_estimate"])
            .and_then(|v| v.as_f64())
            .ok_or_else(|| format!("no median in {}", path.display()))
    };
    let per_second = |ns: f64| 1e9 / ns;
    let single = |ns: f64| Stats {
        median: per_second(ns),
        min: per_second(ns),
        max: per_second(ns),
    };
    let email = estimate("email", "check_email valid")?;
    let phone = estimate("phone", "check_phone 10 countries round-robin")?;
    let customer = estimate("customer_validate_create full profile", "")?;
    Ok(vec![
        Row {
            id: "5",
            what: "rules: email check (`check_email`, valid address)".into(),
            a_label: "`vivamo-rules` (criterion, one core)".into(),
            b_label: "—".into(),
            unit: "checks/s",
            higher_is_better: true,
            a: single(email),
            b: None,
            target: "≥ 1 M emails/s",
            verdict: Some((
                format!("{:.2} M/s ({email:.0} ns)", per_second(email) / 1e6),
                per_second(email) >= 1e6,
            )),
        },
        Row {
            id: "5",
            what: "rules: phone check (`check_phone`, 10 countries)".into(),
            a_label: "`vivamo-rules` (criterion, one core)".into(),
            b_label: "—".into(),
            unit: "checks/s",
            higher_is_better: true,
            a: single(phone),
            b: None,
            target: "≥ 200 k phones/s",
            verdict: Some((
                format!("{:.0} k/s ({phone:.0} ns)", per_second(phone) / 1e3),
                per_second(phone) >= 2e5,
            )),
        },
        Row {
            id: "5",
            what: "rules: whole customer (`validate_create`)".into(),
            a_label: "`vivamo-rules` (criterion, one core)".into(),
            b_label: "—".into(),
            unit: "checks/s",
            higher_is_better: true,
            a: single(customer),
            b: None,
            target: "(no target)",
            verdict: Some((
                format!("{:.0} k/s ({customer:.0} ns)", per_second(customer) / 1e3),
                true,
            )),
        },
    ])
}

/// Peak RSS (KiB) of a walk over every customer of `key`, and the count walked.
fn walk(
    program: &mut Command,
    sandbox: &Sandbox,
    key: &str,
    quick: bool,
) -> Result<(f64, f64), String> {
    client_env(program, sandbox, key, quick);
    let value = json_of(program)?;
    let count = field(&value, &["count"])
        .and_then(|v| v.as_f64())
        .ok_or("no count")?;
    let rss = field(&value, &["peak_rss_kib"])
        .and_then(|v| v.as_f64())
        .ok_or("no peak_rss_kib")?;
    Ok((count, rss))
}

fn list_all(
    sandbox: &Sandbox,
    node: &NodeBench,
    python: &PythonBench,
    small: usize,
    large: usize,
    quick: bool,
) -> Result<Vec<Row>, String> {
    let rust = || {
        let mut cmd = pinned(1, crate::tools::cargo_path());
        cmd.current_dir(project_root()).args([
            "bench",
            "--quiet",
            "--package",
            "vivamo",
            "--bench",
            "list_all_rss",
        ]);
        cmd
    };
    type MakeCommand<'a> = Box<dyn Fn() -> Command + 'a>;
    let languages: Vec<(&str, MakeCommand)> = vec![
        ("Rust", Box::new(rust)),
        ("Node", Box::new(|| node.list_all_command())),
        ("Python", Box::new(|| python.list_all_command())),
    ];
    let mut rows = Vec::new();
    for (language, command) in languages {
        let (n_small, rss_small) = walk(&mut command(), sandbox, KEY_SMALL, quick)?;
        let (n_large, rss_large) = walk(&mut command(), sandbox, KEY_LARGE, quick)?;
        if n_small as usize != small || n_large as usize != large {
            return Err(format!(
                "{language} walked {n_small}/{n_large} customers, expected {small}/{large}"
            ));
        }
        let growth = rss_large / rss_small;
        rows.push(Row {
            id: "6",
            what: format!("{language} `list_all`: peak RSS over {large} vs {small} customers"),
            a_label: format!("{large} customers"),
            b_label: format!("{small} customers"),
            unit: "MiB peak RSS",
            higher_is_better: false,
            a: Stats::of(&[rss_large / 1024.0]),
            b: Some(Stats::of(&[rss_small / 1024.0])),
            target: "peak RSS independent of the count",
            verdict: Some((
                format!("×{growth:.2} for ×{} customers", large / small),
                growth <= 1.25,
            )),
        });
    }
    Ok(rows)
}

fn write_rows_csv(path: &Path, rows: usize, prefix: &str) -> Result<(), String> {
    use std::io::Write;
    let file = fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::new(file);
    let mut write = || -> std::io::Result<()> {
        writeln!(
            out,
            "externalCustomerId,email,phone,firstName,lastName,city,state,zip,country"
        )?;
        for i in 0..rows {
            // Distinct, valid US mobile-format numbers (area code 415).
            writeln!(
                out,
                "{prefix}{i},{prefix}{i}@example.com,+1415{:07},First{i},Last{i},San Francisco,CA,94103,US",
                2_000_000 + (i % 7_000_000)
            )?;
        }
        out.flush()
    };
    write().map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn import(
    sandbox: &Sandbox,
    release: &Path,
    out_dir: &Path,
    quick: bool,
) -> Result<Vec<Row>, String> {
    let rows = if quick { 1_000 } else { 10_000 };
    let repeats = if quick { 1 } else { 3 };
    let mut rates = Vec::new();
    for round in 0..repeats {
        let prefix = format!("imp{round}_");
        let file = out_dir.join(format!("import-{rows}-{round}.csv"));
        write_rows_csv(&file, rows, &prefix)?;
        let report = out_dir.join(format!("import-{rows}-{round}.report.csv"));
        let _ = fs::remove_file(&report);
        let _ = fs::remove_file(report.with_extension("journal"));
        let mut cmd = pinned(1, release.join("vivamo"));
        cmd.arg("import")
            .arg(&file)
            .args(["--concurrency", "32", "--report"])
            .arg(&report)
            .args(["--base-url", &sandbox.url, "--api-key", KEY_IMPORT])
            .args(["--environment", "sandbox"])
            .stdout(Stdio::null());
        let started = Instant::now();
        run(&mut cmd)?;
        let elapsed = started.elapsed().as_secs_f64();
        rates.push(rows as f64 / elapsed);
    }
    let stats = Stats::of(&rates);
    Ok(vec![Row {
        id: "7",
        what: format!("`vivamo import`, {rows} rows, concurrency 32"),
        a_label: "CLI (release)".into(),
        b_label: "—".into(),
        unit: "rows/s",
        higher_is_better: true,
        a: stats,
        b: None,
        target: "≥ 3,000 rows/s",
        verdict: Some((
            format!("{:.0} rows/s", stats.median),
            stats.median >= 3000.0,
        )),
    }])
}

/// Runs `cmd` and returns (wall seconds, peak RSS of the child in KiB), read from `wait4`'s
/// rusage through Python's `resource` module (no extra tool needed).
fn time_and_rss(cmd: &Command) -> Result<(f64, f64), String> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let script = r#"
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
print(json.dumps({"code": code, "wall": wall, "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"#;
    let mut wrapper = Command::new(crate::tools::python3());
    wrapper.arg("-c").arg(script).arg(program).args(args);
    let value = json_of(&mut wrapper)?;
    let wall = field(&value, &["wall"])
        .and_then(|v| v.as_f64())
        .ok_or("no wall")?;
    let rss = field(&value, &["rss_kib"])
        .and_then(|v| v.as_f64())
        .ok_or("no rss")?;
    Ok((wall, rss))
}

fn validate(release: &Path, out_dir: &Path, quick: bool) -> Result<Vec<Row>, String> {
    let rows = if quick { 100_000 } else { 1_000_000 };
    let file = out_dir.join(format!("validate-{rows}.csv"));
    if !file.exists() {
        write_rows_csv(&file, rows, "v")?;
    }
    let report = out_dir.join(format!("validate-{rows}.report.csv"));
    let mut cmd = pinned(1, release.join("vivamo"));
    cmd.arg("validate")
        .arg(&file)
        .arg("--report")
        .arg(&report)
        .args(["--environment", "production"]);
    let (wall, rss_kib) = time_and_rss(&cmd)?;
    let mib = rss_kib / 1024.0;
    Ok(vec![Row {
        id: "8",
        what: format!("`vivamo validate`, {rows} rows (production rules)"),
        a_label: "CLI (release)".into(),
        b_label: "—".into(),
        unit: "s",
        higher_is_better: false,
        a: Stats::of(&[wall]),
        b: None,
        target: "≤ 10 s, ≤ 64 MB peak RSS",
        verdict: Some((
            format!("{wall:.2} s, {mib:.1} MiB"),
            wall <= 10.0 * rows as f64 / 1e6 && mib <= 64.0,
        )),
    }])
}

/// Median wall time (ms) of starting `a` and `b`, alternated.
fn alternate_startup(
    a: &mut Command,
    b: &mut Command,
    runs: usize,
) -> Result<(Stats, Stats), String> {
    let time = |cmd: &mut Command| -> Result<f64, String> {
        let started = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("`{}` failed", crate::tools::describe(cmd)));
        }
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    };
    time(a)?;
    time(b)?;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        xs.push(time(a)?);
        ys.push(time(b)?);
    }
    Ok((Stats::of(&xs), Stats::of(&ys)))
}

fn cold_start(node: &NodeBench, python: &PythonBench, quick: bool) -> Result<Vec<Row>, String> {
    let runs = if quick { 3 } else { 15 };
    let (py_a, py_b) = alternate_startup(
        &mut python.python_command(&["-c", "import vivamo"]),
        &mut python.python_command(&["-c", "import httpx"]),
        runs,
    )?;
    let (node_a, node_b) = alternate_startup(
        &mut node.node_command(&["-e", "require('vivamo')"]),
        &mut node.node_command(&["-e", ""]),
        runs,
    )?;
    let row = |what: &str, labels: (&str, &str), a: Stats, b: Stats| Row {
        id: "9",
        what: what.into(),
        a_label: labels.0.into(),
        b_label: labels.1.into(),
        unit: "ms",
        higher_is_better: false,
        a,
        b: Some(b),
        target: "≤ 50 ms each",
        verdict: Some((format!("{:.1} ms", a.median), a.median <= 50.0)),
    };
    Ok(vec![
        row(
            "cold import, Python",
            (
                "`python -c \"import vivamo\"`",
                "`python -c \"import httpx\"`",
            ),
            py_a,
            py_b,
        ),
        row(
            "cold import, Node",
            ("`node -e \"require('vivamo')\"`", "`node -e \"\"`"),
            node_a,
            node_b,
        ),
    ])
}

fn wrk_binary() -> Result<PathBuf, String> {
    let found = |p: &str| Path::new(p).exists().then(|| PathBuf::from(p));
    if let Some(p) = found("/usr/bin/wrk") {
        return Ok(p);
    }
    // Debian's wrk: the load generator the bench uses (installable here as root).
    println!("bench: installing wrk from Debian");
    let _ = Command::new("apt-get").arg("update").arg("-qq").status();
    let _ = Command::new("apt-get")
        .args(["install", "-y", "-qq", "wrk"])
        .status();
    found("/usr/bin/wrk").ok_or_else(|| "wrk is not installed (apt-get install wrk)".into())
}

fn sandbox_throughput(sandbox: &Sandbox, quick: bool) -> Result<Vec<Row>, String> {
    let wrk = wrk_binary()?;
    let duration = if quick { "2s" } else { "10s" };
    let repeats = if quick { 1 } else { 3 };
    let mut rates = Vec::new();
    for _ in 0..repeats {
        let out = pinned(1, &wrk)
            .args(["-t1", "-c64", "-d", duration])
            .args(["-H", &format!("Authorization: Bearer {KEY_GET}")])
            .arg(format!("{}/v1/customers/bench_user", sandbox.url))
            .output()
            .map_err(|e| format!("could not run wrk: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{text}");
        if text.contains("Non-2xx") {
            return Err("wrk saw non-2xx responses".into());
        }
        let rate = text
            .lines()
            .find_map(|l| l.strip_prefix("Requests/sec:"))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or("wrk printed no Requests/sec")?;
        rates.push(rate);
    }
    let stats = Stats::of(&rates);
    Ok(vec![Row {
        id: "10",
        what: "sandbox `GET /v1/customers/{id}` throughput (wrk, 64 connections)".into(),
        a_label: "`vivamo-sandbox` (release, core 0; wrk on core 1)".into(),
        b_label: "—".into(),
        unit: "req/s",
        higher_is_better: true,
        a: stats,
        b: None,
        target: "≥ 30 k req/s",
        verdict: Some((
            format!("{:.1} k req/s", stats.median / 1e3),
            stats.median >= 30_000.0,
        )),
    }])
}

fn fmt_num(v: f64) -> String {
    if v >= 1000.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn report_md(rows: &[Row], quick: bool, failures: &[String]) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "| # | what | A (vivamo) | B (baseline) | unit | A median (min–max) | B median (min–max) | A vs B | target | result |"
    );
    let _ = writeln!(
        md,
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for r in rows {
        let side = |s: &Stats| {
            format!(
                "{} ({}–{})",
                fmt_num(s.median),
                fmt_num(s.min),
                fmt_num(s.max)
            )
        };
        let b = r.b.as_ref().map(side).unwrap_or_else(|| "—".into());
        let adv = r
            .advantage()
            .map(|x| format!("{x:.2}× better"))
            .unwrap_or_else(|| "—".into());
        let result = match &r.verdict {
            Some((figure, true)) => format!("✅ {figure}"),
            Some((figure, false)) => format!("❌ {figure}"),
            None => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            r.a_label,
            r.b_label,
            r.unit,
            side(&r.a),
            b,
            adv,
            r.target,
            result
        );
    }
    let _ = writeln!(
        md,
        "\nRelease builds; one `vivamo-sandbox` pinned to core 0, every client and wrk pinned to \
         core 1 (`taskset`); {} cores. Pairs alternate A B A B after a warm-up; \"better\" is \
         throughput A/B or latency B/A.{}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if quick {
            " **--quick run: too short to quote; it proves the harness only.**"
        } else {
            ""
        }
    );
    for f in failures {
        let _ = writeln!(md, "\n**Did not run:** {f}");
    }
    md
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn report_json(rows: &[Row], quick: bool) -> String {
    let stats = |s: &Stats| {
        format!(
            r#"{{"median": {}, "min": {}, "max": {}}}"#,
            s.median, s.min, s.max
        )
    };
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            let (figure, met) = r
                .verdict
                .as_ref()
                .map(|(f, m)| (json_str(f), m.to_string()))
                .unwrap_or(("null".into(), "null".into()));
            format!(
                r#"    {{"id": {}, "what": {}, "a_label": {}, "b_label": {}, "unit": {}, "higher_is_better": {}, "a": {}, "b": {}, "ratio": {}, "target": {}, "figure": {}, "met": {}}}"#,
                json_str(r.id),
                json_str(&r.what),
                json_str(&r.a_label),
                json_str(&r.b_label),
                json_str(r.unit),
                r.higher_is_better,
                stats(&r.a),
                r.b.as_ref().map(stats).unwrap_or_else(|| "null".into()),
                r.b.map(|b| (r.a.median / b.median).to_string())
                    .unwrap_or_else(|| "null".into()),
                json_str(r.target),
                figure,
                met
            )
        })
        .collect();
    format!(
        "{{\n  \"quick\": {quick},\n  \"rows\": [\n{}\n  ]\n}}\n",
        items.join(",\n")
    )
}

/// The Node side: the release addon built in bindings/node (for the get benchmark) and the
/// packed tarball installed in a project of its own (for `require('vivamo')` as users do).
struct NodeBench {
    package: PathBuf,
    project: PathBuf,
}

const NODE_LIST_ALL: &str = r#"
const { Vivamo } = require('vivamo');
(async () => {
  const vivamo = new Vivamo({ environment: 'sandbox' }); // VIVAMO_API_KEY, VIVAMO_BASE_URL
  let count = 0;
  for await (const customer of vivamo.customers.listAll({ size: 100 })) {
    if (customer.externalCustomerId) count++;
  }
  console.log(JSON.stringify({ count, peak_rss_kib: process.resourceUsage().maxRSS }));
})().catch((err) => { console.error(err); process.exit(1); });
"#;

impl NodeBench {
    fn setup() -> Result<NodeBench, String> {
        let target = crate::dist::Target::host()?;
        let (main, platform) = crate::node::package(&target, &target_dir().join("bench/npm"))?;
        let project =
            crate::node::install_packed(&[main, platform], &target_dir().join("bench/node"))?;
        let package = project_root().join("bindings/node");
        Ok(NodeBench { package, project })
    }

    fn node_command(&self, args: &[&str]) -> Command {
        let mut cmd = pinned(1, "node");
        cmd.args(args).current_dir(&self.project);
        cmd
    }

    fn list_all_command(&self) -> Command {
        self.node_command(&["-e", NODE_LIST_ALL])
    }

    fn get_rows(&self, sandbox: &Sandbox, quick: bool) -> Result<Vec<Row>, String> {
        let mut cmd = pinned(1, "node");
        cmd.arg("bench/get.mjs").current_dir(&self.package);
        client_env(&mut cmd, sandbox, KEY_GET, quick);
        let value = json_of(&mut cmd)?;
        Ok(vec![
            throughput_row(
                &value,
                "concurrent",
                "4",
                "Node `get`, 64 in flight",
                ("`vivamo` package", "Node's `fetch`"),
                "A ≥ 5 × B",
                5.0,
            )?,
            throughput_row(
                &value,
                "sequential",
                "4",
                "Node `get`, sequential",
                ("`vivamo` package", "Node's `fetch`"),
                "A ≥ 1.5 × B",
                1.5,
            )?,
        ])
    }
}

/// The Python side: the release wheel installed in a venv of its own, with httpx.
struct PythonBench {
    python: PathBuf,
}

const PYTHON_LIST_ALL: &str = r#"
import json, resource, vivamo
client = vivamo.Client(environment="sandbox")  # VIVAMO_API_KEY, VIVAMO_BASE_URL
count = sum(1 for c in client.customers.list_all(size=100) if c.external_customer_id)
print(json.dumps({"count": count, "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"#;

impl PythonBench {
    fn setup() -> Result<PythonBench, String> {
        let wheel = crate::python::wheel(
            &crate::dist::Target::host()?,
            &target_dir().join("bench/wheel"),
        )?;
        let python = crate::python::fresh_venv(&target_dir().join("bench/py-venv"), &wheel)?;
        Ok(PythonBench { python })
    }

    fn python_command(&self, args: &[&str]) -> Command {
        let mut cmd = pinned(1, &self.python);
        // Run outside the source tree so that `import vivamo` finds the installed wheel.
        cmd.args(args).current_dir(target_dir().join("bench"));
        cmd
    }

    fn list_all_command(&self) -> Command {
        self.python_command(&["-c", PYTHON_LIST_ALL])
    }

    fn get_rows(&self, sandbox: &Sandbox, quick: bool) -> Result<Vec<Row>, String> {
        let script = project_root().join("bindings/python/bench/get.py");
        let mut cmd = self.python_command(&[&script.to_string_lossy()]);
        client_env(&mut cmd, sandbox, KEY_GET, quick);
        let value = json_of(&mut cmd)?;
        Ok(vec![
            throughput_row(
                &value,
                "sync",
                "2",
                "Python sync `get`, sequential",
                ("`vivamo.Client`", "`httpx.Client`"),
                "A ≥ 4 × B throughput",
                4.0,
            )?,
            throughput_row(
                &value,
                "async",
                "3",
                "Python async `get`, 64 in flight",
                ("`vivamo.AsyncClient`", "`httpx.AsyncClient`"),
                "A ≥ 15 × B throughput",
                15.0,
            )?,
        ])
    }
}

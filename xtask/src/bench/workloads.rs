//! The measurements: each runs a workload (a bench target, a script, the CLI, wrk) and turns
//! what it prints into report rows.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use super::packages::{NodeBench, PythonBench};
use super::report::{Row, Stats};
use super::{
    client_env, json_of, number, pinned, Placement, Sandbox, KEYS_LIST, KEY_GET, KEY_IMPORT,
};
use crate::tools::{project_root, run, target_dir};

/// Both sides of the pair at `key` of a workload's output (`{"<key>": {"a": …, "b": …}}`).
pub(super) fn pair(value: &Value, key: &str) -> Result<(Stats, Stats), String> {
    let side = |s: &str| {
        Stats::from_json(&value[key][s]).ok_or_else(|| format!("the output lacks {key}.{s}"))
    };
    Ok((side("a")?, side("b")?))
}

/// Sequential `get` in Rust: the SDK against a bare reqwest GET (row 1, pinned only) and
/// against a raw keep-alive `TcpStream` round trip, the floor (row 13).
pub fn rust_get(sandbox: &Sandbox, quick: bool, placement: Placement) -> Result<Vec<Row>, String> {
    let mut cmd = placement.command(1, crate::tools::cargo_path());
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
    let mut rows = Vec::new();
    if placement == Placement::Pinned {
        let (a, b) = pair(&value, "reqwest")?;
        let ratio = a.median / b.median;
        rows.push(Row {
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
        });
    }
    let (a, b) = pair(&value, "raw")?;
    let ratio = a.median / b.median;
    rows.push(Row {
        id: "13",
        what: format!(
            "Rust `get`, sequential latency, vs the floor{}",
            placement.note()
        ),
        a_label: "`vivamo` crate (current-thread runtime)".into(),
        b_label: "raw keep-alive `TcpStream` round trip".into(),
        unit: "µs/call",
        higher_is_better: false,
        a,
        b: Some(b),
        target: "(the floor; no target)",
        verdict: Some((format!("A = {ratio:.2} × B"), true)),
    });
    Ok(rows)
}

/// A pair row from a script's JSON (`{"<key>": {"a": {...}, "b": {...}}}`), throughput in req/s.
pub(super) fn throughput_row(
    value: &Value,
    key: &str,
    id: &'static str,
    what: &str,
    labels: (&str, &str),
    target: &'static str,
    needed: f64,
) -> Result<Row, String> {
    let (a, b) = pair(value, key)?;
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

pub fn rules(quick: bool) -> Result<Vec<Row>, String> {
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
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} does not parse: {e}", path.display()))?;
        number(&value, &["median", "point_estimate"])
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let per_second = |ns: f64| 1e9 / ns;
    let single = |ns: f64| Stats::single(per_second(ns));
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
    let count = number(&value, &["count"])?;
    let rss = number(&value, &["peak_rss_kib"])?;
    Ok((count, rss))
}

/// Peak RSS of a `list_all` walk over each size of `sizes` (the operators of KEYS_LIST), in
/// every language: one row each, the largest walk against the smallest, all sizes named.
pub fn list_all(
    sandbox: &Sandbox,
    node: &NodeBench,
    python: &PythonBench,
    sizes: &[usize; 3],
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
        let mut rss = Vec::new();
        for (key, &expected) in KEYS_LIST.iter().zip(sizes) {
            let (walked, peak) = walk(&mut command(), sandbox, key, quick)?;
            if walked as usize != expected {
                return Err(format!(
                    "{language} walked {walked} customers, expected {expected}"
                ));
            }
            rss.push(peak / 1024.0);
        }
        let (low, high) = rss
            .iter()
            .fold((f64::MAX, 0.0_f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let spread = high / low;
        let all = sizes
            .iter()
            .zip(&rss)
            .map(|(n, mib)| format!("{n}: {mib:.1}"))
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(Row {
            id: "6",
            what: format!(
                "{language} `list_all`: peak RSS over {} vs {} customers (MiB, {all})",
                sizes[2], sizes[0]
            ),
            a_label: format!("{} customers", sizes[2]),
            b_label: format!("{} customers", sizes[0]),
            unit: "MiB peak RSS",
            higher_is_better: false,
            a: Stats::of(&[rss[2]]),
            b: Some(Stats::of(&[rss[0]])),
            target: "every size within 10 % of the others",
            verdict: Some((format!("largest/smallest ×{spread:.3}"), spread <= 1.10)),
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

pub fn import(
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
    let wall = number(&value, &["wall"])?;
    let rss = number(&value, &["rss_kib"])?;
    Ok((wall, rss))
}

pub fn validate(release: &Path, out_dir: &Path, quick: bool) -> Result<Vec<Row>, String> {
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
        a: Stats::single(wall),
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

pub fn cold_start(node: &NodeBench, python: &PythonBench, quick: bool) -> Result<Vec<Row>, String> {
    let runs = if quick { 3 } else { 15 };
    let (py_a, py_b) = alternate_startup(
        &mut python.python_command(Placement::Pinned, &["-c", "import vivamo"]),
        &mut python.python_command(Placement::Pinned, &["-c", "import httpx"]),
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

pub fn sandbox_throughput(sandbox: &Sandbox, quick: bool) -> Result<Vec<Row>, String> {
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

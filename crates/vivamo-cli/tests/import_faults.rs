//! Import under injected faults, and resume after a SIGKILL.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::*;
use vivamo_sandbox::Sandbox;

/// Checks that the report holds every row 1..=rows exactly once; returns (valid, invalid).
fn check_report(path: &std::path::Path, rows: u64) -> (u64, u64) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut seen = HashSet::new();
    let (mut ok, mut invalid) = (0, 0);
    for rec in reader.records() {
        let rec = rec.unwrap();
        let row: u64 = rec[0].parse().unwrap();
        assert!(seen.insert(row), "row {row} reported twice");
        match &rec[2] {
            "created" | "already_exists" => ok += 1,
            "invalid" => invalid += 1,
            other => panic!("row {row}: unexpected outcome {other}: {:?}", rec),
        }
    }
    assert_eq!(seen.len() as u64, rows, "every row reported");
    (ok, invalid)
}

fn assert_sandbox_holds(sb: &Sb, rows: usize, invalid_every: usize) {
    let all = sb.all();
    let ids: HashSet<_> = all.iter().map(|c| c.external_customer_id.clone()).collect();
    assert_eq!(ids.len(), all.len(), "no customer twice");
    let expected: HashSet<_> = (1..=rows)
        .filter(|i| i % invalid_every != 0)
        .map(|i| format!("u{i:07}"))
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(sb.count(), expected.len());
}

#[test]
fn import_10k_rows_under_faults() {
    let sb = Sb::with(
        Sandbox::builder()
            .seed(7)
            .fail_rate(0.2)
            .lost_response_rate(0.05)
            .rate_limit(2000),
    );
    let dir = tmp();
    let file = dir.path().join("10k.csv");
    let rows = 10_000;
    let invalid = generate_csv(&file, rows, 33); // 3 %
    let (code, out, err) = run(sb
        .cmd()
        .args([
            "import",
            "--concurrency",
            "16",
            "--max-retries",
            "12",
            "--backoff-ms",
            "5",
            "--output",
            "json",
        ])
        .arg(&file));
    assert_eq!(code, 1, "some rows are invalid\n{out}\n{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["rows"], rows as u64);
    assert_eq!(summary["invalid"], invalid as u64);
    assert_eq!(summary["failed"], 0, "{err}");
    let (ok, bad) = check_report(&dir.path().join("10k.csv.report.csv"), rows as u64);
    assert_eq!((ok, bad), ((rows - invalid) as u64, invalid as u64));
    assert_sandbox_holds(&sb, rows, 33);
}

#[test]
fn resume_after_sigkill_creates_nothing_twice() {
    let sb = Sb::with(Sandbox::builder().seed(3).latency(Duration::from_millis(2)));
    let dir = tmp();
    let file = dir.path().join("r.csv");
    let rows = 3_000;
    let invalid = generate_csv(&file, rows, 50);
    let journal = dir.path().join("r.csv.report.csv.journal");

    let bin = assert_cmd::cargo::cargo_bin("vivamo");
    let mut child = std::process::Command::new(&bin)
        .args([
            "--base-url",
            &sb.handle.base_url(),
            "--api-key",
            sb.handle.api_key(),
        ])
        .args(["--environment", "sandbox", "import", "--concurrency", "4"])
        .arg(&file)
        .env_remove("VIVAMO_API_KEY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let lines = std::fs::read(&journal)
            .map(|b| b.iter().filter(|&&c| c == b'\n').count())
            .unwrap_or(0);
        if lines >= 300 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the import never got going"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before the kill"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let settled_before = std::fs::read_to_string(&journal).unwrap().lines().count();
    assert!(settled_before < rows, "killed part-way");

    let (code, out, err) = run(sb
        .cmd()
        .args([
            "import",
            "--resume",
            "--concurrency",
            "8",
            "--output",
            "json",
        ])
        .arg(&file));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("rows already settled by an earlier run"),
        "{err}"
    );
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["rows"], rows as u64);
    assert_eq!(summary["failed"], 0);
    let (ok, bad) = check_report(&dir.path().join("r.csv.report.csv"), rows as u64);
    assert_eq!((ok, bad), ((rows - invalid) as u64, invalid as u64));
    assert_sandbox_holds(&sb, rows, 50);

    // Resuming a finished import settles nothing new.
    let (code, out, _) = run(sb
        .cmd()
        .args(["import", "--resume", "--output", "json"])
        .arg(&file));
    assert_eq!(code, 1);
    let again: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(again["rows"], rows as u64);
    check_report(&dir.path().join("r.csv.report.csv"), rows as u64);
}

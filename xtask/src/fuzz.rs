//! `cargo xtask fuzz [--time N]`: every target of `fuzz/` (cargo-fuzz, libFuzzer) for N
//! seconds each (default 30), on the nightly toolchain, from a corpus seeded with the vectors
//! of `testdata/`; prints the executions of each target and adds them to the running totals
//! in `target/fuzz/totals.json`.
//!
//! The targets are built without a sanitizer (`-s none`: the code under test forbids `unsafe`,
//! so AddressSanitizer would only halve the executions) and with debug assertions (integer
//! overflow panics). libFuzzer's `-timeout=10` makes an input slower than 10 s a failure
//! like a crash; a crash's input is left in `target/fuzz/artifacts/<target>/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::cargo_tools::{tools_path, CARGO_FUZZ};
use crate::tools::{cargo, describe, project_root, run, target_dir};

/// The targets of fuzz/Cargo.toml.
pub const TARGETS: [&str; 9] = [
    "email",
    "phone",
    "customer",
    "csv_rows",
    "jsonl_rows",
    "webhooks",
    "responses",
    "retry_after",
    "sandbox_body",
];

/// `cargo +nightly fuzz <args>` with the fuzz directory, target directory and build options.
fn cargo_fuzz(subcommand: &str) -> Result<Command, String> {
    CARGO_FUZZ.ensure()?;
    let mut command = Command::new("rustup");
    command
        .args(["run", "nightly", "cargo", "fuzz", subcommand])
        .args([
            "--fuzz-dir",
            "fuzz",
            "--sanitizer",
            "none",
            "--debug-assertions",
        ])
        .arg("--target-dir")
        .arg(target_dir().join("fuzz"))
        .env("PATH", tools_path()?)
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(project_root());
    Ok(command)
}

/// Builds every fuzz target (CI starts this in the background: see `background`).
/// The fuzz crate is outside the workspace, with a lock file of its own: a stale one would
/// be rewritten by every build, so CI fails on it instead.
pub fn build() -> Result<(), String> {
    run(cargo()
        .args(["metadata", "--locked", "--format-version", "1", "--manifest-path"])
        .arg(project_root().join("fuzz/Cargo.toml"))
        .stdout(Stdio::null()))
    .map_err(|e| {
        format!("{e}: fuzz/Cargo.lock is out of date; `cargo metadata --manifest-path fuzz/Cargo.toml` updates it, then commit it")
    })?;
    run(&mut cargo_fuzz("build")?)
}

/// `cargo xtask fuzz [--time N] [TARGET…]`.
pub fn run_fuzz(args: &[String]) -> Result<(), String> {
    let mut seconds = 30u64;
    let mut only = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--time" {
            seconds = rest
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or("--time needs a number of seconds")?;
        } else if TARGETS.contains(&arg.as_str()) {
            only.push(arg.clone());
        } else {
            return Err(format!(
                "unknown fuzz argument {arg:?}: targets are {TARGETS:?}"
            ));
        }
    }
    let targets: Vec<String> = if only.is_empty() {
        TARGETS.iter().map(|t| t.to_string()).collect()
    } else {
        only
    };
    build()?;
    let mut report = Vec::new();
    for target in &targets {
        let corpus = seed_corpus(target)?;
        let artifacts = target_dir().join("fuzz/artifacts").join(target);
        fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
        let mut fuzz = cargo_fuzz("run")?;
        fuzz.arg(target).arg(&corpus).arg("--").args([
            format!("-max_total_time={seconds}"),
            "-timeout=10".into(),
            "-rss_limit_mb=4096".into(),
            "-print_final_stats=1".into(),
            format!("-artifact_prefix={}/", artifacts.display()),
        ]);
        println!("$ {}", describe(&fuzz));
        let output = fuzz
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("could not run cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let executions = stat(&log, "stat::number_of_executed_units").unwrap_or(0);
        if !output.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "fuzz target {target} failed after {executions} executions ({}); the input is in {}:\n{}",
                output.status,
                artifacts.display(),
                tail.join("\n")
            ));
        }
        let total = add_to_totals(target, executions)?;
        println!("fuzz {target}: {executions} executions in {seconds} s (total here: {total})");
        report.push((target.clone(), executions, total));
    }
    println!("\n| target | executions | per second | total so far |\n| --- | ---: | ---: | ---: |");
    for (target, executions, total) in report {
        println!(
            "| {target} | {executions} | {} | {total} |",
            executions / seconds.max(1)
        );
    }
    Ok(())
}

/// A `stat::name: N` line of libFuzzer's final statistics.
fn stat(log: &str, name: &str) -> Option<u64> {
    log.lines()
        .rev()
        .filter_map(|l| l.strip_prefix(name))
        .find_map(|rest| rest.trim_start_matches(':').trim().parse().ok())
}

/// Adds `executions` to `target`'s running total in target/fuzz/totals.json; returns it.
fn add_to_totals(target: &str, executions: u64) -> Result<u64, String> {
    let path = target_dir().join("fuzz/totals.json");
    let mut totals: BTreeMap<String, u64> = fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let total = totals.entry(target.to_string()).or_default();
    *total += executions;
    let total = *total;
    let text = serde_json::to_string_pretty(&totals).map_err(|e| e.to_string())?;
    fs::write(&path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(total)
}

/// `target/fuzz/corpus/<target>`, with the seeds from testdata/ (re)written into it; what
/// libFuzzer added on earlier runs stays.
fn seed_corpus(target: &str) -> Result<PathBuf, String> {
    let dir = target_dir().join("fuzz/corpus").join(target);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (i, seed) in seeds(target)?.iter().enumerate() {
        let path = dir.join(format!("seed-{i:04}"));
        fs::write(&path, seed).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(dir)
}

fn read_json(relative: &str) -> Result<Value, String> {
    let path = project_root().join(relative);
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every string value under a key `key`, anywhere in `value`.
fn strings_under(value: &Value, key: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    if let Some(s) = v.as_str() {
                        found.push(s.to_string());
                    }
                }
                strings_under(v, key, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| strings_under(v, key, found)),
        _ => {}
    }
}

/// The create bodies of testdata/validation.json (`input` of each create case).
fn customer_inputs() -> Result<Vec<Value>, String> {
    let cases = read_json("testdata/validation.json")?;
    Ok(cases["cases"]
        .as_array()
        .ok_or("testdata/validation.json has no cases")?
        .iter()
        .filter(|c| c["operation"] == "create")
        .map(|c| c["input"].clone())
        .collect())
}

/// A CSV seed row: the 11 export columns of a create body, separated by 0x1F.
fn csv_record(input: &Value) -> Vec<u8> {
    let data = &input["data"];
    let field = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut fields = vec![field(&input["externalCustomerId"])];
    for key in [
        "email",
        "phone",
        "firstName",
        "lastName",
        "street",
        "street2",
        "city",
        "state",
        "zip",
        "country",
    ] {
        fields.push(field(&data[key]));
    }
    fields.join("\u{1f}").into_bytes()
}

/// The seeds of `target`, from testdata/ (and, for `retry_after`, the header's forms).
fn seeds(target: &str) -> Result<Vec<Vec<u8>>, String> {
    let validation = read_json("testdata/validation.json")?;
    let inputs = customer_inputs()?;
    let lines = |values: &[Value]| -> Vec<u8> {
        values
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    };
    Ok(match target {
        "email" | "phone" => {
            let mut found = Vec::new();
            strings_under(&validation, target, &mut found);
            strings_under(
                &read_json("testdata/validate_customer.json")?,
                target,
                &mut found,
            );
            found.sort();
            found.dedup();
            found.into_iter().map(String::into_bytes).collect()
        }
        "customer" => inputs.iter().map(|v| v.to_string().into_bytes()).collect(),
        "csv_rows" => {
            let mut seeds: Vec<Vec<u8>> = inputs.iter().map(csv_record).collect();
            seeds.push(
                inputs
                    .iter()
                    .map(csv_record)
                    .collect::<Vec<_>>()
                    .join(&0x1e_u8),
            );
            seeds
        }
        "jsonl_rows" => {
            let mut seeds: Vec<Vec<u8>> = inputs
                .iter()
                .map(|v| lines(std::slice::from_ref(v)))
                .collect();
            seeds.push(lines(&inputs));
            seeds
        }
        "webhooks" => read_json("testdata/webhooks.json")?["vectors"]
            .as_array()
            .ok_or("testdata/webhooks.json has no vectors")?
            .iter()
            .map(|v| {
                let part = |k: &str| v[k].as_str().unwrap_or_default().as_bytes().to_vec();
                [part("secret"), part("signature"), part("payload")].join(&0u8)
            })
            .collect(),
        "responses" => {
            let mut seeds = Vec::new();
            for (file, operation) in [
                ("create-customer-response.json", 0u8),
                ("customer-object.json", 1),
                ("get-customer-response.json", 1),
                ("customer-forward-compatible.json", 1),
                ("list-customers-response.json", 2),
                ("error-response.json", 6),
            ] {
                let path = project_root().join("testdata/api").join(file);
                let mut seed = vec![operation];
                seed.extend(
                    fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?,
                );
                seeds.push(seed);
            }
            seeds
        }
        "retry_after" => [
            "1",
            "0.25",
            "120",
            "1e400",
            "-1",
            "NaN",
            "Tue, 14 Nov 2023 22:13:50 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect(),
        "sandbox_body" => {
            let mut seeds = Vec::new();
            for input in &inputs {
                let mut create = vec![0u8, 0];
                create.extend(input.to_string().into_bytes());
                seeds.push(create);
                let mut update = vec![1u8, 2];
                update.extend(
                    serde_json::json!({"data": input["data"]})
                        .to_string()
                        .into_bytes(),
                );
                seeds.push(update);
            }
            seeds.push(b"\x02\x00{\"verify\":true}".to_vec());
            seeds.push(b"\x03\x00{\"type\":\"IDENTITY\",\"status\":\"APPROVED\"}".to_vec());
            seeds
        }
        other => return Err(format!("no seeds for the fuzz target {other}")),
    })
}

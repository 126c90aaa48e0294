//! Count guards: a test run that ran nothing must fail, not pass. `cargo test` exits 0 when
//! a `tests/*.rs` file holds no test, and Node's runner when a file registers none.

use std::io::{BufRead, BufReader};
use std::process::Command;

use crate::tools::{describe, project_root};

/// Runs `cargo test …` with its output echoed, and fails when it fails or when an
/// integration test file (`tests/*.rs`) ran zero tests.
pub fn cargo_test(cmd: &mut Command) -> Result<(), String> {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(project_root());
    }
    let shown = describe(cmd);
    println!("$ {shown}");
    // One pipe for both streams keeps cargo's `Running tests/x.rs` (stderr) next to the test
    // binary's `running N tests` (stdout).
    let (reader, writer) = std::io::pipe().map_err(|e| format!("cannot create a pipe: {e}"))?;
    let writer2 = writer
        .try_clone()
        .map_err(|e| format!("cannot clone a pipe: {e}"))?;
    let mut child = cmd
        .stdout(writer)
        .stderr(writer2)
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    // The parent's copies of the write end must go, or the read below never ends.
    cmd.stdout(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit());
    let mut empty = Vec::new();
    let mut binaries = 0;
    let mut current: Option<String> = None;
    for line in BufReader::new(reader).lines() {
        let line = line.map_err(|e| format!("cannot read `{shown}`'s output: {e}"))?;
        println!("{line}");
        if let Some(target) = running_target(&line) {
            current = Some(target);
        } else if let Some(count) = test_count(&line) {
            binaries += 1;
            if let Some(target) = current.take() {
                if count == 0 && target.starts_with("tests/") {
                    empty.push(target);
                }
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("`{shown}` did not finish: {e}"))?;
    if !status.success() {
        return Err(format!("`{shown}` failed ({status})"));
    }
    if binaries == 0 {
        return Err(format!("`{shown}` ran no test binary at all"));
    }
    if !empty.is_empty() {
        return Err(format!(
            "`{shown}`: these test files ran zero tests: {}",
            empty.join(", ")
        ));
    }
    Ok(())
}

/// `tests/api.rs` from cargo's `     Running tests/api.rs (target/debug/deps/api-…)`.
fn running_target(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("Running ")?;
    Some(rest.split(" (").next().unwrap_or(rest).trim().to_string())
}

/// N from a test binary's `running N tests` (or `running 1 test`).
fn test_count(line: &str) -> Option<u64> {
    let rest = line.strip_prefix("running ")?;
    let (count, word) = rest.split_once(' ')?;
    matches!(word.trim(), "test" | "tests")
        .then(|| count.parse().ok())
        .flatten()
}

/// The number of tests a TAP report of Node's runner counted (`# tests N`), less the files
/// that registered no test: Node 20 to 24 report such a file as one passing test named after
/// the file. Fails when a file registered no test, or when nothing ran.
pub fn node_tap_count(tap: &str) -> Result<u64, String> {
    let total: u64 = tap
        .lines()
        .rev()
        .find_map(|l| {
            l.strip_prefix("# tests ")
                .and_then(|n| n.trim().parse().ok())
        })
        .ok_or("the Node test runner reported no test count")?;
    let empty_files: Vec<&str> = tap
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l
                .strip_prefix("not ok ")
                .or_else(|| l.strip_prefix("ok "))?;
            let name = rest.split_once(" - ")?.1.trim();
            name.ends_with(".test.mjs").then_some(name)
        })
        .collect();
    if !empty_files.is_empty() {
        return Err(format!(
            "these test files registered no test: {}",
            empty_files.join(", ")
        ));
    }
    if total == 0 {
        return Err("the Node test runner ran zero tests".to_string());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_lines_are_read() {
        assert_eq!(
            running_target("     Running tests/api.rs (target/debug/deps/api-0a1b)").as_deref(),
            Some("tests/api.rs")
        );
        assert_eq!(
            running_target("     Running unittests src/lib.rs (target/debug/deps/x-1)").as_deref(),
            Some("unittests src/lib.rs")
        );
        assert_eq!(test_count("running 0 tests"), Some(0));
        assert_eq!(test_count("running 1 test"), Some(1));
        assert_eq!(test_count("running 12 tests"), Some(12));
        assert_eq!(test_count("running the suite"), None);
    }

    #[test]
    fn an_empty_test_file_fails_the_run() {
        // A real `cargo test` whose only integration test file holds no test.
        let dir = std::env::temp_dir().join(format!("xtask-empty-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"empty-suite\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n",
        )
        .unwrap();
        std::fs::write(dir.join("src/lib.rs"), "").unwrap();
        std::fs::write(dir.join("tests/nothing.rs"), "// no test here\n").unwrap();
        let mut cmd = crate::tools::cargo();
        cmd.args(["test"])
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .current_dir(&dir);
        let err = cargo_test(&mut cmd).unwrap_err();
        assert!(err.contains("tests/nothing.rs"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_node_run_with_zero_tests_fails() {
        assert!(node_tap_count("TAP version 13\n1..0\n# tests 0\n# pass 0\n").is_err());
        assert!(node_tap_count("TAP version 13\n").is_err());
        assert_eq!(node_tap_count("ok 1 - a\n1..1\n# tests 1\n"), Ok(1));
        // Node's report of a file that registered no test, beside one that did.
        let tap = "# Subtest: empty.test.mjs\nok 1 - empty.test.mjs\nok 2 - a\n1..2\n# tests 2\n";
        let err = node_tap_count(tap).unwrap_err();
        assert!(err.contains("empty.test.mjs"), "{err}");
    }
}

#[cfg(test)]
mod node_runner {
    #[test]
    fn node_passes_a_file_without_tests_and_the_guard_fails_it() {
        let dir = std::env::temp_dir().join(format!("xtask-empty-node-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("empty.test.mjs"), "// no test here\n").unwrap();
        let output = std::process::Command::new("node")
            .args(["--test", "--test-reporter=tap", "empty.test.mjs"])
            .current_dir(&dir)
            .output()
            .expect("node runs");
        // Node itself calls this a success (a file with no test counts as one passing test) …
        assert!(output.status.success(), "{output:?}");
        // … the guard does not.
        let tap = String::from_utf8_lossy(&output.stdout);
        let err = super::node_tap_count(&tap).unwrap_err();
        assert!(err.contains("empty.test.mjs"), "{err}\n{tap}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

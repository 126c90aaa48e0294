//! `console` blocks: each `$ ` line runs with `sh` in a fresh directory, the built `vivamo`
//! first on `PATH` and `VIVAMO_*` pointing at a `vivamo-sandbox`; what it prints (stdout and
//! stderr) must be the lines that follow it, where a line `...` stands for any lines and
//! `[..]` for any text within a line (trycmd's conventions).

use std::path::Path;
use std::process::Command;

use super::{file_stem, Block};
use crate::tools::{sandbox_binary, start_sandbox, target_dir};

/// Whether `actual` is what `expected` shows.
pub fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((first, rest)) => match actual.split_first() {
            Some((line, more)) => line_matches(first, line) && matches(rest, more),
            None => false,
        },
    }
}

fn line_matches(expected: &str, actual: &str) -> bool {
    let parts: Vec<&str> = expected.split("[..]").collect();
    if parts.len() == 1 {
        return expected.trim_end() == actual.trim_end();
    }
    let mut rest = actual.trim_end();
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == last {
            return rest.ends_with(part.trim_end());
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// Runs every command of every block.
pub fn run(vivamo: &Path, blocks: &[Block]) -> Result<(), String> {
    let sandbox = sandbox_binary(false)?;
    let bin_dir = vivamo.parent().expect("the binary is in a folder");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .map_err(|e| e.to_string())?;
    let mut failures = Vec::new();
    for block in blocks {
        let dir = target_dir()
            .join("xtask/docs-blocks/console")
            .join(file_stem(block));
        crate::dist::fresh_dir(&dir)?;
        let mut command = Command::new(&sandbox);
        command.args(["--port", "0"]);
        let (_running, url) = start_sandbox(command)?;
        let mut steps: Vec<(String, Vec<&str>)> = Vec::new();
        for line in block.code.lines() {
            match line.strip_prefix("$ ") {
                Some(cmd) => steps.push((cmd.to_string(), Vec::new())),
                None => match steps.last_mut() {
                    Some((_, expected)) => expected.push(line),
                    None => failures.push(format!("{}: output before any `$ ` line", block.place)),
                },
            }
        }
        for (cmd, expected) in steps {
            let output = Command::new("sh")
                .args(["-c", &format!("{cmd} 2>&1")])
                .env("PATH", &path)
                .env("VIVAMO_BASE_URL", &url)
                .env("VIVAMO_API_KEY", "sk_test_vivamo_sandbox")
                .env("VIVAMO_ENVIRONMENT", "sandbox")
                .env_remove("VIVAMO_LOG")
                .current_dir(&dir)
                .output()
                .map_err(|e| format!("could not run sh: {e}"))?;
            let text = String::from_utf8_lossy(&output.stdout);
            let actual: Vec<&str> = text.lines().collect();
            if !matches(&expected, &actual) {
                failures.push(format!(
                    "{}: `{cmd}` printed\n{}\nbut the block shows\n{}",
                    block.place,
                    text.trim_end(),
                    expected.join("\n")
                ));
            }
        }
    }
    match failures.is_empty() {
        true => Ok(()),
        false => Err(failures.join("\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards() {
        assert!(matches(&["a", "...", "z"], &["a", "b", "c", "z"]));
        assert!(matches(&["id [..] ok"], &["id 42 ok"]));
        assert!(!matches(&["a", "b"], &["a", "c"]));
        assert!(!matches(&["a"], &["a", "extra"]));
    }
}

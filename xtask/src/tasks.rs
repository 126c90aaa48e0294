//! `lint-spec`, `test` and `ci`.

use std::process::Command;

use crate::codegen;
use crate::tools::{cargo, clean_test_env, project_root, run, tool_venv};

/// Validates openapi.yaml against the OpenAPI 3.0 schema with openapi-spec-validator.
pub fn lint_spec() -> Result<(), String> {
    let venv = tool_venv()?;
    run(Command::new(venv.join("bin/openapi-spec-validator"))
        .arg(project_root().join("openapi.yaml")))
}

/// The Rust suites, in an environment without the variables that change what they do, each
/// `tests/*.rs` file required to run at least one test; then the quickstart example, run as
/// its doc says (it starts its own sandbox).
fn rust_tests() -> Result<(), String> {
    crate::test_count::cargo_test(clean_test_env(cargo().args([
        "test",
        "--workspace",
        "--all-targets",
    ])))?;
    run(clean_test_env(cargo().args([
        "test",
        "--workspace",
        "--doc",
    ])))?;
    quickstart()
}

/// Builds and runs the Rust quickstart example, and checks that it went through every step it
/// prints. It is built here by name: `cargo test --all-targets` compiles examples only under
/// hashed file names, so `target/debug/examples/quickstart` exists only after a `cargo build`.
fn quickstart() -> Result<(), String> {
    run(cargo().args(["build", "-p", "vivamo", "--example", "quickstart"]))?;
    let example = crate::tools::target_dir().join("debug/examples/quickstart");
    let mut cmd = Command::new(&example);
    clean_test_env(&mut cmd);
    println!("$ {}", example.display());
    let output = cmd
        .output()
        .map_err(|e| format!("could not run {}: {e}", example.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    let steps = [
        "created   user_123",
        "fetched   user_123",
        "updated   user_123 now in Boston, MA",
        "page 1/1  2 of 2 customers",
        "list_all  user_456",
        "[not_found]",
    ];
    let missing: Vec<&str> = steps
        .into_iter()
        .filter(|step| !stdout.contains(step))
        .collect();
    if !output.status.success() || !missing.is_empty() {
        return Err(format!(
            "the quickstart example failed ({}), missing: {missing:?}",
            output.status
        ));
    }
    Ok(())
}

/// One suite: runs it, failing with a message.
pub type Suite = fn() -> Result<(), String>;

/// The suites of `cargo xtask test`, in order: the Rust tests, the sandbox's conformance
/// (schemathesis, both modes), the Node and the Python packages, the tests that need the
/// bindings' test hooks, then exit-safety, which reuses the venv and the packed project the
/// Node and Python suites built.
pub const TEST_SUITES: &[(&str, Suite)] = &[
    ("rust", rust_tests),
    ("conformance", crate::conformance::run_all),
    ("node", crate::node::test),
    ("python", crate::python::test),
    ("test-hooks", crate::test_hooks::run_tests),
    ("exit-safety", crate::exit_safety::run_suite),
];

/// Every test suite that exists: [`TEST_SUITES`].
pub fn test() -> Result<(), String> {
    for (name, suite) in TEST_SUITES {
        println!("xtask test: {name}");
        suite()?;
    }
    Ok(())
}

/// Runs `step`, timing it; the times, and the disk space left after each step, are printed
/// in a table at the end of `ci`.
struct Timed(Vec<(&'static str, std::time::Duration, Option<u64>)>);

impl Timed {
    fn step(
        &mut self,
        name: &'static str,
        step: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        println!("\n==> ci: {name}");
        let started = std::time::Instant::now();
        let result = step();
        self.0.push((name, started.elapsed(), free_megabytes()));
        result.map_err(|e| format!("{e}\n(ci step `{name}` failed; {})", self.table()))
    }

    fn table(&self) -> String {
        let total: std::time::Duration = self.0.iter().map(|(_, d, _)| *d).sum();
        let mut out = format!(
            "the steps took {:.0} s (and left this much disk free):",
            total.as_secs_f64()
        );
        for (name, took, free) in &self.0 {
            let free = free.map_or("?".to_string(), |mb| {
                format!("{:.1} GB", mb as f64 / 1024.0)
            });
            out.push_str(&format!(
                "\n  {name:<14} {:>6.0} s   {free:>8}",
                took.as_secs_f64()
            ));
        }
        out
    }
}

/// Seconds each fuzz target runs in CI (the long runs are `cargo xtask fuzz --time N`).
const CI_FUZZ_SECONDS: &str = "10";

/// Megabytes free on the target directory's file system (`df`), if it can be read.
fn free_megabytes() -> Option<u64> {
    let out = std::process::Command::new("df")
        .args(["-Pm"])
        .arg(crate::tools::target_dir())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

/// What `.ci/run` runs on a clean clone, step by step, with the time each step took.
pub fn ci() -> Result<(), String> {
    // A clean clone builds everything once: incremental caches (4.1 GB in target/debug) only
    // cost disk, and full debug info for the workspace's test binaries (most of the 8 GB of
    // target/debug/deps) is read by no one; backtraces keep their lines. A CI machine ran out
    // of disk with both (`cargo package`'s verification, in dist).
    for (name, value) in [
        ("CARGO_INCREMENTAL", "0"),
        ("CARGO_PROFILE_DEV_DEBUG", "line-tables-only"),
    ] {
        if std::env::var_os(name).is_none() {
            // Single-threaded here: nothing runs beside this yet.
            std::env::set_var(name, value);
        }
    }
    let mut timed = Timed(Vec::new());
    // Long builds only later steps need, on the CPU the others leave idle: cargo-cyclonedx
    // (for dist), the repro rebuild of the CLI and the fuzz crate. The tools that install in
    // seconds go first, and the Python tools' venv (zig for the repro build, the spec tools),
    // so no two processes install into one directory at once.
    crate::tools::tool_venv()?;
    crate::cargo_tools::CARGO_DENY.ensure()?;
    crate::cargo_tools::CARGO_FUZZ.ensure()?;
    let cargo_tools = crate::background::Background::start("cargo-tools")?;
    let repro_build = crate::background::Background::start("repro-build")?;
    let fuzz_build = crate::background::Background::start("fuzz-build")?;
    timed.step("fmt", || run(cargo().args(["fmt", "--all", "--check"])))?;
    timed.step("clippy", || {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    timed.step("deny", || crate::deny::check(false))?;
    timed.step("codegen", || codegen::run(true))?;
    timed.step("lint-spec", lint_spec)?;
    timed.step("conformance", crate::conformance::run_all)?;
    timed.step("rust tests", rust_tests)?;
    timed.step("browser", crate::browser::run_browser_test)?;
    // Each release artifact is built once, by dist, and the Node and Python suites run
    // against those very files, installed as users install them.
    let target = crate::dist::Target::host()?;
    timed.step("dist", || {
        cargo_tools.wait()?;
        crate::dist::run_dist(&[])
    })?;
    // dist's `.crate` files, sdist and npm package packed again, and the CLI rebuilt from a
    // copy of the sources elsewhere: each byte for byte the same.
    timed.step("repro", || {
        repro_build.wait()?;
        crate::reproducible::compare_with_dist(&crate::reproducible::rebuilt_cli_path()?)
    })?;
    timed.step("node", || {
        crate::node::test_packed(&crate::node::dist_tarballs(&target)?)
    })?;
    timed.step("python", || {
        crate::python::test_wheel(&crate::python::dist_wheel()?)?;
        crate::python::install_sdist(&crate::python::dist_sdist()?)
    })?;
    // The tests that need a test hook, on dev builds that have them (dist has none).
    timed.step("test-hooks", crate::test_hooks::run_tests)?;
    // The site over the artifacts dist built, its links, a look in Chromium, and every code
    // block of the READMEs and the guide run.
    timed.step("docs", crate::docs::run)?;
    // Reuses the venv and the project the Node and Python suites installed the artifacts into.
    // `bench --quick` is not run here: it rebuilds release copies of the sandbox, the CLI, the
    // addon and the wheel (12.5 of CI's 37 minutes on a clean clone); run it by hand.
    timed.step("exit-safety", crate::exit_safety::run_suite)?;
    // Every fuzz target for a short time, from its seeds and what earlier runs here found.
    timed.step("fuzz", || {
        fuzz_build.wait()?;
        crate::fuzz::run_fuzz(&["--time".into(), CI_FUZZ_SECONDS.into()])
    })?;
    println!("\nci: passed; {}", timed.table());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::TEST_SUITES;

    /// `cargo xtask help` and the README say `test` runs every suite, conformance included.
    #[test]
    fn test_runs_every_suite() {
        let names: Vec<&str> = TEST_SUITES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "rust",
                "conformance",
                "node",
                "python",
                "test-hooks",
                "exit-safety"
            ]
        );
    }
}

//! Project automation for vivamo. Run `cargo xtask` for the list of tasks.
//!
//! Kept deliberately small (in the spirit of rust-analyzer's xtask): plain `std::process`
//! calls, no task framework. Every task installs what it needs by itself, so a fresh clone
//! only needs a Rust toolchain, Node.js and Python 3.

mod background;
mod bench;
mod browser;
mod cargo_tools;
mod ceiling;
mod codegen;
mod conformance;
mod deny;
mod dist;
mod docs;
mod elf;
mod exit_safety;
mod fuzz;
mod node;
mod node_runtimes;
mod python;
mod reproducible;
mod sbom;
mod tasks;
mod test_count;
mod test_hooks;
mod tools;
mod version;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Project automation for vivamo: `cargo xtask <task>`.
#[derive(Parser)]
#[command(name = "cargo xtask", about, disable_version_flag = true)]
struct Xtask {
    #[command(subcommand)]
    task: Task,
}

/// The tasks; every flag is declared here, so an unknown flag or task fails.
#[derive(Subcommand)]
enum Task {
    /// Regenerate every surface from openapi.yaml (the API client, the field table of
    /// vivamo-rules and its mirrors, the bindings' types) and the bindings' error classes from
    /// ErrorKind (crates/vivamo/src/error.rs)
    Codegen {
        /// Write nothing; fail listing every stale file with a diff
        #[arg(long)]
        check: bool,
    },
    /// Alias of `codegen` (kept for old scripts)
    #[command(hide = true)]
    GenBindings {
        /// As `codegen --check`
        #[arg(long)]
        check: bool,
    },
    /// Validate openapi.yaml with openapi-spec-validator
    LintSpec,
    /// Check the licences, sources and duplicate versions of every crate with cargo-deny
    /// (deny.toml)
    Deny {
        /// Also check RustSec advisories (needs the advisory database: release.yml runs it)
        #[arg(long)]
        advisories: bool,
    },
    /// Run schemathesis against the sandbox (test and production modes)
    Conformance,
    /// The sandbox's inspector page in headless Chromium (installs Debian's chromium and
    /// playwright-core; screenshot in target/browser/)
    Browser,
    /// Build and run every test suite (Rust, sandbox conformance, Node, Python, test hooks,
    /// exit safety)
    Test,
    /// Build, pack and test the npm packages only
    TestNode {
        /// Test the two tarballs that `dist` left in target/dist
        #[arg(long)]
        dist: bool,
    },
    /// Build and test the Python wheel only
    TestPython {
        /// Test the wheel that `dist` left in target/dist
        #[arg(long)]
        dist: bool,
    },
    /// Build the Node addon and the Python wheel with the test-hooks feature (dev profile) and
    /// run the tests that need a hook (a deliberate panic)
    TestHooks,
    /// Run every way a Python or Node program ends, many times each (after test-python and
    /// test-node, which build what it runs)
    ExitSafety,
    /// Every release artifact of one platform in target/dist: wheel, sdist, npm main +
    /// platform packages, .crate files, CLI tarball, SHA256SUMS, manifest.json; checks glibc
    /// <= 2.17 (Linux), auditwheel, abi3audit, twine, the packaged crates' build, actionlint
    Dist {
        /// The Rust target triple (default: this machine's)
        #[arg(long)]
        target: Option<String>,
    },
    /// Rebuild the packages and the CLI from a copy of the sources and compare them byte for
    /// byte with target/dist
    Repro,
    /// Run the fuzz targets (cargo +nightly fuzz), printing executions per target
    Fuzz {
        /// Seconds per target
        #[arg(long)]
        time: Option<u64>,
        /// Only these targets (default: all)
        targets: Vec<String>,
    },
    /// CI's background half of `repro`: the CLI rebuilt from a copy of the sources
    #[command(hide = true)]
    ReproBuild,
    /// CI's background install of the cargo tools xtask uses
    #[command(hide = true)]
    CargoTools,
    /// CI's background build of the fuzz targets
    #[command(hide = true)]
    FuzzBuild,
    /// Write the CycloneDX SBOMs of the binary artifacts and check the CLI's against cargo tree
    Sbom,
    /// Set every crate and package to version X.Y.Z (no argument: check that they agree)
    Version {
        /// The new version
        version: Option<String>,
    },
    /// The documentation site in target/docs: the guide (docs/*.md), rustdoc, TypeDoc, pdoc,
    /// every CLI command's help; link check; opened in headless Chromium; every code block of
    /// the READMEs and the guide run
    Docs,
    /// What CI runs: fmt, clippy, codegen --check, lint-spec, conformance, Rust tests, browser,
    /// dist, the Node and Python suites on the dist artifacts, pip install of the sdist with a
    /// smoke script, test hooks, docs, exit-safety, repro (after dist) and every fuzz target
    /// for 10 s; prints each step's time
    Ci,
    /// vivamo against each ecosystem's own client, release builds, one sandbox; writes
    /// target/bench/report.md and report.json
    Bench {
        /// Harness check only
        #[arg(long)]
        quick: bool,
    },
}

fn main() -> ExitCode {
    let result = match Xtask::parse().task {
        Task::Codegen { check } | Task::GenBindings { check } => codegen::run(check),
        Task::LintSpec => tasks::lint_spec(),
        Task::Deny { advisories } => deny::check(advisories),
        Task::Conformance => conformance::run_all(),
        Task::Browser => browser::run_browser_test(),
        Task::Test => tasks::test(),
        Task::TestPython { dist: true } => {
            python::dist_wheel().and_then(|wheel| python::test_wheel(&wheel))
        }
        Task::TestPython { dist: false } => python::test(),
        Task::TestNode { dist: true } => dist::Target::host()
            .and_then(|target| node::dist_tarballs(&target))
            .and_then(|tarballs| node::test_packed(&tarballs)),
        Task::TestNode { dist: false } => node::test(),
        Task::TestHooks => test_hooks::run_tests(),
        Task::ExitSafety => exit_safety::run_suite(),
        Task::Dist { target } => {
            let args: Vec<String> = target
                .into_iter()
                .flat_map(|t| ["--target".into(), t])
                .collect();
            dist::run_dist(&args)
        }
        Task::Repro => reproducible::check(),
        Task::ReproBuild => reproducible::rebuild_cli().map(|_| ()),
        Task::FuzzBuild => fuzz::build(),
        Task::CargoTools => cargo_tools::install_all(),
        Task::Fuzz { time, targets } => {
            let mut args: Vec<String> = time
                .map(|t| vec!["--time".to_string(), t.to_string()])
                .unwrap_or_default();
            args.extend(targets);
            fuzz::run_fuzz(&args)
        }
        Task::Sbom => sbom::run_sbom(),
        Task::Version {
            version: Some(version),
        } => version::set(&version),
        Task::Version { version: None } => version::check(),
        Task::Docs => docs::run(),
        Task::Ci => tasks::ci(),
        Task::Bench { quick } => bench::run_bench(quick),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Task, Xtask};

    #[test]
    fn flags_and_tasks_are_declared_once() {
        Xtask::command().debug_assert();
        let parse = |args: &[&str]| Xtask::try_parse_from(["xtask"].iter().chain(args));
        assert!(matches!(
            parse(&["codegen", "--check"]).map(|x| x.task),
            Ok(Task::Codegen { check: true })
        ));
        assert!(parse(&["codegen", "--chek"]).is_err());
        assert!(parse(&["codegen", "extra"]).is_err());
        assert!(parse(&["regenerate"]).is_err());
        assert!(parse(&["test-node", "--dist"]).is_ok());
        assert!(parse(&["dist", "--target"]).is_err());
    }
}

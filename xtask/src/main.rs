//! Project automation for vivamo. Run `cargo xtask` for the list of tasks.
//!
//! Kept deliberately small (in the spirit of rust-analyzer's xtask): plain `std::process`
//! calls, no task framework. Every task installs what it needs by itself, so a fresh clone
//! only needs a Rust toolchain, Node.js and Python 3.

mod bench;
mod cargo_tools;
mod codegen;
mod conformance;
mod deny;
mod dist;
mod elf;
mod exit_safety;
mod fuzz;
mod node;
mod python;
mod reproducible;
mod sbom;
mod tasks;
mod tools;
mod version;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <task>

Tasks:
  codegen [--check]   regenerate crates/vivamo-api/src/generated.rs from openapi.yaml
                      (--check: fail if the committed file is stale)
  gen-bindings [--check]
                      regenerate the Node and Python error classes (index.js, index.d.ts,
                      index.mjs, _errors.py) from ErrorKind in crates/vivamo/src/error.rs
                      (--check: fail if they differ)
  lint-spec           validate openapi.yaml with openapi-spec-validator
  deny [--advisories] cargo deny check licenses bans sources (deny.toml); --advisories: only
                      the RustSec advisories (needs GitHub: release.yml runs it)
  conformance         run schemathesis against the sandbox (test and production modes)
  test                build and run every test suite (Rust, sandbox conformance, Node, Python)
  test-node [--dist]  build, pack and test the npm packages only (--dist: test the two
                      tarballs that `dist` left in target/dist)
  test-python [--dist]
                      build and test the Python wheel only (--dist: the wheel in target/dist)
  exit-safety         run every way a Python or Node program ends, many times each (after
                      test-python and test-node, which build what it runs)
  dist [--target T]   every release artifact of one platform (default: this one) in target/dist:
                      wheel, sdist, npm main + platform packages, .crate files, CLI tarball,
                      SHA256SUMS, manifest.json; checks glibc <= 2.17 (Linux), auditwheel,
                      abi3audit, twine, the packaged crates' build, actionlint
  repro               after dist: pack the .crate files, the sdist and the npm main package
                      again, rebuild the CLI from a copy of the sources elsewhere; compare
                      each with dist's byte for byte
  sbom                after dist: rewrite the SBOMs of target/dist, check the CLI's against
                      cargo tree
  version [X.Y.Z]     set every crate and package to version X.Y.Z (no argument: check that
                      they agree)
  ci                  what CI runs: fmt, clippy, deny, codegen --check, gen-bindings --check,
                      lint-spec, conformance, Rust tests, dist, repro, the Node and Python
                      suites on the dist artifacts, pip install of the sdist (a build from
                      source) with a smoke script, exit-safety, fuzz (30 s per target)
  bench [--quick]     vivamo against each ecosystem's own client, release builds, one sandbox;
                      writes target/bench/report.md and report.json (--quick: harness check only)
  fuzz [--time N] [TARGET…]
                      every fuzz target of fuzz/ (cargo +nightly fuzz) N seconds each (default
                      30), corpus seeded from testdata/; prints executions per target
  help                this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str);
    let rest = args.get(1..).unwrap_or_default();
    let result = match task {
        None | Some("help" | "--help" | "-h") => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Some("codegen") => codegen::run(rest.iter().any(|a| a == "--check")),
        Some("gen-bindings") => tasks::gen_bindings(rest.iter().any(|a| a == "--check")),
        Some("lint-spec") => tasks::lint_spec(),
        Some("deny") => deny::check(rest.iter().any(|a| a == "--advisories")),
        Some("conformance") => conformance::run_all(),
        Some("test") => tasks::test(),
        Some("test-python") if rest.iter().any(|a| a == "--dist") => {
            python::dist_wheel().and_then(|wheel| python::test_wheel(&wheel))
        }
        Some("test-python") => python::test(),
        Some("test-node") if rest.iter().any(|a| a == "--dist") => dist::Target::host()
            .and_then(|target| node::dist_tarballs(&target))
            .and_then(|tarballs| node::test_packed(&tarballs)),
        Some("test-node") => node::test(),
        Some("exit-safety") => exit_safety::run_suite(),
        Some("dist") => dist::run_dist(rest),
        Some("repro") => reproducible::check(),
        Some("fuzz") => fuzz::run_fuzz(rest),
        Some("sbom") => sbom::run_sbom(),
        Some("version") => match rest.first() {
            Some(version) => version::set(version),
            None => version::check(),
        },
        Some("ci") => tasks::ci(),
        Some("bench") => bench::run_bench(rest.iter().any(|a| a == "--quick")),
        Some(other) => Err(format!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

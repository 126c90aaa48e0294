//! `lint-spec`, `test` and `ci`.

use std::process::Command;

use crate::codegen;
use crate::tools::{cargo, project_root, run, tool_venv};

/// Validates openapi.yaml against the OpenAPI 3.0 schema with openapi-spec-validator.
pub fn lint_spec() -> Result<(), String> {
    let venv = tool_venv()?;
    run(Command::new(venv.join("bin/openapi-spec-validator"))
        .arg(project_root().join("openapi.yaml")))
}

/// Regenerates (or, with `check`, checks) the bindings' error classes from `ErrorKind`: the
/// `binding_tables` test renders them and compares; `VIVAMO_GEN_WRITE` makes it rewrite.
/// `--workspace` keeps the build the one `rust_tests` reuses.
pub fn gen_bindings(check: bool) -> Result<(), String> {
    let mut command = cargo();
    command.args(["test", "--workspace", "--test", "binding_tables"]);
    if check {
        command.env_remove("VIVAMO_GEN_WRITE");
    } else {
        command.env("VIVAMO_GEN_WRITE", "1");
    }
    run(&mut command)
}

/// The Rust suites.
fn rust_tests() -> Result<(), String> {
    run(cargo().args(["test", "--workspace", "--all-targets"]))?;
    run(cargo().args(["test", "--workspace", "--doc"]))
}

/// Every test suite that exists.
pub fn test() -> Result<(), String> {
    rust_tests()?;
    crate::node::test()?;
    crate::python::test()?;
    // Reuses the venv and the packed project the two suites above built.
    crate::exit_safety::run_suite()
}

/// What `.ci/run` runs on a clean clone.
pub fn ci() -> Result<(), String> {
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    crate::deny::check(false)?;
    codegen::run(true)?;
    gen_bindings(true)?;
    lint_spec()?;
    crate::conformance::run_all()?;
    rust_tests()?;
    // Each release artifact is built once, by dist, and the Node and Python suites run
    // against those very files, installed as users install them.
    let target = crate::dist::Target::host()?;
    crate::dist::run_dist(&[])?;
    crate::reproducible::check()?;
    crate::node::test_packed(&crate::node::dist_tarballs(&target)?)?;
    crate::python::test_wheel(&crate::python::dist_wheel()?)?;
    crate::python::install_sdist(&crate::python::dist_sdist()?)?;
    // Reuses the venv and the project the two suites above installed the artifacts into.
    // `bench --quick` is not run here: it rebuilds release copies of the sandbox, the CLI, the
    // addon and the wheel (12.5 of CI's 37 minutes on a clean clone); run it by hand.
    crate::exit_safety::run_suite()?;
    // Every fuzz target for its short fixed time, printing the executions of each.
    crate::fuzz::run_fuzz(&[])
}

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

/// Every test suite that exists.
pub fn test() -> Result<(), String> {
    run(cargo().args(["test", "--workspace", "--all-targets"]))?;
    run(cargo().args(["test", "--workspace", "--doc"]))?;
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
    codegen::run(true)?;
    lint_spec()?;
    crate::conformance::run_all()?;
    test()?;
    // Proves the benchmark harness runs; asserts nothing about speed.
    crate::bench::run_bench(true)
}

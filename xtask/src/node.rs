//! `test-node`: builds the npm package `vivamo` (bindings/node), packs it, installs the
//! tarball into a fresh project and runs its suites there, as a user would get it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{project_root, run, sandbox_binary, target_dir};

/// `npm` (`npm.cmd` on Windows).
fn npm() -> Command {
    Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
}

/// `npm install` in bindings/node, only when node_modules is missing or package.json or
/// the lockfile changed since the last install (a stamp in node_modules remembers them).
fn install_dev_dependencies(dir: &Path) -> Result<(), String> {
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap_or_default();
    let wanted = format!("{}\n{}", read("package.json"), read("package-lock.json"));
    let stamp = dir.join("node_modules/.vivamo-install-stamp");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    run(npm()
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir))?;
    // npm may have rewritten the lockfile: stamp what is there now.
    let now = format!("{}\n{}", read("package.json"), read("package-lock.json"));
    fs::write(&stamp, now).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

/// The one file in `dir` whose name ends with `.tgz`.
fn tarball_in(dir: &Path) -> Result<PathBuf, String> {
    fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|ext| ext == "tgz"))
        .ok_or_else(|| format!("npm pack left no tarball in {}", dir.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            fs::copy(&path, to.join(entry.file_name()))
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Installs the build tools and builds the addon (release) in bindings/node.
pub fn build() -> Result<PathBuf, String> {
    let pkg = project_root().join("bindings/node");
    install_dev_dependencies(&pkg)?;
    let napi = pkg.join("node_modules/.bin/napi");
    run(Command::new(&napi)
        .args(["build", "--platform", "--release"])
        .args(["--js", "native.js", "--dts", "native.d.ts"])
        .current_dir(&pkg))?;
    Ok(pkg)
}

/// Packs the built package and installs the tarball into a fresh project under `work`;
/// returns the project's directory.
pub fn install_packed(pkg: &Path, work: &Path) -> Result<PathBuf, String> {
    if work.exists() {
        fs::remove_dir_all(work).map_err(|e| format!("cannot clean {}: {e}", work.display()))?;
    }
    let packs = work.join("pack");
    let project = work.join("project");
    fs::create_dir_all(&packs).map_err(|e| format!("cannot create {}: {e}", packs.display()))?;
    fs::create_dir_all(&project)
        .map_err(|e| format!("cannot create {}: {e}", project.display()))?;
    run(npm()
        .args(["pack", "--loglevel=error", "--pack-destination"])
        .arg(&packs)
        .current_dir(pkg))?;
    let tarball = tarball_in(&packs)?;
    fs::write(
        project.join("package.json"),
        "{\"name\": \"vivamo-package-test\", \"private\": true, \"type\": \"module\"}\n",
    )
    .map_err(|e| format!("cannot write the test project: {e}"))?;
    run(npm()
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--no-package-lock",
        ])
        .arg(&tarball)
        .current_dir(&project))?;
    Ok(project)
}

/// Builds, packs, installs into a fresh project and tests the Node package.
pub fn test() -> Result<(), String> {
    let root = project_root();
    let sandbox = sandbox_binary(false)?;
    let pkg = build()?;
    // A fresh project holding only the packed tarball, the suites and the example.
    let project = install_packed(&pkg, &target_dir().join("xtask/node-package-test"))?;
    copy_dir(&pkg.join("__test__"), &project.join("__test__"))?;
    copy_dir(&pkg.join("examples"), &project.join("examples"))?;
    copy_dir(&pkg.join("tests"), &project.join("tests"))?;

    let mut tests = Command::new("node");
    tests
        .args(["--test", "--test-reporter=spec"])
        .arg("__test__/")
        .env("VIVAMO_SANDBOX_BIN", &sandbox)
        .env("VIVAMO_TESTDATA", root.join("testdata"))
        .env_remove("VIVAMO_API_KEY")
        .env_remove("VIVAMO_BASE_URL")
        .env_remove("VIVAMO_ENVIRONMENT")
        .current_dir(&project);
    run(&mut tests)?;

    run(Command::new(pkg.join("node_modules/.bin/tsc"))
        .args([
            "--noEmit",
            "--strict",
            "--target",
            "es2022",
            "--lib",
            "es2022",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "tests/types.ts",
        ])
        .current_dir(&project))
}

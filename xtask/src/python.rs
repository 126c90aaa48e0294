//! `test-python`: builds the release wheel of `bindings/python` with maturin, installs it into
//! a fresh venv and runs the pytest suite against the sandbox, then `mypy --strict`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{describe, project_root, python3, run, sandbox_binary, target_dir};

/// The build venv (maturin and the test tools of `bindings/python/requirements-dev.txt`),
/// reinstalled only when that file changes.
fn build_venv(requirements: &Path) -> Result<PathBuf, String> {
    let venv = project_root().join("target/xtask/py-build-venv");
    let wanted = fs::read_to_string(requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = venv.join(".requirements");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(venv);
    }
    if !venv.join("bin/python").exists() {
        run(Command::new(python3()).args(["-m", "venv"]).arg(&venv))?;
    }
    pip_install(&venv, &["-r".as_ref(), requirements.as_os_str()])?;
    fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(venv)
}

fn pip_install(venv: &Path, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    run(Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(args))
}

/// Builds the release wheel users get (with the build venv's maturin); returns its path.
pub fn build_wheel() -> Result<PathBuf, String> {
    let package = project_root().join("bindings/python");
    let build = build_venv(&package.join("requirements-dev.txt"))?;
    // The release wheel, into a directory holding nothing else.
    let wheels = target_dir().join("wheels-python");
    let _ = fs::remove_dir_all(&wheels);
    run(Command::new(build.join("bin/maturin"))
        .args(["build", "--release", "--out"])
        .arg(&wheels)
        .current_dir(&package))?;
    fs::read_dir(&wheels)
        .map_err(|e| format!("cannot read {}: {e}", wheels.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| format!("maturin left no wheel in {}", wheels.display()))
}

/// A fresh venv at `venv` holding the wheel and the test tools, nothing from the source tree;
/// returns its `python`.
pub fn fresh_venv(venv: &Path, wheel: &Path) -> Result<PathBuf, String> {
    let requirements = project_root().join("bindings/python/requirements-dev.txt");
    let _ = fs::remove_dir_all(venv);
    run(Command::new(python3()).args(["-m", "venv"]).arg(venv))?;
    pip_install(
        venv,
        &[wheel.as_os_str(), "-r".as_ref(), requirements.as_os_str()],
    )?;
    Ok(venv.join("bin/python"))
}

/// Builds the wheel users get and tests it in a fresh venv.
pub fn test() -> Result<(), String> {
    let root = project_root();
    let package = root.join("bindings/python");
    let sandbox = sandbox_binary(false)?;
    let wheel = build_wheel()?;
    let python = fresh_venv(&root.join("target/xtask/py-test-venv"), &wheel)?;

    let mut pytest = Command::new(&python);
    pytest
        .args(["-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"])
        .env("VIVAMO_SANDBOX_BIN", &sandbox)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("VIVAMO_API_KEY")
        .env_remove("VIVAMO_ENVIRONMENT")
        .env_remove("VIVAMO_BASE_URL")
        .current_dir(&package);
    let shown = describe(&pytest);
    println!("$ {shown}");
    let status = pytest
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    match status.code() {
        Some(0) => {}
        Some(5) => return Err(format!("`{shown}` collected no tests (exit code 5)")),
        _ => return Err(format!("`{shown}` failed ({status})")),
    }

    run(Command::new(&python)
        .args(["-m", "mypy", "--strict", "--cache-dir"])
        .arg(root.join("target/xtask/mypy-cache"))
        .arg("tests/typecheck_usage.py")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(&package))
}

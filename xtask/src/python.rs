//! The Python package: builds the wheel users get (`cargo xtask dist`) and the sdist with
//! maturin; `test-python` installs the wheel into a fresh venv and runs the pytest suite
//! against the sandbox, then `mypy --strict`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dist::{with_zig, Target};
use crate::tools::{
    clean_test_env, describe, pip_install_command, project_root, python3, run, sandbox_binary,
    target_dir, venv_exe,
};

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
    if !venv_exe(&venv, "python").exists() {
        run(Command::new(python3()).args(["-m", "venv"]).arg(&venv))?;
    }
    pip_install(&venv, &["-r".as_ref(), requirements.as_os_str()])?;
    fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(venv)
}

fn pip_install(venv: &Path, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    run(pip_install_command(venv).args(args))
}

/// The one file in `dir` whose name ends with `suffix`.
pub fn only_file(dir: &Path, suffix: &str) -> Result<PathBuf, String> {
    let found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("no *{suffix} in {}", dir.display())),
        _ => Err(format!("more than one *{suffix} in {}", dir.display())),
    }
}

/// Builds the wheel users get into `out` (with the build venv's maturin) and returns its
/// path: the `shipped` profile, abi3 for CPython 3.9+, and on Linux linked through zig against
/// glibc 2.17 and tagged `manylinux2014` (musl: `musllinux_1_2`).
pub fn wheel(target: &Target, out: &Path) -> Result<PathBuf, String> {
    let package = project_root().join("bindings/python");
    let build = build_venv(&package.join("requirements-dev.txt"))?;
    let stage = target_dir().join("wheels-python");
    let _ = fs::remove_dir_all(&stage);
    let mut maturin = Command::new(venv_exe(&build, "maturin"));
    maturin
        .args([
            "build",
            "--profile",
            crate::dist::SHIPPED_PROFILE,
            "--target",
            &target.triple,
            "--out",
        ])
        .arg(&stage)
        .current_dir(&package);
    if target.is_linux_gnu() {
        maturin.args(["--zig", "--compatibility", "manylinux2014"]);
    } else if target.is_linux_musl() {
        maturin.args(["--zig", "--compatibility", "musllinux_1_2"]);
    }
    with_zig(&mut maturin, target)?;
    crate::reproducible::apply(&mut maturin)?;
    run(&mut maturin)?;
    let built = only_file(&stage, ".whl")?;
    let wheel = out.join(built.file_name().expect("a wheel has a name"));
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    crate::dist::copy(&built, &wheel)?;
    Ok(wheel)
}

/// A wheel for this machine built in the dev profile with the `test-hooks` feature, into
/// `out`: for `cargo xtask test-hooks` only, never shipped.
pub fn wheel_with_hooks(out: &Path) -> Result<PathBuf, String> {
    let package = project_root().join("bindings/python");
    let build = build_venv(&package.join("requirements-dev.txt"))?;
    let _ = fs::remove_dir_all(out);
    run(Command::new(venv_exe(&build, "maturin"))
        .args([
            "build",
            "--profile",
            "dev",
            "--features",
            "test-hooks,pyo3/extension-module",
            "--out",
        ])
        .arg(out)
        .current_dir(&package))?;
    only_file(out, ".whl")
}

/// Runs the pytest tests marked `test_hooks` (which release wheels deselect) against
/// `wheel` in a fresh venv; fails when none ran.
pub fn test_hooks(wheel: &Path) -> Result<(), String> {
    let root = project_root();
    let sandbox = sandbox_binary(false)?;
    let python = fresh_venv(&root.join("target/xtask/py-hooks-venv"), wheel)?;
    let mut pytest = Command::new(&python);
    pytest
        .args(["-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"])
        .args(["-m", "test_hooks"])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(root.join("bindings/python"));
    clean_test_env(&mut pytest).env("VIVAMO_SANDBOX_BIN", &sandbox);
    // pytest exits 5 when it selected no test: `run_within` fails on it.
    crate::ceiling::run_within(&mut pytest, crate::ceiling::TEST_RUNNER_CEILING)
}

/// The sdist (`vivamo-X.tar.gz`, with the workspace crates it needs) into `out`.
pub fn sdist(out: &Path) -> Result<PathBuf, String> {
    let package = project_root().join("bindings/python");
    let build = build_venv(&package.join("requirements-dev.txt"))?;
    let stage = target_dir().join("sdist-python");
    let _ = fs::remove_dir_all(&stage);
    let mut maturin = Command::new(venv_exe(&build, "maturin"));
    maturin
        .args(["sdist", "--out"])
        .arg(&stage)
        .current_dir(&package);
    crate::reproducible::apply(&mut maturin)?;
    run(&mut maturin)?;
    let built = only_file(&stage, ".tar.gz")?;
    let sdist = out.join(built.file_name().expect("an sdist has a name"));
    crate::dist::copy(&built, &sdist)?;
    Ok(sdist)
}

/// Installs `sdist` as a user with a Rust toolchain would (`pip install vivamo-X.tar.gz`, a
/// fresh venv, pip's build isolation) and runs a smoke script against what it built. Cargo's
/// output goes to target/xtask/sdist-target, so a second run only rebuilds the crates.
pub fn install_sdist(sdist: &Path) -> Result<(), String> {
    let root = project_root();
    let venv = root.join("target/xtask/sdist-venv");
    let _ = fs::remove_dir_all(&venv);
    run(Command::new(python3()).args(["-m", "venv"]).arg(&venv))?;
    run(pip_install_command(&venv)
        .arg(sdist)
        .env("CARGO_TARGET_DIR", root.join("target/xtask/sdist-target")))?;
    let smoke = root.join("xtask/src/sdist_smoke.py");
    run(Command::new(venv_exe(&venv, "python"))
        .arg(&smoke)
        .arg(crate::version::workspace_version()?)
        .current_dir(&venv))
}

/// The sdist `cargo xtask dist` left in target/dist.
pub fn dist_sdist() -> Result<PathBuf, String> {
    let sdist = crate::dist::dist_dir().join(format!(
        "vivamo-{}.tar.gz",
        crate::version::workspace_version()?
    ));
    match sdist.is_file() {
        true => Ok(sdist),
        false => Err(format!(
            "{} is missing: run cargo xtask dist",
            sdist.display()
        )),
    }
}

/// The wheel `cargo xtask dist` left in target/dist.
pub fn dist_wheel() -> Result<PathBuf, String> {
    only_file(&crate::dist::dist_dir(), ".whl")
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
    Ok(venv_exe(venv, "python"))
}

/// Builds the wheel users get and tests it in a fresh venv.
pub fn test() -> Result<(), String> {
    let wheel = self::wheel(&Target::host()?, &target_dir().join("wheels-python-test"))?;
    test_wheel(&wheel)
}

/// Tests `wheel` in a fresh venv: the pytest suite against the sandbox, then mypy --strict
/// and stubtest (the stubs against the installed module).
pub fn test_wheel(wheel: &Path) -> Result<(), String> {
    let root = project_root();
    let package = root.join("bindings/python");
    let sandbox = sandbox_binary(false)?;
    let python = fresh_venv(&root.join("target/xtask/py-test-venv"), wheel)?;

    let mut pytest = Command::new(&python);
    pytest
        .args(["-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(&package);
    clean_test_env(&mut pytest).env("VIVAMO_SANDBOX_BIN", &sandbox);
    let shown = describe(&pytest);
    let status = crate::ceiling::status_within(&mut pytest, crate::ceiling::TEST_RUNNER_CEILING)?;
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
        .current_dir(&package))?;

    // The hand-written stubs against the installed native module: stubtest fails on any
    // name, class, method or parameter that the module has and the stubs lack, or the
    // other way round. Run outside the source tree so it imports the installed package.
    // `--ignore-disjoint-bases`: pyo3 classes are final (marked `@final` in the stubs), and
    // the newer `@disjoint_base` marker adds nothing for them.
    run(Command::new(&python)
        .args([
            "-m",
            "mypy.stubtest",
            "vivamo",
            "--ignore-disjoint-bases",
            "--allowlist",
        ])
        .arg(package.join("stubtest-allowlist.txt"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(root.join("target/xtask")))?;

    test_user_project(wheel)
}

/// The pin of `name` in bindings/python/requirements-dev.txt (`name==X`).
fn pinned(name: &str) -> Result<String, String> {
    let path = project_root().join("bindings/python/requirements-dev.txt");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with(&format!("{name}==")))
        .map(str::to_string)
        .ok_or_else(|| format!("{} pins no {name}", path.display()))
}

/// A user's project (bindings/python/examples/pytest_project) in a fresh venv holding only
/// the wheel and pytest: its suite uses the `vivamo_sandbox` / `vivamo_client` fixtures the
/// wheel registers with pytest, with no sandbox binary and no source tree around.
fn test_user_project(wheel: &Path) -> Result<(), String> {
    let root = project_root();
    let work = target_dir().join("xtask/py-user-project");
    let venv = work.join("venv");
    let project = work.join("project");
    let _ = fs::remove_dir_all(&work);
    run(Command::new(python3()).args(["-m", "venv"]).arg(&venv))?;
    pip_install(&venv, &[wheel.as_os_str(), pinned("pytest")?.as_ref()])?;
    crate::node::copy_tree(
        &root.join("bindings/python/examples/pytest_project"),
        &project,
    )?;
    run(clean_test_env(&mut Command::new(venv_exe(&venv, "python")))
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(&project))
}

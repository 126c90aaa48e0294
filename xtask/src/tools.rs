//! Small helpers: the project root, running commands, the Python tool venv.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the parent of `xtask/`).
///
/// Read at run time (`cargo run` sets `CARGO_MANIFEST_DIR`), so an xtask binary compiled in a
/// shared build directory by another checkout still works on the checkout that runs it.
pub fn project_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Runs a command in the project root, echoing it; fails with its exit status.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(project_root());
    }
    let shown = describe(cmd);
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// A short, shell-like rendering of a command for logs.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cargo`, as the one that runs this xtask.
pub fn cargo() -> Command {
    Command::new(cargo_path())
}

/// The path of the `cargo` that runs this xtask.
pub fn cargo_path() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The venv holding the pinned Python tools of `xtask/requirements.txt`, created on demand.
///
/// Reinstalls only when the requirements change, so repeated runs cost nothing.
pub fn tool_venv() -> Result<PathBuf, String> {
    let root = project_root();
    let venv = root.join("target/xtask/venv");
    let requirements = root.join("xtask/requirements.txt");
    let wanted = fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = venv.join(".requirements");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(venv);
    }
    if !venv_exe(&venv, "python").exists() {
        run(Command::new(python3()).args(["-m", "venv"]).arg(&venv))?;
    }
    run(pip_install_command(&venv).arg("-r").arg(&requirements))?;
    fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(venv)
}

/// `python -m pip install --quiet` in `venv`, arguments still to add.
pub fn pip_install_command(venv: &Path) -> Command {
    let mut cmd = Command::new(venv_exe(venv, "python"));
    cmd.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]);
    cmd
}

/// A command installed in a Python venv: `bin/NAME`, or `Scripts\\NAME.exe` on Windows.
pub fn venv_exe(venv: &Path, name: &str) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join(format!("{name}.exe"))
    } else {
        venv.join("bin").join(name)
    }
}

/// The system Python used to create virtual environments.
pub fn python3() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, else `target/` at the root).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                project_root().join(dir)
            }
        })
        .unwrap_or_else(|| project_root().join("target"))
}

/// Builds the `vivamo-sandbox` binary and returns its path: the Node and Python suites spawn
/// it as `vivamo-sandbox --port 0`, as their users would.
pub fn sandbox_binary(release: bool) -> Result<PathBuf, String> {
    let mut build = cargo();
    build.args([
        "build",
        "--package",
        "vivamo-sandbox",
        "--bin",
        "vivamo-sandbox",
    ]);
    if release {
        build.arg("--release");
    }
    run(&mut build)?;
    let profile = if release { "release" } else { "debug" };
    Ok(target_dir().join(profile).join("vivamo-sandbox"))
}

/// A child process killed (and reaped) when dropped.
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns a `vivamo-sandbox` command line (`--port 0 …`) and returns it with its URL, read
/// from the `listening on http://…` line it prints first.
pub fn start_sandbox(mut cmd: Command) -> Result<(Running, String), String> {
    use std::io::BufRead;
    let shown = describe(&cmd);
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let running = Running(child);
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("`{shown}` printed nothing: {e}"))?;
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected first line from the sandbox: {line:?}"))?
        .to_string();
    Ok((running, url))
}

/// The Rust host triple (`rustc -vV`).
pub fn host_triple() -> Result<String, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("could not run rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| "rustc -vV printed no host".to_string())
}

/// `PATH` with the tool venv's commands (`cargo-zigbuild`, `maturin`'s helpers …) and the
/// `zig` of its pinned `ziglang` package in front, so cargo-zigbuild, maturin `--zig` and
/// napi-rs `-x` all find the same zig.
pub fn zig_path() -> Result<std::ffi::OsString, String> {
    let venv = tool_venv()?;
    let lib = venv.join("lib");
    let ziglang = fs::read_dir(&lib)
        .map_err(|e| format!("cannot read {}: {e}", lib.display()))?
        .flatten()
        .map(|e| e.path().join("site-packages/ziglang"))
        .find(|p| p.join("zig").is_file())
        .ok_or_else(|| format!("no ziglang package in {}", venv.display()))?;
    let mut dirs = vec![venv.join("bin"), ziglang];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))
}

/// Removes from `cmd`'s environment every variable that changes what a test run does:
/// `VIVAMO_*` (a key, an environment, a base URL or a log level would send the suites or the
/// examples elsewhere; `VIVAMO_GEN_WRITE` rewrites generated files) and `UPDATE_GOLDEN`
/// (rewrites the CLI's goldens instead of comparing them). Variables the task sets itself
/// afterwards (`VIVAMO_SANDBOX_BIN` …) are kept.
pub fn clean_test_env(cmd: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        let text = name.to_string_lossy();
        if text.starts_with("VIVAMO_") || text == "UPDATE_GOLDEN" {
            cmd.env_remove(&name);
        }
    }
    cmd
}

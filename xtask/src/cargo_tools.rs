//! Cargo subcommands xtask installs for itself (cargo-deny, cargo-cyclonedx, cargo-fuzz):
//! `cargo install --locked` of a pinned version into `target/xtask/cargo-tools`, once; later
//! runs find the binary and its version and install nothing.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use crate::tools::{cargo, run, target_dir};

/// A cargo subcommand from crates.io, pinned.
pub struct CargoTool {
    /// The crate, e.g. `cargo-deny`.
    pub krate: &'static str,
    /// The exact version installed.
    pub version: &'static str,
}

/// The licence, source and duplicate policy checker (`deny.toml`).
pub const CARGO_DENY: CargoTool = CargoTool {
    krate: "cargo-deny",
    version: "0.20.2",
};
/// The CycloneDX SBOM generator.
pub const CARGO_CYCLONEDX: CargoTool = CargoTool {
    krate: "cargo-cyclonedx",
    version: "0.5.9",
};
/// The libFuzzer driver.
pub const CARGO_FUZZ: CargoTool = CargoTool {
    krate: "cargo-fuzz",
    version: "0.13.2",
};

/// Where the tools are installed: `target/xtask/cargo-tools` (its `bin/` holds them).
fn root() -> PathBuf {
    target_dir().join("xtask/cargo-tools")
}

impl CargoTool {
    /// Installs the tool unless this version is already there.
    pub fn ensure(&self) -> Result<(), String> {
        let binary = root().join("bin").join(self.krate);
        let installed = Command::new(&binary)
            .args([self.krate.trim_start_matches("cargo-"), "--version"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        if installed.is_some_and(|v| v.split_whitespace().any(|w| w == self.version)) {
            return Ok(());
        }
        let started = std::time::Instant::now();
        run(cargo()
            .args(["install", "--locked", "--quiet", "--root"])
            .arg(root())
            .arg(format!("{}@{}", self.krate, self.version)))?;
        println!(
            "installed {} {} in {:.0} s",
            self.krate,
            self.version,
            started.elapsed().as_secs_f64()
        );
        Ok(())
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

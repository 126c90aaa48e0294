//! `cargo xtask dist`: every release artifact of one platform in `target/dist/`, checked.
//!
//! * the Python wheel (abi3, `manylinux2014` on Linux) and the sdist;
//! * the npm packages in napi-rs's layout: the main package `vivamo` (loader, types) with
//!   `optionalDependencies` on the per-platform packages, and this platform's package;
//! * the `.crate` files of the five published crates, verified by building the packaged crates;
//! * the `vivamo` command as `vivamo-X-<triple>.tar.gz` (binary, completions, README, licences);
//! * a CycloneDX SBOM `<artifact>.cdx.json` of each binary artifact (`sbom`);
//! * `SHA256SUMS` and `manifest.json` (file, bytes, sha256, the glibc floor of each ELF inside).
//!
//! Builds and packers run with `SOURCE_DATE_EPOCH` from the commit and the release builds with
//! `--remap-path-prefix` (`reproducible`); every binary inside every artifact is then scanned
//! for paths of the building machine.
//!
//! Linux glibc builds link against glibc 2.17 through zig (`ziglang` from PyPI, pinned in
//! xtask/requirements.txt); a check then reads every ELF inside every artifact and fails above
//! `GLIBC_2.17`. Other platforms build natively (the release workflow's matrix).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::elf;
use crate::tools::{
    cargo, host_triple, project_root, run, target_dir, tool_venv, venv_exe, zig_path,
};

/// The cargo profile of everything shipped (root Cargo.toml): thin LTO, no symbols. (Not named `dist`: cargo would put its own files in target/dist.)
pub const SHIPPED_PROFILE: &str = "shipped";

/// The platform a build is for.
#[derive(Clone, Debug)]
pub struct Target {
    /// The Rust target triple, e.g. `x86_64-unknown-linux-gnu`.
    pub triple: String,
}

impl Target {
    /// `--target TRIPLE` from the arguments, else the host.
    pub fn from_args(args: &[String]) -> Result<Target, String> {
        let triple = match args.iter().position(|a| a == "--target") {
            Some(i) => args
                .get(i + 1)
                .cloned()
                .ok_or("--target needs a Rust target triple")?,
            None => host_triple()?,
        };
        Ok(Target { triple })
    }

    pub fn host() -> Result<Target, String> {
        Ok(Target {
            triple: host_triple()?,
        })
    }

    pub fn is_linux_gnu(&self) -> bool {
        self.triple.contains("-linux-gnu")
    }

    pub fn is_linux_musl(&self) -> bool {
        self.triple.contains("-linux-musl")
    }

    /// Linux builds go through zig: glibc 2.17 stubs for gnu, zig's own musl for musl.
    pub fn uses_zig(&self) -> bool {
        self.is_linux_gnu() || self.is_linux_musl()
    }

    /// The `--target` given to cargo-zigbuild or napi-rs: glibc targets carry the glibc
    /// version to link against (`x86_64-unknown-linux-gnu.2.17`).
    pub fn build_triple(&self) -> String {
        if self.is_linux_gnu() {
            format!("{}.{}", self.triple, elf::show(elf::GLIBC_FLOOR))
        } else {
            self.triple.clone()
        }
    }

    /// napi-rs's platform name: `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc` …
    pub fn napi_platform(&self) -> Result<String, String> {
        let arch = match self.triple.split('-').next().unwrap_or_default() {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            other => {
                return Err(format!(
                    "no npm platform package for the architecture {other}"
                ))
            }
        };
        let t = &self.triple;
        Ok(if t.contains("-linux-gnu") {
            format!("linux-{arch}-gnu")
        } else if t.contains("-linux-musl") {
            format!("linux-{arch}-musl")
        } else if t.contains("-apple-darwin") {
            format!("darwin-{arch}")
        } else if t.contains("-windows-msvc") {
            format!("win32-{arch}-msvc")
        } else {
            return Err(format!("no npm platform package for {t}"));
        })
    }

    /// The file name of an executable.
    pub fn exe(&self, name: &str) -> String {
        if self.triple.contains("windows") {
            format!("{name}.exe")
        } else {
            name.to_string()
        }
    }
}

/// `target/dist`.
pub fn dist_dir() -> PathBuf {
    target_dir().join("dist")
}

/// A command with zig on its `PATH` when the target builds through zig.
pub fn with_zig(cmd: &mut Command, target: &Target) -> Result<(), String> {
    if target.uses_zig() {
        cmd.env("PATH", zig_path()?);
    }
    Ok(())
}

pub(crate) fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

pub(crate) fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clean {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Copies LICENSE-MIT and LICENSE-APACHE from the root into `dir`.
pub fn copy_licenses(dir: &Path) -> Result<(), String> {
    for name in ["LICENSE-MIT", "LICENSE-APACHE"] {
        copy(&project_root().join(name), &dir.join(name))?;
    }
    Ok(())
}

/// `cargo xtask dist [--target TRIPLE]`.
pub fn run_dist(args: &[String]) -> Result<(), String> {
    let target = Target::from_args(args)?;
    let out = dist_dir();
    crate::version::check()?;
    fresh_dir(&out)?;
    cli_archive(&target, &out)?;
    crate::node::package(&target, &out)?;
    crate::python::wheel(&target, &out)?;
    crate::python::sdist(&out)?;
    crates(&out, true)?;
    crate::sbom::write_all(&target, &out)?;
    crate::sbom::check_against_cargo_tree(&target, &out)?;
    let manifest = manifest(&target, &out)?;
    let wheel = crate::python::dist_wheel()?;
    let mut shipped: Vec<&Path> = Vec::new();
    let tarballs = crate::node::dist_tarballs(&target)?;
    shipped.extend(tarballs.iter().map(PathBuf::as_path));
    shipped.push(&wheel);
    crate::test_hooks::check_none_in(&shipped)?;
    crate::reproducible::scan_paths(&[target_dir().join("dist-check")])?;
    python_checks(&out)?;
    lint_workflows()?;
    println!("\ndist: {} ({})\n{manifest}", out.display(), target.triple);
    Ok(())
}

/// Builds the `vivamo` binary of the sources in `root` into `target_dir` (the shipped
/// profile, reproducibly: see `reproducible`); returns its path.
pub(crate) fn build_cli(
    target: &Target,
    root: &Path,
    target_dir: &Path,
) -> Result<PathBuf, String> {
    let mut build = cargo();
    if target.uses_zig() {
        build.arg("zigbuild");
    } else {
        build.arg("build");
    }
    build.args([
        "--locked",
        "--profile",
        SHIPPED_PROFILE,
        "--package",
        "vivamo-cli",
        "--bin",
        "vivamo",
    ]);
    build.args(["--target", &target.build_triple()]);
    build.current_dir(root).env("CARGO_TARGET_DIR", target_dir);
    with_zig(&mut build, target)?;
    crate::reproducible::apply_for(&mut build, root, target_dir)?;
    run(&mut build)?;
    Ok(target_dir
        .join(&target.triple)
        .join(SHIPPED_PROFILE)
        .join(target.exe("vivamo")))
}

/// The `vivamo` binary, shell completions, README, CHANGELOG and licences as
/// `vivamo-X-<triple>.tar.gz`.
fn cli_archive(target: &Target, out: &Path) -> Result<PathBuf, String> {
    let binary = build_cli(target, &project_root(), &target_dir())?;
    pack_cli(target, &binary, out)
}

/// The CLI's archive of `binary` in `out`: the binary, README, CHANGELOG, licences and shell
/// completions, staged in target/dist-stage.
pub(crate) fn pack_cli(target: &Target, binary: &Path, out: &Path) -> Result<PathBuf, String> {
    let root = project_root();
    let name = format!(
        "vivamo-{}-{}",
        crate::version::workspace_version()?,
        target.triple
    );
    let stage = target_dir().join("dist-stage").join(&name);
    fresh_dir(&stage)?;
    copy(binary, &stage.join(target.exe("vivamo")))?;
    for file in ["README.md", "CHANGELOG.md"] {
        copy(&root.join(file), &stage.join(file))?;
    }
    copy_licenses(&stage)?;
    let completions = stage.join("completions");
    fs::create_dir_all(&completions).map_err(|e| e.to_string())?;
    for (shell, file) in [
        ("bash", "vivamo.bash"),
        ("zsh", "_vivamo"),
        ("fish", "vivamo.fish"),
        ("powershell", "_vivamo.ps1"),
        ("elvish", "vivamo.elv"),
    ] {
        let output = Command::new(binary)
            .args(["completions", shell])
            .output()
            .map_err(|e| format!("could not run {}: {e}", binary.display()))?;
        if !output.status.success() || output.stdout.is_empty() {
            return Err(format!(
                "`vivamo completions {shell}` failed ({})",
                output.status
            ));
        }
        fs::write(completions.join(file), output.stdout).map_err(|e| e.to_string())?;
    }
    let archive = out.join(format!("{name}.tar.gz"));
    // The same bytes from the same commit: entries in name order, dated from the commit,
    // owned by 0:0, and no name or time in the gzip header.
    let epoch = crate::reproducible::source_date_epoch()?;
    run(Command::new("tar")
        .args([
            "--sort=name",
            "--format=gnu",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
        ])
        .arg(format!("--mtime=@{epoch}"))
        .args(["--use-compress-program", "gzip -n -9"])
        .arg("-cf")
        .arg(&archive)
        .arg("-C")
        .arg(stage.parent().expect("the stage has a parent"))
        .arg(&name))?;
    Ok(archive)
}

/// The crates users install from crates.io, in dependency order.
pub const PUBLISHED_CRATES: [&str; 5] = [
    "vivamo-api",
    "vivamo-rules",
    "vivamo",
    "vivamo-sandbox",
    "vivamo-cli",
];

/// `cargo package` of the published crates (cargo's multi-package packaging): one `.crate`
/// each, with `verify` each verified by building the packaged crate itself against the other
/// packaged crates. (`--workspace` would also package and build the unpublished bindings and
/// xtask.)
pub(crate) fn crates(out: &Path, verify: bool) -> Result<(), String> {
    let version = crate::version::workspace_version()?;
    forget_extracted_packages(&version)?;
    let mut package = cargo();
    package.args(["package", "--locked", "--allow-dirty"]);
    if !verify {
        package.arg("--no-verify");
    }
    for name in PUBLISHED_CRATES {
        package.args(["--package", name]);
    }
    run(&mut package)?;
    let packages = target_dir().join("package");
    for name in PUBLISHED_CRATES {
        let file = format!("{name}-{version}.crate");
        copy(&packages.join(&file), &out.join(&file))?;
    }
    Ok(())
}

/// Removes cargo's extracted copies of our own packages from earlier `cargo package` runs.
///
/// Cargo verifies a multi-package `cargo package` through a temporary local registry whose
/// crates it extracts under `$CARGO_HOME/registry/src/-<hash of the registry path>/`, and it
/// never re-extracts a name and version it finds there: a clone at the same path with the same
/// version would build the *old* sources of `vivamo-rules` (a CI run failed that way on a
/// build.rs that had since changed). Only local registries (`-…` directories) are touched.
fn forget_extracted_packages(version: &str) -> Result<(), String> {
    let home = match env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => match env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(".cargo"),
            None => return Ok(()),
        },
    };
    let Ok(registries) = fs::read_dir(home.join("registry").join("src")) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for name in PUBLISHED_CRATES {
            let extracted = registry.path().join(format!("{name}-{version}"));
            if extracted.exists() {
                fs::remove_dir_all(&extracted)
                    .map_err(|e| format!("cannot remove {}: {e}", extracted.display()))?;
            }
        }
    }
    Ok(())
}

pub(crate) fn sha256(path: &Path) -> Result<String, String> {
    let data = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(format!("{:x}", Sha256::digest(&data)))
}

/// Unpacks an archive (wheel, tarball, .crate) into `dir`, to read what is inside.
fn unpack(archive: &Path, dir: &Path) -> Result<(), String> {
    fresh_dir(dir)?;
    let name = archive.to_string_lossy();
    if name.ends_with(".whl") {
        run(Command::new(venv_exe(&tool_venv()?, "python"))
            .args(["-m", "zipfile", "-e"])
            .arg(archive)
            .arg(dir))
    } else {
        run(Command::new("tar")
            .arg("-xzf")
            .arg(archive)
            .arg("-C")
            .arg(dir))
    }
}

/// Writes SHA256SUMS and manifest.json; fails when an ELF inside needs a glibc newer than
/// 2.17. Returns a table of the artifacts for the log.
fn manifest(target: &Target, out: &Path) -> Result<String, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(out)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let unpacked = target_dir().join("dist-check");
    let mut sums = String::new();
    let mut entries = Vec::new();
    let mut table = String::from("| file | bytes | glibc floor |\n| --- | ---: | --- |\n");
    let mut too_new = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let dir = unpacked.join(&name);
        // The SBOMs are JSON, not archives.
        let is_archive = !name.ends_with(".json");
        if is_archive {
            unpack(file, &dir)?;
        }
        let mut elves = Vec::new();
        for (path, floor) in if is_archive {
            elf::scan(&dir)?
        } else {
            Vec::new()
        } {
            let shown = floor.map(elf::show);
            if target.is_linux_gnu() && floor.is_none_or(|f| f > elf::GLIBC_FLOOR) {
                too_new.push(format!(
                    "{name}: {} needs GLIBC_{}",
                    path.display(),
                    shown.as_deref().unwrap_or("(none: not a glibc build?)")
                ));
            }
            elves.push(serde_json::json!({
                "path": path.to_string_lossy().replace('\\', "/"),
                "glibc": shown,
            }));
        }
        let bytes = fs::metadata(file).map_err(|e| e.to_string())?.len();
        let digest = sha256(file)?;
        sums.push_str(&format!("{digest}  {name}\n"));
        let floor = elves
            .iter()
            .filter_map(|e| e["glibc"].as_str())
            .map(str::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        table.push_str(&format!(
            "| {name} | {bytes} | {} |\n",
            if floor.is_empty() { "—" } else { &floor }
        ));
        entries.push(serde_json::json!({
            "file": name,
            "bytes": bytes,
            "sha256": digest,
            "elf": elves,
        }));
    }
    fs::write(out.join("SHA256SUMS"), sums).map_err(|e| e.to_string())?;
    let manifest = serde_json::json!({
        "version": crate::version::workspace_version()?,
        "target": target.triple,
        "glibc_floor": target.is_linux_gnu().then(|| elf::show(elf::GLIBC_FLOOR)),
        "files": entries,
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    fs::write(out.join("manifest.json"), text + "\n").map_err(|e| e.to_string())?;
    if too_new.is_empty() {
        Ok(table)
    } else {
        Err(format!(
            "ELF files need a glibc newer than {}:\n  {}",
            elf::show(elf::GLIBC_FLOOR),
            too_new.join("\n  ")
        ))
    }
}

/// auditwheel agrees with the wheel's tag, abi3audit finds no symbol outside the stable ABI,
/// and twine accepts the wheel's and the sdist's metadata.
fn python_checks(out: &Path) -> Result<(), String> {
    let venv = tool_venv()?;
    let wheel = crate::python::only_file(out, ".whl")?;
    let sdist = out.join(format!(
        "vivamo-{}.tar.gz",
        crate::version::workspace_version()?
    ));
    let wheel_name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    if wheel_name.contains("linux") {
        let output = Command::new(venv_exe(&venv, "auditwheel"))
            .arg("show")
            .arg(&wheel)
            .output()
            .map_err(|e| format!("could not run auditwheel: {e}"))?;
        let shown = String::from_utf8_lossy(&output.stdout).replace('\n', " ");
        println!("$ auditwheel show {wheel_name}\n{shown}");
        let tag = wheel_name
            .trim_end_matches(".whl")
            .rsplit('-')
            .next()
            .unwrap_or_default()
            .split('.')
            .find(|t| t.starts_with("manylinux_") || t.starts_with("musllinux_"))
            .unwrap_or_default()
            .to_string();
        if !output.status.success() || tag.is_empty() || !shown.contains(&format!("\"{tag}\"")) {
            return Err(format!(
                "auditwheel does not agree with the tag {tag:?} of {wheel_name}: {shown}"
            ));
        }
    }
    run(Command::new(venv_exe(&venv, "abi3audit"))
        .args(["--strict", "--report"])
        .arg(&wheel))?;
    run(Command::new(venv_exe(&venv, "twine"))
        .args(["check", "--strict"])
        .arg(&wheel)
        .arg(&sdist))
}

/// actionlint over .github/workflows.
pub fn lint_workflows() -> Result<(), String> {
    let venv = tool_venv()?;
    let workflows = project_root().join(".github/workflows");
    let mut files: Vec<PathBuf> = fs::read_dir(&workflows)
        .map_err(|e| format!("cannot read {}: {e}", workflows.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    run(Command::new(venv_exe(&venv, "actionlint"))
        .arg("-no-color")
        .args(&files))
}

//! Reproducible artifacts: the commit's time as `SOURCE_DATE_EPOCH`, no path of the building
//! machine inside a shipped binary, and the checks that show it.
//!
//! * `dist` runs every build and packer with `SOURCE_DATE_EPOCH` set to the commit's time
//!   (maturin dates the sdist's and the wheel's entries from it);
//! * its release builds get `--remap-path-prefix` for the workspace, the target directory,
//!   cargo's home (the registry sources) and the toolchain's sysroot (`rustflags`), so panic
//!   locations and the paths of generated files read `/vivamo/…`, `/cargo/…`, `/rustc/…`;
//! * `scan_paths` reads every ELF/Mach-O/PE file inside every artifact and fails on any of
//!   the workspace, home, cargo-home or rustup-home paths of this machine;
//! * `check` (`cargo xtask repro`) copies the sources to another directory, rebuilds the CLI
//!   there with its own target directory, and compares the binary with `dist`'s byte for byte
//!   (naming the first differing offsets when they differ); and it packs the `.crate` files,
//!   the sdist and the npm main package a second time and compares them with `dist`'s.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{project_root, target_dir};

/// The commit's time in seconds since the epoch: `SOURCE_DATE_EPOCH` when set, else
/// `git log -1 --format=%ct`.
pub fn source_date_epoch() -> Result<u64, String> {
    if let Some(value) = env::var_os("SOURCE_DATE_EPOCH") {
        let text = value.to_string_lossy();
        return text
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: {text:?}"));
    }
    let output = Command::new("git")
        .args(["log", "-1", "--format=%ct"])
        .current_dir(project_root())
        .output()
        .map_err(|e| format!("could not run git log: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| "git log printed no commit time: set SOURCE_DATE_EPOCH".to_string())
}

/// The commit's time as RFC 3339 UTC (`2026-12-03T17:28:55Z`).
pub fn commit_time_rfc3339() -> Result<String, String> {
    let secs = source_date_epoch()?;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    Ok(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    ))
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Cargo's home: `CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> Option<PathBuf> {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".cargo")))
}

/// Rustup's home: `RUSTUP_HOME`, else `~/.rustup`.
fn rustup_home() -> Option<PathBuf> {
    env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".rustup")))
}

fn home() -> Option<PathBuf> {
    env::var_os("HOME")
        .or_else(|| env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

/// The toolchain's sysroot (`rustc --print sysroot`).
fn sysroot() -> Option<PathBuf> {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (!text.is_empty()).then(|| PathBuf::from(text))
}

/// The `--remap-path-prefix` pairs for a build of the sources in `root` into `target`, most
/// specific first (rustc applies the last matching one, so `rustflags` passes them in
/// reverse).
fn remaps(root: &Path, target: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut pairs = vec![
        (target.to_path_buf(), "/vivamo/target"),
        (root.to_path_buf(), "/vivamo"),
    ];
    if let Some(cargo) = cargo_home() {
        pairs.push((cargo, "/cargo"));
    }
    if let Some(sysroot) = sysroot() {
        pairs.push((sysroot, "/rustc"));
    }
    pairs
}

/// `RUSTFLAGS` for `dist`'s release builds of `root` into `target`: the caller's, plus one
/// `--remap-path-prefix` per machine path. Only `dist` sets it: the debug builds keep their
/// flags (and their cache).
pub fn rustflags(root: &Path, target: &Path) -> String {
    let mut flags: Vec<String> = env::var("RUSTFLAGS")
        .ok()
        .map(|f| f.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    for (from, to) in remaps(root, target).into_iter().rev() {
        flags.push(format!("--remap-path-prefix={}={to}", from.display()));
    }
    flags.join(" ")
}

/// Sets `SOURCE_DATE_EPOCH` and the remapping `RUSTFLAGS` on a release build or packer of
/// this checkout.
pub fn apply(cmd: &mut Command) -> Result<(), String> {
    apply_for(cmd, &project_root(), &target_dir())
}

/// [`apply`] for a build of the sources in `root` into `target`.
pub fn apply_for(cmd: &mut Command, root: &Path, target: &Path) -> Result<(), String> {
    cmd.env("SOURCE_DATE_EPOCH", source_date_epoch()?.to_string());
    cmd.env("RUSTFLAGS", rustflags(root, target));
    Ok(())
}

/// The paths of this machine no shipped binary may contain: the workspace, the target
/// directory, the home directory, cargo's home and rustup's home.
fn machine_paths() -> Vec<String> {
    let mut paths: Vec<PathBuf> = vec![project_root(), target_dir()];
    paths.extend(home());
    paths.extend(cargo_home());
    paths.extend(rustup_home());
    let mut shown: Vec<String> = paths
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.len() > 1)
        .collect();
    shown.sort();
    shown.dedup();
    shown
}

/// Fails naming each binary (ELF, Mach-O or PE file under `dirs`) that contains a path of
/// this machine, with the string around it; returns how many binaries and bytes it read.
pub fn scan_paths(dirs: &[PathBuf]) -> Result<(usize, u64), String> {
    let needles = machine_paths();
    let mut found = Vec::new();
    let (mut binaries, mut bytes) = (0usize, 0u64);
    for dir in dirs {
        for path in files(dir)? {
            let data =
                fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if !is_binary(&data) {
                continue;
            }
            binaries += 1;
            bytes += data.len() as u64;
            for needle in &needles {
                if let Some(at) = find(&data, needle.as_bytes()) {
                    found.push(format!(
                        "{} contains {needle:?} at offset {at}: {:?}",
                        path.display(),
                        context(&data, at)
                    ));
                }
            }
        }
    }
    println!(
        "path scan: {binaries} binaries, {bytes} bytes, searched for {}: {} found",
        needles.join(", "),
        found.len()
    );
    if found.is_empty() {
        Ok((binaries, bytes))
    } else {
        Err(format!(
            "shipped binaries contain paths of the building machine:\n  {}",
            found.join("\n  ")
        ))
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current)
            .map_err(|e| format!("cannot read {}: {e}", current.display()))?;
        for entry in entries.flatten() {
            let kind = entry.file_type().map_err(|e| e.to_string())?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// ELF, Mach-O (both byte orders, fat) or PE.
fn is_binary(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
        || data.starts_with(b"MZ")
        || data.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
        || data.starts_with(&[0xfe, 0xed, 0xfa, 0xcf])
        || data.starts_with(&[0xca, 0xfe, 0xba, 0xbe])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The printable bytes around `at`, for the report.
fn context(data: &[u8], at: usize) -> String {
    let start = data[..at]
        .iter()
        .rposition(|b| !(0x20..0x7f).contains(b))
        .map_or(0, |p| p + 1);
    let end = data[at..]
        .iter()
        .position(|b| !(0x20..0x7f).contains(b))
        .map_or(data.len(), |p| at + p);
    String::from_utf8_lossy(&data[start..end.min(start + 200)]).into_owned()
}

/// Compares two files byte for byte; on a difference, names the size of each and the first
/// differing offsets with the bytes there.
pub fn compare(a: &Path, b: &Path) -> Result<(), String> {
    let x = fs::read(a).map_err(|e| format!("cannot read {}: {e}", a.display()))?;
    let y = fs::read(b).map_err(|e| format!("cannot read {}: {e}", b.display()))?;
    if x == y {
        println!(
            "identical: {} and {} ({} bytes)",
            a.display(),
            b.display(),
            x.len()
        );
        return Ok(());
    }
    let offsets: Vec<usize> = (0..x.len().min(y.len()))
        .filter(|&i| x[i] != y[i])
        .take(8)
        .collect();
    let shown: Vec<String> = offsets
        .iter()
        .map(|&i| {
            format!(
                "{i:#x}: {:02x} vs {:02x} ({:?})",
                x[i],
                y[i],
                context(&x, i)
            )
        })
        .collect();
    Err(format!(
        "{} ({} bytes) and {} ({} bytes) differ; first differing offsets:\n  {}",
        a.display(),
        x.len(),
        b.display(),
        y.len(),
        shown.join("\n  ")
    ))
}

/// `cargo xtask repro`, after `dist`: packs the `.crate` files, the sdist and the npm main
/// package again and rebuilds the CLI from a copy of the sources in another directory with
/// its own target directory; each must equal `dist`'s byte for byte.
pub fn check() -> Result<(), String> {
    let rebuilt = rebuild_cli()?;
    compare_with_dist(&rebuilt)
}

/// The CLI rebuilt from a copy of the sources (target/repro/src) with its own target
/// directory (target/repro/target); returns the binary. Needs nothing of `dist`, so CI runs
/// it in the background from its start.
pub fn rebuild_cli() -> Result<PathBuf, String> {
    let target = crate::dist::Target::host()?;
    let work = target_dir().join("repro");
    let source = work.join("src");
    copy_sources(&source)?;
    let started = std::time::Instant::now();
    let rebuilt = crate::dist::build_cli(&target, &source, &work.join("target"))?;
    println!(
        "repro: rebuilt the CLI from {} in {:.0} s",
        source.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(rebuilt)
}

/// Where [`rebuild_cli`] leaves the binary.
pub fn rebuilt_cli_path() -> Result<PathBuf, String> {
    let target = crate::dist::Target::host()?;
    Ok(target_dir()
        .join("repro/target")
        .join(&target.triple)
        .join(crate::dist::SHIPPED_PROFILE)
        .join(target.exe("vivamo")))
}

/// Compares `rebuilt` (the CLI of [`rebuild_cli`]) and its archive, and the `.crate` files,
/// the sdist and the npm main package packed again, with `dist`'s.
pub fn compare_with_dist(rebuilt: &Path) -> Result<(), String> {
    let target = crate::dist::Target::host()?;
    let dist = crate::dist::dist_dir();
    let out = target_dir().join("repro/out");
    crate::dist::fresh_dir(&out)?;
    crate::dist::crates(&out, false)?;
    crate::python::sdist(&out)?;
    crate::node::package(&target, &out)?;
    let version = crate::version::workspace_version()?;
    let mut names: Vec<String> = crate::dist::PUBLISHED_CRATES
        .iter()
        .map(|name| format!("{name}-{version}.crate"))
        .collect();
    names.push(format!("vivamo-{version}.tar.gz"));
    names.push(format!("vivamo-{version}.tgz"));
    let mut differences = Vec::new();
    for name in &names {
        if let Err(e) = compare(&dist.join(name), &out.join(name)) {
            differences.push(e);
        }
    }
    let shipped = target_dir()
        .join(&target.triple)
        .join(crate::dist::SHIPPED_PROFILE)
        .join(target.exe("vivamo"));
    match compare(&shipped, rebuilt) {
        Ok(()) => println!(
            "repro: vivamo sha256 {} in both builds",
            crate::dist::sha256(rebuilt)?
        ),
        Err(e) => differences.push(e),
    }
    // The archive of the rebuilt binary, packed again: completions, dates, owners, gzip header.
    let archive = crate::dist::pack_cli(&target, rebuilt, &out)?;
    let name = archive.file_name().expect("an archive has a name");
    names.push(name.to_string_lossy().into_owned());
    if let Err(e) = compare(&dist.join(name), &archive) {
        differences.push(e);
    }
    if differences.is_empty() {
        println!(
            "repro: {} artifacts identical to dist's: vivamo, {}",
            names.len() + 1,
            names.join(", ")
        );
        Ok(())
    } else {
        Err(format!("not reproducible:\n{}", differences.join("\n")))
    }
}

/// Copies the files git knows (tracked and untracked, not ignored) to `to`.
fn copy_sources(to: &Path) -> Result<(), String> {
    crate::dist::fresh_dir(to)?;
    let root = project_root();
    let output = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&root)
        .output()
        .map_err(|e| format!("could not run git ls-files: {e}"))?;
    for name in output.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name);
        let from = root.join(name.as_ref());
        if !from.is_file() {
            continue;
        }
        let dest = to.join(name.as_ref());
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        crate::dist::copy(&from, &dest)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn finds_paths_and_shows_their_string() {
        let data = b"\0\0panicked at /home/ci/.cargo/registry/src/x.rs\0";
        let at = find(data, b"/home/ci").unwrap();
        assert_eq!(at, 14);
        assert_eq!(
            context(data, at),
            "panicked at /home/ci/.cargo/registry/src/x.rs"
        );
    }
}

//! The npm packages (bindings/node): builds the addon with napi-rs, packs the main package
//! `vivamo` and the platform package in napi-rs's layout; `test-node` installs both tarballs
//! into a fresh project and runs the suites there, as a user would get them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dist::{copy, copy_licenses, fresh_dir, with_zig, Target, SHIPPED_PROFILE};
use crate::tools::{clean_test_env, project_root, run, sandbox_binary, target_dir};

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

/// Installs the build tools and builds the addon into bindings/node (napi-rs, the `shipped`
/// profile; on Linux through zig against glibc 2.17 with napi-rs's `-x`), with the generated
/// loader native.js and types native.d.ts. With `hooks`: a dev-profile build for this machine
/// with the `test-hooks` feature instead, for `cargo xtask test-hooks` only.
pub fn build(target: &Target, hooks: bool) -> Result<PathBuf, String> {
    let pkg = project_root().join("bindings/node");
    install_dev_dependencies(&pkg)?;
    let mut napi = Command::new(pkg.join("node_modules/.bin/napi"));
    napi.args(["build", "--platform"])
        .args(["--js", "native.js", "--dts", "native.d.ts"])
        .current_dir(&pkg);
    if hooks {
        return build_with_hooks(target, &pkg);
    }
    napi.args(["--profile", SHIPPED_PROFILE])
        .args(["--target", &target.build_triple()]);
    if target.uses_zig() {
        // napi-rs runs `cargo zigbuild`; the CARGO that runs this xtask would bypass it.
        napi.arg("--cross-compile").env_remove("CARGO");
    }
    with_zig(&mut napi, target)?;
    crate::reproducible::apply(&mut napi)?;
    run(&mut napi)?;
    Ok(pkg)
}

/// The addon with the `test-hooks` feature: a plain dev build for this machine (napi-rs would
/// build for an explicit `--target`, a second copy of every dependency), copied where napi-rs
/// puts the addon, beside the loader native.js of an earlier `napi build` (dist's, in CI).
fn build_with_hooks(target: &Target, pkg: &Path) -> Result<PathBuf, String> {
    if !pkg.join("native.js").is_file() {
        return Err(
            "bindings/node/native.js is missing: run cargo xtask dist or test-node first".into(),
        );
    }
    // The whole workspace's libraries, so the features of every dependency are those of the
    // `cargo test --workspace` build before it: only the addon itself is compiled again.
    run(crate::tools::cargo().args([
        "build",
        "--workspace",
        "--lib",
        "--features",
        "vivamo-node/test-hooks",
    ]))?;
    let built = target_dir().join("debug").join(if cfg!(windows) {
        "vivamo_node.dll"
    } else if cfg!(target_os = "macos") {
        "libvivamo_node.dylib"
    } else {
        "libvivamo_node.so"
    });
    copy(
        &built,
        &pkg.join(format!("vivamo.{}.node", target.napi_platform()?)),
    )?;
    Ok(pkg.to_path_buf())
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    fs::write(path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `npm pack` of `dir` into `out`; returns the tarball.
fn pack(dir: &Path, out: &Path) -> Result<PathBuf, String> {
    let packs = target_dir().join("npm-pack");
    fresh_dir(&packs)?;
    run(npm()
        .args(["pack", "--loglevel=error", "--pack-destination"])
        .arg(&packs)
        .current_dir(dir))?;
    let packed = tarball_in(&packs)?;
    let tarball = out.join(packed.file_name().expect("a tarball has a name"));
    copy(&packed, &tarball)?;
    Ok(tarball)
}

/// Builds the addon and packs, in napi-rs's layout, the main package `vivamo` (the loader and
/// types, with `optionalDependencies` on every platform package of `napi.targets`) and this
/// platform's package `vivamo-<platform>` (the addon) into `out`: (main, platform).
pub fn package(target: &Target, out: &Path) -> Result<(PathBuf, PathBuf), String> {
    package_built(target, out, false)
}

/// [`package`] of an addon built with the test hooks (see [`build`]).
pub fn package_with_hooks(target: &Target, out: &Path) -> Result<(PathBuf, PathBuf), String> {
    package_built(target, out, true)
}

fn package_built(target: &Target, out: &Path, hooks: bool) -> Result<(PathBuf, PathBuf), String> {
    let pkg = build(target, hooks)?;
    let platform = target.napi_platform()?;
    let stage = target_dir().join("npm-stage");
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;

    // The platform package: bindings/node/npm/<platform> plus the addon.
    let platform_stage = stage.join(&platform);
    fresh_dir(&platform_stage)?;
    let platform_dir = pkg.join("npm").join(&platform);
    for file in ["package.json", "README.md"] {
        copy(&platform_dir.join(file), &platform_stage.join(file))?;
    }
    let addon = format!("vivamo.{platform}.node");
    copy(&pkg.join(&addon), &platform_stage.join(&addon))?;
    copy_licenses(&platform_stage)?;

    // The main package: what package.json's `files` names, less the addons.
    let main_stage = stage.join("vivamo");
    fresh_dir(&main_stage)?;
    let mut manifest = read_json(&pkg.join("package.json"))?;
    let files: Vec<String> = manifest["files"]
        .as_array()
        .ok_or("bindings/node/package.json has no files list")?
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .filter(|f| !f.ends_with(".node"))
        .collect();
    for file in &files {
        let from = pkg.join(file);
        if from.is_dir() {
            copy_tree(&from, &main_stage.join(file))?;
        } else if !file.starts_with("LICENSE") {
            copy(&from, &main_stage.join(file))?;
        }
    }
    copy_licenses(&main_stage)?;
    let version = manifest["version"].clone();
    let mut optional = serde_json::Map::new();
    for triple in manifest["napi"]["targets"]
        .as_array()
        .ok_or("bindings/node/package.json has no napi.targets")?
    {
        let triple = triple.as_str().unwrap_or_default().to_string();
        let name = format!("vivamo-{}", Target { triple }.napi_platform()?);
        optional.insert(name, version.clone());
    }
    manifest["files"] = files.into();
    manifest["optionalDependencies"] = optional.into();
    if let Some(scripts) = manifest.as_object_mut() {
        scripts.remove("scripts");
        scripts.remove("devDependencies");
    }
    write_json(&main_stage.join("package.json"), &manifest)?;

    Ok((pack(&main_stage, out)?, pack(&platform_stage, out)?))
}

pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in fs::read_dir(from)
        .map_err(|e| format!("cannot read {}: {e}", from.display()))?
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()))?;
        } else {
            copy(&path, &to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The main and the platform tarball `cargo xtask dist` left in target/dist.
pub fn dist_tarballs(target: &Target) -> Result<Vec<PathBuf>, String> {
    let dir = crate::dist::dist_dir();
    let version = crate::version::workspace_version()?;
    let platform = target.napi_platform()?;
    let tarballs = vec![
        dir.join(format!("vivamo-{version}.tgz")),
        dir.join(format!("vivamo-{platform}-{version}.tgz")),
    ];
    match tarballs.iter().find(|t| !t.is_file()) {
        Some(missing) => Err(format!(
            "{} is missing: run cargo xtask dist",
            missing.display()
        )),
        None => Ok(tarballs),
    }
}

/// A fresh project under `work` with `tarballs` installed (as `npm install a.tgz b.tgz`);
/// returns the project's directory.
pub fn install_packed(tarballs: &[PathBuf], work: &Path) -> Result<PathBuf, String> {
    let project = work.join("project");
    fresh_dir(&project)?;
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
        .args(tarballs)
        .current_dir(&project))?;
    Ok(project)
}

/// Without its platform package, `require('vivamo')` fails with one sentence naming the
/// platform and how to build from source.
fn check_missing_addon(main: &Path, work: &Path) -> Result<(), String> {
    let project = install_packed(&[main.to_path_buf()], work)?;
    let output = Command::new("node")
        .args(["-e", "require('vivamo')"])
        .current_dir(&project)
        .output()
        .map_err(|e| format!("could not run node: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let platform = format!("{os}-{}", node_arch());
    if output.status.success()
        || !stderr.contains("build it from source")
        || !stderr.contains(&platform)
    {
        return Err(format!(
            "require('vivamo') without a platform package did not say how to build from source:\n{stderr}"
        ));
    }
    println!(
        "node: without a platform package, require('vivamo') says: {}",
        stderr
            .lines()
            .find(|l| l.contains("build it from source"))
            .unwrap_or_default()
            .trim()
    );
    Ok(())
}

fn node_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    }
}

/// Runs `node --test` on the `*.test.mjs` files of `dir` (named one by one: Node 21+ reads a
/// directory argument as a glob) in `project`, with a clean environment plus what `setup`
/// adds and this `node` first on PATH; returns how many tests ran, failing when none did.
pub fn node_tests(
    node: &Path,
    project: &Path,
    dir: &str,
    setup: impl FnOnce(&mut Command),
) -> Result<u64, String> {
    let mut files: Vec<String> = fs::read_dir(project.join(dir))
        .map_err(|e| format!("cannot read {dir}: {e}"))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("{dir}/{name}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *.test.mjs file in {dir}"));
    }
    let tap = target_dir().join("xtask/node-test.tap");
    let _ = fs::remove_file(&tap);
    let mut path = vec![node
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_default()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = Command::new(node);
    cmd.args([
        "--test",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
    ])
    .arg("--test-reporter=tap")
    .arg(format!("--test-reporter-destination={}", tap.display()))
    .args(&files)
    .env(
        "PATH",
        std::env::join_paths(path.iter().filter(|p| !p.as_os_str().is_empty()))
            .map_err(|e| format!("cannot build PATH: {e}"))?,
    )
    .current_dir(project);
    clean_test_env(&mut cmd);
    setup(&mut cmd);
    crate::ceiling::run_within(&mut cmd, crate::ceiling::TEST_RUNNER_CEILING)?;
    let report = fs::read_to_string(&tap)
        .map_err(|e| format!("the runner wrote no report {}: {e}", tap.display()))?;
    crate::test_count::node_tap_count(&report)
}

/// Builds and packs the two npm packages, then tests them as installed from the tarballs.
pub fn test() -> Result<(), String> {
    let target = Target::host()?;
    let (main, platform) = package(&target, &target_dir().join("npm-test"))?;
    test_packed(&[main, platform])
}

/// Installs the main and the platform tarball into a fresh project and runs the Node suites
/// and the type check there; also checks the message of a platform without an addon.
pub fn test_packed(tarballs: &[PathBuf]) -> Result<(), String> {
    let root = project_root();
    let pkg = root.join("bindings/node");
    let sandbox = sandbox_binary(false)?;
    let work = target_dir().join("xtask/node-package-test");
    check_missing_addon(&tarballs[0], &work.join("no-addon"))?;
    // A fresh project holding only the packed tarballs, the suites and the example.
    let project = install_packed(tarballs, &work)?;
    copy_dir(&pkg.join("__test__"), &project.join("__test__"))?;
    copy_dir(&pkg.join("examples"), &project.join("examples"))?;
    copy_dir(&pkg.join("tests"), &project.join("tests"))?;

    // Every suite on every Node.js line we support: the machine's node, then 22 and 24.
    let mut ran = Vec::new();
    for runtime in crate::node_runtimes::runtimes()? {
        println!("node: the suites on Node.js {}", runtime.version);
        let started = std::time::Instant::now();
        let suite = node_tests(&runtime.node, &project, "__test__", |cmd| {
            cmd.env("VIVAMO_SANDBOX_BIN", &sandbox)
                .env("VIVAMO_TESTDATA", root.join("testdata"));
        })?;
        // A user's suite (bindings/node/examples/testing): its own code tested with
        // `node --test` against `vivamo/testing`, no sandbox binary around.
        copy_tree(
            &pkg.join("examples/testing"),
            &project.join("examples/testing"),
        )?;
        let user = node_tests(&runtime.node, &project, "examples/testing", |_| {})?;
        ran.push(format!(
            "{} ({suite} + {user} tests, {:.0} s)",
            runtime.version,
            started.elapsed().as_secs_f64()
        ));
    }
    println!("node: the suites passed on Node.js {}", ran.join(", "));

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

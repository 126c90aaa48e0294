//! CycloneDX SBOMs of the binary artifacts of `dist`: the CLI archive, the npm platform
//! package (the Node addon) and the wheel (the Python extension).
//!
//! `cargo cyclonedx` (installed by xtask, see `cargo_tools`) describes the Rust tree of the
//! crate each binary is built from, for the release target and the crate's default features,
//! as the build has them. xtask then names the artifact itself as the SBOM's subject (its npm
//! or PyPI package URL, licence and version, with the crate as what it contains), dates the
//! SBOM from the commit (`SOURCE_DATE_EPOCH`) and derives its serial number from its content,
//! so two runs on one commit write the same file. `check_against_cargo_tree` verifies that
//! the CLI's SBOM names every crate `cargo tree` lists for the binary.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::cargo_tools::{cargo_subcommand, CARGO_CYCLONEDX};
use crate::dist::Target;
use crate::tools::{cargo, project_root, run};

/// One binary artifact and the crate its binary is built from.
pub struct Artifact {
    /// The artifact's file name in `target/dist` (the SBOM is `<file>.cdx.json`).
    pub file: String,
    /// The workspace directory of the crate, e.g. `crates/vivamo-cli`.
    pub crate_dir: &'static str,
    /// The artifact's own identity: a package URL (`pkg:npm/…`, `pkg:pypi/…`,
    /// `pkg:generic/…`), name, version.
    pub purl: String,
    /// The name users install it by.
    pub name: String,
}

/// The binary artifacts of one `dist` run for `target`.
pub fn artifacts(target: &Target, out: &Path) -> Result<Vec<Artifact>, String> {
    let version = crate::version::workspace_version()?;
    let platform = target.napi_platform()?;
    let wheel = crate::python::only_file(out, ".whl")?;
    let wheel = wheel.file_name().unwrap().to_string_lossy().into_owned();
    Ok(vec![
        Artifact {
            file: format!("vivamo-{version}-{}.tar.gz", target.triple),
            crate_dir: "crates/vivamo-cli",
            purl: format!("pkg:generic/vivamo-cli@{version}?arch={}", target.triple),
            name: "vivamo-cli".into(),
        },
        Artifact {
            file: format!("vivamo-{platform}-{version}.tgz"),
            crate_dir: "bindings/node",
            purl: format!("pkg:npm/vivamo-{platform}@{version}"),
            name: format!("vivamo-{platform}"),
        },
        Artifact {
            purl: format!(
                "pkg:pypi/vivamo@{version}?file_name={}",
                wheel.replace('+', "%2B")
            ),
            file: wheel,
            crate_dir: "bindings/python",
            name: "vivamo".into(),
        },
    ])
}

/// Writes `<artifact>.cdx.json` into `out` for every binary artifact; returns their paths.
pub fn write_all(target: &Target, out: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for artifact in artifacts(target, out)? {
        let bom = crate_bom(artifact.crate_dir, target)?;
        let bom = as_artifact_bom(bom, &artifact)?;
        let path = out.join(format!("{}.cdx.json", artifact.file));
        let text = serde_json::to_string_pretty(&bom).map_err(|e| e.to_string())?;
        fs::write(&path, text + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `cargo cyclonedx` of one crate for `target`, read back (the file it writes next to the
/// crate's Cargo.toml is removed).
fn crate_bom(crate_dir: &str, target: &Target) -> Result<Value, String> {
    let manifest = project_root().join(crate_dir).join("Cargo.toml");
    let name = "vivamo-xtask-sbom";
    let mut cyclonedx = cargo_subcommand(&CARGO_CYCLONEDX)?;
    cyclonedx
        .arg("--manifest-path")
        .arg(&manifest)
        .args([
            "--format",
            "json",
            "--spec-version",
            "1.5",
            "--no-build-deps",
        ])
        .args(["--target", &target.triple])
        .args(["--override-filename", name]);
    run(&mut cyclonedx)?;
    let written = project_root().join(crate_dir).join(format!("{name}.json"));
    let text = fs::read_to_string(&written)
        .map_err(|e| format!("cargo cyclonedx wrote no {}: {e}", written.display()));
    // It writes one next to every member of the workspace: none stays in the sources.
    remove_everywhere(&format!("{name}.json"))?;
    serde_json::from_str(&text?).map_err(|e| format!("{}: {e}", written.display()))
}

/// Removes `file` from every workspace member's directory (`crates/*`, `bindings/*`, `xtask`).
fn remove_everywhere(file: &str) -> Result<(), String> {
    let root = project_root();
    let mut dirs = vec![root.join("xtask")];
    for group in ["crates", "bindings"] {
        if let Ok(entries) = fs::read_dir(root.join(group)) {
            dirs.extend(entries.flatten().map(|e| e.path()));
        }
    }
    for dir in dirs {
        let path = dir.join(file);
        if path.exists() {
            fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The crate's SBOM made the artifact's: the artifact is the subject, the crate becomes its
/// first component (and what it depends on); timestamp from `SOURCE_DATE_EPOCH` (else the
/// commit); serial number from the content.
fn as_artifact_bom(mut bom: Value, artifact: &Artifact) -> Result<Value, String> {
    let version = crate::version::workspace_version()?;
    let metadata = bom
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
        .ok_or("cargo cyclonedx wrote an SBOM without metadata")?;
    let root = metadata
        .remove("component")
        .ok_or("cargo cyclonedx wrote an SBOM without metadata.component")?;
    let root_ref = root["bom-ref"].as_str().unwrap_or_default().to_string();
    metadata.insert(
        "component".into(),
        json!({
            "type": "application",
            "bom-ref": artifact.purl,
            "name": artifact.name,
            "version": version,
            "purl": artifact.purl,
            "licenses": [{"expression": "MIT OR Apache-2.0"}],
            "description": format!("{}, built from the crate in {}", artifact.file, artifact.crate_dir),
        }),
    );
    metadata.insert(
        "timestamp".into(),
        Value::String(crate::reproducible::commit_time_rfc3339()?),
    );
    let components = bom
        .get_mut("components")
        .and_then(Value::as_array_mut)
        .ok_or("cargo cyclonedx wrote an SBOM without components")?;
    components.insert(0, root);
    let dependencies = bom
        .as_object_mut()
        .expect("an SBOM is an object")
        .entry("dependencies")
        .or_insert_with(|| json!([]));
    if let Some(list) = dependencies.as_array_mut() {
        list.insert(0, json!({"ref": artifact.purl, "dependsOn": [root_ref]}));
    }
    bom["serialNumber"] = Value::Null;
    let digest = Sha256::digest(serde_json::to_vec(&bom).map_err(|e| e.to_string())?);
    bom["serialNumber"] = Value::String(format!("urn:uuid:{}", uuid_from(&digest)));
    Ok(bom)
}

/// A version-4-shaped UUID from the first 16 bytes of a digest.
fn uuid_from(digest: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `name version` of every crate component of an SBOM.
fn bom_crates(bom: &Value) -> BTreeSet<String> {
    bom["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["purl"]
                .as_str()
                .is_some_and(|p| p.starts_with("pkg:cargo/"))
        })
        .filter_map(|c| {
            Some(format!(
                "{} {}",
                c["name"].as_str()?,
                c["version"].as_str()?
            ))
        })
        .collect()
}

/// `name version` of every crate linked into the binary of `package` for `target`:
/// `cargo tree -e normal` (build scripts' and dev dependencies are not in the binary).
fn tree_crates(package: &str, target: &Target) -> Result<BTreeSet<String>, String> {
    let mut tree = cargo();
    tree.args(["tree", "--locked", "-e", "normal", "--prefix", "none"])
        .args([
            "--format",
            "{p}",
            "--package",
            package,
            "--target",
            &target.triple,
        ])
        .current_dir(project_root());
    println!("$ {}", crate::tools::describe(&tree));
    let output = tree
        .output()
        .map_err(|e| format!("could not run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let version = words.next()?.strip_prefix('v')?;
            Some(format!("{name} {version}"))
        })
        .collect())
}

/// The CLI's SBOM names every crate of its binary, as `cargo tree` lists them; prints the
/// counts, fails naming each crate missing.
pub fn check_against_cargo_tree(target: &Target, out: &Path) -> Result<(), String> {
    let cli = artifacts(target, out)?
        .into_iter()
        .find(|a| a.crate_dir == "crates/vivamo-cli")
        .expect("the CLI is an artifact");
    let path = out.join(format!("{}.cdx.json", cli.file));
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let bom: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let listed = bom_crates(&bom);
    let linked = tree_crates("vivamo-cli", target)?;
    let missing: Vec<&String> = linked.difference(&listed).collect();
    println!(
        "sbom: {} lists {} crates; cargo tree -e normal lists {} for the vivamo binary, {} missing from the SBOM",
        path.file_name().unwrap().to_string_lossy(),
        listed.len(),
        linked.len(),
        missing.len()
    );
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} does not name these crates of the binary: {missing:?}",
            path.display()
        ))
    }
}

/// `cargo xtask sbom`: the SBOMs of the artifacts `dist` left in target/dist, and the check.
pub fn run_sbom() -> Result<(), String> {
    let target = Target::host()?;
    let out = crate::dist::dist_dir();
    for path in write_all(&target, &out)? {
        println!("wrote {}", path.display());
    }
    check_against_cargo_tree(&target, &out)
}

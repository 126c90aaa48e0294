//! One version for every package: the workspace's (`[workspace.package] version` in the root
//! Cargo.toml). `cargo xtask version X.Y.Z` sets it everywhere; [`check`] fails when a
//! package disagrees. The Python package reads it from Cargo.toml (maturin's dynamic
//! version), so pyproject.toml must keep `dynamic = ["version"]`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::tools::{cargo, project_root, run};

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The `version = "…"` line of the `[workspace.package]` table: (line index, version).
fn workspace_version_line(cargo_toml: &str) -> Option<(usize, String)> {
    let mut in_table = false;
    for (i, line) in cargo_toml.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            in_table = line == "[workspace.package]";
        } else if in_table {
            if let Some(value) = line.strip_prefix("version = ") {
                return Some((i, value.trim_matches('"').to_string()));
            }
        }
    }
    None
}

/// The workspace version.
pub fn workspace_version() -> Result<String, String> {
    let text = read(&project_root().join("Cargo.toml"))?;
    workspace_version_line(&text)
        .map(|(_, v)| v)
        .ok_or_else(|| "Cargo.toml has no [workspace.package] version".to_string())
}

/// bindings/node/package.json and every napi-rs platform package under bindings/node/npm.
pub fn npm_manifests() -> Result<Vec<PathBuf>, String> {
    let node = project_root().join("bindings/node");
    let mut manifests = vec![node.join("package.json")];
    let npm = node.join("npm");
    let mut platforms: Vec<PathBuf> = fs::read_dir(&npm)
        .map_err(|e| format!("cannot read {}: {e}", npm.display()))?
        .flatten()
        .map(|e| e.path().join("package.json"))
        .filter(|p| p.is_file())
        .collect();
    platforms.sort();
    manifests.extend(platforms);
    Ok(manifests)
}

fn json_version(path: &Path) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(&read(path)?)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    value["version"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{} has no version", path.display()))
}

/// Fails, naming each file, when a package's version is not the workspace version.
pub fn check() -> Result<(), String> {
    let root = project_root();
    let wanted = workspace_version()?;
    let mut wrong = Vec::new();
    for manifest in npm_manifests()? {
        let found = json_version(&manifest)?;
        if found != wanted {
            wrong.push(format!("{}: {found}", manifest.display()));
        }
    }
    let pyproject = read(&root.join("bindings/python/pyproject.toml"))?;
    if !pyproject.contains("dynamic = [\"version\"]") {
        wrong.push(
            "bindings/python/pyproject.toml: the version must stay dynamic (the workspace's)"
                .into(),
        );
    }
    let cargo_toml = read(&root.join("Cargo.toml"))?;
    for line in cargo_toml
        .lines()
        .filter(|l| l.contains("path = \"crates/"))
    {
        if !line.contains(&format!("version = \"{wanted}\"")) {
            wrong.push(format!("Cargo.toml: {line}"));
        }
    }
    if wrong.is_empty() {
        println!("version: every package is at {wanted}");
        Ok(())
    } else {
        Err(format!(
            "packages disagree with the workspace version {wanted} (run `cargo xtask version {wanted}`):\n  {}",
            wrong.join("\n  ")
        ))
    }
}

/// Whether `v` looks like a semantic version (`1.2.3`, `1.2.3-rc.1`).
fn is_semver(v: &str) -> bool {
    let core = v
        .split_once('-')
        .map_or(v, |(core, pre)| if pre.is_empty() { "" } else { core });
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Replaces the first `"version": "…"` of a package.json, keeping its formatting.
fn set_json_version(text: &str, version: &str) -> Option<String> {
    let key = "\"version\": \"";
    let start = text.find(key)? + key.len();
    let end = start + text[start..].find('"')?;
    Some(format!("{}{version}{}", &text[..start], &text[end..]))
}

/// `cargo xtask version X.Y.Z`: sets the version of every crate and package.
pub fn set(version: &str) -> Result<(), String> {
    if !is_semver(version) {
        return Err(format!(
            "`{version}` is not a version like 1.2.3 or 1.2.3-rc.1"
        ));
    }
    let root = project_root();
    let path = root.join("Cargo.toml");
    let text = read(&path)?;
    let (index, old) = workspace_version_line(&text)
        .ok_or_else(|| "Cargo.toml has no [workspace.package] version".to_string())?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[index] = lines[index].replace(&format!("\"{old}\""), &format!("\"{version}\""));
    for line in lines.iter_mut().filter(|l| l.contains("path = \"crates/")) {
        *line = line.replace(
            &format!("version = \"{old}\""),
            &format!("version = \"{version}\""),
        );
    }
    write(&path, &(lines.join("\n") + "\n"))?;
    for manifest in npm_manifests()? {
        let text = read(&manifest)?;
        let updated = set_json_version(&text, version)
            .ok_or_else(|| format!("{} has no version", manifest.display()))?;
        write(&manifest, &updated)?;
    }
    // Cargo.lock records the workspace crates' versions.
    run(cargo().args(["metadata", "--format-version", "1", "--no-deps", "--quiet"])).map(|_| ())?;
    run(cargo().args(["update", "--workspace", "--quiet"]))?;
    check()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_semver("0.1.0"));
        assert!(is_semver("10.20.30-rc.1"));
        assert!(!is_semver("1.2"));
        assert!(!is_semver("1.2.x"));
        assert!(!is_semver("1.2.3-"));
        assert!(!is_semver("v1.2.3"));
    }

    #[test]
    fn the_workspace_table_holds_the_version() {
        let toml = "[package]\nversion = \"9.9.9\"\n[workspace.package]\nversion = \"0.2.0\"\n";
        assert_eq!(workspace_version_line(toml), Some((3, "0.2.0".into())));
    }

    #[test]
    fn json_version_is_replaced_in_place() {
        let json = "{\n  \"name\": \"vivamo\",\n  \"version\": \"0.1.0\",\n  \"x\": {\"version\": \"1\"}\n}\n";
        let updated = set_json_version(json, "0.2.0").unwrap();
        assert_eq!(updated, json.replacen("0.1.0", "0.2.0", 1));
    }
}

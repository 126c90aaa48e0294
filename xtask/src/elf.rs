//! The glibc floor of an ELF file: the newest `GLIBC_x.y` symbol version it needs, read from
//! its `.gnu.version_r` section (what `objdump -T` shows), so that a build is proven to load on
//! an old Linux rather than assumed to.

use std::fs;
use std::path::{Path, PathBuf};

use object::read::elf::{ElfFile64, FileHeader};
use object::{Endianness, FileKind};

/// The oldest glibc the shipped Linux builds support (manylinux2014, RHEL/CentOS 7).
pub const GLIBC_FLOOR: (u32, u32) = (2, 17);

/// A glibc version such as `2.17`, shown as in `GLIBC_2.17`.
pub fn show((major, minor): (u32, u32)) -> String {
    format!("{major}.{minor}")
}

/// Whether `data` starts like an ELF file.
pub fn is_elf(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
}

/// The newest `GLIBC_x.y` version that the ELF file `data` needs, or `None` when it needs no
/// glibc symbol version (a static or musl binary, or a library using none).
pub fn glibc_floor(data: &[u8]) -> Result<Option<(u32, u32)>, String> {
    match FileKind::parse(data).map_err(|e| e.to_string())? {
        FileKind::Elf64 => {}
        other => return Err(format!("not a 64-bit ELF file ({other:?})")),
    }
    let file = ElfFile64::<Endianness>::parse(data).map_err(|e| e.to_string())?;
    let endian = file.endian();
    let sections = file
        .elf_header()
        .sections(endian, data)
        .map_err(|e| e.to_string())?;
    let mut newest = None;
    let Some((mut needs, link)) = sections
        .gnu_verneed(endian, data)
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let strings = sections
        .strings(endian, data, link)
        .map_err(|e| e.to_string())?;
    while let Some((_, mut auxes)) = needs.next().map_err(|e| e.to_string())? {
        while let Some(aux) = auxes.next().map_err(|e| e.to_string())? {
            let name = aux.name(endian, strings).map_err(|e| e.to_string())?;
            if let Some(version) = parse_glibc(name) {
                newest = newest.max(Some(version));
            }
        }
    }
    Ok(newest)
}

/// `GLIBC_2.17` → `(2, 17)`; anything else (`GLIBC_PRIVATE`, `GCC_3.0`) → `None`.
fn parse_glibc(name: &[u8]) -> Option<(u32, u32)> {
    let version = std::str::from_utf8(name).ok()?.strip_prefix("GLIBC_")?;
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// A glibc version, `(2, 17)` for 2.17.
pub type GlibcVersion = (u32, u32);

/// Every ELF file under `dir`, with its path relative to `dir` and its glibc floor.
pub fn scan(dir: &Path) -> Result<Vec<(PathBuf, Option<GlibcVersion>)>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current)
            .map_err(|e| format!("cannot read {}: {e}", current.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| e.to_string())?;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let data =
                    fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if is_elf(&data) {
                    let floor =
                        glibc_floor(&data).map_err(|e| format!("{}: {e}", path.display()))?;
                    let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
                    found.push((relative, floor));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_version_names() {
        assert_eq!(parse_glibc(b"GLIBC_2.17"), Some((2, 17)));
        assert_eq!(parse_glibc(b"GLIBC_2.2.5"), Some((2, 2)));
        assert_eq!(parse_glibc(b"GLIBC_2.34"), Some((2, 34)));
        assert_eq!(parse_glibc(b"GLIBC_PRIVATE"), None);
        assert_eq!(parse_glibc(b"GCC_3.0"), None);
        assert!(Some((2, 34)) > Some((2, 17)));
        assert!(Some((2, 2)) < Some((2, 17)));
    }

    #[test]
    fn the_running_test_binary_has_a_floor() {
        // The test executable itself is a dynamically linked glibc ELF on Linux gnu hosts.
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            let exe = std::env::current_exe().unwrap();
            let floor = glibc_floor(&fs::read(exe).unwrap()).unwrap();
            assert!(floor.is_some_and(|f| f >= (2, 2)), "{floor:?}");
        }
    }
}

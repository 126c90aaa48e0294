//! Compiles the disposable-domain list into a finite-state transducer set (`fst`), written to
//! `$OUT_DIR/disposable_domains.fst` and embedded with `include_bytes!`.
//!
//! The list is the union of `data/disposable_domains.txt` (≈77,000 domains) and the
//! `mailchecker` crate's list (≈56,000, nearly all already in the first). As a
//! `&[&str]` the same list cost ≈4.3 MB in every binary (a pointer, a length and a
//! relocation per domain), the Node addon and the Python wheel included; as an FST it is a
//! few hundred KB of plain bytes, searched in place with no start-up cost.

use std::env;
use std::fs;
use std::path::Path;

/// The normal form both lists are compared in: trimmed, no trailing dot, ASCII lower case.
/// Lines that are empty, comments or single labels are dropped.
fn normalize(line: &str) -> Option<String> {
    let d = line.trim().trim_end_matches('.').to_ascii_lowercase();
    (!d.is_empty() && !d.starts_with('#') && d.contains('.')).then_some(d)
}

fn main() {
    let vendored = "data/disposable_domains.txt";
    println!("cargo::rerun-if-changed={vendored}");
    println!("cargo::rerun-if-changed=build.rs");
    let text = fs::read_to_string(vendored).expect("data/disposable_domains.txt is in the crate");
    let mailchecker = mailchecker::blacklist();
    let mut domains: Vec<String> = text
        .lines()
        .chain(mailchecker.iter().copied())
        .filter_map(normalize)
        .collect();
    domains.sort_unstable();
    domains.dedup();
    let set = fst::Set::from_iter(&domains).expect("sorted, deduplicated input");
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(
        Path::new(&out).join("disposable_domains.fst"),
        set.as_fst().as_bytes(),
    )
    .expect("cannot write disposable_domains.fst");
}

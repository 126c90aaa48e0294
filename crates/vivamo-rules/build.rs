//! Writes the domains of `mailchecker` that `disposable-emails` lacks (a few hundred of its
//! ≈56,000) as a sorted static slice. mailchecker's whole list is read here, at build time
//! only: linked into the library it would add ≈3 MB (a pointer and a relocation per domain)
//! to every binary, the Node addon and the Python wheel included.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let mut extra: Vec<&str> = mailchecker::blacklist()
        .into_iter()
        .filter(|d| !disposable_emails::is_disposable_domain(d))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    let mut out = String::from(
        "/// Domains of `mailchecker` that `disposable-emails` lacks, sorted (written by build.rs).\n\
         static MAILCHECKER_EXTRA: &[&str] = &[\n",
    );
    for domain in &extra {
        writeln!(out, "    {domain:?},").expect("writing to a String");
    }
    out.push_str("];\n");
    let path =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("mailchecker_extra.rs");
    fs::write(&path, out).expect("cannot write mailchecker_extra.rs");
    println!("cargo::rerun-if-changed=build.rs");
}

//! `cargo deny` over the workspace with `deny.toml`: licences from the allow-list, crates only
//! from crates.io or the workspace, every duplicate version reviewed.
//!
//! The advisory check needs the RustSec database (a git clone from GitHub), which CI cannot
//! reach: `.github/workflows/release.yml` runs `cargo deny check advisories` instead.

use crate::cargo_tools::{cargo_subcommand, CARGO_DENY};
use crate::tools::run;

/// `cargo deny check licenses bans sources`, or with `advisories` only
/// `cargo deny check advisories` (it fetches the RustSec database).
pub fn check(advisories: bool) -> Result<(), String> {
    let mut deny = cargo_subcommand(&CARGO_DENY)?;
    deny.args(["--locked", "check", "--show-stats"]);
    if advisories {
        deny.arg("advisories");
    } else {
        deny.args(["licenses", "bans", "sources"]);
    }
    run(&mut deny)
}

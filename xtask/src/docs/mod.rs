//! `cargo xtask docs`: one offline site in target/docs — the guide (docs/*.md), the reference
//! of each surface (rustdoc, TypeDoc, pdoc, every CLI command's help), the Performance page —
//! then a link check, a look at it in headless Chromium, and every code block of the READMEs
//! and the guide run in its own language.

mod artifacts;
mod blocks;
mod browser;
mod claims;
mod links;
mod markdown;
mod reference;
mod site;

use crate::tools::target_dir;

/// Builds the site and checks it: 0 warnings from any generator, 0 broken links, no failed
/// request or console error in Chromium.
pub fn run() -> Result<(), String> {
    let out = target_dir().join("docs");
    crate::dist::fresh_dir(&out)?;
    let vivamo = reference::cli_binary()?;
    claims::check(&vivamo)?;
    let pages = site::build_guide(&out)?;
    reference::rust(&out)?;
    reference::cli(&out)?;
    let built = artifacts::find_or_build()?;
    let node_tools = artifacts::node_tools(&built)?;
    reference::node(&out, &node_tools)?;
    let python = artifacts::python_venv(&built)?;
    reference::python(&out, &python)?;
    site::write_reference_index(&out)?;
    let checked = links::check(&out)?;
    println!("docs: {pages} guide pages, {checked} links checked, 0 broken");
    browser::check(&out, &node_tools)?;
    blocks::run_all(&node_tools, &python, &vivamo)?;
    println!("docs: the site is in {}", out.join("index.html").display());
    Ok(())
}

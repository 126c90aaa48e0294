//! Opens the site from disk in headless Chromium (Debian's `chromium`, installed with apt-get
//! when missing, driven by playwright-core) and fails on any failed request, any request
//! that leaves the disk, any console error or uncaught exception; leaves a screenshot of the
//! front page in target/docs-screenshot.png.

use std::path::Path;
use std::process::Command;

use super::artifacts::NodeTools;
use super::site::PAGES;
use crate::tools::{run, target_dir};

/// Where Debian's chromium lives.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs Debian's `chromium` with apt-get unless it is there.
pub fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).is_file() {
        return Ok(());
    }
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The visit, as a Node script run by the docs tools' project.
const SCRIPT: &str = r#"
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');
const [site, shot, ...pages] = process.argv.slice(2);
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  let requests = 0;
  page.on('request', (r) => {
    requests += 1;
    if (!/^(file|data|about):/.test(r.url())) problems.push(`a request off the disk: ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed request ${r.url()}: ${r.failure()?.errorText}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught exception on ${page.url()}: ${e.message}`));
  for (const entry of pages) {
    // `page.html#id`: the element with that id must be visible once the page has run.
    const [p, id] = entry.split('#');
    const response = await page.goto(pathToFileURL(path.join(site, p)).href, { waitUntil: 'networkidle' });
    if (response && !response.ok()) problems.push(`${p}: status ${response.status()}`);
    if (id && !(await page.locator(`[id="${id}"]`).first().isVisible())) problems.push(`${p}: #${id} is not visible`);
  }
  await page.goto(pathToFileURL(path.join(site, 'index.html')).href, { waitUntil: 'networkidle' });
  await page.screenshot({ path: shot });
  await browser.close();
  console.log(`chromium: ${pages.length} pages opened from disk, ${requests} requests, ${problems.length} problems`);
  if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
})().catch((e) => { console.error(e); process.exit(1); });
"#;

/// Visits the front page, every page of the guide and the entry page of each reference, and
/// checks that a member of a Node and of a Python class is shown.
pub fn check(site: &Path, tools: &NodeTools) -> Result<(), String> {
    ensure_chromium()?;
    let script = tools.dir.join("visit-site.cjs");
    std::fs::write(&script, SCRIPT)
        .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    let mut pages: Vec<String> = PAGES
        .iter()
        .map(|(f, _)| f.replace(".md", ".html"))
        .collect();
    pages.extend(
        [
            "cli/index.html",
            "rust/index.html",
            "rust/vivamo/index.html",
            "rust/vivamo/struct.Client.html",
            "node/index.html",
            // A member of a class: TypeDoc hides members it counts as external.
            "node/classes/index.Vivamo.html#withoptions",
            "python/vivamo.html#Client",
            "python/index.html",
            "python/vivamo.html",
            "python/vivamo/testing.html",
            "python/vivamo/types.html",
        ]
        .map(String::from),
    );
    let shot = target_dir().join("docs-screenshot.png");
    run(Command::new("node")
        .arg(&script)
        .arg(site)
        .arg(&shot)
        .args(&pages)
        .env("CHROMIUM", CHROMIUM)
        .current_dir(&tools.dir))?;
    println!("docs: screenshot of the front page in {}", shot.display());
    Ok(())
}

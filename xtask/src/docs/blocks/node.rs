//! JavaScript and TypeScript blocks. Each JavaScript block is written as an ES module into the
//! docs' Node project (the packed package installed as users install it) and run with `node`
//! against a `vivamo-sandbox` whose URL and key are in `VIVAMO_*`; every block is then
//! type-checked with `tsc --strict` (`--checkJs` for JavaScript) against the package's
//! typings. A fragment (no `import`) gets the names it assumes: the package's exports,
//! `vivamo` (a client), `request`, `audit`.

use std::fs;
use std::process::Command;

use super::{file_stem, Block};
use crate::docs::artifacts::NodeTools;
use crate::tools::{describe, sandbox_binary, start_sandbox};

/// What a fragment is prefixed with.
const PRELUDE: &str = "import * as vivamoPackage from 'vivamo';
const { Vivamo, APIUserAbortError, NotFoundError, VivamoError, ValidationError, webhooks, WebhookSignatureError, normalizePhone, validateCustomer } = vivamoPackage;
const vivamo = new Vivamo();
/** @param {...unknown} args */
const audit = (...args) => console.log('audit:', ...args);
const request = { externalCustomerId: 'user_124', data: { email: 'max@example.com' } };
";

/// The source of a block as a module: standalone, or a fragment in a scope after the prelude.
fn module(block: &Block) -> String {
    let standalone = block
        .code
        .lines()
        .any(|l| l.starts_with("import ") || l.starts_with("export ") || l.contains("require("));
    let jane = if block.needs_jane() {
        "await vivamo.customers.create({ externalCustomerId: 'user_123', data: { email: 'jane@example.com' } });\n"
    } else {
        ""
    };
    match standalone {
        true => block.code.clone(),
        false => format!("{PRELUDE}{jane}{{\n{}}}\nexport {{}};\n", block.code),
    }
}

/// Runs the runnable JavaScript blocks, then type-checks every block of `lang`.
pub fn run(
    tools: &NodeTools,
    lang: &str,
    runnable: &[Block],
    norun: &[Block],
) -> Result<(), String> {
    let dir = tools.dir.join(format!("blocks-{lang}"));
    crate::dist::fresh_dir(&dir)?;
    let ext = if lang == "typescript" { "mts" } else { "mjs" };
    let sandbox = sandbox_binary(false)?;
    let mut failures = Vec::new();
    let mut files = Vec::new();
    for block in runnable.iter().chain(norun) {
        let file = dir.join(format!("{}.{ext}", file_stem(block)));
        fs::write(&file, module(block))
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        files.push((block, file));
    }
    if lang == "javascript" {
        for (block, file) in files.iter().filter(|(b, _)| !b.norun) {
            let mut command = Command::new(&sandbox);
            command.args(["--port", "0"]);
            let (_running, url) = start_sandbox(command)?;
            let output = Command::new("node")
                .arg(file)
                .env("VIVAMO_BASE_URL", &url)
                .env("VIVAMO_API_KEY", "sk_test_vivamo_sandbox")
                .env("VIVAMO_ENVIRONMENT", "sandbox")
                .env("VIVAMO_WEBHOOK_SECRET", "whsec_docs")
                .env_remove("VIVAMO_LOG")
                .current_dir(&tools.dir)
                .output()
                .map_err(|e| format!("could not run node: {e}"))?;
            if !output.status.success() {
                failures.push(format!(
                    "{} (node): {}",
                    block.place,
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
            }
        }
        for (block, file) in files.iter().filter(|(b, _)| b.norun) {
            let output = Command::new("node")
                .arg("--check")
                .arg(file)
                .output()
                .map_err(|e| e.to_string())?;
            if !output.status.success() {
                failures.push(format!(
                    "{} (node --check): {}",
                    block.place,
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
            }
        }
    }
    // Type-check: every block that does not lean on a test runner's globals.
    let typed: Vec<&(&Block, std::path::PathBuf)> = files
        .iter()
        .filter(|(b, _)| lang == "typescript" || !b.norun)
        .collect();
    if !typed.is_empty() {
        let mut tsc = Command::new(tools.dir.join("node_modules/.bin/tsc"));
        tsc.args([
            "--noEmit",
            "--strict",
            "--allowJs",
            "--checkJs",
            "--skipLibCheck",
        ])
        .args([
            "--target",
            "es2022",
            "--lib",
            "es2022,dom",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
        ])
        .args(["--types", "node"])
        .args(typed.iter().map(|(_, f)| f))
        .current_dir(&tools.dir);
        let shown = describe(&tsc);
        let output = tsc
            .output()
            .map_err(|e| format!("could not run {shown}: {e}"))?;
        if !output.status.success() {
            let mut report = String::from_utf8_lossy(&output.stdout).into_owned();
            for (block, file) in &typed {
                let name = file
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                report = report.replace(
                    &format!("blocks-{lang}/{name}"),
                    &format!("{} [{name}]", block.place),
                );
            }
            failures.push(format!("tsc --strict: {}", report.trim()));
        }
    }
    match failures.is_empty() {
        true => Ok(()),
        false => Err(failures.join("\n")),
    }
}

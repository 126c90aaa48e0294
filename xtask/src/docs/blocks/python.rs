//! Python blocks: each runs in its own interpreter, in the docs venv (the wheel as users
//! install it), against an in-process `vivamo.testing.Sandbox` whose URL and key are in
//! `VIVAMO_*`; the names a fragment assumes (`vivamo`, `client`, `sandbox`, `audit`) are defined.
//! `norun` blocks are compiled.

use std::fs;
use std::process::Command;

use super::{file_stem, Block};
use crate::docs::artifacts::PythonVenv;
use crate::tools::target_dir;

/// The harness: compiles the block, and unless told `compile`, runs it against a sandbox.
const HARNESS: &str = r#"
import os, sys
path, mode, jane = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
with open(path, encoding="utf-8") as f:
    code = compile(f.read(), path, "exec")
if mode == "compile":
    sys.exit(0)
import vivamo
from vivamo.testing import Sandbox
with Sandbox() as sandbox:
    os.environ.update(VIVAMO_BASE_URL=sandbox.url, VIVAMO_API_KEY=sandbox.api_key,
                      VIVAMO_ENVIRONMENT="sandbox", VIVAMO_WEBHOOK_SECRET="whsec_docs")
    with sandbox.client() as client:
        if jane:
            client.customers.create("user_123", {"email": "jane@example.com"})
        names = {"__name__": "__main__", "client": client, "sandbox": sandbox, "vivamo": vivamo,
                 "audit": lambda *a: print("audit:", *a)}
        exec(code, names)
"#;

/// Runs `runnable`, compiles `norun`; every failure is listed.
pub fn run(venv: &PythonVenv, runnable: &[Block], norun: &[Block]) -> Result<(), String> {
    let dir = target_dir().join("xtask/docs-blocks/python");
    crate::dist::fresh_dir(&dir)?;
    let harness = dir.join("harness.py");
    fs::write(&harness, HARNESS).map_err(|e| format!("cannot write {}: {e}", harness.display()))?;
    let mut failures = Vec::new();
    for (block, mode) in runnable
        .iter()
        .map(|b| (b, "run"))
        .chain(norun.iter().map(|b| (b, "compile")))
    {
        let file = dir.join(format!("{}.py", file_stem(block)));
        fs::write(&file, &block.code)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        let output = Command::new(&venv.python)
            .arg(&harness)
            .arg(&file)
            .arg(mode)
            .arg(if block.needs_jane() { "1" } else { "0" })
            .env_remove("VIVAMO_LOG")
            .current_dir(&dir)
            .output()
            .map_err(|e| format!("could not run python: {e}"))?;
        if !output.status.success() {
            failures.push(format!(
                "{} ({mode}): {}",
                block.place,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
    }
    match failures.is_empty() {
        true => Ok(()),
        false => Err(failures.join("\n")),
    }
}

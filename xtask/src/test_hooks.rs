//! Test hooks: the native functions the suites use to provoke a failure (a deliberate Rust
//! panic) exist only with the bindings' `test-hooks` feature. `cargo xtask test-hooks` builds
//! the addon and the wheel with it (dev profile, this machine) and runs the tests that need
//! them; `cargo xtask dist` checks that no release artifact carries a hook.

use std::path::Path;
use std::process::Command;

use crate::dist::Target;
use crate::tools::{python3, run, target_dir};

/// The names of the hooks, as they appear in a binary that has them.
const HOOKS: &[&str] = &["__panicForTests", "_panic_for_tests"];

/// Builds the addon and the wheel with the hooks and runs the tests marked as needing them:
/// `bindings/node/__test__/hooks/*.test.mjs` and pytest's `-m test_hooks`.
pub fn run_tests() -> Result<(), String> {
    let target = Target::host()?;
    let work = target_dir().join("xtask/hooks");
    let (main, platform) = crate::node::package_with_hooks(&target, &work.join("npm"))?;
    let project = crate::node::install_packed(&[main, platform], &work.join("node"))?;
    let pkg = crate::tools::project_root().join("bindings/node");
    crate::node::copy_tree(&pkg.join("__test__"), &project.join("__test__"))?;
    let sandbox = crate::tools::sandbox_binary(false)?;
    let count = crate::node::node_tests(Path::new("node"), &project, "__test__/hooks", |cmd| {
        cmd.env("VIVAMO_SANDBOX_BIN", &sandbox);
    })?;
    println!("test-hooks: {count} Node test(s) passed");
    let wheel = crate::python::wheel_with_hooks(&work.join("wheel"))?;
    crate::python::test_hooks(&wheel)
}

/// Fails when a file inside one of the release `artifacts` (npm tarballs, wheels: every
/// member, the native libraries included) names a test hook.
pub fn check_none_in(artifacts: &[&Path]) -> Result<(), String> {
    let script = r#"
import sys, tarfile, zipfile
hooks = [h.encode() for h in sys.argv[1].split(",")]
found = []
for path in sys.argv[2:]:
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            members = [(n, z.read(n)) for n in z.namelist()]
    else:
        with tarfile.open(path) as t:
            members = [(m.name, t.extractfile(m).read()) for m in t.getmembers() if m.isfile()]
    here = ["%s: %s names %s" % (path, name, h.decode()) for name, data in members for h in hooks if h in data]
    found += here
    if not here:
        print("test hooks: none in %s (%d files)" % (path, len(members)))
if found:
    sys.exit("\n".join(found))
"#;
    run(Command::new(python3())
        .args(["-c", script, &HOOKS.join(",")])
        .args(artifacts))
}

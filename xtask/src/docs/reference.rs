//! The reference of each surface: rustdoc of the published crates, TypeDoc over the npm
//! package's typings, pdoc over the installed wheel and its stubs, and every CLI command's
//! `--help`. Each generator runs with its warnings as errors.

use std::fs;
use std::path::Path;
use std::process::Command;

use super::artifacts::{NodeTools, PythonVenv};
use super::markdown::{escape, slug};
use super::site::page;
use crate::tools::{cargo, describe, run, target_dir};

/// The published library crates, documented as docs.rs documents them.
pub const RUST_CRATES: &[&str] = &["vivamo", "vivamo-api", "vivamo-rules", "vivamo-sandbox"];

/// The Python modules of the reference.
pub const PYTHON_MODULES: &[&str] = &[
    "vivamo",
    "vivamo.testing",
    "vivamo.types",
    "vivamo.webhooks",
];

/// rustdoc of [`RUST_CRATES`] into `out/rust`, `-D warnings` (broken intra-doc links,
/// invalid HTML, bare URLs …) and `-D missing_docs`.
pub fn rust(out: &Path) -> Result<(), String> {
    let mut doc = cargo();
    doc.args(["doc", "--no-deps"]);
    for name in RUST_CRATES {
        doc.args(["--package", name]);
    }
    // docs.rs builds with every feature of `[package.metadata.docs.rs]`; the defaults here.
    doc.env("RUSTDOCFLAGS", "-D warnings -D missing_docs");
    run(&mut doc)?;
    let built = target_dir().join("doc");
    let rust = out.join("rust");
    fs::create_dir_all(&rust).map_err(|e| format!("cannot create {}: {e}", rust.display()))?;
    let mut entries: Vec<String> = RUST_CRATES.iter().map(|c| c.replace('-', "_")).collect();
    entries.extend(
        [
            "static.files",
            "search.index",
            "search-index.js",
            "crates.js",
            "trait.impl",
            "type.impl",
            "src",
            "help.html",
            "settings.html",
            "src-files.js",
        ]
        .map(String::from),
    );
    for entry in entries {
        let from = built.join(&entry);
        if from.is_dir() {
            crate::node::copy_tree(&from, &rust.join(&entry))?;
        } else if from.is_file() {
            crate::dist::copy(&from, &rust.join(&entry))?;
        }
    }
    Ok(())
}

/// The help of `vivamo ARGS… --help`.
fn help(vivamo: &Path, args: &[String]) -> Result<String, String> {
    let mut cmd = Command::new(vivamo);
    cmd.args(args).arg("--help").env_remove("VIVAMO_API_KEY");
    let output = cmd
        .output()
        .map_err(|e| format!("could not run {}: {e}", describe(&cmd)))?;
    if !output.status.success() {
        return Err(format!("`{}` failed", describe(&cmd)));
    }
    String::from_utf8(output.stdout).map_err(|e| e.to_string())
}

/// The subcommands a help text lists under `Commands:` (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// Every command of the CLI with its help: (`vivamo customers create`, help text), depth first.
pub fn all_help(vivamo: &Path) -> Result<Vec<(Vec<String>, String)>, String> {
    let mut todo = vec![Vec::new()];
    let mut found = Vec::new();
    while let Some(args) = todo.pop() {
        let text = help(vivamo, &args)?;
        for sub in subcommands(&text).into_iter().rev() {
            let mut child = args.clone();
            child.push(sub);
            todo.push(child);
        }
        found.push((args, text));
    }
    Ok(found)
}

/// Builds the `vivamo` command and returns its path.
pub fn cli_binary() -> Result<std::path::PathBuf, String> {
    run(cargo().args(["build", "--package", "vivamo-cli", "--bin", "vivamo"]))?;
    Ok(target_dir().join("debug/vivamo"))
}

/// cli/index.html: every command's `--help`, one section each, and `vivamo-sandbox --help`.
pub fn cli(out: &Path) -> Result<(), String> {
    let vivamo = cli_binary()?;
    let mut body = String::from(
        "<h1>CLI reference</h1><p>The output of <code>--help</code> of every command of \
         <code>vivamo</code> (this page is generated from the binary), then of \
         <code>vivamo-sandbox</code>.</p><ul>",
    );
    let commands = all_help(&vivamo)?;
    for (args, _) in &commands {
        let name = std::iter::once("vivamo".to_string())
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        body.push_str(&format!(
            "<li><a href=\"#{}\"><code>{name}</code></a></li>",
            slug(&name)
        ));
    }
    body.push_str(
        "<li><a href=\"#the-vivamo-sandbox-binary\"><code>vivamo-sandbox</code></a></li></ul>",
    );
    for (args, text) in &commands {
        let name = std::iter::once("vivamo".to_string())
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        body.push_str(&format!(
            "<h2 id=\"{}\"><code>{name}</code></h2><pre>{}</pre>",
            slug(&name),
            escape(text)
        ));
    }
    let sandbox = crate::tools::sandbox_binary(false)?;
    let output = Command::new(&sandbox)
        .arg("--help")
        .output()
        .map_err(|e| format!("could not run {}: {e}", sandbox.display()))?;
    body.push_str(&format!(
        "<h2 id=\"the-vivamo-sandbox-binary\"><code>vivamo-sandbox</code></h2><pre>{}</pre>",
        escape(&String::from_utf8_lossy(&output.stdout))
    ));
    let dir = out.join("cli");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    fs::write(dir.join("index.html"), page("CLI reference", &body, 1, ""))
        .map_err(|e| format!("cannot write cli/index.html: {e}"))?;
    println!(
        "docs: cli/ holds the help of {} commands",
        commands.len() + 1
    );
    Ok(())
}

/// TypeDoc over the typings of the installed package (`vivamo` and `vivamo/testing`) into
/// `out/node`, warnings as errors.
pub fn node(out: &Path, tools: &NodeTools) -> Result<(), String> {
    let package = tools.dir.join("node_modules/vivamo");
    run(Command::new(tools.dir.join("node_modules/.bin/typedoc"))
        .arg("--entryPoints")
        .arg(package.join("index.d.ts"))
        .arg("--entryPoints")
        .arg(package.join("testing.d.ts"))
        .args(["--name", "vivamo (Node.js)", "--treatWarningsAsErrors"])
        // An offline site: no links to a git host (and no warning about the clone's remote).
        .arg("--disableSources")
        // The package is read from node_modules, which TypeDoc counts as external, and its
        // pages hide external members by default: every class page would look empty.
        .args(["--externalPattern", "**/node_modules/!(vivamo)/**"])
        .args(["--readme", "none", "--out"])
        .arg(out.join("node"))
        .current_dir(&tools.dir))?;
    inline_icon_references(&out.join("node"))
}

/// Points TypeDoc's `<use href="…assets/icons.svg#icon-x">` at `#icon-x`. Its `icons.js`
/// copies the sprite into every page and, under `file:`, rewrites those references itself —
/// but only once it has run: Chromium has already refused to load the sprite across `file:`
/// origins by then, a failed request and a console error on every page opened from disk.
fn inline_icon_references(dir: &Path) -> Result<(), String> {
    let mut pages = Vec::new();
    super::links::html_files(dir, &mut pages)?;
    for path in pages {
        let html = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut rewritten = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(at) = rest.find("icons.svg#icon-") {
            // Back to the opening quote of the attribute value.
            let start = rest[..at].rfind('"').map_or(at, |q| q + 1);
            rewritten.push_str(&rest[..start]);
            rest = &rest[at + "icons.svg".len()..];
        }
        rewritten.push_str(rest);
        if rewritten != html {
            fs::write(&path, rewritten)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// pdoc over the installed wheel (its `.pyi` stubs give the compiled module's signatures)
/// into `out/python`; any warning pdoc prints fails the build.
pub fn python(out: &Path, venv: &PythonVenv) -> Result<(), String> {
    let mut cmd = Command::new(&venv.python);
    cmd.args([
        "-W",
        "error",
        "-m",
        "pdoc",
        "--no-search",
        "--output-directory",
    ])
    .arg(out.join("python"))
    // pdoc walks `vivamo`'s public submodules in its `__all__` (`vivamo.webhooks`); a
    // module named twice is a warning, so only the others are named.
    .args(["vivamo", "vivamo.testing", "vivamo.types"])
    .current_dir(target_dir());
    let shown = describe(&cmd);
    println!("$ {shown}");
    let output = cmd
        .output()
        .map_err(|e| format!("could not run {shown}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || stderr.contains("Warn") {
        return Err(format!("`{shown}` failed or warned:\n{stderr}"));
    }
    for module in PYTHON_MODULES {
        let page = out
            .join("python")
            .join(format!("{}.html", module.replace('.', "/")));
        if !page.is_file() {
            return Err(format!(
                "pdoc wrote no page for {module} ({})",
                page.display()
            ));
        }
    }
    Ok(())
}

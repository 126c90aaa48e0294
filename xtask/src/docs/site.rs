//! The guide: every page of docs/ rendered into the site's template, in the order of
//! [`PAGES`], and the Performance page from the latest bench report.

use std::fs;
use std::path::Path;

use super::markdown::{escape, render};
use crate::tools::{project_root, target_dir};

/// The guide's pages, in reading order: (file under docs/, title in the navigation).
pub const PAGES: &[(&str, &str)] = &[
    ("index.md", "Overview"),
    ("install.md", "Install"),
    ("quickstart.md", "Quickstarts"),
    ("environments.md", "Environments and keys"),
    ("errors.md", "Errors"),
    ("rules.md", "Vivamo's rules"),
    ("retries.md", "Retries and exactly-once creates"),
    ("pagination.md", "Pagination"),
    ("request-options.md", "Request options"),
    ("kyc.md", "KYC"),
    ("webhooks.md", "Webhooks"),
    ("sandbox.md", "The sandbox and tests"),
    ("cli.md", "The CLI"),
    ("bulk-import.md", "Bulk import"),
    ("performance.md", "Performance"),
];

/// The reference sections: (path in the site, title in the navigation).
pub const REFERENCE: &[(&str, &str)] = &[
    ("rust/index.html", "Rust (rustdoc)"),
    ("node/index.html", "Node.js (TypeDoc)"),
    ("python/index.html", "Python (pdoc)"),
    ("cli/index.html", "CLI (every --help)"),
];

/// Where the Performance page marks the place of the bench report.
const REPORT_MARKER: &str = "<!-- bench report -->";

/// The navigation, with links relative to a page `depth` folders below the site's root.
fn nav(depth: usize, current: &str) -> String {
    let up = "../".repeat(depth);
    let mut html = String::from("<nav><p class=\"brand\"><a href=\"");
    html.push_str(&format!("{up}index.html\">vivamo</a></p><p>Guide</p><ul>"));
    for (file, title) in PAGES {
        let href = file.replace(".md", ".html");
        let class = if href == current {
            " class=\"here\""
        } else {
            ""
        };
        html.push_str(&format!(
            "<li><a{class} href=\"{up}{href}\">{title}</a></li>"
        ));
    }
    html.push_str("</ul><p>Reference</p><ul>");
    for (href, title) in REFERENCE {
        html.push_str(&format!(
            "<li><a href=\"{up}{href}\">{}</a></li>",
            escape(title)
        ));
    }
    html.push_str("</ul></nav>");
    html
}

/// A whole HTML page in the site's template; `depth` is how many folders below the root.
pub fn page(title: &str, body: &str, depth: usize, current: &str) -> String {
    let up = "../".repeat(depth);
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · vivamo</title><link rel=\"icon\" href=\"data:,\">\
         <link rel=\"stylesheet\" href=\"{up}style.css\"></head>\n<body>{}\n<main>{body}</main></body></html>\n",
        escape(title),
        nav(depth, current),
    )
}

/// The Markdown of a page: docs/FILE, and for the Performance page the bench report
/// (target/bench/report.md) in place of the marker when a bench has run.
fn source(file: &str) -> Result<String, String> {
    let path = project_root().join("docs").join(file);
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let report = target_dir().join("bench/report.md");
    match (text.split_once(REPORT_MARKER), fs::read_to_string(&report)) {
        (Some((before, _)), Ok(report)) => {
            println!(
                "docs: the Performance page shows {}",
                report_path_note(&report)
            );
            Ok(format!(
                "{before}The report of the last `cargo xtask bench` on the machine that built this site:\n\n{}",
                strip_title(&report)
            ))
        }
        (Some((before, after)), Err(_)) => Ok(format!("{before}{after}")),
        (None, _) => Ok(text),
    }
}

fn report_path_note(report: &str) -> String {
    format!("target/bench/report.md ({} lines)", report.lines().count())
}

/// The report without its own `# ` title.
fn strip_title(report: &str) -> &str {
    match report.strip_prefix("# ") {
        Some(rest) => rest.split_once('\n').map(|(_, r)| r).unwrap_or(""),
        None => report,
    }
}

/// Renders every page of [`PAGES`] into `out` with the stylesheet; fails on a Markdown file
/// of docs/ that no entry lists. Returns the number of pages.
pub fn build_guide(out: &Path) -> Result<usize, String> {
    let docs = project_root().join("docs");
    for entry in fs::read_dir(&docs).map_err(|e| format!("cannot read {}: {e}", docs.display()))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".md") && !PAGES.iter().any(|(file, _)| *file == name) {
            return Err(format!(
                "docs/{name} is not in the navigation (xtask/src/docs/site.rs PAGES)"
            ));
        }
    }
    for (file, _) in PAGES {
        let rendered = render(&format!("docs/{file}"), &source(file)?);
        if rendered.title.is_empty() {
            return Err(format!("docs/{file} has no `# ` title"));
        }
        let href = file.replace(".md", ".html");
        fs::write(
            out.join(&href),
            page(&rendered.title, &rendered.body, 0, &href),
        )
        .map_err(|e| format!("cannot write {href}: {e}"))?;
    }
    crate::dist::copy(&docs.join("style.css"), &out.join("style.css"))?;
    Ok(PAGES.len())
}

/// The entry page of each reference section that has none of its own: rust/ (one link per
/// crate) and python/ (one per module).
pub fn write_reference_index(out: &Path) -> Result<(), String> {
    let crates: String = super::reference::RUST_CRATES
        .iter()
        .map(|c| {
            let dir = c.replace('-', "_");
            format!("<li><a href=\"{dir}/index.html\"><code>{c}</code></a></li>")
        })
        .collect();
    let rust = format!(
        "<h1>Rust reference</h1><p>rustdoc of the published crates, built with warnings as \
         errors (the same as docs.rs builds).</p><ul>{crates}</ul>"
    );
    fs::write(
        out.join("rust/index.html"),
        page("Rust reference", &rust, 1, ""),
    )
    .map_err(|e| format!("cannot write rust/index.html: {e}"))?;
    let modules: String = super::reference::PYTHON_MODULES
        .iter()
        .map(|m| {
            let file = m.replace('.', "/");
            format!("<li><a href=\"{file}.html\"><code>{m}</code></a></li>")
        })
        .collect();
    let python = format!(
        "<h1>Python reference</h1><p>pdoc over the installed wheel and its type stubs.</p>\
         <ul>{modules}</ul>"
    );
    fs::write(
        out.join("python/index.html"),
        page("Python reference", &python, 1, ""),
    )
    .map_err(|e| format!("cannot write python/index.html: {e}"))
}

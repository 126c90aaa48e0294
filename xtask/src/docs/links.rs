//! The link check: every relative `href` and `src` of the site's own pages (the guide, the
//! CLI reference, the reference indexes) and of the Node and Python reference must name a
//! file of the site, and its `#anchor` an `id` in that file. rustdoc checks its own links
//! (`-D warnings` denies broken intra-doc links).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.html` file under `dir`, recursively.
pub fn html_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            html_files(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    Ok(())
}

/// The values of every `NAME="…"` attribute in `html`, unescaped.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&needle) {
        rest = &rest[start + needle.len()..];
        if let Some(end) = rest.find('"') {
            values.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    values
}

/// Checks the links of every page under `site` except rust/; returns how many it checked.
pub fn check(site: &Path) -> Result<usize, String> {
    let mut pages = Vec::new();
    html_files(site, &mut pages)?;
    pages.retain(|p| !p.starts_with(site.join("rust")) || p == &site.join("rust/index.html"));
    let mut ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let html =
            fs::read_to_string(page).map_err(|e| format!("cannot read {}: {e}", page.display()))?;
        let dir = page.parent().expect("a page is in a folder");
        // An anchor named twice on one of the site's own pages leads to the first only.
        let own = !page.starts_with(site.join("node")) && !page.starts_with(site.join("python"));
        let mut page_ids = if own {
            attribute_values(&html, "id")
        } else {
            Vec::new()
        };
        page_ids.sort();
        for pair in page_ids.windows(2).filter(|p| p[0] == p[1]) {
            broken.push(format!(
                "{}: the id #{} is given twice",
                page.display(),
                pair[0]
            ));
        }
        for link in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if link.is_empty()
                || link.contains("://")
                || ["mailto:", "data:", "javascript:"]
                    .iter()
                    .any(|p| link.starts_with(p))
            {
                continue;
            }
            checked += 1;
            let (path, anchor) = match link.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                page.clone()
            } else {
                dir.join(path)
            };
            let target = normalize(&target);
            let shown = || {
                format!(
                    "{} → {link}",
                    page.strip_prefix(site).unwrap_or(page).display()
                )
            };
            if !target.is_file() {
                broken.push(format!("{}: no such file", shown()));
                continue;
            }
            let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
                continue;
            };
            let known = match ids.get(&target) {
                Some(known) => known,
                None => {
                    let text = fs::read_to_string(&target).unwrap_or_default();
                    let mut found = attribute_values(&text, "id");
                    found.extend(attribute_values(&text, "name"));
                    // TypeDoc's icons.js copies the symbols of its sprite into the page.
                    for script in attribute_values(&text, "src") {
                        if script.ends_with("assets/icons.js") {
                            let sprite = normalize(&target.parent().unwrap_or(site).join(&script))
                                .with_file_name("icons.svg");
                            let sprite = fs::read_to_string(&sprite).unwrap_or_default();
                            found.extend(attribute_values(&sprite, "id"));
                        }
                    }
                    ids.entry(target.clone()).or_insert(found)
                }
            };
            // pdoc links an inherited attribute under the subclass (`#APIError.status_code`)
            // but gives it an anchor only on the class that declares it
            // (`#VivamoError.status_code`): on its pages, such a link is satisfied by the
            // attribute of any class of the page.
            let inherited = target.starts_with(site.join("python"))
                && anchor.split_once('.').is_some_and(|(_, member)| {
                    known
                        .iter()
                        .any(|id| id.split_once('.').is_some_and(|(_, m)| m == member))
                });
            if !known.iter().any(|id| id == anchor) && !inherited {
                broken.push(format!("{}: no anchor #{anchor}", shown()));
            }
        }
    }
    if broken.is_empty() {
        Ok(checked)
    } else {
        Err(format!(
            "{} broken link(s):\n  {}",
            broken.len(),
            broken.join("\n  ")
        ))
    }
}

/// `a/b/../c` to `a/c`.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_or_anchor_is_broken() {
        let site = std::env::temp_dir().join(format!("vivamo-links-{}", std::process::id()));
        let _ = fs::remove_dir_all(&site);
        fs::create_dir_all(site.join("cli")).unwrap();
        fs::write(
            site.join("index.html"),
            "<h1 id=\"top\">x</h1><a href=\"cli/index.html#ok\">a</a> <a href=\"#top\">b</a>",
        )
        .unwrap();
        fs::write(
            site.join("cli/index.html"),
            "<h2 id=\"ok\">x</h2><a href=\"../index.html\">c</a>",
        )
        .unwrap();
        assert_eq!(check(&site), Ok(3));
        fs::write(site.join("cli/index.html"), "<h2 id=\"ok\">x</h2><a href=\"../index.html#gone\">c</a> <a href=\"../nope.html\">d</a>").unwrap();
        let err = check(&site).unwrap_err();
        assert!(
            err.contains("no anchor #gone") && err.contains("nope.html: no such file"),
            "{err}"
        );
        let _ = fs::remove_dir_all(&site);
    }
}

//! Checks of what the READMEs and the guide say about the command line and the SDKs:
//! every `--flag` shown on a `vivamo …` or `vivamo-sandbox …` command line exists in that
//! command's `--help`; `vivamo sandbox` takes every flag of `vivamo-sandbox` under the same
//! name; and sentences once found false do not come back.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::reference::all_help;
use crate::tools::project_root;

/// The Markdown files whose claims are checked: the three READMEs and every guide page.
pub fn documents() -> Result<Vec<String>, String> {
    let mut files = vec![
        "README.md".to_string(),
        "bindings/node/README.md".to_string(),
        "bindings/python/README.md".to_string(),
    ];
    let docs = project_root().join("docs");
    let mut pages: Vec<String> = fs::read_dir(&docs)
        .map_err(|e| format!("cannot read {}: {e}", docs.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    pages.sort();
    files.extend(pages);
    Ok(files)
}

/// Sentences that were false, with what is true instead. A match fails the build.
const FALSE_CLAIMS: &[(&str, &str)] = &[
    (
        "every result carries `_request_id`",
        "approve/reject return a string, and list_all / kyc_for_review items carry none: name the results that carry it",
    ),
    (
        "every returned object carries `_request_id`",
        "name the results that carry it",
    ),
    ("sandbox --key", "the sandbox's key flag is `--api-key`, in vivamo-sandbox and in vivamo sandbox"),
];

/// The `vivamo` / `vivamo-sandbox` command lines of a Markdown text: its inline code and each
/// line of its code blocks that starts one.
fn command_lines(markdown: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_block = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_block = true,
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(text) if in_block => lines.extend(text.lines().map(str::to_string)),
            Event::Code(code) => lines.push(code.to_string()),
            _ => {}
        }
    }
    lines
        .into_iter()
        .map(|l| {
            l.replace("cargo run -p vivamo-cli --", "vivamo")
                .replace("cargo run -p vivamo-sandbox --", "vivamo-sandbox")
        })
        .filter_map(|l| {
            let l = l.trim().trim_start_matches("$ ").to_string();
            let start = l
                .split_whitespace()
                .position(|t| t == "vivamo" || t == "vivamo-sandbox")?;
            // Only where the command starts the line or follows an environment assignment.
            let before: Vec<&str> = l.split_whitespace().take(start).collect();
            before.iter().all(|t| t.contains('=')).then(|| {
                l.split_whitespace()
                    .skip(start)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
        .collect()
}

/// Whether `help` lists the long flag `flag` (`--name`).
fn help_has(help: &str, flag: &str) -> bool {
    help.match_indices(flag).any(|(i, _)| {
        let after = help[i + flag.len()..].chars().next();
        let before = help[..i].chars().last();
        matches!(before, Some(' ' | ',' | '['))
            && matches!(after, None | Some(' ' | ',' | '=' | '<' | ']' | '\n'))
    })
}

/// Checks one command line against the help tree; returns the problems.
fn check_line(line: &str, tree: &BTreeMap<Vec<String>, String>, sandbox_help: &str) -> Vec<String> {
    let mut tokens = line.split_whitespace();
    let program = tokens.next().unwrap_or_default();
    let mut path: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for token in tokens {
        if token == "|"
            || token == "&&"
            || token == ";"
            || token.starts_with('#')
            || token.starts_with('>')
        {
            break;
        }
        let token = token.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')' | '`'));
        if let Some(flag) = token.strip_prefix("--") {
            let flag = format!("--{}", flag.split('=').next().unwrap_or_default());
            let help = if program == "vivamo-sandbox" {
                sandbox_help
            } else {
                tree.get(&path).map(String::as_str).unwrap_or_default()
            };
            if flag.len() > 2 && !help_has(help, &flag) {
                let command = std::iter::once(program.to_string())
                    .chain(path.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(" ");
                problems.push(format!("`{line}`: `{command} --help` has no {flag}"));
            }
        } else if program == "vivamo" && !token.starts_with('-') {
            let mut deeper = path.clone();
            deeper.push(token.to_string());
            if tree.contains_key(&deeper) {
                path = deeper;
            }
        }
    }
    problems
}

/// The long flags of a help text.
fn long_flags(help: &str) -> Vec<String> {
    help.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| t.starts_with("--") && t.len() > 2)
        .map(|t| {
            t.split(['=', '<', '['])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .filter(|f| f != "--help" && f != "--version")
        .collect()
}

/// Runs every check; `vivamo` is the built CLI.
pub fn check(vivamo: &Path) -> Result<(), String> {
    let tree: BTreeMap<Vec<String>, String> = all_help(vivamo)?.into_iter().collect();
    let sandbox = crate::tools::sandbox_binary(false)?;
    let output = Command::new(&sandbox)
        .arg("--help")
        .output()
        .map_err(|e| format!("could not run {}: {e}", sandbox.display()))?;
    let sandbox_help = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut problems = Vec::new();

    // The same flag names for the same sandbox.
    let cli_sandbox = tree
        .get(&vec!["sandbox".to_string()])
        .cloned()
        .unwrap_or_default();
    for flag in long_flags(&sandbox_help) {
        if !help_has(&cli_sandbox, &flag) {
            problems.push(format!(
                "`vivamo-sandbox` takes {flag} but `vivamo sandbox` does not"
            ));
        }
    }

    let mut lines = 0;
    for file in documents()? {
        let text = fs::read_to_string(project_root().join(&file))
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        for line in command_lines(&text) {
            lines += 1;
            problems.extend(
                check_line(&line, &tree, &sandbox_help)
                    .into_iter()
                    .map(|p| format!("{file}: {p}")),
            );
        }
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for (claim, truth) in FALSE_CLAIMS {
            if flat.contains(claim) {
                problems.push(format!("{file} says \"{claim}\", which is false: {truth}"));
            }
        }
    }
    if problems.is_empty() {
        println!("docs: {lines} command lines of the READMEs and the guide checked against --help");
        Ok(())
    } else {
        Err(format!(
            "the documentation says what is not so:\n  {}",
            problems.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_missing_from_help_is_reported() {
        let mut tree = BTreeMap::new();
        tree.insert(vec![], "Options:\n  --api-key <KEY>  key\n".to_string());
        tree.insert(
            vec!["sandbox".to_string()],
            "Options:\n  --port <PORT>\n  --api-key <KEY>\n".to_string(),
        );
        assert!(check_line("vivamo sandbox --port 4010 --api-key k", &tree, "").is_empty());
        let problems = check_line("vivamo sandbox [--key K]", &tree, "");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(check_line("vivamo-sandbox --api-key k", &tree, "  --api-key <KEY>\n").is_empty());
    }

    #[test]
    fn command_lines_are_found_in_code() {
        let md = "Run `vivamo import f.csv --resume` or:\n\n```sh\nVIVAMO_LOG=debug vivamo -v customers get x\necho vivamo --x\ncargo run -p vivamo-sandbox -- --port 1\n```\n";
        assert_eq!(
            command_lines(md),
            [
                "vivamo import f.csv --resume",
                "vivamo -v customers get x",
                "vivamo-sandbox --port 1"
            ]
        );
    }
}

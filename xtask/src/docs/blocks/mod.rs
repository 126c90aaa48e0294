//! Every code block of the READMEs and the guide, run in its own language against a sandbox:
//! Python blocks executed with the wheel and `vivamo.testing`, JavaScript run with `node`
//! against the packed package and type-checked with `tsc --strict` (TypeScript blocks too),
//! Rust blocks compiled into a generated crate and run, `console` blocks of the CLI run with
//! their output compared. A block marked `norun` in its info string (```` ```python,norun ````:
//! it needs a real account, a web framework's runner, or files of a user's project) is still
//! compiled or type-checked. `sh` blocks (install and build commands) and blocks of other
//! languages are counted as skipped.

mod console;
mod node;
mod python;
mod rust;

use std::collections::BTreeMap;
use std::fs;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::artifacts::{NodeTools, PythonVenv};
use crate::tools::project_root;

/// One fenced code block.
#[derive(Debug, Clone)]
pub struct Block {
    /// `README.md:42`: the file and the line of the fence.
    pub place: String,
    /// The language: the info string's first word.
    pub lang: String,
    /// Marked `norun`: compiled or type-checked, not run.
    pub norun: bool,
    /// The code.
    pub code: String,
}

impl Block {
    /// Whether the block uses `user_123` without creating it (then it is created first).
    pub fn needs_jane(&self) -> bool {
        let creates = ["create(", "ensure(", "create({"].iter().any(|c| {
            self.code.contains(&format!("{c}\"user_123\""))
                || self.code.contains(&format!("{c}'user_123'"))
        }) || self.code.contains("external_customer_id=\"user_123\"")
            || self.code.contains("externalCustomerId: 'user_123'")
            || self.code.contains("NewCustomer::new(\"user_123\"");
        self.code.contains("user_123") && !creates
    }
}

/// The fenced blocks of `file` (a path from the repository root).
pub fn extract(file: &str) -> Result<Vec<Block>, String> {
    let text = fs::read_to_string(project_root().join(file))
        .map_err(|e| format!("cannot read {file}: {e}"))?;
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let line = text[..range.start].lines().count() + 1;
                let mut words = info.split([',', ' ']).filter(|w| !w.is_empty());
                let lang = words.next().unwrap_or_default().to_string();
                let norun = words.any(|w| w == "norun");
                current = Some(Block {
                    place: format!("{file}:{line}"),
                    lang,
                    norun,
                    code: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(block) = current.as_mut() {
                    block.code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    Ok(blocks)
}

/// Per language: run, checked without running (`norun`), skipped.
#[derive(Default)]
pub struct Counts(BTreeMap<String, [usize; 3]>);

impl Counts {
    fn add(&mut self, lang: &str, index: usize, n: usize) {
        self.0.entry(lang.to_string()).or_default()[index] += n;
    }

    fn print(&self) {
        println!("docs: code blocks of the READMEs and the guide, per language (0 failed):");
        for (lang, [run, checked, skipped]) in &self.0 {
            println!("  {lang:<10} {run:>3} run, {checked:>3} compiled/type-checked only (norun), {skipped:>3} skipped");
        }
    }
}

/// Runs every block; fails on the first language with a failing block (after running all of
/// that language's blocks, so one run lists every failure).
pub fn run_all(
    node: &NodeTools,
    python: &PythonVenv,
    vivamo: &std::path::Path,
) -> Result<(), String> {
    let mut blocks = Vec::new();
    for file in super::claims::documents()? {
        blocks.extend(extract(&file)?);
    }
    let mut counts = Counts::default();
    let mut by_lang: BTreeMap<&str, Vec<Block>> = BTreeMap::new();
    for block in &blocks {
        let lang = match block.lang.as_str() {
            "python" | "py" => "python",
            "js" | "javascript" | "mjs" => "javascript",
            "ts" | "typescript" => "typescript",
            "rust" | "rs" => "rust",
            "console" => "console",
            "" => "(none)",
            other => other,
        };
        by_lang.entry(lang).or_default().push(block.clone());
    }
    let mut failures = Vec::new();
    for (lang, blocks) in &by_lang {
        let (runnable, norun): (Vec<Block>, Vec<Block>) =
            blocks.iter().cloned().partition(|b| !b.norun);
        let result = match *lang {
            "python" => python::run(python, &runnable, &norun),
            "javascript" | "typescript" => node::run(node, lang, &runnable, &norun),
            "rust" => rust::run(&runnable, &norun),
            "console" => console::run(vivamo, &runnable),
            _ => {
                counts.add(lang, 2, blocks.len());
                continue;
            }
        };
        match result {
            Ok(()) => {
                counts.add(lang, 0, runnable.len());
                counts.add(lang, 1, norun.len());
            }
            Err(e) => failures.push(format!("{lang}: {e}")),
        }
    }
    counts.print();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "documented code blocks failed:\n{}",
            failures.join("\n")
        ))
    }
}

/// `file.ext` names for blocks: `readme_md_42` from `README.md:42`.
pub fn file_stem(block: &Block) -> String {
    block
        .place
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

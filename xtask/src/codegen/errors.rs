//! The bindings' error classes, from the `error_kinds!` table in crates/vivamo/src/error.rs
//! (each kind's name and doc) and [`CLASSES`] here (each kind's class name in Node and Python
//! and the class it extends: the bindings' names stay out of the Rust SDK's API).
//!
//! The Node and Python SDKs declare one class per kind; their declarations (JavaScript, the
//! `.d.ts`, the ES module's export list and Python's `_errors.py`) are fenced sections
//! rendered here. The table is read from the source with `syn`, so the generator never needs
//! the SDK to build.

use std::fs;
use std::path::Path;

use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Expr, Ident, Item, LitStr, Meta, Token};

use super::output::Output;
use super::text::{docstring, jsdoc, prose};

const SOURCE: &str = "ErrorKind (crates/vivamo/src/error.rs)";
const ERROR_RS: &str = "crates/vivamo/src/error.rs";

/// Bases that are not a kind of their own, declared by hand in each binding.
const BASES: [&str; 2] = ["VivamoError", "APIError"];

/// Each kind's class in the Node and Python SDKs, and the class that one extends (a base or
/// another kind's class), by the kind's name. A kind added to `error_kinds!` needs its row.
const CLASSES: &[(&str, &str, &str)] = &[
    ("validation", "ValidationError", "VivamoError"),
    (
        "customer_already_exists",
        "CustomerAlreadyExistsError",
        "BadRequestError",
    ),
    (
        "email_already_in_use",
        "EmailAlreadyInUseError",
        "BadRequestError",
    ),
    (
        "email_domain_not_supported",
        "EmailDomainNotSupportedError",
        "BadRequestError",
    ),
    ("phone_not_mobile", "PhoneNotMobileError", "BadRequestError"),
    ("bad_request", "BadRequestError", "APIError"),
    ("permission_denied", "PermissionDeniedError", "APIError"),
    ("not_found", "NotFoundError", "APIError"),
    ("conflict", "ConflictError", "APIError"),
    ("rate_limited", "RateLimitError", "APIError"),
    ("server", "InternalServerError", "APIError"),
    ("timeout", "APITimeoutError", "APIConnectionError"),
    ("connection", "APIConnectionError", "VivamoError"),
    ("decode", "DecodeError", "VivamoError"),
    ("config", "ConfigError", "VivamoError"),
    (
        "kyc_not_under_review",
        "KycNotUnderReviewError",
        "BadRequestError",
    ),
    (
        "kyc_not_attempted",
        "KycNotAttemptedError",
        "BadRequestError",
    ),
    ("webhook_signature", "WebhookSignatureError", "VivamoError"),
];

/// One row of the `error_kinds!` table.
#[derive(Debug, Clone)]
pub struct Kind {
    variant: String,
    name: String,
    class: String,
    parent: String,
    doc: String,
    caller: bool,
}

fn parse_kinds(input: ParseStream) -> syn::Result<Vec<Kind>> {
    let mut kinds = Vec::new();
    while !input.is_empty() {
        let attrs = input.call(Attribute::parse_outer)?;
        let mut doc = String::new();
        for attr in attrs {
            if let Meta::NameValue(nv) = &attr.meta {
                if let Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                {
                    doc += &s.value();
                    doc.push('\n');
                }
            }
        }
        let variant: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let name: LitStr = input.parse()?;
        input.parse::<Token![;]>()?;
        let (class, parent) = CLASSES
            .iter()
            .find(|(kind, _, _)| *kind == name.value())
            .map(|(_, class, parent)| (class.to_string(), parent.to_string()))
            .ok_or_else(|| {
                syn::Error::new(
                    name.span(),
                    format!(
                        "kind {:?} has no class: add its row to CLASSES in xtask/src/codegen/errors.rs",
                        name.value()
                    ),
                )
            })?;
        kinds.push(Kind {
            variant: variant.to_string(),
            name: name.value(),
            class,
            parent,
            doc,
            caller: false,
        });
    }
    Ok(kinds)
}

/// The variants named `ErrorKind::X` anywhere in `tokens`.
fn named_variants(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<_> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            proc_macro2::TokenTree::Group(g) => named_variants(g.stream(), out),
            proc_macro2::TokenTree::Ident(id) if id == "ErrorKind" => {
                if let Some(proc_macro2::TokenTree::Ident(v)) = tokens.get(i + 3) {
                    out.push(v.to_string());
                }
            }
            _ => {}
        }
    }
}

/// The kinds declared in `error.rs`, in declaration order, with `is_caller_error` read from
/// its `matches!`.
pub fn kinds(root: &Path) -> Result<Vec<Kind>, String> {
    let path = root.join(ERROR_RS);
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file = syn::parse_file(&text).map_err(|e| format!("{ERROR_RS} does not parse: {e}"))?;
    let mut kinds = None;
    let mut callers = Vec::new();
    for item in &file.items {
        match item {
            Item::Macro(m) if m.mac.path.is_ident("error_kinds") => {
                kinds = Some(
                    parse_kinds
                        .parse2(m.mac.tokens.clone())
                        .map_err(|e| format!("{ERROR_RS}: error_kinds! table: {e}"))?,
                );
            }
            Item::Impl(i) if i.self_ty.to_token_stream().to_string() == "ErrorKind" => {
                for f in &i.items {
                    if let syn::ImplItem::Fn(f) = f {
                        if f.sig.ident == "is_caller_error" {
                            named_variants(f.block.to_token_stream(), &mut callers);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut kinds = kinds.ok_or_else(|| format!("{ERROR_RS} has no error_kinds! table"))?;
    if let Some((stale, _, _)) = CLASSES
        .iter()
        .find(|(name, _, _)| !kinds.iter().any(|k| k.name == *name))
    {
        return Err(format!(
            "xtask/src/codegen/errors.rs: CLASSES has a row for {stale:?}, which is not a kind of {ERROR_RS}"
        ));
    }
    for kind in &mut kinds {
        kind.caller = callers.contains(&kind.variant);
    }
    Ok(kinds)
}

/// The kinds in declaration order, except that a kind whose class extends another kind's
/// comes after that one, so every class is declared after its base.
fn ordered(kinds: &[Kind]) -> Result<Vec<&Kind>, String> {
    fn visit<'a>(
        kind: &'a Kind,
        all: &'a [Kind],
        out: &mut Vec<&'a Kind>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > all.len() {
            return Err("ErrorKind: the class parents form a cycle".into());
        }
        if out.iter().any(|k| k.variant == kind.variant) {
            return Ok(());
        }
        match all.iter().find(|k| k.class == kind.parent) {
            Some(base) => visit(base, all, out, depth + 1)?,
            None if BASES.contains(&kind.parent.as_str()) => {}
            None => {
                return Err(format!(
                    "ErrorKind::{} extends {}, neither a base ({BASES:?}) nor another kind's class",
                    kind.variant, kind.parent
                ))
            }
        }
        out.push(kind);
        Ok(())
    }
    let mut out = Vec::new();
    for kind in kinds {
        visit(kind, kinds, &mut out, 0)?;
    }
    Ok(out)
}

fn node_js(kinds: &[Kind], ordered: &[&Kind]) -> String {
    let mut s = String::new();
    for kind in ordered {
        s += &jsdoc(&prose(&kind.doc, "`"), "");
        s += &format!("class {} extends {} {{}}\n", kind.class, kind.parent);
    }
    s += "\n/** The class of each `kind` the native module reports. */\nconst classForKind = {\n";
    for kind in kinds {
        s += &format!("  {}: {},\n", kind.name, kind.class);
    }
    s += "};\n";
    s
}

fn node_dts(kinds: &[Kind], ordered: &[&Kind]) -> String {
    let mut s = String::from(
        "/** The `kind` of a `VivamoError`, one per subclass. */\nexport type ErrorKind =\n",
    );
    for kind in kinds {
        s += &format!("  | '{}'\n", kind.name);
    }
    s += "  | 'abort'\n  | 'internal';\n";
    for kind in ordered {
        s += &jsdoc(&prose(&kind.doc, "`"), "");
        s += &format!("export class {} extends {} {{}}\n", kind.class, kind.parent);
    }
    s
}

fn node_mjs(ordered: &[&Kind]) -> String {
    ordered
        .iter()
        .map(|kind| format!("  {},\n", kind.class))
        .collect()
}

fn python(ordered: &[&Kind]) -> String {
    let mut s = String::new();
    for kind in ordered {
        let mut bases = kind.parent.clone();
        if kind.caller {
            bases += ", ValueError";
        }
        s += &format!("\n\nclass {}({bases}):\n", kind.class);
        s += &docstring(&prose(&kind.doc, "``"), "    ");
        s += &format!("\n    kind = \"{}\"\n", kind.name);
    }
    s += "\n\n__all__ = [\n";
    for name in BASES {
        s += &format!("    \"{name}\",\n");
    }
    for kind in ordered {
        s += &format!("    \"{}\",\n", kind.class);
    }
    s += "]\n\n# The class of each `kind` the native module reports (`vivamo._native` looks it up).\n_CLASS_FOR_KIND = {\n";
    for kind in ordered {
        s += &format!("    \"{}\": {},\n", kind.name, kind.class);
    }
    s += "}\n";
    s
}

/// The four fenced sections.
pub fn outputs(root: &Path) -> Result<Vec<Output>, String> {
    let kinds = kinds(root)?;
    let ordered = ordered(&kinds)?;
    Ok(vec![
        Output::section(
            "bindings/node/index.js",
            "//",
            SOURCE,
            node_js(&kinds, &ordered),
        ),
        Output::section(
            "bindings/node/index.d.ts",
            "//",
            SOURCE,
            node_dts(&kinds, &ordered),
        ),
        Output::section("bindings/node/index.mjs", "//", SOURCE, node_mjs(&ordered)),
        Output::section(
            "bindings/python/python/vivamo/_errors.py",
            "#",
            SOURCE,
            python(&ordered),
        ),
    ])
}

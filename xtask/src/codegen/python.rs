//! Python's side of the spec: the `CustomerData` properties and the methods of every
//! operation — one declaration in openapi.yaml gives both `Customers.get` and
//! `AsyncCustomers.get` (pyo3, in bindings/python/src/generated.rs, calling the hand-written
//! `crate::operations`) — their `.pyi` entries, and `vivamo.types.CustomerDataParam`, the
//! TypedDict a type checker uses for `data=`.

use heck::ToUpperCamelCase;

use super::fields::{doc, pretty_from};
use super::output::Output;
use super::spec::{Kind, Method, Operation, Place, SdkCall, Spec};
use super::text::{docstring, prose};

const SOURCE: &str = "openapi.yaml (CustomerData)";
const OPERATIONS: &str = "openapi.yaml (x-vivamo)";
const PYI: &str = "bindings/python/python/vivamo/_native.pyi";

/// The call options every method takes, keyword-only (see bindings/python/src/options.rs).
const CALL_OPTIONS: [(&str, &str, &str); 5] = [
    ("timeout", "Option<f64>", "Optional[float]"),
    ("deadline", "Option<f64>", "Optional[float]"),
    ("max_retries", "Option<i64>", "Optional[int]"),
    ("extra_headers", "Headers", "Optional[Mapping[str, str]]"),
    ("extra_body", "ExtraBody", "Optional[Mapping[str, object]]"),
];

fn types_py(spec: &Spec) -> Output {
    let mut s = String::from(
        "\"\"\"Typed shapes of the package's arguments, generated from openapi.yaml.\n\n\
         ``CustomerDataParam`` is what ``data=`` accepts: each field under the API's camelCase\n\
         name or its snake_case name, every one optional.\n\"\"\"\n\n\
         from typing import Optional, TypedDict\n\n\n\
         class CustomerDataParam(TypedDict, total=False):\n    \
         \"\"\"A customer's profile fields, as ``data=`` of ``create``, ``ensure`` and ``update``.\"\"\"\n",
    );
    for f in &spec.fields {
        let mut names = vec![&f.wire];
        if f.snake != f.wire {
            names.push(&f.snake);
        }
        for name in names {
            s += &format!("\n    {name}: Optional[str]\n");
            s += &docstring(&prose(&f.doc, "``"), "    ");
        }
    }
    s += "\n\n__all__ = [\"CustomerDataParam\"]\n";
    Output::file("bindings/python/python/vivamo/types.py", "#", SOURCE, s)
}

/// A Rust identifier for `name` (`type` → `r#type`).
fn rust_ident(name: &str) -> String {
    const KEYWORDS: [&str; 12] = [
        "type", "match", "ref", "move", "fn", "loop", "mod", "use", "where", "impl", "in", "as",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// The classes of `resource`: `customers` → `Customers`, `AsyncCustomers`.
pub fn classes(resource: &str) -> (String, String) {
    let class = resource.to_upper_camel_case();
    let async_class = format!("Async{class}");
    (class, async_class)
}

/// A default value written in Rust (`pyo3(signature)`) and in Python (`.pyi`).
fn default_literal(kind: Kind, value: &str) -> (String, String) {
    match kind {
        Kind::Str => (format!("{value:?}"), format!("{value:?}")),
        Kind::Bool if value == "true" => ("true".into(), "True".into()),
        Kind::Bool => ("false".into(), "False".into()),
        _ => (value.to_string(), value.to_string()),
    }
}

/// One parameter of a generated method, in its three forms.
struct Arg {
    /// In `#[pyo3(signature = (…))]`: `page = 1`.
    signature: String,
    /// The Rust parameter: `page: i64`.
    rust: String,
    /// The `.pyi` parameter: `page: int = 1`.
    pyi: String,
    /// Keyword-only.
    keyword: bool,
    /// What the method passes to its function in `crate::operations` for it.
    pass: Vec<String>,
}

/// The parameters of `method` (without the call options), positional ones first, and the
/// arguments it passes to its function in `crate::operations`, in the same order.
fn args(spec: &Spec, operation: &Operation, method: &Method) -> (Vec<Arg>, Vec<String>) {
    let mut list = Vec::new();
    for p in &operation.params {
        if method.sets.contains(&p.wire) {
            continue;
        }
        let name = rust_ident(&p.snake);
        if p.kind == Kind::DataUpdate {
            list.push(Arg {
                signature: format!("{name} = None"),
                rust: format!("{name}: Option<&Bound<'_, PyAny>>"),
                pyi: format!("{}: Optional[CustomerFields] = None", p.snake),
                keyword: false,
                pass: vec![name.clone()],
            });
            for f in &spec.fields {
                list.push(Arg {
                    signature: format!("{} = None", f.snake),
                    rust: format!("{}: Option<String>", f.snake),
                    pyi: format!("{}: Optional[str] = None", f.snake),
                    keyword: true,
                    pass: Vec::new(),
                });
            }
            // The keywords go to the function as one list, after `data`.
            let fields: Vec<String> = spec
                .fields
                .iter()
                .map(|f| format!("({:?}, {})", f.snake, f.snake))
                .collect();
            let data = list.len() - spec.fields.len() - 1;
            list[data].pass.push(format!("vec![{}]", fields.join(", ")));
            continue;
        }
        let (rust_type, py_type) = match p.kind {
            // A string with a default is borrowed: pyo3 takes a `&str` literal as the default.
            Kind::Str if p.default.is_some() => ("&str", "str"),
            Kind::Str => ("String", "str"),
            Kind::Int => ("i64", "int"),
            Kind::Bool => ("bool", "bool"),
            Kind::StrMap => ("HashMap<String, String>", "Mapping[str, str]"),
            Kind::StrList => ("Vec<String>", "Sequence[str]"),
            Kind::Data | Kind::DataUpdate => ("&Bound<'_, PyAny>", "CustomerFields"),
        };
        // Path parameters and required body properties are positional, the rest keyword-only.
        let keyword = !(p.place == Place::Path || p.place == Place::Body && p.required);
        let arg = match (&p.default, p.required || !keyword) {
            (Some(value), _) => {
                let (rust_default, py_default) = default_literal(p.kind, value);
                Arg {
                    signature: format!("{name} = {rust_default}"),
                    rust: format!("{name}: {rust_type}"),
                    pyi: format!("{}: {py_type} = {py_default}", p.snake),
                    keyword,
                    pass: vec![name],
                }
            }
            (None, true) => Arg {
                signature: name.clone(),
                rust: format!("{name}: {rust_type}"),
                pyi: format!("{}: {py_type}", p.snake),
                keyword,
                pass: vec![name],
            },
            (None, false) => Arg {
                signature: format!("{name} = None"),
                rust: format!("{name}: Option<{rust_type}>"),
                pyi: format!("{}: Optional[{py_type}] = None", p.snake),
                keyword,
                pass: vec![name],
            },
        };
        list.push(arg);
    }
    // Positional parameters first, each group in the spec's order.
    list.sort_by_key(|a| a.keyword);
    let pass = list.iter().flat_map(|a| a.pass.clone()).collect();
    (list, pass)
}

/// The Rust type of a method's result (`List[Customer]` → `Vec<operations::Customer>`).
fn rust_returns(returns: &str) -> String {
    if returns == "str" {
        return "String".into();
    }
    if let Some(item) = returns
        .strip_prefix("List[")
        .and_then(|r| r.strip_suffix(']'))
    {
        return format!("Vec<{}>", rust_returns(item));
    }
    format!("operations::{returns}")
}

/// The [`Call`] of a method whose SDK call the spec gives: its arguments evaluated first
/// (with the GIL held, borrowing the Python arguments), then the call, its answer wrapped in
/// the result's class.
fn sdk_call(operation: &Operation, method: &Method, sdk: &SdkCall) -> String {
    let args = sdk.args_with(&operation.params, |p| rust_ident(&p.snake));
    let returns = &method.returns;
    let wrap = if returns == "str" {
        "|message, _| message".to_string()
    } else if let Some(item) = returns
        .strip_prefix("List[")
        .and_then(|r| r.strip_suffix(']'))
    {
        format!("|list, _| list.into_iter().map(operations::{item}::from).collect::<Vec<_>>()")
    } else {
        format!("operations::{returns}")
    };
    let lets: String = args
        .iter()
        .enumerate()
        .map(|(i, a)| format!("let a{i} = {a};\n"))
        .collect();
    let names: Vec<String> = (0..args.len()).map(|i| format!("a{i}")).collect();
    format!(
        "|| {{\n{lets}Ok(call(move |c, o| async move {{\n\
         let r = c.{resource}().{call}({names}).options(o).with_response().await?;\n\
         Ok(answer(r, {wrap}))\n}}))\n}}",
        resource = operation.resource,
        call = sdk.method,
        names = names.join(", "),
    )
}

/// One generated method of the sync (`asynchronous == false`) or async class; `raw`: of its
/// `with_raw_response` class, returning a `RawResponse` around the value.
fn method_rust(
    spec: &Spec,
    operation: &Operation,
    method: &Method,
    asynchronous: bool,
    raw: bool,
) -> String {
    let (args, pass) = args(spec, operation, method);
    let mut signature: Vec<String> = Vec::new();
    let mut star = false;
    for a in &args {
        if a.keyword && !star {
            signature.push("*".into());
            star = true;
        }
        signature.push(a.signature.clone());
    }
    if !star {
        signature.push("*".into());
    }
    signature.extend(CALL_OPTIONS.iter().map(|(n, _, _)| format!("{n} = None")));
    let mut params = String::new();
    for a in &args {
        params += &format!("{},\n", a.rust);
    }
    for (name, ty, _) in CALL_OPTIONS {
        params += &format!("{name}: {ty},\n");
    }
    let (lifetime, py, returns, runner) = match (asynchronous, raw) {
        (true, _) => (
            "<'py>",
            "Python<'py>",
            "Bound<'py, PyAny>".to_string(),
            "run_async",
        ),
        (false, false) => ("", "Python<'_>", rust_returns(&method.returns), "run"),
        (false, true) => (
            "",
            "Python<'_>",
            format!("Answer<{}>", rust_returns(&method.returns)),
            "run",
        ),
    };
    // The plain methods give the value alone; the raw ones the whole answer.
    let call = if raw { "call" } else { "value_of(call)" };
    let allow = if args.len() + CALL_OPTIONS.len() > 5 {
        "#[allow(clippy::too_many_arguments)]\n"
    } else {
        ""
    };
    format!(
        "{}#[pyo3(signature = ({}))]\n{allow}fn {name}{lifetime}(&self, py: {py},\n{params}) -> PyResult<{returns}> {{\n\
         let call = guard(py, {operation_call})?;\n\
         let options = call_options(timeout, deadline, max_retries, extra_headers, extra_body);\n\
         {runner}(&self.core, py, options, {call})\n}}\n",
        doc(&method.doc),
        signature.join(", "),
        name = method.name,
        operation_call = match &method.sdk {
            Some(sdk) => sdk_call(operation, method, sdk),
            None if pass.is_empty() => format!("operations::{}", method.native),
            None => format!("|| operations::{}({})", method.native, pass.join(", ")),
        },
    )
}

/// The `.pyi` entry of one generated method (`raw`: of a `with_raw_response` class).
fn method_pyi(
    spec: &Spec,
    operation: &Operation,
    method: &Method,
    asynchronous: bool,
    raw: bool,
) -> String {
    let (args, _) = args(spec, operation, method);
    let mut s = format!("    def {}(\n        self,\n", method.name);
    let mut star = false;
    for a in &args {
        if a.keyword && !star {
            s += "        *,\n";
            star = true;
        }
        s += &format!("        {},\n", a.pyi);
    }
    if !star {
        s += "        *,\n";
    }
    for (name, _, ty) in CALL_OPTIONS {
        s += &format!("        {name}: {ty} = None,\n");
    }
    let value = if raw {
        format!("RawResponse[{}]", method.returns)
    } else {
        method.returns.clone()
    };
    let returns = if asynchronous {
        format!("Awaitable[{value}]")
    } else {
        value
    };
    s += &format!("    ) -> {returns}:\n");
    s += &docstring(&prose(&method.doc, "``"), "        ");
    s
}

fn native(spec: &Spec) -> Result<Output, String> {
    // Each resource's classes live in the module of its name (`crate::customers`).
    let imports: String = spec
        .resources()
        .iter()
        .map(|r| {
            let (class, async_class) = classes(r);
            format!("use crate::{r}::{{{class}, {async_class}}};\n")
        })
        .collect();
    let mut s = format!(
        "//! From openapi.yaml: `CustomerData`'s properties, one per field, and the methods of\n\
         //! every operation with an `x-vivamo` extension, in the sync and the async class alike;\n\
         //! each calls its function in `crate::operations`.\n\n\
         use std::collections::HashMap;\n\
         use std::sync::Arc;\n\n\
         use pyo3::prelude::*;\n\n\
         use crate::call::{{call, call_options, run, run_async, ExtraBody, Headers}};\n\
         use crate::client_core::Core;\n\
         {imports}\
         use crate::errors::guard;\n\
         use crate::models::CustomerData;\n\
         use crate::operations;\n\
         use crate::raw_response::{{answer, value_of, Answer}};\n\n\
         #[pymethods]\nimpl CustomerData {{\n"
    );
    for f in &spec.fields {
        s += &doc(&f.doc);
        if f.required {
            s += &format!(
                "#[getter]\nfn {0}(&self) -> &str {{\n&self.0.{0}\n}}\n",
                f.snake
            );
        } else {
            s += &format!(
                "#[getter]\nfn {0}(&self) -> Option<&str> {{\nself.0.{0}.as_deref()\n}}\n",
                f.snake
            );
        }
    }
    s += "}\n\n";
    let mut register = String::new();
    for resource in spec.resources() {
        let (class, async_class) = classes(resource);
        for (class, asynchronous) in [(class, false), (async_class, true)] {
            let raw_class = format!("{class}WithRawResponse");
            s += &format!(
                "#[pymethods]\nimpl {class} {{\n\
                 /// The same methods, each returning a `RawResponse`: the status, headers,\n\
                 /// request id, retries and duration of the answer, and `.parse()` for the value.\n\
                 #[getter]\nfn with_raw_response(&self) -> {raw_class} {{\n\
                 {raw_class} {{ core: self.core.clone() }}\n}}\n"
            );
            for (operation, method) in spec.methods(resource) {
                s += &method_rust(spec, operation, method, asynchronous, false);
            }
            s += "}\n\n";
            s +=
                &format!(
                "/// `{resource}.with_raw_response` of a{n} `{client}`: each method returns a\n\
                 /// `RawResponse` around the value the plain method returns.\n\
                 #[pyclass(frozen, module = \"vivamo\")]\n\
                 pub struct {raw_class} {{\ncore: Arc<Core>,\n}}\n\n\
                 #[pymethods]\nimpl {raw_class} {{\n",
                n = if asynchronous { "n" } else { "" },
                client = if asynchronous { "AsyncClient" } else { "Client" },
            );
            for (operation, method) in spec.methods(resource) {
                s += &method_rust(spec, operation, method, asynchronous, true);
            }
            s += "}\n\n";
            register += &format!("m.add_class::<{raw_class}>()?;\n");
        }
    }
    s += &format!(
        "/// Adds the generated classes to the module.\n\
         pub(crate) fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {{\n{register}Ok(())\n}}\n"
    );
    pretty_from(
        "bindings/python/src/generated.rs",
        "openapi.yaml (CustomerData, x-vivamo)",
        &s,
    )
}

fn pyi_properties(spec: &Spec) -> String {
    let mut s = String::new();
    for f in &spec.fields {
        let ty = if f.required { "str" } else { "Optional[str]" };
        s += &format!("    @property\n    def {}(self) -> {ty}: ...\n", f.snake);
    }
    s
}

/// The `.pyi` entries of the class of `resource`'s generated methods (`raw`: of its
/// `with_raw_response` class).
fn pyi_methods(spec: &Spec, resource: &str, asynchronous: bool, raw: bool) -> String {
    let mut s = String::new();
    if !raw {
        let (class, async_class) = classes(resource);
        let class = if asynchronous { async_class } else { class };
        s += &format!(
            "    @property\n    def with_raw_response(self) -> {class}WithRawResponse:\n\
             \x20       \"\"\"The same methods, each returning a ``RawResponse``.\"\"\"\n"
        );
    }
    for (operation, method) in spec.methods(resource) {
        s += &method_pyi(spec, operation, method, asynchronous, raw);
    }
    s
}

/// The Python outputs.
pub fn outputs(spec: &Spec) -> Result<Vec<Output>, String> {
    let mut outputs = vec![
        types_py(spec),
        native(spec)?,
        Output::section(PYI, "#", SOURCE, pyi_properties(spec)).named("CustomerData"),
    ];
    for resource in spec.resources() {
        let (class, async_class) = classes(resource);
        for (class, asynchronous) in [(class, false), (async_class, true)] {
            for raw in [false, true] {
                let name = if raw {
                    format!("{class}WithRawResponse")
                } else {
                    class.clone()
                };
                let methods = pyi_methods(spec, resource, asynchronous, raw);
                outputs.push(Output::section(PYI, "#", OPERATIONS, methods).named(name));
            }
        }
    }
    Ok(outputs)
}

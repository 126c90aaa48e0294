//! Python's side of the field table: the `CustomerData` properties and the keyword arguments
//! of `update` (pyo3, in bindings/python/src/generated.rs), their `.pyi` entries, and
//! `vivamo.types.CustomerDataParam`, the TypedDict a type checker uses for `data=`.

use super::fields::{doc, pretty};
use super::output::Output;
use super::spec::Spec;
use super::text::{docstring, prose};

const SOURCE: &str = "openapi.yaml (CustomerData)";
const PYI: &str = "bindings/python/python/vivamo/_native.pyi";

/// The call options every method takes, keyword-only (see bindings/python/src/options.rs).
const CALL_OPTIONS: [(&str, &str, &str); 4] = [
    ("timeout", "Option<f64>", "Optional[float]"),
    ("deadline", "Option<f64>", "Optional[float]"),
    ("max_retries", "Option<i64>", "Optional[int]"),
    ("extra_headers", "Headers", "Optional[Mapping[str, str]]"),
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

fn update_method(spec: &Spec, class: &str, returns: &str, lifetime: &str) -> String {
    let mut signature = vec![
        "external_customer_id".to_string(),
        "data = None".to_string(),
        "*".to_string(),
    ];
    signature.extend(spec.fields.iter().map(|f| format!("{} = None", f.snake)));
    signature.extend(CALL_OPTIONS.iter().map(|(n, _, _)| format!("{n} = None")));
    let mut params = String::new();
    for f in &spec.fields {
        params += &format!("{}: Option<String>,\n", f.snake);
    }
    for (name, ty, _) in CALL_OPTIONS {
        params += &format!("{name}: {ty},\n");
    }
    let fields: Vec<String> = spec
        .fields
        .iter()
        .map(|f| format!("({:?}, {})", f.snake, f.snake))
        .collect();
    format!(
        "#[pymethods]\nimpl {class} {{\n\
         /// Changes the given fields (from `data=` and/or keyword arguments).\n\
         #[pyo3(signature = ({}))]\n\
         #[allow(clippy::too_many_arguments)]\n\
         fn update{lifetime}(&self, py: Python{lifetime_arg}, external_customer_id: String, data: Option<&Bound<'_, PyAny>>,\n{params}) -> PyResult<{returns}> {{\n\
         let options = call_options(timeout, deadline, max_retries, extra_headers);\n\
         self.update_fields(py, external_customer_id, data, vec![{}], options)\n}}\n}}\n\n",
        signature.join(", "),
        fields.join(", "),
        lifetime_arg = if lifetime.is_empty() { "<'_>" } else { "<'py>" },
    )
}

fn native(spec: &Spec) -> Result<Output, String> {
    let mut s = String::from(
        "//! The field table in the Python classes: `CustomerData`'s properties and the keyword\n\
         //! arguments of `update`, one per field of openapi.yaml.\n\n\
         use pyo3::prelude::*;\n\n\
         use crate::customers::{call_options, AsyncCustomers, Customers, Headers};\n\
         use crate::models::{Customer, CustomerData};\n\n\
         #[pymethods]\nimpl CustomerData {\n",
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
    s += &update_method(spec, "Customers", "Customer", "");
    s += &update_method(spec, "AsyncCustomers", "Bound<'py, PyAny>", "<'py>");
    pretty("bindings/python/src/generated.rs", &s)
}

fn pyi_properties(spec: &Spec) -> String {
    let mut s = String::new();
    for f in &spec.fields {
        let ty = if f.required { "str" } else { "Optional[str]" };
        s += &format!("    @property\n    def {}(self) -> {ty}: ...\n", f.snake);
    }
    s
}

fn pyi_update(spec: &Spec, returns: &str) -> String {
    let mut s = String::from(
        "    def update(\n        self,\n        external_customer_id: str,\n        data: Optional[CustomerFields] = None,\n        *,\n",
    );
    for f in &spec.fields {
        s += &format!("        {}: Optional[str] = None,\n", f.snake);
    }
    for (name, _, ty) in CALL_OPTIONS {
        s += &format!("        {name}: {ty} = None,\n");
    }
    s += &format!("    ) -> {returns}: ...\n");
    s
}

/// The Python outputs.
pub fn outputs(spec: &Spec) -> Result<Vec<Output>, String> {
    Ok(vec![
        types_py(spec),
        native(spec)?,
        Output::section(PYI, "#", SOURCE, pyi_properties(spec)).named("CustomerData"),
        Output::section(PYI, "#", SOURCE, pyi_update(spec, "Customer")).named("Customers.update"),
        Output::section(PYI, "#", SOURCE, pyi_update(spec, "Awaitable[Customer]"))
            .named("AsyncCustomers.update"),
    ])
}

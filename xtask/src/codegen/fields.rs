//! The customer field table, from openapi.yaml, in every Rust crate that mirrors it:
//! `vivamo-rules` (`CustomerData`, `FIELDS`, field access, `customer_fields!`), the SDK's
//! `NewCustomer` / `CustomerUpdate` setters and the CLI's flags and CSV columns. The sandbox
//! and the bindings' Rust code walk `CustomerData::FIELDS` and need nothing generated.

use super::output::Output;
use super::spec::{Field, Spec};
use super::text::wrap;

const SOURCE: &str = "openapi.yaml (CustomerData, CustomerDataUpdate)";

/// Rust source through `syn` and `prettyplease`, so the generated files read like written ones.
pub(super) fn pretty(path: &str, code: &str) -> Result<Output, String> {
    pretty_from(path, SOURCE, code)
}

/// As [`pretty`], for a file generated from `source`.
pub(super) fn pretty_from(path: &str, source: &'static str, code: &str) -> Result<Output, String> {
    let file = syn::parse_file(code)
        .map_err(|e| format!("codegen produced invalid Rust for {path}: {e}\n{code}"))?;
    Ok(Output::file(
        path,
        "//",
        source,
        prettyplease::unparse(&file),
    ))
}

/// Doc attributes holding `text` (escaped as Rust strings), wrapped as `///` lines would be.
pub(super) fn doc(text: &str) -> String {
    wrap(text, " ", 92)
        .into_iter()
        .map(|line| format!("#[doc = {line:?}]\n"))
        .collect()
}

/// The first sentence of `text` (CLI help lines).
fn first_sentence(text: &str) -> &str {
    text.find(". ").map_or(text, |end| &text[..=end])
}

fn rules(spec: &Spec) -> Result<Output, String> {
    let n = spec.fields.len();
    let mut s = String::from(
        "//! The customer profile fields, one table from openapi.yaml's `CustomerData`.\n\n\
         use serde::{Deserialize, Serialize};\n\n\
         /// The customer profile fields (`data` in Vivamo's API), every one optional in the type.\n\
         ///\n\
         /// Serialized with the API's names (`firstName`, `street2`); `None` fields are left out,\n\
         /// and absent fields deserialize as `None`. Unknown fields are ignored.\n\
         #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]\n\
         pub struct CustomerData {\n",
    );
    for f in &spec.fields {
        s += &doc(&f.doc);
        s += &format!(
            "#[serde(rename = {:?}, skip_serializing_if = \"Option::is_none\", default)]\npub {}: Option<String>,\n",
            f.wire, f.snake
        );
    }
    s += "}\n\nimpl CustomerData {\n";
    s += "/// Every field, as `(API name, snake_case name)`: the keys the Node and Python packages\n\
          /// accept for a customer's data, in the spec's order.\n";
    s += &format!("pub const FIELDS: [(&'static str, &'static str); {n}] = [\n");
    for f in &spec.fields {
        s += &format!("({:?}, {:?}),\n", f.wire, f.snake);
    }
    s += "];\n\n";
    let arms = |mutable: &str| {
        spec.fields
            .iter()
            .map(|f| {
                let keys = if f.wire == f.snake {
                    format!("{:?}", f.wire)
                } else {
                    format!("{:?} | {:?}", f.wire, f.snake)
                };
                format!("{keys} => &{mutable}self.{},\n", f.snake)
            })
            .collect::<String>()
    };
    s += "/// The field a key names, in the API's camelCase or in snake_case; `None` for any other\n\
          /// key.\n\
          ///\n\
          /// ```\n\
          /// let data = vivamo_rules::CustomerData { email: Some(\"a@example.com\".into()), ..Default::default() };\n\
          /// assert_eq!(data.field(\"email\"), Some(&Some(\"a@example.com\".to_string())));\n\
          /// assert!(data.field(\"nickname\").is_none());\n\
          /// ```\n\
          pub fn field(&self, key: &str) -> Option<&Option<String>> {\nSome(match key {\n";
    s += &arms("");
    s += "_ => return None,\n})\n}\n\n";
    s += "/// The field a key names, in the API's camelCase or in snake_case; `None` for any other\n\
          /// key.\n\
          ///\n\
          /// ```\n\
          /// let mut data = vivamo_rules::CustomerData::default();\n\
          /// *data.field_mut(\"first_name\").unwrap() = Some(\"Jane\".into());\n\
          /// assert_eq!(data.first_name.as_deref(), Some(\"Jane\"));\n\
          /// assert!(data.field_mut(\"nickname\").is_none());\n\
          /// ```\n\
          pub fn field_mut(&mut self, key: &str) -> Option<&mut Option<String>> {\nSome(match key {\n";
    s += &arms("mut ");
    s += "_ => return None,\n})\n}\n}\n\n";
    // customer_fields!: a struct literal of any type with the same field names.
    let names: Vec<&str> = spec.fields.iter().map(|f| f.snake.as_str()).collect();
    let moves: String = spec
        .fields
        .iter()
        .filter(|f| f.snake != "email")
        .map(|f| format!("{0}: $src.{0},\n", f.snake))
        .collect();
    s += &format!(
        "/// A struct literal of type `$ty` whose customer fields ({}) are moved from the\n\
         /// same-named fields of `$src`; `email: EXPR` replaces the email (say, to unwrap it).\n\
         ///\n\
         /// The SDK and the bindings each have their own types for a customer's data (the\n\
         /// generated API types, napi objects); this copies between any two of them.\n\
         ///\n\
         /// ```\n\
         /// use vivamo_rules::{{customer_fields, CustomerData}};\n\
         ///\n\
         /// let data = CustomerData {{ email: Some(\"jane@example.com\".into()), city: Some(\"Boston\".into()), ..Default::default() }};\n\
         /// let copy: CustomerData = customer_fields!(CustomerData, data);\n\
         /// assert_eq!(copy.city.as_deref(), Some(\"Boston\"));\n\
         /// let sent = customer_fields!(CustomerData, copy, email: copy.email.clone().map(|e| e.to_uppercase()));\n\
         /// assert_eq!(sent.email.as_deref(), Some(\"JANE@EXAMPLE.COM\"));\n\
         /// ```\n\
         #[macro_export]\n\
         macro_rules! customer_fields {{\n\
         ($ty:path, $src:ident) => {{\n$crate::customer_fields!($ty, $src, email: $src.email)\n}};\n\
         ($ty:path, $src:ident, email: $email:expr) => {{{{\nlet email = $email;\n$ty {{\nemail,\n{moves}}}\n}}}};\n}}\n",
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    );
    pretty("crates/vivamo-rules/src/generated.rs", &s)
}

fn setters(fields: &[&Field], update: bool) -> String {
    fields
        .iter()
        .map(|f| {
            let text = if update { &f.update_doc } else { &f.doc };
            format!(
                "{}pub fn {name}(mut self, value: impl Into<String>) -> Self {{\nself.data.{name} = Some(value.into());\nself\n}}\n\n",
                doc(text),
                name = f.snake
            )
        })
        .collect()
}

fn sdk(spec: &Spec) -> Result<Output, String> {
    let optional: Vec<&Field> = spec.fields.iter().filter(|f| !f.required).collect();
    let all: Vec<&Field> = spec.fields.iter().collect();
    let s = format!(
        "//! The setters of [`NewCustomer`] and [`CustomerUpdate`], one per field of the spec.\n\n\
         use crate::{{CustomerUpdate, NewCustomer}};\n\n\
         impl NewCustomer {{\n{}}}\n\nimpl CustomerUpdate {{\n{}}}\n",
        setters(&optional, false),
        setters(&all, true)
    );
    pretty("crates/vivamo/src/generated.rs", &s)
}

fn cli(spec: &Spec) -> Result<Output, String> {
    let n = spec.fields.len() + 1;
    let mut s = String::from(
        "//! The profile fields as `create` / `update` flags and as CSV columns.\n\n\
         use clap::Args;\n\n\
         /// The CSV columns, in the order `export` writes them.\n",
    );
    s += &format!("pub const COLUMNS: [&str; {n}] = [\"externalCustomerId\",\n");
    for f in &spec.fields {
        s += &format!("{:?},\n", f.wire);
    }
    s += "];\n\n/// The profile fields, as flags.\n#[derive(Debug, Args, Default)]\npub struct FieldArgs {\n";
    for f in &spec.fields {
        s += &doc(first_sentence(&f.doc));
        s += &format!(
            "#[arg(long = {:?})]\npub {}: Option<String>,\n",
            f.kebab, f.snake
        );
    }
    s += "}\n\nimpl FieldArgs {\n/// The flags as customer data (unset flags stay `None`).\n\
          pub fn into_data(self) -> vivamo::rules::CustomerData {\nvivamo::rules::CustomerData {\n";
    for f in &spec.fields {
        s += &format!("{0}: self.{0},\n", f.snake);
    }
    s += "}\n}\n\n/// Whether any flag was given.\npub fn any(&self) -> bool {\n";
    let any: Vec<String> = spec
        .fields
        .iter()
        .map(|f| format!("self.{}.is_some()", f.snake))
        .collect();
    s += &any.join(" || ");
    s += "\n}\n}\n";
    pretty("crates/vivamo-cli/src/generated.rs", &s)
}

/// The Rust mirrors of the field table.
pub fn outputs(spec: &Spec) -> Result<Vec<Output>, String> {
    Ok(vec![rules(spec)?, sdk(spec)?, cli(spec)?])
}

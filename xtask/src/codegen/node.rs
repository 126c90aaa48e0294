//! Node's napi objects of the field table: `CustomerFields` (what `data` accepts) and
//! `CustomerData` (what Vivamo returns). napi-rs writes their TypeScript types into
//! native.d.ts from these, docs included.

use super::fields::{doc, pretty};
use super::output::Output;
use super::spec::Spec;

/// `bindings/node/src/generated.rs`.
pub fn outputs(spec: &Spec) -> Result<Vec<Output>, String> {
    let mut s = String::from(
        "//! The customer profile fields as napi objects, from openapi.yaml.\n\n\
         use napi_derive::napi;\n\n\
         /// A customer's profile fields as you send them; every one optional (the rules say\n\
         /// which are required).\n\
         #[napi(object)]\n#[derive(Default, Clone)]\npub struct CustomerFields {\n",
    );
    for f in &spec.fields {
        s += &doc(&f.doc);
        s += &format!("pub {}: Option<String>,\n", f.snake);
    }
    s += "}\n\n/// A customer's profile fields as Vivamo returns them.\n#[napi(object)]\npub struct CustomerData {\n";
    for f in &spec.fields {
        s += &doc(&f.doc);
        let ty = if f.required {
            "String"
        } else {
            "Option<String>"
        };
        s += &format!("pub {}: {ty},\n", f.snake);
    }
    s += "}\n";
    Ok(vec![pretty("bindings/node/src/generated.rs", &s)?])
}

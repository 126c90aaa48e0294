//! `cargo xtask codegen [--check]`: every generated file of the project.
//!
//! From openapi.yaml: the API client (progenitor) and the customer field table in every
//! crate that mirrors it (`fields`). From `ErrorKind`: the bindings' error
//! classes. Each generator is a function from its source text to [`Output`]s; [`output`]
//! writes them or, with `--check`, lists the stale ones with a diff.

mod api;
mod errors;
mod fields;
mod node;
mod output;
mod python;
mod spec;
mod text;

use std::fs;
use std::path::Path;

use crate::tools::project_root;
pub use output::Output;

/// Every output for the spec text `spec`; the hand-written files are read from `root`.
pub fn outputs(root: &Path, spec: &str) -> Result<Vec<Output>, String> {
    let table = spec::Spec::parse(spec)?;
    let mut outputs = vec![api::output(spec)?];
    outputs.extend(fields::outputs(&table)?);
    outputs.extend(node::outputs(&table)?);
    outputs.extend(python::outputs(&table)?);
    outputs.extend(errors::outputs(root)?);
    Ok(outputs)
}

/// Runs every generator on the tree's openapi.yaml; with `check`, writes nothing and fails
/// when a generated file is stale.
pub fn run(check: bool) -> Result<(), String> {
    let root = project_root();
    let spec_path = root.join("openapi.yaml");
    let spec = fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    output::ensure(&root, &outputs(&root, &spec)?, check)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// openapi.yaml with one more optional string field, `maidenName`, in both customer
    /// schemas.
    fn spec_with_maiden_name() -> String {
        let spec = fs::read_to_string(project_root().join("openapi.yaml")).unwrap();
        let field = "        maidenName:\n          type: string\n          description: Customer's maiden name.\n";
        let marked = spec.replace(
            "        lastName:\n",
            &format!("{field}        lastName:\n"),
        );
        assert_eq!(
            marked.matches("maidenName:").count(),
            2,
            "both customer schemas"
        );
        marked
    }

    /// The propagation test: a field added to the spec reaches every generated surface.
    #[test]
    fn a_new_field_in_the_spec_reaches_every_generated_surface() {
        let root = project_root();
        let before = outputs(
            &root,
            &fs::read_to_string(root.join("openapi.yaml")).unwrap(),
        )
        .unwrap();
        let after = outputs(&root, &spec_with_maiden_name()).unwrap();
        let surfaces = [
            // the API client: types::CustomerData and the update body
            ("crates/vivamo-api/src/generated.rs", "maiden_name"),
            // vivamo-rules: CustomerData, FIELDS, field access, customer_fields!
            (
                "crates/vivamo-rules/src/generated.rs",
                "pub maiden_name: Option<String>",
            ),
            (
                "crates/vivamo-rules/src/generated.rs",
                "(\"maidenName\", \"maiden_name\")",
            ),
            (
                "crates/vivamo-rules/src/generated.rs",
                "\"maidenName\" | \"maiden_name\" => &mut self.maiden_name",
            ),
            (
                "crates/vivamo-rules/src/generated.rs",
                "maiden_name : $src .maiden_name",
            ),
            // the SDK: NewCustomer and CustomerUpdate setters, with the spec's doc
            (
                "crates/vivamo/src/generated.rs",
                "pub fn maiden_name(mut self",
            ),
            (
                "crates/vivamo/src/generated.rs",
                "/// Customer's maiden name.",
            ),
            // the CLI: --maiden-name and the CSV column
            (
                "crates/vivamo-cli/src/generated.rs",
                "#[arg(long = \"maiden-name\")]",
            ),
            ("crates/vivamo-cli/src/generated.rs", "\"maidenName\","),
            // Node: the napi objects napi-rs types in native.d.ts
            (
                "bindings/node/src/generated.rs",
                "pub maiden_name: Option<String>",
            ),
            // Python: update's keyword argument in both classes and in the stubs
            (
                "bindings/python/src/generated.rs",
                "maiden_name: Option<String>",
            ),
            (
                "bindings/python/python/vivamo/_native.pyi",
                "        maiden_name: Optional[str] = None,",
            ),
            // Python: the CustomerDataParam TypedDict, both spellings
            (
                "bindings/python/python/vivamo/types.py",
                "    maidenName: Optional[str]",
            ),
            (
                "bindings/python/python/vivamo/types.py",
                "    maiden_name: Optional[str]",
            ),
        ];
        for (path, needle) in surfaces {
            let find = |all: &[Output]| {
                let bodies: Vec<&str> = all
                    .iter()
                    .filter(|o| o.path == Path::new(path))
                    .map(|o| o.body.as_str())
                    .collect();
                assert!(!bodies.is_empty(), "no generated {path}");
                bodies.concat()
            };
            let (old, new) = (find(&before), find(&after));
            assert!(
                new.contains(needle) && !old.contains("maiden"),
                "{path} does not name the new field ({needle})"
            );
        }
    }

    /// The body of the Python output at `path` (its sections concatenated).
    fn python(all: &[Output], path: &str) -> String {
        all.iter()
            .filter(|o| o.path == Path::new(path))
            .map(|o| o.body.as_str())
            .collect()
    }

    /// The propagation test for operations: an `x-vivamo` extension on an operation the
    /// bindings do not offer yet gives both Python classes a method and the stubs its entry,
    /// and Node a native method, its wrapper and its typing.
    #[test]
    fn a_new_operation_in_the_spec_reaches_python_and_node() {
        let root = project_root();
        let spec = fs::read_to_string(root.join("openapi.yaml")).unwrap();
        let path = "  /v1/customers/{externalCustomerId}:\n";
        let declared = spec.replacen(
            path,
            &format!(
                "{path}    delete:\n      operationId: deleteCustomer\n      x-vivamo:\n        resource: customers\n        methods:\n          - name: delete\n            sdk: 'delete({{externalCustomerId}})'\n            doc: Removes a customer.\n            returns: str\n      responses:\n        '200':\n          description: Removed.\n"
            ),
            1,
        );
        assert_ne!(declared, spec);
        let before = outputs(&root, &spec).unwrap();
        let after = outputs(&root, &declared).unwrap();
        let native = "bindings/python/src/generated.rs";
        assert!(!python(&before, native).contains("Removes a customer."));
        let code = python(&after, native);
        for class in ["Customers", "AsyncCustomers"] {
            let block = &code[code.find(&format!("impl {class} {{")).unwrap()..];
            let block = &block[..block.find("\n}\n").unwrap()];
            assert!(block.contains("/// Removes a customer."), "{class}");
            assert!(block.contains("fn delete"), "{class}");
            // The SDK call the spec gives, written into the method: no hand-written function.
            assert!(block.contains("let a0 = external_customer_id;"), "{class}");
            assert!(block.contains(".delete(a0)"), "{class}");
        }
        // And each class's `with_raw_response` class, returning the whole answer.
        let raw = &code[code.find("impl CustomersWithRawResponse {").unwrap()..];
        let raw = &raw[..raw.find("\n}\n").unwrap()];
        assert!(raw.contains("fn delete"));
        assert!(raw.contains("-> PyResult<Answer<String>>"));
        let stub = |name: &str| {
            after
                .iter()
                .find(|o| o.path.ends_with("_native.pyi") && o.name == name)
                .unwrap_or_else(|| panic!("no {name} section in the stubs"))
                .body
                .clone()
        };
        assert!(stub("Customers").contains(
            "    def delete(\n        self,\n        external_customer_id: str,\n        *,\n"
        ));
        assert!(stub("AsyncCustomers")
            .contains(") -> Awaitable[str]:\n        \"\"\"Removes a customer."));
        assert!(stub("CustomersWithRawResponse")
            .contains(") -> RawResponse[str]:\n        \"\"\"Removes a customer."));

        // Node: the native method, its wrapper in index.js and its typing in index.d.ts.
        let native = python(&after, "bindings/node/src/generated_methods.rs");
        assert!(native.contains("pub fn delete("));
        assert!(native.contains(".delete(external_customer_id)"));
        let section = |all: &[Output], path: &str, name: &str| {
            all.iter()
                .find(|o| o.path == Path::new(path) && o.name == name)
                .unwrap_or_else(|| panic!("no {name} section for {path}"))
                .body
                .clone()
        };
        assert!(section(&after, "bindings/node/index.js", "Customers").contains(
            "  delete(externalCustomerId, options) {\n    return new APIPromise(call(options, (o, id) => this.#handle.native.delete(externalCustomerId, o, id)));\n  }\n"
        ));
        assert!(section(&after, "bindings/node/index.d.ts", "Customers").contains(
            "  /** Removes a customer. */\n  delete(externalCustomerId: string, options?: CallOptions): APIPromise<string>;\n"
        ));
        // A resource after `customers` prefixes its native names, so both `delete`s coexist.
        assert!(native.contains("pub fn webhooks_delete("));
        assert!(section(&before, "bindings/node/index.js", "Webhooks")
            .contains("this.#handle.native.webhooksDelete(webhookId, o, id)"));
        // Without `sdk:` the method calls its hand-written function in `crate::operations`.
        assert!(native.contains("operations::webhooks_register(client, options, request)"));
        assert!(code.contains("|| operations::webhooks_register(url, headers)"));
    }
}

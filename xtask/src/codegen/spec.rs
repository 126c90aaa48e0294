//! What the generators read from openapi.yaml: the customer field table and the operations
//! the bindings expose.
//!
//! The fields are the properties of `CustomerData` (the create body and the returned
//! profile), in the spec's order; `CustomerDataUpdate` must list the same fields (its
//! descriptions document the update setters).
//!
//! The operations are those with an `x-vivamo` extension: the resource they belong to
//! (`client.customers`) and the binding methods they become, each with its name, one-line doc
//! and result class — the small hand-kept table of ergonomic names. Their parameters come from
//! the spec: path parameters, then the request body's properties, then query parameters.

use heck::{ToKebabCase, ToSnakeCase};
use serde_yaml::{Mapping, Value};

/// One customer profile field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The API's (and JavaScript's) name: `firstName`.
    pub wire: String,
    /// Rust's and Python's name: `first_name`.
    pub snake: String,
    /// The CLI flag: `first-name`.
    pub kebab: String,
    /// The spec's `description` in `CustomerData`.
    pub doc: String,
    /// The spec's `description` in `CustomerDataUpdate`.
    pub update_doc: String,
    /// Required on create (`required` of `CustomerData`).
    pub required: bool,
}

/// The type of an operation's parameter, as the bindings take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `type: string`.
    Str,
    /// `type: integer`.
    Int,
    /// `type: boolean`.
    Bool,
    /// `type: object` of string values (`WebhookHeaders`).
    StrMap,
    /// `type: array` of strings (`eventTypes`).
    StrList,
    /// `CustomerData`: a mapping of customer fields.
    Data,
    /// `CustomerDataUpdate`: a mapping of the fields to change, or one keyword per field.
    DataUpdate,
}

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The path (`{externalCustomerId}`).
    Path,
    /// The JSON body's top level.
    Body,
    /// The query string.
    Query,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The API's name: `externalCustomerId`.
    pub wire: String,
    /// Rust's and Python's name: `external_customer_id`.
    pub snake: String,
    /// Its type.
    pub kind: Kind,
    /// Where it goes.
    pub place: Place,
    /// Required by the spec (a path parameter always is).
    pub required: bool,
    /// The default: the schema's `default`, or `x-vivamo-default` (an ergonomic default the
    /// API does not have, such as the KYC type `proof_of_id`), as YAML scalar text.
    pub default: Option<String>,
    /// The TypeScript type, when `x-vivamo-ts-type` names one narrower than the schema's
    /// (`KycType` rather than `string`).
    pub ts_type: Option<String>,
}

/// One method a binding offers for an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Its name in snake_case (`approve_kyc`; JavaScript's is the camelCase of it).
    pub name: String,
    /// The name of the function in each binding's `crate::operations` (and of Node's native
    /// method), unique across resources: the name prefixed with its resource's
    /// (`webhooks_list`), except for the methods of `customers`, the first resource, whose
    /// bare names are older than the other resources.
    pub native: String,
    /// Its one-line doc.
    pub doc: String,
    /// Its result as a Python type: a class of the binding (`Customer`), `str`, or
    /// `List[Customer]`.
    pub returns: String,
    /// Its result in JavaScript when the class is named otherwise there (`js-returns`:
    /// `Created` for Python's `CreatedCustomer`).
    pub js_returns: Option<String>,
    /// Body properties the method sets itself (`verify` of `approve_kyc`): not parameters.
    pub sets: Vec<String>,
    /// The SDK call the bindings make, when it can be written once for both (`sdk:
    /// kyc_info({externalCustomerId})`): the method of the resource's SDK handle and its
    /// arguments, each a Rust expression over `{wire}` placeholders for the parameters.
    /// Without it each binding's `crate::operations` has a hand-written function (a body or
    /// list options need a conversion per binding).
    pub sdk: Option<SdkCall>,
}

/// The SDK call of a [`Method`]: `approve_kyc({externalCustomerId}, vivamo::KycType::from({type}))`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkCall {
    /// The method of the SDK's resource handle: `approve_kyc`.
    pub method: String,
    /// Its arguments, each with `{wire}` placeholders.
    pub args: Vec<String>,
}

impl SdkCall {
    /// Parses `method(arg, arg)`, splitting the arguments at top-level commas, and checks
    /// that every placeholder names one of `params`.
    fn parse(text: &str, id: &str, params: &[Param]) -> Result<SdkCall, String> {
        let bad =
            || format!("openapi.yaml: {id}: x-vivamo sdk `{text}` is not `method(arguments)`");
        let (method, rest) = text.split_once('(').ok_or_else(bad)?;
        let inner = rest.trim_end().strip_suffix(')').ok_or_else(bad)?;
        let mut args = Vec::new();
        let (mut depth, mut start) = (0i32, 0usize);
        for (i, c) in inner.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    args.push(inner[start..i].trim().to_string());
                    start = i + 1;
                }
                _ => {}
            }
        }
        if !inner[start..].trim().is_empty() {
            args.push(inner[start..].trim().to_string());
        }
        for arg in &args {
            let mut rest = arg.as_str();
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').ok_or_else(bad)? + open;
                let name = &rest[open + 1..close];
                if !params.iter().any(|p| p.wire == name) {
                    return Err(format!(
                        "openapi.yaml: {id}: x-vivamo sdk names `{{{name}}}`, which is not a parameter"
                    ));
                }
                rest = &rest[close + 1..];
            }
        }
        Ok(SdkCall {
            method: method.trim().to_string(),
            args,
        })
    }

    /// The arguments with each `{wire}` replaced by `ident(param)`, the binding's Rust name.
    pub fn args_with(&self, params: &[Param], ident: impl Fn(&Param) -> String) -> Vec<String> {
        self.args
            .iter()
            .map(|arg| {
                params.iter().fold(arg.clone(), |a, p| {
                    a.replace(&format!("{{{}}}", p.wire), &ident(p))
                })
            })
            .collect()
    }
}

/// An operation of the spec that the bindings expose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// The resource of the client it belongs to: `customers`.
    pub resource: String,
    /// Its parameters: path, then body, then query, each in the spec's order.
    pub params: Vec<Param>,
    /// The name of its request body's schema (`CreateCustomerRequest`), if it has one.
    pub body_schema: Option<String>,
    /// The methods it becomes (`setCustomerKycVerified` → `approve_kyc`, `reject_kyc`).
    pub methods: Vec<Method>,
}

/// The parsed parts of the spec the generators use.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The customer fields in the spec's order.
    pub fields: Vec<Field>,
    /// The operations with an `x-vivamo` extension, in the spec's order.
    pub operations: Vec<Operation>,
}

/// The resource whose methods keep their bare names in `crate::operations`.
const PRIMARY_RESOURCE: &str = "customers";

fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_mapping().and_then(|m| m.get(key))
}

fn schema<'a>(root: &'a Value, name: &str) -> Result<&'a Mapping, String> {
    get(root, "components")
        .and_then(|c| get(c, "schemas"))
        .and_then(|s| get(s, name))
        .and_then(|s| get(s, "properties"))
        .and_then(Value::as_mapping)
        .ok_or_else(|| format!("openapi.yaml: components.schemas.{name}.properties is missing"))
}

fn description(property: &Value) -> String {
    get(property, "description")
        .and_then(Value::as_str)
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

impl Spec {
    /// Reads the field table from the text of openapi.yaml.
    pub fn parse(text: &str) -> Result<Spec, String> {
        let root: Value =
            serde_yaml::from_str(text).map_err(|e| format!("openapi.yaml does not parse: {e}"))?;
        let create = schema(&root, "CustomerData")?;
        let update = schema(&root, "CustomerDataUpdate")?;
        let required: Vec<&str> = get(&root, "components")
            .and_then(|c| get(c, "schemas"))
            .and_then(|s| get(s, "CustomerData"))
            .and_then(|s| get(s, "required"))
            .and_then(Value::as_sequence)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields = Vec::new();
        for (name, property) in create {
            let wire = name
                .as_str()
                .ok_or("openapi.yaml: a CustomerData property name is not a string")?;
            if get(property, "type").and_then(Value::as_str) != Some("string") {
                return Err(format!(
                    "openapi.yaml: CustomerData.{wire} is not a string; the field table only knows string fields"
                ));
            }
            let update_doc = update
                .get(wire)
                .map(description)
                .ok_or_else(|| format!("openapi.yaml: CustomerDataUpdate has no `{wire}`: every CustomerData field is updatable"))?;
            fields.push(Field {
                wire: wire.to_string(),
                snake: wire.to_snake_case(),
                kebab: wire.to_kebab_case(),
                doc: description(property),
                update_doc,
                required: required.contains(&wire),
            });
        }
        if let Some(extra) = update
            .keys()
            .filter_map(Value::as_str)
            .find(|k| !fields.iter().any(|f| f.wire == *k))
        {
            return Err(format!(
                "openapi.yaml: CustomerDataUpdate.{extra} is not in CustomerData"
            ));
        }
        let operations = operations(&root)?;
        Ok(Spec { fields, operations })
    }

    /// The resources of the operations, in order of first appearance.
    pub fn resources(&self) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        for o in &self.operations {
            if !found.contains(&o.resource.as_str()) {
                found.push(&o.resource);
            }
        }
        found
    }

    /// Every method of `resource`'s operations, with its operation, in the spec's order.
    pub fn methods(&self, resource: &str) -> Vec<(&Operation, &Method)> {
        self.operations
            .iter()
            .filter(|o| o.resource == resource)
            .flat_map(|o| o.methods.iter().map(move |m| (o, m)))
            .collect()
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Follows a `$ref` to `#/components/<section>/<name>`; anything else is returned as is.
fn resolve<'a>(root: &'a Value, value: &'a Value) -> Result<&'a Value, String> {
    let Some(reference) = get(value, "$ref").and_then(Value::as_str) else {
        return Ok(value);
    };
    let mut target = root;
    for part in reference
        .strip_prefix("#/")
        .ok_or_else(|| format!("openapi.yaml: unsupported $ref {reference}"))?
        .split('/')
    {
        target = get(target, part)
            .ok_or_else(|| format!("openapi.yaml: $ref {reference} names nothing"))?;
    }
    Ok(target)
}

/// The kind of a schema, for the parameter `name` of `operation`.
fn kind(root: &Value, schema: &Value, operation: &str, name: &str) -> Result<Kind, String> {
    if let Some(reference) = get(schema, "$ref").and_then(Value::as_str) {
        return match reference {
            "#/components/schemas/CustomerData" => Ok(Kind::Data),
            "#/components/schemas/CustomerDataUpdate" => Ok(Kind::DataUpdate),
            _ => kind(root, resolve(root, schema)?, operation, name),
        };
    }
    match get(schema, "type").and_then(Value::as_str) {
        Some("string") => Ok(Kind::Str),
        Some("integer") => Ok(Kind::Int),
        Some("boolean") => Ok(Kind::Bool),
        Some("object")
            if get(schema, "additionalProperties")
                .and_then(|a| get(resolve(root, a).ok()?, "type"))
                .and_then(Value::as_str)
                == Some("string") =>
        {
            Ok(Kind::StrMap)
        }
        Some("array")
            if get(schema, "items")
                .and_then(|i| get(resolve(root, i).ok()?, "type"))
                .and_then(Value::as_str)
                == Some("string") =>
        {
            Ok(Kind::StrList)
        }
        other => Err(format!(
            "openapi.yaml: {operation}: parameter `{name}` has type {other:?}, which the binding generators do not know yet (xtask/src/codegen/spec.rs)"
        )),
    }
}

/// A path or query parameter.
fn parameter(root: &Value, value: &Value, operation: &str) -> Result<Param, String> {
    let value = resolve(root, value)?;
    let wire = get(value, "name")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("openapi.yaml: {operation}: a parameter has no name"))?;
    let place = match get(value, "in").and_then(Value::as_str) {
        Some("path") => Place::Path,
        Some("query") => Place::Query,
        other => {
            return Err(format!(
                "openapi.yaml: {operation}: parameter `{wire}` is in {other:?}: only path and query parameters are generated"
            ))
        }
    };
    let schema = get(value, "schema")
        .ok_or_else(|| format!("openapi.yaml: {operation}: parameter `{wire}` has no schema"))?;
    Ok(Param {
        wire: wire.to_string(),
        snake: wire.to_snake_case(),
        kind: kind(root, schema, operation, wire)?,
        place,
        required: place == Place::Path
            || get(value, "required").and_then(Value::as_bool) == Some(true),
        default: get(value, "x-vivamo-default")
            .or_else(|| get(schema, "default"))
            .and_then(text),
        ts_type: get(value, "x-vivamo-ts-type").and_then(text),
    })
}

/// The top-level properties of an operation's JSON request body.
fn body(root: &Value, operation: &Value, id: &str) -> Result<Vec<Param>, String> {
    let Some(schema) = get(operation, "requestBody")
        .and_then(|b| get(b, "content"))
        .and_then(|c| get(c, "application/json"))
        .and_then(|j| get(j, "schema"))
    else {
        return Ok(Vec::new());
    };
    let schema = resolve(root, schema)?;
    let required: Vec<&str> = get(schema, "required")
        .and_then(Value::as_sequence)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = get(schema, "properties").and_then(Value::as_mapping) else {
        return Ok(Vec::new());
    };
    let mut params = Vec::new();
    for (name, property) in properties {
        let wire = name
            .as_str()
            .ok_or_else(|| format!("openapi.yaml: {id}: a body property name is not a string"))?;
        params.push(Param {
            wire: wire.to_string(),
            snake: wire.to_snake_case(),
            kind: kind(root, property, id, wire)?,
            place: Place::Body,
            required: required.contains(&wire),
            default: get(property, "default").and_then(text),
            ts_type: get(property, "x-vivamo-ts-type").and_then(text),
        });
    }
    Ok(params)
}

/// The methods of `x-vivamo`.
fn methods(
    extension: &Value,
    id: &str,
    resource: &str,
    params: &[Param],
) -> Result<Vec<Method>, String> {
    let list = get(extension, "methods")
        .and_then(Value::as_sequence)
        .ok_or_else(|| format!("openapi.yaml: {id}: x-vivamo.methods is missing"))?;
    let mut methods = Vec::new();
    for method in list {
        let field = |key: &str| {
            get(method, key)
                .and_then(Value::as_str)
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .ok_or_else(|| format!("openapi.yaml: {id}: an x-vivamo method has no `{key}`"))
        };
        let sets: Vec<String> = get(method, "sets")
            .and_then(Value::as_mapping)
            .map(|m| {
                m.keys()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(unknown) = sets.iter().find(|s| !params.iter().any(|p| &p.wire == *s)) {
            return Err(format!(
                "openapi.yaml: {id}: x-vivamo sets `{unknown}`, which is not a body property"
            ));
        }
        let name = field("name")?;
        let native = if resource == PRIMARY_RESOURCE {
            name.clone()
        } else {
            format!("{resource}_{name}")
        };
        let sdk = get(method, "sdk")
            .and_then(Value::as_str)
            .map(|text| SdkCall::parse(text, id, params))
            .transpose()?;
        methods.push(Method {
            name,
            native,
            sdk,
            doc: field("doc")?,
            returns: field("returns")?,
            js_returns: get(method, "js-returns").and_then(text),
            sets,
        });
    }
    Ok(methods)
}

/// Every operation with an `x-vivamo` extension, in the spec's order.
fn operations(root: &Value) -> Result<Vec<Operation>, String> {
    let paths = get(root, "paths")
        .and_then(Value::as_mapping)
        .ok_or("openapi.yaml: paths is missing")?;
    let mut operations = Vec::new();
    for (_, item) in paths {
        let shared: Vec<&Value> = get(item, "parameters")
            .and_then(Value::as_sequence)
            .map(|p| p.iter().collect())
            .unwrap_or_default();
        // The operations in the spec's order (a path's `parameters` are not one).
        let verbs = item.as_mapping().into_iter().flatten().filter(|(verb, _)| {
            matches!(
                verb.as_str(),
                Some("get" | "post" | "put" | "patch" | "delete")
            )
        });
        for (_, operation) in verbs {
            let Some(extension) = get(operation, "x-vivamo") else {
                continue;
            };
            let id = get(operation, "operationId")
                .and_then(Value::as_str)
                .ok_or("openapi.yaml: an operation with x-vivamo has no operationId")?
                .to_string();
            let own: Vec<&Value> = get(operation, "parameters")
                .and_then(Value::as_sequence)
                .map(|p| p.iter().collect())
                .unwrap_or_default();
            let declared = shared
                .iter()
                .chain(&own)
                .map(|p| parameter(root, p, &id))
                .collect::<Result<Vec<_>, _>>()?;
            let mut params: Vec<Param> = declared
                .iter()
                .filter(|p| p.place == Place::Path)
                .cloned()
                .collect();
            params.extend(body(root, operation, &id)?);
            let body_schema = get(operation, "requestBody")
                .and_then(|b| get(b, "content"))
                .and_then(|c| get(c, "application/json"))
                .and_then(|j| get(j, "schema"))
                .and_then(|s| get(s, "$ref"))
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map(str::to_string);
            params.extend(declared.into_iter().filter(|p| p.place == Place::Query));
            let resource = get(extension, "resource")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("openapi.yaml: {id}: x-vivamo.resource is missing"))?
                .to_string();
            let methods = methods(extension, &id, &resource, &params)?;
            operations.push(Operation {
                id,
                resource,
                params,
                body_schema,
                methods,
            });
        }
    }
    Ok(operations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_spec_has_the_documented_fields() {
        let text =
            std::fs::read_to_string(crate::tools::project_root().join("openapi.yaml")).unwrap();
        let spec = Spec::parse(&text).unwrap();
        let names: Vec<(&str, &str, &str)> = spec
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), f.snake.as_str(), f.kebab.as_str()))
            .collect();
        // Vivamo's ten, in the spec's order; a field added to the spec may sit anywhere.
        let documented: Vec<&str> =
            "email,phone,firstName,lastName,street,street2,city,state,zip,country"
                .split(',')
                .collect();
        let wires: Vec<&str> = names
            .iter()
            .map(|n| n.0)
            .filter(|w| documented.contains(w))
            .collect();
        assert_eq!(wires, documented);
        assert!(names.contains(&("lastName", "last_name", "last-name")));
        assert!(names.contains(&("street2", "street2", "street2")));
        assert!(spec.fields[0].required && !spec.fields[1].required);
    }

    #[test]
    fn the_operations_take_path_then_body_then_query_parameters() {
        let text =
            std::fs::read_to_string(crate::tools::project_root().join("openapi.yaml")).unwrap();
        let spec = Spec::parse(&text).unwrap();
        let find = |id: &str| spec.operations.iter().find(|o| o.id == id).unwrap();
        let wire = |o: &Operation| o.params.iter().map(|p| p.wire.clone()).collect::<Vec<_>>();
        let create = find("createCustomer");
        assert_eq!(
            wire(create),
            ["externalCustomerId", "verifyAfterCreation", "data"]
        );
        assert_eq!(create.params[1].default.as_deref(), Some("false"));
        assert_eq!(create.params[2].kind, Kind::Data);
        let names: Vec<&str> = create.methods.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["create", "ensure"]);
        let list = find("listCustomers");
        assert_eq!(wire(list), ["page", "size"]);
        assert_eq!(list.params[1].place, Place::Query);
        assert_eq!(list.params[1].default.as_deref(), Some("10"));
        let decide = find("setCustomerKycVerified");
        assert_eq!(wire(decide), ["externalCustomerId", "type", "verify"]);
        assert_eq!(decide.params[1].default.as_deref(), Some("proof_of_id"));
        assert_eq!(decide.methods[0].sets, ["verify"]);
        assert_eq!(find("updateCustomer").params[1].kind, Kind::DataUpdate);
        let register = find("registerWebhook");
        assert_eq!(wire(register), ["url", "headers"]);
        assert_eq!(register.params[1].kind, Kind::StrMap);
        assert_eq!(register.methods[0].native, "webhooks_register");
        let update = find("updateWebhook");
        assert_eq!(
            wire(update),
            ["webhookId", "url", "status", "eventTypes", "headers"]
        );
        assert_eq!(update.params[3].kind, Kind::StrList);
        assert_eq!(create.methods[0].native, "create");
        assert!(spec.operations.len() >= 11, "Vivamo's eleven at least");
        let decide = &decide.methods[0];
        let sdk = decide.sdk.as_ref().unwrap();
        assert_eq!(sdk.method, "approve_kyc");
        assert_eq!(
            sdk.args_with(&find("setCustomerKycVerified").params, |p| p.snake.clone()),
            ["external_customer_id", "vivamo::KycType::from(type)"]
        );
        assert!(create.methods[0].sdk.is_none());
    }
}

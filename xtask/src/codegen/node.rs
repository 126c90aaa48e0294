//! Node's side of the spec: the napi objects of the field table, `CustomerFields` (what
//! `data` accepts) and `CustomerData` (what Vivamo returns), whose TypeScript types napi-rs
//! writes into native.d.ts, docs included; and every operation's method — the native one
//! (bindings/node/src/generated_methods.rs, calling the hand-written `crate::operations`), its
//! wrapper in `index.js` (the call options and `AbortSignal`) and its typing in `index.d.ts`.

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use super::fields::{doc, pretty, pretty_from};
use super::output::Output;
use super::spec::{Kind, Method, Operation, Param, Place, SdkCall, Spec};
use super::text::{jsdoc, prose};

const OPERATIONS: &str = "openapi.yaml (x-vivamo)";

/// The TypeScript of a native answer's elements after its value (see bindings/node's
/// `response.rs`); raw_request.rs spells the same.
const ANSWER_TS: &str = "status: number, headers: string, requestId: string | null, retriesTaken: number, elapsedMs: number";

/// `bindings/node/src/generated.rs`.
pub fn outputs(spec: &Spec) -> Result<Vec<Output>, String> {
    let mut s = String::from(
        "//! The customer profile fields as napi objects, from openapi.yaml.\n\n\
         use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object, ValidateNapiValue};\n\
         use napi::sys;\n\
         use napi_derive::napi;\n\
         use vivamo::rules::unknown_customer_field;\n\n\
         use crate::errors::js_error;\n\n\
         /// A customer's profile fields as you send them; every one optional (the rules say\n\
         /// which are required).\n\
         #[napi(object, object_from_js = false)]\n#[derive(Default, Clone)]\npub struct CustomerFields {\n",
    );
    for f in &spec.fields {
        s += &doc(&f.doc);
        s += &format!("pub {}: Option<String>,\n", f.snake);
    }
    s += "}\n\n";
    s += &fields_from_js(spec);
    s += "\n/// A customer's profile fields as Vivamo returns them.\n#[napi(object)]\npub struct CustomerData {\n";
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
    let mut outputs = vec![pretty("bindings/node/src/generated.rs", &s)?];
    outputs.extend(operations(spec)?);
    Ok(outputs)
}

/// `CustomerFields` from a JavaScript object, key by key: camelCase or snake_case (as
/// `validateCustomer` and Python take them); the unknown keys are reported at once as a
/// `validation` error naming each, instead of being dropped; a value that is not a string,
/// `null` or `undefined` is a TypeError naming its field, as napi-rs reports it.
fn fields_from_js(spec: &Spec) -> String {
    let mut arms = String::new();
    for f in &spec.fields {
        let names = if f.wire == f.snake {
            format!("{:?}", f.wire)
        } else {
            format!("{:?} | {:?}", f.wire, f.snake)
        };
        arms += &format!("{names} => &mut fields.{},\n", f.snake);
    }
    format!(
        "impl ValidateNapiValue for CustomerFields {{}}\n\n\
         impl FromNapiValue for CustomerFields {{\n\
         unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {{\n\
         // SAFETY: napi-rs calls this with the live environment and a value of it.\n\
         let object = unsafe {{ Object::from_napi_value(env, value)? }};\n\
         let mut fields = CustomerFields::default();\n\
         let mut problems = Vec::new();\n\
         for key in Object::keys(&object)? {{\n\
         let slot = match key.as_str() {{\n{arms}\
         _ => {{\nproblems.push(unknown_customer_field(&key));\ncontinue;\n}}\n}};\n\
         match object.get_named_property_unchecked::<Option<String>>(&key) {{\n\
         Ok(v) => *slot = v,\n\
         // A wrong JavaScript type stays a TypeError naming the field, as napi-rs reports it.\n\
         Err(e) => return Err(napi::Error::new(e.status, format!(\"{{}} on CustomerFields.{{key}}\", e.reason))),\n\
         }}\n}}\n\
         if problems.is_empty() {{\nOk(fields)\n}} else {{\nErr(js_error(vivamo::Error::from_violations(problems)))\n}}\n}}\n}}\n"
    )
}

/// One parameter of a generated Node method, in its four forms.
struct JsArg {
    /// The native method's Rust parameter: `request: operations::CreateCustomerRequest`.
    rust: String,
    /// The Rust name passed on to `crate::operations`.
    rust_name: String,
    /// In `index.js`'s method: `type = 'proof_of_id'`.
    js: String,
    /// The JavaScript name passed to the native method.
    js_name: String,
    /// In `index.d.ts`: `type?: KycType`.
    ts: String,
}

/// The TypeScript and napi Rust types of a parameter's kind.
fn js_types(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Str => ("string", "String"),
        Kind::Int => ("number", "f64"),
        Kind::Bool => ("boolean", "bool"),
        Kind::StrMap => (
            "Record<string, string>",
            "std::collections::HashMap<String, String>",
        ),
        Kind::StrList => ("string[]", "Vec<String>"),
        Kind::Data | Kind::DataUpdate => ("CustomerFields", "operations::CustomerFields"),
    }
}

/// The parameters of `method` in Node: the path parameters one by one; the body as its one
/// property, or whole as `request` (typed by its schema's name) when it has several; the
/// query parameters as one object, `listOptions: ListOptions` for `list`.
fn js_args(operation: &Operation, method: &Method) -> Vec<JsArg> {
    let mut args = Vec::new();
    for p in operation.params.iter().filter(|p| p.place == Place::Path) {
        let (ts, rust) = js_types(p.kind);
        let name = p.wire.to_lower_camel_case();
        let ts_type = p.ts_type.as_deref().unwrap_or(ts);
        let (js, ts) = match &p.default {
            Some(value) => (
                format!("{name} = {}", js_literal(p.kind, value)),
                format!("{name}?: {ts_type}"),
            ),
            None => (name.clone(), format!("{name}: {ts_type}")),
        };
        args.push(JsArg {
            rust: format!("{}: {rust}", rust_ident(&p.snake)),
            rust_name: rust_ident(&p.snake),
            js,
            js_name: name,
            ts,
        });
    }
    let body: Vec<&Param> = operation
        .params
        .iter()
        .filter(|p| p.place == Place::Body && !method.sets.contains(&p.wire))
        .collect();
    match body.as_slice() {
        [] => {}
        [one] => {
            let (ts, rust) = js_types(one.kind);
            let name = one.wire.to_lower_camel_case();
            args.push(JsArg {
                rust: format!("{}: {rust}", rust_ident(&one.snake)),
                rust_name: rust_ident(&one.snake),
                js: name.clone(),
                js_name: name.clone(),
                ts: format!("{name}: {}", one.ts_type.as_deref().unwrap_or(ts)),
            });
        }
        _ => {
            let schema = operation.body_schema.as_deref().unwrap_or("Request");
            args.push(JsArg {
                rust: format!("request: operations::{schema}"),
                rust_name: "request".into(),
                js: "request".into(),
                js_name: "request".into(),
                ts: format!("request: {schema}"),
            });
        }
    }
    if operation.params.iter().any(|p| p.place == Place::Query) {
        let snake = format!("{}_options", method.name);
        let name = snake.to_lower_camel_case();
        let ty = snake.to_upper_camel_case();
        args.push(JsArg {
            rust: format!("{snake}: Option<operations::{ty}>"),
            rust_name: snake,
            js: name.clone(),
            js_name: name.clone(),
            ts: format!("{name}?: {ty}"),
        });
    }
    args
}

/// A default value in JavaScript.
fn js_literal(kind: Kind, value: &str) -> String {
    match kind {
        Kind::Str => format!("'{}'", value.replace('\'', "\\'")),
        _ => value.to_string(),
    }
}

/// A Rust identifier for `name` that napi-rs writes into native.d.ts as is: a Rust keyword
/// gets a suffix (`type` → `type_arg`, `typeArg`), since `r#type` would reach TypeScript.
fn rust_ident(name: &str) -> String {
    if [
        "type", "match", "ref", "move", "fn", "loop", "mod", "use", "in", "as",
    ]
    .contains(&name)
    {
        format!("{name}_arg")
    } else {
        name.to_string()
    }
}

/// A method's result in JavaScript: `js-returns`, else `returns` (`str` → `string`,
/// `List[Customer]` → `Customer[]`).
fn js_returns(method: &Method) -> String {
    let returns = method.js_returns.as_deref().unwrap_or(&method.returns);
    if returns == "str" {
        return "string".into();
    }
    match returns
        .strip_prefix("List[")
        .and_then(|r| r.strip_suffix(']'))
    {
        Some(item) => format!("{item}[]"),
        None => returns.to_string(),
    }
}

/// The napi Rust type of a method's result: its value with the response it came in.
fn rust_returns(method: &Method) -> String {
    let js = js_returns(method);
    let value = if js == "string" {
        "String".into()
    } else {
        match js.strip_suffix("[]") {
            Some(item) => format!("Vec<operations::{item}>"),
            None => format!("operations::{js}"),
        }
    };
    format!("Answer<{value}>")
}

/// The future of a method whose SDK call the spec gives: the call with the method's
/// arguments, its answer converted as the result's class says (`from_parts` keeps the
/// request id).
fn sdk_call(operation: &Operation, method: &Method, sdk: &SdkCall) -> String {
    let args = sdk.args_with(&operation.params, |p| rust_ident(&p.snake));
    let js = js_returns(method);
    let convert = if js == "string" {
        "|message, _| message".to_string()
    } else if js.ends_with("[]") {
        "|list, _| list.into_iter().map(Into::into).collect()".to_string()
    } else {
        format!("operations::{js}::from_parts")
    };
    format!(
        "async move {{\n\
         let r = client.{resource}().{call}({args}).options(options).with_response().await;\n\
         r.map(|r| answer(r, {convert})).map_err(js_error)\n}}",
        resource = operation.resource,
        call = sdk.method,
        args = args.join(", "),
    )
}

/// `bindings/node/src/generated_methods.rs`: the native method of every operation.
fn native_methods(spec: &Spec) -> Result<Output, String> {
    let mut s = String::from(
        "//! The native method of every operation with an `x-vivamo` extension in openapi.yaml:\n\
         //! each takes the SDK client and the call's options, runs its SDK call (given by the\n\
         //! spec, or written in `crate::operations`) as a promise of its value and response,\n\
         //! and stops it on `cancelCall`.\n\n\
         use napi::bindgen_prelude::AsyncBlock;\n\
         use napi::Env;\n\
         use napi_derive::napi;\n\n\
         use crate::cancel::cancellable;\n\
         use crate::client::NativeVivamo;\n\
         use crate::errors::js_error;\n\
         use crate::models::WithRequestId;\n\
         use crate::operations;\n\
         use crate::options::{call_options, RequestOptions};\n\
         use crate::promise::promise;\n\
         use crate::response::{answer, Answer};\n\n\
         #[napi]\nimpl NativeVivamo {\n",
    );
    for o in &spec.operations {
        for m in &o.methods {
            let args = js_args(o, m);
            let params: String = args.iter().map(|a| format!("{},\n", a.rust)).collect();
            let mut pass = vec!["client".to_string(), "options".to_string()];
            pass.extend(args.iter().map(|a| a.rust_name.clone()));
            s += &doc(&m.doc);
            // napi-rs cannot spell `Answer<T>` in native.d.ts: say what the promise gives.
            s += &format!(
                "#[napi(ts_return_type = \"Promise<[value: {}, {ANSWER_TS}]>\")]\n",
                js_returns(m)
            );
            if args.len() > 3 {
                s += "#[allow(clippy::too_many_arguments)]\n";
            }
            // With an `sdk` call the operation is written here; else in `crate::operations`.
            let run = match &m.sdk {
                Some(sdk) => sdk_call(o, m, sdk),
                None => format!("operations::{}({})", m.native, pass.join(", ")),
            };
            s += &format!(
                "pub fn {name}(&self, env: Env,\n{params}options: Option<RequestOptions>, cancel: Option<u32>) -> napi::Result<AsyncBlock<{returns}>> {{\n\
                 let client = self.client.clone();\n\
                 let options = call_options(options)?;\n\
                 promise(&env, cancellable(cancel, {run}))\n}}\n",
                name = m.native,
                returns = rust_returns(m),
            );
        }
    }
    s += "}\n";
    pretty_from("bindings/node/src/generated_methods.rs", OPERATIONS, &s)
}

/// The methods of `resource`'s class in `index.js`.
fn js_methods(spec: &Spec, resource: &str) -> String {
    let mut s = String::new();
    for (o, m) in spec.methods(resource) {
        let args = js_args(o, m);
        let mut params: Vec<String> = args.iter().map(|a| a.js.clone()).collect();
        params.push("options".into());
        let mut pass: Vec<String> = args.iter().map(|a| a.js_name.clone()).collect();
        pass.extend(["o".to_string(), "id".to_string()]);
        let name = m.name.to_lower_camel_case();
        let native = m.native.to_lower_camel_case();
        s += &format!(
            "  {name}({}) {{\n    return new APIPromise(call(options, (o, id) => this.#handle.native.{native}({})));\n  }}\n\n",
            params.join(", "),
            pass.join(", ")
        );
    }
    s
}

/// The methods of `resource`'s interface in `index.d.ts`.
fn ts_methods(spec: &Spec, resource: &str) -> String {
    let mut s = String::new();
    for (o, m) in spec.methods(resource) {
        let args = js_args(o, m);
        let mut params: Vec<String> = args.iter().map(|a| a.ts.clone()).collect();
        params.push("options?: CallOptions".into());
        s += &jsdoc(&prose(&m.doc, "`"), "  ");
        s += &format!(
            "  {}({}): APIPromise<{}>;\n",
            m.name.to_lower_camel_case(),
            params.join(", "),
            js_returns(m)
        );
    }
    s
}

/// The operations' outputs: the native methods, and each resource's methods in `index.js`
/// and `index.d.ts`.
pub fn operations(spec: &Spec) -> Result<Vec<Output>, String> {
    let mut outputs = vec![native_methods(spec)?];
    for resource in spec.resources() {
        let class = resource.to_upper_camel_case();
        outputs.push(
            Output::section(
                "bindings/node/index.js",
                "//",
                OPERATIONS,
                js_methods(spec, resource),
            )
            .named(class.clone()),
        );
        outputs.push(
            Output::section(
                "bindings/node/index.d.ts",
                "//",
                OPERATIONS,
                ts_methods(spec, resource),
            )
            .named(class),
        );
    }
    Ok(outputs)
}

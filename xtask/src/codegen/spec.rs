//! What the generators read from openapi.yaml: the customer field table.
//!
//! The fields are the properties of `CustomerData` (the create body and the returned
//! profile), in the spec's order; `CustomerDataUpdate` must list the same fields (its
//! descriptions document the update setters).

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

/// The parsed parts of the spec the generators use.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The customer fields in the spec's order.
    pub fields: Vec<Field>,
}

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
        Ok(Spec { fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_spec_has_the_ten_fields() {
        let text =
            std::fs::read_to_string(crate::tools::project_root().join("openapi.yaml")).unwrap();
        let spec = Spec::parse(&text).unwrap();
        let names: Vec<(&str, &str, &str)> = spec
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), f.snake.as_str(), f.kebab.as_str()))
            .collect();
        assert_eq!(names[3], ("lastName", "last_name", "last-name"));
        assert_eq!(names[5], ("street2", "street2", "street2"));
        assert_eq!(names.len(), 10);
        assert!(spec.fields[0].required && !spec.fields[1].required);
    }
}

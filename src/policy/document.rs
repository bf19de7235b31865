//! IAM policy documents as data: a canonical JSON form for state, semantic
//! equality for reads, and a typed builder for the presets.
//!
//! IAM does not give back what it was given: GetRole / GetRolePolicy /
//! GetPolicyVersion return URL-encoded text, one-element lists come back as
//! plain strings, and arrays and condition keys may be reordered. Comparing
//! documents semantically is what keeps a plan after apply empty.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

/// The only policy language version the presets use (and the current one).
pub const POLICY_VERSION: &str = "2012-10-17";

/// A JSON object, keeping insertion order (serde_json `preserve_order`).
type JsonObject = Map<String, Value>;

/// The elements of IAM's policy grammar, of a document and of a statement,
/// in the order canonical JSON writes them.
pub const DOCUMENT_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
pub const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Why a text is not a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    message: String,
}

impl PolicyError {
    fn new(message: impl Into<String>) -> Self {
        PolicyError {
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PolicyError {}

/// Turns a document as IAM's API returns it into JSON text.
///
/// IAM percent-encodes documents (`+` is a literal plus there, spaces are
/// `%20`); some emulators return plain JSON, which is passed through.
pub fn from_iam(s: &str) -> String {
    if s.trim().starts_with('{') {
        return s.to_string();
    }
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Normalises a policy document (plain or URL-encoded JSON) to the compact
/// canonical form stored in state. Element order is kept so the result reads
/// like its source; see the module tests for the exact rules.
pub fn canonical_json(s: &str) -> Result<String, PolicyError> {
    let (document, statements) = parse_policy(s)?;
    Ok(Value::Object(canonical_document(document, statements)).to_string())
}

/// Whether two documents (plain or URL-encoded JSON) mean the same to IAM:
/// statement order, list order, duplicates, one-element lists versus strings,
/// key order and the case of condition keys do not matter. Text that is not a
/// policy document is never equivalent to anything.
pub fn equivalent(a: &str, b: &str) -> bool {
    match (semantic_form(a), semantic_form(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Whether two documents mean the same once statement ids are set aside:
/// a `Sid` names a statement and changes nothing IAM decides. For documents
/// a platform reprinted without (or with other) `Sid`s, such as the EKS
/// Connector agent role's trust.
pub fn equivalent_ignoring_sids(a: &str, b: &str) -> bool {
    let without_sids = |s: &str| -> Option<String> {
        let (mut document, statements) = parse_policy(s).ok()?;
        let statements = statements
            .into_iter()
            .map(|mut statement| {
                statement.remove("Sid");
                Value::Object(statement)
            })
            .collect();
        document.insert("Statement".into(), Value::Array(statements));
        Some(Value::Object(document).to_string())
    };
    match (without_sids(a), without_sids(b)) {
        (Some(a), Some(b)) => equivalent(&a, &b),
        _ => false,
    }
}

/// The principals of one kind (`Federated`, `AWS`, `Service`) a trust
/// policy's `Allow` statements name, in order; empty when it is not a policy.
fn principals(s: &str, kind: &str) -> Vec<String> {
    let Ok((_, statements)) = parse_policy(s) else {
        return Vec::new();
    };
    statements
        .iter()
        .filter(|st| st.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .filter_map(|st| st.get("Principal")?.get(kind))
        .flat_map(|principal| match principal {
            Value::String(arn) => vec![arn.clone()],
            Value::Array(arns) => arns
                .iter()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The federated principals (identity provider ARNs) a trust policy's
/// `Allow` statements name, in order; empty when it is not a policy.
pub fn federated_principals(s: &str) -> Vec<String> {
    principals(s, "Federated")
}

/// The AWS principals (account, user and role ARNs, or account ids) a
/// trust policy's `Allow` statements name, in order.
pub fn aws_principals(s: &str) -> Vec<String> {
    principals(s, "AWS")
}

/// The external id a trust policy requires: the one `StringEquals` value of
/// `sts:ExternalId` (a condition key, so in any case) in its statements.
pub fn required_external_id(s: &str) -> Option<String> {
    let (_, statements) = parse_policy(s).ok()?;
    statements.iter().find_map(|st| {
        let conditions = st.get("Condition")?.get("StringEquals")?.as_object()?;
        conditions.iter().find_map(|(key, value)| {
            let value = match value {
                Value::String(v) => v.as_str(),
                Value::Array(items) if items.len() == 1 => items[0].as_str()?,
                _ => return None,
            };
            key.eq_ignore_ascii_case("sts:ExternalId")
                .then(|| value.to_string())
        })
    })
}

/// The namespace and service account a web-identity trust admits, from the
/// `system:serviceaccount:<namespace>:<name>` value of its `<issuer>:sub`
/// condition.
pub fn web_identity_subject(s: &str) -> Option<(String, String)> {
    let (_, statements) = parse_policy(s).ok()?;
    statements.iter().find_map(|st| {
        let conditions = st.get("Condition")?.get("StringEquals")?.as_object()?;
        conditions.iter().find_map(|(key, value)| {
            let value = value
                .as_str()
                .or_else(|| value.get(0).and_then(Value::as_str))?;
            let rest = value.strip_prefix("system:serviceaccount:")?;
            let (namespace, name) = rest.split_once(':')?;
            key.ends_with(":sub")
                .then(|| (namespace.to_string(), name.to_string()))
        })
    })
}

/// Whether a trust policy lets the identity provider `arn` in.
pub fn trusts_federated(s: &str, arn: &str) -> bool {
    federated_principals(s).iter().any(|p| p == arn)
}

/// Parses a document and checks that it has statements, returning the
/// top-level object and the statements (a single statement object is wrapped).
fn parse_policy(s: &str) -> Result<(JsonObject, Vec<JsonObject>), PolicyError> {
    let text = from_iam(s);
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| PolicyError::new(format!("policy is not valid JSON: {e}")))?;
    let Value::Object(mut document) = value else {
        return Err(PolicyError::new("policy is not a JSON object"));
    };
    let statements = match document.remove("Statement") {
        None => return Err(PolicyError::new("policy has no `Statement`")),
        Some(Value::Array(items)) => items,
        Some(single @ Value::Object(_)) => vec![single],
        Some(_) => {
            return Err(PolicyError::new(
                "policy `Statement` must be an object or an array of objects",
            ));
        }
    };
    let statements = statements
        .into_iter()
        .enumerate()
        .map(|(index, statement)| match statement {
            Value::Object(statement) => Ok(statement),
            _ => Err(PolicyError::new(format!(
                "policy statement {} is not a JSON object",
                index + 1
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((document, statements))
}

/// The canonical top-level object: keys ordered, `Statement` an array of
/// canonical statements.
fn canonical_document(mut document: JsonObject, statements: Vec<JsonObject>) -> JsonObject {
    let statements = statements
        .into_iter()
        .map(|statement| Value::Object(canonical_statement(statement)))
        .collect();
    document.insert("Statement".to_string(), Value::Array(statements));
    for value in document.values_mut() {
        collapse_single_strings(value);
    }
    ordered(document, &DOCUMENT_ELEMENTS)
}

fn canonical_statement(statement: JsonObject) -> JsonObject {
    let statement = statement
        .into_iter()
        .map(|(key, mut value)| {
            collapse_single_strings(&mut value);
            if matches!(key.as_str(), "Principal" | "NotPrincipal") {
                value = sorted_keys(value);
            } else if key == "Condition" {
                value = match sorted_keys(value) {
                    Value::Object(operators) => Value::Object(
                        operators
                            .into_iter()
                            .map(|(operator, keys)| (operator, sorted_keys(keys)))
                            .collect(),
                    ),
                    other => other,
                };
            }
            (key, value)
        })
        .collect();
    ordered(statement, &STATEMENT_ELEMENTS)
}

/// Known keys first in `order`, then any others alphabetically.
fn ordered(mut map: JsonObject, order: &[&str]) -> JsonObject {
    let mut result = Map::new();
    for key in order {
        if let Some(value) = map.remove(*key) {
            result.insert((*key).to_string(), value);
        }
    }
    let mut rest: Vec<(String, Value)> = map.into_iter().collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    result.extend(rest);
    result
}

/// An object with its keys sorted; anything else unchanged.
fn sorted_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        other => other,
    }
}

/// `["x"]` becomes `"x"` at any depth, as IAM does. Inner values first, so
/// `[["x"]]` becomes `"x"` in one pass and the result is canonical.
fn collapse_single_strings(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.iter_mut().for_each(collapse_single_strings);
            if items.len() == 1 && items[0].is_string() {
                *value = items.remove(0);
            }
        }
        Value::Object(map) => map.values_mut().for_each(collapse_single_strings),
        _ => {}
    }
}

/// A value with every order-insensitivity of IAM documents taken out: each
/// value is a set of atoms (a string is a set of one, a list a set of many).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Atom {
    Null,
    /// Strings, and numbers and booleans by their text (IAM compares
    /// condition values as strings, so `true` and `"true"` are the same).
    Text(String),
    Object(BTreeMap<String, BTreeSet<Atom>>),
    List(BTreeSet<Atom>),
}

fn semantic_form(s: &str) -> Option<BTreeSet<Atom>> {
    let (document, statements) = parse_policy(s).ok()?;
    let mut document = canonical_document(document, statements);
    if let Some(Value::Array(statements)) = document.get_mut("Statement") {
        statements.iter_mut().for_each(lowercase_condition_keys);
    }
    Some(atoms(&Value::Object(document)))
}

/// Condition keys (`oidc.eks...:sub`, `aws:SourceArn`) are case-insensitive
/// in IAM. Two keys that differ only in case collapse into one here; such a
/// document is ambiguous to its readers anyway.
fn lowercase_condition_keys(statement: &mut Value) {
    let Some(Value::Object(operators)) = statement.get_mut("Condition") else {
        return;
    };
    for keys in operators.values_mut() {
        if let Value::Object(map) = keys {
            *map = std::mem::take(map)
                .into_iter()
                .map(|(key, value)| (key.to_lowercase(), value))
                .collect();
        }
    }
}

fn atoms(value: &Value) -> BTreeSet<Atom> {
    match value {
        Value::Array(items) => items.iter().map(atom).collect(),
        other => BTreeSet::from([atom(other)]),
    }
}

fn atom(value: &Value) -> Atom {
    match value {
        Value::Null => Atom::Null,
        Value::Bool(b) => Atom::Text(b.to_string()),
        Value::Number(n) => Atom::Text(n.to_string()),
        Value::String(s) => Atom::Text(s.clone()),
        Value::Array(_) => Atom::List(atoms(value)),
        Value::Object(map) => Atom::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), atoms(value)))
                .collect(),
        ),
    }
}

mod builder;

pub use builder::{Condition, Document, Effect, Principal, Statement};

#[cfg(test)]
mod tests;

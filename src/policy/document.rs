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

const DOCUMENT_KEY_ORDER: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEY_ORDER: &[&str] = &[
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

/// Checks what IAM checks of an identity-based policy (one attached to a
/// role or user) before it is sent: every statement has `Effect` `Allow` or
/// `Deny`, an `Action` or `NotAction`, a `Resource` or `NotResource`, and no
/// `Principal` (only trust and resource policies name one).
pub fn check_identity_policy(s: &str) -> Result<(), PolicyError> {
    let (_, statements) = parse_policy(s)?;
    if statements.is_empty() {
        return Err(PolicyError::new("policy `Statement` is empty"));
    }
    for (index, statement) in statements.iter().enumerate() {
        let n = index + 1;
        let has = |key: &str| statement.contains_key(key);
        match statement.get("Effect").and_then(Value::as_str) {
            Some("Allow" | "Deny") => {}
            Some(other) => {
                return Err(PolicyError::new(format!(
                    "statement {n}: `Effect` must be `Allow` or `Deny`; got `{other}`"
                )));
            }
            None => {
                return Err(PolicyError::new(format!(
                    "statement {n}: `Effect` must be `Allow` or `Deny`, and it is missing"
                )));
            }
        }
        if !has("Action") && !has("NotAction") {
            return Err(PolicyError::new(format!(
                "statement {n} needs `Action` or `NotAction`"
            )));
        }
        if !has("Resource") && !has("NotResource") {
            return Err(PolicyError::new(format!(
                "statement {n} needs `Resource` or `NotResource`"
            )));
        }
        if has("Principal") || has("NotPrincipal") {
            return Err(PolicyError::new(format!(
                "statement {n} names a `Principal`, which only trust and resource policies may"
            )));
        }
    }
    Ok(())
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

/// The federated principals (identity provider ARNs) a trust policy's
/// `Allow` statements name, in order; empty when it is not a policy.
pub fn federated_principals(s: &str) -> Vec<String> {
    let Ok((_, statements)) = parse_policy(s) else {
        return Vec::new();
    };
    statements
        .iter()
        .filter(|st| st.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .filter_map(|st| st.get("Principal")?.get("Federated"))
        .flat_map(|federated| match federated {
            Value::String(arn) => vec![arn.clone()],
            Value::Array(arns) => arns
                .iter()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
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
    ordered(document, DOCUMENT_KEY_ORDER)
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
    ordered(statement, STATEMENT_KEY_ORDER)
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

// ---------------------------------------------------------------------------
// Typed builder used by the presets.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(&self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Who a trust policy lets assume the role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// AWS services, e.g. `ec2.amazonaws.com`.
    Service(Vec<String>),
    /// An identity provider ARN (web identity / SAML federation).
    Federated(String),
    /// Accounts, roles or users (ARNs or account ids).
    Aws(Vec<String>),
}

impl Principal {
    pub fn service(service: impl Into<String>) -> Self {
        Principal::Service(vec![service.into()])
    }

    pub fn federated(provider_arn: impl Into<String>) -> Self {
        Principal::Federated(provider_arn.into())
    }

    pub fn aws(arn: impl Into<String>) -> Self {
        Principal::Aws(vec![arn.into()])
    }

    fn to_value(&self) -> Value {
        let (kind, value) = match self {
            Principal::Service(services) => ("Service", strings(services)),
            Principal::Federated(arn) => ("Federated", Value::String(arn.clone())),
            Principal::Aws(arns) => ("AWS", strings(arns)),
        };
        Value::Object(Map::from_iter([(kind.to_string(), value)]))
    }
}

/// One `"<operator>": { "<key>": [values] }` entry of a statement's Condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// One policy statement, built fluently:
/// `Statement::allow().sid("X").actions(["s3:GetObject"]).resource("*")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<Principal>,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub conditions: Vec<Condition>,
}

impl Statement {
    pub fn new(effect: Effect) -> Self {
        Statement {
            sid: None,
            effect,
            principal: None,
            actions: Vec::new(),
            resources: Vec::new(),
            conditions: Vec::new(),
        }
    }

    pub fn allow() -> Self {
        Statement::new(Effect::Allow)
    }

    pub fn deny() -> Self {
        Statement::new(Effect::Deny)
    }

    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    pub fn principal(mut self, principal: Principal) -> Self {
        self.principal = Some(principal);
        self
    }

    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.actions.push(action.into());
        self
    }

    pub fn actions<I, S>(mut self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.actions.extend(actions.into_iter().map(Into::into));
        self
    }

    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resources.push(resource.into());
        self
    }

    pub fn resources<I, S>(mut self, resources: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.resources.extend(resources.into_iter().map(Into::into));
        self
    }

    /// Adds `value` to the values of `operator` / `key` (a second call with
    /// the same operator and key adds an alternative value).
    pub fn condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        let (operator, key, value) = (operator.into(), key.into(), value.into());
        match self
            .conditions
            .iter_mut()
            .find(|c| c.operator == operator && c.key == key)
        {
            Some(existing) => existing.values.push(value),
            None => self.conditions.push(Condition {
                operator,
                key,
                values: vec![value],
            }),
        }
        self
    }

    fn to_object(&self) -> JsonObject {
        let mut object = Map::new();
        if let Some(sid) = &self.sid {
            object.insert("Sid".into(), Value::String(sid.clone()));
        }
        object.insert("Effect".into(), Value::String(self.effect.as_str().into()));
        if let Some(principal) = &self.principal {
            object.insert("Principal".into(), principal.to_value());
        }
        if !self.actions.is_empty() {
            object.insert("Action".into(), strings(&self.actions));
        }
        if !self.resources.is_empty() {
            object.insert("Resource".into(), strings(&self.resources));
        }
        if !self.conditions.is_empty() {
            let mut operators = Map::new();
            for condition in &self.conditions {
                let keys = operators
                    .entry(condition.operator.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(keys) = keys {
                    keys.insert(condition.key.clone(), strings(&condition.values));
                }
            }
            object.insert("Condition".into(), Value::Object(operators));
        }
        object
    }
}

/// A policy document (Version is always [`POLICY_VERSION`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub statements: Vec<Statement>,
}

impl Document {
    pub fn new(statements: impl IntoIterator<Item = Statement>) -> Self {
        Document {
            statements: statements.into_iter().collect(),
        }
    }

    /// Exactly what [`canonical_json`] gives for this document's JSON.
    pub fn to_canonical_json(&self) -> String {
        let header =
            Map::from_iter([("Version".to_string(), Value::String(POLICY_VERSION.into()))]);
        let statements = self.statements.iter().map(Statement::to_object).collect();
        Value::Object(canonical_document(header, statements)).to_string()
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn federated_principals_are_read_in_every_shape() {
        let one = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/a"},"Action":"sts:AssumeRoleWithWebIdentity"}}"#;
        assert_eq!(
            federated_principals(one),
            ["arn:aws:iam::1:oidc-provider/a"]
        );
        let many = r#"{"Statement":[{"Effect":"Deny","Principal":{"Federated":"x"}},{"Effect":"Allow","Principal":{"Federated":["b","c"]}},{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}]}"#;
        assert_eq!(federated_principals(many), ["b", "c"]);
        assert!(trusts_federated(
            &super::tests_support::url_encode(many),
            "c"
        ));
        assert!(!trusts_federated(many, "x"));
        assert!(federated_principals("not json").is_empty());
    }

    #[test]
    fn the_subject_of_a_web_identity_trust() {
        let trust = r#"{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":{"oidc.example.com/id/X:aud":"sts.amazonaws.com","oidc.example.com/id/X:sub":["system:serviceaccount:ns:sa"]}}}]}"#;
        assert_eq!(
            web_identity_subject(trust),
            Some(("ns".into(), "sa".into()))
        );
        assert_eq!(
            web_identity_subject(r#"{"Statement":[{"Effect":"Allow"}]}"#),
            None
        );
    }

    use super::*;
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

    const TRUST: &str = r#"{
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ns:sa",
                "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"
            }}
        }]
    }"#;

    const TWO_STATEMENTS: &str = r#"{
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:DescribeRegions"], "Resource": "*"},
            {"Sid": "B", "Effect": "Allow", "Action": "iam:GetRole", "Resource": ["arn:aws:iam::123456789012:role/kubernetes-*"]}
        ]
    }"#;

    fn url_encoded(s: &str) -> String {
        utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
    }

    fn assert_equivalent(a: &str, b: &str) {
        assert!(equivalent(a, b), "expected equivalent:\n{a}\n{b}");
        assert!(equivalent(b, a), "expected symmetric:\n{b}\n{a}");
    }

    fn assert_not_equivalent(a: &str, b: &str) {
        assert!(!equivalent(a, b), "expected different:\n{a}\n{b}");
        assert!(!equivalent(b, a), "expected different:\n{b}\n{a}");
    }

    #[test]
    fn from_iam_decodes_url_encoding_and_passes_json_through() {
        let encoded = url_encoded(TRUST);
        assert!(!encoded.contains('{'));
        assert_eq!(from_iam(&encoded), TRUST);
        assert_eq!(from_iam(TRUST), TRUST);
        assert_eq!(from_iam("  {\"a\":1}"), "  {\"a\":1}");
        // `+` is literal in IAM's encoding; spaces are %20.
        assert_eq!(
            from_iam("%7B%22a%2Bb%22%3A%22x+y%20z%22%7D"),
            r#"{"a+b":"x+y z"}"#
        );
    }

    #[test]
    fn canonical_json_orders_keys_and_collapses_single_lists() {
        let source = r#"{
            "Statement": {
                "Condition": {
                    "StringLike": {"b:k": ["v"]},
                    "StringEquals": {"z:k": ["1", "2"], "a:k": "x"}
                },
                "Resource": ["*"],
                "Action": ["s3:PutObject", "s3:GetObject"],
                "Principal": {"Service": ["ec2.amazonaws.com"], "AWS": ["arn:aws:iam::123456789012:root"]},
                "Effect": "Allow",
                "Zeta": 1,
                "Alpha": ["only"],
                "Sid": "S"
            },
            "Id": "doc",
            "Version": "2012-10-17"
        }"#;
        let expected = concat!(
            r#"{"Version":"2012-10-17","Id":"doc","Statement":[{"Sid":"S","Effect":"Allow","#,
            r#""Principal":{"AWS":"arn:aws:iam::123456789012:root","Service":"ec2.amazonaws.com"},"#,
            r#""Action":["s3:PutObject","s3:GetObject"],"Resource":"*","#,
            r#""Condition":{"StringEquals":{"a:k":"x","z:k":["1","2"]},"StringLike":{"b:k":"v"}},"#,
            r#""Alpha":"only","Zeta":1}]}"#
        );
        assert_eq!(canonical_json(source).unwrap(), expected);
        // Idempotent, and URL-encoded input gives the same result.
        assert_eq!(canonical_json(expected).unwrap(), expected);
        assert_eq!(canonical_json(&url_encoded(source)).unwrap(), expected);
    }

    #[test]
    fn canonical_json_keeps_order_duplicates_and_star_principal() {
        let source = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Deny","Principal":"*","NotAction":["b","a","b"],"NotResource":["*"]},
            {"Effect":"Allow","Action":"x","Resource":"*"}]}"#;
        assert_eq!(
            canonical_json(source).unwrap(),
            concat!(
                r#"{"Version":"2012-10-17","Statement":["#,
                r#"{"Effect":"Deny","Principal":"*","NotAction":["b","a","b"],"NotResource":"*"},"#,
                r#"{"Effect":"Allow","Action":"x","Resource":"*"}]}"#
            )
        );
    }

    #[test]
    fn canonical_json_errors() {
        let error = |s: &str| canonical_json(s).unwrap_err().to_string();
        assert_eq!(
            error(""),
            "policy is not valid JSON: EOF while parsing a value at line 1 column 0"
        );
        assert_eq!(
            error("nope"),
            "policy is not valid JSON: expected ident at line 1 column 2"
        );
        assert_eq!(
            error("{\n,}"),
            "policy is not valid JSON: key must be a string at line 2 column 1"
        );
        assert_eq!(error("[1]"), "policy is not a JSON object");
        assert_eq!(
            error(r#"{"Version":"2012-10-17"}"#),
            "policy has no `Statement`"
        );
        assert_eq!(
            error(r#"{"Statement":"x"}"#),
            "policy `Statement` must be an object or an array of objects"
        );
        assert_eq!(
            error(r#"{"Statement":[{},"x"]}"#),
            "policy statement 2 is not a JSON object"
        );
        assert!(error(r#"{"Statement":[}"#).starts_with("policy is not valid JSON: "));
    }

    #[test]
    fn canonical_json_is_idempotent_on_nested_single_lists() {
        // Found by tests/fuzz.rs: collapsing top-down left `["x"]` behind.
        let source = r#"{"Statement":[{"Effect":"Allow","X":[[["x"]]],"Y":[[1.1]]}]}"#;
        let canonical = canonical_json(source).unwrap();
        assert_eq!(
            canonical,
            r#"{"Statement":[{"Effect":"Allow","X":"x","Y":[[1.1]]}]}"#
        );
        assert_eq!(canonical_json(&canonical).unwrap(), canonical);
        // Floats keep every digit (serde_json's `float_roundtrip`).
        let float = r#"{"Statement":[{"Effect":"Allow","N":4.2066275042656156e-61}]}"#;
        let once = canonical_json(float).unwrap();
        assert_eq!(canonical_json(&once).unwrap(), once);
    }

    #[test]
    fn identity_policy_checks() {
        let check = |s: &str| check_identity_policy(s).map_err(|e| e.to_string());
        assert_eq!(check(TWO_STATEMENTS), Ok(()));
        let cases = [
            (r#"{"Statement":[]}"#, "`Statement` is empty"),
            (
                r#"{"Statement":{"Effect":"Permit","Action":"a","Resource":"*"}}"#,
                "statement 1: `Effect` must be `Allow` or `Deny`; got `Permit`",
            ),
            (
                r#"{"Statement":[{"Action":"a","Resource":"*"}]}"#,
                "and it is missing",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"a","Resource":"*"},{"Effect":"Allow","Resource":"*"}]}"#,
                "statement 2 needs `Action` or `NotAction`",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"a"}]}"#,
                "needs `Resource` or `NotResource`",
            ),
            (TRUST, "needs `Resource`"),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"a","Resource":"*"}]}"#,
                "names a `Principal`",
            ),
            ("{", "not valid JSON"),
        ];
        for (doc, reason) in cases {
            let err = check(doc).expect_err(doc);
            assert!(err.contains(reason), "{doc}: {err}");
        }
    }

    #[test]
    fn equivalent_ignores_what_iam_rewrites() {
        // Statement order, action order, string vs one-element list, key order.
        let rewritten = r#"{"Statement":[
            {"Resource":"arn:aws:iam::123456789012:role/kubernetes-*","Action":["iam:GetRole"],"Effect":"Allow","Sid":"B"},
            {"Effect":"Allow","Sid":"A","Resource":["*"],"Action":["ec2:DescribeRegions","ec2:DescribeInstances"]}
        ],"Version":"2012-10-17"}"#;
        assert_equivalent(TWO_STATEMENTS, rewritten);
        assert_equivalent(TWO_STATEMENTS, &url_encoded(rewritten));
        assert_equivalent(&url_encoded(TWO_STATEMENTS), &url_encoded(rewritten));

        // Reordered condition keys and operators; condition keys in another case;
        // a single statement object instead of an array.
        let trust_rewritten = r#"{"Version":"2012-10-17","Statement":{
            "Condition":{"StringEquals":{
                "OIDC.EKS.US-EAST-1.AMAZONAWS.COM/id/abc:aud":["sts.amazonaws.com"],
                "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:ns:sa"}},
            "Action":["sts:AssumeRoleWithWebIdentity"],
            "Principal":{"Federated":["arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"]},
            "Effect":"Allow"}}"#;
        assert_equivalent(TRUST, trust_rewritten);
        assert_equivalent(TRUST, &canonical_json(TRUST).unwrap());

        // Duplicates do not change the meaning; booleans compare as their text.
        assert_equivalent(
            r#"{"Statement":[{"Effect":"Allow","Action":["a","b","a"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true}}}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":["b","a"],"Resource":"*","Condition":{"Bool":{"aws:securetransport":"true"}}}]}"#,
        );
    }

    #[test]
    fn equivalent_sees_real_differences() {
        let two = TWO_STATEMENTS;
        let changed = [
            // an action
            two.replace("ec2:DescribeRegions", "ec2:DescribeVpcs"),
            // an action removed
            two.replace(r#", "ec2:DescribeRegions""#, ""),
            // the effect
            two.replacen("Allow", "Deny", 1),
            // a resource
            two.replace("kubernetes-*", "*"),
            // a statement dropped
            r#"{"Version": "2012-10-17", "Statement": [
                {"Sid": "A", "Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:DescribeRegions"], "Resource": "*"}
            ]}"#
            .to_string(),
            // the version
            two.replace("2012-10-17", "2008-10-17"),
            // Action is not NotAction
            two.replace("\"Action\": \"iam:GetRole\"", "\"NotAction\": \"iam:GetRole\""),
            // action names are case-sensitive here
            two.replace("iam:GetRole", "iam:getrole"),
        ];
        for other in &changed {
            assert_ne!(other, two);
            assert!(canonical_json(other).is_ok(), "{other}");
            assert_not_equivalent(two, other);
        }

        let trust_changed = [
            TRUST.replace("system:serviceaccount:ns:sa", "system:serviceaccount:ns:*"),
            TRUST.replace("\"sts.amazonaws.com\"", "\"sts.amazonaws.com.cn\""),
            TRUST.replace("StringEquals", "StringLike"),
            TRUST.replace("123456789012:oidc", "210987654321:oidc"),
            TRUST.replace("\"Federated\"", "\"AWS\""),
            TRUST.replace(":aud", ":amr"),
        ];
        for other in &trust_changed {
            assert_ne!(other, TRUST);
            assert_not_equivalent(TRUST, other);
        }
    }

    #[test]
    fn unparseable_is_never_equivalent() {
        assert!(!equivalent("", ""));
        assert!(!equivalent("{", "{"));
        assert!(!equivalent("{}", "{}"));
        assert!(!equivalent("%7B", TRUST));
        assert!(!equivalent(TRUST, "not json"));
    }

    #[test]
    fn builder_matches_canonical_json() {
        let document = Document::new([
            Statement::allow()
                .sid("Trust")
                .principal(Principal::Service(vec!["ssm.amazonaws.com".into()]))
                .action("sts:AssumeRole"),
            Statement::deny()
                .actions(["s3:DeleteObject", "s3:PutObject"])
                .resources(["arn:aws:s3:::b/*", "arn:aws:s3:::b"])
                .condition("StringNotEquals", "aws:PrincipalTag/team", "a")
                .condition("StringNotEquals", "aws:PrincipalTag/team", "b")
                .condition("Bool", "aws:SecureTransport", "false"),
        ]);
        let json = document.to_canonical_json();
        assert_eq!(
            json,
            concat!(
                r#"{"Version":"2012-10-17","Statement":["#,
                r#"{"Sid":"Trust","Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"sts:AssumeRole"},"#,
                r#"{"Effect":"Deny","Action":["s3:DeleteObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b"],"#,
                r#""Condition":{"Bool":{"aws:SecureTransport":"false"},"StringNotEquals":{"aws:PrincipalTag/team":["a","b"]}}}]}"#
            )
        );
        assert_eq!(canonical_json(&json).unwrap(), json);
    }

    #[test]
    fn builder_principals() {
        let json = |p: Principal| {
            Document::new([Statement::allow().principal(p).action("sts:AssumeRole")])
                .to_canonical_json()
        };
        assert!(
            json(Principal::service("ec2.amazonaws.com"))
                .contains(r#""Principal":{"Service":"ec2.amazonaws.com"}"#)
        );
        assert!(
            json(Principal::federated(
                "arn:aws:iam::123456789012:saml-provider/x"
            ))
            .contains(r#""Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/x"}"#)
        );
        assert!(
            json(Principal::Aws(vec![
                "arn:aws:iam::123456789012:root".into(),
                "111122223333".into()
            ]))
            .contains(r#""Principal":{"AWS":["arn:aws:iam::123456789012:root","111122223333"]}"#)
        );
        assert!(
            json(Principal::aws("111122223333")).contains(r#""Principal":{"AWS":"111122223333"}"#)
        );
    }
}

#[cfg(test)]
mod tests_support {
    /// IAM's URL encoding of a document, as GetRole returns it.
    pub fn url_encode(s: &str) -> String {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    }
}

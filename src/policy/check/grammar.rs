//! IAM's policy grammar: what IAM refuses with `MalformedPolicyDocument`.
//! Each check reports and goes on, so one run names every problem; what the
//! document does say is collected for the checks against the catalogue.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::conditions::conditions;
use super::problem::{At, Found, Kind, Problem, Rule, backticked};
use super::resources::refused;
use crate::policy::catalogue::closest;
use crate::policy::document::{DOCUMENT_ELEMENTS, STATEMENT_ELEMENTS, from_iam};

const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];
const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

/// What a document says, for the checks against the catalogue.
#[derive(Debug, Default)]
pub struct Parsed<'a> {
    pub version: Option<&'a str>,
    /// Whether a `Resource` or condition value holds a policy variable (`${...}`).
    pub variables: bool,
    pub statements: Vec<Said<'a>>,
}

/// What one statement says.
#[derive(Debug)]
pub struct Said<'a> {
    pub at: At,
    /// Its `Action` or `NotAction` values.
    pub actions: Vec<&'a str>,
    pub not_action: bool,
    /// Its `Resource` or `NotResource` values.
    pub resources: Vec<&'a str>,
    /// Each condition's operator and key.
    pub conditions: Vec<(&'a str, &'a str)>,
    /// Each principal's type (`AWS`, `Service`, ...) and value.
    pub principals: Vec<(&'a str, &'a str)>,
}

/// The document's JSON (plain or URL-encoded, as IAM returns it), or the
/// problem that it is not.
pub fn parse_json(text: &str, problems: &mut Vec<Problem>) -> Option<Value> {
    match serde_json::from_str(&from_iam(text)) {
        Ok(value) => Some(value),
        Err(e) => {
            problems.push(malformed(
                None,
                format!("the policy is not valid JSON: {e}"),
            ));
            None
        }
    }
}

fn malformed(at: Option<&At>, message: String) -> Problem {
    Problem {
        rule: Rule::Grammar,
        at: at.cloned(),
        message,
    }
}

/// Checks `document` as IAM parses a policy of `kind`.
pub fn check<'a>(document: &'a Value, kind: Kind, problems: &mut Vec<Problem>) -> Parsed<'a> {
    let mut parsed = Parsed::default();
    let Value::Object(document) = document else {
        problems.push(malformed(
            None,
            "the policy must be a JSON object with `Version` and `Statement`".into(),
        ));
        return parsed;
    };
    for key in document.keys() {
        if !DOCUMENT_ELEMENTS.contains(&key.as_str()) {
            problems.push(malformed(
                None,
                format!("`{key}` is not an element of a policy; IAM's are `Version`, `Id` and `Statement`"),
            ));
        }
    }
    match document.get("Version") {
        None => {}
        Some(Value::String(v)) if VERSIONS.contains(&v.as_str()) => parsed.version = Some(v),
        Some(other) => problems.push(malformed(
            None,
            format!(
                "`Version` must be `2012-10-17` (or the older `2008-10-17`); got `{}`",
                text(other)
            ),
        )),
    }
    // (A version that is neither was reported above.)
    let old_or_missing = document.get("Version").is_none() || parsed.version == Some(VERSIONS[1]);
    if kind == Kind::Managed && old_or_missing {
        problems.push(malformed(
            None,
            "a managed policy's `Version` must be `2012-10-17`".into(),
        ));
    }
    if let Some(id) = document.get("Id").filter(|id| !id.is_string()) {
        problems.push(malformed(
            None,
            format!("`Id` must be a string; got `{id}`"),
        ));
    }
    let statements: Vec<(Option<usize>, &Value)> = match document.get("Statement") {
        None => {
            problems.push(malformed(None, "the policy has no `Statement`".into()));
            return parsed;
        }
        Some(Value::Array(items)) if items.is_empty() => {
            problems.push(malformed(None, "`Statement` is an empty list".into()));
            return parsed;
        }
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| (Some(i), s))
            .collect(),
        Some(single @ Value::Object(_)) => vec![(None, single)],
        Some(_) => {
            problems.push(malformed(
                None,
                "`Statement` must be an object or a list of objects".into(),
            ));
            return parsed;
        }
    };
    let mut sids: HashMap<&str, At> = HashMap::new();
    for (index, statement) in statements {
        let Value::Object(statement) = statement else {
            let at = At { index, sid: None };
            problems.push(malformed(
                Some(&at),
                "a statement must be a JSON object".into(),
            ));
            continue;
        };
        let said = check_statement(
            statement,
            index,
            kind,
            &mut sids,
            &mut parsed.variables,
            problems,
        );
        parsed.statements.push(said);
    }
    parsed
}

fn check_statement<'a>(
    statement: &'a Map<String, Value>,
    index: Option<usize>,
    kind: Kind,
    sids: &mut HashMap<&'a str, At>,
    variables: &mut bool,
    problems: &mut Vec<Problem>,
) -> Said<'a> {
    let sid = statement.get("Sid");
    let at = At {
        index,
        sid: sid.and_then(Value::as_str).map(str::to_string),
    };
    let mut found = Found::new();
    for key in statement.keys() {
        if !STATEMENT_ELEMENTS.contains(&key.as_str()) {
            let hint = closest(key, STATEMENT_ELEMENTS, 1)
                .first()
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            found.push((
                Rule::Grammar,
                format!(
                    "`{key}` is not an element of a statement{hint}; IAM's are {}",
                    backticked(&STATEMENT_ELEMENTS)
                ),
            ));
        }
    }
    check_sid(sid, index, sids, &mut found);
    match statement.get("Effect") {
        Some(Value::String(e)) if e == "Allow" || e == "Deny" => {}
        Some(other) => found.push((
            Rule::Grammar,
            format!("`Effect` must be `Allow` or `Deny`; got `{}`", text(other)),
        )),
        None => found.push((
            Rule::Grammar,
            "the statement has no `Effect`: write `\"Effect\": \"Allow\"` or `\"Deny\"`".into(),
        )),
    }
    let (actions, not_action) = one_of(statement, ["Action", "NotAction"], &mut found);
    for action in &actions {
        if let Some(message) = action_form(action) {
            found.push((Rule::Grammar, message));
        }
    }
    let resources = match kind {
        Kind::Trust => {
            for element in ["Resource", "NotResource"] {
                if statement.contains_key(element) {
                    found.push((
                        Rule::Grammar,
                        format!("a trust policy takes no `{element}`: the role is the resource"),
                    ));
                }
            }
            Vec::new()
        }
        Kind::Inline | Kind::Managed => {
            one_of(statement, ["Resource", "NotResource"], &mut found).0
        }
    };
    for resource in &resources {
        *variables |= resource.contains("${");
        if let Some(message) = refused(resource) {
            found.push((Rule::Grammar, message));
        }
    }
    let principals = match kind {
        Kind::Trust => principals(statement, &mut found),
        Kind::Inline | Kind::Managed => {
            for element in ["Principal", "NotPrincipal"] {
                if statement.contains_key(element) {
                    found.push((
                        Rule::Grammar,
                        format!(
                            "an identity policy takes no `{element}`: it applies to whoever it is attached to (only trust and resource policies name principals)"
                        ),
                    ));
                }
            }
            Vec::new()
        }
    };
    let conditions = conditions(statement.get("Condition"), variables, &mut found);
    // What IAM refuses first, then what it accepts.
    found.sort_by_key(|(rule, _)| *rule != Rule::Grammar);
    problems.extend(found.into_iter().map(|(rule, message)| Problem {
        rule,
        at: Some(at.clone()),
        message,
    }));
    Said {
        at,
        actions,
        not_action,
        resources,
        conditions,
        principals,
    }
}

fn check_sid<'a>(
    sid: Option<&'a Value>,
    index: Option<usize>,
    sids: &mut HashMap<&'a str, At>,
    found: &mut Found,
) {
    match sid {
        None => {}
        Some(Value::String(sid)) => {
            if !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
                found.push((
                    Rule::Grammar,
                    format!("`Sid` `{sid}` may hold only letters and digits (A-Z, a-z, 0-9)"),
                ));
            }
            if sid.is_empty() {
                return;
            }
            match sids.get(sid.as_str()) {
                Some(first) => found.push((
                    Rule::Grammar,
                    format!("the Sid `{sid}` is also the Sid of {first}: each must be unique"),
                )),
                None => {
                    sids.insert(sid, At { index, sid: None });
                }
            }
        }
        Some(other) => found.push((
            Rule::Grammar,
            format!("`Sid` must be a string; got `{other}`"),
        )),
    }
}

/// The values of whichever of the two elements (`Action`/`NotAction`,
/// `Resource`/`NotResource`) the statement has: exactly one of them, a
/// string or a non-empty list of strings. True when it is the second.
fn one_of<'a>(
    statement: &'a Map<String, Value>,
    [element, negated]: [&str; 2],
    found: &mut Found,
) -> (Vec<&'a str>, bool) {
    let (name, value, not) = match (statement.get(element), statement.get(negated)) {
        (Some(_), Some(_)) => {
            found.push((
                Rule::Grammar,
                format!("the statement has both `{element}` and `{negated}`: a statement takes one of them"),
            ));
            return (Vec::new(), false);
        }
        (None, None) => {
            found.push((
                Rule::Grammar,
                format!("the statement has no `{element}` (or `{negated}`)"),
            ));
            return (Vec::new(), false);
        }
        (Some(value), None) => (element, value, false),
        (None, Some(value)) => (negated, value, true),
    };
    match strings(value) {
        Some(values) if values.is_empty() => {
            found.push((Rule::Grammar, format!("`{name}` is an empty list")));
            (values, not)
        }
        Some(values) => (values, not),
        None => {
            found.push((
                Rule::Grammar,
                format!("`{name}` must be a string or a list of strings; got `{value}`"),
            ));
            (Vec::new(), not)
        }
    }
}

/// A string, or a list of strings; None for anything else.
fn strings(value: &Value) -> Option<Vec<&str>> {
    match value {
        Value::String(s) => Some(vec![s]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// What is wrong with the form of an action, as IAM reads it: `*`, or a
/// service prefix (letters, digits, `-` and `.`, or `*`), one `:`, a name.
fn action_form(action: &str) -> Option<String> {
    if action == "*" {
        return None;
    }
    let Some((service, _)) = action.split_once(':') else {
        return Some(format!(
            "`{action}` must be `<service>:<action>`, such as `s3:GetObject`, or `*`"
        ));
    };
    if action.matches(':').count() > 1 {
        return Some(format!(
            "`{action}` has more than one `:`: an action is `<service>:<action>`, such as `s3:GetObject`"
        ));
    }
    let valid = service == "*"
        || (!service.is_empty()
            && service
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    (!valid).then(|| {
        format!(
            "the service prefix `{service}` of `{action}` may hold only letters, digits, `-` and `.` (or be `*`)"
        )
    })
}

/// A trust statement's principals: exactly one of `Principal` and
/// `NotPrincipal`, `"*"` or an object of principal types to a string or a
/// non-empty list of strings.
fn principals<'a>(statement: &'a Map<String, Value>, found: &mut Found) -> Vec<(&'a str, &'a str)> {
    let value = match (statement.get("Principal"), statement.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            found.push((
                Rule::Grammar,
                "the statement has both `Principal` and `NotPrincipal`: a statement takes one of them".into(),
            ));
            return Vec::new();
        }
        (None, None) => {
            found.push((
                Rule::Grammar,
                "the statement has no `Principal`: a trust policy names who may assume the role"
                    .into(),
            ));
            return Vec::new();
        }
        (Some(value), None) | (None, Some(value)) => value,
    };
    let shape = || {
        format!(
            "`Principal` must be `\"*\"` or an object whose keys are {} and whose values are strings or lists of strings; got `{value}`",
            backticked(&PRINCIPAL_TYPES)
        )
    };
    match value {
        Value::String(s) if s == "*" => vec![("AWS", "*")],
        Value::Object(map) => {
            let mut all = Vec::new();
            for (kind, values) in map {
                match strings(values) {
                    Some(list) if !list.is_empty() && PRINCIPAL_TYPES.contains(&kind.as_str()) => {
                        all.extend(list.into_iter().map(|v| (kind.as_str(), v)));
                    }
                    _ => found.push((Rule::Grammar, shape())),
                }
            }
            all
        }
        _ => {
            found.push((Rule::Grammar, shape()));
            Vec::new()
        }
    }
}

/// A JSON value as text for a message: strings without their quotes.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

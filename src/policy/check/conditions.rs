//! The `Condition` element: IAM's operators (with `IfExists` and the set
//! qualifiers), condition keys of the form `<service>:<name>`, and values.

use serde_json::Value;

use super::problem::{Found, Rule, backticked};
use crate::policy::catalogue::closest;

/// IAM's condition operators (IAM User Guide, "IAM JSON policy elements:
/// Condition operators"). Each but `Null` also takes `IfExists`; each may
/// follow a set qualifier.
pub const OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];
pub const SET_QUALIFIERS: [&str; 2] = ["ForAllValues:", "ForAnyValue:"];

const IF_EXISTS: &str = "IfExists";

/// A statement's conditions: an object of operators, each an object of
/// condition keys (`<service>:<name>`) to values (strings, numbers, booleans
/// or lists of them). Returns each operator with each of its keys.
pub fn conditions<'a>(
    condition: Option<&'a Value>,
    variables: &mut bool,
    found: &mut Found,
) -> Vec<(&'a str, &'a str)> {
    let mut all = Vec::new();
    let Some(condition) = condition else {
        return all;
    };
    let Value::Object(operators) = condition else {
        found.push((
            Rule::Grammar,
            format!("`Condition` must be an object of condition operators; got `{condition}`"),
        ));
        return all;
    };
    for (operator, keys) in operators {
        if let Some((rule, message)) = operator_problem(operator) {
            found.push((rule, message));
        }
        let Value::Object(keys) = keys else {
            found.push((
                Rule::Grammar,
                format!("`{operator}` must be an object of condition keys and their values; got `{keys}`"),
            ));
            continue;
        };
        for (key, values) in keys {
            if key
                .split_once(':')
                .is_none_or(|(service, name)| service.is_empty() || name.is_empty())
            {
                found.push((
                    Rule::Grammar,
                    format!("the condition key `{key}` must be `<service>:<name>`, such as `aws:SourceIp`"),
                ));
            }
            let atoms = match values {
                Value::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            for atom in atoms {
                match atom {
                    Value::String(s) => *variables |= s.contains("${"),
                    Value::Bool(_) | Value::Number(_) => {}
                    other => found.push((
                        Rule::Grammar,
                        format!(
                            "the value of `{key}` under `{operator}` must be a string, number, boolean or a list of them; got `{other}`"
                        ),
                    )),
                }
            }
            all.push((operator.as_str(), key.as_str()));
        }
    }
    all
}

/// What is wrong with a condition operator: unknown (IAM refuses it), or
/// known but for its case or an `IfExists` on `Null` (reported as a name).
fn operator_problem(operator: &str) -> Option<(Rule, String)> {
    let (qualifier, rest) = SET_QUALIFIERS
        .iter()
        .find(|q| starts_with_ignore_case(operator, q))
        .map_or(("", operator), |q| operator.split_at(q.len()));
    let (base, suffix) = match rest.len().checked_sub(IF_EXISTS.len()) {
        Some(cut) if rest.is_char_boundary(cut) && rest[cut..].eq_ignore_ascii_case(IF_EXISTS) => {
            rest.split_at(cut)
        }
        _ => (rest, ""),
    };
    let Some(spelt) = OPERATORS.iter().find(|o| o.eq_ignore_ascii_case(base)) else {
        let hint = closest(base, OPERATORS, 2)
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {hint}?)")
        };
        return Some((
            Rule::Grammar,
            format!(
                "`{operator}` is not a condition operator{hint}; IAM's are {}, each optionally ending in `IfExists` (but `Null`) and starting with `ForAllValues:` or `ForAnyValue:`",
                backticked(&OPERATORS)
            ),
        ));
    };
    if *spelt == "Null" && !suffix.is_empty() {
        return Some((
            Rule::Operator,
            format!("`{operator}`: `Null` takes no `IfExists` (it tests whether the key is there)"),
        ));
    }
    let exact = (qualifier.is_empty() || SET_QUALIFIERS.contains(&qualifier))
        && base == *spelt
        && (suffix.is_empty() || suffix == IF_EXISTS);
    (!exact).then(|| {
        let qualifier = SET_QUALIFIERS
            .iter()
            .find(|q| q.eq_ignore_ascii_case(qualifier))
            .copied()
            .unwrap_or_default();
        let suffix = if suffix.is_empty() { "" } else { IF_EXISTS };
        (
            Rule::Operator,
            format!("the condition operator `{operator}` is spelt `{qualifier}{spelt}{suffix}`"),
        )
    })
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

//! `validate_policy(json)`: the problems the provider's policy checks find
//! in a document, offline, for `variable` validation and `terraform test`.

use std::collections::BTreeMap;

use crate::policy::check::{Finding, Kind, PolicyChecks, Severity, check};
use crate::tfplugin::{CallRequest, CallResponse, Definition, Function, Parameter, Type, Value};

pub struct ValidatePolicy;

/// The result's type: `{ errors = list(string), warnings = list(string) }`.
fn returns() -> Type {
    Type::Object(BTreeMap::from([
        ("errors".to_string(), Type::list(Type::String)),
        ("warnings".to_string(), Type::list(Type::String)),
    ]))
}

/// A document any of whose statements names a principal is a trust
/// policy; any other an identity policy.
fn kind_of(json: &str) -> Kind {
    let names_principal = |statement: &serde_json::Value| {
        statement.get("Principal").is_some() || statement.get("NotPrincipal").is_some()
    };
    let document: Option<serde_json::Value> = serde_json::from_str(json).ok();
    let trust = match document.as_ref().and_then(|d| d.get("Statement")) {
        Some(serde_json::Value::Array(statements)) => statements.iter().any(names_principal),
        Some(statement) => names_principal(statement),
        None => false,
    };
    if trust { Kind::Trust } else { Kind::Inline }
}

impl Function for ValidatePolicy {
    fn name(&self) -> &'static str {
        "validate_policy"
    }

    fn definition(&self) -> Definition {
        Definition {
            summary: "The problems the provider's policy checks find in an IAM policy document.".to_string(),
            description: "Checks an IAM policy document (JSON) as the provider checks the policies given to its resources, \
                 offline and with no credentials or provider configuration, so it also works under `mock_provider` \
                 in `terraform test`: against IAM's policy grammar, and against the provider's catalogue of IAM \
                 actions and condition keys. Returns an object with `errors`, what IAM refuses and names it does \
                 not know (unknown services and actions, wildcards that match no action, resources that are not \
                 ARNs, principals of unknown forms), and `warnings`, condition keys that no service of the \
                 statement defines and policy variables that are not replaced; each is a list of messages that \
                 name the statement (`Statement[0]`, with its Sid) and the value, and both are empty for a good \
                 document. A document whose statements name a `Principal` is checked as a role's trust policy, \
                 any other as an identity policy (an inline or managed permissions policy). Use it in a variable's \
                 `validation` block: `condition = length(provider::clusteriam::validate_policy(var.policy).errors) == 0`."
                .to_string(),
            parameters: vec![Parameter::string(
                "json",
                "The policy document, e.g. from `jsonencode(...)` or `file(...)`.",
            )],
            returns: returns(),
        }
    }

    fn call(&self, request: CallRequest) -> CallResponse {
        let json = request.string(0).unwrap_or_default();
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        for problem in check(json, kind_of(json)) {
            // As the provider block's default, `policy_checks = "strict"`.
            match PolicyChecks::Strict.severity(problem.finding()) {
                Some(Severity::Error) => errors.push(problem.to_string()),
                Some(Severity::Warning) => warnings.push(problem.to_string()),
                None => debug_assert_ne!(problem.finding(), Finding::Malformed),
            }
        }
        Ok(Value::Map(BTreeMap::from([
            ("errors".to_string(), Value::string_list(errors)),
            ("warnings".to_string(), Value::string_list(warnings)),
        ])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(json: &str) -> (Vec<String>, Vec<String>) {
        let result = ValidatePolicy
            .call(CallRequest {
                arguments: vec![Value::string(json)],
            })
            .expect("validate_policy never fails");
        let list = |name: &str| -> Vec<String> {
            result.as_map().unwrap()[name]
                .as_list()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        (list("errors"), list("warnings"))
    }

    #[test]
    fn returns_errors_and_warnings_naming_the_statement() {
        let good = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(call(good), (vec![], vec![]));
        let bad = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"Read","Effect":"Allow","Action":"s3:GetObjet","Resource":"*","Condition":{"StringLike":{"s3:prefx":"a"}}},
            {"Effect":"Permit","Action":"s3:PutObject","Resource":"*"}]}"#;
        let (errors, warnings) = call(bad);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        // What IAM refuses first.
        assert!(
            errors[0].starts_with("`Statement[1]`: `Effect` must be `Allow` or `Deny`")
                && errors[1]
                    .starts_with("`Statement[0]` (Sid `Read`): `s3:GetObjet` is not an action"),
            "{errors:#?}"
        );
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(warnings[0].contains("`s3:prefx`"), "{warnings:#?}");
        assert_eq!(call("{").0.len(), 1);
    }

    #[test]
    fn a_document_naming_principals_is_checked_as_a_trust_policy() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(kind_of(trust), Kind::Trust);
        assert_eq!(call(trust), (vec![], vec![]));
        let single = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}"#;
        assert!(call(single).0[0].contains("a trust policy takes no `Resource`"));
    }
}

//! The permissions a role kind leaves to the user: managed policies by ARN
//! (`policy_arns`) and one inline policy (`policy`), as Torque's roles take
//! them. The role has exactly these.

use crate::policy::check_identity_policy;
use crate::tfplugin::{Attribute, AttributePath, Diagnostics, Type, Value};
use crate::validate::{check_attr, check_value};

/// `policy_arns`, defaulting to none, and `policy`, whose inline policy is
/// named `inline_name`; `purpose` completes "The ARNs of the managed IAM
/// policies ...".
pub fn attributes(purpose: &str, inline_name: &str) -> Vec<Attribute> {
    vec![
        Attribute::optional_computed(
            "policy_arns",
            Type::set(Type::String),
            &format!(
                "The ARNs of the managed IAM policies {purpose}. The role has exactly these attached: others are detached. Unset, the role has none (the same as `[]`)."
            ),
        )
        .default(Value::string_list(Vec::<String>::new())),
        Attribute::optional_string(
            "policy",
            &format!(
                "An inline IAM policy (JSON) for the role, e.g. from `jsonencode(...)`. The role has exactly this inline policy (`{inline_name}`), or none when unset."
            ),
        ),
    ]
}

/// Checks `policy` (an identity policy IAM would take) and `policy_arns`
/// (managed policy ARNs) at validate.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    check_attr(config, "policy", diags, |p| {
        check_identity_policy(p)
            .map_err(|e| format!("`policy` must be an IAM policy document: {e}"))
    });
    if let Some(arns) = config.get("policy_arns").as_list() {
        for (i, arn) in arns.iter().enumerate() {
            let path = AttributePath::root("policy_arns");
            check_value(path, arn, diags, |a| match a.parse::<crate::arn::Arn>() {
                Ok(parsed) if parsed.service == "iam" && parsed.resource.starts_with("policy/") => {
                    Ok(())
                }
                _ => Err(format!(
                    "element {i} of `policy_arns` must be the ARN of a managed IAM policy (arn:<partition>:iam::<account or aws>:policy/<name>); got `{a}`"
                )),
            });
        }
    }
}

//! The permissions a role kind leaves to the user: managed policies by ARN
//! (`policy_arns`) and one inline policy (`policy`), as Torque's roles take
//! them. The role has exactly these.

use super::model::{PolicyArnsModel, PolicyModel};
use crate::model;
use crate::tfplugin::model::Known;
use crate::tfplugin::{Attr, Attribute, AttributePath, Diagnostics, Model, Type, Value};
use crate::validate::check_value;

/// `policy_arns`, defaulting to none, and `policy`, whose inline policy is
/// named `inline_name`; `purpose` completes "The ARNs of the managed IAM
/// policies ...".
pub fn attributes(purpose: &str, inline_name: &str) -> Vec<Attribute> {
    vec![
        Attribute::optional_computed(
            PolicyArnsModel::policy_arns,
            Type::set(Type::String),
            &format!(
                "The ARNs of the managed IAM policies {purpose}. The role has exactly these attached: others are detached. Unset, the role has none (the same as `[]`)."
            ),
        )
        .default(Value::string_list(Vec::<String>::new())),
        Attribute::optional_string(
            PolicyModel::policy,
            &format!(
                "An inline IAM policy (JSON) for the role, e.g. from `jsonencode(...)`. The role has exactly this inline policy (`{inline_name}`), or none when unset. It is checked before anything is created: against IAM's policy grammar at `terraform validate`, and at plan against the provider's catalogue of IAM actions and condition keys, as the provider's `policy_checks` setting says (see the guide \"Policy checks at plan\")."
            ),
        ),
    ]
}

model! {
    /// `policy_arns` read as a list: each element in the order Terraform
    /// sent it, unknown ones too, so that an error counts elements as the
    /// configuration does.
    struct PolicyArnsList {
        policy_arns: Attr<Vec<Attr<String>>>,
    }
}

/// Checks `policy_arns` (managed policy ARNs) at validate. `policy` is
/// checked for every role kind that takes one, at validate and at plan (the
/// role resource's `check_user_policy`).
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    let Attr::Known(arns) = PolicyArnsList::read(config).policy_arns else {
        return;
    };
    for (i, arn) in arns.iter().enumerate() {
        let path = AttributePath::root(PolicyArnsModel::policy_arns);
        check_value(path, &arn.encode(), diags, |a| {
            match a.parse::<crate::arn::Arn>() {
                Ok(parsed) if parsed.service == "iam" && parsed.resource.starts_with("policy/") => {
                    Ok(())
                }
                _ => Err(format!(
                    "element {i} of `policy_arns` must be the ARN of a managed IAM policy (arn:<partition>:iam::<account or aws>:policy/<name>); got `{a}`"
                )),
            }
        });
    }
}

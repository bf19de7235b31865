//! The attributes every role-shaped resource has, and their checks.

use crate::aws::Aws;
use crate::resources::common::naming::check_naming;
use crate::resources::common::tags::{tag_attributes, validate_tags};
use crate::tfplugin::{Attribute, Diagnostics, Type, Value};
use crate::validate::check_attr;

pub const DEFAULT_MAX_SESSION: i64 = 3600;
/// IAM role names: 64 characters, 46 for a prefix (18 go to the suffix).
pub const NAME_LIMITS: (usize, usize) = (64, 46);

/// The computed attribute naming inline policies someone else put on the role.
pub const EXTRA_INLINE_POLICIES: &str = "extra_inline_policies";
/// The computed attribute naming managed policies someone else attached, for
/// kinds whose configuration names none.
pub const EXTRA_POLICY_ARNS: &str = "extra_policy_arns";

/// `instance_profile`: whether the kind has an instance profile, which takes
/// the role's path; `attaches_policies`: whether the kind's configuration
/// names the managed policies the role has (else `extra_policy_arns` shows
/// those attached outside the resource); `trust_hides_secret`: whether the
/// trust shows a placeholder for its external id.
pub fn common_attributes(
    instance_profile: bool,
    attaches_policies: bool,
    trust_hides_secret: bool,
) -> Vec<Attribute> {
    let path_description = if instance_profile {
        "The path of the role and its instance profile, e.g. `/rancher/`. Defaults to `/`. Changing it replaces the role."
    } else {
        "The path of the role, e.g. `/platform/`. Defaults to `/`. Changing it replaces the role."
    };
    let mut attrs = vec![
        Attribute::computed_string("id", "The role name.").stable(),
        Attribute::optional_computed_string(
            "name",
            "The role name (1-64 letters, digits and `+=,.@_-`). Conflicts with `name_prefix`. Changing it replaces the role.",
        )
        .requires_replace()
        .stable(),
        Attribute::optional_string(
            "name_prefix",
            "Create a unique role name beginning with this prefix, at most 46 characters (IAM's 64 less the 18 of the generated suffix). Conflicts with `name`. Changing it replaces the role.",
        )
        .requires_replace(),
        Attribute::optional_computed_string("path", path_description)
            .requires_replace()
            .default(Value::string("/")),
        Attribute::optional_string("description", "A description of the role."),
        Attribute::optional_string(
            "permissions_boundary",
            "The ARN of a managed policy that sets the maximum permissions of the role.",
        ),
        Attribute::optional_computed(
            "max_session_duration",
            Type::Number,
            "The longest session, in seconds, that assuming the role gives: 3600 to 43200. Defaults to 3600.",
        )
        .default(Value::int(DEFAULT_MAX_SESSION)),
        Attribute::computed_string("arn", "The ARN of the role.").stable(),
        Attribute::computed_string("unique_id", "The stable unique id IAM gives the role.").stable(),
        Attribute::computed(
            EXTRA_INLINE_POLICIES,
            Type::set(Type::String),
            "The names of inline policies on the role other than its own (`policy`, where the resource has one): policies put on it outside this resource. The role has exactly its own inline policy, or none, so the plan always shows this as null, and apply deletes every policy named here. Null when there is none.",
        ),
    ];
    if !attaches_policies {
        attrs.push(Attribute::computed(
            EXTRA_POLICY_ARNS,
            Type::set(Type::String),
            "The ARNs of managed policies attached to the role outside this resource. The role has no managed policy attached, so the plan always shows this as null, and apply detaches every policy listed here. Null when there is none.",
        ));
    }
    attrs.push(if trust_hides_secret {
        Attribute::computed_string(
            "assume_role_policy",
            "The role's trust policy, as canonical JSON, with `\"(sensitive external_id)\"` \
             in place of the external id, which only the sensitive `external_id` holds.",
        )
    } else {
        Attribute::computed_string(
            "assume_role_policy",
            "The role's trust policy, as canonical JSON.",
        )
    });
    attrs.extend(tag_attributes());
    attrs
}

/// Checks the common attributes at validate.
pub fn validate_common(config: &Value, diags: &mut Diagnostics) {
    check_naming(config, "role", NAME_LIMITS, diags);
    check_attr(config, "permissions_boundary", diags, |arn| {
        let parsed: Result<crate::arn::Arn, _> = arn.parse();
        match parsed {
            Ok(a) if a.service == "iam" && a.resource.starts_with("policy/") => Ok(()),
            _ => Err(format!(
                "`permissions_boundary` must be the ARN of a managed policy (arn:<partition>:iam::<account>:policy/<name>); got `{arn}`"
            )),
        }
    });
    if let Some(n) = config.get("max_session_duration").as_i64()
        && !(3600..=43200).contains(&n)
    {
        diags.attribute_error(
            "max_session_duration",
            "Invalid `max_session_duration`",
            format!("`max_session_duration` must be between 3600 and 43200 seconds; got {n}"),
        );
    }
    validate_tags(config, diags);
}

/// Reports policy ARNs (the boundary, the attached policies in
/// `managed_attribute`) from another partition than the caller's, which IAM
/// would refuse only at apply. Returns whether all are in the caller's.
pub fn check_partitions(
    config: &Value,
    managed_attribute: Option<&str>,
    aws: &Aws,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    let mut check = |attr: &str, arn: &str, what: String| {
        if let Ok(parsed) = arn.parse::<crate::arn::Arn>()
            && parsed.partition != aws.partition
        {
            diags.attribute_error(
                attr,
                format!("Invalid `{attr}`"),
                format!(
                    "{what} is in partition `{}`, but the provider works in `{}`; use the \
                     ARN of the policy in `{}`",
                    parsed.partition, aws.partition, aws.partition
                ),
            );
            ok = false;
        }
    };
    if let Some(arn) = config.get_str("permissions_boundary") {
        check(
            "permissions_boundary",
            arn,
            "`permissions_boundary`".to_string(),
        );
    }
    if let Some(attr) = managed_attribute {
        for arn in config.get_strings(attr) {
            check(attr, &arn, format!("`{arn}` in `{attr}`"));
        }
    }
    ok
}

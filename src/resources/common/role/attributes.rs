//! The attributes every role-shaped resource has, and their checks.

use super::RoleKind;
use super::model::{
    DEFAULT_MAX_SESSION, ExtraPolicyArnsModel, PolicyArnsModel, RoleModel, known_elements,
};
use crate::aws::Aws;
use crate::resources::common::naming::{NamingModel, check_naming};
use crate::resources::common::tags::{tag_attributes, validate_tags};
use crate::tfplugin::{Attribute, Diagnostics, Model, Type, Value};
use crate::validate::check_attr;

/// IAM role names: 64 characters, 46 for a prefix (18 go to the suffix).
pub const NAME_LIMITS: (usize, usize) = (64, 46);

/// The attributes of [`RoleModel`], [`NamingModel`] and
/// [`TagsModel`](crate::resources::common::tags::TagsModel),
/// and `extra_policy_arns` for a kind that attaches no policies.
pub fn common_attributes<K: RoleKind>() -> Vec<Attribute> {
    let path_description = if K::INSTANCE_PROFILE {
        "The path of the role and its instance profile, e.g. `/rancher/`. Defaults to `/`. Changing it replaces the role."
    } else {
        "The path of the role, e.g. `/platform/`. Defaults to `/`. Changing it replaces the role."
    };
    let mut attrs = vec![
        Attribute::computed_string(RoleModel::id, "The role name.").stable(),
        Attribute::optional_computed_string(
            NamingModel::name,
            "The role name (1-64 letters, digits and `+=,.@_-`). Conflicts with `name_prefix`. Changing it replaces the role.",
        )
        .requires_replace()
        .stable(),
        Attribute::optional_string(
            NamingModel::name_prefix,
            "Create a unique role name beginning with this prefix, at most 46 characters (IAM's 64 less the 18 of the generated suffix). Conflicts with `name`. Changing it replaces the role.",
        )
        .requires_replace(),
        Attribute::optional_computed_string(NamingModel::path, path_description)
            .requires_replace()
            .default(Value::string("/")),
        Attribute::optional_string(NamingModel::description, "A description of the role."),
        Attribute::optional_string(
            RoleModel::permissions_boundary,
            "The ARN of a managed policy that sets the maximum permissions of the role.",
        ),
        Attribute::optional_computed(
            RoleModel::max_session_duration,
            Type::Number,
            "The longest session, in seconds, that assuming the role gives: 3600 to 43200. Defaults to 3600.",
        )
        .default(Value::int(DEFAULT_MAX_SESSION)),
        Attribute::computed_string(RoleModel::arn, "The ARN of the role.").stable(),
        Attribute::computed_string(RoleModel::unique_id, "The stable unique id IAM gives the role.")
            .stable(),
        Attribute::computed(
            RoleModel::extra_inline_policies,
            Type::set(Type::String),
            "The names of inline policies on the role other than its own (`policy`, where the resource has one): policies put on it outside this resource. The role has exactly its own inline policy, or none, so the plan always shows this as null, and apply deletes every policy named here. Null when there is none.",
        ),
    ];
    if !K::ATTACHES_POLICIES {
        attrs.push(Attribute::computed(
            ExtraPolicyArnsModel::extra_policy_arns,
            Type::set(Type::String),
            "The ARNs of managed policies attached to the role outside this resource. The role has no managed policy attached, so the plan always shows this as null, and apply detaches every policy listed here. Null when there is none.",
        ));
    }
    let trust = RoleModel::assume_role_policy;
    let trust = if K::TRUST_HIDES_SECRET {
        Attribute::computed_string(
            trust,
            "The role's trust policy, as canonical JSON, with `\"(sensitive external_id)\"` \
             in place of the external id, which only the sensitive `external_id` holds.",
        )
    } else {
        Attribute::computed_string(trust, "The role's trust policy, as canonical JSON.")
    };
    // A trust the kind accepts for the one it now renders is no change.
    attrs.push(trust.semantic_equality(same_trust::<K>));
    attrs.extend(tag_attributes());
    attrs
}

/// [`RoleKind::accepts_trust`] of two `assume_role_policy` values.
fn same_trust<K: RoleKind>(stored: &Value, wanted: &Value) -> bool {
    match (stored.as_str(), wanted.as_str()) {
        (Some(stored), Some(wanted)) => K::accepts_trust(stored, wanted),
        _ => false,
    }
}

/// Checks the common attributes at validate.
pub fn validate_common(config: &Value, diags: &mut Diagnostics) {
    check_naming(config, "role", NAME_LIMITS, diags);
    let boundary = RoleModel::permissions_boundary;
    check_attr(config, boundary, diags, |arn| {
        let parsed: Result<crate::arn::Arn, _> = arn.parse();
        match parsed {
            Ok(a) if a.service == "iam" && a.resource.starts_with("policy/") => Ok(()),
            _ => Err(format!(
                "`permissions_boundary` must be the ARN of a managed policy (arn:<partition>:iam::<account>:policy/<name>); got `{arn}`"
            )),
        }
    });
    // A number that is not whole reads as unset: IAM takes whole seconds.
    let duration = config.get(RoleModel::max_session_duration);
    let whole = RoleModel::read(config).max_session_duration.into_known();
    match (duration, whole) {
        (Value::Number(n), None) => diags.attribute_error(
            RoleModel::max_session_duration,
            "Invalid `max_session_duration`",
            format!("`max_session_duration` must be a whole number of seconds; got {n}"),
        ),
        (_, Some(n)) if !(3600..=43200).contains(&n) => diags.attribute_error(
            RoleModel::max_session_duration,
            "Invalid `max_session_duration`",
            format!("`max_session_duration` must be between 3600 and 43200 seconds; got {n}"),
        ),
        _ => {}
    }
    validate_tags(config, diags);
}

/// Reports policy ARNs (the boundary, the attached policies of a kind that
/// `attaches_policies`) from another partition than the caller's, which IAM
/// would refuse only at apply. Returns whether all are in the caller's.
pub fn check_partitions(
    config: &Value,
    attaches_policies: bool,
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
    let boundary = RoleModel::permissions_boundary;
    if let Some(arn) = RoleModel::read(config).permissions_boundary.known() {
        check(boundary, arn, format!("`{boundary}`"));
    }
    if attaches_policies {
        let attr = PolicyArnsModel::policy_arns;
        for arn in known_elements(&PolicyArnsModel::read(config).policy_arns) {
            check(attr, &arn, format!("`{arn}` in `{attr}`"));
        }
    }
    ok
}

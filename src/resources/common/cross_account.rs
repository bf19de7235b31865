//! Roles another account's principal assumes (Torque's target roles, KKP's
//! AssumeRole role): the trusted principal's ARN, checked at validate for
//! its shape and at plan against the caller's partition, and the optional
//! external id, a secret that never appears in an error.

use crate::arn::Arn;
use crate::aws::{Aws, ObservedRole};
use crate::policy::{aws_principals, required_external_id, trusts::cross_account_trust};
use crate::tfplugin::{Attribute, AttributePath, Diagnostics, Value};
use crate::validate::{check_attr, check_external_id};

/// `external_id`: optional and sensitive; `who` completes "the external id
/// ... must pass", e.g. "Terraform on the Torque agent".
pub fn external_id_attribute(who: &str) -> Attribute {
    Attribute::optional_string(
        "external_id",
        &format!(
            "The external id {who} must pass to assume the role (2 to 1224 letters, digits and \
             `_+=,.@:/-`). When set, the trust requires it with a `StringEquals` condition on \
             `sts:ExternalId`, which keeps a third party from being tricked into using its \
             access for someone else (the IAM User Guide's \"confused deputy problem\"). Unset, \
             the trust requires none. Sensitive: it is never shown in plans or errors. Changing \
             it updates the trust policy in place."
        ),
    )
    .sensitive()
}

/// Checks `principal_attr` (`check` gives the reason a value is wrong) and
/// `external_id` at validate.
pub fn validate(
    config: &Value,
    principal_attr: &str,
    check: fn(&str) -> Result<(), String>,
    diags: &mut Diagnostics,
) {
    check_attr(config, principal_attr, diags, |arn| {
        check(arn).map_err(|e| format!("`{principal_attr}`: {e}"))
    });
    check_attr(config, "external_id", diags, |id| {
        check_external_id(id, "external_id")
    });
}

/// The trust for `input`: `sts:AssumeRole` for the principal in
/// `principal_attr`, with the external id when set; None while either is
/// unknown. A principal in another partition than the caller's is refused.
pub fn trust(
    input: &Value,
    principal_attr: &str,
    aws: &Aws,
) -> Result<Option<String>, (AttributePath, String)> {
    let external_id = match input.get("external_id") {
        Value::Null => None,
        Value::String(id) => Some(id.as_str()),
        _ => return Ok(None),
    };
    let Some(principal) = input.get_str(principal_attr) else {
        return Ok(None);
    };
    if let Ok(arn) = principal.parse::<Arn>()
        && arn.partition != aws.partition
    {
        return Err((
            principal_attr.into(),
            format!(
                "`{principal_attr}` is in partition `{}`, but the provider works in `{}`: a role \
                 can trust only principals of its own partition",
                arn.partition, aws.partition
            ),
        ));
    }
    Ok(Some(
        cross_account_trust(principal, external_id).to_canonical_json(),
    ))
}

/// At import (or a read of state that lacks them), fills in an unset
/// principal and `external_id` from the role's trust policy.
pub fn import_trust_inputs(
    state: &mut Value,
    role: &ObservedRole,
    principal_attr: &str,
) -> Result<(), String> {
    if !state.get(principal_attr).is_null() {
        return Ok(());
    }
    let principal = aws_principals(&role.trust)
        .into_iter()
        .next()
        .ok_or_else(|| {
            format!(
                "the trust policy of {} names no AWS principal (an account, user or role) that may \
             assume it",
                role.name
            )
        })?;
    state.set(principal_attr, Value::string(principal));
    state.set(
        "external_id",
        Value::opt_string(required_external_id(&role.trust)),
    );
    Ok(())
}

//! Roles another account's principal assumes (Torque's target roles, KKP's
//! AssumeRole role): the trusted principal's ARN, checked at validate for
//! its shape and at plan against the caller's partition, and the optional
//! external id, a secret that never appears in an error, a plan or any
//! attribute but the sensitive `external_id`: `assume_role_policy` shows
//! [`EXTERNAL_ID_PLACEHOLDER`] in its place, and the id goes into the trust
//! only on its way to IAM.

use serde_json::Value as Json;

use crate::arn::Arn;
use crate::aws::ObservedRole;
use crate::model;
use crate::policy::aws_principals;
use crate::policy::trusts::{EXTERNAL_ID_KEY, cross_account_trust};
use crate::tfplugin::{Attr, Attribute, AttributePath, Diagnostics, Model, Value};
use crate::validate::{check_attr, check_external_id};

/// What `assume_role_policy` shows for the external id. No external id can
/// be this text: STS takes no spaces or parentheses.
pub const EXTERNAL_ID_PLACEHOLDER: &str = "(sensitive external_id)";

model! {
    /// The external id of a kind whose trust hides it
    /// ([`RoleKind::TRUST_HIDES_SECRET`](super::role::RoleKind::TRUST_HIDES_SECRET)).
    pub struct ExternalIdModel {
        pub external_id: Attr<String>,
    }
}

/// `external_id`: optional and sensitive; `who` completes "the external id
/// ... must pass", e.g. "Terraform on the Torque agent".
pub fn external_id_attribute(who: &str) -> Attribute {
    Attribute::optional_string(
        ExternalIdModel::external_id,
        &format!(
            "The external id {who} must pass to assume the role (2 to 1224 letters, digits and \
             `_+=,.@:/-`). When set, the trust requires it with a `StringEquals` condition on \
             `sts:ExternalId`, which keeps a third party from being tricked into using its \
             access for someone else (the IAM User Guide's \"confused deputy problem\"). Unset, \
             the trust requires none. Sensitive: it is never shown in plans or errors, and \
             `assume_role_policy` shows `\"(sensitive external_id)\"` in its place. A refresh \
             reads it from the role's trust, so an external id changed outside Terraform shows \
             as a (sensitive) change. Changing it updates the trust policy in place."
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
    check_attr(config, ExternalIdModel::external_id, diags, |id| {
        check_external_id(id, ExternalIdModel::external_id)
    });
}

/// The trust for `input` as the state shows it: `sts:AssumeRole` for
/// `principal` (the attribute `principal_attr`), with the external id (as
/// the placeholder) when set; None while either is unknown. A principal in
/// another partition than the caller's (`partition`) is refused.
pub fn trust(
    input: &Value,
    (principal_attr, principal): (&str, &Attr<String>),
    partition: &str,
) -> Result<Option<String>, (AttributePath, String)> {
    let external_id = match ExternalIdModel::read(input).external_id {
        Attr::Null => None,
        Attr::Known(id) => Some(id),
        Attr::Unknown => return Ok(None),
    };
    let Some(principal) = principal.as_deref() else {
        return Ok(None);
    };
    if let Ok(arn) = principal.parse::<Arn>()
        && arn.partition != partition
    {
        return Err((
            principal_attr.into(),
            format!(
                "`{principal_attr}` is in partition `{}`, but the provider works in `{}`: a role \
                 can trust only principals of its own partition",
                arn.partition, partition
            ),
        ));
    }
    let shown = external_id.map(|_| EXTERNAL_ID_PLACEHOLDER);
    Ok(Some(
        cross_account_trust(principal, shown).to_canonical_json(),
    ))
}

/// The trust to send: `stored` with the planned `external_id` in place of
/// the placeholder.
pub fn trust_to_send(stored: &str, planned: &Value) -> String {
    match ExternalIdModel::read(planned).external_id.as_deref() {
        Some(id) => stored.replace(
            &Json::from(EXTERNAL_ID_PLACEHOLDER).to_string(),
            &Json::from(id).to_string(),
        ),
        None => stored.to_string(),
    }
}

/// The trust to show: IAM's, with every value of an `sts:ExternalId`
/// condition (under any operator) replaced by the placeholder.
pub fn trust_to_show(trust: &str) -> String {
    let Ok(mut document) = serde_json::from_str::<Json>(trust) else {
        return trust.to_string();
    };
    let statements = match document.get_mut("Statement") {
        Some(Json::Array(all)) => all.iter_mut().collect(),
        Some(one @ Json::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    for statement in statements {
        let Some(Json::Object(operators)) = statement.get_mut("Condition") else {
            continue;
        };
        for keys in operators.values_mut().filter_map(Json::as_object_mut) {
            for (key, value) in keys.iter_mut() {
                if key.eq_ignore_ascii_case(EXTERNAL_ID_KEY) {
                    *value = match value {
                        Json::Array(items) => Json::Array(
                            items
                                .iter()
                                .map(|_| EXTERNAL_ID_PLACEHOLDER.into())
                                .collect(),
                        ),
                        _ => EXTERNAL_ID_PLACEHOLDER.into(),
                    };
                }
            }
        }
    }
    document.to_string()
}

/// At import (or a read of state that lacks it), fills in an unset
/// `principal` from the role's trust policy; whether it did. (The external
/// id is read with every role whose trust hides one.)
pub fn import_principal(principal: &mut Attr<String>, role: &ObservedRole) -> Result<bool, String> {
    if !principal.is_null() {
        return Ok(false);
    }
    let first = aws_principals(&role.trust).into_iter().next();
    let found = first.ok_or_else(|| {
        format!(
            "the trust policy of {} names no AWS principal (an account, user or role) that may \
             assume it",
            role.name
        )
    })?;
    *principal = Attr::Known(found);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::equivalent;
    use crate::resources::common::object;

    const MASTER: &str = "arn:aws:iam::111111111111:role/master";

    #[test]
    fn the_external_id_is_in_the_trust_only_on_its_way_to_iam() {
        let master = Attr::Known(MASTER.to_string());
        let input = object(&[
            ("master_role_arn", Value::string(MASTER)),
            ("external_id", Value::string("id-1")),
        ]);
        let shown = trust(&input, ("master_role_arn", &master), "aws")
            .unwrap()
            .unwrap();
        assert!(!shown.contains("id-1") && shown.contains(EXTERNAL_ID_PLACEHOLDER));
        let sent = trust_to_send(&shown, &input);
        assert_eq!(
            sent,
            cross_account_trust(MASTER, Some("id-1")).to_canonical_json()
        );
        // IAM's text, in any shape, shows as the planned trust does.
        let iam = r#"{"Statement":[{"Condition":{"StringEquals":{"STS:ExternalId":["id-1"]}},"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/master"}}],"Version":"2012-10-17"}"#;
        let read_back = trust_to_show(iam);
        assert!(!read_back.contains("id-1"), "{read_back}");
        assert!(equivalent(&read_back, &shown), "{read_back}");
        // Without an external id there is nothing to hide.
        let none = object(&[("master_role_arn", Value::string(MASTER))]);
        let plain = trust(&none, ("master_role_arn", &master), "aws")
            .unwrap()
            .unwrap();
        assert_eq!(trust_to_send(&plain, &none), plain);
        assert!(equivalent(&trust_to_show(&plain), &plain));
        // Unknown while the external id is.
        let unknown = object(&[
            ("master_role_arn", Value::string(MASTER)),
            ("external_id", Value::Unknown),
        ]);
        assert_eq!(
            trust(&unknown, ("master_role_arn", &master), "aws"),
            Ok(None)
        );
    }
}

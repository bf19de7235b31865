//! What a platform's role is: a [`RoleKind`], its own attributes and
//! documents, and the few things the common code tells it.

use serde_json::Value as Json;

use super::model::{PolicyModel, RoleModel};
use crate::aws::{Aws, ObservedRole};
use crate::resources::common::cross_account;
use crate::tfplugin::{Attribute, AttributePath, Diagnostics, Model, Value};

/// One platform's role: its attributes and documents.
pub trait RoleKind: Send + Sync + 'static {
    const TYPE_NAME: &'static str;
    /// The resource's description (a full sentence or more).
    const DESCRIPTION: &'static str;
    /// The prefix of a generated name when neither `name` nor `name_prefix` is set.
    const NAME_PREFIX: &'static str;
    /// The name used instead when neither is set; None generates one.
    const DEFAULT_NAME: Option<&'static str> = None;
    /// The role's inline policy's name, when it does not depend on an input.
    const POLICY_NAME: Option<&'static str> = None;
    /// Whether the kind names the managed policies the role has, in
    /// `policy_arns` ([`PolicyArnsModel`](super::PolicyArnsModel)); else
    /// `extra_policy_arns` shows those attached outside the resource.
    const ATTACHES_POLICIES: bool = false;
    /// Whether the role gets an instance profile of its name.
    const INSTANCE_PROFILE: bool = false;
    /// Whether `name` is required (the kind's `validate` says why), so that
    /// no remedy may suggest `name_prefix`.
    const NAME_REQUIRED: bool = false;
    /// Whether the trust policy holds a secret (an external id), which
    /// `assume_role_policy` shows as a placeholder ([`RoleKind::trust`]
    /// renders it so, [`RoleKind::trust_to_send`] and
    /// [`RoleKind::trust_to_show`] convert): the secret is in one sensitive
    /// attribute only, `external_id`
    /// ([`ExternalIdModel`](cross_account::ExternalIdModel)), which a read
    /// takes from the role's trust. (With two, Terraform orders their marks
    /// at random and `plan -refresh-only -detailed-exitcode` reports changes
    /// that are not.)
    const TRUST_HIDES_SECRET: bool = false;
    /// For a role that trusts an OIDC provider, the description of its
    /// `oidc_provider_arn` ([`OidcProviderArnModel`]), which the common code
    /// declares (first of the kind's attributes), checks at validate and
    /// reads back from the trust at import.
    ///
    /// [`OidcProviderArnModel`]: crate::resources::common::web_identity::OidcProviderArnModel
    const OIDC_PROVIDER_ARN: Option<&'static str> = None;
    /// The schema version of the kind's state; raise it with
    /// [`RoleKind::added`] when an attribute is added whose absence
    /// in older state means something.
    const SCHEMA_VERSION: i64 = 0;

    /// The platform's own attributes, including `policy` (which is a
    /// [`PolicyModel`]'s), `policy_arns` and `external_id` where it has them.
    fn attributes(&self) -> Vec<Attribute>;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// The trust policy for `input` (the configuration at plan, the planned
    /// state at apply); Ok(None) while an input is unknown.
    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)>;
    /// Whether the stored trust still serves when the kind now renders
    /// `wanted`: when equivalent. A kind whose platform reprinted its trust
    /// with the same meaning accepts the older text too, so that neither a
    /// state from before nor a role made from the older page plans a change.
    /// (The schema's semantic equality of `assume_role_policy`.)
    fn accepts_trust(stored: &str, wanted: &str) -> bool {
        crate::policy::equivalent(stored, wanted)
    }
    /// The trust to send to IAM for the planned state `planned`, whose
    /// `assume_role_policy` is `stored`: with the external id in place of
    /// the placeholder.
    fn trust_to_send(&self, stored: &str, planned: &Value) -> String {
        match Self::TRUST_HIDES_SECRET {
            true => cross_account::trust_to_send(stored, planned),
            false => stored.to_string(),
        }
    }
    /// The trust as the state shows it, for IAM's `trust`.
    fn trust_to_show(&self, trust: &str) -> String {
        match Self::TRUST_HIDES_SECRET {
            true => cross_account::trust_to_show(trust),
            false => trust.to_string(),
        }
    }
    /// Whether the kind has a `policy` attribute.
    fn has_policy(&self) -> bool {
        self.attributes()
            .iter()
            .any(|a| a.name == PolicyModel::policy)
    }
    /// The name of the role's inline policy.
    fn inline_policy_name(&self, _input: &Value) -> Option<String> {
        Self::POLICY_NAME.map(str::to_string)
    }
    /// The inline policy, when `policy` is a computed attribute (Ok(None)
    /// while an input is unknown; an error with an empty path is about no
    /// attribute). Kinds whose `policy` the user writes are never asked.
    fn policy(
        &self,
        _input: &Value,
        _aws: &Aws,
    ) -> Result<Option<String>, (AttributePath, String)> {
        Ok(None)
    }
    /// Fills the kind's computed attributes that follow from the rest of
    /// `state`: at plan (`role` None) some may still be unknown; after a read
    /// `role` is what AWS has.
    fn fill_computed(&self, _state: &mut Value, _aws: &Aws, _role: Option<&ObservedRole>) {}
    /// The attributes added after schema version 0 whose absence in older
    /// state means something (`state`, the stored one, for values that
    /// follow from it).
    fn added(&self, _state: &Json) -> Vec<Added> {
        Vec::new()
    }
    /// After an import (inputs still null), recovers the kind's inputs from
    /// the role.
    fn import_inputs(&self, _import: Import<'_>) -> Result<(), String> {
        Ok(())
    }
}

/// An attribute added in a schema version: the version, the attribute, and
/// the value it stands for in state from before (see [`RoleKind::added`]).
pub type Added = (i64, &'static str, Json);

/// Sets `attr` of stored state to `value` where a state from before it had
/// one holds nothing (missing or null).
pub(super) fn fill_in_state(state: &mut Json, attr: &str, value: Json) -> Result<(), String> {
    let attributes = state.as_object_mut().ok_or("the state is not an object")?;
    if attributes.get(attr).is_none_or(|v| v.is_null()) {
        attributes.insert(attr.into(), value);
    }
    Ok(())
}

/// The role's ARN, which says its account: AWS's after a read (`role`),
/// else the planned one (at plan the prior one on update, so also known
/// without STS).
pub fn role_arn(state: &Value, role: Option<&ObservedRole>) -> Option<String> {
    role.map(|r| r.arn.clone())
        .or_else(|| RoleModel::read(state).arn.into_known())
}

/// The account of [`role_arn`].
pub fn role_account(state: &Value, role: Option<&ObservedRole>) -> Option<String> {
    let arn = role_arn(state, role)?;
    arn.split(':').nth(4).map(str::to_string)
}

/// What an import knows: the state being built (the kind's inputs still
/// null), the role as AWS has it, and what followed `/` in the import id.
pub struct Import<'a> {
    pub state: &'a mut Value,
    pub role: &'a ObservedRole,
    pub hint: Option<&'a str>,
}

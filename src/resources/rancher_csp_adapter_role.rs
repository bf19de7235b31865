//! `clusteriam_rancher_csp_adapter_role` (seed 000): the web-identity role
//! the Rancher CSP adapter uses to check licenses in and out.

use super::common::role::{Import, RoleKind};
use super::common::web_identity::{
    import_oidc_provider_arn, oidc_provider, validate_oidc_provider_arn,
};
use crate::aws::{Aws, ObservedRole};
use crate::policy::{presets, published};
use crate::tfplugin::{Attribute, AttributePath, Diagnostics, Value};

pub struct RancherCspAdapterRole;

const INLINE_POLICY: &str = "RancherCSPAdapterPermissions";

impl RoleKind for RancherCspAdapterRole {
    const TYPE_NAME: &'static str = "clusteriam_rancher_csp_adapter_role";

    const DESCRIPTION: &'static str = "The IAM role the Rancher CSP adapter (Rancher on the AWS Marketplace) uses to check entitlements in \
         and out, as Rancher's adapter requirements page documents: trusted by the cluster's IAM OIDC provider \
         for exactly the `cattle-csp-adapter-system:rancher-csp-adapter` service account and audience \
         `sts.amazonaws.com`, with the documented license-manager policy. The adapter install asks for the \
         role's name and `account_id`.";

    const NAME_PREFIX: &'static str = "rancher-csp-adapter-";

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::required_string(
                "oidc_provider_arn",
                "The ARN of the EKS cluster's IAM OIDC provider, e.g. from \
                 `clusteriam_oidc_provider`. Changing it updates the trust policy in place.",
            ),
            Attribute::computed_string(
                "policy",
                "The role's inline policy (`RancherCSPAdapterPermissions`), as canonical JSON: the documented license-manager permissions.",
            ),
            Attribute::computed_string(
                "account_id",
                "The AWS account id of the role, which the CSP adapter install asks for beside the role name.",
            ),
        ]
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_oidc_provider_arn(config, diags);
    }

    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(oidc_provider(input, aws)?
            .map(|arn| presets::rancher_csp_adapter_trust(&arn).to_canonical_json()))
    }

    const POLICY_NAME: Option<&'static str> = Some(INLINE_POLICY);

    fn policy(&self, _input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(Some(
            published::RANCHER_CSP_ADAPTER
                .render_in(&aws.partition)
                .to_canonical_json(),
        ))
    }

    fn fill_computed(&self, state: &mut Value, _aws: &Aws, role: Option<&ObservedRole>) {
        // The role's own ARN says its account: at plan the planned ARN (the
        // prior one on update, so also known without STS), after a read AWS's.
        let arn = role.map(|r| r.arn.as_str()).or(state.get_str("arn"));
        let account = arn
            .and_then(|arn| arn.split(':').nth(4))
            .map(str::to_string);
        state.set("account_id", account.map_or(Value::Unknown, Value::string));
    }

    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        import_oidc_provider_arn(import.state, import.role)
    }
}

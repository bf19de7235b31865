//! `clusteriam_rancher_csp_adapter_role` (seed 000): the web-identity role
//! the Rancher CSP adapter uses to check licenses in and out.

use super::common::role::{PolicyModel, RoleKind, role_account};
use super::common::web_identity::oidc_provider;
use crate::aws::{Aws, ObservedRole};
use crate::model;
use crate::policy::{presets, published};
use crate::tfplugin::{Attr, Attribute, AttributePath, Model, Value};

pub struct RancherCspAdapterRole;

const INLINE_POLICY: &str = "RancherCSPAdapterPermissions";

impl RoleKind for RancherCspAdapterRole {
    const TYPE_NAME: &'static str = "clusteriam_rancher_csp_adapter_role";

    const DESCRIPTION: &'static str = "The IAM role the Rancher CSP adapter (Rancher on the AWS Marketplace) uses to check entitlements in \
         and out, as Rancher's adapter requirements page documents: trusted by the cluster's IAM OIDC provider \
         for exactly the `cattle-csp-adapter-system:rancher-csp-adapter` service account and audience \
         `sts.amazonaws.com`, with the documented license-manager policy. The adapter install asks for the \
         role's name and `account_id`.";

    const OIDC_PROVIDER_ARN: Option<&'static str> = Some(
        "The ARN of the EKS cluster's IAM OIDC provider, e.g. from \
         `clusteriam_oidc_provider`. Changing it updates the trust policy in place.",
    );

    const NAME_PREFIX: &'static str = "rancher-csp-adapter-";

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::computed_string(
                PolicyModel::policy,
                "The role's inline policy (`RancherCSPAdapterPermissions`), as canonical JSON: the documented license-manager permissions.",
            ),
            Attribute::computed_string(
                CspAdapterModel::account_id,
                "The AWS account id of the role, which the CSP adapter install asks for beside the role name.",
            ),
        ]
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
        CspAdapterModel {
            account_id: role_account(state, role).map_or(Attr::Unknown, Attr::Known),
        }
        .write(state);
    }
}

model! {
    /// What the CSP adapter install asks for besides the role name; the
    /// rest are every role's attributes and `oidc_provider_arn`.
    struct CspAdapterModel {
        account_id: Attr<String>,
    }
}

#[cfg(test)]
crate::role_models_test!(RancherCspAdapterRole, CspAdapterModel);

//! `clusteriam_rancher_billing_adapter_role` (Rancher Prime PAYG from the
//! AWS Marketplace, `shared/seeds/beyond/`): the IRSA role of the billing
//! adapter, with the AWS-managed `AWSMarketplaceMeteringFullAccess`, and
//! the Helm values the Rancher Prime chart takes for it.

use std::collections::BTreeMap;

use super::common::naming::NamingModel;
use super::common::role::{PolicyArnsModel, RoleKind, role_account};
use super::common::web_identity::oidc_provider;
use crate::arn::aws_managed_policy;
use crate::aws::{Aws, ObservedRole};
use crate::model;
use crate::policy::presets;
use crate::policy::published::AWS_MARKETPLACE_METERING_NAME;
use crate::tfplugin::{Attr, Attribute, AttributePath, Model, Type, Value};

pub struct RancherBillingAdapterRole;

/// The Helm values of the Rancher Prime chart that name the role.
const HELM_ACCOUNT_NUMBER: &str = "global.aws.accountNumber";
const HELM_ROLE_NAME: &str = "global.aws.roleName";

impl RoleKind for RancherBillingAdapterRole {
    const TYPE_NAME: &'static str = "clusteriam_rancher_billing_adapter_role";

    const DESCRIPTION: &'static str = "The IAM role of the Rancher Prime pay-as-you-go (PAYG) billing adapter, as Rancher's \
         \"Installing Rancher Prime\" page for the AWS Marketplace makes it with `eksctl create \
         iamserviceaccount --role-only`: trusted by the EKS cluster's IAM OIDC provider for exactly \
         the `cattle-csp-billing-adapter-system:rancher-csp-billing-adapter` service account and \
         audience `sts.amazonaws.com`, with the AWS-managed policy `AWSMarketplaceMeteringFullAccess` \
         (in the provider's partition) attached, which allows `aws-marketplace:MeterUsage`. The \
         Rancher Prime chart takes the role's name and account as `global.aws.roleName` and \
         `global.aws.accountNumber` (`helm_values`). It is a separate role from the CSP adapter's \
         (`clusteriam_rancher_csp_adapter_role`, for bring-your-own-license).";

    const OIDC_PROVIDER_ARN: Option<&'static str> = Some(
        "The ARN of the EKS cluster's IAM OIDC provider, e.g. from \
         `clusteriam_oidc_provider` (the page checks that it exists and creates it if \
         not). Changing it updates the trust policy in place.",
    );

    const NAME_PREFIX: &'static str = "rancher-billing-adapter-";

    const ATTACHES_POLICIES: bool = true;

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::computed(
                PolicyArnsModel::policy_arns,
                Type::set(Type::String),
                "The managed policies the role has attached: exactly the AWS-managed \
                 `AWSMarketplaceMeteringFullAccess` of the provider's partition. Others attached \
                 outside Terraform are detached.",
            ),
            Attribute::computed_string(
                BillingAdapterModel::account_id,
                "The AWS account id of the role: the chart's `global.aws.accountNumber`.",
            ),
            Attribute::computed(
                BillingAdapterModel::helm_values,
                Type::map(Type::String),
                "The Helm values the Rancher Prime chart takes for the billing adapter, by their \
                 `--set` names: `global.aws.accountNumber` (the role's account) and \
                 `global.aws.roleName` (the role's name), e.g. for the helm provider's `set` \
                 blocks.",
            ),
        ]
    }

    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(oidc_provider(input, aws)?
            .map(|arn| presets::rancher_billing_adapter_trust(&arn).to_canonical_json()))
    }

    fn fill_computed(&self, state: &mut Value, aws: &Aws, role: Option<&ObservedRole>) {
        if role.is_none() {
            // At plan: what the role must have; after a read, what it has.
            let metering = aws_managed_policy(&aws.partition, AWS_MARKETPLACE_METERING_NAME);
            PolicyArnsModel {
                policy_arns: Attr::Known([Attr::Known(metering)].into()),
            }
            .write(state);
        }
        let account = role_account(state, role);
        let helm_values = match (&account, NamingModel::read(state).name) {
            (Some(account), Attr::Known(name)) => Attr::Known(BTreeMap::from([
                (HELM_ACCOUNT_NUMBER.to_string(), account.clone()),
                (HELM_ROLE_NAME.to_string(), name),
            ])),
            _ => Attr::Unknown,
        };
        BillingAdapterModel {
            account_id: account.map_or(Attr::Unknown, Attr::Known),
            helm_values,
        }
        .write(state);
    }
}

model! {
    /// What the Rancher Prime chart takes.
    struct BillingAdapterModel {
        account_id: Attr<String>,
        helm_values: Attr<BTreeMap<String, String>>,
    }
}

#[cfg(test)]
crate::role_models_test!(RancherBillingAdapterRole, BillingAdapterModel);

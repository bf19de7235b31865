//! The documents users can ask for by name: the published permissions
//! policies (versioned data in [`super::published`]) and the trust rules
//! the pages describe ([`super::trusts`]). Every ARN is built from the
//! caller's partition, never a literal `arn:aws:`.

use std::fmt;
use std::str::FromStr;

use crate::arn::{OidcProviderArn, is_account_id};
use crate::policy::published::{
    self, CloudProvider, EKS_CONNECTOR_ROLE_PAGE, KKP_ASSUME_ROLE_PAGE, NodeRole,
    RANCHER_CSP_ADAPTER_PAGE, RANCHER_NODE_PAGE, RANCHER_PRIME_PAYG_PAGE, TORQUE_AGENTS_PAGE,
    TORQUE_CROSS_ACCOUNT_PAGE,
};

mod parameters;

pub use super::trusts::{
    BILLING_ADAPTER_NAMESPACE, BILLING_ADAPTER_SERVICE_ACCOUNT, CSP_ADAPTER_NAMESPACE,
    CSP_ADAPTER_SERVICE_ACCOUNT, SERVICE_ACCOUNT_AUDIENCE, cross_account_trust, ec2_trust,
    eks_connector_agent_trust, irsa_trust, rancher_billing_adapter_trust,
    rancher_csp_adapter_trust,
};
pub use parameters::{
    ACCOUNT_ID, OIDC_PROVIDER_ARN, PARAMETERS, PresetArgs, PresetError, Rendered,
    SENSITIVE_PARAMETERS, check_parameter, parse_cloud_provider,
};

/// The documents users can ask for by name (`clusteriam_policy_document`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    RancherControlplane,
    RancherEtcdWorker,
    RancherNodeTrust,
    RancherCspAdapter,
    RancherCspAdapterTrust,
    RancherBillingAdapterTrust,
    KkpAccount,
    KkpAssumeRoleTrust,
    EksConnectorAgent,
    EksConnectorAgentTrust,
    IrsaTrust,
    TorqueTargetTrust,
    ProviderPermissions,
}

impl Preset {
    pub const ALL: &[Preset] = &[
        Preset::RancherControlplane,
        Preset::RancherEtcdWorker,
        Preset::RancherNodeTrust,
        Preset::RancherCspAdapter,
        Preset::RancherCspAdapterTrust,
        Preset::RancherBillingAdapterTrust,
        Preset::KkpAccount,
        Preset::KkpAssumeRoleTrust,
        Preset::EksConnectorAgent,
        Preset::EksConnectorAgentTrust,
        Preset::IrsaTrust,
        Preset::TorqueTargetTrust,
        Preset::ProviderPermissions,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Preset::RancherControlplane => "rancher_controlplane",
            Preset::RancherEtcdWorker => "rancher_etcd_worker",
            Preset::RancherNodeTrust => "rancher_node_trust",
            Preset::RancherCspAdapter => "rancher_csp_adapter",
            Preset::RancherCspAdapterTrust => "rancher_csp_adapter_trust",
            Preset::RancherBillingAdapterTrust => "rancher_billing_adapter_trust",
            Preset::KkpAccount => "kkp_account",
            Preset::KkpAssumeRoleTrust => "kkp_assume_role_trust",
            Preset::EksConnectorAgent => "eks_connector_agent",
            Preset::EksConnectorAgentTrust => "eks_connector_agent_trust",
            Preset::IrsaTrust => "irsa_trust",
            Preset::TorqueTargetTrust => "torque_target_trust",
            Preset::ProviderPermissions => "provider_permissions",
        }
    }

    /// One sentence for the generated documentation.
    pub fn description(&self) -> &'static str {
        match self {
            Preset::RancherControlplane => {
                "The inline policy for nodes with the Rancher `controlplane` role: Rancher's page for the in-tree Amazon cloud provider, or with `cloud_provider = \"out-of-tree\"` the AWS cloud controller manager's control-plane policy (with `extra_controller_actions = \"true\"`, plus the four actions the controller's code calls beyond it)."
            }
            Preset::RancherEtcdWorker => {
                "The inline policy for nodes with the Rancher `etcd` or `worker` role (the same for both cloud providers)."
            }
            Preset::RancherNodeTrust => {
                "The trust policy that lets EC2 instances (`ec2.amazonaws.com`) assume a Rancher node role."
            }
            Preset::RancherCspAdapter => {
                "The license-manager policy of the Rancher CSP adapter (AWS Marketplace)."
            }
            Preset::RancherCspAdapterTrust => {
                "The trust policy that lets the `cattle-csp-adapter-system/rancher-csp-adapter` service account assume the CSP adapter role through the cluster's OIDC provider."
            }
            Preset::RancherBillingAdapterTrust => {
                "The trust policy that lets the Rancher Prime PAYG billing adapter (`cattle-csp-billing-adapter-system/rancher-csp-billing-adapter`) assume its role through the cluster's OIDC provider, as `eksctl create iamserviceaccount` writes it."
            }
            Preset::KkpAccount => {
                "The policy Kubermatic KKP needs on the AWS user it runs as, or on the role it assumes, for the given account and `kkp_version`."
            }
            Preset::KkpAssumeRoleTrust => {
                "The trust policy of KKP's AssumeRole role in another account: `sts:AssumeRole` for KKP's principal (`kkp_principal_arn`), with the `sts:ExternalId` condition when `external_id` is given."
            }
            Preset::EksConnectorAgent => {
                "The inline policy of the Amazon EKS Connector agent role (`AmazonEKSConnectorAgentPolicy`)."
            }
            Preset::EksConnectorAgentTrust => {
                "The trust policy that lets Systems Manager (`ssm.amazonaws.com`) assume the Amazon EKS Connector agent role."
            }
            Preset::IrsaTrust => {
                "The web-identity trust policy that lets exactly one Kubernetes service account assume a role through the cluster's OIDC provider (IRSA, audience `sts.amazonaws.com`)."
            }
            Preset::TorqueTargetTrust => {
                "The trust policy of a Torque target account role (one agent provisioning into many accounts): `sts:AssumeRole` for the agent's role in the master account (`master_role_arn`), with the `sts:ExternalId` condition when `external_id` is given."
            }
            Preset::ProviderPermissions => {
                "The least-privilege policy that lets this provider manage the resources and read the data sources in `resource_types` (comma-separated; all of them when unset) in the given account, narrowed to the configuration's `iam_path`, `iam_name_prefix`, `permissions_boundary` and `policy_arns` when given: the permissions guide lists each action, and says what the policy allows."
            }
        }
    }

    /// Which of [`PARAMETERS`] this preset takes.
    pub fn parameters(&self) -> &'static [&'static str] {
        match self {
            Preset::RancherControlplane => &["cloud_provider", "extra_controller_actions"],
            Preset::RancherEtcdWorker => &["cloud_provider"],
            Preset::RancherNodeTrust
            | Preset::RancherCspAdapter
            | Preset::EksConnectorAgent
            | Preset::EksConnectorAgentTrust => &[],
            Preset::RancherCspAdapterTrust | Preset::RancherBillingAdapterTrust => {
                &["oidc_provider_arn"]
            }
            Preset::KkpAccount => &["account_id", "kkp_version"],
            Preset::KkpAssumeRoleTrust => &["kkp_principal_arn", "external_id"],
            Preset::IrsaTrust => &["oidc_provider_arn", "namespace", "service_account"],
            Preset::TorqueTargetTrust => &["master_role_arn", "external_id"],
            Preset::ProviderPermissions => &[
                "account_id",
                "resource_types",
                "iam_path",
                "iam_name_prefix",
                "permissions_boundary",
                "policy_arns",
            ],
        }
    }

    /// Which of its parameters this preset cannot do without (`kkp_version`,
    /// `cloud_provider` and `extra_controller_actions` have defaults, an
    /// external id is optional).
    pub fn required_parameters(&self) -> &'static [&'static str] {
        match self {
            Preset::RancherControlplane | Preset::RancherEtcdWorker => &[],
            Preset::KkpAccount | Preset::ProviderPermissions => &["account_id"],
            Preset::KkpAssumeRoleTrust => &["kkp_principal_arn"],
            Preset::TorqueTargetTrust => &["master_role_arn"],
            other => other.parameters(),
        }
    }

    /// The preset's document for these arguments, and its source.
    pub fn build(&self, args: &PresetArgs<'_>) -> Result<Rendered, PresetError> {
        let cloud_provider = args.cloud_provider.unwrap_or_default();
        let published = |p: &'static published::Published, account_id: &str| Rendered {
            document: p.render(args.partition, account_id),
            source: p.source,
        };
        let trust = |document, source| Rendered { document, source };
        let rendered = match self {
            Preset::RancherControlplane => {
                if args.extra_controller_actions && cloud_provider != CloudProvider::OutOfTree {
                    return Err(PresetError {
                        parameter: Some("extra_controller_actions"),
                        message: "`extra_controller_actions` adds actions of the out-of-tree \
                                  controller: it needs `cloud_provider = \"out-of-tree\"`"
                            .to_string(),
                    });
                }
                let document = published::rancher_node_policy(
                    cloud_provider,
                    NodeRole::Controlplane,
                    args.extra_controller_actions,
                    args.partition,
                );
                let source = match args.extra_controller_actions {
                    true => published::CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT.source,
                    false => published::rancher_node(cloud_provider, NodeRole::Controlplane).source,
                };
                Rendered { document, source }
            }
            Preset::RancherEtcdWorker => published(
                published::rancher_node(cloud_provider, NodeRole::Worker),
                "",
            ),
            Preset::RancherNodeTrust => trust(ec2_trust(), RANCHER_NODE_PAGE),
            Preset::RancherCspAdapter => published(&published::RANCHER_CSP_ADAPTER, ""),
            Preset::RancherCspAdapterTrust => trust(
                rancher_csp_adapter_trust(self.required_oidc(args)?),
                RANCHER_CSP_ADAPTER_PAGE,
            ),
            Preset::RancherBillingAdapterTrust => trust(
                rancher_billing_adapter_trust(self.required_oidc(args)?),
                RANCHER_PRIME_PAYG_PAGE,
            ),
            Preset::KkpAssumeRoleTrust => trust(
                cross_account_trust(
                    self.required("kkp_principal_arn", args.kkp_principal_arn)?,
                    args.external_id,
                ),
                KKP_ASSUME_ROLE_PAGE,
            ),
            Preset::TorqueTargetTrust => trust(
                cross_account_trust(
                    self.required("master_role_arn", args.master_role_arn)?,
                    args.external_id,
                ),
                TORQUE_CROSS_ACCOUNT_PAGE,
            ),
            Preset::KkpAccount => {
                let account_id = self.required("account_id", args.account_id)?;
                if !is_account_id(account_id) {
                    return Err(PresetError {
                        parameter: Some("account_id"),
                        message: format!("`account_id` must be 12 digits; got `{account_id}`"),
                    });
                }
                published(published::kkp_account(args.kkp_version), account_id)
            }
            Preset::EksConnectorAgent => published(&published::EKS_CONNECTOR_AGENT, ""),
            Preset::EksConnectorAgentTrust => {
                trust(eks_connector_agent_trust(), EKS_CONNECTOR_ROLE_PAGE)
            }
            Preset::IrsaTrust => trust(
                irsa_trust(
                    self.required_oidc(args)?,
                    self.required("namespace", args.namespace)?,
                    self.required("service_account", args.service_account)?,
                ),
                TORQUE_AGENTS_PAGE,
            ),
            // Built from the actions the provider's AWS calls declare, which
            // policy/ does not know: see `crate::rendering::render`.
            Preset::ProviderPermissions => {
                return Err(PresetError::new(
                    None,
                    "preset `provider_permissions` is rendered by `clusteriam_policy_document` \
                     and the `policy_document` function"
                        .to_string(),
                ));
            }
        };
        Ok(rendered)
    }

    fn missing(&self, parameter: &'static str) -> PresetError {
        PresetError {
            parameter: Some(parameter),
            message: format!("preset `{}` needs `{parameter}`", self.name()),
        }
    }

    /// A string parameter, treating an empty one as missing.
    pub fn required<'a>(
        &self,
        parameter: &'static str,
        value: Option<&'a str>,
    ) -> Result<&'a str, PresetError> {
        value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| self.missing(parameter))
    }

    fn required_oidc<'a>(&self, args: &PresetArgs<'a>) -> Result<&'a OidcProviderArn, PresetError> {
        args.oidc_provider_arn
            .ok_or_else(|| self.missing("oidc_provider_arn"))
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Preset {
    type Err = PresetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Preset::ALL
            .iter()
            .find(|preset| preset.name() == s)
            .copied()
            .ok_or_else(|| PresetError {
                parameter: None,
                message: format!(
                    "`{s}` is not a known preset; expected one of {}",
                    Preset::ALL
                        .iter()
                        .map(Preset::name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }
}

/// `a`, `b` for messages and documentation; `none` when there are none.
pub fn describe_parameters(params: &[&str], none: &str) -> String {
    if params.is_empty() {
        none.to_string()
    } else {
        params
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests;

//! The documents users can ask for by name: the published permissions
//! policies (versioned data in [`super::documents`]) and the trust rules
//! the pages describe ([`super::trusts`]). Every ARN is built from the
//! caller's partition, never a literal `arn:aws:`.

use std::fmt;
use std::str::FromStr;

use crate::arn::{OidcProviderArn, check_principal_arn, check_role_arn, is_account_id};
use crate::kubernetes::{check_namespace, check_service_account};
use crate::policy::document::Document;
use crate::policy::documents::{
    self, CloudProvider, EKS_CONNECTOR_ROLE_PAGE, KKP_ASSUME_ROLE_PAGE, NodeRole,
    RANCHER_CSP_ADAPTER_PAGE, RANCHER_NODE_PAGE, RANCHER_PRIME_PAYG_PAGE, Source,
    TORQUE_AGENTS_PAGE, TORQUE_CROSS_ACCOUNT_PAGE, Version,
};
use crate::validate::check_external_id;

pub use super::trusts::{
    BILLING_ADAPTER_NAMESPACE, BILLING_ADAPTER_SERVICE_ACCOUNT, CSP_ADAPTER_NAMESPACE,
    CSP_ADAPTER_SERVICE_ACCOUNT, SERVICE_ACCOUNT_AUDIENCE, cross_account_trust, ec2_trust,
    eks_connector_agent_trust, irsa_trust, rancher_billing_adapter_trust,
    rancher_csp_adapter_trust,
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

/// What a preset may need besides the partition. Unneeded ones are ignored.
#[derive(Debug, Clone, Copy)]
pub struct PresetArgs<'a> {
    pub partition: &'a str,
    pub account_id: Option<&'a str>,
    pub oidc_provider_arn: Option<&'a OidcProviderArn>,
    pub namespace: Option<&'a str>,
    pub service_account: Option<&'a str>,
    /// The role a Torque target role trusts (`torque_target_trust`).
    pub master_role_arn: Option<&'a str>,
    /// The principal a KKP AssumeRole role trusts (`kkp_assume_role_trust`).
    pub kkp_principal_arn: Option<&'a str>,
    /// The external id a cross-account trust requires, if any.
    pub external_id: Option<&'a str>,
    /// The KKP version (`kkp_account`); unset is the current KKP.
    pub kkp_version: Option<Version>,
    /// The cloud provider (`rancher_controlplane`, `rancher_etcd_worker`);
    /// unset is the in-tree one.
    pub cloud_provider: Option<CloudProvider>,
    /// With the out-of-tree controller's code actions (`rancher_controlplane`).
    pub extra_controller_actions: bool,
    /// Comma-separated resource and data source types
    /// (`provider_permissions`); unset is all of them.
    pub resource_types: Option<&'a str>,
}

impl<'a> PresetArgs<'a> {
    /// No parameters yet, only the partition.
    pub fn new(partition: &'a str) -> Self {
        PresetArgs {
            partition,
            account_id: None,
            oidc_provider_arn: None,
            namespace: None,
            service_account: None,
            master_role_arn: None,
            kkp_principal_arn: None,
            external_id: None,
            kkp_version: None,
            cloud_provider: None,
            extra_controller_actions: false,
            resource_types: None,
        }
    }

    /// The arguments named by [`PARAMETERS`] as `parameter` finds them; a
    /// value that does not parse counts as absent (validation reports it).
    pub fn from_parameters(
        partition: &'a str,
        account_id: Option<&'a str>,
        oidc_provider_arn: Option<&'a OidcProviderArn>,
        parameter: impl Fn(&str) -> Option<&'a str>,
    ) -> Self {
        PresetArgs {
            partition,
            account_id,
            oidc_provider_arn,
            namespace: parameter("namespace"),
            service_account: parameter("service_account"),
            master_role_arn: parameter("master_role_arn"),
            kkp_principal_arn: parameter("kkp_principal_arn"),
            external_id: parameter("external_id"),
            kkp_version: parameter("kkp_version").and_then(|v| parse_kkp_version(v).ok()),
            cloud_provider: parameter("cloud_provider").and_then(|c| parse_cloud_provider(c).ok()),
            extra_controller_actions: parameter("extra_controller_actions") == Some("true"),
            resource_types: parameter("resource_types"),
        }
    }
}

/// A rendered preset and where its content is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub document: Document,
    pub source: Source,
}

/// A preset name that does not exist, or a preset's parameter missing or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetError {
    /// The parameter at fault, when one is.
    pub parameter: Option<&'static str>,
    message: String,
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PresetError {}

impl PresetError {
    pub fn new(parameter: Option<&'static str>, message: String) -> Self {
        PresetError { parameter, message }
    }
}

/// Every parameter any preset takes, in the order the documentation lists them.
pub const PARAMETERS: [&str; 11] = [
    "account_id",
    "oidc_provider_arn",
    "namespace",
    "service_account",
    "master_role_arn",
    "kkp_principal_arn",
    "external_id",
    "kkp_version",
    "cloud_provider",
    "extra_controller_actions",
    "resource_types",
];

/// The parameters whose value is a secret: never repeated in an error.
pub const SENSITIVE_PARAMETERS: &[&str] = &["external_id"];

/// Why `value` is not a valid value of `parameter` (one of [`PARAMETERS`]),
/// if it is not: the one check of each for the data source and the function.
/// `resource_types` names the provider's own types, which policy/ does not
/// know: the data source checks it (`crate::documents`).
pub fn check_parameter(parameter: &str, value: &str) -> Result<(), String> {
    match parameter {
        "account_id" if is_account_id(value) => Ok(()),
        "account_id" => Err(format!("`account_id` must be 12 digits; got `{value}`")),
        "oidc_provider_arn" => value
            .parse::<OidcProviderArn>()
            .map(|_| ())
            .map_err(|e| e.to_string()),
        "namespace" => check_namespace(value),
        "service_account" => check_service_account(value),
        "master_role_arn" => check_role_arn(value).map_err(|e| format!("`master_role_arn`: {e}")),
        "kkp_principal_arn" => {
            check_principal_arn(value).map_err(|e| format!("`kkp_principal_arn`: {e}"))
        }
        "external_id" => check_external_id(value, "external_id"),
        "kkp_version" => parse_kkp_version(value).map(|_| ()),
        "cloud_provider" => parse_cloud_provider(value).map(|_| ()),
        "extra_controller_actions" if value == "true" || value == "false" => Ok(()),
        "extra_controller_actions" => Err(format!(
            "`extra_controller_actions` must be `true` or `false`; got `{value}`"
        )),
        "resource_types" => Ok(()),
        other => Err(format!(
            "`{other}` is not a preset parameter; expected one of {}",
            PARAMETERS.join(", ")
        )),
    }
}

/// The reason `kkp_version` is not a version, if it is not.
pub fn parse_kkp_version(text: &str) -> Result<Version, String> {
    text.parse().map_err(|()| {
        format!(
            "`kkp_version` must be a KKP version written MAJOR.MINOR, such as `2.28`; got `{text}`"
        )
    })
}

/// The reason `cloud_provider` is not a cloud provider, if it is not.
pub fn parse_cloud_provider(text: &str) -> Result<CloudProvider, String> {
    text.parse().map_err(|()| {
        format!(
            "`cloud_provider` must be one of {}; got `{text}`",
            CloudProvider::NAMES.join(", ")
        )
    })
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
                "The least-privilege policy that lets this provider manage the resources and read the data sources in `resource_types` (comma-separated; all of them when unset) in the given account: the permissions guide lists each action and why."
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
            Preset::ProviderPermissions => &["account_id", "resource_types"],
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
        let published = |p: &'static documents::Published, account_id: &str| Rendered {
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
                let document = documents::rancher_node_policy(
                    cloud_provider,
                    NodeRole::Controlplane,
                    args.extra_controller_actions,
                    args.partition,
                );
                let source = match args.extra_controller_actions {
                    true => documents::CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT.source,
                    false => documents::rancher_node(cloud_provider, NodeRole::Controlplane).source,
                };
                Rendered { document, source }
            }
            Preset::RancherEtcdWorker => published(
                documents::rancher_node(cloud_provider, NodeRole::Worker),
                "",
            ),
            Preset::RancherNodeTrust => trust(ec2_trust(), RANCHER_NODE_PAGE),
            Preset::RancherCspAdapter => published(&documents::RANCHER_CSP_ADAPTER, ""),
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
                published(documents::kkp_account(args.kkp_version), account_id)
            }
            Preset::EksConnectorAgent => published(&documents::EKS_CONNECTOR_AGENT, ""),
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
            // policy/ does not know: see `crate::documents::render`.
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

//! The documents users can ask for by name: the published permissions
//! policies (versioned data in [`super::documents`]) and the trust rules
//! the seeds describe (file number in brackets). Every ARN is built from
//! the caller's partition, never a literal `arn:aws:`.

use std::fmt;
use std::str::FromStr;

use crate::arn::{OidcProviderArn, is_account_id};
use crate::kubernetes::{check_namespace, check_service_account};
use crate::policy::document::{Document, Principal, Statement};
use crate::policy::documents::{
    self, CloudProvider, EKS_CONNECTOR_PAGE, NodeRole, RANCHER_CSP_ADAPTER_PAGE, RANCHER_NODE_PAGE,
    Source, TORQUE_AGENTS_PAGE, Version,
};

/// The audience EKS service-account tokens are issued for (IRSA).
pub const SERVICE_ACCOUNT_AUDIENCE: &str = "sts.amazonaws.com";
/// Namespace the Rancher CSP adapter runs in [000].
pub const CSP_ADAPTER_NAMESPACE: &str = "cattle-csp-adapter-system";
/// Service account the Rancher CSP adapter runs as [000].
pub const CSP_ADAPTER_SERVICE_ACCOUNT: &str = "rancher-csp-adapter";

/// The standard trust of a role attached to EC2 instances through an
/// instance profile [001: "an IAM role attached to the instances"].
pub fn ec2_trust() -> Document {
    Document::new([Statement::allow()
        .principal(Principal::service("ec2.amazonaws.com"))
        .action("sts:AssumeRole")])
}

/// Web-identity trust for one Kubernetes service account (IRSA) [000, 003]:
/// exact `sub` and `aud`, never wildcards.
pub fn irsa_trust(oidc: &OidcProviderArn, namespace: &str, service_account: &str) -> Document {
    let issuer = oidc.issuer();
    Document::new([Statement::allow()
        .principal(Principal::federated(oidc.arn()))
        .action("sts:AssumeRoleWithWebIdentity")
        .condition(
            "StringEquals",
            format!("{issuer}:sub"),
            format!("system:serviceaccount:{namespace}:{service_account}"),
        )
        .condition(
            "StringEquals",
            format!("{issuer}:aud"),
            SERVICE_ACCOUNT_AUDIENCE,
        )])
}

/// Trust of the Rancher CSP adapter role [000].
pub fn rancher_csp_adapter_trust(oidc: &OidcProviderArn) -> Document {
    irsa_trust(oidc, CSP_ADAPTER_NAMESPACE, CSP_ADAPTER_SERVICE_ACCOUNT)
}

/// Trust of the EKS Connector agent role [004]. The seed lists the service
/// as an array of one; the canonical form shows it as a plain string.
pub fn eks_connector_agent_trust() -> Document {
    Document::new([Statement::allow()
        .sid("SSMAccess")
        .principal(Principal::Service(vec!["ssm.amazonaws.com".to_string()]))
        .action("sts:AssumeRole")])
}

/// The documents users can ask for by name (`clusteriam_policy_document`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    RancherControlplane,
    RancherEtcdWorker,
    RancherNodeTrust,
    RancherCspAdapter,
    RancherCspAdapterTrust,
    KkpAccount,
    EksConnectorAgent,
    EksConnectorAgentTrust,
    IrsaTrust,
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
    /// The KKP version (`kkp_account`); unset is the current KKP.
    pub kkp_version: Option<Version>,
    /// The cloud provider (`rancher_controlplane`, `rancher_etcd_worker`);
    /// unset is the in-tree one.
    pub cloud_provider: Option<CloudProvider>,
    /// Comma-separated resource and data source types
    /// (`provider_permissions`); unset is all of them.
    pub resource_types: Option<&'a str>,
    /// How `provider_permissions` is narrowed: the IAM path and name prefix
    /// of the configuration's IAM objects, the permissions boundary of its
    /// roles, the managed policies (comma-separated) its roles may be given.
    pub iam_path: Option<&'a str>,
    pub iam_name_prefix: Option<&'a str>,
    pub permissions_boundary: Option<&'a str>,
    pub policy_arns: Option<&'a str>,
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
            kkp_version: None,
            cloud_provider: None,
            resource_types: None,
            iam_path: None,
            iam_name_prefix: None,
            permissions_boundary: None,
            policy_arns: None,
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
            kkp_version: parameter("kkp_version").and_then(|v| parse_kkp_version(v).ok()),
            cloud_provider: parameter("cloud_provider").and_then(|c| parse_cloud_provider(c).ok()),
            resource_types: parameter("resource_types"),
            iam_path: parameter("iam_path"),
            iam_name_prefix: parameter("iam_name_prefix"),
            permissions_boundary: parameter("permissions_boundary"),
            policy_arns: parameter("policy_arns"),
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
    "kkp_version",
    "cloud_provider",
    "resource_types",
    "iam_path",
    "iam_name_prefix",
    "permissions_boundary",
    "policy_arns",
];

/// Why `value` is not a valid value of `parameter` (one of [`PARAMETERS`]),
/// if it is not: the one check of each for the data source and the function.
/// `provider_permissions`'s own parameters are checked where it is rendered
/// (`crate::documents`): `resource_types` names the provider's own types,
/// which policy/ does not know.
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
        "kkp_version" => parse_kkp_version(value).map(|_| ()),
        "cloud_provider" => parse_cloud_provider(value).map(|_| ()),
        "resource_types"
        | "iam_path"
        | "iam_name_prefix"
        | "permissions_boundary"
        | "policy_arns" => Ok(()),
        other => Err(format!(
            "`{other}` is not a preset parameter; expected one of {}",
            PARAMETERS.join(", ")
        )),
    }
}

/// The reason `kkp_version` is not a version, if it is not.
pub fn parse_kkp_version(text: &str) -> Result<Version, String> {
    let version: Version = text.parse().map_err(|()| {
        format!(
            "`kkp_version` must be a KKP version written MAJOR.MINOR, such as `2.28`; got `{text}`"
        )
    })?;
    // "02.28" would name 2.28 in a spelling no release uses.
    if text
        .split('.')
        .any(|part| part.len() > 1 && part.starts_with('0'))
    {
        return Err(format!(
            "`kkp_version` must be written without leading zeros, such as `2.28`; got `{text}`"
        ));
    }
    if version < Version::new(2, 0) {
        return Err(format!(
            "`kkp_version` must be 2.0 or later: KKP's releases, and the AWS policies its \
             documentation prints, are 2.x and later; got `{text}`"
        ));
    }
    Ok(version)
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
        Preset::KkpAccount,
        Preset::EksConnectorAgent,
        Preset::EksConnectorAgentTrust,
        Preset::IrsaTrust,
        Preset::ProviderPermissions,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Preset::RancherControlplane => "rancher_controlplane",
            Preset::RancherEtcdWorker => "rancher_etcd_worker",
            Preset::RancherNodeTrust => "rancher_node_trust",
            Preset::RancherCspAdapter => "rancher_csp_adapter",
            Preset::RancherCspAdapterTrust => "rancher_csp_adapter_trust",
            Preset::KkpAccount => "kkp_account",
            Preset::EksConnectorAgent => "eks_connector_agent",
            Preset::EksConnectorAgentTrust => "eks_connector_agent_trust",
            Preset::IrsaTrust => "irsa_trust",
            Preset::ProviderPermissions => "provider_permissions",
        }
    }

    /// One sentence for the generated documentation.
    pub fn description(&self) -> &'static str {
        match self {
            Preset::RancherControlplane => {
                "The inline policy for nodes with the Rancher `controlplane` role: Rancher's page for the in-tree Amazon cloud provider, or with `cloud_provider = \"out-of-tree\"` the AWS cloud controller manager's control-plane policy."
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
            Preset::KkpAccount => {
                "The policy Kubermatic KKP needs on the AWS user it runs as, for the given account and `kkp_version`."
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
            Preset::ProviderPermissions => {
                "The least-privilege policy that lets this provider manage the resources and read the data sources in `resource_types` (comma-separated; all of them when unset) in the given account, narrowed to the configuration's `iam_path`, `iam_name_prefix`, `permissions_boundary` and `policy_arns` when given: the permissions guide lists each action, and says what the policy allows."
            }
        }
    }

    /// Which of [`PARAMETERS`] this preset takes.
    pub fn parameters(&self) -> &'static [&'static str] {
        match self {
            Preset::RancherControlplane | Preset::RancherEtcdWorker => &["cloud_provider"],
            Preset::RancherNodeTrust
            | Preset::RancherCspAdapter
            | Preset::EksConnectorAgent
            | Preset::EksConnectorAgentTrust => &[],
            Preset::RancherCspAdapterTrust => &["oidc_provider_arn"],
            Preset::KkpAccount => &["account_id", "kkp_version"],
            Preset::IrsaTrust => &["oidc_provider_arn", "namespace", "service_account"],
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

    /// Which of its parameters this preset cannot do without (`kkp_version`
    /// and `cloud_provider` have defaults).
    pub fn required_parameters(&self) -> &'static [&'static str] {
        match self {
            Preset::RancherControlplane | Preset::RancherEtcdWorker => &[],
            Preset::KkpAccount | Preset::ProviderPermissions => &["account_id"],
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
            Preset::RancherControlplane => published(
                documents::rancher_node(cloud_provider, NodeRole::Controlplane),
                "",
            ),
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
                trust(eks_connector_agent_trust(), EKS_CONNECTOR_PAGE)
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

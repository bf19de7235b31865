//! The documented IAM documents, one function per document printed in the
//! seeds (`shared/seeds/`, file number in brackets). Every ARN is built from
//! the caller's partition, never a literal `arn:aws:`.

use std::fmt;
use std::str::FromStr;

use crate::arn::{OidcProviderArn, is_account_id};
use crate::policy::document::{Document, Principal, Statement};

/// The audience EKS service-account tokens are issued for (IRSA).
pub const SERVICE_ACCOUNT_AUDIENCE: &str = "sts.amazonaws.com";
/// Namespace the Rancher CSP adapter runs in [000].
pub const CSP_ADAPTER_NAMESPACE: &str = "cattle-csp-adapter-system";
/// Service account the Rancher CSP adapter runs as [000].
pub const CSP_ADAPTER_SERVICE_ACCOUNT: &str = "rancher-csp-adapter";

/// Inline policy for Rancher `controlplane` nodes [001]. The action list is
/// kept exactly as printed, including `elasticloadbalancing:AddTags` twice.
pub fn rancher_controlplane() -> Document {
    Document::new([Statement::allow()
        .actions([
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeTags",
            "ec2:DescribeInstances",
            "ec2:DescribeRegions",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets",
            "ec2:DescribeVolumes",
            "ec2:CreateSecurityGroup",
            "ec2:CreateTags",
            "ec2:CreateVolume",
            "ec2:ModifyInstanceAttribute",
            "ec2:ModifyVolume",
            "ec2:AttachVolume",
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:CreateRoute",
            "ec2:DeleteRoute",
            "ec2:DeleteSecurityGroup",
            "ec2:DeleteVolume",
            "ec2:DetachVolume",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:DescribeVpcs",
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:AttachLoadBalancerToSubnets",
            "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer",
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateLoadBalancerPolicy",
            "elasticloadbalancing:CreateLoadBalancerListeners",
            "elasticloadbalancing:ConfigureHealthCheck",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DeleteLoadBalancerListeners",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DetachLoadBalancerFromSubnets",
            "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
            "elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer",
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:CreateTargetGroup",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeLoadBalancerPolicies",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:SetLoadBalancerPoliciesOfListener",
            "iam:CreateServiceLinkedRole",
            "kms:DescribeKey",
        ])
        .resource("*")])
}

/// Inline policy for Rancher `etcd` and `worker` nodes [001].
pub fn rancher_etcd_worker() -> Document {
    Document::new([Statement::allow()
        .actions([
            "ec2:DescribeInstances",
            "ec2:DescribeRegions",
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:GetRepositoryPolicy",
            "ecr:DescribeRepositories",
            "ecr:ListImages",
            "ecr:BatchGetImage",
        ])
        .resource("*")])
}

/// The standard trust of a role attached to EC2 instances through an
/// instance profile [001: "an IAM role attached to the instances"].
pub fn ec2_trust() -> Document {
    Document::new([Statement::allow()
        .principal(Principal::service("ec2.amazonaws.com"))
        .action("sts:AssumeRole")])
}

/// License-manager permissions of the Rancher CSP adapter [000].
pub fn rancher_csp_adapter() -> Document {
    Document::new([Statement::allow()
        .sid("RancherCSPAdapterPermissions")
        .actions([
            "license-manager:ListReceivedLicenses",
            "license-manager:CheckoutLicense",
            "license-manager:ExtendLicenseConsumption",
            "license-manager:CheckInLicense",
            "license-manager:GetLicense",
            "license-manager:GetLicenseUsage",
        ])
        .resource("*")])
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

/// The policy of the AWS user KKP runs as [002]. `account_id` is expected
/// to be a 12-digit account id (see [`crate::arn::is_account_id`]).
pub fn kkp_account(partition: &str, account_id: &str) -> Document {
    let iam = format!("arn:{partition}:iam::{account_id}");
    Document::new([
        Statement::allow()
            .actions(["iam:GetInstanceProfile", "iam:ListInstanceProfiles"])
            .resource(format!("{iam}:instance-profile/*")),
        Statement::allow()
            .actions([
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:GetRole",
                "iam:ListAttachedRolePolicies",
                "iam:ListRolePolicies",
                "iam:PassRole",
                "iam:PutRolePolicy",
                "iam:TagRole",
            ])
            .resource(format!("{iam}:role/kubernetes-*")),
        Statement::allow()
            .actions([
                "iam:AddRoleToInstanceProfile",
                "iam:CreateInstanceProfile",
                "iam:DeleteInstanceProfile",
                "iam:GetInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
            ])
            .resource(format!("{iam}:instance-profile/kubernetes-*")),
        Statement::allow()
            .actions([
                "ec2:*",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:CreateTargetGroup",
                "elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:ConfigureHealthCheck",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeTargetGroupAttributes",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetRulePriorities",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:SetWebAcl",
                "sts:GetFederationToken",
            ])
            .resource("*"),
    ])
}

/// Trust of the EKS Connector agent role [004]. The seed lists the service
/// as an array of one; the canonical form shows it as a plain string.
pub fn eks_connector_agent_trust() -> Document {
    Document::new([Statement::allow()
        .sid("SSMAccess")
        .principal(Principal::Service(vec!["ssm.amazonaws.com".to_string()]))
        .action("sts:AssumeRole")])
}

/// Inline policy of the EKS Connector agent role [004].
pub fn eks_connector_agent(partition: &str) -> Document {
    Document::new([
        Statement::allow()
            .sid("SsmControlChannel")
            .action("ssmmessages:CreateControlChannel")
            .resource(format!("arn:{partition}:eks:*:*:cluster/*")),
        Statement::allow()
            .sid("ssmDataplaneOperations")
            .actions([
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenDataChannel",
                "ssmmessages:OpenControlChannel",
            ])
            .resource("*"),
    ])
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
}

/// What a preset may need besides the partition. Unneeded ones are ignored.
#[derive(Debug, Clone, Copy)]
pub struct PresetArgs<'a> {
    pub partition: &'a str,
    pub account_id: Option<&'a str>,
    pub oidc_provider_arn: Option<&'a OidcProviderArn>,
    pub namespace: Option<&'a str>,
    pub service_account: Option<&'a str>,
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
        }
    }
}

/// A preset name that does not exist, or a preset's parameter missing or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetError {
    message: String,
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PresetError {}

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
        }
    }

    /// One sentence for the generated documentation.
    pub fn description(&self) -> &'static str {
        match self {
            Preset::RancherControlplane => {
                "The inline policy Rancher documents for nodes with the `controlplane` role (Amazon cloud provider)."
            }
            Preset::RancherEtcdWorker => {
                "The inline policy Rancher documents for nodes with the `etcd` or `worker` role (Amazon cloud provider)."
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
                "The policy Kubermatic KKP needs on the AWS user it runs as, for the given account."
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
        }
    }

    /// Which of `account_id`, `oidc_provider_arn`, `namespace`,
    /// `service_account` this preset needs.
    pub fn parameters(&self) -> &'static [&'static str] {
        match self {
            Preset::RancherControlplane
            | Preset::RancherEtcdWorker
            | Preset::RancherNodeTrust
            | Preset::RancherCspAdapter
            | Preset::EksConnectorAgent
            | Preset::EksConnectorAgentTrust => &[],
            Preset::RancherCspAdapterTrust => &["oidc_provider_arn"],
            Preset::KkpAccount => &["account_id"],
            Preset::IrsaTrust => &["oidc_provider_arn", "namespace", "service_account"],
        }
    }

    /// The preset's document for these arguments.
    pub fn build(&self, args: &PresetArgs<'_>) -> Result<Document, PresetError> {
        let document = match self {
            Preset::RancherControlplane => rancher_controlplane(),
            Preset::RancherEtcdWorker => rancher_etcd_worker(),
            Preset::RancherNodeTrust => ec2_trust(),
            Preset::RancherCspAdapter => rancher_csp_adapter(),
            Preset::RancherCspAdapterTrust => rancher_csp_adapter_trust(self.required_oidc(args)?),
            Preset::KkpAccount => {
                let account_id = self.required("account_id", args.account_id)?;
                if !is_account_id(account_id) {
                    return Err(PresetError {
                        message: format!("`account_id` must be 12 digits; got `{account_id}`"),
                    });
                }
                kkp_account(args.partition, account_id)
            }
            Preset::EksConnectorAgent => eks_connector_agent(args.partition),
            Preset::EksConnectorAgentTrust => eks_connector_agent_trust(),
            Preset::IrsaTrust => irsa_trust(
                self.required_oidc(args)?,
                self.required("namespace", args.namespace)?,
                self.required("service_account", args.service_account)?,
            ),
        };
        Ok(document)
    }

    fn missing(&self, parameter: &str) -> PresetError {
        PresetError {
            message: format!("preset `{}` needs `{parameter}`", self.name()),
        }
    }

    /// A string parameter, treating an empty one as missing.
    fn required<'a>(
        &self,
        parameter: &str,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::document::{canonical_json, equivalent};
    use std::path::PathBuf;

    const ACCOUNT: &str = "111122223333";
    const REGION: &str = "us-east-1";
    const OIDC_ID: &str = "EXAMPLED539D4633E53DE1B71EXAMPLE";

    /// `CLUSTERIAM_SEEDS_DIR`, else `shared/seeds` beside the crate.
    fn seeds_dir() -> PathBuf {
        std::env::var_os("CLUSTERIAM_SEEDS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"))
            })
    }

    fn seed_text(number: &str) -> String {
        let dir = seeds_dir();
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
            panic!(
                "the seeds directory is missing: looked for {} ({e}); set CLUSTERIAM_SEEDS_DIR",
                dir.display()
            )
        });
        let path = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with(&format!("{number}_")))
            })
            .unwrap_or_else(|| panic!("no seed {number}_*.txt in {}", dir.display()));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    /// The text of every fenced code block, whatever its language tag or indent.
    fn fenced_blocks(markdown: &str) -> Vec<String> {
        let mut blocks = Vec::new();
        let mut current: Option<String> = None;
        for line in markdown.lines() {
            if line.trim_start().starts_with("```") {
                match current.take() {
                    Some(block) => blocks.push(block),
                    None => current = Some(String::new()),
                }
            } else if let Some(block) = current.as_mut() {
                block.push_str(line);
                block.push('\n');
            }
        }
        blocks
    }

    /// The policy documents a seed prints, placeholders filled in. Skips CLI
    /// output (`{"Role": ...}`) and anything that is not a policy.
    fn seed_policies(number: &str) -> Vec<String> {
        fenced_blocks(&seed_text(number))
            .into_iter()
            .filter(|block| {
                matches!(
                    serde_json::from_str::<serde_json::Value>(block),
                    Ok(serde_json::Value::Object(object))
                        if object.contains_key("Statement") && !object.contains_key("Role")
                )
            })
            .map(|block| {
                block
                    .replace("${MY_AWS_ACC}", ACCOUNT)
                    .replace("${MY_AWS_REGION}", REGION)
                    .replace("${MY_OIDC_PROVIDER}", OIDC_ID)
                    .replace("YOUR_ACCOUNT_ID", ACCOUNT)
            })
            .collect()
    }

    fn oidc(partition: &str) -> OidcProviderArn {
        format!("arn:{partition}:iam::{ACCOUNT}:oidc-provider/oidc.eks.{REGION}.amazonaws.com/id/{OIDC_ID}")
            .parse()
            .unwrap()
    }

    /// The presets each seed's documents must equal, in the seed's order.
    fn expected_presets(number: &str, partition: &str) -> Vec<Document> {
        match number {
            "000" => vec![
                rancher_csp_adapter_trust(&oidc(partition)),
                rancher_csp_adapter(),
            ],
            "001" => vec![rancher_controlplane(), rancher_etcd_worker()],
            "002" => vec![kkp_account(partition, ACCOUNT)],
            "003" => vec![],
            "004" => vec![eks_connector_agent_trust(), eks_connector_agent(partition)],
            _ => unreachable!(),
        }
    }

    #[test]
    fn presets_equal_the_seed_documents() {
        for number in ["000", "001", "002", "003", "004"] {
            let seeds = seed_policies(number);
            let presets = expected_presets(number, "aws");
            assert_eq!(
                seeds.len(),
                presets.len(),
                "policy documents in seed {number}"
            );
            for (seed, preset) in seeds.iter().zip(&presets) {
                let preset = preset.to_canonical_json();
                assert!(
                    equivalent(&preset, seed),
                    "seed {number}:\n{preset}\n{seed}"
                );
                // Canonical form keeps the seed's order, so it reads like the seed.
                assert_eq!(canonical_json(seed).unwrap(), preset, "seed {number}");
            }
        }
    }

    #[test]
    fn presets_use_the_callers_partition() {
        for number in ["000", "002", "004"] {
            let seeds = seed_policies(number);
            let presets = expected_presets(number, "aws-cn");
            for (seed, preset) in seeds.iter().zip(&presets) {
                let preset = preset.to_canonical_json();
                assert!(!preset.contains("arn:aws:"), "{preset}");
                let seed_in_china = seed.replace("arn:aws:", "arn:aws-cn:");
                assert!(
                    equivalent(&preset, &seed_in_china),
                    "seed {number}:\n{preset}"
                );
                if seed.contains("arn:aws:") {
                    assert!(preset.contains("arn:aws-cn:"), "{preset}");
                    assert!(
                        !equivalent(&preset, seed),
                        "seed {number}: partition ignored"
                    );
                }
            }
        }
        let kkp = kkp_account("aws-us-gov", ACCOUNT).to_canonical_json();
        assert!(kkp.contains(r#""arn:aws-us-gov:iam::111122223333:role/kubernetes-*""#));
        let agent = eks_connector_agent("aws-cn").to_canonical_json();
        assert!(agent.contains(r#""arn:aws-cn:eks:*:*:cluster/*""#));
    }

    #[test]
    fn irsa_trust_is_exact() {
        let trust = irsa_trust(&oidc("aws"), "torque", "runner").to_canonical_json();
        let issuer = format!("oidc.eks.{REGION}.amazonaws.com/id/{OIDC_ID}");
        assert_eq!(
            trust,
            format!(
                concat!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","#,
                    r#""Principal":{{"Federated":"arn:aws:iam::{account}:oidc-provider/{issuer}"}},"#,
                    r#""Action":"sts:AssumeRoleWithWebIdentity","#,
                    r#""Condition":{{"StringEquals":{{"{issuer}:aud":"sts.amazonaws.com","#,
                    r#""{issuer}:sub":"system:serviceaccount:torque:runner"}}}}}}]}}"#
                ),
                account = ACCOUNT,
                issuer = issuer
            )
        );
        // The seed 000 trust is irsa_trust for the CSP adapter's service account.
        let seed = &seed_policies("000")[0];
        assert!(equivalent(
            &irsa_trust(
                &oidc("aws"),
                CSP_ADAPTER_NAMESPACE,
                CSP_ADAPTER_SERVICE_ACCOUNT
            )
            .to_canonical_json(),
            seed
        ));
        assert!(!equivalent(&trust, seed));
    }

    #[test]
    fn seed_003_oidc_provider_arn_parses() {
        // Seed 003 prints the provider ARN as `list-open-id-connect-providers` shows it.
        let text = seed_text("003");
        let arn = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("\"Arn\": \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .expect("seed 003 prints an OIDC provider ARN");
        let oidc: OidcProviderArn = arn.parse().unwrap();
        assert_eq!(
            oidc.issuer(),
            "oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
        );
        assert_eq!(oidc.account(), "111122223333");
    }

    #[test]
    fn preset_names_round_trip() {
        assert_eq!(Preset::ALL.len(), 9);
        for preset in Preset::ALL {
            assert_eq!(preset.name().parse::<Preset>(), Ok(*preset));
            assert_eq!(preset.to_string(), preset.name());
            assert!(preset.description().ends_with('.'), "{preset}");
            for parameter in preset.parameters() {
                assert!(
                    [
                        "account_id",
                        "oidc_provider_arn",
                        "namespace",
                        "service_account"
                    ]
                    .contains(parameter),
                    "{preset}: {parameter}"
                );
            }
        }
        let error = "master".parse::<Preset>().unwrap_err().to_string();
        assert!(
            error.starts_with(
                "`master` is not a known preset; expected one of rancher_controlplane, "
            ),
            "{error}"
        );
    }

    #[test]
    fn preset_build_checks_parameters() {
        let oidc = oidc("aws");
        let full = PresetArgs {
            partition: "aws",
            account_id: Some(ACCOUNT),
            oidc_provider_arn: Some(&oidc),
            namespace: Some("ns"),
            service_account: Some("sa"),
        };
        for preset in Preset::ALL {
            assert!(preset.build(&full).is_ok(), "{preset}");
            let bare = preset.build(&PresetArgs::new("aws"));
            assert_eq!(bare.is_ok(), preset.parameters().is_empty(), "{preset}");
        }
        assert_eq!(Preset::RancherNodeTrust.build(&full).unwrap(), ec2_trust());
        assert_eq!(
            Preset::IrsaTrust
                .build(&PresetArgs {
                    namespace: Some(""),
                    ..full
                })
                .unwrap_err()
                .to_string(),
            "preset `irsa_trust` needs `namespace`"
        );
        assert_eq!(
            Preset::KkpAccount
                .build(&PresetArgs {
                    account_id: Some("12"),
                    ..full
                })
                .unwrap_err()
                .to_string(),
            "`account_id` must be 12 digits; got `12`"
        );
        assert_eq!(
            Preset::KkpAccount
                .build(&PresetArgs {
                    partition: "aws-cn",
                    ..full
                })
                .unwrap(),
            kkp_account("aws-cn", ACCOUNT)
        );
    }

    #[test]
    fn ec2_trust_shape() {
        assert_eq!(
            ec2_trust().to_canonical_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        );
    }
}

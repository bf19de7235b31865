//! Rancher's documents [seeds 000, 001] and the out-of-tree AWS cloud
//! controller's, which Rancher requires from Kubernetes 1.27 on
//! [`shared/seeds/current/cloud-provider-aws-*.json`].

use super::{Published, Source, StatementData, Version, Versions, actions};

/// Rancher's "Setting up the Amazon Cloud Provider" page [001]: the in-tree
/// provider, which Kubernetes removed in 1.27.
pub const RANCHER_NODE_PAGE: Source = Source::new(
    "Rancher (Amazon cloud provider, in-tree)",
    "Rancher documentation, \"Setting up the Amazon Cloud Provider\"",
)
.serving("Kubernetes", Versions::Through(Version::new(1, 26)));

/// The controller's prerequisites page, at commit 63ec440 (2026-07-07).
const CLOUD_PROVIDER_AWS_PAGE: Source = Source::new(
    "Rancher (AWS cloud controller manager, out-of-tree)",
    "kubernetes/cloud-provider-aws, docs/prerequisites.md",
)
.serving("Kubernetes", Versions::From(Version::new(1, 27)));

/// Rancher's CSP adapter requirements page [000].
pub const RANCHER_CSP_ADAPTER_PAGE: Source = Source::new(
    "Rancher on the AWS Marketplace (CSP adapter)",
    "https://ranchermanager.docs.rancher.com/integrations-in-rancher/cloud-marketplace/aws-cloud-marketplace/adapter-requirements",
);

/// Rancher `controlplane` nodes [001]: the actions exactly as printed, the
/// runs the controller's policy prints too (below) and three more.
pub const RANCHER_CONTROLPLANE: Published = Published {
    title: "Rancher controlplane nodes, in-tree cloud provider",
    source: RANCHER_NODE_PAGE,
    statements: &[StatementData {
        sid: None,
        actions: actions![
            CONTROLPLANE_DESCRIBE,
            CONTROLPLANE_EC2,
            CONTROLPLANE_LOAD_BALANCERS,
            &[
                "elasticloadbalancing:SetLoadBalancerPoliciesOfListener",
                "iam:CreateServiceLinkedRole",
                "kms:DescribeKey",
            ],
        ],
        resource: "*",
    }],
};

/// The runs of actions both control-plane policies print, in the printed
/// order: the autoscaling and EC2 reads first ...
const CONTROLPLANE_DESCRIBE: &[&str] = &[
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeTags",
    "ec2:DescribeInstances",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVolumes",
];

/// ... then the EC2 changes (and `ec2:DescribeVpcs`, printed last) ...
const CONTROLPLANE_EC2: &[&str] = &[
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
];

/// ... then the load-balancer actions, Classic Load Balancer's then v2's
/// (`elasticloadbalancing:AddTags` in both, so twice).
const CONTROLPLANE_LOAD_BALANCERS: &[&str] = &[
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
];

/// Rancher `etcd` and `worker` nodes [001].
pub const RANCHER_ETCD_WORKER: Published = Published {
    title: "Rancher etcd and worker nodes, in-tree cloud provider",
    source: RANCHER_NODE_PAGE,
    statements: NODE_STATEMENTS,
};

/// The node policy: the same in Rancher's page and the controller's.
const NODE_STATEMENTS: &[StatementData] = &[StatementData {
    sid: None,
    actions: &[
        "ec2:DescribeInstances",
        "ec2:DescribeRegions",
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:GetRepositoryPolicy",
        "ecr:DescribeRepositories",
        "ecr:ListImages",
        "ecr:BatchGetImage",
    ],
    resource: "*",
}];

/// The controller's "Control Plane Policy": seed 001's controlplane policy
/// plus `ec2:DescribeAvailabilityZones`, `ec2:DescribeInstanceTopology`,
/// `elasticloadbalancing:DeregisterTargets` and
/// `elasticloadbalancing:SetSecurityGroups`, in the published order: between
/// seed 001's runs and among its last three actions.
pub const CLOUD_PROVIDER_AWS_CONTROL_PLANE: Published = Published {
    title: "Rancher controlplane nodes, out-of-tree AWS cloud controller manager",
    source: CLOUD_PROVIDER_AWS_PAGE
        .on_page("kubernetes/cloud-provider-aws, docs/prerequisites.md, \"Control Plane Policy\""),
    statements: &[StatementData {
        sid: None,
        actions: actions![
            CONTROLPLANE_DESCRIBE,
            &["ec2:DescribeAvailabilityZones"],
            CONTROLPLANE_EC2,
            &["ec2:DescribeInstanceTopology"],
            CONTROLPLANE_LOAD_BALANCERS,
            &[
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:SetLoadBalancerPoliciesOfListener",
                "elasticloadbalancing:SetSecurityGroups",
                "iam:CreateServiceLinkedRole",
                "kms:DescribeKey",
            ],
        ],
        resource: "*",
    }],
};

/// The controller's "Node Policy": the same actions as seed 001's
/// etcd/worker policy.
pub const CLOUD_PROVIDER_AWS_NODE: Published = Published {
    title: "Rancher etcd and worker nodes, out-of-tree AWS cloud controller manager",
    source: CLOUD_PROVIDER_AWS_PAGE
        .on_page("kubernetes/cloud-provider-aws, docs/prerequisites.md, \"Node Policy\""),
    statements: NODE_STATEMENTS,
};

/// License-manager permissions of the Rancher CSP adapter [000].
pub const RANCHER_CSP_ADAPTER: Published = Published {
    title: "Rancher CSP adapter",
    source: RANCHER_CSP_ADAPTER_PAGE,
    statements: &[StatementData {
        sid: Some("RancherCSPAdapterPermissions"),
        actions: &[
            "license-manager:ListReceivedLicenses",
            "license-manager:CheckoutLicense",
            "license-manager:ExtendLicenseConsumption",
            "license-manager:CheckInLicense",
            "license-manager:GetLicense",
            "license-manager:GetLicenseUsage",
        ],
        resource: "*",
    }],
};

/// Rancher Prime pay-as-you-go from the AWS Marketplace, "Installing Rancher
/// Prime" [`shared/seeds/beyond/rancher-prime-payg.json`]: an IRSA role for
/// the billing adapter, made with `eksctl create iamserviceaccount
/// --role-only`, with an AWS-managed policy attached.
pub const RANCHER_PRIME_PAYG_PAGE: Source = Source::new(
    "Rancher Prime PAYG on the AWS Marketplace (billing adapter)",
    "rancher/rancher-docs, docs/integrations-in-rancher/cloud-marketplace/aws-marketplace-payg-integration/installing-rancher-prime.md",
)
.serving("Rancher", Versions::From(Version::new(2, 8)));

/// The AWS-managed policy the billing adapter's role has attached.
pub const AWS_MARKETPLACE_METERING_NAME: &str = "AWSMarketplaceMeteringFullAccess";

/// What that AWS-managed policy holds (AWS maintains it; the role attaches
/// it by ARN), for the documentation.
pub const AWS_MARKETPLACE_METERING: Published = Published {
    title: "AWSMarketplaceMeteringFullAccess (AWS-managed)",
    source: Source::new(
        "AWS managed policies",
        "iann0036/iam-dataset, aws/managedpolicies/AWSMarketplaceMeteringFullAccess.json",
    ),
    statements: &[StatementData {
        sid: None,
        actions: &["aws-marketplace:MeterUsage"],
        resource: "*",
    }],
};

/// An action the out-of-tree cloud controller's code calls that its
/// published control-plane policy leaves out, with where and when.
#[derive(Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub action: &'static str,
    /// The file of kubernetes/cloud-provider-aws that calls it.
    pub file: &'static str,
    /// When the controller calls it, when the source says.
    pub when: Option<&'static str>,
}

/// The actions kubernetes/cloud-provider-aws at 63ec440 calls beyond its
/// published control-plane policy [`shared/seeds/beyond/README.md`].
pub const CLOUD_PROVIDER_AWS_CODE_ACTIONS: &[CodeAction] = &[
    CodeAction {
        action: "elasticloadbalancing:DescribeTargetGroupAttributes",
        file: "pkg/providers/v1/aws_loadbalancer.go",
        when: Some(
            "since commit 73428cd (2025-08-20), only for Services with the target-group-attributes annotation",
        ),
    },
    CodeAction {
        action: "elasticloadbalancing:ModifyTargetGroupAttributes",
        file: "pkg/providers/v1/aws_loadbalancer.go",
        when: Some(
            "since commit 73428cd (2025-08-20), only for Services with the target-group-attributes annotation",
        ),
    },
    CodeAction {
        action: "ec2:DeleteTags",
        file: "pkg/providers/v1/tags.go",
        when: None,
    },
    CodeAction {
        action: "ec2:DescribeNetworkInterfaces",
        file: "pkg/providers/v1/aws_ec2.go",
        when: Some("for Fargate only"),
    },
];

/// Those actions as a statement of their own, added to the control-plane
/// policy on request (`extra_controller_actions`).
pub const CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT: Published = Published {
    title: "Actions the AWS cloud controller manager's code calls beyond its control-plane policy",
    source: CLOUD_PROVIDER_AWS_PAGE
        .on_page("kubernetes/cloud-provider-aws at 63ec440, pkg/providers/v1/"),
    statements: &[StatementData {
        sid: None,
        actions: &[
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "ec2:DeleteTags",
            "ec2:DescribeNetworkInterfaces",
        ],
        resource: "*",
    }],
};

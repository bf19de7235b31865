//! Rancher's documents [seeds 000, 001] and the out-of-tree AWS cloud
//! controller's, which Rancher requires from Kubernetes 1.27 on
//! [`shared/seeds/current/cloud-provider-aws-*.json`].

use super::{Published, Source, StatementData, Version, Versions};

/// Rancher's "Setting up the Amazon Cloud Provider" page [001]: the in-tree
/// provider, which Kubernetes removed in 1.27.
pub const RANCHER_NODE_PAGE: Source = Source {
    platform: "Rancher (Amazon cloud provider, in-tree)",
    page: "Rancher documentation, \"Setting up the Amazon Cloud Provider\"",
    versioned_by: "Kubernetes",
    versions: Versions::Through(Version::new(1, 26)),
};

/// The controller's prerequisites page, at commit 63ec440 (2026-07-07).
const CLOUD_PROVIDER_AWS_PAGE: Source = Source {
    platform: "Rancher (AWS cloud controller manager, out-of-tree)",
    page: "kubernetes/cloud-provider-aws, docs/prerequisites.md",
    versioned_by: "Kubernetes",
    versions: Versions::From(Version::new(1, 27)),
};

/// Rancher's CSP adapter requirements page [000].
pub const RANCHER_CSP_ADAPTER_PAGE: Source = Source {
    platform: "Rancher on the AWS Marketplace (CSP adapter)",
    page: "https://ranchermanager.docs.rancher.com/integrations-in-rancher/cloud-marketplace/aws-cloud-marketplace/adapter-requirements",
    versioned_by: "Rancher",
    versions: Versions::Any,
};

/// Rancher `controlplane` nodes [001]. The action list is kept exactly as
/// printed, including `elasticloadbalancing:AddTags` twice.
pub const RANCHER_CONTROLPLANE: Published = Published {
    title: "Rancher controlplane nodes, in-tree cloud provider",
    source: RANCHER_NODE_PAGE,
    statements: &[StatementData {
        sid: None,
        actions: &[
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
        ],
        resource: "*",
    }],
};

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
/// `elasticloadbalancing:SetSecurityGroups`, in the published order
/// (`elasticloadbalancing:AddTags` twice, as printed).
pub const CLOUD_PROVIDER_AWS_CONTROL_PLANE: Published = Published {
    title: "Rancher controlplane nodes, out-of-tree AWS cloud controller manager",
    source: Source {
        page: "kubernetes/cloud-provider-aws, docs/prerequisites.md, \"Control Plane Policy\"",
        ..CLOUD_PROVIDER_AWS_PAGE
    },
    statements: &[StatementData {
        sid: None,
        actions: &[
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeTags",
            "ec2:DescribeInstances",
            "ec2:DescribeRegions",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets",
            "ec2:DescribeVolumes",
            "ec2:DescribeAvailabilityZones",
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
            "ec2:DescribeInstanceTopology",
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
            "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:SetLoadBalancerPoliciesOfListener",
            "elasticloadbalancing:SetSecurityGroups",
            "iam:CreateServiceLinkedRole",
            "kms:DescribeKey",
        ],
        resource: "*",
    }],
};

/// The controller's "Node Policy": the same actions as seed 001's
/// etcd/worker policy.
pub const CLOUD_PROVIDER_AWS_NODE: Published = Published {
    title: "Rancher etcd and worker nodes, out-of-tree AWS cloud controller manager",
    source: Source {
        page: "kubernetes/cloud-provider-aws, docs/prerequisites.md, \"Node Policy\"",
        ..CLOUD_PROVIDER_AWS_PAGE
    },
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

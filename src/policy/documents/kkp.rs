//! Kubermatic KKP's account policy: seed 002 for KKP 2.22 and earlier, the
//! document of KKP 2.23 and later [`shared/seeds/current/kkp-2.23-and-later.json`].

use super::{Published, Source, StatementData, Version, Versions};

const KKP_PAGE: &str = "kubermatic/docs, content/kubermatic/<version>/architecture/supported-providers/aws/_index.en.md";

/// The policy of the AWS user KKP runs as, KKP 2.22 and earlier [002].
pub const KKP_2_22_AND_EARLIER: Published = Published {
    title: "KKP 2.22 and earlier",
    source: Source {
        platform: "Kubermatic KKP",
        page: KKP_PAGE,
        versioned_by: "KKP",
        versions: Versions::Through(Version::new(2, 22)),
    },
    statements: &[
        StatementData {
            sid: None,
            actions: &["iam:GetInstanceProfile", "iam:ListInstanceProfiles"],
            resource: "arn:${partition}:iam::${account_id}:instance-profile/*",
        },
        ROLES,
        INSTANCE_PROFILES,
        StatementData {
            sid: None,
            actions: &[
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
            ],
            resource: "*",
        },
    ],
};

/// KKP 2.23 and later (kubermatic/docs 17c832b and 0e61fe4, unchanged up to
/// 2.31 and `main` at 1fb86c4): `iam:TagInstanceProfile` on
/// `instance-profile/*` and `elasticloadbalancing:AddTags` added.
pub const KKP_2_23_AND_LATER: Published = Published {
    title: "KKP 2.23 and later",
    source: Source {
        platform: "Kubermatic KKP",
        page: KKP_PAGE,
        versioned_by: "KKP",
        versions: Versions::From(Version::new(2, 23)),
    },
    statements: &[
        StatementData {
            sid: None,
            actions: &[
                "iam:GetInstanceProfile",
                "iam:ListInstanceProfiles",
                "iam:TagInstanceProfile",
            ],
            resource: "arn:${partition}:iam::${account_id}:instance-profile/*",
        },
        ROLES,
        INSTANCE_PROFILES,
        StatementData {
            sid: None,
            actions: &[
                "ec2:*",
                "elasticloadbalancing:AddTags",
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
            ],
            resource: "*",
        },
    ],
};

/// The roles statement, the same in both versions.
const ROLES: StatementData = StatementData {
    sid: None,
    actions: &[
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:DeleteRolePolicy",
        "iam:GetRole",
        "iam:ListAttachedRolePolicies",
        "iam:ListRolePolicies",
        "iam:PassRole",
        "iam:PutRolePolicy",
        "iam:TagRole",
    ],
    resource: "arn:${partition}:iam::${account_id}:role/kubernetes-*",
};

/// The instance-profile statement, the same in both versions.
const INSTANCE_PROFILES: StatementData = StatementData {
    sid: None,
    actions: &[
        "iam:AddRoleToInstanceProfile",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:GetInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
    ],
    resource: "arn:${partition}:iam::${account_id}:instance-profile/kubernetes-*",
};

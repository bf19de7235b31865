//! Kubermatic KKP's account policy: seed 002 for KKP 2.22 and earlier, the
//! document of KKP 2.23 and later [`shared/seeds/current/kkp-2.23-and-later.json`].

use super::{Published, Source, StatementData, Version, Versions, actions};
use crate::policy::equivalent;

/// KKP's AWS page, where each version's documentation prints the policy.
const KKP_PAGE: Source = Source::new(
    "Kubermatic KKP",
    "kubermatic/docs, content/kubermatic/<version>/architecture/supported-providers/aws/_index.en.md",
);

/// KKP's "Deploy with AWS AssumeRole" page [`shared/seeds/beyond/README.md`]:
/// a role in account B with the KKP policy, trusting KKP's principal in
/// account A, optionally with an external id.
pub const KKP_ASSUME_ROLE_PAGE: Source = Source::new(
    "Kubermatic KKP (AWS AssumeRole)",
    "kubermatic/docs, content/kubermatic/main/tutorials-howtos/aws-assume-role/_index.en.md",
);

/// The policy of the AWS user KKP runs as, KKP 2.22 and earlier [002].
pub const KKP_2_22_AND_EARLIER: Published = Published {
    title: "KKP 2.22 and earlier",
    source: KKP_PAGE.serving("KKP", Versions::Through(Version::new(2, 22))),
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
            actions: actions![&["ec2:*"], LOAD_BALANCERS, &["sts:GetFederationToken"]],
            resource: "*",
        },
    ],
};

/// KKP 2.23 and later (kubermatic/docs 17c832b and 0e61fe4, unchanged up to
/// 2.31 and `main` at 1fb86c4): `iam:TagInstanceProfile` on
/// `instance-profile/*` and `elasticloadbalancing:AddTags` added.
pub const KKP_2_23_AND_LATER: Published = Published {
    title: "KKP 2.23 and later",
    source: KKP_PAGE.serving("KKP", Versions::From(Version::new(2, 23))),
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
            actions: actions![
                &["ec2:*", "elasticloadbalancing:AddTags"],
                LOAD_BALANCERS,
                &["sts:GetFederationToken"],
            ],
            resource: "*",
        },
    ],
};

/// The load-balancer actions between `ec2:*` (2.23: and
/// `elasticloadbalancing:AddTags`) and `sts:GetFederationToken`, the same in
/// both versions.
const LOAD_BALANCERS: &[&str] = &[
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
];

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

/// What KKP's document lets its holder do, for the KKP resource's page.
pub const SECURITY_CONSIDERATIONS: &str = "\
## Security considerations

The document, as KKP publishes it, lets whoever holds it become an administrator of the \
account:

- With `iam:CreateRole` and `iam:PutRolePolicy` on `role/kubernetes-*`, the holder can create a \
role named `kubernetes-<anything>` that trusts a principal of its choice (another AWS account, \
for instance) and give it an inline policy that allows every action. The same two actions \
replace the inline policy of any existing role named `kubernetes-*`, other clusters' included.
- With `iam:PassRole` on those roles, the instance profile actions on \
`instance-profile/kubernetes-*` and `ec2:*`, it can also start an instance that runs with such a \
role.
- `ec2:*` on `*` is full control of every EC2 and VPC resource in the account: instances, \
volumes, snapshots (which it can share with other accounts), security groups, routes and \
network interfaces.
- Its `elasticloadbalancing` actions on `*` let it change or delete any load balancer of the \
account, and `sts:GetFederationToken` issues temporary credentials with the user's permissions, \
valid for up to 36 hours, which deactivating the user's access key does not end (only a deny \
policy on the user does).

Treat the access key of the KKP user like an administrator's. What you can add around it:

- Run KKP's user clusters in an AWS account of their own, so that all of the above stays \
within that account.
- A service control policy on that account, or a permissions boundary on the KKP user, that \
denies what this document does not list takes away only what KKP's documentation does not ask \
for. A boundary that equals the document also keeps a policy attached to the user later from \
widening its rights. Neither limits the roles the user creates.
- Requiring a permissions boundary on every role the user creates (an `iam:PermissionsBoundary` \
condition on `iam:CreateRole` and `iam:PutRolePolicy`) would close the way to administrator, \
but KKP's documentation does not say that KKP sets a boundary on the roles it creates, so such \
a condition is likely to stop KKP from creating its node roles. This provider does not offer it.";

/// The document for `account_id` and the KKP version (unset: the current
/// KKP), in the caller's partition.
pub fn kkp_account_document(
    partition: &str,
    account_id: &str,
    kkp_version: Option<Version>,
) -> String {
    super::kkp_account(kkp_version)
        .render(partition, account_id)
        .to_canonical_json()
}

/// The `kkp_version` to import for a policy: unset when it is the current
/// document, the newest version a seed document serves when it is that one,
/// unset when it is neither (the plan then shows the current document).
pub fn kkp_version_of(partition: &str, account_id: &str, policy: &str) -> Option<Version> {
    kkp_document_version(partition, account_id, policy).flatten()
}

/// Whether `policy` is one of KKP's documents for the account: Some with
/// the `kkp_version` that renders it (None: the current KKP), or None.
pub fn kkp_document_version(
    partition: &str,
    account_id: &str,
    policy: &str,
) -> Option<Option<Version>> {
    if equivalent(policy, &kkp_account_document(partition, account_id, None)) {
        return Some(None);
    }
    super::KKP_ACCOUNT
        .iter()
        .find(|doc| {
            equivalent(
                policy,
                &doc.render(partition, account_id).to_canonical_json(),
            )
        })
        .map(|doc| doc.source.versions.bound())
}

/// The `kkp_version` attribute's description: the documents and how each
/// differs from the one before, from the documents themselves.
/// `kkp_version` as a user writes it (`2.28`), parsed once here for every
/// resource, preset and function that takes it; the reason when it is not one.
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

pub fn kkp_version_description() -> String {
    let ranges: Vec<String> = super::KKP_ACCOUNT
        .iter()
        .map(|doc| doc.source.version_range())
        .collect();
    let changes: Vec<String> = super::KKP_ACCOUNT
        .windows(2)
        .map(|pair| {
            let added: Vec<String> = pair[1]
                .actions_beyond(pair[0])
                .iter()
                .map(|a| format!("`{a}`"))
                .collect();
            format!(
                "the policy of {} adds {}",
                pair[1].source.version_range(),
                added.join(" and ")
            )
        })
        .collect();
    format!(
        "The KKP version the policy is for, written `MAJOR.MINOR` such as `\"2.28\"`. KKP's \
         documentation prints one policy for each of: {}; {}. Unset, the policy is the current \
         KKP's (the last of these). Changing it updates the policy in place (a new default \
         policy version).",
        ranges.join(", "),
        changes.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_uses_the_partition_and_account() {
        let doc = kkp_account_document("aws-cn", "111122223333", None);
        assert!(doc.contains("arn:aws-cn:iam::111122223333:role/kubernetes-*"));
        assert!(!doc.contains("arn:aws:"));
    }

    #[test]
    fn import_picks_the_version_whose_document_the_policy_is() {
        let account = "111122223333";
        let at = |v| kkp_account_document("aws", account, Some(Version::new(2, v)));
        assert_eq!(kkp_version_of("aws", account, &at(23)), None);
        assert_eq!(kkp_version_of("aws", account, &at(31)), None);
        assert_eq!(
            kkp_version_of("aws", account, &at(20)),
            Some(Version::new(2, 22))
        );
        // Another account's policy, or an edited one, is neither.
        assert_eq!(kkp_version_of("aws", "999988887777", &at(20)), None);
        let edited = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;
        assert_eq!(kkp_version_of("aws", account, edited), None);
    }
}

//! The IAM action of every AWS call the provider makes, with the resources
//! IAM lets a policy scope it to. Every call site names its action
//! ([`super::call::call`]), a test checks that each SDK call has one and that
//! it is the call's own, and the permissions the provider needs are built
//! from these (see `docs/guides/permissions.md`).

/// An IAM action and the resource ARNs it can be granted on. The ARN
/// patterns use IAM's policy variables for the partition, region and
/// account (`${Partition}`, ...), filled in when a policy is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action {
    /// `service:Operation`, e.g. `iam:CreateRole`.
    pub name: &'static str,
    /// The resource the action is scoped to; `*` where IAM allows no other.
    pub resource: &'static str,
}

impl Action {
    /// What kind of object the action is about, to name it in the log:
    /// `role=rancher-cp`.
    pub fn object(&self) -> &'static str {
        match self.resource {
            ROLE | TARGET_ROLE | SERVICE_LINKED_ROLE => "role",
            INSTANCE_PROFILE => "profile",
            POLICY => "policy",
            OIDC_PROVIDER => "oidc_provider",
            USER => "user",
            VPC => "vpc",
            EKS_CLUSTER => "cluster",
            _ => "subject",
        }
    }
}

const ROLE: &str = "arn:${Partition}:iam::${Account}:role/*";
const INSTANCE_PROFILE: &str = "arn:${Partition}:iam::${Account}:instance-profile/*";
const POLICY: &str = "arn:${Partition}:iam::${Account}:policy/*";
const OIDC_PROVIDER: &str = "arn:${Partition}:iam::${Account}:oidc-provider/*";
const USER: &str = "arn:${Partition}:iam::${Account}:user/*";
const SERVICE_LINKED_ROLE: &str =
    "arn:${Partition}:iam::${Account}:role/aws-service-role/eks-connector.amazonaws.com/*";
const EC2_TAGGABLE: &str = "arn:${Partition}:ec2:${Region}:${Account}:*/*";
const VPC: &str = "arn:${Partition}:ec2:${Region}:${Account}:vpc/*";
const EKS_CLUSTER: &str = "arn:${Partition}:eks:${Region}:${Account}:cluster/*";
/// The role in `assume_role`, in whichever account it is.
const TARGET_ROLE: &str = "arn:${Partition}:iam::*:role/*";
const ANY: &str = "*";

macro_rules! actions {
    ($($ident:ident = $name:literal on $resource:expr;)*) => {
        $(pub const $ident: Action = Action { name: $name, resource: $resource };)*
        /// Every action, with the name of its constant (for the test that
        /// matches call sites to actions).
        pub const ALL: &[(&str, Action)] = &[$((stringify!($ident), $ident)),*];
    };
}

actions! {
    IAM_ADD_CLIENT_ID_TO_OPEN_ID_CONNECT_PROVIDER = "iam:AddClientIDToOpenIDConnectProvider" on OIDC_PROVIDER;
    IAM_ADD_ROLE_TO_INSTANCE_PROFILE = "iam:AddRoleToInstanceProfile" on INSTANCE_PROFILE;
    IAM_ATTACH_ROLE_POLICY = "iam:AttachRolePolicy" on ROLE;
    IAM_ATTACH_USER_POLICY = "iam:AttachUserPolicy" on USER;
    IAM_CREATE_INSTANCE_PROFILE = "iam:CreateInstanceProfile" on INSTANCE_PROFILE;
    IAM_CREATE_OPEN_ID_CONNECT_PROVIDER = "iam:CreateOpenIDConnectProvider" on OIDC_PROVIDER;
    IAM_CREATE_POLICY = "iam:CreatePolicy" on POLICY;
    IAM_CREATE_POLICY_VERSION = "iam:CreatePolicyVersion" on POLICY;
    IAM_CREATE_ROLE = "iam:CreateRole" on ROLE;
    IAM_CREATE_SERVICE_LINKED_ROLE = "iam:CreateServiceLinkedRole" on SERVICE_LINKED_ROLE;
    IAM_DELETE_INSTANCE_PROFILE = "iam:DeleteInstanceProfile" on INSTANCE_PROFILE;
    IAM_DELETE_OPEN_ID_CONNECT_PROVIDER = "iam:DeleteOpenIDConnectProvider" on OIDC_PROVIDER;
    IAM_DELETE_POLICY = "iam:DeletePolicy" on POLICY;
    IAM_DELETE_POLICY_VERSION = "iam:DeletePolicyVersion" on POLICY;
    IAM_DELETE_ROLE = "iam:DeleteRole" on ROLE;
    IAM_DELETE_ROLE_PERMISSIONS_BOUNDARY = "iam:DeleteRolePermissionsBoundary" on ROLE;
    IAM_DELETE_ROLE_POLICY = "iam:DeleteRolePolicy" on ROLE;
    IAM_DELETE_SERVICE_LINKED_ROLE = "iam:DeleteServiceLinkedRole" on SERVICE_LINKED_ROLE;
    IAM_DETACH_ROLE_POLICY = "iam:DetachRolePolicy" on ROLE;
    IAM_DETACH_USER_POLICY = "iam:DetachUserPolicy" on USER;
    IAM_GET_ACCOUNT_AUTHORIZATION_DETAILS = "iam:GetAccountAuthorizationDetails" on ANY;
    IAM_GET_ACCOUNT_SUMMARY = "iam:GetAccountSummary" on ANY;
    IAM_GET_INSTANCE_PROFILE = "iam:GetInstanceProfile" on INSTANCE_PROFILE;
    IAM_GET_OPEN_ID_CONNECT_PROVIDER = "iam:GetOpenIDConnectProvider" on OIDC_PROVIDER;
    IAM_GET_POLICY = "iam:GetPolicy" on POLICY;
    IAM_GET_POLICY_VERSION = "iam:GetPolicyVersion" on POLICY;
    IAM_GET_ROLE = "iam:GetRole" on ROLE;
    IAM_GET_ROLE_POLICY = "iam:GetRolePolicy" on ROLE;
    IAM_GET_SERVICE_LINKED_ROLE_DELETION_STATUS = "iam:GetServiceLinkedRoleDeletionStatus" on SERVICE_LINKED_ROLE;
    IAM_LIST_ATTACHED_ROLE_POLICIES = "iam:ListAttachedRolePolicies" on ROLE;
    IAM_LIST_ENTITIES_FOR_POLICY = "iam:ListEntitiesForPolicy" on POLICY;
    IAM_LIST_INSTANCE_PROFILES_FOR_ROLE = "iam:ListInstanceProfilesForRole" on ROLE;
    IAM_LIST_POLICY_VERSIONS = "iam:ListPolicyVersions" on POLICY;
    IAM_LIST_ROLE_POLICIES = "iam:ListRolePolicies" on ROLE;
    IAM_LIST_ROLES = "iam:ListRoles" on ANY;
    // No call of its own: AddRoleToInstanceProfile is also authorized as
    // iam:PassRole on the role it adds.
    IAM_PASS_ROLE = "iam:PassRole" on ROLE;
    IAM_PUT_ROLE_PERMISSIONS_BOUNDARY = "iam:PutRolePermissionsBoundary" on ROLE;
    IAM_PUT_ROLE_POLICY = "iam:PutRolePolicy" on ROLE;
    IAM_REMOVE_CLIENT_ID_FROM_OPEN_ID_CONNECT_PROVIDER = "iam:RemoveClientIDFromOpenIDConnectProvider" on OIDC_PROVIDER;
    IAM_REMOVE_ROLE_FROM_INSTANCE_PROFILE = "iam:RemoveRoleFromInstanceProfile" on INSTANCE_PROFILE;
    IAM_TAG_INSTANCE_PROFILE = "iam:TagInstanceProfile" on INSTANCE_PROFILE;
    IAM_TAG_OPEN_ID_CONNECT_PROVIDER = "iam:TagOpenIDConnectProvider" on OIDC_PROVIDER;
    IAM_TAG_POLICY = "iam:TagPolicy" on POLICY;
    IAM_TAG_ROLE = "iam:TagRole" on ROLE;
    IAM_UNTAG_INSTANCE_PROFILE = "iam:UntagInstanceProfile" on INSTANCE_PROFILE;
    IAM_UNTAG_OPEN_ID_CONNECT_PROVIDER = "iam:UntagOpenIDConnectProvider" on OIDC_PROVIDER;
    IAM_UNTAG_POLICY = "iam:UntagPolicy" on POLICY;
    IAM_UNTAG_ROLE = "iam:UntagRole" on ROLE;
    IAM_UPDATE_ASSUME_ROLE_POLICY = "iam:UpdateAssumeRolePolicy" on ROLE;
    IAM_UPDATE_OPEN_ID_CONNECT_PROVIDER_THUMBPRINT = "iam:UpdateOpenIDConnectProviderThumbprint" on OIDC_PROVIDER;
    IAM_UPDATE_ROLE = "iam:UpdateRole" on ROLE;
    EC2_CREATE_TAGS = "ec2:CreateTags" on EC2_TAGGABLE;
    EC2_DELETE_TAGS = "ec2:DeleteTags" on EC2_TAGGABLE;
    EC2_DESCRIBE_INSTANCES = "ec2:DescribeInstances" on ANY;
    EC2_DESCRIBE_SECURITY_GROUPS = "ec2:DescribeSecurityGroups" on ANY;
    EC2_DESCRIBE_SUBNETS = "ec2:DescribeSubnets" on ANY;
    EC2_DESCRIBE_TAGS = "ec2:DescribeTags" on ANY;
    EC2_DESCRIBE_VPC_ATTRIBUTE = "ec2:DescribeVpcAttribute" on VPC;
    EC2_MODIFY_VPC_ATTRIBUTE = "ec2:ModifyVpcAttribute" on VPC;
    EKS_DESCRIBE_CLUSTER = "eks:DescribeCluster" on EKS_CLUSTER;
    STS_ASSUME_ROLE = "sts:AssumeRole" on TARGET_ROLE;
    STS_GET_CALLER_IDENTITY = "sts:GetCallerIdentity" on ANY;
}

#[cfg(test)]
mod tests;

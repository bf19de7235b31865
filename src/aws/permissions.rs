//! The IAM actions each piece of the provider needs: every resource's create,
//! read, update, delete and import, every data source, and the provider's
//! configure step. Built from the actions of the calls each makes
//! ([`super::actions`]), here beside those calls so that the two change
//! together; the enforcing-emulator tests prove the lists are enough and that
//! each action in them is needed.

use std::collections::BTreeSet;

use super::actions::*;

mod policy;
pub use policy::{Grant, Scope, grant, policy, scoped_policy};

/// The operations of a resource (a data source has only `read`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
    Import,
}

impl Operation {
    pub const ALL: [Operation; 5] = [
        Operation::Create,
        Operation::Read,
        Operation::Update,
        Operation::Delete,
        Operation::Import,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Import => "import",
        }
    }
}

/// What one resource or data source needs, by operation. `optional` are the
/// actions the provider does without when they are denied (it warns).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Needs {
    pub create: Vec<Action>,
    pub read: Vec<Action>,
    pub update: Vec<Action>,
    pub delete: Vec<Action>,
    pub import: Vec<Action>,
    pub optional: Vec<Action>,
}

impl Needs {
    pub fn of(&self, operation: Operation) -> &[Action] {
        match operation {
            Operation::Create => &self.create,
            Operation::Read => &self.read,
            Operation::Update => &self.update,
            Operation::Delete => &self.delete,
            Operation::Import => &self.import,
        }
    }

    /// Every action any operation needs (not the optional ones).
    pub fn all(&self) -> BTreeSet<Action> {
        Operation::ALL
            .iter()
            .flat_map(|op| self.of(*op).iter().copied())
            .collect()
    }
}

/// What refresh reads do better with, and do without when denied: the
/// account's bulk read (see `bulk_reads` in the provider block).
const BULK_READ: &[Action] = &[IAM_GET_ACCOUNT_AUTHORIZATION_DETAILS, IAM_LIST_ROLES];

fn set(parts: &[&[Action]]) -> Vec<Action> {
    let all: BTreeSet<Action> = parts.iter().flat_map(|p| p.iter().copied()).collect();
    all.into_iter().collect()
}

/// Reading a role with its inline and attached policies.
const ROLE_READ: &[Action] = &[
    IAM_GET_ROLE,
    IAM_LIST_ROLE_POLICIES,
    IAM_GET_ROLE_POLICY,
    IAM_LIST_ATTACHED_ROLE_POLICIES,
];
/// Bringing a role to its spec: everything but the instance profile and
/// attachments. Tags in CreateRole need `iam:TagRole`, a boundary in it
/// `iam:PutRolePermissionsBoundary`. A managed policy attached out of band
/// is detached (a role kind without `policy_arns` has none of its own).
/// When a step fails, what exists is read back, with every instance profile
/// holding the role, so that the state keeps it and nothing is orphaned.
const ROLE_WRITE: &[Action] = &[
    IAM_CREATE_ROLE,
    IAM_TAG_ROLE,
    IAM_UNTAG_ROLE,
    IAM_UPDATE_ASSUME_ROLE_POLICY,
    IAM_UPDATE_ROLE,
    IAM_PUT_ROLE_PERMISSIONS_BOUNDARY,
    IAM_DELETE_ROLE_PERMISSIONS_BOUNDARY,
    IAM_PUT_ROLE_POLICY,
    IAM_DELETE_ROLE_POLICY,
    IAM_DETACH_ROLE_POLICY,
    IAM_LIST_INSTANCE_PROFILES_FOR_ROLE,
];
/// IAM deletes a role only once it is out of every instance profile and
/// has no inline or attached policy left, including any added out of band.
const ROLE_DELETE: &[Action] = &[
    IAM_LIST_INSTANCE_PROFILES_FOR_ROLE,
    IAM_REMOVE_ROLE_FROM_INSTANCE_PROFILE,
    IAM_DELETE_ROLE_POLICY,
    IAM_DETACH_ROLE_POLICY,
    IAM_DELETE_ROLE,
];
const ATTACHMENTS: &[Action] = &[IAM_ATTACH_ROLE_POLICY];
const PROFILE_READ: &[Action] = &[IAM_GET_INSTANCE_PROFILE];
/// AddRoleToInstanceProfile also needs `iam:PassRole` on the role (IAM's
/// API reference); moto does not ask for it.
const PROFILE_WRITE: &[Action] = &[
    IAM_CREATE_INSTANCE_PROFILE,
    IAM_TAG_INSTANCE_PROFILE,
    IAM_UNTAG_INSTANCE_PROFILE,
    IAM_ADD_ROLE_TO_INSTANCE_PROFILE,
    IAM_PASS_ROLE,
];

/// A role-shaped resource: with an instance profile of its name, and with
/// managed policy attachments, or not.
pub fn role(instance_profile: bool, managed_policies: bool) -> Needs {
    let profile_read: &[Action] = if instance_profile { PROFILE_READ } else { &[] };
    let profile_write: &[Action] = if instance_profile { PROFILE_WRITE } else { &[] };
    let profile_delete: &[Action] = if instance_profile {
        &[IAM_DELETE_INSTANCE_PROFILE]
    } else {
        &[]
    };
    let attachments: &[Action] = if managed_policies { ATTACHMENTS } else { &[] };
    Needs {
        create: set(&[
            ROLE_READ,
            ROLE_WRITE,
            profile_read,
            profile_write,
            attachments,
        ]),
        read: set(&[ROLE_READ, profile_read]),
        update: set(&[
            ROLE_READ,
            ROLE_WRITE,
            profile_read,
            profile_write,
            attachments,
        ]),
        delete: set(&[ROLE_READ, ROLE_DELETE, profile_delete]),
        import: set(&[ROLE_READ, profile_read]),
        optional: set(&[&[IAM_GET_ACCOUNT_SUMMARY], BULK_READ]),
    }
}

/// `clusteriam_oidc_provider`.
pub fn oidc_provider() -> Needs {
    const READ: &[Action] = &[IAM_GET_OPEN_ID_CONNECT_PROVIDER];
    const CONVERGE: &[Action] = &[
        IAM_ADD_CLIENT_ID_TO_OPEN_ID_CONNECT_PROVIDER,
        IAM_UPDATE_OPEN_ID_CONNECT_PROVIDER_THUMBPRINT,
        IAM_TAG_OPEN_ID_CONNECT_PROVIDER,
    ];
    Needs {
        create: set(&[READ, CONVERGE, &[IAM_CREATE_OPEN_ID_CONNECT_PROVIDER]]),
        read: READ.to_vec(),
        update: set(&[
            READ,
            CONVERGE,
            &[
                IAM_REMOVE_CLIENT_ID_FROM_OPEN_ID_CONNECT_PROVIDER,
                IAM_UNTAG_OPEN_ID_CONNECT_PROVIDER,
            ],
        ]),
        // Whose it is (its ownership mark) and who still trusts it, before
        // it goes. A provider handed over to a resource that adopted it in
        // the same run is tagged (TagOpenIDConnectProvider), which that
        // run's create needs anyway.
        delete: vec![
            IAM_GET_OPEN_ID_CONNECT_PROVIDER,
            IAM_LIST_ROLES,
            IAM_DELETE_OPEN_ID_CONNECT_PROVIDER,
        ],
        import: READ.to_vec(),
        optional: vec![IAM_GET_ACCOUNT_SUMMARY],
    }
}

/// `clusteriam_kkp_account_policy`.
pub fn managed_policy() -> Needs {
    const READ: &[Action] = &[
        IAM_GET_POLICY,
        IAM_GET_POLICY_VERSION,
        IAM_LIST_ENTITIES_FOR_POLICY,
    ];
    Needs {
        // When CreatePolicy's answer is lost, the retry meets the policy
        // and reads it (GetPolicy) to tell whether its own attempt made it.
        create: vec![
            IAM_CREATE_POLICY,
            IAM_TAG_POLICY,
            IAM_GET_POLICY,
            IAM_ATTACH_USER_POLICY,
        ],
        read: READ.to_vec(),
        update: vec![
            IAM_LIST_POLICY_VERSIONS,
            IAM_DELETE_POLICY_VERSION,
            IAM_CREATE_POLICY_VERSION,
            IAM_ATTACH_USER_POLICY,
            IAM_DETACH_USER_POLICY,
            IAM_TAG_POLICY,
            IAM_UNTAG_POLICY,
        ],
        delete: vec![
            IAM_DETACH_USER_POLICY,
            IAM_LIST_POLICY_VERSIONS,
            IAM_DELETE_POLICY_VERSION,
            IAM_DELETE_POLICY,
        ],
        import: READ.to_vec(),
        optional: set(&[&[IAM_GET_ACCOUNT_SUMMARY], BULK_READ]),
    }
}

/// `clusteriam_cluster_tags`: existence checks at plan and before writing.
pub fn cluster_tags() -> Needs {
    const CHECK: &[Action] = &[
        EC2_DESCRIBE_INSTANCES,
        EC2_DESCRIBE_SUBNETS,
        EC2_DESCRIBE_SECURITY_GROUPS,
        EC2_DESCRIBE_TAGS,
    ];
    Needs {
        create: set(&[CHECK, &[EC2_CREATE_TAGS]]),
        read: CHECK.to_vec(),
        update: set(&[CHECK, &[EC2_CREATE_TAGS, EC2_DELETE_TAGS]]),
        delete: vec![EC2_DESCRIBE_TAGS, EC2_DELETE_TAGS],
        import: vec![EC2_DESCRIBE_TAGS],
        optional: vec![],
    }
}

/// `clusteriam_vpc_dns_hostnames`.
pub fn vpc_dns() -> Needs {
    let both = vec![EC2_DESCRIBE_VPC_ATTRIBUTE, EC2_MODIFY_VPC_ATTRIBUTE];
    Needs {
        create: both.clone(),
        read: vec![EC2_DESCRIBE_VPC_ATTRIBUTE],
        update: both,
        delete: vec![EC2_MODIFY_VPC_ATTRIBUTE],
        import: vec![EC2_DESCRIBE_VPC_ATTRIBUTE],
        optional: vec![],
    }
}

/// `clusteriam_eks_connector_service_linked_role`.
pub fn service_linked_role() -> Needs {
    Needs {
        // ListRoles finds the one that exists. The ownership mark is the
        // role's description, set by the create call itself: no tagging.
        create: vec![IAM_CREATE_SERVICE_LINKED_ROLE, IAM_LIST_ROLES],
        read: vec![IAM_GET_ROLE],
        update: vec![],
        delete: vec![
            IAM_DELETE_SERVICE_LINKED_ROLE,
            IAM_GET_SERVICE_LINKED_ROLE_DELETION_STATUS,
        ],
        import: vec![IAM_GET_ROLE],
        optional: BULK_READ.to_vec(),
    }
}

/// `clusteriam_eks_cluster_oidc`.
pub fn eks_cluster_oidc() -> Needs {
    Needs {
        read: vec![EKS_DESCRIBE_CLUSTER, IAM_GET_OPEN_ID_CONNECT_PROVIDER],
        ..Needs::default()
    }
}

/// The provider's configure step: who the caller is (which no policy needs
/// to allow), and the role in `assume_role` for the base credentials.
pub fn configure() -> Needs {
    Needs {
        read: vec![STS_GET_CALLER_IDENTITY],
        optional: vec![STS_ASSUME_ROLE],
        ..Needs::default()
    }
}

/// Every resource type and data source whose needs [`by_type`] knows.
pub const TYPES: &[&str] = &[
    "clusteriam_cluster_tags",
    "clusteriam_eks_connector_agent_role",
    "clusteriam_eks_connector_service_linked_role",
    "clusteriam_kkp_account_policy",
    "clusteriam_kkp_assume_role",
    "clusteriam_oidc_provider",
    "clusteriam_rancher_billing_adapter_role",
    "clusteriam_rancher_csp_adapter_role",
    "clusteriam_rancher_node_role",
    "clusteriam_torque_agent_role",
    "clusteriam_torque_target_role",
    "clusteriam_vpc_dns_hostnames",
    "clusteriam_eks_cluster_oidc",
];

/// What each resource type and data source needs, by its Terraform type.
pub fn by_type(type_name: &str) -> Option<Needs> {
    Some(match type_name {
        "clusteriam_rancher_node_role" => role(true, false),
        "clusteriam_rancher_csp_adapter_role"
        | "clusteriam_eks_connector_agent_role"
        | "clusteriam_kkp_assume_role" => role(false, false),
        "clusteriam_torque_agent_role"
        | "clusteriam_torque_target_role"
        | "clusteriam_rancher_billing_adapter_role" => role(false, true),
        "clusteriam_oidc_provider" => oidc_provider(),
        "clusteriam_kkp_account_policy" => managed_policy(),
        "clusteriam_cluster_tags" => cluster_tags(),
        "clusteriam_vpc_dns_hostnames" => vpc_dns(),
        "clusteriam_eks_connector_service_linked_role" => service_linked_role(),
        "clusteriam_eks_cluster_oidc" => eks_cluster_oidc(),
        "clusteriam_policy_document" => Needs::default(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_action_is_needed_somewhere_and_every_call_is_covered() {
        let types = [
            "clusteriam_rancher_node_role",
            "clusteriam_rancher_csp_adapter_role",
            "clusteriam_eks_connector_agent_role",
            "clusteriam_torque_agent_role",
            "clusteriam_torque_target_role",
            "clusteriam_rancher_billing_adapter_role",
            "clusteriam_kkp_assume_role",
            "clusteriam_oidc_provider",
            "clusteriam_kkp_account_policy",
            "clusteriam_cluster_tags",
            "clusteriam_vpc_dns_hostnames",
            "clusteriam_eks_connector_service_linked_role",
            "clusteriam_eks_cluster_oidc",
        ];
        let mut needed: BTreeSet<Action> = types
            .iter()
            .flat_map(|t| {
                let needs = by_type(t).unwrap();
                let mut all = needs.all();
                all.extend(needs.optional);
                all
            })
            .collect();
        let configure = configure();
        needed.extend(configure.all());
        needed.extend(configure.optional);
        // Every action the provider can call is in some list, and no list
        // names one it never calls.
        let called: BTreeSet<Action> = ALL.iter().map(|(_, a)| *a).collect();
        assert_eq!(needed, called);
    }
}

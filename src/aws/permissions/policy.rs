//! The provider's own policy (`provider_permissions`): the actions the given
//! types need, each granted on the narrowest resources and under the
//! narrowest conditions IAM lets a policy state for what the provider does.
//!
//! What IAM cannot narrow, and so what the default policy allows, is said in
//! `docs/guides/permissions.md` ("What the policy allows"): IAM has no
//! condition that tells a create's tags from tags added later, so an
//! ownership mark cannot be made writable on create only, and a policy that
//! lets its holder create roles with policies of the configuration's choice
//! lets them grant anything. [`Scope`] narrows what a configuration that
//! follows it needs: a path and name prefix for its IAM objects, a
//! permissions boundary every role carries, the managed policies roles may be
//! given.

use std::collections::{BTreeMap, BTreeSet};

use super::super::actions::{Action, IAM_PASS_ROLE};
use super::{BULK_READ, TYPES, by_type};
use crate::policy::{Document, Statement};

/// Optional narrowing of the policy, for a configuration that follows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope<'a> {
    /// The IAM path (`/kubernetes/`) of every role, instance profile and
    /// managed policy the configuration manages; unset is any path, or `/`
    /// when a name prefix is given.
    pub iam_path: Option<&'a str>,
    /// The prefix of their names; unset is any name.
    pub iam_name_prefix: Option<&'a str>,
    /// The permissions boundary (a managed policy's ARN) every role must
    /// carry: roles are created with it, and policies are put on roles that
    /// have it, only.
    pub permissions_boundary: Option<&'a str>,
    /// The managed policies roles may be given (IAM wildcards allowed), as
    /// `clusteriam_torque_agent_role`'s `policy_arns` name them; empty is any.
    pub policy_arns: &'a [&'a str],
}

/// The resources and conditions an action is granted on: the statements of
/// the policy are the actions with equal grants.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub sid: &'static str,
    pub resources: Vec<String>,
    /// (operator, key, values)
    pub conditions: Vec<(&'static str, &'static str, Vec<String>)>,
}

/// The key the provider's cluster tags share (`kubernetes.io/cluster/<id>`).
const CLUSTER_TAG_KEYS: &str = "kubernetes.io/cluster/*";

/// Role actions that IAM checks against the role's permissions boundary
/// (`iam:PermissionsBoundary`), other than AttachRolePolicy.
const BOUNDED: [&str; 5] = [
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
];

/// What `action` is granted on in `partition` and `account` under `scope`;
/// None when the scope leaves it out (`iam:DeleteRolePermissionsBoundary`
/// with a required boundary).
pub fn grant(action: &Action, partition: &str, account: &str, scope: &Scope<'_>) -> Option<Grant> {
    let arn = |pattern: &str| {
        pattern
            .replace("${Partition}", partition)
            .replace("${Account}", account)
            .replace("${Region}", "*")
    };
    let iam = |kind: &str| {
        let path = match (scope.iam_path, scope.iam_name_prefix) {
            (Some(path), _) => path,
            (None, Some(_)) => "/",
            (None, None) => "/*",
        };
        let prefix = scope.iam_name_prefix.unwrap_or_default();
        let star = if path.ends_with('*') { "" } else { "*" };
        format!("arn:{partition}:iam::{account}:{kind}{path}{prefix}{star}")
    };
    let plain = |sid| Grant {
        sid,
        resources: vec![arn(action.resource)],
        conditions: Vec::new(),
    };
    let name = action.name;
    let kind = action.resource.rsplit(':').next().unwrap_or_default();
    Some(match kind {
        "*" => plain("DescribeAndList"),
        _ if name == "ec2:CreateTags" || name == "ec2:DeleteTags" => Grant {
            sid: "ClusterTags",
            resources: ["instance", "subnet", "security-group"]
                .map(|r| {
                    arn(&format!(
                        "arn:${{Partition}}:ec2:${{Region}}:${{Account}}:{r}/*"
                    ))
                })
                .to_vec(),
            // Only the cluster tag's keys, and a request must name its keys
            // (ForAllValues holds for a request with none).
            conditions: vec![
                (
                    "ForAllValues:StringLike",
                    "aws:TagKeys",
                    vec![CLUSTER_TAG_KEYS.into()],
                ),
                ("Null", "aws:TagKeys", vec!["false".into()]),
            ],
        },
        "vpc/*" => plain("VpcAttributes"),
        "cluster/*" => plain("EksClusters"),
        _ if action.resource.contains("aws-service-role") => plain("ServiceLinkedRole"),
        "oidc-provider/*" => plain("OidcProviders"),
        "instance-profile/*" => Grant {
            resources: vec![iam("instance-profile")],
            ..plain("InstanceProfiles")
        },
        "policy/*" => Grant {
            resources: vec![iam("policy")],
            ..plain("ManagedPolicies")
        },
        // The provider attaches to users only the policy it manages.
        "user/*" => Grant {
            conditions: vec![("ArnLike", "iam:PolicyARN", vec![iam("policy")])],
            ..plain("PolicyUsers")
        },
        "role/*" if !action.resource.contains("iam::*:") => {
            let roles = |sid| Grant {
                resources: vec![iam("role")],
                ..plain(sid)
            };
            let boundary = scope.permissions_boundary.map(|b| {
                (
                    "StringEquals",
                    "iam:PermissionsBoundary",
                    vec![b.to_string()],
                )
            });
            // Narrowed, the roles leave out the service-linked role, which
            // its resource reads with GetRole.
            let narrowed = scope.iam_path.is_some() || scope.iam_name_prefix.is_some();
            if name == "iam:GetRole" && narrowed {
                let slr = arn(super::super::actions::IAM_DELETE_SERVICE_LINKED_ROLE.resource);
                return Some(Grant {
                    resources: vec![iam("role"), slr],
                    ..plain("ReadRoles")
                });
            }
            if *action == IAM_PASS_ROLE {
                // AddRoleToInstanceProfile's PassRole, in the form IAM's
                // reference requires for that call.
                return Some(Grant {
                    conditions: vec![(
                        "ArnLike",
                        "iam:AssociatedResourceArn",
                        vec![format!("arn:{partition}:ec2:*:{account}:instance/*")],
                    )],
                    ..roles("PassRolesToInstanceProfiles")
                });
            }
            if name == "iam:AttachRolePolicy" {
                let mut conditions: Vec<_> = boundary.into_iter().collect();
                if !scope.policy_arns.is_empty() {
                    let arns = scope.policy_arns.iter().map(|a| a.to_string()).collect();
                    conditions.push(("ArnLike", "iam:PolicyARN", arns));
                }
                if conditions.is_empty() {
                    return Some(roles("Roles"));
                }
                return Some(Grant {
                    conditions,
                    ..roles("AttachRolePolicies")
                });
            }
            match boundary {
                Some(_) if name == "iam:DeleteRolePermissionsBoundary" => return None,
                Some(boundary) if BOUNDED.contains(&name) => Grant {
                    conditions: vec![boundary],
                    ..roles("RolesWithTheBoundary")
                },
                _ => roles("Roles"),
            }
        }
        _ => plain("AssumeTargetRoles"),
    })
}

/// The least-privilege policy for the given types (all of [`TYPES`] when
/// empty), in the caller's partition and account, narrowed by `scope`: one
/// statement per grant. The optional actions are in (the provider does
/// better with them), except the bulk read, which would let the holder read
/// every policy in the account; the configure step's are not (STS lets
/// anyone ask who they are, and `sts:AssumeRole` belongs to the base
/// credentials, not to the role they assume).
pub fn scoped_policy(
    types: &[&str],
    partition: &str,
    account: &str,
    scope: &Scope<'_>,
) -> Document {
    let types: &[&str] = if types.is_empty() { TYPES } else { types };
    let mut by_grant: BTreeMap<Grant, BTreeSet<&str>> = BTreeMap::new();
    for needs in types.iter().filter_map(|t| by_type(t)) {
        let optional = needs.optional.iter().filter(|a| !BULK_READ.contains(a));
        for action in needs.all().iter().chain(optional) {
            if let Some(grant) = grant(action, partition, account, scope) {
                by_grant.entry(grant).or_default().insert(action.name);
            }
        }
    }
    Document::new(by_grant.into_iter().map(|(grant, actions)| {
        let statement = Statement::allow()
            .sid(grant.sid)
            .actions(actions)
            .resources(grant.resources);
        grant
            .conditions
            .into_iter()
            .fold(statement, |statement, (operator, key, values)| {
                values
                    .into_iter()
                    .fold(statement, |s, v| s.condition(operator, key, v))
            })
    }))
}

/// [`scoped_policy`] without a scope: what any configuration can run under.
pub fn policy(types: &[&str], partition: &str, account: &str) -> Document {
    scoped_policy(types, partition, account, &Scope::default())
}

#[cfg(test)]
mod tests;

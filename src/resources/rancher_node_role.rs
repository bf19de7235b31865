//! `clusteriam_rancher_node_role` (seed 001, and the out-of-tree cloud
//! controller's documents): the IAM role, inline policy and instance profile
//! Rancher's Amazon cloud provider needs on nodes of one node role.

use std::collections::BTreeMap;

use super::common::naming::NamingModel;
use super::common::role::{Added, Import, PolicyModel, RoleKind, RoleModel};
use super::common::tags::TagsModel;
use crate::aws::{Aws, ObservedRole};
use crate::model;
use crate::policy::equivalent;
use crate::policy::presets::{self, parse_cloud_provider};
use crate::policy::published::{self, CloudProvider, NodeRole};
use crate::tfplugin::{Attr, Attribute, AttributePath, Diagnostics, Model, Type, Value};
use crate::validate::{check_attr, one_of};

pub struct RancherNodeRole;

/// The inline policy's name; the documentation leaves it to the reader.
const INLINE_POLICY: &str = "RancherNodePolicy";

/// The policy for a node role under a cloud provider, with or without the
/// controller's code actions. These policies name no ARN, so any partition
/// compares the same.
fn node_policy(cloud_provider: CloudProvider, node_role: NodeRole, extra: bool) -> String {
    published::rancher_node_policy(cloud_provider, node_role, extra, "aws").to_canonical_json()
}

/// The policies a role of `node_role` may have: (cloud provider, extra
/// controller actions) for each, the in-tree one first (the two share the
/// etcd/worker policy).
fn variants(node_role: NodeRole) -> Vec<(CloudProvider, bool)> {
    let mut variants = vec![
        (CloudProvider::InTree, false),
        (CloudProvider::OutOfTree, false),
    ];
    if node_role == NodeRole::Controlplane {
        variants.push((CloudProvider::OutOfTree, true));
    }
    variants
}

/// The cloud provider and extra actions whose policy for `node_role` the
/// role has: the first that matches, in-tree when none does.
fn documented_as(node_role: NodeRole, policy: Option<&String>) -> (CloudProvider, bool) {
    variants(node_role)
        .into_iter()
        .find(|(c, extra)| {
            policy.is_some_and(|p| equivalent(&node_policy(*c, node_role, *extra), p))
        })
        .unwrap_or((CloudProvider::InTree, false))
}

/// `extra_controller_actions`' description: each action and where the
/// controller's code calls it, from the data.
fn extra_controller_actions_description() -> String {
    let cited: Vec<String> = published::CLOUD_PROVIDER_AWS_CODE_ACTIONS
        .iter()
        .map(|a| match a.when {
            Some(when) => format!("`{}` (`{}`, {when})", a.action, a.file),
            None => format!("`{}` (`{}`)", a.action, a.file),
        })
        .collect();
    format!(
        "Whether the `controlplane` policy of the out-of-tree cloud controller also holds the \
         actions its code calls that its published policy leaves out (kubernetes/cloud-provider-aws \
         at commit 63ec440): {}. They come as a second statement of the inline policy. Only with \
         `node_role = \"controlplane\"` and `cloud_provider = \"out-of-tree\"`. Defaults to \
         `false`: the published policy, exactly.",
        cited.join("; ")
    )
}

/// The `cloud_provider` attribute's description: when to choose which, and
/// the actions that differ, from the documents themselves.
fn cloud_provider_description() -> String {
    let extra = published::CLOUD_PROVIDER_AWS_CONTROL_PLANE
        .actions_beyond(&published::RANCHER_CONTROLPLANE)
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Which AWS cloud provider the cluster runs, and so which documented policy the role gets. \
         `in-tree` (the default) is Kubernetes' built-in provider, with the policies of Rancher's \
         \"Setting up the Amazon Cloud Provider\" page; Kubernetes removed it in 1.27. `out-of-tree` \
         is the AWS cloud controller manager (`aws-cloud-controller-manager`), which Rancher requires \
         from Kubernetes 1.27 on, with the policies of its own documentation \
         (kubernetes/cloud-provider-aws, `docs/prerequisites.md`). Choose `out-of-tree` for \
         Kubernetes 1.27 and later. For `controlplane` nodes the out-of-tree policy adds {extra}; \
         `etcd` and `worker` nodes get the same policy with either. Changing it updates the policy \
         in place."
    )
}

impl RoleKind for RancherNodeRole {
    const TYPE_NAME: &'static str = "clusteriam_rancher_node_role";

    const DESCRIPTION: &'static str = "The IAM role that Rancher's Amazon cloud provider needs on the nodes of one node role, as Rancher's \
         \"Setting up the Amazon Cloud Provider\" page documents: a role trusted by EC2 with the documented \
         policy for `controlplane` nodes, or for `etcd` and `worker` nodes, and an instance profile of the \
         same name to enter as the node template's IAM Instance Profile Name. With \
         `cloud_provider = \"out-of-tree\"` (Kubernetes 1.27 and later) the policies are those the AWS \
         cloud controller manager documents instead.";

    const NAME_PREFIX: &'static str = "rancher-node-";

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::required_string(
                NodeRoleModel::node_role,
                "The Rancher node role whose documented policy the role gets: `controlplane`, \
                 `etcd` or `worker` (`etcd` and `worker` share one policy). Changing it updates the policy in place.",
            ),
            Attribute::optional_computed_string(
                NodeRoleModel::cloud_provider,
                &cloud_provider_description(),
            )
            .default(Value::string(CloudProvider::InTree.name())),
            Attribute::optional_computed(
                NodeRoleModel::extra_controller_actions,
                Type::Bool,
                &extra_controller_actions_description(),
            )
            .default(Value::Bool(false)),
            Attribute::computed_string(
                PolicyModel::policy,
                "The role's inline policy (`RancherNodePolicy`), as canonical JSON: the documented policy for the node role.",
            ),
            Attribute::computed_string(
                NodeRoleModel::instance_profile_name,
                "The name of the instance profile holding the role: what Rancher's node template asks for.",
            ),
            Attribute::computed_string(
                NodeRoleModel::instance_profile_arn,
                "The ARN of the instance profile.",
            ),
            Attribute::computed(
                NodeRoleModel::instance_profile_tags,
                Type::map(Type::String),
                "The tags of the instance profile: always the role's (`tags_all`). Tags changed on the profile outside Terraform show here in the plan, and apply gives the profile the role's tags again.",
            ),
        ]
    }

    /// Version 1 added `cloud_provider`, version 2 `instance_profile_tags`,
    /// version 3 `extra_controller_actions`.
    const SCHEMA_VERSION: i64 = 3;

    /// State written before `cloud_provider` existed is in-tree: the only
    /// documents that provider knew. Before `instance_profile_tags`, the
    /// profile's tags were the role's (`tags_all`), as the next read finds
    /// them unless they drifted. Before `extra_controller_actions`, the
    /// published policies alone. Setting them here, not at the next read,
    /// keeps `plan -refresh-only` free of a change nobody made.
    fn added(&self, state: &serde_json::Value) -> Vec<Added> {
        let tags_all = state.get(TagsModel::tags_all).cloned().unwrap_or_default();
        vec![
            (
                1,
                NodeRoleModel::cloud_provider,
                CloudProvider::InTree.name().into(),
            ),
            (2, NodeRoleModel::instance_profile_tags, tags_all),
            (3, NodeRoleModel::extra_controller_actions, false.into()),
        ]
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let node_role = NodeRoleModel::node_role;
        check_attr(config, node_role, diags, |r| {
            one_of(node_role, NodeRole::NAMES, r)
        });
        check_attr(config, NodeRoleModel::cloud_provider, diags, |c| {
            parse_cloud_provider(c).map(|_| ())
        });
        // Unset cloud_provider is in-tree; unknown ones are checked at apply's plan.
        let is = |value: &Attr<String>, expected: &str| match value {
            Attr::Null => Some(false),
            value => value.as_deref().map(|v| v == expected),
        };
        let own = NodeRoleModel::read(config);
        if own.extra_controller_actions == Attr::Known(true)
            && (is(&own.node_role, "controlplane") == Some(false)
                || is(&own.cloud_provider, CloudProvider::OutOfTree.name()) == Some(false))
        {
            diags.attribute_error(
                NodeRoleModel::extra_controller_actions,
                "Invalid `extra_controller_actions`",
                "`extra_controller_actions` adds actions the out-of-tree cloud controller calls on \
                 control-plane nodes: it needs `node_role = \"controlplane\"` and \
                 `cloud_provider = \"out-of-tree\"`",
            );
        }
    }

    fn trust(&self, _input: &Value, _aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(Some(presets::ec2_trust().to_canonical_json()))
    }

    const POLICY_NAME: Option<&'static str> = Some(INLINE_POLICY);

    fn policy(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        let own = NodeRoleModel::read(input);
        let cloud_provider = match own.cloud_provider {
            Attr::Null => Some(CloudProvider::default()),
            value => value.as_deref().and_then(|c| c.parse().ok()),
        };
        let node_role = own.node_role.as_deref().and_then(|r| r.parse().ok());
        let extra = match own.extra_controller_actions {
            Attr::Null => Some(false),
            value => value.into_known(),
        };
        Ok(match (cloud_provider, node_role, extra) {
            (Some(cloud_provider), Some(node_role), Some(extra)) => Some(
                published::rancher_node_policy(cloud_provider, node_role, extra, &aws.partition)
                    .to_canonical_json(),
            ),
            _ => None,
        })
    }

    const INSTANCE_PROFILE: bool = true;

    fn fill_computed(&self, state: &mut Value, _aws: &Aws, role: Option<&ObservedRole>) {
        let mut own = NodeRoleModel::read(state);
        (
            own.instance_profile_name,
            own.instance_profile_arn,
            own.instance_profile_tags,
        ) = match role {
            // After a read: the profile as AWS has it, null when it went missing
            // or lost the role (the plan then shows it and apply puts it back).
            Some(role) => match role.own_profile_holding_role() {
                Some(p) => (
                    p.name.as_str().into(),
                    p.arn.as_str().into(),
                    p.tags.clone().into(),
                ),
                None => (Attr::Null, Attr::Null, Attr::Null),
            },
            // At plan: named like the role, its ARN the role's with
            // `instance-profile` for `role` (same partition, account, path),
            // so it is known whenever the role's ARN is, also without STS.
            None => {
                let (naming, planned) = (NamingModel::read(state), RoleModel::read(state));
                let (name, arn) = match (naming.name.as_deref(), planned.arn.as_deref()) {
                    (Some(name), Some(arn)) => (
                        name.into(),
                        arn.split_once(":role/")
                            .map_or(Attr::Unknown, |(head, tail)| {
                                format!("{head}:instance-profile/{tail}").into()
                            }),
                    ),
                    (Some(name), None) => (name.into(), Attr::Unknown),
                    _ => (Attr::Unknown, Attr::Unknown),
                };
                // The profile carries the role's tags.
                (name, arn, TagsModel::read(state).tags_all)
            }
        };
        own.write(state);
    }

    /// Recovers `node_role` and `cloud_provider` when they are null (after
    /// an import; `cloud_provider` also in state written before it existed):
    /// from the import id's hint (`<node_role>[/<cloud_provider>]`), else
    /// from the role's policy.
    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        let Import { state, role, hint } = import;
        let policy = role.inline_policies.get(INLINE_POLICY);
        let (node_role_hint, cloud_provider_hint) = match hint.map(|h| h.split_once('/')) {
            Some(Some((node_role, cloud_provider))) => (Some(node_role), Some(cloud_provider)),
            Some(None) => (hint, None),
            None => (None, None),
        };
        let mut own = NodeRoleModel::read(state);
        let node_role = match own.node_role.as_deref().map(str::parse::<NodeRole>) {
            Some(Ok(node_role)) => node_role,
            Some(Err(())) => return Ok(()),
            None => {
                let node_role = match node_role_hint {
                    Some(hint) => {
                        one_of(NodeRoleModel::node_role, NodeRole::NAMES, hint)?;
                        hint.parse().map_err(|()| hint.to_string())?
                    }
                    None => {
                        let policy = policy.ok_or_else(|| {
                            format!("the role has no inline policy `{INLINE_POLICY}`; import it as `{}/<node_role>`", role.name)
                        })?;
                        // etcd and worker share a policy; the import id can say which.
                        [NodeRole::Controlplane, NodeRole::Worker]
                            .into_iter()
                            .find(|node_role| {
                                variants(*node_role).into_iter().any(|(c, extra)| {
                                    equivalent(&node_policy(c, *node_role, extra), policy)
                                })
                            })
                            .ok_or_else(|| format!(
                                "the role's policy is no documented Rancher node policy; import it as `{}/<node_role>` to say which it should be",
                                role.name
                            ))?
                    }
                };
                own.node_role = node_role.name().into();
                node_role
            }
        };
        let (documented, extra) = documented_as(node_role, policy);
        if own.cloud_provider.is_null() {
            let cloud_provider = match cloud_provider_hint {
                Some(hint) => parse_cloud_provider(hint)?,
                None => documented,
            };
            own.cloud_provider = cloud_provider.name().into();
        }
        if own.extra_controller_actions.is_null() {
            own.extra_controller_actions = extra.into();
        }
        own.write(state);
        Ok(())
    }
}

model! {
    /// The node role, its documents' variant and its instance profile.
    struct NodeRoleModel {
        node_role: Attr<String>,
        cloud_provider: Attr<String>,
        extra_controller_actions: Attr<bool>,
        instance_profile_name: Attr<String>,
        instance_profile_tags: Attr<BTreeMap<String, String>>,
        instance_profile_arn: Attr<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::role_models_test!(RancherNodeRole, NodeRoleModel);

    #[test]
    fn a_policy_says_which_cloud_provider_and_extra_actions_it_is() {
        let policy = |c, r, extra| Some(node_policy(c, r, extra));
        use CloudProvider::{InTree, OutOfTree};
        use NodeRole::{Controlplane, Worker};
        for (c, extra) in [(InTree, false), (OutOfTree, false), (OutOfTree, true)] {
            assert_eq!(
                documented_as(Controlplane, policy(c, Controlplane, extra).as_ref()),
                (c, extra)
            );
        }
        // etcd/worker: one policy for both providers, no extra actions.
        assert_eq!(
            documented_as(Worker, policy(OutOfTree, Worker, false).as_ref()),
            (InTree, false)
        );
        assert_eq!(documented_as(Controlplane, None), (InTree, false));
        assert!(
            extra_controller_actions_description()
                .contains("`ec2:DeleteTags` (`pkg/providers/v1/tags.go`)")
        );
    }
}

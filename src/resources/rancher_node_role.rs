//! `clusteriam_rancher_node_role` (seed 001): the IAM role, inline policy and
//! instance profile Rancher's Amazon cloud provider needs on nodes of one
//! node role.

use super::role::{RoleKind, RoleResource};
use crate::aws::{Aws, ObservedRole};
use crate::policy::{equivalent, presets};
use crate::tfplugin::{Attribute, AttributePath, Diagnostics, Type, Value};
use crate::validate::{check_attr, one_of};

pub struct RancherNodeRole;

pub fn resource() -> RoleResource<RancherNodeRole> {
    RoleResource(RancherNodeRole)
}

const NODE_ROLES: [&str; 3] = ["controlplane", "etcd", "worker"];
/// The inline policy's name; the documentation leaves it to the reader.
const POLICY_NAME: &str = "RancherNodePolicy";

fn node_policy(node_role: &str) -> Option<String> {
    match node_role {
        "controlplane" => Some(presets::rancher_controlplane().to_canonical_json()),
        "etcd" | "worker" => Some(presets::rancher_etcd_worker().to_canonical_json()),
        _ => None,
    }
}

impl RoleKind for RancherNodeRole {
    fn type_name(&self) -> &'static str {
        "clusteriam_rancher_node_role"
    }

    fn description(&self) -> &'static str {
        "The IAM role that Rancher's Amazon cloud provider needs on the nodes of one node role, as Rancher's \
         \"Setting up the Amazon Cloud Provider\" page documents: a role trusted by EC2 with the documented \
         policy for `controlplane` nodes, or for `etcd` and `worker` nodes, and an instance profile of the \
         same name to enter as the node template's IAM Instance Profile Name."
    }

    fn name_prefix_default(&self) -> &'static str {
        "rancher-node-"
    }

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::required(
                "node_role",
                Type::String,
                "The Rancher node role whose documented policy the role gets: `controlplane`, `etcd` or `worker` (`etcd` and `worker` share one policy). Changing it updates the policy in place.",
            ),
            Attribute::computed(
                "policy",
                Type::String,
                "The role's inline policy (`RancherNodePolicy`), as canonical JSON: the documented policy for the node role.",
            ),
            Attribute::computed(
                "instance_profile_name",
                Type::String,
                "The name of the instance profile holding the role: what Rancher's node template asks for.",
            ),
            Attribute::computed(
                "instance_profile_arn",
                Type::String,
                "The ARN of the instance profile.",
            ),
        ]
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_attr(config, "node_role", diags, |r| {
            one_of("node_role", &NODE_ROLES, r)
        });
    }

    fn trust(&self, _input: &Value, _aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(Some(presets::ec2_trust().to_canonical_json()))
    }

    fn inline_policy_name(&self, _input: &Value) -> Option<String> {
        Some(POLICY_NAME.to_string())
    }

    fn policy(&self, input: &Value, _aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(input.get_str("node_role").and_then(node_policy))
    }

    fn instance_profile(&self) -> bool {
        true
    }

    fn fill_computed(&self, state: &mut Value, _aws: &Aws, role: Option<&ObservedRole>) {
        let (name, arn) = match role {
            // After a read: the profile as AWS has it, null when it went missing
            // or lost the role (the plan then shows it and apply puts it back).
            Some(role) => match role.own_profile_holding_role() {
                Some(p) => (Value::string(&p.name), Value::string(&p.arn)),
                None => (Value::Null, Value::Null),
            },
            // At plan: named like the role, its ARN the role's with
            // `instance-profile` for `role` (same partition, account, path),
            // so it is known whenever the role's ARN is, also without STS.
            None => match (state.get_str("name"), state.get_str("arn")) {
                (Some(name), Some(arn)) => (
                    Value::string(name),
                    arn.split_once(":role/")
                        .map_or(Value::Unknown, |(head, tail)| {
                            Value::string(format!("{head}:instance-profile/{tail}"))
                        }),
                ),
                (Some(name), None) => (Value::string(name), Value::Unknown),
                _ => (Value::Unknown, Value::Unknown),
            },
        };
        state.set("instance_profile_name", name);
        state.set("instance_profile_arn", arn);
    }

    fn import_inputs(
        &self,
        state: &mut Value,
        role: &ObservedRole,
        hint: Option<&str>,
    ) -> Result<(), String> {
        if !state.get("node_role").is_null() {
            return Ok(());
        }
        let node_role = match hint {
            Some(hint) => {
                one_of("node_role", &NODE_ROLES, hint)?;
                hint.to_string()
            }
            None => {
                let policy = role.inline_policies.get(POLICY_NAME).ok_or_else(|| {
                    format!("the role has no inline policy `{POLICY_NAME}`; import it as `{}/<node_role>`", role.name)
                })?;
                let matches =
                    |preset: &str| node_policy(preset).is_some_and(|p| equivalent(&p, policy));
                if matches("controlplane") {
                    "controlplane".to_string()
                } else if matches("worker") {
                    // etcd and worker share a policy; the import id can say which.
                    "worker".to_string()
                } else {
                    return Err(format!(
                        "the role's policy is neither documented Rancher policy; import it as `{}/<node_role>` to say which it should be",
                        role.name
                    ));
                }
            }
        };
        state.set("node_role", Value::string(node_role));
        Ok(())
    }
}

//! `clusteriam_eks_connector_agent_role` (seed 004): the IAM role the Amazon
//! EKS Connector agent assumes through Systems Manager.

use super::common::role::{Import, PolicyModel, RoleKind};
use crate::aws::Aws;
use crate::model;
use crate::policy::{equivalent_ignoring_sids, presets, published};
use crate::tfplugin::{Attr, Attribute, AttributePath, Model, Value};

pub struct EksConnectorAgentRole;

const AGENT_ROLE_NAME: &str = "AmazonEKSConnectorAgentRole";
const DEFAULT_POLICY_NAME: &str = "AmazonEKSConnectorAgentPolicy";

impl RoleKind for EksConnectorAgentRole {
    const TYPE_NAME: &'static str = "clusteriam_eks_connector_agent_role";

    const DESCRIPTION: &'static str = "The IAM role for the Amazon EKS Connector agent, as the EKS Connector documentation creates it: \
         `AmazonEKSConnectorAgentRole`, trusted by `ssm.amazonaws.com`, with the inline \
         `AmazonEKSConnectorAgentPolicy` that opens Systems Manager channels for connected clusters. \
         The trust is the one the EKS user guide prints today, without the `\"Sid\": \"SSMAccess\"` of \
         earlier editions: a role (or a state) with that `Sid` means the same and plans no change. \
         Registering a cluster needs, besides these roles, `eks:RegisterCluster`, \
         `ssm:CreateActivation`, `ssm:DeleteActivation` and `iam:PassRole` on this role for the \
         person who registers it, and `eks:DeregisterCluster`, `ssm:DeleteActivation` and \
         `ssm:DeregisterManagedInstance` to deregister it (the permissions guide lists them); \
         the service-linked role, which EKS creates at the first registration if it does not \
         exist, is `clusteriam_eks_connector_service_linked_role`.";

    const DEFAULT_NAME: Option<&'static str> = Some(AGENT_ROLE_NAME);

    const NAME_PREFIX: &'static str = "eks-connector-agent-";

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::optional_computed_string(EksConnectorAgentModel::policy_name, "The name of the role's inline policy. Defaults to `AmazonEKSConnectorAgentPolicy`, as documented.")
                .default(Value::string(DEFAULT_POLICY_NAME)),
            Attribute::computed_string(PolicyModel::policy, "The role's inline policy, as canonical JSON: the documented agent policy with ARNs in the caller's partition."),
        ]
    }

    fn validate(&self, config: &Value, diags: &mut crate::tfplugin::Diagnostics) {
        let policy_name = EksConnectorAgentModel::policy_name;
        crate::validate::check_attr(config, policy_name, diags, |n| {
            super::common::naming::iam_name_error(n, 128, policy_name)
        });
    }

    fn trust(&self, _input: &Value, _aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(Some(
            presets::eks_connector_agent_trust().to_canonical_json(),
        ))
    }

    /// Seed 004's trust carries `"Sid": "SSMAccess"`, which today's page
    /// leaves out: the same trust.
    fn accepts_trust(stored: &str, wanted: &str) -> bool {
        equivalent_ignoring_sids(stored, wanted)
    }

    fn inline_policy_name(&self, input: &Value) -> Option<String> {
        let policy_name = EksConnectorAgentModel::read(input).policy_name;
        Some(
            policy_name
                .into_known()
                .unwrap_or(DEFAULT_POLICY_NAME.to_string()),
        )
    }

    fn policy(&self, _input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(Some(
            published::EKS_CONNECTOR_AGENT
                .render_in(&aws.partition)
                .to_canonical_json(),
        ))
    }

    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        let Import { state, role, .. } = import;
        let mut own = EksConnectorAgentModel::read(state);
        if own.policy_name.is_null() {
            let name = match role.inline_policies.keys().collect::<Vec<_>>().as_slice() {
                [only] => only.to_string(),
                _ => DEFAULT_POLICY_NAME.to_string(),
            };
            own.policy_name = name.into();
            own.write(state);
        }
        Ok(())
    }
}

model! {
    /// The inline policy's name: the documented one by default.
    struct EksConnectorAgentModel {
        policy_name: Attr<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::role_models_test!(EksConnectorAgentRole, EksConnectorAgentModel);

    use crate::policy::published::{
        EKS_CONNECTOR_DEREGISTER_ACTIONS, EKS_CONNECTOR_REGISTER_ACTIONS,
    };
    use crate::policy::test_seeds::seed_policies;

    #[test]
    fn the_seeds_older_trust_is_accepted_and_a_new_role_gets_todays() {
        let today = presets::eks_connector_agent_trust().to_canonical_json();
        let seed = &seed_policies("004")[0];
        assert!(seed.contains("SSMAccess") && !today.contains("Sid"));
        assert!(EksConnectorAgentRole::accepts_trust(seed, &today));
        let other = seed.replace("ssm.amazonaws.com", "ec2.amazonaws.com");
        assert!(!EksConnectorAgentRole::accepts_trust(&other, &today));
    }

    #[test]
    fn the_description_lists_what_registering_a_cluster_needs() {
        for action in EKS_CONNECTOR_REGISTER_ACTIONS
            .iter()
            .chain(EKS_CONNECTOR_DEREGISTER_ACTIONS)
        {
            assert!(
                EksConnectorAgentRole::DESCRIPTION.contains(&format!("`{action}`")),
                "{action}"
            );
        }
    }
}

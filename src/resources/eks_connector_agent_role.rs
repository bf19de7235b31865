//! `clusteriam_eks_connector_agent_role` (seed 004): the IAM role the Amazon
//! EKS Connector agent assumes through Systems Manager.

use super::common::role::{Import, RoleKind};
use crate::aws::Aws;
use crate::policy::{documents, presets};
use crate::tfplugin::{Attribute, AttributePath, Value};

pub struct EksConnectorAgentRole;

const AGENT_ROLE_NAME: &str = "AmazonEKSConnectorAgentRole";
const DEFAULT_POLICY_NAME: &str = "AmazonEKSConnectorAgentPolicy";

impl RoleKind for EksConnectorAgentRole {
    const TYPE_NAME: &'static str = "clusteriam_eks_connector_agent_role";

    const DESCRIPTION: &'static str = "The IAM role for the Amazon EKS Connector agent, as the EKS Connector documentation creates it: \
         `AmazonEKSConnectorAgentRole`, trusted by `ssm.amazonaws.com`, with the inline \
         `AmazonEKSConnectorAgentPolicy` that opens Systems Manager channels for connected clusters.";

    const DEFAULT_NAME: Option<&'static str> = Some(AGENT_ROLE_NAME);

    const NAME_PREFIX: &'static str = "eks-connector-agent-";

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::optional_computed_string("policy_name", "The name of the role's inline policy. Defaults to `AmazonEKSConnectorAgentPolicy`, as documented.")
                .default(Value::string(DEFAULT_POLICY_NAME)),
            Attribute::computed_string("policy", "The role's inline policy, as canonical JSON: the documented agent policy with ARNs in the caller's partition."),
        ]
    }

    fn validate(&self, config: &Value, diags: &mut crate::tfplugin::Diagnostics) {
        crate::validate::check_attr(config, "policy_name", diags, |n| {
            super::common::naming::iam_name_error(n, 128, "policy_name")
        });
    }

    fn trust(&self, _input: &Value, _aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(Some(
            presets::eks_connector_agent_trust().to_canonical_json(),
        ))
    }

    fn inline_policy_name(&self, input: &Value) -> Option<String> {
        Some(
            input
                .get_str("policy_name")
                .unwrap_or(DEFAULT_POLICY_NAME)
                .to_string(),
        )
    }

    fn policy(&self, _input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        Ok(Some(
            documents::EKS_CONNECTOR_AGENT
                .render_in(&aws.partition)
                .to_canonical_json(),
        ))
    }

    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        let Import { state, role, .. } = import;
        if state.get("policy_name").is_null() {
            let name = match role.inline_policies.keys().collect::<Vec<_>>().as_slice() {
                [only] => only.to_string(),
                _ => DEFAULT_POLICY_NAME.to_string(),
            };
            state.set("policy_name", Value::string(name));
        }
        Ok(())
    }
}

//! `clusteriam_torque_target_role` (Torque's cross-account provisioning,
//! "Option B", `shared/seeds/beyond/`): in every target account, a role of
//! the same name that the agent's role in the master account assumes.

use super::common::cross_account::{self, external_id_attribute, import_trust_inputs};
use super::common::role::{Import, RoleKind, user_policies};
use crate::arn::check_role_arn;
use crate::aws::{Aws, ObservedRole};
use crate::tfplugin::{Attribute, AttributePath, Diagnostics, Value};

pub struct TorqueTargetRole;

const INLINE_POLICY: &str = "TorqueTargetPolicy";
const MASTER_ROLE_ARN: &str = "master_role_arn";

impl RoleKind for TorqueTargetRole {
    const TYPE_NAME: &'static str = "clusteriam_torque_target_role";

    const DESCRIPTION: &'static str = "The IAM role a single Torque agent assumes in a target account, as Torque's \"Cross Account \
         Provisioning (AWS)\" page describes it (Option B): the agent runs in a master account \
         under its own IRSA role (`clusteriam_torque_agent_role` there), and every target account \
         has a role of the same name, trusting the master role's ARN for `sts:AssumeRole` \
         (optionally with an external id) and holding the permissions the IaC needs in that \
         account. Terraform on the agent then assumes `arn` (`arn:<partition>:iam::<target \
         account>:role/<name>`). Create one in every target account, with a provider alias each and \
         the same `name`, which is therefore required.";

    const NAME_PREFIX: &'static str = "torque-target-";

    const NAME_REQUIRED: bool = true;

    const POLICY_NAME: Option<&'static str> = Some(INLINE_POLICY);

    const MANAGED_POLICIES: Option<&'static str> = Some("policy_arns");

    const TRUST_HIDES_SECRET: bool = true;

    fn attributes(&self) -> Vec<Attribute> {
        let mut attributes = vec![
            Attribute::required_string(
                MASTER_ROLE_ARN,
                "The ARN of the Torque agent's role in the master account (the role its service \
                 account assumes through IRSA), e.g. `clusteriam_torque_agent_role`'s `arn` there. \
                 IAM checks that it exists. Changing it updates the trust policy in place.",
            ),
            external_id_attribute("Terraform on the Torque agent (`assume_role { external_id }`)"),
        ];
        attributes.extend(user_policies::attributes(
            "the IaC runs need in this account",
            INLINE_POLICY,
        ));
        attributes
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        // The agent assumes `arn:...:<account>:role/<name>` in whichever
        // account a run targets: one name, set, in every account.
        if config.get("name").is_null() {
            diags.attribute_error(
                "name",
                "Missing `name`",
                "Set `name`: Torque's agent assumes a role of the same name in every target \
                 account, so the name is chosen, not generated (`name_prefix` would make it differ \
                 from account to account).",
            );
        }
        cross_account::validate(config, MASTER_ROLE_ARN, check_role_arn, diags);
        user_policies::validate(config, diags);
    }

    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        cross_account::trust(input, MASTER_ROLE_ARN, &aws.partition)
    }

    fn trust_to_send(&self, stored: &str, planned: &Value) -> String {
        cross_account::trust_to_send(stored, planned)
    }

    fn trust_to_show(&self, trust: &str) -> String {
        cross_account::trust_to_show(trust)
    }

    fn fill_computed(&self, state: &mut Value, _aws: &Aws, role: Option<&ObservedRole>) {
        if let Some(role) = role {
            cross_account::read_external_id(state, role);
        }
    }

    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        import_trust_inputs(import.state, import.role, MASTER_ROLE_ARN)
    }
}

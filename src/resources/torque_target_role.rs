//! `clusteriam_torque_target_role` (Torque's cross-account provisioning,
//! "Option B", `shared/seeds/beyond/`): in every target account, a role of
//! the same name that the agent's role in the master account assumes.

use super::common::cross_account::{self, external_id_attribute, import_principal};
use super::common::naming::NamingModel;
use super::common::role::{Import, RoleKind, user_policies};
use crate::arn::check_role_arn;
use crate::aws::Aws;
use crate::model;
use crate::tfplugin::{Attr, Attribute, AttributePath, Diagnostics, Model, Value};

pub struct TorqueTargetRole;

const INLINE_POLICY: &str = "TorqueTargetPolicy";

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

    const ATTACHES_POLICIES: bool = true;

    const TRUST_HIDES_SECRET: bool = true;

    fn attributes(&self) -> Vec<Attribute> {
        let mut attributes = vec![
            Attribute::required_string(
                TorqueTargetModel::master_role_arn,
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
        if NamingModel::read(config).name.is_null() {
            diags.attribute_error(
                NamingModel::name,
                "Missing `name`",
                "Set `name`: Torque's agent assumes a role of the same name in every target \
                 account, so the name is chosen, not generated (`name_prefix` would make it differ \
                 from account to account).",
            );
        }
        let principal = TorqueTargetModel::master_role_arn;
        cross_account::validate(config, principal, check_role_arn, diags);
        user_policies::validate(config, diags);
    }

    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        let principal = TorqueTargetModel::read(input).master_role_arn;
        let principal_attr = TorqueTargetModel::master_role_arn;
        cross_account::trust(input, (principal_attr, &principal), &aws.partition)
    }

    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        let mut own = TorqueTargetModel::read(import.state);
        if import_principal(&mut own.master_role_arn, import.role)? {
            own.write(import.state);
        }
        Ok(())
    }
}

model! {
    /// The agent's role in the master account, which the trust names. The
    /// rest are every role's attributes: `external_id`, `policy_arns` and
    /// `policy` too.
    struct TorqueTargetModel {
        master_role_arn: Attr<String>,
    }
}

#[cfg(test)]
crate::role_models_test!(TorqueTargetRole, TorqueTargetModel);

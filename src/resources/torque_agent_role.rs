//! `clusteriam_torque_agent_role` (seed 003): the IAM role a Torque agent's
//! runner pods assume through their Kubernetes service account (IRSA), and
//! the annotated ServiceAccount manifest that goes with it.

use std::collections::BTreeMap;

use super::common::role::{Added, Import, PolicyArnsModel, RoleKind, RoleModel, user_policies};
use super::common::web_identity::oidc_provider;
use crate::aws::{Aws, ObservedRole};
use crate::kubernetes::{
    ROLE_ARN_ANNOTATION, check_namespace, check_service_account, service_account_manifest,
};
use crate::model;
use crate::policy::{presets, web_identity_subject};
use crate::tfplugin::{Attr, Attribute, AttributePath, Diagnostics, Model, Type, Value};
use crate::validate::check_attr;

pub struct TorqueAgentRole;

const INLINE_POLICY: &str = "TorqueAgentPolicy";

impl RoleKind for TorqueAgentRole {
    const TYPE_NAME: &'static str = "clusteriam_torque_agent_role";

    const DESCRIPTION: &'static str = "The IAM role a Torque agent's runner pods assume, as Torque's \"Agents on AWS\" page documents: a \
         web-identity trust on the cluster's IAM OIDC provider for exactly one Kubernetes service account \
         (audience `sts.amazonaws.com`), the IAM policies the IaC runs need, and the annotated ServiceAccount \
         manifest to apply in the cluster. Create one in every target account, with a provider alias each.";

    const NAME_PREFIX: &'static str = "torque-agent-";

    const OIDC_PROVIDER_ARN: Option<&'static str> = Some(
        "The ARN of the cluster's IAM OIDC provider in this account, e.g. from \
         `clusteriam_oidc_provider`.",
    );

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::required_string(
                TorqueAgentModel::namespace,
                "The Kubernetes namespace of the agent's service account: the environment namespace of the Torque blueprint.",
            ),
            Attribute::required_string(
                TorqueAgentModel::service_account,
                "The name of the Kubernetes service account the runner pods use, as the blueprint's agent section names it.",
            ),
        ]
        .into_iter()
        .chain(user_policies::attributes("the IaC runs need", INLINE_POLICY))
        .chain([
            Attribute::computed_string(
                TorqueAgentModel::service_account_manifest,
                "The ServiceAccount manifest (SA.yaml) of the Torque documentation with the role ARN filled in, ready for `kubectl apply -f` or the kubernetes provider.",
            ),
            Attribute::computed(
                TorqueAgentModel::service_account_annotations,
                Type::map(Type::String),
                "The annotations the ServiceAccount needs (`eks.amazonaws.com/role-arn`), for a ServiceAccount managed elsewhere.",
            ),
        ])
        .collect()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_attr(config, TorqueAgentModel::namespace, diags, check_namespace);
        let service_account = TorqueAgentModel::service_account;
        check_attr(config, service_account, diags, check_service_account);
        user_policies::validate(config, diags);
    }

    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        let oidc = oidc_provider(input, aws)?;
        let own = TorqueAgentModel::read(input);
        Ok(
            match (
                oidc,
                own.namespace.as_deref(),
                own.service_account.as_deref(),
            ) {
                (Some(oidc), Some(ns), Some(sa)) => {
                    Some(presets::irsa_trust(&oidc, ns, sa).to_canonical_json())
                }
                _ => None,
            },
        )
    }

    const POLICY_NAME: Option<&'static str> = Some(INLINE_POLICY);

    const ATTACHES_POLICIES: bool = true;

    /// Version 1 gave `policy_arns` a default, the empty set.
    const SCHEMA_VERSION: i64 = 1;

    /// Version 0 stored "no managed policies" as null, as an import still
    /// would have: it is the empty set now, so neither plan shows a change.
    fn added(&self, _state: &serde_json::Value) -> Vec<Added> {
        vec![(1, PolicyArnsModel::policy_arns, serde_json::json!([]))]
    }

    fn fill_computed(&self, state: &mut Value, _aws: &Aws, role: Option<&ObservedRole>) {
        let arn = RoleModel::read(state).arn;
        let mut own = TorqueAgentModel::read(state);
        let (ns, sa) = (own.namespace.as_deref(), own.service_account.as_deref());
        (
            own.service_account_manifest,
            own.service_account_annotations,
        ) = match (arn.as_deref(), ns, sa) {
            (Some(arn), Some(ns), Some(sa)) => (
                service_account_manifest(ns, sa, arn).into(),
                BTreeMap::from([(ROLE_ARN_ANNOTATION.to_string(), arn.to_string())]).into(),
            ),
            // Read back from a role whose trust names no service account
            // (imported before the configuration said which): none yet.
            _ if role.is_some() => (Attr::Null, Attr::Null),
            _ => (Attr::Unknown, Attr::Unknown),
        };
        own.write(state);
    }

    /// A role made as Torque's page says, in the console (web identity,
    /// audience `sts.amazonaws.com`), trusts no particular service account:
    /// `namespace` and `service_account` then stay unset, and the plan with
    /// the configuration's adds the subject to the trust.
    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        let Import { state, role, .. } = import;
        let mut own = TorqueAgentModel::read(state);
        if (own.namespace.is_null() || own.service_account.is_null())
            && let Some((ns, sa)) = web_identity_subject(&role.trust)
        {
            (own.namespace, own.service_account) = (ns.into(), sa.into());
            own.write(state);
        }
        Ok(())
    }
}

model! {
    /// The service account that assumes the role, and its manifest.
    struct TorqueAgentModel {
        namespace: Attr<String>,
        service_account: Attr<String>,
        service_account_manifest: Attr<String>,
        service_account_annotations: Attr<BTreeMap<String, String>>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::role_models_test!(TorqueAgentRole, TorqueAgentModel);

    #[test]
    fn subject_is_read_back_from_a_trust() {
        let oidc = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X"
            .parse()
            .unwrap();
        let trust = presets::irsa_trust(&oidc, "ns", "sa").to_canonical_json();
        assert_eq!(
            web_identity_subject(&trust),
            Some(("ns".to_string(), "sa".to_string()))
        );
    }
}

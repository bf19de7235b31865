//! A role's two documents at plan: the trust and the inline policy, the
//! kind's to render or the user's to write, and the checks of the latter.

use super::{PolicyModel, RoleKind, RoleModel, RoleResource};
use crate::aws::Aws;
use crate::clients::Clients;
use crate::policy::check::Kind;
use crate::resources::common::policy_checks::{Stage, check_policy};
use crate::tfplugin::model::Known;
use crate::tfplugin::{
    Attr, AttributePath, Diagnostics, Mode, Model, PlanRequest, PlanResponse, Value,
};

impl<K: RoleKind> RoleResource<K> {
    /// Whether `policy` is the provider's to compute (rather than the user's to write).
    pub(super) fn computes_policy(&self) -> bool {
        self.0
            .attributes()
            .iter()
            .any(|a| a.name == PolicyModel::policy && a.mode == Mode::Computed)
    }

    /// Checks the `policy` the user writes (see [`check_policy`]); true
    /// when it has no error. Kinds that compute `policy` render documents
    /// whose checks are unit tests.
    pub(super) fn check_user_policy(
        &self,
        input: &Value,
        stage: Stage,
        diags: &mut Diagnostics,
    ) -> bool {
        let policy = PolicyModel::read(input).policy;
        self.computes_policy()
            || check_policy(
                PolicyModel::policy,
                &policy.encode(),
                Kind::Inline,
                stage,
                diags,
            )
    }

    /// The planned trust and (computed) policy; false after an error. One
    /// that means what the state's does keeps the state's text (the
    /// schema's semantic equality), so a role imported with a person's
    /// spelling of the documented JSON (`["ssm.amazonaws.com"]` for
    /// `"ssm.amazonaws.com"`), or a `policy` rewritten in an equivalent
    /// form, plans no update.
    pub(super) fn plan_documents(
        &self,
        aws: &Aws,
        req: &PlanRequest<'_, Clients>,
        resp: &mut PlanResponse,
    ) -> bool {
        // An empty path: about no attribute (the role's account unknown).
        let invalid = |diags: &mut Diagnostics, (path, message): (AttributePath, String)| {
            if path.0.is_empty() {
                diags.error(format!("planning IAM role for `{}`", K::TYPE_NAME), message);
            } else {
                diags.attribute_error(path.clone(), format!("Invalid `{path}`"), message);
            }
            false
        };
        // Unknown until its inputs are known.
        let planned_text = |document: Option<String>| document.map_or(Attr::Unknown, Attr::Known);
        match self.0.trust(req.config, aws) {
            Ok(trust) => {
                let mut planned = RoleModel::read(&resp.planned);
                planned.assume_role_policy = planned_text(trust);
                planned.write(&mut resp.planned);
            }
            Err(e) => return invalid(&mut resp.diagnostics, e),
        }
        let configured = PolicyModel::read(req.config).policy;
        let policy = if self.computes_policy() {
            match self.0.policy(req.config, aws) {
                Ok(policy) => policy,
                Err(e) => return invalid(&mut resp.diagnostics, e),
            }
        } else {
            // A policy the user writes stands as configured.
            configured.known().cloned()
        };
        if self.computes_policy() || configured.known().is_some() {
            PolicyModel {
                policy: planned_text(policy),
            }
            .write(&mut resp.planned);
        }
        true
    }
}

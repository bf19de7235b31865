//! What every role-shaped resource shares: the common attributes (`name`,
//! `name_prefix`, `path`, ...), planning, and the mapping to and from the
//! role engine. A platform resource is a [`RoleKind`]: its own attributes and
//! documents, nothing else.

mod attributes;
mod model;
pub mod user_policies;

use async_trait::async_trait;

use self::attributes::{
    EXTRA_INLINE_POLICIES, EXTRA_POLICY_ARNS, NAME_LIMITS, check_partitions, common_attributes,
    validate_common,
};
use self::model::{RoleInputs, keep_equivalent, role_state};
use crate::arn::{Arn, IamKind};
use crate::aws::{Aws, ObservedRole, Profiles};
use crate::clients::Clients;
use crate::engine;
use crate::engine::run::Left;
use crate::policy::check::Kind;
use crate::policy::limits::Measure;
use crate::resources::common::naming::{already_exists_detail, iam_name_error, unique_name};
use crate::resources::common::{limits, ownership_mark, plan_tags_all, report, tags_for_import};
use crate::tfplugin::{
    Attribute, AttributePath, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse,
    Diagnostics, ImportRequest, ImportResponse, Mode, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, UpdateRequest, UpdateResponse, Value,
};
use crate::validate::{Stage, check_policy};

/// One platform's role: its attributes and documents.
pub trait RoleKind: Send + Sync + 'static {
    const TYPE_NAME: &'static str;
    /// The resource's description (a full sentence or more).
    const DESCRIPTION: &'static str;
    /// The prefix of a generated name when neither `name` nor `name_prefix` is set.
    const NAME_PREFIX: &'static str;
    /// The name used instead when neither is set; None generates one.
    const DEFAULT_NAME: Option<&'static str> = None;
    /// The role's inline policy's name, when it does not depend on an input.
    const POLICY_NAME: Option<&'static str> = None;
    /// The attribute holding the managed policy ARNs the role has, if any.
    const MANAGED_POLICIES: Option<&'static str> = None;
    /// Whether the role gets an instance profile of its name.
    const INSTANCE_PROFILE: bool = false;
    /// Whether `name` is required (the kind's `validate` says why), so that
    /// no remedy may suggest `name_prefix`.
    const NAME_REQUIRED: bool = false;
    /// Whether the trust policy holds a secret (an external id), which
    /// `assume_role_policy` shows as a placeholder ([`RoleKind::trust`]
    /// renders it so, [`RoleKind::trust_to_send`] and
    /// [`RoleKind::trust_to_show`] convert): the secret is in one sensitive
    /// attribute only. (With two, Terraform orders their marks at random and
    /// `plan -refresh-only -detailed-exitcode` reports changes that are not.)
    const TRUST_HIDES_SECRET: bool = false;
    /// The schema version of the kind's state; raise it with
    /// [`RoleKind::upgrade_state`] when an attribute is added whose absence
    /// in older state means something.
    const SCHEMA_VERSION: i64 = 0;

    /// The platform's own attributes, including `policy`.
    fn attributes(&self) -> Vec<Attribute>;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// The trust policy for `input` (the configuration at plan, the planned
    /// state at apply); Ok(None) while an input is unknown.
    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)>;
    /// Whether the stored trust still serves when the kind now renders
    /// `wanted`: when equivalent. A kind whose platform reprinted its trust
    /// with the same meaning accepts the older text too, so that neither a
    /// state from before nor a role made from the older page plans a change.
    fn accepts_trust(&self, stored: &str, wanted: &str) -> bool {
        crate::policy::equivalent(stored, wanted)
    }
    /// The trust to send to IAM for the planned state `planned`, whose
    /// `assume_role_policy` is `stored`.
    fn trust_to_send(&self, stored: &str, _planned: &Value) -> String {
        stored.to_string()
    }
    /// The trust as the state shows it, for IAM's `trust`.
    fn trust_to_show(&self, trust: &str) -> String {
        trust.to_string()
    }
    /// The name of the role's inline policy.
    fn inline_policy_name(&self, _input: &Value) -> Option<String> {
        Self::POLICY_NAME.map(str::to_string)
    }
    /// The inline policy, when `policy` is a computed attribute (Ok(None)
    /// while an input is unknown; an error with an empty path is about no
    /// attribute). Kinds whose `policy` the user writes are never asked.
    fn policy(
        &self,
        _input: &Value,
        _aws: &Aws,
    ) -> Result<Option<String>, (AttributePath, String)> {
        Ok(None)
    }
    /// Fills the kind's computed attributes that follow from the rest of
    /// `state`: at plan (`role` None) some may still be unknown; after a read
    /// `role` is what AWS has.
    fn fill_computed(&self, _state: &mut Value, _aws: &Aws, _role: Option<&ObservedRole>) {}
    /// Upgrades stored JSON state from an older schema version.
    fn upgrade_state(
        &self,
        _version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        Ok(state)
    }
    /// After an import (inputs still null), recovers the kind's inputs from
    /// the role.
    fn import_inputs(&self, _import: Import<'_>) -> Result<(), String> {
        Ok(())
    }
}

/// For [`RoleKind::upgrade_state`]: sets `attr` of stored state to `value`
/// where a state from before it had one holds nothing (missing or null).
pub fn fill_in_state(
    state: &mut serde_json::Value,
    attr: &str,
    value: serde_json::Value,
) -> Result<(), String> {
    let attributes = state.as_object_mut().ok_or("the state is not an object")?;
    if attributes.get(attr).is_none_or(|v| v.is_null()) {
        attributes.insert(attr.into(), value);
    }
    Ok(())
}

/// What an import knows: the state being built (the kind's inputs still
/// null), the role as AWS has it, and what followed `/` in the import id.
pub struct Import<'a> {
    pub state: &'a mut Value,
    pub role: &'a ObservedRole,
    pub hint: Option<&'a str>,
}

pub struct RoleResource<K>(pub K);

impl<K: RoleKind> RoleResource<K> {
    /// Whether `policy` is the provider's to compute (rather than the user's to write).
    fn computes_policy(&self) -> bool {
        self.0
            .attributes()
            .iter()
            .any(|a| a.name == "policy" && a.mode == Mode::Computed)
    }

    /// Checks the `policy` the user writes (see [`check_policy`]); true
    /// when it has no error. Kinds that compute `policy` render documents
    /// whose checks are unit tests.
    fn check_user_policy(&self, input: &Value, stage: Stage, diags: &mut Diagnostics) -> bool {
        self.computes_policy()
            || check_policy("policy", input.get("policy"), Kind::Inline, stage, diags)
    }

    /// The state for what AWS holds of the role.
    fn state(&self, prior: &Value, role: &ObservedRole, clients: &Clients) -> Value {
        role_state(&self.0, prior, role, clients)
    }

    /// The engine's spec for the planned state, the role called `name`.
    fn spec(
        &self,
        planned: &Value,
        name: &str,
        clients: &Clients,
        mark: String,
    ) -> engine::RoleSpec {
        let mut inputs = RoleInputs::read(planned, K::MANAGED_POLICIES);
        inputs.trust = self.0.trust_to_send(&inputs.trust, planned);
        inputs.spec(
            name,
            self.0.inline_policy_name(planned),
            K::INSTANCE_PROFILE,
            &clients.default_tags,
            mark,
        )
    }

    /// What IAM will count of the role `state` describes (see [`limits`]).
    fn limit_measures(&self, state: &Value, clients: &Clients) -> Vec<Measure> {
        limits::role_measures(
            state,
            K::MANAGED_POLICIES,
            self.computes_policy(),
            &clients.default_tags,
        )
    }

    fn profiles(&self) -> Profiles {
        Profiles::for_role_owning_profile(K::INSTANCE_PROFILE)
    }

    /// The planned trust and (computed) policy; false after an error.
    fn plan_documents(
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
        match self.0.trust(req.config, aws) {
            Ok(trust) => resp.planned.set(
                "assume_role_policy",
                keep_equivalent(req.prior, "assume_role_policy", trust, |stored, wanted| {
                    self.0.accepts_trust(stored, wanted)
                }),
            ),
            Err(e) => return invalid(&mut resp.diagnostics, e),
        }
        let policy = if self.computes_policy() {
            match self.0.policy(req.config, aws) {
                Ok(policy) => policy,
                Err(e) => return invalid(&mut resp.diagnostics, e),
            }
        } else {
            // A policy the user writes stands as configured, unless the
            // state's text means the same.
            req.config.get_str("policy").map(str::to_string)
        };
        if self.computes_policy() || req.config.get_str("policy").is_some() {
            resp.planned.set(
                "policy",
                keep_equivalent(req.prior, "policy", policy, crate::policy::equivalent),
            );
        }
        true
    }
}

/// Brings the role to `spec` (see [`engine::converge`]) and reports a
/// failure on `diags`; after one, what AWS holds.
async fn converge(
    aws: &Aws,
    spec: &engine::RoleSpec,
    observed: Option<&ObservedRole>,
    cancel: &tokio_util::sync::CancellationToken,
    diags: &mut Diagnostics,
) -> Result<ObservedRole, Left<ObservedRole>> {
    engine::converge(aws, spec, observed, cancel)
        .await
        .map_err(|failure| {
            report(diags, failure.summary, &failure.error);
            failure.left
        })
}

#[async_trait]
impl<K: RoleKind> Resource<Clients> for RoleResource<K> {
    fn type_name(&self) -> &'static str {
        K::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(
            K::SCHEMA_VERSION,
            Block::new(K::DESCRIPTION)
                .attributes(common_attributes(
                    K::INSTANCE_PROFILE,
                    K::MANAGED_POLICIES.is_some(),
                    K::TRUST_HIDES_SECRET,
                ))
                .attributes(self.0.attributes()),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_common(config, diags);
        self.0.validate(config, diags);
        self.check_user_policy(config, Stage::Validate, diags);
    }

    fn upgrade_state(
        &self,
        version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        self.0.upgrade_state(version, state)
    }

    async fn plan(&self, req: PlanRequest<'_, Clients>, resp: &mut PlanResponse) {
        let clients = req.client;
        let aws = &clients.aws;
        if req.is_create() {
            if req.config.get("name").is_null()
                && req.config.get("name_prefix").is_null()
                && let Some(default) = K::DEFAULT_NAME
            {
                resp.planned.set("name", Value::string(default));
            }
            let name = resp.planned.get_str("name").map(str::to_string);
            let path = resp.planned.get_str("path").map(str::to_string);
            let arn = match (name.as_deref(), path.as_deref(), aws.account_id.as_deref()) {
                (Some(n), Some(p), Some(account)) => Value::string(
                    Arn::iam(IamKind::Role, &aws.partition, account, p, n).to_string(),
                ),
                _ => Value::Unknown,
            };
            resp.planned
                .set("id", name.map_or(Value::Unknown, Value::string));
            resp.planned.set("arn", arn);
        }
        plan_tags_all(resp, req.config, &clients.default_tags);
        // The role has exactly its own policies: whatever else a read found
        // shows going away.
        resp.planned.set(EXTRA_INLINE_POLICIES, Value::Null);
        if K::MANAGED_POLICIES.is_none() {
            resp.planned.set(EXTRA_POLICY_ARNS, Value::Null);
        }
        let checks = Stage::Plan(clients.policy_checks);
        if !check_partitions(req.config, K::MANAGED_POLICIES, aws, &mut resp.diagnostics)
            || !self.check_user_policy(req.config, checks, &mut resp.diagnostics)
            || !self.plan_documents(aws, &req, resp)
        {
            return;
        }
        self.0.fill_computed(&mut resp.planned, aws, None);
        let measures = self.limit_measures(&resp.planned, clients);
        limits::check(aws, &measures, &mut resp.diagnostics).await;
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        let (clients, planned) = (req.client, req.planned);
        let aws = &clients.aws;
        let diags = &mut resp.diagnostics;
        let name = match planned.get_str("name") {
            Some(n) => n.to_string(),
            None => unique_name(planned.get_str("name_prefix").unwrap_or(K::NAME_PREFIX)),
        };
        // What was unknown at plan is known now: create nothing IAM would refuse.
        if !limits::check_before_write(aws, &self.limit_measures(planned, clients), diags).await {
            return;
        }
        match aws.get_role_only(&name).await {
            Ok(None) => {}
            Ok(Some(existing)) => {
                return diags.attribute_error(
                    "name",
                    format!("creating IAM role (`{name}`)"),
                    already_exists_detail(&name, existing.mark.is_some(), K::NAME_REQUIRED),
                );
            }
            Err(e) => return report(diags, format!("reading IAM role (`{name}`)"), &e),
        }
        // A new resource gets a new mark, whatever an earlier private state held.
        resp.private.clear();
        let mark = ownership_mark(&mut resp.private);
        let spec = self.spec(planned, &name, clients, mark);
        // After a failure, save what exists so the next apply converges from it.
        if let Ok(role) | Err(Left::Exists(role)) =
            converge(aws, &spec, None, req.cancel, diags).await
        {
            resp.state = self.state(planned, &role, clients);
        }
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let (clients, state) = (req.client, req.state);
        let Some(name) = state.get_str("name").or(state.get_str("id")) else {
            resp.state = Value::Null;
            return;
        };
        match clients.aws.read_role(name, self.profiles()).await {
            Ok(Some(role)) => {
                let mut prior = state.clone();
                let import = Import {
                    state: &mut prior,
                    role: &role,
                    hint: None,
                };
                if let Err(e) = self.0.import_inputs(import) {
                    resp.diagnostics
                        .error(format!("importing IAM role (`{name}`)"), e);
                }
                resp.state = self.state(&prior, &role, clients);
            }
            Ok(None) => resp.state = Value::Null,
            Err(e) => report(
                &mut resp.diagnostics,
                format!("reading IAM role (`{name}`)"),
                &e,
            ),
        }
    }

    async fn update(&self, req: UpdateRequest<'_, Clients>, resp: &mut UpdateResponse) {
        let (clients, prior, planned) = (req.client, req.prior, req.planned);
        let aws = &clients.aws;
        let diags = &mut resp.diagnostics;
        let name = planned.get_str("name").unwrap_or_default().to_string();
        if !limits::check_before_write(aws, &self.limit_measures(planned, clients), diags).await {
            return;
        }
        let observed = match aws.get_role_observing(&name, self.profiles()).await {
            Ok(Some(observed)) => observed,
            // Deleted since the plan (a saved plan applied later): making it
            // anew would break the plan's promise of its `unique_id` and
            // `arn`. Terraform keeps the prior state; the next plan, after a
            // refresh, creates it.
            Ok(None) => {
                resp.state = Value::Null;
                return diags.error(
                    format!("updating IAM role (`{name}`)"),
                    format!(
                        "The role {name} was deleted outside Terraform after this plan was \
                         made, so the planned update cannot be applied. Nothing was created. \
                         Run `terraform plan` (or `apply`) again: its plan creates the role anew."
                    ),
                );
            }
            Err(e) => return report(diags, format!("reading IAM role (`{name}`)"), &e),
        };
        let spec = self.spec(planned, &name, clients, ownership_mark(&mut resp.private));
        resp.state = match converge(aws, &spec, Some(&observed), req.cancel, diags).await {
            Ok(role) => self.state(planned, &role, clients),
            Err(Left::Exists(role)) => self.state(prior, &role, clients),
            Err(Left::Gone) => Value::Null,
            // Not readable after the failure: the state keeps what it said.
            Err(Left::Unread) => prior.clone(),
        };
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let Some(name) = req.prior.get_str("name") else {
            return;
        };
        let profile = K::INSTANCE_PROFILE.then_some(name);
        if let Err(failure) = engine::destroy(&req.client.aws, name, profile).await {
            report(&mut resp.diagnostics, failure.summary, &failure.error);
        }
    }

    async fn import(&self, req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
        let clients = req.client;
        let diags = &mut resp.diagnostics;
        let (name, hint) = match req.id.split_once('/') {
            Some((name, hint)) => (name, Some(hint)),
            None => (req.id, None),
        };
        if let Err(e) = iam_name_error(name, NAME_LIMITS.0, "id") {
            return diags.error(
                "Invalid import id",
                format!("{e}. Import a role by its name."),
            );
        }
        let summary = format!("importing IAM role (`{name}`)");
        let role = match clients.aws.read_role(name, self.profiles()).await {
            Ok(Some(role)) => role,
            Ok(None) => {
                return diags.error(
                    summary,
                    format!("There is no role named `{name}` in this account."),
                );
            }
            Err(e) => return report(diags, summary, &e),
        };
        let mut state = self.schema().block.null_object();
        let import = Import {
            state: &mut state,
            role: &role,
            hint,
        };
        if let Err(e) = self.0.import_inputs(import) {
            return diags.error(summary, e);
        }
        state.set("tags", tags_for_import(&role.tags, &clients.default_tags));
        resp.state = self.state(&state, &role, clients);
    }
}

//! What every role-shaped resource shares: the common attributes (`name`,
//! `name_prefix`, `path`, ...), planning, and the mapping to and from the
//! role engine. A platform resource is a [`RoleKind`]: its own attributes and
//! documents, nothing else.

mod attributes;
mod documents;
mod kind;
pub(super) mod model;
pub mod user_policies;

use async_trait::async_trait;

pub use self::model::{
    ExtraPolicyArnsModel, PolicyArnsModel, PolicyModel, RoleModel, known_elements,
};

use self::attributes::{NAME_LIMITS, check_partitions, common_attributes, validate_common};
pub use self::kind::{Added, Import, RoleKind, role_account, role_arn};

use self::kind::fill_in_state;
use self::model::{RoleInputs, role_state};
use crate::arn::{Arn, IamKind};
use crate::aws::{Aws, ObservedRole, Profiles};
use crate::clients::Clients;
use crate::engine;
use crate::engine::run::Left;
use crate::policy::limits::Measure;
use crate::resources::common::cross_account::ExternalIdModel;
use crate::resources::common::naming::{
    NamingModel, already_exists_detail, iam_name_error, unique_name,
};
use crate::resources::common::policy_checks::Stage;
use crate::resources::common::tags::{TagsModel, own_tags_for_import, planned_tags_all};
use crate::resources::common::web_identity::{
    OidcProviderArnModel, import_oidc_provider_arn, oidc_provider_arn_attribute,
    validate_oidc_provider_arn,
};
use crate::resources::common::{limits, ownership_mark, report, same_policy};
use crate::tfplugin::{
    Attr, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostics,
    ImportRequest, ImportResponse, Model, PlanRequest, PlanResponse, ReadRequest, ReadResponse,
    Resource, Schema, Type, UpdateRequest, UpdateResponse, Value,
};

pub struct RoleResource<K>(pub K);

/// A role kind's `the_model_matches_the_schema` test: the common models and
/// the kind's own (`$own`) hold every attribute once, each with its type
/// (see [`RoleResource::check_models`]).
#[cfg(test)]
#[macro_export]
macro_rules! role_models_test {
    ($kind:expr, $($own:ty),+) => {
        #[test]
        fn the_model_matches_the_schema() {
            use $crate::tfplugin::Model;
            let role = $crate::resources::common::role::RoleResource($kind);
            role.check_models(&[$(<$own>::fields()),+]).unwrap();
        }
    };
}

impl<K: RoleKind> RoleResource<K> {
    /// The fields of the models every role of the kind has: [`RoleModel`],
    /// [`NamingModel`], [`TagsModel`], and [`PolicyModel`],
    /// [`PolicyArnsModel`] or [`ExtraPolicyArnsModel`], [`ExternalIdModel`]
    /// and [`OidcProviderArnModel`] as the kind has them. With the kind's
    /// own model's, they hold every attribute.
    pub fn common_fields(&self) -> Vec<(&'static str, Type)> {
        let mut fields = RoleModel::fields();
        fields.extend(NamingModel::fields());
        fields.extend(TagsModel::fields());
        if self.0.has_policy() {
            fields.extend(PolicyModel::fields());
        }
        fields.extend(match K::ATTACHES_POLICIES {
            true => PolicyArnsModel::fields(),
            false => ExtraPolicyArnsModel::fields(),
        });
        if K::TRUST_HIDES_SECRET {
            fields.extend(ExternalIdModel::fields());
        }
        if K::OIDC_PROVIDER_ARN.is_some() {
            fields.extend(OidcProviderArnModel::fields());
        }
        fields
    }

    /// Checks that the common models and the kind's own (`own`) hold every
    /// attribute of the schema once, each with its type (see
    /// [`check_models`](crate::tfplugin::check_models)).
    #[cfg(test)]
    pub fn check_models(&self, own: &[Vec<(&'static str, Type)>]) -> Result<(), String> {
        let mut models = vec![self.common_fields()];
        models.extend_from_slice(own);
        crate::tfplugin::check_models(&self.schema().block, &models)
    }

    /// Recovers the kind's inputs from the role (see
    /// [`RoleKind::import_inputs`]), a web-identity role's OIDC provider
    /// first.
    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        if K::OIDC_PROVIDER_ARN.is_some() {
            import_oidc_provider_arn(import.state, import.role)?;
        }
        self.0.import_inputs(import)
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
        let mut inputs = RoleInputs::read(planned, K::ATTACHES_POLICIES);
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
            K::ATTACHES_POLICIES,
            self.computes_policy(),
            &clients.default_tags,
        )
    }

    fn profiles(&self) -> Profiles {
        Profiles::for_role_owning_profile(K::INSTANCE_PROFILE)
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
                .attributes(common_attributes::<K>())
                .attributes(K::OIDC_PROVIDER_ARN.map(oidc_provider_arn_attribute))
                .attributes(self.0.attributes().into_iter().map(|attribute| {
                    // Every role's `policy` is one document, however written.
                    match attribute.name == PolicyModel::policy {
                        true => attribute.semantic_equality(same_policy),
                        false => attribute,
                    }
                })),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_common(config, diags);
        if K::OIDC_PROVIDER_ARN.is_some() {
            validate_oidc_provider_arn(config, diags);
        }
        self.0.validate(config, diags);
        self.check_user_policy(config, Stage::Validate, diags);
    }

    /// Fills in what the kind added since `version` (see
    /// [`RoleKind::added`]). Setting it here, not at the next read,
    /// keeps `plan -refresh-only` free of a change nobody made.
    fn upgrade_state(
        &self,
        version: i64,
        mut state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        for (added_in, attr, value) in self.0.added(&state) {
            if version < added_in {
                fill_in_state(&mut state, attr, value)?;
            }
        }
        Ok(state)
    }

    async fn plan(&self, req: PlanRequest<'_, Clients>, resp: &mut PlanResponse) {
        let clients = req.client;
        let aws = &clients.aws;
        let mut planned = RoleModel::read(&resp.planned);
        if req.is_create() {
            let config = NamingModel::read(req.config);
            let mut naming = NamingModel::read(&resp.planned);
            if config.name.is_null()
                && config.name_prefix.is_null()
                && let Some(default) = K::DEFAULT_NAME
            {
                naming.name = default.into();
                naming.write(&mut resp.planned);
            }
            let (name, path) = (naming.name.as_deref(), naming.path.as_deref());
            planned.arn = match (name, path, aws.account_id.as_deref()) {
                (Some(n), Some(p), Some(account)) => {
                    Arn::iam(IamKind::Role, &aws.partition, account, p, n)
                        .to_string()
                        .into()
                }
                _ => Attr::Unknown,
            };
            planned.id = name.map_or(Attr::Unknown, Attr::from);
        }
        // The role has exactly its own policies: whatever else a read found
        // shows going away.
        planned.extra_inline_policies = Attr::Null;
        planned.write(&mut resp.planned);
        if !K::ATTACHES_POLICIES {
            ExtraPolicyArnsModel::default().write(&mut resp.planned);
        }
        let mut tags = TagsModel::read(&resp.planned);
        tags.tags_all = planned_tags_all(&TagsModel::read(req.config).tags, &clients.default_tags);
        tags.write(&mut resp.planned);
        let checks = Stage::Plan(clients.policy_checks);
        if !check_partitions(req.config, K::ATTACHES_POLICIES, aws, &mut resp.diagnostics)
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
        let naming = NamingModel::read(planned);
        let name = match naming.name.into_known() {
            Some(n) => n,
            None => unique_name(naming.name_prefix.as_deref().unwrap_or(K::NAME_PREFIX)),
        };
        // What was unknown at plan is known now: create nothing IAM would refuse.
        if !limits::check_before_write(aws, &self.limit_measures(planned, clients), diags).await {
            return;
        }
        match aws.get_role_only(&name).await {
            Ok(None) => {}
            Ok(Some(existing)) => {
                return diags.attribute_error(
                    NamingModel::name,
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
        let (naming, stored) = (NamingModel::read(state), RoleModel::read(state));
        let Some(name) = naming.name.as_deref().or(stored.id.as_deref()) else {
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
                if let Err(e) = self.import_inputs(import) {
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
        let name = NamingModel::read(planned)
            .name
            .into_known()
            .unwrap_or_default();
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
        let prior = NamingModel::read(req.prior);
        let Some(name) = prior.name.as_deref() else {
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
        if let Err(e) = self.import_inputs(import) {
            return diags.error(summary, e);
        }
        let mut tags = TagsModel::read(&state);
        tags.tags = own_tags_for_import(&role.tags, &clients.default_tags);
        tags.write(&mut state);
        resp.state = self.state(&state, &role, clients);
    }
}

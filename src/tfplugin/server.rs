//! The gRPC services Terraform talks to: tfplugin6's `Provider` and
//! go-plugin's controller, stdio and broker. Every handler turns a panic into
//! an error diagnostic, so one bad request never takes the plugin down.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};

use futures::{FutureExt, Stream, StreamExt};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::diagnostics::{AttributePath, Diagnostics, PathStep, Severity};
use super::proto::plugin as go_plugin;
use super::proto::tfplugin6 as pb;
use super::schema::{Block, Mode, Nesting, Schema};
use super::value::{self, Value};
use super::{Ctx, DataSource, Plan, Provider, Resource};

pub(crate) struct Server<P: Provider> {
    provider: P,
    provider_schema: Schema,
    resources: BTreeMap<&'static str, (Box<dyn Resource<P::Client>>, Schema)>,
    data_sources: BTreeMap<&'static str, (Box<dyn DataSource<P::Client>>, Schema)>,
    client: RwLock<Option<Arc<P::Client>>>,
    /// Cancelled by StopProvider: work in flight winds down, the server stays up.
    stop: Mutex<CancellationToken>,
    /// Cancelled by GRPCController.Shutdown: the server exits.
    pub(crate) shutdown: CancellationToken,
}

impl<P: Provider> Server<P> {
    pub(crate) fn new(provider: P) -> Self {
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| {
                let schema = r.schema();
                (r.type_name(), (r, schema))
            })
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| {
                let schema = d.schema();
                (d.type_name(), (d, schema))
            })
            .collect();
        Server {
            provider_schema: provider.schema(),
            provider,
            resources,
            data_sources,
            client: RwLock::new(None),
            stop: Mutex::new(CancellationToken::new()),
            shutdown: CancellationToken::new(),
        }
    }

    fn ctx(&self) -> Ctx<P::Client> {
        Ctx {
            client: self.client.read().expect("client lock").clone(),
            cancel: self.stop.lock().expect("stop lock").clone(),
        }
    }

    fn resource(
        &self,
        type_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&(Box<dyn Resource<P::Client>>, Schema)> {
        let found = self.resources.get(type_name);
        if found.is_none() {
            diags.error(
                "Unknown resource type",
                format!("This provider has no resource type `{type_name}`."),
            );
        }
        found
    }

    fn data_source(
        &self,
        type_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&(Box<dyn DataSource<P::Client>>, Schema)> {
        let found = self.data_sources.get(type_name);
        if found.is_none() {
            diags.error(
                "Unknown data source type",
                format!("This provider has no data source type `{type_name}`."),
            );
        }
        found
    }
}

// ---------------------------------------------------------------------------
// Conversions between protocol messages and the plain types resources use.

fn decode(
    dv: Option<&pb::DynamicValue>,
    block: &Block,
    what: &str,
    diags: &mut Diagnostics,
) -> Value {
    let ty = block.value_type();
    let result = match dv {
        Some(dv) if !dv.msgpack.is_empty() => value::from_msgpack(&dv.msgpack, &ty),
        Some(dv) if !dv.json.is_empty() => serde_json::from_slice(&dv.json)
            .map_err(|e| value::DecodeError(e.to_string()))
            .and_then(|json| value::from_json(&json, &ty)),
        _ => Ok(Value::Null),
    };
    result.unwrap_or_else(|e| {
        diags.error(
            format!("Invalid {what} from Terraform"),
            format!("The provider could not decode the {what}: {e}."),
        );
        Value::Null
    })
}

fn encode(value: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: value::to_msgpack(value),
        json: Vec::new(),
    })
}

fn path_to_pb(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: path
            .0
            .iter()
            .map(|step| pb::attribute_path::Step {
                selector: Some(match step {
                    PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
                    PathStep::Key(key) => Selector::ElementKeyString(key.clone()),
                    PathStep::Index(index) => Selector::ElementKeyInt(*index),
                }),
            })
            .collect(),
    }
}

fn diags_to_pb(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    diags
        .0
        .into_iter()
        .map(|d| pb::Diagnostic {
            severity: match d.severity {
                Severity::Error => pb::diagnostic::Severity::Error,
                Severity::Warning => pb::diagnostic::Severity::Warning,
            } as i32,
            summary: d.summary,
            detail: d.detail,
            attribute: d.path.as_ref().map(path_to_pb),
        })
        .collect()
}

fn block_to_pb(block: &Block, version: i64) -> pb::schema::Block {
    pb::schema::Block {
        version,
        description: block.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: false,
        attributes: block
            .attributes
            .iter()
            .map(|a| pb::schema::Attribute {
                name: a.name.to_string(),
                r#type: a.ty.to_json().to_string().into_bytes(),
                nested_type: None,
                description: a.description.clone(),
                required: a.mode == Mode::Required,
                optional: matches!(a.mode, Mode::Optional | Mode::OptionalComputed),
                computed: a.is_computed(),
                sensitive: a.sensitive,
                description_kind: pb::StringKind::Markdown as i32,
                deprecated: false,
                write_only: false,
            })
            .collect(),
        block_types: block
            .blocks
            .iter()
            .map(|nested| pb::schema::NestedBlock {
                type_name: nested.name.to_string(),
                block: Some(block_to_pb(&nested.block, 0)),
                nesting: match nested.nesting {
                    Nesting::Single => pb::schema::nested_block::NestingMode::Single,
                    Nesting::List => pb::schema::nested_block::NestingMode::List,
                } as i32,
                min_items: 0,
                max_items: match nested.nesting {
                    Nesting::Single => 1,
                    Nesting::List => 0,
                },
            })
            .collect(),
    }
}

fn schema_to_pb(schema: &Schema) -> pb::Schema {
    pb::Schema {
        version: schema.version,
        block: Some(block_to_pb(&schema.block, schema.version)),
    }
}

/// Runs a handler; a panic inside it becomes an error diagnostic.
async fn guarded<T>(what: &str, fut: impl Future<Output = T>) -> Result<T, Vec<pb::Diagnostic>> {
    AssertUnwindSafe(fut).catch_unwind().await.map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        tracing::error!(rpc = what, %message, "handler panicked");
        let mut diags = Diagnostics::default();
        diags.error(
            "Provider internal error",
            format!(
                "The provider failed unexpectedly while handling {what}: {message}. \
                 This is a bug in terraform-provider-clusteriam; please report it with the \
                 configuration that caused it. Nothing further was changed by this request."
            ),
        );
        diags_to_pb(diags)
    })
}

/// Answers an RPC through [`guarded`], filling `diagnostics` on a panic.
macro_rules! answer {
    ($what:literal, $fut:expr, $resp:ty) => {
        Ok(Response::new(match guarded($what, $fut).await {
            Ok(resp) => resp,
            Err(diagnostics) => <$resp>::default().with_diagnostics(diagnostics),
        }))
    };
}

trait WithDiagnostics {
    fn with_diagnostics(self, diagnostics: Vec<pb::Diagnostic>) -> Self;
}

macro_rules! with_diagnostics {
    ($($t:ty),* $(,)?) => {$(
        impl WithDiagnostics for $t {
            fn with_diagnostics(mut self, diagnostics: Vec<pb::Diagnostic>) -> Self {
                self.diagnostics = diagnostics;
                self
            }
        }
    )*};
}

with_diagnostics!(
    pb::get_provider_schema::Response,
    pb::validate_provider_config::Response,
    pb::validate_resource_config::Response,
    pb::validate_data_resource_config::Response,
    pb::upgrade_resource_state::Response,
    pb::configure_provider::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::read_data_source::Response,
);

fn unsupported(summary: &str, detail: &str) -> Vec<pb::Diagnostic> {
    let mut diags = Diagnostics::default();
    diags.error(summary, detail);
    diags_to_pb(diags)
}

// ---------------------------------------------------------------------------
// The handlers proper.

impl<P: Provider> Server<P> {
    fn metadata(&self) -> pb::get_metadata::Response {
        pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: vec![],
            data_sources: self
                .data_sources
                .keys()
                .map(|t| pb::get_metadata::DataSourceMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            resources: self
                .resources
                .keys()
                .map(|t| pb::get_metadata::ResourceMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            functions: vec![],
            ephemeral_resources: vec![],
        }
    }

    fn provider_schema(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some(schema_to_pb(&self.provider_schema)),
            resource_schemas: self
                .resources
                .iter()
                .map(|(t, (_, s))| (t.to_string(), schema_to_pb(s)))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(t, (_, s))| (t.to_string(), schema_to_pb(s)))
                .collect(),
            server_capabilities: Some(capabilities()),
            ..Default::default()
        }
    }

    fn validate_provider(
        &self,
        req: pb::validate_provider_config::Request,
    ) -> pb::validate_provider_config::Response {
        let mut diags = Diagnostics::default();
        let config = decode(
            req.config.as_ref(),
            &self.provider_schema.block,
            "provider configuration",
            &mut diags,
        );
        if !diags.has_errors() {
            self.provider.validate(&config, &mut diags);
        }
        pb::validate_provider_config::Response {
            diagnostics: diags_to_pb(diags),
        }
    }

    fn validate_resource(
        &self,
        req: pb::validate_resource_config::Request,
    ) -> pb::validate_resource_config::Response {
        let mut diags = Diagnostics::default();
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let config = decode(
                req.config.as_ref(),
                &schema.block,
                "configuration",
                &mut diags,
            );
            if !diags.has_errors() {
                schema.block.check_read_only(&config, &mut diags);
                resource.validate(&config, &mut diags);
            }
        }
        pb::validate_resource_config::Response {
            diagnostics: diags_to_pb(diags),
        }
    }

    fn validate_data_source(
        &self,
        req: pb::validate_data_resource_config::Request,
    ) -> pb::validate_data_resource_config::Response {
        let mut diags = Diagnostics::default();
        if let Some((data_source, schema)) = self.data_source(&req.type_name, &mut diags) {
            let config = decode(
                req.config.as_ref(),
                &schema.block,
                "configuration",
                &mut diags,
            );
            if !diags.has_errors() {
                schema.block.check_read_only(&config, &mut diags);
                data_source.validate(&config, &mut diags);
            }
        }
        pb::validate_data_resource_config::Response {
            diagnostics: diags_to_pb(diags),
        }
    }

    fn upgrade_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> pb::upgrade_resource_state::Response {
        let mut diags = Diagnostics::default();
        let mut upgraded = None;
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let raw = req.raw_state.unwrap_or_default();
            let json = if raw.json.is_empty() {
                diags.error(
                    "Unsupported state format",
                    "The stored state is in the legacy flatmap format, which this provider never \
                     wrote. Remove the resource from state and import it again.",
                );
                None
            } else {
                serde_json::from_slice::<serde_json::Value>(&raw.json)
                    .map_err(|e| {
                        diags.error(
                            "Invalid stored state",
                            format!("The stored state is not valid JSON: {e}."),
                        )
                    })
                    .ok()
            };
            if let Some(json) = json {
                if req.version > schema.version {
                    diags.error(
                        "State written by a newer provider",
                        format!(
                            "The state of this `{}` was written with schema version {}, but this \
                             provider knows version {}. Upgrade terraform-provider-clusteriam.",
                            req.type_name, req.version, schema.version
                        ),
                    );
                } else {
                    let json = if req.version < schema.version {
                        resource.upgrade_state(req.version, json).map_err(|e| {
                            diags.error(
                                "Upgrading stored state",
                                format!(
                                    "Upgrading `{}` state from version {}: {e}",
                                    req.type_name, req.version
                                ),
                            )
                        })
                    } else {
                        Ok(json)
                    };
                    if let Ok(json) = json {
                        match value::from_json(&json, &schema.block.value_type()) {
                            Ok(v) => upgraded = encode(&v),
                            Err(e) => diags.error(
                                "Invalid stored state",
                                format!(
                                    "The stored state of this `{}` does not match its schema: {e}.",
                                    req.type_name
                                ),
                            ),
                        }
                    }
                }
            }
        }
        pb::upgrade_resource_state::Response {
            upgraded_state: upgraded,
            diagnostics: diags_to_pb(diags),
        }
    }

    async fn configure(
        &self,
        req: pb::configure_provider::Request,
    ) -> pb::configure_provider::Response {
        let mut diags = Diagnostics::default();
        let config = decode(
            req.config.as_ref(),
            &self.provider_schema.block,
            "provider configuration",
            &mut diags,
        );
        if !diags.has_errors() {
            self.provider.validate(&config, &mut diags);
        }
        if !diags.has_errors() {
            if let Some(client) = self.provider.configure(&config, &mut diags).await {
                *self.client.write().expect("client lock") = Some(Arc::new(client));
            }
        }
        pb::configure_provider::Response {
            diagnostics: diags_to_pb(diags),
        }
    }

    async fn read_resource(&self, req: pb::read_resource::Request) -> pb::read_resource::Response {
        let mut diags = Diagnostics::default();
        let mut new_state = None;
        let mut private = req.private;
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let state = decode(
                req.current_state.as_ref(),
                &schema.block,
                "state",
                &mut diags,
            );
            if !diags.has_errors() {
                let read = resource
                    .read(&self.ctx(), &state, &mut private, &mut diags)
                    .await;
                // On a failed read, keep what is stored rather than forget it.
                new_state = encode(if diags.has_errors() && read.is_null() {
                    &state
                } else {
                    &read
                });
            }
        }
        pb::read_resource::Response {
            new_state,
            diagnostics: diags_to_pb(diags),
            private,
            ..Default::default()
        }
    }

    async fn plan_resource(
        &self,
        req: pb::plan_resource_change::Request,
    ) -> pb::plan_resource_change::Response {
        let mut diags = Diagnostics::default();
        let mut resp = pb::plan_resource_change::Response::default();
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let prior = decode(
                req.prior_state.as_ref(),
                &schema.block,
                "prior state",
                &mut diags,
            );
            let proposed = decode(
                req.proposed_new_state.as_ref(),
                &schema.block,
                "proposed state",
                &mut diags,
            );
            let config = decode(
                req.config.as_ref(),
                &schema.block,
                "configuration",
                &mut diags,
            );
            if !diags.has_errors() {
                if proposed.is_null() {
                    // A destroy: nothing to plan.
                    resp.planned_state = encode(&Value::Null);
                    resp.planned_private = req.prior_private;
                } else {
                    let (planned, requires_replace) =
                        super::plan::plan(&schema.block, &prior, &proposed, &config);
                    let mut plan = Plan {
                        prior: &prior,
                        config: &config,
                        planned,
                        requires_replace,
                        private: req.prior_private,
                    };
                    resource.validate(&config, &mut diags);
                    if !diags.has_errors() {
                        resource.plan(&self.ctx(), &mut plan, &mut diags).await;
                    }
                    resp.planned_state = encode(&plan.planned);
                    resp.requires_replace = plan.requires_replace.iter().map(path_to_pb).collect();
                    resp.planned_private = plan.private;
                }
            }
        }
        resp.diagnostics = diags_to_pb(diags);
        resp
    }

    async fn apply_resource(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> pb::apply_resource_change::Response {
        let mut diags = Diagnostics::default();
        let mut resp = pb::apply_resource_change::Response::default();
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let prior = decode(
                req.prior_state.as_ref(),
                &schema.block,
                "prior state",
                &mut diags,
            );
            let planned = decode(
                req.planned_state.as_ref(),
                &schema.block,
                "planned state",
                &mut diags,
            );
            if !diags.has_errors() {
                let ctx = self.ctx();
                let mut private = req.planned_private;
                let new_state = if planned.is_null() {
                    resource.delete(&ctx, &prior, &private, &mut diags).await;
                    // A failed delete keeps the resource in state.
                    if diags.has_errors() {
                        prior
                    } else {
                        Value::Null
                    }
                } else if prior.is_null() {
                    resource
                        .create(&ctx, &planned, &mut private, &mut diags)
                        .await
                } else {
                    resource
                        .update(&ctx, &prior, &planned, &mut private, &mut diags)
                        .await
                };
                resp.new_state = encode(&new_state);
                resp.private = private;
            }
        }
        resp.diagnostics = diags_to_pb(diags);
        resp
    }

    async fn import_resource(
        &self,
        req: pb::import_resource_state::Request,
    ) -> pb::import_resource_state::Response {
        let mut diags = Diagnostics::default();
        let mut imported = Vec::new();
        if let Some((resource, _)) = self.resource(&req.type_name, &mut diags) {
            let state = resource.import(&self.ctx(), &req.id, &mut diags).await;
            if !diags.has_errors() && !state.is_null() {
                imported.push(pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: encode(&state),
                    private: Vec::new(),
                    identity: None,
                });
            }
        }
        pb::import_resource_state::Response {
            imported_resources: imported,
            diagnostics: diags_to_pb(diags),
            deferred: None,
        }
    }

    async fn read_data(
        &self,
        req: pb::read_data_source::Request,
    ) -> pb::read_data_source::Response {
        let mut diags = Diagnostics::default();
        let mut state = None;
        if let Some((data_source, schema)) = self.data_source(&req.type_name, &mut diags) {
            let config = decode(
                req.config.as_ref(),
                &schema.block,
                "configuration",
                &mut diags,
            );
            if !diags.has_errors() {
                data_source.validate(&config, &mut diags);
            }
            if !diags.has_errors() {
                let read = data_source.read(&self.ctx(), &config, &mut diags).await;
                if !diags.has_errors() {
                    state = encode(&read);
                }
            }
        }
        pb::read_data_source::Response {
            state,
            diagnostics: diags_to_pb(diags),
            deferred: None,
        }
    }
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: false,
        move_resource_state: false,
    }
}

pub(crate) struct ProviderService<P: Provider>(pub(crate) Arc<Server<P>>);

#[tonic::async_trait]
impl<P: Provider> pb::provider_server::Provider for ProviderService<P> {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        Ok(Response::new(self.0.metadata()))
    }

    async fn get_provider_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        answer!(
            "GetProviderSchema",
            async { self.0.provider_schema() },
            pb::get_provider_schema::Response
        )
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        answer!(
            "ValidateProviderConfig",
            async { self.0.validate_provider(req.into_inner()) },
            pb::validate_provider_config::Response
        )
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        answer!(
            "ValidateResourceConfig",
            async { self.0.validate_resource(req.into_inner()) },
            pb::validate_resource_config::Response
        )
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        answer!(
            "ValidateDataResourceConfig",
            async { self.0.validate_data_source(req.into_inner()) },
            pb::validate_data_resource_config::Response
        )
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        answer!(
            "UpgradeResourceState",
            async { self.0.upgrade_state(req.into_inner()) },
            pb::upgrade_resource_state::Response
        )
    }

    async fn get_resource_identity_schemas(
        &self,
        _req: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        // No resource offers an identity yet; an empty map says so.
        Ok(Response::new(Default::default()))
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        Ok(Response::new(pb::upgrade_resource_identity::Response {
            upgraded_identity: None,
            diagnostics: unsupported(
                "Resource identity not supported",
                &format!(
                    "`{}` has no resource identity; import it by its id instead.",
                    req.into_inner().type_name
                ),
            ),
        }))
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        answer!(
            "ConfigureProvider",
            self.0.configure(req.into_inner()),
            pb::configure_provider::Response
        )
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        answer!(
            "ReadResource",
            self.0.read_resource(req.into_inner()),
            pb::read_resource::Response
        )
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        answer!(
            "PlanResourceChange",
            self.0.plan_resource(req.into_inner()),
            pb::plan_resource_change::Response
        )
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        answer!(
            "ApplyResourceChange",
            self.0.apply_resource(req.into_inner()),
            pb::apply_resource_change::Response
        )
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        answer!(
            "ImportResourceState",
            self.0.import_resource(req.into_inner()),
            pb::import_resource_state::Response
        )
    }

    async fn move_resource_state(
        &self,
        req: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let req = req.into_inner();
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: unsupported(
                "Moving resource state is not supported",
                &format!(
                    "`{}` cannot be moved to `{}`. Remove the old resource from state and import the new one.",
                    req.source_type_name, req.target_type_name
                ),
            ),
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        answer!(
            "ReadDataSource",
            self.0.read_data(req.into_inner()),
            pb::read_data_source::Response
        )
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        Ok(Response::new(
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: no_ephemeral(&req.into_inner().type_name),
            },
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: no_ephemeral(&req.into_inner().type_name),
            ..Default::default()
        }))
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: no_ephemeral(&req.into_inner().type_name),
            ..Default::default()
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: no_ephemeral(&req.into_inner().type_name),
        }))
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(Default::default()))
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("this provider has no function `{}`", req.into_inner().name),
                function_argument: None,
            }),
        }))
    }

    async fn stop_provider(
        &self,
        _req: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        tracing::info!("StopProvider: cancelling work in flight");
        self.0.stop.lock().expect("stop lock").cancel();
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}

fn no_ephemeral(type_name: &str) -> Vec<pb::Diagnostic> {
    unsupported(
        "Unknown ephemeral resource type",
        &format!("This provider has no ephemeral resource type `{type_name}`."),
    )
}

/// go-plugin's services. They carry nothing for a Terraform provider but must
/// answer, and their streams must end at shutdown so the server can stop.
pub(crate) struct PluginServices {
    pub(crate) shutdown: CancellationToken,
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

impl PluginServices {
    fn idle_stream<T: Send + 'static>(&self) -> BoxStream<T> {
        Box::pin(futures::stream::pending().take_until(self.shutdown.clone().cancelled_owned()))
    }
}

#[tonic::async_trait]
impl go_plugin::grpc_controller_server::GrpcController for PluginServices {
    async fn shutdown(
        &self,
        _req: Request<go_plugin::Empty>,
    ) -> Result<Response<go_plugin::Empty>, Status> {
        tracing::debug!("GRPCController.Shutdown: stopping the server");
        self.shutdown.cancel();
        Ok(Response::new(go_plugin::Empty {}))
    }
}

#[tonic::async_trait]
impl go_plugin::grpc_stdio_server::GrpcStdio for PluginServices {
    type StreamStdioStream = BoxStream<go_plugin::StdioData>;
    async fn stream_stdio(
        &self,
        _req: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(self.idle_stream()))
    }
}

#[tonic::async_trait]
impl go_plugin::grpc_broker_server::GrpcBroker for PluginServices {
    type StartStreamStream = BoxStream<go_plugin::ConnInfo>;
    async fn start_stream(
        &self,
        _req: Request<tonic::Streaming<go_plugin::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(self.idle_stream()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfplugin::schema::Attribute;
    use crate::tfplugin::value::Type;
    use async_trait::async_trait;

    /// A resource whose schema version 1 renamed `title` to `name`, and whose
    /// read panics, to exercise the server's generic paths.
    struct Widget;

    #[async_trait]
    impl Resource<()> for Widget {
        fn type_name(&self) -> &'static str {
            "test_widget"
        }
        fn schema(&self) -> Schema {
            Schema::new(
                1,
                Block::new("A widget.")
                    .attribute(Attribute::required("name", Type::String, "Name."))
                    .attribute(Attribute::computed("id", Type::String, "Id.").stable()),
            )
        }
        async fn create(
            &self,
            _: &Ctx<()>,
            planned: &Value,
            _: &mut Vec<u8>,
            _: &mut Diagnostics,
        ) -> Value {
            planned.clone()
        }
        async fn read(
            &self,
            _: &Ctx<()>,
            _: &Value,
            _: &mut Vec<u8>,
            _: &mut Diagnostics,
        ) -> Value {
            panic!("widget exploded")
        }
        async fn update(
            &self,
            _: &Ctx<()>,
            _: &Value,
            planned: &Value,
            _: &mut Vec<u8>,
            _: &mut Diagnostics,
        ) -> Value {
            planned.clone()
        }
        async fn delete(&self, _: &Ctx<()>, _: &Value, _: &[u8], _: &mut Diagnostics) {}
        async fn import(&self, _: &Ctx<()>, _: &str, _: &mut Diagnostics) -> Value {
            Value::Null
        }
        fn upgrade_state(
            &self,
            version: i64,
            mut state: serde_json::Value,
        ) -> Result<serde_json::Value, String> {
            if version == 0 {
                let obj = state.as_object_mut().ok_or("state is not an object")?;
                let title = obj.remove("title").ok_or("no `title` in version 0 state")?;
                obj.insert("name".into(), title);
            }
            Ok(state)
        }
    }

    struct TestProvider;

    #[async_trait]
    impl Provider for TestProvider {
        type Client = ();
        fn schema(&self) -> Schema {
            Schema::default()
        }
        async fn configure(&self, _: &Value, _: &mut Diagnostics) -> Option<()> {
            Some(())
        }
        fn resources(&self) -> Vec<Box<dyn Resource<()>>> {
            vec![Box::new(Widget)]
        }
        fn data_sources(&self) -> Vec<Box<dyn DataSource<()>>> {
            vec![]
        }
    }

    fn service() -> ProviderService<TestProvider> {
        ProviderService(Arc::new(Server::new(TestProvider)))
    }

    #[tokio::test]
    async fn upgrade_runs_the_resources_hook_from_older_versions() {
        use pb::provider_server::Provider as _;
        let resp = service()
            .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
                type_name: "test_widget".into(),
                version: 0,
                raw_state: Some(pb::RawState {
                    json: br#"{"title":"w1","id":"w1"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
        let ty = Widget.schema().block.value_type();
        let state = value::from_msgpack(&resp.upgraded_state.unwrap().msgpack, &ty).unwrap();
        assert_eq!(state.get_str("name"), Some("w1"));
    }

    #[tokio::test]
    async fn state_from_a_newer_provider_is_refused() {
        use pb::provider_server::Provider as _;
        let resp = service()
            .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
                type_name: "test_widget".into(),
                version: 7,
                raw_state: Some(pb::RawState {
                    json: br#"{"name":"w1","id":"w1"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            resp.diagnostics[0].summary,
            "State written by a newer provider"
        );
    }

    #[tokio::test]
    async fn a_panicking_handler_becomes_an_error_diagnostic_and_the_server_lives_on() {
        use pb::provider_server::Provider as _;
        let service = service();
        let state = encode(&Value::Map(
            [
                ("name".to_string(), Value::string("w")),
                ("id".to_string(), Value::string("w")),
            ]
            .into(),
        ));
        let resp = service
            .read_resource(Request::new(pb::read_resource::Request {
                type_name: "test_widget".into(),
                current_state: state,
                ..Default::default()
            }))
            .await
            .expect("an answer, not a transport error")
            .into_inner();
        assert_eq!(resp.diagnostics.len(), 1);
        assert_eq!(
            resp.diagnostics[0].severity,
            pb::diagnostic::Severity::Error as i32
        );
        assert!(resp.diagnostics[0].detail.contains("widget exploded"));
        // The next request is served normally.
        let schema = service
            .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
            .await
            .unwrap()
            .into_inner();
        assert!(schema.resource_schemas.contains_key("test_widget"));
    }

    #[tokio::test]
    async fn unknown_types_and_unsupported_rpcs_answer_with_diagnostics() {
        use pb::provider_server::Provider as _;
        let service = service();
        let resp = service
            .plan_resource_change(Request::new(pb::plan_resource_change::Request {
                type_name: "test_gadget".into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(
            resp.diagnostics[0]
                .detail
                .contains("no resource type `test_gadget`")
        );
        let resp = service
            .move_resource_state(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            resp.diagnostics[0].summary,
            "Moving resource state is not supported"
        );
    }

    #[tokio::test]
    async fn plan_marks_computed_values_unknown_on_create() {
        use pb::provider_server::Provider as _;
        let config = Value::Map(
            [
                ("name".to_string(), Value::string("w")),
                ("id".to_string(), Value::Null),
            ]
            .into(),
        );
        let resp = service()
            .plan_resource_change(Request::new(pb::plan_resource_change::Request {
                type_name: "test_widget".into(),
                prior_state: encode(&Value::Null),
                proposed_new_state: encode(&config),
                config: encode(&config),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        let ty = Widget.schema().block.value_type();
        let planned = value::from_msgpack(&resp.planned_state.unwrap().msgpack, &ty).unwrap();
        assert_eq!(planned.get("id"), &Value::Unknown);
        assert_eq!(planned.get_str("name"), Some("w"));
    }
}

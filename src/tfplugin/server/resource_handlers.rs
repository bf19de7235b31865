//! The handlers of the RPCs that act on resources and data sources: decode
//! the request against the type's schema, hand the configured client to the
//! resource (or answer that the provider is not configured), encode the
//! answer.

use super::super::diagnostics::Diagnostics;
use super::super::proto::tfplugin6 as pb;
use super::super::resource::{
    CreateRequest, CreateResponse, DataReadRequest, DataReadResponse, DeleteRequest,
    DeleteResponse, ImportRequest, ImportResponse, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, UpdateRequest, UpdateResponse,
};
use super::super::schema::Block;
use super::super::value::Value;
use super::Server;
use super::conversion::{decode_all, diags_to_pb, encode, path_to_pb};
use crate::tfplugin::Provider;

impl<P: Provider> Server<P> {
    pub(crate) async fn read_resource(
        &self,
        req: pb::read_resource::Request,
    ) -> pb::read_resource::Response {
        let mut diags = Diagnostics::default();
        let mut new_state = None;
        let mut private = req.private;
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let [state] = decode_all(
                [(req.current_state.as_ref(), "state")],
                &schema.block,
                &mut diags,
            );
            if !diags.has_errors()
                && let Some(client) = self.client(&mut diags)
            {
                // On a failed read the response keeps what is stored.
                let mut resp = ReadResponse::new(state.clone(), private.clone());
                let request = ReadRequest {
                    client: client.as_ref(),
                    state: &state,
                    private: &private,
                };
                resource.read(request, &mut resp).await;
                diags.extend(resp.diagnostics);
                schema.block.keep_equal_values(&state, &mut resp.state);
                check_in_debug(&schema.block, &resp.state, "read", &mut diags);
                new_state = encode(&resp.state);
                private = resp.private;
            }
        }
        pb::read_resource::Response {
            new_state,
            diagnostics: diags_to_pb(diags),
            private,
            ..Default::default()
        }
    }

    pub(crate) async fn plan_resource(
        &self,
        req: pb::plan_resource_change::Request,
    ) -> pb::plan_resource_change::Response {
        let mut diags = Diagnostics::default();
        let mut resp = pb::plan_resource_change::Response::default();
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let [prior, proposed, config] = decode_all(
                [
                    (req.prior_state.as_ref(), "prior state"),
                    (req.proposed_new_state.as_ref(), "proposed state"),
                    (req.config.as_ref(), "configuration"),
                ],
                &schema.block,
                &mut diags,
            );
            if !diags.has_errors() {
                if proposed.is_null() {
                    // A destroy: nothing to plan.
                    resp.planned_state = encode(&Value::Null);
                    resp.planned_private = req.prior_private;
                } else {
                    let (planned, requires_replace) =
                        super::super::plan::plan(&schema.block, &prior, &proposed, &config);
                    let mut plan = PlanResponse {
                        planned,
                        requires_replace,
                        private: req.prior_private,
                        diagnostics: Diagnostics::default(),
                    };
                    resource.validate(&config, &mut diags);
                    if !diags.has_errors()
                        && let Some(client) = self.client(&mut diags)
                    {
                        let request = PlanRequest {
                            client: client.as_ref(),
                            prior: &prior,
                            config: &config,
                        };
                        resource.plan(request, &mut plan).await;
                        diags.extend(plan.diagnostics);
                        schema.block.keep_equal_values(&prior, &mut plan.planned);
                        check_in_debug(&schema.block, &plan.planned, "plan", &mut diags);
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

    pub(crate) async fn apply_resource(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> pb::apply_resource_change::Response {
        let mut diags = Diagnostics::default();
        let mut resp = pb::apply_resource_change::Response::default();
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let [prior, planned] = decode_all(
                [
                    (req.prior_state.as_ref(), "prior state"),
                    (req.planned_state.as_ref(), "planned state"),
                ],
                &schema.block,
                &mut diags,
            );
            if !diags.has_errors()
                && let Some(client) = self.client(&mut diags)
            {
                let cancel = self.stop_token();
                let private = req.planned_private;
                let (new_state, private) = if planned.is_null() {
                    let mut out = DeleteResponse::default();
                    let request = DeleteRequest {
                        client: client.as_ref(),
                        prior: &prior,
                        private: &private,
                    };
                    resource.delete(request, &mut out).await;
                    // A failed delete keeps the resource in state.
                    let failed = out.diagnostics.has_errors();
                    diags.extend(out.diagnostics);
                    (if failed { prior } else { Value::Null }, private)
                } else if prior.is_null() {
                    let mut out = CreateResponse::new(Value::Null, private.clone());
                    let request = CreateRequest {
                        client: client.as_ref(),
                        planned: &planned,
                        cancel: &cancel,
                    };
                    resource.create(request, &mut out).await;
                    diags.extend(out.diagnostics);
                    (out.state, out.private)
                } else {
                    let mut out = UpdateResponse::new(prior.clone(), private.clone());
                    let request = UpdateRequest {
                        client: client.as_ref(),
                        prior: &prior,
                        planned: &planned,
                        private: &private,
                        cancel: &cancel,
                    };
                    resource.update(request, &mut out).await;
                    diags.extend(out.diagnostics);
                    (out.state, out.private)
                };
                let mut new_state = new_state;
                schema.block.keep_equal_values(&planned, &mut new_state);
                check_in_debug(&schema.block, &new_state, "apply", &mut diags);
                resp.new_state = encode(&new_state);
                resp.private = private;
            }
        }
        resp.diagnostics = diags_to_pb(diags);
        resp
    }

    pub(crate) async fn import_resource(
        &self,
        req: pb::import_resource_state::Request,
    ) -> pb::import_resource_state::Response {
        let mut diags = Diagnostics::default();
        let mut imported = Vec::new();
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags)
            && let Some(client) = self.client(&mut diags)
        {
            let mut out = ImportResponse::default();
            let request = ImportRequest {
                client: client.as_ref(),
                id: &req.id,
            };
            resource.import(request, &mut out).await;
            diags.extend(out.diagnostics);
            check_in_debug(&schema.block, &out.state, "import", &mut diags);
            if !diags.has_errors() && !out.state.is_null() {
                imported.push(pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: encode(&out.state),
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

    pub(crate) async fn read_data(
        &self,
        req: pb::read_data_source::Request,
    ) -> pb::read_data_source::Response {
        let mut diags = Diagnostics::default();
        let mut state = None;
        if let Some((data_source, schema)) = self.data_source(&req.type_name, &mut diags) {
            let [config] = decode_all(
                [(req.config.as_ref(), "configuration")],
                &schema.block,
                &mut diags,
            );
            if !diags.has_errors() {
                data_source.validate(&config, &mut diags);
            }
            if !diags.has_errors()
                && let Some(client) = self.client(&mut diags)
            {
                let mut out = DataReadResponse::default();
                let request = DataReadRequest {
                    client: client.as_ref(),
                    config: &config,
                };
                data_source.read(request, &mut out).await;
                diags.extend(out.diagnostics);
                check_in_debug(&schema.block, &out.state, "read", &mut diags);
                if !diags.has_errors() {
                    state = encode(&out.state);
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

/// In debug builds (every test), a value a resource or data source returns
/// that doesn't fit its schema (a misspelt or mistyped attribute) is an
/// error naming the attribute, not whatever Terraform makes of it.
fn check_in_debug(block: &Block, value: &Value, operation: &str, diags: &mut Diagnostics) {
    if cfg!(debug_assertions)
        && let Err(e) = block.check_value(value)
    {
        diags.error(
            format!("Provider bug: the {operation} returned a value that does not fit the schema"),
            e,
        );
    }
}

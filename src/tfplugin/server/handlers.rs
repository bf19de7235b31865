//! The RPC handlers proper: decode the request against the schema, call the
//! provider's resource, data source or function, encode the answer.

use std::sync::Arc;

use super::super::diagnostics::Diagnostics;
use super::super::proto::tfplugin6 as pb;
use super::super::resource::{
    CreateRequest, CreateResponse, DataReadRequest, DataReadResponse, DeleteRequest,
    DeleteResponse, ImportRequest, ImportResponse, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, UpdateRequest, UpdateResponse,
};
use super::super::value::{self, Value};
use super::Server;
use super::conversion::{
    capabilities, decode, decode_all, diags_to_pb, encode, function_to_pb, path_to_pb, schema_to_pb,
};
use crate::tfplugin::Provider;
use crate::tfplugin::functions::{CallRequest, FunctionError};

impl<P: Provider> Server<P> {
    pub(crate) fn metadata(&self) -> pb::get_metadata::Response {
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
            functions: self
                .functions
                .keys()
                .map(|name| pb::get_metadata::FunctionMetadata {
                    name: name.to_string(),
                })
                .collect(),
            ephemeral_resources: vec![],
        }
    }

    pub(crate) fn provider_schema(&self) -> pb::get_provider_schema::Response {
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
            // Clients before protocol 6.5 (Terraform 1.8) skip this field.
            functions: self.function_definitions(),
            ..Default::default()
        }
    }

    fn function_definitions(&self) -> std::collections::HashMap<String, pb::Function> {
        self.functions
            .iter()
            .map(|(name, (_, definition))| (name.to_string(), function_to_pb(definition)))
            .collect()
    }

    pub(crate) fn get_functions(&self) -> pb::get_functions::Response {
        pb::get_functions::Response {
            functions: self.function_definitions(),
            diagnostics: vec![],
        }
    }

    /// Decodes the arguments against the parameters, calls the function and
    /// encodes its result or error.
    pub(crate) fn call_function(
        &self,
        req: pb::call_function::Request,
    ) -> pb::call_function::Response {
        let answer = match self.functions.get(req.name.as_str()) {
            None => Err(FunctionError {
                text: format!("this provider has no function `{}`", req.name),
                argument: None,
            }),
            Some((function, definition)) => arguments(definition, &req.arguments)
                .and_then(|arguments| function.call(CallRequest { arguments })),
        };
        match answer {
            Ok(result) => pb::call_function::Response {
                result: encode(&result),
                error: None,
            },
            Err(error) => pb::call_function::Response {
                result: None,
                error: Some(pb::FunctionError {
                    text: error.text,
                    function_argument: error.argument.map(|i| i as i64),
                }),
            },
        }
    }

    pub(crate) fn validate_provider(
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

    pub(crate) fn validate_resource(
        &self,
        req: pb::validate_resource_config::Request,
    ) -> pb::validate_resource_config::Response {
        let mut diags = Diagnostics::default();
        if let Some((resource, schema)) = self.resource(&req.type_name, &mut diags) {
            let [config] = decode_all(
                [(req.config.as_ref(), "configuration")],
                &schema.block,
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

    pub(crate) fn validate_data_source(
        &self,
        req: pb::validate_data_resource_config::Request,
    ) -> pb::validate_data_resource_config::Response {
        let mut diags = Diagnostics::default();
        if let Some((data_source, schema)) = self.data_source(&req.type_name, &mut diags) {
            let [config] = decode_all(
                [(req.config.as_ref(), "configuration")],
                &schema.block,
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

    pub(crate) fn upgrade_state(
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
                             provider knows version {}. Upgrade {}.",
                            req.type_name, req.version, schema.version, self.binary_name
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

    pub(crate) async fn configure(
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
                let mut resp = ReadResponse {
                    state: state.clone(),
                    private: private.clone(),
                    diagnostics: Diagnostics::default(),
                };
                let request = ReadRequest {
                    client: client.as_ref(),
                    state: &state,
                    private: &private,
                };
                resource.read(request, &mut resp).await;
                diags.extend(resp.diagnostics);
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
                    let mut out = CreateResponse {
                        state: Value::Null,
                        private: private.clone(),
                        diagnostics: Diagnostics::default(),
                    };
                    let request = CreateRequest {
                        client: client.as_ref(),
                        planned: &planned,
                        cancel: &cancel,
                    };
                    resource.create(request, &mut out).await;
                    diags.extend(out.diagnostics);
                    (out.state, out.private)
                } else {
                    let mut out = UpdateResponse {
                        state: prior.clone(),
                        private: private.clone(),
                        diagnostics: Diagnostics::default(),
                    };
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
        if let Some((resource, _)) = self.resource(&req.type_name, &mut diags)
            && let Some(client) = self.client(&mut diags)
        {
            let mut out = ImportResponse::default();
            let request = ImportRequest {
                client: client.as_ref(),
                id: &req.id,
            };
            resource.import(request, &mut out).await;
            diags.extend(out.diagnostics);
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

/// The arguments of a call, decoded against the function's parameters.
fn arguments(
    definition: &crate::tfplugin::Definition,
    raw: &[pb::DynamicValue],
) -> Result<Vec<Value>, FunctionError> {
    let expected = definition.parameters.len();
    if raw.len() != expected {
        return Err(FunctionError {
            text: format!(
                "the function takes {expected} argument{}; got {}",
                if expected == 1 { "" } else { "s" },
                raw.len()
            ),
            argument: None,
        });
    }
    definition
        .parameters
        .iter()
        .zip(raw)
        .enumerate()
        .map(|(index, (parameter, dv))| {
            let decoded = if dv.msgpack.is_empty() {
                serde_json::from_slice(&dv.json)
                    .map_err(|e| value::DecodeError(e.to_string()))
                    .and_then(|json| value::from_json(&json, &parameter.ty))
            } else {
                value::from_msgpack(&dv.msgpack, &parameter.ty)
            };
            match decoded {
                Ok(Value::Null) if !parameter.allow_null => Err(FunctionError::argument(
                    index,
                    format!("`{}` must not be null", parameter.name),
                )),
                Ok(value) => Ok(value),
                Err(e) => Err(FunctionError::argument(
                    index,
                    format!("could not decode `{}`: {e}", parameter.name),
                )),
            }
        })
        .collect()
}

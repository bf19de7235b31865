//! The handlers of the provider-wide RPCs: metadata, schemas, validation,
//! state upgrades, configuration and functions ([`super::resource_handlers`]
//! has those that act on resources and data sources).

use std::sync::Arc;

use super::super::diagnostics::Diagnostics;
use super::super::proto::tfplugin6 as pb;
use super::super::schema::Block;
use super::super::value::{self, Value};
use super::conversion::{capabilities, decode, diags_to_pb, encode, function_to_pb, schema_to_pb};
use super::{ResourceType, Server, Typed};
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

    /// The provider configuration, decoded and checked by the provider.
    fn provider_config(&self, config: Option<&pb::DynamicValue>, diags: &mut Diagnostics) -> Value {
        let block = &self.provider_schema.block;
        let config = decode(config, block, "provider configuration", diags);
        if !diags.has_errors() {
            self.provider.validate(&config, diags);
        }
        config
    }

    pub(crate) fn validate_provider(
        &self,
        req: pb::validate_provider_config::Request,
    ) -> pb::validate_provider_config::Response {
        let mut diags = Diagnostics::default();
        self.provider_config(req.config.as_ref(), &mut diags);
        pb::validate_provider_config::Response {
            diagnostics: diags_to_pb(diags),
        }
    }

    /// Checks the configuration of a resource or data source type, which
    /// `lookup` finds by name; `check` is the type's own validation.
    pub(crate) fn validate_type<T: ?Sized>(
        &self,
        type_name: &str,
        config: Option<pb::DynamicValue>,
        lookup: impl for<'a> FnOnce(&'a Self, &str, &mut Diagnostics) -> Option<&'a Typed<T>>,
        check: impl FnOnce(&T, &Value, &mut Diagnostics),
    ) -> Vec<pb::Diagnostic> {
        let mut diags = Diagnostics::default();
        if let Some((typed, schema)) = lookup(self, type_name, &mut diags) {
            validate_config(
                config.as_ref(),
                &schema.block,
                &mut diags,
                |config, diags| check(typed, config, diags),
            );
        }
        diags_to_pb(diags)
    }

    pub(crate) fn upgrade_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> pb::upgrade_resource_state::Response {
        let mut diags = Diagnostics::default();
        let upgraded_state = self
            .resource(&req.type_name, &mut diags)
            .and_then(|resource| self.upgraded(resource, req, &mut diags));
        pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: diags_to_pb(diags),
        }
    }

    /// The stored state brought to the resource's schema version, or None
    /// with an error.
    fn upgraded(
        &self,
        (resource, schema): &ResourceType<P>,
        req: pb::upgrade_resource_state::Request,
        diags: &mut Diagnostics,
    ) -> Option<pb::DynamicValue> {
        let raw = req.raw_state.unwrap_or_default();
        if raw.json.is_empty() {
            diags.error(
                "Unsupported state format",
                "The stored state is in the legacy flatmap format, which this provider never \
                 wrote. Remove the resource from state and import it again.",
            );
            return None;
        }
        let json = serde_json::from_slice::<serde_json::Value>(&raw.json)
            .map_err(|e| {
                diags.error(
                    "Invalid stored state",
                    format!("The stored state is not valid JSON: {e}."),
                )
            })
            .ok()?;
        if req.version > schema.version {
            diags.error(
                "State written by a newer provider",
                format!(
                    "The state of this `{}` was written with schema version {}, but this \
                     provider knows version {}. Upgrade {}.",
                    req.type_name, req.version, schema.version, self.binary_name
                ),
            );
            return None;
        }
        let json = if req.version < schema.version {
            let upgraded = resource.upgrade_state(req.version, json);
            upgraded
                .map_err(|e| {
                    diags.error(
                        "Upgrading stored state",
                        format!(
                            "Upgrading `{}` state from version {}: {e}",
                            req.type_name, req.version
                        ),
                    )
                })
                .ok()?
        } else {
            json
        };
        match value::from_json(&json, &schema.block.value_type()) {
            Ok(v) => encode(&v),
            Err(e) => {
                diags.error(
                    "Invalid stored state",
                    format!(
                        "The stored state of this `{}` does not match its schema: {e}.",
                        req.type_name
                    ),
                );
                None
            }
        }
    }

    pub(crate) async fn configure(
        &self,
        req: pb::configure_provider::Request,
    ) -> pb::configure_provider::Response {
        let mut diags = Diagnostics::default();
        let config = self.provider_config(req.config.as_ref(), &mut diags);
        if !diags.has_errors()
            && let Some(client) = self.provider.configure(&config, &mut diags).await
        {
            *self.client.write().expect("client lock") = Some(Arc::new(client));
        }
        pb::configure_provider::Response {
            diagnostics: diags_to_pb(diags),
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

/// Decodes a configuration and, when it decodes, refuses values set for
/// read-only attributes before the resource's or data source's own checks.
fn validate_config(
    config: Option<&pb::DynamicValue>,
    block: &Block,
    diags: &mut Diagnostics,
    check: impl FnOnce(&Value, &mut Diagnostics),
) {
    let config = decode(config, block, "configuration", diags);
    if !diags.has_errors() {
        block.check_read_only(&config, diags);
        check(&config, diags);
    }
}

//! Conversions between protocol messages and the plain types handlers use:
//! values, diagnostics, attribute paths and schemas.

use super::super::diagnostics::{AttributePath, Diagnostics, PathStep, Severity};
use super::super::functions::{Definition, Parameter};
use super::super::proto::tfplugin6 as pb;
use super::super::schema::{Block, Mode, Nesting, Schema};
use super::super::value::{self, Value};

/// Several values of one request, each decoded against `block` and named
/// (e.g. "prior state") in the error when it does not decode.
pub(crate) fn decode_all<const N: usize>(
    values: [(Option<&pb::DynamicValue>, &str); N],
    block: &Block,
    diags: &mut Diagnostics,
) -> [Value; N] {
    values.map(|(dv, what)| decode(dv, block, what, diags))
}

pub(crate) fn decode(
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

pub(crate) fn encode(value: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: value::to_msgpack(value),
        json: Vec::new(),
    })
}

pub(crate) fn path_to_pb(path: &AttributePath) -> pb::AttributePath {
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

pub(crate) fn diags_to_pb(diags: Diagnostics) -> Vec<pb::Diagnostic> {
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

pub(crate) fn block_to_pb(block: &Block, version: i64) -> pb::schema::Block {
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

pub(crate) fn schema_to_pb(schema: &Schema) -> pb::Schema {
    pb::Schema {
        version: schema.version,
        block: Some(block_to_pb(&schema.block, schema.version)),
    }
}

fn parameter_to_pb(parameter: &Parameter) -> pb::function::Parameter {
    pb::function::Parameter {
        name: parameter.name.to_string(),
        r#type: parameter.ty.to_json().to_string().into_bytes(),
        allow_null_value: parameter.allow_null,
        // Terraform answers unknown for the call without asking.
        allow_unknown_values: false,
        description: parameter.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
    }
}

pub(crate) fn function_to_pb(definition: &Definition) -> pb::Function {
    pb::Function {
        parameters: definition.parameters.iter().map(parameter_to_pb).collect(),
        variadic_parameter: None,
        r#return: Some(pb::function::Return {
            r#type: definition.returns.to_json().to_string().into_bytes(),
        }),
        summary: definition.summary.clone(),
        description: definition.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecation_message: String::new(),
    }
}

pub(crate) fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: false,
        move_resource_state: false,
    }
}

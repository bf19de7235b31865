//! The Terraform plugin protocol (tfplugin6 over go-plugin). This module knows
//! nothing about AWS: a provider implements [`Provider`], [`Resource`],
//! [`DataSource`] and [`Function`] with plain values, and [`serve`] does the
//! rest.

mod diagnostics;
pub mod functions;
mod handshake;
mod listen;
pub mod model;
mod plan;
mod resource;
pub mod schema;
mod server;
mod tls;
pub mod value;

use async_trait::async_trait;

pub use diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
pub use functions::{CallRequest, CallResponse, Definition, Function, FunctionError, Parameter};
pub use handshake::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, serve};
pub use model::{Attr, Model, check_models};
pub use resource::{
    CreateRequest, CreateResponse, DataReadRequest, DataReadResponse, DataSource, DeleteRequest,
    DeleteResponse, ImportRequest, ImportResponse, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource, UpdateRequest, UpdateResponse,
};
pub use schema::{Attribute, Block, Mode, Nesting, Schema};
pub use value::{Type, Value};

#[allow(clippy::all, clippy::pedantic)]
pub mod proto {
    pub mod tfplugin6 {
        tonic::include_proto!("tfplugin6");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
}

/// A provider: its own configuration and the types it offers.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// What `configure` produces and every handler uses (e.g. API clients).
    type Client: Send + Sync + 'static;
    /// The plugin binary's name (`terraform-provider-<type>`): messages name
    /// it as what to upgrade or report a bug against, and the AutoMTLS
    /// certificate carries it.
    fn binary_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    async fn configure(&self, config: &Value, diags: &mut Diagnostics) -> Option<Self::Client>;
    fn resources(&self) -> Vec<Box<dyn Resource<Self::Client>>>;
    fn data_sources(&self) -> Vec<Box<dyn DataSource<Self::Client>>>;
    /// Provider-defined functions; they never see the configured client.
    fn functions(&self) -> Vec<Box<dyn Function>> {
        Vec::new()
    }
}

static NULL: Value = Value::Null;

impl Value {
    /// The attribute `name` of an object value; null when absent.
    pub fn get(&self, name: &str) -> &Value {
        match self {
            Value::Map(attrs) => attrs.get(name).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
    /// Sets attribute `name` of an object value.
    pub fn set(&mut self, name: &str, value: Value) {
        if let Value::Map(attrs) = self {
            attrs.insert(name.to_string(), value);
        }
    }
    /// A string attribute, when set and known.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).as_str()
    }
    /// A list or set of strings, skipping unknown and null elements.
    pub fn get_strings(&self, name: &str) -> Vec<String> {
        self.get(name)
            .as_list()
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }
    /// A map of strings, skipping unknown and null elements.
    pub fn get_string_map(&self, name: &str) -> std::collections::BTreeMap<String, String> {
        self.get(name)
            .as_map()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The single nested block `name` (Nesting::Single or a one-item list).
    pub fn get_block(&self, name: &str) -> Option<&Value> {
        match self.get(name) {
            Value::Null => None,
            Value::List(items) => items.first(),
            other => Some(other),
        }
    }
}

//! The Terraform plugin protocol (tfplugin6 over go-plugin). This module knows
//! nothing about AWS: a provider implements [`Provider`], [`Resource`],
//! [`DataSource`] and [`Function`] with plain values, and [`serve`] does the
//! rest.

mod diagnostics;
pub mod functions;
mod handshake;
mod listen;
mod plan;
pub mod schema;
mod server;
mod tls;
pub mod value;

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

pub use diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
pub use functions::{CallRequest, CallResponse, Definition, Function, FunctionError, Parameter};
pub use handshake::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, serve};
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

/// What a resource handler gets besides its values: the configured client
/// and a token that is cancelled when Terraform asks the provider to stop.
pub struct Ctx<C> {
    client: Option<Arc<C>>,
    pub cancel: CancellationToken,
}

impl<C> Ctx<C> {
    /// The configured provider client, or an error diagnostic when the
    /// provider has not been configured (Terraform always configures first).
    pub fn client(&self, diags: &mut Diagnostics) -> Option<&C> {
        if self.client.is_none() {
            diags.error(
                "Provider not configured",
                "The provider was asked to act before it was configured. This is a bug in the \
                 calling program; please report it.",
            );
        }
        self.client.as_deref()
    }
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

/// Terraform's request to plan a change, after the generic rules (defaults,
/// unknown computed values, requires-replace) have been applied to `planned`.
pub struct Plan<'a> {
    /// Null when the resource is being created.
    pub prior: &'a Value,
    pub config: &'a Value,
    /// The planned new state; resources fill in what they know at plan time.
    pub planned: Value,
    /// Attributes whose change replaces the resource.
    pub requires_replace: Vec<AttributePath>,
    pub private: Vec<u8>,
}

impl Plan<'_> {
    pub fn is_create(&self) -> bool {
        self.prior.is_null()
    }
}

/// A managed resource type.
#[async_trait]
pub trait Resource<C: Send + Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Checks a configuration, which may hold unknown values, at
    /// `terraform validate` and again at plan.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Completes a plan with what is known before apply.
    async fn plan(&self, _ctx: &Ctx<C>, _plan: &mut Plan<'_>, _diags: &mut Diagnostics) {}
    /// Creates the resource. On failure it returns what exists (or null) with
    /// an error, so the next apply converges.
    async fn create(
        &self,
        ctx: &Ctx<C>,
        planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value;
    /// Refreshes the state from the real world; null when the resource is gone.
    async fn read(
        &self,
        ctx: &Ctx<C>,
        state: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value;
    /// Brings the real world to the planned state.
    async fn update(
        &self,
        ctx: &Ctx<C>,
        prior: &Value,
        planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value;
    async fn delete(&self, ctx: &Ctx<C>, prior: &Value, private: &[u8], diags: &mut Diagnostics);
    /// The state for `terraform import`; it is then refreshed with `read`.
    async fn import(&self, ctx: &Ctx<C>, id: &str, diags: &mut Diagnostics) -> Value;
    /// Upgrades stored JSON state from an older schema version.
    fn upgrade_state(
        &self,
        version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        let _ = version;
        Ok(state)
    }
}

/// A data source type.
#[async_trait]
pub trait DataSource<C: Send + Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Computes the data source's state from its configuration.
    async fn read(&self, ctx: &Ctx<C>, config: &Value, diags: &mut Diagnostics) -> Value;
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

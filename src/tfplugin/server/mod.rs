//! The gRPC services Terraform talks to, by concern: [`conversion`] between
//! protocol messages and plain values, [`handlers`] for each RPC, [`grpc`]
//! (tfplugin6's `Provider` service, every handler guarded against panics) and
//! [`go_plugin`] (go-plugin's controller, stdio and broker).

mod conversion;
mod go_plugin;
mod grpc;
mod handlers;
mod resource_handlers;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use tokio_util::sync::CancellationToken;

use super::diagnostics::Diagnostics;
use super::schema::Schema;
use super::{DataSource, Definition, Function, Provider, Resource};

pub(crate) use go_plugin::PluginServices;
pub(crate) use grpc::ProviderService;

pub(crate) struct Server<P: Provider> {
    provider: P,
    /// The plugin binary's name, for messages that say what to upgrade or report.
    binary_name: &'static str,
    provider_schema: Schema,
    resources: BTreeMap<&'static str, ResourceType<P>>,
    data_sources: BTreeMap<&'static str, DataSourceType<P>>,
    functions: BTreeMap<&'static str, (Box<dyn Function>, Definition)>,
    client: RwLock<Option<Arc<P::Client>>>,
    /// Cancelled by StopProvider: work in flight winds down, the server stays up.
    stop: Mutex<CancellationToken>,
    /// Cancelled by GRPCController.Shutdown: the server exits.
    pub(crate) shutdown: CancellationToken,
}

impl<P: Provider> Server<P> {
    pub(crate) fn new(provider: P) -> Self {
        let resources = by_name(provider.resources(), |r| (r.type_name(), r.schema()));
        let data_sources = by_name(provider.data_sources(), |d| (d.type_name(), d.schema()));
        let functions = by_name(provider.functions(), |f| (f.name(), f.definition()));
        Server {
            binary_name: provider.binary_name(),
            provider_schema: provider.schema(),
            provider,
            resources,
            data_sources,
            functions,
            client: RwLock::new(None),
            stop: Mutex::new(CancellationToken::new()),
            shutdown: CancellationToken::new(),
        }
    }

    /// The configured client, or an error diagnostic when the provider has
    /// not been configured (Terraform always configures first).
    fn client(&self, diags: &mut Diagnostics) -> Option<Arc<P::Client>> {
        let client = self.client.read().expect("client lock").clone();
        if client.is_none() {
            diags.error(
                "Provider not configured",
                "The provider was asked to act before it was configured. This is a bug in the \
                 calling program; please report it.",
            );
        }
        client
    }

    /// Cancelled when Terraform asks the provider to stop.
    fn stop_token(&self) -> CancellationToken {
        self.stop.lock().expect("stop lock").clone()
    }

    fn resource(&self, name: &str, diags: &mut Diagnostics) -> Option<&ResourceType<P>> {
        known(&self.resources, "resource", name, diags)
    }

    fn data_source(&self, name: &str, diags: &mut Diagnostics) -> Option<&DataSourceType<P>> {
        known(&self.data_sources, "data source", name, diags)
    }
}

/// A resource or data source type with its schema.
type Typed<T> = (Box<T>, Schema);
type ResourceType<P> = Typed<dyn Resource<<P as Provider>::Client>>;
type DataSourceType<P> = Typed<dyn DataSource<<P as Provider>::Client>>;

/// The type named `type_name` of one kind (`resource`, `data source`), or an
/// error diagnostic when the provider has no such type.
fn known<'a, T: ?Sized>(
    types: &'a BTreeMap<&'static str, Typed<T>>,
    kind: &str,
    type_name: &str,
    diags: &mut Diagnostics,
) -> Option<&'a Typed<T>> {
    let found = types.get(type_name);
    if found.is_none() {
        diags.error(
            format!("Unknown {kind} type"),
            format!("This provider has no {kind} type `{type_name}`."),
        );
    }
    found
}

/// The provider's resources, data sources or functions by name, each with
/// what describes it (its schema or definition), computed once.
fn by_name<T: ?Sized, D>(
    items: Vec<Box<T>>,
    describe: impl Fn(&T) -> (&'static str, D),
) -> BTreeMap<&'static str, (Box<T>, D)> {
    items
        .into_iter()
        .map(|item| {
            let (name, description) = describe(&item);
            (name, (item, description))
        })
        .collect()
}

#[cfg(test)]
mod tests;

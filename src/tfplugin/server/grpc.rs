//! The tonic service for tfplugin6's `Provider`: every RPC goes through
//! [`guarded`], so a panic in a handler becomes an error diagnostic and one
//! bad request never takes the plugin down.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;
use tonic::{Request, Response, Status};

use super::super::diagnostics::Diagnostics;
use super::super::proto::tfplugin6 as pb;
use super::Server;
use super::conversion::diags_to_pb;
use crate::tfplugin::Provider;

/// Runs a handler; a panic inside it becomes an error diagnostic that names
/// `binary` as the program to report.
async fn guarded<T>(
    what: &str,
    binary: &str,
    fut: impl Future<Output = T>,
) -> Result<T, Vec<pb::Diagnostic>> {
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
                 This is a bug in {binary}; please report it with the \
                 configuration that caused it. Nothing further was changed by this request."
            ),
        );
        diags_to_pb(diags)
    })
}

fn unsupported(summary: &str, detail: &str) -> Vec<pb::Diagnostic> {
    let mut diags = Diagnostics::default();
    diags.error(summary, detail);
    diags_to_pb(diags)
}

pub(crate) struct ProviderService<P: Provider>(pub(crate) Arc<Server<P>>);

/// The `Provider` service, one entry per RPC: the method (which is also the
/// name of its messages' module in `pb`), then `|server, request|` and the
/// answer. With an RPC name, the answer is a future run through [`guarded`],
/// a panic answering with `diagnostics`; without, it is the response.
macro_rules! provider_service {
    ($($rpc:ident $($what:literal)? => |$server:tt, $req:tt| $answer:expr;)*) => {
        #[tonic::async_trait]
        impl<P: Provider> pb::provider_server::Provider for ProviderService<P> {
            $(
                // Some responses hold only diagnostics, others more: one
                // `..Default::default()` serves both.
                #[allow(clippy::needless_update)]
                async fn $rpc(
                    &self,
                    req: Request<pb::$rpc::Request>,
                ) -> Result<Response<pb::$rpc::Response>, Status> {
                    let $server = &self.0;
                    let $req = req.into_inner();
                    Ok(Response::new(provider_service!(@answer self, $rpc, $($what,)? $answer)))
                }
            )*
        }
    };
    (@answer $self:ident, $rpc:ident, $what:literal, $answer:expr) => {
        match guarded($what, $self.0.binary_name, $answer).await {
            Ok(resp) => resp,
            Err(diagnostics) => pb::$rpc::Response {
                diagnostics,
                ..Default::default()
            },
        }
    };
    (@answer $self:ident, $rpc:ident, $answer:expr) => {
        $answer
    };
}

provider_service! {
    get_provider_schema "GetProviderSchema" => |server, _| async { server.provider_schema() };
    validate_provider_config "ValidateProviderConfig" =>
        |server, req| async { server.validate_provider(req) };
    validate_resource_config "ValidateResourceConfig" => |server, req| async {
        let diagnostics = server.validate_type(&req.type_name, req.config, Server::resource,
            |resource, config, diags| resource.validate(config, diags));
        pb::validate_resource_config::Response { diagnostics }
    };
    validate_data_resource_config "ValidateDataResourceConfig" => |server, req| async {
        let diagnostics = server.validate_type(&req.type_name, req.config, Server::data_source,
            |data_source, config, diags| data_source.validate(config, diags));
        pb::validate_data_resource_config::Response { diagnostics }
    };
    upgrade_resource_state "UpgradeResourceState" =>
        |server, req| async { server.upgrade_state(req) };
    configure_provider "ConfigureProvider" => |server, req| server.configure(req);
    read_resource "ReadResource" => |server, req| server.read_resource(req);
    plan_resource_change "PlanResourceChange" => |server, req| server.plan_resource(req);
    apply_resource_change "ApplyResourceChange" => |server, req| server.apply_resource(req);
    import_resource_state "ImportResourceState" => |server, req| server.import_resource(req);
    read_data_source "ReadDataSource" => |server, req| server.read_data(req);
    get_functions "GetFunctions" => |server, _| async { server.get_functions() };
    get_metadata => |server, _| server.metadata();
    // No resource offers an identity yet; an empty map says so.
    get_resource_identity_schemas => |_, _| Default::default();
    upgrade_resource_identity => |_, req| pb::upgrade_resource_identity::Response {
        upgraded_identity: None,
        diagnostics: unsupported(
            "Resource identity not supported",
            &format!(
                "`{}` has no resource identity; import it by its id instead.",
                req.type_name
            ),
        ),
    };
    move_resource_state => |_, req| pb::move_resource_state::Response {
        diagnostics: unsupported(
            "Moving resource state is not supported",
            &format!(
                "`{}` cannot be moved to `{}`. Remove the old resource from state and import the new one.",
                req.source_type_name, req.target_type_name
            ),
        ),
        ..Default::default()
    };
    validate_ephemeral_resource_config => |_, req| {
        pb::validate_ephemeral_resource_config::Response {
            diagnostics: no_ephemeral(&req.type_name),
        }
    };
    open_ephemeral_resource => |_, req| pb::open_ephemeral_resource::Response {
        diagnostics: no_ephemeral(&req.type_name),
        ..Default::default()
    };
    renew_ephemeral_resource => |_, req| pb::renew_ephemeral_resource::Response {
        diagnostics: no_ephemeral(&req.type_name),
        ..Default::default()
    };
    close_ephemeral_resource => |_, req| pb::close_ephemeral_resource::Response {
        diagnostics: no_ephemeral(&req.type_name),
    };
    call_function => |server, req| call_function(server, req).await;
    stop_provider => |server, _| {
        tracing::info!("StopProvider: cancelling work in flight");
        server.stop.lock().expect("stop lock").cancel();
        pb::stop_provider::Response {
            error: String::new(),
        }
    };
}

/// Calls a function through [`guarded`]; a call answers with an error, not
/// diagnostics.
async fn call_function<P: Provider>(
    server: &Server<P>,
    req: pb::call_function::Request,
) -> pb::call_function::Response {
    let what = format!("CallFunction `{}`", req.name);
    let answer = guarded(&what, server.binary_name, async {
        server.call_function(req)
    })
    .await;
    answer.unwrap_or_else(|diagnostics| pb::call_function::Response {
        result: None,
        error: Some(pb::FunctionError {
            text: diagnostics
                .into_iter()
                .map(|d| d.detail)
                .collect::<Vec<_>>()
                .join("\n"),
            function_argument: None,
        }),
    })
}

fn no_ephemeral(type_name: &str) -> Vec<pb::Diagnostic> {
    unsupported(
        "Unknown ephemeral resource type",
        &format!("This provider has no ephemeral resource type `{type_name}`."),
    )
}

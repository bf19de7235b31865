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

/// Answers an RPC through [`guarded`], filling `diagnostics` on a panic.
macro_rules! answer {
    ($self:ident, $what:literal, $fut:expr, $resp:ty) => {
        Ok(Response::new(
            match guarded($what, $self.0.binary_name, $fut).await {
                Ok(resp) => resp,
                Err(diagnostics) => <$resp>::default().with_diagnostics(diagnostics),
            },
        ))
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
    pb::get_functions::Response,
);

fn unsupported(summary: &str, detail: &str) -> Vec<pb::Diagnostic> {
    let mut diags = Diagnostics::default();
    diags.error(summary, detail);
    diags_to_pb(diags)
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
            self,
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
            self,
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
            self,
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
            self,
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
            self,
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
            self,
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
            self,
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
            self,
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
            self,
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
            self,
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
            self,
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
        answer!(
            self,
            "GetFunctions",
            async { self.0.get_functions() },
            pb::get_functions::Response
        )
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let req = req.into_inner();
        let what = format!("CallFunction `{}`", req.name);
        let answer = guarded(&what, self.0.binary_name, async {
            self.0.call_function(req)
        })
        .await;
        // A call answers with an error, not diagnostics.
        Ok(Response::new(answer.unwrap_or_else(|diagnostics| {
            pb::call_function::Response {
                result: None,
                error: Some(pb::FunctionError {
                    text: diagnostics
                        .into_iter()
                        .map(|d| d.detail)
                        .collect::<Vec<_>>()
                        .join("\n"),
                    function_argument: None,
                }),
            }
        })))
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

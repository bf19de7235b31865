//! go-plugin's own services: the controller (shutdown), stdio and broker.

use std::pin::Pin;

use futures::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::super::proto::plugin as go_plugin;

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

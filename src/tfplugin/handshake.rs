//! go-plugin's side of starting a plugin: check the magic cookie, listen
//! (a unix socket in a private directory, see `listen`), set up AutoMTLS,
//! print the handshake line and serve.

use std::io::Write;
use std::sync::Arc;

use base64::Engine;
use tonic::transport::Server as GrpcServer;

use super::Provider;
use super::listen::Listener;
use super::proto::plugin as go_plugin;
use super::proto::tfplugin6 as pb;
use super::server::{PluginServices, ProviderService, Server};
use super::tls;

/// Terraform's handshake: a plugin started without this is being run by hand.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

const CORE_PROTOCOL_VERSION: u32 = 1;
const APP_PROTOCOL_VERSION: u32 = 6;

type Error = tls::Error;

/// Serves `provider` until Terraform shuts it down.
pub async fn serve<P: Provider>(provider: P) -> Result<(), Error> {
    check_protocol_versions()?;
    tls::install_default_crypto();
    let listener = Listener::bind()?;

    let binary_name = provider.binary_name();
    let server = Arc::new(Server::new(provider));
    let shutdown = server.shutdown.clone();
    ignore_interrupts();
    stop_on_terminate(shutdown.clone());

    let plugin = || PluginServices {
        shutdown: shutdown.clone(),
    };
    let router = GrpcServer::builder()
        .add_service(pb::provider_server::ProviderServer::new(ProviderService(
            server,
        )))
        .add_service(go_plugin::grpc_controller_server::GrpcControllerServer::new(plugin()))
        .add_service(go_plugin::grpc_stdio_server::GrpcStdioServer::new(plugin()))
        .add_service(go_plugin::grpc_broker_server::GrpcBrokerServer::new(
            plugin(),
        ))
        .add_service(health_service().await);

    // Dropping `incoming` (when serving ends) closes the listener and
    // removes the socket with its directory.
    let client_cert = std::env::var("PLUGIN_CLIENT_CERT").unwrap_or_default();
    let stopped = shutdown.clone().cancelled_owned();
    // Connections still open once asked to stop get a grace period; then the
    // server is dropped anyway, and with it the socket and its directory.
    let grace_over = async {
        shutdown.cancelled().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    if client_cert.is_empty() {
        // Plain gRPC, as Terraform asks with TF_DISABLE_PLUGIN_TLS: the
        // private socket directory is then the only protection.
        announce(&listener, "");
        let incoming = listener.incoming(|conn| async move { Ok(conn) });
        tokio::select! {
            served = router.serve_with_incoming_shutdown(incoming, stopped) => served?,
            () = grace_over => tracing::debug!("connections still open after the grace period"),
        }
    } else {
        let (config, server_der) = tls::server_config(&client_cert, binary_name)?;
        announce(
            &listener,
            &base64::engine::general_purpose::STANDARD_NO_PAD.encode(server_der),
        );
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let incoming = listener.incoming(move |conn| acceptor.accept(conn));
        tokio::select! {
            served = router.serve_with_incoming_shutdown(incoming, stopped) => served?,
            () = grace_over => tracing::debug!("connections still open after the grace period"),
        }
    }
    tracing::debug!("server stopped");
    Ok(())
}

/// How long connections may take to close once the plugin is asked to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// SIGTERM (a CI runner cancelling a job, `kill`, a container stopping)
/// stops the plugin as GRPCController.Shutdown does: serving ends and the
/// socket with its private directory is removed, instead of the process
/// dying with them left behind.
#[cfg(unix)]
fn stop_on_terminate(shutdown: tokio_util::sync::CancellationToken) {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::spawn(async move {
                if terminate.recv().await.is_some() {
                    tracing::debug!("SIGTERM: stopping");
                    shutdown.cancel();
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot handle SIGTERM"),
    }
}

#[cfg(not(unix))]
fn stop_on_terminate(_shutdown: tokio_util::sync::CancellationToken) {}

/// Go-plugin clients list the protocol versions they speak; we speak 6.
fn check_protocol_versions() -> Result<(), Error> {
    match std::env::var("PLUGIN_PROTOCOL_VERSIONS") {
        Ok(versions) if !versions.is_empty() => {
            let speaks_6 = versions
                .split(',')
                .any(|v| v.trim() == APP_PROTOCOL_VERSION.to_string());
            if speaks_6 {
                Ok(())
            } else {
                Err(format!(
                    "this provider speaks plugin protocol 6, but the client offers only {versions}; \
                     use Terraform 1.0 or later, or OpenTofu"
                )
                .into())
            }
        }
        _ => Ok(()),
    }
}

fn announce(listener: &Listener, cert: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{}|{}|grpc|{cert}",
        listener.network, listener.address
    );
    let _ = stdout.flush();
}

/// go-plugin clients may health-check the `plugin` service.
async fn health_service()
-> tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health> {
    let (reporter, service) = tonic_health::server::health_reporter();
    reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    service
}

/// Terraform sends SIGINT to the whole process group on Ctrl-C and then asks
/// the provider to stop over gRPC; like go-plugin, the plugin ignores the
/// signal so that the work in flight can end cleanly.
#[cfg(unix)]
fn ignore_interrupts() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::interrupt()) {
        Ok(mut interrupts) => {
            tokio::spawn(async move {
                while interrupts.recv().await.is_some() {
                    tracing::debug!("ignoring SIGINT; Terraform will send StopProvider");
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot ignore SIGINT"),
    }
}

#[cfg(not(unix))]
fn ignore_interrupts() {
    tokio::spawn(async {
        while tokio::signal::ctrl_c().await.is_ok() {
            tracing::debug!("ignoring Ctrl-C; Terraform will send StopProvider");
        }
    });
}

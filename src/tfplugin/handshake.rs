//! go-plugin's side of starting a plugin: check the magic cookie, listen on a
//! loopback port, set up AutoMTLS, print the handshake line and serve.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

use base64::Engine;
use tokio_stream::wrappers::{ReceiverStream, TcpListenerStream};
use tonic::transport::Server as GrpcServer;

use super::Provider;
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
    let listener = listen()?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;

    let binary_name = provider.binary_name();
    let server = Arc::new(Server::new(provider));
    let shutdown = server.shutdown.clone();
    ignore_interrupts();

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

    let client_cert = std::env::var("PLUGIN_CLIENT_CERT").unwrap_or_default();
    let stopped = shutdown.clone().cancelled_owned();
    if client_cert.is_empty() {
        announce(addr, "");
        router
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), stopped)
            .await?;
    } else {
        let (config, server_der) = tls::server_config(&client_cert, binary_name)?;
        announce(
            addr,
            &base64::engine::general_purpose::STANDARD_NO_PAD.encode(server_der),
        );
        let incoming = accept_tls(listener, config);
        router
            .serve_with_incoming_shutdown(incoming, stopped)
            .await?;
    }
    tracing::debug!("server stopped");
    Ok(())
}

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

/// Binds 127.0.0.1 on the first free port in [PLUGIN_MIN_PORT, PLUGIN_MAX_PORT].
fn listen() -> Result<TcpListener, Error> {
    let port = |name: &str, default: u16| -> Result<u16, Error> {
        match std::env::var(name) {
            Ok(v) if !v.is_empty() => v
                .parse()
                .map_err(|_| format!("{name}={v} is not a port number").into()),
            _ => Ok(default),
        }
    };
    let min = port("PLUGIN_MIN_PORT", 0)?;
    let max = port("PLUGIN_MAX_PORT", 0)?;
    if min == 0 && max == 0 {
        return Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?);
    }
    let (min, max) = (min.max(1), if max == 0 { u16::MAX } else { max });
    (min..=max)
        .find_map(|p| TcpListener::bind((Ipv4Addr::LOCALHOST, p)).ok())
        .ok_or_else(|| {
            format!("no free port between PLUGIN_MIN_PORT={min} and PLUGIN_MAX_PORT={max}").into()
        })
}

fn announce(addr: SocketAddr, cert: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|{addr}|grpc|{cert}"
    );
    let _ = stdout.flush();
}

/// Completes TLS handshakes off the accept loop; a client that fails the
/// handshake (wrong certificate) is dropped without disturbing the others.
fn accept_tls(
    listener: tokio::net::TcpListener,
    config: Arc<rustls::ServerConfig>,
) -> ReceiverStream<Result<tokio_rustls::server::TlsStream<tokio::net::TcpStream>, std::io::Error>>
{
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio::spawn(async move {
        loop {
            let (tcp, peer) = match listener.accept().await {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection");
                    continue;
                }
            };
            let acceptor = acceptor.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                match acceptor.accept(tcp).await {
                    Ok(tls) => {
                        let _ = tx.send(Ok(tls)).await;
                    }
                    Err(e) => tracing::warn!(%peer, error = %e, "TLS handshake refused"),
                }
            });
        }
    });
    ReceiverStream::new(rx)
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

//! Protocol: start the built binary as Terraform does (magic cookie, AutoMTLS
//! client certificate) and drive it over gRPC, on the unix socket it
//! announces.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use terraform_provider_clusteriam::tfplugin::proto::plugin::{
    Empty, grpc_controller_client::GrpcControllerClient,
};
use terraform_provider_clusteriam::tfplugin::proto::tfplugin6::{
    self as pb, DynamicValue, call_function, get_functions, get_metadata, get_provider_schema,
    provider_client::ProviderClient, stop_provider,
};
use terraform_provider_clusteriam::tfplugin::value::{self, Type, Value};
use terraform_provider_clusteriam::tfplugin::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use tonic::transport::{Channel, Endpoint};

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-clusteriam");

/// A client certificate shaped like the one go-plugin makes for Terraform.
struct ClientIdentity {
    pem: String,
    der: Vec<u8>,
    key_der: Vec<u8>,
}

fn client_identity() -> ClientIdentity {
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let cert = params.self_signed(&key).unwrap();
    ClientIdentity {
        pem: cert.pem(),
        der: cert.der().to_vec(),
        key_der: key.serialize_der(),
    }
}

/// The running plugin; killed when dropped, also when a test fails.
struct Plugin {
    child: Child,
    /// The unix socket from the handshake line.
    socket: PathBuf,
    server_cert: Vec<u8>,
    /// Where the plugin makes its socket directory (`PLUGIN_UNIX_SOCKET_DIR`
    /// or `TMPDIR`), so that a killed plugin leaves nothing behind.
    _parent: tempfile::TempDir,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Plugin {
    /// Waits for the plugin to exit by itself and asserts it succeeded.
    async fn assert_exits(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "plugin exited with {status}");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "plugin did not exit after Shutdown (or SIGTERM)"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// How the plugin is started.
#[derive(Default)]
struct Start<'a> {
    client_cert_pem: Option<&'a str>,
    /// Name the socket directory's parent with TMPDIR instead of
    /// go-plugin's PLUGIN_UNIX_SOCKET_DIR.
    via_tmpdir: bool,
    /// Run under this soft limit of open files (`ulimit -n`).
    open_files: Option<u32>,
    /// Write the plugin's log (TF_LOG=WARN) to this file.
    log: Option<&'a Path>,
}

fn start_plugin(client_cert_pem: Option<&str>) -> Plugin {
    start(Start {
        client_cert_pem,
        ..Start::default()
    })
}

fn start(how: Start) -> Plugin {
    let parent = tempfile::tempdir().unwrap();
    let mut cmd = match how.open_files {
        Some(n) => {
            let mut sh = Command::new("sh");
            sh.args(["-c", &format!("ulimit -n {n} && exec \"$0\""), BINARY]);
            sh
        }
        None => Command::new(BINARY),
    };
    cmd.env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("TF_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if how.via_tmpdir {
        cmd.env_remove("PLUGIN_UNIX_SOCKET_DIR")
            .env("TMPDIR", parent.path());
    } else {
        cmd.env("PLUGIN_UNIX_SOCKET_DIR", parent.path());
    }
    if let Some(pem) = how.client_cert_pem {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    if let Some(log) = how.log {
        cmd.env("TF_LOG", "WARN")
            .stderr(std::fs::File::create(log).unwrap());
    }
    let mut child = cmd.spawn().expect("starting the plugin");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("handshake line");
    let parts: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line `{line}`");
    assert_eq!(&parts[..3], ["1", "6", "unix"], "handshake line `{line}`");
    assert_eq!(parts[4], "grpc");
    let socket = PathBuf::from(parts[3]);
    assert!(
        socket.starts_with(parent.path()),
        "socket `{}` is not under {}",
        socket.display(),
        parent.path().display()
    );
    let server_cert = if how.client_cert_pem.is_some() {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(parts[5])
            .expect("certificate in unpadded base64")
    } else {
        assert_eq!(parts[5], "", "a plaintext start announces no certificate");
        Vec::new()
    };
    Plugin {
        child,
        socket,
        server_cert,
        _parent: parent,
    }
}

/// Trusts exactly the certificate the plugin printed, as go-plugin does.
#[derive(Debug)]
struct PinnedServer(Vec<u8>, rustls::crypto::WebPkiSupportedAlgorithms);

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "unexpected server certificate".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.1)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.1)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.1.supported_schemes()
    }
}

async fn connect(
    plugin: &Plugin,
    identity: Option<&ClientIdentity>,
) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(
            plugin.server_cert.clone(),
            provider.signature_verification_algorithms,
        )));
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(id.der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(id.key_der.clone())),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let socket = plugin.socket.clone();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            let socket = socket.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                let tls = connector
                    .connect(ServerName::try_from("localhost").unwrap(), stream)
                    .await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        }))
        .await
}

/// Plain gRPC on the plugin's socket, as Terraform talks with TF_DISABLE_PLUGIN_TLS.
async fn connect_plaintext(plugin: &Plugin) -> Result<Channel, tonic::transport::Error> {
    let socket = plugin.socket.clone();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let socket = socket.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(stream))
            }
        }))
        .await
}

/// The uid of this test process, as the owner of a file it creates.
fn our_uid() -> u32 {
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().metadata().unwrap().uid()
}

#[test]
fn run_by_hand_it_explains_itself_and_exits_non_zero() {
    let out = Command::new(BINARY)
        .env_remove(MAGIC_COOKIE_KEY)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("This binary is a plugin for Terraform and OpenTofu"),
        "{text}"
    );
    assert!(text.contains("terraform init"), "{text}");
}

#[test]
fn refuses_a_client_that_speaks_only_protocol_5() {
    let out = Command::new(BINARY)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("speaks plugin protocol 6"));
}

#[tokio::test]
async fn schema_over_mutual_tls_then_stop_and_shutdown() {
    let identity = client_identity();
    let mut plugin = start_plugin(Some(&identity.pem));
    let channel = connect(&plugin, Some(&identity))
        .await
        .expect("mTLS connection");
    let mut provider = ProviderClient::new(channel.clone());

    let schema = provider
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    let block = schema.provider.unwrap().block.unwrap();
    let attr = |name: &str| {
        block
            .attributes
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("no `{name}`"))
    };
    for name in [
        "region",
        "profile",
        "access_key",
        "max_retries",
        "skip_credentials_validation",
        "propagation_timeout",
    ] {
        assert!(!attr(name).sensitive, "{name} should not be sensitive");
    }
    assert!(attr("secret_key").sensitive && attr("token").sensitive);
    let blocks: Vec<&str> = block
        .block_types
        .iter()
        .map(|b| b.type_name.as_str())
        .collect();
    for name in ["assume_role", "endpoints", "default_tags"] {
        assert!(blocks.contains(&name), "missing block {name}");
    }
    for name in ["clusteriam_policy_document", "clusteriam_eks_cluster_oidc"] {
        let ds = &schema.data_source_schemas[name];
        for a in &ds.block.as_ref().unwrap().attributes {
            assert!(
                a.description.ends_with('.'),
                "{name}.{} needs a full-sentence description",
                a.name
            );
        }
    }
    for a in &block.attributes {
        assert!(
            a.description.ends_with('.'),
            "provider `{}` needs a full-sentence description",
            a.name
        );
    }

    // StopProvider cancels work in flight but the server keeps answering.
    provider
        .stop_provider(stop_provider::Request {})
        .await
        .expect("StopProvider");
    provider
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("still serving after StopProvider");

    // GRPCController.Shutdown ends the process cleanly, and it removes
    // its socket and the socket's directory, as go-plugin does.
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("Shutdown");
    plugin.assert_exits().await;
    let dir = plugin.socket.parent().unwrap();
    assert!(
        !dir.exists(),
        "the plugin left its socket directory {} behind",
        dir.display()
    );
}

#[tokio::test]
async fn a_client_without_terraforms_certificate_is_refused() {
    let identity = client_identity();
    let plugin = start_plugin(Some(&identity.pem));

    let anonymous = connect(&plugin, None).await;
    let refused = match anonymous {
        Err(_) => true,
        Ok(channel) => ProviderClient::new(channel)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(refused, "a client without a certificate was served");

    let stranger = client_identity();
    let other = connect(&plugin, Some(&stranger)).await;
    let refused = match other {
        Err(_) => true,
        Ok(channel) => ProviderClient::new(channel)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(refused, "a client with another certificate was served");

    // Terraform's own certificate still works after those attempts.
    let channel = connect(&plugin, Some(&identity))
        .await
        .expect("mTLS connection");
    ProviderClient::new(channel)
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema");
}

#[tokio::test]
async fn a_plaintext_start_is_answered_on_a_unix_socket_in_a_private_directory() {
    // No PLUGIN_CLIENT_CERT: what Terraform does with TF_DISABLE_PLUGIN_TLS=1,
    // or anyone who starts the binary with the cookie. Only the directory's
    // owner may reach the socket.
    let mut plugin = start(Start {
        via_tmpdir: true,
        ..Start::default()
    });
    let dir = plugin.socket.parent().unwrap().to_path_buf();
    let meta = std::fs::metadata(&dir).unwrap();
    assert!(meta.is_dir());
    assert_eq!(
        meta.permissions().mode() & 0o7777,
        0o700,
        "socket directory {} has mode {:o}",
        dir.display(),
        meta.permissions().mode() & 0o7777
    );
    assert_eq!(meta.uid(), our_uid(), "the socket directory is not ours");
    assert_ne!(
        dir,
        plugin._parent.path(),
        "the socket must be in a directory of its own, not directly in TMPDIR"
    );

    let channel = connect_plaintext(&plugin)
        .await
        .expect("plaintext connection");
    ProviderClient::new(channel.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema over the socket");
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("Shutdown");
    plugin.assert_exits().await;
    assert!(!dir.exists(), "the plugin left {} behind", dir.display());
}

/// Review finding 9: SIGTERM (a CI runner cancelling the job, `kill`, a
/// container stopping) left `tfplugin-*/plugin.sock` behind. The plugin
/// stops as Shutdown stops it, with Terraform's connection still open, and
/// removes its socket and the socket's directory.
#[tokio::test]
async fn sigterm_stops_the_plugin_and_removes_its_socket() {
    let mut plugin = start(Start {
        via_tmpdir: true,
        ..Start::default()
    });
    let dir = plugin.socket.parent().unwrap().to_path_buf();
    let channel = connect_plaintext(&plugin)
        .await
        .expect("plaintext connection");
    ProviderClient::new(channel.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema over the socket");
    let sent = Command::new("kill")
        .args(["-TERM", &plugin.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    plugin.assert_exits().await;
    assert!(
        !dir.exists(),
        "after SIGTERM the plugin left {} behind",
        dir.display()
    );
    drop(channel);
}

#[test]
fn refuses_a_unix_socket_group_it_would_not_honour() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BINARY)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("PLUGIN_UNIX_SOCKET_DIR", dir.path())
        .env("PLUGIN_UNIX_SOCKET_GROUP", "staff")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("PLUGIN_UNIX_SOCKET_GROUP"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// CPU time (user + system) the process has used so far, from /proc.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line, in clock ticks (100 per second).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

#[tokio::test]
async fn the_listener_survives_200_idle_connections_and_still_answers_terraform() {
    // Under a low limit of open files, like the reproduction in issue 20:
    // connections that never start a handshake must neither exhaust the
    // listener, nor spin the CPU on failed accepts, nor flood the log.
    let identity = client_identity();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("plugin.log");
    let plugin = start(Start {
        client_cert_pem: Some(&identity.pem),
        open_files: Some(32),
        log: Some(&log),
        ..Start::default()
    });
    let pid = plugin.child.id();
    let before = cpu_time(pid);

    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(
            tokio::net::UnixStream::connect(&plugin.socket)
                .await
                .expect("an idle connection"),
        );
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    // Terraform's client, while all 200 are still open.
    let started = Instant::now();
    let schema = tokio::time::timeout(Duration::from_secs(8), async {
        let channel = connect(&plugin, Some(&identity)).await?;
        ProviderClient::new(channel)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .map_err(|e| -> Box<dyn std::error::Error> { Box::new(e) })
    })
    .await;
    assert!(
        matches!(schema, Ok(Ok(_))),
        "Terraform's client was not answered within 8s of 200 idle connections: {schema:?}"
    );
    let answered_in = started.elapsed();

    let used = cpu_time(pid) - before;
    let log_size = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    println!(
        "answered in {answered_in:?}; CPU used during the flood: {used:?}; log: {log_size} bytes"
    );
    assert!(
        used < Duration::from_secs(2),
        "the listener burnt {used:?} of CPU on 200 idle connections"
    );
    assert!(
        log_size < 16 * 1024,
        "200 idle connections wrote {log_size} bytes of log:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    drop(idle);
}

const FUNCTIONS: [&str; 6] = [
    "cluster_tag_key",
    "irsa_trust",
    "oidc_provider_arn",
    "policy_document",
    "service_account_manifest",
    "validate_policy",
];

/// GetProviderSchema as a client from before protocol 6.5 (Terraform 1.7
/// and earlier) reads it: without the `functions` field (7).
#[derive(Clone, PartialEq, prost::Message)]
struct SchemaResponseBeforeFunctions {
    #[prost(message, optional, tag = "1")]
    provider: Option<pb::Schema>,
    #[prost(map = "string, message", tag = "2")]
    resource_schemas: std::collections::HashMap<String, pb::Schema>,
    #[prost(map = "string, message", tag = "3")]
    data_source_schemas: std::collections::HashMap<String, pb::Schema>,
    #[prost(message, repeated, tag = "4")]
    diagnostics: Vec<pb::Diagnostic>,
}

fn string_argument(text: &str) -> DynamicValue {
    DynamicValue {
        msgpack: value::to_msgpack(&Value::string(text)),
        json: Vec::new(),
    }
}

async fn call(
    provider: &mut ProviderClient<Channel>,
    name: &str,
    arguments: &[&str],
) -> call_function::Response {
    provider
        .call_function(call_function::Request {
            name: name.to_string(),
            arguments: arguments.iter().map(|a| string_argument(a)).collect(),
        })
        .await
        .expect("CallFunction")
        .into_inner()
}

#[tokio::test]
async fn functions_are_advertised_and_called_without_configuring() {
    let identity = client_identity();
    let plugin = start_plugin(Some(&identity.pem));
    let channel = connect(&plugin, Some(&identity))
        .await
        .expect("mTLS connection");
    let mut provider = ProviderClient::new(channel);

    let metadata = provider
        .get_metadata(get_metadata::Request {})
        .await
        .expect("GetMetadata")
        .into_inner();
    let mut names: Vec<&str> = metadata.functions.iter().map(|f| f.name.as_str()).collect();
    names.sort();
    assert_eq!(names, FUNCTIONS);

    let schema = provider
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    let functions = provider
        .get_functions(get_functions::Request {})
        .await
        .expect("GetFunctions")
        .into_inner()
        .functions;
    assert_eq!(schema.functions, functions, "one list, advertised twice");
    let mut names: Vec<&str> = functions.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, FUNCTIONS);
    let irsa = &functions["irsa_trust"];
    assert!(irsa.summary.ends_with('.') && irsa.description.ends_with('.'));
    let parameters: Vec<&str> = irsa.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        parameters,
        ["oidc_provider_arn", "namespace", "service_account"]
    );
    assert_eq!(irsa.r#return.as_ref().unwrap().r#type, br#""string""#);
    assert_eq!(
        functions["policy_document"].parameters[1].r#type,
        br#"["map","string"]"#
    );

    // A client that predates functions reads the same schema, skipping them.
    let bytes = prost::Message::encode_to_vec(&schema);
    let old: SchemaResponseBeforeFunctions =
        prost::Message::decode(bytes.as_slice()).expect("an older client decodes the schema");
    assert_eq!(old.resource_schemas, schema.resource_schemas);
    assert_eq!(old.data_source_schemas, schema.data_source_schemas);
    assert_eq!(old.provider, schema.provider);

    // Called on a provider that was never configured.
    let answer = call(&mut provider, "cluster_tag_key", &["prod"]).await;
    assert_eq!(answer.error, None);
    let result = value::from_msgpack(&answer.result.unwrap().msgpack, &Type::String).unwrap();
    assert_eq!(result, Value::string("kubernetes.io/cluster/prod"));

    let answer = call(
        &mut provider,
        "irsa_trust",
        &[
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X",
            "Not_A_Namespace",
            "sa",
        ],
    )
    .await;
    let error = answer.error.expect("an error");
    assert_eq!(error.function_argument, Some(1), "names `namespace`");
    assert!(
        error.text.starts_with("`namespace` must be"),
        "{}",
        error.text
    );

    let error = call(&mut provider, "cluster_tag_key", &["a", "b"])
        .await
        .error
        .expect("an error");
    assert_eq!(error.text, "the function takes 1 argument; got 2");
    let error = call(&mut provider, "no_such_function", &[])
        .await
        .error
        .expect("an error");
    assert_eq!(
        error.text,
        "this provider has no function `no_such_function`"
    );
}

//! Protocol: start the built binary as Terraform does (magic cookie, AutoMTLS
//! client certificate) and drive it over gRPC.

use std::io::{BufRead, BufReader};
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
    address: String,
    server_cert: Vec<u8>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_plugin(client_cert_pem: Option<&str>) -> Plugin {
    let mut cmd = Command::new(BINARY);
    cmd.env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_MIN_PORT", "20000")
        .env("PLUGIN_MAX_PORT", "29999")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(pem) = client_cert_pem {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    let mut child = cmd.spawn().expect("starting the plugin");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("handshake line");
    let parts: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line `{line}`");
    assert_eq!(&parts[..3], ["1", "6", "tcp"], "handshake line `{line}`");
    assert_eq!(parts[4], "grpc");
    let port: u16 = parts[3]
        .strip_prefix("127.0.0.1:")
        .expect("loopback address")
        .parse()
        .unwrap();
    assert!(
        (20000..=29999).contains(&port),
        "port {port} outside PLUGIN_MIN_PORT..PLUGIN_MAX_PORT"
    );
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(parts[5])
        .expect("certificate in unpadded base64");
    Plugin {
        child,
        address: parts[3].to_string(),
        server_cert,
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
    let address = plugin.address.clone();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            let address = address.clone();
            async move {
                let tcp = tokio::net::TcpStream::connect(address).await?;
                let tls = connector
                    .connect(ServerName::try_from("localhost").unwrap(), tcp)
                    .await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        }))
        .await
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

    // GRPCController.Shutdown ends the process cleanly.
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("Shutdown");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = plugin.child.try_wait().unwrap() {
            assert!(status.success(), "plugin exited with {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "plugin did not exit after Shutdown"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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

const FUNCTIONS: [&str; 5] = [
    "cluster_tag_key",
    "irsa_trust",
    "oidc_provider_arn",
    "policy_document",
    "service_account_manifest",
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

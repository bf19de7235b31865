//! Building SDK clients from the provider settings, the way the AWS provider
//! does: explicit settings first, then the standard `AWS_*` environment,
//! shared config files and the rest of the default credential chain. The
//! `assume_role` credentials are in `credentials`, the shared files are read
//! in `profiles`.

use std::time::Duration;

use aws_config::identity::IdentityCache;
use aws_config::retry::RetryMode;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use super::actions::STS_GET_CALLER_IDENTITY;
use super::call::sdk_call;
use super::client::Aws;
use super::endpoint;
pub use super::endpoint::Endpoints;
use super::error::AwsError;
use super::intercept::Hooked;
use super::log::{LogCalls, LogRetries};
use super::snapshot::Bulk;
use super::{pacing, retry};

mod credentials;
mod profiles;

use credentials::{AssumeRoleCredentials, credentials_problem};
use profiles::{load_profiles, profile_files};

/// The provider block, as plain data.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub shared_config_files: Vec<String>,
    pub shared_credentials_files: Vec<String>,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
    pub assume_role: Option<AssumeRole>,
    pub endpoints: Endpoints,
    /// Allow `http://` endpoints on hosts other than this machine.
    pub allow_http_endpoints: bool,
    pub max_retries: Option<u32>,
    pub skip_credentials_validation: bool,
    pub propagation_timeout: Duration,
    /// When refresh reads use the account's bulk read.
    pub bulk_reads: super::snapshot::BulkReads,
}

#[derive(Clone, Debug, Default)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration: Option<Duration>,
}

/// Why the provider could not connect; the provider turns each into a
/// diagnostic on the attribute to fix.
#[derive(Debug)]
pub enum ConnectError {
    NoRegion,
    /// The profile named by `profile` or AWS_PROFILE is in none of the files.
    NoProfile {
        name: String,
        /// Whether `profile` named it (else AWS_PROFILE).
        from_setting: bool,
        files: String,
        found: Vec<String>,
    },
    /// The shared config or credentials files could not be read.
    ProfileFiles(String),
    NoCredentials(String),
    AssumeRole(String),
    /// The STS endpoint could not be reached at all.
    Unreachable(String),
    /// Something answered at the STS endpoint, but not as AWS does.
    NotAws(String),
    /// STS answered, and refused the credentials.
    InvalidCredentials(AwsError),
    /// An endpoint would carry credentials in plain HTTP to another machine;
    /// `setting` says where it was set.
    PlainHttpEndpoint {
        setting: String,
        url: String,
        /// The proxy on another machine that would carry it.
        proxy: Option<endpoint::ProxyInUse>,
    },
    /// STS answered with another error (throttled on every attempt, 5xx).
    Sts(AwsError),
}

/// A service client on the shared config with the provider's retry policy
/// (its own partition without a retry quota, configuration mistakes not
/// retried), its logging, and its pacing once throttled (every call of the
/// client shares it: all of one provider configuration's calls to the
/// service). `noting changes`: the client sets `changes` when a call would
/// change something in AWS (see [`super::bulk`]).
macro_rules! client {
    ($sdk:ident, $config:expr, $endpoint:expr, $service:literal $(, noting $changes:expr)?) => {{
        let pacer = pacing::Pacer::new($service);
        let builder = $sdk::config::Builder::from($config);
        $(let builder = builder.interceptor(Hooked($changes.clone()));)?
        let mut builder = builder
            .retry_partition(retry::partition(concat!("clusteriam-", $service)))
            .retry_classifier(retry::FailFast)
            .interceptor(Hooked(retry::ExplainFailures))
            .interceptor(Hooked(LogCalls))
            .interceptor(Hooked(LogRetries))
            .interceptor(Hooked(pacing::NoticeThrottling(pacer.clone())));
        let http = $config.http_client().unwrap_or_else(https_client);
        builder = builder.http_client(pacing::PacedHttpClient::new(http, pacer));
        if let Some(url) = $endpoint {
            builder = builder.endpoint_url(url);
        }
        $sdk::Client::from_conf(builder.build())
    }};
}

/// The longest an AssumeRole (all its attempts) may take.
const ASSUME_ROLE_TIMEOUT: Duration = Duration::from_secs(300);

/// Resolves credentials and, unless skipped, asks STS who we are, once.
pub async fn connect(settings: &Settings) -> Result<Aws, ConnectError> {
    let profiles = load_profiles(settings).await?;
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &settings.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if !settings.shared_config_files.is_empty() || !settings.shared_credentials_files.is_empty() {
        loader = loader.profile_files(profile_files(settings));
    }
    if let (Some(access_key), Some(secret_key)) = (&settings.access_key, &settings.secret_key) {
        loader = loader.credentials_provider(Credentials::new(
            access_key,
            secret_key,
            settings.token.clone(),
            None,
            "clusteriam-provider-block",
        ));
    }
    // `max_retries`, else the standard AWS_MAX_ATTEMPTS / profile
    // `max_attempts`, else 25 retries: every client, the configure-time STS
    // call and the assume-role session included.
    let setting = |env: &str, key: &str| {
        std::env::var(env)
            .ok()
            .or_else(|| profiles.get(key).map(str::to_string))
    };
    let aws_max_attempts =
        setting("AWS_MAX_ATTEMPTS", "max_attempts").and_then(|n| n.trim().parse().ok());
    let mode = match setting("AWS_RETRY_MODE", "retry_mode").as_deref() {
        Some(mode) if mode.trim().eq_ignore_ascii_case("adaptive") => RetryMode::Adaptive,
        _ => RetryMode::Standard,
    };
    loader = loader.retry_config(retry::retry_config(
        retry::max_attempts(settings.max_retries, aws_max_attempts),
        mode,
    ));
    let mut config = loader.load().await;
    let Some(region) = config.region().map(|r| r.to_string()) else {
        return Err(ConnectError::NoRegion);
    };
    // Before the first request: resolving credentials may call STS.
    if !settings.allow_http_endpoints {
        endpoint::check(&settings.endpoints, &config).map_err(|refused| {
            ConnectError::PlainHttpEndpoint {
                setting: refused.setting,
                url: refused.url,
                proxy: refused.proxy,
            }
        })?;
    }

    if let Some(assume) = &settings.assume_role {
        let provider = AssumeRoleCredentials {
            // The base credentials, through a client with the provider's retry policy.
            sts: sts_client(&config, settings.endpoints.sts.as_deref()),
            assume: assume.clone(),
        };
        config = config
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            // AssumeRole is an STS call with the provider's retries: under
            // throttling it can take minutes, not the 5 s the SDK's
            // credentials cache allows a load by default.
            .identity_cache(
                IdentityCache::lazy()
                    .load_timeout(ASSUME_ROLE_TIMEOUT)
                    .build(),
            )
            .build();
    }

    let Some(credentials) = config.credentials_provider() else {
        return Err(ConnectError::NoCredentials(
            "no credential provider is configured".into(),
        ));
    };
    if let Err(e) = credentials.provide_credentials().await {
        let detail = credentials_problem(&e);
        return Err(if settings.assume_role.is_some() {
            ConnectError::AssumeRole(detail)
        } else {
            ConnectError::NoCredentials(detail)
        });
    }

    let endpoints = &settings.endpoints;
    let bulk = Bulk::new(settings.bulk_reads);
    let iam = client!(aws_sdk_iam, &config, endpoints.iam.as_deref(), "iam", noting bulk.changes());
    let sts = sts_client(&config, endpoints.sts.as_deref());
    let ec2 = client!(aws_sdk_ec2, &config, endpoints.ec2.as_deref(), "ec2", noting bulk.changes());
    let eks = eks_client(&config, endpoints.eks.as_deref());

    let (partition, account_id) = if settings.skip_credentials_validation {
        (crate::arn::partition_for_region(&region).to_string(), None)
    } else {
        // The retry policy applies here too: STS throttles like any other
        // service, and failing the whole run on one throttled call at
        // configuration would make `max_retries` useless. A configuration
        // mistake (nothing listening, not AWS) still fails at once.
        let identity = sdk_call(
            &STS_GET_CALLER_IDENTITY,
            "the caller",
            sts.get_caller_identity().send(),
        )
        .await;
        match identity {
            Ok(identity) => {
                let arn = identity.arn().unwrap_or_default();
                let partition = arn.split(':').nth(1).filter(|p| !p.is_empty());
                (
                    partition.map_or_else(
                        || crate::arn::partition_for_region(&region).to_string(),
                        str::to_string,
                    ),
                    identity.account().map(str::to_string),
                )
            }
            Err(e) => {
                let answered = matches!(e, aws_sdk_sts::error::SdkError::ServiceError(_));
                let err = AwsError::from(e);
                return Err(match err.code() {
                    None if answered => ConnectError::NotAws(err.message),
                    None => ConnectError::Unreachable(err.message),
                    Some(code) if is_credentials_refusal(code) => {
                        ConnectError::InvalidCredentials(err)
                    }
                    Some(_) => ConnectError::Sts(err),
                });
            }
        }
    };

    Ok(Aws {
        iam,
        eks,
        ec2,
        region,
        partition,
        account_id,
        propagation_timeout: settings.propagation_timeout,
        account_summary: Default::default(),
        bulk,
    })
}

/// The HTTPS client the SDK would use, built as the SDK builds its default
/// (rustls on AWS-LC, proxy settings from the environment). A loaded
/// `SdkConfig` carries no HTTP client unless one was given, and pacing must
/// wrap the one that sends.
fn https_client() -> SharedHttpClient {
    use aws_smithy_http_client::{Builder, ConnectorBuilder, proxy::ProxyConfig, tls};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

pub(super) fn sts_client(config: &SdkConfig, endpoint: Option<&str>) -> aws_sdk_sts::Client {
    client!(aws_sdk_sts, config, endpoint, "sts")
}

fn eks_client(config: &SdkConfig, endpoint: Option<&str>) -> aws_sdk_eks::Client {
    client!(aws_sdk_eks, config, endpoint, "eks")
}

/// STS codes that mean the credentials themselves were refused.
fn is_credentials_refusal(code: &str) -> bool {
    matches!(
        code,
        "InvalidClientTokenId"
            | "SignatureDoesNotMatch"
            | "IncompleteSignature"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "InvalidAccessKeyId"
            | "InvalidToken"
            | "MissingAuthenticationToken"
            | "UnrecognizedClientException"
            | "AccessDenied"
            | "AuthFailure"
    )
}

//! Building SDK clients from the provider settings, the way the AWS provider
//! does: explicit settings first, then the standard `AWS_*` environment,
//! shared config files and the rest of the default credential chain.

use std::time::Duration;

use aws_config::BehaviorVersion;
#[allow(deprecated)]
// the replacement types live in aws-runtime, which aws-config does not re-export
use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

use super::actions::STS_GET_CALLER_IDENTITY;
use super::log::LogCalls;
use super::{Aws, AwsError, call};

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
}

#[derive(Clone, Debug, Default)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration: Option<Duration>,
}

#[derive(Clone, Debug, Default)]
pub struct Endpoints {
    pub iam: Option<String>,
    pub sts: Option<String>,
    pub ec2: Option<String>,
    pub eks: Option<String>,
}

/// Why the provider could not connect; the provider turns each into a
/// diagnostic on the attribute to fix.
#[derive(Debug)]
pub enum ConnectError {
    NoRegion,
    NoCredentials(String),
    AssumeRole(String),
    /// The STS endpoint could not be reached at all.
    Unreachable(String),
    /// STS answered, and refused the credentials.
    InvalidCredentials(AwsError),
    /// An endpoint would carry credentials in plain HTTP to another machine;
    /// `setting` says where it was set.
    PlainHttpEndpoint {
        setting: String,
        url: String,
    },
}

const DEFAULT_SESSION_NAME: &str = "terraform-provider-clusteriam";

/// Resolves credentials and, unless skipped, asks STS who we are, once.
pub async fn connect(settings: &Settings) -> Result<Aws, ConnectError> {
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
    if let Some(max_retries) = settings.max_retries {
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(max_retries + 1));
    }
    let mut config = loader.load().await;
    let Some(region) = config.region().map(|r| r.to_string()) else {
        return Err(ConnectError::NoRegion);
    };
    // Before the first request: resolving credentials may call STS.
    super::endpoint::check(settings, &config)?;

    if let Some(assume) = &settings.assume_role {
        let mut base = config.to_builder();
        if let Some(sts) = &settings.endpoints.sts {
            base = base.endpoint_url(sts);
        }
        let mut provider = AssumeRoleProvider::builder(&assume.role_arn).session_name(
            assume
                .session_name
                .as_deref()
                .unwrap_or(DEFAULT_SESSION_NAME),
        );
        if let Some(external_id) = &assume.external_id {
            provider = provider.external_id(external_id);
        }
        if let Some(duration) = assume.duration {
            provider = provider.session_length(duration);
        }
        let provider = provider.configure(&base.build()).build().await;
        config = config
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build();
    }

    let Some(credentials) = config.credentials_provider() else {
        return Err(ConnectError::NoCredentials(
            "no credential provider is configured".into(),
        ));
    };
    if let Err(e) = credentials.provide_credentials().await {
        let detail = aws_sdk_sts::error::DisplayErrorContext(&e).to_string();
        return Err(if settings.assume_role.is_some() {
            ConnectError::AssumeRole(detail)
        } else {
            ConnectError::NoCredentials(detail)
        });
    }

    let endpoints = &settings.endpoints;
    let iam = aws_sdk_iam::Client::from_conf(
        with_endpoint(
            aws_sdk_iam::config::Builder::from(&config).interceptor(LogCalls),
            endpoints.iam.as_deref(),
            |b, u| b.endpoint_url(u),
        )
        .build(),
    );
    let sts = aws_sdk_sts::Client::from_conf(
        with_endpoint(
            aws_sdk_sts::config::Builder::from(&config).interceptor(LogCalls),
            endpoints.sts.as_deref(),
            |b, u| b.endpoint_url(u),
        )
        .build(),
    );
    let ec2 = aws_sdk_ec2::Client::from_conf(
        with_endpoint(
            aws_sdk_ec2::config::Builder::from(&config).interceptor(LogCalls),
            endpoints.ec2.as_deref(),
            |b, u| b.endpoint_url(u),
        )
        .build(),
    );
    let eks = aws_sdk_eks::Client::from_conf(
        with_endpoint(
            aws_sdk_eks::config::Builder::from(&config).interceptor(LogCalls),
            endpoints.eks.as_deref(),
            |b, u| b.endpoint_url(u),
        )
        .build(),
    );

    let (partition, account_id) = if settings.skip_credentials_validation {
        (crate::arn::partition_for_region(&region).to_string(), None)
    } else {
        // The configured retries apply here too: STS throttles like any other
        // service, and failing the whole run on one throttled call at
        // configuration would make `max_retries` useless. An unreachable
        // endpoint still fails after those few attempts.
        let identity = call(
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
            Err(err) => {
                // STS answered (with a code) and refused the credentials; or it
                // could not be reached at all.
                return Err(if err.code.is_some() {
                    ConnectError::InvalidCredentials(err)
                } else {
                    ConnectError::Unreachable(err.message)
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
    })
}

#[allow(deprecated)] // the replacement types live in aws-runtime, which aws-config does not re-export
fn profile_files(settings: &Settings) -> ProfileFiles {
    let mut files = ProfileFiles::builder();
    for path in &settings.shared_config_files {
        files = files.with_file(ProfileFileKind::Config, path);
    }
    for path in &settings.shared_credentials_files {
        files = files.with_file(ProfileFileKind::Credentials, path);
    }
    files.build()
}

fn with_endpoint<B>(builder: B, endpoint: Option<&str>, set: impl FnOnce(B, &str) -> B) -> B {
    match endpoint {
        Some(url) => set(builder, url),
        None => builder,
    }
}

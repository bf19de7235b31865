//! The retry policy of every AWS call the provider makes, and the failures
//! no retry can fix.
//!
//! - 25 retries by default, like the AWS provider: IAM and STS throttle per
//!   account, and a refresh of a large state is a burst of hundreds of calls,
//!   so throttling is the normal case, not a fault.
//! - The SDK's standard strategy: exponential backoff with full jitter, from
//!   1 s doubling up to 20 s (the AWS provider's cap).
//! - No client-side retry quota. The standard strategy keeps a token bucket
//!   per service and region (500 tokens; a retry costs 5, a timeout 10, and
//!   only a first-attempt success earns 1 back), so a burst of throttled calls
//!   drains it and then fails calls that still have attempts left ("not
//!   enough retry quota"). The AWS provider dropped that quota after its
//!   users hit the same failure. `the_sdks_retry_quota_runs_dry_...` in
//!   `retry/tests.rs` shows both.
//! - Configuration mistakes fail at once whatever `max_retries` says: a
//!   connection that cannot be made (refused, a host name that does not
//!   resolve, TLS) and an answer that is not AWS's (an HTML page, an error
//!   without an AWS error code), server errors aside. Throttling, 5xx and a
//!   connection dropped mid-request are what the retries are for.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use aws_sdk_iam::config::retry::{RetryConfig, RetryMode, RetryPartition, TokenBucket};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    FinalizerInterceptorContextMut, InterceptorContext,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::error::display::DisplayErrorContext;

/// Retries per call when neither `max_retries` nor the standard
/// `AWS_MAX_ATTEMPTS` / profile `max_attempts` says otherwise: the AWS provider's.
pub const DEFAULT_MAX_RETRIES: u32 = 25;
const INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait between two attempts (the AWS provider's cap).
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// Attempts per call: `max_retries` + 1, else `AWS_MAX_ATTEMPTS` or the
/// profile's `max_attempts` (which count attempts, not retries), else the default.
pub fn max_attempts(max_retries: Option<u32>, aws_max_attempts: Option<u32>) -> u32 {
    max_retries
        .map(|retries| retries + 1)
        .or(aws_max_attempts)
        .unwrap_or(DEFAULT_MAX_RETRIES + 1)
        .max(1)
}

/// The standard strategy (or adaptive, when `AWS_RETRY_MODE` asks for it)
/// with our attempts and backoff.
pub fn retry_config(max_attempts: u32, mode: RetryMode) -> RetryConfig {
    RetryConfig::standard()
        .with_retry_mode(mode)
        .with_max_attempts(max_attempts)
        .with_initial_backoff(INITIAL_BACKOFF)
        .with_max_backoff(MAX_BACKOFF)
}

/// A retry partition of the service's own with no retry quota: every call
/// gets all its attempts, however many other calls are being throttled.
pub fn partition(service: &'static str) -> RetryPartition {
    RetryPartition::custom(service)
        .token_bucket(TokenBucket::unlimited())
        .build()
}

/// Why a call failed in a way no retry can fix.
#[derive(Debug, Clone, PartialEq)]
pub enum Mistake {
    /// The connection could not be made: refused, an unknown host, TLS.
    NoConnection(String),
    /// Something answered, but not as AWS answers.
    NotAws { status: u16, html: bool },
}

impl fmt::Display for Mistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mistake::NoConnection(why) => f.write_str(why),
            Mistake::NotAws { status, html } => write!(
                f,
                "answered HTTP {status} with {}",
                if *html {
                    "an HTML page"
                } else {
                    "no AWS error code"
                }
            ),
        }
    }
}

/// The configuration mistake behind an attempt's failure, if it was one.
pub fn mistake(ctx: &InterceptorContext) -> Option<Mistake> {
    if let Some(Err(err)) = ctx.output_or_error()
        && let Some(connector) = err.as_connector_error()
    {
        return connection_failure(connector).map(Mistake::NoConnection);
    }
    not_aws(ctx.response()?)
}

/// A connection that could not be made, said in words; None for failures
/// a retry can fix (timeouts, a connection lost after it was made).
fn connection_failure(err: &ConnectorError) -> Option<String> {
    if err.is_timeout() {
        return None;
    }
    let connecting = chain(err).any(|e| {
        e.downcast_ref::<hyper_util::client::legacy::Error>()
            .is_some_and(hyper_util::client::legacy::Error::is_connect)
    });
    // A connect timeout is a slow or lossy network, which a retry may get through.
    let timed_out = chain(err).any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || e.to_string().contains("timeout")
    });
    if !connecting || timed_out {
        return None;
    }
    Some(describe_cause(err))
}

/// The cause of a failure (mostly of a connection) in a few words, without
/// the SDK's and hyper's debug output.
pub fn describe_cause(err: &(dyn StdError + 'static)) -> String {
    for e in chain(err) {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return "the connection was refused (nothing listens there)".into();
                }
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    return "the connection was closed without an answer".into();
                }
                _ => {}
            }
        }
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return format!("the TLS handshake failed: {tls}");
        }
        let text = e.to_string();
        if text.starts_with("dns error") || text.contains("failed to lookup address") {
            return "the host name does not resolve (DNS)".into();
        }
    }
    // The innermost error is the most specific; the outer ones are wrappers.
    chain(err)
        .last()
        .map_or_else(|| err.to_string(), |e| e.to_string())
}

fn chain<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |e: &&'a (dyn StdError + 'static)| (*e).source())
}

/// An answer that is not AWS's: an HTML page, or an error without an AWS
/// error code. Server errors (500, 502, 503, 504) are left to the retries
/// whatever their body: a server or gateway in front of AWS answers them,
/// often as HTML, when it is overloaded, and that passes.
fn not_aws(response: &HttpResponse) -> Option<Mistake> {
    let status = response.status().as_u16();
    if (500..=504).contains(&status) {
        return None;
    }
    let html = looks_like_html(response);
    let codeless_error = status >= 400 && aws_error_code(response).is_none();
    (html || codeless_error).then_some(Mistake::NotAws { status, html })
}

pub fn looks_like_html(response: &HttpResponse) -> bool {
    let Some(body) = response.body().bytes() else {
        return false;
    };
    let start: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(16)
        .map(u8::to_ascii_lowercase)
        .collect();
    start.starts_with(b"<!doctype html") || start.starts_with(b"<html")
}

/// The AWS error code of an error answer, read the way each protocol sends
/// it: the `x-amzn-ErrorType` header (REST/JSON), `<Code>` (query and EC2
/// XML), or `__type` / `code` in a JSON body.
pub fn aws_error_code(response: &HttpResponse) -> Option<String> {
    if let Some(kind) = response.headers().get("x-amzn-errortype") {
        return Some(kind.split(':').next().unwrap_or(kind).to_string());
    }
    let body = std::str::from_utf8(response.body().bytes()?).ok()?;
    if let Some(start) = body.find("<Code>") {
        let rest = &body[start + "<Code>".len()..];
        return rest
            .find("</Code>")
            .map(|end| rest[..end].trim().to_string());
    }
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    ["__type", "code", "Code"].iter().find_map(|key| {
        let kind = json.get(key)?.as_str()?;
        Some(kind.rsplit('#').next().unwrap_or(kind).to_string())
    })
}

/// The message of an error answer, read as [`aws_error_code`] reads the
/// code: `<Message>` (XML, entities decoded) or `message` / `Message` in a
/// JSON body.
pub fn aws_error_message(response: &HttpResponse) -> Option<String> {
    let body = std::str::from_utf8(response.body().bytes()?).ok()?;
    if let Some(start) = body.find("<Message>") {
        let rest = &body[start + "<Message>".len()..];
        let text = &rest[..rest.find("</Message>")?];
        return Some(
            text.trim()
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
    }
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    ["message", "Message"]
        .iter()
        .find_map(|key| Some(json.get(key)?.as_str()?.to_string()))
}

/// Why an attempt failed, in a few words for the retry log: the HTTP status
/// and AWS error code, or what happened to the connection.
pub fn attempt_failure(
    response: Option<&HttpResponse>,
    err: &OrchestratorError<aws_smithy_runtime_api::client::interceptors::context::Error>,
) -> String {
    if let Some(response) = response {
        let status = response.status().as_u16();
        return match aws_error_code(response) {
            Some(code) => format!("HTTP {status} {code}"),
            None => format!("HTTP {status}"),
        };
    }
    match err.as_connector_error() {
        Some(connector) if connector.is_timeout() => "timeout".into(),
        Some(connector) => describe_cause(connector),
        None if err.is_timeout_error() => "timeout".into(),
        None => err.to_string(),
    }
}

/// Forbids retrying a configuration mistake. Runs after the SDK's own
/// classifiers, so it overrides their "retry a 500" or "retry an I/O error".
#[derive(Debug)]
pub struct FailFast;

impl ClassifyRetry for FailFast {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match mistake(ctx) {
            Some(_) => RetryAction::RetryForbidden,
            None => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "configuration mistakes fail fast"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Headers this process adds to a failed answer, so that the error made
/// from it can name the endpoint and the attempts (the SDK's error types
/// carry neither, and a response's extensions cannot be read back).
pub const ENDPOINT_HEADER: &str = "x-clusteriam-endpoint";
pub const SERVICE_HEADER: &str = "x-clusteriam-service";
pub const ATTEMPTS_HEADER: &str = "x-clusteriam-attempts";

/// The endpoint a call went to, e.g. `https://iam.amazonaws.com`.
#[derive(Debug, Clone)]
struct Endpoint(String);

impl Storable for Endpoint {
    type Storer = StoreReplace<Self>;
}

/// Makes a failed call's error say where it went and how often it was
/// tried: a failed answer gets [`ENDPOINT_HEADER`] and [`ATTEMPTS_HEADER`];
/// (and [`SERVICE_HEADER`]); a failed connection becomes a [`CallFailed`]
/// with the cause in words.
#[derive(Debug)]
pub struct ExplainFailures;

impl super::intercept::Hooks for ExplainFailures {
    const NAME: &'static str = "ExplainFailures";

    fn before_transmit(&self, request: &HttpRequest, cfg: &mut ConfigBag) {
        // The endpoint as resolved (what `endpoints` set, path included: a
        // wrong path is a common mistake), else where the request went.
        let endpoint = cfg
            .load::<aws_smithy_types::endpoint::Endpoint>()
            .map(|e| e.url().trim_end_matches('/').to_string())
            .unwrap_or_else(|| origin(request.uri()).to_string());
        cfg.interceptor_state().store_put(Endpoint(endpoint));
    }

    fn before_completion(&self, context: &mut FinalizerInterceptorContextMut<'_>, cfg: &ConfigBag) {
        if !matches!(context.output_or_error(), Some(Err(_))) {
            return;
        }
        let endpoint = cfg.load::<Endpoint>().map(|e| e.0.clone());
        let attempts = super::intercept::attempts(cfg);
        let service = super::intercept::operation(cfg)
            .map_or_else(|| "AWS".to_string(), |(service, _)| service.to_string());
        if let Some(response) = context.response_mut() {
            let headers = response.headers_mut();
            if let Some(endpoint) = &endpoint {
                let _ = headers.try_insert(ENDPOINT_HEADER, endpoint.clone());
            }
            let _ = headers.try_insert(SERVICE_HEADER, service);
            let _ = headers.try_insert(ATTEMPTS_HEADER, attempts.to_string());
            return;
        }
        if let Some(Err(err)) = context.output_or_error_mut()
            && let Some(connector) = err.as_connector_error()
        {
            let failed = CallFailed {
                service,
                endpoint,
                attempts,
                mistake: connection_failure(connector).is_some(),
                cause: describe_cause(connector),
                detail: DisplayErrorContext(connector).to_string(),
            };
            let source: BoxError = Box::new(failed);
            *err = OrchestratorError::connector(if connector.is_timeout() {
                ConnectorError::timeout(source)
            } else {
                ConnectorError::io(source)
            });
        }
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(uri: &str) -> &str {
    let start = uri.find("://").map_or(0, |i| i + 3);
    let end = uri[start..].find('/').map_or(uri.len(), |i| start + i);
    &uri[..end]
}

/// A call whose connection failed, in words; the SDK's own error text is
/// kept in `detail` for the debug log.
#[derive(Debug)]
pub struct CallFailed {
    /// The service as the SDK names it: `IAM`, `STS`, `EC2`, `EKS`.
    pub service: String,
    pub endpoint: Option<String>,
    pub attempts: u32,
    /// The connection could not be made at all (not retried).
    pub mistake: bool,
    pub cause: String,
    pub detail: String,
}

impl fmt::Display for CallFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoint = self.endpoint.as_deref().unwrap_or("(unknown)");
        if self.mistake {
            write!(
                f,
                "could not connect to the {} endpoint `{endpoint}`: {}",
                self.service, self.cause
            )
        } else {
            write!(
                f,
                "the connection to the {} endpoint `{endpoint}` failed on all {} attempts: {}",
                self.service, self.attempts, self.cause
            )
        }
    }
}

impl StdError for CallFailed {}

#[cfg(test)]
pub(super) mod tests;

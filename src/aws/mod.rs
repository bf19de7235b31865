//! The only place that talks to AWS: SDK clients built from the provider
//! settings (every call on the retry policy of `retry`), the caller's
//! identity, and typed finders that report NotFound as a value. No SDK type
//! leaves this module.

mod account;
pub mod actions;
mod bulk;
mod connect;
mod ec2;
mod eks;
mod endpoint;
mod iam_policy;
mod iam_tags;
mod instance_profile;
mod intercept;
mod log;
mod oidc;
mod pacing;
pub mod permissions;
mod retry;
mod role;
mod service_linked_role;
mod vpc;

use std::fmt;
use std::time::Duration;

pub use account::AccountSummary;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
pub use bulk::{AUTO_AFTER_READS, BulkReads};

pub use connect::{AssumeRole, ConnectError, Endpoints, Settings, connect};
pub use ec2::ResourceTag;
pub use endpoint::{PLAIN_HTTP_REMEDY, PROXY_REMEDY, ProxyInUse, is_plain_http_to_another_host};
pub use iam_policy::{MAX_POLICY_VERSIONS, ManagedPolicy, PolicyVersion};
pub use iam_tags::IamObject;
use log::Attempts;
pub use oidc::{OidcCreated, OidcProvider};
pub use role::{Creation, NewRole, ObservedProfile, ObservedRole, Profiles};
pub use service_linked_role::{Created, ServiceLinkedRole};
pub use vpc::{DnsAttribute, VpcDns};

/// Configured clients and who we are, shared by every resource.
pub struct Aws {
    iam: aws_sdk_iam::Client,
    eks: aws_sdk_eks::Client,
    ec2: aws_sdk_ec2::Client,
    pub region: String,
    /// Partition of the caller (`aws`, `aws-cn`, `aws-us-gov`); every ARN is built from it.
    pub partition: String,
    /// The caller's account; None when credential validation was skipped.
    pub account_id: Option<String>,
    /// How long to wait for IAM's eventual consistency after a change.
    pub propagation_timeout: Duration,
    /// GetAccountSummary's answer, once asked ([`Aws::account_summary`]).
    account_summary: tokio::sync::OnceCell<Result<AccountSummary, AwsError>>,
    /// The account's roles and policies read in bulk, for refreshes.
    bulk: bulk::Bulk,
}

/// An AWS API error, shown as ``Code: message``.
#[derive(Debug, Clone)]
pub struct AwsError {
    pub code: Option<String>,
    pub message: String,
}

impl AwsError {
    /// An EntityAlreadyExists of our own making, for an object found to
    /// exist where one was to be created.
    pub fn already_exists(message: String) -> Self {
        AwsError {
            code: Some("EntityAlreadyExists".into()),
            message,
        }
    }
    /// A NotFound of our own making, e.g. while waiting for IAM to show an object.
    pub fn not_found(message: String) -> Self {
        AwsError {
            code: Some("NoSuchEntity".into()),
            message,
        }
    }
    /// Work stopped because Terraform asked the provider to stop.
    pub fn cancelled() -> Self {
        AwsError {
            code: None,
            message: "Terraform asked the provider to stop (interrupt); run apply again to finish"
                .into(),
        }
    }
    /// A sentence telling the user what to do about this error, when the code says.
    pub fn remedy(&self) -> Option<&'static str> {
        match self.code.as_deref()? {
            code if is_denial(code) => Some(
                "The provider's credentials may not do this; the message names the missing \
                 action. Grant it to the caller (or to the role in `assume_role`) and apply again. \
                 The provider's permissions guide (docs/guides/permissions.md) lists the actions \
                 each resource needs, and a policy granting them.",
            ),
            "LimitExceeded" | "LimitExceededException" => Some(
                "An IAM quota of the account is reached; remove unused objects or ask AWS for a \
                 higher quota, then apply again.",
            ),
            "DeleteConflict" => Some(
                "Others still use the object (it is attached to users, groups or roles, or \
                 holds other objects); detach it from them, then apply again.",
            ),
            code if is_throttling(code) => Some(
                "AWS throttled this call on every attempt. Raise `max_retries` in the provider \
                 block (default 25), or run Terraform with a lower `-parallelism`, then run it \
                 again.",
            ),
            "TagLimitExceeded" => Some(
                "An AWS resource holds at most 50 tags; remove tags it no longer needs, then \
                 apply again.",
            ),
            _ => None,
        }
    }
    /// ``Code: message``, then the remedy when there is one: a diagnostic's detail.
    pub fn detail(&self) -> String {
        match self.remedy() {
            Some(remedy) => format!("{self}\n\n{remedy}"),
            None => self.to_string(),
        }
    }
    /// Says which action was refused, when AWS's message does not (EC2 says
    /// only "You are not authorized to perform this operation").
    fn naming_action(mut self, action: &str) -> Self {
        if self.code.as_deref().is_some_and(is_denial) && !self.message.contains(action) {
            self.message.push_str(&format!(" (action `{action}`)"));
        }
        self
    }
    /// IAM refused to create an object whose name is taken.
    pub fn is_already_exists(&self) -> bool {
        self.code.as_deref() == Some("EntityAlreadyExists")
    }
    /// AWS refused the call for its rate, on every attempt.
    pub fn is_throttled(&self) -> bool {
        self.code.as_deref().is_some_and(is_throttling)
    }
    /// AWS's deletion task of a service-linked role failed: the service
    /// still uses the role.
    pub fn is_deletion_task_failed(&self) -> bool {
        self.code.as_deref() == Some("DeletionTaskFailed")
    }
    pub fn is_not_found(&self) -> bool {
        match self.code.as_deref() {
            Some("NoSuchEntity" | "ResourceNotFoundException" | "NotFoundException") => true,
            // EC2 names the kind of object: InvalidVpcID.NotFound, ...
            Some(code) => code.ends_with(".NotFound"),
            None => false,
        }
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AwsError {}

impl<E> From<aws_sdk_iam::error::SdkError<E, HttpResponse>> for AwsError
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn from(err: aws_sdk_iam::error::SdkError<E, HttpResponse>) -> Self {
        use aws_sdk_iam::error::{DisplayErrorContext, SdkError};
        if let SdkError::ServiceError(service) = &err {
            return answer_error(service.err(), service.raw());
        }
        let failed = std::iter::successors(Some(&err as &(dyn std::error::Error + 'static)), |e| {
            e.source()
        })
        .find_map(|e| e.downcast_ref::<retry::CallFailed>());
        // The SDK's own text (debug dumps of connections, headers and bodies)
        // is for TF_LOG; the error says what happened in words.
        match failed {
            Some(failed) => tracing::debug!(error = %failed.detail, "AWS call failed"),
            None => tracing::debug!(error = %DisplayErrorContext(&err), "AWS call failed"),
        }
        let message = match failed {
            Some(failed) if failed.mistake => format!(
                "{failed}. Check `endpoints.{}` (if set), `region` and the network",
                failed.service.to_ascii_lowercase()
            ),
            Some(failed) => format!(
                "{failed}. Check the network; raise `max_retries` if it is only slow or flaky"
            ),
            None => match &err {
                SdkError::DispatchFailure(_)
                | SdkError::TimeoutError(_)
                | SdkError::ResponseError(_) => format!(
                    "could not reach the AWS endpoint: {}. Check the network and the `endpoints` \
                     and `region` settings",
                    retry::describe_cause(&err)
                ),
                _ => retry::describe_cause(&err),
            },
        };
        AwsError {
            code: None,
            message,
        }
    }
}

/// The tag that marks an IAM object as made by this provider, written in the
/// create call itself. Its value is unique to that create, so a retried
/// create can tell the object its own lost attempt made from one someone
/// else made meanwhile, and an import can tell an object a clusteriam
/// configuration created (owned) from one it found (adopted). It is never
/// shown in `tags` or `tags_all` and never removed.
pub const OWNERSHIP_TAG: &str = "clusteriam:created-by";

/// A new ownership mark, unique to one create (the tag's value).
pub fn new_ownership_mark() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState is seeded from the OS's random source: two of them give
    // 128 unpredictable bits without another crate.
    let half = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        h.finish()
    };
    format!(
        "terraform-provider-clusteriam/{:016x}{:016x}",
        half(1),
        half(2)
    )
}

/// Splits the ownership mark out of an object's tags.
fn split_ownership_mark(
    mut tags: std::collections::BTreeMap<String, String>,
) -> (std::collections::BTreeMap<String, String>, Option<String>) {
    let mark = tags.remove(OWNERSHIP_TAG);
    (tags, mark)
}

/// `tags` with the ownership mark added, for a create call.
fn with_ownership_mark(
    tags: &std::collections::BTreeMap<String, String>,
    mark: &str,
) -> std::collections::BTreeMap<String, String> {
    let mut all = tags.clone();
    all.insert(OWNERSHIP_TAG.to_string(), mark.to_string());
    all
}

/// Sends one AWS request that needs the IAM `action`: logs what it is about
/// (the SDK's interceptor logs its duration and attempts), and turns its
/// failure into an [`AwsError`].
pub(crate) async fn call<T, E>(
    action: &'static actions::Action,
    subject: impl fmt::Display,
    request: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, AwsError>
where
    AwsError: From<E>,
{
    tracing::debug!(
        action = action.name,
        "AWS request {}={subject}",
        action.object()
    );
    request
        .await
        .map_err(|e| AwsError::from(e).naming_action(action.name))
}

/// [`call`] for a request that removes something: an object that is already
/// gone counts as removed.
pub(crate) async fn remove<T, E>(
    action: &'static actions::Action,
    subject: impl fmt::Display,
    request: impl std::future::Future<Output = Result<T, E>>,
) -> Result<(), AwsError>
where
    AwsError: From<E>,
{
    match call(action, subject, request).await {
        Err(e) if !e.is_not_found() => Err(e),
        _ => Ok(()),
    }
}

/// AWS's codes for a call the credentials may not make.
fn is_denial(code: &str) -> bool {
    matches!(
        code,
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation"
    )
}

/// An error answer: `Code: message`, with the attempts when retries ran
/// out; an answer without an AWS error code is not from AWS at all.
fn answer_error(
    meta: &impl aws_sdk_iam::error::ProvideErrorMetadata,
    raw: &HttpResponse,
) -> AwsError {
    let header = |name| raw.headers().get(name);
    let status = raw.status().as_u16();
    let attempts: u32 = header(retry::ATTEMPTS_HEADER)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    // The SDK reads the code only where the protocol puts it; an answer
    // that carries one elsewhere (`<ErrorResponse><Errors><Error>`, sent
    // as `text/html` by some AWS-compatible endpoints) is still AWS's error.
    let (code, message) = match meta.code() {
        Some(code) => (Some(code.to_string()), meta.message().map(str::to_string)),
        None => (retry::aws_error_code(raw), retry::aws_error_message(raw)),
    };
    let Some(code) = code else {
        let service = header(retry::SERVICE_HEADER).unwrap_or("AWS");
        let mistake = retry::Mistake::NotAws {
            status,
            html: retry::looks_like_html(raw),
        };
        let every = if attempts > 1 {
            format!(" on all {attempts} attempts")
        } else {
            String::new()
        };
        return AwsError {
            code: None,
            message: format!(
                "the {service} endpoint `{}` {mistake}{every}: it is probably not an AWS API \
                 endpoint. Check `endpoints.{}` (if set) and `region`",
                header(retry::ENDPOINT_HEADER).unwrap_or("(unknown)"),
                service.to_ascii_lowercase()
            ),
        };
    };
    let mut message = message.unwrap_or_else(|| "no message".to_string());
    if attempts > 1 && (is_throttling(&code) || status >= 500) {
        message.push_str(&format!(" (all {attempts} attempts failed)"));
    }
    AwsError {
        code: Some(code),
        message,
    }
}

/// AWS's throttling codes, as the SDK's retry classifier knows them.
fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "RequestThrottled"
            | "SlowDown"
            | "EC2ThrottledException"
    )
}

/// [`call`] for a caller that needs the SDK's own error (to tell an answer
/// from no answer): logs the request and returns its result as it is.
pub(crate) async fn sdk_call<T, E>(
    action: &'static actions::Action,
    subject: impl fmt::Display,
    request: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    tracing::debug!(
        action = action.name,
        "AWS request {}={subject}",
        action.object()
    );
    request.await
}

/// Result of a lookup: `Ok(None)` when the object does not exist.
pub type Found<T> = Result<Option<T>, AwsError>;

fn found<T>(result: Result<T, AwsError>) -> Found<T> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

impl Aws {
    /// Retries `op` while `retryable` says IAM has not caught up yet, until
    /// `propagation_timeout`. Throttling and 5xx are the SDK's own retries.
    pub(crate) async fn retry_propagation<T, F, Fut>(
        &self,
        operation: &str,
        retryable: impl Fn(&AwsError) -> bool,
        op: F,
    ) -> Result<T, AwsError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, AwsError>>,
    {
        retry_until(self.propagation_timeout, operation, retryable, op).await
    }
}

/// Runs `op` until it succeeds, fails in a way `retryable` rejects, or the
/// next wait would pass `timeout`; waits double from 250 ms up to 5 s.
async fn retry_until<T, F, Fut>(
    timeout: Duration,
    operation: &str,
    retryable: impl Fn(&AwsError) -> bool,
    mut op: F,
) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsError>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    let mut delay = Duration::from_millis(250);
    loop {
        match op().await {
            Err(e) if retryable(&e) && tokio::time::Instant::now() + delay < deadline => {
                tracing::debug!(operation, error = %e, delay_ms = delay.as_millis() as u64, "waiting for IAM to propagate");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests;

//! One AWS request: what it needs (its IAM action), the log line that says
//! what it is about, and its failure as an [`AwsError`]; and the wait for
//! IAM's eventual consistency.

use std::fmt;
use std::time::Duration;

use super::actions;
use super::client::Aws;
use super::error::{AwsError, Found};

/// Sends one AWS request that needs the IAM `action`: logs what it is about
/// (the SDK's interceptor logs its duration and attempts), and turns its
/// failure into an [`AwsError`].
pub(super) async fn call<T, E>(
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
pub(super) async fn remove<T, E>(
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

/// [`call`] for a caller that needs the SDK's own error (to tell an answer
/// from no answer): logs the request and returns its result as it is.
pub(super) async fn sdk_call<T, E>(
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

    /// [`call`] for a request IAM can refuse until it has caught up with an
    /// object made moments ago: `request` is sent again while `not_yet` says
    /// so, until `propagation_timeout` ([`Aws::retry_propagation`]).
    pub(super) async fn call_when_visible<T, E, Fut>(
        &self,
        action: &'static actions::Action,
        subject: &str,
        not_yet: impl Fn(&AwsError) -> bool,
        request: impl Fn() -> Fut,
    ) -> Result<(), AwsError>
    where
        Fut: std::future::Future<Output = Result<T, E>>,
        AwsError: From<E>,
    {
        // `iam:CreateRole` waits as `CreateRole` in the log.
        let operation = action
            .name
            .split_once(':')
            .map_or(action.name, |(_, op)| op);
        self.retry_propagation(operation, not_yet, || call(action, subject, request()))
            .await
            .map(drop)
    }

    /// Reads `what` until IAM shows it (`read` answers `Some`), until
    /// `propagation_timeout`: an object just made, or changed, is not seen
    /// everywhere at once.
    pub async fn read_when_visible<T, F, Fut>(
        &self,
        operation: &str,
        what: impl fmt::Display,
        mut read: F,
    ) -> Result<T, AwsError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Found<T>>,
    {
        let missing = format!("{what} is not visible yet");
        let missing = &missing;
        self.retry_propagation(operation, AwsError::is_not_found, || {
            let read = read();
            async move {
                read.await?
                    .ok_or_else(|| AwsError::not_found(missing.clone()))
            }
        })
        .await
    }
}

/// Runs `op` until it succeeds, fails in a way `retryable` rejects, or the
/// next wait would pass `timeout`; waits double from 250 ms up to 5 s.
pub(super) async fn retry_until<T, F, Fut>(
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

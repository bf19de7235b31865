//! Client-side pacing: once AWS throttles one kind of call of a client (an
//! account's IAM reads, say), every later attempt of that kind, first
//! attempts and retries alike, takes its turn in a token bucket that the
//! whole provider configuration shares. A burst of calls then settles at
//! about what the account allows instead of turning into a storm of
//! throttled retries; a run that is never throttled never waits.
//!
//! The rates are our estimate of AWS's own buckets (AWS publishes EC2's,
//! not IAM's: see BENCHMARKS.md, part 5). A throttled answer after the
//! bucket is in use is retried with the usual backoff, and the retry waits
//! its turn too. The bucket is per provider process: several Terraform runs
//! against one account each have their own.
//!
//! The turn is taken in the HTTP client, after the SDK has signed the
//! request. Terraform's parallelism bounds how many calls wait at once
//! (tens), so a wait is seconds, far within the five minutes a signature is
//! valid; [`MAX_WAIT`] bounds it anyway.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use tokio::time::Instant;

/// The longest a paced call waits after it was signed.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// What AWS counts separately: reads (`Get*`, `List*`, `Describe*`) and
/// the calls that change something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

impl Kind {
    pub(super) fn of_operation(operation: &str) -> Kind {
        if operation.starts_with("Get")
            || operation.starts_with("List")
            || operation.starts_with("Describe")
        {
            Kind::Read
        } else {
            Kind::Write
        }
    }

    /// The kind of a request as AWS reads it: the query protocol's
    /// `Action` (IAM, STS, EC2), else the HTTP method (EKS's REST API).
    fn of_request(request: &HttpRequest) -> Kind {
        let action = request
            .body()
            .bytes()
            .and_then(|body| std::str::from_utf8(body).ok())
            .and_then(|body| body.split('&').find_map(|p| p.strip_prefix("Action=")));
        match action {
            Some(action) => Kind::of_operation(action),
            None if matches!(request.method(), "GET" | "HEAD") => Kind::Read,
            None => Kind::Write,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Read => "reads",
            Kind::Write => "writes",
        }
    }
}

/// Calls per second and burst, once throttled, by service and kind.
fn rate(service: &str, kind: Kind) -> (f64, f64) {
    match (service, kind) {
        // IAM's are unpublished; AWS's guidance points at a few tens of
        // reads a second, and writes are IAM's expensive side.
        ("iam", Kind::Read) => (20.0, 20.0),
        ("iam", Kind::Write) => (5.0, 5.0),
        ("sts", Kind::Read) => (50.0, 50.0),
        ("sts", Kind::Write) => (10.0, 10.0),
        // EC2 documents 20 a second per read API and 5 for tagging.
        ("ec2", Kind::Read) => (20.0, 20.0),
        ("ec2", Kind::Write) => (5.0, 5.0),
        (_, Kind::Read) => (10.0, 10.0),
        (_, Kind::Write) => (5.0, 5.0),
    }
}

/// The token buckets of one client (one service of one provider
/// configuration): one for reads, one for writes.
#[derive(Debug)]
pub struct Pacer {
    service: &'static str,
    read: Lane,
    write: Lane,
}

impl Pacer {
    pub fn new(service: &'static str) -> Arc<Pacer> {
        Arc::new(Pacer {
            service,
            read: Lane::new(rate(service, Kind::Read)),
            write: Lane::new(rate(service, Kind::Write)),
        })
    }

    fn lane(&self, kind: Kind) -> &Lane {
        match kind {
            Kind::Read => &self.read,
            Kind::Write => &self.write,
        }
    }

    /// When a call of `kind` may go: None for at once (never throttled yet).
    pub fn turn(&self, kind: Kind, now: Instant) -> Option<Instant> {
        self.lane(kind).turn(now)
    }

    /// AWS throttled a call of `kind`: from now on these calls are paced.
    pub fn throttled(&self, kind: Kind, now: Instant) {
        let lane = self.lane(kind);
        if lane.engage(now) {
            tracing::debug!(
                service = self.service,
                "AWS throttled {} {}: pacing them at {} a second from now on",
                self.service,
                kind.name(),
                lane.per_second
            );
        }
    }
}

/// A token bucket kept as the time the next call may go (GCRA's
/// theoretical arrival time): a call takes the next free turn, so waiting
/// calls go in order, each `1 / per_second` after the one before, and an
/// idle bucket lets `burst` calls go at once.
#[derive(Debug)]
struct Lane {
    per_second: f64,
    burst: f64,
    /// None until the first throttle.
    next: Mutex<Option<Instant>>,
}

impl Lane {
    fn new((per_second, burst): (f64, f64)) -> Lane {
        Lane {
            per_second,
            burst,
            next: Mutex::new(None),
        }
    }

    fn interval(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.per_second)
    }

    /// The burst, as time: how far ahead of the next turn a call may go.
    fn tolerance(&self) -> Duration {
        self.interval().mul_f64(self.burst - 1.0)
    }

    /// Starts pacing, with an empty bucket (AWS's is empty too); false when
    /// it had started already.
    fn engage(&self, now: Instant) -> bool {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        if next.is_some() {
            return false;
        }
        *next = Some(now + self.tolerance());
        true
    }

    /// Takes the next turn: when the call may go.
    fn turn(&self, now: Instant) -> Option<Instant> {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let free = (*next)?;
        let at = free
            .checked_sub(self.tolerance())
            .map_or(now, |earliest| earliest.max(now));
        *next = Some(free.max(at) + self.interval());
        Some(at)
    }
}

/// The HTTP client every call of one SDK client goes through: waits for
/// the call's turn, then sends it with the SDK's own client.
#[derive(Clone, Debug)]
pub struct PacedHttpClient {
    inner: SharedHttpClient,
    pacer: Arc<Pacer>,
}

impl PacedHttpClient {
    pub fn new(inner: SharedHttpClient, pacer: Arc<Pacer>) -> PacedHttpClient {
        PacedHttpClient { inner, pacer }
    }
}

impl HttpClient for PacedHttpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            pacer: self.pacer.clone(),
        })
    }

    fn validate_base_client_config(
        &self,
        runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner
            .validate_base_client_config(runtime_components, cfg)
    }

    fn validate_final_config(
        &self,
        runtime_components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_final_config(runtime_components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

struct PacedConnector {
    inner: SharedHttpConnector,
    pacer: Arc<Pacer>,
}

impl fmt::Debug for PacedConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacedConnector").finish_non_exhaustive()
    }
}

impl HttpConnector for PacedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let now = Instant::now();
        match self.pacer.turn(Kind::of_request(&request), now) {
            Some(at) if at > now => {
                let inner = self.inner.clone();
                HttpConnectorFuture::new(async move {
                    tokio::time::sleep_until(at.min(now + MAX_WAIT)).await;
                    inner.call(request).await
                })
            }
            _ => self.inner.call(request),
        }
    }
}

/// Tells the pacer when AWS throttled a call (the answer's error code; the
/// HTTP client sees only a stream).
#[derive(Debug)]
pub struct NoticeThrottling(pub Arc<Pacer>);

impl super::intercept::Hooks for NoticeThrottling {
    const NAME: &'static str = "NoticeThrottling";

    fn after_attempt(&self, context: &FinalizerInterceptorContextRef<'_>, cfg: &mut ConfigBag) {
        let throttled = context
            .response()
            .and_then(super::retry::aws_error_code)
            .is_some_and(|code| super::is_throttling(&code));
        if throttled {
            let operation = super::intercept::operation(cfg).map_or("", |(_, name)| name);
            self.0
                .throttled(Kind::of_operation(operation), Instant::now());
        }
    }
}

#[cfg(test)]
mod tests;

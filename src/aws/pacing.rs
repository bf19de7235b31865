//! Client-side pacing: once AWS throttles one kind of call of a client (an
//! account's IAM reads, say), every later attempt of that kind, first
//! attempts and retries alike, takes its turn in a token bucket that the
//! whole provider configuration shares. A burst of calls then settles at
//! about what the account allows instead of turning into a storm of
//! throttled retries; a run that is never throttled never waits.
//!
//! The rates start at our estimate of AWS's own buckets (AWS publishes
//! EC2's, not IAM's: see BENCHMARKS.md, part 5). A throttled answer after
//! the bucket is in use slows it down (less each second, then back up
//! towards the estimate: [`Lane`]) and is retried with the usual backoff;
//! the retry waits its turn too. The bucket is per provider process: several Terraform runs
//! against one account each have their own.
//!
//! The turn is taken in the HTTP client, after the SDK has signed the
//! request. Terraform's parallelism bounds how many calls wait at once
//! (tens), so a wait is seconds, far within the five minutes a signature is
//! valid; [`MAX_WAIT`] bounds it anyway.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
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

    /// AWS throttled a call of `kind`: from now on these calls are paced,
    /// and more slowly for each throttle while paced.
    pub fn throttled(&self, kind: Kind, now: Instant) {
        if let Some(rate) = self.lane(kind).throttled(now) {
            tracing::debug!(
                service = self.service,
                "AWS throttled {} {}: pacing them at {rate:.1} a second from now on",
                self.service,
                kind.name(),
            );
        }
    }
}

/// A token bucket kept as the time the next call may go (GCRA's
/// theoretical arrival time): a call takes the next free turn, so waiting
/// calls go in order, each `1 / rate` after the one before, and an idle
/// bucket lets `burst` calls go at once.
///
/// The rate is our guess at AWS's, so it adapts: each throttled answer
/// while paced cuts it by a quarter (at most once per [`SETTLE`], since the
/// calls already on their way meet the same empty bucket) down to half the
/// guess, and it climbs back towards the guess by a twentieth of it per
/// second. Pacing at
/// exactly AWS's rate would leave no room for the jitter between our turn
/// and AWS's count; the cuts find that room.
#[derive(Debug)]
struct Lane {
    per_second: f64,
    burst: f64,
    /// None until the first throttle.
    paced: Mutex<Option<Paced>>,
    /// Calls on their way to AWS (or waiting for their turn): when pacing
    /// starts, those that get through take tokens from AWS's empty bucket,
    /// so the first paced turn comes after theirs.
    in_flight: AtomicUsize,
}

/// How long after a cut the next throttled answer counts again.
const SETTLE: Duration = Duration::from_secs(1);
/// What a cut keeps of the rate.
const CUT: f64 = 0.75;
/// How fast the rate climbs back after a cut: this share of the guessed
/// rate per second.
const CLIMB: f64 = 0.05;
/// The slowest pace: this share of the guessed rate. Throttles that have
/// nothing to do with our rate (a flaky network answers some calls
/// `Throttling` whatever the pace) must not starve the run; retries still
/// cover an account slower than half our guess.
const FLOOR: f64 = 0.5;

#[derive(Debug)]
struct Paced {
    /// The next free turn.
    next: Instant,
    /// When the rate was last cut (or pacing started), and to what.
    cut_at: Instant,
    cut_to: f64,
}

impl Paced {
    fn rate(&self, nominal: f64, now: Instant) -> f64 {
        let climbed = CLIMB * nominal * now.saturating_duration_since(self.cut_at).as_secs_f64();
        (self.cut_to + climbed).min(nominal)
    }
}

impl Lane {
    fn new((per_second, burst): (f64, f64)) -> Lane {
        Lane {
            per_second,
            burst,
            paced: Mutex::new(None),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn interval(rate: f64) -> Duration {
        Duration::from_secs_f64(1.0 / rate)
    }

    /// The burst, as time: how far ahead of the next turn a call may go.
    fn tolerance(&self, rate: f64) -> Duration {
        Lane::interval(rate).mul_f64(self.burst - 1.0)
    }

    /// AWS throttled a call: starts pacing, with an empty bucket (AWS's is
    /// empty too), or cuts the rate when pacing already. Returns the new
    /// rate when it changed.
    fn throttled(&self, now: Instant) -> Option<f64> {
        let mut paced = self.paced.lock().unwrap_or_else(|e| e.into_inner());
        match paced.as_mut() {
            None => {
                let in_flight = self.in_flight.load(Ordering::Relaxed) as u32;
                let theirs = Lane::interval(self.per_second) * in_flight;
                *paced = Some(Paced {
                    next: now + self.tolerance(self.per_second) + theirs,
                    cut_at: now,
                    cut_to: self.per_second,
                });
                Some(self.per_second)
            }
            Some(p) if now.saturating_duration_since(p.cut_at) >= SETTLE => {
                let rate = (p.rate(self.per_second, now) * CUT).max(FLOOR * self.per_second);
                p.cut_at = now;
                p.cut_to = rate;
                Some(rate)
            }
            Some(_) => None,
        }
    }

    /// Takes the next turn: when the call may go.
    fn turn(&self, now: Instant) -> Option<Instant> {
        let mut paced = self.paced.lock().unwrap_or_else(|e| e.into_inner());
        let p = paced.as_mut()?;
        let rate = p.rate(self.per_second, now);
        let at = p
            .next
            .checked_sub(self.tolerance(rate))
            .map_or(now, |earliest| earliest.max(now));
        p.next = p.next.max(at) + Lane::interval(rate);
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
        let kind = Kind::of_request(&request);
        let turn = self.pacer.turn(kind, now);
        let in_flight = InFlight::new(self.pacer.clone(), kind);
        let inner = self.inner.clone();
        HttpConnectorFuture::new(async move {
            if let Some(at) = turn.filter(|at| *at > now) {
                tokio::time::sleep_until(at.min(now + MAX_WAIT)).await;
            }
            let answer = inner.call(request).await;
            drop(in_flight);
            answer
        })
    }
}

/// Counts a call as on its way until it is answered or dropped.
struct InFlight {
    pacer: Arc<Pacer>,
    kind: Kind,
}

impl InFlight {
    fn new(pacer: Arc<Pacer>, kind: Kind) -> InFlight {
        pacer.lane(kind).in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight { pacer, kind }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let lane = self.pacer.lane(self.kind);
        lane.in_flight.fetch_sub(1, Ordering::Relaxed);
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
            .is_some_and(|code| super::error::is_throttling(&code));
        if throttled {
            let operation = super::intercept::operation(cfg).map_or("", |(_, name)| name);
            self.0
                .throttled(Kind::of_operation(operation), Instant::now());
        }
    }
}

#[cfg(test)]
mod tests;

//! One DEBUG line per AWS call, whatever the service: operation, duration,
//! attempts and outcome, from an SDK interceptor. Nothing from the request or
//! its signature is logged, so no credential can leak through here.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::Instant;

use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

use super::error::AwsError;
use super::intercept::{Hooked, Hooks, attempts, operation};

#[derive(Debug)]
pub struct LogCalls;

#[derive(Debug, Clone)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

impl Hooks for LogCalls {
    const NAME: &'static str = "LogCalls";

    fn before_execution(&self, cfg: &mut ConfigBag) {
        cfg.interceptor_state().store_put(Started(Instant::now()));
    }

    fn after_execution(&self, context: &FinalizerInterceptorContextRef<'_>, cfg: &mut ConfigBag) {
        let (service, operation) = operation(cfg).unwrap_or(("unknown", "unknown"));
        let attempts = attempts(cfg);
        let duration_ms = cfg
            .load::<Started>()
            .map_or(0, |s| s.0.elapsed().as_millis() as u64);
        let status = context.response().map(|r| r.status().as_u16());
        let outcome = match context.output_or_error() {
            Some(Ok(_)) => "ok",
            _ => "error",
        };
        tracing::debug!(
            service,
            operation,
            duration_ms,
            attempts,
            retries = attempts.saturating_sub(1),
            http_status = status,
            outcome,
            "AWS call"
        );
    }
}

/// Runs a read whose answer holds the whole account's IAM data (the bulk
/// read, every role's trust policy) in a span inside which the log takes no
/// other crate's events: the SDK's trace lines would copy that answer.
pub(super) fn account_wide<F: std::future::Future>(
    read: F,
) -> tracing::instrument::Instrumented<F> {
    use tracing::Instrument as _;
    read.instrument(tracing::span!(
        tracing::Level::TRACE,
        crate::logging::ACCOUNT_WIDE_READ
    ))
}

/// What the SDK's attempts at one call met, for the non-idempotent creates.
/// When an attempt fails in a way that leaves open whether AWS acted on it
/// (no answer, a timeout, a 5xx), a retry may meet EntityAlreadyExists for
/// the object that attempt made. A throttle or any other 4xx is an answer
/// that AWS did nothing, so EntityAlreadyExists after it is someone else's.
#[derive(Clone, Debug, Default)]
pub struct Attempts(Arc<Mutex<AttemptLog>>);

#[derive(Debug, Default)]
struct AttemptLog {
    attempts: u32,
    /// An attempt failed without a definite answer: AWS may have acted on it.
    ambiguous: bool,
}

impl Attempts {
    /// The interceptor to add to the one call (`.customize().interceptor(..)`).
    pub fn counter(&self) -> Hooked<CountAttempts> {
        Hooked(CountAttempts(self.0.clone()))
    }
    /// Whether an earlier attempt may have been carried out although its
    /// answer never arrived.
    pub fn may_have_acted_unseen(&self) -> bool {
        let log = self.log();
        log.attempts > 1 && log.ambiguous
    }
    /// Whether `err` may be EntityAlreadyExists for the object an earlier
    /// attempt of this call made. Callers confirm with the ownership mark.
    pub fn may_have_met_own_object(&self, err: &AwsError) -> bool {
        err.is_already_exists() && self.may_have_acted_unseen()
    }
    fn log(&self) -> std::sync::MutexGuard<'_, AttemptLog> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(Debug)]
pub struct CountAttempts(Arc<Mutex<AttemptLog>>);

impl Hooks for CountAttempts {
    const NAME: &'static str = "CountAttempts";

    fn after_attempt(&self, context: &FinalizerInterceptorContextRef<'_>, _cfg: &mut ConfigBag) {
        let ambiguous = match context.response() {
            // AWS answered: a 5xx may come after the work was done, anything
            // else (a throttle, a 4xx, success) says what happened.
            Some(response) => response.status().is_server_error(),
            // No answer at all: a dropped connection or a timeout.
            None => matches!(context.output_or_error(), Some(Err(_)) | None),
        };
        let mut log = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        log.attempts += 1;
        log.ambiguous |= ambiguous;
    }
}

/// One DEBUG line per retry, so `TF_LOG=DEBUG` shows throttling happen: the
/// operation, the attempt about to start, why the previous one failed and
/// how long the SDK waited before this one.
#[derive(Debug)]
pub struct LogRetries;

#[derive(Debug, Clone)]
struct LastFailure {
    reason: String,
    at: Instant,
}

impl Storable for LastFailure {
    type Storer = StoreReplace<Self>;
}

impl Hooks for LogRetries {
    const NAME: &'static str = "LogRetries";

    fn after_attempt(&self, context: &FinalizerInterceptorContextRef<'_>, cfg: &mut ConfigBag) {
        if let Some(Err(err)) = context.output_or_error() {
            cfg.interceptor_state().store_put(LastFailure {
                reason: super::retry::attempt_failure(context.response(), err),
                at: Instant::now(),
            });
        }
    }

    fn before_attempt(&self, cfg: &mut ConfigBag) {
        let attempt = attempts(cfg);
        if attempt < 2 {
            return;
        }
        let (service, operation) = operation(cfg).unwrap_or(("unknown", "unknown"));
        let max_attempts = cfg
            .load::<aws_smithy_types::retry::RetryConfig>()
            .map_or(0, |c| c.max_attempts());
        let (reason, waited_ms) = cfg.load::<LastFailure>().map_or(("unknown", 0), |f| {
            (f.reason.as_str(), f.at.elapsed().as_millis() as u64)
        });
        tracing::debug!(
            service,
            operation,
            attempt,
            max_attempts,
            reason,
            waited_ms,
            "retrying AWS call"
        );
    }
}

//! One DEBUG line per AWS call, whatever the service: operation, duration,
//! attempts and outcome, from an SDK interceptor. Nothing from the request or
//! its signature is logged, so no credential can leak through here.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

use super::AwsError;

#[derive(Debug)]
pub struct LogCalls;

#[derive(Debug, Clone)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

impl Intercept for LogCalls {
    fn name(&self) -> &'static str {
        "LogCalls"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Started(Instant::now()));
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = cfg
            .load::<Metadata>()
            .map_or(("unknown", "unknown"), |m| (m.service(), m.name()));
        let attempts = cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts());
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
        Ok(())
    }
}

/// How many attempts the SDK made for one call, for the non-idempotent
/// creates: when IAM's answer to the first attempt is lost, the retry meets
/// EntityAlreadyExists for the object that attempt made.
#[derive(Clone, Debug, Default)]
pub struct Attempts(Arc<AtomicU32>);

impl Attempts {
    /// The interceptor to add to the one call (`.customize().interceptor(..)`).
    pub fn counter(&self) -> CountAttempts {
        CountAttempts(self.0.clone())
    }
    /// Whether the SDK sent the call more than once.
    pub fn retried(&self) -> bool {
        self.0.load(Ordering::Relaxed) > 1
    }
    /// Whether `err` is EntityAlreadyExists for the object an earlier
    /// attempt of this call made (its answer lost).
    pub fn met_own_object(&self, err: &AwsError) -> bool {
        err.code.as_deref() == Some("EntityAlreadyExists") && self.retried()
    }
}

#[derive(Debug)]
pub struct CountAttempts(Arc<AtomicU32>);

impl Intercept for CountAttempts {
    fn name(&self) -> &'static str {
        "CountAttempts"
    }

    fn read_after_execution(
        &self,
        _context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempts = cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts());
        self.0.store(attempts as u32, Ordering::Relaxed);
        Ok(())
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

impl Intercept for LogRetries {
    fn name(&self) -> &'static str {
        "LogRetries"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(Err(err)) = context.output_or_error() {
            cfg.interceptor_state().store_put(LastFailure {
                reason: super::retry::attempt_failure(context.response(), err),
                at: Instant::now(),
            });
        }
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempt = cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts());
        if attempt < 2 {
            return Ok(());
        }
        let (service, operation) = cfg
            .load::<Metadata>()
            .map_or(("unknown", "unknown"), |m| (m.service(), m.name()));
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
        Ok(())
    }
}

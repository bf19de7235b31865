//! The one shape of our SDK interceptors. Each implements [`Hooks`] for the
//! moments of a call it cares about and is added to a client as [`Hooked`];
//! the SDK's long hook signatures are written once, here, and so is reading
//! the call's operation and attempt count out of the config bag.

use std::fmt;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextMut, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, Metadata};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// What one of our interceptors does at each moment of a call; the moments
/// it leaves out do nothing. None can fail the call.
pub trait Hooks: fmt::Debug + Send + Sync + 'static {
    /// The interceptor's name, for the SDK's own logs.
    const NAME: &'static str;

    /// Before the call starts. A client's interceptors run this before the
    /// operation's configuration (its name included) is in the bag.
    fn before_execution(&self, _cfg: &mut ConfigBag) {}
    /// Before the input is serialized: the operation's name is known.
    fn before_serialization(&self, _cfg: &mut ConfigBag) {}
    /// Before each attempt is sent (the request is signed).
    fn before_transmit(&self, _request: &HttpRequest, _cfg: &mut ConfigBag) {}
    /// Before each attempt, retries included.
    fn before_attempt(&self, _cfg: &mut ConfigBag) {}
    /// After each attempt, with its answer or failure.
    fn after_attempt(&self, _call: &FinalizerInterceptorContextRef<'_>, _cfg: &mut ConfigBag) {}
    /// Before the call's outcome is handed back: it may still be changed.
    fn before_completion(&self, _call: &mut FinalizerInterceptorContextMut<'_>, _cfg: &ConfigBag) {}
    /// After the call, with its outcome.
    fn after_execution(&self, _call: &FinalizerInterceptorContextRef<'_>, _cfg: &mut ConfigBag) {}
}

/// One of our interceptors, as the SDK takes it.
#[derive(Debug)]
pub struct Hooked<H>(pub H);

impl<H: Hooks> Intercept for Hooked<H> {
    fn name(&self) -> &'static str {
        H::NAME
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.before_execution(cfg);
        Ok(())
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.before_serialization(cfg);
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.before_transmit(context.request(), cfg);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.before_attempt(cfg);
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.after_attempt(context, cfg);
        Ok(())
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.before_completion(context, cfg);
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.after_execution(context, cfg);
        Ok(())
    }
}

/// The service and operation of the call (`("IAM", "GetRole")`), once the
/// operation's configuration is in the bag.
pub fn operation(cfg: &ConfigBag) -> Option<(&str, &str)> {
    cfg.load::<Metadata>().map(|m| (m.service(), m.name()))
}

/// The attempt under way or last made, counting from 1.
pub fn attempts(cfg: &ConfigBag) -> u32 {
    cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts())
}

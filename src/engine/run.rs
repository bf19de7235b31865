//! The one runner. A kind of AWS object says what it wants as ordered
//! steps from what AWS holds ([`Kind::steps`], pure and unit-tested beside
//! the kind); the runner runs them one by one, stops at the first failure
//! or when Terraform asks the provider to stop, plans again from what AWS
//! holds when a step says AWS may differ from what it was planned from, and
//! reports every failure the same way: the step's summary, AWS's error, the
//! steps done, and what AWS holds afterwards, so the resource saves state
//! the next apply converges from.

use std::fmt;
use std::future::Future;

use tokio_util::sync::CancellationToken;

use crate::aws::AwsError;

/// One kind of object: its steps, how each runs, and how to see what AWS holds.
pub trait Kind: Sync {
    type Step: Clone + PartialEq + fmt::Display + Send + Sync;
    type Observed: Send + Sync;

    /// The object, as error summaries name it: ``creating IAM role (`name`)``.
    fn subject(&self) -> &str;
    /// The steps from `observed` (None: nothing exists yet) to what the
    /// kind wants, in the order AWS needs them.
    fn steps(&self, observed: Option<&Self::Observed>) -> Vec<Self::Step>;
    /// Runs one step.
    fn run(&self, step: &Self::Step) -> impl Future<Output = Result<Ran, AwsError>> + Send;
    /// What AWS holds now.
    fn observe(&self) -> impl Future<Output = Result<Option<Self::Observed>, AwsError>> + Send;
    /// Whether a failure of `step` is followed by a look at what AWS holds.
    /// A create that failed made nothing that is ours: nothing to look at.
    fn observe_after_failure(&self, _step: &Self::Step) -> bool {
        true
    }
    /// The error summary of `step`.
    fn summary(&self, step: &Self::Step) -> String {
        format!("{step} (`{}`)", self.subject())
    }
}

/// How a step ended, when it succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ran {
    Done,
    /// Done, but AWS may hold something else than the steps were planned
    /// from (an attempt whose answer was lost made the object): the rest is
    /// planned again from what AWS holds.
    Replan,
}

/// What AWS holds after a failure.
#[derive(Debug, PartialEq)]
pub enum Left<O> {
    Exists(O),
    /// Nothing, or nothing that is ours.
    Gone,
    /// Could not be read: keep what the state says.
    Unread,
}

impl<O> Left<O> {
    pub fn exists(self) -> Option<O> {
        match self {
            Left::Exists(o) => Some(o),
            _ => None,
        }
    }
}

/// A run that stopped: which step, why, what was done before it, what was
/// not, and what AWS holds now.
#[derive(Debug)]
pub struct Failure<S, O> {
    /// The failed step's summary, for the diagnostic.
    pub summary: String,
    pub error: AwsError,
    /// The step that failed (None when Terraform asked the provider to stop,
    /// or when planning again failed to read AWS).
    pub step: Option<S>,
    pub done: Vec<S>,
    /// The steps planned and not done: the failed one (or the one not
    /// started) and those after it.
    pub not_done: Vec<S>,
    pub left: Left<O>,
}

impl<S, O> Failure<S, O> {
    /// A read of AWS outside the steps failed (before them, or reading the
    /// result back after `done`), leaving AWS as `left` says.
    pub fn reading(summary: String, error: AwsError, done: Vec<S>, left: Left<O>) -> Self {
        Failure {
            summary,
            error,
            step: None,
            done,
            not_done: Vec::new(),
            left,
        }
    }
}

/// Brings the object from `observed` to what `kind` wants. Returns the
/// steps done, in order.
pub async fn converge<K: Kind>(
    kind: &K,
    observed: Option<&K::Observed>,
    cancel: Option<&CancellationToken>,
) -> Result<Vec<K::Step>, Failure<K::Step, K::Observed>> {
    let mut steps = kind.steps(observed).into_iter();
    let mut done = Vec::new();
    while let Some(step) = steps.next() {
        let not_done = |step: &K::Step, rest: std::vec::IntoIter<K::Step>| {
            std::iter::once(step.clone())
                .chain(rest)
                .collect::<Vec<_>>()
        };
        if cancel.is_some_and(CancellationToken::is_cancelled) {
            let summary = format!("stopping at Terraform's request (`{}`)", kind.subject());
            let ended = Ended {
                summary,
                error: AwsError::cancelled(),
                step: None,
                not_done: not_done(&step, steps),
            };
            return Err(stopped(kind, ended, done).await);
        }
        match kind.run(&step).await {
            Ok(Ran::Done) => done.push(step),
            Ok(Ran::Replan) => {
                let summary = kind.summary(&step);
                done.push(step);
                match kind.observe().await {
                    Ok(observed) => steps = kind.steps(observed.as_ref()).into_iter(),
                    Err(error) => {
                        return Err(Failure {
                            summary,
                            error,
                            step: None,
                            done,
                            not_done: steps.collect(),
                            left: Left::Unread,
                        });
                    }
                }
            }
            Err(error) if !kind.observe_after_failure(&step) => {
                return Err(Failure {
                    summary: kind.summary(&step),
                    error,
                    not_done: not_done(&step, steps),
                    step: Some(step),
                    done,
                    left: Left::Gone,
                });
            }
            Err(error) => {
                let ended = Ended {
                    summary: kind.summary(&step),
                    error,
                    not_done: not_done(&step, steps),
                    step: Some(step),
                };
                return Err(stopped(kind, ended, done).await);
            }
        }
    }
    Ok(done)
}

/// How a run ended early, before the look at AWS.
struct Ended<S> {
    summary: String,
    error: AwsError,
    step: Option<S>,
    not_done: Vec<S>,
}

/// The failure, with a look at what AWS holds.
async fn stopped<K: Kind>(
    kind: &K,
    ended: Ended<K::Step>,
    done: Vec<K::Step>,
) -> Failure<K::Step, K::Observed> {
    let left = match kind.observe().await {
        Ok(Some(observed)) => Left::Exists(observed),
        Ok(None) => Left::Gone,
        Err(_) => Left::Unread,
    };
    Failure {
        summary: ended.summary,
        error: ended.error,
        step: ended.step,
        done,
        not_done: ended.not_done,
        left,
    }
}

#[cfg(test)]
mod tests;

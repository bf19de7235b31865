//! Destroying a provider this configuration created: whose it still is,
//! who still trusts it, and the hand-over to a resource of the same run
//! that adopted it.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::aws::{Aws, AwsError};

/// The providers this process (one Terraform run of one provider
/// configuration) adopted from another clusteriam resource: ARN -> (the
/// mark they carried, the adopter's mark). When the resource that made one
/// is destroyed in the same run (it is being replaced with
/// `create_before_destroy`, which keeps the URL under `-replace`; or one
/// module's resource goes while another's for the same URL stays), it hands
/// the provider over to the adopter instead of deleting it under its roles.
static ADOPTED_IN_THIS_RUN: Mutex<BTreeMap<String, (String, String)>> = Mutex::new(BTreeMap::new());

/// Records that this run's create adopted `arn`, which carried the mark
/// `theirs`, as the resource whose mark is `adopter`.
pub(super) fn record_adoption(arn: &str, theirs: &str, adopter: &str) {
    let handover = (theirs.to_string(), adopter.to_string());
    adopted_in_this_run().insert(arn.to_string(), handover);
}

fn adopted_in_this_run() -> std::sync::MutexGuard<'static, BTreeMap<String, (String, String)>> {
    ADOPTED_IN_THIS_RUN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Destroying a provider this configuration created.
#[derive(Clone, Copy, Debug)]
pub struct Destroy<'a> {
    pub arn: &'a str,
    /// The ownership mark the resource created it with; None when the
    /// state does not say (an import).
    pub mark: Option<&'a str>,
    /// Delete even while roles trust it (`force_destroy`).
    pub force: bool,
    /// This destroy is the first half of a replacement the plan asked for
    /// (a new `url`): with Terraform's default ordering the roles that
    /// trust the provider move to the new one only after it exists, so
    /// waiting for them is in vain.
    pub replacing: bool,
}

/// What destroy did.
#[derive(Debug, PartialEq, Eq)]
pub enum Destroyed {
    Deleted,
    /// It was gone already.
    Gone,
    /// Another resource of the run adopted it, or carries its mark now:
    /// left to that resource, marked as its own.
    HandedOver,
}

/// Why a provider this configuration created was not deleted.
#[derive(Debug)]
pub enum DeleteRefused {
    /// IAM roles still trust it; `waited` is how long destroy waited for
    /// them to go (roles the same run deletes go meanwhile).
    StillTrusted {
        roles: Vec<String>,
        waited: Option<Duration>,
    },
    /// Who trusts it could not be checked.
    CheckFailed(AwsError),
    Failed(AwsError),
}

/// Deletes a provider this configuration created, unless roles still trust
/// it and `force` is not set. The roles that trust it through this
/// configuration are usually being deleted by the same run, at the same
/// time (those of another resource for the same URL, which adopted it, do
/// not wait for this one): so destroy waits, up to `propagation_timeout`,
/// for the trusting roles to go before it refuses.
pub async fn delete_owned(aws: &Aws, destroy: Destroy<'_>) -> Result<Destroyed, DeleteRefused> {
    let arn = destroy.arn;
    let observed = aws
        .oidc_provider(arn)
        .await
        .map_err(DeleteRefused::Failed)?;
    let Some(observed) = observed else {
        return Ok(Destroyed::Gone);
    };
    if let (Some(mine), Some(now)) = (destroy.mark, observed.mark.as_deref())
        && mine != now
    {
        return Ok(Destroyed::HandedOver);
    }
    let adopter = adopted_in_this_run()
        .get(arn)
        .filter(|(from, _)| observed.mark.as_deref() == Some(from.as_str()))
        .map(|(_, adopter)| adopter.clone());
    if let Some(adopter) = adopter {
        aws.mark_oidc_provider(arn, &adopter)
            .await
            .map_err(DeleteRefused::Failed)?;
        adopted_in_this_run().remove(arn);
        return Ok(Destroyed::HandedOver);
    }
    if !destroy.force {
        let wait = (!destroy.replacing).then_some(aws.propagation_timeout);
        let roles = wait_for_untrusted(aws, arn, wait.unwrap_or_default())
            .await
            .map_err(DeleteRefused::CheckFailed)?;
        if !roles.is_empty() {
            return Err(DeleteRefused::StillTrusted {
                roles,
                waited: wait,
            });
        }
    }
    aws.delete_oidc_provider(arn)
        .await
        .map_err(DeleteRefused::Failed)?;
    Ok(Destroyed::Deleted)
}

/// The roles that trust `arn`, polled until there are none or `timeout`
/// has passed.
async fn wait_for_untrusted(
    aws: &Aws,
    arn: &str,
    timeout: Duration,
) -> Result<Vec<String>, AwsError> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut delay = Duration::from_secs(1);
    loop {
        let roles = aws.roles_trusting(arn).await?;
        if roles.is_empty() || tokio::time::Instant::now() + delay >= deadline {
            return Ok(roles);
        }
        tracing::debug!(
            provider = arn,
            ?roles,
            delay_ms = delay.as_millis() as u64,
            "waiting for the roles that trust the OIDC provider to go"
        );
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
}

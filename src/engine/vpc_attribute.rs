//! The VPC DNS attributes KKP needs on, as a kind of the one runner
//! ([`super::run`]): which to turn on, in which order, and which to turn off
//! on destroy. What the resource turned on is what it turns off; what was
//! on already stays on.

use std::fmt;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::run::{self, Failure, Kind, Ran};
use crate::aws::{Aws, AwsError, DnsAttribute, VpcDns};

/// What the resource turned on, at any apply: kept in its private state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnedOn {
    pub support: bool,
    pub hostnames: bool,
}

impl TurnedOn {
    /// Both records together.
    pub fn and(self, other: TurnedOn) -> TurnedOn {
        TurnedOn {
            support: self.support || other.support,
            hostnames: self.hostnames || other.hostnames,
        }
    }

    /// What the steps done turned on.
    fn of(done: &[Step]) -> TurnedOn {
        let on = |attribute| done.contains(&Step::TurnOn(attribute));
        TurnedOn {
            support: on(DnsAttribute::Support),
            hostnames: on(DnsAttribute::Hostnames),
        }
    }
}

/// One change of one attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    TurnOn(DnsAttribute),
    TurnOff(DnsAttribute),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::TurnOn(a) => write!(f, "enabling {} of VPC", a.api_name()),
            Step::TurnOff(a) => write!(f, "restoring {} of VPC", a.api_name()),
        }
    }
}

/// What the resource wants of a VPC's DNS attributes.
pub enum Want {
    /// Both on (create, update).
    BothOn,
    /// Off again what the resource turned on (destroy).
    Restored(TurnedOn),
}

/// The VPC's DNS attributes as a kind of the runner.
pub struct VpcAttributes<'a> {
    pub aws: &'a Aws,
    pub vpc_id: &'a str,
    pub want: Want,
}

fn is_on(dns: &VpcDns, attribute: DnsAttribute) -> bool {
    match attribute {
        DnsAttribute::Support => dns.support,
        DnsAttribute::Hostnames => dns.hostnames,
    }
}

/// Support goes on before hostnames (hostnames need support) and off after
/// them. A VPC not read (None) is taken as both off to turn on, and as both
/// as recorded to turn off.
fn steps(want: &Want, observed: Option<&VpcDns>) -> Vec<Step> {
    match *want {
        Want::BothOn => [DnsAttribute::Support, DnsAttribute::Hostnames]
            .into_iter()
            .filter(|a| !observed.is_some_and(|dns| is_on(dns, *a)))
            .map(Step::TurnOn)
            .collect(),
        Want::Restored(turned_on) => [
            (DnsAttribute::Hostnames, turned_on.hostnames),
            (DnsAttribute::Support, turned_on.support),
        ]
        .into_iter()
        .filter(|(a, recorded)| *recorded && observed.is_none_or(|dns| is_on(dns, *a)))
        .map(|(a, _)| Step::TurnOff(a))
        .collect(),
    }
}

impl Kind for VpcAttributes<'_> {
    type Step = Step;
    type Observed = VpcDns;

    fn subject(&self) -> &str {
        self.vpc_id
    }

    fn steps(&self, observed: Option<&VpcDns>) -> Vec<Step> {
        steps(&self.want, observed)
    }

    async fn run(&self, step: &Step) -> Result<Ran, AwsError> {
        let (attribute, on) = match *step {
            Step::TurnOn(a) => (a, true),
            Step::TurnOff(a) => (a, false),
        };
        self.aws.set_vpc_dns(self.vpc_id, attribute, on).await?;
        Ok(Ran::Done)
    }

    async fn observe(&self) -> Result<Option<VpcDns>, AwsError> {
        self.aws.vpc_dns(self.vpc_id).await
    }
}

/// Turns on what is off in `found`. Returns what it turned on; on failure,
/// that and the failure (with what AWS holds afterwards).
pub async fn enable(
    aws: &Aws,
    vpc_id: &str,
    found: VpcDns,
    cancel: &CancellationToken,
) -> (TurnedOn, Option<Failure<Step, VpcDns>>) {
    let kind = VpcAttributes {
        aws,
        vpc_id,
        want: Want::BothOn,
    };
    match run::converge(&kind, Some(&found), Some(cancel)).await {
        Ok(done) => (TurnedOn::of(&done), None),
        Err(failure) => (TurnedOn::of(&failure.done), Some(failure)),
    }
}

/// Turns off again what the resource turned on. A VPC that is gone has
/// nothing left to restore.
pub async fn restore(
    aws: &Aws,
    vpc_id: &str,
    turned_on: TurnedOn,
) -> Result<(), Failure<Step, VpcDns>> {
    let kind = VpcAttributes {
        aws,
        vpc_id,
        want: Want::Restored(turned_on),
    };
    match run::converge(&kind, None, None).await {
        Err(failure) if !failure.error.is_not_found() => Err(failure),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(want: Want, observed: Option<VpcDns>) -> Vec<Step> {
        super::steps(&want, observed.as_ref())
    }

    fn dns(support: bool, hostnames: bool) -> VpcDns {
        VpcDns { support, hostnames }
    }

    #[test]
    fn support_goes_on_first_and_off_last() {
        use DnsAttribute::{Hostnames, Support};
        assert_eq!(
            steps(Want::BothOn, Some(dns(false, false))),
            [Step::TurnOn(Support), Step::TurnOn(Hostnames)]
        );
        assert_eq!(
            steps(Want::BothOn, Some(dns(true, false))),
            [Step::TurnOn(Hostnames)]
        );
        assert!(steps(Want::BothOn, Some(dns(true, true))).is_empty());
        let both = TurnedOn {
            support: true,
            hostnames: true,
        };
        assert_eq!(
            steps(Want::Restored(both), None),
            [Step::TurnOff(Hostnames), Step::TurnOff(Support)]
        );
        // What is off already (turned off by someone else) is not turned off again.
        assert_eq!(
            steps(Want::Restored(both), Some(dns(true, false))),
            [Step::TurnOff(Support)]
        );
        assert!(steps(Want::Restored(TurnedOn::default()), None).is_empty());
    }

    #[test]
    fn what_any_apply_turned_on_adds_up() {
        let first = TurnedOn {
            support: false,
            hostnames: true,
        };
        let later = TurnedOn {
            support: true,
            hostnames: false,
        };
        assert_eq!(
            first.and(later),
            TurnedOn {
                support: true,
                hostnames: true
            }
        );
        assert_eq!(
            TurnedOn::of(&[Step::TurnOn(DnsAttribute::Hostnames)]),
            TurnedOn {
                support: false,
                hostnames: true
            }
        );
    }
}

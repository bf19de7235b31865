//! The VPC DNS attributes KKP needs on: which to turn on, in which order, and
//! which to turn off on destroy. What the resource turned on is what it turns
//! off; what was on already stays on.

use serde::{Deserialize, Serialize};

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
}

/// The attributes to turn on, support before hostnames (hostnames need support).
pub fn to_enable(found: VpcDns) -> Vec<DnsAttribute> {
    let mut steps = Vec::new();
    if !found.support {
        steps.push(DnsAttribute::Support);
    }
    if !found.hostnames {
        steps.push(DnsAttribute::Hostnames);
    }
    steps
}

/// The attributes to turn off on destroy: hostnames before support.
pub fn to_restore(turned_on: TurnedOn) -> Vec<DnsAttribute> {
    let mut steps = Vec::new();
    if turned_on.hostnames {
        steps.push(DnsAttribute::Hostnames);
    }
    if turned_on.support {
        steps.push(DnsAttribute::Support);
    }
    steps
}

/// Turns on what is off. Returns what it turned on; on failure also the
/// attribute and error, with what it turned on before.
pub async fn enable(
    aws: &Aws,
    vpc_id: &str,
    found: VpcDns,
) -> (TurnedOn, Option<(DnsAttribute, AwsError)>) {
    let mut turned_on = TurnedOn::default();
    for attribute in to_enable(found) {
        if let Err(e) = aws.set_vpc_dns(vpc_id, attribute, true).await {
            return (turned_on, Some((attribute, e)));
        }
        match attribute {
            DnsAttribute::Support => turned_on.support = true,
            DnsAttribute::Hostnames => turned_on.hostnames = true,
        }
    }
    (turned_on, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_goes_on_first_and_off_last() {
        let dns = |support, hostnames| VpcDns { support, hostnames };
        assert_eq!(
            to_enable(dns(false, false)),
            [DnsAttribute::Support, DnsAttribute::Hostnames]
        );
        assert_eq!(to_enable(dns(true, false)), [DnsAttribute::Hostnames]);
        let both = TurnedOn {
            support: true,
            hostnames: true,
        };
        assert_eq!(
            to_restore(both),
            [DnsAttribute::Hostnames, DnsAttribute::Support]
        );
        assert!(to_restore(TurnedOn::default()).is_empty());
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
    }
}

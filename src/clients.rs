//! What every resource and data source works with once the provider is
//! configured: the AWS access and the tags every created object gets.

use std::collections::BTreeMap;

use crate::aws::Aws;
use crate::policy::check::PolicyChecks;

pub struct Clients {
    pub aws: Aws,
    /// Tags from `default_tags`, merged under each resource's own `tags`.
    pub default_tags: BTreeMap<String, String>,
    /// What the policy checks at plan report (`policy_checks`).
    pub policy_checks: PolicyChecks,
}

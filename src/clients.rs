//! What every resource and data source works with once the provider is
//! configured: the AWS access and the tags every created object gets.

use std::collections::BTreeMap;

use crate::aws::Aws;

pub struct Clients {
    pub aws: Aws,
    /// Tags from `default_tags`, merged under each resource's own `tags`.
    pub default_tags: BTreeMap<String, String>,
}

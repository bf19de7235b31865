//! What several resources share: the role plumbing every role-shaped
//! resource is a kind of, tags, names, IAM's limits, the ownership mark,
//! web-identity and cross-account trust inputs, the KKP version, the checks
//! of the policies users write, and how an AWS failure becomes a diagnostic.

pub mod cross_account;
pub mod errors;
pub mod kkp;
pub mod limits;
pub mod naming;
pub mod ownership;
pub mod policy_checks;
pub mod role;
pub mod tags;
pub mod web_identity;

pub use errors::{report, report_on};

pub use naming::unique_name;
pub use ownership::ownership_mark;
pub use tags::{
    Tags, known_tags, merged_tags, own_tags_after_read, own_tags_for_import, plan_tags_all,
    tag_attributes, validate_tag_map, validate_tags,
};

use crate::tfplugin::Value;

/// The semantic equality of a `policy` attribute: two texts of one IAM
/// document, however written.
pub fn same_policy(stored: &Value, wanted: &Value) -> bool {
    match (stored.as_str(), wanted.as_str()) {
        (Some(stored), Some(wanted)) => crate::policy::equivalent(stored, wanted),
        _ => false,
    }
}

/// An object value from attribute names and values, for the unit tests.
#[cfg(test)]
pub fn object(pairs: &[(&str, crate::tfplugin::Value)]) -> crate::tfplugin::Value {
    crate::tfplugin::Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

//! Pure IAM policy logic: the document model, canonical JSON, semantic
//! equivalence, IAM's size and count limits, the published documents as
//! versioned data, the trust policies the pages describe, the presets users
//! ask for by name, and the checks of documents users write (IAM's grammar,
//! and the catalogue of IAM actions).

pub mod catalogue;
pub mod check;
pub mod document;
pub mod limits;
pub mod presets;
pub mod published;
#[cfg(test)]
pub(crate) mod test_seeds;
pub mod trusts;

pub use document::{
    Condition, Document, Effect, POLICY_VERSION, PolicyError, Principal, Statement, aws_principals,
    canonical_json, equivalent, equivalent_ignoring_sids, federated_principals, from_iam,
    required_external_id, trusts_federated, web_identity_subject,
};
pub use presets::{Preset, PresetArgs, PresetError, Rendered};
pub use published::{CloudProvider, NodeRole, Published, Source, Version};

//! Pure IAM policy logic: the document model, canonical JSON, semantic
//! equivalence, IAM's size and count limits, and the documented presets (one
//! function per seed document).

pub mod document;
pub mod limits;
pub mod presets;

pub use document::{
    Condition, Document, Effect, POLICY_VERSION, PolicyError, Principal, Statement, canonical_json,
    check_identity_policy, equivalent, federated_principals, from_iam, trusts_federated,
};
pub use presets::{Preset, PresetArgs, PresetError};

//! Torque's agents page [seed 003]: it prints no permissions policy of its
//! own (the IaC runs' policies are the user's); it asks for a web-identity
//! role (audience `sts.amazonaws.com`) and an annotated ServiceAccount.

use super::{Source, Versions};

/// Torque's "Agents on AWS" page [003], the source of the IRSA trust.
pub const TORQUE_AGENTS_PAGE: Source = Source {
    platform: "Torque agents on EKS",
    page: "Torque documentation, \"Agents on AWS\"",
    versioned_by: "Torque",
    versions: Versions::Any,
};

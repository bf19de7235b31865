//! Data sources, one file each.

pub mod eks_cluster_oidc;
pub mod policy_document;

//! Torque's agents page [seed 003]: it prints no permissions policy of its
//! own (the IaC runs' policies are the user's); it asks for a web-identity
//! role (audience `sts.amazonaws.com`) and an annotated ServiceAccount.

use super::Source;

/// Torque's "Agents on AWS" page [003], the source of the IRSA trust.
pub const TORQUE_AGENTS_PAGE: Source = Source::new(
    "Torque agents on EKS",
    "Torque documentation, \"Agents on AWS\"",
);

/// Torque's "Cross Account Provisioning (AWS)" page, Option B
/// [`shared/seeds/beyond/torque-cross-account-target-trust.json`]: one agent
/// in a master account; in every target account a role of the same name
/// that trusts the agent's (master) role.
pub const TORQUE_CROSS_ACCOUNT_PAGE: Source = Source::new(
    "Torque cross-account provisioning (single agent)",
    "QualiTorque/qualitorque.github.io, docs/example-blueprints/cross-account-provisioning.md, \"Option B\"",
);

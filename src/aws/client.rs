//! The configured clients and who we are, shared by every resource. Its
//! methods live beside the objects they read and change (`role.rs`, ...).

use std::time::Duration;

use super::error::AwsError;
use super::snapshot::Bulk;

/// GetAccountSummary's `SummaryMap`: quota and usage names (`RolesQuota`,
/// `AssumeRolePolicySizeQuota`, ...) to their values.
pub type AccountSummary = std::collections::BTreeMap<String, i64>;

/// Configured clients and who we are, shared by every resource.
pub struct Aws {
    pub(super) iam: aws_sdk_iam::Client,
    pub(super) eks: aws_sdk_eks::Client,
    pub(super) ec2: aws_sdk_ec2::Client,
    pub region: String,
    /// Partition of the caller (`aws`, `aws-cn`, `aws-us-gov`); every ARN is built from it.
    pub partition: String,
    /// The caller's account; None when credential validation was skipped.
    pub account_id: Option<String>,
    /// How long to wait for IAM's eventual consistency after a change.
    pub propagation_timeout: Duration,
    /// GetAccountSummary's answer, once asked ([`Aws::account_summary`]).
    pub(super) account_summary: tokio::sync::OnceCell<Result<AccountSummary, AwsError>>,
    /// The account's roles and policies read in bulk, for refreshes.
    pub(super) bulk: Bulk,
}

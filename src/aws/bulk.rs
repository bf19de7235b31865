//! Bulk reads: every role and customer managed policy of the account in a
//! few paged calls, for refreshes of many resources. IAM throttles each
//! account at rates that cannot be raised, and reading a role on its own
//! takes 3 to 5 calls, so a refresh of hundreds of resources meets the
//! throttle long before one bulk read would.
//!
//! The bulk read is `iam:GetAccountAuthorizationDetails` (roles with their
//! trust, inline and attached policies, instance profiles and tags; local
//! managed policies with every version; users with their attached policies)
//! and `iam:ListRoles` for the two role settings it leaves out (description
//! and maximum session duration). It gives the same state as reading each
//! object, because:
//! - it is fetched at most once per provider process, by the first refresh
//!   read that wants it, and shared by the reads running at the same time.
//!   Terraform starts (and configures) a provider process for each
//!   operation, so it is never older than the operation it serves;
//! - it is never used once the provider has sent anything that changes AWS
//!   ([`Changes`]): from then on every read asks IAM;
//! - an object the two listings disagree on (made or deleted between them),
//!   a name that differs only in case, and an instance profile whose tags
//!   the listing leaves out are read on their own;
//! - policy tags are not in the bulk read: a managed policy is still read
//!   with GetPolicy, its document and users come from the bulk read.
//!
//! When the bulk read fails (most often because the sensitive
//! `iam:GetAccountAuthorizationDetails` is denied), every read asks IAM on
//! its own, as without it; a DEBUG line says so, nothing else does.

use std::sync::atomic::Ordering;

use super::actions::{IAM_GET_ACCOUNT_AUTHORIZATION_DETAILS, IAM_LIST_ROLES};
use super::call::call;
use super::client::Aws;
use super::error::{AwsError, Found};
use super::observed::{ObservedRole, Profiles, ServiceLinkedRole};
use super::snapshot::{AUTO_AFTER_READS, BulkReads, PAGE_ITEMS, Seen, Snapshot};
use aws_sdk_iam::types::EntityType;

impl Aws {
    /// The bulk read, when this refresh read may use it (see the module
    /// documentation); counts the read for `auto`.
    async fn snapshot(&self) -> Option<&Snapshot> {
        if self.bulk.changes.made() {
            return None;
        }
        match self.bulk.mode {
            BulkReads::Never => return None,
            BulkReads::Auto
                if self.bulk.reads.fetch_add(1, Ordering::SeqCst) < AUTO_AFTER_READS =>
            {
                return None;
            }
            BulkReads::Auto | BulkReads::Always => {}
        }
        let snapshot = self
            .bulk
            .snapshot
            .get_or_init(|| self.fetch_snapshot())
            .await
            .as_ref()?;
        // Something may have been changed while it was read.
        (!self.bulk.changes.made()).then_some(snapshot)
    }

    async fn fetch_snapshot(&self) -> Option<Snapshot> {
        let started = std::time::Instant::now();
        let details = call(
            &IAM_GET_ACCOUNT_AUTHORIZATION_DETAILS,
            "the account",
            self.iam
                .get_account_authorization_details()
                .filter(EntityType::Role)
                .filter(EntityType::LocalManagedPolicy)
                .filter(EntityType::User)
                .max_items(PAGE_ITEMS)
                .into_paginator()
                .send()
                .try_collect(),
        );
        let roles = call(
            &IAM_LIST_ROLES,
            "the account",
            self.iam
                .list_roles()
                .max_items(PAGE_ITEMS)
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        );
        let listed: Result<(Vec<_>, Vec<_>), AwsError> =
            super::log::account_wide(async { tokio::try_join!(details, roles) }).await;
        match listed {
            Ok((pages, roles)) => {
                let snapshot = Snapshot::new(&pages, &roles);
                tracing::debug!(
                    roles = snapshot.roles.len(),
                    policies = snapshot.policies.len(),
                    calls = snapshot.pages,
                    duration_ms = started.elapsed().as_millis() as u64,
                    "read the account's IAM roles and policies in bulk: refresh reads use it"
                );
                Some(snapshot)
            }
            Err(e) => {
                tracing::debug!(
                    error = %e,
                    "no bulk read of the account's IAM roles and policies: each resource is read on its own"
                );
                None
            }
        }
    }

    /// A role for Terraform's refresh or import: from the bulk read when it
    /// is in use, else as [`Aws::get_role_observing`] reads it.
    pub async fn read_role(&self, name: &str, profiles: Profiles) -> Found<ObservedRole> {
        if let Some(snapshot) = self.snapshot().await {
            match snapshot.observed_role(name, profiles) {
                Seen::Absent => return Ok(None),
                Seen::Present(mut role) => {
                    if profiles == Profiles::Own && role.own_profile.is_none() {
                        role.own_profile = self.get_instance_profile(name).await?;
                    }
                    return Ok(Some(role));
                }
                Seen::Unsure => {}
            }
        }
        self.get_role_observing(name, profiles).await
    }

    /// A service-linked role for Terraform's refresh or import: from the
    /// bulk read when it is in use, else as
    /// [`Aws::get_service_linked_role`] reads it.
    pub async fn read_service_linked_role(&self, name: &str) -> Found<ServiceLinkedRole> {
        if let Some(snapshot) = self.snapshot().await {
            match snapshot.role(name) {
                Seen::Absent => return Ok(None),
                Seen::Present(role) => {
                    return Ok(Some(ServiceLinkedRole {
                        name: role.name.clone(),
                        path: role.path.clone(),
                        arn: role.arn.clone(),
                        description: role.description.clone(),
                    }));
                }
                Seen::Unsure => {}
            }
        }
        self.get_service_linked_role(name).await
    }

    /// The document of a managed policy's version, and the users it is
    /// attached to (only when `users` is asked), for Terraform's refresh or
    /// import: from the bulk read when it is in use and has them, else as
    /// [`Aws::policy_version_document`] and [`Aws::policy_users`] read them.
    pub async fn read_policy_details(
        &self,
        arn: &str,
        version_id: &str,
        users: bool,
    ) -> Found<(String, Vec<String>)> {
        let snapshot = self.snapshot().await;
        let document = match snapshot.and_then(|s| s.policy_document(arn, version_id)) {
            Some(document) => document,
            None => match self.policy_version_document(arn, version_id).await? {
                Some(document) => document,
                None => return Ok(None),
            },
        };
        if !users {
            return Ok(Some((document, Vec::new())));
        }
        let users = match snapshot.and_then(|s| s.users_of(arn)) {
            Some(users) => users,
            None => self.policy_users(arn).await?,
        };
        Ok(Some((document, users)))
    }
}

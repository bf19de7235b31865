//! The state of the bulk read (see `bulk.rs`): the setting, whether this
//! process has changed anything, and the account as the listings gave it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
use aws_sdk_iam::types::Role;
use aws_smithy_types::config_bag::ConfigBag;

use super::observed::{ObservedProfile, ObservedRole, Profiles, tag_map};
use super::ownership::split_ownership_mark;
use crate::policy::from_iam;

/// When refresh reads use the bulk read: the provider's `bulk_reads`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BulkReads {
    /// After [`AUTO_AFTER_READS`] resources have been read on their own.
    #[default]
    Auto,
    /// From the first read.
    Always,
    /// Never: every read asks IAM about its own object.
    Never,
}

impl BulkReads {
    /// The setting's values, as written in the provider block.
    pub const VALUES: [&str; 3] = ["auto", "always", "never"];

    pub fn parse(text: &str) -> Option<BulkReads> {
        match text {
            "auto" => Some(BulkReads::Auto),
            "always" => Some(BulkReads::Always),
            "never" => Some(BulkReads::Never),
            _ => None,
        }
    }
}

/// With `auto`, the resources a process reads on their own before it reads
/// the account in bulk. Ten is Terraform's default parallelism, so a
/// configuration that fits in one wave of reads never waits for a bulk
/// read; and ten role reads (30 to 50 calls) cost more than the bulk read
/// of any account IAM's quotas allow (5,000 roles, 5,000 managed policies,
/// 5,000 users: about 20 pages of 1,000), so from the eleventh resource on
/// the bulk read costs fewer calls than the reads it replaces. BENCHMARKS.md
/// shows the crossover.
pub const AUTO_AFTER_READS: usize = 10;

/// Objects per page asked of the listing calls (IAM's maximum).
pub(super) const PAGE_ITEMS: i32 = 1000;

/// Set when the provider's IAM or EC2 client is about to send a call that
/// changes something in AWS (an SDK interceptor, so no call escapes it):
/// from then on the bulk read is not used.
#[derive(Clone, Debug, Default)]
pub(super) struct Changes(Arc<AtomicBool>);

impl Changes {
    pub(super) fn made(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Whether an operation changes something in AWS: all but reads.
fn changes_aws(operation: &str) -> bool {
    super::pacing::Kind::of_operation(operation) == super::pacing::Kind::Write
}

impl super::intercept::Hooks for Changes {
    const NAME: &'static str = "NoteChanges";

    // Not `before_execution`: the operation's name is not in the bag yet.
    fn before_serialization(&self, cfg: &mut ConfigBag) {
        if super::intercept::operation(cfg).is_none_or(|(_, name)| changes_aws(name)) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
}

/// The bulk read of one configured provider, fetched on first use.
#[derive(Debug, Default)]
pub(super) struct Bulk {
    pub(super) mode: BulkReads,
    pub(super) changes: Changes,
    /// Resources read so far (for `auto`).
    pub(super) reads: AtomicUsize,
    /// None when the bulk read failed: then every read asks IAM.
    pub(super) snapshot: tokio::sync::OnceCell<Option<Snapshot>>,
}

impl Bulk {
    pub(super) fn new(mode: BulkReads) -> Bulk {
        Bulk {
            mode,
            ..Default::default()
        }
    }

    /// The interceptor the IAM and EC2 clients note their changes with.
    pub(super) fn changes(&self) -> &Changes {
        &self.changes
    }
}

/// What the listings say of one name.
#[derive(Debug, PartialEq)]
pub(super) enum Seen<T> {
    Present(T),
    /// In neither listing: it does not exist.
    Absent,
    /// The listings cannot say: read the object on its own.
    Unsure,
}

/// The account's roles, customer managed policies and their users, as the
/// bulk read found them.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Snapshot {
    /// Role name -> the role, its instance profiles in `instance_profiles`
    /// (with their tags, when the listing had them); None when the two
    /// listings disagree about it.
    pub(super) roles: HashMap<String, Option<ObservedRole>>,
    /// Instance profiles listed without tags (the listing may leave them
    /// out): their tags are read on their own.
    profiles_without_tags: BTreeSet<String>,
    /// Policy ARN -> version id -> document (decoded).
    pub(super) policies: HashMap<String, HashMap<String, String>>,
    /// Policy ARN -> the users it is attached to.
    policy_users: HashMap<String, Vec<String>>,
    /// Calls the bulk read took, for the log.
    pub(super) pages: usize,
}

impl Snapshot {
    /// Builds the snapshot from the pages of GetAccountAuthorizationDetails
    /// and ListRoles' roles.
    pub(super) fn new(pages: &[GetAccountAuthorizationDetailsOutput], listed: &[Role]) -> Self {
        let mut snapshot = Snapshot {
            pages: pages.len() + listed.len().div_ceil(PAGE_ITEMS as usize).max(1),
            ..Default::default()
        };
        let settings: HashMap<&str, &Role> =
            listed.iter().map(|r| (r.role_name.as_str(), r)).collect();
        for detail in pages.iter().flat_map(|p| p.role_detail_list()) {
            let Some(name) = detail.role_name() else {
                continue;
            };
            let Some(role) = settings.get(name) else {
                // Made between the two listings: read it on its own.
                snapshot.roles.insert(name.to_string(), None);
                continue;
            };
            let (tags, mark) = split_ownership_mark(tag_map(detail.tags()));
            let mut instance_profiles = Vec::new();
            for profile in detail.instance_profile_list() {
                if profile.tags().is_empty() {
                    snapshot
                        .profiles_without_tags
                        .insert(profile.instance_profile_name.clone());
                }
                let (tags, mark) = split_ownership_mark(tag_map(profile.tags()));
                instance_profiles.push(ObservedProfile {
                    name: profile.instance_profile_name.clone(),
                    arn: profile.arn.clone(),
                    roles: profile.roles.iter().map(|r| r.role_name.clone()).collect(),
                    tags,
                    mark,
                });
            }
            let observed = ObservedRole {
                name: name.to_string(),
                path: detail.path().unwrap_or("/").to_string(),
                arn: detail.arn().unwrap_or_default().to_string(),
                unique_id: detail.role_id().unwrap_or_default().to_string(),
                description: role.description.clone().filter(|d| !d.is_empty()),
                trust: detail
                    .assume_role_policy_document()
                    .map(from_iam)
                    .unwrap_or_default(),
                max_session_duration: role.max_session_duration.unwrap_or(3600),
                permissions_boundary: detail
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .map(str::to_string),
                tags,
                mark,
                inline_policies: detail
                    .role_policy_list()
                    .iter()
                    .filter_map(|p| {
                        Some((p.policy_name()?.to_string(), from_iam(p.policy_document()?)))
                    })
                    .collect(),
                managed_policies: detail
                    .attached_managed_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn().map(str::to_string))
                    .collect(),
                instance_profiles,
                own_profile: None,
            };
            snapshot.roles.insert(name.to_string(), Some(observed));
        }
        // Listed by ListRoles only: deleted between the two listings.
        for role in listed {
            snapshot.roles.entry(role.role_name.clone()).or_insert(None);
        }
        for policy in pages.iter().flat_map(|p| p.policies()) {
            let Some(arn) = policy.arn() else { continue };
            let versions = policy
                .policy_version_list()
                .iter()
                .filter_map(|v| Some((v.version_id()?.to_string(), from_iam(v.document()?))))
                .collect();
            snapshot.policies.insert(arn.to_string(), versions);
            snapshot.policy_users.entry(arn.to_string()).or_default();
        }
        for user in pages.iter().flat_map(|p| p.user_detail_list()) {
            let Some(name) = user.user_name() else {
                continue;
            };
            for arn in user
                .attached_managed_policies()
                .iter()
                .filter_map(|p| p.policy_arn())
            {
                // Only customer managed policies are listed in full.
                if let Some(users) = snapshot.policy_users.get_mut(arn) {
                    users.push(name.to_string());
                }
            }
        }
        snapshot
    }

    pub(super) fn role(&self, name: &str) -> Seen<&ObservedRole> {
        match self.roles.get(name) {
            Some(Some(role)) => Seen::Present(role),
            Some(None) => Seen::Unsure,
            // IAM names are unique whatever their case: let IAM say what a
            // name in another case means.
            None if self.roles.keys().any(|k| k.eq_ignore_ascii_case(name)) => Seen::Unsure,
            None => Seen::Absent,
        }
    }

    /// The role as a read with `profiles` would observe it, when the
    /// listings can say; `own_profile` is left for the caller when it needs
    /// a read of its own ([`Snapshot::own_profile`]).
    pub(super) fn observed_role(&self, name: &str, profiles: Profiles) -> Seen<ObservedRole> {
        let role = match self.role(name) {
            Seen::Present(role) => role,
            Seen::Absent => return Seen::Absent,
            Seen::Unsure => return Seen::Unsure,
        };
        let mut role = role.clone();
        let listed = std::mem::take(&mut role.instance_profiles);
        match profiles {
            Profiles::Skip => {}
            Profiles::Own => role.own_profile = self.own_profile(&role.name, &listed),
            // ListInstanceProfilesForRole leaves tags out, and so does this.
            Profiles::All => {
                role.instance_profiles = listed
                    .into_iter()
                    .map(|p| ObservedProfile {
                        tags: BTreeMap::new(),
                        mark: None,
                        ..p
                    })
                    .collect()
            }
        }
        Seen::Present(role)
    }

    /// The instance profile named like the role, from the role's listing,
    /// when that has it with its tags. Otherwise (it does not hold the role,
    /// or its tags were left out) None: the caller reads it on its own.
    pub(super) fn own_profile(
        &self,
        role: &str,
        listed: &[ObservedProfile],
    ) -> Option<ObservedProfile> {
        listed
            .iter()
            .find(|p| p.name == role && !self.profiles_without_tags.contains(&p.name))
            .cloned()
    }

    pub(super) fn policy_document(&self, arn: &str, version_id: &str) -> Option<String> {
        self.policies.get(arn)?.get(version_id).cloned()
    }

    pub(super) fn users_of(&self, arn: &str) -> Option<Vec<String>> {
        self.policy_users.get(arn).cloned()
    }
}

#[cfg(test)]
mod tests;

//! What IAM holds, as the reads return it: plain data, no calls.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::Tag;

/// A role as IAM has it, with everything attached to it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObservedRole {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub unique_id: String,
    pub description: Option<String>,
    /// The trust policy, decoded from IAM's URL encoding.
    pub trust: String,
    pub max_session_duration: i32,
    pub permissions_boundary: Option<String>,
    /// The role's tags, without the ownership mark.
    pub tags: BTreeMap<String, String>,
    /// The ownership mark the role was created with, if any.
    pub mark: Option<String>,
    /// Inline policy name -> decoded document.
    pub inline_policies: BTreeMap<String, String>,
    pub managed_policies: BTreeSet<String>,
    /// With [`Profiles::All`]: every instance profile that holds this role.
    pub instance_profiles: Vec<ObservedProfile>,
    /// With [`Profiles::Own`]: the instance profile named like the role,
    /// whether or not it holds the role.
    pub own_profile: Option<ObservedProfile>,
}

impl ObservedRole {
    /// The instance profile named like the role, when it holds the role.
    pub fn own_profile_holding_role(&self) -> Option<&ObservedProfile> {
        self.own_profile
            .as_ref()
            .filter(|p| p.roles.iter().any(|r| r == &self.name))
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObservedProfile {
    pub name: String,
    pub arn: String,
    pub roles: Vec<String>,
    /// Tags without the ownership mark (read by GetInstanceProfile only:
    /// IAM's list calls leave tags out).
    pub tags: BTreeMap<String, String>,
    pub mark: Option<String>,
}

/// Which instance profiles reading a role also reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profiles {
    /// None: the role owns no instance profile.
    Skip,
    /// The one named like the role, with its tags (GetInstanceProfile).
    Own,
    /// Every profile holding the role, which deleting it needs
    /// (ListInstanceProfilesForRole).
    All,
}

impl Profiles {
    /// Only a role that owns an instance profile needs it read.
    pub fn for_role_owning_profile(owns_profile: bool) -> Self {
        if owns_profile {
            Profiles::Own
        } else {
            Profiles::Skip
        }
    }
}

/// A service-linked role as IAM has it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceLinkedRole {
    pub name: String,
    pub path: String,
    pub arn: String,
    /// The role's description: the ownership mark of the create that made
    /// it, when this provider made it.
    pub description: Option<String>,
}

/// The SDK's form of a tag map. Building a tag fails only without a key or
/// value, and both are always given.
pub(super) fn iam_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
        .collect()
}

/// A tag map from the SDK's form.
pub(super) fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}
